"""Indexing: ``tensor[index]``, ``gather``/``take_along_dim``, ``scatter``/``scatter_add``,
``index_add``, ``bincount``, ``index_select``, ``masked_select``, ``nonzero``, ``take``;
selecting by a mask (``where``, ``masked_fill``); ``repeat_interleave``.

Forward reads with NumPy indexing; backward writes ``g`` back to where it was read from.
Advanced (integer or boolean array) indices may name a position twice, so their backward
accumulates with ``np.add.at``: a position read twice receives both gradients. Each op reads top
to bottom: its kernel (an ``ArrayFunction``: the math in the docstring, ``forward`` beside
``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out), then the public
function with torch's checks."""
from __future__ import annotations

import operator
import warnings
from collections.abc import Sequence

import numpy as np

from .._names import c_type_name, scalar_type_name
from .._tensor import _new_tensor
from ..autograd.function import ArrayFunction
from ._arguments import argument_error
from .._dtype import cast_value, check_scalar_fits
from ._util import (Tensor, broadcast_shapes_or_raise, gather_along, index_add_, is_recorded,
                    masked_scatter_, masked_zero, new_zeros, number, promote, put_, recorded_call,
                    scatter_add_, scatter_fill, shape_str, wrap_dim)
from .out import supports_out, with_out
from .shape import Reshape, Slice, unsqueeze

__all__ = ["getitem", "gather", "take_along_dim", "scatter", "scatter_add", "index_add",
           "bincount", "index_select", "masked_select", "nonzero", "argwhere", "take", "where",
           "masked_fill", "repeat_interleave"]


# -- tensor[index] ---------------------------------------------------------------------------------

def _convert_item(i):
    """One entry of an index, in the form NumPy takes, with torch's rules and errors."""
    if i is None or i is Ellipsis or isinstance(i, (int, np.integer)) and not isinstance(
            i, (bool, np.bool_)):
        return i
    if isinstance(i, slice):
        if i.step is not None and _as_int(i.step) <= 0:
            if _as_int(i.step) == 0:
                raise ValueError("slice step cannot be zero")
            raise ValueError("step must be greater than zero")
        return slice(*(None if v is None else _as_int(v) for v in (i.start, i.stop, i.step)))
    if isinstance(i, (bool, np.bool_)):
        return np.asarray(i)
    if isinstance(i, Tensor):
        arr = i._data
        if arr.dtype.kind == "f":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if arr.ndim == 0 and arr.dtype.kind in "iu":
            return int(arr)  # a 0-d integer tensor selects, as an int does
        if arr.dtype.kind != "b" and arr.dtype not in _INDEX_DTYPES:
            if arr.dtype != np.uint8:
                raise IndexError("tensors used as indices must be long, int, byte or bool "
                                 "tensors")
            warnings.warn(_BYTE_INDEX_WARNING, UserWarning, stacklevel=5)
            return arr.astype(bool)  # torch's legacy byte mask
        return arr
    if isinstance(i, np.ndarray):
        if i.ndim == 0 and i.dtype.kind in "iuf":
            return int(i)  # a 0-d number selects, as an int does (a float truncated)
        if i.dtype.kind == "b" or i.dtype in _INDEX_DTYPES:
            return i
        if i.dtype == np.uint8:  # converted to a byte tensor by torch: the deprecated mask
            warnings.warn(_BYTE_INDEX_WARNING, UserWarning, stacklevel=5)
            return i.astype(bool)
        # other numbers are read as a sequence's are: int64, floats truncated
        return i.astype(np.int64) if i.dtype.kind in "iuf" else i
    if _is_sequence(i):
        return _sequence_index(i)
    if isinstance(i, (str, bytes)):  # a sequence to torch, whose tensor conversion refuses it
        raise TypeError(f"new(): invalid data type '{type(i).__name__}'")
    kind = type(i)
    name = kind.__qualname__ if kind.__module__ == "builtins" else \
        f"{kind.__module__}.{kind.__qualname__}"
    raise IndexError(
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
        f"valid indices (got {name})")


_INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.int32))
_BYTE_INDEX_WARNING = ("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                       "torch.bool instead.")


def _as_int(v) -> int:
    """A slice bound: an int, or anything with ``__index__`` (a float is refused, as by
    Python's own slices)."""
    if isinstance(v, Tensor):
        if v._data.dtype.kind not in "iu" or v._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(v.item())
    try:
        return operator.index(v)
    except TypeError:
        raise TypeError("slice indices must be integers or None or have an __index__ "
                        "method") from None


def _is_sequence(i) -> bool:
    """A Python sequence used as an index (list, tuple, range, deque, ...). Strings are left to
    the error below, as torch refuses them."""
    return isinstance(i, (list, tuple, range)) or (
        isinstance(i, Sequence) and not isinstance(i, (str, bytes)))


def _sequence_index(seq) -> np.ndarray:
    """A sequence of numbers as an index array, as torch converts it: all bools give a mask,
    anything else int64 (floats truncated: torch reads ``x[[0.7, 1.0]]`` as ``x[[0, 1]]``)."""
    arr = np.asarray([x.item() if isinstance(x, Tensor) else
                      (_sequence_index(x) if _is_sequence(x) else x) for x in seq])
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        bad = next((x for x in seq if not isinstance(x, (int, float, np.number, np.bool_,
                                                         Tensor))), seq)
        raise TypeError(f"new(): invalid data type '{type(bad).__name__}'")
    return arr if arr.dtype == np.bool_ else arr.astype(np.int64)


_NON_TUPLE_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed "
    "in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be "
    "interpreted as tensor index, x[torch.tensor(seq)], which will result either in an error or "
    "a different result")


