"""nn.init parity: the same seed gives torch's initial weights, and the stream stays in step."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import assert_close, check_raises

SHAPES = [(5, 3), (3, 5), (40, 30), (16, 1), (1, 16), (8, 3, 3, 3), (4, 2, 5), (6, 4, 2, 3, 3)]
DTYPES = ("float32", "float64")


def run_both(fn, shape, dt, seed=0):
    """Seed both libraries, apply ``fn(T, tensor)`` and return (ours, torch's, draw after)."""
    out = {}
    for T in (torch, mt):
        T.manual_seed(seed)
        t = T.empty(shape, dtype=getattr(T, dt))
        r = fn(T, t)
        assert r is t, "init functions return their tensor"
        out[T] = (t, T.rand(3))
    return out[mt][0], out[torch][0], out[mt][1], out[torch][1]


def exact(ours, theirs):
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_array_equal(a, b)


RANDOM_INITS = {
    "uniform": lambda T, t: T.nn.init.uniform_(t),
    "uniform_ab": lambda T, t: T.nn.init.uniform_(t, -0.2, 0.7),
    "normal": lambda T, t: T.nn.init.normal_(t),
    "normal_ms": lambda T, t: T.nn.init.normal_(t, 0.1, 0.02),
    "xavier_uniform": lambda T, t: T.nn.init.xavier_uniform_(t),
    "xavier_uniform_gain": lambda T, t: T.nn.init.xavier_uniform_(
        t, gain=T.nn.init.calculate_gain("relu")),
    "xavier_normal": lambda T, t: T.nn.init.xavier_normal_(t, gain=0.5),
    "kaiming_uniform": lambda T, t: T.nn.init.kaiming_uniform_(t),
    "kaiming_uniform_linear": lambda T, t: T.nn.init.kaiming_uniform_(t, a=math.sqrt(5)),
    "kaiming_uniform_fan_out": lambda T, t: T.nn.init.kaiming_uniform_(
        t, mode="fan_out", nonlinearity="relu"),
    "kaiming_normal": lambda T, t: T.nn.init.kaiming_normal_(t),
    "kaiming_normal_tanh": lambda T, t: T.nn.init.kaiming_normal_(
        t, mode="fan_out", nonlinearity="tanh"),
    "trunc_normal": lambda T, t: T.nn.init.trunc_normal_(t),
    "trunc_normal_vit": lambda T, t: T.nn.init.trunc_normal_(t, std=0.02),
    "trunc_normal_narrow": lambda T, t: T.nn.init.trunc_normal_(t, mean=0.0, std=1.0, a=0.5,
                                                                b=0.7),
    "trunc_normal_tight": lambda T, t: T.nn.init.trunc_normal_(t, mean=0.1, std=1.0, a=-0.1,
                                                               b=0.2),
}


@pytest.mark.parametrize("name", sorted(RANDOM_INITS))
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("seed", (0, 17))
def test_random_inits_bit_identical(name, shape, dt, seed):
    ours, theirs, after_o, after_t = run_both(RANDOM_INITS[name], shape, dt, seed)
    exact(ours, theirs)
    exact(after_o, after_t)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("gain", (1.0, 2.5))
def test_orthogonal(shape, dt, gain):
    """Same normals as torch; the QR is LAPACK's in both, so equal to rounding."""
    ours, theirs, after_o, after_t = run_both(
        lambda T, t: T.nn.init.orthogonal_(t, gain=gain), shape, dt, seed=3)
    assert_close(ours, theirs, "orthogonal")
    exact(after_o, after_t)
    flat = ours.detach().numpy().reshape(shape[0], -1).astype(np.float64) / gain
    small = min(flat.shape)
    gram = flat @ flat.T if flat.shape[0] == small else flat.T @ flat
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-5)


@pytest.mark.parametrize("shape", [(10, 6), (7, 20)])
@pytest.mark.parametrize("sparsity", (0.1, 0.5))
def test_sparse(shape, sparsity):
    ours, theirs, after_o, after_t = run_both(
        lambda T, t: T.nn.init.sparse_(t, sparsity, std=0.05), shape, "float32", seed=2)
    exact(ours, theirs)
    exact(after_o, after_t)


def test_generator_argument():
    for name in ("uniform_", "normal_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
                 "kaiming_normal_", "trunc_normal_", "orthogonal_"):
        outs = []
        for T in (torch, mt):
            T.manual_seed(0)
            g = T.Generator().manual_seed(77)
            t = T.empty(6, 5)
            getattr(T.nn.init, name)(t, generator=g)
            outs.append((t, T.rand(2)))
        if name == "orthogonal_":
            assert_close(outs[1][0], outs[0][0])
        else:
            exact(outs[1][0], outs[0][0])
        exact(outs[1][1], outs[0][1])


