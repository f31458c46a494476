"""Activations at extreme and special inputs against torch: infinities, nan, signed zeros, tiny
and huge magnitudes, and points on both sides of each branch and threshold. The kernels are
written branch-free (arithmetic masks, clamps, max/min) for speed; these cases pin that the
result is still torch's in every regime, gradients included. Also the accuracy of the normal
CDF behind exact GELU, against the standard library's erfc, over a dense grid and its tails."""
import math

import numpy as np
import pytest

import torch

import minitorch_ref as mt
from harness import (FLOAT_DTYPES, check, check_double, check_higher_orders, check_second_backward,
                     to_numpy, tol)

SPECIAL = [-np.inf, -1e30, -1e4, -745.5, -100.0, -89.0, -50.0, -40.0, -30.0, -21.0, -20.0,
           -19.9, -10.0, -5.7, -3.0, -2.9, -1.0, -0.5, -1e-5, -1e-30, -0.0, 0.0, 1e-30, 1e-5,
           0.25, 0.5, 1.0, 2.9, 3.0, 5.7, 6.0, 6.5, 10.0, 19.9, 20.0, 20.5, 21.0, 30.0, 40.0,
           50.0, 89.0, 100.0, 710.0, 1e4, 1e30, np.inf, np.nan]


def special(dtype):
    """SPECIAL, repeated to 64 entries: torch runs whole arrays of that length through its
    vectorized loops, whose results at nan differ from its scalar tail loop's for some ops
    (e.g. elu's gradient at nan: nan in the former, g * scale in the latter)."""
    with np.errstate(over="ignore"):
        return np.resize(np.array(SPECIAL, dtype=dtype), 64)


ACTIVATIONS = {
    "gelu": lambda T, x: T.nn.functional.gelu(x),
    "gelu_tanh": lambda T, x: T.nn.functional.gelu(x, approximate="tanh"),
    "silu": lambda T, x: T.nn.functional.silu(x),
    "mish": lambda T, x: T.nn.functional.mish(x),
    "softplus": lambda T, x: T.nn.functional.softplus(x),
    "softplus_beta": lambda T, x: T.nn.functional.softplus(x, beta=2.0, threshold=6.0),
    "softplus_neg_beta": lambda T, x: T.nn.functional.softplus(x, beta=-0.5, threshold=3.0),
    "elu": lambda T, x: T.nn.functional.elu(x),
    "elu_2": lambda T, x: T.nn.functional.elu(x, alpha=2.0),
    "selu": lambda T, x: T.nn.functional.selu(x),
    "celu_half": lambda T, x: T.nn.functional.celu(x, alpha=0.5),
    "celu": lambda T, x: T.nn.functional.celu(x),
    "celu_49": lambda T, x: T.nn.functional.celu(x, alpha=49.0),  # 49 (1 / 49) != 1: masked
    "leaky_relu": lambda T, x: T.nn.functional.leaky_relu(x),
    "leaky_relu_neg": lambda T, x: T.nn.functional.leaky_relu(x, -0.3),
    "leaky_relu_steep": lambda T, x: T.nn.functional.leaky_relu(x, 3.0),
    "prelu": lambda T, x: T.nn.functional.prelu(x, T.tensor([0.25], dtype=x.dtype)),
    "prelu_neg": lambda T, x: T.nn.functional.prelu(x, T.tensor([-1.5], dtype=x.dtype)),
    "hardtanh": lambda T, x: T.nn.functional.hardtanh(x, -2.0, 3.0),
    "logsigmoid": lambda T, x: T.nn.functional.logsigmoid(x),
    "hardsigmoid": lambda T, x: T.nn.functional.hardsigmoid(x),
    "hardswish": lambda T, x: T.nn.functional.hardswish(x),
    "threshold": lambda T, x: T.nn.functional.threshold(x, 1.0, -5.0),
    "softshrink": lambda T, x: T.nn.functional.softshrink(x, 1.0),
    "hardshrink": lambda T, x: T.nn.functional.hardshrink(x, 1.0),
    "softsign": lambda T, x: T.nn.functional.softsign(x),
    "tanhshrink": lambda T, x: T.nn.functional.tanhshrink(x),
    "sigmoid": lambda T, x: T.sigmoid(x),
    "glu": lambda T, x: T.nn.functional.glu(x.reshape(-1, 2), 1),
    "glu_swapped": lambda T, x: T.nn.functional.glu(x.flip(0).reshape(-1, 2), 1),
}


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_special_values(name, dtype):
    x = special(dtype)
    if name == "gelu" and dtype == np.float32:
        # torch's float32 kernel (a 1.5e-7 erf approximation) gives nan at +inf; its float64
        # kernel, like ours for both, gives inf
        x[x == np.inf] = 1e30
    check(ACTIVATIONS[name], x)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_dense_range(name, dtype):
    """Every branch on a fine grid over [-30, 30] (and the tails of the normal CDF)."""
    x = np.linspace(-30, 30, 6002).astype(dtype)
    scale = 1.0
    if name == "gelu_tanh" and dtype == np.float32:
        # for x < -3 the gradient's two terms nearly cancel, and NumPy's float32 tanh differs
        # from torch's by an ulp (near x = -5.3 it stays just above -1 where torch's reaches
        # -1): absolute differences up to 2e-6 where the gradient itself is below 1e-3
        scale = 3.0
    check(ACTIVATIONS[name], x, scale=scale)


