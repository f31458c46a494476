"""torch.utils."""
from . import data  # noqa: F401
from . import hooks  # noqa: F401
from . import checkpoint  # noqa: F401
from . import early_stopping  # noqa: F401  (not in torch: see docs/data.md)
