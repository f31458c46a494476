"""Activation functions: relu and its relatives, the ELU family, GELU, SiLU, Mish, the hard
and soft sigmoids, the shrinks and GLU. The softmax family is in ``softmax_family.py``.

Each kernel is an ``ArrayFunction``: forward beside backward on ndarrays, the derivative in its
docstring (``g`` is dL/d out). Under each kernel, the public functions with torch's checks; an
``inplace=True`` variant overwrites its input and rebases its autograd history.

Ties follow torch: each mask below is strict or not exactly as torch's kernel. Branches are taken
by arithmetic (max/min, clip) or by ``_ops._util.zero_where`` (a select done on the bits), not
``np.where``: with a mask that changes unpredictably from element to element (x > 0 on real data)
``np.where`` costs several times more. A gradient that torch's kernel zeroes with a select
(cond ? 0 : g) is zeroed by ``zero_where``, never by a 0/1 multiply: g may be inf or NaN there,
and torch's 0 must stay 0. Each condition's NaN side is that of torch's vectorized loop, which
takes all but an array's last len % 8 (float32) or len % 4 (float64) elements; for some ops
(hardtanh, the shrinks, hardswish, elu) torch's scalar loop for that tail sends a NaN input the
other way.
"""
from __future__ import annotations

import math

import numpy as np

from ..._dtype import check_scalar_fits, get_default_dtype
from ..._names import scalar_type_name
from ..._ops import relu as _relu_op
from ..._ops._arguments import argument_error
from ..._ops._erf import gelu_parts, sigmoid_array
from ..._ops._erf import sigmoid_denominator as _sigmoid_denominator
from ..._ops.arithmetic import _NotDifferentiable
from ..._ops._util import wrap_dim as _wrap_dim, zero_where
from ..._ops.inplace import apply_inplace as _apply_inplace
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from ...autograd.graph_array import unwrap as _unwrap, wrap as _wrap
from ...random import _gen, _uniform_values
from .dropout import _MaskedScale


def require_float(a: np.ndarray, kernel: str) -> None:
    """torch's error for an activation applied to an integer tensor."""
    if a.dtype.kind != "f":
        raise NotImplementedError(
            f'"{kernel}" not implemented for \'{scalar_type_name(a.dtype)}\'')


def as_float(a: np.ndarray) -> np.ndarray:
    """An integer array in the default float dtype (torch's true division and its float
    functions of an integer tensor), a float one unchanged."""
    return a if a.dtype.kind == "f" else a.astype(get_default_dtype().np)


def _recorded(a) -> bool:
    """Whether ``a`` is a GraphArray: a backward (or a forward replayed) under create_graph."""
    return getattr(type(a), "graph_array", False)


def _data_of(a):
    """The values of ``a``: a GraphArray's array, else ``a`` itself."""
    return _unwrap(a)._data if _recorded(a) else a


def _sigmoid(a):
    """sigmoid(a) of an array, in its dtype. Under create_graph (a GraphArray) it is recorded
    as the library's sigmoid, one op whose derivative s (1 - s) is finite everywhere: recorded
    as exp and a division, it would be 0 * inf (NaN) where exp(-a) overflows."""
    return _wrap(_unwrap(a).sigmoid()) if _recorded(a) else sigmoid_array(a)


