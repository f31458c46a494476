"""torch.distributions.transforms: maps y = f(x) between constrained sets, with
log|det df/dx|, out of which TransformedDistribution builds densities
(p_Y(y) = p_X(x) / |det df/dx| at x = f^-1(y)).

Every transform knows its ``domain`` and ``codomain`` (constraints), whether it is
``bijective``, the ``sign`` of its derivative where it is monotone, its inverse ``t.inv``
(a view that swaps the two directions) and how it changes shapes. With ``cache_size=1`` it
remembers its last (x, y) pair: inverting an output it just produced returns that exact x.

Provided: Transform, ComposeTransform, identity_transform, IndependentTransform,
ReshapeTransform, ExpTransform, PowerTransform, SigmoidTransform, SoftplusTransform,
TanhTransform, AbsTransform, AffineTransform, SoftmaxTransform, StickBreakingTransform,
LowerCholeskyTransform, PositiveDefiniteTransform, CorrCholeskyTransform,
CumulativeDistributionTransform. torch's CatTransform and StackTransform are not.
"""
from __future__ import annotations

import math

from .. import _creation, _dtype, _ops, linalg
from .._tensor import Size
from ..nn import functional as F
from . import constraints
from .utils import (_diag_embed, _Number, _sum_rightmost, broadcast_all, lazy_property,
                    tril_matrix_to_vec, vec_to_tril_matrix)

__all__ = ["AbsTransform", "AffineTransform", "ComposeTransform", "CorrCholeskyTransform",
           "CumulativeDistributionTransform", "ExpTransform", "IndependentTransform",
           "LowerCholeskyTransform", "PositiveDefiniteTransform", "PowerTransform",
           "ReshapeTransform", "SigmoidTransform", "SoftplusTransform", "TanhTransform",
           "SoftmaxTransform", "StickBreakingTransform", "Transform", "identity_transform"]


