"""Checkpoints across libraries: a torch optimizer's state_dict (as NumPy arrays or as torch
tensors) loads into ours mid-training and ours continues torch's exact trajectory; ours loads
into torch the same way. Also: the layout (integer ids, groups, every key torch stores), old
checkpoints whose ``step`` is a number, and torch's errors for mismatched groups."""
import copy

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check_raises
from optim_problem import Problem, compare, compare_groups, compare_state

CASES = [
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("Adam", dict(lr=0.02, amsgrad=True, weight_decay=0.1)),
    ("AdamW", dict(lr=0.02)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01)),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
    ("Adadelta", dict(lr=0.5)),
    ("Adamax", dict(lr=0.02)),
    ("NAdam", dict(lr=0.02, decoupled_weight_decay=True, weight_decay=0.1)),
    ("RAdam", dict(lr=0.02)),
    ("Rprop", dict(lr=0.01)),
    ("ASGD", dict(lr=0.05, t0=3)),
    ("LBFGS", dict(max_iter=4, history_size=3)),
    ("Adafactor", dict(lr=0.05, weight_decay=0.1)),
]


def convert(obj, kind: str):
    """A state_dict with every tensor replaced: 'numpy' arrays, 'torch' or 'mt' tensors."""
    if isinstance(obj, (torch.Tensor, mt.Tensor)):
        arr = np.array(obj.detach().numpy())
        return {"numpy": arr, "torch": torch.tensor(arr), "mt": mt.tensor(arr)}[kind]
    if isinstance(obj, dict):
        return {k: convert(v, kind) for k, v in obj.items()}
    if isinstance(obj, list):
        return [convert(v, kind) for v in obj]
    return copy.deepcopy(obj)


def _build(T, name, kwargs, dtype):
    prob = Problem(T, dtype)
    p = prob.params
    groups = [p["W1"], p["b1"], p["W2"], p["U"]] if name == "LBFGS" else prob.groups(
        lr2=kwargs.get("lr", 0.1) / 2)
    return prob, getattr(T.optim, name)(groups, **kwargs)


def _train(prob, opt, name):
    if name == "LBFGS":
        opt.step(prob.closure(opt))
    else:
        opt.zero_grad()
        prob.loss().backward()
        opt.step()


def _resume_both(name, kwargs, trained_prob, sd, sd_kind_for_ours: str):
    """Fresh parameters with ``trained_prob``'s values in both libraries, each optimizer loading
    the checkpoint ``sd`` (torch gets torch tensors, ours ``sd_kind_for_ours``). Both resume
    from the loaded state: torch's load casts some scalar state (NAdam's mu_product, ASGD's
    eta and mu) to the parameter dtype, so a reloaded torch optimizer is the reference."""
    probs, opts = {}, {}
    for T in LIBS:
        probs[T], opts[T] = _build(T, name, kwargs, np.float64)
        for k, p in probs[T].params.items():
            p.data = T.tensor(trained_prob.params[k].detach().numpy().copy())
        opts[T].load_state_dict(convert(sd, "torch" if T is torch else sd_kind_for_ours))
    return probs, opts


@pytest.mark.parametrize("kind", ["numpy", "torch"])
@pytest.mark.parametrize("name,kwargs", CASES, ids=[c[0] for c in CASES])
def test_torch_checkpoint_continues_in_ours(name, kwargs, kind):
    scale = 1e3 if name == "LBFGS" else 1.0   # cancellation in y, 1/(y.s): see test_optimizers
    prob_t, opt_t = _build(torch, name, kwargs, np.float64)
    for _ in range(3):
        _train(prob_t, opt_t, name)
    probs, opts = _resume_both(name, kwargs, prob_t, opt_t.state_dict(), kind)
    compare(probs, opts, "after load")
    for step in range(5):
        for T in LIBS:
            _train(probs[T], opts[T], name)
        compare(probs, opts, f"{name} resumed step {step + 1}", scale)


@pytest.mark.parametrize("name,kwargs", CASES, ids=[c[0] for c in CASES])
def test_our_checkpoint_continues_in_torch(name, kwargs):
    scale = 1e3 if name == "LBFGS" else 1.0
    prob_o, opt_o = _build(mt, name, kwargs, np.float64)
    for _ in range(3):
        _train(prob_o, opt_o, name)
    probs, opts = _resume_both(name, kwargs, prob_o, opt_o.state_dict(), "mt")
    compare(probs, opts, "after load")
    for step in range(5):
        for T in LIBS:
            _train(probs[T], opts[T], name)
        compare(probs, opts, f"{name} resumed step {step + 1}", scale)


