"""torch.special (and torch.lgamma, digamma, polygamma, mvlgamma, erfc, erfinv, i0, sinc, xlogy,
logit) against torch: values over wide ranges including the extremes, special points (0, -0,
poles, +-inf, NaN, the ends of the domain), gradients and grad_fn names, float32/float64,
integer and bool inputs, shapes (0-d, broadcasting), ``out=``, and torch's errors. Then the
accuracy claimed in docs/special.md, against mpmath (where torch is no oracle: torch's own
values carry its approximation error, e.g. trigamma's 5e-10)."""
import math

import mpmath
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, LIBS, assert_close, check, check_double, check_raises

INF, NAN = math.inf, math.nan


def grid(kind: str, dtype, seed: int = 0) -> np.ndarray:
    """Inputs over a function's domain: random points on a wide range, plus the hard ones."""
    rng = np.random.default_rng(seed)
    f32 = np.dtype(dtype) == np.float32
    if kind == "gamma":      # the whole real line: poles at 0, -1, -2, ..., zeros at 1 and 2
        x = np.concatenate([rng.uniform(-20, 30, 60), np.exp(rng.uniform(-30, 30, 30)),
                            [0.5, 1.0, 2.0, 1.4616321449683622, 3.0, 7.5, 9.999, 10.0, 10.5,
                             1e-8, -0.5, -2.5, -9.999, -10.25]])
    elif kind == "gamma_pos":   # (and next to lgamma's zeros at 1 and 2)
        x = np.concatenate([rng.uniform(0.01, 30, 60), np.exp(rng.uniform(-10, 20, 30)),
                            [1 + 1e-7, 1 - 1e-7, 2 + 1e-7, 2 - 1e-7, 1.5, 2.5]])
    elif kind == "unit":     # (-1, 1) and its ends
        x = np.concatenate([rng.uniform(-1, 1, 60), 1 - np.exp(rng.uniform(-15 if f32 else -36,
                                                                           -1, 20)),
                            -1 + np.exp(rng.uniform(-15, -1, 10)), [0.0, 0.5, -0.5, 1e-30]])
    elif kind == "prob":     # (0, 1), tiny probabilities and 1 - tiny
        x = np.concatenate([rng.uniform(0, 1, 60), np.exp(rng.uniform(-20 if f32 else -700,
                                                                      -1, 20)),
                            1 - np.exp(rng.uniform(-15, -1, 10)), [0.5]])
    elif kind == "normal":   # the normal CDF's argument: far lower tail to the upper end
        # (float32: torch's log_ndtr gradient exp(-(out + x^2/2)) cancels in float32 for
        # x << 0, amplifying out's rounding by x^2/2: compared down to -10 there)
        x = np.concatenate([rng.uniform(-10 if f32 else -40, 10, 70),
                            [-1.0, -1.0001, -0.9999, 0.0, 8.3]])
    elif kind == "erfc":
        x = np.concatenate([rng.uniform(-6, 9 if f32 else 26, 70), [0.0, 0.4999, 0.5, -0.5]])
    elif kind == "erfcx":
        x = np.concatenate([rng.uniform(-9 if f32 else -26, 50, 70),
                            np.exp(rng.uniform(0, 20, 10)), [0.0, 4.0, 4.0001]])
    elif kind == "bessel":
        x = np.concatenate([rng.uniform(-30, 30, 70), [0.0, 1e-3, 19.99, 20.0, 20.01, -20.5]])
    elif kind == "bessel_wide":  # scaled forms: no overflow
        x = np.concatenate([rng.uniform(-50, 50, 60), np.exp(rng.uniform(3, 60 if f32 else 600,
                                                                          20))])
    elif kind == "sinc":
        x = np.concatenate([rng.uniform(-8, 8, 70), [0.0, 1.0, -2.0, 0.5, 1e-20]])
    elif kind == "entr":
        x = np.concatenate([rng.uniform(-1, 5, 60), np.exp(rng.uniform(-30, 10, 10)), [0.0, 1.0]])
    elif kind == "logit":
        x = np.concatenate([rng.uniform(-0.2, 1.2, 60), [0.0, 1.0, 0.5, 1e-20, 0.25]])
    else:
        raise ValueError(kind)
    return x.astype(dtype)


