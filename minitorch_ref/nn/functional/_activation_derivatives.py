"""The activations' backward functions as torch has them, ops of (grad_output, self or
result) whose own backward is torch's double-backward formula (``_ops/activation_backward.py``
says how they are used): hardtanh_backward, leaky_relu_backward, rrelu_with_noise_backward,
elu_backward, the shrinks', hardswish_backward, log_sigmoid_backward, glu_backward,
_prelu_kernel_backward (two results); and the derivative of GELU and of softplus as a function
of x, each a node whose own backward is torch's gelu_double_backward, softplus_double_backward
(under create_graph their first derivative is g d(x))."""
from __future__ import annotations

import math

import numpy as np

from ..._ops._erf import gelu_parts, sigmoid_array
from ..._ops._util import div_scalar, mul_scalar, zero_where
from ..._ops.activation_backward import (BackwardOp, PiecewiseLinearBackward, SigmoidBackward,
                                         add_scalar, recorded, sub_scalar)
from ...autograd.function import ArrayFunction
from ...autograd.graph_array import unwrap as _unwrap, wrap as _wrap
from ._activation_args import check_opmath, scalar_loop_nan, scalar_loop_where

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_KAPPA = 0.044715
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _recorded(a) -> bool:
    """Whether ``a`` is a GraphArray (a backward recorded under create_graph)."""
    return getattr(type(a), "graph_array", False)


def _as_dtype(a, dtype):
    """a rounded once to dtype."""
    return a if a.dtype == dtype else a.astype(dtype)


# below it, float32's 1 - tanh^2 u is a few ulp of 1: NumPy's float32 tanh, 1 ulp from torch's
# on a third of inputs, would move GELU's gradient by float32's tolerance there
_GELU_TANH_TAIL = -6.5
# |u| beyond which torch's vectorized tanh (SLEEF's, by itemsize) returns +-1 exactly
_SLEEF_TANH_SATURATES = {4: 8.664339742, 8: 18.714973875}


def gelu_tanh_u(x: np.ndarray) -> np.ndarray:
    """tanh(u), u = sqrt(2/pi) (x + kappa x^3), in torch's order of operations, and as torch's
    tanh (SLEEF's) in the lower tail (x float32 or float64)."""
    u = x * x
    u *= x
    u *= _GELU_KAPPA
    u += x
    u *= _SQRT_2_OVER_PI
    th = np.tanh(u)
    tail = u < _GELU_TANH_TAIL
    if tail.any():              # rare: x < -4.2 (one scan of the mask)
        th = np.asarray(th)         # (0-d: NumPy scalars; a fresh array, so a view)
        at, flat = np.flatnonzero(tail), th.reshape(-1)
        ut = np.asarray(u).reshape(-1)[at]
        # torch's tanh (SLEEF's) is correctly rounded here, and -1 beyond saturation
        v = np.tanh(ut.astype(np.float64)) if th.dtype == np.float32 else flat[at]
        flat[at] = np.where(ut < -_SLEEF_TANH_SATURATES[th.dtype.itemsize], -1.0, v)
    return th


def gelu_gradient(g, x, th, approximate: str):
    """GELU's dL/dx from x and the forward's ``th``: the derivative Phi + x phi (approximate
    'none'), or tanh u ('tanh', x in float32 for float16)."""
    if approximate != "tanh":
        return g * th
    # torch's order of operations: the two terms nearly cancel for x around -4, where
    # a different rounding shows in float32
    du = x * x                      # du/dx = sqrt(2/pi) (1 + 3 kappa x^2)
    du *= x.dtype.type(3) * x.dtype.type(_GELU_KAPPA)
    du += 1
    du *= _SQRT_2_OVER_PI
    sech2 = 1 - th * th
    d = x * 0.5
    d *= sech2
    d *= du                         # x/2 (1 - tanh^2 u) du/dx
    half = th + 1
    half *= 0.5
    d += half                       # + (1 + tanh u) / 2
    d *= g
    return _as_dtype(d, g.dtype)


