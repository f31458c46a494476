"""torch.cuda, torch.accelerator, torch.cpu/mps/xpu and torch.backends, against torch's CPU-only
build: the same answers for what works without a device, the same exceptions for what needs
one."""
import importlib
import warnings

import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, check_raises


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _same_result(expr: str) -> None:
    results = [eval(expr, {"T": T}) for T in LIBS]  # noqa: S307 - test expressions
    assert repr(results[1]) == repr(results[0]), expr


QUERIES = [
    "T.cuda.is_available()", "T.cuda.device_count()", "T.cuda.is_initialized()",
    "T.cuda.is_bf16_supported()", "T.cuda.is_tf32_supported()", "T.cuda.get_arch_list()",
    "T.cuda.manual_seed(1)", "T.cuda.manual_seed_all(1)", "T.cuda.seed()", "T.cuda.seed_all()",
    "T.cuda.empty_cache()", "T.cuda.memory_allocated()", "T.cuda.max_memory_allocated()",
    "T.cuda.memory_reserved()", "T.cuda.max_memory_reserved()", "T.cuda.memory_stats()",
    "T.cuda.get_rng_state_all()", "T.cuda.set_rng_state_all([])",
    "T.cuda.device_of(T.ones(1)).__enter__()", "T.cuda.stream(None).__enter__()",
    "T.cuda.device(-1).__enter__()",
    "T.accelerator.is_available()", "T.accelerator.current_accelerator()",
    "T.accelerator.current_accelerator(check_available=True)", "T.accelerator.device_count()",
    "T.accelerator.device_index(None).__enter__()",
    "T.cpu.is_available()", "T.cpu.device_count()", "T.cpu.current_device()",
    "T.cpu.synchronize()",
    "T.mps.is_available()", "T.mps.device_count()", "T.mps.manual_seed(0)",
    "T.xpu.is_available()", "T.xpu.device_count()", "T.xpu.manual_seed(0)",
    "T.xpu.manual_seed_all(0)", "T.xpu.empty_cache()",
    "T.backends.cudnn.is_available()", "T.backends.cudnn.enabled", "T.backends.cudnn.benchmark",
    "T.backends.cudnn.deterministic", "T.backends.cudnn.allow_tf32",
    "T.backends.cudnn.benchmark_limit", "T.backends.cudnn.version()",
    "T.backends.cudnn.is_acceptable(T.ones(1))",
    "T.backends.cuda.is_built()", "T.backends.cuda.matmul.allow_tf32",
    "T.backends.cuda.matmul.allow_fp16_reduced_precision_reduction",
    "T.backends.cuda.matmul.allow_bf16_reduced_precision_reduction",
    "T.backends.cuda.flash_sdp_enabled()", "T.backends.cuda.mem_efficient_sdp_enabled()",
    "T.backends.cuda.math_sdp_enabled()", "T.backends.cuda.cudnn_sdp_enabled()",
    "T.backends.mps.is_available()", "T.backends.mps.is_built()",
    "T.backends.mkldnn.enabled", "T.backends.opt_einsum.enabled",
    "T.backends.opt_einsum.strategy",
    "T.get_float32_matmul_precision()", "T.version.cuda", "T.version.hip", "T.version.debug",
    "T.distributed.is_initialized()", "T.distributed.is_torchelastic_launched()",
    "T.distributed.is_nccl_available()", "T.distributed.is_mpi_available()",
    "T.onnx.is_in_onnx_export()", "T.compiler.is_compiling()", "T.compiler.is_dynamo_compiling()",
    "T.get_device_module().__name__.replace('minitorch_ref', 'torch')",
    "T.get_device_module('cuda').__name__.replace('minitorch_ref', 'torch')",
]


@pytest.mark.parametrize("expr", QUERIES)
def test_queries_answer_as_torch_cpu_build(expr):
    _same_result(expr)


