"""Layer and batch norm's float16 gradients under ``create_graph``, as torch differentiates them.

torch computes a float16 first derivative with its backward kernel (float32 inside, rounded
once: ``native_layer_norm_backward``, ``native_batch_norm_backward``), as one node
(``NativeLayerNormBackwardBackward0``, ``NativeBatchNormBackwardBackward0``) whose own backward
is ``layer_norm_double_backward`` / ``batchnorm_double_backward`` (FunctionsManual.cpp): tensor
ops in float16, every product, quotient and sum rounded to float16. Differentiating our
float32 backward and rounding once gives other bits from |x| ~ 30 on. Here each first
derivative is one op (``LayerNormBackward``, ``BatchNormBackward``): its forward the kernel's
arithmetic (given by the caller), its backward torch's formula, written with NumPy calls in
the input's dtype (recorded as the library's ops when a further derivative is taken).

Notation (torch's): gO the first backward's grad_output, ggI, ggG, ggB the gradients reaching
its three results (input, weight, bias); xmu = x - mean, r = 1/sqrt(var + eps) (the forward's
float16 statistics; batch norm in eval mode: the running estimates), M the elements per
statistic, S the sum over them (kept)::

  gI  = (xmu r^3 (S(ggI) S(gO w) / M - S(ggI gO w) + 3/M r^2 S(gO w xmu) S(ggI xmu)) / M
         + S(ggI xmu) r^3 / M (S(gO w) / M - gO w) + S(gO w xmu) r^3 / M (S(ggI) / M - ggI))
        + ggG (gO r - r S(gO) / M - xmu r^3 S(gO xmu) / M)
  gG  = sum of gO h(ggI, 1) over what w does not have
  ggO = h(ggI, w) + ggG xmu r + ggB,     h(t, w) = (w r / M) (M t - S(t) - xmu r^2 S(t xmu))

(batch norm: the weight multiplies the bracket of gI instead of gO; in eval mode only
ggG r gO, ggI gO r and ggI r w remain.)
"""
from __future__ import annotations

import numpy as np

from ..._ops._util import div_scalar, mul_scalar
from ...autograd.function import ArrayFunction
from ...autograd.graph_array import unwrap, wrap

_F16, _F32 = np.float16, np.float32


def _sum(t, axes, keepdims: bool = True):
    """torch's sum over ``axes`` (one reduction): float16 accumulated in float32, rounded
    once."""
    if type(t) is np.ndarray and t.dtype == _F16:
        return t.sum(axes, dtype=_F32, keepdims=keepdims).astype(_F16)
    return t.sum(axes, keepdims=keepdims)


def _sum_exclude_dim1(t, keepdims: bool = True):
    """batchnorm_double_backward's ``sum_exclude_dim1``: over dim 0, then over each later dim
    but 1 from the last one down, each sum rounded."""
    r = _sum(t, 0, keepdims)
    start = 1 if keepdims else 0
    for dim in range(r.ndim - 1, start, -1):
        r = _sum(r, dim, keepdims)
    return r


def _power(t, p: int):
    """t.pow(p) for p = 2, 3: float16 multiplied out in float32, rounded once."""
    if type(t) is np.ndarray and t.dtype == _F16:
        f = t.astype(_F32)
        return (f * f * (f if p == 3 else 1)).astype(_F16)
    return t ** p


def _in_place(ufunc, t, number):
    """t.mul_(number) / t.div_(number) as torch runs them in place: the number is first
    converted to t's dtype (float16: ``t.mul_(0.6)`` multiplies by float16(0.6), where
    ``t * 0.6`` multiplies in float32 by float32(0.6); both rounded once)."""
    if type(t) is np.ndarray and t.dtype == _F16:
        return ufunc(t, _F16(number))
    return mul_scalar(t, number) if ufunc is np.multiply else div_scalar(t, number)


def _mul_(t, number):
    return _in_place(np.multiply, t, number)


def _div_(t, number):
    return _in_place(np.true_divide, t, number)


