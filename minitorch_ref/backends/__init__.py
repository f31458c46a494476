"""torch.backends flags that scripts set for reproducibility; they change nothing here (NumPy
on the CPU is deterministic), but assigning them works as in torch."""
from __future__ import annotations

from types import SimpleNamespace

cudnn = SimpleNamespace(deterministic=False, benchmark=False, enabled=True,
                        is_available=lambda: False)
mps = SimpleNamespace(is_available=lambda: False, is_built=lambda: False)
