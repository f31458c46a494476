"""torch.distributions.InverseGamma: 1 / X for X ~ Gamma(concentration, rate)."""
from __future__ import annotations

import math

from .._ops import where
from .._tensor import Tensor
from . import constraints
from ._parameters import forwarded
from .gamma import Gamma
from .transformed_distribution import TransformedDistribution
from .transforms import PowerTransform

__all__ = ["InverseGamma"]


class InverseGamma(TransformedDistribution):
    """InverseGamma(alpha = ``concentration``, beta = ``rate``): density
    beta^alpha x^(-alpha-1) e^(-beta/x) / Gamma(alpha) on x > 0.

    mean beta / (alpha - 1) (inf for alpha <= 1),  mode beta / (alpha + 1),
    variance beta^2 / ((alpha - 1)^2 (alpha - 2)) (inf for alpha <= 2),
    entropy alpha + log beta + lgamma(alpha) - (1 + alpha) digamma(alpha).
    Samples are 1 / (torch's Gamma draws), through ``PowerTransform(-1)``."""

    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.positive
    has_rsample = True
    concentration = forwarded("base_dist", "concentration")
    rate = forwarded("base_dist", "rate")

    def __init__(self, concentration, rate, validate_args: bool | None = None) -> None:
        gamma = Gamma(concentration, rate, validate_args=validate_args)
        minus_one = -gamma.rate.new_ones(())
        super().__init__(gamma, PowerTransform(minus_one), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_via_parent(InverseGamma, batch_shape, _instance)

    @property
    def mean(self) -> Tensor:
        a = self.concentration
        return where(a > 1, self.rate / (a - 1), math.inf)

    @property
    def mode(self) -> Tensor:
        return self.rate / (self.concentration + 1)

    @property
    def variance(self) -> Tensor:
        a = self.concentration
        finite = self.rate.square() / ((a - 1).square() * (a - 2))
        return where(a > 2, finite, math.inf)

    def entropy(self) -> Tensor:
        a = self.concentration
        return a + self.rate.log() + a.lgamma() - (1 + a) * a.digamma()
