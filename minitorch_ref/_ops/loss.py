"""Loss kernels: each loss is one ``ArrayFunction``, its forward beside its closed-form backward.

``minitorch_ref.nn.functional`` validates arguments the way torch does and calls these kernels;
nothing here is public API. Notation used in every docstring:

* ``x`` the input (prediction), ``y`` the target, ``w`` a weight, ``g`` the gradient arriving
  from above (the gradient of the *reduced* output).
* ``l`` the element-wise (or per-sample) loss, of shape ``S``. The kernel returns
  ``reduce(l)``: ``l`` itself (``'none'``), ``sum(l)`` (``'sum'``) or ``sum(l) / n`` with ``n``
  the number of entries of ``l`` (``'mean'``). The chain rule through the reduction is
  ``dL/dl = g`` (none), ``g`` broadcast over ``S`` (sum), ``g / n`` broadcast over ``S`` (mean);
  ``_upstream`` computes it, and each backward multiplies it by the local derivative ``dl/dx``.

Inputs of different shapes broadcast against each other; the engine sums each gradient back to its
input's shape, so no backward here un-broadcasts. Extreme inputs follow torch's formulas literally
(``log`` clamped at -100 in BCE, ``log1p(exp(-y x))`` in the soft margin loss, ...), so that values
and gradients are finite exactly where torch's are, and ``inf``/``nan`` where torch's are.
"""
from __future__ import annotations

import math

import numpy as np

from ..autograd.function import ArrayFunction
from ._util import promote, zero_where

__all__: list = []  # kernels only: the public functions live in nn.functional

# torch's guard against division by zero in BCE's backward and in the cosine loss: a C++ float,
# so 1e-12 rounded to float32 (9.99999996e-13), even in float64 arithmetic.
_EPSILON = float(np.float32(1e-12))


_VARIANTS: dict = {}


def named(kernel: type, node_name: str) -> type:
    """``kernel`` recording its ``grad_fn`` as ``node_name``.

    Where torch composes a loss from several ops, the ``grad_fn`` of its result is the last of
    them (``MeanBackward0`` for a mean, ``NllLossBackward0`` for cross-entropy, ...), and that
    name is printed with the loss (``tensor(0.69, grad_fn=<MeanBackward0>)``). One fused kernel
    here does the whole computation; this gives it torch's printed name. The math is unchanged:
    the variant is a subclass that only sets ``_backward_name``."""
    key = (kernel, node_name)
    variant = _VARIANTS.get(key)
    if variant is None:
        variant = type(kernel.__name__, (kernel,), {"_backward_name": node_name,
                                                     "__doc__": kernel.__doc__,
                                                     "__module__": kernel.__module__})
        _VARIANTS[key] = variant
    return variant


def reduction_node(reduction: str, none_name: str) -> str:
    """The grad_fn torch's composite losses end with: the reduction's, or their last
    element-wise op for 'none'."""
    return {"mean": "MeanBackward0", "sum": "SumBackward0"}.get(reduction, none_name)


# -- reduction -------------------------------------------------------------------------------------

def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    """``none``: ``loss``; ``sum``: its sum; ``mean``: its sum over its size (nan when empty)."""
    if reduction == "none":
        return loss
    total = loss.sum()
    if reduction == "sum":
        return total
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / loss.size if loss.size else total * np.nan


def _upstream(g: np.ndarray, shape: tuple, reduction: str) -> np.ndarray:
    """dL/dl for an element-wise loss ``l`` of ``shape``: g, or g (/ n) broadcast over ``shape``."""
    if reduction == "none":
        return g
    if reduction == "mean":
        n = math.prod(shape)
        g = g / n if n else g
    return np.broadcast_to(g, shape)


def _float_pair(x, y):
    """Two operands in torch's promoted dtype (a float result for a float input)."""
    return promote(x, y)


# -- regression losses -----------------------------------------------------------------------------

class L1Loss(ArrayFunction):
    """l = |x - y|.
    dl/dx = sign(x - y)  (0 where x == y, as torch's abs),   dl/dy = -dl/dx."""

    _backward_name = "L1LossBackward"

    @staticmethod
    def forward(ctx, x, y, reduction):
        x, y = _float_pair(x, y)
        d = x - y
        ctx.save_for_backward(d)
        ctx.reduction = reduction
        return _reduce(np.abs(d), reduction)

    @staticmethod
    def backward(ctx, g):
        d, = ctx.saved_tensors
        gx = np.sign(d) * _upstream(g, d.shape, ctx.reduction)
        return gx, (-gx if ctx.needs_input_grad[1] else None), None


