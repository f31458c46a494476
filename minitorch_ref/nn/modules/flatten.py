"""Flatten and Unflatten: reshapes for use inside ``Sequential``."""
from __future__ import annotations

from ..._tensor import Tensor, _wrap_dim
from .module import Module

__all__ = ["Flatten", "Unflatten"]


def _flatten(input: Tensor, start_dim: int, end_dim: int) -> Tensor:
    """torch.flatten: dims start_dim..end_dim merged into one (a view when possible)."""
    n = input.dim()
    if n == 0:
        return input.reshape(1)
    start, end = _wrap_dim(start_dim, n), _wrap_dim(end_dim, n)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = tuple(input.shape)
    merged = 1
    for s in shape[start:end + 1]:
        merged *= s
    return input.reshape(shape[:start] + (merged,) + shape[end + 1:])


def _unflatten(input: Tensor, dim: int, sizes) -> Tensor:
    """torch.unflatten: dim ``dim`` split into ``sizes`` (one entry may be -1)."""
    shape = tuple(input.shape)
    d = _wrap_dim(dim, len(shape))
    sizes = tuple(sizes)
    if len(sizes) == 0:
        raise RuntimeError("unflatten: sizes must be non-empty")
    known = 1
    for s in sizes:
        if s != -1:
            known *= s
    if -1 in sizes:
        if sizes.count(-1) > 1:
            raise RuntimeError("only one dimension can be inferred")
        if known == 0 or shape[d] % known:
            raise RuntimeError(f"shape '[{', '.join(map(str, sizes))}]' is invalid for input "
                               f"of size {shape[d]}")
    elif known != shape[d]:
        raise RuntimeError(
            f"unflatten: Provided sizes [{', '.join(map(str, sizes))}] don't multiply up to the "
            f"size of dim {dim} ({shape[d]}) in the input tensor")
    return input.reshape(shape[:d] + sizes + shape[d + 1:])


class Flatten(Module):
    """Merge dims ``start_dim`` .. ``end_dim`` into one (default: all but the batch dim)."""

    __constants__ = ["start_dim", "end_dim"]

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return _flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dim ``dim`` into ``unflattened_size`` (a tuple/list of ints or a Size)."""

    __constants__ = ["dim", "unflattened_size"]

    def __init__(self, dim: int, unflattened_size) -> None:
        super().__init__()
        if isinstance(unflattened_size, (tuple, list)):
            for idx, elem in enumerate(unflattened_size):
                if not isinstance(elem, int):
                    raise TypeError("unflattened_size must be tuple of ints, but found element "
                                    f"of type {type(elem).__name__} at pos {idx}")
        else:
            raise TypeError("unflattened_size must be a tuple of ints, but found type "
                            f"{type(unflattened_size).__name__}")
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input: Tensor) -> Tensor:
        return _unflatten(input, self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
