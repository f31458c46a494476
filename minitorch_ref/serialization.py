"""torch.save / torch.load in torch's own file format, without torch.

The format (torch >= 1.6, checked against files torch 2.13 writes) is an uncompressed zip
archive whose entries all sit under one folder, ``<archive>/`` (the file's base name without
its extension, or ``archive`` for a file-like object):

* ``data.pkl``: the object, pickled with protocol 2. Every tensor is the call
  ``torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
  OrderedDict())``, and every parameter ``torch._utils._rebuild_parameter(tensor, requires_grad,
  OrderedDict())``. A storage is not pickled inline: it is a *persistent id*, the tuple
  ``('storage', torch.FloatStorage, '<key>', 'cpu', numel)``, and its bytes live in a separate
  entry ``data/<key>`` (raw, little-endian). Keys count up from ``'0'`` in the order the
  pickler meets the storages; tensors that share memory share one storage.
* ``.format_version`` (``1``), ``.storage_alignment`` (``64``), ``byteorder`` (``little``),
  ``version`` (``3``) and ``.data/serialization_id`` (40 digits).
* Each entry's data starts on a 64-byte boundary: the local zip header carries an extra field
  ``FB`` padded with ``Z`` bytes, which is what lets torch memory-map a checkpoint.

Loading never imports torch. Unless ``weights_only=False`` is passed explicitly, the pickle is
interpreted by ``_weights_only_unpickler`` with the rules of torch's weights-only unpickler: an
allow-list of globals (tensor rebuild functions, storage types, dtypes, ``torch.Size``,
``collections.OrderedDict``, ...), each mapped to its minitorch_ref counterpart, and only the
opcodes torch allows, applied only to objects the file itself created. A file naming
``os.system`` raises ``pickle.UnpicklingError`` and runs nothing; a file cannot change an
allowed class or dtype either. Memory follows what the file holds: a record's sizes in the zip
directory are checked against the archive and against the tensors' storage sizes before any
buffer is allocated, records are read (or inflated) straight into that buffer, the memo costs
one entry per stored object whatever its index, and calls that would allocate from a number
(``bytearray(n)``, ``torch.Tensor(n)``) are refused.

Saving checks the path as torch's writer does (same ``RuntimeError``s), pickles the whole
object before writing anything, then replaces a regular file atomically (``_save_to_path``) and
writes anything else (a pipe, ``/dev/stdout``) through, as torch does.
"""
from __future__ import annotations

import _compat_pickle
import collections
import io
import os
import pickle
import re
import secrets
import struct
import sys
import warnings
import zipfile
import zlib
from typing import IO, Any, Callable, Union

import numpy as np

from . import _dtype, _save_to_path, _weights_only_unpickler
from ._names import DTYPE_NAMES, storage_type_name
from ._tensor import Size, Tensor, _new_tensor, contiguous_strides, device
from ._weights_only_unpickler import (  # noqa: F401 - torch.serialization's public names
    add_safe_globals, clear_safe_globals, get_safe_globals, safe_globals)

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals",
           "safe_globals", "DEFAULT_PROTOCOL"]

FileLike = Union[str, os.PathLike, IO[bytes]]

DEFAULT_PROTOCOL = 2          # torch.save's default pickle protocol
_STORAGE_ALIGNMENT = 64       # torch aligns every record's data to 64 bytes
_FORMAT_VERSION = "1"         # .format_version: storages numbered, not sorted by name
_FILE_VERSION = "3\n"         # the "version" record torch 2.x writes

# torch's storage class name for each dtype we have (the name is what the pickle records).
_STORAGE_NAMES = {name: storage_type_name(name) for name in DTYPE_NAMES}
_STORAGE_DTYPES = {v: k for k, v in _STORAGE_NAMES.items()}
# Storage types torch writes that have no minitorch_ref dtype: refused with a clear message.
_UNSUPPORTED_STORAGES = {
    "BFloat16Storage": "bfloat16", "ComplexFloatStorage": "complex64",
    "ComplexDoubleStorage": "complex128", "QInt8Storage": "qint8", "QUInt8Storage": "quint8",
    "QInt32Storage": "qint32", "QUInt4x2Storage": "quint4x2", "QUInt2x4Storage": "quint2x4",
}


# ==================================================================================================
# Saving
# ==================================================================================================

class _TorchGlobal:
    """A name the pickle must record as ``GLOBAL module name`` although the object it stands for
    does not exist here (``torch._utils._rebuild_tensor_v2``, ``torch.FloatStorage``, ...)."""

    __slots__ = ("module", "name")
    _cache: dict = {}

    def __new__(cls, module: str, name: str) -> "_TorchGlobal":
        # one object per name, so that the pickler's memo writes each GLOBAL once
        key = (module, name)
        obj = cls._cache.get(key)
        if obj is None:
            obj = object.__new__(cls)
            obj.module, obj.name = module, name
            cls._cache[key] = obj
        return obj

    def __call__(self, *args):
        # pickle only accepts callables as reduce functions; this one is never called here
        raise TypeError(f"{self.module}.{self.name} exists in torch, not in minitorch_ref")


