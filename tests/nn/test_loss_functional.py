"""nn.functional losses against torch: values, dtypes, shapes and the gradients of every input
(target, var, weight included where torch differentiates them), for each reduction, each option
and both float dtypes. Constant tensors (class weights, targets torch does not differentiate) are
built inside the lambdas, so that they do not require grad in either library."""
import warnings

import numpy as np
import pytest

from harness import FLOAT_DTYPES, check
from harness import rand as _rand
from harness import randn as _randn


def rand(*shape, **kw):  # 0-d cases need arrays, not NumPy scalars
    return np.asarray(_rand(*shape, **kw))


def randn(*shape, scale=1.0, shift=0.0, **kw):
    return np.asarray(scale * _randn(*shape, **kw) + shift)

REDUCTIONS = ("none", "mean", "sum")
pytestmark = pytest.mark.filterwarnings("ignore:Using a target size",
                                         "ignore:reduction. .mean. divides")


def F(T):
    return T.nn.functional


def const(T, arr):
    """A tensor that requires no grad in either library."""
    return T.tensor(arr)


def labels(*shape, n_classes, seed=0, ignore=None):
    rng = np.random.default_rng(seed + 100)
    t = rng.integers(0, n_classes, size=shape).astype(np.int64)
    if ignore is not None and t.size:
        t.flat[:: 3] = ignore
    return t


def signs(*shape, seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed + 200)
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0).astype(dtype)


SHAPES = [(), (5,), (3, 4), (2, 3, 4)]


# -- regression losses ---------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", ["l1_loss", "mse_loss"])
def test_l1_mse(name, shape, reduction, dtype):
    check(lambda T, x, y: getattr(F(T), name)(x, y, reduction=reduction),
          randn(*shape, dtype=dtype), randn(*shape, dtype=dtype, seed=1))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("delta", [0.5, 1.0, 2.5])
def test_huber(delta, shape, reduction, dtype):
    check(lambda T, x, y: F(T).huber_loss(x, y, reduction=reduction, delta=delta),
          randn(*shape, dtype=dtype, scale=2), randn(*shape, dtype=dtype, seed=1))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("beta", [0.0, 0.5, 1.0, 3.0])
def test_smooth_l1(beta, shape, reduction, dtype):
    check(lambda T, x, y: F(T).smooth_l1_loss(x, y, reduction=reduction, beta=beta),
          randn(*shape, dtype=dtype, scale=2), randn(*shape, dtype=dtype, seed=1))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("beta", [0.5, 1.0, 3.0])
@pytest.mark.parametrize("case", ["random", "constant", "rows and tail", "inf", "nan"])
def test_smooth_l1_long_sums(case, beta, reduction, dtype):
    """'mean' and 'sum' over many elements, summed without a loss array (dot products over
    rows, added in float64): as close to torch as its pairwise sum, also where every term is
    the same (a long float32 accumulation drifts most there), over sizes with a partial row,
    and with inf and NaN differences."""
    n = 3 * 4096 + 17 if case == "rows and tail" else 1 << 20
    x = randn(n, dtype=dtype, scale=2)
    y = randn(n, dtype=dtype, seed=1)
    if case == "constant":
        x, y = np.full(n, 0.7, dtype), np.full(n, 0.35 * beta, dtype)
    if case in ("inf", "nan"):
        x[[5, 4099]] = {"inf": (np.inf, -np.inf), "nan": (np.nan, 1.0)}[case]
    check(lambda T, a, b: F(T).smooth_l1_loss(a, b, reduction=reduction, beta=beta), x, y)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_regression_kinks(dtype):
    """Differences exactly at 0 and at +-delta / +-beta: torch's choice of subgradient."""
    x = np.array([0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 3.0], dtype=dtype)
    y = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 3.0], dtype=dtype)
    for fn in (lambda T, a, b: F(T).l1_loss(a, b, reduction="none"),
               lambda T, a, b: F(T).mse_loss(a, b, reduction="sum"),
               lambda T, a, b: F(T).huber_loss(a, b, reduction="none", delta=1.0),
               lambda T, a, b: F(T).huber_loss(a, b, reduction="none", delta=0.5),
               lambda T, a, b: F(T).smooth_l1_loss(a, b, reduction="none", beta=1.0),
               lambda T, a, b: F(T).smooth_l1_loss(a, b, reduction="none", beta=0.5),
               lambda T, a, b: F(T).smooth_l1_loss(a, b, reduction="none", beta=0.0)):
        check(fn, x, y)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", ["l1_loss", "mse_loss", "huber_loss", "smooth_l1_loss"])
