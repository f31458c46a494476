"""Arithmetic: ``+ - * / // % **`` and their functions (``add``, ``sub``, ``mul``, ``div``,
``floor_divide``, ``remainder``, ``fmod``, ``neg``, ``pow``), the fused forms ``lerp``,
``addcmul``, ``addcdiv``, and ``diff``.

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks. Broadcasting in forward needs nothing in
backward: the engine sums each gradient back to its input's shape.
"""
from __future__ import annotations

import numpy as np

from .. import _dtype
from .._cpu_math import _fma32
from .._dtype import get_default_dtype, result_np_dtype
from .._names import c_type_name, scalar_type_name
from .._tensor import _new_tensor
from ..autograd.function import ArrayFunction
from ._arguments import argument_error, renamed
from ._util import (Tensor, as_array, as_dtype, binary_ufunc, broadcast_shapes_or_raise,
                    check_tensor_args, div_scalar, half_by_number, half_scaled, is_recorded,
                    mul_scalar, number, promote, recorded_apply, recorded_call, wrap_dim)
from .activation_backward import sub_scalar
from .conversion import to
from .joining import cat
from .out import supports_out, with_out
from .shape import narrow

__all__ = ["add", "sub", "subtract", "rsub", "mul", "multiply", "div", "divide", "true_divide",
           "floor_divide", "remainder", "fmod", "neg", "negative", "pow", "square", "lerp",
           "addcmul", "addcdiv", "diff", "float_power", "gcd", "lcm"]


# -- add, sub --------------------------------------------------------------------------------------

def _check_alpha(input, other, alpha, negated: bool = False):
    """torch's rules for ``alpha``: a NumPy scalar counts as its Python number; no float alpha
    for an integer result, no bool alpha unless the result is bool; in the result's range
    (``sub`` is ``add`` with ``-alpha``: ``negated``, the number checked)."""
    alpha = number(alpha)
    if alpha == 1 and type(alpha) is int:
        return alpha
    dt = result_np_dtype(as_array(input), as_array(other))
    kind = dt.kind
    if isinstance(alpha, bool) and kind != "b":
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if kind == "b" and isinstance(alpha, int):
        return bool(alpha)  # bool arithmetic: the result stays bool
    if isinstance(alpha, float) and kind in "iub":
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number.")
    _dtype.check_scalar_fits(-alpha if negated else alpha, dt)
    return alpha


def _with_alpha(ufunc, a, b, alpha):
    """``a ufunc alpha b`` (add or subtract) on promoted operands. A float16 result is torch's
    half(float(a) ufunc float(b) float(half(alpha))): alpha rounded to float16 (through float32),
    the product and sum in float32, one rounding; NumPy's float16 product would round first."""
    if type(a) is np.ndarray and a.dtype == np.float16 and np.result_type(a, b) == np.float16:
        alpha = np.float32(_dtype.cast_value(alpha, a.dtype))
        out = ufunc(a, np.multiply(b, alpha, dtype=np.float32), dtype=np.float32)
        return out.astype(np.float16)
    dt = np.asarray(a).dtype
    if dt.kind in "iu" and type(alpha) is int:  # in the dtype, wrapped (uint8: -255 -> 1)
        alpha = np.asarray(alpha).astype(dt)[()]
    return binary_ufunc(ufunc, a, b * alpha)


class Add(ArrayFunction):
    """out = a + alpha * b.      dL/da = g,   dL/db = alpha * g."""

    _backward_name = "AddBackward0"
    # a number operand is a tensor in torch's node (x + 1 lists (None, 0) for it)
    _listed_args = (0, 1)

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        if alpha != 1:
            ctx.alpha = alpha
            a, b = promote(a, b)
            return _with_alpha(np.add, a, b, alpha)
        return binary_ufunc(np.add, a, b)

    @staticmethod
    def backward(ctx, g):
        alpha = getattr(ctx, "alpha", 1)  # only recorded when it is not 1
        # torch's maybe_multiply(grad, alpha): at::mul(Tensor, Scalar) (MulBackward1)
        return g, (g if alpha == 1 else mul_scalar(g, alpha)), None


@supports_out()
def add(input, other, *, alpha=1, out=None):
    if alpha == 1 and type(alpha) is int:  # x + y: the fewest arguments on the hottest path
        return Add.apply(input, other)
    return Add.apply(input, other, _check_alpha(input, other, alpha))


def _is_bool(x) -> bool:
    return type(x) is bool or (type(x) is np.ndarray and x.dtype == np.bool_)


def _bool_sub_error(a, b) -> None:
    if _is_bool(a) and _is_bool(b):
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead.")
    raise RuntimeError(
        "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
        "to invert a mask, use the `~` or `logical_not()` operator instead.")


