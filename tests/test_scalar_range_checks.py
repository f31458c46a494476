"""A Python number out of a tensor's range, against torch: the same error, or the same result.

torch converts a number to the element type with a range check where it becomes an element or a
kernel's constant (``full``, ``fill_``, ``masked_fill``, ``index_fill``, ``scatter``'s value,
``clamp``'s bounds, ``alpha``, a float16 or integer ``pow``'s exponent): ``RuntimeError: value
cannot be converted to type c10::Half without overflow`` for |v| > 65504 into float16 (an
infinity or NaN passes), and the same with ``float``, ``int8_t``, ``uint8_t``, ``int16_t``,
``int`` for the other types; ``fill_`` of a single float16 element (``full``, ``full_like`` and
``new_full`` fill) skips the check and gives inf. ``addcmul``/``addcdiv``'s ``value`` and ``lerp``'s ``weight`` are
read in the opmath type, float32 for float16: only beyond float32's range do they fail (naming
``float``), as are ``addmm``/``baddbmm``'s ``alpha`` and ``beta``. Where torch does not check (``t + v``, ``torch.tensor``, one-step ``linspace``),
float16 silently gives inf, as before."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt


def _t(T, dtype):
    return T.zeros(4, dtype=getattr(T, dtype))


def _mask(T):
    return T.tensor([True, False, True, False])


CHECKED = {
    "full": lambda T, d, v: T.full((2,), v, dtype=getattr(T, d)),
    "full_like": lambda T, d, v: T.full_like(_t(T, d), v),
    "new_full": lambda T, d, v: _t(T, d).new_full((2,), v),
    "fill_": lambda T, d, v: _t(T, d).fill_(v),
    "full_1": lambda T, d, v: T.full((1, 1), v, dtype=getattr(T, d)),
    "full_0": lambda T, d, v: T.full((0,), v, dtype=getattr(T, d)),
    "full_like_1": lambda T, d, v: T.full_like(_t(T, d)[:1], v),
    "new_full_1": lambda T, d, v: _t(T, d).new_full((1,), v),
    "fill_1": lambda T, d, v: _t(T, d)[1:2].fill_(v),
    "fill_0d": lambda T, d, v: T.zeros((), dtype=getattr(T, d)).fill_(v),
    "masked_fill": lambda T, d, v: _t(T, d).masked_fill(_mask(T), v),
    "masked_fill_1": lambda T, d, v: _t(T, d)[:1].masked_fill(_mask(T)[:1], v),
    "masked_fill_": lambda T, d, v: _t(T, d).masked_fill_(_mask(T), v),
    "masked_fill_0d": lambda T, d, v: _t(T, d).masked_fill(_mask(T), T.tensor(v)),
    "index_fill": lambda T, d, v: _t(T, d).index_fill(0, T.tensor([1]), v),
    "index_fill_": lambda T, d, v: _t(T, d).index_fill_(0, T.tensor([1]), v),
    "scatter": lambda T, d, v: _t(T, d).scatter(0, T.tensor([0]), v),
    "scatter_": lambda T, d, v: _t(T, d).scatter_(0, T.tensor([0]), v),
    "clamp_min": lambda T, d, v: _t(T, d).clamp(min=v),
    "clamp_max": lambda T, d, v: _t(T, d).clamp(max=v),
    "clamp_": lambda T, d, v: _t(T, d).clamp_(-abs(v), abs(v)),
    "clip": lambda T, d, v: T.clip(_t(T, d), max=v),
    "clamp_min_fn": lambda T, d, v: T.clamp_min(_t(T, d), v),
    "add_alpha": lambda T, d, v: T.add(_t(T, d), _t(T, d), alpha=v),
    "sub_alpha": lambda T, d, v: T.sub(_t(T, d), _t(T, d), alpha=v),  # -alpha is checked
    "add_number_alpha": lambda T, d, v: T.add(_t(T, d), 1, alpha=v),
    "add_alpha_": lambda T, d, v: _t(T, d).add_(_t(T, d), alpha=v),
    "pow": lambda T, d, v: T.pow(_t(T, d), v),
    "pow_op": lambda T, d, v: _t(T, d) ** v,
    "pow_": lambda T, d, v: _t(T, d).pow_(v),
    "addcmul": lambda T, d, v: T.addcmul(_t(T, d), _t(T, d), _t(T, d), value=v),
    "addcmul_": lambda T, d, v: _t(T, d).addcmul_(_t(T, d), _t(T, d), value=v),
    "addcdiv": lambda T, d, v: T.addcdiv(_t(T, d), _t(T, d), _t(T, d) + 1, value=v),
    "lerp": lambda T, d, v: T.lerp(_t(T, d), _t(T, d), v),
    "lerp_": lambda T, d, v: _t(T, d).lerp_(_t(T, d), v),
    "threshold": lambda T, d, v: T.nn.functional.threshold(_t(T, d), v, 0),  # opmath
    "threshold_value": lambda T, d, v: T.nn.functional.threshold(_t(T, d), 0, v),
    "addmm_alpha": lambda T, d, v: T.addmm(_t(T, d).reshape(2, 2), _t(T, d).reshape(2, 2),
                                           _t(T, d).reshape(2, 2), alpha=v),
    "baddbmm_beta": lambda T, d, v: T.baddbmm(*(_t(T, d).reshape(1, 2, 2),) * 3, beta=v),
    # not checked by torch: inf (or a wrapped value), silently
    "t+v": lambda T, d, v: _t(T, d) + v,
    "tensor": lambda T, d, v: T.tensor([v], dtype=getattr(T, d)),
    "linspace_1": lambda T, d, v: T.linspace(v, v, 1, dtype=getattr(T, d)),
}

CASES = [("float16", v) for v in (1e5, -1e5, 65504.001, 65519.99, 65520.0, 70000, 1e39,
                                  65504.0, -65504, float("inf"), float("nan"))]
CASES += [("float32", v) for v in (1e39, -3.5e38, 3.4e38)]
CASES += [("int8", v) for v in (200, 128, 127, 127.9, -128)]
CASES += [("uint8", v) for v in (256, 255, -256)]
CASES += [("int16", v) for v in (40000, 32767)]
CASES += [("int32", v) for v in (2**31, 2**31 - 1, 1e10)]



def _outcome(f):
    try:
        with np.errstate(all="ignore"):
            r = f()
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return type(e), str(e)
    return r.numpy()


def _assert_same_outcome(ours, theirs):
    if isinstance(theirs, tuple):
        assert ours == theirs
    else:
        assert not isinstance(ours, tuple), ours
        assert ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)



def _run(T, form, dtype, v):
    return _outcome(lambda: CHECKED[form](T, dtype, v))

@pytest.mark.parametrize("dtype,v", CASES, ids=[f"{d}-{v!r}" for d, v in CASES])
@pytest.mark.parametrize("form", list(CHECKED))
def test_number_out_of_range(form, dtype, v):
    if form in ("addcdiv", "lerp", "lerp_") and not dtype.startswith("float"):
        pytest.skip("integer addcdiv and lerp are refused for their dtype")
    if form in ("linspace_1", "clamp_") and dtype.startswith("int") and isinstance(v, float):
        pytest.skip("a float endpoint for an integer linspace, a float result for clamp_")
    _assert_same_outcome(_run(mt, form, dtype, v), _run(torch, form, dtype, v))


@pytest.mark.parametrize("v", [1e5, 0.1], ids=repr)
def test_addcdiv_backward_fills_value(v):
    """addcdiv's gradient of tensor1 is grad * (value / tensor2), where ``value / tensor2``
    fills a float16 tensor with value first: torch's backward raises the range error even
    though the forward (float32 opmath) took the value."""
    res = {}
    for T in (torch, mt):
        a, b, c = (T.ones(4, dtype=T.float16, requires_grad=True) for _ in range(3))
        r = T.addcdiv(a, b, c, value=v)
        try:
            r.sum().backward()
            res[T] = b.grad.numpy()
        except RuntimeError as e:
            res[T] = str(e)
    if isinstance(res[torch], str):
        assert res[mt] == res[torch]
    else:
        np.testing.assert_array_equal(res[mt], res[torch])


SETITEM_VALUES = [1e300, -1e300, 1e10, 70000.0, 300, -129, -1, 2**40, float("inf"), float("nan"),
                  np.float64(1e300), np.int64(300), np.int64(-1)]
SETITEM_INDEX = {"int": lambda T: 0, "slice": lambda T: slice(0, 2),
                 "mask": lambda T: T.tensor([True, False, True]), "list": lambda T: [0, 2]}


@pytest.mark.parametrize("index", list(SETITEM_INDEX))
@pytest.mark.parametrize("v", SETITEM_VALUES, ids=repr)
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "uint8", "int32",
                                   "int64", "bool"])
def test_setitem_number_out_of_range(dtype, v, index):
    """``t[index] = number`` checks the number as ``fill_`` does, for every dtype but float16
    (written unchecked: inf) and the ones that take anything (float64, bool); a negative int
    into uint8 wraps."""
    res = []
    for T in (torch, mt):
        t = T.zeros(3, dtype=getattr(T, dtype))
        try:
            with np.errstate(all="ignore"):
                t[SETITEM_INDEX[index](T)] = v
            res.append(t.numpy())
        except Exception as e:  # noqa: BLE001 - the error is what is compared
            res.append((type(e), str(e)))
    theirs, ours = res
    if isinstance(theirs, tuple):
        assert ours == theirs
    else:
        assert not isinstance(ours, tuple), ours
        np.testing.assert_array_equal(ours, theirs)


FILLS = ["full", "full_like", "new_full", "fill_", "full_1", "fill_0d", "masked_fill",
         "masked_fill_", "index_fill"]


@pytest.mark.parametrize("v", [-1, -129, -255, np.int64(-1)], ids=repr)
@pytest.mark.parametrize("form", FILLS)
def test_negative_int_fill_wraps_into_uint8(form, v):
    """A negative int down to -255 passes uint8's check and wraps (-1 -> 255), as in torch."""
    np.testing.assert_array_equal(_run(mt, form, "uint8", v), _run(torch, form, "uint8", v))


