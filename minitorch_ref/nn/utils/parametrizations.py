"""torch.nn.utils.parametrizations: orthogonal, weight_norm and spectral_norm as parametrizations
(``parametrize.register_parametrization``), the forms torch recommends over the hook-based
``nn.utils.weight_norm`` / ``nn.utils.spectral_norm``.

* ``weight_norm``: ``parametrizations.weight.original0`` = g (norms over every dimension but
  ``dim``), ``original1`` = v; weight = v * g / ||v||.
* ``spectral_norm``: ``parametrizations.weight.original`` = W and the buffers ``0._u``,
  ``0._v`` of the parametrization module; weight = W / sigma with sigma = u^T W v. u and v
  start as normalized ``normal_(0, 1)`` draws (u first, as torch, so the same seed gives the
  same vectors) refined by 15 power iterations; each access in training mode runs
  ``n_power_iterations`` more (``u = normalize(W v)``, then ``v = normalize(W^T u)``, in place,
  without gradient). Registration itself accesses the weight once (torch's consistency check),
  which runs one round in training mode, as torch's does.
"""
from __future__ import annotations

from ..._ops import dot, mv
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from .. import functional as F
from ..modules.module import Module
from . import parametrize
from .weight_norm import _weight_norm, norm_except_dim

__all__ = ["orthogonal", "weight_norm", "spectral_norm"]


# -- orthogonal ----------------------------------------------------------------------------------
def _is_orthogonal(Q: Tensor) -> bool:
    from ... import allclose, eye
    n, k = Q.size(-2), Q.size(-1)
    eps = 10.0 * n * _finfo_eps(Q)
    return bool(allclose(Q.mT @ Q, eye(k, dtype=Q.dtype), atol=eps))


def _finfo_eps(Q: Tensor) -> float:
    from ... import finfo
    return finfo(Q.dtype).eps


def _make_orthogonal(A: Tensor) -> Tensor:
    """The Q of A = QR with R's diagonal made positive (torch: geqrf, householder_product,
    then the signs of R's diagonal; the same matrix)."""
    from ... import linalg
    Q, R = linalg.qr(A)
    return Q * R.diagonal(dim1=-2, dim2=-1).sgn().unsqueeze(-2)


def _householder_product(A: Tensor, tau: Tensor) -> Tensor:
    """The first k columns of H_1 ... H_k, H_i = I - tau_i v_i v_i^T, where v_i is column i of
    A below the diagonal with 1 on it (LAPACK's orgqr convention, torch.linalg.
    householder_product), composed of differentiable ops."""
    from ... import eye
    n, k = A.size(-2), A.size(-1)
    rows = eye(n, dtype=A.dtype)
    Q = eye(n, dtype=A.dtype).expand(*A.shape[:-2], n, n)
    for i in range(k):
        below = (rows[:, i:i + 1].cumsum(0) - rows[:, i:i + 1]).squeeze(-1)  # 1 for rows > i
        v = A[..., :, i] * below + rows[i]
        h = eye(n, dtype=A.dtype) - tau[..., i, None, None] * (v.unsqueeze(-1) * v.unsqueeze(-2))
        Q = Q @ h
    return Q[..., :k]


class _Orthogonal(Module):
    """Q = base @ map(X): X -> skew-symmetric A -> matrix_exp(A) or the Cayley transform, or X's
    lower part read as Householder reflectors. ``base`` (use_trivialization) is the orthogonal
    matrix nearest the initial weight in the QR sense; the original then starts at -Id, which
    every map sends to the identity."""

    _MAPS = ("matrix_exp", "cayley", "householder")

    def __init__(self, weight: Tensor, orthogonal_map: str, *,
                 use_trivialization: bool = True) -> None:
        super().__init__()
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X: Tensor) -> Tensor:
        from ... import cat, eye, linalg, matrix_exp
        n, k = X.size(-2), X.size(-1)
        transposed = n < k
        if transposed:
            X = X.mT
            n, k = k, n
        if self.orthogonal_map in ("matrix_exp", "cayley"):
            X = X.tril()
            if n != k:
                X = cat([X, X.new_zeros(n, n - k).expand(*X.shape[:-2], -1, -1)], dim=-1)
            A = X - X.mT
            if self.orthogonal_map == "matrix_exp":
                Q = matrix_exp(A)
            else:
                Id = eye(n, dtype=A.dtype)
                Q = linalg.solve(Id - 0.5 * A, Id + 0.5 * A)
            if n != k:
                Q = Q[..., :k]
        else:
            A = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (A * A).sum(dim=-2))
            Q = _householder_product(A, tau)
            Q = Q * X.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)
        if hasattr(self, "base"):
            Q = self.base @ Q
        if transposed:
            Q = Q.mT
        return Q

    def right_inverse(self, Q: Tensor) -> Tensor:
        from ... import cat, eye, randn
        with no_grad():
            if Q.shape != self.shape:
                raise ValueError(f"Expected a matrix or batch of matrices of shape {self.shape}. "
                                 f"Got a tensor of shape {Q.shape}.")
            Q_init = Q
            n, k = Q.size(-2), Q.size(-1)
            if n < k:
                Q = Q.mT
                n, k = k, n
            if not hasattr(self, "base"):
                raise NotImplementedError(
                    "orthogonal(use_trivialization=False) is not implemented in minitorch_ref "
                    "(it needs torch.geqrf's reflectors)")
            if n == k:
                Q = _make_orthogonal(Q) if not _is_orthogonal(Q) else Q.clone()
            else:  # complete Q to n x n with random columns, then orthogonalize
                N = randn(*(tuple(Q.shape[:-2]) + (n, n - k)), dtype=Q.dtype)
                Q = _make_orthogonal(cat([Q, N], dim=-1))
            self.base = Q
            # -Id shaped as the weight (batched too); every map sends it to the identity
            # (+ 0.0 turns the negated zeros into +0.0, as torch's fill of a zero tensor)
            return (-eye(Q_init.size(-2), Q_init.size(-1), dtype=Q_init.dtype) + 0.0).expand(
                Q_init.shape).clone()


