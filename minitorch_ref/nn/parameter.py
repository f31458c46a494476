"""nn.Parameter: a leaf Tensor that a Module registers as one of its parameters."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _new_tensor


class Parameter(Tensor):
    """A Tensor that is a module parameter: ``requires_grad=True`` by default, and assigning it
    as a Module attribute registers it. Shares memory with ``data``, as in torch."""

    __slots__ = ()

    def __new__(cls, data=None, requires_grad: bool = True):
        if data is None:
            arr = np.empty((0,), dtype=np.float32)
        elif isinstance(data, Tensor):
            arr = data._data
        else:
            arr = np.asarray(data)
        t = _new_tensor(arr, cls)
        if requires_grad:
            t.requires_grad_(True)
        return t

    def __init__(self, data=None, requires_grad: bool = True) -> None:
        pass  # everything happens in __new__; Tensor.__init__ must not run

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self._data, self._requires_grad))

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        p = Parameter(self._data.copy(), self._requires_grad)
        memo[id(self)] = p
        return p


def _rebuild_parameter(data, requires_grad):
    return Parameter(np.array(data), requires_grad)


class Buffer(Tensor):
    """nn.Buffer marks a tensor to be registered as a buffer when assigned to a Module."""

    __slots__ = ("persistent",)

    def __new__(cls, data=None, *, persistent: bool = True):
        arr = data._data if isinstance(data, Tensor) else np.asarray(
            data if data is not None else np.empty((0,), np.float32))
        t = _new_tensor(arr, cls)
        t.persistent = persistent
        return t

    def __init__(self, data=None, *, persistent: bool = True) -> None:
        pass