class MSELoss(ArrayFunction):
    """l = (x - y)^2.
    dl/dx = 2 (x - y),   dl/dy = -2 (x - y)."""

    _backward_name = "MseLossBackward0"

    @staticmethod
    def forward(ctx, x, y, reduction):
        x, y = _float_pair(x, y)
        d = x - y
        ctx.save_for_backward(d)
        ctx.reduction = reduction
        return _reduce(d * d, reduction)

    @staticmethod
    def backward(ctx, g):
        d, = ctx.saved_tensors
        gx = 2 * d * _upstream(g, d.shape, ctx.reduction)
        return gx, (-gx if ctx.needs_input_grad[1] else None), None


class HuberLoss(ArrayFunction):
    """With d = x - y:  l = d^2 / 2                 where |d| < delta,
                            delta (|d| - delta / 2)  otherwise.
    Both pieces are  l = c (d - c / 2)  with  c = clip(d, -delta, delta),  and c is the slope:
    dl/dx = c = clip(d, -delta, delta),   dl/dy = -c.
    (Computed in that branch-free form: the same floating-point value as torch's two pieces, and
    an unpredictable np.where over the elements costs ten times more.)"""

    _backward_name = "HuberLossBackward0"

    @staticmethod
    def forward(ctx, x, y, reduction, delta):
        x, y = _float_pair(x, y)
        d = x - y
        c = np.clip(d, -delta, delta)
        ctx.save_for_backward(c)
        ctx.reduction = reduction
        return _reduce(_times_d_minus_half(c, d), reduction)

    @staticmethod
    def backward(ctx, g):
        c, = ctx.saved_tensors
        gx = c * _upstream(g, c.shape, ctx.reduction)
        return gx, (-gx if ctx.needs_input_grad[1] else None), None, None


def _times_d_minus_half(c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """c (d - c / 2), in one new array (in-place steps: these losses run over large tensors)."""
    out = c * -0.5
    out += d
    out *= c
    return out


class SmoothL1Loss(ArrayFunction):
    """With d = x - y:  l = d^2 / (2 beta)   where |d| < beta,
                            |d| - beta / 2    otherwise        (beta > 0; beta = 0 is L1Loss).
    It is Huber with delta = beta, divided by beta:  l = c (d - c / 2) / beta,
    c = clip(d, -beta, beta).
    dl/dx = c / beta = clip(d / beta, -1, 1),   dl/dy = -dl/dx."""

    _backward_name = "SmoothL1LossBackward0"

    @staticmethod
    def forward(ctx, x, y, reduction, beta):
        x, y = _float_pair(x, y)
        d = x - y
        c = np.clip(d, -beta, beta)
        ctx.save_for_backward(c)
        ctx.reduction, ctx.beta = reduction, beta
        loss = _times_d_minus_half(c, d)
        if beta != 1:
            loss /= beta
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, g):
        c, = ctx.saved_tensors
        gx = c / ctx.beta
        gx *= _upstream(g, c.shape, ctx.reduction)
        return gx, (-gx if ctx.needs_input_grad[1] else None), None, None


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
        with np.errstate(divide="ignore", invalid="ignore"):
            loss = 0.5 * (np.log(v) + d * d / v)
        if full:
            loss = loss + 0.5 * math.log(2 * math.pi)
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, g):
        d, v = ctx.saved_tensors
        gl = _upstream(g, np.broadcast_shapes(d.shape, v.shape), ctx.reduction)
        with np.errstate(divide="ignore", invalid="ignore"):
            gx = gl * d / v if ctx.needs_input_grad[0] or ctx.needs_input_grad[1] else None
            gv = gl * 0.5 * (1 / v - d * d / (v * v)) if ctx.needs_input_grad[2] else None
        gy = -gx if ctx.needs_input_grad[1] else None
        return gx, gy, gv, None, None, None


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
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
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
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            if ctx.needs_input_grad[0]:
                gx = gl * (np.exp(x) - y if ctx.log_input else 1 - y / (x + ctx.eps))
            if ctx.needs_input_grad[1]:
                gy = gl * (-x if ctx.log_input else -np.log(x + ctx.eps))
                if ctx.full:
                    gy = gy + np.where(y <= 1, 0, gl) * (np.log(y) + 0.5 / y)
        return gx, gy, None, None, None, None


