"""Matrix products (one GEMM forward, two GEMMs backward) and the products built from them
(``tensordot``, ``kron``, ``vander``). The parts of a matrix (triangles, diagonals, trace) are
in ``diagonals.py``.

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks.
"""
from __future__ import annotations

import numpy as np

from .. import _dtype
from .._names import c_type_name, scalar_type_name
from .._tensor import _new_tensor
from ..autograd.function import ArrayFunction
from ._arguments import argument_error, renamed
from ._half import F16 as _F16, half_accumulated, half_matmul, half_matmul_grad, half_sum_to
from ._util import (Tensor, broadcast_shapes_or_raise, is_recorded, mul_scalar, promote,
                    recorded_call, shape_str, wrap_dim)
from .arithmetic import mul
from .out import copy_out, supports_out, with_out
from .cumulative import cumprod
from .reduction import sum as _sum
from ._shape_arguments import expand_error
from .shape import UnsafeView, flip, permute, reshape, unsqueeze, view

__all__ = ["matmul", "mm", "bmm", "mv", "dot", "inner", "outer", "ger", "addmm", "baddbmm",
           "addmv", "addr", "addbmm", "vdot", "chain_matmul",
           "tensordot", "kron", "vander"]


# -- matmul, mm, bmm, mv, dot, inner ---------------------------------------------------------------

def _matmul_error(a: np.ndarray, b: np.ndarray) -> RuntimeError:
    if a.ndim == 0 or b.ndim == 0:
        return RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and "
            f"{b.ndim}D")
    if a.ndim == 2 and b.ndim == 2 or a.ndim == 1 and b.ndim == 2:
        a2 = a.reshape(1, -1) if a.ndim == 1 else a
        return RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({a2.shape[0]}x{a2.shape[1]} and "
            f"{b.shape[0]}x{b.shape[1]})")
    if a.ndim == 1 and b.ndim == 1:
        return RuntimeError(
            f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
            "to have the same number of elements, but got "
            f"{a.shape[0]} and {b.shape[0]} elements respectively")
    if b.ndim == 1:
        rows = int(np.prod(a.shape[:-1]))
        return RuntimeError(
            f"size mismatch, got input ({rows}), mat ({rows}x{a.shape[-1]}), vec ({b.shape[0]})")
    if a.shape[-1] == b.shape[-2]:  # the matrices fit: the batch dims do not broadcast
        broadcast_shapes_or_raise(a.shape[:-2], b.shape[:-2])
    return RuntimeError(
        f"Expected size for first two dimensions of batch2 tensor to be: "
        f"{shape_str(a.shape[:-2] + (a.shape[-1],))} but got: "
        f"{shape_str(b.shape[:-2] + (b.shape[-2],))}.")


def _same_dtype(a: np.ndarray, b: np.ndarray) -> None:
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {c_type_name(a.dtype)} != "
            f"{c_type_name(b.dtype)}")


def _no_bool_kernel(kernel: str) -> NotImplementedError:
    """torch's CPU product kernels have no Bool version."""
    return NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _bool_product_error(a: np.ndarray, b: np.ndarray) -> NotImplementedError:
    """The error names the kernel torch sends the shapes to (a batched right operand: bmm; two
    vectors: dot; a vector on the right: mv; else mm)."""
    if b.ndim >= 3:
        return _no_bool_kernel("bmm")
    if b.ndim == 1:
        return _no_bool_kernel("dot" if a.ndim == 1 else "addmv_impl_cpu")
    return _no_bool_kernel("addmm_impl_cpu_")


class Matmul(ArrayFunction):
    """out = a @ b (1-D operands act as a row / column vector; batch dims broadcast).
    dL/da = g @ b^T,   dL/db = a^T @ g   (^T swaps the last two dims; the engine sums over
    broadcast batch dims). torch names the node by the case (``_MATMUL_NAMES``); 2-D @ 2-D,
    the common one, is this class's own name."""

    _backward_name = "MmBackward0"

    @staticmethod
    def forward(ctx, a, b):
        if a.dtype is not b.dtype:
            _same_dtype(a, b)
        if a.dtype.kind == "b":
            raise _bool_product_error(a, b)
        try:
            if a.dtype != _F16:
                out = np.matmul(a, b)
            else:
                out = half_matmul(a, b)
        except ValueError:  # NumPy found the shapes incompatible: say so in torch's words
            raise _matmul_error(a, b) from None
        # dL/da reads b, dL/db reads a: save only what backward will read
        needs = ctx.needs_input_grad
        ctx.save_for_backward(a if needs[1] else None, b if needs[0] else None)
        ctx.ndims, ctx.shapes = (a.ndim, b.ndim), (a.shape, b.shape)
        ctx.strides = (a.strides, b.strides)  # for torch's layout choice (_mm_backward)
        if a.ndim > 2 or b.ndim > 2 or a.ndim < b.ndim:
            ctx._kept_on_rebind = _kept_on_rebind(ctx)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        if _graph(g, a, b):
            return _product_backward(ctx, g, a, b)
        return Matmul.backward_arrays(ctx, g, a, b)

    @staticmethod
    def backward_arrays(ctx, g, a, b):
        a_vec, b_vec = ctx.ndims[0] == 1, ctx.ndims[1] == 1
        # restore the size-1 dims that 1-D operands dropped: g becomes (..., n, m)
        if b_vec:
            g = g[..., None]
        if a_vec:
            g = g[..., None, :]
        ga = gb = None
        half = g.dtype == _F16 and not _graph(g, a, b)
        if ctx.needs_input_grad[1]:  # other's first (bmm's mat2 under create_graph)
            at = (a[None, :] if a_vec else a).swapaxes(-1, -2)
            gb = half_matmul_grad(at, g, ctx.shapes[::-1], b_vec, first=False) if half \
                else np.matmul(at, g)
            if b_vec:
                gb = gb[..., 0]
        if ctx.needs_input_grad[0]:
            bt = (b[:, None] if b_vec else b).swapaxes(-1, -2)
            ga = half_matmul_grad(g, bt, ctx.shapes, a_vec) if half \
                else np.matmul(g, bt)
            if a_vec:
                ga = ga[..., 0, :]
        return ga, gb



