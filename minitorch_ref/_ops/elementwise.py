"""Elementwise ops. Each class is one op: ``forward`` beside ``backward``, the derivative in the
docstring. ``g`` is the gradient flowing in (dL/d out). Broadcasting in forward needs nothing in
backward: the engine sums each gradient back to its input's shape.
"""
from __future__ import annotations

import numpy as np

from .._dtype import get_default_dtype, result_np_dtype
from .._tensor import _c_name, _new_tensor, _type_name
from ..autograd.function import ArrayFunction
from ._erf import erf as np_erf  # Cody's rational approximations (NumPy has no erf)
from ._util import (Tensor, as_array, as_dtype, broadcast_shapes_or_raise, number, promote,
                    zero_where)
from .indexing import nonzero
from .out import supports_out

__all__ = [
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide",
    "remainder", "fmod", "neg", "negative", "pow", "rsub", "square", "exp", "exp2", "expm1", "log",
    "log1p", "log2", "log10", "sqrt", "rsqrt", "reciprocal", "abs", "absolute", "sign", "sin",
    "cos", "tan", "tanh", "sigmoid", "relu", "floor", "ceil", "round", "trunc", "fix", "frac",
    "clamp", "clip", "clamp_min", "clamp_max", "maximum", "minimum", "where", "masked_fill",
    "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
    "not_equal", "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and",
    "bitwise_or", "bitwise_xor", "bitwise_not", "isnan", "isinf", "isfinite", "isposinf",
    "isneginf", "isclose", "allclose", "equal", "nan_to_num", "lerp", "addcmul", "addcdiv",
    "atan2", "arctan2", "logaddexp", "erf",
]


def _binary(np_fn, a, b):
    """Apply a NumPy ufunc in torch's promoted dtype; a broadcast mismatch is torch's error."""
    if type(a) is not np.ndarray or type(b) is not np.ndarray or a.dtype is not b.dtype:
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
        if alpha != 1:
            ctx.alpha = alpha
            a, b = promote(a, b)
            return _binary(np.add, a, b * alpha)
        return _binary(np.add, a, b)

    @staticmethod
    def backward(ctx, g):
        alpha = getattr(ctx, "alpha", 1)  # only recorded when it is not 1
        return g, (g if alpha == 1 else g * alpha), None


class Sub(ArrayFunction):
    """out = a - alpha * b.      dL/da = g,   dL/db = -alpha * g."""

    _backward_name = "SubBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.alpha = alpha
        if _is_bool(a) or _is_bool(b):
            _bool_sub_error(a, b)
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


def _is_bool(x) -> bool:
    return type(x) is bool or (type(x) is np.ndarray and x.dtype == np.bool_)


def _bool_sub_error(a, b) -> None:
    if _is_bool(a) and _is_bool(b):
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead.")
    raise RuntimeError(
        "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
        "to invert a mask, use the `~` or `logical_not()` operator instead.")


