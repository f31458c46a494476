"""Number arguments at the edges of the float range (NaN, +-inf, beyond float32 and float16,
subnormal) for every activation that takes numbers, against torch: the error (its type,
message and whether the forward or the backward raises) or the values and gradients.

torch's hardtanh is its clamp: a NaN bound fills the result with NaN before any range check,
other bounds are checked in the input's dtype (c10::Half for float16); its backward converts
the bounds to the opmath type (float32 for float16) and its scalar loop (all of these 6
elements) passes the gradient where a bound is NaN. F.hardtanh_ has no min <= max check. celu's
backward takes 1 / alpha.toFloat(): alpha checked as a float there, 1e-300 a zero slope's
inverse (NaN gradients)."""
import itertools

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import tol


def _f(T):
    return T.nn.functional


CASES = {
    "hardtanh(v, 1)": lambda T, x, v: _f(T).hardtanh(x, v, 1.0),
    "hardtanh(-1, v)": lambda T, x, v: _f(T).hardtanh(x, -1.0, v),
    "hardtanh(v, v)": lambda T, x, v: _f(T).hardtanh(x, v, v),
    "hardtanh(nan, v)": lambda T, x, v: _f(T).hardtanh(x, float("nan"), v),
    "hardtanh(v, nan)": lambda T, x, v: _f(T).hardtanh(x, v, float("nan")),
    "hardtanh_(v, 1)": lambda T, x, v: _f(T).hardtanh_(x * 1, v, 1.0),
    "threshold(v, 0)": lambda T, x, v: _f(T).threshold(x, v, 0.0),
    "threshold(0, v)": lambda T, x, v: _f(T).threshold(x, 0.0, v),
    "threshold_(0, v)": lambda T, x, v: _f(T).threshold_(x * 1, 0.0, v),
    "softshrink(v)": lambda T, x, v: _f(T).softshrink(x, v),
    "hardshrink(v)": lambda T, x, v: _f(T).hardshrink(x, v),
    "leaky_relu(v)": lambda T, x, v: _f(T).leaky_relu(x, v),
    "elu(v)": lambda T, x, v: _f(T).elu(x, v),
    "celu(v)": lambda T, x, v: _f(T).celu(x, v),
    "softplus(v, 20)": lambda T, x, v: _f(T).softplus(x, v, 20.0),
    "softplus(1, v)": lambda T, x, v: _f(T).softplus(x, 1.0, v),
    "rrelu(v, 1)": lambda T, x, v: _f(T).rrelu(x, v, 1.0),
    "rrelu(0, v)": lambda T, x, v: _f(T).rrelu(x, 0.0, v),
    "rrelu_(v, 1)": lambda T, x, v: _f(T).rrelu_(x * 1, v, 1.0),
}
VALUES = [float("nan"), float("inf"), -float("inf"), 1e300, -1e300, 1e38, 7e4, -7e4, 1e-300]


def outcome(T, fn, x, v):
    t = T.tensor(x, requires_grad=True)
    try:
        y = fn(T, t, v)
    except Exception as e:  # noqa: BLE001 - compared with torch's
        return "forward", type(e).__name__, str(e).splitlines()[0]
    try:
        y.sum().backward()
    except Exception as e:  # noqa: BLE001 - compared with torch's
        return "backward", type(e).__name__, str(e).splitlines()[0]
    return "ok", y.detach().numpy(), t.grad.numpy()


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("v", VALUES, ids=str)
@pytest.mark.parametrize("name", CASES)
def test_number_bounds(name, v, dtype):
    x = np.array([-2, -0.5, 0, 0.5, 2, np.nan], dtype=dtype)
    ours, theirs = (outcome(T, CASES[name], x, v) for T in (mt, torch))
    if theirs[0] != "ok":
        assert ours == theirs
        return
    assert ours[0] == "ok", ours
    for a, b in zip(ours[1:], theirs[1:]):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
        np.testing.assert_allclose(a, b, equal_nan=True, **tol(dtype))
