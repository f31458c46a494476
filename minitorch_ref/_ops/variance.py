"""Variance and standard deviation: ``var``, ``std``, ``var_mean``, ``std_mean``, with
torch's ``correction`` (Bessel's by default) and its overloads (``unbiased``, a positional
bool). float16 as torch computes it: in float64, converted through float32 (``_half_var``).

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks."""
from __future__ import annotations

import builtins
import warnings

import numpy as np

from ..autograd.function import ArrayFunction
from ._arguments import argument_error
from ._half import F16 as _F16, half_from_double, half_in
from ._util import Tensor, as_dtype, mean as _mean, mul_scalar, normalize_dims
from .out import supports_out
from .reduction import _expand_back, _keep, _reduced_count

__all__ = ["var", "std", "var_mean", "std_mean"]


def _var_args(fname, input, dim, unbiased, keepdim, correction):
    """torch's overloads: var(x, unbiased), var(x, dim, unbiased, keepdim), and
    var(x, dim, *, correction, keepdim). Returns (dims, correction, grad_n): ``grad_n`` is the
    count torch's backward divides by (``_var_grad``): None without a dim or for a 0-d input,
    else the reduced count, 1 for an explicit empty dim list (which reduces everything)."""
    if isinstance(dim, builtins.bool):  # var(x, True): the legacy positional ``unbiased``
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(
            f"{fname}() received an invalid combination of arguments - got both 'unbiased' and "
            "'correction'; only one of them may be given")
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    a = input._data
    if a.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dims = normalize_dims(dim, a.ndim) if dim is not None and dim != () else tuple(
        range(a.ndim))
    n = _reduced_count(a.shape, dims)
    if n - correction <= 0:
        warnings.warn(
            f"{fname}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).", UserWarning, stacklevel=3)
    explicit = dim if isinstance(dim, (tuple, list)) else (dim,)
    grad_n = None if dim is None or a.ndim == 0 else (n if len(explicit) else 1)
    return dims, correction, grad_n


def _var_grad(ctx, g, diff):
    """torch's var_backward, g already expanded: (2 / (n - c)) g (a - mean), with n - c as a
    double (0 gives inf). Without a dim (``ctx.grad_n`` None) and n - c <= 0 it is instead g
    times NaN where a equals the mean, inf elsewhere (a == mean: diff == 0, or diff NaN beside
    an infinite mean, whose own infinities it equals; ``ctx.whole_mean``, the forward's)."""
    if ctx.grad_n is None:
        dof = ctx.n - ctx.correction
        if dof <= 0:
            same = (diff == 0) | (np.isnan(diff) & np.isinf(ctx.whole_mean))
            return g * np.where(same, np.nan, np.inf).astype(diff.dtype)
    else:
        dof = ctx.grad_n - ctx.correction
    return mul_scalar(g, float(np.float64(2) / dof)) * diff


def _half_var(ctx, a, dims, denom, keepdim):
    """float16 as torch: the variance (and mean) in float64, each converted to float16 through
    float32 (``half_from_double``); the backward's a - mean in float16 from torch's float16
    mean (summed in float32)."""
    x = a.astype(np.float64)
    mean = x.mean(axis=dims, keepdims=True)
    var = np.sum(np.square(x - mean), axis=dims, keepdims=keepdim) / denom
    ctx.mean = half_from_double(mean if keepdim else np.squeeze(mean, dims))
    return var, a - half_in(np.float32, a, _mean, dims, True)


