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
    from .._ops.elementwise import Relu
    return _act(input, inplace, Relu)


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
    return _act(input, inplace, _nn.LeakyRelu, negative_slope)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return leaky_relu(input, negative_slope, inplace=True)


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
    return _nn.Sigmoid.apply(input)


def tanh(input: Tensor) -> Tensor:
    return _nn.Tanh.apply(input)


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
    _check_features("running_mean", channels, running_mean)
    if running_mean is None and not training:
        raise RuntimeError("running_mean must be defined in evaluation mode")
    _check_features("running_var", channels, running_var)
    if running_var is None and not training:
        raise RuntimeError("running_var must be defined in evaluation mode")
    _check_features("weight", channels, weight)
    _check_features("bias", channels, bias)
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
    shape = _affine_shape(input)
    if not use_input_stats:
        if running_mean is None or running_var is None:
            raise RuntimeError("Expected running_mean and running_var to be defined when "
                               "use_input_stats is false")
        return _nn.NormalizeWithStats.apply(input, weight, bias, running_mean._data,
                                            running_var._data, shape, eps)
    axes = tuple(range(2, input.dim()))
    out, mean, var = _nn.Normalize.apply(input, weight, bias, None, axes, shape, eps)
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


def _normalized_shape(normalized_shape) -> tuple:
    if isinstance(normalized_shape, (int, np.integer)):
        return (int(normalized_shape),)
    return tuple(int(s) for s in normalized_shape)


def _check_normalized(input: Tensor, shape: tuple, weight, bias) -> None:
    k = len(shape)
    if input.dim() < k or tuple(input.shape[input.dim() - k:]) != shape:
        raise RuntimeError(
            f"Given normalized_shape=[{', '.join(map(str, shape))}], expected input with shape "
            f"[*, {', '.join(map(str, shape))}], but got input of size{list(input.shape)}"
            .replace("[", "[", 1))
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
    shape = _normalized_shape(normalized_shape)
    _check_normalized(input, shape, weight, bias)
    axes = tuple(range(input.dim() - len(shape), input.dim()))
    return _nn.Normalize.apply(input, weight, bias, None, axes, shape, eps)[0]


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
    return _nn.Normalize.apply(input, weight, bias, (n, num_groups, -1), (2,),
                               _affine_shape(input), eps)[0]


def rms_norm(input: Tensor, normalized_shape, weight: Optional[Tensor] = None,
             eps: Optional[float] = None) -> Tensor:
    """x / sqrt(mean(x^2) + eps) * weight over the trailing dims; eps defaults to the dtype's
    machine epsilon, as in torch."""
    shape = _normalized_shape(normalized_shape)
    _check_normalized(input, shape, weight, None)
    if eps is None:
        eps = float(np.finfo(input._data.dtype).eps)
    axes = tuple(range(input.dim() - len(shape), input.dim()))
    return _nn.RmsNorm.apply(input, weight, axes, eps)


def _vector_norm(input: Tensor, p: float, dim, keepdim: bool) -> Tensor:
    dims = _normalize_dims(dim, input.dim())
    return _nn.VectorNorm.apply(input, float(p), dims, keepdim)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Optional[Tensor] = None) -> Tensor:
    """x / max(||x||_p, eps) along ``dim``."""
    denom = _nn.ClampMin.apply(_vector_norm(input, p, dim, True), eps)
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


def embedding(input: Tensor, weight: Tensor, padding_idx: Optional[int] = None,
              max_norm: Optional[float] = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of ``weight`` looked up by the integer tensor ``input``; the ``padding_idx`` row
    receives no gradient; with ``max_norm``, looked-up rows are first renormalised in place."""
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= weight.shape[0]:
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -weight.shape[0]:
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = weight.shape[0] + padding_idx
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
    """2-D transposed convolution (the input-gradient of ``conv2d``); weight ``(C, O/G, kh, kw)``."""
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


max_pool1d_with_indices = max_pool1d
max_pool2d_with_indices = max_pool2d


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


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """Mean over ``output_size`` windows ``[floor(i*L/o), ceil((i+1)*L/o))`` of the last dim."""
    return _pool.adaptive_avg_pool(input, output_size, 1)


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Adaptive mean over the last two dims (``None`` in ``output_size`` keeps that size)."""
    return _pool.adaptive_avg_pool(input, output_size, 2)


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    """Max over adaptive windows of the last dim, optionally with indices."""
    return _pool.adaptive_max_pool(input, output_size, return_indices, 1)


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """Max over adaptive windows of the last two dims, optionally with flat indices."""
    return _pool.adaptive_max_pool(input, output_size, return_indices, 2)


adaptive_max_pool1d_with_indices = adaptive_max_pool1d
adaptive_max_pool2d_with_indices = adaptive_max_pool2d



# ==================================================================================================
# Padding, interpolation, upsampling, affine_grid, grid_sample  (convolution)
# ==================================================================================================


# ==================================================================================================
# Losses  (losses)
# ==================================================================================================
