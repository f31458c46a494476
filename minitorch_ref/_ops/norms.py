"""Singular values (for the spectral and nuclear matrix norms), pairwise distances (``cdist``) and
the distance of two tensors (``dist``). Each op is forward beside backward on ndarrays; the
matrix norms themselves are compositions of these and reductions, in ``minitorch_ref.linalg``.
"""
from __future__ import annotations

import math

import numpy as np

from ..autograd.function import ArrayFunction
from .._dtype import result_np_dtype
from .._names import scalar_type_name
from .._tensor import _wrap_dim
from ._arguments import argument_error
from ._util import Tensor, broadcast_shapes_or_raise, new_zeros
from .out import supports_out
from .reduction import VectorNorm

__all__ = ["cdist", "dist", "renorm"]


# -- singular values -------------------------------------------------------------------------------

class Svdvals(ArrayFunction):
    """s = the singular values of each matrix A (the last two dims), in descending order.
    With A = U diag(s) V^T (reduced SVD):   dL/dA = U diag(g) V^T.
    (Well defined where the singular values are distinct: then each u_i v_i^T is unique.)"""

    _backward_name = "LinalgSvdBackward0"

    @staticmethod
    def forward(ctx, a):
        if a.size == 0:  # NumPy's SVD refuses empty matrices; there are no singular values
            ctx.save_for_backward(None, None)
            ctx.shape = a.shape
            return np.zeros(a.shape[:-2] + (0,), dtype=a.dtype)
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        ctx.save_for_backward(u, vh)
        ctx.shape = a.shape
        return s.astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        u, vh = ctx.saved_tensors
        if u is None:
            return new_zeros(g, ctx.shape)
        return ((u * g[..., None, :]) @ vh).astype(g.dtype, copy=False)


# -- cdist -----------------------------------------------------------------------------------------

class Cdist(ArrayFunction):
    """D[..., i, j] = || x1[..., i, :] - x2[..., j, :] ||_p   (p = 0: the count of non-zero
    differences; p = inf: the largest |difference|). With d = x1_i - x2_j and D = D_ij:

      p = 1:       dD/dx1_i = sign(d)
      p = 2:       dD/dx1_i = d / D
      p = inf:     dD/dx1_i = sign(d) * (|d| == D)    (every tie gets the full gradient)
      other p:     dD/dx1_i = sign(d) |d|^(p-1) / D^(p-1)
      p = 0:       0

    taken as 0 where D = 0 (and, for p < 1, where d = 0), as torch does; dD/dx2_j is the
    negative. The gradients sum g * dD over the other point set."""

    _backward_name = "CdistBackward0"

    @staticmethod
    def forward(ctx, x1, x2, p):
        d = x1[..., :, None, :] - x2[..., None, :, :]
        a = np.abs(d)
        if p == 0:
            out = (d != 0).sum(axis=-1).astype(d.dtype)
        elif p == 1:
            out = a.sum(axis=-1)
        elif p == 2:
            out = np.sqrt((d * d).sum(axis=-1))
        elif p == math.inf:
            out = a.max(axis=-1, initial=0)
        else:
            out = (a ** p).sum(axis=-1) ** (1 / p)
        ctx.save_for_backward(x1, x2, out)
        ctx.p = p
        return out

    @staticmethod
    def backward(ctx, g):
        x1, x2, out = ctx.saved_tensors
        p = ctx.p
        d = x1[..., :, None, :] - x2[..., None, :, :]  # recomputed: not kept between passes
        dist = out[..., None]
        gd = g[..., None]
        if p == 0:
            coef = np.zeros_like(d)
        elif p == 1:
            coef = np.sign(d) * gd
        elif p == 2:
            coef = np.where(dist == 0, 0, d * (gd / dist))
        elif p == math.inf:
            coef = np.sign(d) * (np.abs(d) == dist) * gd
        elif p < 1:
            coef = np.sign(d) * np.abs(d) ** (p - 1) * gd / dist ** (p - 1)
            coef = np.where((dist == 0) | (d == 0), 0, coef)
        else:
            coef = np.where(dist == 0, 0, np.sign(d) * np.abs(d) ** (p - 1) * gd
                            / dist ** (p - 1))
        coef = coef.astype(d.dtype, copy=False)
        g1 = coef.sum(axis=-2) if ctx.needs_input_grad[0] else None
        g2 = -coef.sum(axis=-3) if ctx.needs_input_grad[1] else None
        return g1, g2, None


