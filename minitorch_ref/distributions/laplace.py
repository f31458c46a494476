"""torch.distributions.Laplace: the double exponential distribution."""
from __future__ import annotations

from .._creation import empty
from .._dtype import finfo
from .._tensor import Size, Tensor
from . import constraints
from ._parameters import broadcast_params, loc_scale_constraints
from .distribution import Distribution

__all__ = ["Laplace"]


class Laplace(Distribution):
    """Laplace(mu = ``loc``, b = ``scale``): density exp(-|x - mu| / b) / (2b).

    mean = mode = mu,  variance 2 b^2,  entropy 1 + log 2b
    cdf 1/2 - sign(x - mu) expm1(-|x - mu| / b) / 2,  icdf mu - b sign(d) log1p(-2|d|),
    d = u - 1/2.

    ``rsample`` draws u with ``uniform_(eps - 1, 1)`` (torch's draws) and returns
    mu - b sign(u) log1p(-|u|)."""

    arg_constraints = loc_scale_constraints()
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args: bool | None = None) -> None:
        batch_shape = broadcast_params(self, loc=loc, scale=scale)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_params(Laplace, batch_shape, _instance, ("loc", "scale"))

    @property
    def mean(self) -> Tensor:
        return self.loc

    mode = mean  # symmetric and unimodal about loc

    @property
    def variance(self) -> Tensor:
        return 2 * self.scale.pow(2)

    @property
    def stddev(self) -> Tensor:
        return (2 ** 0.5) * self.scale

    def rsample(self, sample_shape=Size()) -> Tensor:
        dtype = self.loc.dtype
        u = empty(self._extended_shape(sample_shape), dtype=dtype).uniform_(
            finfo(dtype).eps - 1, 1)
        return self.loc - self.scale * u.sign() * (-u.abs()).log1p()

    def log_prob(self, value: Tensor) -> Tensor:
        x = self._validated(value)
        return -(2 * self.scale).log() - (x - self.loc).abs() / self.scale

    def cdf(self, value: Tensor) -> Tensor:
        d = self._validated(value) - self.loc
        return 0.5 - 0.5 * d.sign() * (-d.abs() / self.scale).expm1()

    def icdf(self, value: Tensor) -> Tensor:
        d = value - 0.5
        return self.loc - self.scale * d.sign() * (-2 * d.abs()).log1p()

    def entropy(self) -> Tensor:
        return 1 + (2 * self.scale).log()