def _col_major(shape: tuple, strides: tuple, itemsize: int) -> bool:
    """torch's test in mm's backward for a column-major matrix: strides (1, rows). A size-1
    dim's stride is NumPy's own, not torch's: such a matrix is read with torch's contiguous
    strides (column-major only when 1 x 1)."""
    if shape[0] == 1 or shape[1] == 1:
        return shape[0] == shape[1]
    return strides[0] == itemsize and strides[1] == shape[0] * itemsize


def _graph(g, a, b) -> bool:
    """Whether a backward runs under create_graph (g or a saved operand is a GraphArray);
    type tests only, cheap on the first-order path."""
    nd = np.ndarray
    return not (type(g) is nd and (a is None or type(a) is nd) and (b is None or type(b) is nd))


def _t(x):
    """torch's ``x.t()`` (TBackward0 under create_graph)."""
    return recorded_call("t", x) if is_recorded(x) else x.T


def _mm_backward(ctx, g, a, b, alpha, first: int = 0):
    """The gradients of ``a @ b`` (2-D) under create_graph as torch's mm_mat1_backward and
    mm_mat2_backward write them: for a column-major operand, in its own layout
    (``b.mm(g.t()).t()``, ``g.t().mm(a).t()``: TBackward0 last), else ``g.mm(b.t())`` and
    ``a.t().mm(g)``; times ``alpha`` (maybe_multiply). In the order torch's generated
    backwards compute their inputs' gradients, by argument name: mm's mat2 before self,
    addmm's mat1 before mat2 (``first`` = 1)."""
    needs = ctx.needs_input_grad
    (sa, sb), item = ctx.strides, g.dtype.itemsize
    ga = gb = None
    if needs[first + 1] and not first:  # mm(self, mat2): mat2's first (see the docstring)
        gb = _mm_mat2(g, a, sb, item, alpha)
    if needs[first]:
        ga = _t(np.matmul(b, _t(g))) if _col_major(g.shape[:1] + b.shape[:1], sa, item) \
            else np.matmul(g, _t(b))
        ga = mul_scalar(ga, alpha) if alpha != 1 else ga
    if needs[first + 1] and first:
        gb = _mm_mat2(g, a, sb, item, alpha)
    return ga, gb


def _mm_mat2(g, a, sb, item, alpha):
    """torch's mm_mat2_backward (see ``_mm_backward``)."""
    gb = _t(np.matmul(_t(g), a)) if _col_major(a.shape[1:] + g.shape[1:], sb, item) \
        else np.matmul(_t(a), g)
    return mul_scalar(gb, alpha) if alpha != 1 else gb


def _product_backward(ctx, g, a, b):
    """Matmul's gradients under create_graph, in torch's formulas for the products whose
    backward torch writes on its own: mm (``_mm_backward``), dot and vdot (``grad * other``,
    ``grad * self``), mv (``grad.ger(vec)``, ``self.t().mv(grad)``), bmm (``grad.bmm(mat2
    .transpose(1, 2))``, ``self.transpose(1, 2).bmm(grad)``); other shapes as on arrays."""
    nd, needs = ctx.ndims, ctx.needs_input_grad
    if nd == (2, 2):
        return _mm_backward(ctx, g, a, b, 1)
    if nd == (1, 1):
        return (g * b if needs[0] else None), (g * a if needs[1] else None)
    if nd == (2, 1):  # (grad.ger(vec): a reshape, then the product)
        return (g.reshape(-1, 1) * b if needs[0] else None), \
            (np.matmul(_t(a), g) if needs[1] else None)
    if nd == (3, 3) and ctx.name() == "BmmBackward0":  # mat2's first, as mm's
        gb = recorded_call("bmm", np.swapaxes(a, 1, 2), g) if needs[1] else None
        return (recorded_call("bmm", g, np.swapaxes(b, 1, 2)) if needs[0] else None), gb
    return _batched_backward(ctx, g, a, b)


