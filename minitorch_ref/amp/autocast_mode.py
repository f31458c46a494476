"""torch.autocast: mixed precision regions, as far as a NumPy library can take them.

torch's autocast makes chosen ops (matmul, linear, conv, ...) compute in a lower precision
inside a ``with`` block: float16 on CUDA, bfloat16 (or float16) on the CPU. Here:

* ``enabled=False`` works everywhere: the block runs unchanged, as in torch. This is the path a
  GPU script takes on a CPU machine when it writes ``autocast(..., enabled=use_cuda)``.
* ``device_type='cuda'`` (and ``torch.cuda.amp.autocast``) warns and disables itself, as torch
  does without CUDA: the block runs in float32.
* an unsupported dtype on the CPU (``float32``, ``float64``) warns and disables, as in torch.
* CPU autocast that is really enabled (bfloat16 by default, or float16) is refused when the block
  is entered, with an error naming the feature: NumPy has no bfloat16 type, and autocast's
  per-op casting rules are not implemented. Running the block in float32 instead would print
  numbers torch does not print; refusing says so.
"""
from __future__ import annotations

import functools
import threading
import warnings
from typing import Any, Callable

from .. import _dtype
from .._missing import missing_feature

__all__ = ["autocast", "is_autocast_available", "custom_fwd", "custom_bwd"]

# device types torch can autocast on (a CPU build included): its Autocast dispatch keys
_AUTOCAST_DEVICES = ("cpu", "cuda", "xpu", "mps", "hpu", "mtia", "maia", "ipu", "xla",
                     "privateuseone")
_DEFAULT_DTYPES = {"cpu": "bfloat16", "mtia": "bfloat16", "maia": "bfloat16",
                   "xla": "bfloat16", "hpu": "bfloat16"}


class _State(threading.local):
    """Autocast state is per thread in torch: enabled flag and dtype per device type."""

    def __init__(self) -> None:
        self.enabled: dict[str, bool] = {}
        self.dtype: dict[str, _dtype.dtype] = {}
        self.cache_enabled = True
        self.nesting = 0


_state = _State()


def is_autocast_available(device_type: str) -> bool:
    """Whether torch can autocast on ``device_type`` (a malformed type is torch's error)."""
    from .._device import device
    return device(device_type).type in _AUTOCAST_DEVICES


def is_autocast_enabled(device_type: str = "cuda") -> bool:
    """Whether an enabled autocast region for ``device_type`` (CUDA when not given) is open."""
    return _state.enabled.get(device_type, False)


def get_autocast_dtype(device_type: str) -> _dtype.dtype:
    """The dtype autocast computes in on ``device_type``: bfloat16 on the CPU, float16 on
    CUDA, unless a region set another."""
    if device_type in _state.dtype:
        return _state.dtype[device_type]
    return getattr(_dtype, _DEFAULT_DTYPES.get(device_type, "float16"))


def is_autocast_cache_enabled() -> bool:
    return _state.cache_enabled


def set_autocast_cache_enabled(enabled: bool) -> None:
    _state.cache_enabled = enabled


class autocast:
    """``torch.autocast(device_type, dtype=None, enabled=True, cache_enabled=None)``: a context
    manager and decorator. See the module docstring for what is supported."""

    def __init__(self, device_type: str, dtype: _dtype.dtype | None = None,
                 enabled: bool = True, cache_enabled: bool | None = None) -> None:
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        self.fast_dtype = get_autocast_dtype(device_type) if dtype is None else dtype
        self.device = device_type
        if not is_autocast_available(device_type):
            raise RuntimeError(
                f"User specified an unsupported autocast device_type '{device_type}'")
        self._cache_enabled = is_autocast_cache_enabled() if cache_enabled is None \
            else cache_enabled
        if enabled:
            supported = (_dtype.bfloat16, _dtype.float16)
            if device_type == "cuda":
                warnings.warn("CUDA is not available or torch_xla is imported. Disabling "
                              "autocast.", stacklevel=2)
                enabled = False
            elif self.fast_dtype not in supported:
                name = device_type.upper()
                warnings.warn(
                    f"In {name} autocast, but the target dtype is not supported. Disabling "
                    f"autocast.\n{name} Autocast only supports dtypes of "
                    + ", ".join(map(str, supported)) + " currently.", stacklevel=2)
                enabled = False
        self._enabled = enabled

    def __enter__(self) -> "autocast":
        if self._enabled:
            raise missing_feature(
                f"torch.autocast(device_type='{self.device}', dtype={self.fast_dtype})",
                f"autocast to {self.fast_dtype} on '{self.device}' is not implemented in "
                "minitorch_ref (NumPy has no bfloat16, and autocast's per-op casting is not "
                "implemented); use enabled=False, or run the region in float32")
        self.prev = _state.enabled.get(self.device, False)
        self.prev_fastdtype = get_autocast_dtype(self.device)
        self.prev_cache_enabled = _state.cache_enabled
        _state.enabled[self.device] = False
        _state.dtype[self.device] = self.fast_dtype
        _state.cache_enabled = self._cache_enabled
        _state.nesting += 1
        return self

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> bool:
        _state.nesting -= 1
        _state.enabled[self.device] = self.prev
        _state.dtype[self.device] = self.prev_fastdtype
        _state.cache_enabled = self.prev_cache_enabled
        return False

    def __call__(self, func: Callable) -> Callable:
        if not callable(func):
            raise TypeError(
                f"autocast()(func) requires a callable, but got {type(func).__name__}. "
                "Did you mean to use autocast as a context manager? For example:\n"
                "    with torch.autocast(device_type=...):\n"
                "        output = model(input)")

        @functools.wraps(func)
        def decorate_autocast(*args, **kwargs):
            with self:
                return func(*args, **kwargs)
        return decorate_autocast


def custom_fwd(fwd: Callable | None = None, *, device_type: str,
               cast_inputs: _dtype.dtype | None = None) -> Callable:
    """Decorator for a custom ``autograd.Function.forward``: torch runs it under the caller's
    autocast state (or casts its inputs to ``cast_inputs`` in an enabled region). No region
    is ever enabled here, so the forward runs as written."""
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type, cast_inputs=cast_inputs)
    return fwd


def custom_bwd(bwd: Callable | None = None, *, device_type: str) -> Callable:
    """Decorator for a custom ``autograd.Function.backward``: runs it under the forward's
    autocast state, which is always disabled here."""
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)
    return bwd

