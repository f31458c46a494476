"""torch.distributions.MultivariateNormal: the Gaussian N(mu, S) on R^n, given by S, by S^-1 or
by the lower Cholesky factor L of S (S = L L^T); everything is computed through L."""
from __future__ import annotations

import math

from .. import _ops, linalg
from .._creation import eye
from .._tensor import Size, Tensor
from . import constraints
from .distribution import Distribution
from .utils import _standard_normal, lazy_property

__all__ = ["MultivariateNormal"]

_LOG_2PI = math.log(2 * math.pi)


def _matvec(m: Tensor, v: Tensor) -> Tensor:
    """M v over broadcast batch dimensions."""
    return _ops.matmul(m, v.unsqueeze(-1)).squeeze(-1)


def _mahalanobis_sq(factors: Tensor, x: Tensor) -> Tensor:
    """|L^-1 x|^2 = x^T (L L^T)^-1 x, for lower factors of batch shape F and vectors of batch
    shape (..., G) where each size in G is a multiple of F's size at its place.

    Rather than broadcasting L (one solve per vector), the vectors sharing a factor become the
    columns of one right-hand side: each size g of G is split into (g / f, f), the g / f
    repeats are moved in front of the factor dimensions, and one triangular solve runs per
    factor with all its vectors at once. The squared norms are then put back in x's order."""
    n = x.size(-1)
    k = factors.dim() - 2  # factor batch dimensions
    lead = x.dim() - 1 - k  # vector batch dimensions beyond them
    split = x.shape[:lead]
    for f, g in zip(factors.shape[:-2], x.shape[lead:-1]):
        split += (g // f, f)
    repeats, owners = list(range(lead, lead + 2 * k, 2)), list(range(lead + 1, lead + 2 * k, 2))
    columns = x.reshape(split + (n,)).permute(list(range(lead)) + repeats + owners
                                              + [lead + 2 * k])
    flat_factors = factors.reshape(-1, n, n)  # (b, n, n)
    rhs = columns.reshape(-1, flat_factors.size(0), n).permute(1, 2, 0)  # (b, n, c)
    norms = linalg.solve_triangular(flat_factors, rhs, upper=False).pow(2).sum(-2)  # (b, c)
    norms = norms.t().reshape(columns.shape[:-1])
    restore = list(range(lead))
    for i in range(k):
        restore += [lead + i, lead + k + i]
    return norms.permute(restore).reshape(x.shape[:-1])


def _half_log_det(scale_tril: Tensor) -> Tensor:
    """log det(L) = sum log diag L = (1/2) log det S."""
    return scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)


def _tril_from_precision(p: Tensor) -> Tensor:
    """The lower Cholesky factor of P^-1, without inverting P. With J the reversal of both
    axes, C = chol(J P J) is lower triangular and P = U U^T for the upper triangular
    U = J C J; so P^-1 = U^-T U^-1, whose lower factor L = (U^T)^-1 takes one triangular
    solve."""
    c = linalg.cholesky(_ops.flip(p, (-2, -1)))
    u = _ops.transpose(_ops.flip(c, (-2, -1)), -2, -1)
    return linalg.solve_triangular(u, eye(p.shape[-1], dtype=p.dtype), upper=False)


_MATRIX_ARGS = {"scale_tril": "scale_tril matrix", "covariance_matrix": "covariance_matrix",
                "precision_matrix": "precision_matrix"}