# torch.special name, top-level name (or None), domain, value tolerance scale (float64),
# gradient check (False where a float32 derivative of torch's is too coarse to compare)
UNARY = [
    ("gammaln", "lgamma", "gamma", 1, True),
    ("digamma", "digamma", "gamma", 1, True),
    ("psi", None, "gamma_pos", 1, True),
    ("erfc", "erfc", "erfc", 1, True),
    ("erfcx", None, "erfcx", 1, True),
    ("erfinv", "erfinv", "unit", 1, True),
    ("ndtr", None, "normal", 1, True),
    ("ndtri", None, "prob", 1, True),
    ("log_ndtr", None, "normal", 1, True),
    ("i0", "i0", "bessel", 1, True),
    ("i0e", None, "bessel_wide", 1, True),
    ("i1", None, "bessel", 1, True),
    ("i1e", None, "bessel_wide", 1, True),
    ("sinc", "sinc", "sinc", 1, True),
    ("entr", None, "entr", 1, True),
    ("logit", "logit", "logit", 1, True),
    ("expit", "sigmoid", "normal", 1, True),
    ("erf", "erf", "erfc", 1, True),
    ("exp2", "exp2", "erfc", 1, True),
    ("expm1", "expm1", "erfc", 1, True),
    ("log1p", "log1p", "entr", 1, True),
]

# torch's trigamma sums 4 asymptotic terms from x >= 6.5: relative error up to 5e-10 (measured
# against mpmath), which the gradient of digamma (and polygamma(1)) carries
TRIGAMMA_SCALE = 10


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name,top,kind,scale,grad", UNARY, ids=[u[0] for u in UNARY])
def test_unary_values_and_gradients(name, top, kind, scale, grad, dtype):
    x = grid(kind, dtype)
    if name in ("digamma", "psi") and np.dtype(dtype) == np.float64:
        scale = TRIGAMMA_SCALE
    if np.dtype(dtype) == np.float32 and kind == "gamma":
        # torch's float32 trigamma takes sin(pi x) of the unreduced x: near the negative poles
        # it is off by up to 1e-3 (ours reduces x first); compare where both are accurate
        x = x[(x > 0) | (np.abs(x - np.round(x)) > 0.1)]
    check(lambda T, t: getattr(T.special, name)(t), x, grad=grad, scale=scale,
          grad_fn_name=True)
    if top is not None:
        check(lambda T, t: getattr(T, top)(t), x, grad=grad, scale=scale, grad_fn_name=True)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", ["i0", "i0e", "i1", "i1e"])
def test_bessel_all_in_series_range(name, dtype):
    """Every |x| <= 20: the power series runs on the whole array (a view, no gather)."""
    x = np.concatenate([np.random.default_rng(3).uniform(-20, 20, 70),
                        [0.0, -0.0, 1e-3, 20.0, -20.0]]).astype(dtype)
    check(lambda T, t: getattr(T.special, name)(t), x, grad_fn_name=True)


SPECIAL_POINTS = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -2.5, 1e-300, -1e-300, 1e300, -1e300,
                  INF, -INF, NAN, 710.0, -710.0, 40.0, -40.0]


@pytest.mark.parametrize("name", [u[0] for u in UNARY])
def test_unary_special_points(name):
    """Every function at zeros of both signs, poles, the ends of its domain, overflow, inf
    and NaN: values (NaN where torch's is NaN) and gradients."""
    x = np.array(SPECIAL_POINTS, np.float64)
    scale = TRIGAMMA_SCALE if name in ("digamma", "psi") else 1
    if name in ("digamma", "psi"):  # the gradient at the poles: test_trigamma_at_the_poles
        x = x[~((x < 0) & (x == np.round(x)))]
    check(lambda T, t: getattr(T.special, name)(t), x, scale=scale)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 6])
