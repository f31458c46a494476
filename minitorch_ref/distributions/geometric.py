"""torch.distributions.Geometric: failures before the first success."""
from __future__ import annotations

from .._creation import empty, zeros_like
from .._dtype import finfo
from .._tensor import Size, Tensor
from ..autograd.grad_mode import no_grad
from ..nn.functional import binary_cross_entropy_with_logits as _bce_logits
from . import constraints
from ._parameters import LazyProbsLogits, binary_constraints, probs_or_logits
from .distribution import Distribution, _shape_and_kind
from .utils import broadcast_all

__all__ = ["Geometric"]


class Geometric(LazyProbsLogits, Distribution):
    """Geometric(p), p the success probability (``probs``, in (0, 1]) or its ``logits``.

    P(k) = (1 - p)^k p,  k = 0, 1, ...
    mean 1/p - 1,  variance (1/p - 1) / p,  mode 0,  entropy BCE(logits, p) / p.

    ``sample`` inverts the CDF: floor(log u / log(1 - p)) with u from
    ``uniform_(tiny, 1)`` (torch's draws)."""

    arg_constraints = binary_constraints()
    support = constraints.nonnegative_integer

    def __init__(self, probs=None, logits=None, validate_args: bool | None = None) -> None:
        name, given = probs_or_logits(probs, logits)
        setattr(self, name, broadcast_all(given)[0])
        super().__init__(getattr(self, name).size(), validate_args=validate_args)
        if self._validate_args and name == "probs":
            # the unit interval admits p = 0, a trial that never succeeds: torch refuses it
            p = self.probs
            bad = ~(p > 0)
            if bad.any():
                raise ValueError(
                    f"Expected parameter probs ({_shape_and_kind(p)}) of distribution {self!r} "
                    f"to be positive but found invalid values:\n{p.data[bad]}")

    def expand(self, batch_shape, _instance=None):
        return self._expand_params(Geometric, batch_shape, _instance, ("probs", "logits"))

    @property
    def mean(self) -> Tensor:
        return 1.0 / self.probs - 1.0

    @property
    def mode(self) -> Tensor:
        return zeros_like(self.probs)

    @property
    def variance(self) -> Tensor:
        return (1.0 / self.probs - 1.0) / self.probs

    def sample(self, sample_shape=Size()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        p = self.probs
        with no_grad():
            u = empty(shape, dtype=p.dtype).uniform_(finfo(p.dtype).tiny, 1)
            return (u.log() / (-p).log1p()).floor()

    def log_prob(self, value: Tensor) -> Tensor:
        k, p = broadcast_all(self._validated(value), self.probs)
        p = p.clone()
        p[(p == 1) & (k == 0)] = 0  # P(0) = 1 at p = 1: the term 0 * log(0) must vanish
        return k * (-p).log1p() + self.probs.log()

    def entropy(self) -> Tensor:
        return _bce_logits(self.logits, self.probs, reduction="none") / self.probs
