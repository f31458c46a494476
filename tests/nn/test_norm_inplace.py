"""In-place changes between a normalization's forward and its backward, against torch: which
saved values torch's nodes keep (so that changing them is its version-counter error, message and
version numbers included), which they do not (no error, the gradients of the forward-time
values), and the version counters of the running estimates after a forward."""
import numpy as np
import pytest

from harness import LIBS, assert_close, rand


def _outcome(run):
    """Run ``run(T)`` (forward, in-place change, backward) in both libraries: the error
    messages, or the gradients it returns as arrays."""
    res = []
    for T in LIBS:
        try:
            grads = run(T)
        except RuntimeError as e:
            res.append(str(e))
            continue
        res.append([None if g is None else g.detach().numpy().copy() for g in grads])
    return res


def _assert_same_outcome(run, raises=None):
    theirs, ours = _outcome(run)
    if raises is not None:  # pins torch's behaviour, so that the test means what it says
        assert isinstance(theirs, str) == raises, theirs
    if isinstance(theirs, str):
        assert "modified by an inplace operation" in theirs
        assert ours == theirs
    else:
        assert not isinstance(ours, str), ours
        for a, b in zip(ours, theirs):
            assert (a is None) == (b is None)
            if a is not None:
                assert_close(a, b)


BN_SHAPES = {"BatchNorm1d": [(3, 4), (3, 4, 5)], "BatchNorm2d": [(3, 4, 5, 5)],
             "BatchNorm3d": [(3, 4, 2, 3, 2)]}
BN_CASES = [(k, s) for k, shapes in BN_SHAPES.items() for s in shapes]


def _no_grad(T, fn):
    with T.no_grad():
        fn()


# what changes between forward and backward, and whether torch raises (train, eval)
BN_CHANGES = {
    "running_mean.mul_": (lambda T, m, x: m.running_mean.mul_(2), True),
    "running_var.add_": (lambda T, m, x: m.running_var.add_(1), True),
    "running_mean.zero_": (lambda T, m, x: m.running_mean.zero_(), True),
    "reset_running_stats": (lambda T, m, x: m.reset_running_stats(), True),
    "running_mean.data.mul_": (lambda T, m, x: m.running_mean.data.mul_(2), False),
    "num_batches_tracked.add_": (lambda T, m, x: m.num_batches_tracked.add_(1), False),
    "second forward": (lambda T, m, x: m(x.detach() + 1), False),
    "second forward, no_grad": (lambda T, m, x: _no_grad(T, lambda: m(x.detach() + 1)), False),
    "weight.mul_ (no_grad)": (lambda T, m, x: _no_grad(T, lambda: m.weight.mul_(2)), True),
    "weight.data.mul_": (lambda T, m, x: m.weight.data.mul_(2), False),
    "bias.mul_ (no_grad)": (lambda T, m, x: _no_grad(T, lambda: m.bias.mul_(2)), False),
    "input.mul_ (no_grad)": (lambda T, m, x: _no_grad(T, lambda: x.mul_(2)), True),
}


@pytest.mark.parametrize("change", BN_CHANGES)
@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("kind,shape", BN_CASES, ids=[f"{k}{list(s)}" for k, s in BN_CASES])
def test_batchnorm_changed_before_backward(kind, shape, training, change):
    """torch's batch norm node keeps the input, the weight and the running estimates (in train
    mode too: its kernel updates them in place without a version bump, so a second forward
    before backward is no error, but any version-counted change is); not the bias."""
    fn, raises = BN_CHANGES[change]
    x = rand(*shape, seed=1)

    def run(T):
        m = getattr(T.nn, kind)(4).train(training)
        a = T.tensor(x, requires_grad=True)
        t = a * 1
        y = m(t)
        fn(T, m, t)
        y.backward(T.tensor(rand(*shape, seed=7)))
        return a.grad, m.weight.grad, m.bias.grad
    _assert_same_outcome(run, raises=raises)


BN_FUNCTIONAL = ("input", "weight", "running_mean", "running_var")


