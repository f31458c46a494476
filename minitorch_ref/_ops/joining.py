"""Joining and splitting: ``cat``, ``stack``, ``hstack``/``vstack``, ``split``, ``chunk``,
``unbind``, ``meshgrid``.

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks. A join's backward hands each input its slice of
``g``; a split's joins the pieces' gradients back (zeros for a piece that got none).
"""
from __future__ import annotations

import warnings

import numpy as np

from .._dtype import result_np_dtype
from ..autograd.function import ArrayFunction
from ._util import Tensor, new_zeros, shape_str, wrap_dim
from .out import supports_out
from .shape import expand, reshape

__all__ = ["cat", "concat", "concatenate", "hstack", "vstack", "stack", "split", "chunk", "unbind",
           "meshgrid"]


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


def hstack(tensors, *, out=None):
    tensors = [t if t.dim() else t.reshape(1) for t in tensors]
    return cat(tensors, 0 if tensors[0].dim() == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    tensors = [t.reshape(1, -1) if t.dim() < 2 else t for t in tensors]
    return cat(tensors, 0, out=out)


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
        return (None, *np.moveaxis(g, ctx.dim, 0))


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
    d = wrap_dim(dim, tensor.dim())
    size = tensor.shape[d] if tensor.dim() else 1
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != size or any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's "
                f"size at dimension {d}), but got split_sizes={shape_str(sizes)}")
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
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = wrap_dim(dim, input.dim())
    size = input.shape[d]
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
        out = new_zeros(next(g for g in grads if g is not None), ctx.shape)
        for i, g in enumerate(grads):
            if g is not None:
                out[(slice(None),) * ctx.dim + (i,)] = g
        return out, None


def unbind(input, dim: int = 0):
    return Unbind.apply(input, wrap_dim(dim, input.dim()))


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
