"""torch.version: the torch release whose API this library mirrors, and the builds it has.

``__version__`` is ``2.13.0+minitorch_ref.<our version>``: the release part says which torch
API the library follows (version checks take their torch 2.x branches), the local label after
``+`` (where torch's builds say ``+cpu`` or ``+cu121``) says that it is not torch itself.
``cuda``, ``hip``, ``rocm`` and ``xpu`` are None, as in torch's CPU build.
"""
from typing import Optional

__all__ = ["__version__", "debug", "cuda", "git_version", "hip", "rocm", "xpu"]

TORCH_API_VERSION = "2.13.0"  # the torch release the parity tests run against
MINITORCH_REF_VERSION = "0.1.0"
__version__ = f"{TORCH_API_VERSION}+minitorch_ref.{MINITORCH_REF_VERSION}"
debug = False
cuda: Optional[str] = None
git_version = "unknown"
hip: Optional[str] = None
rocm: Optional[str] = None
xpu: Optional[str] = None
