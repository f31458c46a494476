"""torch.accelerator: the device-neutral API for whatever accelerator a machine has. There is
none here, as on torch's CPU-only build: ``is_available()`` is False, ``current_accelerator()``
None, ``device_count()`` 0, and the calls that need a device raise torch's RuntimeError."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

from ._device import NO_ACCELERATOR, device
from ._missing import missing_attribute_hook

__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index",
           "set_device_index", "synchronize", "empty_cache", "memory_allocated",
           "max_memory_allocated", "memory_reserved", "max_memory_reserved", "memory_stats",
           "get_memory_info", "reset_peak_memory_stats", "reset_accumulated_memory_stats",
           "device_index", "current_stream", "get_device_capability", "empty_host_cache"]


def is_available() -> bool:
    return False


def current_accelerator(check_available: bool = False) -> device | None:
    """The accelerator's device type, ``None`` when there is none (always, here)."""
    return None


def device_count() -> int:
    return 0


def _none(*args: Any) -> Any:
    raise RuntimeError(NO_ACCELERATOR)


current_device_index = current_device_idx = synchronize = empty_cache = memory_allocated = \
    max_memory_allocated = memory_reserved = max_memory_reserved = get_memory_info = \
    reset_peak_memory_stats = reset_accumulated_memory_stats = current_stream = \
    get_device_capability = empty_host_cache = _none


def memory_stats(device_index: Any = None, /) -> "OrderedDict[str, Any]":
    raise RuntimeError(NO_ACCELERATOR)


def set_device_index(device: Any, /) -> None:  # noqa: F811 - torch's parameter name
    if device is None:
        raise ValueError("Expected a torch.device with a specified index or an integer, but "
                         f"got:{device}")
    raise RuntimeError(NO_ACCELERATOR)


set_device_idx = set_device_index


class device_index:
    """``with torch.accelerator.device_index(i):`` selects an accelerator; ``None`` selects
    nothing, any index fails here."""

    def __init__(self, device: int | None, /) -> None:  # noqa: F811
        self.idx = device

    def __enter__(self) -> None:
        if self.idx is not None:
            raise RuntimeError(NO_ACCELERATOR)

    def __exit__(self, *exc: Any) -> bool:
        return False


__getattr__ = missing_attribute_hook("torch.accelerator")