class KLDivLoss(ArrayFunction):
    """Pointwise Kullback-Leibler divergence, x holding log-probabilities:
        l = y (log y - x)          (xlogy: 0 where y == 0)
        l = exp(y) (y - x)         if log_target (y holds log-probabilities)
    dl/dx = -y                  or  -exp(y)
    dl/dy = log y + 1 - x       or  exp(y) (y - x + 1)
            (torch's xlogy rule writes the first term as [y != 0] log y + y / y: nan at y == 0)."""

    _backward_name = "KlDivLossBackward"

    @staticmethod
    def forward(ctx, x, y, reduction, log_target):
        x, y = _float_pair(x, y)
        ctx.reduction, ctx.log_target = reduction, log_target
        ctx.save_for_backward(x, y)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            if log_target:
                loss = np.exp(y) * (y - x)
            else:
                loss = _xlogy(y, y) - y * x
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        gl = _upstream(g, np.broadcast_shapes(x.shape, y.shape), ctx.reduction)
        gx = gy = None
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            if ctx.log_target:
                ey = np.exp(y)
                gx = -ey * gl if ctx.needs_input_grad[0] else None
                if ctx.needs_input_grad[1]:
                    gy = gl * ey * (y - x + 1)
            else:
                gx = -y * gl if ctx.needs_input_grad[0] else None
                if ctx.needs_input_grad[1]:
                    gy = gl * (_xlogy((y != 0).astype(y.dtype), y) + y / y - x)
        return gx, gy, None, None


def _xlogy(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a * log(b), defined as 0 where a == 0 (unless b is nan), as torch.xlogy."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((a == 0) & ~np.isnan(b), 0, a * np.log(b))


# -- binary classification -------------------------------------------------------------------------

class BinaryCrossEntropy(ArrayFunction):
    """Binary cross-entropy of probabilities x in [0, 1], each log clamped at -100 (torch's
    guard: a probability of exactly 0 or 1 gives a finite loss of at most 100 per element):
        l = -w (y max(log x, -100) + (1 - y) max(log(1 - x), -100))
    dl/dx = w (x - y) / max(x (1 - x), 1e-12)
    dl/dy = -w log(x / (1 - x))        (torch's target gradient: -logit(x), unclamped)."""

    _backward_name = "BinaryCrossEntropyBackward0"

    @staticmethod
    def forward(ctx, x, y, w, reduction):
        x, y = _float_pair(x, y)
        ctx.save_for_backward(x, y, w)
        ctx.reduction = reduction
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(x), -100)
            log_1mx = np.maximum(np.log1p(-x), -100)
        loss = (y - 1) * log_1mx - y * log_x
        if w is not None:
            loss = loss * w
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, g):
        x, y, w = ctx.saved_tensors
        gl = _upstream(g, x.shape, ctx.reduction)
        if w is not None:
            gl = gl * w
        gx = gy = None
        if ctx.needs_input_grad[0]:
            gx = gl * (x - y) / np.maximum(x * (1 - x), _EPSILON)
        if ctx.needs_input_grad[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                gy = -gl * np.log(x / (1 - x))
        return gx, gy, None, None


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    """log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)): no overflow for any x."""
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


class BinaryCrossEntropyWithLogits(ArrayFunction):
    """Binary cross-entropy of logits x, in the stable form torch uses (log sigmoid never
    overflows, so logits of +-1e4 give exact, finite losses):
        l = w ((1 - y) x - (1 + (p - 1) y) log sigmoid(x))        p = pos_weight (default 1)
    which equals -w (p y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))).
    dl/dx = w ((1 + (p - 1) y) sigmoid(x) - p y)           (= w (sigmoid(x) - y) when p = 1)
    dl/dy = w (log sigmoid(-x) - p log sigmoid(x))          (= -w x when p = 1)."""

    _backward_name = "BinaryCrossEntropyWithLogitsBackward0"

    @staticmethod
    def forward(ctx, x, y, w, pos_weight, reduction):
        x, y = _float_pair(x, y)
        ctx.save_for_backward(x, y, w, pos_weight)
        ctx.reduction = reduction
        log_sig = _log_sigmoid(x)
        if pos_weight is not None:
            log_sig = log_sig * ((pos_weight - 1) * y + 1)
        loss = (1 - y) * x - log_sig
        if w is not None:
            loss = loss * w
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, g):
        x, y, w, p = ctx.saved_tensors
        gl = _upstream(g, x.shape, ctx.reduction)
        if w is not None:
            gl = gl * w
        gx = gy = None
        if ctx.needs_input_grad[0]:
            if p is None:
                gx = gl * (_sigmoid(x) - y)
            else:
                py = p * y
                gx = gl * ((py + 1 - y) * _sigmoid(x) - py)
        if ctx.needs_input_grad[1]:
            gy = gl * (-x if p is None else _log_sigmoid(-x) - _log_sigmoid(x) * p)
        return gx, gy, None, None, None