def _should_fold(ndims: tuple, shapes: tuple, strides: tuple, needs: tuple) -> bool:
    """torch's should_fold (matmul): whether the operand with more dims, t1 (the right one
    transposed when it has more), of >= 3 dims beside one of <= 2, is folded into the rows of
    one mm or mv: always when the smaller one requires grad, never for a 2-D left operand,
    else when t1's leading dims can be viewed as one."""
    larger = ndims[0] >= ndims[1]
    d1, d2 = ndims if larger else ndims[::-1]
    if not (d1 >= 3 and d2 <= 2):
        return False
    if needs[1 if larger else 0]:
        return True
    if ndims[0] == 2:
        return False
    shape, stride = (shapes[0], strides[0]) if larger else (
        shapes[1][:-2] + shapes[1][:-3:-1], strides[1][:-2] + strides[1][:-3:-1])
    return 0 in shape or all(stride[i] == stride[i + 1] * shape[i + 1] for i in range(d1 - 2))


def _kept_on_rebind(ctx) -> tuple:
    """The operands (0: input, 1: other) that torch's matmul hands to its mm, mv or bmm as a
    view it made (unsqueezed, folded, transposed or expanded), not as the tensor itself: its
    node then does not see a new ``.data`` of that input (``Node._kept_on_rebind``)."""
    (da, db), name = ctx.ndims, ctx.name()
    if name == "BmmBackward0":
        return ()  # torch.bmm itself
    if da <= 2 and db <= 2:
        return (0,)  # vector @ matrix: a.unsqueeze(0).mm(b)
    if da >= 3 and db >= 3 or not _should_fold(ctx.ndims, ctx.shapes, ctx.strides,
                                                ctx.needs_input_grad):
        return (0, 1)  # bmm of the expanded, reshaped operands
    if da >= 3:
        return (0,)  # a.reshape(-1, k).mm(b) (or .mv(b))
    return (1,) if da == 1 else (0, 1)  # b.mT.reshape(-1, k).mv(a), or .mm(a.t())


def _batched_backward(ctx, g, a, b):
    """Batched matmul's gradients under create_graph in torch's decomposition (_matmul_impl),
    whose products round where torch's do: a 3-D operand with a batch of 1 beside another
    3-D one, the operand requiring grad, is squeezed to 2-D; where ``_should_fold``, the larger
    operand is folded into the rows of one mm or mv (``_folded_backward``), so that the other
    one's gradient is one product over every row, not a sum of per-batch products; other
    shapes are bmm over the broadcast batch (as on arrays, the engine summing the broadcast
    dims)."""
    (da, db), (sa, sb), needs = ctx.ndims, ctx.shapes, ctx.needs_input_grad
    if da == db == 3 and sa[0] != sb[0]:
        if sa[0] == 1 and needs[0]:
            ga, gb = _folded_backward(g, None if a is None else a.squeeze(0), b,
                                      (sa[1:], sb), needs)
            return (None if ga is None else ga.reshape(sa)), gb
        if sb[0] == 1 and needs[1]:
            ga, gb = _folded_backward(g, a, None if b is None else b.squeeze(0),
                                      (sa, sb[1:]), needs)
            return ga, (None if gb is None else gb.reshape(sb))
    if _should_fold(ctx.ndims, ctx.shapes, ctx.strides, needs):
        return _folded_backward(g, a, b, ctx.shapes, needs)
    return Matmul.backward_arrays(ctx, g, a, b)


def _folded_backward(g, a, b, shapes: tuple, needs: tuple) -> tuple:
    """The gradients of torch's folded matmul: out = (t1f @ t2).view with t1f =
    a.reshape(-1, k), t2 = b (a vector b: t1f.mv(b)); or, the right operand the larger,
    out = (t1f @ t2).view.mT with t1f = b.mT.reshape(-1, m), t2 = a.t() (a vector a:
    t1f.mv(a)). mm's gradients are g' @ t2^T and t1f^T @ g', mv's the outer product g' t2
    and t1f^T @ g', g' being g in t1f's rows."""
    (sa, sb), ga, gb = shapes, None, None
    if len(sa) >= 3:
        g2 = g.reshape(-1, sb[-1]) if len(sb) == 2 else g.reshape(-1)
        if needs[1] and len(sb) == 2:  # mm's mat2 first (mv's self first)
            gb = np.matmul(_t(a.reshape(-1, sa[-1])), g2)
        if needs[0]:
            ga = (np.matmul(g2, _t(b)) if len(sb) == 2 else g2[:, None] * b).reshape(sa)
        if needs[1] and len(sb) == 1:
            gb = np.matmul(_t(a.reshape(-1, sa[-1])), g2)
        return ga, gb
    m, matrix = sb[-2], len(sa) == 2
    g2 = np.swapaxes(g, -1, -2).reshape(-1, sa[0]) if matrix else g.reshape(-1)
    if needs[0] and matrix:  # mm's mat2 (a.t()) first, mv's self (t1f) first
        ga = _t(np.matmul(_t(np.swapaxes(b, -1, -2).reshape(-1, m)), g2))
    if needs[1]:
        gt1 = np.matmul(g2, a) if matrix else g2[:, None] * a
        gb = np.swapaxes(gt1.reshape(sb[:-2] + (sb[-1], m)), -1, -2)
    if needs[0] and not matrix:
        ga = np.matmul(_t(np.swapaxes(b, -1, -2).reshape(-1, m)), g2)
    return ga, gb


# matmul's node name for each (input.dim(), other.dim()), as torch gives it: 2-D @ 1-D is mv,
# 1-D @ 1-D dot, 1-D @ 2-D a squeezed mm, 2-D @ >=3-D a clone, other batched cases a view
_MATMUL_NAMES = {(2, 2): None, (2, 1): "MvBackward0", (1, 1): "DotBackward0",
                 (1, 2): "SqueezeBackward4"}


