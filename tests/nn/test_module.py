"""nn.Module against torch: registration through attributes, iteration order, state_dict keys
and loading (including from torch's own state_dict), errors, hooks, modes, dtype conversion,
repr. Each test builds the same module in both libraries (``T`` is torch or minitorch_ref)."""
import pickle
from collections import OrderedDict

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check_raises

W = np.arange(12, dtype=np.float32).reshape(3, 4) / 10


def make_block(T):
    nn = T.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(T.tensor(W))
            self.register_buffer("count", T.zeros(3))
            self.register_buffer("scratch", T.ones(2), persistent=False)
            self.act = nn.Sequential(nn.ReLU(), nn.Tanh())
            self.register_parameter("unused", None)

        def forward(self, x):
            return self.act(x @ self.w)

    return Block()


def make_net(T):
    nn = T.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.first = make_block(T)
            self.layers = nn.ModuleList([make_block(T), nn.Sigmoid()])
            self.heads = nn.ModuleDict({"b": nn.ReLU6(), "a": make_block(T)})
            self.scale = nn.Parameter(T.tensor([2.0]))

        def forward(self, x):
            return self.heads["a"](self.layers[0](x[:, :3] * self.scale).sum(1, keepdim=True)
                                   * T.ones(1, 3))

    return Net()


def both(fn):
    return fn(mt), fn(torch)


def test_named_members_and_order():
    ours, theirs = both(make_net)
    for meth in ("named_parameters", "named_buffers", "named_children", "named_modules"):
        no = [n for n, _ in getattr(ours, meth)()]
        nt = [n for n, _ in getattr(theirs, meth)()]
        assert no == nt, meth
    assert [n for n, _ in ours.named_parameters(prefix="net", recurse=False)] == \
        [n for n, _ in theirs.named_parameters(prefix="net", recurse=False)]
    assert [n for n, _ in ours.named_buffers(recurse=False)] == []
    assert len(list(ours.parameters())) == len(list(theirs.parameters()))
    assert len(list(ours.buffers())) == len(list(theirs.buffers()))
    assert len(list(ours.children())) == len(list(theirs.children()))
    assert [type(m).__name__ for m in ours.modules()] == \
        [type(m).__name__ for m in theirs.modules()]


def test_shared_parameters_and_modules_dedup():
    def build(T):
        shared = T.nn.ReLU()
        seq = T.nn.Sequential(shared, shared, make_block(T))
        seq[2].v = seq[2].w  # one Parameter under two names
        return seq

    ours, theirs = both(build)
    for kw in ({}, {"remove_duplicate": False}):
        assert [n for n, _ in ours.named_parameters(**kw)] == \
            [n for n, _ in theirs.named_parameters(**kw)]
        assert [n for n, _ in ours.named_modules(**kw)] == \
            [n for n, _ in theirs.named_modules(**kw)]
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_state_dict_keys_order_type_and_metadata():
    ours, theirs = both(make_net)
    so, st = ours.state_dict(), theirs.state_dict()
    assert type(so) is OrderedDict
    assert list(so) == list(st)
    for k in st:
        assert_close(so[k], st[k], k)
        assert not so[k].requires_grad
        assert type(so[k]) is mt.Tensor
    assert dict(so._metadata) == dict(st._metadata)
    assert list(ours.state_dict(prefix="m.")) == list(theirs.state_dict(prefix="m."))
    kv = ours.state_dict(keep_vars=True)
    assert kv["first.w"] is ours.first.w
    # the entries share memory with the module
    so["first.w"][0, 0] = 42.0
    assert ours.first.w[0, 0].item() == 42.0


