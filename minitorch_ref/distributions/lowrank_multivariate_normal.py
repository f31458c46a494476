"""torch.distributions.LowRankMultivariateNormal: N(mu, W W^T + D) with W an n x m factor
(m small) and D a positive diagonal. Solves and determinants go through the m x m
capacitance matrix C = I + W^T D^-1 W instead of the n x n covariance."""
from __future__ import annotations

import math

from .. import _ops, linalg
from .._creation import eye
from .._tensor import Size, Tensor
from . import constraints
from .distribution import Distribution
from .multivariate_normal import _mahalanobis_sq, _matvec
from .utils import _diag_embed, _standard_normal, lazy_property

__all__ = ["LowRankMultivariateNormal"]

_LOG_2PI = math.log(2 * math.pi)


def _plus_identity(k: Tensor) -> Tensor:
    """K + I. (torch adds 1 in place through a view of K's diagonal: same values and
    gradient.)"""
    return k + eye(k.shape[-1], dtype=k.dtype)


def _over_diag(w: Tensor, d: Tensor) -> Tensor:
    """W^T D^-1."""
    return w.mT / d.unsqueeze(-2)


def _capacitance_cholesky(w: Tensor, d: Tensor) -> Tensor:
    """The lower Cholesky factor of C = I + W^T D^-1 W."""
    k = _ops.matmul(_over_diag(w, d), w).contiguous()
    return linalg.cholesky(_plus_identity(k))


def _lowrank_log_det(w: Tensor, d: Tensor, cap_tril: Tensor) -> Tensor:
    """log det(W W^T + D) = log det C + log det D (the matrix determinant lemma)."""
    return 2 * cap_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1) + d.log().sum(-1)


def _lowrank_mahalanobis(w: Tensor, d: Tensor, x: Tensor, cap_tril: Tensor) -> Tensor:
    """x^T (W W^T + D)^-1 x = x^T D^-1 x - |C_L^-1 W^T D^-1 x|^2 (Woodbury), C_L the
    capacitance's Cholesky factor."""
    projected = _matvec(_over_diag(w, d), x)
    return (x.pow(2) / d).sum(-1) - _mahalanobis_sq(cap_tril, projected)


class LowRankMultivariateNormal(Distribution):
    """N(loc, cov_factor cov_factor^T + diag(cov_diag)).

    ``rsample`` is mu + W e_W + sqrt(D) e_D, drawing first the m entries of e_W, then the n of
    e_D per event with ``normal_`` (torch's order)."""

    arg_constraints = {"loc": constraints.real_vector,
                       "cov_factor": constraints.independent(constraints.real, 2),
                       "cov_diag": constraints.independent(constraints.positive, 1)}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc: Tensor, cov_factor: Tensor, cov_diag: Tensor,
                 validate_args: bool | None = None) -> None:
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        event_shape = loc.shape[-1:]
        if cov_factor.dim() < 2:
            raise ValueError("cov_factor must be at least two-dimensional, with optional "
                             "leading batch dimensions")
        if cov_factor.shape[-2:-1] != event_shape:
            raise ValueError(f"cov_factor must be a batch of matrices with shape "
                             f"{event_shape[0]} x m")
        if cov_diag.shape[-1:] != event_shape:
            raise ValueError(f"cov_diag must be a batch of vectors with shape {event_shape}")
        # broadcast the three batch shapes together, each seen as a column beside W
        try:
            loc_col, self.cov_factor, diag_col = _ops.broadcast_tensors(
                loc.unsqueeze(-1), cov_factor, cov_diag.unsqueeze(-1))
        except RuntimeError as e:
            raise ValueError(f"Incompatible batch shapes: loc {loc.shape}, cov_factor "
                             f"{cov_factor.shape}, cov_diag {cov_diag.shape}") from e
        self.loc, self.cov_diag = loc_col[..., 0], diag_col[..., 0]
        self._unbroadcasted_cov_factor = cov_factor
        self._unbroadcasted_cov_diag = cov_diag
        self._capacitance_tril = _capacitance_cholesky(cov_factor, cov_diag)
        super().__init__(self.loc.shape[:-1], event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(LowRankMultivariateNormal, _instance)
        batch_shape = Size(batch_shape)
        vector_shape = batch_shape + self.event_shape
        new.loc = self.loc.expand(vector_shape)
        new.cov_diag = self.cov_diag.expand(vector_shape)
        new.cov_factor = self.cov_factor.expand(vector_shape + self.cov_factor.shape[-1:])
        for name in ("_unbroadcasted_cov_factor", "_unbroadcasted_cov_diag",
                     "_capacitance_tril"):
            setattr(new, name, getattr(self, name))
        super(LowRankMultivariateNormal, new).__init__(batch_shape, self.event_shape,
                                                       validate_args=False)
        new._validate_args = self._validate_args
        return new

    def _parts(self) -> tuple:
        return (self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag,
                self._capacitance_tril)

    def _full(self, t: Tensor) -> Tensor:
        return t.expand(self._batch_shape + self._event_shape + self._event_shape)

    mean = property(lambda self: self.loc)
    mode = property(lambda self: self.loc)

    @lazy_property
    def variance(self) -> Tensor:
        w, d, _ = self._parts()
        return (w.pow(2).sum(-1) + d).expand(self._batch_shape + self._event_shape)

    @lazy_property
    def scale_tril(self) -> Tensor:
        """sqrt(D) chol(I + D^-1/2 W W^T D^-1/2): a Cholesky factor of W W^T + D whose inner
        factorization stays well conditioned."""
        w, d, _ = self._parts()
        root_d = d.sqrt().unsqueeze(-1)
        scaled = w / root_d
        inner = _ops.matmul(scaled, scaled.mT).contiguous()
        return self._full(root_d * linalg.cholesky(_plus_identity(inner)))

    @lazy_property
    def covariance_matrix(self) -> Tensor:
        w, d, _ = self._parts()
        return self._full(_ops.matmul(w, w.mT) + _diag_embed(d))

    @lazy_property
    def precision_matrix(self) -> Tensor:
        """D^-1 - A^T A with A = C_L^-1 W^T D^-1 (Woodbury)."""
        w, d, cap_tril = self._parts()
        a = linalg.solve_triangular(cap_tril, _over_diag(w, d), upper=False)
        return self._full(_diag_embed(d.reciprocal()) - a.mT @ a)

    def rsample(self, sample_shape=Size()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        like = {"dtype": self.loc.dtype, "device": self.loc.device}
        eps_w = _standard_normal(shape[:-1] + self.cov_factor.shape[-1:], **like)
        eps_d = _standard_normal(shape, **like)
        w, d, _ = self._parts()
        return self.loc + _matvec(w, eps_w) + d.sqrt() * eps_d

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        w, d, cap_tril = self._parts()
        m = _lowrank_mahalanobis(w, d, value - self.loc, cap_tril)
        return -0.5 * (self._event_shape[0] * _LOG_2PI + _lowrank_log_det(*self._parts()) + m)

    def entropy(self):
        h = 0.5 * (self._event_shape[0] * (1.0 + _LOG_2PI) + _lowrank_log_det(*self._parts()))
        return h.expand(self._batch_shape) if self._batch_shape else h
