"""Helpers shared by the op files: type promotion, dim normalisation, torch's error messages."""
from __future__ import annotations

import numpy as np

from .._dtype import (_INT64_MIN, _UINT64_END, cast, cast_value, check_int_scalar,
                      get_default_dtype, result_np_dtype)
from .._names import scalar_type_name, shape_str
from .._tensor import Tensor, _new_tensor, _wrap_dim

__all__ = ["promote", "binary_ufunc", "as_float", "number", "wrap_dim", "normalize_dims",
           "broadcast_shapes_or_raise", "as_array", "as_dtype", "c_order", "zero_where",
           "new_zeros", "new_empty", "masked_zero", "zeros_masked_fill", "mul_scalar",
           "div_scalar", "Tensor", "_new_tensor", "shape_str", "check_tensor_args",
           "check_tensor_input", "float_kernel", "scatter_add_", "index_add_", "scatter_fill",
           "gather_along", "masked_scatter_", "put_", "scatter_", "is_recorded", "recorded_apply",
           "recorded_call"]


def promote(a, b):
    """Cast two operands (ndarrays or Python scalars) to torch's result dtype.

    Arrays are cast; Python scalars stay scalars (NumPy treats them as weak, so they adopt the
    array's dtype, which is torch's behaviour once the array has the result dtype), except a
    float beside a float16 array, which becomes a float16 through float32 (``cast_value``) as
    torch converts it; NumPy's weak conversion would round it once."""
    ta, tb = type(a), type(b)
    if ta is np.ndarray:
        if tb is np.ndarray:
            if a.dtype is b.dtype:
                return a, b
        elif tb is float and a.dtype.kind == "f":
            return a, (b if a.dtype.itemsize > 2 else cast_value(b, a.dtype))
        elif tb is int and a.dtype.kind == "f":
            if not _INT64_MIN <= b < _UINT64_END:  # torch reads an int as int64 or uint64
                check_int_scalar(b)
            return a, b  # a weak Python scalar adopts the array's dtype, as in torch
        elif tb is int and a.dtype.kind in "iu":
            return a, cast_value(b, a.dtype)  # (beyond the dtype's range: its low bits)
    elif tb is np.ndarray and ((ta is float and b.dtype.kind == "f")
                               or (ta is int and b.dtype.kind in "fiu")):
        if ta is int and not _INT64_MIN <= a < _UINT64_END:
            check_int_scalar(a)
        return np.asarray(cast_value(a, b.dtype), dtype=b.dtype), b
    if getattr(ta, "graph_array", False) or getattr(tb, "graph_array", False):
        return _promote_recorded(a, b)
    dt = result_np_dtype(a, b)
    if type(a) is np.ndarray:
        if a.dtype != dt:
            a = cast(a, dt)
    elif type(b) is not np.ndarray or isinstance(a, np.generic):
        # (a NumPy scalar is no weak number to NumPy 2: cast it)
        a = np.asarray(cast_value(a, dt), dtype=dt)
    if type(b) is np.ndarray:
        if b.dtype != dt:
            b = cast(b, dt)
    elif isinstance(b, np.generic):
        b = np.asarray(cast_value(b, dt), dtype=dt)
    return a, b


def _promote_recorded(a, b):
    """``promote`` when an operand is a GraphArray (a forward replayed under create_graph):
    torch's dtype from the values, the cast a recorded ``astype``."""
    values = [x.t._data if getattr(type(x), "graph_array", False) else x for x in (a, b)]
    dt = result_np_dtype(*values)
    return tuple(x if type(x) in (int, float, bool) and np.asarray(x).dtype.kind == dt.kind
                 else as_dtype(x, dt) for x in (a, b))


def binary_ufunc(np_fn, a, b):
    """Apply a NumPy ufunc in torch's promoted dtype; a broadcast mismatch is torch's error."""
    if type(a) is not np.ndarray or type(b) is not np.ndarray or a.dtype is not b.dtype:
        a, b = promote(a, b)
    try:
        return np_fn(a, b)
    except ValueError:
        broadcast_shapes_or_raise(np.shape(a), np.shape(b))
        raise


