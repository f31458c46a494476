"""minitorch_ref: PyTorch's training core in plain NumPy, mirroring the torch API.

``import minitorch_ref as torch`` gives tensors with reverse-mode autograd, ``nn``, ``optim`` and
``utils.data``, each checked against torch by the parity tests in ``tests/``.
"""
from __future__ import annotations

from . import _dtype
from ._dtype import (  # noqa: F401
    bool, double, dtype, float, float16, float32, float64, get_default_dtype, half, int, int8,
    int16, int32, int64, long, promote_types, result_type, can_cast, set_default_dtype, short,
    uint8,
)
from ._tensor import Size, Tensor, device  # noqa: F401
from ._tensor_str import set_printoptions  # noqa: F401
from ._creation import *  # noqa: F401,F403
from ._ops import *  # noqa: F401,F403
from . import autograd  # noqa: F401
from .autograd.grad_mode import (  # noqa: F401
    enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled,
)

# -- randomness (issue 3) -------------------------------------------------------------------------
from . import random  # noqa: E402,F401
from .random import (  # noqa: E402,F401
    Generator, bernoulli, default_generator, get_rng_state, initial_seed, manual_seed,
    multinomial, normal, rand, rand_like, randint, randint_like, randn, randn_like, randperm,
    seed, set_rng_state,
)

# -- checkpoints (issue 7) -----------------------------------------------------------------------
from .serialization import load, save  # noqa: E402,F401
from . import serialization  # noqa: E402,F401
from . import transforms  # noqa: E402,F401  (torchvision.transforms.v2's counterpart)

# -- subpackages ----------------------------------------------------------------------------------
from . import nn, optim, utils  # noqa: E402,F401
from . import backends, cuda  # noqa: E402,F401
from ._missing import missing_attribute_hook  # noqa: E402

__getattr__ = missing_attribute_hook("torch")

__version__ = "0.1.0"

strided = "torch.strided"
preserve_format = contiguous_format = channels_last = None


def is_tensor(obj) -> "bool":
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> "bool":
    return input.is_floating_point()


def numel(input: Tensor) -> "int":
    return input.numel()
