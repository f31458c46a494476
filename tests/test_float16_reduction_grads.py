"""float16 reductions beyond sum/mean/cumsum/cumprod's forward (test_float16_reductions.py):
values and gradients against torch 2.13, bit for bit.

What torch does, measured: ``prod`` rounds every product to float16, along a dim of stride 1
(or over a whole dense tensor) in its vectorized order: 4 x 16 lane accumulators over blocks
of 64, the lanes combined, then the remainder one by one (lengths below 64, or not multiples
of 64, take other paths than multiples do); along other dims one by one. ``nansum`` and
``logsumexp``'s sum accumulate in float32; ``var``/``std``/``var_mean``/``std_mean`` in
float64 (Welford), rounded once; vector norms in float32, rounded once; ``logcumsumexp`` in
float32, each output rounded. The backward formulas round at each of torch's steps: ``mean``
divides by n read in float32 (n = 2049 is not a float16, 70000 is inf in float16); ``var``
multiplies by 2 / (n - c) read in float32; the 2-norm's is g * (x / norm); ``cumprod``'s and
``prod``'s (with zeros) cumulative sums and products accumulate in float32.

One exception is not bitwise: logcumsumexp's backward (exp and log1p in float32 through
NumPy's SIMD functions, torch's through libm: about one element in 20,000 lands on the other
side of a float16 rounding) is checked to one float16 ulp.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import assert_same_half_bits

_rng = np.random.default_rng(16)
SHAPES = [(1000,), (64, 300), (300, 64), (7, 33), (5, 7, 9), (3, 17, 200)]
X = {s: _rng.standard_normal(s).astype(np.float16) for s in SHAPES}
NEAR_ONE = {s: (X[s] * np.float16(0.05) + np.float16(1)) for s in SHAPES}


def _run(T, fn, x, grad_seed=1):
    """fn(T, t) on x (float16) with x requiring grad; backward of every float16 output with
    fixed random upstream gradients. Returns the outputs and x's gradient."""
    t = T.tensor(x, requires_grad=True)
    outs = fn(T, t)
    outs = outs if isinstance(outs, tuple) else (outs,)
    rng = np.random.default_rng(grad_seed)
    gs = [T.tensor(rng.standard_normal(o.shape).astype(np.float16)) for o in outs]
    T.autograd.backward(list(outs), gs)
    return [o.detach() for o in outs], t.grad


def _check(fn, x, what, grad_seed=1):
    (outs_t, grad_t), (outs_m, grad_m) = (_run(T, fn, x, grad_seed) for T in (torch, mt))
    for i, (o_m, o_t) in enumerate(zip(outs_m, outs_t)):
        assert_same_half_bits(o_m, o_t, f"{what}: output {i}")
    assert_same_half_bits(grad_m, grad_t, f"{what}: grad")


def _dims(shape):
    return [0, -1] if len(shape) > 1 else [0]


# -- prod -------------------------------------------------------------------------------------

@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_prod_dim(shape, keepdim):
    for d in _dims(shape):
        _check(lambda T, t: T.prod(t, d, keepdim=keepdim), NEAR_ONE[shape], f"prod {d}")


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_prod_all(shape):
    _check(lambda T, t: T.prod(t), (X[shape] * np.float16(0.01) + np.float16(1)), "prod()")


@pytest.mark.parametrize("n", [63, 64, 65, 127, 128, 129, 200, 4097])
def test_prod_lengths(n):
    """Lengths around torch's blocks of 64, also on a transposed (stride-1 dim 0) input."""
    x = (np.random.default_rng(n).standard_normal((3, n)) * 0.05 + 1).astype(np.float16)
    _check(lambda T, t: T.prod(t, -1), x, f"prod {n}")
    _check(lambda T, t: T.prod(t.t(), 0), x, f"prod of t() {n}")
    _check(lambda T, t: T.prod(t.t()), x, f"prod() of t() {n}")


@pytest.mark.parametrize("shape", [(64, 300), (300, 64), (3, 17, 200)], ids=str)
def test_prod_zeros_backward(shape):
    """With zeros, the gradient's exclusive cumulative products (float32-accumulated)."""
    x = NEAR_ONE[shape].copy()
    x.reshape(-1)[::97] = 0
    for d in _dims(shape):
        _check(lambda T, t: T.prod(t, d), x, f"prod {d} with zeros")


# -- nansum, nanmean ----------------------------------------------------------------------------

