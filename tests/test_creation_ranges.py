"""linspace and logspace against torch, bit for bit: endpoints as Python numbers and as 0-d
tensors of every dtype (torch reads them with ``.item()``: float64 endpoints keep their
precision, float32 ones their float32 value, whatever the result dtype), result dtypes float32,
float64 and integers, step counts across torch's two halves (0, 1, 2, odd, even, long), bases, and
the errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check_raises, check_same_tensor as _same

ENDPOINTS = [(0.1, 1.7), (-3.3, 2.9), (5, -5), (0, 250), (3, 3), (1e-8, 1e-7)]
STEPS = [0, 1, 2, 7, 16, 33, 100, 1000]
DTYPES = [None, "float32", "float64", "int64", "int32", "uint8"]


def _dt(T, name):
    return None if name is None else getattr(T, name)


@pytest.mark.parametrize("fname", ["linspace", "logspace"])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ends", ENDPOINTS, ids=str)
def test_numbers(ends, dtype, fname):
    if dtype == "uint8" and min(ends) < 0:
        pytest.skip("negative endpoints of an unsigned result wrap differently per compiler")
    a, b = ends
    for steps in STEPS:
        for base in ((10.0, 2.0, 0.5) if fname == "logspace" else (None,)):
            extra = () if base is None else (base,)
            with np.errstate(all="ignore"):
                _same(lambda T: getattr(T, fname)(a, b, steps, *extra, dtype=_dt(T, dtype)))


@pytest.mark.parametrize("fname", ["linspace", "logspace"])
@pytest.mark.parametrize("dtype", [None, "float32", "float64", "int64"])
@pytest.mark.parametrize("end_dtype", ["float32", "float64", "int64", "number"])
def test_tensor_endpoints(end_dtype, dtype, fname):
    """0-d tensor endpoints (one or both): read as the Python number they hold."""
    def ends(T):
        if end_dtype == "number":
            return T.tensor(0.1, dtype=T.float64), 1.7
        if end_dtype == "int64":
            return T.tensor(-2), T.tensor(9)
        dt = getattr(T, end_dtype)
        return T.tensor(0.1, dtype=dt), T.tensor(1.7, dtype=dt)
    for steps in (1, 7, 50):
        _same(lambda T: getattr(T, fname)(*ends(T), steps, dtype=_dt(T, dtype)))
        _same(lambda T: getattr(T, fname)(ends(T)[0], 3, steps, dtype=_dt(T, dtype)))


def test_default_dtype_float64():
    prev = (torch.get_default_dtype(), mt.get_default_dtype())
    torch.set_default_dtype(torch.float64)
    mt.set_default_dtype(mt.float64)
    try:
        for fname in ("linspace", "logspace"):
            _same(lambda T: getattr(T, fname)(T.tensor(0.1, dtype=T.float32), 1.3, 33))
            _same(lambda T: getattr(T, fname)(-1, 0.3, 17))
    finally:
        torch.set_default_dtype(prev[0])
        mt.set_default_dtype(prev[1])


def test_autograd():
    """Endpoints that require grad give a result without history (torch's ``.item()``);
    ``requires_grad=True`` makes a leaf."""
    _same(lambda T: T.linspace(T.tensor(0.5, requires_grad=True), 2.0, 5))
    _same(lambda T: T.logspace(0.0, T.tensor(2.0, requires_grad=True), 5))
    _same(lambda T: T.linspace(0.0, 1.0, 4, requires_grad=True))


def test_steps_as_tensor():
    _same(lambda T: T.linspace(0, 1, T.tensor(5)))
    _same(lambda T: T.logspace(0, 1, T.tensor(3)))


@pytest.mark.parametrize("fname", ["linspace", "logspace"])
def test_errors(fname):
    check_raises(lambda T: getattr(T, fname)(T.tensor([0.1]), 1.0, 3))
    check_raises(lambda T: getattr(T, fname)(0.0, T.zeros(1, 1), 3))
    check_raises(lambda T: getattr(T, fname)(0.0, 1.0, -1))
    check_raises(lambda T: getattr(T, fname)(0.0, 1.0, 3, dtype=T.bool))


def test_out():
    for fname in ("linspace", "logspace"):
        for dtype in ("float32", "float64", "int64"):
            res = {}
            for T in (torch, mt):
                out = T.empty(0, dtype=getattr(T, dtype))
                getattr(T, fname)(-0.7, 2.3, 11, out=out)
                res[T] = out.numpy()
            np.testing.assert_array_equal(res[mt], res[torch])


INF, NAN = float("inf"), float("nan")
BITWISE_ENDS = [(0.1, 1.7), (68.88437, 15), (-0.85251, 21), (46.0557, 83.4038), (-3.3, 2.9),
                (5, -5), (-7, -250), (0, 250), (3, 3), (1e-8, 1e-7), (6e-8, -6e-8), (0, 1),
                (1 + 2 ** -11 + 2 ** -40, 3), (-60000, 60000), (True, 5), (-5, 3), (-255, 5),
                (-2.7, 5.5), (0, 2 ** 62), (2 ** 63 - 1, 0), (-2 ** 63, 2 ** 63 - 1),
                (1e300, 1.7e308), (-1.7e308, 1.7e308), (3e307, 1e-300), (-3e38, 3e38),
                (0, INF), (-INF, INF), (INF, INF), (NAN, 1), (1, NAN)]
BITWISE_STEPS = [1, 2, 3, 4, 5, 10, 11, 100, 101, 1000, 4097]
BITWISE_DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8"]


@pytest.mark.parametrize("dtype", BITWISE_DTYPES)
@pytest.mark.parametrize("ends", BITWISE_ENDS, ids=str)
def test_linspace_bitwise(ends, dtype):
    """Every element's bits as torch's, or torch's error: float16 rounds every operation of
    the kernel (endpoints through float32, step, product, sum), float32/float64 fuse the
    multiply-add (also where step or the endpoints are near float64's limits), NaNs keep
    torch's sign, integers truncate and unsigned ones wrap negative endpoints."""
    a, b = ends
    steps_list = BITWISE_STEPS + ([65537, 140001] if dtype == "float16" else [])
    for steps in steps_list:
        for s, e in ((a, b), (b, a)):
            try:
                t = torch.linspace(s, e, steps, dtype=getattr(torch, dtype))
            except RuntimeError:
                check_raises(lambda T: T.linspace(s, e, steps, dtype=getattr(T, dtype)))
                continue
            with np.errstate(over="raise", invalid="raise", divide="raise"):  # torch warns not
                o = mt.linspace(s, e, steps, dtype=getattr(mt, dtype))
            assert str(o.dtype) == str(t.dtype)
            assert o.numpy().tobytes() == t.numpy().tobytes(), (s, e, steps)
