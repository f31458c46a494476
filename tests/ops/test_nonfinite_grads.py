"""Backward kernels that torch writes as a select (``cond ? 0 : g``): an inf or NaN upstream
gradient at a zeroed position must give 0 (not NaN, and no RuntimeWarning), and a NaN input must
take the branch torch's comparison gives it. Compared bit for bit (NaN equal to NaN) with torch,
on a short array (torch's scalar loop) and on 64 elements (its vectorized loop)."""
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import tol

NAN, INF = float("nan"), float("inf")
X = [NAN, -1.0, 0.0, 0.3, 2.0, -4.0]
G = [INF, NAN, INF, 1.0, -INF, NAN]
# period 7 against X's period 6: every pairing of an input with an upstream value occurs
G7 = [INF, NAN, INF, 1.0, -INF, NAN, -2.5]
DTYPES = ["float32", "float64"]


def _fn(T):
    return torch.nn.functional if T is torch else mt.nn.functional


def _bounds(T, x, lo, hi):
    return (None if lo is None else T.full_like(x, lo).requires_grad_(),
            None if hi is None else T.full_like(x, hi).requires_grad_())


# name -> (build(T, x) -> (output, [tensors whose grads are compared]))
OPS = {
    "relu": lambda T, x: (T.relu(x), [x]),
    "relu_method": lambda T, x: (x.relu(), [x]),
    "relu_inplace": lambda T, x: (_fn(T).relu(x * 1, inplace=True), [x]),
    "clamp": lambda T, x: (T.clamp(x, -0.5, 1.0), [x]),
    "clamp_min": lambda T, x: (T.clamp(x, min=-0.5), [x]),
    "clamp_max": lambda T, x: (T.clamp(x, max=1.0), [x]),
    "clamp_min_fn": lambda T, x: (T.clamp_min(x, -0.5), [x]),
    "clamp_max_fn": lambda T, x: (T.clamp_max(x, 1.0), [x]),
    "clamp_tensor": lambda T, x: (lambda lo, hi: (T.clamp(x, lo, hi), [x, lo, hi]))(
        *_bounds(T, x, -0.5, 1.0)),
    "clamp_tensor_min": lambda T, x: (lambda lo, hi: (T.clamp(x, min=lo), [x, lo]))(
        *_bounds(T, x, -0.5, None)),
    "clamp_tensor_max": lambda T, x: (lambda lo, hi: (T.clamp(x, max=hi), [x, hi]))(
        *_bounds(T, x, None, 1.0)),
    "clamp_tensor_equal_bounds": lambda T, x: (lambda lo, hi: (T.clamp(x, lo, hi), [x, lo, hi]))(
        *_bounds(T, x, 0.0, 0.0)),
    "clamp_tensor_crossed_bounds": lambda T, x: (
        lambda lo, hi: (T.clamp(x, lo, hi), [x, lo, hi]))(*_bounds(T, x, 1.0, -0.5)),
    "hardtanh": lambda T, x: (_fn(T).hardtanh(x), [x]),
    "hardtanh_bounds": lambda T, x: (_fn(T).hardtanh(x, -1.0, 2.0), [x]),
    "relu6": lambda T, x: (_fn(T).relu6(x), [x]),
    "hardshrink": lambda T, x: (_fn(T).hardshrink(x, 0.5), [x]),
    "softshrink": lambda T, x: (_fn(T).softshrink(x, 0.5), [x]),
    "threshold": lambda T, x: (_fn(T).threshold(x, 0.1, 2.0), [x]),
    "hardsigmoid": lambda T, x: (_fn(T).hardsigmoid(x), [x]),
    "hardswish": lambda T, x: (_fn(T).hardswish(x), [x]),
    "maximum": lambda T, x: (lambda z: (T.maximum(x, z), [x, z]))(
        T.zeros_like(x).requires_grad_()),
    "minimum": lambda T, x: (lambda z: (T.minimum(x, z), [x, z]))(
        T.zeros_like(x).requires_grad_()),
    "maximum_ties": lambda T, x: (lambda z: (T.maximum(z, x), [x, z]))(
        T.tensor([0.0, -1.0, 1.0, 0.3, 2.0, NAN] * 11, dtype=x.dtype)[:x.numel()]
        .requires_grad_()),
    "minimum_ties": lambda T, x: (lambda z: (T.minimum(z, x), [x, z]))(
        T.tensor([0.0, -1.0, 1.0, 0.3, 2.0, NAN] * 11, dtype=x.dtype)[:x.numel()]
        .requires_grad_()),
    "max_binary": lambda T, x: (lambda z: (T.max(x, z), [x, z]))(
        T.zeros_like(x).requires_grad_()),
    # already selects (or multiplies by a factor that is never 0): pinned here too
    "leaky_relu": lambda T, x: (_fn(T).leaky_relu(x, 0.1), [x]),
    "where": lambda T, x: (T.where(x > 0, x, T.zeros_like(x)), [x]),
    "masked_fill": lambda T, x: (x.masked_fill(x < 0, 0.0), [x]),
}


