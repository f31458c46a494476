"""Extreme inputs: logits of +-1e4, probabilities of exactly 0 and 1, targets on the boundaries,
zero variances and zero vectors. Values and gradients must equal torch's, finite where torch's are
finite, and inf or nan exactly where torch's are (the harness compares nan positions)."""
import numpy as np
import pytest

from harness import FLOAT_DTYPES, check

REDUCTIONS = ("none", "mean", "sum")
BIG = [1e4, -1e4, 100.0, -100.0, 30.0, -30.0, 0.0, 1e-3]


def F(T):
    return T.nn.functional


def arr(values, dtype):
    return np.asarray(values, dtype=dtype)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_huge_logits(dtype, reduction, smoothing, weighted):
    x = arr([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4], [1e4, 1e4, -1e4], [-1e4, 0.0, 1e4]], dtype)
    t = np.array([1, 2, 0, 0])  # the wrong class at 1e4 below the best: a loss of 2e4
    w = arr([0.5, 2.0, 1.0], dtype)

    def fn(T, a):
        return F(T).cross_entropy(a, T.tensor(t), T.tensor(w) if weighted else None,
                                  reduction=reduction, label_smoothing=smoothing)
    check(fn, x)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_huge_logits_one_hot_probabilities(dtype, reduction):
    x = arr([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4], [3.0, 1e4, -1e4]], dtype)
    y = arr([[0, 1, 0], [0, 0, 1], [1, 0, 0]], dtype)  # probabilities of exactly 0 and 1
    check(lambda T, a, b: F(T).cross_entropy(a, b, reduction=reduction), x, y)
    check(lambda T, a, b: F(T).cross_entropy(a, b, reduction=reduction, label_smoothing=0.2),
          x, y)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
@pytest.mark.parametrize("inner", [4, 16])  # the row max by argmax (classes near innermost), by max
def test_cross_entropy_nd_extremes(dtype, reduction, smoothing, inner):
    rng = np.random.default_rng(3)
    x = arr(rng.choice(BIG + [np.inf, -np.inf, np.nan], size=(2, 3, inner)), dtype)
    x[0, :, 0] = np.nan          # a whole row of nan, a row of -inf, ties of +inf and of 0
    x[0, :, 1] = -np.inf
    x[1, :2, 2] = np.inf
    x[1, :, 3] = 0.0
    t = rng.integers(0, 3, (2, inner))
    check(lambda T, a: F(T).cross_entropy(a, T.tensor(t), reduction=reduction,
                                          label_smoothing=smoothing), x)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_nll_of_minus_infinity(dtype):
    x = arr([[-np.inf, 0.0], [-1e4, -np.inf]], dtype)
    check(lambda T, a: F(T).nll_loss(a, T.tensor([0, 0]), reduction="none"), x)
    check(lambda T, a: F(T).nll_loss(a, T.tensor([1, 0])), x)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_probabilities_exactly_0_and_1(dtype, reduction):
    """log is clamped at -100: a certain wrong answer costs 100; the gradient is bounded by the
    1e-12 floor of x (1 - x); the target gradient -logit(x) is +-inf there, as in torch."""
    x = arr([0.0, 1.0, 0.0, 1.0, 0.5, 1e-30, 1 - 1e-7, 1e-7], dtype)
    y = arr([0.0, 1.0, 1.0, 0.0, 0.5, 0.0, 1.0, 1.0], dtype)
    check(lambda T, a, b: F(T).binary_cross_entropy(a, b, reduction=reduction), x, y)
    check(lambda T, a, b: F(T).binary_cross_entropy(
        a, b, weight=T.tensor(arr([2.0] * 8, dtype)), reduction=reduction), x, y)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pos_weight", [None, 3.0])
