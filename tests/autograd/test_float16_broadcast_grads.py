"""float16 gradients that the autograd engine combines, against torch 2.13, bit for bit.

What torch does, measured: the gradient of a broadcast input is ``sum_to`` of the output's
gradient, one ``sum`` over all the broadcast dims, accumulated in float32 and rounded to float16
once (NumPy's float16 sum over a leading dim rounds after every row: most bias gradients
differed). Over leading dims torch's CPU kernel adds in a fixed order (``cascade_sum``: blocks
of 16 rows, and for the columns past the last whole vector of 32, four interleaved row sets),
which ``engine._sum_rows_f16`` follows; ``test_leading_sum_order`` checks the float32 sums
themselves on values spread over 2**-14..2**14, where a plain float32 sum differs. Several
gradients of one tensor (inside one backward, and across backward calls into ``.grad``) are
added in float16, one rounding per addition, in torch's order; so are create_graph's.

Residue: sums over inner dims (``(64, 300) + (64, 1)``, ``(8, 64, 40) + (1, 64, 1)``, a
0-d or one-element input) are plain float32 sums, not torch's lane order: their float32 totals
can differ in the last bit, which moves the float16 result only when the total sits within
that bit of a float16 rounding boundary; on normal data at the shapes below, never.
"""
from __future__ import annotations

import zlib

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import assert_same_half_bits
from minitorch_ref.autograd.engine import _sum_rows_f16

def _rng(*key) -> np.random.Generator:
    """A generator seeded by the test's parameters (the same draws under any test order)."""
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


def _half(rng, shape, positive=False, wide=False):
    x = rng.standard_normal(shape)
    if wide:  # magnitudes over 2**-14..2**14: float32 sums of these are inexact
        x = x * 2.0 ** rng.integers(-14, 14, shape) / 64
    if positive:
        x = np.abs(x) + 0.5
    return x.astype(np.float16)


BINARY = {
    "add": lambda T, a, b: a + b,
    "sub": lambda T, a, b: a - b,
    "mul": lambda T, a, b: a * b,
    "div": lambda T, a, b: a / b,
    "pow": lambda T, a, b: T.pow(a, b),
    "maximum": lambda T, a, b: T.maximum(a, b),
    "minimum": lambda T, a, b: T.minimum(a, b),
    "fmax": lambda T, a, b: T.fmax(a, b),
    "where": lambda T, a, b: T.where(a > 0, a, b),
    "addcmul": lambda T, a, b: T.addcmul(a, a, b, value=0.5),
    "addcdiv": lambda T, a, b: T.addcdiv(a, a, b, value=0.5),
    "lerp": lambda T, a, b: T.lerp(a, b, 0.3),
    "lerp_tensor_weight": lambda T, a, b: T.lerp(a, b, b),
    "atan2": lambda T, a, b: T.atan2(a, b),
    "hypot": lambda T, a, b: T.hypot(a, b),
    "copysign": lambda T, a, b: T.copysign(a, b),
    "xlogy": lambda T, a, b: T.xlogy(a, b),
    "rsub": lambda T, a, b: T.rsub(a, b),
    "add_alpha": lambda T, a, b: T.add(a, b, alpha=2.5),
    "sub_alpha": lambda T, a, b: T.sub(a, b, alpha=0.3),
}
POSITIVE = {"pow", "xlogy", "div", "addcdiv"}  # operands kept away from 0 (and negative bases)

# (broadcast input's shape, full shape): leading dims, several leading dims, few columns
# (torch's scalar column path), a kept size-1 dim, an inner dim, both, and 0-d / one element
SHAPES = [((300,), (64, 300)), ((300,), (4, 16, 300)), ((3,), (256, 3)), ((40,), (100, 40)),
          ((1, 300), (64, 300)), ((64, 1), (64, 300)), ((1, 64, 1), (8, 64, 40)),
          ((), (64, 30)), ((1,), (500,))]


def _binary_grads(T, fn, x, y, g):
    a, b = T.tensor(x, requires_grad=True), T.tensor(y, requires_grad=True)
    fn(T, a, b).backward(T.tensor(g))
    return a.grad, b.grad


@pytest.mark.parametrize("swap", [False, True], ids=["small_second", "small_first"])
@pytest.mark.parametrize("small,full", SHAPES, ids=lambda s: "x".join(map(str, s)) or "0d")
@pytest.mark.parametrize("op", sorted(BINARY))
def test_binary_broadcast_grads(op, small, full, swap):
    rng = _rng(op, small, full, swap)
    pos = op in POSITIVE
    x, y = _half(rng, full, positive=pos), _half(rng, small, positive=pos)
    if op == "pow":  # whole exponents: a^(b-1) then rounds alike in NumPy's powf and torch's
        y = rng.integers(1, 4, small).astype(np.float16)
    if swap:
        x, y = y, x
    g = _half(rng, full)
    ours = _binary_grads(mt, BINARY[op], x, y, g)
    theirs = _binary_grads(torch, BINARY[op], x, y, g)
    for name, o, t in zip(("input", "other"), ours, theirs):
        assert_same_half_bits(o, t, f"{op} {name}")


