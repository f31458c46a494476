"""torch.distributions.FisherSnedecor: the F distribution."""
from __future__ import annotations

import math

from .._dtype import finfo
from .._tensor import Size, Tensor
from . import constraints
from ._parameters import broadcast_params
from .distribution import Distribution
from .gamma import Gamma

__all__ = ["FisherSnedecor"]


class FisherSnedecor(Distribution):
    """F(d1 = ``df1``, d2 = ``df2``) = (X1 / d1) / (X2 / d2), X_i ~ Chi2(d_i).

    log p(x) = lgamma((d1 + d2)/2) - lgamma(d1/2) - lgamma(d2/2) + (d1/2) log(d1/d2)
               + (d1/2 - 1) log x - ((d1 + d2)/2) log(1 + d1 x / d2)
    mean d2 / (d2 - 2) (d2 > 2),  mode (d1 - 2)/d1 d2/(d2 + 2) (d1 > 2),
    variance 2 d2^2 (d1 + d2 - 2) / (d1 (d2 - 2)^2 (d2 - 4)) (d2 > 4); NaN elsewhere.

    ``rsample`` draws Gamma(d1/2, d1) (= X1 / d1), then Gamma(d2/2, d2), with torch's
    sampler, and divides; both the divisor and the ratio are kept above the smallest
    normal float."""

    arg_constraints = {"df1": constraints.positive, "df2": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, df1, df2, validate_args: bool | None = None) -> None:
        batch_shape = broadcast_params(self, df1=df1, df2=df2)
        self._gamma1 = Gamma(self.df1 * 0.5, self.df1)
        self._gamma2 = Gamma(self.df2 * 0.5, self.df2)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._expand_params(FisherSnedecor, batch_shape, _instance, ("df1", "df2"))
        new._gamma1 = self._gamma1.expand(batch_shape)
        new._gamma2 = self._gamma2.expand(batch_shape)
        return new

    @staticmethod
    def _nan_where(t: Tensor, mask: Tensor) -> Tensor:
        t = t.clone()
        t[mask] = math.nan
        return t

    @property
    def mean(self) -> Tensor:
        d2 = self._nan_where(self.df2, self.df2 <= 2)
        return d2 / (d2 - 2)

    @property
    def mode(self) -> Tensor:
        d1, d2 = self.df1, self.df2
        mode = (d1 - 2) / d1 * d2 / (d2 + 2)
        mode[d1 <= 2] = math.nan
        return mode

    @property
    def variance(self) -> Tensor:
        d1, d2 = self.df1, self._nan_where(self.df2, self.df2 <= 4)
        return 2 * d2.pow(2) * (d1 + d2 - 2) / (d1 * (d2 - 2).pow(2) * (d2 - 4))

    def rsample(self, sample_shape=Size(())) -> Tensor:
        shape = self._extended_shape(sample_shape)
        x1 = self._gamma1.rsample(sample_shape).view(shape)
        x2 = self._gamma2.rsample(sample_shape).view(shape)
        tiny = finfo(x2.dtype).tiny
        x2.clamp_(min=tiny)
        ratio = x1 / x2
        ratio.clamp_(min=tiny)
        return ratio

    def log_prob(self, value: Tensor) -> Tensor:
        x = self._validated(value)
        h1, h2, r = self.df1 * 0.5, self.df2 * 0.5, self.df1 / self.df2
        log_beta_inv = (h1 + h2).lgamma() - h1.lgamma() - h2.lgamma()
        return log_beta_inv + (h1 * r.log() + (h1 - 1) * x.log()) - (h1 + h2) * (r * x).log1p()
