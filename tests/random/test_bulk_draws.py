"""Seed parity for the bulk paths of the samplers: large draws take the Twister's words from
NumPy's ``Generator.integers`` (32-bit words, and 64-bit ones read high word first), float32
``uniform_`` runs in blocks of 32k elements, Box-Muller in chunks of 4096 blocks of 16, and
``randint`` takes its remainder by division. Each case is compared bit for bit with torch at
sizes around these thresholds (none a multiple of 16 but one), after 0, 1 or 3 words already
drawn (so 64-bit words straddle an odd position), on the default generator and on an explicit
one, and the stream must stay in step afterwards.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import minitorch_ref as mt
import minitorch_ref.nn.functional as MF

# 2047/2048: 64-bit words below/at the bulk threshold; 4095/4096: 32-bit words; 65541: three
# uniform blocks and two Box-Muller chunks with a ragged tail
SIZES = (2047, 4095, 4096, 65541)
CASES = {
    "rand": lambda T, n, g: T.rand(n, generator=g),
    "rand float64": lambda T, n, g: T.rand(n, dtype=T.float64, generator=g),
    "uniform_": lambda T, n, g: T.empty(n).uniform_(-0.03, 0.03, generator=g),
    "uniform_ wide": lambda T, n, g: T.empty(n).uniform_(-5.5, 100.25, generator=g),
    # the largest words round to the upper bound, which becomes the lower one
    "uniform_ rounds to top": lambda T, n, g: T.empty(n).uniform_(1.0, 1.0 + 2**-20,
                                                                   generator=g),
    "uniform_ 2-d": lambda T, n, g: T.empty(3, n).uniform_(-1.0, 2.0, generator=g),
    "randn": lambda T, n, g: T.randn(n, generator=g),
    "randn float64": lambda T, n, g: T.randn(n, dtype=T.float64, generator=g),
    "normal_": lambda T, n, g: T.empty(n).normal_(0.3, 1.7, generator=g),
    "normal_ std 1": lambda T, n, g: T.empty(n).normal_(-2.0, 1.0, generator=g),
    "normal_ float64": lambda T, n, g: T.empty(n, dtype=T.float64).normal_(0.3, 1.7,
                                                                          generator=g),
    "normal_ float64 mean 0": lambda T, n, g: T.empty(n, dtype=T.float64).normal_(
        0.0, 0.02, generator=g),
    "randint": lambda T, n, g: T.randint(0, 1000, (n,), generator=g),
    "randint negative": lambda T, n, g: T.randint(-5, 5, (n,), generator=g),
    "randint 2**28 - 1": lambda T, n, g: T.randint(0, 2**28 - 1, (n,), generator=g),
    "randint 2**28": lambda T, n, g: T.randint(0, 2**28, (n,), generator=g),
    "randint 2**40": lambda T, n, g: T.randint(-2**40, 2**40, (n,), generator=g),
    "randint int64 range": lambda T, n, g: T.randint(-2**63, 2**63 - 1, (n,), generator=g),
    "randint int32": lambda T, n, g: T.randint(3, 2**31, (n,), dtype=T.int32, generator=g),
    "random_ float32": lambda T, n, g: T.empty(n).random_(0, 100, generator=g),
    "bernoulli_": lambda T, n, g: T.empty(n).bernoulli_(0.3, generator=g),
    "bernoulli_ float64": lambda T, n, g: T.empty(n, dtype=T.float64).bernoulli_(
        0.5, generator=g),
    "bernoulli_ p 1 - 2**-53": lambda T, n, g: T.empty(n, dtype=T.int64).bernoulli_(
        1 - 2**-53, generator=g),
}


def _bits(t) -> np.ndarray:
    a = t.detach().numpy()
    return a.view(np.uint8) if a.dtype != np.bool_ else a


def _assert_same(ours, theirs, what):
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    assert a.shape == b.shape and a.dtype == b.dtype, what
    bad = _bits(ours).reshape(a.shape + (-1,)) != _bits(theirs).reshape(b.shape + (-1,))
    assert not bad.any(), f"{what}: {int(bad.any(-1).sum())} of {a.size} differ"


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("words_before", (0, 1, 3))
@pytest.mark.parametrize("explicit", (False, True), ids=("default", "generator"))
def test_bulk_draw_matches_torch(name, n, words_before, explicit):
    seed = 1234 + n + words_before
    if explicit:
        g, tg = mt.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
    else:
        mt.manual_seed(seed)
        torch.manual_seed(seed)
        g = tg = None
    if words_before:  # one 32-bit word per float32 element
        mt.rand(words_before, generator=g)
        torch.rand(words_before, generator=tg)
    _assert_same(CASES[name](mt, n, g), CASES[name](torch, n, tg), name)
    _assert_same(mt.rand(5, generator=g), torch.rand(5, generator=tg), f"after {name}")


@pytest.mark.parametrize("p", (0.2, 0.5))
@pytest.mark.parametrize("shape", ((256, 1024), (3, 4099)))
def test_dropout_mask_at_bulk_sizes(p, shape):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    mt.manual_seed(7)
    torch.manual_seed(7)
    _assert_same(MF.dropout(mt.tensor(x), p), TF.dropout(torch.tensor(x), p), "dropout")
    _assert_same(mt.rand(5), torch.rand(5), "after dropout")
