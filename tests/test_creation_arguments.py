"""Creation functions' argument checks against torch: ``dtype=`` with values each dtype cannot
hold or kernels it lacks (linspace/logspace/eye/arange/full and the samplers), arange's
fractional steps with an integer dtype, a size given both positionally and as ``size=``,
``torch.reshape``'s argument forms, ``out=`` with ``requires_grad`` (torch sets it on ``out``
after the write, so an integer ``out`` is refused), and ``torch.empty_strided``. Same result
(for uninitialised or random values: shape, strides, dtype, requires_grad), or the same
exception type and message."""
from __future__ import annotations

import pytest
import torch

import minitorch_ref as mt
from harness import eval_outcome

DTYPES = ["T.int64", "T.int32", "T.int16", "T.int8", "T.uint8", "T.bool", "T.float16",
          "T.float64"]

DTYPE_CALLS = ["T.linspace(0, 1, 5, dtype={d})", "T.linspace(-2, 300, 4, dtype={d})",
               "T.logspace(0, 1, 5, dtype={d})", "T.eye(3, dtype={d})", "T.eye(2, 3, dtype={d})",
               "T.arange(5, dtype={d})", "T.arange(0, 1, 0.25, dtype={d})",
               "T.arange(0, -1, -0.3, dtype={d})", "T.arange(0.5, 4, 0.9, dtype={d})",
               "T.arange(0, 3, 1.5, dtype={d})", "T.arange(2.5, -1, -0.5, dtype={d})",
               "T.full((2,), 1.5, dtype={d})", "T.full((2,), True, dtype={d})",
               "T.full((2,), 300, dtype={d})", "T.rand(2, dtype={d})", "T.randn(2, dtype={d})",
               "T.randint(0, 5, (2,), dtype={d})", "T.randperm(3, dtype={d})",
               "T.rand(2, dtype={d}, requires_grad=True)",
               "T.linspace(0, 1, 3, dtype={d}, requires_grad=True)",
               "T.arange(3, dtype={d}, requires_grad=True)",
               "T.full((2,), 1, dtype={d}, requires_grad=True)",
               "T.eye(2, dtype={d}, requires_grad=True)"]

SIZE_CALLS = ["T.rand(2, size=(2,))", "T.randn(2, size=(2,))", "T.rand(2, 3, size=(2,))",
              "T.rand((2,), size=(2,))", "T.randn(2, size=(2,), dtype=T.float64)",
              "T.rand(2, 3, size=(2,), out=T.zeros(2))", "T.rand(size=(2,))",
              "T.zeros(2, size=(2,))", "T.ones((2,), size=(2,))", "T.empty(2, size=(2,))",
              "T.reshape(t, 1.5)", "T.reshape(t, (1.5,))", "T.reshape(t, [2.0, 3])",
              "T.reshape(t, 6)", "T.reshape(t, 2, 3)", "T.reshape(t)", "T.reshape(t, None)",
              "T.reshape(t, shape=(3, 2))", "T.reshape(t, (2**63,))", "T.reshape(t, [3, -1])",
              "T.reshape(1, (1,))", "T.reshape(t, T.Size([6]))", "T.reshape(t, (T.tensor(6),))",
              "T.reshape(t, (T.tensor(True), 6))"]

OUTS = {"float": "T.zeros(3)", "int": "T.zeros(3, dtype=T.int64)",
        "grad": "T.zeros(3, requires_grad=True)", "double": "T.zeros(2, dtype=T.float64)"}
OUT_CALLS = ["T.zeros(3, out={o}, requires_grad={g})", "T.ones(3, out={o}, requires_grad={g})",
             "T.empty(3, out={o}, requires_grad={g})",
             "T.full((3,), 1., out={o}, requires_grad={g})",
             "T.arange(3, out={o}, requires_grad={g})",
             "T.linspace(0, 1, 3, out={o}, requires_grad={g})",
             "T.logspace(0, 1, 3, out={o}, requires_grad={g})",
             "T.eye(3, 1, out={o}, requires_grad={g})",
             "T.rand(3, out={o}, requires_grad={g})", "T.randn(3, out={o}, requires_grad={g})",
             "T.randint(5, (3,), out={o}, requires_grad={g})",
             "T.randperm(3, out={o}, requires_grad={g})"]

STRIDED = ["(2, 3), (3, 1)", "(2, 3), (1, 2)", "[2, 3], [0, 0]", "(2, 3), (3,)",
           "(2, -3), (3, 1)", "(2, 3), (-3, 1)", "(2, 3), (3, 1), dtype=T.int64",
           "(2, 3), (3, 1), requires_grad=True", "(2, 3), (3, 1), dtype=T.int64, requires_grad=True",
           "(2, 3)", "", "(2, 3), (3, 1.5)", "(2, 3.), (3, 1)", "(1.5, 3), (3, 1)", "2, (3,)",
           "(2,), 3", "(0, 3), (3, 1)", "(), ()", "(2, 3), (3, 1), dtype='float'",
           "(2, 3), (3, 1), out=T.zeros(2)", "size=(2, 3), stride=(3, 1)", "(2**62, 4), (1, 1)",
           "(2, 3), (3, 1), 1", "T.Size([4, 2]), (1, 4)", "(2, 3), (T.tensor(3), 1)",
           "(2, 3), (3, 2**63)", "(2, 3), (3, 1), dtype=T.float16"]


def _summary(r):
    """The result where its values are not compared (random or uninitialised)."""
    return tuple(r.shape), r.stride(), str(r.dtype), r.requires_grad


def _values(r):
    return tuple(r.shape), r.stride(), str(r.dtype), r.requires_grad, r.tolist()


def _outcome(T, code, values=True):
    t = T.arange(6.)
    return eval_outcome(T, code, _values if values else _summary, t=t)


def _random(code: str) -> bool:
    return any(k in code for k in ("rand", "empty"))


CASES = ([c.format(d=d) for c in DTYPE_CALLS for d in DTYPES] + SIZE_CALLS +
         [c.format(o=o, g=g) for c in OUT_CALLS for o in OUTS.values() for g in (True, False)] +
         [f"T.empty_strided({a})" for a in STRIDED])


@pytest.mark.parametrize("code", CASES)
def test_creation_arguments(code):
    values = not _random(code)
    assert _outcome(mt, code, values) == _outcome(torch, code, values)


@pytest.mark.parametrize("out", list(OUTS))
@pytest.mark.parametrize("call", OUT_CALLS)
def test_out_requires_grad_sets_out(call, out):
    """``requires_grad=True`` with ``out``: the result is ``out``, and ``out`` now requires grad."""
    def run(T):
        o = eval(OUTS[out], {"T": T})  # noqa: S307 - the tests' own table
        try:
            r = eval(call.format(o="o", g=True), {"T": T, "o": o})  # noqa: S307
        except RuntimeError as e:
            return str(e), o.requires_grad
        return r is o, o.requires_grad, o.is_leaf
    assert run(mt) == run(torch)


@pytest.mark.parametrize("code", ["t.new_empty_strided()", "t.new_empty_strided((2, 3))",
                                  "t.new_empty_strided((2, 3), (1, 2))",
                                  "t.new_empty_strided((2, 3), (3, 1.5))",
                                  "t.new_empty_strided((2, 3), 3)",
                                  "t.new_empty_strided((2**62, 4), (1, 1))"])
def test_new_empty_strided(code):
    assert _outcome(mt, code, False) == _outcome(torch, code, False)
