"""Learning-rate schedulers against torch: learning rates (and cycled momenta) after every step
of long runs over a grid of options, the closed forms behind ``step(epoch)``, schedulers
driving optimizers, ReduceLROnPlateau's bookkeeping, state_dict round trips both ways, and
torch's errors and warnings."""
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check_raises
from optim_problem import compare, make_pair


def _sched_module(T):
    return T.optim.lr_scheduler


def _optimizer(T, name="SGD", lr=0.1, lr2=0.05, **kw):
    p, q = T.zeros(2, requires_grad=True), T.zeros(3, requires_grad=True)
    if name == "SGD":
        kw.setdefault("momentum", 0.9)
    return getattr(T.optim, name)([{"params": [p]}, {"params": [q], "lr": lr2}], lr=lr, **kw)


def _assert_same_lrs(ours: list, theirs: list, what: str) -> None:
    assert len(ours) == len(theirs), what
    for o, t in zip(ours, theirs):
        assert type(o) is type(t) or (isinstance(o, float) and isinstance(t, float)), what
        assert o == t or (o != o and t != t), f"{what}: {o!r} != {t!r}"


def _momenta(opt) -> list:
    return [g["betas"][0] if "betas" in g else g.get("momentum") for g in opt.param_groups]


SCHEDULERS = {
    "StepLR": lambda S, o: S.StepLR(o, step_size=7, gamma=0.5),
    "StepLR_last": lambda S, o: S.StepLR(o, step_size=1, gamma=0.97),
    "MultiStepLR": lambda S, o: S.MultiStepLR(o, milestones=[3, 3, 10, 50, 120], gamma=0.3),
    "ConstantLR": lambda S, o: S.ConstantLR(o, factor=0.3, total_iters=13),
    "ConstantLR_default": lambda S, o: S.ConstantLR(o),
    "LinearLR": lambda S, o: S.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=37),
    "LinearLR_down": lambda S, o: S.LinearLR(o, start_factor=1.0, end_factor=0.0,
                                             total_iters=100),
    "ExponentialLR": lambda S, o: S.ExponentialLR(o, gamma=0.99),
    "PolynomialLR": lambda S, o: S.PolynomialLR(o, total_iters=100, power=2.0),
    "PolynomialLR_lin": lambda S, o: S.PolynomialLR(o, total_iters=30),
    "CosineAnnealingLR": lambda S, o: S.CosineAnnealingLR(o, T_max=30, eta_min=0.001),
    "CosineAnnealingLR_0": lambda S, o: S.CosineAnnealingLR(o, T_max=17),
    "WarmRestarts": lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=10, T_mult=2,
                                                              eta_min=0.001),
    "WarmRestarts_1": lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=7),
    "LambdaLR": lambda S, o: S.LambdaLR(o, lambda e: 0.95 ** e),
    "LambdaLR_two": lambda S, o: S.LambdaLR(o, [lambda e: 1 / (1 + e), lambda e: 0.99 ** e]),
    "MultiplicativeLR": lambda S, o: S.MultiplicativeLR(o, lambda e: 0.97),
    "CyclicLR": lambda S, o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=13),
    "CyclicLR_tri2": lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=9, step_size_down=4,
                                             mode="triangular2"),
    "CyclicLR_exp": lambda S, o: S.CyclicLR(o, [0.01, 0.02], [0.1, 0.2], step_size_up=13,
                                            mode="exp_range", gamma=0.99,
                                            base_momentum=[0.7, 0.8], max_momentum=0.95),
    "CyclicLR_fn": lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=5,
                                           scale_fn=lambda x: 1 / (1 + x), scale_mode="iterations",
                                           cycle_momentum=False),
    "OneCycleLR": lambda S, o: S.OneCycleLR(o, max_lr=0.5, total_steps=300),
    "OneCycleLR_3": lambda S, o: S.OneCycleLR(o, max_lr=[0.5, 0.3], epochs=10,
                                              steps_per_epoch=30, three_phase=True,
                                              anneal_strategy="linear", pct_start=0.25),
    "OneCycleLR_nomom": lambda S, o: S.OneCycleLR(o, 1.0, total_steps=300, div_factor=10.0,
                                                  final_div_factor=100.0,
                                                  cycle_momentum=False),
    "SequentialLR": lambda S, o: S.SequentialLR(
        o, [S.LinearLR(o, 0.1, 1.0, 10), S.CosineAnnealingLR(o, 50)], milestones=[10]),
    "SequentialLR_3": lambda S, o: S.SequentialLR(
        o, [S.ConstantLR(o, 0.5, 5), S.ExponentialLR(o, 0.9), S.StepLR(o, 20, 0.5)],
        milestones=[5, 40]),
    "ChainedScheduler": lambda S, o: S.ChainedScheduler(
        [S.ExponentialLR(o, 0.99), S.StepLR(o, 10, 0.5), S.ConstantLR(o, 0.1, 4)]),
}


