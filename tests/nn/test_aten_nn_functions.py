"""torch's nn operations at module level with their own (ATen) signatures (torch.conv2d,
torch.dropout(input, p, train), torch.batch_norm(input, weight, bias, running_mean, running_var,
training, momentum, eps, cudnn_enabled), torch.embedding(weight, indices), the losses' int
reductions, ...; minitorch_ref/_aten_nn.py), against torch: values, dtypes, gradients and node
names for float32 and float64, positional and keyword calls, and torch's argument-parser
errors."""
from __future__ import annotations

import numpy as np
import pytest

import minitorch_ref as mt
from harness import check, check_raises


def _r(*shape, seed=0, low=-1.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, shape)


X3 = _r(2, 3, 5)
X4 = _r(2, 4, 3, 3, seed=1)
X5 = _r(1, 2, 3, 4, 4, seed=2)
W3, B3 = _r(3, seed=3, low=0.5, high=1.5), _r(3, seed=4)
W4, B4 = _r(4, seed=5, low=0.5, high=1.5), _r(4, seed=6)
Y3 = _r(2, 3, 5, seed=7)
Z3 = _r(2, 3, 5, seed=8)
SIGN = np.where(_r(2, 5, seed=9) > 0, 1.0, -1.0)


def _i(T, a):
    return T.tensor(np.array(a, dtype=np.int64))


def _seeded(f):
    def g(T, *a):
        T.manual_seed(7)
        return f(T, *a)
    return g


def _rm(T, x):  # running statistics (no grad), one per channel of x
    return T.zeros(x.shape[1], dtype=x.dtype), T.ones(x.shape[1], dtype=x.dtype)


