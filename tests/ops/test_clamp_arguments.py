"""clamp/clip (function form) and clamp_min/clamp_max against torch for argument mixes no
overload takes: torch's TypeError lists the arguments as given, positional ones by type and then
the keywords, last given first, as ``name=type`` (a number beside a tensor bound that is not 0-d,
extra or repeated arguments, unknown keywords, a non-tensor input; not with out=, which torch
lists among the keywords and ours takes apart); a None bound of clamp_min or
clamp_max is refused. Calls torch takes give the same values."""
from __future__ import annotations

import itertools

import pytest
import torch

import minitorch_ref as mt
from harness import torch_result_or_same_error

BOUNDS = {"int": "3", "float": "2.5", "t0": "T.tensor(1.)", "t1": "T.tensor([1., 2.])",
          "none": "None", "str": "'a'"}
FORMS = ["T.{f}(x, {a}, {b})", "T.{f}(x, min={a}, max={b})", "T.{f}(x, {a}, max={b})",
         "T.{f}(x, max={b}, min={a})", "T.{f}(input=x, max={b}, min={a})"]
CASES = [form.format(f=f, a=a, b=b) for f in ("clamp", "clip") for form in FORMS
         for a, b in itertools.product(BOUNDS.values(), BOUNDS.values())]
CASES += [f"T.{f}({args})" for f in ("clamp", "clip") for args in (
    "x, 1, 2, 3", "x, 1, min=2", "x, foo=1", "3, 1", "min=1", "x, max=1, foo=2", "x",
    "x, None, None")]
CASES += [f"{call}({arg})" for call in ("T.clamp_min(x, ", "T.clamp_max(x, ")
          for arg in BOUNDS.values()]


def _run(T, case):
    x = T.tensor([0.0, 5.0])  # noqa: F841 - read by the case
    r = eval(case)  # noqa: S307 - the table above
    return r.tolist(), str(r.dtype)


@pytest.mark.parametrize("case", CASES)
def test_arguments(case):
    expected = torch_result_or_same_error(lambda T: _run(T, case))
    if expected is not None:
        assert _run(mt, case) == expected


@pytest.mark.parametrize("case", ["x.clamp_min(None)", "x.clamp_max(max=None)",
                                  "x.clamp_min_(None)", "x.clamp_max_(None)"])
def test_none_bound_of_the_methods_is_a_type_error(case):
    """(torch's message explains each overload of the method; ours names the function's)"""
    for T in (torch, mt):
        with pytest.raises(TypeError, match="received an invalid combination of arguments"):
            _run(T, case)