def _run(T, make, opt_name="SGD", steps=300, **opt_kw):
    opt = _optimizer(T, opt_name, **opt_kw)
    sched = make(_sched_module(T), opt)
    out = [(list(sched.get_last_lr()), [g["lr"] for g in opt.param_groups], _momenta(opt))]
    for _ in range(steps):
        opt.step()
        sched.step()
        out.append((list(sched.get_last_lr()), [g["lr"] for g in opt.param_groups],
                    _momenta(opt)))
    return out, opt, sched


@pytest.mark.parametrize("opt_name", ["SGD", "Adam"])
@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_lr_sequence_matches_torch(name, opt_name):
    res = {T: _run(T, SCHEDULERS[name], opt_name)[0] for T in LIBS}
    for i, (o, t) in enumerate(zip(res[mt], res[torch])):
        _assert_same_lrs(o[0], t[0], f"{name} get_last_lr at step {i}")
        _assert_same_lrs(o[1], t[1], f"{name} group lr at step {i}")
        _assert_same_lrs(o[2], t[2], f"{name} momentum at step {i}")


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ConstantLR", "LinearLR",
                                  "ExponentialLR", "PolynomialLR", "CosineAnnealingLR",
                                  "WarmRestarts", "WarmRestarts_1", "LambdaLR"])
def test_closed_form_with_epoch_argument(name):
    epochs = [0, 1, 2, 5, 13, 14, 40, 41, 99, 120, 7, 3]
    if name.startswith("WarmRestarts"):
        epochs += [2.5, 10.25, 33.75, 70.0]   # fractional epochs, as in per-batch use
    lrs = {}
    for T in LIBS:
        opt = _optimizer(T)
        sched = SCHEDULERS[name](_sched_module(T), opt)
        seq = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for e in epochs:
                opt.step()
                sched.step(e)
                seq.append(list(sched.get_last_lr()))
        assert any("epoch parameter" in str(w.message) for w in caught) or \
            name.startswith("WarmRestarts")
        lrs[T] = seq
    for i, (o, t) in enumerate(zip(lrs[mt], lrs[torch])):
        _assert_same_lrs(o, t, f"{name} at epoch {epochs[i]}")


def test_warm_restarts_negative_epoch():
    def fn(T):
        s = T.optim.lr_scheduler.CosineAnnealingWarmRestarts(_optimizer(T), T_0=5)
        s.step(-1)
    check_raises(fn)


PLATEAU = [
    dict(),
    dict(mode="max", factor=0.5, patience=2),
    dict(mode="min", threshold=0.1, threshold_mode="abs", cooldown=3, patience=1),
    dict(mode="max", threshold=0.05, threshold_mode="rel", min_lr=[0.02, 0.001], factor=0.3,
         patience=0),
    dict(factor=0.5, patience=1, eps=0.01, min_lr=0.003),
]


def _metric(i: int) -> float:
    # improving, then noisy plateaus, then improving again, then worse
    if i < 20:
        return 1.0 / (1 + i)
    if i < 60:
        return 0.05 + 0.001 * ((i * 7) % 5)
    if i < 80:
        return 0.05 - 0.002 * (i - 60)
    return 0.02 + 0.01 * (i % 3)


