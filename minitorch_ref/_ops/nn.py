"""Kernels of ``torch.nn.functional`` (nn core): linear layers, activations, normalization,
embedding and distances. Each class is one op, ``forward`` beside ``backward`` on ndarrays, the
derivative written in its docstring (``g`` is dL/d out). ``nn/functional.py`` validates arguments
the way torch does and calls these.

Fused forms with closed-form backwards are used where they are also how the math reads: softmax
and log-softmax, the normalizations (one kernel for batch/layer/group/instance norm), cosine
similarity.
"""
from __future__ import annotations

import math

import numpy as np

from ..autograd.function import ArrayFunction
from ._util import shape_str, zero_where
from .out import with_out

__all__ = ["softmax", "log_softmax"]

_TYPE_NAMES = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
               "uint8": "Byte", "bool": "Bool"}


def require_float(a: np.ndarray, kernel: str) -> None:
    """torch's error for an activation applied to an integer tensor."""
    if a.dtype.kind != "f":
        raise NotImplementedError(
            f'"{kernel}" not implemented for \'{_TYPE_NAMES.get(a.dtype.name, a.dtype.name)}\'')


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _sum_over(axes: tuple, a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """The sum over ``axes`` of a, or of a * b (same shape) without forming the product,
    keeping those axes as size-1 dims (as keepdims=True). np.einsum: for the reductions here
    (softmax rows, normalization statistics, affine gradients) it runs several times faster
    than np.sum, and it fuses the product. (Its accumulation is not pairwise: a mean that
    shifts every element, like the normalizations', stays np.mean.)"""
    dims = _LETTERS[:a.ndim]
    kept = "".join(d for i, d in enumerate(dims) if i not in axes)
    if b is None:
        total = np.einsum(f"{dims}->{kept}", a)
    else:
        total = np.einsum(f"{dims},{dims}->{kept}", a, b)
    return total.reshape([1 if i in axes else n for i, n in enumerate(a.shape)])


def _mean_over(axes: tuple, a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """mean over ``axes`` of a (or of a * b), keeping them as size-1 dims; nan when empty."""
    count = math.prod(a.shape[i] for i in axes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _sum_over(axes, a, b) / a.dtype.type(count)


# ==================================================================================================
# Linear layers
# ==================================================================================================

class Linear(ArrayFunction):
    """out = x @ W^T + b        x: (*, in),  W: (out, in),  b: (out,)

    One GEMM on x flattened to (N, in), N = prod(*):
      dL/dx = g @ W           dL/dW = g^T @ x  (one GEMM: the sum over all N rows)
      dL/db = sum of g over the N rows
    """

    _backward_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, x, w, b):
        if x.ndim == 0 or w.ndim == 0:
            raise RuntimeError("both arguments to linear need to be at least 1D, but they are "
                               f"{x.ndim}D and {w.ndim}D")
        if x.dtype != w.dtype:
            raise RuntimeError("expected m1 and m2 to have the same dtype, but got: "
                               f"{_c_name(x.dtype)} != {_c_name(w.dtype)}")
        x2 = x.reshape(-1, x.shape[-1])
        if x.shape[-1] != w.shape[-1]:
            raise RuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied ({x2.shape[0]}x{x2.shape[1]} and "
                f"{w.shape[1]}x{w.shape[0]})")
        out = x2 @ w.T
        if b is not None:
            if b.shape not in ((w.shape[0],), (1,), ()):
                raise RuntimeError(
                    f"The expanded size of the tensor ({w.shape[0]}) must match the existing "
                    f"size ({b.shape[-1]}) at non-singleton dimension 1.  Target sizes: "
                    f"{shape_str(out.shape)}.  Tensor sizes: {shape_str(b.shape)}")
            out += b
        ctx.save_for_backward(x, w)
        return out.reshape(x.shape[:-1] + (w.shape[0],))

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        g2 = g.reshape(-1, w.shape[0])
        gx = (g2 @ w).reshape(x.shape) if ctx.needs_input_grad[0] else None
        gw = g2.T @ x.reshape(-1, x.shape[-1]) if ctx.needs_input_grad[1] else None
        gb = g2.sum(0) if ctx.needs_input_grad[2] else None
        return gx, gw, gb


class Bilinear(ArrayFunction):
    """out[n, o] = sum_ij x1[n, i] W[o, i, j] x2[n, j] + b[o]

      dL/dx1[n, i] = sum_oj g[n, o] W[o, i, j] x2[n, j]
      dL/dx2[n, j] = sum_oi g[n, o] x1[n, i] W[o, i, j]
      dL/dW[o, i, j] = sum_n g[n, o] x1[n, i] x2[n, j]       dL/db = sum_n g[n, o]
    """

    _backward_name = "AddBackward0"

    @staticmethod
    def forward(ctx, x1, x2, w, b):
        lead = x1.shape[:-1]
        a = x1.reshape(-1, x1.shape[-1])
        c = x2.reshape(-1, x2.shape[-1])
        # x1 W: one GEMM against W laid out as (in1, out*in2), then a row-wise dot with x2
        t = (a @ w.transpose(1, 0, 2).reshape(w.shape[1], -1)).reshape(len(a), w.shape[0], -1)
        out = np.einsum("noj,nj->no", t, c)
        if b is not None:
            out += b
        ctx.save_for_backward(a, c, w)
        ctx.shapes = (x1.shape, x2.shape)
        return out.reshape(lead + (w.shape[0],))

    @staticmethod
    def backward(ctx, g):
        a, c, w = ctx.saved_tensors
        g2 = g.reshape(-1, w.shape[0])
        need = ctx.needs_input_grad
        g1 = np.einsum("no,oij,nj->ni", g2, w, c, optimize=True).reshape(ctx.shapes[0]) \
            if need[0] else None
        g2_ = np.einsum("no,ni,oij->nj", g2, a, w, optimize=True).reshape(ctx.shapes[1]) \
            if need[1] else None
        gw = np.einsum("no,ni,nj->oij", g2, a, c, optimize=True) if need[2] else None
        gb = g2.sum(0) if need[3] else None
        return g1, g2_, gw, gb


def _c_name(np_dtype) -> str:
    return {"float32": "float", "float64": "double", "float16": "c10::Half"}.get(
        np.dtype(np_dtype).name, np.dtype(np_dtype).name)


# ==================================================================================================
# Activations. Ties follow torch: each mask below is strict or not exactly as torch's kernel.
# Branches are taken by arithmetic (max/min, clip) or by _util.zero_where (a select done on the
# bits), not np.where: with a mask that changes unpredictably from element to element (x > 0 on
# real data) np.where costs several times more. A gradient that torch's kernel zeroes with a
# select (cond ? 0 : g) is zeroed by zero_where, never by a 0/1 multiply: g may be inf or NaN
# there, and torch's 0 must stay 0. Each condition's NaN side is that of torch's vectorized
# loop, which takes all but an array's last len % 8 (float32) or len % 4 (float64) elements;
# for some ops (hardtanh, the shrinks, hardswish, elu) torch's scalar loop for that tail sends a
# NaN input the other way.
# ==================================================================================================

class Hardtanh(ArrayFunction):
    """out = min(max(x, lo), hi).
    dL/dx = g where lo < x < hi (strict: 0 at the bounds), else 0 (also at a NaN x)."""

    _backward_name = "HardtanhBackward0"

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        return np.clip(x, lo, hi)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return zero_where(g, ~((x > ctx.lo) & (x < ctx.hi))), None, None


class LeakyRelu(ArrayFunction):
    """out = x * f,  f = 1 if x > 0 else slope.      dL/dx = g * f   (the slope at 0 and nan).

    ``from_result``: the in-place form, whose backward torch computes from the output; with a
    negative slope the output's sign no longer tells the branch, so torch refuses (as here)."""

    _backward_name = "LeakyReluBackward0"

    @staticmethod
    def forward(ctx, x, slope, from_result=False):
        require_float(x, "leaky_relu_cpu")
        f = _choose(x > 0, 1, slope, x.dtype)
        ctx.save_for_backward(f)
        ctx.slope, ctx.from_result = slope, from_result
        return x * f

    @staticmethod
    def backward(ctx, g):
        if ctx.from_result and ctx.slope < 0:
            raise RuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope "
                "which is not supported. This is caused by calling in-place forward function "
                "with a negative slope, please call out-of-place version instead. File an issue "
                "at https://github.com/pytorch/pytorch if you do require supporting in-place "
                "leakRelu backward calculation with negative slope")
        f, = ctx.saved_tensors
        return g * f, None, None


def _choose(mask: np.ndarray, a: float, b: float, dtype) -> np.ndarray:
    """a where mask else b (two constants), exactly, in ``dtype``: a * mask + b * ~mask, where
    one term is the value and the other an exact zero."""
    out = np.multiply(~mask, b, dtype=dtype)
    out += mask if a == 1 else np.multiply(mask, a, dtype=dtype)
    return out


class Prelu(ArrayFunction):
    """out = x * f,  f = 1 if x > 0 else w_c, one slope w_c per channel (dim 1; dim 0 for 1-D
    x).     dL/dx = g * f         dL/dw_c = sum over channel c of (0 where x > 0, else g * x)
    (selected, as in torch: an inf g or x where x > 0 adds nothing)."""

    _backward_name = "PreluKernelBackward0"

    @staticmethod
    def forward(ctx, x, w):
        require_float(x, "prelu_cpu")
        shape = [1] * x.ndim
        if x.ndim >= 2 and w.size > 1:
            shape[1] = w.size
        elif x.ndim == 1 and w.size > 1:
            shape[0] = w.size
        wb = w.reshape(shape) if x.ndim else w.reshape(())
        pos = x > 0
        f = wb * ~pos
        f += pos
        ctx.save_for_backward(x, f, wb)
        ctx.w_shape = w.shape
        return x * f

    @staticmethod
    def backward(ctx, g):
        x, f, wb = ctx.saved_tensors
        gx = g * f if ctx.needs_input_grad[0] else None
        gw = None
        if ctx.needs_input_grad[1]:
            with np.errstate(invalid="ignore"):  # inf * 0 at x = 0: NaN, as in torch
                contrib = zero_where(g * x, x > 0)
            axes = tuple(i for i in range(x.ndim) if wb.ndim == 0 or wb.shape[i] == 1)
            gw = contrib.sum(axis=axes).reshape(ctx.w_shape)
        return gx, gw


class Elu(ArrayFunction):
    """ELU family (elu, selu, celu), torch's parametrisation:
      out = scale * x                                   if x > 0
            scale * alpha * (exp(x * input_scale) - 1)  otherwise
      dL/dx = g * scale                                 if x > 0
              g * scale * alpha * input_scale * exp(x * input_scale) otherwise (also at 0)
    Both branches at once: exp sees min(x, 0), so the negative branch is exactly 0 (forward)
    or masked out (backward) where x > 0. A NaN x gives a NaN gradient, as torch's vectorized
    loop does (its scalar loop, which only takes an array's last len % 8 (float32) or
    len % 4 (float64) elements, gives g * scale there instead).
    """

    _backward_name = "EluBackward0"

    @staticmethod
    def forward(ctx, x, alpha, scale, input_scale, kernel):
        require_float(x, kernel)
        ctx.save_for_backward(x)
        ctx.params = (alpha, scale, input_scale)
        neg = np.minimum(x, 0)
        neg *= input_scale
        with np.errstate(over="ignore"):
            neg = np.expm1(neg)
        neg *= scale * alpha
        pos = np.maximum(x, 0)
        pos *= scale
        pos += neg
        return pos

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        alpha, scale, input_scale = ctx.params
        e = np.minimum(x, 0)
        e *= input_scale
        with np.errstate(over="ignore"):
            d = np.exp(e)
        d *= scale * alpha * input_scale
        pos = x > 0
        d *= ~pos
        d += np.multiply(pos, scale, dtype=d.dtype)
        d *= g
        return d, None, None, None, None


_SQRT_HALF = 1.0 / math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_KAPPA = 0.044715


class Gelu(ArrayFunction):
    """approximate='none':  out = x * Phi(x),  Phi(x) = erfc(-x / sqrt 2) / 2  (the normal CDF)
                            dL/dx = g * (Phi(x) + x * phi(x)),  phi(x) = exp(-x^2 / 2) / sqrt(2 pi)
    approximate='tanh':     out = x/2 * (1 + tanh(u)),  u = sqrt(2/pi) * (x + 0.044715 x^3)
                            dL/dx = g * (1/2 (1 + tanh u) + x/2 (1 - tanh^2 u) du/dx)
    Forward keeps Phi and exp(-x^2 / 2) (or tanh u) for backward: no transcendental twice.
    """

    _backward_name = "GeluBackward0"

    @staticmethod
    def forward(ctx, x, approximate):
        require_float(x, "GeluKernelImpl")
        ctx.approximate = approximate
        if approximate == "tanh":
            u = x * x                       # torch's order: sqrt(2/pi) * (x + kappa * x^3)
            u *= x
            u *= _GELU_KAPPA
            u += x
            u *= _SQRT_2_OVER_PI
            th = np.tanh(u)
            ctx.save_for_backward(x, th)
            out = th + 1
            out *= x
            out *= 0.5
            return out
        cdf, gauss = _normal_cdf(x)
        ctx.save_for_backward(x, cdf, gauss)
        return x * cdf

    @staticmethod
    def backward(ctx, g):
        if ctx.approximate == "tanh":
            x, th = ctx.saved_tensors
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
        else:
            x, cdf, gauss = ctx.saved_tensors
            d = x * gauss
            d *= _INV_SQRT_2PI
            d += cdf
        d *= g
        return d, None


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)), torch's formula. Below x = -88 (float32; -709 in float64) exp(-x)
    overflows to inf and the result is 0, as it should be."""
    with np.errstate(over="ignore"):
        e = np.exp(-x)
    e += 1
    return 1 / e


class Silu(ArrayFunction):
    """out = x * s,  s = sigmoid(x).      dL/dx = g * s * (1 + x * (1 - s))."""

    _backward_name = "SiluBackward0"

    @staticmethod
    def forward(ctx, x):
        require_float(x, "silu_cpu")
        s = _sigmoid(x)
        ctx.save_for_backward(x, s)
        return x * s

    @staticmethod
    def backward(ctx, g):
        x, s = ctx.saved_tensors
        d = 1 - s
        d *= x
        d += 1
        d *= s
        d *= g
        return d


class Mish(ArrayFunction):
    """out = x * t,  t = tanh(softplus(x)) = tanh(log(1 + exp(x)))  (torch's formula: where
    exp overflows, log1p gives inf and tanh 1, which is right).
    dL/dx = g * (t + x * sigmoid(x) * (1 - t^2))."""

    _backward_name = "MishBackward0"

    @staticmethod
    def forward(ctx, x):
        require_float(x, "mish_cpu")
        with np.errstate(over="ignore"):
            t = np.tanh(np.log1p(np.exp(x)))
        ctx.save_for_backward(x, t)
        return x * t

    @staticmethod
    def backward(ctx, g):
        x, t = ctx.saved_tensors
        d = 1 - t * t
        d *= _sigmoid(x)
        d *= x
        d += t
        d *= g
        return d


class Hardsigmoid(ArrayFunction):
    """out = min(max(x + 3, 0), 6) / 6.
    dL/dx = g / 6 where -3 < x < 3 (strict), else 0 (also where x is NaN)."""

    _backward_name = "HardsigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        require_float(x, "hardsigmoid_cpu")
        ctx.save_for_backward(x)
        return np.clip(x + 3, 0, 6) / x.dtype.type(6)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        # torch multiplies by the float32 constant 1/6, also for float64 (its kernel's choice)
        d = g * g.dtype.type(np.float32(1) / np.float32(6))
        return zero_where(d, ~(np.abs(x) < 3))


class Hardswish(ArrayFunction):
    """out = x * h / 6,  h = min(max(x + 3, 0), 6).
    dL/dx = 0 for x <= -3,  g for x >= 3,  g * (x / 3 + 1/2) otherwise (so NaN at a NaN x):
    torch's ties and its formula, term by term."""

    _backward_name = "HardswishBackward0"

    @staticmethod
    def forward(ctx, x):
        require_float(x, "hardswish_cpu")
        h = np.clip(x + 3, 0, 6)
        ctx.save_for_backward(x)
        out = x * h
        out /= x.dtype.type(6)
        return out

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        d = x / x.dtype.type(3)
        d += x.dtype.type(0.5)
        upper = x >= 3
        d = zero_where(d, upper)        # the slope 1 where x >= 3: 0 there, then + 1
        d += upper
        with np.errstate(invalid="ignore"):  # g inf at x = -1.5 (slope 0): NaN, as in torch
            d *= g
        return zero_where(d, x <= -3)


