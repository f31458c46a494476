"""Running (cumulative) ops along one dim: ``cumsum``, ``cumprod``, ``cummax``, ``cummin``,
``logcumsumexp``, and the trapezoidal rule (``trapezoid``, ``cumulative_trapezoid``).

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks."""
from __future__ import annotations

import numpy as np

from .._dtype import cast
from .._names import scalar_type_name
from ..autograd.function import ArrayFunction
from ..return_types import make_return
from ._arguments import argument_error
from ._util import Tensor, _new_tensor, new_zeros, scatter_add_, wrap_dim
from .out import reduce_dtype, supports_out, with_out, with_outs
from ._half import half_accumulated
from .reduction import _grad_dtype, _np_dtype

__all__ = ["cumsum", "cumprod", "cummax", "cummin", "logcumsumexp", "trapezoid", "trapz",
           "cumulative_trapezoid"]


def _accumulated(reduce, x, **kw):
    """``reduce(x, **kw)`` (np.sum, np.cumsum, np.cumprod); float16 as torch's kernels:
    accumulated in float32, rounded once (``half_accumulated``)."""
    if type(x) is np.ndarray and x.dtype == np.float16:
        return half_accumulated(reduce, x, **kw)
    return reduce(x, **kw)


def _not_implemented(kernel: str, a: np.ndarray) -> NotImplementedError:
    return NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(a.dtype)}'")


# -- cumsum, cumprod -------------------------------------------------------------------------------

class Cumsum(ArrayFunction):
    """out_i = sum_{j <= i} a_j along ``dim``.
    dL/da_j = sum_{i >= j} g_i   (a cumulative sum of g taken from the other end).
    float16 (``dtype=float16``: the input converted first) accumulates in float32, each
    output rounded once (``half_accumulated``)."""

    _backward_name = "CumsumBackward0"

    @staticmethod
    def forward(ctx, a, dim, dtype):
        if dtype is None and a.dtype.kind in "biu":
            dtype = np.int64
        ctx.dim = dim
        if a.ndim == 0:
            return a.astype(dtype or a.dtype)
        if dtype == np.float16 or (dtype is None and a.dtype == np.float16):
            return half_accumulated(np.cumsum, cast(a, np.dtype(np.float16)), axis=dim)
        return np.cumsum(a, axis=dim, dtype=dtype)

    @staticmethod
    def backward(ctx, g):
        if g.ndim == 0:
            return g, None, None
        if type(g) is np.ndarray and g.dtype == np.float16:
            return np.flip(half_accumulated(np.cumsum, np.flip(g, ctx.dim), axis=ctx.dim),
                           ctx.dim), None, None
        return np.flip(np.cumsum(np.flip(g, ctx.dim), axis=ctx.dim), ctx.dim), None, None


