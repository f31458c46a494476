"""torch.backends.mkldnn: torch links mkldnn into its CPU build; this library does not (NumPy's own
BLAS does the work), so it is not available here."""
from __future__ import annotations

enabled = True


def is_available() -> bool:
    return False