_REBUILD_TENSOR_V2 = _TorchGlobal("torch._utils", "_rebuild_tensor_v2")
_REBUILD_PARAMETER = _TorchGlobal("torch._utils", "_rebuild_parameter")
_TORCH_SIZE = _TorchGlobal("torch", "Size")
_TORCH_DEVICE = _TorchGlobal("torch", "device")


class _StorageRef:
    """One storage being written: a flat little-endian array and its record key."""

    __slots__ = ("flat", "key", "storage_type")

    def __init__(self, flat: np.ndarray, key: str) -> None:
        self.flat = flat
        self.key = key
        self.storage_type = _TorchGlobal("torch", _STORAGE_NAMES[flat.dtype.name])


def _root_array(arr: np.ndarray) -> np.ndarray:
    """The ndarray at the bottom of ``arr``'s chain of views (the memory block it lives in)."""
    while isinstance(arr.base, np.ndarray):
        arr = arr.base
    return arr


def _data_ptr(arr: np.ndarray) -> int:
    return arr.__array_interface__["data"][0]


class _TorchPickler(pickle._Pickler):
    """The pure-Python pickler with torch's spellings for tensors and friends.

    The pure-Python pickler is used (not the C one) because it lets us write a ``GLOBAL`` opcode
    for a name such as ``torch._utils._rebuild_tensor_v2`` without importing it: the C pickler
    insists on looking every global up. Only ``data.pkl`` goes through it; tensor bytes do not.
    """

    dispatch = dict(pickle._Pickler.dispatch)

    def __init__(self, file, protocol: int) -> None:
        super().__init__(file, protocol=protocol)
        self.storages: dict[int, _StorageRef] = {}   # id(root array) -> storage
        self._roots: list = []                         # keep roots alive while ids are in use

    # -- the GLOBAL opcode for names that only exist in torch ------------------------------------
    def _save_torch_global(self, obj: _TorchGlobal) -> None:
        self.write(pickle.GLOBAL + obj.module.encode("utf-8") + b"\n"
                   + obj.name.encode("utf-8") + b"\n")
        self.memoize(obj)

    dispatch[_TorchGlobal] = _save_torch_global

    def _save_dtype(self, obj: _dtype.dtype) -> None:
        self._save_torch_global(_TorchGlobal("torch", obj.name))

    dispatch[_dtype.dtype] = _save_dtype

    def save_global(self, obj, name=None) -> None:
        # Python's C pickler (the one torch.save uses) decides whether a global can be pickled,
        # so that a lambda, a local class or a moved function fails with its exception
        # (AttributeError, PicklingError) and message, not the pure-Python pickler's.
        pickle.dumps(obj, protocol=self.proto)
        super().save_global(obj, name)

    for _kind, _save in list(dispatch.items()):
        if _save is pickle._Pickler.save_global:  # functions: dispatched here directly
            dispatch[_kind] = save_global
    del _kind, _save

    # -- storages are persistent ids: ('storage', torch.FloatStorage, key, 'cpu', numel) -----------
    def persistent_id(self, obj):
        if type(obj) is _StorageRef:
            return ("storage", obj.storage_type, obj.key, "cpu", int(obj.flat.size))
        return None

    # -- tensors, parameters, sizes, devices -------------------------------------------------------
    def reducer_override(self, obj):
        if isinstance(obj, Tensor):
            from .nn.parameter import Parameter
            if isinstance(obj, Parameter):
                return (_REBUILD_PARAMETER,
                        (_new_tensor(obj._data), obj._requires_grad, collections.OrderedDict()))
            storage, offset, stride = self._storage_for(obj._data)
            return (_REBUILD_TENSOR_V2,
                    (storage, offset, tuple(obj._data.shape), stride, obj._requires_grad,
                     collections.OrderedDict()))
        if type(obj) is Size:
            return (_TORCH_SIZE, (tuple(obj),))
        if type(obj) is device:
            return (_TORCH_DEVICE, (str(obj),))
        return NotImplemented

    def _storage_for(self, arr: np.ndarray) -> tuple:
        """(storage, offset, stride) for ``arr``, in elements. Views of one block of memory get
        one storage, as in torch; arrays numpy lays out in ways torch cannot express (negative
        strides, a dtype-reinterpreting view) are written as a contiguous copy."""
        if arr.dtype.name not in _STORAGE_NAMES:
            raise TypeError(f"cannot save a tensor of NumPy dtype {arr.dtype}")
        item = arr.itemsize
        root = _root_array(arr)
        flat = None
        if root.dtype == arr.dtype and (root.flags.c_contiguous or root.flags.f_contiguous):
            flat = root.ravel(order="K")  # a view: the block in memory order
            offset_bytes = _data_ptr(arr) - _data_ptr(flat)
            strides = [s if n > 1 else 0 for s, n in zip(arr.strides, arr.shape)]
            if arr.size == 0 or offset_bytes % item or any(s < 0 or s % item for s in strides):
                flat = None
        if flat is None:
            root = flat = np.ascontiguousarray(arr).reshape(-1)
            offset_bytes = 0
            strides = list(np.ascontiguousarray(arr).strides) if arr.ndim else []
        ref = self.storages.get(id(root))
        if ref is None:
            ref = _StorageRef(flat, str(len(self.storages)))
            self.storages[id(root)] = ref
            self._roots.append(root)
        # torch reports the stride of a size-1 dimension as if the tensor were contiguous
        stride = contiguous_strides(arr.shape) if arr.size <= 1 else tuple(
            (s // item) if n > 1 else c
            for s, n, c in zip(strides, arr.shape, contiguous_strides(arr.shape)))
        return ref, offset_bytes // item, stride


def _archive_name(f) -> str:
    if isinstance(f, (str, os.PathLike)):
        base = os.path.basename(os.fspath(f))
        return os.path.splitext(base)[0] or "archive"
    return "archive"


def _aligned_info(zf: zipfile.ZipFile, name: str, size: int) -> zipfile.ZipInfo:
    """A ZipInfo whose data will start on a 64-byte boundary, padded the way torch pads."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    header = 30 + len(name.encode("utf-8")) + 4  # fixed header, file name, extra-field header
    if size > zipfile.ZIP64_LIMIT:
        header += 20  # zipfile adds a zip64 extra field for records over 2 GiB
    pad = -(zf.fp.tell() + header) % _STORAGE_ALIGNMENT
    info.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
    return info


def _pickle_records(obj: Any, protocol: int) -> list[tuple[str, Any]]:
    """Pickle ``obj`` (this is where an unpicklable object fails, before any output) and list
    the archive's records: ``data.pkl``, the metadata records and one per storage."""
    data = io.BytesIO()
    pickler = _TorchPickler(data, protocol)
    pickler.dump(obj)
    records: list[tuple[str, Any]] = [
        ("data.pkl", data.getvalue()),
        (".format_version", _FORMAT_VERSION.encode()),
        (".storage_alignment", str(_STORAGE_ALIGNMENT).encode()),
        ("byteorder", b"little"),
    ]
    for ref in pickler.storages.values():
        little = np.ascontiguousarray(ref.flat.astype(ref.flat.dtype.newbyteorder("<"),
                                                      copy=False))
        records.append((f"data/{ref.key}", memoryview(little.view(np.uint8))))
    records.append(("version", _FILE_VERSION.encode()))
    return records


def _write_zip(records: list[tuple[str, Any]], out: IO[bytes], archive: str) -> None:
    crc = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for name, payload in records:
            info = _aligned_info(zf, f"{archive}/{name}", len(payload))
            zf.writestr(info, payload)
            crc = zlib.crc32(struct.pack("<I", info.CRC), crc)  # zipfile computed each CRC
        # torch: 20 digits from the records' checksums, 20 random ones
        serial = f"{crc:020d}{secrets.randbelow(10 ** 20):020d}".encode()
        zf.writestr(_aligned_info(zf, f"{archive}/.data/serialization_id", len(serial)), serial)


def save(obj: object, f: FileLike, pickle_module: Any = pickle,
         pickle_protocol: int = DEFAULT_PROTOCOL) -> None:
    """Save ``obj`` to ``f`` (a path or a binary file-like object) in torch's file format.

    The file loads with ``torch.load(f, weights_only=True)`` when ``obj`` is built from tensors,
    parameters, (Ordered)dicts, lists, tuples, numbers, strings, ``None``, bools and
    ``torch.Size`` / dtypes / devices; other objects are pickled normally and then need
    ``weights_only=False``, as in torch. The path is checked as torch checks it (torch's
    ``RuntimeError`` for a directory, a missing parent folder, a file it may not write), then
    the whole object is pickled before anything is written, so an unpicklable object leaves
    ``f`` untouched. A regular file (or a symlink's target) is replaced atomically: the archive
    goes to an unnamed temporary file in the same folder (a named one where the system has no
    unnamed files), which is moved over the destination only once complete and synced, then the
    folder is synced; a failure or an interrupt removes the temporary file. Anything else (a
    pipe, a device, ``/dev/stdout``, ``/dev/fd/N``) is written through, as torch does.
    """
    if pickle_module is not pickle:
        raise ValueError("minitorch_ref.save writes with the standard pickle module only")
    if isinstance(f, (str, os.PathLike)):
        path = os.fspath(f)
        how, target = _save_to_path.plan(path)
        records = _pickle_records(obj, pickle_protocol)
        write = lambda out: _write_zip(records, out, _archive_name(path))  # noqa: E731
        if how == "replace":
            try:
                _save_to_path.atomic_write(target, write)
                return
            except _save_to_path.NoTemporaryFile:
                pass  # a folder we may not create files in: write in place, as torch does
        with _save_to_path.open_for_writing(target) as out:
            write(out)
        return
    if not hasattr(f, "write"):
        raise AttributeError(
            "expected 'f' to be string, path, or a file-like object with a 'write' attribute")
    if not callable(f.write):
        raise TypeError(f"Buffer of {str(type(f)).strip('<>')} has no callable attribute 'write'")
    _write_zip(_pickle_records(obj, pickle_protocol), f, "archive")


# ==================================================================================================
# Loading
# ==================================================================================================

class _StorageType:
    """What ``torch.FloatStorage`` etc. become when read: a marker carrying the dtype."""

    __slots__ = ("name", "np_dtype")

    def __init__(self, name: str, np_dtype: np.dtype) -> None:
        self.name = name
        self.np_dtype = np.dtype(np_dtype)

    def __repr__(self) -> str:
        return f"<storage type torch.{self.name}>"


class _Storage:
    """A loaded storage: one flat array that the tensors viewing it share. A ``map_location``
    callable receives it (``lambda storage, loc: storage`` keeps it on the CPU)."""

    __slots__ = ("array", "location")

    def __init__(self, array: np.ndarray, location: str) -> None:
        self.array = array
        self.location = location

    def cpu(self) -> "_Storage":
        return self

    def nbytes(self) -> int:
        return self.array.nbytes


def _rebuild_tensor(storage, storage_offset, size, stride) -> Tensor:
    if not isinstance(storage, _Storage):
        raise pickle.UnpicklingError(
            f"Weights only load failed. a tensor's storage must be a persistent storage record, "
            f"got {type(storage).__name__}")
    size, stride = tuple(size), tuple(stride)
    ints = (storage_offset,) + size + stride
    if len(size) != len(stride) or not all(type(v) is int and v >= 0 for v in ints):
        raise RuntimeError(f"invalid tensor geometry in checkpoint: offset={storage_offset}, "
                           f"size={list(size)}, stride={list(stride)}")
    flat = storage.array
    numel = 1
    for n in size:
        numel *= n
    if numel == 0 or numel > sys.maxsize:
        # NumPy cannot describe shapes whose size overflows (torch can, when a dim is 0)
        return _new_tensor(_empty_or_raise(size, flat.dtype, numel))
    extent = storage_offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1
    if extent > flat.size:
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset "
            f"{storage_offset}, and itemsize {flat.itemsize} requiring a storage size of "
            f"{extent * flat.itemsize} are out of bounds for storage of size "
            f"{flat.size * flat.itemsize}")
    item = flat.itemsize
    # a view on the shared flat array (base = flat), so tensors that shared memory still do
    try:
        arr = np.ndarray(size, dtype=flat.dtype, buffer=flat, offset=storage_offset * item,
                         strides=tuple(s * item for s in stride))
    except ValueError:
        raise RuntimeError(f"a tensor of size {list(size)} with strides {list(stride)} cannot "
                           "be represented by minitorch_ref (NumPy limits an array's size to "
                           f"{sys.maxsize} bytes)") from None
    return _new_tensor(arr)


