"""Gradient clipping: ``clip_grad_norm_`` (with ``get_total_norm`` and ``clip_grads_with_norm_``,
its two halves) and ``clip_grad_value_``. All work in place on ``p.grad`` without autograd.

Total norm, torch's definition: the ``norm_type``-norm of the vector of per-gradient norms, i.e.
of all gradients concatenated:   total = || ( ||g_1||_p, ..., ||g_k||_p ) ||_p
Clipping: every gradient is multiplied by  min(1, max_norm / (total + 1e-6))  (always, also when
the factor is 1, as torch does).
"""
from __future__ import annotations

import math
import types
import warnings
from typing import Iterable, Union

import numpy as np

from ..._numpy_errors import quiet
from ..._tensor import Tensor, _new_tensor

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm",
           "clip_grads_with_norm_"]

_TensorOrTensors = Union[Tensor, Iterable[Tensor]]


def _vector_norm(a: np.ndarray, p: float) -> np.ndarray:
    """||a||_p of all entries, in a's dtype (0-d)."""
    x = np.abs(a)
    if p == math.inf:
        out = x.max() if x.size else np.zeros((), a.dtype)
    elif p == -math.inf:
        out = x.min()
    elif p == 0:
        out = np.count_nonzero(a)
    elif p == 1:
        out = x.sum()
    elif p == 2:
        out = np.sqrt((x * x).sum())
    else:
        out = (x ** p).sum() ** (1.0 / p)
    return np.asarray(out, dtype=a.dtype)


@quiet  # an inf norm, inf * 0: silent, as torch (_numpy_errors)
def get_total_norm(tensors: _TensorOrTensors, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach=None) -> Tensor:
    """The ``norm_type``-norm of ``tensors`` taken together (as one concatenated vector)."""
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return _new_tensor(np.asarray(0.0, dtype=np.float32))
    norms = [_vector_norm(t._data, norm_type) for t in tensors]
    dtype = np.result_type(*norms)  # torch.stack promotes mixed dtypes
    total = _vector_norm(np.stack([n.astype(dtype) for n in norms]), norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the gradients "
            "by the non-finite norm anyway, set `error_if_nonfinite=False`")
    return _new_tensor(total)


@quiet
def clip_grads_with_norm_(parameters: _TensorOrTensors, max_norm: float, total_norm: Tensor,
                          foreach=None) -> None:
    """Multiply every gradient by  min(1, max_norm / (total_norm + 1e-6)), in place."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return
    total = total_norm._data if isinstance(total_norm, Tensor) else np.asarray(total_norm)
    coef = np.minimum(float(max_norm) / (total + total.dtype.type(1e-6)), total.dtype.type(1.0))
    for g in grads:
        # in place on the array: the grad Tensor (and anything sharing it) sees the update
        np.multiply(g._data, coef.astype(g._data.dtype), out=g._data)
        g._bump_version()


def clip_grad_norm_(parameters: _TensorOrTensors, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach=None) -> Tensor:
    """Scale all gradients together so that their total ``norm_type``-norm is at most
    ``max_norm``; returns the total norm before clipping (``inf`` allowed as norm_type).
    ``foreach`` is accepted and ignored (one NumPy loop either way)."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if is_generator and not parameters:
            warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.",
                          stacklevel=3)
    grads = [p.grad for p in parameters if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_norm(parameters: _TensorOrTensors, max_norm: float, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach=None) -> Tensor:
    """Deprecated alias of ``clip_grad_norm_``."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters: _TensorOrTensors, clip_value: float, foreach=None) -> None:
    """Clamp every gradient entry into [-clip_value, clip_value], in place."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    clip_value = float(clip_value)
    for p in parameters:
        g = p.grad
        if g is not None:
            np.clip(g._data, -clip_value, clip_value, out=g._data)
            g._bump_version()
