"""torch.nn.functional: the one implementation of every layer, activation and loss.

Modules own parameters and call these functions. The differentiable kernels are ``ArrayFunction``
ops in ``minitorch_ref/_ops`` (forward beside backward); functions here validate arguments the way
torch does (same exception types and messages) and call them.

Sections, one per area, so that each can grow without touching the others.
"""
from __future__ import annotations

import math
import warnings
from typing import Optional

import numpy as np  # noqa: F401

from .._tensor import Size, Tensor, _new_tensor  # noqa: F401
from ..autograd.function import ArrayFunction
from .._ops import nn as _nn
from .._ops.inplace import apply_inplace as _apply_inplace
from .._ops.elementwise import Add as _Add, Div as _Div, Sub as _Sub
from .._ops._util import normalize_dims as _normalize_dims, wrap_dim as _wrap_dim


# ==================================================================================================
# Linear, bilinear, identity-like helpers  (nn core)
# ==================================================================================================

def linear(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """y = x W^T + b, one GEMM over all leading dims of x (weight is (out_features,
    in_features), as in torch)."""
    return _nn.Linear.apply(input, weight, bias)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor,
             bias: Optional[Tensor] = None) -> Tensor:
    """y[..., o] = x1[..., i] W[o, i, j] x2[..., j] + b[o]."""
    s1, s2, sw = input1.shape, input2.shape, weight.shape
    if input1.dim() != input2.dim():
        raise RuntimeError("bilinear(): input dimensions do not match: got "
                           f"{input1.dim()} and {input2.dim()}")
    for i in range(input1.dim() - 1):
        if s1[i] != s2[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: "
                               f"got {s1[i]} and {s2[i]}")
    if s1[-1] != sw[1]:
        raise RuntimeError("bilinear(): input1 size does not match weight size: got "
                           f"{s1[-1]} but expected {sw[1]}")
    if s2[-1] != sw[2]:
        raise RuntimeError("bilinear(): input2 size does not match weight size: got "
                           f"{s2[-1]} but expected {sw[2]}")
    if bias is not None and bias.shape[-1] != sw[0]:
        raise RuntimeError("bilinear(): bias size does not match weight size: got "
                           f"{bias.shape[-1]} but expected {sw[0]}")
    return _nn.Bilinear.apply(input1, input2, weight, bias)



# ==================================================================================================
# Activations  (nn core)
# ==================================================================================================

def _act(input: Tensor, inplace: bool, kernel, *args) -> Tensor:
    """Apply an activation kernel, in place when asked (torch's ``inplace=True``: the input is
    overwritten and returned, its autograd history rebased)."""
    if inplace:
        return _apply_inplace(input, lambda t: kernel.apply(t, *args))
    return kernel.apply(input, *args)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """torch.relu (the op library's kernel): max(x, 0), gradient 0 at 0."""
    from .._ops import relu as _relu
    return _apply_inplace(input, _relu) if inplace else _relu(input)


def relu_(input: Tensor) -> Tensor:
    return relu(input, inplace=True)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _act(input, inplace, _nn.Hardtanh, min_val, max_val)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6): hardtanh on [0, 6] (gradient 0 at both ends, as in torch)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    return _act(input, inplace, _nn.LeakyRelu, negative_slope, inplace)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return leaky_relu(input, negative_slope, inplace=True)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
          training: bool = False, inplace: bool = False) -> Tensor:
    """Randomized leaky ReLU. Training: each x <= 0 gets its own slope r ~ U(lower, upper),
    drawn from torch's stream (one float64 uniform per such element, in C order), and
    out = x * r, dL/dx = g * r. Eval: leaky_relu with slope (lower + upper) / 2."""
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    from .._ops.nn import require_float
    from ..random import _gen, _uniform_values
    x = input._data
    require_float(x, "rrelu_with_noise_out_cpu")
    noise = np.ones(x.shape, dtype=x.dtype)
    negative = x <= 0
    noise[negative] = _uniform_values(_gen(None), int(negative.sum()), np.dtype(np.float64),
                                      lower, upper)
    return _act(input, inplace, _MaskedScale, noise)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
           training: bool = False) -> Tensor:
    return rrelu(input, lower, upper, training, inplace=True)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """Leaky ReLU with a learned slope per channel (dim 1), or one shared slope."""
    n = weight.numel()
    channels = input.shape[1] if input.dim() >= 2 else (input.shape[0] if input.dim() else 1)
    if n != 1 and n != channels:
        raise RuntimeError(
            f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
            f"{n} and channel size = {channels}.")
    return _nn.Prelu.apply(input, weight)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    return _act(input, inplace, _nn.Elu, alpha, 1.0, 1.0, "elu_cpu")


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return elu(input, alpha, inplace=True)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with the self-normalising constants of Klambauer et al."""
    return _act(input, inplace, _nn.Elu, _SELU_ALPHA, _SELU_SCALE, 1.0, "elu_cpu")


def selu_(input: Tensor) -> Tensor:
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _act(input, inplace, _nn.Elu, alpha, 1.0, 1.0 / alpha, "elu_cpu")


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return celu(input, alpha, inplace=True)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _nn.Gelu.apply(input, approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    return _act(input, inplace, _nn.Silu)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    return _act(input, inplace, _nn.Mish)


def sigmoid(input: Tensor) -> Tensor:
    """torch.sigmoid (the op library's kernel)."""
    from .._ops import sigmoid as _sigmoid
    return _sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    """torch.tanh (the op library's kernel)."""
    from .._ops import tanh as _tanh
    return _tanh(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    return _act(input, inplace, _nn.Hardsigmoid)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    return _act(input, inplace, _nn.Hardswish)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    return _nn.Softplus.apply(input, beta, threshold)


def softsign(input: Tensor) -> Tensor:
    return _nn.Softsign.apply(input)


def logsigmoid(input: Tensor) -> Tensor:
    return _nn.LogSigmoid.apply(input)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    return _act(input, inplace, _nn.Threshold, threshold, value)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    return _act(input, True, _nn.Threshold, threshold, value)


def tanhshrink(input: Tensor) -> Tensor:
    return _nn.Tanhshrink.apply(input)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    if lambd < 0:
        top, name = ("3.40282e+38", "Float") if input.dtype.itemsize == 4 else \
            ("1.79769e+308", "Double")
        raise RuntimeError(f"lambda must be in range [0, {top}] for input dtype {name}, but "
                           f"found {lambd:g}")
    return _nn.Softshrink.apply(input, lambd)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    return _nn.Hardshrink.apply(input, lambd)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = _wrap_dim(dim, input.dim())
    if input.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size "
                           f"{input.shape[d]}")
    return _nn.Glu.apply(input, d)


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Interleave the channels of ``groups`` groups: (N, g, C/g, *) -> (N, C/g, g, *)."""
    c = input.shape[1]
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels "
                           f"and {groups} groups.")
    n, rest = input.shape[0], tuple(input.shape[2:])
    grouped = input.reshape((n, groups, c // groups) + rest)
    return grouped.transpose(1, 2).reshape((n, c) + rest)


native_channel_shuffle = channel_shuffle


def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10,
                   dim: int = -1) -> Tensor:
    """softmax((logits + G) / tau) with Gumbel noise G = -log(E), E ~ Exp(1) from torch's
    stream. ``hard``: the one-hot of the argmax in forward, the soft sample's gradient in
    backward (straight-through: y_hard - y_soft.detach() + y_soft)."""
    from .. import _creation
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    noise = _creation.empty_like(logits).exponential_()
    y_soft = _nn.softmax((logits - noise.log()) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = _creation.zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft


def _softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    """torch's legacy choice when ``dim`` is omitted (with its deprecation warning)."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3,
            dtype=None) -> Tensor:
    """exp(x_i) / sum_j exp(x_j) along ``dim``; ``dtype`` casts the input first."""
    if dim is None:
        dim = _softmax_dim("softmax", input.dim(), _stacklevel)
    return _nn.softmax(input, dim, dtype=dtype)