def _empty_or_raise(size: tuple, dtype: np.dtype, numel: int) -> np.ndarray:
    try:
        if numel:
            raise ValueError
        return np.empty(size, dtype=dtype)
    except ValueError:
        raise RuntimeError(f"a tensor of size {list(size)} cannot be represented by "
                           "minitorch_ref: its size overflows NumPy's array size limit "
                           f"({sys.maxsize} bytes)") from None


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       metadata=None) -> Tensor:
    if metadata:
        raise RuntimeError(f"tensor metadata {metadata!r} (conjugate/negative bits) is not "
                           "supported by minitorch_ref")
    t = _rebuild_tensor(storage, storage_offset, size, stride)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _rebuild_parameter(data, requires_grad, backward_hooks):
    from .nn.parameter import Parameter
    if not isinstance(data, Tensor):
        raise pickle.UnpicklingError(
            f"Weights only load failed. a parameter's data must be a tensor, got "
            f"{type(data).__name__}")
    return Parameter(data, bool(requires_grad))


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    if state:
        raise RuntimeError("parameters with Python attributes cannot be loaded by minitorch_ref "
                           f"(attributes: {sorted(state) if isinstance(state, dict) else state})")
    return _rebuild_parameter(data, requires_grad, backward_hooks)


def _rebuild_from_type_v2(func, new_type, args, state):
    if func not in _REBUILD_FUNCTIONS:
        raise pickle.UnpicklingError(
            f"Weights only load failed. _rebuild_from_type_v2 called with {func!r}")
    result = func(*args)
    if state:
        raise RuntimeError("tensors with Python attributes cannot be loaded by minitorch_ref "
                           f"(attributes: {state!r})")
    from .nn.parameter import Parameter
    if new_type is Parameter and not isinstance(result, Parameter):
        result = Parameter(result, result.requires_grad)
    return result


