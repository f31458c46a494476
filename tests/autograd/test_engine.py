"""The engine and Tensor's autograd API against torch: accumulation, retain_graph, hooks,
retain_grad, autograd.grad, custom Functions, version counters, and their errors."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check, check_raises, rand


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_shared_subexpression_accumulates(dtype):
    x = rand(3, 4, dtype=dtype)
    check(lambda T, x: (x * x + x.exp() * x).sum(), x)


def test_leaf_grad_accumulates_across_backward_calls():
    for T in LIBS:
        x = T.tensor([1.0, 2.0], requires_grad=True)
        (x * 3).sum().backward()
        g = x.grad
        (x * x).sum().backward()
        assert g is x.grad  # the same Tensor object, updated in place
    xs = {}
    for T in LIBS:
        x = T.tensor([1.0, 2.0], requires_grad=True)
        (x * 3).sum().backward()
        (x * x).sum().backward()
        xs[T] = x.grad
    assert_close(xs[mt], xs[torch])


def test_accumulation_into_an_unshared_grad_is_in_place():
    """A second backward adds into .grad's own array (torch's AccumulateGrad does ``+=``), for
    a plain array and for Linear's weight (TBackward0's unshared view); .grad's version goes up
    by one per accumulation, as torch's (x gets two gradients per backward, summed first as
    torch sums them: one accumulation each)."""
    results = {}
    for T in LIBS:
        T.manual_seed(0)
        lin = T.nn.Linear(3, 4)
        x = T.tensor([1.0, 2.0, 4.0], requires_grad=True)
        for i in range(3):
            (lin(x * x) * (i + 1)).sum().backward()
            if i == 0:
                arrays = (x.grad.data_ptr(), lin.weight.grad.data_ptr())
        assert (x.grad.data_ptr(), lin.weight.grad.data_ptr()) == arrays
        results[T] = (x.grad, lin.weight.grad, x.grad._version, lin.weight.grad._version)
    assert_close(results[mt][0], results[torch][0], "x grad")
    assert_close(results[mt][1], results[torch][1], "weight grad")
    assert results[mt][3] == results[torch][3] == 2
    assert results[mt][2] == results[torch][2]


def test_accumulation_never_writes_into_an_array_still_in_flight():
    """y = x + z hands one array to x (as x.grad) and to z's node; x's next gradient (from p)
    arrives before z's node has read that array, so it must not be added in place."""
    grads = {}
    for T in LIBS:
        x = T.tensor([1.0, 2.0], requires_grad=True)
        z = x * 3
        p = x * 7
        y = x + z
        (y + p).sum().backward()
        grads[T] = x.grad
    assert grads[mt].tolist() == [11.0, 11.0]
    assert_close(grads[mt], grads[torch])


def test_accumulation_beside_a_held_view_gives_torchs_values():
    """.grad's array held elsewhere (a view, .numpy()): the sum still lands in .grad."""
    for T in LIBS:
        x = T.tensor([1.0, 2.0], requires_grad=True)
        (x * 2).sum().backward()
        held = (x.grad.view(2), x.grad.detach())
        (x * 3).sum().backward()
        assert x.grad.tolist() == [5.0, 5.0] and x.grad._version == 1
        assert len(held) == 2


def test_one_array_to_two_leaves_is_not_shared():
    a = mt.tensor([1.0, 2.0], requires_grad=True)
    b = mt.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    a.grad.mul_(10)
    assert b.grad.tolist() == [1.0, 1.0]


def test_linear_weight_grad_is_contiguous_and_owned():
    """addmm(b, x, W.t()): W's gradient arrives as TBackward0's transpose of a fresh array in
    W's layout (torch's mm_mat2_backward), which .grad takes without a copy; it is contiguous,
    as torch's."""
    grads = {}
    for T in LIBS:
        T.manual_seed(0)
        lin = T.nn.Linear(3, 4)
        x = T.tensor(np.arange(15, dtype=np.float32).reshape(5, 3))
        lin(x).sum().backward()
        assert lin.weight.grad.is_contiguous()
        grads[T] = lin.weight.grad
    assert_close(grads[mt], grads[torch], "weight grad")
    g = grads[mt]._data
    assert g.base is not None and np.may_share_memory(g, g.base)  # the view, not a copy
    assert grads[mt].tolist() == [[30.0, 35.0, 40.0]] * 4


