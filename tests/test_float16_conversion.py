"""float64 -> float16 conversions against torch, bit for bit.

torch builds a c10::Half from a float, so a float64 value (a Python float, a float64 array or
tensor) rounds twice on its way to float16: first to float32, then to float16. NumPy's direct cast
rounds once. The values here are chosen where the two differ: float32's rounding lands exactly on
a float16 tie (``1 + 2**-11 + 2**-40 -> 1 + 2**-11 -> 1.0``; NumPy gives 1.0009765625), in the
normal range, in the subnormal range, at float16's largest finite value and at its overflow edge
(``65520 - 2**-20 -> 65520 -> inf``; NumPy gives 65504), with both signs; plus values on which both
agree (ties that are exact in float64, inf, NaN, large ints), so that the rule is not
over-applied. Each path that converts to float16 is checked: creation, fills, casts, copies,
writes, and Python numbers as operands of float16 ops."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt

ROUNDS_TWICE = [
    1 + 2**-11 + 2**-40,          # a float32 tie of float16's 1 and 1 + 2**-10: even, 1.0
    1 + 3 * 2**-11 - 2**-40,      # the tie above 1 + 2**-10, reached from below: 1 + 2**-9
    0.1 + 2**-30,
    2**-25 + 2**-60,              # half the smallest subnormal, from above: 0
    3 * 2**-25 - 2**-60,          # 1.5 subnormals, from below: 2 subnormals
    2**-14 + 2**-25 + 2**-60,     # the smallest normal plus half its gap: a tie
    65520 - 2**-20,               # float16's overflow edge from below: inf (NumPy: 65504)
]
AGREE = [0.0, -0.0, 1.0, 1 + 2**-11, 65504.0, 65519.0, 65520.0, 1e300, 2**-24, 2**-26,
         float("inf"), float("-inf"), float("nan"), 1 / 3, 1e-8]
VALUES = [s * v for v in ROUNDS_TWICE for s in (1, -1)] + AGREE
IDS = [f"{v!r}" for v in VALUES]
# finite values beyond float16's range: torch's fills of more than one element refuse them
OVER = [v for v in VALUES if np.isfinite(v) and abs(v) > 65504]


def _bits(t) -> np.ndarray:
    arr = t.detach().numpy()
    assert arr.dtype == np.float16
    return np.asarray(arr).view(np.uint16)


def _same(fn, v) -> None:
    theirs, ours = fn(torch, v), fn(mt, v)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_array_equal(_bits(ours), _bits(theirs), err_msg=f"value {v!r}")


def _setitem(T, v, value):
    t = T.zeros(3, dtype=T.float16)
    t[1] = value
    return t


def _setitem_slice(T, v):
    t = T.zeros(4, dtype=T.float16)
    t[1:3] = T.tensor([v, -v], dtype=T.float64)
    return t


PATHS = {
    "tensor(float)": lambda T, v: T.tensor(v, dtype=T.float16),
    "tensor(list)": lambda T, v: T.tensor([[v, 0.5], [-v, 2.0]], dtype=T.float16),
    "tensor(np.float64)": lambda T, v: T.tensor(np.float64(v), dtype=T.float16),
    "tensor(float64 ndarray)": lambda T, v: T.tensor(np.array([v, -v]), dtype=T.float16),
    "as_tensor(float64 ndarray)": lambda T, v: T.as_tensor(np.array([v, 1.0]),
                                                           dtype=T.float16),
    "tensor(float64 tensor)": lambda T, v: T.tensor(T.tensor([v], dtype=T.float64),
                                                    dtype=T.float16),
    "new_tensor": lambda T, v: T.zeros(1).new_tensor([v, -v], dtype=T.float16),
    "scalar_tensor": lambda T, v: T.scalar_tensor(v, dtype=T.float16),
    "full 1 element": lambda T, v: T.full((1,), v, dtype=T.float16),
    "full_like 1 element": lambda T, v: T.full_like(T.zeros(1, dtype=T.float16), v),
    "new_full 1 element": lambda T, v: T.zeros(2, dtype=T.float16).new_full((1,), v),
    "fill_ 1 element": lambda T, v: T.zeros(1, dtype=T.float16).fill_(v),
    "fill_(float64 0-d)": lambda T, v: T.zeros(3, dtype=T.float16).fill_(
        T.tensor(v, dtype=T.float64)),
    "copy_(float64)": lambda T, v: T.zeros(2, dtype=T.float16).copy_(
        T.tensor([v, -v], dtype=T.float64)),
    "copy_(float64, broadcast)": lambda T, v: T.zeros(2, 2, dtype=T.float16).copy_(
        T.tensor([v, 1.0], dtype=T.float64)),
    "half()": lambda T, v: T.tensor([v, -v], dtype=T.float64).half(),
    "to(float16)": lambda T, v: T.tensor([v, -v], dtype=T.float64).to(T.float16),
    "to(other)": lambda T, v: T.tensor([v], dtype=T.float64).to(T.zeros(1, dtype=T.float16)),
    "type(float16)": lambda T, v: T.tensor([v], dtype=T.float64).type(T.float16),
    "type('torch.HalfTensor')": lambda T, v: T.tensor([v], dtype=T.float64).type(
        "torch.HalfTensor"),
    "type_as": lambda T, v: T.tensor([v], dtype=T.float64).type_as(T.zeros(1, dtype=T.float16)),
    "t[i] = float": lambda T, v: _setitem(T, v, v),
    "t[i] = float64 0-d": lambda T, v: _setitem(T, v, T.tensor(v, dtype=T.float64)),
    "t[a:b] = float64": _setitem_slice,
    "float16 + float": lambda T, v: T.zeros(2, dtype=T.float16) + v,
    "float - float16": lambda T, v: v - T.zeros(2, dtype=T.float16),
    "float16 + float64 0-d": lambda T, v: T.zeros(2, dtype=T.float16) + T.tensor(
        v, dtype=T.float64),
    "where(float, float16)": lambda T, v: T.where(T.tensor([True, False]), v,
                                                   T.zeros(2, dtype=T.float16)),
    "clamp(max=float)": lambda T, v: T.full((2,), 65504.0, dtype=T.float16).clamp(max=v),
    "add(float64, out=float16)": lambda T, v: T.add(T.tensor([v, -v], dtype=T.float64), 0.0,
                                                    out=T.empty(2, dtype=T.float16)),
    "cat(float64, out=float16)": lambda T, v: T.cat([T.tensor([v], dtype=T.float64)] * 2,
                                                    out=T.empty(2, dtype=T.float16)),
    "linspace": lambda T, v: T.linspace(v, v, 3, dtype=T.float16),
    "logspace 1 step": lambda T, v: T.logspace(1.0, 2.0, 1, base=v, dtype=T.float16),
}
# the paths that check a value's range (each refuses finite values beyond 65504)
CHECKED = {"clamp(max=float)", "linspace"}


@pytest.mark.parametrize("v", VALUES, ids=IDS)
@pytest.mark.parametrize("path", list(PATHS))
def test_float64_to_float16_rounds_through_float32(path, v):
    if path in CHECKED and v in OVER:
        pytest.skip("torch refuses the value (its overflow check)")
    if path == "logspace 1 step" and not v > 0:
        pytest.skip("a base that is no positive number")
    _same(PATHS[path], v)


@pytest.mark.parametrize("v", [v for v in VALUES if v not in OVER], ids=str)
@pytest.mark.parametrize("path", ["full", "full_like", "new_full", "fill_", "masked_fill",
                                  "index_fill"])
def test_fills_of_many_elements(path, v):
    """A Python float written into more than one element (values in float16's range)."""
    fn = {
        "full": lambda T, v: T.full((2, 3), v, dtype=T.float16),
        "full_like": lambda T, v: T.full_like(T.zeros(3, dtype=T.float16), v),
        "new_full": lambda T, v: T.zeros(1, dtype=T.float16).new_full((3,), v),
        "fill_": lambda T, v: T.zeros(3, dtype=T.float16).fill_(v),
        "masked_fill": lambda T, v: T.zeros(3, dtype=T.float16).masked_fill(
            T.tensor([True, False, True]), v),
        "index_fill": lambda T, v: T.zeros(3, dtype=T.float16).index_fill(
            0, T.tensor([0, 2]), v),
    }[path]
    _same(fn, v)


def test_default_dtype_float16():
    """Python floats read as the default dtype, float16: rounded through float32 as well."""
    v = 1 + 2**-11 + 2**-40
    for T in (torch, mt):
        T.set_default_dtype(T.float16)
    try:
        _same(lambda T, v: T.tensor([v, -v]), v)
    finally:
        for T in (torch, mt):
            T.set_default_dtype(T.float32)


@pytest.mark.parametrize("n", [2049, 2051, 65504, 65519, 65520, 65535, 2**24 + 1, 2**53 + 1,
                               2**62, -65520, -(2**63)], ids=str)
@pytest.mark.parametrize("path", ["tensor", "int64.half()", "full"])
def test_int_to_float16(path, n):
    """Integers convert once (an int that float32 would round is beyond float16's range)."""
    fn = {
        "tensor": lambda T, n: T.tensor([n], dtype=T.float16),
        "int64.half()": lambda T, n: T.tensor([n], dtype=T.int64).half(),
        "full": lambda T, n: T.full((1,), n, dtype=T.float16),
    }[path]
    _same(fn, n)


@pytest.mark.parametrize("v", VALUES, ids=IDS)
def test_float32_to_float16_rounds_once(v):
    """From float32 there is one rounding, NumPy's and torch's alike."""
    _same(lambda T, v: T.tensor([v], dtype=T.float32).half(), v)