def as_float(a: np.ndarray) -> np.ndarray:
    """Unary float ops on integer tensors compute in the default float dtype, as torch does."""
    if a.dtype.kind in "f":
        return a
    return a.astype(get_default_dtype().np)


def number(x):
    """A scalar argument (``alpha``, ``value``, a weight) as a Python number: torch reads a NumPy
    scalar as the Python number it holds, while NumPy 2 would let its width promote the result
    (``np.float64(0.5) * float32 array`` is float64). An ``np.bool_`` reads as a float, as in
    torch."""
    if isinstance(x, np.generic):
        return float(x) if isinstance(x, np.bool_) else x.item()
    return x


def wrap_dim(dim: int, ndim: int) -> int:
    return _wrap_dim(dim, ndim)


def normalize_dims(dim, ndim: int) -> tuple:
    """``dim`` as a sorted tuple of non-negative axes; ``None`` or ``()`` means all axes."""
    if dim is None:
        return tuple(range(ndim))
    if ndim == 0:  # a 0-d tensor accepts dim 0 or -1 (or a list of them) and reduces nothing
        for d in (dim,) if isinstance(dim, (int, np.integer)) else dim:
            _wrap_dim(int(d), 0)
        return ()
    if isinstance(dim, (int, np.integer)):
        return (_wrap_dim(int(dim), ndim),)
    dims = tuple(_wrap_dim(int(d), ndim) for d in dim)
    if len(set(dims)) != len(dims):
        d = next(d for d in dims if dims.count(d) > 1)
        raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return tuple(sorted(dims)) if dims else tuple(range(ndim))


def broadcast_shapes_or_raise(*shapes) -> tuple:
    """np.broadcast_shapes with torch's RuntimeError naming both sizes and the dimension."""
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        pass
    a, b = shapes[0], shapes[1]
    for k in range(len(shapes) - 1):
        a = np.broadcast_shapes(*shapes[:k + 1]) if k else shapes[0]
        b = shapes[k + 1]
        try:
            np.broadcast_shapes(a, b)
        except ValueError:
            break
    n = max(len(a), len(b))
    for i in range(1, n + 1):
        sa = a[-i] if i <= len(a) else 1
        sb = b[-i] if i <= len(b) else 1
        if sa != sb and sa != 1 and sb != 1:
            raise RuntimeError(
                f"The size of tensor a ({sa}) must match the size of tensor b ({sb}) at "
                f"non-singleton dimension {n - i}")
    raise RuntimeError(f"shapes {shape_str(a)} and {shape_str(b)} cannot be broadcast")


def as_array(x):
    """The ndarray of a Tensor, or ``x`` unchanged (a Python scalar)."""
    return x._data if isinstance(x, Tensor) else x


def mean(a, axis, keepdims: bool = False):
    """``a.mean(axis, keepdims=keepdims)``; for an empty ``a``, its NaNs (0 / 0, under the
    library's silent NumPy error state) without NumPy's "Mean of empty slice" warning, which
    its error state does not control. torch's mean of nothing is NaN, silently."""
    if a.size:
        return a.mean(axis=axis, keepdims=keepdims)
    # every output element reduces no element, or there is no output element
    return np.add.reduce(a, axis=axis, keepdims=keepdims) / 0


def as_dtype(x, dtype) -> np.ndarray:
    """``x`` (an array, a NumPy scalar or a number) as an array of ``dtype``, copied only when
    the dtype differs. A forward's result goes through this rather than ``np.asarray(x, dtype)``
    so that a replay under create_graph keeps it recorded (``astype`` of a GraphArray)."""
    if type(x) is np.ndarray:
        return x if x.dtype == dtype else cast(x, dtype)
    if hasattr(x, "__array_function__") and not isinstance(x, np.generic):
        return x.astype(dtype, copy=False)
    return np.asarray(x, dtype=dtype)


