"""torch.distributions.transforms: forward, inverse (and the cache that makes the inverse of a
fresh output exact), log|det J|, shapes, domain/codomain, sign, equality and repr, against
torch's, with gradients."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check, check_raises


def tr(T):
    return T.distributions.transforms


TRANSFORMS = {
    "exp": (lambda T, p: tr(T).ExpTransform(), "real"),
    "sigmoid": (lambda T, p: tr(T).SigmoidTransform(), "real"),
    "softplus": (lambda T, p: tr(T).SoftplusTransform(), "real"),
    "tanh": (lambda T, p: tr(T).TanhTransform(), "real"),
    "abs": (lambda T, p: tr(T).AbsTransform(), "real"),
    "affine_numbers": (lambda T, p: tr(T).AffineTransform(0.5, -2.0), "real"),
    "affine_tensors": (lambda T, p: tr(T).AffineTransform(p, p * 2 + 3), "real"),
    "affine_event": (lambda T, p: tr(T).AffineTransform(p, p.detach().exp(), event_dim=1),
                     "real"),
    "power": (lambda T, p: tr(T).PowerTransform(p.detach().abs() + 0.5), "pos"),
    "softmax": (lambda T, p: tr(T).SoftmaxTransform(), "real"),
    "lower_cholesky": (lambda T, p: tr(T).LowerCholeskyTransform(), "square"),
    "reshape": (lambda T, p: tr(T).ReshapeTransform((3,), (3, 1)), "real"),
    "independent_exp": (lambda T, p: tr(T).IndependentTransform(tr(T).ExpTransform(), 1),
                        "real"),
    "compose": (lambda T, p: tr(T).ComposeTransform(
        [tr(T).AffineTransform(p, 2.0), tr(T).TanhTransform()]), "real"),
    "inverse_sigmoid": (lambda T, p: tr(T).SigmoidTransform().inv, "unit"),
    "identity": (lambda T, p: tr(T).identity_transform, "real"),
    "stick_breaking": (lambda T, p: tr(T).StickBreakingTransform(), "real"),
    "corr_cholesky": (lambda T, p: tr(T).CorrCholeskyTransform(), "real"),
    "positive_definite": (lambda T, p: tr(T).PositiveDefiniteTransform(), "square"),
    "cumulative_normal": (lambda T, p: tr(T).CumulativeDistributionTransform(
        T.distributions.Normal(p, 1.5)), "real"),
}


def _x(kind, dtype):
    rng = np.random.default_rng(0)
    if kind == "pos":
        return rng.uniform(0.5, 2.0, (2, 3)).astype(dtype)
    if kind == "unit":
        return rng.uniform(0.1, 0.9, (2, 3)).astype(dtype)
    if kind == "square":
        return rng.standard_normal((2, 3, 3)).astype(dtype)
    return rng.standard_normal((2, 3)).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_forward_inverse_and_log_det(name, dtype):
    build, kind = TRANSFORMS[name]
    p = np.linspace(-0.5, 0.5, 3).astype(dtype)

    def fn(T, x, p):
        t = build(T, p)
        y = t(x)
        out = [y, t.inv(y.detach())]
        try:
            out.append(t.log_abs_det_jacobian(x, y))
        except NotImplementedError:  # AbsTransform, SoftmaxTransform, ... in torch too
            pass
        return out

    check(fn, _x(kind, dtype), p)


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_properties(name):
    build, kind = TRANSFORMS[name]
    p = np.linspace(-0.5, 0.5, 3)
    t_m, t_t = build(mt, mt.tensor(p)), build(torch, torch.tensor(p))
    assert repr(t_m) == repr(t_t)
    for attr in ("domain", "codomain"):
        c_m, c_t = getattr(t_m, attr), getattr(t_t, attr)
        assert repr(c_m) == repr(c_t)
        assert c_m.event_dim == c_t.event_dim
    assert t_m.bijective == t_t.bijective
    assert t_m == t_m and t_m.inv.inv == t_m
    for shape in [(2, 3), (4, 2, 3), (3, 1), ()]:
        for method in ("forward_shape", "inverse_shape"):
            try:
                expected = tuple(getattr(t_t, method)(torch.Size(shape)))
            except ValueError:
                check_raises(lambda T, method=method, shape=shape: getattr(
                    build(T, T.tensor(p)), method)(T.Size(shape)))
            else:
                assert tuple(getattr(t_m, method)(mt.Size(shape))) == expected
    try:
        s_t = t_t.sign
    except NotImplementedError:
        check_raises(lambda T: build(T, T.tensor(p)).sign)
    else:
        s_m = t_m.sign
        assert (s_m.tolist() if hasattr(s_m, "tolist") else s_m) == \
            (s_t.tolist() if hasattr(s_t, "tolist") else s_t)


def test_cache_returns_the_input_of_a_fresh_output():
    for T in (torch, mt):
        t = T.distributions.transforms.ExpTransform().with_cache()
        x = T.tensor([1.0, 2.0])
        y = t(x)
        assert t.inv(y) is x and t(x) is y
        assert T.distributions.transforms.ExpTransform().inv(y) is not x
    check_raises(lambda T: T.distributions.transforms.ExpTransform(cache_size=2))
    check_raises(lambda T: T.distributions.transforms.ReshapeTransform((2,), (3,)))


def test_equality():
    for T in (torch, mt):
        tr_ = T.distributions.transforms
        assert tr_.ExpTransform() == tr_.ExpTransform()
        assert tr_.AffineTransform(1.0, 2.0) == tr_.AffineTransform(1.0, 2.0)
        assert tr_.AffineTransform(1.0, 2.0) != tr_.AffineTransform(1.0, 3.0)
        assert tr_.AffineTransform(T.ones(2), 2.0) == tr_.AffineTransform(T.ones(2), 2.0)
        assert tr_.ExpTransform().inv == tr_.ExpTransform().inv
        assert tr_.ComposeTransform([tr_.ExpTransform()]) == \
            tr_.ComposeTransform([tr_.ExpTransform()])
        assert tr_.ExpTransform() != tr_.SigmoidTransform()
