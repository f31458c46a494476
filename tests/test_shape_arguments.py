"""Size and dim arguments of expand, repeat, permute and the shape ops that take a list of sizes
or dims (expand_as, broadcast_to, tile, movedim/moveaxis, flip, unflatten), as Tensor methods
and torch functions, over a grid of argument forms: ints as varargs or one tuple/list/Size,
keywords, -1 and other negatives, wrong counts, repeated and out-of-range dims, floats, bools,
None, NumPy ints, 0-d and 1-element tensors, and mixes of these. Same result, or the same
exception type and message (torch's C++ path prefix and stack trace left out)."""
from __future__ import annotations

import pytest
import torch

import minitorch_ref as mt
from harness import eval_outcome

# entries of a size list: each form is put in every position of an otherwise valid list
ENTRIES = ["2", "-1", "-2", "0", "2.0", "1.5", "True", "False", "None", "np.int64(2)",
           "T.tensor(2)", "T.tensor(2.)", "T.tensor([2])", "T.tensor(True)", "'a'", "2**63",
           "-2**63"]

# (call template, t's shape, a valid list of sizes/dims for that t)
SIZE_CALLS = {
    "expand": ("t.expand({a})", (1, 3), ("2", "3")),
    "expand_lead": ("t.expand({a})", (1, 3), ("4", "2", "3")),
    "repeat": ("t.repeat({a})", (2, 3), ("2", "1")),
    "repeat_lead": ("t.repeat({a})", (2, 3), ("2", "1", "2")),
    "permute": ("t.permute({a})", (2, 3), ("1", "0")),
    "permute_fn": ("T.permute(t, {a})", (2, 3), ("1", "0")),
    "tile": ("t.tile({a})", (2, 3), ("2", "1")),
    "tile_fn": ("T.tile(t, {a})", (2, 3), ("2", "1")),
    "flip": ("t.flip({a})", (2, 3), ("0", "1")),
    "flip_fn": ("T.flip(t, {a})", (2, 3), ("0", "1")),
    "broadcast_to": ("t.broadcast_to({a})", (1, 3), ("2", "3")),
    "broadcast_to_fn": ("T.broadcast_to(t, {a})", (1, 3), ("2", "3")),
}

# ways of passing a list (``{0}``: the entries joined by ", ")
FORMS = {"varargs": "{0}", "tuple": "({0},)", "list": "[{0}]", "size": "T.Size([{0}])"}


def _summary(r):
    if isinstance(r, tuple):
        return tuple(_summary(x) for x in r)
    return tuple(r.shape), str(r.dtype).split(".")[-1], r.tolist()


def _outcome(T, code, shape):
    t = T.arange(float(torch.Size(shape).numel())).reshape(shape)
    return eval_outcome(T, code, _summary, t=t, o=T.zeros(2, 3))


def _size_cases():
    for call, (template, shape, valid) in SIZE_CALLS.items():
        for form, fmt in FORMS.items():
            if form == "size" and not template.startswith(("t.expand", "t.repeat", "t.tile",
                                                           "T.tile", "t.broadcast", "T.broad")):
                continue
            yield call, form, "valid", template.format(a=fmt.format(", ".join(valid))), shape
            for i in range(len(valid)):
                for e in ENTRIES:
                    args = list(valid)
                    args[i] = e
                    if form == "size" and e in ("None", "'a'", "1.5", "2.0", "T.tensor(2.)",
                                                "True", "False", "T.tensor(True)"):
                        continue  # (torch.Size refuses these, or makes ints of them)
                    yield (call, form, f"{i}={e}", template.format(a=fmt.format(", ".join(args))),
                           shape)


SIZE_CASES = list(_size_cases())


@pytest.mark.parametrize("call,form,entry,code,shape", SIZE_CASES,
                         ids=[f"{c}-{f}-{e}" for c, f, e, _, _ in SIZE_CASES])
def test_size_entries(call, form, entry, code, shape):
    assert _outcome(mt, code, shape) == _outcome(torch, code, shape)


