"""torch.linalg (vector_norm, matrix_norm, norm, svdvals) against torch: values, dtypes, shapes,
gradients and grad_fn names over every ord each function accepts, dims (negative, reordered,
keepdim), batches, non-contiguous inputs, inputs with exact ties and zeros, empty inputs, the
dtype= argument; and torch's exceptions."""
import math

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, LIBS, check, check_raises

INF = math.inf
VECTOR_ORDS = [2, 1, INF, -INF, 0, 3, 0.5, 1.5, -1, -0.5]
MATRIX_ORDS = ["fro", "nuc", 2, -2, 1, -1, INF, -INF]


def data(kind, shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if kind == "ties":  # integers in [-2, 2]: zeros and equal magnitudes (max/min ties)
        a = rng.integers(-2, 3, shape).astype(np.float64)
    else:
        a = rng.standard_normal(shape)
    return np.asarray(a, dtype=dtype)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("kind", ["randn", "ties"])
@pytest.mark.parametrize("ord", VECTOR_ORDS, ids=str)
@pytest.mark.parametrize("shape,dim", [((), None), ((5,), None), ((5,), 0), ((3, 4), None),
                                       ((3, 4), -1), ((3, 4), (1, 0)), ((2, 3, 4), (0, 2)),
                                       ((2, 3, 4), ()), ((2, 3, 4), [-2])], ids=str)
def test_vector_norm(shape, dim, ord, kind, dtype):
    x = data(kind, shape, dtype, seed=len(shape))
    for keepdim in (False, True):
        check(lambda T, x: T.linalg.vector_norm(x, ord, dim, keepdim), x, grad_fn_name=True)
    if len(shape) >= 2:
        check(lambda T, x: T.linalg.vector_norm(x, ord, dim), x, layout="transposed")


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("kind", ["randn", "ties"])
@pytest.mark.parametrize("ord", MATRIX_ORDS, ids=str)
@pytest.mark.parametrize("shape,dim", [((3, 4), (-2, -1)), ((4, 3), (1, 0)), ((1, 5), (0, 1)),
                                       ((2, 3, 4), (-2, -1)), ((2, 3, 4), (2, 0)),
                                       ((3, 2, 1, 4), (1, 3))], ids=str)
def test_matrix_norm(shape, dim, ord, kind, dtype):
    if kind == "ties" and ord in ("nuc", 2, -2):
        kind = "randn"  # repeated singular values have no unique gradient (torch's either)
    x = data(kind, shape, dtype, seed=len(shape))
    for keepdim in (False, True):
        check(lambda T, x: T.linalg.matrix_norm(x, ord, dim, keepdim), x, grad_fn_name=True)
    check(lambda T, x: T.linalg.matrix_norm(x, ord, dim), x, layout="transposed")


@pytest.mark.parametrize("ord", MATRIX_ORDS, ids=str)
def test_matrix_norm_default_dims_and_norm_of_a_matrix(ord):
    x = data("randn", (3, 4), np.float64)
    check(lambda T, x: T.linalg.matrix_norm(x, ord), x, grad_fn_name=True)
    check(lambda T, x: T.linalg.norm(x, ord), x, grad_fn_name=True)
    check(lambda T, x: T.linalg.norm(x, ord, keepdim=True), x, grad_fn_name=True)


@pytest.mark.parametrize("ord", [None, 2, 1, INF, -INF, 0, 3, -1, 0.5], ids=str)
def test_norm_of_a_vector_and_along_one_dim(ord):
    check(lambda T, x: T.linalg.norm(x, ord), data("ties", (6,), np.float64),
          grad_fn_name=True)
    check(lambda T, x: T.linalg.norm(x, ord, 1), data("randn", (2, 3, 4), np.float32),
          grad_fn_name=True)
    check(lambda T, x: T.linalg.norm(x, ord, dim=[-1], keepdim=True),
          data("randn", (2, 3, 4), np.float32))


@pytest.mark.parametrize("ord,dim", [(None, None), (None, (0, 2)), (2, (0, 2)),
                                     ("fro", (2, 1)), ("nuc", (0, 1)), (-INF, (1, 2))], ids=str)
def test_norm_picks_vector_or_matrix_norm(ord, dim):
    """ord None without dim: the 2-norm of everything (any number of dims); two dims with an
    ord: a matrix norm (ord 2 is the spectral norm, not the vector 2-norm)."""
    check(lambda T, x: T.linalg.norm(x, ord, dim), data("randn", (2, 3, 4), np.float64),
          grad_fn_name=True)
    check(lambda T, x: T.linalg.norm(x, ord, dim, True), data("randn", (2, 3, 4), np.float64))


@pytest.mark.parametrize("fn", [
    lambda T, x: T.linalg.vector_norm(x, dtype=T.float64),
    lambda T, x: T.linalg.vector_norm(x, 1, 0, dtype=T.float64),
    lambda T, x: T.linalg.matrix_norm(x, dtype=T.float64),
    lambda T, x: T.linalg.matrix_norm(x, "nuc", dtype=T.float64),
    lambda T, x: T.linalg.matrix_norm(x, -1, keepdim=True, dtype=T.float64),
    lambda T, x: T.linalg.norm(x, dtype=T.float64),
    lambda T, x: T.linalg.norm(x, INF, dtype=T.float64),
])
def test_dtype_argument(fn):
    """The norm is computed in ``dtype``; the gradient comes back in the input's dtype."""
    check(fn, data("randn", (3, 4), np.float32))


@pytest.mark.parametrize("fn", [
    lambda T, x: T.linalg.vector_norm(x, 2, 0),
    lambda T, x: T.linalg.vector_norm(x, 0.5),
    lambda T, x: T.linalg.vector_norm(x, -0.5, dim=1),
    lambda T, x: T.linalg.vector_norm(x, 1, dim=0, keepdim=True),
    lambda T, x: T.linalg.matrix_norm(x),
    lambda T, x: T.linalg.matrix_norm(x, "nuc"),
    lambda T, x: T.linalg.matrix_norm(x, 2),
    lambda T, x: T.linalg.matrix_norm(x, 1),
    lambda T, x: T.linalg.matrix_norm(x, INF),
    lambda T, x: T.linalg.matrix_norm(x[None].expand(2, 0, 3), INF),
    lambda T, x: T.linalg.matrix_norm(x[None].expand(2, 0, 3), 2),
    lambda T, x: T.linalg.matrix_norm(x[None].expand(2, 0, 3), -1),
])
def test_empty_inputs(fn):
    check(fn, np.zeros((0, 3)), grad=False)


@pytest.mark.parametrize("shape", [(3, 4), (4, 3), (2, 3, 5), (1, 1), (2, 0, 3)], ids=str)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_svdvals(shape, dtype):
    check(lambda T, x: T.linalg.svdvals(x), data("randn", shape, dtype, seed=3),
          grad_fn_name=True)


# -- errors ----------------------------------------------------------------------------------------

ERRORS = [
    # vector_norm
    lambda T: T.linalg.vector_norm(T.tensor([1, 2])),
    lambda T: T.linalg.vector_norm(T.tensor([1, 2]), dtype=T.float32),
    lambda T: T.linalg.vector_norm(T.ones(2, dtype=T.float64), dtype=T.float32),
    lambda T: T.linalg.vector_norm(T.ones(2), dtype=T.int64),
    lambda T: T.linalg.vector_norm(T.ones(2, 3), "fro"),
    lambda T: T.linalg.vector_norm(T.ones(2, 3), None),
    lambda T: T.linalg.vector_norm(T.ones(2, 3), 2, 0.5),
    lambda T: T.linalg.vector_norm(T.ones(2, 3), dim=2),
    lambda T: T.linalg.vector_norm(T.ones(2, 3), dim=(0, 0)),
    lambda T: T.linalg.vector_norm(T.ones(0, 3), INF),
    lambda T: T.linalg.vector_norm(T.ones(0, 3), -1),
    lambda T: T.linalg.vector_norm(T.ones(0, 3), -0.5, dim=()),
    lambda T: T.linalg.vector_norm(T.ones(0, 3), INF, dim=0),
    lambda T: T.linalg.vector_norm(T.ones(0, 3), -1, dim=(1, 0)),
    # matrix_norm
    lambda T: T.linalg.matrix_norm(T.ones(3, 3), 0),
    lambda T: T.linalg.matrix_norm(T.ones(3, 3), 3),
    lambda T: T.linalg.matrix_norm(T.ones(3, 3), 2.5),
    lambda T: T.linalg.matrix_norm(T.ones(3, 3), -1.5),
    lambda T: T.linalg.matrix_norm(T.ones(3, 3), "abc"),
    lambda T: T.linalg.matrix_norm(T.ones(3)),
    lambda T: T.linalg.matrix_norm(T.ones(3), "nuc"),
    lambda T: T.linalg.matrix_norm(T.tensor([[1, 2]])),
    lambda T: T.linalg.matrix_norm(T.ones(2, 3, 4), dim=(0, 1, 2)),
    lambda T: T.linalg.matrix_norm(T.ones(2, 3, 4), dim=(0,)),
    lambda T: T.linalg.matrix_norm(T.ones(3, 3), dim=(1, -1)),
    lambda T: T.linalg.matrix_norm(T.ones(2, 3, 4), dim=(0, 5)),
    lambda T: T.linalg.matrix_norm(T.ones(3, 3, dtype=T.float64), dtype=T.float32),
    lambda T: T.linalg.matrix_norm(T.ones(3, 3), "nuc", dtype=T.int64),
    lambda T: T.linalg.matrix_norm(T.ones(3, 3, dtype=T.float16), "nuc"),
    lambda T: T.linalg.matrix_norm(T.ones(3, 3, dtype=T.float16), -2),
    # norm
    lambda T: T.linalg.norm(T.ones(2, 3, 4), 2),
    lambda T: T.linalg.norm(T.ones(2, 3, 4), "fro"),
    lambda T: T.linalg.norm(T.tensor(2.0), 2),
    lambda T: T.linalg.norm(T.ones(2, 3, 4), dim=(0, 1, 2)),
    lambda T: T.linalg.norm(T.ones(2, 3, 4), 2, dim=(0, 1, 2)),
    lambda T: T.linalg.norm(T.ones(2, 3, 4), dim=(0, 0)),
    lambda T: T.linalg.norm(T.ones(3), "fro"),
    lambda T: T.linalg.norm(T.ones(2, 3), "nuc", 1),
    lambda T: T.linalg.norm(T.ones(2, 3), 2, 5),
    lambda T: T.linalg.norm(T.ones(2, 3), 2.5, (0, 1)),
    lambda T: T.linalg.norm(T.tensor([1, 2])),
    # svdvals
    lambda T: T.linalg.svdvals(T.ones(3)),
    lambda T: T.linalg.svdvals(T.ones(3, 3, dtype=T.int64)),
    lambda T: T.linalg.svdvals(T.ones(3, 3, dtype=T.float16)),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors(i):
    check_raises(lambda T: ERRORS[i](T))


def test_errors_worded_differently():
    """torch words these through its argument parser or with the dim as given; ours say the
    same thing in Python's words."""
    check_raises(lambda T: T.linalg.matrix_norm(T.ones(3, 3), dim=0), match="dim")
    check_raises(lambda T: T.linalg.matrix_norm(T.ones(2, 0, 3), -2), match="amin")
    check_raises(lambda T: T.linalg.matrix_norm(T.ones(2, 0, 3), -INF), match="amin")


def test_module_and_missing_names():
    import minitorch_ref.linalg as linalg
    assert mt.linalg is linalg
    with pytest.raises(AttributeError, match="torch.linalg.eig is not implemented"):
        mt.linalg.eig
    assert set(linalg.__all__) <= set(dir(torch.linalg))


def test_grad_of_svd_norms_by_finite_differences():
    """Beyond torch: the nuclear and spectral norms' gradients against central differences."""
    x = data("randn", (3, 4), np.float64, seed=7)
    for ord in ("nuc", 2, -2):
        t = mt.tensor(x, requires_grad=True)
        mt.linalg.matrix_norm(t, ord).backward()
        num = np.zeros_like(x)
        h = 1e-6
        for idx in np.ndindex(x.shape):
            e = np.zeros_like(x)
            e[idx] = h
            num[idx] = (np.linalg.norm(x + e, ord) - np.linalg.norm(x - e, ord)) / (2 * h)
        np.testing.assert_allclose(t.grad.numpy(), num, rtol=1e-6, atol=1e-8)


def test_same_printout_as_torch():
    outs = []
    for T in LIBS:
        a = T.tensor([[1.0, -2.0], [3.0, 4.0]])
        outs.append(repr((T.linalg.norm(a), T.linalg.matrix_norm(a, "nuc"),
                          T.linalg.vector_norm(a, INF, dim=1))))
    assert outs[1] == outs[0]


@pytest.mark.parametrize("fn", [
    lambda T, x: T.norm(x[0], "nuc"),
    lambda T, x: x.norm("nuc", dim=(0, 2)),
    lambda T, x: x.norm("nuc", dim=[2, 1], keepdim=True),
    lambda T, x: x[0].norm(p="nuc", keepdim=True),
    lambda T, x: x.norm("fro", dim=(0, 2)),
    lambda T, x: x.norm("fro", dim=1, keepdim=True),
])
def test_torch_norm_with_string_p(fn):
    """torch.norm / Tensor.norm with p='nuc' (or 'fro' over more than two dims) is
    linalg.matrix_norm, as torch routes it."""
    check(fn, data("randn", (2, 3, 4), np.float64), grad_fn_name=True)


@pytest.mark.parametrize("fn", [
    lambda T: T.ones(2, 3, 4).norm("nuc"),
    lambda T: T.ones(2, 3, 4).norm("fro", dim=(0, 1, 2)),
    lambda T: T.ones(3, 4).norm("abc"),
    lambda T: T.ones(3, 4).norm("nuc", dim=1),
])
def test_torch_norm_with_string_p_errors(fn):
    check_raises(fn)