def test_load_state_dict_from_torch_numpy_and_ours():
    ours, theirs = both(make_net)
    with torch.no_grad():
        for p in theirs.parameters():
            p.mul_(-3)
        theirs.first.count.add_(5)
    result = ours.load_state_dict(theirs.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert result.missing_keys == [] and result.unexpected_keys == []
    for k, v in theirs.state_dict().items():
        assert_close(ours.state_dict()[k], v, k)
    # NumPy arrays and our own tensors load too; parameters keep their identity
    w = ours.first.w
    fresh = make_net(mt)
    fresh.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    assert_close(fresh.first.w, theirs.first.w)
    ours.load_state_dict(fresh.state_dict())
    assert ours.first.w is w and ours.first.w.requires_grad


def test_load_state_dict_casts_dtype():
    ours, theirs = both(make_block)
    sd = {k: v.double() for k, v in theirs.state_dict().items()}
    ours.load_state_dict(sd)
    theirs.load_state_dict(sd)
    assert ours.w.dtype == mt.float32
    assert_close(ours.w, theirs.w)


def test_load_state_dict_errors_match_torch():
    def run(T, mutate, strict=True):
        m = make_net(T)
        sd = make_net(T).state_dict()
        mutate(T, sd)
        return m.load_state_dict(sd, strict=strict)

    def missing(T, sd):
        del sd["first.w"]
        del sd["heads.a.count"]

    def unexpected(T, sd):
        sd["first.extra"] = T.zeros(1)
        sd["nope.w"] = T.zeros(1)

    def size(T, sd):
        sd["first.w"] = T.zeros(3, 5)

    def all_three(T, sd):
        missing(T, sd)
        unexpected(T, sd)
        size(T, sd)
        sd["layers.0.w"] = T.zeros(4)

    for mutate in (missing, unexpected, size, all_three):
        o_exc, t_exc = check_raises(lambda T: run(T, mutate))
        assert str(o_exc) == str(t_exc)
    # non-strict: keys reported, size mismatch still an error
    for mutate in (missing, unexpected):
        ro, rt = run(mt, mutate, strict=False), run(torch, mutate, strict=False)
        assert (ro.missing_keys, ro.unexpected_keys) == (rt.missing_keys, rt.unexpected_keys)
        assert repr(ro) == repr(rt)
    o_exc, t_exc = check_raises(lambda T: run(T, all_three, strict=False))
    assert str(o_exc) == str(t_exc)
    check_raises(lambda T: make_net(T).load_state_dict([1, 2]))
    o_exc, t_exc = check_raises(
        lambda T: make_block(T).load_state_dict({**make_block(T).state_dict(), "w": 3}))
    assert str(o_exc).replace("minitorch_ref", "torch") == str(t_exc)


def test_registration_errors_match_torch():
    def assign_tensor_to_param(T):
        m = make_block(T)
        m.w = T.zeros(3, 4)

    def assign_int_to_module(T):
        m = make_block(T)
        m.act = 3

    def assign_int_to_buffer(T):
        m = make_block(T)
        m.count = 3

    def buffer_over_attribute(T):
        m = make_block(T)
        m.foo = 1
        m.register_buffer("foo", T.zeros(1))

    def param_name_with_dot(T):
        make_block(T).register_parameter("a.b", None)

    def buffer_empty_name(T):
        make_block(T).register_buffer("", None)

    def buffer_not_tensor(T):
        make_block(T).register_buffer("x", [1])

    def param_not_parameter(T):
        make_block(T).register_parameter("x", T.zeros(1))

    def non_leaf_param(T):
        make_block(T).register_parameter("x", T.nn.Parameter(T.zeros(2)) * 2)

    def add_non_module(T):
        make_block(T).add_module("x", 3)

    def module_dot(T):
        make_block(T).add_module("a.b", T.nn.ReLU())

    def param_before_init(T):
        class Bad(T.nn.Module):
            def __init__(self):
                self.w = T.nn.Parameter(T.zeros(1))
        Bad()

    def module_before_init(T):
        class Bad(T.nn.Module):
            def __init__(self):
                self.m = T.nn.ReLU()
        Bad()

    def missing_attr(T):
        return make_block(T).nothing

    def no_forward(T):
        return T.nn.Module()(1)

    def init_kwargs(T):
        return T.nn.Module(foo=1)

    for fn in (assign_tensor_to_param, assign_int_to_module, assign_int_to_buffer,
               buffer_over_attribute, param_name_with_dot, buffer_empty_name,
               param_not_parameter, non_leaf_param, add_non_module, module_dot,
               param_before_init, module_before_init, missing_attr, no_forward, init_kwargs,
               buffer_not_tensor):
        o_exc, t_exc = check_raises(fn)
        assert str(o_exc) == str(t_exc), fn.__name__


def test_attribute_semantics():
    for T in LIBS:
        m = make_block(T)
        m.w = None  # allowed: a parameter may be set to None
        assert m.w is None and "w" in m._parameters
        m.w = T.nn.Parameter(T.zeros(2))
        m.act = None
        assert m.act is None and "act" in m._modules
        m.count = T.ones(3)  # a tensor assigned to a buffer name replaces the buffer
        assert m.count.sum().item() == 3 and "count" in m._buffers
        m.scratch = T.zeros(2)
        assert "scratch" not in m.state_dict()  # stays non-persistent
        m.extra = T.nn.Buffer(T.ones(4))  # nn.Buffer registers a buffer
        assert "extra" in m._buffers and "extra" in m.state_dict()
        m.extra2 = T.nn.Buffer(T.ones(4), persistent=False)
        assert "extra2" not in m.state_dict()
        m.plain = T.ones(1)  # a plain tensor under a new name is a plain attribute
        assert "plain" not in m._buffers
        m.count = T.nn.Parameter(T.zeros(3))  # a Parameter moves the name to _parameters
        assert "count" in m._parameters and "count" not in m._buffers
        del m.count
        del m.act
        del m.scratch
        assert "count" not in m._parameters and "act" not in m._modules
        assert "scratch" not in m._non_persistent_buffers_set
        m.act = T.nn.ReLU()
        assert "act" in m._modules
    names = dir(make_block(mt))
    assert names == sorted(names)
    for k in ("w", "act", "count", "scratch", "unused", "forward", "training"):
        assert k in names
    # every public name torch's dir lists for the same module is in ours too
    public_t = {k for k in dir(make_block(torch)) if not k.startswith("_")}
    missing = public_t - set(names) - {"compile", "cuda", "ipu", "xpu", "mtia", "bfloat16",
                                       "to_empty", "register_backward_hook",
                                       "register_module", "dump_patches", "T_destination"}
    assert not missing, missing
    assert not any(k[0].isdigit() for k in dir(mt.nn.Sequential(mt.nn.ReLU())))


def test_get_submodule_parameter_buffer():
    ours, theirs = both(make_net)
    for target in ("", "first", "layers.0.act.1", "heads.a"):
        assert type(ours.get_submodule(target)).__name__ == \
            type(theirs.get_submodule(target)).__name__
    assert_close(ours.get_parameter("layers.0.w"), theirs.get_parameter("layers.0.w"))
    assert_close(ours.get_buffer("first.count"), theirs.get_buffer("first.count"))
    for fn in (lambda T: make_net(T).get_submodule("first.nope"),
               lambda T: make_net(T).get_submodule("first.w"),
               lambda T: make_net(T).get_parameter("first.count"),
               lambda T: make_net(T).get_parameter("first.missing"),
               lambda T: make_net(T).get_buffer("first.w")):
        o_exc, t_exc = check_raises(fn)
        assert str(o_exc) == str(t_exc)
    for T in LIBS:
        m = make_net(T)
        m.set_submodule("layers.1", T.nn.Tanh())
        assert type(m.layers[1]).__name__ == "Tanh"


def test_train_eval_requires_grad_zero_grad_apply():
    for T in LIBS:
        m = make_net(T)
        assert m.training and m.first.act[0].training
        assert m.eval() is m
        assert not any(x.training for x in m.modules())
        m.train()
        assert all(x.training for x in m.modules())
        m.first.train(False)
        assert not m.first.act.training and m.layers.training
        with pytest.raises(ValueError, match="training mode is expected to be boolean"):
            m.train(1)
        m.requires_grad_(False)
        assert not any(p.requires_grad for p in m.parameters())
        m.requires_grad_()
        out = m(T.ones(2, 4)).sum() + m.first(T.ones(2, 3)).sum()
        out.backward()
        assert all(p.grad is not None for p in m.parameters())
        g = m.first.w.grad
        m.zero_grad(set_to_none=False)
        assert m.first.w.grad is g and float((g * g).sum()) == 0.0
        m.zero_grad()
        assert all(p.grad is None for p in m.parameters())
        seen = []
        assert m.apply(lambda mod: seen.append(type(mod).__name__)) is m
        if T is torch:
            seen_t = seen
        else:
            seen_o = seen
    assert seen_o == seen_t


def test_forward_values_and_grads_after_loading_torch_state():
    ours, theirs = both(make_net)
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    ours.load_state_dict(theirs.state_dict())
    xo, xt = mt.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo), theirs(xt)
    assert_close(yo, yt)
    yo.sum().backward()
    yt.sum().backward()
    assert_close(xo.grad, xt.grad)
    for (n, po), (_, pt) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert_close(po.grad, pt.grad, n)


