"""Linear layers: ``linear`` (one GEMM, composed as torch's) and ``bilinear`` (torch's
``_trilinear``).

Each kernel is an ``ArrayFunction``: forward beside backward on ndarrays, the derivative in its
docstring (``g`` is dL/d out). Under each kernel, the public function with torch's checks.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..._ops._arguments import argument_error
from ..._ops._half import F16
from ..._ops._util import is_recorded, recorded_apply, shape_str
from ..._ops.arithmetic import add
from ..._ops.linalg import addmm, matmul
from ..._ops.shape import reshape, t, view
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction


def _c_name(np_dtype) -> str:
    """A dtype as torch's C++ messages name it (float, double)."""
    return {"float32": "float", "float64": "double", "float16": "c10::Half"}.get(
        np.dtype(np_dtype).name, np.dtype(np_dtype).name)


def _check_linear(x: np.ndarray, w: np.ndarray, b) -> None:
    """torch's errors for a linear layer's operands, before anything is computed."""
    if x.ndim == 0 or w.ndim == 0:
        raise RuntimeError("both arguments to linear need to be at least 1D, but they are "
                           f"{x.ndim}D and {w.ndim}D")
    if x.dtype != w.dtype:
        raise RuntimeError("expected m1 and m2 to have the same dtype, but got: "
                           f"{_c_name(x.dtype)} != {_c_name(w.dtype)}")
    if x.shape[-1] != w.shape[-1]:
        rows = int(np.prod(x.shape[:-1]))
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{x.shape[-1]} and "
            f"{w.shape[-1]}x{w.shape[0] if w.ndim > 1 else 1})")
    if b is not None and b.shape not in ((w.shape[0],), (1,), ()):
        rows = int(np.prod(x.shape[:-1]))
        raise RuntimeError(
            f"The expanded size of the tensor ({w.shape[0]}) must match the existing "
            f"size ({b.shape[-1]}) at non-singleton dimension 1.  Target sizes: "
            f"{shape_str((rows, w.shape[0]))}.  Tensor sizes: {shape_str(b.shape)}")


