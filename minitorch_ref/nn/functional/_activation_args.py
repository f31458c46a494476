"""What torch's activation kernels do around their arithmetic: the range checks on their number
arguments, and which elements their CPU loops take one at a time (where a NaN may fall on the
other side of a condition than in the vectorized loop).

Number arguments. torch converts each to the type its kernel computes in: float32 for float16
inputs (the opmath type) for the slopes, alphas, betas and thresholds that enter the arithmetic
(leaky_relu, elu, celu, softplus, rrelu's bounds, threshold's threshold), the input's own type
for values written or compared as elements (hardtanh's bounds, hardshrink's lambda, threshold's
value). A finite number beyond that type's range is RuntimeError "value cannot be converted to
type float without overflow" (``c10::Half`` for float16); an infinity or NaN passes, and float64
takes anything.

The scalar loop. torch's elementwise CPU kernels step through contiguous memory one or two
SIMD registers at a time (64 bytes each with AVX-512, which torch uses where the CPU has it,
else 32; hardtanh and the shrinks take one, elu and hardswish two) and hand what is left, the
last (n mod step) elements, to a scalar loop; an input strided along its last dimension goes to
the scalar loop whole. For some activations the two loops write a
condition differently (``x <= lo || x >= hi ? 0 : g`` against ``x > lo && x < hi ? g : 0``), and
a NaN x takes the other branch: ``scalar_loop_index`` says where.
"""
from __future__ import annotations

import math

import numpy as np

from ..._cpu_math import REGISTER_BYTES
from ..._dtype import check_scalar_fits
from ..._names import scalar_type_name
from ..._ops._util import zero_where


def scalar_loop_index(x: np.ndarray, registers: int):
    """The elements of ``x`` that torch's elementwise CPU loop takes one at a time, as an index
    into arrays of x's shape, or None: all of a 0-d or strided x; else, in memory order, the
    last n mod step elements (C or Fortran order; a step is ``registers`` SIMD registers), or
    each row's last m mod step (rows contiguous, the array not)."""
    if type(x) is not np.ndarray:       # (a GraphArray: create_graph records the vector form)
        return None
    if x.ndim == 0 or x.size == 0:
        return ... if x.ndim == 0 else None
    step = registers * REGISTER_BYTES // x.itemsize
    for order in ("C", "F"):
        if x.flags[f"{order}_CONTIGUOUS"]:
            r = x.size % step
            return np.unravel_index(np.arange(x.size - r, x.size), x.shape, order=order) \
                if r else None
    m = x.shape[-1]
    if x.strides[-1] == x.itemsize and m > 1:
        r = m % step
        return (..., slice(m - r, None)) if r else None
    return ...