class Sub(ArrayFunction):
    """out = a - alpha * b.      dL/da = g,   dL/db = -alpha * g."""

    _backward_name = "SubBackward0"
    # a number operand is a tensor in torch's node (x - 1 lists (None, 0) for it)
    _listed_args = (0, 1)

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.alpha = alpha
        if _is_bool(a) or _is_bool(b):
            _bool_sub_error(a, b)
        if alpha != 1:
            a, b = promote(a, b)
            if np.asarray(a).dtype.kind in "iu":  # torch's a + (-alpha) b: -alpha in range
                return _with_alpha(np.add, a, b, -alpha)
            return _with_alpha(np.subtract, a, b, alpha)
        return binary_ufunc(np.subtract, a, b)

    @staticmethod
    def backward(ctx, g):
        gb = None
        if ctx.needs_input_grad[1]:
            gb = -g if ctx.alpha == 1 else mul_scalar(-g, ctx.alpha)  # maybe_multiply(-g, alpha)
        return g, gb, None


@supports_out()
def sub(input, other, *, alpha=1, out=None):
    if alpha == 1 and type(alpha) is int:
        return Sub.apply(input, other)
    a, b = as_array(input), as_array(other)
    if _is_bool(a) or _is_bool(b):  # torch names the bool operand before alpha
        _bool_sub_error(a, b)
    return Sub.apply(input, other, _check_alpha(input, other, alpha, negated=True))


subtract = sub


class Rsub(Sub):
    """out = other - alpha * input: ``Sub`` with its operands swapped. torch's node lists
    input, then other when it is a tensor (``RsubBackward0``); a number is not listed
    (``RsubBackward1``)."""

    _backward_name = "RsubBackward1"
    _listed_args = staticmethod(lambda args: (1, 0) if isinstance(args[0], Tensor) else (1,))


def rsub(input, other, *, alpha=1):
    if not isinstance(input, Tensor):
        raise argument_error(rsub, locals())
    if isinstance(other, Tensor):
        return Rsub.apply(other, input, alpha, name="RsubBackward0")
    return Rsub.apply(other, input, alpha)


# -- mul, div, floor_divide ------------------------------------------------------------------------

def _half_pair(x, number) -> bool:
    """``half_by_number`` for a backward's values, which are GraphArrays under create_graph."""
    if type(x) is np.ndarray or not is_recorded(x):
        return half_by_number(x, number)
    return x.dtype == np.float16 and (type(number) in (float, int) or (
        getattr(number, "ndim", None) == 0 and number.dtype.kind == "f"
        and (x.ndim > 0 or number.dtype == x.dtype)))


def _half_by(fn, ufunc, x, number):
    """``x (*|/) number`` (``fn`` Mul or Div, ``ufunc`` its NumPy function) in a backward, where
    ``_half_pair(x, number)``: ``half_scaled``; under create_graph the op itself, recorded (a
    GraphArray's NumPy promotion would take a 0-d float64 number to float64 and round twice)."""
    if type(x) is np.ndarray or not is_recorded(x):  # (a 0-d ufunc result is a NumPy scalar)
        return half_scaled(ufunc, x, number)
    return recorded_apply(fn, x, number)


