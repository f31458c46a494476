"""torch.backends.openmp: torch links openmp into its CPU build; this library does not (NumPy's own
BLAS does the work), so it is not available here."""
from __future__ import annotations


def is_available() -> bool:
    return False
