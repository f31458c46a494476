"""Sorting: ``sort``, ``argsort``, ``msort``, ``topk``, ``unique``. Ties keep their original order
(a stable sort), which is what torch returns on the CPU; NaN sorts as the largest value, as in
torch. Backward sends each output's gradient back to the position it came from. Each op reads
top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring, ``forward`` beside
``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out), then the public
function with torch's checks."""
from __future__ import annotations

import numpy as np

from ..autograd.function import ArrayFunction
from ..return_types import make_return
from ._util import Tensor, _new_tensor, new_zeros, wrap_dim
from .out import RULES, supports_out, with_out, with_outs

__all__ = ["sort", "argsort", "msort", "topk", "unique"]


def _order(a: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """Stable argsort along ``dim``; descending keeps ties in their original order too."""
    if not descending:
        return np.argsort(a, axis=dim, kind="stable")
    n = a.shape[dim]
    # sort the reversed array ascending, then reverse: ties come out in increasing position
    rev = np.argsort(np.flip(a, dim), axis=dim, kind="stable")
    return np.flip(n - 1 - rev, dim)


class Sort(ArrayFunction):
    """values, indices = a sorted along ``dim`` (only the first ``k`` when given: ``topk``).
    dL/da = g written back at ``indices`` (zeros for elements not returned)."""

    _backward_name = "SortBackward0"

    @staticmethod
    def forward(ctx, a, dim, descending, k):
        if a.ndim == 0:
            ctx.shape, ctx.dim, ctx.idx = a.shape, None, None
            return a.copy(), np.zeros((), np.int64)
        idx = _order(a, dim, descending)
        if k is not None:
            idx = np.take(idx, np.arange(k), axis=dim)
        ctx.shape, ctx.dim, ctx.idx = a.shape, dim, idx
        return np.take_along_axis(a, idx, axis=dim), idx.astype(np.int64)

    @staticmethod
    def backward(ctx, g, g_idx=None):
        if ctx.dim is None:
            return g, None, None, None
        out = new_zeros(g, ctx.shape)
        np.put_along_axis(out, ctx.idx, g, axis=ctx.dim)
        return out, None, None, None


_sort_type = make_return("sort", ("values", "indices"))


def _sort_out(out, input, dim=-1, descending=False, stable=None):
    return with_outs(out, "sort", ("values", "indices"), sort, input, dim, descending, stable,
                     position=3 if stable is None else 4)  # out's place in torch's overload


@supports_out(handler=_sort_out)
def sort(input, dim: int = -1, descending: bool = False, stable=None, *, out=None):
    """Values and indices sorted along ``dim``; always stable (torch's CPU result too)."""
    d = wrap_dim(dim, input.dim())
    if stable is None:
        return _sort_type(Sort.apply(input, d, descending, None))
    return _sort_type(Sort.apply(input, d, descending, None, name="SortBackward1"))


@supports_out("sort", rule="exact", overlap=None)
def msort(input, *, out=None):
    return sort(input, 0).values


def _argsort_out(out, input, dim=-1, descending=False, stable=False):
    """Only the ``stable=`` overload has ``out=``; it is ``sort``'s indices."""
    if not stable:
        raise TypeError("argsort() received an invalid combination of arguments - got "
                        "(Tensor, out=Tensor), but expected one of:")
    if isinstance(out, Tensor) and out._data.dtype != np.int64:  # before autograd's check
        raise RULES["exact"](np.dtype(np.int64), out._data.dtype, "sort")
    return with_out(out, "sort", argsort, input, dim, descending, stable=stable, rule="exact",
                    overlap=None)


@supports_out(handler=_argsort_out)
def argsort(input, dim: int = -1, descending: bool = False, stable: bool = False, *,
            out=None):
    a = input._data
    if a.ndim == 0:
        return _new_tensor(np.zeros((), np.int64))
    return _new_tensor(_order(a, wrap_dim(dim, a.ndim), descending).astype(np.int64))


_topk_type = make_return("topk", ("values", "indices"))


@supports_out(fields=("values", "indices"), position=5)
def topk(input, k: int, dim: int = -1, largest: bool = True, sorted: bool = True,  # noqa: A002
         *, out=None):
    d = wrap_dim(dim, input.dim())
    size = input.shape[d] if input.dim() else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    return _topk_type(Sort.apply(input, d, largest, k, name="TopkBackward0"))


class Unique(ArrayFunction):
    """values, inverse, counts = the distinct values of a (sorted; each NaN distinct, last), the
    index of each element of a in values, and how often each occurs. No derivative: torch
    records the node and its backward raises, and so does ours."""

    _backward_name = "Unique2Backward0"
    _aten = "_unique2"

    @staticmethod
    def forward(ctx, a, axis):
        # torch keeps every NaN distinct (NaN != NaN), in the order they occur: equal_nan=False,
        # and return_index=True, which makes NumPy sort stably
        values, _, inverse, counts = np.unique(a, return_index=True, return_inverse=True,
                                               return_counts=True, axis=axis, equal_nan=False)
        shape = a.shape if axis is None else (a.shape[axis],)
        return values, inverse.reshape(shape).astype(np.int64), counts.astype(np.int64)

    @classmethod
    def backward(cls, ctx, *grads):
        raise NotImplementedError(f"the derivative for '{cls._aten}' is not implemented.")


class UniqueDim(Unique):
    """``unique(dim=...)``: torch's node name and error for it."""

    _backward_name = "UniqueDimBackward0"
    _aten = "unique_dim"


def unique(input, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim=None):
    """The distinct values (sorted, as torch's CPU result always is), optionally with the index
    of each input element in them and the count of each; ``dim`` takes distinct slices."""
    if dim is None:
        values, inverse, counts = Unique.apply(input, None)
    else:
        values, inverse, counts = UniqueDim.apply(input, wrap_dim(dim, input.dim()))
    out = [values] + [inverse] * return_inverse + [counts] * return_counts
    return out[0] if len(out) == 1 else tuple(out)
