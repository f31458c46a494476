"""erf, erfc, the normal CDF and the logistic sigmoid on ndarrays (NumPy has none):
``torch.erf``'s kernel, exact GELU's normal CDF, and the sigmoid behind
``torch.sigmoid``, SiLU, Mish and GLU (SiLU takes its denominator, 1 + exp(-x)).

erfc comes from rational approximations of the scaled function erfcx(y) = exp(y^2) erfc(y), which
is smooth and slowly varying: erfc(y) = exp(-y^2) * erfcx(y).
"""
from __future__ import annotations

import math

import numpy as np

_SQRT_HALF = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_LOG2_E = math.log2(math.e)


# erfcx on [0, 4] as P(y) / Q(y) (coefficients by increasing power): a degree 7/8 rational fitted
# for relative error (Lawson-weighted linearized least squares at 50 digits with mpmath; error
# below 7.2e-17 on the interval, about 3.5 ulp once evaluated in float64). Every coefficient is
# positive, so Horner's rule adds no cancellation.
_ERFCX_P = (0.9999999999999999294, 1.659557114670109142, 1.3778553420153077625,
            0.70517055562075458297, 0.23678114490496394957, 0.05184955971809233434,
            0.0068618503757357728172, 0.00042633423122657028762)
_ERFCX_Q = (1.0, 2.7879362817656017362, 3.5237045615502596125, 2.6455618701548747118,
            1.2955062960817861197, 0.42575951981170185995, 0.092279174490822084567,
            0.012162294236681955914, 0.00075565818739008856023)
# The same for float32 (and narrower) arguments, which Horner's rule evaluates in float32: a degree
# 4/4 rational fitted the same way (error below 4.3e-8, under float32's own rounding). Evaluated
# in float32 it is within 5 ulp of erfcx over [0, 4], where the 7/8 one is within 7 ulp: the
# degree beyond 4/4 buys nothing in float32 and costs 14 of the 31 array passes.
_ERFCX_P32 = (0.9999999981533403, 0.8510944298623548, 0.3542122641671284, 0.05868812240383939,
              1.4172649673235062e-05)
_ERFCX_Q32 = (1.0, 1.9794732169742124, 1.5878163479507394, 0.6230699463869149,
              0.1045327924977559)
# y > 4: W. J. Cody's asymptotic form (Math. Comp. 1969), erfcx(y) = (1/sqrt(pi) - z R(z)) / y
# with z = 1 / y^2 and R = P / Q below.
_ERFCX_TAIL_P = (6.58749161529837803e-4, 1.60837851487422766e-2, 1.25781726111229246e-1,
                 3.60344899949804439e-1, 3.05326634961232344e-1, 1.63153871373020978e-2)
_ERFCX_TAIL_Q = (2.33520497626869185e-3, 6.05183413124413191e-2, 5.27905102951428412e-1,
                 1.87295284992346047e00, 2.56852019228982242e00, 1.0)
_SQRT_1_PI = 0.56418958354775628695
# |x| <= 0.46875: Cody's erf(x) = x A(x^2) / B(x^2)
_ERF_SMALL_A = (3.20937758913846947e03, 3.77485237685302021e02, 1.13864154151050156e02,
                3.16112374387056560e00, 1.85777706184603153e-1)
_ERF_SMALL_B = (2.84423683343917062e03, 1.28261652607737228e03, 2.44024637934444173e02,
                2.36012909523441209e01, 1.0)


def _horner(y: np.ndarray, coefs: tuple, out: np.ndarray | None = None) -> np.ndarray:
    """c0 + c1 y + ... + cn y^n by Horner's rule, in ``out`` or one new array of y's dtype (the
    coefficients are Python floats, so float32 stays float32)."""
    acc = np.multiply(y, coefs[-1], out=out)
    for c in coefs[-2:0:-1]:
        acc += c
        acc *= y
    acc += coefs[0]
    return acc


def _erfcx(y: np.ndarray, scale: float = 1.0, out: np.ndarray | None = None,
           work: np.ndarray | None = None) -> np.ndarray:
    """exp(y^2) erfc(y) for y >= 0 (nan stays nan; erfcx(inf) = 0), in y's dtype, times
    ``scale``: a power of two, folded into the denominator's coefficients (exactly: a pass
    fewer than multiplying afterwards). Written into ``out`` if given, with ``work`` (of y's
    shape) as scratch for the denominator."""
    p, q = (_ERFCX_P32, _ERFCX_Q32) if y.dtype.itemsize <= 4 else (_ERFCX_P, _ERFCX_Q)
    if scale != 1.0:
        q = tuple(c / scale for c in q)
    out = _horner(y, p, out)  # (y^n of huge y overflows: replaced by the tail)
    out /= _horner(y, q, work)
    tail = y > 4
    if tail.any():  # rare for typical activations: evaluated only where needed
        yt = y[tail]
        z = 1 / (yt * yt)
        ratio = _horner(z, _ERFCX_TAIL_P)
        ratio /= _horner(z, _ERFCX_TAIL_Q)
        out[tail] = (_SQRT_1_PI - z * ratio) * scale / yt
    return out