@supports_out(rule="exact", overlap=None, dtype_from_out=True)
def cumsum(input, dim: int, *, dtype=None, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(cumsum, locals())
    np_dtype = _np_dtype(dtype)
    if np_dtype == np.bool_:
        raise NotImplementedError("\"cumsum_out_cpu\" not implemented for 'Bool'")
    _grad_dtype(input, dtype)
    return Cumsum.apply(input, wrap_dim(dim, input.dim()), np_dtype)


class Cumprod(ArrayFunction):
    """out_i = prod_{j <= i} a_j along ``dim``.

      dL/da_k = sum_{i >= k} g_i * prod_{j <= i, j != k} a_j

    Without zeros in the input this is ``revcumsum(g * out) / a`` (revcumsum: the cumulative
    sum taken from the other end), torch's formula. With zeros, per slice along ``dim``, with
    z the first zero:
      k < z:   revcumsum over i < z of (g_i * out_i), divided by a_k
      k = z:   out_{z-1} * sum_{i >= z, i before the next zero} g_i * prod_{z < j <= i} a_j
      k > z:   0 (every product that a_k enters contains a_z = 0)
    torch evaluates it in this same order, so the float rounding agrees as well."""

    _backward_name = "CumprodBackward0"

    @staticmethod
    def forward(ctx, a, dim, dtype):
        if dtype is None and a.dtype.kind in "biu":
            dtype = np.int64
        if dtype is not None:
            a = cast(a, np.dtype(dtype)) if a.dtype != dtype else a
        # dtype= keeps int32 as int32 (NumPy would widen small integers to int64); float16
        # accumulates in float32, each output rounded once (``half_accumulated``)
        if a.ndim and a.dtype == np.float16:
            out = half_accumulated(np.cumprod, a, axis=dim)
        else:
            out = a.copy() if a.ndim == 0 else np.cumprod(a, axis=dim, dtype=a.dtype)
        ctx.save_for_backward(a, out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        dim = ctx.dim
        if a.size <= 1 or a.shape[dim] == 1:
            return g, None, None  # out = a: the gradient passes unchanged

        def revcumsum(x):
            return np.flip(_accumulated(np.cumsum, np.flip(x, dim), axis=dim), dim)

        w = g * out
        zero = a == 0
        if not zero.any():
            return revcumsum(w) / a, None, None
        zeros_so_far = np.cumsum(zero, axis=dim)
        before = zeros_so_far == 0  # k < z
        ga = np.where(before, revcumsum(np.where(before, w, 0)) / a, 0).astype(a.dtype)
        # k = z: the first zero of each slice (argmax finds the first True; none -> no entry)
        upto_next = zeros_so_far == 1
        first = np.argmax(upto_next, axis=dim)
        has_zero = np.take_along_axis(upto_next, np.expand_dims(first, dim), dim)
        after_first = upto_next.copy()
        np.put_along_axis(after_first, np.expand_dims(first, dim), False, dim)
        tail = _accumulated(np.cumprod, np.where(after_first, a, a.dtype.type(1)), axis=dim)
        tail *= np.where(upto_next, g, 0)
        s = _accumulated(np.sum, tail, axis=dim, keepdims=True)
        prev = np.take_along_axis(out, np.expand_dims(np.maximum(first - 1, 0), dim), dim)
        prev = np.where(np.expand_dims(first, dim) == 0, 1, prev)
        s *= prev
        at = np.expand_dims(first, dim)  # a slice without zeros keeps what it has there
        np.put_along_axis(ga, at, np.where(has_zero, s, np.take_along_axis(ga, at, dim)), dim)
        return ga, None, None


def _cumprod_out(out, input, dim, *, dtype=None):
    """Computed in out's dtype (the input cast to it first), as cumsum; a bool ``out`` is
    refused first."""
    if isinstance(out, Tensor) and dtype is None and out._data.dtype == np.bool_:
        raise NotImplementedError("\"cumprod_out_cpu\" not implemented for 'Bool'")
    return with_out(out, "cumprod", cumprod, input, dim, dtype=reduce_dtype(out, dtype),
                    rule="exact", overlap=None)


@supports_out(handler=_cumprod_out)
def cumprod(input, dim: int, *, dtype=None, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(cumprod, locals())
    np_dtype = _np_dtype(dtype)
    if np_dtype == np.bool_:
        raise NotImplementedError("\"cumprod_out_cpu\" not implemented for 'Bool'")
    _grad_dtype(input, dtype)
    return Cumprod.apply(input, wrap_dim(dim, input.dim()), np_dtype)


# -- cummax, cummin --------------------------------------------------------------------------------

class Cummax(ArrayFunction):
    """values_i = max_{j <= i} a_j along ``dim``; indices_i = the last j <= i where a_j reached
    that running max (a later equal value takes over, as torch's ``>=``); once a NaN is seen the
    values are NaN and each later NaN takes over the index.
    dL/da_j = sum of g_i over the i whose index is j (torch: ``scatter_add`` of g at indices)."""

    _backward_name = "CummaxBackward0"
    _saved_attrs = ("idx",)  # torch's node saves the indices
    _np_op = staticmethod(np.maximum)

    @classmethod
    def forward(cls, ctx, a, dim):
        ctx.shape, ctx.dim = a.shape, dim
        if a.ndim == 0:
            ctx.idx = np.zeros((), np.int64)
            return a.copy(), ctx.idx
        values = cls._np_op.accumulate(a, axis=dim)
        n = a.shape[dim]
        pos = np.arange(n).reshape([n if d == dim else 1 for d in range(a.ndim)])
        if a.dtype.kind == "f":
            nan = np.isnan(a)
            seen = np.logical_or.accumulate(nan, axis=dim)
            # the position takes over when it is a NaN, or (no NaN so far) equals the running max
            takes_over = nan | (~seen & (a == values))
        else:
            takes_over = a == values
        idx = np.maximum.accumulate(np.where(takes_over, pos, 0), axis=dim).astype(np.int64)
        ctx.idx = idx
        return values, idx

    @staticmethod
    def backward(ctx, g, g_idx=None):
        # torch's zeros.scatter_add_(dim, indices, g)
        return scatter_add_(new_zeros(g, ctx.shape), ctx.dim, ctx.idx, g), None


class Cummin(Cummax):
    """values_i = min_{j <= i} a_j along ``dim``, indices as ``Cummax``'s (torch's ``<=``).
    dL/da_j = sum of g_i over the i whose index is j."""

    _backward_name = "CumminBackward0"
    _np_op = staticmethod(np.minimum)


def _cum_extreme(name: str, cls, input: Tensor, dim: int):
    a = input._data
    if a.ndim == 0 and dim not in (0, -1):  # torch's own check for a 0-d input
        raise IndexError(f"{name}(): Expected reduction dim -1 or 0 for scalar but got {dim}")
    d = wrap_dim(dim, a.ndim)
    values, indices = cls.apply(input, d)
    return _RETURN[name]((values, indices))


_RETURN = {"cummax": make_return("cummax", ("values", "indices")),
           "cummin": make_return("cummin", ("values", "indices"))}


def _scalar_type_out(name, fn, out, input, dim):
    """``out=(values, indices)``: torch's cummax/cummin checks each dtype exactly, with its
    'expected scalar_type' message."""
    return with_outs(out, name, ("values", "indices"), fn, input, dim,
                     rules=("scalar_type", "scalar_type"), position=2)


def _cummax_out(out, input, dim):
    return _scalar_type_out("cummax", cummax, out, input, dim)


@supports_out(handler=_cummax_out)
def cummax(input: Tensor, dim: int, *, out=None):
    """``(values, indices)``: the running maximum along ``dim`` and where it was reached."""
    if not isinstance(input, Tensor):
        raise argument_error(cummax, locals())
    return _cum_extreme("cummax", Cummax, input, dim)


def _cummin_out(out, input, dim):
    return _scalar_type_out("cummin", cummin, out, input, dim)


@supports_out(handler=_cummin_out)
def cummin(input: Tensor, dim: int, *, out=None):
    """``(values, indices)``: the running minimum along ``dim`` and where it was reached."""
    if not isinstance(input, Tensor):
        raise argument_error(cummin, locals())
    return _cum_extreme("cummin", Cummin, input, dim)


# -- logcumsumexp ----------------------------------------------------------------------------------

def _logcumsumexp(x, dim: int):
    """float16 as torch's kernel: each step in float32, each output rounded once."""
    if type(x) is np.ndarray and x.dtype == np.float16:
        return np.logaddexp.accumulate(x.astype(np.float32), axis=dim).astype(np.float16)
    return np.logaddexp.accumulate(x, axis=dim)


def _reverse_logcumsumexp(x, dim: int):
    return np.flip(_logcumsumexp(np.flip(x, dim), dim), dim)


class LogCumSumExp(ArrayFunction):
    """out_i = log sum_{j <= i} exp(a_j) along ``dim`` (each step log(e^out_{i-1} + e^a_i),
    computed as max + log1p(exp(min - max))).
    dL/da_j = sum_{i >= j} g_i exp(a_j - out_i), which torch evaluates in log space, the positive
    and the negative parts of g apart (log|g| is the lowest float where g has the other sign):
    exp(a_j + rlcse(log g+ - out)_j) - exp(a_j + rlcse(log g- - out)_j), with rlcse the
    logcumsumexp taken from the far end. (So an infinite a gives NaN there, as torch's.)"""

    _backward_name = "LogcumsumexpBackward0"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        out = a.copy() if a.ndim == 0 else _logcumsumexp(a, dim)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        if g.ndim == 0 or g.size == 0:
            return g, None
        lowest = np.finfo(g.dtype).min
        log_abs = np.log(np.abs(g))
        pos = np.where(g > 0, log_abs, lowest)
        neg = np.where(g < 0, log_abs, lowest)
        grad_pos = np.exp(_reverse_logcumsumexp(pos - out, ctx.dim) + a)
        grad_neg = np.exp(_reverse_logcumsumexp(neg - out, ctx.dim) + a)
        return grad_pos - grad_neg, None


@supports_out(rule="scalar_type", overlap=None)
def logcumsumexp(input: Tensor, dim: int, *, out=None) -> Tensor:
    """log(cumsum(exp(input), dim)), computed without overflow."""
    if not isinstance(input, Tensor):
        raise argument_error(logcumsumexp, locals())
    a = input._data
    if a.dtype.kind not in "f":
        raise _not_implemented("logcumsumexp_out_cpu", a)
    return LogCumSumExp.apply(input, wrap_dim(dim, a.ndim))


# -- trapezoid, trapz, cumulative_trapezoid --------------------------------------------------------
# torch composes the trapezoidal rule from its ops, and so do we, op for op: the gradients, the
# second derivatives and the node names (its scalar overloads, MulBackward1/DivBackward1) are
# those ops'.

def _trapezoid_args(name: str, y, x, dx, dim: int):
    """torch's argument checks; returns (dim wrapped, x, dx) with dx a float when x is None.
    (``trapz`` is torch's parser name; its kernel's messages say ``trapezoid``.)"""
    kernel = "trapezoid" if name == "trapz" else name
    if not isinstance(y, Tensor) and x is None and dx is None and dim == -1:
        raise TypeError(f"{name}(): argument 'y' (position 1) must be Tensor, not "
                        f"{type(y).__name__}")
    if not isinstance(y, Tensor) or (x is not None and not isinstance(x, Tensor)) \
            or (x is not None and dx is not None) \
            or (x is None and dx is not None and not isinstance(dx, (int, float))):
        # torch's argument parser: neither signature matches (the keywords shown are those
        # not at their defaults)
        given = [type(v).__name__ if not isinstance(v, Tensor) else "Tensor"
                 for v in (y, x) if v is not None]
        given += [f"{k}={type(v).__name__}" for k, v in (("dim", dim), ("dx", dx))
                  if v is not None and not (k == "dim" and v == -1)]
        raise TypeError(f"{name}() received an invalid combination of arguments - got "
                        f"({', '.join(given)}), but expected one of:")
    if y.dim() == 0:  # (torch: a 0-d y fails where the rule first reads its size along dim)
        shown = dim if x is None else wrap_dim(dim, 0)  # (the x rules wrap dim first)
        if name == "cumulative_trapezoid" and (x is None or x.dim() != 1):
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        raise IndexError(f"Dimension specified as {shown} but tensor has no dimensions")
    dim = wrap_dim(dim, y.dim())
    if x is None:
        if y._data.dtype == np.bool_:
            raise RuntimeError(f"{kernel}: received a bool input for `y`, but bool is not "
                               "supported")
        if isinstance(dx, bool):
            raise RuntimeError(f"{kernel}: Currently, we only support dx as a real number.")
        return dim, None, 1.0 if dx is None else float(dx)
    if y._data.dtype == np.bool_ or x._data.dtype == np.bool_:
        raise RuntimeError(f"{kernel}: received a bool input for `x` or `y`, but bool is not "
                           "supported")
    return dim, x, None


def _spacing(name: str, y: Tensor, x: Tensor, dim: int) -> Tensor:
    """dx = x[1:] - x[:-1] along ``dim``, with x (1-D: along dim; fewer dims: leading 1s)
    viewed so that it broadcasts against y's differences, as torch views it."""
    from .shape import narrow
    if x.dim() == 1:
        if x.shape[0] != y.shape[dim]:
            raise RuntimeError(f"{name}: There must be one `x` value for each sample point")
        x = x.reshape([x.shape[0] if d == dim else 1 for d in range(y.dim())])
    elif x.dim() < y.dim():
        x = x.reshape((1,) * (y.dim() - x.dim()) + tuple(x.shape))
    n = x.shape[dim]
    return narrow(x, dim, min(n, 1), max(n - 1, 0)) - narrow(x, dim, 0, max(n - 1, 0))


def _pair_sums(y: Tensor, dim: int) -> Tensor:
    """y[1:] + y[:-1] along ``dim``: twice the mean height of each trapezoid."""
    from .shape import narrow
    n = y.shape[dim]  # (no samples: both empty)
    return narrow(y, dim, min(n, 1), max(n - 1, 0)) + narrow(y, dim, 0, max(n - 1, 0))


def trapezoid(y: Tensor, x: Tensor | None = None, *, dx=None, dim: int = -1) -> Tensor:
    """The trapezoidal rule along ``dim``: sum_i (x_{i+1} - x_i) (y_i + y_{i+1}) / 2, with the
    sample points ``x`` (broadcast against y's differences) or an even spacing ``dx``
    (default 1): then (sum_i y_i - (y_0 + y_{n-1}) / 2) dx. No samples give 0."""
    return _trapezoid("trapezoid", y, x, dx, dim)


def _trapezoid(name: str, y, x, dx, dim: int) -> Tensor:
    from .arithmetic import Div, Mul
    from .reduction import sum as _sum
    from .shape import select
    dim, x, dx = _trapezoid_args(name, y, x, dx, dim)
    if y.shape[dim] == 0:
        shape = y.shape[:dim] + y.shape[dim + 1:]
        return _new_tensor(np.zeros(shape, y._data.dtype))
    if x is None:
        ends = Mul.apply(select(y, dim, 0) + select(y, dim, -1), 0.5, name="MulBackward1")
        return Mul.apply(_sum(y, dim) - ends, dx, name="MulBackward1")
    spacing = _spacing("trapezoid", y, x, dim)
    return Div.apply(_sum(_pair_sums(y, dim) * spacing, dim), 2.0, name="DivBackward1")


def trapz(y: Tensor, x: Tensor | None = None, *, dx=None, dim: int = -1) -> Tensor:
    """``trapezoid`` (torch's older name)."""
    return _trapezoid("trapz", y, x, dx, dim)


def cumulative_trapezoid(y: Tensor, x: Tensor | None = None, *, dx=None,
                         dim: int = -1) -> Tensor:
    """The running trapezoidal rule along ``dim``: element i is the integral up to sample
    i + 1 (one element fewer than y along dim), from ``x`` or an even spacing ``dx``."""
    from .arithmetic import Div, Mul
    dim, x, dx = _trapezoid_args("cumulative_trapezoid", y, x, dx, dim)
    if x is None:
        return cumsum(Mul.apply(_pair_sums(y, dim), dx / 2.0, name="MulBackward1"), dim)
    spacing = _spacing("cumulative_trapezoid", y, x, dim)
    return Div.apply(cumsum(spacing * _pair_sums(y, dim), dim), 2.0, name="DivBackward1")