def test_regression_broadcast_target(name, dtype):
    """A target that broadcasts: torch warns and broadcasts; the target's gradient is summed
    back to its shape."""
    check(lambda T, x, y: getattr(F(T), name)(x, y), randn(3, 4, dtype=dtype),
          randn(4, dtype=dtype, seed=1))
    check(lambda T, x, y: getattr(F(T), name)(x, y, reduction="none"), randn(3, 1, dtype=dtype),
          randn(4, dtype=dtype, seed=1))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["l1_loss", "mse_loss", "huber_loss"])
def test_regression_elementwise_weight(name, reduction, dtype):
    """torch 2.13's ``weight=`` of l1/mse/huber (weighted mean: sum(w l) / sum(w)); the weight
    is differentiated too."""
    check(lambda T, x, y, w: getattr(F(T), name)(x, y, reduction=reduction, weight=w),
          randn(3, 4, dtype=dtype), randn(3, 4, dtype=dtype, seed=1),
          rand(3, 4, dtype=dtype, seed=2, low=0.1, high=2.0))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_mixed_dtypes_promote(dtype):
    check(lambda T, x, y: F(T).mse_loss(x, y), randn(3, 4, dtype=np.float32),
          randn(3, 4, dtype=np.float64, seed=1))
    check(lambda T, x, y: F(T).l1_loss(x, y), randn(3, 4, dtype=np.float64),
          randn(3, 4, dtype=np.float32, seed=1))


def same_warnings(fn, *args):
    """Run ``fn`` in both libraries (through ``check``); both emit the same warnings."""
    seen = {}

    def record(T, *a):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            out = fn(T, *a)
        seen[T.__name__] = [(x.category, str(x.message)) for x in w]
        return out

    check(record, *args)
    assert seen["minitorch_ref"] == seen["torch"], seen
    assert seen["torch"], "torch emitted no warning: the test case is wrong"


@pytest.mark.parametrize("legacy", [dict(size_average=False), dict(reduce=False),
                                    dict(size_average=True, reduce=True),
                                    dict(size_average=False, reduce=False)])
def test_legacy_size_average_reduce(legacy):
    x, y = randn(3, 4, dtype=np.float64), randn(3, 4, dtype=np.float64, seed=1)
    same_warnings(lambda T, a, b: F(T).mse_loss(a, b, **legacy), x, y)
    same_warnings(lambda T, a: F(T).nll_loss(a, const(T, labels(3, n_classes=4)), **legacy), x)
    same_warnings(lambda T, a, b: F(T).kl_div(a, b.exp(), **legacy), x, y)
    same_warnings(lambda T, a, b: F(T).binary_cross_entropy_with_logits(a, b, **legacy), x,
                  rand(3, 4, dtype=np.float64, low=0, high=1))
    same_warnings(lambda T, a, b: F(T).multilabel_soft_margin_loss(a, b, **legacy), x, y)


def test_elementwise_mean_is_mean_with_warning():
    same_warnings(lambda T, a, b: F(T).l1_loss(a, b, reduction="elementwise_mean"),
                  randn(3, 4), randn(3, 4, seed=1))


