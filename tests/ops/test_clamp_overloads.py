"""clamp's two overloads as torch's parser picks them: Tensor bounds, or Number bounds (a 0-d
tensor beside a number is read as a number). In place, the Number overload's cast check names the
C++ type ("... desired output type long int"), the Tensor overload the scalar type ("... Long").
A number beside a tensor bound that is not 0-d matches neither: torch's TypeError, with each
overload explained in the method forms. Messages are compared whole, every line."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt

DTYPES = ["bool", "int8", "uint8", "int16", "int32", "int64", "float16", "float32"]
BOUNDS = {
    "ints": lambda T: (0, 2),
    "float-lo": lambda T: (0.5, 2),
    "float-hi": lambda T: (None, 2.5),
    "bool-hi": lambda T: (-1, True),
    "0d-tensor-lo": lambda T: (T.tensor(0.5), None),
    "0d-tensor-and-int": lambda T: (T.tensor(0.5), 3),
    "0d-int-tensor-and-float": lambda T: (T.tensor(1), 3.5),
    "0d-tensors": lambda T: (T.tensor(0.5), T.tensor(2)),
    "1d-tensor-and-int": lambda T: (T.tensor([0.5, 1.0]), 3),
}
METHODS = ["clamp_", "clip_", "clamp_min_", "clamp_max_", "clamp", "clip"]


def _outcome(T, dtype, method, bounds):
    t = T.ones(2, dtype=getattr(T, dtype))
    lo, hi = BOUNDS[bounds](T)
    args = (lo, hi) if method in ("clamp_", "clip_", "clamp", "clip") else \
        (lo if lo is not None else hi,)
    try:
        out = getattr(t, method)(*args)
    except Exception as e:  # noqa: BLE001 - the point is to compare what is raised
        return type(e).__name__, str(e)
    return "ok", (str(out.dtype), out.tolist(), t.tolist())


@pytest.mark.parametrize("bounds", list(BOUNDS))
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_clamp_method_overloads(dtype, method, bounds):
    want = _outcome(torch, dtype, method, bounds)
    got = _outcome(mt, dtype, method, bounds)
    assert got[0] == want[0], (got, want)
    if want[0] == "ok":
        assert got[1][1:] == want[1][1:] and got[1][0].split(".")[-1] == want[1][0].split(".")[-1]
    else:
        assert got[1] == want[1]


CALLS = {
    "fn-tensor-int": lambda T, t, v: T.clamp(t, v, 3),
    "fn-float-tensor": lambda T, t, v: T.clamp(t, 0.5, v),
    "fn-clip": lambda T, t, v: T.clip(t, v, 2.5),
    "method-keywords": lambda T, t, v: t.clip(min=v, max=3),
    "method-positional-and-keyword": lambda T, t, v: t.clamp_(v, max=3),
    "method-number-first": lambda T, t, v: t.clamp(3, v),
    "method-keyword-max-first": lambda T, t, v: t.clamp(max=2, min=v),
}


@pytest.mark.parametrize("call", list(CALLS))
def test_clamp_mixed_bounds_type_error(call):
    """The whole message, every line: the parser's list of overloads and why each failed."""
    caught = []
    for T in (torch, mt):
        with pytest.raises(TypeError) as info:
            CALLS[call](T, T.ones(2), T.tensor([0.5, 1.0]))
        caught.append(str(info.value))
    assert caught[1] == caught[0]


def test_clamp_function_keywords_first_line():
    """``torch.clamp(t, min=v, max=3)``: our function cannot tell keywords from positions, so
    its message lists the arguments as positional; the type and the rest of the first line
    are torch's."""
    for T in (torch, mt):
        with pytest.raises(TypeError, match=r"^clip\(\) received an invalid combination of "
                                            r"arguments - got \(Tensor, "):
            T.clip(T.ones(2), min=T.tensor([0.5, 1.0]), max=3)
