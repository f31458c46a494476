"""Activation functions: relu and its relatives, the ELU family, GELU, SiLU, Mish, the hard
and soft sigmoids, softplus, softsign, logsigmoid and GLU. threshold and the shrinks are in
``shrink.py``, the softmax family in ``softmax_family.py``; what the kernels do around their
arithmetic (number arguments' checks, torch's scalar loop) in ``_activation_args.py``.

Each kernel is an ``ArrayFunction``: forward beside backward on ndarrays, the derivative in its
docstring (``g`` is dL/d out). Under each kernel, the public functions with torch's checks; an
``inplace=True`` variant overwrites its input and rebases its autograd history.

Ties follow torch: each mask below is strict or not exactly as torch's kernel. Branches are taken
by arithmetic (max/min, clip) or by ``_ops._util.zero_where`` (a select done on the bits), not
``np.where``: with a mask that changes unpredictably from element to element (x > 0 on real data)
``np.where`` costs several times more. A gradient that torch's kernel zeroes with a select
(cond ? 0 : g) is zeroed by ``zero_where``, never by a 0/1 multiply: g may be inf or NaN there,
and torch's 0 must stay 0. Each condition's NaN side is that of torch's vectorized loop; for
some ops (hardtanh, the shrinks, hardswish, elu) torch's scalar loop, which takes a 0-d or
strided tensor and a contiguous one's last elements, sends a NaN input the other way, and those
elements follow it (``_activation_args.scalar_loop_index``). Number arguments are range-checked
as torch converts them (``_activation_args``).
"""
from __future__ import annotations

import math

import numpy as np

from ..._dtype import get_default_dtype
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
from ._activation_derivatives import (_GELU_KAPPA, _SQRT_2_OVER_PI, _GeluDerivative,
                                      _SoftplusDerivative, softplus_slope)
from ._activation_args import (check_element, check_int_args, check_opmath, check_rrelu_bounds,
                               check_uniform_span, scalar_loop_nan)
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


def _opmath(a):
    """a in its kernel's computing type: float32 for float16, else a itself."""
    return a.astype(np.float32) if a.dtype == np.float16 else a


def _as_dtype(a, dtype):
    """a rounded once to dtype (a GraphArray too)."""
    return a if a.dtype == dtype else a.astype(dtype)


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
    converts them, checked against int64, then (after an unsigned dtype's refusal of negative
    bounds) against x's dtype; bool is refused. A float x's bounds are checked against its
    dtype."""

    _backward_name = "HardtanhBackward0"

    @staticmethod
    def forward(ctx, x, lo, hi):
        if x.dtype.kind != "f":
            if x.dtype == np.bool_:
                raise RuntimeError("Bool inputs not supported for hardtanh")
            check_element(np.empty(0, np.int64), lo, hi)   # (read as int64 first)
            lo, hi = int(lo), int(hi)
            if x.dtype.kind == "u" and (lo < 0 or hi < 0):
                raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
            check_element(x, lo, hi)
            return np.clip(x, lo, hi).astype(x.dtype, copy=False)
        check_element(x, lo, hi)
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        return np.clip(x, lo, hi)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        # (the scalar loop: x <= lo || x >= hi ? 0 : g, so g at a NaN x)
        d = zero_where(g, ~((x > ctx.lo) & (x < ctx.hi)))
        return scalar_loop_nan(d, x, g, registers=1), None, None


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(hardtanh, locals())
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    check_int_args(min_val, max_val)
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
    The slope is range-checked in the opmath type (rrelu's eval slope (lower + upper) / 2 too).

    float16 computes in float32, torch's opmath: the slope unrounded, each product rounded
    once to float16. ``from_result``: the in-place form, whose backward torch computes from
    the output; with a negative slope the output's sign no longer tells the branch, so torch
    refuses (as here). Its gradient's derivative in that output is zeros, which keeps the output
    (and so the input) in a create_graph gradient's graph: recorded here as the gradient minus
    a select of 0 from the output (exact, signs of zero included)."""

    _backward_name = "LeakyReluBackward0"

    @staticmethod
    def forward(ctx, x, slope, from_result=False):
        require_float(x, "leaky_relu_cpu")
        check_opmath(x, slope)
        f = _choose(x > 0, 1, slope, np.float32 if x.dtype == np.float16 else x.dtype)
        ctx.slope, ctx.from_result = slope, from_result
        out = (x * f).astype(x.dtype, copy=False)
        ctx.save_for_backward(f, out) if from_result else ctx.save_for_backward(f)
        return out

    @staticmethod
    def backward(ctx, g):
        if ctx.from_result and ctx.slope < 0:
            raise RuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope "
                "which is not supported. This is caused by calling in-place forward function "
                "with a negative slope, please call out-of-place version instead. File an issue "
                "at https://github.com/pytorch/pytorch if you do require supporting in-place "
                "leakRelu backward calculation with negative slope")
        f, *result = ctx.saved_tensors
        d = (g * f).astype(g.dtype, copy=False)
        if result and _recorded(result[0]):
            d = d - np.where(True, d.dtype.type(0), result[0])
        return d, None, None


