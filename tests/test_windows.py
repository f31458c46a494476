"""Window functions against torch: hann, hamming, bartlett, blackman, kaiser over lengths 0..64
and a long one, periodic or not, their parameters, dtypes (default, float64, float16, the
default dtype changed), requires_grad, and torch's errors. Bartlett, and the others but kaiser in
float16, are bit-identical; the rest differ where the two libraries' cos (or kaiser's I0) round
differently in the last bits."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt

NAMES = ["hann_window", "hamming_window", "bartlett_window", "blackman_window",
         "kaiser_window"]
LENGTHS = list(range(0, 65)) + [1000]
TOL = {torch.float32: dict(rtol=1e-6, atol=1e-7), torch.float64: dict(rtol=1e-13, atol=1e-15),
       torch.float16: dict(rtol=1e-3, atol=1e-3)}


def both(name, *args, dtype=None, **kwargs):
    ours = getattr(mt, name)(*args, dtype=None if dtype is None else getattr(mt, str(dtype)[6:]),
                             **kwargs)
    theirs = getattr(torch, name)(*args, dtype=dtype, **kwargs)
    return ours, theirs


def same(ours, theirs, exact: bool) -> None:
    assert ours.dtype == getattr(mt, str(theirs.dtype)[6:])
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.requires_grad == theirs.requires_grad
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    if exact:
        np.testing.assert_array_equal(a, b)
    else:
        np.testing.assert_allclose(a, b, **TOL[theirs.dtype])


@pytest.mark.parametrize("dtype", [None, torch.float64, torch.float16])
@pytest.mark.parametrize("periodic", [True, False])
@pytest.mark.parametrize("name", NAMES)
def test_values_as_torch(name, periodic, dtype):
    for n in LENGTHS:
        ours, theirs = both(name, n, periodic, dtype=dtype)
        same(ours, theirs, exact=name == "bartlett_window" or (
            dtype == torch.float16 and name != "kaiser_window"))


@pytest.mark.parametrize("args", [(7,), (8, False, 0.6), (9, True, 0.5, 0.3),
                                  (10, False, 1.0, 0.0)])
def test_hamming_parameters(args):
    same(*both("hamming_window", *args), exact=False)


@pytest.mark.parametrize("args", [(7,), (8, False, 5.0), (9, True, 0.0), (12, True, 30.0)])
def test_kaiser_beta(args):
    same(*both("kaiser_window", *args), exact=False)


@pytest.mark.parametrize("name", NAMES)
def test_requires_grad_and_default_dtype(name):
    same(*both(name, 6, requires_grad=True), exact=name == "bartlett_window")
    mt.set_default_dtype(mt.float64)
    torch.set_default_dtype(torch.float64)
    try:
        same(*both(name, 6), exact=name == "bartlett_window")
    finally:
        mt.set_default_dtype(mt.float32)
        torch.set_default_dtype(torch.float32)


def outcome(T, f) -> str:
    try:
        f(T)
    except Exception as e:  # noqa: BLE001 - the error is the observation
        return f"{type(e).__name__}: {e}"
    return "ok"


ERRORS = [
    lambda T: T.hann_window(-1),
    lambda T: T.kaiser_window(-2, False),
    lambda T: T.hann_window(3, dtype=T.int64),
    lambda T: T.kaiser_window(3, dtype=T.int32),
    lambda T: T.bartlett_window(3, dtype=T.bool, requires_grad=True),
    lambda T: T.blackman_window(2.5),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors_as_torch(i):
    assert outcome(mt, ERRORS[i]) == outcome(torch, ERRORS[i])


def test_refused_arguments_of_the_right_type():
    with pytest.raises(TypeError):
        torch.hann_window(3, periodic=1)
    with pytest.raises(TypeError):
        mt.hann_window(3, periodic=1)
