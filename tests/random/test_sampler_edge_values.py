"""torch's samplers at the edges of their parameters, against torch (2.13): each call runs in
both libraries after the same seed and must give the same exception (type and first line of the
message) or the same values and dtype, the same warnings, and leave the generator at the same
place (the next ``rand(3, dtype=float64)`` is compared too: a call that raises draws nothing,
or, for the per-element samplers, exactly what torch drew before the bad element).

The class swept: every in-place sampler and parameter at 0, -0, -1, NaN, +-inf, 1e300, 1e-300
and a valid value, on float16/32/64 (per-element and 16-block sizes, empty) and integer and bool
tensors, where torch checks the parameter before the dtype (``exponential_``, ``cauchy_``,
``log_normal_``, ``normal_``, ``geometric_``) or the dtype first (``uniform_``); ``random_`` and
``randint`` bounds (torch's random_from_to_impl: Python ints only, int64's range, the dtype's
range, float bounds moved to representable integers, the full 64-bit range);
``torch.normal``'s four forms (a NaN or negative std raises); ``poisson`` (also its
rejection test at rates 1e12 to 1e300, where glibc's lgamma and the compiled double floor of
the candidate decide how many draws an element takes) and ``multinomial(replacement=True)``,
which check each element or row as they reach it; ``binomial`` with infinite counts and
float16; ``multinomial``'s arguments, empty inputs and its sum in the input's type;
``randperm``'s ``n`` against the dtype; empty tensors, where torch skips some dtype checks."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt

VALUES = ["0.0", "-0.0", "-1.0", "nan", "inf", "-inf", "1e300", "1e-300", "0.5"]
INPLACE = ["exponential_({v})", "cauchy_(0.0, {v})", "cauchy_({v}, 1.0)", "log_normal_(0.0, {v})",
           "log_normal_({v}, 1.0)", "geometric_({v})", "normal_(0.0, {v})", "normal_({v}, 1.0)",
           "bernoulli_({v})", "uniform_({v}, 1e300)", "uniform_(-1.0, {v})", "uniform_({v}, {v})"]
TENSORS = ["T.empty({n}, dtype=T.float16)", "T.empty({n}, dtype=T.float32)",
           "T.empty({n}, dtype=T.float64)"]
INPLACE_CASES = [f"{t.format(n=n)}.{m.format(v=v)}" for t in TENSORS for n in (5, 20)
                 for m in INPLACE for v in VALUES]
INPLACE_CASES += [f"T.empty(0, dtype=T.float32).{m.format(v=v)}" for m in INPLACE
                  for v in ("nan", "-1.0", "0.5")]
INPLACE_CASES += [f"T.zeros(5, dtype=T.{d}).{m.format(v=v)}"
                  for d in ("int64", "int32", "int8", "uint8", "bool") for m in INPLACE
                  for v in ("0.0", "-1.0", "nan", "inf", "-inf", "0.5")]

BOUNDS = ["0", "-1", "5", "0.5", "nan", "True", "None", "256", "-129", "2**24 + 1", "2**25",
          "2**31", "2**53", "2**53 + 3", "2**60", "2**63 - 1", "2**63", "-2**63", "-2**63 + 1",
          "2**64"]
INT_DTYPES = ("int64", "int32", "int16", "int8", "uint8", "bool", "float16", "float32",
              "float64")
RANDOM_CASES = [f"T.zeros(5, dtype=T.{d}).random_({args})" for d in INT_DTYPES for b in BOUNDS
                for args in (b, f"0, {b}", f"-3, {b}", f"{b}, None")
                # torch's update_from loops forever on from + 1 overflowing int64
                if not (args == "2**63 - 1, None" and d.startswith("float"))]
RANDOM_CASES += [f"T.zeros(5, dtype=T.{d}).random_({args})" for d in INT_DTYPES
                 for args in ("2**24 + 1, 2**24 + 3", "2**53 + 1, 2**53 + 2", "-2**25, 5",
                              "2**62, 2**63 - 1", "70000", "from_=3", "**{'from': 3}",
                              "**{'from': 3, 'to': 9}", "3, to=9")]
RANDOM_CASES += [f"T.empty(0, dtype=T.{d}).random_({args})" for d in ("float32", "int8")
                 for args in ("2**60, None", "0, 2**31", "4, 2")]
RANDOM_CASES += [f"T.randint({a}, (5,), dtype=T.{d})" for d in INT_DTYPES
                 for a in ("0, 2**63", "2**63", "0, 2**31", "2**31", "0, 2**53", "-3, 256",
                           "0, 0.5", "True, 5", "-2**63, 2**63 - 1", "2**27", "2**29 + 1, 2**30")]
RANDOM_CASES += ["T.randint(2.5, (3,))", "T.randint(0, 2.5, (3,))", "T.randint(True, (3,))",
                 "T.randint(0, 2**64, (3,))", "T.randint(-2**63 - 1, 0, (3,))"]

NORMAL_CASES = []
for d in ("float16", "float32", "float64"):
    for v in VALUES + ["1e38"]:
        NORMAL_CASES += [
            f"T.normal(T.zeros(5, dtype=T.{d}), {v})", f"T.normal(T.zeros(20, dtype=T.{d}), {v})",
            f"T.normal(T.zeros(0, dtype=T.{d}), {v})", f"T.normal({v}, T.ones(5, dtype=T.{d}))",
            f"T.normal(T.zeros(3, dtype=T.{d}), T.tensor([1.0, {v}, 1.0], dtype=T.{d}))",
            f"T.normal(T.full((20,), {v}, dtype=T.{d}), T.ones(20, dtype=T.{d}))",
            f"T.normal(0.0, {v}, (5,), dtype=T.{d})", f"T.normal({v}, 1.0, (5,), dtype=T.{d})"]
NORMAL_CASES += ["T.normal(T.zeros(3, dtype=T.int64), -1.0)",
                 "T.normal(T.zeros(3, dtype=T.int64), 1.0)",
                 "T.normal(1e300, T.ones(3, dtype=T.int64))",
                 "T.normal(1.0, T.ones(3, dtype=T.int64))",
                 "T.normal(0.0, -1.0, (3,), dtype=T.int64)", "T.normal(1e300, -T.ones(3))",
                 "T.normal(T.zeros(3), T.ones(3, dtype=T.int64))",
                 "T.normal(T.zeros(20), T.full((20,), 3, dtype=T.int64))",
                 "T.normal(T.zeros(3), -T.ones(3, dtype=T.int64))"]

COUNT_CASES = []
for d in ("float32", "float64"):
    for v in VALUES + ["1e38"]:
        COUNT_CASES += [
            f"T.poisson(T.tensor([1.0, {v}, 20.0], dtype=T.{d}))",
            f"T.poisson(T.tensor([{v}, 1.0], dtype=T.{d}))",
            f"T.multinomial(T.tensor([1.0, {v}, 2.0], dtype=T.{d}), 4, True)",
            f"T.multinomial(T.tensor([[1.0, 2.0], [1.0, {v}]], dtype=T.{d}), 3, True)",
            f"T.multinomial(T.tensor([[1.0, {v}], [-1.0, inf]], dtype=T.{d}), 3, True)",
            f"T.multinomial(T.tensor([1.0, {v}, 2.0], dtype=T.{d}), 2)",
            f"T.binomial(T.tensor([5.0, 10.0, 200.0], dtype=T.{d}), "
            f"T.tensor([{v}, 0.5, {v}], dtype=T.{d}))"]
        if v != "nan":  # a NaN count makes torch's inversion loop run forever
            COUNT_CASES += [f"T.binomial(T.tensor([5.0, {v}, 20.0], dtype=T.{d}), "
                            f"T.tensor([0.3, 0.5, 0.7], dtype=T.{d}))",
                            f"T.binomial(T.tensor([{v}, 30.0], dtype=T.{d}), "
                            f"T.tensor([0.8, 0.2], dtype=T.{d}))"]
COUNT_CASES += [f"T.poisson(T.tensor([{r}, 3.0, {r}, 10.0, 11.0], dtype=T.float64))"
                for r in ("1e12", "3e13", "1e14", "1e15", "1e16", "9.2e18", "9.3e18", "1e19",
                          "1e20", "1e30")]
COUNT_CASES += ["T.binomial(T.tensor([5.0, 3.0], dtype=T.float16), T.tensor([0.3, 0.5], "
                "dtype=T.float16))", "T.poisson(T.tensor([1.0, -1.0], dtype=T.float16))",
                "T.multinomial(T.tensor([1.0, inf], dtype=T.float16), 3, True)"]

MULTINOMIAL_CASES = [f"T.multinomial({p}, {k}, {r})" for r in ("True", "False")
                     for k in ("0", "-1", "1", "3", "4", "2.0", "True")
                     for p in ("T.tensor([1.0, 2.0, 3.0])", "T.zeros(0)", "T.zeros(2, 0)",
                               "T.zeros(0, 3)", "T.ones(1, 1, 3)", "T.tensor(1.0)",
                               "T.tensor([1, 2, 3])",
                               "T.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])",
                               "T.tensor([3e38, 3e38, 1.0])",
                               "T.tensor([[1.0, 2.0], [3e38, 3e38]])",
                               "T.tensor([1.0, 2.0, 3.0], dtype=T.float16)")]
# the sum accumulated in the input's type (float16: float32): tiny entries after a large one
MULTINOMIAL_CASES += [f"T.multinomial(T.tensor([1.0] + [{tiny}] * {n} + [1.0], dtype=T.{d}), "
                      "5000, True)" for d, tiny, n in (("float32", "1e-8", 100000),
                                                       ("float64", "1e-17", 100000),
                                                       ("float16", "1e-4", 10000),
                                                       ("float16", "1e-3", 3000))]

RANDPERM_CASES = [f"T.randperm({n}, dtype=T.{d})"
                  for d in ("int64", "int32", "int16", "int8", "uint8", "float16", "float32",
                            "float64", "bool")
                  for n in ("0", "1", "-1", "128", "129", "256", "257", "2049", "2050", "32768",
                            "32769", "70000", "2.0", "True", "T.tensor(5)")]
RANDPERM_CASES += ["T.randperm(2.0)", "T.randperm(True)",
                   "T.randperm(3.5, generator=T.Generator())",
                   "T.randperm(2**24 + 2, dtype=T.float32)", "T.randperm(np.int64(5))",
                   "T.randint(0, 2.5, (3,), generator=T.Generator())",
                   "T.randint(2.5, (3,), generator=T.Generator())"]

# an empty tensor: torch returns before some dtype checks (not cauchy_'s or uniform_'s)
EMPTY_CASES = [f"T.empty({shape}, dtype=T.{d}).{m}" for d in ("int64", "uint8", "int8", "bool")
               for shape in ("0", "2, 0")
               for m in ("exponential_(1.0)", "exponential_(-1.0)", "cauchy_()",
                         "cauchy_(0.0, -1.0)", "log_normal_()", "log_normal_(0.0, -1.0)",
                         "geometric_(0.5)", "normal_()", "normal_(0.0, -1.0)", "uniform_()",
                         "bernoulli_(0.5)", "bernoulli_(2.0)", "random_()", "random_(0, 5)",
                         "random_(5, 1)", "random_(-2**63, None)", "random_(0, 2**40)")]
EMPTY_CASES += [f.format(d=d) for d in ("int64", "uint8", "bool", "float16") for f in (
    "T.randn((0,), dtype=T.{d})", "T.rand((0,), dtype=T.{d})", "T.randn((2, 0), dtype=T.{d})",
    "T.normal(0.0, 1.0, (0,), dtype=T.{d})", "T.normal(T.zeros(0, dtype=T.{d}), 1.0)",
    "T.normal(0.0, T.zeros(0, dtype=T.{d}))", "T.randn_like(T.zeros(0, dtype=T.{d}))",
    "T.bernoulli(T.zeros(0, dtype=T.{d}))", "T.poisson(T.zeros(0, dtype=T.{d}))",
    "T.empty(0, dtype=T.{d}).random_(-2**63, None)")]


def run(T, expr: str, seed: int):
    T.manual_seed(seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            r = eval(expr, {"T": T, "inf": float("inf"), "nan": float("nan"), "np": np})
            outcome = ("value", str(r.dtype), r.detach().numpy().copy())
        except Exception as e:  # noqa: BLE001 - the point is to compare what is raised
            outcome = ("error", type(e).__name__, str(e).split("\n")[0])
    # torch's C++ warnings end with where they were raised: "(Triggered internally at ...)"
    messages = [(w.category.__name__, str(w.message).split(" (Triggered internally")[0])
                for w in caught if "out of bounds" in str(w.message)]
    return outcome, messages, T.rand(3, dtype=T.float64).numpy()


def check(expr: str, seed: int = 0) -> None:
    (ours, our_warnings, our_next) = run(mt, expr, seed)
    (theirs, their_warnings, their_next) = run(torch, expr, seed)
    assert ours[:2] == theirs[:2], f"{ours[:2]} != torch's {theirs[:2]}"
    if ours[0] == "error":
        assert ours[2] == theirs[2], f"message {ours[2]!r} != torch's {theirs[2]!r}"
    else:
        np.testing.assert_array_equal(ours[2], theirs[2])
    assert our_warnings == their_warnings
    np.testing.assert_array_equal(our_next, their_next, err_msg="the stream after the call")


@pytest.mark.parametrize("expr", INPLACE_CASES)
def test_inplace_sampler_parameters(expr):
    check(expr)


@pytest.mark.parametrize("expr", RANDOM_CASES)
def test_random_and_randint_bounds(expr):
    check(expr)


@pytest.mark.parametrize("expr", NORMAL_CASES)
def test_normal_forms(expr):
    check(expr)


@pytest.mark.parametrize("seed", [0, 5])
@pytest.mark.parametrize("expr", COUNT_CASES)
def test_count_samplers(expr, seed):
    check(expr, seed)


@pytest.mark.parametrize("expr", MULTINOMIAL_CASES)
def test_multinomial_arguments(expr):
    check(expr)


@pytest.mark.parametrize("expr", RANDPERM_CASES)
def test_randperm_arguments(expr):
    check(expr)


@pytest.mark.parametrize("expr", EMPTY_CASES)
def test_empty_tensors(expr):
    check(expr)


def test_poisson_lgamma_is_glibcs():
    """The rejection test's lgamma at whole numbers, bitwise against the C library's (torch's
    std::lgamma) on 20,000 arguments from 1 to 1e19 and the edges."""
    import ctypes
    import ctypes.util
    import math
    from minitorch_ref._random_counts import _lgamma
    name = ctypes.util.find_library("m")
    if name is None:
        pytest.skip("no C math library to compare with")
    libm = ctypes.CDLL(name)
    libm.lgamma.restype, libm.lgamma.argtypes = ctypes.c_double, [ctypes.c_double]
    rng = np.random.default_rng(0)
    xs = np.floor(10.0 ** rng.uniform(0, 19, 20000)) + 1.0
    xs = np.concatenate([xs, np.arange(1.0, 20.0), [2.0 ** 58, 2.0 ** 58 + 4096, 1e300, np.inf]])
    bad = [x for x in xs.tolist() if _lgamma(x) != libm.lgamma(x)]
    assert not bad, f"{len(bad)} differ, first {bad[:3]}"
    assert math.isnan(_lgamma(float("nan")))
