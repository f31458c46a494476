"""torch.distributions.StudentT: Student's t with location and scale."""
from __future__ import annotations

import math

from .._ops import rsqrt
from .._tensor import Size, Tensor
from . import constraints
from ._parameters import broadcast_params
from .chi2 import Chi2
from .distribution import Distribution
from .utils import _standard_normal

__all__ = ["StudentT"]

_LGAMMA_HALF = math.lgamma(0.5)  # log sqrt(pi)


class StudentT(Distribution):
    """StudentT(nu = ``df``, mu = ``loc``, sigma = ``scale``):  T = mu + sigma X / sqrt(Z / nu),
    X ~ N(0, 1), Z ~ Chi2(nu).

    log p(x) = -(nu + 1)/2 log(1 + y^2 / nu) - log sigma - log(nu)/2 - log(pi)/2
               - lgamma(nu/2) + lgamma((nu + 1)/2),   y = (x - mu) / sigma
    mean mu (NaN for nu <= 1);  variance sigma^2 nu / (nu - 2) for nu > 2, inf for
    1 < nu <= 2, NaN for nu <= 1;  entropy log sigma + (nu + 1)/2 (digamma((nu + 1)/2) -
    digamma(nu/2)) + log(nu)/2 + log B(nu/2, 1/2).

    ``rsample`` draws X with ``normal_``, then Z with torch's gamma sampler: torch's order."""

    arg_constraints = {"df": constraints.positive, "loc": constraints.real,
                       "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, df, loc=0.0, scale=1.0, validate_args: bool | None = None) -> None:
        batch_shape = broadcast_params(self, df=df, loc=loc, scale=scale)
        self._chi2 = Chi2(self.df)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._expand_params(StudentT, batch_shape, _instance, ("df", "loc", "scale"))
        new._chi2 = self._chi2.expand(batch_shape)
        return new

    @property
    def mean(self) -> Tensor:
        m = self.loc.clone()
        m[self.df <= 1] = math.nan
        return m

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        nu = self.df
        var = nu.clone()
        finite = nu > 2
        var[finite] = self.scale[finite].pow(2) * nu[finite] / (nu[finite] - 2)
        var[(nu <= 2) & (nu > 1)] = math.inf
        var[nu <= 1] = math.nan
        return var

    def rsample(self, sample_shape=Size()) -> Tensor:
        x = _standard_normal(self._extended_shape(sample_shape), dtype=self.df.dtype,
                             device=self.df.device)
        z = self._chi2.rsample(sample_shape)
        return self.loc + self.scale * (x * rsqrt(z / self.df))

    def log_prob(self, value: Tensor) -> Tensor:
        y = (self._validated(value) - self.loc) / self.scale
        nu = self.df
        log_norm = (self.scale.log() + 0.5 * nu.log() + 0.5 * math.log(math.pi)
                    + (0.5 * nu).lgamma() - (0.5 * (nu + 1.0)).lgamma())
        return -0.5 * (nu + 1.0) * (y ** 2.0 / nu).log1p() - log_norm

    def entropy(self) -> Tensor:
        nu = self.df
        log_beta = (0.5 * nu).lgamma() + _LGAMMA_HALF - (0.5 * (nu + 1)).lgamma()
        return (self.scale.log()
                + 0.5 * (nu + 1) * ((0.5 * (nu + 1)).digamma() - (0.5 * nu).digamma())
                + 0.5 * nu.log() + log_beta)
