"""minitorch_ref: PyTorch's training core in plain NumPy, mirroring the torch API.

``import minitorch_ref as torch`` gives tensors with reverse-mode autograd, ``nn``, ``optim`` and
``utils.data``, each checked against torch by the parity tests in ``tests/``.
"""

import builtins as _builtins

# glibc's allocator keeps freed arrays' pages mapped (see _malloc.py; MINITORCH_REF_MALLOC=0
# leaves it alone): set first, before the arrays of a training step exist.
from . import _malloc
_malloc.apply()

from . import _dtype
from ._dtype import (  # noqa: F401
    bool, double, dtype, float, float16, float32, float64, get_default_dtype, half, int, int8,
    int16, int32, int64, long, promote_types, result_type, can_cast, set_default_dtype, short,
    uint8, finfo, iinfo, bfloat16, complex32, chalf, complex64, cfloat, complex128, cdouble,
    uint16, uint32, uint64, float8_e4m3fn, float8_e5m2,
)
from ._tensor import Size, Tensor, device  # noqa: F401
from ._device import get_default_device, set_default_device  # noqa: F401
from ._tensor_str import set_printoptions  # noqa: F401
from ._creation import *  # noqa: F401,F403
from ._windows import *  # noqa: F401,F403
from ._legacy import (  # noqa: F401
    BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor, HalfTensor, IntTensor,
    LongTensor, ShortTensor, set_default_tensor_type,
)
from ._ops import *  # noqa: F401,F403
from . import autograd  # noqa: F401
from .autograd.anomaly_mode import (  # noqa: F401
    is_anomaly_check_nan_enabled, is_anomaly_enabled, set_anomaly_enabled,
)
from .autograd.grad_mode import (  # noqa: F401
    enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled,
)

# -- random numbers: torch's CPU generator and the sampling functions ----------------------------
from . import random  # noqa: F401
from .random import (  # noqa: F401
    Generator, bernoulli, default_generator, get_rng_state, initial_seed, manual_seed,
    multinomial, normal, rand, rand_like, randint, randint_like, randn, randn_like, randperm,
    seed, set_rng_state,
)
from ._random_counts import binomial, poisson  # noqa: F401

# -- checkpoints in torch's file format, data augmentation --------------------------------------
from .serialization import load, save  # noqa: F401
from . import serialization  # noqa: F401
from . import transforms  # noqa: F401  (torchvision.transforms.v2's counterpart)

# -- subpackages ----------------------------------------------------------------------------------
from . import nn, optim, utils  # noqa: F401
from . import func  # noqa: F401
from .func import vmap  # noqa: F401
from .nn.utils.weight_norm import _weight_norm, norm_except_dim  # noqa: F401
from .nn.functional.softmax_family import (  # noqa: F401
    torch_log_softmax as log_softmax, torch_softmax as softmax,
)
from . import linalg  # noqa: F401
from . import special  # noqa: F401
from . import testing  # noqa: F401
from . import distributions  # noqa: F401

# -- the environment a GPU script probes: devices, mixed precision, compilation -------------------
# Each behaves as on torch's CPU-only build (docs/dropin.md, "Environment").


class OutOfMemoryError(RuntimeError):
    """torch.OutOfMemoryError (also torch.cuda.OutOfMemoryError): a device ran out of memory."""


from . import accelerator, backends, cpu, cuda, mps, xpu  # noqa: E402,F401
from . import amp, distributed, onnx, compiler, version  # noqa: E402,F401
from .amp import autocast, get_autocast_dtype, is_autocast_enabled  # noqa: E402,F401
from .amp import is_autocast_cache_enabled, set_autocast_cache_enabled  # noqa: E402,F401
from .compiler import compile  # noqa: E402,F401
from .torch_version import TorchVersion as _TorchVersion  # noqa: E402
from ._missing import missing_attribute_hook as _missing_attribute_hook  # noqa: E402

