"""Bad input to the losses: the exception type torch raises and its message (first line)."""
import numpy as np
import pytest

from harness import check_raises

pytestmark = pytest.mark.filterwarnings("ignore:Using a target size", "ignore:reduction. .mean.")


def F(T):
    return T.nn.functional


def x35(T):
    return T.tensor(np.random.default_rng(0).standard_normal((3, 5)).astype(np.float32))


def p35(T):
    return T.tensor(np.random.default_rng(1).uniform(0.1, 0.9, (3, 5)).astype(np.float32))


def long(T, values):
    return T.tensor(np.asarray(values, dtype=np.int64))


CASES = {
    # class indices out of range: IndexError, naming the first bad target
    "ce target out of bounds": lambda T: F(T).cross_entropy(x35(T), long(T, [0, 7, 1])),
    "ce negative target": lambda T: F(T).cross_entropy(x35(T), long(T, [0, -1, 1])),
    "nll target out of bounds": lambda T: F(T).nll_loss(x35(T), long(T, [0, 7, 1])),
    "nll out of bounds, none": lambda T: F(T).nll_loss(x35(T), long(T, [5, 0, 1]),
                                                       reduction="none"),
    "nll out of bounds 1d": lambda T: F(T).nll_loss(x35(T)[0], long(T, 7)),
    "nll out of bounds 4d": lambda T: F(T).nll_loss(T.zeros(2, 3, 2, 2),
                                                    T.full((2, 2, 2), 5, dtype=T.int64)),
    "ce out of bounds, smoothing": lambda T: F(T).cross_entropy(
        x35(T), long(T, [0, 9, 1]), label_smoothing=0.1),
    "ce with zero classes": lambda T: F(T).cross_entropy(T.zeros(3, 0, requires_grad=True),
                                                         long(T, [0, 0, 0])),
    "ignore_index not ignoring a bad target": lambda T: F(T).cross_entropy(
        x35(T), long(T, [0, 7, 1]), ignore_index=5),
    # batch size and spatial shape
    "ce batch size": lambda T: F(T).cross_entropy(x35(T), long(T, [0, 1, 2, 3])),
    "nll batch size": lambda T: F(T).nll_loss(x35(T), long(T, [0, 1, 2, 3])),
    "ce batch size 4d": lambda T: F(T).cross_entropy(T.zeros(2, 3, 4, 4),
                                                     T.zeros(3, 4, 4, dtype=T.int64)),
    "nll 0-d target for 2-d input": lambda T: F(T).nll_loss(x35(T), long(T, 2)),
    "ce spatial size 4d": lambda T: F(T).cross_entropy(T.zeros(2, 3, 4, 4),
                                                       T.zeros(2, 4, 5, dtype=T.int64)),
    "ce spatial size 3d": lambda T: F(T).cross_entropy(T.zeros(2, 3, 4),
                                                       T.zeros(2, 5, dtype=T.int64)),
    "ce missing spatial dim": lambda T: F(T).cross_entropy(T.zeros(2, 3, 4),
                                                           T.zeros(2, dtype=T.int64)),
    "nll 4d target of dim 2": lambda T: F(T).nll_loss(T.zeros(2, 3, 2, 2),
                                                      T.zeros(2, 4, dtype=T.int64)),
    "nll 5d target size": lambda T: F(T).nll_loss(T.zeros(2, 3, 2, 2, 2),
                                                  T.zeros(2, 4, 2, dtype=T.int64)),
    "nll multi-target": lambda T: F(T).nll_loss(x35(T), T.zeros(3, 1, dtype=T.int64)),
    "nll 0-d input": lambda T: F(T).nll_loss(T.tensor(1.0), long(T, 0)),
    "nll 1-d input, 2 targets": lambda T: F(T).nll_loss(x35(T)[0], long(T, [2, 1])),
    # target dtypes
    "ce int32 target": lambda T: F(T).cross_entropy(x35(T), T.tensor([0, 1, 2], dtype=T.int32)),
    "nll float target": lambda T: F(T).nll_loss(x35(T)[0], T.tensor(1.0)),
    "nll 4d int32 target": lambda T: F(T).nll_loss(T.zeros(2, 3, 2, 2),
                                                   T.zeros(2, 2, 2, dtype=T.int32)),
    "ce 0-d long target": lambda T: F(T).cross_entropy(T.tensor(1.0), long(T, 0)),
    # class weights
    "ce weight size": lambda T: F(T).cross_entropy(x35(T), long(T, [0, 1, 2]),
                                                   weight=T.ones(4)),
    "nll weight 2-d": lambda T: F(T).nll_loss(x35(T), long(T, [0, 1, 2]), weight=T.ones(1, 5)),
    "nll weight size 4d": lambda T: F(T).nll_loss(T.zeros(2, 3, 2, 2),
                                                  T.zeros(2, 2, 2, dtype=T.int64),
                                                  weight=T.ones(4)),
    "nll weight dtype": lambda T: F(T).nll_loss(x35(T), long(T, [0, 1, 2]),
                                                weight=T.ones(5, dtype=T.float64)),
    "ce weight dtype, smoothing": lambda T: F(T).cross_entropy(
        x35(T), long(T, [0, 1, 2]), weight=T.ones(5, dtype=T.float64), label_smoothing=0.1),
    "nll weight requires grad": lambda T: F(T).nll_loss(
        x35(T), long(T, [0, 1, 2]), weight=T.ones(5, requires_grad=True)),
    "ce weight requires grad": lambda T: F(T).cross_entropy(
        x35(T), long(T, [0, 1, 2]), weight=T.ones(5, requires_grad=True)),
    # probability targets
    "ce probability target, wrong shape": lambda T: F(T).cross_entropy(x35(T), p35(T)[:, :4]),
    "ce probability target, wrong batch": lambda T: F(T).cross_entropy(
        x35(T), T.ones(4, 5) / 5),
    "ce probability target of ints": lambda T: F(T).cross_entropy(
        x35(T), T.ones(3, 5, dtype=T.int64)),
    "ce probability target, ignore_index": lambda T: F(T).cross_entropy(x35(T), p35(T),
                                                                        ignore_index=1),
    "ce probability weight size": lambda T: F(T).cross_entropy(x35(T), p35(T),
                                                               weight=T.ones(4)),
    "ce probability 0-d": lambda T: F(T).cross_entropy(T.tensor(1.0), T.tensor(1.0)),
    "ce label smoothing > 1": lambda T: F(T).cross_entropy(x35(T), long(T, [0, 1, 2]),
                                                           label_smoothing=1.5),
    "ce label smoothing > 1, probs": lambda T: F(T).cross_entropy(x35(T), p35(T),
                                                                  label_smoothing=2.0),
    "ce integer logits": lambda T: F(T).cross_entropy(T.ones(3, 5, dtype=T.int64),
                                                      long(T, [0, 1, 2])),
    # unknown reduction strings, each with torch's wording
    "ce reduction": lambda T: F(T).cross_entropy(x35(T), long(T, [0, 1, 2]), reduction="avg"),
    "mse reduction": lambda T: F(T).mse_loss(x35(T), x35(T), reduction="avg"),
    "l1 reduction": lambda T: F(T).l1_loss(x35(T), x35(T), reduction="Mean"),
    "bce reduction": lambda T: F(T).binary_cross_entropy(p35(T), p35(T), reduction="avg"),
    "bce logits reduction": lambda T: F(T).binary_cross_entropy_with_logits(
        x35(T), p35(T), reduction="avg"),
    "poisson reduction": lambda T: F(T).poisson_nll_loss(x35(T), x35(T), reduction="avg"),
    "gaussian reduction": lambda T: F(T).gaussian_nll_loss(x35(T), x35(T), p35(T),
                                                           reduction="avg"),
    "mlsm reduction": lambda T: F(T).multilabel_soft_margin_loss(x35(T), p35(T),
                                                                 reduction="avg"),
    "kl reduction": lambda T: F(T).kl_div(x35(T), p35(T), reduction="avg"),
    "triplet reduction": lambda T: F(T).triplet_margin_loss(x35(T), x35(T), x35(T),
                                                            reduction="avg"),
    "huber reduction": lambda T: F(T).huber_loss(x35(T), x35(T), reduction="avg"),
    "weighted mse reduction": lambda T: F(T).mse_loss(x35(T), x35(T), reduction="avg",
                                                      weight=p35(T)),
    "multi margin reduction": lambda T: F(T).multi_margin_loss(x35(T), long(T, [0, 1, 2]),
                                                               reduction="x"),
    # shapes of regression losses
    "mse shapes do not broadcast": lambda T: F(T).mse_loss(x35(T), T.ones(4)),
    "l1 shapes do not broadcast": lambda T: F(T).l1_loss(x35(T), T.ones(3)),
    "mse weight size": lambda T: F(T).mse_loss(x35(T), x35(T), weight=T.ones(5)),
    "huber delta 0": lambda T: F(T).huber_loss(x35(T), x35(T), delta=0.0),
    "huber delta < 0": lambda T: F(T).huber_loss(x35(T), x35(T), delta=-1.0),
    "smooth l1 beta < 0": lambda T: F(T).smooth_l1_loss(x35(T), x35(T), beta=-1.0),
    "mse of integers": lambda T: F(T).mse_loss(T.ones(3, dtype=T.int64),
                                               T.ones(3, dtype=T.int64)),
    "l1 mean of integers": lambda T: F(T).l1_loss(long(T, [1, 2]), long(T, [3, 0])),
    "smooth l1 beta 0 mean of integers": lambda T: F(T).smooth_l1_loss(
        long(T, [1, 2]), long(T, [3, 0]), beta=0.0),
    "huber of integers": lambda T: F(T).huber_loss(long(T, [1, 2]), long(T, [3, 0])),
    "smooth l1 of integers": lambda T: F(T).smooth_l1_loss(long(T, [1, 2]), long(T, [3, 0]),
                                                           reduction="sum"),
    "kl of integers": lambda T: F(T).kl_div(long(T, [1, 2]), long(T, [3, 0]), reduction="sum"),
    "hinge mean of integers": lambda T: F(T).hinge_embedding_loss(long(T, [1, 2]),
                                                                  long(T, [1, -1])),
    "soft margin of integers": lambda T: F(T).soft_margin_loss(long(T, [1, 2]),
                                                               long(T, [1, -1])),
    "kl shapes": lambda T: F(T).kl_div(x35(T), p35(T)[:2], reduction="sum"),
    "poisson shapes": lambda T: F(T).poisson_nll_loss(x35(T), x35(T)[:2]),
    # BCE
    "bce input above 1": lambda T: F(T).binary_cross_entropy(x35(T) + 2, p35(T)),
    "bce input below 0": lambda T: F(T).binary_cross_entropy(-p35(T), p35(T)),
    "bce nan input": lambda T: F(T).binary_cross_entropy(T.tensor([float("nan")]),
                                                         T.tensor([0.5])),
    "bce target outside": lambda T: F(T).binary_cross_entropy(p35(T), p35(T) * 3),
    "bce target size": lambda T: F(T).binary_cross_entropy(p35(T), p35(T)[0]),
    "bce target dtype": lambda T: F(T).binary_cross_entropy(p35(T), p35(T).double()),
    "bce weight size": lambda T: F(T).binary_cross_entropy(p35(T), p35(T), weight=T.ones(4)),
    "bce weight larger": lambda T: F(T).binary_cross_entropy(p35(T), p35(T),
                                                             weight=T.ones(2, 3, 5)),
    "bce weight requires grad": lambda T: F(T).binary_cross_entropy(
        p35(T), p35(T), weight=T.ones(5, requires_grad=True)),
    "bce logits target size": lambda T: F(T).binary_cross_entropy_with_logits(x35(T),
                                                                              p35(T)[0]),
    "bce logits pos_weight size": lambda T: F(T).binary_cross_entropy_with_logits(
        x35(T), p35(T), pos_weight=T.ones(4)),
    "bce logits weight size": lambda T: F(T).binary_cross_entropy_with_logits(
        x35(T), p35(T), weight=T.ones(4)),
    "bce logits pos_weight larger": lambda T: F(T).binary_cross_entropy_with_logits(
        x35(T), p35(T), pos_weight=T.ones(2, 3, 5)),
    "bce logits weight larger": lambda T: F(T).binary_cross_entropy_with_logits(
        x35(T), p35(T), weight=T.ones(2, 3, 5)),
    "bce logits pos_weight requires grad": lambda T: F(T).binary_cross_entropy_with_logits(
        x35(T), p35(T), pos_weight=T.ones(5, requires_grad=True)),
    "bce logits weight requires grad": lambda T: F(T).binary_cross_entropy_with_logits(
        x35(T), p35(T), weight=T.ones(5, requires_grad=True)),
    # margins and embeddings
    "soft margin target requires grad": lambda T: F(T).soft_margin_loss(
        x35(T), T.ones(3, 5, requires_grad=True)),
    "soft margin target larger": lambda T: F(T).soft_margin_loss(x35(T)[0], T.ones(3, 5)),
    "mlsm 0-d": lambda T: F(T).multilabel_soft_margin_loss(T.tensor(1.0), T.tensor(1.0)),
    "multi margin p": lambda T: F(T).multi_margin_loss(x35(T), long(T, [0, 1, 2]), p=3),
    "multi margin target range": lambda T: F(T).multi_margin_loss(x35(T), long(T, [1, 5, 0])),
    "multi margin negative target": lambda T: F(T).multi_margin_loss(x35(T),
                                                                     long(T, [1, -1, 0])),
    "multi margin target size": lambda T: F(T).multi_margin_loss(x35(T), long(T, [1, 1])),
    "multi margin weight size": lambda T: F(T).multi_margin_loss(x35(T), long(T, [1, 1, 1]),
                                                                 weight=T.ones(4)),
    "multi margin weight 2-d": lambda T: F(T).multi_margin_loss(x35(T), long(T, [1, 1, 1]),
                                                                weight=T.ones(1, 5)),
    "multi margin empty": lambda T: F(T).multi_margin_loss(T.ones(3, 0), long(T, [1, 1, 1])),
    "multi margin 3-d": lambda T: F(T).multi_margin_loss(T.ones(3, 2, 2), long(T, [1, 1, 1])),
    "multi margin float target": lambda T: F(T).multi_margin_loss(x35(T), T.ones(3)),
    "multi margin weight requires grad": lambda T: F(T).multi_margin_loss(
        x35(T), long(T, [1, 1, 1]), weight=T.ones(5, requires_grad=True)),
    "multilabel margin target range": lambda T: F(T).multilabel_margin_loss(
        x35(T), T.full((3, 5), 5, dtype=T.int64)),
    "multilabel margin target below -1": lambda T: F(T).multilabel_margin_loss(
        x35(T), T.full((3, 5), -2, dtype=T.int64)),
    "multilabel margin bad entry after -1": lambda T: F(T).multilabel_margin_loss(
        x35(T)[:1], long(T, [[3, 0, -1, 7, 0]])),
    "multilabel margin target size": lambda T: F(T).multilabel_margin_loss(
        x35(T), T.zeros(3, 4, dtype=T.int64)),
    "multilabel margin 1-d target size": lambda T: F(T).multilabel_margin_loss(
        x35(T)[0], T.zeros(4, dtype=T.int64)),
    "multilabel margin int32 target": lambda T: F(T).multilabel_margin_loss(
        x35(T), T.zeros(3, 5, dtype=T.int32)),
    "cosine 2-d target": lambda T: F(T).cosine_embedding_loss(x35(T), x35(T), T.ones(3, 1)),
    "cosine 1-d target, 1-d input": lambda T: F(T).cosine_embedding_loss(x35(T)[0], x35(T),
                                                                         T.ones(3)),
    "cosine 0-d target, 2-d input": lambda T: F(T).cosine_embedding_loss(x35(T), x35(T),
                                                                         T.tensor(1.0)),
    "cosine batch": lambda T: F(T).cosine_embedding_loss(x35(T), x35(T), T.ones(4)),
    "margin ranking dims": lambda T: F(T).margin_ranking_loss(x35(T), x35(T), T.ones(3)),
    "triplet dims": lambda T: F(T).triplet_margin_loss(x35(T), x35(T)[0], x35(T)),
    "triplet margin": lambda T: F(T).triplet_margin_loss(x35(T), x35(T), x35(T), margin=0),
    "triplet distance dims": lambda T: F(T).triplet_margin_with_distance_loss(
        x35(T), x35(T)[0], x35(T)),
    "triplet distance margin": lambda T: F(T).triplet_margin_with_distance_loss(
        x35(T), x35(T), x35(T), margin=-1.0),
    "triplet distance reduction": lambda T: F(T).triplet_margin_with_distance_loss(
        x35(T), x35(T), x35(T), reduction="avg"),
    # Gaussian variance
    "gaussian negative float var": lambda T: F(T).gaussian_nll_loss(x35(T), x35(T), -1.0),
    "gaussian negative var": lambda T: F(T).gaussian_nll_loss(x35(T), x35(T), -T.ones(3, 5)),
    "gaussian var size 1": lambda T: F(T).gaussian_nll_loss(x35(T), x35(T), T.ones(2, 1)),
    "gaussian var size 2": lambda T: F(T).gaussian_nll_loss(x35(T), x35(T), T.ones(5)),
    "gaussian var size 3": lambda T: F(T).gaussian_nll_loss(x35(T), x35(T), T.ones(1, 1)),
}

MATCH = {  # torch's message goes on with C++ overload listings: compare the first line's start
    "gaussian int var": "^any\\(\\) received an invalid combination of arguments",
}
CASES["gaussian int var"] = lambda T: F(T).gaussian_nll_loss(x35(T), x35(T), 1)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(name):
    check_raises(CASES[name], match=MATCH.get(name))


def test_no_grad_mode_allows_weight_with_requires_grad():
    """torch only refuses a differentiable weight when grad mode is on."""
    import torch

    import minitorch_ref as mt
    for T in (torch, mt):
        with T.no_grad():
            F(T).nll_loss(x35(T), long(T, [0, 1, 2]), weight=T.ones(5, requires_grad=True))
