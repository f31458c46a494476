"""NumPy arrays of a subclass (np.memmap slices, np.matrix, user subclasses) become ordinary
tensors: from_numpy / as_tensor / asarray / tensor / legacy constructors give the same dtypes
and values as torch, and so does every op family on them (a memmap slice of int64 once stacked
to float32: NumPy's subclass survived inside the tensor and was promoted like a Python
float)."""
import os

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS


class Tagged(np.ndarray):
    """A user subclass that survives ufuncs, as np.memmap does."""


def _arrays(tmp_path, dtype):
    path = os.path.join(tmp_path, "data.bin")
    np.arange(24).astype(dtype).tofile(path)
    mm = np.memmap(path, dtype=dtype, mode="r+", shape=(24,))
    return {
        "memmap_slice": mm[2:8],
        "memmap_astype": mm[2:8].astype(dtype),     # astype keeps the memmap class
        "memmap_2d": mm.reshape(4, 6)[1:3],
        "tagged": np.arange(6).astype(dtype).view(Tagged),
    }


MAKERS = {
    "from_numpy": lambda T, a: T.from_numpy(a),
    "as_tensor": lambda T, a: T.as_tensor(a),
    "asarray": lambda T, a: T.asarray(a),
    "tensor": lambda T, a: T.tensor(a),
}
OPS = {
    "stack": lambda T, x: T.stack([x, x]),
    "cat": lambda T, x: T.cat([x, x]),
    "add_scalar": lambda T, x: x + 1,
    "mul_tensor": lambda T, x: x * x,
    "sum": lambda T, x: x.sum(),
    "neg": lambda T, x: -x,
    "where": lambda T, x: T.where(x > 3, x, T.zeros_like(x)),
    "index": lambda T, x: x[..., ::2],
    "view": lambda T, x: x.reshape(-1),
    "max": lambda T, x: x.max(),
    "float_div": lambda T, x: x / 2,
}


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.float64])
@pytest.mark.parametrize("kind", ["memmap_slice", "memmap_astype", "memmap_2d", "tagged"])
@pytest.mark.parametrize("make", MAKERS)
def test_subclass_arrays_give_torchs_dtypes_and_values(tmp_path, dtype, kind, make):
    outs = {}
    for T in LIBS:
        a = _arrays(str(tmp_path), dtype)[kind]
        x = MAKERS[make](T, a)
        res = {name: op(T, x) for name, op in OPS.items()}
        outs[T] = {k: (str(v.dtype), v.numpy().tolist()) for k, v in res.items()}
        outs[T]["x"] = (str(x.dtype), x.numpy().tolist())
        assert type(x.numpy()) is np.ndarray
    assert outs[mt] == outs[torch]


def test_from_numpy_of_a_memmap_shares_its_memory(tmp_path):
    a = _arrays(str(tmp_path), np.float32)["memmap_slice"]
    for T in LIBS:
        x = T.from_numpy(a)
        x[0] = 100.0
        assert a[0] == 100.0
        a[1] = -1.0
        assert x[1].item() == -1.0


def test_legacy_constructor_of_a_memmap(tmp_path):
    a = _arrays(str(tmp_path), np.float32)["memmap_slice"]
    for T in LIBS:
        x = T.FloatTensor(a)
        assert str(x.dtype) == "torch.float32" and str(T.stack([x, x]).dtype) == "torch.float32"
        y = T.LongTensor(a.astype(np.int64))
        assert str(T.cat([y, y]).dtype) == "torch.int64"


def test_matrix_subclass():
    m = np.matrix([[1, 2], [3, 4]], dtype=np.int64)
    outs = [(str(T.from_numpy(m).dtype), T.stack([T.from_numpy(m)] * 2).shape,
             (T.from_numpy(m) @ T.from_numpy(m)).tolist()) for T in LIBS]
    assert outs[1] == outs[0]
