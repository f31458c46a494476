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