class GeluBackward(BackwardOp):
    """torch's gelu_backward(g, x, approximate) (``gelu_gradient``); its derivatives:
      d/dg = gelu_backward(gg, x)
      d/dx = gg g dd/dx  (torch's gelu_double_backward, formula for formula):
      approximate='none':  dd/dx = 2 phi - x^2 phi,  phi = exp(-x^2 / 2) / sqrt(2 pi)
      approximate='tanh':  dd/dx = 2 (f' g h) + f g' h + f g h',  f = x/2, g = 1 - tanh^2 u,
                           h = du/dx = sqrt(2/pi) (1 + 3 kappa x^2), f' = 1/2,
                           g' = 2 sech u (-sech u tanh u) h, h' = 6 kappa x sqrt(2/pi)"""

    _backward_name = "GeluBackwardBackward0"

    @staticmethod
    def gradient(g, x, approximate):
        if approximate == "tanh":
            xw = x.astype(np.float32) if x.dtype == np.float16 else x
            return gelu_gradient(g, xw, gelu_tanh_u(xw), approximate)
        # (float16: Phi + x phi in float32, the product rounded once, as the plain backward)
        return _as_dtype(gelu_gradient(g, x, gelu_parts(x)[1], approximate), g.dtype)

    @staticmethod
    def x_derivative(gg, g, x, approximate):
        if approximate == "tanh":   # (torch's formula, op for op)
            inner = mul_scalar(x + mul_scalar(x ** 3, _GELU_KAPPA), _SQRT_2_OVER_PI)
            th = np.tanh(inner)
            sech = np.ones(x.shape, x.dtype) / np.cosh(inner)
            f = mul_scalar(x, 0.5)
            g2 = np.ones(x.shape, x.dtype) - th * th
            h = mul_scalar(add_scalar(mul_scalar(x, 3 * _GELU_KAPPA) * x, 1), _SQRT_2_OVER_PI)
            f_prime_gh = mul_scalar(g2, 0.5) * h
            neg_sech_th = -sech * th       # (right operands first, as torch's C++)
            g_prime = mul_scalar(sech, 2) * neg_sech_th * h
            g_prime_fh = f * h * g_prime
            h_prime = mul_scalar(mul_scalar(x, 6 * _GELU_KAPPA), _SQRT_2_OVER_PI)
            h_prime_fg = f * g2 * h_prime
            return gg * g * (mul_scalar(f_prime_gh, 2) + g_prime_fh + h_prime_fg)
        x_sq = x * x        # (products with a number as torch's C++ writes them: MulBackward1)
        pdf = mul_scalar(np.exp(mul_scalar(x_sq, -0.5)), _INV_SQRT_2PI)
        sq_pdf = x_sq * pdf     # (right operands first, as torch's C++)
        return gg * g * (mul_scalar(pdf, 2) - sq_pdf)


class SoftplusBackward(BackwardOp):
    """torch's softplus_backward(g, x, beta, threshold) = g softplus_slope(x); its derivatives
    (torch's softplus_double_backward for x, node for node):
      d/dg = softplus_backward(gg, x)
      d/dx = sigmoid_backward(gg g, sigmoid(beta x)) [beta x < threshold] beta"""

    _backward_name = "SoftplusBackwardBackward0"

    @staticmethod
    def gradient(g, x, beta, threshold):
        xw = x.astype(np.promote_types(x.dtype, np.float32), copy=False)
        bx = xw if beta == 1 else xw * beta
        cap = math.inf if math.isnan(threshold) else threshold
        z = np.exp(np.minimum(bx, cap), out=np.empty_like(xw))
        d = softplus_slope(xw, z, beta, threshold, cap > math.log(np.finfo(xw.dtype).max))
        d *= g
        return d.astype(g.dtype, copy=False)

    @staticmethod
    def x_derivative(gg, g, x, beta, threshold):
        bx = mul_scalar(x, beta)
        mask = (_data(bx) < threshold).astype(x.dtype)
        return mul_scalar(SigmoidBackward.call(gg * g, _sigmoid(bx)) * mask, beta)


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


def _choose(mask: np.ndarray, a: float, b: float, dtype) -> np.ndarray:
    """a where mask else b (two constants in ``dtype``), exactly, selected on the bits: with A,
    B their bit patterns as unsigned integers, B + mask (A - B) modulo 2^width. About twice as
    fast as a * mask + b * ~mask in floats, whose bool-to-float casts dominate."""
    unsigned = np.dtype(f"u{np.dtype(dtype).itemsize}")
    bits_a, bits_b = (int(np.array(v, dtype).view(unsigned)) for v in (a, b))
    out = mask.astype(unsigned)                     # 1 or 0
    out *= (bits_a - bits_b) % (1 << 8 * unsigned.itemsize)
    out += bits_b                                   # wraps around to A where mask
    return out.view(dtype)


