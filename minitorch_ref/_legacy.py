"""torch's legacy tensor types: ``torch.FloatTensor``, ``torch.LongTensor``, ... and the legacy
constructor ``torch.Tensor(...)``.

In torch these are not subclasses of ``Tensor``: each is a class whose call builds an ordinary
tensor of its dtype and whose ``isinstance`` check compares dtypes (``isinstance(x,
torch.FloatTensor)`` is ``x.dtype == torch.float32``). The constructor reads its arguments the
legacy way:

* ``FloatTensor()``: an empty 1-D tensor; ``FloatTensor(2, 3)`` or ``FloatTensor(Size)``:
  uninitialised memory of that shape;
* ``FloatTensor(sequence)``: the data converted to the type's dtype (``LongTensor([1.7])`` is
  ``[1]``), with torch's overflow check;
* ``FloatTensor(ndarray)``: shares memory when the dtypes agree, else a converted copy;
* ``FloatTensor(tensor)``: an alias of a tensor of the same dtype (a TypeError otherwise;
  ``torch.Tensor(tensor)`` aliases any dtype).

``Tensor.new(...)`` is the same constructor with the tensor's dtype (``x.new(2, 3)``,
``x.new([1, 2])``, ``x.new()``): a tuple is data there, only a ``torch.Size`` is a shape.
"""
from __future__ import annotations

import builtins
from collections.abc import Sequence

import numpy as np

from . import _dtype
from ._creation import base_ndarray
from ._ops.conversion import to
from ._ops.shape import Slice
from ._names import c_type_name, legacy_type_name, shape_str
from ._tensor import Size, Tensor, _check_device, _new_tensor, _to_array

__all__ = ["set_default_tensor_type", "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor",
           "IntTensor", "ShortTensor",
           "CharTensor", "ByteTensor", "BoolTensor", "legacy_new", "LEGACY_TYPES", "tensor_type",
           "tensor_new"]


def _options(np_dtype: np.dtype) -> str:
    return (f"TensorOptions(dtype={c_type_name(np_dtype)}, device=cpu, layout=Strided, "
            "requires_grad=false (default), pinned_memory=false (default), "
            "memory_format=(nullopt))")


def _type_desc(x) -> str:
    """The type name torch's argument parser prints."""
    if isinstance(x, _dtype.dtype):
        return "torch.dtype"
    if isinstance(x, Tensor):
        return "Tensor"
    if isinstance(x, Size):
        return "torch.Size"
    kind = type(x)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def _bad_call(args: tuple, kwargs: dict) -> TypeError:
    # torch's parser lists the keywords last to first, and ends a keywords-only list with ", "
    got = ", ".join([_type_desc(a) for a in args] +
                    [f"{k}={_type_desc(v)}" for k, v in reversed(kwargs.items())])
    if kwargs and not args:
        got += ", "
    return TypeError(
        f"new() received an invalid combination of arguments - got ({got}), but expected one "
        "of:\n * (*, torch.device device = None)\n * (torch.Storage storage)\n"
        " * (Tensor other)\n * (tuple of ints size, *, torch.device device = None)\n"
        " * (object data, *, torch.device device = None)\n")


def _is_size(x) -> bool:
    return isinstance(x, (builtins.int, np.integer)) and not isinstance(x, (builtins.bool,
                                                                           np.bool_))