def test_size_mismatch_and_kl_mean_warnings():
    same_warnings(lambda T, a, b: F(T).mse_loss(a, b), randn(3, 4), randn(4, seed=1))
    same_warnings(lambda T, a, b: F(T).l1_loss(a, b), randn(3, 4), randn(1, 4, seed=1))
    same_warnings(lambda T, a, b: F(T).smooth_l1_loss(a, b), randn(3, 1), randn(4, seed=1))
    same_warnings(lambda T, a, b: F(T).huber_loss(a, b), randn(4), randn(3, 4, seed=1))
    same_warnings(lambda T, a, b: F(T).kl_div(a, b), randn(3, 4), rand(3, 4, low=0, high=1))


# -- NLL and cross-entropy -----------------------------------------------------------------------

CLASS_SHAPES = [  # (input shape, target shape): (C,), (N, C), (N, C, d1), (N, C, d1, d2), 5-D
    ((5,), ()), ((4, 5), (4,)), ((3, 5, 2), (3, 2)), ((2, 5, 3, 2), (2, 3, 2)),
    ((2, 5, 2, 1, 3), (2, 2, 1, 3)), ((1, 5), (1,)),
    ((2, 3, 4, 4), (2, 4, 4)),  # 16 entries between classes: cross_entropy's max, not argmax
]


def _weight(C, dtype):
    return rand(C, dtype=dtype, seed=7, low=0.2, high=2.0)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shapes", CLASS_SHAPES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore", [None, 2, -100])
def test_nll_loss(shapes, reduction, dtype, weighted, ignore):
    xs, ts = shapes
    C = xs[0] if len(xs) == 1 else xs[1]
    t = labels(*ts, n_classes=C, ignore=ignore)
    w = _weight(C, dtype) if weighted else None
    kw = {} if ignore is None else dict(ignore_index=ignore)
    check(lambda T, x: F(T).nll_loss(x, const(T, t), None if w is None else const(T, w),
                                     reduction=reduction, **kw),
          randn(*xs, dtype=dtype))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shapes", CLASS_SHAPES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore", [None, 1, -100])
@pytest.mark.parametrize("smoothing", [0.0, 0.1, 1.0])
def test_cross_entropy_class_indices(shapes, reduction, dtype, weighted, ignore, smoothing):
    xs, ts = shapes
    C = xs[0] if len(xs) == 1 else xs[1]
    t = labels(*ts, n_classes=C, ignore=ignore)
    w = _weight(C, dtype) if weighted else None
    kw = {} if ignore is None else dict(ignore_index=ignore)
    check(lambda T, x: F(T).cross_entropy(x, const(T, t), None if w is None else const(T, w),
                                          reduction=reduction, label_smoothing=smoothing, **kw),
          randn(*xs, dtype=dtype, scale=2))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shapes", CLASS_SHAPES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.25])
def test_cross_entropy_class_probabilities(shapes, reduction, dtype, weighted, smoothing):
    """Probability targets: torch's composite differentiates input, target and weight."""
    xs, _ = shapes
    axis = 0 if len(xs) == 1 else 1
    p = rand(*xs, dtype=dtype, seed=3, low=0.0, high=1.0)
    p = p / p.sum(axis=axis, keepdims=True)
    C = xs[axis]
    args = [randn(*xs, dtype=dtype, scale=2), p]
    if weighted:
        args.append(_weight(C, dtype))
        check(lambda T, x, y, w: F(T).cross_entropy(x, y, w, reduction=reduction,
                                                    label_smoothing=smoothing), *args)
    else:
        check(lambda T, x, y: F(T).cross_entropy(x, y, reduction=reduction,
                                                 label_smoothing=smoothing), *args)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_every_target_ignored(reduction, dtype):
    """'mean' over no target at all is nan (0 / 0), as in torch; 'sum' is 0."""
    t = np.full(4, -100)
    for s in (0.0, 0.2):
        check(lambda T, x: F(T).cross_entropy(x, const(T, t), reduction=reduction,
                                              label_smoothing=s), randn(4, 3, dtype=dtype))
        check(lambda T, x: F(T).nll_loss(x, const(T, t), reduction=reduction),
              randn(4, 3, dtype=dtype))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_cross_entropy_uint8_target_and_1d_target_of_one(dtype):
    check(lambda T, x: F(T).cross_entropy(x, const(T, np.array([0, 2, 1], np.uint8))),
          randn(3, 4, dtype=dtype))
    # torch's forward accepts a 1-element target for a 1-D input, but its backward then raises
    # "size mismatch" (a torch bug); compare the forward only
    check(lambda T, x: F(T).nll_loss(x, const(T, np.array([2])), reduction="none"),
          randn(4, dtype=dtype), grad=False)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_empty_batch(reduction, dtype):
    check(lambda T, x: F(T).cross_entropy(x, const(T, np.zeros(0, np.int64)),
                                          reduction=reduction), randn(0, 3, dtype=dtype))
    check(lambda T, x, y: F(T).cross_entropy(x, y, reduction=reduction),
          randn(0, 3, dtype=dtype), randn(0, 3, dtype=dtype))
    check(lambda T, x: F(T).nll_loss(x, const(T, np.zeros((2, 0), np.int64)),
                                     reduction=reduction), randn(2, 3, 0, dtype=dtype))


