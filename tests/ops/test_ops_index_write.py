"""scatter_reduce, index_copy, index_fill, masked_scatter, index_put (functions, methods and
in-place methods) against torch: values, dtypes, gradients, node names, and bad input."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check, check_raises

IDX = np.array([[0, 0, 2], [1, 1, 1], [3, 0, 3]])
SELF = np.array([[1.0, -2.0, 0.0, 3.0], [2.0, 2.0, -1.0, 0.5], [0.0, 1.0, 4.0, -3.0]])
# src as large as index: torch's own backward fails for a larger src (its gradient takes
# index's shape), as for scatter
SRC = np.array([[2.0, 1.0, 0.0], [2.0, -1.0, 2.0], [0.0, 3.0, 0.0]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("layout", ["contiguous", "transposed"])
def test_scatter_reduce(dtype, reduce, include_self, layout):
    # ties (equal values meeting at one position), zeros (prod's special case)
    check(lambda T, x, s: T.scatter_reduce(x, 1, T.tensor(IDX), s, reduce,
                                           include_self=include_self),
          SELF.astype(dtype), SRC.astype(dtype), layout=layout, grad_fn_name=True)


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
def test_scatter_reduce_method_inplace_and_dim0(reduce):
    check(lambda T, x, s: (x * 1).scatter_reduce_(0, T.tensor([[2, 0, 2]]), s, reduce),
          SELF, SRC[:1], grad_fn_name=True)
    check(lambda T, x, s: x.scatter_reduce(-1, T.tensor(IDX), s, reduce, include_self=False),
          SELF, SRC, grad_fn_name=True)


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("dtype", [np.int64, np.int32])
def test_scatter_reduce_integers(reduce, dtype):
    x, s = (SELF * 3).astype(dtype), (SRC * 2 + 1).astype(dtype)
    for inc in (True, False):
        check(lambda T, x, s: T.scatter_reduce(x, 1, T.tensor(IDX), s, reduce, include_self=inc),
              x, s, grad=False)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("dim,index", [(0, [2, 0]), (1, [3, 1, 0, 2]), (-1, [1]), (0, 1)])
def test_index_copy(dtype, dim, index):
    x = SELF.astype(dtype)
    n = np.size(index)
    shape = list(x.shape)
    shape[dim] = n
    src = np.arange(np.prod(shape), dtype=dtype).reshape(shape) / 7
    if np.ndim(index) == 0:
        src = src.squeeze(dim)
        src = np.expand_dims(src, dim)
    for layout in ("contiguous", "transposed"):
        check(lambda T, x, s: T.index_copy(x, dim, T.tensor(index), s), x, src, layout=layout,
              grad_fn_name=True)
        check(lambda T, x, s: (x * 1).index_copy_(dim, T.tensor(index), s), x, src,
              layout=layout, grad_fn_name=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("dim,index", [(0, [2, 0, 2]), (1, [3]), (-1, 0)])
def test_index_fill(dtype, dim, index):
    x = SELF.astype(dtype)
    for layout in ("contiguous", "transposed"):
        check(lambda T, x: T.index_fill(x, dim, T.tensor(index), -1.5), x, layout=layout,
              grad_fn_name=True)
        check(lambda T, x, v: x.index_fill(dim, T.tensor(index), v), x,
              np.array(2.5, dtype=dtype), layout=layout, grad_fn_name=True)
        check(lambda T, x, v: (x * 1).index_fill_(dim, T.tensor(index), v), x,
              np.array(2.5, dtype=dtype), layout=layout, grad_fn_name=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mask_shape", [(3, 4), (4,), (3, 1)])
def test_masked_scatter(dtype, mask_shape):
    mask = (np.arange(np.prod(mask_shape)).reshape(mask_shape) % 3 == 1)
    x = SELF.astype(dtype)
    src = np.arange(15, dtype=dtype).reshape(3, 5) / 3  # more elements than needed
    for layout in ("contiguous", "transposed"):
        check(lambda T, x, s: T.masked_scatter(x, T.tensor(mask), s), x, src, layout=layout,
              grad_fn_name=True)
        check(lambda T, x, s: (x * 1).masked_scatter_(T.tensor(mask), s), x, src,
              layout=layout, grad_fn_name=True)


def test_masked_scatter_broadcasts_input():
    check(lambda T, x, s: x.masked_scatter(T.tensor(np.eye(3, dtype=bool)), s),
          np.array([1.0, 2.0, 3.0]), np.arange(6.0))


@pytest.mark.parametrize("accumulate", [False, True])
def test_index_put(accumulate):
    check(lambda T, x, v: x.index_put((T.tensor([0, 2, 0]), T.tensor([1, 1, 1])), v,
                                      accumulate=accumulate), SELF, np.array([1.0, 2.0, 3.0]),
          grad_fn_name=True)
    check(lambda T, x, v: T.index_put(x, (T.tensor([1]),), v, accumulate), SELF,
          np.array(4.0), grad_fn_name=True)
    check(lambda T, x, v: (x * 1).index_put_((T.tensor([0, 2]),), v, accumulate=accumulate),
          SELF, np.array([1.0, 2.0, 3.0, 4.0]), grad_fn_name=True)


@pytest.mark.parametrize("reduce", ["add", "multiply"])
def test_scatter_with_reduce(reduce):
    """torch's deprecated scatter(reduce=): values (repeated positions accumulate), no
    derivative (backward raises torch's error), the deprecation warning for a tensor src."""
    idx = np.array([[0, 0], [1, 1]])
    check(lambda T, x, s: T.scatter(x, 1, T.tensor(idx), s, reduce=reduce),
          np.ones((2, 3)), np.full((2, 2), 3.0), grad=False, grad_fn_name=True)
    check(lambda T, x: x.scatter(1, T.tensor([[0], [2]]), 2.0, reduce=reduce), np.ones((2, 3)),
          grad=False, grad_fn_name=True)
    check(lambda T: T.ones(2, 3).scatter_(1, T.tensor([[0], [1]]), 2.0, reduce=reduce),
          grad=False)
    check_raises(lambda T, x: x.scatter(1, T.tensor([[0], [2]]), 2.0, reduce=reduce).sum()
                 .backward(), np.ones((2, 3)))
    import warnings

    import minitorch_ref as mt
    with warnings.catch_warnings(record=True) as caught:  # torch's warns once per process
        warnings.simplefilter("always")
        for _ in range(2):
            mt.ones(2, 3).scatter(1, mt.tensor(idx), mt.ones(2, 2), reduce=reduce)
    assert len(caught) <= 1


@pytest.mark.parametrize("method", ["float", "double", "half", "long", "int", "bool", "byte",
                                    "char", "short", "cpu"])
def test_conversion_methods_take_memory_format(method):
    check(lambda T, x: getattr(x, method)(memory_format=T.preserve_format), SELF, grad=False)
    check(lambda T, x: getattr(x, method)(memory_format=T.contiguous_format), SELF, grad=False)


X = np.zeros((3, 4))
ERRORS = [
    ("scatter_reduce_bad_mode", lambda T, x: x.scatter(1, T.tensor([[0]]), 1.0, reduce="sum"),
     (X,)),
    ("scatter_reduce_mode", lambda T, x: x.scatter_reduce(1, T.tensor(IDX), x, "foo"), (X,)),
    ("scatter_reduce_dtype", lambda T, x: x.scatter_reduce(1, T.tensor(IDX), x.float(), "sum"),
     (X,)),
    ("scatter_reduce_index_dtype", lambda T, x: x.scatter_reduce(1, T.tensor([[0.0]]), x, "sum"),
     (X,)),
    ("index_copy_int32", lambda T, x: x.index_copy(0, T.tensor([0], dtype=T.int32), x[:1]), (X,)),
    ("index_copy_count", lambda T, x: x.index_copy(0, T.tensor([0, 1]), x[:1]), (X,)),
    ("index_copy_dtype", lambda T, x: x.index_copy(0, T.tensor([0]), x[:1].float()), (X,)),
    ("index_copy_range", lambda T, x: x.index_copy(0, T.tensor([5]), x[:1]), (X,)),
    ("index_copy_negative", lambda T, x: x.index_copy(0, T.tensor([-4]), x[:1]), (X,)),
    ("index_fill_int32", lambda T, x: x.index_fill(0, T.tensor([0], dtype=T.int32), 1.0), (X,)),
    ("index_fill_2d_index", lambda T, x: x.index_fill(0, T.tensor([[0]]), 1.0), (X,)),
    ("index_copy_2d_index", lambda T, x: x.index_copy(0, T.tensor([[0]]), x[:1]), (X,)),
    ("index_fill_2d_value", lambda T, x: x.index_fill(0, T.tensor([0]), T.ones(2)), (X,)),
    ("index_fill_range", lambda T, x: x.index_fill(1, T.tensor([-5]), 1.0), (X,)),
    ("masked_scatter_mask", lambda T, x: x.masked_scatter(T.ones(3, 4), x), (X,)),
    ("masked_scatter_dtype", lambda T, x: x.masked_scatter(x > -1, x.float()), (X,)),
    ("masked_scatter_short", lambda T, x: x.masked_scatter(x > -1, T.ones(3)), (X,)),
    ("masked_scatter_shape", lambda T, x: x.masked_scatter(T.ones(2, dtype=T.bool), x), (X,)),
]


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_bad_input(case):
    _, fn, args = case
    check_raises(fn, *args)


@pytest.mark.parametrize("op", ["scatter_reduce", "index_reduce"])
def test_prod_second_derivative_refused_for_two_zeros(op):
    """prod with more than one zero of src scattered to a position: the gradient in src has a
    value, but torch's node for it (torch::autograd::Error) raises when differentiated; the
    gradient in self stays differentiable."""
    def grads(T, x, s):
        x, s = x.detach().requires_grad_(), s.detach().requires_grad_()
        y = getattr(x, op)(0, T.tensor([1, 1, 0]), s, "prod")
        gx, gs = T.autograd.grad(y.sum(), [x, s], create_graph=True)
        assert gs.grad_fn.name() == "torch::autograd::Error"
        return gx, gs, T.autograd.grad(gx.sum(), [x, s], retain_graph=True)

    def second(T, x, s):
        _, gs, _ = grads(T, x, s)
        T.autograd.grad(gs.sum(), [s])

    x, s = np.array([1.5, -2.0, 0.5]), np.array([0.0, 0.0, 2.0])
    check(lambda T, x, s: (grads(T, x, s)[0].detach(), grads(T, x, s)[1].detach(),
                           *grads(T, x, s)[2]), x, s, grad=False)
    check_raises(second, x, s)