def _convert_index(index) -> tuple:
    if type(index) is not tuple:
        if _is_sequence(index) and _sequence_as_tuple(index):
            warnings.warn(_NON_TUPLE_WARNING, UserWarning, stacklevel=4)
            index = tuple(index)
        else:
            index = (index,)
    return tuple(_convert_item(i) for i in index)


def _sequence_as_tuple(index) -> bool:
    """torch's legacy rule (once NumPy's): a short sequence holding a slice, None, Ellipsis, a
    sequence or a tensor is read as a tuple of indices, so ``x[[[0, 1], [1, 0]]]`` is
    ``x[[0, 1], [1, 0]]`` and ``x[[range(2)]]`` is ``x[range(2)]`` (torch warns that this will
    change)."""
    return len(index) < 32 and any(
        isinstance(i, (slice, Tensor, np.ndarray)) or _is_sequence(i) or i is None
        or i is Ellipsis for i in index)


def _n_dims_used(i) -> int:
    if i is None or i is Ellipsis:
        return 0
    if isinstance(i, np.ndarray) and i.dtype == np.bool_:
        return i.ndim
    return 1


def _check_index(shape: tuple, index: tuple, tensors_in_range: bool = True) -> None:
    """torch's IndexErrors (NumPy's words differ): too many indices, a mask whose shape does not
    match, an integer out of range (named by its dim) and an index tensor out of range (named by
    its position among the index tensors, as torch reports it; not with ``tensors_in_range``
    False: torch's index_put_ checks them last, as it writes)."""
    used = sum(_n_dims_used(i) for i in index)
    if used > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    dim = 0
    n_adv = 0
    for k, i in enumerate(index):
        if i is Ellipsis:
            dim = len(shape) - sum(_n_dims_used(j) for j in index[k + 1:])
        elif i is None:
            continue
        elif isinstance(i, np.ndarray) and i.dtype == np.bool_:
            for m in range(i.ndim):
                if i.shape[m] != shape[dim + m]:
                    raise IndexError(
                        f"The shape of the mask {shape_str(i.shape)} at index {m} does not match "
                        f"the shape of the indexed tensor {shape_str(shape)} at index {dim + m}")
            dim += i.ndim
            n_adv += i.ndim
        elif isinstance(i, np.ndarray):
            size = shape[dim]
            bad = i[(i >= size) | (i < -size)] if tensors_in_range else i[:0]
            if bad.size:
                raise IndexError(
                    f"index {bad.reshape(-1)[0]} is out of bounds for dimension {n_adv} with "
                    f"size {size}")
            dim += 1
            n_adv += 1
        elif isinstance(i, slice):
            dim += 1
        else:
            size = shape[dim]
            if not -size <= i < size:  # (torch names the entry's position in the index)
                raise IndexError(
                    f"index {i} is out of bounds for dimension {k} with size {size}")
            dim += 1


def indexed_shape(shape: tuple, index: tuple) -> tuple:
    """The shape of ``a[index]`` for an ``a`` of ``shape``: the values of its integer index
    arrays are not read (their range is checked where they are used)."""
    _check_index(shape, index, tensors_in_range=False)
    dims, dim = list(shape), 0
    for k, i in enumerate(index):
        if i is Ellipsis:
            dim = len(shape) - sum(_n_dims_used(j) for j in index[k + 1:])
        elif isinstance(i, np.ndarray) and i.dtype != np.bool_:
            dims[dim] = max(dims[dim], 1)  # an index of size 0 selects nothing, in range
        dim += _n_dims_used(i)
    zeros = tuple(np.zeros(i.shape, np.intp) if isinstance(i, np.ndarray) and i.dtype != np.bool_
                  else i for i in index)
    try:
        return np.broadcast_to(np.empty((), np.bool_), dims)[zeros].shape
    except IndexError as e:
        if str(e).startswith("shape mismatch"):
            raise _broadcast_error(index) from None
        raise _reword(e) from None


def _broadcast_error(index: tuple) -> IndexError:
    """torch's message for index tensors of shapes that do not broadcast (a mask counts as
    one index tensor per dim, of its count of True entries)."""
    shapes = []
    for i in index:
        if isinstance(i, np.ndarray):
            shapes += [(int(np.count_nonzero(i)),)] * i.ndim if i.dtype == np.bool_ else [i.shape]
    return IndexError("shape mismatch: indexing tensors could not be broadcast together with "
                      f"shapes {', '.join(shape_str(s) for s in shapes)}")