def test_cross_entropy_negative_label_smoothing_is_ignored():
    check(lambda T, x: F(T).cross_entropy(x, const(T, labels(3, n_classes=4)),
                                          label_smoothing=-0.5), randn(3, 4))


def test_cross_entropy_noncontiguous_input():
    check(lambda T, x: F(T).cross_entropy(x, const(T, labels(3, n_classes=3))), randn(3, 3),
          layout="transposed")


# -- binary classification -----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("weight_shape", [None, "same", "last", "scalar"])
def test_binary_cross_entropy(shape, reduction, dtype, weight_shape):
    x = rand(*shape, dtype=dtype, low=0.02, high=0.98)
    y = rand(*shape, dtype=dtype, seed=1, low=0.0, high=1.0)
    w = {None: None, "same": rand(*shape, dtype=dtype, seed=2, low=0.1, high=2),
         "last": rand(*shape[-1:], dtype=dtype, seed=2, low=0.1, high=2),
         "scalar": np.array(1.7, dtype=dtype)}[weight_shape]
    check(lambda T, a, b: F(T).binary_cross_entropy(a, b, None if w is None else const(T, w),
                                                    reduction=reduction), x, y)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("weights", [(None, None), ("same", None), (None, "last"),
                                     ("last", "last"), ("same", "scalar"), (None, "row")])
def test_binary_cross_entropy_with_logits(shape, reduction, dtype, weights):
    x = randn(*shape, dtype=dtype, scale=3)
    y = rand(*shape, dtype=dtype, seed=1, low=0.0, high=1.0)
    made = {None: None, "same": rand(*shape, dtype=dtype, seed=2, low=0.1, high=2),
            "last": rand(*shape[-1:], dtype=dtype, seed=3, low=0.1, high=3),
            "scalar": np.array(2.5, dtype=dtype),
            "row": rand(*shape[:1], *[1] * (len(shape) - 1), dtype=dtype, seed=4, low=0.1,
                        high=3)}
    w, pw = made[weights[0]], made[weights[1]]
    check(lambda T, a, b: F(T).binary_cross_entropy_with_logits(
        a, b, None if w is None else const(T, w), reduction=reduction,
        pos_weight=None if pw is None else const(T, pw)), x, y)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4)])
def test_soft_margin(shape, reduction, dtype):
    check(lambda T, x: F(T).soft_margin_loss(x, const(T, signs(*shape, dtype=dtype)),
                                             reduction=reduction),
          randn(*shape, dtype=dtype, scale=2))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4)])
@pytest.mark.parametrize("weighted", [False, True])
def test_multilabel_soft_margin(shape, reduction, dtype, weighted):
    x = randn(*shape, dtype=dtype, scale=2)
    y = (rand(*shape, dtype=dtype, seed=1, low=0, high=1) > 0.5).astype(dtype)
    if weighted:
        check(lambda T, a, b, w: F(T).multilabel_soft_margin_loss(a, b, w, reduction=reduction),
              x, y, rand(shape[-1], dtype=dtype, seed=2, low=0.1, high=2))
    else:
        check(lambda T, a, b: F(T).multilabel_soft_margin_loss(a, b, reduction=reduction), x, y)


