"""float16 reductions and contractions in torch's CPU order and precision.

torch computes a float16 sum, cumulative sum or product, mean, variance, norm and matrix
product in float32 (float16's opmath type; the variance in float64) and rounds the result
once. A float16 ``prod`` is the exception: each product is rounded to float16, in the order of
torch's vectorized reduction. NumPy's float16 loops round every partial result, or (an
inner-axis product) none.
"""
from __future__ import annotations

import numpy as np

F16 = np.dtype(np.float16)

# torch's vectorized inner reduction (aten/src/ATen/native/cpu/Reduce.h, reduction128): four
# vectors of LANES float16 values accumulate side by side over blocks of 4 * LANES elements.
# LANES is what torch 2.13's AVX512 build uses for float16 products (measured; also 16 under
# AVX2).
LANES = 16


def half_accumulated(reduce, a: np.ndarray, **kw) -> np.ndarray:
    """A float16 reduction as torch's kernels compute it: accumulated in float32 (float16's
    opmath type), rounded once to float16 (beyond 65504: inf); ``reduce`` is ``np.sum``,
    ``np.cumsum``, ``np.cumprod``. NumPy's float16 loops round every partial result."""
    return np.asarray(reduce(a, dtype=np.float32, **kw)).astype(F16)


def half_from_double(x) -> np.ndarray:
    """A float64 result as torch converts it to float16 (c10::Half(double)): to float32 first,
    then to float16 (two roundings)."""
    return np.asarray(x).astype(np.float32).astype(F16)


def half_in(dtype, a: np.ndarray, fn, *args) -> np.ndarray:
    """``fn(a in dtype, *args)`` rounded once to float16."""
    return np.asarray(fn(a.astype(dtype), *args)).astype(F16)


def half_prod(a: np.ndarray, axis) -> np.ndarray:
    """The float16 product along ``axis`` (every element when None) as torch's CPU kernel
    forms it, each product rounded to float16:

    * over a dim of stride 1 (or every element of a dense tensor, in memory order), four
      vectors of ``LANES`` accumulators: acc[b, l] = prod over blocks k of x[64 k + 16 b + l]
      (in order), then v = (acc[0] acc[1]) (acc[2] acc[3]) lane by lane, then
      out = ((v[0] v[1]) v[2]) ... v[15], then the elements after the last whole block of 64
      one by one;
    * otherwise one by one along the dim.

    ``np.multiply.accumulate`` rounds every step; ``np.prod`` of float16 along an inner axis
    would round once."""
    if axis is None:
        x = a.ravel(order="K")
        lanes = a.flags.c_contiguous or a.flags.f_contiguous
    else:
        lanes = a.strides[axis] == a.itemsize
        x = np.moveaxis(a, axis, -1)
    n = x.shape[-1]
    if n == 0:
        return np.ones(x.shape[:-1], F16)
    block = 4 * LANES
    count = n // block if lanes else 0
    if count:
        blocks = x[..., :count * block].reshape(x.shape[:-1] + (count, 4, LANES))
        acc = np.multiply.accumulate(blocks, axis=-3)[..., -1, :, :]
        v = (acc[..., 0, :] * acc[..., 1, :]) * (acc[..., 2, :] * acc[..., 3, :])
        x = np.concatenate([v, x[..., count * block:]], axis=-1)
    return np.multiply.accumulate(x, axis=-1)[..., -1]


def half_matmul(a: np.ndarray, b: np.ndarray, c=None, beta=0, alpha=1,
                scalar=np.float32) -> np.ndarray:
    """float16 ``beta c + alpha (a @ b)`` as torch's CPU kernels: products, sums and the
    scaling in float32, rounded once to float16; c is ignored (even its NaN) when beta is 0.
    alpha and beta are read as ``scalar`` (addmm's GEMM: float32; addmv's GEMV: float16).

    torch's own GEMM for float16 sums each output's k products in a fixed order (for
    row-major operands four interleaved float32 partial sums, for a transposed first operand
    one running sum; measured), NumPy's float32 BLAS in its blocked order: the float32 sums
    can differ in their last bit, and the float16 results then by one unit in the last place
    (about 0.1% of elements of random 64 x 100 x 48 products). Emulating torch's order would
    take one pass per product term."""
    out = np.matmul(a.astype(np.float32), b.astype(np.float32))
    if alpha != 1:
        out *= np.float32(scalar(alpha))
    if beta != 0:
        out += c if beta == 1 else np.multiply(c, np.float32(scalar(beta)), dtype=np.float32)
    return out.astype(F16)


def half_sum_to(g: np.ndarray, shape: tuple) -> np.ndarray:
    """A float16 gradient summed back to an input's broadcast ``shape`` as torch's ``sum_to``:
    in float32, rounded once (the engine's own un-broadcasting would round every row)."""
    lead = g.ndim - len(shape)
    dims = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape)
                                      if n == 1 and g.shape[lead + i] != 1)
    if not dims:
        return g
    return half_accumulated(np.sum, g, axis=dims, keepdims=True).reshape(shape)


def half_einsum(ins: list, out: str, ops: tuple) -> np.ndarray:
    """float16 einsum as torch evaluates it without opt_einsum: each operand first summed
    over the labels only it has, then the operands joined left to right (each join one
    float32-accumulated product, rounded to float16), the last join giving ``out``."""
    def rounded(spec, *xs):
        return np.einsum(spec, *(x.astype(np.float32) for x in xs)).astype(F16)

    def keep(k, labels):  # the labels still needed after operand k: in out or a later one
        later = set(out).union(*map(set, ins[k + 1:]))
        return "".join(dict.fromkeys(c for c in labels if c in later))

    if len(ops) == 1:
        return rounded(f"{ins[0]}->{out}", ops[0])
    own = []
    for k, (sub, x) in enumerate(zip(ins, ops)):
        others = set(out).union(*[set(s) for j, s in enumerate(ins) if j != k])
        mine = "".join(dict.fromkeys(c for c in sub if c in others))
        own.append((mine, rounded(f"{sub}->{mine}", x) if len(mine) < len(sub) else x))
    labels, x = own[0]
    for k in range(1, len(own)):
        sub, y = own[k]
        target = out if k == len(own) - 1 else keep(k, labels + sub)
        x, labels = rounded(f"{labels},{sub}->{target}", x, y), target
    return x


def half_matmul_grad(x, y, shapes: tuple, vec: bool, first: bool = True) -> np.ndarray:
    """A float16 operand's gradient x @ y, summed over the batch dims the operand (of
    ``shapes[0]``, beside ``shapes[1]``) was broadcast along, as torch gets it (measured):
    where torch folds the partner's batch into the rows of one mm (the operand has at most 2
    dims, or both have 3 and the operand's batch is 1), one float32 product over all of them,
    rounded once; otherwise each batch's product rounded, then summed (sum_to, in float32)."""
    shape, other = shapes
    shape = ((1,) + shape if first else shape + (1,)) if vec else shape
    if np.broadcast_shapes(x.shape[:-2], y.shape[:-2]) == shape[:-2]:
        return half_matmul(x, y)
    if len(shape) > 2 and not (len(shape) == len(other) == 3 and shape[0] == 1):
        return half_sum_to(half_matmul(x, y), shape)
    prod = np.matmul(x.astype(np.float32), y.astype(np.float32))
    return half_accumulated(np.sum, prod, axis=tuple(range(prod.ndim - 2))).reshape(shape)