def _get_layout(name: str) -> str:
    return name  # only the strided layout exists here; torch spells it "torch.strided"


_REBUILD_FUNCTIONS = (_rebuild_tensor, _rebuild_tensor_v2, _rebuild_parameter,
                      _rebuild_parameter_with_state)


def _construct_tensor(cls: type, args) -> Tensor:
    """``torch.Tensor(...)`` or ``nn.Parameter(...)`` called by a pickle. Built from data only:
    sizes (``torch.Tensor(n)``) would allocate uninitialised memory the file does not hold."""
    from .nn.parameter import Parameter
    args = tuple(args)
    if cls is not Parameter and any(isinstance(a, (int, Size)) for a in args):
        raise pickle.UnpicklingError(
            f"{cls.__name__}{args!r} with sizes is refused: it allocates memory the file does "
            "not hold (torch.save never writes it)")
    return cls(*args)


def _set_tensor_state(t: Tensor, state) -> None:
    """``BUILD`` on a tensor the pickle created, as torch's ``Tensor.__setstate__`` (legacy
    pickles): a 4-tuple ``(storage, offset, size, stride)`` makes ``t`` view that storage; a
    5-tuple (a legacy Variable) carries ``(data, _, hooks, requires_grad, _)``; a 3-tuple
    ``(requires_grad, _, hooks)``. Backward hooks are never restored, as in torch."""
    if not isinstance(state, tuple) or len(state) not in (3, 4, 5):
        raise pickle.UnpicklingError(f"a tensor's pickled state must be a tuple of 3, 4 or 5 "
                                     f"items, got {type(state).__name__}")
    if t.grad_fn is not None:
        raise RuntimeError("__setstate__ can be only called on leaf Tensors")
    if len(state) == 4:
        t._data = _rebuild_tensor(*state)._data
        return
    if len(state) == 5:
        if not isinstance(state[0], Tensor):
            raise pickle.UnpicklingError("a legacy Variable's data must be a tensor, got "
                                         f"{type(state[0]).__name__}")
        t._data = state[0]._data
        state = (state[3], state[4], state[2])
    t.requires_grad_(bool(state[0]))


