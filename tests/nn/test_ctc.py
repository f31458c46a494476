"""F.ctc_loss and nn.CTCLoss against torch: values and gradients (float32, float64) for padded
and concatenated targets, every reduction, repeated labels (the skip rule), empty targets,
impossible alignments (inf, and zero_infinity), zero-length inputs, a non-zero blank, unbatched
input, lengths as tensors, lists and tuples; repr; errors."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check, check_raises

DTYPES = [np.float32, np.float64]


def log_probs(steps, batch, classes, dtype, seed=0):
    z = np.random.default_rng(seed).standard_normal((steps, batch, classes))
    z -= z.max(-1, keepdims=True)
    return (z - np.log(np.exp(z).sum(-1, keepdims=True))).astype(dtype)


def ctc(T, lp, tg, il, tl, **kw):
    conv = lambda a: T.tensor(a) if isinstance(a, np.ndarray) else a  # noqa: E731
    return T.nn.functional.ctc_loss(lp, conv(tg), conv(il), conv(tl), **kw)


CASES = {
    "padded": (np.array([[1, 2, 3], [2, 2, 0], [3, 0, 0]]), [6, 5, 3], [3, 2, 1]),
    "repeats": (np.array([[1, 1, 2], [3, 3, 3], [2, 1, 2]]), [6, 6, 6], [3, 3, 3]),
    "empty target": (np.array([[1, 2], [0, 0], [3, 0]]), [6, 4, 5], [2, 0, 1]),
    "impossible": (np.array([[1, 1, 1], [2, 3, 1], [1, 2, 3]]), [6, 2, 5], [3, 3, 3]),
    "zero length input": (np.array([[1, 2], [3, 0], [0, 0]]), [6, 0, 0], [2, 1, 0]),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("case", list(CASES))
def test_ctc_loss(case, reduction, dtype):
    tg, il, tl = CASES[case]
    lp = log_probs(6, 3, 4, dtype)
    for zero_infinity in (False, True):
        kw = dict(reduction=reduction, zero_infinity=zero_infinity)
        check(lambda T, lp: ctc(T, lp, tg, np.array(il), np.array(tl), **kw), lp)


@pytest.mark.parametrize("dtype", DTYPES)
def test_concatenated_targets_and_length_types(dtype):
    tg, il, tl = CASES["padded"]
    flat = np.concatenate([tg[n, :tl[n]] for n in range(3)])
    lp = log_probs(6, 3, 4, dtype, seed=1)
    check(lambda T, lp: ctc(T, lp, flat, np.array(il), np.array(tl)), lp)
    check(lambda T, lp: ctc(T, lp, tg, list(il), list(tl)), lp)
    check(lambda T, lp: ctc(T, lp, tg, tuple(il), tuple(tl), reduction="sum"), lp)
    check(lambda T, lp: ctc(T, lp, tg.astype(np.int32), np.array(il, np.int32),
                            np.array(tl, np.int32)), lp)


@pytest.mark.parametrize("dtype", DTYPES)
def test_blank_not_zero_and_unbatched(dtype):
    lp = log_probs(7, 2, 5, dtype, seed=2)
    tg = np.array([[0, 1, 1], [2, 0, 4]])
    check(lambda T, lp: ctc(T, lp, tg, np.array([7, 6]), np.array([3, 2]), blank=3), lp)
    for reduction in ("none", "mean", "sum"):
        check(lambda T, lp: ctc(T, lp, tg[0], np.array(7), np.array(3), blank=4,
                                reduction=reduction), lp[:, 0])


def test_gradient_through_log_softmax_and_longer_sequences():
    """The way CTC is trained: logits -> log_softmax -> ctc_loss; 30 steps, 12 classes."""
    z = np.random.default_rng(3).standard_normal((30, 4, 12))
    tg = np.random.default_rng(4).integers(1, 12, (4, 8))
    for dtype in DTYPES:
        check(lambda T, z: T.nn.functional.ctc_loss(
            z.log_softmax(2), T.tensor(tg), T.tensor([30, 25, 20, 9]), T.tensor([8, 6, 8, 3])),
            z.astype(dtype))


def test_module():
    for T in (torch, mt):
        assert repr(T.nn.CTCLoss()) == "CTCLoss()"
        m = T.nn.CTCLoss(blank=2, reduction="sum", zero_infinity=True)
        assert (m.blank, m.reduction, m.zero_infinity) == (2, "sum", True)
    lp = log_probs(6, 3, 4, np.float64)
    tg, il, tl = CASES["impossible"]
    check(lambda T, lp: T.nn.CTCLoss(zero_infinity=True)(lp, T.tensor(tg), T.tensor(il),
                                                         T.tensor(tl)), lp)


def _call(lp_shape=(5, 3, 4), tg=None, il=(5, 4, 3), tl=(3, 2, 1), **kw):
    def run(T):
        lp = T.zeros(*lp_shape).log_softmax(-1)
        targets = T.tensor(np.ones((3, 3), np.int64) if tg is None else tg)
        lengths = lambda v: T.tensor(v) if isinstance(v, np.ndarray) else T.tensor(list(v))  # noqa
        return T.nn.functional.ctc_loss(lp, targets, lengths(il), lengths(tl), **kw)
    return run


@pytest.mark.parametrize("run", [
    _call(il=(6, 4, 3)), _call(tl=(4, 2, 1)), _call(blank=4), _call(blank=-1),
    _call(il=(5, 4)), _call(tl=(3, 2)), _call(reduction="foo"),
    _call(tg=np.ones((3, 2), np.int64)), _call(tg=np.array([1, 2, 3])),
    _call(tl=(3, 2, -1)), _call(il=np.array([5.0, 4.0, 3.0])),
])
def test_errors(run):
    check_raises(run)
