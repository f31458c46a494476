"""The special functions themselves, in NumPy (NumPy has none of them): log-gamma, digamma,
trigamma and the Hurwitz zeta function (hence every polygamma), the inverse error function and
the normal quantile, the modified Bessel functions I0 and I1, erfc and erfcx.

Every function takes and returns float64 arrays (the ops in ``special.py`` cast), works on whole
arrays (a fixed, small number of passes; no Python loop over elements) and is built from
classical series whose derivation is written beside the code, so that a reader can check it:

* Stirling's series for log-gamma, digamma and trigamma, after shifting the argument up with
  the recurrences Gamma(x + 1) = x Gamma(x), psi(x + 1) = psi(x) + 1/x; the reflection formulas
  for negative arguments, with sin(pi x) and tan(pi x) taken of the reduced argument x - round(x)
  (exact in floating point), so the poles and zeros land where they belong.
* Euler-Maclaurin summation for the Hurwitz zeta function.
* Halley's iteration on erf or erfc for the inverse error function and the normal quantile,
  from fitted polynomial starts.
* The power series and the large-argument asymptotic series for I0 and I1.

Accuracy (measured against mpmath at 40 digits; docs/special.md has the table): about 1e-15
relative or better away from the zeros of a function; near a zero (lgamma at 1 and 2, digamma
at 1.4616...) the error is about 1e-16 absolute, as for any method that sums O(1) terms.
The Bernoulli numbers B_2k in the series are exact fractions, converted once.
"""
from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np

from ._erf import _erfcx, erf as _erf

__all__ = ["lgamma", "digamma", "trigamma", "zeta", "polygamma", "erfc", "erfcx", "erfinv",
           "ndtri", "i0", "i0e", "i1", "i1e"]

# B_2, B_4, ..., B_24
_BERNOULLI = [Fraction(1, 6), Fraction(-1, 30), Fraction(1, 42), Fraction(-1, 30),
              Fraction(5, 66), Fraction(-691, 2730), Fraction(7, 6), Fraction(-3617, 510),
              Fraction(43867, 798), Fraction(-174611, 330), Fraction(854513, 138),
              Fraction(-236364091, 2730)]

# lgamma(w) ~ (w - 1/2) log w - w + log sqrt(2 pi) + sum_k B_2k / (2k (2k - 1) w^(2k-1))
_STIRLING = [float(b / (2 * k * (2 * k - 1))) for k, b in enumerate(_BERNOULLI[:8], 1)]
# psi(w) ~ log w - 1 / (2w) - sum_k B_2k / (2k w^(2k))
_DIGAMMA = [float(b / (2 * k)) for k, b in enumerate(_BERNOULLI[:8], 1)]
# psi'(w) ~ 1/w + 1 / (2 w^2) + sum_k B_2k / w^(2k+1)
_TRIGAMMA = [float(b) for b in _BERNOULLI[:9]]
# the Euler-Maclaurin correction terms of zeta: B_2j / (2j)!
_EULER_MACLAURIN = [float(b / math.factorial(2 * j)) for j, b in enumerate(_BERNOULLI, 1)]
_EULER_GAMMA = 0.57721566490153286061

_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)
_SQRT_PI = math.sqrt(math.pi)


def _poly(z: np.ndarray, coefs: list) -> np.ndarray:
    """c0 + c1 z + c2 z^2 + ... by Horner's rule."""
    acc = np.full_like(z, coefs[-1])
    for c in coefs[-2::-1]:
        acc *= z
        acc += c
    return acc


def _positions(mask: np.ndarray) -> tuple:
    """The indices where a 1-D ``mask`` holds and where it does not. Gathering and scattering
    by index costs about a tenth of indexing by an irregular boolean mask (NumPy's boolean
    indexing branches per element: 0.44 ms against 0.05 ms for 100k elements)."""
    return np.flatnonzero(mask), np.flatnonzero(~mask)


def _elementwise(fn):
    """``fn``, written for 1-D arrays (its pieces are gathered by flat index), applied to an
    array of any shape."""
    @functools.wraps(fn)
    def apply(x):
        x = np.asarray(x)
        return fn(x.reshape(-1)).reshape(x.shape)
    return apply


