"""Margin and embedding losses: ``hinge_embedding_loss``, ``margin_ranking_loss``,
``cosine_embedding_loss``, ``multi_margin_loss``, ``multilabel_margin_loss``,
``triplet_margin_loss``, ``triplet_margin_with_distance_loss``.

Each loss is one ``ArrayFunction``, its forward beside its closed-form backward (notation in
``_loss.py``), and under it the public function, which validates arguments as torch does (same
exception types, messages and warnings).
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from ..._names import scalar_type_name, shape_str
from ..._ops._util import broadcast_shapes_or_raise as _broadcast_shapes, promote, zero_where
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from .. import _reduction as _Reduction
from ..._ops._arguments import argument_error
from ._loss import (
    _EPSILON, _as_default_float, _check_no_grad, _float_pair, _integral, _loss_broadcast,
    _reduce, _upstream, reduction_node,
)
from .distance import pairwise_distance


class HingeEmbeddingLoss(ArrayFunction):
    """For targets y in {1, -1}:  l = x where y == 1,  max(0, margin - x) where y == -1
    (torch applies the first term wherever y != -1 and the second wherever y != 1).
    dl/dx = [y != -1] - [y != 1] [margin - x >= 0]   (the hinge passes its gradient at 0, as
    torch's clamp_min); where neither term is active the gradient is selected to 0, as torch's
    where and clamp_min do (an inf upstream gradient gives 0 there, not NaN)."""

    _backward_name = "HingeEmbeddingLossBackward"

    @staticmethod
    def forward(ctx, x, y, margin, reduction):
        if x.dtype.kind != "f":
            # torch's C++ margin - x fills a tensor of x's dtype with margin first: the whole
            # loss stays in x's integer dtype (two bool tensors cannot be subtracted)
            if x.dtype == np.bool_:
                raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                                   "supported. Use the `^` or `logical_xor()` operator instead.")
            if reduction == "mean":
                raise RuntimeError(
                    "mean(): could not infer output dtype. Input dtype must be either a floating "
                    f"point or complex dtype. Got: {scalar_type_name(x.dtype)}")
            margin = x.dtype.type(int(margin))
        hinge = np.maximum(margin - x, 0)
        loss = np.where(y != 1, hinge, 0) + np.where(y != -1, x, 0)
        ctx.save_for_backward(x, y)
        ctx.margin, ctx.reduction = margin, reduction
        return _reduce(loss.astype(x.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        linear = y != -1
        hinge = (y != 1) & (ctx.margin - x >= 0)
        slope = linear.astype(x.dtype) - hinge
        gl = _upstream(g, np.broadcast_shapes(x.shape, y.shape), ctx.reduction)
        gx = slope * gl
        return zero_where(gx, ~(linear | hinge)), None, None, None


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """x for y = 1, max(0, margin - x) for y = -1 (see ``nn.HingeEmbeddingLoss``)."""
    if not (isinstance(input, Tensor) and isinstance(target, Tensor)):
        raise argument_error(hinge_embedding_loss, locals())
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    _loss_broadcast(input, target)
    return HingeEmbeddingLoss.apply(input, target, margin, reduction,
                                    name=reduction_node(reduction, "AddBackward0"))


class MarginRankingLoss(ArrayFunction):
    """Ranking hinge for y in {1, -1} (y = 1: x1 should rank higher):
        l = max(0, -y (x1 - x2) + margin)
    With a = [-y (x1 - x2) + margin >= 0] (the gradient passes at the kink, as torch's
    clamp_min):  dl/dx1 = -y a,   dl/dx2 = y a,   dl/dy = -(x1 - x2) a, the upstream gradient
    selected by a (0 where not a, even if it is inf), as torch's clamp_min."""

    _backward_name = "MarginRankingLossBackward"

    @staticmethod
    def forward(ctx, x1, x2, y, margin, reduction):
        x1, x2 = _float_pair(x1, x2)
        diff, y = promote(x1 - x2, y)
        neg_y = -y  # saved, not y: torch's composite saves -y, which a later write misses
        z = neg_y * diff + margin
        ctx.save_for_backward(diff, neg_y, z)
        ctx.reduction = reduction
        return _reduce(np.maximum(z, 0), reduction)

    @staticmethod
    def backward(ctx, g):
        diff, neg_y, z = ctx.saved_tensors
        ga = zero_where(_upstream(g, z.shape, ctx.reduction), ~(z >= 0))
        gy = -diff * ga if ctx.needs_input_grad[2] else None
        gx1 = neg_y * ga
        return gx1, (-gx1 if ctx.needs_input_grad[1] else None), gy, None, None


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, -y (x1 - x2) + margin) (see ``nn.MarginRankingLoss``)."""
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} ")
    _loss_broadcast(input1, input2, target)
    if _integral(input1, input2, target):  # torch computes in the default float dtype
        input1 = _as_default_float(input1)
    return MarginRankingLoss.apply(input1, input2, target, margin, reduction,
                                   name=reduction_node(reduction, "ClampMinBackward0"))


class CosineEmbeddingLoss(ArrayFunction):
    """With c = cos(x1, x2) = <x1, x2> / sqrt((|x1|^2 + e)(|x2|^2 + e)) over the last dim
    (e = 1e-12 as a float32, torch's constant):
        l = 1 - c                  where y == 1
            max(0, c - margin)     where y == -1        (0 for any other y)
    Writing m_i = |x_i|^2 + e and D = sqrt(m1 m2):
        dc/dx1 = x2 / D - c x1 / m1,   dc/dx2 = x1 / D - c x2 / m2,
        dl/dc  = -[y == 1] + [y == -1][c - margin >= 0]."""

    _backward_name = "CosineEmbeddingLossBackward"

    @staticmethod
    def forward(ctx, x1, x2, y, margin, reduction):
        x1, x2 = _float_pair(x1, x2)
        dot = (x1 * x2).sum(axis=-1)
        m1 = (x1 * x1).sum(axis=-1) + _EPSILON
        m2 = (x2 * x2).sum(axis=-1) + _EPSILON
        denom = np.sqrt(m1 * m2)
        cos = dot / denom
        loss = np.where(y == 1, 1 - cos, 0) + np.where(y == -1, np.maximum(cos - margin, 0), 0)
        dl_dc = -(y == 1).astype(cos.dtype) + ((y == -1) & (cos - margin >= 0))
        ctx.save_for_backward(x1, x2, m1, m2, denom, cos, dl_dc)
        ctx.reduction = reduction
        return _reduce(loss.astype(cos.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, g):
        x1, x2, m1, m2, denom, cos, dl_dc = ctx.saved_tensors
        gc = (dl_dc * _upstream(g, dl_dc.shape, ctx.reduction))[..., None]
        cos, denom = cos[..., None], denom[..., None]
        gx1 = gc * (x2 / denom - cos * x1 / m1[..., None]) if ctx.needs_input_grad[0] else None
        gx2 = gc * (x1 / denom - cos * x2 / m2[..., None]) if ctx.needs_input_grad[1] else None
        return gx1, gx2, None, None, None


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    """1 - cos for similar pairs (y = 1), max(0, cos - margin) for dissimilar ones (y = -1)
    (see ``nn.CosineEmbeddingLoss``)."""
    if not (isinstance(input1, Tensor) and isinstance(input2, Tensor)
            and isinstance(target, Tensor)):
        raise argument_error(cosine_embedding_loss, locals(),
                             tensors=("input1", "input2", "target"))
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    td = target.ndim
    if td not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if td == 1 and not (input1.ndim == 2 and input2.ndim == 2):
        raise RuntimeError(
            "1D target tensor expects 2D input tensors, but found inputs with sizes "
            f"{shape_str(input1.shape)} and {shape_str(input2.shape)}.")
    if td == 0 and not (input1.ndim == 1 and input2.ndim == 1):
        raise RuntimeError(
            "0D target tensor expects 1D input tensors, but found inputs with sizes "
            f"{shape_str(input1.shape)} and {shape_str(input2.shape)}.")
    rows = _loss_broadcast(input1, input2)[:-1]
    _broadcast_shapes(tuple(target.shape), rows)
    return CosineEmbeddingLoss.apply(input1, input2, target, margin, reduction,
                                     name=reduction_node(reduction, "AddBackward0"))


def _margin_shape_check(input: Tensor) -> None:
    nd = input.ndim
    if not ((nd == 2 and input.shape[1] != 0) or (nd == 1 and input.shape[0] != 0) or nd == 0):
        raise RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, "
                           f"but got: {shape_str(input.shape)}")


def _expect_long(t: Tensor) -> None:
    if t.dtype.name != "int64":
        raise RuntimeError(f"expected scalar type Long but found {scalar_type_name(t.dtype)}")


class MultiMarginLoss(ArrayFunction):
    """Multi-class hinge for x of shape (N, C) (or (C,)) and class indices t:
        l_n = (1/C) sum_{i != t_n} w_{t_n} max(0, margin - x_{n,t_n} + x_{n,i})^p      (p = 1, 2)
    With z_ni = margin - x_{n,t_n} + x_{n,i} and
    h_ni = [i != t_n][z_ni > 0] w_{t_n} p z_ni^(p-1) / C
    (a strict inequality: no gradient at the kink, as torch's kernel):
        dl_n/dx_ni = h_ni  (i != t_n),     dl_n/dx_{n,t_n} = -sum_i h_ni."""

    _backward_name = "MultiMarginLossBackward0"

    @staticmethod
    def forward(ctx, x, t, p, margin, w, reduction):
        x2 = x.reshape(-1, x.shape[-1] if x.ndim else 1)
        t1 = t.reshape(-1, 1)
        z = margin - np.take_along_axis(x2, t1, axis=1) + x2
        active = z > 0
        np.put_along_axis(active, t1, False, axis=1)
        h = np.where(active, z if p == 1 else z * z, 0)
        if w is not None:
            h = h * w[t1]
        n_classes = x2.shape[1]
        loss = (h.sum(axis=1) / n_classes).astype(x.dtype, copy=False)
        ctx.save_for_backward(z, active, t1, w)
        ctx.p, ctx.reduction, ctx.x_shape, ctx.out_shape = p, reduction, x.shape, t.shape
        return _reduce(loss.reshape(ctx.out_shape if x.ndim == 2 or t.ndim else ()), reduction)

    @staticmethod
    def backward(ctx, g):
        z, active, t1, w = ctx.saved_tensors
        out_shape = ctx.out_shape if len(ctx.x_shape) == 2 or len(ctx.out_shape) else ()
        gl = _upstream(g, out_shape, ctx.reduction).reshape(-1, 1) / z.shape[1]
        # torch's kernel: the gradient for a unit upstream (inactive entries skipped, so an
        # infinite z there gives 0), then times the upstream gradient
        slope = active.astype(z.dtype) if ctx.p == 1 else zero_where(2 * z, ~active)
        if w is not None:
            slope = slope * w[t1]
        np.put_along_axis(slope, t1, -slope.sum(axis=1, keepdims=True), axis=1)
        h = (slope * gl).astype(z.dtype, copy=False)
        return h.reshape(ctx.x_shape), None, None, None, None, None


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0,
                      weight: Tensor | None = None, size_average: bool | None = None,
                      reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-class hinge loss (see ``nn.MultiMarginLoss``)."""
    if not (isinstance(input, Tensor) and isinstance(target, Tensor)):
        raise argument_error(multi_margin_loss, locals())
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    _margin_shape_check(input)
    nd = input.ndim
    n_frames = 1 if nd <= 1 else input.shape[0]
    n_classes = 1 if nd == 0 else input.shape[-1]
    if not (target.ndim <= 1 and target.numel() == n_frames):
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples (batch size). Expected target size [{n_frames}], but got "
            f"{shape_str(target.shape)}. Input has shape {shape_str(input.shape)}.")
    if weight is not None and weight.numel() != n_classes:
        raise RuntimeError(f"inconsistent weight size, expected {n_classes} but got "
                           f"{shape_str(weight.shape)}")
    _expect_long(target)
    t = target._data
    if np.any((t < 0) | (t >= n_classes)):
        raise RuntimeError("target out of range")
    _check_no_grad(weight, "weight", "multi_margin_loss")
    w = None if weight is None else weight._data.reshape(-1).astype(input._data.dtype)
    return MultiMarginLoss.apply(input, target, p, margin, w, reduction)


class MultiLabelMarginLoss(ArrayFunction):
    """Multi-label hinge for x of shape (N, C) (or (C,)): the target row lists class indices,
    ended by the first -1. With T_n that set and j running over the listed entries:
        l_n = (1/C) sum_j sum_{i not in T_n} max(0, 1 - (x_{n,j} - x_{n,i}))
    With a_nji = [i not in T_n][1 - x_{n,j} + x_{n,i} > 0] (strict, as torch's kernel):
        dl_n/dx_ni = (1/C) sum_j a_nji,    dl_n/dx_{n,j} -= (1/C) sum_i a_nji for each listed j
    (the counts first, then times the upstream gradient, as torch's kernel)."""

    _backward_name = "MultilabelMarginLossBackward0"

    @staticmethod
    def forward(ctx, x, t, reduction):
        n_classes = x.shape[-1] if x.ndim else 1
        x2 = x.reshape(-1, n_classes)
        t2 = t.reshape(-1, n_classes)
        # entries before the first -1 are the listed targets
        listed = np.cumprod(t2 >= 0, axis=1).astype(bool)
        idx = np.where(listed, t2, 0)
        is_target = np.zeros(x2.shape, dtype=bool)
        rows, cols = np.nonzero(listed)
        is_target[rows, idx[rows, cols]] = True
        xj = np.take_along_axis(x2, idx, axis=1)               # (N, J): x at each listed class
        z = 1 - xj[:, :, None] + x2[:, None, :]                # (N, J, C)
        active = listed[:, :, None] & ~is_target[:, None, :] & (z > 0)
        loss = (np.where(active, z, 0).sum(axis=(1, 2)) / n_classes).astype(x.dtype, copy=False)
        ctx.save_for_backward(active, idx)
        ctx.reduction, ctx.x_shape = reduction, x.shape
        ctx.out_shape = (x2.shape[0],) if x.ndim == 2 else ()
        return _reduce(loss.reshape(ctx.out_shape), reduction)

    @staticmethod
    def backward(ctx, g):
        active, idx = ctx.saved_tensors
        n_classes = active.shape[2]
        gl = _upstream(g, ctx.out_shape, ctx.reduction).reshape(-1, 1) / n_classes
        a = active.astype(gl.dtype)
        gx = a.sum(axis=1)                                       # + for every non-target i
        rows = np.broadcast_to(np.arange(idx.shape[0])[:, None], idx.shape)
        np.add.at(gx, (rows, idx), -a.sum(axis=2))               # - for each listed j
        gx *= gl
        return gx.reshape(ctx.x_shape), None, None


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                           reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-label hinge loss over the classes listed in each target row, up to the first -1
    (see ``nn.MultiLabelMarginLoss``)."""
    if not (isinstance(input, Tensor) and isinstance(target, Tensor)):
        raise argument_error(multilabel_margin_loss, locals())
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    _margin_shape_check(input)
    nd = input.ndim
    if nd <= 1:
        n_classes = 1 if nd == 0 else input.shape[0]
        ok = target.ndim <= 1 and target.numel() == n_classes
    else:
        ok = target.ndim == 2 and tuple(target.shape) == tuple(input.shape)
    if not ok:
        raise RuntimeError(f"inconsistent target size: {shape_str(target.shape)} for input of "
                           f"size: {shape_str(input.shape)}")
    _expect_long(target)
    t = target._data
    n_classes = 1 if nd == 0 else input.shape[-1]
    if t.size and (t.min() < -1 or t.max() >= n_classes):
        raise RuntimeError("argument #2 'target' is out of range")
    return MultiLabelMarginLoss.apply(input, target, reduction)


def _pnorm(v: np.ndarray, p: float) -> np.ndarray:
    """The p-norm over the last dim (torch.norm's cases: 0, 1, 2, inf, any other p > 0)."""
    a = np.abs(v)
    if p == 2:
        return np.sqrt((v * v).sum(axis=-1))
    if p == 1:
        return a.sum(axis=-1)
    if p == math.inf:
        return a.max(axis=-1) if v.shape[-1] else a.sum(axis=-1)
    if p == 0:
        return (a != 0).sum(axis=-1).astype(v.dtype)
    return (a ** p).sum(axis=-1) ** (1 / p)


def _pnorm_grad(v: np.ndarray, norm: np.ndarray, p: float) -> np.ndarray:
    """d|v|_p / dv over the last dim, with torch's conventions: 0 where the norm is 0 (p >= 1),
    sign(v) for p = 1, and for p = inf the sign of each maximal entry shared among the ties."""
    norm = norm[..., None]
    if p == 0:
        return np.zeros_like(v)
    if p == 1:
        return np.sign(v)
    if p == 2:
        return np.where(norm == 0, 0, v / norm)
    if p == math.inf:
        is_max = (np.abs(v) == norm).astype(v.dtype)
        return np.sign(v) * is_max / is_max.sum(axis=-1, keepdims=True)
    if p < 1:
        scaled = np.sign(v) * np.where(v == 0, 0, np.abs(v) ** (p - 1))
        return scaled / norm ** (p - 1)
    scale = np.where(norm == 0, 0, 1 / norm ** (p - 1))
    return np.sign(v) * np.abs(v) ** (p - 1) * scale


class TripletMarginLoss(ArrayFunction):
    """Triplet hinge on p-norm distances over the last dim, d(u, v) = |u - v + eps|_p:
        l = max(0, margin + d(a, pos) - d_neg),   d_neg = d(a, neg), or with swap
            min(d(a, neg), d(pos, neg)) (at a tie each side takes half the gradient, as torch's min)
    With k = [margin + d(a, pos) - d_neg >= 0] and n(u) = d|u|_p/du:
        dl/da   = k (n(a - pos + eps) - s_an n(a - neg + eps))
        dl/dpos = k (-n(a - pos + eps) - s_pn n(pos - neg + eps))
        dl/dneg = k (s_an n(a - neg + eps) + s_pn n(pos - neg + eps))
    where s_an, s_pn are the shares of d_neg taken by d(a, neg) and d(pos, neg) (1 and 0 without
    swap). As torch's chain rule: the upstream gradient is selected by k and by each share
    (0 there, even if it is inf, as clamp_min's and min's backward select), and each input's
    gradient is the sum of one product per distance it enters (not k times a difference)."""

    _backward_name = "TripletMarginLossBackward"

    @staticmethod
    def forward(ctx, a, pos, neg, margin, p, eps, swap, reduction):
        dtype = np.result_type(a, pos, neg)
        a, pos, neg = (v.astype(dtype, copy=False) for v in (a, pos, neg))
        v_ap, v_an = a - pos + eps, a - neg + eps
        d_ap, d_an = _pnorm(v_ap, p), _pnorm(v_an, p)
        saved = [v_ap, v_an, d_ap, d_an]
        d_neg = d_an
        if swap:
            v_pn = pos - neg + eps
            d_pn = _pnorm(v_pn, p)
            d_neg = np.minimum(d_an, d_pn)
            saved += [v_pn, d_pn]
        z = margin + d_ap - d_neg
        ctx.save_for_backward(z, *saved)
        ctx.p, ctx.swap, ctx.reduction = p, swap, reduction
        return _reduce(np.maximum(z, 0), reduction)

    @staticmethod
    def backward(ctx, g):
        z, v_ap, v_an, d_ap, d_an, *rest = ctx.saved_tensors
        k = zero_where(_upstream(g, z.shape, ctx.reduction), ~(z >= 0))[..., None]
        n_ap = _pnorm_grad(v_ap, d_ap, ctx.p)
        n_an = _pnorm_grad(v_an, d_an, ctx.p)
        k_an, k_pn, n_pn = k, 0, 0
        if ctx.swap:
            v_pn, d_pn = rest
            n_pn = _pnorm_grad(v_pn, d_pn, ctx.p)
            share_an = np.where(d_an < d_pn, 1.0, np.where(d_an == d_pn, 0.5, 0.0))
            share_an = share_an.astype(z.dtype)[..., None]
            share_pn = 1 - share_an
            k_an = zero_where(k * share_an, share_an == 0)
            k_pn = zero_where(k * share_pn, share_pn == 0)
        kn_ap, kn_an, kn_pn = k * n_ap, k_an * n_an, k_pn * n_pn
        ga = kn_ap - kn_an
        gp = -kn_ap - kn_pn
        gn = kn_an + kn_pn
        return ga, gp, gn, None, None, None, None, None


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0,
                        p: float = 2, eps: float = 1e-6, swap: bool = False,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) with p-norm distances (see ``nn.TripletMarginLoss``)."""
    if not (isinstance(anchor, Tensor) and isinstance(positive, Tensor)
            and isinstance(negative, Tensor)):
        raise argument_error(triplet_margin_loss, locals(),
                             tensors=("anchor", "positive", "negative"))
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a_dim, p_dim, n_dim = anchor.ndim, positive.ndim, negative.ndim
    if not (a_dim == p_dim and p_dim == n_dim):
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {a_dim}D, positive {p_dim}D, and negative "
            f"{n_dim}D inputs")
    _loss_broadcast(anchor, positive, negative)
    if a_dim == 0:  # a 0-d "vector": torch measures it as a vector of one entry
        anchor, positive, negative = (t.reshape(1) for t in (anchor, positive, negative))
    return TripletMarginLoss.apply(anchor, positive, negative, margin, p, eps, swap, reduction,
                                   name=reduction_node(reduction, "ClampMinBackward0"))


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Callable | None = None,
                                      margin: float = 1.0, swap: bool = False,
                                      reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) for any distance ``d`` (default ``pairwise_distance``),
    composed from tensor ops as torch does, so a user's distance function is differentiated
    through (see ``nn.TripletMarginWithDistanceLoss``)."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a_dim, p_dim, n_dim = anchor.ndim, positive.ndim, negative.ndim
    if not (a_dim == p_dim and p_dim == n_dim):
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {a_dim}D, positive {p_dim}D, and negative "
            f"{n_dim}D inputs")
    if distance_function is None:
        distance_function = pairwise_distance
    dist_pos = distance_function(anchor, positive)
    dist_neg = distance_function(anchor, negative)
    if swap:  # use the positive as the anchor when it is closer to the negative
        dist_neg = dist_neg.minimum(distance_function(positive, negative))
    loss = (margin + dist_pos - dist_neg).clamp_min(0)
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.mean()
    return loss
