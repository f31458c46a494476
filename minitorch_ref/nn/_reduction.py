"""The ``reduction`` argument of the losses, and the legacy ``size_average``/``reduce`` flags that
torch still maps onto it (with its deprecation warning)."""
from __future__ import annotations

import warnings

_ENUM = {"none": 0, "mean": 1, "sum": 2}


def get_enum(reduction: str) -> int:
    """0, 1, 2 for 'none', 'mean', 'sum' (torch's ValueError for anything else)."""
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                      "instead.", stacklevel=3)
        return 1
    if reduction not in _ENUM:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return _ENUM[reduction]


def legacy_get_string(size_average: bool | None, reduce: bool | None,
                      emit_warning: bool = True) -> str:
    """The reduction that the old flags meant: reduce=False -> 'none'; otherwise 'mean' unless
    size_average=False ('sum'). Either flag left as None counts as True."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if size_average and reduce:
        ret = "mean"
    elif reduce:
        ret = "sum"
    else:
        ret = "none"
    if emit_warning:
        warnings.warn("size_average and reduce args will be deprecated, please use "
                      f"reduction='{ret}' instead.", stacklevel=3)
    return ret


def legacy_get_enum(size_average: bool | None, reduce: bool | None,
                    emit_warning: bool = True) -> int:
    return get_enum(legacy_get_string(size_average, reduce, emit_warning))


def resolve(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """The reduction string a loss runs with: the legacy flags win when given (with torch's
    warning); otherwise ``reduction``, validated ('elementwise_mean' becomes 'mean')."""
    if size_average is not None or reduce is not None:
        return legacy_get_string(size_average, reduce)
    return ("none", "mean", "sum")[get_enum(reduction)]
