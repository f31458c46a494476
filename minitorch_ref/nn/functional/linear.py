"""Linear layers: ``linear`` (one GEMM, composed as torch's) and ``bilinear``.

Each kernel is an ``ArrayFunction``: forward beside backward on ndarrays, the derivative in its
docstring (``g`` is dL/d out). Under each kernel, the public function with torch's checks.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..._ops._arguments import argument_error
from ..._ops._util import shape_str
from ..._ops.arithmetic import add
from ..._ops.linalg import addmm, matmul
from ..._ops.shape import t, view
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


class Bilinear(ArrayFunction):
    """out[n, o] = sum_ij x1[n, i] W[o, i, j] x2[n, j] + b[o]

      dL/dx1[n, i] = sum_oj g[n, o] W[o, i, j] x2[n, j]
      dL/dx2[n, j] = sum_oi g[n, o] x1[n, i] W[o, i, j]
      dL/dW[o, i, j] = sum_n g[n, o] x1[n, i] x2[n, j]       dL/db = sum_n g[n, o]
    """

    _backward_name = "AddBackward0"

    @staticmethod
    def forward(ctx, x1, x2, w, b):
        lead = x1.shape[:-1]
        a = x1.reshape(-1, x1.shape[-1])
        c = x2.reshape(-1, x2.shape[-1])
        # x1 W: one GEMM against W laid out as (in1, out*in2), then a row-wise dot with x2
        t = (a @ w.transpose(1, 0, 2).reshape(w.shape[1], -1)).reshape(len(a), *w.shape[::2])
        out = np.einsum("noj,nj->no", t, c)
        if b is not None:
            out += b
        ctx.save_for_backward(a, c, w)
        ctx.shapes = (x1.shape, x2.shape)
        return out.reshape(lead + (w.shape[0],))

    @staticmethod
    def backward(ctx, g):
        a, c, w = ctx.saved_tensors
        g2 = g.reshape(-1, w.shape[0])
        need = ctx.needs_input_grad
        g1 = np.einsum("no,oij,nj->ni", g2, w, c, optimize=True).reshape(ctx.shapes[0]) \
            if need[0] else None
        g2_ = np.einsum("no,ni,oij->nj", g2, a, w, optimize=True).reshape(ctx.shapes[1]) \
            if need[1] else None
        gw = np.einsum("no,ni,nj->oij", g2, a, c, optimize=True) if need[2] else None
        gb = g2.sum(0) if need[3] else None
        return g1, g2_, gw, gb


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor,
             bias: Optional[Tensor] = None) -> Tensor:
    """y[..., o] = x1[..., i] W[o, i, j] x2[..., j] + b[o]."""
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
    return Bilinear.apply(input1, input2, weight, bias)
