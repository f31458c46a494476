"""Trigonometric and hyperbolic functions and their inverses: ``sin``, ``cos``, ``tan``,
``asin``, ``acos``, ``atan``, ``atan2``, ``sinh``, ``cosh``, ``tanh``, ``asinh``, ``acosh``,
``atanh`` (and torch's ``arc*`` aliases); the angle conversions ``deg2rad``, ``rad2deg``.

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function. Integer and bool inputs compute in the default float dtype
(``as_float``), as torch does. The derivatives are written as torch writes them (``rsqrt`` as
``1 / sqrt``), so that their values at the edges of the domain are torch's: inf at asin(+-1),
NaN outside it, 0 at asinh(+-inf).
"""
from __future__ import annotations

import math

import numpy as np

from ..autograd.function import ArrayFunction
from .activation_backward import TanhBackward
from ._arguments import argument_error, renamed
from ._util import (Tensor, as_dtype, as_float, binary_ufunc, check_tensor_input, mul_scalar,
                    is_recorded, promote, recorded_call, recorded_masked_fill,
                    zero_where)
from .out import supports_out

__all__ = ["sin", "cos", "tan", "asin", "acos", "atan", "arcsin", "arccos", "arctan", "atan2",
           "arctan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "arcsinh", "arccosh",
           "arctanh", "deg2rad", "rad2deg"]


# -- circular functions --------------------------------------------------------------------------

class Sin(ArrayFunction):
    """out = sin(a).      dL/da = g * cos(a)."""

    _backward_name = "SinBackward0"

    @staticmethod
    def forward(ctx, a):
        a = as_float(a)
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * np.cos(a)