def log_softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3,
                dtype=None) -> Tensor:
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim(), _stacklevel)
    return _nn.log_softmax(input, dim, dtype=dtype)


def softmin(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3,
            dtype=None) -> Tensor:
    """softmax(-x)."""
    if dim is None:
        dim = _softmax_dim("softmin", input.dim(), _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return _nn.softmax(-input, dim)



# ==================================================================================================
# Dropout  (nn core, with masks from minitorch_ref.random)
# ==================================================================================================
# Written by the randomness area: the masks are torch's, drawn by ``minitorch_ref.random``.

class _MaskedScale(ArrayFunction):
    """out = x * mask, with ``mask`` the scaled keep-mask (0 or 1 / (1 - p)), broadcast over
    ``x`` for feature dropout.      dL/dx = g * mask."""

    _backward_name = "MulBackward0"

    @staticmethod
    def forward(ctx, x, mask):
        ctx.mask = mask
        return x * mask

    @staticmethod
    def backward(ctx, g):
        return g * ctx.mask, None


class _AlphaMask(ArrayFunction):
    """out = x * a_mask + shift (alpha dropout: dropped entries go to SELU's negative saturation
    and the result is rescaled to keep mean 0 and variance 1).      dL/dx = g * a_mask."""

    _backward_name = "AddBackward0"

    @staticmethod
    def forward(ctx, x, a_mask, shift):
        ctx.a_mask = a_mask
        return x * a_mask + shift

    @staticmethod
    def backward(ctx, g):
        return g * ctx.a_mask, None, None


_SELU_ALPHA_PRIME = 1.7580993408473766  # -scale * alpha of SELU


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _dropout_impl(input: Tensor, p: float, training: bool, inplace: bool, feature: bool,
                  alpha: bool) -> Tensor:
    """torch's CPU dropout: ``noise = empty(shape).bernoulli_(1 - p)`` with ``shape`` the input's
    (or ``(N, C, 1, ...)`` for feature dropout); then either ``input * noise / (1 - p)`` or, for
    alpha dropout, ``input * (noise * a) + ((noise - 1) * alpha' * a + alpha' * a * p)`` with
    ``a = 1 / sqrt((alpha'**2 * p + 1) * (1 - p))``. Nothing is drawn when ``p`` is 0 or 1, when
    not training, or for an empty input."""
    from ..random import _bernoulli_scalar_fill, _gen, dropout_mask
    if feature and input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if p == 0 or not training or input.numel() == 0:
        return input
    x = input._data
    if p == 1:
        mask = np.zeros((), dtype=x.dtype)
        fn = lambda t: _MaskedScale.apply(t, mask)  # noqa: E731
    else:
        shape = x.shape[:2] + (1,) * (x.ndim - 2) if feature else x.shape
        if not alpha:
            mask = dropout_mask(shape, p, x.dtype)
            fn = lambda t: _MaskedScale.apply(t, mask)  # noqa: E731
        else:
            noise = np.empty(shape, dtype=x.dtype)
            _bernoulli_scalar_fill(noise, 1.0 - p, _gen(None))
            a = 1.0 / math.sqrt((_SELU_ALPHA_PRIME ** 2 * p + 1) * (1 - p))
            dt = x.dtype.type
            shift = (noise - dt(1)) * dt(_SELU_ALPHA_PRIME * a) + dt(_SELU_ALPHA_PRIME * a * p)
            a_mask = noise * dt(a)
            fn = lambda t: _AlphaMask.apply(t, a_mask, shift)  # noqa: E731
    if inplace:
        from .._ops.inplace import apply_inplace
        return apply_inplace(input, fn)
    return fn(input)


def dropout(input: Tensor, p: float = 0.5, training: bool = True,
            inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``."""
    _check_p(p)
    return _dropout_impl(input, p, training, inplace, feature=False, alpha=False)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                  inplace: bool = False) -> Tensor:
    """Dropout for SELU networks: dropped elements take SELU's negative saturation value and an
    affine map keeps zero mean and unit variance."""
    _check_p(p)
    return _dropout_impl(input, p, training, inplace, feature=False, alpha=True)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels (one draw per ``(n, c)``)."""
    _check_p(p)
    return _dropout_impl(input, p, training, inplace, feature=True, alpha=True)


def _unbatched(input: Tensor, fn) -> Tensor:
    """Run a batched feature dropout on an input without batch dim (as torch's unsqueeze(0))."""
    from .._ops import reshape
    out = fn(reshape(input, (1,) + tuple(input.shape)))
    return reshape(out, tuple(input.shape))


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, L) or (C, L) input with probability ``p``."""
    _check_p(p)
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.dim()}D input. Note "
            "that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs).")
    run = lambda t: _dropout_impl(t, p, training, inplace, True, False)  # noqa: E731
    if input.dim() == 2:
        if inplace:
            # torch unsqueezes in place; the (1, C, 1) mask broadcasts the same way on (C, L)
            return _dropout_feature_unbatched_inplace(input, p, training)
        return _unbatched(input, run)
    return run(input)


def _dropout_feature_unbatched_inplace(input: Tensor, p: float, training: bool) -> Tensor:
    from .._ops.inplace import apply_inplace
    if p == 0 or not training or input.numel() == 0:
        return input
    from ..random import dropout_mask
    x = input._data
    mask = np.zeros((), x.dtype) if p == 1 else \
        dropout_mask((1,) + x.shape[:1] + (1,) * (x.ndim - 1), p, x.dtype)[0]
    return apply_inplace(input, lambda t: _MaskedScale.apply(t, mask))


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, H, W) input. As in torch, 3-D input is treated as
    (N, C, L) (with a warning), not as an unbatched (C, H, W)."""
    _check_p(p)
    dim = input.dim()
    if dim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {dim}-D input to dropout2d, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            "warning, please use dropout instead. Note that dropout2d exists to provide "
            "channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and "
            "an optional batch dimension (i.e. 3D or 4D inputs).", stacklevel=2)
    if dim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2)
    return _dropout_impl(input, p, training, inplace, feature=True, alpha=False)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input."""
    _check_p(p)
    dim = input.dim()
    if dim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {dim}-D input to dropout3d, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            "warning, please use dropout instead. Note that dropout3d exists to provide "
            "channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and "
            "an optional batch dimension (i.e. 4D or 5D inputs).", stacklevel=2)
    run = lambda t: _dropout_impl(t, p, training, inplace, True, False)  # noqa: E731
    if dim != 5:
        if inplace:
            return _dropout_feature_unbatched_inplace(input, p, training)
        return _unbatched(input, run)
    return run(input)



# ==================================================================================================
# Normalization: batch_norm, layer_norm, group_norm, instance_norm, normalize  (nn core)
# ==================================================================================================

def _check_features(name: str, expected: int, t: Optional[Tensor]) -> None:
    if t is not None and t.numel() != expected:
        raise RuntimeError(f"{name} should contain {expected} elements not {t.numel()}")


def _check_same_dtype(input: Tensor, *others: Optional[Tensor]) -> None:
    for t in others:
        if t is not None and t._data.dtype != input._data.dtype:
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def _update_running(running: Tensor, batch_stat: np.ndarray, momentum: float) -> None:
    """running <- (1 - momentum) * running + momentum * batch_stat, in place (no autograd;
    the buffer object, and any state_dict entry sharing it, sees the change)."""
    r = running._data
    np.multiply(r, 1 - momentum, out=r, casting="unsafe")
    np.add(r, momentum * batch_stat.astype(r.dtype, copy=False), out=r, casting="unsafe")
    running._bump_version()


def _affine_shape(input: Tensor) -> tuple:
    """(C, 1, 1, ...): a per-channel tensor broadcast against (N, C, *)."""
    return (input.shape[1],) + (1,) * (input.dim() - 2)


def batch_norm(input: Tensor, running_mean: Optional[Tensor], running_var: Optional[Tensor],
               weight: Optional[Tensor] = None, bias: Optional[Tensor] = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalize each channel (dim 1) with statistics over the batch and spatial dims.

    training: batch mean and biased variance normalize; the running estimates (when given)
    move towards the batch mean and the *unbiased* variance: r <- (1 - m) r + m * stat.
    eval: the running estimates normalize."""
    if input.dim() < 2:
        raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")
    channels = input.shape[1]
    if training:
        n = input.shape[0]
        for s in input.shape[2:]:
            n *= s
        if n == 1:
            raise ValueError("Expected more than 1 value per channel when training, got "
                             f"input size {input.shape}")
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    if eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    _check_features("running_mean", channels, running_mean)
    if running_mean is None and not training:
        raise RuntimeError("running_mean must be defined in evaluation mode")
    _check_features("running_var", channels, running_var)
    if running_var is None and not training:
        raise RuntimeError("running_var must be defined in evaluation mode")
    _check_features("weight", channels, weight)
    _check_features("bias", channels, bias)
    _check_same_dtype(input, weight, bias, running_mean, running_var)
    shape = _affine_shape(input)
    if not training:
        return _nn.NormalizeWithStats.apply(input, weight, bias, running_mean._data,
                                            running_var._data, shape, eps)
    axes = (0,) + tuple(range(2, input.dim()))
    out, mean, var = _nn.Normalize.apply(input, weight, bias, None, axes, shape, eps)
    if running_mean is not None or running_var is not None:
        n = input.numel() // channels
        if running_mean is not None:
            _update_running(running_mean, mean._data.reshape(-1), momentum)
        if running_var is not None:
            _update_running(running_var, var._data.reshape(-1) * (n / (n - 1)), momentum)
    return out


