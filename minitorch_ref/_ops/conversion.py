"""Conversions: ``x.to(...)``, ``x.type_as(y)``, ``x.contiguous()`` (Tensor methods; torch has
no functions of these names). A conversion that changes nothing returns the tensor itself, as
torch's do; a dtype change records ``ToCopyBackward0`` (``shape.to_dtype``: the gradient is
cast back to the input's dtype by the engine)."""
from __future__ import annotations

import builtins

from .. import _dtype
from .._tensor import Tensor, _check_device, device
from .shape import clone, to_dtype

__all__: list = []  # methods only


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