def _abs_sin_pi(x: np.ndarray) -> np.ndarray:
    """|sin(pi x)| = |sin(pi r)| with the reduced argument r = x - round(x) in [-1/2, 1/2]
    (exact in floating point): 0 at the integers, not the rounding noise of sin(pi * x)."""
    return np.abs(np.sin(np.pi * (x - np.round(x))))


# -- log-gamma ---------------------------------------------------------------------------------

def _lgamma_pos(x: np.ndarray) -> np.ndarray:
    """log Gamma(x) for x >= 0.

    x >= 8: Stirling's series in 1/x (8 terms: the first omitted one is below 1e-16 of the
    result at x = 8).
    0.5 <= x < 8: the Taylor series about 2, log Gamma(2 + z) = (1 - gamma) z +
    sum_{k>=2} (-1)^k (zeta(k) - 1) / k z^k, for z in [-1/2, 1/2) after the recurrence
    Gamma(x + 1) = x Gamma(x) moved x there: log Gamma(x) = log Gamma(x - n) + log((x-1) ...
    (x-n)) downwards, or - log x upwards from [1/2, 3/2) (with log1p(x - 1), exact near 1).
    No term cancels another, so the zeros at 1 and 2 come out exactly and nearby values keep
    their relative accuracy.
    0 <= x < 0.5: log Gamma(x) = log Gamma(x + 1) - log x."""
    out = np.empty_like(x)
    big, small = _positions(x >= 8)                # (NaN lands in small and stays NaN)
    if big.size:
        w = x[big]
        r = 1 / w
        out[big] = (w - 0.5) * np.log(w) - w + _LOG_SQRT_2PI + r * _poly(r * r, _STIRLING)
    if small.size:
        w = x[small]
        tiny = w < 0.5
        w = np.where(tiny, w + 1, w)               # [0, 0.5) -> [1, 1.5)
        below = w < 1.5                            # [0.5, 1.5): up by one
        v = np.where(below, w + 1, w)              # then down by n = 0..5 to [1.5, 2.5)
        n = np.maximum(np.floor(v - 1.5), 0)
        z = np.where(below, w - 1, w - (n + 2))    # exact (Sterbenz): not through v
        prod = np.ones_like(w)
        for k in range(1, 7):                      # (v - 1)(v - 2) ... (v - n), exactly:
            prod *= 1 + (v - (k + 1)) * (n >= k)   # a factor 1 where k > n (no masked loop)
        val = z * _poly(z, _LGAMMA_AT_2) + np.log(prod)
        val = np.where(below, val - np.log1p(w - 1), val)
        out[small] = np.where(tiny, val - np.log(x[small]), val)
    return out


@_elementwise
def lgamma(x: np.ndarray) -> np.ndarray:
    """log |Gamma(x)|: inf at 0, -0 and the negative integers, inf at +-inf, nan at nan.
    Negative x by reflection: log|Gamma(x)| = log(pi / |sin(pi x)|) - log Gamma(1 - x)."""
    neg = x < 0
    out = _lgamma_pos(np.where(neg, 1 - x, x))
    if neg.any():
        xn = x[neg]
        out[neg] = np.log(np.pi / _abs_sin_pi(xn)) - out[neg]
    out[np.isinf(x)] = np.inf
    return out


# -- digamma and trigamma ----------------------------------------------------------------------

@_elementwise
def digamma(x: np.ndarray) -> np.ndarray:
    """psi(x) = d/dx log Gamma(x). x >= 0: psi(x) = psi(x + n) - sum_{k<n} 1 / (x + k) with
    n = 10 where x < 10, then the asymptotic series (7 terms). psi(+0) = -inf, psi(-0) = +inf
    (the sign of 1 / x), nan at the negative integers and -inf. Negative x by reflection:
    psi(x) = psi(1 - x) - pi / tan(pi x)."""
    neg = x < 0
    w = np.where(neg, 1 - x, x)
    acc = np.zeros_like(w)
    small = np.flatnonzero(w < 10)             # these take n = 10: x + 10 >= 10
    ws = w[small]
    acc[small] = -(1 / ws + sum(1 / (ws + k) for k in range(1, 10)))  # 1 / -0 = -inf
    w[small] = ws + 10
    r2 = 1 / (w * w)
    out = np.log(w) - 0.5 / w
    out -= r2 * _poly(r2, _DIGAMMA)
    out += acc
    if neg.any():
        xn = x[neg]
        r = xn - np.round(xn)  # tan has period pi: tan(pi x) = tan(pi r), r exact
        out[neg] -= np.where(r == 0, np.nan, np.pi / np.tan(np.pi * r))
    return out