def instance_norm(input: Tensor, running_mean: Optional[Tensor] = None,
                  running_var: Optional[Tensor] = None, weight: Optional[Tensor] = None,
                  bias: Optional[Tensor] = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalize each (sample, channel) slice over its spatial dims. With running estimates,
    they move towards the batch average of the per-instance mean and unbiased variance."""
    if use_input_stats:
        spatial = 1
        for s in input.shape[2:]:
            spatial *= s
        if spatial == 1:
            raise ValueError("Expected more than 1 spatial element when training, got input "
                             f"size {input.shape}")
    channels = input.shape[1]
    _check_features("weight", channels, weight)
    _check_features("bias", channels, bias)
    _check_same_dtype(input, weight, bias, running_mean, running_var)
    shape = _affine_shape(input)
    if not use_input_stats:
        if running_mean is None or running_var is None:
            raise RuntimeError("Expected running_mean and running_var to be defined when "
                               "use_input_stats is false")
        return _nn.InstanceNormalizeWithStats.apply(input, weight, bias, running_mean._data,
                                            running_var._data, shape, eps)
    axes = tuple(range(2, input.dim()))
    out, mean, var = _nn.InstanceNormalize.apply(input, weight, bias, None, axes, shape, eps)
    n = input.numel() // (input.shape[0] * channels)
    if running_mean is not None:
        _check_features("running_mean", channels, running_mean)
        _update_running(running_mean, mean._data.reshape(input.shape[0], -1).mean(0),
                        momentum)
    if running_var is not None:
        _check_features("running_var", channels, running_var)
        unbiased = var._data.reshape(input.shape[0], -1) * (n / (n - 1))
        _update_running(running_var, unbiased.mean(0), momentum)
    return out


def _normalized_shape(normalized_shape, fname: str) -> tuple:
    if not isinstance(normalized_shape, (tuple, list)):
        raise TypeError(f"{fname}(): argument 'normalized_shape' (position 2) must be tuple of "
                        f"ints, not {type(normalized_shape).__name__}")
    return tuple(int(s) for s in normalized_shape)


def _check_normalized(input: Tensor, shape: tuple, weight, bias, sep: str = ", ") -> None:
    """torch's shape checks of layer_norm / rms_norm (rms_norm's message writes ``[*4]`` where
    layer_norm's writes ``[*, 4]``: ``sep`` reproduces each)."""
    k = len(shape)
    dims = ", ".join(map(str, shape))
    if input.dim() < k or tuple(input.shape[input.dim() - k:]) != shape:
        raise RuntimeError(
            f"Given normalized_shape=[{dims}], expected input with shape [*{sep}{dims}], but "
            f"got input of size{list(input.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                f"shape [{', '.join(map(str, t.shape))}] and normalized_shape = "
                f"[{', '.join(map(str, shape))}]")


def layer_norm(input: Tensor, normalized_shape, weight: Optional[Tensor] = None,
               bias: Optional[Tensor] = None, eps: float = 1e-5) -> Tensor:
    """Normalize over the trailing ``normalized_shape`` dims of each sample, then an
    elementwise affine map of that shape."""
    shape = _normalized_shape(normalized_shape, "layer_norm")
    _check_normalized(input, shape, weight, bias)
    _check_same_dtype(input, weight, bias)
    axes = tuple(range(input.dim() - len(shape), input.dim()))
    return _nn.LayerNormalize.apply(input, weight, bias, None, axes, shape, eps)[0]


def group_norm(input: Tensor, num_groups: int, weight: Optional[Tensor] = None,
               bias: Optional[Tensor] = None, eps: float = 1e-5) -> Tensor:
    """Split the channels into ``num_groups`` groups; normalize each (sample, group) over its
    channels and spatial dims; then a per-channel affine map."""
    if input.dim() < 2:
        raise RuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input "
            f"of shape {list(input.shape)} and num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            raise RuntimeError(
                f"Expected {name} to be a vector of size equal to the number of channels in "
                f"input, but got {name} of shape {list(t.shape)} and input of shape "
                f"{list(input.shape)}")
    _check_same_dtype(input, weight, bias)
    return _nn.GroupNormalize.apply(input, weight, bias, (n, num_groups, -1), (2,),
                                    _affine_shape(input), eps)[0]


def rms_norm(input: Tensor, normalized_shape, weight: Optional[Tensor] = None,
             eps: Optional[float] = None) -> Tensor:
    """x / sqrt(mean(x^2) + eps) * weight over the trailing dims; eps defaults to the dtype's
    machine epsilon, as in torch."""
    shape = _normalized_shape(normalized_shape, "rms_norm")
    _check_normalized(input, shape, weight, None, sep="")
    if eps is None:
        eps = float(np.finfo(input._data.dtype).eps)
    axes = tuple(range(input.dim() - len(shape), input.dim()))
    return _nn.RmsNorm.apply(input, weight, axes, eps)


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
    return _nn.LocalResponseNorm.apply(input, size, alpha, beta, k)


def _vector_norm(input: Tensor, p: float, dim, keepdim: bool) -> Tensor:
    dims = _normalize_dims(dim, input.dim())
    return _nn.VectorNorm.apply(input, float(p), dims, keepdim)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Optional[Tensor] = None) -> Tensor:
    """x / max(||x||_p, eps) along ``dim``."""
    from .._ops import clamp_min
    denom = clamp_min(_vector_norm(input, p, dim, True), eps)
    result = _Div.apply(input, denom, None)
    if out is not None:
        out.copy_(result)
        return out
    return result



# ==================================================================================================
# Sparse: embedding, one_hot  (nn core)
# ==================================================================================================

def _embedding_renorm_(weight: Tensor, indices: np.ndarray, max_norm: float,
                       norm_type: float) -> None:
    """Rescale, in place, every looked-up row whose ``norm_type``-norm exceeds ``max_norm`` to
    norm ``max_norm`` (torch's scale: max_norm / (norm + 1e-7))."""
    rows = np.unique(indices)
    w = weight._data
    sel = w[rows]
    if norm_type == math.inf:
        norms = np.abs(sel).max(axis=1)
    else:
        norms = (np.abs(sel) ** norm_type).sum(axis=1) ** (1.0 / norm_type)
    big = norms > max_norm
    if np.any(big):
        scale = (max_norm / (norms[big] + 1e-7)).astype(w.dtype)
        w[rows[big]] = sel[big] * scale[:, None]
        weight._bump_version()


