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
from ..._ops.activation_backward import add_scalar
from ..._ops.arithmetic import _NotDifferentiable
from ..._ops._util import wrap_dim as _wrap_dim, zero_where
from ..._ops.inplace import apply_inplace as _apply_inplace
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from ...autograd.graph_array import unwrap as _unwrap, wrap as _wrap
from ...random import _gen, _uniform_values
from ._activation_derivatives import (EluBackward, GeluBackward, GluBackward,
                                      HardswishBackward, HardtanhBackward, LeakyReluBackward,
                                      LogSigmoidBackward, RreluWithNoiseBackward,
                                      SoftplusBackward, _choose, gelu_gradient, gelu_tanh_u,
                                      glu_gradient, PreluKernelBackward,
                                      softplus_slope)
from ._activation_args import (check_element, check_int_args, check_opmath, check_rrelu_bounds,
                               check_uniform_span)
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
        return _apply_inplace(input, lambda t: _in_place(kernel, t, args, inplace_name))
    return kernel.apply(input, *args)


def _in_place(kernel, t: Tensor, args: tuple, name) -> Tensor:
    """``kernel`` applied to ``t`` (the input's value before the in-place write). A kernel
    whose backward reads that input (``_reads_input``) keeps it, as torch's in-place op saves
    ``self.clone()``: a node of its own (CloneBackward0) between the saved input and ``t``'s
    history, which a create_graph gradient's graph shows."""
    reads = getattr(kernel, "_reads_input", False)
    saved = _SavedInput.apply(t) if reads and t._requires_grad else None
    out = kernel.apply(t, *args, name=name)
    node = out.grad_fn
    if saved is not None and node is not None:
        vc = saved._version_counter()
        node._saved_checks = [(saved, vc, vc[0], 0, arr) if owner is t else (owner, c, v, nr, arr)
                              for owner, c, v, nr, arr in node._saved_checks or ()]
        if node._inputs is not None:
            node._inputs = tuple((saved, vc[0]) if a is t else (a, v) for a, v in node._inputs)
    return out


class _SavedInput(ArrayFunction):
    """The clone torch's in-place ops save of their input (sharing ``t``'s array here: that
    array is already a copy no one writes)."""

    _backward_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        return a

    @staticmethod
    def backward(ctx, g):
        return g


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
    dtype, unless one is NaN (torch's clamp then fills NaN); the backward checks them in the
    opmath type (``HardtanhBackward``)."""

    _backward_name = "HardtanhBackward0"
    _reads_input = True     # (in place: a saved clone, ``_in_place``)

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
        if not (math.isnan(lo) or math.isnan(hi)):     # (torch's clamp: NaN, unchecked)
            check_element(x, lo, hi)
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        return np.clip(x, lo, hi)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return HardtanhBackward.call(g, x, ctx.lo, ctx.hi), None, None


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(hardtanh, locals())
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    check_int_args(min_val, max_val)
    return _act(input, inplace, Hardtanh, min_val, max_val)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """torch's hardtanh_ itself: no check that min_val <= max_val (hardtanh's, in Python)."""
    if not isinstance(input, Tensor):
        raise argument_error(hardtanh_, locals())
    check_int_args(min_val, max_val)
    return _act(input, True, Hardtanh, min_val, max_val)


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
    refuses (as here). Under create_graph the gradient is torch's leaky_relu_backward of
    (g, x), or of (g, output) in place (``LeakyReluBackward``)."""

    _backward_name = "LeakyReluBackward0"

    @staticmethod
    def forward(ctx, x, slope, from_result=False):
        require_float(x, "leaky_relu_cpu")
        check_opmath(x, slope)
        f = _choose(x > 0, 1, slope, np.float32 if x.dtype == np.float16 else x.dtype)
        ctx.slope, ctx.from_result = slope, from_result
        out = (x * f).astype(x.dtype, copy=False)
        ctx.save_for_backward(f, out if from_result else x)
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
        f, x = ctx.saved_tensors
        if _recorded(g) or _recorded(x):
            op = RreluWithNoiseBackward if type(ctx).__name__.startswith("Rrelu") \
                else LeakyReluBackward
            return op.call(g, x, ctx.slope), None, None
        return (g * f).astype(g.dtype, copy=False), None, None


