"""GELU's lower tail against torch's, both approximations: torch forms (1 + erf(x / sqrt 2)) and
(1 + tanh u) in the input's dtype (float32 for float16), so they are multiples of q, the spacing
of that dtype just below 1, and exactly 0 below x = -8.3 (float64, erf), -5.5 (float32, erf),
about -7.2 (float64, tanh) and -5.06 (float32, tanh: SLEEF's tanh is -1 from u = -8.66 on).
The value and gradient are 0 (with torch's sign) where torch's are, within the float
tolerances elsewhere, over 8,000 points from -1e3 to 1e3 (log-spaced) and the dense stretch
where the zeros begin. Where torch's erf or tanh is itself 1 ulp off (the zeros' first
points), the two may differ by one step of q (a value 0 against q |x| / 2), never by a value
far below it (Phi from erfc alone, 1e-88 at x = -20)."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt

TOL = {np.float64: dict(rtol=1e-10, atol=1e-12), np.float32: dict(rtol=1e-5, atol=1e-6),
       np.float16: dict(rtol=1e-3, atol=1e-5)}


def _x(dtype):
    x = np.logspace(-1, 3, 4001)
    x = np.concatenate([-x, x, -np.linspace(4.5, 9.5, 4001)])
    return np.unique(x.astype(dtype))


def _run(T, x, approximate):
    xt = T.tensor(x, requires_grad=True)
    y = T.nn.functional.gelu(xt, approximate=approximate)
    y.sum().backward()
    return y.detach().numpy(), xt.grad.numpy()


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("approximate", ["none", "tanh"])
@pytest.mark.parametrize("part", ["value", "gradient"])
def test_gelu_lower_tail(dtype, approximate, part, request):
    if (part, approximate, dtype) == ("gradient", "none", np.float32):
        request.applymarker(pytest.mark.xfail(strict=True, reason="torch's float32 exact GELU backward is oneDNN's, which rounds "
                     "1 + erf + x sqrt(2/pi) exp(-x^2/2) as a whole: 0 below x = -6.15"))
    x = _x(dtype)
    i = 0 if part == "value" else 1
    ours, theirs = _run(mt, x, approximate)[i], _run(torch, x, approximate)[i]
    assert ours.dtype == theirs.dtype
    zero = theirs == 0
    q = np.finfo(np.promote_types(dtype, np.float32)).epsneg
    step = np.broadcast_to(q * np.abs(x.astype(np.float64)) / 2 if part == "value" else q / 2,
                           x.shape)
    differ = (ours == 0) != zero
    off = np.abs(np.where(zero, ours, theirs)).astype(np.float64)
    below = differ & (off < step / 2)
    assert not below.any(), f"0 against a value below one step of q at x = {x[below]}"
    both = zero & (ours == 0)
    np.testing.assert_array_equal(np.signbit(ours[both]), np.signbit(theirs[both]))
    np.testing.assert_allclose(ours, theirs, **TOL[dtype])