class MultivariateNormal(Distribution):
    """N(loc, S) with exactly one of ``covariance_matrix`` (S), ``precision_matrix`` (S^-1)
    or ``scale_tril`` (L).

    log p(x) = -(n log(2 pi) + |L^-1 (x - mu)|^2) / 2 - sum log diag L,
    H = n (1 + log(2 pi)) / 2 + sum log diag L.
    ``rsample`` is mu + L eps with eps from ``normal_`` (torch's draws)."""

    arg_constraints = {"loc": constraints.real_vector,
                       "covariance_matrix": constraints.positive_definite,
                       "precision_matrix": constraints.positive_definite,
                       "scale_tril": constraints.lower_cholesky}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc: Tensor, covariance_matrix: Tensor | None = None,
                 precision_matrix: Tensor | None = None, scale_tril: Tensor | None = None,
                 validate_args: bool | None = None) -> None:
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        given = {name: m for name, m in (("scale_tril", scale_tril),
                                          ("covariance_matrix", covariance_matrix),
                                          ("precision_matrix", precision_matrix))
                 if m is not None}
        if len(given) != 1:
            raise ValueError("Exactly one of covariance_matrix or precision_matrix or "
                             "scale_tril may be specified.")
        ((name, matrix),) = given.items()
        if matrix.dim() < 2:
            raise ValueError(f"{_MATRIX_ARGS[name]} must be at least two-dimensional, "
                             "with optional leading batch dimensions")
        batch_shape = _ops.broadcast_shapes(matrix.shape[:-2], loc.shape[:-1])
        setattr(self, name, matrix.expand(batch_shape + (-1, -1)))
        self.loc = loc.expand(batch_shape + (-1,))
        super().__init__(batch_shape, self.loc.shape[-1:], validate_args=validate_args)

        if name == "scale_tril":
            self._unbroadcasted_scale_tril = matrix
        elif name == "covariance_matrix":
            self._unbroadcasted_scale_tril = linalg.cholesky(matrix)
        else:
            self._unbroadcasted_scale_tril = _tril_from_precision(matrix)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(MultivariateNormal, _instance)
        batch_shape = Size(batch_shape)
        new.loc = self.loc.expand(batch_shape + self.event_shape)
        new._unbroadcasted_scale_tril = self._unbroadcasted_scale_tril
        matrix_shape = batch_shape + self.event_shape + self.event_shape
        for name in ("covariance_matrix", "scale_tril", "precision_matrix"):
            if name in self.__dict__:  # computed or given: carry it over
                setattr(new, name, getattr(self, name).expand(matrix_shape))
        super(MultivariateNormal, new).__init__(batch_shape, self.event_shape,
                                                validate_args=False)
        new._validate_args = self._validate_args
        return new

    def _full(self, t: Tensor) -> Tensor:
        """``t`` (a matrix per batch entry) expanded to the full batch."""
        return t.expand(self._batch_shape + self._event_shape + self._event_shape)

    @lazy_property
    def scale_tril(self) -> Tensor:
        return self._full(self._unbroadcasted_scale_tril)

    @lazy_property
    def covariance_matrix(self) -> Tensor:
        tril = self._unbroadcasted_scale_tril
        return self._full(_ops.matmul(tril, tril.mT))

    @lazy_property
    def precision_matrix(self) -> Tensor:
        return self._full(_ops.cholesky_inverse(self._unbroadcasted_scale_tril))

    mean = property(lambda self: self.loc)
    mode = property(lambda self: self.loc)

    @property
    def variance(self) -> Tensor:
        # diag(L L^T)_i = sum_j L_ij^2
        row_sq = self._unbroadcasted_scale_tril.pow(2).sum(-1)
        return row_sq.expand(self._batch_shape + self._event_shape)

    def rsample(self, sample_shape=Size()) -> Tensor:
        eps = _standard_normal(self._extended_shape(sample_shape), dtype=self.loc.dtype,
                               device=self.loc.device)
        return self.loc + _matvec(self._unbroadcasted_scale_tril, eps)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        tril = self._unbroadcasted_scale_tril
        m = _mahalanobis_sq(tril, value - self.loc)
        return -0.5 * (self._event_shape[0] * _LOG_2PI + m) - _half_log_det(tril)

    def entropy(self):
        h = (0.5 * self._event_shape[0] * (1.0 + _LOG_2PI)
             + _half_log_det(self._unbroadcasted_scale_tril))
        return h.expand(self._batch_shape) if self._batch_shape else h
