"""Classification losses: ``cross_entropy`` (log-softmax fused in), ``nll_loss``,
``binary_cross_entropy``, ``binary_cross_entropy_with_logits``, ``soft_margin_loss``,
``multilabel_soft_margin_loss``.

Each loss is one ``ArrayFunction``, its forward beside its closed-form backward (notation in
``_loss.py``), and under it the public function, which validates arguments as torch does (same
exception types, messages and warnings).
"""
from __future__ import annotations

import math

import numpy as np

from ..._dtype import result_np_dtype
from ..._names import scalar_type_name, shape_str
from ..._ops._arguments import argument_error
from ..._ops._erf import sigmoid_array as _sigmoid
from ..._ops._util import c_order, new_zeros
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from .. import _reduction as _Reduction
from ._loss import (
    _EPSILON, _check_cast, _check_no_grad, _cpp_float, _float_pair, _loss_broadcast,
    _reduce, _sub_operands, _upstream, reduction_node,
)


# -- binary classification -------------------------------------------------------------------------

def _expand_weight(weight: Tensor, target: Tensor) -> tuple:
    """The shape ``torch.broadcast_shapes(target.size(), weight.size())`` gives, with its
    RuntimeError when the two do not broadcast."""
    ts, ws = tuple(target.shape), tuple(weight.shape)
    try:
        return np.broadcast_shapes(ts, ws)
    except ValueError:
        pass
    for i in range(1, len(ws) + 1):
        t = ts[-i] if i <= len(ts) else 1
        if ws[-i] != t and ws[-i] != 1 and t != 1:
            raise RuntimeError(
                f"Attempting to broadcast a dimension of length {ws[-i]} at {-i}! Mismatching "
                f"argument at index 1 had {weight.size()}; but expected shape should be "
                f"broadcastable to {shape_str(ts)}")
    raise RuntimeError(f"shapes {shape_str(ts)} and {shape_str(ws)} cannot be broadcast")


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
            gy = -gl * np.log(x / (1 - x))
        return gx, gy, None, None


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of probabilities, logs clamped at -100 (see ``nn.BCELoss``)."""
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.size()}) that is different to the input size "
            f"({input.size()}) is deprecated. Please ensure they have the same size.")
    if weight is not None:
        shape = _expand_weight(weight, target)
        if shape != tuple(input.shape):
            raise RuntimeError(f"output with shape {shape_str(input.shape)} doesn't match the "
                               f"broadcast shape {shape_str(shape)}")
    if target.dtype != input.dtype:
        raise RuntimeError(f"Found dtype {scalar_type_name(target.dtype)} but expected "
                           f"{scalar_type_name(input.dtype)}")
    if not input.is_floating_point():
        raise NotImplementedError(
            f"\"binary_cross_entropy\" not implemented for '{scalar_type_name(input.dtype)}'")
    x, y = input._data, target._data
    if not np.all((x >= 0) & (x <= 1)):
        raise RuntimeError("all elements of input should be between 0 and 1")
    if not np.all((y >= 0) & (y <= 1)):
        raise RuntimeError("all elements of target should be between 0 and 1")
    _check_no_grad(weight, "weight", "binary_cross_entropy")
    w = None if weight is None else weight._data.astype(x.dtype, copy=False)
    return BinaryCrossEntropy.apply(input, target, w, reduction)


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    """log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)): no overflow for any x."""
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


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
        out_dtype = result_np_dtype(1, y)  # torch builds the loss in (1 - y)'s tensor
        log_sig = _log_sigmoid(x)          # (in x's own dtype, as torch's log_sigmoid(x))
        x, y = _float_pair(x, y)
        ctx.save_for_backward(x, y, w, pos_weight)
        ctx.reduction = reduction
        if pos_weight is not None:
            log_sig = log_sig * ((pos_weight - 1) * y + 1)
        loss = (1 - y) * x - log_sig
        if w is not None:
            loss = loss * w
        return _reduce(loss, reduction).astype(out_dtype, copy=False)

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


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,
                                     weight: Tensor | None = None,
                                     size_average: bool | None = None,
                                     reduce: bool | None = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """Binary cross-entropy of logits in the overflow-free form, with per-element ``weight`` and
    per-class ``pos_weight`` broadcast over the target (see ``nn.BCEWithLogitsLoss``)."""
    if not (weight is None or isinstance(weight, Tensor)):
        raise argument_error(binary_cross_entropy_with_logits, locals(), tensors=("weight",))
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.size()}) must be the same as input size "
                         f"({input.size()})")
    for extra in (pos_weight, weight):  # in torch's order: pos_weight enters the loss first
        if extra is not None:
            shape = _loss_broadcast(extra, input) if extra is pos_weight else \
                _loss_broadcast(input, extra)
            if shape != tuple(input.shape):
                raise RuntimeError(f"output with shape {shape_str(input.shape)} doesn't match "
                                   f"the broadcast shape {shape_str(shape)}")
    _check_no_grad(weight, "weight", "binary_cross_entropy_with_logits")
    _check_no_grad(pos_weight, "pos_weight", "binary_cross_entropy_with_logits")
    # torch's steps: log_sigmoid(x) (floating x only), then (1 - y) * x - ... in place in
    # (1 - y)'s tensor, which must hold the float results
    if not input.is_floating_point():
        raise NotImplementedError(
            f"\"log_sigmoid_cpu\" not implemented for '{scalar_type_name(input.dtype)}'")
    if target._data.dtype == np.bool_:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    _check_cast(result_np_dtype(input._data, target._data), result_np_dtype(1, target._data))
    w = None if weight is None else weight._data
    pw = None if pos_weight is None else pos_weight._data
    return BinaryCrossEntropyWithLogits.apply(input, target, w, pw, reduction)


class SoftMarginLoss(ArrayFunction):
    """Two-class logistic loss for targets y in {-1, 1}:  l = log(1 + exp(-y x)).
    dl/dx = -y exp(-y x) / (1 + exp(-y x)).
    (torch evaluates exp(-y x) as written: the loss is inf once -y x > ~88 in float32, and the
    gradient nan; this kernel does the same.)"""

    _backward_name = "SoftMarginLossBackward0"

    @staticmethod
    def forward(ctx, x, y, reduction):
        # torch writes -x * y into a tensor of x's dtype, then exp and log1p in place there
        x, y = x, y.astype(x.dtype, copy=False)
        ctx.save_for_backward(x, y)
        ctx.reduction = reduction
        loss = np.log1p(np.exp(-y * x))
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        z = np.exp(-y * x)
        gx = -y * z / (z + 1) * _upstream(g, x.shape, ctx.reduction)
        return gx, None, None


def soft_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                     reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """log(1 + exp(-y x)) (see ``nn.SoftMarginLoss``)."""
    if not (isinstance(input, Tensor) and isinstance(target, Tensor)):
        raise argument_error(soft_margin_loss, locals())
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    _check_no_grad(target, "target", "soft_margin_loss")
    # torch's steps, each with its check: -x into a tensor of x's dtype, * y in place there
    # (shape and dtype), exp in place (a float result into an integer tensor)
    x, y = input._data, target._data
    if x.dtype == np.bool_:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
            "invert a mask, use the `~` or `logical_not()` operator instead.")
    shape = _loss_broadcast(input, target)
    if shape != tuple(input.shape):
        raise RuntimeError(f"output with shape {shape_str(input.shape)} doesn't match the "
                           f"broadcast shape {shape_str(shape)}")
    _check_cast(result_np_dtype(x, y), x.dtype)
    _check_cast(result_np_dtype(x, 1.0), x.dtype)
    return SoftMarginLoss.apply(input, target, reduction)


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


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average: bool | None = None, reduce: bool | None = None,
                                reduction: str = "mean") -> Tensor:
    """Per-sample mean over classes of the binary cross-entropy of logits
    (see ``nn.MultiLabelSoftMarginLoss``)."""
    if not isinstance(input, Tensor):  # (torch's first call on it is log_sigmoid)
        raise argument_error(None, {"input": input}, "log_sigmoid")
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
    if input.ndim == 0:
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    _loss_broadcast(*(t for t in (input, target, weight) if t is not None))
    # torch's -(y * logsigmoid(x) + (1 - y) * logsigmoid(-x)): floating x, no bool y
    if not input.is_floating_point():
        raise NotImplementedError(
            f"\"log_sigmoid_cpu\" not implemented for '{scalar_type_name(input.dtype)}'")
    _sub_operands(1, target._data)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    return MultiLabelSoftMarginLoss.apply(input, target, weight, reduction,
                                          name=reduction_node(reduction, "DivBackward0"))


# -- classification over C classes: NLL and cross-entropy ------------------------------------------

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
    # row (outer o, inner i), in C order, starts at o*C*inner + i: one broadcast sum
    outer = np.arange(math.prod(shape[:axis]))[:, None] * (shape[axis] * inner)
    return (outer + np.arange(inner)).reshape(shape[:axis] + shape[axis + 1:]), inner


def _row_max(x: np.ndarray, axis: int, starts: np.ndarray, inner: int) -> np.ndarray:
    """max of the C-contiguous ``x`` over ``axis`` (kept as a size-1 dim). With the classes
    (nearly) innermost it is read at the argmax (``starts``, ``inner`` from ``_class_entries``):
    there NumPy's argmax runs several times faster than its max. With 16 or more entries between
    neighbouring classes (N-D logits, class axis 1) argmax walks the strided axis element by
    element, 40x slower than max, whose inner loop runs along those contiguous entries. Same
    values either way, NaN included (argmax stops at the first NaN, which max propagates)."""
    if inner >= 16:
        return x.max(axis=axis, keepdims=True)
    keep = x.shape[:axis] + (1,) + x.shape[axis + 1:]
    return x.reshape(-1)[starts + x.argmax(axis=axis) * inner].reshape(keep)


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
        # the target entries by flat position (1.7x faster than take_along_axis on N-D input)
        x = c_order(x)
        starts, inner = _class_entries(x.shape, axis)
        pos = starts + idx * inner
        loss = -wt * x.reshape(-1)[pos]
        ctx.save_for_backward(pos, valid, wt)
        ctx.reduction, ctx.axis, ctx.x_shape = reduction, axis, x.shape
        if reduction == "none":
            return loss
        total = loss.sum()
        if reduction == "sum":
            return total
        ctx.total_weight = wt.sum()
        return total / ctx.total_weight

    @staticmethod
    def backward(ctx, g):
        pos, valid, wt = ctx.saved_tensors
        if ctx.reduction == "mean":
            g = g / ctx.total_weight
        scale = np.where(valid, -wt * g, 0)  # ignored targets get no gradient, even if g is nan
        gx = new_zeros(scale, ctx.x_shape)
        gx.reshape(-1)[pos] = scale
        return gx, None, None, None, None, None


def _nll_checks(input: Tensor, target: Tensor, weight: Tensor | None) -> tuple:
    """torch's nll_loss_nd validation, in torch's order. Returns (class axis, output shape of
    reduction='none')."""
    xs, ts = input._data.shape, target._data.shape  # plain tuples: called on every loss
    nd, td = len(xs), len(ts)
    if nd < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {nd})")
    if nd != 1 and xs[0] != (ts[0] if td else 0):
        raise ValueError(f"Expected input batch_size ({xs[0]}) to match target "
                         f"batch_size ({ts[0] if td else 0}).")

    def check_dtype():
        if target.dtype.name not in ("int64", "uint8"):
            raise RuntimeError(
                "expected target dtype to be Long or Byte, but got "
                f"{scalar_type_name(target.dtype)}")

    n_classes = xs[0] if nd == 1 else xs[1]
    if nd <= 2:
        if td > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        check_dtype()
        if nd == 1 and td == 1 and ts[0] != 1:
            raise ValueError("For 1D input, 1D target must have size 1, but got target size: "
                             f"{ts[0]}")
        if weight is not None and (weight.ndim != 1 or weight.numel() != n_classes):
            raise RuntimeError(
                f"weight tensor should be defined either for all {n_classes} classes or no "
                f"classes but got weight tensor of shape: {shape_str(weight.shape)}")
        out_shape = () if nd == 1 else ts
    else:
        if nd != 4 and ts[1:] != xs[2:]:
            expected = (xs[0],) + xs[2:]
            raise RuntimeError(f"Expected target size {shape_str(expected)}, got "
                               f"{shape_str(ts)}")
        if nd == 4 and td != 3:
            raise RuntimeError("only batches of spatial targets supported (3D tensors) but got "
                               f"targets of dimension: {td}")
        check_dtype()
        if weight is not None and weight.numel() != n_classes:
            raise RuntimeError("weight tensor should be defined either for all or no classes")
        if nd == 4 and ts != (xs[0],) + xs[2:]:
            raise RuntimeError(f"size mismatch (got input: {shape_str(xs)} , target: "
                               f"{shape_str(ts)}")
        out_shape = ts
    if weight is not None and weight.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {scalar_type_name(input.dtype)} but found "
                           f"{scalar_type_name(weight.dtype)}")
    return (0 if nd == 1 else 1), out_shape


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
             size_average: bool | None = None, ignore_index: int = -100,
             reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of class indices under log-probabilities (see ``nn.NLLLoss``)."""
    if not (isinstance(input, Tensor) and isinstance(target, Tensor)
            and (weight is None or isinstance(weight, Tensor))):
        raise argument_error(nll_loss, locals(), name="nll_loss_nd",
                             tensors=("input", "target", "weight"))
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    axis, out_shape = _nll_checks(input, target, weight)
    _check_no_grad(weight, "weight", "nll_loss_forward")
    t = target if target.shape == out_shape else target.reshape(out_shape)
    return NLLLoss.apply(input, t, None if weight is None else weight.reshape(-1), ignore_index,
                         reduction, axis, name=_nll_node(input, reduction))


