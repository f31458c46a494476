"""Data augmentation in the image of ``torchvision.transforms.v2``: transform classes here,
deterministic operations in ``functional``. ``minitorch_ref.transforms.v2`` is the same thing
under torchvision's import path (``from minitorch_ref.transforms import v2``).

Images are float tensors ``(C, H, W)`` or batches ``(N, C, H, W)`` with values in ``[0, 1]``.
Random parameters come from minitorch_ref's default generator in torchvision's order. See
docs/data.md.
"""
from . import functional  # noqa: F401
from .functional import InterpolationMode  # noqa: F401
from .transforms import *  # noqa: F401,F403
from .transforms import __all__ as _transforms_all
from . import v2  # noqa: F401

__all__ = ["functional", "InterpolationMode"] + _transforms_all
