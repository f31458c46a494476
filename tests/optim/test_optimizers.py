"""Every optimizer against torch, step by step: a grid of its options x float32/float64 x two
parameter groups with different learning rates (the second also holds a parameter whose grad
stays None), 50 steps; parameters and every state entry are compared after each step."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close
from optim_problem import compare, compare_state, make_pair

STEPS = 50

# (optimizer, kwargs, lr of the second group, other options of the second group)
GRID = [
    ("SGD", dict(lr=0.05), 0.02, None),
    ("SGD", dict(lr=0.05, momentum=0.9), 0.02, None),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.5, weight_decay=0.1), 0.02,
     dict(momentum=0.5)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True), 0.02, dict(weight_decay=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.8, weight_decay=0.1, maximize=True), 0.02, None),
    ("SGD", dict(lr=0.05, momentum=0.9, foreach=False), 0.02, None),
    ("Adam", dict(lr=0.02), 0.01, None),
    ("Adam", dict(lr=0.02, amsgrad=True), 0.01, dict(betas=(0.8, 0.99))),
    ("Adam", dict(lr=0.02, weight_decay=0.1), 0.01, None),
    ("Adam", dict(lr=0.02, weight_decay=0.1, amsgrad=True, maximize=True), 0.01, None),
    ("Adam", dict(lr=0.02, betas=(0.3, 0.6), eps=1e-3), 0.01, None),
    ("Adam", dict(lr=0.02, weight_decay=0.1, decoupled_weight_decay=True), 0.01, None),
    ("AdamW", dict(lr=0.02), 0.01, None),
    ("AdamW", dict(lr=0.02, weight_decay=0.2, amsgrad=True), 0.01, dict(weight_decay=0.0)),
    ("AdamW", dict(lr=0.02, maximize=True), 0.01, None),
    ("Adagrad", dict(lr=0.1), 0.05, None),
    ("Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.1), 0.05, None),
    ("Adagrad", dict(lr=0.1, initial_accumulator_value=0.5, eps=1e-3, maximize=True), 0.05,
     None),
    ("RMSprop", dict(lr=0.01), 0.005, None),
    ("RMSprop", dict(lr=0.01, centered=True), 0.005, dict(alpha=0.9)),
    ("RMSprop", dict(lr=0.01, momentum=0.9), 0.005, None),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5, weight_decay=0.1, maximize=True),
     0.005, None),
    ("Adadelta", dict(), 0.5, None),
    ("Adadelta", dict(lr=0.5, rho=0.5, eps=1e-4, weight_decay=0.1), 0.2, None),
    ("Adadelta", dict(lr=0.8, maximize=True), 0.5, None),
    ("Adamax", dict(lr=0.02), 0.01, None),
    ("Adamax", dict(lr=0.02, betas=(0.5, 0.9), weight_decay=0.1), 0.01, None),
    ("Adamax", dict(lr=0.02, eps=1e-3, maximize=True), 0.01, None),
    ("NAdam", dict(lr=0.02), 0.01, None),
    ("NAdam", dict(lr=0.02, momentum_decay=0.05, weight_decay=0.1), 0.01, None),
    ("NAdam", dict(lr=0.02, weight_decay=0.1, decoupled_weight_decay=True, maximize=True),
     0.01, None),
    ("RAdam", dict(lr=0.02), 0.01, None),
    ("RAdam", dict(lr=0.02, betas=(0.9, 0.9), weight_decay=0.1), 0.01, None),
    ("RAdam", dict(lr=0.02, weight_decay=0.1, decoupled_weight_decay=True, maximize=True),
     0.01, None),
    ("Rprop", dict(lr=0.01), 0.005, None),
    ("Rprop", dict(lr=0.01, etas=(0.3, 1.5), step_sizes=(1e-3, 0.05)), 0.005, None),
    ("Rprop", dict(lr=0.01, maximize=True), 0.005, None),
    ("ASGD", dict(lr=0.05), 0.02, None),
    ("ASGD", dict(lr=0.05, lambd=0.01, alpha=0.5, t0=10, weight_decay=0.1), 0.02, None),
    ("ASGD", dict(lr=0.05, t0=0, maximize=True), 0.02, None),
]


def _id(case) -> str:
    name, kw, _, extra = case
    opts = ",".join(f"{k}={v}" for k, v in kw.items() if k != "lr")
    return f"{name}({opts}){'+g2' if extra else ''}"


def run_and_compare(name, kwargs, dtype, lr2=None, extra2=None, steps=STEPS, scale=1.0):
    """Step both optimizers ``steps`` times, comparing after each step.

    float64: each library computes its gradients with its own ops (end to end). float32: both
    receive the same gradients (torch's, computed at torch's parameters), because otherwise the
    loss feeds rounding differences of one library back into the next gradient and 50 float32
    steps drift past rtol=1e-5 through the problem's dynamics rather than the optimizer."""
    probs, opts = make_pair(name, kwargs, dtype, lr2, extra2)
    sign = -1.0 if kwargs.get("maximize") else 1.0   # maximize -loss: the same descent
    own_grads = np.dtype(dtype) == np.float64
    for step in range(steps):
        for T in LIBS:
            opts[T].zero_grad()
            if own_grads or T is torch:
                probs[T].loss(sign).backward()
        if not own_grads:
            for k, p in probs[torch].params.items():
                if p.grad is not None:
                    probs[mt].params[k].grad = mt.tensor(p.grad.numpy())
        grads_before = {k: p.grad.numpy().copy() for k, p in probs[mt].params.items()
                        if p.grad is not None}
        for T in LIBS:
            opts[T].step()
        for k, g in grads_before.items():   # step never writes into .grad
            np.testing.assert_array_equal(probs[mt].params[k].grad.numpy(), g)
        compare(probs, opts, f"{name} step {step + 1}", scale)
    return probs, opts


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("case", GRID, ids=[_id(c) for c in GRID])
def test_trajectory(case, dtype):
    name, kwargs, lr2, extra2 = case
    probs, opts = run_and_compare(name, kwargs, dtype, lr2, extra2)
    # the parameter without a gradient was skipped: no state, unchanged
    u = probs[mt].params["U"]
    assert len(opts[mt].state.get(u, {})) == (2 if name == "Adagrad" else 0)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad"])
