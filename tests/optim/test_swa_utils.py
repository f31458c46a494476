"""swa_utils against torch: AveragedModel (SWA, EMA through avg_fn and multi_avg_fn, with and
without buffers) over a short training run, and update_bn's BatchNorm statistics."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check_raises


def _model(T):
    nn = T.nn
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))


def _pair(dtype=np.float64):
    torch.manual_seed(0)
    mt_model, t_model = _model(mt), _model(torch)
    t_model = t_model.to(torch.float64 if dtype == np.float64 else torch.float32)
    mt_model = mt_model.to(mt.float64 if dtype == np.float64 else mt.float32)
    mt_model.load_state_dict({k: mt.tensor(v.detach().numpy().copy())
                              for k, v in t_model.state_dict().items()})
    return {torch: t_model, mt: mt_model}


def _batches(dtype, n=5):
    rng = np.random.default_rng(0)
    return [(rng.standard_normal((6, 4)).astype(dtype), rng.standard_normal((6, 2)).astype(dtype))
            for _ in range(n)]


AVG = {
    "swa": lambda T: {},
    "ema_avg_fn": lambda T: {"avg_fn": T.optim.swa_utils.get_ema_avg_fn(0.9)},
    "ema_multi": lambda T: {"multi_avg_fn": T.optim.swa_utils.get_ema_multi_avg_fn(0.8)},
    "swa_multi": lambda T: {"multi_avg_fn": T.optim.swa_utils.get_swa_multi_avg_fn()},
    "ema_multi_buffers": lambda T: {"multi_avg_fn": T.optim.swa_utils.get_ema_multi_avg_fn(0.7),
                                    "use_buffers": True},
    "swa_buffers": lambda T: {"use_buffers": True},
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("kind", list(AVG))
def test_averaged_model(kind, dtype):
    models = _pair(dtype)
    avgs = {T: T.optim.swa_utils.AveragedModel(models[T], **AVG[kind](T)) for T in LIBS}
    opts = {T: T.optim.SGD(models[T].parameters(), lr=0.1, momentum=0.5) for T in LIBS}
    for x, y in _batches(dtype):
        for T in LIBS:
            opts[T].zero_grad()
            loss = ((models[T](T.tensor(x)) - T.tensor(y)) ** 2).mean()
            loss.backward()
            opts[T].step()
            avgs[T].update_parameters(models[T])
    sd_o, sd_t = avgs[mt].state_dict(), avgs[torch].state_dict()
    assert list(sd_o) == list(sd_t)
    for k in sd_t:
        assert_close(sd_o[k], sd_t[k], k)
    x = _batches(dtype, 1)[0][0]
    avgs[mt].eval()
    avgs[torch].eval()
    assert_close(avgs[mt](mt.tensor(x)), avgs[torch](torch.tensor(x)), "forward")


@pytest.mark.parametrize("with_labels", [True, False])
def test_update_bn(with_labels):
    models = _pair()
    avgs = {T: T.optim.swa_utils.AveragedModel(models[T]) for T in LIBS}
    for T in LIBS:
        avgs[T].update_parameters(models[T])
        avgs[T].eval()
    batches = _batches(np.float64)
    for T in LIBS:
        loader = [(T.tensor(x), T.tensor(y)) if with_labels else T.tensor(x) for x, y in batches]
        T.optim.swa_utils.update_bn(loader, avgs[T])
        assert not avgs[T].training   # the mode is restored
    sd_o, sd_t = avgs[mt].state_dict(), avgs[torch].state_dict()
    for k in sd_t:
        assert_close(sd_o[k], sd_t[k], k)
    assert avgs[mt].module[1].momentum == 0.1


def test_swa_multi_avg_fn_refuses_integer_buffers():
    def fn(T):
        models = _pair()
        avg = T.optim.swa_utils.AveragedModel(
            models[T], multi_avg_fn=T.optim.swa_utils.get_swa_multi_avg_fn(), use_buffers=True)
        avg.update_parameters(models[T])
        models[T](T.ones(3, 4, dtype=T.float64))   # num_batches_tracked moves on
        avg.update_parameters(models[T])
    check_raises(fn, match="Integer division with addcdiv")


def test_averaged_model_rejects_two_functions():
    check_raises(lambda T: T.optim.swa_utils.AveragedModel(
        _model(T), avg_fn=T.optim.swa_utils.get_swa_avg_fn(),
        multi_avg_fn=T.optim.swa_utils.get_swa_multi_avg_fn()))
