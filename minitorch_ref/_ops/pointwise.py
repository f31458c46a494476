"""Pointwise math: roots, ``abs``/``sign``, ``hypot``/``copysign``/``nextafter``/``ldexp``/
``frexp``, ``sigmoid``/``relu``/``erf``, rounding, ``nan_to_num`` and ``clamp``. Exponentials
and logarithms (exp, log and their relatives, ``logaddexp``) are in ``exponential.py``.

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks. Integer inputs of the float functions compute
in the default float dtype (``as_float``), as torch does.
"""
from __future__ import annotations

import functools
import math
import sys

import numpy as np

from .._dtype import cast_value, check_scalar_fits, get_default_dtype, result_np_dtype
from .._names import c_type_name, scalar_type_name
from .._tensor import _new_tensor
from ..autograd.function import ArrayFunction
from ..return_types import make_return
from ._arguments import _type_name, argument_error, renamed
from ._erf import erf as np_erf  # Cody's rational approximations (NumPy has no erf)
from ._erf import sigmoid_array
from ..autograd.graph_array import unwrap, wrap
from .activation_backward import SigmoidBackward, ThresholdBackward
from ._util import (Tensor, as_dtype, as_float, binary_ufunc, broadcast_shapes_or_raise,
                    check_tensor_args, check_tensor_input, float_kernel, mul_scalar, promote,
                    is_recorded, recorded_masked_fill, zero_where)
from .out import check_out_grad, supports_out, with_outs

_LN2 = math.log(2.0)  # a Python number: torch's formulas multiply by the Scalar M_LN2

__all__ = ["sqrt", "rsqrt", "hypot", "copysign", "nextafter", "ldexp", "frexp",
           "reciprocal", "abs", "absolute", "sign", "sgn", "signbit", "sigmoid", "relu", "erf",
           "floor", "ceil", "trunc", "fix", "round", "frac", "nan_to_num", "clamp", "clip",
           "clamp_min", "clamp_max"]


def _no_bool(a: np.ndarray, kernel: str) -> None:
    if a.dtype == np.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


# -- roots, reciprocal, abs, sign ------------------------------------------------------------------

class Sqrt(ArrayFunction):
    """out = sqrt(a).      dL/da = g / (2 out)   (inf at a = 0, as in torch)."""

    _backward_name = "SqrtBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.sqrt(as_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g / (2 * out)


