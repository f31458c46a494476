"""Dropout parity: for the same seed, F.dropout & co. give torch's outputs and gradients exactly.

The masks come from ``minitorch_ref.random.dropout_mask`` (see docs/random.md); the functional
forms live in ``minitorch_ref/nn/functional/dropout.py``.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import minitorch_ref as mt
import minitorch_ref.nn.functional as MF
from harness import check_raises

PS = (0.0, 0.1, 0.5, 0.9, 1.0)
DTYPES = (np.float32, np.float64)
FNS = {
    "dropout": ("dropout", [(0,), (7,), (4, 5), (2, 3, 17), (3, 4, 5, 6)]),
    "alpha_dropout": ("alpha_dropout", [(7,), (4, 5), (2, 3, 17)]),
    "feature_alpha_dropout": ("feature_alpha_dropout", [(4, 5), (2, 3, 7), (2, 3, 4, 4)]),
    "dropout1d": ("dropout1d", [(3, 8), (2, 3, 8)]),
    "dropout2d": ("dropout2d", [(2, 3, 4, 4), (1, 5, 3, 2), (2, 3, 5)]),
    "dropout3d": ("dropout3d", [(2, 3, 2, 2, 2), (3, 2, 2, 2)]),
}
CASES = [(name, shape) for name, (_, shapes) in FNS.items() for shape in shapes]


def run(T, F, name, x, p, seed, inplace=False, training=True):
    T.manual_seed(seed)
    t = T.tensor(x, requires_grad=True)
    src = t * 1 if inplace else t  # in-place needs a non-leaf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = getattr(F, name)(src, p, training=training, inplace=inplace)
    return t, src, out, T.rand(2)


@pytest.mark.parametrize("name,shape", CASES)
@pytest.mark.parametrize("p", PS)
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("seed", (0, 5))
def test_dropout_values_and_grads(name, shape, p, dt, seed):
    x = np.random.default_rng(seed).standard_normal(shape).astype(dt)
    g = np.random.default_rng(seed + 1).standard_normal(shape).astype(dt)
    t_in, _, t_out, t_after = run(torch, TF, name, x, p, seed)
    m_in, _, m_out, m_after = run(mt, MF, name, x, p, seed)
    np.testing.assert_array_equal(m_out.detach().numpy(), t_out.detach().numpy())
    assert m_out.dtype == mt.float32 if dt == np.float32 else mt.float64
    np.testing.assert_array_equal(m_after.numpy(), t_after.numpy())  # same stream use
    if t_out.requires_grad and x.size:
        t_out.backward(torch.tensor(g))
        m_out.backward(mt.tensor(g))
        np.testing.assert_array_equal(m_in.grad.numpy(), t_in.grad.numpy())
        # unbatched dropout1d/3d: torch squeezes back (SqueezeBackward1), we reshape
        if t_out.grad_fn is None:  # p == 0 or not training: the input itself comes back
            assert m_out.grad_fn is None
        elif t_out.grad_fn.name() != "SqueezeBackward1":
            assert m_out.grad_fn.name() == t_out.grad_fn.name()


@pytest.mark.parametrize("name,shape", CASES)
@pytest.mark.parametrize("p", (0.3, 1.0))
def test_dropout_inplace(name, shape, p):
    x = np.random.default_rng(2).standard_normal(shape).astype(np.float32)
    t_in, t_src, t_out, t_after = run(torch, TF, name, x, p, 3, inplace=True)
    m_in, m_src, m_out, m_after = run(mt, MF, name, x, p, 3, inplace=True)
    assert m_out is m_src
    np.testing.assert_array_equal(m_src.detach().numpy(), t_src.detach().numpy())
    np.testing.assert_array_equal(m_after.numpy(), t_after.numpy())
    t_out.sum().backward()
    m_out.sum().backward()
    np.testing.assert_array_equal(m_in.grad.numpy(), t_in.grad.numpy())


@pytest.mark.parametrize("name", sorted(FNS))
def test_not_training_returns_input_and_draws_nothing(name):
    shape = FNS[name][1][0]
    x = np.ones(shape, dtype=np.float32)
    _, m_src, m_out, m_after = run(mt, MF, name, x, 0.5, 0, training=False)
    _, _, _, t_after = run(torch, TF, name, x, 0.5, 0, training=False)
    if name not in ("dropout1d", "dropout3d") or len(shape) == len(FNS[name][1][0]):
        assert m_out is m_src or np.array_equal(m_out.detach().numpy(), x)
    np.testing.assert_array_equal(m_after.numpy(), t_after.numpy())


def test_defaults_match_torch():
    """alpha_dropout and feature_alpha_dropout default to training=False, the others to True."""
    import inspect
    for name in FNS:
        ours = inspect.signature(getattr(MF, name)).parameters
        theirs = inspect.signature(getattr(TF, name)).parameters
        assert {k: v.default for k, v in ours.items()} == \
            {k: v.default for k, v in theirs.items()}


@pytest.mark.parametrize("dt", DTYPES)
def test_dropout_of_a_transposed_input_follows_its_memory_layout(dt):
    """torch's noise is empty_like(input), which keeps a transposed input's layout, and is
    filled in memory order: the mask of x.transpose(0, 2) is not the mask of a contiguous x."""
    x = np.random.default_rng(1).standard_normal((3, 4, 5)).astype(dt)
    outs = []
    for T, F in ((torch, TF), (mt, MF)):
        T.manual_seed(2)
        v = T.tensor(x).transpose(0, 2)
        outs.append((F.dropout(v, 0.5), F.dropout(T.tensor(x).permute(1, 0, 2), 0.3)))
    for a, b in zip(outs[1], outs[0]):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_interleaved_with_other_draws():
    x = np.random.default_rng(0).standard_normal((8, 16)).astype(np.float32)
    outs = []
    for T, F in ((torch, TF), (mt, MF)):
        T.manual_seed(11)
        w = T.randn(16, 4)
        h = F.dropout(T.tensor(x), 0.2)
        h2 = F.dropout2d(T.tensor(x).reshape(2, 4, 4, 4), 0.5)
        outs.append((w, h, h2, T.randperm(10)))
    for a, b in zip(outs[1], outs[0]):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_dropout_mask_documented_contract():
    """The helper the nn modules use: scaled keep-mask, float64 uniforms < 1 - p, C order."""
    torch.manual_seed(4)
    expect = torch.empty(3, 5, dtype=torch.float64).bernoulli_(0.75).div_(0.75)
    mt.manual_seed(4)
    got = mt.random.dropout_mask((3, 5), 0.25, np.float64)
    np.testing.assert_array_equal(got, expect.numpy())


@pytest.mark.parametrize("bad", [
    lambda T, F: F.dropout(T.zeros(3), 1.5),
    lambda T, F: F.dropout(T.zeros(3), -0.1),
    lambda T, F: F.alpha_dropout(T.zeros(3), 2.0, True),
    lambda T, F: F.dropout1d(T.zeros(3), 0.5),
    lambda T, F: F.feature_alpha_dropout(T.zeros(3), 0.5, True),
    lambda T, F: F.dropout2d(T.zeros(3), 0.5),
])
def test_bad_input(bad):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_raises(lambda T: bad(T, TF if T is torch else MF))


def test_dropout2d_warns_like_torch():
    for F, T in ((TF, torch), (MF, mt)):
        with pytest.warns(UserWarning, match="dropout2d: Received a 3D input"):
            F.dropout2d(T.zeros(2, 3, 4), 0.5)