@supports_out()
def sin(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(sin, locals())
    return Sin.apply(input)


class Cos(ArrayFunction):
    """out = cos(a).      dL/da = -g * sin(a)."""

    _backward_name = "CosBackward0"

    @staticmethod
    def forward(ctx, a):
        a = as_float(a)
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return -g * np.sin(a)


@supports_out()
def cos(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(cos, locals())
    return Cos.apply(input)


class Tan(ArrayFunction):
    """out = tan(a).      dL/da = g * (1 + out^2)."""

    _backward_name = "TanBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.tan(as_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g * (1 + out * out)


@supports_out()
def tan(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(tan, locals())
    return Tan.apply(input)


def _unary_forward(ctx, a, np_fn):
    """Shared forward of the inverse and hyperbolic functions: ``np_fn(a)`` in a's float dtype
    (the default float for integer and bool inputs), saving ``a`` for the derivative. Outside
    the domain the value is NaN, as in torch (NumPy's warning silenced)."""
    a = as_float(a)
    ctx.save_for_backward(a)
    return np_fn(a)


class Asin(ArrayFunction):
    """out = asin(a).      dL/da = g / sqrt(1 - a^2)   (inf at a = +-1, NaN for |a| > 1)."""

    _backward_name = "AsinBackward0"

    @staticmethod
    def forward(ctx, a):
        return _unary_forward(ctx, a, np.arcsin)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * (1 / np.sqrt(-a * a + 1))


@supports_out()
def asin(input, *, out=None):
    check_tensor_input("asin", input)
    return Asin.apply(input)


class Acos(ArrayFunction):
    """out = acos(a).      dL/da = -g / sqrt(1 - a^2)   (-inf at a = +-1, NaN for |a| > 1)."""

    _backward_name = "AcosBackward0"

    @staticmethod
    def forward(ctx, a):
        return _unary_forward(ctx, a, np.arccos)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * -(1 / np.sqrt(-a * a + 1))


@supports_out()
def acos(input, *, out=None):
    check_tensor_input("acos", input)
    return Acos.apply(input)


class Atan(ArrayFunction):
    """out = atan(a).      dL/da = g / (a^2 + 1)   (0 at a = +-inf)."""

    _backward_name = "AtanBackward0"

    @staticmethod
    def forward(ctx, a):
        return _unary_forward(ctx, a, np.arctan)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g / (a * a + 1)


@supports_out()
def atan(input, *, out=None):
    check_tensor_input("atan", input)
    return Atan.apply(input)


@supports_out(name="asin")
def arcsin(input, *, out=None):
    check_tensor_input("arcsin", input)
    return Asin.apply(input)


@supports_out(name="acos")
def arccos(input, *, out=None):
    check_tensor_input("arccos", input)
    return Acos.apply(input)


@supports_out(name="atan")
def arctan(input, *, out=None):
    check_tensor_input("arctan", input)
    return Atan.apply(input)


class Atan2(ArrayFunction):
    """out = atan2(a, b), the angle of the point (b, a).
    dL/da = g b / (a^2 + b^2),   dL/db = -g a / (a^2 + b^2)   (both 0 where a^2 + b^2 is 0,
    at a = b = 0 or underflowing: as torch, 1 / (a^2 + b^2) is taken as 0 there, keeping the
    signs of b and -a). As torch, each operand is squared in its own float dtype (a float32
    a with a float64 b: a^2 in float32), then the terms are taken in the result's dtype."""

    _backward_name = "Atan2Backward0"

    @staticmethod
    def forward(ctx, a, b):
        pa, pb = promote(a, b)
        pa, pb = as_float(np.asarray(pa)), as_float(np.asarray(pb))
        ctx.save_for_backward(a if a.dtype.kind == "f" else pa, b if b.dtype.kind == "f" else pb)
        return binary_ufunc(np.arctan2, pa, pb)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        dt = g.dtype
        bb = as_dtype(b * b, dt)  # (torch's self * self + other * other: right operand first)
        r2 = as_dtype(a * a, dt) + bb
        if is_recorded(r2):  # torch's r2.reciprocal() then masked_fill_ (its nodes)
            recip = recorded_masked_fill(recorded_call("reciprocal", r2), r2 == 0, 0.0)
        else:
            recip = zero_where(1 / r2, r2 == 0)
        return g * as_dtype(b, dt) * recip, g * -as_dtype(a, dt) * recip


@supports_out()
def atan2(input, other, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(atan2, locals())
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(atan2, locals())
    return Atan2.apply(input, other)


arctan2 = renamed(atan2, "arctan2")


# -- hyperbolic functions --------------------------------------------------------------------------

class Sinh(ArrayFunction):
    """out = sinh(a).      dL/da = g * cosh(a)."""

    _backward_name = "SinhBackward0"

    @staticmethod
    def forward(ctx, a):
        return _unary_forward(ctx, a, np.sinh)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * np.cosh(a)


@supports_out()
def sinh(input, *, out=None):
    check_tensor_input("sinh", input)
    return Sinh.apply(input)


class Cosh(ArrayFunction):
    """out = cosh(a).      dL/da = g * sinh(a)."""

    _backward_name = "CoshBackward0"

    @staticmethod
    def forward(ctx, a):
        return _unary_forward(ctx, a, np.cosh)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * np.sinh(a)


@supports_out()
def cosh(input, *, out=None):
    check_tensor_input("cosh", input)
    return Cosh.apply(input)


class Tanh(ArrayFunction):
    """out = tanh(a).      dL/da = g * (1 - out^2).

    The gradient is torch's tanh_backward (``activation_backward``; float16 in float32, rounded
    once, as torch's kernel), an op of its own under create_graph."""

    _backward_name = "TanhBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.tanh(as_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return TanhBackward.call(g, out)


@supports_out()
def tanh(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(tanh, locals())
    return Tanh.apply(input)


class Asinh(ArrayFunction):
    """out = asinh(a).      dL/da = g / sqrt(a^2 + 1)   (0 at a = +-inf)."""

    _backward_name = "AsinhBackward0"

    @staticmethod
    def forward(ctx, a):
        return _unary_forward(ctx, a, np.arcsinh)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * (1 / np.sqrt(a * a + 1))


@supports_out()
def asinh(input, *, out=None):
    check_tensor_input("asinh", input)
    return Asinh.apply(input)


class Acosh(ArrayFunction):
    """out = acosh(a) (NaN for a < 1).      dL/da = g / sqrt(a^2 - 1)   (inf at a = +-1, NaN
    for |a| < 1)."""

    _backward_name = "AcoshBackward0"

    @staticmethod
    def forward(ctx, a):
        return _unary_forward(ctx, a, np.arccosh)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * (1 / np.sqrt(a * a - 1))


@supports_out()
def acosh(input, *, out=None):
    check_tensor_input("acosh", input)
    return Acosh.apply(input)


class Atanh(ArrayFunction):
    """out = atanh(a) (+-inf at a = +-1, NaN for |a| > 1).      dL/da = g / (1 - a^2)."""

    _backward_name = "AtanhBackward0"

    @staticmethod
    def forward(ctx, a):
        return _unary_forward(ctx, a, np.arctanh)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g / (1 - a * a)


@supports_out()
def atanh(input, *, out=None):
    check_tensor_input("atanh", input)
    return Atanh.apply(input)


@supports_out(name="asinh")
def arcsinh(input, *, out=None):
    check_tensor_input("arcsinh", input)
    return Asinh.apply(input)


@supports_out(name="acosh")
def arccosh(input, *, out=None):
    check_tensor_input("arccosh", input)
    return Acosh.apply(input)


@supports_out(name="atanh")
def arctanh(input, *, out=None):
    check_tensor_input("arctanh", input)
    return Atanh.apply(input)


# -- asinh_, acosh_, atanh_: recorded by torch, without a derivative -----------------------------

class _InPlaceWithoutDerivative(ArrayFunction):
    """torch records ``x.asinh_()`` (and acosh_, atanh_) under a node of its own whose backward
    raises: the forward is the op's, the backward torch's NotImplementedError."""

    _op = ""

    @classmethod
    def backward(cls, ctx, g):
        raise NotImplementedError(
            f"the derivative for 'inplace version of {cls._op}' is not implemented.")


class AsinhInPlace(_InPlaceWithoutDerivative, Asinh):
    _backward_name = "AsinhBackward1"
    _op = "asinh"


class AcoshInPlace(_InPlaceWithoutDerivative, Acosh):
    _backward_name = "AcoshBackward1"
    _op = "acosh"


class AtanhInPlace(_InPlaceWithoutDerivative, Atanh):
    _backward_name = "AtanhBackward1"
    _op = "atanh"


def asinh_inplace(input):
    """The op ``x.asinh_()`` writes back (``inplace.apply_inplace``)."""
    return AsinhInPlace.apply(input)


def acosh_inplace(input):
    """The op ``x.acosh_()`` writes back."""
    return AcoshInPlace.apply(input)


def atanh_inplace(input):
    """The op ``x.atanh_()`` writes back."""
    return AtanhInPlace.apply(input)


# -- angle conversions -----------------------------------------------------------------------------

def _scale(a: np.ndarray, c: float) -> np.ndarray:
    """a * c in a's float dtype (integers and bool: the default float), with the constant
    rounded to that dtype as torch's scalar multiply rounds it; float16 computes in float32 and
    rounds once, as torch's half kernels do."""
    if getattr(type(a), "graph_array", False):  # torch's at::mul(Tensor, Scalar): MulBackward1
        return mul_scalar(a, c)
    a = as_float(a)
    if a.dtype == np.float16:
        return (a.astype(np.float32) * np.float32(c)).astype(np.float16)
    return a * c  # (a Python float: NumPy rounds it to a's dtype, as torch's scalar)


class Deg2Rad(ArrayFunction):
    """out = a pi / 180.      dL/da = g pi / 180."""

    _backward_name = "Deg2RadBackward0"

    @staticmethod
    def forward(ctx, a):
        return _scale(a, math.pi / 180)

    @staticmethod
    def backward(ctx, g):
        return _scale(g, math.pi / 180)


@supports_out()
def deg2rad(input, *, out=None):
    """Degrees to radians."""
    check_tensor_input("deg2rad", input)
    return Deg2Rad.apply(input)


class Rad2Deg(ArrayFunction):
    """out = a 180 / pi.      dL/da = g 180 / pi."""

    _backward_name = "Rad2DegBackward0"

    @staticmethod
    def forward(ctx, a):
        return _scale(a, 180 / math.pi)

    @staticmethod
    def backward(ctx, g):
        return _scale(g, 180 / math.pi)


@supports_out()
def rad2deg(input, *, out=None):
    """Radians to degrees."""
    check_tensor_input("rad2deg", input)
    return Rad2Deg.apply(input)