# name -> (fn(T, *tensors), arrays): each called as given, in both libraries
CASES = {
    "conv1d": (lambda T, x, w, b: T.conv1d(x, w, b, 2, 1), (X3, _r(4, 3, 2, seed=10), W4)),
    "conv1d/kw": (lambda T, x, w: T.conv1d(x, w, padding="same"), (X3, _r(4, 3, 3, seed=10))),
    "conv2d": (lambda T, x, w: T.conv2d(x, w, None, 1, 1, 1, 2), (X4, _r(2, 2, 2, 2, seed=11))),
    "conv3d": (lambda T, x, w: T.conv3d(x, w, stride=(1, 2, 2)), (X5, _r(2, 2, 2, 2, 2))),
    "conv_transpose1d": (lambda T, x, w: T.conv_transpose1d(x, w, None, 2, 1, 1),
                         (X3, _r(3, 2, 3, seed=12))),
    "conv_transpose2d": (lambda T, x, w, b: T.conv_transpose2d(x, w, b, stride=2),
                         (X4, _r(4, 3, 2, 2, seed=13), W3)),
    "conv_transpose3d": (lambda T, x, w: T.conv_transpose3d(x, w), (X5, _r(2, 1, 2, 2, 2))),
    "convolution": (lambda T, x, w, b: T.convolution(x, w, b, [2], [1], [1], False, [0], 1),
                    (X3, _r(4, 3, 2, seed=10), W4)),
    "convolution/transposed": (
        lambda T, x, w: T.convolution(x, w, None, [2, 2], [0, 0], [1, 1], True, [1, 1], 2),
        (X4, _r(4, 1, 2, 2, seed=14))),
    "convolution/kw": (
        lambda T, x, w: T.convolution(input=x, weight=w, bias=None, stride=[1], padding=[0],
                                      dilation=[2], transposed=False, output_padding=[0],
                                      groups=1), (X3, _r(2, 3, 2, seed=15))),
    "adaptive_avg_pool1d": (lambda T, x: T.adaptive_avg_pool1d(x, 3), (X3,)),
    "avg_pool1d": (lambda T, x: T.avg_pool1d(x, 2, 1, 1, True, False), (X3,)),
    "bilinear": (lambda T, a, b, w: T.bilinear(a, b, w), (_r(4, 3), _r(4, 2, seed=1),
                                                          _r(5, 3, 2, seed=2))),
    "channel_shuffle": (lambda T, x: T.channel_shuffle(x, 2), (X4,)),
    "pixel_shuffle": (lambda T, x: T.pixel_shuffle(x, 2), (X4,)),
    "pixel_unshuffle": (lambda T, x: T.pixel_unshuffle(x, 2), (_r(1, 2, 4, 4),)),
    "cosine_similarity": (lambda T, a, b: T.cosine_similarity(a, b, 2), (X3, Y3)),
    "pairwise_distance": (lambda T, a, b: T.pairwise_distance(a, b, 1.5, keepdim=True),
                          (X3[0], Y3[0])),
    "pdist": (lambda T, x: T.pdist(x, 3.0), (X3[0],)),
    "hardshrink": (lambda T, x: T.hardshrink(x, 0.3), (X3,)),
    "prelu": (lambda T, x, w: T.prelu(x, w), (X3, W3)),
    "celu": (lambda T, x: T.celu(x, 0.5), (X3,)),
    "celu/kw": (lambda T, x: T.celu(input=x, alpha=2), (X3,)),
    "selu": (lambda T, x: T.selu(x), (X3,)),
    "rrelu": (lambda T, x: T.rrelu(x), (X3,)),
    "rrelu/training": (_seeded(lambda T, x: T.rrelu(x, 0.1, 0.3, True)), (X3,)),
    "threshold": (lambda T, x: T.threshold(x, 0.1, -2), (X3,)),
    "threshold/kw": (lambda T, x: T.threshold(x, value=0.5, threshold=0.0), (X3,)),
    "dropout": (_seeded(lambda T, x: T.dropout(x, 0.4, True)), (X3,)),
    "dropout/eval": (lambda T, x: T.dropout(x, 0.4, False), (X3,)),
    "dropout/kw": (_seeded(lambda T, x: T.dropout(input=x, train=True, p=0.25)), (X3,)),
    # the draws' count too: a draw after the op is an output
    "native_dropout": (_seeded(lambda T, x: (*T.native_dropout(x, 0.3, True), T.rand(3))),
                       (X3,)),
    "native_dropout/none": (_seeded(lambda T, x: (*T.native_dropout(x, 0.3, None), T.rand(3))),
                            (X3,)),
    "native_dropout/one": (_seeded(lambda T, x: (*T.native_dropout(x, 1.0, True), T.rand(3))),
                           (X3,)),
    "native_dropout/zero": (_seeded(lambda T, x: (*T.native_dropout(x, 0, train=True),
                                                  T.rand(3))), (X3,)),
    "native_dropout/eval": (_seeded(lambda T, x: (*T.native_dropout(x, 0.3, False),
                                                  T.rand(3))), (X3,)),
    "feature_dropout": (_seeded(lambda T, x: T.feature_dropout(x, 0.5, True)), (X4,)),
    "alpha_dropout": (_seeded(lambda T, x: T.alpha_dropout(x, 0.3, True)), (X3,)),
    "feature_alpha_dropout": (_seeded(lambda T, x: T.feature_alpha_dropout(x, 0.3, True)),
                              (X4,)),
    "batch_norm/train": (lambda T, x, w, b: T.batch_norm(x, w, b, *_rm(T, x), True, 0.1, 1e-5,
                                                         True), (X3, W3, B3)),
    "batch_norm/eval": (lambda T, x, w: T.batch_norm(x, w, None, *_rm(T, x), False, 0.1, 1e-3,
                                                     False), (X3, W3)),
    "batch_norm/kw": (lambda T, x: T.batch_norm(x, None, None, None, None, training=True,
                                                momentum=0.2, eps=1e-5, cudnn_enabled=True),
                      (X4,)),
    "instance_norm": (lambda T, x, w, b: T.instance_norm(x, w, b, None, None, True, 0.1, 1e-5,
                                                         True), (X3, W3, B3)),
    "layer_norm": (lambda T, x, w, b: T.layer_norm(x, (5,), w, b), (X3, _r(5, seed=2),
                                                                  _r(5, seed=4))),
    "layer_norm/kw": (lambda T, x, w: T.layer_norm(x, [3, 5], weight=w, eps=1e-3,
                                                   cudnn_enable=False), (X3, _r(3, 5, seed=3))),
    "native_layer_norm": (lambda T, x, w, b: T.native_layer_norm(x, [5], w, b, 1e-5),
                          (X3, _r(5, seed=2), _r(5, seed=4))),
    "native_layer_norm/kw": (lambda T, x: T.native_layer_norm(
        x, eps=1e-3, bias=None, weight=None, normalized_shape=(3, 5)), (X3,)),
    "group_norm": (lambda T, x, w, b: T.group_norm(x, 2, w, b, 1e-5, True), (X4, W4, B4)),
    "group_norm/kw": (lambda T, x: T.group_norm(x, num_groups=4, eps=0.01), (X4,)),
    "rms_norm": (lambda T, x, w: T.rms_norm(x, (5,), w), (X3, _r(5, seed=3))),
    "rms_norm/kw": (lambda T, x: T.rms_norm(x, normalized_shape=[3, 5], eps=1e-3), (X3,)),
    "embedding": (lambda T, w: T.embedding(w, _i(T, [[0, 2], [4, 2]])), (_r(5, 3),)),
    "embedding/padding": (lambda T, w: T.embedding(w, _i(T, [0, 2, 4, 2]), 2, True),
                          (_r(5, 3),)),
    "embedding/kw": (lambda T, w: T.embedding(indices=_i(T, [1, 1]), weight=w,
                                              scale_grad_by_freq=True), (_r(5, 3),)),
    "max_pool1d": (lambda T, x: T.max_pool1d(x, 2), (X3,)),
    "max_pool1d/args": (lambda T, x: T.max_pool1d(x, [3], [1], [1], [1], True), (X3,)),
    "max_pool2d": (lambda T, x: T.max_pool2d(x, 2, 1, 1, 1, True), (X4,)),
    "max_pool2d/kw": (lambda T, x: T.max_pool2d(x, kernel_size=(2, 3), stride=[]), (X4,)),
    "max_pool3d": (lambda T, x: T.max_pool3d(x, 2, padding=1), (X5,)),
    "max_pool1d_with_indices": (lambda T, x: T.max_pool1d_with_indices(x, 2, 1), (X3,)),
    "adaptive_max_pool1d": (lambda T, x: T.adaptive_max_pool1d(x, 2), (X3,)),
    "constant_pad_nd": (lambda T, x: T.constant_pad_nd(x, [1, 2, 0, 1], 0.5), (X3,)),
    "constant_pad_nd/kw": (lambda T, x: T.constant_pad_nd(input=x, pad=(1, -1)), (X3,)),
    "affine_grid_generator": (lambda T, t: T.affine_grid_generator(t, [2, 1, 3, 4], False),
                              (_r(2, 2, 3),)),
    "grid_sampler": (lambda T, x, g: T.grid_sampler(x, g, 0, 1, True),
                     (X4, _r(2, 2, 3, 2, seed=3))),
    "grid_sampler/nearest": (lambda T, x, g: T.grid_sampler(x, g, 1, 0, False),
                             (X4, _r(2, 2, 3, 2, seed=3))),
    "grid_sampler_2d": (lambda T, x, g: T.grid_sampler_2d(x, g, 0, 2, False),
                        (X4, _r(2, 2, 3, 2, seed=3))),
    "rnn_tanh_cell": (lambda T, x, h, wi, wh, bi, bh: T.rnn_tanh_cell(x, h, wi, wh, bi, bh),
                      (X3[0], _r(3, 4, seed=1), _r(4, 5, seed=2), _r(4, 4, seed=3), W4, B4)),
    "rnn_relu_cell": (lambda T, x, h, wi, wh: T.rnn_relu_cell(x, h, wi, wh),
                      (X3[0], _r(3, 4, seed=1), _r(4, 5, seed=2), _r(4, 4, seed=3))),
    "gru_cell": (lambda T, x, h, wi, wh, bi: T.gru_cell(x, h, wi, wh, b_ih=bi),
                 (X3[0], _r(3, 4, seed=1), _r(12, 5, seed=2), _r(12, 4, seed=3),
                  _r(12, seed=4))),
    "lstm_cell": (lambda T, x, h, c, wi, wh, bi, bh: T.lstm_cell(x, (h, c), wi, wh, bi, bh),
                  (X3[0], _r(3, 4, seed=1), _r(3, 4, seed=5), _r(16, 5, seed=2),
                   _r(16, 4, seed=3), _r(16, seed=4), _r(16, seed=6))),
    "binary_cross_entropy_with_logits": (
        lambda T, x, y: T.binary_cross_entropy_with_logits(x, y, T.tensor(Z3).to(x.dtype), None,
                                                           2), (X3, (Y3 + 1) / 2)),
    "binary_cross_entropy_with_logits/kw": (
        lambda T, x, y: T.binary_cross_entropy_with_logits(
            x, y, pos_weight=T.tensor(_r(5, seed=1)).to(x.dtype), reduction=1),
        (X3, (Y3 + 1) / 2)),
    "binary_cross_entropy_with_logits/default": (
        lambda T, x, y: T.binary_cross_entropy_with_logits(x, y), (X3, (Y3 + 1) / 2)),
    "kl_div": (lambda T, x, y: T.kl_div(x, y), (X3, (Y3 + 1) / 2)),
    "kl_div/mean": (lambda T, x, y: T.kl_div(x, y, 1), (X3, (Y3 + 1) / 2)),
    "kl_div/kw": (lambda T, x, y: T.kl_div(x, y, 2, log_target=True), (X3, Y3)),
    "cosine_embedding_loss": (lambda T, a, b, y: T.cosine_embedding_loss(a, b, y, 0.2, 0),
                              (X3[0], Y3[0], SIGN[0, :3])),
    "margin_ranking_loss": (lambda T, a, b, y: T.margin_ranking_loss(a, b, y, 0.1, 2),
                            (X3[0, 0], Y3[0, 0], SIGN[0])),
    "hinge_embedding_loss": (lambda T, x, y: T.hinge_embedding_loss(x, y, 0.5), (X3[0], SIGN[:1]
                                                                                .repeat(3, 0))),
    "triplet_margin_loss": (lambda T, a, p, n: T.triplet_margin_loss(a, p, n, 1.0, 1.0, 1e-6,
                                                                     True, 0),
                            (X3[0], Y3[0], Z3[0])),
    "triplet_margin_loss/kw": (lambda T, a, p, n: T.triplet_margin_loss(a, p, n, reduction=2),
                               (X3[0], Y3[0], Z3[0])),
    "poisson_nll_loss": (lambda T, x, y: T.poisson_nll_loss(x, y, True, True, 1e-8, 1),
                         (X3, (Y3 + 1) * 2)),
    "poisson_nll_loss/kw": (lambda T, x, y: T.poisson_nll_loss(
        x, y, log_input=False, full=False, eps=0.1, reduction=0), (X3 + 1, (Y3 + 1) * 2)),
    "ctc_loss": (lambda T, lp: T.ctc_loss(lp.log_softmax(2), _i(T, [[1, 2], [3, 3]]), [5, 4],
                                          [2, 2]), (_r(5, 2, 4, seed=3),)),
    "ctc_loss/tensors": (lambda T, lp: T.ctc_loss(lp.log_softmax(2), _i(T, [[1, 2], [3, 1]]),
                                                  _i(T, [5, 5]), _i(T, [2, 1]), 0, 0),
                         (_r(5, 2, 4, seed=3),)),
}


