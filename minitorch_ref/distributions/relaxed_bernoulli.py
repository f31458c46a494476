"""torch.distributions.RelaxedBernoulli and LogitRelaxedBernoulli: the binary Concrete
(Gumbel-sigmoid) relaxation of a Bernoulli, reparameterizable."""
from __future__ import annotations

from .._tensor import Size, Tensor
from ..random import rand
from . import constraints
from ._parameters import ProbsOrLogits, binary_constraints, forwarded, probs_or_logits
from .distribution import Distribution
from .transformed_distribution import TransformedDistribution
from .transforms import SigmoidTransform
from .utils import broadcast_all, clamp_probs

__all__ = ["LogitRelaxedBernoulli", "RelaxedBernoulli"]


class LogitRelaxedBernoulli(ProbsOrLogits, Distribution):
    """The logit of a RelaxedBernoulli with ``temperature`` t and ``probs`` p (or
    ``logits`` l):  X = (logit(u) + logit(p)) / t,  u ~ U(0, 1).

    log p(x) = log t + (l - t x) - 2 log(1 + exp(l - t x))

    ``rsample`` draws u with ``rand`` (clamped to [eps, 1 - eps] as p is; torch's draws)."""

    arg_constraints = binary_constraints()
    support = constraints.real

    def __init__(self, temperature: Tensor, probs=None, logits=None,
                 validate_args: bool | None = None) -> None:
        self.temperature = temperature
        name, given = probs_or_logits(probs, logits)
        batch_shape = self._keep(name, broadcast_all(given)[0])
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_probs_or_logits(LogitRelaxedBernoulli, batch_shape, _instance,
                                            keep=("temperature",))

    def rsample(self, sample_shape=Size()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        p = clamp_probs(self.probs.expand(shape))
        u = clamp_probs(rand(shape, dtype=p.dtype))
        return (u.log() - (-u).log1p() + p.log() - (-p).log1p()) / self.temperature

    def log_prob(self, value: Tensor) -> Tensor:
        value = self._validated(value)
        logits, x = broadcast_all(self.logits, value)
        shifted = logits - x.mul(self.temperature)
        return self.temperature.log() + shifted - 2 * shifted.exp().log1p()


class RelaxedBernoulli(TransformedDistribution):
    """sigmoid(X), X ~ LogitRelaxedBernoulli(temperature, probs or logits): values in (0, 1)
    that approach {0, 1} as the temperature goes to 0."""

    arg_constraints = binary_constraints()
    support = constraints.unit_interval
    has_rsample = True

    temperature = forwarded("base_dist", "temperature")
    logits = forwarded("base_dist", "logits")
    probs = forwarded("base_dist", "probs")

    def __init__(self, temperature: Tensor, probs=None, logits=None,
                 validate_args: bool | None = None) -> None:
        super().__init__(LogitRelaxedBernoulli(temperature, probs, logits), SigmoidTransform(),
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_via_parent(RelaxedBernoulli, batch_shape, _instance)