def test_to_double_float_keeps_parameter_identity_and_int_buffers():
    for T in LIBS:
        m = make_block(T)
        m.register_buffer("steps", T.tensor(3))
        w = m.w
        m(T.ones(2, 3)).sum().backward()
        assert m.double() is m
        assert m.w is w and m.w.dtype == T.float64 and m.w.grad.dtype == T.float64
        assert m.count.dtype == T.float64 and m.steps.dtype == T.int64
        m.float()
        assert m.w.dtype == T.float32
        m.to(T.float64)
        assert m.w.dtype == T.float64
        m.to(dtype=T.float32)
        m.to("cpu")
        m.to(T.zeros(1, dtype=T.float64))
        assert m.w.dtype == T.float64
        m.half()
        assert m.w.dtype == T.float16
    check_raises(lambda T: make_block(T).to(T.int64))


def test_forward_hooks():
    logs = {}
    for T in LIBS:
        log = []
        m = make_block(T)

        def pre(mod, args):
            log.append(("pre", len(args)))
            return (args[0] * 2,)

        def pre_single(mod, args):
            log.append("pre_single")
            return args[0] + 1  # a bare value is wrapped in a tuple

        def pre_kw(mod, args, kwargs):
            log.append(("pre_kw", sorted(kwargs)))
            return None

        def post(mod, args, out):
            log.append(("post", tuple(out.shape)))
            return out * 10

        def post_kw(mod, args, kwargs, out):
            log.append(("post_kw", sorted(kwargs)))

        h1 = m.register_forward_pre_hook(pre)
        h2 = m.register_forward_pre_hook(pre_single, prepend=True)
        h3 = m.register_forward_pre_hook(pre_kw, with_kwargs=True)
        h4 = m.register_forward_hook(post)
        h5 = m.register_forward_hook(post_kw, with_kwargs=True, prepend=True)
        x = T.ones(2, 3)
        y1 = m(x)
        h1.remove()
        h4.remove()
        y2 = m(x)
        for h in (h2, h3, h5):
            h.remove()
        y3 = m(x)
        with m.register_forward_hook(lambda mod, a, o: o + 1):
            y4 = m(x)
        y5 = m(x)
        logs[T] = (log, [y.detach().numpy().round(5).tolist() for y in (y1, y2, y3, y4, y5)])
    assert logs[mt] == logs[torch]


