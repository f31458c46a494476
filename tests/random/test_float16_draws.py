"""float16 draws after the same seed, bit for bit against torch: torch's reduced-precision
normal kernel (per block of 16: float32 uniforms, the float32 transform, then float16; a tail
drawn after n // 16 * 16 words), the uniform kernel's [low, high) (a value rounded up to
``high`` becomes ``low``; also in float32), doubles rounded to half through float32, and
dropout's scale divided in float32."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt

SEEDS = (0, 7, 2**32 + 7)
SIZES = (1, 15, 16, 17, 31, 33, 100, 4099)


def _bits(T, seed, draw):
    T.manual_seed(seed)
    out = draw(T)
    after = T.rand(3)  # the stream's position after the draw
    return out.detach().numpy().copy(), after.numpy().copy()


def assert_same_draws(seed, draw):
    (a, a_next), (b, b_next) = _bits(mt, seed, draw), _bits(torch, seed, draw)
    assert a.dtype == b.dtype and a.shape == b.shape
    bad = (a.view(np.uint16) != b.view(np.uint16)) if a.dtype == np.float16 else (a != b)
    assert not bad.any(), (f"{int(bad.sum())} of {a.size} differ; first at "
                           f"{np.argwhere(bad)[0]}: {a[bad][:3]} vs torch {b[bad][:3]}")
    assert np.array_equal(a_next, b_next), "the stream's position after the draw"


def _half(T, values):
    return T.tensor(np.asarray(values, dtype=np.float16))


DRAWS = {
    "randn": lambda n: lambda T: T.randn(n, dtype=T.float16),
    "randn 2-D": lambda n: lambda T: T.randn(n, 3, dtype=T.float16),
    "normal_(0.1, 0.3)": lambda n: lambda T: T.empty(n, dtype=T.float16).normal_(0.1, 0.3),
    "normal_(-7, 33.3)": lambda n: lambda T: T.empty(n, dtype=T.float16).normal_(-7.0, 33.3),
    "normal_ transposed": lambda n: lambda T: T.empty(5, n, dtype=T.float16).t().normal_(),
    "normal(tensor, tensor)": lambda n: lambda T: T.normal(
        _half(T, np.linspace(-1, 1, n)), _half(T, np.linspace(0.1, 2, n))),
    "normal(float, tensor)": lambda n: lambda T: T.normal(0.5, _half(T, np.linspace(0.1, 2, n))),
    "randn_like": lambda n: lambda T: T.randn_like(T.zeros(n, 2, dtype=T.float16)),
    "rand 2-D": lambda n: lambda T: T.rand(n, 7, dtype=T.float16),
    "uniform_(-0.3, 0.7)": lambda n: lambda T: T.empty(n, 5, dtype=T.float16).uniform_(-0.3, 0.7),
    "uniform_(2, 3)": lambda n: lambda T: T.empty(n, 5, dtype=T.float16).uniform_(2.0, 3.0),
    "bernoulli_(0.3)": lambda n: lambda T: T.empty(n, dtype=T.float16).bernoulli_(0.3),
    "bernoulli(p tensor)": lambda n: lambda T: T.bernoulli(_half(T, np.linspace(0, 1, n))),
    "dropout(0.3)": lambda n: lambda T: T.nn.functional.dropout(T.ones(n, dtype=T.float16), 0.3),
    "dropout(0.1)": lambda n: lambda T: T.nn.functional.dropout(T.ones(n, dtype=T.float16), 0.1),
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("kind", list(DRAWS))
def test_float16_draw(kind, n, seed):
    assert_same_draws(seed, DRAWS[kind](n))


@pytest.mark.parametrize("seed", (0, 1))
@pytest.mark.parametrize("dtype,bounds", [("float16", (0.0, 1.0)), ("float16", (-1.0, 1.0)),
                                          ("float32", (1000.0, 1001.0)),
                                          ("float32", (-65.0, -64.0))])
def test_uniform_never_returns_high(dtype, bounds, seed):
    """Enough draws that some round up to ``high`` (float16 on [0, 1): about 1 in 4096): torch
    returns ``low`` for those."""
    assert_same_draws(seed, lambda T: T.empty(60000, dtype=getattr(T, dtype)).uniform_(*bounds))