# -- distributions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS + ("batchmean",))
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(shape, reduction, dtype, log_target):
    x = randn(*shape, dtype=dtype, shift=-1.0)
    y = rand(*shape, dtype=dtype, seed=1, low=0.01, high=1.0)
    if log_target:
        y = np.asarray(np.log(y))
    check(lambda T, a, b: F(T).kl_div(a, b, reduction=reduction, log_target=log_target), x, y)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("log_input", [True, False])
@pytest.mark.parametrize("full", [False, True])
def test_poisson_nll(shape, reduction, dtype, log_input, full):
    x = randn(*shape, dtype=dtype) if log_input else rand(*shape, dtype=dtype, low=0.1, high=3)
    y = np.asarray(np.floor(rand(*shape, dtype=dtype, seed=1, low=0, high=5)))
    check(lambda T, a, b: F(T).poisson_nll_loss(a, b, log_input=log_input, full=full,
                                                reduction=reduction), x, y)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("eps", [1e-8, 0.5])
def test_poisson_nll_eps(dtype, eps):
    check(lambda T, a, b: F(T).poisson_nll_loss(a, b, log_input=False, eps=eps),
          rand(3, 4, dtype=dtype, low=0, high=1), rand(3, 4, dtype=dtype, seed=1, low=0, high=3))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("var_shape", ["same", "one_short", "last_one", "mid_one", "float"])
@pytest.mark.parametrize("full", [False, True])
def test_gaussian_nll(var_shape, reduction, dtype, full):
    x, y = randn(4, 3, 2, dtype=dtype), randn(4, 3, 2, dtype=dtype, seed=1)
    shapes = {"same": (4, 3, 2), "one_short": (4, 3), "last_one": (4, 3, 1),
              "mid_one": (4, 1, 2)}
    if var_shape == "float":
        check(lambda T, a, b: F(T).gaussian_nll_loss(a, b, 0.7, full=full, reduction=reduction),
              x, y)
        return
    v = rand(*shapes[var_shape], dtype=dtype, seed=2, low=0.1, high=2)
    check(lambda T, a, b, c: F(T).gaussian_nll_loss(a, b, c, full=full, reduction=reduction),
          x, y, v)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("eps", [1e-6, 0.3])
def test_gaussian_nll_variance_clamped_at_eps(dtype, eps):
    v = np.array([0.0, 1e-8, 0.2, 0.5, 2.0], dtype=dtype)
    check(lambda T, a, b, c: F(T).gaussian_nll_loss(a, b, c, eps=eps, reduction="none"),
          randn(5, dtype=dtype), randn(5, dtype=dtype, seed=1), v)


# -- margins and embeddings ----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [0.0, 0.3, -0.2])
@pytest.mark.parametrize("batched", [True, False])
def test_cosine_embedding(batched, reduction, dtype, margin):
    shape = (6, 4) if batched else (4,)
    y = np.array([1, -1, 1, -1, 0, -1]) if batched else np.array(-1)
    check(lambda T, a, b: F(T).cosine_embedding_loss(a, b, const(T, y), margin=margin,
                                                     reduction=reduction),
          randn(*shape, dtype=dtype), randn(*shape, dtype=dtype, seed=1))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_cosine_embedding_broadcast_and_kinks(dtype):
    check(lambda T, a, b: F(T).cosine_embedding_loss(a, b, const(T, np.array([1, -1, -1])),
                                                     reduction="none"),
          randn(3, 4, dtype=dtype), randn(1, 4, dtype=dtype, seed=1))
    a = np.array([[1, 0], [1, 0], [0, 0], [1, 1]], dtype=dtype)  # cos = margin, zero vector
    b = np.array([[0, 1], [1, 0], [1, 1], [1, 1]], dtype=dtype)
    check(lambda T, u, v: F(T).cosine_embedding_loss(u, v, const(T, np.array([-1, -1, 1, 0])),
                                                     reduction="none"), a, b)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [0.0, 0.5])
