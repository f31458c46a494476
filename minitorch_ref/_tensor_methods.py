"""Tensor's methods and operators that are ops: one table, one line per method.

``x.exp()`` is ``torch.exp(x)``, and here it is the same function: the method is the public op
itself (its version without ``out=``, ``fn.without_out``, since torch's methods take no
``out=``), so a method and its function run the same checks and record the same grad_fn.
Operators route through the same functions: ``x + y`` is ``torch.add(x, y)``, ``-x`` is
``torch.neg(x)``, ``x @ y`` is ``torch.matmul(x, y)``.

Where the method's arguments differ from the function's (``x.where(cond, y)`` is
``torch.where(cond, x, y)``), a small adapter sits just above the table; in-place methods
(``x.exp_()``) are the op written back into ``x`` (``inplace.apply_inplace``).

``_tensor.py`` imports no op; this module, imported once at the end of the package's
``__init__``, attaches the table. A new op's method is one line here (docs/adding-an-op.md).
"""
from __future__ import annotations

import inspect
import math

import numpy as np

from . import _creation, _dtype, _legacy, random
from ._ops import (arithmetic, comparison, conversion, cumulative, diagonals, exponential,
                   index_write, indexing, inplace, joining, linalg, linalg_decomp, linalg_solve,
                   norms, pointwise, reduction, shape, sorting, special, statistics, storage,
                   tensor_utils, trigonometry, variance, view_scatter)
from ._names import c_type_name, scalar_type_name
from ._ops.out import binary_operator
from ._tensor import Tensor, _new_tensor
from .nn.functional import softmax_family


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
    """``x (op) y`` is ``fn(x, y)``; with an ndarray ``y``, NumPy's ``ufunc`` (see above). The
    operator is ``fn``'s own code with that test in front (``out.binary_operator``): no call
    between ``x + y`` and ``add``'s body."""
    return binary_operator(fn, lambda x, y: _through_numpy(ufunc, x, y))


