"""Behaviour the distributions share through common helpers (probs/logits storage, expand,
the base class's checks and warnings), compared with torch where the parity table does not
reach: messages of the rarer errors, warnings, what expand carries over."""
from __future__ import annotations

import warnings

import pytest
import torch

import minitorch_ref as mt
from harness import check_raises


def same_error(fn):
    ours, theirs = check_raises(fn)
    assert str(ours).replace("minitorch_ref.", "torch.") == str(theirs)


@pytest.mark.parametrize("make", [
    lambda T: T.distributions.ContinuousBernoulli(T.tensor([1.5]), validate_args=True),
    lambda T: T.distributions.Binomial(T.tensor([2.0, 3.0]), T.tensor([0.5, 0.5])).entropy(),
    lambda T: T.distributions.Binomial(T.tensor([2.0, 3.0]),
                                       T.tensor([0.5, 0.5])).enumerate_support(),
    lambda T: T.distributions.Geometric(),
    lambda T: T.distributions.NegativeBinomial(3.0, T.tensor([0.5]), T.tensor([0.1])),
    lambda T: T.distributions.ContinuousBernoulli(),
    lambda T: T.distributions.relaxed_bernoulli.LogitRelaxedBernoulli(T.tensor(1.0)),
    lambda T: T.distributions.Distribution.set_default_validate_args("yes"),
])
def test_rare_errors(make):
    same_error(make)


def test_subclass_with_custom_init_must_define_expand():
    def make(T):
        class Shifted(T.distributions.Normal):
            def __init__(self, loc):
                super().__init__(loc, 1.0)
        return Shifted(T.zeros(2)).expand((3, 2))
    ours, theirs = check_raises(make)
    assert str(ours) == str(theirs)


def test_missing_arg_constraints_and_support_warn():
    def run(T):
        class Bare(T.distributions.Distribution):
            pass
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            d = Bare(validate_args=True)
            d._validate_sample(T.zeros(()))
            d.sample_n  # noqa: B018 - attribute exists
        return [(w.category, str(w.message).replace("minitorch_ref.", "torch.")) for w in caught]
    assert run(mt) == run(torch)


@pytest.mark.parametrize("cls,kw", [("Bernoulli", "logits"), ("Bernoulli", "probs"),
                                    ("Binomial", "logits"), ("Categorical", "probs"),
                                    ("ContinuousBernoulli", "logits"),
                                    ("LogitRelaxedBernoulli", "probs")])
def test_expand_carries_both_parameters_and_param(cls, kw):
    out = {}
    for T in (torch, mt):
        args = (T.tensor(0.7),) if cls == "LogitRelaxedBernoulli" else ()
        module = T.distributions.relaxed_bernoulli if args else T.distributions
        d = getattr(module, cls)(*args, **{kw: T.tensor([0.2, 0.6])})
        d.probs, d.logits  # noqa: B018 - both now stored
        e = d.expand((3, 2) if cls != "Categorical" else (3,))
        out[T] = (repr(e), tuple(e.param_shape), e._param.reshape(-1).tolist(), e._param.dtype,
                  sorted(k for k in vars(e) if not k.startswith("_validate")))
    assert out[mt][:2] == out[torch][:2]
    assert out[mt][2] == pytest.approx(out[torch][2])
    assert str(out[mt][3]).split(".")[-1] == str(out[torch][3]).split(".")[-1]
    assert out[mt][4] == out[torch][4]