def test_polygamma(n, dtype):
    x = grid("gamma", dtype, seed=n)
    if np.dtype(dtype) == np.float32:  # as in test_unary_values_and_gradients
        x = x[(x > 0) | (np.abs(x - np.round(x)) > 0.1)]
    x = x[np.abs(x) < 1e6] if n >= 2 else x   # (psi^(n) of huge x underflows alike)
    scale = TRIGAMMA_SCALE if n in (0, 1) else 1
    check(lambda T, t: T.polygamma(n, t), x, scale=scale, grad_fn_name=True)
    check(lambda T, t: T.special.polygamma(n, t), x, scale=scale)


def test_polygamma_special_points():
    x = np.array(SPECIAL_POINTS, np.float64)
    for n in (1, 2, 3):
        # at the poles (0, -1, -2) ours is inf, torch's trigamma a huge finite number from the
        # rounding of sin(pi x): compared apart
        keep = ~((x <= 0) & (x == np.round(x))) if n == 1 else slice(None)
        check(lambda T, t: T.polygamma(n, t), x[keep], grad=n > 1,
              scale=TRIGAMMA_SCALE if n == 1 else 1)


def test_trigamma_at_the_poles_is_infinite():
    x = mt.tensor([0.0, -1.0, -2.0, -7.0], dtype=mt.float64)
    assert np.all(mt.polygamma(1, x).numpy() == INF)
    t = torch.polygamma(1, torch.tensor([-1.0, -2.0], dtype=torch.float64)).numpy()
    assert np.all(t > 1e30)   # torch's: pi^2 / sin(pi x)^2 of the rounded sin


@pytest.mark.parametrize("p", [1, 2, 3, 5])
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_mvlgamma(p, dtype):
    x = np.concatenate([np.random.default_rng(p).uniform((p - 1) / 2 + 0.01, 20, 40),
                        [(p - 1) / 2 + 1e-3, 50.0]]).astype(dtype)
    check(lambda T, t: T.special.multigammaln(t, p), x, grad_fn_name=True)
    check(lambda T, t: T.mvlgamma(t.reshape(6, 7), p=p), x, grad_fn_name=True)


@pytest.mark.parametrize("eps", [None, 0.0, 1e-6, 0.1, 0.6, -1.0])
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_logit_eps(eps, dtype):
    """eps clamps to [eps, 1 - eps] (torch's order when they cross: below eps first); the
    gradient is 0 outside that range with eps, NaN outside [0, 1] without."""
    x = grid("logit", dtype)
    check(lambda T, t: T.logit(t, eps), x, grad_fn_name=True)
    check(lambda T, t: T.special.logit(t, eps=eps), x)


XLOG_VALUES = np.array([0.0, 0.0, 0.0, 0.0, 1.0, -2.0, 2.0, 0.0, 3.0])
Y_VALUES = np.array([0.0, NAN, -1.0, -2.0, 0.0, INF, -3.0, INF, 0.5])


@pytest.mark.parametrize("fn", ["xlogy", "xlog1py"])
def test_xlogy_xlog1py_at_the_edges(fn):
    """x = 0 gives 0 (NaN only for y NaN), and the x-gradient is 0 where x = 0 and log is
    -inf or NaN; the y-gradient is g x / y (g x / (1 + y))."""
    check(lambda T, x, y: getattr(T.special, fn)(x, y), XLOG_VALUES, Y_VALUES,
          grad_fn_name=True)
    check(lambda T, x, y: getattr(T.special, fn)(x, y), XLOG_VALUES, Y_VALUES - 1)


