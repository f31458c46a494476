"""Group norm's backward under ``create_graph``, as torch computes it there.

With grad mode on (``create_graph=True``), torch does not run its group norm backward kernel:
it evaluates ``infinitely_differentiable_native_group_norm_backward``, the same derivative as a
sequence of tensor ops on the input's dtype, from the forward's saved mean and rstd (float16:
every product and sum rounded to float16, where the kernel computes in float32 and rounds once).
Its gradients, and their own derivatives, are those ops'; this module writes them with NumPy
calls, which ``GraphArray`` records as the library's ops. The mean and rstd in those formulas
are the forward node's outputs in torch, whose derivative is torch's ``var_mean_backward``
(``GroupStats``)."""
from __future__ import annotations

import numpy as np

from ...autograd.function import ArrayFunction
from ..._ops._util import div_scalar, mul_scalar
from ...autograd.graph_array import GraphArray, unwrap, wrap


def _times(t, s: float):
    """t * s for a number s, as torch multiplies a tensor by a Scalar out of place
    (MulBackward1): float16 in float32 (its opmath type; NumPy would round s itself to
    float16 first), then rounded."""
    return mul_scalar(t, s)


def _divided(t, n: int):
    """t / n for a number n, as torch's out-of-place division by a Scalar (DivBackward1)."""
    return div_scalar(t, n)


def _unsqueeze_(t, dim: int):
    """torch's in-place ``t.unsqueeze_(dim)`` (recorded: UnsqueezeBackward1)."""
    if type(t) is GraphArray:
        t.t.unsqueeze_(dim)
        return t
    return np.expand_dims(t, dim)


def _mean(t, axis: int):
    """torch's mean over one axis, kept: float16 summed and divided in float32, rounded once."""
    if t.dtype == np.float16:
        return (t.astype(np.float32).sum(axis, keepdims=True) / np.float32(t.shape[axis])
                ).astype(np.float16)
    return t.sum(axis, keepdims=True) / t.shape[axis]


class GroupStats(ArrayFunction):
    """Group norm's mean and rstd per (sample, group) as a function of x, for the formulas of
    ``group_norm_graph_backward``: the values the forward computed (given), and torch's
    derivative of them (``var_mean_backward`` over each group's n elements, as tensor ops in
    x's dtype)::

      dvar = -1/2 rstd^3 drstd,   dL/dx = (2 / n) dvar (x - mean(x)) + dmean / n
    """

    _backward_name = "NativeGroupNormBackward0"
    # the forward node's edges: input, weight, bias (the parameters take no gradient here)
    _listed_args = (0, 4, 5)

    @staticmethod
    def forward(ctx, x, mean, rstd, stat_shape, w=None, b=None):
        mean, rstd = mean.copy(), rstd.copy()
        ctx.save_for_backward(x, rstd)
        ctx.stat_shape = stat_shape
        return mean, rstd

    @staticmethod
    def backward(ctx, dmean, drstd):
        x, rstd = ctx.saved_tensors
        n, groups, per = ctx.stat_shape
        xs = x.reshape(n, groups, per)
        gx = None
        if drstd is not None:
            r = rstd.reshape(n, groups, 1)
            dvar = _times(r * r * r, -0.5) * drstd.reshape(n, groups, 1)
            gx = _times(dvar, 2.0 / per) * (xs - _mean(xs, 2))
        if dmean is not None:
            aux = _divided(np.broadcast_to(dmean.reshape(n, groups, 1), xs.shape), per)
            gx = aux if gx is None else gx + aux
        return None if gx is None else gx.reshape(x.shape), None, None, None, None, None


def _stats(x, mean, rstd, stat_shape, w=None, b=None):
    """mean and rstd as (N, G, 1, 1) in x's dtype; functions of x (``GroupStats``) where x is
    recorded."""
    n, groups = stat_shape[0], stat_shape[1]
    mean, rstd = (a.astype(x.dtype).reshape(n, groups) for a in (mean, rstd))
    if type(x) is GraphArray:
        values = [unwrap(a)._data if type(a) is GraphArray else a for a in (mean, rstd)]
        mean, rstd = (wrap(t) for t in GroupStats.apply(unwrap(x), *values, stat_shape,
                                                        unwrap(w), unwrap(b)))
    return mean.reshape(n, groups, 1, 1), rstd.reshape(n, groups, 1, 1)


def _sum(t, axis: int):
    """t.sum(axis) as torch sums float16 (a float32 accumulator, rounded once). A recorded
    value's sum is the library's, which does; NumPy's own float16 sum over an outer axis adds
    in float16 (the upstream gradient, a constant, is a plain array)."""
    if type(t) is np.ndarray and t.dtype == np.float16:
        return t.sum(axis, dtype=np.float32).astype(np.float16)
    return t.sum(axis)


def group_norm_graph_backward(g, x, mean, rstd, w, stat_shape, need, b=None):
    """dL/dx, dL/dw, dL/db of group norm by torch's formulas, x viewed as (N, G, D, HxW), mean
    and rstd as (N, G, 1, 1) in x's dtype, w as (1, G, D, 1), s = 1 / (D HxW)::

      ds = sum over HxW of g x,   db = sum over HxW of g           (per (N, G, D))
      b = (sum_D(db w) mean - sum_D(ds w)) rstd^3 s
      c = -b mean - sum_D(db w) rstd s
      dL/dx = rstd w g + b x + c
      dL/dw = sum over N of (ds - db mean) rstd,   dL/db = sum over N of db

    ``b``: the bias where recorded, an edge of the statistics' node (torch's forward node,
    whose outputs they are, has edges to input, weight and bias).
    """
    n, groups = stat_shape[0], stat_shape[1]
    channels = x.shape[1]
    d = channels // groups
    xt = x.reshape(n, groups, d, -1)
    gt = g.reshape(xt.shape)
    mean, rstd = _stats(x, mean, rstd, stat_shape, w, b)
    s = 1.0 / (d * xt.shape[3])
    ds = _unsqueeze_(_sum(gt * xt, 3), -1)
    db = _unsqueeze_(_sum(gt, 3), -1)
    gx = gw = gb = None
    if need[0]:
        wt = None if w is None else w.reshape(1, groups, d, 1)
        rstd_cube = rstd * rstd * rstd
        a = rstd if wt is None else rstd * wt
        b = _unsqueeze_(_sum(ds if wt is None else ds * wt, 2), -2)
        c = _unsqueeze_(_sum(db if wt is None else db * wt, 2), -2)
        b = _times((c * mean - b) * rstd_cube, s)
        c = -b * mean - _times(c * rstd, s)
        gx = (a * gt + b * xt + c).reshape(x.shape)
    if need[1] and w is not None:
        gw = _sum((ds - db * mean) * rstd, 0).reshape(w.shape)
    if need[2]:
        gb = _sum(db, 0).reshape(channels)
    return gx, gw, gb
