"""arange, linspace, logspace and full at and beyond int64's limits, against torch (2.13).

torch reads each arange argument as a Scalar (an int from 2**63 is an uint64 number, which an
integer result cannot take: ``value cannot be converted to type int64_t without overflow``; from
2**64 or below -2**63 the Scalar itself fails), then sizes an int64 result in wrapping int64
arithmetic, ``(end - start + step - sign(step)) / step`` truncated, so a span beyond int64 wraps
to an empty tensor or a negative size (``invalid size, possible overflow?``); every other dtype
sizes in double, where ``2**63 - 1`` is 2**63, which passes the check and casts to int64's
minimum (``IntArrayRef contains an int ...``). A step count is a C long long. NumPy raised its
own errors, gave the unwrapped length, or an empty array for a count of 2**63 - 1."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check_raises

M, m = 2 ** 63 - 1, -2 ** 63
inf, nan = float("inf"), float("nan")

CASES = {
    "arange(M)": lambda T: T.arange(M),
    "arange(M, float32)": lambda T: T.arange(M, dtype=T.float32),
    "arange(M-3, M)": lambda T: T.arange(M - 3, M),
    "arange(M-3, M, 2)": lambda T: T.arange(M - 3, M, 2),
    "arange(m, m+3)": lambda T: T.arange(m, m + 3),
    "arange(m, M)": lambda T: T.arange(m, M),
    "arange(m, M, 2**62)": lambda T: T.arange(m, M, 2 ** 62),
    "arange(0, M, 2**61)": lambda T: T.arange(0, M, 2 ** 61),
    "arange(m, M, M)": lambda T: T.arange(m, M, M),
    "arange(m, 0, 2**62)": lambda T: T.arange(m, 0, 2 ** 62),
    "arange(M, m, -2**62)": lambda T: T.arange(M, m, -2 ** 62),
    "arange(0, 2**63)": lambda T: T.arange(0, 2 ** 63),
    "arange(0, 2**63, float32)": lambda T: T.arange(0, 2 ** 63, 2 ** 61, dtype=T.float32),
    "arange(2**63, 2**63+10, int32)": lambda T: T.arange(2 ** 63, 2 ** 63 + 10, dtype=T.int32),
    "arange(-2**63-1, 0)": lambda T: T.arange(-2 ** 63 - 1, 0),
    "arange(0, 2**64)": lambda T: T.arange(0, 2 ** 64),
    "arange(0, 10, 2**63)": lambda T: T.arange(0, 10, 2 ** 63),
    "arange(0, 10, 2**63, float32)": lambda T: T.arange(0, 10, 2 ** 63, dtype=T.float32),
    "arange(0, 10, M)": lambda T: T.arange(0, 10, M),
    "arange(0, 10, m)": lambda T: T.arange(0, 10, m),
    "arange(10, 0, m)": lambda T: T.arange(10, 0, m),
    "arange(0, 10, -1)": lambda T: T.arange(0, 10, -1),
    "arange(M-3, M, float64)": lambda T: T.arange(M - 3, M, dtype=T.float64),
    "arange(M-5, M, 2, int32)": lambda T: T.arange(M - 5, M, 2, dtype=T.int32),
    "arange(2**40, +3, int32)": lambda T: T.arange(2 ** 40, 2 ** 40 + 3, dtype=T.int32),
    "arange(2**40-1, +3, uint8)": lambda T: T.arange(2 ** 40 - 1, 2 ** 40 + 3, dtype=T.uint8),
    "arange(-2.5, 5, 1.7, int64)": lambda T: T.arange(-2.5, 5, 1.7, dtype=T.int64),
    "arange(0.5, 5, 1.5, int32)": lambda T: T.arange(0.5, 5, 1.5, dtype=T.int32),
    "arange(2.9, -5, -1.7, uint8)": lambda T: T.arange(2.9, -5, -1.7, dtype=T.uint8),
    "arange(0., 1e19)": lambda T: T.arange(0., 1e19),
    "arange(0, 1e19, 1e18)": lambda T: T.arange(0, 1e19, 1e18),
    "arange(0, 1e19, 1e18, int64)": lambda T: T.arange(0, 1e19, 1e18, dtype=T.int64),
    "arange(0, 1e19, 1e18, int32)": lambda T: T.arange(0, 1e19, 1e18, dtype=T.int32),
    "arange(-9.3e18, 0, 1e18, int64)": lambda T: T.arange(-9.3e18, 0, 1e18, dtype=T.int64),
    "arange(0, 2**62)": lambda T: T.arange(0, 2 ** 62),
    "arange(0., 2.**62)": lambda T: T.arange(0., 2. ** 62),
    "arange(0, 2**62, 2**60+1, float32)": lambda T: T.arange(0, 2 ** 62, 2 ** 60 + 1,
                                                             dtype=T.float32),
    "arange(0, 2**53+1, 2**53)": lambda T: T.arange(0, 2 ** 53 + 1, 2 ** 53),
    "arange(0, 2**53+1, 2**53, float64)": lambda T: T.arange(0, 2 ** 53 + 1, 2 ** 53,
                                                             dtype=T.float64),
    "arange(0, inf)": lambda T: T.arange(0, inf),
    "arange(-inf, 0)": lambda T: T.arange(-inf, 0),
    "arange(1.5, inf)": lambda T: T.arange(1.5, inf),
    "arange(0, nan)": lambda T: T.arange(0, nan),
    "arange(0, inf, int64)": lambda T: T.arange(0, inf, dtype=T.int64),
    "arange(0, nan, int32)": lambda T: T.arange(0, nan, dtype=T.int32),
    "arange(0, 10, inf)": lambda T: T.arange(0, 10, inf),
    "arange(0, 10, nan)": lambda T: T.arange(0, 10, nan),
    "arange(0, 1e-300, 1e-320)": lambda T: T.arange(0, 1e-300, 1e-320),
    "linspace(m, M, 3, int64)": lambda T: T.linspace(m, M, 3, dtype=T.int64),
    "linspace(m, M, 4, int64)": lambda T: T.linspace(m, M, 4, dtype=T.int64),
    "linspace(m, M, 3)": lambda T: T.linspace(m, M, 3),
    "linspace(0, 2**63, 3)": lambda T: T.linspace(0, 2 ** 63, 3),
    "linspace(0, 2**64, 3)": lambda T: T.linspace(0, 2 ** 64, 3),
    "linspace(0, 1, 2**63)": lambda T: T.linspace(0, 1, 2 ** 63),
    "linspace(0, 1, -2**63-1)": lambda T: T.linspace(0, 1, -2 ** 63 - 1),
    "linspace(0, 1, M)": lambda T: T.linspace(0, 1, M),
    "linspace(0, 1, 2**62)": lambda T: T.linspace(0, 1, 2 ** 62),
    "linspace(0, 1, 2**61, int8)": lambda T: T.linspace(0, 1, 2 ** 61, dtype=T.int8),
    "linspace(0, 1, M, int8)": lambda T: T.linspace(0, 1, M, dtype=T.int8),
    "linspace(0, 1, 2**40)": lambda T: T.linspace(0, 1, 2 ** 40),
    "logspace(0, 1, 2**63)": lambda T: T.logspace(0, 1, 2 ** 63),
    "logspace(0, 1, M)": lambda T: T.logspace(0, 1, M),
    "logspace(0, 1, 2**62, float64)": lambda T: T.logspace(0, 1, 2 ** 62, dtype=T.float64),
    "logspace(0, 1, 2**40)": lambda T: T.logspace(0, 1, 2 ** 40),
    "full((M,), 1)": lambda T: T.full((M,), 1),
    "full((2**62, 4), 1)": lambda T: T.full((2 ** 62, 4), 1),
    "full((2, M), 1)": lambda T: T.full((2, M), 1),
    "full((3,), M)": lambda T: T.full((3,), M),
    "full((3,), m)": lambda T: T.full((3,), m),
}


@pytest.mark.parametrize("case", list(CASES))
def test_creation_at_int64_limits(case):
    fn = CASES[case]
    try:
        want = fn(torch)
    except Exception:  # noqa: BLE001
        check_raises(fn)
        return
    got = fn(mt)
    assert str(got.dtype) == str(want.dtype) and tuple(got.shape) == tuple(want.shape)
    np.testing.assert_array_equal(got.numpy(), want.numpy())
