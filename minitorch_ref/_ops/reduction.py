"""Reductions over dims (``sum``, ``mean``, ``prod``, ``max``/``min``, ``amax``/``amin``,
``argmax``/``argmin``, ``logsumexp``, ``norm``, ``any``/``all``); ``var``/``std`` are in
``variance.py``.

Backward broadcasts ``g`` back over the reduced dims, restoring them as size-1 dims first when
``keepdim=False`` (``_expand_back``). Where several inputs tie for a max or min, the gradient
follows torch exactly: ``max``/``min`` without a dim and ``amax``/``amin`` split it evenly among
the ties; ``max``/``min`` with a dim route all of it to the index they return. Each op reads top
to bottom: its kernel (an ``ArrayFunction``: the math in the docstring, ``forward`` beside
``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out), then the public
function with torch's checks."""
from __future__ import annotations

import math

import numpy as np

from .._dtype import can_cast, cast, from_numpy_dtype, get_default_dtype, to_numpy_dtype
from .._names import scalar_type_name
from .._tensor import _new_tensor
from ..autograd.function import ArrayFunction
from ..autograd.grad_mode import is_grad_enabled
from ..return_types import make_return
from ._arguments import argument_error
from ._half import F16 as _F16, half_accumulated, half_prod
from ._util import (Tensor, as_dtype, div_scalar, half_scaled, new_zeros, normalize_dims,
                    scatter_, wrap_dim, zeros_masked_fill)
from .comparison import maximum, minimum
from .out import copy_out, reduce_dtype, supports_out, with_out, with_outs

__all__ = ["sum", "mean", "prod", "max", "min", "amax", "amin", "aminmax", "argmax", "argmin",
           "logsumexp", "norm", "any", "all", "count_nonzero"]


def _keep(g: np.ndarray, shape: tuple, dims: tuple, keepdim: bool) -> np.ndarray:
    """``g`` with the reduced dims restored as size-1 dims (so that it broadcasts over them;
    a 0-d ``g`` broadcasts as it is)."""
    if keepdim or not dims or g.ndim == 0:
        return g
    return g.reshape([1 if i in dims else s for i, s in enumerate(shape)])


def _expand_back(g: np.ndarray, shape: tuple, dims: tuple, keepdim: bool,
                 n: int | None = None) -> np.ndarray:
    """The reduced gradient (divided by ``n``), broadcast to the input's shape (``g`` repeated
    over ``dims``), as a fresh array (cheaper than ``np.broadcast_to`` at small sizes, and
    ready to become a leaf's ``.grad`` without a copy). Under create_graph it is torch's
    ``sum_backward``, ``grad.expand(shape)`` (ExpandBackward0), then ``/ n`` for a mean
    (a division by a number: DivBackward1)."""
    if type(g) is np.ndarray or not hasattr(g, "graph_array"):
        if n is not None:  # (torch divides a float16 gradient in float32, rounds once)
            g = half_scaled(np.true_divide, g, n) if g.dtype == _F16 else g / n
        out = np.empty(shape, dtype=g.dtype)
        out[...] = g if keepdim or g.ndim == 0 else _keep(g, shape, dims, keepdim)
        return out
    out = np.broadcast_to(_keep(g, shape, dims, keepdim), shape)
    return out if n is None else div_scalar(out, n)


def _np_dtype(dtype):
    return None if dtype is None else to_numpy_dtype(dtype)


def _grad_dtype(input, dtype):
    """``dtype=`` of a differentiable reduction as a NumPy dtype: torch refuses an integer or
    bool result for an input that requires grad (while grad mode is on)."""
    np_dtype = _np_dtype(dtype)
    if np_dtype is not None and np_dtype.kind != "f" and input.requires_grad \
            and is_grad_enabled():
        raise RuntimeError(f"Autograd not support dtype: {scalar_type_name(np_dtype)}")
    return np_dtype


def _reduced_count(shape: tuple, dims: tuple) -> int:
    n = 1
    for d in dims:
        n *= shape[d]
    return n


# -- sum, mean, prod -------------------------------------------------------------------------------

