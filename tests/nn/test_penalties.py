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
