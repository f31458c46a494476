"""The whole graph of an activation's derivatives against torch's: for the first, second and
third derivative (each taken with create_graph=True), every node below the result, walked
through ``grad_fn.next_functions`` with its edges in order, ``None`` for an input that needs no
gradient: names and structure, not only the last node. Also the three derivatives for an
incoming gradient that itself requires grad (the edges to it, and its own derivatives), and
prelu's for both inputs. Where torch defines no higher derivative (hardsigmoid) the error's
first line is compared.

Deep in these graphs a node's incoming gradients are summed in the order its producers ran
(AddBackward0's operands), which follows the order torch creates the nodes: its generated
backwards compute their inputs' gradients in the order of the arguments' names (other before
self), and its C++ formulas evaluate an operator's right operand first; the plain-arithmetic
cases at the end check that order where the activations' composites use it."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import derivative_trees, grad_fn_tree
from activation_cases import CASES

X = np.array([-1.5, -0.3, 0.4, 2.0, 0.0, 3.5])


def chains(T, fn, inputs, orders: int = 3):
    """The chains of fn's output and of its derivatives of order 1 to ``orders`` (each the
    gradient of the sum of the previous one)."""
    T.manual_seed(0)
    y = fn(T, *inputs)
    out = [grad_fn_tree(y.grad_fn)]
    try:
        grads = T.autograd.grad(y.sum(), inputs, create_graph=True, allow_unused=True)
    except RuntimeError as e:
        return out + [str(e).splitlines()[0]]
    return out + derivative_trees(T, grads, inputs, orders)


# every case: each activation out of place and in place, with its arguments' variants
ALL = list(CASES)


def upstream_chains(T, fn, inputs, orders: int = 3):
    """The chains of the derivatives of order 1 to ``orders`` for an incoming gradient v that
    requires grad: the first the inputs' gradients for v, each next the gradient of the sum of
    the previous ones with respect to the inputs and v."""
    T.manual_seed(0)
    y = fn(T, *inputs)
    v = T.tensor(np.linspace(0.5, 1.5, y.numel()).reshape(tuple(y.shape)), dtype=y.dtype,
                 requires_grad=True)
    grads = T.autograd.grad(y, inputs, v, create_graph=True, allow_unused=True)
    return derivative_trees(T, grads, tuple(inputs) + (v,), orders)


def both(fn, make_inputs, walk=chains):
    return [walk(T, fn, make_inputs(T)) for T in (mt, torch)]


def _x(T, dtype=np.float64):
    return (T.tensor(X.astype(dtype), requires_grad=True),)


def _assert_orders(ours, theirs):
    for order, (a, b) in enumerate(zip(ours, theirs)):
        assert a == b, f"order {order}"
    assert len(ours) == len(theirs)


DTYPES = [np.float64, np.float32, np.float16]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ALL)
def test_derivative_chains(name, dtype):
    _assert_orders(*both(CASES[name], lambda T: _x(T, dtype)))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ALL)
def test_derivative_chains_upstream_grad(name, dtype):
    """(float16: products and quotients with a number in the formulas stay the Scalar
    overload's nodes, MulBackward1/DivBackward1, and a gradient computed in float32 is rounded
    inside its op, not by a cast node)"""
    _assert_orders(*both(CASES[name], lambda T: _x(T, dtype), upstream_chains))


def _prelu_inputs(x_shape, w_shape):
    def inputs(T):
        x = T.tensor(np.linspace(-3, 3, int(np.prod(x_shape))).reshape(x_shape),
                     requires_grad=True)
        return x, T.tensor(np.full(w_shape, -0.25), requires_grad=True)
    return inputs


PRELU_SHAPES = [((2, 3, 4), (3,)), ((2, 3, 4), (1,)), ((6,), (1,)), ((), ())]


@pytest.mark.parametrize("walk", [chains, upstream_chains], ids=["ones", "upstream"])
@pytest.mark.parametrize("x_shape, w_shape", PRELU_SHAPES)
def test_prelu_chains(x_shape, w_shape, walk):
    _assert_orders(*both(lambda T, x, w: T.nn.functional.prelu(x, w),
                         _prelu_inputs(x_shape, w_shape), walk))


# plain arithmetic the composites are written with (softsign x / (1 + |x|); gelu_tanh's
# x ** 3; glu's inputs stacked along the last dim)
COMPOSITES = {
    "x / x": lambda T, x: x / x,
    "x / (|x| + 1)": lambda T, x: x / (x.abs() + 1),
    "1 / x": lambda T, x: T.ones_like(x) / x,
    "x * |x| / x": lambda T, x: x * x.abs() / x,
    "x ** 3": lambda T, x: x ** 3,
    "0.5 * x ** 3 * x": lambda T, x: 0.5 * x ** 3 * x,
    "stack(-1)": lambda T, x: T.stack([x, x * x], -1) * T.stack([x, x], -1),
}


@pytest.mark.parametrize("walk", [chains, upstream_chains], ids=["ones", "upstream"])
@pytest.mark.parametrize("name", list(COMPOSITES))
def test_composite_chains(name, walk):
    _assert_orders(*both(COMPOSITES[name], _x, walk))