class Sum(ArrayFunction):
    """out = sum of a over ``dims``.      dL/da = g broadcast over ``dims``.

    float16 (or ``dtype=float16``: the input converted to float16 first) by
    ``half_accumulated``."""

    _backward_name = "SumBackward0"  # sum(): every element; sum(dim) records SumBackward1

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False, dtype=None):
        dims = normalize_dims(dim, a.ndim)
        ctx.shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
        if dtype is None and a.dtype.kind in "biu":
            dtype = np.int64  # torch sums bool and integer tensors as int64
        if dtype == _F16 or (dtype is None and a.dtype == _F16):
            axis = None if dim is None and not keepdim else dims
            return half_accumulated(np.sum, cast(a, _F16), axis=axis, keepdims=keepdim)
        # np.add.reduce is ndarray.sum without its Python wrapper (the same summation);
        # out=... keeps a 0-d result an array
        axis = None if dim is None and not keepdim else dims
        return np.add.reduce(a, axis, dtype, keepdims=keepdim, out=...)

    @staticmethod
    def backward(ctx, g):
        return _expand_back(g, ctx.shape, ctx.dims, ctx.keepdim), None, None, None


@supports_out(rule="exact", overlap=None, dtype_from_out=True)
def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):  # noqa: A001 - torch's name
    if not isinstance(input, Tensor):
        raise argument_error(sum, locals())
    if dim is None and not keepdim and dtype is None:  # the common x.sum(): fewest arguments
        return Sum.apply(input)
    if dim is None:
        return Sum.apply(input, dim, keepdim, _grad_dtype(input, dtype))
    return Sum.apply(input, dim, keepdim, _grad_dtype(input, dtype), name="SumBackward1")


class Mean(ArrayFunction):
    """out = sum(a over ``dims``) / n,  n = number of elements reduced.
    dL/da = g / n broadcast over ``dims``.

    A float16 result (a float16 input, or ``dtype=float16``) is torch's
    ``half(sum(float32(a)) / n)``: the input converted to float32 (not float16), summed and
    divided in float32, rounded once."""

    _backward_name = "MeanBackward0"  # mean(): every element; mean(dim): MeanBackward1

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False, dtype=None):
        if dtype is None and a.dtype.kind != "f":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {scalar_type_name(a.dtype)}")
        half = dtype == _F16 or (dtype is None and a.dtype == _F16)
        if half:
            a = a.astype(np.float32)
        elif dtype is not None:
            a = a.astype(dtype)
        if dim is None and not keepdim:  # every element: the common loss.mean()
            ctx.shape, ctx.dims, ctx.keepdim, ctx.n = a.shape, (), False, a.size
            total = np.add.reduce(a, None)  # (a.sum() without its Python wrapper)
        else:
            dims = normalize_dims(dim, a.ndim)
            ctx.shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
            ctx.n = _reduced_count(a.shape, dims)
            total = np.add.reduce(a, dims, keepdims=keepdim)
        n = ctx.n
        if half:  # (of nothing: nan)
            return np.asarray(total / np.float32(n) if n else total * np.nan).astype(_F16)
        return np.asarray(total / n if n else total * np.nan)  # the mean of nothing is nan

    @staticmethod
    def backward(ctx, g):
        return _expand_back(g, ctx.shape, ctx.dims, ctx.keepdim, ctx.n), None, None, None


def _mean_out_dtype(input, out, dtype):
    """The dtype ``mean(..., out=)`` computes in: ``dtype`` when given; else out's dtype when
    the input's float dtype can be cast to it (float32 for a float16 ``out``, which torch
    then rounds), else None (the mean's own error, or the cast error of the rule, follows)."""
    if dtype is not None or not isinstance(out, Tensor) or input._data.dtype.kind != "f":
        return dtype
    want = out._data.dtype
    if not can_cast(from_numpy_dtype(input._data.dtype), from_numpy_dtype(want)):
        return None
    return np.dtype(np.float32) if want == np.float16 else want


def _mean_out(out, input, dim=None, keepdim=False, *, dtype=None):
    return with_out(out, "mean", mean, input, dim, keepdim,
                    dtype=_mean_out_dtype(input, out, dtype),
                    rule="exact" if dtype is not None else "cast" if dim is not None
                    else "mean_all", overlap=None)


