"""Samplers in the autograd graph, as torch records them: ``normal(mean, std)`` and
``bernoulli(p)`` with tensor parameters that require grad, and the in-place samplers on a tensor
with history, give outputs that require grad, carry torch's node names (NormalBackward1/2/3,
BernoulliBackward0/1/2, UniformBackward0, ...) and send zero gradients back;
``bernoulli(p, p=0.3)`` is recorded without a derivative (backward raises torch's error). The
drawn values stay torch's (the seed guarantee)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check_raises


def _run(T, build):
    T.manual_seed(0)
    params = [T.full((2, 3), 0.5, requires_grad=True), T.full((2, 3), 2.0, requires_grad=True)]
    out = build(T, *params)
    name = out.grad_fn.name() if out.grad_fn is not None else None
    grads = None
    if out.requires_grad:
        out.backward(T.ones_like(out))
        grads = [None if p.grad is None else p.grad.tolist() for p in params]
    return out.detach().numpy().copy(), out.requires_grad, name, grads


CASES = {
    "normal_tensor_tensor": lambda T, m, s: T.normal(m, s),
    "normal_tensor_float": lambda T, m, s: T.normal(m, 2.0),
    "normal_float_tensor": lambda T, m, s: T.normal(1.0, s),
    "normal_std_detached": lambda T, m, s: T.normal(m, s.detach()),
    "normal_broadcast": lambda T, m, s: T.normal(m[0], s[:, :1]),
    "bernoulli": lambda T, m, s: T.bernoulli(m),
    "bernoulli_method": lambda T, m, s: m.bernoulli(),
    "normal_": lambda T, m, s: (m * 1).normal_(),
    "uniform_": lambda T, m, s: (s * 1).uniform_(-1, 1),
    "bernoulli_scalar_": lambda T, m, s: (m * 1).bernoulli_(0.3),
    "bernoulli_tensor_": lambda T, m, s: (s * 1).bernoulli_(m),
    "exponential_": lambda T, m, s: (m * 1).exponential_(),
    "random_": lambda T, m, s: (m * 1).random_(),
    "random_to": lambda T, m, s: (m * 1).random_(5),
    "random_from_to": lambda T, m, s: (m * 1).random_(1, 5),
    "cauchy_": lambda T, m, s: (m * 1).cauchy_(),
    "log_normal_": lambda T, m, s: (m * 1).log_normal_(),
    "geometric_": lambda T, m, s: (m * 1).geometric_(0.5),
    "under_no_grad": lambda T, m, s: _no_grad(T, lambda: T.normal(m, s)),
}


def _no_grad(T, fn):
    with T.no_grad():
        return fn()


@pytest.mark.parametrize("name", sorted(CASES))
def test_sampler_in_graph(name):
    ours, theirs = _run(mt, CASES[name]), _run(torch, CASES[name])
    np.testing.assert_array_equal(ours[0], theirs[0])
    assert ours[1:] == theirs[1:]


def test_bernoulli_with_scalar_p_has_no_derivative():
    def fn(T):
        p = T.full((3,), 0.5, requires_grad=True)
        out = T.bernoulli(p, 0.3)
        assert out.requires_grad
        out.sum().backward()
    check_raises(fn)