def _allowed_globals() -> dict:
    """The globals torch's weights-only unpickler accepts, mapped to what they mean here."""
    from .nn.parameter import Parameter
    import _codecs
    allowed: dict[str, Any] = {
        "collections.OrderedDict": collections.OrderedDict,
        "collections.Counter": collections.Counter,
        "torch.nn.parameter.Parameter": Parameter,
        "torch.serialization._get_layout": _get_layout,
        "torch.Size": Size,
        "torch.Tensor": Tensor,
        "torch.device": device,
        "_codecs.encode": _codecs.encode,  # protocol 2 pickles bytes as encode(str, 'latin1')
        "builtins.bytearray": bytearray,
        "builtins.set": set,
        "builtins.complex": complex,
        "torch._utils._rebuild_tensor": _rebuild_tensor,
        "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
        "torch._utils._rebuild_parameter": _rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": _rebuild_parameter_with_state,
        "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
    }
    for d in _dtype._ALL:
        allowed[f"torch.{d.name}"] = d
    for name, np_name in _STORAGE_NAMES.items():
        allowed[f"torch.{np_name}"] = _StorageType(np_name, name)
    return allowed


_ALLOWED: dict[str, Any] | None = None


def _allowed() -> dict:
    global _ALLOWED
    if _ALLOWED is None:
        _ALLOWED = _allowed_globals()
    return _ALLOWED


def _refuse_missing_dtype(module: str, name: str) -> None:
    """A torch dtype or storage type minitorch_ref lacks is named as such, not as unsafe."""
    if module == "torch" and (name in _UNSUPPORTED_STORAGES or name in (
            "bfloat16", "complex64", "complex128", "cfloat", "cdouble")):
        raise RuntimeError(f"the checkpoint holds a tensor of dtype torch."
                           f"{_UNSUPPORTED_STORAGES.get(name, name)}, which minitorch_ref "
                           "does not have")


# torch's texts around a weights-only failure (torch/serialization.py, load)
_UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in "
    "`torch.load` from `False` to `True`. Re-running `torch.load` with `weights_only` set to "
    "`False` will likely succeed, but it can result in arbitrary code execution. Do it only if "
    "you got the file from a trusted source.")
_DOCS_MESSAGE = (
    "\n\nCheck the documentation of torch.load to learn more about types accepted by default "
    "with weights_only https://pytorch.org/docs/stable/generated/torch.load.html.")


def _weights_only_message(message: str) -> str:
    """The message torch's load wraps around its weights-only unpickler's error."""
    if re.search(r"GLOBAL (\S+) was not an allowed global by default.", message):
        return ("Weights only load failed. This file can still be loaded, to do so you have two "
                "options, \033[1mdo those steps only if you trust the source of the "
                f"checkpoint\033[0m. \n\t(1) {_UNSAFE_MESSAGE}\n\t(2) Alternatively, to load "
                "with `weights_only=True` please check the recommended steps in the following "
                "error message.\n\tWeightsUnpickler error: " + message + _DOCS_MESSAGE)
    if re.search(r"(\S+) must be (\S+) to load", message):
        return f"Weights only load failed. {message}\n {_UNSAFE_MESSAGE}\n"
    text = f"Weights only load failed. {_UNSAFE_MESSAGE}\n"
    if not re.search(r"whose module (\S+) is blocked", message):
        text += ("Please file an issue with the following so that we can make "
                 "`weights_only=True` compatible with your use case: WeightsUnpickler error: ")
    return text + "\n\n" + message + _DOCS_MESSAGE


_TRUE_VALUES = ("1", "y", "yes", "true")


