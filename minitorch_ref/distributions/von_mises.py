"""torch.distributions.VonMises: the circular normal distribution on [-pi, pi)."""
from __future__ import annotations

import math

from .._creation import empty, zeros
from .._dtype import bool as bool_, double
from .._ops import where
from .._tensor import Size, Tensor
from ..autograd.grad_mode import no_grad
from ..random import rand
from . import constraints
from ._parameters import broadcast_params
from .distribution import Distribution
from .utils import lazy_property

__all__ = ["VonMises"]

# log I0 and log I1 (modified Bessel functions of the first kind) from the polynomial fits of
# Abramowitz and Stegun 9.8.1-9.8.4: for x < 3.75 a polynomial in (x / 3.75)^2 (times x for
# I1); above, e^x / sqrt(x) times a polynomial in 3.75 / x. Coefficients lowest power first.
_BESSEL_FITS = {
    0: ([1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.0360768, 0.0045813],
        [0.39894228, 0.01328592, 0.00225319, -0.00157565, 0.00916281, -0.02057706,
         0.02635537, -0.01647633, 0.00392377]),
    1: ([0.5, 0.87890594, 0.51498869, 0.15084934, 0.02658733, 0.00301532, 0.00032411],
        [0.39894228, -0.03988024, -0.00362018, 0.00163801, -0.01031555, 0.02282967,
         -0.02895312, 0.01787654, -0.00420059]),
}


def _horner(y: Tensor, coefficients: list) -> Tensor:
    """sum_i c_i y^i, evaluated from the highest power down."""
    total = coefficients[-1]
    for c in reversed(coefficients[:-1]):
        total = c + y * total
    return total


def _log_modified_bessel_fn(x: Tensor, order: int = 0) -> Tensor:
    """log I_order(x) for x > 0 and order 0 or 1."""
    if order not in (0, 1):
        raise AssertionError(f"order must be 0 or 1, got {order}")
    near, far = _BESSEL_FITS[order]
    y = x / 3.75
    small = _horner(y * y, near)
    if order == 1:
        small = x.abs() * small
    large = x - 0.5 * x.log() + _horner(3.75 / x, far).log()
    return where(x < 3.75, small.log(), large)


def _rejection_sample(loc: Tensor, kappa: Tensor, proposal_r: Tensor, x: Tensor) -> Tensor:
    """Best and Fisher's (1979) wrapped-Cauchy rejection sampler as torch runs it: each
    round draws ``rand((3,) + shape)`` for every element and keeps the new acceptances,
    until all have one; the angles are then shifted by ``loc`` and wrapped to [-pi, pi)."""
    done = zeros(x.shape, dtype=bool_)
    while not done.all():
        u1, u2, u3 = rand((3,) + x.shape, dtype=loc.dtype).unbind()
        z = (math.pi * u1).cos()
        f = (1 + proposal_r * z) / (proposal_r + z)
        c = kappa * (proposal_r - f)
        accept = ((c * (2 - c) - u2) > 0) | ((c / u2).log() + 1 - c >= 0)
        if accept.any():
            x = where(accept, (u3 - 0.5).sign() * f.acos(), x)
            done = done | accept
    return (x + math.pi + loc) % (2 * math.pi) - math.pi


class VonMises(Distribution):
    """VonMises(mu = ``loc``, kappa = ``concentration``): density
    e^(kappa cos(x - mu)) / (2 pi I0(kappa)).

    mean = mode = mu (the circular mean),  variance 1 - I1(kappa) / I0(kappa) (the circular
    variance). ``sample`` runs torch's rejection sampler in float64 (the same draws) and
    rounds to the parameters' dtype; there is no ``rsample``."""

    arg_constraints = {"loc": constraints.real, "concentration": constraints.positive}
    support = constraints.real
    has_rsample = False

    def __init__(self, loc, concentration, validate_args: bool | None = None) -> None:
        batch_shape = broadcast_params(self, loc=loc, concentration=concentration)
        super().__init__(batch_shape, Size(), validate_args)

    def log_prob(self, value: Tensor) -> Tensor:
        kappa = self.concentration
        unnormalized = kappa * (self._validated(value) - self.loc).cos()
        return unnormalized - math.log(2 * math.pi) - _log_modified_bessel_fn(kappa, order=0)

    @lazy_property
    def _loc(self) -> Tensor:
        return self.loc.to(double)

    @lazy_property
    def _concentration(self) -> Tensor:
        return self.concentration.to(double)

    @lazy_property
    def _proposal_r(self) -> Tensor:
        """The wrapped Cauchy's parameter r = (1 + rho^2) / (2 rho); 1/kappa + kappa (its
        expansion at 0) for kappa < 1e-5."""
        kappa = self._concentration
        tau = 1 + (1 + 4 * kappa ** 2).sqrt()
        rho = (tau - (2 * tau).sqrt()) / (2 * kappa)
        return where(kappa < 1e-5, 1 / kappa + kappa, (1 + rho ** 2) / (2 * rho))

    def sample(self, sample_shape=Size()) -> Tensor:
        with no_grad():
            x = empty(self._extended_shape(sample_shape), dtype=self._loc.dtype)
            angles = _rejection_sample(self._loc, self._concentration, self._proposal_r, x)
            return angles.to(self.loc.dtype)

    def expand(self, batch_shape, _instance=None):
        # torch's: a new VonMises from the expanded parameters (the base class's expand
        # raises), with the validation setting this instance was given, if any
        try:
            return super().expand(batch_shape)
        except NotImplementedError:
            return type(self)(self.loc.expand(batch_shape),
                              self.concentration.expand(batch_shape),
                              validate_args=self.__dict__.get("_validate_args"))

    @property
    def mean(self) -> Tensor:
        return self.loc

    mode = mean  # symmetric and unimodal about loc

    @lazy_property
    def variance(self) -> Tensor:
        kappa = self.concentration
        log_ratio = (_log_modified_bessel_fn(kappa, order=1)
                     - _log_modified_bessel_fn(kappa, order=0))
        return 1 - log_ratio.exp()
