"""Exponentials and logarithms: ``exp``, ``exp2``, ``expm1``, ``log``, ``log1p``, ``log2``,
``log10``, ``logaddexp`` and ``logaddexp2``.

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks. Integer inputs compute in the default float dtype
(``as_float``), as torch does.
"""
from __future__ import annotations

import math

import numpy as np

from ..autograd.function import ArrayFunction
from ._arguments import argument_error
from .activation_backward import add_scalar
from ._util import (Tensor, as_float, binary_ufunc, check_tensor_args, float_kernel, mul_scalar,
                    promote)
from .out import supports_out

_LN2 = math.log(2.0)  # a Python number: torch's formulas multiply by the Scalar M_LN2

__all__ = ["exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "logaddexp", "logaddexp2"]


class Exp(ArrayFunction):
    """out = exp(a).      dL/da = g * out."""

    _backward_name = "ExpBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.exp(as_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g * out


@supports_out()
def exp(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(exp, locals())
    return Exp.apply(input)


class Exp2(ArrayFunction):
    """out = 2^a.      dL/da = g * out * ln 2."""

    _backward_name = "Exp2Backward0"

    @staticmethod
    def forward(ctx, a):
        out = np.exp2(as_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return mul_scalar(g * out, _LN2)


@supports_out()
def exp2(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(exp2, locals())
    if not isinstance(input, Tensor):
        raise argument_error(exp2, locals())
    return Exp2.apply(input)


class Expm1(ArrayFunction):
    """out = exp(a) - 1.      dL/da = g * (out + 1)."""

    _backward_name = "Expm1Backward0"

    @staticmethod
    def forward(ctx, a):
        out = np.expm1(as_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g * (out + 1)


@supports_out()
def expm1(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(expm1, locals())
    if not isinstance(input, Tensor):
        raise argument_error(expm1, locals())
    return Expm1.apply(input)


class Log(ArrayFunction):
    """out = log(a).      dL/da = g / a."""

    _backward_name = "LogBackward0"

    @staticmethod
    def forward(ctx, a):
        a = as_float(a)
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g / a


@supports_out()
def log(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(log, locals())
    return Log.apply(input)


class Log1p(ArrayFunction):
    """out = log(1 + a).      dL/da = g / (a + 1)   (torch's log1p_backward: a + 1 a number
    added, AddBackward1 under create_graph)."""

    _backward_name = "Log1PBackward0"

    @staticmethod
    def forward(ctx, a):
        a = as_float(a)
        ctx.save_for_backward(a)
        return np.log1p(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g / add_scalar(a, 1)


@supports_out()
def log1p(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(log1p, locals())
    if not isinstance(input, Tensor):
        raise argument_error(log1p, locals())
    return Log1p.apply(input)


class Log2(ArrayFunction):
    """out = log2(a).      dL/da = g / (a ln 2)."""

    _backward_name = "Log2Backward0"

    @staticmethod
    def forward(ctx, a):
        a = as_float(a)
        ctx.save_for_backward(a)
        return np.log2(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g / (a * np.log(2.0))


@supports_out()
def log2(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(log2, locals())
    return Log2.apply(input)


class Log10(ArrayFunction):
    """out = log10(a).      dL/da = g / (a ln 10)."""

    _backward_name = "Log10Backward0"

    @staticmethod
    def forward(ctx, a):
        a = as_float(a)
        ctx.save_for_backward(a)
        return np.log10(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g / (a * np.log(10.0))


@supports_out()
def log10(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(log10, locals())
    return Log10.apply(input)


class LogAddExp(ArrayFunction):
    """out = log(exp(a) + exp(b)), computed without overflow.
    dL/da = g / (1 + exp(b - a)),   dL/db = g / (1 + exp(a - b))   (torch's form: at a = inf
    and finite b, dL/da = 1, where g exp(a - out) would be exp(inf - inf) = NaN)."""

    _backward_name = "LogaddexpBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        float_kernel("logaddexp_cpu", np.asarray(a).dtype)  # integers and bool: torch refuses
        a, b = np.asarray(a), np.asarray(b)
        ctx.save_for_backward(a, b)
        return binary_ufunc(np.logaddexp, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return g / (1 + np.exp(b - a)), g / (1 + np.exp(a - b))


@supports_out()
def logaddexp(input, other, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(logaddexp, locals())
    return LogAddExp.apply(input, other)


class LogAddExp2(ArrayFunction):
    """out = log2(2^a + 2^b), computed without overflow.
    dL/da = g / (1 + 2^(b - a)),   dL/db = g / (1 + 2^(a - b))."""

    _backward_name = "Logaddexp2Backward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        float_kernel("logaddexp2_cpu", a.dtype)
        ctx.save_for_backward(a, b)
        return binary_ufunc(np.logaddexp2, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        ga = g / (1 + np.exp2(b - a)) if ctx.needs_input_grad[0] else None
        gb = g / (1 + np.exp2(a - b)) if ctx.needs_input_grad[1] else None
        return ga, gb


@supports_out()
def logaddexp2(input, other, *, out=None):
    check_tensor_args("logaddexp2", input, other)
    return LogAddExp2.apply(input, other)
