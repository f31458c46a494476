"""``__getitem__`` and ``__setitem__`` against torch: every kind of index, views sharing memory,
gradients scattered back (repeated indices accumulate), writes through setitem with autograd,
and scatter with a source larger than the index."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check, check_raises
from ops_data import data

X = data("randn", (4, 5, 3), np.float64)

GET = [
    lambda T: 2, lambda T: -1, lambda T: slice(1, 3), lambda T: slice(None, None, 2),
    lambda T: (slice(1, None), 0), lambda T: (Ellipsis, 1), lambda T: (None, 1, None),
    lambda T: (0, Ellipsis, None), lambda T: (slice(-3, -1), slice(None), slice(0, 1)),
    lambda T: [0, 0, 3], lambda T: [[0, 1], [1, 0]], lambda T: T.tensor([3, 3, 3]),
    lambda T: T.tensor([[0], [2]]), lambda T: (T.tensor([0, 1]), T.tensor([2, 2])),
    lambda T: (slice(None), [4, 0, 4]), lambda T: (1, [0, 0], slice(0, 2)),
    lambda T: ([0, 1], slice(None), [2, 2]), lambda T: (Ellipsis, [2, 0, 2]),
    lambda T: T.tensor([True, False, True, True]),
    lambda T: (slice(None), T.tensor([True, False, True, False, True])),
    lambda T: T.tensor(X[..., 0] > 0), lambda T: T.tensor(X > 0),
    lambda T: (T.tensor(1), slice(None)), lambda T: (None, Ellipsis, T.tensor([1, 1])),
    lambda T: (T.tensor([[1, 2], [3, 3]]), T.tensor([[0], [4]])),
    lambda T: (slice(1, 100),), lambda T: slice(5, 2), lambda T: (2, 3, 1),
    lambda T: True, lambda T: False, lambda T: T.tensor([1, 2], dtype=T.int32),
]


@pytest.mark.parametrize("i", range(len(GET)))
@pytest.mark.parametrize("layout", ["contiguous", "transposed"])
def test_getitem(i, layout):
    check(lambda T, x: x[GET[i](T)], X, layout=layout, grad_fn_name=True)


@pytest.mark.parametrize("i", range(len(GET)))
def test_setitem_values(i):
    """x[index] = scalar, tensor (broadcast), and the gradients through it."""
    def fn(T, x, v):
        y = x * 1
        idx = GET[i](T)
        y[idx] = 0.5
        shape = y[idx].shape
        y[idx] = v.reshape(-1)[0].expand(shape) * 2 if shape else v.reshape(-1)[0] * 2
        return y * 3
    check(fn, X, data("randn", (2,), np.float64))


def test_setitem_gradients_repeated_and_broadcast():
    check(lambda T, x, v: _set(x * 1, (slice(None), [0, 2]), v), X, data("randn", (3,),
                                                                            np.float64))
    check(lambda T, x, v: _set(x * 1, T.tensor([1, 1]), v), X, data("randn", (5, 3),
                                                                       np.float64))
    check(lambda T, x, v: _set(x * 1, (Ellipsis, 0), v), X, data("randn", (1, 5),
                                                                    np.float64))


def _set(y, idx, v):
    y[idx] = v
    return y


def test_repeated_index_gradient_accumulates():
    check(lambda T, x: x[[0, 0, 0, 3]].sum(0), X)
    check(lambda T, x: x[T.tensor([[1, 1], [1, 2]]), 0], X)
    check(lambda T, x: x[:, [2, 2], [0, 0]], X)


def test_views_share_memory_and_version():
    for T in LIBS:
        x = T.zeros(3, 4)
        v = x[1]
        v[2] = 5.0
        assert x[1, 2].item() == 5.0
        s = x[:, 1:3]
        s.fill_(1.0)
        assert x[0, 1].item() == 1.0 and x[2, 2].item() == 1.0
        a = x[[0]]  # advanced indexing copies
        a.fill_(9.0)
        assert x[0, 0].item() == 0.0
        assert x._version == v._version
    res = {}
    for T in LIBS:
        x = T.zeros(3, 4)
        x[1] = 2.0
        x[:, 0] = T.tensor([1.0, 2.0, 3.0])
        x[x > 2.5] = -1.0
        x[[0, 2], [3, 3]] = T.tensor([7.0, 8.0])
        x[..., 1] += 1
        x[0] *= 2
        res[T] = x
    assert_close(res[mt], res[torch])


def test_setitem_dtype_cast():
    res = {}
    for T in LIBS:
        x = T.zeros(3, dtype=T.int64)
        x[0] = 2.7
        x[1] = T.tensor(-1.9)
        b = T.zeros(2, dtype=T.bool)
        b[1] = 1
        f = T.zeros(2)
        f[0] = T.tensor(3)  # int into float
        f[1] = True
        res[T] = (x, b, f)
    for a, b in zip(res[mt], res[torch]):
        assert_close(a, b)


def test_setitem_no_grad_on_leaf():
    for T in LIBS:
        w = T.ones(3, requires_grad=True)
        with T.no_grad():
            w[0] = 5.0
            w[1:] *= 2
        assert w.tolist() == [5.0, 2.0, 2.0] and w.is_leaf and w.requires_grad


def test_index_errors_both_paths():
    x = X.astype(np.float32)
    check_raises(lambda T, x: x[4], x)
    check_raises(lambda T, x: x[0, 5], x)
    check_raises(lambda T, x: x[:, :, [3]], x)
    check_raises(lambda T, x: x[T.tensor([True, False])], x)
    check_raises(lambda T, x: x[:, T.tensor([True, False])], x)
    check_raises(lambda T, x: x[0, 0, 0, 0], x)
    check_raises(lambda T, x: x[::-2], x)
    check_raises(lambda T, x: x.detach().__setitem__((slice(None), slice(None, None, -1)), 1.0),
                 x)


# src larger than index: (op, reduce, include_self, src shape, index shape, dim); x is 3x4
SCATTER_LARGER_SRC = [
    (op, red, inc, src, idx, dim)
    for op, red, inc in [("scatter", None, True), ("scatter_add", None, True)]
    + [("scatter_reduce", r, i) for r in ("sum", "mean", "prod", "amax", "amin")
       for i in (True, False)]
    for src, idx, dim in [((3, 5), (2, 3), 1), ((4, 4), (2, 3), 0), ((3, 4), (2, 4), 0),
                          ((2, 6), (2, 3), 0)]
]


def _scatter_larger_src(T, x, src, op, red, inc, idx, dim):
    index = T.tensor(np.array(idx).reshape(-1) % (3 if dim == 0 else 4)).reshape(
        np.array(idx).shape)
    if op == "scatter_reduce":
        return x.scatter_reduce(dim, index, src, red, include_self=inc)
    return getattr(x, op)(dim, index, src)


def _index_rows(shape):
    return np.arange(int(np.prod(shape))).reshape(shape) * 7 + 1


@pytest.mark.parametrize("op,red,inc,src_shape,idx_shape,dim", SCATTER_LARGER_SRC)
def test_scatter_src_larger_than_index(op, red, inc, src_shape, idx_shape, dim):
    """src larger than index: the forward reads src's leading block, as torch's; in backward
    torch's engine refuses src's gradient (it has index's shape: "returned an invalid
    gradient"), and amax/amin/prod's formula fails to broadcast src against index-shaped
    values whichever input needs a gradient. With only x needing one, scatter, scatter_add,
    sum and mean give x's gradient."""
    x = data("randn", (3, 4), np.float64)
    src = data("randn", src_shape, np.float64)
    idx = _index_rows(idx_shape)
    outs = {}
    for T in LIBS:
        outs[T] = _scatter_larger_src(T, T.tensor(x), T.tensor(src), op, red, inc, idx, dim)
    assert_close(outs[mt], outs[torch], "forward")

    def both(T, x, src):
        out = _scatter_larger_src(T, x.requires_grad_(), src.requires_grad_(), op, red, inc,
                                  idx, dim)
        out.backward(T.ones_like(out))
    check_raises(both, x, src)
    if red in ("prod", "amax", "amin"):
        check_raises(lambda T, x, src: _scatter_larger_src(
            T, x.requires_grad_(), src, op, red, inc, idx, dim).sum().backward(), x, src)
        return
    grads = {}
    for T in LIBS:
        xt = T.tensor(x, requires_grad=True)
        out = _scatter_larger_src(T, xt, T.tensor(src), op, red, inc, idx, dim)
        out.backward(T.tensor(data("randn", (3, 4), np.float64)))
        grads[T] = xt.grad
    assert_close(grads[mt], grads[torch], "x grad")


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", ["prod", "amax", "amin", "sum", "mean"])
@pytest.mark.parametrize("src_shape,idx_shape,dim", [((3, 4), (1, 4), 0), ((3, 4), (3, 1), 1),
                                                     ((2, 5), (2, 1), 1)])
def test_scatter_reduce_index_broadcast_over_src(src_shape, idx_shape, dim, reduce,
                                                 include_self, create_graph):
    """An index of size 1 where src is larger broadcasts against src: torch's amax/amin/prod
    formula then gives src a gradient everywhere ((src == value) * share, the products over
    src's every row), also under create_graph, where sum and mean are refused by the
    engine."""
    x = data("ties", (3, 4), np.float64)
    src = data("ties", src_shape, np.float64)
    idx = _index_rows(idx_shape)
    g = data("randn", (3, 4), np.float64)
    if reduce in ("sum", "mean"):
        check_raises(lambda T, x, src, g: _scatter_larger_src(
            T, x.requires_grad_(), src.requires_grad_(), "scatter_reduce", reduce,
            include_self, idx, dim).backward(g), x, src, g)
        return
    res = {}
    for T in LIBS:
        xt, st = T.tensor(x, requires_grad=True), T.tensor(src, requires_grad=True)
        out = _scatter_larger_src(T, xt, st, "scatter_reduce", reduce, include_self, idx, dim)
        grads = T.autograd.grad(out, (xt, st), T.tensor(g), create_graph=create_graph)
        res[T] = (out,) + tuple(gr.detach() for gr in grads)
    for what, ours, theirs in zip(("out", "x grad", "src grad"), res[mt], res[torch]):
        assert_close(ours, theirs, what)


# -- Python sequences other than lists as indices (``x[range(n), target]``) ----------------------

import collections  # noqa: E402
import warnings  # noqa: E402

SEQ = [
    lambda T: range(2), lambda T: (range(4), T.tensor([0, 2, 4, 1])),
    lambda T: (range(3), [0, 4, 2]), lambda T: range(0), lambda T: (range(1, 3), slice(1, None)),
    lambda T: (slice(None), range(0, 5, 2)), lambda T: range(3, 0, -1),
    lambda T: (range(2), range(2)), lambda T: (np.int64(1), range(2)),
    lambda T: collections.deque([0, 3]), lambda T: [0.0, 2.9], lambda T: [True, 1],
    lambda T: [[True, False, True, False]], lambda T: (range(2),), lambda T: [range(2)],
    lambda T: [0, [1]], lambda T: [0, 1, None], lambda T: ((0, 1),), lambda T: [],
    lambda T: [np.array([0, 1])], lambda T: [np.int64(3), 2],
]


@pytest.mark.parametrize("i", range(len(SEQ)))
def test_getitem_with_sequences(i):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy list-as-tuple warning: checked below
        check(lambda T, x: x[SEQ[i](T)], X, grad_fn_name=True)


@pytest.mark.parametrize("i", range(len(SEQ)))
def test_setitem_with_sequences(i):
    def fn(T, x, v):
        y = x * 1
        idx = SEQ[i](T)
        y[idx] = v.sum() * 2  # a 0-d tensor broadcast into the indexed positions
        return y * 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(fn, X, data("randn", (2,), np.float64))


def test_nll_of_the_nn_tutorial():
    """``-input[range(target.shape[0]), target].mean()``: the nn tutorial's loss."""
    check(lambda T, x, t: -x[range(t.shape[0]), t].mean(), data("randn", (6, 4), np.float32),
          np.array([0, 3, 3, 1, 2, 0]))


@pytest.mark.parametrize("make", [
    lambda T: [range(2)], lambda T: [0, [1]], lambda T: [0, 1, None], lambda T: range(2),
    lambda T: [0, 1], lambda T: (range(2), 0)])
def test_legacy_sequence_warning_matches_torch(make):
    """torch warns when it reads a non-tuple sequence as a tuple of indices, and only then."""
    def warned(T, setting: bool) -> list:
        x = T.zeros(4, 5)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if setting:
                x[make(T)] = 1.0
            else:
                x[make(T)]
        return [str(c.message).split(" (Triggered")[0] for c in caught
                if issubclass(c.category, UserWarning)]
    for setting in (False, True):
        assert warned(mt, setting) == warned(torch, setting)


@pytest.mark.parametrize("make", [
    lambda T: range(5), lambda T: (range(2), [5, 0]), lambda T: {0, 1}, lambda T: {0: 1},
    lambda T: np.float32(1), lambda T: (range(2), 0.0), lambda T: "a", lambda T: [[0, "a"]],
])
def test_sequence_index_errors(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_raises(lambda T, x: x[make(T)], data("randn", (4, 5), np.float64))


# indexing a 0-d tensor and wrong indices: torch's exception types and messages (its message
# names an out-of-range integer by its position in the index, a 0-d tensor's lone 0 by item())
T0, T1, T2, T3 = (), (4,), (2, 3), (2, 3, 4)
INDEX_CASES = [
    (T0, lambda T: 0), (T0, lambda T: None), (T0, lambda T: ...), (T0, lambda T: True),
    (T0, lambda T: False), (T0, lambda T: slice(None)), (T0, lambda T: slice(0, 1)),
    (T0, lambda T: -1), (T0, lambda T: 2), (T0, lambda T: (None, None)), (T0, lambda T: (..., None)),
    (T0, lambda T: (None, 0)), (T0, lambda T: (..., 0)), (T0, lambda T: (0, None)),
    (T0, lambda T: (slice(None), None)), (T0, lambda T: T.tensor(0)), (T0, lambda T: T.tensor([0])),
    (T0, lambda T: T.tensor(True)), (T0, lambda T: T.tensor([True])), (T0, lambda T: 1.5),
    (T0, lambda T: "a"), (T0, lambda T: T.tensor(0.5)),
    (T1, lambda T: 5), (T1, lambda T: -5), (T1, lambda T: 4), (T1, lambda T: -4),
    (T1, lambda T: (None, 5)), (T1, lambda T: (..., 9)), (T1, lambda T: (None, ..., 9)),
    (T2, lambda T: (0, 0, 0)), (T2, lambda T: (..., 0, 0, 0)), (T2, lambda T: 2),
    (T2, lambda T: (slice(None), 3)), (T2, lambda T: (slice(None), -4)), (T2, lambda T: (0, 5)),
    (T2, lambda T: (None, 5)), (T2, lambda T: (None, slice(None), 5)), (T2, lambda T: (..., 3)),
    (T3, lambda T: (1, 3)), (T3, lambda T: (..., 4)), (T3, lambda T: (0, ..., 4)),
    (T3, lambda T: (..., 0, 4)), (T3, lambda T: (..., 5, 0)), (T3, lambda T: (None, 0, 5)),
    (T3, lambda T: (None, None, 0, 0, 9)), (T3, lambda T: (True, 9)),
    (T3, lambda T: (..., None, 9)), (T3, lambda T: (..., T.tensor([9]))),
    (T3, lambda T: (0, 0, T.tensor(9))), (T3, lambda T: ([0], 9)),
    (T1, lambda T: 1.5), (T1, lambda T: 1.0), (T1, lambda T: np.float64(1.0)),
    (T1, lambda T: T.tensor(1.5)), (T1, lambda T: T.tensor([1.0])),
    (T1, lambda T: T.tensor([0.5, 1.5])), (T2, lambda T: (0, T.tensor([1.0]))),
    (T1, lambda T: T.tensor([], dtype=T.float32)), (T1, lambda T: T.tensor([1], dtype=T.int8)),
    (T1, lambda T: T.tensor([1], dtype=T.int16)), (T1, lambda T: T.tensor([1], dtype=T.int32)),
    (T1, lambda T: T.tensor([1, 0, 1, 1], dtype=T.uint8)),
    (T1, lambda T: T.tensor([1], dtype=T.uint8)), (T1, lambda T: T.tensor(1, dtype=T.int8)),
    (T1, lambda T: slice(1, 2, 0)), (T1, lambda T: slice(None, None, -1)),
    (T1, lambda T: slice(1, 2, 1.5)), (T1, lambda T: slice(1.5, 2)),
    (T1, lambda T: slice(T.tensor(1), 3)), (T1, lambda T: slice(T.tensor(1.0), 3)),
    (T1, lambda T: slice(np.int64(1), 3)),
    (T2, lambda T: ([0, 1], [0, 1, 2])), (T2, lambda T: (T.tensor([0, 1]), T.tensor([0, 1, 2]))),
    (T3, lambda T: (T.tensor([True, False]), T.tensor([0, 1, 2]))),
    (T1, lambda T: [5]), (T1, lambda T: T.tensor([5])), (T1, lambda T: T.tensor([-5])),
    (T1, lambda T: object()), (T1, lambda T: "a"), (T1, lambda T: {1: 2}),
    (T0, lambda T: (0,)), (T0, lambda T: (slice(None),)),
    # NumPy arrays are read as sequences: floats truncated, uint8 the byte mask
    (T1, lambda T: np.array([1.7, 2.2])), (T1, lambda T: np.array(1.7)),
    (T1, lambda T: np.array([True, False, True, True])), (T1, lambda T: np.array([1], np.uint8)),
    (T1, lambda T: np.array([1, 0, 1, 1], np.uint8)), (T1, lambda T: np.array([1], np.int8)),
    (T1, lambda T: np.array([1, 3], np.int32)), (T2, lambda T: np.array([[0, 1]])),
    (T1, lambda T: np.array([1.5, 9])), (T1, lambda T: np.array([], np.float64)),
    (T1, lambda T: np.array(2)), (T1, lambda T: np.array(7)), (T2, lambda T: (np.array(1), 0)),
]


@pytest.mark.parametrize("k", range(len(INDEX_CASES)))
def test_index_results_and_errors_are_torchs(k):
    shape, make = INDEX_CASES[k]

    def call(T, x):
        return x[make(T)]
    x = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the uint8 index's deprecation, checked below
        try:
            call(torch, torch.from_numpy(x))
        except Exception:  # noqa: BLE001 - torch refuses: the type and message are compared
            check_raises(call, x)
            return
        check(call, x, grad_fn_name=True)


def test_byte_index_is_a_deprecated_mask():
    for T in LIBS:
        with pytest.warns(UserWarning, match="indexing with dtype torch.uint8 is now deprecated"):
            T.arange(4)[T.tensor([1, 0, 1, 1], dtype=T.uint8)]