@pytest.mark.parametrize("name", [n for n in ACTIVATIONS if not n.startswith("glu")])
def test_zero_dim(name):
    for v in (-25.0, -2.0, 0.0, 0.7, 30.0):
        for dtype in FLOAT_DTYPES:
            check(ACTIVATIONS[name], np.array(v, dtype=dtype))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", ["sigmoid", "silu"])
def test_sigmoid_keeps_relative_accuracy(name, dtype):
    """The sigmoid takes exp(-x) as exp2(-x log2 e), whose rounded argument costs a relative
    error of about |x| 2^-24 (float32): still within the relative tolerance, with no absolute
    slack, over the whole range where exp(-x) stays finite and the result normal."""
    top = 87.0 if dtype == np.float32 else 700.0
    x = np.linspace(-top, top, 200001).astype(dtype)
    ours = to_numpy(ACTIVATIONS[name](mt, mt.tensor(x)))
    theirs = to_numpy(ACTIVATIONS[name](torch, torch.tensor(x)))
    np.testing.assert_allclose(ours, theirs, rtol=tol(dtype)["rtol"], atol=0)


@pytest.mark.parametrize("name", ["sigmoid", "silu", "mish", "glu"])
def test_sigmoids_non_contiguous(name):
    x = np.random.default_rng(0).standard_normal((6, 8)) * 8
    for dtype in FLOAT_DTYPES:
        check(ACTIVATIONS[name], x.astype(dtype), layout="transposed")


def test_sigmoid_float16_rounds_once_from_float32():
    """float16 computes in float32 and rounds once, as torch's kernel does."""
    x = np.linspace(-12, 12, 4001).astype(np.float16)
    ours = mt.sigmoid(mt.tensor(x)).numpy()
    theirs = torch.sigmoid(torch.tensor(x)).numpy()
    assert ours.dtype == np.float16
    np.testing.assert_array_max_ulp(ours, theirs, maxulp=1)


@pytest.mark.parametrize("dtype, bound", [(np.float32, 2.5e-7), (np.float64, 2e-14)])
def test_gelu_normal_cdf_is_absolutely_accurate(dtype, bound):
    """Exact GELU's normal CDF (``_gelu_cdf_block``: exp(-x^2 / 2) t P(t) / 2 for the lower
    tail, then |[x > 0] - that|) is within ``bound`` of Phi(x) everywhere, the absolute
    accuracy GELU's tolerance needs (far in the lower tail x Phi(x) is below the atol, and
    torch's own 1 + erf keeps no relative accuracy there either); its exp(-x^2 / 2) keeps the
    relative accuracy of exp2 of a rounded argument. Against the standard library's erfc, on
    a dense grid, tiny arguments of both signs and the infinities."""
    from minitorch_ref._ops._erf import _gelu_cdf_block
    x = np.concatenate([np.linspace(-40, 40, 160001), np.geomspace(1e-30, 40, 4000),
                        -np.geomspace(1e-30, 40, 4000), [0.0, -0.0, np.inf, -np.inf]])
    x = x.astype(dtype)
    ref = np.array([0.5 * math.erfc(-float(v) / math.sqrt(2)) for v in x])
    cdf, gauss, t = np.empty_like(x), np.empty_like(x), np.empty_like(x)
    _gelu_cdf_block(x, cdf, gauss, t)
    err = np.abs(cdf - ref)
    assert err.max() <= bound, (float(err.max()), float(x[np.argmax(err)]))
    xd = x.astype(np.float64)
    finite = np.abs(xd) < (13 if dtype == np.float32 else 37)   # exp(-x^2 / 2) normal
    rel = np.abs(gauss[finite] - np.exp(-xd[finite] ** 2 / 2)) / np.exp(-xd[finite] ** 2 / 2)
    assert (rel <= 8 * np.finfo(dtype).eps * (1 + xd[finite] ** 2)).all()