def scalar_loop_nan(out: np.ndarray, x: np.ndarray, value, registers: int) -> np.ndarray:
    """``out`` with ``value`` (an array of x's shape, or a function of an index giving the
    values there) where x is NaN in the scalar loop: the branch that loop's condition sends a
    NaN to, where the vectorized loop's sends it to the other."""
    if type(x) is not np.ndarray or not isinstance(out, (np.ndarray, np.generic)):
        return out
    if x.ndim and x.flags.c_contiguous:     # (the common case: no NaN in a view of the tail)
        r = x.size % (registers * REGISTER_BYTES // x.itemsize)
        if not r or not np.isnan(x.reshape(-1)[x.size - r:]).any():
            return out
    idx = scalar_loop_index(x, registers)
    if idx is None:
        return out
    out = np.asarray(out)
    nan = np.isnan(x[idx])
    if nan.any():
        v = value(idx) if callable(value) else np.broadcast_to(value, x.shape)[idx]
        out[idx] = np.where(nan, v, out[idx])
    return out


def scalar_loop_where(out: np.ndarray, x: np.ndarray, g, zero, registers: int) -> np.ndarray:
    """``out`` with the scalar loop's own select, ``zero(x) ? 0 : g``, on the elements torch's
    scalar loop takes (for a condition whose vectorized form differs with a NaN argument)."""
    if type(x) is not np.ndarray:
        return out
    idx = scalar_loop_index(x, registers)
    if idx is None:
        return out
    out = np.asarray(out)
    gs = np.broadcast_to(g, x.shape)[idx]
    out[idx] = zero_where(gs, zero(x[idx]))
    return out


def scalar_loop_zeros(out: np.ndarray, x: np.ndarray, zero, registers: int) -> np.ndarray:
    """``out`` with x * 0 where ``zero(x)`` in the scalar loop (softshrink's zeros: -0 for a
    negative x there, +0 in the vectorized loop)."""
    if x.ndim and x.flags.c_contiguous and type(out) is np.ndarray and out.flags.c_contiguous:
        r = x.size % (registers * REGISTER_BYTES // x.itemsize)
        if r:                               # (a view of the tail)
            xs = x.reshape(-1)[x.size - r:]
            np.copyto(out.reshape(-1)[x.size - r:], xs * 0, where=zero(xs))
        return out
    idx = scalar_loop_index(x, registers)
    if idx is not None:
        out = np.asarray(out)
        xs = x[idx]
        out[idx] = np.where(zero(xs), xs * 0, out[idx])
    return out


def check_int_args(*values) -> None:
    """torch reads a Python int argument as a C integer of 64 bits, signed or unsigned: beyond
    that, its OverflowError (the last argument's, as torch's parser reports)."""
    for v in reversed(values):
        if isinstance(v, int) and not -(1 << 63) <= v < 1 << 64:
            raise OverflowError("int too big to convert" if v > 0 else
                                "can't convert negative int to unsigned")


_FITS = {np.dtype(np.float16): 65504.0, np.dtype(np.float32): float(np.finfo(np.float32).max),
         np.dtype(np.float64): math.inf}


def check_opmath(x: np.ndarray, *values) -> None:
    """torch's range check of numbers a float kernel reads in its opmath type."""
    if x.dtype.kind == "f":
        top = _FITS[np.dtype(np.float32) if x.dtype == np.float16 else x.dtype]
        for v in values:
            if not (type(v) is float and -top <= v <= top):    # (else the full check)
                check_scalar_fits(v, x.dtype, opmath=True)


def check_element(x: np.ndarray, *values) -> None:
    """torch's range check of numbers a kernel converts to the input's own type."""
    top = _FITS.get(x.dtype)
    for v in values:
        if top is None or not (type(v) is float and -top <= v <= top):
            check_scalar_fits(v, x.dtype)


def check_rrelu_bounds(lower: float, upper: float, training: bool, inplace: bool) -> None:
    """torch's checks of rrelu's bounds before its kernel, in its order: out of place, both
    finite, then ordered; in place, only ordered (so NaN fails there, inf does not)."""
    if not inplace:
        for name, v in (("lower", lower), ("upper", upper)):
            if not math.isfinite(v):
                raise RuntimeError(f"rrelu: {name} bound must be finite, got {v}")
    if not lower <= upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")


def check_uniform_span(lower: float, upper: float) -> None:
    """The check of torch's uniform distribution over [lower, upper), in double: the span must
    be finite (rrelu's training noise)."""
    if not upper - lower <= np.finfo(np.float64).max:
        raise RuntimeError(
            "Expected to - from <= std::numeric_limits<T>::max() to be true, but got false.  "
            "(Could this error message be improved?  If so, please report an enhancement "
            "request to PyTorch.)")


def check_softshrink_lambda(x: np.ndarray, lambd: float) -> None:
    """softshrink's lambda lies in [0, the largest value of x's dtype] (NaN does not)."""
    top = float(np.finfo(x.dtype).max)
    if not 0 <= lambd <= top:
        raise RuntimeError(f"lambda must be in range [0, {top:g}] for input dtype "
                           f"{scalar_type_name(x.dtype)}, but found {lambd:g}")