@supports_out(handler=_mean_out)
def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(mean, locals())
    if dim is None and not keepdim and dtype is None:
        return Mean.apply(input)
    if dtype is not None and _np_dtype(dtype).kind != "f":
        raise RuntimeError("mean(): could not infer output dtype. Optional dtype must be either "
                           "a floating point or complex dtype. Got: "
                           f"{scalar_type_name(_np_dtype(dtype))}")
    if dim is None:
        return Mean.apply(input, dim, keepdim, _np_dtype(dtype))
    return Mean.apply(input, dim, keepdim, _np_dtype(dtype), name="MeanBackward1")


class Prod(ArrayFunction):
    """out = product of a along ``dim`` (every element when ``dim`` is None); float16 in
    torch's order, each product rounded (``half_prod``).
    dL/da_i = g * prod_{j != i} a_j,

    which torch computes, as we do, as g * out / a_i when no element of a (anywhere) is zero
    (so an infinite or NaN element gives torch's NaN there), and otherwise without dividing by
    a_i, so that zeros are exact: with one zero in a slice only that element gets a gradient
    (the product of the others); with two or more zeros, none does (for the whole product,
    outside create_graph, torch returns zeros at once, even beside an infinity)."""

    _backward_name = "ProdBackward0"  # prod(): every element; prod(dim): ProdBackward1

    @staticmethod
    def forward(ctx, a, dim, keepdim, dtype):
        if dtype is None and a.dtype.kind in "biu":
            dtype = np.int64
        if dtype is not None:
            a = a.astype(dtype)
        ctx.dim, ctx.keepdim = dim, keepdim
        if a.dtype == _F16 and a.ndim and type(a) is np.ndarray:
            out = half_prod(a, dim)
            if keepdim and dim is not None:
                out = np.expand_dims(out, dim)
        elif dim is None:  # dtype again: NumPy's product of bools would be an integer
            out = np.asarray(a.prod(dtype=dtype))
        else:
            out = a.prod(axis=dim, keepdims=keepdim, dtype=dtype)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        if a.ndim == 0:
            return g, None, None, None
        zeros = np.count_nonzero(a == 0)
        if ctx.dim is None and zeros > 1 and not is_grad_enabled():
            return new_zeros(g, a.shape), None, None, None  # (torch's shortcut: all zero)
        if not zeros:
            if ctx.dim is not None:
                g, out = (_keep(t, a.shape, (ctx.dim,), ctx.keepdim) for t in (g, out))
            return g * (out / a), None, None, None
        if ctx.dim is None:
            flat = a.reshape(-1)
            # torch's prod_safe_zeros_backward on the flattening, viewed back last
            return (g * _prod_others(flat, 0)).reshape(a.shape), None, None, None
        g = _keep(g, a.shape, (ctx.dim,), ctx.keepdim)
        return g * _prod_others(a, ctx.dim), None, None, None


def _prod_others(a: np.ndarray, axis: int) -> np.ndarray:
    """For each element, the product of the other elements along ``axis``: the exclusive
    cumulative product from the left times the one from the right (no division)."""
    if a.shape[axis] == 0:  # no elements along axis: nothing to multiply (and no gradient)
        return a

    def cumprod(x):  # float16 as torch's cumprod: in float32, each output rounded once
        if type(x) is np.ndarray and x.dtype == _F16:
            return half_accumulated(np.cumprod, x, axis=axis)
        return np.cumprod(x, axis=axis)

    ones = np.ones_like(np.take(a, [0], axis=axis))
    left = cumprod(np.concatenate([ones, np.take(a, range(a.shape[axis] - 1), axis=axis)],
                                  axis=axis))
    rev = np.flip(a, axis)
    right = np.flip(cumprod(np.concatenate(
        [ones, np.take(rev, range(a.shape[axis] - 1), axis=axis)], axis=axis)), axis)
    return left * right


def _prod_out(out, input, dim=None, keepdim=False, *, dtype=None):
    if dim is None:  # torch has no prod(input, *, out) overload
        raise TypeError("prod() received an invalid combination of arguments - got "
                        "(Tensor, out=Tensor), but expected one of:")
    return with_out(out, "prod", prod, input, dim, keepdim, dtype=reduce_dtype(out, dtype),
                    rule="exact", overlap=None)