def c_order(x) -> np.ndarray:
    """``x`` laid out in C order (``np.ascontiguousarray``), for kernels that address elements
    by flat position; a GraphArray (create_graph) is already addressed logically."""
    if type(x) is np.ndarray:
        return x if x.flags.c_contiguous else np.ascontiguousarray(x)
    if getattr(type(x), "graph_array", False):
        return x
    return np.ascontiguousarray(x)


def new_zeros(g, shape) -> np.ndarray:
    """Zeros of ``g``'s dtype in ``shape`` (torch's ``g.new_zeros(shape)``): the buffer a
    backward writes ``g`` into. Made from ``g`` rather than with ``np.zeros`` so that under
    ``create_graph`` (where ``g`` is a GraphArray) the buffer is one too, and writing into it is
    recorded (docs/adding-an-op.md)."""
    if type(g) is np.ndarray:
        return np.zeros(shape, dtype=g.dtype)
    return np.zeros_like(g, shape=shape)


def new_empty(g, shape) -> np.ndarray:
    """``new_zeros`` for a buffer the backward overwrites entirely (uninitialised)."""
    if type(g) is np.ndarray:
        return np.empty(shape, dtype=g.dtype)
    return np.zeros_like(g, shape=shape)


# signed integer of each float width: its all-ones pattern keeps a float's bits under bitwise and
_SAME_WIDTH_INT = {2: np.int16, 4: np.int32, 8: np.int64}


def zero_where(g, zero):
    """``g`` where not ``zero``, else +0: a select, as torch's backward kernels write ``cond ? 0 :
    g``. Multiplying by a 0/1 mask is not the same: an inf or NaN in ``g`` at a zeroed position
    gives NaN (and a RuntimeWarning) there, where a select gives 0.

    Done on the bits, about as fast as that multiply (np.where is several times slower when the
    mask changes unpredictably from element to element): an integer of g's width is 0 where
    ``zero`` and all ones elsewhere, and-ed with g's bits. ``zero`` may be a bool array
    broadcasting with ``g`` or a Python bool; the result has the broadcast shape and g's dtype."""
    if type(g) is not np.ndarray:
        if hasattr(g, "__array_function__") and not isinstance(g, np.generic):
            return np.where(zero, 0, g)  # a GraphArray (create_graph): a recorded select
        g = np.asarray(g)
    it = _SAME_WIDTH_INT.get(g.dtype.itemsize) if g.dtype.kind == "f" else None
    if it is None:  # complex or another kind: no same-width integer view
        return np.where(zero, np.zeros((), g.dtype), g)
    if type(zero) is np.ndarray and zero.shape == g.shape and g.ndim and zero.dtype == np.bool_:
        # True -> 0, False -> -1 in int8, sign-extended to g's width inside the and (cheaper
        # than widening the mask in a pass of its own)
        return np.bitwise_and(g.view(it), np.subtract(zero.view(np.int8), 1)).view(g.dtype)
    if type(zero) is np.ndarray and zero.shape == g.shape and g.ndim:
        m = np.subtract(zero, 1, dtype=it)         # True -> 0, False -> -1 (all bits set)
    else:
        m = np.empty(np.broadcast_shapes(g.shape, np.shape(zero)), dtype=it)
        np.subtract(zero, 1, out=m, dtype=it)
    np.bitwise_and(m, g.view(it), out=m)           # same-width view: fine for any strides
    return m.view(g.dtype)


def masked_zero(g, mask):
    """torch's ``g.masked_fill(mask, 0)`` for a backward whose formula in torch is that
    (``mask`` of g's shape or broadcasting to it): ``zero_where`` on arrays; on a GraphArray
    (create_graph) the recorded ``masked_fill`` of torch's formula (MaskedFillBackward0)."""
    if getattr(type(g), "graph_array", False):
        g = g.copy()  # a new GraphArray: the fill rebinds it alone
        np.putmask(g, mask, 0)
        return g
    return zero_where(g, mask)


