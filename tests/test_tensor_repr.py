"""``repr(tensor)`` is character-for-character torch's, over a grid of values, dtypes and shapes:
int mode, fixed and scientific floats, nan/inf, ints, bools, 0-d, empty, summarised (> 1000
elements), wrapped lines, dtype and autograd suffixes, print options."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt

F32, F64, I64, I32, BOOL = np.float32, np.float64, np.int64, np.int32, np.bool_
VALUES = {
    "ints_as_float": [1.0, 2.0, -3.0],
    "fixed": [0.5, 1.25, -2.0625],
    "fixed_small": [0.001, 0.01],
    "sci_big_ratio": [1e-3, 10.0, 2.0],
    "sci_large": [1e9, 1.0],
    "sci_tiny": [1e-5, 0.5],
    "int_mode_large": [1e8, 1.0],
    "int_mode_sci": [1e9, 2.0],
    "int_mode_ratio": [1.0, 2000.0],
    "zeros": [0.0, 0.0],
    "neg_zero": [-0.0, 1.0],
    "nan_inf": [float("nan"), float("inf"), -float("inf"), 1.5],
    "nan_ints": [float("nan"), 2.0],
    "only_nan": [float("nan")],
    "only_inf": [float("inf"), -float("inf")],
    "long_decimals": [3.14159265, 2.71828182, -1.41421356],
    "mixed_sign": [-1.5, 100.25, 3.0],
    "rounding": [0.00005, 0.99995, 123.45678],
    "huge": [1e30, -1e-30],
    "almost_int": [1.00001, 2.0],
}


def _both(arr, **kw):
    return torch.tensor(arr, **{k: v for k, v in kw.items()}), mt.tensor(arr, **kw)


def _assert_same_repr(t, m):
    assert repr(m) == repr(t), f"\nours:  {m!r}\ntorch: {t!r}"
    assert str(m) == str(t)


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("name", sorted(VALUES))
def test_float_modes(name, dtype):
    arr = np.array(VALUES[name], dtype=dtype)
    _assert_same_repr(torch.tensor(arr), mt.tensor(arr))
    _assert_same_repr(torch.tensor(arr[0]), mt.tensor(arr[0]))  # 0-d
    _assert_same_repr(torch.tensor(arr.reshape(-1, 1)), mt.tensor(arr.reshape(-1, 1)))


@pytest.mark.parametrize("arr", [
    np.array([1, -20, 300], dtype=I64), np.array([[1, 2], [3, 4]], dtype=I32),
    np.array(7, dtype=I64), np.array([True, False]), np.array(True),
    np.array([[True], [False]]), np.array([-(2 ** 40), 5], dtype=I64),
    np.zeros((2, 0), dtype=I64), np.zeros(0, dtype=BOOL), np.array([1, 2], dtype=np.uint8),
    np.array([1, 2], dtype=np.int8), np.array([1, 2], dtype=np.int16),
    np.array([1.5, 2.25], dtype=np.float16),
], ids=lambda a: f"{a.dtype}-{a.shape}")
def test_other_dtypes(arr):
    _assert_same_repr(torch.tensor(arr), mt.tensor(arr))


@pytest.mark.parametrize("shape", [(0,), (2, 0), (0, 3), (1, 0, 2), (3, 4, 5), (2, 1, 1, 3),
                                   (1,), (1, 1)])
@pytest.mark.parametrize("dtype", [F32, F64])
def test_shapes(shape, dtype):
    arr = np.arange(int(np.prod(shape)), dtype=dtype).reshape(shape) / 3
    _assert_same_repr(torch.tensor(arr), mt.tensor(arr))


@pytest.mark.parametrize("shape", [(1001,), (2000,), (40, 30), (3, 400), (11, 10, 10),
                                   (1, 2000), (2000, 1), (7, 7, 7, 7)])
@pytest.mark.parametrize("kind", ["float", "int", "bool", "sci"])
def test_summarized(shape, kind):
    rng = np.random.default_rng(0)
    n = int(np.prod(shape))
    arr = {"float": rng.standard_normal(n).astype(F32),
           "int": rng.integers(-1000, 1000, n),
           "bool": rng.integers(0, 2, n).astype(bool),
           "sci": (rng.standard_normal(n) * 1e6).astype(F64)}[kind].reshape(shape)
    _assert_same_repr(torch.tensor(arr), mt.tensor(arr))


@pytest.mark.parametrize("n", [7, 8, 9, 10, 12, 13, 20, 30, 50])
@pytest.mark.parametrize("scale", [1.0, 1000.0, 1e-6, 123456.0])
def test_line_wrapping(n, scale):
    arr = (np.arange(n) - n / 3).astype(F32) * scale
    _assert_same_repr(torch.tensor(arr), mt.tensor(arr))
    _assert_same_repr(torch.tensor(arr.reshape(1, n)), mt.tensor(arr.reshape(1, n)))
    arr64 = arr.astype(F64)
    _assert_same_repr(torch.tensor(arr64, requires_grad=True),
                      mt.tensor(arr64, requires_grad=True))


def test_wide_int_rows():
    arr = np.arange(40, dtype=I64) * 123457
    _assert_same_repr(torch.tensor(arr), mt.tensor(arr))
    _assert_same_repr(torch.tensor(arr.reshape(2, 20)), mt.tensor(arr.reshape(2, 20)))


@pytest.mark.parametrize("dtype", [F32, F64])
def test_autograd_suffixes(dtype):
    arr = np.array([[1.0, 2.5], [3.0, 4.0]], dtype=dtype)
    reprs = {}
    for T in (torch, mt):
        x = T.tensor(arr, requires_grad=True)
        y = (x * 2).sum(1)
        z = x.max(0)
        reprs[T] = [repr(x), repr(y), repr(x.detach()), repr(z), repr(x[0]), repr(y.sum()),
                    repr(T.tensor(1.0, requires_grad=True)), repr(x.exp()[:, None])]
    assert reprs[mt] == reprs[torch]


def test_long_suffix_wraps():
    arr = np.arange(16, dtype=F64) + 0.5
    for shape in [(16,), (4, 4), (2, 8)]:
        t = torch.tensor(arr.reshape(shape), requires_grad=True)
        m = mt.tensor(arr.reshape(shape), requires_grad=True)
        _assert_same_repr(t * 1, m * 1)


def test_printoptions():
    arr = np.array([1.123456789, 2.5, 1e-3], dtype=F64)
    try:
        for kw in [dict(precision=2), dict(precision=8), dict(sci_mode=True),
                   dict(sci_mode=False), dict(linewidth=30), dict(threshold=5, edgeitems=1),
                   dict(profile="short"), dict(profile="full")]:
            torch.set_printoptions(**kw)
            mt.set_printoptions(**kw)
            big = np.arange(30, dtype=F32)
            _assert_same_repr(torch.tensor(arr), mt.tensor(arr))
            _assert_same_repr(torch.tensor(big), mt.tensor(big))
            torch.set_printoptions(profile="default")
            mt.set_printoptions(profile="default")
    finally:
        torch.set_printoptions(profile="default", sci_mode=None)
        mt.set_printoptions(profile="default", sci_mode=None)


def test_default_dtype_suffix():
    arr = np.array([1.5, 2.0])
    try:
        torch.set_default_dtype(torch.float64)
        mt.set_default_dtype(mt.float64)
        _assert_same_repr(torch.tensor(arr), mt.tensor(arr))
        _assert_same_repr(torch.tensor(arr, dtype=torch.float32),
                          mt.tensor(arr, dtype=mt.float32))
    finally:
        torch.set_default_dtype(torch.float32)
        mt.set_default_dtype(mt.float32)


def test_return_types_repr():
    arr = np.array([[1.0, 3.0, 3.0], [5.0, 5.0, 0.0]], dtype=F32)
    for f in [lambda T, x: x.max(1), lambda T, x: T.min(x, 0, keepdim=True),
              lambda T, x: x.sort(), lambda T, x: x.topk(2), lambda T, x: T.aminmax(x, dim=1)]:
        outs = {T: f(T, T.tensor(arr)) for T in (torch, mt)}
        assert repr(outs[mt]) == repr(outs[torch])
        assert type(outs[mt]).__name__ == type(outs[torch]).__name__
        v, i = outs[mt]  # unpacks like a tuple
        assert outs[mt][0] is v and outs[mt][1] is i


def test_size_and_dtype_repr():
    for T in (torch, mt):
        pass
    assert repr(mt.zeros(2, 3).shape) == repr(torch.zeros(2, 3).shape)
    assert repr(mt.zeros(()).shape) == repr(torch.zeros(()).shape)
    for name in ["float32", "float64", "int64", "int32", "bool", "float16", "uint8"]:
        assert repr(getattr(mt, name)) == repr(getattr(torch, name))
    assert str(mt.zeros(1).device) == str(torch.zeros(1).device)
    assert repr(mt.zeros(1).device) == repr(torch.zeros(1).device)