class SoftMarginLoss(ArrayFunction):
    """Two-class logistic loss for targets y in {-1, 1}:  l = log(1 + exp(-y x)).
    dl/dx = -y exp(-y x) / (1 + exp(-y x)).
    (torch evaluates exp(-y x) as written: the loss is inf once -y x > ~88 in float32, and the
    gradient nan; this kernel does the same.)"""

    _backward_name = "SoftMarginLossBackward0"

    @staticmethod
    def forward(ctx, x, y, reduction):
        x, y = _float_pair(x, y)
        ctx.save_for_backward(x, y)
        ctx.reduction = reduction
        with np.errstate(over="ignore"):
            loss = np.log1p(np.exp(-y * x))
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        with np.errstate(over="ignore", invalid="ignore"):
            z = np.exp(-y * x)
            gx = -y * z / (z + 1) * _upstream(g, x.shape, ctx.reduction)
        return gx, None, None


class MultiLabelSoftMarginLoss(ArrayFunction):
    """Per-sample mean over the C classes (last dim) of the weighted binary cross-entropy of
    logits:  l_n = -(1/C) sum_c w_c (y_nc log sigmoid(x_nc) + (1 - y_nc) log sigmoid(-x_nc)).
    dl_n/dx_nc = -(w_c / C) (y_nc sigmoid(-x_nc) - (1 - y_nc) sigmoid(x_nc))   (= w_c (s - y) / C)
    dl_n/dy_nc = -(w_c / C) (log sigmoid(x_nc) - log sigmoid(-x_nc))           (= -w_c x / C)
    dl_n/dw_c  = (unweighted term)_nc / C."""

    _backward_name = "MultilabelSoftMarginLossBackward"

    @staticmethod
    def forward(ctx, x, y, w, reduction):
        x, y = _float_pair(x, y)
        ls_pos, ls_neg = _log_sigmoid(x), _log_sigmoid(-x)
        term = -(y * ls_pos + (1 - y) * ls_neg)
        ctx.save_for_backward(x, y, w, ls_pos, ls_neg, term)
        ctx.reduction = reduction
        weighted = term if w is None else term * w
        ctx.n_classes = x.shape[-1]
        return _reduce(weighted.sum(axis=-1) / ctx.n_classes, reduction)

    @staticmethod
    def backward(ctx, g):
        x, y, w, ls_pos, ls_neg, term = ctx.saved_tensors
        shape = np.broadcast_shapes(term.shape, () if w is None else w.shape)
        gl = _upstream(g, shape[:-1], ctx.reduction)[..., None] / ctx.n_classes
        gw = gl * term if ctx.needs_input_grad[2] else None
        if w is not None:
            gl = gl * w
        gx = gy = None
        if ctx.needs_input_grad[0]:
            gx = -gl * (y * _sigmoid(-x) - (1 - y) * _sigmoid(x))
        if ctx.needs_input_grad[1]:
            gy = -gl * (ls_pos - ls_neg)
        return gx, gy, gw, None


# -- margin and embedding losses -------------------------------------------------------------------

