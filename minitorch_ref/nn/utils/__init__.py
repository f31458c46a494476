"""torch.nn.utils: gradient clipping, parameter/vector conversion, penalties."""

# -- penalties (losses) ---------------------------------------------------------------------------
from .penalties import l1_penalty, l2_penalty, penalized_loss  # noqa: F401,E402
