"""Seeding in C: ``Generator.manual_seed`` takes the MT19937 key from NumPy's legacy seeding
(``RandomState``'s ``init_genrand``) when NumPy has it. The key and the position must equal the
recurrence in ``_generator._genrand_key`` (the fallback), ``get_state()``'s bytes torch's (also
right after seeding, where torch's ``next`` is 0), and the first draws must be torch's, for
seeds at the edges of the 32-bit and 64-bit ranges, on the default generator and fresh ones."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from minitorch_ref._generator import _MT_N, _genrand_key

SEEDS = (0, 1, 12345, 2**31 - 1, 2**32 - 1, 2**32, 2**32 + 7, 67280421310721, 2**63 - 1, -1,
         -2**63, 2**64 - 1)


@pytest.mark.parametrize("seed", SEEDS)
def test_manual_seed_key_is_init_genrand(seed):
    g = mt.Generator().manual_seed(seed)
    state = g._mt.state["state"]
    assert np.array_equal(state["key"], _genrand_key(seed & 0xFFFFFFFF))
    assert state["pos"] == _MT_N


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fresh", (False, True), ids=("default", "fresh"))
def test_manual_seed_state_and_draws_match_torch(seed, fresh):
    if fresh:
        g, tg = mt.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
    else:
        g, tg = mt.manual_seed(seed), torch.manual_seed(seed)
    assert g.initial_seed() == tg.initial_seed()
    ours = mt.randint(0, 2**31, (5000,), generator=g).numpy()
    assert np.array_equal(ours, torch.randint(0, 2**31, (5000,), generator=tg).numpy())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("draws", (0, 1, 624, 625), ids=lambda d: f"{d}-words")
def test_seeded_state_bytes_match_torch(seed, draws):
    """torch's ``next`` is 0 right after seeding and 624 after 624 words; both have left = 1."""
    g, tg = mt.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
    mt.rand(draws, generator=g)
    torch.rand(draws, generator=tg)
    assert np.array_equal(g.get_state().numpy(), tg.get_state().numpy())


def test_new_generator_state_matches_torch():
    assert np.array_equal(mt.Generator().get_state().numpy(),
                          torch.Generator().get_state().numpy())
