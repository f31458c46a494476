"""nn.utils.parametrize, nn.utils.parametrizations (weight_norm, spectral_norm) and the legacy
hook forms nn.utils.weight_norm / spectral_norm against torch: the class swap, reprs, state_dict
keys and values, forward values and gradients, power-iteration buffers from the same seed over
training steps, eval mode, removal, loading state dicts, warnings and errors."""
import copy
import pickle
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check_raises


def compare(res, scale: float = 1.0):
    """res[T] = list of tensors / strings / other values; compare position by position."""
    for i, (o, t) in enumerate(zip(res[mt], res[torch])):
        if isinstance(t, torch.Tensor):
            assert_close(o, t, f"item {i}", scale)
        else:
            assert o == t, f"item {i}: {o!r} != torch's {t!r}"
    assert len(res[mt]) == len(res[torch])


def sd_items(m):
    sd = m.state_dict()
    return [list(sd)] + list(sd.values())


def grads(m):
    return [p.grad for _, p in m.named_parameters()] + [[n for n, _ in m.named_parameters()]]


def make_param_classes(T):
    class Symmetric(T.nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

        def right_inverse(self, A):
            return A.triu()

    class Scale(T.nn.Module):
        def forward(self, X):
            return X * 2

    class RankOne(T.nn.Module):
        def forward(self, x, y):
            return x.unsqueeze(-1) @ y.unsqueeze(-2)

        def right_inverse(self, Z):
            return Z[:, 0], Z[0].clone()

    class Half(T.nn.Module):
        def forward(self, X):
            return X[:1]

    class ToDouble(T.nn.Module):
        def forward(self, X):
            return X.double()
    return Symmetric, Scale, RankOne, Half, ToDouble


def test_register_parametrization_class_swap_state_and_gradients():
    def run(T):
        P = T.nn.utils.parametrize
        Symmetric, Scale, _, _, _ = make_param_classes(T)
        T.manual_seed(0)
        m = T.nn.Linear(3, 3)
        orig = m.weight
        P.register_parametrization(m, "weight", Symmetric())
        out = [type(m).__name__, type(m).__bases__[0].__name__, repr(m),
               P.is_parametrized(m), P.is_parametrized(m, "weight"), P.is_parametrized(m, "bias"),
               m.parametrizations.weight.original is orig, m.weight]
        P.register_parametrization(m, "weight", Scale())
        out += [repr(m), m.weight, P.type_before_parametrizations(m).__name__]
        y = m(T.ones(2, 3)).pow(2).sum()
        y.backward()
        out += grads(m) + sd_items(m)
        m.weight = T.eye(3) * 4  # assignment: right_inverse of Scale is missing -> error below
        return out
    for T in LIBS:
        with pytest.raises(RuntimeError, match="Scale does not implement right_inverse"):
            run(T)

    def run2(T):
        P = T.nn.utils.parametrize
        Symmetric, Scale, _, _, _ = make_param_classes(T)
        T.manual_seed(0)
        m = T.nn.Linear(3, 3)
        P.register_parametrization(m, "weight", Symmetric())
        out = [repr(m), m.weight]
        y = m(T.ones(2, 3)).pow(2).sum()
        y.backward()
        out += grads(m) + sd_items(m)
        m.weight = T.arange(9.0).reshape(3, 3)
        out += [m.parametrizations.weight.original, m.weight]
        with P.cached():
            out.append(m.weight is m.weight)
        out.append(m.weight is m.weight)
        out.append(copy.deepcopy(m).weight)
        return out
    compare({T: run2(T) for T in LIBS})


@pytest.mark.parametrize("leave", [True, False])
def test_remove_parametrizations(leave):
    def run(T):
        P = T.nn.utils.parametrize
        Symmetric, _, _, _, _ = make_param_classes(T)
        T.manual_seed(0)
        m = T.nn.Linear(3, 3)
        P.register_parametrization(m, "weight", Symmetric())
        orig = m.parametrizations.weight.original
        P.remove_parametrizations(m, "weight", leave_parametrized=leave)
        return [type(m).__name__, repr(m), m.weight is orig, hasattr(m, "parametrizations"),
                type(m.weight).__name__] + sd_items(m)
    compare({T: run(T) for T in LIBS})


def test_several_originals_and_buffers():
    def run(T):
        P = T.nn.utils.parametrize
        _, Scale, RankOne, _, _ = make_param_classes(T)
        T.manual_seed(0)
        m = T.nn.Linear(3, 3)
        P.register_parametrization(m, "weight", RankOne())
        m.register_buffer("buf", T.ones(2))
        P.register_parametrization(m, "buf", Scale())
        out = [m.weight, m.buf, repr(m)] + sd_items(m)
        m(T.ones(1, 3)).sum().backward()
        out += grads(m)
        P.remove_parametrizations(m, "weight")
        out += [type(m).__name__, type(m.weight).__name__] + sd_items(m)
        return out
    compare({T: run(T) for T in LIBS})


@pytest.mark.parametrize("case", [
    lambda T, P, C: P.register_parametrization(T.nn.Linear(2, 2), "foo", C[1]()),
    lambda T, P, C: P.register_parametrization(T.nn.Linear(2, 2), "weight", C[3]()),
    lambda T, P, C: P.register_parametrization(T.nn.Linear(2, 2), "weight", C[4]()),
    lambda T, P, C: P.remove_parametrizations(T.nn.Linear(2, 2), "weight"),
    lambda T, P, C: P.remove_parametrizations(
        P.register_parametrization(T.nn.Linear(2, 2), "weight", C[2]()), "weight", False),
    lambda T, P, C: pickle.dumps(P.register_parametrization(T.nn.Linear(2, 2), "weight",
                                                            C[1]())),
    lambda T, P, C: P.register_parametrization(
        P.register_parametrization(T.nn.Linear(2, 2), "weight", C[1]()), "weight", C[3]()),
])
def test_parametrize_errors(case):
    def run(T, x):
        T.manual_seed(0)
        return case(T, T.nn.utils.parametrize, make_param_classes(T))
    check_raises(run, np.zeros(1))


# -- parametrizations.weight_norm ---------------------------------------------------------------
def make_layer(T, kind, dtype="float32"):
    """Weight-norm tests run in float64: float32 sums of the conv gradients differ between the
    libraries by more than float32's tolerance (accumulation order)."""
    T.manual_seed(0)
    return {"linear": lambda: T.nn.Linear(4, 3),
            "conv": lambda: T.nn.Conv2d(2, 3, 3),
            "convt": lambda: T.nn.ConvTranspose1d(2, 3, 3)}[kind]().to(getattr(T, dtype))


def layer_input(T, kind, dtype="float32"):
    T.manual_seed(1)
    return {"linear": lambda: T.randn(5, 4), "conv": lambda: T.randn(2, 2, 5, 5),
            "convt": lambda: T.randn(2, 2, 6)}[kind]().to(getattr(T, dtype))


@pytest.mark.parametrize("kind", ["linear", "conv", "convt"])
@pytest.mark.parametrize("dim", [0, 1, None, -1])
def test_weight_norm_parametrization(kind, dim):
    def run(T):
        m = T.nn.utils.parametrizations.weight_norm(make_layer(T, kind, "float64"), dim=dim)
        out = [repr(m), m.weight] + sd_items(m)
        m(layer_input(T, kind, "float64")).pow(2).sum().backward()
        return out + grads(m)
    compare({T: run(T) for T in LIBS})


def test_weight_norm_parametrization_loads_legacy_state_dict():
    def run(T):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            legacy = T.nn.utils.weight_norm(make_layer(T, "linear"))
        with T.no_grad():
            legacy.weight_g.mul_(3)
        m = T.nn.utils.parametrizations.weight_norm(T.nn.Linear(4, 3))
        r = m.load_state_dict(legacy.state_dict())
        return [str(r), m.weight] + sd_items(m)
    compare({T: run(T) for T in LIBS})


# -- parametrizations.spectral_norm -------------------------------------------------------------
@pytest.mark.parametrize("kind", ["linear", "conv", "convt"])
@pytest.mark.parametrize("n_iter", [1, 3])
def test_spectral_norm_parametrization_training_steps(kind, n_iter):
    def run(T):
        m = T.nn.utils.parametrizations.spectral_norm(make_layer(T, kind),
                                                      n_power_iterations=n_iter)
        out = [repr(m)] + sd_items(m)
        opt = T.optim.SGD(m.parameters(), lr=0.1)
        x = layer_input(T, kind)
        for _ in range(3):
            opt.zero_grad()
            m(x).pow(2).mean().backward()
            opt.step()
            out += [m.parametrizations.weight[0]._u, m.parametrizations.weight[0]._v]
            out += grads(m)
        m.eval()
        u = m.parametrizations.weight[0]._u.clone()
        out += [m(x), m.weight, m.parametrizations.weight[0]._u, u]
        return out
    compare({T: run(T) for T in LIBS})


def test_spectral_norm_parametrization_1d_and_dims():
    def run(T):
        T.manual_seed(0)
        m = T.nn.Linear(4, 3)
        m.register_parameter("v", T.nn.Parameter(T.randn(4)))
        T.nn.utils.parametrizations.spectral_norm(m, "v")
        T.nn.utils.parametrizations.spectral_norm(m, dim=1, eps=1e-3)
        return [m.v, m.weight] + sd_items(m)
    compare({T: run(T) for T in LIBS})


@pytest.mark.parametrize("case", [
    lambda T: T.nn.utils.parametrizations.spectral_norm(T.nn.Linear(2, 2), "foo"),
    lambda T: T.nn.utils.parametrizations.spectral_norm(T.nn.Linear(2, 2), dim=2),
    lambda T: T.nn.utils.parametrizations.spectral_norm(T.nn.Linear(2, 2),
                                                        n_power_iterations=0),
])
def test_spectral_norm_parametrization_errors(case):
    check_raises(lambda T, x: case(T), np.zeros(1))


# -- the legacy hook forms ----------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["linear", "conv"])
@pytest.mark.parametrize("dim", [0, 1, None])
def test_legacy_weight_norm(kind, dim):
    def run(T):
        with pytest.warns(FutureWarning, match="parametrizations.weight_norm"):
            m = T.nn.utils.weight_norm(make_layer(T, kind, "float64"), dim=dim)
        out = [repr(m), m.weight, type(m.weight).__name__] + sd_items(m)
        m(layer_input(T, kind, "float64")).pow(2).sum().backward()
        out += grads(m)
        T.nn.utils.remove_weight_norm(m)
        return out + [type(m.weight).__name__, m.weight] + sd_items(m)
    compare({T: run(T) for T in LIBS})


@pytest.mark.parametrize("kind", ["linear", "conv", "convt"])
def test_legacy_spectral_norm(kind):
    def run(T):
        m = T.nn.utils.spectral_norm(make_layer(T, kind), n_power_iterations=2)
        sd = m.state_dict()
        out = [repr(m), str(sd._metadata)] + sd_items(m)
        opt = T.optim.SGD(m.parameters(), lr=0.1)
        x = layer_input(T, kind)
        for _ in range(3):
            opt.zero_grad()
            m(x).pow(2).mean().backward()
            opt.step()
            out += [m.weight_u, m.weight_v, m.weight] + grads(m)
        m.eval()
        out += [m(x), m.weight_u]
        m2 = T.nn.utils.spectral_norm(make_layer(T, kind), n_power_iterations=2)
        out.append(str(m2.load_state_dict(m.state_dict())))
        T.nn.utils.remove_spectral_norm(m)
        out += [type(m.weight).__name__, m.weight] + sd_items(m)
        try:  # torch leaves the load pre-hook behind: its own state dict no longer loads
            m.load_state_dict(m.state_dict())
        except RuntimeError as e:
            out.append(str(e))
        return out
    compare({T: run(T) for T in LIBS})


@pytest.mark.parametrize("case", [
    lambda T: T.nn.utils.spectral_norm(T.nn.utils.spectral_norm(T.nn.Linear(2, 2))),
    lambda T: T.nn.utils.spectral_norm(T.nn.Linear(2, 2, bias=False), "bias"),
    lambda T: T.nn.utils.spectral_norm(T.nn.Linear(2, 2), n_power_iterations=0),
    lambda T: T.nn.utils.remove_spectral_norm(T.nn.Linear(2, 2)),
    lambda T: T.nn.utils.weight_norm(T.nn.utils.weight_norm(T.nn.Linear(2, 2))),
    lambda T: T.nn.utils.remove_weight_norm(T.nn.Linear(2, 2)),
    lambda T: T.nn.utils.spectral_norm(T.nn.LazyLinear(2)),
    lambda T: T.nn.utils.weight_norm(T.nn.LazyLinear(2)),
])
def test_legacy_errors(case):
    def run(T, x):
        T.manual_seed(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return case(T)
    check_raises(run, np.zeros(1))


def test_norm_except_dim_and_weight_norm_function():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4, 5))
    for dim in (-1, 0, 1, 2):
        assert_close(mt.norm_except_dim(mt.tensor(x), 2, dim),
                     torch.norm_except_dim(torch.tensor(x), 2, dim))
        g = rng.standard_normal(tuple(torch.norm_except_dim(torch.tensor(x), 2, dim).shape))
        assert_close(mt._weight_norm(mt.tensor(x), mt.tensor(g), dim),
                     torch._weight_norm(torch.tensor(x), torch.tensor(g), dim))