def test_forward_hook_always_call_on_error():
    logs = {}
    for T in LIBS:
        log = []

        class Boom(T.nn.Module):
            def forward(self, x):
                raise ValueError("boom")

        m = Boom()
        m.register_forward_hook(lambda mod, a, o: log.append("always"), always_call=True)
        m.register_forward_hook(lambda mod, a, o: log.append("normal"))
        with pytest.raises(ValueError, match="boom"):
            m(1)
        logs[T] = log
    assert logs[mt] == logs[torch] == ["always"]


def test_pre_hook_with_kwargs_bad_return():
    def fn(T):
        m = make_block(T)
        m.register_forward_pre_hook(lambda mod, a, k: 5, with_kwargs=True)
        m(T.ones(2, 3))
    o_exc, t_exc = check_raises(fn)
    assert str(o_exc) == str(t_exc)


def test_state_dict_and_load_hooks():
    logs = {}
    for T in LIBS:
        log = []
        m = make_block(T)
        m.register_state_dict_pre_hook(lambda mod, prefix, keep: log.append(("pre", prefix)))
        m.register_load_state_dict_post_hook(
            lambda mod, keys: log.append(("post", list(keys.missing_keys))))
        sd = m.state_dict(prefix="x.")
        m.load_state_dict({k[2:]: v for k, v in sd.items()})
        logs[T] = log
    assert logs[mt] == logs[torch]