SHAPES_BIN = [((), ()), ((4,), ()), ((), (4,)), ((2, 3), (3,)), ((2, 1), (1, 3))]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("shapes", SHAPES_BIN, ids=str)
@pytest.mark.parametrize("fn", ["xlogy", "xlog1py", "zeta"])
def test_binary_broadcasting(fn, shapes, dtype):
    rng = np.random.default_rng(len(shapes[0]) + 3 * len(shapes[1]))
    if fn == "zeta":
        x = rng.uniform(1.1, 6, shapes[0]).astype(dtype)
        y = rng.uniform(0.1, 20, shapes[1]).astype(dtype)
        check(lambda T, x, y: T.special.zeta(x.detach(), y), x, y, grad_fn_name=True)
    else:
        x = rng.standard_normal(shapes[0]).astype(dtype)
        y = rng.uniform(0.1, 5, shapes[1]).astype(dtype)
        check(lambda T, x, y: getattr(T.special, fn)(x, y), x, y, grad_fn_name=True)
    if fn == "xlogy":
        check(lambda T, x, y: T.xlogy(x, y), x, y, grad_fn_name=True)


@pytest.mark.parametrize("fn", ["xlogy", "xlog1py", "zeta"])
def test_binary_with_a_python_number(fn):
    """(number, Tensor) and (Tensor, number): torch's two other overloads and node names."""
    x = np.array([1.5, 2.0, 3.25])
    check(lambda T, t: getattr(T.special, fn)(2.5, t), x, grad_fn_name=True)
    if fn != "zeta":   # the derivative in zeta's first argument is not implemented
        check(lambda T, t: getattr(T.special, fn)(t, 0.75), x, grad_fn_name=True)
    else:
        check(lambda T, t: T.special.zeta(t, 0.75), x, grad=False, grad_fn_name=True)


def test_zeta_values_and_torch_domain():
    """s = 1 -> inf, s < 1 -> NaN, q a non-positive integer -> inf, q < 0 with s not an
    integer -> NaN, q = inf -> NaN (torch's), q < 0 with s an integer: summed."""
    s = np.array([1.0, 0.5, 2.0, 2.5, 2.0, 3.0, 2.0, 4.0, 30.0, 1.0001, NAN, 2.0, 2.0])
    q = np.array([2.0, 2.0, 0.0, -1.5, -3.0, -2.5, INF, -7.25, 0.3, 5.0, 1.0, NAN, 1e10])
    check(lambda T, s, q: T.special.zeta(s.detach(), q), s, q)


def test_zeta_derivative_in_its_first_argument_is_not_implemented():
    def fn(T):
        s = T.tensor([2.0, 3.0], requires_grad=True)
        T.special.zeta(s, T.tensor([1.0, 2.0])).sum().backward()
    check_raises(fn)


@pytest.mark.parametrize("name", ["gammaln", "digamma", "erfinv", "erfc", "i0", "i1e", "sinc",
                                  "entr", "logit", "ndtri", "log_ndtr", "ndtr", "expit"])
def test_integer_and_bool_inputs_compute_in_the_default_dtype(name):
    for arr in (np.array([0, 1, 2, 3]), np.array([True, False])):
        check(lambda T, t: getattr(T.special, name)(t), arr)
    old = {T: T.get_default_dtype() for T in LIBS}
    try:
        for T in LIBS:
            T.set_default_dtype(T.float64)
        check(lambda T, t: getattr(T.special, name)(t), np.array([0, 1, 2, 3]))
    finally:
        for T in LIBS:
            T.set_default_dtype(old[T])


def test_binary_dtypes():
    i = np.array([1, 2, 3])
    f32 = np.array([0.5, 1.0, 2.0], np.float32)
    f64 = np.array([0.5, 1.0, 2.0])
    check(lambda T, a, b: T.special.xlogy(a, b), i, i)
    check(lambda T, a, b: T.special.xlogy(a, b), f32, f64)
    check(lambda T, a, b: T.special.xlog1py(a, b), i, f64)
    check(lambda T, a: T.special.xlogy(a, 2.5), i)
    check(lambda T, a: T.special.zeta(a, 2), i + 1)
    check(lambda T, a: T.polygamma(2, a), i)
    check(lambda T, a: T.mvlgamma(a, 2), i + 1)


@pytest.mark.parametrize("name", ["gammaln", "digamma", "erfinv", "erfc", "erfcx", "i0", "i0e",
                                  "i1", "i1e", "ndtr", "ndtri", "log_ndtr", "sinc", "entr",
                                  "logit"])
