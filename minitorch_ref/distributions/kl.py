"""torch.distributions.kl: KL(p || q) = E_p[log p(X) - log q(X)] in closed form.

``register_kl(P, Q)`` files a function under a pair of distribution classes;
``kl_divergence(p, q)`` picks, among the registered pairs that ``(type(p), type(q))`` belongs
to, the most specific one (p's class decides first, then q's; a RuntimeWarning names the
pair to register when deciding by q first would pick another function). The choice is
remembered per pair of types until the registry changes.

The closed forms are torch's formulas, so values and gradients agree with torch's. Most
cross-family pairs are written as KL = -H(p) + H(p, q), the cross-entropy H(p, q) =
-E_p[log q(X)] needing only a few moments of p; the helpers below give H(p, q) once per
family of q. Pairs where p puts mass where q has none are +inf.
"""
from __future__ import annotations

import math
import warnings
from typing import Callable

from .. import _creation, _ops, autograd, linalg, special
from ..nn import functional as F
from .._tensor import Tensor
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical
from .cauchy import Cauchy
from .continuous_bernoulli import ContinuousBernoulli
from .dirichlet import Dirichlet
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .exponential import Exponential
from .gamma import Gamma
from .geometric import Geometric
from .gumbel import Gumbel
from .half_normal import HalfNormal
from .independent import Independent
from .laplace import Laplace
from .lowrank_multivariate_normal import (LowRankMultivariateNormal, _lowrank_log_det,
                                          _lowrank_mahalanobis)
from .multivariate_normal import MultivariateNormal, _mahalanobis_sq
from .normal import Normal
from .one_hot_categorical import OneHotCategorical
from .pareto import Pareto
from .poisson import Poisson
from .transformed_distribution import TransformedDistribution
from .uniform import Uniform
from .utils import _diag_embed, _sum_rightmost, euler_constant

__all__ = ["register_kl", "kl_divergence"]

_KL_REGISTRY: dict = {}  # (P, Q) -> function, as registered
_KL_MEMOIZE: dict = {}  # (type(p), type(q)) -> the function dispatch chose (or NotImplemented)

_GAMMA_E = euler_constant
_LOG_2PI = math.log(2 * math.pi)


# -- registry and dispatch ------------------------------------------------------------------

def register_kl(type_p, type_q) -> Callable:
    """Decorator: ``fun(p, q)`` computes KL(p || q) for p an instance of ``type_p`` and q
    of ``type_q`` (subclasses included, unless a more specific pair is registered)."""
    for name, cls in (("type_p", type_p), ("type_q", type_q)):
        if not isinstance(cls, type) and issubclass(cls, Distribution):
            raise TypeError(f"Expected {name} to be a Distribution subclass but got {cls}")

    def decorator(fun):
        _KL_REGISTRY[type_p, type_q] = fun
        _KL_MEMOIZE.clear()  # earlier choices may no longer be the most specific
        return fun

    return decorator


def _narrower(a: tuple, b: tuple) -> bool:
    """Whether the pair of classes ``a`` is strictly more specific than ``b``: position by
    position, a's class must be a subclass of b's, and the first position where they differ
    decides."""
    if a == b:
        return False
    for mine, theirs in zip(a, b):
        if not issubclass(mine, theirs):
            return False
        if mine is not theirs:
            break
    return True


def _most_specific(pairs: list) -> tuple:
    """The first pair that no later pair is narrower than (a partial order, scanned in
    registration order)."""
    best = pairs[0]
    for pair in pairs[1:]:
        if _narrower(pair, best):
            best = pair
    return best


def _dispatch_kl(type_p, type_q):
    """The registered function for the most specific pair (type_p, type_q) is an instance
    of, or NotImplemented."""
    candidates = [pair for pair in _KL_REGISTRY
                  if issubclass(type_p, pair[0]) and issubclass(type_q, pair[1])]
    if not candidates:
        return NotImplemented
    by_p = _most_specific(candidates)
    by_q = _most_specific([pair[::-1] for pair in candidates])[::-1]
    chosen = _KL_REGISTRY[by_p]
    if chosen is not _KL_REGISTRY[by_q]:
        warnings.warn(f"Ambiguous kl_divergence({type_p.__name__}, {type_q.__name__}). "
                      f"Please register_kl({by_p[0].__name__}, {by_q[1].__name__})",
                      RuntimeWarning, stacklevel=2)
    return chosen