class Softplus(ArrayFunction):
    """out = log(1 + exp(beta x)) / beta, or x where beta x > threshold (linear regime).
    dL/dx = g * z / (z + 1) with z = exp(beta x)  (sigmoid(beta x)), or g where beta x >
    threshold. (np.where here: beta x > threshold is rare, so its mask is predictable and
    cheap, and x there may be inf, which a 0/1 mask cannot multiply away.)"""

    _backward_name = "SoftplusBackward0"

    @staticmethod
    def forward(ctx, x, beta, threshold):
        require_float(x, "softplus_cpu")
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        bx = x * beta
        with np.errstate(over="ignore"):  # only where the linear branch is taken
            soft = np.log1p(np.exp(bx))
        soft /= beta
        return np.where(bx > threshold, x, soft)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        bx = x * ctx.beta
        with np.errstate(over="ignore", invalid="ignore"):
            z = np.exp(np.minimum(bx, ctx.threshold))  # finite in the linear regime
            d = z / (z + 1)
        # d is in [0, 1] (or nan), so the linear regime's 1 is a max with the 0/1 mask
        d = np.maximum(d, bx > ctx.threshold, dtype=d.dtype)
        d *= g
        return d, None, None


class Softsign(ArrayFunction):
    """out = x / (1 + |x|).
    dL/dx = g / (1 + |x|)^2, computed as torch's chain rule through x / (1 + |x|) does:
    g / d - g |x| / d^2 with d = 1 + |x| (nan at +-inf, as in torch)."""

    _backward_name = "DivBackward0"

    @staticmethod
    def forward(ctx, x):
        require_float(x, "softsign")
        ctx.save_for_backward(x)
        return x / (1 + np.abs(x))

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        a = np.abs(x)
        d = a + 1
        gd = g / d
        a /= d
        a *= gd
        return gd - a


