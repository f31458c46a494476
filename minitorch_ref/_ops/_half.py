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