@pytest.mark.parametrize("input_grad", [True, False])
@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("first,second", [(a, b) for a in BN_FUNCTIONAL for b in BN_FUNCTIONAL
                                          if a != b])
def test_batch_norm_check_order(first, second, training, input_grad):
    """Two saved tensors changed (the first once, the second twice): torch names the one it
    checks first (input, running_mean, running_var, weight), with its version numbers."""
    x = rand(3, 4, 5, seed=2)

    def run(T):
        t = T.tensor(x, requires_grad=input_grad)
        w = T.ones(4, requires_grad=True)
        b = T.zeros(4, requires_grad=True)
        rm, rv = T.zeros(4), T.ones(4)
        y = T.nn.functional.batch_norm(t, rm, rv, w, b, training=training)
        named = dict(input=t, weight=w, running_mean=rm, running_var=rv)
        with T.no_grad():
            named[first].mul_(1)
            named[second].mul_(1)
            named[second].mul_(1)
        y.backward(T.tensor(rand(3, 4, 5, seed=7)))
        return t.grad, w.grad
    _assert_same_outcome(run, raises=True)


def test_batch_norm_leaves_running_versions():
    """torch's batch norm kernel writes the running estimates without a version bump (a value
    saved elsewhere stays valid); instance norm's copy_ into them bumps each once."""
    x = rand(3, 4, 5, seed=3)
    versions = []
    for T in LIBS:
        rm, rv = T.zeros(4), T.ones(4)
        y = T.ones(4, requires_grad=True) * rm  # keeps rm for its backward
        seen = []
        for kw in (dict(training=True), dict(training=True, weight=T.ones(4))):
            T.nn.functional.batch_norm(T.tensor(x), rm, rv, **kw)
            seen.append((rm._version, rv._version))
        y.sum().backward()
        T.nn.functional.instance_norm(T.tensor(x), rm, rv)
        seen.append((rm._version, rv._version))
        T.nn.functional.instance_norm(T.tensor(x), rm, rv, use_input_stats=False)
        seen.append((rm._version, rv._version))
        versions.append(seen)
    assert versions[1] == versions[0]


NORM_CHANGES = ("input", "weight", "bias")


def _layer_or_group_norm(T, kind, t, w, b):
    if kind == "layer_norm":
        return T.nn.functional.layer_norm(t, t.shape[-2:], w, b)
    return T.nn.functional.group_norm(t, 2, w, b)


@pytest.mark.parametrize("blocked", [False, True], ids=["whole", "row-blocked"])
@pytest.mark.parametrize("input_grad", [True, False])
@pytest.mark.parametrize("changed", [(c,) for c in NORM_CHANGES]
                         + [(a, b) for a in NORM_CHANGES for b in NORM_CHANGES if a != b],
                         ids="+".join)
@pytest.mark.parametrize("kind", ["layer_norm", "group_norm"])
def test_layer_group_norm_changed_before_backward(kind, changed, input_grad, blocked,
                                                  monkeypatch):
    """torch's layer norm node keeps input, weight and bias (checked bias, input, weight);
    group norm's input and weight. Both of our forms (the whole-array one keeps xhat, the
    row-blocked one x) check the same tensors in the same order."""
    if blocked:
        from minitorch_ref.nn.functional import normalization
        monkeypatch.setattr(normalization, "_ROW_BLOCK", 61)
    x = rand(5, 6, 2, 15, dtype=np.float64, seed=4)
    shape = (2, 15) if kind == "layer_norm" else (6,)

    def run(T):
        t = T.tensor(x, requires_grad=input_grad)
        w = T.tensor(rand(*shape, dtype=np.float64, seed=5), requires_grad=True)
        b = T.tensor(rand(*shape, dtype=np.float64, seed=6), requires_grad=True)
        y = _layer_or_group_norm(T, kind, t, w, b)
        named = dict(input=t, weight=w, bias=b)
        with T.no_grad():
            for i, name in enumerate(changed):
                for _ in range(i + 1):
                    named[name].mul_(1)
        y.backward(T.tensor(rand(5, 6, 2, 15, dtype=np.float64, seed=7)))
        return t.grad, w.grad, b.grad
    torch_raises = kind == "layer_norm" or changed != ("bias",)
    _assert_same_outcome(run, raises=torch_raises)