def _reword(e: IndexError) -> IndexError:
    return IndexError(str(e).replace("axis", "dimension"))


def _basic_node_name(index: tuple) -> str:
    """The node name torch shows for a basic index: the last op it applies (``x[:]`` alone is
    a slice; inside a tuple, full slices ``:`` apply nothing)."""
    if len(index) == 1 and isinstance(index[0], slice):
        return "SliceBackward0"
    name = "AliasBackward0"
    for i in index:
        if i is None:
            name = "UnsqueezeBackward0"
        elif isinstance(i, slice):
            if i != slice(None):
                name = "SliceBackward0"
        elif i is not Ellipsis:
            name = "SelectBackward0"
    return name


class Index(ArrayFunction):
    """out = a[index] for an advanced index (integer or boolean arrays, mixed with basic parts).
    dL/da = zeros like a with g *added* at ``index`` (``np.add.at``: a position named k times
    receives the sum of its k gradients)."""

    _backward_name = "IndexBackward0"
    _saved_attrs = ("index",)  # torch's node saves the index

    @staticmethod
    def forward(ctx, a, index):
        ctx.shape, ctx.index = a.shape, index
        try:
            return a[index]
        except IndexError as e:
            if str(e).startswith("shape mismatch"):
                raise _broadcast_error(index) from None
            raise _reword(e) from None

    @staticmethod
    def backward(ctx, g):
        out = new_zeros(g, ctx.shape)
        np.add.at(out, ctx.index, g)
        return out, None


def getitem(input, index):
    try:
        idx = _convert_index(index)
        _check_index(input._data.shape, idx)
    except (IndexError, TypeError):
        if input._data.ndim == 0:
            raise _zero_dim_error(index) from None
        raise
    if all(not isinstance(i, np.ndarray) for i in idx):
        if Ellipsis in idx and sum(i is Ellipsis for i in idx) > 1:
            idx = _one_ellipsis(idx)
        try:
            return Slice.apply(input, idx, name=_basic_node_name(idx))
        except IndexError as e:
            raise _reword(e) from None
    return Index.apply(input, idx)


def _zero_dim_error(index) -> IndexError:
    """torch's words for a 0-d tensor indexed by what needs a dimension: a lone integer (0 is
    told to use ``item()``), a lone slice, anything else (a float too) is too many indices."""
    if isinstance(index, (int, np.integer)) and not isinstance(index, (bool, np.bool_)):
        if index == 0:
            return IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                              "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        return IndexError(f"index {index} is out of bounds for dimension 0 with size 0")
    if isinstance(index, slice):
        return IndexError("slice() cannot be applied to a 0-dim tensor.")
    return IndexError("too many indices for tensor of dimension 0")


def _one_ellipsis(idx: tuple) -> tuple:
    """torch accepts ``x[..., ...]`` (the later ones stand for nothing); NumPy does not."""
    first = idx.index(Ellipsis)
    return idx[:first + 1] + tuple(i for i in idx[first + 1:] if i is not Ellipsis)


# -- gather, scatter, index_add --------------------------------------------------------------------

def _along(index: np.ndarray, dim: int) -> tuple:
    """The full NumPy index that pairs ``index`` (along ``dim``) with every other coordinate
    (for a 0-d index, the one element of a 0-d tensor)."""
    if index.ndim == 0:
        return ()
    grid = list(np.indices(index.shape, sparse=True))
    grid[dim] = index
    return tuple(grid)


def _check_gather_index(name: str, a: np.ndarray, dim: int, index: np.ndarray, src=None):
    if index.dtype.kind not in "iu":
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index" if name == "gather"
                           else f"{name}(): Expected dtype int64 for index")
    if index.ndim != a.ndim and not (index.ndim <= 1 and a.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as "
                           + ("input tensor" if name == "gather" else "self tensor"))
    for d in range(index.ndim):
        if d != dim and index.shape[d] > (a.shape[d] if a.ndim else 1):
            raise RuntimeError(
                f"Size does not match at dimension {d} expected index {shape_str(index.shape)} "
                f"to be no larger than self {shape_str(a.shape)} apart from dimension {dim}")
        if src is not None and index.shape[d] > (src.shape[d] if src.ndim else 1):
            raise RuntimeError(
                f"Expected index {shape_str(index.shape)} to be no larger than self "
                f"{shape_str(a.shape)} apart from dimension {dim} and to be no larger size than "
                f"src {shape_str(src.shape)}")
    size = a.shape[dim] if a.ndim else 1
    if index.size and (index.max() >= size or index.min() < -size):
        bad = index.max() if index.max() >= size else index.min()
        raise RuntimeError(f"index {bad} is out of bounds for dimension {dim} with size {size}")