def _padding_index(padding_idx: Optional[int], num_embeddings: int, name: str) -> Optional[int]:
    """``padding_idx`` checked against ``num_embeddings`` and made non-negative (-1 is the last
    row). ``name`` is how torch spells it in the error: Embedding and EmbeddingBag differ."""
    if padding_idx is None:
        return None
    if padding_idx < -num_embeddings or 0 < padding_idx >= num_embeddings:  # 0 always passes
        raise AssertionError(f"{name} must be within num_embeddings")
    return padding_idx + num_embeddings if padding_idx < 0 else padding_idx


def embedding(input: Tensor, weight: Tensor, padding_idx: Optional[int] = None,
              max_norm: Optional[float] = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of ``weight`` looked up by the integer tensor ``input``; the ``padding_idx`` row
    receives no gradient; with ``max_norm``, looked-up rows are first renormalised in place."""
    padding_idx = _padding_index(padding_idx, weight.shape[0], "Padding_idx")
    if sparse:
        raise NotImplementedError("sparse gradients (sparse=True) are not implemented in "
                                  "minitorch_ref; use sparse=False")
    idx = input._data
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {input.type()} instead (while checking arguments for "
            "embedding)")
    if idx.size and (idx.min() < 0 or idx.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _embedding_renorm_(weight, idx, max_norm, norm_type)
    return _nn.Embedding.apply(weight, idx, padding_idx, scale_grad_by_freq)


def embedding_bag(input: Tensor, weight: Tensor, offsets: Optional[Tensor] = None,
                  max_norm: Optional[float] = None, norm_type: float = 2,
                  scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Optional[Tensor] = None,
                  include_last_offset: bool = False,
                  padding_idx: Optional[int] = None) -> Tensor:
    """Sums, means or maxima of bags of embedding rows, without materialising the lookups'
    intermediate (B, N, D) tensor. 2-D ``input``: one bag per row; 1-D ``input``: bags start at
    ``offsets`` (with ``include_last_offset``, the last offset is the end of the last bag)."""
    if per_sample_weights is not None and tuple(input.shape) != tuple(per_sample_weights.shape):
        raise ValueError(
            f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, "
            f"then it must have the same shape as the input ({input.shape})")
    if weight.dim() != 2:
        raise ValueError(
            f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    idx = input._data
    psw = None if per_sample_weights is None else per_sample_weights
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a "
                "mini-batch of fixed length sequences. However, found offsets of type "
                f"{type(offsets)}".replace("minitorch_ref._tensor", "torch"))
        b, n = idx.shape
        starts = np.arange(0, b * n, n) if n else np.zeros(b, dtype=np.int64)
        ends = starts + n
        idx = idx.reshape(-1)
        if psw is not None:
            psw = psw.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        off = offsets._data.astype(np.int64)
        if off.size and off[0] != 0:
            raise RuntimeError(
                "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to "
                f"start from position 0. However, got {off[0]}")
        if off.size and off[-1] > len(idx):
            raise RuntimeError(f"offsets[-1] can not be greater than input's length {len(idx)} "
                               f"but got offsets[-1] of {off[-1]}")
        if np.any(np.diff(off) < 0):
            raise RuntimeError("offsets must be non-decreasing (each bag starts where the "
                               "previous one ends or later)")
        if include_last_offset:
            starts, ends = off[:-1], off[1:]
        else:
            starts, ends = off, np.append(off[1:], len(idx))
    else:
        raise ValueError(
            f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    if mode == "max":
        if scale_grad_by_freq:
            raise ValueError("max mode does not support scaling the gradient by the frequency")
        if sparse:
            raise ValueError("max mode does not support sparse weights")
    elif mode not in ("sum", "mean"):
        raise ValueError("mode has to be one of sum, mean or max")
    if max_norm is not None:
        _embedding_renorm_(weight, idx, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
            "GitHub.")
    if sparse:
        raise NotImplementedError("sparse gradients (sparse=True) are not implemented in "
                                  "minitorch_ref; use sparse=False")
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got {input.type()} instead "
                           "(while checking arguments for embedding_bag)")
    bad = np.nonzero((idx < 0) | (idx >= weight.shape[0]))[0]
    if bad.size:
        raise RuntimeError(f"Index {bad[0]} of input takes value {idx[bad[0]]} which is not in "
                           f"the valid range [0, {weight.shape[0]})")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += weight.shape[0]
    return _nn.EmbeddingBag.apply(weight, idx.astype(np.int64), starts.astype(np.int64),
                                  ends.astype(np.int64), mode, psw, padding_idx,
                                  scale_grad_by_freq)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 tensor of shape (*, num_classes) with a 1 at each index; ``num_classes=-1``
    infers max + 1."""
    idx = tensor._data
    if idx.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        if idx.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(idx.max()) + 1
    if idx.size:
        if idx.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if idx.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    out = np.zeros(idx.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, idx[..., None], 1, axis=-1)
    return _new_tensor(out)



# ==================================================================================================
# Distances: cosine_similarity, pairwise_distance  (nn core)
# ==================================================================================================

def _broadcast_check(x1: Tensor, x2: Tensor) -> tuple:
    from .._ops._util import broadcast_shapes_or_raise
    return broadcast_shapes_or_raise(tuple(x1.shape), tuple(x2.shape))


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """<x1, x2> / (max(||x1||, eps) * max(||x2||, eps)) along ``dim`` (inputs broadcast)."""
    shape = _broadcast_check(x1, x2)
    d = _wrap_dim(dim, len(shape))
    return _nn.CosineSimilarity.apply(x1, x2, d, eps)


def pdist(input: Tensor, p: float = 2.0) -> Tensor:
    """||x_i - x_j||_p for every pair of rows i < j, in row-major pair order
    (N (N - 1) / 2 values)."""
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if not input.is_floating_point():
        raise RuntimeError("pdist only supports floating-point dtypes")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    i, j = np.triu_indices(input.shape[0], k=1)
    diff = _Sub.apply(input[i], input[j], 1)
    return _nn.VectorNorm.apply(diff, float(p), (1,), False)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p over the last dim."""
    shape = _broadcast_check(x1, x2)
    diff = _Add.apply(_Sub.apply(x1, x2, 1), eps, 1)
    return _nn.VectorNorm.apply(diff, float(p), (max(len(shape) - 1, 0),), keepdim)



# ==================================================================================================
# Convolution: conv1d, conv2d, conv_transpose1d, conv_transpose2d, unfold, fold  (convolution)
# ==================================================================================================

from .._ops import conv as _conv  # noqa: E402


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """1-D cross-correlation over ``(N, C, L)`` or unbatched ``(C, L)`` input; ``padding`` may
    be ``'same'`` or ``'valid'``. See :class:`minitorch_ref._ops.conv.Convolution`."""
    return _conv.conv(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """2-D cross-correlation over ``(N, C, H, W)`` or unbatched ``(C, H, W)`` input."""
    return _conv.conv(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """3-D cross-correlation over ``(N, C, D, H, W)`` or unbatched ``(C, D, H, W)`` input."""
    return _conv.conv(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1,
                     padding=0, output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """1-D transposed convolution (the input-gradient of ``conv1d``); weight ``(C, O/G, k)``."""
    return _conv.conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                                dilation, 1, "conv_transpose1d")


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1,
                     padding=0, output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """2-D transposed convolution (the input-gradient of ``conv2d``); weight
    ``(C, O/G, kh, kw)``."""
    return _conv.conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                                dilation, 2, "conv_transpose2d")


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1,
                     padding=0, output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """3-D transposed convolution (the input-gradient of ``conv3d``)."""
    return _conv.conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                                dilation, 3, "conv_transpose3d")


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sliding local blocks of a ``(N, C, H, W)`` input as ``(N, C*kh*kw, L)`` columns (im2col)."""
    return _conv.unfold(input, kernel_size, dilation, padding, stride)


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sum ``(N, C*kh*kw, L)`` columns back into a ``(N, C, *output_size)`` image (col2im)."""
    return _conv.fold(input, output_size, kernel_size, dilation, padding, stride)



# ==================================================================================================
# Pooling: max/avg pools, adaptive pools  (convolution)
# ==================================================================================================

from .._ops import pooling as _pool  # noqa: E402


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False):
    """Max over sliding windows of the last dim; with ``return_indices`` also the position of
    each max (torch's scan: first maximum, NaN wins)."""
    return _pool.max_pool(input, kernel_size, stride, padding, dilation, ceil_mode,
                          return_indices, 1)


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False):
    """Max over sliding windows of the last two dims; indices are flat ``h * W + w``."""
    return _pool.max_pool(input, kernel_size, stride, padding, dilation, ceil_mode,
                          return_indices, 2)




def max_pool3d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False):
    """Max over sliding windows of the last three dims; indices are flat ``(t*H + h)*W + w``."""
    return _pool.max_pool(input, kernel_size, stride, padding, dilation, ceil_mode,
                          return_indices, 3)


