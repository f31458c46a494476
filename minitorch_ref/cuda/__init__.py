"""torch.cuda as torch's CPU-only build has it: nothing is available, and the calls that need a
device raise what that build raises.

Scripts written for GPU machines run unchanged: ``'cuda' if torch.cuda.is_available() else
'cpu'``, ``torch.cuda.manual_seed_all(s)``, ``torch.cuda.empty_cache()`` and the memory counters
work (no device, zero bytes); ``torch.cuda.synchronize()``, ``current_device()``,
``get_device_name()`` and the like raise ``AssertionError: Torch not compiled with CUDA enabled``
as torch's CPU build does, so a script that needs a GPU fails where and as it would with torch.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

from .._device import NO_ACCELERATOR, device as _device
from .. import OutOfMemoryError  # noqa: F401  (torch.cuda.OutOfMemoryError is torch's)
from .._missing import missing_attribute_hook
from . import amp  # noqa: F401

_NOT_COMPILED = "Torch not compiled with CUDA enabled"


def _no_cuda(*args: Any, **kwargs: Any):
    raise AssertionError(_NOT_COMPILED)


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def is_initialized() -> bool:
    return False


def is_bf16_supported(including_emulation: bool = True) -> bool:
    return False


def is_tf32_supported() -> bool:
    return False


def get_arch_list() -> list[str]:
    return []


# seeding: there is no CUDA generator; torch accepts these calls on its CPU build (it queues
# them for a CUDA initialisation that never comes), and so do we
def manual_seed(seed: int) -> None:
    int(seed)


def manual_seed_all(seed: int) -> None:
    int(seed)


def seed() -> None:
    """No CUDA generator to seed."""


def seed_all() -> None:
    """No CUDA generator to seed."""


def get_rng_state_all() -> list:
    return []


def set_rng_state(new_state, device="cuda") -> None:
    """Accepted, as in torch's CPU build (the state would be applied at CUDA initialisation)."""


def set_rng_state_all(new_states) -> None:
    """Accepted, as in torch's CPU build."""


# memory: nothing is allocated on a device that does not exist
def empty_cache() -> None:
    """No device memory to release."""


def memory_allocated(device=None) -> int:
    return 0


def max_memory_allocated(device=None) -> int:
    return 0


def memory_reserved(device=None) -> int:
    return 0


def max_memory_reserved(device=None) -> int:
    return 0


def memory_stats(device=None) -> "OrderedDict[str, Any]":
    return OrderedDict()


# what needs a device raises as torch's CPU build does
synchronize = current_device = get_device_name = get_device_capability = \
    get_device_properties = init = ipc_collect = mem_get_info = current_stream = \
    default_stream = current_blas_handle = initial_seed = get_rng_state = \
    set_per_process_memory_fraction = _no_cuda


class device:
    """``with torch.cuda.device(i):`` selects a CUDA device; entering it fails without CUDA
    (``device(-1)`` or ``None`` selects nothing and passes)."""

    def __init__(self, device: Any) -> None:
        if isinstance(device, _device):
            self.idx = device.index if device.index is not None else -1
        elif isinstance(device, str):
            self.idx = _device(device).index or 0
        else:
            self.idx = -1 if device is None else int(device)

    def __enter__(self) -> None:
        if self.idx != -1:
            raise RuntimeError("PyTorch was compiled without CUDA support")

    def __exit__(self, *exc: Any) -> bool:
        return False


class device_of(device):
    """``device_of(tensor)``: the tensor's CUDA device, or nothing for a CPU tensor (always)."""

    def __init__(self, obj: Any) -> None:
        super().__init__(-1)


def set_device(device: Any) -> None:
    """Selecting a CUDA device fails without CUDA (a negative index selects nothing)."""
    idx = _device(device).index if isinstance(device, (str, _device)) else int(device)
    if idx is not None and idx >= 0:
        raise RuntimeError(NO_ACCELERATOR)


class StreamContext:
    """``torch.cuda.stream(None)`` is a no-op context in torch's CPU build."""

    def __init__(self, stream: Any) -> None:
        if stream is not None:
            raise AssertionError(_NOT_COMPILED)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> bool:
        return False


def stream(stream: Any) -> StreamContext:
    return StreamContext(stream)


class Stream:
    def __new__(cls, *args: Any, **kwargs: Any):
        raise RuntimeError("torch.cuda.Stream requires CUDA support")


class Event:
    def __new__(cls, *args: Any, **kwargs: Any):
        raise RuntimeError("Tried to instantiate dummy base class Event")


__getattr__ = missing_attribute_hook("torch.cuda")
