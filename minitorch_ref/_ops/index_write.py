"""Writes by index, beyond ``scatter``/``scatter_add``/``index_add`` (indexing.py):
``scatter_reduce``, ``index_reduce``, ``index_copy``, ``index_fill``, ``masked_scatter``, ``put``.

Each returns a new tensor (the in-place methods ``x.index_copy_(...)`` are these, written back).
Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks."""
from __future__ import annotations

import numpy as np

from .._names import scalar_type_name as _type_name
from ..autograd.function import ArrayFunction
from ._arguments import argument_error
from .._dtype import cast_value, check_scalar_fits
from ._util import (Tensor, broadcast_shapes_or_raise, gather_along, is_recorded, new_zeros,
                    put_, recorded_apply, recorded_call, scatter_fill, shape_str, wrap_dim)
from .indexing import (_along, _check_gather_index, _check_index, check_index_source,
                       src_grad_shape_error)
from .out import supports_out

__all__ = ["scatter_reduce", "index_reduce", "index_copy", "index_fill", "masked_scatter", "put"]


# -- scatter_reduce --------------------------------------------------------------------------------

_IDENTITY = {"sum": 0, "mean": 0, "prod": 1}
_UFUNC = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum,
          "amin": np.minimum}


def _scatter_reduce(a, where, src, reduce: str, include_self: bool):
    """out = a where nothing is scattered; elsewhere the reduction of the src values scattered
    there (and a's own value, with ``include_self``). Also returns the count per position."""
    out = a.copy()
    count = np.zeros(a.shape, dtype=np.int64)
    np.add.at(count, where, 1)
    hit = count > 0
    if not include_self:
        if reduce in _IDENTITY:
            out[hit] = _IDENTITY[reduce]
        else:  # the first value scattered there starts the max/min
            out[where] = src
    _UFUNC[reduce].at(out, where, src)
    if reduce == "mean":
        n = count + 1 if include_self else np.maximum(count, 1)
        if out.dtype.kind == "f":
            out = out / n.astype(out.dtype)
        else:
            out = np.floor_divide(out, n).astype(out.dtype)
    return out, count


