"""F.max_pool1d/2d, F.avg_pool1d/2d, F.adaptive_{avg,max}_pool1d/2d against torch: values,
indices, gradients (including ties, NaN and -inf, where torch's choice is the contract) and
torch's errors."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, assert_close, check, check_raises, rand


def ties(*shape, dtype=np.float32, seed=0):
    """Small integers: most windows hold several equal maxima."""
    return np.random.default_rng(seed).integers(0, 3, size=shape).astype(dtype)


MAX_CASES = [
    ((7,), dict(kernel_size=3)),
    ((8,), dict(kernel_size=3, stride=1)),
    ((9,), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    ((10,), dict(kernel_size=2, stride=3, dilation=3, padding=1)),
    ((7, 7), dict(kernel_size=2)),
    ((7, 6), dict(kernel_size=3, stride=2, padding=1)),
    ((7, 7), dict(kernel_size=(3, 2), stride=(2, 1), ceil_mode=True)),
    ((8, 9), dict(kernel_size=3, stride=2, dilation=2, padding=1, ceil_mode=True)),
    ((6, 6), dict(kernel_size=3, stride=1, padding=1)),
    ((5, 5), dict(kernel_size=2, stride=2, ceil_mode=True)),
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("data", ["rand", "ties"])
@pytest.mark.parametrize("return_indices", [False, True])
@pytest.mark.parametrize("spatial,kw", MAX_CASES)
def test_max_pool(spatial, kw, return_indices, data, dtype):
    nd = len(spatial)
    x = (rand if data == "rand" else ties)(2, 3, *spatial, dtype=dtype, seed=1)
    name = f"max_pool{nd}d"
    check(lambda T, x: getattr(T.nn.functional, name)(x, return_indices=return_indices, **kw),
          x)


@pytest.mark.parametrize("nd", [1, 2])
def test_max_pool_nan_and_neg_inf(nd):
    """NaN wins its window (the last NaN scanned); an all -inf window points at its first
    unpadded position."""
    rng = np.random.default_rng(0)
    x = rng.integers(0, 3, size=(2, 2) + (6,) * nd).astype(np.float64)
    x[rng.random(x.shape) < 0.2] = np.nan
    x[rng.random(x.shape) < 0.3] = -np.inf
    name = f"max_pool{nd}d"
    for kw in (dict(kernel_size=3, stride=1, padding=1), dict(kernel_size=2, ceil_mode=True)):
        check(lambda T, x: getattr(T.nn.functional, name)(x, return_indices=True, **kw), x)
    x = np.full((1, 1) + (3,) * nd, -np.inf)
    check(lambda T, x: getattr(T.nn.functional, name)(x, 2, 1, padding=1, return_indices=True),
          x)


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1)])
def test_max_pool_backward_non_finite_gradient(kw):
    """An inf or NaN arriving from above reaches only the position each window took its max
    from (a scatter, as in torch); every other input gets exactly 0, not inf * 0 = nan.
    Overlapping windows (stride 1) add their gradients where they share a maximum."""
    import minitorch_ref as mt
    import torch
    x = rand(2, 3, 6, 6, seed=4)
    grads = []
    for T in (torch, mt):
        xt = T.tensor(x, requires_grad=True)
        y = T.nn.functional.max_pool2d(xt, **kw)
        g = np.random.default_rng(5).standard_normal(tuple(y.shape)).astype(np.float32)
        g[0, 0, 0, 0], g[1, 2, 1, 1] = np.inf, np.nan
        y.backward(T.tensor(g))
        grads.append(xt.grad.numpy())
    ours, theirs = grads[1], grads[0]
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=0)
    assert np.isnan(theirs).sum() == 1 and np.isinf(theirs).sum() == 1  # the case bites


def test_max_pool_window_entirely_in_padding():
    """With dilation on a tiny input a window can hold padding only (taps at -1 and 2 of a
    2-wide axis): its value is -inf and its index (torch's, compared here) lies outside the
    input. torch's backward then writes out of bounds (memory corruption, so no torch oracle
    for it); ours drops that window's gradient."""
    import minitorch_ref as mt
    import torch
    x = rand(2, 3, 2, 4, seed=6)
    kw = dict(kernel_size=2, stride=1, padding=1, dilation=3, return_indices=True)
    out_t, idx_t = torch.nn.functional.max_pool2d(torch.tensor(x), **kw)
    xt = mt.tensor(x, requires_grad=True)
    out, idx = mt.nn.functional.max_pool2d(xt, **kw)
    np.testing.assert_array_equal(out.detach().numpy(), out_t.numpy())
    np.testing.assert_array_equal(idx.numpy(), idx_t.numpy())
    assert ((idx.numpy() < 0) | (idx.numpy() >= 8)).all()  # the case bites
    out.backward(mt.ones(out.shape))
    np.testing.assert_array_equal(xt.grad.numpy(), np.zeros_like(x))