def kl_divergence(p: Distribution, q: Distribution) -> Tensor:
    """KL(p || q) over p's and q's broadcast batch shape. NotImplementedError when no
    registered pair covers the two types."""
    key = (type(p), type(q))
    if key not in _KL_MEMOIZE:
        _KL_MEMOIZE[key] = _dispatch_kl(*key)
    fun = _KL_MEMOIZE[key]
    if fun is NotImplemented:
        raise NotImplementedError(f"No KL(p || q) is implemented for p type "
                                  f"{p.__class__.__name__} and q type {q.__class__.__name__}")
    return fun(p, q)


# -- shared pieces --------------------------------------------------------------------------

def _inf_where(kl: Tensor, mask) -> Tensor:
    """``kl`` with +inf written where ``mask`` holds (in place, as torch does)."""
    kl[mask] = math.inf
    return kl


def _x_log_x(t: Tensor) -> Tensor:
    """t log t, with the limit 0 at t = 0."""
    return special.xlogy(t, t)


def _squared_norm(m: Tensor) -> Tensor:
    """||M||_F^2 = trace(M M^T) of each matrix of a batch."""
    flat = m.reshape(-1, m.size(-2) * m.size(-1))
    return flat.pow(2).sum(-1).reshape(m.shape[:-2])


def _masked(terms: Tensor, q_none, p_none) -> Tensor:
    """The terms p_k log(p_k / q_k) of a discrete KL, fixed at the edges: +inf where q gives
    an outcome no mass (``q_none``), 0 where p gives it none (``p_none``; 0 log 0 = 0)."""
    terms[q_none] = math.inf
    terms[p_none] = 0
    return terms


def _beta_mean(p: Beta) -> Tensor:
    return p.concentration1 / (p.concentration1 + p.concentration0)


def _uniform_mean_log(p: Uniform, upper: bool = True) -> Tensor:
    """(b - a) E[log X] for X ~ U(a, b) (``upper``), or (b - a) E[log(1 - X)]: the
    antiderivative x log x - x between the ends."""
    width = p.high - p.low
    if upper:
        return _x_log_x(p.high) - _x_log_x(p.low) - width
    return _x_log_x(1 - p.high) - _x_log_x(1 - p.low) + width


def _gamma_log_norm(q: Gamma) -> Tensor:
    """log Gamma(k) - k log(rate): minus the log normalizer of q's density."""
    return q.concentration.lgamma() - q.concentration * q.rate.log()


# -- same family ----------------------------------------------------------------------------

@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p, q):
    """p log(p/q) + (1-p) log((1-p)/(1-q)); each log ratio is a difference of softplus of
    the logits (log p = -softplus(-logit p), log(1-p) = -softplus(logit p))."""
    yes = _masked(p.probs * (F.softplus(-q.logits) - F.softplus(-p.logits)),
                  q.probs == 0, p.probs == 0)
    no = _masked((1 - p.probs) * (F.softplus(q.logits) - F.softplus(p.logits)),
                 q.probs == 1, p.probs == 1)
    return yes + no


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p, q):
    """sum_k p_k (log p_k - log q_k)."""
    terms = p.probs * (p.logits - q.logits)
    return _masked(terms, (q.probs == 0).expand_as(terms),
                   (p.probs == 0).expand_as(terms)).sum(-1)


@register_kl(OneHotCategorical, OneHotCategorical)
def _kl_onehotcategorical_onehotcategorical(p, q):
    return _kl_categorical_categorical(p._categorical, q._categorical)


@register_kl(Beta, Beta)
def _kl_beta_beta(p, q):
    """log B(a_q, b_q) - log B(a_p, b_p) + (a_p - a_q) psi(a_p) + (b_p - b_q) psi(b_p)
    + (a_q + b_q - a_p - b_p) psi(a_p + b_p)."""
    total_p = p.concentration1 + p.concentration0
    total_q = q.concentration1 + q.concentration0
    log_beta_gap = (q.concentration1.lgamma() + q.concentration0.lgamma() + total_p.lgamma()
                    - (p.concentration1.lgamma() + p.concentration0.lgamma()
                       + total_q.lgamma()))
    return (log_beta_gap
            + (p.concentration1 - q.concentration1) * _ops.digamma(p.concentration1)
            + (p.concentration0 - q.concentration0) * _ops.digamma(p.concentration0)
            + (total_q - total_p) * _ops.digamma(total_p))