@np.errstate(all="ignore")  # (the private kernels run inside an op's quiet state)
def test_erfc_is_accurate_to_a_few_ulp():
    """erfc within 4 ulp plus y^2 / 2 ulp (the rounding of y^2 inside exp(-y^2); erfc's own
    condition number is 2 y^2), over a dense grid up to where erfc(y) leaves the normal range,
    and at tiny arguments."""
    from minitorch_ref._ops._erf import _erfc
    y = np.concatenate([np.linspace(0, 26.5, 53001), np.geomspace(1e-300, 1, 2000)])
    ref = np.array([math.erfc(v) for v in y])
    ulps = np.abs(_erfc(y) - ref) / (ref * np.finfo(np.float64).eps)
    excess = ulps - (4 + y * y / 2)
    assert excess.max() <= 0, (float(ulps[np.argmax(excess)]), float(y[np.argmax(excess)]))
    assert _erfc(np.array([np.inf]))[0] == 0 and np.isnan(_erfc(np.array([np.nan]))[0])


@np.errstate(all="ignore")
def test_erf_is_accurate_to_a_few_ulp():
    """torch.erf's kernel: relative accuracy everywhere, tiny arguments included."""
    from minitorch_ref._ops._erf import erf
    x = np.concatenate([np.linspace(-7, 7, 28001), np.geomspace(1e-300, 0.5, 2000),
                        -np.geomspace(1e-300, 0.5, 2000)])
    x = x[x != 0]
    ref = np.array([math.erf(v) for v in x])
    ulps = np.abs(erf(x) - ref) / (np.abs(ref) * np.finfo(np.float64).eps)
    assert ulps.max() <= 4, (float(ulps.max()), float(x[np.argmax(ulps)]))
    assert erf(np.array(0.0)) == 0
    assert erf(np.array(np.inf)) == 1 and erf(np.array(-np.inf)) == -1
    assert erf(np.array([0.3], dtype=np.float32)).dtype == np.float32


def _values_and_grads(name: str, x: np.ndarray, g: np.ndarray) -> dict:
    """``F.<name>(x)`` and its gradient for upstream ``g``, per library (mt, torch)."""
    res = {}
    for T in (mt, torch):
        t = T.tensor(x, requires_grad=True)
        y = getattr(T.nn.functional, name)(t)
        y.backward(T.tensor(g))
        res[T] = (to_numpy(y.detach()), to_numpy(t.grad))
    return res


