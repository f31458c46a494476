"""Statistics over dims: the NaN-ignoring reductions (``nansum``, ``nanmean``), quantiles.

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks."""
from __future__ import annotations

import numpy as np

from .._dtype import to_numpy_dtype
from .._names import scalar_type_name
from ..autograd.function import ArrayFunction
from ..autograd.grad_mode import is_grad_enabled
from ..autograd.graph_array import GraphArray
from ._arguments import argument_error
from ._util import Tensor, as_dtype, new_zeros, normalize_dims, wrap_dim, zero_where
from .out import reduce_dtype, supports_out, with_out
from .sorting import torch_sort_order

__all__ = ["nansum", "nanmean", "quantile", "nanquantile"]


def _values(x) -> np.ndarray:
    """The plain values of ``x`` (a forward replayed under create_graph gets GraphArrays):
    for the positions an op picks, which carry no gradient."""
    return x.t._data if isinstance(x, GraphArray) else x


def _keep(g, shape: tuple, dims: tuple, keepdim: bool):
    """``g`` with the reduced dims restored as size-1 dims, so that it broadcasts over them."""
    if keepdim or not dims or g.ndim == 0:
        return g
    return g.reshape([1 if i in dims else s for i, s in enumerate(shape)])


# -- nansum, nanmean -------------------------------------------------------------------------------

class Nansum(ArrayFunction):
    """out = sum of a over ``dims``, NaNs counted as 0.
    dL/da = g broadcast over ``dims``, times 0 where a is NaN (torch multiplies by the mask: an
    infinite g there gives NaN, as in an all-NaN slice of ``nanmean``)."""

    _backward_name = "NansumBackward0"

    @staticmethod
    def forward(ctx, a, dims, keepdim, dtype):
        ctx.shape, ctx.dims, ctx.keepdim, ctx.dtype = a.shape, dims, keepdim, a.dtype
        nan = np.isnan(a)
        ctx.nan = nan
        a = zero_where(a, nan)
        if dtype is not None and dtype != a.dtype:
            with np.errstate(invalid="ignore"):
                a = a.astype(dtype)  # an integer dtype: each value truncated, then summed
        if a.dtype == np.bool_:
            return np.asarray(a.any(axis=dims, keepdims=keepdim))
        with np.errstate(invalid="ignore"):  # inf + -inf: NaN, without NumPy's warning
            return np.asarray(a.sum(axis=dims, keepdims=keepdim, dtype=a.dtype))

    @staticmethod
    def backward(ctx, g):
        with np.errstate(invalid="ignore"):
            grad = _keep(as_dtype(g, ctx.dtype), ctx.shape, ctx.dims, ctx.keepdim) * ~ctx.nan
        return grad, None, None, None


def _nansum_out(out, input, dim=None, keepdim=False, *, dtype=None):
    """``out=``: computed in out's dtype unless ``dtype`` is given; a float input into an
    integer ``out`` without ``dtype`` has no kernel in torch."""
    if dtype is None and input._data.dtype.kind == "f" and out._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"nansum_cpu\" not implemented for '{scalar_type_name(out._data.dtype)}'")
    return with_out(out, "nansum", nansum, input, dim, keepdim, dtype=reduce_dtype(out, dtype),
                    rule="exact", overlap=None)


@supports_out(handler=_nansum_out)
def nansum(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None, out=None) -> Tensor:
    """The sum over ``dim`` (all dims by default) with NaN taken as zero. Integer and bool
    inputs sum as ``torch.sum`` does (to int64); an integer ``dtype`` for a float input
    truncates each value (NaN as 0) before summing, as torch casts first."""
    if not isinstance(input, Tensor):
        raise argument_error(nansum, locals())
    from .reduction import sum as _sum
    a = input._data
    if a.dtype.kind in "biu":
        return _sum(input, dim, keepdim, dtype=dtype)
    np_dtype = a.dtype if dtype is None else to_numpy_dtype(dtype)
    if np_dtype.kind != "f" and input.requires_grad and is_grad_enabled():
        raise RuntimeError(f"Autograd not support dtype: {scalar_type_name(np_dtype)}")
    dims = normalize_dims(dim, a.ndim)
    return Nansum.apply(input, dims, bool(keepdim), None if np_dtype == a.dtype else np_dtype)


