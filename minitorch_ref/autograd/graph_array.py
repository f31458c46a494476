"""GraphArray: an ndarray stand-in whose NumPy calls are recorded as the library's own ops.

Every built-in backward is written once, on ``np.ndarray`` (``g * np.cos(a)``). For
``create_graph=True`` the engine calls that same backward with ``GraphArray`` values instead of
arrays: each wraps a Tensor, and implements the part of the ndarray API the kernels use
(attributes, methods, operators, ``__array_ufunc__`` and ``__array_function__``), so that
``np.cos(a)`` becomes ``torch.cos(a_tensor)``, recorded like any forward op. The gradient a
backward returns is then a Tensor with history, which can be differentiated again; its backward
runs the same way, so any order follows by recursion.

The rules that keep this exact (docs/autograd.md, "Double backward"):

* A value computes as it would on ndarrays: each call first takes NumPy's result dtype (Python
  numbers are weak, as in NumPy 2), so the recorded value equals the ndarray value.
* Piecewise-constant results (comparisons, ``sign``, ``floor``, ``argmax``, integer casts) are
  plain ndarrays: constants, which is their derivative's truth almost everywhere.
* In-place writes (``d *= g``, ``out[i] = v``, ``np.add.at(buf, i, v)``, ``out=``) rebind the
  GraphArray to the functional result. A buffer a kernel fills must therefore be created *like*
  a participating array (``np.zeros_like(g, shape=...)``) so that it is a GraphArray; writing a
  recorded value into a plain ndarray raises. Writing through a view of a GraphArray (or into a
  GraphArray a view was taken from) raises too: a rebind cannot reach the other alias.
* Anything that would leave the graph (``np.asarray``, ``float()``, ``.item()``, ``.view(dtype)``,
  an unsupported NumPy function) raises ``RuntimeError`` naming the op whose backward did it:
  a second derivative is never silently computed from a constant.
"""
from __future__ import annotations

import operator
import weakref

import numpy as np

from .._dtype import from_numpy_dtype
from .._tensor import Tensor, _new_tensor

__all__ = ["GraphArray", "wrap", "unwrap", "current_op"]

# the name of the node whose backward is running (for error messages); set by the engine
current_op = [""]


def _mt():
    import minitorch_ref
    return minitorch_ref


def _leaves_graph(what: str) -> RuntimeError:
    op = current_op[0] or "an op"
    return RuntimeError(
        f"create_graph=True: the backward of {op} used {what} on a value that depends on the "
        "graph, which the double-backward mechanism cannot record (it would give a constant "
        "where a function of the inputs belongs). Write that backward with NumPy calls "
        "GraphArray supports (docs/adding-an-op.md, 'Double backward').")


def _np_dtype_to_mt(dt):
    return from_numpy_dtype(np.dtype(dt))


def _tensor_const(arr, dtype=None):
    """A constant Tensor (no history) holding ``arr`` (cast to ``dtype``)."""
    a = np.asarray(arr)
    if dtype is not None and a.dtype != dtype:
        a = a.astype(dtype)
    return _new_tensor(a)


def _dt(x):
    """The dtype NumPy's promotion sees for an operand (Python numbers stay weak)."""
    if isinstance(x, GraphArray):
        return x.t._data.dtype
    if isinstance(x, (bool, int, float, complex)):
        return x
    return np.asarray(x).dtype


def _result_dtype(*xs):
    return np.result_type(*[_dt(x) for x in xs])


def _as_tensor(x, dtype):
    """An operand as a Tensor of ``dtype``: a GraphArray's Tensor (cast by a recorded op when
    needed), anything else a constant."""
    if isinstance(x, GraphArray):
        t = x.t
        if t._data.dtype != dtype:
            t = t.to(_np_dtype_to_mt(dtype))
        return t
    return _tensor_const(x, dtype)


def wrap(t):
    """A Tensor that requires grad becomes a GraphArray; any other value passes unchanged (an
    ndarray for a Tensor without history)."""
    if isinstance(t, Tensor):
        return GraphArray(t) if t._requires_grad else t._data
    return t


def unwrap(x):
    """A GraphArray's Tensor; an ndarray (or number) as a constant Tensor; None stays None."""
    if x is None:
        return None
    if isinstance(x, GraphArray):
        return x.t
    return _tensor_const(x)


def _is_ga(x) -> bool:
    return isinstance(x, GraphArray)


