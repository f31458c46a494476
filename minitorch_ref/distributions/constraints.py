"""torch.distributions.constraints: the sets a parameter or a sample must lie in.

``c.check(value)`` answers, for each event of ``value``, whether it lies in the set: a bool
tensor with the rightmost ``c.event_dim`` dimensions reduced away. ``is_discrete`` says whether
the set is countable. The module-level instances and factories (``positive``,
``interval(a, b)``, ...) carry torch's names; a constraint's repr is its class name without the
leading underscore, followed by its bounds, as torch prints it.
"""
from __future__ import annotations

import functools
import operator
from typing import Any, Callable

from .. import _creation, _dtype, _ops, linalg

__all__ = ["Constraint", "boolean", "cat", "corr_cholesky", "dependent", "dependent_property",
           "greater_than", "greater_than_eq", "independent", "integer_interval", "interval",
           "half_open_interval", "is_dependent", "less_than", "lower_cholesky",
           "lower_triangular", "MixtureSameFamilyConstraint", "multinomial", "nonnegative",
           "nonnegative_integer", "one_hot", "positive", "positive_semidefinite",
           "positive_definite", "positive_integer", "real", "real_vector", "simplex", "square",
           "stack", "symmetric", "unit_interval"]


class Constraint:
    """A subset of the reals (or of R^n for ``event_dim`` n > 0) that values are checked
    against. Subclasses say what ``check`` tests."""

    is_discrete = False
    event_dim = 0

    def check(self, value):
        """Per event of ``value``: True where it belongs to the set."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__[1:]}()"


def _reduce_rightmost(flags, ndims: int):
    """``flags`` with its last ``ndims`` dimensions folded into one and reduced by logical
    and (an extra trailing dimension of size 1 when ``ndims`` is 0)."""
    kept = flags.shape[:flags.dim() - ndims]
    return flags.reshape(kept + (-1,)).all(-1)


def _require_constraint(c) -> None:
    if not isinstance(c, Constraint):
        raise AssertionError(f"base_constraint must be a Constraint, got {type(c).__name__}")


# -- placeholders ---------------------------------------------------------------------------

def _static(value, what: str):
    """``value`` unless it was left open (NotImplemented), which cannot be answered."""
    if value is NotImplemented:
        raise NotImplementedError(f".{what} cannot be determined statically")
    return value


class _Dependent(Constraint):
    """Stands for a set that depends on other parameters (a Uniform's support depends on its
    bounds): it has no ``check``. ``is_discrete`` and ``event_dim`` may be given or left open;
    calling the placeholder makes a copy with some of them fixed."""

    def __init__(self, *, is_discrete=NotImplemented, event_dim=NotImplemented) -> None:
        self._is_discrete = is_discrete
        self._event_dim = event_dim
        super().__init__()

    is_discrete = property(lambda self: _static(self._is_discrete, "is_discrete"))  # type: ignore
    event_dim = property(lambda self: _static(self._event_dim, "event_dim"))  # type: ignore

    def __call__(self, *, is_discrete=NotImplemented, event_dim=NotImplemented) -> "_Dependent":
        return _Dependent(
            is_discrete=self._is_discrete if is_discrete is NotImplemented else is_discrete,
            event_dim=self._event_dim if event_dim is NotImplemented else event_dim)

    def check(self, x):
        raise ValueError("Cannot determine validity of dependent constraint")


def is_dependent(constraint) -> bool:
    """True for the ``dependent`` placeholder and its copies, which cannot be checked."""
    return isinstance(constraint, _Dependent)


class _DependentProperty(property, _Dependent):
    """A decorator for a distribution's ``support`` (or a transform's ``domain``): read on the
    class it is a ``dependent`` placeholder, read on an instance it runs the decorated method
    and returns the actual constraint. Used bare or called with ``is_discrete``/``event_dim``
    first."""

    def __init__(self, fn: Callable[..., Any] | None = None, *, is_discrete=NotImplemented,
                 event_dim=NotImplemented) -> None:
        property.__init__(self, fn)
        self._is_discrete, self._event_dim = is_discrete, event_dim

    def __call__(self, fn: Callable[..., Any]) -> "_DependentProperty":  # type: ignore[override]
        return _DependentProperty(fn, is_discrete=self._is_discrete, event_dim=self._event_dim)


# -- wrappers around another constraint ----------------------------------------------------

class _IndependentConstraint(Constraint):
    """Reads the last ``reinterpreted_batch_ndims`` batch dimensions of ``base_constraint`` as
    event dimensions: an event belongs to the set when every entry of it does."""

    def __init__(self, base_constraint, reinterpreted_batch_ndims) -> None:
        _require_constraint(base_constraint)
        n = reinterpreted_batch_ndims
        if not isinstance(n, int):
            raise AssertionError(
                f"reinterpreted_batch_ndims must be an int, got {type(n).__name__}")
        if n < 0:
            raise AssertionError(f"reinterpreted_batch_ndims must be >= 0, got {n}")
        self.base_constraint, self.reinterpreted_batch_ndims = base_constraint, n
        super().__init__()

    is_discrete = property(lambda self: self.base_constraint.is_discrete)  # type: ignore
    event_dim = property(  # type: ignore
        lambda self: self.base_constraint.event_dim + self.reinterpreted_batch_ndims)

    def check(self, value):
        flags = self.base_constraint.check(value)
        if flags.dim() < self.reinterpreted_batch_ndims:
            raise ValueError(f"Expected value.dim() >= {self.event_dim} but got {value.dim()}")
        return _reduce_rightmost(flags, self.reinterpreted_batch_ndims)

    def __repr__(self) -> str:
        return (f"{type(self).__name__[1:]}({self.base_constraint!r}, "
                f"{self.reinterpreted_batch_ndims})")


class MixtureSameFamilyConstraint(Constraint):
    """A mixture's support: a value is valid when the component constraint accepts it for
    every component (the value is broadcast along a new component dimension)."""

    def __init__(self, base_constraint) -> None:
        _require_constraint(base_constraint)
        self.base_constraint = base_constraint
        super().__init__()

    is_discrete = property(lambda self: self.base_constraint.is_discrete)  # type: ignore
    event_dim = property(lambda self: self.base_constraint.event_dim)  # type: ignore

    def check(self, value):
        per_component = self.base_constraint.check(value.unsqueeze(-1 - self.event_dim))
        if value.dim() < self.event_dim:
            raise ValueError(f"Expected value.dim() >= {self.event_dim} but got {value.dim()}")
        return _reduce_rightmost(per_component, per_component.dim() - value.dim()
                                 + self.event_dim)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_constraint!r})"


# -- sets bounded by numbers ----------------------------------------------------------------

class _Bounded(Constraint):
    """x compared with a lower and/or an upper bound. A subclass names its bounds in
    ``_names`` (for the repr) and gives the comparisons: ``_below(lower_bound, x)`` and
    ``_above(x, upper_bound)``, each ``operator.lt`` (strict) or ``operator.le``, or None where
    that side is open. A discrete subclass also requires x to be an integer."""

    _names: tuple = ()
    _below: Callable | None = None
    _above: Callable | None = None

    def check(self, value):
        tests = [value % 1 == 0] if self.is_discrete else []
        if self._below is not None:
            tests.append(self._below(self.lower_bound, value))
        if self._above is not None:
            tests.append(self._above(value, self.upper_bound))
        return functools.reduce(operator.and_, tests)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)}" for name in self._names)
        return f"{type(self).__name__[1:]}({fields})"


class _FromBelow(_Bounded):
    _names = ("lower_bound",)

    def __init__(self, lower_bound) -> None:
        self.lower_bound = lower_bound
        super().__init__()


class _FromAbove(_Bounded):
    _names = ("upper_bound",)

    def __init__(self, upper_bound) -> None:
        self.upper_bound = upper_bound
        super().__init__()


class _TwoSided(_Bounded):
    _names = ("lower_bound", "upper_bound")

    def __init__(self, lower_bound, upper_bound) -> None:
        self.lower_bound, self.upper_bound = lower_bound, upper_bound
        super().__init__()


class _GreaterThan(_FromBelow):
    """lower_bound < x."""
    _below = staticmethod(operator.lt)


class _GreaterThanEq(_FromBelow):
    """lower_bound <= x."""
    _below = staticmethod(operator.le)


class _LessThan(_FromAbove):
    """x < upper_bound."""
    _above = staticmethod(operator.lt)


class _Interval(_TwoSided):
    """lower_bound <= x <= upper_bound."""
    _below = _above = staticmethod(operator.le)


class _HalfOpenInterval(_TwoSided):
    """lower_bound <= x < upper_bound."""
    _below, _above = staticmethod(operator.le), staticmethod(operator.lt)


class _IntegerGreaterThan(_FromBelow):
    """Integers k >= lower_bound."""
    is_discrete = True
    _below = staticmethod(operator.le)


class _IntegerLessThan(_FromAbove):
    """Integers k <= upper_bound."""
    is_discrete = True
    _above = staticmethod(operator.le)


class _IntegerInterval(_TwoSided):
    """Integers k with lower_bound <= k <= upper_bound."""
    is_discrete = True
    _below = _above = staticmethod(operator.le)


class _Real(Constraint):
    """All reals including +-inf; only NaN fails (it is the one value unequal to itself)."""

    def check(self, value):
        return value == value


class _Boolean(Constraint):
    """The two values 0 and 1."""

    is_discrete = True

    def check(self, value):
        return (value == 0) | (value == 1)


# -- vectors ----------------------------------------------------------------------------------

class _OneHot(Constraint):
    """Vectors of zeros and ones with exactly one 1."""

    is_discrete = True
    event_dim = 1

    def check(self, value):
        return _boolean.check(value).all(-1) & value.sum(-1).eq(1)


class _Simplex(Constraint):
    """Probability vectors: x_i >= 0 and |sum_i x_i - 1| < 1e-6."""

    event_dim = 1

    def check(self, value):
        nonnegative_ = _ops.all(value >= 0, dim=-1)
        return nonnegative_ & ((value.sum(-1) - 1).abs() < 1e-6)


class _Multinomial(Constraint):
    """Count vectors: x_i >= 0 and sum_i x_i <= upper_bound. Like torch, it does not test
    that the counts are integers."""

    is_discrete = True
    event_dim = 1

    def __init__(self, upper_bound) -> None:
        self.upper_bound = upper_bound

    def check(self, x):
        return (x >= 0).all(dim=-1) & (x.sum(dim=-1) <= self.upper_bound)


# -- matrices ---------------------------------------------------------------------------------

def _tril_everywhere(value):
    """Per matrix: no entry above the diagonal differs from 0."""
    same = value.tril() == value
    return same.view(value.shape[:-2] + (-1,)).min(-1)[0]


class _LowerTriangular(Constraint):
    """Square matrices with zeros above the diagonal."""

    event_dim = 2

    def check(self, value):
        return _tril_everywhere(value)


class _LowerCholesky(Constraint):
    """Lower-triangular matrices whose diagonal is strictly positive."""

    event_dim = 2

    def check(self, value):
        diagonal_positive = (value.diagonal(dim1=-2, dim2=-1) > 0).min(-1)[0]
        return _tril_everywhere(value) & diagonal_positive


class _CorrCholesky(Constraint):
    """Cholesky factors of correlation matrices: lower Cholesky with every row of norm 1, up
    to 10 n eps."""

    event_dim = 2

    def check(self, value):
        n = value.size(-1)
        tolerance = _dtype.finfo(value.dtype).eps * n * 10
        norms = linalg.norm(value.detach(), dim=-1)
        rows_unit = (norms - 1.0).abs().le(tolerance).all(dim=-1)
        return _lower_cholesky.check(value) & rows_unit


class _Square(Constraint):
    """n x n matrices. The subclasses narrow this set one condition at a time (symmetric,
    then semidefinite or definite): ``check`` evaluates the conditions from the widest down
    and stops at the first one some matrix fails, returning that condition's answer. So the
    costly tests (eigenvalues, Cholesky) only see matrices that passed the cheaper ones."""

    event_dim = 2

    @staticmethod
    def _condition(value):
        is_square = value.shape[-2] == value.shape[-1]
        return _creation.full(size=value.shape[:-2], fill_value=is_square, dtype=_dtype.bool)

    def check(self, value):
        chain = [k.__dict__["_condition"] for k in reversed(type(self).__mro__)
                 if "_condition" in k.__dict__]
        for condition in chain:
            answer = condition.__func__(value)
            if not answer.all():
                break
        return answer


class _Symmetric(_Square):
    """Square matrices equal to their transpose within atol 1e-6."""

    @staticmethod
    def _condition(value):
        return _ops.isclose(value, value.mT, atol=1e-6).all(-2).all(-1)


class _PositiveSemidefinite(_Symmetric):
    """Symmetric matrices whose eigenvalues are all >= 0."""

    @staticmethod
    def _condition(value):
        return linalg.eigvalsh(value).ge(0).all(-1)


class _PositiveDefinite(_Symmetric):
    """Symmetric matrices that a Cholesky factorization accepts."""

    @staticmethod
    def _condition(value):
        return linalg.cholesky_ex(value).info.eq(0)


# -- constraints on pieces of a tensor ------------------------------------------------------

class _Pieces(Constraint):
    """Different constraints for different pieces of a tensor along ``dim``."""

    def __init__(self, cseq, dim: int) -> None:
        if not all(isinstance(c, Constraint) for c in cseq):
            raise AssertionError("All elements of cseq must be Constraint instances")
        self.cseq = list(cseq)
        self.dim = dim
        super().__init__()

    is_discrete = property(lambda self: any(c.is_discrete for c in self.cseq))  # type: ignore

    def _require_dim(self, value) -> None:
        if not -value.dim() <= self.dim < value.dim():
            raise AssertionError(
                f"dim {self.dim} out of range for value with {value.dim()} dimensions")


class _Cat(_Pieces):
    """``cseq[i]`` holds for the i-th block of ``lengths[i]`` (default 1) consecutive
    entries along ``dim``."""

    def __init__(self, cseq, dim=0, lengths=None) -> None:
        super().__init__(cseq, dim)
        self.lengths = [1] * len(self.cseq) if lengths is None else list(lengths)
        if len(self.lengths) != len(self.cseq):
            raise AssertionError(
                f"lengths ({len(self.lengths)}) must match cseq ({len(self.cseq)})")

    @property
    def event_dim(self) -> int:  # type: ignore[override]
        return max(c.event_dim for c in self.cseq)

    def check(self, value):
        self._require_dim(value)
        answers, start = [], 0
        for c, length in zip(self.cseq, self.lengths):
            answers.append(c.check(value.narrow(self.dim, start, length)))
            start += length
        return _ops.cat(answers, self.dim)


class _Stack(_Pieces):
    """``cseq[i]`` holds for the i-th slice along ``dim``."""

    def __init__(self, cseq, dim=0) -> None:
        super().__init__(cseq, dim)

    @property
    def event_dim(self) -> int:  # type: ignore[override]
        widest = max(c.event_dim for c in self.cseq)
        # a negative dim that reaches into the events adds one event dimension
        return widest + 1 if self.dim + widest < 0 else widest

    def check(self, value):
        self._require_dim(value)
        slices = [value.select(self.dim, i) for i in range(value.size(self.dim))]
        return _ops.stack([c.check(s) for s, c in zip(slices, self.cseq)], self.dim)


# -- torch's public instances and factories --------------------------------------------------

_boolean = _Boolean()
_lower_cholesky = _LowerCholesky()

dependent = _Dependent()
dependent_property = _DependentProperty
independent = _IndependentConstraint
boolean = _boolean
one_hot = _OneHot()
nonnegative_integer = _IntegerGreaterThan(0)
positive_integer = _IntegerGreaterThan(1)
integer_interval = _IntegerInterval
real = _Real()
real_vector = independent(real, 1)
positive = _GreaterThan(0.0)
nonnegative = _GreaterThanEq(0.0)
greater_than = _GreaterThan
greater_than_eq = _GreaterThanEq
less_than = _LessThan
multinomial = _Multinomial
unit_interval = _Interval(0.0, 1.0)
interval = _Interval
half_open_interval = _HalfOpenInterval
simplex = _Simplex()
lower_triangular = _LowerTriangular()
lower_cholesky = _lower_cholesky
corr_cholesky = _CorrCholesky()
square = _Square()
symmetric = _Symmetric()
positive_semidefinite = _PositiveSemidefinite()
positive_definite = _PositiveDefinite()
cat = _Cat
stack = _Stack