class EuclideanDistMm(ArrayFunction):
    """The p = 2 distances through one matrix product, as torch computes them when either set
    has more than 25 points:

      R = [-2 x1, |x1|^2, 1] @ [x2, 1, |x2|^2]^T = |x1_i|^2 + |x2_j|^2 - 2 x1_i . x2_j
      D = sqrt(max(R, 0))

    With ratio = g / D (0 where D = 0):
      dL/dx1 = x1 * sum_j ratio_ij - ratio @ x2,    dL/dx2 = x2 * sum_i ratio_ij - ratio^T @ x1
    (torch records it under a view of its EuclideanDistBackward0 node: the name shown is the
    view's)."""

    _backward_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, x1, x2):
        n1 = (x1 * x1).sum(axis=-1, keepdims=True)
        n2 = (x2 * x2).sum(axis=-1, keepdims=True)
        a = np.concatenate([-2 * x1, n1, np.ones_like(n1)], axis=-1)
        b = np.concatenate([x2, np.ones_like(n2), n2], axis=-1)
        out = a @ np.swapaxes(b, -1, -2)
        np.maximum(out, 0, out=out)
        np.sqrt(out, out=out)
        ctx.save_for_backward(x1, x2, out)
        return out

    @staticmethod
    def backward(ctx, g):
        x1, x2, out = ctx.saved_tensors
        ratio = np.where(out == 0, 0, g / out).astype(g.dtype, copy=False)
        g1 = g2 = None
        if ctx.needs_input_grad[0]:
            g1 = x1 * ratio.sum(axis=-1, keepdims=True) - ratio @ x2
        if ctx.needs_input_grad[1]:
            g2 = x2 * ratio.sum(axis=-2)[..., None] - np.swapaxes(ratio, -1, -2) @ x1
        return g1, g2


_COMPUTE_MODES = {"use_mm_for_euclid_dist_if_necessary": 0, "use_mm_for_euclid_dist": 1,
                  "donot_use_mm_for_euclid_dist": 2}


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0,
          compute_mode: str = "use_mm_for_euclid_dist_if_necessary") -> Tensor:
    """The p-norm distance between each row of ``x1`` (..., P, M) and each row of ``x2``
    (..., R, M): a (..., P, R) tensor; the batch dims broadcast. For p = 2 torch switches to
    a matrix-product formula when P or R exceeds 25 (``compute_mode`` chooses); so does this."""
    if not (isinstance(x1, Tensor) and isinstance(x2, Tensor)):
        raise argument_error(cdist, locals())
    if compute_mode not in _COMPUTE_MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    mode = _COMPUTE_MODES[compute_mode]
    a, b = x1._data, x2._data
    for name, t in (("X1", a), ("X2", b)):
        if t.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {t.ndim}D")
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError("X1 and X2 must have the same number of columns. X1: "
                           f"{a.shape[-1]} X2: {b.shape[-1]}")
    for name, t in (("X1", a), ("X2", b)):
        if t.dtype.kind != "f":
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                               f"{scalar_type_name(t.dtype)}")
    if not p >= 0:  # (NaN too)
        raise RuntimeError("cdist only supports non-negative p values")
    if a.dtype != b.dtype:
        raise RuntimeError(f"expected scalar type {scalar_type_name(a.dtype)} but found "
                           f"{scalar_type_name(b.dtype)}")
    if a.dtype == np.float16:
        raise NotImplementedError("\"cdist\" not implemented for 'Half'")
    broadcast_shapes_or_raise(a.shape[:-2], b.shape[:-2])
    p = float(p)
    rows = max(a.shape[-2], b.shape[-2])
    if a.size and b.size and p == 2 and (mode == 1 or (mode == 0 and rows > 25)):
        return EuclideanDistMm.apply(x1, x2)
    return Cdist.apply(x1, x2, p)


# -- dist ------------------------------------------------------------------------------------------

