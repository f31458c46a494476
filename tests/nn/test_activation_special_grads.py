"""Every activation's value and first derivative at NaN, +-inf, +-0, the kinks, subnormals and
exp's overflow, against torch: NaN where torch's is NaN, the sign of every zero, zero where
torch's is zero, and the values within the harness's tolerance.

torch's CPU loops take a contiguous array one or two SIMD registers at a time and its last
elements (or a 0-d or strided tensor whole) one at a time, and for hardtanh/relu6, elu/selu/celu,
softshrink, hardshrink and hardswish the two loops send a NaN x to different branches (the
scalar loop's gradient is g, or g * scale, where the vectorized loop's is 0 or NaN); softshrink's
scalar loop writes its zeros as x * 0. So each point is taken in layouts that put it in either
loop: arrays of 64 (all vectorized), of 70 (the last 6 in the scalar loop, with AVX2 or
AVX-512), of 48 and 40 (the step's size shows: one register or two), rows of 36 of a wider array (each row's last 4), every other element (all scalar),
and alone (0-d). float16 computes in float32 and rounds once, as torch's kernels do (mish,
logsigmoid, tanh-approximate GELU: in float16 their exp underflowed or x^3 overflowed)."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from activation_cases import CASES, SPECIAL_POINTS
from harness import tol

SPECIAL = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-30, -1e-30, 1.0, -1.0, 0.5, -0.5, 3.0, -3.0,
           6.0, 20.0, -20.0, 2.0, -2.0, 1e-45, -1e-45, 5e-324, -5e-324, -100.0, 100.0, -745.0,
           710.0, 1e30, -1e30, 89.0, -89.0]


ACTIVATIONS = {name: CASES[name] for name in SPECIAL_POINTS}

# layout: (number of elements to draw, the view taken of the leaf)
LAYOUTS = {
    "64": (64, lambda t: t),
    "70": (70, lambda t: t),
    "48": (48, lambda t: t),
    "40": (40, lambda t: t),
    "rows of 36": (160, lambda t: t.reshape(4, 40)[:, :36]),
    "strided": (128, lambda t: t[::2]),
}


def assert_same(ours, theirs, what):
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape, what
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs), err_msg=f"{what}: NaN")
    zeros = theirs == 0
    np.testing.assert_array_equal(ours == 0, zeros, err_msg=f"{what}: zeros")
    np.testing.assert_array_equal(np.signbit(ours[zeros]), np.signbit(theirs[zeros]),
                                  err_msg=f"{what}: signs of zero")
    np.testing.assert_allclose(ours, theirs, equal_nan=True, err_msg=what, **tol(theirs.dtype))


def values_and_grads(T, fn, x, view, g):
    t = T.tensor(x, requires_grad=True)
    y = fn(T, view(t))
    y.backward(T.full_like(y, g))
    return y.detach().numpy(), t.grad.numpy()


# results torch's exp gives in the subnormal range, a few ulp of the smallest normal number
# from NumPy's (or 0 where NumPy's is the smallest subnormal): (name, dtype) -> inputs skipped
SUBNORMAL_EXP = {("mish", "float64"): [-745.0], ("softplus", "float64"): [-745.0]}


@pytest.mark.parametrize("g", [1.0, -1.5])
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("layout", list(LAYOUTS) + ["0-d"])
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_special_points(name, layout, dtype, g):
    fn = ACTIVATIONS[name]
    points = [v for v in SPECIAL if v not in SUBNORMAL_EXP.get((name, dtype), ())]
    if layout == "0-d":
        if name == "glu":
            pytest.skip("glu halves a dimension")
        with np.errstate(over="ignore"):  # (float16 points beyond its range are inf)
            cases = [(np.array(v, dtype=dtype), lambda t: t) for v in points]
    else:
        n, view = LAYOUTS[layout]
        with np.errstate(over="ignore"):
            cases = [(np.resize(np.array(points, dtype=dtype), n), view)]
    for x, view in cases:
        ours = values_and_grads(mt, fn, x, view, g)
        theirs = values_and_grads(torch, fn, x, view, g)
        for what, a, b in zip(("value", "gradient"), ours, theirs):
            assert_same(a, b, f"{what} at {x if x.ndim == 0 else 'the points'}")