# torch.<name> is F.<name> in both libraries, whose graph records other nodes than torch's
# (and F.rrelu's training graph: MulBackward0 for torch's RreluWithNoiseBackward0; the cells'
# one node per layer, as nn.RNNCell's and friends', for torch's composite)
NODES_DIFFER = {"channel_shuffle", "pixel_shuffle", "pixel_unshuffle", "pdist",
                "pairwise_distance", "rrelu/training", "rnn_tanh_cell", "rnn_relu_cell",
                "gru_cell", "lstm_cell"}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", list(CASES))
def test_values_and_gradients(case, dtype):
    fn, arrays = CASES[case]
    check(fn, *(a.astype(dtype) for a in arrays),
          grad_fn_name=not {case, case.split("/")[0]} & NODES_DIFFER)


def test_native_channel_shuffle():
    """Values as torch's (torch's node has no derivative: not compared)."""
    check(lambda T, x: T.native_channel_shuffle(x, 2), X4, grad=False)


# -- the functions torch's nn.functional is, and the one op behind each ---------------------------

SAME = ["adaptive_avg_pool1d", "avg_pool1d", "bilinear", "channel_shuffle", "conv1d", "conv2d",
        "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
        "cosine_similarity", "hardshrink", "native_channel_shuffle", "pairwise_distance",
        "pdist", "pixel_shuffle", "pixel_unshuffle", "prelu"]


