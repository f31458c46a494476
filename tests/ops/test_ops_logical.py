"""Ops without gradients against torch: comparisons, logical and bitwise ops, predicates
(isnan, isinf, ...), isclose/allclose/equal, any/all/count_nonzero, nonzero/argwhere,
argmax/argmin/argsort, with broadcasting and scalars."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check, check_raises

SPECIAL = np.array([[0.0, -1.5, np.nan, np.inf], [2.0, -np.inf, 0.0, 1e-9]], dtype=np.float32)
A = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]], dtype=np.float32)
B = np.array([2.0, 2.0, 2.0], dtype=np.float32)
MASK1 = np.array([[True, False, True], [False, False, True]])
MASK2 = np.array([True, True, False])
INTS = np.array([[5, -3, 0], [12, 7, -8]], dtype=np.int64)

CASES = [
    ("eq", lambda T, a, b: a == b, (A, B)), ("ne", lambda T, a, b: a != b, (A, B)),
    ("lt", lambda T, a, b: a < b, (A, B)), ("le", lambda T, a, b: T.le(a, b), (A, B)),
    ("gt_scalar", lambda T, a: a > 1.5, (A,)), ("ge_scalar_r", lambda T, a: 2 >= a, (A,)),
    ("eq_int_float", lambda T, a: a == 2, (A,)), ("greater", lambda T, a, b: T.greater(a, b),
                                                  (A, B)),
    ("not_equal", lambda T, a, b: a.not_equal(b), (A, B)),
    ("logical_and", lambda T, m, n: T.logical_and(m, n), (MASK1, MASK2)),
    ("logical_or", lambda T, m, n: m.logical_or(n), (MASK1, MASK2)),
    ("logical_xor", lambda T, m, n: T.logical_xor(m, n), (MASK1, MASK2)),
    ("logical_not", lambda T, m: T.logical_not(m), (MASK1,)),
    ("logical_and_float", lambda T, a, b: T.logical_and(a - 1, b), (A, B)),
    ("and", lambda T, m, n: m & n, (MASK1, MASK2)), ("or", lambda T, m, n: m | n, (MASK1, MASK2)),
    ("xor", lambda T, m, n: m ^ n, (MASK1, MASK2)), ("invert", lambda T, m: ~m, (MASK1,)),
    ("and_scalar", lambda T, m: m & True, (MASK1,)),
    ("int_and", lambda T, i: i & 6, (INTS,)), ("int_or", lambda T, i: i | i.flip(0), (INTS,)),
    ("int_invert", lambda T, i: ~i, (INTS,)), ("bitwise_xor", lambda T, i: T.bitwise_xor(i, 3),
                                               (INTS,)),
    ("isnan", lambda T, s: T.isnan(s), (SPECIAL,)), ("isinf", lambda T, s: s.isinf(), (SPECIAL,)),
    ("isfinite", lambda T, s: T.isfinite(s), (SPECIAL,)),
    ("isposinf", lambda T, s: T.isposinf(s), (SPECIAL,)),
    ("isneginf", lambda T, s: T.isneginf(s), (SPECIAL,)),
    ("nan_eq", lambda T, s: s == s, (SPECIAL,)),
    ("isclose", lambda T, a, b: T.isclose(a, b + 1e-6), (A, B)),
    ("isclose_nan", lambda T, s: T.isclose(s, s, equal_nan=True), (SPECIAL,)),
    ("isclose_tol", lambda T, a, b: a.isclose(b, rtol=0.0, atol=1.0), (A, B)),
    ("allclose", lambda T, a: T.allclose(a, a + 1e-7), (A,)),
    ("allclose_false", lambda T, a, b: T.allclose(a, b), (A, B)),
    ("equal", lambda T, a: T.equal(a, a.clone()), (A,)),
    ("equal_shape", lambda T, a, b: T.equal(a, b), (A, B)),
    ("any", lambda T, m: m.any(), (MASK1,)), ("all", lambda T, m: T.all(m), (MASK1,)),
    ("any_dim", lambda T, m: m.any(1), (MASK1,)), ("all_dim_keep", lambda T, m: m.all(0, True),
                                                  (MASK1,)),
    ("any_float", lambda T, a: (a - 1).any(), (A,)), ("all_int", lambda T, i: i.all(1), (INTS,)),
    ("any_dims", lambda T, m: T.any(m, (0, 1)), (MASK1,)),
    ("count_nonzero", lambda T, i: T.count_nonzero(i), (INTS,)),
    ("count_nonzero_dim", lambda T, i: i.count_nonzero(1), (INTS,)),
    ("count_nonzero_dims", lambda T, m: T.count_nonzero(m, (0, 1)), (MASK1,)),
    ("nonzero", lambda T, m: m.nonzero(), (MASK1,)),
    ("nonzero_tuple", lambda T, i: T.nonzero(i, as_tuple=True), (INTS,)),
    ("nonzero_0d", lambda T: T.nonzero(T.tensor(3.0)), ()),
    ("nonzero_0d_tuple", lambda T: T.tensor(0.0).nonzero(as_tuple=True), ()),
    ("argwhere", lambda T, i: T.argwhere(i), (INTS,)),
    ("where_one_arg", lambda T, m: T.where(m), (MASK1,)),
    ("argmax_flat", lambda T, a: a.argmax(), (A,)), ("argmin_dim", lambda T, a: a.argmin(1),
                                                     (A,)),
    ("argmax_nan", lambda T, s: T.argmax(s, 1), (SPECIAL,)),
    ("argsort_int", lambda T, i: i.argsort(1, descending=True), (INTS,)),
    ("argsort_nan", lambda T, s: s.argsort(1), (SPECIAL,)),
    ("sort_nan_desc", lambda T, s: s.sort(1, descending=True), (SPECIAL,)),
    ("max_nan", lambda T, s: s.max(1), (SPECIAL,)),
    ("amin_nan", lambda T, s: s.amin(0), (SPECIAL,)),
    ("maximum_nan", lambda T, s: T.maximum(s, s.flip(1)), (SPECIAL,)),
    ("clamp_nan", lambda T, s: s.clamp(-1, 1), (SPECIAL,)),
    ("nan_to_num", lambda T, s: T.nan_to_num(s, nan=7.0, posinf=1.0), (SPECIAL,)),
    ("sign_nan", lambda T, s: s.sign(), (SPECIAL,)),
    ("int_cumsum", lambda T, i: i.cumsum(1), (INTS,)),
    ("int_prod_dim", lambda T, i: i.prod(0), (INTS,)),
    ("bool_sum", lambda T, m: m.sum(0), (MASK1,)),
    ("bool_to_float", lambda T, m: m.float() * 2, (MASK1,)),
    ("view_dtype", lambda T, a: a.view(T.int32), (A,)),
    ("view_dtype_t", lambda T, a: a.t().view(T.int32), (A,)),
    ("view_dtype_half", lambda T, a: a.view(T.float16), (A,)),
    ("view_dtype_from_half", lambda T, a: a.half()[:, :2].contiguous().view(T.float32), (A,)),
    ("unique", lambda T, i: T.unique(i), (INTS,)),
    ("unique_all", lambda T, i: i.unique(return_inverse=True, return_counts=True), (INTS,)),
    ("unique_float", lambda T, a: T.unique(a, sorted=False, return_inverse=True), (A,)),
    ("unique_dim", lambda T, i: T.unique(T.cat([i, i[:1]]), dim=0, return_inverse=True), (INTS,)),
    ("floor_divide_fwd", lambda T, a: (a // 2, T.floor_divide(a, -1.5)), (A,)),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_no_grad_ops(case):
    name, fn, args = case
    check(fn, *args, grad=False)


def test_comparison_results_never_require_grad():
    for T in (torch, mt):
        x = T.tensor(A, requires_grad=True)
        for r in (x > 1, x == x, x.isnan(), x.argmax(), x.any(), T.logical_not(x > 0)):
            assert not r.requires_grad and r.grad_fn is None


# -- shifts: << and >> (torch's kernels: a count < 0 or >= the width gives 0, or the sign) ------

SHIFT_COUNTS = np.array([[0, 1, 63], [64, -1, 70]], dtype=np.int64)
SHIFTS = [
    ("lshift", lambda T, i: i << 2), ("rshift", lambda T, i: i >> 1),
    ("lshift_counts", lambda T, i: i << T.tensor(SHIFT_COUNTS)),
    ("rshift_counts", lambda T, i: T.bitwise_right_shift(i, T.tensor(SHIFT_COUNTS))),
    ("lshift_fn", lambda T, i: T.bitwise_left_shift(i, i.flip(0).abs() % 5)),
    ("rshift_method", lambda T, i: i.bitwise_right_shift(T.tensor([1, 2, 3]))),
    ("lshift_number_first", lambda T, i: 3 << (i.abs() % 8)),
    ("rshift_number_first", lambda T, i: 1000 >> (i.abs() % 8)),
    ("lshift_fn_number_first", lambda T, i: T.bitwise_left_shift(2, i.abs() % 8)),
    ("lshift_int8", lambda T, i: i.to(T.int8) << 3),
    ("rshift_int8", lambda T, i: i.to(T.int8) >> 9),
    ("lshift_uint8", lambda T, i: i.abs().to(T.uint8) << T.tensor([1, 8, 2], dtype=T.uint8)),
    ("lshift_int32_by_int64", lambda T, i: i.int() << i.abs()),
    ("lshift_bool_count", lambda T, i: i << True),
    ("rshift_bool_by_int", lambda T, i: (i > 0) >> 1),
    ("lshift_ndarray", lambda T, i: i << np.array([1, 2, 3])),
]


@pytest.mark.parametrize("case", SHIFTS, ids=[c[0] for c in SHIFTS])
def test_shifts(case):
    check(case[1], INTS)


@pytest.mark.parametrize("fn", [
    lambda T: T.ones(2) << 1, lambda T: T.tensor([1]) >> 1.5,
    lambda T: T.tensor([True]) << T.tensor([True]), lambda T: T.tensor([1, 2]) << T.ones(3).long(),
    lambda T: T.bitwise_right_shift(T.ones(2, dtype=T.float64), 1),
    lambda T: T.tensor([1]).bitwise_left_shift_(0.5),
])
def test_shift_errors(fn):
    check_raises(fn)
