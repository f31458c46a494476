"""Size arguments of Tensor.reshape and Tensor.view against torch's parser: huge (past int64),
int64's minimum, negative, non-int entries (floats, also integral ones), bools, NumPy ints,
tensors, no argument, and view's dtype overload. Same result, or same exception type and
message (torch's C++ path prefix and stack trace left out; the whole message where torch lists
its overloads)."""
from __future__ import annotations

import pytest
import torch

import minitorch_ref as mt
from harness import eval_outcome

SIZES = ["2**63", "(2**63,)", "(6, 2**64)", "-1", "(-1,)", "(2, -3)", "(-2, -3)", "(2, 3, -1)",
         "(-1, -1)", "1.5", "(1.5,)", "(2.0,)", "(6, 1.5)", "(1.5, 2)", "[1.5, 2]", "'a'",
         "None", "True", "(True,)", "(6, True)", "np.int64(6)", "(2, np.int64(3))",
         "(np.int64(2), 3)", "(T.tensor(2), 3)", "(2, T.tensor(3.))", "T.tensor([2, 3])",
         "T.tensor([6.])", "T.tensor(6)", "()", "6", "(2, 3)", "[3, 2]", "T.Size([3, 2])",
         "(-2**63,)", "(2**62, 2**62)", "(0, 2**63)", "np.float32"]

CALLS = {
    "reshape": "t.reshape({s})",
    "reshape_unpacked": "t.reshape(*{s}) if isinstance({s}, tuple) else t.reshape({s})",
    "view": "t.view({s})",
    "view_unpacked": "t.view(*{s}) if isinstance({s}, tuple) else t.view({s})",
}


def _summary(r):
    return tuple(r.shape), str(r.dtype).split(".")[-1], r.tolist()


def _outcome(T, code):
    return eval_outcome(T, code, _summary, t=T.arange(6.).reshape(2, 3))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("call", list(CALLS))
def test_sizes(call, size):
    code = CALLS[call].format(s=size)
    assert _outcome(mt, code) == _outcome(torch, code)


@pytest.mark.parametrize("code", ["t.view(T.float16)", "t.view(T.int32)", "t.view(T.int64)",
                                  "t.view(T.bool)", "t.reshape(6).view(T.float64)"])
def test_view_dtype(code):
    assert _outcome(mt, code) == _outcome(torch, code)
