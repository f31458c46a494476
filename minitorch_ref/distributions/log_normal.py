"""torch.distributions.LogNormal: exp of a Normal."""
from __future__ import annotations

from .._tensor import Tensor
from . import constraints
from ._parameters import forwarded, loc_scale_constraints
from .normal import Normal
from .transformed_distribution import TransformedDistribution
from .transforms import ExpTransform

__all__ = ["LogNormal"]


class LogNormal(TransformedDistribution):
    """X = e^Y, Y ~ Normal(mu = ``loc``, sigma = ``scale``).

    mean e^(mu + sigma^2/2),  mode e^(mu - sigma^2),  variance (e^(sigma^2) - 1)
    e^(2 mu + sigma^2),  entropy H(Y) + mu. Samples are exp of the Normal's draws."""

    arg_constraints = loc_scale_constraints()
    support = constraints.positive
    has_rsample = True
    loc = forwarded("base_dist", "loc")
    scale = forwarded("base_dist", "scale")

    def __init__(self, loc, scale, validate_args: bool | None = None) -> None:
        super().__init__(Normal(loc, scale, validate_args=validate_args), ExpTransform(),
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_via_parent(LogNormal, batch_shape, _instance)

    @property
    def mean(self) -> Tensor:
        return (self.loc + self.scale.pow(2) / 2).exp()

    @property
    def mode(self) -> Tensor:
        return (self.loc - self.scale.square()).exp()

    @property
    def variance(self) -> Tensor:
        s2 = self.scale.pow(2)
        return s2.expm1() * (2 * self.loc + s2).exp()

    def entropy(self) -> Tensor:
        return self.base_dist.entropy() + self.loc
