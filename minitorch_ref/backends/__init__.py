"""torch.backends: the switches scripts set for speed or reproducibility
(``torch.backends.cudnn.benchmark = True``, ``...deterministic = True``,
``torch.backends.cuda.matmul.allow_tf32 = True``). They hold what torch's CPU-only build holds,
can be read and assigned as in torch, and change nothing here: NumPy on the CPU has no cuDNN
autotuner and no TF32, and every op is deterministic. ``mha`` switches the attention modules'
inference fast paths (see mha.py)."""
from __future__ import annotations

from . import cpu, cuda, cudnn, mha, mkl, mkldnn, mps, openmp, opt_einsum  # noqa: F401
from .._missing import missing_attribute_hook

__getattr__ = missing_attribute_hook("torch.backends")
