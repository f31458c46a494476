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

Loading never imports torch. ``weights_only=True`` (the default, as in torch >= 2.6) unpickles
with an allow-list of globals: the names torch's weights-only unpickler accepts (tensor rebuild
functions, storage types, dtypes, ``torch.Size``, ``torch.device``, ``collections.OrderedDict``,
``builtins.set``, ...), each mapped to its minitorch_ref counterpart. Any other global is refused
*when the pickle names it*, before anything could be called, so a file carrying ``os.system``
raises ``pickle.UnpicklingError`` and runs nothing.

Saving to a path is atomic: the archive is written to a temporary file in the same folder and
moved over the destination with ``os.replace`` only once it is complete, so a save that fails
half-way (an unpicklable object, a full disk) leaves the previous file untouched.
"""
from __future__ import annotations

import _compat_pickle
import collections
import contextlib
import io
import os
import pickle
import secrets
import struct
import sys
import tempfile
import zipfile
import zlib
from typing import IO, Any, Callable, Union

import numpy as np

from . import _dtype
from ._tensor import Size, Tensor, _new_tensor, device

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals",
           "safe_globals", "DEFAULT_PROTOCOL"]

FileLike = Union[str, os.PathLike, IO[bytes]]

DEFAULT_PROTOCOL = 2          # torch.save's default pickle protocol
_STORAGE_ALIGNMENT = 64       # torch aligns every record's data to 64 bytes
_FORMAT_VERSION = "1"         # .format_version: storages numbered, not sorted by name
_FILE_VERSION = "3\n"         # the "version" record torch 2.x writes

# torch's storage class name for each dtype we have (the name is what the pickle records).
_STORAGE_NAMES = {
    "float64": "DoubleStorage", "float32": "FloatStorage", "float16": "HalfStorage",
    "int64": "LongStorage", "int32": "IntStorage", "int16": "ShortStorage",
    "int8": "CharStorage", "uint8": "ByteStorage", "bool": "BoolStorage",
}
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
        stride = _contiguous_strides(arr.shape) if arr.size <= 1 else tuple(
            (s // item) if n > 1 else c
            for s, n, c in zip(strides, arr.shape, _contiguous_strides(arr.shape)))
        return ref, offset_bytes // item, stride


def _contiguous_strides(shape) -> tuple:
    strides, acc = [], 1
    for n in reversed(shape):
        strides.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(strides))


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
    ``weights_only=False``, as in torch. The whole object is pickled before anything is
    written, so an unpicklable object leaves ``f`` untouched; a path is moreover written
    atomically (a temporary file in the same folder, moved over ``f`` with ``os.replace`` once
    complete), so that no failure leaves a half-written file in place of a good one.
    """
    if pickle_module is not pickle:
        raise ValueError("minitorch_ref.save writes with the standard pickle module only")
    is_path = isinstance(f, (str, os.PathLike))
    if not is_path and not hasattr(f, "write"):
        raise AttributeError(
            "expected 'f' to be string, path, or a file-like object with a 'write' attribute")
    records = _pickle_records(obj, pickle_protocol)
    if is_path:
        path = os.fspath(f)
        _atomic_write(path, lambda out: _write_zip(records, out, _archive_name(path)))
    else:
        _write_zip(records, f, "archive")


