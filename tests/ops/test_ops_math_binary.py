"""hypot, copysign, fmax/fmin, float_power, logaddexp2, nextafter, ldexp, frexp, gcd/lcm and
renorm against torch: values and gradients at the special points (0, -0, +-1, +-inf, NaN, ties),
every dtype combination's result dtype or torch's refusal (integer and bool inputs, float16,
mixed widths, Python numbers where torch takes them and its TypeError where it does not), the
in-place forms and the errors."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check, check_raises

INF, NAN = math.inf, math.nan
A = np.array([1.5, -2.0, 0.0, -0.0, INF, -INF, NAN, 0.0, 2.0, -1.0, 3.0, INF])
B = np.array([0.5, 3.0, -1.0, 0.0, -0.0, NAN, 2.0, 0.0, 2.0, -1.0, -INF, INF])

BINARY = {
    "hypot": lambda T, a, b: T.hypot(a, b),
    "copysign": lambda T, a, b: T.copysign(a, b),
    "copysign_number": lambda T, a, b: a.copysign(-0.0) * b,
    "fmax": lambda T, a, b: T.fmax(a, b),
    "fmin": lambda T, a, b: a.fmin(b),
    "float_power": lambda T, a, b: T.float_power(a, b),
    "float_power_number": lambda T, a, b: a.float_power(-1) + T.float_power(2, b),
    "logaddexp2": lambda T, a, b: T.logaddexp2(a, b),
    "nextafter": lambda T, a, b: T.nextafter(a, b),
    "ldexp": lambda T, a, b: T.ldexp(a, b),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", BINARY)
def test_special_points(name, dtype):
    """NaN on either side, infinities, signed zeros and ties: values, grad_fn and gradients."""
    check(BINARY[name], A.astype(dtype), B.astype(dtype), grad_fn_name=True)
    check(BINARY[name], B.astype(dtype), A.astype(dtype), grad_fn_name=True)


VALUES = {
    "int64": np.array([3, -4, 0, 7, 12], dtype=np.int64),
    "int32": np.array([2, 5, 0, -3, 9], dtype=np.int32),
    "uint8": np.array([3, 200, 0, 7, 12], dtype=np.uint8),
    "bool": np.array([True, False, True, False, True]),
    "float16": np.array([1.5, -2.0, 0.0, 0.25, 3.0], dtype=np.float16),
    "float32": np.array([0.5, 3.0, -1.0, 0.0, -2.5], dtype=np.float32),
    "float64": np.array([1.25, -0.5, 2.0, 0.0, 4.0], dtype=np.float64),
}
PAIRS = [("int64", "int64"), ("int32", "int64"), ("uint8", "uint8"), ("bool", "bool"),
         ("int64", "float32"), ("float32", "int64"), ("bool", "float32"),
         ("float16", "float32"), ("float16", "float16"), ("float32", "float64"),
         ("uint8", "int32")]
ALL = {**BINARY, "gcd": lambda T, a, b: T.gcd(a, b), "lcm": lambda T, a, b: a.lcm(b)}


@pytest.mark.parametrize("pair", PAIRS, ids=["-".join(p) for p in PAIRS])
@pytest.mark.parametrize("name", ALL)
def test_dtypes(name, pair):
    """The result dtype of every pair (integers to the default float where the op is a float
    op, kept where it is not), or torch's refusal with its exception type and message."""
    a, b = VALUES[pair[0]], VALUES[pair[1]]
    try:
        ALL[name](torch, torch.tensor(a), torch.tensor(b))
    except Exception:  # noqa: BLE001 - torch refuses: so must we, with its error
        check_raises(lambda T, x, y: ALL[name](T, x, y), a, b)
        return
    check(ALL[name], a, b, grad=False)


NUMBERS = [
    lambda T, x: T.hypot(x, 2.0), lambda T, x: T.fmax(x, 1), lambda T, x: T.fmin(1.0, x),
    lambda T, x: T.logaddexp2(x, 2), lambda T, x: T.nextafter(x, 1.0),
    lambda T, x: T.ldexp(x, 2), lambda T, x: T.gcd(x.long(), 2), lambda T, x: T.lcm(3, x.long()),
    lambda T, x: T.copysign(2.0, x), lambda T: T.float_power(2, 3),
    lambda T, x: T.frexp(x.long()), lambda T, x: T.frexp(x, out=(T.empty(0), T.empty(0))),
    lambda T, x: T.frexp(x, out=(T.empty(0, dtype=T.float64), T.empty(0, dtype=T.int32))),
    lambda T, x: T.renorm(x, 2, 0, 1.0), lambda T, x: T.renorm(x[None], 0, 0, 1.0),
    lambda T, x: T.renorm(x[None], 2, 0, -1.0), lambda T, x: T.renorm(x[None], 2, 2, 1.0),
    lambda T, x: T.renorm(x[None].long(), 2, 0, 1.0),
    lambda T, x: T.hypot(x, T.ones(2)),
    lambda T, x: x.float_power_(2), lambda T, x: x.long().float_power_(x.double()),
    lambda T, x: x.long().ldexp_(x.long()), lambda T, x: x.long().hypot_(x),
    lambda T, x: x.long().copysign_(x), lambda T, x: x.bool().ldexp_(x),
]


