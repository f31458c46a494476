"""torch.poisson and torch.binomial: count samplers that draw element by element.

torch's CPU kernels loop over the elements in order and give each as many float64 uniforms as
its rejection (or inversion) loop needs, so which numbers an element gets depends on how many
the elements before it took. Vectorizing would change the draws; these run in Python, one
element at a time, with the C library's ``log``, ``lgamma``, ``exp``, ``sqrt`` (Python's
``math``) in torch's mix of float and double arithmetic.
"""
from __future__ import annotations

import builtins
import math

import numpy as np

from ._cpu_math import _libm
from ._names import scalar_type_name
from ._ops._arguments import argument_error
from ._tensor import Tensor
from .random import Sampled, _NoDerivative, _c10_name, _gen

__all__ = ["poisson", "binomial"]


def _poisson_one(lam: float, uniform) -> int:
    """One Poisson(lam) draw as torch's ``sample_poisson``: for lam >= 10 Hoermann's
    transformed rejection (1993), two uniforms per try; below, Knuth's product of uniforms
    until it falls under exp(-lam). The C library's log/lgamma/exp (Python's ``math``)."""
    if lam >= 10:
        slam = math.sqrt(lam)
        loglam = math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = uniform() - 0.5
            v = uniform()
            us = 0.5 - abs(u)
            k = _floor((2 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= vr:
                return _int64(k)
            # torch's compiled tests read k as the double floor (its int64 cast of a value
            # beyond int64 is undefined, and the compiler keeps the double): checked against
            # torch's stream for rates 9.3e18 to 1e300
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
                    <= -lam + k * loglam - _lgamma(k + 1.0)):
                return _int64(k)
    if lam == 0:
        return 0
    enlam = math.exp(-lam)
    x, prod = 0, 1.0
    while True:
        prod *= uniform()
        if prod > enlam:
            x += 1
        else:
            return x


def poisson(input: Tensor, generator=None) -> Tensor:
    """A Poisson(rate) draw for each element of ``input`` (the rates), in input's dtype.

    torch draws element by element in order, each taking as many float64 uniforms as its
    rejection loop needs, so this runs in Python one element at a time: vectorizing would
    change which numbers each element gets. Recorded as ``PoissonBackward0`` (zero gradient)."""
    if not isinstance(input, Tensor):
        raise argument_error(poisson, locals())
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f'"poisson_cpu" not implemented for \'{_c10_name(input.dtype)}\'')
    rates = input._data
    flat = np.ascontiguousarray(rates).reshape(-1).tolist()
    values = []
    with _gen(generator).scalar_draws() as draws:
        for r in flat:  # checked as reached: the elements before a bad rate have drawn
            if not r >= 0:
                raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
            values.append(_poisson_one(builtins.float(r), draws.uniform))
    out = np.array(values, dtype=rates.dtype).reshape(rates.shape)
    return Sampled.apply(out, input, name="PoissonBackward0")


_STIRLING_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983,
                  0.02079067210376509, 0.0166446911898211, 0.0138761288230707,
                  0.0118967099458917, 0.0104112652619720, 0.00925546218271273,
                  0.00833056343336287)


def _int64(k: float) -> int:
    """torch's int64 cast of a draw: beyond int64, inf and NaN give int64's minimum (x86)."""
    return builtins.int(k) if -2.0 ** 63 <= k < 2.0 ** 63 else -2 ** 63


_LGAMMA_W = (4.18938533204672725052e-01, 8.33333333333329678849e-02, -2.77777777728775536470e-03,
             7.93650558643019558500e-04, -5.95187557450339963135e-04, 8.36339918996282139126e-04,
             -1.63092934096575273989e-03)


def _lgamma(x: float) -> float:
    """The C library's lgamma at ``x = k + 1`` (a whole number >= 1, inf or NaN), which the
    rejection test compares with a difference of numbers near ``k log k``: at rate 1e15 an ulp
    of lgamma decides draws, and Python's ``math.lgamma`` differs from glibc's in the last bit
    on 40% of arguments. Below 8, log((x - 1)!) rounded once (glibc's values); from 8, fdlibm's
    ``e_lgamma_r`` as glibc computes it: ``(x - 1/2)(log x - 1) + w(1/x)``, and from 2**58
    ``x (log x - 1)`` (checked bitwise against glibc on 200,000 arguments)."""
    if x < 8:
        return math.log(math.factorial(builtins.int(x) - 1))
    if not x < 2.0 ** 58:
        return x * (math.log(x) - 1.0)  # (inf and NaN pass through)
    z = 1.0 / x
    y = z * z
    w0, w1, w2, w3, w4, w5, w6 = _LGAMMA_W
    w = w0 + z * (w1 + y * (w2 + y * (w3 + y * (w4 + y * (w5 + y * w6)))))
    return (x - 0.5) * (math.log(x) - 1.0) + w


