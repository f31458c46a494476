"""RMS normalization (``rms_norm``): a kernel (``ArrayFunction``: forward beside backward on
ndarrays, the derivative in its docstring), then the public function with torch's checks.
(Re-exported by ``normalization``, beside the other normalizations.)"""
from __future__ import annotations

import math
from typing import Optional

import numpy as np

from ..._ops._arguments import argument_error
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from ._norm_util import _check_normalized, _normalized_shape, _opmath, _rounded, _row_buffer
from ._util import _mean_over, _sum_over


class RmsNorm(ArrayFunction):
    """out = x * rrms * w,  rrms = 1 / sqrt(mean(x^2) + eps) over the normalized dims.
      dL/dx = rrms * (g w - xhat * mean(g w * xhat)),  xhat = x * rrms
      dL/dw = sum(g * xhat) over the leading dims

    float16 as torch's composite rms_norm computes it: x taken to float32, the statistic,
    xhat, the product by w and both gradients in float32, each result rounded once.
    """

    _backward_name = "MulBackward0"

    @staticmethod
    def forward(ctx, x, w, axes, eps):
        # w as given (float16 too); x itself where torch's graph keeps it (its float32 copy of a
        # float16 x is its own), not read here: an in-place change to it before backward is
        # torch's version-counter error
        dtype, kept = x.dtype, (w, None if x.dtype == np.float16 else x)
        x, w = _opmath(x, w)
        rrms = 1 / np.sqrt(_mean_over(axes, x, x) + x.dtype.type(eps))
        # the per-row factors broadcast over rows of the normalized size (_row_buffer)
        with _row_buffer(math.prod(x.shape[a] for a in axes)):
            xhat = x * rrms
        ctx.save_for_backward(xhat, rrms, *kept)
        ctx.axes = axes
        # a fresh output: an in-place change to it must not reach the saved xhat
        out = xhat * w if w is not None else xhat.copy()
        return out.astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        xhat, rrms, w, _ = ctx.saved_tensors
        dtype = g.dtype
        g, w = _opmath(g, w)
        gx = gw = None
        if ctx.needs_input_grad[0]:
            gxh = g * w if w is not None else g
            with _row_buffer(math.prod(xhat.shape[a] for a in ctx.axes)):
                gx = xhat * _mean_over(ctx.axes, gxh, xhat)
                np.subtract(gxh, gx, out=gx)
                gx *= rrms
        if ctx.needs_input_grad[1]:
            gw = _sum_over(tuple(range(g.ndim - w.ndim)), g, xhat)
            gw = gw.reshape(w.shape)
        return (*_rounded(dtype, gx, gw), None, None)


def rms_norm(input: Tensor, normalized_shape, weight: Optional[Tensor] = None,
             eps: Optional[float] = None) -> Tensor:
    """x / sqrt(mean(x^2) + eps) * weight over the trailing dims; eps defaults to the machine
    epsilon of the dtype the statistic is computed in, as in torch (float32's for float16)."""
    if not isinstance(input, Tensor):
        raise argument_error(rms_norm, locals())
    shape = _normalized_shape(normalized_shape, "rms_norm")
    _check_normalized(input, shape, weight, None, sep="")
    if eps is None:
        dtype = input._data.dtype
        eps = float(np.finfo(np.float32 if dtype == np.float16 else dtype).eps)
    axes = tuple(range(input.dim() - len(shape), input.dim()))
    return RmsNorm.apply(input, weight, axes, eps)
