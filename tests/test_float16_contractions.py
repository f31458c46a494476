"""float16 matrix products and contractions against torch 2.13: values and every gradient.

torch multiplies float16 matrices with float32 products and sums (alpha, beta and c in float32
too) and rounds each result once; so do we (``_ops/_half.py``, ``half_matmul``). A gradient
summed over broadcast batch dims is one float32 product where torch folds the batch into one
mm, else each batch's product rounded and then summed in float32 (torch's sum_to); addmm's
c (linear's bias) gets the gradient summed in float32; einsum with three or more operands joins
them left to right, each join rounded.

Not bitwise: torch's GEMM sums each output's products in its own fixed order (four
interleaved running sums for row-major operands, one for a transposed first operand), NumPy's
float32 BLAS in a blocked order. Both sums are float32 sums of the same exact products (a
product of two float16 values is exact in float32), so they agree within DESIGN.md's float32
tolerance; rounded to float16 they then agree to one float16 ulp, or, where the sum cancels,
to one float16 ulp of the tensor's largest value, and they differ in about 0.1% of elements.
On main, where NumPy's float16 loops rounded every partial sum, 21-81% of elements differed,
by up to thousands of ulps.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt

H = np.float16
_rng = np.random.default_rng(17)


def R(*shape):
    return _rng.standard_normal(shape).astype(H)


CASES = {
    "mm": ((R(64, 100), R(100, 48)), lambda T, a, b: T.mm(a, b)),
    "mm a.t()": ((R(100, 64), R(100, 48)), lambda T, a, b: T.mm(a.t(), b)),
    "mm b.t()": ((R(64, 100), R(48, 100)), lambda T, a, b: T.mm(a, b.t())),
    "matmul 3-D @ 2-D": ((R(4, 16, 33), R(33, 20)), lambda T, a, b: T.matmul(a, b)),
    "matmul 2-D @ 3-D": ((R(16, 33), R(4, 33, 20)), lambda T, a, b: T.matmul(a, b)),
    "matmul 1-D @ 3-D": ((R(33), R(4, 33, 20)), lambda T, a, b: T.matmul(a, b)),
    "matmul 3-D @ 1-D": ((R(4, 16, 33), R(33)), lambda T, a, b: T.matmul(a, b)),
    "matmul batch 1 @ 3": ((R(1, 16, 33), R(3, 33, 20)), lambda T, a, b: T.matmul(a, b)),
    "matmul batch 1,1 @ 2,3": ((R(1, 1, 16, 33), R(2, 3, 33, 20)),
                               lambda T, a, b: T.matmul(a, b)),
    "matmul batch 4,1 @ 3": ((R(4, 1, 16, 33), R(3, 33, 20)), lambda T, a, b: T.matmul(a, b)),
    "matmul batch 2,4 @ 4": ((R(2, 4, 16, 33), R(4, 33, 20)), lambda T, a, b: T.matmul(a, b)),
    "bmm": ((R(4, 16, 33), R(4, 33, 20)), lambda T, a, b: T.bmm(a, b)),
    "bmm small": ((R(3, 5, 7), R(3, 7, 6)), lambda T, a, b: T.bmm(a, b)),
    "mv": ((R(64, 100), R(100)), lambda T, a, b: T.mv(a, b)),
    "dot": ((R(1000), R(1000)), lambda T, a, b: T.dot(a, b)),
    "vdot": ((R(300), R(300)), lambda T, a, b: T.vdot(a, b)),
    "vector @ matrix": ((R(100), R(100, 30)), lambda T, a, b: T.matmul(a, b)),
    "inner": ((R(20, 30), R(10, 30)), lambda T, a, b: T.inner(a, b)),
    "outer": ((R(30), R(40)), lambda T, a, b: T.outer(a, b)),
    "addmm": ((R(48), R(64, 100), R(100, 48)), lambda T, c, a, b: T.addmm(c, a, b)),
    "addmm alpha beta": ((R(64, 48), R(64, 100), R(100, 48)),
                         lambda T, c, a, b: T.addmm(c, a, b, beta=0.5, alpha=0.3)),
    "addmm beta 0": ((R(64, 48), R(64, 100), R(100, 48)),
                     lambda T, c, a, b: T.addmm(c, a, b, beta=0)),
    "addmv": ((R(64), R(64, 100), R(100)), lambda T, c, a, b: T.addmv(c, a, b)),
    "addmv c (1,) alpha": ((R(1), R(64, 100), R(100)),
                           lambda T, c, a, b: T.addmv(c, a, b, alpha=0.7)),
    "addr": ((R(30, 40), R(30), R(40)), lambda T, c, a, b: T.addr(c, a, b)),
    "baddbmm": ((R(16, 20), R(4, 16, 33), R(4, 33, 20)),
                lambda T, c, a, b: T.baddbmm(c, a, b)),
    "addbmm": ((R(16, 20), R(4, 16, 33), R(4, 33, 20)), lambda T, c, a, b: T.addbmm(c, a, b)),
    "addbmm alpha beta": ((R(20), R(4, 16, 33), R(4, 33, 20)),
                          lambda T, c, a, b: T.addbmm(c, a, b, beta=2, alpha=0.5)),
    "linear": ((R(64, 100), R(48, 100), R(48)),
               lambda T, x, w, b: T.nn.functional.linear(x, w, b)),
    "linear 3-D": ((R(4, 16, 100), R(48, 100), R(48)),
                   lambda T, x, w, b: T.nn.functional.linear(x, w, b)),
    "linear no bias": ((R(64, 100), R(48, 100)), lambda T, x, w: T.nn.functional.linear(x, w)),
    "einsum bij,bjk": ((R(8, 30, 40), R(8, 40, 20)),
                       lambda T, a, b: T.einsum("bij,bjk->bik", a, b)),
    "einsum ij,ij->": ((R(30, 40), R(30, 40)), lambda T, a, b: T.einsum("ij,ij->", a, b)),
    "einsum ij->j": ((R(300, 40),), lambda T, a: T.einsum("ij->j", a)),
    "einsum ij,jk,kl": ((R(30, 40), R(40, 50), R(50, 20)),
                        lambda T, a, b, c: T.einsum("ij,jk,kl->il", a, b, c)),
    "einsum ij,jk,k->i": ((R(30, 40), R(40, 50), R(50)),
                          lambda T, a, b, c: T.einsum("ij,jk,k->i", a, b, c)),
    "tensordot": ((R(5, 6, 30), R(6, 30, 7)), lambda T, a, b: T.tensordot(a, b, dims=2)),
    "multi_dot": ((R(20, 30), R(30, 10), R(10, 40)),
                  lambda T, a, b, c: T.linalg.multi_dot([a, b, c])),
}


def _run(T, args, fn):
    ts = [T.tensor(x, requires_grad=True) for x in args]
    out = fn(T, *ts)
    g = np.random.default_rng(3).standard_normal(out.shape).astype(H)
    out.backward(T.tensor(g))
    return [out.detach()] + [t.grad for t in ts]


@pytest.mark.parametrize("name", list(CASES))
def test_contraction(name):
    args, fn = CASES[name]
    ours, theirs = _run(mt, args, fn), _run(torch, args, fn)
    for what, a, b in zip(["value"] + [f"grad {i}" for i in range(len(args))], ours, theirs):
        a, b = a.numpy(), b.numpy()
        assert a.dtype == b.dtype == H and a.shape == b.shape, f"{name} {what}"
        diff = np.abs(a.astype(np.float32) - b.astype(np.float32))
        ulp = np.maximum(np.spacing(np.abs(b)), np.spacing(np.abs(b).max()))
        assert np.all(diff <= ulp), f"{name} {what}: {diff.max()} beyond one ulp"
        assert np.mean(a.view(np.uint16) != b.view(np.uint16)) <= 0.01, f"{name} {what}"