def _add(a, b):
    return b if a is None else a + b


class _NormBackward(ArrayFunction):
    """The first derivative as one op of (gO, x, ..., w): ``gradients(g, x, mean, rstd, w)``
    (the caller's kernel, on ndarrays) computes it; outputs only those in ``need`` (input,
    weight, bias)."""

    @staticmethod
    def forward(ctx, g, x, mean, rstd, w, b, gradients, need, meta):
        # mean and rstd: float16 constants (torch's formula takes no gradient there)
        ctx.save_for_backward(g, x, w, mean, rstd)
        ctx.need, ctx.meta = need, meta
        return tuple(a for a, n in zip(gradients(g, x, mean, rstd, w), need) if n)

    @classmethod
    def call(cls, g, x, mean, rstd, w, b, gradients, need, meta):
        """The gradients (input, weight, bias; None where not needed) as this op's outputs."""
        outs = iter(cls.apply(unwrap(g), unwrap(x), mean, rstd, unwrap(w), unwrap(b),
                              gradients, need, meta))
        return tuple(wrap(next(outs)) if n else None for n in need)

    @classmethod
    def backward(cls, ctx, *grads):
        g, x, w, mean, rstd = ctx.saved_tensors
        it = iter(grads)
        ggI, ggG, ggB = (next(it) if n else None for n in ctx.need)
        gI, gG, ggO = cls.double_backward(ggI, ggG, ggB, g, x, w, mean, rstd, ctx.meta)
        need = ctx.needs_input_grad
        return (ggO if need[0] else None, gI if need[1] else None, None, None,
                gG if need[4] else None, None, None, None, None)


class LayerNormBackward(_NormBackward):
    """native_layer_norm_backward(gO, x, normalized_shape, mean, rstd, w, b); edges as
    torch's node: gO, x, mean, rstd (no gradient), w, b (none either)."""

    _backward_name = "NativeLayerNormBackwardBackward0"
    _listed_args = (0, 1, 2, 3, 4, 5)

    @staticmethod
    def double_backward(ggI, ggG, ggB, g, x, w, mean, rstd, n_axes):
        """torch's layer_norm_double_backward, on x viewed as (M, N)."""
        shape = x.shape
        n = int(np.prod(shape[len(shape) - n_axes:]))
        x, g = x.reshape(-1, n), g.reshape(-1, n)
        mu, r1 = mean.reshape(-1, 1), rstd.reshape(-1, 1)
        xmu = x - mu
        r2, r3 = _power(r1, 2), _power(r1, 3)
        gamma = None if w is None else w.reshape(1, n)
        xmu_r3 = xmu * r3
        gI = gG = ggO = None
        if ggI is not None:
            ggI = ggI.reshape(-1, n)
            gxhat = g if gamma is None else g * gamma
            gxhat_mu_sum = _sum(gxhat * xmu, 1)
            gxhat_sum = _sum(gxhat, 1)
            ggI_sum = _sum(ggI, 1)
            ggI_mu_sum = _sum(ggI * xmu, 1)
            all_sub = (_div_(ggI_sum * gxhat_sum, n) - _sum(ggI * gxhat, 1)
                       + _mul_(r2 * gxhat_mu_sum * ggI_mu_sum, 3.0 / n))
            gI = _div_(xmu_r3 * all_sub, n)
            gI = gI + _div_(ggI_mu_sum * r3, n) * (div_scalar(gxhat_sum, n) - gxhat)
            gI = gI + _div_(gxhat_mu_sum * r3, n) * (div_scalar(ggI_sum, n) - ggI)
        if gamma is not None and ggG is not None:
            ggG = ggG.reshape(1, n)
            t = g * ggG * r1 + _div_(r1 * _sum(g * ggG, 1), -n)
            gI = _add(gI, t + _div_(xmu_r3 * _sum(g * ggG * xmu, 1), -n))

        def first(t, gamma_t):   # the first backward's input gradient, of t
            h0 = _div_(r1 if gamma_t is None else gamma_t * r1, n)
            h1 = mul_scalar(t, n) - _sum(t, 1) - (xmu * r2) * _sum(t * xmu, 1)
            return h0 * h1

        if gamma is not None and ggI is not None:
            gG = _sum(g * first(ggI, None), 0, False).reshape(w.shape)
        if ggI is not None:
            ggO = first(ggI, gamma)
        if ggG is not None:
            ggO = _add(ggO, ggG * xmu * r1)
        if ggB is not None:
            ggO = _add(ggO, np.broadcast_to(ggB.reshape(1, n), x.shape))
        return (None if gI is None else gI.reshape(shape), gG,
                None if ggO is None else ggO.reshape(shape))