class LogSigmoid(ArrayFunction):
    """out = log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)).
    dL/dx = g * sigmoid(-x) = g / (1 + exp(x))."""

    _backward_name = "LogSigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        require_float(x, "log_sigmoid_forward")
        ctx.save_for_backward(x)
        return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        with np.errstate(over="ignore"):
            d = np.exp(x)
        d += 1
        return g / d


class Threshold(ArrayFunction):
    """out = value if x <= threshold else x.      dL/dx = 0 where x <= threshold, else g (so nan
    passes its gradient, as in torch). (np.where in forward: x may be inf, which a 0/1 mask
    cannot multiply away.)"""

    _backward_name = "ThresholdBackward0"

    @staticmethod
    def forward(ctx, x, threshold, value):
        ctx.save_for_backward(x)
        ctx.threshold = threshold
        return np.where(x <= threshold, np.asarray(value).astype(x.dtype), x)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return zero_where(g, x <= ctx.threshold), None, None


class Tanhshrink(ArrayFunction):
    """out = x - tanh(x).      dL/dx = g * tanh(x)^2."""

    _backward_name = "SubBackward0"

    @staticmethod
    def forward(ctx, x):
        require_float(x, "tanh_cpu")
        t = np.tanh(x)
        ctx.save_for_backward(t)
        return x - t

    @staticmethod
    def backward(ctx, g):
        t, = ctx.saved_tensors
        return g * t * t