@register_kl(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(p, q):
    """log Gamma(sum a_p) - log Gamma(sum a_q) - sum (log Gamma(a_p) - log Gamma(a_q))
    + sum (a_p - a_q) (psi(a_p) - psi(sum a_p))."""
    total_p = p.concentration.sum(-1)
    total_q = q.concentration.sum(-1)
    log_norm_gap = total_p.lgamma() - total_q.lgamma()
    per_entry = (p.concentration.lgamma() - q.concentration.lgamma()).sum(-1)
    mean_log = p.concentration.digamma() - total_p.digamma().unsqueeze(-1)
    return log_norm_gap - per_entry + ((p.concentration - q.concentration) * mean_log).sum(-1)


@register_kl(ContinuousBernoulli, ContinuousBernoulli)
def _kl_continuous_bernoulli_continuous_bernoulli(p, q):
    def log_norm_and_tail(d):
        return d._cont_bern_log_norm() + _ops.log1p(-d.probs)
    return p.mean * (p.logits - q.logits) + log_norm_and_tail(p) + -log_norm_and_tail(q)


@register_kl(Exponential, Exponential)
def _kl_exponential_exponential(p, q):
    """r - 1 - log r with r = rate_q / rate_p."""
    r = q.rate / p.rate
    return -r.log() + r - 1


@register_kl(Gamma, Gamma)
def _kl_gamma_gamma(p, q):
    """k_q log(b_p / b_q) + log Gamma(k_q) - log Gamma(k_p) + (k_p - k_q) psi(k_p)
    + (b_q - b_p) k_p / b_p."""
    return (q.concentration * (p.rate / q.rate).log()
            + (_ops.lgamma(q.concentration) - _ops.lgamma(p.concentration))
            + (p.concentration - q.concentration) * _ops.digamma(p.concentration)
            + (q.rate - p.rate) * (p.concentration / p.rate))


@register_kl(Normal, Normal)
def _kl_normal_normal(p, q):
    """(r + ((mu_p - mu_q) / s_q)^2 - 1 - log r) / 2 with r = (s_p / s_q)^2."""
    r = (p.scale / q.scale).pow(2)
    shift = ((p.loc - q.loc) / q.scale).pow(2)
    return 0.5 * (r + shift - 1 - r.log())


@register_kl(HalfNormal, HalfNormal)
def _kl_halfnormal_halfnormal(p, q):
    return _kl_normal_normal(p.base_dist, q.base_dist)


@register_kl(Laplace, Laplace)
def _kl_laplace_laplace(p, q):
    """-log(s_p / s_q) + |mu_p - mu_q| / s_q + (s_p / s_q) exp(-|mu_p - mu_q| / s_p) - 1."""
    r = p.scale / q.scale
    gap = (p.loc - q.loc).abs()
    return -r.log() + gap / q.scale + r * _ops.exp(-gap / p.scale) - 1


@register_kl(Cauchy, Cauchy)
def _kl_cauchy_cauchy(p, q):
    """log(((s_p + s_q)^2 + (mu_p - mu_q)^2) / (4 s_p s_q))  (Chyzak and Nielsen, 2019)."""
    spread = (p.scale + q.scale).pow(2) + (p.loc - q.loc).pow(2)
    return spread.log() - (4 * p.scale * q.scale).log()


@register_kl(Gumbel, Gumbel)
def _kl_gumbel_gumbel(p, q):
    """With r = s_p / s_q: -log r + (mu_p - mu_q) / s_q + gamma r
    + exp((mu_q - mu_p) / s_q) Gamma(1 + r) - (1 + gamma)."""
    r = p.scale / q.scale
    loc_q, loc_p = q.loc / q.scale, p.loc / q.scale
    return ((-r.log() - loc_q + loc_p) + r * _GAMMA_E
            + _ops.exp(loc_q + (1 + r).lgamma() - loc_p) - (1 + _GAMMA_E))


@register_kl(Geometric, Geometric)
def _kl_geometric_geometric(p, q):
    return -p.entropy() - _ops.log1p(-q.probs) / p.probs - q.logits


@register_kl(Binomial, Binomial)
def _kl_binomial_binomial(p, q):
    """n (p (logit p - logit q) + log(1-p) - log(1-q)) for equal counts; +inf where p's count
    is larger (p reaches counts q cannot)."""
    if (p.total_count < q.total_count).any():
        raise NotImplementedError("KL between Binomials where q.total_count > p.total_count "
                                  "is not implemented")
    per_trial = p.probs * (p.logits - q.logits) + (-p.probs).log1p() - (-q.probs).log1p()
    kl = p.total_count * per_trial
    wider = p.total_count > q.total_count
    kl[wider] = _creation.full_like(kl[wider], math.inf)
    return kl


@register_kl(Pareto, Pareto)
def _kl_pareto_pareto(p, q):
    """a_q log(x_p / x_q) - log(a_q / a_p) + a_q / a_p - 1 (Gil's thesis, ch. 5); +inf where p
    starts below q."""
    r = q.alpha / p.alpha
    kl = q.alpha * (p.scale / q.scale).log() + -r.log() + r - 1
    return _inf_where(kl, p.support.lower_bound < q.support.lower_bound)


@register_kl(Poisson, Poisson)
def _kl_poisson_poisson(p, q):
    return p.rate * (p.rate.log() - q.rate.log()) - (p.rate - q.rate)


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p, q):
    """log((b_q - a_q) / (b_p - a_p)) when [a_p, b_p] lies in [a_q, b_q], else +inf."""
    kl = ((q.high - q.low) / (p.high - p.low)).log()
    return _inf_where(kl, (q.low > p.low) | (q.high < p.high))