max_pool1d_with_indices = max_pool1d
max_pool2d_with_indices = max_pool2d
max_pool3d_with_indices = max_pool3d


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """Mean over sliding windows of the last dim (zero padding, counted unless
    ``count_include_pad=False``)."""
    return _pool.avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                          None, 1)


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """Mean over sliding windows of the last two dims; ``divisor_override`` replaces the count."""
    return _pool.avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                          divisor_override, 2)


def avg_pool3d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """Mean over sliding windows of the last three dims."""
    return _pool.avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                          divisor_override, 3)


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """Mean over ``output_size`` windows ``[floor(i*L/o), ceil((i+1)*L/o))`` of the last dim."""
    return _pool.adaptive_avg_pool(input, output_size, 1)


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Adaptive mean over the last two dims (``None`` in ``output_size`` keeps that size)."""
    return _pool.adaptive_avg_pool(input, output_size, 2)


def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    """Adaptive mean over the last three dims."""
    return _pool.adaptive_avg_pool(input, output_size, 3)


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    """Max over adaptive windows of the last dim, optionally with indices."""
    return _pool.adaptive_max_pool(input, output_size, return_indices, 1)


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """Max over adaptive windows of the last two dims, optionally with flat indices."""
    return _pool.adaptive_max_pool(input, output_size, return_indices, 2)


def adaptive_max_pool3d(input: Tensor, output_size, return_indices: bool = False):
    """Max over adaptive windows of the last three dims, optionally with flat indices."""
    return _pool.adaptive_max_pool(input, output_size, return_indices, 3)


adaptive_max_pool1d_with_indices = adaptive_max_pool1d
adaptive_max_pool2d_with_indices = adaptive_max_pool2d
adaptive_max_pool3d_with_indices = adaptive_max_pool3d


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:
    """Partial inverse of ``max_pool1d``: values go back to their indices, zeros elsewhere."""
    return _pool.max_unpool(input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:
    """Partial inverse of ``max_pool2d``: values go back to their flat indices, zeros
    elsewhere."""
    return _pool.max_unpool(input, indices, kernel_size, stride, padding, output_size, 2)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size, stride=None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling ``(sum_window x**p) ** (1/p)`` over the last dim."""
    return _pool.lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size, stride=None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling ``(sum_window x**p) ** (1/p)`` over the last two dims."""
    return _pool.lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(input: Tensor, norm_type: float, kernel_size, stride=None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling ``(sum_window x**p) ** (1/p)`` over the last three dims."""
    return _pool.lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3)



# ==================================================================================================
# Padding, interpolation, upsampling, affine_grid, grid_sample  (convolution)
# ==================================================================================================

from .._ops import sampling as _sampling  # noqa: E402


def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad (or, with negative amounts, crop) the last ``len(pad) // 2`` dims; ``pad`` lists
    ``(left, right)`` pairs starting from the last dim. Modes: ``'constant'`` (any dims),
    ``'reflect'``, ``'replicate'``, ``'circular'`` (1 to 3 dims of a batched/unbatched input)."""
    return _sampling.pad(input, pad, mode, value)


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resample the spatial dims to ``size`` or by ``scale_factor``. Modes: ``'nearest'``,
    ``'nearest-exact'``, ``'linear'``, ``'bilinear'``, ``'trilinear'``, ``'bicubic'``,
    ``'area'``; torch's index arithmetic (see ``_ops/sampling.py``)."""
    return _sampling.interpolate(input, size, scale_factor, mode, align_corners,
                                 recompute_scale_factor, antialias)


def upsample(input: Tensor, size=None, scale_factor=None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated alias of :func:`interpolate`."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Deprecated: ``interpolate(..., mode='nearest')``."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Deprecated: ``interpolate(..., mode='bilinear', align_corners=True)``."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear",
                padding_mode: str = "zeros", align_corners: bool | None = None) -> Tensor:
    """Sample ``input`` ``(N, C, H, W)`` at the normalised points ``grid`` ``(N, Ho, Wo, 2)``
    (``mode`` ``'bilinear'``/``'nearest'``; ``padding_mode`` ``'zeros'``/``'border'``/
    ``'reflection'``); differentiable in both input and grid."""
    return _sampling.grid_sample(input, grid, mode, padding_mode, align_corners)


def affine_grid(theta: Tensor, size, align_corners: bool | None = None) -> Tensor:
    """Sampling grid ``(N, H, W, 2)`` (or ``(N, D, H, W, 3)``) of the affine maps ``theta``
    ``(N, 2, 3)`` (``(N, 3, 4)``) for an output of ``size``; differentiable in ``theta``."""
    return _sampling.affine_grid(theta, size, align_corners)


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """``(*, C*r^2, H, W) -> (*, C, H*r, W*r)``."""
    return _sampling.pixel_shuffle(input, upscale_factor)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """``(*, C, H*r, W*r) -> (*, C*r^2, H, W)``."""
    return _sampling.pixel_unshuffle(input, downscale_factor)



# ==================================================================================================
# Losses  (losses)
# ==================================================================================================
#
# Each function validates its arguments as torch does (same exception types and messages, the same
# warnings) and calls one fused kernel from ``minitorch_ref/_ops/loss.py``, where the formula and
# its derivative sit side by side. The legacy ``size_average``/``reduce`` flags map onto
# ``reduction`` through ``nn._reduction``.

from typing import Callable  # noqa: E402

from . import _reduction as _Reduction  # noqa: E402
from .._ops import loss as _loss_ops  # noqa: E402
from .._ops._util import broadcast_shapes_or_raise as _broadcast_shapes  # noqa: E402


def _loss_type_name(t: Tensor) -> str:
    """torch's scalar type name of a tensor's dtype (Float, Double, Long, ...)."""
    from .._tensor import _type_name as name
    return name(t._data.dtype)


def _loss_dims(shape) -> str:
    return ", ".join(str(s) for s in shape)


def _check_no_grad(t, arg: str, fn: str) -> None:
    """torch's error for an argument that its fused kernel does not differentiate."""
    if t is None or not t.requires_grad:  # the common case: no import on every loss call
        return
    from ..autograd.grad_mode import _state
    if _state.enabled:
        raise RuntimeError(
            f"The function '{fn}' is not differentiable with respect to argument '{arg}'. This "
            "input cannot have requires_grad True.")