def _nanmean_out(out, input, dim=None, keepdim=False, *, dtype=None):
    """``out=``: as ``nansum``'s (torch writes the sum into ``out``, then divides in place)."""
    if dtype is None and input._data.dtype.kind == "f" and out._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"nansum_cpu\" not implemented for '{scalar_type_name(out._data.dtype)}'")
    return with_out(out, "nansum", nanmean, input, dim, keepdim, dtype=reduce_dtype(out, dtype),
                    rule="exact", overlap=None)


@supports_out(handler=_nanmean_out)
def nanmean(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None, out=None) -> Tensor:
    """The mean over ``dim`` of the values that are not NaN: nansum / (their count), as torch
    composes it (so its node is the division's; an all-NaN slice gives NaN)."""
    if not isinstance(input, Tensor):
        raise argument_error(nanmean, locals())
    from .arithmetic import div
    from .comparison import isnan, logical_not
    from .reduction import sum as _sum
    a = input._data
    if a.dtype.kind != "f":
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype "
                           f"but got {scalar_type_name(a.dtype)}")
    if dtype is not None and to_numpy_dtype(dtype).kind != "f":
        raise RuntimeError("nanmean(): could not infer output dtype. Optional dtype must be "
                           f"either a floating point or complex dtype. Got: "
                           f"{scalar_type_name(to_numpy_dtype(dtype))}")
    count = _sum(logical_not(isnan(input)), dim, keepdim)
    with np.errstate(invalid="ignore"):  # 0 / 0 for an all-NaN slice: NaN, as torch's
        return div(nansum(input, dim, keepdim, dtype=dtype), count)


# -- quantile, nanquantile -------------------------------------------------------------------------

_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _lerp(a, b, w):
    """torch's lerp: a + w (b - a) for w < 1/2, else b - (b - a)(1 - w)."""
    with np.errstate(invalid="ignore"):
        return np.where(w < 0.5, a + w * (b - a), b - (b - a) * (1 - w))


class Quantile(ArrayFunction):
    """out[j] = the q_j-quantile of each slice (the reduced dims moved last and flattened):
    sorted s, rank r = q_j (n - 1) (``nanquantile``: n the count of non-NaN values; ``quantile``
    with a NaN in the slice: r = n - 1, so NaN), rounded down/up/to nearest by
    ``interpolation``; out = lerp(s[floor r], s[ceil r], w) with w = r - floor r (``midpoint``:
    1/2; ``lower``, ``higher``, ``nearest``: s[r]).
    dL/ds[floor r] += g (1 - w),  dL/ds[ceil r] += g w, sent back through the sort."""

    _backward_name = "SqueezeBackward4"  # torch ends its composite with an in-place squeeze_

    @staticmethod
    def forward(ctx, a, q, dims, keepdim, interpolation, ignore_nan, scalar_q):
        rest = tuple(d for d in range(a.ndim) if d not in dims)
        moved = np.transpose(a, rest + dims)
        kept = moved.shape[:len(rest)]
        rows = moved.reshape(kept + (-1,))
        # NaN last; ties ordered as torch's sort leaves them (an index: from the values alone)
        order = torch_sort_order(_values(rows))
        s = np.take_along_axis(rows, order, axis=-1)
        n = s.shape[-1]
        nan = np.isnan(s)
        q = np.asarray(q, a.dtype).reshape(-1)
        if ignore_nan:
            ranks = q * (np.sum(~nan, axis=-1, keepdims=True) - 1).astype(a.dtype)
            ranks = np.where(ranks < 0, 0, ranks)
        else:
            ranks = np.where(nan.any(axis=-1, keepdims=True), n - 1, q * (n - 1)).astype(
                a.dtype)
        if interpolation == "lower":
            ranks = np.floor(ranks)
        elif interpolation == "higher":
            ranks = np.ceil(ranks)
        elif interpolation == "nearest":
            ranks = np.round(ranks)  # half to even, as torch's round
        below = ranks.astype(np.int64)
        out = np.take_along_axis(s, below, axis=-1)
        above, w = below, None
        if interpolation in ("linear", "midpoint"):
            w = np.full_like(ranks, 0.5) if interpolation == "midpoint" else \
                (ranks - below).astype(a.dtype)
            above = np.ceil(ranks).astype(np.int64)
            out = _lerp(out, np.take_along_axis(s, above, axis=-1), w)
        ctx.order, ctx.below, ctx.above, ctx.rows_shape = order, below, above, rows.shape
        ctx.shape, ctx.perm = a.shape, rest + dims
        ctx.save_for_backward(w)
        out = np.moveaxis(out, -1, 0)  # (len(q), kept...)
        if keepdim:
            out = out.reshape(out.shape[:1] + tuple(
                1 if d in dims else a.shape[d] for d in range(a.ndim)))
        ctx.scalar_q = scalar_q
        return out[0] if scalar_q else out

    @staticmethod
    def backward(ctx, g):
        (w,) = ctx.saved_tensors
        if ctx.scalar_q:
            g = g[None]
        g = np.moveaxis(g.reshape((g.shape[0],) + ctx.rows_shape[:-1]), 0, -1)
        gs = new_zeros(g, ctx.rows_shape)
        lead = tuple(np.indices(g.shape, sparse=True)[:-1])
        if w is None:
            np.add.at(gs, lead + (ctx.below,), g)
        else:
            np.add.at(gs, lead + (ctx.below,), g * (1 - w))
            np.add.at(gs, lead + (ctx.above,), g * w)
        grad_rows = new_zeros(g, ctx.rows_shape)
        np.put_along_axis(grad_rows, ctx.order, gs, axis=-1)
        moved_shape = tuple(ctx.shape[d] for d in ctx.perm)
        back = tuple(int(i) for i in np.argsort(ctx.perm))
        return (np.transpose(grad_rows.reshape(moved_shape), back),
                None, None, None, None, None, None)