class Gather(ArrayFunction):
    """out[i][j] = a[index[i][j]][j] for dim 0 (and so on for other dims): out has index's shape.
    dL/da = zeros like a with g added at the gathered positions (repeats accumulate)."""

    _backward_name = "GatherBackward0"
    _saved_attrs = ("index",)  # torch's node saves the index

    @staticmethod
    def forward(ctx, a, dim, index):
        ctx.shape, ctx.dim, ctx.index = a.shape, dim, index
        return a[_along(index, dim)]

    @staticmethod
    def backward(ctx, g):
        # torch's g.new_zeros(shape).scatter_add_(dim, index, g)
        return scatter_add_(new_zeros(g, ctx.shape), ctx.dim, ctx.index, g), None, None


@supports_out(rule="exact", overlap="any")
def gather(input, dim: int, index, *, sparse_grad: bool = False, out=None):
    if not isinstance(index, Tensor):
        raise argument_error(gather, locals())
    if not isinstance(input, Tensor):
        raise argument_error(gather, locals())
    a, idx = input._data, index._data
    d = wrap_dim(dim, a.ndim)
    _check_gather_index("gather", a, d, idx)
    if a.ndim == 0:
        return Gather.apply(input.reshape(1), 0, index.reshape(1)._data).reshape(())
    return Gather.apply(input, d, idx)


# out=: torch runs it as gather, with gather's name and rules
@supports_out("gather", rule="exact", overlap="any")
def take_along_dim(input, indices, dim=None, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(indices, Tensor)):
        raise argument_error(take_along_dim, locals(), tensors=("input", "indices"))
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    if input.dim() == 0:
        raise IndexError(f"Dimension specified as {wrap_dim(dim, 0)} but tensor has no "
                         "dimensions")
    return gather(input, dim, indices)


class Scatter(ArrayFunction):
    """out = a with out[index[i][j]][j] = src[i][j] (dim 0; likewise for others); ``src`` may be
    a number. Where index repeats a position, which write wins is unspecified (as in torch).
    dL/da = g with zeros at the written positions;   dL/dsrc = g gathered at ``index``."""

    _backward_name = "ScatterBackward0"
    _saved_attrs = ("index",)  # torch's node saves the index

    @staticmethod
    def forward(ctx, a, dim, index, src):
        where = _along(index, dim)
        out = a.copy()
        out[where] = src[tuple(slice(0, n) for n in index.shape)] if np.ndim(src) \
            else cast_value(src, a.dtype)  # (an int beyond an integer dtype: its low bits)
        ctx.dim, ctx.index, ctx.src_shape = dim, index, np.shape(src)
        return out

    @staticmethod
    def backward(ctx, g):
        ga = gs = None
        if ctx.needs_input_grad[0]:  # torch's g.scatter(dim, index, 0)
            ga = scatter_fill(g, ctx.dim, ctx.index, 0)
        if ctx.needs_input_grad[3]:
            gs = _src_grad(g, ctx.dim, ctx.index, ctx.src_shape, "ScatterBackward0")
        return ga, None, None, gs


def _src_grad(g, dim: int, index: np.ndarray, src_shape: tuple, node: str):
    """scatter's and scatter_add's dL/dsrc: torch's g.gather(dim, index). It has index's
    shape, so where src is larger than index torch's engine refuses it (the message below,
    raised during backward; src's gradient is not padded)."""
    if index.shape != tuple(src_shape):
        raise src_grad_shape_error(node, index.shape, src_shape)
    return gather_along(g, dim, index)


def src_grad_shape_error(node: str, got: tuple, src_shape: tuple) -> RuntimeError:
    """torch's engine on a gradient of the wrong shape for input 1 (src) of ``node``."""
    return RuntimeError(f"Function {node} returned an invalid gradient at index 1 - got "
                        f"{shape_str(got)} but expected shape compatible with "
                        f"{shape_str(src_shape)}")


def _scatter_args(name, input, dim, index, src):
    a, idx = input._data, index._data
    d = wrap_dim(dim, a.ndim)
    if isinstance(src, Tensor):
        if src._data.dtype != a.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        _check_gather_index(name, a, d, idx, src._data)
    else:
        _check_gather_index(name, a, d, idx)
    return d, idx


@supports_out(rule="exact", overlap=None)
def scatter(input, dim: int, index, src=None, *, value=None, reduce=None, out=None):
    """A copy of ``input`` with ``src`` (a tensor or a number) written at ``index`` along
    ``dim``."""
    if not (isinstance(input, Tensor) and isinstance(index, Tensor)):
        raise argument_error(scatter, locals())
    if src is None:
        src = value
    if reduce is not None:
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        if isinstance(src, Tensor) and not _WARNED_REDUCE:  # once per process, as torch's
            _WARNED_REDUCE.append(True)
            warnings.warn("The reduce argument of torch.scatter with Tensor src is deprecated "
                          "and will be removed in a future PyTorch release. Use "
                          "torch.scatter_reduce instead for more reduction options.",
                          UserWarning, stacklevel=2)
        d, idx = _scatter_args("scatter", input, dim, index, src)
        return ScatterWithReduce.apply(input, d, idx, src, reduce)
    d, idx = _scatter_args("scatter", input, dim, index, src)
    if isinstance(src, Tensor):
        return Scatter.apply(input, d, idx, src)
    check_scalar_fits(src, input._data.dtype)
    return Scatter.apply(input, d, idx, src, name="ScatterBackward1")


