"""How the engine sums the gradients that reach one place, against torch: a leaf reached by
several edges gets their sum in one accumulation (one version bump, hooks called once, as
torch's single AccumulateGrad), and a node's buffer adds a later gradient in place only when
nothing else can see the array (a gradient a backward returned unchanged, a saved tensor, a
Tensor a hook kept, a view keep their values)."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close


def _leaf_case(T, uses: int, existing: bool, hook: str, create_graph: bool):
    """x used in ``uses`` branches (x * 2, x * 3, ...), one backward: (x.grad, its version
    (the change when .grad existed), what the hooks saw, .grad's grad_fn name)."""
    x = T.tensor([1.0, -2.0, 3.0], requires_grad=True)
    if existing:
        x.grad = T.tensor([0.5, 0.5, 0.5])
    before = x.grad._version if existing else 0
    seen = []
    if hook == "tensor hook":
        x.register_hook(lambda g: seen.append(g.tolist()))
    elif hook == "post-accumulate hook":
        x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.tolist()))
    loss = sum((x * (i + 2) * x.detach()).sum() for i in range(uses))
    loss.backward(create_graph=create_graph)
    fn = x.grad.grad_fn
    return x.grad, x.grad._version - before, seen, None if fn is None else fn.name()


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("hook", ["no hook", "tensor hook", "post-accumulate hook"])
@pytest.mark.parametrize("existing", [False, True], ids=["no .grad", "existing .grad"])
@pytest.mark.parametrize("uses", [1, 2, 3])
def test_leaf_reached_by_several_edges_accumulates_once(uses, existing, hook, create_graph):
    out = {T: _leaf_case(T, uses, existing, hook, create_graph) for T in LIBS}
    assert_close(out[mt][0], out[torch][0], "grad")
    assert out[mt][1:] == out[torch][1:]


@pytest.mark.parametrize("uses", [2, 3])
def test_leaf_reached_by_several_edges_bumps_held_views_once(uses):
    """.grad's version counter is shared with the views the caller kept: one bump."""
    out = {}
    for T in LIBS:
        x = T.tensor([1.0, 2.0], requires_grad=True)
        (x * 2).sum().backward()
        held = x.grad[1:]
        v = held._version
        sum((x * (i + 2)).sum() for i in range(uses)).backward()
        out[T] = (x.grad.tolist(), held.tolist(), held._version - v)
    assert out[mt] == out[torch]


def _give_saved(T):
    class GiveSaved(T.autograd.Function):
        """y = x * w; its backward returns the saved w itself as x's gradient (for a seed of
        ones that is the true gradient)."""
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(w)
            return x * w

        @staticmethod
        def backward(ctx, g):
            w, = ctx.saved_tensors
            return w, None

    return GiveSaved


@pytest.mark.parametrize("case", ["returned unchanged", "saved tensor returned",
                                  "node hook keeps the gradient", "retain_grad", "view kept"])
def test_node_buffer_adds_in_place_only_into_unseen_arrays(case):
    """y (a non-leaf) gets two gradients. The branch built last runs first (torch's order), so
    y's buffer first holds an array something else still sees (a gradient a backward passed
    on unchanged that a hook kept, a saved tensor (a custom Function's result: the engine
    copies those), a view a hook kept); the second gradient must not be added into it. Every
    value anyone holds equals torch's afterwards."""
    out = {}
    for T in LIBS:
        GiveSaved = _give_saved(T)
        x = T.tensor([1.0, -2.0, 3.0], requires_grad=True)
        w = T.tensor([4.0, 5.0, 6.0])
        y = x * 2
        first = (y * y).sum()
        kept = []
        if case == "saved tensor returned":
            loss = first + GiveSaved.apply(y, w).sum()
        else:
            a = y.clone()                         # CloneBackward0 passes its gradient on
            if case == "returned unchanged":
                a.register_hook(lambda g: kept.append(g))
            elif case == "node hook keeps the gradient":
                a.grad_fn.register_hook(lambda gi, go: kept.append(gi[0]))
            elif case == "retain_grad":
                a.retain_grad()
            else:
                a.register_hook(lambda g: kept.append(g[1:]))
            loss = first + (a * 3).sum()
        loss.backward()
        out[T] = [x.grad, w] + kept + ([a.grad] if case == "retain_grad" else [])
    assert len(out[mt]) == len(out[torch])
    for i, (ours, theirs) in enumerate(zip(out[mt], out[torch])):
        assert_close(ours, theirs, f"value {i}")


def test_node_buffer_in_place_sum_gives_torchs_values():
    """Fresh gradients from two branches (each a multiplication), summed in y's buffer, then
    hooks and retain_grad see the sum."""
    out = {}
    for T in LIBS:
        x = T.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
        y = x.exp()
        y.retain_grad()
        seen = []
        y.register_hook(lambda g: seen.append(g.tolist()))
        ((y * 3).sum() + (y * y).sum() + (y * x.detach()).sum()).backward()
        out[T] = (x.grad, y.grad, seen)
    assert_close(out[mt][0], out[torch][0], "x grad")
    assert_close(out[mt][1], out[torch][1], "y grad")
    assert np.allclose(out[mt][2], out[torch][2], rtol=1e-6)


@pytest.mark.parametrize("existing", [False, True], ids=["no .grad", "existing .grad"])
@pytest.mark.parametrize("expr", ["x * x", "x + x", "x * x + x.exp()", "(x + x) * x"])
def test_leaf_used_twice_in_one_op(expr, existing):
    """Both edges of one node reach x: the node's two gradients are summed first, in place
    when torch would (two fresh products: x * x), out of place when the node hands one array
    to both (x + x); .grad's version says which, as torch's."""
    out = {}
    for T in LIBS:
        x = T.tensor([1.0, -2.0, 3.0], requires_grad=True)
        if existing:
            x.grad = T.tensor([0.5, 0.5, 0.5])
        before = x.grad._version if existing else 0
        eval(expr, {"x": x}).sum().backward()
        out[T] = (x.grad.tolist(), x.grad._version - before)
    assert out[mt] == out[torch]