def _quantile(fn: str, input: Tensor, q, dim, keepdim: bool, interpolation: str,
              ignore_nan: bool) -> Tensor:
    a = input._data
    if isinstance(dim, (tuple, list)):
        raise TypeError(
            f"{fn}() received an invalid combination of arguments - got (Tensor, "
            f"{'Tensor' if isinstance(q, Tensor) else type(q).__name__}, dim={type(dim).__name__})"
            ", but expected one of:")
    if a.size == 0:
        raise RuntimeError("quantile() input tensor must be non-empty")
    if isinstance(q, Tensor):
        if q.dim() > 1:
            raise RuntimeError("quantile() q must be a scalar or 1D tensor")
    if a.dtype not in (np.float32, np.float64):
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    if isinstance(q, Tensor):
        if q._data.dtype != a.dtype:
            raise RuntimeError("quantile() q tensor must be same dtype as the input tensor")
        qa = q._data
        if not np.all((qa >= 0) & (qa <= 1)):
            raise RuntimeError("quantile() q values must be in the range [0, 1]")
    else:
        if not 0 <= q <= 1:
            raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {q}")
        qa = np.asarray(q, a.dtype)
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError("quantile() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest, but got {interpolation}")
    dims = tuple(range(a.ndim)) if dim is None else (wrap_dim(dim, a.ndim),)
    if a.ndim == 0:
        dims = ()  # one element, whatever dim names
    scalar_q = not isinstance(q, Tensor) or q.dim() == 0
    return Quantile.apply(input, qa, dims, bool(keepdim), interpolation, ignore_nan, scalar_q)


@supports_out(rule="quantile", copy=True)
def quantile(input: Tensor, q, dim=None, keepdim: bool = False, *,
             interpolation: str = "linear", out=None) -> Tensor:
    """The q-quantiles of ``input`` over ``dim`` (all elements by default): for a 1-D ``q``,
    one per q, in a new first dim. A slice holding a NaN gives NaN (see ``Quantile``)."""
    if not isinstance(input, Tensor):
        raise argument_error(quantile, locals())
    return _quantile("quantile", input, q, dim, keepdim, interpolation, False)


@supports_out("nanquantile", rule="quantile", copy=True)
def nanquantile(input: Tensor, q, dim=None, keepdim: bool = False, *,
                interpolation: str = "linear", out=None) -> Tensor:
    """``quantile`` of the values that are not NaN (NaN where a slice holds nothing else)."""
    if not isinstance(input, Tensor):
        raise argument_error(nanquantile, locals())
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, True)