def _atomic_write(path: str, write: Callable[[IO[bytes]], None]) -> None:
    """Run ``write(file)`` on a temporary file next to ``path``, then move it over ``path``."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates the file with mode 0600; give it the mode a plain open() would
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
    """A loaded storage: one flat array that the tensors viewing it share."""

    __slots__ = ("array", "location")

    def __init__(self, array: np.ndarray, location: str) -> None:
        self.array = array
        self.location = location


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
    if numel == 0:
        return _new_tensor(np.empty(size, dtype=flat.dtype))
    extent = storage_offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1
    if extent > flat.size:
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset "
            f"{storage_offset}, and itemsize {flat.itemsize} requiring a storage size of "
            f"{extent * flat.itemsize} are out of bounds for storage of size "
            f"{flat.size * flat.itemsize}")
    item = flat.itemsize
    # a view on the shared flat array (base = flat), so tensors that shared memory still do
    arr = np.ndarray(size, dtype=flat.dtype, buffer=flat, offset=storage_offset * item,
                     strides=tuple(s * item for s in stride))
    return _new_tensor(arr)


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
_BLOCKED_MODULES = ("sys", "os", "posix", "nt")
_user_safe_globals: dict[str, Any] = {}


def add_safe_globals(safe_globals: list) -> None:
    """Allow more globals in ``weights_only`` loading: objects, or ``(object, "module.name")``."""
    for g in safe_globals:
        if isinstance(g, tuple):
            obj, name = g
        else:
            obj, name = g, f"{g.__module__}.{g.__qualname__}"
        _user_safe_globals[name] = obj


def get_safe_globals() -> list:
    return list(_user_safe_globals.values())


def clear_safe_globals() -> None:
    _user_safe_globals.clear()


@contextlib.contextmanager
def safe_globals(safe_globals: list):
    """Context manager form of ``add_safe_globals``."""
    before = dict(_user_safe_globals)
    add_safe_globals(safe_globals)
    try:
        yield
    finally:
        _user_safe_globals.clear()
        _user_safe_globals.update(before)


def _weights_only_error(detail: str) -> pickle.UnpicklingError:
    return pickle.UnpicklingError(
        f"Weights only load failed. {detail} Re-running `load` with `weights_only=False` can "
        "execute arbitrary code: do it only for files from a trusted source.")


def _python2_name(module: str, name: str) -> tuple[str, str]:
    # protocol-2 pickles may use Python 2 spellings (__builtin__.set); map them as pickle does
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


class _Unpickler(pickle.Unpickler):
    """Resolves torch's names to minitorch_ref objects; with ``restricted`` only the allow-list.

    The check happens in ``find_class``, i.e. when the GLOBAL opcode is read: a refused name
    raises before any REDUCE could call it, so a hostile file executes nothing.
    """

    def __init__(self, file, restricted: bool, load_storage: Callable, **kwargs) -> None:
        super().__init__(file, **kwargs)
        self._restricted = restricted
        self._load_storage = load_storage

    def find_class(self, module: str, name: str):
        module, name = _python2_name(module, name)
        full = f"{module}.{name}"
        global _ALLOWED
        if _ALLOWED is None:
            _ALLOWED = _allowed_globals()
        if full in _ALLOWED:
            return _ALLOWED[full]
        storage = name if module == "torch" else None
        if storage in _UNSUPPORTED_STORAGES or (
                module == "torch" and name in ("bfloat16", "complex64", "complex128", "cfloat",
                                               "cdouble")):
            raise RuntimeError(f"the checkpoint holds a tensor of dtype torch."
                               f"{_UNSUPPORTED_STORAGES.get(name, name)}, which minitorch_ref "
                               "does not have")
        if self._restricted:
            if module in _BLOCKED_MODULES:
                raise _weights_only_error(
                    f"Trying to load unsupported GLOBAL {full} whose module {module} is "
                    "blocked.")
            if full in _user_safe_globals:
                return _user_safe_globals[full]
            shown = name if module == "builtins" else full
            raise _weights_only_error(
                f"Unsupported global: GLOBAL {shown} was not an allowed global by default.")
        if module == "torch" or module.startswith("torch."):
            raise pickle.UnpicklingError(
                f"the checkpoint refers to {full}, which minitorch_ref has no counterpart for")
        return super().find_class(module, name)

    def persistent_load(self, pid):
        if not (type(pid) is tuple and len(pid) == 5 and pid[0] in ("storage", b"storage")):
            raise _weights_only_error(
                f"Only persistent_load of storage is allowed, but got {pid!r}")
        _, storage_type, key, location, numel = pid
        if not isinstance(storage_type, _StorageType):
            raise _weights_only_error(f"unknown storage type {storage_type!r}")
        key = key.decode("ascii") if isinstance(key, bytes) else str(key)
        location = location.decode("ascii") if isinstance(location, bytes) else str(location)
        return self._load_storage(storage_type.np_dtype, key, location, numel)


def _resolve_location(location: str, map_location) -> str:
    """Where a storage saved at ``location`` goes; only the CPU exists here."""
    if map_location is None:
        target = location
    elif isinstance(map_location, dict):
        target = map_location.get(location, location)
    elif isinstance(map_location, (str, device)):
        target = str(map_location)
    else:
        raise TypeError(f"map_location must be None, a string, a device or a dict here; "
                        f"got {type(map_location).__name__}")
    target = str(target)
    if target.split(":")[0] != "cpu":
        raise RuntimeError(
            f"Attempting to deserialize object on a {target.split(':')[0].upper()} device but "
            "minitorch_ref runs on the CPU only. Please use load with "
            "map_location='cpu' to map your storages to the CPU.")
    return "cpu"


def _open_archive(f) -> tuple[zipfile.ZipFile, Callable[[], None]]:
    if isinstance(f, (str, os.PathLike)):
        handle = open(os.fspath(f), "rb")
        close = handle.close
    else:
        if not hasattr(f, "read"):
            raise AttributeError("expected 'f' to be string, path, or a file-like object with "
                                 "a 'read' attribute")
        handle = f
        close = lambda: None  # noqa: E731 - the caller owns the file object
        if not (hasattr(f, "seekable") and f.seekable()):
            handle = io.BytesIO(f.read())
    start = handle.tell()
    magic = handle.read(4)
    handle.seek(start)
    if magic == b"":
        close()
        raise EOFError("Ran out of input: the checkpoint file is empty")
    if magic[:2] != b"PK":
        close()
        raise RuntimeError(
            "Invalid checkpoint: not a zip archive written by torch.save (files in torch's "
            "legacy pre-1.6 format or plain pickles are not supported)")
    try:
        zf = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        close()
        raise RuntimeError(
            "PytorchStreamReader failed reading zip archive: failed finding central directory. "
            f"The checkpoint is truncated or corrupted ({e}).") from None
    return zf, close


def load(f: FileLike, map_location=None, pickle_module: Any = None, *,
         weights_only: bool = True, mmap: bool | None = None, **pickle_load_args: Any) -> Any:
    """Load an object saved by ``torch.save`` or ``minitorch_ref.save``; torch is not needed.

    ``weights_only=True`` (the default) accepts only tensors, parameters, containers, numbers,
    strings and the other names torch's weights-only unpickler allows, and raises
    ``pickle.UnpicklingError`` naming any other global without executing it.
    ``weights_only=False`` unpickles arbitrary objects: only for files you trust.
    ``map_location``: ``None``, ``'cpu'``, ``device('cpu')`` or a dict of locations; a storage
    that would land on another device raises, since only the CPU exists here. ``mmap=True``
    maps the storages of a file given by path instead of reading them into memory.
    """
    if pickle_module not in (None, pickle):
        raise ValueError("minitorch_ref.load reads with the standard pickle module only")
    if mmap and not isinstance(f, (str, os.PathLike)):
        raise ValueError("f must be a file path in order to use the mmap argument")
    zf, close = _open_archive(f)
    try:
        names = zf.namelist()
        if not names:
            raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not found")
        prefix = names[0].split("/", 1)[0]
        records = set(names)

        def record(name: str) -> bytes:
            full = f"{prefix}/{name}"
            if full not in records:
                raise RuntimeError(
                    f"PytorchStreamReader failed locating file {name}: file not found")
            try:
                return zf.read(full)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as e:
                raise RuntimeError(f"PytorchStreamReader failed reading file {name}: the "
                                   f"checkpoint is truncated or corrupted ({e})") from None

        def record_bytes(name: str) -> bytearray:
            """A record read straight into a writable buffer (the storage's final home)."""
            full = f"{prefix}/{name}"
            if full not in records:
                raise RuntimeError(
                    f"PytorchStreamReader failed locating file {name}: file not found")
            buf = bytearray(zf.getinfo(full).file_size)
            try:
                with zf.open(full) as fh:
                    n = fh.readinto(buf)
                    if n != len(buf) or fh.read(1):
                        raise EOFError("record size mismatch")
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as e:
                raise RuntimeError(f"PytorchStreamReader failed reading file {name}: the "
                                   f"checkpoint is truncated or corrupted ({e})") from None
            return buf

        byteorder = "little"
        if f"{prefix}/byteorder" in records:
            byteorder = record("byteorder").decode()
            if byteorder not in ("little", "big"):
                raise ValueError("Unknown endianness type: " + byteorder)
        loaded: dict[str, _Storage] = {}
        mapped = np.memmap(os.fspath(f), dtype=np.uint8, mode="c") if mmap else None

        def load_storage(np_dtype: np.dtype, key: str, location: str, numel) -> _Storage:
            if key in loaded:
                return loaded[key]
            _resolve_location(location, map_location)
            dtype = np_dtype.newbyteorder("<" if byteorder == "little" else ">")
            if mapped is not None:
                info = zf.getinfo(f"{prefix}/data/{key}")
                start = _record_data_offset(mapped, info)
                raw = mapped[start:start + info.file_size]
            else:
                raw = record_bytes(f"data/{key}")
            if type(numel) is not int or len(raw) != numel * dtype.itemsize:
                raise RuntimeError(
                    f"storage data/{key} holds {len(raw)} bytes, the checkpoint expects {numel} "
                    f"elements of {np_dtype}: the file is truncated or corrupted")
            arr = np.frombuffer(raw, dtype=dtype) if mapped is None else raw.view(dtype)
            if dtype.byteorder not in ("=", "|") and dtype.byteorder != _NATIVE:
                arr = arr.astype(np_dtype)
            storage = _Storage(arr, "cpu")
            loaded[key] = storage
            return storage

        pickle_load_args.setdefault("encoding", "utf-8")
        unpickler = _Unpickler(io.BytesIO(record("data.pkl")), bool(weights_only),
                               load_storage, **pickle_load_args)
        try:
            return unpickler.load()
        except EOFError:
            raise RuntimeError("data.pkl ends early: the checkpoint is truncated or "
                               "corrupted") from None
    finally:
        close()


_NATIVE = "<" if sys.byteorder == "little" else ">"


def _record_data_offset(mapped: np.ndarray, info: zipfile.ZipInfo) -> int:
    """Where a stored record's bytes begin: after its local header (name and extra field)."""
    h = info.header_offset
    name_len, extra_len = struct.unpack("<HH", bytes(mapped[h + 26:h + 30]))
    return h + 30 + name_len + extra_len