def test_bce_with_logits_huge_logits(dtype, reduction, pos_weight):
    x = arr(BIG, dtype)
    for y in (arr([1, 0, 1, 0, 1, 0, 0.5, 1], dtype), arr([0, 1, 0, 1, 0, 1, 1, 0], dtype)):
        check(lambda T, a, b: F(T).binary_cross_entropy_with_logits(
            a, b, reduction=reduction,
            pos_weight=None if pos_weight is None else T.tensor(arr(pos_weight, dtype))), x, y)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_soft_margin_and_multilabel_soft_margin_huge_logits(dtype):
    """torch's soft margin loss overflows to inf (and a nan gradient) for -y x beyond the exp
    range; the multilabel soft margin loss, built on log-sigmoid, stays finite."""
    x = arr(BIG, dtype)
    y = arr([1, 1, -1, -1, 1, -1, 1, -1], dtype)
    check(lambda T, a: F(T).soft_margin_loss(a, T.tensor(y), reduction="none"), x)
    check(lambda T, a: F(T).soft_margin_loss(a, T.tensor(-y), reduction="sum"), x)
    yb = (y > 0).astype(dtype)
    check(lambda T, a, b: F(T).multilabel_soft_margin_loss(a, b, reduction="none"),
          x.reshape(2, 4), yb.reshape(2, 4))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_boundary_targets(dtype, log_target):
    """A target probability of 0 contributes 0 to the loss (xlogy), and torch's target
    gradient there is nan; a log-target of -inf gives nan, as in torch."""
    x = arr([-1.0, -2.0, 0.0, -1e4, -30.0], dtype)
    y = arr([0.0, 0.5, 1.0, 1e-30, 1e-7], dtype)
    if log_target:
        y = arr([-np.inf, -0.5, 0.0, -1e4, 1.0], dtype)
    check(lambda T, a, b: F(T).kl_div(a, b, reduction="none", log_target=log_target), x, y)
    check(lambda T, a, b: F(T).kl_div(a, b, reduction="batchmean", log_target=log_target),
          x.reshape(1, 5), y.reshape(1, 5))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("log_input", [True, False])
@pytest.mark.parametrize("full", [False, True])
def test_poisson_boundary_targets(dtype, log_input, full):
    """Targets 0 and 1 sit on the edge of the Stirling term (applied for y > 1 only)."""
    x = arr([-1.0, -2.0, 0.0, 1.0, 20.0], dtype) if log_input else \
        arr([0.0, 2.0, 0.0, 1.0, 1e-9], dtype)
    y = arr([0.0, 0.5, 1.0, 2.0, 1.0 + 1e-6], dtype)
    check(lambda T, a, b: F(T).poisson_nll_loss(a, b, log_input=log_input, full=full,
                                                reduction="none"), x, y)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_gaussian_zero_variance(dtype):
    v = arr([0.0, 0.0, 1e-30, 1e4], dtype)
    check(lambda T, a, b, c: F(T).gaussian_nll_loss(a, b, c, reduction="none"),
          arr([1.0, 0.0, 1e4, -1e4], dtype), arr([0.0, 0.0, 0.0, 1e4], dtype), v)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_regression_losses_far_apart(dtype):
    x, y = arr([1e4, -1e4, 1e-30, 0.0], dtype), arr([-1e4, 1e4, 0.0, 1e-30], dtype)
    for name, kw in (("mse_loss", {}), ("l1_loss", {}), ("huber_loss", dict(delta=0.1)),
                     ("smooth_l1_loss", dict(beta=1e-3)), ("smooth_l1_loss", dict(beta=1e4))):
        check(lambda T, a, b: getattr(F(T), name)(a, b, reduction="none", **kw), x, y)
        check(lambda T, a, b: getattr(F(T), name)(a, b, **kw), x, y)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_margin_losses_extremes(dtype):
    a = arr([[0.0, 0.0], [1e4, -1e4], [1e-20, 0.0]], dtype)
    b = arr([[0.0, 0.0], [-1e4, 1e4], [0.0, 1e-20]], dtype)
    for y in ([1, -1, 1], [-1, 1, -1]):
        check(lambda T, u, v: F(T).cosine_embedding_loss(u, v, T.tensor(y), reduction="none"),
              a, b)
    check(lambda T, u, v, w: F(T).triplet_margin_loss(u, v, w, reduction="none", swap=True),
          a, a, b)
    check(lambda T, u, v, w: F(T).triplet_margin_loss(u, v, w, reduction="none", eps=0.0),
          a, a, b)
    x1, x2 = arr([1e4, -1e4, 0.0], dtype), arr([-1e4, 1e4, 0.0], dtype)
    check(lambda T, u, v: F(T).margin_ranking_loss(u, v, T.tensor(arr([1, 1, -1], dtype)),
                                                   reduction="none"), x1, x2)
    check(lambda T, u: F(T).hinge_embedding_loss(u, T.tensor(arr([1, -1, -1], dtype)),
                                                 margin=1e4, reduction="none"), x1)
    check(lambda T, u: F(T).multi_margin_loss(u, T.tensor([0, 2]), reduction="none"),
          arr([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]], dtype))
