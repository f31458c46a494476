"""Indexing: ``tensor[index]`` in forward, a scatter-add of ``g`` in backward."""
from __future__ import annotations

import numpy as np

from ..autograd.function import ArrayFunction
from ._util import Tensor

__all__ = ["getitem"]


def _convert_index(index):
    """Tensors inside an index become arrays; validity is checked by NumPy."""
    if isinstance(index, tuple):
        return tuple(_convert_index(i) for i in index)
    if isinstance(index, Tensor):
        arr = index._data
        if arr.dtype.kind == "f":
            raise IndexError(
                "tensors used as indices must be long, int, byte or bool tensors")
        return arr
    if isinstance(index, list):
        return np.asarray([_convert_index(i) for i in index])
    return index


def _is_basic(index) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return all(i is None or i is Ellipsis or isinstance(i, (int, slice, np.integer))
               for i in items)


class GetItem(ArrayFunction):
    """out = a[index].
    dL/da = zeros like a with g added at ``index`` (``np.add.at`` for advanced indices, so a
    position selected twice receives both gradients)."""

    _backward_name = "IndexBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, index):
        ctx.shape, ctx.dtype, ctx.index = a.shape, a.dtype, index
        ctx.basic = _is_basic(index)
        try:
            return a[index]
        except IndexError as e:
            raise IndexError(str(e).replace("axis", "dimension")) from None

    @staticmethod
    def backward(ctx, g):
        out = np.zeros(ctx.shape, dtype=g.dtype)
        if ctx.basic:
            out[ctx.index] = g
        else:
            np.add.at(out, ctx.index, g)
        return out, None


def getitem(input, index):
    return GetItem.apply(input, _convert_index(index))