_WARNED_REDUCE: list = []


class ScatterWithReduce(ArrayFunction):
    """out = a with src (a tensor or a number) added (``reduce='add'``) or multiplied
    (``'multiply'``) into the positions index names. torch gives it no derivative: the output
    is recorded, and backward raises torch's error."""

    _backward_name = "torch::autograd::NotImplemented"

    @staticmethod
    def forward(ctx, a, dim, index, src, reduce):
        where = _along(index, dim)
        values = src[tuple(slice(0, n) for n in index.shape)] if np.ndim(src) else src
        out = a.copy()
        (np.add if reduce == "add" else np.multiply).at(out, where, values)
        return out

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError("derivative for aten::scatter is not implemented")


class ScatterAdd(ArrayFunction):
    """out = a with src[i][j] added at out[index[i][j]][j] (dim 0; likewise for others);
    repeated positions accumulate.
    dL/da = g;   dL/dsrc = g gathered at ``index``."""

    _backward_name = "ScatterAddBackward0"
    _saved_attrs = ("index",)  # torch's node saves the index

    @staticmethod
    def forward(ctx, a, dim, index, src):
        where = _along(index, dim)
        out = a.copy()
        np.add.at(out, where, src[tuple(slice(0, n) for n in index.shape)])
        ctx.dim, ctx.index, ctx.src_shape = dim, index, src.shape
        return out

    @staticmethod
    def backward(ctx, g):
        gs = None
        if ctx.needs_input_grad[3]:
            gs = _src_grad(g, ctx.dim, ctx.index, ctx.src_shape, "ScatterAddBackward0")
        return g, None, None, gs


@supports_out(rule="exact", overlap=None)
def scatter_add(input, dim: int, index, src, *, out=None):
    """A copy of ``input`` with ``src`` added at ``index`` along ``dim`` (repeats accumulate)."""
    if not (isinstance(index, Tensor) and isinstance(src, Tensor)):
        raise argument_error(scatter_add, locals())
    if not isinstance(input, Tensor):
        raise argument_error(scatter_add, locals())
    if not isinstance(src, Tensor):
        raise TypeError(
            f"scatter_add(): argument 'src' (position 3) must be Tensor, not "
            f"{type(src).__name__}")
    d, idx = _scatter_args("scatter_add", input, dim, index, src)
    return ScatterAdd.apply(input, d, idx, src)


class IndexAdd(ArrayFunction):
    """out = a with ``alpha * source``'s slices added at positions ``index`` along ``dim``:
    out[..., index[i], ...] += alpha * source[..., i, ...] (repeated positions accumulate, in
    index order, as torch adds them).
    dL/da = g;   dL/dsource = alpha * (g's slices at ``index``)."""

    _backward_name = "IndexAddBackward0"
    _saved_attrs = ("meta",)  # torch's node saves the index

    @staticmethod
    def forward(ctx, a, dim, index, source, alpha):
        out = a.copy()
        if alpha != 1:
            source = source * a.dtype.type(alpha)  # alpha in self's dtype: 2.5 is 2 for ints
        if a.ndim == 0:
            np.add.at(out.reshape(1), index, source.reshape(1))
        elif source.size:  # (an empty slice adds nothing, whatever the index says)
            np.add.at(out, (slice(None),) * dim + (index,), source)
        ctx.meta = (dim, index, alpha, a.ndim == 0 or source.ndim == 0)
        return out

    @staticmethod
    def backward(ctx, g):
        dim, index, alpha, zero_d = ctx.meta
        gs = None
        if ctx.needs_input_grad[3]:
            gs = np.take(g.reshape(1) if g.ndim == 0 else g, index, axis=dim)
            if alpha != 1:
                gs = gs * g.dtype.type(alpha)
            if zero_d:
                gs = gs.reshape(())
        return g, None, None, gs, None


def check_index_source(op: str, a: np.ndarray, idx: np.ndarray, src: np.ndarray) -> None:
    """The checks index_add_ and index_reduce_ make first, in torch's order and words: the index
    a vector of int32/int64, the source of self's dtype."""
    if idx.ndim > 1:
        raise IndexError(
            f"{op}(): Index is supposed to be a vector, but got dim: {idx.ndim} with type: "
            f"{scalar_type_name(idx.dtype)} and size: {shape_str(idx.shape)}")
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index but got: "
                           f"{scalar_type_name(idx.dtype)}")
    if src.dtype != a.dtype:
        raise RuntimeError(f"{op}(): self ({scalar_type_name(a.dtype)}) and source "
                           f"({scalar_type_name(src.dtype)}) must have the same scalar type")


