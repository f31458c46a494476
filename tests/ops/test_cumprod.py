"""torch.cumprod / Tensor.cumprod / Tensor.cumprod_ against torch: values, dtypes (integer and
bool inputs, dtype=), gradients, with inputs full of zeros (torch's special backward: the first
zero of a slice gets the product around it, everything after it nothing), 0-d and size-1 dims,
non-contiguous inputs, errors."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, assert_close, check, check_raises

SHAPES = [(), (1,), (5,), (4, 1), (3, 4), (2, 3, 4), (1, 6, 2)]


def _data(kind, shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if kind == "randn":
        a = rng.standard_normal(shape)
    elif kind == "zeros":  # many exact zeros: none, one or several per slice
        a = rng.integers(-1, 2, shape) * rng.uniform(0.5, 2.0, shape)
    else:  # "ints": integers in [-2, 2] as floats, products stay exact
        a = rng.integers(-2, 3, shape).astype(np.float64)
    return np.asarray(a, dtype=dtype)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("kind", ["randn", "zeros", "ints"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_cumprod_every_dim(shape, kind, dtype):
    x = _data(kind, shape, dtype, seed=len(shape))
    for dim in range(-max(len(shape), 1), max(len(shape), 1)):
        for layout in ("contiguous", "transposed"):
            check(lambda T, x: T.cumprod(x, dim), x, layout=layout, grad_fn_name=True)
            check(lambda T, x: x.cumprod(dim=dim), x, layout=layout)


@pytest.mark.parametrize("x,g", [
    ([2.0, 0.0, 3.0, 0.0, 4.0], [1.0, 2.0, 3.0, 4.0, 5.0]),  # two zeros
    ([2.0, 0.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]),            # one zero, a tail after it
    ([0.0, 0.0, 3.0], [1.0, 2.0, 3.0]),                      # a zero first
    ([3.0, 5.0, 0.0], [1.0, -1.0, 2.0]),                     # a zero last
    ([0.0], [7.0]),
])
def test_cumprod_gradient_at_zeros_exact(x, g):
    """Hand-checkable cases: d out_i / d x_k is the product of x_j, j <= i, j != k."""
    grads = []
    for T in (torch, mt):
        t = T.tensor(x, dtype=T.float64, requires_grad=True)
        T.cumprod(t, 0).backward(T.tensor(g, dtype=T.float64))
        grads.append(t.grad)
    assert_close(grads[1], grads[0])
    # the definition, written out
    n = len(x)
    want = [sum(g[i] * np.prod([x[j] for j in range(i + 1) if j != k]) for i in range(k, n))
            for k in range(n)]
    np.testing.assert_allclose(grads[1].numpy(), want, rtol=1e-12)


@pytest.mark.parametrize("src,dtype", [
    (np.array([1, 2, 3, -2]), None), (np.array([1, 2, 3], dtype=np.int32), None),
    (np.array([True, False, True]), None), (np.array([1, 2, 3]), "float32"),
    (np.array([1.5, 2.0, -3.0], dtype=np.float32), "int64"),
    (np.array([1.5, 2.0, -3.0], dtype=np.float32), "float64"),
    (np.array([[1, 2], [3, 4]], dtype=np.int32), "int32"),
])
def test_cumprod_dtypes(src, dtype):
    def fn(T, x):
        kw = {} if dtype is None else {"dtype": getattr(T, dtype)}
        return T.cumprod(x, 0, **kw), x.cumprod(-1, **kw)
    if src.dtype.kind == "f" and dtype.startswith("int"):  # no gradient through an integer result
        check_raises(fn, src)
        check(lambda T, x: fn(T, x.detach()), src)
    else:
        check(fn, src)


def test_cumprod_dtype_argument_gradient_comes_back_in_input_dtype():
    check(lambda T, x: T.cumprod(x, 1, dtype=T.float64), _data("zeros", (3, 4), np.float32))


def test_cumprod_in_place():
    def fn(T, x):
        y = x * 1  # a non-leaf, so that the in-place op is recorded
        return y.cumprod_(0)
    out, _ = check(fn, _data("zeros", (4, 3), np.float64), grad_fn_name=True)
    a = np.arange(1.0, 5.0)
    for T in (torch, mt):
        t = T.tensor(a)
        assert t.cumprod_(0) is t
        np.testing.assert_array_equal(t.numpy(), [1, 2, 6, 24])


@pytest.mark.parametrize("fn", [
    lambda T, x: T.cumprod(x, 2),
    lambda T, x: T.cumprod(x, -3),
    lambda T, x: T.cumprod(x.sum(), 1),
    lambda T, x: T.cumprod(x),
    lambda T, x: x.cumprod(),
])
def test_cumprod_errors(fn):
    check_raises(fn, _data("randn", (2, 3), np.float32), match=r"dim|Dimension out of range")


def test_cumprod_dim_errors_exact():
    check_raises(lambda T, x: T.cumprod(x, 2), _data("randn", (2, 3), np.float32))
    check_raises(lambda T, x: x.cumprod(-3), _data("randn", (2, 3), np.float32))


def test_cumprod_to_bool_is_refused():
    check_raises(lambda T, x: T.cumprod(x, 0, dtype=T.bool), np.array([True, False]))
    check_raises(lambda T, x: x.cumprod(0, dtype=T.bool), np.array([1.0, 2.0]))


# -- prod's backward: torch divides (g * out / a) unless the input holds a zero anywhere ---------

INF, NAN = float("inf"), float("nan")


@pytest.mark.parametrize("rows", [
    [[INF, 2.0], [3.0, 4.0]],          # no zero: the division, NaN at the infinity
    [[INF, 2.0], [0.0, 4.0]],          # a zero in another slice: products of the others
    [[NAN, 2.0], [1.5, -0.5]],
    [[0.0, 0.0], [INF, 1.0]],
    [[1e200, 1e200], [1e-200, 3.0]],   # the product overflows: out / a is inf
])
def test_prod_backward_takes_torchs_branch(rows):
    x = np.array(rows)
    with np.errstate(all="ignore"):
        check(lambda T, t: T.prod(t), x)
        check(lambda T, t: T.prod(t, 1), x)
        check(lambda T, t: t.prod(0, keepdim=True), x)
