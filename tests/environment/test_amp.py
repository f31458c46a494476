"""torch.amp against torch's CPU build: GradScaler('cpu') scales, unscales, skips and adapts
exactly as torch's; the CUDA spellings warn and pass through; autocast's disabled paths run the
block unchanged; CPU autocast that would compute in bfloat16/float16 is refused by name."""
import pickle
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, check_raises


def _model(T, seed=0):
    rng = np.random.default_rng(seed)
    m = T.nn.Sequential(T.nn.Linear(4, 8), T.nn.Tanh(), T.nn.Linear(8, 1))
    with T.no_grad():
        for p in m.parameters():
            p.copy_(T.from_numpy(rng.standard_normal(tuple(p.shape)).astype(np.float32)))
    return m


@pytest.mark.parametrize("interval", [2, 3])
@pytest.mark.parametrize("explicit_unscale", [False, True])
def test_grad_scaler_cpu_trains_as_torch(interval, explicit_unscale):
    """Steps with finite and with inf gradients: the scale backs off, grows after `interval`
    clean steps, skipped steps leave parameters alone, and everything matches torch."""
    rng = np.random.default_rng(1)
    xs = rng.standard_normal((8, 5, 4)).astype(np.float32)
    runs = {}
    for T in LIBS:
        m = _model(T)
        opt = T.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
        scaler = T.amp.GradScaler("cpu", init_scale=2.0 ** 10, growth_interval=interval)
        trace = []
        for i, x in enumerate(xs):
            opt.zero_grad()
            loss = m(T.from_numpy(x)).pow(2).mean()
            if i in (2, 5):  # an overflowing step: inf in the loss's gradient
                loss = loss * float("inf")
            scaled = scaler.scale(loss)
            scaled.backward()
            if explicit_unscale:
                scaler.unscale_(opt)
                T.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
            ret = scaler.step(opt)
            scaler.update()
            trace.append((scaled.item(), ret, scaler.get_scale(), scaler._get_growth_tracker(),
                          [p.detach().numpy().copy() for p in m.parameters()]))
        runs[T] = (trace, scaler.state_dict())
    (t_trace, t_state), (o_trace, o_state) = runs[torch], runs[mt]
    assert o_state == t_state
    for (ts, tr, tsc, tg, tp), (os_, or_, osc, og, op) in zip(t_trace, o_trace):
        assert (or_, osc, og) == (tr, tsc, tg)
        np.testing.assert_allclose(os_, ts, rtol=1e-6)
        for a, b in zip(op, tp):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_grad_scaler_scales_nested_outputs_and_float64():
    for T in LIBS:
        s = T.amp.GradScaler("cpu", init_scale=4.0)
        out = s.scale([T.ones(2), (T.ones(1, dtype=T.float64),)])
        assert isinstance(out, list) and isinstance(out[1], tuple)
        assert out[0].tolist() == [4.0, 4.0] and out[1][0].dtype == T.float64
    check_raises(lambda T: T.amp.GradScaler("cpu").scale(3))


@pytest.mark.parametrize("call", [
    lambda T, s, o: s.unscale_(o),            # before any scale()
    lambda T, s, o: s.update(),
    lambda T, s, o: s.step(o),
    lambda T, s, o: (s.scale(T.ones(1)), s.unscale_(o), s.unscale_(o)),
    lambda T, s, o: (s.scale(T.ones(1)), s.step(o), s.unscale_(o)),
    lambda T, s, o: (s.scale(T.ones(1)), s.step(o), s.step(o)),
    lambda T, s, o: (s.scale(T.ones(1)), s.step(o, closure=lambda: 0)),
    lambda T, s, o: T.amp.GradScaler("cpu", growth_factor=1.0),
    lambda T, s, o: T.amp.GradScaler("cpu", backoff_factor=1.0),
    lambda T, s, o: T.amp.GradScaler("cpu").load_state_dict({}),
])
def test_grad_scaler_misuse_raises_as_torch(call):
    def run(T):
        p = T.zeros(1, requires_grad=True)
        p.grad = T.ones(1)
        call(T, T.amp.GradScaler("cpu"), T.optim.SGD([p], lr=1.0))
    check_raises(run)


def test_grad_scaler_state_dict_round_trip_and_pickle():
    for T in LIBS:
        s = T.amp.GradScaler("cpu", init_scale=8.0, growth_interval=7)
        s.scale(T.ones(1))
        s2 = T.amp.GradScaler("cpu")
        s2.load_state_dict(s.state_dict())
        assert s2.state_dict() == {"scale": 8.0, "growth_factor": 2.0, "backoff_factor": 0.5,
                                   "growth_interval": 7, "_growth_tracker": 0}
        s3 = pickle.loads(pickle.dumps(s))
        assert s3.get_scale() == 8.0 and s3.is_enabled()