def _matmul_out(out, input, other):
    """``matmul(..., out=)`` with the rules of the op torch dispatches to: ``dot`` for two
    vectors, ``mv`` (``addmv``) for matrix @ vector, exact dtype otherwise. Vector @ matrix is
    written into ``out`` as a [1, n] row (the resize warning names that shape), then squeezed."""
    dims = (input.dim(), other.dim())
    if dims == (1, 2) and isinstance(out, Tensor):
        with_out(out, "matmul", matmul, input.unsqueeze(0), other, rule="exact", overlap=None)
        out._data = out._data.reshape(out._data.shape[1:])
        return out
    rule = {(1, 1): "dot", (2, 1): "addmv"}.get(dims, "exact")
    return with_out(out, "matmul", matmul, input, other, rule=rule, overlap=None)


@supports_out(handler=_matmul_out)
def matmul(input, other, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(matmul, locals())
    dims = (input._data.ndim, other._data.ndim)
    name = _MATMUL_NAMES.get(dims, "UnsafeViewBackward0")
    if name is None:  # 2-D @ 2-D: the fewest arguments
        return Matmul.apply(input, other)
    if dims[0] == 2 and dims[1] > 2:
        name = "CloneBackward0"
    return Matmul.apply(input, other, name=name)


@supports_out(rule="exact", overlap=None)
def mm(input, mat2, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(mat2, Tensor)):
        raise argument_error(mm, locals(), tensors=("input", "mat2"))
    if input._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2._data.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    return Matmul.apply(input, mat2)


@supports_out(rule="exact", overlap=None)
def bmm(input, mat2, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(mat2, Tensor)):
        raise argument_error(bmm, locals(), tensors=("input", "mat2"))
    if input._data.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2._data.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    a, b = input._data, mat2._data
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    return Matmul.apply(input, mat2, name="BmmBackward0")


@supports_out(rule="addmv", overlap=None)
def mv(input, vec, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(vec, Tensor)):
        raise argument_error(mv, locals(), tensors=("input", "vec"))
    a, v = input._data, vec._data
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
            f"vec ({v.shape[0]})")
    return Matmul.apply(input, vec, name="MvBackward0")


@supports_out(rule="dot", overlap=None)
def dot(input, tensor, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(tensor, Tensor)):
        raise argument_error(dot, locals())
    _check_vectors(input._data, tensor._data)
    return Matmul.apply(input, tensor, name="DotBackward0")


def _check_vectors(a: np.ndarray, b: np.ndarray) -> None:
    """dot's and vdot's operand checks: two 1-D tensors of one dtype."""
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.dtype != b.dtype:
        raise RuntimeError(
            "dot : expected both vectors to have same dtype, but found "
            f"{scalar_type_name(a.dtype)} and {scalar_type_name(b.dtype)}")


def _inner_out(out, input, other):
    """``inner(..., out=)``: torch computes it through ``tensordot``, whose ``out`` is a plain
    copy of the result, recorded by autograd when an input requires grad (``out`` then gets
    ``CopyBackwards``); an ``out`` that requires grad must have the result's shape."""
    return copy_out(out, inner(input, other), "tensordot", "inner", RuntimeError(
        "tensordot(): the 'out' tensor was specified and requires gradients, and its shape "
        "does not match the expected result. Either remove the 'out' argument, ensure it "
        "does not require gradients, or make sure its shape matches the expected output."))


