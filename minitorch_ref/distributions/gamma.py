"""torch.distributions.Gamma: the Gamma distribution, shape and rate."""
from __future__ import annotations

from .._creation import as_tensor
from .._dtype import finfo
from .._missing import missing_feature
from .._ops import xlogy
from .._tensor import Size, Tensor
from . import constraints
from ._gamma import _standard_gamma
from ._parameters import broadcast_params
from .exp_family import ExponentialFamily

__all__ = ["Gamma"]


class Gamma(ExponentialFamily):
    """Gamma(alpha = ``concentration``, beta = ``rate``): density
    beta^alpha x^(alpha - 1) e^(-beta x) / Gamma(alpha) on x >= 0.

    log p(x) = xlogy(alpha, beta) + xlogy(alpha - 1, x) - beta x - lgamma(alpha)
    mean alpha / beta,  variance alpha / beta^2,  mode max((alpha - 1) / beta, 0)
    entropy alpha - log beta + lgamma(alpha) + (1 - alpha) digamma(alpha)
    Natural parameters (alpha - 1, -beta); log-normalizer lgamma(s + 1) + (s + 1) log(-1/t).

    ``rsample`` draws Gamma(alpha, 1) as torch's CPU kernel does (``_gamma.py``: the same
    stream, bit for bit), with torch's reparameterized gradient in alpha, and divides by
    beta; draws that round to 0 are raised to the smallest normal float, outside autograd."""

    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True
    _mean_carrier_measure = 0

    def __init__(self, concentration, rate, validate_args: bool | None = None) -> None:
        batch_shape = broadcast_params(self, concentration=concentration, rate=rate)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_params(Gamma, batch_shape, _instance, ("concentration", "rate"))

    @property
    def mean(self) -> Tensor:
        return self.concentration / self.rate

    @property
    def mode(self) -> Tensor:
        return ((self.concentration - 1) / self.rate).clamp(min=0)

    @property
    def variance(self) -> Tensor:
        return self.concentration / self.rate.pow(2)

    def rsample(self, sample_shape=Size()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        draws = _standard_gamma(self.concentration.expand(shape)) / self.rate.expand(shape)
        draws.detach().clamp_(min=finfo(draws.dtype).tiny)
        return draws

    def log_prob(self, value: Tensor) -> Tensor:
        x = self._validated(as_tensor(value, dtype=self.rate.dtype))
        a, b = self.concentration, self.rate
        return xlogy(a, b) + xlogy(a - 1, x) - b * x - a.lgamma()

    def entropy(self) -> Tensor:
        a = self.concentration
        return a - self.rate.log() + a.lgamma() + (1.0 - a) * a.digamma()

    @property
    def _natural_params(self) -> tuple:
        return (self.concentration - 1, -self.rate)

    def _log_normalizer(self, x: Tensor, y: Tensor) -> Tensor:
        return (x + 1).lgamma() + (x + 1) * (-y.reciprocal()).log()

    def cdf(self, value: Tensor) -> Tensor:
        """torch's is the regularized lower incomplete gamma function
        ``torch.special.gammainc(alpha, beta x)``, which minitorch_ref does not implement:
        a named missing feature."""
        self._validated(value)
        raise missing_feature("torch.special.gammainc",
                              "Gamma.cdf needs torch.special.gammainc, which minitorch_ref "
                              "does not implement")
