"""torch.distributions.Categorical: one of K categories."""
from __future__ import annotations

import math

from .._creation import arange, full
from .._dtype import finfo, long
from .._ops import broadcast_tensors
from .._tensor import Size, Tensor
from ..random import multinomial
from . import constraints
from ._parameters import (ProbsOrLogits, category_constraints, forwarded, probs_or_logits,
                          support_along_dim0)
from .distribution import Distribution

__all__ = ["Categorical"]


class Categorical(ProbsOrLogits, Distribution):
    """Categorical over {0, ..., K-1}, K the last dimension of ``probs`` (rescaled to sum to
    1) or of ``logits`` (shifted so that their logsumexp is 0, i.e. log-probabilities); the
    dimensions before it are the batch.

    log P(k) = logits[k],  entropy -sum_k p_k log p_k,  mode argmax p;  mean and variance
    are undefined (NaN).

    ``sample`` calls ``multinomial(probs, n, replacement=True)`` on the batch flattened to
    rows, n the number of samples, and transposes: torch's draws in torch's order."""

    arg_constraints = category_constraints()
    has_enumerate_support = True
    _binary = False

    def __init__(self, probs: Tensor | None = None, logits: Tensor | None = None,
                 validate_args: bool | None = None) -> None:
        name, given = probs_or_logits(probs, logits)
        if given.dim() < 1:
            raise ValueError(f"`{name}` parameter must be at least one-dimensional.")
        if name == "probs":
            given = given / given.sum(-1, keepdim=True)
        else:
            given = given - given.logsumexp(dim=-1, keepdim=True)
        param_shape = self._keep(name, given)
        self._num_events = param_shape[-1]
        super().__init__(param_shape[:-1], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_probs_or_logits(Categorical, batch_shape, _instance,
                                            keep=("_num_events",))

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self):
        return constraints.integer_interval(0, self._num_events - 1)

    def _undefined(self) -> Tensor:
        return full(self._extended_shape(), math.nan, dtype=self.probs.dtype)

    @property
    def mean(self) -> Tensor:
        return self._undefined()

    @property
    def mode(self) -> Tensor:
        return self.probs.argmax(dim=-1)

    @property
    def variance(self) -> Tensor:
        return self._undefined()

    def sample(self, sample_shape=Size()) -> Tensor:
        sample_shape = Size(sample_shape)
        rows = self.probs.reshape(-1, self._num_events)
        draws = multinomial(rows, sample_shape.numel(), True).T
        return draws.reshape(self._extended_shape(sample_shape))

    def log_prob(self, value: Tensor) -> Tensor:
        index = self._validated(value).long().unsqueeze(-1)
        index, log_pmf = broadcast_tensors(index, self.logits)
        return log_pmf.gather(-1, index[..., :1]).squeeze(-1)

    def entropy(self) -> Tensor:
        # a category of probability 0 has logit -inf: raised to the lowest finite float,
        # its term p log p is 0 * finite = 0 instead of 0 * -inf = NaN
        logits = self.logits.clamp(min=finfo(self.logits.dtype).min)
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        return support_along_dim0(arange(self._num_events, dtype=long), self._batch_shape,
                                  expand)


class OverCategorical:
    """Mixin of the distributions built on a Categorical over the last dimension
    (OneHotCategorical, Multinomial, ExpRelaxedCategorical): the inner ``_categorical`` holds
    the parameters, which read through; its batch shape is theirs, its categories their
    event."""

    probs = forwarded("_categorical", "probs")
    logits = forwarded("_categorical", "logits")
    param_shape = forwarded("_categorical", "param_shape")

    def _make_categorical(self, probs, logits) -> tuple:
        """Build ``_categorical``; returns (batch_shape, event_shape)."""
        self._categorical = Categorical(probs, logits)
        return self._categorical.batch_shape, self._categorical.param_shape[-1:]

    def _new(self, *args, **kwargs) -> Tensor:
        return self._categorical._new(*args, **kwargs)

    def _expand_categorical(self, cls: type, batch_shape, _instance, keep=()):
        new = self._expand_params(cls, batch_shape, _instance, keep=keep)
        new._categorical = self._categorical.expand(batch_shape)
        return new