@supports_out(handler=_inner_out)
def inner(input, other, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(inner, locals())
    if input.dim() == 0 or other.dim() == 0:
        return input * other
    return matmul(input, other.transpose(-1, -2) if other.dim() > 1 else other)


# -- outer, addmm, baddbmm -------------------------------------------------------------------------

class Outer(ArrayFunction):
    """out[i, j] = a[i] * b[j].      dL/da = g @ b,   dL/db = g^T @ a."""

    _backward_name = "MulBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        ctx.save_for_backward(a, b)
        ctx._kept_on_rebind = (0,)  # torch's node reads a.reshape(-1, 1), a view
        return np.multiply.outer(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        if _graph(g, a, b):  # torch's self.reshape(-1, 1) * vec2: a product, summed, viewed
            n, m = g.shape  # (other's first, as MulBackward0)
            gb = (g * a.reshape(n, 1)).sum(axis=0, keepdims=True).reshape(m) \
                if ctx.needs_input_grad[1] else None
            ga = (g * b).sum(axis=1, keepdims=True).reshape(n) \
                if ctx.needs_input_grad[0] else None
            return ga, gb
        if g.dtype == _F16:  # torch's products rounded, then summed in float32
            ga = half_accumulated(np.sum, g * b, axis=1) if ctx.needs_input_grad[0] else None
            gb = half_accumulated(np.sum, g * a[:, None], axis=0) \
                if ctx.needs_input_grad[1] else None
            return ga, gb
        ga = g @ b if ctx.needs_input_grad[0] else None
        gb = a @ g if ctx.needs_input_grad[1] else None
        return ga, gb


# out=: torch computes it as a broadcast mul, with mul's rules and name
@supports_out("mul")
def outer(input, vec2, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(vec2, Tensor)):
        raise argument_error(outer, locals(), tensors=("input", "vec2"))
    if input.dim() != 1 or vec2.dim() != 1:
        raise RuntimeError(
            f"outer: Expected 1-D argument self, but got {input.dim()}-D"
            if input.dim() != 1 else
            f"outer: Expected 1-D argument vec2, but got {vec2.dim()}-D")
    return Outer.apply(input, vec2)


ger = renamed(outer, "ger")


class Addmm(ArrayFunction):
    """out = beta * c + alpha * (a @ b)   (c broadcast to the product's shape).
    dL/dc = beta * g,   dL/da = alpha * g @ b^T,   dL/db = alpha * a^T @ g.

    A transposed matrix b (``linear``'s ``W.t()``) gets its gradient in its own layout,
    ``(g^T @ a)^T``, as torch's ``mm_mat2_backward`` does: ``TBackward0`` then hands W a
    contiguous gradient, which ``.grad`` takes without a transposing copy."""

    _backward_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, c, a, b, beta, alpha):
        _same_dtype(a, b)
        if a.dtype.kind == "b":
            raise _no_bool_kernel("baddbmm" if a.ndim == 3 else "addmm_impl_cpu_")
        if a.shape[-1] != b.shape[-2]:
            raise _matmul_error(a, b)
        for k in (beta, alpha):  # in range of the opmath type (float32 for float16)
            _dtype.check_scalar_fits(k, a.dtype, opmath=True)
        ctx.save_for_backward(a, b)
        ctx.beta, ctx.alpha = beta, alpha
        ctx.strides = (a.strides, b.strides)  # for torch's layout choice (_mm_backward)
        if a.dtype == _F16:
            ctx.c_shape = c.shape
            return half_matmul(a, b, c, beta, alpha)
        prod = np.matmul(a, b)
        if prod.dtype.kind in "iu":  # int factors beyond the dtype: their low bits, as torch
            alpha, beta = (_dtype.cast_value(f, prod.dtype) for f in (alpha, beta))
        if alpha != 1:
            prod *= alpha
        if beta == 0:  # torch ignores c entirely (even its nan/inf) when beta is 0
            return prod
        return prod + (c if beta == 1 else beta * c)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        gc = ga = gb = None
        if _graph(g, a, b):  # mat1's, mat2's, then self's, as torch (by argument name)
            if a.ndim == 2:
                ga, gb = _mm_backward(ctx, g, a, b, ctx.alpha, first=1)
            else:  # baddbmm: torch's grad.bmm(batch2.transpose(1, 2)), ...
                ga = _scaled(_bmm(g, np.swapaxes(b, 1, 2)), ctx.alpha) \
                    if ctx.needs_input_grad[1] else None
                gb = _scaled(_bmm(np.swapaxes(a, 1, 2), g), ctx.alpha) \
                    if ctx.needs_input_grad[2] else None
            if ctx.needs_input_grad[0]:
                gc = _half_sum_to(_scaled(g, ctx.beta), ctx)
            return gc, ga, gb, None, None
        if ctx.needs_input_grad[0]:
            gc = mul_scalar(g, ctx.beta) if ctx.beta != 1 else g  # torch's maybe_multiply
            gc = _half_sum_to(gc, ctx)
        mm = np.matmul if g.dtype != _F16 else half_matmul
        if ctx.needs_input_grad[1]:
            ga = mm(g, b.swapaxes(-1, -2))
            ga = mul_scalar(ga, ctx.alpha) if ctx.alpha != 1 else ga
        if ctx.needs_input_grad[2]:
            if type(b) is np.ndarray and b.ndim == 2 and not b.flags.c_contiguous \
                    and b.flags.f_contiguous:
                gb = mm(g.T, a).T             # b's layout (see the docstring)
            else:
                gb = mm(a.swapaxes(-1, -2), g)
            gb = mul_scalar(gb, ctx.alpha) if ctx.alpha != 1 else gb
        return gc, ga, gb, None, None


@supports_out(rule="exact", overlap=None)
def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    if not (isinstance(input, Tensor) and isinstance(mat1, Tensor) and isinstance(mat2, Tensor)):
        raise argument_error(addmm, locals(), tensors=("input", "mat1", "mat2"))
    if mat1.dim() != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {mat1.dim()}-D tensor")
    if mat2.dim() != 2:
        raise RuntimeError(f"mat2 must be a matrix, got {mat2.dim()}-D tensor")
    return Addmm.apply(input, mat1, mat2, beta, alpha)


@supports_out(rule="exact", overlap=None)
def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    if not (isinstance(input, Tensor) and isinstance(batch1, Tensor)
            and isinstance(batch2, Tensor)):
        raise argument_error(baddbmm, locals(), tensors=("input", "batch1", "batch2"))
    if batch1.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if batch2.dim() != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    return Addmm.apply(input, batch1, batch2, beta, alpha, name="BaddbmmBackward0")


def _half_sum_to(gc, ctx):
    """c's float16 gradient summed to c's shape in float32, rounded once, as torch's sum_to
    (``half_sum_to``); any other gradient as it is (the engine un-broadcasts it)."""
    if type(gc) is np.ndarray and gc.dtype == _F16:
        return half_sum_to(gc, ctx.c_shape)
    return gc


def _scaled(x, k):
    """torch's maybe_multiply: x times a Scalar (MulBackward1 under create_graph), or x."""
    return mul_scalar(x, k) if k != 1 else x


def _add_scaled(prod, c, beta, alpha):
    """beta * c + alpha * prod, with c ignored (even its NaN) when beta is 0, as torch."""
    prod = _scaled(prod, alpha)
    if beta == 0:
        return prod
    return prod + _scaled(c, beta)


def _refuse_bool(kernel: str, *tensors) -> None:
    if any(t._data.dtype == np.bool_ for t in tensors):
        raise _no_bool_kernel(kernel)


def _check_expand(c: Tensor, shape: tuple) -> None:
    error = expand_error(tuple(c.shape), shape)
    if error is not None:
        raise error


class Addmv(ArrayFunction):
    """out = beta * c + alpha * (A @ v).
    dL/dc = beta * g,   dL/dA = alpha * g v^T (an outer product),   dL/dv = alpha * A^T g."""

    _backward_name = "AddmvBackward0"

    @staticmethod
    def forward(ctx, c, a, v, beta, alpha):
        ctx.save_for_backward(a, v)
        ctx.beta, ctx.alpha, ctx.c_shape = beta, alpha, c.shape
        if a.dtype == _F16:
            return half_matmul(a, v, c, beta, alpha, scalar=np.float16)
        return _add_scaled(np.matmul(a, v), c, beta, alpha)

    @staticmethod
    def backward(ctx, g):
        a, v = ctx.saved_tensors  # mat's, self's, vec's: torch's order (by argument name)
        ga = _scaled(g.reshape(-1, 1) * v, ctx.alpha) if ctx.needs_input_grad[1] else None
        gc = _half_sum_to(_scaled(g, ctx.beta), ctx) if ctx.needs_input_grad[0] else None
        gv = _scaled(_mm(_t(a), g), ctx.alpha) if ctx.needs_input_grad[2] else None
        return gc, ga, gv, None, None


@supports_out(rule="exact", overlap=None)
def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    if not (isinstance(input, Tensor) and isinstance(mat, Tensor) and isinstance(vec, Tensor)):
        raise argument_error(addmv, locals(), tensors=("input", "mat", "vec"))
    a, v = mat._data, vec._data
    if a.ndim != 2 or v.ndim != 1 or input.dim() > 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.dim()}, {a.ndim}, "
                           f"{v.ndim}")
    n = input.shape[0] if input.dim() == 1 else 1
    if a.shape[1] != v.shape[0] or (input.dim() == 1 and n not in (1, a.shape[0])):
        raise RuntimeError(
            f"size mismatch, got input ({n}), mat ({a.shape[0]}x{a.shape[1]}), "
            f"vec ({v.shape[0]})")
    _refuse_bool("addmv_impl_cpu", mat, vec)
    return Addmv.apply(input, mat, vec, beta, alpha)