IN_SHAPES = {"InstanceNorm1d": (3, 4, 5), "InstanceNorm2d": (3, 4, 5, 5),
             "InstanceNorm3d": (3, 4, 2, 3, 2)}
IN_CHANGES = {k: BN_CHANGES[k][0] for k in (
    "running_mean.mul_", "running_var.add_", "reset_running_stats", "second forward",
    "weight.mul_ (no_grad)", "bias.mul_ (no_grad)", "input.mul_ (no_grad)")}
IN_CHANGES["input.data.mul_"] = lambda T, m, x: x.data.mul_(2)


@pytest.mark.parametrize("change", IN_CHANGES)
@pytest.mark.parametrize("track", [True, False], ids=["track", "no-track"])
@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("kind", IN_SHAPES)
def test_instancenorm_changed_before_backward(kind, training, track, change):
    """torch's instance norm is a batch norm of the input viewed as (1, N*C, *) with the
    parameters and running estimates repeated N times: its node keeps copies of all but the
    input, so only an in-place change to the input is an error, and the message names that
    view ("[torch.FloatTensor [1, 12, 5]], which is output 0 of AsStrided")."""
    if not track and change in ("running_mean.mul_", "running_var.add_", "reset_running_stats"):
        pytest.skip("no running estimates")
    x = rand(*IN_SHAPES[kind], seed=8)

    def run(T):
        m = getattr(T.nn, kind)(4, affine=True, track_running_stats=track).train(training)
        a = T.tensor(x, requires_grad=True)
        t = a * 1
        y = m(t)
        IN_CHANGES[change](T, m, t)
        y.backward(T.tensor(rand(*x.shape, seed=7)))
        return a.grad, m.weight.grad, m.bias.grad
    _assert_same_outcome(run, raises=change == "input.mul_ (no_grad)")


@pytest.mark.parametrize("use_input_stats", [True, False])
@pytest.mark.parametrize("how", ["leaf", "non-leaf", "grad mode", "no grad", "slice", "twice",
                                 "non-contiguous"])
def test_instance_norm_input_changed(how, use_input_stats):
    """The input changed in place before backward: torch's error names the (1, N*C, *) view
    (of a slice: its own N), at the input's versions; "output 0 of AsStrided" when the input
    requires grad, nothing when only the weight does. A non-contiguous input is copied first
    (input.contiguous()): no error, the gradients of the forward-time values."""
    x0 = rand(3, 4, 5, seed=9)

    def run(T):
        base = T.tensor(x0, requires_grad=True)
        w = T.tensor(rand(4, seed=10), requires_grad=True)
        t = base if how == "leaf" else base.detach() if how == "no grad" else base * 1
        if how == "non-contiguous":
            t = t.transpose(0, 2).contiguous().transpose(0, 2)
        x = t[1:] if how == "slice" else t
        y = T.nn.functional.instance_norm(x, T.zeros(4), T.ones(4), w,
                                          use_input_stats=use_input_stats)
        if how == "grad mode":
            t.mul_(2)
        else:
            with T.no_grad():
                for _ in range(2 if how == "twice" else 1):
                    t.mul_(2)
        y.backward(T.tensor(rand(*y.shape, seed=11)))
        return base.grad, w.grad
    _assert_same_outcome(run, raises=how != "non-contiguous")


@pytest.mark.parametrize("use_input_stats", [True, False])
@pytest.mark.parametrize("affine", [True, False])
def test_instance_norm_graph(affine, use_input_stats):
    """The nodes of torch's instance norm, in order: ViewBackward0 <- NativeBatchNormBackward0
    <- (ViewBackward0 <- the input, RepeatBackward0 <- weight, bias)."""
    x = rand(2, 3, 4, seed=12)
    graphs = []
    for T in LIBS:
        w, b = (T.ones(3, requires_grad=True), T.zeros(3, requires_grad=True)) if affine \
            else (None, None)
        y = T.nn.functional.instance_norm(T.tensor(x, requires_grad=True), T.zeros(3),
                                          T.ones(3), w, b, use_input_stats=use_input_stats)
        seen = []

        def walk(fn, depth):
            seen.append((depth, None if fn is None else fn.name().split("::")[-1]))
            for nxt, nr in () if fn is None else fn.next_functions:
                walk(nxt, depth + 1)
        walk(y.grad_fn, 0)
        graphs.append(seen)
    assert graphs[1] == graphs[0]


