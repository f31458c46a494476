"""Normalization: ``layer_norm``, ``group_norm`` (one fused kernel, ``Normalize``, with a
closed-form backward), ``batch_norm``, ``instance_norm`` (its per-channel form,
``NormalizePerChannel``) and ``normalize``; ``rms_norm`` and ``local_response_norm`` live in
``_rms_norm.py`` and ``_local_response.py`` and are imported here. The row-blocked forms of
layer and group norm (``_normalize_rows``) serve large contiguous inputs.

Each kernel is an ``ArrayFunction``: forward beside backward on ndarrays, the derivative in its
docstring (``g`` is dL/d out). Under each kernel, the public functions with torch's checks.
"""
from __future__ import annotations

import math
from typing import Optional

import numpy as np

from ..._names import scalar_type_name, shape_str
from ..._numpy_errors import quiet
from ..._ops import clamp_min
from ..._ops._arguments import argument_error
from ..._ops._util import mean as _mean, normalize_dims as _normalize_dims
from ..._ops.arithmetic import Div as _Div
from ..._ops.out import supports_out
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from ...autograd.grad_mode import _state as _grad_state
from ...autograd.graph_array import GraphArray as _GraphArray
from ._util import _BLAS_DTYPES, _DOT_MIN, _mean_over, _sum_over
from .distance import VectorNorm
from ._group_norm_graph import group_norm_graph_backward
from ._norm_double_backward import BatchNormBackward, LayerNormBackward
from ._local_response import local_response_norm  # noqa: F401  (the same torch family)
from ._norm_util import (_HALF, _check_normalized, _in_place, _normalized_shape,  # noqa
                         _opmath, _rounded, _row_buffer)
from ._rms_norm import rms_norm  # noqa: F401  (the same torch family)

try:
    from numpy._core.multiarray import c_einsum as _c_einsum   # what np.einsum calls
except ImportError:  # (NumPy 1.x)
    _c_einsum = np.einsum


# rows shorter than this are all in the scalar tail of torch's RowwiseMoments (a float32
# vector has 8 lanes or more on every CPU it builds for)
_SCALAR_MOMENTS = 8


def _half_row_moments(x, axes, mean, var):
    """float16 layer norm's mean and biased variance per row as torch's RowwiseMoments
    computes them for rows of fewer than ``_SCALAR_MOMENTS`` elements: Welford's update in
    float32, element by element (d = x_j - m; m += d / j; m2 += d (x_j - m); var = m2 / n).
    Longer rows go through its vector lanes, whose split depends on the CPU: the pairwise
    ``mean``, ``var`` given are kept there (within float32 rounding of torch's)."""
    n = math.prod(x.shape[i] for i in axes)
    if n >= _SCALAR_MOMENTS:
        return mean, var
    rows = (x.t._data if type(x) is _GraphArray else x).reshape(-1, n)
    m1 = np.zeros(len(rows), np.float32)
    m2 = np.zeros_like(m1)
    for j in range(n):
        d = rows[:, j] - m1
        m1 += d / np.float32(j + 1)
        m2 += d * (rows[:, j] - m1)
    return m1.reshape(mean.shape), (m2 / np.float32(n)).reshape(var.shape)


def _half_stats(*stats):
    """Recorded statistics (create_graph's replay) as float16 constants."""
    return tuple(np.asarray(s.t._data if type(s) is _GraphArray else s, np.float16)
                 for s in stats)


def _check_features(name: str, expected: int, t: Optional[Tensor]) -> None:
    if t is not None and t._data.size != expected:
        raise RuntimeError(f"{name} should contain {expected} elements not {t.numel()}")


def _check_same_dtype(input: Tensor, *others: Optional[Tensor]) -> None:
    for t in others:
        if t is not None and t._data.dtype != input._data.dtype:
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def _check_running_no_grad(running_mean: Optional[Tensor],
                           running_var: Optional[Tensor]) -> None:
    """torch's autograd refuses running estimates that require grad (with grad mode on)."""
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None and t._requires_grad and _grad_state.enabled:
            raise RuntimeError(
                f"The function 'native_batch_norm' is not differentiable with respect to "
                f"argument '{name}'. This input cannot have requires_grad True.")


def _update_running(running: Tensor, batch_stat: np.ndarray, momentum: float) -> None:
    """running <- (1 - momentum) * running + momentum * batch_stat, in place (no autograd;
    the buffer object, and any state_dict entry sharing it, sees the change), without a
    version bump, as torch's batch norm kernel writes the estimates. float16 estimates are
    updated in float32 and rounded once (torch's opmath)."""
    r = running._data
    if r.dtype == _HALF:
        r[...] = (1 - momentum) * r.astype(np.float32) + momentum * batch_stat
    else:
        np.multiply(r, 1 - momentum, out=r, casting="unsafe")
        np.add(r, momentum * batch_stat.astype(r.dtype, copy=False), out=r, casting="unsafe")


@quiet  # (called by the module's forward, outside an op: float16 estimates may overflow)
def _update_both(running_mean: Optional[Tensor], mean: np.ndarray,
                 running_var: Optional[Tensor], var: Optional[np.ndarray],
                 momentum: float) -> None:
    """Batch norm's two estimates (either may be None) moved by ``_update_running``."""
    if running_mean is not None:
        _update_running(running_mean, mean, momentum)
    if running_var is not None:
        _update_running(running_var, var, momentum)


@quiet  # (as _update_both)
def _update_running_copies(running: Tensor, stats: np.ndarray, momentum: float) -> None:
    """Instance norm's update, as torch makes it: each of the N repeated copies of the
    estimates moves towards its sample's statistic (``stats``: (N, C)) and is stored in the
    estimates' dtype, then the estimates become the mean of the copies (one ``copy_``: a
    version bump). float16 is computed in float32 (the copies and their mean rounded once
    each)."""
    r = running._data
    work = np.float32 if r.dtype == np.float16 else r.dtype
    copies = ((1 - momentum) * r.astype(work) + momentum * stats).astype(r.dtype)
    r[...] = copies.astype(work).mean(0)
    running._bump_version()


def _affine_shape(input: Tensor) -> tuple:
    """(C, 1, 1, ...): a per-channel tensor broadcast against (N, C, *)."""
    return (input.shape[1],) + (1,) * (input.dim() - 2)


