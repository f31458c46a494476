"""torch's nn operations at module level, with their own (ATen) signatures: ``torch.conv2d``,
``torch.dropout(input, p, train)``, ``torch.batch_norm(input, weight, bias, running_mean,
running_var, training, momentum, eps, cudnn_enabled)``, ``torch.embedding(weight, indices)``,
``torch.native_layer_norm`` (a tuple), the losses with ``reduction`` as an int, ...

Where ``torch.<name> is torch.nn.functional.<name>`` in torch (the convolutions, pixel_shuffle,
pdist, ...), it is here too. The others are thin: torch's argument parser (``_ops._arguments``'
``_Signature``: the wrong kind of argument, a missing or unknown one, with torch's message),
then the ``nn.functional`` op, its arguments put in its order. No math is repeated here.
"""
from __future__ import annotations

import numpy as np

from ._creation import from_numpy
from ._inplace_functions import _dropout_op
from ._ops._arguments import _bind, _Signature
from ._tensor import Tensor
from .nn import functional as F
from .nn.functional.dropout import _MaskedScale
from .nn.functional.normalization import layer_norm_with_stats
from .nn.functional.rnn import ElmanLayer, GRULayer, LSTMLayer
from .nn.modules.rnn import _check_cell
from .random import _bernoulli_scalar_fill, _gen, dropout_mask

# torch.<name> is torch.nn.functional.<name> in torch
SAME_AS_F = (
    "adaptive_avg_pool1d", "avg_pool1d", "bilinear", "channel_shuffle", "conv1d", "conv2d",
    "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "cosine_similarity",
    "hardshrink", "native_channel_shuffle", "pairwise_distance", "pdist", "pixel_shuffle",
    "pixel_unshuffle", "prelu",
)

# ATen's int reductions (at::Reduction): None, Mean, Sum. Where torch's signature reads
# "int reduction = at::Reduction::Mean", its parser, which cannot read that default, takes 0:
# torch.kl_div(x, y) is elementwise, as here (``_NONE``).
_REDUCTIONS = ("none", "mean", "sum")
_NONE = 0
_RED = "int reduction = at::Reduction::Mean"


def _reduction(reduction: int) -> str:
    return _REDUCTIONS[reduction]


def _aten(*texts: str):
    """``torch.<op's name>``: torch's argument parser over ``texts`` (its signatures, marked as
    ``_Signature`` reads them), then ``op`` with the arguments by name."""
    signatures = [_Signature(t) for t in texts]

    def wrap(op):
        name = op.__name__

        def function(*args, **kwargs):
            return op(**_bind(name, signatures, len(signatures), args, kwargs))
        function.__name__ = function.__qualname__ = name
        function.__doc__ = f"torch.{name}{signatures[0].text}: {op.__doc__}"
        return function
    return wrap


# -- dropout -----------------------------------------------------------------------------------

_DROPOUT = "(Tensor input, float p, bool train)"
_DROPOUTS = {"dropout": (False, False), "feature_dropout": (True, False),
             "alpha_dropout": (False, True), "feature_alpha_dropout": (True, True)}


def _dropout_function(name: str, feature: bool, alpha: bool):
    op = _dropout_op(feature, alpha, inplace=False)

    def dropout(input: Tensor, p: float, train: bool) -> Tensor:
        return op(input, p, train)
    dropout.__name__ = name
    dropout.__doc__ = "``F.dropout``'s kernel (feature: one draw per channel; alpha: SELU's)."
    return _aten(_DROPOUT)(dropout)


class _NativeDropout(_MaskedScale):
    """out = x * mask (the scaled keep-mask).      dL/dx = g * grad_mask: the same mask, but for
    ``train=None``, where torch's derivative takes the unscaled keep-mask."""

    _backward_name = "NativeDropoutBackward0"

    @staticmethod
    def forward(ctx, x, mask, grad_mask):
        ctx.mask = grad_mask
        return x * mask

    @staticmethod
    def backward(ctx, g):
        return g * ctx.mask, None, None