def _warn_size_mismatch(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        import warnings
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size "
            f"({input.size()}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.", stacklevel=3)


def _loss_broadcast(*tensors) -> tuple:
    return _broadcast_shapes(*(tuple(t.shape) for t in tensors))


def _expand_weight(weight: Tensor, target: Tensor) -> tuple:
    """The shape ``torch.broadcast_shapes(target.size(), weight.size())`` gives, with its
    RuntimeError when the two do not broadcast."""
    ts, ws = tuple(target.shape), tuple(weight.shape)
    try:
        return np.broadcast_shapes(ts, ws)
    except ValueError:
        pass
    for i in range(1, len(ws) + 1):
        t = ts[-i] if i <= len(ts) else 1
        if ws[-i] != t and ws[-i] != 1 and t != 1:
            raise RuntimeError(
                f"Attempting to broadcast a dimension of length {ws[-i]} at {-i}! Mismatching "
                f"argument at index 1 had {weight.size()}; but expected shape should be "
                f"broadcastable to [{_loss_dims(ts)}]")
    raise RuntimeError(f"shapes [{_loss_dims(ts)}] and [{_loss_dims(ws)}] cannot be broadcast")


def _weighted_reduction(loss: Tensor, weight: Tensor, input: Tensor, reduction: str,
                        weighted_mean: bool = True) -> Tensor:
    """torch 2.13's optional ``weight`` of l1/mse/huber: an element-wise weight of input's shape.
    'mean' is the weighted mean sum(w l) / sum(w) for l1 and mse, but the plain mean of w l for
    huber (torch's choice, kept)."""
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    weighted = loss * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean":
        return weighted.sum() / weight.sum() if weighted_mean else weighted.mean()
    raise ValueError(
        f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def _integral(*tensors) -> bool:
    """True when no operand is floating: torch then errors or computes in the default dtype."""
    return not any(t.is_floating_point() for t in tensors if isinstance(t, Tensor))


def _as_default_float(t: Tensor) -> Tensor:
    from .._dtype import get_default_dtype
    return t if t.is_floating_point() else t.to(get_default_dtype())


def _mean_of_integers_error(t: Tensor) -> RuntimeError:
    return RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                        f"floating point or complex dtype. Got: {_loss_type_name(t)}")


def _cpp_float(v: float) -> str:
    """A double as C++ streams print it in torch's messages (1.5, 2, 1e-07)."""
    return f"{v:g}"


def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
            reduce: bool | None = None, reduction: str = "mean",
            weight: Tensor | None = None) -> Tensor:
    """Mean absolute error:  l = |x - y|  (see ``nn.L1Loss``)."""
    _warn_size_mismatch(input, target)
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
    _loss_broadcast(input, target)
    K = _loss_ops
    if weight is not None:
        return _weighted_reduction(K.L1Loss.apply(input, target, "none"), weight, input,
                                   reduction)
    reduction = _Reduction.resolve(None, None, reduction)
    if reduction == "mean" and _integral(input, target):
        raise _mean_of_integers_error(input)
    return _l1_kernel(reduction).apply(input, target, reduction)


def _l1_kernel(reduction: str):
    # torch composes |x - y| and the reduction: record the grad_fn names it prints
    return _loss_ops.named(_loss_ops.L1Loss, _loss_ops.reduction_node(reduction, "AbsBackward0"))


