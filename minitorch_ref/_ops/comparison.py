"""Comparisons (``== != < <= > >=``, ``isclose``, ``equal``), ``maximum``/``minimum``, the step
function ``heaviside``, the predicates (``isnan``, ``isinf``, ...), and logical and bitwise ops
(``& | ^ ~``).

Comparisons, predicates, logical and bitwise ops give bool (or integer) results that never join
the graph, so they are plain functions over the arrays. ``maximum`` and ``minimum`` are
differentiable: each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the
docstring, ``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in,
dL/d out), then the public function with torch's checks."""
from __future__ import annotations

import numpy as np

from .._dtype import result_np_dtype
from .._names import scalar_type_name
from .._tensor import _new_tensor
from ..autograd.function import ArrayFunction
from ._arguments import argument_error, renamed
from ._util import (Tensor, binary_ufunc, broadcast_shapes_or_raise, check_tensor_args,
                    div_scalar, masked_zero, promote)
from .out import supports_out, with_out

__all__ = ["eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
           "not_equal", "isclose", "allclose", "equal", "maximum", "minimum", "isnan", "isinf",
           "fmax", "fmin", "isfinite", "isposinf", "isneginf", "logical_and", "logical_or",
           "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
           "bitwise_left_shift", "bitwise_right_shift", "heaviside"]


# -- comparisons -----------------------------------------------------------------------------------

def _compare(np_fn, input, other) -> Tensor:
    a = input._data if isinstance(input, Tensor) else input
    b = other._data if isinstance(other, Tensor) else other
    return _new_tensor(np.asarray(binary_ufunc(np_fn, a, b)))


