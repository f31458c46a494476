"""Class 4, grad mode per thread: as in torch, ``no_grad``/``enable_grad``/``set_grad_enabled``
and ``inference_mode`` act on the calling thread only, and every new thread starts with grad
enabled. Two threads training separate models at once get what each gets alone; an evaluator
under ``no_grad`` does not stop a trainer from recording its graph.

(torch's anomaly-detection flag is process-wide, not per thread, in torch 2.13; minitorch_ref
has no anomaly mode.)"""
import sys
import threading

import numpy as np
import pytest
import torch

import minitorch_ref as mt


def _in_thread(fn):
    out = {}

    def run():
        try:
            out["value"] = fn()
        except BaseException as e:  # re-raised in the caller
            out["error"] = e
    t = threading.Thread(target=run)
    t.start()
    t.join(timeout=120)
    if "error" in out:
        raise out["error"]
    return out["value"]


@pytest.mark.parametrize("lib", [mt, torch], ids=["ours", "torch"])
def test_new_thread_starts_with_grad_enabled(lib):
    with lib.no_grad():
        assert _in_thread(lib.is_grad_enabled) is True
        assert lib.is_grad_enabled() is False
    with lib.inference_mode():
        assert _in_thread(lib.is_grad_enabled) is True
    lib.set_grad_enabled(False)
    try:
        assert _in_thread(lib.is_grad_enabled) is True
    finally:
        lib.set_grad_enabled(True)


@pytest.mark.parametrize("lib", [mt, torch], ids=["ours", "torch"])
def test_a_thread_switching_grad_off_does_not_touch_others(lib):
    def switch_off():
        lib.set_grad_enabled(False)
        return lib.is_grad_enabled()
    assert _in_thread(switch_off) is False
    assert lib.is_grad_enabled() is True


@pytest.mark.parametrize("lib", [mt, torch], ids=["ours", "torch"])
@pytest.mark.parametrize("how", ["set_grad_enabled", "no_grad left open", "backward"])
def test_a_thread_ending_with_grad_off_leaves_it_on_for_the_next(lib, how):
    """The next thread (which the system usually gives the ended one's identifier) starts with
    recording on, and so does the thread that started it."""
    w = lib.ones(2, requires_grad=True)

    def end_with_grad_off():
        if how == "set_grad_enabled":
            lib.set_grad_enabled(False)
        elif how == "no_grad left open":
            lib.no_grad().__enter__()
        else:
            (w * 2).sum().backward()
        return threading.get_ident()

    for _ in range(5):
        _in_thread(end_with_grad_off)
        assert _in_thread(lambda: (lib.is_grad_enabled(), (w * 2).requires_grad)) == (True, True)
    assert lib.is_grad_enabled() is True


@pytest.mark.parametrize("lib", [mt, torch], ids=["ours", "torch"])
def test_evaluator_under_no_grad_does_not_break_a_trainer(lib):
    """Deterministic interleaving: the evaluator enters no_grad, then the trainer runs a whole
    step, then the evaluator leaves."""
    inside, trained = threading.Event(), threading.Event()
    w = lib.ones(3, requires_grad=True)

    def evaluator():
        with lib.no_grad():
            inside.set()
            trained.wait(60)
            return (w * 2).requires_grad

    def trainer():
        inside.wait(60)
        loss = (w * w).sum()
        loss.backward()
        trained.set()
        return w.grad.tolist()

    results = {}
    threads = [threading.Thread(target=lambda: results.__setitem__("eval", evaluator())),
               threading.Thread(target=lambda: results.__setitem__("train", trainer()))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert results == {"eval": False, "train": [2.0, 2.0, 2.0]}


def test_backward_in_one_thread_does_not_switch_off_recording_in_another():
    """The engine turns recording off while it runs; that must not reach a thread that is
    building its graph at the same moment."""
    w_slow = mt.ones(4, requires_grad=True)
    in_backward, built = threading.Event(), threading.Event()

    class Slow(mt.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone()

        @staticmethod
        def backward(ctx, g):
            in_backward.set()
            built.wait(60)
            return g

    def slow_backward():
        Slow.apply(w_slow).sum().backward()
        return w_slow.grad.tolist()

    def builder():
        in_backward.wait(60)
        v = mt.ones(2, requires_grad=True)
        out = v * 3
        built.set()
        return out.requires_grad, out.grad_fn is not None

    results = {}
    threads = [threading.Thread(target=lambda: results.__setitem__("a", slow_backward())),
               threading.Thread(target=lambda: results.__setitem__("b", builder()))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert results == {"a": [1.0] * 4, "b": (True, True)}


def _train(seed: int, steps: int, evaluate_every: int = 0):
    """A small MLP trained with Adam on its own data; returns its final weights and losses."""
    rng = np.random.default_rng(seed)
    x = mt.tensor(rng.standard_normal((64, 8)).astype(np.float32))
    y = mt.tensor(rng.standard_normal((64, 1)).astype(np.float32))
    mt_gen = np.random.default_rng(seed + 100)
    model = mt.nn.Sequential(mt.nn.Linear(8, 16), mt.nn.Tanh(), mt.nn.Linear(16, 1))
    with mt.no_grad():
        for p in model.parameters():
            p.copy_(mt.tensor(mt_gen.standard_normal(tuple(p.shape)).astype(np.float32) * 0.3))
    opt = mt.optim.Adam(model.parameters(), lr=0.01)
    losses = []
    for i in range(steps):
        opt.zero_grad()
        loss = mt.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if evaluate_every and i % evaluate_every == 0:
            with mt.no_grad():
                model(x)
    return [p.detach().numpy().copy() for p in model.parameters()], losses


def test_concurrent_training_equals_sequential_training():
    steps = 60
    expected = [_train(seed, steps, evaluate_every=3) for seed in (1, 2, 3)]
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        results = {}
        threads = [threading.Thread(
            target=lambda s=seed: results.__setitem__(s, _train(s, steps, evaluate_every=3)))
            for seed in (1, 2, 3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
    finally:
        sys.setswitchinterval(old)
    for seed, (weights, losses) in zip((1, 2, 3), expected):
        got_weights, got_losses = results[seed]
        assert got_losses == losses, seed
        for a, b in zip(got_weights, weights):
            np.testing.assert_array_equal(a, b)
