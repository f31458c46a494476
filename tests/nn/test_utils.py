"""nn.utils against torch: clip_grad_norm_ (norm types incl. inf, error_if_nonfinite, the
returned total norm, in-place scaling, mixed dtypes), clip_grad_value_, get_total_norm,
clip_grads_with_norm_, parameters_to_vector / vector_to_parameters."""
import math

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check, check_raises, rand


def params_with_grads(T, dtypes=(np.float32, np.float32, np.float32), scale=1.0, nan=False):
    ps = []
    for i, dt in enumerate(dtypes):
        p = T.nn.Parameter(T.tensor(rand(3, 2 + i, dtype=dt, seed=i)))
        g = rand(3, 2 + i, dtype=dt, seed=10 + i) * scale
        if nan and i == 1:
            g[0, 0] = np.inf
        p.grad = T.tensor(g)
        ps.append(p)
    ps.append(T.nn.Parameter(T.ones(2)))  # no grad: skipped
    return ps


@pytest.mark.parametrize("dtypes", [(np.float32,) * 3, (np.float64,) * 3,
                                    (np.float32, np.float64, np.float32)])
@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf, 0.5, "inf"])
@pytest.mark.parametrize("max_norm", [0.1, 1.0, 100.0])
def test_clip_grad_norm(max_norm, norm_type, dtypes):
    res = {}
    for T in LIBS:
        ps = params_with_grads(T, dtypes)
        g0 = ps[0].grad
        total = T.nn.utils.clip_grad_norm_(ps, max_norm, norm_type=norm_type)
        assert ps[0].grad is g0  # in place
        res[T] = (total, [p.grad for p in ps if p.grad is not None])
    # with mixed dtypes the float64 total is built from float32 per-tensor norms: it carries
    # float32 rounding (1 ulp differences between libraries), so float32's tolerance applies
    mixed = len(set(dtypes)) > 1
    assert_close(res[mt][0], res[torch][0], "total norm", scale=1e5 if mixed else 1.0)
    for a, b in zip(res[mt][1], res[torch][1]):
        assert_close(a, b, "clipped grad", scale=1e5 if mixed else 1.0)


def test_clip_grad_norm_single_tensor_generator_and_empty():
    for T in LIBS:
        ps = params_with_grads(T)
        t1 = T.nn.utils.clip_grad_norm_(ps[0], 0.5)
        t2 = T.nn.utils.clip_grad_norm_((p for p in ps), 0.5)
        with pytest.warns(UserWarning, match="empty generator"):
            t3 = T.nn.utils.clip_grad_norm_((p for p in []), 1.0)
        t4 = T.nn.utils.clip_grad_norm_([T.nn.Parameter(T.ones(2))], 1.0)
        assert t3.item() == 0.0 and t4.item() == 0.0 and str(t3.dtype) == "torch.float32"
        if T is torch:
            tt = (t1, t2)
        else:
            to = (t1, t2)
    for a, b in zip(to, tt):
        assert_close(a, b)


def test_clip_grad_norm_nonfinite():
    res = {}
    for T in LIBS:
        ps = params_with_grads(T, nan=True)
        total = T.nn.utils.clip_grad_norm_(ps, 1.0)
        res[T] = (total, ps[0].grad)
    assert_close(res[mt][0], res[torch][0])
    assert_close(res[mt][1], res[torch][1])
    o_exc, t_exc = check_raises(
        lambda T: T.nn.utils.clip_grad_norm_(params_with_grads(T, nan=True), 1.0,
                                             error_if_nonfinite=True))
    assert str(o_exc) == str(t_exc)


def test_total_norm_and_clip_with_norm():
    res = {}
    for T in LIBS:
        ps = params_with_grads(T)
        grads = [p.grad for p in ps if p.grad is not None]
        total = T.nn.utils.get_total_norm(grads, 2.0)
        T.nn.utils.clip_grads_with_norm_(ps, 0.3, total)
        res[T] = (total, grads)
    assert_close(res[mt][0], res[torch][0])
    for a, b in zip(res[mt][1], res[torch][1]):
        assert_close(a, b)


def test_clip_grad_norm_deprecated_alias():
    for T in LIBS:
        with pytest.warns(FutureWarning, match="clip_grad_norm` is now deprecated"):
            T.nn.utils.clip_grad_norm(params_with_grads(T), 1.0)


@pytest.mark.parametrize("clip", [0.0, 0.3, 10])
def test_clip_grad_value(clip):
    res = {}
    for T in LIBS:
        ps = params_with_grads(T, (np.float32, np.float64, np.float32), nan=True)
        g = ps[0].grad
        assert T.nn.utils.clip_grad_value_(ps, clip) is None
        T.nn.utils.clip_grad_value_(ps[0], clip)
        assert ps[0].grad is g
        res[T] = [p.grad for p in ps if p.grad is not None]
    for a, b in zip(res[mt], res[torch]):
        assert_close(a, b)


def test_parameters_to_vector_and_back():
    ws = [rand(3, 2, dtype=np.float64, seed=i) for i in range(3)]

    def to_vec(T, *ws):
        return T.nn.utils.parameters_to_vector(ws) * 2

    check(to_vec, *ws)
    res = {}
    for T in LIBS:
        ps = [T.nn.Parameter(T.tensor(w)) for w in ws]
        vec = T.tensor(np.arange(20, dtype=np.float64))
        T.nn.utils.vector_to_parameters(vec, ps)
        vec[0] = -5.0  # the parameters now view the vector
        res[T] = [p.detach().numpy().copy() for p in ps] + [ps[0].requires_grad]
    for a, b in zip(res[mt], res[torch]):
        np.testing.assert_array_equal(a, b)
    o_exc, t_exc = check_raises(lambda T: T.nn.utils.vector_to_parameters([1.0], []))
    assert str(o_exc) == str(t_exc)
