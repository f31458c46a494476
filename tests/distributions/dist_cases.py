"""The table the distribution parity tests run over: how to build each distribution in either
library from NumPy parameters, and what valid parameters and values look like.

A case is ``(build, param_kinds, value_kind, event_ndim)``: ``build(T, *params)`` makes the
distribution with ``T`` torch or minitorch_ref; ``param_kinds`` name how to draw each parameter
(see ``draw``); ``value_kind`` names how to draw a value in the support. Parameters are drawn in
the batch shape plus the case's parameter event shape (``PARAM_EVENT``).
"""
from __future__ import annotations

import numpy as np


def draw(kind: str, shape: tuple, dtype, rng: np.random.Generator, k: int = 3) -> np.ndarray:
    """An array of ``kind`` (and ``shape``) for a parameter or a value."""
    if kind == "real":
        a = rng.standard_normal(shape)
    elif kind == "pos":
        a = rng.uniform(0.5, 2.0, shape)
    elif kind == "big":  # concentrations above 1 (a well-defined mode)
        a = rng.uniform(1.5, 4.0, shape)
    elif kind in ("prob", "unit"):
        a = rng.uniform(0.1, 0.9, shape)
    elif kind == "far_logit":  # |x| in [1, 3], either sign
        a = rng.uniform(1.0, 3.0, shape) * rng.choice([-1.0, 1.0], shape)
    elif kind == "low":
        a = rng.uniform(-2.0, -1.0, shape)
    elif kind == "high":
        a = rng.uniform(1.0, 2.0, shape)
    elif kind == "inside":  # inside [-1, 1]: within every Uniform of the table
        a = rng.uniform(-0.9, 0.9, shape)
    elif kind == "tanh_exp":  # inside exp(tanh(R)) = (1/e, e)
        a = rng.uniform(0.45, 2.6, shape)
    elif kind == "bool":
        a = rng.integers(0, 2, shape).astype(np.float64)
    elif kind == "count":
        a = rng.integers(0, 6, shape).astype(np.float64)
    elif kind == "multicount":  # count vectors of 5 draws
        return rng.multinomial(5, [0.2, 0.3, 0.5], shape[:-1]).astype(dtype)
    elif kind == "index":
        return rng.integers(0, k, shape).astype(np.int64)
    elif kind == "simplex":
        a = rng.uniform(0.2, 1.0, shape)
        a = a / a.sum(-1, keepdims=True)
    elif kind == "onehot":
        idx = rng.integers(0, k, shape[:-1])
        a = np.eye(k)[idx]
    elif kind == "tril":  # a lower Cholesky factor
        a = np.tril(rng.standard_normal(shape)) * 0.3
        n = shape[-1]
        a[..., np.arange(n), np.arange(n)] = rng.uniform(0.5, 1.5, shape[:-1])
    elif kind == "spd":
        b = rng.standard_normal(shape)
        a = b @ np.swapaxes(b, -1, -2) + shape[-1] * np.eye(shape[-1])
    else:
        raise KeyError(kind)
    return np.ascontiguousarray(a.astype(dtype))


def D(T):
    return T.distributions