def test_fused_flag_stored_and_runs(name):
    # torch runs its fused CPU kernel (same math, other rounding); we run the one NumPy path
    kwargs = dict(lr=0.01, fused=True)
    if name == "SGD":
        kwargs["momentum"] = 0.9
    run_and_compare(name, kwargs, np.float64, steps=10)


# torch's multi-tensor ASGD computes eta and mu as float32 tensors, which its single-tensor
# path (our reference) does in Python floats: the two differ by ~1e-9, so ASGD is left out
@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "NAdam", "Rprop"])
def test_foreach_flag_stored_and_runs(name):
    run_and_compare(name, dict(lr=0.01, foreach=True), np.float64, steps=10)


LBFGS_CASES = [
    dict(max_iter=5),
    dict(max_iter=5, history_size=3),
    dict(max_iter=5, line_search_fn="strong_wolfe"),
    dict(max_iter=7, line_search_fn="strong_wolfe", history_size=4, tolerance_change=1e-12),
    dict(lr=0.5, max_iter=5, max_eval=4, tolerance_grad=1e-3),
]


@pytest.mark.parametrize("kwargs", LBFGS_CASES, ids=["it5", "history3", "wolfe", "wolfe_h4",
                                                      "lr05_maxeval"])
def test_lbfgs_trajectory_float64(kwargs):
    # The curvature pairs y = g_{k+1} - g_k and ro = 1 / (y.s) are differences of nearly equal
    # gradients: the 1e-16 rounding differences of the two libraries' gradients grow by the
    # ratio |g| / |y| (up to ~1e3 here within 4 steps), hence the wider tolerance.
    _lbfgs_compare(kwargs, np.float64, steps=4, scale=1e3)


@pytest.mark.parametrize("kwargs", LBFGS_CASES, ids=["it5", "history3", "wolfe", "wolfe_h4",
                                                      "lr05_maxeval"])
def test_lbfgs_first_step_float32(kwargs):
    # float32: the same cancellation makes later steps drift by ~1e-4 relative; one step of
    # three iterations stays within the float32 tolerance
    _lbfgs_compare(dict(kwargs, max_iter=3), np.float32, steps=1, scale=1.0)


def _lbfgs_compare(kwargs, dtype, steps, scale):
    from optim_problem import Problem
    probs, opts = {}, {}
    for T in LIBS:
        probs[T] = Problem(T, dtype)
        p = probs[T].params
        opts[T] = T.optim.LBFGS([p["W1"], p["b1"], p["W2"], p["U"]], **kwargs)
    for step in range(steps):
        losses = {T: opts[T].step(probs[T].closure(opts[T])) for T in LIBS}
        assert_close(losses[mt], losses[torch], f"loss {step}", scale)
        compare(probs, opts, f"LBFGS step {step + 1}", scale)


def test_lbfgs_one_group_only():
    from harness import check_raises
    check_raises(lambda T: T.optim.LBFGS([{"params": [T.zeros(2, requires_grad=True)]},
                                          {"params": [T.zeros(2, requires_grad=True)]}]))


