"""float16 RMS norm against torch, whose composite rms_norm takes x to float32, computes the
statistic, x * rrms, the product by the weight and (through its float32 graph) both gradients
in float32, and rounds each result once; eps defaults to float32's machine epsilon there. In
float16 x^2 overflows above |x| = 256 and underflows below 2^-12, and float16's epsilon (1e-3)
would swamp mean(x^2) below |x| = 0.03."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, tol

MAGNITUDES = [65000.0, 1e4, 300.0, 1.0, 1e-3, 1e-5, 6e-8]


def _inputs(magnitude: float, shape=(4, 3, 8), seed: int = 0):
    rng = np.random.default_rng(seed)
    x = (rng.uniform(-1, 1, shape) * magnitude).astype(np.float16)
    g = rng.standard_normal(shape).astype(np.float16)
    v = rng.standard_normal(shape).astype(np.float16)
    w = rng.uniform(0.5, 1.5, shape[-1]).astype(np.float16)
    return x, g, v, w


def _assert_scaled_close(ours, theirs, what):
    """float16 results in units of torch's largest, at float16's tolerance (gradients scale as
    1/rms(x): from 1e-5 near float16's largest to 1e7 for subnormal inputs)."""
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    assert a.dtype == b.dtype == np.float16, what
    assert np.isfinite(a).all() and np.isfinite(b).all(), what
    s = max(float(np.abs(b.astype(np.float32)).max()), 1e-30)
    np.testing.assert_allclose(a.astype(np.float32) / s, b.astype(np.float32) / s,
                               err_msg=what, **tol(np.float16))


def _grads(T, x, g, w, eps, create_graph=False):
    leaves = [T.tensor(x, requires_grad=True)]
    if w is not None:
        leaves.append(T.tensor(w, requires_grad=True))
    out = T.nn.functional.rms_norm(leaves[0], (x.shape[-1],), leaves[1] if w is not None
                                   else None, eps)
    grads = T.autograd.grad(out, leaves, T.tensor(g), create_graph=create_graph)
    return out, grads, leaves


@pytest.mark.parametrize("eps", [None, 1e-5])
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("magnitude", MAGNITUDES)
def test_float16_rms_norm(magnitude, affine, eps):
    """Output and the gradients of x and weight."""
    x, g, _, w = _inputs(magnitude)
    (out, grads, _), (tout, tgrads, _) = (_grads(T, x, g, w if affine else None, eps)
                                          for T in (mt, torch))
    _assert_scaled_close(out, tout, "output")
    for name, a, t in zip(("dL/dx", "dL/dw"), grads, tgrads):
        _assert_scaled_close(a, t, name)


@pytest.mark.parametrize("magnitude", [1e4, 300.0, 1.0, 0.1])
def test_float16_rms_norm_second_derivative(magnitude):
    """create_graph: the first derivatives, then the gradients of sum(dL/dx * v + dL/dw)
    with respect to x and weight (torch differentiates its float32 graph)."""
    x, g, v, w = _inputs(magnitude)
    res = []
    for T in LIBS:
        _, grads, leaves = _grads(T, x, g, w, None, create_graph=True)
        s = (grads[0] * T.tensor(v)).sum() + grads[1].sum()
        res.append(grads + T.autograd.grad(s, leaves))
    for name, a, t in zip(("dL/dx", "dL/dw", "d2/dx", "d2/dw"), res[1], res[0]):
        _assert_scaled_close(a, t, name)


@pytest.mark.parametrize("magnitude", [300.0, 1e-3])
def test_float16_rms_norm_module(magnitude):
    """nn.RMSNorm converted with .half(): eps None (float32's epsilon) and the weight's
    gradient."""
    x, g, _, _ = _inputs(magnitude)
    res = []
    for T in LIBS:
        m = T.nn.RMSNorm(x.shape[-1]).half()
        a = T.tensor(x, requires_grad=True)
        out = m(a)
        out.backward(T.tensor(g))
        res.append((out, a.grad, m.weight.grad))
    for name, a, t in zip(("output", "dL/dx", "dL/dw"), res[1], res[0]):
        _assert_scaled_close(a, t, name)