class Softshrink(ArrayFunction):
    """out = x - l if x > l,  x + l if x < -l,  else 0;  that is, x - clip(x, -l, l).
    dL/dx = g where |x| > l, else 0 (also at a NaN x)."""

    _backward_name = "SoftshrinkBackward0"

    @staticmethod
    def forward(ctx, x, lambd):
        require_float(x, "softshrink_cpu")
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        return x - np.clip(x, -lambd, lambd)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return zero_where(g, ~(np.abs(x) > ctx.lambd)), None


class Hardshrink(ArrayFunction):
    """out = x where |x| > l, else 0 (x * [|x| > l]: x is finite wherever it is zeroed).
    dL/dx = g where |x| > l, else 0 (also at a NaN x)."""

    _backward_name = "HardshrinkBackward0"

    @staticmethod
    def forward(ctx, x, lambd):
        require_float(x, "hardshrink_cpu")
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        return x * (np.abs(x) > lambd)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return zero_where(g, ~(np.abs(x) > ctx.lambd)), None


class Glu(ArrayFunction):
    """x = [a, b] split in halves along ``dim``;  out = a * sigmoid(b).
    dL/da = g * sigmoid(b)      dL/db = g * a * sigmoid(b) * (1 - sigmoid(b))."""

    _backward_name = "GluBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        require_float(x, "glu_cpu")
        a, b = np.split(x, 2, axis=dim)
        s = _sigmoid(b)
        ctx.save_for_backward(a, s)
        ctx.dim = dim
        return a * s

    @staticmethod
    def backward(ctx, g):
        a, s = ctx.saved_tensors
        ga = g * s
        gb = ga * a
        gb *= 1 - s
        return np.concatenate([ga, gb], axis=ctx.dim), None


# -- softmax family -------------------------------------------------------------------------------

def _lift0(x: np.ndarray) -> np.ndarray:
    """A 0-d tensor has one 'dim' for softmax purposes, as in torch."""
    return x.reshape(1) if x.ndim == 0 else x


class Softmax(ArrayFunction):
    """out = exp(x - max) / sum(exp(x - max)) along ``dim`` (the max shift avoids overflow).
    dL/dx = out * (g - sum(g * out, dim))."""

    _backward_name = "SoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        require_float(x, "softmax_lastdim_kernel_impl")
        shape = x.shape
        x = _lift0(x)
        m = np.max(x, axis=dim, keepdims=True) if x.size else 0
        e = np.exp(x - m)
        e /= _sum_over((dim,), e)
        out = e.reshape(shape)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        y, gg = _lift0(out), _lift0(g)
        gx = gg - _sum_over((ctx.dim,), gg, y)
        gx *= y
        return gx.reshape(out.shape), None


class LogSoftmax(ArrayFunction):
    """out = x - max - log(sum(exp(x - max))) along ``dim``.
    dL/dx = g - exp(out) * sum(g, dim)."""

    _backward_name = "LogSoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        require_float(x, "log_softmax_lastdim_kernel_impl")
        shape = x.shape
        x = _lift0(x)
        m = np.max(x, axis=dim, keepdims=True) if x.size else 0
        out = x - m
        with np.errstate(divide="ignore", invalid="ignore"):  # empty or all -inf slices
            out -= np.log(_sum_over((dim,), np.exp(out)))
        out = out.reshape(shape)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        y, gg = _lift0(out), _lift0(g)
        gx = np.exp(y)
        gx *= _sum_over((ctx.dim,), gg)
        np.subtract(gg, gx, out=gx)
        return gx.reshape(out.shape), None


def _softmax_input(input, dim: int, dtype):
    from .._tensor import _wrap_dim
    if dtype is not None:
        input = input.to(dtype)
    return input, _wrap_dim(dim, input.dim())


def softmax(input, dim: int, dtype=None, *, out=None):
    """torch.softmax: exp(x_i) / sum_j exp(x_j) along ``dim`` (``dtype`` casts first)."""
    if out is not None:  # torch lets the inputs require grad here; an out that does is refused
        return with_out(out, "softmax", softmax, input, dim, dtype, rule="exact",
                        differentiable=False, overlap=None)
    input, dim = _softmax_input(input, dim, dtype)
    return Softmax.apply(input, dim)


def log_softmax(input, dim: int, dtype=None, *, out=None):
    """torch.log_softmax: x_i - log(sum_j exp(x_j)) along ``dim``."""
    if out is not None:
        return with_out(out, "log_softmax", log_softmax, input, dim, dtype, rule="exact",
                        differentiable=False, overlap=None)
    input, dim = _softmax_input(input, dim, dtype)
    return LogSoftmax.apply(input, dim)