def zeros_masked_fill(mask, value):
    """torch's ``zeros(mask.shape).masked_fill_(mask, value)`` for a 0-d ``value``: ``value``
    where ``mask``, else 0, in value's dtype (recorded as that masked_fill_ under create_graph:
    MaskedFillBackward1)."""
    if getattr(type(value), "graph_array", False):
        out = np.zeros_like(value, shape=np.shape(mask))
        np.putmask(out, mask, value)
        return out
    return zero_where(value, ~mask)


_F16 = np.dtype(np.float16)


def half_by_number(a, b) -> bool:
    """Whether ``a (*|/) b`` is a float16 tensor by a number that torch's kernel reads in
    float32, its opmath type: ``b`` a Python float or int, or a 0-d float tensor beside a
    tensor with dimensions (a float16 result). See ``half_scaled``."""
    if type(a) is not np.ndarray or a.dtype != _F16:
        return False
    tb = type(b)
    if tb is float or tb is int:
        return True
    return tb is np.ndarray and b.ndim == 0 and b.dtype.kind == "f" \
        and (a.ndim > 0 or b.dtype == _F16)


def half_scaled(ufunc, a: np.ndarray, b) -> np.ndarray:
    """``half(ufunc(float(a), float32(b)))``: a float16 array times (or over) a number as torch
    computes it (``half_by_number``): the number converted once from its own type to float32,
    not to float16 (``t * 0.1`` differs in the last bit on about a third of float16 values), the
    operation in float32, one rounding to float16 (out of range: inf, silently)."""
    out = ufunc(a, np.float32(b), dtype=np.float32)
    with np.errstate(over="ignore"):
        return out.astype(_F16)


def mul_scalar(x, number):
    """``x * number`` where torch's formula multiplies by a Scalar (``grad * M_LN2``,
    ``maybe_multiply(grad, beta)``): at::mul(Tensor, Scalar), recorded as MulBackward1 under
    create_graph (the ``*`` operator records MulBackward0, as torch's Python ``x * 2``);
    a float16 ``x`` by ``half_scaled``."""
    if getattr(type(x), "graph_array", False):
        return x.mul_scalar(number)
    if half_by_number(x, number):
        return half_scaled(np.multiply, x, number)
    return x * number


def div_scalar(x, number):
    """``x / number`` where torch's formula divides by a Scalar (``grad / numel``):
    at::div(Tensor, Scalar), recorded as DivBackward1 under create_graph; a float16 ``x`` by
    ``half_scaled``."""
    if getattr(type(x), "graph_array", False):
        return x.div_scalar(number)
    if half_by_number(x, number):
        return half_scaled(np.true_divide, x, number)
    return x / number


def check_tensor_args(op: str, input, other) -> None:
    """torch's TypeError for a binary op whose overloads take tensors only (``hypot``,
    ``fmax``, ``gcd``, ...): a Python number in either place is refused by name."""
    for pos, name, x in ((1, "input", input), (2, "other", other)):
        if not isinstance(x, Tensor):
            raise TypeError(f"{op}(): argument '{name}' (position {pos}) must be Tensor, not "
                            f"{type(x).__name__}")