class HardtanhBackward(PiecewiseLinearBackward):
    """torch's hardtanh_backward(g, x, lo, hi) = g where lo < x < hi (strict), else 0, in its
    vectorized loop; its scalar loop's x <= lo || x >= hi ? 0 : g passes g at a NaN x, and
    with a NaN bound (then only the other bound counts). The bounds are range-checked in the
    opmath type (float32 for float16)."""

    _backward_name = "HardtanhBackwardBackward0"

    @staticmethod
    def gradient(g, x, lo, hi):
        check_opmath(x, lo, hi)     # (torch converts them to the opmath type here)
        d = zero_where(g, ~((x > lo) & (x < hi)))
        if math.isnan(lo) or math.isnan(hi):
            return scalar_loop_where(d, x, g, lambda xs: (xs <= lo) | (xs >= hi), registers=1)
        return scalar_loop_nan(d, x, g, registers=1)


class ShrinkBackward(PiecewiseLinearBackward):
    """torch's softshrink_backward(g, x, l) (and hardshrink's, the same): g where |x| > l, else
    0 (also at a NaN x or l; torch's scalar loop passes g there)."""

    _backward_name = "SoftshrinkBackwardBackward0"

    @staticmethod
    def gradient(g, x, lambd):
        d = zero_where(g, ~(np.abs(x) > lambd))
        if math.isnan(lambd):   # (the scalar loop: x >= -l && x <= l ? 0 : g, so g)
            return scalar_loop_where(d, x, g, lambda xs: (xs >= -lambd) & (xs <= lambd),
                                     registers=1)
        return scalar_loop_nan(d, x, g, registers=1)


class HardshrinkBackward(ShrinkBackward):
    _backward_name = "HardshrinkBackwardBackward0"


class LeakyReluBackward(PiecewiseLinearBackward):
    """torch's leaky_relu_backward(g, x, slope) = g f, f = 1 where x > 0, else the slope (x
    the input, or the result of the in-place form); float16 in float32, rounded once."""

    _backward_name = "LeakyReluBackwardBackward0"

    @staticmethod
    def gradient(g, x, slope):
        f = _choose(x > 0, 1, slope, np.float32 if x.dtype == np.float16 else x.dtype)
        return (g * f).astype(g.dtype, copy=False)


class RreluWithNoiseBackward(LeakyReluBackward):
    """rrelu's (eval: leaky_relu's with the mean slope), torch's rrelu_with_noise_backward."""

    _backward_name = "RreluWithNoiseBackwardBackward0"


def elu_gradient(g, x0, alpha: float, scale: float, input_scale: float):
    """dL/dx of the ELU family from its input (``Elu``'s docstring), as torch's kernel."""
    x = x0.astype(np.promote_types(x0.dtype, np.float32), copy=False)
    d = np.minimum(x, 0)
    if input_scale != 1:
        d *= input_scale
    d = np.exp(d)
    slope = scale * alpha * input_scale
    if slope != 1:
        d *= slope
    if slope != scale:                      # (+ -0 where x <= 0: slope * 0 keeps its sign)
        pos = x > 0
        d = zero_where(d, pos)
        d += _choose(pos, scale, -0.0, d.dtype)
    d *= g
    d = scalar_loop_nan(d, x0, lambda i: np.asarray(g)[i] * d.dtype.type(scale), registers=2)
    return d.astype(g.dtype, copy=False)


