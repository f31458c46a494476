"""torch.compile, torch.nn.parallel and torch.onnx against torch's CPU build. torch.compile is
checked for its wrappers and argument errors only (torch's Inductor would spend ~30 s of CPU
compiling C++); the numbers a compiled model prints are checked by the drop-in script
tests/dropin/scripts/gpu_ready_training.py with torch's fast 'eager' backend."""
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, check_raises


def _linear(T):
    m = T.nn.Linear(2, 3)
    with T.no_grad():
        m.weight.copy_(T.from_numpy(np.arange(6, dtype=np.float32).reshape(3, 2) / 10))
        m.bias.fill_(0.5)
    return m


def test_compiled_module_wraps_the_module_as_torch():
    m = _linear(mt)
    c = mt.compile(m)
    t = torch.compile(_linear(torch), disable=False)
    assert type(c).__name__ == type(t).__name__ == "OptimizedModule"
    assert repr(c) == repr(t)
    assert list(c.state_dict()) == list(t.state_dict()) == ["_orig_mod.weight", "_orig_mod.bias"]
    assert [n for n, _ in c.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert c._orig_mod is m and c.weight is m.weight and c.in_features == 2
    x = mt.ones(1, 2)
    assert c(x).tolist() == m(x).tolist()
    c.eval()
    assert not m.training and not c.training
    c.train()
    assert m.training
    c.extra = 5  # attributes are set on the wrapped module, as in torch
    assert m.extra == 5


def test_compiled_module_state_dict_loads_into_torchs():
    t = torch.compile(torch.nn.Linear(2, 3))
    t.load_state_dict({k: torch.from_numpy(v.numpy().copy())
                       for k, v in mt.compile(_linear(mt)).state_dict().items()})
    assert t._orig_mod.bias.tolist() == [0.5, 0.5, 0.5]


def test_compiled_function_and_decorator_forms():
    def f(x):
        return x * 2

    for T in LIBS:
        g = T.compile(f)
        assert g is not f and g.__wrapped__ is f and g.__name__ == "f"
        assert g(T.ones(1)).tolist() == [2.0]

        @T.compile(mode="reduce-overhead", fullgraph=True)
        def h(x):
            return x + 1
        assert h(T.ones(1)).tolist() == [2.0]
        assert T.compile(f, disable=True) is f
        m = T.nn.ReLU()
        assert T.compile(m, disable=True) is m
        assert type(T.compile()(m)).__name__ == "OptimizedModule"


@pytest.mark.parametrize("kwargs", [dict(mode="bogus"), dict(mode="default", options={})])
def test_compile_argument_errors_as_torch(kwargs):
    check_raises(lambda T: T.compile(T.nn.ReLU(), **kwargs))


def test_unknown_backend_as_torch():
    errors = []
    for T in LIBS:
        with pytest.raises(RuntimeError) as e:
            T.compile(T.nn.ReLU(), backend="bogus")
        errors.append((type(e.value).__name__, str(e.value)))
    assert errors[1] == errors[0]


def test_compile_of_a_non_callable_as_torch():
    check_raises(lambda T: T.compile(3))
    check_raises(lambda T: T.compile()(None))


def test_compiler_helpers():
    assert mt.compiler.disable(len) is len
    assert mt.compiler.list_backends() == torch.compiler.list_backends()
    mt.compiler.reset()


def test_data_parallel_without_devices_as_torch():
    outs = {}
    for T in LIBS:
        m = _linear(T)
        dp = T.nn.DataParallel(m)
        assert T.nn.parallel.DataParallel is T.nn.DataParallel
        y = dp(T.ones(4, 2))
        y.sum().backward()
        outs[T] = (repr(dp), list(dp.state_dict()), dp.device_ids, dp.module is m,
                   y.tolist(), m.weight.grad.tolist(), type(y.grad_fn).__name__)
        dp2 = T.nn.DataParallel(_linear(T), device_ids=[0], output_device=0)
        assert dp2.device_ids == []
        sd = T.nn.Sequential(T.nn.DataParallel(_linear(T))).state_dict()
        assert list(sd) == ["0.module.weight", "0.module.bias"]
    assert outs[mt] == outs[torch]


def test_distributed_data_parallel_needs_a_process_group():
    check_raises(lambda T: T.nn.parallel.DistributedDataParallel(T.nn.Linear(1, 1)))
    check_raises(lambda T: T.nn.parallel.data_parallel(T.nn.Linear(1, 1), T.ones(1, 1)))


def test_onnx_imports_and_export_is_a_named_missing_feature(tmp_path):
    import minitorch_ref.onnx as onnx
    with pytest.raises(NotImplementedError, match="ONNX") as e:
        onnx.export(mt.nn.Linear(2, 2), (mt.ones(1, 2),), str(tmp_path / "m.onnx"))
    assert isinstance(e.value, onnx.OnnxExporterError) and isinstance(e.value, RuntimeError)
    assert e.value._minitorch_missing == "torch.onnx.export"
    assert issubclass(torch.onnx.OnnxExporterError, RuntimeError)
    assert onnx.is_in_onnx_export() is torch.onnx.is_in_onnx_export() is False


def test_compile_then_data_parallel_state_dict_keys():
    for T in LIBS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = T.compile(T.nn.DataParallel(T.nn.Linear(1, 1)))
        assert list(m.state_dict()) == ["_orig_mod.module.weight", "_orig_mod.module.bias"]