CASES = {
    "normal": (lambda T, loc, scale: D(T).Normal(loc, scale), ("real", "pos"), "real", 0),
    "categorical_probs": (lambda T, p: D(T).Categorical(probs=p), ("simplex",), "index", 0),
    "categorical_logits": (lambda T, lg: D(T).Categorical(logits=lg), ("real",), "index", 0),
    "bernoulli_probs": (lambda T, p: D(T).Bernoulli(probs=p), ("prob",), "bool", 0),
    "bernoulli_logits": (lambda T, lg: D(T).Bernoulli(logits=lg), ("real",), "bool", 0),
    "uniform": (lambda T, lo, hi: D(T).Uniform(lo, hi), ("low", "high"), "inside", 0),
    "independent_normal": (lambda T, loc, scale: D(T).Independent(D(T).Normal(loc, scale), 1),
                           ("real", "pos"), "real", 1),
    "mvn_covariance": (lambda T, loc, cov: D(T).MultivariateNormal(loc, covariance_matrix=cov),
                       ("real", "spd"), "real", 1),
    "mvn_precision": (lambda T, loc, p: D(T).MultivariateNormal(loc, precision_matrix=p),
                      ("real", "spd"), "real", 1),
    "mvn_scale_tril": (lambda T, loc, L: D(T).MultivariateNormal(loc, scale_tril=L),
                       ("real", "tril"), "real", 1),
    "onehot_probs": (lambda T, p: D(T).OneHotCategorical(probs=p), ("simplex",), "onehot", 1),
    "onehot_logits": (lambda T, lg: D(T).OneHotCategorical(logits=lg), ("real",), "onehot", 1),
    "laplace": (lambda T, loc, scale: D(T).Laplace(loc, scale), ("real", "pos"), "real", 0),
    "exponential": (lambda T, rate: D(T).Exponential(rate), ("pos",), "pos", 0),
    "poisson": (lambda T, rate: D(T).Poisson(rate), ("pos",), "count", 0),
    "gamma": (lambda T, a, rate: D(T).Gamma(a, rate), ("pos", "pos"), "pos", 0),
    "gamma_small": (lambda T, a, rate: D(T).Gamma(a * 0.2, rate), ("pos", "pos"), "pos", 0),
    "gamma_large": (lambda T, a, rate: D(T).Gamma(a * 8, rate), ("pos", "pos"), "pos", 0),
    "beta": (lambda T, a, b: D(T).Beta(a, b), ("pos", "pos"), "unit", 0),
    "beta_large": (lambda T, a, b: D(T).Beta(a * 6 + 1, b * 6 + 1), ("pos", "pos"), "unit", 0),
    "dirichlet": (lambda T, c: D(T).Dirichlet(c), ("big",), "simplex", 1),
    "dirichlet_small": (lambda T, c: D(T).Dirichlet(c * 0.3), ("pos",), "simplex", 1),
    "lognormal": (lambda T, loc, scale: D(T).LogNormal(loc, scale), ("real", "pos"), "pos", 0),
    "affine_sigmoid_normal": (lambda T, loc, scale: D(T).TransformedDistribution(
        D(T).Normal(loc, scale), [D(T).AffineTransform(0.5, 2.0), D(T).SigmoidTransform()]),
        ("real", "pos"), "unit", 0),
    "tanh_exp_normal": (lambda T, loc, scale: D(T).TransformedDistribution(
        D(T).Normal(loc, scale), [D(T).TanhTransform(), D(T).ExpTransform()]),
        ("real", "pos"), "tanh_exp", 0),
    "independent_affine_normal": (lambda T, loc, scale: D(T).TransformedDistribution(
        D(T).Normal(loc, scale), D(T).AffineTransform(T.ones(3), scale.detach(), event_dim=1)),
        ("real", "pos"), "real", 1),
    "cauchy": (lambda T, loc, scale: D(T).Cauchy(loc, scale), ("real", "pos"), "real", 0),
    "half_normal": (lambda T, scale: D(T).HalfNormal(scale), ("pos",), "pos", 0),
    "half_cauchy": (lambda T, scale: D(T).HalfCauchy(scale), ("pos",), "pos", 0),
    "chi2": (lambda T, df: D(T).Chi2(df * 3), ("pos",), "pos", 0),
    "student_t": (lambda T, df, loc, scale: D(T).StudentT(df * 3, loc, scale),
                  ("pos", "real", "pos"), "real", 0),
    "geometric_probs": (lambda T, p: D(T).Geometric(probs=p), ("prob",), "count", 0),
    "geometric_logits": (lambda T, lg: D(T).Geometric(logits=lg), ("real",), "count", 0),
    "gumbel": (lambda T, loc, scale: D(T).Gumbel(loc, scale), ("real", "pos"), "real", 0),
    "relaxed_bernoulli": (lambda T, t, p: D(T).RelaxedBernoulli(t, probs=p),
                          ("pos", "prob"), "unit", 0),
    # one temperature for the whole batch: (logits + noise) / temperature broadcasts it
    # against the category dimension
    "relaxed_onehot": (lambda T, t, lg: D(T).RelaxedOneHotCategorical(t.mean(), logits=lg),
                       ("pos", "real"), "simplex", 1),
    "binomial": (lambda T, p: D(T).Binomial(6, probs=p), ("prob",), "count", 0),
    "binomial_logits": (lambda T, n, lg: D(T).Binomial(n.detach().round() + 5, logits=lg),
                        ("pos", "real"), "count", 0),
    "multinomial": (lambda T, p: D(T).Multinomial(5, probs=p), ("simplex",), "multicount", 1),
    "mixture_normal": (lambda T, w, loc, scale: D(T).MixtureSameFamily(
        D(T).Categorical(probs=w), D(T).Normal(loc, scale)), ("simplex", "real", "pos"),
        "real", 0),
    "mixture_mvn": (lambda T, w, loc, L: D(T).MixtureSameFamily(
        D(T).Categorical(logits=w), D(T).MultivariateNormal(loc, scale_tril=L)),
        ("real", "real", "tril"), "real", 1),
    "pareto": (lambda T, scale, alpha: D(T).Pareto(scale * 0.5, alpha * 2), ("pos", "pos"),
               "big", 0),
    "weibull": (lambda T, scale, k: D(T).Weibull(scale, k * 2), ("pos", "pos"), "pos", 0),
    "inverse_gamma": (lambda T, a, b: D(T).InverseGamma(a * 2, b), ("pos", "pos"), "pos", 0),
    "negative_binomial": (lambda T, r, p: D(T).NegativeBinomial(r * 3, probs=p),
                          ("pos", "prob"), "count", 0),
    "negative_binomial_logits": (lambda T, r, lg: D(T).NegativeBinomial(r * 3, logits=lg),
                                 ("pos", "real"), "count", 0),
    "kumaraswamy": (lambda T, a, b: D(T).Kumaraswamy(a * 2, b * 2), ("pos", "pos"), "unit", 0),
    "fisher_snedecor": (lambda T, d1, d2: D(T).FisherSnedecor(d1 * 4, d2 * 4), ("pos", "pos"),
                        "pos", 0),
    "lowrank_mvn": (lambda T, loc, W, d: D(T).LowRankMultivariateNormal(loc, W, d),
                    ("real", "real", "pos"), "real", 1),
    "continuous_bernoulli": (lambda T, p: D(T).ContinuousBernoulli(probs=p), ("prob",), "unit",
                             0),
    # logits away from 0 (p near 1/2): there torch's float32 variance cancels to noise
    "continuous_bernoulli_logits": (lambda T, lg: D(T).ContinuousBernoulli(logits=lg),
                                    ("far_logit",), "unit", 0),
    "logistic_normal": (lambda T, loc, scale: D(T).LogisticNormal(loc, scale), ("real", "pos"),
                        "simplex", 1),
    "von_mises": (lambda T, loc, k: D(T).VonMises(loc, k * 3), ("real", "pos"), "real", 0),
}

