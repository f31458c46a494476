"""torch.nn.utils.stateless: the pre-2.0 home of ``functional_call`` (deprecated there)."""
from __future__ import annotations

import warnings
from typing import Any

from ...func._functional_call import _functional_call, _reparametrize_module  # noqa: F401

__all__ = ["functional_call"]


def functional_call(module, parameters_and_buffers: dict, args=None, kwargs=None, *,
                    tie_weights: bool = True, strict: bool = False) -> Any:
    """``torch.func.functional_call`` with one dict, warning as torch does."""
    warnings.warn(
        "`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 and will be "
        "removed in a future version of PyTorch. Please use `torch.func.functional_call` "
        "instead which is a drop-in replacement.", FutureWarning, stacklevel=2)
    return _functional_call(module, parameters_and_buffers, args, kwargs,
                            tie_weights=tie_weights, strict=strict)
