"""Normalization layers against torch, with torch's state loaded into ours: outputs, input and
parameter gradients, and running statistics after several training steps then in eval mode;
every option (affine, bias, track_running_stats, momentum incl. None, eps), float32 and float64;
the functional forms; reprs, state_dict keys, errors."""
import itertools
import math
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, LIBS, assert_close, check, check_raises, rand
from nn_parity import module_parity

DT = {np.float32: (torch.float32, mt.float32), np.float64: (torch.float64, mt.float64)}
MODES = (True, True, True, False, False)  # three training steps, then eval

BN_OPTIONS = [dict(affine=a, track_running_stats=t, momentum=m)
              for a, t, m in itertools.product((True, False), (True, False), (0.1, None, 0.7))]
BN_OPTIONS.append(dict(bias=False))
BN_OPTIONS.append(dict(eps=1e-2, momentum=0.3))


def opt_id(o):
    return ",".join(f"{k}={v}" for k, v in o.items())


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("opts", BN_OPTIONS, ids=opt_id)
@pytest.mark.parametrize("kind,shape", [("BatchNorm1d", (6, 3)), ("BatchNorm1d", (4, 3, 5)),
                                        ("BatchNorm2d", (2, 3, 4, 5)),
                                        ("BatchNorm3d", (2, 3, 2, 3, 2))])
def test_batchnorm(kind, shape, opts, dtype):
    x = rand(*shape, dtype=dtype, low=-2, high=3)
    module_parity(lambda T: getattr(T.nn, kind)(3, **opts), x, train=MODES, steps=len(MODES),
                  dtype=DT[dtype])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("opts", [dict(), dict(affine=True), dict(track_running_stats=True),
                                  dict(affine=True, track_running_stats=True, momentum=0.4),
                                  dict(affine=True, bias=False),
                                  dict(track_running_stats=True, momentum=None)], ids=opt_id)
@pytest.mark.parametrize("kind,shape", [("InstanceNorm1d", (4, 3, 5)),
                                        ("InstanceNorm1d", (3, 6)),
                                        ("InstanceNorm2d", (2, 3, 4, 5)),
                                        ("InstanceNorm2d", (3, 4, 5)),
                                        ("InstanceNorm3d", (2, 3, 2, 3, 2))])
def test_instancenorm(kind, shape, opts, dtype):
    x = rand(*shape, dtype=dtype, low=-2, high=3)
    module_parity(lambda T: getattr(T.nn, kind)(3, **opts), x, train=MODES, steps=len(MODES),
                  dtype=DT[dtype])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("opts", [dict(), dict(elementwise_affine=False), dict(bias=False),
                                  dict(eps=1e-3)], ids=opt_id)
@pytest.mark.parametrize("norm_shape,shape", [(5, (4, 5)), ((5,), (2, 3, 5)),
                                              ((3, 5), (2, 3, 5)), (5, (5,)),
                                              ([2, 3, 5], (2, 3, 5))])
def test_layernorm(norm_shape, shape, opts, dtype):
    x = rand(*shape, dtype=dtype, low=-2, high=3)
    module_parity(lambda T: T.nn.LayerNorm(norm_shape, **opts), x, steps=2, dtype=DT[dtype])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("opts", [dict(), dict(affine=False), dict(bias=False),
                                  dict(eps=1e-3)], ids=opt_id)
@pytest.mark.parametrize("groups,shape", [(1, (2, 6, 4)), (2, (2, 6, 4)), (3, (2, 6, 2, 3)),
                                          (3, (3, 6, 3)), (2, (2, 6, 2, 1, 3))])
def test_groupnorm(groups, shape, opts, dtype):
    x = rand(*shape, dtype=dtype, low=-2, high=3)
    module_parity(lambda T: T.nn.GroupNorm(groups, 6, **opts), x, steps=2, dtype=DT[dtype])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("opts", [dict(), dict(affine=False), dict(bias=False)], ids=opt_id)
