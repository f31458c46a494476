"""torch's activation backward functions as ops of their own (``threshold_backward``,
``tanh_backward``, ``sigmoid_backward``, and in ``nn/functional/_activation_derivatives.py`` the
others). Under create_graph an activation's gradient is one of these ops of (grad_output,
self or result), as in torch: its node is torch's (``ThresholdBackwardBackward0``, ...), its
edges torch's inputs in torch's order (``None`` for one that needs no gradient), and its own
backward torch's formula (derivatives.yaml), written with the library's ops, so that the graphs
of the second and third derivatives are torch's node for node.

An op's ``gradient`` is the activation's own ndarray kernel: a recorded gradient has the values
of the plain backward."""
from __future__ import annotations

import numpy as np

from .._tensor import _new_tensor
from ..autograd.function import ArrayFunction
from ..autograd.graph_array import unwrap, wrap
from ._util import mul_scalar, zero_where


def recorded(a) -> bool:
    """Whether ``a`` is a GraphArray: a value of a backward recorded under create_graph."""
    return getattr(type(a), "graph_array", False)


class BackwardOp(ArrayFunction):
    """An activation's gradient ``gradient(g, x, *args)`` as one op of g and x (x its input or
    output); subclasses give ``gradient`` (on ndarrays) and ``x_derivative`` (torch's formula
    for x). The gradient is linear in g, so its derivative for g is the op itself on the
    incoming gradient, computed first, as torch's (grad_output's formula before the other's)."""

    @classmethod
    def call(cls, g, x, *args):
        """The gradient; recorded as this op where g or x is recorded (create_graph)."""
        if type(x) is not np.ndarray or type(g) is not np.ndarray:     # (the rare case)
            if recorded(g) or recorded(x):
                return wrap(cls.apply(unwrap(g), unwrap(x), *args))
        return cls.gradient(g, x, *args)

    @classmethod
    def forward(cls, ctx, g, x, *args):
        ctx.save_for_backward(g, x)
        ctx.args = args
        return cls.gradient(g, x, *args)

    @classmethod
    def backward(cls, ctx, gg):
        g, x = ctx.saved_tensors
        dg = cls.call(gg, x, *ctx.args) if ctx.needs_input_grad[0] else None
        dx = cls.x_derivative(gg, g, x, *ctx.args) if ctx.needs_input_grad[1] else None
        return (dg, dx) + (None,) * len(ctx.args)


class PiecewiseLinearBackward(BackwardOp):
    """The backward of an activation whose gradient is g times a piecewise-constant slope of x
    (relu, threshold, hardtanh, leaky_relu, rrelu, the shrinks): linear in g, constant in x.
      d/dg = the same op applied to the incoming gradient;  d/dx = zeros_like(grad)"""

    @staticmethod
    def x_derivative(gg, g, x, *args):
        return np.zeros_like(g.t._data if recorded(g) else g)


class ThresholdBackward(PiecewiseLinearBackward):
    """torch's threshold_backward(g, x, threshold) = g where x > threshold, else 0 (relu's
    with x its result and threshold 0)."""

    _backward_name = "ThresholdBackwardBackward0"

    @staticmethod
    def gradient(g, x, threshold):
        return zero_where(g, x <= threshold)


class TanhBackward(BackwardOp):
    """torch's tanh_backward(g, y) = g (1 - y^2), y = tanh(x) (float16: in float32, rounded
    once, as torch's kernel).
      d/dg = tanh_backward(gg, y);  d/dy = gg (-2 y g)"""

    _backward_name = "TanhBackwardBackward0"

    @staticmethod
    def gradient(g, y):
        if y.dtype == np.float16:
            y = y.astype(np.float32)
            return (g.astype(np.float32) * (1 - y * y)).astype(np.float16)
        return g * (1 - y * y)

    @staticmethod
    def x_derivative(gg, g, y):
        return gg * (mul_scalar(y, -2) * g)


class SigmoidBackward(BackwardOp):
    """torch's sigmoid_backward(g, y) = g (1 - y) y, y = sigmoid(x), in that order (float16:
    each product rounded, as torch's kernel).
      d/dg = sigmoid_backward(gg, y);  d/dy = gg g (-2 y + 1)"""

    _backward_name = "SigmoidBackwardBackward0"

    @staticmethod
    def gradient(g, y):
        return g * (1 - y) * y

    @staticmethod
    def x_derivative(gg, g, y):
        return gg * g * add_scalar(mul_scalar(y, -2), 1)


class _AddScalar(ArrayFunction):
    """at::add(Tensor, Scalar), as torch's C++ formulas add a number: node AddBackward1, whose
    one edge is the tensor's."""

    _backward_name = "AddBackward1"
    _listed_args = (0,)

    @staticmethod
    def forward(ctx, a, number):
        return a + number

    @staticmethod
    def backward(ctx, g):
        return g, None


class _SubScalar(ArrayFunction):
    """at::sub(Tensor, Scalar): node SubBackward1, one edge."""

    _backward_name = "SubBackward1"
    _listed_args = (0,)

    @staticmethod
    def forward(ctx, a, number):
        return a - number

    @staticmethod
    def backward(ctx, g):
        return g, None


def add_scalar(x, number):
    """``x + number`` where torch's formula adds a Scalar (AddBackward1 when recorded)."""
    return wrap(_AddScalar.apply(unwrap(x), number)) if recorded(x) else x + number


def sub_scalar(x, number):
    """``x - number`` where torch's formula subtracts a Scalar (SubBackward1 when recorded)."""
    return wrap(_SubScalar.apply(unwrap(x), number)) if recorded(x) else x - number


def constant(a):
    """An ndarray as a Tensor without history (a ``None`` edge of the op it enters)."""
    return _new_tensor(np.asarray(a))