@pytest.mark.parametrize("small,full", [((300,), (64, 300)), ((300,), (512, 300)),
                                        ((33,), (1000, 33)), ((7,), (4099, 7)),
                                        ((2, 1, 70), (3, 2, 128, 70))],
                         ids=lambda s: "x".join(map(str, s)))
def test_bias_grad_wide_range(small, full):
    """Upstream gradients of wide range: the order of the float32 sum shows in the float16
    result (a plain float32 sum in NumPy's order fails one of these five)."""
    rng = _rng(small, full)
    x, b, g = _half(rng, full), _half(rng, small), _half(rng, full, wide=True)
    ours = _binary_grads(mt, BINARY["add"], x, b, g)[1]
    theirs = _binary_grads(torch, BINARY["add"], x, b, g)[1]
    assert_same_half_bits(ours, theirs, "bias gradient")


@pytest.mark.parametrize("rows", [1, 15, 16, 17, 64, 255, 257, 1000, 4096, 5000, 70000])
@pytest.mark.parametrize("cols", [2, 3, 31, 32, 33, 100, 300])
def test_leading_sum_order(rows, cols):
    """The float32 sums themselves: torch's ``sum(0, dtype=float32)`` of a float16 matrix."""
    if rows * cols > 3_000_000:
        pytest.skip("large")
    g = _half(_rng(rows, cols), (rows, cols), wide=True)
    expected = torch.from_numpy(g).sum(0, dtype=torch.float32).numpy()
    np.testing.assert_array_equal(_sum_rows_f16(g), expected)


EXPANSIONS = {
    "expand": lambda T, b, shape: b.expand(*shape),
    "broadcast_to": lambda T, b, shape: T.broadcast_to(b, shape),
    "expand_as": lambda T, b, shape: b.expand_as(T.zeros(shape, dtype=T.float16)),
    "broadcast_tensors": lambda T, b, shape: T.broadcast_tensors(
        b, T.zeros(shape, dtype=T.float16))[0],
}


@pytest.mark.parametrize("small,full", SHAPES + [((64, 1, 300), (64, 8, 300))],
                         ids=lambda s: "x".join(map(str, s)) or "0d")
@pytest.mark.parametrize("how", sorted(EXPANSIONS))
def test_expand_backward(how, small, full):
    rng = _rng(how, small, full)
    b, g = _half(rng, small), _half(rng, full)
    grads = []
    for T in (mt, torch):
        t = T.tensor(b, requires_grad=True)
        EXPANSIONS[how](T, t, full).backward(T.tensor(g))
        grads.append(t.grad)
    assert_same_half_bits(*grads, how)


@pytest.mark.parametrize("small,full", SHAPES[:2] + SHAPES[4:7] + [((64, 300), (64, 300))],
                         ids=lambda s: "x".join(map(str, s)))
def test_accumulation(small, full):
    """A leaf and a non-leaf used several times in one backward (torch adds their gradients in
    float16, one rounding per addition), .grad accumulated over a second backward, and
    autograd.grad's sum of one input's gradients."""
    rng = _rng(small, full)
    x, b, c, d, g = (_half(rng, s) for s in (full, small, small, full, full))
    res = {}
    for T in (mt, torch):
        a, w = T.tensor(x, requires_grad=True), T.tensor(b, requires_grad=True)
        h = w * T.tensor(c)
        (a * w + a * h + h * a + w * w * a + w).backward(T.tensor(g))
        first = [a.grad.clone(), w.grad.clone()]
        ((a + w) * T.tensor(d)).backward(T.tensor(g))
        gw, = T.autograd.grad(a * w + w * w + w, w, T.tensor(g))
        res[T] = first + [a.grad, w.grad, gw]
    for i, (o, t) in enumerate(zip(res[mt], res[torch])):
        assert_same_half_bits(o, t, f"gradient {i}")


@pytest.mark.parametrize("small,full", SHAPES[:2] + SHAPES[4:7],
                         ids=lambda s: "x".join(map(str, s)))
def test_double_backward(small, full):
    """create_graph: the first gradient, a recorded function of the inputs, differentiated."""
    rng = _rng("double", small, full)
    x, b, c, g = (_half(rng, s) for s in (full, small, small, full))
    res = {}
    for T in (mt, torch):
        a, w = T.tensor(x, requires_grad=True), T.tensor(b, requires_grad=True)
        gw, = T.autograd.grad(a * w * w + a / (w.abs() + 1), w, T.tensor(g), create_graph=True)
        (gw * T.tensor(c)).sum().backward()
        out = [gw.detach(), a.grad, w.grad]
        a.grad = w.grad = None
        (a * w + a * a * w).backward(T.tensor(g), create_graph=True)
        first = w.grad.detach().clone()
        (w.grad * T.tensor(c)).sum().backward()
        res[T] = out + [first, a.grad.detach()]
    for i, (o, t) in enumerate(zip(res[mt], res[torch])):
        assert_same_half_bits(o, t, f"gradient {i}")
