"""torch's window functions: hann, hamming, bartlett, blackman and kaiser windows.

Each is a 1-D tensor of ``window_length`` values on ``n = 0 .. N - 1``, where ``N`` is the
length, or the length plus one for a ``periodic`` window (whose last value is then dropped, so
that the window repeats seamlessly, as ``torch.stft`` wants):

    hamming  w[n] = alpha - beta cos(2 pi n / (N - 1))        (alpha 0.54, beta 0.46)
    hann     the hamming window with alpha = beta = 0.5
    bartlett w[n] = 2n / (N - 1) on the first half, 2 - 2n / (N - 1) on the rest
    blackman w[n] = 0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1))
    kaiser   w[n] = I0(beta sqrt(1 - ((n - a) / a)^2)) / I0(beta),   a = (N - 1) / 2

A length of 0 gives an empty tensor, 1 gives ``[1.]``. The arithmetic is torch's, step by step
in the window's dtype (float16 through float32, rounding after each step as torch's half
kernels, numbers rounded to the window's dtype first): ``arange(N) * (2 pi / (N - 1))``, then
``cos``, ``* -beta``, ``+ alpha``. Bartlett windows, and the others in float16, equal torch's
bit for bit; otherwise the cosine differs in the last bit where torch's vectorised SLEEF ``cos``
and NumPy's round differently (about 3% of the float32 elements, 0.04% of the float64 ones),
and kaiser's I0 is computed in float64 here (torch: in the window's dtype), a few ulp apart.
"""
from __future__ import annotations

import builtins
import math

import numpy as np

from . import _dtype
from ._creation import _finish
from ._names import c_type_name
from ._ops.special_math import i0 as _i0
from ._tensor import Tensor, _check_device

__all__ = ["hann_window", "hamming_window", "bartlett_window", "blackman_window",
           "kaiser_window"]


def _prepare(name: str, window_length, periodic, dtype, device, requires_grad: bool):
    """torch's checks; the numbers of the window: (N, the length kept, dtype, compute dtype)."""
    if isinstance(window_length, Tensor) and window_length.dim() == 0 \
            and window_length.dtype in (_dtype.int64, _dtype.int32, _dtype.int16, _dtype.int8,
                                        _dtype.uint8):
        window_length = window_length.item()
    if not isinstance(window_length, builtins.int) or isinstance(window_length, builtins.bool):
        raise TypeError(f"{name}(): argument 'window_length' (position 1) must be int, not "
                        f"{type(window_length).__name__}")
    if not isinstance(periodic, builtins.bool):
        raise TypeError(f"{name}(): argument 'periodic' (position 2) must be bool, not "
                        f"{type(periodic).__name__}")
    _check_device(device, None)
    np_dtype = _dtype.to_numpy_dtype(dtype) if dtype is not None \
        else _dtype.get_default_dtype().np
    if np_dtype.kind not in "fc":
        raise RuntimeError(
            f"{name} expects floating point dtypes, got: TensorOptions(dtype="
            f"{c_type_name(np_dtype)}, device=cpu, layout=Strided (default), "
            "requires_grad=false (default), pinned_memory=false, memory_format=(nullopt))")
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got "
                           f"window_length={window_length}")
    compute = np.dtype(np.float32) if np_dtype == np.float16 else np_dtype
    n = window_length + 1 if periodic and window_length > 1 else window_length
    return n, window_length, np_dtype, compute


def _trivial(length: int, np_dtype: np.dtype, requires_grad: bool) -> Tensor | None:
    if length == 0:
        return _finish(np.empty(0, dtype=np_dtype), requires_grad)
    if length == 1:
        return _finish(np.ones(1, dtype=np_dtype), requires_grad)
    return None


def _steps(np_dtype: np.dtype, compute: np.dtype):
    """Two helpers: round to the window's dtype after each step, as torch's in-place ops do,
    and a number as torch's ops take it (in the tensor's dtype, computed in ``compute``)."""
    return (lambda x: np.asarray(x, dtype=compute).astype(np_dtype).astype(compute),
            lambda v: compute.type(np_dtype.type(v)))


