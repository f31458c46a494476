"""searchsorted, bucketize and isin against torch: ties, both sides, NaN and infinities (in the
values and in the sequence, where torch's binary search decides), N-D sequences, sorter,
promotion between dtypes, Python numbers, empty inputs, out= and torch's errors; isin over both
of torch's algorithms (the pairwise test for small test sets, the sort for large ones, which
is where assume_unique changes the answer for repeated values)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from harness import check, check_raises

NAN, INF = math.nan, math.inf
B = np.array([1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 7.5], np.float32)
X = np.array([[NAN, 2.0, 0.0, 5.0], [-INF, INF, 2.5, 1.0], [3.0, 7.5, 8.0, -0.0]], np.float32)


def _rng(seed):
    return np.random.default_rng(seed)


@pytest.mark.parametrize("kw", [{}, {"right": True}, {"side": "right"}, {"side": "left"},
                                {"out_int32": True}, {"right": True, "side": "right"}])
def test_searchsorted_sides_and_ties(kw):
    check(lambda T, b, x: T.searchsorted(b, x, **kw), B, X, grad=False)
    check(lambda T, b, x: T.bucketize(x, b, right=kw.get("right", False),
                                      out_int32=kw.get("out_int32", False)), B, X, grad=False)


@pytest.mark.parametrize("n", [1, 2, 5, 16, 33])
@pytest.mark.parametrize("nan_in_sequence", [False, True])
def test_searchsorted_n_d_with_nan(n, nan_in_sequence):
    """One sorted row per row of the values (torch sorts NaN last); a NaN inside a row sends
    torch's binary search right, which ours replays."""
    rng = _rng(n)
    b = np.sort(rng.integers(0, 5, (2, 3, n)).astype(np.float64), axis=-1)
    if nan_in_sequence:
        b[..., -1] = NAN
        b[0, 0, 0] = NAN  # (no longer sorted: torch's answer is its search's)
    x = rng.integers(-1, 6, (2, 3, 7)).astype(np.float64)
    x[0, 1, 2] = NAN
    for right in (False, True):
        check(lambda T, bt, xt: T.searchsorted(bt, xt, right=right), b, x, grad=False)
    check(lambda T, bt, xt: T.searchsorted(bt[0, 0], xt), b, x, grad=False)  # 1-D: every value


def test_searchsorted_sorter():
    rng = _rng(3)
    b = rng.integers(0, 6, (3, 9)).astype(np.float32)
    order = np.argsort(b, axis=-1, kind="stable")
    x = rng.integers(-1, 7, (3, 4)).astype(np.float32)
    for side in ("left", "right"):
        check(lambda T, bt, xt: T.searchsorted(bt, xt, side=side,
                                               sorter=T.tensor(order)), b, x, grad=False)


@pytest.mark.parametrize("dtypes", [(np.int64, np.float32), (np.float32, np.int64),
                                    (np.float32, np.float64), (np.int32, np.int64),
                                    (np.uint8, np.int32), (np.float16, np.float16),
                                    (np.bool_, np.float32), (np.float32, np.bool_),
                                    (np.int64, np.int64)])
def test_searchsorted_promotes(dtypes):
    b = np.array([0, 1, 1, 2, 3]).astype(dtypes[0])
    x = np.array([[0, 1, 2], [3, 4, 1]]).astype(dtypes[1])
    check(lambda T, bt, xt: (T.searchsorted(bt, xt), T.searchsorted(bt, xt, right=True)),
          b, x, grad=False)


def test_searchsorted_numbers_empty_and_no_grad():
    check(lambda T, b: (T.searchsorted(b, 2), T.searchsorted(b, 2.5, right=True),
                        T.searchsorted(b.long(), 2.5), T.searchsorted(b, True),
                        T.bucketize(3, b), T.bucketize(2.0, b, right=True, out_int32=True)),
          B, grad=False)
    check(lambda T, b, x: (T.searchsorted(b[:0], x), T.searchsorted(b, x[:0]),
                           T.searchsorted(T.ones(2, 0), T.ones(2, 3)),
                           T.bucketize(x[:, :0], b)), B, X, grad=False)
    check(lambda T, b, x: T.searchsorted(b, x).requires_grad, B, X)  # b, x require grad


def test_searchsorted_out():
    check(lambda T, b, x: T.searchsorted(b, x, out=T.empty(0, dtype=T.int64)), B, X, grad=False)
    check(lambda T, b, x: T.searchsorted(b, x, out_int32=True, out=T.zeros(3, dtype=T.int32)),
          B, X, grad=False)
    check(lambda T, b, x: T.bucketize(x, b, out=T.empty(0, dtype=T.int64)), B, X, grad=False)
    check(lambda T, b: T.searchsorted(b, 2.0, out=T.empty(0, dtype=T.int64)), B, grad=False)