@pytest.mark.parametrize("op", ["nansum", "nanmean"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_nan_reductions(op, shape):
    x = X[shape].copy()
    x.reshape(-1)[::13] = np.nan
    for d in _dims(shape) + [None]:
        _check(lambda T, t: getattr(T, op)(t, d), x, f"{op} {d}")


# -- var, std, var_mean, std_mean ----------------------------------------------------------------

SPREAD = {
    "var": lambda T, t, kw: T.var(t, **kw),
    "std": lambda T, t, kw: T.std(t, **kw),
    "var_mean": lambda T, t, kw: T.var_mean(t, **kw),
    "std_mean": lambda T, t, kw: T.std_mean(t, **kw),
    "var_mean spread only": lambda T, t, kw: T.var_mean(t, **kw)[0],
    "std_mean spread only": lambda T, t, kw: T.std_mean(t, **kw)[0],
    "std_mean mean only": lambda T, t, kw: T.std_mean(t, **kw)[1],
}


@pytest.mark.parametrize("kw", [{}, {"correction": 0}, {"keepdim": True}], ids=str)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("op", list(SPREAD))
def test_spread(op, shape, kw):
    for d in _dims(shape) + [None]:
        kwd = dict(kw) if d is None else dict(kw, dim=d)
        if d is None:
            kwd.pop("keepdim", None)
        _check(lambda T, t: SPREAD[op](T, t, kwd), X[shape], f"{op} {kwd}")


# -- norms -----------------------------------------------------------------------------------

NORMS = {
    "norm": lambda T, t, d: t.norm(dim=d),
    "vector_norm 2": lambda T, t, d: T.linalg.vector_norm(t, 2, dim=d),
    "vector_norm 1": lambda T, t, d: T.linalg.vector_norm(t, 1, dim=d),
    "vector_norm 3": lambda T, t, d: T.linalg.vector_norm(t, 3, dim=d),
    "vector_norm 1.5": lambda T, t, d: T.linalg.vector_norm(t, 1.5, dim=d),
    "vector_norm 0.5": lambda T, t, d: T.linalg.vector_norm(t, 0.5, dim=d),
    "vector_norm inf": lambda T, t, d: T.linalg.vector_norm(t, float("inf"), dim=d),
    "linalg.norm keepdim": lambda T, t, d: T.linalg.norm(t, dim=d, keepdim=True),
}


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("op", list(NORMS))
def test_norms(op, shape):
    x = X[shape] * np.float16(0.5)
    for d in _dims(shape) + [None]:
        if d is None and "keepdim" in op:
            continue
        _check(lambda T, t: NORMS[op](T, t, d), x, f"{op} {d}")


# -- logsumexp, mean's backward, cumprod's backward, logcumsumexp ---------------------------------

@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_logsumexp(shape, keepdim):
    for d in _dims(shape):
        _check(lambda T, t: T.logsumexp(t, d, keepdim=keepdim), X[shape], f"logsumexp {d}")


@pytest.mark.parametrize("shape,dim", [((2049,), None), ((3, 2049), 1), ((4097, 2), 0),
                                       ((70000,), None), ((2, 35000), None)], ids=str)
def test_mean_backward_count(shape, dim):
    """n beyond float16's integers (2049 rounds to 2048) or range (70000: inf in float16)."""
    x = np.random.default_rng(2).standard_normal(shape).astype(np.float16)
    _check(lambda T, t: t.mean() if dim is None else t.mean(dim), x, f"mean {dim}")


@pytest.mark.parametrize("zeros", [False, True])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_cumprod_backward(shape, zeros):
    x = NEAR_ONE[shape].copy()
    if zeros:
        x.reshape(-1)[::53] = 0
    for d in _dims(shape):
        _check(lambda T, t: T.cumprod(t, d), x, f"cumprod {d}")


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_logcumsumexp(shape):
    for d in _dims(shape):
        res = {T: _run(T, lambda T_, t: T_.logcumsumexp(t, d), X[shape]) for T in (torch, mt)}
        assert_same_half_bits(res[mt][0][0], res[torch][0][0], f"logcumsumexp {d}")
        ours, theirs = res[mt][1].numpy(), res[torch][1].numpy()
        # the gradient is a difference of two rounded terms: one ulp of the largest value
        ulp = np.spacing(np.abs(theirs).max())
        assert np.all(np.abs(ours.astype(np.float32) - theirs) <= ulp), f"grad {d}"
        assert np.mean(ours.view(np.uint16) != theirs.view(np.uint16)) < 1e-3, f"grad {d}"
