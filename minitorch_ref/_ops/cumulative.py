"""Running (cumulative) ops along one dim: ``cummax``, ``cummin``, ``logcumsumexp``, and the
trapezoidal rule (``trapezoid``, ``cumulative_trapezoid``). (``cumsum`` and ``cumprod`` live
with the sums and products in ``reduction.py``.)

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks."""
from __future__ import annotations

import numpy as np

from .._names import scalar_type_name
from ..autograd.function import ArrayFunction
from ..return_types import make_return
from ._arguments import argument_error
from ._util import Tensor, new_zeros, wrap_dim
from .out import supports_out, with_outs

__all__ = ["cummax", "cummin", "logcumsumexp"]


def _not_implemented(kernel: str, a: np.ndarray) -> NotImplementedError:
    return NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(a.dtype)}'")


# -- cummax, cummin --------------------------------------------------------------------------------

class Cummax(ArrayFunction):
    """values_i = max_{j <= i} a_j along ``dim``; indices_i = the last j <= i where a_j reached
    that running max (a later equal value takes over, as torch's ``>=``); once a NaN is seen the
    values are NaN and each later NaN takes over the index.
    dL/da_j = sum of g_i over the i whose index is j (torch: ``scatter_add`` of g at indices)."""

    _backward_name = "CummaxBackward0"
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
        if not ctx.shape:
            return g.copy(), None
        out = new_zeros(g, ctx.shape)
        index = list(np.indices(ctx.shape, sparse=True))
        index[ctx.dim] = ctx.idx
        np.add.at(out, tuple(index), g)
        return out, None


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

def _reverse_logcumsumexp(x, dim: int):
    return np.flip(np.logaddexp.accumulate(np.flip(x, dim), axis=dim), dim)


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
        out = a.copy() if a.ndim == 0 else np.logaddexp.accumulate(a, axis=dim)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        if g.ndim == 0 or g.size == 0:
            return g, None
        lowest = np.finfo(g.dtype).min
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
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