def test_repr_nested_matches_torch():
    ours, theirs = both(make_net)
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)

    def custom(T):
        class WithExtra(T.nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = T.nn.Sequential(T.nn.Softmax(dim=1), T.nn.LeakyReLU(0.3, True))

            def extra_repr(self):
                return "line one\nline two"

        outer = T.nn.Sequential(WithExtra(), T.nn.ModuleList(), T.nn.ModuleDict())
        outer.add_module("tail", T.nn.GELU("tanh"))
        return outer

    ours, theirs = both(custom)
    assert repr(ours) == repr(theirs)
    assert repr(mt.nn.Module()) == repr(torch.nn.Module())


def test_incompatible_keys_namedtuple():
    ours, theirs = both(make_block)
    ro = ours.load_state_dict({"w": mt.zeros(3, 4)}, strict=False)
    rt = theirs.load_state_dict({"w": torch.zeros(3, 4)}, strict=False)
    assert repr(ro) == repr(rt) and ro == rt
    assert ro.missing_keys == ["count"]
    missing, unexpected = ro
    assert missing == ["count"] and unexpected == []


def test_load_state_dict_assign():
    for T in LIBS:
        m = make_block(T)
        new_w = T.nn.Parameter(T.ones(3, 4))
        m.load_state_dict({"w": new_w, "count": T.ones(3)}, assign=True)
        assert isinstance(m.w, T.nn.Parameter) and m.w.requires_grad
        assert float(m.w.detach().sum()) == 12.0 and float(m.count.sum()) == 3.0


def test_pickle_and_deepcopy_roundtrip():
    import copy
    nn = mt.nn
    m = nn.Sequential(nn.ReLU(), nn.ParameterList([nn.Parameter(mt.tensor(W))]),
                      nn.ModuleDict({"a": nn.Tanh()}))
    m.register_buffer("b", mt.ones(2))
    for clone in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m)):
        assert repr(clone) == repr(m)
        for (n, a), (_, b) in zip(clone.state_dict().items(), m.state_dict().items()):
            np.testing.assert_array_equal(a.numpy(), b.numpy())
        assert clone[1][0] is not m[1][0]
        assert isinstance(clone[1][0], nn.Parameter) and clone[1][0].requires_grad


def test_full_backward_hooks():
    logs = {}
    for T in LIBS:
        log = []

        class Two(T.nn.Module):
            def forward(self, a, k, b):
                return a * 2, b * 3, 5

        def shapes(gs):
            return [None if g is None else g.detach().numpy().round(6).tolist() for g in gs]

        lin = T.nn.Linear(3, 2)
        lin.load_state_dict({"weight": T.tensor(W[:2, :3]), "bias": T.tensor([0.5, -1.0])})
        lin.register_full_backward_pre_hook(lambda m, go: log.append(("pre", shapes(go))))
        lin.register_full_backward_hook(
            lambda m, gi, go: log.append(("full", shapes(gi), shapes(go))))
        x = T.ones(4, 3)
        with pytest.warns(UserWarning, match="Full backward hook is firing"):
            (lin(x) * T.tensor([1.0, 2.0])).sum().backward()
        x.requires_grad_()
        (lin(x) * T.tensor([1.0, 2.0])).sum().backward()
        log.append(("x.grad", x.grad.numpy().tolist()))
        # replacing gradients: the pre-hook doubles grad_output, the hook negates grad_input
        h1 = lin.register_full_backward_pre_hook(lambda m, go: (go[0] * 2,))
        h2 = lin.register_full_backward_hook(lambda m, gi, go: (-gi[0],))
        x.grad = None
        lin(x).sum().backward()
        log.append(("replaced x.grad", x.grad.numpy().tolist()))
        h1.remove()
        h2.remove()
        two = Two()
        two.register_full_backward_hook(lambda m, gi, go: log.append(("two", shapes(gi),
                                                                       shapes(go))))
        a = T.ones(2, requires_grad=True)
        two(a, 7, T.ones(2))[0].sum().backward()
        logs[T] = log
    assert logs[mt] == logs[torch]

    def bad(T):
        class Two(T.nn.Module):
            def forward(self, a, k, b):
                return a * 2
        m = Two()
        m.register_full_backward_hook(lambda m, gi, go: (gi[0],))
        m(T.ones(2, requires_grad=True), 7, T.ones(2)).sum().backward()
    o_exc, t_exc = check_raises(bad)
    assert str(o_exc) == str(t_exc)


