"""Regression and likelihood losses: ``l1_loss``, ``mse_loss``, ``huber_loss``,
``smooth_l1_loss``, ``gaussian_nll_loss``, ``poisson_nll_loss``, ``kl_div``.

Each loss is one ``ArrayFunction``, its forward beside its closed-form backward (notation in
``_loss.py``), and under it the public function, which validates arguments as torch does (same
exception types, messages and warnings).
"""
from __future__ import annotations

import math

import numpy as np

from ..._names import scalar_type_name
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from .. import _reduction as _Reduction
from ..._ops._arguments import argument_error
from ._loss import (
    _as_default_float, _check_cast, _expanded_pair, _float_pair, _integral, _loss_broadcast,
    _reduce, _sgn, _sub_operands, _upstream, _warn_size_mismatch, reduction_node,
)


def _require_float(a: np.ndarray, kernel: str) -> None:
    if a.dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(a.dtype)}'")


def _weighted_reduction(loss: Tensor, weight: Tensor, input: Tensor, reduction: str,
                        weighted_mean: bool = True) -> Tensor:
    """torch 2.13's optional ``weight`` of l1/mse/huber: an element-wise weight of input's shape.
    'mean' is the weighted mean sum(w l) / sum(w) for l1 and mse, but the plain mean of w l for
    huber (torch's choice, kept)."""
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    weighted = loss * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean":
        return weighted.sum() / weight.sum() if weighted_mean else weighted.mean()
    raise ValueError(
        f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


class L1Loss(ArrayFunction):
    """l = |x - y|.
    dl/dx = sign(x - y)  (0 where x == y, as torch's abs),   dl/dy = -dl/dx."""

    _backward_name = "L1LossBackward"

    @staticmethod
    def forward(ctx, x, y, reduction):
        _sub_operands(x, y)
        x, y = _expanded_pair(x, y)
        d = x - y
        if reduction == "mean" and d.dtype.kind != "f":
            raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either "
                               "a floating point or complex dtype. Got: "
                               f"{scalar_type_name(d.dtype)}")
        ctx.save_for_backward(d)
        ctx.reduction = reduction
        return _reduce(np.abs(d), reduction)

    @staticmethod
    def backward(ctx, g):
        d, = ctx.saved_tensors
        gx = _sgn(d) * _upstream(g, d.shape, ctx.reduction)
        return gx, (-gx if ctx.needs_input_grad[1] else None), None


def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
            reduce: bool | None = None, reduction: str = "mean",
            weight: Tensor | None = None) -> Tensor:
    """Mean absolute error:  l = |x - y|  (see ``nn.L1Loss``)."""
    _warn_size_mismatch(input, target)
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
    _loss_broadcast(input, target)
    if weight is not None:
        return _weighted_reduction(L1Loss.apply(input, target, "none"), weight, input,
                                   reduction)
    reduction = _Reduction.resolve(None, None, reduction)
    # torch composes |x - y| and the reduction: record the grad_fn name it prints
    return L1Loss.apply(input, target, reduction, name=reduction_node(reduction, "AbsBackward0"))


class MSELoss(ArrayFunction):
    """l = (x - y)^2.
    dl/dx = 2 (x - y),   dl/dy = -2 (x - y).
    x and y are saved, not x - y: torch's kernel saves its inputs, so a change to their data
    between forward and backward moves the gradient (``_save_operands``)."""

    _backward_name = "MseLossBackward0"

    @staticmethod
    def forward(ctx, x, y, reduction):
        x, y = _expanded_pair(x, y)
        _require_float(x, "mse_cpu")
        d = x - y
        _save_operands(ctx, x, y, d.shape)
        ctx.reduction = reduction
        return _reduce(d * d, reduction)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        gx = x - y
        gx *= _scale(2 * g, gx.size, ctx.reduction)     # (2 g: one number, for a reduction)
        return gx, (-gx if ctx.needs_input_grad[1] else None), None


def _save_operands(ctx, x: np.ndarray, y: np.ndarray, shape: tuple) -> None:
    """Save a loss kernel's operands as torch does after ``broadcast_tensors``: an operand of
    the broadcast shape is the tensor itself, a broadcast one a view of it (which keeps its
    storage through a new ``.data``: ``Node._kept_on_rebind``)."""
    ctx.save_for_backward(x, y)
    if x.shape != shape or y.shape != shape:
        ctx._kept_on_rebind = tuple(i for i, a in enumerate((x, y)) if a.shape != shape)


