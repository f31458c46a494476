"""Average pooling at its edges against torch: float16 bit for bit (torch sums a float16 window
in float32 and rounds once; its gradient adds window by window in output order, in float16),
windows holding inf, -inf, NaN or values near float16's largest (65504), and the dtypes torch
refuses."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, assert_same_half_bits, check, check_raises


def edge_input(shape, kind, dtype, seed=0):
    """Normal values with some entries replaced: ``inf``/``ninf``/``nan`` (a fifth of them),
    ``big`` (+-65504, 0.9 * 65504: float16 window sums overflow), ``mix`` (all of these)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) * 3
    m = rng.random(shape)
    if kind in ("inf", "mix"):
        x[m < 0.1] = np.inf
    if kind in ("ninf", "mix"):
        x[(m >= 0.1) & (m < 0.2)] = -np.inf
    if kind in ("nan", "mix"):
        x[(m >= 0.2) & (m < 0.25)] = np.nan
    if kind == "big":
        x = np.sign(x) * 65504 * rng.choice([1.0, 0.9, 0.5], size=shape)
    if kind == "bigpos":
        x = 65504 * rng.choice([1.0, 0.9, 0.5], size=shape)
    return x.astype(dtype)


KINDS = ["plain", "inf", "ninf", "nan", "mix", "big", "bigpos"]

AVG_CASES = [
    dict(kernel_size=3),
    dict(kernel_size=3, stride=1),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=2, stride=1, padding=1, count_include_pad=False),
    dict(kernel_size=3, stride=2, ceil_mode=True, count_include_pad=False),
]


def half_forward_backward(T, fn, x, seed=1):
    t = T.tensor(x, requires_grad=True)
    out = fn(T.nn.functional, t)
    g = np.random.default_rng(seed).standard_normal(tuple(out.shape)).astype(x.dtype)
    out.backward(T.tensor(g))
    return out, t.grad


def assert_half_parity(fn, x):
    (o, go), (t, gt) = (half_forward_backward(T, fn, x) for T in (mt, torch))
    assert_same_half_bits(o, t, "value")
    assert_same_half_bits(go, gt, "grad")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("kw", AVG_CASES + [dict(kernel_size=3, stride=2, padding=1,
                                                 divisor_override=5)])
@pytest.mark.parametrize("nd", [1, 2])
def test_avg_pool_float16_bits(nd, kw, kind):
    if nd == 1 and "divisor_override" in kw:
        pytest.skip("avg_pool1d has no divisor_override")
    x = edge_input((2, 3) + (9,) * nd, kind, np.float16)
    assert_half_parity(lambda F, t: getattr(F, f"avg_pool{nd}d")(t, **kw), x)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("kw", AVG_CASES)
@pytest.mark.parametrize("nd", [1, 2, 3])
def test_avg_pool_non_finite(nd, kw, dtype, kind):
    if nd == 3 and np.dtype(dtype) == np.float16:
        pytest.skip("torch has no float16 avg_pool3d (test_avg_pool3d_refused_dtypes)")
    x = edge_input((2, 3) + (7,) * nd, kind, dtype)
    check(lambda T, t: getattr(T.nn.functional, f"avg_pool{nd}d")(t, **kw), x)


@pytest.mark.parametrize("dtype", [np.float16, np.int32, np.int16])
@pytest.mark.parametrize("fn", [lambda F, t: F.avg_pool3d(t, 2),
                                lambda F, t: F.avg_pool3d(t, 3, 2, 1, divisor_override=2),
                                lambda F, t: F.lp_pool3d(t, 2, 2)])
def test_avg_pool3d_refused_dtypes(fn, dtype):
    if np.dtype(dtype).kind == "i" and fn.__code__.co_names[-1] == "lp_pool3d":
        pytest.skip("lp_pool3d of ints fails earlier, in pow")
    x = np.ones((1, 2, 4, 4, 4), dtype=dtype)
    check_raises(lambda T, t: fn(T.nn.functional, t), x)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("nd", [1, 2])
def test_lp_pool_float16_bits(nd, kind):
    """p = 2: x*x and the square root round as torch's; the window sum is avg pooling's."""
    x = edge_input((2, 3) + (9,) * nd, kind, np.float16)
    assert_half_parity(lambda F, t: getattr(F, f"lp_pool{nd}d")(t, 2, 3, 2, ceil_mode=True), x)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("spatial,out", [
    ((9,), 1), ((9,), 4), ((7,), 9),
    ((9, 9), 1), ((9, 9), 5), ((7, 10), (3, 4)), ((4, 4), 6), ((8, 8), (1, 3)),
    ((6, 6, 6), 1), ((7, 7, 7), (3, 5, 2)), ((6, 5, 4), 3),
])
def test_adaptive_avg_pool_float16_bits(spatial, out, kind):
    """float16 sums in torch's kernel order and dtype (float32 for 1-D/2-D, float16 for 3-D),
    the division one dim at a time; a pool to one output is torch's mean."""
    nd = len(spatial)
    x = edge_input((2, 3) + spatial, kind, np.float16)
    assert_half_parity(lambda F, t: getattr(F, f"adaptive_avg_pool{nd}d")(t, out), x)