def _run(T, build, x, g, dtype):
    xt = T.tensor(x, dtype=getattr(T, dtype), requires_grad=True)
    out, tensors = build(T, xt)
    tensors = [t for t in tensors if t is not None]
    out.backward(T.tensor(g, dtype=getattr(T, dtype)))
    return [np.array(t.grad.detach().numpy() if T is torch else t.grad.numpy())
            for t in tensors]


def _compare(build, x, g, dtype, exact=True):
    expected = _run(torch, build, x, g, dtype)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = _run(mt, build, x, g, dtype)
    runtime = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not runtime, runtime
    assert len(got) == len(expected)
    for k, (a, b) in enumerate(zip(got, expected)):
        assert a.dtype == b.dtype and a.shape == b.shape, (k, a.dtype, b.dtype)
        if not exact:  # NaN and inf where torch has them, finite values within tolerance
            assert np.array_equal(np.isfinite(a), np.isfinite(b))
            assert np.array_equal(a[~np.isfinite(a)], b[~np.isfinite(b)], equal_nan=True)
            np.testing.assert_allclose(a, b, equal_nan=True, **tol(a.dtype))
            continue
        assert np.array_equal(a, b, equal_nan=True), f"grad {k}: ours {a}, torch {b}"
        # a zeroed gradient is +0 in both
        assert np.array_equal(np.signbit(a[a == 0]), np.signbit(b[b == 0])), k


# torch's scalar loop (an array's last len % 8 float32 / len % 4 float64 elements) sends a NaN
# input the other way than its vectorized loop for these; we follow the vectorized loop
SCALAR_LOOP_DIFFERS = {"hardtanh", "hardtanh_bounds", "relu6", "hardshrink", "softshrink",
                       "hardswish"}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(OPS))
def test_short(name, dtype):
    """Six elements: torch runs them through its scalar loop."""
    if name in SCALAR_LOOP_DIFFERS:
        pytest.skip("torch's scalar loop differs from its vectorized loop at a NaN input")
    _compare(OPS[name], X, G, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(OPS) + ["elu", "selu", "celu"])
def test_vectorized(name, dtype):
    """64 elements: every element in torch's vectorized loop. (The ELU family is here only:
    torch's scalar loop gives g * scale at a NaN input where its vectorized loop, which takes
    nearly all of any real array, gives NaN; we give NaN. Its finite values differ from torch's
    by an ulp of exp, so they are compared within tolerance.)"""
    build = OPS.get(name) or (lambda T, x: (getattr(_fn(T), name)(x), [x]))
    _compare(build, list(np.resize(X, 64)), list(np.resize(G7, 64)), dtype, exact=name in OPS)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduce", ["max", "min"])
@pytest.mark.parametrize("values", [X, [1.0, 3.0, 3.0, 0.0, -INF], [2.0, NAN, 2.0, NAN],
                                    [INF, INF, 1.0], [5.0]])
