"""torch.distributions.ContinuousBernoulli: the [0, 1]-valued relative of the Bernoulli
(Loaiza-Ganem and Cunningham, 2019)."""
from __future__ import annotations

import math

from .._ops import where
from .._tensor import Size, Tensor
from ..autograd.grad_mode import no_grad
from ..nn.functional import binary_cross_entropy_with_logits as _bce_logits
from ..random import rand
from . import constraints
from ._parameters import ProbsOrLogits, binary_constraints, probs_or_logits
from .exp_family import ExponentialFamily
from .utils import broadcast_all, clamp_probs, lazy_property, logits_to_probs

__all__ = ["ContinuousBernoulli"]


class ContinuousBernoulli(ProbsOrLogits, ExponentialFamily):
    """ContinuousBernoulli(p), p given as ``probs`` (clamped away from 0 and 1) or
    ``logits``:

    p(x) = C(p) p^x (1 - p)^(1 - x) on [0, 1],   C(p) = 2 atanh(1 - 2p) / (1 - 2p)
    mean p / (2p - 1) + 1 / (2 atanh(1 - 2p)),  cdf (p^x (1-p)^(1-x) + p - 1) / (2p - 1).

    These formulas divide 0 by 0 at p = 1/2. Inside ``lims`` (around 1/2) every quantity
    uses its Taylor expansion in (p - 1/2) instead, and the exact formula is evaluated at
    the clamped p = lims[0] (``_cut_probs``) so that its unused branch stays finite (no NaN
    gradients through ``where``). Samples are ``icdf`` of ``rand`` draws."""

    arg_constraints = binary_constraints()
    support = constraints.unit_interval
    _mean_carrier_measure = 0
    has_rsample = True

    def __init__(self, probs=None, logits=None, lims: tuple = (0.499, 0.501),
                 validate_args: bool | None = None) -> None:
        name, given = probs_or_logits(probs, logits)
        (param,) = broadcast_all(given)
        if name == "probs":
            # checked before the clamp below, which would make any value pass
            if validate_args is not None and not self.arg_constraints["probs"].check(
                    param).all():
                raise ValueError("The parameter probs has invalid values")
            param = clamp_probs(param)
        batch_shape = self._keep(name, param)
        self._lims = lims
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_probs_or_logits(ContinuousBernoulli, batch_shape, _instance,
                                            keep=("_lims",))

    @lazy_property
    def probs(self) -> Tensor:
        return clamp_probs(logits_to_probs(self.logits, is_binary=True))

    def _outside_unstable_region(self) -> Tensor:
        p = self.probs
        return p.le(self._lims[0]).maximum(p.gt(self._lims[1]))

    def _cut_probs(self) -> Tensor:
        """p where the exact formulas are used, lims[0] elsewhere."""
        p = self.probs
        return where(self._outside_unstable_region(), p, self._lims[0] * p.new_ones(()))

    def _log_norm_terms(self, cut: Tensor) -> tuple:
        """log(1 - p) - log p, and log|1 - 2p| split by side of 1/2 (so that neither side's
        log sees a nonpositive number)."""
        below = where(cut.le(0.5), cut, cut.new_zeros(()))
        above = where(cut.ge(0.5), cut, cut.new_ones(()))
        log_gap = where(cut.le(0.5), (-2.0 * below).log1p(), (2.0 * above - 1.0).log())
        return (-cut).log1p() - cut.log(), log_gap

    def _cont_bern_log_norm(self) -> Tensor:
        """log C(p) = log|log(1-p) - log p| - log|1 - 2p|; near 1/2,
        log 2 + (4/3 + 104/45 y) y with y = (p - 1/2)^2."""
        log_odds_gap, log_gap = self._log_norm_terms(self._cut_probs())
        exact = log_odds_gap.abs().log() - log_gap
        y = (self.probs - 0.5).pow(2)
        taylor = math.log(2.0) + (4.0 / 3.0 + 104.0 / 45.0 * y) * y
        return where(self._outside_unstable_region(), exact, taylor)

    @property
    def mean(self) -> Tensor:
        """Near 1/2: 1/2 + (1/3 + 16/45 d^2) d, d = p - 1/2."""
        cut = self._cut_probs()
        exact = cut / (2.0 * cut - 1.0) + 1.0 / ((-cut).log1p() - cut.log())
        d = self.probs - 0.5
        taylor = 0.5 + (1.0 / 3.0 + 16.0 / 45.0 * d.pow(2)) * d
        return where(self._outside_unstable_region(), exact, taylor)

    @property
    def stddev(self) -> Tensor:
        return self.variance.sqrt()

    @property
    def variance(self) -> Tensor:
        """p (p - 1) / (1 - 2p)^2 + 1 / (log(1-p) - log p)^2; near 1/2,
        1/12 - (1/15 - 128/945 y) y with y = (p - 1/2)^2."""
        cut = self._cut_probs()
        exact = (cut * (cut - 1.0) / (1.0 - 2.0 * cut).pow(2)
                 + 1.0 / ((-cut).log1p() - cut.log()).pow(2))
        y = (self.probs - 0.5).pow(2)
        taylor = 1.0 / 12.0 - (1.0 / 15.0 - 128.0 / 945.0 * y) * y
        return where(self._outside_unstable_region(), exact, taylor)

    def sample(self, sample_shape=Size()) -> Tensor:
        u = rand(self._extended_shape(sample_shape), dtype=self.probs.dtype)
        with no_grad():
            return self.icdf(u)

    def rsample(self, sample_shape=Size()) -> Tensor:
        return self.icdf(rand(self._extended_shape(sample_shape), dtype=self.probs.dtype))

    def log_prob(self, value: Tensor) -> Tensor:
        value = self._validated(value)
        logits, x = broadcast_all(self.logits, value)
        return -_bce_logits(logits, x, reduction="none") + self._cont_bern_log_norm()

    def cdf(self, value: Tensor) -> Tensor:
        x = self._validated(value)
        cut = self._cut_probs()
        exact = (cut.pow(x) * (1.0 - cut).pow(1.0 - x) + cut - 1.0) / (2.0 * cut - 1.0)
        inside = where(self._outside_unstable_region(), exact, x)
        return where(x.le(0.0), x.new_zeros(()), where(x.ge(1.0), x.new_ones(()), inside))

    def icdf(self, value: Tensor) -> Tensor:
        cut = self._cut_probs()
        log1m = (-cut).log1p()
        exact = (((-cut) + value * (2.0 * cut - 1.0)).log1p() - log1m) / (cut.log() - log1m)
        return where(self._outside_unstable_region(), exact, value)

    def entropy(self) -> Tensor:
        log_p0, log_p1 = (-self.probs).log1p(), self.probs.log()
        return self.mean * (log_p0 - log_p1) - self._cont_bern_log_norm() - log_p0

    @property
    def _natural_params(self) -> tuple:
        return (self.logits,)

    def _log_normalizer(self, x: Tensor) -> Tensor:
        """log((e^x - 1) / x); near x = 0 (within ``lims`` - 1/2),
        x/2 + x^2/24 - x^4/2880."""
        lo, hi = self._lims[0] - 0.5, self._lims[1] - 0.5
        outside = x.le(lo).maximum(x.gt(hi))
        cut = where(outside, x, lo * x.new_ones(()))
        exact = cut.expm1().abs().log() - cut.abs().log()
        taylor = 0.5 * x + x.pow(2) / 24.0 - x.pow(4) / 2880.0
        return where(outside, exact, taylor)