@pytest.mark.parametrize("kwargs", PLATEAU, ids=[str(i) for i in range(len(PLATEAU))])
@pytest.mark.parametrize("metric_type", ["float", "tensor"])
def test_reduce_lr_on_plateau(kwargs, metric_type):
    states = {}
    for T in LIBS:
        opt = _optimizer(T, "Adam")
        sched = T.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
        seq = []
        for i in range(120):
            opt.step()
            m = _metric(i) if metric_type == "float" else T.tensor(np.array(_metric(i)))
            sched.step(m)
            seq.append((list(sched.get_last_lr()), sched.best, sched.num_bad_epochs,
                        sched.cooldown_counter, sched.last_epoch))
        states[T] = (seq, sched.state_dict())
    for i, (o, t) in enumerate(zip(states[mt][0], states[torch][0])):
        _assert_same_lrs(o[0], t[0], f"lr at epoch {i}")
        assert o[1:] == t[1:], f"best/num_bad_epochs/cooldown_counter/last_epoch at {i}"
    assert states[mt][1] == states[torch][1]


def test_reduce_lr_on_plateau_bad_input():
    S = _sched_module
    check_raises(lambda T: S(T).ReduceLROnPlateau(_optimizer(T), mode="average"))
    check_raises(lambda T: S(T).ReduceLROnPlateau(_optimizer(T), threshold_mode="relative"))
    check_raises(lambda T: S(T).ReduceLROnPlateau(_optimizer(T), factor=1.0))
    check_raises(lambda T: S(T).ReduceLROnPlateau(_optimizer(T), min_lr=[0.1]))
    check_raises(lambda T: S(T).ReduceLROnPlateau([T.zeros(1)]))

    def new_group_with_min_lr_list(T):
        opt = _optimizer(T)
        s = S(T).ReduceLROnPlateau(opt, patience=0, min_lr=[0.0, 0.0])
        opt.add_param_group({"params": [T.zeros(1, requires_grad=True)]})
        s.step(1.0)
        s.step(2.0)
    check_raises(new_group_with_min_lr_list)


def test_plateau_new_group_with_scalar_min_lr():
    lrs = {}
    for T in LIBS:
        opt = _optimizer(T)
        s = T.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, min_lr=0.001)
        opt.add_param_group({"params": [T.zeros(1, requires_grad=True)], "lr": 0.2})
        for m in (1.0, 2.0, 3.0):
            s.step(m)
        lrs[T] = s.get_last_lr()
    _assert_same_lrs(lrs[mt], lrs[torch], "lrs")


@pytest.mark.parametrize("opt_name,kwargs,sched", [
    ("SGD", dict(lr=0.1, momentum=0.9), lambda S, o: S.OneCycleLR(o, 0.2, total_steps=40)),
    ("Adam", dict(lr=0.02), lambda S, o: S.OneCycleLR(o, [0.05, 0.02], total_steps=40,
                                                     three_phase=True)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True),
     lambda S, o: S.CosineAnnealingWarmRestarts(o, 7, 2)),
    ("Adam", dict(lr=0.02), lambda S, o: S.CyclicLR(o, 0.001, 0.03, 6)),
    ("AdamW", dict(lr=0.02), lambda S, o: S.SequentialLR(
        o, [S.LinearLR(o, 0.2, 1.0, 5), S.ExponentialLR(o, 0.95)], [5])),
    ("RMSprop", dict(lr=0.01, momentum=0.5), lambda S, o: S.StepLR(o, 6, 0.5)),
    ("Adagrad", dict(lr=0.1), lambda S, o: S.ChainedScheduler(
        [S.ExponentialLR(o, 0.97), S.MultiStepLR(o, [10, 20], 0.5)])),
])
def test_scheduler_driving_optimizer(opt_name, kwargs, sched):
    probs, opts = make_pair(opt_name, kwargs, np.float64, lr2=kwargs["lr"] / 2)
    scheds = {T: sched(_sched_module(T), opts[T]) for T in LIBS}
    for step in range(40):
        for T in LIBS:
            opts[T].zero_grad()
            probs[T].loss().backward()
            opts[T].step()
            scheds[T].step()
        compare(probs, opts, f"{opt_name} step {step + 1}")
        _assert_same_lrs(scheds[mt].get_last_lr(), scheds[torch].get_last_lr(), "lr")


