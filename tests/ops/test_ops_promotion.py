"""torch's type promotion: tensor x tensor, tensor x 0-d tensor and tensor x Python scalar, for
bool / int32 / int64 / float32 / float64 operands and every binary op family; plus unary and
reduction ops on integer and bool inputs. Where torch raises, we raise the same."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check, check_raises

DTYPES = [np.bool_, np.int32, np.int64, np.float32, np.float64]
SCALARS = [True, 3, 2.5]


def _arr(dtype, shape=(4,), seed=0):
    rng = np.random.default_rng(seed)
    if dtype == np.bool_:
        return rng.integers(0, 2, shape).astype(bool)
    if np.dtype(dtype).kind == "i":
        return rng.integers(1, 5, shape).astype(dtype)
    return rng.uniform(0.5, 3.0, shape).astype(dtype)


BINARY = {
    "add": lambda T, a, b: a + b, "radd": lambda T, a, b: b + a, "sub": lambda T, a, b: a - b,
    "mul": lambda T, a, b: a * b, "div": lambda T, a, b: a / b, "rdiv": lambda T, a, b: b / a,
    "floordiv": lambda T, a, b: a // b, "pow": lambda T, a, b: a ** b,
    "maximum": lambda T, a, b: T.maximum(a, b) if isinstance(b, T.Tensor) else a,
    "eq": lambda T, a, b: a == b, "lt": lambda T, a, b: a < b,
    "where": lambda T, a, b: T.where(T.tensor([True, False, True, False]), a, b),
    "remainder": lambda T, a, b: a % b, "clamp": lambda T, a, b: T.clamp(a, min=b),
    "mul_fn": lambda T, a, b: T.mul(a, b),
}


def _run(op, a, b):
    """check() when torch accepts the combination, check_raises() when it refuses it."""
    try:
        BINARY[op](torch, *[torch.tensor(x) if isinstance(x, np.ndarray) else x for x in (a, b)])
    except Exception:  # noqa: BLE001
        check_raises(BINARY[op], a, b)
        return
    check(BINARY[op], a, b, grad=False)


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("da,db", list(itertools.product(DTYPES, DTYPES)),
                         ids=lambda d: np.dtype(d).name)
def test_tensor_tensor(op, da, db):
    _run(op, _arr(da), _arr(db, seed=1))


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("da,db", list(itertools.product(DTYPES, DTYPES)),
                         ids=lambda d: np.dtype(d).name)
def test_tensor_zero_dim(op, da, db):
    _run(op, _arr(da), _arr(db, shape=(), seed=1))
    _run(op, _arr(da, shape=()), _arr(db, seed=1))


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("scalar", SCALARS, ids=repr)
@pytest.mark.parametrize("da", DTYPES, ids=lambda d: np.dtype(d).name)
def test_tensor_scalar(op, da, scalar):
    _run(op, _arr(da), scalar)
    _run(op, _arr(da, shape=()), scalar)


def test_promote_types_and_result_type():
    names = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32",
             "float64"]
    for a, b in itertools.product(names, names):
        assert repr(mt.promote_types(getattr(mt, a), getattr(mt, b))) == \
            repr(torch.promote_types(getattr(torch, a), getattr(torch, b)))
        assert mt.can_cast(getattr(mt, a), getattr(mt, b)) == \
            torch.can_cast(getattr(torch, a), getattr(torch, b))
    for x, y in [(np.ones(2, np.int32), 2.5), (np.ones(2, np.int64), np.float64(1.0)),
                 (np.ones(2, np.float32), np.ones((), np.float64)), (True, np.ones(2, bool))]:
        tx, ty = [torch.tensor(v) if isinstance(v, np.ndarray) else v for v in (x, y)]
        mx, my = [mt.tensor(v) if isinstance(v, np.ndarray) else v for v in (x, y)]
        assert repr(mt.result_type(mx, my)) == repr(torch.result_type(tx, ty))


UNARY_INT = {
    "abs": lambda T, x: T.abs(x), "sign": lambda T, x: x.sign(), "neg": lambda T, x: -x,
    "exp": lambda T, x: T.exp(x), "log": lambda T, x: x.log(), "sqrt": lambda T, x: x.sqrt(),
    "sigmoid": lambda T, x: T.sigmoid(x), "tanh": lambda T, x: x.tanh(),
    "sin": lambda T, x: x.sin(), "floor": lambda T, x: x.floor(), "round": lambda T, x: x.round(),
    "square": lambda T, x: x.square(), "reciprocal": lambda T, x: x.reciprocal(),
    "relu": lambda T, x: x.relu(), "sum": lambda T, x: x.sum(), "sum_dim": lambda T, x: x.sum(0),
    "prod": lambda T, x: x.prod(), "mean": lambda T, x: x.mean(),
    "mean_dtype": lambda T, x: x.mean(dtype=T.float64), "cumsum": lambda T, x: x.cumsum(0),
    "max": lambda T, x: x.max(), "max_dim": lambda T, x: x.max(0), "amin": lambda T, x: x.amin(),
    "argmax": lambda T, x: x.argmax(), "any": lambda T, x: x.any(), "all": lambda T, x: x.all(),
    "logsumexp": lambda T, x: x.logsumexp(0), "clamp": lambda T, x: x.clamp(2, 3),
    "clamp_float": lambda T, x: x.clamp(min=1.5), "sort": lambda T, x: x.sort(),
    "flip": lambda T, x: x.flip(0), "cat": lambda T, x: T.cat([x, x]),
    "to_float": lambda T, x: x.float(), "invert": lambda T, x: ~x,
    "and": lambda T, x: x & x, "nonzero": lambda T, x: x.nonzero(),
    "isnan": lambda T, x: x.isnan(), "var": lambda T, x: x.var(), "norm": lambda T, x: x.norm(),
    "div_trunc": lambda T, x: T.div(x, 2, rounding_mode="trunc"),
    "remainder": lambda T, x: x % 3, "count_nonzero": lambda T, x: T.count_nonzero(x),
}


@pytest.mark.parametrize("op", sorted(UNARY_INT))
@pytest.mark.parametrize("dtype", [np.bool_, np.int32, np.int64], ids=lambda d: np.dtype(d).name)
def test_integer_and_bool_inputs(op, dtype):
    a = _arr(dtype, (5,))
    if dtype != np.bool_:
        a[1] = -a[1]
    try:
        UNARY_INT[op](torch, torch.tensor(a))
    except Exception:  # noqa: BLE001
        check_raises(UNARY_INT[op], a)
        return
    check(UNARY_INT[op], a, grad=False)


# -- NumPy scalars and arrays as operands -------------------------------------------------------
# torch reads a NumPy scalar as the Python number of its kind (np.bool_ as a float): its width
# does not promote (np.float64(2) * float32 tensor is float32). An ndarray operand is no tensor to
# torch's operators: Python falls back to NumPy's operator (NumPy's promotion, bool results as
# uint8, no history; an ndarray on the left is a TypeError except for / and ==).

NUMPY_SCALARS = [np.float64(2.5), np.float32(2.5), np.float16(2.5), np.int64(3), np.int32(3),
                 np.int8(3), np.uint8(3), np.bool_(True)]
ALL_DTYPES = [np.bool_, np.uint8, np.int32, np.int64, np.float16, np.float32, np.float64]
REFLECTED = {
    "rmul": lambda T, a, b: b * a, "rsub": lambda T, a, b: b - a, "rpow": lambda T, a, b: b ** a,
    "rmod": lambda T, a, b: b % a, "fmod": lambda T, a, b: T.fmod(a, b),
    "clamp_max": lambda T, a, b: a.clamp(max=b),
    "masked_fill": lambda T, a, b: a.masked_fill(T.tensor([True, False, True, False]), b),
    "where_left": lambda T, a, b: T.where(T.tensor([True, False, True, False]), b, a),
    "add_fn": lambda T, a, b: T.add(a, b), "sub_fn": lambda T, a, b: T.sub(a, b),
    "result_type": lambda T, a, b: T.ones(1, dtype=T.result_type(a, b)),
}


def _run_any(fn, *args):
    try:
        fn(torch, *[torch.tensor(x) if isinstance(x, np.ndarray) else x for x in args])
    except Exception:  # noqa: BLE001
        check_raises(fn, *args)
        return
    check(fn, *args, grad=False)


@pytest.mark.parametrize("op", sorted(BINARY) + sorted(REFLECTED))
@pytest.mark.parametrize("scalar", NUMPY_SCALARS, ids=lambda s: type(s).__name__)
@pytest.mark.parametrize("da", ALL_DTYPES, ids=lambda d: np.dtype(d).name)
def test_tensor_numpy_scalar(op, da, scalar):
    fn = BINARY.get(op) or REFLECTED[op]
    _run_any(fn, _arr(da), scalar)
    _run_any(fn, _arr(da, shape=()), scalar)


SCALAR_ARGS = {
    "alpha": lambda T, a, s: T.add(a, a, alpha=s), "sub_alpha": lambda T, a, s: a.sub(a, alpha=s),
    "lerp": lambda T, a, s: T.lerp(a, a * 0 + 1, s) if a.dtype == T.bool else T.lerp(a, a, s),
    "lerp_other_dtype": lambda T, a, s: T.lerp(a, a.double(), s),
    "addcmul": lambda T, a, s: T.addcmul(a, a, a, value=s),
    "addcdiv": lambda T, a, s: T.addcdiv(a, a, a + 1, value=s),
    "full": lambda T, a, s: T.full((2,), s), "full_like": lambda T, a, s: T.full_like(a, s),
    "mul_": lambda T, a, s: a.clone().mul_(s), "add_": lambda T, a, s: a.clone().add_(s),
}


@pytest.mark.parametrize("op", sorted(SCALAR_ARGS))
@pytest.mark.parametrize("scalar", NUMPY_SCALARS + [2.5, 3, True],
                         ids=lambda s: f"{type(s).__name__}")
@pytest.mark.parametrize("da", ALL_DTYPES, ids=lambda d: np.dtype(d).name)
def test_numpy_scalar_arguments(op, da, scalar):
    """alpha / value / weight / fill value: a NumPy scalar acts as its Python number."""
    _run_any(SCALAR_ARGS[op], _arr(da), scalar)


def test_numpy_scalar_keeps_gradient():
    check(lambda T, x: np.float64(2.0) * x - x / np.float32(3.0) + np.int64(1) ** x, _arr(
        np.float32))
    check(lambda T, x: T.add(x, x * x, alpha=np.float64(0.5)), _arr(np.float32))


ARRAY_OPS = {name: getattr(__import__("operator"), name) for name in [
    "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "lt", "le", "gt", "ge",
    "eq", "ne", "and_", "or_", "xor", "iadd", "isub", "imul", "itruediv", "imod"]}
ARRAYS = [np.array([2.0, 3.0]), np.array(2.0), np.array([2, 3], dtype=np.int32),
          np.array([True, True]), np.array(2.0, dtype=np.float32), np.array([1, 2], np.int16)]


@pytest.mark.parametrize("op", sorted(ARRAY_OPS))
@pytest.mark.parametrize("k", range(len(ARRAYS)))
@pytest.mark.parametrize("dtype", ["float32", "int32", "bool"])
@pytest.mark.parametrize("side", ["right", "left"])
def test_ndarray_operand(op, k, dtype, side):
    """``tensor (op) ndarray`` and ``ndarray (op) tensor``: same result, dtype and history as
    torch's, or the same exception (comparisons, left operands)."""
    def fn(T, x):
        a = ARRAYS[k].copy()
        y = x.to(getattr(T, dtype)).detach()
        out = ARRAY_OPS[op](y, a) if side == "right" else ARRAY_OPS[op](a, y)
        return out if isinstance(out, T.Tensor) else T.tensor(out)  # != gives a Python bool
    _run_any(fn, np.array([1.0, 2.0], dtype=np.float32))


