"""torch's CPU float arithmetic, reproduced bit for bit where torch's random streams depend on it:
float64 functions through the C library (``_libm``), fused multiply-adds (``_fma64``,
``_fma32``), and the Cephes float32 ``log`` and ``sin``/``cos`` of torch's AVX2 normal kernel.
Used by ``random.py`` (its Box-Muller and inverse-CDF samplers) and by ``linspace``/``logspace``.
``REGISTER_BYTES``: the width of torch's SIMD registers, which decides the order of its
vectorized loops (where they hand elements to a scalar loop, how its sums group terms)."""
from __future__ import annotations

import math
import os

import numpy as np

try:
    from numpy._core._multiarray_umath import __cpu_features__ as _CPU
except ImportError:
    try:  # NumPy 1
        from numpy.core._multiarray_umath import __cpu_features__ as _CPU
    except ImportError:  # (no feature table: torch's portable width)
        _CPU = {}


def _register_bytes() -> int:
    """The width of torch's SIMD registers: 64 bytes where the CPU has AVX-512 (torch's
    condition: F, BW, DQ, VL, which NumPy calls AVX512_SKX), else 32 (AVX2, and torch's
    portable default); ATEN_CPU_CAPABILITY chooses, as in torch."""
    chosen = os.environ.get("ATEN_CPU_CAPABILITY", "").lower()
    wide = chosen == "avx512" if chosen else bool(_CPU.get("AVX512_SKX"))
    return 64 if wide else 32


REGISTER_BYTES = _register_bytes()


def _libm(ufunc, *xs) -> np.ndarray:
    """Apply a float64 ``ufunc`` element by element through the C library, as torch does.

    NumPy's SIMD kernels for float64 ``log``, ``log1p``, ``exp``, ``tan`` and ``power`` differ
    from the C library in the last bit for a fraction of inputs. NumPy takes its scalar loop,
    which calls the C library, on a negative-stride view, so we evaluate on the reversed arrays
    and reverse back (tests/test_random.py checks this against ``math``). The operands
    broadcast.
    """
    xs = [np.asarray(x, dtype=np.float64) for x in xs]
    shape = np.broadcast_shapes(*(x.shape for x in xs))
    if not shape:
        return ufunc(*xs)
    flat = [np.broadcast_to(x, shape).reshape(-1)[::-1] for x in xs]
    return ufunc(*flat)[::-1].reshape(shape)


_FMA_BLOCK = 1 << 15


def _fma64(a, b, c):
    """Correctly rounded ``a * b + c`` in float64, as torch's compiled code fuses it.

    Exact for ``c == 0`` and ``b == 1`` (the common cases); otherwise ``_split_fma``, exact
    barring underflow. Where a factor or the product exceeds 2**995 (the split would
    overflow) the larger factor and ``c`` are scaled by 2**-60 first; where the result is
    not finite it is ``a * b + c`` (inf or nan, as the FMA's).
    """
    a = np.asarray(a, dtype=np.float64)
    if np.all(np.asarray(c) == 0):
        return a * b + 0.0
    if np.all(np.asarray(b) == 1):
        return a + c
    b, c = np.asarray(b, dtype=np.float64), np.asarray(c, dtype=np.float64)
    shape = np.broadcast_shapes(a.shape, b.shape, c.shape)
    if math.prod(shape) > 2 * _FMA_BLOCK and all(x.shape in ((), shape) for x in (a, b, c)):
        # blocks that stay in cache: the emulation makes about 40 passes over its operands
        flat = [x.reshape(-1) if x.ndim else x for x in (a, b, c)]
        out = np.empty(math.prod(shape))
        for i in range(0, out.size, _FMA_BLOCK):
            out[i:i + _FMA_BLOCK] = _fma64(*(x[i:i + _FMA_BLOCK] if x.ndim else x
                                             for x in flat))
        return out.reshape(shape)
    top_a, top_b = np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0)
    if max(top_a, top_b, top_a * top_b) > 2.0 ** 995:  # the split could overflow
        big = ~(np.maximum(np.abs(a), np.abs(b)) <= 2.0 ** 995) \
            | ~(np.abs(a * b) <= 2.0 ** 995)
        sa = np.where(big & (np.abs(a) >= np.abs(b)), 2.0 ** -60, 1.0)  # scale the larger
        sb = np.where(big & (np.abs(a) < np.abs(b)), 2.0 ** -60, 1.0)   # factor (exact)
        r = _split_fma(a * sa, b * sb, c * sa * sb) / (sa * sb)
        r = np.where((a == 0) | (b == 0), a * b + c, r)  # c may lose low bits when scaled
    else:
        r = _split_fma(a, b, c)
    bad = ~np.isfinite(r)
    if bad.any():  # an operand or the result is inf or nan: the plain arithmetic's
        r = np.where(bad, a * b + c, r)
    return r


