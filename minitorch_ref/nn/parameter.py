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


class UninitializedTensorMixin:
    """A parameter or buffer of a lazy module before its first forward: no shape yet.
    ``materialize(shape)`` gives it storage and turns it into ``cls_to_become``."""

    cls_to_become: type

    def materialize(self, shape, device=None, dtype=None) -> None:
        """Allocate (uninitialized) storage of ``shape`` and become ``cls_to_become``."""
        from .._creation import empty
        if dtype is None:
            dtype = self.dtype
        self.data = empty(shape, dtype=dtype)
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError(
            "Can't access the shape of an uninitialized parameter or buffer. This error usually "
            "happens in `load_state_dict` when trying to load an uninitialized parameter into "
            "an initialized one. Call `forward` to initialize the parameters before accessing "
            "their attributes.")

    def share_memory_(self):
        raise RuntimeError(
            "Can't share memory on an uninitialized parameter or buffer. Call `forward` to "
            "initialize the parameters before calling `module.share_memory()`.")

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}>"

    def __reduce_ex__(self, proto):
        return (self.__class__, (self.requires_grad,))


def is_lazy(param) -> bool:
    """Whether ``param`` is still uninitialized."""
    return isinstance(param, UninitializedTensorMixin)


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A Parameter without a shape yet (``nn.LazyLinear``'s weight before its first call)."""

    __slots__ = ()
    cls_to_become = Parameter

    def __new__(cls, requires_grad: bool = True, device=None, dtype=None):
        from .._dtype import get_default_dtype, to_numpy_dtype
        arr = np.empty((0,), dtype=to_numpy_dtype(dtype or get_default_dtype()))
        t = _new_tensor(arr, cls)
        if requires_grad:
            t.requires_grad_(True)
        return t

    def __init__(self, requires_grad: bool = True, device=None, dtype=None) -> None:
        pass

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.requires_grad, dtype=self.dtype)
        memo[id(self)] = result
        return result


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer without a shape yet (a lazy BatchNorm's running stats)."""

    __slots__ = ()
    cls_to_become = Tensor

    def __new__(cls, requires_grad: bool = False, device=None, dtype=None, persistent=True):
        from .._dtype import get_default_dtype, to_numpy_dtype
        arr = np.empty((0,), dtype=to_numpy_dtype(dtype or get_default_dtype()))
        t = _new_tensor(arr, cls)
        t.persistent = persistent
        if requires_grad:
            t.requires_grad_(True)
        return t

    def __init__(self, requires_grad: bool = False, device=None, dtype=None,
                 persistent=True) -> None:
        pass
