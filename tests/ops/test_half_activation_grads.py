"""float16 gradients of tanh and sigmoid against torch's, bitwise: torch computes tanh's
g (1 - y^2) in float32 and rounds once; its sigmoid's (g (1 - y)) y rounds to float16 after each
op. Every float16 value in [-6, 6] (and the exact ties 0, +-inf), with random float16 g."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt


def _inputs():
    x = np.unique(np.concatenate([np.linspace(-6, 6, 30001).astype(np.float16),
                                  np.array([0.0, -0.0, np.inf, -np.inf], np.float16)]))
    g = np.random.default_rng(0).standard_normal(x.size).astype(np.float16)
    return x, g


@pytest.mark.parametrize("name", ["tanh", "sigmoid"])
@pytest.mark.parametrize("form", ["function", "functional"])
def test_half_grad_bitwise(name, form):
    x, g = _inputs()
    grads = []
    for T in (mt, torch):
        xt = T.tensor(x, requires_grad=True)
        fn = getattr(T, name) if form == "function" else getattr(T.nn.functional, name)
        fn(xt).backward(T.tensor(g))
        grads.append(xt.grad.numpy() if T is torch else np.asarray(xt.grad.numpy()))
    assert grads[0].dtype == grads[1].dtype == np.float16
    np.testing.assert_array_equal(grads[0], grads[1])
