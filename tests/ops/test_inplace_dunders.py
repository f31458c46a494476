"""Augmented assignment on tensors (``x += y``, ``x &= y``, ``x **= y``, ``x <<= y``, ...):
every in-place operator torch's Tensor defines mutates the tensor (same object, same memory,
version counter bumped) with torch's dtype rules and errors; ``@=`` has no in-place form in
torch and rebinds."""
import operator

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS

IN_PLACE = {  # augmented operator -> the in-place operator function Python calls
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow,
    "&=": operator.iand, "|=": operator.ior, "^=": operator.ixor,
    "<<=": operator.ilshift, ">>=": operator.irshift,
}
DTYPES = ["int64", "int32", "uint8", "float32", "float64", "bool"]
OTHERS = {
    "tensor": lambda T, dt: T.tensor([1, 2, 3], dtype=getattr(T, dt)),
    "row": lambda T, dt: T.tensor([[2, 1, 1]], dtype=getattr(T, dt)).expand(2, 3),
    "scalar_int": lambda T, dt: 2,
    "scalar_float": lambda T, dt: 1.5,
    "scalar_bool": lambda T, dt: True,
    "zero_dim": lambda T, dt: T.tensor(3, dtype=getattr(T, dt)),
    "wider": lambda T, dt: T.tensor([[1, 2, 3], [1, 1, 1], [2, 2, 2]], dtype=getattr(T, dt)),
}


def _observe(T, op, dt, other):
    x = T.tensor([[4, 5, 6], [7, 8, 9]], dtype=getattr(T, dt))
    before_id, before_version = id(x), x._version
    view = x[0]
    y = OTHERS[other](T, dt)
    try:
        x = IN_PLACE[op](x, y)
    except Exception as e:  # noqa: BLE001 - the error is the observation
        return ("raised", type(e).__name__, str(e).split("\n")[0])
    return (id(x) == before_id, x._version - before_version, str(x.dtype), x.tolist(),
            view.tolist())


@pytest.mark.parametrize("other", OTHERS)
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("op", IN_PLACE)
def test_augmented_assignment_mutates_in_place_as_torch(op, dt, other):
    ours, theirs = _observe(mt, op, dt, other), _observe(torch, op, dt, other)
    if ours[0] == "raised" or theirs[0] == "raised" or "float" not in ours[2]:
        assert ours == theirs
        return
    # float values within a rounding of torch's (its float32 pow is correctly rounded, NumPy's
    # can be 1 ulp away): the rest exactly
    assert ours[:3] == theirs[:3]
    for a, b in zip(ours[3:], theirs[3:]):
        np.testing.assert_allclose(a, b, rtol=1e-6 if "32" in ours[2] else 1e-14)


def test_every_in_place_dunder_of_torch_exists():
    names = [n for n in dir(torch.Tensor) if n.startswith("__i") and n not in (
        "__init__", "__init_subclass__", "__index__", "__int__", "__invert__", "__iter__")]
    assert set(names) <= set(dir(mt.Tensor)), set(names) - set(dir(mt.Tensor))
    assert not hasattr(torch.Tensor, "__imatmul__") and not hasattr(mt.Tensor, "__imatmul__")


def test_matmul_assignment_rebinds_as_torch():
    for T in LIBS:
        x = T.ones(2, 2)
        y = x
        x @= T.ones(2, 2)
        assert x is not y and y.tolist() == [[1, 1], [1, 1]] and x.tolist() == [[2, 2], [2, 2]]


@pytest.mark.parametrize("op", ["+=", "-=", "*=", "/=", "**="])
def test_in_place_float_ops_record_autograd_as_torch(op):
    grads = {}
    for T in LIBS:
        a = T.tensor([1.5, 2.0, 3.0], requires_grad=True)
        b = T.tensor([0.5, 2.0, 1.5], requires_grad=True)
        x = a * 1.0
        x = IN_PLACE[op](x, b)
        x.sum().backward()
        grads[T] = (x.grad_fn.name(), a.grad.tolist(), b.grad.tolist())
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            IN_PLACE[op](a, b)
    assert grads[mt][0] == grads[torch][0]
    np.testing.assert_allclose(grads[mt][1:], grads[torch][1:], rtol=1e-6)
