"""Copies and dtype conversions: ``clone``, and the Tensor methods ``to``, ``type_as``,
``contiguous`` (torch has no functions of these names). A conversion that changes nothing
returns the tensor itself, as torch's do; a dtype change records ``ToCopyBackward0``, whose
gradient the engine casts back to the input's dtype."""
from __future__ import annotations

import builtins

from .. import _dtype
from .._tensor import Tensor, _check_device, device
from ..autograd.function import ArrayFunction
from ._arguments import argument_error

__all__ = ["clone", "to_dtype"]


class Clone(ArrayFunction):
    """out = a copy of a.      dL/da = g."""

    _backward_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, g):
        return g


def clone(input, *, memory_format=None):
    if not isinstance(input, Tensor):
        raise argument_error(clone, locals())
    return Clone.apply(input)


def conj_physical_inplace(input: Tensor) -> Tensor:
    """The op ``x.conj_physical_()`` writes back: a real tensor's conjugate is the tensor itself
    (a copy, gradient g; complex dtypes are not supported here), recorded as torch's node."""
    return Clone.apply(input, name="ConjPhysicalBackward1")


class ToDtype(ArrayFunction):
    """out = a cast to ``dtype`` (float64 -> float16 through float32, as torch: ``_dtype.cast``).
    dL/da = g (cast back to a's dtype by the engine)."""

    _backward_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, a, np_dtype):
        return _dtype.cast(a, np_dtype)

    @staticmethod
    def backward(ctx, g):
        return g, None


def to_dtype(input, dtype):
    return ToDtype.apply(input, dtype.np)


def to(input: Tensor, *args, **kwargs) -> Tensor:
    """``to(dtype)``, ``to('cpu')``, ``to(other)``, ``to(device, dtype)``; ``copy=False``
    returns ``input`` itself when nothing changes, as in torch. Any device but the CPU raises
    what torch's CPU-only build raises (``AssertionError: Torch not compiled with CUDA
    enabled``)."""
    dtype = kwargs.pop("dtype", None)
    copy = kwargs.pop("copy", False)
    dev = kwargs.pop("device", None)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    for a in args:
        if isinstance(a, Tensor):
            dtype = a.dtype
        elif isinstance(a, (str, device)) or (
                isinstance(a, builtins.int) and not isinstance(a, builtins.bool)):
            dev = a
        elif a is not None and not isinstance(a, builtins.bool):
            dtype = a
    if dev is not None:
        _check_device(dev, None)
    if dtype is None or _dtype.to_numpy_dtype(dtype) == input._data.dtype:
        return clone(input) if copy else input
    return to_dtype(input, _dtype.as_dtype(dtype))


def type_as(input: Tensor, other: Tensor) -> Tensor:
    """``input`` converted to ``other``'s dtype (itself when they agree)."""
    return to(input, other.dtype)


def contiguous(input: Tensor, memory_format=None) -> Tensor:
    """``input`` itself when its memory is C-contiguous, else a contiguous copy."""
    if input._data.flags.c_contiguous:
        return input
    return clone(input)
