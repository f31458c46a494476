"""Reductions over dims. Backward broadcasts ``g`` back over the reduced dims (restoring them as
size-1 dims first when ``keepdim=False``)."""
from __future__ import annotations

import numpy as np

from ..autograd.function import ArrayFunction
from ._util import normalize_dims

__all__ = ["sum", "mean"]


def _expand_back(g: np.ndarray, shape: tuple, dims: tuple, keepdim: bool) -> np.ndarray:
    """The reduced gradient, broadcast to the input's shape (``g`` repeated over ``dims``)."""
    if not keepdim and g.ndim:
        g = g.reshape([1 if i in dims else s for i, s in enumerate(shape)])
    out = np.empty(shape, dtype=g.dtype)
    out[...] = g
    return out


class Sum(ArrayFunction):
    """out = sum of a over ``dims``.      dL/da = g broadcast over ``dims``."""

    _backward_name = "SumBackward1"

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False, dtype=None):
        dims = normalize_dims(dim, a.ndim)
        ctx.shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
        if dtype is None and a.dtype.kind in "biu":
            dtype = np.int64  # torch sums bool and integer tensors as int64
        if dim is None and not keepdim:
            return a.sum(dtype=dtype)
        return a.sum(axis=dims, keepdims=keepdim, dtype=dtype)

    @staticmethod
    def backward(ctx, g):
        return _expand_back(g, ctx.shape, ctx.dims, ctx.keepdim)


class Mean(ArrayFunction):
    """out = sum(a over ``dims``) / n,  n = number of elements reduced.
    dL/da = g / n broadcast over ``dims``."""

    _backward_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False, dtype=None):
        if dtype is None and a.dtype.kind not in "f":
            from .._tensor import _type_name
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {_type_name(a.dtype)}")
        dims = normalize_dims(dim, a.ndim)
        ctx.shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
        n = 1
        for d in dims:
            n *= a.shape[d]
        ctx.n = n
        if dtype is not None:
            a = a.astype(dtype)
        total = a.sum() if dim is None and not keepdim else a.sum(axis=dims, keepdims=keepdim)
        with np.errstate(invalid="ignore", divide="ignore"):  # the mean of nothing is nan
            return total / n if n else total * np.nan

    @staticmethod
    def backward(ctx, g):
        return _expand_back(g / ctx.n, ctx.shape, ctx.dims, ctx.keepdim)


def _np_dtype(dtype):
    if dtype is None:
        return None
    from .._dtype import to_numpy_dtype
    return to_numpy_dtype(dtype)


def sum(input, dim=None, keepdim=False, *, dtype=None):  # noqa: A001 - torch's name
    return Sum.apply(input, dim, keepdim, _np_dtype(dtype))


def mean(input, dim=None, keepdim=False, *, dtype=None):
    return Mean.apply(input, dim, keepdim, _np_dtype(dtype))