# a case's parameter shape beyond its batch shape: the category axis, a vector, a matrix
PARAM_EVENT = {
    "categorical_probs": [(3,)], "categorical_logits": [(3,)],
    "mvn_covariance": [(3,), (3, 3)], "mvn_precision": [(3,), (3, 3)],
    "mvn_scale_tril": [(3,), (3, 3)], "onehot_probs": [(3,)], "onehot_logits": [(3,)],
    "dirichlet": [(3,)], "dirichlet_small": [(3,)], "relaxed_onehot": [(), (3,)],
    "multinomial": [(3,)], "mixture_normal": [(3,), (3,), (3,)],
    "mixture_mvn": [(3,), (3, 2), (3, 2, 2)], "lowrank_mvn": [(3,), (3, 2), (3,)],
    "logistic_normal": [(2,), (2,)],
}
# a case whose event is the last batch dimension of its parameters (Independent): the batch
# shape of the table becomes batch + event for the parameters
PARAMS_SPAN_EVENT = {"independent_normal": (3,), "independent_affine_normal": (3,)}


def param_shapes(name: str, batch: tuple) -> list:
    kinds = CASES[name][1]
    extra = PARAM_EVENT.get(name, [()] * len(kinds))
    span = PARAMS_SPAN_EVENT.get(name, ())
    return [batch + span + e for e in extra]


def make_params(name: str, batch: tuple, dtype, seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    kinds = CASES[name][1]
    return [draw(k, s, dtype, rng) for k, s in zip(kinds, param_shapes(name, batch))]


def event_shape(name: str) -> tuple:
    span = PARAMS_SPAN_EVENT.get(name)
    if span is not None:
        return span
    return VALUE_EVENT.get(name, ())


# the event shape of a value, for cases whose event is not the parameters' last dimension
VALUE_EVENT = {"mvn_covariance": (3,), "mvn_precision": (3,), "mvn_scale_tril": (3,),
               "onehot_probs": (3,), "onehot_logits": (3,), "dirichlet": (3,),
               "dirichlet_small": (3,), "relaxed_onehot": (3,), "multinomial": (3,),
               "mixture_mvn": (2,), "lowrank_mvn": (3,), "logistic_normal": (3,)}


def make_value(name: str, lead: tuple, batch: tuple, dtype, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    kind = CASES[name][2]
    return draw(kind, lead + batch + event_shape(name), dtype, rng)
