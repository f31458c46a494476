"""optim.Adafactor against torch: 50-step trajectories over its options (two parameter groups,
float32/float64, torch's single-tensor and foreach paths), schedulers driving it, parameters of
every rank (0-d and vectors: one variance; matrices and batches of matrices: row and column
factors over the last two dims), a Tensor lr, eps1's dtype rule, checkpoints both ways, the
pure function on arrays, validation errors and repr."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check_raises
from optim_problem import compare, compare_state, make_pair
from test_optimizers import run_and_compare

GRID = [
    (dict(), None, None),
    (dict(lr=0.05, weight_decay=0.1), 0.02, None),
    (dict(lr=0.05, beta2_decay=-0.5, d=2.0), 0.02, dict(weight_decay=0.2)),
    (dict(lr=0.05, eps=(1e-3, 1e-2)), 0.02, None),   # eps1 binds max(sqrt(V), eps1)
    (dict(lr=0.05, eps=(0.5, 1e-2)), 0.02, None),    # eps1 binds max(mean R, eps1) too
    (dict(lr=0.05, eps=(1e-30, 0.5)), 0.02, None),   # eps2 large: alpha = eps2 rho
    (dict(lr=0.5, beta2_decay=0.0), 0.3, None),      # beta2_t = 0: the last G^2 only
    (dict(lr=0.05, maximize=True, weight_decay=0.05), 0.02, None),
    (dict(lr=0.05, foreach=True), 0.02, dict(d=1.5)),
    (dict(lr=0.05, foreach=False), 0.02, None),
]


def _id(case):
    kw, _, extra = case
    return ",".join(f"{k}={v}" for k, v in kw.items()) + ("+g2" if extra else "") or "default"


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("case", GRID, ids=[_id(c) for c in GRID])
def test_trajectory(case, dtype):
    kwargs, lr2, extra2 = case
    probs, opts = run_and_compare("Adafactor", kwargs, dtype, lr2, extra2)
    u = probs[mt].params["U"]   # no gradient: no state, unchanged
    assert len(opts[mt].state.get(u, {})) == 0


@pytest.mark.parametrize("sched", [
    lambda S, o: S.StepLR(o, 6, 0.5),
    lambda S, o: S.OneCycleLR(o, [0.05, 0.02], total_steps=50, cycle_momentum=False),
    lambda S, o: S.CosineAnnealingLR(o, T_max=20, eta_min=0.001),
    lambda S, o: S.LinearLR(o, 0.1, 1.0, 10),
], ids=["StepLR", "OneCycleLR", "CosineAnnealingLR", "LinearLR"])
def test_scheduler_driving_adafactor(sched):
    """lr caps rho_t and scales the weight decay: a scheduler moves both."""
    probs, opts = make_pair("Adafactor", dict(lr=0.05, weight_decay=0.1), np.float64, lr2=0.02)
    scheds = {T: sched(T.optim.lr_scheduler, opts[T]) for T in LIBS}
    for step in range(50):
        for T in LIBS:
            opts[T].zero_grad()
            probs[T].loss().backward()
            opts[T].step()
            scheds[T].step()
        compare(probs, opts, f"step {step + 1}")
        assert scheds[mt].get_last_lr() == pytest.approx(scheds[torch].get_last_lr(),
                                                         rel=1e-12)


SHAPES = [(), (1,), (7,), (1, 5), (4, 1), (3, 4), (2, 3, 4), (2, 1, 3, 2)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_parameters_of_every_rank(dtype):
    """Vectors and 0-d tensors keep ``variance``; tensors of 2+ dims keep ``row_var`` (..., n,
    1) and ``col_var`` (..., 1, m), factored over the last two dims."""
    rng = np.random.default_rng(0)
    init = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
    grads = [[rng.standard_normal(s).astype(dtype) for s in SHAPES] for _ in range(20)]
    params, opts = {}, {}
    for T in LIBS:
        params[T] = [T.tensor(a.copy(), requires_grad=True) for a in init]
        opts[T] = T.optim.Adafactor(params[T], lr=0.1, weight_decay=0.01, d=1.2)
    for step, gs in enumerate(grads):
        for T in LIBS:
            for p, g in zip(params[T], gs):
                p.grad = T.tensor(g.copy())
            opts[T].step()
        for i, (po, pt) in enumerate(zip(params[mt], params[torch])):
            assert_close(po, pt, f"step {step} param {SHAPES[i]}")
            compare_state(opts[mt].state[po], opts[torch].state[pt],
                          f"step {step} state {SHAPES[i]}", float_rtol=1e-10)
    assert list(opts[mt].state[params[mt][5]]) == ["step", "row_var", "col_var"]
    assert list(opts[mt].state[params[mt][2]]) == ["step", "variance"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("foreach", [False, True])
def test_tensor_lr(dtype, foreach):
    """A Tensor lr (float32) enters torch's arithmetic as a tensor: rho_t * RMS and lr *
    weight_decay round to float32 even for float64 parameters."""
    probs, opts = {}, {}
    for T in LIBS:
        from optim_problem import Problem
        probs[T] = Problem(T, dtype)
        opts[T] = T.optim.Adafactor(probs[T].groups(), lr=T.tensor([0.03]), weight_decay=0.1,
                                    foreach=foreach)
    for step in range(10):
        for T in LIBS:
            opts[T].zero_grad()
            probs[T].loss().backward()
            opts[T].step()
        compare(probs, opts, f"step {step + 1}")


def test_eps1_none_takes_the_first_parameters_dtype():
    """eps1=None becomes finfo(dtype).eps of the first parameter of the group and stays so
    for the rest of it (torch's loop rebinds eps1 once): a float32 parameter after a float64
    one is clamped with float64's eps."""
    out = {}
    for T in LIBS:
        a = T.tensor([1e-3, -2e-3], dtype=T.float64, requires_grad=True)
        b = T.tensor([[1e-3, 0.0], [3e-3, 1e-3]], dtype=T.float32, requires_grad=True)
        opt = T.optim.Adafactor([a, b], lr=0.1)
        for _ in range(3):
            a.grad = T.tensor([1e-9, 0.0], dtype=T.float64)
            b.grad = T.tensor([[1e-6, 0.0], [1e-5, 3e-9]], dtype=T.float32)
            opt.step()
        out[T] = (a, b)
    for o, t in zip(out[mt], out[torch]):
        assert_close(o, t)


@pytest.mark.parametrize("direction", ["torch_to_ours", "ours_to_torch"])
def test_checkpoint_continues_in_the_other_library(direction):
    src, dst = (torch, mt) if direction == "torch_to_ours" else (mt, torch)
    kwargs = dict(lr=0.05, weight_decay=0.1, eps=(1e-20, 1e-3))
    probs, opts = make_pair("Adafactor", kwargs, np.float64, lr2=0.02)
    for _ in range(4):
        opts[src].zero_grad()
        probs[src].loss().backward()
        opts[src].step()
    sd = opts[src].state_dict()
    for k, p in probs[dst].params.items():
        p.data = dst.tensor(probs[src].params[k].detach().numpy().copy())
    converted = {"state": {i: {k: dst.tensor(v.detach().numpy().copy()) for k, v in s.items()}
                           for i, s in sd["state"].items()},
                 "param_groups": [dict(g) for g in sd["param_groups"]]}
    opts[dst].load_state_dict(converted)
    assert opts[dst].state_dict()["param_groups"] == sd["param_groups"]
    for step in range(5):
        for T in LIBS:
            opts[T].zero_grad()
            probs[T].loss().backward()
            opts[T].step()
        compare(probs, opts, f"resumed step {step + 1}")


def test_state_dict_layout_and_old_number_step():
    sds = {}
    for T in LIBS:
        from optim_problem import Problem
        prob = Problem(T, np.float32)
        opt = T.optim.Adafactor(prob.groups(lr2=0.02), eps=(1e-5, 1e-3))
        prob.loss().backward()
        opt.step()
        sds[T] = opt.state_dict()
        # a checkpoint whose step is a Python number: __setstate__ makes it a 0-d tensor
        sd = {"state": {i: {**s, "step": 1} for i, s in sds[T]["state"].items()},
              "param_groups": sds[T]["param_groups"]}
        opt.load_state_dict(sd)
        assert all(isinstance(s["step"], T.Tensor) and s["step"].dtype == T.float32
                   for s in opt.state.values())
    assert sds[mt]["param_groups"] == sds[torch]["param_groups"]
    for i in sds[torch]["state"]:
        compare_state(sds[mt]["state"][i], sds[torch]["state"][i], f"state {i}",
                      float_rtol=1e-5)


@pytest.mark.parametrize("maximize", [False, True])
def test_pure_function_on_arrays(maximize):
    """``optim._adafactor.adafactor`` (torch) and ``optim.adafactor.adafactor`` (ours) with
    the same lists: ours works on NumPy arrays in place."""
    from minitorch_ref.optim.adafactor import adafactor
    from torch.optim._adafactor import adafactor as torch_adafactor
    rng = np.random.default_rng(1)
    params = [rng.standard_normal(s) for s in [(3, 4), (5,), (2, 2, 3)]]
    grads = [rng.standard_normal(p.shape) for p in params]
    rows = [np.zeros((3, 1)), None, np.zeros((2, 2, 1))]
    cols = [np.zeros((1, 4)), None, np.zeros((2, 1, 3))]
    variances = [None, np.zeros(5), None]
    ours = [[None if a is None else a.copy() for a in lst]
            for lst in (params, rows, cols, variances)]
    steps = [np.array(0.0, np.float32) for _ in params]
    t = [[None if a is None else torch.tensor(a) for a in lst]
         for lst in (params, rows, cols, variances)]
    t_steps = [torch.tensor(0.0) for _ in params]
    kw = dict(d=1.0, lr=0.1, beta2_decay=-0.8, weight_decay=0.01, eps1=None, eps2=1e-3,
              maximize=maximize)
    for _ in range(5):
        adafactor(ours[0], grads, ours[1], ours[2], ours[3], steps, **kw)
        torch_adafactor(t[0], [torch.tensor(g) for g in grads], t[1], t[2], t[3], t_steps,
                        **kw)
    for lo, lt in zip(ours, t):
        for a, b in zip(lo, lt):
            if b is not None:
                np.testing.assert_allclose(a, b.numpy(), rtol=1e-10, atol=1e-12)
    assert [s.item() for s in steps] == [5.0, 5.0, 5.0]


BAD = [dict(lr=-1.0), dict(beta2_decay=0.5), dict(eps=(-1e-3, 1e-3)), dict(eps=(None, -1.0)),
       dict(d=0.5), dict(weight_decay=-0.1)]


@pytest.mark.parametrize("kwargs", BAD, ids=[str(k) for k in BAD])
def test_bad_hyperparameters(kwargs):
    check_raises(lambda T: T.optim.Adafactor([T.zeros(2, requires_grad=True)], **kwargs))


def test_tensor_lr_must_have_one_element_and_repr():
    check_raises(lambda T: T.optim.Adafactor([T.zeros(2, requires_grad=True)],
                                             lr=T.tensor([0.1, 0.2])))
    reprs = {T: repr(T.optim.Adafactor([{"params": [T.zeros(2, requires_grad=True)]},
                                        {"params": [T.zeros(2, requires_grad=True)],
                                         "lr": 0.5, "eps": (1e-6, 1e-2)}], d=2.0))
             for T in LIBS}
    assert reprs[mt] == reprs[torch]
