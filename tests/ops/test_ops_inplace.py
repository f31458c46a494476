"""In-place ops against torch: values, gradients through the rewritten history, version
counters, the leaf rule, dtype rules; and the one deliberate limit (an in-place op on a view while
autograd records raises NotImplementedError; see docs/ops.md)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check, check_double, check_raises
from ops_data import data

X = data("halves", (3, 4), np.float64)
Y = data("pos", (3, 4), np.float64, seed=1)

INPLACE = [
    ("add_", lambda T, y, o: y.add_(o)), ("add_alpha", lambda T, y, o: y.add_(o, alpha=-2)),
    ("add_scalar", lambda T, y, o: y.add_(1.5)), ("sub_", lambda T, y, o: y.sub_(o)),
    ("sub_alpha", lambda T, y, o: y.sub_(o, alpha=0.5)), ("mul_", lambda T, y, o: y.mul_(o)),
    ("mul_scalar", lambda T, y, o: y.mul_(-3)), ("div_", lambda T, y, o: y.div_(o)),
    ("div_scalar", lambda T, y, o: y.div_(4)), ("iadd", lambda T, y, o: y.__iadd__(o)),
    ("isub", lambda T, y, o: y.__isub__(o)), ("imul", lambda T, y, o: y.__imul__(o)),
    ("itruediv", lambda T, y, o: y.__itruediv__(o)),
    ("zero_", lambda T, y, o: y.zero_()), ("fill_", lambda T, y, o: y.fill_(2.5)),
    ("fill_tensor", lambda T, y, o: y.fill_(o[0, 0])),
    ("clamp_", lambda T, y, o: y.clamp_(-0.5, 0.5)),
    ("clamp_min_", lambda T, y, o: y.clamp_(min=0.0)),
    ("clamp_tensor_", lambda T, y, o: y.clamp_(max=o)),
    ("clip_", lambda T, y, o: y.clip_(-1, 0)), ("copy_", lambda T, y, o: y.copy_(o)),
    ("copy_bcast", lambda T, y, o: y.copy_(o[0])), ("pow_", lambda T, y, o: y.pow_(2)),
    ("exp_", lambda T, y, o: y.exp_()), ("relu_", lambda T, y, o: y.relu_()),
    ("neg_", lambda T, y, o: y.neg_()), ("sqrt_", lambda T, y, o: y.abs_().add_(1).sqrt_()),
    ("abs_", lambda T, y, o: y.abs_()), ("sigmoid_", lambda T, y, o: y.sigmoid_()),
    ("tanh_", lambda T, y, o: y.tanh_()), ("masked_fill_", lambda T, y, o: y.masked_fill_(
        y > 0, 7.0)), ("masked_fill_t", lambda T, y, o: y.masked_fill_(y > 0, o[0, 0])),
    ("scatter_", lambda T, y, o: y.scatter_(1, T.tensor([[0], [1], [3]]), o[:, :1])),
    ("scatter_add_", lambda T, y, o: y.scatter_add_(0, T.tensor([[2, 2, 0, 1]]), o[:1])),
    ("floor_", lambda T, y, o: y.floor_()), ("round_", lambda T, y, o: y.round_()),
    ("square_", lambda T, y, o: y.square_()), ("sin_", lambda T, y, o: y.sin_()),
    ("log_", lambda T, y, o: y.abs_().add_(0.5).log_()),
    ("chain", lambda T, y, o: y.mul_(2).add_(o).clamp_(max=1.0)),
    ("lerp_", lambda T, y, o: y.lerp_(o, 0.25)), ("lerp_t", lambda T, y, o: y.lerp_(o, o / 4)),
    ("addcmul_", lambda T, y, o: y.addcmul_(o, o, value=0.5)),
    ("addcdiv_", lambda T, y, o: y.addcdiv_(o, o.abs() + 1, value=-1)),
]


@pytest.mark.parametrize("case", INPLACE, ids=[c[0] for c in INPLACE])
def test_inplace_on_non_leaf(case):
    """The history of the tensor is rewritten: gradients flow to its old history and to the
    other operand, exactly as in torch."""
    _, fn = case

    def run(T, x, o):
        y = x * 1.5
        r = fn(T, y, o)
        assert r is y  # in-place ops return self
        return y * o

    check(run, X, Y, grad_fn_name=False)


@pytest.mark.parametrize("case", INPLACE, ids=[c[0] for c in INPLACE])
def test_inplace_no_grad_on_leaf(case):
    """Under no_grad an in-place op may change a leaf (what optimizers do)."""
    _, fn = case
    res = {}
    for T in LIBS:
        x = T.tensor(X, requires_grad=True)
        o = T.tensor(Y)
        with T.no_grad():
            fn(T, x, o)
        assert x.is_leaf and x.requires_grad and x.grad_fn is None
        res[T] = x
    assert_close(res[mt], res[torch])


def test_version_counter_bumps():
    for T in LIBS:
        x = T.zeros(3)
        v0 = x._version
        x.add_(1)
        x[0] = 2.0
        x.mul_(2)
        assert x._version == v0 + 3
        y = x.view(3)
        y.add_(1)
        assert x._version == y._version == v0 + 4


def test_inplace_errors():
    check_raises(lambda T, x: x.add_(1), X)  # leaf requiring grad
    check_raises(lambda T, x: x.clamp_(0, 1), X)
    check_raises(lambda T, x: x.copy_(T.zeros(3, 4)), X)
    check_raises(lambda T: T.tensor([1, 2]).mul_(1.5))  # float result into int tensor
    check_raises(lambda T: T.tensor([1, 2]).div_(2))
    check_raises(lambda T: T.tensor([True]).add_(1))
    check_raises(lambda T, x: x.detach().add_(T.ones(2, 3, 4)), X)
    check_raises(lambda T, x: [(y := x * 1), (z := y * y), y.mul_(2), z.sum().backward()], X)
    check_raises(lambda T, x: x.clamp_(), X)


def test_int_inplace_keeps_dtype():
    res = {}
    for T in LIBS:
        x = T.tensor([1, 2, 3])
        x.add_(2)
        x.mul_(T.tensor([1, 0, 2]))
        x.sub_(1, alpha=2)
        x.clamp_(0, 4)
        x.fill_(x[0] + 1)
        f = T.tensor([1.5, 2.5])
        f.add_(T.tensor([1, 2]))  # int operand into float tensor
        f.mul_(True)
        res[T] = (x, f)
    for a, b in zip(res[mt], res[torch]):
        assert_close(a, b)


def _row_add(T, x):
    y = x * 2
    y[0].add_(1)
    return y


def _transposed_mul(T, x):
    y = x * 2
    y.t()[1].mul_(x[:, 2])
    return y


def _slice_imul(T, x):
    y = x * 3
    y[:, 1] *= 2
    return y


def _setitem_column(T, x):
    h = T.zeros(3, 4)
    h[:, 0] = (x * x)[:, 1]
    return h * x


def _mask_imul(T, x):
    y = x.clone()
    y[y > 0.5] *= 2
    return y


def _view_of_view(T, x):
    y = x.sin()
    v = y[1:]
    v[:, ::2].sub_(x[:2, :2] * 3)
    return y, v


def _view_then_read(T, x):
    y = x * 1
    v = y.view(2, 6)
    v.mul_(x.view(2, 6))  # the view's new history is a view of the rebased base
    return v.sum(0), y


def _diagonal_mul(T, x):
    y = x * 2
    y.diagonal(1).mul_(x[0, :3])  # a write through the diagonal lands in y
    return y


INPLACE_ON_VIEW = [_row_add, _transposed_mul, _slice_imul, _setitem_column, _mask_imul,
                   _view_of_view, _view_then_read, _diagonal_mul]


@pytest.mark.parametrize("fn", INPLACE_ON_VIEW, ids=[f.__name__ for f in INPLACE_ON_VIEW])
def test_inplace_on_a_view_rebases_the_base_history(fn):
    """torch's CopySlices: values, gradients, grad_fn names, and the double backward."""
    x = np.linspace(-1, 1, 12).reshape(3, 4)
    check(fn, x, grad_fn_name=True)
    check_double(fn, x)