@pytest.mark.parametrize("T", LIBS, ids=lambda T: T.__name__)
def test_view_of_a_held_array_becomes_a_copy(T):
    """A backward that returns a view of an array someone still holds (here the caller's
    gradient, transposed by TBackward0) must not become .grad as is: changing the caller's
    array afterwards leaves .grad alone."""
    w = T.zeros(2, 3, requires_grad=True)
    seed = T.ones(3, 2)
    w.t().backward(seed)
    seed.mul_(5)
    assert w.grad.tolist() == [[1.0, 1.0, 1.0]] * 2
    w.grad = None
    u = T.zeros(2, 3, requires_grad=True)
    y = w.t() + u.t()         # AddBackward0 gives both TBackward0 nodes one array
    y.backward(T.ones(3, 2))
    w.grad.add_(1)
    assert u.grad.tolist() == [[1.0, 1.0, 1.0]] * 2


def test_retain_graph_and_second_backward_error():
    for T in LIBS:
        x = T.tensor([1.0, 2.0], requires_grad=True)
        y = x.exp().sum()
        y.backward(retain_graph=True)
        y.backward()
        assert np.allclose(x.grad.numpy(), 2 * np.exp([1.0, 2.0]))
    check_raises(lambda T, x: [(y := x.exp().sum()).backward(), y.backward()], rand(3))


def test_backward_errors():
    check_raises(lambda T, x: (x * 2).backward(), rand(3))
    check_raises(lambda T: T.ones(3).sum().backward())
    check_raises(lambda T, x: (x * 2).backward(T.ones(4)), rand(3))


def test_version_counter_error():
    def fn(T, x):
        y = x * 1
        z = y.exp()
        y.mul_(2)  # exp saved its output, not y: fine
        w = z * z
        z.add_(1)  # w's backward needs z
        w.sum().backward()
    check_raises(fn, rand(3))


def test_leaf_inplace_error():
    check_raises(lambda T, x: x.add_(1), rand(3))


def test_inplace_on_nonleaf_rebases_history():
    check(lambda T, x: (lambda y: (y.mul_(3), y.add_(x))[1])(x * x), rand(4))


def test_setitem_gradients_flow_to_both_sides():
    def fn(T, x, v):
        y = x * 1
        y[1:3] = v * 2
        return y
    check(fn, rand(5), rand(2, seed=1))


def test_hooks_and_retain_grad():
    seen = {}
    for T in LIBS:
        x = T.tensor([1.0, -2.0, 3.0], requires_grad=True)
        x.register_hook(lambda g: g * 2)
        y = x * x
        y.retain_grad()
        h = y.register_hook(lambda g: g + 1)
        y.sum().backward()
        seen[T] = (x.grad, y.grad)
        h.remove()
    assert_close(seen[mt][0], seen[torch][0])
    assert_close(seen[mt][1], seen[torch][1])


def test_autograd_grad_does_not_touch_dot_grad():
    res = {}
    for T in LIBS:
        x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
        w = T.tensor([0.5, 0.5, 2.0], requires_grad=True)
        y = (x * w).exp().sum()
        gx, = T.autograd.grad(y, x, retain_graph=True)
        assert x.grad is None and w.grad is None
        gy, = T.autograd.grad(y, [y])
        res[T] = (gx, gy)
    assert_close(res[mt][0], res[torch][0])
    assert_close(res[mt][1], res[torch][1])
    check_raises(lambda T, x, z: T.autograd.grad((x * 2).sum(), [x, z]), rand(2), rand(2))


def test_custom_function_runs_unchanged():
    def run(T):
        class Cube(T.autograd.Function):
            @staticmethod
            def forward(ctx, x, k):
                ctx.save_for_backward(x)
                ctx.k = k
                return x ** 3 * k

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return g * 3 * x ** 2 * ctx.k, None

        x = T.tensor([1.0, -2.0, 0.5], requires_grad=True)
        y = Cube.apply(x, 2.0)
        y.sum().backward()
        return y, x.grad, y.grad_fn.name()

    ours, theirs = run(mt), run(torch)
    assert_close(ours[0], theirs[0])
    assert_close(ours[1], theirs[1])
    assert ours[2] == theirs[2]


def test_no_grad_and_set_grad_enabled():
    for T in LIBS:
        x = T.ones(2, requires_grad=True)
        with T.no_grad():
            assert not (x * 2).requires_grad
            with T.enable_grad():
                assert (x * 2).requires_grad

        @T.no_grad()
        def f(x):
            return x * 2
        assert not f(x).requires_grad
        with T.set_grad_enabled(False):
            assert not (x * 2).requires_grad
        assert T.is_grad_enabled()


def test_requires_grad_errors():
    check_raises(lambda T: T.ones(3, dtype=T.int64, requires_grad=True))
    check_raises(lambda T, x: (x * 2).requires_grad_(False), rand(3))
    check_raises(lambda T: T.ones(3).item())


