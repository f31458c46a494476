"""Tensor's op methods and operators (minitorch_ref/_tensor_methods.py): each method is its public
function, so a method and its function cannot drift apart; operators record what their function
records; and methods take no ``out=``, as torch's do."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, check_raises
from minitorch_ref._tensor_methods import METHODS

FUNCTIONS = sorted(name for name, fn in METHODS.items()
                   if getattr(fn, "__module__", "") != "minitorch_ref._tensor_methods"
                   and callable(getattr(mt, name, None)) and getattr(mt, name) is fn)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_the_method_is_the_function(name):
    fn = getattr(mt, name)
    assert getattr(mt.Tensor, name) is getattr(fn, "without_out", fn)


def test_the_table_covers_the_op_methods():
    assert len(FUNCTIONS) > 150  # (the rest are operators, in-place methods and adapters)
    assert set(METHODS) <= set(dir(mt.Tensor))


X = np.array([[0.5, -1.5, 2.0], [1.0, 0.25, -0.75]])
OPERATORS = [  # (operator, the function torch runs for it)
    ("add", lambda T, a, b: a + b, lambda T, a, b: T.add(a, b)),
    ("radd", lambda T, a, b: 2 + a, lambda T, a, b: T.add(a, 2)),
    ("sub", lambda T, a, b: a - b, lambda T, a, b: T.sub(a, b)),
    ("rsub", lambda T, a, b: 2 - a, lambda T, a, b: T.rsub(a, 2)),
    ("mul", lambda T, a, b: a * b, lambda T, a, b: T.mul(a, b)),
    ("truediv", lambda T, a, b: a / b, lambda T, a, b: T.div(a, b)),
    ("pow", lambda T, a, b: a.abs() ** b, lambda T, a, b: T.pow(a.abs(), b)),
    ("rpow", lambda T, a, b: 2 ** a, lambda T, a, b: T.pow(2, a)),
    ("matmul", lambda T, a, b: a @ b.T, lambda T, a, b: T.matmul(a, b.T)),
    ("neg", lambda T, a, b: -a, lambda T, a, b: T.neg(a)),
    ("abs", lambda T, a, b: abs(a), lambda T, a, b: T.abs(a)),
    ("mod", lambda T, a, b: a % b, lambda T, a, b: T.remainder(a, b)),
]


@pytest.mark.parametrize("case", OPERATORS, ids=[c[0] for c in OPERATORS])
def test_an_operator_records_its_function(case):
    _, operator, function = case
    for T in LIBS:
        a = T.tensor(X, requires_grad=True)
        b = T.tensor(X[::-1].copy() + 3, requires_grad=True)
        by_op, by_fn = operator(T, a, b), function(T, a, b)
        assert by_op.grad_fn.name() == by_fn.grad_fn.name()
        assert type(by_op.grad_fn).__name__ == type(by_fn.grad_fn).__name__
        np.testing.assert_array_equal(by_op.detach().numpy(), by_fn.detach().numpy())


METHOD_CALLS = [
    ("exp", lambda T, x, o: x.exp(out=o)), ("add", lambda T, x, o: x.add(x, out=o)),
    ("sum", lambda T, x, o: x.sum(out=o)), ("clamp", lambda T, x, o: x.clamp(0, 1, out=o)),
    ("max", lambda T, x, o: x.max(out=o)), ("matmul", lambda T, x, o: x.matmul(x.T, out=o)),
    ("cumsum", lambda T, x, o: x.cumsum(0, out=o)), ("exp_", lambda T, x, o: x.exp_(out=o)),
    ("softmax", lambda T, x, o: x.softmax(0, out=o)),
]


@pytest.mark.parametrize("case", METHOD_CALLS, ids=[c[0] for c in METHOD_CALLS])
def test_methods_take_no_out(case):
    _, fn = case
    check_raises(lambda T, x: fn(T, x, T.empty(0)), X.astype(np.float32),
                 match="unexpected keyword argument 'out'")