# whole-argument forms: counts, keywords, mixes, non-sequences
WHOLE = [
    ("t.expand()", (1, 3)), ("t.expand(())", (1, 3)), ("t.expand(3)", (1, 3)),
    ("t.expand(5, 3)", (1, 3)), ("t.expand(2, 4)", (1, 3)), ("t.expand(-1, -1)", (1, 3)),
    ("t.expand(-1, 2, 3)", (1, 3)), ("t.expand(0, 3)", (1, 3)), ("t.expand(2, 0)", (1, 3)),
    ("t.expand(size=(2, 3))", (1, 3)), ("t.expand(size=[2, 3])", (1, 3)),
    ("t.expand(size=2)", (1, 3)), ("t.expand(2, 3, implicit=True)", (1, 3)),
    ("t.expand((2, 3), implicit=False)", (1, 3)), ("t.expand((2, 3), 1)", (1, 3)),
    ("t.expand((2, 3), (3,))", (1, 3)), ("t.expand(2, (3,))", (1, 3)),
    ("t.expand(2, 3, size=(2, 3))", (1, 3)), ("t.expand(sizes=(2, 3))", (1, 3)),
    ("t.expand(None)", (1, 3)), ("t.expand(1.5)", (1, 3)), ("t.expand('ab')", (1, 3)),
    ("t.expand(T.tensor([2, 3]))", (1, 3)), ("t.expand(T.tensor(3))", (1, 3)),
    ("t.expand({2, 3})", (1, 3)), ("t.expand(range(2, 4))", (1, 3)),
    ("t.expand(np.array([2, 3]))", (1, 3)), ("t.expand(((2, 3),))", (1, 3)),
    ("t.expand(5, 4)", (2, 3)), ("t.expand(-2, 3)", (1, 3)), ("t.expand(-2, -3)", (1, 1)),
    ("t.expand(-1, -1)", (2, 3)), ("t.expand(-2, 2, 3)", (2, 3)), ("t.expand(-1, 2, 3)", (2, 3)),
    ("t.expand(-2)", ()), ("t.expand(-2**63, 5, 3)", (2, 3)), ("t.expand(2, 3, 1)", (2, 3)),
    ("t.expand(2, 3, implicit=1)", (2, 3)), ("t.expand(2, 3, x=1)", (2, 3)),
    ("t.expand([])", ()), ("t.expand(2)", ()), ("t.expand(-1)", ()), ("t.expand(-1)", (3,)),
    ("t.expand_as(o)", (1, 3)), ("t.expand_as(o.T)", (1, 3)), ("t.expand_as((2, 3))", (1, 3)),
    ("t.expand_as(other=o)", (1, 3)), ("t.expand_as()", (1, 3)), ("t.expand_as(None)", (1, 3)),
    ("T.broadcast_to(t, size=(2, 3))", (1, 3)), ("T.broadcast_to(t, 3)", (1, 3)),
    ("T.broadcast_to(t, (-1, 3))", (1, 3)), ("T.broadcast_to(t, (-1, -1))", (1, 3)),
    ("T.broadcast_to(t, (2, 2))", (1, 3)), ("T.broadcast_to(t)", (1, 3)),
    ("T.broadcast_to(t, 2, 3)", (1, 3)), ("T.broadcast_to(t, None)", (1, 3)),
    ("T.broadcast_to((2, 3), (2, 3))", (1, 3)), ("t.broadcast_to(size=(2, 3))", (1, 3)),
    ("t.broadcast_to(2, 3)", (1, 3)),
    ("t.repeat()", (2, 3)), ("t.repeat(())", (2, 3)), ("t.repeat(2)", (2, 3)),
    ("t.repeat(2)", ()), ("t.repeat(())", ()), ("t.repeat(-1, 2)", (2, 3)),
    ("t.repeat(-1, 2)", (0, 3)), ("t.repeat(0, 2)", (2, 3)), ("t.repeat(repeats=(2, 2))", (2, 3)),
    ("t.repeat(sizes=(2, 2))", (2, 3)), ("t.repeat((2, 2), 1)", (2, 3)),
    ("t.repeat(2, 2, repeats=(2, 2))", (2, 3)), ("t.repeat(None)", (2, 3)),
    ("t.repeat(T.tensor([2, 2]))", (2, 3)), ("t.repeat(1.5)", (2, 3)),
    ("t.repeat(np.array([2, 2]))", (2, 3)),
    ("t.tile()", (2, 3)), ("t.tile(())", (2, 3)), ("t.tile(2)", (2, 3)), ("T.tile(t, 2)", (2, 3)),
    ("T.tile(t)", (2, 3)), ("T.tile(t, dims=(2,))", (2, 3)), ("t.tile(dims=(2,))", (2, 3)),
    ("T.tile(t, (-1,))", (2, 3)), ("T.tile(t, (2, 2, 2))", (2, 3)), ("T.tile(t, None)", (2, 3)),
    ("T.tile(t, 1.5)", (2, 3)), ("T.tile((2, 3), (2,))", (2, 3)), ("T.tile(t, ())", ()),
    ("t.permute()", (2, 3)), ("t.permute(())", (2, 3)), ("t.permute(())", ()),
    ("t.permute(0)", (2, 3)), ("t.permute(0, 1, 2)", (2, 3)), ("t.permute(0, 0)", (2, 3)),
    ("t.permute(1, -1)", (2, 3)), ("t.permute(2, 0)", (2, 3)), ("t.permute(-3, 0)", (2, 3)),
    ("t.permute(dims=(1, 0))", (2, 3)), ("t.permute(dims=[1, 0])", (2, 3)),
    ("t.permute(dims=1)", (2, 3)), ("t.permute(1, dims=(1, 0))", (2, 3)),
    ("t.permute((1, 0), 1)", (2, 3)), ("t.permute(None)", (2, 3)), ("t.permute(1.5)", (2, 3)),
    ("t.permute(T.tensor([1, 0]))", (2, 3)), ("t.permute(np.array([1, 0]))", (2, 3)),
    ("t.permute(0)", (3,)), ("t.permute(-1)", (3,)), ("t.permute(1)", (3,)),
    ("t.permute(0)", ()), ("t.permute(-1)", ()), ("t.permute(2, 0, 1)", (2, 3, 4)),
    ("t.permute(size=(1, 0))", (2, 3)),
    ("T.permute(t)", (2, 3)), ("T.permute(t, 1, 0)", (2, 3)), ("T.permute(t, dims=(1, 0))", (2, 3)),
    ("T.permute(input=t, dims=(1, 0))", (2, 3)), ("T.permute((2, 3), (1, 0))", (2, 3)),
    ("T.permute(t, 1)", (2, 3)), ("T.permute(t, None)", (2, 3)), ("T.permute(t, ())", ()),
    ("t.flip()", (2, 3)), ("t.flip(())", (2, 3)), ("t.flip(0, 0)", (2, 3)),
    ("t.flip(0, -2)", (2, 3)), ("t.flip(2)", (2, 3)), ("t.flip(-3)", (2, 3)),
    ("t.flip(dims=(0,))", (2, 3)), ("t.flip(dims=0)", (2, 3)), ("t.flip(0, dims=(0,))", (2, 3)),
    ("t.flip(None)", (2, 3)), ("t.flip(0)", ()), ("t.flip(-1)", ()), ("t.flip(1)", ()),
    ("t.flip(())", ()), ("T.flip(t)", (2, 3)), ("T.flip(t, 0, 1)", (2, 3)),
    ("T.flip(t, 0)", (2, 3)), ("T.flip(t, dims=[0])", (2, 3)), ("T.flip((2, 3), (0,))", (2, 3)),
    ("T.fliplr(t)", (2, 3)), ("T.flipud(t)", (2, 3)), ("T.fliplr(t)", (3,)),
    ("T.flipud(t)", ()), ("t.fliplr()", (2, 3)), ("t.flipud()", (2, 3)),
]