# -- parametrizations.orthogonal ----------------------------------------------------------------
@pytest.mark.parametrize("shape,orthogonal_map", [
    ((3, 3), None), ((4, 3), None), ((3, 5), None), ((3, 3), "cayley"),
    ((4, 2), "matrix_exp"), ((4, 2), "cayley"), ((2, 4), "householder"),
])
def test_orthogonal(shape, orthogonal_map):
    def run(T):
        T.manual_seed(0)
        m = T.nn.Linear(shape[1], shape[0]).double()
        T.nn.utils.parametrizations.orthogonal(m, orthogonal_map=orthogonal_map)
        out = [repr(m), m.weight] + sd_items(m)
        opt = T.optim.SGD(m.parameters(), lr=0.05)
        x = T.randn(5, shape[1], dtype=T.float64)
        for _ in range(3):
            opt.zero_grad()
            m(x).pow(3).mean().backward()
            opt.step()
            out += [m.weight] + grads(m)
        w = m.weight
        gram = w.mT @ w if shape[0] >= shape[1] else w @ w.mT
        out.append(gram)
        m.weight = T.linalg.qr(T.randn(*shape, dtype=T.float64))[0] if shape[0] >= shape[1] \
            else T.linalg.qr(T.randn(*shape[::-1], dtype=T.float64))[0].mT
        return out + [m.weight, T.rand(1)] + sd_items(m)
    # matrix_exp (Pade vs torch's Taylor), QR and solve differ between the libraries by ~1e-9
    # relative in float64 after the SGD steps: float64 tolerances widened 1000x (rtol 1e-7)
    compare({T: run(T) for T in LIBS}, scale=1000)


def test_orthogonal_batched_conv_weight():
    def run(T):
        T.manual_seed(0)
        m = T.nn.Conv2d(2, 3, 3).double()
        T.nn.utils.parametrizations.orthogonal(m)
        m(T.randn(1, 2, 5, 5, dtype=T.float64)).pow(2).mean().backward()
        return [m.weight] + grads(m) + sd_items(m)
    compare({T: run(T) for T in LIBS}, scale=1000)  # matrix_exp: as in test_orthogonal


@pytest.mark.parametrize("case", [
    lambda T: T.nn.utils.parametrizations.orthogonal(T.nn.Linear(2, 2), "bias"),
    lambda T: T.nn.utils.parametrizations.orthogonal(T.nn.Linear(2, 2), "foo"),
    lambda T: T.nn.utils.parametrizations.orthogonal(T.nn.Linear(2, 2), orthogonal_map="qr"),
])
def test_orthogonal_errors(case):
    check_raises(lambda T, x: case(T), np.zeros(1))