def _floor(x: float) -> float:
    """C's floor on doubles: an infinity or NaN stays one (an infinite count draws inf)."""
    return builtins.float(math.floor(x)) if math.isfinite(x) else x


def _stirling_approx_tail(k: float) -> float:
    """log k! - (Stirling's approximation of it), tabulated up to 9."""
    if k <= 9:
        return _STIRLING_TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _binomial_one(count, prob, uniform, f):
    """One Binomial(count, prob) draw as torch's ``sample_binomial``: inversion by geometric
    waiting times when count * min(p, 1-p) < 10, else Hoermann's BTRS; for p > 1/2 the draw is
    count minus a draw at 1 - p. ``f`` rounds to the tensor's float type: torch computes the
    products of count and prob there (float for float32 tensors) and the rest in double."""
    if count <= 0.0 or prob <= 0.0:
        return 0.0
    if prob >= 1.0:
        return count
    if prob <= 0.5:
        if f(count * prob) >= 10.0:
            return _btrs(count, prob, uniform, f)
        return _binomial_inversion(count, prob, uniform, f)
    if prob > 0.5:
        qprob = f(1.0 - prob)
        if f(count * qprob) >= 10.0:
            return f(count - _btrs(count, qprob, uniform, f))
        return f(count - _binomial_inversion(count, qprob, uniform, f))
    return math.nan  # prob is NaN


def _binomial_inversion(count, prob, uniform, f):
    geom_sum = 0.0
    num_geom = 0.0
    logprob = f(_log1p_typed(-prob, f))
    while True:
        geom = -_floor(-(math.log(uniform()) / logprob))
        geom_sum += geom
        if geom_sum > count:
            return num_geom
        num_geom = f(num_geom + 1)


def _btrs(count, prob, uniform, f):
    stddev = float(f(math.sqrt(f(f(count * prob) * f(1 - prob)))))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * prob
    c = f(count * prob) + 0.5
    v_r = 0.92 - 4.2 / b
    r = f(prob / f(1 - prob))
    alpha = (2.83 + 5.1 / b) * stddev
    m = _floor(f(f(count + 1) * prob))
    while True:
        u = uniform() - 0.5
        v = uniform()
        us = 0.5 - abs(u)
        k = f(_floor((2 * a / us + b) * u + c))
        if k < 0 or k > count:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        v = math.log(v * alpha / (a / (us * us) + b))
        cmk1 = f(f(count - k) + 1)  # computed in the tensor's type
        upperbound = ((m + 0.5) * math.log((m + 1) / (r * (count - m + 1)))
                      + f(count + 1) * math.log((count - m + 1) / cmk1)
                      + (k + 0.5) * math.log(r * cmk1 / f(k + 1))
                      + _stirling_approx_tail(m) + _stirling_approx_tail(count - m)
                      - _stirling_approx_tail(k) - _stirling_approx_tail(f(count - k)))
        if v <= upperbound:
            return k


def _log1p_typed(x: float, f) -> float:
    """log1p in the tensor's type (C's log1pf for float32), as torch's ``compat_log1p``."""
    arr = np.array([x], dtype=np.float32 if f is _f32 else np.float64)
    return builtins.float(_libm(np.log1p, arr)[0])


def _f32(x) -> float:
    return builtins.float(np.float32(x))


def _f64(x) -> float:
    return builtins.float(x)


def binomial(count: Tensor, prob: Tensor, generator=None) -> Tensor:
    """A Binomial(count, prob) draw for each pair of elements, in count's dtype.

    Element by element in order, each taking as many float64 uniforms as its rejection or
    inversion loop needs (torch's CPU kernel), so this runs in Python one element at a time.
    torch records no derivative (backward raises)."""
    if not (isinstance(count, Tensor) and isinstance(prob, Tensor)):
        raise argument_error(binomial, locals(), tensors=("count", "prob"))
    for name, t in (("count", count), ("prob", prob)):
        if t._data.dtype.kind != "f":
            raise ValueError(f"binomial only supports floating-point dtypes for {name}, got: "
                             f"{_c10_name(t.dtype)}")
    if prob._data.dtype != count._data.dtype:
        raise RuntimeError(f"Found dtype {scalar_type_name(prob.dtype)} but expected "
                           f"{scalar_type_name(count.dtype)}")
    if count._data.dtype == np.float16:
        raise NotImplementedError('"binomial_cpu" not implemented for \'Half\'')
    f = _f32 if count._data.dtype == np.float32 else _f64
    c, p = np.broadcast_arrays(count._data, prob._data)
    with _gen(generator).scalar_draws() as draws:
        values = [_binomial_one(builtins.float(ci), builtins.float(pi), draws.uniform, f)
                  for ci, pi in zip(c.reshape(-1).tolist(), p.reshape(-1).tolist())]
    out = np.array(values, dtype=count._data.dtype).reshape(c.shape)
    return _NoDerivative.apply(out, "binomial", count, prob)
