"""Tensor: one ``np.ndarray`` plus the autograd bookkeeping torch keeps beside it.

The array lives in ``_data``. This file holds what a tensor *is*: its attributes, conversions
and autograd entry points (``backward``, hooks, ``retain_grad``, ``detach``). What a tensor
*does* (``x.exp()``, ``x + y``, ``x[0]``, ``x.to(...)``) is the op library's: those methods are
attached from one table, ``_tensor_methods.py``, and this file imports no op. Tensors created
by ops get their fields through ``_new_tensor``, which skips ``__init__`` to keep per-op
overhead low.
"""
from __future__ import annotations

import builtins
import copy
import warnings
import weakref

import numpy as np

from . import _dtype
from . import _device as _device_mod
from ._device import CPU as _CPU, check_device as _check_device, device  # noqa: F401
from ._names import c_type_name, scalar_type_name, shape_str
from ._numpy_errors import quiet
from ._tensor_str import tensor_repr


class Size(tuple):
    """torch.Size: a tuple that prints as ``torch.Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"torch.Size({shape_str(self)})"

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


def _explicit_strides(arr: np.ndarray) -> bool:
    """Whether ``arr`` views memory through strides given explicitly (``as_strided``): the
    bottom of its chain of views is then not an ndarray."""
    while isinstance(arr.base, np.ndarray):
        arr = arr.base
    return arr.base is not None


def contiguous_strides(shape: tuple) -> tuple:
    """The strides, in elements, of a C-contiguous tensor of ``shape``, as torch computes them:
    a size of 0 or 1 counts as 1."""
    strides, acc = [], 1
    for n in reversed(shape):
        strides.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(strides))


_INT64_MAX = (1 << 63) - 1


def cannot_allocate(nbytes: int) -> RuntimeError:
    """torch's error when the CPU allocator cannot provide ``nbytes``."""
    return RuntimeError(
        "[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate "
        f"memory: you tried to allocate {nbytes} bytes. Error code 12 (Cannot allocate memory)")


def storage_nbytes(shape: tuple, dtype) -> int:
    """The bytes a tensor of ``shape`` and ``dtype`` takes; torch's ``RuntimeError`` when the
    count overflows int64 (NumPy's limit too)."""
    nbytes = np.dtype(dtype).itemsize
    for n in shape:
        nbytes *= n
    if nbytes > _INT64_MAX:
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(shape)}")
    return nbytes


def allocate(make, shape: tuple, dtype, *args) -> np.ndarray:
    """``make(shape, *args, dtype=dtype)`` (``np.empty``, ``np.zeros``, ``np.full``, ...) with
    torch's errors for a size that cannot be had: ``RuntimeError`` naming the sizes when the
    byte count overflows int64, the allocator's ``RuntimeError`` when memory runs out (NumPy
    raises ``ValueError`` and ``MemoryError``)."""
    nbytes = storage_nbytes(shape, dtype)
    try:
        return make(shape, *args, dtype=dtype)
    except MemoryError:
        raise cannot_allocate(nbytes) from None


def allocation_error(e: Exception) -> Exception:
    """The error torch raises where an op's NumPy kernel raised ``e`` for want of memory (an
    ``_ArrayMemoryError`` carries the shape and dtype it asked for); ``e`` itself otherwise."""
    if isinstance(e, MemoryError):
        shape, dtype = getattr(e, "shape", None), getattr(e, "dtype", None)
        if shape is not None and dtype is not None:
            nbytes = dtype.itemsize
            for n in shape:
                nbytes *= n
            return cannot_allocate(nbytes)
        return RuntimeError(f"DefaultCPUAllocator: can't allocate memory ({e})")
    if isinstance(e, ValueError) and ("array is too big" in str(e)
                                      or "Maximum allowed dimension exceeded" in str(e)):
        return RuntimeError(f"Storage size calculation overflowed ({e})")
    return e


# Whether some tensor's array was ever replaced (``t.data = other``). Until then every array a
# node saved from an input is still that input's, and ``saved_tensors`` skips looking.
DATA_REBOUND = [False]


