"""Distances: ``cosine_similarity``, ``pdist`` and ``pairwise_distance``.

Each kernel is an ``ArrayFunction``: forward beside backward on ndarrays, the derivative in its
docstring (``g`` is dL/d out). Under each kernel, the public functions with torch's checks.
(``torch.cdist`` and ``torch.dist`` are tensor ops, in ``_ops/norms.py``.)
"""
from __future__ import annotations

import math

import numpy as np

from ..._dtype import result_np_dtype
from ..._ops._arguments import argument_error
from ..._ops._util import broadcast_shapes_or_raise, promote, wrap_dim as _wrap_dim
from ..._ops.arithmetic import Add as _Add, Sub as _Sub
from ..._names import scalar_type_name
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction


class VectorNorm(ArrayFunction):
    """out = (sum |x|^p)^(1/p) over ``dims`` (p = inf: max |x|; p = -inf: min |x|; p = 0: the
    count of non-zeros).
      p = 2:      dL/dx = g * x / out
      general p:  dL/dx = g * sign(x) |x|^(p-1) / out^(p-1)
      p = +-inf:  dL/dx = g * sign(x) on the entries attaining the extreme, shared equally
    (0 where out == 0, as in torch)."""

    _backward_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, x, p, dims, keepdim):
        a = np.abs(x)
        if p == 2:
            out = np.sqrt((x * x).sum(axis=dims, keepdims=True))
        elif p == 1:
            out = a.sum(axis=dims, keepdims=True)
        elif p == math.inf:
            out = a.max(axis=dims, keepdims=True)
        elif p == -math.inf:
            out = a.min(axis=dims, keepdims=True)
        elif p == 0:
            out = (x != 0).sum(axis=dims, keepdims=True).astype(x.dtype)
        else:
            out = (a ** p).sum(axis=dims, keepdims=True) ** (1.0 / p)
        out = out.astype(x.dtype, copy=False)
        ctx.save_for_backward(x, out)
        ctx.meta = (p, dims, keepdim)
        return out if keepdim else out.reshape([s for i, s in enumerate(out.shape)
                                                if i not in dims])

    @staticmethod
    def backward(ctx, g):
        x, out = ctx.saved_tensors
        p, dims, keepdim = ctx.meta
        g = g.reshape(out.shape)
        if p == 2:
            gx = np.where(out == 0, 0, g * x / out)
        elif p == 1:
            gx = g * np.sign(x)
        elif p in (math.inf, -math.inf):
            mask = (np.abs(x) == out) | np.isnan(x)
            gx = np.sign(x) * (g / mask.sum(axis=dims, keepdims=True)) * mask
        elif p == 0:
            gx = np.zeros_like(x)
        else:
            gx = np.where(out == 0, 0, g * np.sign(x) * np.abs(x) ** (p - 1)
                          / out ** (p - 1))
        return gx.astype(x.dtype, copy=False), None, None, None


def pdist(input: Tensor, p: float = 2.0) -> Tensor:
    """||x_i - x_j||_p for every pair of rows i < j, in row-major pair order
    (N (N - 1) / 2 values)."""
    if not isinstance(input, Tensor):
        raise argument_error(pdist, locals())
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if not input.is_floating_point():
        raise RuntimeError("pdist only supports floating-point dtypes")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    i, j = np.triu_indices(input.shape[0], k=1)
    diff = _Sub.apply(input[i], input[j], 1)
    return VectorNorm.apply(diff, float(p), (1,), False)


def _broadcast_check(x1: Tensor, x2: Tensor) -> tuple:
    return broadcast_shapes_or_raise(tuple(x1.shape), tuple(x2.shape))


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p over the last dim."""
    if not (isinstance(x1, Tensor) and isinstance(x2, Tensor)):
        raise argument_error(pairwise_distance, locals())
    shape = _broadcast_check(x1, x2)
    diff = _Add.apply(_Sub.apply(x1, x2, 1), eps, 1)
    return VectorNorm.apply(diff, float(p), (max(len(shape) - 1, 0),), keepdim)


class CosineSimilarity(ArrayFunction):
    """out = sum(x1 * x2, dim) / (max(|x1|, eps) * max(|x2|, eps))   (torch's formulation:
    each vector is divided by its clamped norm first; the clamp is invisible to autograd).
    With n_i = |x_i|, c_i = max(n_i, eps), u = x1 / c1, v = x2 / c2:
      dL/dx1 = g * (v / c1 - (x1 . v) / c1^2 * x1 / n1)
      dL/dx2 = g * (u / c2 - (x2 . u) / c2^2 * x2 / n2)         (x / n taken as 0 where n == 0)
    """

    _backward_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x1, x2, dim, eps):
        x1, x2 = np.broadcast_arrays(*promote(x1, x2))  # (torch's common dtype)
        n1 = np.sqrt((x1 * x1).sum(axis=dim, keepdims=True))
        n2 = np.sqrt((x2 * x2).sum(axis=dim, keepdims=True))
        c1 = np.maximum(n1, x1.dtype.type(eps))
        c2 = np.maximum(n2, x2.dtype.type(eps))
        u, v = x1 / c1, x2 / c2
        ctx.save_for_backward(x1, x2, n1, n2, c1, c2)
        ctx.dim = dim
        return (u * v).sum(axis=dim)

    @staticmethod
    def backward(ctx, g):
        x1, x2, n1, n2, c1, c2 = ctx.saved_tensors
        g = np.expand_dims(g, ctx.dim)
        u, v = x1 / c1, x2 / c2
        d1 = np.where(n1 == 0, 0, x1 / n1)
        d2 = np.where(n2 == 0, 0, x2 / n2)
        g1 = g2 = None
        if ctx.needs_input_grad[0]:
            g1 = g * (v / c1 - (x1 * v).sum(axis=ctx.dim, keepdims=True) / (c1 * c1) * d1)
        if ctx.needs_input_grad[1]:
            g2 = g * (u / c2 - (x2 * u).sum(axis=ctx.dim, keepdims=True) / (c2 * c2) * d2)
        return g1, g2, None, None


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """<x1, x2> / (max(||x1||, eps) * max(||x2||, eps)) along ``dim`` (inputs broadcast)."""
    if not (isinstance(x1, Tensor) and isinstance(x2, Tensor)):
        raise argument_error(cosine_similarity, locals())
    shape = _broadcast_check(x1, x2)
    common = result_np_dtype(x1._data, x2._data)
    if common.kind != "f":
        raise RuntimeError("expected common dtype to be floating point, yet common dtype is "
                           f"{scalar_type_name(common)}")
    d = _wrap_dim(dim, len(shape))
    return CosineSimilarity.apply(x1, x2, d, eps)
