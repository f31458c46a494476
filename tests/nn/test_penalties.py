"""Regularization penalties (nn.utils.penalties): against hand-computed values from the
definitions L1 = sum |W_ij| and L2 = sum W_ij^2, against the same penalty written with torch ops on
the same weights (values and gradients), and the classic optimizer equivalences: SGD's
weight_decay equals an L2 penalty of lam / 2; Adam's coupled weight decay is not AdamW's."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, LIBS, assert_close
from minitorch_ref.nn.utils import l1_penalty, l2_penalty, penalized_loss

W = np.array([[1.0, -2.0], [0.0, 3.0]])
B = np.array([-1.0, 0.5])


def _linear(T, w=W, b=B, dtype=np.float64):
    lin = T.nn.Linear(w.shape[1], w.shape[0]).to(getattr(T, np.dtype(dtype).name))
    with T.no_grad():
        lin.weight.copy_(T.tensor(w.astype(dtype)))
        lin.bias.copy_(T.tensor(b.astype(dtype)))
    return lin


# -- the definitions, by hand ----------------------------------------------------------------------

def test_hand_computed_values():
    lin = _linear(mt)
    assert l1_penalty(lin).item() == 1 + 2 + 0 + 3 + 1 + 0.5
    assert l2_penalty(lin).item() == 1 + 4 + 0 + 9 + 1 + 0.25
    # weights_only drops the 1-D bias
    assert l1_penalty(lin, weights_only=True).item() == 6.0
    assert l2_penalty(lin, weights_only=True).item() == 14.0
    # an iterable of tensors and a single tensor
    assert l1_penalty([lin.weight, lin.bias]).item() == 7.5
    assert l2_penalty(lin.bias).item() == 1.25
    assert penalized_loss(mt.tensor(2.0), lin, l1=0.1, l2=0.01).item() == \
        pytest.approx(2.0 + 0.1 * 7.5 + 0.01 * 15.25, abs=1e-15)


def test_hand_computed_gradients():
    lin = _linear(mt)
    l1_penalty(lin).backward()
    np.testing.assert_array_equal(lin.weight.grad.numpy(), [[1, -1], [0, 1]])  # sign(0) = 0
    np.testing.assert_array_equal(lin.bias.grad.numpy(), [-1, 1])
    lin.zero_grad()
    l2_penalty(lin, weights_only=True).backward()
    np.testing.assert_array_equal(lin.weight.grad.numpy(), 2 * W)
    assert lin.bias.grad is None or not lin.bias.grad.numpy().any()


def test_buffers_never_count_and_empty_is_zero():
    class WithBuffer(mt.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = _linear(mt)
            self.register_buffer("running", mt.tensor([100.0, 100.0]))
    m = WithBuffer()
    assert l1_penalty(m).item() == 7.5
    assert l2_penalty([]).item() == 0.0
    assert l1_penalty(mt.nn.Sequential()).item() == 0.0
    assert l1_penalty(_linear(mt), weights_only=True).item() == 6.0
    with pytest.raises(TypeError, match="iterable containing"):
        l1_penalty([lin for lin in (W,)])


# -- against the same penalty written with torch ops -----------------------------------------------

def _torch_l1(params):
    return sum(p.abs().sum() for p in params)


def _torch_l2(params):
    return sum((p ** 2).sum() for p in params)


def _models(dtype):
    """The same small network in both libraries: torch's initialization copied into ours."""
    torch.manual_seed(0)
    net_t = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 3))
    net_t = net_t.to(getattr(torch, np.dtype(dtype).name))
    with torch.no_grad():
        net_t[0].weight[0, :2] = 0.0  # exact zeros: the L1 subgradient there is 0 in both
    net_o = mt.nn.Sequential(mt.nn.Linear(4, 6), mt.nn.Tanh(), mt.nn.Linear(6, 3))
    net_o = net_o.to(getattr(mt, np.dtype(dtype).name))
    net_o.load_state_dict({k: mt.tensor(v.detach().numpy().copy())
                           for k, v in net_t.state_dict().items()})
    return net_t, net_o


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("weights_only", [False, True])
@pytest.mark.parametrize("which", ["l1", "l2", "both"])
def test_against_torch_values_and_gradients(dtype, weights_only, which):
    net_t, net_o = _models(dtype)
    x = np.random.default_rng(1).standard_normal((5, 4)).astype(dtype)
    y = np.array([0, 2, 1, 1, 0])
    coef = dict(l1=0.03 if which != "l2" else 0.0, l2=0.2 if which != "l1" else 0.0)

    params_t = [p for p in net_t.parameters() if p.dim() >= 2 or not weights_only]
    data_t = torch.nn.functional.cross_entropy(net_t(torch.tensor(x)), torch.tensor(y))
    loss_t = data_t + coef["l1"] * _torch_l1(params_t) + coef["l2"] * _torch_l2(params_t)
    loss_t.backward()

    data_o = mt.nn.functional.cross_entropy(net_o(mt.tensor(x)), mt.tensor(y))
    loss_o = penalized_loss(data_o, net_o, weights_only=weights_only, **coef)
    loss_o.backward()

    assert_close(loss_o, loss_t, "penalized loss")
    for (name, p_o), p_t in zip(net_o.named_parameters(), net_t.parameters()):
        assert_close(p_o.grad, p_t.grad, f"grad of {name}")
    assert_close(l1_penalty(net_o, weights_only=weights_only), _torch_l1(params_t), "L1")
    assert_close(l2_penalty(net_o, weights_only=weights_only), _torch_l2(params_t), "L2")


