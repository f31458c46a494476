"""torch.index_add / Tensor.index_add / Tensor.index_add_ and torch.bincount / Tensor.bincount
against torch: values and dtypes (alpha in self's dtype, repeated indices accumulating in order),
gradients of self and source, in-place version bumps, and torch's exceptions."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, LIBS, assert_close, check, check_raises, rand

# (self shape, dim, index, source shape)
INDEX_ADD = [
    ((3,), 0, [0, 0, 2], (3,)),
    ((5,), 0, [4, 1, 4, 4], (4,)),
    ((4, 3), 0, [3, 0, 3], (3, 3)),
    ((4, 3), 1, [2, 2, 0, 1, 2], (4, 5)),
    ((4, 3), -1, [1], (4, 1)),
    ((2, 3, 4), 1, [0, 2], (2, 2, 4)),
    ((2, 3, 4), 2, [3, 3, 3], (2, 3, 3)),
    ((2, 3, 4), 0, [], (0, 3, 4)),
    ((), 0, [0], ()),
    ((3,), 0, 1, (1,)),  # a 0-d index
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("alpha", [1, 2.5, -1])
@pytest.mark.parametrize("case", INDEX_ADD, ids=str)
def test_index_add(case, alpha, dtype):
    shape, dim, index, src_shape = case
    idx = np.array(index, dtype=np.int64)

    def fn(T, x, s):
        i = T.tensor(idx)
        return T.index_add(x, dim, i, s, alpha=alpha), x.index_add(dim, i, s, alpha=alpha)
    for layout in ("contiguous", "transposed"):
        check(fn, rand(*shape, dtype=dtype), rand(*src_shape, dtype=dtype, seed=1),
              layout=layout, grad_fn_name=True)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_index_add_in_place(dtype):
    def fn(T, x, s):
        y = x * 2  # a non-leaf: the in-place op is recorded on it
        out = y.index_add_(1, T.tensor([0, 2, 0]), s, alpha=0.5)
        assert out is y and y._version == 1
        return y
    check(fn, rand(2, 3, dtype=dtype), rand(2, 3, dtype=dtype, seed=1), grad_fn_name=True)


@pytest.mark.parametrize("dtype,alpha", [(np.int64, 2), (np.int64, 2.5), (np.int32, -3),
                                         (np.uint8, 2), (np.bool_, True), (np.int64, True)])
def test_index_add_integer_and_bool(dtype, alpha):
    """alpha is read in self's dtype (2.5 adds 2 to integers); uint8 wraps around."""
    x = np.arange(4).astype(dtype)
    s = (np.arange(3) * 100).astype(dtype)
    idx = np.array([1, 3, 1])
    outs = []
    for T in LIBS:
        t = T.tensor(x)
        t.index_add_(0, T.tensor(idx), T.tensor(s), alpha=alpha)
        outs.append(t)
    assert_close(outs[1], outs[0])


def test_index_add_int32_index_and_leaf_error():
    check(lambda T, x, s: x.index_add(0, T.tensor([1, 1], dtype=T.int32), s),
          rand(3), rand(2, seed=1))
    check_raises(lambda T, x, s: x.index_add_(0, T.tensor([1, 1]), s), rand(3), rand(2))


INDEX_ADD_ERRORS = [
    ((3,), 0, [[0, 1]], (2,), np.float32),           # index not a vector
    ((3,), 0, np.array([[0.0, 1.0]]), (2,), np.float32),
    ((3,), 0, np.array([0.0, 1.0]), (2,), np.float32),  # index not integer
    ((3,), 0, [0, 1], (2,), np.float64),             # source of another dtype
    ((3, 2), 1, [0, 1], (3,), np.float32),           # dim beyond the source's dims
    ((3,), 0, [0, 1], (3,), np.float32),             # one index per source slice
    ((3, 2), 0, [0, 1], (2, 3), np.float32),         # other dims must agree
    ((3, 2), 0, [0, 1, 1], (3,), np.float32),
    ((3, 2), 0, [0, 1, 1], (3, 2, 1), np.float32),
    ((), 0, [0, 0], (2,), np.float32),
    ((3,), 0, 1, (), np.float32),
    ((3,), 1, [0], (1,), np.float32),                # dim out of range
]


@pytest.mark.parametrize("case", INDEX_ADD_ERRORS, ids=str)
def test_index_add_errors(case):
    shape, dim, index, src_shape, src_dtype = case
    idx = np.asarray(index)
    check_raises(lambda T, x: x.index_add(dim, T.tensor(idx), T.tensor(rand(*src_shape,
                                                                            dtype=src_dtype))),
                 rand(*shape))