def _rebind(t: "Tensor", data: np.ndarray) -> None:
    """Point ``t`` at another array, as torch's ``set_data`` swaps a tensor's storage: a node
    that saved ``t`` itself reads the new array in backward, as torch's saved variable is the
    tensor object (``autograd/function.py``, ``Node.saved_tensors``)."""
    if data is not t._data:
        DATA_REBOUND[0] = True
    t._data = data


def _new_tensor(data: np.ndarray, cls=None) -> "Tensor":
    """Wrap an ndarray without copying and without autograd history (the fast internal path)."""
    t = object.__new__(cls or Tensor)
    t._data = data
    t._requires_grad = False
    t._grad = None
    t.grad_fn = None
    t._output_nr = 0
    return t


@quiet  # (_numpy_errors: data beyond the dtype's range becomes inf silently)
def _to_array(data, dtype=None) -> np.ndarray:
    """The ndarray ``torch.tensor(data, dtype=...)`` holds: always a fresh copy. Without
    ``dtype``, torch's inference: Python floats -> the default float dtype, ints -> int64, bools
    -> bool, NumPy scalars -> their own dtype, promoted together. With ``dtype``, the values are
    converted straight from the data (not through the default dtype); to float16, Python floats
    and float64 arrays go through float32, as torch's c10::Half does (``_dtype.cast``)."""
    np_dtype = None if dtype is None else _dtype.to_numpy_dtype(dtype)
    if isinstance(data, Tensor):
        arr = data._data
    elif hasattr(data, "__array__") and not isinstance(data, np.ndarray) and _is_torch(data):
        arr = np.asarray(data.detach().cpu().numpy() if hasattr(data, "detach") else data)
    else:
        arr = _infer_array(data, np_dtype)
    if np_dtype is not None:
        if np_dtype == _dtype.float16.np and arr.dtype == np.float64:
            return _dtype.cast(arr, np_dtype)
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
        if np_dtype == _dtype.float16.np:  # Python floats are float64: rounded twice, by cast
            np_dtype = np.dtype(np.float64)
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
        items = arr.reshape(-1)
        if all(isinstance(x, builtins.int) for x in items):  # beyond int64
            raise ValueError("Overflow when unpacking long long")
        if not all(isinstance(x, (builtins.int, builtins.float, np.number)) for x in items):
            raise TypeError(f"Could not infer dtype of {type(data).__name__}")
        arr = np.array(data, dtype=np.float64)  # a float beside a big int: read as doubles
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
            # a float array of Python ints: NumPy's reading of ints beyond int64
            result = _dtype.get_default_dtype().np if arr.dtype.kind == "f" and (
                not elements or any(isinstance(x, builtins.float) for x in elements)) \
                else np.dtype(np.int64)
        if result.kind in "iu" and arr.dtype.kind in "uf" and _first_big_int(elements) >= 0:
            raise ValueError("Overflow when unpacking long long")
        if arr.dtype != result:
            arr = _dtype.cast(arr, result) if result == _dtype.float16.np and \
                arr.dtype == np.float64 else np.array(data, dtype=result)
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
    if probe.dtype.kind in "ufO" and np_dtype.kind != "b":
        elements = list(_flat(data)) if isinstance(data, (list, tuple)) else [data]
        first = _first_big_int(elements)
        if first >= 0:  # torch converts element by element: an earlier one may overflow first
            if first:
                _checked_integers(elements[:first], np_dtype)
            raise ValueError("Overflow when unpacking long long")
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


