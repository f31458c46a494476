"""torch.distributions.Distribution: the base class of every distribution.

Shapes: a sample has shape ``sample_shape + batch_shape + event_shape``; ``log_prob`` of such a
value has shape ``sample_shape + batch_shape`` (one number per event). Argument validation (on
by default, as torch's is unless Python runs with ``-O``) checks each parameter against its
``arg_constraints`` when the distribution is made, and each scored value against ``support``,
raising torch's ValueError messages.
"""
from __future__ import annotations

import warnings

from .._tensor import Size, Tensor
from ..autograd.grad_mode import no_grad
from . import constraints
from .utils import lazy_property

__all__ = ["Distribution"]


def _shape_and_kind(value: Tensor) -> str:
    """'Tensor of shape (2, 3)': how torch's validation messages name a tensor."""
    return f"{type(value).__name__} of shape {tuple(value.shape)}"


class Distribution:
    """The base of every distribution: shapes, argument validation, and the methods a
    subclass provides (``sample``/``rsample``, ``log_prob``, ``cdf``, ``entropy``, moments).

    Args:
        batch_shape: the shape of the batch of independent distributions (a torch.Size).
        event_shape: the shape of one draw of one of them (a torch.Size).
        validate_args: check parameters and scored values (None: the class-wide default,
            ``set_default_validate_args``).
    """

    has_rsample = False
    has_enumerate_support = False
    # the class-wide default; an instance made with validate_args=True/False shadows it
    _validate_args = __debug__

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        """Turn argument validation on or off for every distribution made afterwards without
        an explicit ``validate_args``."""
        if value not in (True, False):
            raise ValueError
        Distribution._validate_args = value

    def __init__(self, batch_shape=Size(), event_shape=Size(),
                 validate_args: bool | None = None) -> None:
        self._batch_shape = batch_shape
        self._event_shape = event_shape
        if validate_args is not None:
            self._validate_args = validate_args
        if self._validate_args:
            self._check_parameters()
        super().__init__()

    def _check_parameters(self) -> None:
        """Each parameter named in ``arg_constraints`` against its constraint. Skipped: the
        constraints that depend on other values, and the lazily derived parameters nobody
        has asked for yet (``logits`` of a distribution made from ``probs``)."""
        try:
            table = self.arg_constraints
        except NotImplementedError:
            table = {}
            warnings.warn(
                f"{self.__class__} does not define `arg_constraints`. "
                "Please set `arg_constraints = {}` or initialize the distribution "
                "with `validate_args=False` to turn off validation.", stacklevel=3)
        for name, constraint in table.items():
            if constraints.is_dependent(constraint):
                continue
            derived_later = isinstance(getattr(type(self), name, None), lazy_property)
            if derived_later and name not in self.__dict__:
                continue
            value = getattr(self, name)
            if not bool(constraint.check(value).all()):
                raise ValueError(
                    f"Expected parameter {name} ({_shape_and_kind(value)}) "
                    f"of distribution {self!r} to satisfy the constraint {constraint!r}, "
                    f"but found invalid values:\n{value}")

    def expand(self, batch_shape, _instance=None):
        """A new distribution with the parameters expanded (as views) to ``batch_shape``."""
        raise NotImplementedError

    def _expand_params(self, cls: type, batch_shape, _instance, names=(), keep=()):
        """The body most ``expand`` methods share: a fresh instance of ``cls`` (or the
        subclass's ``_instance``) whose tensor parameters ``names`` are views of ours expanded
        to ``batch_shape`` (plus their own trailing event dimensions), whose attributes
        ``keep`` are ours as they are, with our event shape and our validation setting (the
        expanded parameters are not checked again)."""
        new = self._get_checked_instance(cls, _instance)
        batch_shape = Size(batch_shape)
        for name in names:
            if name in self.__dict__:
                value = self.__dict__[name]
                trailing = value.shape[len(self._batch_shape):]
                setattr(new, name, value.expand(batch_shape + trailing))
        for name in keep:
            setattr(new, name, getattr(self, name))
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def _expand_via_parent(self, cls: type, batch_shape, _instance, names=()):
        """``expand`` of a class built on a parent that already expands (a
        TransformedDistribution's base and transforms, Gamma's parameters for Chi2): the
        attributes ``names`` that ``cls`` adds are expanded to ``batch_shape`` here, on the
        instance the parent's ``expand`` then fills in."""
        new = self._get_checked_instance(cls, _instance)
        for name in names:
            setattr(new, name, getattr(self, name).expand(batch_shape))
        return super(cls, self).expand(batch_shape, _instance=new)

    @property
    def batch_shape(self) -> Size:
        """The shape over which parameters are batched."""
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        """The shape of a single sample (without batching)."""
        return self._event_shape

    @property
    def arg_constraints(self) -> dict:
        """The constraint each tensor argument must satisfy, by argument name."""
        raise NotImplementedError

    @property
    def support(self):
        """The constraint a value must satisfy to have nonzero probability."""
        raise NotImplementedError

    @property
    def mean(self) -> Tensor:
        raise NotImplementedError

    @property
    def mode(self) -> Tensor:
        raise NotImplementedError(f"{self.__class__} does not implement mode")

    @property
    def variance(self) -> Tensor:
        raise NotImplementedError

    @property
    def stddev(self) -> Tensor:
        return self.variance.sqrt()

    def sample(self, sample_shape=Size()) -> Tensor:
        """A sample of shape ``sample_shape + batch_shape + event_shape``, outside autograd."""
        with no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape=Size()) -> Tensor:
        """A reparameterized sample: differentiable with respect to the parameters."""
        raise NotImplementedError

    def sample_n(self, n: int) -> Tensor:
        """Deprecated: ``sample((n,))``."""
        warnings.warn("`sample_n(n)` will be deprecated. Use `sample((n,))` instead.",
                      FutureWarning, stacklevel=2)
        return self.sample(Size((n,)))

    def log_prob(self, value: Tensor) -> Tensor:
        """The log of the probability density or mass function at ``value``."""
        raise NotImplementedError

    def cdf(self, value: Tensor) -> Tensor:
        """The cumulative distribution function at ``value``."""
        raise NotImplementedError

    def icdf(self, value: Tensor) -> Tensor:
        """The inverse of the cumulative distribution function at ``value``."""
        raise NotImplementedError

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """All values of a discrete distribution's support, along dimension 0."""
        raise NotImplementedError

    def entropy(self) -> Tensor:
        """The entropy, of shape batch_shape."""
        raise NotImplementedError

    def perplexity(self) -> Tensor:
        """exp(entropy)."""
        return self.entropy().exp()

    def _extended_shape(self, sample_shape=Size()) -> Size:
        """The shape of a sample: sample_shape + batch_shape + event_shape."""
        return Size(Size(sample_shape) + self._batch_shape + self._event_shape)

    def _validated(self, value: Tensor) -> Tensor:
        """``value``, after ``_validate_sample`` when this distribution validates."""
        if self._validate_args:
            self._validate_sample(value)
        return value

    def _validate_sample(self, value: Tensor) -> None:
        """Check a value to be scored: a tensor, whose rightmost dimensions are the event
        shape and broadcast with the batch shape, inside the support."""
        if not isinstance(value, Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        shape, n_event = value.size(), len(self._event_shape)
        if shape[len(shape) - n_event:] != self._event_shape:
            raise ValueError("The right-most size of value must match event_shape: "
                             f"{shape} vs {self._event_shape}.")
        wanted = self._batch_shape + self._event_shape
        if any(a != b and 1 not in (a, b) for a, b in zip(shape[::-1], wanted[::-1])):
            raise ValueError("Value is not broadcastable with batch_shape+event_shape: "
                             f"{shape} vs {wanted}.")
        try:
            support = self.support
        except NotImplementedError:
            warnings.warn(
                f"{self.__class__} does not define `support` to enable sample validation. "
                "Please initialize the distribution with `validate_args=False` to turn off "
                "validation.", stacklevel=2)
            return
        if support is None:
            raise AssertionError("support is unexpectedly None")
        if not bool(support.check(value).all()):
            raise ValueError(
                f"Expected value argument ({_shape_and_kind(value)}) "
                f"to be within the support ({support!r}) of the distribution {self!r}, "
                f"but found invalid values:\n{value}")

    def _get_checked_instance(self, cls, _instance=None):
        """The object ``expand`` fills in: ``_instance`` when a subclass passes one, else a
        bare instance of our type, which only works when that type kept ``cls``'s
        ``__init__`` (a custom one must come with its own ``expand``)."""
        if _instance is not None:
            return _instance
        if type(self).__init__ != cls.__init__:
            raise NotImplementedError(
                f"Subclass {self.__class__.__name__} of {cls.__name__} that defines a custom "
                "__init__ method must also define a custom .expand() method.")
        return self.__new__(type(self))

    def __repr__(self) -> str:
        shown = []
        for name in self.arg_constraints:
            if name in self.__dict__:
                value = self.__dict__[name]
                shown.append(f"{name}: {value if value.numel() == 1 else value.size()}")
        return f"{self.__class__.__name__}({', '.join(shown)})"
