"""Padding modules: ``F.pad`` with a fixed padding and mode. ``padding`` is stored as torch
stores it: an int becomes one value per side, (left, right[, top, bottom[, front, back]])."""
from __future__ import annotations

from ..._tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ZeroPad1d", "ZeroPad2d",
           "ZeroPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
           "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d",
           "CircularPad2d", "CircularPad3d"]


def _sides(padding, n: int) -> tuple:
    return tuple(padding) if isinstance(padding, (list, tuple)) else (padding,) * n


class _PadNd(Module):
    __constants__ = ["padding"]
    _sides = 2
    _mode = "constant"

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = _sides(padding, self._sides)

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    __constants__ = ["padding", "value"]

    def __init__(self, padding, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with ``value``."""
    _sides = 2


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two dims with ``value``."""
    _sides = 4


class ConstantPad3d(_ConstantPadNd):
    """Pad the last three dims with ``value``."""
    _sides = 6


class ZeroPad1d(ConstantPad1d):
    """Pad the last dim with zeros."""

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pad the last two dims with zeros."""

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad3d(ConstantPad3d):
    """Pad the last three dims with zeros."""

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ReflectionPad1d(_PadNd):
    """Mirror the last dim at its borders (the border itself is not repeated)."""
    _sides, _mode = 2, "reflect"


class ReflectionPad2d(_PadNd):
    """Mirror the last two dims at their borders."""
    _sides, _mode = 4, "reflect"


class ReflectionPad3d(_PadNd):
    """Mirror the last three dims at their borders."""
    _sides, _mode = 6, "reflect"


class ReplicationPad1d(_PadNd):
    """Repeat the border values of the last dim."""
    _sides, _mode = 2, "replicate"


class ReplicationPad2d(_PadNd):
    """Repeat the border values of the last two dims."""
    _sides, _mode = 4, "replicate"


class ReplicationPad3d(_PadNd):
    """Repeat the border values of the last three dims."""
    _sides, _mode = 6, "replicate"


class _CircularPadNd(_PadNd):
    _mode = "circular"
    _dims = (2, 3)

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() not in self._dims:
            raise ValueError(f"expected {self._dims[0]}D or {self._dims[1]}D input (got "
                             f"{input.dim()}D input)")
        return F.pad(input, self.padding, "circular")


class CircularPad1d(_CircularPadNd):
    """Wrap the last dim around (periodic padding)."""
    _sides, _dims = 2, (2, 3)


class CircularPad2d(_CircularPadNd):
    """Wrap the last two dims around (periodic padding)."""
    _sides, _dims = 4, (3, 4)


class CircularPad3d(_CircularPadNd):
    """Wrap the last three dims around (periodic padding)."""
    _sides, _dims = 6, (4, 5)