# ==================================================================================================
# Normalization: one kernel for batch, instance, layer and group norm
# ==================================================================================================

def _affine_reduce_axes(ndim: int, affine_shape: tuple) -> tuple:
    """Axes to sum over to bring a full-size gradient down to the affine parameters' shape
    (``affine_shape`` is aligned to the right of x's dims)."""
    lead = ndim - len(affine_shape)
    return tuple(i for i in range(ndim) if i < lead or affine_shape[i - lead] == 1)


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

    Batch norm: axes (0, 2, 3, ...), affine (C, 1, 1, ...); layer norm: the last dims, affine
    normalized_shape; group norm: stat_shape (N, G, -1), axes (2,); instance norm: axes (2, ...).
    """

    _backward_name = "NativeBatchNormBackward0"

    @staticmethod
    def forward(ctx, x, w, b, stat_shape, axes, affine_shape, eps):
        xs = x.reshape(stat_shape) if stat_shape is not None else x
        # np.mean, not einsum, for the mean: its pairwise sum stays accurate over long axes,
        # and an error in the mean shifts every xhat (the other sums are of centred values)
        mean = xs.mean(axis=axes, keepdims=True)
        xc = xs - mean
        var = _mean_over(axes, xc, xc)
        rstd = 1 / np.sqrt(var + x.dtype.type(eps))
        xc *= rstd  # now xhat (in place: one temporary less)
        xhat = xc.reshape(x.shape)
        # the output never aliases the saved xhat: an in-place change to it must not reach
        # backward
        out = xhat * w.reshape(affine_shape) if w is not None else xhat.copy()
        if b is not None:
            out += b.reshape(affine_shape)
        ctx.save_for_backward(xhat, rstd, w)
        ctx.meta = (stat_shape, axes, affine_shape, None if b is None else b.shape)
        return out, mean, var

    @staticmethod
    def backward(ctx, g, _gmean=None, _gvar=None):
        xhat, rstd, w = ctx.saved_tensors
        stat_shape, axes, affine_shape, b_shape = ctx.meta
        need = ctx.needs_input_grad
        gx = gw = gb = None
        if g is None:
            return None, None, None, None, None, None, None
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
            dxhat -= prod
            dxhat *= rstd
            gx = dxhat.reshape(xhat.shape)
        red = _affine_reduce_axes(xhat.ndim, affine_shape)
        if need[1]:
            gw = _sum_over(red, g, xhat).reshape(w.shape)
        if need[2]:
            gb = _sum_over(red, g).reshape(b_shape)
        return gx, gw, gb, None, None, None, None


class LayerNormalize(Normalize):
    """``Normalize`` as layer norm records it: torch's layer norm kernel names its node
    ``NativeLayerNormBackward0`` (the math is the same as above)."""

    _backward_name = "NativeLayerNormBackward0"


class GroupNormalize(Normalize):
    """``Normalize`` as group norm records it (``NativeGroupNormBackward0`` in torch)."""

    _backward_name = "NativeGroupNormBackward0"


class InstanceNormalize(Normalize):
    """``Normalize`` as instance norm records it: torch folds (N, C) into one channel dim of a
    batch norm and views the result back, so the node it shows last is ``ViewBackward0``."""

    _backward_name = "ViewBackward0"


class NormalizeWithStats(ArrayFunction):
    """Normalization with given statistics (batch/instance norm in eval mode, from the running
    estimates), an affine map in x:

      out = (x - mean) * rstd * w + b,    rstd = 1 / sqrt(var + eps)
      dL/dx = g * w * rstd      dL/dw = sum(g * xhat)      dL/db = sum(g)
    """

    _backward_name = "NativeBatchNormBackward0"

    @staticmethod
    def forward(ctx, x, w, b, mean, var, affine_shape, eps):
        rstd = (1 / np.sqrt(var + var.dtype.type(eps))).reshape(affine_shape).astype(x.dtype)
        xhat = x - mean.reshape(affine_shape).astype(x.dtype)
        xhat *= rstd
        out = xhat * w.reshape(affine_shape) if w is not None else xhat.copy()
        if b is not None:
            out += b.reshape(affine_shape)
        ctx.save_for_backward(xhat, rstd, w)
        ctx.affine_shape = affine_shape
        ctx.b_shape = None if b is None else b.shape
        return out

    @staticmethod
    def backward(ctx, g):
        xhat, rstd, w = ctx.saved_tensors
        shape = ctx.affine_shape
        need = ctx.needs_input_grad
        gx = gw = gb = None
        if need[0]:
            gx = g * (rstd * w.reshape(shape) if w is not None else rstd)
        red = _affine_reduce_axes(xhat.ndim, shape)
        if need[1]:
            gw = _sum_over(red, g, xhat).reshape(w.shape)
        if need[2]:
            gb = _sum_over(red, g).reshape(ctx.b_shape)
        return gx, gw, gb, None, None, None, None


class InstanceNormalizeWithStats(NormalizeWithStats):
    """``NormalizeWithStats`` as instance norm records it (see ``InstanceNormalize``)."""

    _backward_name = "ViewBackward0"


class RmsNorm(ArrayFunction):
    """out = x * rrms * w,  rrms = 1 / sqrt(mean(x^2) + eps) over the normalized dims.
      dL/dx = rrms * (g w - xhat * mean(g w * xhat)),  xhat = x * rrms
      dL/dw = sum(g * xhat) over the leading dims
    """

    _backward_name = "MulBackward0"

    @staticmethod
    def forward(ctx, x, w, axes, eps):
        rrms = 1 / np.sqrt(_mean_over(axes, x, x) + x.dtype.type(eps))
        xhat = x * rrms
        ctx.save_for_backward(xhat, rrms, w)
        ctx.axes = axes
        return xhat * w if w is not None else xhat

    @staticmethod
    def backward(ctx, g):
        xhat, rrms, w = ctx.saved_tensors
        gx = gw = None
        if ctx.needs_input_grad[0]:
            gxh = g * w if w is not None else g
            gx = xhat * _mean_over(ctx.axes, gxh, xhat)
            np.subtract(gxh, gx, out=gx)
            gx *= rrms
        if ctx.needs_input_grad[1]:
            gw = _sum_over(tuple(range(g.ndim - w.ndim)), g, xhat)
            gw = gw.reshape(w.shape)
        return gx, gw, None, None


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


class LocalResponseNorm(ArrayFunction):
    """Normalization across neighbouring channels (dim 1), n = ``size``:
      s_c = k + alpha / n * sum_{c' in W(c)} x_{c'}^2,   W(c) = [c - n//2, c + (n-1)//2]
      out_c = x_c * s_c^(-beta)
      dL/dx_j = g_j s_j^(-beta) - (2 alpha beta / n) x_j sum_{c : j in W(c)} g_c x_c s_c^(-beta-1)
    (window sums by a cumulative sum along the channels; out-of-range channels count as 0 and
    the divisor is always n, as torch's average pooling with zero padding)."""

    _backward_name = "DivBackward0"

    @staticmethod
    def forward(ctx, x, size, alpha, beta, k):
        t = x.dtype.type
        s = t(k) + t(alpha / size) * _channel_window_sum(x * x, size)
        out = x * s ** t(-beta)
        ctx.save_for_backward(x, s, out)
        ctx.params = (size, alpha, beta)
        return out

    @staticmethod
    def backward(ctx, g):
        x, s, out = ctx.saved_tensors
        size, alpha, beta = ctx.params
        t = x.dtype.type
        inner = _channel_window_sum(g * out / s, size, reverse=True)
        return (g * s ** t(-beta) - t(2 * alpha * beta / size) * x * inner,
                None, None, None, None)


# ==================================================================================================
# Sparse: embedding
# ==================================================================================================

def _add_rows_at(out: np.ndarray, index: np.ndarray, rows: np.ndarray) -> None:
    """out[index[i]] += rows[i] for each i, repeated indices adding up (np.add.at over rows),
    done element by element on the flattened arrays: NumPy's np.add.at has a fast path for
    1-D indices that runs several times faster than adding whole rows. ``out``: a freshly
    allocated (C-contiguous) 2-D array, so that its flattening is a view."""
    dim = out.shape[1]
    cells = index.astype(np.intp)[:, None] * dim + np.arange(dim)
    np.add.at(out.reshape(-1), cells.reshape(-1), rows.reshape(-1))


class Embedding(ArrayFunction):
    """out = weight[indices]   (one row of ``weight`` per index).
    dL/dweight = zeros, with each index's g row added to its row (repeated indices add up);
    the ``padding_idx`` row gets no gradient; with ``scale_grad_by_freq`` each row's gradient is
    divided by how often its index occurs in the batch."""

    _backward_name = "EmbeddingBackward0"

    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq):
        ctx.save_for_backward(indices)
        ctx.meta = (weight.shape, padding_idx, scale_grad_by_freq)
        return np.take(weight, indices, axis=0)

    @staticmethod
    def backward(ctx, g):
        indices, = ctx.saved_tensors
        (n_rows, dim), padding_idx, by_freq = ctx.meta
        flat = indices.reshape(-1)
        rows = g.reshape(-1, dim)
        if by_freq:
            counts = np.bincount(flat, minlength=n_rows)
            rows = rows / counts[flat][:, None].astype(rows.dtype)
        gw = np.zeros((n_rows, dim), dtype=g.dtype)
        _add_rows_at(gw, flat, rows)
        if padding_idx is not None:
            gw[padding_idx] = 0
        return gw, None, None, None


def _bag_freq_scale(indices: np.ndarray) -> np.ndarray:
    """The divisor torch 2.13's CPU ``embedding_bag`` backward applies per position with
    ``scale_grad_by_freq``. Its documentation says "the frequency of the index in the
    mini-batch", but the kernel pairs the k-th distinct index (in sorted order) with the
    frequency found at the k-th position of the *sorted* index list. The two agree until a
    repeated index occurs; after it, the next distinct indices take the repeated one's count.
    We reproduce the kernel (plain ``embedding`` uses the true frequency, as torch's does)."""
    freq = np.bincount(indices)
    ranked = freq[np.sort(indices)]           # frequency at each sorted position
    _, rank = np.unique(indices, return_inverse=True)
    return ranked[rank]


class EmbeddingBag(ArrayFunction):
    """Bags of rows of ``weight`` reduced per bag: bag b holds positions starts[b]..ends[b]-1
    of ``indices`` (entries equal to ``padding_idx`` are left out; an empty bag gives zeros).
      sum:   out_b = sum_i psw_i w[idx_i]       dL/dw[idx_i] += psw_i g_b,
                                                dL/dpsw_i = <g_b, w[idx_i]>
      mean:  out_b = sum_i w[idx_i] / n_b       dL/dw[idx_i] += g_b / n_b
      max:   out_b = max_i w[idx_i] (per column) dL/dw goes to the first position attaining it
    With ``scale_grad_by_freq`` each position's weight gradient is divided by torch's count
    (see ``_bag_freq_scale``)."""

    _backward_name = "EmbeddingBagBackward0"

    @staticmethod
    def forward(ctx, weight, indices, starts, ends, mode, psw, padding_idx, by_freq):
        n_bags, dim = len(starts), weight.shape[1]
        seg = np.repeat(np.arange(n_bags), ends - starts)  # the bag of each position
        keep = np.ones(len(indices), dtype=bool) if padding_idx is None else \
            indices != padding_idx
        rows = weight[indices]
        if psw is not None:
            rows = rows * psw[:, None]
        out = np.zeros((n_bags, dim), dtype=weight.dtype)
        counts = np.bincount(seg[keep], minlength=n_bags)
        if mode == "max":
            out.fill(-np.inf)
            np.maximum.at(out, seg[keep], rows[keep])
            out[counts == 0] = 0
            # the first position attaining each bag's column maximum receives the gradient
            hit = keep[:, None] & (rows == out[seg])
            pos = np.where(hit, np.arange(len(indices))[:, None], len(indices))
            first = np.full((n_bags, dim), len(indices))
            np.minimum.at(first, seg, pos)
            ctx.first = first
        else:
            _add_rows_at(out, seg[keep], rows[keep])
            if mode == "mean":
                out /= np.maximum(counts, 1)[:, None].astype(out.dtype)
        ctx.save_for_backward(weight, indices, psw)
        ctx.meta = (seg, keep, counts, mode, by_freq)
        return out

    @staticmethod
    def backward(ctx, g):
        weight, indices, psw = ctx.saved_tensors
        seg, keep, counts, mode, by_freq = ctx.meta
        gw = gpsw = None
        if ctx.needs_input_grad[0]:
            gw = np.zeros(weight.shape, dtype=weight.dtype)
            if mode == "max":
                bags, cols = np.nonzero(ctx.first < len(indices))
                np.add.at(gw, (indices[ctx.first[bags, cols]], cols), g[bags, cols])
            else:
                rows = g[seg]
                if mode == "mean":
                    rows = rows / np.maximum(counts, 1)[seg][:, None].astype(g.dtype)
                if psw is not None:
                    rows = rows * psw[:, None]
                if by_freq:
                    rows = rows / _bag_freq_scale(indices)[:, None].astype(g.dtype)
                _add_rows_at(gw, indices[keep], rows[keep])
        if psw is not None and ctx.needs_input_grad[5]:
            gpsw = np.where(keep, (g[seg] * weight[indices]).sum(axis=1), 0).astype(g.dtype)
        return gw, None, None, None, None, gpsw, None, None


# ==================================================================================================
# Norms and distances
# ==================================================================================================

class VectorNorm(ArrayFunction):
    """out = (sum |x|^p)^(1/p) over ``dims`` (p = inf: max |x|; p = -inf: min |x|; p = 0: the
    count of non-zeros).
      p = 2:      dL/dx = g * x / out
      general p:  dL/dx = g * sign(x) |x|^(p-1) / out^(p-1)
      p = +-inf:  dL/dx = g * sign(x) on the entries attaining the extreme, shared equally
    (0 where out == 0, as in torch)."""

    _backward_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, x, p, dims, keepdim):
        a = np.abs(x)
        if p == 2:
            out = np.sqrt((x * x).sum(axis=dims, keepdims=True))
        elif p == 1:
            out = a.sum(axis=dims, keepdims=True)
        elif p == math.inf:
            out = a.max(axis=dims, keepdims=True)
        elif p == -math.inf:
            out = a.min(axis=dims, keepdims=True)
        elif p == 0:
            out = (x != 0).sum(axis=dims, keepdims=True).astype(x.dtype)
        else:
            out = (a ** p).sum(axis=dims, keepdims=True) ** (1.0 / p)
        out = out.astype(x.dtype, copy=False)
        ctx.save_for_backward(x, out)
        ctx.meta = (p, dims, keepdim)
        return out if keepdim else out.reshape([s for i, s in enumerate(out.shape)
                                                if i not in dims])

    @staticmethod
    def backward(ctx, g):
        x, out = ctx.saved_tensors
        p, dims, keepdim = ctx.meta
        g = g.reshape(out.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 2:
                gx = np.where(out == 0, 0, g * x / out)
            elif p == 1:
                gx = g * np.sign(x)
            elif p in (math.inf, -math.inf):
                mask = (np.abs(x) == out) | np.isnan(x)
                gx = np.sign(x) * (g / mask.sum(axis=dims, keepdims=True)) * mask
            elif p == 0:
                gx = np.zeros_like(x)
            else:
                gx = np.where(out == 0, 0, g * np.sign(x) * np.abs(x) ** (p - 1)
                              / out ** (p - 1))
        return gx.astype(x.dtype, copy=False), None, None, None


class CosineSimilarity(ArrayFunction):
    """out = sum(x1 * x2, dim) / (max(|x1|, eps) * max(|x2|, eps))   (torch's formulation:
    each vector is divided by its clamped norm first; the clamp is invisible to autograd).
    With n_i = |x_i|, c_i = max(n_i, eps), u = x1 / c1, v = x2 / c2:
      dL/dx1 = g * (v / c1 - (x1 . v) / c1^2 * x1 / n1)
      dL/dx2 = g * (u / c2 - (x2 . u) / c2^2 * x2 / n2)         (x / n taken as 0 where n == 0)
    """

    _backward_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x1, x2, dim, eps):
        x1, x2 = np.broadcast_arrays(x1, x2)
        n1 = np.sqrt((x1 * x1).sum(axis=dim, keepdims=True))
        n2 = np.sqrt((x2 * x2).sum(axis=dim, keepdims=True))
        c1 = np.maximum(n1, x1.dtype.type(eps))
        c2 = np.maximum(n2, x2.dtype.type(eps))
        u, v = x1 / c1, x2 / c2
        ctx.save_for_backward(x1, x2, n1, n2, c1, c2)
        ctx.dim = dim
        return (u * v).sum(axis=dim)

    @staticmethod
    def backward(ctx, g):
        x1, x2, n1, n2, c1, c2 = ctx.saved_tensors
        g = np.expand_dims(g, ctx.dim)
        u, v = x1 / c1, x2 / c2
        with np.errstate(divide="ignore", invalid="ignore"):
            d1 = np.where(n1 == 0, 0, x1 / n1)
            d2 = np.where(n2 == 0, 0, x2 / n2)
        g1 = g2 = None
        if ctx.needs_input_grad[0]:
            g1 = g * (v / c1 - (x1 * v).sum(axis=ctx.dim, keepdims=True) / (c1 * c1) * d1)
        if ctx.needs_input_grad[1]:
            g2 = g * (u / c2 - (x2 * u).sum(axis=ctx.dim, keepdims=True) / (c2 * c2) * d2)
        return g1, g2, None, None