def test_silu_float16_rounds_once_from_float32():
    """SiLU in float16 computes in float32 and rounds once, values and gradient, as torch's
    kernels do (a float16 sigmoid times x rounds twice: up to 2 ulp off)."""
    x = np.linspace(-12, 12, 4001).astype(np.float16)
    g = np.linspace(-3, 3, 4001).astype(np.float16)
    res = _values_and_grads("silu", x, g)
    for ours, theirs in zip(res[mt], res[torch]):
        assert ours.dtype == np.float16
        np.testing.assert_array_max_ulp(ours, theirs, maxulp=1)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_silu_saved_values_survive_retain_graph_and_double_backward(dtype):
    """SiLU's backward reads its saved x and 1 + exp(-x) and writes only a new array: a
    second backward through a retained graph, the first and second derivatives with
    create_graph, the calls through freed graphs and third derivatives all match torch."""
    x = np.concatenate([np.linspace(-30, 30, 61), [-80.0, -1.2785, 0.0, 80.0]]).astype(dtype)
    g1, g2 = np.linspace(-2, 2, x.size).astype(dtype), np.linspace(3, -1, x.size).astype(dtype)
    grads = {}
    for T in (mt, torch):
        t = T.tensor(x, requires_grad=True)
        y = T.nn.functional.silu(t)
        y.backward(T.tensor(g1), retain_graph=True)
        first = to_numpy(t.grad).copy()
        y.backward(T.tensor(g2))
        grads[T] = (first, to_numpy(t.grad))
    for ours, theirs in zip(grads[mt], grads[torch]):
        np.testing.assert_allclose(ours, theirs, **tol(dtype))
    fn = ACTIVATIONS["silu"]
    check_double(fn, x)
    check_second_backward(fn, x)
    check_higher_orders(fn, x)


def test_gelu_float16_computes_in_float32():
    """Exact GELU in float16 computes in float32 and rounds once, as torch's kernels do: within
    2 ulp of the correctly rounded x Phi(x) (computed in float16 it was 25 ulp off), as torch's,
    both from rounding 1 + erf in float32, and values and gradient within float16's tolerance
    of torch's."""
    x = np.linspace(-8, 8, 4001).astype(np.float16)
    g = np.linspace(-3, 3, 4001).astype(np.float16)
    xd = x.astype(np.float64)
    exact = np.array([v * 0.5 * math.erfc(-v / math.sqrt(2)) for v in xd]).astype(np.float16)
    res = _values_and_grads("gelu", x, g)
    assert res[mt][0].dtype == res[mt][1].dtype == np.float16
    np.testing.assert_array_max_ulp(res[mt][0], exact, maxulp=2)
    for ours, theirs in zip(res[mt], res[torch]):
        np.testing.assert_allclose(ours, theirs, **tol(np.float16))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("n", [0, 1, 7, 8, 17, 64])
@pytest.mark.parametrize("form", ["torch.relu", "F.relu", "F.relu_", "ReLU", "Tensor.relu_"])
def test_relu_keeps_the_sign_of_zero(form, n, dtype):
    """relu(-0.0) is -0.0 and relu(x < 0) is +0.0, as torch's: bit for bit, for every float
    dtype, contiguous and strided, 0-d (n = 0) and arrays whose lengths take NumPy's loop body
    and tail; the gradient is 0 at both zeros."""
    base = np.array([-0.0, 0.0, -1.0, 2.0, np.nan, -np.inf, np.inf, -1e-30], dtype=dtype)
    x = np.array(-0.0, dtype=dtype) if n == 0 else np.resize(base, 2 * n)
    forms = {"torch.relu": lambda T, t: T.relu(t), "F.relu": lambda T, t: T.nn.functional.relu(t),
             "F.relu_": lambda T, t: T.nn.functional.relu_(t.clone()),
             "ReLU": lambda T, t: T.nn.ReLU()(t), "Tensor.relu_": lambda T, t: t.clone().relu_()}
    for view in ((lambda a: a), (lambda a: a[::2])) if n else ((lambda a: a),):
        res = {}
        for T in (mt, torch):
            t = T.tensor(x, requires_grad=True)
            y = forms[form](T, view(t))
            y.backward(T.ones_like(y))
            res[T] = (to_numpy(y.detach()), to_numpy(t.grad))
        (ours, ours_g), (theirs, theirs_g) = res[mt], res[torch]
        assert ours.dtype == theirs.dtype
        assert np.array_equal(np.signbit(ours), np.signbit(theirs))
        np.testing.assert_array_equal(ours, theirs)
        np.testing.assert_array_equal(ours_g, theirs_g)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("slope", [0.0, -0.0, 0.01, -0.3, 3.0, 1e-30])