@pytest.mark.parametrize("shape", [(5, 5), (3, 7), (7, 3)])
def test_eye(shape):
    ours, theirs, *_ = run_both(lambda T, t: T.nn.init.eye_(t), shape, "float32")
    exact(ours, theirs)


@pytest.mark.parametrize("shape,groups", [((4, 4, 3), 1), ((6, 3, 3, 3), 2), ((4, 6, 3, 3), 1),
                                          ((6, 2, 3, 3, 3), 3), ((2, 5, 4, 4), 1)])
def test_dirac(shape, groups):
    ours, theirs, *_ = run_both(lambda T, t: T.nn.init.dirac_(t, groups), shape, "float64")
    exact(ours, theirs)


@pytest.mark.parametrize("fn", [
    lambda T, t: T.nn.init.constant_(t, 0.3),
    lambda T, t: T.nn.init.ones_(t),
    lambda T, t: T.nn.init.zeros_(t),
])
def test_constant_inits(fn):
    ours, theirs, after_o, after_t = run_both(fn, (3, 4), "float32")
    exact(ours, theirs)
    exact(after_o, after_t)


def test_inits_work_on_parameters_without_recording_history():
    for T in (torch, mt):
        T.manual_seed(0)
        w = T.nn.Parameter(T.empty(4, 3))
        T.nn.init.kaiming_uniform_(w, a=math.sqrt(5))
        assert w.requires_grad and w.grad_fn is None
    mt.manual_seed(0)
    torch.manual_seed(0)
    wo = mt.nn.init.kaiming_uniform_(mt.nn.Parameter(mt.empty(4, 3)), a=math.sqrt(5))
    wt = torch.nn.init.kaiming_uniform_(torch.nn.Parameter(torch.empty(4, 3)), a=math.sqrt(5))
    exact(wo, wt)


def test_linear_default_init_order():
    """nn.Linear: kaiming_uniform_(weight, a=sqrt(5)), then bias ~ U(-1/sqrt(fan_in), ...)."""
    torch.manual_seed(5)
    lin = torch.nn.Linear(7, 4)
    mt.manual_seed(5)
    w = mt.empty(4, 7)
    b = mt.empty(4)
    mt.nn.init.kaiming_uniform_(w, a=math.sqrt(5))
    fan_in, _ = mt.nn.init._calculate_fan_in_and_fan_out(w)
    bound = 1 / math.sqrt(fan_in)
    mt.nn.init.uniform_(b, -bound, bound)
    exact(w, lin.weight)
    exact(b, lin.bias)


@pytest.mark.parametrize("shape", [(4, 3), (4, 3, 5), (2, 3, 4, 5)])
def test_calculate_fan_in_and_fan_out(shape):
    assert mt.nn.init._calculate_fan_in_and_fan_out(mt.empty(shape)) == \
        torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


@pytest.mark.parametrize("args", [("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",),
                                  ("leaky_relu",), ("leaky_relu", 0.2), ("leaky_relu", 1),
                                  ("selu",), ("conv_transpose3d",)])
def test_calculate_gain(args):
    assert mt.nn.init.calculate_gain(*args) == torch.nn.init.calculate_gain(*args)


@pytest.mark.parametrize("bad", [
    lambda T: T.nn.init.calculate_gain("softmax"),
    lambda T: T.nn.init.calculate_gain("leaky_relu", True),
    lambda T: T.nn.init.calculate_gain("leaky_relu", "0.1"),
    lambda T: T.nn.init.xavier_uniform_(T.empty(5)),
    lambda T: T.nn.init.kaiming_normal_(T.empty(5)),
    lambda T: T.nn.init.kaiming_uniform_(T.empty(5, 3), mode="fan_avg"),
    lambda T: T.nn.init.eye_(T.empty(2, 2, 2)),
    lambda T: T.nn.init.dirac_(T.empty(3, 3)),
    lambda T: T.nn.init.dirac_(T.empty(3, 3, 3), groups=2),
    lambda T: T.nn.init.orthogonal_(T.empty(3)),
    lambda T: T.nn.init.sparse_(T.empty(3, 3, 3), 0.1),
])
def test_bad_input(bad):
    check_raises(bad)


def test_zero_element_kaiming_warns_and_draws_nothing():
    for T in (torch, mt):
        T.manual_seed(1)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            T.nn.init.kaiming_uniform_(T.empty(0, 3))
        assert any("zero-element" in str(x.message) for x in w)
    exact(mt.rand(2), torch.rand(2))


def test_deprecated_aliases_warn():
    t = mt.empty(3, 3)
    with pytest.warns(FutureWarning, match="deprecated"):
        mt.nn.init.xavier_uniform(t)
