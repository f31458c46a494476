"""torch.distributions.utils: parameter broadcasting, probs <-> logits, lazy properties,
lower-triangle packing; and the small private helpers the distributions share."""
from __future__ import annotations

from functools import update_wrapper
from typing import Any, Callable

from .._creation import arange, empty, eye, tensor
from .._dtype import finfo, get_default_dtype
from .._ops import broadcast_tensors
from .._tensor import Size, Tensor
from ..autograd.grad_mode import enable_grad
from ..nn.functional import softmax

__all__ = ["broadcast_all", "logits_to_probs", "clamp_probs", "probs_to_logits",
           "lazy_property", "tril_matrix_to_vec", "vec_to_tril_matrix"]

euler_constant = 0.57721566490153286060  # gamma = lim (H_n - ln n)

# the Python scalars a distribution accepts wherever it accepts a tensor (torch.types._Number)
_Number = (int, float, bool)


def broadcast_all(*values) -> tuple:
    """Every argument as a tensor, all broadcast to one shape. A Python number becomes a
    tensor of the dtype of the first tensor among the arguments (the default dtype when
    there is none)."""
    for v in values:
        if not isinstance(v, (Tensor, *_Number)):
            raise ValueError("Input arguments must all be instances of Number, torch.Tensor "
                             "or objects implementing __torch_function__.")
    dtype = next((v.dtype for v in values if isinstance(v, Tensor)), None)
    if dtype is None:
        dtype = get_default_dtype()
    as_tensors = [v if isinstance(v, Tensor) else tensor(v, dtype=dtype) for v in values]
    return broadcast_tensors(*as_tensors)


def _standard_normal(shape, dtype, device) -> Tensor:
    """N(0, 1) draws of ``shape``, taken from the random stream in the order
    ``empty(shape).normal_()`` takes them."""
    return empty(shape, dtype=dtype, device=device).normal_()


def _sum_rightmost(value: Tensor, dim: int) -> Tensor:
    """``value`` summed over its last ``dim`` dimensions (itself when ``dim`` is 0)."""
    if dim == 0:
        return value
    return value.reshape(value.shape[:-dim] + (-1,)).sum(-1)


def _diag_embed(d: Tensor) -> Tensor:
    """Square matrices with the vectors of ``d`` on their diagonals, for any batch of
    vectors: ``d[..., None]`` times the identity."""
    return d.unsqueeze(-1) * eye(d.shape[-1], dtype=d.dtype)


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    """Probabilities from log-odds: sigmoid for one binary variable, else a softmax over the
    categories (the last dimension)."""
    return logits.sigmoid() if is_binary else softmax(logits, dim=-1)


def clamp_probs(probs: Tensor) -> Tensor:
    """``probs`` kept inside [eps, 1 - eps], eps the machine epsilon of their dtype, so that
    their logarithms and log-odds stay finite."""
    eps = finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    """Log-odds from probabilities (clamped first): log p - log(1 - p) for one binary
    variable, else log p per category."""
    p = clamp_probs(probs)
    return p.log() - (-p).log1p() if is_binary else p.log()


class lazy_property:
    """A property evaluated on first access (with autograd on, so that the value can carry
    gradients), then kept on the instance under the same name: later reads find the stored
    value, which shadows this (non-data) descriptor."""

    def __init__(self, wrapped: Callable) -> None:
        self.wrapped = wrapped
        update_wrapper(self, wrapped)  # type: ignore[arg-type]

    def __get__(self, instance: Any, obj_type: Any = None):
        if instance is None:
            return _lazy_property_and_property(self.wrapped)
        with enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value


class _lazy_property_and_property(lazy_property, property):
    """A lazy_property read from the class: also a ``property``, for documentation tools."""

    def __init__(self, wrapped: Callable) -> None:
        property.__init__(self, wrapped)


def _tril_positions(n: int, diag: int) -> Tensor:
    """The n x n boolean mask of the entries (i, j) with j <= i + diag."""
    cols = arange(n)
    return cols < cols.view(-1, 1) + (diag + 1)


def tril_matrix_to_vec(mat: Tensor, diag: int = 0) -> Tensor:
    """The entries of the last two dimensions on or below diagonal ``diag``, row by row."""
    n = mat.shape[-1]
    if not -n <= diag < n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    return mat[..., _tril_positions(n, diag)]


def vec_to_tril_matrix(vec: Tensor, diag: int = 0) -> Tensor:
    """The inverse of ``tril_matrix_to_vec``: the D x D matrix, zero above diagonal ``diag``,
    whose lower part holds ``vec``; D is the positive root of the quadratic in D that counts
    those entries."""
    size = vec.shape[-1]
    b = 1 + 2 * diag
    n = (-b + (b * b + 8 * size + 4 * abs(diag) * (diag + 1)) ** 0.5) / 2
    if round(n) - n > finfo(vec.dtype).eps:
        raise ValueError(f"The size of last dimension is {size} which cannot be "
                         "expressed as the lower triangular part of a square D x D matrix.")
    n = round(n)
    mat = vec.new_zeros(vec.shape[:-1] + Size((n, n)))
    mat[..., _tril_positions(n, diag)] = vec
    return mat
