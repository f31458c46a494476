"""torch.poisson with rates whose draw leaves int64, against torch (2.13): torch's sampler
casts its candidate ``floor((2a / us + b) u + lam + 0.43)`` to int64, so for rate inf (a NaN or
infinite candidate) and rates far beyond 2**63 the draw is int64's minimum, -9.2e18, with the
same uniforms taken as for any rate (the stream after it is torch's). We raised OverflowError
for inf ('cannot convert float infinity to integer') and returned the rate for 1e30."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt

inf = float("inf")
RATES = [([inf, 1.0, 3.0], "float32"), ([1e30, 2.0], "float32"), ([inf, 5.0], "float64"),
         ([inf] * 5 + [12.0], "float64"), ([9.3e18, 20.0], "float64"),
         ([2.0, inf, 0.0, 1e300], "float64"), ([[inf, 30.0], [1e38, 0.5]], "float32")]


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("rates,dtype", RATES, ids=str)
def test_poisson_beyond_int64(rates, dtype, seed):
    def run(T):
        T.manual_seed(seed)
        x = T.poisson(T.tensor(rates, dtype=getattr(T, dtype)))
        return str(x.dtype), x.numpy().copy(), T.rand(5).numpy().copy()
    got, want = run(mt), run(torch)
    assert got[0] == want[0]
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_array_equal(got[2], want[2])