@supports_out(rule="exact", overlap=None)
def index_add(input, dim: int, index, source, *, alpha=1, out=None):
    """A copy of ``input`` with ``alpha * source`` added at ``index`` along ``dim``."""
    for name, pos, t in (("index", 2, index), ("source", 3, source)):
        if not isinstance(t, Tensor):
            raise TypeError(f"index_add(): argument '{name}' (position {pos + 1}) must be "
                            f"Tensor, not {type(t).__name__}")
    a, idx, src = input._data, index._data, source._data
    d = wrap_dim(dim, a.ndim)
    check_index_source("index_add_", a, idx, src)
    if d != 0 and d >= src.ndim:
        raise RuntimeError(f"index_add_(): Indexing dim {d} is out of bounds of the source "
                           f"tensor with dim {src.ndim}")
    n_src = src.shape[d] if src.ndim else 1
    if idx.size != n_src:
        raise RuntimeError(f"index_add_(): Number of indices ({idx.size}) should be equal to "
                           f"source.size(dim): ({n_src}), for dim: {d}")
    if src.ndim != a.ndim or any(x != y for k, (x, y) in enumerate(zip(a.shape, src.shape))
                                 if k != d):
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified "
            f"dimension. Got self.shape = {shape_str(a.shape)} source.shape = "
            f"{shape_str(src.shape)}")
    idx = idx.reshape(-1)
    size = a.shape[d] if a.ndim else 1
    bad = idx[(idx < 0) | (idx >= size)]  # no negative indices here, unlike index_select
    if bad.size and a.ndim <= 1:
        raise IndexError("index out of range in self")
    if bad.size and a.size:
        raise RuntimeError(f"index {bad[0]} is out of bounds for dimension {d} with size {size}")
    return IndexAdd.apply(input, d, idx, source, number(alpha))


# -- bincount --------------------------------------------------------------------------------------

class Bincount(ArrayFunction):
    """out[b] = sum of weights[i] over the i with input[i] == b (a count without weights).
    torch defines no derivative: a result that requires grad (weights requiring grad) carries a
    node whose backward raises, as torch's does."""

    _backward_name = "torch::autograd::NotImplemented"

    @staticmethod
    def forward(ctx, weights, input, minlength):
        n = max(minlength, int(input.max()) + 1)
        if weights is None:
            return np.bincount(input, minlength=n).astype(np.int64, copy=False)
        if weights.dtype == np.float32:
            out = np.zeros(n, dtype=np.float32)  # torch adds in float32, one weight at a time
            np.add.at(out, input, weights)
            return out
        return np.bincount(input, weights.astype(np.float64), minlength=n)

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError("derivative for aten::bincount is not implemented")


def bincount(input, weights=None, minlength: int = 0):
    """How often each value 0, 1, ..., max(input) occurs in the 1-D non-negative integer tensor
    ``input`` (at least ``minlength`` bins); with ``weights``, the sum of the weights of each
    value instead (float32 weights give float32, other weights float64)."""
    if not isinstance(input, Tensor):
        raise argument_error(bincount, locals())
    if weights is not None and not isinstance(weights, Tensor):  # (as given by keyword)
        raise TypeError("bincount(): argument 'weights' must be Tensor, not "
                        f"{type(weights).__name__}")
    if weights is not None and not isinstance(weights, Tensor):
        raise TypeError("bincount(): argument 'weights' must be Tensor, not "
                        f"{type(weights).__name__}")
    if not isinstance(minlength, (int, np.integer)) or isinstance(minlength, bool):
        raise TypeError("bincount(): argument 'minlength' must be int, not "
                        f"{type(minlength).__name__}")
    a = input._data
    if a.dtype.kind not in "iu":
        raise NotImplementedError(
            f'"bincount_cpu" not implemented for \'{scalar_type_name(a.dtype)}\'')
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if a.ndim == 1 and a.size == 0:
        return _new_tensor(np.zeros(int(minlength), dtype=np.int64))
    if a.ndim != 1 or a.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is not None and (weights.dim() != 1 or weights.shape[0] != a.shape[0]):
        raise RuntimeError("weights should be 1-d and have the same length as input")
    return Bincount.apply(weights, a, int(minlength))


# -- index_select, masked_select, nonzero, take ----------------------------------------------------

class IndexSelect(ArrayFunction):
    """out = a restricted to positions ``index`` along ``dim`` (``index`` may repeat).
    dL/da = zeros like a with g's slices added at ``index`` (repeats accumulate)."""

    _backward_name = "IndexSelectBackward0"
    _saved_attrs = ("index",)  # torch's node saves the index

    @staticmethod
    def forward(ctx, a, dim, index):
        ctx.shape, ctx.dim, ctx.index = a.shape, dim, index
        return np.take(a, index, axis=dim)

    @staticmethod
    def backward(ctx, g):
        # torch's g.new_zeros(shape).index_add_(dim, index, g)
        return index_add_(new_zeros(g, ctx.shape), ctx.dim, ctx.index, g), None, None


