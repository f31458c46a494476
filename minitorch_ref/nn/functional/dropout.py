"""Dropout: ``dropout``, ``alpha_dropout``, ``feature_alpha_dropout``, ``dropout1d/2d/3d``.

The masks are torch's: drawn from ``minitorch_ref.random``'s generator in torch's order, so that a
seeded run drops the same elements as torch. The kernels below multiply by a precomputed mask
(and, for alpha dropout, add a shift); forward beside backward on ndarrays.
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from ..._ops import reshape
from ..._ops._arguments import argument_error
from ..._ops.inplace import apply_inplace
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from ...random import _bernoulli_scalar_fill, _gen, dropout_mask


class _MaskedScale(ArrayFunction):
    """out = x * mask, with ``mask`` the scaled keep-mask (0 or 1 / (1 - p)), broadcast over
    ``x`` for feature dropout.      dL/dx = g * mask."""

    _backward_name = "MulBackward0"
    _saved_attrs = ("mask",)  # torch's node saves the mask
    _constant_attrs = ("mask",)  # drawn before the call: a constant for create_graph

    @staticmethod
    def forward(ctx, x, mask):
        ctx.mask = mask
        return x * mask

    @staticmethod
    def backward(ctx, g):
        return g * ctx.mask, None


class _AlphaMask(ArrayFunction):
    """out = x * a_mask + shift (alpha dropout: dropped entries go to SELU's negative saturation
    and the result is rescaled to keep mean 0 and variance 1).      dL/dx = g * a_mask."""

    _backward_name = "AddBackward0"
    _saved_attrs = ("a_mask",)  # torch's node saves the mask
    _constant_attrs = ("a_mask",)  # drawn before the call: a constant for create_graph

    @staticmethod
    def forward(ctx, x, a_mask, shift):
        ctx.a_mask = a_mask
        return x * a_mask + shift

    @staticmethod
    def backward(ctx, g):
        return g * ctx.a_mask, None, None


_SELU_ALPHA_PRIME = 1.7580993408473766  # -scale * alpha of SELU


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _dropout_impl(input: Tensor, p: float, training: bool, inplace: bool, feature: bool,
                  alpha: bool) -> Tensor:
    """torch's CPU dropout: ``noise = empty(shape).bernoulli_(1 - p)`` with ``shape`` the input's
    (or ``(N, C, 1, ...)`` for feature dropout); then either ``input * noise / (1 - p)`` or, for
    alpha dropout, ``input * (noise * a) + ((noise - 1) * alpha' * a + alpha' * a * p)`` with
    ``a = 1 / sqrt((alpha'**2 * p + 1) * (1 - p))``. Nothing is drawn when ``p`` is 0 or 1, when
    not training, or for an empty input."""
    if p == 0 or not training or input.numel() == 0:
        return input
    if feature and input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    x = input._data
    if p == 1:
        mask = np.zeros((), dtype=x.dtype)
        fn = lambda t: _MaskedScale.apply(t, mask)  # noqa: E731
    else:
        shape = x.shape[:2] + (1,) * (x.ndim - 2) if feature else x.shape
        if not alpha:
            mask = dropout_mask(shape, p, x.dtype, like=None if feature else x)
            fn = lambda t: _MaskedScale.apply(t, mask)  # noqa: E731
        else:
            noise = np.empty(shape, dtype=x.dtype)
            _bernoulli_scalar_fill(noise, 1.0 - p, _gen(None))
            a = 1.0 / math.sqrt((_SELU_ALPHA_PRIME ** 2 * p + 1) * (1 - p))
            dt = x.dtype.type
            shift = (noise - dt(1)) * dt(_SELU_ALPHA_PRIME * a) + dt(_SELU_ALPHA_PRIME * a * p)
            a_mask = noise * dt(a)
            fn = lambda t: _AlphaMask.apply(t, a_mask, shift)  # noqa: E731
    if not inplace:
        return fn(input)
    apply_inplace(input, fn)
    if alpha and p != 1:  # torch's in-place alpha dropout is two writes, mul_ then add_
        input._bump_version()
    return input


def dropout(input: Tensor, p: float = 0.5, training: bool = True,
            inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``."""
    if not isinstance(input, Tensor):
        raise argument_error(dropout, locals(), "dropout_" if inplace else None)
    _check_p(p)
    return _dropout_impl(input, p, training, inplace, feature=False, alpha=False)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                  inplace: bool = False) -> Tensor:
    """Dropout for SELU networks: dropped elements take SELU's negative saturation value and an
    affine map keeps zero mean and unit variance."""
    if not isinstance(input, Tensor):
        raise argument_error(alpha_dropout, locals(), "alpha_dropout_" if inplace else None)
    _check_p(p)
    return _dropout_impl(input, p, training, inplace, feature=False, alpha=True)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels (one draw per ``(n, c)``)."""
    if not isinstance(input, Tensor):
        raise argument_error(feature_alpha_dropout, locals(),
                             "feature_alpha_dropout_" if inplace else None)
    _check_p(p)
    return _dropout_impl(input, p, training, inplace, feature=True, alpha=True)


def _unbatched(input: Tensor, fn) -> Tensor:
    """Run a batched feature dropout on an input without batch dim (as torch's unsqueeze(0))."""
    out = fn(reshape(input, (1,) + tuple(input.shape)))
    return reshape(out, tuple(input.shape))


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, L) or (C, L) input with probability ``p``."""
    _check_p(p)
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.dim()}D input. Note "
            "that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs).")
    run = lambda t: _dropout_impl(t, p, training, inplace, True, False)  # noqa: E731
    if input.dim() == 2:
        if inplace:
            # torch unsqueezes in place; the (1, C, 1) mask broadcasts the same way on (C, L)
            return _dropout_feature_unbatched_inplace(input, p, training)
        return _unbatched(input, run)
    return run(input)


def _dropout_feature_unbatched_inplace(input: Tensor, p: float, training: bool) -> Tensor:
    if p == 0 or not training or input.numel() == 0:
        return input
    x = input._data
    mask = np.zeros((), x.dtype) if p == 1 else \
        dropout_mask((1,) + x.shape[:1] + (1,) * (x.ndim - 1), p, x.dtype)[0]
    return apply_inplace(input, lambda t: _MaskedScale.apply(t, mask))


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, H, W) input. As in torch, 3-D input is treated as
    (N, C, L) (with a warning), not as an unbatched (C, H, W)."""
    _check_p(p)
    dim = input.dim()
    if dim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {dim}-D input to dropout2d, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            "warning, please use dropout instead. Note that dropout2d exists to provide "
            "channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and "
            "an optional batch dimension (i.e. 3D or 4D inputs).", stacklevel=2)
    if dim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2)
    return _dropout_impl(input, p, training, inplace, feature=True, alpha=False)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input."""
    _check_p(p)
    dim = input.dim()
    if dim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {dim}-D input to dropout3d, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            "warning, please use dropout instead. Note that dropout3d exists to provide "
            "channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and "
            "an optional batch dimension (i.e. 4D or 5D inputs).", stacklevel=2)
    run = lambda t: _dropout_impl(t, p, training, inplace, True, False)  # noqa: E731
    if dim != 5:
        if inplace:
            return _dropout_feature_unbatched_inplace(input, p, training)
        return _unbatched(input, run)
    return run(input)