class Transform:
    """The base of all transforms. A subclass implements ``_call`` (x -> y), ``_inverse``
    (y -> x) and ``log_abs_det_jacobian(x, y)``, and sets ``domain``/``codomain``. If its
    constructor takes arguments, it lists their attribute names in ``_ctor_args`` so that
    ``with_cache`` can rebuild it."""

    bijective = False
    _ctor_args: tuple | None = None

    def __init__(self, cache_size: int = 0) -> None:
        if cache_size not in (0, 1):
            raise ValueError("cache_size must be 0 or 1")
        self._cache_size = cache_size
        self._inv = None
        if cache_size:
            self._cached_x_y = (None, None)
        super().__init__()

    def __getstate__(self):
        # the inverse points back at this transform: rebuilt on demand after unpickling
        return {**self.__dict__, "_inv": None}

    @property
    def event_dim(self) -> int:
        if self.domain.event_dim != self.codomain.event_dim:
            raise ValueError("Please use either .domain.event_dim or .codomain.event_dim")
        return self.domain.event_dim

    @property
    def inv(self) -> "Transform":
        """f^-1, built on first use and kept (its ``inv`` is this transform again)."""
        if self._inv is None:
            self._inv = _InverseTransform(self)
        return self._inv

    @property
    def sign(self) -> int:
        """+1 or -1: whether f increases or decreases (monotone univariate maps only)."""
        raise NotImplementedError

    def with_cache(self, cache_size: int = 1) -> "Transform":
        """The same map with the given cache size (``self`` if it already has it)."""
        if cache_size == self._cache_size:
            return self
        if self._ctor_args is not None:
            args = [getattr(self, name) for name in self._ctor_args]
            return type(self)(*args, cache_size=cache_size)
        if type(self).__init__ is Transform.__init__:
            return type(self)(cache_size=cache_size)
        raise NotImplementedError(f"{type(self)}.with_cache is not implemented")

    def __eq__(self, other) -> bool:
        return self is other

    def __ne__(self, other) -> bool:
        return not self == other

    def _through_cache(self, value, is_input: bool, compute):
        """``compute(value)``, unless ``value`` is the very object on one side of the cached
        pair, in which case the other side is returned."""
        if not self._cache_size:
            return compute(value)
        pair = self._cached_x_y
        mine, other = (0, 1) if is_input else (1, 0)
        if value is pair[mine]:
            return pair[other]
        result = compute(value)
        self._cached_x_y = (value, result) if is_input else (result, value)
        return result

    def __call__(self, x):
        return self._through_cache(x, True, self._call)

    def _inv_call(self, y):
        return self._through_cache(y, False, self._inverse)

    def _call(self, x):
        raise NotImplementedError

    def _inverse(self, y):
        raise NotImplementedError

    def log_abs_det_jacobian(self, x, y):
        """log|det df/dx| at x, given y = f(x) as well."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def forward_shape(self, shape):
        """The shape of f(x) for x of ``shape``."""
        return shape

    def inverse_shape(self, shape):
        """The shape of f^-1(y) for y of ``shape``."""
        return shape


class _InverseTransform(Transform):
    """f^-1 as a transform of its own: the directions, domain and codomain swapped, the
    log-determinant negated (log|det df^-1/dy| = -log|det df/dx|). It shares f's cache."""

    def __init__(self, transform: Transform) -> None:
        super().__init__(cache_size=transform._cache_size)
        self._inv = transform

    @constraints.dependent_property(is_discrete=False)
    def domain(self):
        return self._inv.codomain

    @constraints.dependent_property(is_discrete=False)
    def codomain(self):
        return self._inv.domain

    bijective = property(lambda self: self._inv.bijective)  # type: ignore[assignment]
    sign = property(lambda self: self._inv.sign)  # type: ignore[assignment]
    inv = property(lambda self: self._inv)  # type: ignore[assignment]

    def with_cache(self, cache_size: int = 1) -> Transform:
        return self._inv.with_cache(cache_size).inv

    def __eq__(self, other) -> bool:
        return isinstance(other, _InverseTransform) and self._inv == other._inv

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._inv!r})"

    def __call__(self, x):
        return self._inv._inv_call(x)

    def log_abs_det_jacobian(self, x, y):
        return -self._inv.log_abs_det_jacobian(y, x)

    def forward_shape(self, shape):
        return self._inv.inverse_shape(shape)

    def inverse_shape(self, shape):
        return self._inv.forward_shape(shape)


def _widest_end(chain: list, near: str, far: str):
    """The constraint at one end of a chain of transforms (``near`` = "domain": its input
    end, walking the chain backwards; "codomain": its output end, walking forwards), widened
    with independent dimensions until it covers every event dimension some part needs."""
    event_dim = getattr(chain[0], far).event_dim
    for part in chain:
        event_dim += getattr(part, near).event_dim - getattr(part, far).event_dim
        event_dim = max(event_dim, getattr(part, near).event_dim)
    end = getattr(chain[-1], near)
    if event_dim < end.event_dim:
        raise AssertionError(f"event_dim {event_dim} must be >= {near}.event_dim "
                             f"{end.event_dim}")
    if event_dim == end.event_dim:
        return end
    return constraints.independent(end, event_dim - end.event_dim)


