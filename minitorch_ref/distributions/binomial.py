"""torch.distributions.Binomial: successes in ``total_count`` independent trials."""
from __future__ import annotations

from .._creation import arange
from .._tensor import Size, Tensor
from ..autograd.grad_mode import no_grad
from .._random_counts import binomial
from . import constraints
from ._parameters import ProbsOrLogits, probs_or_logits, support_along_dim0
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["Binomial"]


def _count_and_probs(dist: ProbsOrLogits, total_count, probs, logits) -> Size:
    """Binomial's and NegativeBinomial's parameters: exactly one of probs/logits, broadcast
    with the count, the count cast to their dtype. Returns the batch shape."""
    name, given = probs_or_logits(probs, logits)
    count, param = broadcast_all(total_count, given)
    dist.total_count = count.type_as(param)
    return dist._keep(name, param)


def _relu_half_grad(x: Tensor) -> Tensor:
    """max(x, 0) as the average of clamp(x, min=0) and x - clamp(x, max=0): the same value,
    with gradient 1/2 at x = 0 (torch's choice) instead of one side's."""
    return (x.clamp(min=0) + x - x.clamp(max=0)) / 2


class Binomial(ProbsOrLogits, Distribution):
    """Binomial(n = ``total_count``, p), p given as ``probs`` or ``logits`` l.

    P(k) = C(n, k) p^k (1 - p)^(n - k),  k = 0..n
    log P(k) = log C(n, k) + k l - n log(1 + e^l),  with log(1 + e^l) = max(l, 0) +
    log1p(e^-|l|) for stability.  mean n p,  variance n p (1 - p),  mode floor((n + 1) p).
    The entropy sums -P log P over the support (one count for the whole batch).

    ``sample`` is ``binomial(n, p)`` on both expanded to the sample's shape: torch's CPU
    sampler, element by element from the same stream."""

    arg_constraints = {"total_count": constraints.nonnegative_integer,
                       "probs": constraints.unit_interval, "logits": constraints.real}
    has_enumerate_support = True

    def __init__(self, total_count=1, probs=None, logits=None,
                 validate_args: bool | None = None) -> None:
        batch_shape = _count_and_probs(self, total_count, probs, logits)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_probs_or_logits(Binomial, batch_shape, _instance, ("total_count",))

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self):
        return constraints.integer_interval(0, self.total_count)

    @property
    def mean(self) -> Tensor:
        return self.total_count * self.probs

    @property
    def mode(self) -> Tensor:
        n = self.total_count
        return ((n + 1) * self.probs).floor().clamp(max=n)

    @property
    def variance(self) -> Tensor:
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape=Size()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        with no_grad():
            return binomial(self.total_count.expand(shape), self.probs.expand(shape))

    def log_prob(self, value: Tensor) -> Tensor:
        k, n, lg = self._validated(value), self.total_count, self.logits
        log_n_fact = (n + 1).lgamma()
        log_norm = n * _relu_half_grad(lg) + n * (-lg.abs()).exp().log1p() - log_n_fact
        return k * lg - (k + 1).lgamma() - (n - k + 1).lgamma() - log_norm

    def _single_count(self, what: str) -> int:
        """The count shared by the whole batch; NotImplementedError naming ``what`` else."""
        n = int(self.total_count.max())
        if not self.total_count.min() == n:
            raise NotImplementedError(f"Inhomogeneous total count not supported by `{what}`.")
        return n

    def entropy(self) -> Tensor:
        self._single_count("entropy")
        log_p = self.log_prob(self.enumerate_support(False))
        return -(log_p.exp() * log_p).sum(0)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        n = self._single_count("enumerate_support")
        return support_along_dim0(arange(n + 1, dtype=self._param.dtype), self._batch_shape,
                                  expand)