class HingeEmbeddingLoss(ArrayFunction):
    """For targets y in {1, -1}:  l = x where y == 1,  max(0, margin - x) where y == -1
    (torch applies the first term wherever y != -1 and the second wherever y != 1).
    dl/dx = [y != -1] - [y != 1] [margin - x >= 0]   (the hinge passes its gradient at 0, as
    torch's clamp_min); where neither term is active the gradient is selected to 0, as torch's
    where and clamp_min do (an inf upstream gradient gives 0 there, not NaN)."""

    _backward_name = "HingeEmbeddingLossBackward"

    @staticmethod
    def forward(ctx, x, y, margin, reduction):
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
        with np.errstate(invalid="ignore"):  # 0 * inf where both terms cancel: NaN, as torch
            gx = slope * gl
        return zero_where(gx, ~(linear | hinge)), None, None, None


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
        z = -y * diff + margin
        ctx.save_for_backward(diff, y, z)
        ctx.reduction = reduction
        return _reduce(np.maximum(z, 0), reduction)

    @staticmethod
    def backward(ctx, g):
        diff, y, z = ctx.saved_tensors
        ga = zero_where(_upstream(g, z.shape, ctx.reduction), ~(z >= 0))
        gy = -diff * ga if ctx.needs_input_grad[2] else None
        gx1 = -y * ga
        return gx1, (-gx1 if ctx.needs_input_grad[1] else None), gy, None, None


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
        with np.errstate(invalid="ignore"):
            slope = active.astype(z.dtype) if ctx.p == 1 else zero_where(2 * z, ~active)
        if w is not None:
            slope = slope * w[t1]
        np.put_along_axis(slope, t1, -slope.sum(axis=1, keepdims=True), axis=1)
        with np.errstate(invalid="ignore"):  # 0 * inf: NaN, as torch's final multiply
            h = (slope * gl).astype(z.dtype, copy=False)
        return h.reshape(ctx.x_shape), None, None, None, None, None


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
        with np.errstate(invalid="ignore"):  # 0 * inf: NaN, as torch's final multiply
            gx *= gl
        return gx.reshape(ctx.x_shape), None, None


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
    with np.errstate(divide="ignore", invalid="ignore"):
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
            with np.errstate(invalid="ignore"):
                k_an = zero_where(k * share_an, share_an == 0)
                k_pn = zero_where(k * share_pn, share_pn == 0)
        with np.errstate(invalid="ignore"):  # inf - inf from two distances: NaN, as torch
            kn_ap, kn_an, kn_pn = k * n_ap, k_an * n_an, k_pn * n_pn
            ga = kn_ap - kn_an
            gp = -kn_ap - kn_pn
            gn = kn_an + kn_pn
        return ga, gp, gn, None, None, None, None, None


# -- classification over C classes: log-softmax, NLL and cross-entropy -----------------------------

def _class_indices(t: np.ndarray, ignore_index: int, n_classes: int) -> tuple:
    """(valid mask, safe indices): ignored targets point at class 0 and are masked out. A target
    outside [0, C) that is not ignore_index is torch's IndexError, naming the first one."""
    t = t.astype(np.int64, copy=False)  # uint8 targets too: compare without overflow
    valid = t != ignore_index
    idx = t * valid
    # viewed as unsigned, a negative index is huge: one max finds both kinds of bad target
    if idx.size and idx.view(np.uint64).max() >= n_classes:
        raise IndexError(f"Target {int(idx[(idx < 0) | (idx >= n_classes)].flat[0])} is out "
                         "of bounds.")
    return valid, idx


