"""Tensor: one ``np.ndarray`` plus the autograd bookkeeping torch keeps beside it.

The array lives in ``_data``. Everything numeric is delegated to the op functions in ``_ops``;
this file holds the attributes, conversions and autograd entry points (``backward``, hooks,
``retain_grad``, ``detach``). Tensors created by ops get their fields through ``_new_tensor``,
which skips ``__init__`` to keep per-op overhead low.
"""
from __future__ import annotations

import builtins
import weakref
from typing import Any

import numpy as np

from . import _dtype
from . import _device as _device_mod
from ._device import CPU as _CPU, check_device as _check_device, device  # noqa: F401


class Size(tuple):
    """torch.Size: a tuple that prints as ``torch.Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    __str__ = __repr__

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, item):
        r = tuple.__getitem__(self, item)
        return Size(r) if isinstance(item, slice) else r

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))

    def __reduce__(self):
        return (Size, (tuple(self),))


def _to_accelerator(kind: str, dev) -> None:
    """``Tensor.cuda(dev)`` / ``.xpu(dev)``: raise as torch's CPU-only build does."""
    if isinstance(dev, builtins.int) and not isinstance(dev, builtins.bool):
        raise RuntimeError(_device_mod.NO_ACCELERATOR)
    if dev is not None and device(dev).type != kind:
        raise RuntimeError(f"Invalid device, must be {kind} device")
    raise _device_mod.unavailable(device(kind), None)


def _new_tensor(data: np.ndarray, cls=None) -> "Tensor":
    """Wrap an ndarray without copying and without autograd history (the fast internal path)."""
    t = object.__new__(cls or Tensor)
    t._data = data
    t._requires_grad = False
    t._grad = None
    t.grad_fn = None
    t._output_nr = 0
    return t


def _to_array(data, dtype=None) -> np.ndarray:
    """The ndarray ``torch.tensor(data, dtype=...)`` holds: always a fresh copy. Without
    ``dtype``, torch's inference: Python floats -> the default float dtype, ints -> int64, bools
    -> bool, NumPy scalars -> their own dtype, promoted together. With ``dtype``, the values are
    converted once, straight from the data (never through float32 first)."""
    np_dtype = None if dtype is None else _dtype.to_numpy_dtype(dtype)
    if isinstance(data, Tensor):
        arr = data._data
    elif hasattr(data, "__array__") and not isinstance(data, np.ndarray) and _is_torch(data):
        arr = np.asarray(data.detach().cpu().numpy() if hasattr(data, "detach") else data)
    else:
        arr = _infer_array(data, np_dtype)
    if np_dtype is not None:
        return np.array(arr, dtype=np_dtype)
    _dtype.from_numpy_dtype(arr.dtype)  # TypeError for dtypes torch does not know
    return np.array(arr)


def _is_torch(x) -> bool:
    return type(x).__module__.startswith("torch")


def _element_dtype(x) -> np.dtype:
    """torch's dtype for one scalar of a nested list."""
    if isinstance(x, np.generic):
        return x.dtype
    if isinstance(x, builtins.bool):
        return np.dtype(np.bool_)
    if isinstance(x, builtins.int):
        return np.dtype(np.int64)
    return _dtype.get_default_dtype().np


def _infer_array(data, np_dtype=None) -> np.ndarray:
    if isinstance(data, np.ndarray):
        return data
    if isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in _flat(data)):
        data = _nested_to_numbers(data)
    if np_dtype is not None:
        if np_dtype.kind in "iub":
            checked = _checked_integers(data, np_dtype)
            if checked is not None:
                return checked
        try:
            return np.array(data, dtype=np_dtype)
        except (TypeError, ValueError):
            pass  # let inference below raise torch's error for the data
    try:
        arr = np.array(data)
    except ValueError:
        _raise_ragged(data, np_dtype)
        raise
    if arr.dtype == object:
        if all(isinstance(x, builtins.int) for x in arr.reshape(-1)):  # beyond int64
            raise ValueError("Overflow when unpacking long long")
        raise TypeError(f"Could not infer dtype of {type(data).__name__}")
    if arr.dtype.kind == "U" or arr.dtype.kind == "S":
        raise TypeError(f"new(): invalid data type '{arr.dtype.kind == 'U' and 'str'}'")
    if isinstance(data, np.generic):
        return arr
    if arr.dtype.kind in "iuf":
        elements = list(_flat(data)) if isinstance(data, (list, tuple)) else [data]
        if any(isinstance(x, np.generic) for x in elements):
            result = _element_dtype(elements[0])
            for x in elements[1:]:
                result = _dtype._promote_np(result, _element_dtype(x))
        else:
            result = np.dtype(np.int64) if arr.dtype.kind in "iu" else \
                _dtype.get_default_dtype().np
        if arr.dtype != result:
            arr = np.array(data, dtype=result)
    return arr


def _raise_ragged(data, np_dtype=None) -> None:
    """torch's errors for nested sequences of unequal depths or lengths: the shape is read from
    the first element at each depth, and the first element that disagrees is named."""
    shape = []
    x = data
    while isinstance(x, (list, tuple)):
        shape.append(len(x))
        if not x:
            break
        x = x[0]
    integer = (np_dtype.kind in "iub") if np_dtype is not None else \
        isinstance(x, (builtins.int, np.integer))

    def walk(x, dim: int) -> None:
        if dim == len(shape):
            if isinstance(x, (list, tuple)) and x:  # a sequence where a number belongs
                if integer:
                    raise TypeError(f"'{type(x).__name__}' object cannot be interpreted as an "
                                    "integer")
                raise TypeError(f"must be real number, not {type(x).__name__}")
            return
        if not isinstance(x, (list, tuple)):
            raise TypeError("not a sequence")
        if len(x) != shape[dim]:
            raise ValueError(f"expected sequence of length {shape[dim]} at dim {dim} (got "
                             f"{len(x)})")
        for item in x:
            walk(item, dim + 1)

    walk(data, 0)


