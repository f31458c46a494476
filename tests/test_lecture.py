"""The lecture's claims (sections 3.1-3.4, equations 11-16), checked in both libraries.

Each test names the part of the lecture it checks. Where torch is the oracle, both libraries run
the same thing; where the lecture states a property (a too-large learning rate diverges,
Adagrad gives rare features larger steps), the test checks the property directly.
"""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close

# ---- 3.1 learning rate: eq. 11, W = W - alpha * gradient -------------------------------------


@pytest.mark.parametrize("lr", [0.01, 0.5])
def test_eq11_vanilla_gradient_descent_is_sgd(lr):
    """optim.SGD without momentum applies eq. 11 exactly, in both libraries."""
    w0 = np.array([1.5, -2.0, 0.5])
    for T in LIBS:
        w = T.tensor(w0, requires_grad=True)
        opt = T.optim.SGD([w], lr=lr)
        expected = w0.copy()
        for _ in range(5):
            opt.zero_grad()
            loss = (w ** 4).sum() / 4          # gradient: w^3
            loss.backward()
            expected = expected - lr * expected ** 3
            opt.step()
            np.testing.assert_allclose(w.detach().numpy(), expected, rtol=1e-12)


def _quadratic_run(T, lr, steps=30, curvature=4.0):
    """Minimise f(w) = curvature/2 * w^2 from w = 1 with plain SGD; return |w| per step."""
    w = T.tensor([1.0], dtype=T.float64, requires_grad=True)
    opt = T.optim.SGD([w], lr=lr)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        (curvature / 2 * w * w).sum().backward()
        opt.step()
        out.append(abs(w.item()))
    return np.array(out)


def test_learning_rate_too_big_misses_the_minimum_and_too_small_crawls():
    """Lecture 3.1: on f = 2 w^2 (curvature 4) GD converges only for lr < 2/4; lr above that
    overshoots further each step; a tiny lr barely moves; lr = 1/4 lands on the minimum."""
    for T in LIBS:
        too_big = _quadratic_run(T, lr=0.6)         # |1 - 0.6*4| = 1.4 > 1: diverges
        too_small = _quadratic_run(T, lr=0.001)     # |1 - 0.004| per step
        right = _quadratic_run(T, lr=0.25)          # 1 - 0.25*4 = 0: one step
        assert np.all(np.diff(too_big) > 0) and too_big[-1] > 1e4
        assert too_small[-1] > 0.88
        assert right[0] == 0.0
    assert_close(mt.tensor(_quadratic_run(mt, 0.6)), torch.tensor(_quadratic_run(torch, 0.6)))


# ---- 3.2 learning-rate optimisation: reduce on plateau, Adagrad's per-feature rates ----------


def test_reduce_on_plateau_cuts_the_rate_after_patience_bad_epochs():
    lrs = {}
    for T in LIBS:
        opt = T.optim.SGD([T.zeros(1, requires_grad=True)], lr=1.0)
        sched = T.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.1, patience=2)
        seq = []
        for val in [5, 4, 4, 4, 4, 3, 3, 3, 3, 3]:
            sched.step(val)
            seq.append(opt.param_groups[0]["lr"])
        lrs[T] = seq
    assert lrs[mt] == lrs[torch]
    assert lrs[mt][:4] == [1.0] * 4 and lrs[mt][4] == pytest.approx(0.1)


def test_adagrad_gives_rare_features_larger_steps():
    """Lecture 3.2: Adagrad's rate for feature i is lr / (sqrt(sum_t g_i^2) + eps): a feature
    seen in every sample accumulates a large sum and moves in small steps, a rare one keeps a
    large rate. A linear model on sparse inputs shows it."""
    rng = np.random.default_rng(0)
    x = (rng.random((200, 2)) < [0.9, 0.05]).astype(np.float64)   # frequent, rare feature
    y = x @ np.array([1.0, 1.0])
    steps = {}
    for T in LIBS:
        w = T.zeros(2, dtype=T.float64, requires_grad=True)
        opt = T.optim.Adagrad([w], lr=0.5)
        sum_sq = np.zeros(2)
        for i in range(0, 200, 10):
            opt.zero_grad()
            xb, yb = T.tensor(x[i:i + 10]), T.tensor(y[i:i + 10])
            ((xb @ w - yb) ** 2).mean().backward()
            sum_sq += w.grad.numpy() ** 2
            opt.step()
        np.testing.assert_allclose(opt.state[w]["sum"].numpy(), sum_sq, rtol=1e-12)
        rate = 0.5 / (np.sqrt(sum_sq) + 1e-10)
        assert rate[1] > rate[0], f"rare feature's rate {rate[1]} vs frequent {rate[0]}"
        steps[T] = w.detach().numpy().copy()
    assert_close(mt.tensor(steps[mt]), torch.tensor(steps[torch]))