@pytest.mark.parametrize("g", [INF, NAN, -3.0])
def test_whole_tensor_extreme(reduce, values, g, dtype):
    """max() / min() of every element: g / k at each of the k extreme elements (the NaNs when
    the result is NaN), selected, so an inf/NaN g leaves every other element 0."""
    def build(T, x):
        return getattr(x, reduce)().expand(1).squeeze(0), [x]

    expected = _run(torch, build, values, g, dtype)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = _run(mt, build, values, g, dtype)
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert got[0].dtype == expected[0].dtype
    assert np.array_equal(got[0], expected[0], equal_nan=True), (got, expected)


def test_prelu_weight_grad_selects():
    """prelu's weight gradient: 0 where x > 0 (selected), so an inf there adds nothing."""
    cases = [([2.0, 3.0, -1.0], [INF, 1.0, 1.0]), ([INF, -2.0, -1.0], [1.0, 1.0, 1.0]),
             ([0.0, -2.0], [INF, 1.0]), ([2.0, -2.0], [NAN, 1.0]), ([NAN, -2.0], [1.0, 1.0])]
    for dtype in DTYPES:
        for x, g in cases:
            for n in (len(x), 64):
                xs, gs = list(np.resize(x, n)), list(np.resize(g, n))

                def build(T, xt):
                    w = T.tensor([0.25], dtype=xt.dtype, requires_grad=True)
                    return _fn(T).prelu(xt, w), [xt, w]
                _compare(build, xs, gs, dtype, exact=False)  # w's grad is a sum: order differs


X1 = [0.5, -2.0, 3.0, 0.1, 4.0, -4.0]
X1_INF = [0.5, -2.0, 3.0, 0.1, INF, -INF]
X2 = [0.0, 1.0, -1.0, 0.2, 0.0, 0.0]
Y = [1.0, -1.0, 1.0, -1.0, -1.0, 1.0]

LOSSES = {
    "margin_ranking": lambda T, a, b, t: _fn(T).margin_ranking_loss(a, b, t, margin=0.5),
    "hinge_embedding": lambda T, a, b, t: _fn(T).hinge_embedding_loss(a, t, margin=1.0),
    "multi_margin": lambda T, a, b, t: _fn(T).multi_margin_loss(a.reshape(2, 3),
                                                                T.tensor([0, 2])),
    "multi_margin_p2": lambda T, a, b, t: _fn(T).multi_margin_loss(a.reshape(2, 3),
                                                                   T.tensor([0, 2]), p=2),
    "multilabel_margin": lambda T, a, b, t: _fn(T).multilabel_margin_loss(
        a.reshape(2, 3), T.tensor([[0, -1, 1], [2, -1, 0]])),
    "triplet": lambda T, a, b, t: _fn(T).triplet_margin_loss(
        a.reshape(3, 2), b.reshape(3, 2), t.reshape(3, 2)),
    "triplet_swap": lambda T, a, b, t: _fn(T).triplet_margin_loss(
        a.reshape(3, 2), b.reshape(3, 2), (t * 0.5).reshape(3, 2), swap=True),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("x1", [X1, X1_INF], ids=["finite", "inf_input"])
@pytest.mark.parametrize("g", [INF, 1.0])
@pytest.mark.parametrize("name", list(LOSSES))
def test_loss_nonfinite(name, g, x1, dtype):
    """Hinge-type losses: inactive entries give 0 under an inf upstream gradient where torch's
    clamp_min / where select; NaN where torch multiplies at the end (the margin kernels)."""
    def run(T):
        tdt = getattr(T, dtype)
        a = T.tensor(x1, dtype=tdt, requires_grad=True)
        b = T.tensor(X2, dtype=tdt, requires_grad=True)
        LOSSES[name](T, a, b, T.tensor(Y, dtype=tdt)).backward(T.tensor(g, dtype=tdt))
        return [np.array(t.grad.tolist()) for t in (a, b) if t.grad is not None]

    expected = run(torch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = run(mt)
    if x1 is X1:  # (an infinite input warns in the forward's own inf - inf)
        assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        assert np.array_equal(np.isnan(a), np.isnan(b)), (a, b)
        np.testing.assert_allclose(a, b, equal_nan=True, **tol(getattr(np, dtype)))