def _erfc(y: np.ndarray) -> np.ndarray:
    """erfc(y) for y >= 0, in y's dtype. Relative error about 4 ulp plus y^2 / 2 ulp, the last
    from rounding y^2 inside exp(-y^2): erfc's own condition number is 2 y^2, so an argument
    that carries one rounding error (as x / sqrt 2 does) is uncertain by as much."""
    return np.exp(-(y * y)) * _erfcx(y)


def erf(x: np.ndarray) -> np.ndarray:
    """erf(x) for a float array, in its dtype (torch.erf's kernel): sign(x) (1 - erfc(|x|)),
    and Cody's small-argument rational where |x| <= 0.46875, which keeps the relative accuracy
    of tiny arguments (1 - erfc would not)."""
    flat = x.reshape(-1)  # at least 1-d: ufuncs return scalars for 0-d arrays
    y = np.abs(flat)
    out = 1 - _erfc(y)
    out = np.copysign(out, flat, out=out)
    small = y <= 0.46875
    if small.any():
        xs = flat[small]
        z = xs * xs
        ratio = _horner(z, _ERF_SMALL_A)
        ratio /= _horner(z, _ERF_SMALL_B)
        out[small] = xs * ratio
    return out.reshape(x.shape)


# GELU's normal CDF: Phi(-|x|) = erfc(y) / 2 = exp(-y^2) t P(t) / 2, y = |x| / sqrt 2,
# t = 1 / (1 + p y), with P a polynomial (coefficients by increasing power; the form of
# Abramowitz and Stegun 7.1.26). t runs over (0, 1] as y runs over [0, inf), so one polynomial
# covers the whole axis, with no tail branch. Fitted for absolute error on Phi, GELU's tolerance
# (Lawson-weighted least squares on 8,000 Chebyshev points in t, against scipy's erfc, with p
# chosen by a scan): float32 (and float16, computed in float32) a degree-6 P, error 4.1e-9,
# 1.7e-7 once evaluated in float32 (the rational for erfcx takes 17 passes where this takes 14
# with its t); float64 a degree-13 P, error 1.3e-14.
_GELU_T32 = (0.39, (0.23532516827344604, 0.09138873364133482, 0.6495586020579607,
                    -0.6353992904030553, 0.8866637603457206, -0.22753697560844732))
_GELU_T64 = (0.3025, (0.17032597775877475, 0.1749927394730288, 0.13923657581886037,
                      0.21819504126155861, 0.004634803828201389, 0.18809726000018542,
                      0.11474162634806381, -0.09627474594628588, 0.05398200141422318,
                      0.16344252305705853, -0.20330863634213617, 0.08439435723017012,
                      -0.012459523901678097))

# elements per block of gelu_parts: its ~26 array passes then run on data that stays in the
# CPU cache (a 4 MB float32 array passed through whole that often is held up by memory);
# 128k measured fastest for GELU on 1M elements (32k: 1.2x slower per-call overhead, 1M: 1.2x)
_CDF_BLOCK = 1 << 17


def _block_scratch(flat: np.ndarray, n: int, dtype) -> list:
    """``n`` arrays of one block's size, reused by every block: the same memory stays in cache
    (new arrays per block measured 5% slower for GELU)."""
    return [np.empty_like(flat, dtype=dtype, shape=min(flat.size, _CDF_BLOCK))
            for _ in range(n)]


def _fit(block: np.ndarray, *scratch: np.ndarray) -> list:
    """The scratch arrays cut to a block's length (only the last block is shorter)."""
    return [a if a.size == block.size else a[:block.size] for a in scratch]