class ComposeTransform(Transform):
    """f = parts[-1] o ... o parts[0]. By the chain rule log|det df/dx| is the sum of the
    parts' terms at their own inputs, each first summed over the event dimensions the whole
    map has beyond that part's."""

    _ctor_args = ("parts",)

    def __init__(self, parts: list, cache_size: int = 0) -> None:
        if cache_size:
            parts = [part.with_cache(cache_size) for part in parts]
        super().__init__(cache_size=cache_size)
        self.parts = parts

    def __eq__(self, other) -> bool:
        return isinstance(other, ComposeTransform) and self.parts == other.parts

    @constraints.dependent_property(is_discrete=False)
    def domain(self):
        if not self.parts:
            return constraints.real
        return _widest_end(self.parts[::-1], "domain", "codomain")

    @constraints.dependent_property(is_discrete=False)
    def codomain(self):
        if not self.parts:
            return constraints.real
        return _widest_end(self.parts, "codomain", "domain")

    @lazy_property
    def bijective(self) -> bool:  # type: ignore[override]
        return all(part.bijective for part in self.parts)

    @lazy_property
    def sign(self) -> int:  # type: ignore[override]
        product = 1
        for part in self.parts:
            product = product * part.sign
        return product

    @property
    def inv(self) -> Transform:
        if self._inv is None:
            reverse = ComposeTransform([part.inv for part in self.parts[::-1]])
            reverse._inv = self
            self._inv = reverse
        return self._inv

    def __call__(self, x):
        for part in self.parts:
            x = part(x)
        return x

    def log_abs_det_jacobian(self, x, y):
        if not self.parts:
            return _creation.zeros_like(x)
        # the value entering each part (the parts' caches make the last call free)
        inputs = [x]
        for part in self.parts[:-1]:
            inputs.append(part(inputs[-1]))
        outputs = inputs[1:] + [y]
        total = None
        event_dim = self.domain.event_dim
        for part, a, b in zip(self.parts, inputs, outputs):
            term = _sum_rightmost(part.log_abs_det_jacobian(a, b),
                                  event_dim - part.domain.event_dim)
            total = term if total is None else total + term
            event_dim += part.codomain.event_dim - part.domain.event_dim
        return total

    def forward_shape(self, shape):
        for part in self.parts:
            shape = part.forward_shape(shape)
        return shape

    def inverse_shape(self, shape):
        for part in self.parts[::-1]:
            shape = part.inverse_shape(shape)
        return shape

    def __repr__(self) -> str:
        inner = ",\n    ".join(repr(part) for part in self.parts)
        return f"{type(self).__name__}(\n    {inner}\n)"


identity_transform = ComposeTransform([])


class IndependentTransform(Transform):
    """``base_transform`` acting on events with ``reinterpreted_batch_ndims`` more
    dimensions; its log-determinant is summed over them."""

    _ctor_args = ("base_transform", "reinterpreted_batch_ndims")

    def __init__(self, base_transform: Transform, reinterpreted_batch_ndims: int,
                 cache_size: int = 0) -> None:
        super().__init__(cache_size=cache_size)
        self.base_transform = base_transform.with_cache(cache_size)
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims

    @constraints.dependent_property(is_discrete=False)
    def domain(self):
        return constraints.independent(self.base_transform.domain,
                                       self.reinterpreted_batch_ndims)

    @constraints.dependent_property(is_discrete=False)
    def codomain(self):
        return constraints.independent(self.base_transform.codomain,
                                       self.reinterpreted_batch_ndims)

    bijective = property(lambda self: self.base_transform.bijective)  # type: ignore
    sign = property(lambda self: self.base_transform.sign)  # type: ignore[assignment]

    def _call(self, x):
        _require_dims(x.dim(), self.domain.event_dim)
        return self.base_transform(x)

    def _inverse(self, y):
        _require_dims(y.dim(), self.codomain.event_dim)
        return self.base_transform.inv(y)

    def log_abs_det_jacobian(self, x, y):
        per_entry = self.base_transform.log_abs_det_jacobian(x, y)
        return _sum_rightmost(per_entry, self.reinterpreted_batch_ndims)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.base_transform!r}, "
                f"{self.reinterpreted_batch_ndims})")

    def forward_shape(self, shape):
        return self.base_transform.forward_shape(shape)

    def inverse_shape(self, shape):
        return self.base_transform.inverse_shape(shape)


def _require_dims(ndim: int, needed: int) -> None:
    if ndim < needed:
        raise ValueError("Too few dimensions on input")


