"""The NumPy functions a GraphArray answers through ``__array_function__`` (graph_array.py):
each runs as the library's own recorded ops, with NumPy's semantics (dtypes, axes, views)."""
from __future__ import annotations

import numpy as np

from .graph_array import (
    _FUNCTIONS, GraphArray, _as_tensor, _axes, _data, _dt, _is_ga, _leaves_graph,
    _mt, _no_out, _reduce_sum, _result_dtype, _tensor_const,
)


def _implements(*funcs):
    def deco(impl):
        for f in funcs:
            _FUNCTIONS[f] = impl
        return impl
    return deco


def _like(fill):
    def impl(a, dtype=None, order="K", subok=True, shape=None, *args, **kwargs):
        dt = np.dtype(dtype) if dtype is not None else _dt(a)
        shp = a.shape if shape is None else shape
        arr = np.full(shp, fill, dtype=dt) if fill is not None else np.zeros(shp, dtype=dt)
        if dt.kind != "f":
            return arr
        return GraphArray(_tensor_const(arr))
    return impl


_implements(np.zeros_like, np.empty_like)(_like(0))
_implements(np.ones_like)(_like(1))


@_implements(np.full_like)
def _full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None):
    if _is_ga(fill_value):
        raise _leaves_graph("np.full_like with a recorded fill value")
    return _like(fill_value)(a, dtype, order, subok, shape)


@_implements(np.shape)
def _shape(a):
    return a.shape


@_implements(np.ndim)
def _ndim(a):
    return a.ndim


@_implements(np.size)
def _size(a, axis=None):
    return a.size if axis is None else a.shape[axis]


@_implements(np.result_type)
def _result_type(*xs):
    return np.result_type(*[_dt(x) if _is_ga(x) else x for x in xs])


@_implements(np.may_share_memory, np.shares_memory)
def _may_share(a, b, *args):
    return a is b


@_implements(np.copyto)
def _copyto(dst, src, casting="same_kind", where=True):
    if where is not True:
        raise _leaves_graph("np.copyto(where=...)")
    if not _is_ga(dst):
        raise _leaves_graph("np.copyto into a plain ndarray")
    dst._assign(_as_tensor(src, dst.dtype))


@_implements(np.where)
def _where(cond, x=None, y=None):
    if x is None:
        return np.where(_data(cond))
    dt = _result_dtype(x, y)
    c = _tensor_const(np.asarray(_data(cond), dtype=bool))
    return GraphArray(_mt().where(c, _as_tensor(x, dt), _as_tensor(y, dt)))


@_implements(np.putmask)
def _putmask(a, mask, values):
    """``np.putmask(a, mask, value)`` with one value (a number or a 0-d array) and a mask of
    a's shape: torch's in-place ``a.masked_fill_(mask, value)``, as torch's formulas write
    (MaskedFillBackward0, or MaskedFillBackward1 for a recorded 0-d value)."""
    if not _is_ga(a):
        raise _leaves_graph("np.putmask into a plain ndarray")
    if np.ndim(values) != 0:
        raise _leaves_graph("np.putmask with an array of values")
    m = _tensor_const(np.broadcast_to(np.asarray(_data(mask), dtype=bool), a.shape))
    value = _as_tensor(values, a.dtype) if _is_ga(values) else \
        np.asarray(values).astype(a.dtype).item()
    a._assign(_mt().masked_fill(a.t, m, value))