@_elementwise
def trigamma(x: np.ndarray) -> np.ndarray:
    """psi'(x). x >= 0: psi'(x) = psi'(x + n) + sum_{k<n} 1 / (x + k)^2 with n = 10 where
    x < 10, then the asymptotic series (9 terms). inf at 0 and the negative integers (poles),
    0 at inf. Negative x by reflection: psi'(x) = pi^2 / sin^2(pi x) - psi'(1 - x)."""
    neg = x < 0
    w = np.where(neg, 1 - x, x)
    acc = np.zeros_like(w)
    small = np.flatnonzero(w < 10)             # these take n = 10: x + 10 >= 10
    ws = w[small]
    acc[small] = sum(1 / ((ws + k) * (ws + k)) for k in range(10))
    w[small] = ws + 10
    r = 1 / w
    r2 = r * r
    out = r + 0.5 * r2
    out += r * r2 * _poly(r2, _TRIGAMMA)
    out += acc
    if neg.any():
        s = _abs_sin_pi(x[neg])
        out[neg] = np.pi ** 2 / (s * s) - out[neg]
    return out


# -- the Hurwitz zeta function and polygamma -----------------------------------------------------

def zeta(s: np.ndarray, q: np.ndarray) -> np.ndarray:
    """zeta(s, q) = sum_{k>=0} (q + k)^-s (broadcast), by Euler-Maclaurin summation: the first
    N terms directly (N >= 9 and q + N > 9), then with w = q + N

        sum_{k>=N} (q+k)^-s = w^(1-s) / (s-1) + w^-s / 2
                              + sum_{j=1}^{12} B_2j / (2j)! s (s+1) ... (s+2j-2) w^(-s-2j+1).

    torch's values outside the sum's domain: inf at s = 1 and at q a non-positive integer; nan
    for s < 1, for q < 0 with s not an integer, and for q = inf. A negative q takes about -q
    more direct terms."""
    s, q = np.broadcast_arrays(np.asarray(s, np.float64), np.asarray(q, np.float64))
    out = np.full(s.shape, np.nan)
    pole = (s == 1) | ((q <= 0) & (q == np.floor(q)))
    ok = (s > 1) & ~pole & ((q > 0) | (s == np.floor(s))) & (q < np.inf)
    out[pole & ~np.isnan(s)] = np.inf
    if not ok.any():
        return out
    ss, qq = s[ok], q[ok]
    n = np.maximum(9, np.floor(9 - qq) + 1)   # direct terms k = 0 .. n-1
    total = np.zeros_like(qq)
    for k in range(int(n.max())):
        np.add(total, (qq + k) ** -ss, out=total, where=k < n)
    w = qq + n
    b = w ** -ss
    total += b * w / (ss - 1) + 0.5 * b
    rising = ss.copy()                         # s (s+1) ... (s+2j-2), j = 1
    b = b / w                                  # w^(-s-2j+1), j = 1
    for j, c in enumerate(_EULER_MACLAURIN, 1):
        if j > 1:
            rising *= (ss + (2 * j - 3)) * (ss + (2 * j - 2))
            b /= w * w
        total += c * rising * b
    out[ok] = total
    return out


# log Gamma(2 + z) / z = (1 - gamma) + sum_{k>=2} (-1)^k (zeta(k) - 1) / k z^(k-1): 28 terms
# reach 1e-17 at |z| = 1/2 (the terms shrink as 4^-k); zeta(k) - 1 = zeta(k, 2), from zeta below
_LGAMMA_AT_2: list = []


