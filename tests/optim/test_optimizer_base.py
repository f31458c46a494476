"""The Optimizer base against torch: parameter groups, zero_grad, closures, hooks, repr, the
validation errors of every optimizer, and the conventions the docstrings describe (momentum
form versus the lecture's, Adagrad's per-feature rates, Adam's bias correction)."""
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from torch.optim.optimizer import register_optimizer_step_pre_hook as torch_register_pre

from harness import LIBS, assert_close, check_raises
from optim_problem import Problem, compare, make_pair


def _p(T, n: int = 2):
    return T.zeros(n, requires_grad=True)


# -- validation errors: same exception type and message as torch --------------------------------
BAD_KWARGS = [
    ("SGD", dict(lr=-0.1)), ("SGD", dict(momentum=-0.5)), ("SGD", dict(weight_decay=-1e-3)),
    ("SGD", dict(nesterov=True)), ("SGD", dict(momentum=0.9, dampening=0.1, nesterov=True)),
    ("SGD", dict(fused=True, differentiable=True)), ("SGD", dict(fused=True, foreach=True)),
    ("Adam", dict(lr=-1.0)), ("Adam", dict(eps=-1e-8)), ("Adam", dict(betas=(1.0, 0.999))),
    ("Adam", dict(betas=(0.9, -0.1))), ("Adam", dict(betas=(0.9, 1.0))),
    ("Adam", dict(weight_decay=-0.1)), ("Adam", dict(betas=(0, 0.999))),
    ("Adam", dict(fused=True, foreach=True)), ("Adam", dict(fused=True, differentiable=True)),
    ("AdamW", dict(lr=-1.0)), ("AdamW", dict(betas=(0.9, 1.5))),
    ("AdamW", dict(weight_decay=-0.01)),
    ("Adagrad", dict(lr=-0.1)), ("Adagrad", dict(lr_decay=-0.1)),
    ("Adagrad", dict(weight_decay=-0.1)), ("Adagrad", dict(initial_accumulator_value=-1.0)),
    ("Adagrad", dict(eps=-1.0)), ("Adagrad", dict(fused=True, foreach=True)),
    ("RMSprop", dict(lr=-0.1)), ("RMSprop", dict(eps=-1.0)), ("RMSprop", dict(momentum=-0.1)),
    ("RMSprop", dict(weight_decay=-0.1)), ("RMSprop", dict(alpha=-0.1)),
    ("RMSprop", dict(fused=True)),
    ("Adadelta", dict(lr=-1.0)), ("Adadelta", dict(rho=1.5)), ("Adadelta", dict(eps=-1.0)),
    ("Adadelta", dict(weight_decay=-1.0)), ("Adadelta", dict(fused=True)),
    ("Adamax", dict(lr=-1.0)), ("Adamax", dict(eps=-1.0)), ("Adamax", dict(betas=(1.0, 0.5))),
    ("Adamax", dict(betas=(0.5, 1.0))), ("Adamax", dict(weight_decay=-1.0)),
    ("NAdam", dict(lr=-1.0)), ("NAdam", dict(eps=-1.0)), ("NAdam", dict(betas=(-0.1, 0.5))),
    ("NAdam", dict(betas=(0.5, 2.0))), ("NAdam", dict(weight_decay=-1.0)),
    ("NAdam", dict(momentum_decay=-1.0)),
    ("RAdam", dict(lr=-1.0)), ("RAdam", dict(eps=-1.0)), ("RAdam", dict(betas=(1.0, 0.5))),
    ("RAdam", dict(betas=(0.5, 1.0))), ("RAdam", dict(weight_decay=-1.0)),
    ("Rprop", dict(lr=-1.0)), ("Rprop", dict(etas=(1.5, 1.2))), ("Rprop", dict(etas=(0.5, 0.9))),
    ("Rprop", dict(etas=(0.0, 1.2))),
    ("ASGD", dict(lr=-1.0)), ("ASGD", dict(weight_decay=-1.0)), ("ASGD", dict(fused=True)),
    ("LBFGS", dict(lr=-1.0)), ("LBFGS", dict(foreach=True)),
]


