"""torch.cuda on a CPU-only library: nothing is available, seeding calls are accepted.

Small torch scripts commonly write ``device = 'cuda' if torch.cuda.is_available() else 'cpu'``
and ``torch.cuda.manual_seed_all(s)``; both run unchanged."""
from __future__ import annotations


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def manual_seed(seed: int) -> None:
    """No CUDA generator exists; accepted so that seeding code runs unchanged."""


def manual_seed_all(seed: int) -> None:
    """No CUDA generator exists; accepted so that seeding code runs unchanged."""


def synchronize(device=None) -> None:
    """Nothing runs asynchronously here."""


def empty_cache() -> None:
    """No device memory to release."""