@register_kl(ExponentialFamily, ExponentialFamily)
def _kl_expfamily_expfamily(p, q):
    """For one exponential family with log normalizer A over natural parameters eta: the
    Bregman divergence A(eta_q) - A(eta_p) - <eta_q - eta_p, grad A(eta_p)>, with grad A
    from autograd (kept in the graph, so the result stays differentiable)."""
    if type(p) is not type(q):
        # torch's message carries the indentation of its source line
        raise NotImplementedError(
            "The cross KL-divergence between different exponential families cannot "
            + " " * 28 + "be computed using Bregman divergences")
    eta_p = [t.detach().requires_grad_() for t in p._natural_params]
    eta_q = q._natural_params
    a_p = p._log_normalizer(*eta_p)
    grads = autograd.grad(a_p.sum(), eta_p, create_graph=True)
    kl = q._log_normalizer(*eta_q) - a_p
    for ep, eq, g in zip(eta_p, eta_q, grads):
        kl -= _sum_rightmost((eq - ep) * g, len(q.event_shape))
    return kl


@register_kl(Independent, Independent)
def _kl_independent_independent(p, q):
    if p.reinterpreted_batch_ndims != q.reinterpreted_batch_ndims:
        raise NotImplementedError
    return _sum_rightmost(kl_divergence(p.base_dist, q.base_dist),
                          p.reinterpreted_batch_ndims)


@register_kl(TransformedDistribution, TransformedDistribution)
def _kl_transformed_transformed(p, q):
    # KL is invariant under a shared bijection
    if p.transforms != q.transforms or p.event_shape != q.event_shape:
        raise NotImplementedError
    return kl_divergence(p.base_dist, q.base_dist)


# -- Gaussians with dense or low-rank covariance --------------------------------------------
# KL = (log det S_q - log det S_p + tr(S_q^-1 S_p) + m^T S_q^-1 m - n) / 2,  m = mu_q - mu_p.

def _log_det(d) -> Tensor:
    if isinstance(d, LowRankMultivariateNormal):
        return _lowrank_log_det(*d._parts())
    return 2 * d._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)


def _mahalanobis(q, m: Tensor) -> Tensor:
    if isinstance(q, LowRankMultivariateNormal):
        w, d, cap_tril = q._parts()
        return _lowrank_mahalanobis(w, d, m, cap_tril)
    return _mahalanobis_sq(q._unbroadcasted_scale_tril, m)


def _gaussian_kl(p, q, names: str, trace: Callable) -> Tensor:
    if p.event_shape != q.event_shape:
        raise ValueError(f"KL-divergence between two {names} with" + " " * 26
                         + "different event shapes cannot be computed")
    return 0.5 * (_log_det(q) - _log_det(p) + trace(p, q) + _mahalanobis(q, q.loc - p.loc)
                  - p.event_shape[0])


