"""torch.autograd.Variable: the pre-0.4 wrapper, kept by torch for old code.

``Variable(t, requires_grad=True)`` gives a tensor sharing ``t``'s memory and version counter,
without ``t``'s history (``t.detach()``), with ``requires_grad`` set; ``volatile`` has no effect
(torch warns). ``isinstance(x, Variable)`` is true for every tensor."""
from __future__ import annotations

import warnings

import numpy as np

from .._tensor import Tensor, _new_tensor

__all__ = ["Variable", "VariableMeta"]


class VariableMeta(type):
    """Every tensor is a Variable; calling the class builds a plain tensor."""

    def __instancecheck__(cls, other) -> bool:
        return isinstance(other, Tensor)

    def __call__(cls, data=None, requires_grad: bool = False, volatile: bool = False, *,
                 name=None, _grad_fn=None, **kwargs):
        if kwargs:
            raise TypeError(
                f"'{next(iter(kwargs))}' is an invalid keyword argument for this function")
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with "
                          "torch.no_grad():` instead.", UserWarning, stacklevel=2)
        if data is None:
            data = _new_tensor(np.empty((0,), dtype=np.float32))
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        t = data.detach()
        if requires_grad and t._data.dtype.kind != "f":
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = bool(requires_grad)
        return t


class Variable(metaclass=VariableMeta):
    """``Variable(data, requires_grad=False, volatile=False)``: see the module docstring."""