# ==================================================================================================
# The normal CDF behind exact GELU. NumPy has no erf/erfc, so erfc comes from rational
# approximations of the scaled function erfcx(y) = exp(y^2) erfc(y), which is smooth and slowly
# varying: erfc(y) = exp(-y^2) * erfcx(y).
# ==================================================================================================

# erfcx on [0, 4] as P(y) / Q(y) (coefficients by increasing power): a degree 7/8 rational fitted
# for relative error (Lawson-weighted linearized least squares at 50 digits with mpmath; error
# below 7.2e-17 on the interval, about 3.5 ulp once evaluated in float64). Every coefficient is
# positive, so Horner's rule adds no cancellation.
_ERFCX_P = (0.9999999999999999294, 1.659557114670109142, 1.3778553420153077625,
            0.70517055562075458297, 0.23678114490496394957, 0.05184955971809233434,
            0.0068618503757357728172, 0.00042633423122657028762)
_ERFCX_Q = (1.0, 2.7879362817656017362, 3.5237045615502596125, 2.6455618701548747118,
            1.2955062960817861197, 0.42575951981170185995, 0.092279174490822084567,
            0.012162294236681955914, 0.00075565818739008856023)
# y > 4: W. J. Cody's asymptotic form (Math. Comp. 1969), erfcx(y) = (1/sqrt(pi) - z R(z)) / y
# with z = 1 / y^2 and R = P / Q below.
_ERFCX_TAIL_P = (6.58749161529837803e-4, 1.60837851487422766e-2, 1.25781726111229246e-1,
                 3.60344899949804439e-1, 3.05326634961232344e-1, 1.63153871373020978e-2)
