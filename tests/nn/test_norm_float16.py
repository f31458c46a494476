"""float16 normalization against torch at magnitudes where float16 arithmetic fails: x^2
overflows float16 above |x| = 256 (its largest value is 65504) and underflows below 2^-12
(subnormal inputs down to 6e-8). torch's CPU kernels compute the statistics, the output and the
gradients in float32 and round each result once, with the mean and 1/std kept in float16 (as
its kernels' saved outputs: the backward of every norm, and the forward of batch and instance
norm, use the rounded values)."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, assert_same_half_bits, tol

# x = U(-1, 1) * magnitude, rounded to float16
MAGNITUDES = [65000.0, 1e4, 300.0, 1.0, 1e-3, 1e-5, 6e-8]

NORMS = {
    "layer_norm": lambda T, x, w, b: T.nn.functional.layer_norm(x, (6,), w, b),
    "group_norm": lambda T, x, w, b: T.nn.functional.group_norm(x, 3, w, b),
    "batch_norm": lambda T, x, w, b: T.nn.functional.batch_norm(x, None, None, w, b,
                                                                training=True),
    "instance_norm": lambda T, x, w, b: T.nn.functional.instance_norm(x, weight=w, bias=b),
}


def _inputs(magnitude: float, shape=(4, 6, 6), seed: int = 0):
    rng = np.random.default_rng(seed)
    x = (rng.uniform(-1, 1, shape) * magnitude).astype(np.float16)
    g = rng.standard_normal(shape).astype(np.float16)
    w = rng.uniform(0.5, 1.5, 6).astype(np.float16)
    b = rng.uniform(-1, 1, 6).astype(np.float16)
    return x, g, w, b


def _run(T, fn, x, g, w, b):
    leaves = [T.tensor(a, requires_grad=True) for a in (x, w, b)]
    out = fn(T, *leaves)
    out.backward(T.tensor(g))
    return [out] + [t.grad for t in leaves]


def _assert_scaled_close(ours, theirs, what):
    """Gradients in units of torch's largest: their scale follows 1/std(x), from 1e-5 (x near
    float16's largest) to 300 (x much smaller than sqrt(eps))."""
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    assert a.dtype == b.dtype == np.float16, what
    s = max(float(np.abs(b.astype(np.float32)).max()), 1e-30)
    np.testing.assert_allclose(a.astype(np.float32) / s, b.astype(np.float32) / s,
                               err_msg=what, **tol(np.float16))
    assert np.isfinite(a).all(), what


@pytest.mark.parametrize("magnitude", MAGNITUDES)
@pytest.mark.parametrize("norm", NORMS)
def test_float16_norm_large_and_tiny_inputs(norm, magnitude):
    """Output (values and float16 dtype) and the gradients of x, weight and bias."""
    x, g, w, b = _inputs(magnitude)
    ours, theirs = (_run(T, NORMS[norm], x, g, w, b) for T in (mt, torch))
    assert_close(ours[0], theirs[0], "output")
    assert np.isfinite(ours[0].detach().numpy()).all()
    for name, a, t in zip(("dL/dx", "dL/dw", "dL/db"), ours[1:], theirs[1:]):
        _assert_scaled_close(a, t, name)


@pytest.mark.parametrize("magnitude", [65000.0, 300.0, 1e-5])
@pytest.mark.parametrize("norm", ["layer_norm", "group_norm"])
def test_float16_norm_row_blocked(norm, magnitude, monkeypatch):
    """float16 computed in float32 takes the row-blocked kernel where float32 would (blocks of
    two rows here): the same results."""
    from minitorch_ref.nn.functional import normalization
    monkeypatch.setattr(normalization, "_ROW_BLOCK", 2 * 36 + 1)
    monkeypatch.setattr(normalization, "_row_layout", _forced_layout(normalization))
    x, g, w, b = _inputs(magnitude, shape=(5, 6, 6))
    ours, theirs = (_run(T, NORMS[norm], x, g, w, b) for T in (mt, torch))
    assert_close(ours[0], theirs[0], "output")
    for name, a, t in zip(("dL/dx", "dL/dw", "dL/db"), ours[1:], theirs[1:]):
        _assert_scaled_close(a, t, name)


def _forced_layout(normalization):
    """_row_layout, asserting that it picks the blocked form for these float32 arrays."""
    original = normalization._row_layout

    def layout(x, *args):
        chosen = original(x, *args)
        assert chosen is not None and x.dtype == np.float32
        return chosen
    return layout


@pytest.mark.parametrize("magnitude", [65000.0, 300.0, 1e-5])
@pytest.mark.parametrize("kind", ["BatchNorm1d", "InstanceNorm1d"])
def test_float16_running_estimates(kind, magnitude):
    """float16 running estimates after three training steps (instance norm: each of the N
    repeated copies rounded, then their mean), then the eval output and input gradient."""
    x, g, _, _ = _inputs(magnitude)
    res = []
    for T in LIBS:
        opts = {"track_running_stats": True} if kind.startswith("Instance") else {}
        m = getattr(T.nn, kind)(6, affine=True, **opts).half()
        for step in range(3):
            m(T.tensor(x * np.float16(1 - step / 4)))
        m.eval()
        a = T.tensor(x, requires_grad=True)
        out = m(a)
        out.backward(T.tensor(g))
        res.append((m.running_mean, m.running_var, out, a.grad))
    (rm, rv, out, gx), (trm, trv, tout, tgx) = res
    assert_close(rm, trm, "running_mean")
    assert_close(rv, trv, "running_var")   # inf at 65000 (its variance is 1.4e9)
    assert_close(out, tout, "eval output")
    _assert_scaled_close(gx, tgx, "eval dL/dx")