@supports_out()
def sqrt(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(sqrt, locals())
    return Sqrt.apply(input)


class Rsqrt(ArrayFunction):
    """out = 1 / sqrt(a).      dL/da = -g * out^3 / 2."""

    _backward_name = "RsqrtBackward0"

    @staticmethod
    def forward(ctx, a):
        out = 1 / np.sqrt(as_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return -0.5 * g * out * out * out


@supports_out()
def rsqrt(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(rsqrt, locals())
    return Rsqrt.apply(input)


class Hypot(ArrayFunction):
    """out = sqrt(a^2 + b^2), without overflow.      dL/da = g a / out,   dL/db = g b / out
    (NaN at a = b = 0, as torch's)."""

    _backward_name = "HypotBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        float_kernel("hypot_cpu", a.dtype)
        out = binary_ufunc(np.hypot, a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        gb = g * b / out if ctx.needs_input_grad[1] else None  # other's first, as torch
        ga = g * a / out if ctx.needs_input_grad[0] else None
        return ga, gb


@supports_out()
def hypot(input, other, *, out=None):
    check_tensor_args("hypot", input, other)
    return Hypot.apply(input, other)


class Reciprocal(ArrayFunction):
    """out = 1 / a.      dL/da = -g * (out out)   (torch's grouping: the square first)."""

    _backward_name = "ReciprocalBackward0"

    @staticmethod
    def forward(ctx, a):
        out = 1 / as_float(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return -g * (out * out)


@supports_out()
def reciprocal(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(reciprocal, locals())
    return Reciprocal.apply(input)


class Abs(ArrayFunction):
    """out = |a|.      dL/da = g * sign(a)   (abs'(0) = 0 and, as torch's sgn(nan) = 0,
    abs'(nan) = 0)."""

    _backward_name = "AbsBackward0"

    @staticmethod
    def forward(ctx, a):
        _no_bool(a, "abs_cpu")
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        if getattr(type(a), "graph_array", False):     # (torch's node: SgnBackward0)
            return g * wrap(Sgn.apply(unwrap(a)))
        return g * zero_where(np.sign(a), np.isnan(a))  # torch: g * sgn(a)


@supports_out(rule="same")
def abs(input, *, out=None):  # noqa: A001 - torch's name
    if not isinstance(input, Tensor):
        raise argument_error(abs, locals())
    if not isinstance(input, Tensor):
        raise argument_error(abs, locals())
    return Abs.apply(input)


absolute = renamed(abs, "absolute")


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


class Sgn(Sign):
    """sign's values and gradient; torch's node saves the input (freed with the graph)."""

    _backward_name = "SgnBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return Sign.forward(ctx, a)

    @staticmethod
    def backward(ctx, g):
        ctx.saved_tensors  # noqa: B018 - torch's error after the graph was freed
        return np.zeros_like(g)


@supports_out(rule="same")
def sign(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(sign, locals())
    return Sign.apply(input)


class CopySign(ArrayFunction):
    """out = |a| with the sign of b (b a tensor or a number; integer and bool inputs compute in
    the default float dtype).
    dL/da = g (out / a), with out / a taken as 0 where a = 0   (+-g; NaN at a = +-inf, and
    where g is inf at a = 0, as torch's),   dL/db = 0."""

    _backward_name = "CopysignBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        a = as_float(np.asarray(a))
        b = b if type(b) in (int, float, bool) else as_dtype(b, a.dtype)
        out = np.asarray(binary_ufunc(np.copysign, a, b))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        ga = gb = None
        if ctx.needs_input_grad[0]:
            zero = a == 0
            if is_recorded(g) or is_recorded(a):  # torch's (out / a).masked_fill_(a == 0, 0)
                ga = g * recorded_masked_fill(out / a, zero, 0.0)
            else:  # (divided by 1 there: no 0/0 warning)
                ga = g * zero_where(out / np.where(zero, 1, a), zero)
        if ctx.needs_input_grad[1]:
            gb = np.zeros_like(g)
        return ga, gb


@supports_out()
def copysign(input, other, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(copysign, locals())
    if not isinstance(other, Tensor):
        return CopySign.apply(input, float(other), name="CopysignBackward1")
    return CopySign.apply(input, other)


class NextAfter(ArrayFunction):
    """out = the next floating-point value after a in the direction of b.
    dL/da = g where a != b, else 0;   dL/db = 0."""

    _backward_name = "NextafterBackward0"
    _saved_attrs = ("equal",)  # torch's node saves the inputs

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        float_kernel("nextafter_cpu", a.dtype)
        ctx.equal = np.asarray(a == b)
        return binary_ufunc(np.nextafter, a, b)

    @staticmethod
    def backward(ctx, g):
        ga = zero_where(g, ctx.equal) if ctx.needs_input_grad[0] else None
        return ga, np.zeros_like(g) if ctx.needs_input_grad[1] else None


@supports_out()
def nextafter(input, other, *, out=None):
    check_tensor_args("nextafter", input, other)
    return NextAfter.apply(input, other)


class Ldexp(ArrayFunction):
    """out = a 2^b (exact for an integer b; integer inputs compute in the default float dtype).
    dL/da = g 2^b   (2^b computed in b's dtype, as torch's: 0 for a negative integer b),
    dL/db = g out ln 2."""

    _backward_name = "LdexpBackward0"

    @staticmethod
    def forward(ctx, a, b):
        dt = result_np_dtype(a, b)
        if dt.kind != "f":
            dt = np.dtype(get_default_dtype().np)
        a = as_dtype(a, dt)
        if b.dtype.kind in "iub":
            out = np.ldexp(a, b.astype(np.int32) if b.dtype != np.int64 else b)
        else:
            out = a * np.exp2(as_dtype(b, dt))
        ctx.save_for_backward(b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        b, out = ctx.saved_tensors
        ga = gb = None
        if ctx.needs_input_grad[0]:
            if b.dtype.kind in "iub":
                ga = g * as_dtype(np.left_shift(1, b.astype(np.int64)), g.dtype)
            else:
                ga = g * np.exp2(b)
        if ctx.needs_input_grad[1]:
            gb = mul_scalar(g * out, _LN2)
        return ga, gb


@supports_out(rule="ldexp")
def ldexp(input, other, *, out=None):
    check_tensor_args("ldexp", input, other)
    return Ldexp.apply(input, other)


def ldexp_inplace(input, other):
    """The op ``x.ldexp_(y)`` writes back: torch's result is cast into x's dtype by a
    multiplication named ldexp, so an integer or bool x is refused by that name."""
    check_tensor_args("ldexp", input, other)
    if input._data.dtype.kind != "f":
        raise RuntimeError(
            f"ldexp can't be cast to the desired output type {scalar_type_name(input._data.dtype)}")
    return Ldexp.apply(input, other)


class Frexp(ArrayFunction):
    """(mantissa, exponent) with a = mantissa 2^exponent, 0.5 <= |mantissa| < 1 (mantissa = a
    and exponent = 0 at 0, +-inf and NaN).      dL/da = g_mantissa / 2^exponent."""

    _backward_name = "FrexpBackward0"

    @staticmethod
    def forward(ctx, a):
        mantissa, exponent = np.frexp(a)
        exponent = exponent.astype(np.int32)
        ctx.exponent = exponent
        return np.asarray(mantissa), exponent

    @staticmethod
    def backward(ctx, g_mantissa, g_exponent):
        return g_mantissa / as_dtype(np.exp2(ctx.exponent), g_mantissa.dtype)


def _frexp_out(input, outs):
    mantissa, exponent = outs
    if exponent._data.dtype != np.int32:
        raise RuntimeError("torch.frexp() expects exponent to have int dtype but got "
                           f"{c_type_name(exponent._data.dtype)}")
    if mantissa._data.dtype != input._data.dtype:
        raise RuntimeError("torch.frexp() expects mantissa to have dtype "
                           f"{c_type_name(input._data.dtype)} but got "
                           f"{c_type_name(mantissa._data.dtype)}")


_frexp_type = make_return("frexp", ("mantissa", "exponent"))


def frexp(input, *, out=None):
    """Split into mantissa and exponent (``torch.return_types.frexp``)."""
    if not isinstance(input, Tensor):
        raise argument_error(frexp, locals())
    if input._data.dtype.kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    if out is not None:
        if isinstance(out, (tuple, list)) and all(isinstance(o, Tensor) for o in out):
            check_out_grad("frexp", tuple(out), (input,))
            _frexp_out(input, out)
        return with_outs(out, "frexp", ("mantissa", "exponent"), lambda x: Frexp.apply(x),
                         input, position=2)
    return _frexp_type(Frexp.apply(input))


@supports_out(rule="same")
def sgn(input, *, out=None):
    """sign(a) (torch's sign extended to complex numbers, a / |a|; for real tensors the same
    values, bool and integer dtypes kept), recorded as SgnBackward0."""
    check_tensor_input("sgn", input)
    return Sgn.apply(input)


@supports_out(rule="bool_out", differentiable=None)
def signbit(input, *, out=None):
    """True where the sign bit is set: negative numbers, -0.0, -inf and NaNs with the sign bit
    (a bool result, never part of the graph)."""
    check_tensor_input("signbit", input)
    a = input._data
    return _new_tensor(np.zeros(a.shape, np.bool_) if a.dtype == np.bool_ else
                       np.asarray(np.signbit(a)))


# -- sigmoid, relu, erf ----------------------------------------------------------------------------

class Sigmoid(ArrayFunction):
    """out = 1 / (1 + exp(-a)).      dL/da = g * (1 - out) * out   (``sigmoid_array``; the
    gradient is torch's sigmoid_backward, an op of its own under create_graph)."""

    _backward_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, a):
        out = sigmoid_array(as_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return SigmoidBackward.call(g, out)


@supports_out()
def sigmoid(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(sigmoid, locals())
    if not isinstance(input, Tensor):
        raise argument_error(sigmoid, locals())
    return Sigmoid.apply(input)


@functools.lru_cache(maxsize=None)
def _maximum_keeps_second(dtype: np.dtype) -> bool | None:
    """Which operand np.maximum returns where the two are equal (-0.0 against 0): True for the
    second, False for the first, None if its loop mixes them. NumPy does not specify it: its
    SIMD loops (float32 and float64 on x86) return the second, its scalar float16 loop the
    first. Probed once per dtype, on an array long enough for a loop's body and its tail."""
    zeros = np.full(37, -0.0, dtype=dtype)
    if np.signbit(np.maximum(0, zeros)).all() and np.signbit(np.maximum(0, zeros[0])):
        return True
    if np.signbit(np.maximum(zeros, 0)).all() and np.signbit(np.maximum(zeros[0], 0)):
        return False
    return None


class Relu(ArrayFunction):
    """out = a where a >= 0 (-0.0 and NaN included), else +0.0: torch's max(a, 0) keeps the
    sign of a zero input. dL/da = 0 where out <= 0, else g   (relu'(0) = 0; a NaN input passes
    its gradient; a select, as torch's, so an inf/NaN g where out <= 0 gives 0).

    np.maximum with a float input as the operand it returns on ties (``_maximum_keeps_second``),
    so -0.0 stays -0.0 in one pass; a select on the bits where the loop mixes them."""

    _backward_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, a):
        if a.dtype.kind == "b":
            raise RuntimeError("Boolean inputs not supported for relu")
        keeps = _maximum_keeps_second(a.dtype) if a.dtype.kind == "f" else False
        if keeps is None:
            out = zero_where(a, a < 0)
        else:
            out = np.maximum(0, a) if keeps else np.maximum(a, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return ThresholdBackward.call(g, out, 0)


def relu(input):
    if not isinstance(input, Tensor):
        raise argument_error(relu, locals())
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
    if not isinstance(input, Tensor):
        raise argument_error(erf, locals())
    if not isinstance(input, Tensor):
        raise argument_error(erf, locals())
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
    if not isinstance(input, Tensor):
        raise argument_error(floor, locals())
    return Floor.apply(input)


class Ceil(_Rounding):
    """out = ceil(a).      dL/da = 0."""

    _backward_name = "CeilBackward0"
    _kernel = "ceil_vml_cpu"
    _np_fn = staticmethod(np.ceil)


@supports_out(rule="same")
def ceil(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(ceil, locals())
    return Ceil.apply(input)


class Trunc(_Rounding):
    """out = trunc(a) (toward zero).      dL/da = 0."""

    _backward_name = "TruncBackward0"
    _kernel = "trunc_vml_cpu"
    _np_fn = staticmethod(np.trunc)


@supports_out(rule="same")
def trunc(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(trunc, locals())
    if not isinstance(input, Tensor):
        raise argument_error(trunc, locals())
    return Trunc.apply(input)


fix = renamed(trunc, "fix")


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
    if not isinstance(input, Tensor):
        raise argument_error(round, locals())
    if decimals == 0:
        return Round.apply(input)
    float_kernel("round_cpu", input._data.dtype)  # (integers round to themselves only at 0)
    return RoundDecimals.apply(input, decimals)


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
    if not isinstance(input, Tensor):
        raise argument_error(frac, locals())
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
    if not isinstance(input, Tensor):
        raise argument_error(nan_to_num, locals())
    return NanToNum.apply(input, nan, posinf, neginf)


def _bound(value, dt: np.dtype) -> np.ndarray:
    """A number bound in the clamp's dtype, converted as torch converts it, in range
    (``check_scalar_fits``; an unsigned dtype also takes negatives down to minus its maximum,
    wrapping)."""
    check_scalar_fits(value, dt)
    if dt.kind in "iu":
        return np.asarray(value).astype(dt)
    return np.asarray(cast_value(value, dt), dtype=dt)


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
        out = a if lo is None else np.maximum(a, _bound(lo, dt))
        return out if hi is None else np.minimum(out, _bound(hi, dt))

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


def _mixes_bounds(lo, hi) -> bool:
    """A number beside a tensor bound that is not 0-d: neither of torch's overloads (Tensor
    bounds, or Scalar bounds, which read a 0-d tensor as a number) takes the pair."""
    return any(isinstance(a, Tensor) and a.ndim and b is not None and not isinstance(b, Tensor)
               for a, b in ((lo, hi), (hi, lo)))


def clamp_method_error(name: str, args: tuple, kwargs: dict) -> TypeError | None:
    """torch's TypeError for ``x.clamp(lo, hi)`` (``name``: clamp, clip, clamp_ or clip_)
    when the bounds mix a number with a tensor that is not 0-d, else None. Its parser explains
    each of the method's two overloads: by the arguments' types, or (for a call with keywords)
    by naming the keywords."""
    bounds = dict(zip(("min", "max"), args), **kwargs)
    if not _mixes_bounds(bounds.get("min"), bounds.get("max")):
        return None
    types = [_type_name(a) for a in args]
    keywords = list(reversed(kwargs))        # (torch's parser lists them last given first)
    got = ", ".join(types + [f"{k}={_type_name(kwargs[k])}" for k in keywords])
    if kwargs:
        why = f"some of the keywords were incorrect: {', '.join(keywords)}"
        got += "" if args else ", "         # (torch's parser leaves a comma after keywords alone)
    else:
        why = f"some of the arguments have invalid types: ({', '.join(f'!{t}!' for t in types)})"
    lines = [f"{name}() received an invalid combination of arguments - got ({got}), "
             "but expected one of:"]
    for kind in ("Tensor", "Number"):
        lines += [f" * ({kind} min = None, {kind} max = None)", f"      didn't match because {why}"]
    return TypeError("\n".join(lines) + "\n")


_NUMBERS = (int, float, type(None))
_CLAMP_SIGNATURES = "".join(
    f" * (Tensor input, {kind} min = None, {kind} max = None, *, Tensor out = None)\n"
    for kind in ("Tensor", "Number"))


def _clamp_arguments(name: str, args: tuple, kwargs: dict) -> tuple:
    """``(input, min, max)`` of a ``clamp``/``clip`` call, bound as torch's parser binds them;
    for a call neither overload takes, its TypeError, which lists the arguments as given:
    positional ones by type, then the keywords (last given first) as ``name=type``."""
    if "out" in kwargs:  # (the method form, which has no out=)
        raise TypeError(f"{name}() got an unexpected keyword argument 'out'")
    bound = dict(zip(("input", "min", "max"), args))
    ok = len(args) <= 3
    for k in kwargs:
        ok = ok and k in ("input", "min", "max") and k not in bound
    bound.update(kwargs)
    lo, hi = bound.get("min"), bound.get("max")
    ok = ok and isinstance(bound.get("input"), Tensor) and _is_bound(lo) and _is_bound(hi) \
        and not _mixes_bounds(lo, hi)
    if not ok:
        got = ", ".join([_type_name(a) for a in args]
                        + [f"{k}={_type_name(kwargs[k])}" for k in reversed(kwargs)])
        got += ", " if kwargs and not args else ""  # (torch's parser leaves it after keywords)
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({got}), "
                        f"but expected one of:\n{_CLAMP_SIGNATURES}")
    return bound["input"], lo, hi


def _is_bound(b) -> bool:
    return b is None or isinstance(b, (Tensor, int, float, np.number, np.bool_))


@supports_out(rule="same")
def clamp(*args, out=None, **kwargs):
    """``clamp(input, min=None, max=None)``: clamp into [min, max]; bounds are numbers or
    tensors (either may be None). (Its arguments are bound by :func:`_clamp_arguments`: torch's
    messages tell the keywords given from the positional arguments.)"""
    # (the common calls, numbers as bounds, checked at a glance)
    if len(args) == 3 and not kwargs:
        input, min, max = args  # noqa: A001
    elif len(args) == 1 and kwargs and kwargs.keys() <= {"min", "max"}:
        input, min, max = args[0], kwargs.get("min"), kwargs.get("max")  # noqa: A001
    else:
        input = None  # noqa: A001
    if type(input) is not Tensor or type(min) not in _NUMBERS or type(max) not in _NUMBERS:
        input, min, max = _clamp_arguments(sys._getframe().f_code.co_name, args, kwargs)
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return ClampTensor.apply(input, min, max)
    return Clamp.apply(input, min, max)


clip = renamed(clamp, "clip")


@supports_out(rule="same")
def clamp_min(input, min, *, out=None):  # noqa: A002
    if not isinstance(input, Tensor) or min is None:
        raise argument_error(clamp_min, locals())
    if isinstance(min, Tensor):
        return ClampTensor.apply(input, min, None, name="ClampMinBackward1")
    return Clamp.apply(input, min, None, name="ClampMinBackward0")


@supports_out(rule="same")
def clamp_max(input, max, *, out=None):  # noqa: A002
    if not isinstance(input, Tensor) or max is None:
        raise argument_error(clamp_max, locals())
    if isinstance(max, Tensor):
        return ClampTensor.apply(input, None, max, name="ClampMaxBackward1")
    return Clamp.apply(input, None, max, name="ClampMaxBackward0")