@_aten("(Tensor input, float p, bool? train)")
def native_dropout(input, p, train):
    """``(out, keep)``: out = input * keep / (1 - p), keep a bool tensor drawn as
    ``F.dropout`` draws it; while training (None too) the draw happens for every p, 0 and 1
    included (as in torch). Not training: a copy of the input, keep all True."""
    x = input._data
    if train is False or x.size == 0:
        mask = np.ones((), dtype=x.dtype)
    elif not 0 <= p < 1:
        if p != 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={1 - p:g}")
        _bernoulli_scalar_fill(np.empty_like(x), 0.0, _gen(None))
        mask = np.zeros_like(x)
    else:
        mask = dropout_mask(x.shape, p, x.dtype, like=x)
    keep = np.broadcast_to(mask != 0, x.shape)
    grad_mask = keep.astype(x.dtype) if train is None else mask
    return _NativeDropout.apply(input, mask, grad_mask), from_numpy(keep.copy())


# -- activations -------------------------------------------------------------------------------

@_aten("(Tensor input, Number alpha = 1.0)")
def celu(input, alpha=1.0):
    """``F.celu``."""
    return F.celu(input, alpha)


@_aten("(Tensor input)")
def selu(input):
    """``F.selu``."""
    return F.selu(input)


@_aten("(Tensor input, Number lower = 0.125, Number upper = 0.3333333333333333, "
       "bool training = False, torch.Generator generator = None)")
def rrelu(input, lower=0.125, upper=1 / 3, training=False, generator=None):
    """``F.rrelu`` (the default generator only)."""
    if generator is not None:
        raise NotImplementedError("torch.rrelu with a generator is not supported")
    return F.rrelu(input, lower, upper, training)


@_aten("(Tensor input, Number threshold, Number value)")
def threshold(input, threshold, value):
    """``F.threshold``."""
    return F.threshold(input, threshold, value)


# -- normalization -----------------------------------------------------------------------------

@_aten("(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, "
       "Tensor? running_var, bool training, float momentum, float eps, bool cudnn_enabled)")
def batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
               cudnn_enabled):
    """``F.batch_norm`` (whose order is input, running_mean, running_var, weight, bias)."""
    return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


@_aten("(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, "
       "Tensor? running_var, bool use_input_stats, float momentum, float eps, "
       "bool cudnn_enabled)")
def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum,
                  eps, cudnn_enabled):
    """``F.instance_norm``."""
    return F.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats,
                           momentum, eps)


@_aten("(Tensor input, tuple of ints normalized_shape, Tensor weight = None, "
       "Tensor bias = None, float eps = 1e-05, bool cudnn_enable = True)")
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5, cudnn_enable=True):
    """``F.layer_norm``."""
    return F.layer_norm(input, normalized_shape, weight, bias, eps)


@_aten("(Tensor input, tuple of ints normalized_shape, Tensor? weight, Tensor? bias, "
       "float eps)")
def native_layer_norm(input, normalized_shape, weight, bias, eps):
    """``(out, mean, rstd)``: ``F.layer_norm``'s output and its statistics, of the input's
    shape with 1 along the normalized dims (no gradient flows through them, as in torch):
    rstd = 1 / sqrt(var + eps)."""
    out, mean, var = layer_norm_with_stats(input, normalized_shape, weight, bias, eps)
    var = var._data
    rstd = 1 / np.sqrt(var + var.dtype.type(eps))
    dtype = input._data.dtype
    return (out, from_numpy(mean._data.astype(dtype)), from_numpy(rstd.astype(dtype)))


@_aten("(Tensor input, int num_groups, Tensor weight = None, Tensor bias = None, "
       "float eps = 1e-05, bool cudnn_enabled = True)")
def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5, cudnn_enabled=True):
    """``F.group_norm``."""
    return F.group_norm(input, num_groups, weight, bias, eps)


@_aten("(Tensor input, tuple of ints normalized_shape, Tensor weight = None, "
       "float eps = None)")
def rms_norm(input, normalized_shape, weight=None, eps=None):
    """``F.rms_norm``."""
    return F.rms_norm(input, normalized_shape, weight, eps)


# -- embedding, pooling, padding -------------------------------------------------------------

@_aten("(Tensor weight, Tensor indices, int padding_idx = -1, bool scale_grad_by_freq = False, "
       "bool sparse = False)")