def _replace_tail(shape, tail: Size, new_tail: Size):
    """``shape`` with its trailing ``tail`` swapped for ``new_tail``."""
    _require_dims(len(shape), len(tail))
    cut = len(shape) - len(tail)
    if shape[cut:] != tail:
        raise ValueError(f"Shape mismatch: expected {shape[cut:]} but got {tail}")
    return shape[:cut] + new_tail


class ReshapeTransform(Transform):
    """Reshapes the trailing ``in_shape`` of x into ``out_shape`` (a volume-preserving
    bijection: log|det| = 0)."""

    bijective = True
    _ctor_args = ("in_shape", "out_shape")

    def __init__(self, in_shape, out_shape, cache_size: int = 0) -> None:
        self.in_shape, self.out_shape = Size(in_shape), Size(out_shape)
        if self.in_shape.numel() != self.out_shape.numel():
            raise ValueError("in_shape, out_shape have different numbers of elements")
        super().__init__(cache_size=cache_size)

    @constraints.dependent_property
    def domain(self):
        return constraints.independent(constraints.real, len(self.in_shape))

    @constraints.dependent_property
    def codomain(self):
        return constraints.independent(constraints.real, len(self.out_shape))

    def _batch(self, t, event: Size):
        return t.shape[:t.dim() - len(event)]

    def _call(self, x):
        return x.reshape(self._batch(x, self.in_shape) + self.out_shape)

    def _inverse(self, y):
        return y.reshape(self._batch(y, self.out_shape) + self.in_shape)

    def log_abs_det_jacobian(self, x, y):
        return x.new_zeros(self._batch(x, self.in_shape))

    def forward_shape(self, shape):
        return _replace_tail(shape, self.in_shape, self.out_shape)

    def inverse_shape(self, shape):
        return _replace_tail(shape, self.out_shape, self.in_shape)


# -- maps without parameters ------------------------------------------------------------------