class Var(ArrayFunction):
    """out = sum((a - mean)^2) / (n - correction) over ``dims``.
    dL/da = g * 2 (a - mean) / (n - correction)   (float16: torch's (2 / (n - c) * g) * diff,
    the number read in float32; forward by ``_half_var``)."""

    _backward_name = "VarBackward0"

    @staticmethod
    def forward(ctx, a, dims, correction, keepdim, grad_n=None):
        n = ctx.n = _reduced_count(a.shape, dims)
        ctx.dims, ctx.keepdim, ctx.denom = dims, keepdim, builtins.max(n - correction, 0)
        ctx.correction, ctx.grad_n = correction, grad_n
        if type(a) is np.ndarray and a.dtype == _F16:
            var, diff = _half_var(ctx, a, dims, ctx.denom, keepdim)
            ctx.whole_mean = ctx.mean
            ctx.save_for_backward(diff)
            return half_from_double(var)
        mean = _mean(a, dims, keepdims=True)
        ctx.whole_mean = mean
        diff = a - mean
        ctx.save_for_backward(diff)
        return as_dtype(np.sum(diff * diff, axis=dims, keepdims=keepdim) / ctx.denom, a.dtype)

    @staticmethod
    def backward(ctx, g):
        diff, = ctx.saved_tensors
        g = _keep(g, diff.shape, ctx.dims, ctx.keepdim)
        return _var_grad(ctx, g, diff), None, None, None, None


@supports_out(overlap=None)
def var(input, dim=None, unbiased=None, keepdim: bool = False, *, correction=None, out=None):
    """Variance with Bessel's ``correction`` (default 1; ``unbiased=False`` means 0)."""
    if not isinstance(input, Tensor):
        raise argument_error(var, locals())
    dims, c, grad_n = _var_args("var", input, dim, unbiased, keepdim, correction)
    return Var.apply(input, dims, c, keepdim, grad_n)


class Std(ArrayFunction):
    """out = sqrt(var(a)).      dL/da = g * (a - mean) / ((n - correction) * out)."""

    _backward_name = "StdBackward0"

    @staticmethod
    def forward(ctx, a, dims, correction, keepdim, grad_n=None):
        n = ctx.n = _reduced_count(a.shape, dims)
        denom = ctx.denom = builtins.max(n - correction, 0)
        ctx.dims, ctx.keepdim, ctx.correction, ctx.grad_n = dims, keepdim, correction, grad_n
        if type(a) is np.ndarray and a.dtype == _F16:
            var, diff = _half_var(ctx, a, dims, denom, keepdim)
            ctx.whole_mean = ctx.mean
            out = half_from_double(np.sqrt(var))
            ctx.save_for_backward(diff, out)
            return out
        mean = _mean(a, dims, keepdims=True)
        ctx.whole_mean = mean
        diff = a - mean
        out = as_dtype(np.sqrt(np.sum(diff * diff, axis=dims, keepdims=keepdim) / denom),
                       a.dtype)
        ctx.save_for_backward(diff, out)
        return out

    @staticmethod
    def backward(ctx, g):
        diff, out = ctx.saved_tensors
        g = _keep(g, diff.shape, ctx.dims, ctx.keepdim)
        out = _keep(out, diff.shape, ctx.dims, ctx.keepdim)
        # torch: var's gradient of g / (2 std), where a zero std gives 0, not 0/0
        g = np.where(out == 0, 0, g / (out * 2)).astype(g.dtype, copy=False)
        return _var_grad(ctx, g, diff), None, None, None, None


@supports_out(overlap=None)
def std(input, dim=None, unbiased=None, keepdim: bool = False, *, correction=None, out=None):
    """Standard deviation: ``sqrt(var(...))`` with the same arguments."""
    if not isinstance(input, Tensor):
        raise argument_error(std, locals())
    dims, c, grad_n = _var_args("std", input, dim, unbiased, keepdim, correction)
    return Std.apply(input, dims, c, keepdim, grad_n)


