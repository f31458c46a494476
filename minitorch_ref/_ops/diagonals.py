"""The parts of a matrix: triangles (``tril``/``triu``, their index pairs), diagonals
(``diagonal``, ``diag``, ``diag_embed``) and ``trace``.

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks.
"""
from __future__ import annotations

import numpy as np

from .. import _dtype
from .._names import scalar_type_name
from .._tensor import _check_device, _new_tensor
from ..autograd.function import ArrayFunction
from ._arguments import argument_error
from ._util import Tensor, is_recorded, new_zeros, wrap_dim
from .out import supports_out, with_out

__all__ = ["tril", "triu", "tril_indices", "triu_indices", "diagonal", "diag", "diag_embed",
           "diagflat", "trace"]

class Tril(ArrayFunction):
    """out = a with the elements above diagonal ``k`` zeroed (last two dims).
    dL/da = tril(g, k)."""

    _backward_name = "TrilBackward0"

    @staticmethod
    def forward(ctx, a, k):
        ctx.k = k
        return np.tril(a, k)

    @staticmethod
    def backward(ctx, g):
        return np.tril(g, ctx.k), None


@supports_out(rule="exact", overlap=None)
def tril(input, diagonal: int = 0, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(tril, locals())
    if input.dim() < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return Tril.apply(input, diagonal)


class Triu(ArrayFunction):
    """out = a with the elements below diagonal ``k`` zeroed (last two dims).
    dL/da = triu(g, k)."""

    _backward_name = "TriuBackward0"

    @staticmethod
    def forward(ctx, a, k):
        ctx.k = k
        return np.triu(a, k)

    @staticmethod
    def backward(ctx, g):
        return np.triu(g, ctx.k), None


@supports_out(rule="exact", overlap=None)
def triu(input, diagonal: int = 0, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(triu, locals())
    if input.dim() < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return Triu.apply(input, diagonal)


def _triangle_indices(name: str, np_fn, row, col, offset, dtype, device) -> Tensor:
    """The (2, n) coordinates of a row x col matrix's triangle, row by row."""
    _check_device(device)
    for arg, pos, v in (("row", 1, row), ("col", 2, col), ("offset", 3, offset)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool):
            raise TypeError(f"{name}(): argument '{arg}' (position {pos}) must be int, not "
                            f"{type(v).__name__}")
    dt = _dtype.int64 if dtype is None else _dtype.as_dtype(dtype)
    if dt.np not in (np.int64, np.int32, np.int16, np.int8):
        raise NotImplementedError(f'"{name}" not implemented for \'{scalar_type_name(dt.np)}\'')
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    return _new_tensor(np.stack(np_fn(row, offset, col)).astype(dt.np))


def tril_indices(row: int, col: int, offset: int = 0, *, dtype=None, device=None,
                 layout=None) -> Tensor:
    """Coordinates of the lower triangle (``j - i <= offset``) of a row x col matrix."""
    return _triangle_indices("tril_indices", np.tril_indices, row, col, offset, dtype, device)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype=None, device=None,
                 layout=None) -> Tensor:
    """Coordinates of the upper triangle (``j - i >= offset``) of a row x col matrix."""
    return _triangle_indices("triu_indices", np.triu_indices, row, col, offset, dtype, device)


def _diag_index(shape: tuple, offset: int, dim1: int, dim2: int) -> tuple:
    """The NumPy index of the ``offset`` diagonal over ``dim1``/``dim2`` (the diagonal comes
    last, as torch and NumPy put it)."""
    n1, n2 = shape[dim1], shape[dim2]
    length = max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))
    i = np.arange(length)
    rows, cols = (i, i + offset) if offset >= 0 else (i - offset, i)
    index = [slice(None)] * len(shape)
    index[dim1], index[dim2] = rows, cols
    return tuple(index)


class Diagonal(ArrayFunction):
    """out = the ``offset`` diagonal of a over ``dim1``/``dim2``, as a new last dim.
    dL/da = zeros with g written back on that diagonal."""

    _backward_name = "DiagonalBackward0"
    _view = True  # a writes through the diagonal writes into a, as torch's view

    @staticmethod
    def forward(ctx, a, offset, dim1, dim2):
        ctx.shape, ctx.offset, ctx.dims = a.shape, offset, (dim1, dim2)
        return _diagonal_view(a, offset, dim1, dim2)

    @staticmethod
    def backward(ctx, g):
        out = new_zeros(g, ctx.shape)
        index = _diag_index(ctx.shape, ctx.offset, *ctx.dims)
        # the index's two integer arrays put the diagonal axis where dim1/dim2 were when they
        # are adjacent, else first (NumPy's rule); g has it last
        d1, d2 = ctx.dims
        out[index] = np.moveaxis(g, -1, min(d1, d2) if abs(d1 - d2) == 1 else 0)
        return out, None, None, None


