"""A tensor's view of its storage, changed in place: ``as_strided_``, ``resize_``, ``resize_as_``.

A tensor's storage here is the ndarray at the root of its array's ``base`` chain (the memory
``storage_offset`` counts from), read as one flat run of elements. Both ops point the tensor's
array at another window of that run, so its views and base keep sharing memory with it, as in
torch; ``resize_as_`` grows the run into a new array when the window does not fit (torch grows
the storage itself: tensors that shared the old one keep seeing it here).
"""
from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor, _new_tensor, contiguous_strides
from ..autograd.function import ArrayFunction
from ..autograd.grad_mode import _state

__all__ = ["as_strided", "as_strided_", "resize_", "resize_as_"]


def _storage(t: Tensor) -> tuple[np.ndarray, int]:
    """t's storage as a flat array of t's dtype, and t's offset in it (in elements)."""
    root = t._data
    while isinstance(root.base, np.ndarray):
        root = root.base
    if root.dtype != t._data.dtype or not root.flags.c_contiguous:
        root = np.ascontiguousarray(t._data)      # (no flat run to share: t's own copy)
        t._data = root
    return root.reshape(-1), t.storage_offset()


def _window(flat: np.ndarray, size: tuple, stride: tuple, offset: int) -> np.ndarray:
    """The elements at offset + sum_k i_k stride_k of ``flat``: a view whose ``base`` is
    ``flat`` (so that its storage and offset are found again)."""
    item = flat.itemsize
    return np.ndarray(size, flat.dtype, buffer=flat, offset=offset * item,
                      strides=tuple(s * item for s in stride))


class _AsStrided(ArrayFunction):
    """out[i] = storage[offset + sum_k i_k stride_k], where x is storage[p_x(j)] (x's own
    geometry).      dL/dx[j] = sum of g[i] over the i with offset + sum_k i_k stride_k = p_x(j)
    (the gradient scattered into the storage, added where out's elements overlap, then read
    back through x's geometry)."""

    _backward_name = "AsStridedBackward1"

    @staticmethod
    def forward(ctx, x, new, positions, old_positions, storage_size):
        ctx.positions, ctx.old_positions, ctx.size = positions, old_positions, storage_size
        return new

    @staticmethod
    def backward(ctx, g):
        grad = np.zeros(ctx.size, dtype=g.dtype)
        np.add.at(grad, ctx.positions, g)
        return grad[ctx.old_positions], None, None, None, None


def _int_tuple(value, name: str, position: int, fn: str = "as_strided_") -> tuple:
    """torch's check of a ``tuple of ints`` argument (``position``: the method's numbering)."""
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be tuple "
                        f"of ints, not {type(value).__name__}")
    for i, v in enumerate(value):
        if not isinstance(v, (int, np.integer)) or isinstance(v, (bool, np.bool_)):
            raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be "
                            f"tuple of ints, but found element of type {type(v).__name__} at "
                            f"pos {i}")
    return tuple(int(v) for v in value)


def _checked_window(input: Tensor, size: tuple, stride: tuple, storage_offset):
    """torch's checks of an as_strided geometry, then input's storage (flat), input's offset in
    it, the window's offset and the window."""
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in stride):
        raise RuntimeError("as_strided: Negative strides are not supported at the moment, got "
                           f"strides: {list(stride)}")
    if any(s < 0 for s in size):
        raise RuntimeError("numel: integer multiplication overflow")
    flat, own_offset = _storage(input)
    offset = own_offset if storage_offset is None else storage_offset
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    needed = 0 if 0 in size else offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
    if needed > flat.size:
        item = flat.itemsize
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, "
            f"and itemsize {item} requiring a storage size of {needed * item} are out of bounds "
            f"for storage of size {flat.size * item}")
    new = _window(flat, size, stride, offset)
    return flat, own_offset, offset, new


def as_strided_(input: Tensor, size, stride, storage_offset: int | None = None) -> Tensor:
    """input becomes the window of its storage with sizes ``size``, strides ``stride`` (in
    elements) and ``storage_offset`` (input's own when None)."""
    size, stride = _int_tuple(size, "size", 1), _int_tuple(stride, "stride", 2)
    record = _state.enabled and input._requires_grad
    base = input._base
    if record and (input.grad_fn is None or (
            base is not None and base.grad_fn is None and base._requires_grad)):
        raise RuntimeError(
            f"a {'view of a ' if base is not None else ''}leaf Variable that requires "
            "grad is being used in an in-place operation.")
    flat, own_offset, offset, new = _checked_window(input, size, stride, storage_offset)
    if record:
        index = np.arange(flat.size)
        old = _new_tensor(input._data)
        old.grad_fn, old._output_nr, old._requires_grad = input.grad_fn, input._output_nr, True
        result = _AsStrided.apply(
            old, new, _window(index, size, stride, offset),
            _window(index, input._data.shape, input.stride(), own_offset), flat.size)
        input.grad_fn, input._output_nr = result.grad_fn, result._output_nr
    input._data = new
    input._bump_version()
    return input


def resize_as_(input: Tensor, the_template: Tensor, *, memory_format=None) -> Tensor:
    """input takes the_template's shape, contiguous from its storage offset: its first
    elements kept in storage order, the storage grown (new elements uninitialised) where it is
    too small. A tensor that requires grad cannot be resized (in no_grad mode either)."""
    return _resize(input, the_template._data.shape)


def resize_(input: Tensor, *size, memory_format=None) -> Tensor:
    """input takes the shape ``size`` (ints, or one sequence of them), as ``resize_as_``."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    for i, n in enumerate(size):
        if not isinstance(n, (int, np.integer)) or isinstance(n, (bool, np.bool_)):
            raise TypeError(f"resize_(): argument 'size' failed to unpack the object at pos "
                            f"{i + 1} with error \"type must be tuple of ints,but got "
                            f"{type(n).__name__}\"")
    size = tuple(int(n) for n in size)
    if any(n < 0 for n in size):
        raise RuntimeError("numel: integer multiplication overflow")
    return _resize(input, size)


def _resize(input: Tensor, shape: tuple) -> Tensor:
    if input._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    if shape == input._data.shape:
        return input
    flat, offset = _storage(input)
    n = math.prod(shape)
    if offset + n > flat.size:
        grown = np.empty(offset + n, dtype=flat.dtype)
        grown[:flat.size] = flat
        flat = grown
    input._data = _window(flat, shape, contiguous_strides(shape), offset)
    input._bump_version()
    return input


class _AsStridedView(_AsStrided):
    """``_AsStrided``'s window as a new view of x (x keeps its geometry)."""

    _backward_name = "AsStridedBackward0"
    _view = True


def as_strided(input: Tensor, size, stride, storage_offset: int | None = None) -> Tensor:
    """A view of input's storage with sizes ``size``, strides ``stride`` (in elements) and
    ``storage_offset`` (input's own when None)."""
    if not isinstance(input, Tensor):
        from ._arguments import argument_error
        raise argument_error(as_strided, locals())
    size = _int_tuple(size, "size", 1, "as_strided")
    stride = _int_tuple(stride, "stride", 2, "as_strided")
    flat, own_offset, offset, new = _checked_window(input, size, stride, storage_offset)
    index = np.arange(flat.size)
    return _AsStridedView.apply(
        input, new, _window(index, size, stride, offset),
        _window(index, input._data.shape, input.stride(), own_offset), flat.size)