class Mul(ArrayFunction):
    """out = a * b.      dL/da = g * b,   dL/db = g * a.

    Each operand is saved only when the other one needs a gradient (as torch does), so that an
    in-place change to an operand that backward never reads is not an error."""

    _backward_name = "MulBackward0"
    # x * 2: torch's node saves the number as a tensor (a wrapped number); its
    # Scalar overload (MulBackward1, torch's formulas' at::mul(Tensor, Scalar)) does not
    _wrapped_numbers = ("MulBackward0",)
    # a number operand is a tensor in torch's node (x * 2 lists (None, 0) for it)
    _listed_args = (0, 1)

    @staticmethod
    def forward(ctx, a, b):
        half, saved_a = False, a
        if type(a) is not np.ndarray or type(b) is not np.ndarray or a.dtype is not b.dtype:
            half = half_by_number(a, b)  # float16 by a number: float32 product (half_scaled)
            if not half:
                a, b = promote(a, b)
                if not half_by_number(b, saved_a):  # (a 0-d number first: kept for dL/db)
                    saved_a = a
        needs = ctx.needs_input_grad
        ctx.save_for_backward(saved_a if needs[1] else None, b if needs[0] else None)
        if half:
            return half_scaled(np.multiply, a, b)
        return binary_ufunc(np.multiply, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        ga = gb = None
        # other's first, as torch's generated MulBackward0 (its formulas in the order of the
        # arguments' names): under create_graph, the order its nodes are numbered and run in
        if ctx.needs_input_grad[1]:
            gb = _half_by(Mul, np.multiply, g, a) if _half_pair(g, a) else g * a
        if ctx.needs_input_grad[0]:
            # a number operand: torch's grad * other is at::mul(Tensor, Scalar) in the Scalar
            # overload (MulBackward1, float16 too), a product with the wrapped number in x * 2's
            if type(b) is not np.ndarray and not ctx._numbers_are_tensors:
                ga = mul_scalar(g, b)
            elif _half_pair(g, b):
                ga = _half_by(Mul, np.multiply, g, b)
            else:
                ga = g * b
        return ga, gb


@supports_out()
def mul(input, other, *, out=None):
    return Mul.apply(input, other)


multiply = mul


def _integer_division_checks(kernel: str, a, b) -> None:
    """torch refuses bool operands and raises for an integer division by zero (NumPy would
    warn and return 0)."""
    dt = result_np_dtype(a, b)
    if dt == np.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    if dt.kind in "iu":
        if type(b) is int:
            b = _dtype.cast_value(b, dt)  # the number as the kernel reads it: its low bits
        if np.any(np.asarray(b) == 0):
            raise RuntimeError("ZeroDivisionError")


def _trunc_int_div(a, b):
    q = np.floor_divide(a, b)
    fix = (np.remainder(a, b) != 0) & ((a < 0) != (np.asarray(b) < 0))
    return q + fix.astype(q.dtype)


def _true_division_operands(a, b):
    """True division's integer and bool arrays in the default float dtype before anything is
    promoted, when no operand is floating, so that a Python int beside them is read as a
    float, as torch reads it: int8 t / 200 is t / 200.0 (not t / -56, 200's low bits), and
    t / 2**63 is t / 9.2e18. Checked first: the int's range (OverflowError) and torch's type
    promotion (a bool tensor and 2**63 are refused; the operator 2**63 / t is not division but
    t's reciprocal times the number, ``Tensor.__rtruediv__``)."""
    if not any(type(x) is np.ndarray and x.dtype.kind in "biu" for x in (a, b)) or any(
            type(x) is float or (type(x) is np.ndarray and x.dtype.kind not in "biu")
            for x in (a, b)):
        return a, b
    for x in (a, b):
        _dtype.check_int_scalar(x)
    result_np_dtype(a, b)
    default = get_default_dtype().np
    return tuple(x.astype(default) if type(x) is np.ndarray else x for x in (a, b))


class Div(ArrayFunction):
    """out = a / b (true division; integers give the default float dtype).
    dL/da = g / b,   dL/db = -g * (a / b) / b   (torch's order: no b^2 to overflow or
    underflow, so x / x has gradient 0 at the smallest and largest floats)."""

    _backward_name = "DivBackward0"
    # x / 2: torch's node saves the number as a tensor (a wrapped number); its
    # Scalar overload (DivBackward1, torch's formulas' at::div(Tensor, Scalar)) does not
    _wrapped_numbers = ("DivBackward0",)
    # a number operand is a tensor in torch's node (x / 2 lists (None, 0) for it)
    _listed_args = (0, 1)

    @staticmethod
    def forward(ctx, a, b, rounding_mode=None):
        ctx.rounding_mode = rounding_mode
        if rounding_mode is None and half_by_number(a, b):  # float32 quotient (half_scaled)
            ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
            return half_scaled(np.true_divide, a, b)
        if rounding_mode is None:
            a, b = _true_division_operands(a, b)
        a, b = promote(a, b)
        if rounding_mode is None:
            if np.result_type(a, b).kind != "f":
                a = np.asarray(a).astype(get_default_dtype().np)
            # dL/da reads b only; dL/db reads both
            ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
            return binary_ufunc(np.true_divide, a, b)
        if rounding_mode not in ("trunc", "floor"):
            raise RuntimeError(
                "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                f"'{rounding_mode}'")
        _integer_division_checks(f"div_{rounding_mode}_cpu", a, b)
        # torch's node saves both operands though its gradient is 0 (freed with the graph)
        ctx.save_for_backward(a, b)
        if rounding_mode == "floor":
            return binary_ufunc(np.floor_divide, a, b)
        if result_np_dtype(a, b).kind == "f":
            return np.trunc(binary_ufunc(np.true_divide, a, b))
        return _trunc_int_div(np.asarray(a), b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        if ctx.rounding_mode is not None:  # piecewise constant: zero gradient, as in torch
            return np.zeros_like(g), np.zeros_like(g), None
        ga = gb = None
        if _half_pair(g, b):  # float16 by a number: each quotient as the forward's
            if ctx.needs_input_grad[0]:   # (the Scalar overload: DivBackward1 recorded)
                ga = div_scalar(g, b) if type(b) is not np.ndarray \
                    and not ctx._numbers_are_tensors else _half_by(Div, np.true_divide, g, b)
            if ctx.needs_input_grad[1]:
                gb = -g * _half_by(Div, np.true_divide, _half_by(Div, np.true_divide, a, b), b)
            return ga, gb, None
        # other's first, as torch's DivBackward0 (see Mul.backward)
        gb = -g * ((a / b) / b) if ctx.needs_input_grad[1] else None
        if ctx.needs_input_grad[0]:  # a number: as Mul's (DivBackward1's grad / Scalar)
            ga = g / b if type(b) is np.ndarray or ctx._numbers_are_tensors \
                else div_scalar(g, b)
        return ga, gb, None


@supports_out()
def div(input, other, *, rounding_mode=None, out=None):
    if rounding_mode is None:
        return Div.apply(input, other)
    return Div.apply(input, other, rounding_mode, name="DivBackward2")


divide = div


@supports_out("div")
def true_divide(dividend, divisor, *, out=None):
    return Div.apply(dividend, divisor)


class _NotDifferentiable(ArrayFunction):
    """Ops torch gives no derivative: the output is recorded (requires_grad, as in torch), and
    backward raises torch's error instead of inventing a gradient."""

    _backward_name = "torch::autograd::NotImplemented"
    _aten = ""

    @classmethod
    def backward(cls, ctx, g):
        raise RuntimeError(f"derivative for aten::{cls._aten} is not implemented")


class FloorDivide(_NotDifferentiable):
    """out = floor(a / b) (``//``). No derivative in torch (``div(rounding_mode='floor')`` has
    the zero one)."""

    _backward_name = "torch::autograd::NotImplemented"
    _aten = "floor_divide"

    @staticmethod
    def forward(ctx, a, b):
        return Div.forward(ctx, a, b, "floor")


@supports_out(differentiable=False)
def floor_divide(input, other, *, out=None):
    return FloorDivide.apply(input, other)


class FloorDivideInPlace(FloorDivide):
    """``x.floor_divide_(y)`` and ``x //= y``: torch's error names the in-place op."""

    _aten = "floor_divide_"


def floor_divide_inplace(input, other):
    """The op ``x.floor_divide_(y)`` writes back (``inplace.apply_inplace``)."""
    return FloorDivideInPlace.apply(input, other)


# -- remainder, fmod -------------------------------------------------------------------------------

class Remainder(ArrayFunction):
    """out = a - b * floor(a / b)   (Python's %, the sign of b).
    dL/da = g,   dL/db = -g * floor(a / b), floor(a / b) as ``a // b`` computes it (from
    fmod, as torch: NaN for an infinite a, -1 for 1 // -inf)."""

    _backward_name = "RemainderBackward0"

    @staticmethod
    def forward(ctx, a, b):
        _integer_division_checks("remainder_cpu", a, b)
        a, b = promote(a, b)
        if ctx.needs_input_grad[1]:  # only dL/db reads them (torch saves them only then)
            ctx.save_for_backward(a, b)
        return binary_ufunc(np.remainder, a, b)

    @staticmethod
    def backward(ctx, g):
        gb = None
        if ctx.needs_input_grad[1]:
            a, b = ctx.saved_tensors
            gb = -g * np.floor_divide(a, b)
        return g, gb


class RemainderScalarBase(_NotDifferentiable):
    """out = number % tensor. No derivative in torch."""

    _backward_name = "torch::autograd::NotImplemented"
    _aten = "remainder"

    @staticmethod
    def forward(ctx, a, b):
        return Remainder.forward(ctx, a, b)


@supports_out()
def remainder(input, other, *, out=None):
    if not isinstance(input, Tensor):
        if not isinstance(other, Tensor):
            raise argument_error(remainder, locals())
        return RemainderScalarBase.apply(input, other)
    if isinstance(other, Tensor):
        return Remainder.apply(input, other, name="RemainderBackward1")
    return Remainder.apply(input, other)


class Fmod(ArrayFunction):
    """out = a - b * trunc(a / b)   (C's fmod, the sign of a).
    dL/da = g,   dL/db = -g * trunc(a / b)."""

    _backward_name = "FmodBackward0"

    @staticmethod
    def forward(ctx, a, b):
        _integer_division_checks("fmod_cpu", a, b)
        a, b = promote(a, b)
        if ctx.needs_input_grad[1]:  # only dL/db reads them (torch saves them only then)
            ctx.save_for_backward(a, b)
        return binary_ufunc(np.fmod, a, b)

    @staticmethod
    def backward(ctx, g):
        gb = None
        if ctx.needs_input_grad[1]:
            a, b = ctx.saved_tensors  # (recorded: torch's self.div(other, "trunc"))
            gb = -g * (recorded_call("div", a, b, rounding_mode="trunc")
                       if is_recorded(a) or is_recorded(b) else np.trunc(a / b))
        return g, gb


@supports_out()
def fmod(input, other, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(fmod, locals())
    if isinstance(other, Tensor):
        return Fmod.apply(input, other, name="FmodBackward1")
    return Fmod.apply(input, other)


# -- neg, pow --------------------------------------------------------------------------------------

class Neg(ArrayFunction):
    """out = -a.      dL/da = -g."""

    _backward_name = "NegBackward0"

    @staticmethod
    def forward(ctx, a):
        if a.dtype == np.bool_:
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are "
                "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        return np.negative(a)

    @staticmethod
    def backward(ctx, g):
        return -g


@supports_out(rule="same")
def neg(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(neg, locals())
    if not isinstance(input, Tensor):
        raise argument_error(neg, locals())
    return Neg.apply(input)


negative = renamed(neg, "negative")


def _number_pow(a, e):
    """``a ** e`` for a number ``e``, as torch's kernel computes it: ``e = 0.5`` and ``-0.5`` as
    ``sqrt(a)`` and ``1 / sqrt(a)`` (so (-inf) ** 0.5 is NaN and (-0.) ** -0.5 is -inf, where
    C's pow gives inf for both)."""
    if e == 0.5:
        return np.sqrt(a)
    if e == -0.5:
        return 1 / np.sqrt(a)
    return np.power(a, e)


def _array(x):
    """``np.asarray(x)``, a GraphArray as it is (a forward replayed under create_graph)."""
    return x if is_recorded(x) else np.asarray(x)


def _integer_pow(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a ** b for integers with negative exponents in a tensor, as torch computes them: 1 ** b
    is 1, (-1) ** b is +-1 by b's parity, any other base (0 too) gives 0."""
    negative = b < 0
    out = np.power(a, np.where(negative, 0, b))
    small = np.where(a == 1, 1, np.where(a == -1, np.where(b % 2 == 0, 1, -1), 0))
    return np.where(negative, small, out).astype(out.dtype)


class Pow(ArrayFunction):
    """out = a ** b.
    dL/da = g * b * a^(b-1)   (torch: 0 where b == 0, so 0**0 has gradient 0)
    dL/db = g * out * log(a)  (torch: 0 where a == 0 and b >= 0)."""

    _backward_name = "PowBackward0"

    @staticmethod
    def forward(ctx, a, b):
        if result_np_dtype(a, b) == np.bool_:
            if type(b) is bool:  # torch: x ** True is x, x ** False is all True
                return a.copy() if b else np.ones_like(a)
            raise NotImplementedError("\"pow\" not implemented for 'Bool'")
        exponent = b  # (promote gives an integer dtype a number's low bits: -1 -> 255 for uint8)
        a, b = promote(a, b)
        if _array(a).dtype.kind in "iu" and np.any(np.asarray(exponent) < 0):
            if type(exponent) is int:  # torch refuses a negative number exponent
                raise RuntimeError("Integers to negative integer powers are not allowed.")
            out = _integer_pow(np.asarray(a), np.asarray(b))
            ctx.save_for_backward(a, b, out)
            return out
        if isinstance(b, (int, float)) and not isinstance(b, bool):
            out = _array(_number_pow(a, b))
        else:
            out = binary_ufunc(np.power, a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        ga = gb = None
        if ctx.needs_input_grad[1]:  # exponent's first, as torch (by argument name)
            gb = g * np.where((a == 0) & (b >= 0), 0.0, out * np.log(a))
        if ctx.needs_input_grad[0]:
            if isinstance(b, (int, float)):  # a number exponent: torch's formula, no select
                if b == 0:
                    ga = np.zeros_like(g)
                else:   # (recorded: exponent * self.pow(exponent - 1) is a Scalar product)
                    p = _number_pow(a, b - 1)
                    ga = g * (p.mul_scalar(b) if is_recorded(p) else b * p)
            else:  # (exponent - 1: a Scalar difference, SubBackward1 when recorded)
                ga = np.where(b == 0, 0.0, g * (b * np.power(a, sub_scalar(b, 1))))
        return ga, gb


@supports_out()
def pow(input, exponent, *, out=None):  # noqa: A001 - torch's name
    if isinstance(exponent, Tensor):
        if isinstance(input, Tensor):
            return Pow.apply(input, exponent, name="PowBackward1")
        return Pow.apply(input, exponent, name="PowBackward2")
    if not isinstance(input, Tensor):
        raise argument_error(pow, locals())
    # in range of a float16 or integer result (float32 and float64 kernels read a double); an
    # integer tensor's float exponent gives a float result, a negative one is refused in Pow
    dt = input._data.dtype
    if dt == np.float16 or (dt.kind in "iu" and isinstance(exponent, (int, np.integer))
                            and exponent >= 0):
        _dtype.check_scalar_fits(exponent, dt)
    return Pow.apply(input, exponent)


@supports_out("pow")
def square(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(square, locals())
    return Pow.apply(input, 2)


def _float_power_out(out, input, exponent):
    """float_power's ``out=``: torch names a non-float64 ``out`` first, then runs ``pow``'s
    ``out=`` (whose messages name ``pow``)."""
    if isinstance(out, Tensor) and out._data.dtype != np.float64:
        raise RuntimeError(
            f"the output given to float_power has dtype {scalar_type_name(out._data.dtype)} but "
            "the operation's result requires dtype Double")
    return with_out(out, "pow", float_power.without_out, input, exponent, rule="exact")


@supports_out(handler=_float_power_out)
def float_power(input, exponent, *, out=None):
    """``pow`` in float64: both operands converted first (torch's composite: the inputs'
    gradients pass through the conversion, ToCopyBackward0)."""
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        raise argument_error(float_power, locals())
    f64 = _dtype.float64
    base = to(input, f64) if isinstance(input, Tensor) else float(input)
    exp = to(exponent, f64) if isinstance(exponent, Tensor) else float(exponent)
    return pow(base, exp)


def float_power_inplace(input, exponent):
    """The op ``x.float_power_(y)`` writes back: x must be float64 already."""
    if input._data.dtype != np.float64:
        raise RuntimeError(
            f"the base given to float_power_ has dtype {scalar_type_name(input._data.dtype)} but "
            "the operation's result requires dtype Double")
    return float_power(input, exponent)


def _integer_kernel(kernel: str, input, other) -> np.dtype:
    """gcd and lcm: tensors only, integer dtypes only (torch's kernels refuse bool and floats)."""
    check_tensor_args(kernel[:-4], input, other)
    dt = result_np_dtype(input._data, other._data)
    if dt.kind not in "iu":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(dt)}'")
    return dt


@supports_out(differentiable=False)
def gcd(input, other, *, out=None):
    """The greatest common divisor of |a| and |b| elementwise (gcd(0, 0) = 0)."""
    _integer_kernel("gcd_cpu", input, other)
    return _new_tensor(np.asarray(binary_ufunc(np.gcd, input._data, other._data)))


@supports_out(differentiable=False)
def lcm(input, other, *, out=None):
    """The least common multiple of |a| and |b| elementwise (0 where either is 0)."""
    _integer_kernel("lcm_cpu", input, other)
    return _new_tensor(np.asarray(binary_ufunc(np.lcm, input._data, other._data)))


# -- blends and fused forms: lerp, addcmul, addcdiv ------------------------------------------------

def _half_lerp(a: np.ndarray, b: np.ndarray, w) -> np.ndarray:
    """torch's float16 lerp: in float32 (its opmath type), with a fused multiply-add, one
    rounding to float32, then to float16: ``fma(w, b - a, a)`` where ``|w| < 0.5``, else
    ``fma(w - 1, b - a, b)``. (torch fuses float32 and float64 too; NumPy's FMA emulation
    would make those 5-20x slower, and their last bit is within the parity tolerance.)"""
    a32, b32, w = (np.asarray(x, np.float32) for x in (a, b, w))
    d = b32 - a32
    small = np.abs(w) < 0.5
    if w.ndim == 0:
        out = _fma32(w, d, a32) if small else _fma32(w - np.float32(1), d, b32)
    else:
        out = np.where(small, _fma32(w, d, a32), _fma32(w - np.float32(1), d, b32))
    return out.astype(np.float16)


def _is_half(a) -> bool:
    return type(a) is np.ndarray and a.dtype == np.float16


class Lerp(ArrayFunction):
    """out = a + w (b - a) for |w| < 0.5, else b - (b - a)(1 - w) (torch's two forms; the
    second rounds better near w = 1); float16 as torch's fused kernel (``_half_lerp``).
    dL/da = g (1 - w),   dL/db = g w."""

    _backward_name = "LerpBackward0"

    @staticmethod
    def forward(ctx, a, b, w):
        a, b = promote(a, b)
        ctx.w = w
        if _is_half(a):
            return _half_lerp(a, b, w)
        diff = binary_ufunc(np.subtract, b, a)
        if abs(w) < 0.5:
            return binary_ufunc(np.add, a, w * diff)
        return binary_ufunc(np.subtract, b, diff * (1 - w))

    @staticmethod
    def backward(ctx, g):  # times a Scalar; end's first, as torch (by argument name)
        gb = mul_scalar(g, ctx.w)
        return mul_scalar(g, 1 - ctx.w), gb, None


class LerpTensor(ArrayFunction):
    """out = a + w (b - a)   (w a tensor).
    dL/da = g (1 - w),   dL/db = g w,   dL/dw = g (b - a).
    float16 as torch's fused kernel (``_half_lerp``)."""

    _backward_name = "LerpBackward1"

    @staticmethod
    def forward(ctx, a, b, w):
        dt = result_np_dtype(a, b, w)
        a, b, w = (as_dtype(v, dt) for v in (a, b, w))
        broadcast_shapes_or_raise(a.shape, b.shape, w.shape)
        diff = b - a
        ctx.save_for_backward(diff, w)
        if _is_half(a) and type(b) is np.ndarray and type(w) is np.ndarray:
            return _half_lerp(*np.broadcast_arrays(a, b, w))
        return a + w * diff

    @staticmethod
    def backward(ctx, g):
        diff, w = ctx.saved_tensors  # end's, self's, weight's: torch's order (by name)
        gb = g * w
        # torch's 1 - weight: a tensor filled with 1, minus weight (SubBackward0 when recorded)
        one_minus_w = np.ones(w.shape, w.dtype) - w if is_recorded(w) else 1 - w
        return g * one_minus_w, gb, g * diff


@supports_out()
def lerp(input, end, weight, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(end, Tensor)):
        raise argument_error(lerp, locals())
    a, b = as_array(input), as_array(end)
    if isinstance(b, np.ndarray) and b.dtype != a.dtype:  # no promotion between the two ends
        raise RuntimeError(f"expected dtype {c_type_name(a.dtype)} for `end` but got dtype "
                           f"{c_type_name(b.dtype)}")
    if a.shape != b.shape:  # (named input first, as torch's)
        broadcast_shapes_or_raise(a.shape, b.shape)
    if isinstance(weight, Tensor):
        return LerpTensor.apply(input, end, weight)
    if a.dtype.kind != "f":
        raise NotImplementedError(
            f"\"lerp_kernel_scalar\" not implemented for '{scalar_type_name(a.dtype)}'")
    weight = number(weight)
    _dtype.check_scalar_fits(weight, a.dtype, opmath=True)
    return Lerp.apply(input, end, weight)


def _value_in(dt: np.dtype, value, kernel: str):
    """``value`` as the result dtype reads it (torch casts it: 2.5 scales an integer product
    by 2)."""
    if dt == np.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    value = number(value)
    _dtype.check_scalar_fits(value, dt, opmath=True)
    return int(value) if dt.kind in "iu" else value


class Addcmul(ArrayFunction):
    """out = a + (value * t1) * t2 (torch's grouping); float16 as torch's kernel computes it:
    in float32 (its opmath type), ``value`` read in float32, the last product and the sum
    fused (one rounding), then to float16. (torch fuses float32 and float64 too; see
    ``_half_lerp``.)
    dL/da = g,   dL/dt1 = g value t2,   dL/dt2 = g value t1."""

    _backward_name = "AddcmulBackward0"

    @staticmethod
    def forward(ctx, a, t1, t2, value):
        dt = result_np_dtype(a, t1, t2)
        a, t1, t2 = (np.asarray(v).astype(dt, copy=False) for v in (a, t1, t2))
        broadcast_shapes_or_raise(a.shape, t1.shape, t2.shape)
        ctx.save_for_backward(t1, t2)
        ctx.value = value
        if dt.kind in "iu":  # an int value beyond the dtype: its low bits, as torch
            value = _dtype.cast_value(value, dt)
        if _is_half(a):  # in float32 (its opmath), value read in float32, fused
            v = np.multiply(t1, np.float32(value), dtype=np.float32)
            return _fma32(v, t2, a).astype(np.float16)
        return a + (value * t1) * t2

    @staticmethod
    def backward(ctx, g):
        t1, t2 = ctx.saved_tensors
        value = ctx.value  # torch's grad * (t2 * value): the Scalar product first (MulBackward1)
        return g, g * mul_scalar(t2, value), g * mul_scalar(t1, value), None


@supports_out()
def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    if not (isinstance(input, Tensor) and isinstance(tensor1, Tensor)
            and isinstance(tensor2, Tensor)):
        raise argument_error(addcmul, locals(), tensors=("input", "tensor1", "tensor2"))
    dt = result_np_dtype(*(as_array(t) for t in (input, tensor1, tensor2)))
    return Addcmul.apply(input, tensor1, tensor2, _value_in(dt, value, "addcmul_cpu_out"))


class Addcdiv(ArrayFunction):
    """out = a + (value * t1) / t2 (torch's grouping; float16 in float32, one rounding).
    dL/da = g,   dL/dt1 = g (value / t2),   dL/dt2 = -g (value t1) / (t2 t2)."""

    _backward_name = "AddcdivBackward0"

    @staticmethod
    def forward(ctx, a, t1, t2, value):
        dt = result_np_dtype(a, t1, t2)
        if dt.kind != "f":
            raise RuntimeError(
                "Integer division with addcdiv is no longer supported, and in a future  release "
                "addcdiv will perform a true division of tensor1 and tensor2. The historic "
                "addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / "
                "tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / "
                "tensor2) for float inputs. The future addcdiv behavior is just the latter "
                "implementation: (input + value * tensor1 / tensor2), for all dtypes.")
        a, t1, t2 = (np.asarray(v).astype(dt, copy=False) for v in (a, t1, t2))
        broadcast_shapes_or_raise(a.shape, t1.shape, t2.shape)
        ctx.save_for_backward(t1, t2)
        ctx.value = value
        if a.dtype == np.float16:  # in float32 (its opmath), value read in float32
            q = np.multiply(t1, np.float32(value), dtype=np.float32)
            return np.add(np.divide(q, t2, dtype=np.float32), a, dtype=np.float32).astype(
                np.float16)
        return a + (value * t1) / t2

    @staticmethod
    def backward(ctx, g):
        t1, t2 = ctx.saved_tensors
        v = ctx.value
        # torch's formulas: grad * (value / t2) (value / t2 fills a tensor like t2 with
        # value, then divides) and -grad * ((value * t1) / (t2 * t2))
        filled = v
        if type(t2) is np.ndarray:
            _dtype.check_scalar_fits(v, t2.dtype)
            filled = _dtype.cast_value(v, t2.dtype)
        elif is_recorded(t2):  # the filled tensor itself (DivBackward0 with a None edge)
            filled = np.full(t2.shape, v, dtype=t2.dtype)
        return g, g * (filled / t2), -g * (mul_scalar(t1, v) / (t2 * t2)), None


@supports_out()
def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    if not (isinstance(input, Tensor) and isinstance(tensor1, Tensor)
            and isinstance(tensor2, Tensor)):
        raise argument_error(addcdiv, locals(), tensors=("input", "tensor1", "tensor2"))
    value = number(value)
    dt = result_np_dtype(*(as_array(t) for t in (input, tensor1, tensor2)))
    if dt.kind == "f":
        _dtype.check_scalar_fits(value, dt, opmath=True)
    return Addcdiv.apply(input, tensor1, tensor2, value)


# -- diff ------------------------------------------------------------------------------------------

# out=: the last step is a subtraction into out, with sub's rules and name
@supports_out("sub", overlap=None)
def diff(input, n: int = 1, dim: int = -1, prepend=None, append=None, *, out=None):
    """The n-th forward difference along ``dim`` (``prepend``/``append`` joined first); for bool
    tensors the difference is xor, as torch's. Past the dim's size the result is empty."""
    if not isinstance(input, Tensor):
        raise argument_error(diff, locals())
    if input.dim() == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    for name, extra in (("prepend", prepend), ("append", append)):
        if extra is not None and not isinstance(extra, Tensor):  # (torch's parser; by keyword)
            raise TypeError(f"diff(): argument '{name}' must be Tensor, not "
                            f"{type(extra).__name__}")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = wrap_dim(dim, input.dim())
    for extra in (prepend, append):  # the same shape as input's but along dim
        if extra is None:
            continue
        if extra.dim() != input.dim():
            raise RuntimeError(
                "diff expects prepend or append to be the same dimension as input")
        for i, (want, got) in enumerate(zip(input.shape, extra.shape)):
            if i != d and want != got:
                raise RuntimeError(
                    "diff expects the shape of tensor to prepend or append to match that of "
                    f"input except along the differencing dimension; input.size({i}) = {want}, "
                    f"but got tensor.size({i}) = {got}")
    if prepend is not None or append is not None:
        parts = [p for p in (prepend, input, append) if p is not None]
        input = cat(parts, d)
    # n beyond the size along dim stops at no elements (an empty dim: the input as it is)
    for _ in range(min(n, input.shape[d] if input.dim() else n)):
        size = input.shape[d]
        if size == 0:  # (n > size: empty from here on)
            break
        later, earlier = narrow(input, d, 1, size - 1), narrow(input, d, 0, size - 1)
        input = later ^ earlier if input.dtype == _dtype.bool else later - earlier
    return input
