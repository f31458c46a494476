"""float16 second derivatives of the normalizations against torch. Under create_graph torch
computes each first derivative with its float16 kernel (float32 inside, rounded once) and
differentiates it with its double-backward formula op by op in float16 (layer and batch norm:
``layer_norm_double_backward`` and ``batchnorm_double_backward``; group norm: the ops of its
infinitely differentiable backward; local_response_norm: its composite's ops), every product and
sum rounded to float16. Inputs at |x| ~ 1, 30 and 300 (a product of three at 300 rounds far
from its float32 value); the grad_output is a leaf too, so that all three of torch's formulas'
outputs (input, weight, grad_output) are compared. torch's results here are the same under
ATEN_CPU_CAPABILITY=avx512, avx2 and default (rows of 6 and 5 elements stay in its kernels'
scalar tails), so they are compared bitwise."""
import numpy as np
import pytest

from harness import LIBS, assert_same_half_bits, tol

SHAPE = (4, 6, 5)
SCALES = [1.0, 30.0, 300.0]


def _running(T):
    return (T.tensor(np.linspace(-0.5, 0.5, 6).astype(np.float16) * 20),
            T.tensor(np.linspace(0.5, 3, 6).astype(np.float16) * 100))


NORMS = {
    "layer_norm": lambda T, x, w, b: T.nn.functional.layer_norm(x.transpose(1, 2), (6,), w, b),
    "batch_norm": lambda T, x, w, b: T.nn.functional.batch_norm(x, None, None, w, b,
                                                                training=True),
    "batch_norm_eval": lambda T, x, w, b: T.nn.functional.batch_norm(x, *_running(T), w, b),
    "instance_norm": lambda T, x, w, b: T.nn.functional.instance_norm(x, weight=w, bias=b),
    "group_norm": lambda T, x, w, b: T.nn.functional.group_norm(x, 3, w, b),
}

CASES = [(n, s, a) for n in NORMS for s in SCALES for a in (True, False)]

# norms whose float16 first derivatives are compared within tolerance: torch's layer norm
# backward kernel sums dL/dw and dL/db (and the input gradient's row sums) in an order not
# reproduced (up to 10 ulp on dL/db)
FIRST_WITHIN_TOLERANCE = {"layer_norm"}


def _chain(fn, depth: int = 3) -> list:
    """The grad_fn names reachable from ``fn`` (next_functions, ``depth`` levels)."""
    if fn is None or depth < 0:
        return []
    names = [type(fn).__name__]
    for nxt, _ in fn.next_functions:
        names.append(_chain(nxt, depth - 1))
    return names


def _data(scale: float, seed: int = 3):
    rng = np.random.default_rng(seed)
    x = (rng.uniform(-1, 1, SHAPE) * scale + scale / 3).astype(np.float16)
    g, v = (rng.standard_normal(SHAPE).astype(np.float16) for _ in range(2))
    w = rng.uniform(0.5, 1.5, 6).astype(np.float16)
    b = rng.uniform(-1, 1, 6).astype(np.float16)
    vw, vb = (rng.standard_normal(6).astype(np.float16) for _ in range(2))
    return x, g, v, w, b, vw, vb


def _second(T, fn, x, g, v, w, b, vw, vb, affine):
    """First derivatives of fn's output (create_graph), then the derivatives of
    sum(dL/dx v) + sum(dL/dw vw) + sum(dL/db vb) with respect to x, w, b and the
    grad_output."""
    leaves = [T.tensor(a, requires_grad=True) for a in (x, w, b)] if affine else \
        [T.tensor(x, requires_grad=True)]
    gout = T.tensor(g, requires_grad=True)
    out = fn(T, leaves[0], *(leaves[1:] if affine else (None, None)))
    if out.shape != leaves[0].shape:   # layer norm's transposed view
        gout_used = gout.transpose(1, 2)
    else:
        gout_used = gout
    first = T.autograd.grad(out, leaves, gout_used, create_graph=True)
    s = (first[0] * T.tensor(v)).sum()
    if affine:
        s = s + (first[1] * T.tensor(vw)).sum() + (first[2] * T.tensor(vb)).sum()
    second = T.autograd.grad(s, leaves + [gout], allow_unused=True)
    return first, second


