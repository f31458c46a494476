"""Identity, Linear, Bilinear, Flatten, Unflatten against torch: forward, gradients (input and
parameters) with torch's weights loaded, torch's seeded default init, repr, errors."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, LIBS, check, check_raises, rand
from nn_parity import module_parity

DT = {np.float32: (torch.float32, mt.float32), np.float64: (torch.float64, mt.float64)}


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(5, 4), (4,), (2, 3, 4), (2, 1, 3, 4), (0, 4)])
def test_linear_module(shape, bias, dtype):
    module_parity(lambda T: T.nn.Linear(4, 3, bias=bias), rand(*shape, dtype=dtype),
                  dtype=DT[dtype], steps=2)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_linear_functional(dtype):
    x, w, b = rand(6, 4, dtype=dtype), rand(3, 4, dtype=dtype, seed=1), rand(3, dtype=dtype)
    check(lambda T, x, w, b: T.nn.functional.linear(x, w, b), x, w, b)
    check(lambda T, x, w: T.nn.functional.linear(x, w), x, w)
    check(lambda T, x, w, b: T.nn.functional.linear(x, w, b), x, w, b, layout="transposed")
    check(lambda T, x, w, b: T.nn.functional.linear(x, w, b), x[0], w, b)


@pytest.mark.parametrize("seed", [0, 7])
def test_linear_default_init_is_torchs(seed):
    for shape in ((4, 3), (1, 1), (7, 5)):
        mods = {}
        for T in LIBS:
            T.manual_seed(seed)
            mods[T] = T.nn.Linear(*shape)
        for (n, po), (_, pt) in zip(mods[mt].named_parameters(), mods[torch].named_parameters()):
            np.testing.assert_array_equal(po.detach().numpy(), pt.detach().numpy(), err_msg=n)
    for T in LIBS:
        T.manual_seed(seed)
        mods[T] = T.nn.Bilinear(3, 2, 4)
    for (n, po), (_, pt) in zip(mods[mt].named_parameters(), mods[torch].named_parameters()):
        np.testing.assert_array_equal(po.detach().numpy(), pt.detach().numpy(), err_msg=n)


def test_linear_dtype_and_parameters():
    for T in LIBS:
        m = T.nn.Linear(3, 2, dtype=T.float64)
        assert m.weight.dtype == T.float64 and tuple(m.weight.shape) == (2, 3)
        assert isinstance(m.weight, T.nn.Parameter) and m.weight.requires_grad
        m = T.nn.Linear(3, 2, bias=False)
        assert m.bias is None and list(m.state_dict()) == ["weight"]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("lead", [(5,), (2, 3), ()])
def test_bilinear_module(lead, bias, dtype):
    module_parity(lambda T: T.nn.Bilinear(3, 2, 4, bias=bias), rand(*lead, 3, dtype=dtype),
                  rand(*lead, 2, dtype=dtype, seed=1), dtype=DT[dtype], steps=2)


def test_identity_flatten_unflatten():
    x = rand(2, 3, 4, 5, dtype=np.float64)
    check(lambda T, x: T.nn.Identity(54, unused=1)(x), x)
    for args in [(), (0,), (1, 2), (-3, -2), (0, -1), (2, 2)]:
        check(lambda T, x: T.nn.Flatten(*args)(x), x)
    for dim, size in [(1, (3, 1)), (-1, (5, 1)), (2, [2, 2]), (3, (-1, 5)), (1, mt.Size([3]))]:
        check(lambda T, x: T.nn.Unflatten(dim, size if T is mt or not isinstance(size, mt.Size)
                                          else torch.Size(size))(x), x)
    check(lambda T, x: T.nn.Flatten(0)(x), np.array([1.0, 2.0]))
    check_raises(lambda T, x: T.nn.Flatten()(x), np.array([1.0, 2.0]))
    check(lambda T, x: T.nn.Flatten(0)(x), np.array(3.0))


def test_reprs():
    for build in (lambda T: T.nn.Linear(4, 3), lambda T: T.nn.Linear(4, 3, bias=False),
                  lambda T: T.nn.Bilinear(2, 3, 4), lambda T: T.nn.Bilinear(2, 3, 4, False),
                  lambda T: T.nn.Identity(), lambda T: T.nn.Flatten(),
                  lambda T: T.nn.Flatten(0, 2), lambda T: T.nn.Unflatten(1, (2, 2)),
                  lambda T: T.nn.Unflatten(-1, [4, 1]),
                  lambda T: T.nn.Sequential(T.nn.Flatten(), T.nn.Linear(12, 8), T.nn.ReLU(),
                                            T.nn.Sequential(T.nn.Linear(8, 2), T.nn.Tanh()))):
        assert repr(build(mt)) == repr(build(torch))


def test_linear_errors():
    check_raises(lambda T, x: T.nn.functional.linear(x, T.zeros(2, 5)), rand(4, 3))
    check_raises(lambda T, x: T.nn.functional.linear(x, T.zeros(2, 5)), rand(2, 4, 3))
    check_raises(lambda T, x: T.nn.functional.linear(x, T.zeros(2, 5), T.zeros(2)), rand(3))
    check_raises(lambda T, x: T.nn.functional.linear(x, T.zeros(2, 3)), np.array(1.0))
    check_raises(lambda T, x: T.nn.functional.linear(x, T.zeros(4, 3), T.zeros(5)), rand(2, 3))
    check_raises(lambda T, x: T.nn.functional.linear(x, T.zeros(4, 3, dtype=T.float64)),
                 rand(2, 3))

    def wrong_features(T, x):
        T.manual_seed(0)
        return T.nn.Linear(5, 2)(x)
    o, t = check_raises(wrong_features, rand(4, 3))
    assert str(o) == str(t) == "mat1 and mat2 shapes cannot be multiplied (4x3 and 5x2)"


def test_bilinear_errors():
    z = lambda T, *s: T.zeros(*s)  # noqa: E731
    for args in [((2, 3), (3, 4), (5, 3, 4)), ((2, 3), (2, 4), (5, 3, 5)),
                 ((2, 3), (2, 4), (5, 2, 4))]:
        check_raises(lambda T: T.nn.functional.bilinear(z(T, *args[0]), z(T, *args[1]),
                                                         z(T, *args[2])))
    check_raises(lambda T: T.nn.functional.bilinear(z(T, 2, 3), z(T, 2, 4), z(T, 5, 3, 4),
                                                     z(T, 4)))


def test_flatten_errors():
    x = rand(2, 3, 4)
    check_raises(lambda T, x: T.nn.Flatten(2, 1)(x), x)
    check_raises(lambda T, x: T.nn.Flatten(0, 5)(x), x)
    check_raises(lambda T, x: T.nn.Unflatten(1, (2, 2))(x), x)
    check_raises(lambda T: T.nn.Unflatten(1, (2.0, 2)))
    check_raises(lambda T: T.nn.Unflatten(1, 3))


def test_channel_shuffle_and_container():
    x = rand(2, 6, 3, 2, dtype=np.float64)
    for g in (1, 2, 3, 6):
        check(lambda T, x: T.nn.ChannelShuffle(g)(x), x)
        check(lambda T, x: T.nn.functional.channel_shuffle(x, g), x)
        assert repr(mt.nn.ChannelShuffle(g)) == repr(torch.nn.ChannelShuffle(g))
    o_exc, t_exc = check_raises(lambda T, x: T.nn.ChannelShuffle(4)(x), x)
    assert str(o_exc) == str(t_exc)
    for T in LIBS:
        with pytest.warns(FutureWarning, match="nn.Container` is deprecated"):
            c = T.nn.Container(a=T.nn.ReLU(), b=T.nn.Tanh())
        assert list(c._modules) == ["a", "b"]
    with pytest.warns(FutureWarning):
        assert repr(mt.nn.Container(a=mt.nn.ReLU())) == repr(torch.nn.Container(a=torch.nn.ReLU()))