def _any_ga(xs) -> bool:
    for x in xs:
        if isinstance(x, GraphArray):
            return True
        if isinstance(x, (list, tuple)) and any(isinstance(y, GraphArray) for y in x):
            return True
    return False


def _data(x):
    """The value under a GraphArray (for piecewise-constant results), else ``x``."""
    if isinstance(x, GraphArray):
        return x.t._data
    if isinstance(x, (list, tuple)):
        return type(x)(_data(y) for y in x)
    return x


def _axes(axis, ndim: int):
    """NumPy's ``axis`` as torch's ``dim``: None -> all; () -> no reduction (returned as None
    with a flag)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (int, np.integer)):
        return (int(axis) % max(ndim, 1),) if ndim else ()
    return tuple(int(a) % ndim for a in axis)


class GraphArray:
    """An ndarray-like value holding a Tensor ``t`` whose history records every NumPy call."""

    # _base, _back: for a view, the GraphArray it views and how a new value of the view
    # becomes the base's (None: a read-only view); _views: weak references to live views
    __slots__ = ("t", "_base", "_back", "_views", "__weakref__")
    __array_priority__ = 2000
    graph_array = True  # how helpers that branch on ndarray types recognise one

    def __init__(self, t) -> None:
        self.t = t
        self._base = self._back = self._views = None

    # -- attributes ------------------------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self.t._data.shape

    @property
    def ndim(self) -> int:
        return self.t._data.ndim

    @property
    def size(self) -> int:
        return self.t._data.size

    @property
    def dtype(self):
        return self.t._data.dtype

    @property
    def itemsize(self) -> int:
        return self.t._data.itemsize

    @property
    def T(self) -> "GraphArray":  # noqa: N802 - NumPy's name
        return self.transpose()

    @property
    def mT(self) -> "GraphArray":  # noqa: N802 - NumPy's name
        return self.swapaxes(-1, -2)

    def __len__(self) -> int:
        return len(self.t._data)

    def __repr__(self) -> str:
        return f"GraphArray({self.t._data!r}, grad_fn={self.t.grad_fn!r})"

    # -- leaving the graph: refused ----------------------------------------------------------------
    def __array__(self, dtype=None, copy=None):
        raise _leaves_graph("np.asarray (or a NumPy function GraphArray does not implement)")

    def __float__(self):
        raise _leaves_graph("float()")

    def __complex__(self):
        raise _leaves_graph("complex()")

    def item(self, *args):
        raise _leaves_graph(".item()")

    def tolist(self):
        raise _leaves_graph(".tolist()")

    def view(self, *args, **kwargs):
        raise _leaves_graph(".view()")

    def tobytes(self, *args, **kwargs):
        raise _leaves_graph(".tobytes()")

    # a branch on a value is fine (data-dependent control flow, as autograd allows)
    def __bool__(self) -> bool:
        return bool(self.t._data)

    def __int__(self) -> int:
        return int(self.t._data)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    # -- rebinding: the in-place writes ----------------------------------------------------------
    def _assign(self, t, written_view=None) -> "GraphArray":
        """Make ``t`` (cast to this array's dtype, broadcast to its shape) the new value. A
        write into a view goes on to its base, as NumPy's would; a write is refused while
        another live view of the same array exists (a rebind cannot reach it)."""
        if self._live_views(other_than=written_view):
            raise _leaves_graph("an in-place write into an array that has a live view")
        if t._data.dtype != self.dtype:
            t = t.to(_np_dtype_to_mt(self.dtype))
        if t._data.shape != self.shape:
            t = t.expand(tuple(self.shape)) if t._data.ndim <= self.ndim else t.reshape(self.shape)
        if self._base is not None:
            base = self._base
            if self._back is None:
                raise _leaves_graph("an in-place write through a read-only view")
            if base._live_views(other_than=self):
                raise _leaves_graph("an in-place write through one of several live views")
            base._rebind(self._back(t))
        self.t = t
        return self

    def _rebind(self, t) -> None:
        if self._base is not None:  # a view of a view: on to the root
            self._base._rebind(self._back(t))
        self.t = t

    def _live_views(self, other_than=None) -> bool:
        if not self._views:
            return False
        self._views = [r for r in self._views if r() is not None]
        return any(r() is not other_than for r in self._views)

    def _view_of(self, t, back=None) -> "GraphArray":
        """A GraphArray viewing this one: ``back(new_view_value)`` gives this array's new
        value after a write into the view (None for a read-only view)."""
        v = GraphArray(t)
        v._base, v._back = self, back
        if self._views is None:
            self._views = []
        self._views.append(weakref.ref(v))
        return v

    def __setitem__(self, index, value) -> None:
        from .._ops.inplace import index_put
        v = _as_tensor(value, self.dtype)
        # ``x[i] += v`` writes the view x[i] (through to x), then sets x[i] to it: that view
        # is up to date
        self._assign(index_put(self.t, _index(index), v),
                     written_view=value if _is_ga(value) else None)

    def fill(self, value) -> None:
        self._assign(_tensor_const(np.full(self.shape, _data(value), dtype=self.dtype)))

    # -- indexing and shape (views) ----------------------------------------------------------------
    def __getitem__(self, index) -> "GraphArray":
        idx = _index(index)
        if not _basic(idx):  # an advanced index copies, as NumPy's
            return GraphArray(self.t[idx])
        return self._view_of(self.t[idx], lambda v: index_put_(self.t, idx, v))

    def reshape(self, *shape, order: str = "C") -> "GraphArray":
        if order != "C":
            raise _leaves_graph(f"reshape(order={order!r})")
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return self._view_of(self.t.reshape(shape), lambda v: v.reshape(self.shape))

    def ravel(self) -> "GraphArray":
        return self.reshape(-1)

    def flatten(self) -> "GraphArray":
        return GraphArray(self.t.reshape(-1))

    def transpose(self, *axes) -> "GraphArray":
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        if not axes:
            axes = tuple(range(self.ndim))[::-1]
        if not axes:  # a 0-d array
            return self._view_of(self.t, lambda v: v)
        inverse = tuple(np.argsort(axes))
        return self._view_of(self.t.permute(tuple(axes)), lambda v: v.permute(tuple(inverse)))

    def swapaxes(self, a: int, b: int) -> "GraphArray":
        return self._view_of(self.t.transpose(a, b), lambda v: v.transpose(a, b))

    def squeeze(self, axis=None) -> "GraphArray":
        back = lambda v: v.reshape(self.shape)  # noqa: E731
        if axis is None:
            return self._view_of(self.t.squeeze(), back)
        return self._view_of(self.t.squeeze(axis if isinstance(axis, int) else tuple(axis)),
                             back)

    # -- copies ------------------------------------------------------------------------------------
    def copy(self, order: str = "C") -> "GraphArray":
        # a new GraphArray around the same Tensor: a later in-place write rebinds only the copy
        return GraphArray(self.t)

    def astype(self, dtype, copy: bool = True, **kwargs):
        dtype = np.dtype(dtype)
        if dtype.kind != "f":  # an integer or bool cast is piecewise constant
            return self.t._data.astype(dtype)
        if dtype == self.dtype:
            return GraphArray(self.t) if copy else self
        return GraphArray(self.t.to(_np_dtype_to_mt(dtype)))

    # -- reductions --------------------------------------------------------------------------------
    def sum(self, axis=None, dtype=None, out=None, keepdims: bool = False, **kwargs):
        return _reduce_sum(self, axis, dtype, out, keepdims)

    def mean(self, axis=None, dtype=None, out=None, keepdims: bool = False, **kwargs):
        _no_out(out)
        x = self if dtype is None else self.astype(dtype)
        dims = _axes(axis, self.ndim)
        if not dims:
            return GraphArray(x.t)
        return GraphArray(x.t.mean(dims, keepdim=keepdims))

    def prod(self, axis=None, dtype=None, out=None, keepdims: bool = False, **kwargs):
        _no_out(out)
        x = self if dtype is None else self.astype(dtype)
        dims = _axes(axis, self.ndim)
        t = x.t
        for d in sorted(dims, reverse=True):
            t = t.prod(d, keepdim=keepdims)
        return GraphArray(t)

    def max(self, axis=None, out=None, keepdims: bool = False, **kwargs):
        _no_out(out)
        return GraphArray(self.t.amax(_axes(axis, self.ndim), keepdim=keepdims))

    def min(self, axis=None, out=None, keepdims: bool = False, **kwargs):
        _no_out(out)
        return GraphArray(self.t.amin(_axes(axis, self.ndim), keepdim=keepdims))

    def cumsum(self, axis=None, dtype=None, out=None):
        _no_out(out)
        x = self if dtype is None else self.astype(dtype)
        if axis is None:
            return GraphArray(x.t.reshape(-1).cumsum(0))
        return GraphArray(x.t.cumsum(axis))

    def clip(self, min=None, max=None, out=None, **kwargs):  # noqa: A002 - NumPy's names
        return np.clip(self, min, max, out=out)

    def dot(self, other):
        return np.matmul(self, other)

    def repeat(self, repeats, axis=None):
        return np.repeat(self, repeats, axis)

    # a product with (a quotient by) a number as torch's C++ formulas write it, ``grad * 0.5``,
    # ``grad / n``: at::mul / at::div with a Scalar (MulBackward1, DivBackward1), where the
    # operators record the Python operator's wrapped number (MulBackward0); see _util.mul_scalar
    def mul_scalar(self, number) -> "GraphArray":
        from .._ops.arithmetic import Mul
        return GraphArray(_scalar_overload(Mul.apply(self.t, number, name="MulBackward1")))

    def div_scalar(self, number) -> "GraphArray":
        from .._ops.arithmetic import Div
        return GraphArray(_scalar_overload(Div.apply(self.t, number, name="DivBackward1")))

    # piecewise-constant answers computed on the value
    def any(self, *args, **kwargs):
        return self.t._data.any(*args, **kwargs)

    def all(self, *args, **kwargs):
        return self.t._data.all(*args, **kwargs)

    def argmax(self, *args, **kwargs):
        return self.t._data.argmax(*args, **kwargs)

    def argmin(self, *args, **kwargs):
        return self.t._data.argmin(*args, **kwargs)

    def nonzero(self):
        return self.t._data.nonzero()

    def round(self, *args, **kwargs):
        return self.t._data.round(*args, **kwargs)

    # -- operators: the ufuncs -----------------------------------------------------------------
    def __add__(self, o):
        return np.add(self, o)

    def __radd__(self, o):
        return np.add(o, self)

    def __sub__(self, o):
        return np.subtract(self, o)

    def __rsub__(self, o):
        return np.subtract(o, self)

    def __mul__(self, o):
        return np.multiply(self, o)

    def __rmul__(self, o):
        return np.multiply(o, self)

    def __truediv__(self, o):
        return np.true_divide(self, o)

    def __rtruediv__(self, o):
        return np.true_divide(o, self)

    def __pow__(self, o):
        return np.power(self, o)

    def __rpow__(self, o):
        return np.power(o, self)

    def __matmul__(self, o):
        return np.matmul(self, o)

    def __rmatmul__(self, o):
        return np.matmul(o, self)

    def __floordiv__(self, o):
        return np.floor_divide(self, o)

    def __rfloordiv__(self, o):
        return np.floor_divide(o, self)

    def __mod__(self, o):
        return np.remainder(self, o)

    def __rmod__(self, o):
        return np.remainder(o, self)

    def __neg__(self):
        return np.negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return np.absolute(self)

    def __iadd__(self, o):
        return np.add(self, o, out=(self,))

    def __isub__(self, o):
        return np.subtract(self, o, out=(self,))

    def __imul__(self, o):
        return np.multiply(self, o, out=(self,))

    def __itruediv__(self, o):
        return np.true_divide(self, o, out=(self,))

    def __ipow__(self, o):
        return np.power(self, o, out=(self,))

    def __lt__(self, o):
        return np.less(self, o)

    def __le__(self, o):
        return np.less_equal(self, o)

    def __gt__(self, o):
        return np.greater(self, o)

    def __ge__(self, o):
        return np.greater_equal(self, o)

    def __eq__(self, o):  # noqa: D105 - elementwise, as ndarray's
        return np.equal(self, o)

    def __ne__(self, o):
        return np.not_equal(self, o)

    __hash__ = None

    # -- the NumPy protocols ---------------------------------------------------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        out = kwargs.pop("out", None)
        where = kwargs.pop("where", True)
        if where is not True:
            raise _leaves_graph(f"np.{ufunc.__name__}(where=...)")
        if method == "__call__":
            result = _call_ufunc(ufunc, inputs, kwargs)
        elif method == "reduce":
            result = _ufunc_reduce(ufunc, inputs, kwargs)
        elif method == "accumulate":
            result = _ufunc_accumulate(ufunc, inputs, kwargs)
        elif method == "outer":
            a, b = inputs
            a = a.reshape(np.shape(a) + (1,) * np.ndim(b)) if _is_ga(a) else \
                np.reshape(a, np.shape(a) + (1,) * np.ndim(b))
            result = _call_ufunc(ufunc, (a, b), kwargs)
        elif method == "at":
            return _ufunc_at(ufunc, inputs)
        else:
            raise _leaves_graph(f"np.{ufunc.__name__}.{method}")
        if out is None:
            return result
        target = out[0] if isinstance(out, tuple) else out
        if not _is_ga(target):
            if _is_ga(result):
                raise _leaves_graph(f"np.{ufunc.__name__}(out=<a plain ndarray>)")
            np.copyto(target, result, casting="unsafe")
            return target
        return target._assign(result.t if _is_ga(result) else _tensor_const(result))

    def __array_function__(self, func, types, args, kwargs):
        impl = _FUNCTIONS.get(func)
        if impl is None:
            raise _leaves_graph(f"np.{func.__name__}")
        return impl(*args, **kwargs)


def _scalar_overload(t):
    """A Scalar overload's node lists its one tensor input only (no edge for the number)."""
    if t.grad_fn is not None:
        t.grad_fn._listed = (0,)
    return t


def _no_out(out) -> None:
    if out is not None:
        raise _leaves_graph("out= in a reduction")


def index_put_(t, index, value):
    from .._ops.inplace import index_put
    return index_put(t, index, value)


def _basic(index) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return all(i is None or i is Ellipsis or isinstance(i, (int, np.integer, slice))
               and not isinstance(i, (bool, np.bool_)) for i in items)


def _index(index):
    """A NumPy index for Tensor indexing: GraphArrays inside it (never differentiable there)
    are read as their values."""
    if isinstance(index, tuple):
        return tuple(_data(i) for i in index)
    return _data(index)


def _reduce_sum(x, axis, dtype, out, keepdims):
    _no_out(out)
    if dtype is not None:
        x = x.astype(dtype) if _is_ga(x) else np.asarray(x).astype(dtype)
    dims = _axes(axis, x.ndim)
    if not dims:
        return GraphArray(x.t)
    return GraphArray(x.t.sum(dims, keepdim=keepdims))


# -- ufuncs --------------------------------------------------------------------------------------
def _torch_fn(name):
    return lambda *ts: getattr(_mt(), name)(*ts)


_UNARY = {
    np.negative: "neg", np.exp: "exp", np.exp2: "exp2", np.expm1: "expm1", np.log: "log",
    np.log2: "log2", np.log10: "log10", np.log1p: "log1p", np.sqrt: "sqrt",
    np.square: "square", np.reciprocal: "reciprocal", np.sin: "sin", np.cos: "cos",
    np.tan: "tan", np.tanh: "tanh", np.absolute: "abs", np.fabs: "abs", np.arcsin: "asin",
    np.arccos: "acos", np.arctan: "atan", np.sinh: "sinh", np.cosh: "cosh", np.arcsinh: "asinh",
    np.arccosh: "acosh", np.arctanh: "atanh",
}
_BINARY = {
    np.add: "add", np.subtract: "sub", np.multiply: "mul", np.true_divide: "div",
    np.power: "pow", np.maximum: "maximum", np.minimum: "minimum", np.arctan2: "atan2",
    np.logaddexp: "logaddexp", np.remainder: "remainder", np.fmod: "fmod",
    np.matmul: "matmul",
}
_OPERATORS = {
    np.add: operator.add, np.subtract: operator.sub, np.multiply: operator.mul,
    np.true_divide: operator.truediv, np.power: operator.pow, np.remainder: operator.mod,
}

# piecewise constant: computed on the values, returned as plain arrays
_CONSTANT = {
    np.sign, np.floor, np.ceil, np.trunc, np.rint, np.floor_divide, np.greater,
    np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal, np.logical_and,
    np.logical_or, np.logical_xor, np.logical_not, np.isnan, np.isinf, np.isfinite, np.signbit,
    np.invert, np.bitwise_and, np.bitwise_or, np.bitwise_xor,
}

# those of them whose float result torch's formulas compute with an op of zero derivative
_ZERO_DERIVATIVE = {
    np.sign: lambda a: _mt().sign(a), np.floor: lambda a: _mt().floor(a),
    np.ceil: lambda a: _mt().ceil(a), np.trunc: lambda a: _mt().trunc(a),
    np.rint: lambda a: _mt().round(a),
    np.floor_divide: lambda a, b: _mt().div(a, b, rounding_mode="floor"),
}


def _any_recorded(inputs) -> bool:
    return any(isinstance(x, GraphArray) and x.t._requires_grad for x in inputs)


def _call_ufunc(ufunc, inputs, kwargs):
    dtype = kwargs.pop("dtype", None)
    if kwargs.pop("casting", "same_kind") != "same_kind" or kwargs:
        raise _leaves_graph(f"np.{ufunc.__name__} with {sorted(kwargs)}")
    if ufunc in _CONSTANT:
        r = ufunc(*_data(list(inputs)), **({} if dtype is None else {"dtype": dtype}))
        if ufunc in _ZERO_DERIVATIVE and r.dtype.kind == "f" and _any_recorded(inputs):
            # a float result of a recorded value: torch's formulas compute it with an op of
            # its own (self.sgn(), self.div(other, rounding_mode="floor"), ...) whose
            # derivative is zero, so the gradient keeps a node (its derivative 0, not None)
            return GraphArray(_ZERO_DERIVATIVE[ufunc](
                *[_as_tensor(x, r.dtype) for x in inputs]))
        return r
    if ufunc is np.positive:
        return inputs[0]
    dt = np.dtype(dtype) if dtype is not None else _result_dtype(*inputs)
    if dt.kind != "f":
        raise _leaves_graph(f"np.{ufunc.__name__} with a {dt} result")
    if ufunc in _UNARY:
        return GraphArray(getattr(_mt(), _UNARY[ufunc])(_as_tensor(inputs[0], dt)))
    if ufunc in _OPERATORS:
        # a Python number stays one (weak, as in NumPy), through the Tensor's operator: torch's
        # scalar overloads and their node names (RsubBackward1, PowBackward0/2, ...)
        a, b = (x if type(x) in (int, float) else _as_tensor(x, dt) for x in inputs)
        return GraphArray(_OPERATORS[ufunc](a, b))
    if ufunc in _BINARY:
        a, b = (_as_tensor(x, dt) for x in inputs)
        return GraphArray(getattr(_mt(), _BINARY[ufunc])(a, b))
    raise _leaves_graph(f"np.{ufunc.__name__}")


def _ufunc_reduce(ufunc, inputs, kwargs):
    x = inputs[0]
    axis = kwargs.get("axis", 0)
    keepdims = kwargs.get("keepdims", False)
    if ufunc is np.add:
        return _reduce_sum(x, axis, kwargs.get("dtype"), None, keepdims)
    if ufunc is np.maximum:
        return x.max(axis, keepdims=keepdims)
    if ufunc is np.minimum:
        return x.min(axis, keepdims=keepdims)
    if ufunc is np.multiply:
        return x.prod(axis, keepdims=keepdims)
    raise _leaves_graph(f"np.{ufunc.__name__}.reduce")


def _ufunc_accumulate(ufunc, inputs, kwargs):
    x = inputs[0]
    axis = kwargs.get("axis", 0)
    if ufunc is np.add:
        return GraphArray(x.t.cumsum(axis))
    if ufunc is np.multiply:
        return GraphArray(x.t.cumprod(axis))
    if ufunc is np.logaddexp:
        return GraphArray(x.t.logcumsumexp(axis))
    raise _leaves_graph(f"np.{ufunc.__name__}.accumulate")


def _ufunc_at(ufunc, inputs):
    """``np.add.at(buf, index, values)``: the buffer rebinds to an accumulating index_put."""
    from .._ops.indexing import _convert_index
    from .._ops.inplace import IndexPut
    target, index = inputs[0], inputs[1]
    values = inputs[2] if len(inputs) > 2 else None
    if ufunc not in (np.add, np.subtract) or values is None:
        raise _leaves_graph(f"np.{ufunc.__name__}.at")
    if not _is_ga(target):
        raise _leaves_graph(f"np.{ufunc.__name__}.at into a plain ndarray (create the buffer "
                            "with np.zeros_like of a participating array)")
    v = _as_tensor(values, target.dtype)
    if ufunc is np.subtract:
        v = -v
    # index_put_(..., accumulate=True) as torch's backward kernels call it, under torch's name
    target._assign(IndexPut.apply(target.t, _convert_index(_index(index)), v, True,
                                  name="IndexPutImplBackward0"))
    return None


# -- array functions: graph_array_functions.py registers NumPy's functions here ------------------
_FUNCTIONS: dict = {}

from . import graph_array_functions  # noqa: E402,F401
