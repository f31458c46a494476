"""torch.distributions.Multinomial: the category counts of ``total_count`` Categorical
draws."""
from __future__ import annotations

import math

from .._creation import ones_like, tensor, zeros
from .._tensor import Size, Tensor
from . import constraints
from ._parameters import category_constraints
from .binomial import Binomial
from .categorical import OverCategorical
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["Multinomial"]


class Multinomial(OverCategorical, Distribution):
    """Multinomial(n = ``total_count``, probs or logits): the event is the count vector x
    over K categories, sum x = n.

    log P(x) = lgamma(n + 1) - sum lgamma(x_i + 1) + sum x_i log p_i
    mean n p,  variance n p (1 - p).  The entropy is n H(Categorical) - log n! plus
    sum_i E[log x_i!], the expectations over each count's Binomial(n, p_i).

    ``sample`` draws n Categorical samples (torch's multinomial stream) and counts them
    into the last dimension with ``scatter_add_``."""

    arg_constraints = category_constraints()

    def __init__(self, total_count: int = 1, probs: Tensor | None = None,
                 logits: Tensor | None = None, validate_args: bool | None = None) -> None:
        if not isinstance(total_count, int):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = total_count
        batch_shape, event_shape = self._make_categorical(probs, logits)
        self._binomial = Binomial(total_count=total_count, probs=self.probs)
        super().__init__(batch_shape, event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        # as torch's: the expanded copy has no _binomial (its entropy raises AttributeError)
        return self._expand_categorical(Multinomial, batch_shape, _instance,
                                        keep=("total_count",))

    @constraints.dependent_property(is_discrete=True, event_dim=1)
    def support(self):
        return constraints.multinomial(self.total_count)

    @property
    def mean(self) -> Tensor:
        return self.probs * self.total_count

    @property
    def variance(self) -> Tensor:
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape=Size()) -> Tensor:
        sample_shape = Size(sample_shape)
        draws = self._categorical.sample(Size((self.total_count,)) + sample_shape)
        # the draws come as (n, *sample_shape, *batch): the n draws of a count go last
        draws = draws.permute(*range(1, draws.dim()), 0)
        counts = zeros(self._extended_shape(sample_shape), dtype=draws.dtype)
        counts.scatter_add_(-1, draws, ones_like(draws))
        return counts.type_as(self.probs)

    def entropy(self) -> Tensor:
        n = tensor(self.total_count)
        first = n * self._categorical.entropy() - (n + 1).lgamma()
        counts = self._binomial.enumerate_support(expand=False)[1:]
        expected_log_fact = (self._binomial.log_prob(counts).exp() * (counts + 1).lgamma())
        return first + expected_log_fact.sum([0, -1])

    def log_prob(self, value: Tensor) -> Tensor:
        value = self._validated(value)
        logits, x = broadcast_all(self.logits, value)
        logits = logits.clone()
        log_n_fact = (x.sum(-1) + 1).lgamma()
        log_x_facts = (x + 1).lgamma().sum(-1)
        logits[(x == 0) & (logits == -math.inf)] = 0  # 0 log 0 = 0
        return log_n_fact - log_x_facts + (logits * x).sum(-1)