def _use_weights_only(weights_only, pickle_module) -> bool:
    """Whether ``load`` must use the restricted unpickler. Only an explicit ``False`` (or 0)
    turns it off, or ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` when ``weights_only`` is not passed;
    ``TORCH_FORCE_WEIGHTS_ONLY_LOAD`` turns it on whatever the call says (both as in torch).
    torch also turns it off when ``pickle_module`` is given without ``weights_only``; here a
    ``pickle_module`` alone does not: the file is still read with the restricted unpickler."""
    not_set = weights_only is None
    force = os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in _TRUE_VALUES
    force_no = os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() in _TRUE_VALUES
    if force and force_no:
        raise RuntimeError("Only one of `TORCH_FORCE_WEIGHTS_ONLY_LOAD` or "
                           "`TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` should be set, but both were set.")
    explicit_false = isinstance(weights_only, (int, np.bool_)) and not weights_only
    restricted = not explicit_false
    if force:
        restricted = True
    elif force_no and not_set:
        warnings.warn(
            "Environment variable TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD detected, since the"
            "`weights_only` argument was not explicitly passed to `torch.load`, forcing "
            "weights_only=False.", UserWarning, stacklevel=3)
        restricted = False
    if restricted and pickle_module is not None and (force or not not_set):
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    return restricted


def _python2_name(module: str, name: str) -> tuple[str, str]:
    # protocol-2 pickles may use Python 2 spellings (__builtin__.set); map them as pickle does
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


class _Unpickler(pickle.Unpickler):
    """``weights_only=False``: Python's own unpickler, which may run any code the file names.
    Only torch's names are redirected, to their minitorch_ref counterparts."""

    def __init__(self, file, persistent_load: Callable, **kwargs) -> None:
        super().__init__(file, **kwargs)
        self._persistent_load = persistent_load

    def find_class(self, module: str, name: str):
        module, name = _python2_name(module, name)
        full = f"{module}.{name}"
        if full in _allowed():
            return _allowed()[full]
        _refuse_missing_dtype(module, name)
        if module == "torch" or module.startswith("torch."):
            raise pickle.UnpicklingError(
                f"the checkpoint refers to {full}, which minitorch_ref has no counterpart for")
        return super().find_class(module, name)

    def persistent_load(self, pid):
        return self._persistent_load(pid)


def _restore_location(storage: _Storage, location: str, map_location) -> _Storage:
    """Where a storage saved at ``location`` goes; only the CPU exists here. ``map_location``
    as in torch: a location string or device, a dict from saved to new locations, or a callable
    ``(storage, location) -> storage`` (``None`` from it means: the default placement)."""
    if map_location is None:
        target = location
    elif isinstance(map_location, dict):
        target = map_location.get(location, location)
    elif isinstance(map_location, (str, bytes, device)):
        target = map_location.decode() if isinstance(map_location, bytes) else map_location
    else:
        result = map_location(storage, location)  # torch calls anything else
        if result is None:
            target = location
        elif isinstance(result, _Storage):
            return result
        else:
            raise TypeError(f"map_location returned {type(result).__name__}: a map_location "
                            "callable must return the storage it was given (or another storage) "
                            "or None")
    target = str(target)
    if target.split(":")[0] != "cpu":
        raise RuntimeError(
            f"Attempting to deserialize object on a {target.split(':')[0].upper()} device but "
            "minitorch_ref runs on the CPU only. Please use load with "
            "map_location='cpu' to map your storages to the CPU.")
    return storage


_STORED_CHUNK = 16 << 20        # stored records are read into their buffer 16 MiB at a time
_INFLATE_CHUNK = 256 << 10      # compressed ones are inflated 256 KiB at a time
_SMALL_RECORD = 64              # metadata records (byteorder, ...) are a few bytes
_PICKLE_INFLATION = 64          # a deflated data.pkl may inflate to 64x its size (+1 MiB)


def _corrupted(name: str, why: str) -> RuntimeError:
    return RuntimeError(f"PytorchStreamReader failed reading file {name}: the checkpoint is "
                        f"truncated or corrupted ({why})")


