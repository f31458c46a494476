"""Statistics and running ops against torch beyond the parity table (tests/ops/test_ops_parity.py
has their values, gradients and second derivatives over shapes and layouts): integer and bool
inputs, NaN and infinity, empty and 0-d inputs, dtype= and errors."""
from __future__ import annotations

import math

import numpy as np
import pytest

from harness import check, check_raises

NAN, INF = math.nan, math.inf
F = np.array([[1.0, NAN, 3.0, 3.0], [NAN, NAN, NAN, NAN], [2.0, -1.0, 2.0, 0.5]], np.float32)
I = np.array([[3, 1, 1, 2], [0, 5, 5, -1]], np.int64)


# -- nansum, nanmean -------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_, np.uint8])
@pytest.mark.parametrize("dim", [None, 0, (0, 1)])
def test_nansum_of_integers_sums_as_sum(dtype, dim):
    check(lambda T, x: T.nansum(x, dim) if dim is not None else x.nansum(), I.astype(dtype))


@pytest.mark.parametrize("dim,keepdim", [(None, False), (1, False), (0, True), ((0, 1), True),
                                         (-1, True)])
def test_nan_reductions_of_float_data_with_nan_rows(dim, keepdim):
    """An all-NaN row: nansum 0, nanmean NaN (its gradient NaN, as torch's 0/0)."""
    for fn in ("nansum", "nanmean"):
        check(lambda T, x: getattr(T, fn)(x * 1, dim, keepdim), F)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nan_reductions_dtype(dtype):
    x = F.astype(dtype)
    check(lambda T, t: T.nansum(t, 1, dtype=T.float64), x)
    check(lambda T, t: t.nanmean(dtype=T.float64), x)
    check(lambda T, t: T.nansum(t.half(), 0), x, grad=False)
    for dt in ("int64", "int32", "bool"):  # each value truncated (NaN as 0), then summed
        check(lambda T, t: (T.nansum(t.detach(), 0, dtype=getattr(T, dt)),
                            t.detach().nansum(dtype=getattr(T, dt))), x * 1.7)
    check(lambda T, t: T.nansum(t.detach(), dtype=T.int64, out=T.empty((), dtype=T.int64)), x)
    check_raises(lambda T, t: T.nansum(t, dtype=T.int64), x)  # autograd has no integer grads


def test_nan_reductions_of_infinities_and_empty():
    x = np.array([INF, -INF, NAN, 1.0], np.float64)
    check(lambda T, t: (T.nansum(t), T.nanmean(t)), x)
    check(lambda T, t: (T.nansum(t, 0), T.nanmean(t, 1)), np.zeros((0, 3), np.float32))
    check(lambda T, t: (T.nansum(t), T.nanmean(t)), np.array(NAN, np.float32))


def test_nan_reduction_errors():
    check_raises(lambda T: T.nanmean(T.tensor([1, 2])))
    check_raises(lambda T: T.nanmean(T.tensor([True])))
    check_raises(lambda T: T.nanmean(T.ones(2), dtype=T.int64))
    check_raises(lambda T: T.nansum(T.ones(2, 3), 1, out=T.empty(2, dtype=T.int64)))
    check_raises(lambda T: T.nansum(T.ones(2, 3), 2))
    check_raises(lambda T: T.nanmean(T.ones(2, 3), (0, 0)))


# -- cummax, cummin, logcumsumexp ------------------------------------------------------------------

@pytest.mark.parametrize("fn", ["cummax", "cummin"])
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_, np.float64])
def test_cummax_cummin_dtypes_and_ties(fn, dtype):
    check(lambda T, x: getattr(T, fn)(x, 1), I.astype(dtype))
    check(lambda T, x: getattr(x, fn)(0), I.astype(dtype))


@pytest.mark.parametrize("fn", ["cummax", "cummin"])
def test_cummax_cummin_nan_inf_empty_and_return_type(fn):
    x = np.array([[-INF, NAN, 2.0, NAN, INF], [INF, 1.0, INF, -INF, NAN]], np.float64)
    check(lambda T, t: getattr(T, fn)(t, 1), x)
    check(lambda T, t: getattr(T, fn)(t, 0), x)
    check(lambda T, t: getattr(T, fn)(t, -1), np.zeros((2, 0), np.float32))
    mine, theirs = check(lambda T, t: getattr(T, fn)(t, 0), np.array(2.5, np.float32))
    assert repr(type(mine)) .split("'")[1].split(".")[-1] == fn
    assert mine.values is mine[0] and mine.indices is mine[1]
    assert str(mine).startswith(f"torch.return_types.{fn}(")


def test_cummax_gradient_accumulates_at_a_repeated_index():
    """Every position where the running max stays put sends its gradient to that one index."""
    check(lambda T, x: T.cummax(x, 0).values * T.arange(1.0, 6.0), np.array([5.0, 1, 2, 5, 3]))


def test_logcumsumexp_nan_inf_and_dtypes():
    x = np.array([[1.0, -INF, INF, -INF, 2.0], [-INF, -INF, 0.5, NAN, 1.0]], np.float64)
    check(lambda T, t: T.logcumsumexp(t, 1), x)
    check(lambda T, t: T.logcumsumexp(t, 0), x)
    check(lambda T, t: t.logcumsumexp(-1), np.zeros((3, 0), np.float32))
    big = np.array([1000.0, 1000.0, -1000.0, 999.0], np.float32)
    check(lambda T, t: T.logcumsumexp(t, 0), big)
    check(lambda T, t: T.logcumsumexp(t.half(), 0), big / 100, grad=False)