def _act(input: Tensor, inplace: bool, kernel, *args, inplace_name=None) -> Tensor:
    """Apply an activation kernel, in place when asked (torch's ``inplace=True``: the input is
    overwritten and returned, its autograd history rebased; ``inplace_name``: the node torch
    records then, where it is not the out-of-place one, e.g. LeakyReluBackward1)."""
    if inplace:
        return _apply_inplace(input, lambda t: kernel.apply(t, *args, name=inplace_name))
    return kernel.apply(input, *args)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0), gradient 0 at 0: torch.relu (its kernel is in ``_ops``)."""
    if not isinstance(input, Tensor):
        raise argument_error(relu, locals(), "relu_" if inplace else None)
    return _apply_inplace(input, _relu_op) if inplace else _relu_op(input)


def relu_(input: Tensor) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(relu_, locals())
    return relu(input, inplace=True)


class Hardtanh(ArrayFunction):
    """out = min(max(x, lo), hi).
    dL/dx = g where lo < x < hi (strict: 0 at the bounds), else 0 (also at a NaN x).

    An integer x is clamped in its own dtype, the bounds cut to integers (towards 0) as torch
    converts them; bool is refused, and so are negative bounds for an unsigned dtype."""

    _backward_name = "HardtanhBackward0"

    @staticmethod
    def forward(ctx, x, lo, hi):
        if x.dtype.kind != "f":
            if x.dtype == np.bool_:
                raise RuntimeError("Bool inputs not supported for hardtanh")
            lo, hi = int(lo), int(hi)
            if x.dtype.kind == "u" and (lo < 0 or hi < 0):
                raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
            return np.clip(x, lo, hi).astype(x.dtype, copy=False)
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        return np.clip(x, lo, hi)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return zero_where(g, ~((x > ctx.lo) & (x < ctx.hi))), None, None


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(hardtanh, locals())
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _act(input, inplace, Hardtanh, min_val, max_val)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(hardtanh_, locals())
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6): hardtanh on [0, 6] (gradient 0 at both ends, as in torch)."""
    if not isinstance(input, Tensor):
        raise argument_error(relu6, locals(), "relu6_" if inplace else None)
    return hardtanh(input, 0.0, 6.0, inplace)


