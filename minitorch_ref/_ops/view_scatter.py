"""The out-of-place writes into a view's region and the copy of one: ``select_scatter``,
``slice_scatter``, ``diagonal_scatter`` (a copy of ``input`` with the region ``select``,
``slice`` or ``diagonal`` would show replaced by ``src``) and ``narrow_copy`` (the region
``narrow`` would show, copied).

A region is a NumPy index into ``input`` (``region_index``); for a diagonal it is a pair of index
arrays, whose axis NumPy places where torch's ``diagonal`` does not (torch puts it last), so
``src`` is moved to NumPy's place first."""
from __future__ import annotations

import numpy as np

from .._names import shape_str
from ..autograd.function import ArrayFunction
from ._arguments import argument_error
from ._util import Tensor, is_recorded, new_zeros, recorded_apply, wrap_dim
from .out import supports_out
from .shape import select_dim

__all__ = ["select_scatter", "slice_scatter", "diagonal_scatter", "narrow_copy"]


class ViewScatter(ArrayFunction):
    """out = a, with the region ``index`` replaced by src.
    dL/da = g with the region zeroed (torch's formula: the op itself, writing zeros like src
    into g),   dL/dsrc = g over the region."""

    _backward_name = "SelectScatterBackward0"

    @staticmethod
    def forward(ctx, a, src, index, axis, diagonal=None):
        out = a.copy()
        out[index] = src if axis is None else np.moveaxis(src, -1, axis)
        ctx.index, ctx.axis, ctx.src_shape = index, axis, np.shape(src)
        ctx.diagonal = diagonal  # (offset, dim1, dim2) of a diagonal region
        return out

    @staticmethod
    def backward(ctx, g):
        ga = gs = None
        if ctx.needs_input_grad[0]:
            if is_recorded(g):  # select_scatter(g, zeros_like(src), ...): this node's name
                ga = recorded_apply(ViewScatter, g, np.zeros(ctx.src_shape, g.dtype),
                                    ctx.index, ctx.axis, ctx.diagonal, name=ctx.name())
            else:
                ga = g.copy()
                ga[ctx.index] = 0
        if ctx.needs_input_grad[1]:
            if ctx.diagonal is not None and is_recorded(g):  # torch's g.diagonal(...)
                gs = np.diagonal(g, *ctx.diagonal)
            else:
                gs = g[ctx.index]
                gs = gs if ctx.axis is None else np.moveaxis(gs, ctx.axis, -1)
        return ga, gs, None, None, None


def _scatter(input: Tensor, src: Tensor, index: tuple, axis, region_shape: tuple, name: str,
             diagonal: tuple | None = None):
    if tuple(src.shape) != tuple(region_shape):
        raise RuntimeError(
            "expected src to have a size equal to the slice of self. src size = "
            f"{shape_str(src.shape)}, slice size = {shape_str(region_shape)}")
    return ViewScatter.apply(input, src, index, axis, diagonal, name=name)


def select_scatter(input: Tensor, src: Tensor, dim: int, index: int) -> Tensor:
    if not (isinstance(input, Tensor) and isinstance(src, Tensor)):
        raise argument_error(select_scatter, locals())
    d = select_dim(input, dim, index)
    region = (slice(None),) * d + (int(index) % input.shape[d],)
    return _scatter(input, src, region, None, input._data[region].shape,
                    "SelectScatterBackward0")


@supports_out("aten::slice_scatter", rule="exact")
def slice_scatter(input: Tensor, src: Tensor, dim: int = 0, start: int | None = None,
                  end: int | None = None, step: int = 1, *, out=None) -> Tensor:
    if not (isinstance(input, Tensor) and isinstance(src, Tensor)):
        raise argument_error(slice_scatter, locals())
    d = wrap_dim(dim, input.dim())
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    region = (slice(None),) * d + (slice(start, end, step),)
    return _scatter(input, src, region, None, input._data[region].shape,
                    "SliceScatterBackward0")


def diagonal_scatter(input: Tensor, src: Tensor, offset: int = 0, dim1: int = 0,
                     dim2: int = 1) -> Tensor:
    if not (isinstance(input, Tensor) and isinstance(src, Tensor)):
        raise argument_error(diagonal_scatter, locals())
    n = input.dim()
    d1, d2 = wrap_dim(dim1, n), wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n1, n2 = input.shape[d1], input.shape[d2]
    length = max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))
    rows = np.arange(length) + max(-offset, 0)
    cols = np.arange(length) + max(offset, 0)
    region = [slice(None)] * n
    region[d1], region[d2] = rows, cols
    # NumPy puts the diagonal where the two index arrays stand when they are neighbours, else
    # first; torch's diagonal puts it last, after the other dims in order
    axis = min(d1, d2) if abs(d1 - d2) == 1 else 0
    others = [s for i, s in enumerate(input.shape) if i not in (d1, d2)]
    return _scatter(input, src, tuple(region), axis, tuple(others) + (length,),
                    "DiagonalScatterBackward0", (offset, d1, d2))


class NarrowCopy(ArrayFunction):
    """out = a[region] (a copy).      dL/da = g written into zeros over the region."""

    _backward_name = "NarrowCopyBackward0"

    @staticmethod
    def forward(ctx, a, index):
        ctx.index, ctx.shape = index, a.shape
        return a[index].copy()

    @staticmethod
    def backward(ctx, g):
        ga = new_zeros(g, ctx.shape)
        ga[ctx.index] = g
        return ga, None


@supports_out(rule="narrow_copy")
def narrow_copy(input: Tensor, dim: int, start: int, length: int, *, out=None) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError("narrow_copy(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    if input.dim() == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if not -input.dim() <= dim < max(input.dim(), 1):
        raise RuntimeError(
            "Expected dim < static_cast<int64_t>(self_sizes.size()) to be true, but got false.  "
            "(Could this error message be improved?  If so, please report an enhancement "
            "request to PyTorch.)")
    d = wrap_dim(dim, input.dim())
    size = input.shape[d]
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    if start < 0:
        start += size
    if length < 0 or start + length > size:
        raise RuntimeError(
            f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return NarrowCopy.apply(input, (slice(None),) * d + (slice(start, start + length),))