def test_gradcheck_accepts_correct_and_rejects_wrong_gradients():
    x = mt.tensor(rand(3, dtype=np.float64), requires_grad=True)
    assert mt.autograd.gradcheck(lambda x: (x * x).exp(), (x,))

    class Wrong(mt.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g  # should be 2 x g

    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        mt.autograd.gradcheck(Wrong.apply, (x,))


def _nonleaf_inputs(T) -> list:
    log = []
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    log.append(T.autograd.grad((y * 3).sum(), y)[0])
    # the first call captured y's gradient before y's node: that node was neither run nor freed
    log.append(T.autograd.grad((y * 2).sum(), x)[0])
    y2 = x.exp()
    w = y2 * x
    log.extend(T.autograd.grad(w.sum(), [y2, x], retain_graph=True))
    w.sum().backward(inputs=[y2], retain_graph=True)  # a non-leaf input gets .grad, as torch
    log += [x.grad, y2.grad, y2.retains_grad]
    w.sum().backward(inputs=[y2])
    log.append(y2.grad)
    return log


def test_gradients_of_non_leaf_inputs_stop_at_the_input():
    ours, theirs = _nonleaf_inputs(mt), _nonleaf_inputs(torch)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if isinstance(b, torch.Tensor):
            assert_close(a, b)
        else:
            assert a == b


def test_retained_grad_is_replaced_and_leaf_grad_updated_in_place():
    same = {}
    for T in LIBS:
        x = T.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.retain_grad()
        y.sum().backward(retain_graph=True)
        gy, gx = y.grad, x.grad
        y.sum().backward()
        same[T] = (gy is y.grad, gx is x.grad, gy.tolist(), y.grad.tolist())
    assert same[mt] == same[torch]


def _held_grad_case(T, case):
    """A leaf whose .grad is then accumulated into by a second backward, and what the caller
    holds of it: (leaf, held tensors)."""
    p = T.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    if case == "own grad, a view held":
        (p * 2).sum().backward()
        return p, (p.grad[1], p.grad.t(), p.grad.detach())
    if case == "own grad, numpy held":
        (p * 2).sum().backward()
        return p, (T.from_numpy(p.grad.numpy()),)
    big = T.arange(18.0).reshape(3, 6)
    if case == "assigned a row block of another tensor":
        p.grad = big[1:, ::2]
    elif case == "assigned a transposed tensor":
        big = T.arange(6.0).reshape(3, 2)
        p.grad = big.t()
    elif case == "assigned a plain tensor":
        big = T.full((2, 3), 0.5)
        p.grad = big
    return p, (big,)


@pytest.mark.parametrize("case", ["own grad, a view held", "own grad, numpy held",
                                  "assigned a row block of another tensor",
                                  "assigned a transposed tensor", "assigned a plain tensor"])
def test_accumulation_writes_into_the_existing_grad(case):
    """Outside create_graph torch's AccumulateGrad does ``grad += new_grad`` on the existing
    .grad: the same Tensor, and whatever shares its memory (a view or .numpy() the caller kept,
    the base of a view assigned to .grad) sees the sum; versions go up through the shared
    counter."""
    out = {}
    for T in LIBS:
        p, held = _held_grad_case(T, case)
        g = p.grad
        versions = [h._version for h in held]
        (p * p.detach()).sum().backward()
        assert g is p.grad
        out[T] = (p.grad, held, [h._version - v for h, v in zip(held, versions)])
    assert_close(out[mt][0], out[torch][0], "grad")
    for ours, theirs in zip(out[mt][1], out[torch][1]):
        assert_close(ours, theirs, "held")
    assert out[mt][2] == out[torch][2]


def test_accumulation_into_an_expanded_grad_raises():
    """An expanded .grad cannot take ``+=``: torch's overlap error, .grad left as it was."""
    check_raises(lambda T: _expanded_grad_backward(T))
    for T in LIBS:
        p = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
        p.grad = T.zeros(1).expand(3)
        with pytest.raises(RuntimeError):
            (p * 2).sum().backward()
        assert p.grad.tolist() == [0.0, 0.0, 0.0]


def _expanded_grad_backward(T):
    p = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    p.grad = T.zeros(1).expand(3)
    (p * 2).sum().backward()


@pytest.mark.parametrize("T", LIBS, ids=lambda T: T.__name__)
def test_accumulation_under_create_graph_replaces_the_grad(T):
    """With create_graph torch adds out of place (``grad = grad + new_grad``): a new Tensor
    with history, and the old one (and what views it) keeps its values."""
    p = T.tensor([1.0, 2.0], requires_grad=True)
    (p * 2).sum().backward()
    g, v = p.grad, p.grad[0]
    (p * p).sum().backward(create_graph=True)
    assert g is not p.grad and p.grad.grad_fn is not None
    assert g.tolist() == [2.0, 2.0] and v.item() == 2.0
    assert p.grad.tolist() == [4.0, 6.0]