@_implements(np.sum)
def _np_sum(a, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
    return _reduce_sum(a, axis, dtype, out, keepdims)


@_implements(np.mean)
def _np_mean(a, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
    return a.mean(axis, dtype, out, keepdims)


@_implements(np.prod)
def _np_prod(a, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
    return a.prod(axis, dtype, out, keepdims)


@_implements(np.max, np.amax)
def _np_max(a, axis=None, out=None, keepdims=False, **kwargs):
    return a.max(axis, out, keepdims)


@_implements(np.min, np.amin)
def _np_min(a, axis=None, out=None, keepdims=False, **kwargs):
    return a.min(axis, out, keepdims)


@_implements(np.cumsum)
def _np_cumsum(a, axis=None, dtype=None, out=None):
    return a.cumsum(axis, dtype, out)


@_implements(np.cumprod)
def _np_cumprod(a, axis=None, dtype=None, out=None):
    _no_out(out)
    x = a if dtype is None else a.astype(dtype)
    if axis is None:
        return GraphArray(x.t.reshape(-1).cumprod(0))
    return GraphArray(x.t.cumprod(axis))


@_implements(np.einsum)
def _einsum(*operands, optimize=False, **kwargs):
    if kwargs:
        raise _leaves_graph(f"np.einsum with {sorted(kwargs)}")
    eq, ops = operands[0], operands[1:]
    if not isinstance(eq, str):
        raise _leaves_graph("np.einsum in its sublist form")
    dt = _result_dtype(*ops)
    return GraphArray(_mt().einsum(eq, *[_as_tensor(o, dt) for o in ops]))


@_implements(np.dot)
def _dot(a, b, out=None):
    _no_out(out)
    if np.ndim(a) > 2 or np.ndim(b) > 2:
        raise _leaves_graph("np.dot on arrays of more than two dimensions")
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return np.multiply(a, b)
    return np.matmul(a, b)


@_implements(np.reshape)
def _reshape(a, *args, **kwargs):
    shape = kwargs.pop("newshape", kwargs.pop("shape", None))
    if shape is None:
        shape = args[0]
    if not _is_ga(a):
        return np.reshape(a, shape)
    return a.reshape(shape)


@_implements(np.transpose)
def _transpose(a, axes=None):
    return a.transpose() if axes is None else a.transpose(axes)


@_implements(np.swapaxes)
def _swapaxes(a, axis1, axis2):
    return a.swapaxes(axis1, axis2)


@_implements(np.moveaxis)
def _moveaxis(a, source, destination):
    return a._view_of(_mt().movedim(a.t, source, destination),
                      lambda v: _mt().movedim(v, destination, source))


@_implements(np.expand_dims)
def _expand_dims(a, axis):
    t = a.t
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    nd = a.ndim + len(axes)
    for ax in sorted(x % nd for x in axes):
        t = t.unsqueeze(ax)
    return a._view_of(t, lambda v: v.reshape(a.shape))


@_implements(np.squeeze)
def _squeeze(a, axis=None):
    return a.squeeze(axis)


@_implements(np.ravel)
def _ravel(a, order="C"):
    return a.reshape(-1)


@_implements(np.broadcast_to)
def _broadcast_to(a, shape, subok=False):
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return a._view_of(a.t.expand(tuple(shape)))


@_implements(np.flip)
def _flip(a, axis=None):
    dims = _axes(axis, a.ndim)
    return GraphArray(a.t.flip(dims)) if dims else GraphArray(a.t)


@_implements(np.roll)
def _roll(a, shift, axis=None):
    if axis is None:
        return GraphArray(a.t.reshape(-1).roll(shift, 0).reshape(a.shape))
    return GraphArray(a.t.roll(shift, axis))


def _cat_inputs(arrays):
    arrays = list(arrays)
    dt = _result_dtype(*arrays)
    return [_as_tensor(x, dt) for x in arrays]


@_implements(np.concatenate)
def _concatenate(arrays, axis=0, out=None, dtype=None, **kwargs):
    _no_out(out)
    ts = _cat_inputs(arrays)
    if axis is None:
        return GraphArray(_mt().cat([t.reshape(-1) for t in ts], 0))
    return GraphArray(_mt().cat(ts, axis))


@_implements(np.stack)
def _stack(arrays, axis=0, out=None, **kwargs):
    _no_out(out)
    return GraphArray(_mt().stack(_cat_inputs(arrays), axis))


@_implements(np.split, np.array_split)
def _split(ary, indices_or_sections, axis=0):
    """One recorded split (SplitWithSizesBackward0: its backward joins the pieces' gradients
    once); the pieces are read-only views (a write into one could not reach the others)."""
    n = ary.shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        k = int(indices_or_sections)
        size, extra = divmod(n, k)
        bounds = np.cumsum([0] + [size + (i < extra) for i in range(k)]).tolist()
    else:
        bounds = [0] + [min(max(int(i) + n * (int(i) < 0), 0), n)
                        for i in indices_or_sections] + [n]
    if any(b < a for a, b in zip(bounds[:-1], bounds[1:])):  # NumPy's empty pieces: slices
        lead = (slice(None),) * (axis % ary.ndim)
        return [ary[lead + (slice(a, b),)] for a, b in zip(bounds[:-1], bounds[1:])]
    sizes = [b - a for a, b in zip(bounds[:-1], bounds[1:])]
    return [ary._view_of(t) for t in _mt().split(ary.t, sizes, axis % ary.ndim)]


@_implements(np.broadcast_arrays)
def _broadcast_arrays(*args, subok=False):
    shape = np.broadcast_shapes(*[np.shape(a) for a in args])
    return [np.broadcast_to(a, shape) for a in args]


@_implements(np.repeat)
def _repeat(a, repeats, axis=None):
    t = a.t if axis is not None else a.t.reshape(-1)
    reps = repeats if isinstance(repeats, int) else _tensor_const(np.asarray(repeats))
    return GraphArray(t.repeat_interleave(reps, dim=0 if axis is None else axis))


@_implements(np.tile)
def _tile(a, reps):
    return GraphArray(a.t.tile(reps if isinstance(reps, tuple) else (reps,)))


def _int_index(indices) -> np.ndarray:
    idx = np.asarray(_data(indices))
    return idx.astype(np.intp) if idx.size == 0 else idx  # np.asarray(range(0)) is float


@_implements(np.take)
def _take(a, indices, axis=None, out=None, mode="raise"):
    _no_out(out)
    idx = _int_index(indices)
    if axis is None:
        return GraphArray(a.t.reshape(-1)[idx])
    return GraphArray(a.t[(slice(None),) * (axis % a.ndim) + (idx,)])


@_implements(np.take_along_axis)
def _take_along_axis(arr, indices, axis):
    idx = _int_index(indices)
    if axis is None:
        return GraphArray(arr.t.reshape(-1)[idx])
    grid = list(np.indices(idx.shape, sparse=True))
    grid[axis % arr.ndim] = idx
    return GraphArray(arr.t[tuple(grid)])


@_implements(np.put_along_axis)
def _put_along_axis(arr, indices, values, axis):
    """Into a GraphArray: torch's ``arr.scatter_(axis, indices, values)`` (ScatterBackward0),
    as torch's formulas put values back at their indices (sort, topk, max along a dim)."""
    if not _is_ga(arr) or axis is None:
        idx = _int_index(indices)
        grid = list(np.indices(idx.shape, sparse=True))
        grid[axis % arr.ndim] = idx
        arr[tuple(grid)] = values
        return
    axis %= arr.ndim
    idx = _int_index(indices).astype(np.int64)
    shape = list(np.broadcast_shapes(idx.shape, arr.shape[:axis] + (idx.shape[axis],)
                                     + arr.shape[axis + 1:]))
    idx = np.broadcast_to(idx, shape)
    v = _as_tensor(values, arr.dtype)
    if tuple(v._data.shape) != tuple(shape):
        v = v.expand(tuple(shape))
    arr._assign(_mt().scatter(arr.t, axis, _tensor_const(idx), v))


@_implements(np.diagonal)
def _diagonal(a, offset=0, axis1=0, axis2=1):
    return a._view_of(a.t.diagonal(offset, axis1, axis2))


@_implements(np.trace)
def _trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    _no_out(out)
    return GraphArray(a.t.diagonal(offset, axis1, axis2).sum(-1))


@_implements(np.tril)
def _tril(m, k=0):
    return GraphArray(m.t.tril(k))


@_implements(np.triu)
def _triu(m, k=0):
    return GraphArray(m.t.triu(k))


@_implements(np.clip)
def _clip(a, a_min=None, a_max=None, out=None, **kwargs):
    if _is_ga(a_min) or _is_ga(a_max) or not _is_ga(a):
        raise _leaves_graph("np.clip with recorded bounds")
    r = GraphArray(a.t.clamp(_data(a_min), _data(a_max)))
    if out is not None:
        return out._assign(r.t) if _is_ga(out) else _leaves_graph("np.clip(out=ndarray)")
    return r


@_implements(np.nan_to_num)
def _nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    return GraphArray(x.t.nan_to_num(nan, posinf, neginf))


@_implements(np.pad)
def _pad(array, pad_width, mode="constant", **kwargs):
    if mode != "constant" or kwargs.get("constant_values", 0) != 0:
        raise _leaves_graph(f"np.pad(mode={mode!r})")
    pw = np.broadcast_to(np.asarray(pad_width), (array.ndim, 2))
    flat = []
    for before, after in pw[::-1]:
        flat += [int(before), int(after)]
    return GraphArray(_mt().nn.functional.pad(array.t, flat))


@_implements(np.bincount)
def _bincount(x, weights=None, minlength=0):
    idx = np.asarray(_data(x))
    n = max(int(minlength), int(idx.max()) + 1 if idx.size else 0)
    out = np.zeros_like(weights, shape=(n,))
    np.add.at(out, idx, weights)
    return out


# piecewise-constant functions: computed on the values
def _on_values(func):
    return lambda *args, **kwargs: func(*_data(list(args)), **kwargs)


for _f in (np.argmax, np.argmin, np.argsort, np.nonzero, np.count_nonzero, np.any, np.all,
           np.isclose, np.allclose, np.array_equal, np.round, np.around, np.searchsorted,
           np.flatnonzero):
    _FUNCTIONS[_f] = _on_values(_f)