INT_ARITHMETIC = {
    "t+v": lambda T, t, v: t + v, "t*v": lambda T, t, v: t * v, "v-t": lambda T, t, v: v - t,
    "t-v": lambda T, t, v: t - v, "fmod": lambda T, t, v: T.fmod(t, v),
    "remainder": lambda T, t, v: T.remainder(t, v), "floor_divide": lambda T, t, v: t // v,
    "bitwise_and": lambda T, t, v: t & v, "add_": lambda T, t, v: t.clone().add_(v),
    "mul_": lambda T, t, v: t.clone().mul_(v), "eq": lambda T, t, v: t == v,
    "lt": lambda T, t, v: t < v,
}


@pytest.mark.parametrize("v", [200, -300, 70000, 2**40, -1, 127], ids=repr)
@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32"])
@pytest.mark.parametrize("op", list(INT_ARITHMETIC))
def test_int_beyond_an_integer_dtype_wraps_in_arithmetic(op, dtype, v):
    """A Python int operand of an integer tensor's arithmetic is converted to the tensor's
    dtype by its low bits, as torch does (int8 t + 200 is t - 56), where NumPy raises
    OverflowError; comparisons are exact."""
    data = [1, 2, 3, 100] if dtype == "uint8" else [1, -2, 3, -100]
    res = [_outcome(lambda: INT_ARITHMETIC[op](T, T.tensor(data, dtype=getattr(T, dtype)), v))
           for T in (mt, torch)]
    _assert_same_outcome(*res)