def _checked_integers(data, np_dtype: np.dtype):
    """Python numbers converted to an integer dtype with torch's overflow check (NumPy raises
    OverflowError for ints, and wraps floats silently): a value outside the dtype's range is a
    RuntimeError, except that an unsigned type takes negative ints down to -max, wrapping them
    (``tensor([-1], dtype=uint8)`` is 255). None when the data is no plain array of numbers."""
    try:
        probe = np.array(data)
    except (TypeError, ValueError, OverflowError):
        return None  # left to inference, which raises torch's error
    if probe.dtype.kind not in "biufO":
        return None
    if probe.dtype.kind == "f" and isinstance(data, (list, tuple)):
        # torch converts each element by itself: a NumPy float is no integer to it
        bad = next((x for x in _flat(data) if isinstance(x, np.floating)
                    and not isinstance(x, builtins.float)), None)  # np.float64 is a float
        if bad is not None:
            raise TypeError(f"'numpy.{type(bad).__name__}' object cannot be interpreted as an "
                            "integer")
    if np_dtype.kind == "b":
        return None  # any number is a bool
    info = np.iinfo(np_dtype)
    if probe.dtype.kind == "O":  # an int beyond int64 (or mixed objects: left to inference)
        if not all(isinstance(v, builtins.int) for v in probe.reshape(-1)):
            return None
        raise ValueError("Overflow when unpacking long long")
    elif probe.dtype.kind == "f":
        bad = np.any(np.isnan(probe) | (probe < info.min) | (probe > info.max))
    elif probe.dtype.kind in "iu":
        low = -builtins.int(info.max) if info.min == 0 else info.min
        bad = np.any((probe < low) | (probe > info.max))
    else:
        bad = False
    if bad:
        raise RuntimeError(f"value cannot be converted to type {np_dtype.name} without overflow")
    return probe.astype(np_dtype)


def _flat(data):
    for x in data:
        if isinstance(x, (list, tuple)):
            yield from _flat(x)
        else:
            yield x


def _nested_to_numbers(data):
    if isinstance(data, Tensor):
        return data._data.tolist()
    if isinstance(data, (list, tuple)):
        return [_nested_to_numbers(x) for x in data]
    return data


