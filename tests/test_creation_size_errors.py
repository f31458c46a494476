"""Size arguments of the creation functions against torch: huge (past int64 and uint64),
negative, int64's minimum (torch's symbolic-size marker), non-int entries, integer tensors of one
element (an index) and other tensors, ``size=`` given by keyword, and the sizes of an ``out=``
resize (torch's element-count check words those errors). Same result, or same exception type and
first line of the message."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check_raises, torch_result_or_same_error

SIZES = ["2**63", "(2**63,)", "2**64", "(2**64,)", "-1", "(-1,)", "(2, -3)", "(-1, 'a')",
         "(2**62, 4)", "(2**31, 2**31, 4)", "(-2**63 - 1,)", "1.5", "(1.5,)", "(2, 1.5)",
         "(2, 2**63)", "'a'", "(2, 'a')", "None", "(2, None)", "(True,)", "(2, True)",
         "np.int64(-1)", "np.int64(3)", "(np.int64(2**62), 8)", "(2**40, 2**40)",
         "(T.tensor(2), 3)", "(T.tensor(-1),)", "T.tensor([2, 3])", "T.tensor([3])",
         "T.tensor([[3]], dtype=T.uint8)", "T.tensor([3.])", "(2, T.tensor(3.))", "[]", "()",
         "3", "(2, 3)", "T.Size([2, 3])"]

FACTORIES = {
    "zeros": "T.zeros({s})",
    "zeros_unpacked": "T.zeros(*{s}) if isinstance({s}, tuple) else T.zeros({s})",
    "ones": "T.ones({s})",
    "empty": "T.empty({s})",
    "full": "T.full({s}, 1)",
    "full_float": "T.full({s}, 1.5)",
    "zeros_keyword": "T.zeros(size={s})",
    "ones_keyword": "T.ones(size={s})",
    "empty_keyword": "T.empty(size={s})",
    "zeros_out": "T.zeros({s}, out=T.empty(0))",
    "ones_out": "T.ones({s}, out=T.empty(3))",
    "empty_out": "T.empty({s}, out=T.empty(0))",
    "full_out": "T.full({s}, 1., out=T.empty(0))",
    "new_zeros": "T.ones(2).new_zeros({s})",
    "new_ones": "T.ones(2).new_ones({s})",
    "new_empty": "T.ones(2).new_empty({s})",
    "new_full": "T.ones(2).new_full({s}, 1)",
}

# torch's message for int64's minimum starts with the path of the C++ file that checked it
SYMBOLIC = "SymIntArrayRef expected to contain only concrete integers$"


def _outcome(T, code):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = eval(code)  # noqa: S307 - the table above
    return tuple(r.shape), str(r.dtype)


def _same(code):
    expected = torch_result_or_same_error(lambda T: _outcome(T, code))
    if expected is not None:
        assert _outcome(mt, code) == expected


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("factory", list(FACTORIES))
def test_sizes(factory, size):
    _same(FACTORIES[factory].format(s=size))


@pytest.mark.parametrize("factory", [f for f in FACTORIES
                                     if not f.startswith("zeros") or f == "zeros_out"])
def test_int64_minimum(factory):
    code = FACTORIES[factory].format(s="(-2**63,)")
    check_raises(lambda T: _outcome(T, code), match=SYMBOLIC)


@pytest.mark.parametrize("code", [
    "T.zeros()", "T.ones()", "T.empty()", "T.zeros(2, size=(2,))", "T.ones(size=(2,), foo=1)",
    "T.zeros((-2**63,))", "T.empty(size=(2,), dtype=T.float64)",
    "T.zeros(size=T.Size([2, 3]), dtype=T.int32)"])
def test_calls(code):
    _same(code)


def test_overflow_message_keeps_torchs_closing_quote():
    """torch's message reads '... with error "Overflow when unpacking long long', a C++ stack
    trace, then the closing quote: ours has the first line and the quote, without the trace."""
    with pytest.raises(TypeError) as ours:
        mt.zeros(2 ** 63)
    with pytest.raises(TypeError) as theirs:
        torch.zeros(2 ** 63)
    assert str(ours.value).split("\n")[0] == str(theirs.value).split("\n")[0]
    assert str(ours.value).endswith('"') and str(theirs.value).endswith('"')