def test_searchsorted_errors():
    b, x = B, X
    check_raises(lambda T, bt, xt: T.searchsorted(bt, xt, right=True, side="left"), b, x)
    check_raises(lambda T, bt, xt: T.searchsorted(bt, xt, side="up"), b, x)
    check_raises(lambda T: T.searchsorted(T.ones(2, 3), T.ones(3, 3)))
    check_raises(lambda T: T.searchsorted(T.ones(2, 3), T.ones(3)))
    check_raises(lambda T: T.searchsorted(T.ones(2, 3), T.ones(2, 3, 4)))
    check_raises(lambda T: T.searchsorted(T.ones(2, 3), 1.0))
    check_raises(lambda T: T.searchsorted(T.tensor(1.0), T.ones(3)))
    check_raises(lambda T: T.searchsorted(T.tensor(1.0), T.tensor(1.0)))
    check_raises(lambda T: T.searchsorted(T.ones(4), T.ones(2), sorter=T.arange(4).int()))
    check_raises(lambda T: T.searchsorted(T.ones(4), T.ones(2), sorter=T.arange(3)))
    check_raises(lambda T: T.searchsorted(T.ones(4), T.ones(2), sorter=T.arange(1, 5)))
    check_raises(lambda T: T.searchsorted(T.ones(4), T.ones(2), sorter=T.arange(4) - 1))
    check_raises(lambda T: T.searchsorted(T.ones(4), T.ones(2), out_int32=True,
                                          out=T.empty(0, dtype=T.long)))
    check_raises(lambda T: T.searchsorted(T.ones(4), T.ones(2), out=T.empty(0)))
    check_raises(lambda T: T.searchsorted(T.ones(4) > 0, T.tensor([True])))
    check_raises(lambda T: T.searchsorted(2.0, T.ones(4)))
    check_raises(lambda T: T.searchsorted(2.0, T.ones(4), right=True))
    check_raises(lambda T: T.bucketize(T.ones(2), T.ones(2, 2)))
    check_raises(lambda T: T.bucketize(T.ones(2), T.tensor(1.0)))
    check_raises(lambda T: T.bucketize(T.ones(2), 2.0))
    check_raises(lambda T: T.bucketize(2.0, T.ones(2), out=T.empty(0, dtype=T.long)))


# -- isin ------------------------------------------------------------------------------------------

E = np.array([[1.0, 2.0, NAN], [4.0, 1.0, -0.0]], np.float32)
TE = np.array([1.0, NAN, 0.0, 7.0], np.float32)


@pytest.mark.parametrize("invert", [False, True])
@pytest.mark.parametrize("assume_unique", [False, True])
def test_isin_nan_signed_zero_and_numbers(invert, assume_unique):
    kw = {"invert": invert, "assume_unique": assume_unique}
    check(lambda T, e, t: (T.isin(e, t, **kw), T.isin(e, 1.0, **kw), T.isin(1.0, t, **kw),
                           T.isin(e[0, 0], t, **kw), T.isin(e, t[:0], **kw),
                           T.isin(e[:0], t, **kw), T.isin(e, T.ones(2, 2, 2), **kw)),
          E, TE, grad=False)


@pytest.mark.parametrize("n_elements,n_test", [(4, 2), (4, 14), (50, 20), (50, 100),
                                               (300, 5), (300, 400)])
@pytest.mark.parametrize("invert", [False, True])
def test_isin_both_algorithms_with_repeats(n_elements, n_test, invert):
    """Small test sets take torch's pairwise test, large ones its sort (10 n^0.145 test
    elements or more); with assume_unique=True and repeated values the sort's answer is not
    membership, and ours is torch's."""
    rng = _rng(n_elements + n_test)
    e = rng.integers(0, 12, n_elements).astype(np.float64)
    t = rng.integers(0, 12, n_test).astype(np.float64)
    e[::7] = NAN
    for assume_unique in (False, True):
        check(lambda T, et, tt: T.isin(et, tt, assume_unique=assume_unique, invert=invert),
              e, t, grad=False)


@pytest.mark.parametrize("dtypes", [(np.int64, np.float32), (np.float64, np.float32),
                                    (np.float32, np.float64), (np.uint8, np.int64),
                                    (np.int32, np.int8), (np.float16, np.float32)])
def test_isin_promotes(dtypes):
    e = np.array([16777217, 1, 255, 3]).astype(dtypes[0])
    t = np.array([16777216, 255, 3]).astype(dtypes[1])
    check(lambda T, et, tt: (T.isin(et, tt), T.isin(et, 3), T.isin(et, 1.5),
                             T.isin(0.1, tt)), e, t, grad=False)


def test_isin_out_and_errors():
    check(lambda T, e, t: T.isin(e, t, out=T.empty(0, dtype=T.bool)), E, TE, grad=False)
    check(lambda T, e, t: T.isin(e, 7.0, invert=True, out=T.zeros(2, 3, dtype=T.bool)), E, TE,
          grad=False)
    check_raises(lambda T: T.isin(T.ones(2), T.ones(2), out=T.empty(0)))
    check_raises(lambda T: T.isin(1.0, 2.0))
    check_raises(lambda T: T.isin(1.0, 2.0, invert=True))
    check_raises(lambda T: T.isin(T.tensor([True]), T.ones(2)))
    check_raises(lambda T: T.isin(T.ones(2), T.tensor([True])))
    check_raises(lambda T: T.isin(T.ones(2), True))
    check_raises(lambda T: T.isin(True, T.ones(2)))
    check_raises(lambda T: T.isin(T.ones(2), "a"))
