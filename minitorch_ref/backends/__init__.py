"""torch.backends flags that scripts set for reproducibility; they change nothing here (NumPy
on the CPU is deterministic), but assigning them works as in torch."""
from __future__ import annotations

from types import SimpleNamespace

cudnn = SimpleNamespace(deterministic=False, benchmark=False, enabled=True,
                        is_available=lambda: False)
mps = SimpleNamespace(is_available=lambda: False, is_built=lambda: False)


class _MHA:
    """torch.backends.mha: whether MultiheadAttention and the Transformer encoder take their
    inference fast paths. Those give the general path's numbers except where torch's fast
    kernels differ (rows whose keys are all masked, padded positions of TransformerEncoder);
    nn/modules/activation.py and transformer.py reproduce those differences."""

    def __init__(self) -> None:
        self._is_fastpath_enabled = True

    def get_fastpath_enabled(self) -> bool:
        return self._is_fastpath_enabled

    def set_fastpath_enabled(self, value: bool) -> None:
        self._is_fastpath_enabled = value


mha = _MHA()