class _Archive:
    """A checkpoint's zip archive. A record's declared sizes are checked against the bytes the
    archive holds, and against what the caller expects, before memory is allocated for it;
    records are then streamed into their final buffer."""

    def __init__(self, f) -> None:
        if isinstance(f, (str, os.PathLike)):
            handle = open(os.fspath(f), "rb")
            self._close = handle.close
        else:
            if not hasattr(f, "read"):
                raise AttributeError("expected 'f' to be string, path, or a file-like object "
                                     "with a 'read' attribute")
            handle = f
            self._close = lambda: None  # noqa: E731 - the caller owns the file object
            if not (hasattr(f, "seekable") and f.seekable()):
                handle = io.BytesIO(f.read())
        try:
            start = handle.tell()
            self.size = handle.seek(0, io.SEEK_END)
            handle.seek(start)
            magic = handle.read(4)
            handle.seek(start)
            if magic == b"":
                raise EOFError("Ran out of input: the checkpoint file is empty")
            if magic[:2] != b"PK":
                raise RuntimeError(
                    "Invalid checkpoint: not a zip archive written by torch.save (files in "
                    "torch's legacy pre-1.6 format or plain pickles are not supported)")
            try:
                self.zf = zipfile.ZipFile(handle)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
                raise RuntimeError(
                    "PytorchStreamReader failed reading zip archive: failed finding central "
                    f"directory. The checkpoint is truncated or corrupted ({e}).") from None
        except BaseException:
            self._close()
            raise
        names = self.zf.namelist()
        if not names:
            self.close()
            raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not found")
        self._refuse_overlaps()
        self.prefix = names[0].split("/", 1)[0]
        self.records = set(names)

    def _refuse_overlaps(self) -> None:
        """Each record must end before the next one starts (and the last before the central
        directory): directory entries pointing into one another's bytes would let one stored
        record be read (and allocated) many times over, a file of N entries making N copies."""
        infos = sorted(self.zf.infolist(), key=lambda i: i.header_offset)
        ends = [i.header_offset for i in infos[1:]] + [self.zf.start_dir]
        for info, limit in zip(infos, ends):
            # 30: the local header before the name; the name and extra field only add to it
            if info.header_offset + 30 + info.compress_size > limit:
                self.close()
                raise RuntimeError(
                    "PytorchStreamReader failed reading zip archive: record "
                    f"{info.filename} overlaps the next one: the checkpoint is truncated or "
                    "corrupted")

    def close(self) -> None:
        self._close()

    def has(self, name: str) -> bool:
        return f"{self.prefix}/{name}" in self.records

    def info(self, name: str) -> zipfile.ZipInfo:
        """The record's directory entry, once its compressed bytes are known to fit in the
        archive (and, stored, to equal its size)."""
        if not self.has(name):
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found")
        info = self.zf.getinfo(f"{self.prefix}/{name}")
        if info.header_offset + 30 + info.compress_size > self.size:
            raise _corrupted(name, f"the record claims {info.compress_size} bytes, more than "
                             "the archive holds")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise _corrupted(name, "stored record whose sizes disagree")
        return info

    def read(self, name: str, limit: int) -> bytes:
        """A whole record of at most ``limit`` bytes."""
        info = self.info(name)
        if info.file_size > limit:
            raise _corrupted(name, f"{info.file_size} bytes, expected at most {limit}")
        out = np.empty(info.file_size, dtype=np.uint8)
        self._stream(info, name, out)
        return out.tobytes()

    def read_pickle(self, name: str) -> bytes:
        info = self.info(name)
        if info.compress_type != zipfile.ZIP_STORED and \
                info.file_size > _PICKLE_INFLATION * info.compress_size + (1 << 20):
            raise _corrupted(name, f"a compressed pickle inflating from {info.compress_size} "
                             f"to {info.file_size} bytes is refused")
        return self.read(name, info.file_size)

    def read_into(self, name: str, nbytes: int) -> np.ndarray:
        """The record as a new uint8 array, which must hold exactly ``nbytes`` bytes."""
        info = self.info(name)
        if info.file_size != nbytes:
            raise RuntimeError(
                f"storage {name} holds {info.file_size} bytes, the checkpoint expects "
                f"{nbytes}: the file is truncated or corrupted")
        out = np.empty(nbytes, dtype=np.uint8)
        self._stream(info, name, out)
        return out

    def _stream(self, info: zipfile.ZipInfo, name: str, out: np.ndarray) -> None:
        """Fill ``out`` with the record: a stored one is read straight into it (its CRC checked
        on the way), a compressed one is inflated a chunk at a time."""
        view = memoryview(out)
        done, size = 0, len(out)
        try:
            if info.compress_type == zipfile.ZIP_STORED:
                fp = self.zf.fp
                fp.seek(self._data_start(fp, info))
                crc = 0
                while done < size:
                    n = fp.readinto(view[done:done + min(_STORED_CHUNK, size - done)])
                    if not n:
                        raise EOFError("record shorter than its declared size")
                    crc = zlib.crc32(view[done:done + n], crc)
                    done += n
                if crc != info.CRC:
                    raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
                return
            with self.zf.open(info) as fh:
                while done < size:
                    chunk = fh.read(min(_INFLATE_CHUNK, size - done))
                    if not chunk:
                        raise EOFError("record shorter than its declared size")
                    view[done:done + len(chunk)] = chunk
                    done += len(chunk)
                if fh.read(1):
                    raise EOFError("record longer than its declared size")
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as e:
            raise _corrupted(name, str(e)) from None

    @staticmethod
    def _data_start(fp, info: zipfile.ZipInfo) -> int:
        """Where a record's bytes begin: after its local header (name and extra field)."""
        fp.seek(info.header_offset)
        header = fp.read(30)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local file header")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        return info.header_offset + 30 + name_len + extra_len

    def data_offset(self, mapped: np.ndarray, info: zipfile.ZipInfo) -> int:
        """Where a stored record's bytes begin in the memory-mapped file."""
        h = info.header_offset
        name_len, extra_len = struct.unpack("<HH", bytes(mapped[h + 26:h + 30]))
        return h + 30 + name_len + extra_len