def test_resumed_trajectory_equals_uninterrupted_one():
    """Ours, interrupted by a round trip through torch's format, ends where the uninterrupted
    run ends (bit for bit: the state is carried exactly)."""
    prob_a, opt_a = _build(mt, "Adam", dict(lr=0.02, amsgrad=True), np.float64)
    prob_b, opt_b = _build(mt, "Adam", dict(lr=0.02, amsgrad=True), np.float64)
    for _ in range(3):
        _train(prob_a, opt_a, "Adam")
        _train(prob_b, opt_b, "Adam")
    sd = convert(convert(opt_b.state_dict(), "torch"), "numpy")
    prob_c, opt_c = _build(mt, "Adam", dict(lr=0.02, amsgrad=True), np.float64)
    for k, p in prob_c.params.items():
        p.data = mt.tensor(prob_b.params[k].detach().numpy().copy())
    opt_c.load_state_dict(sd)
    for _ in range(4):
        _train(prob_a, opt_a, "Adam")
        _train(prob_c, opt_c, "Adam")
    for k in prob_a.params:
        np.testing.assert_array_equal(prob_a.params[k].detach().numpy(),
                                      prob_c.params[k].detach().numpy())


@pytest.mark.parametrize("name,kwargs", CASES, ids=[c[0] for c in CASES])
def test_state_dict_layout_matches_torch(name, kwargs):
    sds = {}
    for T in LIBS:
        prob, opt = _build(T, name, kwargs, np.float32)
        _train(prob, opt, name)
        sds[T] = opt.state_dict()
    assert sorted(sds[mt]) == ["param_groups", "state"]
    assert sorted(sds[mt]["state"]) == sorted(sds[torch]["state"])   # integer ids
    for i in sds[torch]["state"]:
        compare_state(sds[mt]["state"][i], sds[torch]["state"][i], f"state {i}",
                      float_rtol=1e-5)
    assert sds[mt]["param_groups"] == sds[torch]["param_groups"]


def test_state_dict_shares_state_tensors_like_torch():
    for T in LIBS:
        p = T.zeros(2, requires_grad=True)
        opt = T.optim.SGD([p], lr=0.1, momentum=0.9)
        p.grad = T.ones(2)
        opt.step()
        sd = opt.state_dict()
        assert sd["state"][0]["momentum_buffer"] is opt.state[p]["momentum_buffer"]


def test_loading_casts_state_to_the_parameter_dtype_but_not_step():
    sd = None
    for T in (torch, mt):
        p = T.zeros(2, dtype=T.float64, requires_grad=True)
        opt = T.optim.Adam([p], lr=0.1)
        p.grad = T.ones(2, dtype=T.float64)
        opt.step()
        if sd is None:
            sd = convert(opt.state_dict(), "numpy")
            continue
        q = T.zeros(2, requires_grad=True)   # float32 parameter
        opt2 = T.optim.Adam([q], lr=0.1)
        opt2.load_state_dict(sd)
        assert opt2.state[q]["exp_avg"].dtype == T.float32
        assert opt2.state[q]["step"].dtype == T.float32


def test_old_checkpoint_with_number_step():
    """Checkpoints from old torch versions store ``step`` as a Python number: torch's
    ``__setstate__`` turns it into a 0-d tensor, and so does ours."""
    states = {}
    for T in LIBS:
        p = T.zeros(2, requires_grad=True)
        opt = T.optim.Adam([p], lr=0.1)
        sd = {"state": {0: {"step": 3, "exp_avg": np.ones(2, np.float32) * 0.1,
                            "exp_avg_sq": np.ones(2, np.float32) * 0.01}},
              "param_groups": [dict(opt.state_dict()["param_groups"][0])]}
        if T is torch:
            sd["state"][0] = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v
                              for k, v in sd["state"][0].items()}
        opt.load_state_dict(sd)
        p.grad = T.ones(2)
        opt.step()
        states[T] = (opt.state[p], p)
    compare_state(states[mt][0], states[torch][0], "old checkpoint")
    assert_close(states[mt][1], states[torch][1])


def test_mismatched_state_dict_groups():
    def more_groups(T):
        a, b = T.zeros(2, requires_grad=True), T.zeros(2, requires_grad=True)
        sd = T.optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1).state_dict()
        T.optim.SGD([a, b], lr=0.1).load_state_dict(sd)
    check_raises(more_groups)

    def other_size(T):
        a, b = T.zeros(2, requires_grad=True), T.zeros(2, requires_grad=True)
        sd = T.optim.SGD([a], lr=0.1).state_dict()
        T.optim.SGD([a, b], lr=0.1).load_state_dict(sd)
    check_raises(other_size)


def test_load_keeps_group_options_from_the_checkpoint():
    groups = {}
    for T in LIBS:
        a = T.zeros(2, requires_grad=True)
        sd = T.optim.SGD([a], lr=0.5, momentum=0.3).state_dict()
        opt = T.optim.SGD([a], lr=0.1)
        opt.load_state_dict(sd)
        groups[T] = opt.param_groups
        assert opt.param_groups[0]["params"][0] is a
    compare_groups(groups[mt], groups[torch])
    assert groups[mt][0]["lr"] == 0.5