class Dist(ArrayFunction):
    """out = || a - b ||_p over every element (a and b broadcast together): the vector norm
    of the difference, with VectorNorm's derivative dN/dd; dL/da = g dN/dd, dL/db = -g dN/dd
    (summed back to each input's shape by the engine)."""

    _backward_name = "DistBackward0"

    @staticmethod
    def forward(ctx, a, b, p):
        d = a - b
        return VectorNorm.forward(ctx, d, p, tuple(range(d.ndim)), False)

    @staticmethod
    def backward(ctx, g):
        gd = VectorNorm.backward(ctx, g)[0]
        if gd is None:
            return None, None, None
        return gd, (-gd if ctx.needs_input_grad[1] else None), None


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:
    """|| input - other ||_p over all elements of the broadcast difference."""
    if not isinstance(input, Tensor):
        raise argument_error(dist, locals())
    if not isinstance(other, Tensor):
        raise TypeError(f"dist(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    if isinstance(p, str) or not isinstance(p, (int, float, np.number)):
        raise TypeError(f"dist(): argument 'p' (position 3) must be Number, not "
                        f"{type(p).__name__}")
    a, b = input._data, other._data
    dt = result_np_dtype(a, b)
    if dt.kind != "f":
        raise RuntimeError("norm(): input dtype should be either floating point or complex. "
                           f"Got {scalar_type_name(dt)} instead.")
    broadcast_shapes_or_raise(a.shape, b.shape)
    if a.dtype != dt:
        input = input.to(dt)
    if b.dtype != dt:
        other = other.to(dt)
    return Dist.apply(input, other, float(p))


# -- renorm ----------------------------------------------------------------------------------------

def _pnorm(a: np.ndarray, p: float, dims: tuple) -> np.ndarray:
    """The p-norm over ``dims``, kept as size-1 dims."""
    if p == np.inf:
        return np.max(np.abs(a), axis=dims, keepdims=True)
    if p == 2:
        return np.sqrt(np.sum(a * a, axis=dims, keepdims=True))
    if p == 1:
        return np.sum(np.abs(a), axis=dims, keepdims=True)
    return np.sum(np.abs(a) ** p, axis=dims, keepdims=True) ** (1 / p)


def _pnorm_grad(a: np.ndarray, p: float, dims: tuple, n: np.ndarray) -> np.ndarray:
    """d n / d a for the p-norm n over ``dims`` (0 where n = 0; for p = inf the maximal
    entries share it evenly, as torch's norm backward)."""
    if p == np.inf:
        hit = np.abs(a) == n
        d = np.sign(a) * hit / np.sum(hit, axis=dims, keepdims=True)
    elif p == 1:
        d = np.sign(a)
    elif p == 2:
        d = a / n
    else:  # (0 where a = 0, also for p < 1, as torch's)
        d = np.where(a == 0, 0, np.sign(a) * np.abs(a) ** (p - 1)) / n ** (p - 1)
    return np.where(n == 0, 0, d).astype(a.dtype, copy=False)


class Renorm(ArrayFunction):
    """Each slice ``a.select(dim, i)`` whose p-norm n exceeds ``maxnorm`` is scaled to norm
    ``maxnorm``: out = a f with f = maxnorm / (n + 1e-7) where n > maxnorm, else 1.
    dL/da = f g - f / (n + 1e-7) * sum(a g) * dn/da where n > maxnorm, else g (the sum over
    the slice)."""

    _backward_name = "RenormBackward0"

    @staticmethod
    def forward(ctx, a, p, dim, maxnorm):
        dims = tuple(d for d in range(a.ndim) if d != dim)
        n = _pnorm(a, p, dims)
        over = n > maxnorm
        factor = np.where(over, maxnorm / (n + 1e-7), 1).astype(a.dtype, copy=False)
        ctx.save_for_backward(a)
        ctx.p, ctx.dims, ctx.maxnorm = p, dims, maxnorm
        return a * factor

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        n = _pnorm(a, ctx.p, ctx.dims)
        inv = 1 / (n + 1e-7)
        factor = inv * ctx.maxnorm
        s = np.sum(a * g, axis=ctx.dims, keepdims=True)
        scaled = factor * g - factor * inv * s * _pnorm_grad(a, ctx.p, ctx.dims, n)
        return np.where(n > ctx.maxnorm, scaled, g).astype(a.dtype, copy=False), None, None, None


@supports_out(rule="exact")
def renorm(input: Tensor, p: float, dim: int, maxnorm: float, *, out=None) -> Tensor:
    """Rescale each slice along ``dim`` whose p-norm exceeds ``maxnorm`` to norm ``maxnorm``."""
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        shown = int(maxnorm) if float(maxnorm).is_integer() else maxnorm  # torch's Scalar
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {shown}")
    a = input._data
    if a.ndim <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {a.ndim} dimensions")
    dim = _wrap_dim(dim, a.ndim)
    if a.dtype.kind != "f":
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {scalar_type_name(a.dtype)}")
    return Renorm.apply(input, float(p), dim, maxnorm)

