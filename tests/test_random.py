"""Seed parity: after the same seed, every draw equals torch's, bit for bit unless stated.

Each test seeds both libraries (or two explicit generators), makes the same calls, and compares
values exactly (``assert_equal_bits``) or within one ulp where docs/random.md says so.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check_raises

SEEDS = (0, 1, 1234, 2**32 + 7)
SIZES = (0, 1, 7, 15, 16, 17, 100, 1000, 4099)
DTYPES = ("float32", "float64")


def assert_equal_bits(ours, theirs, what: str = "draw") -> None:
    a = ours.detach().numpy() if isinstance(ours, mt.Tensor) else np.asarray(ours)
    b = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    assert a.shape == b.shape, f"{what}: shape {a.shape} != torch's {b.shape}"
    assert a.dtype == b.dtype, f"{what}: dtype {a.dtype} != torch's {b.dtype}"
    bad = ~((a == b) | (np.isnan(a) & np.isnan(b)) if a.dtype.kind == "f" else (a == b))
    assert not bad.any(), (f"{what}: {int(bad.sum())} of {a.size} differ; first at "
                           f"{np.argwhere(bad)[0]}: {a[bad][:3]} vs torch {b[bad][:3]}")


def ulp_diff(a: np.ndarray, b: np.ndarray) -> int:
    ints = {4: np.int32, 8: np.int64}[a.dtype.itemsize]
    ia, ib = a.view(ints).astype(np.int64), b.view(ints).astype(np.int64)
    # map the sign-magnitude float order onto integers so that ulps subtract
    ia = np.where(ia < 0, np.iinfo(ints).min - ia, ia)
    ib = np.where(ib < 0, np.iinfo(ints).min - ib, ib)
    return int(np.abs(ia - ib).max()) if a.size else 0


def seeded(seed):
    torch.manual_seed(seed)
    mt.manual_seed(seed)


def tdt(name):
    return getattr(torch, name)


def mdt(name):
    return getattr(mt, name)


# -- generator mechanics ----------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS + (-1, 2**64 - 1, 67280421310721))
def test_manual_seed_and_initial_seed(seed):
    seeded(seed)
    assert mt.initial_seed() == torch.initial_seed()
    assert_equal_bits(mt.rand(5), torch.rand(5))


def test_manual_seed_returns_generator():
    assert mt.manual_seed(3) is mt.default_generator
    assert isinstance(mt.Generator().manual_seed(2), mt.Generator)


def test_new_generator_default_seed_matches_torch():
    g, tg = mt.Generator(), torch.Generator()
    assert g.initial_seed() == tg.initial_seed()
    assert_equal_bits(mt.rand(20, generator=g), torch.rand(20, generator=tg))


def test_seed_is_nondeterministic_and_reported():
    s = mt.seed()
    assert mt.initial_seed() == s
    assert 0 <= s < 2**64
    g = mt.Generator()
    assert g.seed() == g.initial_seed()


@pytest.mark.parametrize("seed", (0, 99))
def test_get_state_is_torch_byte_layout(seed):
    seeded(seed)
    for T in (torch, mt):
        T.rand(3)
        T.randn(1, dtype=T.float64)  # leaves a cached normal in the state
    ours, theirs = mt.get_rng_state(), torch.get_rng_state()
    assert_equal_bits(ours, theirs, "state bytes")


def test_state_round_trip_between_libraries():
    torch.manual_seed(5)
    torch.rand(10)
    torch.randn(3, dtype=torch.float64)
    mt.set_rng_state(mt.tensor(torch.get_rng_state().numpy()))
    assert_equal_bits(mt.randn(5, dtype=mt.float64), torch.randn(5, dtype=torch.float64))
    mt.manual_seed(8)
    mt.randn(1, dtype=mt.float64)
    mt.rand(700)  # crosses an MT19937 refill
    torch.set_rng_state(torch.from_numpy(mt.get_rng_state().numpy().copy()))
    assert_equal_bits(mt.randn(3, dtype=mt.float64), torch.randn(3, dtype=torch.float64))
    assert_equal_bits(mt.rand(30), torch.rand(30))


def test_state_round_trip_on_explicit_generator():
    g = mt.Generator().manual_seed(11)
    g2 = mt.Generator()
    mt.rand(3, generator=g)
    state = g.get_state()
    first = mt.randn(20, generator=g)
    g2.set_state(state)
    assert_equal_bits(mt.randn(20, generator=g2), first.numpy())


def test_fork_rng_restores_state():
    mt.manual_seed(4)
    with mt.random.fork_rng():
        mt.rand(10)
    torch.manual_seed(4)
    assert_equal_bits(mt.rand(4), torch.rand(4))


@pytest.mark.parametrize("bad", [
    lambda T: T.set_rng_state(T.zeros(10, dtype=T.uint8)),
    lambda T: T.set_rng_state(T.zeros(5056, dtype=T.float32)),
    lambda T: T.Generator().set_state(T.zeros(5057, dtype=T.uint8)),
    lambda T: T.manual_seed(2**64),
    lambda T: T.manual_seed(-2**63 - 1),
    lambda T: T.Generator().manual_seed("a"),
])
def test_bad_state_and_seed(bad):
    check_raises(bad)


def test_explicit_generators_are_independent_streams():
    g, tg = mt.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    seeded(100)
    for _ in range(3):
        assert_equal_bits(mt.rand(7, generator=g), torch.rand(7, generator=tg))
        assert_equal_bits(mt.rand(5), torch.rand(5))
        assert_equal_bits(mt.randn(9, generator=g), torch.randn(9, generator=tg))


# -- rand / randn ---------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", DTYPES)
def test_rand(seed, n, dt):
    seeded(seed)
    assert_equal_bits(mt.rand(n, dtype=mdt(dt)), torch.rand(n, dtype=tdt(dt)))
    assert_equal_bits(mt.rand(2, n, 3, dtype=mdt(dt)), torch.rand(2, n, 3, dtype=tdt(dt)))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", DTYPES)
def test_randn(seed, n, dt):
    seeded(seed)
    assert_equal_bits(mt.randn(n, dtype=mdt(dt)), torch.randn(n, dtype=tdt(dt)))
    assert_equal_bits(mt.randn((3, n), dtype=mdt(dt)), torch.randn((3, n), dtype=tdt(dt)))


@pytest.mark.parametrize("seed", (0, 3))
@pytest.mark.parametrize("dt", DTYPES)
def test_randn_large_is_bit_identical(seed, dt):
    seeded(seed)
    assert_equal_bits(mt.randn(200_003, dtype=mdt(dt)), torch.randn(200_003, dtype=tdt(dt)))


def test_small_normal_cache_carries_across_calls_and_dtypes():
    seeded(1)
    for n, dt in [(3, "float64"), (1, "float64"), (5, "float32"), (2, "float32"), (20, "float64"),
                  (1, "float32")]:
        assert_equal_bits(mt.randn(n, dtype=mdt(dt)), torch.randn(n, dtype=tdt(dt)))
    assert_equal_bits(mt.get_rng_state(), torch.get_rng_state(), "state with cache")


def test_manual_seed_clears_normal_cache():
    seeded(2)
    mt.randn(1)
    torch.randn(1)
    seeded(2)
    assert_equal_bits(mt.randn(3), torch.randn(3))


def test_default_dtype_and_requires_grad():
    seeded(0)
    a, b = mt.rand(3, requires_grad=True), torch.rand(3, requires_grad=True)
    assert a.requires_grad and a.is_leaf
    assert_equal_bits(a, b)
    mt.set_default_dtype(mt.float64)
    torch.set_default_dtype(torch.float64)
    try:
        assert_equal_bits(mt.randn(20), torch.randn(20))
    finally:
        mt.set_default_dtype(mt.float32)
        torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("fn", ["rand_like", "randn_like"])
@pytest.mark.parametrize("n", (5, 33))
def test_like(fn, n):
    seeded(9)
    x64 = np.zeros((n, 2))
    ours = getattr(mt, fn)(mt.tensor(x64))
    theirs = getattr(torch, fn)(torch.tensor(x64))
    assert_equal_bits(ours, theirs)
    assert_equal_bits(getattr(mt, fn)(mt.tensor(x64), dtype=mt.float32),
                      getattr(torch, fn)(torch.tensor(x64), dtype=torch.float32))


def test_generator_keyword_everywhere():
    g, tg = mt.Generator().manual_seed(21), torch.Generator().manual_seed(21)
    x = np.full((4, 5), 0.4, dtype=np.float32)
    calls = [
        lambda T, G: T.rand(6, generator=G),
        lambda T, G: T.randn(17, generator=G),
        lambda T, G: T.randint(0, 9, (5,), generator=G),
        lambda T, G: T.randperm(12, generator=G),
        lambda T, G: T.bernoulli(T.tensor(x), generator=G),
        lambda T, G: T.bernoulli(T.tensor(x), 0.3, generator=G),
        lambda T, G: T.multinomial(T.tensor(x) + 0.1, 3, generator=G),
        lambda T, G: T.multinomial(T.tensor(x) + 0.1, 7, replacement=True, generator=G),
        lambda T, G: T.normal(0.5, 2.0, (3, 7), generator=G),
        lambda T, G: T.normal(T.tensor(x), 2.0, generator=G),
        lambda T, G: T.rand_like(T.tensor(x), generator=G),
        lambda T, G: T.randn_like(T.tensor(x), generator=G),
        lambda T, G: T.randint_like(T.tensor(x), 3, 8, generator=G),
        lambda T, G: T.zeros(9).uniform_(-2, 3, generator=G),
        lambda T, G: T.zeros(9).normal_(1, 2, generator=G),
        lambda T, G: T.zeros(9).bernoulli_(0.7, generator=G),
        lambda T, G: T.zeros(9).random_(2, 50, generator=G),
        lambda T, G: T.zeros(9).exponential_(3.0, generator=G),
    ]
    seeded(0)
    for call in calls:
        assert_equal_bits(call(mt, g), call(torch, tg))
    assert_equal_bits(mt.rand(4), torch.rand(4), "default stream untouched")


# -- in-place uniform_ / normal_ ----------------------------------------------------------------
@pytest.mark.parametrize("seed", (0, 5))
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("bounds", [(0.0, 1.0), (-0.3, 0.7), (-1e-3, 1e-3), (2.0, 2.0),
                                    (-5.5, 100.25)])
def test_uniform_(seed, n, dt, bounds):
    seeded(seed)
    ours = mt.empty(n, dtype=mdt(dt)).uniform_(*bounds)
    theirs = torch.empty(n, dtype=tdt(dt)).uniform_(*bounds)
    assert_equal_bits(ours, theirs)


@pytest.mark.parametrize("seed", (0, 5))
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("mean,std", [(0.0, 1.0), (0.0, 0.02), (0.3, 1.7), (-2.0, 0.5),
                                      (1.0, 0.0)])
def test_normal_(seed, n, dt, mean, std):
    seeded(seed)
    ours = mt.empty(n, dtype=mdt(dt)).normal_(mean, std)
    theirs = torch.empty(n, dtype=tdt(dt)).normal_(mean, std)
    assert_equal_bits(ours, theirs)


@pytest.mark.parametrize("method", [
    lambda t: t.uniform_(-1, 2), lambda t: t.normal_(0.5, 3.0), lambda t: t.bernoulli_(0.4),
    lambda t: t.random_(0, 100), lambda t: t.exponential_(2.0),
])
@pytest.mark.parametrize("shape", [(6, 5), (20, 9)])
def test_inplace_on_transposed_view_fills_in_memory_order(method, shape):
    """torch fills a non-contiguous view in storage order; normal_ on such a view also takes
    the per-element path even for 16+ elements."""
    seeded(3)
    ours = mt.zeros(*shape).t()
    theirs = torch.zeros(*shape).t()
    method(ours)
    method(theirs)
    assert_equal_bits(ours, theirs)


def test_inplace_returns_self_and_bumps_version():
    t = mt.zeros(4)
    v = t._version
    assert t.uniform_() is t and t._version == v + 1


def test_inplace_on_leaf_requiring_grad_raises_before_drawing():
    seeded(0)
    check_raises(lambda T: T.zeros(3, requires_grad=True).normal_())
    assert_equal_bits(mt.rand(3), torch.rand(3), "no draw consumed")


def test_inplace_under_no_grad_on_leaf():
    seeded(0)
    a, b = mt.zeros(3, requires_grad=True), torch.zeros(3, requires_grad=True)
    with mt.no_grad():
        a.uniform_()
    with torch.no_grad():
        b.uniform_()
    assert_equal_bits(a.detach(), b.detach())
    assert a.requires_grad


# -- bernoulli ----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", (0, 7))
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("p", (0.0, 0.1, 0.5, 0.999, 1.0))
@pytest.mark.parametrize("dt", ("float32", "float64", "int64", "bool"))
def test_bernoulli_scalar_p(seed, n, p, dt):
    seeded(seed)
    assert_equal_bits(mt.zeros(n, dtype=mdt(dt)).bernoulli_(p),
                      torch.zeros(n, dtype=tdt(dt)).bernoulli_(p))
    x = np.zeros((n, 2), dtype=np.float32)
    assert_equal_bits(mt.bernoulli(mt.tensor(x), p), torch.bernoulli(torch.tensor(x), p))


@pytest.mark.parametrize("seed", (0, 7))
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("pdt", DTYPES)
def test_bernoulli_tensor_p(seed, n, pdt):
    seeded(seed)
    p = np.random.default_rng(seed).random(n).astype(pdt)
    assert_equal_bits(mt.bernoulli(mt.tensor(p)), torch.bernoulli(torch.tensor(p)))
    assert_equal_bits(mt.tensor(p).bernoulli(), torch.tensor(p).bernoulli())
    assert_equal_bits(mt.zeros(n, dtype=mt.int64).bernoulli_(mt.tensor(p)),
                      torch.zeros(n, dtype=torch.int64).bernoulli_(torch.tensor(p)))


def test_bernoulli_tensor_p_broadcasts():
    seeded(1)
    p = np.array([0.1, 0.5, 0.9], dtype=np.float32)
    assert_equal_bits(mt.zeros(4, 3).bernoulli_(mt.tensor(p)),
                      torch.zeros(4, 3).bernoulli_(torch.tensor(p)))


@pytest.mark.parametrize("bad", [
    lambda T: T.zeros(3).bernoulli_(1.5),
    lambda T: T.zeros(3).bernoulli_(-0.1),
    lambda T: T.bernoulli(T.tensor([0.2, 1.2])),
    lambda T: T.bernoulli(T.tensor([0.2, -0.5], dtype=T.float64)),
])
def test_bernoulli_bad_p(bad):
    check_raises(bad, match=r"p|bernoulli")


# -- integers -----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", (0, 1, 7, 100, 1000))
@pytest.mark.parametrize("low,high", [(0, 1), (0, 10), (-5, 5), (3, 2**31), (0, 2**32 - 1),
                                      (0, 2**32), (-2**40, 2**40), (-2**63, 2**63 - 1)])
def test_randint(seed, n, low, high):
    seeded(seed)
    assert_equal_bits(mt.randint(low, high, (n,)), torch.randint(low, high, (n,)))
    if low == 0:
        assert_equal_bits(mt.randint(high, (n, 2)), torch.randint(high, (n, 2)))


@pytest.mark.parametrize("dt", ("float32", "float64", "int32", "int16", "uint8", "int64"))
def test_randint_dtypes(dt):
    seeded(0)
    assert_equal_bits(mt.randint(0, 100, (50,), dtype=mdt(dt)),
                      torch.randint(0, 100, (50,), dtype=tdt(dt)))
    x = np.zeros(9, dtype=np.float32)
    assert_equal_bits(mt.randint_like(mt.tensor(x), 7, dtype=mdt(dt)),
                      torch.randint_like(torch.tensor(x), 7, dtype=tdt(dt)))


@pytest.mark.parametrize("dt", ("float32", "float64", "int64", "int32", "int16", "int8", "uint8",
                                "bool"))
def test_random_full_range(dt):
    seeded(4)
    assert_equal_bits(mt.zeros(300, dtype=mdt(dt)).random_(),
                      torch.zeros(300, dtype=tdt(dt)).random_())


@pytest.mark.parametrize("args", [(10,), (3, 10), (-7, 2**33)])
def test_random_bounds(args):
    seeded(4)
    assert_equal_bits(mt.zeros(300, dtype=mt.int64).random_(*args),
                      torch.zeros(300, dtype=torch.int64).random_(*args))
    if args[-1] <= 2**24:  # float32 holds these bounds exactly
        assert_equal_bits(mt.zeros(30).random_(*args), torch.zeros(30).random_(*args))


@pytest.mark.parametrize("bad", [
    lambda T: T.randint(5, 5, (3,)),
    lambda T: T.randint(6, 2, (3,)),
    lambda T: T.zeros(3).random_(4, 1),
])
def test_randint_bad_bounds(bad):
    check_raises(bad)


@pytest.mark.parametrize("call", [
    "randint(10, (2, 3))", "randint(3, 10, (5,))", "randint(high=10, size=(4,))",
    "randint(low=2, high=10, size=(4,))", "randint(3, high=10, size=(4,))",
    "randint(10, size=(4,))", "randint(0, 10, size=[2, 2])", "randint(size=(3,), low=1, high=4)",
    "randint(T.tensor(3), T.tensor(9), (4,))", "randint(5, T.Size([3]))",
    "randint(high=7, size=(3,), dtype=T.float32)",
])
def test_randint_argument_forms(call):
    """torch binds randint(high, size) and randint(low, high, size), positional or by keyword."""
    seeded(3)
    ours = eval(call, {"T": mt, "randint": mt.randint})
    theirs = eval(call, {"T": torch, "randint": torch.randint})
    assert_equal_bits(ours, theirs, call)


@pytest.mark.parametrize("call", [
    "randint(low=3, size=(2,))", "randint((2,), high=10)", "randint(3, 10, 2)", "randint(3, 10)",
    "randint(10)", "randint(3.5, 10, (2,))", "randint(0, 10.5, (2,))",
    "randint(low=3, high=10, size=2)",
])
def test_randint_bad_arguments(call):
    check_raises(lambda T: eval(call, {"T": T, "randint": T.randint}), match="randint")


# -- randperm -----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", (0, 1, 2, 7, 16, 100, 1000, 60000, 300000))
def test_randperm(seed, n):
    seeded(seed)
    assert_equal_bits(mt.randperm(n), torch.randperm(n))
    assert_equal_bits(mt.rand(3), torch.rand(3), "stream after randperm")


@pytest.mark.parametrize("dt", ("int32", "float32", "float64"))
def test_randperm_dtype(dt):
    seeded(2)
    assert_equal_bits(mt.randperm(50, dtype=mdt(dt)), torch.randperm(50, dtype=tdt(dt)))


def test_randperm_large_n_algorithm_definition():
    """Beyond 2**32 / 20 elements torch uses 64-bit words and inside-out Fisher-Yates; too big
    to compare against torch here, so check that path against its definition, written out."""
    words = mt.Generator().manual_seed(5)._random64(50)
    expected = list(range(50))
    for i in range(50):
        z = int(words[i]) % (i + 1)
        expected[i] = expected[z]
        expected[z] = i
    got = mt.random._randperm_inside_out(50, mt.Generator().manual_seed(5))
    assert got.tolist() == expected
    assert sorted(expected) == list(range(50))


def test_randperm_negative():
    check_raises(lambda T: T.randperm(-1))


# -- multinomial --------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", (0, 3, 11))
@pytest.mark.parametrize("shape", [(5,), (1,), (3, 10), (4, 100)])
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("k", (1, 3))
def test_multinomial_without_replacement(seed, shape, dt, k):
    if k > shape[-1]:
        k = shape[-1]
    p = np.random.default_rng(seed).random(shape).astype(dt)
    if shape[-1] > 1:
        p[..., 0] = 0.0  # a zero-probability category is never chosen
    seeded(seed)
    assert_equal_bits(mt.multinomial(mt.tensor(p), k), torch.multinomial(torch.tensor(p), k))
    assert_equal_bits(mt.rand(2), torch.rand(2), "stream after multinomial")


@pytest.mark.parametrize("seed", (0, 3, 11))
@pytest.mark.parametrize("shape", [(5,), (3, 10), (4, 100)])
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("k", (2, 17, 200))
def test_multinomial_with_replacement(seed, shape, dt, k):
    p = np.random.default_rng(seed).random(shape).astype(dt)
    p[..., 1] = 0.0
    seeded(seed)
    assert_equal_bits(mt.multinomial(mt.tensor(p), k, True),
                      torch.multinomial(torch.tensor(p), k, True))
    assert_equal_bits(mt.rand(2), torch.rand(2), "stream after multinomial")


@pytest.mark.parametrize("bad", [
    lambda T: T.multinomial(T.tensor([0.2, 0.8]), 3),
    lambda T: T.multinomial(T.tensor([0.0, 0.0]), 1),
    lambda T: T.multinomial(T.tensor([0.2, -0.8]), 1),
    lambda T: T.multinomial(T.tensor([0.2, 0.8]), 0),
    lambda T: T.multinomial(T.tensor([[[0.2, 0.8]]]), 1),
    lambda T: T.multinomial(T.tensor([1, 2]), 1),
])
def test_multinomial_bad_input(bad):
    check_raises(bad, match=r"sample|probab|dim|multinomial|distribution")


# -- normal overloads -----------------------------------------------------------------------------
@pytest.mark.parametrize("seed", (0, 6))
@pytest.mark.parametrize("n", (1, 7, 16, 33))
@pytest.mark.parametrize("dt", DTYPES)
def test_normal_overloads(seed, n, dt):
    rng = np.random.default_rng(seed)
    mean = rng.standard_normal((n, 2)).astype(dt)
    std = rng.random((n, 2)).astype(dt) + 0.1
    cases = [
        lambda T: T.normal(T.tensor(mean), T.tensor(std)),
        lambda T: T.normal(T.tensor(mean), 0.5),
        lambda T: T.normal(T.tensor(mean)),
        lambda T: T.normal(-1.5, T.tensor(std)),
        lambda T: T.normal(0.25, 3.0, (n, 3), dtype=getattr(T, dt)),
        lambda T: T.normal(T.tensor(mean[:, :1]), T.tensor(std)),
    ]
    seeded(seed)
    for case in cases:
        assert_equal_bits(case(mt), case(torch))


@pytest.mark.parametrize("bad", [
    lambda T: T.normal(T.zeros(3), T.tensor([1.0, -1.0, 1.0])),
    lambda T: T.zeros(3).normal_(0, -1.0),
    lambda T: T.normal(0.0, -1.0, (3,)),
])
def test_normal_bad_std(bad):
    check_raises(bad, match="std")


# -- other distributions --------------------------------------------------------------------------
@pytest.mark.parametrize("seed", (0, 8))
@pytest.mark.parametrize("n", (1, 7, 16, 1000))
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("call", [
    lambda t: t.exponential_(),
    lambda t: t.exponential_(0.3),
    lambda t: t.cauchy_(0.2, 1.5),
    lambda t: t.log_normal_(0.5, 0.7),
    lambda t: t.log_normal_(),
    lambda t: t.geometric_(0.3),
], ids=["exp1", "exp03", "cauchy", "lognormal", "lognormal_default", "geometric"])
def test_other_distributions(seed, n, dt, call):
    seeded(seed)
    assert_equal_bits(call(mt.empty(n, dtype=mdt(dt))), call(torch.empty(n, dtype=tdt(dt))))


@pytest.mark.parametrize("bad", [
    lambda T: T.zeros(3).exponential_(-1.0),
    lambda T: T.zeros(3).exponential_(0.0),
    lambda T: T.zeros(3).geometric_(1.5),
    lambda T: T.zeros(3).uniform_(2, 1),
])
def test_other_bad_parameters(bad):
    check_raises(bad, match=r"expects")


# -- negative sizes ---------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [
    lambda T: T.rand(-1),
    lambda T: T.randn(2, -3),
    lambda T: T.randint(0, 5, (-2,)),
    lambda T: T.normal(0.0, 1.0, (-1,)),
])
def test_negative_sizes(bad):
    check_raises(bad)


# -- interleaving -----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", (0, 42))
def test_long_interleaved_sequence_stays_in_step(seed):
    rng = np.random.default_rng(seed)
    calls = [
        lambda T, n: T.rand(n),
        lambda T, n: T.randn(n),
        lambda T, n: T.randn(n, dtype=T.float64),
        lambda T, n: T.rand(n, dtype=T.float64),
        lambda T, n: T.randint(0, 1000, (n,)),
        lambda T, n: T.randperm(n),
        lambda T, n: T.zeros(n).bernoulli_(0.3),
        lambda T, n: T.zeros(n, dtype=T.float64).normal_(2, 3),
        lambda T, n: T.zeros(n).exponential_(),
        lambda T, n: T.multinomial(T.ones(max(n, 1)), 1),
    ]
    seeded(seed)
    for step in range(60):
        k = int(rng.integers(len(calls)))
        n = int(rng.choice([0, 1, 2, 5, 15, 16, 17, 40, 700]))
        assert_equal_bits(calls[k](mt, n), calls[k](torch, n), f"step {step}, call {k}, n {n}")
    assert_equal_bits(mt.get_rng_state(), torch.get_rng_state(), "final state")


# -- the float math helpers -----------------------------------------------------------------------
def test_libm_helper_matches_c_library():
    x = np.random.default_rng(0).random(5000)
    for fn, ref in [(np.log, math.log), (np.log1p, math.log1p), (np.cos, math.cos),
                    (np.sin, math.sin), (np.tan, math.tan), (np.exp, math.exp)]:
        got = mt.random._libm(fn, x * 3)
        want = np.array([ref(v) for v in x * 3])
        assert_equal_bits(got, want, fn.__name__)


def test_fma64_is_correctly_rounded():
    from fractions import Fraction
    rng = np.random.default_rng(1)
    a, b, c = rng.standard_normal(3000), rng.standard_normal(3000), rng.standard_normal(3000)
    got = mt.random._fma64(a, b, c)
    want = np.array([float(Fraction(x) * Fraction(y) + Fraction(z)) for x, y, z in zip(a, b, c)])
    assert_equal_bits(got, want)


@pytest.mark.parametrize("pattern", ["random", "zeros", "last", "ones", "halves"])
@pytest.mark.parametrize("n", (2, 3, 5, 64, 1000))
def test_randperm_swaps_equal_the_sequential_definition(pattern, n):
    """The vectorized closed form of torch's swap loop against the loop itself, on offsets that
    make long chains (every step swapping with the end, with its neighbour, never swapping)."""
    rng = np.random.default_rng(n)
    span = np.arange(n, 1, -1)
    offsets = {"random": rng.integers(0, 1 << 32, n - 1) % span, "zeros": np.zeros(n - 1),
               "last": span - 1, "ones": np.minimum(1, span - 1),
               "halves": span // 2}[pattern].astype(np.uint64)

    class Words:  # a generator whose words are the offsets themselves
        def _random(self, k):
            assert k == n - 1
            return offsets.copy()

    expected = list(range(n))
    for i, z in enumerate(offsets.tolist()):
        expected[i], expected[i + z] = expected[i + z], expected[i]
    assert mt.random._randperm_swaps(n, Words()).tolist() == expected