def _reflected(fn):
    """``y (op) x`` for a number ``y`` is ``fn(y, x)``; an ndarray ``y`` is NumPy's business
    (NotImplemented here makes Python use NumPy's operator)."""
    fn = getattr(fn, "without_out", fn)

    def operator(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return fn(other, self)
    return operator


def _commuted(fn):
    """``y + x`` and ``y * x`` for a number ``y``: torch computes ``x + y`` (``x.add(y)``), so
    its node lists x first; an ndarray ``y`` is NumPy's business."""
    fn = getattr(fn, "without_out", fn)

    def operator(self, other):
        if type(other) is np.ndarray:
            return NotImplemented
        return fn(self, other)
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


def _inplace(fn, elementwise=False):
    """``x.op_(...)``: ``fn(x, ...)`` written back into ``x`` (``inplace.apply_inplace``). An
    argument ``fn`` does not take is refused first (``fn``'s own TypeError), before the in-place
    rules, as torch parses a call's arguments before anything else. ``elementwise``: a binary
    elementwise op, whose operand's shape and dtype torch checks before its kernel runs (True,
    or "div"/"sub": ``inplace.check_elementwise``)."""
    fn = getattr(fn, "without_out", fn)
    params = list(inspect.signature(fn).parameters.values())[1:]
    keywords = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    positional = math.inf if any(p.kind == p.VAR_POSITIONAL for p in params) else sum(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)

    def method(self, *args, **kwargs):
        if len(args) > positional or (kwargs and not keywords.issuperset(kwargs)):
            fn(self, *args, **kwargs)  # raises: an argument fn does not take
        check = elementwise
        if check == "div" and kwargs.get("rounding_mode") is not None:
            check = True  # (an integer floor or trunc division stays integer)
        return inplace.apply_inplace(self, fn, *args, elementwise=check, **kwargs)
    method.__wrapped__ = fn  # (for inspect.signature and help())
    return method


def _clamp(name: str):
    """``x.clamp(lo, hi)`` and ``x.clip``: the function, after torch's method-form TypeError
    for bounds no overload takes (``pointwise.clamp_method_error``)."""
    fn = pointwise.clamp.without_out                  # (torch's methods take no out=)

    def clamp(self, *args, **kwargs):
        error = pointwise.clamp_method_error(name, args, kwargs)
        if error is not None:
            raise error
        return fn(self, *args, **kwargs)
    clamp.__wrapped__ = fn
    return clamp


def _clamp_(fn, name: str):
    """``x.clamp_(...)``, ``clip_``, ``clamp_min_``, ``clamp_max_``. With a number among the
    bounds torch takes its Scalar overload (a 0-d tensor beside a number is read as a number
    too), whose cast check names x's C++ type: "result type Float can't be cast to the desired
    output type long int". Tensor bounds alone keep the in-place rule's "... type Long"."""
    method = _inplace(fn)

    def clamp_(self, *args, **kwargs):
        error = pointwise.clamp_method_error(name, args, kwargs)
        if error is not None:
            raise error
        bounds = [b for b in (*args, *kwargs.values()) if b is not None]
        if isinstance(self, Tensor) and not all(isinstance(b, Tensor) for b in bounds):
            values = [b._data if isinstance(b, Tensor) else b for b in bounds]
            if all(type(v) in (int, float, bool) or (isinstance(v, np.ndarray) and v.ndim == 0)
                   for v in values):
                res = _dtype.from_numpy_dtype(_dtype.result_np_dtype(self._data, *values))
                if not _dtype.can_cast(res, self.dtype):
                    raise RuntimeError(
                        f"result type {scalar_type_name(res)} can't be cast to the desired "
                        f"output type {c_type_name(self.dtype)}")
        return method(self, *args, **kwargs)
    clamp_.__wrapped__ = method.__wrapped__
    return clamp_


def _compare_(np_fn, node: str):
    """``x.eq_(y)``, ``x.lt_(y)``, ...: the comparison written into ``x`` as 1 or 0 in x's
    dtype; while autograd records, torch's node (``EqBackward0`` for a number, ``EqBackward1``
    for a tensor) with zero gradients."""
    def method(self, other):
        name = f"{node}Backward{1 if isinstance(other, Tensor) else 0}"
        return inplace.apply_inplace(
            self, lambda a, b: comparison.CompareInPlace.apply(a, b, np_fn, name=name), other)
    return method


def _untracked(fn):
    """``x.logical_not_()``, ``x.logical_and_(y)``, ...: written into ``x`` without autograd, as
    torch does (x keeps its history; even a leaf that requires grad is written)."""
    fn = getattr(fn, "without_out", fn)

    def method(self, *args):
        return inplace.apply_untracked(self, fn, *args)
    return method


def _augmented(fn, ufunc, elementwise=True):
    """``x op= y``: the in-place op; ``x op= ndarray``: torch's in-place operator refuses it and
    Python falls back to ``x = x op ndarray`` (a new tensor, computed by NumPy)."""
    method = _inplace(fn, elementwise)

    def operator(self, other):
        if type(other) is np.ndarray:
            return _through_numpy(ufunc, self, other)
        return method(self, other)
    return operator


def _rtruediv(self, other):
    """``y / x`` for a number ``y`` is torch's ``x.reciprocal() * y`` (its values round as
    that product does; its graph is MulBackward0 over ReciprocalBackward0)."""
    if type(other) is np.ndarray:  # the product by NumPy
        return _through_numpy(np.multiply, pointwise.reciprocal(self), other)
    return arithmetic.mul(pointwise.reciprocal(self), other)


def _invert(self):
    if self._data.dtype.kind == "f":
        raise TypeError(
            "~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return comparison.bitwise_not(self)


def _pos(self):
    return self


def _iter(self):
    if self._data.ndim == 0:
        raise TypeError("iteration over a 0-d tensor")
    return iter(joining.unbind(self, 0))


# -- methods whose arguments differ from their function's ---------------------------------------

def _cast(dtype):
    """``x.float()``, ``x.long()``, ...: ``x.to(dtype)``. ``memory_format`` is accepted as
    torch's is; every result here is laid out as its input (torch's preserve_format)."""
    def method(self, memory_format=None):
        return conversion.to(self, dtype)
    return method


def _T(self):
    # torch's numpy_T: a permute of the reversed dims, a view with its node even below 2-D
    return shape.permute(self, tuple(range(self._data.ndim - 1, -1, -1)))


def _mT(self):
    return shape.transpose(self, -2, -1)


def _where(self, condition, other):
    return indexing.where(condition, self, other)


def _polygamma(self, n):
    """``x.polygamma(n)`` is ``torch.polygamma(n, x)``."""
    return special.polygamma(n, self)


def _bernoulli(self, p=None, *, generator=None):
    return random.bernoulli(self, p, generator=generator)


def _multinomial(self, num_samples, replacement=False, *, generator=None):
    return random.multinomial(self, num_samples, replacement, generator=generator)


METHODS = {
    # -- operators
    "__add__": _binary(arithmetic.add, np.add),
    "__radd__": _commuted(arithmetic.add),
    "__iadd__": _augmented(arithmetic.add, np.add),
    "__sub__": _binary(arithmetic.sub, np.subtract),
    "__rsub__": _no_ndarray(arithmetic.rsub),
    "__isub__": _augmented(arithmetic.sub, np.subtract, "sub"),
    "__mul__": _binary(arithmetic.mul, np.multiply),
    "__rmul__": _commuted(arithmetic.mul),
    "__imul__": _augmented(arithmetic.mul, np.multiply),
    "__truediv__": _binary(arithmetic.div, np.true_divide),
    "__rtruediv__": _rtruediv,
    "__itruediv__": _augmented(arithmetic.div, np.true_divide, "div"),
    "__floordiv__": _binary(arithmetic.floor_divide, np.floor_divide),
    "__rfloordiv__": _reflected(arithmetic.floor_divide),
    "__mod__": _binary(arithmetic.remainder, np.remainder),
    "__rmod__": _reflected(arithmetic.remainder),
    "__imod__": _augmented(arithmetic.remainder, np.remainder),
    "__pow__": _binary(arithmetic.pow, np.power),
    "__rpow__": _reflected(arithmetic.pow),
    "__matmul__": _binary(linalg.matmul, np.matmul),
    "__rmatmul__": _reflected(linalg.matmul),
    "__neg__": arithmetic.neg,
    "__pos__": _pos,
    "__abs__": pointwise.abs,
    "__invert__": _invert,
    "__and__": _binary(comparison.bitwise_and, np.bitwise_and),
    "__rand__": _reflected(comparison.bitwise_and),
    "__or__": _binary(comparison.bitwise_or, np.bitwise_or),
    "__ror__": _reflected(comparison.bitwise_or),
    "__xor__": _binary(comparison.bitwise_xor, np.bitwise_xor),
    "__rxor__": _reflected(comparison.bitwise_xor),
    "__lshift__": _binary(comparison.bitwise_left_shift, np.left_shift),
    "__rlshift__": _reflected(comparison.bitwise_left_shift),
    "__rshift__": _binary(comparison.bitwise_right_shift, np.right_shift),
    "__rrshift__": _reflected(comparison.bitwise_right_shift),
    # in-place operators (x op= y): the in-place op, the same tensor (views see the change)
    "__iand__": _augmented(comparison.bitwise_and, np.bitwise_and),
    "__ior__": _augmented(comparison.bitwise_or, np.bitwise_or),
    "__ixor__": _augmented(comparison.bitwise_xor, np.bitwise_xor),
    "__ilshift__": _augmented(comparison.bitwise_left_shift, np.left_shift),
    "__irshift__": _augmented(comparison.bitwise_right_shift, np.right_shift),
    "__ipow__": _augmented(arithmetic.pow, np.power),
    "__ifloordiv__": _augmented(arithmetic.floor_divide_inplace, np.floor_divide),
    "__idiv__": _augmented(arithmetic.div, np.true_divide, "div"),
    "__eq__": comparison.eq,
    "__ne__": _no_ndarray(comparison.ne),
    "__lt__": _no_ndarray(comparison.lt),
    "__le__": _no_ndarray(comparison.le),
    "__gt__": _no_ndarray(comparison.gt),
    "__ge__": _no_ndarray(comparison.ge),
    "__getitem__": indexing.getitem,
    "__setitem__": inplace.setitem,
    "__iter__": _iter,
    # -- arithmetic
    "add": arithmetic.add,
    "sub": arithmetic.sub,
    "subtract": arithmetic.sub,
    "mul": arithmetic.mul,
    "multiply": arithmetic.mul,
    "div": arithmetic.div,
    "divide": arithmetic.div,
    "true_divide": arithmetic.true_divide,
    "floor_divide": arithmetic.floor_divide,
    "remainder": arithmetic.remainder,
    "fmod": arithmetic.fmod,
    "neg": arithmetic.neg,
    "negative": arithmetic.neg,
    "pow": arithmetic.pow,
    "square": arithmetic.square,
    "lerp": arithmetic.lerp,
    "addcmul": arithmetic.addcmul,
    "addcdiv": arithmetic.addcdiv,
    # -- pointwise math
    "exp": exponential.exp,
    "exp2": exponential.exp2,
    "expm1": exponential.expm1,
    "log": exponential.log,
    "log1p": exponential.log1p,
    "log2": exponential.log2,
    "log10": exponential.log10,
    "sqrt": pointwise.sqrt,
    "rsqrt": pointwise.rsqrt,
    "reciprocal": pointwise.reciprocal,
    "abs": pointwise.abs,
    "absolute": pointwise.abs,
    "sign": pointwise.sign,
    "sgn": pointwise.sgn,
    "signbit": pointwise.signbit,
    "sin": trigonometry.sin,
    "cos": trigonometry.cos,
    "tan": trigonometry.tan,
    "tanh": trigonometry.tanh,
    "asin": trigonometry.asin,
    "acos": trigonometry.acos,
    "atan": trigonometry.atan,
    "arcsin": trigonometry.asin,
    "arccos": trigonometry.acos,
    "arctan": trigonometry.atan,
    "sinh": trigonometry.sinh,
    "cosh": trigonometry.cosh,
    "asinh": trigonometry.asinh,
    "acosh": trigonometry.acosh,
    "atanh": trigonometry.atanh,
    "arcsinh": trigonometry.asinh,
    "arccosh": trigonometry.acosh,
    "arctanh": trigonometry.atanh,
    "deg2rad": trigonometry.deg2rad,
    "rad2deg": trigonometry.rad2deg,
    "heaviside": comparison.heaviside,
    "cov": statistics.cov,
    "corrcoef": statistics.corrcoef,
    "histc": statistics.histc,
    "histogram": statistics.histogram,
    "unique_consecutive": sorting.unique_consecutive,
    "sigmoid": pointwise.sigmoid,
    "relu": pointwise.relu,
    "erf": pointwise.erf,
    "atan2": trigonometry.atan2,
    "arctan2": trigonometry.atan2,
    "logaddexp": exponential.logaddexp,
    "logaddexp2": exponential.logaddexp2,
    "hypot": pointwise.hypot,
    "copysign": pointwise.copysign,
    "nextafter": pointwise.nextafter,
    "ldexp": pointwise.ldexp,
    "frexp": pointwise.frexp,
    "float_power": arithmetic.float_power,
    "gcd": arithmetic.gcd,
    "lcm": arithmetic.lcm,
    "renorm": norms.renorm,
    "floor": pointwise.floor,
    "ceil": pointwise.ceil,
    "round": pointwise.round,
    "trunc": pointwise.trunc,
    "fix": pointwise.trunc,
    "frac": pointwise.frac,
    "nan_to_num": pointwise.nan_to_num,
    # -- special functions
    "lgamma": special.lgamma,
    "digamma": special.digamma,
    "polygamma": _polygamma,
    "mvlgamma": special.mvlgamma,
    "erfc": special.erfc,
    "erfinv": special.erfinv,
    "i0": special.i0,
    "sinc": special.sinc,
    "xlogy": special.xlogy,
    "logit": special.logit,
    # -- clamp, where, masked_fill
    "clamp": _clamp("clamp"),
    "clip": _clamp("clip"),
    "clamp_min": pointwise.clamp_min,
    "clamp_max": pointwise.clamp_max,
    "maximum": comparison.maximum,
    "minimum": comparison.minimum,
    "fmax": comparison.fmax,
    "fmin": comparison.fmin,
    "where": _where,
    "masked_fill": indexing.masked_fill,
    # -- comparison and logic
    "eq": comparison.eq,
    "ne": comparison.ne,
    "lt": comparison.lt,
    "le": comparison.le,
    "gt": comparison.gt,
    "ge": comparison.ge,
    "greater": comparison.gt,
    "greater_equal": comparison.ge,
    "less": comparison.lt,
    "less_equal": comparison.le,
    "not_equal": comparison.ne,
    "logical_and": comparison.logical_and,
    "logical_or": comparison.logical_or,
    "logical_xor": comparison.logical_xor,
    "logical_not": comparison.logical_not,
    "bitwise_and": comparison.bitwise_and,
    "bitwise_or": comparison.bitwise_or,
    "bitwise_xor": comparison.bitwise_xor,
    "bitwise_not": comparison.bitwise_not,
    "bitwise_left_shift": comparison.bitwise_left_shift,
    "bitwise_right_shift": comparison.bitwise_right_shift,
    "isnan": comparison.isnan,
    "isinf": comparison.isinf,
    "isfinite": comparison.isfinite,
    "isclose": comparison.isclose,
    "allclose": comparison.allclose,
    "equal": comparison.equal,
    # -- reductions
    "sum": reduction.sum,
    "mean": reduction.mean,
    "prod": reduction.prod,
    "var": variance.var,
    "std": variance.std,
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
    "cumsum": cumulative.cumsum,
    "cumprod": cumulative.cumprod,
    "any": reduction.any,
    "all": reduction.all,
    "count_nonzero": reduction.count_nonzero,
    "nansum": statistics.nansum,
    "quantile": statistics.quantile,
    "nanquantile": statistics.nanquantile,
    "median": sorting.median,
    "nanmedian": sorting.nanmedian,
    "kthvalue": sorting.kthvalue,
    "mode": sorting.mode,
    "nanmean": statistics.nanmean,
    "cummax": cumulative.cummax,
    "cummin": cumulative.cummin,
    "logcumsumexp": cumulative.logcumsumexp,
    # -- sorting
    "sort": sorting.sort,
    "argsort": sorting.argsort,
    "topk": sorting.topk,
    "unique": sorting.unique,
    # -- shape and views
    "reshape": shape.reshape_method,
    "view": shape.view,
    "view_as": shape.view_as,
    "reshape_as": shape.reshape_as,
    "transpose": shape.transpose,
    "swapaxes": shape.transpose,
    "swapdims": shape.transpose,
    "permute": shape.permute_method,
    "movedim": shape.movedim_method,
    "moveaxis": shape.moveaxis_method,
    "t": shape.t,
    "T": property(_T),
    "mT": property(_mT),
    "flatten": shape.flatten,
    "unflatten": shape.unflatten_method,
    "squeeze": shape.squeeze,
    "unsqueeze": shape.unsqueeze,
    "expand": shape.expand,
    "expand_as": shape.expand_as,
    "broadcast_to": shape.broadcast_to_method,
    "repeat": shape.repeat,
    "tile": shape.tile_method,
    "flip": shape.flip_method,
    "fliplr": shape.fliplr,
    "flipud": shape.flipud,
    "roll": shape.roll,
    "split": joining.split,
    "tensor_split": joining.tensor_split,
    "hsplit": joining.hsplit,
    "vsplit": joining.vsplit,
    "dsplit": joining.dsplit,
    "ravel": shape.ravel,
    "rot90": shape.rot90,
    "unfold": shape.unfold,
    "kron": linalg.kron,
    "chunk": joining.chunk,
    "unbind": joining.unbind,
    "narrow": shape.narrow,
    "select": shape.select,
    "tril": diagonals.tril,
    "triu": diagonals.triu,
    "diag": diagonals.diag,
    "diagonal": diagonals.diagonal,
    "trace": diagonals.trace,
    "repeat_interleave": indexing.repeat_interleave,
    "diff": arithmetic.diff,
    "clone": conversion.clone,
    # -- indexing
    "gather": indexing.gather,
    "take_along_dim": indexing.take_along_dim,
    "scatter": indexing.scatter,
    "scatter_add": indexing.scatter_add,
    "index_select": indexing.index_select,
    "index_add": indexing.index_add,
    "scatter_reduce": index_write.scatter_reduce,
    "index_copy": index_write.index_copy,
    "put": index_write.put,
    "index_reduce": index_write.index_reduce,
    "index_fill": index_write.index_fill,
    "masked_scatter": index_write.masked_scatter,
    "index_put": inplace.index_put,
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
    "addmm_": _inplace(linalg.addmm),
    "baddbmm": linalg.baddbmm,
    "baddbmm_": _inplace(linalg.baddbmm),
    "addmv": linalg.addmv,
    "addmv_": _inplace(linalg.addmv),
    "addr": linalg.addr,
    "addr_": _inplace(linalg.addr),
    "addbmm": linalg.addbmm,
    "addbmm_": _inplace(linalg.addbmm),
    "vdot": linalg.vdot,
    # -- writes into a view's region, copies of one
    "select_scatter": view_scatter.select_scatter,
    "slice_scatter": view_scatter.slice_scatter,
    "diagonal_scatter": view_scatter.diagonal_scatter,
    "narrow_copy": view_scatter.narrow_copy,
    # -- utilities: predicates, identities of real tensors, adjoints, copies of splits
    "diag_embed": diagonals.diag_embed,
    "diagflat": diagonals.diagflat,
    "isposinf": comparison.isposinf,
    "isneginf": comparison.isneginf,
    "isreal": tensor_utils.isreal,
    "msort": sorting.msort,
    "sum_to_size": tensor_utils.sum_to_size,
    "positive": tensor_utils.positive,
    "is_nonzero": tensor_utils.is_nonzero,
    "is_same_size": tensor_utils.is_same_size,
    "is_signed": tensor_utils.is_signed,
    "is_conj": tensor_utils.is_conj,
    "is_neg": tensor_utils.is_neg,
    "is_inference": tensor_utils.is_inference,
    "real": property(tensor_utils.real),
    "imag": property(tensor_utils.tensor_imag),
    "conj": tensor_utils.conj,
    "conj_physical": tensor_utils.conj_physical,
    "resolve_conj": tensor_utils.resolve_conj,
    "resolve_neg": tensor_utils.resolve_neg,
    "adjoint": tensor_utils.adjoint,
    "H": property(tensor_utils.tensor_H),
    "mH": property(tensor_utils.tensor_mH),
    "itemsize": property(lambda self: self._data.itemsize),
    "nbytes": property(lambda self: self._data.nbytes),
    "split_with_sizes": tensor_utils.split_with_sizes,
    "unsafe_split": tensor_utils.unsafe_split,
    "unsafe_chunk": tensor_utils.unsafe_chunk,
    "unsafe_split_with_sizes": tensor_utils.unsafe_split_with_sizes,
    "fill_diagonal_": tensor_utils.fill_diagonal_,
    "apply_": tensor_utils.tensor_apply_,
    "map_": tensor_utils.tensor_map_,
    "map2_": tensor_utils.tensor_map2_,
    "output_nr": property(lambda self: self._output_nr),
    "resize_": storage.resize_,
    "as_strided": storage.as_strided,
    # -- linear algebra
    "det": linalg_solve.det,
    "logdet": linalg_solve.logdet,
    "slogdet": linalg_solve.slogdet,
    "inverse": linalg_solve.inv,
    "pinverse": linalg_decomp.pinverse,
    "cholesky": linalg_decomp.torch_cholesky,
    "cholesky_solve": linalg_solve.cholesky_solve,
    "cholesky_inverse": linalg_solve.cholesky_inverse,
    "qr": linalg_decomp.torch_qr,
    "svd": linalg_decomp.torch_svd,
    "cross": linalg_solve.cross,
    "matrix_power": linalg_solve.matrix_power,
    "matrix_exp": linalg_solve.matrix_exp,
    # -- nn
    "softmax": softmax_family.torch_softmax,
    "log_softmax": softmax_family.torch_log_softmax,
    # -- conversion
    "to": conversion.to,
    "type": _legacy.tensor_type,
    "new": _legacy.tensor_new,
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
    # -- in place: the op written back into the tensor
    "add_": _inplace(arithmetic.add, elementwise=True),
    "sub_": _inplace(arithmetic.sub, elementwise="sub"),
    "subtract_": _inplace(arithmetic.sub, elementwise="sub"),
    "mul_": _inplace(arithmetic.mul, elementwise=True),
    "multiply_": _inplace(arithmetic.mul, elementwise=True),
    "div_": _inplace(arithmetic.div, elementwise="div"),
    "divide_": _inplace(arithmetic.div, elementwise="div"),
    "true_divide_": _inplace(arithmetic.true_divide, elementwise="div"),
    "floor_divide_": _inplace(arithmetic.floor_divide_inplace, elementwise=True),
    "remainder_": _inplace(arithmetic.remainder, elementwise=True),
    "fmod_": _inplace(arithmetic.fmod, elementwise=True),
    "pow_": _inplace(arithmetic.pow, elementwise=True),
    "neg_": _inplace(arithmetic.neg),
    "negative_": _inplace(arithmetic.neg),
    "lerp_": _inplace(arithmetic.lerp),
    "addcmul_": _inplace(arithmetic.addcmul),
    "addcdiv_": _inplace(arithmetic.addcdiv),
    "exp_": _inplace(exponential.exp),
    "exp2_": _inplace(exponential.exp2),
    "expm1_": _inplace(exponential.expm1),
    "log_": _inplace(exponential.log),
    "log1p_": _inplace(exponential.log1p),
    "log2_": _inplace(exponential.log2),
    "log10_": _inplace(exponential.log10),
    "sqrt_": _inplace(pointwise.sqrt),
    "rsqrt_": _inplace(pointwise.rsqrt),
    "square_": _inplace(arithmetic.square),
    "reciprocal_": _inplace(pointwise.reciprocal),
    "abs_": _inplace(pointwise.abs),
    "absolute_": _inplace(pointwise.abs),
    "sign_": _inplace(pointwise.sign),
    "sgn_": _inplace(pointwise.sgn),
    "sin_": _inplace(trigonometry.sin),
    "cos_": _inplace(trigonometry.cos),
    "tan_": _inplace(trigonometry.tan),
    "asin_": _inplace(trigonometry.asin),
    "acos_": _inplace(trigonometry.acos),
    "atan_": _inplace(trigonometry.atan),
    "arcsin_": _inplace(trigonometry.asin),
    "arccos_": _inplace(trigonometry.acos),
    "arctan_": _inplace(trigonometry.atan),
    "atan2_": _inplace(trigonometry.atan2, elementwise=True),
    "arctan2_": _inplace(trigonometry.atan2, elementwise=True),
    "sinh_": _inplace(trigonometry.sinh),
    "deg2rad_": _inplace(trigonometry.deg2rad),
    "rad2deg_": _inplace(trigonometry.rad2deg),
    "heaviside_": _inplace(comparison.heaviside_inplace),
    "cosh_": _inplace(trigonometry.cosh),
    "tanh_": _inplace(trigonometry.tanh),
    "asinh_": _inplace(trigonometry.asinh_inplace),
    "acosh_": _inplace(trigonometry.acosh_inplace),
    "atanh_": _inplace(trigonometry.atanh_inplace),
    "arcsinh_": _inplace(trigonometry.asinh_inplace),
    "arccosh_": _inplace(trigonometry.acosh_inplace),
    "arctanh_": _inplace(trigonometry.atanh_inplace),
    "sigmoid_": _inplace(pointwise.sigmoid),
    "relu_": _inplace(pointwise.relu),
    "erf_": _inplace(pointwise.erf),
    "floor_": _inplace(pointwise.floor),
    "ceil_": _inplace(pointwise.ceil),
    "round_": _inplace(pointwise.round),
    "trunc_": _inplace(pointwise.trunc),
    "fix_": _inplace(pointwise.trunc),
    "frac_": _inplace(pointwise.frac),
    "nan_to_num_": _inplace(pointwise.nan_to_num),
    "hypot_": _inplace(pointwise.hypot, elementwise=True),
    "copysign_": _inplace(pointwise.copysign, elementwise=True),
    "nextafter_": _inplace(pointwise.nextafter, elementwise=True),
    "ldexp_": _inplace(pointwise.ldexp_inplace),
    "float_power_": _inplace(arithmetic.float_power_inplace),
    "gcd_": _inplace(arithmetic.gcd, elementwise=True),
    "lcm_": _inplace(arithmetic.lcm, elementwise=True),
    "renorm_": _inplace(norms.renorm),
    "clamp_": _clamp_(pointwise.clamp, "clamp_"),
    "clip_": _clamp_(pointwise.clamp, "clip_"),
    "clamp_min_": _clamp_(pointwise.clamp_min, "clamp_min_"),
    "clamp_max_": _clamp_(pointwise.clamp_max, "clamp_max_"),
    "eq_": _compare_(np.equal, "Eq"),
    "ne_": _compare_(np.not_equal, "Ne"),
    "not_equal_": _compare_(np.not_equal, "Ne"),
    "lt_": _compare_(np.less, "Lt"),
    "less_": _compare_(np.less, "Lt"),
    "le_": _compare_(np.less_equal, "Le"),
    "less_equal_": _compare_(np.less_equal, "Le"),
    "gt_": _compare_(np.greater, "Gt"),
    "greater_": _compare_(np.greater, "Gt"),
    "ge_": _compare_(np.greater_equal, "Ge"),
    "greater_equal_": _compare_(np.greater_equal, "Ge"),
    "logical_and_": _untracked(comparison.logical_and),
    "logical_or_": _untracked(comparison.logical_or),
    "logical_xor_": _untracked(comparison.logical_xor),
    "logical_not_": _untracked(comparison.logical_not),
    "bitwise_and_": _inplace(comparison.bitwise_and, elementwise=True),
    "bitwise_or_": _inplace(comparison.bitwise_or, elementwise=True),
    "bitwise_xor_": _inplace(comparison.bitwise_xor, elementwise=True),
    "bitwise_not_": _inplace(comparison.bitwise_not),
    "bitwise_left_shift_": _inplace(comparison.bitwise_left_shift, elementwise=True),
    "bitwise_right_shift_": _inplace(comparison.bitwise_right_shift, elementwise=True),
    "masked_fill_": inplace.masked_fill_,
    "scatter_": _inplace(indexing.scatter),
    "scatter_add_": _inplace(indexing.scatter_add),
    "index_add_": _inplace(indexing.index_add),
    "scatter_reduce_": _inplace(index_write.scatter_reduce),
    "index_copy_": _inplace(index_write.index_copy),
    "put_": _inplace(index_write.put),
    "index_reduce_": _inplace(index_write.index_reduce),
    "index_fill_": _inplace(index_write.index_fill),
    "masked_scatter_": _inplace(index_write.masked_scatter),
    "index_put_": _inplace(inplace.index_put),
    "cumprod_": _inplace(cumulative.cumprod),
    "cumsum_": _inplace(cumulative.cumsum),
    "tril_": _inplace(diagonals.tril),
    "triu_": _inplace(diagonals.triu),
    "t_": shape.t_,
    "transpose_": shape.transpose_,
    "swapaxes_": shape.swapaxes_,
    "swapdims_": shape.swapdims_,
    "squeeze_": shape.squeeze_,
    "unsqueeze_": shape.unsqueeze_,
    "lgamma_": _inplace(special.lgamma),
    "digamma_": _inplace(special.digamma),
    "polygamma_": _inplace(special.polygamma_inplace_op),
    "mvlgamma_": _inplace(special.mvlgamma),
    "erfc_": _inplace(special.erfc),
    "erfinv_": _inplace(special.erfinv),
    "i0_": _inplace(special.i0),
    "sinc_": _inplace(special.sinc),
    "xlogy_": _inplace(special.xlogy),
    "logit_": _inplace(special.logit),
    "conj_physical_": _inplace(conversion.conj_physical_inplace),
    "as_strided_": storage.as_strided_,
    "resize_as_": storage.resize_as_,
    "copy_": inplace.copy_,
    "fill_": inplace.fill_,
    "zero_": inplace.zero_,
    # -- new tensors like this one
    "new_tensor": _creation.new_tensor,
    "new_zeros": _creation.new_zeros,
    "new_ones": _creation.new_ones,
    "new_full": _creation.new_full,
    "new_empty": _creation.new_empty,
    "new_empty_strided": _creation.new_empty_strided,
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