@supports_out(handler=_prod_out)
def prod(input, dim=None, keepdim: bool = False, *, dtype=None, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(prod, locals())
    if dim is None:
        return Prod.apply(input, None, False, _grad_dtype(input, dtype))
    return Prod.apply(input, wrap_dim(dim, input.dim()), keepdim, _grad_dtype(input, dtype),
                      name="ProdBackward1")


# -- max, min, amax, amin, aminmax, argmax, argmin -------------------------------------------------

def _empty_reduction_error(name: str, a: np.ndarray, dims: tuple) -> Exception:
    if a.ndim == 0 or len(dims) == a.ndim and a.size == 0:
        return RuntimeError(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument.")
    d = next(d for d in dims if a.shape[d] == 0)
    return IndexError(
        f"{name}(): Expected reduction dim {d} to have non-zero size.")


def _check_reduced_dims(name: str, a: np.ndarray, dim, prefix: str = "()") -> None:
    """torch's refusal to reduce over an empty dim without an identity (max, min, ...): no dim
    given and no element, or the first given dim of size 0, named as the caller wrote it (an
    empty tensor reduced over other dims is fine)."""
    if a.size:
        return
    given = () if dim is None else (dim,) if isinstance(dim, int) else tuple(dim)
    if not given:
        raise _empty_reduction_error(name, a, tuple(range(a.ndim)))
    for d in given:
        if a.shape[wrap_dim(d, a.ndim)] == 0:
            raise IndexError(
                f"{name}{prefix}: Expected reduction dim {d} to have non-zero size.")


def _split_among_ties(a, out, g, dims, keepdim) -> np.ndarray:
    """g / k at each of the k elements of a equal to the reduced value ``out``, 0 elsewhere."""
    hit = a == _keep(out, a.shape, dims, keepdim)
    # torch's scale_grad_by_count: the int64 count is read in g's dtype (a float16 quotient)
    count = hit.sum(axis=dims, keepdims=True).astype(g.dtype)
    return (_keep(g, a.shape, dims, keepdim) / count) * hit


class Amax(ArrayFunction):
    """out = max of a over ``dims`` (NaN propagates).
    dL/da = g / k at each of the k elements equal to the max, 0 elsewhere (ties split evenly)."""

    _backward_name = "AmaxBackward0"
    _np_fn = staticmethod(np.max)

    @classmethod
    def forward(cls, ctx, a, dims, keepdim):
        if a.size == 0 and 0 in [a.shape[d] for d in dims]:  # (any is torch.any here)
            raise _empty_reduction_error(cls._backward_name[:4].lower(), a, dims)
        out = np.asarray(cls._np_fn(a, axis=dims, keepdims=keepdim))
        ctx.save_for_backward(a, out)
        ctx.dims, ctx.keepdim = dims, keepdim
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        return _split_among_ties(a, out, g, ctx.dims, ctx.keepdim), None, None


@supports_out(rule="input_dtype", overlap=None)
def amax(input, dim=(), keepdim: bool = False, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(amax, locals())
    dims = normalize_dims(dim, input.dim())
    _check_reduced_dims("amax", input._data, dim)
    return Amax.apply(input, dims, keepdim)


class Amin(Amax):
    """out = min of a over ``dims`` (NaN propagates).
    dL/da = g / k at each of the k elements equal to the min, 0 elsewhere (ties split evenly)."""

    _backward_name = "AminBackward0"
    _np_fn = staticmethod(np.min)


@supports_out(rule="input_dtype", overlap=None)
def amin(input, dim=(), keepdim: bool = False, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(amin, locals())
    dims = normalize_dims(dim, input.dim())
    _check_reduced_dims("amin", input._data, dim)
    return Amin.apply(input, dims, keepdim)


def _distribute_evenly(g, a, out):
    hit = np.isnan(a) if np.isnan(out) else a == out
    return zeros_masked_fill(hit, g / np.count_nonzero(hit))


class MaxAll(Amax):
    """``max()`` of every element: the value only.
    dL/da = g / k at each of the k elements equal to the max (each NaN when the max is NaN),
    else 0: selected, as in torch, so an inf/NaN g leaves the other elements 0 (amax's
    backward multiplies instead, also as in torch)."""

    _backward_name = "MaxBackward1"

    @staticmethod
    def backward(ctx, g):
        return _distribute_evenly(g, *ctx.saved_tensors), None, None


class MinAll(Amin):
    """``min()`` of every element: the value only.
    dL/da = g / k at each of the k elements equal to the min (each NaN when the min is NaN),
    else 0 (selected, as for max())."""

    _backward_name = "MinBackward1"

    @staticmethod
    def backward(ctx, g):
        return _distribute_evenly(g, *ctx.saved_tensors), None, None


class MaxDim(ArrayFunction):
    """values, indices = max of a along ``dim`` and the index of the first maximum (NaN counts
    as the maximum, as in torch).
    dL/da = g at the returned index, 0 elsewhere (ties: all of it to that one index)."""

    _backward_name = "MaxBackward0"
    _saved_attrs = ("idx",)  # torch's node saves the indices
    _np_arg = staticmethod(np.argmax)

    @classmethod
    def forward(cls, ctx, a, dim, keepdim):
        if a.ndim and a.shape[dim] == 0:
            raise IndexError(
                f"{cls._backward_name[:3].lower()}(): Expected reduction dim {dim} to have "
                "non-zero size.")
        idx = np.expand_dims(cls._np_arg(a, axis=dim), dim) if a.ndim else np.zeros((), np.int64)
        values = np.take_along_axis(a, idx, axis=dim) if a.ndim else a.copy()
        ctx.shape, ctx.dim, ctx.keepdim, ctx.idx = a.shape, dim, keepdim, idx
        if not keepdim and a.ndim:
            values, idx = values.squeeze(dim), idx.squeeze(dim)
        return values, idx.astype(np.int64)

    @staticmethod
    def backward(ctx, g, g_idx=None):
        out = new_zeros(g, ctx.shape)
        if not ctx.shape:  # torch's zeros.scatter(0, index, g), a 0-d ScatterBackward0
            return scatter_(out, 0, ctx.idx, g), None, None
        g = _keep(g, ctx.shape, (ctx.dim,), ctx.keepdim)
        np.put_along_axis(out, ctx.idx, g, axis=ctx.dim)
        return out, None, None


class MinDim(MaxDim):
    """values, indices = min of a along ``dim`` and the index of the first minimum.
    dL/da = g at the returned index, 0 elsewhere."""

    _backward_name = "MinBackward0"
    _np_arg = staticmethod(np.argmin)


_max_type = make_return("max", ("values", "indices"))


_min_type = make_return("min", ("values", "indices"))


def _max_min(name, dim_cls, all_cls, binary, input, dim, keepdim, other):
    if isinstance(dim, Tensor):  # max(input, other): the elementwise binary op
        dim, other = None, dim
    if other is not None:
        return binary(input, other)
    if dim is None:
        a = input._data
        if a.size == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument.")
        return all_cls.apply(input, tuple(range(a.ndim)), False)
    d = wrap_dim(dim, input.dim())
    values, indices = dim_cls.apply(input, d, keepdim)
    return (_max_type if name == "max" else _min_type)((values, indices))


def _max_min_out(name, fn, binary, out, input, dim, keepdim, other):
    """``max``/``min`` with ``out=``: the elementwise op's (with ``other``), one value's
    (without ``dim``: out's dtype only needs to hold it), or a (values, indices) pair's."""
    if isinstance(dim, Tensor):
        dim, other = None, dim
    if other is not None:
        return binary(input, other, out=out)
    if dim is None:
        return with_out(out, name, fn, input, rule="max_all", overlap=None)
    return with_outs(out, name, ("values", "indices"), fn, input, dim, keepdim)


def _max_out(out, input, dim=None, keepdim=False, *, other=None):
    return _max_min_out("max", max, maximum, out, input, dim, keepdim, other)


@supports_out(handler=_max_out)
def max(input, dim=None, keepdim: bool = False, *, other=None, out=None):  # noqa: A001
    """``max(x)``: the largest value; ``max(x, dim)``: (values, indices);
    ``max(x, other)``: the elementwise maximum."""
    if not isinstance(input, Tensor) or isinstance(dim, (float, bool)):
        raise argument_error(max, locals())
    return _max_min("max", MaxDim, MaxAll, maximum, input, dim, keepdim, other)


def _min_out(out, input, dim=None, keepdim=False, *, other=None):
    return _max_min_out("min", min, minimum, out, input, dim, keepdim, other)


@supports_out(handler=_min_out)
def min(input, dim=None, keepdim: bool = False, *, other=None, out=None):  # noqa: A001
    """``min(x)``: the smallest value; ``min(x, dim)``: (values, indices);
    ``min(x, other)``: the elementwise minimum."""
    if not isinstance(input, Tensor) or isinstance(dim, (float, bool)):
        raise argument_error(min, locals())
    return _max_min("min", MinDim, MinAll, minimum, input, dim, keepdim, other)


_aminmax_type = make_return("aminmax", ("min", "max"))


class Aminmax(ArrayFunction):
    """(min, max) over ``dims``.   dL/da = the ``amin`` and ``amax`` gradients added (each
    split evenly among its ties)."""

    _backward_name = "AminmaxBackward0"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        lo = np.asarray(np.min(a, axis=dims, keepdims=keepdim))
        hi = np.asarray(np.max(a, axis=dims, keepdims=keepdim))
        ctx.save_for_backward(a, lo, hi)
        ctx.dims, ctx.keepdim = dims, keepdim
        return lo, hi

    @staticmethod
    def backward(ctx, g_lo, g_hi):
        a, lo, hi = ctx.saved_tensors
        ga = None  # (one gradient alone keeps its -0.0, as torch)
        for g, out in ((g_lo, lo), (g_hi, hi)):
            if g is not None:
                gi = _split_among_ties(a, out, g, ctx.dims, ctx.keepdim)
                ga = gi if ga is None else ga + gi
        return ga, None, None


@supports_out(fields=("min", "max"))
def aminmax(input, *, dim=None, keepdim: bool = False, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(aminmax, locals())
    dims = normalize_dims(dim, input.dim())
    if input._data.size == 0 and dim is None:
        raise RuntimeError(
            "aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
            "identity.")
    _check_reduced_dims("aminmax", input._data, dim, prefix="")
    return _aminmax_type(Aminmax.apply(input, dims, keepdim))


def _arg(np_fn, name, input, dim, keepdim):
    a = input._data
    if a.dtype == np.bool_:
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None:
        if a.size == 0:
            raise IndexError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        idx = np_fn(a.reshape(-1))
        return _new_tensor(np.asarray(idx, dtype=np.int64).reshape((1,) * a.ndim if keepdim
                                                                    else ()))
    d = wrap_dim(dim, a.ndim)
    if a.ndim == 0:
        return _new_tensor(np.zeros((), np.int64))
    if a.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return _new_tensor(np.asarray(np_fn(a, axis=d, keepdims=keepdim), dtype=np.int64))


@supports_out(rule="exact", differentiable=None, overlap=None)
def argmax(input, dim=None, keepdim: bool = False, *, out=None):
    """The index of the first maximum (of the flattened tensor when ``dim`` is None)."""
    if not isinstance(input, Tensor):
        raise argument_error(argmax, locals())
    return _arg(np.argmax, "argmax", input, dim, keepdim)


@supports_out(rule="exact", differentiable=None, overlap=None)
def argmin(input, dim=None, keepdim: bool = False, *, out=None):
    """The index of the first minimum (of the flattened tensor when ``dim`` is None)."""
    if not isinstance(input, Tensor):
        raise argument_error(argmin, locals())
    return _arg(np.argmin, "argmin", input, dim, keepdim)


# -- logsumexp -------------------------------------------------------------------------------------

class LogSumExp(ArrayFunction):
    """out = log(sum(exp(a))) over ``dims``, computed as m + log(sum(exp(a - m))) with
    m = max(a) so that nothing overflows (m is taken as 0 where it is infinite); float16 as
    torch: each step rounded to float16, the sum accumulated in float32.
    dL/da = g * exp(a - out)   (the softmax of a)."""

    _backward_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        if a.dtype.kind != "f":
            a = a.astype(get_default_dtype().np)
        if a.size == 0:
            out = np.log(np.sum(np.exp(a), axis=dims, keepdims=keepdim))
        else:
            m = np.max(a, axis=dims, keepdims=True)
            m = np.where(np.isinf(m), 0, m)
            e = np.exp(a - m)
            total = half_accumulated(np.sum, e, axis=dims, keepdims=True) \
                if e.dtype == _F16 and type(e) is np.ndarray else np.sum(e, dims, keepdims=True)
            out = np.log(total) + m
            if not keepdim:
                out = np.squeeze(out, axis=dims)
        out = as_dtype(out, a.dtype)
        ctx.save_for_backward(a, out)
        ctx.dims, ctx.keepdim = dims, keepdim
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        out = _keep(out, a.shape, ctx.dims, ctx.keepdim)
        return _keep(g, a.shape, ctx.dims, ctx.keepdim) * np.exp(a - out), None, None


@supports_out(rule="float_result", overlap=None)
def logsumexp(input, dim, keepdim: bool = False, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(logsumexp, locals())
    if not isinstance(input, Tensor):
        raise argument_error(logsumexp, locals())
    return LogSumExp.apply(input, normalize_dims(dim, input.dim()), keepdim)


# -- norm ------------------------------------------------------------------------------------------

class VectorNorm(ArrayFunction):
    """out = (sum |a|^p)^(1/p) over ``dims``; p = inf: max |a|; p = -inf: min |a|; p = 0: the
    number of non-zero elements.
    dL/da = g * sign(a) |a|^(p-1) / out^(p-1)   (p = 2: g * a / out; p = 1: g * sign(a)),
    0 where a = 0 or out = 0 (torch's convention); p = +-inf: g * sign(a) split evenly among
    the elements whose |a| equals out; p = 0: no gradient."""

    _backward_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, p, dims, keepdim):
        x = a.astype(np.float32) if type(a) is np.ndarray and a.dtype == _F16 else a
        absa = np.abs(x)
        if p == math.inf:
            out = np.max(absa, axis=dims, keepdims=keepdim)
        elif p == -math.inf:
            out = np.min(absa, axis=dims, keepdims=keepdim)
        elif p == 0:
            out = np.sum(a != 0, axis=dims, keepdims=keepdim).astype(a.dtype)
        elif p == 1:
            out = np.sum(absa, axis=dims, keepdims=keepdim)
        elif p == 2:
            out = np.sqrt(np.sum(x * x, axis=dims, keepdims=keepdim))
        else:
            out = np.sum(absa ** p, axis=dims, keepdims=keepdim) ** (1.0 / p)
        out = as_dtype(out, a.dtype)
        ctx.save_for_backward(a, out)
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        p = ctx.p
        if p == 0:
            return None, None, None, None
        g = _keep(g, a.shape, ctx.dims, ctx.keepdim)
        out = _keep(out, a.shape, ctx.dims, ctx.keepdim)
        if p == 1:
            ga = g * _sgn(a)
        elif math.isinf(p):
            # the elements where |a| reaches the norm, and every NaN (torch's mask): g split
            # among them, times sgn(a), which is 0 at a NaN
            hit = (np.abs(a) == out) | np.isnan(a)
            ga = _sgn(a) * (g / hit.sum(axis=ctx.dims, keepdims=True) * hit)
        elif p == 2:
            # g / out on the reduced shape, then one product: torch's g * (a / out) divides at
            # full size (4-6x slower here); its second derivative at out = 0 is NaN (0/0 from
            # the masked quotient), ours 0
            if a.dtype == _F16:  # torch's order: g * (a / out), masked
                ga = g * np.where(out == 0, 0, a / out)
            else:
                ga = np.where(out == 0, 0, g / out) * a
        else:
            # torch's arrangement per range of p, each with its mask (the second derivatives at
            # a = 0 or out = 0 are then torch's): p < 1: the power of |a| is the singular one;
            # otherwise the division by out^(p-1)
            if p < 1:
                scaled = np.sign(a) * np.where(a == 0, 0, np.abs(a) ** (p - 1))
                return scaled * g * out ** (1 - p), None, None, None
            scaled = np.sign(a) * np.abs(a) ** (p - 1) if p < 2 else a * np.abs(a) ** (p - 2)
            ga = scaled * np.where(out == 0, 0, g / out ** (p - 1))
        return ga, None, None, None


def _sgn(a) -> np.ndarray:
    """torch's sgn of real values: -1, 0 or 1, and 0 at NaN (as (0 < a) - (a < 0))."""
    return np.where(np.isnan(a), 0, np.sign(a)).astype(a.dtype)


def _is_matrix_norm(p, dim) -> bool:
    """``'nuc'``, or ``'fro'`` over more than two dims: torch's ``norm`` is then
    ``linalg.matrix_norm``."""
    return isinstance(p, str) and not (p == "fro" and (dim is None or isinstance(dim, int)
                                                       or len(dim) <= 2))


def _norm_out(out, input, p="fro", dim=None, keepdim=False, dtype=None):
    if _is_matrix_norm(p, dim):  # torch copies linalg.matrix_norm's result into out
        return copy_out(out, norm(input, p, dim, keepdim, dtype=dtype), "matrix_norm", "norm")
    return with_out(out, "linalg_vector_norm", norm, input, p, dim, keepdim, dtype=dtype,
                    rule="exact", overlap=None)


def check_empty_norm(a: np.ndarray, ord, dims) -> None:
    """torch's refusal of a norm without an identity (inf, or ord < 0: a max, a min or an
    inverse) over no elements: the whole empty tensor, or the first given dim of size 0."""
    p = float(ord)
    if a.size or not (p < 0 or p == math.inf):
        return
    shown = f"{ord:g}" if isinstance(ord, (int, float, np.number)) else str(ord)
    if not dims:
        raise RuntimeError(f"linalg.vector_norm cannot compute the {shown} norm on an empty "
                           "tensor because the operation does not have an identity")
    for d in dims:
        if a.shape[wrap_dim(d, a.ndim)] == 0:  # (torch's message lacks the space too)
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {shown} norm on the dimension "
                f"{d}because this dimension is empty and the operation does not have an "
                "identity")


@supports_out(handler=_norm_out)
def norm(input, p="fro", dim=None, keepdim: bool = False, out=None, dtype=None):
    """The vector p-norm over ``dim`` (every element when None). ``'fro'`` is the 2-norm;
    ``p`` may be any number, ``inf`` or ``-inf``; ``'nuc'`` (or ``'fro'`` over more than two
    dims) is ``linalg.matrix_norm`` over ``dim`` (every dim when None), as in torch."""
    if _is_matrix_norm(p, dim):
        from ..linalg import matrix_norm  # (a cycle: torch.linalg is built on VectorNorm)
        dims = [dim] if isinstance(dim, int) else list(range(input.dim())) if dim is None \
            else dim
        return matrix_norm(input, p, dims, keepdim, dtype=dtype)
    if dtype is not None:
        input = input.to(dtype)
    a = input._data
    if a.dtype.kind != "f":
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. "
            f"Got {scalar_type_name(a.dtype)}")
    if p == "fro" or p is None:
        p = 2
    if isinstance(dim, int):
        dim = (dim,)
    check_empty_norm(a, p, dim)
    dims = normalize_dims(dim, a.ndim)
    return VectorNorm.apply(input, float(p), dims, keepdim)


# -- any, all, count_nonzero: boolean and integer results, never part of the graph -----------------

def _bool_reduce(np_fn, input, dim, keepdim):
    a = input._data
    if dim is None:
        return _new_tensor(np.asarray(np_fn(a)))
    dims = normalize_dims(dim, a.ndim)
    return _new_tensor(np.asarray(np_fn(a, axis=dims, keepdims=keepdim)))


@supports_out(rule="bool_result", differentiable=None, overlap=None)
def any(input, dim=None, keepdim: bool = False, *, out=None):  # noqa: A001
    if not isinstance(input, Tensor):
        raise argument_error(any, locals())
    return _bool_reduce(np.any, input, dim, keepdim)


@supports_out(rule="bool_result", differentiable=None, overlap=None)
def all(input, dim=None, keepdim: bool = False, *, out=None):  # noqa: A001
    if not isinstance(input, Tensor):
        raise argument_error(all, locals())
    return _bool_reduce(np.all, input, dim, keepdim)


def count_nonzero(input, dim=None):
    if not isinstance(input, Tensor):
        raise argument_error(count_nonzero, locals())
    a = input._data
    dims = None if dim is None else normalize_dims(dim, a.ndim)
    return _new_tensor(np.asarray(np.count_nonzero(a, axis=dims), dtype=np.int64))
