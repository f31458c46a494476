"""torch.device, and what happens when a tensor is asked to live anywhere but the CPU.

Every device torch names can be *described* (``device('cuda:0')``, ``device('mps')``), as on a
torch build without accelerators; only the CPU holds tensors. Putting a tensor elsewhere raises
what torch's CPU-only build raises: ``AssertionError: Torch not compiled with CUDA enabled`` for
CUDA, ``RuntimeError: PyTorch is not linked with support for mps devices`` when a tensor is moved
to MPS, and so on (``unavailable`` below holds the table). A script written for a GPU machine
that picks ``'cuda' if torch.cuda.is_available() else 'cpu'`` therefore runs unchanged, and one
that insists on a GPU fails where and as it would with torch.

``set_default_device`` and ``with torch.device(...)`` choose where factories allocate; the CPU
is the only place that works, so they matter for the errors a script gets.
"""
from __future__ import annotations

import builtins
import re
import threading
import warnings

__all__ = ["device", "set_default_device", "get_default_device"]

# the device types torch's parser knows, in the order its error message lists them
DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
                "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                "privateuseone")
_DEVICE_STRING = re.compile(r"([a-zA-Z_]+)(?::([0-9]+))?")
# the dispatch-key names torch's "Could not run" message uses for each backend
_BACKEND_NAMES = {"ipu": "IPU", "hip": "HIP", "ve": "VE", "fpga": "FPGA", "maia": "MAIA",
                  "xla": "XLA", "lazy": "Lazy", "vulkan": "Vulkan", "mps": "MPS"}
NO_ACCELERATOR = "Cannot access accelerator device when none is available."


def _invalid_args(got: str) -> TypeError:
    return TypeError(
        f"device() received an invalid combination of arguments - got ({got}), but expected one "
        "of:\n * (torch.device device)\n      didn't match because some of the arguments have "
        f"invalid types: (!{got}!)\n * (str type, int index = -1)\n")


class device:
    """Where a tensor lives: a type (``'cpu'``, ``'cuda'``, ...) and an optional index.

    ``device('cuda:1')`` equals ``device('cuda', 1)``; a device never equals a string (as in
    torch, ``device('cpu') == 'cpu'`` is False: compare ``.type``). Used as a context manager it
    makes factories allocate there for the duration of the block."""

    __slots__ = ("_type", "_index", "_previous")

    def __init__(self, type, index: int | None = None) -> None:  # noqa: A002 - torch's name
        if isinstance(type, device):
            if index is not None:
                raise TypeError("device(): argument 'type' (position 1) must be str, not "
                                "torch.device")
            type, index = type.type, type.index
        elif isinstance(type, builtins.int) and not isinstance(type, builtins.bool):
            if index is not None:
                raise TypeError("device(): argument 'type' (position 1) must be str, not int")
            # a bare index names the current accelerator's device: there is none here
            raise RuntimeError(NO_ACCELERATOR)
        elif not isinstance(type, str):
            raise _invalid_args(builtins.type(type).__name__)
        if index is not None and (not isinstance(index, builtins.int)
                                  or isinstance(index, builtins.bool)):
            raise TypeError("device(): argument 'index' (position 2) must be int, not "
                            f"{builtins.type(index).__name__}")
        name, parsed = _parse(type)
        if parsed is not None:
            if index is not None:
                raise RuntimeError("type (string) must not include an index because index was "
                                   f"passed explicitly: {type}")
            index = parsed
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        if name == "mkldnn":
            warnings.warn("'mkldnn' is no longer used as device type. So torch.device('mkldnn') "
                          "will be deprecated and removed in the future. Please use other valid "
                          "device types instead.", UserWarning, stacklevel=2)
        object.__setattr__(self, "_type", name)
        object.__setattr__(self, "_index", index)

    @property
    def type(self) -> str:
        return self._type

    @property
    def index(self) -> int | None:
        return self._index

    def __setattr__(self, name, value) -> None:
        if name in ("type", "index"):
            raise AttributeError(f"attribute '{name}' of 'torch.device' objects is not writable")
        raise AttributeError(f"'torch.device' object has no attribute '{name}'")

    def __repr__(self) -> str:
        return f"device(type='{self._type}')" if self._index is None else \
            f"device(type='{self._type}', index={self._index})"

    def __str__(self) -> str:
        return self._type if self._index is None else f"{self._type}:{self._index}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other) -> builtins.bool:
        if not isinstance(other, device):
            return False
        return self._type == other._type and self._index == other._index

    def __ne__(self, other) -> builtins.bool:
        return not self == other

    def __hash__(self) -> builtins.int:
        return hash((self._type, self._index))

    def __reduce__(self):
        return (device, (str(self),))

    def __enter__(self) -> "device":
        """``with torch.device('cpu'):`` factories inside allocate on this device."""
        object.__setattr__(self, "_previous", _default.device)
        _set_default(self)
        return self

    def __exit__(self, *exc) -> None:
        _set_default(self._previous)