def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """``F.embedding(indices, weight, ...)``; ``padding_idx`` -1 is none (a row index
    otherwise)."""
    return F.embedding(indices, weight, None if padding_idx == -1 else padding_idx,
                       scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def _max_pool_function(name: str, nd: int, indices: bool):
    pool = getattr(F, f"max_pool{nd}d")

    def max_pool(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
        return pool(input, kernel_size, stride if stride != () and stride != [] else None,
                    padding, dilation, ceil_mode, return_indices=indices)
    max_pool.__name__ = name
    max_pool.__doc__ = f"``F.max_pool{nd}d`` (an empty stride: the kernel's)."
    n = f"[{nd}]"
    return _aten(f"(Tensor input, tuple of ints{n} kernel_size, tuple of ints{n} stride = (), "
                 f"tuple of ints{n} padding = 0, tuple of ints{n} dilation = 1, "
                 "bool ceil_mode = False)")(max_pool)


@_aten("(Tensor input, tuple of ints[1] output_size)")
def adaptive_max_pool1d(input, output_size):
    """``F.adaptive_max_pool1d`` with its indices: ``(out, indices)``."""
    return F.adaptive_max_pool1d(input, output_size, return_indices=True)


@_aten("(Tensor input, tuple of ints pad, Number value = 0)")
def constant_pad_nd(input, pad, value=0):
    """``F.pad(input, pad, "constant", value)``."""
    return F.pad(input, pad, "constant", value)


# -- convolution, sampling -------------------------------------------------------------------

@_aten("(Tensor input, Tensor weight, Tensor? bias, tuple of ints stride, "
       "tuple of ints padding, tuple of ints dilation, bool transposed, "
       "tuple of ints output_padding, int groups)")
def convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding,
                groups):
    """``F.conv{n}d``, or ``F.conv_transpose{n}d`` when ``transposed``; n from the weight."""
    nd = weight.dim() - 2
    if transposed:
        return getattr(F, f"conv_transpose{nd}d")(input, weight, bias, stride, padding,
                                                  output_padding, groups, dilation)
    return getattr(F, f"conv{nd}d")(input, weight, bias, stride, padding, dilation, groups)


@_aten("(Tensor theta, tuple of ints size, bool align_corners)")
def affine_grid_generator(theta, size, align_corners):
    """``F.affine_grid``."""
    return F.affine_grid(theta, size, align_corners)


_GRID_MODES = ("bilinear", "nearest", "bicubic")
_GRID_PADDINGS = ("zeros", "border", "reflection")


def _grid_sampler_function(name: str):
    def grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners):
        return F.grid_sample(input, grid, _GRID_MODES[interpolation_mode],
                             _GRID_PADDINGS[padding_mode], align_corners)
    grid_sampler.__name__ = name
    grid_sampler.__doc__ = ("``F.grid_sample``; modes 0, 1, 2: bilinear, nearest, bicubic; "
                            "padding 0, 1, 2: zeros, border, reflection.")
    return _aten("(Tensor input, Tensor grid, int interpolation_mode, int padding_mode, "
                 "bool align_corners)")(grid_sampler)


# -- recurrent cells: one step of nn.RNNCell, nn.LSTMCell, nn.GRUCell (batched input) ------------

_CELL = ("(Tensor input, {} hx, Tensor w_ih, Tensor w_hh, Tensor b_ih = None, "
         "Tensor b_hh = None)")


def _elman_cell_function(name: str, relu: bool):
    def cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
        _check_cell(input, (hx,), w_ih, w_hh)
        return ElmanLayer.apply(input, hx, w_ih, w_hh, b_ih, b_hh, (input.size(0),), False,
                                relu)[1]
    cell.__name__ = name
    cell.__doc__ = f"h' = {'relu' if relu else 'tanh'}(x W_ih^T + b_ih + h W_hh^T + b_hh)."
    return _aten(_CELL.format("Tensor"))(cell)


@_aten(_CELL.format("tuple of Tensors"))
def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """``(h', c')`` from ``hx = (h, c)`` (``LSTMLayer``'s equations)."""
    h, c = hx
    _check_cell(input, (h, c), w_ih, w_hh)
    _, h, c = LSTMLayer.apply(input, h, c, w_ih, w_hh, b_ih, b_hh, None, (input.size(0),),
                              False)
    return h, c


@_aten(_CELL.format("Tensor"))
def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """h' (``GRULayer``'s equations)."""
    _check_cell(input, (hx,), w_ih, w_hh)
    return GRULayer.apply(input, hx, w_ih, w_hh, b_ih, b_hh, (input.size(0),), False)[1]


# -- losses (reduction: 0 none, 1 mean, 2 sum) ----------------------------------------------------

@_aten("(Tensor input, Tensor target, Tensor weight = None, Tensor pos_weight = None, "
       f"{_RED})")