class ScatterReduce(ArrayFunction):
    """out = a with, at each position index names, the ``reduce`` (sum, prod, mean, amax, amin)
    of the src values scattered there (and of a's value, with ``include_self``).
    sum:   dL/da = g (0 where a was left out),   dL/dsrc = g gathered at index.
    mean:  both get g / n, n the number of values averaged at the position.
    amax/amin: g shared evenly among the values equal to the result (a's value counts among
           them even when left out, as in torch; it then receives nothing).
    prod:  dL/da = g out / a,   dL/dsrc = (g out) gathered / src, with the products taken
           without the zero factors where a single zero made them 0 (torch's formula)."""

    _backward_name = "ScatterReduceBackward0"

    @staticmethod
    def forward(ctx, a, dim, index, src, reduce, include_self, rows=None):
        # rows: index_reduce's 1-d index (``index`` is it spread over src's shape), whose
        # backward torch writes with index_select / index_add / index_fill
        where = _along(index, dim)
        ctx.src_shape, ctx.used = src.shape, tuple(slice(0, n) for n in index.shape)
        # src is saved whole (an input: no replay under create_graph); backward takes the part
        # index covers (src may be larger than index: its other values are unused)
        out, ctx.count = _scatter_reduce(a, where, src[ctx.used], reduce, include_self)
        ctx.where, ctx.reduce, ctx.include_self = where, reduce, include_self
        ctx.dim, ctx.index, ctx.rows = dim, index, rows
        ctx.save_for_backward(a, src, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, src, out = ctx.saved_tensors
        where, reduce, hit = ctx.where, ctx.reduce, ctx.count > 0
        src_larger = ctx.index.shape != ctx.src_shape and ctx.rows is None
        if src_larger:
            # src larger than index: torch's amax/amin/prod formula compares src with values
            # of index's shape (its broadcasting error, whichever input needs a gradient);
            # sum's and mean's gathered gradient is refused by torch's engine
            if reduce in ("amax", "amin", "prod"):
                broadcast_shapes_or_raise(ctx.src_shape, ctx.index.shape)
            elif ctx.needs_input_grad[3]:
                raise src_grad_shape_error("ScatterReduceBackward0", ctx.index.shape,
                                           ctx.src_shape)
        if reduce in ("amax", "amin", "prod") and (
                is_recorded(g) or is_recorded(a) or is_recorded(src) or is_recorded(out)):
            return _recorded_backward(ctx, g, a, src, out)
        # an index of size 1 where src is larger: torch's amax/amin/prod formula broadcasts
        # the index-shaped terms over all of src (its gradient then has src's shape)
        spread = src if src_larger else None
        src = src[ctx.used]
        ga = gs = None
        if reduce == "sum":
            ga = g if ctx.include_self else np.where(hit, 0, g)
            gs = g[where]
        elif reduce == "mean":
            n = (ctx.count + 1 if ctx.include_self else np.maximum(ctx.count, 1)).astype(g.dtype)
            ga = g / n if ctx.include_self else np.where(hit, 0, g)
            gs = (g / n)[where]
        elif reduce in ("amax", "amin"):
            # (torch counts a's value among the ties even when it was left out)
            self_eq = a == out
            src_eq = src == out[where]
            ties = self_eq.astype(g.dtype)
            np.add.at(ties, where, src_eq.astype(g.dtype))
            share = g / np.maximum(ties, 1)
            ga = np.where(self_eq & (~hit if not ctx.include_self else True), share, 0)
            gs = np.where(src_eq, share[where], 0)
            if spread is not None:  # (src == value) * share: torch's product, signed zeros
                gs = (spread == out[where]) * share[where]
        else:  # prod
            ga = g * out / np.where(a == 0, 1, a)
            if np.any(a == 0):  # the product without a's zero factor
                masked, _ = _scatter_reduce(np.where(a == 0, 1, a), where, src, "prod",
                                            ctx.include_self)
                ga = np.where(a == 0, g * masked, ga)
            if not ctx.include_self:
                ga = np.where(hit, 0, g)
            zero = src == 0
            zeros_at = np.zeros(a.shape, dtype=np.int64)
            np.add.at(zeros_at, where, zero.astype(np.int64))
            single = zero & (zeros_at[where] == 1)
            masked_src, _ = _scatter_reduce(a, where, np.where(single, 1, src), "prod",
                                            ctx.include_self)
            if spread is not None:  # the same terms over all of src
                src, zero = spread, spread == 0
                single = zero & (zeros_at[where] == 1)
            gs = np.where(single, (g * masked_src)[where],
                          (g * out)[where] / np.where(zero, 1, src))
        # gs has src's shape: a smaller index either raised above or broadcast over src
        return ((ga if ctx.needs_input_grad[0] else None), None, None,
                (gs if ctx.needs_input_grad[3] else None), None, None, None)


def _recorded_backward(ctx, g, a, src, out) -> tuple:
    """ScatterReduce's backward for amax, amin and prod under create_graph, in the ops of
    torch's formula (scatter_reduce_backward; index_reduce_backward with index_select,
    index_add and index_fill), so that it records a graph with torch's nodes:
    amax/amin: value = out gathered at index; N = (a == out) + the count of (src == value)
           scattered to each position; dL/da = (a == out) g / N,
           dL/dsrc = (src == value) (g / N) gathered.
    prod:  dL/da = g prod' / a', with a' = a where a's zeros are 1 and prod' the product over
           a', dL/dsrc = (g out) gathered / src, or (g prod'') gathered where src holds the
           only zero scattered to its position (prod'': the product with that zero as 1).
    Without include_self, dL/da is 0 at the positions written to (scatter / index_fill)."""
    dim, rows, include = ctx.dim, ctx.rows, ctx.include_self
    index = np.asarray(ctx.index, dtype=np.int64)
    if rows is not None:
        def take(x):
            return recorded_call("index_select", x, dim, rows)
    else:
        def take(x):
            return gather_along(x, dim, index)
    used = src[ctx.used] if src.shape != index.shape else src
    ga = gs = None
    if ctx.reduce in ("amax", "amin"):
        self_eq = np.asarray(a == out)
        src_eq = np.asarray(used == take(out))
        n = self_eq.astype(g.dtype)
        np.add.at(n, ctx.where, src_eq.astype(g.dtype))  # a count: a constant
        share = g / n
        ga = self_eq * share
        gs = src_eq * take(share)
        if src.shape != index.shape:  # an index of size 1 where src is larger: broadcast
            gs = np.asarray(src == take(out)) * take(share)
    else:
        name = None if rows is None else "IndexReduceBackward0"
        a_zero = np.asarray(a == 0)
        masked_a = np.where(a_zero, 1, a)
        ga = g * recorded_apply(ScatterReduce, masked_a, dim, ctx.index, src, "prod", include,
                                rows, name=name) / masked_a
        zero = np.asarray(used == 0)
        zeros_at = np.zeros(a.shape, dtype=np.int64)
        np.add.at(zeros_at, ctx.where, zero.astype(np.int64))
        single = zero & (zeros_at[ctx.where] == 1)
        masked_src = np.where(single, 1, used)
        prod_single = recorded_apply(ScatterReduce, a, dim, ctx.index, masked_src, "prod",
                                     include, rows, name=name)
        if src.shape != index.shape:  # the same terms over all of src (broadcast)
            used, zero = src, np.asarray(src == 0)
            single = zero & (zeros_at[ctx.where] == 1)
        gs = np.where(single, take(g * prod_single), take(g * out) / np.where(zero, 1, used))
        if (zeros_at > 1).any():  # the product's derivative there is not computed: refused
            op, arg = ("scatter_reduce", "src") if rows is None else ("index_reduce", "source")
            gs = recorded_apply(_Refused, gs, f"{op}(): Double backward is unsupported for "
                                f"{arg} when >1 zeros in {arg} are scattered to the same "
                                "position in self")
    if not include:
        ga = (recorded_call("index_fill", ga, dim, rows, 0) if rows is not None
              else scatter_fill(ga, dim, index, 0))
    # gs has src's shape (a smaller index broadcast over src; any other raised in backward)
    return ((ga if ctx.needs_input_grad[0] else None), None, None,
            (gs if ctx.needs_input_grad[3] else None), None, None, None)


class _Refused(ArrayFunction):
    """out = a, whose backward raises ``message`` (torch's DelayedError node): a gradient
    that has a value but whose own derivative torch does not define."""

    _backward_name = "torch::autograd::Error"

    @staticmethod
    def forward(ctx, a, message):
        ctx.message = message
        return a.copy()

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError(ctx.message)


@supports_out(rule="exact", overlap=None)
def scatter_reduce(input, dim: int, index, src, reduce: str, *, include_self: bool = True,
                   out=None):
    """A copy of ``input`` where each position ``index`` names (along ``dim``) holds the
    ``reduce`` of the src values scattered there: 'sum', 'prod', 'mean', 'amax' or 'amin'."""
    if reduce not in _UFUNC:
        raise RuntimeError(
            "reduce argument must be either sum, prod, mean, amax or amin, got " + str(reduce))
    a, idx = input._data, index._data
    d = wrap_dim(dim, a.ndim)
    if idx.dtype.kind not in "iu":
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    if src._data.dtype != a.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    _check_gather_index("scatter", a, d, idx, src._data)
    return ScatterReduce.apply(input, d, idx, src, reduce, include_self)


_index_reduce_warned: list = []


def index_reduce(input, dim: int, index, source, reduce: str, *, include_self: bool = True):
    """The ``reduce`` ('prod', 'mean', 'amax', 'amin') into ``input``'s slices ``index`` names
    along ``dim`` of ``source``'s slices (with the slice's own values when ``include_self``):
    ``scatter_reduce`` with ``index`` spread over ``source``'s shape, torch's node name and
    checks. torch warns once that the function is in beta."""
    if not _index_reduce_warned:
        _index_reduce_warned.append(True)
        import warnings
        warnings.warn("index_reduce() is in beta and the API may change at any time.",
                      UserWarning, stacklevel=2)
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError("index_reduce(): Expected reduce to be one of prod, mean, amax or amin "
                           f"but got {reduce}.")
    a, idx, src = input._data, index._data, source._data
    d = wrap_dim(dim, a.ndim)
    check_index_source("index_reduce_", a, idx, src)
    n = idx.reshape(-1).shape[0]
    src_size = src.shape[d] if src.ndim else 1
    if n != src_size:
        raise RuntimeError(f"index_reduce_(): Number of indices ({n}) should be equal to "
                           f"source.size(dim): ({src_size}), for dim: {d}")
    flat = idx.reshape(-1).astype(np.int64)
    size = a.shape[d] if a.ndim else 1
    if flat.size and (flat.min() < 0 or flat.max() >= size):  # no negative indices either
        raise IndexError("index out of range in self")
    if src.ndim:
        shape = [1] * src.ndim
        shape[d] = n
        spread = np.broadcast_to(flat.reshape(shape), src.shape)
    else:
        spread = flat.reshape(())
    _check_gather_index("index_reduce_", a, d, spread, src)
    return ScatterReduce.apply(input, d, np.ascontiguousarray(spread), source, reduce,
                               include_self, flat, name="IndexReduceBackward0")


# -- index_copy, index_fill ------------------------------------------------------------------------

def _index_arg(name: str, input, dim: int, index) -> tuple:
    """``dim`` wrapped and ``index`` as a 1-d int64 array, with torch's checks (index_copy and
    index_fill word them differently)."""
    d = wrap_dim(dim, input.dim())
    idx = index._data
    copy = name == "index_copy_"
    if idx.dtype != np.int64:
        if copy:
            raise RuntimeError(f"{name}(): Expected a long tensor for index, but got "
                               f"{_type_name(idx.dtype)}")
        raise IndexError(f"{name}(): Expected dtype int64 for index.")
    if idx.ndim > 1:
        if copy:
            raise IndexError(f"{name}(): Index should have dimension 1 or 0 (got {idx.ndim})")
        raise RuntimeError("Index has to be a vector/scalar")
    idx = idx.reshape(-1)
    size = input.shape[d] if input.dim() else 1
    bad = idx[(idx >= size) | (idx < -size)]
    if bad.size:
        raise IndexError(f"{name + '(): ' if copy else ''}index {bad[0]} is out of bounds for "
                         f"dimension {d} with size {size}")
    return d, idx


def _at(dim: int, idx) -> tuple:
    return (slice(None),) * dim + (idx,)


class IndexCopy(ArrayFunction):
    """out = a with out[..., index[i], ...] = source[..., i, ...] along ``dim`` (a repeated
    index: one of its writes wins).
    dL/da = g with zeros at the written positions,   dL/dsource = g selected at index."""

    _backward_name = "IndexCopyBackward0"

    @staticmethod
    def forward(ctx, a, dim, index, source):
        ctx.at = at = _at(dim, index) if a.ndim else ()
        out = a.copy()
        out[at] = source if a.ndim else source.reshape(())
        ctx.source_shape = source.shape
        return out

    @staticmethod
    def backward(ctx, g):
        ga = gs = None
        if ctx.needs_input_grad[0]:
            ga = g.copy()
            ga[ctx.at] = 0
        if ctx.needs_input_grad[3]:
            gs = g[ctx.at].reshape(ctx.source_shape)
        return ga, None, None, gs


@supports_out(rule="exact", overlap=None)
def index_copy(input, dim: int, index, source, *, out=None):
    """A copy of ``input`` with the slices of ``source`` written at ``index`` along ``dim``."""
    if not (isinstance(index, Tensor) and isinstance(source, Tensor)):
        raise argument_error(index_copy, locals(), tensors=("index", "source"))
    d, idx = _index_arg("index_copy_", input, dim, index)
    if source._data.dtype != input._data.dtype:
        raise RuntimeError(
            "index_copy_(): self and source expected to have the same dtype, but got (self) "
            f"{_type_name(input._data.dtype)} and (source) {_type_name(source._data.dtype)}")
    n = source.shape[d] if source.dim() else 1
    if idx.size != n:
        raise IndexError(f"index_copy_(): Number of indices ({idx.size}) should be equal to "
                           f"source.size(dim) ({n})")
    want = input.shape[:d] + (idx.size,) + input.shape[d + 1:] if input.dim() else ()
    if source.dim() and tuple(source.shape) != tuple(want):
        raise RuntimeError(
            "index_copy_(): Source/destination tensor must have same slice shapes. Destination "
            f"slice shape: {shape_str(input.shape[:d] + input.shape[d + 1:])} at dimension {d} "
            "and source slice shape: "
            f"{shape_str(source.shape[:d] + source.shape[d + 1:])} at dimension 0.")
    return IndexCopy.apply(input, d, idx, source)


class IndexFill(ArrayFunction):
    """out = a with every slice at ``index`` along ``dim`` set to ``value`` (a number or a 0-d
    tensor).   dL/da = g with zeros there,   dL/dvalue = the sum of g over those slices (each
    position once)."""

    _backward_name = "IndexFillBackward0"

    @staticmethod
    def forward(ctx, a, dim, index, value):
        ctx.at = at = _at(dim, np.unique(index % (a.shape[dim] if a.ndim else 1))) \
            if a.ndim else ()
        check_scalar_fits(value.item() if type(value) is np.ndarray else value, a.dtype)
        out = a.copy()
        out[at] = cast_value(value, a.dtype)
        return out

    @staticmethod
    def backward(ctx, g):
        ga = gv = None
        if ctx.needs_input_grad[0]:
            ga = g.copy()
            ga[ctx.at] = 0
        if ctx.needs_input_grad[3]:
            gv = g[ctx.at].sum()
        return ga, None, None, gv


def index_fill(input, dim: int, index, value):
    """A copy of ``input`` with the slices at ``index`` along ``dim`` set to ``value``."""
    if not (isinstance(input, Tensor) and isinstance(index, Tensor)):
        raise argument_error(index_fill, locals())
    d, idx = _index_arg("index_fill_", input, dim, index)
    if isinstance(value, Tensor):
        if value.dim():
            raise RuntimeError("index_fill_ only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value.dim()} dimension(s).")
        return IndexFill.apply(input, d, idx, value, name="IndexFillBackward1")
    return IndexFill.apply(input, d, idx, value)


# -- masked_scatter --------------------------------------------------------------------------------

class MaskedScatter(ArrayFunction):
    """out = a (broadcast with mask) with the positions where mask is True filled, in row-major
    order, by source's first elements.
    dL/da = g with zeros where mask is True (summed back over broadcast dims by the engine),
    dL/dsource = g at the masked positions, in that order, then zeros, in source's shape."""

    _backward_name = "MaskedScatterBackward0"
    _saved_attrs = ("mask",)  # torch's node saves the mask

    @staticmethod
    def forward(ctx, a, mask, source):
        shape = np.broadcast_shapes(a.shape, mask.shape)
        out = np.broadcast_to(a, shape).copy()
        ctx.mask = mask = np.broadcast_to(mask, shape)
        out[mask] = source.reshape(-1)[:int(mask.sum())]
        ctx.source_shape = source.shape
        return out

    @staticmethod
    def backward(ctx, g):
        ga = gs = None
        if ctx.needs_input_grad[0]:
            ga = np.where(ctx.mask, 0, g)
        if ctx.needs_input_grad[2]:
            flat = new_zeros(g, (int(np.prod(ctx.source_shape, dtype=np.int64)),))
            picked = g[ctx.mask]
            flat[:picked.shape[0]] = picked
            gs = flat.reshape(ctx.source_shape)
        return ga, None, gs


def masked_scatter(input, mask, source):
    """A copy of ``input`` with source's elements written, in order, where ``mask`` is True."""
    if not (isinstance(input, Tensor) and isinstance(mask, Tensor) and isinstance(source, Tensor)):
        raise argument_error(masked_scatter, locals(), tensors=("input", "mask", "source"))
    m = mask._data
    if m.dtype != np.bool_:
        raise RuntimeError("masked_scatter_ only supports boolean masks, but got mask with "
                           f"dtype {_type_name(m.dtype)}")
    if source._data.dtype != input._data.dtype:
        raise RuntimeError(
            "masked_scatter: expected self and source to have same dtypes but got"
            f"{_type_name(input._data.dtype)} and {_type_name(source._data.dtype)}")
    shape = broadcast_shapes_or_raise(m.shape, input._data.shape)
    if int(np.broadcast_to(m, shape).sum()) > source.numel():
        raise RuntimeError("masked_scatter: expected source to have at least as many elements "
                           "as the ones selected by the mask")
    return MaskedScatter.apply(input, mask, source)


# -- put -------------------------------------------------------------------------------------------

class Put(ArrayFunction):
    """out = a with out.flat[index] = source (added to it with ``accumulate``), ``a`` read as
    its row-major flattening; negative indices count from the end; without ``accumulate`` the
    last of repeated indices wins.
    dL/da = g, zeroed at the indices unless accumulating,   dL/dsource = g.flat[index]."""

    _backward_name = "PutBackward0"
    _saved_attrs = ("index",)  # torch's node saves the index

    @staticmethod
    def forward(ctx, a, index, source, accumulate):
        flat = a.reshape(-1).copy()
        idx, src = index.reshape(-1), source.reshape(-1)
        if accumulate:
            np.add.at(flat, idx, src)
        else:
            flat[idx] = src
        ctx.index, ctx.accumulate, ctx.shapes = idx, accumulate, (a.shape, source.shape)
        return flat.reshape(a.shape)

    @staticmethod
    def backward(ctx, g):
        shape, source_shape = ctx.shapes
        ga = gs = None
        if ctx.needs_input_grad[0]:
            # torch's g.put(index, zeros_like(source), accumulate): g itself when accumulating
            ga = g if ctx.accumulate else \
                put_(g.copy(), ctx.index, new_zeros(g, ctx.index.shape))
        if ctx.needs_input_grad[2]:
            gs = g.reshape(-1)[ctx.index].reshape(source_shape)
        return ga, None, gs, None


def put(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """torch.put (and Tensor.put; Tensor.put_ writes it back)."""
    if not (isinstance(input, Tensor) and isinstance(index, Tensor)
            and isinstance(source, Tensor)):
        raise argument_error(put, locals(), tensors=("input", "index", "source"))
    if index._data.dtype != np.int64:
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got "
                           f"{_type_name(index._data.dtype)}")
    if input._data.dtype != source._data.dtype:
        raise RuntimeError(
            "put_(): self and source expected to have the same dtype, but got self.dtype = "
            f"{_type_name(input._data.dtype)} and source.dtype = "
            f"{_type_name(source._data.dtype)}")
    if index.numel() != source.numel():
        raise IndexError(
            "put_(): Expected source and index to have the same number of elements, but got "
            f"source.numel() = {source.numel()}, index.numel() = {index.numel()}")
    n = input.numel()
    idx = index._data.reshape(-1)
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        raise IndexError(f"out of range: tried to access index {int(idx[bad][0])} on a tensor "
                         f"of {n} elements.")
    return Put.apply(input, np.where(idx < 0, idx + n, idx), source, bool(accumulate))


# -- index_put_ through a byte mask ---------------------------------------------------------------

def check_byte_mask(shape: tuple, index, idx: tuple, value, accumulate: bool = False) -> None:
    """torch's ``index_put_`` (and so ``t[index] = value``) writes a one-element value through
    a single mask, every other entry a slice or None, as ``masked_fill_(mask, value.item())``,
    which takes bool masks only: a uint8 mask, which indexing otherwise reads as the deprecated
    bool mask, is refused there, after the mask's shape check. ``index`` is the index as given,
    ``idx`` its conversion (the mask a bool array)."""
    size = value._data.size if isinstance(value, Tensor) else 1
    if accumulate or size != 1 or sum(isinstance(i, np.ndarray) for i in idx) != 1:
        return
    entries = index if isinstance(index, (tuple, list)) else (index,)
    if any(isinstance(e, (Tensor, np.ndarray)) and np.ndim(e) and
           getattr(e, "_data", e).dtype == np.uint8 for e in entries):
        _check_index(shape, idx, tensors_in_range=False)
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype "
                           "unsigned char")

