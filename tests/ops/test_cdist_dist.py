"""torch.cdist and torch.dist / Tensor.dist against torch: values, dtypes, gradients of both
inputs and grad_fn names for every p (0, 1, 2, inf, fractional, large), batch dims that
broadcast, the matrix-product path torch takes for p = 2 beyond 25 rows (and each
compute_mode), exact ties and zero distances, empty inputs; torch's exceptions."""
import math

import numpy as np
import pytest

from harness import FLOAT_DTYPES, check, check_raises, mt, torch

INF = math.inf
PS = [2.0, 1.0, 0.0, INF, 3.0, 0.5, 1.5]


def data(kind, shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if kind == "ties":  # a small grid: equal coordinates, equal distances, zero distances
        a = rng.integers(-1, 2, shape).astype(np.float64)
    else:
        a = rng.standard_normal(shape)
    return np.asarray(a, dtype=dtype)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("kind", ["randn", "ties"])
@pytest.mark.parametrize("p", PS, ids=str)
@pytest.mark.parametrize("s1,s2", [((3, 2), (4, 2)), ((1, 5), (6, 5)), ((2, 3, 4), (2, 5, 4)),
                                   ((2, 1, 3, 2), (4, 2, 2)), ((3, 1), (2, 1))], ids=str)
def test_cdist(s1, s2, p, kind, dtype):
    x1 = data(kind, s1, dtype, seed=1)
    x2 = data(kind, s2, dtype, seed=2)
    check(lambda T, a, b: T.cdist(a, b, p), x1, x2, grad_fn_name=True)


@pytest.mark.parametrize("p", PS, ids=str)
def test_cdist_non_contiguous(p):
    check(lambda T, a, b: T.cdist(a, b, p=p), data("randn", (4, 3), np.float64, 1),
          data("randn", (5, 3), np.float64, 2), layout="transposed")


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("mode", ["use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                                  "donot_use_mm_for_euclid_dist"])
@pytest.mark.parametrize("rows", [(26, 3), (3, 30), (25, 25), (4, 5)], ids=str)
def test_cdist_euclidean_compute_modes(rows, mode, dtype):
    """Beyond 25 rows (or with use_mm...), p = 2 goes through |x|^2 + |y|^2 - 2 x.y: other
    rounding, other node names, other gradient formula; both are followed."""
    x1 = data("randn", (rows[0], 3), dtype, seed=1)
    x2 = data("randn", (rows[1], 3), dtype, seed=2)
    # float32: the matrix-product form loses digits to cancellation (|x|^2 + |y|^2 - 2x.y), and
    # BLAS sums in another order than torch's kernel
    scale = 10 if dtype == np.float32 else 1
    check(lambda T, a, b: T.cdist(a, b, compute_mode=mode), x1, x2, grad_fn_name=True,
          scale=scale)
    check(lambda T, a, b: T.cdist(a[None], b[None].expand(2, -1, -1), compute_mode=mode), x1,
          x2, scale=scale)


def test_cdist_mm_path_zero_distances():
    """A point set against itself: zero distances on the diagonal, torch's subgradient 0."""
    x = data("randn", (30, 2), np.float64)
    # The diagonal's distances are rounding noise: sqrt of a cancellation of ~1e-16, 0 or
    # ~1.5e-8 depending on the BLAS kernel's summation order. They are compared against that
    # bound; the rest of the matrix and the gradients against torch (the gradient divides by
    # the distances: a few elements agree to ~1e-8 only).
    off_diagonal = 1 - np.eye(30)
    check(lambda T, a: T.cdist(a, a) * T.tensor(off_diagonal), x, scale=1e3)
    check(lambda T, a: T.cdist(a, a), x, grad_fn_name=True, scale=1e5)
    for T in (torch, mt):
        d = T.cdist(T.tensor(x), T.tensor(x)).diagonal()
        assert float(d.abs().max()) < 1e-7
    check(lambda T, a: T.cdist(a, a, compute_mode="use_mm_for_euclid_dist"), x[:3], scale=1e5)


@pytest.mark.parametrize("s1,s2", [((0, 2), (4, 2)), ((3, 0), (4, 0)), ((3, 2), (0, 2)),
                                   ((0, 30, 2), (1, 4, 2))], ids=str)
@pytest.mark.parametrize("p", [2.0, 1.0, INF], ids=str)
def test_cdist_empty(s1, s2, p):
    check(lambda T, a, b: T.cdist(a, b, p), np.ones(s1), np.ones(s2), grad=False)


CDIST_ERRORS = [
    lambda T: T.cdist(T.ones(3, 2), T.ones(4, 2), -1),
    lambda T: T.cdist(T.ones(3, 2), T.ones(4, 2), math.nan),
    lambda T: T.cdist(T.ones(3, 2), T.ones(4, 2), compute_mode="foo"),
    lambda T: T.cdist(T.ones(3, 2), T.ones(4, 3)),
    lambda T: T.cdist(T.ones(3, 2), T.ones(4)),
    lambda T: T.cdist(T.ones(2), T.ones(3, 3, dtype=T.int32)),
    lambda T: T.cdist(T.ones(3, 2), T.ones(4, 2, dtype=T.float64)),
    lambda T: T.cdist(T.ones(3, 2, dtype=T.int32), T.ones(4, 2)),
    lambda T: T.cdist(T.ones(3, 2), T.ones(4, 2, dtype=T.int32), -1),
    lambda T: T.cdist(T.ones(3, 2, dtype=T.float16), T.ones(4, 2, dtype=T.float16)),
    lambda T: T.cdist(T.ones(2, 3, 2), T.ones(3, 4, 2)),
]


@pytest.mark.parametrize("i", range(len(CDIST_ERRORS)))
def test_cdist_errors(i):
    check_raises(lambda T: CDIST_ERRORS[i](T))


# -- dist ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("kind", ["randn", "ties"])
@pytest.mark.parametrize("p", PS + [-1.0, -INF, 2], ids=str)
@pytest.mark.parametrize("s1,s2", [((5,), (5,)), ((3,), (2, 3)), ((2, 1, 4), (3, 1)), ((), (4,)),
                                   ((), ())], ids=str)
def test_dist(s1, s2, p, kind, dtype):
    a = data(kind, s1, dtype, seed=1)
    b = data(kind, s2, dtype, seed=2)
    grad = p != 0  # torch's backward of p=0 fails inside torch ("Expected a proper Tensor")
    check(lambda T, a, b: T.dist(a, b, p), a, b, grad_fn_name=True, grad=grad)
    check(lambda T, a, b: a.dist(b, p=p), a, b, grad=grad)


@pytest.mark.parametrize("dtypes", [(np.float32, np.float64), (np.float32, np.int64),
                                    (np.int64, np.float64), (np.float64, np.float32)], ids=str)
def test_dist_promotes(dtypes):
    a = (data("randn", (3,), np.float64, 1) * 3).astype(dtypes[0])
    b = (data("randn", (2, 3), np.float64, 2) * 3).astype(dtypes[1])
    check(lambda T, a, b: T.dist(a, b), a, b)


DIST_ERRORS = [
    lambda T: T.dist(T.ones(3, dtype=T.int64), T.zeros(3, dtype=T.int64)),
    lambda T: T.dist(T.ones(3), T.zeros(2)),
    lambda T: T.dist(T.ones(3), 2),
    lambda T: T.dist(T.ones(3), T.zeros(3), "fro"),
]


@pytest.mark.parametrize("i", range(len(DIST_ERRORS)))
def test_dist_errors(i):
    check_raises(lambda T: DIST_ERRORS[i](T))