def legacy_new(np_dtype: np.dtype, args: tuple, kwargs: dict, *,
               alias_any_dtype: bool = False) -> Tensor:
    """The tensor ``torch.<Type>Tensor(*args, **kwargs)`` builds (see the module docstring).
    ``torch.Tensor(t)`` (``alias_any_dtype``) aliases a tensor of any dtype."""
    kwargs = dict(kwargs)
    device = kwargs.pop("device", None)
    if not args and set(kwargs) == {"size"} and isinstance(kwargs["size"], (tuple, Size)) \
            and all(_is_size(s) for s in kwargs["size"]):
        _check_device(device)
        return _sized(tuple(builtins.int(s) for s in kwargs["size"]), np_dtype)
    if kwargs:
        raise _bad_call(args, kwargs | ({"device": device} if device is not None else {}))
    _check_device(device)
    if len(args) == 1:
        x = args[0]
        if isinstance(x, Tensor):
            if x._data.dtype != np_dtype and not alias_any_dtype:
                raise TypeError(f"expected {_options(np_dtype)} (got {_options(x._data.dtype)})")
            return Slice.apply(x, ..., name="AliasBackward0")
        if isinstance(x, np.ndarray):
            _dtype.from_numpy_dtype(x.dtype)  # torch's TypeError for dtypes it does not know
            return _new_tensor(base_ndarray(x) if x.dtype == np_dtype else
                               np.array(x, dtype=np_dtype))
        if isinstance(x, Size):
            return _sized(tuple(x), np_dtype)
        if isinstance(x, (str, bytes)):
            raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
        if isinstance(x, Sequence) or isinstance(x, range):
            _check_legacy_data(x, np_dtype)
            if np_dtype.kind in "iub" and _holds_float_tensor(x):
                # the legacy path reads an integer element through __index__
                raise TypeError("only integer tensors of a single element can be converted "
                                "to an index")
            return _new_tensor(_to_array(list(x) if isinstance(x, range) else x, np_dtype))
        if not _is_size(x):
            raise TypeError(f"new(): data must be a sequence (got {_type_desc(x)})")
    # (a bool after the first entry counts as an int, as in torch's parser)
    if not args or _is_size(args[0]) and all(_is_size(a) or isinstance(a, builtins.bool)
                                             for a in args):
        return _sized(tuple(builtins.int(a) for a in args), np_dtype)
    if _is_size(args[0]):  # a size whose later entries are not ints
        pos, bad = next((i, a) for i, a in enumerate(args, 1)
                        if not (_is_size(a) or isinstance(a, builtins.bool)))
        raise TypeError(f"new(): argument 'size' failed to unpack the object at pos {pos} with "
                        f"error \"type must be tuple of ints,but got {_type_desc(bad)}\"")
    raise _bad_call(args, {})


def _check_legacy_data(data, np_dtype: np.dtype) -> None:
    """The legacy constructor's reading of data: the dims are those of the first entries, a
    string is a sequence to it (so ``['a']`` has too many dimensions), and every entry at the
    last dim must be a real number (``[None]``, ``[1, [2]]`` and ``[1, 'a']`` are refused, not
    stored as nan or converted; an integer or bool type reads them as integers)."""
    ndim, first = 0, data
    while isinstance(first, (list, tuple, range, str)):
        if isinstance(first, str):
            raise ValueError("too many dimensions 'str'")
        ndim += 1
        if not len(first):
            return
        first = first[0]
    _check_leaves(data, ndim, np_dtype.kind in "iub")


def _check_leaves(data, ndim: int, integral: bool) -> None:
    for x in data:
        if ndim > 1:
            if isinstance(x, (list, tuple, range, str)):
                _check_leaves(x, ndim - 1, integral)
        elif not isinstance(x, (builtins.int, builtins.float, np.number, np.bool_, Tensor)):
            name = type(x).__name__
            raise TypeError(f"'{name}' object cannot be interpreted as an integer" if integral
                            else f"must be real number, not {name}")


def _holds_float_tensor(data) -> bool:
    return any(x.is_floating_point() if isinstance(x, Tensor) else
               isinstance(x, (list, tuple)) and _holds_float_tensor(x) for x in data)


def tensor_new(self: Tensor, *args, **kwargs) -> Tensor:
    """``Tensor.new``: the legacy constructor with this tensor's dtype, on the CPU. Sizes give
    uninitialised memory (NumPy's ``empty``), a sequence or ndarray is data converted to the
    dtype, a tensor of the same dtype is aliased, no argument gives an empty 1-D tensor."""
    return legacy_new(self._data.dtype, args, kwargs)


def _sized(shape: tuple, np_dtype: np.dtype) -> Tensor:
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{shape_str(shape)}")
    # a 0-element request is the empty 1-D tensor torch gives for FloatTensor()
    return _new_tensor(np.empty(shape if shape else (0,), dtype=np_dtype))


