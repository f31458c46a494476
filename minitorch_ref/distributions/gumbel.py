"""torch.distributions.Gumbel: the type-I extreme value distribution."""
from __future__ import annotations

import math

from .._creation import full_like, ones_like
from .._dtype import finfo
from .._tensor import Tensor
from . import constraints
from ._parameters import broadcast_params, loc_scale_constraints
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, ExpTransform
from .uniform import Uniform
from .utils import euler_constant

__all__ = ["Gumbel"]


class Gumbel(TransformedDistribution):
    """Gumbel(mu = ``loc``, beta = ``scale``):  X = mu - beta log(-log U),
    U ~ Uniform(tiny, 1 - eps), built from the same four transforms as torch's (log,
    negation, log, affine) so that the draws and the rounding agree.

    log p(x) = z - e^z - log beta,  z = (mu - x) / beta
    mean mu + beta gamma (Euler's constant),  variance (pi beta)^2 / 6,
    entropy log beta + 1 + gamma."""

    arg_constraints = loc_scale_constraints()
    support = constraints.real

    def __init__(self, loc, scale, validate_args: bool | None = None) -> None:
        broadcast_params(self, loc=loc, scale=scale)
        bounds = finfo(self.loc.dtype)
        unit = Uniform(full_like(self.loc, bounds.tiny), full_like(self.loc, 1 - bounds.eps),
                       validate_args=validate_args)
        log = ExpTransform().inv
        steps = [log, AffineTransform(loc=0, scale=-ones_like(self.scale)), log,
                 AffineTransform(loc=loc, scale=-self.scale)]
        super().__init__(unit, steps, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_via_parent(Gumbel, batch_shape, _instance, ("loc", "scale"))

    def log_prob(self, value: Tensor) -> Tensor:
        z = (self.loc - self._validated(value)) / self.scale
        return z - z.exp() - self.scale.log()

    @property
    def mean(self) -> Tensor:
        return self.loc + self.scale * euler_constant

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def stddev(self) -> Tensor:
        return (math.pi / math.sqrt(6)) * self.scale

    @property
    def variance(self) -> Tensor:
        return self.stddev.pow(2)

    def entropy(self) -> Tensor:
        return self.scale.log() + (1 + euler_constant)