def _class_entries(shape: tuple, axis: int) -> tuple:
    """``(starts, inner)`` for a C-contiguous array of ``shape`` with classes on ``axis``: the
    flat position of each row's class-0 entry (``starts`` has ``shape`` without that axis) and
    the distance between neighbouring classes, so that row r's class c sits at
    ``starts[r] + c * inner``. Indexing the flattened array with such positions reads or writes
    one entry per row in one step."""
    inner = math.prod(shape[axis + 1:])
    # rows numbered in C order; row r = (outer o, inner i) starts at o*C*inner + i, which is
    # r plus the (C - 1)*inner entries of the other classes of each earlier outer block
    rows = np.arange(math.prod(shape[:axis]) * inner).reshape(shape[:axis] + shape[axis + 1:])
    return rows + (rows // inner) * ((shape[axis] - 1) * inner), inner


def _row_max(x: np.ndarray, axis: int, starts: np.ndarray, inner: int) -> np.ndarray:
    """max of the C-contiguous ``x`` over ``axis`` (kept as a size-1 dim), read at the argmax
    (``starts``, ``inner`` from ``_class_entries``): NumPy's argmax over a short axis runs
    several times faster than its max. Same values, NaN included (argmax stops at the first
    NaN, which max propagates)."""
    keep = x.shape[:axis] + (1,) + x.shape[axis + 1:]
    return x.reshape(-1)[starts + x.argmax(axis=axis) * inner].reshape(keep)


def _gather(a: np.ndarray, idx: np.ndarray, axis: int) -> np.ndarray:
    """a[..., idx, ...] along the class axis, idx having a's shape without that axis."""
    return np.take_along_axis(a, np.expand_dims(idx, axis), axis=axis).squeeze(axis)


class NLLLoss(ArrayFunction):
    """Negative log-likelihood of class indices t under log-probabilities x (classes on ``axis``):
        l_n = -w_{t_n} x_{n, t_n}            (0 where t_n == ignore_index)
    'mean' divides the sum by the total weight W = sum_{n not ignored} w_{t_n} (torch's weighted
    mean; nan when every target is ignored), not by the count of entries.
    dl/dx_{n,c} = -w_{t_n} [c == t_n]   (a one-hot row, scaled by g, or g / W for 'mean')."""

    _backward_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, x, t, w, ignore_index, reduction, axis):
        valid, idx = _class_indices(t, ignore_index, x.shape[axis])
        wt = valid.astype(x.dtype) if w is None else np.where(valid, w[idx], 0).astype(x.dtype)
        loss = -wt * _gather(x, idx, axis)
        ctx.save_for_backward(idx, valid, wt)
        ctx.reduction, ctx.axis, ctx.x_shape = reduction, axis, x.shape
        if reduction == "none":
            return loss
        total = loss.sum()
        if reduction == "sum":
            return total
        ctx.total_weight = wt.sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            return total / ctx.total_weight

    @staticmethod
    def backward(ctx, g):
        idx, valid, wt = ctx.saved_tensors
        if ctx.reduction == "mean":
            with np.errstate(invalid="ignore", divide="ignore"):
                g = g / ctx.total_weight
        with np.errstate(invalid="ignore"):  # ignored targets get no gradient, even if g is nan
            scale = np.where(valid, -wt * g, 0)
        gx = np.zeros(ctx.x_shape, dtype=wt.dtype)
        starts, inner = _class_entries(ctx.x_shape, ctx.axis)
        gx.reshape(-1)[starts + idx * inner] = scale
        return gx, None, None, None, None, None


