"""A float16 tensor times, over, or plus alpha times a number, against torch, bit for bit.

torch's CPU kernels for a float16 tensor and a number (a Python number, or a 0-d float tensor
after the float16 tensor) read the number in float32, their opmath type, compute in float32 and
round once: ``t * s = half(float(t) * float32(s))``, ``t / s = half(float(t) / float32(s))``;
``s / t`` is ``t.reciprocal() * s``. Converting the number to float16 first (NumPy's weak
scalar) differs in the last bit on a third of the elements for s = 0.1. A 0-d tensor before the
float16 tensor (``d * t``) is converted to float16 as an ordinary operand. ``add``/``sub`` with
``alpha``: ``half(float(a) + float(b) * float(half(alpha)))`` (one rounding; torch's vectorized
loop; its scalar tail loop, the last ``n % 32`` elements of a chunk, rounds the product first,
so the lengths here are multiples of 32). The gradients are the same products and quotients
(torch's formulas multiply or divide by the number), first and second order."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import assert_same_half_bits

N = 20000  # a multiple of 32 below torch's parallel grain (32768): one chunk, no tail
_rng = np.random.default_rng(16)
X = _rng.integers(0, 2**16, N, dtype=np.uint16).view(np.float16).copy()
X[:10] = [65504, -65504, np.inf, -np.inf, np.nan, 2**-24, -(2**-24), 0, -0.0, 6.1e-5]
Y = X[_rng.permutation(N)]
G = X[_rng.permutation(N)]

SCALARS = [0.1, 0.7, math.pi, 1e-5, 1e5, 1 + 2**-11 + 2**-40, -0.1, -0.7, -math.pi, 3, 70000]


def _d(T, s, dtype="float64"):
    return T.tensor(float(s), dtype=getattr(T, dtype), requires_grad=True)


FORWARD = {
    "t*s": lambda T, t, s: t * s,
    "s*t": lambda T, t, s: s * t,
    "mul": lambda T, t, s: T.mul(t, s),
    "t/s": lambda T, t, s: t / s,
    "div": lambda T, t, s: T.div(t, s),
    "s/t": lambda T, t, s: s / t,
    "t*d64": lambda T, t, s: t * _d(T, s),
    "t*d32": lambda T, t, s: t * _d(T, s, "float32"),
    "d64*t": lambda T, t, s: _d(T, s) * t,
    "t/d64": lambda T, t, s: t / _d(T, s),
    "t/d32": lambda T, t, s: t / _d(T, s, "float32"),
}


@pytest.mark.parametrize("s", SCALARS, ids=repr)
@pytest.mark.parametrize("path", list(FORWARD))
def test_mul_div_by_number(path, s):
    """Values and gradients (of the tensor and of a 0-d tensor operand)."""
    out = {}
    for T in (torch, mt):
        t = T.tensor(X.copy(), requires_grad=True)
        with np.errstate(all="ignore"):
            r = FORWARD[path](T, t, s)
            r.backward(T.tensor(G.copy()))
        out[T] = (r, t.grad)
    for ours, theirs, what in zip(out[mt], out[torch], ("value", "grad")):
        assert_same_half_bits(ours, theirs, f"{path} {s!r} {what}")


@pytest.mark.parametrize("s", [0.1, 0.7, math.pi, -math.pi, 3], ids=repr)
@pytest.mark.parametrize("path", ["t*d64", "t/d64", "d64*t"])
def test_number_tensor_grad(path, s):
    """dL/d(the 0-d float64 tensor): the float16 products summed, as torch's."""
    grads = {}
    for T in (torch, mt):
        t = T.tensor(X[np.isfinite(X)][:4096].copy())
        d = _d(T, s)
        r = (t * d) if path == "t*d64" else (t / d) if path == "t/d64" else (d * t)
        with np.errstate(all="ignore"):
            r.backward(T.ones_like(r))
        grads[T] = d.grad
    assert grads[mt].dtype == mt.float64
    assert grads[mt].item() == grads[torch].item() or (
        math.isnan(grads[mt].item()) and math.isnan(grads[torch].item()))