def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None,
                                     reduction=_NONE):
    """``F.binary_cross_entropy_with_logits``."""
    return F.binary_cross_entropy_with_logits(input, target, weight,
                                              reduction=_reduction(reduction),
                                              pos_weight=pos_weight)


@_aten(f"(Tensor input, Tensor target, {_RED}, *, bool log_target = False)")
def kl_div(input, target, reduction=_NONE, log_target=False):
    """``F.kl_div`` (``"batchmean"`` has no number)."""
    return F.kl_div(input, target, reduction=_reduction(reduction), log_target=log_target)


@_aten(f"(Tensor input1, Tensor input2, Tensor target, float margin = 0.0, {_RED})")
def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction=_NONE):
    """``F.cosine_embedding_loss``."""
    return F.cosine_embedding_loss(input1, input2, target, margin,
                                   reduction=_reduction(reduction))


@_aten(f"(Tensor input1, Tensor input2, Tensor target, float margin = 0.0, {_RED})")
def margin_ranking_loss(input1, input2, target, margin=0.0, reduction=_NONE):
    """``F.margin_ranking_loss``."""
    return F.margin_ranking_loss(input1, input2, target, margin,
                                 reduction=_reduction(reduction))


@_aten(f"(Tensor input, Tensor target, float margin = 1.0, {_RED})")
def hinge_embedding_loss(input, target, margin=1.0, reduction=_NONE):
    """``F.hinge_embedding_loss``."""
    return F.hinge_embedding_loss(input, target, margin, reduction=_reduction(reduction))


@_aten("(Tensor anchor, Tensor positive, Tensor negative, float margin = 1.0, float p = 2, "
       f"float eps = 1e-06, bool swap = False, {_RED})")
def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2.0, eps=1e-6, swap=False,
                        reduction=_NONE):
    """``F.triplet_margin_loss``."""
    return F.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap,
                                 reduction=_reduction(reduction))


@_aten("(Tensor input, Tensor target, bool log_input, bool full, float eps, int reduction)")
def poisson_nll_loss(input, target, log_input, full, eps, reduction):
    """``F.poisson_nll_loss``."""
    return F.poisson_nll_loss(input, target, log_input, full, eps=eps,
                              reduction=_reduction(reduction))


@_aten("(Tensor log_probs, Tensor targets, tuple of ints input_lengths, "
       "tuple of ints target_lengths, int blank = 0, int reduction = at::Reduction::Mean, "
       "bool zero_infinity = False)",
       "(Tensor log_probs, Tensor targets, Tensor input_lengths, Tensor target_lengths, "
       "int blank = 0, int reduction = at::Reduction::Mean, bool zero_infinity = False)")
def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction=_NONE,
             zero_infinity=False):
    """``F.ctc_loss``."""
    return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank,
                      _reduction(reduction), zero_infinity)


__all__ = list(SAME_AS_F) + [
    "celu", "selu", "rrelu", "threshold", "batch_norm", "instance_norm", "layer_norm",
    "group_norm", "rms_norm", "native_layer_norm", "native_dropout", "embedding",
    "adaptive_max_pool1d", "constant_pad_nd", "lstm_cell", "gru_cell",
    "convolution", "affine_grid_generator", "binary_cross_entropy_with_logits", "kl_div",
    "cosine_embedding_loss", "margin_ranking_loss", "hinge_embedding_loss",
    "triplet_margin_loss", "poisson_nll_loss", "ctc_loss"]
for _name in SAME_AS_F:
    globals()[_name] = getattr(F, _name)
for _name, (_feature, _alpha) in _DROPOUTS.items():
    globals()[_name] = _dropout_function(_name, _feature, _alpha)
    __all__.append(_name)
for _name, _nd, _indices in (("max_pool1d", 1, False), ("max_pool2d", 2, False),
                             ("max_pool3d", 3, False), ("max_pool1d_with_indices", 1, True)):
    globals()[_name] = _max_pool_function(_name, _nd, _indices)
    __all__.append(_name)
for _name, _relu in (("rnn_tanh_cell", False), ("rnn_relu_cell", True)):
    globals()[_name] = _elman_cell_function(_name, _relu)
    __all__.append(_name)
for _name in ("grid_sampler", "grid_sampler_2d"):
    globals()[_name] = _grid_sampler_function(_name)
    __all__.append(_name)
