"""torch.distributions.HalfCauchy: |X| for X ~ Cauchy(0, scale)."""
from __future__ import annotations

import math

from .._creation import as_tensor, full, zeros_like
from .._tensor import Tensor
from . import constraints
from ._parameters import forwarded
from .cauchy import Cauchy
from .half_normal import FoldedAtZero
from .transformed_distribution import TransformedDistribution
from .transforms import AbsTransform

__all__ = ["HalfCauchy"]


class HalfCauchy(FoldedAtZero, TransformedDistribution):
    """HalfCauchy(gamma = ``scale``): density 2 / (pi gamma (1 + (x / gamma)^2)) on x >= 0;
    infinite mean and variance, mode 0. Samples are the absolute values of the Cauchy's."""

    arg_constraints = {"scale": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True
    scale = forwarded("base_dist", "scale")

    def __init__(self, scale, validate_args: bool | None = None) -> None:
        super().__init__(Cauchy(0, scale, validate_args=False), AbsTransform(),
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_via_parent(HalfCauchy, batch_shape, _instance)

    @property
    def mean(self) -> Tensor:
        return full(self._extended_shape(), math.inf, dtype=self.scale.dtype)

    @property
    def mode(self) -> Tensor:
        return zeros_like(self.scale)

    @property
    def variance(self) -> Tensor:
        return self.base_dist.variance

    def log_prob(self, value: Tensor) -> Tensor:
        # unlike HalfNormal's, the value is first cast to the scale's dtype (torch's choice)
        x = as_tensor(self._validated(value), dtype=self.scale.dtype)
        return self._folded_log_prob(x)
