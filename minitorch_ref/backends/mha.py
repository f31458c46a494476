"""torch.backends.mha: whether MultiheadAttention and the Transformer encoder take their
inference fast paths. Those give the general path's numbers except where torch's fast kernels
differ (rows whose keys are all masked, padded positions of TransformerEncoder);
nn/modules/activation.py and transformer.py reproduce those differences."""
from __future__ import annotations

_is_fastpath_enabled: bool = True


def get_fastpath_enabled() -> bool:
    return _is_fastpath_enabled


def set_fastpath_enabled(value: bool) -> None:
    global _is_fastpath_enabled
    _is_fastpath_enabled = value
