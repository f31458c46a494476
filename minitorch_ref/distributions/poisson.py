"""torch.distributions.Poisson: counts with P(k) = rate^k exp(-rate) / k!."""
from __future__ import annotations

import minitorch_ref as torch
from .._missing import missing_feature
from .._tensor import Size, Tensor
from . import constraints
from .exp_family import ExponentialFamily
from .utils import _Number, broadcast_all

__all__ = ["Poisson"]


class Poisson(ExponentialFamily):
    """Poisson(rate).  log P(k) = k log rate - rate - log k!  (xlogy: 0 log 0 = 0).

    ``sample`` needs ``torch.poisson``, which minitorch_ref does not provide (torch's CPU
    sampler is a transformed-rejection algorithm whose stream is not reproduced here); it
    raises a NotImplementedError naming it."""

    arg_constraints = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer

    @property
    def mean(self) -> Tensor:
        return self.rate

    @property
    def mode(self) -> Tensor:
        return self.rate.floor()

    @property
    def variance(self) -> Tensor:
        return self.rate

    def __init__(self, rate, validate_args: bool | None = None) -> None:
        (self.rate,) = broadcast_all(rate)
        batch_shape = Size() if isinstance(rate, _Number) else self.rate.size()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Poisson, _instance)
        batch_shape = Size(batch_shape)
        new.rate = self.rate.expand(batch_shape)
        super(Poisson, new).__init__(batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def sample(self, sample_shape=Size()) -> Tensor:
        raise missing_feature(
            "torch.poisson", "Poisson.sample needs torch.poisson, which minitorch_ref does not "
            "implement: torch's CPU Poisson sampler (transformed rejection) is not reproduced")

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        rate, value = broadcast_all(self.rate, value)
        return value.xlogy(rate) - rate - (value + 1).lgamma()

    @property
    def _natural_params(self) -> tuple:
        return (torch.log(self.rate),)

    def _log_normalizer(self, x):
        return torch.exp(x)
