"""torch.backends.opt_einsum: the opt_einsum package is not used (as in a torch install without
it): not available; the flags keep torch's defaults and change nothing."""
from __future__ import annotations

enabled = False
strategy: str | None = None


def is_available() -> bool:
    return False