@pytest.mark.parametrize("i", range(len(NUMBERS)))
def test_errors(i):
    """Python numbers where torch takes tensors only, non-float inputs, bad renorm arguments,
    in-place results that cannot be written back: torch's exception type and message."""
    n = len(inspect_args(NUMBERS[i]))
    check_raises(NUMBERS[i], *([np.array([1.5, -2.0, 3.0])] if n == 2 else []))


def inspect_args(fn):
    import inspect
    return inspect.signature(fn).parameters


def test_frexp():
    x = np.array([0.0, -0.0, 1.0, -3.5, 1e-310, 6e4, INF, -INF, NAN, 0.75])
    for dt in (np.float64, np.float32, np.float16):
        ours, theirs = check(lambda T, a: T.frexp(a), x.astype(dt), grad_fn_name=True)
        assert type(ours).__name__ == type(theirs).__name__ == "frexp"
        assert_close(ours.mantissa, theirs.mantissa)
        assert_close(ours.exponent, theirs.exponent)
        check(lambda T, a: a.frexp()[0] * 3, x.astype(dt))
    outs = {}
    for T in LIBS:
        m, e = T.empty(0), T.empty(0, dtype=T.int32)
        r = T.frexp(T.tensor([8.0, 0.3]), out=(m, e))
        assert r[0] is m and r[1] is e
        outs[T] = (m, e, type(r).__name__)
    assert outs[mt][2] == outs[torch][2]
    assert_close(outs[mt][0], outs[torch][0])
    assert_close(outs[mt][1], outs[torch][1])


def test_gcd_lcm_values():
    a = np.array([[0, 0, 12, -12, 7, 2**40], [18, -18, 5, 1, 0, 3 * 2**30]], dtype=np.int64)
    b = np.array([0, 6, -8, 9, 7, 2**20], dtype=np.int64)
    for name in ("gcd", "lcm"):
        check(lambda T, x, y: getattr(T, name)(x, y), a, b)
        check(lambda T, x, y: getattr(x, name)(y), (a % 50).astype(np.int8),
              (b % 7 - 3).astype(np.int8))


RENORM = np.array([[[3.0, 4.0], [0.0, 0.0]], [[1.0, -1.0], [0.5, 0.25]], [[-6.0, 8.0], [2.0, 2.0]]])


@pytest.mark.parametrize("p", [1, 2, 3, 0.5, INF])
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("maxnorm", [0.0, 1.0, 5.0, 100.0])
def test_renorm(p, dim, maxnorm):
    """Slices above, at and below maxnorm, an all-zero slice, and maxnorm 0."""
    check(lambda T, x: T.renorm(x, p, dim, maxnorm), RENORM, grad_fn_name=True)


INPLACE = {
    "hypot_": lambda y, o: y.hypot_(o), "copysign_": lambda y, o: y.copysign_(o),
    "copysign_number": lambda y, o: y.copysign_(-1), "nextafter_": lambda y, o: y.nextafter_(o),
    "ldexp_": lambda y, o: y.ldexp_(o), "float_power_": lambda y, o: y.float_power_(o),
    "float_power_number": lambda y, o: y.float_power_(2), "renorm_": lambda y, o:
    y.renorm_(2, 0, 1.0),
}
X = np.array([[0.25, -0.5, 0.75], [-0.125, 0.5, 1.0]])
O = np.array([[0.5, 0.5, -1.0], [-0.125, 2.0, 3.0]])


@pytest.mark.parametrize("name", INPLACE)
def test_inplace(name):
    def run(T, x, o):
        y = x * 1
        assert INPLACE[name](y, o) is y
        return y

    check(run, X, O, grad_fn_name=True)
    seen = {}
    for T in LIBS:
        y, o = T.tensor(X), T.tensor(O)
        view, v0 = y[1], y._version
        INPLACE[name](y, o)
        seen[T] = (y, view, y._version - v0)
    assert seen[mt][2] == seen[torch][2]
    assert_close(seen[mt][0], seen[torch][0])
    assert_close(seen[mt][1], seen[torch][1])


def test_integer_inplace():
    res = {}
    for T in LIBS:
        a = T.tensor([12, -18, 0])
        a.gcd_(T.tensor([8, 12, 5])).lcm_(T.tensor(3))
        res[T] = a
    assert_close(res[mt], res[torch])
