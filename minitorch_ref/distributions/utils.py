"""torch.distributions.utils: parameter broadcasting, probs <-> logits, lazy properties.

The distributions are written against this library's public API, bound to the name ``torch``
so that each line reads as the torch expression it mirrors.
"""
from __future__ import annotations

from functools import update_wrapper
from typing import Any, Callable

import minitorch_ref as torch
from .._tensor import Size, Tensor

__all__ = ["broadcast_all", "logits_to_probs", "clamp_probs", "probs_to_logits",
           "lazy_property", "tril_matrix_to_vec", "vec_to_tril_matrix"]

euler_constant = 0.57721566490153286060  # Euler-Mascheroni constant

# torch.types._Number: the Python numbers a distribution takes in place of a tensor
_Number = (int, float, bool)


def broadcast_all(*values) -> tuple:
    """The arguments as tensors broadcast to one shape. Numbers become tensors of the first
    tensor argument's dtype, or of the default dtype when all are numbers."""
    if not all(isinstance(v, (Tensor, *_Number)) for v in values):
        raise ValueError("Input arguments must all be instances of Number, torch.Tensor or "
                         "objects implementing __torch_function__.")
    if not all(isinstance(v, Tensor) for v in values):
        dtype = next((v.dtype for v in values if isinstance(v, Tensor)),
                     torch.get_default_dtype())
        values = [v if isinstance(v, Tensor) else torch.tensor(v, dtype=dtype) for v in values]
    return torch.broadcast_tensors(*values)


def _count_and_param(dist, total_count, probs, logits) -> Size:
    """A count-of-trials distribution's parameters (Binomial, NegativeBinomial): exactly one of
    ``probs``/``logits``, broadcast with ``total_count``, the count in the parameter's dtype.
    Sets them on ``dist`` and returns the batch shape."""
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")
    name, value = ("probs", probs) if probs is not None else ("logits", logits)
    count, param = broadcast_all(total_count, value)
    dist.total_count = count.type_as(param)
    setattr(dist, name, param)
    dist._param = param
    return param.size()


def _expand_count_and_param(dist, new, batch_shape: Size) -> None:
    """``expand`` of ``_count_and_param``'s parameters (whichever of probs/logits ``dist`` holds
    by now, both once the other was derived)."""
    new.total_count = dist.total_count.expand(batch_shape)
    for name in ("probs", "logits"):
        if name in dist.__dict__:
            setattr(new, name, getattr(dist, name).expand(batch_shape))
            new._param = getattr(new, name)


def _standard_normal(shape, dtype, device) -> Tensor:
    """N(0, 1) draws of ``shape``, taken from the stream as ``empty(shape).normal_()``
    takes them (torch's path outside tracing)."""
    return torch.empty(shape, dtype=dtype, device=device).normal_()


def _sum_rightmost(value: Tensor, dim: int) -> Tensor:
    """``value`` summed over its ``dim`` rightmost dimensions."""
    if dim == 0:
        return value
    return value.reshape(value.shape[:-dim] + (-1,)).sum(-1)


def _diag_embed(d: Tensor) -> Tensor:
    """Batched ``diag_embed`` (the vectors of ``d`` on the diagonals of zero matrices), as a
    product with the identity: this library's ``diag_embed`` takes one vector only."""
    return d.unsqueeze(-1) * torch.eye(d.shape[-1], dtype=d.dtype)


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    """sigmoid(logits) for a binary variable, else softmax over the last dimension."""
    if is_binary:
        return torch.sigmoid(logits)
    return torch.nn.functional.softmax(logits, dim=-1)


def clamp_probs(probs: Tensor) -> Tensor:
    """probs clamped to [eps, 1 - eps] of their dtype."""
    eps = torch.finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    """log p - log(1 - p) for a binary variable, else log p (of the clamped probabilities)."""
    ps_clamped = clamp_probs(probs)
    if is_binary:
        return torch.log(ps_clamped) - torch.log1p(-ps_clamped)
    return torch.log(ps_clamped)


class lazy_property:
    """A property computed once, on first access (with grad enabled), then stored on the
    instance under the same name, where it shadows this descriptor."""

    def __init__(self, wrapped: Callable) -> None:
        self.wrapped = wrapped
        update_wrapper(self, wrapped)  # type: ignore[arg-type]

    def __get__(self, instance: Any, obj_type: Any = None):
        if instance is None:
            return _lazy_property_and_property(self.wrapped)
        with torch.enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value


class _lazy_property_and_property(lazy_property, property):
    """What a lazy_property is on the class: also a property, for documentation tools."""

    def __init__(self, wrapped: Callable) -> None:
        property.__init__(self, wrapped)


def _tril_mask(n: int, diag: int) -> Tensor:
    arange = torch.arange(n)
    return arange < arange.view(-1, 1) + (diag + 1)


def tril_matrix_to_vec(mat: Tensor, diag: int = 0) -> Tensor:
    """The lower triangle (from diagonal ``diag``) of the last two dimensions, row by row."""
    n = mat.shape[-1]
    if diag < -n or diag >= n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    return mat[..., _tril_mask(n, diag)]


def vec_to_tril_matrix(vec: Tensor, diag: int = 0) -> Tensor:
    """The inverse of ``tril_matrix_to_vec``: a D x D matrix, zero above diagonal ``diag``."""
    n = (-(1 + 2 * diag) + ((1 + 2 * diag) ** 2 + 8 * vec.shape[-1]
                            + 4 * abs(diag) * (diag + 1)) ** 0.5) / 2
    eps = torch.finfo(vec.dtype).eps
    if round(n) - n > eps:
        raise ValueError(f"The size of last dimension is {vec.shape[-1]} which cannot be "
                         "expressed as the lower triangular part of a square D x D matrix.")
    n = round(n)
    mat = vec.new_zeros(vec.shape[:-1] + Size((n, n)))
    mat[..., _tril_mask(n, diag)] = vec
    return mat
