"""Dropout modules against torch: same seed, same mask (values and gradients) in training mode;
identity in eval mode; inplace=; repr; invalid p. (The functional forms and the masks' stream
use are tested in tests/random/test_dropout.py.)"""

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, LIBS, check, check_raises, rand

MODULES = {
    "Dropout": (3, 4, 5), "Dropout1d": (3, 4, 5), "Dropout2d": (2, 3, 4, 5),
    "Dropout3d": (2, 3, 2, 2, 3), "AlphaDropout": (3, 4, 5), "FeatureAlphaDropout": (2, 3, 4, 5),
}


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("p", [0.0, 0.3, 0.5, 1.0])
@pytest.mark.parametrize("name", list(MODULES))
def test_training_mask_matches_torch(name, p, dtype):
    x = rand(*MODULES[name], dtype=dtype)

    def fn(T, x):
        T.manual_seed(11)
        m = getattr(T.nn, name)(p)
        # two calls: the second mask must also come from the same place in the stream
        return m(x) + 2 * m(x)

    check(fn, x)


@pytest.mark.parametrize("name", list(MODULES))
def test_eval_is_identity(name):
    x = rand(*MODULES[name], dtype=np.float64)
    for T in LIBS:
        m = getattr(T.nn, name)(0.5).eval()
        xt = T.tensor(x)
        assert m(xt) is xt
    check(lambda T, x: getattr(T.nn, name)(0.5).eval()(x), x)


@pytest.mark.parametrize("name", ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d"])
def test_inplace(name):
    x = rand(*MODULES[name], dtype=np.float64)

    def fn(T, x):
        T.manual_seed(3)
        y = x * 1.0
        out = getattr(T.nn, name)(0.4, inplace=True)(y)
        assert out is y
        return out

    check(fn, x)


def test_unbatched_inputs():
    for name, shape in (("Dropout1d", (4, 6)), ("Dropout3d", (3, 2, 2, 3))):
        def fn(T, x):
            T.manual_seed(5)
            return getattr(T.nn, name)(0.5)(x)
        check(fn, rand(*shape, dtype=np.float64))


def test_repr_and_invalid_p():
    for name in MODULES:
        for args in ((), (0.2,), (0.2, True)):
            assert repr(getattr(mt.nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))
        for p in (1.5, -0.1):
            o_exc, t_exc = check_raises(lambda T: getattr(T.nn, name)(p))
            assert str(o_exc) == str(t_exc)
    o_exc, _ = check_raises(lambda T: T.nn.Dropout(1.5))
    assert str(o_exc) == "dropout probability has to be between 0 and 1, but got 1.5"
    check_raises(lambda T, x: T.nn.functional.dropout(x, 1.5), rand(3))


def test_dropout2d_3d_input_warns():
    for T in LIBS:
        with pytest.warns(UserWarning, match="Received a 3D input to dropout2d"):
            T.nn.Dropout2d()(T.ones(2, 3, 4))
