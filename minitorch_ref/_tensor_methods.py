"""Tensor's methods and operators that are ops: one table, one line per method.

``x.exp()`` is ``torch.exp(x)``, and here it is the same function: the method is the public op
itself (its version without ``out=``, ``fn.without_out``, since torch's methods take no
``out=``), so a method and its function run the same checks and record the same grad_fn.
Operators route through the same functions: ``x + y`` is ``torch.add(x, y)``, ``-x`` is
``torch.neg(x)``, ``x @ y`` is ``torch.matmul(x, y)``.

Where the method's arguments differ from the function's (``x.where(cond, y)`` is
``torch.where(cond, x, y)``), a small adapter sits just above the table; in-place methods
(``x.exp_()``) are the op written back into ``x`` (``inplace.apply_inplace``).

``_tensor.py`` imports no op; this module, imported once by the package, attaches the table.
"""
from __future__ import annotations

import numpy as np

from . import _creation, _dtype, _legacy, random
from ._ops import (conversion, elementwise, indexing, inplace, linalg, norms, reduction, shape,
                   sorting)
from ._tensor import Tensor, _new_tensor
from .nn.functional import activation


# -- operators: the public function, with Python's rules for an ndarray operand -------------------

def _through_numpy(ufunc, tensor: Tensor, arr: np.ndarray) -> Tensor:
    """``tensor (op) ndarray`` as torch computes it: its operators take no ndarray, so Python
    falls back to NumPy's, which reads the tensor through ``__array__`` (refused when it requires
    grad, as ``.numpy()`` is) and wraps the result with torch's ``__array_wrap__`` (a bool result
    becomes uint8). Hence NumPy's promotion: ``float32 tensor * np.array(2.0)`` is a float64
    tensor without history."""
    out = np.asarray(ufunc(tensor.numpy(), arr))
    if out.dtype == np.bool_:
        out = out.astype(np.uint8)
    _dtype.from_numpy_dtype(out.dtype)  # torch's TypeError for dtypes it has no name for
    return _new_tensor(out)


def _binary(fn, ufunc):
    """``x (op) y`` is ``fn(x, y)``; with an ndarray ``y``, NumPy's ``ufunc`` (see above)."""
    fn = getattr(fn, "without_out", fn)  # (an operator has no out=: one test less per call)

    def operator(self, other):
        if type(other) is np.ndarray:
            return _through_numpy(ufunc, self, other)
        return fn(self, other)
    return operator