# Tensor's op methods and operators (x.exp(), x + y, ...), attached once every op module,
# nn.functional's softmax included, can be imported. Nothing above calls them while importing.
from . import _tensor_methods  # noqa: E402,F401
from ._inplace_functions import *  # noqa: E402,F401,F403  (torch.abs_(t) is t.abs_())
from ._aten_nn import *  # noqa: E402,F401,F403  (torch.conv2d, torch.batch_norm, ...)

__getattr__ = _missing_attribute_hook("torch")

__version__ = _TorchVersion(version.__version__)


def get_device_module(device=None):
    """The module of a device type (``torch.cuda`` for ``'cuda'``); the CPU's when not given
    (no accelerator here)."""
    import sys
    name = "cpu" if device is None else (device.type if isinstance(device, _device_cls)
                                         else _device_cls(device).type)
    module = sys.modules.get(f"{__name__}.{name}")
    if module is None:
        raise RuntimeError(f"Device '{name}' does not have a corresponding module registered "
                           "as 'torch.{name}'.")
    return module


_device_cls = device
_float32_matmul_precision = ["highest"]


def get_float32_matmul_precision() -> str:
    return _float32_matmul_precision[0]


def set_float32_matmul_precision(precision: str) -> None:
    """Lets torch use TF32 or bfloat16 passes in float32 matmuls on hardware that has them
    ('high', 'medium'). Remembered; NumPy's float32 matmuls are unchanged by it."""
    import warnings
    if precision not in ("highest", "high", "medium"):
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      "setFloat32MatmulPrecision call has no effect.", UserWarning, stacklevel=2)
        return
    _float32_matmul_precision[0] = precision

strided = "torch.strided"
preserve_format = contiguous_format = channels_last = None


_num_threads = [None]


def set_num_threads(n: "int") -> None:
    """Limits NumPy's BLAS threads when threadpoolctl is installed (it is optional: NumPy is
    the only runtime dependency); the number is remembered either way. Only BLAS pools: an
    OpenMP pool loaded in the same process (torch's, in a side-by-side script) keeps its own."""
    if n < 1:
        raise RuntimeError("set_num_threads expects a positive integer")
    _num_threads[0] = n
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(n, user_api="blas")


def get_num_threads() -> "int":
    return _cores() if _num_threads[0] is None else _num_threads[0]


def _cores() -> "int":
    """The number of cores this process may run on: torch's default thread counts."""
    import os
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else (os.cpu_count() or 1)


_num_interop_threads: list = [None]


def set_num_interop_threads(n: "int") -> None:
    """Sets the size of torch's inter-op thread pool: remembered (NumPy runs no inter-op pool).
    As in torch, it can be set once, before any other call to it."""
    if not isinstance(n, _builtins.int) or isinstance(n, _builtins.bool):
        raise RuntimeError(f"set_num_interop_threads expects an int, but got {type(n).__name__}")
    if n < 1:
        raise RuntimeError("set_num_interop_threads expects a positive integer")
    if _num_interop_threads[0] is not None:
        raise RuntimeError("Error: cannot set number of interop threads after parallel work has "
                           "started or set_num_interop_threads called")
    _num_interop_threads[0] = n


def get_num_interop_threads() -> "int":
    """torch's default is the number of cores this process may use."""
    if _num_interop_threads[0] is None:
        return _cores()
    return _num_interop_threads[0]


def use_deterministic_algorithms(mode: "bool", *, warn_only: "bool" = False) -> None:
    """Accepted: every op here is deterministic on the CPU."""
    _deterministic[0] = mode is True or mode == 1  # `bool` here is the dtype, as in torch


def are_deterministic_algorithms_enabled() -> "bool":
    return _deterministic[0]


_deterministic = [False]


def is_tensor(obj) -> "bool":
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> "bool":
    return input.is_floating_point()


def numel(input: Tensor) -> "int":
    return input.numel()