@pytest.mark.parametrize("op", ["add", "mul", "truediv", "pow", "matmul"])
def test_ndarray_operand_with_grad_is_refused(op):
    """NumPy reads the tensor through __array__: refused when it requires grad, as in torch."""
    check_raises(lambda T, x: ARRAY_OPS[op](x, np.array([2.0, 3.0])), _arr(np.float32, (2,)))
    if op == "truediv":
        check_raises(lambda T, x: np.array([2.0, 3.0]) / x, _arr(np.float32, (2,)))


# einsum's dtypes follow torch's evaluation: an operand's own labels are summed first (bool and
# integers become int64), a join contracting a label is a bmm (no bool, no mixed dtypes; an
# empty operand skips it), a join contracting nothing a promoting mul
EINSUM_EQUATIONS = [
    ("ij->", (2, 3)), ("ij->i", (2, 3)), ("ij->j", (2, 3)), ("ij->ji", (2, 3)), ("ii->i", (3, 3)),
    ("ii", (3, 3)), ("ij", (2, 3)), ("i", (3,)), ("->", ()), ("ij->", (0, 3)),
    ("i,i->", (3,), (3,)), ("i,i->i", (3,), (3,)), ("i,j->ij", (2,), (3,)),
    ("ij,jk->ik", (2, 3), (3, 2)), ("ij,jk", (2, 3), (3, 2)), ("ij,ij->", (2, 3), (2, 3)),
    ("ij,ij->ij", (2, 3), (2, 3)), ("ij,ij->i", (2, 3), (2, 3)), ("ij,j->i", (2, 3), (3,)),
    ("ij,k->k", (2, 3), (2,)), ("ij,k->jk", (2, 3), (2,)), ("ii,i->i", (3, 3), (3,)),
    ("bij,bjk->bik", (2, 2, 3), (2, 3, 2)), ("...,...->...", (2, 3), (2, 3)),
    ("i,->i", (3,), ()), ("ij,jk->ik", (0, 3), (3, 2)), ("ij,jk->ik", (2, 0), (0, 2)),
    ("i,i->", (0,), (0,)), ("ij,k->k", (1, 2), (0,)),
    ("ij,jk,kl->il", (2, 3), (3, 2), (2, 2)), ("i,i,i->", (3,), (3,), (3,)),
    ("i,j,k->ijk", (2,), (2,), (2,)),
]
EINSUM_DTYPES = [(np.bool_,), (np.uint8,), (np.int8,), (np.int32,), (np.float32,),
                 (np.bool_, np.int64), (np.int64, np.bool_), (np.float32, np.bool_),
                 (np.int64, np.float32), (np.float32, np.float64), (np.int32, np.int64),
                 (np.int64, np.int64, np.bool_), (np.bool_, np.float32, np.float32)]