@pytest.mark.parametrize("name,kwargs", BAD_KWARGS,
                         ids=[f"{n}-{'-'.join(k)}-{i}" for i, (n, k) in enumerate(BAD_KWARGS)])
def test_bad_hyperparameters(name, kwargs):
    check_raises(lambda T: getattr(T.optim, name)([_p(T)], **kwargs))


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad", "RMSprop", "Adadelta",
                                  "Adamax", "NAdam", "RAdam", "Rprop", "ASGD", "LBFGS",
                                  "Adafactor"])
def test_bad_params(name):
    opt = lambda T, params: getattr(T.optim, name)(params, lr=0.1)  # noqa: E731
    check_raises(lambda T: opt(T, []))                          # empty parameter list
    check_raises(lambda T: opt(T, _p(T)))                       # a single tensor
    check_raises(lambda T: opt(T, [1.0]))                       # not a tensor
    check_raises(lambda T: opt(T, [_p(T) * 2]))                 # not a leaf
    check_raises(lambda T: opt(T, [{"params": {_p(T)}}]))       # a set: unordered
    check_raises(lambda T: opt(T, [("a", _p(T)), _p(T)]))       # names for some only


def test_tensor_lr_must_have_one_element():
    check_raises(lambda T: T.optim.SGD([_p(T)], lr=T.tensor([0.1, 0.2])))
    check_raises(lambda T: T.optim.Adam([_p(T)], lr=T.tensor([0.1, 0.2])))


def test_parameter_in_two_groups():
    def fn(T):
        p = _p(T)
        T.optim.SGD([{"params": [p]}, {"params": [p], "lr": 0.1}], lr=0.1)
    check_raises(fn)

    def add_later(T):
        p = _p(T)
        opt = T.optim.Adam([p])
        opt.add_param_group({"params": p})
    check_raises(add_later)


def test_add_param_group_errors_and_defaults():
    check_raises(lambda T: T.optim.SGD([_p(T)]).add_param_group([_p(T)]))
    check_raises(lambda T: T.optim.SGD([("a", _p(T))]).add_param_group({"params": [_p(T)]}))
    for T in LIBS:
        opt = T.optim.SGD([_p(T)], lr=0.1, momentum=0.9)
        q = _p(T)
        opt.add_param_group({"params": q, "lr": 0.01})
        assert opt.param_groups[1]["params"] == [q] or opt.param_groups[1]["params"][0] is q
        assert opt.param_groups[1]["lr"] == 0.01 and opt.param_groups[1]["momentum"] == 0.9


def test_required_option():
    from minitorch_ref.optim.optimizer import required as mt_required
    from torch.optim.optimizer import required as torch_required

    class Mine:
        pass
    errors = {}
    for T, req in ((torch, torch_required), (mt, mt_required)):
        with pytest.raises(ValueError) as e:
            T.optim.Optimizer([{"params": [_p(T)]}], {"lr": req})
        errors[T] = str(e.value)
    assert errors[mt] == errors[torch]
    assert repr(mt_required) == repr(torch_required)


def test_duplicate_parameter_in_a_group_warns():
    for T in LIBS:
        p = _p(T)
        with pytest.warns(UserWarning, match="duplicate parameters"):
            T.optim.SGD([p, p], lr=0.1)


def test_named_parameters_groups():
    sds = {}
    for T in LIBS:
        a, b = _p(T), _p(T, 3)
        opt = T.optim.Adam([("a", a), ("b", b)], lr=0.1)
        a.grad = T.ones(2)
        opt.step()
        sds[T] = opt.state_dict()
    assert sds[mt]["param_groups"] == sds[torch]["param_groups"]
    assert sds[mt]["param_groups"][0]["param_names"] == ["a", "b"]


def test_repr_matches_torch():
    for name, kw in [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", {}), ("AdamW", {}),
                     ("Adagrad", {}), ("RMSprop", {}), ("LBFGS", {}), ("Rprop", {}),
                     ("ASGD", {}), ("NAdam", {}), ("RAdam", {}), ("Adamax", {}),
                     ("Adadelta", {})]:
        reprs = {T: repr(getattr(T.optim, name)([{"params": [_p(T)]}] + (
            [{"params": [_p(T)], "lr": 0.5}] if name != "LBFGS" else []), **kw))
            for T in LIBS}
        assert reprs[mt] == reprs[torch], name


