"""torch.amp: autocast regions and gradient scaling (see autocast_mode.py for what autocast
does here: its disabled paths, and a clear error where torch would compute in bfloat16)."""
from .autocast_mode import (  # noqa: F401
    autocast, custom_bwd, custom_fwd, get_autocast_dtype, is_autocast_available,
    is_autocast_cache_enabled, is_autocast_enabled, set_autocast_cache_enabled,
)
from .grad_scaler import GradScaler  # noqa: F401
from .._missing import missing_attribute_hook

__getattr__ = missing_attribute_hook("torch.amp")
