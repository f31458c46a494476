"""torch.distributions.Normal: the Gaussian N(loc, scale^2)."""
from __future__ import annotations

import math

from .._ops import erf, erfinv
from .._tensor import Size, Tensor
from ..autograd.grad_mode import no_grad
from ..random import normal
from . import constraints
from ._parameters import broadcast_params, loc_scale_constraints
from .exp_family import ExponentialFamily
from .utils import _Number, _standard_normal

__all__ = ["Normal"]

_LOG_SQRT_2PI = math.log(math.sqrt(2 * math.pi))


class Normal(ExponentialFamily):
    """Normal(mu = ``loc``, sigma = ``scale``).

    log p(x) = -(x - mu)^2 / (2 sigma^2) - log sigma - log sqrt(2 pi)
    cdf (1 + erf((x - mu) / (sigma sqrt 2))) / 2,  icdf mu + sigma sqrt 2 erfinv(2u - 1)
    entropy 1/2 + log(2 pi)/2 + log sigma.
    Natural parameters (mu / sigma^2, -1 / (2 sigma^2)), log-normalizer
    -x^2 / (4y) + log(-pi / y) / 2.

    ``sample`` is ``normal(loc, scale)`` on both expanded to the sample's shape; ``rsample``
    draws eps with ``normal_`` and returns loc + eps scale: torch's draws either way."""

    arg_constraints = loc_scale_constraints()
    support = constraints.real
    has_rsample = True
    _mean_carrier_measure = 0

    def __init__(self, loc, scale, validate_args: bool | None = None) -> None:
        batch_shape = broadcast_params(self, loc=loc, scale=scale)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_params(Normal, batch_shape, _instance, ("loc", "scale"))

    @property
    def mean(self) -> Tensor:
        return self.loc

    mode = mean  # symmetric and unimodal about loc

    @property
    def stddev(self) -> Tensor:
        return self.scale

    @property
    def variance(self) -> Tensor:
        return self.stddev.pow(2)

    def sample(self, sample_shape=Size()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        with no_grad():
            return normal(self.loc.expand(shape), self.scale.expand(shape))

    def rsample(self, sample_shape=Size()) -> Tensor:
        eps = _standard_normal(self._extended_shape(sample_shape), dtype=self.loc.dtype,
                               device=self.loc.device)
        return self.loc + eps * self.scale

    def log_prob(self, value: Tensor) -> Tensor:
        x = self._validated(value)
        sigma = self.scale
        log_sigma = math.log(sigma) if isinstance(sigma, _Number) else sigma.log()
        return -((x - self.loc) ** 2) / (2 * sigma ** 2) - log_sigma - _LOG_SQRT_2PI

    def cdf(self, value: Tensor) -> Tensor:
        z = (self._validated(value) - self.loc) * self.scale.reciprocal()
        return 0.5 * (1 + erf(z / math.sqrt(2)))

    def icdf(self, value: Tensor) -> Tensor:
        return self.loc + self.scale * erfinv(2 * value - 1) * math.sqrt(2)

    def entropy(self) -> Tensor:
        return 0.5 + 0.5 * math.log(2 * math.pi) + self.scale.log()

    @property
    def _natural_params(self) -> tuple:
        precision = self.scale.pow(2).reciprocal()
        return (self.loc / self.scale.pow(2), -0.5 * precision)

    def _log_normalizer(self, x: Tensor, y: Tensor) -> Tensor:
        return -0.25 * x.pow(2) / y + 0.5 * (-math.pi / y).log()