class LeakyRelu(ArrayFunction):
    """out = x * f,  f = 1 if x > 0 else slope.      dL/dx = g * f   (the slope at 0 and nan).

    float16 computes in float32, torch's opmath: the slope unrounded, each product rounded
    once to float16. ``from_result``: the in-place form, whose backward torch computes from
    the output; with a negative slope the output's sign no longer tells the branch, so torch
    refuses (as here)."""

    _backward_name = "LeakyReluBackward0"

    @staticmethod
    def forward(ctx, x, slope, from_result=False):
        require_float(x, "leaky_relu_cpu")
        f = _choose(x > 0, 1, slope, np.float32 if x.dtype == np.float16 else x.dtype)
        ctx.save_for_backward(f)
        ctx.slope, ctx.from_result = slope, from_result
        with np.errstate(over="ignore"):
            return (x * f).astype(x.dtype, copy=False)

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
        with np.errstate(over="ignore"):
            return (g * f).astype(g.dtype, copy=False), None, None


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


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(leaky_relu, locals())
    return _act(input, inplace, LeakyRelu, negative_slope, inplace,
                inplace_name="LeakyReluBackward1")


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(leaky_relu_, locals())
    return leaky_relu(input, negative_slope, inplace=True)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
          training: bool = False, inplace: bool = False) -> Tensor:
    """Randomized leaky ReLU. Training: each x <= 0 gets its own slope r ~ U(lower, upper),
    drawn from torch's stream (one float64 uniform per such element, in C order), and
    out = x * r, dL/dx = g * r (dropout.py's ``_MaskedScale`` kernel). Eval: leaky_relu with
    slope (lower + upper) / 2."""
    if not isinstance(input, Tensor):
        raise argument_error(rrelu, locals())
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if not training:  # torch's node: rrelu_with_noise's, a leaky_relu backward
        slope = (lower + upper) / 2
        name = "RreluWithNoiseBackward1" if inplace else "RreluWithNoiseBackward0"
        if inplace:
            return _apply_inplace(input, lambda t: LeakyRelu.apply(t, slope, True, name=name))
        return LeakyRelu.apply(input, slope, False, name=name)
    x = input._data
    require_float(x, "rrelu_with_noise_out_cpu")
    noise = np.ones(x.shape, dtype=x.dtype)
    negative = x <= 0
    noise[negative] = _uniform_values(_gen(None), int(negative.sum()), np.dtype(np.float64),
                                      lower, upper)
    return _act(input, inplace, _MaskedScale, noise)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
           training: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(rrelu_, locals())
    return rrelu(input, lower, upper, training, inplace=True)


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
        pos = x > 0
        if _recorded(x) or _recorded(g) or _recorded(f):
            return Prelu._recorded_backward(ctx, g, x, f, wb, pos)
        gx = g * f if ctx.needs_input_grad[0] else None
        gw = None
        if ctx.needs_input_grad[1]:
            with np.errstate(invalid="ignore"):  # inf * 0 at x = 0: NaN, as in torch
                contrib = zero_where(g * x, pos)
            axes = tuple(i for i in range(x.ndim) if wb.ndim == 0 or wb.shape[i] == 1)
            gw = contrib.sum(axis=axes).reshape(ctx.w_shape)
        return gx, gw

    @staticmethod
    def _recorded_backward(ctx, g, x, f, wb, pos):
        """The gradients under create_graph, recorded so that their derivatives are torch's
        formulas, which take x >= 0 where the values take x > 0: at x = 0 (g finite there)
        slope 1 in g and nothing in x or w, the values moved back to torch's (g w there) by a
        constant; and x enters w's gradient only where x < 0 (a select, not 0 * inf in the
        derivative in g at x = inf)."""
        x0 = (_data_of(x) == 0) & np.isfinite(_data_of(g))
        gx = gw = None
        if ctx.needs_input_grad[0]:
            gx = g * np.where(x0, f.dtype.type(1), f)
            if x0.any():
                with np.errstate(invalid="ignore"):  # inf - inf away from x0: not selected
                    true = _data_of(g) * _data_of(f)
                    gx = gx + np.where(x0, true - _data_of(gx), true.dtype.type(0))
        if ctx.needs_input_grad[1]:
            skip = pos | x0
            with np.errstate(invalid="ignore"):  # inf * 0 at x = 0: NaN, as in torch
                contrib = zero_where(g * np.where(skip, x.dtype.type(0), x), skip)
            axes = tuple(i for i in range(x.ndim) if wb.ndim == 0 or wb.shape[i] == 1)
            gw = contrib.sum(axis=axes).reshape(ctx.w_shape)
        return gx, gw


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """Leaky ReLU with a learned slope per channel (dim 1), or one shared slope."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)):
        raise argument_error(prelu, locals(), tensors=("input", "weight"))
    n = weight.numel()
    channels = input.shape[1] if input.dim() >= 2 else (input.shape[0] if input.dim() else 1)
    if n != 1 and n != channels:
        raise RuntimeError(
            f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
            f"{n} and channel size = {channels}.")
    return Prelu.apply(input, weight)


class Elu(ArrayFunction):
    """ELU family (elu, selu, celu), torch's parametrisation:
      out = scale * x                                   if x > 0
            scale * alpha * (exp(x * input_scale) - 1)  otherwise
      dL/dx = g * scale                                 if x > 0
              g * scale * alpha * input_scale * exp(x * input_scale) otherwise (also at 0)
    Both branches at once: exp sees min(x, 0), so the negative branch is exactly 0 (forward)
    or masked out (backward) where x > 0. Where alpha * input_scale = 1 (elu's and celu's
    defaults) the negative branch's slope at x > 0, scale * exp(0), is the positive one, so the
    backward needs no mask; multiplications by 1 are skipped (exact either way). A NaN x gives
    a NaN gradient, as torch's vectorized loop does (its scalar loop, which only takes an
    array's last len % 8 (float32) or len % 4 (float64) elements, gives g * scale there
    instead). float16 is computed in float32 and rounded once, as torch's kernel does (an
    alpha beyond float16's range is then no inf * 0).
    """

    _backward_name = "EluBackward0"

    @staticmethod
    def forward(ctx, x, alpha, scale, input_scale, kernel):
        require_float(x, kernel)
        ctx.save_for_backward(x)
        ctx.params = (alpha, scale, input_scale)
        x, dtype = x.astype(np.promote_types(x.dtype, np.float32), copy=False), x.dtype
        neg = np.minimum(x, 0)
        if input_scale != 1:
            neg *= input_scale
        with np.errstate(over="ignore"):
            neg = np.expm1(neg)
        if scale * alpha != 1:
            neg *= scale * alpha
        pos = np.maximum(x, 0)
        if scale != 1:
            pos *= scale
        pos += neg
        return pos.astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        alpha, scale, input_scale = ctx.params
        x = x.astype(np.promote_types(x.dtype, np.float32), copy=False)
        # recorded (create_graph), min(x, 0) would pass half its derivative at x = 0, where
        # torch's elu_double_backward (mask x < 0) gives 0: a select there, the same values
        d = zero_where(x, x >= 0) if _recorded(x) else np.minimum(x, 0)
        if input_scale != 1:
            d *= input_scale
        with np.errstate(over="ignore"):
            d = np.exp(d)
        slope = scale * alpha * input_scale
        if slope != 1:
            d *= slope
        if slope != scale:
            pos = x > 0
            d *= ~pos
            d += np.multiply(pos, scale, dtype=d.dtype)
        d *= g
        return d.astype(g.dtype, copy=False), None, None, None, None


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(elu, locals())
    return _act(input, inplace, Elu, alpha, 1.0, 1.0, "elu_cpu", inplace_name="EluBackward1")


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(elu_, locals())
    return elu(input, alpha, inplace=True)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with the self-normalising constants of Klambauer et al."""
    if not isinstance(input, Tensor):
        raise argument_error(selu, locals(), "selu_" if inplace else None)
    return _act(input, inplace, Elu, _SELU_ALPHA, _SELU_SCALE, 1.0, "elu_cpu",
                inplace_name="EluBackward1")