def test_plateau_driving_optimizer():
    probs, opts = make_pair("SGD", dict(lr=0.5, momentum=0.5), np.float64, lr2=0.2)
    scheds = {T: T.optim.lr_scheduler.ReduceLROnPlateau(opts[T], factor=0.5, patience=2,
                                                        threshold=0.05) for T in LIBS}
    for step in range(40):
        for T in LIBS:
            opts[T].zero_grad()
            loss = probs[T].loss()
            loss.backward()
            opts[T].step()
            scheds[T].step(loss.item())
        compare(probs, opts, f"step {step + 1}")
    assert scheds[mt].get_last_lr()[0] < 0.5   # it did reduce


# -- state dicts ----------------------------------------------------------------------------
def _normalise(sd):
    """Scheduler state dicts hold plain Python values; compare them as such."""
    return {k: (_normalise(v) if isinstance(v, dict) else
                [(_normalise(x) if isinstance(x, dict) else x) for x in v]
                if isinstance(v, list) else v) for k, v in sd.items()}


@pytest.mark.parametrize("name", [n for n in SCHEDULERS if not n.startswith("Lambda")])
@pytest.mark.parametrize("direction", ["torch_to_ours", "ours_to_torch"])
def test_scheduler_state_dict_round_trip(name, direction):
    make = SCHEDULERS[name]
    src, dst = (torch, mt) if direction == "torch_to_ours" else (mt, torch)
    _, opt_s, sched_s = _run(src, make, steps=25)
    sd = sched_s.state_dict()
    # the destination: an optimizer with the source's groups, and a fresh scheduler
    opt_d = _optimizer(dst)
    opt_d.load_state_dict(_groups_only(opt_s.state_dict(), dst))
    sched_d = make(_sched_module(dst), opt_d)
    opt_d.load_state_dict(_groups_only(opt_s.state_dict(), dst))
    sched_d.load_state_dict(sd)
    _, opt_ref, sched_ref = _run(src, make, steps=25)   # the source, uninterrupted
    for step in range(60):
        for o, s in ((opt_d, sched_d), (opt_ref, sched_ref)):
            o.step()
            s.step()
        _assert_same_lrs(sched_d.get_last_lr(), sched_ref.get_last_lr(), f"step {step}")


def _groups_only(sd, T):
    return {"state": {}, "param_groups": [dict(g) for g in sd["param_groups"]]}


@pytest.mark.parametrize("name", ["StepLR", "CyclicLR", "OneCycleLR", "SequentialLR",
                                  "ChainedScheduler", "WarmRestarts", "LambdaLR"])
def test_scheduler_state_dict_keys_match_torch(name):
    sds = {T: _run(T, SCHEDULERS[name], steps=5)[2].state_dict() for T in LIBS}
    assert sorted(sds[mt]) == sorted(sds[torch])
    for k in sds[torch]:
        if k in ("_schedulers",):
            assert [sorted(s) for s in sds[mt][k]] == [sorted(s) for s in sds[torch][k]]
        elif k != "lr_lambdas" and not callable(sds[torch][k]):
            assert sds[mt][k] == sds[torch][k], k


def test_lambda_state_dict_saves_callable_objects():
    class Decay:
        def __init__(self):
            self.rate = 0.9

        def __call__(self, epoch):
            return self.rate ** epoch
    sds = {}
    for T in LIBS:
        fn = Decay()
        s = T.optim.lr_scheduler.LambdaLR(_optimizer(T), [lambda e: 1.0, fn])
        fn.rate = 0.5
        sds[T] = s.state_dict()
        fn2 = Decay()
        s2 = T.optim.lr_scheduler.LambdaLR(_optimizer(T), [lambda e: 1.0, fn2])
        s2.load_state_dict(sds[T])
        assert fn2.rate == 0.5
    assert sds[mt]["lr_lambdas"] == sds[torch]["lr_lambdas"] == [None, {"rate": 0.5}]


