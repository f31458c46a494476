"""normalize, cosine_similarity, pairwise_distance (functional and modules) against torch:
values and gradients over dims, p-norms, broadcasting, zero vectors (the eps clamp), reprs."""
import math

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, check, check_raises, rand


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, 0.5, math.inf])
@pytest.mark.parametrize("dim", [1, 0, -1])
def test_normalize(dim, p, dtype):
    x = rand(3, 4, 5, dtype=dtype)
    check(lambda T, x: T.nn.functional.normalize(x, p=p, dim=dim), x)


def test_normalize_zero_vector_and_eps():
    x = rand(3, 4, dtype=np.float64)
    x[1] = 0.0
    check(lambda T, x: T.nn.functional.normalize(x, dim=1), x)
    check(lambda T, x: T.nn.functional.normalize(x, dim=1, eps=10.0), x)
    check(lambda T, x: T.nn.functional.normalize(x, dim=0, p=1), x)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("shapes,dim", [(((4, 5), (4, 5)), 1), (((4, 5), (4, 5)), 0),
                                        (((2, 3, 4), (2, 3, 4)), -1),
                                        (((2, 3, 4), (3, 4)), 1), (((4, 1), (1, 5)), 0),
                                        (((5,), (5,)), 0)])
def test_cosine_similarity(shapes, dim, dtype):
    a, b = rand(*shapes[0], dtype=dtype), rand(*shapes[1], dtype=dtype, seed=1)
    check(lambda T, a, b: T.nn.functional.cosine_similarity(a, b, dim=dim), a, b)
    check(lambda T, a, b: T.nn.CosineSimilarity(dim=dim)(a, b), a, b)


def test_cosine_similarity_zero_vectors():
    a, b = rand(3, 4, dtype=np.float64), rand(3, 4, dtype=np.float64, seed=1)
    a[0] = 0.0
    b[1] = 1e-9
    check(lambda T, a, b: T.nn.functional.cosine_similarity(a, b), a, b)
    check(lambda T, a, b: T.nn.functional.cosine_similarity(a, b, eps=0.5), a, b)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, math.inf])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("shapes", [((4, 5), (4, 5)), ((4, 5), (5,)), ((2, 3, 4), (3, 4)),
                                    ((5,), (5,))])
def test_pairwise_distance(shapes, keepdim, p, dtype):
    a, b = rand(*shapes[0], dtype=dtype), rand(*shapes[1], dtype=dtype, seed=1)
    check(lambda T, a, b: T.nn.functional.pairwise_distance(a, b, p, 1e-6, keepdim), a, b)
    check(lambda T, a, b: T.nn.PairwiseDistance(p, keepdim=keepdim)(a, b), a, b)


def test_pairwise_distance_identical_inputs():
    a = rand(3, 4, dtype=np.float64)
    check(lambda T, a: T.nn.functional.pairwise_distance(a, a * 1.0, eps=0.0), a)
    check(lambda T, a: T.nn.functional.pairwise_distance(a, a * 1.0), a)


def test_reprs_and_errors():
    for b in (lambda T: T.nn.CosineSimilarity(), lambda T: T.nn.PairwiseDistance(1.0, 0.1, True)):
        assert repr(b(mt)) == repr(b(torch))
    check_raises(lambda T: T.nn.functional.cosine_similarity(T.ones(2, 3), T.ones(2, 4)))
    check_raises(lambda T: T.nn.functional.pairwise_distance(T.ones(2, 3), T.ones(2, 4)))
    check_raises(lambda T: T.nn.functional.normalize(T.ones(2, 3), dim=2))
    check_raises(lambda T: T.nn.functional.cosine_similarity(T.ones(2, 3), T.ones(2, 3), 2))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, 0.0, math.inf])
@pytest.mark.parametrize("n", [1, 2, 5])
def test_pdist(n, p, dtype):
    x = rand(n, 4, dtype=dtype)
    check(lambda T, x: T.nn.functional.pdist(x, p), x)


def test_pdist_repeated_rows_and_errors():
    x = rand(4, 3, dtype=np.float64)
    x[2] = x[0]
    check(lambda T, x: T.nn.functional.pdist(x), x)
    for fn in (lambda T: T.nn.functional.pdist(T.ones(3)),
               lambda T: T.nn.functional.pdist(T.ones(3, 2), -1.0),
               lambda T: T.nn.functional.pdist(T.ones(3, 2, dtype=T.int64))):
        o_exc, t_exc = check_raises(fn)
        assert str(o_exc) == str(t_exc)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_])
def test_integer_inputs(dtype):
    """normalize's vector norm and cosine_similarity's common dtype refuse integers."""
    x = np.arange(6).reshape(2, 3).astype(dtype)
    check_raises(lambda T, x: T.nn.functional.normalize(x), x)
    check_raises(lambda T, x: T.nn.functional.cosine_similarity(x, x), x)
    check(lambda T, x: T.nn.functional.cosine_similarity(x, T.ones(2, 3)), x)