class VarMean(ArrayFunction):
    """(var, mean) in one pass.   dL/da = g_var * 2 (a - mean) / (n - correction) + g_mean / n."""

    _backward_name = "VarMeanBackward0"

    @classmethod
    def forward(cls, ctx, a, dims, correction, keepdim, grad_n=None):
        spread = (Var if cls is VarMean else Std).forward(ctx, a, dims, correction, keepdim,
                                                           grad_n)
        if spread.dtype == _F16 and type(a) is np.ndarray:
            mean = ctx.mean
        else:
            mean = as_dtype(_mean(a, dims, keepdims=keepdim), a.dtype)
        if type(a) is np.ndarray:
            spread, mean = _welford_edges(a, dims, keepdim, correction, cls is StdMean,
                                          spread, mean)
        return spread, mean

    @classmethod
    def backward(cls, ctx, g_spread, g_mean):
        diff = ctx.saved_tensors[0]
        ga = None  # (one gradient alone keeps its -0.0, as torch)
        if g_spread is not None:
            ga = (Var if cls is VarMean else Std).backward(ctx, g_spread)[0]
        if g_mean is not None:
            gm = _expand_back(g_mean, diff.shape, ctx.dims, ctx.keepdim, ctx.n)
            ga = gm if ga is None else ga + gm
        return ga, None, None, None, None


def _welford_edges(a, dims, keepdim, correction, take_sqrt, spread, mean):
    """torch's var_mean and std_mean take both results from Welford's updates in float64,
    element by element in order: d = x_k - m, m += d / k, m2 += d (x_k - m), var = m2 / (n -
    correction). Over finite elements whose differences stay below the largest double, that
    is the two-pass result to rounding (``spread``, ``mean``, kept); elsewhere it is
    Welford's own: after an infinite element the mean is inf - inf = NaN unless that element
    is the last (the mean is then that infinity), the spread NaN; a NaN gives NaN; float64
    rows with |x| >= 2**1022 (a difference can overflow) are replayed update by update."""
    rest = tuple(s for i, s in enumerate(a.shape) if i not in dims)
    n = _reduced_count(a.shape, dims)
    if n == 0 or a.size == 0:
        return spread, mean
    x = np.moveaxis(a, dims, range(a.ndim - len(dims), a.ndim)).reshape(rest + (n,))
    bad = ~np.isfinite(x).all(-1)
    huge = (np.abs(x) >= 2.0 ** 1022).any(-1) & ~bad if x.dtype == np.float64 else bad & False
    if not (bad.any() or huge.any()):
        return spread, mean
    inf = np.isinf(x)
    last = inf[..., -1] & (inf.sum(-1) == 1) & ~np.isnan(x).any(-1)
    m = np.where(bad, np.where(last, x[..., -1], np.nan), mean.reshape(rest))
    v = np.where(bad, np.nan, spread.reshape(rest))
    if huge.any():  # (only float64 can overflow its differences)
        xs, wm, m2 = x[huge], 0.0, 0.0
        for k in range(xs.shape[-1]):
            d = xs[..., k] - wm
            wm = wm + d / (k + 1)
            m2 = m2 + d * (xs[..., k] - wm)
        m[huge] = wm
        var = m2 / builtins.max(xs.shape[-1] - correction, 0)
        v[huge] = np.sqrt(var) if take_sqrt else var
    shape = spread.shape
    return v.astype(spread.dtype).reshape(shape), m.astype(mean.dtype).reshape(shape)


def var_mean(input, dim=None, unbiased=None, keepdim: bool = False, *, correction=None):
    """``(var(...), mean(...))`` over the same dims."""
    if not isinstance(input, Tensor):
        raise argument_error(var_mean, locals())
    dims, c, grad_n = _var_args("var_mean", input, dim, unbiased, keepdim, correction)
    return VarMean.apply(input, dims, c, keepdim, grad_n)


class StdMean(VarMean):
    """(std, mean) in one pass.   dL/da = g_std * (a - mean) / ((n - correction) std)
    + g_mean / n."""

    _backward_name = "StdMeanBackward0"


def std_mean(input, dim=None, unbiased=None, keepdim: bool = False, *, correction=None):
    """``(std(...), mean(...))`` over the same dims."""
    if not isinstance(input, Tensor):
        raise argument_error(std_mean, locals())
    dims, c, grad_n = _var_args("std_mean", input, dim, unbiased, keepdim, correction)
    return StdMean.apply(input, dims, c, keepdim, grad_n)