# -- zero_grad, step, closures, hooks -----------------------------------------------------------
def test_zero_grad_set_to_none_and_in_place():
    for T in LIBS:
        p = _p(T, 3)
        opt = T.optim.SGD([p], lr=0.1)
        (p * 2).sum().backward()
        g = p.grad
        opt.zero_grad(set_to_none=False)
        assert p.grad is g and p.grad.tolist() == [0.0, 0.0, 0.0]
        (p * 2).sum().backward()
        assert p.grad.tolist() == [2.0, 2.0, 2.0]
        opt.zero_grad()
        assert p.grad is None


def test_step_returns_closure_loss_and_runs_it_with_grad():
    for T in LIBS:
        p = T.tensor([1.0, -2.0], requires_grad=True)
        opt = T.optim.SGD([p], lr=0.1)

        def closure():
            opt.zero_grad()
            loss = (p * p).sum()
            loss.backward()
            return loss
        with T.no_grad():
            loss = opt.step(closure)
        assert float(loss.detach()) == 5.0
        assert p.detach().numpy().tolist() == pytest.approx([0.8, -1.6])
        assert opt.step() is None


@pytest.mark.parametrize("name", ["SGD", "Adam", "Adagrad", "RMSprop", "Rprop", "ASGD"])
def test_params_without_grad_are_skipped(name):
    for T in LIBS:
        p, q = _p(T), T.ones(2, requires_grad=True)
        opt = getattr(T.optim, name)([p, q], lr=0.1)
        p.grad = T.ones(2)
        opt.step()
        assert q.detach().numpy().tolist() == [1.0, 1.0]
        assert len(opt.state[q]) == (2 if name == "Adagrad" else 0)


def test_step_hooks():
    calls = {}
    for T in LIBS:
        log = []
        p = _p(T)
        opt = T.optim.SGD([p], lr=0.1)
        p.grad = T.ones(2)
        h1 = opt.register_step_pre_hook(lambda o, a, k: log.append(("pre", len(a), dict(k))))
        h2 = opt.register_step_post_hook(lambda o, a, k: log.append(("post", len(a))))
        register = torch_register_pre if T is torch else \
            mt.optim.optimizer.register_optimizer_step_pre_hook
        g = register(lambda o, a, k: log.append("global"))
        opt.step()
        h1.remove()
        g.remove()
        opt.step()
        h2.remove()
        opt.step()
        calls[T] = log
    assert calls[mt] == calls[torch]
    assert calls[mt][:3] == ["global", ("pre", 1, {}), ("post", 1)]


def test_step_pre_hook_can_replace_arguments_or_must_return_a_pair():
    for T in LIBS:
        p = _p(T)
        opt = T.optim.SGD([p], lr=0.1)

        def closure():
            return T.tensor(7.0)
        h = opt.register_step_pre_hook(lambda o, a, k: ((a[0],), {"closure": closure}))
        assert float(opt.step()) == 7.0
        h.remove()
        opt.register_step_pre_hook(lambda o, a, k: 3)
        with pytest.raises(RuntimeError, match="must return None or a tuple"):
            opt.step()


def test_state_dict_hooks():
    logs = {}
    for T in LIBS:
        log = []
        opt = T.optim.SGD([_p(T)], lr=0.1)
        opt.register_state_dict_pre_hook(lambda o: log.append("pre"))
        opt.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 1})
        opt.register_load_state_dict_pre_hook(lambda o, sd: log.append("load_pre"))
        opt.register_load_state_dict_post_hook(lambda o: log.append("load_post"),
                                               prepend=True)
        sd = opt.state_dict()
        log.append(sd["extra"])
        opt.load_state_dict(sd)
        logs[T] = log
    assert logs[mt] == logs[torch] == ["pre", 1, "load_pre", "load_post"]