def check_tensor_input(op: str, input) -> None:
    """torch's TypeError for a function whose input must be a tensor (``asin(0.5)``)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")


def float_kernel(kernel: str, dt) -> None:
    """A kernel torch defines for floating dtypes only: its NotImplementedError for others."""
    if np.dtype(dt).kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(dt)}'")



# -- torch's index kernels in backward formulas ----------------------------------------------------
# Where torch's formula writes a gradient with one of its index kernels (gather's backward is
# ``zeros.scatter_add_(dim, index, grad)``), the helper computes it on arrays with NumPy and, on
# GraphArray values (create_graph), records the library's op of that kernel, so that the
# gradient's node is torch's (ScatterAddBackward0, IndexAddBackward0, ...).

def recorded_call(name: str, *args, **kwargs):
    """The library's public op ``name`` on GraphArray (or constant array) arguments: a
    backward's step that torch's formula writes with that op (``grad.t()``: TBackward0)."""
    import minitorch_ref
    from ..autograd.graph_array import GraphArray, unwrap
    return GraphArray(getattr(minitorch_ref, name)(
        *[unwrap(a) if isinstance(a, (np.ndarray, GraphArray)) else a for a in args], **kwargs))


def recorded_masked_fill(x, mask, value):
    """torch's ``x.masked_fill(mask, value)`` in a formula, on GraphArray values
    (MaskedFillBackward0); ``mask`` a bool array or NumPy bool."""
    return recorded_call("masked_fill", x, np.asarray(mask), value)


def _graph(*xs) -> bool:
    return any(getattr(type(x), "graph_array", False) for x in xs)


def is_recorded(x) -> bool:
    """Whether a backward runs on GraphArray values (create_graph)."""
    return getattr(type(x), "graph_array", False)


def recorded_apply(fn, *args, name: str | None = None):
    """``fn.apply`` on GraphArray (or constant array) arguments: a backward whose torch formula
    is its own op again (select_scatter's ``select_scatter(grad, zeros_like(src), ...)``)."""
    from ..autograd.graph_array import GraphArray, unwrap
    return GraphArray(fn.apply(
        *[unwrap(a) if isinstance(a, (np.ndarray, GraphArray)) else a for a in args], name=name))


def _grid(index: np.ndarray, dim: int) -> tuple:
    """The full NumPy index pairing ``index`` (along ``dim``) with every other coordinate."""
    if index.ndim == 0:
        return ()
    grid = list(np.indices(index.shape, sparse=True))
    grid[dim] = index
    return tuple(grid)


def scatter_add_(out, dim: int, index: np.ndarray, src):
    """``out.scatter_add_(dim, index, src)``: ``src`` added at ``index`` along ``dim``."""
    if _graph(out, src):
        return recorded_call("scatter_add", out, dim, index, src)
    np.add.at(out, _grid(index, dim), src)
    return out


def index_add_(out, dim: int, index: np.ndarray, src):
    """``out.index_add_(dim, index, src)``: slice k of ``src`` along ``dim`` added at
    ``index[k]``."""
    if _graph(out, src):
        return recorded_call("index_add", out, dim, index, src)
    np.add.at(out, (slice(None),) * dim + (index,), src)
    return out


def scatter_(out, dim: int, index: np.ndarray, src):
    """``out.scatter(dim, index, src)``: ``src``'s elements written at ``index``."""
    if _graph(out, src):
        return recorded_call("scatter", out, dim, index, src)
    out[_grid(index, dim)] = src
    return out


def scatter_fill(g, dim: int, index: np.ndarray, value: float):
    """``g.scatter(dim, index, value)``: a copy of ``g`` with ``value`` at ``index``."""
    if _graph(g):
        return recorded_call("scatter", g, dim, index, value)
    out = g.copy()
    out[_grid(index, dim)] = value
    return out


def gather_along(g, dim: int, index: np.ndarray):
    """``g.gather(dim, index)``."""
    if _graph(g):
        return recorded_call("gather", g, dim, index)
    return g[_grid(index, dim)]


def masked_scatter_(out, mask: np.ndarray, src):
    """``out.masked_scatter_(mask, src)``: ``src``'s elements, in order, where ``mask``."""
    if _graph(out, src):
        return recorded_call("masked_scatter", out, mask, src)
    out[mask] = src
    return out


def put_(out, index: np.ndarray, src, accumulate: bool = False):
    """``out.put_(index, src, accumulate)`` on the row-major flattening of ``out``."""
    if _graph(out, src):
        return recorded_call("put", out, index, src, accumulate)
    flat = out.reshape(-1)
    if accumulate:
        np.add.at(flat, index, src)
    else:
        flat[index] = src
    return out