def test_half(name):
    """float16 where torch's CPU kernels take it (computed in float64, rounded), torch's
    NotImplementedError where they do not."""
    x = np.array([0.25, 0.5, 1.5, 3.0], np.float16)
    fn = lambda T, t: getattr(T.special, name)(t)  # noqa: E731
    try:
        torch_fn = fn(torch, torch.tensor(x))
    except NotImplementedError:
        check_raises(fn, x)
        return
    ours = fn(mt, mt.tensor(x))
    assert ours.dtype == mt.float16
    # torch computes in float (float32) and rounds: within a float16 ulp or two of ours
    np.testing.assert_allclose(ours.numpy().astype(np.float64),
                               torch_fn.numpy().astype(np.float64), rtol=2e-3, atol=2e-3)


def test_out():
    for name, args in [("gammaln", ()), ("erfinv", ()), ("i1", ()), ("entr", ()),
                       ("ndtr", ()), ("logit", (0.1,))]:
        outs = {}
        for T in LIBS:
            o = T.empty(3, dtype=T.float64)
            r = getattr(T.special, name)(T.tensor([0.2, 0.5, 0.7], dtype=T.float64), *args,
                                         out=o)
            assert r is o
            outs[T] = o
        assert_close(outs[mt], outs[torch])
    # a float result into an integer out; an input that requires grad (ndtr composes: a
    # recorded copy, allowed)
    check_raises(lambda T: T.special.i0(T.tensor([1.0]), out=T.empty(1, dtype=T.int64)))
    check_raises(lambda T: T.special.erfinv(T.tensor([0.5], requires_grad=True),
                                            out=T.empty(1)))
    check_raises(lambda T: T.xlogy(T.tensor([0.5], requires_grad=True), T.tensor([2.0]),
                                   out=T.empty(1)))
    check_raises(lambda T: T.polygamma(2, T.tensor([0.5], requires_grad=True),
                                       out=T.empty(1)))
    check_raises(lambda T: T.special.zeta(T.tensor([2.0], requires_grad=True), T.tensor([2.0]),
                                          out=T.empty(1)))
    check(lambda T, x: T.special.ndtr(x, out=T.empty(3)), np.array([0.1, 0.2, 0.3],
                                                                    np.float32))