def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
             reduce: bool | None = None, reduction: str = "mean",
             weight: Tensor | None = None) -> Tensor:
    """Mean squared error:  l = (x - y)^2  (see ``nn.MSELoss``)."""
    _warn_size_mismatch(input, target)
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
    _loss_broadcast(input, target)
    if weight is not None:
        return _weighted_reduction(MSELoss.apply(input, target, "none"), weight, input,
                                   reduction)
    return MSELoss.apply(input, target, _Reduction.resolve(None, None, reduction))


def _times_d_minus_half(c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """c (d - c / 2), in one new array (in-place steps: these losses run over large tensors)."""
    out = c * -0.5
    out += d
    out *= c
    return out


class HuberLoss(ArrayFunction):
    """With d = x - y:  l = d^2 / 2                 where |d| < delta,
                            delta (|d| - delta / 2)  otherwise.
    Both pieces are  l = c (d - c / 2)  with  c = clip(d, -delta, delta),  and c is the slope:
    dl/dx = c = clip(d, -delta, delta),   dl/dy = -c   (c recomputed from the saved x and y).
    (Computed in that branch-free form: the same floating-point value as torch's two pieces, and
    an unpredictable np.where over the elements costs ten times more.)"""

    _backward_name = "HuberLossBackward0"

    @staticmethod
    def forward(ctx, x, y, reduction, delta):
        out_dtype = x.dtype                 # torch writes the loss in the input's dtype
        ctx.dtypes = (x.dtype, y.dtype)
        x, y = _expanded_pair(x, y)
        _check_cast(x.dtype, out_dtype)
        _require_float(x, "huber_cpu")
        d = x - y
        c = np.clip(d, -delta, delta)
        _save_operands(ctx, x, y, d.shape)
        ctx.reduction, ctx.delta = reduction, delta
        total = _reduced_c_times_d_minus_half(c, d, reduction)
        if total is None:
            total = _reduce(_times_d_minus_half(c, d), reduction)
        return total.astype(out_dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        if ctx.dtypes[0] != ctx.dtypes[1]:  # torch's backward kernel takes one dtype only
            raise RuntimeError(f"Found dtype {scalar_type_name(ctx.dtypes[1])} but expected "
                               f"{scalar_type_name(ctx.dtypes[0])}")
        gx = _clipped_difference(*ctx.saved_tensors, ctx.delta)
        gx *= _scale(g, gx.size, ctx.reduction)
        return gx, (-gx if ctx.needs_input_grad[1] else None), None, None


def _clipped_difference(x: np.ndarray, y: np.ndarray, bound: float) -> np.ndarray:
    """clip(x - y, -bound, bound), huber's and smooth_l1's slope, from the saved operands, in
    one new array (clipped in place; create_graph's recorded arrays and 0-d results, NumPy
    scalars, take no out=)."""
    c = x - y
    if not c.ndim or getattr(type(c), "graph_array", False):
        return np.clip(c, -bound, bound)
    return np.clip(c, -bound, bound, out=c)


def _scale(g: np.ndarray, n: int, reduction: str) -> np.ndarray:
    """dL/dl for an element-wise loss of ``n`` elements: g itself ('none'), g, or g / n
    ('mean'), kept 0-d for a reduction so that multiplying by it is NumPy's scalar loop (a
    broadcast view of it is a strided one, about twice as slow)."""
    return g / n if reduction == "mean" and n else g


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """Huber loss: quadratic for |x - y| < delta, linear beyond (see ``nn.HuberLoss``)."""
    _warn_size_mismatch(input, target)
    _loss_broadcast(input, target)
    if weight is None:
        reduction = _Reduction.resolve(None, None, reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is not None:
        return _weighted_reduction(HuberLoss.apply(input, target, "none", delta), weight,
                                   input, reduction, weighted_mean=False)
    return HuberLoss.apply(input, target, reduction, delta)


class SmoothL1Loss(ArrayFunction):
    """With d = x - y:  l = d^2 / (2 beta)   where |d| < beta,
                            |d| - beta / 2    otherwise        (beta > 0; beta = 0 is L1Loss).
    It is Huber with delta = beta, divided by beta:  l = c (d - c / 2) / beta,
    c = clip(d, -beta, beta).
    dl/dx = c / beta = clip(d / beta, -1, 1),   dl/dy = -dl/dx.
    The sum over the elements is (sum(c d) - sum(c c) / 2) / beta: two dot products, with no
    loss array written ('sum' and 'mean' in float32/float64, outside create_graph's replay)."""

    _backward_name = "SmoothL1LossBackward0"

    @staticmethod
    def forward(ctx, x, y, reduction, beta):
        x, y = _expanded_pair(x, y)
        _require_float(x, "smooth_l1_cpu")
        d = x - y
        c = np.clip(d, -beta, beta)
        _save_operands(ctx, x, y, d.shape)
        ctx.reduction, ctx.beta = reduction, beta
        total = _reduced_c_times_d_minus_half(c, d, reduction, beta)
        if total is not None:
            return total
        loss = _times_d_minus_half(c, d)
        if beta != 1:
            loss /= beta
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, g):
        gx = _clipped_difference(*ctx.saved_tensors, ctx.beta)
        if ctx.reduction != "none":  # one pass: c times the scalar g / (n beta)
            n = gx.size if ctx.reduction == "mean" and gx.size else 1
            gx *= g / (n * ctx.beta)
        else:
            if ctx.beta != 1:
                gx /= ctx.beta
            gx *= g
        return gx, (-gx if ctx.needs_input_grad[1] else None), None, None


def _reduced_c_times_d_minus_half(c: np.ndarray, d: np.ndarray, reduction: str,
                                  divisor: float = 1.0):
    """The 'sum' or 'mean' of c (d - c / 2) / divisor as (sum(c d) - sum(c c) / 2) / divisor
    (/ n), in float64 and rounded once: two dot products, with no loss array written; None where
    that does not apply (reduction 'none', no elements, float16, create_graph's replay, which
    records its calls)."""
    if reduction == "none" or not d.size or d.dtype not in (np.float32, np.float64) \
            or getattr(type(d), "graph_array", False):
        return None
    total = (_sum_of_products(c, d) - _sum_of_products(c, c) / 2) / divisor
    return np.asarray(total / d.size if reduction == "mean" else total, d.dtype)


_DOT_ROW = 4096


def _sum_of_products(a: np.ndarray, b: np.ndarray) -> float:
    """sum(a * b) of two contiguous arrays of one shape without writing a * b: one BLAS dot
    product per row of 4096 elements (np.matmul of 1-row matrices), the rows' sums added in
    float64. (One dot over a whole 1M-element array, which accumulates in float32 lanes, was
    off by up to 2e-4 relative; rows of 4096 by 4e-7, as np.sum's pairwise sum.)"""
    a, b = a.reshape(-1), b.reshape(-1)
    m = a.size - a.size % _DOT_ROW
    rows = np.matmul(a[:m].reshape(-1, 1, _DOT_ROW), b[:m].reshape(-1, _DOT_ROW, 1))
    return float(rows.sum(dtype=np.float64)) + float(np.dot(a[m:], b[m:]))


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                   reduce: bool | None = None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """Smooth L1: quadratic (divided by beta) for |x - y| < beta, linear beyond; beta = 0 is
    exactly ``l1_loss`` (see ``nn.SmoothL1Loss``)."""
    _warn_size_mismatch(input, target)
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    _loss_broadcast(input, target)
    if beta == 0.0:
        return L1Loss.apply(input, target, reduction,
                            name=reduction_node(reduction, "AbsBackward0"))
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return SmoothL1Loss.apply(input, target, reduction, beta)


class GaussianNLLLoss(ArrayFunction):
    """Negative log-likelihood of y under N(x, v), with v = max(var, eps) (torch clamps a copy of
    var without recording the clamp, so the gradient w.r.t. var is taken at v and passed
    straight through):
        l = (log v + (x - y)^2 / v) / 2   [+ log(2 pi) / 2 if full]
    dl/dx = (x - y) / v,   dl/dy = -(x - y) / v,   dl/dvar = (1 / v - (x - y)^2 / v^2) / 2."""

    _backward_name = "GaussianNllLossBackward"

    @staticmethod
    def forward(ctx, x, y, var, full, eps, reduction):
        x, y = _float_pair(x, y)
        d = x - y
        v = np.maximum(var, eps).astype(np.result_type(var, x), copy=False)
        ctx.save_for_backward(d, v)
        ctx.reduction = reduction
        loss = 0.5 * (np.log(v) + d * d / v)
        if full:
            loss = loss + 0.5 * math.log(2 * math.pi)
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, g):
        d, v = ctx.saved_tensors
        gl = _upstream(g, np.broadcast_shapes(d.shape, v.shape), ctx.reduction)
        gx = gl * d / v if ctx.needs_input_grad[0] or ctx.needs_input_grad[1] else None
        gv = gl * 0.5 * (1 / v - d * d / (v * v)) if ctx.needs_input_grad[2] else None
        gy = -gx if ctx.needs_input_grad[1] else None
        return gx, gy, gv, None, None, None


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False,
                      eps: float = 1e-6, reduction: str = "mean") -> Tensor:
    """Gaussian negative log-likelihood with predicted variance ``var``, clamped at ``eps``
    (see ``nn.GaussianNLLLoss`` for the accepted shapes of ``var``)."""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = np.full(input.shape, var, dtype=input._data.dtype)
        var_shape = tuple(input.shape)
    elif not isinstance(var, Tensor):  # torch reaches torch.any(var < 0) with a Python bool
        raise TypeError("any() received an invalid combination of arguments - got (bool), but "
                        "expected one of:")
    else:
        if np.any(var._data < 0):
            raise ValueError("var has negative entry/entries")
        var_shape = tuple(var.shape)
    in_shape = tuple(input.shape)
    if var_shape != in_shape:
        if in_shape[:-1] == var_shape:  # one dim short: the same variance for the last dim
            var = var.reshape(var_shape + (1,))
        elif not (len(in_shape) == len(var_shape)
                  and sum(v for i, v in zip(in_shape, var_shape) if i != v) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    _loss_broadcast(input, target)
    node = reduction_node(reduction, "AddBackward0" if full else "MulBackward0")
    return GaussianNLLLoss.apply(input, target, var, full, eps, reduction, name=node)


class PoissonNLLLoss(ArrayFunction):
    """Negative log-likelihood of a count y under Poisson(rate), dropping the constant log(y!):
        log_input:      l = exp(x) - y x                  (x = log rate)
        otherwise:      l = x - y log(x + eps)            (x = rate)
        full adds Stirling's log(y!) ~ y log y - y + log(2 pi y) / 2 where y > 1 (0 elsewhere).
    dl/dx = exp(x) - y           or  1 - y / (x + eps)
    dl/dy = -x                   or  -log(x + eps)
            + [y > 1] (log y + 1 / (2 y))   if full (torch's chain rule multiplies the masked-out
            zero by log y and 1 / y, so the target gradient is nan where y <= 0, as in torch)."""

    _backward_name = "PoissonNllLossBackward"

    @staticmethod
    def forward(ctx, x, y, log_input, full, eps, reduction):
        x, y = _float_pair(x, y)
        ctx.reduction, ctx.log_input, ctx.full, ctx.eps = reduction, log_input, full, eps
        ctx.save_for_backward(x, y)
        if log_input:
            loss = np.exp(x) - y * x
        else:
            loss = x - y * np.log(x + eps)
        if full:
            stirling = y * np.log(y) - y + 0.5 * np.log(2 * math.pi * y)
            loss = loss + np.where(y <= 1, 0, stirling)
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        gl = _upstream(g, np.broadcast_shapes(x.shape, y.shape), ctx.reduction)
        gx = gy = None
        if ctx.needs_input_grad[0]:
            gx = gl * (np.exp(x) - y if ctx.log_input else 1 - y / (x + ctx.eps))
        if ctx.needs_input_grad[1]:
            gy = gl * (-x if ctx.log_input else -np.log(x + ctx.eps))
            if ctx.full:
                gy = gy + np.where(y <= 1, 0, gl) * (np.log(y) + 0.5 / y)
        return gx, gy, None, None, None, None


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: bool | None = None, eps: float = 1e-8,
                     reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Poisson negative log-likelihood (see ``nn.PoissonNLLLoss``)."""
    if not (isinstance(input, Tensor) and isinstance(target, Tensor)):
        raise argument_error(poisson_nll_loss, locals())
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not a valid value for reduction")
    _loss_broadcast(target, input)
    if input._data.dtype == np.bool_ and (not log_input or target._data.dtype == np.bool_):
        # torch's exp(x) - y * x (a bool y * x) or x - y * log(x + eps): a bool subtraction
        _sub_operands(1.0, input._data)
    if _integral(input, target):  # torch computes in the default float dtype
        input = _as_default_float(input)
    node = reduction_node(reduction, "AddBackward0" if full else "SubBackward0")
    return PoissonNLLLoss.apply(input, target, log_input, full, eps, reduction, name=node)


def _xlogy(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a * log(b), defined as 0 where a == 0 (unless b is nan), as torch.xlogy."""
    return np.where((a == 0) & ~np.isnan(b), 0, a * np.log(b))


class KLDivLoss(ArrayFunction):
    """Pointwise Kullback-Leibler divergence, x holding log-probabilities:
        l = y (log y - x)          (xlogy: 0 where y == 0)
        l = exp(y) (y - x)         if log_target (y holds log-probabilities)
    dl/dx = -y                  or  -exp(y)
    dl/dy = log y + 1 - x       or  exp(y) (y - x + 1)
            (torch's xlogy rule writes the first term as [y != 0] log y + y / y: nan at y == 0).
    torch composes both: the first saves x and y themselves, the second (log_target) exp(y)
    and y - x, which a later change to x's or y's data does not reach."""

    _backward_name = "KlDivLossBackward"

    @staticmethod
    def forward(ctx, x, y, reduction, log_target):
        x, y = _float_pair(x, y)
        ctx.reduction, ctx.log_target = reduction, log_target
        if log_target:
            ey, d = np.exp(y), y - x
            ctx.save_for_backward(ey, d)
            return _reduce(ey * d, reduction)
        ctx.save_for_backward(x, y)
        return _reduce(_xlogy(y, y) - y * x, reduction)

    @staticmethod
    def backward(ctx, g):
        gx = gy = None
        if ctx.log_target:
            ey, d = ctx.saved_tensors
            gl = _upstream(g, np.broadcast_shapes(ey.shape, d.shape), ctx.reduction)
            gx = -ey * gl if ctx.needs_input_grad[0] else None
            if ctx.needs_input_grad[1]:
                gy = gl * ey * (d + 1)
        else:
            x, y = ctx.saved_tensors
            gl = _upstream(g, np.broadcast_shapes(x.shape, y.shape), ctx.reduction)
            gx = -y * gl if ctx.needs_input_grad[0] else None
            if ctx.needs_input_grad[1]:
                gy = gl * (_xlogy((y != 0).astype(y.dtype), y) + y / y - x)
        return gx, gy, None, None


def kl_div(input: Tensor, target: Tensor, size_average: bool | None = None,
           reduce: bool | None = None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """Pointwise KL divergence with ``input`` in log space (see ``nn.KLDivLoss``);
    'batchmean' divides the sum by the batch size, the mathematical KL(target || input)."""
    if not (isinstance(input, Tensor) and isinstance(target, Tensor)):
        raise argument_error(kl_div, locals())
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
        batchmean = False
    else:
        if reduction == "mean":
            import warnings
            warnings.warn(
                "reduction: 'mean' divides the total loss by both the batch size and the support "
                "size.'batchmean' divides only by the batch size, and aligns with the KL div "
                "math definition.'mean' will be changed to behave the same as 'batchmean' in "
                "the next major release.", stacklevel=2)
        batchmean = reduction == "batchmean"
        reduction = "sum" if batchmean else _Reduction.resolve(None, None, reduction)
    if not (input.is_floating_point() and target.is_floating_point()):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    _loss_broadcast(target, input)  # torch's message names the target first (y * x)
    node = reduction_node(reduction, "MulBackward0" if log_target else "SubBackward0")
    out = KLDivLoss.apply(input, target, reduction, log_target, name=node)
    if batchmean and input.ndim != 0:
        out = out / input.shape[0]
    return out