@pytest.mark.parametrize("make", [
    lambda T: T.amp.GradScaler(), lambda T: T.amp.GradScaler("cuda"),
    lambda T: T.cuda.amp.GradScaler(), lambda T: T.amp.GradScaler("cuda", enabled=False),
    lambda T: T.amp.GradScaler("cpu", enabled=False),
])
def test_disabled_grad_scaler_passes_through(make):
    """What a GPU script does with `GradScaler(enabled=use_cuda)` on a CPU machine."""
    for T in LIBS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            s = make(T)
        p = T.ones(2, requires_grad=True)
        opt = T.optim.SGD([p], lr=0.5)
        loss = (p * 3).sum()
        assert s.scale(loss) is loss
        loss.backward()
        s.unscale_(opt)
        assert s.step(opt) is None
        s.update()
        assert p.tolist() == [-0.5, -0.5]
        assert (s.is_enabled(), s.get_scale(), s.state_dict()) == (False, 1.0, {})
        seen = [str(w.message) for w in caught]
        if T is torch:
            torch_seen = seen
    assert seen == torch_seen


def _warnings_of(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    return result, [(w.category, str(w.message)) for w in caught]


@pytest.mark.parametrize("make", [
    lambda T: T.autocast("cpu", enabled=False), lambda T: T.autocast("cuda"),
    lambda T: T.autocast(device_type="cuda", dtype=T.bfloat16),
    lambda T: T.amp.autocast("cuda", enabled=False), lambda T: T.cuda.amp.autocast(),
    lambda T: T.cuda.amp.autocast(enabled=False), lambda T: T.cpu.amp.autocast(enabled=False),
    lambda T: T.autocast("cpu", dtype=T.float32), lambda T: T.autocast("cpu", dtype=T.float64),
])
def test_disabled_autocast_runs_the_block_unchanged(make):
    outs = {}
    for T in LIBS:
        ctx, warned = _warnings_of(lambda: make(T))
        x = T.ones(2, 2)
        with ctx:
            assert not T.is_autocast_enabled("cpu") and not T.is_autocast_enabled()
            y = T.nn.functional.linear(x, x) @ x
        outs[T] = (warned, y.dtype, y.tolist(), ctx.fast_dtype, ctx._enabled)
    assert repr(outs[mt]) == repr(outs[torch])


def test_autocast_as_decorator_and_queries():
    for T in LIBS:
        @T.autocast("cuda", enabled=False)
        def f(x):
            return x * 2
        assert f(T.ones(1)).tolist() == [2.0]
        assert T.get_autocast_dtype("cpu") == T.bfloat16
        assert T.get_autocast_dtype("cuda") == T.float16
        assert T.is_autocast_cache_enabled() is True
        assert T.amp.is_autocast_available("cpu") and T.amp.is_autocast_available("mps")
        assert not T.amp.is_autocast_available("meta")
    check_raises(lambda T: T.autocast(device_type=T.device("cpu")),  # our class path differs
                 match=r"^Expected `device_type` of type `str`, got: `<class '.*device'>`$")
    check_raises(lambda T: T.autocast("foo"))
    check_raises(lambda T: T.amp.is_autocast_available("foo"))
    check_raises(lambda T: T.autocast("cpu", enabled=False)(3))


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_enabled_cpu_autocast_is_refused_by_name(dtype):
    with pytest.raises(NotImplementedError, match=f"autocast to torch.{dtype} on 'cpu'") as e:
        with mt.autocast("cpu", dtype=getattr(mt, dtype)):
            pass
    assert e.value._minitorch_missing.startswith("torch.autocast(device_type='cpu'")
    assert not mt.is_autocast_enabled("cpu")
    with torch.autocast("cpu", dtype=getattr(torch, dtype)):  # torch computes in it
        assert (torch.ones(2, 2) @ torch.ones(2, 2)).dtype == getattr(torch, dtype)


def test_deprecated_spellings_warn_as_torch():
    for make in (lambda T: T.cuda.amp.GradScaler(enabled=False),
                 lambda T: T.cpu.amp.GradScaler(enabled=False),
                 lambda T: T.cpu.amp.autocast(enabled=False),
                 lambda T: T.cuda.amp.custom_fwd(lambda x: x),
                 lambda T: T.cuda.amp.custom_bwd(lambda x: x)):
        got = [_warnings_of(lambda: make(T))[1] for T in LIBS]
        assert got[1] == got[0]


def test_custom_fwd_bwd_decorate_functions():
    for T in LIBS:
        class Square(T.autograd.Function):
            @staticmethod
            @T.amp.custom_fwd(device_type="cpu")
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            @T.amp.custom_bwd(device_type="cpu")
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return 2 * x * g
        x = T.tensor([3.0], requires_grad=True)
        Square.apply(x).backward()
        assert x.grad.tolist() == [6.0]
    check_raises(lambda T: T.amp.custom_fwd(lambda x: x, device_type=0))
