"""kl_divergence: every registered pair of the distributions minitorch_ref has, its value and
its gradients with respect to both distributions' parameters, against torch's; the dispatch
(subclasses, the ExponentialFamily fallback, register_kl, the missing-pair error)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from dist_cases import CASES, make_params
from harness import check, check_raises
from test_distributions import check_same

# every pair torch registers among the distributions of the table (by case name)
PAIRS = [
    ("normal", "normal"), ("bernoulli_probs", "bernoulli_logits"),
    ("bernoulli_logits", "bernoulli_probs"), ("categorical_probs", "categorical_logits"),
    ("categorical_logits", "categorical_probs"), ("uniform", "uniform"),
    ("independent_normal", "independent_normal"), ("normal", "uniform"), ("uniform", "normal"),
    ("mvn_covariance", "mvn_scale_tril"), ("mvn_precision", "mvn_covariance"),
    ("onehot_probs", "onehot_logits"), ("laplace", "laplace"), ("exponential", "exponential"),
    ("poisson", "poisson"), ("gamma", "gamma_small"), ("beta", "beta_large"),
    ("dirichlet", "dirichlet_small"), ("lognormal", "lognormal"),
    ("bernoulli_probs", "poisson"), ("beta", "exponential"), ("beta", "gamma"),
    ("beta", "normal"), ("beta", "uniform"), ("exponential", "beta"), ("exponential", "gamma"),
    ("exponential", "normal"), ("exponential", "uniform"), ("gamma", "beta"),
    ("gamma", "exponential"), ("gamma", "normal"), ("gamma", "uniform"), ("laplace", "beta"),
    ("laplace", "exponential"), ("laplace", "gamma"), ("laplace", "normal"),
    ("laplace", "uniform"), ("normal", "beta"), ("normal", "exponential"), ("normal", "gamma"),
    ("normal", "laplace"), ("poisson", "bernoulli_probs"), ("uniform", "beta"),
    ("uniform", "exponential"), ("uniform", "gamma"), ("normal", "poisson"),
    ("affine_sigmoid_normal", "affine_sigmoid_normal"),
    ("cauchy", "cauchy"), ("half_normal", "half_normal"), ("gumbel", "gumbel"),
    ("geometric_probs", "geometric_logits"), ("binomial", "binomial"),
    ("binomial_logits", "binomial_logits"), ("chi2", "chi2"), ("exponential", "gumbel"),
    ("gamma", "gumbel"), ("gumbel", "beta"), ("gumbel", "exponential"), ("gumbel", "gamma"),
    ("gumbel", "uniform"), ("gumbel", "normal"), ("normal", "gumbel"), ("uniform", "gumbel"),
    ("poisson", "binomial"), ("multinomial", "multinomial"), ("student_t", "student_t"),
    ("pareto", "pareto"), ("pareto", "exponential"), ("pareto", "gamma"), ("pareto", "normal"),
    ("pareto", "beta"), ("pareto", "uniform"), ("uniform", "pareto"), ("exponential", "pareto"),
    ("gamma", "pareto"), ("normal", "pareto"), ("laplace", "pareto"), ("beta", "pareto"),
    ("weibull", "weibull"), ("inverse_gamma", "inverse_gamma"),
    ("lowrank_mvn", "lowrank_mvn"), ("lowrank_mvn", "mvn_covariance"),
    ("mvn_scale_tril", "lowrank_mvn"), ("continuous_bernoulli", "continuous_bernoulli_logits"),
    ("beta", "continuous_bernoulli"), ("continuous_bernoulli", "pareto"),
    ("continuous_bernoulli", "exponential"), ("continuous_bernoulli", "normal"),
    ("continuous_bernoulli", "uniform"), ("uniform", "continuous_bernoulli"),
    ("exponential", "continuous_bernoulli"), ("gamma", "continuous_bernoulli"),
    ("normal", "continuous_bernoulli"), ("gumbel", "continuous_bernoulli"),
    ("pareto", "continuous_bernoulli"), ("laplace", "continuous_bernoulli"),
]
TRIGAMMA = {"gamma", "gamma_small", "beta", "beta_large", "dirichlet", "dirichlet_small",
            "chi2", "inverse_gamma"}


@pytest.mark.parametrize("batch", [(), (2, 3)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("p,q", PAIRS)
def test_kl_values_and_gradients(p, q, dtype, batch):
    pp = make_params(p, batch, dtype, seed=0)
    qp = make_params(q, batch, dtype, seed=1)

    def fn(T, *params):
        dp = CASES[p][0](T, *params[:len(pp)])
        dq = CASES[q][0](T, *params[len(pp):])
        return T.distributions.kl_divergence(dp, dq)

    # torch's trigamma is 5e-10 off in float64 (see test_distributions.TRIGAMMA)
    check_same(fn, *pp, *qp, scale=1000 if p in TRIGAMMA or q in TRIGAMMA else 1)


def test_kl_at_the_edges_of_the_support():
    """Zero probabilities (inf or dropped terms) and Uniforms that do not nest."""
    check(lambda T, a, b: T.distributions.kl_divergence(T.distributions.Bernoulli(a),
                                                        T.distributions.Bernoulli(b)),
          np.array([0.0, 1.0, 0.3, 0.3, 0.0]), np.array([0.5, 0.5, 0.0, 1.0, 0.0]))
    check(lambda T, a, b: T.distributions.kl_divergence(T.distributions.Categorical(a),
                                                        T.distributions.Categorical(b)),
          np.array([[0.0, 0.5, 0.5], [0.2, 0.3, 0.5]]),
          np.array([[0.3, 0.0, 0.7], [0.2, 0.8, 0.0]]))
    check(lambda T, lo, hi: T.distributions.kl_divergence(
        T.distributions.Uniform(lo, hi), T.distributions.Uniform(T.zeros(3), T.ones(3))),
        np.array([0.2, -0.5, 0.1]), np.array([0.8, 0.5, 1.5]))


def test_normal_against_expfamily_bregman_form():
    """The ExponentialFamily fallback (autograd of the log normalizer), reached through
    torch's own dispatch for a subclass pair with no closed form of its own."""
    def fn(T, loc, scale):
        kl = T.distributions.kl.kl_divergence
        fallback = T.distributions.kl._kl_expfamily_expfamily
        p, q = T.distributions.Normal(loc, scale), T.distributions.Normal(0.3, 1.7)
        return kl(p, q), fallback(p, q), p.__class__.__bases__[0].entropy(p)

    check(fn, np.array([0.1, -1.0]), np.array([0.5, 2.0]))