def test_extra_state():
    def build(T):
        class WithExtra(T.nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = make_block(T)
                self.note = {"step": 3}

            def get_extra_state(self):
                return dict(self.note)

            def set_extra_state(self, state):
                self.note = dict(state)
        return T.nn.Sequential(WithExtra())

    ours, theirs = both(build)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert ours.state_dict()["0._extra_state"] == {"step": 3}
    sd = theirs.state_dict()
    sd["0._extra_state"] = {"step": 9}
    ours.load_state_dict(sd)
    assert ours[0].note == {"step": 9}
    for drop in ("0._extra_state",):
        o_exc, t_exc = check_raises(lambda T: build(T).load_state_dict(
            {k: v for k, v in build(T).state_dict().items() if k != drop}))
        assert str(o_exc) == str(t_exc)
    o_exc, t_exc = check_raises(lambda T: make_block(T).load_state_dict(
        {**make_block(T).state_dict(), "_extra_state": 1}))
    assert str(o_exc) == str(t_exc)


def test_hook_flags_order_duplicates_and_zero_grad_in_a_graph():
    """Edges of the hook tables, tree walks and zero_grad that the other tests do not reach."""
    def run(T):
        nn = T.nn
        out = []
        m = nn.Linear(2, 2)
        h = m.register_forward_hook(lambda *a: None, with_kwargs=True, always_call=True)
        p = m.register_forward_pre_hook(lambda *a: None, with_kwargs=True)
        out.append((h.id in m._forward_hooks_with_kwargs, h.id in m._forward_hooks_always_called,
                    p.id in m._forward_pre_hooks_with_kwargs))
        h.remove()
        p.remove()
        out.append((len(m._forward_hooks_with_kwargs), len(m._forward_hooks_always_called),
                    len(m._forward_pre_hooks_with_kwargs), len(m._forward_hooks)))
        calls = []
        for tag, prepend in (("a", False), ("b", True), ("c", False)):
            m.register_full_backward_pre_hook(lambda mod, g, tag=tag: calls.append("pre" + tag),
                                              prepend=prepend)
            m.register_full_backward_hook(lambda mod, gi, go, tag=tag: calls.append(tag),
                                          prepend=prepend)
        m(T.ones(1, 2, requires_grad=True)).sum().backward()
        out.append(list(calls))
        shared = nn.Tanh()
        tree = nn.Sequential(m, shared, nn.Sequential(shared, m))
        out.append([n for n, _ in tree.named_modules(remove_duplicate=False)])
        out.append([n for n, _ in tree.named_modules()])
        out.append([n for n, _ in tree.named_parameters(remove_duplicate=False)])
        out.append([n for n, _ in tree.named_children()])
        m.zero_grad()
        x = T.ones(1, 2, requires_grad=True)
        g, = T.autograd.grad(m(x).pow(2).sum(), [m.weight], create_graph=True)
        m.weight.grad = g * 1  # a non-view result with history (torch refuses detach_ on views)
        m.bias.grad = T.ones(2, requires_grad=True)
        m.zero_grad(set_to_none=False)
        out.append([(t.grad.requires_grad, t.grad.grad_fn is None, t.grad.tolist())
                    for t in (m.weight, m.bias)])
        m.register_buffer("tmp", T.ones(1), persistent=False)
        del m.tmp
        m.tmp = 3
        out.append((sorted(m._non_persistent_buffers_set), m.tmp, "tmp" in m._buffers))
        return out
    ours, theirs = both(run)
    assert ours == theirs