def _gelu_cdf_block(x: np.ndarray, cdf: np.ndarray, gauss: np.ndarray, t: np.ndarray) -> None:
    """Phi(x) and exp(-x^2 / 2) of a 1-d block, written into ``cdf`` and ``gauss``; ``t`` is
    scratch of the block's size. Phi(x) = |[x > 0] - Phi(-|x|)|: Phi(-|x|) itself for x <= 0,
    1 - Phi(-|x|) for x > 0, in three passes (a select by np.where costs several times more on
    an unpredictable mask). Phi(-|x|) is first rounded to a multiple of 2^-54 (float64; 2^-25
    in float32), exact in the sum (Phi(-|x|) + 1/4) - 1/4, as torch's (1 + erf(x / sqrt 2)) / 2
    is, erf rounded near -1: so the lower tail is 0 where torch's is (below x = -8.3 float64,
    -5.5 float32; Phi(-|x|) alone is 1e-88 at x = -20), two passes more."""
    p, coefs = _GELU_T32 if t.dtype.itemsize <= 4 else _GELU_T64
    np.abs(x, out=t)
    t *= p * _SQRT_HALF
    t += 1
    np.divide(1, t, out=t)
    np.multiply(x, x, out=gauss, dtype=gauss.dtype)
    gauss *= -_LOG2_E / 2                       # exp(-x^2 / 2) as exp2: half exp's time
    np.exp2(gauss, out=gauss)
    np.multiply(t, coefs[-1] / 2, out=cdf)      # t P(t) / 2 by Horner's rule
    for c in coefs[-2::-1]:
        cdf += c / 2
        cdf *= t
    cdf *= gauss                                # Phi(-|x|)
    cdf += 0.25                                 # ... to the spacing of torch's (1 + erf) / 2
    cdf -= 0.25
    np.greater(x, 0, out=t)                     # Phi(x) = |[x > 0] - Phi(-|x|)|
    np.subtract(t, cdf, out=cdf)
    np.abs(cdf, out=cdf)


def gelu_parts(x: np.ndarray, with_derivative: bool = True) -> tuple:
    """(x Phi(x), Phi(x) + x phi(x)): exact GELU and its derivative, Phi the normal CDF and
    phi(x) = exp(-x^2 / 2) / sqrt(2 pi) the normal density (the derivative None when not asked
    for). Block by block (``_CDF_BLOCK``): the product and the derivative's three passes read
    Phi and exp(-x^2 / 2) while they are in cache, and GELU's backward is one pass (g times the
    derivative). float16 is computed in float32 and rounded once (the derivative is kept in
    float32), as torch's kernels compute it."""
    flat = x.reshape(-1)  # at least 1-d: ufuncs return scalars for 0-d arrays
    work = np.promote_types(x.dtype, np.float32)
    out = np.empty_like(flat)
    deriv = np.empty_like(flat, dtype=work) if with_derivative else None
    cdf, gauss, t = _block_scratch(flat, 3, work)
    for start in range(0, flat.size, _CDF_BLOCK):
        part = slice(start, start + _CDF_BLOCK)
        xb = flat[part]
        cdf, gauss, t = _fit(xb, cdf, gauss, t)
        _gelu_cdf_block(xb, cdf, gauss, t)
        np.multiply(xb, cdf, out=out[part])
        if deriv is not None:
            np.multiply(gauss, _INV_SQRT_2PI, out=t)   # x phi(x) in torch's order: in the
            t *= xb                                     # subnormal tail it decides the sign of 0
            np.add(t, cdf, out=deriv[part])
    return out.reshape(x.shape), None if deriv is None else deriv.reshape(x.shape)


def sigmoid_denominator(a: np.ndarray) -> np.ndarray:
    """1 + exp(-a) for a float array, in a new array of its dtype (float32 for float16): the
    sigmoid's denominator, 1 / sigmoid(a). exp(-a) is taken as exp2(-a log2 e).

    For speed: NumPy's float32 exp2 takes half the time of its exp (0.23 ms against 0.5 ms per
    1M elements, one thread). The rounding of -a log2 e adds a relative error of about
    |a| 2^-24 to exp(-a): at most 4e-6 where float32's exp(-a) nears overflow (float32's rtol
    is 1e-5), about 1e-14 in float64. float16 is computed in float32, as torch's kernels do.
    For a very negative a, exp(-a) overflows to inf, and so does the denominator: the sigmoid
    1 / inf is the correct 0, so the overflow is harmless (and silenced); a branch on the sign
    of a would avoid it, but np.where on an unpredictable mask costs ~10 multiplies here."""
    work = np.promote_types(a.dtype, np.float32)
    e = np.multiply(a, -_LOG2_E, out=np.empty_like(a, dtype=work), dtype=work)  # array if 0-d
    np.exp2(e, out=e)
    e += 1
    return e


def sigmoid_array(a: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-a)) for a float array, in a new array of its dtype: torch's formula, the
    reciprocal of ``sigmoid_denominator`` by ``np.divide(1, e)`` (0.11 ms per 1M float32
    elements; ``np.reciprocal`` takes 0.22 ms for the same correctly rounded quotient).
    float16 is rounded once from float32, as torch's kernel does."""
    e = sigmoid_denominator(a)
    return np.divide(1, e, out=e).astype(a.dtype, copy=False)