# -- errors and warnings --------------------------------------------------------------------
BAD = [
    lambda S, o: S.StepLR([1], 3),
    lambda S, o: S.ConstantLR(o, factor=1.5),
    lambda S, o: S.ConstantLR(o, factor=-0.1),
    lambda S, o: S.LinearLR(o, start_factor=0.0),
    lambda S, o: S.LinearLR(o, start_factor=1.5),
    lambda S, o: S.LinearLR(o, end_factor=1.5),
    lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=0),
    lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=2.5),
    lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=0),
    lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=5, eta_min="0"),
    lambda S, o: S.LambdaLR(o, [lambda e: 1.0]),
    lambda S, o: S.MultiplicativeLR(o, [lambda e: 1.0]),
    lambda S, o: S.MultiplicativeLR(o, 0.5),
    lambda S, o: S.CyclicLR(o, 0.01, 0.1, mode="sawtooth"),
    lambda S, o: S.CyclicLR(o, [0.01], 0.1),
    lambda S, o: S.OneCycleLR(o, 0.1),
    lambda S, o: S.OneCycleLR(o, 0.1, total_steps=0),
    lambda S, o: S.OneCycleLR(o, 0.1, epochs=0, steps_per_epoch=10),
    lambda S, o: S.OneCycleLR(o, 0.1, epochs=3, steps_per_epoch=-1),
    lambda S, o: S.OneCycleLR(o, 0.1, total_steps=10, pct_start=1.5),
    lambda S, o: S.OneCycleLR(o, 0.1, total_steps=10, pct_start=1),
    lambda S, o: S.OneCycleLR(o, 0.1, total_steps=10, anneal_strategy="exp"),
    lambda S, o: S.OneCycleLR(o, [0.1, 0.2, 0.3], total_steps=10),
    lambda S, o: S.StepLR(o, 3, last_epoch=5),
    lambda S, o: S.SequentialLR(o, [], []),
    lambda S, o: S.SequentialLR(o, [S.StepLR(o, 3)], [3]),
    lambda S, o: S.SequentialLR(o, [S.StepLR(o, 3), S.ReduceLROnPlateau(o)], [3]),
    lambda S, o: S.ChainedScheduler([]),
    lambda S, o: S.ChainedScheduler([S.StepLR(o, 3), S.ReduceLROnPlateau(o)]),
    lambda S, o: S.ChainedScheduler([S.StepLR(o, 3), object()]),
]


@pytest.mark.parametrize("i", range(len(BAD)))
def test_bad_scheduler_arguments(i):
    check_raises(lambda T: BAD[i](_sched_module(T), _optimizer(T)))


def test_cycle_momentum_needs_momentum():
    check_raises(lambda T: T.optim.lr_scheduler.CyclicLR(
        T.optim.Adagrad([T.zeros(1, requires_grad=True)]), 0.01, 0.1))
    check_raises(lambda T: T.optim.lr_scheduler.OneCycleLR(
        T.optim.Adagrad([T.zeros(1, requires_grad=True)]), 0.1, total_steps=5))


def test_one_cycle_too_many_steps():
    def fn(T):
        opt = _optimizer(T)
        s = T.optim.lr_scheduler.OneCycleLR(opt, 0.1, total_steps=3)
        for _ in range(4):
            opt.step()
            s.step()
    check_raises(fn)


def test_sequential_with_other_optimizer():
    def fn(T):
        o1, o2 = _optimizer(T), _optimizer(T)
        S = T.optim.lr_scheduler
        S.SequentialLR(o1, [S.StepLR(o1, 3), S.StepLR(o2, 3)], [2])
    check_raises(fn, match="expects all schedulers to belong to the same optimizer")


def test_warnings_match_torch():
    msgs = {}
    for T in LIBS:
        opt = _optimizer(T)
        s = T.optim.lr_scheduler.StepLR(opt, 3)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            s.step()                       # before any optimizer.step()
            s.get_lr()                     # outside step()
            opt.step()
            s.step()
            s.step(5)                      # the deprecated epoch argument
        msgs[T] = [str(w.message)[:60] for w in caught]
    assert msgs[mt] == msgs[torch]
    assert len(msgs[mt]) == 3


def test_initial_lr_and_base_lrs():
    for T in LIBS:
        opt = _optimizer(T)
        s = T.optim.lr_scheduler.ExponentialLR(opt, 0.5)
        assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 0.05]
        assert s.base_lrs == [0.1, 0.05] and s.last_epoch == 0
        opt.step()
        s.step()
        s2 = T.optim.lr_scheduler.ExponentialLR(opt, 0.5, last_epoch=1)   # resume
        assert s2.base_lrs == [0.1, 0.05] and s2.last_epoch == 2


