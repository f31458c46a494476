"""torch.distributions.Uniform: the continuous uniform distribution on [low, high)."""
from __future__ import annotations

import math

from .._tensor import Size, Tensor
from ..random import rand
from . import constraints
from ._parameters import broadcast_params
from .distribution import Distribution

__all__ = ["Uniform"]


class Uniform(Distribution):
    """Uniform(a = ``low``, b = ``high``): density 1 / (b - a) on [a, b).

    mean (a + b) / 2,  variance (b - a)^2 / 12,  entropy log(b - a),  no single mode (NaN)
    cdf (x - a) / (b - a) clamped to [0, 1],  icdf a + u (b - a).

    ``rsample`` is a + u (b - a) with u from ``rand`` (torch's draws)."""

    has_rsample = True

    def __init__(self, low, high, validate_args: bool | None = None) -> None:
        batch_shape = broadcast_params(self, low=low, high=high)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_params(Uniform, batch_shape, _instance, ("low", "high"))

    @property
    def arg_constraints(self) -> dict:
        # each bound is constrained by the other
        return {"low": constraints.less_than(self.high),
                "high": constraints.greater_than(self.low)}

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self):
        return constraints.interval(self.low, self.high)

    @property
    def mean(self) -> Tensor:
        return (self.high + self.low) / 2

    @property
    def mode(self) -> Tensor:
        return math.nan * self.high

    @property
    def stddev(self) -> Tensor:
        return (self.high - self.low) / 12 ** 0.5

    @property
    def variance(self) -> Tensor:
        return (self.high - self.low).pow(2) / 12

    def rsample(self, sample_shape=Size()) -> Tensor:
        u = rand(self._extended_shape(sample_shape), dtype=self.low.dtype,
                 device=self.low.device)
        return self.low + u * (self.high - self.low)

    def log_prob(self, value: Tensor) -> Tensor:
        """-log(b - a) inside [a, b); log 0 = -inf outside."""
        x = self._validated(value)
        inside = self.low.le(x).type_as(self.low).mul(self.high.gt(x).type_as(self.low))
        return inside.log() - (self.high - self.low).log()

    def cdf(self, value: Tensor) -> Tensor:
        share = (self._validated(value) - self.low) / (self.high - self.low)
        return share.clamp(min=0, max=1)

    def icdf(self, value: Tensor) -> Tensor:
        return value * (self.high - self.low) + self.low

    def entropy(self) -> Tensor:
        return (self.high - self.low).log()
