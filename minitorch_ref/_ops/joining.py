"""Joining and splitting: ``cat``, ``stack``, ``hstack``/``vstack``, ``split``, ``chunk``,
``unbind``, ``meshgrid``.

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks. A join's backward hands each input its slice of
``g``; a split's joins the pieces' gradients back (zeros for a piece that got none).
"""
from __future__ import annotations

import builtins
import itertools
import warnings

import numpy as np

from .._dtype import get_default_dtype, result_np_dtype
from ..autograd.function import ArrayFunction
from .._names import scalar_type_name as _type_name
from ._arguments import argument_error
from ._util import Tensor, _new_tensor, is_recorded, new_zeros, shape_str, wrap_dim
from .indexing import index_select
from .out import supports_out
from .shape import Slice, atleast_1d, atleast_2d, atleast_3d, expand, reshape

__all__ = ["cat", "concat", "concatenate", "hstack", "vstack", "row_stack", "dstack",
           "column_stack", "stack", "split", "chunk", "unbind", "tensor_split", "hsplit", "vsplit",
           "dsplit", "meshgrid", "cartesian_prod", "combinations", "block_diag"]


# -- cat, stack ------------------------------------------------------------------------------------

def _tensor_list(name: str, tensors, empty_error) -> list:
    if isinstance(tensors, Tensor):
        raise TypeError(
            f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    tensors = list(tensors)
    if not tensors:
        raise empty_error
    return tensors


class Cat(ArrayFunction):
    """out = the inputs joined along ``dim`` (dtypes promoted together).
    dL/da_k = the slice of g that a_k filled."""

    _backward_name = "CatBackward0"

    @staticmethod
    def forward(ctx, dim, *arrays):
        dt = result_np_dtype(*arrays)
        ctx.dim = dim
        ctx.sizes = [a.shape[dim] if a.ndim > dim else 0 for a in arrays]
        ctx.shapes = [a.shape for a in arrays]
        # torch's legacy rule: 1-D empty tensors are skipped, whatever the other shapes
        parts = [a for a in arrays if not (a.ndim == 1 and a.size == 0)]
        if not parts:
            return np.concatenate(arrays).astype(dt)
        return np.concatenate(parts, axis=dim, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        grads = []
        start = 0
        for n, shape in zip(ctx.sizes, ctx.shapes):
            if n == 0:
                grads.append(new_zeros(g, shape))
                continue
            index = [slice(None)] * g.ndim
            index[ctx.dim] = slice(start, start + n)
            grads.append(g[tuple(index)])
            start += n
        return (None, *grads)


@supports_out(rule="cat", overlap="any")
def cat(tensors, dim: int = 0, *, out=None):
    """Join tensors along an existing dim; all other sizes must match."""
    tensors = _tensor_list("cat", tensors,
                           ValueError("torch.cat(): expected a non-empty list of Tensors"))
    ref = None
    for i, t in enumerate(tensors):
        if t.dim() == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
        if t.dim() == 1 and t.numel() == 0:
            continue
        if ref is None:
            ref = (i, t)
            d = wrap_dim(dim, t.dim())
            continue
        if t.dim() != ref[1].dim():
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {ref[1].dim()} and {t.dim()}")
        for k, (a, b) in enumerate(zip(ref[1].shape, t.shape)):
            if k != d and a != b:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {a} but "
                    f"got size {b} for tensor number {i} in the list.")
    if ref is None:
        d = 0
    return Cat.apply(d, *tensors)


concat = concatenate = cat


def _stack_list(name: str, tensors) -> list:
    return _tensor_list(name, tensors, RuntimeError(f"{name} expects a non-empty TensorList"))


def hstack(tensors, *, out=None):
    """Join along dim 1 (dim 0 for 1-d tensors); a 0-d tensor counts as 1-d."""
    tensors = list(atleast_1d(_stack_list("hstack", tensors)))
    return cat(tensors, 0 if tensors[0].dim() == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    """Join along dim 0 after ``atleast_2d``: 1-d tensors become rows."""
    return cat(list(atleast_2d(_stack_list("vstack", tensors))), 0, out=out)


row_stack = vstack


def dstack(tensors, *, out=None):
    """Join along dim 2 after ``atleast_3d`` (depth-wise)."""
    return cat(list(atleast_3d(_stack_list("dstack", tensors))), 2, out=out)


def column_stack(tensors, *, out=None):
    """0-d and 1-d tensors become columns (n, 1) (views), then ``hstack``."""
    tensors = _stack_list("column_stack", tensors)
    return hstack([reshape(t, (t.numel(), 1)) if t.dim() <= 1 else t for t in tensors],
                  out=out)


class Stack(ArrayFunction):
    """out = the inputs stacked along a new dim ``dim``.
    dL/da_k = g selected at index k of ``dim``."""

    _backward_name = "StackBackward0"

    @staticmethod
    def forward(ctx, dim, *arrays):
        dt = result_np_dtype(*arrays)
        ctx.dim = dim
        return np.stack(arrays, axis=dim, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        lead = (slice(None),) * ctx.dim    # torch's unbind: one select per tensor
        return (None, *(g[lead + (i,)] for i in range(g.shape[ctx.dim])))


@supports_out(rule="cat", overlap="any")
def stack(tensors, dim: int = 0, *, out=None):
    """Join equally shaped tensors along a new dim ``dim``."""
    tensors = _tensor_list("stack", tensors,
                           RuntimeError("stack expects a non-empty TensorList"))
    first = tensors[0].shape
    for i, t in enumerate(tensors[1:], 1):
        if t.shape != first:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {shape_str(first)} at "
                f"entry 0 and {shape_str(t.shape)} at entry {i}")
    return Stack.apply(wrap_dim(dim, len(first) + 1), *tensors)


# -- split, chunk, unbind --------------------------------------------------------------------------

class Split(ArrayFunction):
    """outs = consecutive pieces of a along ``dim`` with the given sizes (views).
    dL/da = the output gradients joined along ``dim`` (zeros for pieces that got none)."""

    _backward_name = "SplitBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, sizes, dim):
        ctx.sizes, ctx.dim, ctx.shape = sizes, dim, a.shape
        bounds = np.cumsum(sizes)[:-1]
        return tuple(np.split(a, bounds, axis=dim))

    @staticmethod
    def backward(ctx, *grads):
        parts = []
        for g, n in zip(grads, ctx.sizes):
            if g is None:
                shape = list(ctx.shape)
                shape[ctx.dim] = n
                g = new_zeros(next(x for x in grads if x is not None), shape)
            parts.append(g)
        return np.concatenate(parts, axis=ctx.dim), None, None


def split(tensor, split_size_or_sections, dim: int = 0) -> tuple:
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the listed sizes."""
    if tensor.dim() == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, tensor.dim())
    size = tensor.shape[d] if tensor.dim() else 1
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != size or any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's "
                f"size at dimension {dim}), but got split_sizes={shape_str(sizes)}")
        return Split.apply(tensor, sizes, d, name="SplitWithSizesBackward0")
    n = int(split_size_or_sections)
    if n < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={n}")
    if n == 0:
        if size != 0:
            raise RuntimeError(
                "split_size can only be 0 if dimension size is 0, but got dimension size of "
                f"{size}")
        return (tensor,)
    sizes = [n] * (size // n) + ([size % n] if size % n else [])
    return Split.apply(tensor, sizes or [0], d)


def chunk(input, chunks: int, dim: int = 0) -> tuple:
    """At most ``chunks`` pieces of equal size ceil(size / chunks) along ``dim``."""
    if not isinstance(input, Tensor):
        raise argument_error(chunk, locals())
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    if input.dim() == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, input.dim())
    size = input.shape[d]
    if size == 0:  # torch: ``chunks`` empty pieces
        return Split.apply(input, [0] * chunks, d)
    return split(input, max(-(-size // chunks), 1), d)


class Unbind(ArrayFunction):
    """outs[i] = a selected at index i of ``dim`` (views).
    dL/da = the output gradients stacked along ``dim`` (zeros where an output got none)."""

    _backward_name = "UnbindBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim, ctx.shape, ctx.dtype = dim, a.shape, a.dtype
        return tuple(a[(slice(None),) * dim + (i,)]
                     for i in range(a.shape[dim]))

    @staticmethod
    def backward(ctx, *grads):
        first = next(g for g in grads if g is not None)
        if is_recorded(first):  # torch's unbind_backward: stack(grads, dim), zeros for None
            shape = ctx.shape[:ctx.dim] + ctx.shape[ctx.dim + 1:]
            return np.stack([new_zeros(first, shape) if g is None else g for g in grads],
                            axis=ctx.dim), None
        out = new_zeros(first, ctx.shape)
        for i, g in enumerate(grads):
            if g is not None:
                out[(slice(None),) * ctx.dim + (i,)] = g
        return out, None


def unbind(input, dim: int = 0):
    if not isinstance(input, Tensor):
        raise argument_error(unbind, locals())
    d = wrap_dim(dim, input.dim())
    if input.dim() == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    return Unbind.apply(input, d)


def _int_list(name: str, values) -> list:
    out = []
    for i, v in enumerate(values):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool):
            raise TypeError(
                f"tensor_split(): argument 'indices' failed to unpack the object at pos {i + 1} "
                f"with error \"type must be tuple of ints,but got {type(v).__name__}\"")
        out.append(int(v))
    return out


def tensor_split(input, indices_or_sections, dim: int = 0) -> tuple:
    """Views of consecutive slices along ``dim``: ``n`` sections (the first ``size % n`` one
    longer), or the pieces between the given indices (Python slice rules: negative indices
    count from the end, indices past the end give empty pieces)."""
    if not isinstance(input, Tensor):
        raise argument_error(tensor_split, locals())
    if input.dim() == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    d = wrap_dim(dim, input.dim())
    if isinstance(indices_or_sections, Tensor):
        t = indices_or_sections
        if t._data.dtype != np.int64:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype "
                               f"of long, but got {_type_name(t._data.dtype)}")
        if t.dim() > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a "
                               "zero-dimensional or one-dimensional tensor, but got a tensor "
                               f"with {t.dim()} dims")
        indices_or_sections = int(t.item()) if t.dim() == 0 else t._data.tolist()
    size = input.shape[d]
    if isinstance(indices_or_sections, (list, tuple)):
        bounds = [None] + _int_list("tensor_split", indices_or_sections) + [None]
    else:
        n = int(indices_or_sections)
        if n <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {n}")
        small, extra = divmod(size, n)
        bounds, start = [], 0
        for k in range(n):
            bounds.append(start)
            start += small + (k < extra)
        bounds.append(start)
    lead = (slice(None),) * d
    return tuple(Slice.apply(input, lead + (slice(a, b),))
                 for a, b in zip(bounds[:-1], bounds[1:]))


def _split_along(name: str, input, indices_or_sections, dim: int, min_dims: int) -> tuple:
    """hsplit/vsplit/dsplit: ``tensor_split`` along ``dim``, with sections that must divide
    the size evenly."""
    if input.dim() < min_dims:
        raise RuntimeError(
            f"torch.{name} requires a tensor with at least {min_dims} dimension, but got a "
            f"tensor with {input.dim()} dimensions!")
    if isinstance(indices_or_sections, (int, np.integer)):
        n, size = int(indices_or_sections), input.shape[dim]
        if n == 0 or size % n:
            raise RuntimeError(
                f"torch.{name} attempted to split along dimension {dim}, but the size of the "
                f"dimension {size} is not divisible by the split_size {n}!")
    return tensor_split(input, indices_or_sections, dim)


def hsplit(input, indices_or_sections) -> tuple:
    if not isinstance(input, Tensor):
        raise argument_error(hsplit, locals())
    return _split_along("hsplit", input, indices_or_sections, 1 if input.dim() > 1 else 0, 1)


def vsplit(input, indices_or_sections) -> tuple:
    if not isinstance(input, Tensor):
        raise argument_error(vsplit, locals())
    return _split_along("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input, indices_or_sections) -> tuple:
    if not isinstance(input, Tensor):
        raise argument_error(dsplit, locals())
    return _split_along("dsplit", input, indices_or_sections, 2, 3)


# -- meshgrid --------------------------------------------------------------------------------------

def meshgrid(*tensors, indexing=None):
    """Coordinate grids: ``indexing='ij'`` (matrix, the default) or ``'xy'`` (Cartesian)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(
            f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: "
            f"{indexing}")
    if len({t._data.dtype for t in tensors}) > 1:
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    sizes = [t.numel() for t in tensors]
    swap = indexing == "xy" and len(tensors) >= 2
    if swap:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for k, t in enumerate(tensors):
        pos = (1 - k if k < 2 else k) if swap else k
        shape = [1] * len(tensors)
        shape[pos] = -1
        out.append(expand(reshape(t, tuple(shape)), tuple(sizes)))
    return tuple(out)


def _one_d(tensors) -> None:
    for t in tensors:
        if t.dim() != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {shape_str(t.shape)}")


def cartesian_prod(*tensors):
    """Rows of every combination (a_i, b_j, ...) of 1-d tensors, in itertools.product order;
    one tensor is returned itself."""
    _one_d(tensors)
    if len(tensors) == 1:
        return tensors[0]
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    grids = meshgrid(*tensors, indexing="ij")
    return stack([reshape(g, (-1,)) for g in grids], 1)


def combinations(input, r: int = 2, with_replacement: bool = False):
    """Rows of the length-``r`` combinations of a 1-d tensor's elements, in itertools order
    (with or without replacement)."""
    if not isinstance(input, Tensor):
        raise argument_error(combinations, locals())
    _one_d((input,))
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return _new_tensor(np.empty((0,), dtype=input._data.dtype))
    pick = itertools.combinations_with_replacement if with_replacement \
        else itertools.combinations
    n = input.shape[0]
    idx = np.fromiter(itertools.chain.from_iterable(pick(range(n), r)), dtype=np.int64)
    idx = idx.reshape(-1, r)
    return stack([index_select(input, 0, _new_tensor(idx[:, j].copy())) for j in range(r)], 1)


class BlockDiag(ArrayFunction):
    """out = the inputs (as 2-d blocks: 0-d -> 1x1, 1-d -> one row) placed along the diagonal
    of a zero matrix, dtypes promoted.     dL/da_k = the block of g that a_k filled."""

    _backward_name = "BlockDiagBackward0"

    @staticmethod
    def forward(ctx, *arrays):
        blocks = [a.reshape(1, -1) if a.ndim < 2 else a for a in arrays]
        ctx.shapes = [a.shape for a in arrays]
        ctx.blocks = [b.shape for b in blocks]
        rows, cols = builtins.sum(b.shape[0] for b in blocks), builtins.sum(
            b.shape[1] for b in blocks)
        out = np.zeros((rows, cols), dtype=result_np_dtype(*arrays))
        r = c = 0
        for b in blocks:
            out[r:r + b.shape[0], c:c + b.shape[1]] = b
            r, c = r + b.shape[0], c + b.shape[1]
        return out

    @staticmethod
    def backward(ctx, g):
        grads, r, c = [], 0, 0
        for (m, n), shape in zip(ctx.blocks, ctx.shapes):
            grads.append(g[r:r + m, c:c + n].reshape(shape))
            r, c = r + m, c + n
        return tuple(grads)


def block_diag(*tensors):
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
        if t.dim() > 2:
            raise RuntimeError("torch.block_diag: Input tensors must have 2 or fewer "
                               f"dimensions. Input {i} has {t.dim()} dimensions")
    if not tensors:
        return _new_tensor(np.zeros((1, 0), dtype=get_default_dtype().np))
    return BlockDiag.apply(*tensors)
