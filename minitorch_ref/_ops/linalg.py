"""Matrix products: one GEMM forward, two GEMMs backward."""
from __future__ import annotations

import numpy as np

from ..autograd.function import ArrayFunction
from ._util import promote, shape_str

__all__ = ["matmul", "mm", "bmm"]


def _matmul_error(a: np.ndarray, b: np.ndarray) -> RuntimeError:
    if a.ndim == 2 and b.ndim == 2:
        return RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
            f"{b.shape[0]}x{b.shape[1]})")
    if a.ndim == 1 and b.ndim == 1:
        return RuntimeError(
            f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
            "to have the same number of elements, but got "
            f"{a.shape[0]} and {b.shape[0]} elements respectively")
    if a.ndim == 0 or b.ndim == 0:
        return RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and "
            f"{b.ndim}D")
    return RuntimeError(
        f"Expected size for first two dimensions of batch2 tensor to be: "
        f"{shape_str(a.shape[:-2] + (a.shape[-1],))} but got: "
        f"{shape_str(b.shape[:-2] + (b.shape[-2] if b.ndim > 1 else b.shape[0],))}.")


class Matmul(ArrayFunction):
    """out = a @ b (1-D operands act as a row / column vector; batch dims broadcast).
    dL/da = g @ b^T,   dL/db = a^T @ g   (^T swaps the last two dims)."""

    _backward_name = "MmBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        if a.ndim == 0 or b.ndim == 0 or a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
            raise _matmul_error(a, b)
        ctx.save_for_backward(a, b)
        try:
            return np.matmul(a, b)
        except ValueError:
            raise _matmul_error(a, b) from None

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        if a.ndim == 1:
            g = np.expand_dims(g, -2)
        if b.ndim == 1:
            g = np.expand_dims(g, -1)
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = np.matmul(g, np.swapaxes(b2, -1, -2))
            if a.ndim == 1:
                ga = ga[..., 0, :]
        if ctx.needs_input_grad[1]:
            gb = np.matmul(np.swapaxes(a2, -1, -2), g)
            if b.ndim == 1:
                gb = gb[..., 0]
        return ga, gb


def matmul(input, other):
    return Matmul.apply(input, other)


def mm(input, mat2):
    a, b = getattr(input, "_data", input), getattr(mat2, "_data", mat2)
    if np.ndim(a) != 2:
        raise RuntimeError(f"self must be a matrix")
    if np.ndim(b) != 2:
        raise RuntimeError(f"mat2 must be a matrix")
    return Matmul.apply(input, mat2)


def bmm(input, mat2):
    a, b = getattr(input, "_data", input), getattr(mat2, "_data", mat2)
    if np.ndim(a) != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if np.ndim(b) != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    return Matmul.apply(input, mat2)