def _woodbury_factor(q) -> Tensor:
    """C^-1 W^T D^-1 for q's low-rank covariance W W^T + D (C the capacitance's Cholesky
    factor): S_q^-1 = D^-1 - A^T A with A this matrix."""
    scaled = q._unbroadcasted_cov_factor.mT / q._unbroadcasted_cov_diag.unsqueeze(-2)
    return linalg.solve_triangular(q._capacitance_tril, scaled, upper=False)


def _lower_solve_norm(l_q: Tensor, m: Tensor, n: int, batch=None) -> Tensor:
    """||L_q^-1 M||_F^2 with both expanded to ``batch`` (default: their broadcast batch
    shape)."""
    if batch is None:
        batch = _ops.broadcast_shapes(l_q.shape[:-2], m.shape[:-2])
    solved = linalg.solve_triangular(l_q.expand(batch + (n, n)),
                                     m.expand(batch + (n, m.size(-1))), upper=False)
    return _squared_norm(solved)


def _trace_dense_dense(p, q):
    return _lower_solve_norm(q._unbroadcasted_scale_tril, p._unbroadcasted_scale_tril,
                             p.event_shape[0])


def _trace_lowrank_lowrank(p, q):
    """tr((D_q^-1 - A^T A)(W_p W_p^T + D_p)), expanded into four sums of squares."""
    a = _woodbury_factor(q)
    w_p, d_p, d_q = (p._unbroadcasted_cov_factor, p._unbroadcasted_cov_diag,
                     q._unbroadcasted_cov_diag)
    return ((d_p / d_q).sum(-1) + _squared_norm(w_p * d_q.rsqrt().unsqueeze(-1))
            - _squared_norm(a * d_p.sqrt().unsqueeze(-2)) - _squared_norm(a.matmul(w_p)))


def _trace_dense_lowrank(p, q):
    """tr((D_q^-1 - A^T A) L_p L_p^T)."""
    l_p = p._unbroadcasted_scale_tril
    return (_squared_norm(l_p * q._unbroadcasted_cov_diag.rsqrt().unsqueeze(-1))
            - _squared_norm(_woodbury_factor(q).matmul(l_p)))


def _trace_lowrank_dense(p, q):
    """tr(S_q^-1 (W_p W_p^T + D_p)) = ||L_q^-1 W_p||^2 + ||L_q^-1 D_p^(1/2)||^2."""
    n = p.event_shape[0]
    l_q, w_p = q._unbroadcasted_scale_tril, p._unbroadcasted_cov_factor
    # as torch: one batch shape from L_q and W_p, to which D_p's square root must expand
    batch = _ops.broadcast_shapes(l_q.shape[:-2], w_p.shape[:-2])
    return (_lower_solve_norm(l_q, w_p, n, batch)
            + _lower_solve_norm(l_q, _diag_embed(p._unbroadcasted_cov_diag.sqrt()), n, batch))


@register_kl(MultivariateNormal, MultivariateNormal)
def _kl_multivariatenormal_multivariatenormal(p, q):
    return _gaussian_kl(p, q, "Multivariate Normals", _trace_dense_dense)


@register_kl(LowRankMultivariateNormal, LowRankMultivariateNormal)
def _kl_lowrankmultivariatenormal_lowrankmultivariatenormal(p, q):
    return _gaussian_kl(p, q, "Low Rank Multivariate Normals", _trace_lowrank_lowrank)


@register_kl(MultivariateNormal, LowRankMultivariateNormal)
def _kl_multivariatenormal_lowrankmultivariatenormal(p, q):
    return _gaussian_kl(p, q, "(Low Rank) Multivariate Normals", _trace_dense_lowrank)


@register_kl(LowRankMultivariateNormal, MultivariateNormal)
def _kl_lowrankmultivariatenormal_multivariatenormal(p, q):
    return _gaussian_kl(p, q, "(Low Rank) Multivariate Normals", _trace_lowrank_dense)


# -- across families: p puts mass where q has none -------------------------------------------
# One function per family of p (its result: +inf in p's batch shape, read off ``attr``).

