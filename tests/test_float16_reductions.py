"""float16 sum, mean, cumsum and cumprod (and ``dtype=torch.float16`` from float32/float64
inputs) against torch, bit for bit.

torch accumulates a float16 reduction in float32 (the opmath type) and rounds once:
``sum`` and ``cumsum``/``cumprod`` (each output) of a float16 tensor are half(float32
accumulation); with ``dtype=torch.float16`` the input is first converted to float16 (float64
through float32). ``mean`` with a float16 result is ``half(sum(float32(x)) / n)``, the input
converted to float32, not float16, when ``dtype=`` is given. NumPy's float16 loops round every
partial sum: 15-100% of results differed. The gradients of cumsum (a reversed cumsum of the
upstream) follow the same rule. prod, nansum/nanmean, var/std, norms, logsumexp,
logcumsumexp and the gradients of these, of mean and of cumprod: test_float16_reduction_grads.py."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import assert_same_half_bits

_rng = np.random.default_rng(18)
SHAPES = [(1000,), (64, 300), (300, 64), (7, 33), (5, 7, 9)]
X64 = {s: _rng.standard_normal(s) * 3 for s in SHAPES}
G16 = {s: (_rng.standard_normal(s)).astype(np.float16) for s in SHAPES}


OPS = {
    "sum": lambda T, t, kw: T.sum(t, **kw),
    "sum-1": lambda T, t, kw: T.sum(t, -1, **kw),
    "sum0": lambda T, t, kw: T.sum(t, 0, **kw),
    "sum0 keepdim": lambda T, t, kw: T.sum(t, 0, keepdim=True, **kw),
    "mean": lambda T, t, kw: T.mean(t, **kw),
    "mean-1": lambda T, t, kw: T.mean(t, -1, **kw),
    "mean0": lambda T, t, kw: T.mean(t, 0, **kw),
    "cumsum-1": lambda T, t, kw: T.cumsum(t, -1, **kw),
    "cumsum0": lambda T, t, kw: T.cumsum(t, 0, **kw),
    "cumprod-1": lambda T, t, kw: T.cumprod(t * 0.1 + 1, -1, **kw),
    "cumprod0": lambda T, t, kw: T.cumprod(t * 0.1 + 1, 0, **kw),
}


@pytest.mark.parametrize("src", ["float16", "float32", "float64"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("op", list(OPS))
def test_reduction_values(op, shape, src):
    x = X64[shape]
    if src == "float16":
        x = x.astype(np.float32).astype(np.float16)
    else:
        x = x.astype(src)
    res = {}
    for T in (torch, mt):
        kw = {} if src == "float16" else {"dtype": T.float16}
        with np.errstate(all="ignore"):
            res[T] = OPS[op](T, T.tensor(x), kw)
    assert_same_half_bits(res[mt], res[torch], f"{op} {shape} {src}")


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dim", [0, -1])
def test_cumsum_grad(shape, dim):
    grads = {}
    for T in (torch, mt):
        t = T.tensor(X64[shape].astype(np.float16), requires_grad=True)
        T.cumsum(t, dim).backward(T.tensor(G16[shape]))
        grads[T] = t.grad
    assert_same_half_bits(grads[mt], grads[torch], f"cumsum grad {shape} {dim}")


def test_sum_overflow_is_inf():
    x = np.full(8, 60000.0, np.float16)
    assert_same_half_bits(mt.tensor(x).sum(), torch.tensor(x).sum())
    assert_same_half_bits(mt.tensor(x).cumsum(0), torch.tensor(x).cumsum(0))
