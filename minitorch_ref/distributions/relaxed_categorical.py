"""torch.distributions.RelaxedOneHotCategorical and ExpRelaxedCategorical: the Concrete
(Gumbel-softmax) relaxation of a one-hot categorical, reparameterizable."""
from __future__ import annotations

from .._creation import full_like
from .._tensor import Size, Tensor
from ..random import rand
from . import constraints
from ._parameters import category_constraints, forwarded
from .categorical import OverCategorical
from .distribution import Distribution
from .transformed_distribution import TransformedDistribution
from .transforms import ExpTransform
from .utils import broadcast_all, clamp_probs

__all__ = ["ExpRelaxedCategorical", "RelaxedOneHotCategorical"]


class ExpRelaxedCategorical(OverCategorical, Distribution):
    """The log of a RelaxedOneHotCategorical with ``temperature`` t over K categories:
    X = log_softmax((logits + g) / t), g standard Gumbel noise -log(-log u).

    log p(x) = lgamma(K) + (K - 1) log t + sum_i s_i - K logsumexp(s),  s = logits - t x
    (written, as torch, as the sum of log_softmax(s)).

    ``rsample`` draws u with ``rand`` (clamped to [eps, 1 - eps]; torch's draws)."""

    arg_constraints = category_constraints()
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, temperature: Tensor, probs: Tensor | None = None,
                 logits: Tensor | None = None, validate_args: bool | None = None) -> None:
        batch_shape, event_shape = self._make_categorical(probs, logits)
        self.temperature = temperature
        super().__init__(batch_shape, event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_categorical(ExpRelaxedCategorical, batch_shape, _instance,
                                        keep=("temperature",))

    def rsample(self, sample_shape=Size()) -> Tensor:
        u = clamp_probs(rand(self._extended_shape(sample_shape), dtype=self.logits.dtype))
        gumbel = -((-(u.log())).log())
        scores = (self.logits + gumbel) / self.temperature
        return scores - scores.logsumexp(dim=-1, keepdim=True)

    def log_prob(self, value: Tensor) -> Tensor:
        k = self._categorical._num_events
        value = self._validated(value)
        logits, x = broadcast_all(self.logits, value)
        t = self.temperature
        log_scale = full_like(t, float(k)).lgamma() - t.log().mul(-(k - 1))
        s = logits - x.mul(t)
        return (s - s.logsumexp(dim=-1, keepdim=True)).sum(-1) + log_scale


class RelaxedOneHotCategorical(TransformedDistribution):
    """exp(X), X ~ ExpRelaxedCategorical(temperature, probs or logits): points of the
    simplex that approach one-hot vectors as the temperature goes to 0."""

    arg_constraints = category_constraints()
    support = constraints.simplex
    has_rsample = True

    temperature = forwarded("base_dist", "temperature")
    logits = forwarded("base_dist", "logits")
    probs = forwarded("base_dist", "probs")

    def __init__(self, temperature: Tensor, probs: Tensor | None = None,
                 logits: Tensor | None = None, validate_args: bool | None = None) -> None:
        base = ExpRelaxedCategorical(temperature, probs, logits, validate_args=validate_args)
        super().__init__(base, ExpTransform(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_via_parent(RelaxedOneHotCategorical, batch_shape, _instance)