def _parse(text: str) -> tuple[str, int | None]:
    if not text:
        raise RuntimeError("Device string must not be empty")
    m = _DEVICE_STRING.fullmatch(text)
    if m is None or (m.group(2) and len(m.group(2)) > 1 and m.group(2)[0] == "0"):
        raise RuntimeError(f"Invalid device string: '{text}'")
    name = m.group(1)
    if name not in DEVICE_TYPES:
        raise RuntimeError(f"Expected one of {', '.join(DEVICE_TYPES)} device type at start of "
                           f"device string: {text}")
    if m.group(2) is None:
        return name, None
    index = builtins.int(m.group(2))
    if index > 2 ** 31 - 1:
        raise RuntimeError(f"Could not parse device index '{m.group(2)}' in device string "
                           f"'{text}'")
    return name, index


def unavailable(dev: device, op: str | None) -> Exception:
    """What torch's CPU-only build raises when a tensor is put on ``dev``: ``op`` names the
    allocating kernel (``'aten::empty.memory_format'`` for factories, ``'aten::empty_strided'``
    for ``*_like``), ``None`` means a copy (``Tensor.to``, ``torch.tensor(data, device=)``)."""
    kind = dev.type
    if kind in ("cuda", "xpu"):
        return AssertionError(f"Torch not compiled with {kind.upper()} enabled")
    if kind == "mtia":
        return AssertionError(
            "Torch not compiled with MTIA enabled. Ensure you have `import "
            "mtia.host_runtime.torch_mtia.dynamic_library` in your python src file and include "
            "`//mtia/host_runtime/torch_mtia:torch_mtia` as your target dependency!")
    if kind in ("hpu", "privateuseone"):
        return ModuleNotFoundError(f"No module named 'torch.{kind}'", name=f"torch.{kind}")
    if kind == "meta":
        from ._missing import missing_feature
        return missing_feature("torch.device('meta')", "meta tensors (device='meta': shapes "
                               "without data) are not implemented in minitorch_ref")
    if kind in _BACKEND_NAMES and (op is not None or kind == "lazy"):
        return NotImplementedError(
            f"Could not run '{op or 'aten::empty.memory_format'}' with arguments from the "
            f"'{_BACKEND_NAMES[kind]}' backend. This could be because the operator doesn't exist "
            "for this backend, or was omitted during the selective/custom build process (if "
            "using custom build).")
    if op is not None:  # mkldnn, opengl, opencl, ideep: torch fails an internal assert
        return RuntimeError(f"tensors cannot be allocated on {kind} devices")
    return RuntimeError(f"PyTorch is not linked with support for {kind} devices")


def check_device(dev, op: str | None = "aten::empty.memory_format") -> None:
    """Raise what torch raises when a tensor is created on (or, with ``op=None``, moved to)
    ``dev``; ``None`` means the default device. Returns quietly for the CPU."""
    if dev is None:
        dev = _default.device
        if dev is None:
            return
    elif dev.__class__ is not device:
        if dev == "cpu":
            return
        dev = device(dev)
    if dev._type != "cpu":
        raise unavailable(dev, op)


class _Default(threading.local):
    device: device | None = None  # None: the CPU, with no check needed


_default = _Default()


def _set_default(dev: device | None) -> None:
    _default.device = None if dev is None or dev.type == "cpu" else dev


def set_default_device(device) -> None:  # noqa: F811 - torch's parameter name
    """Factories without ``device=`` allocate on ``device`` (``None`` or ``'cpu'``: the CPU).
    Any device is accepted, as in torch; off the CPU, the first factory call raises."""
    _set_default(None if device is None else _as_device(device))


def get_default_device() -> device:
    """The device factories allocate on: ``device(type='cpu')`` unless changed. A default
    without an index off the CPU is resolved by allocating there, which raises, as in torch."""
    dev = _default.device
    if dev is None:
        return CPU
    if dev.index is None:
        raise unavailable(dev, None)
    return dev


def _as_device(dev) -> device:
    return dev if isinstance(dev, device) else device(dev)


CPU = device("cpu")
