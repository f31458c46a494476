"""Every optimizer against torch when gradients or parameters are not ordinary numbers: +-inf,
NaN, signed zeros, subnormals (1e-45, 1e-40) and finite values near float32's limit (+-3e38).
One and three steps, float32 and float64, ``foreach=False`` and the default; the parameter and
every state entry must have torch's NaN positions, torch's infinities (with their signs) and
torch's signs of zeros. Finite values agree up to the rounding of torch's fused multiply-adds,
which cancellation near 3e38 can make as large as a few ulps of the largest value."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import to_numpy

INF, NAN = float("inf"), float("nan")
GRADS = [INF, -INF, NAN, 0.0, -0.0, 1e-45, -1e-45, 3e38, -3e38, 1e-40, 1.0, -2.0]
PARAMS = [1.0, INF, -INF, NAN, 0.0, -0.0, 1e-45, 3e38, -3e38, 1.0, -1.0, 2.0]

CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.1, weight_decay=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.3, maximize=True, weight_decay=0.1)),
    ("Adam", dict(lr=0.1)),
    ("Adam", dict(lr=0.1, amsgrad=True)),
    ("Adam", dict(lr=0.1, weight_decay=0.1, maximize=True)),
    ("AdamW", dict(lr=0.1)),
    ("AdamW", dict(lr=0.1, amsgrad=True)),
    ("NAdam", dict(lr=0.1)),
    ("NAdam", dict(lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)),
    ("RAdam", dict(lr=0.1)),
    ("RAdam", dict(lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)),
    ("Adamax", dict(lr=0.1)),
    ("Adamax", dict(lr=0.1, weight_decay=0.1)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.1, weight_decay=0.1)),
    ("Adadelta", dict(lr=1.0)),
    ("Adadelta", dict(lr=1.0, weight_decay=0.1, maximize=True)),
    ("RMSprop", dict(lr=0.1)),
    ("RMSprop", dict(lr=0.1, centered=True)),
    ("RMSprop", dict(lr=0.1, momentum=0.9)),
    ("RMSprop", dict(lr=0.1, centered=True, momentum=0.9, weight_decay=0.1)),
    ("Rprop", dict(lr=0.01)),
    ("Rprop", dict(lr=0.01, maximize=True)),
    ("ASGD", dict(lr=0.1)),
    ("ASGD", dict(lr=0.1, t0=0, weight_decay=0.1)),
    ("Adafactor", dict(lr=0.1)),
    ("LBFGS", dict(lr=0.5, max_iter=3)),
]


def _cases():
    for name, kw in CONFIGS:
        for foreach in (False, None):
            for steps in (1, 3):
                for what in ("grad", "param"):
                    for dtype in (np.float32, np.float64):
                        yield pytest.param(name, kw, foreach, steps, what, dtype,
                                           id=f"{name}-{kw}-foreach{foreach}-{steps}-{what}-"
                                              f"{np.dtype(dtype).name}")


def _inputs(steps, what, dtype):
    specials = np.array(GRADS, dtype)
    ramp = np.linspace(-1, 2, 12).astype(dtype)
    if what == "grad":
        p0 = np.linspace(-1, 1, 12).astype(dtype) + dtype(0.5)
        grads = [specials] + [np.roll(specials, k) if k % 2 else ramp for k in range(1, steps)]
    else:
        p0 = np.array(PARAMS, dtype)
        grads = [ramp] * steps
    return p0, grads


def _run(T, name, kw, p0, grads):
    shape = (3, 4)            # Adafactor factors a matrix's second moment
    p = T.tensor(p0.reshape(shape).copy(), requires_grad=True)
    opt = getattr(T.optim, name)([p], **kw)
    for g in grads:
        g = T.tensor(g.reshape(shape).copy())
        if name == "LBFGS":
            def closure(g=g):
                p.grad = g.clone()
                return (p.detach() * g).sum()
            opt.step(closure)
        else:
            p.grad = g
            opt.step()
    state = {k: to_numpy(v).copy() for k, v in opt.state[p].items()
             if isinstance(v, (torch.Tensor, mt.Tensor))}
    return to_numpy(p).copy(), state


def _assert_same(ours, theirs, what):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape, what
    if ours.dtype.kind != "f":
        np.testing.assert_array_equal(ours, theirs, err_msg=what)
        return
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs), err_msg=f"{what}: NaN")
    for f in (np.isposinf, np.isneginf):
        np.testing.assert_array_equal(f(ours), f(theirs), err_msg=f"{what}: {f.__name__}")
    zeros = (ours == 0) & (theirs == 0)
    np.testing.assert_array_equal(np.signbit(ours[zeros]), np.signbit(theirs[zeros]),
                                  err_msg=f"{what}: sign of zero")
    finite = np.isfinite(theirs)
    scale = float(np.max(np.abs(theirs[finite]), initial=0.0))
    eps = np.finfo(ours.dtype).eps
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=64 * eps,
                               atol=8 * eps * scale, err_msg=what)


@pytest.mark.parametrize("name, kw, foreach, steps, what, dtype", list(_cases()))
def test_nonfinite_step_matches_torch(name, kw, foreach, steps, what, dtype):
    kw = dict(kw) if foreach is None else dict(kw, foreach=foreach)
    if name == "LBFGS":
        kw.pop("foreach", None)
        if foreach is False:
            pytest.skip("LBFGS has no foreach option")
    p0, grads = _inputs(steps, what, dtype)
    with np.errstate(all="ignore"):
        want_p, want_state = _run(torch, name, kw, p0, grads)
    got_p, got_state = _run(mt, name, kw, p0, grads)
    _assert_same(got_p, want_p, "param")
    assert sorted(got_state) == sorted(want_state)
    for k in want_state:
        _assert_same(got_state[k], want_state[k], k)


def _bits(a):
    a = np.ascontiguousarray(a)
    return a.view(np.uint32 if a.dtype == np.float32 else np.uint64)


# the moment each optimizer keeps by torch's lerp, and the weight (1 - beta) it is lerped with
LERPED = [("Adam", dict(betas=(0.9, 0.999)), "exp_avg"),
          ("Adam", dict(betas=(0.3, 0.999)), "exp_avg"),     # weight >= 0.5: the other formula
          ("AdamW", dict(betas=(0.9, 0.999)), "exp_avg"),
          ("NAdam", dict(betas=(0.6, 0.999)), "exp_avg"),
          ("RAdam", dict(betas=(0.9, 0.999)), "exp_avg"),
          ("Adamax", dict(betas=(0.2, 0.999)), "exp_avg"),
          ("RMSprop", dict(centered=True, alpha=0.99), "grad_avg"),
          ("RMSprop", dict(centered=True, alpha=0.25), "grad_avg")]


@pytest.mark.parametrize("loaded", [False, True], ids=["fresh", "loaded-state"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, kw, key", LERPED, ids=lambda v: str(v))
def test_first_step_moment_has_torchs_bits(name, kw, key, dtype, loaded):
    """The first step's lerped moment from a zero state, bit for bit: torch rounds its fused
    multiply-add once, so ordinary gradients, gradients whose product with the weight
    underflows (-0 when fused) and signed zeros all have exact results. ``loaded``: the first
    step starts from a moment loaded through the state dict, which is not zero; NumPy rounds
    twice there, within two units in the last place of the largest term."""
    rng = np.random.default_rng(3)
    tiny = np.finfo(dtype).smallest_subnormal
    g0 = (rng.standard_normal(37) * rng.choice([1.0, 1e-30, 1e-300], 37)).astype(dtype)
    g0[:6] = [-tiny, tiny, -0.0, 0.0, -3 * tiny, 1.0]
    results = []
    for T in (torch, mt):
        p = T.nn.Parameter(T.tensor(np.linspace(-1, 1, 37).astype(dtype)))
        opt = getattr(T.optim, name)([p], lr=0.1, **kw)
        if loaded:
            p.grad = T.tensor(np.full(37, 0.5, dtype))
            opt.step()
            sd = opt.state_dict()
            sd["state"][0]["step"] = T.zeros_like(sd["state"][0]["step"])
            opt.load_state_dict(sd)
        p.grad = T.tensor(g0.copy())
        opt.step()
        results.append(to_numpy(opt.state[p][key]).copy())
    want, got = results
    if loaded:
        eps = np.finfo(dtype).eps      # (cancellation: the error is relative to the inputs)
        np.testing.assert_allclose(got, want, rtol=2 * eps, atol=2 * eps * np.abs(want).max())
    else:
        np.testing.assert_array_equal(_bits(got), _bits(want))
