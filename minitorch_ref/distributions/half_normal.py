"""torch.distributions.HalfNormal: |X| for X ~ Normal(0, scale)."""
from __future__ import annotations

import math

from .._creation import zeros_like
from .._ops import where
from .._tensor import Tensor
from . import constraints
from ._parameters import forwarded
from .normal import Normal
from .transformed_distribution import TransformedDistribution
from .transforms import AbsTransform

__all__ = ["HalfNormal"]


class FoldedAtZero:
    """Mixin for |X| with X symmetric about 0 (``base_dist``): on x >= 0 the density is twice
    X's, the CDF 2 F(x) - 1, the quantile F^-1((u + 1) / 2), the entropy H(X) - log 2."""

    def _folded_log_prob(self, value: Tensor) -> Tensor:
        doubled = self.base_dist.log_prob(value) + math.log(2)
        return where(value >= 0, doubled, -math.inf)

    def log_prob(self, value: Tensor) -> Tensor:
        return self._folded_log_prob(self._validated(value))

    def cdf(self, value: Tensor) -> Tensor:
        return 2 * self.base_dist.cdf(self._validated(value)) - 1

    def icdf(self, prob: Tensor) -> Tensor:
        return self.base_dist.icdf((prob + 1) / 2)

    def entropy(self) -> Tensor:
        return self.base_dist.entropy() - math.log(2)


class HalfNormal(FoldedAtZero, TransformedDistribution):
    """HalfNormal(sigma = ``scale``): density sqrt(2/pi) / sigma exp(-x^2 / (2 sigma^2)) on
    x >= 0;  mean sigma sqrt(2/pi),  variance sigma^2 (1 - 2/pi),  mode 0. Samples are the
    absolute values of the Normal's."""

    arg_constraints = {"scale": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True
    scale = forwarded("base_dist", "scale")

    def __init__(self, scale, validate_args: bool | None = None) -> None:
        super().__init__(Normal(0, scale, validate_args=False), AbsTransform(),
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_via_parent(HalfNormal, batch_shape, _instance)

    @property
    def mean(self) -> Tensor:
        return self.scale * math.sqrt(2 / math.pi)

    @property
    def mode(self) -> Tensor:
        return zeros_like(self.scale)

    @property
    def variance(self) -> Tensor:
        return self.scale.pow(2) * (1 - 2 / math.pi)
