"""torch.xpu (Intel GPUs) as on torch's CPU-only build: nothing is available."""
from __future__ import annotations

from ._missing import missing_attribute_hook


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def manual_seed(seed: int) -> None:
    """No XPU generator exists; accepted as in torch."""
    int(seed)


def manual_seed_all(seed: int) -> None:
    """No XPU generator exists; accepted as in torch."""
    int(seed)


def empty_cache() -> None:
    """No device memory to release."""


def synchronize(device=None) -> None:
    raise AssertionError("Torch not compiled with XPU enabled")


__getattr__ = missing_attribute_hook("torch.xpu")
