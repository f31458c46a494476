"""create_graph=True against torch: derivatives of any order, .grad with history, training loops
that differentiate gradients (gradient penalty, Hessian-vector products) step by step, custom
Functions, hooks, and the refusals that keep a second derivative from being silently wrong."""
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close


SCALAR_FUNCTIONS = [
    ("sin", lambda T, x: x.sin()),
    ("exp_times_x", lambda T, x: x.exp() * x),
    ("tanh", lambda T, x: x.tanh()),
    ("quartic", lambda T, x: x ** 4 - 2 * x ** 2),
    ("log1p_square", lambda T, x: (1 + x * x).log()),
    ("sigmoid", lambda T, x: x.sigmoid()),
    ("rational", lambda T, x: 1 / (1 + x * x)),
    ("sqrt", lambda T, x: (x * x + 1).sqrt()),
    ("softplus_like", lambda T, x: T.logaddexp(x, T.zeros_like(x))),
]


@pytest.mark.parametrize("case", SCALAR_FUNCTIONS, ids=[c[0] for c in SCALAR_FUNCTIONS])
def test_derivatives_to_the_fourth_order(case):
    """d^k f / dx^k for k = 1..4 at several points, by repeated autograd.grad."""
    _, f = case
    res = {}
    for T in LIBS:
        x = T.tensor([-1.3, -0.2, 0.0, 0.7, 2.1], dtype=T.float64, requires_grad=True)
        y = f(T, x).sum()
        ds = []
        for _ in range(4):
            d, = T.autograd.grad(y, x, create_graph=True)
            ds.append(d)
            y = d.sum()
        res[T] = ds
    for k, (a, b) in enumerate(zip(res[mt], res[torch])):
        assert_close(a, b, f"derivative {k + 1}")


def test_mixed_partials_of_a_function_of_two_variables():
    res = {}
    for T in LIBS:
        x = T.tensor(0.3, dtype=T.float64, requires_grad=True)
        y = T.tensor(-0.8, dtype=T.float64, requires_grad=True)
        f = (x * y).sin() * x.exp() + y ** 3 * x
        fx, fy = T.autograd.grad(f, (x, y), create_graph=True)
        fxy, = T.autograd.grad(fx, y, create_graph=True)
        fyx, = T.autograd.grad(fy, x, create_graph=True)
        fxyx, = T.autograd.grad(fxy, x)
        res[T] = (fx, fy, fxy, fyx, fxyx)
    for a, b in zip(res[mt], res[torch]):
        assert_close(a, b)


def test_backward_create_graph_gives_grad_a_history():
    res = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for T in LIBS:
            x = T.tensor([0.5, -1.0, 2.0], dtype=T.float64, requires_grad=True)
            (x ** 3).sum().backward(create_graph=True)
            first = x.grad
            names = [first.grad_fn.name()]
            (x.exp()).sum().backward(create_graph=True)  # accumulates out of place
            names.append(x.grad.grad_fn.name())
            assert x.grad is not first
            g = x.grad
            x.grad = None
            g.sum().backward()
            res[T] = (first.detach(), g.detach(), x.grad, names)
    for a, b in zip(res[mt][:3], res[torch][:3]):
        assert_close(a, b)
    assert res[mt][3] == res[torch][3]


def test_backward_create_graph_warns_once_per_process():
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    from minitorch_ref import autograd
    autograd._warned_cycle.clear()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        (x * x).sum().backward(create_graph=True)
        (x * x).sum().backward(create_graph=True)
    msgs = [str(m.message) for m in w if "reference cycle" in str(m.message)]
    assert len(msgs) == 1 and msgs[0].startswith("Using backward() with create_graph=True")


def test_create_graph_retains_the_graph_by_default():
    for T in LIBS:
        x = T.tensor([0.5, 2.0], requires_grad=True)
        y = (x.exp() * x).sum()
        T.autograd.grad(y, x, create_graph=True)
        g, = T.autograd.grad(y, x)  # the graph was kept
        assert g.grad_fn is None


def test_grad_outputs_that_require_grad_are_differentiated():
    res = {}
    for T in LIBS:
        x = T.tensor([0.5, -2.0], dtype=T.float64, requires_grad=True)
        v = T.tensor([1.5, 0.25], dtype=T.float64, requires_grad=True)
        g, = T.autograd.grad(x.sin() * x, x, v, create_graph=True)
        gv, gx = T.autograd.grad((g * g).sum(), (v, x))
        res[T] = (g, gv, gx)
    for a, b in zip(res[mt], res[torch]):
        assert_close(a, b)


def test_hooks_see_gradients_with_history():
    res = {}
    for T in LIBS:
        x = T.tensor([0.5, -2.0], dtype=T.float64, requires_grad=True)
        h = x * x
        h.register_hook(lambda g: g * h)  # a hook whose result depends on x
        g, = T.autograd.grad(h.sum(), x, create_graph=True)
        g2, = T.autograd.grad(g.sum(), x)
        res[T] = (g, g2)
    for a, b in zip(res[mt], res[torch]):
        assert_close(a, b)