def hamming_window(window_length: int, periodic: bool = True, alpha: float = 0.54,
                   beta: float = 0.46, *, dtype=None, layout=None, device=None,
                   pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    n, length, np_dtype, c = _prepare("hamming_window", window_length, periodic, dtype,
                                      device, requires_grad)
    return _hamming(n, length, np_dtype, c, alpha, beta, requires_grad)


def _hamming(n, length, np_dtype, c, alpha, beta, requires_grad) -> Tensor:
    trivial = _trivial(length, np_dtype, requires_grad)
    if trivial is not None:
        return trivial
    r, k = _steps(np_dtype, c)
    w = r(np.arange(n, dtype=c) * k(math.pi * 2.0 / (n - 1)))
    w = r(np.cos(w.astype(np.float64)).astype(c))  # cos rounded from float64
    w = r(r(w * k(-beta)) + k(alpha))
    return _finish(w[:length].astype(np_dtype), requires_grad)


def hann_window(window_length: int, periodic: bool = True, *, dtype=None, layout=None,
                device=None, pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    n, length, np_dtype, c = _prepare("hann_window", window_length, periodic, dtype, device,
                                      requires_grad)
    return _hamming(n, length, np_dtype, c, 0.5, 0.5, requires_grad)


def bartlett_window(window_length: int, periodic: bool = True, *, dtype=None, layout=None,
                    device=None, pin_memory: bool = False,
                    requires_grad: bool = False) -> Tensor:
    n, length, np_dtype, c = _prepare("bartlett_window", window_length, periodic, dtype,
                                      device, requires_grad)
    trivial = _trivial(length, np_dtype, requires_grad)
    if trivial is not None:
        return trivial
    r, k = _steps(np_dtype, c)
    w = r(np.arange(n, dtype=c) * k(2.0 / (n - 1)))
    half = ((n - 1) >> 1) + 1
    w = np.concatenate([w[:half], r(r(w[half:] * k(-1)) + k(2))])
    return _finish(w[:length].astype(np_dtype), requires_grad)


def blackman_window(window_length: int, periodic: bool = True, *, dtype=None, layout=None,
                    device=None, pin_memory: bool = False,
                    requires_grad: bool = False) -> Tensor:
    n, length, np_dtype, c = _prepare("blackman_window", window_length, periodic, dtype,
                                      device, requires_grad)
    trivial = _trivial(length, np_dtype, requires_grad)
    if trivial is not None:
        return trivial
    r, k = _steps(np_dtype, c)
    w = r(np.arange(n, dtype=c) * k(math.pi / (n - 1)))
    cos = lambda x: r(np.cos(x.astype(np.float64)).astype(c))  # noqa: E731
    w = r(r(r(cos(r(w * k(4))) * k(0.08)) - r(cos(r(w * k(2))) * k(0.5)))
          + k(0.42))
    return _finish(w[:length].astype(np_dtype), requires_grad)


def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *,
                  dtype=None, layout=None, device=None, pin_memory: bool = False,
                  requires_grad: bool = False) -> Tensor:
    n, length, np_dtype, c = _prepare("kaiser_window", window_length, periodic, dtype, device,
                                      requires_grad)
    trivial = _trivial(length, np_dtype, requires_grad)
    if trivial is not None:
        return trivial
    alpha = c.type((n - 1) / 2.0)  # torch's kernel holds both in its compute dtype
    b = c.type(beta)
    x = np.arange(n, dtype=c)
    arg = b * np.sqrt(np.abs(c.type(1) - ((x - alpha) / alpha) ** 2))
    w = (_i0(arg.astype(np.float64)) / _i0(np.float64(b))).astype(c)
    return _finish(w[:length].astype(np_dtype), requires_grad)
