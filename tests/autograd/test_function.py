"""Custom ``autograd.Function`` against torch (the same class body runs in both libraries:
save_for_backward, needs_input_grad, mark_non_differentiable, set_materialize_grads, mark_dirty,
multiple outputs, non-tensor arguments, keyword arguments, the errors), and ``gradcheck``."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check, check_raises

X = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=np.float64)
Y = np.array([[1.0, 2.0, -1.0], [0.5, -0.5, 3.0]], dtype=np.float64)


def make_functions(T):
    """The same custom Functions, written once against library ``T``'s API."""
    seen = {}

    class Cube(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 3 * x ** 2 * g

    class MulAdd(T.autograd.Function):
        """x * y + k, with a non-tensor argument and needs_input_grad."""

        @staticmethod
        def forward(ctx, x, y, k):
            ctx.save_for_backward(x, y)
            ctx.k = k
            seen["needs"] = ctx.needs_input_grad
            return x * y + k

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            gx = g * y if ctx.needs_input_grad[0] else None
            gy = g * x if ctx.needs_input_grad[1] else None
            return gx, gy, None

    class SortWithIndex(T.autograd.Function):
        """Two outputs, the second non-differentiable."""

        @staticmethod
        def forward(ctx, x):
            values, idx = x.sort(dim=-1)
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(idx)
            return values, idx

        @staticmethod
        def backward(ctx, g, g_idx):
            idx, = ctx.saved_tensors
            seen["g_idx"] = g_idx
            return T.zeros_like(g).scatter(-1, idx, g)

    class Split2(T.autograd.Function):
        """Two differentiable outputs; with materialize_grads off, an unused one gives None."""

        @staticmethod
        def forward(ctx, x, materialize):
            ctx.set_materialize_grads(materialize)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, ga, gb):
            seen["grads"] = (ga is None, gb is None)
            total = 0
            if ga is not None:
                total = total + 2 * ga
            if gb is not None:
                total = total + 3 * gb
            return total, None

    class Scale(T.autograd.Function):
        """A keyword argument reaches forward (bound positionally: backward then returns a
        gradient slot for it too)."""

        @staticmethod
        def forward(ctx, x, factor=2.0, shift=0.0):
            ctx.factor = factor
            return x * factor + shift

        @staticmethod
        def backward(ctx, g):
            return g * ctx.factor, None, None

    class ScaleOneGrad(T.autograd.Function):
        @staticmethod
        def forward(ctx, x, factor=2.0):
            ctx.factor = factor
            return x * factor

        @staticmethod
        def backward(ctx, g):
            return g * ctx.factor

    class AddOneInplace(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    class Identity(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 5

    return dict(Cube=Cube, MulAdd=MulAdd, SortWithIndex=SortWithIndex, Split2=Split2,
                Scale=Scale, ScaleOneGrad=ScaleOneGrad, AddOneInplace=AddOneInplace,
                Identity=Identity, seen=seen)


FN = {T: make_functions(T) for T in LIBS}


def test_save_for_backward_and_names():
    out = check(lambda T, x: FN[T]["Cube"].apply(x), X)
    assert out[0].grad_fn.name() == out[1].grad_fn.name() == "CubeBackward"
    assert type(out[0].grad_fn).__name__ == type(out[1].grad_fn).__name__


@pytest.mark.parametrize("which", ["both", "x", "y"])
def test_needs_input_grad_and_non_tensor_args(which):
    def fn(T, x, y):
        x.requires_grad_(which in ("both", "x"))
        y.requires_grad_(which in ("both", "y"))
        return FN[T]["MulAdd"].apply(x, y, 0.5)
    check(fn, X, Y)
    assert FN[mt]["seen"]["needs"] == FN[torch]["seen"]["needs"]


def test_mark_non_differentiable_multiple_outputs():
    res = check(lambda T, x: FN[T]["SortWithIndex"].apply(x), X)
    ours, theirs = res
    assert not ours[1].requires_grad and not theirs[1].requires_grad
    assert ours[0].requires_grad
    # the non-differentiable output's gradient arrives materialized (zeros) or as torch gives
    for T in LIBS:
        g = FN[T]["seen"]["g_idx"]
        assert g is None or not g.any()


@pytest.mark.parametrize("materialize", [True, False])
def test_set_materialize_grads(materialize):
    check(lambda T, x: FN[T]["Split2"].apply(x, materialize)[0] * 1, X)
    assert FN[mt]["seen"]["grads"] == FN[torch]["seen"]["grads"] == (False, not materialize)
    check(lambda T, x: FN[T]["Split2"].apply(x, materialize), X)
    assert FN[mt]["seen"]["grads"] == FN[torch]["seen"]["grads"] == (False, False)


def test_keyword_arguments():
    check(lambda T, x: FN[T]["Scale"].apply(x, factor=0.5), X)
    check(lambda T, x: FN[T]["Scale"].apply(x, 3.0, shift=1.0), X)
    check(lambda T, x: FN[T]["Scale"].apply(x, shift=1.0, factor=-2.0), X)
    check_raises(lambda T, x: FN[T]["Scale"].apply(x, shift=0.5), X)
    check(lambda T, x: FN[T]["ScaleOneGrad"].apply(x), X)
    check_raises(lambda T, x: FN[T]["ScaleOneGrad"].apply(x, factor=-1.5).sum().backward(), X)


def test_mark_dirty():
    res = {}
    for T in LIBS:
        x = T.tensor(X, requires_grad=True)
        y = x * 1
        v = y._version
        z = FN[T]["AddOneInplace"].apply(y)
        assert z is y and y._version > v
        (z * z).sum().backward()
        res[T] = (z, x.grad)
    for a, b in zip(res[mt], res[torch]):
        assert_close(a, b)


def test_input_returned_unchanged():
    check(lambda T, x: FN[T]["Identity"].apply(x), X)
    for T in LIBS:
        x = T.tensor(X, requires_grad=True)
        y = FN[T]["Identity"].apply(x)
        assert y is not x and y.grad_fn is not None


def test_saved_tensors_freed_after_backward():
    def fn(T, x):
        y = FN[T]["Cube"].apply(x)
        y.sum().backward()
        return y.grad_fn.saved_tensors
    check_raises(fn, X)
    grads = {}
    for T in LIBS:
        x = T.tensor(X, requires_grad=True)
        y = FN[T]["Cube"].apply(x)
        y.sum().backward(retain_graph=True)
        y.sum().backward()
        grads[T] = x.grad
    assert_close(grads[mt], grads[torch])


def test_function_errors():
    def wrong_count(T, x):
        class F(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g * 2, g
        F.apply(x).sum().backward()

    def wrong_shape(T, x):
        class H(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return T.ones(7)
        H.apply(x).sum().backward()

    def no_backward(T, x):
        class N(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2
        N.apply(x).sum().backward()

    def version(T, x):
        y = x * 1
        z = FN[T]["Cube"].apply(y)
        y.mul_(2)
        z.sum().backward()

    check_raises(wrong_count, X)
    check_raises(wrong_shape, X)
    check_raises(no_backward, X)
    check_raises(version, X)


def test_no_grad_inside_forward_and_no_record_outside():
    for T in LIBS:
        class Probe(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                Probe.mode = T.is_grad_enabled()
                return x.clone()

            @staticmethod
            def backward(ctx, g):
                return g
        x = T.tensor(X, requires_grad=True)
        y = Probe.apply(x)
        assert Probe.mode is False and y.requires_grad
        with T.no_grad():
            z = Probe.apply(x)
        assert not z.requires_grad and z.grad_fn is None


# -- gradcheck ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fn", [
    lambda T, x, y: (x * y).sigmoid().sum(0), lambda T, x, y: T.maximum(x, y),
    lambda T, x, y: (x @ y.t()).tanh(), lambda T, x, y: x.softmax(-1) * y,
    lambda T, x, y: T.where(x > 0, x.exp(), y.abs()), lambda T, x, y: x.norm(dim=1) + y.var(),
    lambda T, x, y: T.cat([x, y]).logsumexp(0), lambda T, x, y: x[[0, 1, 1]].sum(0) * y[0],
    lambda T, x, y: FN[T]["Cube"].apply(x) + FN[T]["MulAdd"].apply(x, y, 1.0),
], ids=["sigmoid", "maximum", "matmul_tanh", "softmax", "where", "norm_var", "cat_lse",
        "index", "custom"])
def test_gradcheck_passes(fn):
    x = mt.tensor(X, requires_grad=True)
    y = mt.tensor(Y, requires_grad=True)
    assert mt.autograd.gradcheck(lambda a, b: fn(mt, a, b), (x, y))
    tx = torch.tensor(X, requires_grad=True)
    ty = torch.tensor(Y, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, b: fn(torch, a, b), (tx, ty))


def test_gradcheck_detects_a_wrong_backward():
    class Bad(mt.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 3

    x = mt.tensor(X, requires_grad=True)
    from minitorch_ref.autograd.gradcheck import GradcheckError
    with pytest.raises(GradcheckError, match="Jacobian mismatch for output 0 with respect to "
                                             "input 0"):
        mt.autograd.gradcheck(Bad.apply, (x,))
    assert mt.autograd.gradcheck(Bad.apply, (x,), raise_exception=False) is False


def test_gradcheck_non_contiguous_input_and_float32_warning():
    x = mt.tensor(X.T.copy(), requires_grad=True)
    xt = x.detach().t().requires_grad_()  # a transposed view as the checked input
    assert not xt.is_contiguous()
    assert mt.autograd.gradcheck(lambda a: (a * a).sum(1), (xt,))
    with pytest.warns(UserWarning, match="is not a double precision floating point"):
        mt.autograd.gradcheck(lambda a: a * 2, (mt.ones(2, requires_grad=True),), eps=1e-3,
                              atol=1e-2, rtol=1e-2)


def test_create_graph_through_a_custom_function_without_a_differentiable_backward():
    """A backward computing on .detach()ed values gives a first derivative only: torch and we
    agree that the second is then zero (the result does not depend on x through backward)."""
    import torch
    res = {}
    for T in (torch, mt):
        class Sq(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return g * 2 * x.detach()

        x = T.tensor(X, requires_grad=True)
        g, = T.autograd.grad(Sq.apply(x).sum(), x, create_graph=True)
        res[T] = (g.detach().numpy(), g.requires_grad)
    np.testing.assert_allclose(res[mt][0], res[torch][0])
    assert res[mt][1] == res[torch][1]


def test_qualified_node_names_as_torch():
    """torch qualifies some node names (name() 'torch::autograd::CopyBackwards') while the
    class, and so repr, carries the last part only."""
    import numpy as np
    import torch

    import minitorch_ref as mt
    got = []
    for T in (torch, mt):
        x = T.ones(2, requires_grad=True)
        o = T.empty(2)
        o.copy_(x * 2)
        b = T.bincount(T.tensor([0, 1]), x)
        got.append((o.grad_fn.name(), type(o.grad_fn).__name__, repr(o), b.grad_fn.name(),
                    type(b.grad_fn).__name__, repr(b)))
    assert got[1] == got[0]
    assert np.all(o.detach().numpy() == 2)
