"""The parameter handling the distributions share, written once.

* ``broadcast_params``: the tensor parameters of a family (loc and scale, low and high, df1 and
  df2, ...) broadcast together and stored on the distribution; their shape is the batch shape.
* ``LazyProbsLogits`` / ``ProbsOrLogits``: the distributions given by exactly one of ``probs`` and
  ``logits``: the given one is stored, the other is derived on first use.
* ``support_along_dim0``: the layout of a discrete ``enumerate_support``.
* ``forwarded``: a read-only attribute that reads the same attribute of an inner distribution.
* The ``arg_constraints`` tables several families share (each class gets its own copy).

``Distribution._expand_params`` (distribution.py) is the matching half of ``expand``.
"""
from __future__ import annotations

from operator import attrgetter

from .._tensor import Size, Tensor
from . import constraints
from .utils import broadcast_all, lazy_property, logits_to_probs, probs_to_logits


def loc_scale_constraints() -> dict:
    """A location on the real line, a positive scale."""
    return {"loc": constraints.real, "scale": constraints.positive}


def binary_constraints() -> dict:
    """The probability of 1 (or its log-odds) of one binary variable per batch element."""
    return {"probs": constraints.unit_interval, "logits": constraints.real}


def category_constraints() -> dict:
    """A probability vector over the categories (or unnormalized log-probabilities)."""
    return {"probs": constraints.simplex, "logits": constraints.real_vector}


def broadcast_params(dist, **params) -> Size:
    """Store ``params`` on ``dist`` as tensors broadcast to one shape (``broadcast_all``:
    numbers take the first tensor's dtype) and return that shape, the batch shape."""
    values = broadcast_all(*params.values())
    for name, value in zip(params, values):
        setattr(dist, name, value)
    return values[0].size()


def probs_or_logits(probs, logits) -> tuple:
    """``("probs", probs)`` or ``("logits", logits)``, whichever was given; both or neither
    is torch's ValueError."""
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")
    return ("probs", probs) if probs is not None else ("logits", logits)


def support_along_dim0(values: Tensor, batch_shape: Size, expand: bool) -> Tensor:
    """The support ``values`` along dimension 0, then one size-1 (or, with ``expand``,
    full-size) dimension per batch dimension: enumerate_support's layout."""
    values = values.reshape((-1,) + (1,) * len(batch_shape))
    return values.expand((-1,) + batch_shape) if expand else values


class LazyProbsLogits:
    """Mixin: a distribution stored as either ``probs`` or ``logits``; the other one is computed
    when first read and then kept (``lazy_property``). ``_binary``: one binary variable per
    element (sigmoid and log-odds) or categories along the last dimension (softmax and log)."""

    _binary = True

    @lazy_property
    def probs(self) -> Tensor:
        return logits_to_probs(self.logits, is_binary=self._binary)

    @lazy_property
    def logits(self) -> Tensor:
        return probs_to_logits(self.probs, is_binary=self._binary)


class ProbsOrLogits(LazyProbsLogits):
    """``LazyProbsLogits`` that also remembers the given tensor as ``_param`` (its shape is
    ``param_shape``, its dtype the one new tensors take), and expands whichever of the two
    exists."""

    def _keep(self, name: str, value: Tensor) -> Size:
        """Store ``value`` as the parameter ``name``; returns its shape."""
        setattr(self, name, value)
        self._param = value
        return value.size()

    @property
    def param_shape(self) -> Size:
        return self._param.size()

    def _new(self, *args, **kwargs) -> Tensor:
        return self._param.new(*args, **kwargs)

    def _expand_probs_or_logits(self, cls: type, batch_shape, _instance, names=(), keep=()):
        new = self._expand_params(cls, batch_shape, _instance, names + ("probs", "logits"),
                                  keep)
        new._param = new.__dict__["logits" if "logits" in new.__dict__ else "probs"]
        return new


def forwarded(owner: str, name: str) -> property:
    """A read-only property giving ``self.<owner>.<name>`` (``owner`` may be a dotted path):
    the wrappers (OneHotCategorical, RelaxedBernoulli, LogNormal, ...) show their inner
    distribution's parameters this way."""
    return property(attrgetter(f"{owner}.{name}"),
                    doc=f"The {name} of the underlying ``{owner}``.")