def _select(a, mask: np.ndarray, b):
    """b where mask else a, on the bits (exact, signed zeros and NaN included): the or of a
    zeroed where mask and b zeroed elsewhere. A GraphArray (a recorded forward) takes
    np.where."""
    if type(a) is not np.ndarray or type(b) is not np.ndarray:
        return np.where(mask, b, a)
    a, b = zero_where(a, mask), zero_where(b, ~mask)
    it = np.dtype(f"i{a.dtype.itemsize}")
    return np.bitwise_or(a.view(it), b.view(it)).view(a.dtype)


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
    to w's, as torch's autograd sums its kernel's gradient). Under create_graph the gradients
    are torch's _prelu_kernel_backward, an op of its own (``PreluKernelBackward``)."""

    _backward_name = "PreluKernelBackward0"

    @staticmethod
    def forward(ctx, x, w):
        require_float(x, "prelu_cpu")
        if _recorded(x) or _recorded(w):  # a replay under create_graph: backward reads x, w
            ctx.save_for_backward(x, w, None)
            return None
        pos = x > 0
        f = w * ~pos
        f += pos
        ctx.save_for_backward(x, w, f)
        return x * f

    @staticmethod
    def backward(ctx, g):
        x, w, f = ctx.saved_tensors
        if f is None or _recorded(g):
            gx, gw = PreluKernelBackward.call(g, x, w)
            return (gx if ctx.needs_input_grad[0] else None,
                    gw if ctx.needs_input_grad[1] else None)
        gx = g * f if ctx.needs_input_grad[0] else None
        gw = zero_where(g * x, x > 0) if ctx.needs_input_grad[1] else None  # (inf * 0 at 0: NaN)
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
    opmath type (celu's 1 / alpha too; its backward's 1 / alpha is torch's 1 / float(alpha),
    alpha checked as a float then). In place (``inplace``) the gradient is torch's, from the
    output (``EluBackward``, is_result). The gradient is torch's elu_backward, an op of its own
    under create_graph.
    """

    _backward_name = "EluBackward0"

    @staticmethod
    def forward(ctx, x, alpha, scale, input_scale, kernel, inplace=False, celu=False):
        require_float(x, kernel)
        check_opmath(x, alpha, scale, input_scale)
        ctx.params, ctx.celu = (alpha, scale, input_scale), celu
        x0, x, dtype = x, x.astype(np.promote_types(x.dtype, np.float32), copy=False), x.dtype
        neg = np.minimum(x, 0)
        if input_scale != 1:
            neg *= input_scale
        neg = np.expm1(neg)
        coef = scale * alpha
        if coef != 1:
            neg *= coef
        if not (math.isfinite(coef) and math.isfinite(input_scale)):
            # (0 * inf where x >= 0: a select)
            out = _select(neg, ~(x < 0), x * scale).astype(dtype, copy=False)
            ctx.save_for_backward(None if inplace else x0, out if inplace else None)
            return out
        out = np.maximum(x, 0)
        if scale != 1:
            out *= scale
        out += neg          # exact: one branch is +-0 at each x ...
        zero = out == 0     # ... but a zero's sign is its branch's: x at x = -0, neg's below 0
        if x.ndim == 0 or zero.any():
            at = np.nonzero(zero) if x.ndim else ...
            out = np.asarray(out)
            out[at] = np.where(x[at] < 0, neg[at], x[at] * scale)
        out = out.astype(dtype, copy=False)
        ctx.save_for_backward(None if inplace else x0, out if inplace else None)
        return out

    @staticmethod
    def backward(ctx, g):
        x, out = ctx.saved_tensors
        alpha, scale, input_scale = ctx.params
        if ctx.celu:    # torch's celu backward: 1.0 / alpha.toFloat()
            check_opmath(np.empty(0, np.float32), alpha)
            with np.errstate(divide="ignore"):
                input_scale = float(1.0 / np.float64(np.float32(alpha)))
        if out is not None:     # in place: torch's gradient from the output
            return (EluBackward.call(g, out, alpha, scale, input_scale, True),) + (None,) * 6
        return (EluBackward.call(g, x, alpha, scale, input_scale, False),) + (None,) * 6


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(elu, locals())
    check_int_args(alpha)
    return _act(input, inplace, Elu, alpha, 1.0, 1.0, "elu_cpu", inplace,
                inplace_name="EluBackward1")


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
    return _act(input, inplace, Elu, _SELU_ALPHA, _SELU_SCALE, 1.0, "elu_cpu", inplace,
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
        return Elu.apply(input, alpha, 1.0, 1.0 / alpha, "elu_cpu", False, True,
                         name="CeluBackward0")
    return _act(input, inplace, Elu, alpha, 1.0, 1.0 / alpha, "elu_cpu", True, True,
                inplace_name="CeluBackward1")


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(celu_, locals())
    return celu(input, alpha, inplace=True)


_FLOAT32_MAX_HALF = np.float32(np.finfo(np.float32).max / 2)


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
        if _recorded(x):  # a replay under create_graph, whose backward reads only x
            ctx.save_for_backward(x, None)
            return None
        if approximate == "tanh":
            x, dtype = _opmath(x), x.dtype  # (float16 in float32, rounded once)
            th = gelu_tanh_u(x)
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
        x, th = ctx.saved_tensors
        if th is None or _recorded(g):  # create_graph: torch's gelu_backward, an op of its own
            return GeluBackward.call(g, x, ctx.approximate), None
        return gelu_gradient(g, x, th, ctx.approximate), None


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
    torch's kernel does. Under create_graph the backward is torch's
    infinitely_differentiable_silu_backward, g * s * (1 + x (1 - s)) with s one sigmoid op
    (``_sigmoid``; each op in x's dtype), so that higher derivatives stay finite where
    exp(-x) overflows (x / q would differentiate to 0 * inf there): torch's 0."""

    _backward_name = "SiluBackward0"
    _reads_input = True     # (in place: a saved clone, ``_in_place``)

    @staticmethod
    def forward(ctx, x):
        require_float(x, "silu_cpu")
        q = _sigmoid_denominator(x)
        ctx.save_for_backward(x, q)
        return np.divide(x, q, out=np.empty_like(q)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x, q = ctx.saved_tensors
        if _recorded(x):    # torch's infinitely_differentiable_silu_backward, op for op
            s = _sigmoid(x)   # (the right operands first, as torch's C++ evaluates them)
            d = add_scalar(x * (x.dtype.type(1) - s), 1.0)
            return g * s * d
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
    float16 computes in float32 and rounds once, as torch's kernels do; under create_graph the
    gradient is torch's infinitely_differentiable_mish_backward,
    g (t + x s (1 - t^2)), s = sigmoid(x), t = tanh(log1p(exp(x))), op for op in x's dtype."""

    _backward_name = "MishBackward0"
    _reads_input = True     # (in place: a saved clone, ``_in_place``)

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
        if _recorded(x):    # torch's infinitely_differentiable_mish_backward, op for op
            s = _sigmoid(x)
            t = np.tanh(np.log1p(np.exp(x)))    # (in x's dtype: float16 exp overflows above 11.1)
            sech2 = x.dtype.type(1) - t * t     # (the right operands first, as torch's C++)
            return g * (t + x * s * sech2)
        xw = _opmath(x)
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
            g = _unwrap(g) if _recorded(g) else g   # (an edge only for a recorded g)
            return _wrap(_HardsigmoidBackward.apply(g, _unwrap(x)))
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
    _reads_input = True     # (in place: a saved clone, ``_in_place``)

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
        return HardswishBackward.call(g, x)


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
        if _recorded(x):  # a replay under create_graph, whose backward reads only x
            ctx.save_for_backward(x, None)
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
        if z is None or _recorded(g):   # create_graph: torch's softplus_backward, an op
            return SoftplusBackward.call(g, x, beta, threshold), None, None
        d = Softplus._slope(x.astype(z.dtype, copy=False), z, beta, threshold, ctx.z_overflows)
        d *= g
        return d.astype(g.dtype, copy=False), None, None


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(softplus, locals())
    check_int_args(beta, threshold)
    return Softplus.apply(input, beta, threshold)


def softsign(input: Tensor) -> Tensor:
    """x / (|x| + 1), torch's composite (its graph: DivBackward0, AddBackward0, AbsBackward0)."""
    return input / (input.abs() + 1)


class LogSigmoid(ArrayFunction):
    """out = log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)) (float16 in float32, rounded once).
    dL/dx = g * sigmoid(-x) = g / (1 + exp(x)); where exp(x) overflows, g exp(-x) (subnormal,
    as torch's z / (1 + z), z = exp(-x), gives it: not 0); under create_graph torch's
    log_sigmoid_backward, an op of its own (``LogSigmoidBackward``)."""

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
        return LogSigmoidBackward.call(g, x)

    @staticmethod
    def gradient(g, x):
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
    float16 computes in float32 and rounds once, as torch's kernels do. Under create_graph the
    gradient is torch's glu_backward, an op of its own (``GluBackward``)."""

    _backward_name = "GluBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        require_float(x, "glu_cpu")
        ctx.dim = dim
        if _recorded(x):  # a replay under create_graph, whose backward reads only x
            ctx.save_for_backward(x, None)
            return None
        a, b = np.split(x, 2, axis=dim)
        s = _sigmoid(_opmath(b))
        ctx.save_for_backward(x, s)
        return _as_dtype(a * s, x.dtype)

    @staticmethod
    def backward(ctx, g):
        x, s = ctx.saved_tensors
        if s is None or _recorded(g):
            return GluBackward.call(g, x, ctx.dim), None
        return glu_gradient(g, np.split(x, 2, axis=ctx.dim)[0], s, ctx.dim), None


def glu(input: Tensor, dim: int = -1) -> Tensor:
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = _wrap_dim(dim, input.dim())
    if input.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size "
                           f"{input.shape[d]}")
    return Glu.apply(input, d)