# movedim/moveaxis: (source, destination) pairs on a (2, 3, 4) tensor
MOVES = ["0, 1", "0, -1", "-1, 0", "(0, 1), (1, 0)", "[0, 1], [2, 0]", "(0,), (2,)", "0, (1,)",
         "(0,), 1", "(0, 1), (1,)", "(0, 0), (1, 2)", "(0, 1), (2, 2)", "3, 0", "0, -4",
         "(), ()", "1.5, 0", "0, 1.0", "True, 0", "None, 0", "T.tensor(0), 1",
         "(T.tensor(0),), (1,)", "(0, 1.0), (1, 0)", "np.int64(0), 1", "source=0, destination=1",
         "0, destination=2", "source=(0, 1), destination=(2, 0)", "0", "0, 1, 2", "'a', 0",
         "T.Size([0, 1]), (1, 0)", "(0, -3), (1, 2)"]

MOVE_CASES = [(f"{call}{a})", (2, 3, 4)) for a in MOVES
              for call in ("t.movedim(", "T.movedim(t, ", "t.moveaxis(", "T.moveaxis(t, ")] + [
    ("T.movedim(t, 0, 1)", (0, 2)), ("t.movedim(0, 0)", ()), ("t.movedim(-1, 0)", ()),
    ("t.movedim(1, 0)", ())]

# unflatten: (dim, sizes) on a (2, 6) tensor
UNFLATTENS = ["1, (2, 3)", "1, [2, 3]", "1, T.Size([2, 3])", "-1, (3, -1)", "1, (-1, -1)",
              "1, (4, -1)", "1, (2, 2)", "1, (0, -1)", "1, (6,)", "1, ()", "1, 6", "1, None",
              "1, (2.0, 3)", "1, (2, 3.0)", "1, (True, 6)", "1, (T.tensor(2), 3)",
              "1, (2, -2)", "1, (-3, -2)", "2, (2, 3)", "-3, (2, 3)", "1.0, (2, 3)",
              "None, (2, 3)", "dim=1, sizes=(2, 3)", "1, sizes=(2, 3)", "1, (2, 3), 1",
              "1", "'a', (2, 3)", "1, (np.int64(2), 3)", "1, (2, None)", "1, 2, 3"]

UNFLATTEN_CASES = [(f"t.unflatten({a})", (2, 6)) for a in UNFLATTENS] + \
    [(f"T.unflatten(t, {a})", (2, 6)) for a in UNFLATTENS] + \
    [("t.unflatten(0, (1, -1))", ()), ("t.unflatten(0, (1, 1))", (1,))]

WHOLE_CASES = WHOLE + MOVE_CASES + UNFLATTEN_CASES


@pytest.mark.parametrize("code,shape", WHOLE_CASES, ids=[f"{c}@{s}" for c, s in WHOLE_CASES])
def test_whole_arguments(code, shape):
    assert _outcome(mt, code, shape) == _outcome(torch, code, shape)
