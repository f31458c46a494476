"""The trigonometric and hyperbolic inverses, sinh/cosh, sgn/signbit and the in-place method
forms of the elementwise ops, against torch: values and gradients at the special points (0, -0,
+-1, the edges of each domain, +-inf, NaN), integer/bool/float16 inputs (computed in the default
float dtype or kept, as torch does), every in-place method (history, gradients, version counter,
views) and the errors torch raises."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check, check_raises

INF, NAN = math.inf, math.nan
SPECIAL = np.array([0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 1e-3, 30.0, 1e4, INF, -INF, NAN])

UNARY = ["asin", "acos", "atan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "asinh",
         "acosh", "atanh", "arcsinh", "arccosh", "arctanh", "sgn", "signbit", "sign", "sin",
         "cos", "tan"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", UNARY)
def test_special_points(name, dtype):
    """Values and gradients at 0, -0, +-1, inside and outside the domain, +-inf and NaN
    (torch's inf/NaN/0 there are part of the contract)."""
    check(lambda T, x: getattr(T, name)(x), SPECIAL.astype(dtype), grad_fn_name=True)
    check(lambda T, x: getattr(x, name)(), SPECIAL.astype(dtype), grad_fn_name=True)


INTS = {
    "int64": np.array([-3, -1, 0, 1, 2, 5], dtype=np.int64),
    "int32": np.array([-2, 0, 1, 7], dtype=np.int32),
    "uint8": np.array([0, 1, 2, 200], dtype=np.uint8),
    "bool": np.array([True, False]),
    "float16": np.array([-1.0, -0.25, 0.0, 0.5, 1.0, 3.0], dtype=np.float16),
}


@pytest.mark.parametrize("kind", INTS)
@pytest.mark.parametrize("name", UNARY)
def test_integer_bool_and_half_inputs(name, kind):
    """Integers and bools compute in the default float dtype (sgn/sign/signbit keep theirs or
    give bool); float16 stays float16."""
    check(lambda T, x: getattr(T, name)(x), INTS[kind], grad=False)


def test_default_dtype_decides_integer_results():
    for T in LIBS:
        T.set_default_dtype(T.float64)
    try:
        check(lambda T, x: T.asinh(x), INTS["int64"], grad=False)
    finally:
        for T in LIBS:
            T.set_default_dtype(T.float32)


# -- in-place methods ------------------------------------------------------------------------------

X = np.array([[0.25, -0.5, 0.75], [-0.125, 0.5, 0.0]])
O = np.array([[0.5, 0.5, -1.0], [-0.125, 2.0, 3.0]])

# method -> call on y (a float tensor with history) and o (another tensor)
INPLACE = {
    "asin_": lambda y, o: y.asin_(), "acos_": lambda y, o: y.acos_(),
    "atan_": lambda y, o: y.atan_(), "arcsin_": lambda y, o: y.arcsin_(),
    "arccos_": lambda y, o: y.arccos_(), "arctan_": lambda y, o: y.arctan_(),
    "sinh_": lambda y, o: y.sinh_(), "cosh_": lambda y, o: y.cosh_(),
    "sgn_": lambda y, o: y.sgn_(), "tan_": lambda y, o: y.tan_(),
    "atan2_": lambda y, o: y.atan2_(o), "arctan2_": lambda y, o: y.arctan2_(o),
    "exp2_": lambda y, o: y.exp2_(), "expm1_": lambda y, o: y.expm1_(),
    "log1p_": lambda y, o: y.log1p_(), "log2_": lambda y, o: y.add_(1).log2_(),
    "log10_": lambda y, o: y.add_(1).log10_(), "rsqrt_": lambda y, o: y.add_(1).rsqrt_(),
    "erf_": lambda y, o: y.erf_(), "frac_": lambda y, o: y.mul_(3).frac_(),
    "fix_": lambda y, o: y.mul_(3).fix_(), "absolute_": lambda y, o: y.absolute_(),
    "negative_": lambda y, o: y.negative_(), "nan_to_num_": lambda y, o: y.log_().nan_to_num_(),
    "nan_to_num_args": lambda y, o: y.div_(0).nan_to_num_(1.0, posinf=2.0, neginf=-3.0),
    "subtract_": lambda y, o: y.subtract_(o, alpha=2), "multiply_": lambda y, o: y.multiply_(o),
    "divide_": lambda y, o: y.divide_(o, rounding_mode="floor"),
    "true_divide_": lambda y, o: y.true_divide_(o), "fmod_": lambda y, o: y.fmod_(o),
    "fmod_scalar": lambda y, o: y.fmod_(0.3),
    "remainder_": lambda y, o: y.remainder_(o), "remainder_scalar": lambda y, o: y.remainder_(-0.3),
    "clamp_min_": lambda y, o: y.clamp_min_(0.1), "clamp_min_t": lambda y, o: y.clamp_min_(o),
    "clamp_max_": lambda y, o: y.clamp_max_(o), "lerp_": lambda y, o: y.lerp_(o, 0.5),
    "addcmul_": lambda y, o: y.addcmul_(o, o, value=2),
    "addcdiv_": lambda y, o: y.addcdiv_(o, o.abs() + 1),
    "eq_": lambda y, o: y.eq_(0.5), "eq_t": lambda y, o: y.eq_(o),
    "ne_": lambda y, o: y.ne_(o), "not_equal_": lambda y, o: y.not_equal_(0.0),
    "lt_": lambda y, o: y.lt_(o), "less_": lambda y, o: y.less_(0.0),
    "le_": lambda y, o: y.le_(o), "less_equal_": lambda y, o: y.less_equal_(0.5),
    "gt_": lambda y, o: y.gt_(o[0]), "greater_": lambda y, o: y.greater_(0.0),
    "ge_": lambda y, o: y.ge_(o), "greater_equal_": lambda y, o: y.greater_equal_(-0.125),
    "logical_not_": lambda y, o: y.logical_not_(), "logical_and_": lambda y, o:
    y.logical_and_(o), "logical_or_": lambda y, o: y.logical_or_(o * 0),
    "logical_xor_": lambda y, o: y.logical_xor_(o),
}
# without autograd only (torch gives floor_divide no derivative: see test_inplace_errors)
# torch records asinh_/acosh_/atanh_ without a derivative
NO_GRAD_ONLY = {
    "floor_divide_": lambda y, o: y.floor_divide_(o),
    "asinh_": lambda y, o: y.asinh_(), "acosh_": lambda y, o: y.add_(2).acosh_(),
    "atanh_": lambda y, o: y.atanh_(), "arcsinh_": lambda y, o: y.arcsinh_(),
    "arccosh_": lambda y, o: y.add_(2).arccosh_(), "arctanh_": lambda y, o: y.arctanh_(),
}


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_with_history(name):
    """On a tensor with history: the value, the grad_fn (torch's node, or the old history for
    the logical ops, which torch does not record) and the gradients to both inputs."""
    def run(T, x, o):
        y = x * 1
        assert INPLACE[name](y, o) is y
        return y

    check(run, X, O, grad_fn_name=True)


@pytest.mark.parametrize("name", {**INPLACE, **NO_GRAD_ONLY})
def test_inplace_version_and_views(name):
    """Without autograd: the same object, the version counter bumped as torch bumps it, a view
    taken before sees the new values, the dtype kept."""
    seen = {}
    for T in LIBS:
        y, o = T.tensor(X), T.tensor(O)
        view, v0 = y[1], y._version
        assert {**INPLACE, **NO_GRAD_ONLY}[name](y, o) is y
        seen[T] = (y, view, y._version - v0)
    assert seen[mt][2] == seen[torch][2]
    assert_close(seen[mt][0], seen[torch][0])
    assert_close(seen[mt][1], seen[torch][1])


def test_logical_inplace_writes_a_leaf_requiring_grad_as_torch():
    """torch's in-place logical ops do not record autograd: a leaf that requires grad is
    written (no error) and stays a leaf; the in-place comparisons refuse it."""
    for T in LIBS:
        a = T.tensor([1.0, 0.0, 3.0], requires_grad=True)
        a.logical_not_()
        assert a.is_leaf and a.requires_grad and a.tolist() == [0.0, 1.0, 0.0]
    check_raises(lambda T, a: a.eq_(1.0), X)


INT_CASES = [
    lambda T: T.tensor([1, 2]).asin_(),  # a float result into an integer tensor
    lambda T: T.tensor([1, 2]).sinh_(),
    lambda T: T.tensor([True]).atanh_(),
    lambda T: T.tensor([1, 2]).log1p_(),
    lambda T: T.tensor([1, 2]).atan2_(T.tensor([1, 1])),
    lambda T: T.tensor([1, 2]).true_divide_(2),
    lambda T: T.tensor([1, 2]).frac_(),  # torch's kernel refuses integers
    lambda T: T.tensor([1.5]).bitwise_and_(1),
    lambda T: T.tensor([True]).sgn_().add_(1),
    lambda T: T.tensor([1.0, 2.0]).eq_(T.ones(3, 2)),  # broadcast beyond the tensor's shape
    lambda T: T.tensor(1.0).lt_(T.ones(3)),
    lambda T: T.tensor([1.0]).logical_and_(T.ones(2, 2)),
    lambda T, x: (x * 1).floor_divide_(0.3).sum().backward(),  # torch: no derivative
    lambda T, x: (x * 1).asinh_().sum().backward(),
    lambda T, x: (x * 1).arccosh_().sum().backward(),
    lambda T, x: (x * 1).atanh_().sum().backward(),
]
WITH_X = 4  # the last cases take X


@pytest.mark.parametrize("i", range(len(INT_CASES)))
def test_inplace_errors(i):
    check_raises(INT_CASES[i], *([X] if i >= len(INT_CASES) - WITH_X else []))


def test_inplace_argument_errors():
    """An argument the method does not take: a TypeError (torch's names its parser's
    signatures; ours Python's)."""
    check_raises(lambda T: T.tensor([1.0]).clamp_min_(), match="clamp_min")
    check_raises(lambda T: T.tensor([1.0, 2.0]).asin_(1), match="asin")


def test_inplace_keeps_integer_and_bool_dtypes():
    res = {}
    for T in LIBS:
        i = T.tensor([-3, 0, 4])
        i.sgn_()
        j = T.tensor([1, 2, 3])
        j.eq_(2.5)
        k = T.tensor([1, 2, 3])
        k.le_(T.tensor([2.0]))
        b = T.tensor([True, False])
        b.logical_not_()
        u = T.tensor([6, 3], dtype=T.uint8)
        u.bitwise_xor_(5).bitwise_not_()
        f = T.tensor([7.0, -7.0])
        f.fmod_(T.tensor([2, 3])).remainder_(2)
        res[T] = (i, j, k, b, u, f)
    for a, b in zip(res[mt], res[torch]):
        assert_close(a, b)


@pytest.mark.parametrize("name", ["asinh_", "acosh_", "atanh_", "arctanh_"])
def test_inplace_node_names_without_derivative(name):
    """torch records asinh_/acosh_/atanh_ under their second node name (its backward raises,
    see test_inplace_errors); the value is the op's."""
    def run(T, x):
        y = x * 1 + (2 if "cosh" in name else 0)
        getattr(y, name)()
        return y

    check(run, X, grad=False, grad_fn_name=True)
