"""torch.distributions.NegativeBinomial: failures seen before the ``total_count``-th
success."""
from __future__ import annotations

from .._random_counts import poisson
from .._tensor import Size, Tensor
from ..autograd.grad_mode import no_grad
from ..nn.functional import logsigmoid
from . import constraints
from ._parameters import ProbsOrLogits
from .binomial import _count_and_probs
from .distribution import Distribution
from .gamma import Gamma
from .utils import lazy_property

__all__ = ["NegativeBinomial"]


class NegativeBinomial(ProbsOrLogits, Distribution):
    """NegativeBinomial(r = ``total_count``, p), p (``probs``, or ``logits`` l) the
    probability of each failure counted.

    P(k) = Gamma(k + r) / (k! Gamma(r)) p^k (1 - p)^r
    log P(k) = r logsigmoid(-l) + k logsigmoid(l) + lgamma(r + k) - lgamma(k + 1) - lgamma(r)
    (and P(0) = 1 when r = 0)
    mean r e^l,  variance mean / (1 - p),  mode floor((r - 1) e^l) (0 at least).

    ``sample`` draws the Gamma-Poisson mixture as torch: poisson(Gamma(r, e^-l)), the Gamma
    made without validation."""

    arg_constraints = {"total_count": constraints.greater_than_eq(0),
                       "probs": constraints.half_open_interval(0.0, 1.0),
                       "logits": constraints.real}
    support = constraints.nonnegative_integer

    def __init__(self, total_count, probs: Tensor | None = None, logits: Tensor | None = None,
                 validate_args: bool | None = None) -> None:
        batch_shape = _count_and_probs(self, total_count, probs, logits)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_probs_or_logits(NegativeBinomial, batch_shape, _instance,
                                            ("total_count",))

    @property
    def mean(self) -> Tensor:
        return self.total_count * self.logits.exp()

    @property
    def mode(self) -> Tensor:
        return ((self.total_count - 1) * self.logits.exp()).floor().clamp(min=0.0)

    @property
    def variance(self) -> Tensor:
        return self.mean / (-self.logits).sigmoid()

    @lazy_property
    def _gamma(self) -> Gamma:
        return Gamma(concentration=self.total_count, rate=(-self.logits).exp(),
                     validate_args=False)

    def sample(self, sample_shape=Size()) -> Tensor:
        with no_grad():
            return poisson(self._gamma.sample(sample_shape=sample_shape))

    def log_prob(self, value: Tensor) -> Tensor:
        k, r, lg = self._validated(value), self.total_count, self.logits
        unnormalized = r * logsigmoid(-lg) + k * logsigmoid(lg)
        log_norm = -(r + k).lgamma() + (1.0 + k).lgamma() + r.lgamma()
        # r = k = 0 is the certain event: its normalizer is 1, not lgamma(0)'s inf
        return unnormalized - log_norm.masked_fill(r + k == 0.0, 0.0)
