"""var, std, var_mean and std_mean gradients where torch's backward formula, not the forward's,
decides: corrections at and beyond the reduced count (n - c <= 0: the forward divides by 0 and is
inf or NaN, while the backward divides by n - c itself, negative or zero), no dim against an
explicit dim (without one, n - c <= 0 gives NaN where an element equals the mean and inf
elsewhere), an explicit empty dim list (torch's backward counts 1), 0-d inputs, and inputs with
inf and NaN. Values and gradients must have torch's NaNs, infinities and signs of zero."""
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import to_numpy

INPUTS = {
    "ramp": np.linspace(-1, 2, 12).reshape(3, 4),
    "constant-row": np.array([[1.0, 1, 1, 1], [0, 1, 2, 3], [-2, 5, 0.5, 0]]),
    "with-inf": np.array([[1.0, np.inf, 2, 3], [0, 1, 2, 3], [-np.inf, 5, 0.5, 0]]),
    "all-inf": np.full((3, 4), np.inf),
    "with-nan": np.array([[1.0, np.nan, 2, 3], [0, 1, 2, 3], [4, 5, 0.5, 0]]),
    "0-d": np.array(2.5),
}
DIMS = {"none": None, "0": 0, "1": 1, "-1": -1, "both": (0, 1), "empty": ()}
CORRECTIONS = [0, 1, 2, 3, 4, 5, 12, 13, 20]


def _run(T, fn, x0, dim, correction, keepdim, dtype, which):
    x = T.tensor(x0.astype(dtype), requires_grad=True)
    kw = dict(correction=correction, keepdim=keepdim)
    if dim is not None:
        kw["dim"] = dim
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = getattr(T, fn)(x, **kw)
    outs = out if isinstance(out, tuple) else (out,)
    used = [o for o, w in zip(outs, which) if w]
    g = [T.tensor(np.linspace(0.5, 1.5, o.numel()).reshape(o.shape).astype(dtype)) for o in used]
    T.autograd.backward(used, g)
    return [to_numpy(o.detach()).copy() for o in outs] + [to_numpy(x.grad).copy()]


def _assert_same(got, want, what):
    assert got.dtype == want.dtype and got.shape == want.shape, what
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg=f"{what}: NaN")
    np.testing.assert_array_equal(np.isposinf(got), np.isposinf(want), err_msg=f"{what}: +inf")
    np.testing.assert_array_equal(np.isneginf(got), np.isneginf(want), err_msg=f"{what}: -inf")
    zeros = (got == 0) & (want == 0)
    np.testing.assert_array_equal(np.signbit(got[zeros]), np.signbit(want[zeros]),
                                  err_msg=f"{what}: sign of zero")
    finite = np.isfinite(want)
    rtol = 1e-5 if got.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(got[finite], want[finite], rtol=rtol, atol=rtol, err_msg=what)


def _cases():
    for fn, outputs in (("var", [(1,)]), ("std", [(1,)]),
                        ("var_mean", [(1, 1), (1, 0)]), ("std_mean", [(1, 1), (1, 0)])):
        for name, x0 in INPUTS.items():
            for dname, dim in DIMS.items():
                if x0.ndim == 0 and dname not in ("none", "0", "-1", "empty"):
                    continue
                for which in outputs:
                    yield pytest.param(fn, name, dname, which,
                                       id=f"{fn}-{name}-dim{dname}-{''.join(map(str, which))}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("fn, inputs, dims, which", list(_cases()))
def test_var_family_gradient_at_any_correction(fn, inputs, dims, which, keepdim, dtype):
    x0, dim = INPUTS[inputs], DIMS[dims]
    for correction in CORRECTIONS:
        want = _run(torch, fn, x0, dim, correction, keepdim, dtype, which)
        got = _run(mt, fn, x0, dim, correction, keepdim, dtype, which)
        for k, (g, w) in enumerate(zip(got, want)):
            _assert_same(g, w, f"correction={correction}, result {k}")
