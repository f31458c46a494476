"""Elementwise ops. Each class is one op: ``forward`` beside ``backward``, the derivative in the
docstring. ``g`` is the gradient flowing in (dL/d out). Broadcasting in forward needs nothing in
backward: the engine sums each gradient back to its input's shape.
"""
from __future__ import annotations

import numpy as np

from ..autograd.function import ArrayFunction
from ._util import Tensor, broadcast_shapes_or_raise, promote

__all__ = [
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide",
    "neg", "negative", "pow", "rsub", "exp", "log", "relu",
    "eq", "ne", "lt", "le", "gt", "ge",
]


def _binary(np_fn, a, b):
    """Apply a NumPy ufunc in torch's promoted dtype; a broadcast mismatch is torch's error."""
    a, b = promote(a, b)
    try:
        return np_fn(a, b)
    except ValueError:
        broadcast_shapes_or_raise(np.shape(a), np.shape(b))
        raise


# -- arithmetic ------------------------------------------------------------------------------------

class Add(ArrayFunction):
    """out = a + alpha * b.      dL/da = g,   dL/db = alpha * g."""

    _backward_name = "AddBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.alpha = alpha
        if alpha != 1:
            a, b = promote(a, b)
            return _binary(np.add, a, b * alpha)
        return _binary(np.add, a, b)

    @staticmethod
    def backward(ctx, g):
        return g, (g if ctx.alpha == 1 else g * ctx.alpha), None


class Sub(ArrayFunction):
    """out = a - alpha * b.      dL/da = g,   dL/db = -alpha * g."""

    _backward_name = "SubBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.alpha = alpha
        if alpha != 1:
            a, b = promote(a, b)
            return _binary(np.subtract, a, b * alpha)
        return _binary(np.subtract, a, b)

    @staticmethod
    def backward(ctx, g):
        gb = None
        if ctx.needs_input_grad[1]:
            gb = -g if ctx.alpha == 1 else g * -ctx.alpha
        return g, gb, None