class Addr(ArrayFunction):
    """out = beta * c + alpha * u v^T.
    dL/dc = beta * g,   dL/du = alpha * g v,   dL/dv = alpha * g^T u."""

    _backward_name = "AddrBackward0"

    @staticmethod
    def forward(ctx, c, u, v, beta, alpha):
        u, v = promote(u, v)
        ctx.save_for_backward(u, v)
        ctx.beta, ctx.alpha, ctx.c_shape = beta, alpha, c.shape
        return _add_scaled(u[:, None] * v[None, :], c, beta, alpha)

    @staticmethod
    def backward(ctx, g):
        u, v = ctx.saved_tensors
        gc = _half_sum_to(_scaled(g, ctx.beta), ctx) if ctx.needs_input_grad[0] else None
        gu = _scaled(_mm(g, v), ctx.alpha) if ctx.needs_input_grad[1] else None
        gv = _scaled(_mm(_t(g), u), ctx.alpha) if ctx.needs_input_grad[2] else None
        return gc, gu, gv, None, None


@supports_out(rule="cast", overlap=None)
def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    if not (isinstance(input, Tensor) and isinstance(vec1, Tensor) and isinstance(vec2, Tensor)):
        raise argument_error(addr, locals(), tensors=("input", "vec1", "vec2"))
    for name, v in (("vec1", vec1), ("vec2", vec2)):
        if v.dim() != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {v.dim()}-D")
    _check_expand(input, (vec1.shape[0], vec2.shape[0]))
    return Addr.apply(input, vec1, vec2, beta, alpha)


