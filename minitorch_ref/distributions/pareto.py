"""torch.distributions.Pareto: the Pareto type I distribution."""
from __future__ import annotations

from .._tensor import Tensor
from . import constraints
from ._parameters import broadcast_params
from .exponential import Exponential
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, ExpTransform

__all__ = ["Pareto"]


class Pareto(TransformedDistribution):
    """Pareto(x_m = ``scale``, alpha): density alpha x_m^alpha / x^(alpha + 1) on x >= x_m;
    X = x_m e^E with E ~ Exponential(alpha) (torch's draws).

    mean alpha x_m / (alpha - 1) (inf for alpha <= 1),  mode x_m,
    variance x_m^2 alpha / ((alpha - 1)^2 (alpha - 2)) (inf for alpha <= 2),
    entropy log(x_m / alpha) + 1 + 1/alpha."""

    arg_constraints = {"alpha": constraints.positive, "scale": constraints.positive}

    def __init__(self, scale, alpha, validate_args: bool | None = None) -> None:
        broadcast_params(self, scale=scale, alpha=alpha)
        steps = [ExpTransform(), AffineTransform(loc=0, scale=self.scale)]
        super().__init__(Exponential(self.alpha, validate_args=validate_args), steps,
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_via_parent(Pareto, batch_shape, _instance, ("scale", "alpha"))

    @property
    def mean(self) -> Tensor:
        a = self.alpha.clamp(min=1)  # alpha <= 1: a - 1 = 0 and the mean is inf
        return a * self.scale / (a - 1)

    @property
    def mode(self) -> Tensor:
        return self.scale

    @property
    def variance(self) -> Tensor:
        a = self.alpha.clamp(min=2)  # alpha <= 2: inf
        return self.scale.pow(2) * a / ((a - 1).pow(2) * (a - 2))

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self):
        return constraints.greater_than_eq(self.scale)

    def entropy(self) -> Tensor:
        return (self.scale / self.alpha).log() + (1 + self.alpha.reciprocal())
