"""Pointwise math: exponentials and logarithms, roots, ``abs``/``sign``,
``sigmoid``/``relu``/``erf``, ``logaddexp``, rounding, ``nan_to_num`` and ``clamp``.

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks. Integer inputs of the float functions compute
in the default float dtype (``as_float``), as torch does.
"""
from __future__ import annotations

import numpy as np

from .._dtype import result_np_dtype
from .._names import scalar_type_name
from .._tensor import _new_tensor
from ..autograd.function import ArrayFunction
from ._erf import erf as np_erf  # Cody's rational approximations (NumPy has no erf)
from ._util import Tensor, as_float, binary_ufunc, broadcast_shapes_or_raise, promote, zero_where
from .out import supports_out

__all__ = ["exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "logaddexp", "sqrt", "rsqrt",
           "reciprocal", "abs", "absolute", "sign", "sgn", "signbit", "sigmoid", "relu", "erf",
           "floor", "ceil", "trunc", "fix", "round", "frac", "nan_to_num", "clamp", "clip",
           "clamp_min", "clamp_max"]


# -- exponentials and logarithms -------------------------------------------------------------------

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
        return g * out * np.log(2.0)


@supports_out()
def exp2(input, *, out=None):
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
    return Expm1.apply(input)


class Log(ArrayFunction):
    """out = log(a).      dL/da = g / a."""

    _backward_name = "LogBackward0"

    @staticmethod
    def forward(ctx, a):
        a = as_float(a)
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return g / a


@supports_out()
def log(input, *, out=None):
    return Log.apply(input)


def _no_bool(a: np.ndarray, kernel: str) -> None:
    if a.dtype == np.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