class _Cube:
    """A custom Function with a differentiable backward, in both libraries."""

    @staticmethod
    def make(T):
        class Cube(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return g * 3 * x * x
        return Cube


def test_custom_function_backward_is_recorded_under_create_graph():
    res = {}
    for T in LIBS:
        x = T.tensor([0.5, -2.0], dtype=T.float64, requires_grad=True)
        y = _Cube.make(T).apply(x).sum()
        g, = T.autograd.grad(y, x, create_graph=True)
        h, = T.autograd.grad(g.sum(), x)
        res[T] = (g, h, g.grad_fn.name())
    assert_close(res[mt][0], res[torch][0])
    assert_close(res[mt][1], res[torch][1])
    assert res[mt][2] == res[torch][2]


def test_fused_backward_node_names_and_edges():
    for T in LIBS:
        x = T.tensor([0.5, -2.0], dtype=T.float64, requires_grad=True)
        y = x.tanh()
        g, = T.autograd.grad(y.sum(), x, create_graph=True)
        assert g.grad_fn.name() == "TanhBackwardBackward0"
        # one edge for the incoming gradient, one for tanh's result
        names = [f.name() if f is not None else None for f, _ in g.grad_fn.next_functions]
        assert "TanhBackward0" in names


PIECEWISE_LINEAR = [
    ("relu", lambda T, x: x.relu()),
    ("hardtanh", lambda T, x: T.nn.functional.hardtanh(x)),
    ("leaky_relu", lambda T, x: T.nn.functional.leaky_relu(x, 0.2)),
    ("threshold", lambda T, x: T.nn.functional.threshold(x, 0.5, -1.0)),
    ("hardshrink", lambda T, x: T.nn.functional.hardshrink(x)),
]


@pytest.mark.parametrize("case", PIECEWISE_LINEAR, ids=[c[0] for c in PIECEWISE_LINEAR])
def test_fused_gradient_of_a_constant_upstream_is_a_node(case):
    """A piecewise-linear op's gradient for a constant upstream gradient is constant in x, yet
    torch's fused backward is a node of x (its formula reads self): the gradient requires
    grad, has torch's node, and its own gradient is zero rather than an error."""
    _, f = case
    res = {}
    for T in LIBS:
        x = T.tensor([1.5, -2.0, 0.25, -0.75], dtype=T.float64, requires_grad=True)
        g, = T.autograd.grad(f(T, x).sum(), x, create_graph=True)
        res[T] = (g, g.requires_grad, g.grad_fn.name() if g.grad_fn else None,
                  T.autograd.grad((g * g).sum(), x)[0])
    assert res[mt][1:3] == res[torch][1:3]
    assert_close(res[mt][0], res[torch][0])
    assert_close(res[mt][3], res[torch][3])


def test_third_order_through_a_fused_node():
    res = {}
    for T in LIBS:
        x = T.tensor([0.5, -2.0, 1.0], dtype=T.float64, requires_grad=True)
        y = T.softmax(x * x, 0)[0] + x.sigmoid().sum() + x.relu().pow(3).sum()
        d1, = T.autograd.grad(y, x, create_graph=True)
        d2, = T.autograd.grad(d1.sum(), x, create_graph=True)
        d3, = T.autograd.grad(d2.sum(), x)
        res[T] = (d1, d2, d3)
    for a, b in zip(res[mt], res[torch]):
        assert_close(a, b)


# -- refusals: never a silently wrong second derivative -------------------------------------------
class _EscapesTheGraph(mt.autograd.function.ArrayFunction):
    """A kernel whose backward converts to a plain array: fine at first order only."""

    _backward_name = "EscapesBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * a

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * 2 * np.asarray(a)


class _FloatAttribute(mt.autograd.function.ArrayFunction):
    """A kernel keeping a float array as a ctx attribute instead of saving it."""

    _backward_name = "FloatAttributeBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.twice = 2 * a
        return a * a

    @staticmethod
    def backward(ctx, g):
        return g * ctx.twice


@pytest.mark.parametrize("fn, match", [
    (_EscapesTheGraph, "the backward of EscapesBackward0 used np.asarray"),
    (_FloatAttribute, "FloatAttributeBackward0 keeps a float array in ctx.twice"),
])
def test_kernels_the_mechanism_cannot_record_are_refused(fn, match):
    x = mt.tensor([0.5, -2.0], dtype=mt.float64, requires_grad=True)
    g, = mt.autograd.grad(fn.apply(x).sum(), x)  # first order: fine
    assert g.tolist() == [1.0, -4.0]
    with pytest.raises(RuntimeError, match=match):
        mt.autograd.grad(fn.apply(x).sum(), x, create_graph=True)


def test_in_place_change_of_a_replayed_input_is_refused():
    # softmax-style ops saving an intermediate replay their forward: their input must be intact
    for T in LIBS:
        x = T.tensor([0.5, -2.0, 1.0], requires_grad=True)
        h = x * 1
        y = T.var(h)  # saves (h - mean): replayed from h under create_graph
        h.mul_(2)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            T.autograd.grad(y, x, create_graph=True)


def test_freed_graph_is_an_error_under_create_graph():
    for T in LIBS:
        x = T.tensor([0.5, -2.0], requires_grad=True)
        y = (x.exp() * x).sum()
        T.autograd.grad(y, x, retain_graph=False)
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            T.autograd.grad(y, x, create_graph=True)


# -- training loops -------------------------------------------------------------------------------
def _mlp(T, seed=0):
    T.manual_seed(seed)
    return T.nn.Sequential(T.nn.Linear(2, 16), T.nn.Tanh(), T.nn.Linear(16, 16), T.nn.ReLU(),
                           T.nn.Linear(16, 1))


def _same_weights(ours, theirs):
    ours.load_state_dict({k: mt.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})


@pytest.mark.parametrize("opt", ["SGD", "Adam"])
def test_gradient_penalty_training_steps_match_torch(opt):
    """WGAN-GP's critic step: loss + lambda * (|d critic / d x| - 1)^2, 10 steps."""
    # float64: Adam's first steps are about lr * sign(g), so a gradient at rounding-noise level
    # (a dead ReLU unit) would show in float32 as a different step
    rng = np.random.default_rng(0)
    real = rng.standard_normal((32, 2))
    fake = rng.standard_normal((32, 2)) * 0.5 + 1
    eps = rng.uniform(size=(32, 1))
    nets = {torch: _mlp(torch).double()}
    nets[mt] = _mlp(mt).double()
    _same_weights(nets[mt], nets[torch])
    opts = {T: getattr(T.optim, opt)(nets[T].parameters(), lr=1e-2) for T in LIBS}
    for step in range(10):
        for T in LIBS:
            D = nets[T]
            r, f = T.tensor(real), T.tensor(fake)
            x = (T.tensor(eps) * r + (1 - T.tensor(eps)) * f).requires_grad_()
            g, = T.autograd.grad(D(x).sum(), x, create_graph=True)
            gp = ((g.norm(2, dim=1) - 1) ** 2).mean()
            loss = D(f).mean() - D(r).mean() + 10 * gp
            opts[T].zero_grad()
            loss.backward()
            opts[T].step()
        for (n, a), b in zip(nets[mt].named_parameters(), nets[torch].parameters()):
            assert_close(a, b, f"step {step}: {n}", scale=100)


def test_hessian_vector_product_training_steps_match_torch():
    """A curvature-regularised fit: loss + 0.1 |H v|^2 with H the loss Hessian in the
    weights, v fixed; 8 SGD steps."""
    rng = np.random.default_rng(1)
    xs = rng.standard_normal((16, 2))
    ys = np.sin(xs[:, :1]) + xs[:, 1:] ** 2
    nets = {torch: _mlp(torch, 1).double()}
    nets[mt] = _mlp(mt, 1).double()
    _same_weights(nets[mt], nets[torch])
    opts = {T: T.optim.SGD(nets[T].parameters(), lr=1e-2, momentum=0.9) for T in LIBS}
    for step in range(8):
        for T in LIBS:
            net = nets[T]
            params = list(net.parameters())
            loss = ((net(T.tensor(xs)) - T.tensor(ys)) ** 2).mean()
            grads = T.autograd.grad(loss, params, create_graph=True)
            vs = [T.ones_like(p) * 0.1 for p in params]
            hv = T.autograd.grad(grads, params, vs, create_graph=True)
            total = loss + 0.1 * sum((h * h).sum() for h in hv)
            opts[T].zero_grad()
            total.backward()
            opts[T].step()
        for (n, a), b in zip(nets[mt].named_parameters(), nets[torch].parameters()):
            assert_close(a, b, f"step {step}: {n}")


def test_once_differentiable_refuses_a_second_differentiation():
    for T in LIBS:
        class Sq(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            @T.autograd.function.once_differentiable
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return g * 2 * x

        x = T.tensor([1.0, 2.0], requires_grad=True)
        v = T.tensor([1.0, 1.0], requires_grad=True)
        g, = T.autograd.grad(Sq.apply(x), x, v, create_graph=True)
        assert g.grad_fn.name() == "torch::autograd::Error"
        with pytest.raises(RuntimeError, match="marked with @once_differentiable"):
            (g.sum() * x.sum()).backward()
        g, = T.autograd.grad(Sq.apply(x).sum(), x)  # first order: as without the decorator
        assert g.tolist() == [2.0, 4.0]
