"""torch.distributions.Kumaraswamy: a Beta-like distribution on [0, 1] with a closed-form
CDF."""
from __future__ import annotations

import math

from .._creation import full_like
from .._tensor import Tensor
from . import constraints
from ._parameters import broadcast_params
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, PowerTransform
from .uniform import Uniform
from .utils import euler_constant

__all__ = ["Kumaraswamy"]


def _moment(a: Tensor, b: Tensor, n: int) -> Tensor:
    """E[X^n] = b B(1 + n/a, b), the Beta function through log-gammas."""
    shifted = 1 + n / a
    return b * (shifted.lgamma() + b.lgamma() - (shifted + b).lgamma()).exp()


class Kumaraswamy(TransformedDistribution):
    """Kumaraswamy(a = ``concentration1``, b = ``concentration0``): density
    a b x^(a-1) (1 - x^a)^(b-1) on [0, 1], cdf 1 - (1 - x^a)^b, so that
    X = (1 - (1 - U)^(1/b))^(1/a) for U uniform: the transforms torch applies to ``rand``.

    mode ((a - 1) / (a b - 1))^(1/a) (NaN where a < 1 or b < 1),
    entropy (1 - 1/b) + (1 - 1/a) (digamma(b + 1) + gamma) - log a - log b."""

    arg_constraints = {"concentration1": constraints.positive,
                       "concentration0": constraints.positive}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1, concentration0, validate_args: bool | None = None) -> None:
        broadcast_params(self, concentration1=concentration1, concentration0=concentration0)
        b = self.concentration0
        unit = Uniform(full_like(b, 0), full_like(b, 1), validate_args=validate_args)
        steps = [PowerTransform(exponent=b.reciprocal()), AffineTransform(loc=1.0, scale=-1.0),
                 PowerTransform(exponent=self.concentration1.reciprocal())]
        super().__init__(unit, steps, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_via_parent(Kumaraswamy, batch_shape, _instance,
                                       ("concentration1", "concentration0"))

    @property
    def mean(self) -> Tensor:
        return _moment(self.concentration1, self.concentration0, 1)

    @property
    def mode(self) -> Tensor:
        a, b = self.concentration1, self.concentration0
        log_mode = b.reciprocal() * (-b).log1p() - (-b * a).log1p()
        log_mode[(b < 1) | (a < 1)] = math.nan
        return log_mode.exp()

    @property
    def variance(self) -> Tensor:
        return _moment(self.concentration1, self.concentration0, 2) - self.mean.pow(2)

    def entropy(self) -> Tensor:
        a, b = self.concentration1, self.concentration0
        harmonic = (b + 1).digamma() + euler_constant
        return (1 - b.reciprocal()) + (1 - a.reciprocal()) * harmonic - a.log() - b.log()
