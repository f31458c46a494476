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


def _half_composite(x: Tensor, size: int, alpha: float, beta: float, k: float) -> Tensor:
    """float16 (3-d input) as torch computes it, op by op, each result rounded to float16:
    x * x, unsqueezed to (N, 1, C, L), zero-padded along the channels, average-pooled over
    ``size`` channels (summed in float32), squeezed, * alpha, + k, ** beta, then x / that. Its
    graph is torch's, so are its first derivative (bits) and the nodes of that derivative's
    graph, whose second derivative then takes the library's ops' double backwards."""
    from .padding import pad
    from .pooling import avg_pool2d
    div = x.mul(x).unsqueeze(1)
    div = pad(div, (0, 0, size // 2, (size - 1) // 2))
    div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    div = div.mul(alpha).add(k).pow(beta)
    return x / div


class LocalResponseNorm(ArrayFunction):
    """Normalization across neighbouring channels (dim 1), n = ``size``:
      s_c = k + alpha / n * sum_{c' in W(c)} x_{c'}^2,   W(c) = [c - n//2, c + (n-1)//2]
      out_c = x_c * s_c^(-beta)
      dL/dx_j = g_j s_j^(-beta) - (2 alpha beta / n) x_j sum_{c : j in W(c)} g_c x_c s_c^(-beta-1)
    (window sums by a cumulative sum along the channels; out-of-range channels count as 0 and
    the divisor is always n, as torch's average pooling with zero padding). float16 is torch's
    composite itself (``_half_composite``).

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
    if input._data.dtype == np.float16 and dim == 3:
        return _half_composite(input, size, alpha, beta, k)
    return LocalResponseNorm.apply(input, size, alpha, beta, k)
