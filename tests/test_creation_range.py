"""torch.range (deprecated, end included) against torch, bit for bit: values and dtypes over
start/end/step grids per dtype (its accumulate types: double, float32 for float16, wrapping int64
for integers), 0-d tensor and NumPy arguments, the deprecation warning (once per call, at the
caller's line, before value errors but after argument errors), the errors, requires_grad and
out=."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check_same_tensor as _same

DTYPES = [None, "float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8"]
RANGES = [(1, 4), (0, 1, 0.25), (0, 1, 0.1), (0.1, 0.3, 0.1), (1.5, 2.5, 0.3), (0, 10, 3),
          (10, 0, -3), (0, 0), (-2.5, 3.7), (0.5, 3.7, 0.7), (0, 3, 1.9), (0, 200, 100),
          (True, 3), (True, False, -1), (5, 5, -2), (1e-3, 2e-3, 1e-4), (-7, 7, 2.5),
          (0, 1000, 0.37), (-(2 ** 63), -(2 ** 63) + 2), (0, 2 ** 40, 2 ** 38)]


def _dt(T, name):
    return None if name is None else getattr(T, name)


def _call(T, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return T.range(*args, **kwargs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("args", RANGES, ids=str)
def test_values(args, dtype):
    if dtype is not None and dtype.startswith(("int", "uint")) and \
            any(isinstance(a, float) and 0 < abs(a) < 1 for a in args[2:]):
        pytest.skip("torch divides by the truncated step 0 (SIGFPE); ours raises")
    _same(lambda T: _call(T, *args, dtype=_dt(T, dtype)))


@pytest.mark.parametrize("make", [
    lambda T: (T.tensor(2.0), 5), lambda T: (T.tensor(1, dtype=T.int32), T.tensor(3.5)),
    lambda T: (np.float32(0.1), 1), lambda T: (np.int64(2), 5, np.float64(0.5)),
    lambda T: (0, T.tensor(2.0, requires_grad=True)),
], ids=["tensor_start", "tensors", "np_float32", "np_int64", "grad_end"])
def test_number_kinds(make):
    _same(lambda T: _call(T, *make(T)))


@pytest.mark.parametrize("kwargs", [
    dict(start=1, end=3), dict(start=0, end=3, step=0.5, dtype="float64"), dict(end=3, step=2),
    dict(step=2), dict(start=5), dict(start=0, end=3, foo=1)], ids=str)
def test_keywords(kwargs):
    def fn(T):
        kw = {k: (getattr(T, v) if k == "dtype" else v) for k, v in kwargs.items()}
        return _call(T, **kw)
    _same(fn)


@pytest.mark.parametrize("case", [
    "()", "(5,)", "(1, 2, 3, 4)", "(5, step=2)", "(5, start=1)", "('a', 3)", "(0, 3, 'a')",
    "(0, 'a')", "(0, end='a')", "(0, 3, step='a')", "(T.tensor([1., 2.]), 3)",
    "(T.tensor([2.]), 3)", "(0, 1, 0)", "(0, 1, float('nan'))", "(0, 3, False)", "(0, 10, -1)",
    "(1, 0)", "(0, float('inf'))", "(0, float('nan'))", "(-float('inf'), 0)",
    "(0, float('inf'), dtype=T.int64)", "(0, float('nan'), dtype=T.int32)",
    "(0, 2 ** 63)", "(0, 2 ** 63, dtype=T.int64)", "(0, 2 ** 63, dtype=T.float64)",
    "(0, 2 ** 64)", "(-2 ** 63 - 1, 0)", "(0, 1e20, 1e-5)", "(0, 2, 1e-300)",
    "(-1e308, 1e308, 1e300)", "(0, 1e12)", "(0, 3, dtype=T.bool)", "(0, 3, 0, dtype=T.bool)",
    "(0, 3, dtype=T.int64, requires_grad=True)", "(0, 3, requires_grad=1)",
    "(0, 3, dtype='float')", "(0, 3, layout=None)", "(0, 3, layout='x')",
    "(0, 3, pin_memory=False)", "(0, 3, dtype=T.float16, step=1e39)",
    "(1e39, 1e40, dtype=T.float16)", "(-2 ** 63, 2 ** 63 - 1, dtype=T.int64)",
    "(0, 5, out=5)", "(0, 5, out=T.empty(6), dtype=T.float64)",
    "(0, 5, out=T.empty(6, requires_grad=True))",
])
def test_errors_and_edges(case):
    _same(lambda T: eval(f"_call(T, {case[1:-1]})"))  # noqa: S307 - the cases above


@pytest.mark.parametrize("case", ["(0, 3)", "(0, 1, 0)", "(0, 3, dtype=T.bool)", "(1, 0)"])
def test_deprecation_warning(case):
    """One UserWarning with torch's text, reported at the caller's line, also when the values
    are then refused; none when the arguments do not parse."""
    records = {}
    for T in (torch, mt):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                eval(f"T.range{case}")  # noqa: S307 - the cases above
            except (RuntimeError, NotImplementedError):
                pass
        records[T] = [(r.category, str(r.message), r.filename, r.lineno) for r in w]
    assert records[mt] == records[torch] and len(records[torch]) == 1


def test_no_warning_when_the_arguments_do_not_parse():
    for T in (torch, mt):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(TypeError):
                T.range("a", 3)


@pytest.mark.parametrize("out_dtype", ["float32", "float64", "int32", "float16"])
@pytest.mark.parametrize("out_size", [0, 2, 6, 9])
def test_out(out_size, out_dtype):
    """Written into ``out`` (its dtype; resized without a warning), and returned."""
    results = {}
    for T in (torch, mt):
        out = T.zeros(out_size, dtype=getattr(T, out_dtype))
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = T.range(0, 5, out=out)
        assert r is out
        results[T] = (str(r.dtype), r.tolist(), [str(x.message)[:12] for x in w])
    assert results[mt] == results[torch]


@pytest.mark.parametrize("dtype", [None, "float64", "float16"])
def test_requires_grad(dtype):
    for make in (lambda T: _call(T, 0, 3, dtype=_dt(T, dtype), requires_grad=True),
                 lambda T: _call(T, 0, 3, out=T.empty(4), requires_grad=True)):
        t, o = make(torch), make(mt)
        assert (o.requires_grad, o.is_leaf, o.grad_fn) == (t.requires_grad, t.is_leaf, None)
        o.sum().backward()
        t.sum().backward()
        np.testing.assert_array_equal(o.grad.numpy(), t.grad.numpy())


def test_default_dtype():
    for d in ("float64", "float16"):
        torch.set_default_dtype(getattr(torch, d))
        mt.set_default_dtype(getattr(mt, d))
        try:
            _same(lambda T: _call(T, 0, 1, 0.1))
        finally:
            torch.set_default_dtype(torch.float32)
            mt.set_default_dtype(mt.float32)