@pytest.mark.parametrize("grad_mode", [True, False], ids=["grad", "no_grad"])
@pytest.mark.parametrize("which", ["running_mean", "running_var"])
@pytest.mark.parametrize("call", ["batch_norm train", "batch_norm eval", "instance_norm",
                                  "instance_norm running"])
def test_running_estimates_requiring_grad(call, which, grad_mode):
    """Running estimates that require grad: torch's autograd refuses them with grad mode on
    (native_batch_norm is not differentiable in them), whether or not anything else requires
    grad; under no_grad they are used. Ours used them silently."""
    x = rand(3, 4, 5, seed=13)
    outcomes = []
    for T in LIBS:
        rm = T.zeros(4, requires_grad=which == "running_mean")
        rv = T.ones(4, requires_grad=which == "running_var")
        f = T.nn.functional
        with T.set_grad_enabled(grad_mode):
            try:
                if call.startswith("batch_norm"):
                    y = f.batch_norm(T.tensor(x), rm, rv, training=call.endswith("train"))
                else:
                    y = f.instance_norm(T.tensor(x), rm, rv,
                                        use_input_stats=call == "instance_norm")
            except RuntimeError as e:
                outcomes.append(str(e))
                continue
        outcomes.append([y.detach().numpy(), rm.detach().numpy(), rv.detach().numpy()])
    if grad_mode:
        assert isinstance(outcomes[0], str)
        assert outcomes[1] == outcomes[0]
    else:
        for a, b in zip(outcomes[1], outcomes[0]):
            assert_close(a, b)


def _graph(fn) -> list:
    """(depth, node name) of every node reached from ``fn``, depth first."""
    seen = []

    def walk(node, depth):
        seen.append((depth, None if node is None else node.name().split("::")[-1]))
        for nxt, _nr in () if node is None else node.next_functions:
            walk(nxt, depth + 1)
    walk(fn, 0)
    return seen


@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("kind,shape", [("InstanceNorm1d", (4, 5)), ("InstanceNorm1d", (2, 4, 5)),
                                        ("InstanceNorm2d", (4, 3, 5)),
                                        ("InstanceNorm3d", (4, 2, 3, 2))])
def test_instancenorm_module_graph(kind, shape, affine):
    """The modules' graphs, unbatched input included: torch adds the batch dim with
    unsqueeze(0) and removes it with squeeze(0) (SqueezeBackward1 <- ... <- UnsqueezeBackward0;
    ours were views)."""
    x = rand(*shape, seed=14)
    graphs = []
    for T in LIBS:
        m = getattr(T.nn, kind)(4, affine=affine)
        graphs.append(_graph(m(T.tensor(x, requires_grad=True)).grad_fn))
    assert graphs[1] == graphs[0]


@pytest.mark.parametrize("which", ["input", "weight"])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_rms_norm_changed_before_backward(dtype, which):
    """torch's composite rms_norm keeps the input itself (float32/float64, where its upcast is
    a no-op) or its float32 copy (float16: the input may change), and the weight: an in-place
    change before backward is the version-counter error, or the forward-time gradients."""
    x, w = rand(3, 2, 4, dtype=dtype), rand(4, dtype=dtype, seed=1, low=0.5, high=1.5)

    def run(T):
        xl, wl = T.tensor(x, requires_grad=True), T.tensor(w, requires_grad=True)
        xx, ww = xl * 1, wl * 1
        out = T.nn.functional.rms_norm(xx, (4,), ww)
        with T.no_grad():
            (xx if which == "input" else ww).mul_(2)
        out.sum().backward()
        return xl.grad, wl.grad

    _assert_same_outcome(run, raises=which == "weight" or dtype != np.float16)
