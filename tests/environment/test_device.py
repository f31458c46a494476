"""torch.device and tensors put off the CPU, against torch's CPU-only build: every device type
can be described; creating or moving a tensor anywhere but the CPU raises what torch raises."""
import pickle
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, check_raises

DEVICE_TYPES = ("cpu cuda ipu xpu mkldnn opengl opencl ideep hip ve fpga maia xla lazy vulkan mps "
                "hpu mtia privateuseone").split()
# torch fails an internal assert for these when allocating: we raise the same type, our words
INTERNAL_ASSERT = ("mkldnn", "opengl", "opencl", "ideep")


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.device('mkldnn') warns: checked separately
        yield


@pytest.mark.parametrize("spec", [("cpu",), ("cuda",), ("cuda:0",), ("cuda", 1), ("cuda:10",),
                                  ("mps",), ("xpu", 0), ("meta",), ("cpu:0",), ("cpu", 1)])
def test_device_is_described_as_torch_describes_it(spec):
    d, e = torch.device(*spec), mt.device(*spec)
    assert (repr(e), str(e), e.type, e.index) == (repr(d), str(d), d.type, d.index)
    assert f"{e}" == f"{d}"
    assert mt.device(e) == e and hash(mt.device(e)) == hash(e)
    assert pickle.loads(pickle.dumps(e)) == e


def test_device_equality_as_torch():
    for T in LIBS:
        assert T.device("cuda:0") == T.device("cuda", 0)
        assert T.device("cuda") != T.device("cuda:0")
        assert T.device("cpu") != T.device("cpu", 0)
        assert not (T.device("cpu") == "cpu")  # a device never equals a string
        assert T.device("cpu") != None  # noqa: E711
        assert {T.device("cpu"): 1}[T.device("cpu")] == 1


@pytest.mark.parametrize("args", [
    ("cuda:x",), ("CPU",), (" cuda",), ("",), ("cuda:",), ("cuda:01",), ("cuda:1:2",),
    ("cuda:-1",), ("foo",), ("cuda:0", 1), ("cuda", -1), ("cuda", "1"), ("cuda", True),
    ("cuda", 1.0), (None,), (3.0,), (True,), (0,), (0, 1), ("cuda:99999999999",),
])
def test_malformed_devices_raise_as_torch(args):
    check_raises(lambda T: T.device(*args))


def test_device_attributes_are_read_only():
    check_raises(lambda T: setattr(T.device("cpu"), "type", "cuda"))
    check_raises(lambda T: setattr(T.device("cpu"), "index", 0))


def _first_line(e):
    return f"{type(e).__name__}: {str(e).splitlines()[0]}"


