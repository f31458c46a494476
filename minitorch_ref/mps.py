"""torch.mps (Apple GPUs) as on a machine without one: nothing is available; seeding is
accepted, and the calls that need the device raise torch's RuntimeError."""
from __future__ import annotations

from ._missing import missing_attribute_hook


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def manual_seed(seed: int) -> None:
    """No MPS generator exists; accepted as in torch."""
    int(seed)


def seed() -> None:
    """No MPS generator exists."""


def synchronize() -> None:
    raise RuntimeError("Cannot execute deviceSynchronize() without MPS backend.")


def empty_cache() -> None:
    raise RuntimeError("Cannot execute emptyCache() without MPS backend.")


__getattr__ = missing_attribute_hook("torch.mps")