def _reflected(fn):
    """``y (op) x`` for a number ``y`` is ``fn(y, x)``; an ndarray ``y`` is NumPy's business
    (NotImplemented here makes Python use NumPy's operator)."""
    fn = getattr(fn, "without_out", fn)

    def operator(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return fn(other, self)
    return operator


def _no_ndarray(fn):
    """``x (op) y`` is ``fn(x, y)``; torch's ``<``, ``<=``, ``>``, ``>=``, ``!=`` refuse an ndarray
    ``y`` (NotImplemented: Python then gives a TypeError for the ordering ones and its identity
    test for ``!=``), and so does ``y - x`` (``__rsub__``: NumPy's operator handles it)."""
    fn = getattr(fn, "without_out", fn)

    def operator(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return fn(self, other)
    return operator


def _inplace(fn):
    """``x.op_(...)``: ``fn(x, ...)`` written back into ``x`` (``inplace.apply_inplace``)."""
    fn = getattr(fn, "without_out", fn)

    def method(self, *args, **kwargs):
        return inplace.apply_inplace(self, fn, *args, **kwargs)
    method.__wrapped__ = fn  # (for inspect.signature and help())
    return method


def _augmented(fn, ufunc):
    """``x op= y``: the in-place op; ``x op= ndarray``: torch's in-place operator refuses it and
    Python falls back to ``x = x op ndarray`` (a new tensor, computed by NumPy)."""
    method = _inplace(fn)

    def operator(self, other):
        if type(other) is np.ndarray:
            return _through_numpy(ufunc, self, other)
        return method(self, other)
    return operator


def _rtruediv(self, other):
    if type(other) is np.ndarray:  # torch: self.reciprocal() * other, the product by NumPy
        return _through_numpy(np.multiply, elementwise.reciprocal(self), other)
    return elementwise.div(other, self)


def _invert(self):
    if self._data.dtype.kind == "f":
        raise TypeError(
            "~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return elementwise.bitwise_not(self)


def _pos(self):
    return self


def _iter(self):
    if self._data.ndim == 0:
        raise TypeError("iteration over a 0-d tensor")
    return iter(shape.unbind(self, 0))


# -- methods whose arguments differ from their function's ---------------------------------------

def _cast(dtype):
    """``x.float()``, ``x.long()``, ...: ``x.to(dtype)``."""
    def method(self):
        return conversion.to(self, dtype)
    return method


def _T(self):
    n = self._data.ndim
    return self if n < 2 else shape.permute(self, tuple(range(n - 1, -1, -1)))


def _mT(self):
    return shape.transpose(self, -2, -1)


def _where(self, condition, other):
    return elementwise.where(condition, self, other)


def _bernoulli(self, p=None, *, generator=None):
    return random.bernoulli(self, p, generator=generator)


def _multinomial(self, num_samples, replacement=False, *, generator=None):
    return random.multinomial(self, num_samples, replacement, generator=generator)


METHODS = {
    # -- operators
    "__add__": _binary(elementwise.add, np.add),
    "__radd__": _reflected(elementwise.add),
    "__iadd__": _augmented(elementwise.add, np.add),
    "__sub__": _binary(elementwise.sub, np.subtract),
    "__rsub__": _no_ndarray(elementwise.rsub),
    "__isub__": _augmented(elementwise.sub, np.subtract),
    "__mul__": _binary(elementwise.mul, np.multiply),
    "__rmul__": _reflected(elementwise.mul),
    "__imul__": _augmented(elementwise.mul, np.multiply),
    "__truediv__": _binary(elementwise.div, np.true_divide),
    "__rtruediv__": _rtruediv,
    "__itruediv__": _augmented(elementwise.div, np.true_divide),
    "__floordiv__": _binary(elementwise.floor_divide, np.floor_divide),
    "__rfloordiv__": _reflected(elementwise.floor_divide),
    "__mod__": _binary(elementwise.remainder, np.remainder),
    "__rmod__": _reflected(elementwise.remainder),
    "__imod__": _augmented(elementwise.remainder, np.remainder),
    "__pow__": _binary(elementwise.pow, np.power),
    "__rpow__": _reflected(elementwise.pow),
    "__matmul__": _binary(linalg.matmul, np.matmul),
    "__rmatmul__": _reflected(linalg.matmul),
    "__neg__": elementwise.neg,
    "__pos__": _pos,
    "__abs__": elementwise.abs,
    "__invert__": _invert,
    "__and__": _binary(elementwise.bitwise_and, np.bitwise_and),
    "__rand__": _reflected(elementwise.bitwise_and),
    "__or__": _binary(elementwise.bitwise_or, np.bitwise_or),
    "__ror__": _reflected(elementwise.bitwise_or),
    "__xor__": _binary(elementwise.bitwise_xor, np.bitwise_xor),
    "__rxor__": _reflected(elementwise.bitwise_xor),
    "__eq__": elementwise.eq,
    "__ne__": _no_ndarray(elementwise.ne),
    "__lt__": _no_ndarray(elementwise.lt),
    "__le__": _no_ndarray(elementwise.le),
    "__gt__": _no_ndarray(elementwise.gt),
    "__ge__": _no_ndarray(elementwise.ge),
    "__getitem__": indexing.getitem,
    "__setitem__": inplace.setitem,
    "__iter__": _iter,
    # -- arithmetic
    "add": elementwise.add,
    "sub": elementwise.sub,
    "subtract": elementwise.sub,
    "mul": elementwise.mul,
    "multiply": elementwise.mul,
    "div": elementwise.div,
    "divide": elementwise.div,
    "true_divide": elementwise.true_divide,
    "floor_divide": elementwise.floor_divide,
    "remainder": elementwise.remainder,
    "fmod": elementwise.fmod,
    "neg": elementwise.neg,
    "pow": elementwise.pow,
    "square": elementwise.square,
    "lerp": elementwise.lerp,
    "addcmul": elementwise.addcmul,
    "addcdiv": elementwise.addcdiv,
    # -- pointwise math
    "exp": elementwise.exp,
    "exp2": elementwise.exp2,
    "expm1": elementwise.expm1,
    "log": elementwise.log,
    "log1p": elementwise.log1p,
    "log2": elementwise.log2,
    "log10": elementwise.log10,
    "sqrt": elementwise.sqrt,
    "rsqrt": elementwise.rsqrt,
    "reciprocal": elementwise.reciprocal,
    "abs": elementwise.abs,
    "absolute": elementwise.abs,
    "sign": elementwise.sign,
    "sin": elementwise.sin,
    "cos": elementwise.cos,
    "tan": elementwise.tan,
    "tanh": elementwise.tanh,
    "sigmoid": elementwise.sigmoid,
    "relu": elementwise.relu,
    "erf": elementwise.erf,
    "atan2": elementwise.atan2,
    "arctan2": elementwise.atan2,
    "logaddexp": elementwise.logaddexp,
    "floor": elementwise.floor,
    "ceil": elementwise.ceil,
    "round": elementwise.round,
    "trunc": elementwise.trunc,
    "fix": elementwise.trunc,
    "frac": elementwise.frac,
    "nan_to_num": elementwise.nan_to_num,
    # -- clamp, where, masked_fill
    "clamp": elementwise.clamp,
    "clip": elementwise.clamp,
    "clamp_min": elementwise.clamp_min,
    "clamp_max": elementwise.clamp_max,
    "maximum": elementwise.maximum,
    "minimum": elementwise.minimum,
    "where": _where,
    "masked_fill": elementwise.masked_fill,
    # -- comparison and logic
    "eq": elementwise.eq,
    "ne": elementwise.ne,
    "lt": elementwise.lt,
    "le": elementwise.le,
    "gt": elementwise.gt,
    "ge": elementwise.ge,
    "greater": elementwise.gt,
    "greater_equal": elementwise.ge,
    "less": elementwise.lt,
    "less_equal": elementwise.le,
    "not_equal": elementwise.ne,
    "logical_and": elementwise.logical_and,
    "logical_or": elementwise.logical_or,
    "logical_xor": elementwise.logical_xor,
    "logical_not": elementwise.logical_not,
    "bitwise_and": elementwise.bitwise_and,
    "bitwise_or": elementwise.bitwise_or,
    "bitwise_xor": elementwise.bitwise_xor,
    "bitwise_not": elementwise.bitwise_not,
    "isnan": elementwise.isnan,
    "isinf": elementwise.isinf,
    "isfinite": elementwise.isfinite,
    "isclose": elementwise.isclose,
    "allclose": elementwise.allclose,
    "equal": elementwise.equal,
    # -- reductions
    "sum": reduction.sum,
    "mean": reduction.mean,
    "prod": reduction.prod,
    "var": reduction.var,
    "std": reduction.std,
    "max": reduction.max,
    "min": reduction.min,
    "amax": reduction.amax,
    "amin": reduction.amin,
    "aminmax": reduction.aminmax,
    "argmax": reduction.argmax,
    "argmin": reduction.argmin,
    "logsumexp": reduction.logsumexp,
    "norm": reduction.norm,
    "dist": norms.dist,
    "cumsum": reduction.cumsum,
    "cumprod": reduction.cumprod,
    "any": reduction.any,
    "all": reduction.all,
    "count_nonzero": reduction.count_nonzero,
    # -- sorting
    "sort": sorting.sort,
    "argsort": sorting.argsort,
    "topk": sorting.topk,
    "unique": sorting.unique,
    # -- shape and views
    "reshape": shape.reshape,
    "view": shape.view,
    "view_as": shape.view_as,
    "reshape_as": shape.reshape_as,
    "transpose": shape.transpose,
    "swapaxes": shape.transpose,
    "swapdims": shape.transpose,
    "permute": shape.permute,
    "movedim": shape.movedim,
    "moveaxis": shape.movedim,
    "t": shape.t,
    "T": property(_T),
    "mT": property(_mT),
    "flatten": shape.flatten,
    "unflatten": shape.unflatten,
    "squeeze": shape.squeeze,
    "unsqueeze": shape.unsqueeze,
    "expand": shape.expand,
    "expand_as": shape.expand_as,
    "broadcast_to": shape.broadcast_to,
    "repeat": shape.repeat,
    "tile": shape.tile,
    "flip": shape.flip,
    "fliplr": shape.fliplr,
    "flipud": shape.flipud,
    "roll": shape.roll,
    "split": shape.split,
    "chunk": shape.chunk,
    "unbind": shape.unbind,
    "narrow": shape.narrow,
    "select": shape.select,
    "tril": shape.tril,
    "triu": shape.triu,
    "diag": shape.diag,
    "diagonal": shape.diagonal,
    "trace": shape.trace,
    "repeat_interleave": shape.repeat_interleave,
    "diff": shape.diff,
    "clone": shape.clone,
    # -- indexing
    "gather": indexing.gather,
    "take_along_dim": indexing.take_along_dim,
    "scatter": indexing.scatter,
    "scatter_add": indexing.scatter_add,
    "index_select": indexing.index_select,
    "index_add": indexing.index_add,
    "bincount": indexing.bincount,
    "masked_select": indexing.masked_select,
    "nonzero": indexing.nonzero,
    "argwhere": indexing.argwhere,
    "take": indexing.take,
    # -- matrix products
    "matmul": linalg.matmul,
    "mm": linalg.mm,
    "bmm": linalg.bmm,
    "mv": linalg.mv,
    "dot": linalg.dot,
    "inner": linalg.inner,
    "outer": linalg.outer,
    "ger": linalg.outer,
    "addmm": linalg.addmm,
    "baddbmm": linalg.baddbmm,
    # -- nn
    "softmax": activation.torch_softmax,
    "log_softmax": activation.torch_log_softmax,
    # -- conversion
    "to": conversion.to,
    "type": _legacy.tensor_type,
    "type_as": conversion.type_as,
    "contiguous": conversion.contiguous,
    "float": _cast(_dtype.float32),
    "double": _cast(_dtype.float64),
    "half": _cast(_dtype.float16),
    "bfloat16": _cast(_dtype.bfloat16),  # (refused by name: NumPy has no bfloat16)
    "long": _cast(_dtype.int64),
    "int": _cast(_dtype.int32),
    "bool": _cast(_dtype.bool),
    "byte": _cast(_dtype.uint8),
    "char": _cast(_dtype.int8),
    "short": _cast(_dtype.int16),
    # -- in place
    "add_": _inplace(elementwise.add),
    "sub_": _inplace(elementwise.sub),
    "mul_": _inplace(elementwise.mul),
    "div_": _inplace(elementwise.div),
    "remainder_": _inplace(elementwise.remainder),
    "pow_": _inplace(elementwise.pow),
    "neg_": _inplace(elementwise.neg),
    "lerp_": _inplace(elementwise.lerp),
    "addcmul_": _inplace(elementwise.addcmul),
    "addcdiv_": _inplace(elementwise.addcdiv),
    "exp_": _inplace(elementwise.exp),
    "log_": _inplace(elementwise.log),
    "sqrt_": _inplace(elementwise.sqrt),
    "square_": _inplace(elementwise.square),
    "reciprocal_": _inplace(elementwise.reciprocal),
    "abs_": _inplace(elementwise.abs),
    "sign_": _inplace(elementwise.sign),
    "sin_": _inplace(elementwise.sin),
    "cos_": _inplace(elementwise.cos),
    "tanh_": _inplace(elementwise.tanh),
    "sigmoid_": _inplace(elementwise.sigmoid),
    "relu_": _inplace(elementwise.relu),
    "floor_": _inplace(elementwise.floor),
    "ceil_": _inplace(elementwise.ceil),
    "round_": _inplace(elementwise.round),
    "trunc_": _inplace(elementwise.trunc),
    "clamp_": _inplace(elementwise.clamp),
    "clip_": _inplace(elementwise.clamp),
    "clamp_min_": _inplace(elementwise.clamp_min),
    "clamp_max_": _inplace(elementwise.clamp_max),
    "masked_fill_": inplace.masked_fill_,
    "scatter_": _inplace(indexing.scatter),
    "scatter_add_": _inplace(indexing.scatter_add),
    "index_add_": _inplace(indexing.index_add),
    "cumprod_": _inplace(reduction.cumprod),
    "copy_": inplace.copy_,
    "fill_": inplace.fill_,
    "zero_": inplace.zero_,
    # -- new tensors like this one
    "new_tensor": _creation.new_tensor,
    "new_zeros": _creation.new_zeros,
    "new_ones": _creation.new_ones,
    "new_full": _creation.new_full,
    "new_empty": _creation.new_empty,
    # -- random sampling (torch's CPU streams: see docs/random.md)
    "uniform_": random.uniform_,
    "normal_": random.normal_,
    "bernoulli_": random.bernoulli_,
    "bernoulli": _bernoulli,
    "random_": random.random_,
    "exponential_": random.exponential_,
    "cauchy_": random.cauchy_,
    "log_normal_": random.log_normal_,
    "geometric_": random.geometric_,
    "multinomial": _multinomial,
}


def _attach() -> None:
    """Each entry becomes the Tensor attribute of its name; a function with ``out=`` gives its
    version without it. The adapters of this module are named after their method."""
    for name, fn in METHODS.items():
        fn = getattr(fn, "without_out", fn)
        if getattr(fn, "__module__", None) == __name__:
            fn.__name__, fn.__qualname__ = name, f"Tensor.{name}"
        setattr(Tensor, name, fn)


_attach()
