"""torch.distributions.Bernoulli: one coin flip, 1 with probability p."""
from __future__ import annotations

import math

from .._creation import arange
from .._ops import logit
from .._tensor import Size, Tensor
from ..autograd.grad_mode import no_grad
from ..nn.functional import binary_cross_entropy_with_logits as _bce_logits
from ..random import bernoulli
from . import constraints
from ._parameters import (ProbsOrLogits, binary_constraints, probs_or_logits,
                          support_along_dim0)
from .exp_family import ExponentialFamily
from .utils import broadcast_all

__all__ = ["Bernoulli"]


class Bernoulli(ProbsOrLogits, ExponentialFamily):
    """Bernoulli(p), given as ``probs`` p or ``logits`` log(p / (1 - p)).

    P(x) = p^x (1 - p)^(1 - x),  x in {0, 1}
    mean p,  variance p (1 - p),  mode 1 if p > 1/2, 0 if p < 1/2 (NaN at 1/2: both)
    log P(x) and the entropy -p log p - (1-p) log(1-p) are binary cross-entropies with logits
    (stable for large |logits|). Natural parameter: logit(p); log-normalizer log(1 + e^t).

    ``sample`` is ``bernoulli(p)`` on p expanded to the sample's shape (torch's draws)."""

    arg_constraints = binary_constraints()
    support = constraints.boolean
    has_enumerate_support = True
    _mean_carrier_measure = 0

    def __init__(self, probs=None, logits=None, validate_args: bool | None = None) -> None:
        name, given = probs_or_logits(probs, logits)
        batch_shape = self._keep(name, broadcast_all(given)[0])
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_probs_or_logits(Bernoulli, batch_shape, _instance)

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        p = self.probs
        mode = (p >= 0.5).to(p)
        mode[p == 0.5] = math.nan
        return mode

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape=Size()) -> Tensor:
        with no_grad():
            return bernoulli(self.probs.expand(self._extended_shape(sample_shape)))

    def log_prob(self, value: Tensor) -> Tensor:
        value = self._validated(value)
        logits, value = broadcast_all(self.logits, value)
        return -_bce_logits(logits, value, reduction="none")

    def entropy(self) -> Tensor:
        return _bce_logits(self.logits, self.probs, reduction="none")

    def enumerate_support(self, expand: bool = True) -> Tensor:
        return support_along_dim0(arange(2, dtype=self._param.dtype), self._batch_shape, expand)

    @property
    def _natural_params(self) -> tuple:
        return (logit(self.probs),)

    def _log_normalizer(self, x: Tensor) -> Tensor:
        return x.exp().log1p()