@supports_out(rule="any", differentiable=None)
def eq(input, other, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(eq, locals())
    return _compare(np.equal, input, other)


@supports_out(rule="any", differentiable=None)
def ne(input, other, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(ne, locals())
    return _compare(np.not_equal, input, other)


@supports_out(rule="any", differentiable=None)
def lt(input, other, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(lt, locals())
    return _compare(np.less, input, other)


@supports_out(rule="any", differentiable=None)
def le(input, other, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(le, locals())
    return _compare(np.less_equal, input, other)


@supports_out(rule="any", differentiable=None)
def gt(input, other, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(gt, locals())
    return _compare(np.greater, input, other)


@supports_out(rule="any", differentiable=None)
def ge(input, other, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(ge, locals())
    return _compare(np.greater_equal, input, other)


greater, greater_equal, less, less_equal, not_equal = (
    renamed(fn, name) for fn, name in ((gt, "greater"), (ge, "greater_equal"), (lt, "less"),
                                       (le, "less_equal"), (ne, "not_equal")))


class CompareInPlace(ArrayFunction):
    """``x.eq_(y)`` and the other in-place comparisons: out = 1 where (a op b), else 0, in a's
    dtype.      dL/da = 0,   dL/db = 0   (torch records the node, EqBackward0 for a number
    ``y`` and EqBackward1 for a tensor, with zero gradients)."""

    _backward_name = "EqBackward0"

    @staticmethod
    def forward(ctx, a, b, np_fn):
        return np.asarray(binary_ufunc(np_fn, a, b)).astype(a.dtype)

    @staticmethod
    def backward(ctx, g):
        return np.zeros_like(g), np.zeros_like(g) if ctx.needs_input_grad[1] else None, None


def isclose(input, other, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False):
    """|a - b| <= atol + rtol * |b| elementwise (the same test as torch and NumPy)."""
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(isclose, locals())
    if input.dtype != other.dtype:
        raise RuntimeError(f"{scalar_type_name(input._data.dtype)} did not match "
                           f"{scalar_type_name(other._data.dtype)}")
    if input._data.shape != other._data.shape:
        broadcast_shapes_or_raise(input._data.shape, other._data.shape)
    return _new_tensor(np.asarray(np.isclose(input._data, other._data, rtol=rtol, atol=atol,
                                             equal_nan=equal_nan)))


def allclose(input, other, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(allclose, locals())
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other) -> bool:
    """True when both tensors have the same shape and the same values."""
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(equal, locals())
    return input._data.shape == other._data.shape and bool(
        np.all(input._data == other._data))


# -- maximum, minimum ------------------------------------------------------------------------------

def _split_ties(g, a_loses, b_loses, tie, needs):
    """g halved at ties, then zeroed (masked_fill, as torch's formula) where that input loses;
    a NaN on either side is neither a tie nor a loss, so both inputs receive g there."""
    # torch's formula per input, each with its own where (grad / 2: at::div(Tensor, Scalar)),
    # so that the two gradients share no node
    # (other's first, as torch: by argument name)
    gb = masked_zero(np.where(tie, div_scalar(g, 2), g), b_loses) if needs[1] else None
    ga = masked_zero(np.where(tie, div_scalar(g, 2), g), a_loses) if needs[0] else None
    return ga, gb


class Maximum(ArrayFunction):
    """out = max(a, b) elementwise (NaN propagates).
    dL/da = 0 where a < b, g/2 where a == b, else g;   dL/db = 0 where a > b, g/2 where a == b,
    else g (ties split evenly; where a or b is NaN both receive g, as in torch)."""

    _backward_name = "MaximumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        ctx.save_for_backward(a, b)
        return binary_ufunc(np.maximum, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return _split_ties(g, a < b, a > b, a == b, ctx.needs_input_grad)


@supports_out()
def maximum(input, other, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(maximum, locals())
    return Maximum.apply(input, other)


class Minimum(ArrayFunction):
    """out = min(a, b) elementwise (NaN propagates).
    dL/da = 0 where a > b, g/2 where a == b, else g;   dL/db = 0 where a < b, g/2 where a == b,
    else g (ties split evenly; where a or b is NaN both receive g, as in torch)."""

    _backward_name = "MinimumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        ctx.save_for_backward(a, b)
        return binary_ufunc(np.minimum, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return _split_ties(g, a > b, a < b, a == b, ctx.needs_input_grad)


@supports_out()
def minimum(input, other, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(minimum, locals())
    return Minimum.apply(input, other)


class Fmax(ArrayFunction):
    """out = max(a, b) elementwise, a NaN on one side ignored (NaN only where both are).
    dL/da = g where a >= b or b is NaN, else 0;   dL/db = g elsewhere (a tie goes to a)."""

    _backward_name = "FmaxBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        broadcast_shapes_or_raise(np.shape(a), np.shape(b))
        ctx.save_for_backward(a, b)
        # a select rather than np.fmax: a tie goes to a, so fmax(-0.0, 0.0) is -0.0 as in torch
        return np.where((a >= b) | np.isnan(b), a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        to_a = (a >= b) | np.isnan(b)
        gb = masked_zero(g, to_a) if ctx.needs_input_grad[1] else None  # other's first
        return (masked_zero(g, ~to_a) if ctx.needs_input_grad[0] else None), gb


@supports_out()
def fmax(input, other, *, out=None):
    check_tensor_args("fmax", input, other)
    return Fmax.apply(input, other)


class Fmin(ArrayFunction):
    """out = min(a, b) elementwise, a NaN on one side ignored (NaN only where both are).
    dL/da = g where a <= b or b is NaN, else 0;   dL/db = g elsewhere (a tie goes to a)."""

    _backward_name = "FminBackward0"

    @staticmethod
    def forward(ctx, a, b):
        a, b = promote(a, b)
        broadcast_shapes_or_raise(np.shape(a), np.shape(b))
        ctx.save_for_backward(a, b)
        # a select rather than np.fmin: a tie goes to a, so fmin(-0.0, 0.0) is -0.0 as in torch
        return np.where((a <= b) | np.isnan(b), a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        to_a = (a <= b) | np.isnan(b)
        gb = masked_zero(g, to_a) if ctx.needs_input_grad[1] else None  # other's first
        return (masked_zero(g, ~to_a) if ctx.needs_input_grad[0] else None), gb


@supports_out()
def fmin(input, other, *, out=None):
    check_tensor_args("fmin", input, other)
    return Fmin.apply(input, other)


# -- predicates ------------------------------------------------------------------------------------

def _predicate(np_fn, input) -> Tensor:
    return _new_tensor(np.asarray(np_fn(input._data)))


def isnan(input):
    if not isinstance(input, Tensor):
        raise argument_error(isnan, locals())
    return _predicate(np.isnan, input)


def isinf(input):
    if not isinstance(input, Tensor):
        raise argument_error(isinf, locals())
    return _predicate(np.isinf, input)


def isfinite(input):
    if not isinstance(input, Tensor):
        raise argument_error(isfinite, locals())
    return _predicate(np.isfinite, input)


@supports_out(rule="bool_out", differentiable=None)
def isposinf(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(isposinf, locals())
    return _predicate(np.isposinf, input)


@supports_out(rule="bool_out", differentiable=None)
def isneginf(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(isneginf, locals())
    return _predicate(np.isneginf, input)


# -- logical and bitwise ops -----------------------------------------------------------------------

def _logical(np_fn, input, other) -> Tensor:
    a = input._data if isinstance(input, Tensor) else input
    b = other._data if isinstance(other, Tensor) else other
    try:
        return _new_tensor(np.asarray(np_fn(a, b)))
    except ValueError:
        broadcast_shapes_or_raise(np.shape(a), np.shape(b))
        raise


@supports_out(rule="any", differentiable=None)
def logical_and(input, other, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(logical_and, locals())
    return _logical(np.logical_and, input, other)


@supports_out(rule="any", differentiable=None)
def logical_or(input, other, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(logical_or, locals())
    return _logical(np.logical_or, input, other)


@supports_out(rule="any", differentiable=None)
def logical_xor(input, other, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(logical_xor, locals())
    return _logical(np.logical_xor, input, other)


@supports_out(rule="any", differentiable=None)
def logical_not(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(logical_not, locals())
    return _new_tensor(np.logical_not(input._data))


def _bitwise(np_fn, name: str, input, other) -> Tensor:
    """``&``, ``|``, ``^`` for bool and integer tensors (torch's promotion; floats refused)."""
    a = input._data if isinstance(input, Tensor) else input
    b = other._data if isinstance(other, Tensor) else other
    if type(a) is np.ndarray and type(b) is np.ndarray and a.shape != b.shape:
        broadcast_shapes_or_raise(a.shape, b.shape)  # torch's shape check comes first
    dt = result_np_dtype(*[x for x in (a, b)])
    if dt.kind == "f":
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{scalar_type_name(dt)}'")
    return _new_tensor(np.asarray(binary_ufunc(np_fn, a, b)))


@supports_out(differentiable=False)
def bitwise_and(input, other, *, out=None):
    if not (isinstance(input, Tensor) or isinstance(other, Tensor)):
        raise argument_error(bitwise_and, locals())
    return _bitwise(np.bitwise_and, "bitwise_and", input, other)


@supports_out(differentiable=False)
def bitwise_or(input, other, *, out=None):
    if not (isinstance(input, Tensor) or isinstance(other, Tensor)):
        raise argument_error(bitwise_or, locals())
    return _bitwise(np.bitwise_or, "bitwise_or", input, other)


@supports_out(differentiable=False)
def bitwise_xor(input, other, *, out=None):
    if not (isinstance(input, Tensor) or isinstance(other, Tensor)):
        raise argument_error(bitwise_xor, locals())
    return _bitwise(np.bitwise_xor, "bitwise_xor", input, other)


@supports_out(rule="same", differentiable=False)
def bitwise_not(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(bitwise_not, locals())
    a = input._data
    if a.dtype.kind == "f":
        raise NotImplementedError(
            f"\"bitwise_not_cpu\" not implemented for '{scalar_type_name(a.dtype)}'")
    return _new_tensor(np.invert(a))


def _shift(np_fn, kernel: str, input, other) -> Tensor:
    """``<<`` and ``>>`` for integer tensors in torch's promoted dtype (bool and floats refused
    by torch's kernel). A shift by a negative count or by the dtype's width or more gives 0 for
    ``<<`` and the sign (0 or -1) for ``>>``, as torch's kernels and NumPy's define them."""
    a = input._data if isinstance(input, Tensor) else input
    b = other._data if isinstance(other, Tensor) else other
    dt = result_np_dtype(a, b)
    if dt.kind in "fb":
        raise NotImplementedError(f"\"{kernel}_cpu\" not implemented for '{scalar_type_name(dt)}'")
    return _new_tensor(np.asarray(binary_ufunc(np_fn, a, b)))


@supports_out(differentiable=False)
def bitwise_left_shift(input, other, *, out=None):
    """input * 2**other for integers, with the bits shifted out of the dtype's width lost."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise argument_error(bitwise_left_shift, locals())
    return _shift(np.left_shift, "lshift", input, other)


@supports_out(differentiable=False)
def bitwise_right_shift(input, other, *, out=None):
    """input // 2**other for integers (an arithmetic shift: the sign is kept)."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise argument_error(bitwise_right_shift, locals())
    return _shift(np.right_shift, "rshift", input, other)



# -- heaviside -------------------------------------------------------------------------------------

class Heaviside(ArrayFunction):
    """out = 0 where a < 0 (or NaN), values where a == 0, 1 where a > 0. torch gives it no
    derivative: the output is recorded, and backward raises torch's error."""

    _backward_name = "torch::autograd::NotImplemented"
    _aten = "heaviside"

    @staticmethod
    def forward(ctx, a, values):
        broadcast_shapes_or_raise(np.shape(a), np.shape(values))
        return np.where(a == 0, values, (a > 0).astype(a.dtype))

    @classmethod
    def backward(cls, ctx, g):
        raise RuntimeError(f"derivative for aten::{cls._aten} is not implemented")


class HeavisideInPlace(Heaviside):
    """``x.heaviside_(v)``: torch's error names the in-place op."""

    _aten = "heaviside_"


def _heaviside_out(out, input, values):
    if isinstance(out, Tensor) and isinstance(input, Tensor) \
            and out._data.dtype != input._data.dtype:
        raise RuntimeError(_HEAVISIDE_DTYPES)
    return with_out(out, "heaviside", heaviside, input, values, rule="exact",
                    differentiable=False)


_HEAVISIDE_DTYPES = "heaviside is not yet implemented for tensors with different dtypes."


@supports_out(handler=_heaviside_out)
def heaviside(input, values, *, out=None):
    """The Heaviside step function of ``input``, taking ``values`` where ``input`` is 0. Both
    must have one dtype (torch promotes nothing here)."""
    _check_heaviside(input, values)
    return Heaviside.apply(input, values)


def _check_heaviside(input, values) -> None:
    for pos, name, x in ((1, "input", input), (2, "values", values)):
        if not isinstance(x, Tensor):
            raise TypeError(f"heaviside(): argument '{name}' (position {pos}) must be Tensor, "
                            f"not {type(x).__name__}")
    if input._data.dtype != values._data.dtype:
        raise RuntimeError(_HEAVISIDE_DTYPES)


def heaviside_inplace(input, values):
    """The op ``x.heaviside_(v)`` writes back (``inplace.apply_inplace``)."""
    _check_heaviside(input, values)
    return HeavisideInPlace.apply(input, values)