@pytest.mark.parametrize("s", SCALARS, ids=repr)
@pytest.mark.parametrize("op", ["mul_", "div_", "mul_out", "div_out"])
def test_inplace_and_out(op, s):
    res = {}
    for T in (torch, mt):
        t = T.tensor(X.copy())
        with np.errstate(all="ignore"):
            if op.endswith("_out"):
                o = T.empty(N, dtype=T.float16)
                getattr(T, op[:3])(t, s, out=o)
                t = o
            else:
                getattr(t, op)(s)
        res[T] = t
    assert_same_half_bits(res[mt], res[torch], f"{op} {s!r}")


ALPHAS = [0.1, 0.7, math.pi, 1e-5, 1 + 2**-11 + 2**-40, -0.1, -math.pi, 3]
ALPHA_FORMS = {
    "add": lambda T, a, b, s: T.add(a, b, alpha=s),
    "sub": lambda T, a, b, s: T.sub(a, b, alpha=s),
    "add_number": lambda T, a, b, s: T.add(a, 2.5, alpha=s),
    "sub_number": lambda T, a, b, s: T.sub(a, 0.1, alpha=s),
    "add_": lambda T, a, b, s: a.clone().add_(b, alpha=s),
}


@pytest.mark.parametrize("s", ALPHAS, ids=repr)
@pytest.mark.parametrize("form", list(ALPHA_FORMS))
def test_add_sub_alpha(form, s):
    res = {}
    for T in (torch, mt):
        a = T.tensor(X.copy(), requires_grad=True)
        b = T.tensor(Y.copy(), requires_grad=True)
        with np.errstate(all="ignore"):
            r = ALPHA_FORMS[form](T, a, b, s)
            r.backward(T.tensor(G.copy()))
        res[T] = (r, a.grad, b.grad)
    for ours, theirs, what in zip(res[mt], res[torch], ("value", "grad a", "grad b")):
        if theirs is None:
            assert ours is None
        else:
            assert_same_half_bits(ours, theirs, f"{form} {s!r} {what}")


DOUBLE = {
    "mul": lambda T, t, s: (t * s) * t,
    "div": lambda T, t, s: (t / s) * t,
    "rdiv": lambda T, t, s: (s / t) * t,
    "t/d64": lambda T, t, s: (t / _d(T, s)) * t,
    "d64*t": lambda T, t, s: (_d(T, s) * t) * t,
    "add_alpha": lambda T, t, s: T.add(t, t * t, alpha=s),
    "sub_alpha": lambda T, t, s: T.sub(t * t, t, alpha=s),
}
_small = X[np.isfinite(X) & (np.abs(X.astype(np.float32)) > 1e-3)
           & (np.abs(X.astype(np.float32)) < 60)][:4096]
_small_y = _small[_rng.permutation(len(_small))]


@pytest.mark.parametrize("s", [0.1, 0.7, math.pi, -0.7], ids=repr)
@pytest.mark.parametrize("path", list(DOUBLE))
def test_double_backward(path, s):
    """create_graph: first and second derivatives as torch's, bit for bit."""
    res = {}
    for T in (torch, mt):
        t = T.tensor(_small.copy(), requires_grad=True)
        r = DOUBLE[path](T, t, s)
        g, = T.autograd.grad(r, t, T.tensor(_small[::-1].copy()), create_graph=True)
        g2, = T.autograd.grad(g, t, T.tensor(_small_y.copy()))
        res[T] = (r, g, g2)
    for ours, theirs, what in zip(res[mt], res[torch], ("value", "grad", "grad2")):
        assert_same_half_bits(ours, theirs, f"{path} {s!r} {what}")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("s", [0.1, math.pi, -0.7], ids=repr)
def test_wider_floats_unchanged(dtype, s):
    """float32/float64 tensors by a number: the number in the tensor's dtype, as before."""
    x = _rng.standard_normal(4096).astype(dtype)
    for fn in (lambda T, t: t * s, lambda T, t: t / s, lambda T, t: s / t):
        ours, theirs = fn(mt, mt.tensor(x)), fn(torch, torch.tensor(x))
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