class Log1p(ArrayFunction):
    """out = log(1 + a).      dL/da = g / (1 + a)."""

    _backward_name = "Log1PBackward0"

    @staticmethod
    def forward(ctx, a):
        a = as_float(a)
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log1p(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return g / (1 + a)


@supports_out()
def log1p(input, *, out=None):
    return Log1p.apply(input)


class Log2(ArrayFunction):
    """out = log2(a).      dL/da = g / (a ln 2)."""

    _backward_name = "Log2Backward0"

    @staticmethod
    def forward(ctx, a):
        a = as_float(a)
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log2(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return g / (a * np.log(2.0))


@supports_out()
def log2(input, *, out=None):
    return Log2.apply(input)


class Log10(ArrayFunction):
    """out = log10(a).      dL/da = g / (a ln 10)."""

    _backward_name = "Log10Backward0"

    @staticmethod
    def forward(ctx, a):
        a = as_float(a)
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log10(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return g / (a * np.log(10.0))


@supports_out()
def log10(input, *, out=None):
    return Log10.apply(input)


class LogAddExp(ArrayFunction):
    """out = log(exp(a) + exp(b)), computed without overflow.
    dL/da = g exp(a - out),   dL/db = g exp(b - out)."""

    _backward_name = "LogaddexpBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        a, b = as_float(np.asarray(a)), as_float(np.asarray(b))
        out = binary_ufunc(np.logaddexp, a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        with np.errstate(invalid="ignore"):
            return g * np.exp(a - out), g * np.exp(b - out)


@supports_out()
def logaddexp(input, other, *, out=None):
    return LogAddExp.apply(input, other)


# -- roots, reciprocal, abs, sign ------------------------------------------------------------------

class Sqrt(ArrayFunction):
    """out = sqrt(a).      dL/da = g / (2 out)   (inf at a = 0, as in torch)."""

    _backward_name = "SqrtBackward0"

    @staticmethod
    def forward(ctx, a):
        with np.errstate(invalid="ignore"):
            out = np.sqrt(as_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return g / (2 * out)


@supports_out()
def sqrt(input, *, out=None):
    return Sqrt.apply(input)


class Rsqrt(ArrayFunction):
    """out = 1 / sqrt(a).      dL/da = -g * out^3 / 2."""

    _backward_name = "RsqrtBackward0"

    @staticmethod
    def forward(ctx, a):
        with np.errstate(divide="ignore", invalid="ignore"):
            out = 1 / np.sqrt(as_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        with np.errstate(invalid="ignore"):
            return -0.5 * g * out * out * out


@supports_out()
def rsqrt(input, *, out=None):
    return Rsqrt.apply(input)


class Reciprocal(ArrayFunction):
    """out = 1 / a.      dL/da = -g * out^2."""

    _backward_name = "ReciprocalBackward0"

    @staticmethod
    def forward(ctx, a):
        with np.errstate(divide="ignore"):
            out = 1 / as_float(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        with np.errstate(invalid="ignore"):
            return -g * out * out


@supports_out()
def reciprocal(input, *, out=None):
    return Reciprocal.apply(input)


class Abs(ArrayFunction):
    """out = |a|.      dL/da = g * sign(a)   (abs'(0) = 0, as in torch)."""

    _backward_name = "AbsBackward0"

    @staticmethod
    def forward(ctx, a):
        _no_bool(a, "abs_cpu")
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * np.sign(a)


@supports_out(rule="same")
def abs(input, *, out=None):  # noqa: A001 - torch's name
    return Abs.apply(input)


absolute = abs


class Sign(ArrayFunction):
    """out = sign(a) in {-1, 0, 1}.      dL/da = 0 (piecewise constant)."""

    _backward_name = "SignBackward0"

    @staticmethod
    def forward(ctx, a):
        if a.dtype == np.bool_:
            return a.copy()
        out = np.asarray(np.sign(a))
        if a.dtype.kind == "f":
            np.copyto(out, 0, where=np.isnan(out))  # torch: sign(nan) = 0
        return out

    @staticmethod
    def backward(ctx, g):
        return np.zeros_like(g)


@supports_out(rule="same")
def sign(input, *, out=None):
    return Sign.apply(input)


@supports_out(rule="same")
def sgn(input, *, out=None):
    """sign(a) (torch's sign extended to complex numbers, a / |a|; for real tensors the same
    values, bool and integer dtypes kept), recorded as SgnBackward0."""
    return Sign.apply(input, name="SgnBackward0")


@supports_out(rule="bool_out", differentiable=None)
def signbit(input, *, out=None):
    """True where the sign bit is set: negative numbers, -0.0, -inf and NaNs with the sign bit
    (a bool result, never part of the graph)."""
    a = input._data
    return _new_tensor(np.zeros(a.shape, np.bool_) if a.dtype == np.bool_ else
                       np.asarray(np.signbit(a)))


# -- sigmoid, relu, erf ----------------------------------------------------------------------------

class Sigmoid(ArrayFunction):
    """out = 1 / (1 + exp(-a)).      dL/da = g * out * (1 - out).

    torch's formula as it stands: for a very negative, exp(-a) overflows to inf and 1 / inf is
    the correct 0, so the overflow is harmless (and silenced). A branch on the sign of a would
    avoid it, but np.where on an unpredictable mask costs ~10 multiplies here."""

    _backward_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, a):
        a = as_float(a)
        out = np.negative(a, out=np.empty_like(a))  # an array even for 0-d a
        with np.errstate(over="ignore"):
            np.exp(out, out=out)
        out += 1
        np.reciprocal(out, out=out)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g * out * (1 - out)


@supports_out()
def sigmoid(input, *, out=None):
    return Sigmoid.apply(input)


class Relu(ArrayFunction):
    """out = max(a, 0).      dL/da = 0 where out <= 0, else g   (relu'(0) = 0; a NaN input
    passes its gradient; a select, as torch's, so an inf/NaN g where out <= 0 gives 0)."""

    _backward_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, a):
        if a.dtype.kind == "b":
            raise RuntimeError("Boolean inputs not supported for relu")
        out = np.maximum(a, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return zero_where(g, out <= 0)


def relu(input):
    return Relu.apply(input)


class Erf(ArrayFunction):
    """out = erf(a) = 2/sqrt(pi) int_0^a exp(-t^2) dt.      dL/da = g 2/sqrt(pi) exp(-a^2)."""

    _backward_name = "ErfBackward0"

    @staticmethod
    def forward(ctx, a):
        a = as_float(a)
        ctx.save_for_backward(a)
        return np_erf(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * (2 / np.sqrt(np.pi)) * np.exp(-a * a)


@supports_out()
def erf(input, *, out=None):
    return Erf.apply(input)


# -- rounding: piecewise constant, a zero gradient (frac passes it through) ------------------------

class _Rounding(ArrayFunction):
    """Base of floor/ceil/round/trunc: piecewise constant, so dL/da = 0 (torch returns zeros)."""

    _kernel = ""
    _np_fn = None

    @classmethod
    def forward(cls, ctx, a):
        _no_bool(a, cls._kernel)
        return a.copy() if a.dtype.kind in "iu" else cls._np_fn(a)

    @staticmethod
    def backward(ctx, g):
        return np.zeros_like(g)


class Floor(_Rounding):
    """out = floor(a).      dL/da = 0."""

    _backward_name = "FloorBackward0"
    _kernel = "floor_vml_cpu"
    _np_fn = staticmethod(np.floor)


@supports_out(rule="same")
def floor(input, *, out=None):
    return Floor.apply(input)


class Ceil(_Rounding):
    """out = ceil(a).      dL/da = 0."""

    _backward_name = "CeilBackward0"
    _kernel = "ceil_vml_cpu"
    _np_fn = staticmethod(np.ceil)


@supports_out(rule="same")
def ceil(input, *, out=None):
    return Ceil.apply(input)


class Trunc(_Rounding):
    """out = trunc(a) (toward zero).      dL/da = 0."""

    _backward_name = "TruncBackward0"
    _kernel = "trunc_vml_cpu"
    _np_fn = staticmethod(np.trunc)


@supports_out(rule="same")
def trunc(input, *, out=None):
    return Trunc.apply(input)


fix = trunc


class Round(_Rounding):
    """out = a rounded to the nearest integer, halves to even (as torch and NumPy do).
    dL/da = 0."""

    _backward_name = "RoundBackward0"
    _kernel = "round_vml_cpu"
    _np_fn = staticmethod(np.round)


class RoundDecimals(ArrayFunction):
    """out = round(a * 10^d) / 10^d.      dL/da = 0."""

    _backward_name = "RoundBackward1"

    @staticmethod
    def forward(ctx, a, decimals):
        _no_bool(a, "round_cpu")
        return np.round(a, decimals)

    @staticmethod
    def backward(ctx, g):
        return np.zeros_like(g), None


@supports_out(rule="same")
def round(input, *, decimals: int = 0, out=None):  # noqa: A001 - torch's name
    return Round.apply(input) if decimals == 0 else RoundDecimals.apply(input, decimals)


class Frac(ArrayFunction):
    """out = a - trunc(a).      dL/da = g."""

    _backward_name = "FracBackward0"

    @staticmethod
    def forward(ctx, a):
        if a.dtype.kind != "f":
            raise NotImplementedError(
                f"\"frac_cpu\" not implemented for '{scalar_type_name(a.dtype)}'")
        return a - np.trunc(a)

    @staticmethod
    def backward(ctx, g):
        return g


@supports_out(rule="same")
def frac(input, *, out=None):
    return Frac.apply(input)


# -- nan_to_num, clamp -----------------------------------------------------------------------------

class NanToNum(ArrayFunction):
    """out = a with NaN -> nan, +inf -> posinf, -inf -> neginf (defaults: 0, dtype max/min).
    dL/da = g where a is finite, else 0."""

    _backward_name = "NanToNumBackward0"

    @staticmethod
    def forward(ctx, a, nan, posinf, neginf):
        ctx.save_for_backward(a)
        return np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * np.isfinite(a), None, None, None


@supports_out(rule="nan_to_num")
def nan_to_num(input, nan: float = 0.0, posinf=None, neginf=None, *, out=None):
    return NanToNum.apply(input, nan, posinf, neginf)


class Clamp(ArrayFunction):
    """out = min(max(a, lo), hi) with number bounds (either may be None).
    dL/da = g where lo <= a <= hi, else 0   (the gradient passes at the bounds themselves;
    when lo > hi every output is hi and no gradient passes; a NaN input gets 0; a select, so
    an inf/NaN g where the mask is false gives 0, as in torch)."""

    _backward_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, a, lo, hi):
        dt = result_np_dtype(a, *[v for v in (lo, hi) if v is not None])
        if dt == np.bool_:
            kernel = "clamp_min" if hi is None else "clamp_max" if lo is None else "clamp"
            raise NotImplementedError(f"\"{kernel}_scalar_cpu\" not implemented for 'Bool'")
        if a.dtype != dt:
            a = a.astype(dt)
        ctx.save_for_backward(a)
        ctx.lo, ctx.hi = lo, hi
        out = a if lo is None else np.maximum(a, np.asarray(lo, dtype=dt))
        return out if hi is None else np.minimum(out, np.asarray(hi, dtype=dt))

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        if ctx.lo is None:
            zero = ~(a <= ctx.hi)
        elif ctx.hi is None:
            zero = ~(a >= ctx.lo)
        else:
            zero = ~((a >= ctx.lo) & (a <= ctx.hi))
        return zero_where(g, zero), None, None


class ClampTensor(ArrayFunction):
    """out = min(max(a, lo), hi) with tensor bounds (either may be None), broadcast together.
    dL/da  = g where lo <= a <= hi,
    dL/dlo = g where a < lo and lo < hi,
    dL/dhi = g where a > hi or lo > hi   (torch's rule: where lo > hi every output is hi;
    where lo == hi and a < lo, no input receives a gradient). Every comparison with a NaN is
    false; each "where" is a select (an inf/NaN g elsewhere gives 0), as in torch."""

    _backward_name = "ClampBackward0"
    # an absent bound is listed, as torch's undefined tensor
    _listed_args = (0, 1, 2)

    @staticmethod
    def forward(ctx, a, lo, hi):
        dt = result_np_dtype(a, *[v for v in (lo, hi) if v is not None])
        a, lo, hi = [None if v is None else np.asarray(v).astype(dt, copy=False)
                     for v in (a, lo, hi)]
        broadcast_shapes_or_raise(*[v.shape for v in (a, lo, hi) if v is not None])
        ctx.save_for_backward(a, lo, hi)
        out = a if lo is None else np.maximum(a, lo)
        return out if hi is None else np.minimum(out, hi)

    @staticmethod
    def backward(ctx, g):
        a, lo, hi = ctx.saved_tensors
        ga = glo = ghi = None
        if ctx.needs_input_grad[0]:
            keep = True
            if lo is not None:
                keep = a >= lo
            if hi is not None:
                keep = keep & (a <= hi)
            ga = zero_where(g, ~keep)
        if lo is not None and ctx.needs_input_grad[1]:
            glo = zero_where(g, ~((a < lo) if hi is None else (a < lo) & (lo < hi)))
        if hi is not None and ctx.needs_input_grad[2]:
            ghi = zero_where(g, ~((a > hi) if lo is None else (a > hi) | (lo > hi)))
        return ga, glo, ghi


@supports_out(rule="same")
def clamp(input, min=None, max=None, *, out=None):  # noqa: A002 - torch's names
    """Clamp into [min, max]; bounds are numbers or tensors (either may be None)."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return ClampTensor.apply(input, min, max)
    return Clamp.apply(input, min, max)


clip = clamp


@supports_out(rule="same")
def clamp_min(input, min, *, out=None):  # noqa: A002
    if isinstance(min, Tensor):
        return ClampTensor.apply(input, min, None, name="ClampMinBackward1")
    return Clamp.apply(input, min, None, name="ClampMinBackward0")


@supports_out(rule="same")
def clamp_max(input, max, *, out=None):  # noqa: A002
    if isinstance(max, Tensor):
        return ClampTensor.apply(input, None, max, name="ClampMaxBackward1")
    return Clamp.apply(input, None, max, name="ClampMaxBackward0")
