"""torch.backends.cpu."""
from __future__ import annotations


def get_cpu_capability() -> str:
    """The vector instruction set torch's kernels use; NumPy picks its own at run time, so
    this names none ("DEFAULT" is torch's name for plain scalar code)."""
    return "DEFAULT"
