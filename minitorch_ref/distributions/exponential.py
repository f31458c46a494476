"""torch.distributions.Exponential: waiting times of a Poisson process."""
from __future__ import annotations

from .._creation import empty, zeros_like
from .._tensor import Size, Tensor
from . import constraints
from ._parameters import broadcast_params
from .exp_family import ExponentialFamily

__all__ = ["Exponential"]


class Exponential(ExponentialFamily):
    """Exponential(lambda = ``rate``): density lambda e^(-lambda x) on x >= 0.

    mean = stddev = 1/lambda,  mode 0,  cdf 1 - e^(-lambda x),  icdf -log1p(-u) / lambda,
    entropy 1 - log lambda;  natural parameter -lambda, log-normalizer -log(-t).

    ``rsample`` divides ``exponential_()`` draws (torch's) by the rate."""

    arg_constraints = {"rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True
    _mean_carrier_measure = 0

    def __init__(self, rate, validate_args: bool | None = None) -> None:
        super().__init__(broadcast_params(self, rate=rate), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_params(Exponential, batch_shape, _instance, ("rate",))

    @property
    def mean(self) -> Tensor:
        return self.rate.reciprocal()

    @property
    def mode(self) -> Tensor:
        return zeros_like(self.rate)

    stddev = mean  # 1 / rate, as the mean

    @property
    def variance(self) -> Tensor:
        return self.rate.pow(-2)

    def rsample(self, sample_shape=Size()) -> Tensor:
        draws = empty(self._extended_shape(sample_shape), dtype=self.rate.dtype)
        return draws.exponential_() / self.rate

    def log_prob(self, value: Tensor) -> Tensor:
        x = self._validated(value)
        return self.rate.log() - self.rate * x

    def cdf(self, value: Tensor) -> Tensor:
        x = self._validated(value)
        return 1 - (-self.rate * x).exp()

    def icdf(self, value: Tensor) -> Tensor:
        return -(-value).log1p() / self.rate

    def entropy(self) -> Tensor:
        return 1.0 - self.rate.log()

    @property
    def _natural_params(self) -> tuple:
        return (-self.rate,)

    def _log_normalizer(self, x: Tensor) -> Tensor:
        return -(-x).log()