def _affine_reduce_axes(ndim: int, affine_shape: tuple) -> tuple:
    """Axes to sum over to bring a full-size gradient down to the affine parameters' shape
    (``affine_shape`` is aligned to the right of x's dims)."""
    lead = ndim - len(affine_shape)
    return tuple(i for i in range(ndim) if i < lead or affine_shape[i - lead] == 1)


def _kept_stats(dtype, *stats):
    """The statistics as torch's float16 kernels keep them: rounded to float16 (its mean and
    rstd outputs have the input's dtype), then used in float32; other dtypes as they are."""
    if dtype != np.float16:
        return stats
    return tuple(a.astype(np.float16).astype(np.float32) for a in stats)


class Normalize(ArrayFunction):
    """Normalize x with statistics over some axes, then an optional per-feature affine map.

      x viewed as ``stat_shape`` (e.g. (N, G, -1) for group norm); over ``axes``:
      mean = E[x],  var = E[(x - mean)^2] (biased),  rstd = 1 / sqrt(var + eps)
      xhat = (x - mean) * rstd,        out = xhat * w + b    (w, b viewed as ``affine_shape``)

    Outputs ``(out, mean, var)``: batch/instance norm update running statistics from the last
    two (they carry no gradient). With m the number of elements per statistic:

      dxhat = g * w
      dL/dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))     (means over axes)
      dL/dw = sum(g * xhat),  dL/db = sum(g)    over every dim that w does not have

    Layer norm: the last dims, affine normalized_shape; group norm: stat_shape (N, G, -1),
    axes (2,). (Batch and instance norm, whose affine map is constant over each statistic, take
    the per-channel form :class:`NormalizePerChannel`.)

    Large contiguous inputs run these formulas block by block of rows (``_normalize_rows``,
    ``_normalize_rows_backward``): whole 8 MB arrays passed through six times do not stay in
    cache. That form keeps x, mean and rstd rather than xhat (as torch's kernels do), and
    rstd joins the per-row factors (for group norm, one full-size pass fewer each way). The
    whole-array code below is the same math, for small or strided inputs and for create_graph,
    whose recorded values it supports (a create_graph backward replays the forward, which then
    takes this code).
    """

    _backward_name = "NativeBatchNormBackward0"
    # input, weight, bias (listed when absent, as torch's undefined tensors)
    _listed_args = (0, 1, 2)

    @staticmethod
    def forward(ctx, x, w, b, stat_shape, axes, affine_shape, eps):
        # torch's layer norm node also keeps the bias (group norm's does not): an in-place
        # change to it before backward is the version-counter error there, checked before x's
        # and w's. The inputs are kept as given (float16 too), for those checks.
        kept = (b if stat_shape is None else None, x, w)
        dtype = x.dtype
        # float16 layer norm under create_graph: torch's node and formula (LayerNormBackward)
        ctx.own_double_backward = dtype == np.float16 and stat_shape is None
        if stat_shape is not None and type(b) is _GraphArray:
            ctx.graph_bias = b   # create_graph's replay: an edge of the statistics' node
        x, w, b = _opmath(x, w, b)
        layout = _row_layout(x, stat_shape, affine_shape, w, b)
        ctx.meta = (stat_shape, axes, affine_shape, None if b is None else b.shape, layout)
        if layout is not None:
            out, mean, var, rstd = _normalize_rows(x, w, b, layout, eps)
            # float16: the backward from the rounded statistics, as torch's (the output is
            # from the unrounded ones)
            ctx.save_for_backward(kept[0], kept[1], *_kept_stats(dtype, mean, rstd), kept[2],
                                  None)
            if stat_shape is None:  # the statistics' shape: x's, with 1 along the axes
                shape = [1 if i in axes else n for i, n in enumerate(x.shape)]
                mean, var = mean.reshape(shape), var.reshape(shape)
            return out.astype(dtype, copy=False), mean, var
        xs = x.reshape(stat_shape) if stat_shape is not None else x
        # np.mean, not einsum, for the mean: its pairwise sum stays accurate over long axes,
        # and an error in the mean shifts every xhat (the other sums are of centred values)
        mean = _mean(xs, axes, keepdims=True)
        xc = xs - mean
        var = _mean_over(axes, xc, xc)
        if dtype == np.float16 and stat_shape is None and xs.size:
            mean, var = _half_row_moments(xs, axes, mean, var)
            xc = xs - mean
        rstd = 1 / np.sqrt(var + x.dtype.type(eps))
        xc *= rstd  # now xhat (in place: one temporary less)
        xhat = xc.reshape(x.shape)
        # the output never aliases the saved xhat: an in-place change to it must not reach
        # backward
        out = xhat * w.reshape(affine_shape) if w is not None else xhat.copy()
        if b is not None:
            out = _in_place(np.add, out, b.reshape(affine_shape))
        # the mean as an array of its own, not the output: create_graph's replay recomputes it
        # from x (a saved output would stand for itself, its dependence on x lost)
        kept_mean, kept_rstd = mean.copy(), rstd
        if dtype == np.float16:   # the backward's xhat from the rounded statistics
            kept_mean, kept_rstd = _kept_stats(dtype, mean, rstd)
            xhat = ((xs - kept_mean) * kept_rstd).reshape(x.shape)
        # x too, though only xhat is read: an in-place change to x before backward is
        # torch's version-counter error. (The blocked form's mean, an output, keeps its own
        # place: create_graph's replay puts the node's outputs back where they were saved.)
        # the statistics too: group norm's create_graph backward reads them (as torch's)
        ctx.save_for_backward(kept[0], kept[1], kept_mean, kept_rstd, kept[2], xhat)
        return out.astype(dtype, copy=False), mean, var

    @staticmethod
    def backward(ctx, g, _gmean=None, _gvar=None):
        b, x, mean, rstd, w, xhat = ctx.saved_tensors  # the blocked form: mean, no xhat
        stat_shape, axes, affine_shape, b_shape, layout = ctx.meta
        need = ctx.needs_input_grad
        gx = gw = gb = None
        if g is None:
            return None, None, None, None, None, None, None
        if _GraphArray in (type(g), type(x), type(w)):
            if stat_shape is not None:
                # create_graph: torch's group norm derivative as tensor ops (_group_norm_graph)
                gx, gw, gb = group_norm_graph_backward(g, x, mean, rstd, w, stat_shape, need,
                                                       getattr(ctx, "graph_bias", None))
                return gx, gw, gb, None, None, None, None
            if x.dtype == np.float16:   # one op, torch's double backward in float16
                def gradients(g, x, mean, rstd, w):
                    x32, mean, rstd = _opmath(x, mean, rstd)
                    xhat = (x32 - mean) * rstd
                    return Normalize._whole_backward(g, x, xhat, rstd, w, ctx.meta, need)
                gx, gw, gb = LayerNormBackward.call(g, x, *_half_stats(mean, rstd), w, b,
                                                    gradients, need[:3], len(axes))
                return gx, gw, gb, None, None, None, None
        dtype = x.dtype
        x, w, g = _opmath(x, w, g)
        if layout is not None:
            g = np.ascontiguousarray(g, dtype=x.dtype)
            gx, gw, gb = _normalize_rows_backward(g, x, mean, rstd, w, layout, need)
            gx, gw, gb = _rounded(dtype, gx, gw, gb)
            return (gx, None if gw is None else gw.reshape(w.shape),
                    None if gb is None else gb.reshape(b_shape), None, None, None, None)
        return (*Normalize._whole_backward(g, x, xhat, rstd, w, ctx.meta, need, dtype),
                None, None, None, None)

    @staticmethod
    def _whole_backward(g, x, xhat, rstd, w, meta, need, dtype=None):
        """The whole-array backward (the docstring's formulas), on x, w, g in their opmath
        dtype (or given as float16: converted here); results in ``dtype`` (x's)."""
        dtype = dtype or x.dtype
        x, w, g = _opmath(x, w, g)
        stat_shape, axes, affine_shape, b_shape, _ = meta
        gx = gw = gb = None
        if need[0]:
            # fresh arrays only below: g itself is never written
            dxhat = g * w.reshape(affine_shape) if w is not None else g.copy()
            xh = xhat
            if stat_shape is not None:
                dxhat = dxhat.reshape(stat_shape)
                xh = xhat.reshape(stat_shape)
            m1 = _mean_over(axes, dxhat)
            m2 = _mean_over(axes, dxhat, xh)
            dxhat -= m1
            prod = xh * m2
            # dxhat - xh m2 into the fresh product: it is recorded (a GraphArray) whenever
            # dxhat is, and also when only xh is (a constant g under create_graph)
            np.subtract(dxhat, prod, out=prod)
            prod *= rstd
            gx = prod.reshape(xhat.shape)
        red = _affine_reduce_axes(xhat.ndim, affine_shape)
        if need[1]:
            gw = _sum_over(red, g, xhat).reshape(w.shape)
        if need[2]:
            gb = _sum_over(red, g).reshape(b_shape)
        return _rounded(dtype, gx, gw, gb)


