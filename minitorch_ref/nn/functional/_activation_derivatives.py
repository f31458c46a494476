"""The derivative of GELU and of softplus as a function of x, each a node whose own backward
is torch's double-backward formula (gelu_double_backward, softplus_double_backward): under
create_graph their activation's first derivative is g d(x), so that its derivative has torch's
nodes and values (``activation.py`` replays its forward into these)."""
from __future__ import annotations

import math

import numpy as np

from ..._ops._erf import gelu_parts, sigmoid_array
from ..._ops._util import mul_scalar, zero_where
from ..._tensor import _new_tensor
from ...autograd import grad as _grad
from ...autograd.function import ArrayFunction
from ...autograd.graph_array import unwrap as _unwrap, wrap as _wrap

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_KAPPA = 0.044715
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _recorded(a) -> bool:
    """Whether ``a`` is a GraphArray (a backward recorded under create_graph)."""
    return getattr(type(a), "graph_array", False)


def _as_dtype(a, dtype):
    """a rounded once to dtype."""
    return a if a.dtype == dtype else a.astype(dtype)


class _GeluDerivative(ArrayFunction):
    """d = dGELU/dx as a function of x: the factor of GELU's first derivative g d under
    create_graph, so that its own derivative is torch's gelu_double_backward, formula for
    formula (the second derivative's nodes are then torch's):
      approximate='none':  dd/dx = 2 phi - x^2 phi,  phi = exp(-x^2 / 2) / sqrt(2 pi)
      approximate='tanh':  dd/dx = 2 (f' g h) + f g' h + f g h',  f = x/2, g = 1 - tanh^2 u,
                           h = du/dx = sqrt(2/pi) (1 + 3 kappa x^2), f' = 1/2,
                           g' = 2 sech u (-sech u tanh u) h, h' = 6 kappa x sqrt(2/pi)"""

    _backward_name = "GeluBackwardBackward0"

    @staticmethod
    def forward(ctx, x, approximate):
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        if approximate == "tanh":
            th = np.tanh(_SQRT_2_OVER_PI * (x + _GELU_KAPPA * (x * x * x)))
            du = _SQRT_2_OVER_PI * (1 + 3 * _GELU_KAPPA * (x * x))
            return _as_dtype(0.5 * (1 + th) + 0.5 * x * (1 - th * th) * du, x.dtype)
        return _as_dtype(gelu_parts(x)[1], x.dtype)

    @staticmethod
    def backward(ctx, gd):
        x, = ctx.saved_tensors
        if ctx.approximate == "tanh":   # (torch's formula, op for op)
            inner = mul_scalar(x + mul_scalar(x ** 3, _GELU_KAPPA), _SQRT_2_OVER_PI)
            th = np.tanh(inner)
            sech = np.ones(x.shape, x.dtype) / np.cosh(inner)
            f = mul_scalar(x, 0.5)
            g = np.ones(x.shape, x.dtype) - th * th
            h = mul_scalar(1 + mul_scalar(x, 3 * _GELU_KAPPA) * x, _SQRT_2_OVER_PI)
            f_prime_gh = mul_scalar(g, 0.5) * h
            g_prime_fh = f * h * (mul_scalar(sech, 2) * (-sech * th) * h)
            h_prime_fg = f * g * mul_scalar(mul_scalar(x, 6 * _GELU_KAPPA), _SQRT_2_OVER_PI)
            return gd * (mul_scalar(f_prime_gh, 2) + g_prime_fh + h_prime_fg), None
        x_sq = x * x        # (products with a number as torch's C++ writes them: MulBackward1)
        pdf = mul_scalar(np.exp(mul_scalar(x_sq, -0.5)), _INV_SQRT_2PI)
        return gd * (mul_scalar(pdf, 2) - x_sq * pdf), None


class _SoftplusDerivative(ArrayFunction):
    """d = dsoftplus/dx as a function of x (``Softplus._slope``): the factor of softplus's
    first derivative g d under create_graph, whose own derivative is torch's
    softplus_double_backward, node for node:
      dd/dx = sigmoid_backward(1, sigmoid(beta x)) [beta x < threshold] beta
            = s (1 - s) [beta x < threshold] beta,  s = sigmoid(beta x)"""

    _backward_name = "SoftplusBackwardBackward0"

    @staticmethod
    def forward(ctx, x, beta, threshold, z_overflows):
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        xw = x.astype(np.promote_types(x.dtype, np.float32), copy=False)
        bx = xw if beta == 1 else xw * beta
        cap = math.inf if math.isnan(threshold) else threshold
        z = np.exp(np.minimum(bx, cap), out=np.empty_like(xw))
        return _as_dtype(softplus_slope(xw, z, beta, threshold, z_overflows), x.dtype)

    @staticmethod
    def backward(ctx, gd):
        x, = ctx.saved_tensors
        beta, threshold = ctx.beta, ctx.threshold
        bx = mul_scalar(x, beta)
        mask = (bx < threshold).astype(x.dtype)
        if _recorded(bx):       # torch's sigmoid_backward(grad, sigmoid(beta x)): its node
            s = _unwrap(bx).sigmoid()
            gt = _unwrap(gd) if _recorded(gd) else _new_tensor(np.asarray(gd))
            ds, = _grad(s, _unwrap(bx), gt, create_graph=True)
            ds = _wrap(ds)
        else:
            s = sigmoid_array(bx)
            ds = gd * (s * (1 - s))
        return mul_scalar(ds * mask, beta), None, None, None


def softplus_slope(x: np.ndarray, z: np.ndarray, beta: float, threshold: float,
                   z_overflows: bool) -> np.ndarray:
    """dout/dx: z / (z + 1), or 1 where beta x > threshold (ndarrays)."""
    bx = x if beta == 1 else x * beta
    d = np.add(z, 1, out=np.empty_like(z))     # an array if 0-d
    np.divide(z, d, out=d)
    linear = bx > threshold
    if z_overflows:
        d = zero_where(d, linear)
        d += linear
        return d
    # d is in [0, 1] (or nan), so the linear regime's 1 is a max with the 0/1 mask
    return np.maximum(d, linear, dtype=d.dtype)
