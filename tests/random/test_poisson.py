"""torch.poisson and torch.binomial: the same seed gives the same counts as torch, bit for
bit, over each of torch's algorithms (poisson: Knuth's product of uniforms below rate 10,
Hoermann's transformed rejection from 10 on, rate 0; binomial: inversion and BTRS, p above and
below 1/2, the edges 0 and 1), both float dtypes, shapes and generators; the stream after
sampling is the same; torch's errors; the node each records."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check_raises

RATES = [0.0, 1e-3, 0.5, 3.0, 9.999, 10.0, 10.5, 47.0, 1e3, 1e6]
COUNTS = [0.0, 1.0, 5.0, 20.0, 30.0, 100.0, 1000.0, 1e5]
PROBS = [0.0, 0.01, 0.2, 0.45, 0.5, 0.55, 0.8, 0.99, 1.0]


def assert_same(ours, theirs):
    for o, t in zip(ours, theirs):
        assert str(o.dtype) == str(t.dtype) and tuple(o.shape) == tuple(t.shape)
        np.testing.assert_array_equal(o.numpy(), t.numpy())


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
    assert_same(out[mt], out[torch])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("seed", [0, 3])
def test_binomial_matches_torch(seed, dtype):
    out = {}
    for T in (torch, mt):
        T.manual_seed(seed)
        dt = getattr(T, dtype)
        c = T.tensor(COUNTS, dtype=dt)[:, None].expand(len(COUNTS), len(PROBS))
        p = T.tensor(PROBS, dtype=dt).expand(len(COUNTS), len(PROBS))
        rng = np.random.default_rng(seed)
        c2 = T.tensor(np.floor(rng.exponential(60, 500)), dtype=dt)
        p2 = T.tensor(rng.uniform(0, 1, 500), dtype=dt)
        g = T.Generator().manual_seed(seed + 1)
        out[T] = [T.binomial(c, p), T.binomial(c.t(), p.t()), T.binomial(c2, p2),
                  T.binomial(c2, p2, generator=g), T.rand(3, dtype=T.float64),
                  T.rand(2, generator=g)]
    assert_same(out[mt], out[torch])


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


def test_binomial_errors_and_graph():
    check_raises(lambda T: T.binomial(T.tensor([5]), T.tensor([0.5])))
    check_raises(lambda T: T.binomial(T.tensor([5.0]), T.tensor([0.5], dtype=T.float64)))
    for T in (torch, mt):
        c = T.tensor([5.0, 20.0], requires_grad=True)
        y = T.binomial(c, T.tensor([0.3, 0.6]))
        assert y.grad_fn.name() == "torch::autograd::NotImplemented"
    check_raises(lambda T: T.binomial(T.tensor([5.0], requires_grad=True),
                                      T.tensor([0.5])).sum().backward())
    out = {T: T.binomial(T.tensor([5.0, -1.0, 3.0]), T.tensor([float("nan"), 0.5, 1.5]))
           for T in (torch, mt)}
    np.testing.assert_array_equal(out[mt].numpy(), out[torch].numpy())


def test_element_samplers_leave_the_stream_and_spare_normal_as_torch():
    """Gamma's rejection loop takes normals one at a time; an odd count leaves torch's spare
    normal cached for the next scalar normal draw (randn of < 16 elements). The samplers read
    words ahead in blocks and rewind: the next draws must be torch's."""
    out = {}
    for T in (torch, mt):
        T.manual_seed(2)
        g = T.distributions.Gamma(T.tensor([0.3, 2.0, 5.0], dtype=T.float64), 1.0)
        x = g.sample((700,))  # more words than one block
        y = T.randn(3, dtype=T.float64)  # starts with the spare normal, if any
        z = T.poisson(T.tensor([3.0, 30.0]))
        w = T.randn(5, dtype=T.float64)
        s = T.get_rng_state()
        out[T] = [x, y, z, w, s]
    assert_same(out[mt], out[torch])