def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
             reduce: bool | None = None, reduction: str = "mean",
             weight: Tensor | None = None) -> Tensor:
    """Mean squared error:  l = (x - y)^2  (see ``nn.MSELoss``)."""
    _warn_size_mismatch(input, target)
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
    _loss_broadcast(input, target)
    if not input.is_floating_point() and not target.is_floating_point():
        raise NotImplementedError(f"\"mse_cpu\" not implemented for '{_loss_type_name(input)}'")
    K = _loss_ops
    if weight is not None:
        return _weighted_reduction(K.MSELoss.apply(input, target, "none"), weight, input,
                                   reduction)
    return K.MSELoss.apply(input, target, _Reduction.resolve(None, None, reduction))


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """Huber loss: quadratic for |x - y| < delta, linear beyond (see ``nn.HuberLoss``)."""
    _warn_size_mismatch(input, target)
    _loss_broadcast(input, target)
    K = _loss_ops
    if weight is None:
        reduction = _Reduction.resolve(None, None, reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if _integral(input, target):
        raise NotImplementedError(f"\"huber_cpu\" not implemented for '{_loss_type_name(input)}'")
    if weight is not None:
        return _weighted_reduction(K.HuberLoss.apply(input, target, "none", delta), weight,
                                   input, reduction, weighted_mean=False)
    return K.HuberLoss.apply(input, target, reduction, delta)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                   reduce: bool | None = None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """Smooth L1: quadratic (divided by beta) for |x - y| < beta, linear beyond; beta = 0 is
    exactly ``l1_loss`` (see ``nn.SmoothL1Loss``)."""
    _warn_size_mismatch(input, target)
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    _loss_broadcast(input, target)
    K = _loss_ops
    if beta == 0.0:
        if reduction == "mean" and _integral(input, target):
            raise _mean_of_integers_error(input)
        return _l1_kernel(reduction).apply(input, target, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if _integral(input, target):
        raise NotImplementedError(
            f"\"smooth_l1_cpu\" not implemented for '{_loss_type_name(input)}'")
    return K.SmoothL1Loss.apply(input, target, reduction, beta)


def _nll_checks(input: Tensor, target: Tensor, weight: Tensor | None) -> tuple:
    """torch's nll_loss_nd validation, in torch's order. Returns (class axis, output shape of
    reduction='none')."""
    xs, ts = input._data.shape, target._data.shape  # plain tuples: called on every loss
    nd, td = len(xs), len(ts)
    if nd < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {nd})")
    if nd != 1 and xs[0] != (ts[0] if td else 0):
        raise ValueError(f"Expected input batch_size ({xs[0]}) to match target "
                         f"batch_size ({ts[0] if td else 0}).")

    def check_dtype():
        if target.dtype.name not in ("int64", "uint8"):
            raise RuntimeError(
                f"expected target dtype to be Long or Byte, but got {_loss_type_name(target)}")

    n_classes = xs[0] if nd == 1 else xs[1]
    if nd <= 2:
        if td > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        check_dtype()
        if nd == 1 and td == 1 and ts[0] != 1:
            raise ValueError("For 1D input, 1D target must have size 1, but got target size: "
                             f"{ts[0]}")
        if weight is not None and (weight.ndim != 1 or weight.numel() != n_classes):
            raise RuntimeError(
                f"weight tensor should be defined either for all {n_classes} classes or no "
                f"classes but got weight tensor of shape: [{_loss_dims(weight.shape)}]")
        out_shape = () if nd == 1 else ts
    else:
        if nd != 4 and ts[1:] != xs[2:]:
            expected = (xs[0],) + xs[2:]
            raise RuntimeError(f"Expected target size [{_loss_dims(expected)}], got "
                               f"[{_loss_dims(ts)}]")
        if nd == 4 and td != 3:
            raise RuntimeError("only batches of spatial targets supported (3D tensors) but got "
                               f"targets of dimension: {td}")
        check_dtype()
        if weight is not None and weight.numel() != n_classes:
            raise RuntimeError("weight tensor should be defined either for all or no classes")
        if nd == 4 and ts != (xs[0],) + xs[2:]:
            raise RuntimeError(f"size mismatch (got input: [{_loss_dims(xs)}] , target: "
                               f"[{_loss_dims(ts)}]")
        out_shape = ts
    if weight is not None and weight.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {_loss_type_name(input)} but found "
                           f"{_loss_type_name(weight)}")
    return (0 if nd == 1 else 1), out_shape


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
             size_average: bool | None = None, ignore_index: int = -100,
             reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of class indices under log-probabilities (see ``nn.NLLLoss``)."""
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    axis, out_shape = _nll_checks(input, target, weight)
    _check_no_grad(weight, "weight", "nll_loss_forward")
    t = target if target.shape == out_shape else target.reshape(out_shape)
    K = _loss_ops
    kernel = K.named(K.NLLLoss, _nll_node(input, reduction))
    return kernel.apply(input, t, None if weight is None else weight.reshape(-1), ignore_index,
                        reduction, axis)


def _nll_node(input: Tensor, reduction: str) -> str:
    """torch's grad_fn of nll_loss: the 1-D/2-D kernel, the 2-D spatial kernel for 4-D input,
    and a view of the spatial kernel's result for 3-D and 5-D+ input with reduction='none'."""
    if input.ndim <= 2:
        return "NllLossBackward0"
    if input.ndim != 4 and reduction == "none":
        return "ViewBackward0"
    return "NllLoss2DBackward0"


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average: bool | None = None, ignore_index: int = -100,
                  reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy of logits, log-softmax fused in: class indices or class probabilities as
    target, class weights, ignore_index, label smoothing (see ``nn.CrossEntropyLoss``)."""
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    K = _loss_ops
    if input._data.shape == target._data.shape:  # same shape: the target holds probabilities
        if not target.is_floating_point():
            raise RuntimeError("Expected floating point type for target with class "
                               f"probabilities, got {_loss_type_name(target)}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if input.ndim == 0:
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        axis = 0 if input.ndim == 1 else 1
        n_classes = input.shape[axis]
        if weight is not None and (weight.ndim != 1 or weight.numel() != n_classes):
            raise RuntimeError(
                f"cross_entropy: weight tensor should be defined either for all {n_classes} "
                "classes or no classes but got weight tensor of shape: "
                f"[{_loss_dims(weight.shape)}]")
        if label_smoothing > 1.0:
            raise RuntimeError("label_smoothing must be between 0.0 and 1.0. Got: "
                               f"{_cpp_float(label_smoothing)}")
        node = "DivBackward1" if reduction == "mean" else "NegBackward0"
        return K.named(K.CrossEntropy, node).apply(input, target, weight, ignore_index, reduction,
                                                   max(label_smoothing, 0.0), axis)
    if label_smoothing > 1.0:
        raise RuntimeError("label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{_cpp_float(label_smoothing)}")
    if not input.is_floating_point():
        raise NotImplementedError(
            f"\"log_softmax_lastdim_kernel_impl\" not implemented for '{_loss_type_name(input)}'")
    axis, out_shape = _nll_checks(input, target, weight)
    _check_no_grad(weight, "weight", "nll_loss_forward")
    t = target if target._data.shape == out_shape else target.reshape(out_shape)
    # torch: nll_loss(log_softmax(x)), plus an addition when smoothing
    node = "AddBackward0" if label_smoothing > 0 else _nll_node(input, reduction)
    return K.named(K.CrossEntropy, node).apply(
        input, t, None if weight is None else weight.reshape(-1), ignore_index, reduction,
        max(label_smoothing, 0.0), axis)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of probabilities, logs clamped at -100 (see ``nn.BCELoss``)."""
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.size()}) that is different to the input size "
            f"({input.size()}) is deprecated. Please ensure they have the same size.")
    if weight is not None:
        shape = _expand_weight(weight, target)
        if shape != tuple(input.shape):
            raise RuntimeError(f"output with shape [{_loss_dims(input.shape)}] doesn't match the "
                               f"broadcast shape [{_loss_dims(shape)}]")
    if target.dtype != input.dtype:
        raise RuntimeError(f"Found dtype {_loss_type_name(target)} but expected "
                           f"{_loss_type_name(input)}")
    x, y = input._data, target._data
    if not np.all((x >= 0) & (x <= 1)):
        raise RuntimeError("all elements of input should be between 0 and 1")
    if not np.all((y >= 0) & (y <= 1)):
        raise RuntimeError("all elements of target should be between 0 and 1")
    _check_no_grad(weight, "weight", "binary_cross_entropy")
    w = None if weight is None else weight._data.astype(x.dtype, copy=False)
    return _loss_ops.BinaryCrossEntropy.apply(input, target, w, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,
                                     weight: Tensor | None = None,
                                     size_average: bool | None = None,
                                     reduce: bool | None = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """Binary cross-entropy of logits in the overflow-free form, with per-element ``weight`` and
    per-class ``pos_weight`` broadcast over the target (see ``nn.BCEWithLogitsLoss``)."""
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.size()}) must be the same as input size "
                         f"({input.size()})")
    for extra in (pos_weight, weight):  # in torch's order: pos_weight enters the loss first
        if extra is not None:
            shape = _loss_broadcast(extra, input) if extra is pos_weight else \
                _loss_broadcast(input, extra)
            if shape != tuple(input.shape):
                raise RuntimeError(f"output with shape [{_loss_dims(input.shape)}] doesn't match "
                                   f"the broadcast shape [{_loss_dims(shape)}]")
    _check_no_grad(weight, "weight", "binary_cross_entropy_with_logits")
    _check_no_grad(pos_weight, "pos_weight", "binary_cross_entropy_with_logits")
    w = None if weight is None else weight._data
    pw = None if pos_weight is None else pos_weight._data
    return _loss_ops.BinaryCrossEntropyWithLogits.apply(input, target, w, pw, reduction)


