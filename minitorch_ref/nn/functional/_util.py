"""Sums and means over axes shared by the softmax family and the normalizations."""
from __future__ import annotations

import math

import numpy as np


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_BLAS_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
# rows at least this long are summed by BLAS dot products (np.matmul): on shorter ones its
# per-row cost loses to einsum (10 elements: 2x slower, 64: even, 128: 1.3x faster)
_DOT_MIN = 128


def _sum_over(axes: tuple, a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """The sum over ``axes`` of a, or of a * b (same shape) without forming the product,
    keeping those axes as size-1 dims (as keepdims=True). np.einsum: for the reductions here
    (softmax rows, normalization statistics, affine gradients) it runs several times faster
    than np.sum, and it fuses the product. (Its accumulation is not pairwise: a mean that
    shifts every element, like the normalizations', stays np.mean.)"""
    if b is not None and axes == (a.ndim - 1,) and a.shape[-1] >= _DOT_MIN \
            and type(a) is np.ndarray \
            and type(b) is np.ndarray and a.shape == b.shape and a.dtype == b.dtype \
            and a.dtype in _BLAS_DTYPES:
        # over the last axis: one BLAS dot product per row, about twice einsum's speed on
        # long rows (softmax's 1024) and more accurate (several accumulators)
        return np.matmul(a[..., None, :], b[..., :, None])[..., 0]
    dims = _LETTERS[:a.ndim]
    kept = "".join(d for i, d in enumerate(dims) if i not in axes)
    if b is None:
        total = np.einsum(f"{dims}->{kept}", a)
    else:
        total = np.einsum(f"{dims},{dims}->{kept}", a, b)
    return total.reshape([1 if i in axes else n for i, n in enumerate(a.shape)])


def _mean_over(axes: tuple, a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """mean over ``axes`` of a (or of a * b), keeping them as size-1 dims; nan when empty."""
    count = math.prod(a.shape[i] for i in axes)
    return _sum_over(axes, a, b) / a.dtype.type(count)
