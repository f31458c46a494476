"""Python ints beyond int64 in the data of ``torch.tensor``, ``as_tensor``, ``asarray`` and
``Tensor.new_tensor``, against torch (2.13).

torch infers the dtype first (ints -> int64, a Python or NumPy float anywhere -> a float dtype)
and then converts element by element: into a float or bool dtype an int is read as a double
(``int too large to convert to float`` from 2**1024), into an integer dtype as a C long long
(``ValueError: Overflow when unpacking long long`` beyond int64), so the first element in order
decides between that and the dtype's own overflow error. NumPy read ``[1, 2**63]`` as float64,
which made a float32 tensor, and wrapped it to int64's minimum with ``dtype=int64``."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt

B, N, E = 2 ** 63, -2 ** 63 - 1, 10 ** 30
DATA = {
    "B": B, "N": N, "2**64": 2 ** 64, "E": E, "[B]": [B], "(B,)": (B,), "[N]": [N],
    "[1, B]": [1, B], "[[1], [B]]": [[1], [B]], "[-1, B]": [-1, B], "[True, B]": [True, B],
    "[B, True]": [B, True], "[1.5, B]": [1.5, B], "[B, 1.5]": [B, 1.5], "[E, 1.0]": [E, 1.0],
    "[1.0, E]": [1.0, E], "[[1.0], [E]]": [[1.0], [E]], "[1.5, 10**400]": [1.5, 10 ** 400],
    "[2**40, B]": [2 ** 40, B], "[B, 2**40]": [B, 2 ** 40], "[1e30, B]": [1e30, B],
    "[nan, B]": [float("nan"), B], "[B, nan]": [B, float("nan")],
    "[np.float32, B]": [np.float32(1.5), B], "[B, np.float32]": [B, np.float32(1.5)],
    "[np.int64, B]": [np.int64(1), B], "[np.float64, B]": [np.float64(1.5), B],
    "2**63-1": 2 ** 63 - 1, "[-2**63, 1]": [-2 ** 63, 1],
}
FORMS = {
    "tensor": lambda T, d, dt: T.tensor(d, dtype=dt),
    "as_tensor": lambda T, d, dt: T.as_tensor(d, dtype=dt),
    "asarray": lambda T, d, dt: T.asarray(d, dtype=dt),
    "new_tensor": lambda T, d, dt: T.zeros(1, dtype=T.float64).new_tensor(d, dtype=dt),
}
DTYPES = [None, "float32", "float64", "float16", "bool", "int64", "int32", "int16", "uint8"]


def _outcome(fn):
    try:
        out = fn()
    except Exception as e:  # noqa: BLE001 - the point is to compare what is raised
        return type(e).__name__, str(e)
    return str(out.dtype).split(".")[-1], tuple(out.shape), out.tolist()


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("data", list(DATA))
@pytest.mark.parametrize("form", list(FORMS))
def test_big_ints_in_tensor_data(form, data, dtype):
    def run(T):
        dt = None if dtype is None else getattr(T, dtype)
        return _outcome(lambda: FORMS[form](T, DATA[data], dt))
    got, want = run(mt), run(torch)
    assert got[0] == want[0], (got, want)
    if len(want) == 2:
        assert got[1] == want[1]
    else:
        assert got[1] == want[1]
        np.testing.assert_array_equal(np.asarray(got[2], dtype=np.float64),
                                      np.asarray(want[2], dtype=np.float64))
