"""torch.testing.assert_close (and the deprecated assert_allclose) against torch's: each case
runs in both libraries on the same inputs; whether it raises, the exception type and the whole
message must agree."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt

NAN, INF = float("nan"), float("inf")

# id -> lambda T: (actual, expected, keyword arguments)
CASES = {
    "equal-float32": lambda T: (T.tensor([1.0, 2.0]), T.tensor([1.0, 2.0]), {}),
    "within-float32-default": lambda T: (T.tensor([1.0, 2.0]), T.tensor([1.0, 2.0000100]), {}),
    "outside-float32-default": lambda T: (T.tensor([1.0, 2.0, 3.0]), T.tensor([1.0, 2.1, 3.5]),
                                          {}),
    "docs-example": lambda T: (T.tensor([1.0, 4.0, 5.0]), T.tensor([1.0, 2.0, 3.0]), {}),
    "float64-default": lambda T: (T.tensor([1.0, 2.0], dtype=T.float64),
                                  T.tensor([1.0, 2.0 + 1e-6], dtype=T.float64), {}),
    "float64-within": lambda T: (T.tensor([1.0, 2.0], dtype=T.float64),
                                 T.tensor([1.0, 2.0 + 1e-8], dtype=T.float64), {}),
    "float16": lambda T: (T.tensor([1.0, 2.0], dtype=T.float16),
                          T.tensor([1.0, 2.01], dtype=T.float16), {}),
    "2-d-index": lambda T: (T.arange(6.0).reshape(2, 3),
                            T.arange(6.0).reshape(2, 3) * T.tensor([1.0, 1.0, 1.5]), {}),
    "zero-expected": lambda T: (T.tensor([0.5, 0.0]), T.tensor([0.0, 0.0]), {}),
    "nan-default": lambda T: (T.tensor([NAN, 1.0]), T.tensor([NAN, 1.0]), {}),
    "nan-equal": lambda T: (T.tensor([NAN, 1.0]), T.tensor([NAN, 1.0]), {"equal_nan": True}),
    "nan-vs-number": lambda T: (T.tensor([1.0, NAN, 3.0]), T.tensor([1.0, 2.0, 5.0]), {}),
    "inf-equal": lambda T: (T.tensor([INF, -INF]), T.tensor([INF, -INF]), {}),
    "inf-differs": lambda T: (T.tensor([INF, 1.0]), T.tensor([-INF, 1.0]), {}),
    "scalar-tensor": lambda T: (T.tensor(1.5), T.tensor(1.0), {}),
    "scalar-nan": lambda T: (T.tensor(NAN), T.tensor(NAN), {}),
    "rtol-atol": lambda T: (T.tensor([1.0, 2.0]), T.tensor([1.0, 2.1]),
                            {"rtol": 0.1, "atol": 0.0}),
    "rtol-atol-fail": lambda T: (T.tensor([1.0, 2.0]), T.tensor([1.0, 2.5]),
                                 {"rtol": 0.1, "atol": 0.01}),
    "zero-tolerance": lambda T: (T.tensor([1.0, 2.0]), T.tensor([1.0, 2.5]),
                                 {"rtol": 0, "atol": 0}),
    "only-rtol": lambda T: (T.tensor([1.0]), T.tensor([1.0]), {"rtol": 0.1}),
    "only-atol": lambda T: (T.tensor([1.0]), T.tensor([1.0]), {"atol": 0.1}),
    "int-equal": lambda T: (T.tensor([1, 2]), T.tensor([1, 2]), {}),
    "int-differs": lambda T: (T.tensor([1, 2, 7]), T.tensor([1, 5, 3]), {}),
    "int-zero-expected": lambda T: (T.tensor([1, 2]), T.tensor([0, 2]), {}),
    "bool-differs": lambda T: (T.tensor([True, False]), T.tensor([True, True]), {}),
    "dtype-differs": lambda T: (T.tensor([1.0]), T.tensor([1.0], dtype=T.float64), {}),
    "dtype-unchecked": lambda T: (T.tensor([1.0]), T.tensor([1.0], dtype=T.float64),
                                  {"check_dtype": False}),
    "dtype-unchecked-fail": lambda T: (T.tensor([1.0, 2.0]),
                                       T.tensor([1.0, 2.00001], dtype=T.float64),
                                       {"check_dtype": False}),
    "int-float-unchecked": lambda T: (T.tensor([1, 2]), T.tensor([1.0, 2.5]),
                                      {"check_dtype": False}),
    "shape-differs": lambda T: (T.ones(2, 3), T.ones(3, 2), {}),
    "stride-differs": lambda T: (T.ones(2, 3), T.ones(3, 2).t(), {"check_stride": True}),
    "stride-unchecked": lambda T: (T.ones(2, 3), T.ones(3, 2).t(), {}),
    "empty": lambda T: (T.ones(0, 3), T.ones(0, 3), {}),
    "msg-string": lambda T: (T.tensor([1.0]), T.tensor([2.0]), {"msg": "Argh!"}),
    "msg-callable": lambda T: (T.tensor([1.0, 4.0]), T.tensor([1.0, 2.0]),
                               {"msg": lambda m: f"Header\n\n{m}\n\nFooter"}),
    "list-of-tensors": lambda T: ([T.ones(2), T.zeros(2)], [T.ones(2), T.ones(2)], {}),
    "list-length": lambda T: ([T.ones(2)], [T.ones(2), T.ones(2)], {}),
    "dict": lambda T: ({"a": T.ones(2), "b": T.zeros(1)}, {"a": T.ones(2), "b": T.ones(1)}, {}),
    "dict-keys": lambda T: ({"a": T.ones(2)}, {"b": T.ones(2)}, {}),
    "nested": lambda T: ({"w": [T.ones(1), (T.zeros(2), 3)]}, {"w": [T.ones(1), (T.zeros(2), 4)]},
                         {}),
    "tensor-vs-list": lambda T: (T.ones(2), [1.0, 1.0], {}),
    "tensor-vs-float": lambda T: (T.tensor(1.0), 1.0, {}),
    "ndarrays": lambda T: (np.array([1.0, 2.0]), np.array([1.0, 2.5]), {}),
    "floats": lambda T: (1.0, 1.0 + 1e-8, {}),
    "floats-differ": lambda T: (1.0, 1.5, {}),
    "float-vs-int": lambda T: (1.0, 1, {}),
    "float-vs-int-unchecked": lambda T: (1.0, 1, {"check_dtype": False}),
    "ints-differ": lambda T: (3, 4, {}),
    "bools": lambda T: (True, False, {}),
    "none": lambda T: (None, None, {}),
    "none-vs-tensor": lambda T: (None, T.ones(1), {}),
    "numpy-scalars": lambda T: (np.float32(1.0), np.float32(1.5), {}),
    "requires-grad": lambda T: (T.ones(2, requires_grad=True) * 2, T.full((2,), 2.5), {}),
    "half-mismatched": lambda T: (T.arange(10.0), T.arange(10.0) + (T.arange(10) % 2) * 0.5, {}),
}


def outcome(T, case: str, fn=None) -> str:
    actual, expected, kwargs = CASES[case](T)
    fn = fn or T.testing.assert_close
    try:
        fn(actual, expected, **kwargs)
    except Exception as e:  # noqa: BLE001 - the error is the observation
        return f"{type(e).__name__}: {e}"
    return "passed"


@pytest.mark.parametrize("case", CASES)
def test_assert_close_as_torch(case):
    assert outcome(mt, case) == outcome(torch, case)


def test_message_format():
    """The format itself, written out, so a change on both sides is noticed."""
    assert outcome(mt, "docs-example") == (
        "AssertionError: Tensor-likes are not close!\n\nMismatched elements: 2 / 3 (66.7%)\n"
        "Greatest absolute difference: 2.0 at index (1,) (up to 1e-05 allowed)\n"
        "Greatest relative difference: 1.0 at index (1,) (up to 1.3e-06 allowed)")


ALLCLOSE = ["equal-float32", "outside-float32-default", "nan-default", "int-differs",
            "float64-default", "dtype-differs", "msg-string", "rtol-atol-fail"]


@pytest.mark.parametrize("case", ALLCLOSE)
def test_assert_allclose_as_torch(case):
    results = []
    for T in (mt, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            results.append((outcome(T, case, T.testing.assert_allclose),
                            [(x.category, str(x.message)) for x in w]))
    assert results[0] == results[1]
    assert results[0][1][0][0] is FutureWarning
