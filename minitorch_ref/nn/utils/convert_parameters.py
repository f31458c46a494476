"""``parameters_to_vector`` and ``vector_to_parameters``: all parameters as one flat vector
and back."""
from __future__ import annotations

from typing import Iterable

from ..._ops import cat
from ..._tensor import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """The parameters flattened and concatenated, in order (differentiable, like torch's)."""
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Point each parameter's data at its slice of ``vec``, reshaped (``param.data = ...``, as
    torch does: the parameters then share memory with ``vec``)."""
    if not isinstance(vec, Tensor):
        from ..modules.module import _typename
        raise TypeError(f"expected torch.Tensor, but got: {_typename(vec)}")
    pointer = 0
    for param in parameters:
        n = param.numel()
        param.data = vec._data[pointer:pointer + n].reshape(param.shape)
        pointer += n