_ERFCX_TAIL_Q = (2.33520497626869185e-3, 6.05183413124413191e-2, 5.27905102951428412e-1,
                 1.87295284992346047e00, 2.56852019228982242e00, 1.0)
_SQRT_1_PI = 0.56418958354775628695
# |x| <= 0.46875: Cody's erf(x) = x A(x^2) / B(x^2)
_ERF_SMALL_A = (3.20937758913846947e03, 3.77485237685302021e02, 1.13864154151050156e02,
                3.16112374387056560e00, 1.85777706184603153e-1)
_ERF_SMALL_B = (2.84423683343917062e03, 1.28261652607737228e03, 2.44024637934444173e02,
                2.36012909523441209e01, 1.0)


def _horner(y: np.ndarray, coefs: tuple) -> np.ndarray:
    """c0 + c1 y + ... + cn y^n by Horner's rule, in one new array of y's dtype (the
    coefficients are Python floats, so float32 stays float32)."""
    acc = y * coefs[-1]
    for c in coefs[-2:0:-1]:
        acc += c
        acc *= y
    acc += coefs[0]
    return acc


def _erfcx(y: np.ndarray) -> np.ndarray:
    """exp(y^2) erfc(y) for y >= 0 (nan stays nan; erfcx(inf) = 0), in y's dtype."""
    with np.errstate(over="ignore", invalid="ignore"):  # y^n of huge y: replaced by the tail
        out = _horner(y, _ERFCX_P)
        out /= _horner(y, _ERFCX_Q)
        tail = y > 4
        if tail.any():  # rare for typical activations: evaluated only where needed
            yt = y[tail]
            z = 1 / (yt * yt)
            ratio = _horner(z, _ERFCX_TAIL_P)
            ratio /= _horner(z, _ERFCX_TAIL_Q)
            out[tail] = (_SQRT_1_PI - z * ratio) / yt
    return out