# elements per block of Normalize's row-blocked form: each block's intermediates stay in the
# caches, so every full-size array is read or written once each way (LayerNorm 32x128x512:
# six 8 MB arrays do not fit in the L3 cache together)
_ROW_BLOCK = 1 << 18


def _row_layout(x, stat_shape, affine_shape, *params):
    """Normalize's rows for the blocked form: (rows, groups, per, tail), x viewed as
    (rows, groups, per) for the statistics and as (rows, *tail) for the affine map; None where
    the whole-array form runs (x or a parameter a GraphArray under create_graph, x strided or
    small, a dtype other than float32/float64)."""
    if type(x) is not np.ndarray or not x.flags.c_contiguous or x.size < 2 * _ROW_BLOCK \
            or x.dtype not in (np.float32, np.float64) \
            or any(type(p) is _GraphArray for p in params):
        return None
    if stat_shape is None:  # layer norm: one statistic per leading index
        per = math.prod(affine_shape)
        return x.size // per, 1, per, (per,)
    rows, groups, per = stat_shape  # group norm: (N, G, -1); per-channel affine map
    c = x.shape[1]
    return rows, groups, per, (c, x.size // (rows * c))


def _row_sum(a, b=None):
    """sum of a (or of a * b) over the last axis, kept as a size-1 axis. Rows of 128 or more
    elements: one BLAS dot product per row (np.matmul of 1-row matrices), which reads them at
    about twice einsum's speed and, with its several accumulators, sums as accurately as
    np.mean's pairwise sum (a mean of 1000 + N(0, 1) over 512 to 65536 elements: within 1-2
    float32 ulp of 1000, as torch's); shorter rows: einsum (``_sum_over``), faster there."""
    n = a.shape[-1]
    if n < _DOT_MIN and a.ndim == 3:   # (np.einsum's own call, its subscripts fixed)
        s = _c_einsum("abc->ab", a) if b is None else _c_einsum("abc,abc->ab", a, b)
        return s.reshape(a.shape[:-1] + (1,))
    if b is not None or n < _DOT_MIN:
        return _sum_over((a.ndim - 1,), a, b)
    return np.matmul(a.reshape(-1, 1, n), np.ones(n, a.dtype)).reshape(a.shape[:-1] + (1,))


def _affine_view(a, tail):
    """w or b viewed against a block's (rows, *tail) view (per channel: (C, 1))."""
    return a.reshape((tail[0],) + (1,) * (len(tail) - 1))


# Group norm's variance as E[x^2] - mean^2 (one pass over x) where mean^2 <= var + eps: its
# rounding is a sum's times 1 + mean^2 / var (against float64 on U(-1, 1) + 0.57: within 1.6x
# of the two-pass form's error; + 1.5, 2.6 standard deviations, already 4-9x)
_ONE_PASS_VAR = 1


def _normalize_rows(x, w, b, layout, eps):
    """Normalize's forward, the same arithmetic row block by row block (``_ROW_BLOCK``
    elements): the statistics and the affine map of a block while it is in cache (x, mean and
    rstd are kept for the backward; a second full-size array written here would cost as much
    as the output).

      xc = x - mean,  var = mean(xc^2),  rstd = 1 / sqrt(var + eps)
      layer norm:  out = (xc * rstd) * w + b        (rstd per row, w and b per column)
      group norm:  out = xc * (rstd * w) + b        (one factor per (sample, channel))

    Group norm first tries one pass (``_group_norm_one_pass``).
    Returns out, mean, var and rstd (shape (rows, groups, 1))."""
    rows, groups, per, tail = layout
    if len(tail) == 2:
        done = _group_norm_one_pass(x, w, b, layout, eps)
        if done is not None:
            return done
    xs = x.reshape(rows, groups, per)
    out = np.empty_like(x)
    outs = out.reshape((rows,) + tail)
    mean = np.empty((rows, groups, 1), x.dtype)
    var = np.empty_like(mean)
    rstd = np.empty_like(mean)
    eps, count = x.dtype.type(eps), x.dtype.type(per)
    per_channel = w is not None and len(tail) == 2
    with _row_buffer(tail[-1]):
        for part in _row_slices(rows, groups * per):
            np.divide(_row_sum(xs[part]), count, out=mean[part])
            o = outs[part]
            c = np.subtract(xs[part], mean[part], out=o.reshape(xs[part].shape))
            np.divide(_row_sum(c, c), count, out=var[part])
            rs = rstd[part]
            np.reciprocal(np.sqrt(var[part] + eps), out=rs)
            if per_channel:
                o *= (rs * w.reshape(groups, -1)).reshape(-1, tail[0], 1)
            else:
                c *= rs
                if w is not None:
                    o *= w.reshape(tail)
            if b is not None:
                o += _affine_view(b, tail)
    return out, mean, var, rstd


def _group_norm_one_pass(x, w, b, layout, eps):
    """Group norm's forward in one pass over x after its sums (None where a statistic's mean
    is too large for it: mean^2 > _ONE_PASS_VAR (var + eps))::

      var = E[x^2] - mean^2  (sums per (sample, group) over the whole input)
      out = x * a + (b - mean * a),   a = rstd * w per (sample, channel)

    Two full-size passes, block by block, after the sums (the two-pass form takes three)."""
    rows, groups, per, tail = layout
    xv, xq = x.reshape((rows,) + tail), x.reshape(rows * groups, per)
    eps, count = x.dtype.type(eps), x.dtype.type(per)
    # one matrix-vector product and one dot per row: BLAS reads x at memory speed
    mean = (xq @ np.ones(per, x.dtype) / count).reshape(rows, groups, 1)
    var = np.matmul(xq[:, None, :], xq[:, :, None]).reshape(mean.shape) / count - mean * mean
    if not np.all(mean * mean <= _ONE_PASS_VAR * (var + eps)):
        return None
    np.maximum(var, 0, out=var)
    rstd = 1 / np.sqrt(var + eps)
    cg = tail[0] // groups
    a = np.broadcast_to(rstd if w is None else rstd * w.reshape(groups, cg), (rows, groups, cg))
    shift = -mean * a if b is None else b.reshape(groups, cg) - mean * a
    a, shift = a.reshape(rows, tail[0], 1), shift.reshape(rows, tail[0], 1)
    out = np.empty_like(x)
    outs = out.reshape(xv.shape)
    with _row_buffer(tail[-1]):
        for part in _row_slices(rows, groups * per):
            o = np.multiply(xv[part], a[part], out=outs[part])
            o += shift[part]
    return out, mean, var, rstd


def _normalize_rows_backward(g, x, mean, rstd, w, layout, need):
    """Normalize's backward, row block by row block (``_ROW_BLOCK`` elements), from x, the
    mean and rstd, as torch's kernels compute it: from x rather than xc = x - mean. Its
    rounding grows with |mean| / std, as the rounding of the stored mean already does (eps
    |mean| shifts every xhat): against float64 at a mean of 35 standard deviations, float32's
    input gradient within 1.4e-6 (torch's within 2.1e-6, the two-pass form's 6.8e-7). With
    the sums over a statistic's elements (N of them)::

      layer norm (dxhat = g * w, ds = sum(dxhat * x), db = sum(dxhat)):
        dL/dx = rstd * g * w + p * x + q,   p = (mean db - ds) rstd^3 / N,
                                            q = -p mean - db rstd / N
        dL/dw = sum over rows of rstd * g * x - rstd * mean * g    (BLAS products),
        dL/db = sum over rows of g
      group norm (a = rstd * w per (sample, channel); per channel sum(g), sum(g * x)):
        dL/dx = a * g - k * x + (k mean - mean(a g)),   k = rstd^2 mean(a g xc)
        dL/dw = sum over samples of rstd * sum(g * xc),   dL/db = sum of g
                (sum(g * xc) = sum(g * x) - mean sum(g) per channel)

    These are dL/dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)) with the per-row and
    per-channel factors taken out of the sums: six full-size passes for layer norm (products
    g x, g w, by rstd and x p, two adds), four for group norm (``_group_norm_rows_backward``)."""
    rows, groups, per, tail = layout
    if len(tail) == 2:
        return _group_norm_rows_backward(g, x, mean, rstd, w, layout, need)
    gs, xs = g.reshape(rows, groups, per), x.reshape(rows, groups, per)
    gx = np.empty_like(gs) if need[0] else None
    gw = np.zeros(tail[0], g.dtype) if need[1] else None
    gb = np.zeros(tail[0], g.dtype) if need[2] else None
    count = g.dtype.type(per)
    parts = _row_slices(rows, groups * per)
    scratch = np.empty_like(gs[parts[0]])  # one block's, reused (it stays in cache)
    with _row_buffer(tail[-1]):
        for part in parts:
            gp, xp, m, r = gs[part], xs[part], mean[part], rstd[part]
            t = scratch[:len(gp)]
            g2, x2, t2 = gp.reshape(-1, per), xp.reshape(-1, per), t.reshape(-1, per)
            r1, m1 = r.reshape(-1), m.reshape(-1)
            np.multiply(g2, x2, out=t2)
            if gw is not None:
                gw += r1 @ t2 - (r1 * m1) @ g2
            if gb is not None:
                gb += np.ones(len(g2), g.dtype) @ g2
            if gx is None:
                continue
            wv = np.ones(per, g.dtype) if w is None else w.reshape(per)
            ds, db = t2 @ wv, g2 @ wv
            p = (m1 * db - ds) * (r1 * r1 * r1) / count
            q = -p * m1 - db * r1 / count
            d = gx[part].reshape(-1, per)
            if w is None:
                np.multiply(g2, r1[:, None], out=d)
            else:
                np.multiply(g2, wv, out=d)
                d *= r1[:, None]
            np.multiply(x2, p[:, None], out=t2)
            d += t2
            d += q[:, None]
    return None if gx is None else gx.reshape(g.shape), gw, gb


def _group_norm_rows_backward(g, x, mean, rstd, w, layout, need):
    """Group norm's part of ``_normalize_rows_backward``, block by block of samples. Per block
    the per-channel sums of g and g x (BLAS dot products, the block's first read of g and x),
    then per group, as one stacked product with a1 = a rstd^2 / N per channel::

      k = sum_c a1 (sum(g x) - mean sum(g)),   shift = k mean - sum_c a1 sum(g) / rstd^2
      dL/dx = a * g - k * x + shift      (four passes while the block is in cache)

    The parameters' gradients take the per-channel sums of all blocks at the end."""
    rows, groups, per, (c, hw) = layout
    cg = c // groups
    gv, xv = g.reshape(rows, c, hw), x.reshape(rows, c, hw)
    sums = np.empty((2, rows, c), g.dtype)   # per (sample, channel): sum(g), sum(g x)
    ones = np.ones(hw, g.dtype)
    if need[0]:
        a = rstd if w is None else rstd * w.reshape(groups, cg)
        a = np.broadcast_to(a, (rows, groups, cg))
        a1 = (a * (rstd * rstd / g.dtype.type(per)))[..., None]    # (rows, groups, cg, 1)
        a_rows = a.reshape(rows, c, 1)
        inv_r2 = (1 / (rstd * rstd))
        gx = np.empty_like(g)
        gxv, gxs = gx.reshape(gv.shape), gx.reshape(rows, groups, per)
        xs = x.reshape(rows, groups, per)
    parts = _row_slices(rows, c * hw)
    scratch = np.empty_like(gv[parts[0]]).reshape(-1, groups, per) if need[0] else None
    with _row_buffer(hw):
        for part in parts:
            gp, xp = gv[part], xv[part]
            n = len(gp)
            np.matmul(gp.reshape(-1, hw), ones, out=sums[0, part].reshape(-1))
            np.matmul(gp[..., None, :], xp[..., :, None], out=sums[1, part][..., None, None])
            if not need[0]:
                continue
            s = sums[:, part].reshape(2, n, groups, 1, cg)
            t0, t1 = np.matmul(s, a1[part])[..., 0]      # sum_c a1 sum(g), sum_c a1 sum(g x)
            m = mean[part]
            k = t1 - m * t0
            shift = k * m - t0 * inv_r2[part]
            d, t = gxs[part], scratch[:n]
            np.multiply(gp, a_rows[part], out=gxv[part])
            np.multiply(xs[part], k, out=t)   # rows of a whole group: the longer the cheaper
            d -= t
            d += shift
    gw = gb = None
    if need[1]:    # sum over samples of rstd (sum(g x) - mean sum(g))
        sg = sums.reshape(2, rows, groups, cg)
        gw = ((sg[1] - mean * sg[0]) * rstd).sum(0).reshape(-1)
    if need[2]:
        gb = sums[0].sum(0)
    return None if not need[0] else gx, gw, gb


def _row_slices(rows: int, row_size: int) -> list:
    step = max(1, _ROW_BLOCK // max(row_size, 1))
    return [slice(i, i + step) for i in range(0, rows, step)]


def _channel_sum(axes: tuple, a, b=None):
    """``_sum_over(axes, a, b)`` for batch and instance norm's statistics (``axes``: the spatial
    dims, and the batch dim for batch norm). On contiguous float32/float64 ndarrays: per
    (sample, channel) row by ``_row_sum`` (BLAS dot products: 2-3x faster than einsum over
    these axes, and as accurate), then the sum over the batch."""
    if not _rows_by_blas(a, b):
        return _sum_over(axes, a, b)
    n, c = a.shape[:2]
    rows = _row_sum(a.reshape(n, c, -1), None if b is None else b.reshape(n, c, -1))
    if axes[0] == 0:
        return np.add.reduce(rows, axis=0).reshape((1, c) + (1,) * (a.ndim - 2))
    return rows.reshape((n, c) + (1,) * (a.ndim - 2))


def _channel_mean(axes: tuple, a, b=None):
    """The mean over ``axes`` of a (or a * b) by :func:`_channel_sum`; otherwise (and when
    empty) np.mean's pairwise sum, or ``_mean_over``."""
    count = math.prod(a.shape[i] for i in axes)
    if not count or not _rows_by_blas(a, b):
        return a.mean(axis=axes, keepdims=True) if b is None else _mean_over(axes, a, b)
    return _channel_sum(axes, a, b) / a.dtype.type(count)


def _rows_by_blas(a, b) -> bool:
    return (type(a) is np.ndarray and a.ndim >= 3 and a.dtype in _BLAS_DTYPES
            and a.flags.c_contiguous and (b is None or (type(b) is np.ndarray
                                                        and b.flags.c_contiguous)))


class NormalizePerChannel(ArrayFunction):
    """Batch and instance norm: :class:`Normalize` where the affine map is constant over each
    statistic's elements (w, b per channel; statistics per channel, or per sample and
    channel), so that w and 1/std fold into one factor per statistic::

      xc = x - mean,   rstd = 1 / sqrt(E[xc^2] + eps),   a = rstd * w
      out = xc * a + b                     (as torch's kernel: one product, one add)

    Backward, with m elements per statistic and the sums over each statistic's elements::

      dL/dx = a * (g - sum(g) / m - xc * rstd^2 * sum(g * xc) / m)
      dL/dw = sum over the remaining dims of rstd * sum(g * xc),   dL/db = sum of g

    These are :class:`Normalize`'s formulas with xhat = xc * rstd and dxhat = g * w, the
    per-statistic factors taken out of the sums: two reductions, shared by all three
    gradients (``Normalize`` needs four), and one full-size pass fewer each way.
    """

    _backward_name = "NativeBatchNormBackward0"
    # input, weight, bias (listed when absent, as torch's undefined tensors)
    _listed_args = (0, 1, 2)

    @staticmethod
    def forward(ctx, x, w, b, running_mean, running_var, axes, affine_shape, eps):
        kept, dtype = (x, w), x.dtype   # as given (float16 too), for the version checks
        # float16 under create_graph: torch's node and formula (BatchNormBackward)
        ctx.own_double_backward = dtype == _HALF
        x, w, b = _opmath(x, w, b)
        # the per-channel factors broadcast over rows of the spatial size (_row_buffer)
        with _row_buffer(math.prod(x.shape[2:])):
            mean = _channel_mean(axes, x)
            recorded = _GraphArray in (type(w), type(b))   # create_graph: the two-pass form
            if dtype != np.float16 and _rows_by_blas(x, None) and not recorded:
                done = _per_channel_one_pass(x, w, b, mean, axes, affine_shape, eps)
                if done is not None:
                    out, var, rstd = done
                    ctx.save_for_backward(kept[0], mean, rstd, running_mean, running_var,
                                          kept[1])
                    ctx.meta = (axes, affine_shape, None if b is None else b.shape)
                    return out, mean.copy(), var
            xc = x - mean
            var = _channel_mean(axes, xc, xc)
            rstd = 1 / np.sqrt(var + x.dtype.type(eps))
            if dtype == np.float16:  # torch normalizes with float16 statistics, both ways
                kept_mean, rstd = _kept_stats(dtype, mean, rstd)
                np.subtract(x, kept_mean, out=xc)
            else:
                kept_mean = mean.copy()
            out = xc    # scaled in place: xc is not kept (backward recomputes it from x)
            out = _in_place(np.multiply, out,
                            rstd * w.reshape(affine_shape) if w is not None else rstd)
            if b is not None:
                out = _in_place(np.add, out, b.reshape(affine_shape))
        # x, not xc: x is kept anyway (by the op that made it, or by the caller), so saving
        # it holds no second full-size array until backward, as torch's node saves its input.
        # The mean as an array of its own, not the output: create_graph's replay recomputes
        # it from x (a saved output would stand for itself, its dependence on x lost)
        # batch norm's running estimates (not read here; updated in place after this, without
        # a version bump) are kept as torch's node keeps them: an in-place change to them
        # before backward is torch's version-counter error (checked in torch's order: x, the
        # estimates, w)
        ctx.save_for_backward(kept[0], kept_mean, rstd, running_mean, running_var, kept[1])
        ctx.meta = (axes, affine_shape, None if b is None else b.shape)
        return out.astype(dtype, copy=False), mean, var

    @staticmethod
    def backward(ctx, g, _gmean=None, _gvar=None):
        x, mean, rstd, _, _, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        if g is None:
            return None, None, None, None, None, None, None, None
        if x.dtype == _HALF and _GraphArray in (type(g), type(x), type(w)):
            def gradients(g, x, mean, rstd, w):   # one op, torch's double backward in float16
                return NormalizePerChannel._arrays_backward(g, x, mean, rstd, w, ctx.meta, need)
            grads = BatchNormBackward.call(g, x, *_half_stats(mean, rstd), w, None, gradients,
                                           need[:3], True)
        else:
            grads = NormalizePerChannel._arrays_backward(g, x, mean, rstd, w, ctx.meta, need)
        return (*grads, None, None, None, None, None)

    @staticmethod
    def _arrays_backward(g, x, mean, rstd, w, meta, need):
        """The backward (the docstring's formulas) on ndarrays or recorded values; float16
        computed in float32 and rounded once."""
        axes, affine_shape, b_shape = meta
        gx = gw = gb = None
        dtype = x.dtype
        x, w, g, mean, rstd = _opmath(x, w, g, mean, rstd)
        with _row_buffer(math.prod(x.shape[2:])):
            xc = x - mean
            count = xc.dtype.type(math.prod(xc.shape[i] for i in axes))
            sum_g = _channel_sum(axes, g)
            sum_gxc = _channel_sum(axes, g, xc)
            if need[0]:
                a = rstd * w.reshape(affine_shape) if w is not None else rstd
                gx = xc     # xc is this call's own: the gradient is formed in place
                gx *= rstd * rstd * sum_gxc / count
                gx += sum_g / count
                gx -= g                 # now -(g - sum(g)/m - xc ...): the sign goes into -a
                gx *= -a
        if need[1]:
            gw = _per_channel(rstd * sum_gxc, axes).reshape(w.shape)
        if need[2]:
            gb = _per_channel(sum_g, axes).reshape(b_shape)
        return _rounded(dtype, gx, gw, gb)


def _per_channel(sums, axes):
    """NormalizePerChannel's per-channel sums ((1, C, 1, ...)) as the affine gradients: the sum
    over their size-1 axes, einsum's ``0 + s`` (-0.0 becomes 0.0) without the einsum; recorded
    values (create_graph) through ``_sum_over``."""
    return sums + 0 if type(sums) is np.ndarray else _sum_over(axes, sums)


def _per_channel_one_pass(x, w, b, mean, axes, affine_shape, eps):
    """NormalizePerChannel's forward with the variance from the same BLAS sums (None where a
    statistic's mean is too large for it, as group norm's ``_group_norm_one_pass``)::

      var = E[x^2] - mean^2,   out = x * a + (b - mean * a),   a = rstd * w

    Two full-size passes after the sums, into the output (the two-pass form writes xc, then
    scales and shifts it: three). Returns out, var and rstd."""
    eps = x.dtype.type(eps)
    squared = mean * mean
    var = _channel_mean(axes, x, x) - squared
    if not (squared <= _ONE_PASS_VAR * (var + eps)).all():
        return None
    np.maximum(var, 0, out=var)
    rstd = 1 / np.sqrt(var + eps)
    a = rstd * w.reshape(affine_shape) if w is not None else rstd
    shift = -mean * a if b is None else b.reshape(affine_shape) - mean * a
    out = np.multiply(x, a, out=np.empty_like(x))
    out += shift
    return out, var, rstd


class NormalizeWithStats(ArrayFunction):
    """Normalization with given statistics (batch/instance norm in eval mode, from the running
    estimates), an affine map in x, as torch's kernel computes it (one product, one add)::

      out = x * a + (b - mean * a),    a = rstd * w,   rstd = 1 / sqrt(var + eps)
      dL/dx = g * a      dL/dw = sum(g * xhat) = rstd * sum(g * (x - mean))
      dL/db = sum(g)     (sums over every dim but the channels')

    x is kept for the backward (as torch's node keeps its input), not a full-size xhat; so
    are mean and var themselves: batch norm's running estimates, whose in-place change before
    backward is torch's version-counter error (instance norm passes copies, as torch repeats
    them).
    """

    _backward_name = "NativeBatchNormBackward0"
    # input, weight, bias (listed when absent); the running statistics are not
    _listed_args = (0, 1, 2)

    @staticmethod
    def forward(ctx, x, w, b, mean, var, affine_shape, eps):
        ctx.save_for_backward(x, mean, var, w)   # as given (float16 too)
        dtype = x.dtype
        # float16 under create_graph: torch's node and formula (BatchNormBackward)
        ctx.own_double_backward = dtype == np.float16
        x, w, b, mean, var = _opmath(x, w, b, mean, var)
        rstd = _rstd(var, eps, affine_shape)
        m = mean.reshape(affine_shape)
        a = rstd * w.reshape(affine_shape) if w is not None else rstd
        shift = -m * a if b is None else b.reshape(affine_shape) - m * a
        # the per-channel factors broadcast over rows of the spatial size (_row_buffer)
        with _row_buffer(math.prod(x.shape[2:])):
            out = x * a
            out += shift
        ctx.affine_shape = affine_shape
        ctx.b_shape = None if b is None else b.shape
        ctx.eps = eps
        return out.astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x, mean, var, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        if x.dtype == np.float16 and _GraphArray in (type(g), type(x), type(w)):
            def gradients(g, x, _mean, _rstd, w):   # one op, torch's double backward in float16
                return NormalizeWithStats._arrays_backward(ctx, g, x, mean, var, w, need)
            mean16, var16 = _half_stats(mean, var)   # torch's r: (var + eps)^(-1/2) in float16
            rstd16 = (1 / np.sqrt((var16 + np.float16(ctx.eps)).astype(np.float32)))
            grads = BatchNormBackward.call(g, x, mean16, rstd16.astype(np.float16), w, None,
                                           gradients, need[:3], False)
        else:
            grads = NormalizeWithStats._arrays_backward(ctx, g, x, mean, var, w, need)
        return (*grads, None, None, None, None)

    @staticmethod
    def _arrays_backward(ctx, g, x, mean, var, w, need):
        """The backward (the docstring's formulas); float16 in float32, rounded once."""
        dtype = x.dtype
        x, mean, var, w, g = _opmath(x, mean, var, w, g)
        shape = ctx.affine_shape
        m, rstd = mean.reshape(shape), _rstd(var, ctx.eps, shape)
        gx = gw = gb = None
        if need[0]:
            with _row_buffer(math.prod(x.shape[2:])):
                gx = g * (rstd * w.reshape(shape) if w is not None else rstd)
        red = _affine_reduce_axes(x.ndim, shape)
        if need[1]:  # from x - mean, as torch's: sum(g x) - mean sum(g) cancels
            gw = (rstd * _channel_sum(red, g, x - m)).reshape(w.shape)
        if need[2]:
            gb = _channel_sum(red, g).reshape(ctx.b_shape)
        return _rounded(dtype, gx, gw, gb)


def _rstd(var, eps: float, shape: tuple):
    return 1 / np.sqrt(var.reshape(shape) + var.dtype.type(eps))


def batch_norm(input: Tensor, running_mean: Optional[Tensor], running_var: Optional[Tensor],
               weight: Optional[Tensor] = None, bias: Optional[Tensor] = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalize each channel (dim 1) with statistics over the batch and spatial dims.

    training: batch mean and biased variance normalize; the running estimates (when given)
    move towards the batch mean and the *unbiased* variance: r <- (1 - m) r + m * stat.
    eval: the running estimates normalize."""
    if not (isinstance(input, Tensor) and (running_mean is None or isinstance(running_mean, Tensor))
            and (running_var is None or isinstance(running_var, Tensor))
            and (weight is None or isinstance(weight, Tensor))
            and (bias is None or isinstance(bias, Tensor))):  # named in torch.batch_norm's order
        raise argument_error(None, {"input": input, "weight": weight, "bias": bias,
                                    "running_mean": running_mean, "running_var": running_var},
                             "batch_norm", tensors=("input", "weight", "bias", "running_mean",
                                                    "running_var"))
    dims = input._data.shape   # (the array's own tuple: read once)
    if len(dims) < 2:
        raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")
    channels = dims[1]
    if training:
        n = dims[0]
        for s in dims[2:]:
            n *= s
        if n == 1:
            raise ValueError("Expected more than 1 value per channel when training, got "
                             f"input size {input.shape}")
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    if eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    if input._data.size == 0:
        return _empty_batch(input, weight, bias)
    _check_running_no_grad(running_mean, running_var)
    _check_features("running_mean", channels, running_mean)
    if running_mean is None and not training:
        raise RuntimeError("running_mean must be defined in evaluation mode")
    _check_features("running_var", channels, running_var)
    if running_var is None and not training:
        raise RuntimeError("running_var must be defined in evaluation mode")
    _check_features("weight", channels, weight)
    _check_features("bias", channels, bias)
    _check_same_dtype(input, weight, bias, running_mean, running_var)
    shape = (channels,) + (1,) * (len(dims) - 2)   # _affine_shape
    if not training:
        return NormalizeWithStats.apply(input, weight, bias, running_mean, running_var, shape,
                                        eps)
    axes = (0,) + tuple(range(2, len(dims)))
    out, mean, var = NormalizePerChannel.apply(input, weight, bias, running_mean, running_var,
                                               axes, shape, eps)
    if running_mean is not None or running_var is not None:
        _update_both(running_mean, mean._data.reshape(-1), running_var,
                     None if running_var is None else var._data.reshape(-1) * (n / (n - 1)),
                     momentum)
    return out


def _empty_batch(input: Tensor, weight: Optional[Tensor], bias: Optional[Tensor]) -> Tensor:
    """Batch norm of a tensor without elements, as torch computes it before any other check:
    ``input.clone() * weight[0] + bias[0]`` (an empty result that keeps the graph to the
    parameters, whose gradients are zero); no statistics, the running estimates untouched."""
    out = input.clone()
    if weight is not None:
        out = out * weight.select(0, 0)
    if bias is not None:
        out = out + bias.select(0, 0)
    return out


def instance_norm(input: Tensor, running_mean: Optional[Tensor] = None,
                  running_var: Optional[Tensor] = None, weight: Optional[Tensor] = None,
                  bias: Optional[Tensor] = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalize each (sample, channel) slice over its spatial dims. With running estimates,
    they move towards the batch average of the per-instance mean and unbiased variance."""
    if use_input_stats:
        spatial = 1
        for s in input.shape[2:]:
            spatial *= s
        if spatial == 1:
            raise ValueError("Expected more than 1 spatial element when training, got input "
                             f"size {input.shape}")
    channels = input.shape[1]
    if input.numel() == 0:
        return _empty_instances(input, running_mean, running_var, weight, bias,
                                use_input_stats)
    _check_features("weight", channels, weight)
    _check_features("bias", channels, bias)
    _check_same_dtype(input, weight, bias, running_mean, running_var)
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when "
                           "use_input_stats is false")
    _check_running_no_grad(running_mean, running_var)
    # As torch computes it: a batch norm of input.contiguous() viewed as (1, N*C, *), with the
    # parameters and running estimates repeated N times, viewed back. The nodes are torch's
    # (ViewBackward0 <- NativeBatchNormBackward0 <- ViewBackward0, RepeatBackward0), and so is
    # what the batch norm node keeps: the view (an in-place change to a contiguous input
    # before backward is the version-counter error, naming the view) and copies of the rest.
    n = input.shape[0]
    x = input.contiguous().view((1, n * channels) + tuple(input.shape[2:]))
    w, b = (None if p is None else p.repeat(n) for p in (weight, bias))
    shape = _affine_shape(x)
    if not use_input_stats:
        out = NormalizeWithStats.apply(x, w, b, np.tile(running_mean._data, n),
                                       np.tile(running_var._data, n), shape, eps)
        return out.view(input.shape)
    axes = (0,) + tuple(range(2, input.dim()))
    out, mean, var = NormalizePerChannel.apply(x, w, b, None, None, axes, shape, eps)
    spatial = input.numel() // (n * channels)
    if running_mean is not None:
        _check_features("running_mean", channels, running_mean)
        _update_running_copies(running_mean, mean._data.reshape(n, -1), momentum)
    if running_var is not None:
        _check_features("running_var", channels, running_var)
        unbiased = var._data.reshape(n, -1) * (spatial / (spatial - 1))
        _update_running_copies(running_var, unbiased, momentum)
    return out.view(input.shape)


def _empty_instances(input: Tensor, running_mean, running_var, weight, bias,
                     use_input_stats: bool) -> Tensor:
    """Instance norm of a tensor without elements, as torch computes it: a batch norm of
    ``input`` viewed as (1, N*C, ...) with the parameters and running estimates repeated N times
    (``_empty_batch``: indexing the repeated weight fails when N*C is 0); with input statistics,
    the estimates are then set to the mean of their N copies (NaN when N is 0)."""
    n = input.shape[0]
    rep = [p.repeat(n) if p is not None else None for p in (weight, bias)]
    out = _empty_batch(input.reshape((1, -1) + tuple(input.shape[2:])), *rep)
    for r in (running_mean, running_var) if use_input_stats else ():
        if r is not None:
            r.copy_(r.repeat(n).view(n, r.numel()).mean(0))
    return out.view(input.shape)


def layer_norm(input: Tensor, normalized_shape, weight: Optional[Tensor] = None,
               bias: Optional[Tensor] = None, eps: float = 1e-5) -> Tensor:
    """Normalize over the trailing ``normalized_shape`` dims of each sample, then an
    elementwise affine map of that shape."""
    if not isinstance(input, Tensor):
        raise argument_error(layer_norm, locals())
    return layer_norm_with_stats(input, normalized_shape, weight, bias, eps)[0]


def layer_norm_with_stats(input: Tensor, normalized_shape, weight: Optional[Tensor],
                          bias: Optional[Tensor], eps: float) -> tuple:
    """``layer_norm``'s output, mean and biased variance (1 along the normalized dims)."""
    shape = _normalized_shape(normalized_shape, "layer_norm")
    _check_normalized(input, shape, weight, bias)
    _check_same_dtype(input, weight, bias)
    axes = tuple(range(input.dim() - len(shape), input.dim()))
    return Normalize.apply(input, weight, bias, None, axes, shape, eps,
                           name="NativeLayerNormBackward0")


def group_norm(input: Tensor, num_groups: int, weight: Optional[Tensor] = None,
               bias: Optional[Tensor] = None, eps: float = 1e-5) -> Tensor:
    """Split the channels into ``num_groups`` groups; normalize each (sample, group) over its
    channels and spatial dims; then a per-channel affine map."""
    if input.dim() < 2:
        raise RuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input "
            f"of shape {shape_str(input.shape)} and num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            raise RuntimeError(
                f"Expected {name} to be a vector of size equal to the number of channels in "
                f"input, but got {name} of shape {shape_str(t.shape)} and input of shape "
                f"{shape_str(input.shape)}")
    _check_same_dtype(input, weight, bias)
    per_group = input.numel() // (n * num_groups) if n * num_groups else 0
    return Normalize.apply(input, weight, bias, (n, num_groups, per_group), (2,),
                           _affine_shape(input), eps, name="NativeGroupNormBackward0")[0]


def _vector_norm(input: Tensor, p: float, dim, keepdim: bool) -> Tensor:
    if input._data.dtype.kind != "f":
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {scalar_type_name(input._data.dtype)}")
    dims = _normalize_dims(dim, input.dim())
    return VectorNorm.apply(input, float(p), dims, keepdim)


@supports_out(name="div")
def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Optional[Tensor] = None) -> Tensor:
    """x / max(||x||_p, eps) along ``dim``. With ``out``, torch runs ``torch.div(input, denom,
    out=out)``: div's ``out=`` rules and messages."""
    denom = clamp_min(_vector_norm(input, p, dim, True), eps)
    return _Div.apply(input, denom, None)