@pytest.mark.parametrize("dtypes", EINSUM_DTYPES, ids=lambda d: "-".join(np.dtype(t).name
                                                                          for t in d))
@pytest.mark.parametrize("case", EINSUM_EQUATIONS, ids=lambda c: c[0])
def test_einsum_dtypes_and_refusals(case, dtypes):
    equation, *shapes = case
    arrays = [_arr(dtypes[k % len(dtypes)], shape, seed=k) for k, shape in enumerate(shapes)]
    if len(dtypes) > len(shapes):  # a mixed-dtype row is for the multi-operand equations
        pytest.skip("more dtypes than operands")

    def call(T, *xs):  # (torch's empty-operand shortcut can give a bool result from a float
        return T.einsum(equation, *[x.detach() for x in xs])  # operand: no grad asked here)
    try:
        call(torch, *[torch.from_numpy(a) for a in arrays])
    except Exception:  # noqa: BLE001 - torch refuses ("bmm" for Bool, mixed dtypes): so must we
        check_raises(call, *arrays)
        return
    # torch sums a float32 operand's own labels in float32 before a float64 join; we sum once in
    # float64: the float32 rounding of that partial sum is the difference
    mixed = {np.dtype(t) for t in dtypes} >= {np.dtype(np.float32), np.dtype(np.float64)}
    check(call, *arrays, grad=False, scale=1e3 if mixed else 1.0)