@pytest.mark.parametrize("shape", [(), (6,), (2, 3)])
def test_margin_ranking(shape, reduction, dtype, margin):
    check(lambda T, a, b, y: F(T).margin_ranking_loss(a, b, y, margin=margin,
                                                      reduction=reduction),
          randn(*shape, dtype=dtype), randn(*shape, dtype=dtype, seed=1),
          signs(*shape, dtype=dtype))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_margin_ranking_kink_and_int_target(dtype):
    a, b = np.array([1, 0, 2], dtype=dtype), np.array([0, 1, 1], dtype=dtype)
    check(lambda T, u, v, y: F(T).margin_ranking_loss(u, v, y, margin=1.0, reduction="none"),
          a, b, np.array([1, -1, 0.5], dtype=dtype))
    check(lambda T, u, v: F(T).margin_ranking_loss(u, v, const(T, np.array([1, -1, 1]))), a, b)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [1.0, 0.2])
@pytest.mark.parametrize("shape", [(), (6,), (2, 3)])
def test_hinge_embedding(shape, reduction, dtype, margin):
    check(lambda T, x: F(T).hinge_embedding_loss(x, const(T, signs(*shape, dtype=dtype)),
                                                 margin=margin, reduction=reduction),
          randn(*shape, dtype=dtype))


def test_hinge_embedding_kink_and_other_targets():
    x = np.array([1.0, 2.0, 0.0, 0.5, 1.0])
    check(lambda T, a: F(T).hinge_embedding_loss(
        a, const(T, np.array([-1.0, -1.0, 1.0, 0.5, 0.0])), reduction="none"), x)
    check(lambda T, a: F(T).hinge_embedding_loss(a, const(T, np.array([-1, 1, 1, -1, 1]))), x)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [1, 2])
@pytest.mark.parametrize("margin", [1.0, 0.3])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("shapes", [((4, 5), (4,)), ((5,), ()), ((5,), (1,)), ((1, 5), ())])
def test_multi_margin(shapes, reduction, dtype, p, margin, weighted):
    xs, ts = shapes
    t = labels(*ts, n_classes=5)
    w = rand(5, dtype=dtype, seed=3, low=0.1, high=2) if weighted else None
    check(lambda T, x: F(T).multi_margin_loss(x, const(T, t), p=p, margin=margin,
                                              weight=None if w is None else const(T, w),
                                              reduction=reduction),
          randn(*xs, dtype=dtype, scale=0.5))


def test_multi_margin_kink_is_strict():
    check(lambda T, x: F(T).multi_margin_loss(x, const(T, np.array([0, 1])), reduction="none"),
          np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 2.0]]))
    check(lambda T, x: F(T).multi_margin_loss(x, const(T, np.array(0)), reduction="none"),
          np.array(1.5))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multilabel_margin(reduction, dtype):
    t = np.array([[3, 0, -1, 1], [1, 2, 3, -1], [-1, 0, 0, 0], [2, 2, -1, 0], [0, 1, 2, 3]])
    check(lambda T, x: F(T).multilabel_margin_loss(x, const(T, t), reduction=reduction),
          randn(5, 4, dtype=dtype))
    check(lambda T, x: F(T).multilabel_margin_loss(x, const(T, t[0]), reduction=reduction),
          randn(4, dtype=dtype))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [2, 1, 3, 1.5, 0.5, float("inf")])
@pytest.mark.parametrize("swap", [False, True])
def test_triplet_margin(p, swap, reduction, dtype):
    check(lambda T, a, b, c: F(T).triplet_margin_loss(a, b, c, margin=1.5, p=p, swap=swap,
                                                      reduction=reduction),
          randn(6, 4, dtype=dtype), randn(6, 4, dtype=dtype, seed=1),
          randn(6, 4, dtype=dtype, seed=2))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("shapes", [((4,), (4,), (4,)), ((), (), ()), ((2, 3, 4),) * 3,
                                    ((5, 4), (1, 4), (5, 4))])
