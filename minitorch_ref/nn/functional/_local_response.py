"""Local response normalization (``local_response_norm``): each channel divided by a power
of the sum of squares over its neighbouring channels. A kernel (``ArrayFunction``: forward
beside backward on ndarrays, the derivative in its docstring), then the public function.
(Re-exported by ``normalization``, beside the other normalizations.)"""
from __future__ import annotations

import numpy as np

from ..._dtype import get_default_dtype
from ..._names import scalar_type_name
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction


def _channel_window_sum(a: np.ndarray, size: int, reverse: bool = False) -> np.ndarray:
    """sum over the channel window of each channel c (dim 1, zero-padded at both ends):
    forward window [c - size//2, c + (size-1)//2]; ``reverse`` gives the transposed window
    [c - (size-1)//2, c + size//2] (the channels whose window contains c)."""
    before, after = (size // 2, (size - 1) // 2)
    if reverse:
        before, after = after, before
    c = a.shape[1]
    pad = [(0, 0)] * a.ndim
    pad[1] = (before + 1, after)
    csum = np.cumsum(np.pad(a, pad), axis=1)
    hi = np.take(csum, np.arange(c) + before + after + 1, axis=1)
    lo = np.take(csum, np.arange(c), axis=1)
    return hi - lo


def _channel_window_sum_direct(a: np.ndarray, size: int, adjoint: bool = False) -> np.ndarray:
    """``_channel_window_sum`` as torch's average pooling adds a window: its ``size`` shifted
    copies in turn, from the lowest channel (no cumulative sum, whose differences turn an
    infinite square into NaN beyond it and lose a float16 sum's precision). ``adjoint``: the
    sum over the windows that hold each channel (channels j - after ... j + before), in that
    order: the window sum's backward."""
    before, after = (size // 2, (size - 1) // 2)
    if adjoint:
        before, after = after, before
    c = a.shape[1]
    pad = [(0, 0)] * a.ndim
    pad[1] = (before, after)
    padded = np.pad(a, pad)
    total = np.zeros_like(a)
    for j in range(size):
        total = total + np.take(padded, np.arange(j, j + c), axis=1)
    return total


def _half_forward(x, size, alpha, beta, k):
    """float16 as torch's composite computes it, op by op (each result rounded to float16;
    the pooled window summed in float32): squares x * x, their window average A, then
    s = A alpha + k, d = s^beta, out = x / d. Returns out and s (float32)."""
    f32, f16 = np.float32, np.float16
    sq = (x * x).astype(f32)
    avg = (_channel_window_sum_direct(sq, size) / f32(size)).astype(f16)
    s = ((avg.astype(f32) * f32(alpha)).astype(f16).astype(f32) + f32(k)).astype(f16)
    s = s.astype(f32)
    d = (s ** f32(beta)).astype(f16).astype(f32)
    return (x.astype(f32) / d).astype(f16), s


def _half_backward(g, x, s, size, alpha, beta):
    """dL/dx of ``_half_forward`` as torch's graph of it computes it, op by op in float16
    (each result rounded; a product by a number in float32, then rounded)::

      d = s^beta,  dL/dd = -g ((x / d) / d),  dL/ds = dL/dd (beta s^(beta - 1)),
      dL/dA = alpha dL/ds,  delta = dL/dA / n,
      dL/dsq_j = sum of delta over the windows holding j (in channel order, rounded per add),
      dL/dx = (g / d + dL/dsq x) + dL/dsq x       (x * x's two operands, one after the other)
    """
    f16, f32 = np.float16, np.float32
    d = (s ** f32(beta)).astype(f16)
    gd = -g * ((x / d) / d)
    gs = gd * (f32(beta) * (s ** f32(beta - 1)).astype(f16)).astype(f16)
    delta = ((gs * f32(alpha)).astype(f16) / f32(size)).astype(f16)
    m = _channel_window_sum_direct(delta, size, adjoint=True) * x
    return (g / d + m) + m


class LocalResponseNorm(ArrayFunction):
    """Normalization across neighbouring channels (dim 1), n = ``size``:
      s_c = k + alpha / n * sum_{c' in W(c)} x_{c'}^2,   W(c) = [c - n//2, c + (n-1)//2]
      out_c = x_c * s_c^(-beta)
      dL/dx_j = g_j s_j^(-beta) - (2 alpha beta / n) x_j sum_{c : j in W(c)} g_c x_c s_c^(-beta-1)
    (window sums by a cumulative sum along the channels; out-of-range channels count as 0 and
    the divisor is always n, as torch's average pooling with zero padding). float16 follows
    torch's ops one by one, and so does its gradient (``_half_forward``,
    ``_half_backward``).

    torch computes this as x / (avg_pool(x^2) * alpha + k)^beta, so an int64 x takes its
    integer average pooling (the window sum divided by n, truncated) and then the default float
    dtype; other integer dtypes, and float16 beyond 3 dims (avg_pool3d), have no average pooling
    there."""

    _backward_name = "DivBackward0"

    @staticmethod
    def forward(ctx, x, size, alpha, beta, k):
        if x.dtype == np.float16 and x.ndim > 3:   # torch's avg_pool3d has no float16 kernel
            raise NotImplementedError("\"avg_pool3d_out_frame\" not implemented for 'Half'")
        if x.dtype.kind != "f":
            if x.dtype != np.int64:
                pool = "avg_pool2d" if x.ndim == 3 else "avg_pool3d_out_frame"
                raise NotImplementedError(
                    f"\"{pool}\" not implemented for '{scalar_type_name(x.dtype)}'")
            avg = _channel_window_sum(x * x, size) // size
            t = get_default_dtype().np.type
            return x.astype(t) / (avg.astype(t) * t(alpha) + t(k)) ** t(beta)
        ctx.params = (size, alpha, beta)
        if x.dtype == np.float16:   # torch's ops, each rounded (the backward too)
            out, s = _half_forward(x, size, alpha, beta, k)
            ctx.save_for_backward(x, s, None)
            return out
        t = x.dtype.type
        s = t(k) + t(alpha / size) * _channel_window_sum(x * x, size)
        out = x * s ** t(-beta)
        ctx.save_for_backward(x, s, out)
        return out

    @staticmethod
    def backward(ctx, g):
        x, s, out = ctx.saved_tensors
        size, alpha, beta = ctx.params
        dtype = x.dtype
        if dtype == np.float16:
            return _half_backward(g, x, s, size, alpha, beta), None, None, None, None
        t = x.dtype.type
        inner = _channel_window_sum(g * out / s, size, reverse=True)
        gx = g * s ** t(-beta) - t(2 * alpha * beta / size) * x * inner
        return gx.astype(dtype, copy=False), None, None, None, None


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """x_c / (k + alpha / size * sum of x^2 over ``size`` neighbouring channels)^beta."""
    dim = input.dim()
    if dim < 3:
        raise ValueError(  # torch's message, spaces included
            f"Expected 3D or higher dimensionality                          input (got {dim} "
            "dimensions)")
    if input.numel() == 0:
        return input
    return LocalResponseNorm.apply(input, size, alpha, beta, k)
