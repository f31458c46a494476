"""Normalizations differentiated with create_graph=True where only the parameters require
grad (the input a constant, as when a loss's gradient with respect to the weights is itself
differentiated): the first derivatives, then the second derivatives of their sum, against
torch. Under create_graph the forward is replayed on recorded values, and a constant input
there meets recorded parameters (an in-place add of a recorded bias into a plain array raised;
group norm's float16 gradients are torch's tensor-op formula there, whatever requires grad)."""
import numpy as np
import pytest
import torch

from harness import LIBS, assert_close

NORMS = {
    "layer_norm": lambda T, x, w, b: T.nn.functional.layer_norm(
        x, (5,), None if w is None else w[:5], None if b is None else b[:5]),
    "group_norm": lambda T, x, w, b: T.nn.functional.group_norm(x, 3, w, b),
    "batch_norm": lambda T, x, w, b: T.nn.functional.batch_norm(x, None, None, w, b, True),
    "batch_norm_eval": lambda T, x, w, b: T.nn.functional.batch_norm(
        x, T.zeros(6, dtype=x.dtype), T.ones(6, dtype=x.dtype), w, b, False),
    "instance_norm": lambda T, x, w, b: T.nn.functional.instance_norm(x, weight=w, bias=b),
}
CASES = [(n, d) for n in NORMS for d in (np.float32, np.float64)] + [("group_norm", np.float16)]


@pytest.mark.parametrize("requires", ["weight+bias", "weight", "bias"])
@pytest.mark.parametrize("norm,dtype", CASES)
def test_parameters_only_create_graph(norm, dtype, requires):
    rng = np.random.default_rng(3)
    x = (rng.standard_normal((4, 6, 5)) * 3 + 1).astype(dtype)
    g = rng.standard_normal(x.shape).astype(dtype)
    w = rng.uniform(0.5, 1.5, 6).astype(dtype)
    b = rng.uniform(-1, 1, 6).astype(dtype)
    res = []
    for T in LIBS:
        wl = T.tensor(w, requires_grad="weight" in requires)
        bl = T.tensor(b, requires_grad="bias" in requires)
        leaves = [t for t in (wl, bl) if t.requires_grad]
        out = NORMS[norm](T, T.tensor(x), wl, bl)
        grads = T.autograd.grad(out, leaves, T.tensor(g), create_graph=True)
        s = sum((gr * T.tensor(np.linspace(-1, 1, gr.numel()).astype(dtype)).reshape(gr.shape))
                .sum() for gr in grads)
        second = (T.autograd.grad(s, leaves, allow_unused=True) if s.requires_grad
                  else [None] * len(leaves))
        res.append((grads, second))
    (tgrads, tsecond), (grads, second) = res
    for a, t in zip(grads, tgrads):
        assert_close(a, t, "first derivative")
    for a, t in zip(second, tsecond):
        assert (a is None) == (t is None)
        if t is not None:
            assert_close(a, t, "second derivative")
