"""torch.cpu: the CPU as a device module (``torch.get_device_module('cpu')``): always
available, one device, nothing asynchronous to wait for."""
from __future__ import annotations

from typing import Any

from . import amp  # noqa: F401
from .._missing import missing_attribute_hook


def is_available() -> bool:
    return True


def device_count() -> int:
    return 1


def current_device() -> str:
    return "cpu"


def synchronize(device: Any = None) -> None:
    """Every op has finished when it returns: nothing to wait for."""


__getattr__ = missing_attribute_hook("torch.cpu")