def test_inplace_on_a_view_of_a_leaf_is_refused():
    check_raises(lambda T, x: x[0].add_(1), X)
    check_raises(lambda T, x: x.t().mul_(2), X)


def test_inplace_on_a_view_bumps_the_shared_version():
    # a value saved before the write is refused, as in torch
    check_raises(lambda T, x: [(y := x * 1), (z := y * y), y[0].mul_(2), z.sum().backward()],
                 X)
    check(lambda T, x: _setrow(x * 2), X)


def _setrow(y):
    y[0] = y[1] * 3
    return y


def test_grad_zero_and_optimizer_style_updates():
    res = {}
    for T in LIBS:
        w = T.tensor(X, requires_grad=True)
        for _ in range(3):
            loss = (w * T.tensor(Y)).sum() + (w * w).sum()
            loss.backward()
            with T.no_grad():
                w.sub_(0.1 * w.grad)
            w.grad.zero_()
        res[T] = w
    assert_close(res[mt], res[torch])


# The node an in-place op records is the out-of-place op's (clamp_min_ is clamp_min: torch names
# it ClampMinBackward0, not clamp's ClampBackward1).
INPLACE_NAMED = [
    ("add_", lambda y, o: y.add_(o)), ("mul_", lambda y, o: y.mul_(2)),
    ("exp_", lambda y, o: y.exp_()), ("clamp_", lambda y, o: y.clamp_(-0.5, 0.5)),
    ("clamp_min_", lambda y, o: y.clamp_min_(0.25)),
    ("clamp_max_", lambda y, o: y.clamp_max_(0.25)),
    ("clamp_min_tensor", lambda y, o: y.clamp_min_(o)), ("div_floor", lambda y, o: y.div_(
        o, rounding_mode="floor")), ("pow_tensor", lambda y, o: y.abs_().pow_(o)),
]


@pytest.mark.parametrize("case", INPLACE_NAMED, ids=[c[0] for c in INPLACE_NAMED])
def test_inplace_grad_fn_names(case):
    _, fn = case
    names = []
    for T in LIBS:
        y = T.tensor(X, requires_grad=True) * 1.0
        fn(y, T.tensor(Y))
        names.append((y.grad_fn.name(), type(y.grad_fn).__name__))
    assert names[0] == names[1]