def _lgamma_series() -> list:
    ks = np.arange(2, 30, dtype=np.float64)
    tails = zeta(ks, np.full_like(ks, 2.0))
    return [1 - _EULER_GAMMA] + [(-1) ** int(k) * t / k for k, t in zip(ks, tails)]


def polygamma(n: int, x: np.ndarray) -> np.ndarray:
    """psi^(n)(x), the n-th derivative of digamma: n = 0, 1 above; n >= 2 through
    psi^(n)(x) = (-1)^(n+1) n! zeta(n + 1, x)."""
    if n == 0:
        return digamma(x)
    if n == 1:
        return trigamma(x)
    factorial = np.exp(math.lgamma(n + 1.0))
    return (1.0 if n % 2 else -1.0) * factorial * zeta(float(n + 1), x)


_LGAMMA_AT_2.extend(_lgamma_series())


# -- erfc, erfcx ---------------------------------------------------------------------------------

def _exp_square(x: np.ndarray, sign: float) -> np.ndarray:
    """exp(sign x^2) to within a few ulp for large |x|. Rounding x^2 first would cost x^2 / 2
    ulp (exp turns an absolute error of x^2 into a relative one: 350 ulp at x = 26), so x^2 is
    carried exactly as hi + lo (Dekker's split of x into two 26-bit halves) and
    exp(sign (hi + lo)) = exp(sign hi) (1 + sign lo), lo being below an ulp of hi."""
    hi = x * x
    c = x * 134217729.0                      # 2^27 + 1
    xh = c - (c - x)
    xl = x - xh
    lo = ((xh * xh - hi) + 2 * xh * xl) + xl * xl
    out = np.exp(sign * hi)
    return out * np.where(np.isfinite(lo), 1 + sign * lo, 1)


def erfcx(x: np.ndarray) -> np.ndarray:
    """exp(x^2) erfc(x); for x < 0 from erfcx(x) = 2 exp(x^2) - erfcx(-x) (inf below -26.6)."""
    out = _erfcx(np.abs(x))
    neg = x < 0
    if neg.any():
        xn = x[neg]
        out[neg] = 2 * _exp_square(xn, 1.0) - out[neg]
    return out


def erfc(x: np.ndarray) -> np.ndarray:
    """1 - erf(x): exp(-x^2) erfcx(x) for x >= 0.5 (relative accuracy kept however small it
    gets), 1 - erf(x) for |x| < 0.5, 2 - erfc(-x) below."""
    a = np.abs(x)
    out = _exp_square(a, -1.0) * _erfcx(a)
    np.subtract(2, out, out=out, where=x < 0)
    small = a < 0.5
    if small.any():
        out[small] = 1 - _erf(x[small])
    return out


# -- erfinv and ndtri: Halley's iteration ------------------------------------------------------

# Starting values of erfinv: least-squares Chebyshev fits to mpmath's erfinv (40 digits),
# written as polynomials in the fitted variable mapped onto [-1, 1]
_ERFINV_CENTRAL = [  # erfinv(a) / a in v = a^2, 0 <= v <= 1/4 (relative error 2e-9)
    0.9174083670203137, 0.033567433989073275, 0.002614028482175349, 0.00025224163269536035,
    2.6970831075353553e-05, 3.1361534092385863e-06, 3.724998829222319e-07]
_ERFINV_NEAR = [  # x in s = sqrt(-log t), sqrt(log 2) <= s <= 2.5 (1e-7)
    1.318371654898699, 0.8717316399104091, 0.008916104634210846, -0.010646783260621524,
    0.006208452165429467, -0.0028685903063264155, 0.0011381809415692999,
    -0.00041657653815969437, 0.00012410361187463443, 5.0992169356122095e-06,
    -1.739416799230571e-05]
_ERFINV_FAR = [  # x / s in 1 / s, 2.5 <= s <= 27.3, t down to the smallest subnormal (1e-7)
    0.9494599852940626, -0.06481938786491018, -0.011099582731256203, 0.004236443082328071,
    -0.000963802814446282, 0.000324613986150372, -0.00017269873141821467,
    5.460204473765358e-06, 3.810559750209308e-05, 6.42512111702961e-05,
    -5.5138347914402094e-05]