@pytest.mark.parametrize("eps", [1e-6, 0.0, 0.1])
def test_triplet_margin_shapes_eps(shapes, eps, dtype):
    check(lambda T, a, b, c: F(T).triplet_margin_loss(a, b, c, eps=eps, swap=True,
                                                      reduction="none"),
          *(randn(*s, dtype=dtype, seed=i) for i, s in enumerate(shapes)))


def test_triplet_margin_ties_and_zero_distance():
    z = np.array([[0.0, 0.0]])
    for a, p, n, kw in [(z, z, np.array([[1.0, 1.0]]), dict(eps=0.0)),
                        (z, z, np.array([[1.0, 0.0]]), dict(eps=0.0, margin=1.0)),
                        (z, np.array([[1.0, 0.0]]), np.array([[1.0, 1.0]]), dict(swap=True)),
                        (z, z, np.array([[2.0, 0.0]]), dict(eps=0.0, swap=True, margin=3.0)),
                        (z, np.array([[3.0, -1]]), np.array([[3.0, 1]]),
                         dict(eps=0.0, p=float("inf"), margin=2.0))]:
        check(lambda T, u, v, w: F(T).triplet_margin_loss(u, v, w, reduction="none", **kw),
              a, p, n)


GRAD_FN_CASES = {  # name -> fn(T, x, p, reduction); x: logits (3, 4), p: probabilities (3, 4)
    "l1": lambda T, x, p, r: F(T).l1_loss(x, p, reduction=r),
    "mse": lambda T, x, p, r: F(T).mse_loss(x, p, reduction=r),
    "huber": lambda T, x, p, r: F(T).huber_loss(x, p, reduction=r),
    "smooth_l1": lambda T, x, p, r: F(T).smooth_l1_loss(x, p, reduction=r),
    "smooth_l1 beta=0": lambda T, x, p, r: F(T).smooth_l1_loss(x, p, reduction=r, beta=0.0),
    "weighted mse": lambda T, x, p, r: F(T).mse_loss(x, p, reduction=r, weight=p),
    "bce": lambda T, x, p, r: F(T).binary_cross_entropy(p, p.detach(), reduction=r),
    "bce logits": lambda T, x, p, r: F(T).binary_cross_entropy_with_logits(x, p, reduction=r),
    "nll": lambda T, x, p, r: F(T).nll_loss(x, const(T, np.array([0, 1, 3])), reduction=r),
    "nll 1-d": lambda T, x, p, r: F(T).nll_loss(x[0], const(T, np.array(1)), reduction=r),
    "nll 3-d": lambda T, x, p, r: F(T).nll_loss(x.reshape(1, 4, 3), const(T, np.zeros((1, 3),
                                                                                      np.int64)),
                                                reduction=r),
    "nll 4-d": lambda T, x, p, r: F(T).nll_loss(x.reshape(1, 4, 3, 1),
                                                const(T, np.zeros((1, 3, 1), np.int64)),
                                                reduction=r),
    "ce": lambda T, x, p, r: F(T).cross_entropy(x, const(T, np.array([0, 1, 3])), reduction=r),
    "ce 3-d": lambda T, x, p, r: F(T).cross_entropy(x.reshape(1, 4, 3),
                                                    const(T, np.zeros((1, 3), np.int64)),
                                                    reduction=r),
    "ce smoothing": lambda T, x, p, r: F(T).cross_entropy(x, const(T, np.array([0, 1, 3])),
                                                          reduction=r, label_smoothing=0.1),
    "ce probabilities": lambda T, x, p, r: F(T).cross_entropy(x, p, reduction=r),
    "kl": lambda T, x, p, r: F(T).kl_div(x, p, reduction=r),
    "kl log_target": lambda T, x, p, r: F(T).kl_div(x, p, reduction=r, log_target=True),
    "kl batchmean": lambda T, x, p, r: F(T).kl_div(x, p, reduction="batchmean"),
    "poisson": lambda T, x, p, r: F(T).poisson_nll_loss(x, p, reduction=r),
    "poisson full": lambda T, x, p, r: F(T).poisson_nll_loss(x, p, reduction=r, full=True),
    "gaussian": lambda T, x, p, r: F(T).gaussian_nll_loss(x, p, p, reduction=r),
    "gaussian full": lambda T, x, p, r: F(T).gaussian_nll_loss(x, p, p, reduction=r, full=True),
    "cosine": lambda T, x, p, r: F(T).cosine_embedding_loss(
        x, p, const(T, np.array([1, -1, 1])), reduction=r),
    "margin ranking": lambda T, x, p, r: F(T).margin_ranking_loss(
        x[0], p[0], const(T, np.array([1.0, -1, 1, -1])), reduction=r),
    "hinge": lambda T, x, p, r: F(T).hinge_embedding_loss(
        x, const(T, np.array([1.0, -1, 1, -1])), reduction=r),
    "soft margin": lambda T, x, p, r: F(T).soft_margin_loss(x, p.detach(), reduction=r),
    "multilabel soft margin": lambda T, x, p, r: F(T).multilabel_soft_margin_loss(
        x, p, reduction=r),
    "multi margin": lambda T, x, p, r: F(T).multi_margin_loss(
        x, const(T, np.array([0, 1, 3])), reduction=r),
    "multilabel margin": lambda T, x, p, r: F(T).multilabel_margin_loss(
        x, const(T, np.array([[0, -1, 0, 0], [1, 2, -1, 0], [3, 0, 1, 2]])), reduction=r),
    "triplet": lambda T, x, p, r: F(T).triplet_margin_loss(x, p, p * 2, reduction=r),
    "triplet distance": lambda T, x, p, r: F(T).triplet_margin_with_distance_loss(
        x, p, p * 2, reduction=r),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(GRAD_FN_CASES))
