"""float16 addcmul, addcdiv and lerp against torch, bit for bit.

torch's CPU kernels compute a float16 tensor's ``addcmul``/``addcdiv``/``lerp`` in float32
(their opmath type), the number (``value``, ``weight``) read in float32, not float16, and round
once to float16 at the end; ``addcmul`` fuses its last product and the sum
(``fma(float(value) * t1, t2, a)``), ``addcdiv`` is ``a + (value * t1) / t2``, and ``lerp`` is
``fma(w, b - a, a)`` for ``|w| < 0.5``, else ``fma(w - 1, b - a, b)`` (the weight a number or a
tensor). Before, the number was rounded to float16 and the arithmetic done in float16 NumPy
steps: a few to 35% of elements differed in the last bit. The lengths are multiples of 32 and
the tail loop of torch's kernels (checked: it fuses the same way) is covered by a length of 31.
The gradients are torch's products by the number (``mul_scalar``)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import assert_same_half_bits

N = 20000
_rng = np.random.default_rng(17)
X = _rng.integers(0, 2**16, N, dtype=np.uint16).view(np.float16).copy()
X[:10] = [65504, -65504, np.inf, -np.inf, np.nan, 2**-24, -(2**-24), 0, -0.0, 6.1e-5]
Y = X[_rng.permutation(N)]
Z = X[_rng.permutation(N)]
G = X[_rng.permutation(N)]
W = _rng.uniform(-1, 2, N).astype(np.float16)
W[:4] = [0.5, 0.49951171875, -0.5, 1.0]

NUMBERS = [0.1, 0.7, math.pi, 1e-5, 0.49999, 0.5, -0.3, 1.7, -2.5, 3, 1e5,
           1 + 2**-11 + 2**-40]


FORMS = {
    "addcmul": lambda T, a, b, c, s: T.addcmul(a, b, c, value=s),
    "addcmul_": lambda T, a, b, c, s: (a * 1).addcmul_(b, c, value=s),
    "addcdiv": lambda T, a, b, c, s: T.addcdiv(a, b, c, value=s),
    "addcdiv_": lambda T, a, b, c, s: (a * 1).addcdiv_(b, c, value=s),
    "lerp": lambda T, a, b, c, s: T.lerp(a, b, s),
    "lerp_": lambda T, a, b, c, s: (a * 1).lerp_(b, s),
}


@pytest.mark.parametrize("n", [N, 31])
@pytest.mark.parametrize("s", NUMBERS, ids=repr)
@pytest.mark.parametrize("form", list(FORMS))
def test_values_and_grads(form, s, n):
    res = {}
    for T in (torch, mt):
        a, b, c = (T.tensor(v[:n].copy(), requires_grad=True) for v in (X, Y, Z))
        with np.errstate(all="ignore"):
            r = FORMS[form](T, a, b, c, s)
            if not (form.startswith("addcdiv") and abs(s) > 65504):  # (its backward refuses
                r.backward(T.tensor(G[:n].copy()))  # such a value: test_scalar_range_checks)
        res[T] = (r, a.grad, b.grad, c.grad)
    for ours, theirs, what in zip(res[mt], res[torch], ("value", "grad a", "grad b", "grad c")):
        if theirs is None:
            assert ours is None, what
        else:
            assert_same_half_bits(ours, theirs, f"{form} {s!r} {what}")


@pytest.mark.parametrize("n", [N, 31])
def test_lerp_tensor_weight(n):
    res = {}
    for T in (torch, mt):
        a, b = (T.tensor(v[:n].copy()) for v in (X, Y))
        with np.errstate(all="ignore"):
            res[T] = (T.lerp(a, b, T.tensor(W[:n].copy())),
                      T.lerp(a, b, T.tensor(W[:n].copy())[:1]))
    for ours, theirs in zip(res[mt], res[torch]):
        assert_same_half_bits(ours, theirs, "lerp tensor weight")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("s", [0.1, -2.3, 3], ids=repr)
def test_addcdiv_wider_floats_grouping(dtype, s):
    """float32/float64 addcdiv: torch's ``a + (value * t1) / t2``, bit for bit."""
    a, b, c = (_rng.standard_normal(4096).astype(dtype) for _ in range(3))
    ours = mt.addcdiv(mt.tensor(a), mt.tensor(b), mt.tensor(c), value=s).numpy()
    theirs = torch.addcdiv(torch.tensor(a), torch.tensor(b), torch.tensor(c), value=s).numpy()
    np.testing.assert_array_equal(ours, theirs)