def kl_div(input: Tensor, target: Tensor, size_average: bool | None = None,
           reduce: bool | None = None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """Pointwise KL divergence with ``input`` in log space (see ``nn.KLDivLoss``);
    'batchmean' divides the sum by the batch size, the mathematical KL(target || input)."""
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
        batchmean = False
    else:
        if reduction == "mean":
            import warnings
            warnings.warn(
                "reduction: 'mean' divides the total loss by both the batch size and the support "
                "size.'batchmean' divides only by the batch size, and aligns with the KL div "
                "math definition.'mean' will be changed to behave the same as 'batchmean' in "
                "the next major release.", stacklevel=2)
        batchmean = reduction == "batchmean"
        reduction = "sum" if batchmean else _Reduction.resolve(None, None, reduction)
    if not (input.is_floating_point() and target.is_floating_point()):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    _loss_broadcast(target, input)  # torch's message names the target first (y * x)
    K = _loss_ops
    node = K.reduction_node(reduction, "MulBackward0" if log_target else "SubBackward0")
    out = K.named(K.KLDivLoss, node).apply(input, target, reduction, log_target)
    if batchmean and input.ndim != 0:
        out = out / input.shape[0]
    return out


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: bool | None = None, eps: float = 1e-8,
                     reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Poisson negative log-likelihood (see ``nn.PoissonNLLLoss``)."""
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not a valid value for reduction")
    _loss_broadcast(target, input)
    if _integral(input, target):  # torch computes in the default float dtype
        input = _as_default_float(input)
    K = _loss_ops
    node = K.reduction_node(reduction, "AddBackward0" if full else "SubBackward0")
    return K.named(K.PoissonNLLLoss, node).apply(input, target, log_input, full, eps, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False,
                      eps: float = 1e-6, reduction: str = "mean") -> Tensor:
    """Gaussian negative log-likelihood with predicted variance ``var``, clamped at ``eps``
    (see ``nn.GaussianNLLLoss`` for the accepted shapes of ``var``)."""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = np.full(input.shape, var, dtype=input._data.dtype)
        var_shape = tuple(input.shape)
    elif not isinstance(var, Tensor):  # torch reaches torch.any(var < 0) with a Python bool
        raise TypeError("any() received an invalid combination of arguments - got (bool), but "
                        "expected one of:")
    else:
        if np.any(var._data < 0):
            raise ValueError("var has negative entry/entries")
        var_shape = tuple(var.shape)
    in_shape = tuple(input.shape)
    if var_shape != in_shape:
        if in_shape[:-1] == var_shape:  # one dim short: the same variance for the last dim
            var = var.reshape(var_shape + (1,))
        elif not (len(in_shape) == len(var_shape)
                  and sum(v for i, v in zip(in_shape, var_shape) if i != v) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    _loss_broadcast(input, target)
    K = _loss_ops
    node = K.reduction_node(reduction, "AddBackward0" if full else "MulBackward0")
    return K.named(K.GaussianNLLLoss, node).apply(input, target, var, full, eps, reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    """1 - cos for similar pairs (y = 1), max(0, cos - margin) for dissimilar ones (y = -1)
    (see ``nn.CosineEmbeddingLoss``)."""
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    td = target.ndim
    if td not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if td == 1 and not (input1.ndim == 2 and input2.ndim == 2):
        raise RuntimeError(
            "1D target tensor expects 2D input tensors, but found inputs with sizes "
            f"[{_loss_dims(input1.shape)}] and [{_loss_dims(input2.shape)}].")
    if td == 0 and not (input1.ndim == 1 and input2.ndim == 1):
        raise RuntimeError(
            "0D target tensor expects 1D input tensors, but found inputs with sizes "
            f"[{_loss_dims(input1.shape)}] and [{_loss_dims(input2.shape)}].")
    rows = _loss_broadcast(input1, input2)[:-1]
    _broadcast_shapes(tuple(target.shape), rows)
    K = _loss_ops
    kernel = K.named(K.CosineEmbeddingLoss, K.reduction_node(reduction, "AddBackward0"))
    return kernel.apply(input1, input2, target, margin, reduction)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, -y (x1 - x2) + margin) (see ``nn.MarginRankingLoss``)."""
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} ")
    _loss_broadcast(input1, input2, target)
    if _integral(input1, input2, target):  # torch computes in the default float dtype
        input1 = _as_default_float(input1)
    K = _loss_ops
    kernel = K.named(K.MarginRankingLoss, K.reduction_node(reduction, "ClampMinBackward0"))
    return kernel.apply(input1, input2, target, margin, reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """x for y = 1, max(0, margin - x) for y = -1 (see ``nn.HingeEmbeddingLoss``)."""
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    _loss_broadcast(input, target)
    if reduction == "mean" and _integral(input, target):
        raise _mean_of_integers_error(input)
    K = _loss_ops
    kernel = K.named(K.HingeEmbeddingLoss, K.reduction_node(reduction, "AddBackward0"))
    return kernel.apply(input, target, margin, reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                     reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """log(1 + exp(-y x)) (see ``nn.SoftMarginLoss``)."""
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    shape = _loss_broadcast(input, target)
    if shape != tuple(input.shape):
        raise RuntimeError(f"output with shape [{_loss_dims(input.shape)}] doesn't match the "
                           f"broadcast shape [{_loss_dims(shape)}]")
    if _integral(input, target):
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{_loss_type_name(input)}")
    _check_no_grad(target, "target", "soft_margin_loss")
    return _loss_ops.SoftMarginLoss.apply(input, target, reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average: bool | None = None, reduce: bool | None = None,
                                reduction: str = "mean") -> Tensor:
    """Per-sample mean over classes of the binary cross-entropy of logits
    (see ``nn.MultiLabelSoftMarginLoss``)."""
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
    if input.ndim == 0:
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    _loss_broadcast(*(t for t in (input, target, weight) if t is not None))
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    K = _loss_ops
    kernel = K.named(K.MultiLabelSoftMarginLoss, K.reduction_node(reduction, "DivBackward0"))
    return kernel.apply(input, target, weight, reduction)


def _margin_shape_check(input: Tensor) -> None:
    nd = input.ndim
    if not ((nd == 2 and input.shape[1] != 0) or (nd == 1 and input.shape[0] != 0) or nd == 0):
        raise RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, "
                           f"but got: [{_loss_dims(input.shape)}]")


def _expect_long(t: Tensor) -> None:
    if t.dtype.name != "int64":
        raise RuntimeError(f"expected scalar type Long but found {_loss_type_name(t)}")


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0,
                      weight: Tensor | None = None, size_average: bool | None = None,
                      reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-class hinge loss (see ``nn.MultiMarginLoss``)."""
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    _margin_shape_check(input)
    nd = input.ndim
    n_frames = 1 if nd <= 1 else input.shape[0]
    n_classes = 1 if nd == 0 else input.shape[-1]
    if not (target.ndim <= 1 and target.numel() == n_frames):
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples (batch size). Expected target size [{n_frames}], but got "
            f"[{_loss_dims(target.shape)}]. Input has shape [{_loss_dims(input.shape)}].")
    if weight is not None and weight.numel() != n_classes:
        raise RuntimeError(f"inconsistent weight size, expected {n_classes} but got "
                           f"[{_loss_dims(weight.shape)}]")
    _expect_long(target)
    t = target._data
    if np.any((t < 0) | (t >= n_classes)):
        raise RuntimeError("target out of range")
    _check_no_grad(weight, "weight", "multi_margin_loss")
    w = None if weight is None else weight._data.reshape(-1).astype(input._data.dtype)
    return _loss_ops.MultiMarginLoss.apply(input, target, p, margin, w, reduction)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                           reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-label hinge loss over the classes listed in each target row, up to the first -1
    (see ``nn.MultiLabelMarginLoss``)."""
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    _margin_shape_check(input)
    nd = input.ndim
    if nd <= 1:
        n_classes = 1 if nd == 0 else input.shape[0]
        ok = target.ndim <= 1 and target.numel() == n_classes
    else:
        ok = target.ndim == 2 and tuple(target.shape) == tuple(input.shape)
    if not ok:
        raise RuntimeError(f"inconsistent target size: [{_loss_dims(target.shape)}] for input of "
                           f"size: [{_loss_dims(input.shape)}]")
    _expect_long(target)
    t = target._data
    n_classes = 1 if nd == 0 else input.shape[-1]
    if t.size and (t.min() < -1 or t.max() >= n_classes):
        raise RuntimeError("argument #2 'target' is out of range")
    return _loss_ops.MultiLabelMarginLoss.apply(input, target, reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0,
                        p: float = 2, eps: float = 1e-6, swap: bool = False,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) with p-norm distances (see ``nn.TripletMarginLoss``)."""
    reduction = _Reduction.resolve(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a_dim, p_dim, n_dim = anchor.ndim, positive.ndim, negative.ndim
    if not (a_dim == p_dim and p_dim == n_dim):
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {a_dim}D, positive {p_dim}D, and negative "
            f"{n_dim}D inputs")
    _loss_broadcast(anchor, positive, negative)
    if a_dim == 0:  # a 0-d "vector": torch measures it as a vector of one entry
        anchor, positive, negative = (t.reshape(1) for t in (anchor, positive, negative))
    K = _loss_ops
    kernel = K.named(K.TripletMarginLoss, K.reduction_node(reduction, "ClampMinBackward0"))
    return kernel.apply(anchor, positive, negative, margin, p, eps, swap, reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Callable | None = None,
                                      margin: float = 1.0, swap: bool = False,
                                      reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) for any distance ``d`` (default ``pairwise_distance``),
    composed from tensor ops as torch does, so a user's distance function is differentiated
    through (see ``nn.TripletMarginWithDistanceLoss``)."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a_dim, p_dim, n_dim = anchor.ndim, positive.ndim, negative.ndim
    if not (a_dim == p_dim and p_dim == n_dim):
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {a_dim}D, positive {p_dim}D, and negative "
            f"{n_dim}D inputs")
    if distance_function is None:
        distance_function = pairwise_distance
    dist_pos = distance_function(anchor, positive)
    dist_neg = distance_function(anchor, negative)
    if swap:  # use the positive as the anchor when it is closer to the negative
        dist_neg = dist_neg.minimum(distance_function(positive, negative))
    loss = (margin + dist_pos - dist_neg).clamp_min(0)
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.mean()
    return loss
