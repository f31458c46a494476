"""torchvision.transforms.v2.functional's import path for minitorch_ref.transforms.functional."""
from ..functional import *  # noqa: F401,F403
from ..functional import __all__  # noqa: F401