class EluBackward(BackwardOp):
    """torch's elu_backward(g, alpha, scale, input_scale, is_result, x): from the input x as
    ``elu_gradient``; from the result y of the in-place form (is_result), torch's
    g input_scale (y + scale alpha) where y <= 0 (float16 in float32;
    NaN at a NaN y, as torch's vectorized loop), else g scale.
      d/dg = elu_backward(gg, ..., x)
      d/dx = elu_backward(gg g input_scale, ..., x) [x < 0]    (is_result: gg g input_scale
             [y < 0])"""

    _backward_name = "EluBackwardBackward0"

    @staticmethod
    def gradient(g, x, alpha, scale, input_scale, is_result):
        if not is_result:
            return elu_gradient(g, x, alpha, scale, input_scale)
        y = x.astype(np.promote_types(x.dtype, np.float32), copy=False)
        gw = g.astype(y.dtype, copy=False)
        pos = gw * scale
        d = np.where(y > 0, pos, gw * input_scale * (y + scale * alpha))   # (NaN at a NaN y)
        d = scalar_loop_nan(d, x, pos, registers=2)         # (the scalar loop: g scale there)
        return d.astype(g.dtype, copy=False)

    @classmethod
    def x_derivative(cls, gg, g, x, *args):
        alpha, scale, input_scale, is_result = args
        negative = (_data(x) < 0).astype(_data(gg).dtype)
        d = mul_scalar(gg * g, input_scale)
        if not is_result:
            d = cls.call(d, x, *args)
        return d * negative


class HardswishBackward(BackwardOp):
    """torch's hardswish_backward(g, x) = 0 for x <= -3, g for x >= 3, g (x / 3 + 1/2)
    otherwise (so NaN at a NaN x; torch's scalar loop gives g there).
      d/dg = hardswish_backward(gg, x)
      d/dx = gg g / 3 where -3 < x < 3, else 0"""

    _backward_name = "HardswishBackwardBackward0"

    @staticmethod
    def gradient(g, x):
        d = x / x.dtype.type(3)
        d += x.dtype.type(0.5)
        upper = x >= 3
        d = zero_where(d, upper)        # the slope 1 where x >= 3: 0 there, then + 1
        d += upper
        d *= g                          # (g inf at x = -1.5, slope 0: NaN, as in torch)
        # (the scalar loop: x < -3 ? 0 : x <= 3 ? g (x / 3 + 1/2) : g, so g at a NaN x)
        return scalar_loop_nan(zero_where(d, x <= -3), x, g, registers=2)

    @staticmethod
    def x_derivative(gg, g, x):
        xv = _data(x)
        return np.where((-3 < xv) & (xv < 3), div_scalar(gg * g, 3.0), xv.dtype.type(0))


class LogSigmoidBackward(BackwardOp):
    """torch's log_sigmoid_backward(g, x) (``LogSigmoid.gradient``).
      d/dg = log_sigmoid_backward(gg, x)
      d/dx = (gg g) (z - 1) z,  z = sigmoid(x)  (torch's log_sigmoid_double_backward)"""

    _backward_name = "LogSigmoidBackwardBackward0"

    @staticmethod
    def gradient(g, x):
        from .activation import LogSigmoid
        return LogSigmoid.gradient(g, x)

    @staticmethod
    def x_derivative(gg, g, x):
        d = gg * g
        z = _sigmoid(x)
        return d * sub_scalar(z, 1) * z


def _data(a):
    return _unwrap(a)._data if recorded(a) else a


def _sigmoid(a):
    """sigmoid(a); recorded as one op (SigmoidBackward0) where a is."""
    return _wrap(_unwrap(a).sigmoid()) if recorded(a) else sigmoid_array(a)


def _halves(a, dim: int):
    """a's two halves along dim (narrow: SliceBackward0 each when recorded)."""
    n = a.shape[dim] // 2
    lead = (slice(None),) * dim
    return a[lead + (slice(0, n),)], a[lead + (slice(n, 2 * n),)]


def glu_gradient(g, a, s, dim: int):
    """glu's dL/dx = [g s, g s (1 - s) a] from its first half a and s = sigmoid(b) (float32
    for float16: the sigmoid rounded to float16, then in float32, rounded once, as torch's
    kernel)."""
    if a.dtype == np.float16:
        s = s.astype(np.float16).astype(np.float32)
    ga = g * s
    gb = ga * a
    gb *= 1 - s
    return _as_dtype(np.concatenate([ga, gb], axis=dim), g.dtype)