# -- weight decay versus an L2 penalty -------------------------------------------------------------

STEPS = 60


def _batch(dtype):
    rng = np.random.default_rng(3)
    return rng.standard_normal((16, 4)).astype(dtype), rng.integers(0, 3, 16)


def _trajectory(T, net, make_opt, dtype, penalty: float = 0.0) -> list:
    """Parameters after each of STEPS full-batch steps on cross-entropy (+ penalty * L2)."""
    x, y = _batch(dtype)
    xt, yt = T.tensor(x), T.tensor(y)
    params = list(net.parameters())
    opt = make_opt(T, params)
    out = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = T.nn.functional.cross_entropy(net(xt), yt)
        if penalty:
            loss = loss + penalty * (l2_penalty(params) if T is mt else _torch_l2(params))
        loss.backward()
        opt.step()
        out.append([p.detach().numpy().copy() for p in params])
    return out


def _assert_same_path(ours, theirs, what, **tol):
    for step, (ps_o, ps_t) in enumerate(zip(ours, theirs)):
        for i, (a, b) in enumerate(zip(ps_o, ps_t)):
            if tol:
                np.testing.assert_allclose(a, b, err_msg=f"{what}: step {step}, param {i}", **tol)
            else:
                assert_close(a, b, f"{what}: step {step}, param {i}")


def _max_gap(path_a, path_b) -> float:
    return max(float(np.max(np.abs(a - b))) for pa, pb in zip(path_a, path_b)
               for a, b in zip(pa, pb))


SGD_OPTIONS = [dict(), dict(momentum=0.9), dict(momentum=0.9, nesterov=True),
               dict(momentum=0.5, dampening=0.3)]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("options", SGD_OPTIONS, ids=str)
def test_sgd_weight_decay_equals_half_lambda_l2_penalty(dtype, options):
    """SGD(weight_decay=lam) adds lam * W to the gradient: the gradient of (lam/2) * L2. Plain SGD
    on loss + (lam/2) * L2 follows the same trajectory, in minitorch_ref, and both follow torch's
    SGD(weight_decay=lam)."""
    lam, lr = 0.1, 0.2

    def opt(wd):
        return lambda T, params: T.optim.SGD(params, lr=lr, weight_decay=wd, **options)

    net_t, net_o = _models(dtype)
    torch_decay = _trajectory(torch, net_t, opt(lam), dtype)
    net_t, net_o = _models(dtype)
    ours_decay = _trajectory(mt, net_o, opt(lam), dtype)
    net_t, net_o = _models(dtype)
    ours_penalty = _trajectory(mt, net_o, opt(0.0), dtype, penalty=lam / 2)

    # the two minitorch_ref runs do the same arithmetic up to rounding: tighter than torch parity
    _assert_same_path(ours_penalty, ours_decay, "penalty vs weight_decay (ours)",
                      rtol=1e-12 if dtype == np.float64 else 1e-6, atol=1e-14)
    _assert_same_path(ours_decay, torch_decay, "weight_decay: ours vs torch")
    _assert_same_path(ours_penalty, torch_decay, "L2 penalty (ours) vs torch's weight_decay")
    net_t, _ = _models(dtype)  # the decay is not a no-op: without it the path is elsewhere
    assert _max_gap(torch_decay, _trajectory(torch, net_t, opt(0.0), dtype)) > 1e-3


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_coupled_decay_is_not_adamw_decoupled(dtype, amsgrad):
    """Adam's weight_decay is coupled (added to the gradient, then scaled by 1/(sqrt(v) + eps)),
    so it equals an L2 penalty of lam/2; AdamW's is decoupled (W -= lr * lam * W). Each of ours
    follows torch's; the two trajectories differ from each other."""
    lam, lr = 0.05, 0.01

    def adam(wd, cls="Adam"):
        return lambda T, params: getattr(T.optim, cls)(params, lr=lr, weight_decay=wd,
                                                      amsgrad=amsgrad)

    paths = {}
    for name, make, penalty in [("adam", adam(lam), 0.0), ("adamw", adam(lam, "AdamW"), 0.0),
                                ("adam+l2", adam(0.0), lam / 2)]:
        for T in LIBS:
            net_t, net_o = _models(dtype)
            paths[name, T] = _trajectory(T, net_t if T is torch else net_o, make, dtype,
                                         penalty=penalty)
    _assert_same_path(paths["adam", mt], paths["adam", torch], "Adam: ours vs torch")
    _assert_same_path(paths["adamw", mt], paths["adamw", torch], "AdamW: ours vs torch")
    _assert_same_path(paths["adam+l2", mt], paths["adam+l2", torch], "Adam + L2: ours vs torch")
    # coupled decay is the L2 penalty (up to rounding) ...
    _assert_same_path(paths["adam+l2", mt], paths["adam", mt], "Adam + L2 vs Adam decay")
    # ... and decoupled decay is something else, in both libraries
    for T in LIBS:
        assert _max_gap(paths["adam", T], paths["adamw", T]) > 1e-4
        assert _max_gap(paths["adam+l2", T], paths["adamw", T]) > 1e-4