@pytest.mark.parametrize("rows", ["short", "long", "buffered"])
@pytest.mark.parametrize("kind", ["LayerNorm", "GroupNorm(1)", "GroupNorm(3)", "GroupNorm(6)"])
def test_row_blocked_form(kind, rows, opts, dtype, monkeypatch):
    """Large inputs run layer and group norm block by block of rows: a small block size sends
    these through that form, with an uneven last block (blocks of 2 rows). Sums over 128 or
    more elements ("long": layer norm's rows, group norm's per-channel sums) are BLAS
    products, shorter ones einsum; rows of 512 or more ("buffered") run with NumPy's ufunc
    buffer one row long. Group norm with 1 group, 3, and one group per channel."""
    from minitorch_ref.nn.functional import normalization
    if kind == "LayerNorm":
        opts = {("elementwise_affine" if k == "affine" else k): v for k, v in opts.items()}
        norm = {"short": (3, 10), "long": (2, 70), "buffered": (520,)}[rows]
        make = lambda T: T.nn.LayerNorm(norm, **opts)  # noqa: E731
        x, stat, aff = rand(7, *norm, dtype=dtype), None, norm
        block = 2 * math.prod(norm) + 1
    else:
        groups = int(kind[len("GroupNorm("):-1])
        make = lambda T: T.nn.GroupNorm(groups, 6, **opts)  # noqa: E731
        x = rand(5, 6, *{"short": (2, 3), "long": (12, 12), "buffered": (24, 24)}[rows],
                 dtype=dtype)
        stat, aff = (5, groups, x.size // (5 * groups)), (6, 1, 1)
        block = 2 * x.size // 5 + 1
    monkeypatch.setattr(normalization, "_ROW_BLOCK", block)
    # statistics away from 0 and 1; in float64 a large mean too (the row sums are BLAS dot
    # products: their rounding against torch's; float32 holds 1000 + N(0, 1) to 6e-5 only)
    x = x * 4 + (1000 if dtype == np.float64 else 3)
    assert normalization._row_layout(x, stat, aff) is not None
    # group norm's dL/dw over 5 x 576 elements in float32: torch's rounding there (a sum of
    # g x less mean times a sum of g) reaches 1.1e-5 of a small sum (ours is nearer the float64
    # value; main's kernel failed the same way)
    scale = 4 if rows == "buffered" and kind != "LayerNorm" and dtype == np.float32 else 1
    module_parity(make, x, steps=2, dtype=DT[dtype], scale=scale)


def _offset_norm(kind: str, offset: float, dtype, opts: dict, monkeypatch):
    """(make, x) for the row-blocked LayerNorm(520) or GroupNorm(groups, 6) on U(-1, 1) +
    offset (blocks of 2 rows, so every path runs on several blocks); asserts that group norm's
    one-pass forward runs exactly where mean^2 <= var + eps (offsets below 0.5)."""
    from minitorch_ref.nn.functional import normalization
    if kind == "LayerNorm":
        opts = {("elementwise_affine" if k == "affine" else k): v for k, v in opts.items()}
        make = lambda T: T.nn.LayerNorm(520, **opts)  # noqa: E731
        x, stat, aff, block = rand(7, 520, dtype=dtype), None, (520,), 2 * 520 + 1
    else:
        groups = int(kind[len("GroupNorm("):-1])
        make = lambda T: T.nn.GroupNorm(groups, 6, **opts)  # noqa: E731
        x = rand(5, 6, 24, 24, dtype=dtype)
        stat, aff, block = (5, groups, x.size // (5 * groups)), (6, 1, 1), 2 * x.size // 5 + 1
    monkeypatch.setattr(normalization, "_ROW_BLOCK", block)
    x = x + dtype(offset)
    layout = normalization._row_layout(x, stat, aff)
    assert layout is not None
    if kind != "LayerNorm":
        one_pass = normalization._group_norm_one_pass(x, None, None, layout, 1e-5)
        assert (one_pass is not None) == (offset < 0.5)
    return make, x


NORM_KINDS = ["LayerNorm", "GroupNorm(1)", "GroupNorm(3)", "GroupNorm(6)"]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("opts", [dict(), dict(affine=False)], ids=opt_id)
@pytest.mark.parametrize("offset", [0.3, 1.5, 20.0])
@pytest.mark.parametrize("kind", NORM_KINDS)
def test_row_blocked_one_pass_and_two_pass(kind, offset, opts, dtype, monkeypatch):
    """Group norm's blocked forward takes one pass (the variance as E[x^2] - mean^2) while
    mean^2 <= var + eps (offset 0.3 on U(-1, 1): the mean 0.5-0.8 standard deviations from 0),
    two beyond (offsets 1.5 and 20: 2.6-2.9 and 35); both backwards work from x rather than
    x - mean (torch's form) at every offset. float32 at offset 20 is checked against float64
    below (torch's own float32 rounding there exceeds the tolerance)."""
    if offset > 10 and dtype == np.float32:
        pytest.skip("float32 at offset 20: test_row_blocked_large_mean_float32")
    make, x = _offset_norm(kind, offset, dtype, opts, monkeypatch)
    # dL/dw in float32 at offset 1.5: a sum of g x less delta times a sum of g, as torch's;
    # both within 5.5e-5 of the float64 value (ours 1e-6 to 3.2e-5, torch's 4.7e-7 to 5.5e-5)
    scale = 4 if offset == 1.5 and dtype == np.float32 else 1
    module_parity(make, x, steps=2, dtype=DT[dtype], scale=scale)


@pytest.mark.parametrize("kind", NORM_KINDS)
def test_row_blocked_large_mean_float32(kind, monkeypatch):
    """A mean 35 standard deviations from 0 in float32: the two-pass variance and the backward
    from x hold the output and the input gradient within 1e-5 of torch's float64 values
    (torch's own float32 output is 6e-6 away; a one-pass variance there would not be: its
    rounding grows with mean^2 / var). The parameters' gradients are left
    out: the float32 mean itself is 1 ulp(20) = 2e-6 off, which shifts every xhat by 3e-6 and
    a sum over 2880 of them by up to 1.5e-4 (torch's float32: 6.4e-4)."""
    make, x = _offset_norm(kind, 20.0, np.float32, {}, monkeypatch)
    g = rand(*x.shape, seed=1)
    res = {}
    for T, dt in ((torch, torch.float64), (mt, mt.float32)):
        m = make(T).to(dt)
        with T.no_grad():
            m.weight.copy_(T.linspace(0.5, 1.5, m.weight.numel()))
            m.bias.copy_(T.linspace(-1, 1, m.bias.numel()))
        t = T.tensor(x.astype(np.float64) if T is torch else x, requires_grad=True)
        out = m(t)
        out.backward(T.tensor(g.astype(np.float64) if T is torch else g))
        res[T] = [np.asarray(a.detach().numpy(), np.float32) for a in (out, t.grad)]
    for name, ours, ref in zip(("output", "input grad"), res[mt], res[torch]):
        np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-5, err_msg=name)


def _check_saved_input_modified(make_module, x: np.ndarray) -> None:
    """A non-leaf input changed in place between the module's forward and backward: torch's
    version-counter error in both libraries, with torch's message."""
    errors = []
    for T in LIBS:
        a = T.tensor(x, requires_grad=True) * 1
        y = make_module(T)(a)
        with T.no_grad():
            a.add_(1)
        with pytest.raises(RuntimeError) as e:
            y.sum().backward()
        errors.append(str(e.value))
    assert "modified by an inplace operation" in errors[0]
    assert errors[1] == errors[0]


def _blocked_norm(T, kind: str):
    """The float64 LayerNorm((2, 15)) or GroupNorm(3, 6) of the row-blocked tests below, whose
    inputs (5, 6, 2, 15) span several blocks of 61 elements."""
    m = T.nn.LayerNorm((2, 15)) if kind == "LayerNorm" else T.nn.GroupNorm(3, 6)
    return m.double()


@pytest.mark.parametrize("kind", ["LayerNorm", "GroupNorm"])
def test_row_blocked_saved_input_modified(kind, monkeypatch):
    """The blocked form keeps the input for the backward, as torch does: an in-place change
    to it before backward is torch's version-counter error."""
    from minitorch_ref.nn.functional import normalization
    monkeypatch.setattr(normalization, "_ROW_BLOCK", 61)
    x = rand(5, 6, 2, 15, dtype=np.float64)
    _check_saved_input_modified(lambda T: _blocked_norm(T, kind), x)


@pytest.mark.parametrize("kind", ["LayerNorm", "GroupNorm"])
def test_row_blocked_size_double_backward_input(kind, monkeypatch):
    """create_graph on an input large enough for the blocked form: the backward replays the
    forward (the whole-array form) and its gradient is differentiable again."""
    from minitorch_ref.nn.functional import normalization
    monkeypatch.setattr(normalization, "_ROW_BLOCK", 61)
    x = rand(5, 6, 2, 15, dtype=np.float64) * 2 + 1
    second = []
    for T in LIBS:
        m = _blocked_norm(T, kind)
        with T.no_grad():
            m.weight.mul_(T.linspace(0.5, 1.5, m.weight.numel(), dtype=T.float64)
                          .reshape(m.weight.shape))
        t = T.tensor(x, requires_grad=True)
        y = m(t)
        gx, = T.autograd.grad((y * y * y).sum(), t, create_graph=True)
        second.append((gx,) + T.autograd.grad((gx * gx).sum(), (t, m.weight, m.bias)))
    for ours, theirs in zip(second[1], second[0]):
        assert_close(ours, theirs, "second derivative")


@pytest.mark.parametrize("kind", ["LayerNorm", "GroupNorm"])
def test_row_blocked_forward_strided_gradient(kind, monkeypatch):
    """A blocked forward followed by the whole-array backward (a strided upstream gradient
    takes it): the saved statistics have the shapes that backward broadcasts."""
    from minitorch_ref.nn.functional import normalization
    monkeypatch.setattr(normalization, "_ROW_BLOCK", 61)
    x = rand(5, 6, 2, 15, dtype=np.float64)
    g = rand(15, 2, 6, 5, dtype=np.float64)  # permuted to x's shape below: strided
    grads = {}
    for T in LIBS:
        m = _blocked_norm(T, kind)
        t = T.tensor(x, requires_grad=True)
        m(t).backward(T.tensor(g).permute(3, 2, 1, 0))
        grads[T] = (t.grad, m.weight.grad, m.bias.grad)
    for ours, theirs in zip(grads[mt], grads[torch]):
        assert_close(ours, theirs, "gradient")


@pytest.mark.parametrize("kind", ["LayerNorm", "GroupNorm"])
def test_row_blocked_size_double_backward_parameters_only(kind, monkeypatch):
    """An input large enough for the blocked form that needs no gradient, and parameters that
    do: create_graph replays the forward with recorded parameters (the whole-array form)."""
    from minitorch_ref.nn.functional import normalization
    monkeypatch.setattr(normalization, "_ROW_BLOCK", 61)
    x = rand(5, 6, 2, 15, dtype=np.float64)
    second = []
    for T in LIBS:
        m = _blocked_norm(T, kind)
        y = m(T.tensor(x))
        gw, = T.autograd.grad((y * y * y).sum(), m.weight, create_graph=True)
        second.append(T.autograd.grad((gw * gw).sum(), (m.weight, m.bias)))
    for ours, theirs in zip(second[1], second[0]):
        assert_close(ours, theirs, "second derivative")


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("opts", [dict(), dict(elementwise_affine=False), dict(eps=1e-3)],
                         ids=opt_id)
@pytest.mark.parametrize("norm_shape,shape", [(5, (4, 5)), ((3, 5), (2, 3, 5))])
def test_rmsnorm(norm_shape, shape, opts, dtype):
    x = rand(*shape, dtype=dtype, low=-2, high=3)
    module_parity(lambda T: T.nn.RMSNorm(norm_shape, **opts), x, steps=2, dtype=DT[dtype])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("weight", [True, False])
@pytest.mark.parametrize("norm_shape", [(520,), (2, 300)])
def test_rmsnorm_long_rows(norm_shape, weight, dtype):
    """rms_norm over 520 and 600 elements: the per-row products run with NumPy's ufunc
    buffer one row long."""
    x = rand(3, 4, *norm_shape, dtype=dtype, low=-2, high=3)
    w = rand(*norm_shape, dtype=dtype, seed=1) if weight else None
    check(lambda T, a, *p: T.nn.functional.rms_norm(a, norm_shape, *p),
          x, *([w] if weight else []))


def test_batchnorm_training_without_grad_and_non_leaf_input():
    x = rand(4, 3, 5, dtype=np.float64)
    module_parity(lambda T: T.nn.BatchNorm1d(3).double(), x, grad_inputs=False, steps=2)
    check(lambda T, x: T.nn.BatchNorm1d(3).double()(x * 2 + 1), x)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_functional_forms(dtype):
    x = rand(4, 3, 5, dtype=dtype, low=-2, high=3)
    w, b = rand(3, dtype=dtype, seed=1), rand(3, dtype=dtype, seed=2)
    rm, rv = rand(3, dtype=dtype, seed=3), rand(3, dtype=dtype, seed=4, low=0.5, high=2)
    F = lambda T: T.nn.functional  # noqa: E731
    for training in (True, False):
        check(lambda T, x, w, b: F(T).batch_norm(x, T.tensor(rm), T.tensor(rv), w, b, training,
                                                 0.2, 1e-3), x, w, b)
        check(lambda T, x: F(T).batch_norm(x, T.tensor(rm), T.tensor(rv), training=training),
              x)
    check(lambda T, x: F(T).batch_norm(x, None, None, training=True), x)
    check(lambda T, x, w, b: F(T).instance_norm(x, weight=w, bias=b), x, w, b)
    check(lambda T, x: F(T).instance_norm(x, T.tensor(rm), T.tensor(rv),
                                          use_input_stats=False), x)
    check(lambda T, x, w, b: F(T).layer_norm(x, (5,), None, None), x, w, b)
    check(lambda T, x: F(T).layer_norm(x, [3, 5], T.tensor(np.ones((3, 5), dtype)),
                                       T.tensor(np.zeros((3, 5), dtype)), 1e-2), x)
    check(lambda T, x, b: F(T).layer_norm(x, (5,), bias=b), x, rand(5, dtype=dtype))
    check(lambda T, x, w, b: F(T).group_norm(x, 3, w, b), x, w, b)
    check(lambda T, x: F(T).group_norm(x, 1), x)
    check(lambda T, x: F(T).rms_norm(x, (5,)), x)
    check(lambda T, x, w: F(T).rms_norm(x, [3, 5], w, 1e-4), x, rand(3, 5, dtype=dtype))


def _with_stats(T, kind: str, offset: float, **opts):
    """A ``kind`` module (3 channels) in eval mode whose running estimates are mean ``offset``
    + a little per channel, variance 1/3 and more (U(-1, 1) + offset's)."""
    m = getattr(T.nn, kind)(3, track_running_stats=True, **opts)
    with T.no_grad():
        m.running_mean.copy_(T.tensor([offset - 0.1, offset, offset + 0.2]))
        m.running_var.copy_(T.tensor([1 / 3, 0.5, 0.4]))
        if m.weight is not None:
            m.weight.copy_(T.tensor([0.5, -1.5, 2.0]))
            m.bias.copy_(T.tensor([0.1, 0.0, -0.3]))
    return m.eval()


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("offset", [0.0, 20.0])
@pytest.mark.parametrize("kind,shape", [("BatchNorm1d", (6, 3)), ("BatchNorm2d", (2, 3, 4, 5)),
                                        ("BatchNorm2d", (2, 3, 24, 24)),
                                        ("InstanceNorm2d", (2, 3, 24, 24))])
def test_eval_with_running_stats(kind, shape, offset, affine, dtype):
    """Eval mode (running estimates) as torch's kernel computes it: x * a + (b - mean * a)
    with a = rstd * w per channel, dL/dw from x - mean; spatial sizes of 512 or more run with
    the one-row ufunc buffer. An offset of 20 puts the data and the estimates' mean 35
    standard deviations from 0, where x * a and mean * a cancel: in float32 torch's output is
    3.4e-6 from the float64 value (one rounding, a fused multiply-add), ours 6.9e-6 (two), so
    the two differ by up to 3.8e-6 there; dL/dw from sum(g * x) - mean sum(g) would be 5.9e-5
    away (torch's 3.6e-6, ours from x - mean 3.5e-6)."""
    x = rand(*shape, dtype=dtype) + dtype(offset)
    module_parity(lambda T: _with_stats(T, kind, offset, affine=affine), x, train=False,
                  steps=2, dtype=DT[dtype], scale=4 if offset and dtype == np.float32 else 1)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("offset", [0.3, 1.5, 20.0])
@pytest.mark.parametrize("kind,shape", [("BatchNorm2d", (2, 3, 24, 24)),
                                        ("InstanceNorm2d", (2, 3, 24, 24)),
                                        ("BatchNorm1d", (4, 3, 5))])
def test_train_one_pass_and_two_pass(kind, shape, offset, dtype, monkeypatch):
    """Batch and instance norm in training take the variance from the same BLAS sums as the
    mean (one pass, out = x * a + (b - mean * a)) while mean^2 <= var + eps (offset 0.3 on
    U(-1, 1)), the two-pass form beyond (1.5 and 20: 2.6 and 35 standard deviations); three
    training steps with running estimates, then eval. (float32 at 35 standard deviations is
    left out: dL/dw there is a sum of g xhat whose xhat each carry the float32 mean's 1 ulp,
    5e-5 relative between torch and either of our forms.)"""
    if offset > 10 and dtype == np.float32:
        pytest.skip("float32 35 standard deviations out: dL/dw rounding, see the docstring")
    from minitorch_ref.nn.functional import normalization
    taken = []
    one_pass = normalization._per_channel_one_pass
    monkeypatch.setattr(normalization, "_per_channel_one_pass",
                        lambda *a: taken.append(one_pass(*a) is not None) or one_pass(*a))
    x = (rand(*shape, dtype=dtype, low=-1, high=1) + dtype(offset)).astype(dtype)
    opts = {"track_running_stats": True, "affine": True} if kind.startswith("Inst") else {}
    module_parity(lambda T: getattr(T.nn, kind)(3, **opts), x, train=(True,) * 3 + (False,),
                  dtype=DT[dtype])
    # (module_parity's later steps scale and shift x: only the first is at `offset`)
    assert taken[0] if offset < 0.5 else not any(taken), taken


@pytest.mark.parametrize("kind", ["BatchNorm2d", "InstanceNorm2d"])
def test_eval_saved_input_modified(kind):
    """Eval mode keeps the input for the backward, as torch's node does: an in-place change
    to it before backward is torch's version-counter error (instance norm's names the
    (1, N * C, H, W) view it normalizes, a view whose data changed: "output 0 of
    AsStrided")."""
    _check_saved_input_modified(lambda T: _with_stats(T, kind, 0.0, affine=True),
                                rand(2, 3, 4, 5))


@pytest.mark.parametrize("input_grad", [True, False])
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("stat", ["running_mean", "running_var"])
@pytest.mark.parametrize("kind", ["BatchNorm1d", "BatchNorm2d", "InstanceNorm2d"])
def test_eval_running_stats_modified(kind, stat, affine, input_grad):
    """Batch norm's eval node keeps the running estimates themselves, as torch's does: an
    in-place change to either before backward is torch's version-counter error, with its
    message (affine or not; the input requiring grad or only the parameters). Instance norm
    normalizes with copies (torch's repeated estimates): no error, and the gradients are
    those of the estimates at forward time."""
    if not affine and not input_grad:
        pytest.skip("nothing requires grad")
    shape = (6, 3) if kind == "BatchNorm1d" else (2, 3, 4, 5)
    x = rand(*shape)
    outcome = []
    for T in LIBS:
        m = _with_stats(T, kind, 0.5, affine=affine)
        t = T.tensor(x, requires_grad=input_grad)
        y = m(t)
        with T.no_grad():
            getattr(m, stat).mul_(2)
        try:
            y.backward(T.ones_like(y))
        except RuntimeError as e:
            outcome.append(str(e))
            continue
        grads = [t.grad] + ([m.weight.grad, m.bias.grad] if affine else [])
        outcome.append([None if a is None else a.detach().numpy() for a in grads])
    if kind == "InstanceNorm2d":
        for ours, ref in zip(outcome[1], outcome[0]):
            assert_close(ours, ref)
    else:
        assert "modified by an inplace operation" in outcome[0]
        assert outcome[1] == outcome[0]


def test_running_stats_update_functional():
    x = rand(4, 3, 5, dtype=np.float64)
    for fn in ("batch_norm", "instance_norm"):
        stats = {}
        for T in LIBS:
            rm, rv = T.zeros(3, dtype=T.float64), T.ones(3, dtype=T.float64)
            kw = dict(training=True) if fn == "batch_norm" else {}
            for _ in range(3):
                getattr(T.nn.functional, fn)(T.tensor(x), rm, rv, momentum=0.3, **kw)
            stats[T] = (rm.numpy().copy(), rv.numpy().copy())
        for a, b in zip(stats[mt], stats[torch]):
            np.testing.assert_allclose(a, b, rtol=1e-12)


def test_momentum_none_cumulative_average():
    xs = [rand(5, 2, dtype=np.float64, seed=s) for s in range(4)]
    res = {}
    for T in LIBS:
        m = T.nn.BatchNorm1d(2, momentum=None).double()
        for x in xs:
            m(T.tensor(x))
        res[T] = (m.running_mean.numpy().copy(), m.running_var.numpy().copy(),
                  int(m.num_batches_tracked))
    np.testing.assert_allclose(res[mt][0], np.mean([x.mean(0) for x in xs], 0), rtol=1e-12)
    np.testing.assert_allclose(res[mt][0], res[torch][0], rtol=1e-12)
    np.testing.assert_allclose(res[mt][1], res[torch][1], rtol=1e-12)
    assert res[mt][2] == res[torch][2] == 4


def test_reprs_and_state_dict_keys():
    builds = [lambda T: T.nn.BatchNorm1d(3), lambda T: T.nn.BatchNorm2d(4, momentum=None),
              lambda T: T.nn.BatchNorm2d(4, affine=False, track_running_stats=False),
              lambda T: T.nn.BatchNorm3d(2, eps=1e-3, bias=False),
              lambda T: T.nn.InstanceNorm1d(3), lambda T: T.nn.InstanceNorm2d(3, affine=True),
              lambda T: T.nn.InstanceNorm3d(3, track_running_stats=True),
              lambda T: T.nn.LayerNorm(3), lambda T: T.nn.LayerNorm([2, 3], bias=False),
              lambda T: T.nn.LayerNorm((3,), elementwise_affine=False, eps=1e-6),
              lambda T: T.nn.GroupNorm(2, 4), lambda T: T.nn.GroupNorm(1, 3, affine=False),
              lambda T: T.nn.RMSNorm(4), lambda T: T.nn.RMSNorm([2, 4], 1e-3, False)]
    for build in builds:
        o, t = build(mt), build(torch)
        assert repr(o) == repr(t)
        assert list(o.state_dict()) == list(t.state_dict())
        assert [n for n, _ in o.named_buffers()] == [n for n, _ in t.named_buffers()]
        assert dict(o.state_dict()._metadata) == dict(t.state_dict()._metadata)
        for k, v in t.state_dict().items():
            np.testing.assert_array_equal(o.state_dict()[k].numpy(), v.numpy())
            assert o.state_dict()[k].dtype.name == str(v.dtype).split(".")[1]


def test_num_batches_tracked_and_old_checkpoints():
    for T in LIBS:
        m = T.nn.BatchNorm1d(3)
        m(T.ones(4, 3))
        m(T.ones(4, 3))
        assert int(m.num_batches_tracked) == 2
        m.eval()
        m(T.ones(4, 3))
        assert int(m.num_batches_tracked) == 2
        # a version-1 checkpoint without num_batches_tracked loads; the counter is kept
        sd = T.nn.BatchNorm1d(3).state_dict()
        del sd["num_batches_tracked"]
        sd._metadata[""]["version"] = 1
        result = m.load_state_dict(sd)
        assert result.missing_keys == [] and int(m.num_batches_tracked) == 2
        m.reset_running_stats()
        assert int(m.num_batches_tracked) == 0


def _counter_case(T, m, case):
    """The module's counter as the case sets it up; returns a tensor to watch besides it."""
    if case == "view held":  # a view shares the counter's memory and version
        return m.num_batches_tracked.view(1)
    if case == "replaced int64":
        m.num_batches_tracked = T.tensor(5)
    elif case == "replaced float":  # add_(1) and float() on a float counter
        m.num_batches_tracked = T.tensor(2.0, dtype=T.float64)
    elif case == "replaced int32":
        m.num_batches_tracked = T.tensor(7, dtype=T.int32)
    return m.num_batches_tracked


@pytest.mark.parametrize("momentum", [0.1, None])
@pytest.mark.parametrize("case", ["default", "view held", "replaced int64", "replaced float",
                                  "replaced int32"])
def test_num_batches_tracked_value_dtype_and_versions(case, momentum):
    """Each training forward adds 1 to num_batches_tracked in place (one version bump, seen by
    its views; momentum=None weights the batch by the new count), as torch's add_(1); the
    running estimates are written without a bump; eval mode leaves all three alone."""
    x = rand(4, 3, 2, 2, dtype=np.float64)
    res = {}
    for T in LIBS:
        m = T.nn.BatchNorm2d(3, momentum=momentum).double()
        watched = _counter_case(T, m, case)
        seen = []
        for training in (True, True, False):
            m.train(training)
            out = m(T.tensor(x))
            c = m.num_batches_tracked
            seen.append((out.detach().numpy().copy(), c.numpy().copy(), c.dtype.name if T is mt
                         else str(c.dtype).split(".")[1], c._version, watched.numpy().copy(),
                         watched._version, m.running_mean._version, m.running_var._version,
                         m.running_mean.numpy().copy(), m.running_var.numpy().copy()))
        res[T] = seen
    for a, b in zip(res[mt], res[torch]):
        np.testing.assert_allclose(a[0], b[0], rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(a[1], b[1])
        assert a[2:4] == b[2:4] and a[5:8] == b[5:8]
        np.testing.assert_array_equal(a[4], b[4])
        np.testing.assert_allclose(a[8], b[8], rtol=1e-12)
        np.testing.assert_allclose(a[9], b[9], rtol=1e-12)


def test_instancenorm_old_checkpoint_with_running_stats():
    def fn(T):
        sd = T.nn.InstanceNorm1d(3, track_running_stats=True).state_dict()
        del sd._metadata
        T.nn.InstanceNorm1d(3).load_state_dict(sd)
    o_exc, t_exc = check_raises(fn)
    assert str(o_exc) == str(t_exc)


def test_errors():
    check_raises(lambda T: T.nn.BatchNorm1d(3)(T.ones(1, 3)))
    o_exc, t_exc = check_raises(lambda T: T.nn.BatchNorm1d(3)(T.ones(1, 3)))
    assert str(o_exc) == ("Expected more than 1 value per channel when training, got input size "
                          "torch.Size([1, 3])")
    check_raises(lambda T: T.nn.BatchNorm2d(3)(T.ones(1, 3, 1, 1)))
    check_raises(lambda T: T.nn.BatchNorm1d(3)(T.ones(2, 3, 4, 5)))
    check_raises(lambda T: T.nn.BatchNorm2d(3)(T.ones(2, 3, 4)))
    check_raises(lambda T: T.nn.BatchNorm3d(3)(T.ones(2, 3, 4)))
    check_raises(lambda T: T.nn.BatchNorm1d(4)(T.ones(2, 3)))
    check_raises(lambda T: T.nn.BatchNorm1d(3, affine=False, track_running_stats=True).eval()(
        T.ones(2, 4)))
    check_raises(lambda T: T.nn.functional.batch_norm(T.ones(2, 3), None, None))
    check_raises(lambda T: T.nn.functional.batch_norm(T.ones(2, 3), T.zeros(3), T.ones(3),
                                                       T.ones(4), training=True))
    check_raises(lambda T: T.nn.InstanceNorm1d(3)(T.ones(2, 3, 1)))
    check_raises(lambda T: T.nn.InstanceNorm2d(3)(T.ones(2, 3)))
    check_raises(lambda T: T.nn.InstanceNorm1d(3, affine=True)(T.ones(2, 4, 5)))
    check_raises(lambda T: T.nn.LayerNorm(4)(T.ones(2, 3)))
    check_raises(lambda T: T.nn.functional.layer_norm(T.ones(2, 3), (3,), T.ones(4)))
    check_raises(lambda T: T.nn.GroupNorm(2, 5))
    check_raises(lambda T: T.nn.GroupNorm(2, 4)(T.ones(2, 6, 3)))
    check_raises(lambda T: T.nn.functional.group_norm(T.ones(2, 5, 3), 2))
    check_raises(lambda T: T.nn.functional.group_norm(T.ones(5), 1))
    check_raises(lambda T: T.nn.functional.group_norm(T.ones(2, 4, 3), 2, T.ones(3)))
    check_raises(lambda T: T.nn.RMSNorm(4)(T.ones(2, 3)))
    check_raises(lambda T: T.nn.functional.rms_norm(T.ones(2, 3), (4, 5)))
    check_raises(lambda T: T.nn.functional.rms_norm(T.ones(2, 3), 3))
    check_raises(lambda T: T.nn.functional.layer_norm(T.ones(2, 3), 3))
    check_raises(lambda T: T.nn.functional.batch_norm(T.ones(2, 3), None, None, training=True,
                                                       eps=0.0))
    check_raises(lambda T: T.nn.functional.batch_norm(T.ones(2, 3), T.zeros(3), T.ones(3),
                                                       eps=-1.0))
    x64 = lambda T: T.ones(2, 3, 4, dtype=T.float64)  # noqa: E731
    check_raises(lambda T: T.nn.BatchNorm1d(3)(x64(T)))
    check_raises(lambda T: T.nn.LayerNorm(4)(x64(T)))
    check_raises(lambda T: T.nn.GroupNorm(1, 3)(x64(T)))
    check_raises(lambda T: T.nn.InstanceNorm1d(3, affine=True)(x64(T)))
    # a feature count mismatch without affine params only warns
    for T in LIBS:
        with pytest.warns(UserWarning, match="does not match num_features"):
            T.nn.InstanceNorm1d(3)(T.ones(2, 4, 5))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("size", [1, 2, 3, 4, 7])
@pytest.mark.parametrize("shape", [(2, 5, 4), (2, 6, 3, 2), (1, 3, 2, 2, 2)])
def test_local_response_norm(shape, size, dtype):
    x = rand(*shape, dtype=dtype, low=-2, high=2)
    check(lambda T, x: T.nn.functional.local_response_norm(x, size), x)
    check(lambda T, x: T.nn.LocalResponseNorm(size, alpha=0.5, beta=0.6, k=2.0)(x), x)


def test_local_response_norm_repr_and_errors():
    assert repr(mt.nn.LocalResponseNorm(3)) == repr(torch.nn.LocalResponseNorm(3))
    assert repr(mt.nn.LocalResponseNorm(2, 0.1, 1.0, 2)) == \
        repr(torch.nn.LocalResponseNorm(2, 0.1, 1.0, 2))
    o_exc, t_exc = check_raises(lambda T: T.nn.functional.local_response_norm(T.ones(2, 3), 2))
    assert str(o_exc) == str(t_exc)
    check(lambda T, x: T.nn.functional.local_response_norm(x, 2), np.zeros((0, 3, 2)))


def test_non_contiguous_inputs():
    x = rand(4, 3, 5, dtype=np.float64)
    F = lambda T: T.nn.functional  # noqa: E731
    check(lambda T, x: F(T).layer_norm(x, (5,)), x, layout="transposed")
    check(lambda T, x: F(T).batch_norm(x, None, None, training=True), x, layout="transposed")
    check(lambda T, x: F(T).group_norm(x, 3), x, layout="transposed")
    check(lambda T, x: F(T).instance_norm(x), x, layout="transposed")
    check(lambda T, x: F(T).rms_norm(x, [5]), x, layout="transposed")
    check(lambda T, x: F(T).normalize(x, dim=-1), x, layout="transposed")


def test_output_modified_in_place_leaves_backward_intact():
    """The kernels save xhat; the output must be a separate array (torch allows an in-place
    change of the output of a non-affine norm before backward)."""
    x = rand(4, 3, 5, dtype=np.float64)

    def fn(T, x, kind):
        F = T.nn.functional
        y = {"ln": lambda: F.layer_norm(x, (5,)), "gn": lambda: F.group_norm(x, 3),
             "bn_eval": lambda: F.batch_norm(x, T.zeros(3, dtype=T.float64),
                                             T.ones(3, dtype=T.float64)),
             "in": lambda: F.instance_norm(x)}[kind]()
        y.mul_(2.0)
        return y

    for kind in ("ln", "gn", "bn_eval", "in"):
        check(lambda T, x: fn(T, x, kind), x)


GRAD_FN_CASES = {
    "batch_norm": lambda T, x, w, b: T.nn.functional.batch_norm(x, None, None, w, b, True),
    "batch_norm_eval": lambda T, x, w, b: T.nn.functional.batch_norm(
        x, T.zeros(3, dtype=x.dtype), T.ones(3, dtype=x.dtype), w, b),
    "instance_norm": lambda T, x, w, b: T.nn.functional.instance_norm(x, weight=w, bias=b),
    "instance_norm_running": lambda T, x, w, b: T.nn.functional.instance_norm(
        x, T.zeros(3, dtype=x.dtype), T.ones(3, dtype=x.dtype), w, b, use_input_stats=False),
    "layer_norm": lambda T, x, w, b: T.nn.functional.layer_norm(x, (5,), w[:1].expand(5), b[:1]
                                                                .expand(5)),
    "layer_norm_plain": lambda T, x, w, b: T.nn.functional.layer_norm(x, (3, 5)),
    "group_norm": lambda T, x, w, b: T.nn.functional.group_norm(x, 3, w, b),
    "group_norm_plain": lambda T, x, w, b: T.nn.functional.group_norm(x, 1),
    "rms_norm": lambda T, x, w, b: T.nn.functional.rms_norm(x, (5,)),
    "local_response_norm": lambda T, x, w, b: T.nn.functional.local_response_norm(x, 2),
    "normalize": lambda T, x, w, b: T.nn.functional.normalize(x),
}


WEIGHTED = ("batch_norm", "batch_norm_eval", "instance_norm", "instance_norm_running",
            "layer_norm", "group_norm")


@pytest.mark.parametrize("case,which", [(c, "input") for c in GRAD_FN_CASES]
                         + [(c, "weight") for c in WEIGHTED])
def test_functional_grad_fn_names(case, which):
    """The node each normalization records is named as torch names it (layer norm:
    NativeLayerNormBackward0, group norm: NativeGroupNormBackward0, instance norm: the
    ViewBackward0 of torch's batch-norm-and-view), whether the input or a weight needs grad."""
    x = rand(2, 3, 5, dtype=np.float64)
    w = rand(3, dtype=np.float64, seed=1, low=0.5, high=1.5)
    b = rand(3, dtype=np.float64, seed=2)
    if which == "input":
        check(GRAD_FN_CASES[case], x, w, b, grad_fn_name=True)
    else:
        ours, _ = check(lambda T, w, b: GRAD_FN_CASES[case](T, T.tensor(x), w, b), w, b,
                        grad_fn_name=True)
        assert ours.grad_fn is not None


@pytest.mark.parametrize("kind,args", [("LayerNorm", (5,)), ("GroupNorm", (3, 3)),
                                       ("BatchNorm1d", (3,)), ("InstanceNorm1d", (3,)),
                                       ("RMSNorm", (5,)), ("LocalResponseNorm", (2,))])
def test_module_grad_fn_names(kind, args):
    x = rand(2, 3, 5)
    names = []
    for T in LIBS:
        m = getattr(T.nn, kind)(*args)
        names.append(m(T.tensor(x, requires_grad=True)).grad_fn.name())
    assert names[1] == names[0]


# F.normalize(..., out=o) is torch.div(input, denom, out=o): div's out= rules
NORMALIZE_OUT = {"same dtype": ((3, 4), "float32"), "wider dtype": ((3, 4), "float64"),
                 "resized": ((2,), "float32"), "positional": ((3, 4), "float32")}


@pytest.mark.parametrize("case", NORMALIZE_OUT)
def test_normalize_out(case):
    x = rand(3, 4, dtype=np.float32)
    shape, dtype = NORMALIZE_OUT[case]
    results = {}
    for T in LIBS:
        o = T.zeros(*shape, dtype=getattr(T, dtype))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if case == "positional":
                r = T.nn.functional.normalize(T.tensor(x), 2.0, 1, 1e-12, o)
            else:
                r = T.nn.functional.normalize(T.tensor(x), dim=1, out=o)
        assert r is o
        # torch's C++ warnings end with where they were raised: "(Triggered internally at ...)"
        results[T] = (r, [str(w.message).split(" (Triggered internally")[0] for w in caught])
    (ours, ours_w), (theirs, theirs_w) = results[mt], results[torch]
    assert_close(ours, theirs)
    assert ours_w == theirs_w


@pytest.mark.parametrize("case", ["int out", "input requires grad", "out requires grad"])
def test_normalize_out_errors(case):
    x = rand(3, 4, dtype=np.float32)

    def fn(T, x):
        o = T.empty(3, 4, dtype=T.int64 if case == "int out" else T.float32,
                    requires_grad=case == "out requires grad")
        return T.nn.functional.normalize(x.requires_grad_(case == "input requires grad"), dim=1,
                                         out=o)
    check_raises(fn, x)


@pytest.mark.parametrize("module", [False, True])
@pytest.mark.parametrize("shape", [(2, 5, 3, 4), (1, 4, 2, 2, 3)])
def test_local_response_norm_float16_beyond_3d_raises(shape, module):
    """torch computes 4-D and 5-D local response norms with avg_pool3d, which has no float16
    kernel: the error, as torch's (3-D inputs take avg_pool2d, which has)."""
    x = rand(*shape, dtype=np.float16)
    fn = (lambda T: T.nn.LocalResponseNorm(3)(T.tensor(x))) if module else \
        (lambda T: T.nn.functional.local_response_norm(T.tensor(x), 3))
    o_exc, t_exc = check_raises(fn)
    assert type(o_exc) is type(t_exc) is NotImplementedError
    assert str(o_exc) == str(t_exc)
