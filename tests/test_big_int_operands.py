"""Python ints beside tensors where torch reads them as numbers, against torch (2.13): true
division of integer and bool tensors (the int is read as a float: int8 ``t / 200`` is
``t / 200.0``, where the int's int8 low bits gave ``t / -56``, and ``t / 256`` gave inf), and
floating tensors with ints beyond int64 and uint64 in arithmetic, comparisons, fills and their
reflected forms (torch's OverflowError from 2**64 and below -2**63, where NumPy's float
conversion computed)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt

VALUES = [200, 256, -200, 2 ** 31, 2 ** 40, 2 ** 63 - 1, 2 ** 63, 2 ** 64 - 1, 2 ** 64,
          -2 ** 63 - 1, 10 ** 30, 0, 7]


def _outcome(fn):
    try:
        out = fn()
    except Exception as e:  # noqa: BLE001 - the point is to compare what is raised
        return type(e).__name__, str(e)
    return str(out.dtype).split(".")[-1], np.asarray(out.tolist(), dtype=np.float64)


def _same(got, want):
    assert got[0] == want[0], (got, want)
    if isinstance(want[1], str):
        assert got[1] == want[1]
    else:
        np.testing.assert_allclose(got[1], want[1], rtol=1e-6, atol=0)
        np.testing.assert_array_equal(np.signbit(got[1]), np.signbit(want[1]))


DIVISIONS = {
    "t / v": lambda T, t, v: t / v,
    "v / t": lambda T, t, v: v / t,
    "div": lambda T, t, v: T.div(t, v),
    "true_divide": lambda T, t, v: T.true_divide(t, v),
    "div(v, t)": lambda T, t, v: T.div(v, t),
}


@pytest.mark.parametrize("v", VALUES, ids=str)
@pytest.mark.parametrize("form", list(DIVISIONS))
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "int16", "int32", "int64"])
def test_true_division_of_integer_tensors_by_ints(dtype, form, v):
    def run(T):
        t = T.tensor([True, False]) if dtype == "bool" else \
            T.tensor([5, -3 if dtype != "uint8" else 3], dtype=getattr(T, dtype))
        return _outcome(lambda: DIVISIONS[form](T, t, v))
    _same(run(mt), run(torch))


FLOAT_OPS = {
    "add": lambda T, t, v: t + v, "radd": lambda T, t, v: v + t,
    "sub": lambda T, t, v: t - v, "rsub": lambda T, t, v: v - t,
    "mul": lambda T, t, v: t * v, "rmul": lambda T, t, v: v * t,
    "div": lambda T, t, v: t / v, "rdiv": lambda T, t, v: v / t,
    "eq": lambda T, t, v: t == v, "ne": lambda T, t, v: t != v,
    "lt": lambda T, t, v: t < v, "ge": lambda T, t, v: v >= t,
    "pow": lambda T, t, v: t ** v, "rpow": lambda T, t, v: v ** t,
    "fmod": lambda T, t, v: T.fmod(t, v), "remainder": lambda T, t, v: T.remainder(t, v),
    "floordiv": lambda T, t, v: t // v, "clamp": lambda T, t, v: T.clamp(t, min=v),
    "where": lambda T, t, v: T.where(t > 0, t, v), "add_": lambda T, t, v: t.clone().add_(v),
    "mul_": lambda T, t, v: t.clone().mul_(v), "div_": lambda T, t, v: t.clone().div_(v),
    "alpha": lambda T, t, v: T.add(t, t, alpha=v), "fill_": lambda T, t, v: t.clone().fill_(v),
    "full": lambda T, t, v: T.full((2,), v, dtype=t.dtype),
}


@pytest.mark.parametrize("v", [2 ** 63, 2 ** 64 - 1, 2 ** 64, -2 ** 63 - 1, 10 ** 30], ids=str)
@pytest.mark.parametrize("op", list(FLOAT_OPS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float_tensors_with_ints_beyond_int64(dtype, op, v):
    def run(T):
        t = T.tensor([1.5, -2.0], dtype=getattr(T, dtype))
        return _outcome(lambda: FLOAT_OPS[op](T, t, v))
    _same(run(mt), run(torch))