# ---- 3.3 momentum: eq. 12-13 (V_t = beta V_{t-1} + alpha grad; W = W - V_t) and Adam -------


def test_eq12_13_momentum_equals_torch_form_under_a_fixed_learning_rate():
    """torch writes v = mu v + g; W -= lr v. With a fixed lr, V_t = lr v_t, so the lecture's
    form and torch's take identical steps (the optim tests show they part once lr changes)."""
    beta, alpha = 0.9, 0.05
    w_lecture = np.array([2.0, -1.0])
    v = np.zeros(2)
    for T in LIBS:
        w = T.tensor([2.0, -1.0], dtype=T.float64, requires_grad=True)
        opt = T.optim.SGD([w], lr=alpha, momentum=beta)
        w_l, v = w_lecture.copy(), np.zeros(2)
        for _ in range(20):
            opt.zero_grad()
            (w ** 2).sum().backward()
            grad = 2 * w_l
            v = beta * v + alpha * grad          # eq. 12
            w_l = w_l - v                        # eq. 13
            opt.step()
            np.testing.assert_allclose(w.detach().numpy(), w_l, rtol=1e-12, atol=1e-15)


def test_adam_combines_momentum_and_per_parameter_rates():
    """Lecture 3.3: Adam's first moment is momentum on the gradient, its second moment a
    per-parameter rate; after one step from zero state (bias-corrected) every parameter moves by
    exactly lr in the direction opposite its gradient's sign."""
    for T in LIBS:
        w = T.tensor([1.0, -3.0, 0.2], dtype=T.float64, requires_grad=True)
        opt = T.optim.Adam([w], lr=0.01)
        (w ** 3).sum().backward()
        opt.step()
        np.testing.assert_allclose(w.detach().numpy(), [0.99, -3.01, 0.19], rtol=1e-6)


# ---- 3.4 regularisation: eq. 14-16, dropout --------------------------------------------------


def test_eq14_16_penalties_by_hand():
    w1 = np.array([[1.0, -2.0], [0.5, 0.0]])
    w2 = np.array([3.0, -0.25])
    params = [mt.nn.Parameter(mt.tensor(w1)), mt.nn.Parameter(mt.tensor(w2))]
    l1 = mt.nn.utils.penalties.l1_penalty(params)
    l2 = mt.nn.utils.penalties.l2_penalty(params)
    assert l1.item() == pytest.approx(1 + 2 + 0.5 + 0 + 3 + 0.25)            # eq. 14
    assert l2.item() == pytest.approx(1 + 4 + 0.25 + 0 + 9 + 0.0625)        # eq. 16
    data_loss = mt.tensor([0.5, 1.5, 1.0]).mean()                          # (1/N) sum L_n
    total = mt.nn.utils.penalties.penalized_loss(data_loss, params, l1=0.1)  # eq. 15
    assert total.item() == pytest.approx(1.0 + 0.1 * 6.75)


def test_dropout_omits_a_fraction_p_and_rescales_the_rest():
    """Lecture 3.4.2: in training a fraction p of the activations is zeroed, the rest scaled by
    1/(1-p) (so the expected activation is unchanged); in eval dropout is the identity. Masks
    equal torch's for the same seed."""
    outs = {}
    for T in LIBS:
        T.manual_seed(0)
        drop = T.nn.Dropout(p=0.3)
        x = T.ones(100_000)
        y = drop(x)
        outs[T] = y
        zeros = (y == 0).float().mean().item()
        assert abs(zeros - 0.3) < 0.01
        assert np.allclose(y[y != 0].numpy(), 1 / 0.7)
        drop.eval()
        assert drop(x) is x or (drop(x) == x).all()
    assert_close(outs[mt], outs[torch])
