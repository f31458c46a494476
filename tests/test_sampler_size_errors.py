"""Size arguments of the samplers (rand, randn, randint, normal) against torch, read by the
creation functions' parser: huge, negative, int64's minimum, non-int entries, bools, tensors,
``size=`` by keyword, and the argument's position in randint's and normal's messages. Same
result, or same exception type and message (torch's C++ path prefix and stack trace left
out; the whole message where torch lists its overloads)."""
from __future__ import annotations

import pytest
import torch

import minitorch_ref as mt
from harness import eval_outcome

SIZES = ["2**63", "(2**63,)", "-1", "(-1,)", "(2, -3)", "1.5", "(1.5,)", "(2.0,)", "(2, 1.5)",
         "'a'", "(True,)", "(2, True)", "np.int64(3)", "(np.int64(2), 3)", "(T.tensor(2), 3)",
         "T.tensor([2, 3])", "T.tensor([3.])", "(2, T.tensor(3.))", "()", "3", "(2, 3)",
         "[2, 3]", "T.Size([2, 3])", "(-2**63,)"]

CALLS = {
    "rand": "T.rand({s})",
    "rand_keyword": "T.rand(size={s})",
    "randn": "T.randn({s})",
    "randn_keyword": "T.randn(size={s})",
    "rand_out": "T.rand({s}, out=T.empty(0))",
    "randint_high": "T.randint(5, {s})",
    "randint_high_keyword": "T.randint(5, size={s})",
    "randint_low_high": "T.randint(0, 5, {s})",
    "randint_low_high_keyword": "T.randint(0, 5, size={s})",
    "normal": "T.normal(0., 1., {s})",
    "normal_keyword": "T.normal(0., 1., size={s})",
    "normal_ints": "T.normal(0, 1, {s})",
}


def _outcome(T, code):
    return eval_outcome(T, code, lambda r: (tuple(r.shape), str(r.dtype).split(".")[-1]))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("call", list(CALLS))
def test_sizes(call, size):
    code = CALLS[call].format(s=size)
    assert _outcome(mt, code) == _outcome(torch, code)


@pytest.mark.parametrize("code", [
    "T.normal(0., 1., None)", "T.normal(0., 1., (2,), (3,))", "T.normal(0., 1., (2,), size=(3,))",
    "T.rand(size=(2,), dtype=T.float64)", "T.randn(3, dtype=T.float64)", "T.randint(5, (2,), dtype=T.int32)",
    "T.normal(0., 1., size=(2,), dtype=T.float64)", "T.randint(high=5, size=(1.5,))"])
def test_calls(code):
    assert _outcome(mt, code) == _outcome(torch, code)