@pytest.mark.parametrize("norm", NORMS)
def test_float16_norm_input_changed_before_backward(norm):
    """The node keeps the float16 input itself (not its float32 copy): an in-place change
    before backward is torch's version-counter error."""
    x, g, w, b = _inputs(300.0)
    msgs = []
    for T in LIBS:
        a = T.tensor(x, requires_grad=True)
        t = a * 1
        out = NORMS[norm](T, t, T.tensor(w, requires_grad=True), T.tensor(b))
        with T.no_grad():
            t.mul_(2)
        with pytest.raises(RuntimeError) as e:
            out.backward(T.tensor(g))
        msgs.append(str(e.value))
    assert msgs[1] == msgs[0]
    assert "modified by an inplace operation" in msgs[0]


@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("shape", [(4, 6, 6), (3, 6), (2, 6, 3, 5)])
@pytest.mark.parametrize("magnitude", [300.0, 1.0, 1e-3])
def test_float16_group_norm_create_graph(magnitude, shape, affine):
    """Under create_graph torch computes group norm's gradients with tensor ops in float16
    (infinitely_differentiable_native_group_norm_backward: every product and sum rounded),
    not with its float32 kernel: the same bits, torch's nodes, then the second derivatives
    of sum(dL/dx * v + dL/dw) by differentiating those ops."""
    rng = np.random.default_rng(1)
    x = (rng.uniform(-1, 1, shape) * magnitude + magnitude / 2).astype(np.float16)
    g, v = (rng.standard_normal(shape).astype(np.float16) for _ in range(2))
    w = rng.uniform(0.5, 1.5, 6).astype(np.float16)
    b = rng.uniform(-1, 1, 6).astype(np.float16)
    res = []
    for T in LIBS:
        leaves = [T.tensor(a, requires_grad=True) for a in ((x, w, b) if affine else (x,))]
        out = T.nn.functional.group_norm(leaves[0], 3, *leaves[1:])
        grads = T.autograd.grad(out, leaves, T.tensor(g), create_graph=True)
        s = (grads[0] * T.tensor(v)).sum() + (grads[1].sum() if affine else 0)
        second = T.autograd.grad(s, leaves[:2], allow_unused=True)
        res.append((grads, second))
    (tgrads, tsecond), (grads, second) = res
    for name, a, t in zip(("dL/dx", "dL/dw", "dL/db"), grads, tgrads):
        assert_same_half_bits(a, t, name)
        assert (a.grad_fn is None) == (t.grad_fn is None), name
        if t.grad_fn is not None:
            assert type(a.grad_fn).__name__ == type(t.grad_fn).__name__, name
    for name, a, t in zip(("d2/dx", "d2/dw"), second, tsecond):
        _assert_close_with_overflow(a, t, name)


def _assert_close_with_overflow(ours, theirs, what):
    """As _assert_scaled_close, where torch's float16 ops may overflow (rstd^3 beyond 65504
    for |x| near 1e-3): the same infinities and NaNs, the finite values in units of torch's
    largest finite one."""
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    assert a.dtype == b.dtype == np.float16, what
    finite = np.isfinite(b)
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=what)
    np.testing.assert_array_equal(a[np.isinf(b)], b[np.isinf(b)], err_msg=what)
    s = max(float(np.abs(b[finite].astype(np.float32)).max(initial=0)), 1e-30)
    np.testing.assert_allclose(a[finite].astype(np.float32) / s,
                               b[finite].astype(np.float32) / s, err_msg=what, **tol(np.float16))


@pytest.mark.parametrize("magnitude", [3e4, 300.0, 100.0, 1.0, 1e-3])
@pytest.mark.parametrize("shape,size", [((4, 6, 5), 3), ((2, 64, 7), 5), ((3, 16, 4), 2)])
def test_float16_local_response_norm(shape, size, magnitude):
    """float16 as torch's composite computes it, op by op in float16 (x * x, the window's
    average pooled in float32, * alpha, + k, ** beta, x / that): the output's bits, where
    squares or window sums beyond 65504 give infinities (an output of 0; a cumulative sum's
    differences gave NaN, and a float16 cumulative sum over 16 or 64 channels of |x| ~ 100
    overflowed); the gradient's bits too, from torch's graph of those ops, op by op."""
    rng = np.random.default_rng(2)
    x = (rng.uniform(-1, 1, shape) * magnitude).astype(np.float16)
    g = rng.standard_normal(shape).astype(np.float16)
    res = []
    for T in LIBS:
        a = T.tensor(x, requires_grad=True)
        out = T.nn.functional.local_response_norm(a, size, alpha=1e-3, beta=0.75, k=2.0)
        out.backward(T.tensor(g))
        res.append((out, a.grad))
    (tout, tgx), (out, gx) = res
    assert_same_half_bits(out, tout, "output")
    assert_same_half_bits(gx, tgx, "dL/dx")