def _erfc(y: np.ndarray) -> np.ndarray:
    """erfc(y) for y >= 0, in y's dtype. Relative error about 4 ulp plus y^2 / 2 ulp, the last
    from rounding y^2 inside exp(-y^2): erfc's own condition number is 2 y^2, so an argument
    that carries one rounding error (as x / sqrt 2 does) is uncertain by as much."""
    with np.errstate(over="ignore"):
        return np.exp(-(y * y)) * _erfcx(y)


def erf(x: np.ndarray) -> np.ndarray:
    """erf(x) for a float array, in its dtype (torch.erf's kernel): sign(x) (1 - erfc(|x|)),
    and Cody's small-argument rational where |x| <= 0.46875, which keeps the relative accuracy
    of tiny arguments (1 - erfc would not)."""
    flat = x.reshape(-1)  # at least 1-d: ufuncs return scalars for 0-d arrays
    y = np.abs(flat)
    out = 1 - _erfc(y)
    out = np.copysign(out, flat, out=out)
    small = y <= 0.46875
    if small.any():
        xs = flat[small]
        z = xs * xs
        ratio = _horner(z, _ERF_SMALL_A)
        ratio /= _horner(z, _ERF_SMALL_B)
        out[small] = xs * ratio
    return out.reshape(x.shape)


# elements per block of _normal_cdf: its ~40 array passes then run on data that stays in the
# CPU cache (a 4 MB float32 array passed through whole that often is held up by memory)
_CDF_BLOCK = 1 << 16


def _normal_cdf(x: np.ndarray) -> tuple:
    """(Phi(x), exp(-x^2 / 2)): the normal CDF and the Gaussian factor it contains (GELU's
    backward reuses it for the density).

    With y = |x| / sqrt 2, the lower tail Phi(-|x|) = erfc(y) / 2 is computed directly, so it
    keeps its relative accuracy however small it gets; then Phi(x) = 1 - Phi(-x) for x > 0.
    Computed block by block (``_CDF_BLOCK`` elements)."""
    flat = x.reshape(-1)  # at least 1-d: ufuncs return scalars for 0-d arrays
    cdf = np.empty_like(flat)
    gauss = np.empty_like(flat)
    for start in range(0, flat.size, _CDF_BLOCK):
        part = slice(start, start + _CDF_BLOCK)
        _normal_cdf_block(flat[part], cdf[part], gauss[part])
    return cdf.reshape(x.shape), gauss.reshape(x.shape)


def _normal_cdf_block(x: np.ndarray, cdf: np.ndarray, gauss: np.ndarray) -> None:
    """_normal_cdf of a 1-d block, written into ``cdf`` and ``gauss``."""
    y = x * _SQRT_HALF
    np.abs(y, out=y)
    with np.errstate(over="ignore"):
        np.multiply(y, y, out=gauss)
    np.negative(gauss, out=gauss)
    np.exp(gauss, out=gauss)
    np.multiply(_erfcx(y), gauss, out=cdf)
    cdf *= 0.5                     # Phi(-|x|)
    # Phi(x) = Phi(-|x|) + [x > 0] (1 - 2 Phi(-|x|)), in arithmetic: np.where with an
    # unpredictable mask costs ten times more
    upper = cdf * -2
    upper += 1
    upper *= x > 0
    cdf += upper