class Tensor:
    """A multi-dimensional array with reverse-mode autograd, mirroring ``torch.Tensor``."""

    # NumPy defers binary operators to us (np.float64(2) * t is a Tensor, as in torch)
    __array_priority__ = 1000

    # The fields every op reads are slots; the rarely set ones (version counter, view base,
    # hooks) are class-level defaults overridden per instance, so that creating a tensor, which
    # every op does, writes five fields instead of ten. ``__dict__`` also lets users attach
    # attributes, as torch tensors allow.
    __slots__ = ("_data", "_requires_grad", "_grad", "grad_fn", "_output_nr", "__dict__",
                 "__weakref__")
    _vc = None               # version counter [n], shared with views; created on first need
    _base = None             # the tensor this one is a view of
    _hooks = None            # register_hook on a leaf
    _post_acc_hooks = None
    _retains_grad = False

    # torch's legacy constructor, the default dtype's legacy type: Tensor(2, 3) is
    # uninitialised, Tensor([1, 2]) converts to float, Tensor(t) aliases t (see _legacy.py).
    def __init__(self, *args, **kwargs) -> None:
        from ._legacy import legacy_new
        t = legacy_new(_dtype.get_default_dtype().np, args, kwargs, alias_any_dtype=True)
        self._data = t._data
        self._requires_grad = t._requires_grad
        self._grad = None
        self.grad_fn = t.grad_fn
        self._output_nr = t._output_nr
        if t._vc is not None:
            self._vc = t._vc
        if t._base is not None:
            self._base = t._base

    # -- metadata ---------------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    @property
    def dtype(self) -> _dtype.dtype:
        return _dtype.from_numpy_dtype(self._data.dtype)

    @property
    def device(self) -> device:
        return _CPU

    def get_device(self) -> int:
        """The device index: -1 for the CPU, as in torch."""
        return -1

    # where the tensor lives: always the CPU (is_cpu), never an accelerator or a special layout
    is_cpu = property(lambda self: True, doc="True: every tensor here lives on the CPU.")
    is_cuda = is_mps = is_xpu = is_meta = is_ipu = is_xla = is_mtia = is_maia = \
        is_vulkan = is_sparse = is_sparse_csr = is_quantized = is_mkldnn = is_nested = \
        property(lambda self: False, doc="False: every tensor here is a dense CPU tensor.")

    @property
    def layout(self) -> str:
        return "torch.strided"

    def element_size(self) -> int:
        return self._data.itemsize

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def is_complex(self) -> bool:
        return False

    def stride(self, dim: int | None = None):
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[_wrap_dim(dim, self._data.ndim)]

    def is_contiguous(self, memory_format=None) -> bool:
        return bool(self._data.flags.c_contiguous)

    def data_ptr(self) -> int:
        return self._data.__array_interface__["data"][0]

    def storage_offset(self) -> int:
        base = self._data
        while base.base is not None and isinstance(base.base, np.ndarray):
            base = base.base
        return (self.data_ptr() - base.__array_interface__["data"][0]) // self._data.itemsize

    # -- autograd state ---------------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self._set_requires_grad(value, "only Tensors of floating point and complex dtype can "
                                       "require gradients")

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        # torch words this error three ways (here, the setter, the factories); we mirror each
        return self._set_requires_grad(
            requires_grad, "only Tensors of floating point dtype can require gradients")

    def _set_requires_grad(self, requires_grad: bool, dtype_error: str) -> "Tensor":
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError(dtype_error)
        self._requires_grad = builtins.bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def grad(self) -> "Tensor | None":
        if self.grad_fn is not None and not self._retains_grad and self._grad is None:
            import warnings
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during autograd.backward(). If you "
                "indeed want the .grad field to be populated for a non-leaf Tensor, use "
                ".retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by "
                "mistake, make sure you access the leaf Tensor instead.", UserWarning,
                stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of "
                    f"{type(value).__name__}")
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '[{_dims(value._data.shape)}]' "
                    f"to a tensor of size '[{_dims(self._data.shape)}]'. Please ensure that "
                    "the gradient and the tensor are the same size")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_c_name(value._data.dtype)}'"
                    f" to a tensor with grad_dtype '{_type_name(self._data.dtype)}'. The "
                    "gradient must match the tensor's grad_dtype (defaults to the tensor's "
                    "dtype). You can set the tensor's grad_dtype attribute with a specific dtype,"
                    " or None to allow any dtype. Set grad_dtype with caution. Diverging the "
                    "dtypes of a tensor and its gradient may break downstream systems that "
                    "assume they match.")
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor after backward (no-op on leaves)."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        node = self.grad_fn
        if node._retained is None:
            node._retained = {}
        node._retained[self._output_nr] = weakref.ref(self)
        self._retains_grad = True

    def register_hook(self, hook):
        """``hook(grad) -> Tensor or None`` runs when this tensor's gradient is computed;
        a returned Tensor replaces the gradient."""
        if not self._requires_grad:
            raise RuntimeError(
                "cannot register a hook on a tensor that doesn't require gradient")
        from .autograd.function import _RemovableHandle
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            hooks = self._hooks
        else:
            node = self.grad_fn
            if node._pre_hooks is None:
                node._pre_hooks = {}
            hooks = node._pre_hooks.setdefault(self._output_nr, [])
        hooks.append(hook)
        return _RemovableHandle(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        if self.grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors")
        from .autograd.function import _RemovableHandle
        if self._post_acc_hooks is None:
            self._post_acc_hooks = []
        self._post_acc_hooks.append(hook)
        return _RemovableHandle(self._post_acc_hooks, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph: bool = False,
                 inputs=None) -> None:
        """Accumulate d(self)/d(leaf) * gradient into every leaf's ``.grad``."""
        if gradient is None and inputs is None and not create_graph and self.grad_fn is not None \
                and self._data.size == 1:  # the common loss.backward(): straight to the engine
            seed = np.ones(self._data.shape, dtype=self._data.dtype)
            _autograd.engine.run_backward((self,), (seed,), bool(retain_graph))
            return
        _autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> "Tensor":
        """Same data and version counter, no history."""
        t = _new_tensor(self._data)
        t._vc = self._version_counter()
        t._base = self._base
        return t

    def detach_(self) -> "Tensor":
        self.grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self) -> "Tensor":
        """The same storage without history (and, as in torch, without the version counter)."""
        return _new_tensor(self._data)

    @data.setter
    def data(self, value: "Tensor") -> None:
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    @property
    def _version(self) -> int:
        return 0 if self._vc is None else self._vc[0]

    def _version_counter(self) -> list:
        if self._vc is None:
            self._vc = [0]
        return self._vc

    def _bump_version(self) -> None:
        if self._vc is None:
            self._vc = [1]
        else:
            self._vc[0] += 1

    # -- conversion -------------------------------------------------------------------------------
    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The array itself (shared memory). Refused for a tensor that requires grad while grad
        mode is on, as in torch (under ``no_grad`` it is allowed)."""
        if self._requires_grad and not force and _state.enabled:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead.")
        return self._data

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        """``np.asarray(t)``: torch's ``__array__`` goes through ``.numpy()``, so a tensor that
        requires grad is refused (``plt.plot(w)``, ``np.mean(w)`` fail as in torch)."""
        arr = self.numpy()
        if dtype is not None and arr.dtype != dtype:
            return arr.astype(dtype)
        return arr.copy() if copy else arr

    def item(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.item()

    def tolist(self):
        return self._data.tolist()

    def __float__(self) -> float:
        return builtins.float(self.item())

    def __int__(self) -> int:
        return builtins.int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError(
                "only integer tensors of a single element can be converted to an index")
        return builtins.int(self._data.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(
                "Boolean value of Tensor with no values is ambiguous" if self._data.size == 0 else
                "Boolean value of Tensor with more than one value is ambiguous")
        return builtins.bool(self._data.item())

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(_ops.unbind(self, 0))

    def __hash__(self) -> int:
        return id(self)

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    def __repr__(self, *, tensor_contents=None) -> str:
        from ._tensor_str import tensor_repr
        return tensor_repr(self)

    def __str__(self) -> str:
        return self.__repr__()  # so that subclasses (Parameter) print their own repr

    def __deepcopy__(self, memo) -> "Tensor":
        if id(self) in memo:
            return memo[id(self)]
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the "
                "deepcopy protocol at the moment.  If you were attempting to deepcopy a module, "
                "this may be because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001")
        import copy
        t = _new_tensor(self._data.copy(), type(self))
        t._requires_grad = self._requires_grad
        if self._grad is not None:
            t._grad = copy.deepcopy(self._grad, memo)
        memo[id(self)] = t
        return t

    def __reduce_ex__(self, protocol):
        return (_rebuild, (type(self), self._data, self._requires_grad))

    # -- dtype / device conversion -----------------------------------------------------------------
    def to(self, *args, **kwargs) -> "Tensor":
        """``to(dtype)``, ``to('cpu')``, ``to(other)``, ``to(device, dtype)``; copy=False returns
        ``self`` when nothing changes, as in torch. Any device but the CPU raises what torch's
        CPU-only build raises (``AssertionError: Torch not compiled with CUDA enabled``)."""
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
        if dtype is None or _dtype.to_numpy_dtype(dtype) == self._data.dtype:
            return _ops.clone(self) if copy else self
        return _ops.to_dtype(self, _dtype.as_dtype(dtype))

    def type(self, dtype=None, non_blocking: bool = False, **kwargs):
        """No argument: the legacy type name (``'torch.FloatTensor'``). Else a dtype, a legacy
        type (``torch.LongTensor``) or its name: this tensor converted (itself when unchanged)."""
        if dtype is None:
            return f"torch.{_type_name(self._data.dtype)}Tensor"
        from ._legacy import LEGACY_TYPES
        if isinstance(dtype, str):
            if dtype not in LEGACY_TYPES:
                raise ValueError(f"invalid type: '{dtype}'")
            dtype = LEGACY_TYPES[dtype]
        if isinstance(dtype, builtins.type) and getattr(dtype, "__qualname__", "") in {
                c.__qualname__ for c in LEGACY_TYPES.values()}:
            dtype = dtype.dtype
        if not isinstance(dtype, _dtype.dtype):
            raise ValueError(f"invalid type: '{getattr(dtype, '__name__', dtype)}'")
        return self.to(dtype)

    def type_as(self, other: "Tensor") -> "Tensor":
        """This tensor converted to ``other``'s dtype (itself when they agree)."""
        return self.to(other.dtype)

    def float(self) -> "Tensor":
        return self.to(_dtype.float32)

    def double(self) -> "Tensor":
        return self.to(_dtype.float64)

    def half(self) -> "Tensor":
        return self.to(_dtype.float16)

    def bfloat16(self) -> "Tensor":
        """Raises by name: tensors of dtype bfloat16 are not implemented (NumPy lacks it)."""
        return self.to(_dtype.bfloat16)

    def long(self) -> "Tensor":
        return self.to(_dtype.int64)

    def int(self) -> "Tensor":
        return self.to(_dtype.int32)

    def bool(self) -> "Tensor":
        return self.to(_dtype.bool)

    def byte(self) -> "Tensor":
        return self.to(_dtype.uint8)

    def char(self) -> "Tensor":
        return self.to(_dtype.int8)

    def short(self) -> "Tensor":
        return self.to(_dtype.int16)

    def cpu(self) -> "Tensor":
        return self

    def cuda(self, device=None, non_blocking: bool = False, memory_format=None) -> "Tensor":
        """Raises as torch's CPU-only build does: there is no CUDA device here."""
        _to_accelerator("cuda", device)

    def xpu(self, device=None, non_blocking: bool = False, memory_format=None) -> "Tensor":
        """Raises as torch's CPU-only build does: there is no XPU device here."""
        _to_accelerator("xpu", device)

    def pin_memory(self, device=None) -> "Tensor":
        """Page-locked memory serves copies to an accelerator; without one torch refuses."""
        raise RuntimeError(_device_mod.NO_ACCELERATOR)

    def is_pinned(self, device=None) -> bool:
        return False

    def share_memory_(self) -> "Tensor":
        return self

    def contiguous(self, memory_format=None) -> "Tensor":
        if self._data.flags.c_contiguous:
            return self
        return _ops.clone(self)

    # -- operators ----------------------------------------------------------------------------------
    # An ndarray operand is no tensor to torch's operators: Python then falls back to NumPy's
    # operator (see _through_numpy), and an ndarray on the left is a TypeError (NotImplemented).
    def __add__(self, other):
        if type(other) is np.ndarray:
            return _through_numpy(np.add, self, other)
        return _Add.apply(self, other)

    def __radd__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _Add.apply(other, self)

    def __sub__(self, other):
        if type(other) is np.ndarray:
            return _through_numpy(np.subtract, self, other)
        return _Sub.apply(self, other)

    def __rsub__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _Rsub.apply(other, self)

    def __mul__(self, other):
        if type(other) is np.ndarray:
            return _through_numpy(np.multiply, self, other)
        return _Mul.apply(self, other)

    def __rmul__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _Mul.apply(other, self)

    def __truediv__(self, other):
        if type(other) is np.ndarray:
            return _through_numpy(np.true_divide, self, other)
        return _Div.apply(self, other)

    def __rtruediv__(self, other):
        if type(other) is np.ndarray:  # torch: self.reciprocal() * other, the product by NumPy
            return _through_numpy(np.multiply, _ops.reciprocal(self), other)
        return _Div.apply(other, self)

    def __floordiv__(self, other):
        if type(other) is np.ndarray:
            return _through_numpy(np.floor_divide, self, other)
        return _ops.floor_divide(self, other)

    def __rfloordiv__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _ops.floor_divide(other, self)

    def __pow__(self, exponent):
        if type(exponent) is np.ndarray:
            return _through_numpy(np.power, self, exponent)
        return _ops.pow(self, exponent)

    def __rpow__(self, base):
        if type(base) is np.ndarray:
            return NotImplemented
        return _ops.pow(base, self)

    def __matmul__(self, other):
        if type(other) is np.ndarray:
            return _through_numpy(np.matmul, self, other)
        return _matmul(self, other)

    def __rmatmul__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _ops.matmul(other, self)

    def __neg__(self):
        return _ops.neg(self)

    def __pos__(self):
        return self

    def __eq__(self, other):
        return _ops.eq(self, other)

    # torch's ordering comparisons refuse an ndarray (a TypeError), and ``!=`` falls back to
    # Python's identity test (True); ``==`` compares elementwise.
    def __ne__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _ops.ne(self, other)

    def __lt__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _ops.lt(self, other)

    def __le__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _ops.le(self, other)

    def __gt__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _ops.gt(self, other)

    def __ge__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _ops.ge(self, other)

    # ``t += ndarray``: torch's in-place operator refuses it and Python falls back to
    # ``t = t + ndarray`` (a new tensor, computed by NumPy)
    def __iadd__(self, other):
        if type(other) is np.ndarray:
            return self.__add__(other)
        return self.add_(other)

    def __isub__(self, other):
        if type(other) is np.ndarray:
            return self.__sub__(other)
        return self.sub_(other)

    def __imul__(self, other):
        if type(other) is np.ndarray:
            return self.__mul__(other)
        return self.mul_(other)

    def __itruediv__(self, other):
        if type(other) is np.ndarray:
            return self.__truediv__(other)
        return self.div_(other)

    def __getitem__(self, index):
        return _ops.getitem(self, index)

    def __setitem__(self, index, value) -> None:
        _ops.setitem(self, index, value)

    # -- methods: each is the function of the same name in _ops -------------------------------------
    def add(self, other, *, alpha=1):
        return _ops.add(self, other, alpha=alpha)

    def sub(self, other, *, alpha=1):
        return _ops.sub(self, other, alpha=alpha)

    def mul(self, other):
        return _ops.mul(self, other)

    def div(self, other, *, rounding_mode=None):
        return _ops.div(self, other, rounding_mode=rounding_mode)

    def pow(self, exponent):
        return _ops.pow(self, exponent)

    def neg(self):
        return _ops.neg(self)

    def exp(self):
        return _ops.exp(self)

    def log(self):
        return _ops.log(self)

    def relu(self):
        return _Relu.apply(self)

    def sum(self, dim=None, keepdim=False, *, dtype=None):
        return _ops.sum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim=None, keepdim=False, *, dtype=None):
        return _ops.mean(self, dim, keepdim, dtype=dtype)

    def matmul(self, other):
        return _ops.matmul(self, other)

    def mm(self, mat2):
        return _ops.mm(self, mat2)

    def bmm(self, mat2):
        return _ops.bmm(self, mat2)

    def reshape(self, *shape):
        return _ops.reshape(self, *shape)

    def view(self, *shape):
        return _ops.view(self, *shape)

    def transpose(self, dim0, dim1):
        return _ops.transpose(self, dim0, dim1)

    def permute(self, *dims):
        return _ops.permute(self, *dims)

    def t(self):
        return _ops.t(self)

    @property
    def T(self):
        n = self._data.ndim
        return self if n < 2 else _ops.permute(self, tuple(range(n - 1, -1, -1)))

    @property
    def mT(self):
        return _ops.transpose(self, -2, -1)

    def clone(self, *, memory_format=None):
        return _ops.clone(self)

    def unbind(self, dim=0):
        return _ops.unbind(self, dim)

    def eq(self, other):
        return _ops.eq(self, other)

    def ne(self, other):
        return _ops.ne(self, other)

    def lt(self, other):
        return _ops.lt(self, other)

    def le(self, other):
        return _ops.le(self, other)

    def gt(self, other):
        return _ops.gt(self, other)

    def ge(self, other):
        return _ops.ge(self, other)

    def subtract(self, other, *, alpha=1):
        return _ops.sub(self, other, alpha=alpha)

    def multiply(self, other):
        return _ops.mul(self, other)

    def divide(self, other, *, rounding_mode=None):
        return _ops.div(self, other, rounding_mode=rounding_mode)

    def true_divide(self, other):
        return _ops.true_divide(self, other)

    def floor_divide(self, other):
        return _ops.floor_divide(self, other)

    def remainder(self, other):
        return _ops.remainder(self, other)

    def fmod(self, other):
        return _ops.fmod(self, other)

    def __mod__(self, other):
        if type(other) is np.ndarray:
            return _through_numpy(np.remainder, self, other)
        return _ops.remainder(self, other)

    def __rmod__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _ops.remainder(other, self)

    def __abs__(self):
        return _ops.abs(self)

    def __invert__(self):
        if self._data.dtype.kind == "f":
            raise TypeError(
                "~ (operator.invert) is only implemented on integer and Boolean-type tensors")
        return _ops.bitwise_not(self)

    def __and__(self, other):
        if type(other) is np.ndarray:
            return _through_numpy(np.bitwise_and, self, other)
        return _ops.bitwise_and(self, other)

    def __rand__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _ops.bitwise_and(other, self)

    def __or__(self, other):
        if type(other) is np.ndarray:
            return _through_numpy(np.bitwise_or, self, other)
        return _ops.bitwise_or(self, other)

    def __ror__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _ops.bitwise_or(other, self)

    def __xor__(self, other):
        if type(other) is np.ndarray:
            return _through_numpy(np.bitwise_xor, self, other)
        return _ops.bitwise_xor(self, other)

    def __rxor__(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return _ops.bitwise_xor(other, self)

    def square(self):
        return _ops.square(self)

    def exp2(self):
        return _ops.exp2(self)

    def expm1(self):
        return _ops.expm1(self)

    def log1p(self):
        return _ops.log1p(self)

    def log2(self):
        return _ops.log2(self)

    def log10(self):
        return _ops.log10(self)

    def sqrt(self):
        return _ops.sqrt(self)

    def rsqrt(self):
        return _ops.rsqrt(self)

    def reciprocal(self):
        return _ops.reciprocal(self)

    def abs(self):
        return _ops.abs(self)

    absolute = abs

    def sign(self):
        return _ops.sign(self)

    def sin(self):
        return _ops.sin(self)

    def cos(self):
        return _ops.cos(self)

    def tan(self):
        return _ops.tan(self)

    def tanh(self):
        return _ops.tanh(self)

    def sigmoid(self):
        return _ops.sigmoid(self)

    def floor(self):
        return _ops.floor(self)

    def ceil(self):
        return _ops.ceil(self)

    def round(self, *, decimals: builtins.int = 0):
        return _ops.round(self, decimals=decimals)

    def trunc(self):
        return _ops.trunc(self)

    fix = trunc

    def frac(self):
        return _ops.frac(self)

    def clamp(self, min=None, max=None):  # noqa: A002 - torch's names
        return _ops.clamp(self, min, max)

    clip = clamp

    def clamp_min(self, min):  # noqa: A002
        return _ops.clamp_min(self, min)

    def clamp_max(self, max):  # noqa: A002
        return _ops.clamp_max(self, max)

    def maximum(self, other):
        return _ops.maximum(self, other)

    def minimum(self, other):
        return _ops.minimum(self, other)

    def where(self, condition, other):
        return _ops.where(condition, self, other)

    def masked_fill(self, mask, value):
        return _ops.masked_fill(self, mask, value)

    def logical_and(self, other):
        return _ops.logical_and(self, other)

    def logical_or(self, other):
        return _ops.logical_or(self, other)

    def logical_xor(self, other):
        return _ops.logical_xor(self, other)

    def logical_not(self):
        return _ops.logical_not(self)

    def bitwise_and(self, other):
        return _ops.bitwise_and(self, other)

    def bitwise_or(self, other):
        return _ops.bitwise_or(self, other)

    def bitwise_xor(self, other):
        return _ops.bitwise_xor(self, other)

    def bitwise_not(self):
        return _ops.bitwise_not(self)

    def isnan(self):
        return _ops.isnan(self)

    def isinf(self):
        return _ops.isinf(self)

    def isfinite(self):
        return _ops.isfinite(self)

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return _ops.isclose(self, other, rtol, atol, equal_nan)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return _ops.allclose(self, other, rtol, atol, equal_nan)

    def equal(self, other):
        return _ops.equal(self, other)

    def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
        return _ops.nan_to_num(self, nan, posinf, neginf)

    greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne

    # reductions
    def prod(self, dim=None, keepdim=False, *, dtype=None):
        return _ops.prod(self, dim, keepdim, dtype=dtype)

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return _ops.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return _ops.std(self, dim, unbiased, keepdim, correction=correction)

    def max(self, dim=None, keepdim=False):
        return _ops.max(self, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        return _ops.min(self, dim, keepdim)

    def amax(self, dim=(), keepdim=False):
        return _ops.amax(self, dim, keepdim)

    def amin(self, dim=(), keepdim=False):
        return _ops.amin(self, dim, keepdim)

    def aminmax(self, *, dim=None, keepdim=False):
        return _ops.aminmax(self, dim=dim, keepdim=keepdim)

    def argmax(self, dim=None, keepdim=False):
        return _ops.argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return _ops.argmin(self, dim, keepdim)

    def logsumexp(self, dim, keepdim=False):
        return _ops.logsumexp(self, dim, keepdim)

    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        return _ops.norm(self, p, dim, keepdim, dtype=dtype)

    def cumsum(self, dim, *, dtype=None):
        return _ops.cumsum(self, dim, dtype=dtype)

    def dist(self, other, p=2):
        return _ops.dist(self, other, p)

    def cumprod(self, dim, *, dtype=None):
        return _ops.cumprod(self, dim, dtype=dtype)

    def any(self, dim=None, keepdim=False):
        return _ops.any(self, dim, keepdim)

    def all(self, dim=None, keepdim=False):
        return _ops.all(self, dim, keepdim)

    def count_nonzero(self, dim=None):
        return _ops.count_nonzero(self, dim)

    def sort(self, dim=-1, descending=False, stable=None):
        return _ops.sort(self, dim, descending, stable)

    def argsort(self, dim=-1, descending=False, stable=False):
        return _ops.argsort(self, dim, descending, stable)

    def topk(self, k, dim=-1, largest=True, sorted=True):  # noqa: A002
        return _ops.topk(self, k, dim, largest, sorted)

    # shape
    def flatten(self, start_dim=0, end_dim=-1):
        return _ops.flatten(self, start_dim, end_dim)

    def unflatten(self, dim, sizes):
        return _ops.unflatten(self, dim, sizes)

    def squeeze(self, dim=None):
        return _ops.squeeze(self, dim)

    def unsqueeze(self, dim):
        return _ops.unsqueeze(self, dim)

    def expand(self, *sizes):
        return _ops.expand(self, *sizes)

    def expand_as(self, other):
        return _ops.expand_as(self, other)

    def broadcast_to(self, size):
        return _ops.broadcast_to(self, size)

    def repeat(self, *repeats):
        return _ops.repeat(self, *repeats)

    def tile(self, dims):
        return _ops.tile(self, dims)

    def flip(self, *dims):
        return _ops.flip(self, *dims)

    def fliplr(self):
        return _ops.fliplr(self)

    def flipud(self):
        return _ops.flipud(self)

    def roll(self, shifts, dims=None):
        return _ops.roll(self, shifts, dims)

    def split(self, split_size, dim=0):
        return _ops.split(self, split_size, dim)

    def chunk(self, chunks, dim=0):
        return _ops.chunk(self, chunks, dim)

    def tril(self, diagonal=0):
        return _ops.tril(self, diagonal)

    def triu(self, diagonal=0):
        return _ops.triu(self, diagonal)

    def narrow(self, dim, start, length):
        return _ops.narrow(self, dim, start, length)

    def select(self, dim, index):
        return _ops.select(self, dim, index)

    def movedim(self, source, destination):
        return _ops.movedim(self, source, destination)

    moveaxis = movedim

    def swapaxes(self, axis0, axis1):
        return _ops.transpose(self, axis0, axis1)

    swapdims = swapaxes

    def view_as(self, other):
        return _ops.view_as(self, other)

    def reshape_as(self, other):
        return _ops.reshape_as(self, other)

    # indexing
    def gather(self, dim, index, *, sparse_grad=False):
        return _ops.gather(self, dim, index)

    def take_along_dim(self, indices, dim=None):
        return _ops.take_along_dim(self, indices, dim)

    def scatter(self, dim, index, src=None, *, value=None, reduce=None):
        return _ops.scatter(self, dim, index, src, value=value, reduce=reduce)

    def scatter_add(self, dim, index, src):
        return _ops.scatter_add(self, dim, index, src)

    def index_select(self, dim, index):
        return _ops.index_select(self, dim, index)

    def index_add(self, dim, index, source, *, alpha=1):
        return _ops.index_add(self, dim, index, source, alpha=alpha)

    def bincount(self, weights=None, minlength=0):
        return _ops.bincount(self, weights, minlength)

    def masked_select(self, mask):
        return _ops.masked_select(self, mask)

    def nonzero(self, *, as_tuple=False):
        return _ops.nonzero(self, as_tuple=as_tuple)

    def argwhere(self):
        return _ops.argwhere(self)

    def take(self, index):
        return _ops.take(self, index)

    # products
    def dot(self, other):
        return _ops.dot(self, other)

    def inner(self, other):
        return _ops.inner(self, other)

    def outer(self, vec2):
        return _ops.outer(self, vec2)

    ger = outer

    def mv(self, vec):
        return _ops.mv(self, vec)

    def addmm(self, mat1, mat2, *, beta=1, alpha=1):
        return _ops.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def baddbmm(self, batch1, batch2, *, beta=1, alpha=1):
        return _ops.baddbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def lerp(self, end, weight):
        return _ops.lerp(self, end, weight)

    def addcmul(self, tensor1, tensor2, *, value=1):
        return _ops.addcmul(self, tensor1, tensor2, value=value)

    def addcdiv(self, tensor1, tensor2, *, value=1):
        return _ops.addcdiv(self, tensor1, tensor2, value=value)

    def atan2(self, other):
        return _ops.atan2(self, other)

    arctan2 = atan2

    def logaddexp(self, other):
        return _ops.logaddexp(self, other)

    def erf(self):
        return _ops.erf(self)

    def diag(self, diagonal=0):
        return _ops.diag(self, diagonal)

    def diagonal(self, offset=0, dim1=0, dim2=1):
        return _ops.diagonal(self, offset, dim1, dim2)

    def trace(self):
        return _ops.trace(self)

    def repeat_interleave(self, repeats=None, dim=None, *, output_size=None):
        return _ops.repeat_interleave(self, repeats, dim)

    def diff(self, n=1, dim=-1, prepend=None, append=None):
        return _ops.diff(self, n, dim, prepend, append)

    def unique(self, sorted=True, return_inverse=False, return_counts=False,  # noqa: A002
               dim=None):
        return _ops.unique(self, sorted, return_inverse, return_counts, dim)

    # -- in-place methods ---------------------------------------------------------------------------
    def lerp_(self, end, weight):
        return _ops.apply_inplace(self, _ops.lerp, end, weight)

    def addcmul_(self, tensor1, tensor2, *, value=1):
        return _ops.apply_inplace(
            self, lambda a, t1, t2: _ops.addcmul(a, t1, t2, value=value), tensor1, tensor2)

    def addcdiv_(self, tensor1, tensor2, *, value=1):
        return _ops.apply_inplace(
            self, lambda a, t1, t2: _ops.addcdiv(a, t1, t2, value=value), tensor1, tensor2)

    def clamp_(self, min=None, max=None):  # noqa: A002
        return _ops.apply_inplace(self, _ops.clamp, min, max)

    clip_ = clamp_

    def clamp_min_(self, min):  # noqa: A002
        return self.clamp_(min, None)

    def clamp_max_(self, max):  # noqa: A002
        return self.clamp_(None, max)

    def masked_fill_(self, mask, value):
        if isinstance(mask, Tensor) and mask._data.shape != self._data.shape:
            _ops._util.broadcast_shapes_or_raise(self._data.shape, mask._data.shape)
        return _ops.apply_inplace(self, _ops.masked_fill, mask, value)

    def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
        return _ops.apply_inplace(
            self, lambda a, i, s: _ops.scatter(a, dim, i, s, value=value, reduce=reduce),
            index, src)

    def index_add_(self, dim, index, source, *, alpha=1):
        return _ops.apply_inplace(
            self, lambda a, i, s: _ops.index_add(a, dim, i, s, alpha=alpha), index, source)

    def cumprod_(self, dim, *, dtype=None):
        return _ops.apply_inplace(self, lambda a: _ops.cumprod(a, dim, dtype=dtype))

    def scatter_add_(self, dim, index, src):
        return _ops.apply_inplace(self, lambda a, i, s: _ops.scatter_add(a, dim, i, s),
                                  index, src)

    def sqrt_(self):
        return _ops.apply_inplace(self, _ops.sqrt)

    def abs_(self):
        return _ops.apply_inplace(self, _ops.abs)

    def sign_(self):
        return _ops.apply_inplace(self, _ops.sign)

    def sigmoid_(self):
        return _ops.apply_inplace(self, _ops.sigmoid)

    def tanh_(self):
        return _ops.apply_inplace(self, _ops.tanh)

    def log_(self):
        return _ops.apply_inplace(self, _ops.log)

    def sin_(self):
        return _ops.apply_inplace(self, _ops.sin)

    def cos_(self):
        return _ops.apply_inplace(self, _ops.cos)

    def square_(self):
        return _ops.apply_inplace(self, _ops.square)

    def reciprocal_(self):
        return _ops.apply_inplace(self, _ops.reciprocal)

    def floor_(self):
        return _ops.apply_inplace(self, _ops.floor)

    def ceil_(self):
        return _ops.apply_inplace(self, _ops.ceil)

    def round_(self, *, decimals=0):
        return _ops.apply_inplace(self, lambda a: _ops.round(a, decimals=decimals))

    def trunc_(self):
        return _ops.apply_inplace(self, _ops.trunc)

    def remainder_(self, other):
        return _ops.apply_inplace(self, _ops.remainder, other)

    def __imod__(self, other):
        if type(other) is np.ndarray:
            return self.__mod__(other)
        return self.remainder_(other)

    def add_(self, other, *, alpha=1):
        return _ops.apply_inplace(self, _ops.add, other) if alpha == 1 else \
            _ops.apply_inplace(self, lambda a, b: _ops.add(a, b, alpha=alpha), other)

    def sub_(self, other, *, alpha=1):
        return _ops.apply_inplace(self, _ops.sub, other) if alpha == 1 else \
            _ops.apply_inplace(self, lambda a, b: _ops.sub(a, b, alpha=alpha), other)

    def mul_(self, other):
        return _ops.apply_inplace(self, _ops.mul, other)

    def div_(self, other, *, rounding_mode=None):
        return _ops.apply_inplace(
            self, lambda a, b: _ops.div(a, b, rounding_mode=rounding_mode), other)

    def pow_(self, exponent):
        return _ops.apply_inplace(self, _ops.pow, exponent)

    def exp_(self):
        return _ops.apply_inplace(self, _ops.exp)

    def relu_(self):
        return _ops.apply_inplace(self, _ops.relu)

    def neg_(self):
        return _ops.apply_inplace(self, _ops.neg)

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        if isinstance(value, Tensor) and value._data.ndim:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value._data.ndim} dimensions.")
        return self.copy_(value)

    def copy_(self, src, non_blocking: bool = False):
        """Copy ``src`` (broadcast to this shape, cast to this dtype) into this tensor."""
        if isinstance(src, Tensor) and src._data.shape != self._data.shape:
            shape = _ops._util.broadcast_shapes_or_raise(self._data.shape, src._data.shape)
            if shape != self._data.shape:
                raise RuntimeError(
                    f"output with shape {_ops._util.shape_str(self._data.shape)} doesn't match "
                    f"the broadcast shape {_ops._util.shape_str(shape)}")
        return _ops.apply_inplace(self, _ops.overwrite, src)

    # -- constructors from an existing tensor -------------------------------------------------------
    # on this tensor's device (the CPU) unless told otherwise, never on the default device
    def new_tensor(self, data, dtype=None, device=None, requires_grad: bool = False) -> "Tensor":
        from ._creation import tensor
        return tensor(data, dtype=dtype or self.dtype, device=device or _CPU,
                      requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad: bool = False):
        from ._creation import zeros
        return zeros(*size, dtype=dtype or self.dtype, device=device or _CPU,
                     requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad: bool = False):
        from ._creation import ones
        return ones(*size, dtype=dtype or self.dtype, device=device or _CPU,
                    requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, device=None, requires_grad: bool = False):
        from ._creation import full
        return full(size, fill_value, dtype=dtype or self.dtype, device=device or _CPU,
                    requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad: bool = False):
        from ._creation import empty
        return empty(*size, dtype=dtype or self.dtype, device=device or _CPU,
                     requires_grad=requires_grad)


    # -- random sampling methods (uniform_, normal_, bernoulli_, ...): randomness area ------------
    # Each draws from torch's CPU streams through minitorch_ref.random (see docs/random.md).
    def uniform_(self, from_=0.0, to=1.0, *, generator=None, **kwargs):
        if "from" in kwargs:
            from_ = kwargs.pop("from")
        _no_extra_kwargs("uniform_", kwargs)
        return _random().uniform_(self, from_, to, generator=generator)

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        return _random().normal_(self, mean, std, generator=generator)

    def bernoulli_(self, p=0.5, *, generator=None):
        return _random().bernoulli_(self, p, generator=generator)

    def bernoulli(self, p=None, *, generator=None):
        return _random().bernoulli(self, p, generator=generator)

    def random_(self, from_=0, to=None, *, generator=None, **kwargs):
        if "from" in kwargs:
            from_ = kwargs.pop("from")
        _no_extra_kwargs("random_", kwargs)
        return _random().random_(self, from_, to, generator=generator)

    def exponential_(self, lambd=1.0, *, generator=None):
        return _random().exponential_(self, lambd, generator=generator)

    def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
        return _random().cauchy_(self, median, sigma, generator=generator)

    def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
        return _random().log_normal_(self, mean, std, generator=generator)

    def geometric_(self, p, *, generator=None):
        return _random().geometric_(self, p, generator=generator)

    def multinomial(self, num_samples, replacement=False, *, generator=None):
        return _random().multinomial(self, num_samples, replacement, generator=generator)


    # -- softmax and log_softmax: kernels in nn/functional/activation.py -------------------------
    def softmax(self, dim, dtype=None):
        return _activation().torch_softmax(self, dim, dtype=dtype)

    def log_softmax(self, dim, dtype=None):
        return _activation().torch_log_softmax(self, dim, dtype=dtype)


def _random():
    from . import random
    return random


_activation_module = None


def _activation():
    """nn/functional/activation.py (softmax's home), imported once on first use: the package
    imports nn after this module."""
    global _activation_module
    if _activation_module is None:
        from .nn.functional import activation
        _activation_module = activation
    return _activation_module


def _no_extra_kwargs(name: str, kwargs: dict) -> None:
    if kwargs:
        raise TypeError(f"{name}() got an unexpected keyword argument '{next(iter(kwargs))}'")


def _through_numpy(ufunc, tensor: "Tensor", arr: np.ndarray) -> "Tensor":
    """``tensor (op) ndarray`` as torch computes it: its operators take no ndarray, so Python
    falls back to NumPy's, which reads the tensor through ``__array__`` (refused when it requires
    grad, as ``.numpy()`` is) and wraps the result with torch's ``__array_wrap__`` (a bool result
    becomes uint8). Hence NumPy's promotion: ``float32 tensor * np.array(2.0)`` is a float64
    tensor without history."""
    out = np.asarray(ufunc(tensor.numpy(), arr))
    if out.dtype == np.bool_:
        out = out.astype(np.uint8)
    _dtype.from_numpy_dtype(out.dtype)  # torch's TypeError for dtypes it has no name for
    return _new_tensor(out)


def _rebuild(cls, data, requires_grad):
    t = _new_tensor(np.array(data), cls)
    t._requires_grad = requires_grad
    return t


def _dims(shape) -> str:
    return ", ".join(str(s) for s in shape)


_TYPE_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
               "bool": "Bool", "float16": "Half", "uint8": "Byte", "int8": "Char",
               "int16": "Short"}
_C_NAMES = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int",
            "bool": "bool", "float16": "c10::Half", "uint8": "unsigned char",
            "int8": "signed char", "int16": "short int"}


def _type_name(np_dtype) -> str:
    return _TYPE_NAMES[np.dtype(np_dtype).name]


def _c_name(np_dtype) -> str:
    return _C_NAMES[np.dtype(np_dtype).name]


def _wrap_dim(dim: int, ndim: int) -> int:
    """torch's dim wrapping: ``-1`` is the last dim; out of range is an IndexError."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
            f"but got {dim})")
    return dim + n if dim < 0 else dim


# Imported last: the autograd package and the op library import Tensor from this module.
from .autograd.grad_mode import _state  # noqa: E402
from . import autograd as _autograd  # noqa: E402
from . import _ops  # noqa: E402
# the hottest operators call their op's Function directly: one Python frame less per op
from ._ops.elementwise import Add as _Add, Div as _Div, Mul as _Mul, Relu as _Relu  # noqa: E402
from ._ops.elementwise import Rsub as _Rsub, Sub as _Sub  # noqa: E402
from ._ops.linalg import matmul as _matmul  # noqa: E402