class CrossEntropy(ArrayFunction):
    """Cross-entropy of logits x against a target distribution q over the classes (``axis``),
    log-softmax fused in:
        log p = x - logsumexp(x),        l_n = -sum_c q_nc log p_nc
    The target distribution, with label smoothing s and class weights w (1 when absent):
        class indices t:   q_nc = w_c ((1 - s) [c == t_n] + s / C),   q_n = 0 where t_n is ignored
        probabilities y:   q_nc = w_c ((1 - s) y_nc + s / C)
    'mean' divides the sum by D: the total weight sum_{n not ignored} w_{t_n} for class indices
    (torch's weighted mean), the number of samples N * d1 * ... for probabilities.

    The closed-form backward, from d log p_nk / dx_nc = [k == c] - softmax_nc:
        dl_n/dx_nc = softmax_nc * Q_n - q_nc,      Q_n = sum_k q_nk
    i.e. softmax minus the target distribution (exactly that for an unweighted one-hot target).
    For class indices Q_n = (1 - s) w_{t_n} + s/C sum_c w_c on valid rows, and q is one entry per
    row plus the smoothing mass, so backward scales the softmax row by Q_n and subtracts.
    For probability targets torch also differentiates w.r.t. y and w:
        dl_n/dy_nc = -(1 - s) w_c log p_nc,       dl/dw_c = -sum_n (q_nc / w_c) log p_nc."""

    _backward_name = "CrossEntropyLossBackward"

    @staticmethod
    def forward(ctx, x, t, w, ignore_index, reduction, smoothing, axis):
        n_classes = x.shape[axis]
        shape_w = [1] * x.ndim
        shape_w[axis] = n_classes
        wb = None if w is None else w.reshape(shape_w)          # w along the class axis
        ctx.reduction, ctx.axis, ctx.smoothing = reduction, axis, smoothing
        ctx.probs = t.dtype.kind == "f"
        if not ctx.probs:  # bad targets are reported before any arithmetic, as torch does
            valid, idx = _class_indices(t, ignore_index, n_classes)
        # the stable log-softmax pieces: shifted = x - max (the largest shifted logit is 0, so
        # exp never overflows), e = exp(shifted), log p = shifted - log(sum e). C order, also
        # for a non-contiguous x: the target entries are found by flat positions.
        x = np.ascontiguousarray(x)
        starts, inner = _class_entries(x.shape, axis)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            shifted = x - _row_max(x, axis, starts, inner)
            if ctx.probs:
                e = np.exp(shifted)
                total = e.sum(axis=axis, keepdims=True)
                logp = shifted
                logp -= np.log(total)
                q = t * (1 - smoothing) + smoothing / n_classes if smoothing > 0 else t
                q = q.astype(x.dtype, copy=False)
                qw = q if wb is None else q * wb
                loss = -(logp * qw).sum(axis=axis)
                denom = x.size / n_classes if n_classes else 0
                ctx.save_for_backward(e, total, logp, qw, q, wb)
            else:
                wt = valid.astype(x.dtype) if w is None else \
                    np.where(valid, w[idx], 0).astype(x.dtype)
                pos = starts + idx * inner
                picked = shifted.reshape(-1)[pos]       # the target class's shifted logit
                if smoothing > 0:  # sum_c w_c shifted_c, for sum_c w_c log p_c below
                    wshift = shifted.sum(axis=axis) if wb is None else \
                        (shifted * wb).sum(axis=axis)
                e = np.exp(shifted, out=shifted)        # shifted is not needed any more
                total = e.sum(axis=axis, keepdims=True)
                log_s = np.log(total.reshape(idx.shape))
                loss = -wt * (picked - log_s)           # the NLL of the target class
                if smoothing > 0:
                    # sum_c w_c log p_c = sum_c w_c shifted_c - log(sum e) sum_c w_c
                    wlogp = wshift - (n_classes if w is None else w.sum()) * log_s
                    loss = (1 - smoothing) * loss - smoothing / n_classes * np.where(valid,
                                                                                     wlogp, 0)
                denom = wt.sum()
                ctx.save_for_backward(e, total, pos, valid, wt, w)
            ctx.denom = denom
            if reduction == "none":
                return loss
            total_loss = loss.sum()
            if reduction == "sum":
                return total_loss
            return total_loss / denom if denom else total_loss * np.nan

    @staticmethod
    def backward(ctx, g):
        axis, s = ctx.axis, ctx.smoothing
        gl = g
        if ctx.reduction == "mean":
            with np.errstate(invalid="ignore", divide="ignore"):
                gl = g / ctx.denom if ctx.denom else g * np.nan
        if ctx.probs:
            e, total, logp, qw, q, wb = ctx.saved_tensors
            gl = np.expand_dims(np.broadcast_to(gl, logp.shape[:axis] + logp.shape[axis + 1:]),
                                axis)
            gx = gy = gw = None
            if ctx.needs_input_grad[0]:   # softmax * Q - q, with softmax = e / sum(e)
                gx = e * (qw.sum(axis=axis, keepdims=True) / total)
                gx -= qw
                gx *= gl
            if ctx.needs_input_grad[1]:
                gy = -logp * gl * (1 - s)
                if wb is not None:
                    gy = gy * wb
            if ctx.needs_input_grad[2]:
                other = tuple(i for i in range(logp.ndim) if i != axis)
                gw = -(logp * q * gl).sum(axis=other)
            return gx, gy, gw, None, None, None, None
        e, total, pos, valid, wt, w = ctx.saved_tensors
        n_classes = e.shape[axis]
        one_hot = wt * (1 - s)  # the target entry of q: (1 - s) w_t (0 on ignored rows)
        with np.errstate(invalid="ignore"):  # ignored rows get nothing, even if g is nan
            hit = np.where(valid, one_hot * gl, 0)
            if s > 0:  # Q_n adds the smoothing mass s/C sum_c w_c of every valid row
                mass = s / n_classes * (n_classes if w is None else w.sum())
                row = np.where(valid, (one_hot + valid * mass) * gl, 0)
            else:      # Q_n = (1 - s) w_t
                row = hit
        gx = e * (row.reshape(total.shape) / total)       # softmax * Q
        if s > 0:  # - the smoothing mass s w_c / C of every valid row
            spread = (np.where(valid, gl, 0) * (s / n_classes)).reshape(total.shape)
            shape_w = [1] * e.ndim
            shape_w[axis] = n_classes
            gx -= spread if w is None else spread * w.reshape(shape_w)
        gx.reshape(-1)[pos] -= hit   # - the one-hot part (1 - s) w_t at the target class
        return gx, None, None, None, None, None, None
