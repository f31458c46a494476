"""torch.nn.functional: the one implementation of every layer, activation and loss.

Modules own parameters and call these functions. Each topic file holds its kernels
(``ArrayFunction`` subclasses: the math in the docstring, forward beside backward on ndarrays) and,
directly under each kernel, the public function(s) with torch's argument checks (same exception
types and messages), so that an op reads top to bottom:

    linear.py                linear, bilinear
    activation.py            relu ... gelu, silu, the shrinks, glu
    softmax_family.py        softmax, log_softmax, softmin, gumbel_softmax (and torch.softmax /
                             torch.log_softmax)
    dropout.py               dropout, alpha_dropout, feature_alpha_dropout, dropout1d/2d/3d
    normalization.py         batch_norm, instance_norm, layer_norm, group_norm, rms_norm,
                             local_response_norm, normalize
    embedding.py             embedding, embedding_bag, one_hot
    distance.py              cosine_similarity, pdist, pairwise_distance
    conv.py                  conv1d/2d/3d, conv_transpose1d/2d/3d, unfold, fold
    pooling.py               max/avg/adaptive/lp pooling, max_unpool
    padding.py               pad
    sampling.py              interpolate, upsample*, grid_sample, affine_grid
    shuffle.py               pixel_shuffle, pixel_unshuffle, channel_shuffle
    loss_regression.py       l1, mse, huber, smooth_l1, gaussian_nll, poisson_nll, kl_div
    loss_classification.py   cross_entropy, nll, binary_cross_entropy(_with_logits),
                             soft_margin, multilabel_soft_margin
    loss_margin.py           hinge_embedding, margin_ranking, cosine_embedding, multi_margin,
                             multilabel_margin, triplet_margin(_with_distance)
    loss_ctc.py              ctc_loss (the alpha/beta recursions over time)
    attention.py             scaled_dot_product_attention, multi_head_attention_forward
    rnn.py                   the recurrent layers' kernels (no public function: torch has none;
                             nn.RNN/LSTM/GRU and the cells call them)
    _loss.py                 what the losses share: reductions, grad_fn names, common checks
    _util.py                 sums and means over axes (softmax, normalizations)

A new topic is a new file here, named after it, with its public names imported below and its
module name added to the ``del`` at the end: this namespace holds exactly torch's public names
of ``torch.nn.functional`` that minitorch_ref implements
(``tests/nn/test_functional_namespace.py`` checks it).
"""
from ..._tensor import Tensor  # noqa: F401  (torch.nn.functional.Tensor, as in torch)
from .. import _reduction as _Reduction  # noqa: F401
from .linear import bilinear, linear  # noqa: F401
from .activation import (  # noqa: F401
    celu, celu_, elu, elu_, gelu, glu, hardsigmoid, hardswish, hardtanh, hardtanh_,
    leaky_relu, leaky_relu_, logsigmoid, mish, prelu, relu, relu6, relu_, rrelu, rrelu_, selu,
    selu_, sigmoid, silu, softplus, softsign, tanh,
)
from .shrink import hardshrink, softshrink, tanhshrink, threshold, threshold_  # noqa: F401
from .softmax_family import gumbel_softmax, log_softmax, softmax, softmin  # noqa: F401
from .dropout import (  # noqa: F401
    alpha_dropout, dropout, dropout1d, dropout2d, dropout3d, feature_alpha_dropout,
)
from .normalization import (  # noqa: F401
    batch_norm, group_norm, instance_norm, layer_norm, local_response_norm, normalize, rms_norm,
)
from .embedding import embedding, embedding_bag, one_hot  # noqa: F401
from .distance import cosine_similarity, pairwise_distance, pdist  # noqa: F401
from .conv import (  # noqa: F401
    conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, fold, unfold,
)
from .pooling import (  # noqa: F401
    adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d,
    adaptive_max_pool1d_with_indices, adaptive_max_pool2d, adaptive_max_pool2d_with_indices,
    adaptive_max_pool3d, adaptive_max_pool3d_with_indices, avg_pool1d, avg_pool2d, avg_pool3d,
    lp_pool1d, lp_pool2d, lp_pool3d, max_pool1d, max_pool1d_with_indices, max_pool2d,
    max_pool2d_with_indices, max_pool3d, max_pool3d_with_indices, max_unpool1d, max_unpool2d,
)
from .padding import pad  # noqa: F401
from .sampling import (  # noqa: F401
    affine_grid, grid_sample, interpolate, upsample, upsample_bilinear, upsample_nearest,
)
from .shuffle import (  # noqa: F401
    channel_shuffle, native_channel_shuffle, pixel_shuffle, pixel_unshuffle,
)
from .loss_regression import (  # noqa: F401
    gaussian_nll_loss, huber_loss, kl_div, l1_loss, mse_loss, poisson_nll_loss, smooth_l1_loss,
)
from .loss_classification import (  # noqa: F401
    binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy,
    multilabel_soft_margin_loss, nll_loss, soft_margin_loss,
)
from .loss_margin import (  # noqa: F401
    cosine_embedding_loss, hinge_embedding_loss, margin_ranking_loss, multi_margin_loss,
    multilabel_margin_loss, triplet_margin_loss, triplet_margin_with_distance_loss,
)
from .loss_ctc import ctc_loss  # noqa: F401
from .attention import (  # noqa: F401
    _canonical_mask, _in_projection, _in_projection_packed, _mha_shape_check, _none_or_dtype,
    multi_head_attention_forward, scaled_dot_product_attention,
)
from . import rnn  # noqa: F401  (the recurrent kernels: nn.RNN/LSTM/GRU call them)

# The topic files stay importable (``from minitorch_ref.nn.functional.conv import Convolution``),
# but their module objects are not names of this namespace, which holds torch's names only.
del (_loss, _util, activation, attention, conv, conv_blocks, conv_flat, conv_phases,  # noqa: F821
     conv_windows, distance, loss_classification, loss_ctc, loss_margin, loss_regression,
     normalization, padding, pooling, rnn, sampling, shrink, shuffle, softmax_family)
