"""torch.nn.parallel: DataParallel and DistributedDataParallel as torch's CPU-only build runs
them. With no accelerator, ``DataParallel`` keeps the module and calls it directly (its
state_dict keys gain the ``module.`` prefix, as in torch); ``DistributedDataParallel`` needs
an initialised process group, which never exists here (``torch.distributed``), so it raises
torch's ValueError."""
from __future__ import annotations

from typing import Any, Sequence

from ..modules.module import Module

__all__ = ["DataParallel", "DistributedDataParallel", "data_parallel"]

_NO_PROCESS_GROUP = ("Default process group has not been initialized, please make sure to call "
                     "init_process_group.")


class DataParallel(Module):
    """``DataParallel(module, device_ids=None, output_device=None, dim=0)``: splits each batch
    over GPUs in torch; without one (torch's CPU build, and here) it holds ``module`` with
    ``device_ids == []`` and ``forward`` calls it unchanged."""

    def __init__(self, module: Module, device_ids: Sequence[Any] | None = None,
                 output_device: Any = None, dim: int = 0) -> None:
        super().__init__()
        self.module = module
        self.device_ids: list[int] = []

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)




def data_parallel(module: Module, inputs: Any, device_ids: Sequence[Any] | None = None,
                  output_device: Any = None, dim: int = 0, module_kwargs: Any = None) -> Any:
    """The functional DataParallel: torch cannot tell which device type to use without one."""
    raise RuntimeError("device type could not be determined")


class DistributedDataParallel(Module):
    """``DistributedDataParallel(module, ...)``: needs ``init_process_group`` first, which this
    library does not provide (one process only), so construction raises torch's ValueError."""

    def __init__(self, module: Module, *args: Any, **kwargs: Any) -> None:
        raise ValueError(_NO_PROCESS_GROUP)