def selu_(input: Tensor) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(selu_, locals())
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""
    if not isinstance(input, Tensor):
        raise argument_error(celu, locals())
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    if not inplace:  # torch's node: CeluBackward0 (its gradient's, elu's)
        return Elu.apply(input, alpha, 1.0, 1.0 / alpha, "elu_cpu", name="CeluBackward0")
    return _act(input, inplace, Elu, alpha, 1.0, 1.0 / alpha, "elu_cpu",
                inplace_name="CeluBackward1")


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(celu_, locals())
    return celu(input, alpha, inplace=True)


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_FLOAT32_MAX_HALF = np.float32(np.finfo(np.float32).max / 2)
_GELU_KAPPA = 0.044715


class Gelu(ArrayFunction):
    """approximate='none':  out = x/2 * (1 + erf(x / sqrt 2)) = x * Phi(x)  (Phi: the normal CDF)
                            dL/dx = g * (Phi(x) + x * phi(x)),  phi(x) = exp(-x^2 / 2) / sqrt(2 pi)
    approximate='tanh':     out = x/2 * (1 + tanh(u)),  u = sqrt(2/pi) * (x + 0.044715 x^3)
                            dL/dx = g * (1/2 (1 + tanh u) + x/2 (1 - tanh^2 u) du/dx)
    Forward keeps the derivative Phi + x phi, computed block by block with Phi (``gelu_parts``),
    so backward is one pass (or tanh u for approximate='tanh'): no transcendental twice.

    At the edges of the float range, torch's two kernels are followed: contiguous float32 tensors
    of two or more elements go to oneDNN's GELU in torch, which forms x (1 + erf) before halving
    (inf above 1.7e38) and gives NaN at +inf; other inputs take torch's own kernel (x/2 first,
    +inf stays inf). Far in the lower tail torch's float32 erf rounds to -1 and gives -0.0 where
    Phi from erfc keeps a tiny negative value (below 1e-22 in size, within any tolerance).
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
            out = x * 0.5                   # torch's (0.5 x)(1 + tanh u): x near the largest
            out *= th + 1                   # float stays finite
            return out
        out, deriv = gelu_parts(x, ctx.needs_input_grad[0])
        ctx.save_for_backward(x, deriv)
        # (a forward replayed under create_graph gets a GraphArray: its backward reads deriv)
        if type(x) is np.ndarray and x.dtype == np.float32 and x.size > 1 \
                and x.flags.c_contiguous \
                and np.fmax.reduce(x, axis=None) > _FLOAT32_MAX_HALF:  # (fmax skips NaN)
            # torch hands these to oneDNN, whose x (1 + erf(x / sqrt 2)) overflows to inf
            # above half the float32 maximum before it is halved, and is NaN at +inf
            big = x > _FLOAT32_MAX_HALF
            out[big] = np.where(x[big] == np.inf, np.float32(np.nan), np.float32(np.inf))
        return out

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
            d *= g
            return d, None
        _, deriv = ctx.saved_tensors
        return g * deriv, None


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(gelu, locals())
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return Gelu.apply(input, approximate)


class Silu(ArrayFunction):
    """out = x * s = x / q,  s = sigmoid(x) = 1 / q,  q = 1 + exp(-x).
    dL/dx = g * s * (1 + x * (1 - s)) = g * (1 + x - x / q) / q.

    The forward keeps q (``sigmoid_denominator``) rather than s: out is one division, and the
    backward five passes from x and q. float16 is computed in float32 and rounded once, as
    torch's kernel does. Under create_graph the backward is recorded as g * s * (1 + x (1 - s))
    with s one sigmoid op (``_sigmoid``), so that higher derivatives stay finite where
    exp(-x) overflows (x / q would differentiate to 0 * inf there): torch's 0."""

    _backward_name = "SiluBackward0"

    @staticmethod
    def forward(ctx, x):
        require_float(x, "silu_cpu")
        q = _sigmoid_denominator(x)
        ctx.save_for_backward(x, q)
        return np.divide(x, q, out=np.empty_like(q)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x, q = ctx.saved_tensors
        if _recorded(x):
            xw = x.astype(q.dtype)                  # (float32 for float16)
            s = _sigmoid(xw)
            d = s * (1 + xw * (1 - s))
            d = d * g
            return d.astype(g.dtype)
        d = np.divide(x, q, out=np.empty_like(q))   # out, in q's dtype
        with np.errstate(invalid="ignore"):          # inf - inf at x = inf: NaN, as in torch
            np.subtract(x, d, out=d)
        d += 1
        d /= q
        d *= g
        return d.astype(g.dtype, copy=False)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(silu, locals(), "silu_" if inplace else None)
    return _act(input, inplace, Silu)


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


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(mish, locals(), "mish_" if inplace else None)
    return _act(input, inplace, Mish)


def sigmoid(input: Tensor) -> Tensor:
    """torch.sigmoid (its kernel is in ``_ops``), called as torch's ``F.sigmoid`` calls it: as
    ``input``'s method."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """torch.tanh (its kernel is in ``_ops``), called as torch's ``F.tanh`` calls it: as
    ``input``'s method."""
    return input.tanh()


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
        if _recorded(x) or _recorded(g):  # create_graph: torch's node without a derivative
            return _wrap(_HardsigmoidBackward.apply(_unwrap(g), _unwrap(x)))
        return Hardsigmoid.gradient(g, x)

    @staticmethod
    def gradient(g, x):
        # torch multiplies by the float32 constant 1/6, also for float64 (its kernel's choice)
        d = g * g.dtype.type(np.float32(1) / np.float32(6))
        return zero_where(d, ~(np.abs(x) < 3))


class _HardsigmoidBackward(_NotDifferentiable):
    """Hardsigmoid's gradient recorded under create_graph: torch defines no derivative of
    hardsigmoid_backward, so differentiating it again is its error."""

    _backward_name = "torch::autograd::NotImplemented"
    _aten = "hardsigmoid_backward"

    @staticmethod
    def forward(ctx, g, x):
        return Hardsigmoid.gradient(g, x)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(hardsigmoid, locals(), "hardsigmoid_" if inplace else None)
    return _act(input, inplace, Hardsigmoid)


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
        xl = x
        if _recorded(x) or _recorded(g):
            # torch's derivatives of this gradient: in x, g g_out / 3 only where -3 < x < 3
            # (0, not 1/3, at a NaN x); in g, this gradient's own slope (0 where x <= -3, not
            # 0 * inf at -inf). So x enters the linear part only inside that band; outside,
            # where that part is replaced below, a constant 0 (NaN at NaN)
            xv = _unwrap(x)._data if _recorded(x) else x
            xl = np.where(np.abs(xv) < 3, x, np.where(np.isnan(xv), xv, xv.dtype.type(0)))
        d = xl / x.dtype.type(3)
        d += x.dtype.type(0.5)
        upper = x >= 3
        d = zero_where(d, upper)        # the slope 1 where x >= 3: 0 there, then + 1
        d += upper
        with np.errstate(invalid="ignore"):  # g inf at x = -1.5 (slope 0): NaN, as in torch
            d *= g
        return zero_where(d, x <= -3)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(hardswish, locals(), "hardswish_" if inplace else None)
    return _act(input, inplace, Hardswish)


class Softplus(ArrayFunction):
    """out = log(1 + exp(beta x)) / beta, or x where beta x > threshold (linear regime).
    dL/dx = g * z / (z + 1) with z = exp(beta x)  (sigmoid(beta x)), or g where beta x >
    threshold. The forward keeps z = exp(min(beta x, threshold)), finite in the linear regime
    for thresholds within exp's range, where its log1p is not used, so the backward takes no
    exp of its own. A threshold above exp's range makes z inf there: the linear regime's 1 is
    then selected (``zero_where``), not taken as a max with z / (z + 1) = NaN. Between the
    overflow and the threshold out is inf and dL/dx NaN, as torch's. (np.where here: beta x >
    threshold is rare, so its mask is predictable and cheap, and x there may be inf, which a
    0/1 mask cannot multiply away.) float16 is computed in float32 and rounded once, as torch's
    kernel does.

    Second derivative (torch's softplus_double_backward): g g2 beta s (1 - s) where beta x <
    threshold, else 0, s = sigmoid(beta x); finite where z overflows. Under create_graph the
    backward is recorded as s [beta x < threshold] (``_sigmoid``), to which the difference from
    the first derivative's value above is added as a constant."""

    _backward_name = "SoftplusBackward0"

    @staticmethod
    def forward(ctx, x, beta, threshold):
        require_float(x, "softplus_cpu")
        ctx.beta, ctx.threshold = beta, threshold
        work = np.promote_types(x.dtype, np.float32)
        ctx.z_overflows = threshold > math.log(np.finfo(work).max)
        xw = x.astype(work, copy=False)
        bx = xw if beta == 1 else xw * beta        # (beta = 1, the default: exact either way)
        with np.errstate(over="ignore"):  # (a threshold above exp's range: inf, as torch's)
            z = np.exp(np.minimum(bx, threshold), out=np.empty_like(xw))   # an array if 0-d
        ctx.save_for_backward(x, z)
        soft = np.log1p(z)
        if beta != 1:
            soft /= beta
        return np.where(bx > threshold, x, soft.astype(x.dtype, copy=False))

    @staticmethod
    def _slope(x: np.ndarray, z: np.ndarray, beta: float, threshold: float,
               z_overflows: bool) -> np.ndarray:
        """dout/dx: z / (z + 1), or 1 where beta x > threshold (ndarrays)."""
        bx = x if beta == 1 else x * beta
        with np.errstate(invalid="ignore"):
            d = np.add(z, 1, out=np.empty_like(z))     # an array if 0-d
            np.divide(z, d, out=d)
        linear = bx > threshold
        if z_overflows:
            d = zero_where(d, linear)
            d += linear
            return d
        # d is in [0, 1] (or nan), so the linear regime's 1 is a max with the 0/1 mask
        return np.maximum(d, linear, dtype=d.dtype)

    @staticmethod
    def backward(ctx, g):
        x, z = ctx.saved_tensors
        beta, threshold = ctx.beta, ctx.threshold
        if _recorded(x):
            xw = x.astype(z.dtype)
            bx = xw if beta == 1 else xw * beta
            d = _sigmoid(bx) * (bx < threshold)
            slope = Softplus._slope(_unwrap(x)._data.astype(z.dtype), _unwrap(z)._data, beta,
                                    threshold, ctx.z_overflows)
            with np.errstate(invalid="ignore"):
                d = d + (slope - _unwrap(d)._data)
            return (d * g).astype(g.dtype), None, None
        d = Softplus._slope(x.astype(z.dtype, copy=False), z, beta, threshold, ctx.z_overflows)
        d *= g
        return d.astype(g.dtype, copy=False), None, None


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(softplus, locals())
    return Softplus.apply(input, beta, threshold)


class Softsign(ArrayFunction):
    """out = x / (1 + |x|).
    dL/dx = g / (1 + |x|)^2, computed as torch's chain rule through x / (1 + |x|) does:
    g / d - g |x| / d^2 with d = 1 + |x| (nan at +-inf, as in torch)."""

    _backward_name = "DivBackward0"

    @staticmethod
    def forward(ctx, x):
        if x.dtype.kind != "f":
            # torch's x / (x.abs() + 1): abs refuses bool; for integers abs and + 1 stay in the
            # integer dtype (255 + 1 is 0 in uint8), then the division is in the default float
            if x.dtype == np.bool_:
                raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
            d = np.abs(x)
            d += x.dtype.type(1)
            with np.errstate(divide="ignore", invalid="ignore"):
                return as_float(x) / as_float(d)
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


def softsign(input: Tensor) -> Tensor:
    return Softsign.apply(input)


class LogSigmoid(ArrayFunction):
    """out = log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)).
    dL/dx = g * sigmoid(-x) = g / (1 + exp(x)); under create_graph recorded as g * sigmoid(-x)
    (``_sigmoid``), whose derivative stays finite where exp(x) overflows."""

    _backward_name = "LogSigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        require_float(x, "log_sigmoid_cpu")
        ctx.save_for_backward(x)
        return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        if _recorded(x):
            return g * _sigmoid(-x)
        with np.errstate(over="ignore"):
            d = np.exp(x)
        d += 1
        return g / d


def logsigmoid(input: Tensor) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(logsigmoid, locals(), "log_sigmoid")
    return LogSigmoid.apply(input)


class Threshold(ArrayFunction):
    """out = value if x <= threshold else x.      dL/dx = 0 where x <= threshold, else g (so nan
    passes its gradient, as in torch). (np.where in forward: x may be inf, which a 0/1 mask
    cannot multiply away.)"""

    _backward_name = "ThresholdBackward0"

    @staticmethod
    def forward(ctx, x, threshold, value):
        if x.dtype == np.bool_:
            raise NotImplementedError("\"threshold_cpu\" not implemented for 'Bool'")
        check_scalar_fits(threshold, x.dtype, opmath=True)
        check_scalar_fits(value, x.dtype)
        ctx.save_for_backward(x)
        ctx.threshold = threshold
        return np.where(x <= threshold, np.asarray(value).astype(x.dtype), x)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return zero_where(g, x <= ctx.threshold), None, None


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(None, locals(), "threshold")  # (``threshold`` is a number here)
    return _act(input, inplace, Threshold, threshold, value,
                inplace_name="ThresholdBackward1")


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(threshold_, locals())
    return _act(input, True, Threshold, threshold, value, inplace_name="ThresholdBackward1")


class Tanhshrink(ArrayFunction):
    """out = x - tanh(x).      dL/dx = g * tanh(x)^2.
    (torch's x - x.tanh(): an integer x gives the default float dtype, a bool one the
    subtraction's refusal.)"""

    _backward_name = "SubBackward0"

    @staticmethod
    def forward(ctx, x):
        if x.dtype == np.bool_:
            raise RuntimeError(
                "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        x = as_float(x)
        t = np.tanh(x)
        ctx.save_for_backward(t)
        return x - t

    @staticmethod
    def backward(ctx, g):
        t, = ctx.saved_tensors
        return g * t * t


def tanhshrink(input: Tensor) -> Tensor:
    return Tanhshrink.apply(input)


class Softshrink(ArrayFunction):
    """out = x - l if x > l,  x + l if x < -l,  else 0;  that is, x - clip(x, -l, l).
    dL/dx = g where |x| > l, else 0 (also at a NaN x)."""

    _backward_name = "SoftshrinkBackward0"

    @staticmethod
    def forward(ctx, x, lambd):
        require_float(x, "softshrink_check")
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        return x - np.clip(x, -lambd, lambd)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return zero_where(g, ~(np.abs(x) > ctx.lambd)), None


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(softshrink, locals())
    if lambd < 0:
        top = "3.40282e+38" if input.dtype.itemsize == 4 else "1.79769e+308"
        raise RuntimeError(f"lambda must be in range [0, {top}] for input dtype "
                           f"{scalar_type_name(input._data.dtype)}, but found {lambd:g}")
    return Softshrink.apply(input, lambd)


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


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(hardshrink, locals())
    return Hardshrink.apply(input, lambd)


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


def glu(input: Tensor, dim: int = -1) -> Tensor:
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = _wrap_dim(dim, input.dim())
    if input.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size "
                           f"{input.shape[d]}")
    return Glu.apply(input, d)