_UNREACHABLE = [
    (Beta, "concentration1", [Pareto]),
    (ContinuousBernoulli, "probs", [Pareto]),
    (Exponential, "rate", [Beta, ContinuousBernoulli, Pareto, Uniform]),
    (Gamma, "concentration", [Beta, ContinuousBernoulli, Pareto, Uniform]),
    (Gumbel, "loc", [Beta, ContinuousBernoulli, Exponential, Gamma, Uniform]),
    (Laplace, "loc", [Beta, ContinuousBernoulli, Exponential, Gamma, Pareto, Uniform]),
    (Normal, "loc", [Beta, ContinuousBernoulli, Exponential, Gamma, Pareto, Uniform]),
    (Pareto, "scale", [Beta, ContinuousBernoulli, Uniform]),
    (Poisson, "rate", [Bernoulli, Binomial]),
]


def _infinite(attr: str) -> Callable:
    def kl(p, q):
        return _creation.full_like(getattr(p, attr), math.inf)
    return kl


for _p_type, _attr, _q_types in _UNREACHABLE:
    _fun = _infinite(_attr)
    for _q_type in _q_types:
        register_kl(_p_type, _q_type)(_fun)


# -- across families: q a Normal --------------------------------------------------------------
# H(p, N(mu, s^2)) = log(s sqrt(2 pi)) + (E[X^2] - 2 mu E[X] + mu^2) / (2 s^2).

@register_kl(Beta, Normal)
def _kl_beta_normal(p, q):
    mean = _beta_mean(p)
    var_q = q.scale.pow(2)
    half_second_moment = (mean * (1 - mean) / (p.concentration1 + p.concentration0 + 1)
                          + mean.pow(2)) * 0.5
    return (-p.entropy() + 0.5 * (var_q * 2 * math.pi).log()
            + (half_second_moment - q.loc * mean + q.loc.pow(2) * 0.5) / var_q)


@register_kl(ContinuousBernoulli, Normal)
def _kl_continuous_bernoulli_normal(p, q):
    log_norm = 0.5 * (math.log(2.0 * math.pi) + _ops.square(q.loc / q.scale)) + _ops.log(q.scale)
    moments = ((p.variance + _ops.square(p.mean) - 2.0 * q.loc * p.mean)
               / (2.0 * _ops.square(q.scale)))
    return -p.entropy() + log_norm + moments


@register_kl(Exponential, Normal)
def _kl_exponential_normal(p, q):
    var_q = q.scale.pow(2)
    rate2 = p.rate.pow(2)
    return (0.5 * _ops.log(rate2 * var_q * 2 * math.pi) - 1
            + (rate2.reciprocal() - q.loc / p.rate + q.loc.pow(2) * 0.5) / var_q)


@register_kl(Gamma, Normal)
def _kl_gamma_normal(p, q):
    k, var_q, rate2 = p.concentration, q.scale.pow(2), p.rate.pow(2)
    neg_entropy_part = 0.5 * _ops.log(rate2 * var_q * 2 * math.pi) - k - k.lgamma()
    moments = 0.5 * (k.pow(2) + k) / rate2 - q.loc * k / p.rate + 0.5 * q.loc.pow(2)
    return neg_entropy_part + (k - 1) * k.digamma() + moments / var_q


@register_kl(Gumbel, Normal)
def _kl_gumbel_normal(p, q):
    r = p.scale / q.scale
    mean_gap = ((p.loc + p.scale * _GAMMA_E - q.loc) / q.scale).pow(2) * 0.5
    return (-(r / math.sqrt(2 * math.pi)).log() + (math.pi * r * 0.5).pow(2) / 3 + mean_gap
            - (_GAMMA_E + 1))


@register_kl(Laplace, Normal)
def _kl_laplace_normal(p, q):
    var_q = q.scale.pow(2)
    r2 = p.scale.pow(2) / var_q
    square_gap = 0.5 * p.loc.pow(2) - p.loc * q.loc + 0.5 * q.loc.pow(2)
    return -0.5 * _ops.log(2 * r2 / math.pi) + r2 + square_gap / var_q - 1