def test_tensor_lr_is_filled_in_place():
    lrs = {}
    for T in LIBS:
        p = T.zeros(2, requires_grad=True)
        lr = T.tensor(np.array(0.1))
        opt = T.optim.SGD([p], lr=lr)
        s = T.optim.lr_scheduler.StepLR(opt, 2, 0.5)
        for _ in range(5):
            opt.step()
            s.step()
        assert opt.param_groups[0]["lr"] is lr
        lrs[T] = float(lr)
    assert lrs[mt] == lrs[torch] == 0.025


# -- swa_utils ------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [dict(swa_lr=0.02), dict(swa_lr=[0.01, 0.03],
                                                            anneal_epochs=5,
                                                            anneal_strategy="linear"),
                                    dict(swa_lr=0.05, anneal_epochs=0)])
def test_swalr(kwargs):
    res = {}
    for T in LIBS:
        opt = _optimizer(T)
        s = T.optim.swa_utils.SWALR(opt, **kwargs)
        seq = []
        for _ in range(30):
            opt.step()
            s.step()
            seq.append(list(s.get_last_lr()))
        res[T] = seq
    for o, t in zip(res[mt], res[torch]):
        _assert_same_lrs(o, t, "SWALR")


def test_swa_avg_functions():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(5), rng.standard_normal(5)
    for fn_name, args in [("get_ema_avg_fn", (0.9,)), ("get_swa_avg_fn", ())]:
        out = {T: getattr(T.optim.swa_utils, fn_name)(*args)(T.tensor(a), T.tensor(b), 3)
               for T in LIBS}
        assert_close(out[mt], out[torch])
    for fn_name, args in [("get_ema_multi_avg_fn", (0.9,)), ("get_swa_multi_avg_fn", ())]:
        out = {}
        for T in LIBS:
            xs, ys = [T.tensor(a.copy())], [T.tensor(b)]
            getattr(T.optim.swa_utils, fn_name)(*args)(xs, ys, T.tensor(3))
            out[T] = xs[0]
        assert_close(out[mt], out[torch])
    check_raises(lambda T: T.optim.swa_utils.get_ema_avg_fn(1.5))
    check_raises(lambda T: T.optim.swa_utils.SWALR(_optimizer(T), 0.1, anneal_epochs=-1))
    check_raises(lambda T: T.optim.swa_utils.SWALR(_optimizer(T), 0.1, anneal_strategy="x"))


# -- the scheduler-before-optimizer warning ----------------------------------------------------------
# torch counts optimizer steps taken *since* the first scheduler wrapped ``optimizer.step``.

def _opt_step(opt):
    opt.step()


WARNING_SEQUENCES = {
    "optimizer stepped before the scheduler existed": [
        _opt_step, "sched", "sched.step"],
    "optimizer stepped after": ["sched", _opt_step, "sched.step", "sched.step"],
    "never stepped": ["sched", "sched.step", "sched.step"],
    "second scheduler sees steps since the first": [
        "sched", _opt_step, "sched2", "sched2.step"],
    "second scheduler, no step": ["sched", "sched2", "sched2.step"],
    "step overridden after the scheduler": [
        "sched", lambda opt: setattr(opt, "step", lambda *a, **k: None), "sched.step"],
    "plateau": [_opt_step, "plateau", "plateau.step"],
}


@pytest.mark.parametrize("name", sorted(WARNING_SEQUENCES))
def test_scheduler_before_optimizer_warning(name):
    def run(T):
        opt = _optimizer(T)
        for p in (p for g in opt.param_groups for p in g["params"]):
            p.grad = T.ones_like(p)
        S = _sched_module(T)
        scheds = {}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for action in WARNING_SEQUENCES[name]:
                if callable(action):
                    action(opt)
                elif action == "sched":
                    scheds[action] = S.StepLR(opt, 2)
                elif action == "sched2":
                    scheds[action] = S.ExponentialLR(opt, 0.5)
                elif action == "plateau":
                    scheds[action] = S.ReduceLROnPlateau(opt)
                else:
                    key = action.split(".")[0]
                    scheds[key].step(*([1.0] if key == "plateau" else []))
        return [str(c.message)[:60] for c in caught if issubclass(c.category, UserWarning)]
    assert run(mt) == run(torch)
