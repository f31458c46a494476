"""The graphs of two- and three-input ops' derivatives against torch's: for the first, second
and third derivative (each taken with create_graph=True, float64), every node below each
gradient, walked through ``grad_fn.next_functions`` with its edges in order; for the gradient of
the sum and for an incoming gradient that itself requires grad.

Deep in these graphs a node's incoming gradients are summed in the order their producers ran
(AddBackward0's operands), which follows the order the backward creates them: torch's generated
backwards compute their inputs' gradients in the order of the arguments' names (other before
self, mat2 before mat1), and its C++ formulas evaluate an operator's right operand first."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import derivative_trees


def _walk(T, fn, inputs, upstream, orders=3):
    y = fn(T, *inputs)
    if upstream:
        v = T.tensor(np.linspace(0.5, 1.5, y.numel()).reshape(tuple(y.shape)),
                     dtype=y.dtype, requires_grad=True)
        wrt = tuple(inputs) + (v,)
        grads = T.autograd.grad(y, inputs, v, create_graph=True, allow_unused=True)
    else:
        wrt = tuple(inputs)
        grads = T.autograd.grad(y.sum(), inputs, create_graph=True, allow_unused=True)
    return derivative_trees(T, grads, wrt, orders)


def _t(T, values, shape):
    return T.tensor(np.asarray(values, dtype=np.float64).reshape(shape), requires_grad=True)


A = [0.7, 1.3, 2.1, 0.4, 1.9, 2.6]
B = [1.1, 0.6, 1.7, 2.3, 0.9, 1.4]
C = [0.3, 0.8, 0.5, 0.2, 0.9, 0.6]
M23 = [0.5, -1.2, 0.8, 1.5, -0.3, 0.9]
M34 = list(np.linspace(-1.0, 1.3, 12))


def _pw(n):
    """n pointwise float64 inputs of shape (2, 3) (positive, no ties)."""
    vals = (A, B, C)
    return lambda T: [_t(T, vals[i], (2, 3)) for i in range(n)]


def _shapes(*specs):
    return lambda T: [_t(T, np.linspace(-1.0 + 0.1 * i, 1.5 - 0.07 * i, int(np.prod(s))), s)
                      for i, s in enumerate(specs)]


def torch_or(name):
    """``T.<name>(a, b)``."""
    return lambda T, a, b: getattr(T, name)(a, b)


CASES = {
    "add": (lambda T, a, b: a + b, _pw(2)),
    "add alpha": (lambda T, a, b: T.add(a, b, alpha=2.0), _pw(2)),
    "sub": (lambda T, a, b: a - b, _pw(2)),
    "sub alpha": (lambda T, a, b: T.sub(a, b, alpha=2.0), _pw(2)),
    "rsub": (lambda T, a, b: T.rsub(a, b), _pw(2)),
    "mul": (lambda T, a, b: a * b, _pw(2)),
    "div": (lambda T, a, b: a / b, _pw(2)),
    "div floor-free x*y/z": (lambda T, a, b, c: a * b / c, _pw(3)),
    "pow": (lambda T, a, b: a ** b, _pw(2)),
    "pow self*": (lambda T, a, b: (a * b) ** b, _pw(2)),
    "atan2": (lambda T, a, b: T.atan2(a, b), _pw(2)),
    "hypot": (lambda T, a, b: T.hypot(a, b), _pw(2)),
    "fmod": (lambda T, a, b: T.fmod(a, b), _pw(2)),
    "remainder": (lambda T, a, b: T.remainder(a, b), _pw(2)),
    "maximum": (lambda T, a, b: T.maximum(a, b), _pw(2)),
    "minimum": (lambda T, a, b: T.minimum(a, b), _pw(2)),
    "fmax": (lambda T, a, b: T.fmax(a, b), _pw(2)),
    "fmin": (lambda T, a, b: T.fmin(a, b), _pw(2)),
    "maximum squared": (lambda T, a, b: T.maximum(a * a, b * b), _pw(2)),
    "lerp": (lambda T, a, b, c: T.lerp(a, b, c), _pw(3)),
    "lerp scalar": (lambda T, a, b: T.lerp(a, b, 0.3), _pw(2)),
    "xlogy": (lambda T, a, b: T.xlogy(a, b), _pw(2)),
    "xlog1py": (lambda T, a, b: T.special.xlog1py(a, b), _pw(2)),
    "copysign": (lambda T, a, b: T.copysign(a, b), _pw(2)),
    "addcmul": (lambda T, a, b, c: T.addcmul(a, b, c, value=0.5), _pw(3)),
    "addcdiv": (lambda T, a, b, c: T.addcdiv(a, b, c, value=0.5), _pw(3)),
    "where": (lambda T, a, b: T.where(a > 1.0, a * b, b * b), _pw(2)),
    "mm": (lambda T, a, b: T.mm(a, b), _shapes((2, 3), (3, 4))),
    "mm squared": (lambda T, a, b: T.mm(a * a, b * b), _shapes((2, 3), (3, 4))),
    "matmul 2d": (lambda T, a, b: a @ b, _shapes((2, 3), (3, 4))),
    "matmul 3d": (lambda T, a, b: a @ b, _shapes((2, 2, 3), (3, 4))),
    "bmm": (lambda T, a, b: T.bmm(a, b), _shapes((2, 2, 3), (2, 3, 4))),
    "mv": (lambda T, a, b: T.mv(a, b), _shapes((2, 3), (3,))),
    "dot": (lambda T, a, b: T.dot(a, b), _shapes((3,), (3,))),
    "dot squared": (lambda T, a, b: T.dot(a * a, b * b), _shapes((3,), (3,))),
    "outer": (lambda T, a, b: T.outer(a, b), _shapes((2,), (3,))),
    "addmm": (lambda T, c, a, b: T.addmm(c, a, b, beta=0.5, alpha=2.0),
              _shapes((2, 4), (2, 3), (3, 4))),
    "addmm plain": (lambda T, c, a, b: T.addmm(c, a, b), _shapes((2, 4), (2, 3), (3, 4))),
    "addmv": (lambda T, c, a, b: T.addmv(c, a, b, beta=0.5, alpha=2.0),
              _shapes((2,), (2, 3), (3,))),
    "addr": (lambda T, c, a, b: T.addr(c, a, b, beta=0.5, alpha=2.0),
             _shapes((2, 3), (2,), (3,))),
    "baddbmm": (lambda T, c, a, b: T.baddbmm(c, a, b, beta=0.5, alpha=2.0),
                _shapes((2, 2, 4), (2, 2, 3), (2, 3, 4))),
    "addbmm": (lambda T, c, a, b: T.addbmm(c, a, b, beta=0.5, alpha=2.0),
               _shapes((2, 4), (2, 2, 3), (2, 3, 4))),
    "linear": (lambda T, x, w, b: T.nn.functional.linear(x, w, b),
               _shapes((2, 3), (4, 3), (4,))),
}


# both operands reading one leaf: its gradients meet in an AddBackward0, in creation order
SHARED = {
    "add": lambda T, a, b: a + b, "sub": lambda T, a, b: a - b, "mul": lambda T, a, b: a * b,
    "div": lambda T, a, b: a / b, "pow": lambda T, a, b: a ** b, "atan2": torch_or("atan2"),
    "hypot": torch_or("hypot"), "fmod": torch_or("fmod"), "remainder": torch_or("remainder"),
    "maximum": torch_or("maximum"), "minimum": torch_or("minimum"), "fmax": torch_or("fmax"),
    "fmin": torch_or("fmin"), "xlogy": torch_or("xlogy"), "copysign": torch_or("copysign"),
    "lerp": lambda T, a, b: T.lerp(a, b, a), "addcmul": lambda T, a, b: T.addcmul(a, b, a),
    "addcdiv": lambda T, a, b: T.addcdiv(b, a, b, value=0.5),
    "mm": lambda T, a, b: T.mm(a.reshape(2, 3), b.reshape(3, 2)),
    "bmm": lambda T, a, b: T.bmm(a.reshape(1, 2, 3), b.reshape(1, 3, 2)),
    "dot": lambda T, a, b: T.dot(a.reshape(6), b.reshape(6)),
    "addmm": lambda T, a, b: T.addmm(a[:, :2], a, b.reshape(3, 2), beta=0.5),
}
for _name, _op in SHARED.items():
    CASES[f"{_name} shared"] = (lambda op: lambda T, a, b: op(T, a, a * b + 0.1))(_op), _pw(2)


# differing for reasons other than creation order
PENDING = {
    # torch's weight gradient grad * (end - self) subtracts in the backward; ours reads the
    # forward's saved difference, so the subtraction's node sits elsewhere in higher graphs
    "lerp shared": "lerp.Tensor's end - self: saved from the forward, not computed in backward",
    # torch's ViewBackward0 under create_graph reshapes a non-viewable gradient through
    # _reshape_alias (ReshapeAliasBackward0) where ours records a view
    "bmm shared": "a reshape's backward: torch ReshapeAliasBackward0, ours ViewBackward0",
}


@pytest.mark.parametrize("walk", ["ones", "upstream"])
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(
    reason=PENDING[n], strict=True)) if n in PENDING else n for n in CASES])
def test_binary_op_chains(name, walk):
    fn, make = CASES[name]
    ours, theirs = [_walk(T, fn, make(T), walk == "upstream") for T in (mt, torch)]
    for order, (a, b) in enumerate(zip(ours, theirs)):
        assert a == b, f"derivative {order + 1}"
    assert len(ours) == len(theirs)