class GluBackward(BackwardOp):
    """torch's glu_backward(g, x, dim) (``glu_gradient``), x = [a, b], s = sigmoid(b); its
    derivatives, formula for formula (glu_double_backward_grad_output, glu_double_backward;
    linear in g, but not the op itself on gg: its own ``backward``):
      d/dg = t_a + t_b,  [t_a, t_b] = gg glu_backward(1, x)
      d/dx = [gg_b g s(1-s),  (gg_b a) g (s(1-s)(1-s) - s s(1-s)) + gg_a g s(1-s)]"""

    _backward_name = "GluBackwardBackward0"

    @staticmethod
    def gradient(g, x, dim):
        a, b = np.split(x, 2, axis=dim)
        return glu_gradient(g, a, sigmoid_array(b.astype(np.float32) if b.dtype == np.float16
                                                else b), dim)

    @classmethod
    def backward(cls, ctx, gg):
        g, x = ctx.saved_tensors
        dim, = ctx.args
        dg = dx = None
        if ctx.needs_input_grad[0]:
            shape = list(x.shape)
            shape[dim] //= 2
            t = gg * cls.call(np.ones(shape, _data(x).dtype), x, dim)
            t_a, t_b = _halves(t, dim)
            dg = t_a + t_b
        if ctx.needs_input_grad[1]:   # (right operands first, as torch's C++)
            a, b = _halves(x, dim)
            sig = _sigmoid(b)
            one_sub_sig = np.ones(sig.shape, sig.dtype) - sig
            sig_one_sub_sig = sig * one_sub_sig
            gg_a, gg_b = _halves(gg, dim)
            gg_b_a = gg_b * a
            gi_a = gg_b * g * sig_one_sub_sig
            sig_sos = sig * sig_one_sub_sig
            second_order = sig_one_sub_sig * one_sub_sig - sig_sos
            gg_a_term = gg_a * g * sig_one_sub_sig
            gi_b = gg_b_a * g * second_order + gg_a_term
            dx = np.concatenate([gi_a, gi_b], axis=dim)
        return dg, dx, None


def prelu_gradients(g, x, f, pos):
    """_prelu_kernel's (dL/dx, dL/dw at x's shape) = (g f, g x where x <= 0, else 0), f = 1
    where x > 0 (pos), else w (an inf g or x where x > 0 adds nothing to dL/dw)."""
    return g * f, zero_where(g * x, pos)


class PreluKernelBackward(ArrayFunction):
    """torch's _prelu_kernel_backward(g, x, w) -> (dL/dx, dL/dw at x's shape)
    (``prelu_gradients``; the engine sums dL/dw to w's shape). Its derivatives, as torch's
    derivatives.yaml, gx', gw' the incoming gradients of the two results (either may be absent):
      d/dg = where(x >= 0, gx', gx' w + gw' x)  (each term only with its gradient; gx' absent:
             where(x >= 0, 0, gw' x))
      d/dx = where(x >= 0, 0, g gw'),  d/dw = where(x >= 0, 0, g gx')  (zeros when absent)"""

    _backward_name = "PreluKernelBackwardBackward0"

    @classmethod
    def call(cls, g, x, w):
        """The two gradients; recorded as this op where one of g, x, w is (create_graph)."""
        if recorded(g) or recorded(x) or recorded(w):
            gx, gw = cls.apply(_unwrap(g), _unwrap(x), _unwrap(w))
            return _wrap(gx), _wrap(gw)
        pos = x > 0
        f = w * ~pos
        f += pos
        return prelu_gradients(g, x, f, pos)

    @staticmethod
    def forward(ctx, g, x, w):
        ctx.save_for_backward(g, x, w)
        ctx.set_materialize_grads(False)
        return PreluKernelBackward.call(g, x, w)

    @staticmethod
    def backward(ctx, ggx, ggw):
        g, x, w = ctx.saved_tensors
        nonneg = _data(x) >= 0
        zero = _data(x).dtype.type(0)
        need = ctx.needs_input_grad
        dg = dx = dw = None
        if need[0]:       # (right operands first, as torch's C++)
            if ggx is None:
                dg = np.where(nonneg, zero, ggw * x)
            elif ggw is None:
                dg = np.where(nonneg, ggx, ggx * w)
            else:
                ggw_x = ggw * x
                dg = np.where(nonneg, ggx, ggx * w + ggw_x)
        if need[1]:
            dx = np.zeros_like(_data(x)) if ggw is None else np.where(nonneg, zero, g * ggw)
        if need[2]:
            dw = np.zeros_like(_data(x)) if ggx is None else np.where(nonneg, zero, g * ggx)
        return dg, dx, dw