@register_kl(Pareto, Normal)
def _kl_pareto_normal(p, q):
    """+inf where alpha <= 2 (p has no variance)."""
    two_var_q = 2 * q.scale.pow(2)
    mean_over_alpha = p.scale / (p.alpha - 1)
    log_ratio = (math.sqrt(2 * math.pi) * q.scale * p.alpha / p.scale).log()
    moments = (p.alpha * mean_over_alpha.pow(2) / (p.alpha - 2)
               + (p.alpha * mean_over_alpha - q.loc).pow(2))
    kl = log_ratio - p.alpha.reciprocal() + moments / two_var_q - 1
    return _inf_where(kl, p.alpha <= 2)


@register_kl(Uniform, Normal)
def _kl_uniform_normal(p, q):
    width = p.high - p.low
    log_ratio = (math.sqrt(math.pi * 2) * q.scale / width).log()
    moments = width.pow(2) / 12 + ((p.high + p.low - 2 * q.loc) / 2).pow(2)
    return log_ratio + 0.5 * moments / q.scale.pow(2)


@register_kl(Normal, Laplace)
def _kl_normal_laplace(p, q):
    """E_p|X - mu_q| is the folded normal's mean."""
    gap = p.loc - q.loc
    z = gap / p.scale
    folded_mean = (math.sqrt(2 / math.pi) * p.scale * _ops.exp(-0.5 * z.pow(2))
                   + gap * _ops.erf(math.sqrt(0.5) * z))
    return (-_ops.log(p.scale / q.scale) + folded_mean / q.scale
            - 0.5 * (1 + math.log(0.5 * math.pi)))


# -- across families: q an Exponential, Gamma, Beta, Uniform, Poisson -------------------------

def _vs_exponential(p, q, mean: Tensor) -> Tensor:
    """-H(p) + H(p, Exp(rate)) = -H(p) - log rate + rate E[X]."""
    return -p.entropy() - q.rate.log() + q.rate * mean


@register_kl(Beta, Exponential)
def _kl_beta_exponential(p, q):
    return _vs_exponential(p, q, _beta_mean(p))


@register_kl(Gamma, Exponential)
def _kl_gamma_exponential(p, q):
    return -p.entropy() - q.rate.log() + q.rate * p.concentration / p.rate


@register_kl(ContinuousBernoulli, Exponential)
def _kl_continuous_bernoulli_exponential(p, q):
    return _vs_exponential(p, q, p.mean)


@register_kl(Pareto, Exponential)
def _kl_pareto_exponential(p, q):
    """+inf where alpha <= 1 (p has no mean)."""
    xr = p.scale * q.rate
    kl = (p.alpha / xr).log() - p.alpha.reciprocal() + p.alpha * xr / (p.alpha - 1) - 1
    return _inf_where(kl, p.alpha <= 1)


@register_kl(Uniform, Exponential)
def _kl_uniform_exponetial(p, q):
    kl = q.rate * (p.high + p.low) / 2 - ((p.high - p.low) * q.rate).log()
    return _inf_where(kl, p.low < q.support.lower_bound)


@register_kl(Beta, Gamma)
def _kl_beta_gamma(p, q):
    total = p.concentration1 + p.concentration0
    mean_log = p.concentration1.digamma() - total.digamma()
    return (-p.entropy() + _gamma_log_norm(q) - (q.concentration - 1) * mean_log
            + q.rate * p.concentration1 / total)


@register_kl(Exponential, Gamma)
def _kl_exponential_gamma(p, q):
    r = q.rate / p.rate
    return (-q.concentration * _ops.log(r) + r + q.concentration.lgamma()
            + q.concentration * _GAMMA_E - (1 + _GAMMA_E))


@register_kl(Pareto, Gamma)
def _kl_pareto_gamma(p, q):
    """+inf where alpha <= 1."""
    mean_log = p.scale.log() + p.alpha.reciprocal()
    kl = (p.alpha.log() - mean_log + _gamma_log_norm(q) + (1 - q.concentration) * mean_log
          + q.rate * p.alpha * p.scale / (p.alpha - 1) - 1)
    return _inf_where(kl, p.alpha <= 1)


@register_kl(Uniform, Gamma)
def _kl_uniform_gamma(p, q):
    width = p.high - p.low
    kl = (-width.log() + _gamma_log_norm(q)
          + (1 - q.concentration) * _uniform_mean_log(p) / width
          + q.rate * (p.high + p.low) / 2)
    return _inf_where(kl, p.low < q.support.lower_bound)


