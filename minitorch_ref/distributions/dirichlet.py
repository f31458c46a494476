"""torch.distributions.Dirichlet: distributions over the probability simplex."""
from __future__ import annotations

from .._ops import xlogy
from .._tensor import Tensor
from ..nn.functional import one_hot
from . import constraints
from ._gamma import _sample_dirichlet
from .exp_family import ExponentialFamily

__all__ = ["Dirichlet"]


class Dirichlet(ExponentialFamily):
    """Dirichlet(alpha = ``concentration``), alpha's last dimension the event (K).

    log p(x) = sum (alpha_i - 1) log x_i + lgamma(a0) - sum lgamma(alpha_i),  a0 = sum alpha
    mean alpha / a0,  variance alpha (a0 - alpha) / (a0^2 (a0 + 1))
    entropy sum lgamma(alpha_i) - lgamma(a0) - (K - a0) digamma(a0)
            - sum (alpha_i - 1) digamma(alpha_i)

    ``rsample`` normalizes Gamma draws as torch's CPU kernel does (the same stream) with
    torch's reparameterized gradient (``_gamma.py``)."""

    arg_constraints = {"concentration": constraints.independent(constraints.positive, 1)}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, concentration: Tensor, validate_args: bool | None = None) -> None:
        if concentration.dim() < 1:
            raise ValueError("`concentration` parameter must be at least one-dimensional.")
        self.concentration = concentration
        super().__init__(concentration.shape[:-1], concentration.shape[-1:],
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_params(Dirichlet, batch_shape, _instance, ("concentration",))

    def rsample(self, sample_shape=()) -> Tensor:
        return _sample_dirichlet(self.concentration.expand(self._extended_shape(sample_shape)))

    def log_prob(self, value: Tensor) -> Tensor:
        x, alpha = self._validated(value), self.concentration
        return (xlogy(alpha - 1.0, x).sum(-1) + alpha.sum(-1).lgamma()
                - alpha.lgamma().sum(-1))

    @property
    def mean(self) -> Tensor:
        return self.concentration / self.concentration.sum(-1, True)

    @property
    def mode(self) -> Tensor:
        """(alpha - 1)^+ normalized; where every alpha < 1, the vertex of the largest."""
        excess = (self.concentration - 1).clamp(min=0.0)
        mode = excess / excess.sum(-1, True)
        all_below_one = (self.concentration < 1).all(dim=-1)
        vertex = one_hot(mode[all_below_one].argmax(dim=-1), excess.shape[-1])
        mode[all_below_one] = vertex.to(mode)
        return mode

    @property
    def variance(self) -> Tensor:
        alpha = self.concentration
        a0 = alpha.sum(-1, True)
        return alpha * (a0 - alpha) / (a0.pow(2) * (a0 + 1))

    def entropy(self) -> Tensor:
        alpha = self.concentration
        k, a0 = alpha.size(-1), alpha.sum(-1)
        return (alpha.lgamma().sum(-1) - a0.lgamma() - (k - a0) * a0.digamma()
                - ((alpha - 1.0) * alpha.digamma()).sum(-1))

    @property
    def _natural_params(self) -> tuple:
        return (self.concentration,)

    def _log_normalizer(self, x: Tensor) -> Tensor:
        return x.lgamma().sum(-1) - x.sum(-1).lgamma()