class Addbmm(ArrayFunction):
    """out = beta * c + alpha * sum_b B1[b] @ B2[b].
    dL/dc = beta * g,   dL/dB1[b] = alpha * g B2[b]^T,   dL/dB2[b] = alpha * B1[b]^T g."""

    _backward_name = "AddbmmBackward0"

    @staticmethod
    def forward(ctx, c, b1, b2, beta, alpha):
        _same_dtype(b1, b2)
        ctx.save_for_backward(b1, b2)
        ctx.beta, ctx.alpha, ctx.c_shape = beta, alpha, c.shape
        if b1.dtype == _F16:  # torch: one addmm_ per batch, each rounded to float16
            out = np.broadcast_to(c, (b1.shape[1], b2.shape[2]))
            for k in range(b1.shape[0]):
                out = half_matmul(b1[k], b2[k], out, beta if k == 0 else 1, alpha)
            return out if b1.shape[0] else _add_scaled(np.zeros_like(out), c, beta, alpha)
        return _add_scaled(np.matmul(b1, b2).sum(axis=0), c, beta, alpha)

    @staticmethod
    def backward(ctx, g):
        b1, b2 = ctx.saved_tensors
        if _graph(g, b1, b2):  # torch's g.unsqueeze(0).expand(...).bmm(...): BmmBackward0
            shape = (b1.shape[0],) + g.shape  # (each formula expands g; batch1's, batch2's,
            g1 = g2 = None                     # then self's: torch's order)
            if ctx.needs_input_grad[1]:
                ge = np.broadcast_to(_unsqueeze0(g), shape)
                g1 = _scaled(_bmm(ge, np.swapaxes(b2, -1, -2)), ctx.alpha)
            if ctx.needs_input_grad[2]:
                ge = np.broadcast_to(_unsqueeze0(g), shape)
                g2 = _scaled(_bmm(np.swapaxes(b1, -1, -2), ge), ctx.alpha)
            gc = _half_sum_to(_scaled(g, ctx.beta), ctx) if ctx.needs_input_grad[0] else None
            return gc, g1, g2, None, None
        gc = _half_sum_to(_scaled(g, ctx.beta), ctx) if ctx.needs_input_grad[0] else None
        g1 = _scaled(_mm(g, np.swapaxes(b2, -1, -2)), ctx.alpha) \
            if ctx.needs_input_grad[1] else None
        g2 = _scaled(_mm(np.swapaxes(b1, -1, -2), g), ctx.alpha) \
            if ctx.needs_input_grad[2] else None
        return gc, g1, g2, None, None


def _mm(x, y):
    """``np.matmul`` of arrays; float16 as torch (``half_matmul``)."""
    return half_matmul(x, y) if x.dtype == _F16 else np.matmul(x, y)


def _unsqueeze0(x):
    """torch's ``x.unsqueeze(0)`` (UnsqueezeBackward0 under create_graph)."""
    return recorded_call("unsqueeze", x, 0)


def _bmm(x, y):
    """torch's ``x.bmm(y)`` (BmmBackward0 under create_graph)."""
    return recorded_call("bmm", x, y) if is_recorded(x) or is_recorded(y) else np.matmul(x, y)


@supports_out(rule="addbmm", overlap=None)
def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    if not (isinstance(input, Tensor) and isinstance(batch1, Tensor)
            and isinstance(batch2, Tensor)):
        raise argument_error(addbmm, locals(), tensors=("input", "batch1", "batch2"))
    if batch1.dim() == 3 and batch2.dim() == 3:
        if batch1.shape[0] != batch2.shape[0]:
            raise RuntimeError(f"batch1 and batch2 must have same number of batches, got "
                               f"{batch1.shape[0]} and {batch2.shape[0]}")
        if batch1.shape[2] != batch2.shape[1]:
            raise RuntimeError(
                f"Incompatible matrix sizes for bmm ({batch1.shape[1]}x{batch1.shape[2]} and "
                f"{batch2.shape[1]}x{batch2.shape[2]})")
    if batch1.dim() >= 2 and batch2.dim() >= 1:
        _check_expand(input, (batch1.shape[1], batch2.shape[-1]))
    if batch1.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if batch2.dim() != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    _refuse_bool("addmm_impl_cpu_", batch1, batch2)
    return Addbmm.apply(input, batch1, batch2, beta, alpha)


@supports_out(rule="dot", overlap=None)
def vdot(input, other, *, out=None):
    """The dot product of two 1-D tensors, the first conjugated (real tensors here: ``dot``)."""
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(vdot, locals())
    a, b = input._data, other._data
    _check_vectors(a, b)
    if a.shape != b.shape:
        raise _matmul_error(a, b)
    _refuse_bool("dot", input)
    return Matmul.apply(input, other, name="VdotBackward0")


_chain_matmul_warned: list = []


def chain_matmul(*matrices, out=None):
    """Deprecated in torch (a UserWarning once per process): ``linalg.multi_dot`` of the
    matrices, which must be 2-D; one matrix gives a copy."""
    import warnings
    if not _chain_matmul_warned:
        _chain_matmul_warned.append(True)
        warnings.warn(
            "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. "
            "Use torch.linalg.multi_dot instead, which accepts a list of two or more tensors "
            "rather than multiple parameters.", UserWarning, stacklevel=2)
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    if len(matrices) == 1:
        if matrices[0].dim() != 2:
            raise RuntimeError(f"Tensor dimension is {matrices[0].dim()}, expected 2 instead.")
        result = matrices[0].clone()
    else:
        for m in matrices:
            if m.dim() != 2:
                raise RuntimeError(f"Tensor dimension is {m.dim()}, expected 2 instead.")
        _refuse_bool("addmm_impl_cpu_", *matrices)
        from .linalg_solve import multi_dot
        return multi_dot(list(matrices), out=out)
    return result if out is None else copy_out(out, result, "exact", "chain_matmul")


# -- tensordot, kron, vander: products built from the ones above ----------------------------------