def test_leaky_relu_bitwise(slope, dtype):
    """leaky_relu's values and gradients bit for bit, signs of zero included: x * slope below
    0 (a slope of -0.0 gives +0.0 at x < 0, as torch's x * negval), x itself above, the slope's
    gradient at 0 and nan; contiguous, strided and 0-d."""
    base = np.array([-0.0, 0.0, -1.0, 2.0, np.nan, -np.inf, np.inf, -1e-30, 3.5, -7.25],
                    dtype=dtype)
    for x, view in ((np.resize(base, 40), lambda a: a), (np.resize(base, 40), lambda a: a[::3]),
                    (np.array(-2.0, dtype=dtype), lambda a: a)):
        res = {}
        for T in (mt, torch):
            t = T.tensor(x, requires_grad=True)
            y = T.nn.functional.leaky_relu(view(t), slope)
            y.backward(T.ones_like(y) * -1.5)
            res[T] = (to_numpy(y.detach()), to_numpy(t.grad))
        for ours, theirs in zip(res[mt], res[torch]):
            assert ours.dtype == theirs.dtype
            assert np.array_equal(np.signbit(ours), np.signbit(theirs))
            np.testing.assert_array_equal(ours, theirs)


# Inputs across exp's overflow in each dtype (float16 activations compute in float32), for the
# derivatives' NaN/inf placement: each kernel's recorded backward must not meet 0 * inf where
# torch's formula is finite
OVERFLOW_GRID = [-1e4, -1000.0, -745.0, -710.0, -200.0, -104.0, -100.0, -89.0, -88.0, -87.0,
                 -50.0, -20.0, -12.0, -11.1, 0.0, 11.1, 12.0, 17.0, 20.0, 50.0, 88.0, 89.0, 100.0,
                 200.0, 710.0, 745.0, 1000.0, 1e4, np.inf, -np.inf, np.nan]

OVERFLOW_ACTIVATIONS = {
    "silu": ACTIVATIONS["silu"],
    "sigmoid": ACTIVATIONS["sigmoid"],
    "mish": ACTIVATIONS["mish"],
    "logsigmoid": ACTIVATIONS["logsigmoid"],
    "tanh": lambda T, x: T.tanh(x),
    "glu_gate": lambda T, x: T.nn.functional.glu(T.stack([T.ones_like(x) * 1.5, x], -1), -1),
    "glu_value": lambda T, x: T.nn.functional.glu(T.stack([x, T.ones_like(x) * 0.5], -1), -1),
    "softplus": ACTIVATIONS["softplus"],
    "softplus_t100": lambda T, x: T.nn.functional.softplus(x, threshold=100.0),
    "softplus_t1000": lambda T, x: T.nn.functional.softplus(x, threshold=1000.0),
    "softplus_beta2_t100": lambda T, x: T.nn.functional.softplus(x, beta=2.0, threshold=100.0),
    "softplus_negbeta_t1000": lambda T, x: T.nn.functional.softplus(x, beta=-0.5,
                                                                    threshold=1000.0),
    "softplus_neg_beta": ACTIVATIONS["softplus_neg_beta"],
    "elu": ACTIVATIONS["elu"],
    "selu": ACTIVATIONS["selu"],
    "celu_half": ACTIVATIONS["celu_half"],
    "elu_1e5": lambda T, x: T.nn.functional.elu(x, alpha=1e5),
    "celu_1e5": lambda T, x: T.nn.functional.celu(x, alpha=1e5),
}


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("name", list(OVERFLOW_ACTIVATIONS))
def test_derivatives_across_exp_overflow(name, dtype):
    """Values and the first three derivatives (create_graph) on inputs across exp's overflow,
    against torch's, NaN and inf where torch has them: SiLU's second derivative below -88 in
    float32, softplus's gradient in the linear regime of a threshold above exp's range,
    logsigmoid's and GLU's second derivatives were NaN where torch's are 0; float16 softplus and
    ELU (alpha beyond float16's range) computed in float16 gave inf and NaN; the ELU family's
    second derivative at x = 0 is torch's 0. Arrays of 64 (the grid repeated), as torch's
    vectorized loops take them; and the gradient without create_graph."""
    if dtype == np.float16 and name == "elu_1e5":
        pytest.skip("torch's float16 elu_double_backward at x = 0 is NaN (its alpha overflows)")
    with np.errstate(over="ignore"):
        x = np.resize(np.array(OVERFLOW_GRID, dtype=dtype), 64)
    fn = OVERFLOW_ACTIVATIONS[name]
    check(fn, x)
    check_higher_orders(fn, x)