@pytest.mark.parametrize("shape,dim,index", [((3,), 0, [0, 5]), ((3,), 0, [0, -1]),
                                             ((), 0, [1]), ((3, 2), 0, [0, 5]),
                                             ((3, 2), 0, [-1, 0]), ((2, 3), 1, [0, 3])])
def test_index_add_out_of_range(shape, dim, index):
    """1-D self: IndexError 'index out of range in self'; else torch names the index (negative
    indices are out of range too, unlike index_select's)."""
    src = list(shape)
    if src:
        src[dim] = len(index)
    check_raises(lambda T, x, s: x.index_add(dim, T.tensor(index), s), rand(*shape),
                 rand(*src, seed=1))


def test_index_add_argument_types():
    check_raises(lambda T, x: T.index_add(x, 0, T.tensor([0]), [1.0]), rand(3))


def test_index_add_empty_slices_skip_the_bounds_check():
    # (torch's backward of this one fails in index_select: forward only)
    check(lambda T, x, s: x.index_add(0, T.tensor([0, 5]), s), rand(3, 0), rand(2, 0),
          grad=False)


# -- bincount --------------------------------------------------------------------------------------

BINCOUNT = [
    ([0, 2, 2], None, 0), ([0, 2, 2], None, 4), ([0, 2, 2], None, 1), ([5], None, 0),
    ([], None, 0), ([], None, 3), ([3, 1, 3, 0, 7, 7, 7], None, 2),
]


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int16, np.int8, np.uint8])
@pytest.mark.parametrize("values,_,minlength", BINCOUNT, ids=str)
def test_bincount_counts(values, _, minlength, dtype):
    x = np.array(values, dtype=dtype)
    check(lambda T, x: (T.bincount(x, minlength=minlength), x.bincount(None, minlength)), x)


@pytest.mark.parametrize("wdtype", [np.float32, np.float64, np.float16, np.int64, np.int32,
                                    np.bool_])
@pytest.mark.parametrize("minlength", [0, 6])
def test_bincount_weights(wdtype, minlength):
    """float32 weights sum in float32 (one at a time, as torch adds them); any other weights
    give float64."""
    rng = np.random.default_rng(0)
    x = rng.integers(0, 4, 200)
    w = (rng.standard_normal(200) * 3).astype(wdtype)
    check(lambda T, w: T.bincount(T.tensor(x), w, minlength), w, grad=False)
    check(lambda T, w: T.tensor(x).bincount(weights=w), w, grad=False)


def test_bincount_empty_input_with_weights_is_a_count():
    check(lambda T, w: T.bincount(T.tensor(np.zeros(0, np.int64)), w, 3), rand(0), grad=False)


def test_bincount_weights_requiring_grad_have_no_derivative():
    outs = []
    for T in LIBS:
        w = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
        out = T.bincount(T.tensor([0, 2, 2]), w)
        assert out.requires_grad
        assert out.grad_fn.name() == "torch::autograd::NotImplemented"
        with pytest.raises(RuntimeError, match="derivative for aten::bincount is not "
                                               "implemented"):
            out.sum().backward()
        with T.no_grad():
            assert not T.bincount(T.tensor([0, 2, 2]), w).requires_grad
        outs.append(out)
    assert_close(outs[1], outs[0])


@pytest.mark.parametrize("fn", [
    lambda T: T.bincount(T.tensor([0.0, 2.0])),
    lambda T: T.bincount(T.tensor([0.0, 2.0], dtype=T.float64)),
    lambda T: T.bincount(T.tensor([True, False])),
    lambda T: T.bincount(T.tensor([0, -2])),
    lambda T: T.bincount(T.tensor([0, -2]), minlength=5),
    lambda T: T.bincount(T.tensor([[0, 2]])),
    lambda T: T.bincount(T.tensor(2)),
    lambda T: T.bincount(T.tensor([0, 2]), minlength=-1),
    lambda T: T.bincount(T.tensor([[0, 2]]), minlength=-1),
    lambda T: T.bincount(T.tensor([0, 2]), weights=T.tensor([1.0])),
    lambda T: T.bincount(T.tensor([0, 2]), weights=T.tensor([[1.0, 2.0]])),
    lambda T: T.bincount(T.tensor([0, 2]), minlength=2.5),
    lambda T: T.bincount([0, 2]),
    lambda T: T.bincount(T.tensor([0, 2]), weights=[1.0, 2.0]),
])
def test_bincount_errors(fn):
    check_raises(lambda T: fn(T))