def _split_fma(a: np.ndarray, b: np.ndarray, c) -> np.ndarray:
    """Boldo and Melquiond's emulated FMA: ``p + e == a * b`` and ``s + t == p + c`` exactly
    (Veltkamp-Dekker split, TwoSum), then ``s + odd(t + e)``, where odd() rounds to odd so that
    the last addition rounds once, as if from the exact sum (ties included)."""
    p = a * b
    split = 134217729.0  # 2**27 + 1
    ta = split * a
    ah = ta - (ta - a)
    al = a - ah
    tb = split * b
    bh = tb - (tb - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    s, t = _two_sum(p, c)
    u, w = _two_sum(t, e)
    bits = np.asarray(u, dtype=np.float64).view(np.int64)
    # round to odd: an even u with w != 0 moves one ulp towards w (+1 on the bits is away
    # from zero), to the odd neighbour
    step = ((bits & 1) == 0) & (w != 0)
    toward = np.where((w > 0) == (u > 0), 1, -1)
    return s + (bits + step * toward).view(np.float64)


def _two_sum(x, y):
    """``s = x + y`` rounded and its error ``t``: ``s + t == x + y`` exactly."""
    s = x + y
    bb = s - x
    return s, (x - (s - bb)) + (y - bb)


def _fma32(a, b, c) -> np.ndarray:
    """``a * b + c`` rounded once to float32 (the product of two float32s is exact in float64).
    The sum is rounded to float32 as it is written (one pass, not an add and a cast)."""
    r = np.multiply(a, b, dtype=np.float64)
    return np.add(r, c, out=np.empty(r.shape, dtype=np.float32), casting="unsafe")


# -- Cephes float32 log and sin/cos (torch's AVX2 kernels' polynomials) ------------------------

_F = np.float32
_LOG_P = [_F(v) for v in (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
                          1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
                          3.3333331174e-1)]
_LOG_Q1, _LOG_Q2 = _F(-2.12194440e-4), _F(0.693359375)
_SQRTHF = _F(0.707106781186547524)
_DP = [_F(-0.78515625), _F(-2.4187564849853515625e-4), _F(-3.77489497744594108e-8)]
_SINCOF = [_F(-1.9515295891e-4), _F(8.3321608736e-3), _F(-1.6666654611e-1)]
_COSCOF = [_F(2.443315711809948e-5), _F(-1.388731625493765e-3), _F(4.166664568298827e-2)]
_FOPI = _F(1.27323954473516)  # 4 / pi


def _cephes_log32(x: np.ndarray) -> np.ndarray:
    """Natural log of positive normal float32 ``x`` (Box-Muller's ``1 - u`` is at least
    2**-24; torch raises smaller ``x`` to the smallest normal first) by the Cephes method: split
    ``x = m * 2**e`` with ``m`` in [sqrt(1/2), sqrt(2)), then ``log(m)`` by a degree-9
    polynomial in ``m - 1``."""
    bits = x.view(np.int32)
    # the exponent of x as a float32, for a mantissa in [0.5, 1): (bits >> 23) - 127 + 1
    e = np.subtract(bits >> 23, 0x7E, out=np.empty(x.shape, np.float32), casting="unsafe")
    m = ((bits & ~0x7F800000) | 0x3F000000).view(np.float32)  # mantissa in [0.5, 1)
    small = (m < _SQRTHF).astype(np.float32)  # 0/1: arithmetic is cheaper than np.where
    e -= small
    m = (m - _F(1)) + m * small
    z = m * m
    y = _fma32(_LOG_P[0], m, _LOG_P[1])
    m64 = m.astype(np.float64)  # (exact) converted once for the seven steps below
    for p in _LOG_P[2:]:
        y = _fma32(y, m64, p)
    y = y * m
    y = _fma32(y, z, e * _LOG_Q1)
    # two fused multiply-adds whose products are exact in float32 (z / 2; e has at most 8
    # bits and Q2 9), so the float32 sum is the fused result
    y = y - z * _F(0.5)
    return (m + y) + e * _LOG_Q2


def _cephes_sincos32(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sin and cos of float32 ``x`` in [0, 4096): reduce by multiples of pi/4 (the constant
    split in three parts for extra precision), then the Cephes sine and cosine polynomials. The
    octant ``j`` picks which polynomial is the sine and flips signs; both are done on the bits.
    On this range ``j`` has at most 13 bits and the first two parts of pi/4 at most 11, so their
    fused multiply-adds are float32 adds of exact products."""
    j = (x * _FOPI).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(np.float32)
    x = x + y * _DP[0]
    x = x + y * _DP[1]
    x = _fma32(y, _DP[2], x)
    z = x * x
    c = _fma32(_COSCOF[0], z, _COSCOF[1])
    c = _fma32(c, z, _COSCOF[2])
    c = _fma32(c * z, z, -(z * _F(0.5))) + _F(1)
    s = _fma32(_SINCOF[0], z, _SINCOF[1])
    s = _fma32(s, z, _SINCOF[2])
    s = _fma32(s * z, x, x)
    sb, cb = s.view(np.int32), c.view(np.int32)
    # swap the two where bit 1 of j is set: x ^ ((s ^ c) & mask) picks the other one
    swap = (sb ^ cb) & -((j >> 1) & 1)
    sin = sb ^ swap
    cos = cb ^ swap
    sin ^= (j & 4) << 29  # negate (flip the sign bit) where bit 2 of j is set
    cos ^= (~(j - 2) & 4) << 29  # and where bit 2 of j - 2 is clear
    return sin.view(np.float32), cos.view(np.float32)