@pytest.mark.parametrize("name", ["Adam", "AdamW", "RMSprop", "Adadelta", "Adamax", "NAdam",
                                  "RAdam", "Rprop", "ASGD"])
def test_capturable_on_cpu_fails_at_step_like_torch(name):
    def fn(T):
        p = _p(T)
        opt = getattr(T.optim, name)([p], capturable=True)
        p.grad = T.ones(2)
        opt.step()
    check_raises(fn)


def test_differentiable_with_leaf_parameter_fails_like_torch():
    def fn(T):
        p = _p(T)
        opt = T.optim.SGD([p], lr=0.1, differentiable=True)
        p.grad = T.ones(2)
        opt.step()
    check_raises(fn)


def test_tensor_lr():
    probs, opts = {}, {}
    for T in LIBS:
        probs[T] = Problem(T, np.float64)
        # from an ndarray: Python floats with dtype=float64 are first rounded to float32 by
        # minitorch_ref.tensor at the time of writing (an op-library bug, reported)
        opts[T] = T.optim.Adam(probs[T].groups(), lr=T.tensor(np.array(0.01)))
    for step in range(5):
        for T in LIBS:
            opts[T].zero_grad()
            probs[T].loss().backward()
            opts[T].step()
        for k in probs[torch].params:
            assert_close(probs[mt].params[k], probs[torch].params[k], f"{k} step {step}")


@pytest.mark.parametrize("name", ["Adam", "SGD", "Adagrad", "NAdam"])
def test_step_state_dtype_follows_default_dtype(name):
    dtypes = {}
    for T in LIBS:
        old = T.get_default_dtype()
        T.set_default_dtype(T.float64)
        try:
            p = T.zeros(2, dtype=T.float32, requires_grad=True)
            opt = getattr(T.optim, name)([p], lr=0.1, momentum=0.9) if name == "SGD" \
                else getattr(T.optim, name)([p], lr=0.1)
            p.grad = T.ones(2, dtype=T.float32)
            opt.step()
            dtypes[T] = {k: str(v.dtype) for k, v in opt.state[p].items()}
        finally:
            T.set_default_dtype(old)
    assert dtypes[mt] == dtypes[torch]


# -- the conventions the docstrings explain -----------------------------------------------------
def _lecture_momentum(W0, grads_fn, lrs, beta):
    """The lecture's form: V_t = beta V_{t-1} + alpha_t grad;  W = W - V_t (V_0 = 0)."""
    W, V = W0.copy(), np.zeros_like(W0)
    out = []
    for lr in lrs:
        V = beta * V + lr * grads_fn(W)
        W = W - V
        out.append(W.copy())
    return out


def test_momentum_convention_versus_the_lecture_form():
    """torch's SGD keeps lr out of the velocity (b = mu b + g; W -= lr b). With a fixed lr this
    equals the lecture's V = beta V + lr g; W -= V (V = lr b); once a scheduler changes lr the
    two part ways: torch rescales the whole accumulated velocity by the new lr at once."""
    A = np.array([[3.0, 0.5], [0.5, 1.0]])
    grad = lambda w: A @ w  # noqa: E731  (gradient of w.A.w / 2)
    w0 = np.array([1.0, -2.0])

    def ours_and_torch(schedule: bool):
        traj = {}
        for T in LIBS:
            w = T.tensor(w0.copy(), requires_grad=True)
            opt = T.optim.SGD([w], lr=0.1, momentum=0.9)
            sched = T.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.1) if schedule \
                else None
            lrs, out = [], []
            for _ in range(12):
                lrs.append(opt.param_groups[0]["lr"])
                w.grad = T.tensor(grad(w.detach().numpy()))
                opt.step()
                if sched:
                    sched.step()
                out.append(w.detach().numpy().copy())
            traj[T] = (lrs, out)
        return traj

    fixed = ours_and_torch(schedule=False)
    lecture = _lecture_momentum(w0, grad, fixed[mt][0], 0.9)
    for o, t, lec in zip(fixed[mt][1], fixed[torch][1], lecture):
        assert_close(o, t)
        np.testing.assert_allclose(o, lec, rtol=1e-12, atol=1e-14)   # same sequence

    sched = ours_and_torch(schedule=True)
    lecture = _lecture_momentum(w0, grad, sched[mt][0], 0.9)
    for o, t in zip(sched[mt][1], sched[torch][1]):
        assert_close(o, t)                                            # torch's, exactly
    for o, lec in zip(sched[mt][1][:5], lecture[:5]):
        np.testing.assert_allclose(o, lec, rtol=1e-12, atol=1e-14)   # before the lr drop
    gap = max(np.abs(o - lec).max() for o, lec in zip(sched[mt][1], lecture))
    assert gap > 1e-2, "after the lr drop the two conventions must part ways"