class BatchNormBackward(_NormBackward):
    """native_batch_norm_backward(gO, x, w, running_mean, running_var, save_mean,
    save_invstd, train, eps); torch's node lists gO, x, w and the two statistics (no
    gradient). ``meta``: training (the statistics are the batch's, else the running
    estimates, whose r torch recomputes: (running_var + eps)^(-1/2))."""

    _backward_name = "NativeBatchNormBackwardBackward0"
    _listed_args = (0, 1, 4, 2, 3)

    @staticmethod
    def double_backward(ggI, ggG, ggB, g, x, w, mean, rstd, training):
        """torch's batchnorm_double_backward, statistics per channel (dim 1)."""
        per_channel = (1, x.shape[1]) + (1,) * (x.ndim - 2)
        m = x.size // x.shape[1]
        mu, r1 = mean.reshape(per_channel), rstd.reshape(per_channel)
        gamma = None if w is None else w.reshape(per_channel[1:])
        xmu = x - mu
        r2, r3 = _power(r1, 2), _power(r1, 3)
        xmu_r3 = xmu * r3
        ginmu_sum = _sum_exclude_dim1(g * xmu)
        g_sum = _sum_exclude_dim1(g)
        gI = gG = ggO = None
        if ggI is not None and training:
            ggI_sum = _sum_exclude_dim1(ggI)
            ggIinmu_sum = _sum_exclude_dim1(ggI * xmu)
            all_sub = (_div_(ggI_sum * g_sum, m) - _sum_exclude_dim1(g * ggI)
                       + _mul_(r2 * ginmu_sum * ggIinmu_sum, 3.0 / m))
            gI = _div_(xmu_r3 * all_sub, m)
            gI = gI + _div_(ggIinmu_sum * r3, m) * (div_scalar(g_sum, m) - g)
            gI = gI + _div_(ginmu_sum * r3, m) * (div_scalar(ggI_sum, m) - ggI)
            if gamma is not None:
                gI = gamma * gI
        if gamma is not None and ggG is not None:
            ggG = ggG.reshape(gamma.shape)
            if training:
                t = (g * r1 + _div_(r1 * g_sum, -m)
                     + _div_(xmu_r3 * _sum_exclude_dim1(g * xmu), -m))
                gI = _add(gI, ggG * t)
            else:
                gI = _add(gI, ggG * r1 * g)

        def first(t, gamma_t):   # the first backward's input gradient, of t
            h0 = _div_(r1 if gamma_t is None else gamma_t * r1, m)
            h1 = (mul_scalar(t, m) - _sum_exclude_dim1(t)
                  - (xmu * r2) * _sum_exclude_dim1(t * xmu))
            return h0 * h1

        if gamma is not None and ggI is not None:
            full = ggI * first(g, None) if training else ggI * g * r1
            gG = _sum_exclude_dim1(full, False)
        if ggI is not None:
            if training:
                ggO = first(ggI, gamma)
            else:
                ggO = ggI * r1 if gamma is None else ggI * r1 * gamma
        if ggG is not None:
            ggO = _add(ggO, ggG * xmu * r1)
        if ggB is not None:
            ggO = _add(ggO, np.broadcast_to(ggB.reshape(per_channel[1:]), x.shape))
        return gI, gG, ggO
