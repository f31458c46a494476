"""Python ints beyond int64 where torch takes a number, against torch (2.13).

torch reads a Python int given as a number (a Scalar argument) as an int64, or, from 2**63 up
to 2**64 - 1, as an uint64; below -2**63 it raises ``OverflowError: can't convert negative
int to unsigned``, from 2**64 ``OverflowError: int too big to convert``. An uint64 number
beside an integer tensor is read by its low bits (int64 ``t + 2**63`` is ``t - 2**63``, and
comparisons see that value), a checked fill (``full``, ``fill_``, ``masked_fill``, ``clamp``,
...) names the dtype it does not fit, a bool ``full`` takes it as True, and beside a bool tensor
it is a promotion to uint64, which torch refuses. ``t[i] = v`` reads the number as a C long
long: ``ValueError: Overflow when unpacking long long`` beyond int64. NumPy raised its own
OverflowError ('Python int too large to convert to C long') or compared exactly."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt

VALUES = [2 ** 63, 2 ** 64 - 1, -2 ** 63 - 1, 2 ** 64, 10 ** 30, 2 ** 63 - 1, -2 ** 63]


def _t(T, d):
    return T.tensor([1, 2], dtype=getattr(T, d))


def _setitem(x, index, value):
    x[index] = value
    return x


ANY_DTYPE = {  # every dtype
    "full": lambda T, d, v: T.full((2,), v, dtype=getattr(T, d)),
    "full_like": lambda T, d, v: T.full_like(_t(T, d), v),
    "new_full": lambda T, d, v: _t(T, d).new_full((2,), v),
    "fill_": lambda T, d, v: _t(T, d).fill_(v),
    "masked_fill": lambda T, d, v: _t(T, d).masked_fill(T.tensor([True, False]), v),
    "index_fill": lambda T, d, v: _t(T, d).index_fill(0, T.tensor([0]), v),
    "scatter value": lambda T, d, v: _t(T, d).scatter(0, T.tensor([0]), v),
    "where": lambda T, d, v: T.where(T.tensor([True, False]), _t(T, d), v),
    "where, number first": lambda T, d, v: T.where(T.tensor([True, False]), v, _t(T, d)),
    "setitem": lambda T, d, v: _setitem(_t(T, d), 0, v),
    "setitem index tensor": lambda T, d, v: _setitem(_t(T, d), T.tensor([0]), v),
    "setitem mask": lambda T, d, v: _setitem(_t(T, d), T.tensor([True, False]), v),
    "isin": lambda T, d, v: T.isin(_t(T, d), v),
    "bucketize": lambda T, d, v: T.bucketize(v, _t(T, d)),
    "searchsorted": lambda T, d, v: T.searchsorted(_t(T, d), v),
}
INTEGER_DTYPE = {  # integer tensors: arithmetic and comparisons by the number's low bits
    "add": lambda T, d, v: _t(T, d) + v,
    "radd": lambda T, d, v: v + _t(T, d),
    "sub": lambda T, d, v: _t(T, d) - v,
    "rsub": lambda T, d, v: v - _t(T, d),
    "mul": lambda T, d, v: _t(T, d) * v,
    "floordiv": lambda T, d, v: _t(T, d) // v,
    "mod": lambda T, d, v: _t(T, d) % v,
    "rpow": lambda T, d, v: v ** _t(T, d),
    "add_": lambda T, d, v: _t(T, d).add_(v),
    "mul_": lambda T, d, v: _t(T, d).mul_(v),
    "torch.add": lambda T, d, v: T.add(_t(T, d), v),
    "remainder": lambda T, d, v: T.remainder(_t(T, d), v),
    "fmod": lambda T, d, v: T.fmod(_t(T, d), v),
    "div floor": lambda T, d, v: T.div(_t(T, d), v, rounding_mode="floor"),
    "bitwise_and": lambda T, d, v: _t(T, d) & v,
    "eq": lambda T, d, v: _t(T, d) == v,
    "ne": lambda T, d, v: _t(T, d) != v,
    "lt": lambda T, d, v: _t(T, d) < v,
    "ge": lambda T, d, v: _t(T, d) >= v,
    "torch.eq": lambda T, d, v: T.eq(_t(T, d), v),
}
BOOL_DTYPE = {  # a bool tensor: an uint64 number is a promotion torch refuses
    name: INTEGER_DTYPE[name] for name in ("add", "radd", "mul", "rpow", "floordiv", "mod",
                                           "eq", "lt", "ne", "torch.add", "add_", "mul_",
                                           "bitwise_and")}


def _outcome(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = fn()
        except Exception as e:  # noqa: BLE001 - the error is what is compared
            return type(e), str(e)
    return out.tolist(), str(out.dtype)


def _compare(fn, d, v):
    ours, theirs = (_outcome(lambda: fn(T, d, v)) for T in (mt, torch))
    assert ours == theirs


@pytest.mark.parametrize("v", VALUES, ids=str)
@pytest.mark.parametrize("d", ["int64", "int32", "uint8", "bool", "float32", "float64"])
@pytest.mark.parametrize("op", list(ANY_DTYPE))
def test_number_of_any_tensor(op, d, v):
    if op in ("bucketize", "searchsorted", "isin") and d == "bool":
        pytest.skip("bool boundaries: torch's own dtype error")
    _compare(ANY_DTYPE[op], d, v)


@pytest.mark.parametrize("v", VALUES, ids=str)
@pytest.mark.parametrize("d", ["int64", "int32", "uint8"])
@pytest.mark.parametrize("op", list(INTEGER_DTYPE))
def test_number_beside_an_integer_tensor(op, d, v):
    _compare(INTEGER_DTYPE[op], d, v)


@pytest.mark.parametrize("v", VALUES, ids=str)
@pytest.mark.parametrize("op", list(BOOL_DTYPE))
def test_number_beside_a_bool_tensor(op, v):
    _compare(BOOL_DTYPE[op], "bool", v)