def test_adagrad_per_feature_rates():
    """Each weight's step is lr / (sqrt(G) + eps) times its gradient, G its own running sum of
    squared gradients: a feature with large, frequent gradients gets a small rate, a rare one
    keeps a large rate."""
    g_frequent, g_rare = 1.0, 0.0
    for T in LIBS:
        w = T.zeros(2, dtype=T.float64, requires_grad=True)
        opt = T.optim.Adagrad([w], lr=0.5, eps=1e-10)
        for t in range(10):
            w.grad = T.tensor([g_frequent, 1.0 if t == 9 else g_rare], dtype=T.float64)
            before = w.detach().numpy().copy()
            opt.step()
        step = before - w.detach().numpy()
        G = opt.state[w]["sum"].numpy()
        np.testing.assert_allclose(G, [10.0, 1.0])
        np.testing.assert_allclose(step / np.array([1.0, 1.0]), 0.5 / (np.sqrt(G) + 1e-10))
        assert step[1] > 3 * step[0]


def test_adam_bias_correction_first_step():
    """At t = 1, m_hat = g and v_hat = g^2, so the first step is lr * g / (|g| + eps): about lr
    per weight whatever the gradient's scale."""
    for T in LIBS:
        w = T.zeros(3, dtype=T.float64, requires_grad=True)
        opt = T.optim.Adam([w], lr=0.01, eps=1e-8)
        w.grad = T.tensor(np.array([1e-3, -2.0, 50.0]))
        opt.step()
        g = np.array([1e-3, -2.0, 50.0])
        np.testing.assert_allclose(w.detach().numpy(), -0.01 * g / (np.abs(g) + 1e-8),
                                   rtol=1e-12)


def test_step_bumps_the_parameter_version():
    p = _p(mt)
    opt = mt.optim.SGD([p], lr=0.1)
    p.grad = mt.ones(2)
    v = p._version
    opt.step()
    assert p._version == v + 1


def test_warnings_free_trajectory_smoke():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        probs, opts = make_pair("SGD", dict(lr=0.1, momentum=0.5), np.float64)
        for T in LIBS:
            opts[T].zero_grad()
            probs[T].loss().backward()
            opts[T].step()
        compare(probs, opts)


def test_user_defined_optimizer_subclass():
    """The way users write their own optimizer against torch's API works unchanged."""
    results = {}
    for T in LIBS:
        class SignSGD(T.optim.Optimizer):
            def __init__(self, params, lr=0.01):
                super().__init__(params, dict(lr=lr))

            @T.no_grad()
            def step(self, closure=None):
                loss = None
                if closure is not None:
                    with T.enable_grad():
                        loss = closure()
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        state = self.state[p]
                        state["n"] = state.get("n", 0) + 1
                        p.add_(p.grad.sign(), alpha=-group["lr"])
                return loss
        w = T.tensor(np.array([1.0, -2.0]), requires_grad=True)
        opt = SignSGD([w], lr=0.1)
        log = []
        opt.register_step_post_hook(lambda o, a, k: log.append("post"))
        for _ in range(3):
            opt.zero_grad()
            (w * w).sum().backward()
            opt.step()
        results[T] = (w.detach().numpy().copy(), opt.state_dict()["state"], log, repr(opt))
    np.testing.assert_allclose(results[mt][0], results[torch][0])
    assert results[mt][1:] == results[torch][1:]
