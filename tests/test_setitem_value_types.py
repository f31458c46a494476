"""``t[index] = value`` with a value that is no tensor and no number, against torch.

torch (2.13) writes a tensor or a number (a Python bool, int, float or complex, a NumPy integer,
or NumPy's float64/complex128, which are Python numbers) and refuses anything else before it
looks at the index: ``TypeError: can't assign a list to a torch.HalfTensor``, the value's type as
CPython names it (``list``, ``numpy.ndarray``, ``numpy.float32``, ``torch.Size``) and the
tensor's legacy type. We wrote lists and arrays (a float16 list rounded by NumPy, not as torch's
float64 -> float32 -> float16)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt


class _Thing:
    pass


VALUES = {
    "list floats": lambda T: [0.1, 0.2],
    "list ints": lambda T: [1, 2],
    "tuple": lambda T: (0.1, 0.2),
    "nested list": lambda T: [[0.1, 0.2]],
    "empty list": lambda T: [],
    "list of tensors": lambda T: [T.tensor(1.0), T.tensor(2.0)],
    "ndarray": lambda T: np.array([0.1, 0.2]),
    "0-d ndarray": lambda T: np.array(0.5),
    "np.float32": lambda T: np.float32(2.5),
    "np.float16": lambda T: np.float16(2.5),
    "np.bool_": lambda T: np.bool_(True),
    "str": lambda T: "ab",
    "None": lambda T: None,
    "range": lambda T: range(2),
    "Size": lambda T: T.Size([2]),
    "object": lambda T: _Thing(),
    # accepted: numbers
    "float": lambda T: 0.1,
    "int": lambda T: 3,
    "bool": lambda T: True,
    "np.float64": lambda T: np.float64(0.1),
    "np.int32": lambda T: np.int32(3),
    "np.uint8": lambda T: np.uint8(3),
    "tensor": lambda T: T.tensor([0.1, 0.2], dtype=T.float64),
}
INDEXES = {"slice": slice(0, 2), "int": 0, "ellipsis": Ellipsis, "list": [0, 1],
           "mask": "mask", "out of range": 10}


def _run(T, dtype, value, index):
    t = T.zeros(2, dtype=getattr(T, dtype))
    if index == "mask":
        index = T.tensor([True, False])
    try:
        t[index] = VALUES[value](T)
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return type(e), str(e)
    return t.numpy()


@pytest.mark.parametrize("index", list(INDEXES))
@pytest.mark.parametrize("value", list(VALUES))
@pytest.mark.parametrize("dtype", ["float16", "float32", "int64", "bool"])
def test_setitem_value_types(dtype, value, index):
    ours, theirs = (_run(T, dtype, value, INDEXES[index]) for T in (mt, torch))
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple), ours
        assert ours[0] is theirs[0]
        if theirs[0] is TypeError:
            assert ours[1] == theirs[1]
    else:
        assert not isinstance(ours, tuple), ours
        np.testing.assert_array_equal(ours, theirs)
        assert ours.dtype == theirs.dtype