@supports_out(rule="self_result", overlap="any")
def index_select(input, dim: int, index, *, out=None):
    if not isinstance(index, Tensor):
        raise argument_error(index_select, locals())
    if not isinstance(input, Tensor):
        raise argument_error(index_select, locals())
    a, idx = input._data, index._data
    d = wrap_dim(dim, a.ndim)
    if idx.dtype.kind not in "iu":
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    idx = idx.reshape(-1)
    if a.ndim == 0 and idx.size != 1:
        raise RuntimeError("index_select(): Index to scalar can have only 1 value, got "
                           f"{idx.size} value(s)")
    size = a.shape[d] if a.ndim else 1
    if a.ndim > 1 and size == 0 and idx.size:
        raise RuntimeError("index_select(): self indexing axis dim should be positive")
    bad = idx[(idx >= size) | (idx < 0)]
    if bad.size:
        if a.ndim <= 1:  # torch's 1-D kernel
            raise IndexError("index out of range in self")
        raise RuntimeError(
            f"INDICES element is out of DATA bounds, id={bad[0]} axis_dim={size}")
    if a.ndim == 0:
        return IndexSelect.apply(input.reshape(1), 0, idx).reshape(())
    return IndexSelect.apply(input, d, idx)


class MaskedSelect(ArrayFunction):
    """out = the elements of a where mask is True (a and mask broadcast together), as 1-D.
    dL/da = zeros with g written where mask is True (then summed back to a's shape)."""

    _backward_name = "MaskedSelectBackward0"
    _saved_attrs = ("mask",)  # torch's node saves the mask

    @staticmethod
    def forward(ctx, a, mask):
        shape = np.broadcast_shapes(a.shape, mask.shape)
        mask = np.broadcast_to(mask, shape)
        ctx.shape, ctx.mask = shape, mask
        return np.broadcast_to(a, shape)[mask]

    @staticmethod
    def backward(ctx, g):
        # torch's zeros.masked_scatter_(mask, g)
        return masked_scatter_(new_zeros(g, ctx.shape), ctx.mask, g), None


@supports_out(rule="self_result", overlap="any")
def masked_select(input, mask, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(mask, Tensor)):
        raise argument_error(masked_select, locals(), tensors=("input", "mask"))
    m = mask._data
    if m.dtype != np.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    broadcast_shapes_or_raise(m.shape, input._data.shape)  # torch names the mask first
    return MaskedSelect.apply(input, m)


def _nonzero_out(out, input, *, as_tuple=False):
    if as_tuple:  # no out= overload: out is not used
        return nonzero(input, as_tuple=True)
    return with_out(out, "nonzero", nonzero, input, rule="nonzero", differentiable=None,
                    overlap="any")


@supports_out(handler=_nonzero_out)
def nonzero(input, *, out=None, as_tuple: bool = False):
    """The indices of the non-zero elements: an (n, ndim) int64 tensor, or one 1-D tensor per
    dim with ``as_tuple=True``."""
    if not isinstance(input, Tensor):
        raise argument_error(nonzero, locals())
    a = input._data
    if as_tuple:
        return tuple(_new_tensor(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(a)))
    if a.ndim == 0:
        return _new_tensor(np.zeros((int(a != 0), 0), dtype=np.int64))
    return _new_tensor(np.argwhere(a).astype(np.int64))


def argwhere(input):
    """``nonzero(input)``: the indices of the non-zero elements as an (n, ndim) tensor."""
    if not isinstance(input, Tensor):
        raise argument_error(argwhere, locals())
    return nonzero(input)


class Take(ArrayFunction):
    """out = a flattened, read at ``index`` (out has index's shape).
    dL/da = zeros with g added at the flat positions ``index`` (repeats accumulate)."""

    _backward_name = "TakeBackward0"
    _saved_attrs = ("index",)  # torch's node saves the index

    @staticmethod
    def forward(ctx, a, index):
        ctx.shape, ctx.index = a.shape, index
        return a.reshape(-1)[index]

    @staticmethod
    def backward(ctx, g):
        # torch's g.new_zeros(shape).put_(index, g, accumulate=True)
        return put_(new_zeros(g, ctx.shape), ctx.index, g, accumulate=True), None


@supports_out(rule="take", overlap="any")
def take(input, index, *, out=None):
    """``input`` flattened, read at ``index`` (the result has index's shape)."""
    if not (isinstance(input, Tensor) and isinstance(index, Tensor)):
        raise argument_error(take, locals())
    idx = index._data
    if idx.dtype.kind not in "iu":
        raise RuntimeError("take(): Expected a long tensor for index, but got "
                           f"{index.dtype.name.capitalize()}")
    n = input.numel()
    bad = idx[(idx >= n) | (idx < -n)]
    if bad.size:
        raise IndexError(f"out of range: tried to access index {bad[0]} on a tensor of {n} "
                         "elements.")
    return Take.apply(input, idx)


