"""Shape ops. Most return NumPy views (``_view = True``: they share the input's version
counter, like torch's views); backward reshapes or permutes ``g`` back."""
from __future__ import annotations

import numpy as np

from ..autograd.function import ArrayFunction
from ._util import shape_str, wrap_dim

__all__ = ["reshape", "view", "transpose", "swapaxes", "permute", "t", "unbind", "clone",
           "to_dtype"]


def _infer_shape(shape, numel: int) -> tuple:
    """Resolve one ``-1`` entry; torch's RuntimeError for sizes that cannot hold ``numel``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    shape = tuple(int(s) for s in shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            if s < 0:
                raise RuntimeError(f"invalid shape dimension {s}")
            known *= s
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{shape_str(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{shape_str(shape)}' is invalid for input of size {numel}")
    return shape


class Reshape(ArrayFunction):
    """out = a with a new shape (a view when the strides allow, else a copy).
    dL/da = g reshaped to a's shape."""

    _backward_name = "ViewBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, shape, must_view=False):
        ctx.shape = a.shape
        if must_view:
            try:
                return np.reshape(a, shape, copy=False)
            except ValueError:
                raise RuntimeError(
                    "view size is not compatible with input tensor's size and stride (at least "
                    "one dimension spans across two contiguous subspaces). Use .reshape(...) "
                    "instead.") from None
        return np.reshape(a, shape)

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape), None, None


class Permute(ArrayFunction):
    """out = a with its dims reordered by ``dims`` (a view).
    dL/da = g with the inverse permutation."""

    _backward_name = "PermuteBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, dims):
        ctx.inverse = tuple(np.argsort(dims))
        return np.transpose(a, dims)

    @staticmethod
    def backward(ctx, g):
        return np.transpose(g, ctx.inverse), None


class Transpose(ArrayFunction):
    """out = a with dims ``d0`` and ``d1`` swapped (a view).   dL/da = g with them swapped back."""

    _backward_name = "TransposeBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, d0, d1):
        ctx.d0, ctx.d1 = d0, d1
        return np.swapaxes(a, d0, d1)

    @staticmethod
    def backward(ctx, g):
        return np.swapaxes(g, ctx.d0, ctx.d1), None, None


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
        out = np.zeros(ctx.shape, dtype=ctx.dtype)
        for i, g in enumerate(grads):
            if g is not None:
                out[(slice(None),) * ctx.dim + (i,)] = g
        return out, None


class Clone(ArrayFunction):
    """out = a copy of a.      dL/da = g."""

    _backward_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, g):
        return g


class ToDtype(ArrayFunction):
    """out = a cast to ``dtype``.   dL/da = g (cast back to a's dtype by the engine)."""

    _backward_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, a, np_dtype):
        return a.astype(np_dtype)

    @staticmethod
    def backward(ctx, g):
        return g, None


def reshape(input, *shape):
    shape = _infer_shape(shape, input.numel())
    return Reshape.apply(input, shape, False)


def view(input, *shape):
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer, tuple, list)):
        return input.to(shape[0])  # view(dtype): reinterpretation is not supported; cast
    shape = _infer_shape(shape, input.numel())
    return Reshape.apply(input, shape, True)


def transpose(input, dim0: int, dim1: int):
    n = input.dim()
    return Transpose.apply(input, wrap_dim(dim0, n), wrap_dim(dim1, n))


swapaxes = transpose


def permute(input, *dims):
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = tuple(dims[0])
    n = input.dim()
    if len(dims) != n:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {n} is not equal "
            f"to len(dims) = {len(dims)}")
    dims = tuple(wrap_dim(d, n) for d in dims)
    if len(set(dims)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(input, dims)


def t(input):
    n = input.dim()
    if n > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {n}D")
    if n < 2:
        return Reshape.apply(input, tuple(input.shape), True)
    return Transpose.apply(input, 0, 1)


def unbind(input, dim: int = 0):
    return Unbind.apply(input, wrap_dim(dim, input.dim()))


def clone(input, *, memory_format=None):
    return Clone.apply(input)


def to_dtype(input, dtype):
    return ToDtype.apply(input, dtype.np)