def test_cumulative_errors():
    for fn in ("cummax", "cummin", "logcumsumexp"):
        check_raises(lambda T: getattr(T, fn)(T.ones(2), 1))
        check_raises(lambda T: getattr(T, fn)(T.ones(2)), match="missing 1 required positional")
    check_raises(lambda T: T.logcumsumexp(T.tensor([1, 2]), 0))
    check_raises(lambda T: T.logcumsumexp(T.tensor([True]), 0))


# -- median, nanmedian, kthvalue, mode -------------------------------------------------------------

def _tied_rows(n: int, seed: int, nan: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 4, (3, n)).astype(np.float64)
    if nan:
        a[rng.random(a.shape) < 0.2] = NAN
    return a


@pytest.mark.parametrize("n", [2, 5, 16, 17, 40])
@pytest.mark.parametrize("nan", [False, True])
def test_selection_indices_at_ties_follow_torchs_algorithms(n, nan):
    """Which of several equal elements the index names: torch's nth_element (median), its
    quickselect (kthvalue) and std::sort (mode) on rows with many ties, with NaN."""
    a = _tied_rows(n, n, nan)
    check(lambda T, x: (T.median(x, 1), T.kthvalue(x, (n + 1) // 2, 1), T.mode(x, 1),
                        T.median(x), T.nanmedian(x)), a)
    if not nan:  # an all-NaN row's index in torch comes from a comparator that is no order
        check(lambda T, x: T.nanmedian(x, 1), a)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8])
def test_selection_of_integers(dtype):
    a = I.astype(dtype) if dtype != np.uint8 else np.abs(I).astype(dtype)
    check(lambda T, x: (T.median(x), T.median(x, 0), x.nanmedian(1), T.kthvalue(x, 2),
                        T.mode(x, 0)), a)


def test_selection_edge_cases():
    check(lambda T, x: (T.median(x, 0), T.kthvalue(x, 1), T.mode(x, 0)), np.array(2.5))
    check(lambda T, x: (T.median(x, 1), T.mode(x, 1), T.kthvalue(x, 1, 1)),
          np.zeros((0, 3), np.float32))
    check(lambda T, x: (T.median(x), T.nanmedian(x)), np.zeros(0, np.float32))
    check(lambda T, x: T.mode(x.detach() > 0, 0), F)  # bool: mode only


def test_selection_errors():
    check_raises(lambda T: T.median(T.zeros(2, 0), 1))
    check_raises(lambda T: T.kthvalue(T.zeros(0, 2), 1, 0))
    check_raises(lambda T: T.mode(T.tensor([])))
    check_raises(lambda T: T.kthvalue(T.ones(2), 3))
    check_raises(lambda T: T.kthvalue(T.ones(2), 0))
    check_raises(lambda T: T.median(T.ones(2), 1))
    for fn in ("median", "nanmedian"):
        check_raises(lambda T: getattr(T, fn)(T.tensor([True])))
        check_raises(lambda T: getattr(T, fn)(T.tensor([[True]]), 1))
        check_raises(lambda T: getattr(T, fn)(T.ones(2), out=T.empty(0)),
                     match="missing 1 required positional")
    check_raises(lambda T: T.kthvalue(T.tensor([True]), 1))


# -- quantile, nanquantile -------------------------------------------------------------------------

@pytest.mark.parametrize("fn", ["quantile", "nanquantile"])
@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile_modes_nan_and_q_tensors(fn, interpolation):
    a = _tied_rows(7, 3, True)
    q = np.array([0.0, 0.25, 0.5, 0.9, 1.0])
    check(lambda T, x: (getattr(T, fn)(x, T.tensor(q), 1, interpolation=interpolation),
                        getattr(T, fn)(x, 0.5, 0, True, interpolation=interpolation),
                        getattr(x, fn)(0.3, interpolation=interpolation)), a)


def test_quantile_nearest_rounds_half_to_even():
    check(lambda T, x: T.quantile(x, T.tensor([0.125, 0.375, 0.625], dtype=x.dtype),
                                  interpolation="nearest"),
          np.arange(5.0))


def test_quantile_errors():
    x = np.ones((2, 3), np.float32)
    check_raises(lambda T, t: T.quantile(t, 1.5), x)
    check_raises(lambda T, t: T.quantile(t, T.tensor([[0.5]])), x)
    check_raises(lambda T, t: T.quantile(t, T.tensor([0.5], dtype=T.float64)), x)
    check_raises(lambda T, t: T.quantile(t, T.tensor([-0.1])), x)
    check_raises(lambda T, t: T.quantile(t.long(), 0.5), x)
    check_raises(lambda T, t: T.nanquantile(t, 0.5, interpolation="foo"), x)
    check_raises(lambda T: T.quantile(T.zeros(2, 0), 0.5, 0))
    check_raises(lambda T, t: T.quantile(t, 0.5, dim=(0, 1)), x)
    check_raises(lambda T, t: T.quantile(t, 0.5, 2), x)
    check_raises(lambda T, t: T.quantile(t.detach().double(), 0.3, out=T.empty(0)), x)
