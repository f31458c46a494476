"""torch.backends.cudnn: cuDNN is not available (torch's CPU build); its flags keep torch's
defaults and accept assignment."""
from __future__ import annotations

enabled = True
benchmark = False
benchmark_limit: int | None = None
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    return False


def version() -> None:
    """The cuDNN version: None without cuDNN."""
    return None


def is_acceptable(tensor) -> bool:
    """Whether cuDNN would take this tensor: never, without CUDA."""
    return False
