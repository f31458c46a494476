"""deg2rad/rad2deg, heaviside and diff's prepend/append against torch beyond the parity table
(tests/ops/test_ops_parity.py has the angle conversions' values, gradients and second
derivatives): integer, bool and float16 inputs, the in-place forms, heaviside's ties at 0, its
dtype rule and missing derivative, and the errors."""
from __future__ import annotations

import math

import numpy as np
import pytest

from harness import check, check_raises, check_same

NAN, INF = math.nan, math.inf
ANGLES = np.array([0.0, -0.0, 1.0, -45.0, 180.0, 33.3, 1e30, INF, -INF, NAN])


@pytest.mark.parametrize("fn", ["deg2rad", "rad2deg"])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int64, np.int32,
                                   np.uint8, np.bool_])
def test_angle_conversions_dtypes(fn, dtype):
    with np.errstate(invalid="ignore", over="ignore"):
        x = ANGLES.astype(dtype) if np.dtype(dtype).kind == "f" else \
            np.array([0, 1, 3, 90], dtype=dtype) if dtype != np.bool_ else np.array([True, False])
    check(lambda T, t: getattr(T, fn)(t), x, grad=np.dtype(dtype).kind == "f")


@pytest.mark.parametrize("fn", ["deg2rad", "rad2deg"])
def test_angle_conversions_in_place(fn):
    check(lambda T, t: getattr(t.detach().clone(), fn + "_")(), ANGLES)
    check(lambda T, t: getattr(t * 1, fn + "_")(), np.array([1.0, -2.5]))
    check_raises(lambda T: getattr(T.tensor([1, 2]), fn + "_")())
    check_raises(lambda T: getattr(T, fn)(2.0))


def test_heaviside_values_ties_and_nan():
    x = np.array([-1.0, -0.0, 0.0, 2.0, NAN, -INF, INF])
    check(lambda T, t: T.heaviside(t, T.tensor(0.5, dtype=t.dtype)), x, grad=False)
    check(lambda T, t: T.heaviside(t, t.flip(0) * 3), x, grad=False)
    check(lambda T, t: t.heaviside(T.tensor([[7.0], [NAN]], dtype=t.dtype)), x, grad=False)
    check(lambda T, t: T.heaviside(t, T.ones(2, 1, dtype=t.dtype)), x[:3].astype(np.float32),
          grad=False)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_, np.float16])
def test_heaviside_dtypes(dtype):
    x = np.array([0, 1, 2, 0, 3]).astype(dtype)
    check(lambda T, t: T.heaviside(t, t.flip(0)), x, grad=False)


def test_heaviside_in_place_and_autograd():
    x = np.array([-1.0, 0.0, 2.0])
    check(lambda T, t: t.detach().clone().heaviside_(T.tensor(0.25, dtype=t.dtype)), x)
    check_same(lambda T, t: T.heaviside(t, T.tensor(0.5, dtype=t.dtype)), x)  # backward raises
    check_same(lambda T, t: (t * 1).heaviside_(T.tensor(0.5, dtype=t.dtype)), x)


def test_heaviside_errors():
    check_raises(lambda T: T.heaviside(T.ones(2), T.tensor(1.0, dtype=T.float64)))
    check_raises(lambda T: T.heaviside(T.ones(2), T.tensor(1)))
    check_raises(lambda T: T.heaviside(T.ones(2), 0.5))
    check_raises(lambda T: T.heaviside(0.5, T.ones(2)))
    check_raises(lambda T: T.heaviside(T.ones(2), T.ones(3)))
    check_raises(lambda T: T.heaviside(T.ones(2), T.ones(2), out=T.empty(2, dtype=T.float64)))
    check_raises(lambda T: T.ones(2, dtype=T.long).heaviside_(T.zeros(2)))
    check_raises(lambda T: T.ones(2).heaviside_(T.zeros(3, 2)))


# -- diff with prepend and append ------------------------------------------------------------------

X = np.random.default_rng(0).standard_normal((3, 4))


@pytest.mark.parametrize("call", [
    lambda T, a: T.diff(a, prepend=T.ones(3, 2, dtype=a.dtype)),
    lambda T, a: T.diff(a, append=a[:, :1] * 2),
    lambda T, a: T.diff(a, 2, 0, prepend=a[:1] * 3, append=T.ones(2, 4, dtype=a.dtype)),
    lambda T, a: T.diff(a, 1, -1, a, a),
    lambda T, a: a.diff(append=a),
    lambda T, a: T.diff(a, 1, 0, prepend=a[0:1].int()),
    lambda T, a: T.diff(a, 3, prepend=a),
    lambda T, a: T.diff(a, 1, 0, append=T.zeros(0, 4, dtype=a.dtype)),
])
def test_diff_prepend_append(call):
    check(call, X)


def test_diff_prepend_append_errors():
    check_raises(lambda T, a: T.diff(a, prepend=T.ones(2, 2)), X)
    check_raises(lambda T, a: T.diff(a, 1, 0, None, T.ones(3, 5)), X)
    check_raises(lambda T, a: T.diff(a, prepend=T.ones(3)), X)
    check_raises(lambda T, a: T.diff(a, prepend=T.ones(3, 4, 1)), X)
    check_raises(lambda T, a: T.diff(a, append=2.0), X)
    check_raises(lambda T, a: T.diff(a, prepend=T.tensor(1.0)), X)
    check_raises(lambda T, a: T.diff(a, -1), X)
    check_raises(lambda T, a: T.diff(a, 1, 5, T.ones(3, 5)), X)
