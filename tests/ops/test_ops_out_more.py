"""``out=`` of cumprod, index_add and the torch.linalg norms and svdvals, through the
scenarios of test_ops_out.py: empty, right shape, other dtypes, a resize, a non-contiguous
``out``, ``out`` or the input requiring grad (the composite matrix norms then record a copy
into ``out``, as torch does), under grad mode and ``no_grad``."""
import math

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import assert_close
from test_ops_out import SCENARIOS, _run_scenario

OPS = {
    "cumprod": lambda T, x, out: T.cumprod(x, 1, out=out),
    "cumprod_dtype": lambda T, x, out: T.cumprod(x, 0, dtype=T.float64, out=out),
    "cumprod_int": lambda T, x, out: T.cumprod((x * 2).long(), 1, out=out),
    "index_add": lambda T, x, out: T.index_add(x, 0, T.tensor([1, 1]), x * 2, alpha=0.5,
                                               out=out),
    "vector_norm": lambda T, x, out: T.linalg.vector_norm(x, out=out),
    "vector_norm_dim": lambda T, x, out: T.linalg.vector_norm(x, 3, 1, True, out=out),
    "vector_norm_dtype": lambda T, x, out: T.linalg.vector_norm(x, 1, dtype=T.float64,
                                                                out=out),
    "svdvals": lambda T, x, out: T.linalg.svdvals(x, out=out),
    **{f"matrix_norm_{o}": (lambda o: lambda T, x, out: T.linalg.matrix_norm(x, o, out=out))(o)
       for o in ("fro", "nuc", 2, -1, math.inf)},
    "matrix_norm_keepdim": lambda T, x, out: T.linalg.matrix_norm(x[None], "nuc", (1, 2), True,
                                                                  out=out),
    "norm": lambda T, x, out: T.linalg.norm(x, out=out),
    "norm_nuc": lambda T, x, out: T.linalg.norm(x, "nuc", out=out),
    "norm_dim": lambda T, x, out: T.linalg.norm(x, 1, dim=0, out=out),
    "norm_2": lambda T, x, out: T.linalg.norm(x, 2, out=out),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("name", sorted(OPS))
def test_out(name, scenario):
    _run_scenario(name, scenario, ops=OPS)


@pytest.mark.parametrize("grad_mode", [True, False], ids=["grad", "no_grad"])
@pytest.mark.parametrize("name", sorted(OPS))
def test_out_with_input_requiring_grad(name, grad_mode):
    _run_scenario(name, "right_shape", input_grad=True, grad_mode=grad_mode, ops=OPS)


@pytest.mark.parametrize("ord", ["fro", "nuc", 2, -math.inf])
@pytest.mark.parametrize("fn", ["matrix_norm", "norm"])
def test_composite_norm_out_records_a_copy(fn, ord):
    """The gradient flows through ``out`` (CopyBackwards), as in torch."""
    x = np.array([[0.5, -1.5, 2.5], [0.7, 1.2, -3.1]])
    grads, names = [], []
    for T in (torch, mt):
        t = T.tensor(x, requires_grad=True)
        out = T.empty(0, dtype=T.float64)
        r = getattr(T.linalg, fn)(t, ord, out=out)
        assert r is out
        names.append((out.grad_fn.name(), type(out.grad_fn).__name__))
        (out * 3).backward()
        grads.append(t.grad)
    assert names[1] == names[0] == ("torch::autograd::CopyBackwards", "CopyBackwards")
    assert_close(grads[1], grads[0])