def _tensordot_dims(a, b, dims) -> tuple:
    """torch.tensordot's ``dims``: an int d (a's last d dims with b's first d), two lists, or a
    tensor holding either."""
    if isinstance(dims, Tensor):
        if dims.numel() > 1:
            if dims.shape[0] != 2:
                raise AssertionError(
                    f"dims tensor must have size 2 in first dimension, got {dims.shape[0]}")
            return dims[0].tolist(), dims[1].tolist()
        dims = int(dims.item())
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        return list(range(-dims, 0)), list(range(dims))
    if isinstance(dims, (tuple, list)):
        dims_a, dims_b = dims
        for name, d in (("dims_self", dims_a), ("dims_other", dims_b)):
            if not isinstance(d, (tuple, list, Tensor)):
                pos = 3 if name == "dims_self" else 4
                raise TypeError(f"tensordot(): argument '{name}' (position {pos}) must be tuple "
                                f"of ints, not {type(d).__name__}")
        return list(dims_a), list(dims_b)
    if isinstance(dims, (int, np.integer)):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.dim(), b.dim()):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        return list(range(-dims, 0)), list(range(dims))
    raise RuntimeError("tensordot expects dims to be int or tuple[list[int], list[int]] or "
                       f"list[list[int]] containing two lists, but got dims={dims}")


@supports_out(rule="tensordot", overlap=None, copy=True)
def tensordot(a, b, dims=2, out=None):
    """out[i.., j..] = sum_k a[i.., k..] b[k.., j..] over the paired dims: a permuted to
    (free, contracted) and b to (contracted, free), both flattened to matrices, one mm, and the
    result viewed as a's free dims followed by b's (torch's composition; its gradients follow)."""
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)):
        raise argument_error(tensordot, locals(), tensors={"a": "input", "b": "other"})
    dims_a, dims_b = _tensordot_dims(a, b, dims)
    if len(dims_a) != len(dims_b):
        raise RuntimeError("both dimension lists should have same length")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError("both inputs should have same dtype")
    na, nb = a.dim(), b.dim()
    ca, cb = [wrap_dim(d, na) for d in dims_a], [wrap_dim(d, nb) for d in dims_b]
    for da, db, ga, gb in zip(ca, cb, dims_a, dims_b):
        sa, sb = a.shape[da], b.shape[db]
        if sa != sb:
            if sa == 1:  # a size-1 dim against a longer one: the other side is summed
                b = _sum(b, db, keepdim=True)
            elif sb == 1:
                a = _sum(a, da, keepdim=True)
            else:
                raise RuntimeError(
                    f"contracted dimensions need to match, but first has size {sa} in dim {ga} "
                    f"and second has size {sb} in dim {gb}")
    free_a = [d for d in range(na) if d not in ca]
    free_b = [d for d in range(nb) if d not in cb]
    k = int(np.prod([a.shape[d] for d in ca], dtype=np.int64))
    m = int(np.prod([a.shape[d] for d in free_a], dtype=np.int64))
    n = int(np.prod([b.shape[d] for d in free_b], dtype=np.int64))
    left = reshape(permute(a, free_a + ca), (m, k))
    right = reshape(permute(b, cb + free_b), (k, n))
    shape = tuple(a.shape[d] for d in free_a) + tuple(b.shape[d] for d in free_b)
    return view(mm(left, right), shape)


@supports_out("mul")
def kron(input, other, *, out=None):
    """out[i0*m0 + j0, i1*m1 + j1, ...] = a[i0, i1, ...] * b[j0, j1, ...] (m = b's shape, both
    padded to the same number of dims): a product of interleaved views, one multiplication."""
    if not isinstance(input, Tensor):
        raise argument_error(kron, locals())
    for pos, (name, t) in enumerate((("self", input), ("other", other)), 1):
        if not isinstance(t, Tensor):
            raise TypeError(f"kron(): argument '{name}' (position {pos}) must be Tensor, not "
                            f"{type(t).__name__}")
    n = max(input.dim(), other.dim())
    sa = (1,) * (n - input.dim()) + tuple(input.shape)
    sb = (1,) * (n - other.dim()) + tuple(other.shape)
    a = reshape(input, tuple(x for s in sa for x in (s, 1)))
    b = reshape(other, tuple(x for s in sb for x in (1, s)))
    return UnsafeView.apply(mul(a, b), tuple(x * y for x, y in zip(sa, sb)))


def vander(x, N=None, increasing: bool = False):
    """Columns x^0, x^1, ..., x^(N-1) (reversed unless ``increasing``), as torch builds it: a
    matrix of ones, x written into columns 1.., their running product written back, a flip.
    Integer and bool inputs give int64. That running product overwrites the values its
    backward saved: a backward through vander raises torch's in-place error, as torch's does."""
    if not isinstance(x, Tensor):
        raise argument_error(vander, locals(), tensors=("x",))
    if x.dim() != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else int(N)
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    dt = x._data.dtype if x._data.dtype.kind == "f" else np.dtype(np.int64)
    result = _new_tensor(np.empty((x.shape[0], n), dtype=dt))
    if n > 0:
        result.fill_(1)
    if n > 1:
        result[:, 1:] = unsqueeze(x, 1)
        result[:, 1:] = cumprod(result[:, 1:], 1)
    return result if increasing else flip(result, (1,))