@pytest.mark.parametrize("v", [300, -1, 1e5, 1e39, 70000.5, 2**40, float("inf"), float("nan"),
                               0.5], ids=repr)
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "uint8", "int16",
                                   "int32", "int64", "bool"])
@pytest.mark.parametrize("side", ["x,v", "v,x"])
def test_where_number_branch_range(side, dtype, v):
    """``where(cond, x, number)`` converts the number to the result dtype with torch's range
    check (float32 and the integer types; float16 unchecked: inf)."""
    def run(T):
        c, t = T.tensor([True, False, True]), T.tensor([1, 0, 1], dtype=getattr(T, dtype))
        return _outcome(lambda: T.where(c, t, v) if side == "x,v" else T.where(c, v, t))
    _assert_same_outcome(run(mt), run(torch))


@pytest.mark.parametrize("v", [-1, -129, -255], ids=repr)
@pytest.mark.parametrize("form", ["addcmul", "addcmul_", "scatter", "scatter_", "addmm_alpha",
                                  "baddbmm_beta", "add_alpha", "sub_alpha", "clamp_min"])
def test_negative_int_constant_wraps_into_uint8(form, v):
    """A kernel's int constant (addcmul's value, scatter's value, addmm's alpha and beta, ...)
    that passes uint8's check wraps (-1 -> 255), as in torch, where NumPy refuses it."""
    _assert_same_outcome(_run(mt, form, "uint8", v), _run(torch, form, "uint8", v))
