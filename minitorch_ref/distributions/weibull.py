"""torch.distributions.Weibull: a power of an Exponential(1), scaled."""
from __future__ import annotations

from .._creation import ones_like
from .._tensor import Tensor
from . import constraints
from ._parameters import broadcast_params
from .exponential import Exponential
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, PowerTransform
from .utils import euler_constant

__all__ = ["Weibull"]


def _weibull_transforms(scale: Tensor, k_reciprocal: Tensor) -> list:
    """E ~ Exponential(1) to lambda E^(1/k)."""
    return [PowerTransform(exponent=k_reciprocal), AffineTransform(loc=0, scale=scale)]


class Weibull(TransformedDistribution):
    """Weibull(lambda = ``scale``, k = ``concentration``): density
    (k / lambda) (x / lambda)^(k-1) e^(-(x / lambda)^k) on x > 0.

    mean lambda Gamma(1 + 1/k),  variance lambda^2 (Gamma(1 + 2/k) - Gamma(1 + 1/k)^2),
    mode lambda ((k - 1) / k)^(1/k),  entropy gamma (1 - 1/k) + log(lambda / k) + 1.
    Samples are the Exponential(1)'s draws, transformed as torch's."""

    arg_constraints = {"scale": constraints.positive, "concentration": constraints.positive}
    support = constraints.positive

    def __init__(self, scale, concentration, validate_args: bool | None = None) -> None:
        broadcast_params(self, scale=scale, concentration=concentration)
        self.concentration_reciprocal = self.concentration.reciprocal()
        unit_rate = Exponential(ones_like(self.scale), validate_args=validate_args)
        super().__init__(unit_rate,
                         _weibull_transforms(self.scale, self.concentration_reciprocal),
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Weibull, _instance)
        new.scale = self.scale.expand(batch_shape)
        new.concentration = self.concentration.expand(batch_shape)
        new.concentration_reciprocal = new.concentration.reciprocal()
        TransformedDistribution.__init__(
            new, self.base_dist.expand(batch_shape),
            _weibull_transforms(new.scale, new.concentration_reciprocal), validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        return self.scale * (1 + self.concentration_reciprocal).lgamma().exp()

    @property
    def mode(self) -> Tensor:
        k = self.concentration
        return self.scale * ((k - 1) / k) ** k.reciprocal()

    @property
    def variance(self) -> Tensor:
        inv_k = self.concentration_reciprocal
        return self.scale.pow(2) * ((1 + 2 * inv_k).lgamma().exp()
                                    - (2 * (1 + inv_k).lgamma()).exp())

    def entropy(self) -> Tensor:
        inv_k = self.concentration_reciprocal
        return euler_constant * (1 - inv_k) + (self.scale * inv_k).log() + 1
