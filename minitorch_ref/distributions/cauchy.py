"""torch.distributions.Cauchy: the Lorentz distribution."""
from __future__ import annotations

import math

from .._creation import empty, full
from .._tensor import Size, Tensor
from . import constraints
from ._parameters import broadcast_params, loc_scale_constraints
from .distribution import Distribution

__all__ = ["Cauchy"]


class Cauchy(Distribution):
    """Cauchy(x0 = ``loc``, gamma = ``scale``), median x0 and half width at half maximum
    gamma: density 1 / (pi gamma (1 + z^2)), z = (x - x0) / gamma.

    cdf atan(z) / pi + 1/2,  icdf x0 + gamma tan(pi (u - 1/2)),  entropy log(4 pi gamma);
    the mean is undefined (NaN), the variance infinite.

    ``rsample`` is x0 + gamma eps with eps from ``cauchy_()`` (torch's draws)."""

    arg_constraints = loc_scale_constraints()
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args: bool | None = None) -> None:
        batch_shape = broadcast_params(self, loc=loc, scale=scale)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_params(Cauchy, batch_shape, _instance, ("loc", "scale"))

    @property
    def mean(self) -> Tensor:
        return full(self._extended_shape(), math.nan, dtype=self.loc.dtype)

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        return full(self._extended_shape(), math.inf, dtype=self.loc.dtype)

    def rsample(self, sample_shape=Size()) -> Tensor:
        eps = empty(self._extended_shape(sample_shape), dtype=self.loc.dtype).cauchy_()
        return self.loc + eps * self.scale

    def log_prob(self, value: Tensor) -> Tensor:
        z = (self._validated(value) - self.loc) / self.scale
        return -math.log(math.pi) - self.scale.log() - (z ** 2).log1p()

    def cdf(self, value: Tensor) -> Tensor:
        z = (self._validated(value) - self.loc) / self.scale
        return z.atan() / math.pi + 0.5

    def icdf(self, value: Tensor) -> Tensor:
        return (math.pi * (value - 0.5)).tan() * self.scale + self.loc

    def entropy(self) -> Tensor:
        return math.log(4 * math.pi) + self.scale.log()
