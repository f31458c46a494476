"""Argument validation as torch does it: the same exception type and the same whole message
(which prints the distribution and the offending values) for bad parameters, values outside the
support, values of the wrong shape; ``validate_args=False`` and
``Distribution.set_default_validate_args`` switch it off."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check, check_raises


def same_error(fn):
    """Both raise the same type with the same whole message (not only its first line)."""
    ours, theirs = check_raises(fn)
    assert str(ours) == str(theirs)


BAD_PARAMS = {
    "normal_scale_zero": lambda T: T.distributions.Normal(T.zeros(2), T.tensor([1.0, 0.0])),
    "normal_scale_negative_number": lambda T: T.distributions.Normal(0.0, -1.0),
    "normal_loc_nan": lambda T: T.distributions.Normal(T.tensor([float("nan")]), 1.0),
    "normal_not_a_number": lambda T: T.distributions.Normal("a", 1.0),
    "categorical_negative": lambda T: T.distributions.Categorical(
        probs=T.tensor([[0.5, -0.1, 0.6], [0.2, 0.3, 0.5]])),
    "categorical_logits_nan": lambda T: T.distributions.Categorical(
        logits=T.tensor([0.0, float("nan")])),
    "categorical_both": lambda T: T.distributions.Categorical(T.ones(2), T.ones(2)),
    "categorical_neither": lambda T: T.distributions.Categorical(),
    "categorical_0d_probs": lambda T: T.distributions.Categorical(T.tensor(1.0)),
    "categorical_0d_logits": lambda T: T.distributions.Categorical(logits=T.tensor(1.0)),
    "bernoulli_above_one": lambda T: T.distributions.Bernoulli(T.tensor([0.5, 1.5])),
    "bernoulli_neither": lambda T: T.distributions.Bernoulli(),
    "uniform_low_above_high": lambda T: T.distributions.Uniform(T.tensor([0.0, 2.0]),
                                                                T.tensor([1.0, 1.0])),
    "uniform_equal_bounds": lambda T: T.distributions.Uniform(1.0, 1.0),
    "independent_too_many_dims": lambda T: T.distributions.Independent(
        T.distributions.Normal(T.zeros(3), 1.0), 2),
    "mvn_0d_loc": lambda T: T.distributions.MultivariateNormal(T.tensor(0.0), T.eye(1)),
    "mvn_no_matrix": lambda T: T.distributions.MultivariateNormal(T.zeros(2)),
    "mvn_two_matrices": lambda T: T.distributions.MultivariateNormal(
        T.zeros(2), T.eye(2), scale_tril=T.eye(2)),
    "mvn_1d_covariance": lambda T: T.distributions.MultivariateNormal(T.zeros(2), T.ones(2)),
    "mvn_1d_precision": lambda T: T.distributions.MultivariateNormal(
        T.zeros(2), precision_matrix=T.ones(2)),
    "mvn_1d_scale_tril": lambda T: T.distributions.MultivariateNormal(
        T.zeros(2), scale_tril=T.ones(2)),
    "mvn_not_symmetric": lambda T: T.distributions.MultivariateNormal(
        T.zeros(2), T.tensor([[1.0, 0.5], [0.0, 1.0]])),
    "mvn_not_positive_definite": lambda T: T.distributions.MultivariateNormal(
        T.zeros(2), T.tensor([[1.0, 2.0], [2.0, 1.0]])),
    "mvn_scale_tril_upper": lambda T: T.distributions.MultivariateNormal(
        T.zeros(2), scale_tril=T.tensor([[1.0, 0.5], [0.0, 1.0]])),
    "mvn_scale_tril_negative_diagonal": lambda T: T.distributions.MultivariateNormal(
        T.zeros(2), scale_tril=T.tensor([[1.0, 0.0], [0.5, -1.0]])),
    "onehot_negative": lambda T: T.distributions.OneHotCategorical(T.tensor([0.5, -0.5, 1.0])),
    "laplace_scale": lambda T: T.distributions.Laplace(0.0, T.tensor([1.0, -2.0])),
    "exponential_rate": lambda T: T.distributions.Exponential(T.tensor([0.0, 1.0])),
    "poisson_rate": lambda T: T.distributions.Poisson(T.tensor([-1.0, 1.0])),
    "gamma_concentration": lambda T: T.distributions.Gamma(T.tensor([-1.0]), 1.0),
    "gamma_rate": lambda T: T.distributions.Gamma(1.0, T.tensor([0.0])),
    "beta_concentration": lambda T: T.distributions.Beta(T.tensor([0.5, 0.0]), 1.0),
    "beta_numbers": lambda T: T.distributions.Beta(-1.0, 1.0),
    "dirichlet_0d": lambda T: T.distributions.Dirichlet(T.tensor(1.0)),
    "dirichlet_concentration": lambda T: T.distributions.Dirichlet(T.tensor([1.0, -1.0])),
    "lognormal_scale": lambda T: T.distributions.LogNormal(0.0, -1.0),
    "transformed_not_a_transform": lambda T: T.distributions.TransformedDistribution(
        T.distributions.Normal(0.0, 1.0), [T.distributions.ExpTransform(), 3]),
    "transformed_not_a_list": lambda T: T.distributions.TransformedDistribution(
        T.distributions.Normal(0.0, 1.0), 3),
    "transformed_base_too_small": lambda T: T.distributions.TransformedDistribution(
        T.distributions.Normal(0.0, 1.0), T.distributions.SoftmaxTransform()),
    "cauchy_scale": lambda T: T.distributions.Cauchy(0.0, T.tensor([0.0])),
    "half_normal_scale": lambda T: T.distributions.HalfNormal(T.tensor([-1.0])),
    "chi2_df": lambda T: T.distributions.Chi2(T.tensor([-2.0])),
    "student_t_df": lambda T: T.distributions.StudentT(T.tensor([0.0, 1.0])),
    "geometric_zero": lambda T: T.distributions.Geometric(T.tensor([0.0, 0.5])),
    "geometric_above_one": lambda T: T.distributions.Geometric(T.tensor([1.5])),
    "gumbel_scale": lambda T: T.distributions.Gumbel(0.0, -1.0),
    "binomial_count": lambda T: T.distributions.Binomial(T.tensor([2.5]), T.tensor([0.5])),
    "binomial_neither": lambda T: T.distributions.Binomial(3),
    "multinomial_count": lambda T: T.distributions.Multinomial(T.tensor(3), T.ones(3) / 3),
    "mixture_not_categorical": lambda T: T.distributions.MixtureSameFamily(
        T.distributions.Normal(0.0, 1.0), T.distributions.Normal(T.zeros(2), 1.0)),
    "mixture_component_not_distribution": lambda T: T.distributions.MixtureSameFamily(
        T.distributions.Categorical(T.ones(2)), T.zeros(2)),
    "mixture_batch_mismatch": lambda T: T.distributions.MixtureSameFamily(
        T.distributions.Categorical(T.ones(3, 2)),
        T.distributions.Normal(T.zeros(4, 2), 1.0)),
    "mixture_components_mismatch": lambda T: T.distributions.MixtureSameFamily(
        T.distributions.Categorical(T.ones(3)), T.distributions.Normal(T.zeros(2), 1.0)),
    "relaxed_bernoulli_probs": lambda T: T.distributions.RelaxedBernoulli(
        T.tensor(0.5), probs=T.tensor([1.5])),
}


@pytest.mark.parametrize("name", sorted(BAD_PARAMS))
def test_bad_parameters_raise_torchs_error(name):
    same_error(BAD_PARAMS[name])


def _normal(T):
    return T.distributions.Normal(T.zeros(2, 3), T.ones(3))


BAD_VALUES = {
    "not_a_tensor": lambda T: _normal(T).log_prob(0.5),
    "not_broadcastable": lambda T: _normal(T).log_prob(T.zeros(4)),
    "event_shape": lambda T: T.distributions.Independent(_normal(T), 1).log_prob(T.zeros(2)),
    "nan_value": lambda T: _normal(T).log_prob(T.tensor(float("nan"))),
    "categorical_out_of_range": lambda T: T.distributions.Categorical(
        T.ones(2, 3) / 3).log_prob(T.tensor([0, 3])),
    "categorical_not_integer": lambda T: T.distributions.Categorical(
        T.ones(3) / 3).log_prob(T.tensor(1.5)),
    "bernoulli_not_binary": lambda T: T.distributions.Bernoulli(0.3).log_prob(T.tensor(0.5)),
    "uniform_outside": lambda T: T.distributions.Uniform(0.0, 1.0).log_prob(T.tensor(1.5)),
    "uniform_cdf_outside": lambda T: T.distributions.Uniform(0.0, 1.0).cdf(T.tensor(-1.0)),
    "normal_cdf_shape": lambda T: _normal(T).cdf(T.zeros(5)),
    "mvn_event_shape": lambda T: T.distributions.MultivariateNormal(
        T.zeros(3), T.eye(3)).log_prob(T.zeros(2)),
    "onehot_not_one_hot": lambda T: T.distributions.OneHotCategorical(
        T.ones(3) / 3).log_prob(T.tensor([1.0, 1.0, 0.0])),
    "exponential_negative": lambda T: T.distributions.Exponential(1.0).log_prob(T.tensor(-1.0)),
    "poisson_not_integer": lambda T: T.distributions.Poisson(2.0).log_prob(T.tensor(1.5)),
    "gamma_negative": lambda T: T.distributions.Gamma(2.0, 1.0).log_prob(T.tensor(-1.0)),
    "beta_outside": lambda T: T.distributions.Beta(2.0, 1.0).log_prob(T.tensor(1.5)),
    "dirichlet_not_simplex": lambda T: T.distributions.Dirichlet(
        T.ones(3)).log_prob(T.tensor([0.5, 0.5, 0.5])),
    "lognormal_negative": lambda T: T.distributions.LogNormal(0.0, 1.0).log_prob(
        T.tensor(-1.0)),
    "binomial_above_count": lambda T: T.distributions.Binomial(3, T.tensor(0.5)).log_prob(
        T.tensor(4.0)),
    "multinomial_too_many": lambda T: T.distributions.Multinomial(3, T.ones(2) / 2).log_prob(
        T.tensor([3.0, 2.0])),
    "geometric_negative": lambda T: T.distributions.Geometric(0.5).log_prob(T.tensor(-1.0)),
    "half_normal_negative": lambda T: T.distributions.HalfNormal(1.0).log_prob(
        T.tensor(-1.0)),
    "mixture_event": lambda T: T.distributions.MixtureSameFamily(
        T.distributions.Categorical(T.ones(2)), T.distributions.Normal(T.zeros(2), 1.0)
    ).log_prob(T.tensor(float("nan"))),
    "mvn_kl_event_shapes": lambda T: T.distributions.kl_divergence(
        T.distributions.MultivariateNormal(T.zeros(2), T.eye(2)),
        T.distributions.MultivariateNormal(T.zeros(3), T.eye(3))),
}


@pytest.mark.parametrize("name", sorted(BAD_VALUES))
def test_bad_values_raise_torchs_error(name):
    same_error(BAD_VALUES[name])


def test_validate_args_false_computes_anyway():
    check(lambda T, s: T.distributions.Normal(0.0, s, validate_args=False)
          .log_prob(T.tensor([1.0, 2.0])), np.array([-1.0, 2.0]))
    check(lambda T, lo: T.distributions.Uniform(lo, 1.0, validate_args=False)
          .log_prob(T.tensor([0.5, 3.0])), np.array([0.0, 0.0]))


def test_set_default_validate_args():
    for T in (torch, mt):
        Dist = T.distributions.Distribution
        try:
            Dist.set_default_validate_args(False)
            d = T.distributions.Normal(0.0, -1.0)  # accepted without validation
            assert d.scale.item() == -1.0
            Dist.set_default_validate_args(True)
            with pytest.raises(ValueError):
                T.distributions.Normal(0.0, -1.0)
            assert T.distributions.Normal(0.0, -1.0, validate_args=False).scale.item() == -1.0
        finally:
            Dist.set_default_validate_args(True)
    check_raises(lambda T: T.distributions.Distribution.set_default_validate_args(1.5))


def test_validation_is_inherited_by_expand():
    for T in (torch, mt):
        d = T.distributions.Normal(T.zeros(3), 1.0, validate_args=False).expand((2, 3))
        assert d._validate_args is False
        d.log_prob(T.tensor(float("nan")))  # no check
        d = T.distributions.Normal(T.zeros(3), 1.0).expand((2, 3))
        with pytest.raises(ValueError, match="within the support"):
            d.log_prob(T.tensor(float("nan")))


def test_constraint_reprs_and_checks():
    names = ["boolean", "real", "real_vector", "positive", "nonnegative", "unit_interval",
             "simplex", "one_hot", "nonnegative_integer", "positive_integer", "lower_cholesky",
             "lower_triangular", "positive_definite", "positive_semidefinite", "symmetric",
             "square", "corr_cholesky"]
    value = np.array([[[1.0, 0.0], [0.5, 2.0]], [[0.0, 0.3], [0.3, -1.0]]])
    for n in names:
        c_m, c_t = getattr(mt.distributions.constraints, n), \
            getattr(torch.distributions.constraints, n)
        assert repr(c_m) == repr(c_t)
        assert (c_m.is_discrete, c_m.event_dim) == (c_t.is_discrete, c_t.event_dim)
        check(lambda T, v, n=n: getattr(T.distributions.constraints, n).check(v), value,
              grad=False)
    for make in (lambda C: C.interval(-1, 2.5), lambda C: C.half_open_interval(0, 1),
                 lambda C: C.greater_than(0.5), lambda C: C.greater_than_eq(1),
                 lambda C: C.less_than(0.0), lambda C: C.integer_interval(0, 3),
                 lambda C: C.independent(C.positive, 2), lambda C: C.multinomial(3),
                 lambda C: C.cat([C.real, C.positive], dim=-1, lengths=[1, 1]),
                 lambda C: C.stack([C.real, C.positive], dim=-1)):
        c_m, c_t = make(mt.distributions.constraints), make(torch.distributions.constraints)
        assert repr(c_m) == repr(c_t)
        check(lambda T, v, make=make: make(T.distributions.constraints).check(v), value,
              grad=False)
    C = mt.distributions.constraints
    assert C.is_dependent(C.dependent) and not C.is_dependent(C.real)
    check_raises(lambda T: T.distributions.constraints.dependent.check(T.zeros(1)))
    check_raises(lambda T: T.distributions.constraints.dependent.event_dim)
