"""torch.distributions.OneHotCategorical (and its straight-through variant): a Categorical
whose outcome k is written as the one-hot vector e_k."""
from __future__ import annotations

from .._creation import eye
from .._tensor import Size, Tensor
from ..nn.functional import one_hot
from . import constraints
from ._parameters import category_constraints, forwarded
from .categorical import OverCategorical
from .distribution import Distribution

__all__ = ["OneHotCategorical", "OneHotCategoricalStraightThrough"]


class OneHotCategorical(OverCategorical, Distribution):
    """Categorical(probs or logits) with outcomes e_k of size K, the event shape.

    log P(x) = log p_k for x = e_k;  mean p,  variance p (1 - p),  mode e_argmax(p).
    Everything is the inner ``_categorical``'s; ``sample`` makes its draws one-hot."""

    arg_constraints = category_constraints()
    support = constraints.one_hot
    has_enumerate_support = True

    _param = forwarded("_categorical", "_param")

    def __init__(self, probs: Tensor | None = None, logits: Tensor | None = None,
                 validate_args: bool | None = None) -> None:
        batch_shape, event_shape = self._make_categorical(probs, logits)
        super().__init__(batch_shape, event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_categorical(OneHotCategorical, batch_shape, _instance)

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        p = self.probs
        return one_hot(p.argmax(dim=-1), num_classes=p.shape[-1]).to(p)

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape=Size()) -> Tensor:
        p = self.probs
        k = self._categorical.sample(Size(sample_shape))
        return one_hot(k, self._categorical._num_events).to(p)

    def log_prob(self, value: Tensor) -> Tensor:
        return self._categorical.log_prob(self._validated(value).max(-1)[1])

    def entropy(self) -> Tensor:
        return self._categorical.entropy()

    def enumerate_support(self, expand: bool = True) -> Tensor:
        k = self.event_shape[0]
        batch = self.batch_shape
        vectors = eye(k, dtype=self._param.dtype).view((k,) + (1,) * len(batch) + (k,))
        return vectors.expand((k,) + batch + (k,)) if expand else vectors


class OneHotCategoricalStraightThrough(OneHotCategorical):
    """OneHotCategorical with the straight-through gradient estimator: ``rsample`` returns
    the one-hot sample's value with the gradient of ``probs`` (sample + p - p.detach())."""

    has_rsample = True

    def rsample(self, sample_shape=Size()) -> Tensor:
        drawn = self.sample(sample_shape)
        p = self._categorical.probs
        return drawn + (p - p.detach())