def load(f: FileLike, map_location=None, pickle_module: Any = None, *,
         weights_only: bool | None = None, mmap: bool | None = None,
         **pickle_load_args: Any) -> Any:
    """Load an object saved by ``torch.save`` or ``minitorch_ref.save``; torch is not needed.

    ``weights_only`` left unset (or ``None``, or ``True``) reads the file with the restricted
    unpickler (``_weights_only_unpickler``): tensors, parameters, containers, numbers, strings
    and the other names torch's weights-only unpickler allows; anything else raises
    ``pickle.UnpicklingError`` naming it, without executing it. Only ``weights_only=False``
    unpickles arbitrary objects: for files you trust. The environment variables
    ``TORCH_FORCE_WEIGHTS_ONLY_LOAD`` / ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` act as in torch.
    Unlike torch, passing ``pickle_module`` without ``weights_only`` does not switch to
    unrestricted loading. ``map_location``: ``None``, ``'cpu'``, a device, a dict of locations
    or a callable ``(storage, location)``; a storage that would land on another device raises,
    since only the CPU exists here. ``mmap=True`` maps the storages of a file given by path
    instead of reading them into memory.
    """
    restricted = _use_weights_only(weights_only, pickle_module)
    if restricted and pickle_load_args:
        warnings.warn("pickle_load_args only works if `weights_only=False`.", stacklevel=2)
    if not restricted and pickle_module not in (None, pickle):
        raise ValueError("minitorch_ref.load reads with the standard pickle module only")
    if mmap and not isinstance(f, (str, os.PathLike)):
        raise ValueError("f must be a file path in order to use the mmap argument")
    pickle_load_args.setdefault("encoding", "utf-8")
    if restricted:
        for k in pickle_load_args:
            if k != "encoding":
                raise TypeError(f"Unpickler.__init__() got an unexpected keyword argument '{k}'")
    archive = _Archive(f)
    try:
        byteorder = "little"
        if archive.has("byteorder"):
            byteorder = archive.read("byteorder", _SMALL_RECORD).decode("ascii", "replace")
            if byteorder not in ("little", "big"):
                raise ValueError("Unknown endianness type: " + byteorder)
        persistent_load = _storage_loader(archive, byteorder, map_location,
                                          np.memmap(os.fspath(f), dtype=np.uint8, mode="c")
                                          if mmap else None)
        data = io.BytesIO(archive.read_pickle("data.pkl"))
        try:
            if not restricted:
                return _Unpickler(data, persistent_load, **pickle_load_args).load()
            try:
                return _restricted_unpickler(data, pickle_load_args["encoding"],
                                             persistent_load).load()
            except pickle.UnpicklingError as e:
                raise pickle.UnpicklingError(_weights_only_message(str(e))) from None
        except EOFError:
            raise RuntimeError("data.pkl ends early: the checkpoint is truncated or "
                               "corrupted") from None
    finally:
        archive.close()


def _restricted_unpickler(file, encoding: str, persistent_load: Callable):
    from .nn.parameter import Parameter
    return _weights_only_unpickler.Unpickler(
        file, encoding=encoding, allowed=_allowed(), persistent_load=persistent_load,
        resolve_global=_refuse_missing_dtype, tensor_types=(Tensor, Parameter),
        parameter_type=Parameter, new_tensor=_construct_tensor,
        set_tensor_state=_set_tensor_state,
        views=_REBUILD_FUNCTIONS + (_rebuild_from_type_v2, _get_layout))


_NATIVE = "<" if sys.byteorder == "little" else ">"


def _storage_loader(archive: _Archive, byteorder: str, map_location,
                    mapped: np.ndarray | None) -> Callable:
    """The ``persistent_load`` of both unpicklers: a storage id becomes a ``_Storage`` read
    from ``data/<key>``, once per key, after its declared size is checked against the record."""
    loaded: dict[str, _Storage] = {}

    def persistent_load(pid) -> _Storage:
        if not (type(pid) is tuple and len(pid) == 5 and pid[0] in ("storage", b"storage")):
            raise pickle.UnpicklingError(
                f"Only persistent_load of storage is allowed, but got {pid!r}")
        _, storage_type, key, location, numel = pid
        if not isinstance(storage_type, _StorageType):
            raise pickle.UnpicklingError(f"unknown storage type {storage_type!r}")
        key = key.decode("ascii") if isinstance(key, bytes) else str(key)
        location = location.decode("ascii") if isinstance(location, bytes) else str(location)
        if key in loaded:
            return loaded[key]
        if type(numel) is not int or numel < 0:
            raise RuntimeError(f"storage data/{key}: invalid element count {numel!r}")
        np_dtype = storage_type.np_dtype
        dtype = np_dtype.newbyteorder("<" if byteorder == "little" else ">")
        nbytes = numel * dtype.itemsize
        name = f"data/{key}"
        if mapped is not None and archive.info(name).compress_type == zipfile.ZIP_STORED:
            info = archive.info(name)
            if info.file_size != nbytes:
                raise RuntimeError(f"storage {name} holds {info.file_size} bytes, the checkpoint "
                                   f"expects {nbytes}: the file is truncated or corrupted")
            start = archive.data_offset(mapped, info)
            raw = mapped[start:start + nbytes]
            if len(raw) != nbytes:
                raise _corrupted(name, "the record runs past the end of the file")
            arr = raw.view(dtype)
            if dtype.byteorder not in ("=", "|") and dtype.byteorder != _NATIVE:
                arr = arr.astype(np_dtype)
        else:
            arr = archive.read_into(name, nbytes).view(dtype)
            if dtype.byteorder not in ("=", "|") and dtype.byteorder != _NATIVE:
                arr = arr.byteswap(inplace=True).view(np_dtype)  # in place: no second copy
        storage = _restore_location(_Storage(arr, "cpu"), location, map_location)
        loaded[key] = storage
        return storage

    return persistent_load