def _diagonal_view(a: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
    """The diagonal as a writable strided view of ``a`` (``np.diagonal``'s view is read-only):
    start at the diagonal's first element, then step along both dims at once."""
    d = np.diagonal(a, offset, dim1, dim2)
    start = [slice(None)] * a.ndim
    start[dim2 if offset >= 0 else dim1] = slice(abs(offset), None)
    return np.lib.stride_tricks.as_strided(a[tuple(start)], d.shape, d.strides)


def diagonal(input, offset: int = 0, dim1: int = 0, dim2: int = 1):
    if not isinstance(input, Tensor):
        raise argument_error(diagonal, locals())
    n = input.dim()
    d1, d2 = wrap_dim(dim1, n), wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return Diagonal.apply(input, offset, d1, d2)


class DiagEmbed(ArrayFunction):
    """out = zeros with a's last dim written on diagonal ``offset`` over the new dims ``dim1``
    and ``dim2`` (each of length n + |offset|; a matrix with vector a on its diagonal for a 1-d
    a). dL/da = that diagonal of g."""

    _backward_name = "DiagEmbedBackward0"

    @staticmethod
    def forward(ctx, a, offset, dim1, dim2):
        ctx.args = offset, dim1, dim2
        n = a.shape[-1] + abs(offset)
        rest = iter(a.shape[:-1])
        out = np.zeros([n if d in (dim1, dim2) else next(rest) for d in range(a.ndim + 1)],
                       dtype=a.dtype)
        _diagonal_view(out, offset, dim1, dim2)[...] = a
        return out

    @staticmethod
    def backward(ctx, g):
        return np.diagonal(g, *ctx.args).copy(), None, None, None


def _diag_out(out, input, diagonal=0):
    """torch runs ``diag`` as ``diag_embed`` or ``diagonal_copy``: their names and rules. The
    inputs may require grad; an ``out`` that does is refused."""
    vector = input.dim() == 1
    return with_out(out, "diag_embed" if vector else "diagonal_copy", diag, input, diagonal,
                    rule="diag" if vector else "exact", differentiable=False, overlap=None)


@supports_out(handler=_diag_out)
def diag(input, diagonal: int = 0, *, out=None):
    """A vector's diagonal matrix, or a matrix's diagonal."""
    if not isinstance(input, Tensor):
        raise argument_error(diag, locals())
    if input.dim() == 1:
        return DiagEmbed.apply(input, diagonal, 0, 1)
    if input.dim() == 2:
        return Diagonal.apply(input, diagonal, 0, 1, name="DiagonalBackward0_copy")
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.dim()}D")


def diag_embed(input, offset: int = 0, dim1: int = -2, dim2: int = -1):
    """input's last dim on diagonal ``offset`` of new dims ``dim1``/``dim2`` (counted in the
    result's dims), zeros elsewhere."""
    if not isinstance(input, Tensor):
        raise argument_error(diag_embed, locals())
    n = input.dim() + 1
    d1, d2 = wrap_dim(dim1, n), wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return DiagEmbed.apply(input, int(offset), d1, d2)


def diagflat(input, offset: int = 0):
    """input flattened, on diagonal ``offset`` of a square matrix."""
    if not isinstance(input, Tensor):
        raise argument_error(diagflat, locals())
    return DiagEmbed.apply(input.contiguous().view(-1), int(offset), 0, 1)


class Trace(ArrayFunction):
    """out = sum of the main diagonal of a matrix.      dL/da = g on the diagonal, 0 off it."""

    _backward_name = "TraceBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.shape = a.shape
        dtype = np.int64 if a.dtype.kind in "biu" else None
        return np.asarray(np.trace(a, dtype=dtype))

    @staticmethod
    def backward(ctx, g):
        if is_recorded(g):  # torch's zeros(n * m).index_fill_(0, diagonal, g).view(n, m)
            n, m = ctx.shape
            flat = new_zeros(g, (n * m,))
            flat[np.arange(min(n, m)) * (m + 1)] = g  # an index tensor, saved as torch's
            return flat.reshape(ctx.shape)
        return np.eye(*ctx.shape, dtype=g.dtype) * g


def trace(input):
    if not isinstance(input, Tensor):
        raise argument_error(trace, locals())
    if input.dim() != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.dim()}")
    if input._data.dtype == np.bool_:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    return Trace.apply(input)