@register_kl(Uniform, Beta)
def _kl_uniform_beta(p, q):
    width = p.high - p.low
    log_beta = (q.concentration1.lgamma() + q.concentration0.lgamma()
                - (q.concentration1 + q.concentration0).lgamma())
    kl = ((q.concentration0 - 1) * _uniform_mean_log(p, upper=False) / width + log_beta
          - _ops.log(width) - (q.concentration1 - 1) * _uniform_mean_log(p) / width)
    return _inf_where(kl, (p.high > q.support.upper_bound) | (p.low < q.support.lower_bound))


@register_kl(Uniform, Pareto)
def _kl_uniform_pareto(p, q):
    width = p.high - p.low
    log_norm = (q.alpha * q.scale.pow(q.alpha) * width).log()
    kl = _uniform_mean_log(p) / width * (q.alpha + 1) - log_norm
    return _inf_where(kl, p.low < q.support.lower_bound)


@register_kl(Beta, Uniform)
def _kl_beta_uniform(p, q):
    kl = -p.entropy() + (q.high - q.low).log()
    return _inf_where(kl, (q.low > p.support.lower_bound) | (q.high < p.support.upper_bound))


@register_kl(ContinuousBernoulli, Uniform)
def _kl_continuous_bernoulli_uniform(p, q):
    kl = -p.entropy() + (q.high - q.low).log()
    # torch's test is inclusive here: a uniform on exactly [0, 1] also counts as too narrow
    too_narrow = _ops.max(_ops.ge(q.low, p.support.lower_bound),
                          _ops.le(q.high, p.support.upper_bound))
    return _ops.where(too_narrow, _creation.ones_like(kl) * math.inf, kl)


def _vs_continuous_bernoulli(p, q) -> Tensor:
    """-H(p) + H(p, CB(lambda)) with E_p[X] = p.mean."""
    return -p.entropy() - p.mean * q.logits - _ops.log1p(-q.probs) - q._cont_bern_log_norm()


@register_kl(Beta, ContinuousBernoulli)
def _kl_beta_continuous_bernoulli(p, q):
    return _vs_continuous_bernoulli(p, q)


@register_kl(Uniform, ContinuousBernoulli)
def _kl_uniform_continuous_bernoulli(p, q):
    kl = _vs_continuous_bernoulli(p, q)
    too_wide = _ops.max(_ops.ge(p.high, q.support.upper_bound),
                        _ops.le(p.low, q.support.lower_bound))
    return _ops.where(too_wide, _creation.ones_like(kl) * math.inf, kl)


@register_kl(Bernoulli, Poisson)
def _kl_bernoulli_poisson(p, q):
    return -p.entropy() - (p.probs * q.rate.log() - q.rate)


# -- across families: q a Gumbel ----------------------------------------------------------------
# H(p, Gumbel(mu, b)) = log b + (E[X] - mu) / b + E[exp(-(X - mu) / b)].

@register_kl(Exponential, Gumbel)
def _kl_exponential_gumbel(p, q):
    rb = p.rate * q.scale
    z = q.loc / q.scale
    return rb.log() - 1 - z + _ops.exp(z) * rb / (rb + 1) + rb.reciprocal()


@register_kl(Gamma, Gumbel)
def _kl_gamma_gumbel(p, q):
    k = p.concentration
    rb = p.rate * q.scale
    z = q.loc / q.scale
    neg_entropy = (k - 1) * k.digamma() - k.lgamma() - k
    return (neg_entropy + (rb.log() + k / rb)
            + (_ops.exp(z) * (1 + rb.reciprocal()).pow(-k) - z))


@register_kl(Normal, Gumbel)
def _kl_normal_gumbel(p, q):
    m = p.loc / q.scale
    r2 = (p.scale / q.scale).pow(2)
    z = q.loc / q.scale
    return (-r2.log() * 0.5 + (m - z) + _ops.exp(-m + 0.5 * r2 + z)
            - 0.5 * (1 + _LOG_2PI))


@register_kl(Uniform, Gumbel)
def _kl_uniform_gumbel(p, q):
    r = q.scale / (p.high - p.low)
    z_high = (p.high - q.loc) / q.scale
    z_low = (p.low - q.loc) / q.scale
    return r.log() + 0.5 * (z_high + z_low) - r * (_ops.exp(-z_high) - _ops.exp(-z_low))