def _compare(ours, theirs, what, bitwise):
    assert (ours is None) == (theirs is None), what
    if ours is None:
        return
    if bitwise:
        assert_same_half_bits(ours, theirs, what)
        return
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    assert a.dtype == b.dtype == np.float16, what
    s = max(float(np.abs(b.astype(np.float32)).max()), 1e-30)
    np.testing.assert_allclose(a.astype(np.float32) / s, b.astype(np.float32) / s,
                               err_msg=what, **tol(np.float16))


@pytest.mark.parametrize("norm,scale,affine", CASES)
def test_float16_norm_second_derivative(norm, scale, affine):
    """First derivatives (bits and torch's node chain), then the second derivatives with
    respect to input, weight, bias and grad_output: torch's bits."""
    data = _data(scale)
    (tfirst, tsecond), (first, second) = (_second(T, NORMS[norm], *data, affine)
                                          for T in LIBS)
    for name, a, t in zip(("dL/dx", "dL/dw", "dL/db"), first, tfirst):
        _compare(a, t, name, norm not in FIRST_WITHIN_TOLERANCE)
        assert _chain(a.grad_fn) == _chain(t.grad_fn), name
    for name, a, t in zip(("d2/dx", "d2/dw", "d2/db", "d2/dgrad_out"), second, tsecond):
        _compare(a, t, name, True)


LRN_SHAPES = [((4, 6, 5), 3), ((2, 16, 4), 5)]


def _lrn_second(T, shape, size, scale):
    rng = np.random.default_rng(4)
    x = (rng.uniform(-1, 1, shape) * scale).astype(np.float16)
    g, v = (rng.standard_normal(shape).astype(np.float16) for _ in range(2))
    a, gout = T.tensor(x, requires_grad=True), T.tensor(g, requires_grad=True)
    out = T.nn.functional.local_response_norm(a, size, alpha=1e-3, beta=0.75, k=2.0)
    (gx,) = T.autograd.grad(out, a, gout, create_graph=True)
    return out, gx, T.autograd.grad((gx * T.tensor(v)).sum(), [a, gout])


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("shape,size", LRN_SHAPES)
def test_float16_local_response_norm_second_derivative(shape, size, scale):
    """local_response_norm is a composite in torch (x * x, unsqueeze, pad, avg_pool2d,
    squeeze, * alpha, + k, ** beta, x / that), in float16 too: the output's graph is torch's
    node for node, the first derivative torch's bits, and the second derivatives (with
    respect to x and the grad_output) within float16's tolerance."""
    (tout, tgx, tsecond), (out, gx, second) = (_lrn_second(T, shape, size, scale)
                                               for T in LIBS)
    assert _chain(out.grad_fn, 9) == _chain(tout.grad_fn, 9)
    assert_same_half_bits(gx, tgx, "dL/dx")
    for name, a, t in zip(("d2/dx", "d2/dgrad_out"), second, tsecond):
        _compare(a, t, name, False)


@pytest.mark.xfail(strict=True, reason="the library's constant pad records its backward as "
                   "slice + index_put (torch: ConstantPadNdBackward0) and pow's float16 "
                   "double backward rounds otherwise than torch's formula")
@pytest.mark.parametrize("shape,size", LRN_SHAPES[:1])
def test_float16_local_response_norm_second_derivative_bits(shape, size):
    """The first derivative's graph node for node and the second derivatives' bits."""
    (_, tgx, tsecond), (_, gx, second) = (_lrn_second(T, shape, size, 30.0) for T in LIBS)
    assert _chain(gx.grad_fn, 6) == _chain(tgx.grad_fn, 6)
    for name, a, t in zip(("d2/dx", "d2/dgrad_out"), second, tsecond):
        _compare(a, t, name, True)