def test_dispatch_register_and_errors():
    for T in (torch, mt):
        D = T.distributions

        class MyNormal(D.Normal):
            pass

        p, q = MyNormal(0.0, 1.0), D.Normal(1.0, 2.0)
        assert abs(D.kl_divergence(p, q).item() - D.kl_divergence(D.Normal(0.0, 1.0), q).item()) \
            < 1e-7

        @D.register_kl(MyNormal, D.Normal)
        def _mine(p, q):
            return T.tensor(42.0)

        assert D.kl_divergence(p, q).item() == 42.0
        del D.kl._KL_REGISTRY[MyNormal, D.Normal]
        D.kl._KL_MEMOIZE.clear()
    check_raises(lambda T: T.distributions.kl_divergence(
        T.distributions.Normal(0.0, 1.0), T.distributions.Categorical(T.ones(2))))
    check_raises(lambda T: T.distributions.kl_divergence(
        T.distributions.Bernoulli(0.5), T.distributions.Normal(0.0, 1.0)))
    check_raises(lambda T: T.distributions.kl_divergence(
        T.distributions.Independent(T.distributions.Normal(T.zeros(2, 2), 1.0), 1),
        T.distributions.Independent(T.distributions.Normal(T.zeros(2, 2), 1.0), 2)))


def test_dispatch_ambiguity_warning_and_registration_errors():
    """Two registered pairs, neither more specific than the other: the p-first choice is used
    and a RuntimeWarning names the pair to register; register_kl refuses a non-class."""
    results = []
    for T in (torch, mt):
        D = T.distributions

        class P(D.Normal):
            pass

        class Q(D.Normal):
            pass

        D.register_kl(P, D.Normal)(lambda p, q: T.tensor(1.0))
        D.register_kl(D.Normal, Q)(lambda p, q: T.tensor(2.0))
        try:
            with pytest.warns(RuntimeWarning) as rec:
                value = D.kl_divergence(P(0.0, 1.0), Q(0.0, 1.0)).item()
            results.append((value, [str(w.message) for w in rec]))
        finally:
            del D.kl._KL_REGISTRY[P, D.Normal], D.kl._KL_REGISTRY[D.Normal, Q]
            D.kl._KL_MEMOIZE.clear()
        with pytest.raises(TypeError) as err:
            D.register_kl(3, D.Normal)
        results.append(str(err.value))
    assert results[:2] == results[2:]
    assert "Please register_kl(P, Q)" in results[0][1][0]