def linear(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """y = x W^T + b        x: (*, in),  W: (out, in),  b: (out,)

    Composed as torch composes it, so that the graph (``grad_fn`` and its ``next_functions``)
    is torch's: ``addmm(b, x, W.t())`` for a matrix x (``AddmmBackward0`` listing bias, input
    and ``TBackward0``); other contiguous x are viewed as (N, in) around that one GEMM; without
    a bias (or for a non-contiguous x) ``matmul(x, W.t())``, then ``+ b``. The derivatives are
    those of the parts: dL/dx = g W, dL/dW = g^T x (one GEMM over all N rows), dL/db = the sum
    of g over the rows."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)
            and (bias is None or isinstance(bias, Tensor))):
        raise argument_error(linear, locals(), tensors=("input", "weight", "bias"))
    _check_linear(input._data, weight._data, None if bias is None else bias._data)
    w_t = t(weight)
    x = input._data
    if bias is not None:
        if x.ndim == 2:
            return addmm(bias, input, w_t)
        if x.flags.c_contiguous:  # torch's flattened path for a contiguous x
            out = addmm(bias, view(input, (-1, x.shape[-1])), w_t)
            return view(out, x.shape[:-1] + (weight.shape[0],))
    out = matmul(input, w_t)
    return out if bias is None else add(out, bias)


_LABELS = "abcdefghij"
_UNROLL = 1  # torch's default unroll_dim


def trilinear(i1, i2, i3, expand1, expand2, expand3, sumdim) -> np.ndarray:
    """torch's ``_trilinear``: out = sum over ``sumdim`` of i1 * i2 * i3, each operand with
    size-1 dims inserted at its ``expand`` positions, the summed dims dropped.

    torch walks the unroll dim (1) k by k: buf = i1_k * i2_k summed over the dims i3 lacks,
    then buf * i3_k summed over the rest (each step one float32-accumulated product, rounded
    to float16), and, where dim 1 is itself summed, adds the k results one by one into zeros
    (each sum rounded). float16 follows those steps; other dtypes take the first step only
    where it is a contraction (a GEMM), else one three-operand contraction, and sum over k
    with the rest (their rounding within the tolerance)."""
    total = i1.ndim + len(expand1)
    present = [[d for d in range(total) if d not in e] for e in (expand1, expand2, expand3)]
    out_dims = [d for d in range(total) if d not in sumdim]
    half = i1.dtype == F16
    sum12 = [d for d in sumdim if d != _UNROLL and d in expand3]
    sum23 = [d for d in sumdim if d != _UNROLL and d not in expand3]

    def labels(dims):
        return "".join(_LABELS[d] for d in dims)

    def contract(spec, x, y):
        if half:
            return np.einsum(spec, x.astype(np.float32), y.astype(np.float32),
                             optimize=True).astype(F16)
        return np.einsum(spec, x, y, optimize=True)

    if not (half or sum12):  # (x * y elementwise, then a sum: one contraction)
        spec = ",".join(labels(p) for p in present) + "->" + labels(out_dims)
        return np.einsum(spec, i1, i2, i3, optimize=True)
    dims12 = sorted((set(present[0]) | set(present[1])) - set(sum12))
    buf = contract(f"{labels(present[0])},{labels(present[1])}->{labels(dims12)}", i1, i2)
    dims = sorted((set(dims12) | set(present[2])) - set(sum23)) if half else out_dims
    buf = contract(f"{labels(dims12)},{labels(present[2])}->{labels(dims)}", buf, i3)
    if half and _UNROLL in sumdim and _UNROLL in dims:  # output.add_(buf) for each k
        buf = np.moveaxis(buf, dims.index(_UNROLL), 0)
        buf = np.add.accumulate(np.concatenate([np.zeros_like(buf[:1]), buf]), axis=0)[-1]
        dims.remove(_UNROLL)
    return np.einsum(f"{labels(dims)}->{labels(out_dims)}", buf) if dims != out_dims else buf


def _trilinear_call(i1, i2, i3, *specs):
    """``trilinear``, recorded as the op (TrilinearBackward0) under create_graph."""
    if any(is_recorded(x) for x in (i1, i2, i3)):
        return recorded_apply(Trilinear, i1, i2, i3, *specs)
    return trilinear(i1, i2, i3, *specs)


class Trilinear(ArrayFunction):
    """torch's ``_trilinear`` (``trilinear``): out = sum_sumdim i1 * i2 * i3 (expanded).
    Each operand's gradient is a trilinear of g and the other two, g taking the summed dims
    and the operand's own expanded dims becoming the summed ones (torch's
    _trilinear_backward):
      dL/di1 = trilinear(g, i2, i3; sumdim, expand2, expand3; sum over expand1), and so on."""

    _backward_name = "TrilinearBackward0"

    @staticmethod
    def forward(ctx, i1, i2, i3, expand1, expand2, expand3, sumdim):
        ctx.specs = (expand1, expand2, expand3, sumdim)
        ctx.save_for_backward(i1, i2, i3)
        return trilinear(i1, i2, i3, expand1, expand2, expand3, sumdim)

    @staticmethod
    def backward(ctx, g):
        i1, i2, i3 = ctx.saved_tensors
        e1, e2, e3, s = ctx.specs
        need = ctx.needs_input_grad
        return (_trilinear_call(g, i2, i3, s, e2, e3, e1) if need[0] else None,
                _trilinear_call(i1, g, i3, e1, s, e3, e2) if need[1] else None,
                _trilinear_call(i1, i2, g, e1, e2, s, e3) if need[2] else None,
                None, None, None, None)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor,
             bias: Optional[Tensor] = None) -> Tensor:
    """y[..., o] = x1[..., i] W[o, i, j] x2[..., j] + b[o], composed as torch's: the inputs
    flattened to rows, ``_trilinear(x1, W, x2)`` (``Trilinear``: out[n, o] = sum_ij
    x1[n, i] W[o, i, j] x2[n, j]), the result viewed back, then ``+ b``."""
    if not (isinstance(input1, Tensor) and isinstance(input2, Tensor)
            and isinstance(weight, Tensor)):
        raise argument_error(bilinear, locals(), tensors=("input1", "input2", "weight"))
    s1, s2, sw = input1.shape, input2.shape, weight.shape
    if input1.dim() != input2.dim():
        raise RuntimeError("bilinear(): input dimensions do not match: got "
                           f"{input1.dim()} and {input2.dim()}")
    for i in range(input1.dim() - 1):
        if s1[i] != s2[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: "
                               f"got {s1[i]} and {s2[i]}")
    if s1[-1] != sw[1]:
        raise RuntimeError("bilinear(): input1 size does not match weight size: got "
                           f"{s1[-1]} but expected {sw[1]}")
    if s2[-1] != sw[2]:
        raise RuntimeError("bilinear(): input2 size does not match weight size: got "
                           f"{s2[-1]} but expected {sw[2]}")
    if bias is not None and bias.shape[-1] != sw[0]:
        raise RuntimeError("bilinear(): bias size does not match weight size: got "
                           f"{bias.shape[-1]} but expected {sw[0]}")
    x1 = reshape(input1, (-1, s1[-1]))
    x2 = reshape(input2, (-1, s2[-1]))
    out = reshape(Trilinear.apply(x1, weight, x2, (1, 3), (0,), (1, 2), (2, 3)),
                  tuple(s1[:-1]) + (sw[0],))
    return out if bias is None else add(out, bias)