def _raised(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the error is the observation
        return e
    return None


# every way a script puts a tensor somewhere: factories, copies, moves, modules
PLACEMENTS = {
    "zeros": lambda T, d: T.zeros(2, device=d),
    "randn": lambda T, d: T.randn(2, device=d),
    "arange": lambda T, d: T.arange(3, device=d),
    "full": lambda T, d: T.full((2,), 1.0, device=d),
    "eye": lambda T, d: T.eye(2, device=d),
    "linspace": lambda T, d: T.linspace(0, 1, 3, device=d),
    "randint": lambda T, d: T.randint(3, (2,), device=d),
    "randperm": lambda T, d: T.randperm(3, device=d),
    "zeros_like": lambda T, d: T.zeros_like(T.ones(1), device=d),
    "randn_like": lambda T, d: T.randn_like(T.ones(1), device=d),
    "new_zeros": lambda T, d: T.ones(1).new_zeros(2, device=d),
    "tensor": lambda T, d: T.tensor([1.0], device=d),
    "as_tensor": lambda T, d: T.as_tensor([1.0], device=d),
    "new_tensor": lambda T, d: T.ones(1).new_tensor([1.0], device=d),
    "to": lambda T, d: T.zeros(2).to(d),
    "to_kw": lambda T, d: T.zeros(2).to(device=d),
    "to_dtype": lambda T, d: T.zeros(2).to(d, T.float64),
    "to_device_obj": lambda T, d: T.zeros(2).to(T.device(d)),
    "module_to": lambda T, d: T.nn.Linear(1, 1).to(d),
}


@pytest.mark.parametrize("how", PLACEMENTS)
@pytest.mark.parametrize("dev", DEVICE_TYPES)
def test_placing_a_tensor_raises_as_torch_cpu_build(how, dev):
    t_exc = _raised(lambda: PLACEMENTS[how](torch, dev))
    o_exc = _raised(lambda: PLACEMENTS[how](mt, dev))
    if dev == "cpu":
        assert t_exc is None and o_exc is None
        return
    assert t_exc is not None and o_exc is not None, (t_exc, o_exc)
    assert type(o_exc) is type(t_exc), (o_exc, t_exc)
    if dev not in INTERNAL_ASSERT or how in ("tensor", "as_tensor", "new_tensor", "to", "to_kw",
                                             "to_dtype", "to_device_obj", "module_to"):
        # torch's "Could not run ... backend" goes on to list its dispatch keys: ours stops
        # after the first sentences
        assert _first_line(t_exc).startswith(_first_line(o_exc)), (o_exc, t_exc)


@pytest.mark.parametrize("how", PLACEMENTS)
def test_meta_tensors_are_a_named_missing_feature(how):
    e = _raised(lambda: PLACEMENTS[how](mt, "meta"))
    assert isinstance(e, NotImplementedError) and "meta" in str(e)
    assert e._minitorch_missing == "torch.device('meta')"


@pytest.mark.parametrize("call", [
    lambda T: T.zeros(2).cuda(), lambda T: T.zeros(2).cuda(0), lambda T: T.zeros(2).cuda("cpu"),
    lambda T: T.zeros(2).cuda(device="cuda:1"), lambda T: T.zeros(2).xpu(),
    lambda T: T.zeros(2).to(0), lambda T: T.zeros(2, device=0), lambda T: T.zeros(2).pin_memory(),
    lambda T: T.nn.Linear(1, 1).cuda(), lambda T: T.nn.Linear(1, 1).cuda(0),
    lambda T: T.nn.Linear(1, 1).xpu(), lambda T: T.nn.Linear(1, 1).to(0),
    lambda T: T.nn.ReLU().to(0), lambda T: T.nn.Linear(1, 1).to("cuda:x"),
    lambda T: T.Generator(device="cuda"),
])
def test_accelerator_calls_raise_as_torch(call):
    check_raises(call)


@pytest.mark.parametrize("call", [
    lambda T: T.nn.ReLU().cuda(), lambda T: T.nn.ReLU().to("cuda"), lambda T: T.nn.ReLU().to("mps"),
    lambda T: T.zeros(2).to("cpu:1"), lambda T: T.zeros(2, device="cpu:0"),
    lambda T: T.zeros(2).to("cpu", non_blocking=True), lambda T: T.zeros(2).cpu(),
])
def test_what_torch_accepts_without_a_device(call):
    for T in LIBS:
        call(T)


def test_tensor_location_flags_as_torch():
    flags = [n for n in dir(torch.Tensor) if n.startswith("is_") and n not in (
        "is_complex", "is_floating_point", "is_contiguous", "is_leaf", "is_inference",
        "is_set_to", "is_same_size", "is_signed", "is_coalesced", "is_nonzero",
        "is_conj", "is_neg", "is_shared", "is_pinned")
        and not callable(getattr(torch.ones(1), n))]
    assert {"is_cuda", "is_cpu", "is_mps", "is_xpu", "is_meta"} <= set(flags)
    t, o = torch.ones(2), mt.ones(2)
    for name in flags:
        assert getattr(o, name) == getattr(t, name), name
    assert o.get_device() == t.get_device() == -1
    assert o.is_pinned() is t.is_pinned() is False
    assert o.device == mt.device("cpu") and repr(o.device) == repr(t.device)


def test_mkldnn_device_warns_as_torch():
    # (torch warns once per process, so only ours is checked here)
    with pytest.warns(UserWarning, match="'mkldnn' is no longer used as device type"):
        mt.device("mkldnn")


def test_default_device():
    for T in LIBS:
        assert repr(T.get_default_device()) == "device(type='cpu')"
        T.set_default_device("cpu")
        assert T.ones(1).device.type == "cpu"
        T.set_default_device(None)
        assert repr(T.get_default_device()) == "device(type='cpu')"
    for dev in ("cuda", "mps", "xpu", "cuda:1"):
        caught = {}
        for T in LIBS:
            T.set_default_device(dev)
            try:
                caught[T] = [_raised(T.get_default_device), _raised(lambda: T.zeros(1))]
                if dev == "cuda:1":
                    assert repr(T.get_default_device()) == "device(type='cuda', index=1)"
            finally:
                T.set_default_device(None)
            assert repr(T.get_default_device()) == "device(type='cpu')"
        for t_exc, o_exc in zip(caught[torch], caught[mt]):
            assert (t_exc is None) == (o_exc is None)
            if t_exc is not None:
                assert _first_line(t_exc).startswith(_first_line(o_exc)), (o_exc, t_exc)


def test_default_device_elsewhere_fails_at_the_first_factory():
    caught = {}
    for T in LIBS:
        T.set_default_device("mps")
        try:
            caught[T] = [_raised(lambda: T.ones(1)), _raised(lambda: T.tensor([1.0])),
                         _raised(lambda: T.randn(2)), _raised(lambda: T.arange(3))]
            # a tensor from NumPy stays on the CPU; *_like follows its input, not the default
            x = T.from_numpy(np.ones(2, dtype=np.float32))
            assert T.zeros_like(x).device.type == "cpu" and x.to("cpu").device.type == "cpu"
        finally:
            T.set_default_device(None)
    for t_exc, o_exc in zip(caught[torch], caught[mt]):
        assert _first_line(t_exc).startswith(_first_line(o_exc))


def test_device_as_context_manager():
    for T in LIBS:
        with T.device("cpu"):
            assert T.ones(1).device.type == "cpu"
        with T.device("mps"):
            assert isinstance(_raised(lambda: T.ones(1)), NotImplementedError)
        assert T.ones(1).device.type == "cpu"


def test_tensor_made_from_numpy_is_on_the_cpu():
    assert mt.from_numpy(np.ones(2)).device == mt.device("cpu")
