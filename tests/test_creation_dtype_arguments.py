"""``dtype=`` given as something other than a torch dtype (a string, a NumPy type or dtype, an
int) to the creation functions: torch's parser refuses it with a TypeError (the invalid-
combination message, with its overload list, for arange); Python's float/int/bool and torch
dtypes are taken. Same result, or same exception type and whole message."""
from __future__ import annotations

import warnings

import numpy as np  # noqa: F401 - used by the evaluated cases
import pytest
import torch

import minitorch_ref as mt

DTYPES = ["'float'", "'float32'", "'int64'", "np.float32", "np.dtype('float64')", "1",
          "float", "int", "bool", "T.float64", "None"]

CALLS = ["T.zeros(2, dtype={d})", "T.ones((2,), dtype={d})", "T.empty(2, dtype={d})",
         "T.full((2,), 1., dtype={d})", "T.tensor([1.], dtype={d})",
         "T.as_tensor([1.], dtype={d})", "T.scalar_tensor(1, dtype={d})",
         "T.zeros_like(T.ones(2), dtype={d})", "T.ones_like(T.ones(2), dtype={d})",
         "T.empty_like(T.ones(2), dtype={d})", "T.full_like(T.ones(2), 1, dtype={d})",
         "T.ones(2).new_zeros(2, dtype={d})", "T.ones(2).new_ones(2, dtype={d})",
         "T.ones(2).new_empty(2, dtype={d})", "T.ones(2).new_full((2,), 1, dtype={d})",
         "T.ones(2).new_tensor([1], dtype={d})", "T.arange(5, dtype={d})",
         "T.arange(0, 5, dtype={d})", "T.arange(0, 5, 2, dtype={d})"]


def _outcome(T, code):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = eval(code)  # noqa: S307 - the table above
        except Exception as e:  # noqa: BLE001 - the point is to compare what is raised
            return type(e).__name__, str(e)
    return tuple(r.shape), str(r.dtype).split(".")[-1]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("call", CALLS)
def test_dtype_argument(call, dtype):
    code = call.format(d=dtype)
    assert _outcome(mt, code) == _outcome(torch, code)