class Mul(ArrayFunction):
    """out = a * b.      dL/da = g * b,   dL/db = g * a."""

    _backward_name = "MulBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        ctx.save_for_backward(a, b)
        return _binary(np.multiply, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        ga = g * b if ctx.needs_input_grad[0] else None
        gb = g * a if ctx.needs_input_grad[1] else None
        return ga, gb


class Div(ArrayFunction):
    """out = a / b (true division; integers give the default float dtype).
    dL/da = g / b,   dL/db = -g * a / b^2."""

    _backward_name = "DivBackward0"

    @staticmethod
    def forward(ctx, a, b, rounding_mode=None):
        a, b = promote(a, b)
        ctx.rounding_mode = rounding_mode
        if rounding_mode is None:
            if np.result_type(a, b).kind != "f":
                from .._dtype import get_default_dtype
                a = np.asarray(a).astype(get_default_dtype().np)
            ctx.save_for_backward(a, b)
            return _binary(np.true_divide, a, b)
        if rounding_mode == "trunc":
            q = _binary(np.true_divide, a, b)
            if np.asarray(q).dtype.kind == "f":
                return np.trunc(q)
            return _trunc_int_div(np.asarray(a), b)
        if rounding_mode == "floor":
            return _binary(np.floor_divide, a, b)
        raise RuntimeError(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'")

    @staticmethod
    def backward(ctx, g):
        if ctx.rounding_mode is not None:  # piecewise constant: zero gradient, as in torch
            return np.zeros_like(g), np.zeros_like(g), None
        a, b = ctx.saved_tensors
        ga = g / b if ctx.needs_input_grad[0] else None
        gb = -g * a / (b * b) if ctx.needs_input_grad[1] else None
        return ga, gb, None


def _trunc_int_div(a, b):
    q = np.floor_divide(a, b)
    fix = (np.remainder(a, b) != 0) & ((a < 0) != (np.asarray(b) < 0))
    return q + fix.astype(q.dtype)


class Neg(ArrayFunction):
    """out = -a.      dL/da = -g."""

    _backward_name = "NegBackward0"

    @staticmethod
    def forward(ctx, a):
        if a.dtype == np.bool_:
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are "
                "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        return np.negative(a)

    @staticmethod
    def backward(ctx, g):
        return -g


class Pow(ArrayFunction):
    """out = a ** b.
    dL/da = g * b * a^(b-1)   (torch: 0 where b == 0, so 0**0 has gradient 0)
    dL/db = g * out * log(a)  (torch: 0 where a == 0 and b >= 0)."""

    _backward_name = "PowBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        if np.asarray(a).dtype.kind in "iu" and np.any(np.asarray(b) < 0):
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        out = _binary(np.power, a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        ga = gb = None
        if ctx.needs_input_grad[0]:
            with np.errstate(divide="ignore", invalid="ignore"):
                ga = np.where(b == 0, 0.0, g * b * np.power(a, b - 1))
        if ctx.needs_input_grad[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = np.where((a == 0) & (b >= 0), 0.0, g * out * np.log(a))
        return ga, gb


# -- unary ---------------------------------------------------------------------------------------

def _float(a: np.ndarray) -> np.ndarray:
    """Unary float ops on integer tensors compute in the default float dtype, as torch does."""
    if a.dtype.kind in "f":
        return a
    from .._dtype import get_default_dtype
    return a.astype(get_default_dtype().np)


class Exp(ArrayFunction):
    """out = exp(a).      dL/da = g * out."""

    _backward_name = "ExpBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.exp(_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g * out


class Log(ArrayFunction):
    """out = log(a).      dL/da = g / a."""

    _backward_name = "LogBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return g / a


class Relu(ArrayFunction):
    """out = max(a, 0).      dL/da = g where a > 0, else 0   (relu'(0) = 0, as in torch)."""

    _backward_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.maximum(a, 0) if a.dtype != np.bool_ else a.copy()
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g * (out > 0)


def exp(input):
    return Exp.apply(input)


def log(input):
    return Log.apply(input)


def relu(input):
    return Relu.apply(input)


# -- comparisons: boolean results, never part of the graph -----------------------------------------

def _compare(np_fn, input, other) -> Tensor:
    from .._tensor import _new_tensor
    a = input._data if isinstance(input, Tensor) else input
    b = other._data if isinstance(other, Tensor) else other
    return _new_tensor(np.asarray(_binary(np_fn, a, b)))


def eq(input, other):
    return _compare(np.equal, input, other)


def ne(input, other):
    return _compare(np.not_equal, input, other)


def lt(input, other):
    return _compare(np.less, input, other)


def le(input, other):
    return _compare(np.less_equal, input, other)


def gt(input, other):
    return _compare(np.greater, input, other)


def ge(input, other):
    return _compare(np.greater_equal, input, other)


# -- the public functions --------------------------------------------------------------------------

def add(input, other, *, alpha=1, out=None):
    return _maybe_out(Add.apply(input, other, alpha), out)


def sub(input, other, *, alpha=1, out=None):
    return _maybe_out(Sub.apply(input, other, alpha), out)


subtract = sub


def rsub(input, other, *, alpha=1):
    return Sub.apply(other, input, alpha)


def mul(input, other, *, out=None):
    return _maybe_out(Mul.apply(input, other), out)


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    return _maybe_out(Div.apply(input, other, rounding_mode), out)


divide = div


def true_divide(dividend, divisor):
    return Div.apply(dividend, divisor, None)


def floor_divide(input, other):
    return Div.apply(input, other, "floor")


def neg(input):
    return Neg.apply(input)


negative = neg


def pow(input, exponent):  # noqa: A001 - torch's name
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        raise TypeError("pow() expects a Tensor as input or exponent")
    return Pow.apply(input, exponent)


def _maybe_out(result, out):
    if out is None:
        return result
    out.copy_(result)
    return out
