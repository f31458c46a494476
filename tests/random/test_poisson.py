"""torch.poisson: the same seed gives the same counts as torch, bit for bit, over both of
torch's algorithms (Knuth's product of uniforms below rate 10, Hoermann's transformed rejection
from 10 on, and rate 0), float dtypes, shapes and generators; the stream after sampling is the
same; torch's errors; the node it records (PoissonBackward0, zero gradient)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check_raises

RATES = [0.0, 1e-3, 0.5, 3.0, 9.999, 10.0, 10.5, 47.0, 1e3, 1e6]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("seed", [0, 7])
def test_poisson_matches_torch(seed, dtype):
    rates = np.array(RATES)
    out = {}
    for T in (torch, mt):
        T.manual_seed(seed)
        r = T.tensor(rates, dtype=getattr(T, dtype))
        a = T.poisson(r.expand(5, len(RATES)))  # an expanded input: drawn in C order
        b = T.poisson(r.reshape(2, 5).t())  # a transposed one
        g = T.Generator().manual_seed(seed + 1)
        c = T.poisson(r, generator=g)
        out[T] = [a, b, c, T.rand(3, dtype=T.float64), T.rand(2, generator=g)]
    for o, t in zip(out[mt], out[torch]):
        assert str(o.dtype) == str(t.dtype) and tuple(o.shape) == tuple(t.shape)
        np.testing.assert_array_equal(o.numpy(), t.numpy())


def test_poisson_errors_and_graph():
    check_raises(lambda T: T.poisson(T.tensor([1.0, -1.0])))
    check_raises(lambda T: T.poisson(T.tensor([float("nan")])))
    check_raises(lambda T: T.poisson(T.tensor([1, 2])))
    for T in (torch, mt):
        r = T.tensor([1.0, 20.0], requires_grad=True)
        y = T.poisson(r)
        assert y.grad_fn.name() == "PoissonBackward0"
        y.sum().backward()
        assert r.grad.tolist() == [0.0, 0.0]
    assert tuple(mt.poisson(mt.zeros(0, 3)).shape) == (0, 3)
