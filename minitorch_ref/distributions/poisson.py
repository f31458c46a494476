"""torch.distributions.Poisson: event counts at a constant rate."""
from __future__ import annotations

from .._random_counts import poisson
from .._tensor import Size, Tensor
from ..autograd.grad_mode import no_grad
from . import constraints
from ._parameters import broadcast_params
from .exp_family import ExponentialFamily
from .utils import broadcast_all

__all__ = ["Poisson"]


class Poisson(ExponentialFamily):
    """Poisson(lambda = ``rate``):  P(k) = lambda^k e^(-lambda) / k!,  k = 0, 1, ...

    log P(k) = xlogy(k, lambda) - lambda - lgamma(k + 1)  (0 log 0 = 0 at lambda = 0)
    mean = variance = lambda,  mode floor(lambda);  natural parameter log lambda,
    log-normalizer e^t.

    ``sample`` is ``poisson(rate)`` on the rate expanded to the sample's shape (torch's CPU
    sampler, element by element from the same stream)."""

    arg_constraints = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer

    def __init__(self, rate, validate_args: bool | None = None) -> None:
        super().__init__(broadcast_params(self, rate=rate), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_params(Poisson, batch_shape, _instance, ("rate",))

    @property
    def mean(self) -> Tensor:
        return self.rate

    @property
    def mode(self) -> Tensor:
        return self.rate.floor()

    @property
    def variance(self) -> Tensor:
        return self.rate

    def sample(self, sample_shape=Size()) -> Tensor:
        with no_grad():
            return poisson(self.rate.expand(self._extended_shape(sample_shape)))

    def log_prob(self, value: Tensor) -> Tensor:
        lam, k = broadcast_all(self.rate, self._validated(value))
        return k.xlogy(lam) - lam - (k + 1).lgamma()

    @property
    def _natural_params(self) -> tuple:
        return (self.rate.log(),)

    def _log_normalizer(self, x: Tensor) -> Tensor:
        return x.exp()