def orthogonal(module: Module, name: str = "weight", orthogonal_map: str | None = None, *,
               use_trivialization: bool = True) -> Module:
    """Constrain ``module.<name>`` (a matrix or batch of matrices) to be orthogonal: Q^T Q = I
    (or Q Q^T = I when wide). ``orthogonal_map``: "matrix_exp" (default for square),
    "householder" (default otherwise) or "cayley". Starts at the orthogonalized weight, as
    torch's (a wide or tall one is completed with ``randn`` columns, the same draws)."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError("Expected a matrix or batch of matrices. "
                         f"Got a tensor of {weight.ndim} dimensions.")
    if orthogonal_map is None:
        orthogonal_map = "matrix_exp" if weight.size(-2) == weight.size(-1) else "householder"
    if orthogonal_map not in _Orthogonal._MAPS:
        raise ValueError('orthogonal_map has to be one of "matrix_exp", "cayley", '
                         f'"householder". Got: {orthogonal_map}')
    if not use_trivialization:
        raise NotImplementedError("orthogonal(use_trivialization=False) is not implemented in "
                                  "minitorch_ref (it needs torch.geqrf's reflectors)")
    orth = _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    return module


class _WeightNorm(Module):
    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        if dim is None:
            dim = -1
        self.dim = dim

    def forward(self, weight_g: Tensor, weight_v: Tensor) -> Tensor:
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight: Tensor) -> tuple:
        return norm_except_dim(weight, 2, self.dim), weight


def weight_norm(module: Module, name: str = "weight", dim: int | None = 0) -> Module:
    """Parametrize ``module.<name>`` as g * v / ||v|| (``dim=None``: one norm for the whole
    tensor). Loading a state dict of the hook form (``<name>_g``, ``<name>_v``) works."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def _weight_norm_compat_hook(state_dict, prefix, local_metadata, strict, missing_keys,
                                 unexpected_keys, error_msgs) -> None:
        g_key, v_key = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            state_dict[f"{prefix}parametrizations.{name}.original0"] = state_dict.pop(g_key)
            state_dict[f"{prefix}parametrizations.{name}.original1"] = state_dict.pop(v_key)

    module._register_load_state_dict_pre_hook(_weight_norm_compat_hook)
    return module


class _SpectralNorm(Module):
    def __init__(self, weight: Tensor, n_power_iterations: int = 1, dim: int = 0,
                 eps: float = 1e-12) -> None:
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError("Dimension out of range (expected to be in range of "
                             f"[-{ndim}, {ndim - 1}] but got {dim})")
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but got "
                             f"n_power_iterations={n_power_iterations}")
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            weight_mat = self._reshape_weight_to_matrix(weight)
            h, w = weight_mat.shape
            u = weight_mat.new_empty(h).normal_(0, 1)
            v = weight_mat.new_empty(w).normal_(0, 1)
            self.register_buffer("_u", F.normalize(u, dim=0, eps=self.eps))
            self.register_buffer("_v", F.normalize(v, dim=0, eps=self.eps))
            self._power_method(weight_mat, 15)

    def _reshape_weight_to_matrix(self, weight: Tensor) -> Tensor:
        if self.dim != 0:
            weight = weight.permute(self.dim, *(d for d in range(weight.dim()) if d != self.dim))
        return weight.flatten(1)

    def _power_method(self, weight_mat: Tensor, n_power_iterations: int) -> None:
        with no_grad():
            for _ in range(n_power_iterations):
                self._u = F.normalize(mv(weight_mat, self._v), dim=0, eps=self.eps, out=self._u)
                self._v = F.normalize(mv(weight_mat.t(), self._u), dim=0, eps=self.eps,
                                      out=self._v)

    def forward(self, weight: Tensor) -> Tensor:
        if weight.ndim == 1:
            return F.normalize(weight, dim=0, eps=self.eps)
        weight_mat = self._reshape_weight_to_matrix(weight)
        if self.training:
            self._power_method(weight_mat, self.n_power_iterations)
        u = self._u.clone()
        v = self._v.clone()
        sigma = dot(u, mv(weight_mat, v))  # vdot: u is real
        return weight / sigma

    def right_inverse(self, value: Tensor) -> Tensor:
        return value


def spectral_norm(module: Module, name: str = "weight", n_power_iterations: int = 1,
                  eps: float = 1e-12, dim: int | None = None) -> Module:
    """Parametrize ``module.<name>`` as W / sigma(W), sigma by power iteration (module
    docstring). ``dim`` defaults to 1 for ConvTranspose, else 0."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if dim is None:
        from ..modules.conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
        dim = 1 if isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)) \
            else 0
    parametrize.register_parametrization(
        module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module