def test_lbfgs_unknown_line_search():
    from harness import check_raises

    def fn(T):
        x = T.ones(2, requires_grad=True)
        opt = T.optim.LBFGS([x], line_search_fn="armijo")

        def closure():
            opt.zero_grad()
            loss = (x * x).sum()
            loss.backward()
            return loss
        opt.step(closure)
    check_raises(fn)


def test_rprop_sign_flip_zeroes_prev():
    """A hand-made case: a gradient that flips sign shrinks the step and skips the update."""
    for T in LIBS:
        x = T.tensor([1.0, 1.0], dtype=T.float64, requires_grad=True)
        opt = T.optim.Rprop([x], lr=0.1)
        x.grad = T.tensor([1.0, 1.0], dtype=T.float64)
        opt.step()
        x.grad = T.tensor([-1.0, 2.0], dtype=T.float64)
        opt.step()
        assert x.detach().numpy().tolist() == pytest.approx([0.9, 1.0 - 0.1 - 0.12])
        assert opt.state[x]["prev"].numpy().tolist() == [0.0, 2.0]
        assert opt.state[x]["step_size"].numpy().tolist() == pytest.approx([0.05, 0.12])


def test_asgd_averages_after_t0():
    probs, opts = run_and_compare("ASGD", dict(lr=0.05, t0=5), np.float64, steps=20)
    ax = opts[mt].state[probs[mt].params["W1"]]["ax"].numpy()
    assert not np.allclose(ax, probs[mt].params["W1"].detach().numpy())
    assert_close(opts[mt].state[probs[mt].params["W1"]]["mu"], mt.tensor(1 / 15, dtype=mt.float32))


BLOCK_CASES = [("SGD", dict(lr=0.05, momentum=0.9, weight_decay=0.1)),
               ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, maximize=True)),
               ("Adam", dict(lr=0.02, amsgrad=True, weight_decay=0.1)),
               ("AdamW", dict(lr=0.02, maximize=True)),
               ("Adagrad", dict(lr=0.1, weight_decay=0.1)),
               ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
               ("Adadelta", dict(weight_decay=0.1)),
               ("Adamax", dict(lr=0.02)),
               ("NAdam", dict(lr=0.02, weight_decay=0.1, decoupled_weight_decay=True)),
               ("RAdam", dict(lr=0.02, betas=(0.9, 0.9))),
               ("Rprop", dict(lr=0.01)),
               ("ASGD", dict(lr=0.05, t0=1))]