def test_grad_fn_names_match_torch(name, reduction):
    """The printed loss (``tensor(..., grad_fn=<NllLossBackward0>)``) reads as torch's: where
    torch composes ops, our fused kernel records the name of torch's last op."""
    fn = GRAD_FN_CASES[name]
    check(lambda T, x, p: fn(T, x, p, reduction), randn(3, 4),
          rand(3, 4, low=0.05, high=0.95, seed=1), grad_fn_name=True)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("distance", ["default", "l1", "cosine"])
def test_triplet_margin_with_distance(distance, swap, reduction, dtype):
    """Composed from tensor ops as in torch: a user's distance function is differentiated
    through, the swap takes the minimum (ties split), the hinge clamps at 0."""
    def dist(T):
        if distance == "l1":
            return lambda u, v: (u - v).abs().sum(-1)
        if distance == "cosine":
            return lambda u, v: 1.0 - F(T).cosine_similarity(u, v)
        return None
    check(lambda T, a, b, c: F(T).triplet_margin_with_distance_loss(
        a, b, c, distance_function=dist(T), margin=0.7, swap=swap, reduction=reduction),
        randn(6, 4, dtype=dtype), randn(6, 4, dtype=dtype, seed=1),
        randn(6, 4, dtype=dtype, seed=2))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_integer_inputs(reduction):
    """Integer operands: exact integer results where torch keeps them, the default float dtype
    where torch computes in it (errors are in test_loss_errors.py)."""
    a, b, y = np.array([1, 2, 3]), np.array([3, 2, 0]), np.array([1, -1, 1])
    check(lambda T, u, v: F(T).poisson_nll_loss(u, v, reduction=reduction), a, b)
    check(lambda T, u, v, w: F(T).margin_ranking_loss(u, v, w, reduction=reduction), a, b, y)
    if reduction != "mean":
        check(lambda T, u, v: F(T).l1_loss(u, v, reduction=reduction), a, b)
        check(lambda T, u, v: F(T).hinge_embedding_loss(u, v, reduction=reduction), a, y)