NEEDS_A_DEVICE = [
    "T.cuda.synchronize()", "T.cuda.current_device()", "T.cuda.get_device_name()",
    "T.cuda.get_device_name(0)", "T.cuda.get_device_capability()",
    "T.cuda.get_device_properties(0)", "T.cuda.init()", "T.cuda.ipc_collect()",
    "T.cuda.mem_get_info()", "T.cuda.current_stream()", "T.cuda.default_stream()",
    "T.cuda.initial_seed()", "T.cuda.get_rng_state()", "T.cuda.current_blas_handle()",
    "T.cuda.set_per_process_memory_fraction(0.5)", "T.cuda.device(0).__enter__()",
    "T.cuda.Stream()", "T.cuda.Event(enable_timing=True)", "T.cuda.manual_seed('x')",
    "T.accelerator.current_device_index()", "T.accelerator.synchronize()",
    "T.accelerator.set_device_index(0)", "T.accelerator.set_device_index(None)",
    "T.accelerator.empty_cache()", "T.accelerator.memory_allocated()",
    "T.accelerator.max_memory_allocated()", "T.accelerator.memory_reserved()",
    "T.accelerator.memory_stats()", "T.accelerator.get_memory_info()",
    "T.accelerator.reset_peak_memory_stats()", "T.accelerator.current_stream()",
    "T.accelerator.get_device_capability()", "T.accelerator.empty_host_cache()",
    "T.accelerator.device_index(0).__enter__()",
    "T.mps.synchronize()", "T.mps.empty_cache()", "T.xpu.synchronize()",
    "T.distributed.get_rank()", "T.distributed.get_world_size()", "T.distributed.barrier()",
    "T.distributed.get_backend()", "T.distributed.all_reduce(T.ones(1))",
]


@pytest.mark.parametrize("expr", NEEDS_A_DEVICE)
def test_what_needs_a_device_raises_as_torch_cpu_build(expr):
    check_raises(lambda T: eval(expr, {"T": T}))  # noqa: S307


def test_cuda_out_of_memory_error_is_torchs_class():
    assert issubclass(mt.cuda.OutOfMemoryError, RuntimeError)
    assert mt.cuda.OutOfMemoryError is mt.OutOfMemoryError
    assert torch.cuda.OutOfMemoryError is torch.OutOfMemoryError


@pytest.mark.parametrize("name", ["cudnn", "cuda", "mps", "cpu", "mkldnn", "mkl", "openmp",
                                  "opt_einsum"])
def test_backends_are_importable_modules(name):
    for lib in ("torch", "minitorch_ref"):
        module = importlib.import_module(f"{lib}.backends.{name}")
        assert module is getattr(importlib.import_module(lib).backends, name)


def test_backend_flags_can_be_set_like_torchs():
    for T in LIBS:
        saved = (T.backends.cudnn.benchmark, T.backends.cudnn.deterministic,
                 T.backends.cuda.matmul.allow_tf32)
        try:
            T.backends.cudnn.benchmark = True
            T.backends.cudnn.deterministic = True
            T.backends.cuda.matmul.allow_tf32 = True
            T.backends.cuda.enable_flash_sdp(False)
            assert T.backends.cudnn.benchmark and T.backends.cudnn.deterministic
            assert T.backends.cuda.matmul.allow_tf32 and not T.backends.cuda.flash_sdp_enabled()
        finally:
            (T.backends.cudnn.benchmark, T.backends.cudnn.deterministic,
             T.backends.cuda.matmul.allow_tf32) = saved
            T.backends.cuda.enable_flash_sdp(True)


def test_float32_matmul_precision_as_torch():
    for T in LIBS:
        try:
            T.set_float32_matmul_precision("high")
            assert T.get_float32_matmul_precision() == "high"
            with pytest.warns(UserWarning, match="is not one of 'highest', 'high', or 'medium'"):
                T.set_float32_matmul_precision("x")
            assert T.get_float32_matmul_precision() == "high"
        finally:
            T.set_float32_matmul_precision("highest")


def test_distributed_is_not_available_here():
    # torch's CPU build ships gloo and answers True; there are no process groups here, so
    # `dist.is_available() and dist.is_initialized()` must take the single-process path
    assert torch.distributed.is_available() is True
    assert mt.distributed.is_available() is False
    assert mt.distributed.is_gloo_available() is False


def test_cpu_capability_names_no_vector_extension():
    assert mt.backends.cpu.get_cpu_capability() == "DEFAULT"
    assert isinstance(torch.backends.cpu.get_cpu_capability(), str)
