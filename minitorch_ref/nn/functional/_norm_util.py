"""Helpers shared by the normalization kernels (``normalization.py``, ``_rms_norm.py``,
``_group_norm_graph.py``): torch's float16 arithmetic (computed in float32, rounded once),
NumPy's ufunc buffer for per-row factors, and the normalized-shape checks of layer and RMS
norm."""
from __future__ import annotations

import contextlib

import numpy as np

from ..._names import shape_str
from ..._tensor import Tensor
from ...autograd.graph_array import GraphArray


def _opmath(*arrays):
    """float16 arrays as float32, others as they are: torch's CPU kernels normalize float16 in
    float32 (its opmath type) and round each result once, so that x^2 and the sums neither
    overflow (|x| above 256) nor underflow (|x| below 2^-12) in float16."""
    for a in arrays:   # (no float16 among them: the arrays as given, without a new tuple)
        if a is not None and a.dtype == _HALF:
            return tuple(a.astype(np.float32) if a is not None and a.dtype == _HALF else a
                         for a in arrays)
    return arrays


_HALF = np.dtype(np.float16)


def _rounded(dtype, *arrays):
    """The results of an _opmath computation in the input's dtype (float16: rounded once)."""
    return tuple(None if a is None else a.astype(dtype, copy=False) for a in arrays)


def _in_place(ufunc, out, operand):
    """``ufunc(out, operand, out=out)``, or a new array where only ``operand`` is recorded
    (create_graph with the input a constant: a plain array cannot hold a recorded value)."""
    if type(operand) is GraphArray and type(out) is not GraphArray:
        return ufunc(out, operand)
    return ufunc(out, operand, out=out)


def _row_buffer(row: int):
    """NumPy's ufunc buffer at most one row of ``row`` elements (rows of 512 or more; NumPy
    wants a multiple of 16): with its default of 8192 elements, a product by per-row factors
    (x * rstd[:, None]) over shorter rows copies the factors into that buffer, 2-3 times the
    cost of the product itself. Shorter rows keep the default (a context that does nothing)."""
    return _NO_CHANGE if row < 512 else _buffer_of(row - row % 16)


_NO_CHANGE = contextlib.nullcontext()


@contextlib.contextmanager
def _buffer_of(size: int):
    with np.errstate():
        np.setbufsize(size)
        yield


def _normalized_shape(normalized_shape, fname: str) -> tuple:
    if not isinstance(normalized_shape, (tuple, list)):
        raise TypeError(f"{fname}(): argument 'normalized_shape' (position 2) must be tuple of "
                        f"ints, not {type(normalized_shape).__name__}")
    return tuple(int(s) for s in normalized_shape)


def _check_normalized(input: Tensor, shape: tuple, weight, bias, sep: str = ", ") -> None:
    """torch's shape checks of layer_norm / rms_norm (rms_norm's message writes ``[*4]`` where
    layer_norm's writes ``[*, 4]``: ``sep`` reproduces each)."""
    k = len(shape)
    if input.dim() < k or tuple(input.shape[input.dim() - k:]) != shape:
        dims = shape_str(shape)
        raise RuntimeError(
            f"Given normalized_shape={dims}, expected input with shape [*{sep}{dims[1:]}, but "
            f"got input of size{shape_str(input.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                f"shape {shape_str(t.shape)} and normalized_shape = {shape_str(shape)}")