class _Parameterless(Transform):
    """A transform with no parameters: any two instances of one such class are equal (and
    instances of its subclasses count as that class)."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if _Parameterless in cls.__bases__ or _Elementwise in cls.__bases__:
            cls._kind = cls

    def __eq__(self, other) -> bool:
        return isinstance(other, self._kind)


class _Elementwise(_Parameterless):
    """An increasing bijection of the real line applied entry by entry. A subclass states its
    codomain and three maps: ``_f`` (x -> y), ``_f_inv`` (y -> x) and ``_log_df`` (x, y ->
    log f'(x))."""

    domain = constraints.real
    bijective = True
    sign = +1

    def _call(self, x):
        return self._f(x)

    def _inverse(self, y):
        return self._f_inv(y)

    def log_abs_det_jacobian(self, x, y):
        return self._log_df(x, y)


def _inside_unit(t):
    """``t`` clamped into [tiny, 1 - eps] of its dtype, so that logit and log(1 - t) stay
    finite."""
    info = _dtype.finfo(t.dtype)
    return _ops.clamp(t, min=info.tiny, max=1.0 - info.eps)


class ExpTransform(_Elementwise):
    """y = e^x;  log|dy/dx| = x."""

    codomain = constraints.positive
    _f = staticmethod(lambda x: x.exp())
    _f_inv = staticmethod(lambda y: y.log())
    _log_df = staticmethod(lambda x, y: x)


class SigmoidTransform(_Elementwise):
    """y = 1 / (1 + e^-x), kept inside (0, 1);  x = log y - log(1 - y);
    log|dy/dx| = log(y (1 - y)) = -softplus(-x) - softplus(x)."""

    codomain = constraints.unit_interval
    _f = staticmethod(lambda x: _inside_unit(_ops.sigmoid(x)))
    _f_inv = staticmethod(lambda y: _logit(_inside_unit(y)))
    _log_df = staticmethod(lambda x, y: -F.softplus(-x) - F.softplus(x))


def _logit(p):
    return p.log() - (-p).log1p()


class SoftplusTransform(_Elementwise):
    """y = log(1 + e^x);  x = log(1 - e^-y) + y;  log|dy/dx| = log sigmoid(x) =
    -softplus(-x)."""

    codomain = constraints.positive
    _f = staticmethod(F.softplus)
    _f_inv = staticmethod(lambda y: (-y).expm1().neg().log() + y)
    _log_df = staticmethod(lambda x, y: -F.softplus(-x))


class TanhTransform(_Elementwise):
    """y = tanh x;  log|dy/dx| = log(1 - tanh^2 x), computed without cancellation as
    2 (log 2 - x - softplus(-2x))."""

    codomain = constraints.interval(-1.0, 1.0)
    _f = staticmethod(lambda x: x.tanh())
    _f_inv = staticmethod(_ops.atanh)
    _log_df = staticmethod(lambda x, y: 2.0 * (math.log(2.0) - x - F.softplus(-2.0 * x)))


class AbsTransform(_Parameterless):
    """y = |x|: not injective, so no sign and no log-determinant; the inverse returns the
    nonnegative preimage x = y."""

    domain = constraints.real
    codomain = constraints.positive

    def _call(self, x):
        return x.abs()

    def _inverse(self, y):
        return y


class SoftmaxTransform(_Parameterless):
    """y = exp(x) / sum(exp(x)) over the last dimension (shifted by the max for range).
    Not injective (x + c gives the same y); the inverse returns log y."""

    domain = constraints.real_vector
    codomain = constraints.simplex

    def _call(self, x):
        unnormalized = (x - x.max(-1, True)[0]).exp()
        return unnormalized / unnormalized.sum(-1, True)

    def _inverse(self, y):
        return y.log()

    def forward_shape(self, shape):
        _require_dims(len(shape), 1)
        return shape

    inverse_shape = forward_shape


def _remaining_lengths(k: int, dtype):
    """k, k-1, ..., 1: the number of coordinates still to fill at each stick-breaking step."""
    return _creation.arange(k, 0, -1, dtype=dtype)


class StickBreakingTransform(_Parameterless):
    """R^(K-1) onto the K-simplex. Step k breaks off the fraction
    z_k = sigmoid(x_k - log(K - k)) of what is left of a unit stick:
    y_k = z_k prod_{j<k} (1 - z_j), and y_K gets the rest. The shift makes x = 0 the
    simplex's centre."""

    domain = constraints.real_vector
    codomain = constraints.simplex
    bijective = True

    def _shifted(self, x):
        return x - _remaining_lengths(x.shape[-1], x.dtype).log()

    def _call(self, x):
        z = _inside_unit(_ops.sigmoid(self._shifted(x)))
        left_before = F.pad((1 - z).cumprod(-1), [1, 0], value=1)
        return F.pad(z, [0, 1], value=1) * left_before

    def _inverse(self, y):
        head = y[..., :-1]
        # what remains of the stick before each piece; where one coordinate took (almost)
        # everything it rounds to 0, hence the clamp at the smallest normal number
        left = _ops.clamp(1 - head.cumsum(-1), min=_dtype.finfo(y.dtype).tiny)
        return head.log() - left.log() + _remaining_lengths(head.shape[-1], y.dtype).log()

    def log_abs_det_jacobian(self, x, y):
        # triangular Jacobian of x -> y[..., :-1]: diagonal y_k (1 - z_k)
        s = self._shifted(x)
        return (-s + F.logsigmoid(s) + y[..., :-1].log()).sum(-1)

    def forward_shape(self, shape):
        _require_dims(len(shape), 1)
        return shape[:-1] + (shape[-1] + 1,)

    def inverse_shape(self, shape):
        _require_dims(len(shape), 1)
        return shape[:-1] + (shape[-1] - 1,)


def _map_diagonal(m, fn):
    """``m`` with its strict upper triangle zeroed and ``fn`` applied to its diagonal."""
    return m.tril(-1) + _diag_embed(fn(m.diagonal(dim1=-2, dim2=-1)))


class LowerCholeskyTransform(_Parameterless):
    """Any square matrix to a Cholesky factor: keeps the strict lower triangle, exponentiates
    the diagonal, drops the rest (so not injective)."""

    domain = constraints.independent(constraints.real, 2)
    codomain = constraints.lower_cholesky

    def _call(self, x):
        return _map_diagonal(x, lambda d: d.exp())

    def _inverse(self, y):
        return _map_diagonal(y, lambda d: d.log())


class PositiveDefiniteTransform(_Parameterless):
    """Any square matrix to a positive definite one: L L^T with L its lower Cholesky
    transform; the inverse factors y and undoes that transform."""

    domain = constraints.independent(constraints.real, 2)
    codomain = constraints.positive_definite

    def _call(self, x):
        factor = LowerCholeskyTransform()(x)
        return factor @ factor.mT

    def _inverse(self, y):
        return LowerCholeskyTransform().inv(linalg.cholesky(y))


class CorrCholeskyTransform(Transform):
    """A vector of D(D-1)/2 reals to the Cholesky factor L of a D x D correlation matrix.
    The entries go through tanh into (-1, 1) and fill the strict lower triangle as r; row i
    is then made unit-norm by stick breaking: L_ij = r_ij sqrt(1 - sum_{k<j} L_ik^2), and
    the diagonal takes what is left. The log-determinant adds the tanh part,
    sum log(1 - tanh^2 x), and the stick-breaking part, 1/2 sum log(1 - sum_{k<j} L_ik^2)."""

    domain = constraints.real_vector
    codomain = constraints.corr_cholesky
    bijective = True

    def _call(self, x):
        eps = _dtype.finfo(x.dtype).eps
        r = vec_to_tril_matrix(_ops.tanh(x).clamp(min=-1 + eps, max=1 - eps), diag=-1)
        # sqrt(1 - r_ik^2) multiplied along the row gives sqrt(1 - sum_{k<j} L_ik^2)
        remaining = (1 - r ** 2).sqrt().cumprod(-1)
        scale = F.pad(remaining[..., :-1], [1, 0], value=1)
        return (r + _creation.eye(r.shape[-1], dtype=r.dtype)) * scale

    def _inverse(self, y):
        left = 1 - _ops.cumsum(y * y, dim=-1)
        left_before = F.pad(left[..., :-1], [1, 0], value=1)
        t = tril_matrix_to_vec(y, diag=-1) / tril_matrix_to_vec(left_before, diag=-1).sqrt()
        return (t.log1p() - t.neg().log1p()) / 2  # atanh t

    def log_abs_det_jacobian(self, x, y, intermediates=None):
        left = tril_matrix_to_vec(1 - (y * y).cumsum(dim=-1), diag=-2)
        stick_part = 0.5 * left.log().sum(-1)
        tanh_part = -2 * (x + F.softplus(-2 * x) - math.log(2.0)).sum(dim=-1)
        return stick_part + tanh_part

    def forward_shape(self, shape):
        # (..., N) -> (..., D, D) with N = D (D - 1) / 2
        _require_dims(len(shape), 1)
        n = shape[-1]
        d = round((0.25 + 2 * n) ** 0.5 + 0.5)
        if d * (d - 1) // 2 != n:
            raise ValueError("Input is not a flattened lower-diagonal number")
        return shape[:-1] + (d, d)

    def inverse_shape(self, shape):
        _require_dims(len(shape), 2)
        if shape[-2] != shape[-1]:
            raise ValueError("Input is not square")
        d = shape[-1]
        return shape[:-2] + (d * (d - 1) // 2,)


# -- maps with parameters -------------------------------------------------------------------

def _equal_params(a, b) -> bool:
    """Two parameters (numbers or tensors) hold the same values everywhere."""
    if isinstance(a, _Number) and isinstance(b, _Number):
        return a == b
    return bool((a == b).all().item())


class _Broadcasting(Transform):
    """A transform whose parameters (named in ``_ctor_args``, all but ``_shapeless``)
    broadcast against x, so they can widen its shape."""

    _shapeless: tuple = ()

    def forward_shape(self, shape):
        params = [getattr(self, name) for name in self._ctor_args
                  if name not in self._shapeless]
        return _ops.broadcast_shapes(shape, *(getattr(p, "shape", ()) for p in params))

    inverse_shape = forward_shape


class PowerTransform(_Broadcasting):
    """y = x^exponent on the positive reals;  log|dy/dx| = log|exponent x^(exponent-1)|,
    written as log|exponent y / x|."""

    domain = constraints.positive
    codomain = constraints.positive
    bijective = True
    _ctor_args = ("exponent",)

    def __init__(self, exponent, cache_size: int = 0) -> None:
        super().__init__(cache_size=cache_size)
        (self.exponent,) = broadcast_all(exponent)

    @lazy_property
    def sign(self):  # type: ignore[override]
        return self.exponent.sign()

    def __eq__(self, other) -> bool:
        return isinstance(other, PowerTransform) and _equal_params(self.exponent,
                                                                   other.exponent)

    def _call(self, x):
        return x.pow(self.exponent)

    def _inverse(self, y):
        return y.pow(1 / self.exponent)

    def log_abs_det_jacobian(self, x, y):
        return (self.exponent * y / x).abs().log()


class AffineTransform(_Broadcasting):
    """y = loc + scale x, acting on events of ``event_dim`` dimensions;
    log|det dy/dx| = sum of log|scale| over those dimensions."""

    bijective = True
    _ctor_args = ("loc", "scale", "event_dim")
    _shapeless = ("event_dim",)

    def __init__(self, loc, scale, event_dim: int = 0, cache_size: int = 0) -> None:
        super().__init__(cache_size=cache_size)
        self.loc, self.scale = loc, scale
        self._event_dim = event_dim

    event_dim = property(lambda self: self._event_dim)  # type: ignore[assignment]

    def _reals(self):
        if self.event_dim == 0:
            return constraints.real
        return constraints.independent(constraints.real, self.event_dim)

    domain = constraints.dependent_property(_reals, is_discrete=False)
    codomain = constraints.dependent_property(_reals, is_discrete=False)

    def __eq__(self, other) -> bool:
        return (isinstance(other, AffineTransform) and _equal_params(self.loc, other.loc)
                and _equal_params(self.scale, other.scale))

    @property
    def sign(self):
        if not isinstance(self.scale, _Number):
            return self.scale.sign()
        s = float(self.scale)
        return (s > 0) - (s < 0)

    def _call(self, x):
        return self.loc + self.scale * x

    def _inverse(self, y):
        return (y - self.loc) / self.scale

    def log_abs_det_jacobian(self, x, y):
        if isinstance(self.scale, _Number):
            per_entry = _creation.full_like(x, math.log(abs(self.scale)))
        else:
            per_entry = _ops.abs(self.scale).log()
        shape = x.shape
        if self.event_dim:
            per_entry = per_entry.view(per_entry.size()[:-self.event_dim] + (-1,)).sum(-1)
            shape = shape[:-self.event_dim]
        return per_entry.expand(shape)


class CumulativeDistributionTransform(Transform):
    """x -> F(x), the CDF of ``distribution``, onto (0, 1) (the first step of a copula);
    log|dF/dx| = log p(x)."""

    bijective = True
    codomain = constraints.unit_interval
    sign = +1
    _ctor_args = ("distribution",)

    def __init__(self, distribution, cache_size: int = 0) -> None:
        super().__init__(cache_size=cache_size)
        self.distribution = distribution

    domain = property(lambda self: self.distribution.support)

    def _call(self, x):
        return self.distribution.cdf(x)

    def _inverse(self, y):
        return self.distribution.icdf(y)

    def log_abs_det_jacobian(self, x, y):
        return self.distribution.log_prob(x)