def _nll_node(input: Tensor, reduction: str) -> str:
    """torch's grad_fn of nll_loss: the 1-D/2-D kernel, the 2-D spatial kernel for 4-D input,
    and a view of the spatial kernel's result for 3-D and 5-D+ input with reduction='none'."""
    if input.ndim <= 2:
        return "NllLossBackward0"
    if input.ndim != 4 and reduction == "none":
        return "ViewBackward0"
    return "NllLoss2DBackward0"


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
        x = c_order(x)
        starts, inner = _class_entries(x.shape, axis)
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
        hit = np.where(valid, one_hot * gl, 0)  # ignored rows get nothing, even if g is nan
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


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average: bool | None = None, ignore_index: int = -100,
                  reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy of logits, log-softmax fused in: class indices or class probabilities as
    target, class weights, ignore_index, label smoothing (see ``nn.CrossEntropyLoss``)."""
    if not (isinstance(input, Tensor) and isinstance(target, Tensor)
            and (weight is None or isinstance(weight, Tensor))):
        raise argument_error(cross_entropy, locals(), name="cross_entropy_loss",
                             tensors=("input", "target", "weight"))
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    if input._data.shape == target._data.shape:  # same shape: the target holds probabilities
        if not target.is_floating_point():
            raise RuntimeError("Expected floating point type for target with class "
                               f"probabilities, got {scalar_type_name(target.dtype)}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if input.ndim == 0:
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        axis = 0 if input.ndim == 1 else 1
        n_classes = input.shape[axis]
        if weight is not None and (weight.ndim != 1 or weight.numel() != n_classes):
            raise RuntimeError(
                f"cross_entropy: weight tensor should be defined either for all {n_classes} "
                "classes or no classes but got weight tensor of shape: "
                f"{shape_str(weight.shape)}")
        if label_smoothing > 1.0:
            raise RuntimeError("label_smoothing must be between 0.0 and 1.0. Got: "
                               f"{_cpp_float(label_smoothing)}")
        node = "DivBackward1" if reduction == "mean" else "NegBackward0"
        return CrossEntropy.apply(input, target, weight, ignore_index, reduction,
                                  max(label_smoothing, 0.0), axis, name=node)
    if label_smoothing > 1.0:
        raise RuntimeError("label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{_cpp_float(label_smoothing)}")
    if not input.is_floating_point():
        raise NotImplementedError(
            "\"log_softmax_lastdim_kernel_impl\" not implemented for "
            f"'{scalar_type_name(input.dtype)}'")
    axis, out_shape = _nll_checks(input, target, weight)
    _check_no_grad(weight, "weight", "nll_loss_forward")
    t = target if target._data.shape == out_shape else target.reshape(out_shape)
    # torch: nll_loss(log_softmax(x)), plus an addition when smoothing
    node = "AddBackward0" if label_smoothing > 0 else _nll_node(input, reduction)
    return CrossEntropy.apply(
        input, t, None if weight is None else weight.reshape(-1), ignore_index, reduction,
        max(label_smoothing, 0.0), axis, name=node)
