"""The activations' number arguments against torch: range checks and the special values.

torch converts each number to the type its kernel computes in: float32 for float16 inputs (the
opmath type) for leaky_relu's slope, elu's and celu's alpha (and celu's 1 / alpha), softplus's
beta and threshold, rrelu's bounds (in eval, their mean, the slope); the input's own type for
hardtanh's bounds and hardshrink's lambda (c10::Half for float16). A finite number beyond that
type is RuntimeError "value cannot be converted to type float without overflow"; inf and NaN
pass, float64 takes anything. softshrink checks its lambda against [0, max of the dtype], NaN
and inf included. rrelu checks its bounds in an order of its own: out of place finite first,
then ordered; in place only ordered; in training its noise's span too. Where an argument passes,
the values are torch's on 64 special inputs (inf or NaN alpha, NaN threshold or lambda, ...),
NaN and signs of zero included. A Python int beyond 64 bits is torch's OverflowError."""
import itertools

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import tol

X = np.resize(np.array([-np.inf, -100.0, -1.0, -1e-30, -0.0, 0.0, 1e-30, 0.5, 2.0, 100.0,
                        np.inf, np.nan]), 64)


def _f(T):
    return T.nn.functional


ARGUMENT = {
    "leaky_relu": lambda T, x, v: _f(T).leaky_relu(x, v),
    "leaky_relu_": lambda T, x, v: _f(T).leaky_relu_(x, v),
    "LeakyReLU": lambda T, x, v: T.nn.LeakyReLU(v)(x),
    "elu": lambda T, x, v: _f(T).elu(x, v),
    "elu_": lambda T, x, v: _f(T).elu_(x, v),
    "ELU": lambda T, x, v: T.nn.ELU(v)(x),
    "celu": lambda T, x, v: _f(T).celu(x, v),
    "celu_": lambda T, x, v: _f(T).celu_(x, v),
    "softplus_beta": lambda T, x, v: _f(T).softplus(x, beta=v),
    "softplus_threshold": lambda T, x, v: _f(T).softplus(x, threshold=v),
    "Softplus": lambda T, x, v: T.nn.Softplus(v, v)(x),
    "rrelu_lower": lambda T, x, v: _f(T).rrelu(x, v, 1e300),
    "rrelu_upper": lambda T, x, v: _f(T).rrelu(x, -1e300, v),
    "rrelu_both": lambda T, x, v: _f(T).rrelu(x, v, v),
    "hardtanh_min": lambda T, x, v: _f(T).hardtanh(x, v, float("inf")),
    "hardtanh_max": lambda T, x, v: _f(T).hardtanh(x, -float("inf"), v),
    "hardtanh_": lambda T, x, v: _f(T).hardtanh_(x, v, v),
    "Hardtanh": lambda T, x, v: T.nn.Hardtanh(-abs(v), abs(v))(x),
    "threshold": lambda T, x, v: _f(T).threshold(x, v, -7.0),
    "threshold_value": lambda T, x, v: _f(T).threshold(x, 0.5, v),
    "softshrink": lambda T, x, v: _f(T).softshrink(x, v),
    "Softshrink": lambda T, x, v: T.nn.Softshrink(v)(x),
    "hardshrink": lambda T, x, v: _f(T).hardshrink(x, v),
}

VALUES = [1e39, -1e39, 3.5e38, -3.5e38, 3.4e38, 1e30, 7e4, -7e4, 65504.0, 65520.0, 1e-39, 1e-300,
          float("inf"), float("-inf"), float("nan"), 0.0, -0.0, 0.25, -1.5, 2,
          10 ** 40, -(2 ** 64), 2 ** 63 - 1]  # (ints beyond 64 bits: torch's OverflowError)


def outcome(T, fn, dtype, *args):
    """fn's result as an array, or its exception's type and first line."""
    T.manual_seed(0)
    x = T.tensor(X, dtype=getattr(T, dtype))
    try:
        return fn(T, x, *args).detach().numpy()
    except Exception as e:  # noqa: BLE001 - the point is to compare what is raised
        return type(e).__name__, str(e).splitlines()[0]


def assert_same_outcome(ours, theirs):
    assert type(ours) is type(theirs), f"ours {ours!r}, torch's {theirs!r}"
    if isinstance(theirs, tuple):
        assert ours == theirs
        return
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    zeros = (ours == 0) & (theirs == 0)
    np.testing.assert_array_equal(np.signbit(ours[zeros]), np.signbit(theirs[zeros]))
    np.testing.assert_allclose(ours, theirs, equal_nan=True, **tol(theirs.dtype))


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("name", list(ARGUMENT))
def test_number_arguments(name, dtype):
    """Each argument over the values above: torch's error (its type and message) or its
    result."""
    for v in VALUES:
        if name == "Hardtanh" and (v == 0 or v != v):
            continue                      # (the module's own max > min check)
        ours = outcome(mt, ARGUMENT[name], dtype, v)
        theirs = outcome(torch, ARGUMENT[name], dtype, v)
        assert_same_outcome(ours, theirs)


BOUNDS = [0.1, 0.5, float("inf"), float("-inf"), float("nan"), 1e39, -1e39, 1e308, -1e308]


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("inplace", [False, True])
@pytest.mark.parametrize("training", [False, True])
def test_rrelu_bounds(training, inplace, dtype):
    """rrelu's bounds, every pair of the values above: the same check fails first as in
    torch (finite, ordered, the dtype, the range of the slope or the bounds, the noise's span),
    or the same values (training: the same noise, from the same seed)."""
    def call(T, x, lo, up):
        return (_f(T).rrelu_ if inplace else _f(T).rrelu)(x, lo, up, training)

    for lo, up in itertools.product(BOUNDS, BOUNDS):
        ours = outcome(mt, call, dtype, lo, up)
        theirs = outcome(torch, call, dtype, lo, up)
        assert_same_outcome(ours, theirs)


@pytest.mark.parametrize("kind", ["int64", "int8", "uint8"])
def test_hardtanh_integer_bounds(kind):
    """Integer inputs: bounds cut towards zero, then checked against the integer type (after the
    unsigned type's refusal of negative bounds)."""
    for lo, hi in ((-1e39, 1e39), (-1e19, 1e19), (-1e3, 1e3), (0.0, 1e3), (-0.5, 300.0),
                   (-200.0, 100.0)):
        res = []
        for T in (mt, torch):
            x = T.tensor(np.array([-3, 0, 5, 100]), dtype=getattr(T, kind))
            try:
                res.append(_f(T).hardtanh(x, lo, hi).numpy())
            except Exception as e:  # noqa: BLE001
                res.append((type(e).__name__, str(e).splitlines()[0]))
        ours, theirs = res
        assert type(ours) is type(theirs), (lo, hi, ours, theirs)
        if isinstance(theirs, tuple):
            assert ours == theirs
        else:
            np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("inplace", [False, True])
def test_rrelu_integer_bounds(inplace):
    """Two int bounds are added as torch adds them, in int64 (wrapping), before the halving:
    the eval slope of (2^63 - 1, 2^63 - 1) is -1."""
    def call(T, x, lo, up):
        return (_f(T).rrelu_ if inplace else _f(T).rrelu)(x, lo, up)

    for lo, up in ((3, 4), (-3, 4), (2 ** 62, 2 ** 62), (2 ** 63 - 1, 2 ** 63 - 1),
                   (3, 2 ** 63 - 1), (2 ** 63 - 1, 2.0 ** 63), (3, 4.0)):
        for dtype in ("float32", "float64"):
            assert_same_outcome(outcome(mt, call, dtype, lo, up),
                                outcome(torch, call, dtype, lo, up))