@pytest.mark.parametrize("nd", [1, 2])
def test_max_pool_unbatched_noncontiguous_and_int(nd):
    name = f"max_pool{nd}d"
    check(lambda T, x: getattr(T.nn.functional, name)(x, 2, return_indices=True),
          rand(3, *(6,) * nd, seed=2))
    check(lambda T, x: getattr(T.nn.functional, name)(x, 3, 2, 1), rand(2, 3, *(7,) * nd),
          layout="transposed")
    xi = np.random.default_rng(3).integers(-5, 5, size=(2, 3) + (6,) * nd)
    check(lambda T, x: getattr(T.nn.functional, name)(x, 2, return_indices=True), xi)


def test_max_pool_grad_fn_and_empty_batch():
    check(lambda T, x: T.nn.functional.max_pool2d(x, 2), rand(1, 1, 4, 4), grad_fn_name=True)
    check(lambda T, x: T.nn.functional.max_pool2d(x, 2), rand(0, 3, 4, 4))


AVG_CASES = [
    ((7,), dict(kernel_size=3)),
    ((8,), dict(kernel_size=3, stride=2, padding=1)),
    ((9,), dict(kernel_size=4, stride=3, padding=2, ceil_mode=True)),
    ((7, 7), dict(kernel_size=2)),
    ((7, 6), dict(kernel_size=3, stride=2, padding=1)),
    ((5, 5), dict(kernel_size=2, stride=2, padding=1, ceil_mode=True)),
    ((5, 5), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    ((7, 8), dict(kernel_size=(3, 2), stride=(2, 3), padding=(1, 1), ceil_mode=True)),
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("spatial,kw", AVG_CASES)
def test_avg_pool(spatial, kw, count_include_pad, dtype):
    nd = len(spatial)
    x = rand(2, 3, *spatial, dtype=dtype, seed=1)
    name = f"avg_pool{nd}d"
    check(lambda T, x: getattr(T.nn.functional, name)(
        x, count_include_pad=count_include_pad, **kw), x)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("divisor", [1, 3, 7])
def test_avg_pool_divisor_override(divisor, dtype):
    check(lambda T, x: T.nn.functional.avg_pool2d(x, 3, 2, 1, True, divisor_override=divisor),
          rand(2, 3, 6, 7, dtype=dtype))


@pytest.mark.parametrize("nd", [1, 2])
def test_avg_pool_unbatched_noncontiguous_int(nd):
    name = f"avg_pool{nd}d"
    check(lambda T, x: getattr(T.nn.functional, name)(x, 2), rand(3, *(6,) * nd))
    check(lambda T, x: getattr(T.nn.functional, name)(x, 3, 2, 1), rand(2, 3, *(7,) * nd),
          layout="transposed")
    xi = np.arange(-30, 2 * 3 * 6 ** nd - 30).reshape((2, 3) + (6,) * nd)
    check(lambda T, x: getattr(T.nn.functional, name)(x, 3, 2, 1), xi)


def test_avg_pool_grad_fn_name():
    check(lambda T, x: T.nn.functional.avg_pool2d(x, 2), rand(1, 1, 4, 4), grad_fn_name=True)


ADAPTIVE_CASES = [
    ((7,), 3), ((8,), 4), ((5,), 5), ((5,), 8), ((6,), 1), ((4,), 0),
    ((7, 6), (3, 4)), ((8, 8), 4), ((5, 7), (5, 2)), ((5, 4), (7, 9)), ((6, 5), 1),
    ((6, 5), (None, 2)), ((4, 4), (0, 2)),
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("spatial,out", ADAPTIVE_CASES)
def test_adaptive_avg_pool(spatial, out, dtype):
    nd = len(spatial)
    name = f"adaptive_avg_pool{nd}d"
    # torch's backward rejects an empty output, so those cases compare the forward only
    check(lambda T, x: getattr(T.nn.functional, name)(x, out),
          rand(2, 3, *spatial, dtype=dtype, seed=1), grad=0 not in np.atleast_1d(out))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("data", ["rand", "ties"])
@pytest.mark.parametrize("spatial,out", ADAPTIVE_CASES)
def test_adaptive_max_pool(spatial, out, data, dtype):
    nd = len(spatial)
    name = f"adaptive_max_pool{nd}d"
    x = (rand if data == "rand" else ties)(2, 3, *spatial, dtype=dtype, seed=1)
    check(lambda T, x: getattr(T.nn.functional, name)(x, out, return_indices=True), x,
          grad=0 not in np.atleast_1d(out))


@pytest.mark.parametrize("nd", [1, 2])
def test_adaptive_unbatched_nan(nd):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 3, size=(3,) + (7,) * nd).astype(np.float64)
    x[rng.random(x.shape) < 0.2] = np.nan
    check(lambda T, x: getattr(T.nn.functional, f"adaptive_max_pool{nd}d")(x, 3, True), x)
    check(lambda T, x: getattr(T.nn.functional, f"adaptive_avg_pool{nd}d")(x, 3), x)


# -- errors ----------------------------------------------------------------------------------------

POOL_ERRORS = [
    ("max_pool1d", (2,), dict(kernel_size=2)),
    ("max_pool1d", (1, 1, 2), dict(kernel_size=3)),
    ("max_pool1d", (1, 1, 2), dict(kernel_size=2, padding=2)),
    ("max_pool1d", (1, 1, 2), dict(kernel_size=2, padding=-1)),
    ("max_pool1d", (1, 1, 2), dict(kernel_size=2, stride=0)),
    ("max_pool1d", (1, 1, 2), dict(kernel_size=0)),
    ("max_pool1d", (1, 1, 2), dict(kernel_size=2, dilation=0)),
    ("max_pool1d", (1, 1, 2), dict(kernel_size=(2, 2))),
    ("max_pool1d", (1, 0, 2), dict(kernel_size=2)),
    ("max_pool1d", (2,), dict(kernel_size=2, return_indices=True)),
    ("max_pool1d", (1, 1, 2), dict(kernel_size=3, return_indices=True)),
    ("max_pool1d", (1, 1, 2), dict(kernel_size=2, padding=2, return_indices=True)),
    ("max_pool1d", (1, 0, 2), dict(kernel_size=2, return_indices=True)),
    ("max_pool2d", (2, 2), dict(kernel_size=2)),
    ("max_pool2d", (1, 2, 2, 2, 2), dict(kernel_size=2)),
    ("max_pool2d", (2, 2), dict(kernel_size=2, return_indices=True)),
    ("max_pool2d", (1, 1, 2, 2), dict(kernel_size=3)),
    ("max_pool2d", (1, 1, 2, 2), dict(kernel_size=2, padding=2)),
    ("max_pool2d", (1, 1, 2, 2), dict(kernel_size=2, padding=-1)),
    ("max_pool2d", (1, 1, 2, 2), dict(kernel_size=2, stride=0)),
    ("max_pool2d", (1, 1, 2, 2), dict(kernel_size=0)),
    ("max_pool2d", (1, 1, 2, 2), dict(kernel_size=0, stride=1)),
    ("max_pool2d", (1, 1, 2, 2), dict(kernel_size=2, dilation=0)),
    ("max_pool2d", (1, 1, 6, 6), dict(kernel_size=2, dilation=3, padding=2)),
    ("max_pool2d", (1, 1, 2, 2), dict(kernel_size=(2, 2, 2))),
    ("max_pool2d", (1, 1, 2, 2), dict(kernel_size=2, stride=(1, 1, 1))),
    ("max_pool2d", (1, 1, 2, 2), dict(kernel_size=2, padding=(1, 1, 1))),
    ("max_pool2d", (1, 1, 2, 2), dict(kernel_size=2, dilation=(1, 1, 1))),
    ("max_pool2d", (1, 0, 2, 2), dict(kernel_size=2)),
    ("max_pool2d", (1, 1, 0, 2), dict(kernel_size=2)),
    ("avg_pool1d", (2,), dict(kernel_size=2)),
    ("avg_pool1d", (1, 1, 2), dict(kernel_size=3)),
    ("avg_pool1d", (1, 1, 2), dict(kernel_size=2, padding=2)),
    ("avg_pool1d", (1, 1, 2), dict(kernel_size=2, padding=-1)),
    ("avg_pool1d", (1, 1, 2), dict(kernel_size=2, stride=0)),
    ("avg_pool1d", (1, 1, 2), dict(kernel_size=0)),
    ("avg_pool1d", (1, 1, 2), dict(kernel_size=(2, 2))),
    ("avg_pool1d", (1, 0, 2), dict(kernel_size=2)),
    ("avg_pool2d", (2, 2), dict(kernel_size=2)),
    ("avg_pool2d", (1, 2, 2, 2, 2), dict(kernel_size=2)),
    ("avg_pool2d", (1, 1, 2, 2), dict(kernel_size=3)),
    ("avg_pool2d", (1, 1, 2, 2), dict(kernel_size=2, padding=2)),
    ("avg_pool2d", (1, 1, 2, 2), dict(kernel_size=2, padding=-1)),
    ("avg_pool2d", (1, 1, 2, 2), dict(kernel_size=2, stride=0)),
    ("avg_pool2d", (1, 1, 2, 2), dict(kernel_size=0)),
    ("avg_pool2d", (1, 1, 2, 2), dict(kernel_size=(2, 2, 2))),
    ("avg_pool2d", (1, 1, 2, 2), dict(kernel_size=2, stride=(1, 1, 1))),
    ("avg_pool2d", (1, 1, 2, 2), dict(kernel_size=2, padding=(1, 1, 1))),
    ("avg_pool2d", (1, 1, 2, 2), dict(kernel_size=2, divisor_override=0)),
    ("avg_pool2d", (1, 0, 2, 2), dict(kernel_size=2)),
    ("adaptive_avg_pool2d", (4, 4), dict(output_size=(2, 2))),
    ("adaptive_avg_pool2d", (1, 1, 4, 4), dict(output_size=(2, 2, 2))),
    ("adaptive_avg_pool2d", (1, 1, 4, 4), dict(output_size=-1)),
    ("adaptive_avg_pool2d", (1, 1, 0, 5), dict(output_size=2)),
    ("adaptive_avg_pool2d", (1, 1, 5, 5, 5), dict(output_size=2)),
    ("adaptive_avg_pool1d", (4,), dict(output_size=2)),
    ("adaptive_avg_pool1d", (1, 1, 5), dict(output_size=(2, 2))),
    ("adaptive_avg_pool1d", (1, 1, 5), dict(output_size=-1)),
    ("adaptive_max_pool2d", (4, 4), dict(output_size=(2, 2))),
    ("adaptive_max_pool2d", (5, 5), dict(output_size=2)),
    ("adaptive_max_pool2d", (1, 1, 4, 4), dict(output_size=(2, 2, 2))),
    ("adaptive_max_pool2d", (1, 1, 4, 4), dict(output_size=-1)),
    ("adaptive_max_pool2d", (1, 0, 5, 5), dict(output_size=2)),
    ("adaptive_max_pool2d", (1, 1, 0, 5), dict(output_size=2)),
    ("adaptive_max_pool2d", (1, 1, 5, 5, 5), dict(output_size=2)),
    ("adaptive_max_pool1d", (4,), dict(output_size=2)),
    ("adaptive_max_pool1d", (1, 1, 5), dict(output_size=(2, 2))),
    ("adaptive_max_pool1d", (1, 1, 5), dict(output_size=-1)),
    ("adaptive_max_pool1d", (1, 0, 5), dict(output_size=2)),
]


@pytest.mark.parametrize("name,shape,kw", POOL_ERRORS)
def test_pool_errors(name, shape, kw):
    check_raises(lambda T, x: getattr(T.nn.functional, name)(x, **kw), rand(*shape))


@pytest.mark.parametrize("name", ["adaptive_avg_pool2d", "adaptive_max_pool2d"])
def test_adaptive_pools_reject_integers(name):
    check_raises(lambda T, x: getattr(T.nn.functional, name)(x, 2),
                 np.arange(16).reshape(1, 1, 4, 4))


def _chain(t) -> list:
    """Node names from ``t.grad_fn`` down the first listed input to the leaf."""
    names, node = [], t.grad_fn
    while node is not None:
        names.append(node.name())
        nxt = [f for f, _ in node.next_functions if f is not None]
        node = nxt[0] if nxt else None
    return names


@pytest.mark.parametrize("call", [
    lambda F, x: F.max_pool1d(x, 2), lambda F, x: F.max_pool1d(x, 3, 2, 1, return_indices=True),
    lambda F, x: F.avg_pool1d(x, 2), lambda F, x: F.avg_pool1d(x[0], 3, 1, 1, True, False),
    lambda F, x: F.adaptive_avg_pool1d(x, 3), lambda F, x: F.adaptive_max_pool1d(x, 3, True),
    lambda F, x: F.interpolate(x, size=4, mode="area"),
    lambda F, x: F.max_unpool1d(*F.max_pool1d(x, 2, return_indices=True), 2),
    lambda F, x: F.lp_pool1d(x, 2, 2), lambda F, x: F.lp_pool1d(x, float("inf"), 2),
    lambda F, x: F.lp_pool1d(x, -float("inf"), 3, 1),
    lambda F, x: F.lp_pool2d(x.view(1, 2, 2, 4), 3, (1, 2))], ids=lambda c: "")
def test_pooling_compositions_record_torch_graph(call):
    """torch runs 1-D pooling as 2-D pooling over a height of 1, and lp pooling as a composite;
    values, gradients and the recorded chain of nodes match."""
    got = {}
    for T in (mt, torch):
        x = T.tensor(np.linspace(-2, 3, 16, dtype=np.float32).reshape(1, 2, 8), requires_grad=True)
        out = call(T.nn.functional, x)
        out = out[0] if isinstance(out, tuple) else out
        out.backward(T.ones_like(out))
        got[T] = (out, x.grad, _chain(out))
    assert_close(got[mt][0], got[torch][0])
    assert_close(got[mt][1], got[torch][1])
    assert got[mt][2] == got[torch][2]