def _select(a, mask: np.ndarray, b):
    """b where mask else a, on the bits (exact, signed zeros and NaN included): the or of a
    zeroed where mask and b zeroed elsewhere. A GraphArray (a recorded forward) takes
    np.where."""
    if type(a) is not np.ndarray or type(b) is not np.ndarray:
        return np.where(mask, b, a)
    a, b = zero_where(a, mask), zero_where(b, ~mask)
    it = np.dtype(f"i{a.dtype.itemsize}")
    return np.bitwise_or(a.view(it), b.view(it)).view(a.dtype)


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
    check_int_args(negative_slope)
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
    check_int_args(lower, upper)
    check_rrelu_bounds(lower, upper, training, inplace)
    if not training:  # torch's node: rrelu_with_noise's, a leaky_relu backward
        total = lower + upper
        if isinstance(lower, int) and isinstance(upper, int):   # torch adds two ints in int64
            total = (total + (1 << 63)) % (1 << 64) - (1 << 63)
        slope = total / 2
        name = "RreluWithNoiseBackward1" if inplace else "RreluWithNoiseBackward0"
        if inplace:
            return _apply_inplace(input, lambda t: LeakyRelu.apply(t, slope, True, name=name))
        return LeakyRelu.apply(input, slope, False, name=name)
    x = input._data
    if x.dtype == np.float16:
        raise NotImplementedError("\"rrelu_with_noise_out_cpu\" not implemented for 'Half'")
    require_float(x, "rrelu_with_noise_out_cpu")
    check_opmath(x, lower, upper)
    check_uniform_span(lower, upper)
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
    """torch's _prelu_kernel: out = x * f,  f = 1 if x > 0 else w, w broadcast over x (``prelu``
    reshapes the weight, one slope per channel, to broadcast along dim 1).
    dL/dx = g * f         dL/dw = 0 where x > 0, else g * x  (x's shape: the engine sums it
    to w's, as torch's autograd sums its kernel's gradient; selected, as in torch: an inf g or x
    where x > 0 adds nothing)."""

    _backward_name = "PreluKernelBackward0"

    @staticmethod
    def forward(ctx, x, w):
        require_float(x, "prelu_cpu")
        pos = x > 0
        f = w * ~pos
        f += pos
        ctx.save_for_backward(x, f)
        return x * f

    @staticmethod
    def backward(ctx, g):
        x, f = ctx.saved_tensors
        pos = x > 0
        if _recorded(x) or _recorded(g) or _recorded(f):
            return Prelu._recorded_backward(ctx, g, x, f, pos)
        gx = g * f if ctx.needs_input_grad[0] else None
        gw = zero_where(g * x, pos) if ctx.needs_input_grad[1] else None   # (inf * 0 at 0: NaN)
        return gx, gw

    @staticmethod
    def _recorded_backward(ctx, g, x, f, pos):
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
                true = _data_of(g) * _data_of(f)    # (inf - inf away from x0: not selected)
                gx = gx + np.where(x0, true - _data_of(gx), true.dtype.type(0))
        if ctx.needs_input_grad[1]:
            skip = pos | x0
            gw = zero_where(g * np.where(skip, x.dtype.type(0), x), skip)
        return gx, gw


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """Leaky ReLU with a learned slope per channel (dim 1), or one shared slope."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)):
        raise argument_error(prelu, locals(), tensors=("input", "weight"))
    n = weight.numel()
    if n != 1:
        if input.dim() == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if input.dim() > 1 else 1
        if n != channels:
            raise RuntimeError(
                f"Mismatch of parameter numbers and input channel size. Found parameter "
                f"numbers = {n} and channel size = {channels}.")
    if input.dim() != weight.dim():       # torch's view of the weight (its node: ViewBackward0)
        weight = weight.reshape([1] + [n] + [1] * (input.dim() - 2) if input.dim() > 1
                                else [1] * input.dim())
    return Prelu.apply(input, weight)


class Elu(ArrayFunction):
    """ELU family (elu, selu, celu), torch's parametrisation:
      out = scale * x                                   if x >= 0 (or NaN)
            scale * alpha * (exp(x * input_scale) - 1)  if x < 0
      dL/dx = g * scale                                 if x > 0
              g * scale * alpha * input_scale * exp(x * input_scale) otherwise (also at 0)
    Both branches at once: exp sees min(x, 0), so the negative branch is exactly +-0 (forward)
    or masked out (backward) where x > 0, and the forward adds the branches; where that sum is
    0 its sign is the chosen branch's (elu(-0) is -0). Where alpha *
    input_scale = 1 (elu's and celu's defaults) the negative branch's slope at x > 0,
    scale * exp(0), is the positive one, so the backward needs no mask;
    multiplications by 1 are skipped (exact either way). A NaN x gives a NaN gradient, as
    torch's vectorized loop does; its scalar loop gives g * scale (``scalar_loop_nan``).
    float16 is computed in float32 and rounded once, as torch's kernel does (an alpha beyond
    float16's range is then no inf * 0). alpha, scale and input_scale are range-checked in the
    opmath type (celu's 1 / alpha too).
    """

    _backward_name = "EluBackward0"

    @staticmethod
    def forward(ctx, x, alpha, scale, input_scale, kernel):
        require_float(x, kernel)
        check_opmath(x, alpha, scale, input_scale)
        ctx.save_for_backward(x)
        ctx.params = (alpha, scale, input_scale)
        x, dtype = x.astype(np.promote_types(x.dtype, np.float32), copy=False), x.dtype
        neg = np.minimum(x, 0)
        if input_scale != 1:
            neg *= input_scale
        neg = np.expm1(neg)
        coef = scale * alpha
        if coef != 1:
            neg *= coef
        if not (math.isfinite(coef) and math.isfinite(input_scale)) or type(x) is not np.ndarray:
            # (0 * inf where x >= 0; a recorded forward: a select)
            return _select(neg, ~(x < 0), x * scale).astype(dtype, copy=False)
        out = np.maximum(x, 0)
        if scale != 1:
            out *= scale
        out += neg          # exact: one branch is +-0 at each x ...
        zero = out == 0     # ... but a zero's sign is its branch's: x at x = -0, neg's below 0
        if x.ndim == 0 or zero.any():
            at = np.nonzero(zero) if x.ndim else ...
            out = np.asarray(out)
            out[at] = np.where(x[at] < 0, neg[at], x[at] * scale)
        return out.astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x0, = ctx.saved_tensors
        alpha, scale, input_scale = ctx.params
        x = x0.astype(np.promote_types(x0.dtype, np.float32), copy=False)
        # recorded (create_graph), min(x, 0) would pass half its derivative at x = 0, where
        # torch's elu_double_backward (mask x < 0) gives 0: a select there, the same values
        recorded = _recorded(x)
        if recorded:   # (x's first op a mul, as in torch's elu_double_backward; 0 where x >= 0)
            d = np.where(x >= 0, x.dtype.type(0), x * input_scale)
        else:
            d = np.minimum(x, 0)
            if input_scale != 1:
                d *= input_scale
        d = np.exp(d)
        slope = scale * alpha * input_scale
        if slope != 1:
            d *= slope
        if slope != scale and recorded:
            pos = x > 0
            d *= ~pos
            d += np.multiply(pos, scale, dtype=d.dtype)
        elif slope != scale:                    # (+ -0 where x <= 0: slope * 0 keeps its sign)
            pos = x > 0
            d = zero_where(d, pos)
            d += _choose(pos, scale, -0.0, d.dtype)
        d *= g
        d = scalar_loop_nan(d, x0, lambda i: np.asarray(g)[i] * d.dtype.type(scale), registers=2)
        return d.astype(g.dtype, copy=False), None, None, None, None


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(elu, locals())
    check_int_args(alpha)
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
    check_int_args(alpha)
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


_FLOAT32_MAX_HALF = np.float32(np.finfo(np.float32).max / 2)
# below it, float32's 1 - tanh^2 u is a few ulp of 1: NumPy's float32 tanh, 1 ulp from torch's
# on a third of inputs, would move GELU's gradient by float32's tolerance there
_GELU_TANH_TAIL = -6.5
# |u| beyond which torch's vectorized tanh (SLEEF's, by itemsize) returns +-1 exactly
_SLEEF_TANH_SATURATES = {4: 8.664339742, 8: 18.714973875}


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
        if _recorded(x):  # a replay under create_graph, which reads only the saved derivative
            ctx.save_for_backward(x, _wrap(_GeluDerivative.apply(_unwrap(x), approximate)))
            return None
        if approximate == "tanh":
            x, dtype = _opmath(x), x.dtype  # (float16 in float32, rounded once)
            u = x * x                       # torch's order: sqrt(2/pi) * (x + kappa * x^3)
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
            ctx.save_for_backward(x, th)
            out = x * 0.5                   # torch's (0.5 x)(1 + tanh u): x near the largest
            out *= th + 1                   # float stays finite
            return _as_dtype(out, dtype)
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
        x, th = ctx.saved_tensors        # (replayed under create_graph: x and the derivative)
        if ctx.approximate == "tanh" and not _recorded(th):
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
            return _as_dtype(d, g.dtype), None
        return g * th, None


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
        np.subtract(x, d, out=d)                    # (inf - inf at x = inf: NaN, as in torch)
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
    dL/dx = g * (t + x * sigmoid(x) * (1 - t^2)).
    float16 computes in float32 and rounds once, as torch's kernels do; under create_graph torch
    forms the gradient from float16 ops (each rounded), and so does this."""

    _backward_name = "MishBackward0"

    @staticmethod
    def forward(ctx, x):
        require_float(x, "mish_cpu")
        xw = _opmath(x)
        t = np.tanh(np.log1p(np.exp(xw)))
        ctx.save_for_backward(x, t)
        return (xw * t).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x, t = ctx.saved_tensors
        xw = x if _recorded(x) else _opmath(x)
        if _recorded(x) and x.dtype == np.float16:
            t = np.tanh(np.log1p(np.exp(x)))   # (float16 ops: exp overflows above 11.1)
        d = 1 - t * t
        d *= _sigmoid(xw)
        d *= xw
        d += t
        d *= g
        return _as_dtype(d, g.dtype)


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
        d *= g                          # (g inf at x = -1.5, slope 0: NaN, as in torch)
        # (the scalar loop: x < -3 ? 0 : x <= 3 ? g (x / 3 + 1/2) : g, so g at a NaN x)
        return scalar_loop_nan(zero_where(d, x <= -3), x, g, registers=2)


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
    backward is recorded as g d, d a node of x (``_SoftplusDerivative``) whose backward is that
    formula, with torch's nodes."""

    _backward_name = "SoftplusBackward0"

    @staticmethod
    def forward(ctx, x, beta, threshold):
        require_float(x, "softplus_cpu")
        check_opmath(x, beta, threshold)
        ctx.beta, ctx.threshold = beta, threshold
        work = np.promote_types(x.dtype, np.float32)
        cap = math.inf if math.isnan(threshold) else threshold   # (beta x > NaN: never linear)
        ctx.z_overflows = cap > math.log(np.finfo(work).max)
        if _recorded(x):  # a replay under create_graph, which reads only the saved derivative
            ctx.save_for_backward(x, _wrap(_SoftplusDerivative.apply(
                _unwrap(x), beta, threshold, ctx.z_overflows)))
            return None
        xw = x.astype(work, copy=False)
        bx = xw if beta == 1 else xw * beta        # (beta = 1, the default: exact either way)
        z = np.exp(np.minimum(bx, cap), out=np.empty_like(xw))   # (an array if 0-d)
        ctx.save_for_backward(x, z)
        soft = np.log1p(z)
        if beta != 1:
            soft /= beta
        return np.where(bx > threshold, x, soft.astype(x.dtype, copy=False))

    _slope = staticmethod(softplus_slope)

    @staticmethod
    def backward(ctx, g):
        x, z = ctx.saved_tensors
        beta, threshold = ctx.beta, ctx.threshold
        if _recorded(z):  # (replayed: z is the derivative, _SoftplusDerivative)
            return (g * z).astype(g.dtype), None, None
        d = Softplus._slope(x.astype(z.dtype, copy=False), z, beta, threshold, ctx.z_overflows)
        d *= g
        return d.astype(g.dtype, copy=False), None, None


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(softplus, locals())
    check_int_args(beta, threshold)
    return Softplus.apply(input, beta, threshold)


class Softsign(ArrayFunction):
    """out = x / (1 + |x|).
    dL/dx = g / (1 + |x|)^2, computed as torch's chain rule through x / (1 + |x|) does:
    g / d + (-g ((x / d) / d)) sign(x) with d = 1 + |x| (nan at +-inf, as in torch)."""

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
            return as_float(x) / as_float(d)
        ctx.save_for_backward(x)
        return x / (1 + np.abs(x))

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        if _recorded(x):    # torch's two paths to x, for the derivatives' graph
            d = np.abs(x) + 1
            return g / d + (-g * ((x / d) / d)) * np.sign(x)
        a = np.abs(x)       # ((-g) ((x / d) / d)) sign(x) is (-g) ((|x| / d) / d), exactly
        d = a + 1
        a /= d
        a /= d
        a *= -g
        return g / d + a


def softsign(input: Tensor) -> Tensor:
    return Softsign.apply(input)


class LogSigmoid(ArrayFunction):
    """out = log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)) (float16 in float32, rounded once).
    dL/dx = g * sigmoid(-x) = g / (1 + exp(x)); where exp(x) overflows, g exp(-x) (subnormal,
    as torch's z / (1 + z), z = exp(-x), gives it: not 0); under create_graph recorded as
    g * sigmoid(-x) (``_sigmoid``), whose derivative stays finite where exp(x) overflows."""

    _backward_name = "LogSigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        require_float(x, "log_sigmoid_cpu")
        ctx.save_for_backward(x)
        xw = _opmath(x)
        return _as_dtype(np.minimum(xw, 0) - np.log1p(np.exp(-np.abs(xw))), x.dtype)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        if _recorded(x):
            return g * _sigmoid(x * -1)     # (x's first op a mul, as in torch's formula)
        xw = _opmath(x)
        d = np.exp(xw, out=np.empty_like(xw))     # (an array if 0-d)
        d += 1
        np.divide(1, d, out=d)
        big = xw > math.log(np.finfo(xw.dtype).max)
        if big.any():
            d[big] = np.exp(-xw[big])
        d *= g
        return _as_dtype(d, g.dtype)


def logsigmoid(input: Tensor) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(logsigmoid, locals(), "log_sigmoid")
    return LogSigmoid.apply(input)


class Glu(ArrayFunction):
    """x = [a, b] split in halves along ``dim``;  out = a * sigmoid(b).
    dL/da = g * sigmoid(b)      dL/db = g * a * sigmoid(b) * (1 - sigmoid(b)).
    float16 computes in float32 and rounds once, as torch's kernels do."""

    _backward_name = "GluBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        require_float(x, "glu_cpu")
        a, b = np.split(x, 2, axis=dim)
        s = _sigmoid(_opmath(b))
        ctx.save_for_backward(a, s)
        ctx.dim = dim
        return _as_dtype(a * s, x.dtype)

    @staticmethod
    def backward(ctx, g):
        a, s = ctx.saved_tensors
        if a.dtype == np.float16:       # torch's kernel: the sigmoid rounded, then in float32
            s = s.astype(np.float16).astype(np.float32)
        ga = g * s
        gb = ga * a
        gb *= 1 - s
        return _as_dtype(np.concatenate([ga, gb], axis=ctx.dim), g.dtype), None


def glu(input: Tensor, dim: int = -1) -> Tensor:
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = _wrap_dim(dim, input.dim())
    if input.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size "
                           f"{input.shape[d]}")
    return Glu.apply(input, d)