@pytest.mark.parametrize("name", SAME)
def test_same_function_as_functional(name):
    import torch
    assert getattr(torch, name) is getattr(torch.nn.functional, name)
    assert getattr(mt, name) is getattr(mt.nn.functional, name)


def test_dropout_eval_returns_input():
    x = mt.ones(3)
    assert mt.dropout(x, 0.5, False) is x


def test_running_statistics_move_as_torch():
    import torch
    stats = []
    for T in (torch, mt):
        rm, rv = T.zeros(3, dtype=T.float64), T.ones(3, dtype=T.float64)
        T.batch_norm(T.tensor(X3), None, None, rm, rv, True, 0.3, 1e-5, True)
        stats.append((rm.numpy(), rv.numpy()))
    np.testing.assert_allclose(stats[0][0], stats[1][0], rtol=1e-12)
    np.testing.assert_allclose(stats[0][1], stats[1][1], rtol=1e-12)


# -- torch's argument parser -------------------------------------------------------------------

def _x(T):
    return T.tensor(X3)


ERRORS = {
    "dropout/missing": lambda T: T.dropout(_x(T), 0.5),
    "dropout/train_int": lambda T: T.dropout(_x(T), 0.5, 1),
    "dropout/p": lambda T: T.dropout(_x(T), 1.5, True),
    "feature_dropout/number": lambda T: T.feature_dropout(2.0, 0.5, True),
    "alpha_dropout/kw": lambda T: T.alpha_dropout(_x(T), p=0.5, training=True),
    "native_dropout/p": lambda T: T.native_dropout(_x(T), 1.5, True),
    "native_dropout/train_int": lambda T: T.native_dropout(_x(T), 0.5, 1),
    "native_layer_norm/missing": lambda T: T.native_layer_norm(_x(T), [5], None, None),
    "native_layer_norm/weight": lambda T: T.native_layer_norm(_x(T), [5], 1.0, None, 1e-5),
    "lstm_cell/hx": lambda T: T.lstm_cell(_x(T)[0], _x(T)[0], _x(T)[0], _x(T)[0]),
    "rnn_tanh_cell/bias": lambda T: T.rnn_tanh_cell(_x(T)[0], _x(T)[0], _x(T)[0], _x(T)[0],
                                                    1),
    "gru_cell/one_d": lambda T: T.gru_cell(_x(T)[0, 0], _x(T)[0, 0], _x(T)[0], _x(T)[0]),
    "batch_norm/weight": lambda T: T.batch_norm(_x(T), 1.0, None, None, None, True, 0.1, 1e-5,
                                                True),
    "batch_norm/missing": lambda T: T.batch_norm(_x(T), None, None, None, None, True, 0.1,
                                                 1e-5),
    "batch_norm/cudnn_int": lambda T: T.batch_norm(_x(T), None, None, None, None, True, 0.1,
                                                   1e-5, 2),
    "instance_norm/bias": lambda T: T.instance_norm(_x(T), None, 2, None, None, True, 0.1,
                                                    1e-5, True),
    "layer_norm/shape_float": lambda T: T.layer_norm(_x(T), 3.0),
    "layer_norm/shape_int": lambda T: T.layer_norm(_x(T), 5),
    "layer_norm/eps_str": lambda T: T.layer_norm(_x(T), (5,), eps="a"),
    "layer_norm/too_many": lambda T: T.layer_norm(_x(T), (5,), None, None, 1e-5, True, 1),
    "group_norm/groups_float": lambda T: T.group_norm(_x(T), 1.5),
    "rms_norm/weight": lambda T: T.rms_norm(_x(T), (5,), 1),
    "embedding/indices": lambda T: T.embedding(_x(T), 1),
    "embedding/weight": lambda T: T.embedding([1.0], _x(T)),
    "max_pool2d/kernel": lambda T: T.max_pool2d(_x(T), 2.0),
    "max_pool2d/stride": lambda T: T.max_pool2d(_x(T), (2,), 1.0),
    "max_pool1d/list_elem": lambda T: T.max_pool1d(_x(T), [2, 1.5]),
    "max_pool1d_with_indices/input": lambda T: T.max_pool1d_with_indices(1, 2),
    "adaptive_max_pool1d/size": lambda T: T.adaptive_max_pool1d(_x(T), None),
    "constant_pad_nd/pad_int": lambda T: T.constant_pad_nd(_x(T), 1),
    "constant_pad_nd/value": lambda T: T.constant_pad_nd(_x(T), [1], "a"),
    "celu/alpha": lambda T: T.celu(_x(T), "1"),
    "selu/unknown": lambda T: T.selu(_x(T), inplace=True),
    "threshold/value_none": lambda T: T.threshold(_x(T), 1, None),
    "threshold/missing": lambda T: T.threshold(_x(T), 1),
    "rrelu/training": lambda T: T.rrelu(_x(T), 0.1, 0.2, 1),
    "convolution/bias": lambda T: T.convolution(_x(T), _x(T), 1, [1], [0], [1], False, [0], 1),
    "convolution/transposed": lambda T: T.convolution(_x(T), _x(T), None, [1], [0], [1], 0,
                                                      [0], 1),
    "affine_grid_generator/theta": lambda T: T.affine_grid_generator(1.0, [1, 1, 2, 2], False),
    "grid_sampler/mode": lambda T: T.grid_sampler(_x(T), _x(T), "bilinear", 0, False),
    "kl_div/reduction_str": lambda T: T.kl_div(_x(T), _x(T), "mean"),
    "kl_div/reduction_bool": lambda T: T.kl_div(_x(T), _x(T), True),
    "kl_div/log_target_positional": lambda T: T.kl_div(_x(T), _x(T), 1, True),
    "binary_cross_entropy_with_logits/target": lambda T: T.binary_cross_entropy_with_logits(
        _x(T), 0.5),
    "margin_ranking_loss/target": lambda T: T.margin_ranking_loss(_x(T), _x(T), 1),
    "hinge_embedding_loss/margin": lambda T: T.hinge_embedding_loss(_x(T), _x(T), "1"),
    "cosine_embedding_loss/input2": lambda T: T.cosine_embedding_loss(_x(T), None, _x(T)),
    "triplet_margin_loss/swap": lambda T: T.triplet_margin_loss(_x(T), _x(T), _x(T), swap=1),
    "poisson_nll_loss/missing": lambda T: T.poisson_nll_loss(_x(T), _x(T), True, False),
    "ctc_loss/lengths": lambda T: T.ctc_loss(_x(T), _x(T), 1.5, [1]),
    "ctc_loss/log_probs": lambda T: T.ctc_loss(1, _x(T), [1], [1]),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_argument_errors(case):
    ours, theirs = check_raises(ERRORS[case])
    assert str(ours).splitlines()[0] == str(theirs).splitlines()[0]
