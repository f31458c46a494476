"""torch.distributed: multi-process training is outside this library (one process, no process
groups). ``is_available()`` is False and ``is_initialized()`` False, so the common guard
``if dist.is_available() and dist.is_initialized():`` takes the single-process path a torch
script takes when it is not launched by torchrun. (torch's CPU build reports
``is_available() == True``, because it ships the gloo backend; saying True here would send
scripts to ``init_process_group``, which does not exist.) The query functions raise torch's
ValueError for an uninitialised process group."""
from __future__ import annotations

import os
from typing import Any

from .._missing import missing_attribute_hook

_NO_PROCESS_GROUP = ("Default process group has not been initialized, please make sure to call "
                     "init_process_group.")


def is_available() -> bool:
    return False


def is_initialized() -> bool:
    return False


def is_torchelastic_launched() -> bool:
    """True when torchrun started this process (it sets TORCHELASTIC_RUN_ID), as in torch."""
    return os.getenv("TORCHELASTIC_RUN_ID") is not None


def is_nccl_available() -> bool:
    return False


def is_gloo_available() -> bool:
    return False


def is_mpi_available() -> bool:
    return False


def _uninitialised(*args: Any, **kwargs: Any) -> Any:
    raise ValueError(_NO_PROCESS_GROUP)


get_rank = get_world_size = get_backend = barrier = all_reduce = broadcast = all_gather = \
    reduce = gather = scatter = _uninitialised

__getattr__ = missing_attribute_hook("torch.distributed")