ERRORS = [
    lambda T: T.polygamma(-1, T.tensor([1.0])),
    lambda T: T.polygamma(1.5, T.tensor([1.0])),
    lambda T: T.special.polygamma(2.0, T.tensor([1.0])),
    lambda T: T.mvlgamma(T.tensor([3.0]), 0),
    lambda T: T.special.multigammaln(T.tensor([True]), 1),
    lambda T: T.special.xlogy(2.0, 3.0),
    lambda T: T.special.xlogy(T.ones(2), T.ones(3)),
    lambda T: T.special.zeta(T.ones(2), T.ones(3)),
    lambda T: T.special.bessel_j0(T.ones(2)) if T is torch else T.special.no_such_function,
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors(i):
    if i == len(ERRORS) - 1:   # a function we lack is named by the AttributeError
        with pytest.raises(AttributeError, match="torch.special.no_such_function"):
            ERRORS[i](mt)
        return
    check_raises(ERRORS[i], match=r"." if i in (5,) else None)


def test_namespace_aliases_are_the_same_functions():
    assert mt.special.gammaln(mt.tensor([3.5])).grad_fn is None
    for alias, name in [("gammaln", "lgamma"), ("psi", "digamma"), ("multigammaln", "mvlgamma")]:
        # the same code, under torch's name for the alias (which its messages give)
        assert getattr(mt.special, alias).__code__.co_code == getattr(mt, name).__code__.co_code
        args = (2.5, 2) if alias == "multigammaln" else (2.5,)
        check_raises(lambda T: getattr(T.special, alias)(*args))
    x = np.array([[0.5, -1.0, 2.0], [3.0, 0.1, -0.2]])
    for fn in ("softmax", "log_softmax"):
        check(lambda T, t: getattr(T.special, fn)(t, 1), x, grad_fn_name=True)
        check(lambda T, t: getattr(T.special, fn)(t, 0, dtype=T.float64),
              x.astype(np.float32))
    check(lambda T, t: T.special.logsumexp(t, 1, keepdim=True), x, grad_fn_name=True)
    check(lambda T, t: T.special.round(t * 3), x, grad_fn_name=True)


# -- accuracy against mpmath (the numbers docs/special.md states) --------------------------------

mpmath.mp.dps = 30

ACCURACY = [
    # name, ours(x), mpmath reference, inputs, bound: |ours - ref| <= bound (|ref| + floor)
    ("lgamma", mt.lgamma, lambda x: mpmath.loggamma(x).real if x > 0 else
     mpmath.log(abs(mpmath.gamma(x))), "gamma", 2e-15, 1.0),
    ("lgamma_positive", mt.lgamma, lambda x: mpmath.loggamma(x).real, "gamma_pos", 2e-15,
     0.0),   # relative accuracy near the zeros at 1 and 2 too
    ("digamma", mt.digamma, mpmath.digamma, "gamma", 2e-15, 1.0),
    ("trigamma", lambda t: mt.polygamma(1, t), lambda x: mpmath.psi(1, x), "gamma", 2e-15, 0.0),
    ("polygamma3", lambda t: mt.polygamma(3, t), lambda x: mpmath.psi(3, x), "gamma_pos",
     3e-15, 0.0),
    ("zeta", lambda t: mt.special.zeta(3.5, t), lambda x: mpmath.zeta(3.5, x), "gamma_pos",
     2e-15, 0.0),
    ("erfinv", mt.erfinv, mpmath.erfinv, "unit", 1e-15, 0.0),
    ("ndtri", mt.special.ndtri, lambda p: mpmath.sqrt(2) * mpmath.erfinv(2 * p - 1),
     "prob_central", 1e-15, 0.0),
    ("erfc", mt.erfc, mpmath.erfc, "erfc", 2e-15, 0.0),
    ("erfcx", mt.special.erfcx, lambda x: mpmath.exp(x * x) * mpmath.erfc(x), "erfcx_small",
     2e-15, 0.0),
    ("log_ndtr", mt.special.log_ndtr, lambda x: mpmath.log(mpmath.ncdf(x)) if x < 0
     else mpmath.log1p(-mpmath.ncdf(-x)), "normal",
     1e-13, 0.0),
    ("i0", mt.i0, lambda x: mpmath.besseli(0, x), "bessel", 3e-15, 0.0),
    ("i1", mt.special.i1, lambda x: mpmath.besseli(1, x), "bessel", 3e-15, 0.0),
    ("i0e", mt.special.i0e, lambda x: mpmath.besseli(0, x) * mpmath.exp(-abs(x)),
     "bessel_wide", 3e-15, 0.0),
    ("i1e", mt.special.i1e, lambda x: mpmath.besseli(1, x) * mpmath.exp(-abs(x)),
     "bessel_wide", 3e-15, 0.0),
]


@pytest.mark.parametrize("name,ours,ref,kind,bound,floor", ACCURACY,
                         ids=[a[0] for a in ACCURACY])
def test_accuracy_against_mpmath(name, ours, ref, kind, bound, floor):
    if kind == "prob_central":
        x = np.random.default_rng(5).uniform(1e-3, 1 - 1e-3, 40)
    elif kind == "erfcx_small":
        x = np.random.default_rng(5).uniform(-26, 1e3, 40)
    else:
        x = grid(kind, np.float64, seed=7)[::2]
    x = x[np.isfinite(x)]
    got = ours(mt.tensor(x)).numpy()
    for xi, gi in zip(x, got):
        r = ref(mpmath.mpf(float(xi)))
        if not mpmath.isfinite(r):
            continue
        r = float(r)
        assert abs(gi - r) <= bound * (abs(r) + floor), f"{name}({xi!r}) = {gi!r}, not {r!r}"


def test_namespace_holds_torch_names_only():
    assert set(mt.special.__all__) <= set(dir(torch.special))
    assert {"lgamma", "digamma", "polygamma", "mvlgamma", "erfc", "erfinv", "i0", "sinc",
            "xlogy", "logit"} <= set(dir(mt))


DOUBLE = [
    ("gammaln", "gamma_pos"), ("digamma", "gamma_pos"), ("erfc", "erfc"), ("erfcx", "erfcx"),
    ("erfinv", "unit"), ("ndtr", "normal"), ("ndtri", "prob"), ("log_ndtr", "normal"),
    ("i0", "bessel"), ("i0e", "bessel"), ("i1", "bessel"), ("i1e", "bessel"), ("sinc", "sinc"),
    ("entr", "entr"), ("logit", "logit"), ("expit", "normal"),
]


@pytest.mark.parametrize("name,kind", DOUBLE, ids=[d[0] for d in DOUBLE])
def test_double_backward(name, kind):
    """create_graph through each function: a special function inside a backward is the
    library's own op (lgamma -> digamma -> polygamma(1, .) -> ...), so it differentiates again."""
    x = grid(kind, np.float64)[:24]
    if kind in ("entr", "logit"):
        x = x[(x > 0.01) & (x < 0.99)]
    # torch's trigamma (digamma's derivative, lgamma's second) carries 5e-10: TRIGAMMA_SCALE
    scale = TRIGAMMA_SCALE if name in ("gammaln", "digamma") else 1
    check_double(lambda T, t: getattr(T.special, name)(t), x, grad_fn_name=False, scale=scale)


@pytest.mark.parametrize("case", ["polygamma", "mvlgamma", "xlogy", "xlog1py", "zeta"])
def test_double_backward_more(case):
    x = np.array([0.7, 1.5, 2.25, 4.0])
    fn = {"polygamma": lambda T, t: T.polygamma(2, t),
          "mvlgamma": lambda T, t: T.mvlgamma(t + 1, 3),
          "xlogy": lambda T, t: T.xlogy(t, t * t + 1),
          "xlog1py": lambda T, t: T.special.xlog1py(t * 2, t),
          "zeta": lambda T, t: T.special.zeta(3.5, t)}[case]
    check_double(fn, x, grad_fn_name=False, scale=TRIGAMMA_SCALE if case == "mvlgamma" else 1)


METHODS = [("lgamma", ()), ("digamma", ()), ("polygamma", (2,)), ("mvlgamma", (2,)),
           ("erfc", ()), ("erfinv", ()), ("i0", ()), ("sinc", ()), ("logit", ()),
           ("logit", (0.2,))]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name,args", METHODS, ids=[f"{m}{a}" for m, a in METHODS])
def test_tensor_methods_and_in_place_forms(name, args, dtype):
    """x.lgamma(), x.polygamma(n), ... and their in-place forms on a non-leaf (the history
    rewritten: the gradient flows through the op, as torch's)."""
    x = np.array([[0.55, 0.8, 0.3], [0.9, 0.65, 0.45]], dtype)
    if name == "mvlgamma":
        x = x + 1
    scale = TRIGAMMA_SCALE if name in ("digamma", "mvlgamma") else 1
    check(lambda T, t: getattr(t, name)(*args), x, grad_fn_name=True, scale=scale)
    check(lambda T, t: getattr(t * 1, name + "_")(*args), x, grad_fn_name=True, scale=scale)
    check(lambda T, t: t.xlogy(t + 1), x, grad_fn_name=True)
    check(lambda T, t: (t * 1).xlogy_(t + 1), x, grad_fn_name=True)


def test_in_place_forms_refuse_what_torch_refuses():
    check_raises(lambda T: T.ones(3, requires_grad=True).lgamma_())
    check_raises(lambda T: T.ones(3, dtype=T.int64).erfinv_())
    check_raises(lambda T: T.ones(3, dtype=T.int64).xlogy_(T.ones(3)))


def _erfinv_pieces_points() -> np.ndarray:
    """erfinv's inputs across each piece of its starting values and their seams: a <= 1/2,
    the near tail (s = sqrt(-log(1 - a)) <= 2.5) and the far tail, down to 1 - a = 2^-53."""
    rng = np.random.default_rng(11)
    seam = 1 - math.exp(-6.25)
    a = np.concatenate([rng.uniform(0, 0.5, 60), rng.uniform(0.5, seam, 40),
                        1 - np.exp(rng.uniform(-36.7, -6.25, 40)),
                        [0.5, np.nextafter(0.5, 1), seam, np.nextafter(seam, 0),
                         np.nextafter(seam, 1), 1 - 2.0 ** -53, 1 - 2.0 ** -24, 1e-300, 5e-324,
                         0.25, 0.9]])
    return np.concatenate([a, -a[::3]])


def test_erfinv_pieces_against_mpmath():
    """One Halley step from the fitted starting values reaches float64 rounding on every piece
    (1e-15 relative, as the whole function's bound), and ndtri's tail, which shares the
    kernel, down to p = 1e-320 (s up to 27)."""
    x = _erfinv_pieces_points()
    got = mt.erfinv(mt.tensor(x)).numpy()
    for xi, gi in zip(x, got):
        with mpmath.workdps(60):
            r = float(mpmath.erfinv(mpmath.mpf(float(xi))))
        assert abs(gi - r) <= 1e-15 * abs(r), f"erfinv({xi!r}) = {gi!r}, not {r!r}"
    p = np.concatenate([np.exp(np.random.default_rng(12).uniform(-737, -1, 40)), [1e-320]])
    got = mt.special.ndtri(mt.tensor(p)).numpy()
    for pi, gi in zip(p, got):
        with mpmath.workdps(400):
            r = float(mpmath.sqrt(2) * mpmath.erfinv(2 * mpmath.mpf(float(pi)) - 1))
        assert abs(gi - r) <= 1e-15 * abs(r), f"ndtri({pi!r}) = {gi!r}, not {r!r}"


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_erfinv_pieces_against_torch(dtype):
    check(lambda T, t: T.erfinv(t), _erfinv_pieces_points().astype(dtype), grad_fn_name=True)


GAMMA_SEAMS = np.array([7.999999, 8.0, 8.000001, 9.999999, 10.0, 10.000001, 0.5, 0.4999999,
                        1.5, 1.4999999, 2.5, 1.4616321449683622, 1e-300, 3.0, 0.1, 19.5])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("shape", [(16,), (4, 4), (2, 2, 4)], ids=str)
@pytest.mark.parametrize("name", ["lgamma", "digamma", "trigamma"])
def test_gamma_family_seams_any_shape(name, shape, dtype):
    """lgamma, digamma and trigamma (digamma's derivative) where their pieces meet (Stirling
    from 8, the shift to 10 and beyond, the reductions at 1/2, 3/2, 5/2), the pieces
    interleaved in arrays of several shapes, and a 0-d input; values and gradients."""
    fn = {"lgamma": lambda T, t: T.lgamma(t), "digamma": lambda T, t: T.digamma(t),
          "trigamma": lambda T, t: T.polygamma(1, t)}[name]
    x = GAMMA_SEAMS.astype(dtype).reshape(shape)
    scale = 1 if name == "lgamma" else TRIGAMMA_SCALE  # torch's trigamma: 5e-10 relative
    check(fn, x, scale=scale)
    check(fn, np.asarray(9.5, dtype), scale=scale)
    if np.dtype(dtype) == np.float64:
        got = fn(mt, mt.tensor(x)).numpy().reshape(-1)
        ref = {"lgamma": lambda v: mpmath.loggamma(v).real, "digamma": mpmath.digamma,
               "trigamma": lambda v: mpmath.psi(1, v)}[name]
        for xi, gi in zip(x.reshape(-1), got):
            r = float(ref(mpmath.mpf(float(xi))))  # (trigamma(1e-300) overflows: inf)
            assert gi == r or abs(gi - r) <= 2e-15 * max(abs(r), 1.0), f"{name}({xi!r}) = {gi}"