class _LegacyTensorType(type):
    """The metaclass of ``torch.FloatTensor`` and friends: calling builds a Tensor of the type's
    dtype; ``isinstance`` compares dtypes; the class prints as ``<class 'torch.FloatTensor'>``."""

    def __call__(cls, *args, **kwargs) -> Tensor:
        return legacy_new(cls.dtype.np, args, kwargs)

    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, Tensor) and obj._data.dtype == cls.dtype.np

    def __subclasscheck__(cls, sub) -> bool:
        return sub is cls


def _legacy_type(name: str, dtype: _dtype.dtype) -> type:
    return _LegacyTensorType(name, (), {"dtype": dtype, "is_cuda": False, "is_sparse": False,
                                        "__module__": "torch", "__qualname__": name,
                                        "__doc__": f"torch's legacy {dtype!r} tensor type."})


FloatTensor = _legacy_type("FloatTensor", _dtype.float32)
DoubleTensor = _legacy_type("DoubleTensor", _dtype.float64)
HalfTensor = _legacy_type("HalfTensor", _dtype.float16)
LongTensor = _legacy_type("LongTensor", _dtype.int64)
IntTensor = _legacy_type("IntTensor", _dtype.int32)
ShortTensor = _legacy_type("ShortTensor", _dtype.int16)
CharTensor = _legacy_type("CharTensor", _dtype.int8)
ByteTensor = _legacy_type("ByteTensor", _dtype.uint8)
BoolTensor = _legacy_type("BoolTensor", _dtype.bool)

# 'torch.FloatTensor' -> the class (Tensor.type's string form)
LEGACY_TYPES = {f"torch.{c.__qualname__}": c for c in (
    FloatTensor, DoubleTensor, HalfTensor, LongTensor, IntTensor, ShortTensor, CharTensor,
    ByteTensor, BoolTensor)}


def tensor_type(self: Tensor, dtype=None, non_blocking: bool = False, **kwargs):
    """``Tensor.type``: no argument gives the legacy type name (``'torch.FloatTensor'``); a
    dtype, a legacy type (``torch.LongTensor``) or its name gives this tensor converted (itself
    when unchanged)."""
    if dtype is None:
        return legacy_type_name(self._data.dtype)
    if isinstance(dtype, str):
        if dtype not in LEGACY_TYPES:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = LEGACY_TYPES[dtype]
    if isinstance(dtype, builtins.type) and getattr(dtype, "__qualname__", "") in {
            c.__qualname__ for c in LEGACY_TYPES.values()}:
        dtype = dtype.dtype
    if not isinstance(dtype, _dtype.dtype):
        raise ValueError(f"invalid type: '{getattr(dtype, '__name__', dtype)}'")
    return to(self, dtype)


_DEFAULT_TYPE_DEPRECATED = (
    "torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
    "torch.set_default_dtype() and torch.set_default_device() as alternatives.")
_default_type_warned: list = []


def set_default_tensor_type(t, /) -> None:
    """torch.set_default_tensor_type (deprecated in torch 2.1; it warns once per process, as
    torch does): ``torch.DoubleTensor`` or ``'torch.DoubleTensor'`` sets the default floating
    dtype, as ``set_default_dtype(torch.float64)`` would."""
    if isinstance(t, str):
        if t.startswith("torch.cuda."):
            raise TypeError(f"type {t} not available. Torch not compiled with CUDA enabled.")
        t = LEGACY_TYPES[t] if t in LEGACY_TYPES else _import_dotted_name(t)
    if not _default_type_warned:
        _default_type_warned.append(True)
        import warnings
        warnings.warn(_DEFAULT_TYPE_DEPRECATED, UserWarning, stacklevel=2)
    if not isinstance(t, _LegacyTensorType):
        raise TypeError("invalid type object: only floating-point types are supported as the "
                        "default type")
    if not t.dtype.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _dtype.set_default_dtype(t.dtype)


def _import_dotted_name(name: str):
    """The object a dotted name names, as torch's ``_import_dotted_name`` finds it (``torch``
    being this package)."""
    import importlib
    first, *rest = name.split(".")
    obj = importlib.import_module(__package__ if first == "torch" else first)
    for part in rest:
        obj = getattr(obj, part)
    return obj