_S_LOW, _S_MID, _S_HIGH = math.sqrt(math.log(2)), 2.5, 27.3


def _mapped(z: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """z mapped from [lo, hi] onto [-1, 1], the variable of the fitted polynomials."""
    return (z - 0.5 * (lo + hi)) * (2 / (hi - lo))


# erf(x) = 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1)); for |x| <= 0.48 the first omitted
# term (n = 12) is below 1e-18
_ERF_TAYLOR = [float(Fraction((-1) ** n, math.factorial(n) * (2 * n + 1))) for n in range(12)]


def _erf_small(x: np.ndarray) -> np.ndarray:
    """erf(x) for |x| <= 0.48 (the central erfinv's range) by its Maclaurin series: about
    2.5 times cheaper there than the general erf, and within 2 ulp where that is within 4."""
    return (2 / _SQRT_PI) * x * _poly(x * x, _ERF_TAYLOR)


def _erfinv_core(a: np.ndarray, t: np.ndarray) -> np.ndarray:
    """x >= 0 with erf(x) = a, for 0 <= a < 1 given together with t = 1 - a (exactly: callers
    compute it without cancellation, which keeps the far tail accurate).

    Start: the fitted polynomials above, within 1e-7 relative: erfinv(a) / a in a^2 where
    a <= 1/2; elsewhere in s = sqrt(-log t) (x ~ s in the far tail, where
    erfc(x) ~ exp(-x^2) / (x sqrt pi)). Then one step of Halley's method on
    f(x) = erf(x) - a (a <= 1/2) or f(x) = erfc(x) - t: with f'' = -2x f', a step is
    x <- x - u / (1 + x u), u = f / f', and u is written with erfcx so that nothing overflows:

        erf:   u = (erf(x) - a) sqrt(pi)/2 exp(x^2)
        erfc:  u = -(sqrt(pi)/2) (erfcx(x) - exp(x^2 + log t))

    The step cubes the relative error (1e-7 -> about 1e-21 times x^2: below rounding). (The
    fits replace a cruder start and two more steps, each costing an erf or erfcx.)"""
    out = np.empty_like(a)
    central, tail = _positions(a <= 0.5)
    if central.size:
        y = a[central]
        x = y * _poly(_mapped(y * y, 0.0, 0.25), _ERFINV_CENTRAL)
        u = (_erf_small(x) - y) * (0.5 * _SQRT_PI) * np.exp(x * x)
        out[central] = x - u / (1 + x * u)
    if tail.size:
        log_t = np.log(t[tail])
        s = np.sqrt(-log_t)
        near, far = _positions(s <= _S_MID)
        x = np.empty_like(s)
        if near.size:
            x[near] = _poly(_mapped(s[near], _S_LOW, _S_MID), _ERFINV_NEAR)
        if far.size:
            sf = s[far]
            x[far] = sf * _poly(_mapped(1 / sf, 1 / _S_HIGH, 1 / _S_MID), _ERFINV_FAR)
        u = -(0.5 * _SQRT_PI) * (_erfcx(x) - np.exp(x * x + log_t))
        out[tail] = x - u / (1 + x * u)
    return out


def erfinv(y: np.ndarray) -> np.ndarray:
    """x with erf(x) = y: +-inf at +-1, nan outside [-1, 1]."""
    a = np.abs(y)
    inside = a < 1
    if inside.all():   # the common case, without the gather and scatter
        return np.copysign(_erfinv_core(a, 1 - a), y)
    out = np.where(a == 1, np.copysign(np.inf, y), np.nan)
    if inside.any():
        ai = a[inside]
        x = _erfinv_core(ai, 1 - ai)   # 1 - a is exact for a >= 1/2, where it matters
        out[inside] = np.copysign(x, y[inside])
    return out


def ndtri(p: np.ndarray) -> np.ndarray:
    """The standard normal quantile, Phi(x) = p: -inf at 0, inf at 1, nan outside [0, 1].
    ndtri(p) = sqrt(2) erfinv(2p - 1), computed with t = 1 - |2p - 1| = 2 min(p, 1 - p), which
    is exact, so tiny p keep their relative accuracy."""
    out = np.where(p == 0, -np.inf, np.where(p == 1, np.inf, np.nan))
    inside = (p > 0) & (p < 1)
    if inside.any():
        pi = p[inside]
        lower = pi < 0.5
        t = 2 * np.where(lower, pi, 1 - pi)
        x = _erfinv_core(np.abs(2 * pi - 1), t) * math.sqrt(2)
        out[inside] = np.where(lower, -x, x)
    return out


# -- modified Bessel functions I0, I1 ------------------------------------------------------------

_BESSEL_SWITCH = 20.0   # series below, asymptotic series above
_SERIES_TERMS = 40      # the power series' last term is below 1e-17 of the sum at |x| = 20
_ASYMPTOTIC_TERMS = 25  # the asymptotic terms shrink to 1e-17 by the 25th at x = 20


def _bessel_series(x: np.ndarray, nu: int) -> np.ndarray:
    """I_nu(x) = (x/2)^nu sum_k c_k q^k, q = x^2/4, c_k = 1 / (k! (k + nu)!): every term
    positive (no cancellation), summed by Horner's rule in place (two passes per term)."""
    q = 0.25 * x * x
    coeffs = _SERIES_COEFFS[nu]
    total = np.full_like(q, coeffs[-1])
    for c in coeffs[-2::-1]:
        total *= q
        total += c
    return total if nu == 0 else total * (0.5 * x)


def _bessel_asymptotic(x: np.ndarray, nu: int) -> np.ndarray:
    """exp(-x) I_nu(x) for large x > 0: 1 / sqrt(2 pi x) sum_k (-1)^k a_k(nu) / x^k with
    a_k(nu) = prod_{j<=k} (4 nu^2 - (2j-1)^2) / (k! 8^k), by Horner's rule in 1/x."""
    r = 1 / x
    coeffs = _ASYMPTOTIC_COEFFS[nu]
    total = np.full_like(r, coeffs[-1])
    for c in coeffs[-2::-1]:
        total *= r
        total += c
    total /= np.sqrt(2 * np.pi * x)
    return total


def _series_coeffs(nu: int) -> list:
    return [1 / (math.factorial(k) * math.factorial(k + nu)) for k in range(_SERIES_TERMS)]


def _asymptotic_coeffs(nu: int) -> list:
    """(-1)^k a_k(nu) as the recurrence term_k = term_{k-1} ((2k-1)^2 - 4 nu^2) / (8k) gives."""
    coeffs = [1.0]
    for k in range(1, _ASYMPTOTIC_TERMS + 1):
        coeffs.append(coeffs[-1] * ((2 * k - 1) ** 2 - 4.0 * nu * nu) / (8 * k))
    return coeffs


_SERIES_COEFFS = {nu: _series_coeffs(nu) for nu in (0, 1)}
_ASYMPTOTIC_COEFFS = {nu: _asymptotic_coeffs(nu) for nu in (0, 1)}


def _bessel(x: np.ndarray, nu: int, scaled: bool) -> np.ndarray:
    """I_nu(x), or exp(-|x|) I_nu(x) when ``scaled``; I1 is odd, I0 even."""
    a = np.abs(x)
    out = np.empty_like(a)
    # its own state: torch.kaiser_window calls i0 outside an op (no quiet state there)
    with np.errstate(over="ignore", invalid="ignore"):
        small = a <= _BESSEL_SWITCH
        large = ~small
        if small.any():
            part = small if large.any() else ...   # all small: a view, no gather and scatter
            s = _bessel_series(a[part], nu)
            out[part] = s * np.exp(-a[part]) if scaled else s
        if large.any():
            big = a[large]
            s = _bessel_asymptotic(big, nu)
            out[large] = s if scaled else np.exp(big) * s
    return np.copysign(out, x) if nu == 1 else out


def i0(x: np.ndarray) -> np.ndarray:
    return _bessel(x, 0, False)


def i0e(x: np.ndarray) -> np.ndarray:
    return _bessel(x, 0, True)


def i1(x: np.ndarray) -> np.ndarray:
    return _bessel(x, 1, False)


def i1e(x: np.ndarray) -> np.ndarray:
    return _bessel(x, 1, True)