def _first_big_int(elements: list) -> int:
    """Index of the first Python int beyond int64 (torch reads an int as a C long long where
    the tensor's dtype is an integer one), or -1."""
    for i, x in enumerate(elements):
        if type(x) is builtins.int and not -_INT64_MAX - 1 <= x <= _INT64_MAX:
            return i
    return -1


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
        arr = self._data
        if arr.size == 0 and not any(arr.strides) and not _explicit_strides(arr):
            # NumPy gives an array it creates with no elements (an op's result) all-zero
            # strides; torch gives the contiguous strides of the shape (sizes of 0 counted as
            # 1). Zeros set on purpose (a tensor made from such an ndarray) stay, as in torch.
            strides = contiguous_strides(arr.shape)
        else:
            strides = tuple(s // arr.itemsize for s in arr.strides)
        return strides if dim is None else strides[_wrap_dim(dim, arr.ndim)]

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
                    f"attempting to assign a gradient of size '{shape_str(value._data.shape)}' "
                    f"to a tensor of size '{shape_str(self._data.shape)}'. Please ensure that "
                    "the gradient and the tensor are the same size")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{c_type_name(value._data.dtype)}'"
                    f" to a tensor with grad_dtype '{scalar_type_name(self._data.dtype)}'. The "
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
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = _HookDict()
            hooks = self._hooks
        else:
            node = self.grad_fn
            if node._pre_hooks is None:
                node._pre_hooks = {}
            hooks = node._pre_hooks.setdefault(self._output_nr, _HookDict())
        return _add_hook(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        if self.grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors")
        if self._post_acc_hooks is None:
            self._post_acc_hooks = _HookDict()
        return _add_hook(self._post_acc_hooks, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph: bool = False,
                 inputs=None) -> None:
        """Accumulate d(self)/d(leaf) * gradient into every leaf's ``.grad``."""
        if inputs is None and not create_graph and self.grad_fn is not None:
            data = self._data
            if gradient is None and data.size == 1:  # the common loss.backward(): straight
                # to the engine (np.array(1).reshape: a third of np.ones' cost for one element)
                seed = np.array(1, dtype=data.dtype)
                if data.ndim:
                    seed = seed.reshape(data.shape)
                _autograd.engine.run_backward((self,), (seed,), bool(retain_graph))
                return
            if type(gradient) is Tensor and gradient._data.shape == data.shape \
                    and gradient._data.dtype == data.dtype:  # y.backward(g), g already fits
                _autograd.engine.run_backward((self,), (gradient._data,), bool(retain_graph))
                return
        _autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> "Tensor":
        """Same data and version counter, no history. Not a view (``_base`` is None, as in
        torch): an in-place op on it records its own history, not its base's."""
        t = _new_tensor(self._data)
        t._vc = self._version_counter()
        return t

    def detach_(self) -> "Tensor":
        """Drop the history in place. A view (a tensor with a ``_base``) cannot: its history
        is tied to its base's, so torch refuses."""
        if self._base is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                "as True, gradients are views of DDP buckets, and hence detach_() cannot be "
                "called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")
        self.grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self) -> "Tensor":
        """The same storage without history (and, as in torch, without the version counter)."""
        return _new_tensor(self._data)

    @data.setter
    def data(self, value: "Tensor") -> None:
        """A new array for this tensor (torch's ``set_data``): its version counter stays, and
        the nodes that saved it read the new array in backward (``_rebind``)."""
        _rebind(self, value._data if isinstance(value, Tensor) else np.asarray(value))

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

    def __hash__(self) -> int:
        return id(self)

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    def __repr__(self, *, tensor_contents=None) -> str:
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
        t = _new_tensor(self._data.copy(), type(self))
        t._requires_grad = self._requires_grad
        if self._grad is not None:
            t._grad = copy.deepcopy(self._grad, memo)
        memo[id(self)] = t
        return t

    def __reduce_ex__(self, protocol):
        return (_rebuild, (type(self), self._data, self._requires_grad))

    # -- device (only the CPU exists) ------------------------------------------------------------
    def cpu(self, memory_format=None) -> "Tensor":
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


def _rebuild(cls, data, requires_grad):
    t = _new_tensor(np.array(data), cls)
    t._requires_grad = requires_grad
    return t


def _wrap_dim(dim: int, ndim: int) -> int:
    """torch's dim wrapping: ``-1`` is the last dim; out of range is an IndexError."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
            f"but got {dim})")
    return dim + n if dim < 0 else dim


# The one real cycle: autograd records Tensors (its modules import this one) and Tensor's
# autograd entry points (backward, hooks, numpy's grad-mode check) use autograd. It is closed
# here, once Tensor exists.
from . import autograd as _autograd  # noqa: E402
from .autograd.function import _add_hook  # noqa: E402
from ._hook_handle import _HookDict  # noqa: E402
from .autograd.grad_mode import _state  # noqa: E402