class Mul(ArrayFunction):
    """out = a * b.      dL/da = g * b,   dL/db = g * a.

    Each operand is saved only when the other one needs a gradient (as torch does), so that an
    in-place change to an operand that backward never reads is not an error."""

    _backward_name = "MulBackward0"

    @staticmethod
    def forward(ctx, a, b):
        if type(a) is not np.ndarray or type(b) is not np.ndarray or a.dtype is not b.dtype:
            a, b = promote(a, b)
        needs = ctx.needs_input_grad
        ctx.save_for_backward(a if needs[1] else None, b if needs[0] else None)
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
                a = np.asarray(a).astype(get_default_dtype().np)
            # dL/da reads b only; dL/db reads both
            ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
            return _binary(np.true_divide, a, b)
        if rounding_mode not in ("trunc", "floor"):
            raise RuntimeError(
                "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                f"'{rounding_mode}'")
        _integer_division_checks(f"div_{rounding_mode}_cpu", a, b)
        if rounding_mode == "floor":
            return _binary(np.floor_divide, a, b)
        if result_np_dtype(a, b).kind == "f":
            return np.trunc(_binary(np.true_divide, a, b))
        return _trunc_int_div(np.asarray(a), b)

    @staticmethod
    def backward(ctx, g):
        if ctx.rounding_mode is not None:  # piecewise constant: zero gradient, as in torch
            return np.zeros_like(g), np.zeros_like(g), None
        a, b = ctx.saved_tensors
        ga = g / b if ctx.needs_input_grad[0] else None
        gb = -g * a / (b * b) if ctx.needs_input_grad[1] else None
        return ga, gb, None


def _integer_division_checks(kernel: str, a, b) -> None:
    """torch refuses bool operands and raises for an integer division by zero (NumPy would
    warn and return 0)."""
    dt = result_np_dtype(a, b)
    if dt == np.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    if dt.kind in "iu" and np.any(np.asarray(b) == 0):
        raise RuntimeError("ZeroDivisionError")


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
        if result_np_dtype(a, b) == np.bool_:
            if type(b) is bool:  # torch: x ** True is x, x ** False is all True
                return a.copy() if b else np.ones_like(a)
            raise NotImplementedError("\"pow\" not implemented for 'Bool'")
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
                if isinstance(b, (int, float)):  # a number exponent: torch's formula, no select
                    ga = np.zeros_like(g) if b == 0 else g * (b * np.power(a, b - 1))
                else:
                    ga = np.where(b == 0, 0.0, g * b * np.power(a, b - 1))
        if ctx.needs_input_grad[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = np.where((a == 0) & (b >= 0), 0.0, g * out * np.log(a))
        return ga, gb


class Remainder(ArrayFunction):
    """out = a - b * floor(a / b)   (Python's %, the sign of b).
    dL/da = g,   dL/db = -g * floor(a / b)."""

    _backward_name = "RemainderBackward0"

    @staticmethod
    def forward(ctx, a, b):
        _integer_division_checks("remainder_cpu", a, b)
        a, b = promote(a, b)
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return _binary(np.remainder, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        gb = None
        if ctx.needs_input_grad[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = -g * np.floor(a / b)
        return g, gb


class Fmod(ArrayFunction):
    """out = a - b * trunc(a / b)   (C's fmod, the sign of a).
    dL/da = g,   dL/db = -g * trunc(a / b)."""

    _backward_name = "FmodBackward0"

    @staticmethod
    def forward(ctx, a, b):
        _integer_division_checks("fmod_cpu", a, b)
        a, b = promote(a, b)
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return _binary(np.fmod, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        gb = None
        if ctx.needs_input_grad[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = -g * np.trunc(a / b)
        return g, gb


# -- unary ---------------------------------------------------------------------------------------

def _float(a: np.ndarray) -> np.ndarray:
    """Unary float ops on integer tensors compute in the default float dtype, as torch does."""
    if a.dtype.kind in "f":
        return a
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


def _no_bool(a: np.ndarray, kernel: str) -> None:
    if a.dtype == np.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


class Log1p(ArrayFunction):
    """out = log(1 + a).      dL/da = g / (1 + a)."""

    _backward_name = "Log1PBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log1p(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return g / (1 + a)


class Log2(ArrayFunction):
    """out = log2(a).      dL/da = g / (a ln 2)."""

    _backward_name = "Log2Backward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log2(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return g / (a * np.log(2.0))


class Log10(ArrayFunction):
    """out = log10(a).      dL/da = g / (a ln 10)."""

    _backward_name = "Log10Backward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log10(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return g / (a * np.log(10.0))


class Exp2(ArrayFunction):
    """out = 2^a.      dL/da = g * out * ln 2."""

    _backward_name = "Exp2Backward0"

    @staticmethod
    def forward(ctx, a):
        out = np.exp2(_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g * out * np.log(2.0)


class Expm1(ArrayFunction):
    """out = exp(a) - 1.      dL/da = g * (out + 1)."""

    _backward_name = "Expm1Backward0"

    @staticmethod
    def forward(ctx, a):
        out = np.expm1(_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g * (out + 1)


class Sqrt(ArrayFunction):
    """out = sqrt(a).      dL/da = g / (2 out)   (inf at a = 0, as in torch)."""

    _backward_name = "SqrtBackward0"

    @staticmethod
    def forward(ctx, a):
        with np.errstate(invalid="ignore"):
            out = np.sqrt(_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return g / (2 * out)


class Rsqrt(ArrayFunction):
    """out = 1 / sqrt(a).      dL/da = -g * out^3 / 2."""

    _backward_name = "RsqrtBackward0"

    @staticmethod
    def forward(ctx, a):
        with np.errstate(divide="ignore", invalid="ignore"):
            out = 1 / np.sqrt(_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        with np.errstate(invalid="ignore"):
            return -0.5 * g * out * out * out


class Reciprocal(ArrayFunction):
    """out = 1 / a.      dL/da = -g * out^2."""

    _backward_name = "ReciprocalBackward0"

    @staticmethod
    def forward(ctx, a):
        with np.errstate(divide="ignore"):
            out = 1 / _float(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        with np.errstate(invalid="ignore"):
            return -g * out * out


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


class Sin(ArrayFunction):
    """out = sin(a).      dL/da = g * cos(a)."""

    _backward_name = "SinBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * np.cos(a)


class Cos(ArrayFunction):
    """out = cos(a).      dL/da = -g * sin(a)."""

    _backward_name = "CosBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return -g * np.sin(a)


class Tan(ArrayFunction):
    """out = tan(a).      dL/da = g * (1 + out^2)."""

    _backward_name = "TanBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.tan(_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g * (1 + out * out)


class Tanh(ArrayFunction):
    """out = tanh(a).      dL/da = g * (1 - out^2)."""

    _backward_name = "TanhBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.tanh(_float(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g * (1 - out * out)


class Sigmoid(ArrayFunction):
    """out = 1 / (1 + exp(-a)).      dL/da = g * out * (1 - out).

    torch's formula as it stands: for a very negative, exp(-a) overflows to inf and 1 / inf is
    the correct 0, so the overflow is harmless (and silenced). A branch on the sign of a would
    avoid it, but np.where on an unpredictable mask costs ~10 multiplies here."""

    _backward_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
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


class Ceil(_Rounding):
    """out = ceil(a).      dL/da = 0."""

    _backward_name = "CeilBackward0"
    _kernel = "ceil_vml_cpu"
    _np_fn = staticmethod(np.ceil)


class Trunc(_Rounding):
    """out = trunc(a) (toward zero).      dL/da = 0."""

    _backward_name = "TruncBackward0"
    _kernel = "trunc_vml_cpu"
    _np_fn = staticmethod(np.trunc)


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


class Frac(ArrayFunction):
    """out = a - trunc(a).      dL/da = g."""

    _backward_name = "FracBackward0"

    @staticmethod
    def forward(ctx, a):
        if a.dtype.kind != "f":
            raise RuntimeError(f"\"frac_cpu\" not implemented for '{_type_name(a.dtype)}'")
        return a - np.trunc(a)

    @staticmethod
    def backward(ctx, g):
        return g


# -- clamp, maximum, minimum, where, masked_fill ---------------------------------------------------

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


class Maximum(ArrayFunction):
    """out = max(a, b) elementwise (NaN propagates).
    dL/da = 0 where a < b, g/2 where a == b, else g;   dL/db = 0 where a > b, g/2 where a == b,
    else g (ties split evenly; where a or b is NaN both receive g, as in torch)."""

    _backward_name = "MaximumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        ctx.save_for_backward(a, b)
        return _binary(np.maximum, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return _split_ties(g, a < b, a > b, a == b, ctx.needs_input_grad)


class Minimum(ArrayFunction):
    """out = min(a, b) elementwise (NaN propagates).
    dL/da = 0 where a > b, g/2 where a == b, else g;   dL/db = 0 where a < b, g/2 where a == b,
    else g (ties split evenly; where a or b is NaN both receive g, as in torch)."""

    _backward_name = "MinimumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        ctx.save_for_backward(a, b)
        return _binary(np.minimum, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return _split_ties(g, a > b, a < b, a == b, ctx.needs_input_grad)


def _split_ties(g, a_loses, b_loses, tie, needs):
    """g halved at ties, then zeroed (selected) where that input loses; a NaN on either side
    is neither a tie nor a loss, so both inputs receive g there."""
    shared = np.where(tie, g * 0.5, g)
    ga = zero_where(shared, a_loses) if needs[0] else None
    gb = zero_where(shared, b_loses) if needs[1] else None
    return ga, gb


class Where(ArrayFunction):
    """out = a where cond else b.      dL/da = g where cond, else 0;   dL/db = g where not cond."""

    _backward_name = "WhereBackward0"

    @staticmethod
    def forward(ctx, cond, a, b):
        a, b = promote(a, b)
        ctx.save_for_backward(cond)
        try:
            return np.where(cond, a, b)
        except ValueError:
            broadcast_shapes_or_raise(np.shape(cond), np.shape(a), np.shape(b))
            raise

    @staticmethod
    def backward(ctx, g):
        cond, = ctx.saved_tensors
        zero = np.zeros((), dtype=g.dtype)
        ga = np.where(cond, g, zero) if ctx.needs_input_grad[1] else None
        gb = np.where(cond, zero, g) if ctx.needs_input_grad[2] else None
        return None, ga, gb


class MaskedFill(ArrayFunction):
    """out = a with ``value`` where mask (mask broadcast against a; a's dtype is kept).
    dL/da = g where not mask;   dL/dvalue = sum of g where mask (for a 0-d value tensor)."""

    _backward_name = "MaskedFillBackward0"

    @staticmethod
    def forward(ctx, a, mask, value):
        value = np.asarray(value).astype(a.dtype)
        ctx.save_for_backward(mask)
        try:
            return np.where(mask, value, a)
        except ValueError:
            broadcast_shapes_or_raise(a.shape, mask.shape)
            raise

    @staticmethod
    def backward(ctx, g):
        mask, = ctx.saved_tensors
        zero = np.zeros((), dtype=g.dtype)
        ga = np.where(mask, zero, g) if ctx.needs_input_grad[0] else None
        gv = np.where(mask, g, zero).sum() if ctx.needs_input_grad[2] else None
        return ga, None, gv


# -- the unary public functions --------------------------------------------------------------------

@supports_out()
def exp(input, *, out=None):
    return Exp.apply(input)


@supports_out()
def exp2(input, *, out=None):
    return Exp2.apply(input)


@supports_out()
def expm1(input, *, out=None):
    return Expm1.apply(input)


@supports_out()
def log(input, *, out=None):
    return Log.apply(input)


@supports_out()
def log1p(input, *, out=None):
    return Log1p.apply(input)


@supports_out()
def log2(input, *, out=None):
    return Log2.apply(input)


@supports_out()
def log10(input, *, out=None):
    return Log10.apply(input)


@supports_out()
def sqrt(input, *, out=None):
    return Sqrt.apply(input)


@supports_out()
def rsqrt(input, *, out=None):
    return Rsqrt.apply(input)


@supports_out()
def reciprocal(input, *, out=None):
    return Reciprocal.apply(input)


@supports_out(rule="same")
def abs(input, *, out=None):  # noqa: A001 - torch's name
    return Abs.apply(input)


absolute = abs


@supports_out(rule="same")
def sign(input, *, out=None):
    return Sign.apply(input)


@supports_out()
def sin(input, *, out=None):
    return Sin.apply(input)


@supports_out()
def cos(input, *, out=None):
    return Cos.apply(input)


@supports_out()
def tan(input, *, out=None):
    return Tan.apply(input)


@supports_out()
def tanh(input, *, out=None):
    return Tanh.apply(input)


@supports_out()
def sigmoid(input, *, out=None):
    return Sigmoid.apply(input)


def relu(input):
    return Relu.apply(input)


@supports_out(rule="same")
def floor(input, *, out=None):
    return Floor.apply(input)


@supports_out(rule="same")
def ceil(input, *, out=None):
    return Ceil.apply(input)


@supports_out(rule="same")
def trunc(input, *, out=None):
    return Trunc.apply(input)


fix = trunc


@supports_out(rule="same")
def frac(input, *, out=None):
    return Frac.apply(input)


@supports_out(rule="same")
def round(input, *, decimals: int = 0, out=None):  # noqa: A001 - torch's name
    return Round.apply(input) if decimals == 0 else RoundDecimals.apply(input, decimals)


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


@supports_out()
def maximum(input, other, *, out=None):
    return Maximum.apply(input, other)


@supports_out()
def minimum(input, other, *, out=None):
    return Minimum.apply(input, other)


@supports_out(rule="where")
def where(condition, input=None, other=None, *, out=None):
    """``where(cond, x, y)``: x where cond else y; ``where(cond)`` is ``nonzero(cond,
    as_tuple=True)``."""
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    c = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    if c.dtype != np.bool_:
        raise RuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{_type_name(c.dtype)}")
    return Where.apply(condition, input, other)


def masked_fill(input, mask, value):
    m = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
    if m.dtype != np.bool_:
        raise RuntimeError(
            "masked_fill_ only supports boolean masks, but got mask with dtype "
            f"{_C_NAMES.get(m.dtype.name, m.dtype.name)}")
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value.dim()} dimension(s).")
    if isinstance(value, Tensor):
        return MaskedFill.apply(input, mask, value, name="MaskedFillBackward1")
    return MaskedFill.apply(input, mask, value)


_C_NAMES = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int",
            "uint8": "unsigned char"}


# -- comparisons: boolean results, never part of the graph -----------------------------------------

def _compare(np_fn, input, other) -> Tensor:
    a = input._data if isinstance(input, Tensor) else input
    b = other._data if isinstance(other, Tensor) else other
    return _new_tensor(np.asarray(_binary(np_fn, a, b)))


@supports_out(rule="any", differentiable=None)
def eq(input, other, *, out=None):
    return _compare(np.equal, input, other)


@supports_out(rule="any", differentiable=None)
def ne(input, other, *, out=None):
    return _compare(np.not_equal, input, other)


@supports_out(rule="any", differentiable=None)
def lt(input, other, *, out=None):
    return _compare(np.less, input, other)


@supports_out(rule="any", differentiable=None)
def le(input, other, *, out=None):
    return _compare(np.less_equal, input, other)


@supports_out(rule="any", differentiable=None)
def gt(input, other, *, out=None):
    return _compare(np.greater, input, other)


@supports_out(rule="any", differentiable=None)
def ge(input, other, *, out=None):
    return _compare(np.greater_equal, input, other)


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def _logical(np_fn, input, other) -> Tensor:
    a = input._data if isinstance(input, Tensor) else input
    b = other._data if isinstance(other, Tensor) else other
    try:
        return _new_tensor(np.asarray(np_fn(a, b)))
    except ValueError:
        broadcast_shapes_or_raise(np.shape(a), np.shape(b))
        raise


@supports_out(rule="any", differentiable=None)
def logical_and(input, other, *, out=None):
    return _logical(np.logical_and, input, other)


@supports_out(rule="any", differentiable=None)
def logical_or(input, other, *, out=None):
    return _logical(np.logical_or, input, other)


@supports_out(rule="any", differentiable=None)
def logical_xor(input, other, *, out=None):
    return _logical(np.logical_xor, input, other)


@supports_out(rule="any", differentiable=None)
def logical_not(input, *, out=None):
    return _new_tensor(np.logical_not(input._data))


def _bitwise(np_fn, name: str, input, other) -> Tensor:
    """``&``, ``|``, ``^`` for bool and integer tensors (torch's promotion; floats refused)."""
    a = input._data if isinstance(input, Tensor) else input
    b = other._data if isinstance(other, Tensor) else other
    dt = result_np_dtype(*[x for x in (a, b)])
    if dt.kind == "f":
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{_type_name(dt)}'")
    return _new_tensor(np.asarray(_binary(np_fn, a, b)))


@supports_out(differentiable=False)
def bitwise_and(input, other, *, out=None):
    return _bitwise(np.bitwise_and, "bitwise_and", input, other)


@supports_out(differentiable=False)
def bitwise_or(input, other, *, out=None):
    return _bitwise(np.bitwise_or, "bitwise_or", input, other)


@supports_out(differentiable=False)
def bitwise_xor(input, other, *, out=None):
    return _bitwise(np.bitwise_xor, "bitwise_xor", input, other)


@supports_out(rule="same", differentiable=False)
def bitwise_not(input, *, out=None):
    a = input._data
    if a.dtype.kind == "f":
        raise NotImplementedError(
            f"\"bitwise_not_cpu\" not implemented for '{_type_name(a.dtype)}'")
    return _new_tensor(np.invert(a))


def _predicate(np_fn, input) -> Tensor:
    return _new_tensor(np.asarray(np_fn(input._data)))


def isnan(input):
    return _predicate(np.isnan, input)


def isinf(input):
    return _predicate(np.isinf, input)


def isfinite(input):
    return _predicate(np.isfinite, input)


@supports_out(rule="bool_out", differentiable=None)
def isposinf(input, *, out=None):
    return _predicate(np.isposinf, input)


@supports_out(rule="bool_out", differentiable=None)
def isneginf(input, *, out=None):
    return _predicate(np.isneginf, input)


def isclose(input, other, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False):
    """|a - b| <= atol + rtol * |b| elementwise (the same test as torch and NumPy)."""
    if input.dtype != other.dtype:
        raise RuntimeError(
            f"{input.dtype} did not match {other.dtype}")
    return _new_tensor(np.asarray(np.isclose(input._data, other._data, rtol=rtol, atol=atol,
                                             equal_nan=equal_nan)))


def allclose(input, other, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other) -> bool:
    """True when both tensors have the same shape and the same values."""
    return input._data.shape == other._data.shape and bool(
        np.all(input._data == other._data))


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


# -- the public functions --------------------------------------------------------------------------

def _check_alpha(input, other, alpha):
    """torch's rules for ``alpha``: a NumPy scalar counts as its Python number; no float alpha
    for an integer result, no bool alpha unless the result is bool."""
    alpha = number(alpha)
    if alpha == 1 and type(alpha) is int:
        return alpha
    kind = result_np_dtype(as_array(input), as_array(other)).kind
    if isinstance(alpha, bool) and kind != "b":
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if kind == "b" and isinstance(alpha, int):
        return bool(alpha)  # bool arithmetic: the result stays bool
    if isinstance(alpha, float) and kind in "iub":
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number.")
    return alpha


@supports_out()
def add(input, other, *, alpha=1, out=None):
    if alpha == 1 and type(alpha) is int:  # x + y: the fewest arguments on the hottest path
        return Add.apply(input, other)
    return Add.apply(input, other, _check_alpha(input, other, alpha))


@supports_out()
def sub(input, other, *, alpha=1, out=None):
    if alpha == 1 and type(alpha) is int:
        return Sub.apply(input, other)
    a, b = as_array(input), as_array(other)
    if _is_bool(a) or _is_bool(b):  # torch names the bool operand before alpha
        _bool_sub_error(a, b)
    return Sub.apply(input, other, _check_alpha(input, other, alpha))


subtract = sub


def rsub(input, other, *, alpha=1):
    return Sub.apply(other, input, alpha, name="RsubBackward1")


@supports_out()
def remainder(input, other, *, out=None):
    if not isinstance(input, Tensor):
        return RemainderScalarBase.apply(input, other)
    if isinstance(other, Tensor):
        return Remainder.apply(input, other, name="RemainderBackward1")
    return Remainder.apply(input, other)


@supports_out()
def fmod(input, other, *, out=None):
    if isinstance(other, Tensor):
        return Fmod.apply(input, other, name="FmodBackward1")
    return Fmod.apply(input, other)


@supports_out()
def mul(input, other, *, out=None):
    return Mul.apply(input, other)


multiply = mul


@supports_out()
def div(input, other, *, rounding_mode=None, out=None):
    if rounding_mode is None:
        return Div.apply(input, other)
    return Div.apply(input, other, rounding_mode, name="DivBackward2")


divide = div


@supports_out("div")
def true_divide(dividend, divisor, *, out=None):
    return Div.apply(dividend, divisor)


class _NotDifferentiable(ArrayFunction):
    """Ops torch gives no derivative: the output is recorded (requires_grad, as in torch), and
    backward raises torch's error instead of inventing a gradient."""

    _backward_name = "torch::autograd::NotImplemented"
    _aten = ""

    @classmethod
    def backward(cls, ctx, g):
        raise RuntimeError(f"derivative for aten::{cls._aten} is not implemented")


class FloorDivide(_NotDifferentiable):
    """out = floor(a / b) (``//``). No derivative in torch (``div(rounding_mode='floor')`` has
    the zero one)."""

    _backward_name = "torch::autograd::NotImplemented"
    _aten = "floor_divide"

    @staticmethod
    def forward(ctx, a, b):
        return Div.forward(ctx, a, b, "floor")


class RemainderScalarBase(_NotDifferentiable):
    """out = number % tensor. No derivative in torch."""

    _backward_name = "torch::autograd::NotImplemented"
    _aten = "remainder"

    @staticmethod
    def forward(ctx, a, b):
        return Remainder.forward(ctx, a, b)


@supports_out(differentiable=False)
def floor_divide(input, other, *, out=None):
    return FloorDivide.apply(input, other)


@supports_out(rule="same")
def neg(input, *, out=None):
    return Neg.apply(input)


negative = neg


@supports_out()
def pow(input, exponent, *, out=None):  # noqa: A001 - torch's name
    if isinstance(exponent, Tensor):
        if isinstance(input, Tensor):
            return Pow.apply(input, exponent, name="PowBackward1")
        return Pow.apply(input, exponent, name="PowBackward2")
    if not isinstance(input, Tensor):
        raise TypeError("pow() expects a Tensor as input or exponent")
    return Pow.apply(input, exponent)


@supports_out("pow")
def square(input, *, out=None):
    return Pow.apply(input, 2)


# -- blends and fused forms: lerp, addcmul, addcdiv; atan2, logaddexp, erf -------------------------

class Lerp(ArrayFunction):
    """out = a + w (b - a)   (w a number).      dL/da = g (1 - w),   dL/db = g w."""

    _backward_name = "LerpBackward0"

    @staticmethod
    def forward(ctx, a, b, w):
        a, b = promote(a, b)
        ctx.w = w
        return _binary(np.add, a, w * _binary(np.subtract, b, a))

    @staticmethod
    def backward(ctx, g):
        return g * (1 - ctx.w), g * ctx.w, None


class LerpTensor(ArrayFunction):
    """out = a + w (b - a)   (w a tensor).
    dL/da = g (1 - w),   dL/db = g w,   dL/dw = g (b - a)."""

    _backward_name = "LerpBackward1"

    @staticmethod
    def forward(ctx, a, b, w):
        dt = result_np_dtype(a, b, w)
        a, b, w = (as_dtype(v, dt) for v in (a, b, w))
        broadcast_shapes_or_raise(a.shape, b.shape, w.shape)
        diff = b - a
        ctx.save_for_backward(diff, w)
        return a + w * diff

    @staticmethod
    def backward(ctx, g):
        diff, w = ctx.saved_tensors
        return g * (1 - w), g * w, g * diff


class Addcmul(ArrayFunction):
    """out = a + value * t1 * t2.
    dL/da = g,   dL/dt1 = g value t2,   dL/dt2 = g value t1."""

    _backward_name = "AddcmulBackward0"

    @staticmethod
    def forward(ctx, a, t1, t2, value):
        dt = result_np_dtype(a, t1, t2)
        a, t1, t2 = (np.asarray(v).astype(dt, copy=False) for v in (a, t1, t2))
        broadcast_shapes_or_raise(a.shape, t1.shape, t2.shape)
        ctx.save_for_backward(t1, t2)
        ctx.value = value
        return a + value * (t1 * t2)

    @staticmethod
    def backward(ctx, g):
        t1, t2 = ctx.saved_tensors
        gv = g * ctx.value
        return g, gv * t2, gv * t1, None


class Addcdiv(ArrayFunction):
    """out = a + value * t1 / t2.
    dL/da = g,   dL/dt1 = g value / t2,   dL/dt2 = -g value t1 / t2^2."""

    _backward_name = "AddcdivBackward0"

    @staticmethod
    def forward(ctx, a, t1, t2, value):
        dt = result_np_dtype(a, t1, t2)
        if dt.kind != "f":
            raise RuntimeError(
                "Integer division with addcdiv is no longer supported, and in a future  release "
                "addcdiv will perform a true division of tensor1 and tensor2. The historic "
                "addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / "
                "tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / "
                "tensor2) for float inputs. The future addcdiv behavior is just the latter "
                "implementation: (input + value * tensor1 / tensor2), for all dtypes.")
        a, t1, t2 = (np.asarray(v).astype(dt, copy=False) for v in (a, t1, t2))
        broadcast_shapes_or_raise(a.shape, t1.shape, t2.shape)
        ctx.save_for_backward(t1, t2)
        ctx.value = value
        with np.errstate(divide="ignore", invalid="ignore"):
            return a + value * (t1 / t2)

    @staticmethod
    def backward(ctx, g):
        t1, t2 = ctx.saved_tensors
        gv = g * ctx.value
        with np.errstate(divide="ignore", invalid="ignore"):
            return g, gv / t2, -gv * t1 / (t2 * t2), None


class Atan2(ArrayFunction):
    """out = atan2(a, b), the angle of the point (b, a).
    dL/da = g b / (a^2 + b^2),   dL/db = -g a / (a^2 + b^2)."""

    _backward_name = "Atan2Backward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        a, b = _float(np.asarray(a)), _float(np.asarray(b))
        ctx.save_for_backward(a, b)
        return _binary(np.arctan2, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            r2 = a * a + b * b
            return g * b / r2, -g * a / r2


class LogAddExp(ArrayFunction):
    """out = log(exp(a) + exp(b)), computed without overflow.
    dL/da = g exp(a - out),   dL/db = g exp(b - out)."""

    _backward_name = "LogaddexpBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        a, b = _float(np.asarray(a)), _float(np.asarray(b))
        out = _binary(np.logaddexp, a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        with np.errstate(invalid="ignore"):
            return g * np.exp(a - out), g * np.exp(b - out)


class Erf(ArrayFunction):
    """out = erf(a) = 2/sqrt(pi) int_0^a exp(-t^2) dt.      dL/da = g 2/sqrt(pi) exp(-a^2)."""

    _backward_name = "ErfBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        ctx.save_for_backward(a)
        return np_erf(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * (2 / np.sqrt(np.pi)) * np.exp(-a * a)


@supports_out()
def lerp(input, end, weight, *, out=None):
    a, b = as_array(input), as_array(end)
    if isinstance(b, np.ndarray) and b.dtype != a.dtype:  # no promotion between the two ends
        raise RuntimeError(f"expected dtype {_c_name(a.dtype)} for `end` but got dtype "
                           f"{_c_name(b.dtype)}")
    if isinstance(weight, Tensor):
        return LerpTensor.apply(input, end, weight)
    if a.dtype.kind != "f":
        raise NotImplementedError(
            f"\"lerp_kernel_scalar\" not implemented for '{_type_name(a.dtype)}'")
    return Lerp.apply(input, end, number(weight))


def _value_in(dt: np.dtype, value, kernel: str):
    """``value`` as the result dtype reads it (torch casts it: 2.5 scales an integer product
    by 2)."""
    if dt == np.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    value = number(value)
    return int(value) if dt.kind in "iu" else value


@supports_out()
def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    dt = result_np_dtype(*(as_array(t) for t in (input, tensor1, tensor2)))
    return Addcmul.apply(input, tensor1, tensor2, _value_in(dt, value, "addcmul_cpu_out"))


@supports_out()
def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    return Addcdiv.apply(input, tensor1, tensor2, number(value))


@supports_out()
def atan2(input, other, *, out=None):
    return Atan2.apply(input, other)


arctan2 = atan2


@supports_out()
def logaddexp(input, other, *, out=None):
    return LogAddExp.apply(input, other)


@supports_out()
def erf(input, *, out=None):
    return Erf.apply(input)

