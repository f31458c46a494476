"""minitorch_ref: PyTorch's training core in plain NumPy, mirroring the torch API.

``import minitorch_ref as torch`` gives tensors with reverse-mode autograd, ``nn``, ``optim`` and
``utils.data``, each checked against torch by the parity tests in ``tests/``.
"""
from __future__ import annotations

from . import _dtype
from ._dtype import (  # noqa: F401
    bool, double, dtype, float, float16, float32, float64, get_default_dtype, half, int, int8,
    int16, int32, int64, long, promote_types, result_type, can_cast, set_default_dtype, short,
    uint8, finfo, iinfo,
)
from ._tensor import Size, Tensor, device  # noqa: F401
from ._tensor_str import set_printoptions  # noqa: F401
from ._creation import *  # noqa: F401,F403
from ._legacy import (  # noqa: F401
    BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor, HalfTensor, IntTensor,
    LongTensor, ShortTensor,
)
from ._ops import *  # noqa: F401,F403
from . import autograd  # noqa: F401
from .autograd.grad_mode import (  # noqa: F401
    enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled,
)

# -- random numbers: torch's CPU generator and the sampling functions ----------------------------
from . import random  # noqa: E402,F401
from .random import (  # noqa: E402,F401
    Generator, bernoulli, default_generator, get_rng_state, initial_seed, manual_seed,
    multinomial, normal, rand, rand_like, randint, randint_like, randn, randn_like, randperm,
    seed, set_rng_state,
)

# -- checkpoints in torch's file format, data augmentation --------------------------------------
from .serialization import load, save  # noqa: E402,F401
from . import serialization  # noqa: E402,F401
from . import transforms  # noqa: E402,F401  (torchvision.transforms.v2's counterpart)

# -- subpackages ----------------------------------------------------------------------------------
from . import nn, optim, utils  # noqa: E402,F401
from .nn.functional.activation import (  # noqa: E402,F401
    torch_log_softmax as log_softmax, torch_softmax as softmax,
)
from . import backends, cuda  # noqa: E402,F401
from . import linalg  # noqa: E402,F401
from ._missing import missing_attribute_hook  # noqa: E402

__getattr__ = missing_attribute_hook("torch")

__version__ = "0.1.0"

strided = "torch.strided"
preserve_format = contiguous_format = channels_last = None


_num_threads = [None]


def set_num_threads(n: "int") -> None:
    """Limits NumPy's BLAS threads when threadpoolctl is installed (it is optional: NumPy is
    the only runtime dependency); the number is remembered either way."""
    if n < 1:
        raise RuntimeError("set_num_threads expects a positive integer")
    _num_threads[0] = n
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(n)


def get_num_threads() -> "int":
    if _num_threads[0] is None:
        import os
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else (os.cpu_count() or 1)
    return _num_threads[0]


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