# -- where, masked_fill: select by a mask ----------------------------------------------------------

class Where(ArrayFunction):
    """out = a where cond else b.      dL/da = g where cond, else 0;   dL/db = g where not cond."""

    _backward_name = "WhereBackward0"
    # the condition is not listed; a number branch is (as a tensor)
    _listed_args = (1, 2)

    @staticmethod
    def forward(ctx, cond, a, b):
        numbers = [v for v in (a, b) if type(v) in (int, float)]
        a, b = promote(a, b)
        ctx.save_for_backward(cond)
        try:
            out = np.where(cond, a, b)
        except ValueError:
            broadcast_shapes_or_raise(np.shape(cond), np.shape(a), np.shape(b))
            raise
        if out.dtype != np.float16:  # torch converts a number branch with a range check
            for v in numbers:        # (float16 unchecked: inf)
                check_scalar_fits(v, out.dtype)
        return out

    @staticmethod
    def backward(ctx, g):
        cond, = ctx.saved_tensors
        zero = np.zeros((), dtype=g.dtype)  # (other's first, as torch: by argument name)
        gb = np.where(cond, zero, g) if ctx.needs_input_grad[2] else None
        ga = np.where(cond, g, zero) if ctx.needs_input_grad[1] else None
        return None, ga, gb


@supports_out(rule="where")
def where(condition, input=None, other=None, *, out=None):
    """``where(cond, x, y)``: x where cond else y; ``where(cond)`` is ``nonzero(cond,
    as_tuple=True)``."""
    if not isinstance(condition, Tensor):
        raise argument_error(where, locals())
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    c = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    if c.dtype != np.bool_:
        raise RuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{scalar_type_name(c.dtype)}")
    return Where.apply(condition, input, other)


class MaskedFill(ArrayFunction):
    """out = a with ``value`` where mask (mask broadcast against a; a's dtype is kept).
    dL/da = g where not mask;   dL/dvalue = sum of g where mask (for a 0-d value tensor)."""

    _backward_name = "MaskedFillBackward0"

    @staticmethod
    def forward(ctx, a, mask, value):
        check_scalar_fits(value.item() if type(value) is np.ndarray else value, a.dtype)
        value = np.asarray(cast_value(value, a.dtype)).astype(a.dtype)
        ctx.save_for_backward(mask)
        try:
            return np.where(mask, value, a)
        except ValueError:
            broadcast_shapes_or_raise(a.shape, mask.shape)
            raise

    @staticmethod
    def backward(ctx, g):
        mask, = ctx.saved_tensors
        zero = np.zeros((), dtype=g.dtype)
        ga = masked_zero(g, mask) if ctx.needs_input_grad[0] else None
        gv = None
        if ctx.needs_input_grad[2]:  # torch's masked_select(grad, mask).sum()
            gv = recorded_call("sum", g[np.broadcast_to(mask, g.shape)]) if is_recorded(g) \
                else np.where(mask, g, zero).sum()
        return ga, None, gv


def masked_fill(input, mask, value):
    if not (isinstance(input, Tensor) and isinstance(mask, Tensor)):
        raise argument_error(masked_fill, locals())
    m = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
    if m.dtype != np.bool_:
        raise RuntimeError(
            "masked_fill_ only supports boolean masks, but got mask with dtype "
            f"{c_type_name(m.dtype)}")
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value.dim()} dimension(s).")
    if isinstance(value, Tensor):
        return MaskedFill.apply(input, mask, value, name="MaskedFillBackward1")
    return MaskedFill.apply(input, mask, value)


# -- repeat_interleave -----------------------------------------------------------------------------

def _as_index(index: np.ndarray):
    return _new_tensor(index.astype(np.int64))


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each element (or slice along ``dim``) repeated ``repeats`` times in place."""
    if not isinstance(input, Tensor):
        if repeats is None and dim is None and output_size is None:  # the (Tensor repeats) form
            raise argument_error(None, {"repeats": input}, "repeat_interleave")
        raise argument_error(repeat_interleave, locals())
    if dim is None:  # torch's flatten: a 1-D input itself (no view node)
        input, dim = (input if input.dim() == 1 else input.reshape(-1)), 0
    d = wrap_dim(dim, input.dim())
    if isinstance(repeats, Tensor) and repeats.dim() > 0:
        reps = repeats._data
        if reps.shape[0] != input.shape[d]:
            raise RuntimeError("repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {reps.shape[0]} and input.size({d}) = "
                               f"{input.shape[d]}")
        index = np.repeat(np.arange(reps.shape[0]), reps)
        return index_select(input, d, _as_index(index))
    r = int(repeats)
    shape = tuple(input.shape)
    expanded = unsqueeze(input, d + 1).expand(*shape[:d + 1], r, *shape[d + 1:])
    return Reshape.apply(expanded, shape[:d] + (shape[d] * r,) + shape[d + 1:], False)