@pytest.mark.parametrize("layout", ["large", "transposed"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("name,kwargs", BLOCK_CASES,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(BLOCK_CASES)])
def test_large_and_non_contiguous_parameters(name, kwargs, dtype, layout, monkeypatch):
    """Parameters above the block size (updated block by block: 70001 elements in blocks of
    16k, the size lowered for the test, so the last block is partial) and non-contiguous ones
    (updated whole), with the same gradients in both."""
    from minitorch_ref.optim import optimizer
    monkeypatch.setattr(optimizer, "_BLOCK", 1 << 14)
    rng = np.random.default_rng(1)
    shape = (70001,) if layout == "large" else (40, 30)
    w0 = rng.standard_normal(shape).astype(dtype)
    params, opts = {}, {}
    for T in LIBS:
        if layout == "large":
            params[T] = T.tensor(w0.copy(), requires_grad=True)
        else:   # a leaf whose memory is transposed
            params[T] = T.tensor(np.ascontiguousarray(w0.T)).t().detach().requires_grad_()
        opts[T] = getattr(T.optim, name)([params[T]], **kwargs)
    if layout == "transposed":
        assert not params[mt].is_contiguous()
    # float32: parameters of magnitude ~1 that cancel to near 0 keep an absolute error of a few
    # ulps of 1 (torch's vectorized sqrt is not correctly rounded; which elements differ depends
    # on the CPU's vector ISA), so the absolute tolerance is scaled to that magnitude
    scale = 4.0 if dtype == np.float32 else 1.0
    for step in range(4):
        g = (rng.standard_normal(shape) * (1 + step)).astype(dtype)
        for T in LIBS:
            params[T].grad = T.tensor(g)
            opts[T].step()
        assert_close(params[mt], params[torch], f"{name} step {step}", scale)
        from optim_problem import compare_state
        compare_state(opts[mt].state[params[mt]], opts[torch].state[params[torch]],
                      f"{name} step {step}", scale)


# every state array each optimizer keeps (no coupled weight decay: on 1M elements some g + wd p
# cancel, and torch's fused multiply-add leaves those beyond the float32 tolerance)
HUGE_CASES = [("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
              ("Adam", dict(lr=0.02, amsgrad=True)),
              ("AdamW", dict(lr=0.02, maximize=True)),
              ("Adagrad", dict(lr=0.1, initial_accumulator_value=0.5)),
              ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
              ("Adadelta", dict()),
              ("Adamax", dict(lr=0.02)),
              ("NAdam", dict(lr=0.02, weight_decay=0.1, decoupled_weight_decay=True)),
              ("RAdam", dict(lr=0.02, betas=(0.9, 0.9))),
              ("Rprop", dict(lr=0.01)),
              ("ASGD", dict(lr=0.05, t0=1))]


@pytest.mark.parametrize("name,kwargs", HUGE_CASES, ids=[n for n, _ in HUGE_CASES])
def test_large_state_on_huge_page_boundaries(name, kwargs):
    """The state of a 4 MB parameter starts on a 2 MB boundary, where Linux can back it with
    transparent huge pages (created at the first step and when loaded from a checkpoint), and is
    still torch's state: values, shape and dtype after each step, a saved checkpoint that torch
    loads with storages of exactly the state's size, a reload that continues the trajectory."""
    import io
    import mmap
    if not hasattr(mmap, "MADV_HUGEPAGE"):
        pytest.skip("no madvise(MADV_HUGEPAGE) on this platform")
    rng = np.random.default_rng(2)
    shape = (1024, 1024)
    w0 = rng.standard_normal(shape).astype(np.float32)
    params = {T: T.tensor(w0.copy(), requires_grad=True) for T in LIBS}
    opts = {T: getattr(T.optim, name)([params[T]], **kwargs) for T in LIBS}

    def step():
        g = rng.standard_normal(shape).astype(np.float32)
        for T in LIBS:
            params[T].grad = T.tensor(g)
            opts[T].step()
        assert_close(params[mt], params[torch], name, 4.0)
        compare_state(opts[mt].state[params[mt]], opts[torch].state[params[torch]], name, 4.0)
        large = [v for v in opts[mt].state[params[mt]].values() if v.shape == shape]
        assert large
        for v in large:
            assert v.numpy().ctypes.data % (2 << 20) == 0, "not on a 2 MB boundary"

    step()
    step()
    buffer = io.BytesIO()
    mt.save(opts[mt].state_dict(), buffer)
    buffer.seek(0)
    loaded = torch.load(buffer)
    for key, value in opts[torch].state_dict()["state"][0].items():
        ours = loaded["state"][0][key]
        assert ours.dtype == value.dtype and ours.shape == value.shape, key
        assert ours.untyped_storage().nbytes() == value.untyped_storage().nbytes(), key
        assert ours.storage_offset() == 0, key
        np.testing.assert_array_equal(ours.numpy(), opts[mt].state[params[mt]][key].numpy())
    opts[mt] = getattr(mt.optim, name)([params[mt]], **kwargs)
    opts[mt].load_state_dict(loaded)
    step()


def test_scratch_blocks_kept_per_thread_and_two_threads_step_at_once():
    """The work blocks of the blocked updates are kept between steps (on a 2 MB boundary where
    Linux has huge pages) and are the thread's own: two optimizers stepping at once in two
    threads, on parameters of several blocks, each follow torch's trajectory."""
    import mmap
    import threading

    from minitorch_ref.optim import optimizer
    first = optimizer._scratch_blocks(np.float32, 2)
    again = optimizer._scratch_blocks(np.float32, 1)
    assert again[0] is first[0] and len(again) == 1
    if hasattr(mmap, "MADV_HUGEPAGE"):
        assert first[0].ctypes.data % (2 << 20) == 0
    other = []
    worker = threading.Thread(target=lambda: other.extend(optimizer._scratch_blocks(np.float32, 2)))
    worker.start()
    worker.join()
    assert not np.shares_memory(other[0], first[0]) and not np.shares_memory(other[1], first[1])

    rng = np.random.default_rng(3)
    shape = (3 * optimizer._BLOCK + 5,)
    w0 = rng.standard_normal(shape).astype(np.float32)
    grads = [rng.standard_normal(shape).astype(np.float32) for _ in range(3)]
    cases = [("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)), ("Adam", dict(lr=0.02))]
    results = {}

    def run(T, name, kwargs):
        p = T.tensor(w0.copy(), requires_grad=True)
        opt = getattr(T.optim, name)([p], **kwargs)
        for g in grads:
            p.grad = T.tensor(g)
            opt.step()
        results[T, name] = p

    threads = [threading.Thread(target=run, args=(mt, name, kwargs)) for name, kwargs in cases]
    for t in threads:
        t.start()
    for name, kwargs in cases:
        run(torch, name, kwargs)
    for t in threads:
        t.join()
    for name, _ in cases:
        assert_close(results[mt, name], results[torch, name], name, 4.0)
