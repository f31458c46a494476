"""torch.linalg's decompositions, with torch's derivatives: ``cholesky``/``cholesky_ex`` (and
``torch.cholesky``), ``eigh``/``eigvalsh``, ``svd`` (and ``torch.svd``), ``qr`` (and
``torch.qr``), ``pinv`` (and ``torch.pinverse``), ``lstsq``, ``matrix_rank``.

LAPACK computes each factorization, through NumPy, as in torch. Eigenvectors and singular
vectors are unique only up to sign (each column of V, each pair of columns of U and V): NumPy's
LAPACK (OpenBLAS) and torch's (MKL) may return different signs for the same matrix, so a result
that depends on the sign is not comparable between the libraries, and torch's derivatives are
only meaningful for losses that do not depend on it (torch's documentation says the same).
Degenerate eigenvalues or singular values make the vector derivatives divide by zero: inf/NaN,
as in torch.
"""
from __future__ import annotations

import warnings

import numpy as np

from ..autograd.function import ArrayFunction
from .._names import scalar_type_name
from ._arguments import argument_error
from ._util import Tensor
from ._util import new_zeros
from .out import supports_out
from .linalg_solve import (LinAlgError, _return, _solve_triangular, _t, batch_prefix,
                           check_floating, check_matrix, record, recorded, set_diagonal)

# the torch.* names that are not torch.linalg's (those are imported by minitorch_ref/linalg.py;
# torch.cholesky, torch.svd and torch.qr are torch_cholesky, torch_svd, torch_qr here)
__all__ = ["pinverse"]


def _eye_like(a: np.ndarray, n: int) -> np.ndarray:
    return np.broadcast_to(np.eye(n, dtype=a.dtype), a.shape[:-2] + (n, n))


# -- Cholesky ---------------------------------------------------------------------------------

def _cholesky_partial(a: np.ndarray):
    """LAPACK's unblocked Cholesky (potf2) on the lower triangle, over the whole batch:
    (L, info). For a matrix that is not positive-definite, info is the order of the first
    leading minor that is not, and L holds what LAPACK leaves: the columns factored so far,
    the failing pivot's value on the diagonal, the input's lower triangle beyond."""
    n = a.shape[-1]
    low = np.tril(a).reshape((-1, n, n))
    info = np.zeros(low.shape[0], np.int32)
    for j in range(n):
        active = info == 0
        d = low[:, j, j] - np.einsum("bk,bk->b", low[:, j, :j], low[:, j, :j])
        bad = active & ~(d > 0)           # not positive, or NaN
        info[bad] = j + 1
        ok = active & (d > 0)
        low[bad, j, j] = d[bad]
        if not ok.any():
            continue
        root = np.sqrt(d[ok])
        low[ok, j, j] = root
        below = low[ok, j + 1:, j] - np.einsum("bik,bk->bi", low[ok, j + 1:, :j], low[ok, j, :j])
        low[ok, j + 1:, j] = below / root[:, None]
    return low.reshape(a.shape), info.reshape(a.shape[:-2])


class CholeskyEx(ArrayFunction):
    """(L, info): A = L L^T with L lower-triangular (``upper``: A = U^T U, U = L^T, from A's
    upper triangle), and info = 0, or the order of the first leading minor of A that is not
    positive-definite. Backward (torch's), with L the lower factor and gL its gradient:

        P = tril(L^T gL),  P_sym = (P + tril(P, -1)^T) / 2,   dL/dA = L^-T P_sym L^-1

    (symmetric: A's perturbations are taken symmetric)."""

    _backward_name = "LinalgCholeskyExBackward0"

    @staticmethod
    def forward(ctx, a, upper):
        src = _t(a) if upper else a          # 'U' reads the upper triangle: that of A^T, lower
        try:
            low = np.linalg.cholesky(src)
            info = np.zeros(a.shape[:-2], np.int32)
            # LAPACK's potrf stops at a NaN pivot; NumPy's may carry the NaN through
            if not np.isfinite(np.einsum("...ii->...i", low)).all():
                raise np.linalg.LinAlgError
        except np.linalg.LinAlgError:
            low, info = _cholesky_partial(src)
        out = _t(low) if upper else low
        ctx.save_for_backward(out)
        ctx.upper = upper
        return out, info

    @staticmethod
    def backward(ctx, g, _):
        return _cholesky_backward(g, ctx.saved_tensors[0], ctx.upper), None


def _cholesky_backward(g: np.ndarray, factor: np.ndarray, upper: bool) -> np.ndarray:
    low = _t(factor) if upper else factor
    gl = _t(g) if upper else g
    p = np.tril(_t(low) @ gl)
    p = 0.5 * (p + _t(np.tril(p, -1)))
    if not recorded(g, factor):
        # one inverse for both triangular solves (NumPy has no triangular solver; each general
        # solve costs more than the inverse), then two small GEMMs
        try:
            inv = np.tril(np.linalg.inv(low))
            return _t(inv) @ p @ inv
        except np.linalg.LinAlgError:   # a zero on L's diagonal: the solves give torch's inf/nan
            pass
    p = _solve_triangular(_t(low), p, True, True, False)
    return _solve_triangular(low, p, False, False, False)


def _raise_not_pd(fn: str, a: np.ndarray, info: np.ndarray) -> None:
    bad = np.flatnonzero(info)
    if bad.size:
        i = int(bad[0])
        raise LinAlgError(
            f"{fn}: {batch_prefix(a, i)}The factorization could not be completed because the "
            f"input is not positive-definite (the leading minor of order "
            f"{int(info.reshape(-1)[i])} is not positive-definite).")


@supports_out("linalg_cholesky_ex", fields=("L", "info"))
def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False, out=None):
    """``(L, info)``: the Cholesky factor and, per matrix, 0 or the order of the first leading
    minor that is not positive-definite (then L holds LAPACK's partial factorization)."""
    if not isinstance(A, Tensor):
        raise argument_error(cholesky_ex, locals(), name="linalg_cholesky_ex",
                             tensors={"A": "input"})
    check_matrix("linalg.cholesky", A._data)
    res = CholeskyEx.apply(A, bool(upper))
    if check_errors:
        _raise_not_pd("linalg.cholesky_ex", A._data, res[1]._data)
    return _return("linalg_cholesky_ex", ("L", "info"), res)


@supports_out("linalg_cholesky", rule="exact", overlap=None)
def cholesky(A: Tensor, *, upper: bool = False, out=None) -> Tensor:
    """The Cholesky factor L (A = L L^T) of each symmetric positive-definite matrix, from its
    lower triangle (``upper=True``: U with A = U^T U, from the upper triangle)."""
    if not isinstance(A, Tensor):
        raise argument_error(cholesky, locals(), name="linalg_cholesky", tensors={"A": "input"})
    check_matrix("linalg.cholesky", A._data)
    factor, info = CholeskyEx.apply(A, bool(upper))
    _raise_not_pd("linalg.cholesky", A._data, info._data)
    return factor


_CHOLESKY_DEPRECATED = (
    "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a "
    "future PyTorch release.\nL = torch.cholesky(A)\nshould be replaced with\n"
    "L = torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, upper=True)\nshould be replaced "
    "with\nU = torch.linalg.cholesky(A).mH\nThis transform will produce equivalent results "
    "for all valid (symmetric positive definite) inputs.")
_warned = []


@supports_out("cholesky", rule="exact", overlap=None)
def torch_cholesky(input: Tensor, upper: bool = False, *, out=None) -> Tensor:
    """torch.cholesky (deprecated in torch: it warns once per process, as torch does)."""
    if not isinstance(input, Tensor):
        raise argument_error(torch_cholesky, locals(), name="cholesky")
    if not _warned:
        _warned.append(True)
        warnings.warn(_CHOLESKY_DEPRECATED, UserWarning, stacklevel=2)
    check_matrix("cholesky", input._data)
    factor, info = CholeskyEx.apply(input, bool(upper), name="CholeskyBackward0")
    _raise_not_pd("cholesky", input._data, info._data)
    return factor


# -- eigh -----------------------------------------------------------------------------------

class Eigh(ArrayFunction):
    """(L, V): A = V diag(L) V^T for symmetric A (from its ``UPLO`` triangle), L ascending.
    Backward (torch's): with S = skew(V^T gV) / 2 = (V^T gV - gV^T V) / 2 and E_ij = L_j - L_i,

        dL/dA = V (S / E + diag(gL)) V^T      (only V diag(gL) V^T when V gets no gradient)

    Repeated eigenvalues make E_ij = 0 off the diagonal: the gradient through V is then inf or
    NaN (torch's too); through L alone it stays finite."""

    _backward_name = "LinalgEighBackward0"

    @staticmethod
    def forward(ctx, a, uplo):
        w, v = np.linalg.eigh(a, UPLO=uplo)
        ctx.save_for_backward(w, v)
        return w, v

    @staticmethod
    def backward(ctx, gl, gv):
        w, v = ctx.saved_tensors
        return _eigh_backward(gl, gv, w, v), None


def _eigh_backward(gl, gv, w, v):
    if gv is None:
        if gl is None:
            return None
        return (v * gl[..., None, :]) @ _t(v)
    vg = _t(v) @ gv
    vg = 0.5 * (vg - _t(vg))
    e = set_diagonal(w[..., None, :] - w[..., :, None], 1.0)
    ret = vg / e
    if gl is not None:
        ret = set_diagonal(ret, gl)
    return v @ (ret @ _t(v))


class Eigvalsh(ArrayFunction):
    """L, the eigenvalues of symmetric A (ascending).      dL/dA = V diag(g) V^T."""

    _backward_name = "LinalgEighBackward0"

    @staticmethod
    def forward(ctx, a, uplo):
        if recorded(a):   # a replay under create_graph: V recorded through eigh
            w, v = record(eigh, a, uplo)
        elif not ctx.needs_input_grad[0]:
            return np.linalg.eigvalsh(a, UPLO=uplo)
        else:
            w, v = np.linalg.eigh(a, UPLO=uplo)
        ctx.save_for_backward(w, v)
        return w

    @staticmethod
    def backward(ctx, g):
        w, v = ctx.saved_tensors
        return _eigh_backward(g, None, w, v), None


def _check_uplo(uplo) -> str:
    if uplo not in ("L", "U", "l", "u"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {uplo}")
    return uplo.upper()


@supports_out("linalg_eigh", fields=("eigenvalues", "eigenvectors"))
def eigh(A: Tensor, UPLO: str = "L", *, out=None):
    """``(eigenvalues, eigenvectors)`` of each symmetric matrix, read from its lower
    (``UPLO='L'``) or upper triangle; eigenvalues ascending, eigenvectors in the columns."""
    if not isinstance(A, Tensor):
        raise argument_error(eigh, locals(), name="linalg_eigh", tensors={"A": "input"})
    check_matrix("linalg.eigh", A._data)
    uplo = _check_uplo(UPLO)
    return _return("linalg_eigh", ("eigenvalues", "eigenvectors"), Eigh.apply(A, uplo))


@supports_out("linalg_eigvalsh", rule="exact", overlap=None)
def eigvalsh(A: Tensor, UPLO: str = "L", *, out=None) -> Tensor:
    """The eigenvalues (ascending) of each symmetric matrix."""
    if not isinstance(A, Tensor):
        raise argument_error(eigvalsh, locals(), name="linalg_eigvalsh", tensors={"A": "input"})
    check_matrix("linalg.eigh", A._data)   # (torch's message names eigh)
    return Eigvalsh.apply(A, _check_uplo(UPLO))


# -- SVD ------------------------------------------------------------------------------------

def _svd(a: np.ndarray, full_matrices: bool):
    """NumPy's SVD, also for matrices with no elements (NumPy refuses them)."""
    m, n = a.shape[-2:]
    if m and n:
        return np.linalg.svd(a, full_matrices=full_matrices)
    k = min(m, n)
    u = _eye_like(a, m) if full_matrices else np.zeros(a.shape[:-2] + (m, k), a.dtype)
    vh = _eye_like(a, n) if full_matrices else np.zeros(a.shape[:-2] + (k, n), a.dtype)
    return np.array(u), np.zeros(a.shape[:-2] + (k,), a.dtype), np.array(vh)


class Svd(ArrayFunction):
    """(U, S, Vh): A = U diag(S) Vh, S descending (``full_matrices``: U and Vh square).
    Backward (torch's; k = min(m, n), U and Vh cut to their first k columns / rows, E_ij =
    S_j^2 - S_i^2 off the diagonal, skew(X) = X - X^T):

        G = (skew(U^T gU) S + S skew(Vh gVh^T)) / E + diag(gS)     (the terms that are given)
        m > n:  dL/dA = (U G + (I - U U^T) gU S^-1) Vh
        m < n:  dL/dA = U (G Vh + S^-1 gVh (I - Vh^T Vh))
        else:   dL/dA = U G Vh

    With S only: dL/dA = U diag(gS) Vh. Repeated singular values divide by zero (inf/NaN, as
    torch); the extra columns of full U, Vh get no gradient (they are not unique)."""

    _backward_name = "LinalgSvdBackward0"

    @staticmethod
    def forward(ctx, a, full_matrices):
        u, s, vh = _svd(a, full_matrices)
        ctx.save_for_backward(u, s, vh)
        return u, s, vh

    @staticmethod
    def backward(ctx, gu, gs, gvh):
        u, s, vh = ctx.saved_tensors
        k = s.shape[-1]
        u, vh = u[..., :k], vh[..., :k, :]
        if gu is not None:
            gu = gu[..., :k]
        if gvh is not None:
            gvh = gvh[..., :k, :]
        return svd_backward(gu, gs, gvh, u, s, vh), None


def svd_backward(gu, gs, gvh, u, s, vh):
    """torch's svd_backward (see ``Svd``); None when no output has a gradient."""
    m, n = u.shape[-2], vh.shape[-1]
    if gu is None and gvh is None:
        if gs is None:
            return None
        return u @ (gs[..., :, None] * vh) if m >= n else (u * gs[..., None, :]) @ vh
    s2 = s * s
    e = set_diagonal(s2[..., None, :] - s2[..., :, None], 1.0)
    if gu is not None:
        uhgu = _t(u) @ gu
        uhgu = uhgu - _t(uhgu)
    if gvh is not None:
        vhgv = vh @ _t(gvh)
        vhgv = vhgv - _t(vhgv)
    if gu is not None and gvh is not None:
        ga = (uhgu * s[..., None, :] + s[..., :, None] * vhgv) / e
    elif gu is not None:
        ga = (uhgu / e) * s[..., None, :]
    else:
        ga = s[..., :, None] * (vhgv / e)
    if gs is not None:
        ga = ga + gs[..., :, None] * np.eye(s.shape[-1], dtype=s.dtype)
    if m > n and gu is not None:
        ga = u @ ga
        gu_sinv = gu / s[..., None, :]
        ga = ga + gu_sinv - u @ (_t(u) @ gu_sinv)
        return ga @ vh
    if m < n and gvh is not None:
        ga = ga @ vh
        sinv_gvh = gvh / s[..., :, None]
        ga = ga + sinv_gvh - (sinv_gvh @ _t(vh)) @ vh
        return u @ ga
    return u @ (ga @ vh) if m >= n else (u @ ga) @ vh


def _check_finite_svd(fn: str, a: np.ndarray) -> None:
    bad = ~np.isfinite(a).all(axis=(-1, -2))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise LinAlgError(f"{fn}: {batch_prefix(a, i)}The algorithm failed to converge because "
                          "the input matrix contained non-finite values.")


@supports_out("linalg_svd", fields=("U", "S", "Vh"))
def svd(A: Tensor, full_matrices: bool = True, *, driver=None, out=None):
    """``(U, S, Vh)`` with A = U diag(S) Vh, singular values descending."""
    if not isinstance(A, Tensor):
        raise argument_error(svd, locals(), name="linalg_svd", tensors=("A",))
    check_matrix("linalg.svd", A._data, square=False)
    _check_driver(driver)
    _check_finite_svd("linalg.svd", A._data)
    return _return("linalg_svd", ("U", "S", "Vh"), Svd.apply(A, bool(full_matrices)))


def _check_driver(driver) -> None:
    if driver is not None:
        raise RuntimeError("torch.linalg.svd: keyword argument `driver=` is only supported on "
                           "CUDA inputs with cuSOLVER backend.")


@supports_out("svd", fields=("U", "S", "V"))
def torch_svd(input: Tensor, some: bool = True, compute_uv: bool = True, *, out=None):
    """torch.svd: ``(U, S, V)`` with A = U diag(S) V^T (V, not Vh; ``some=False``: full U and
    V). ``compute_uv=False``: U and V are zero-filled (m, m) and (n, n) matrices."""
    if not isinstance(input, Tensor):
        raise argument_error(torch_svd, locals(), name="svd")
    from .norms import Svdvals
    a = input._data
    check_matrix("linalg.svd", a, square=False)
    _check_finite_svd("linalg.svd", a)
    if not compute_uv:
        from .._tensor import _new_tensor
        m, n = a.shape[-2:]
        s = Svdvals.apply(input)
        return _return("svd", ("U", "S", "V"), (
            _new_tensor(np.zeros(a.shape[:-2] + (m, m), a.dtype)), s,
            _new_tensor(np.zeros(a.shape[:-2] + (n, n), a.dtype))))
    u, s, vh = Svd.apply(input, not some)
    return _return("svd", ("U", "S", "V"), (u, s, vh.transpose(-2, -1)))


# -- QR -------------------------------------------------------------------------------------

class Qr(ArrayFunction):
    """(Q, R): A = Q R, Q with orthonormal columns, R upper-triangular (mode 'reduced': k =
    min(m, n) columns of Q; 'complete': Q square; 'r': R only, Q empty). Backward (torch's),
    with M = gR R^T - Q^T gQ (the terms that are given):

        m >= n:  dL/dA = (gQ + Q (T + T^T - diag(T))) R^-T,   T = triu(M)
        m <  n:  dL/dA = [Q tril(M^T - M) R_1^-T, 0] + Q gR   (R_1: R's first m columns;
                 zeros in the last n - m columns)

    mode='r' has no derivative (Q is needed); neither has 'complete' with m > n."""

    _backward_name = "LinalgQrBackward0"

    @staticmethod
    def forward(ctx, a, mode):
        m, n = a.shape[-2:]
        if mode == "r":
            r = np.linalg.qr(a, mode="r") if a.size else np.zeros(
                a.shape[:-2] + (min(m, n), n), a.dtype)
            ctx.mode = mode
            return np.zeros((0,), a.dtype), np.asarray(r, dtype=a.dtype)
        if a.size:
            q, r = np.linalg.qr(a, mode=mode)
        else:
            k = m if mode == "complete" else min(m, n)
            q = np.array(_eye_like(a, m)[..., :k])
            r = np.zeros(a.shape[:-2] + (k, n), a.dtype)
        ctx.save_for_backward(q, r)
        ctx.mode = mode
        return q, r

    @staticmethod
    def backward(ctx, gq, gr):
        if ctx.mode == "r":
            raise RuntimeError(
                "The derivative of linalg.qr depends on Q, which is not computed when "
                "mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to "
                "differentiate through linalg.qr.")
        q, r = ctx.saved_tensors
        m, n = q.shape[-2], r.shape[-1]
        if ctx.mode == "complete" and m > n:
            raise RuntimeError("The QR decomposition is not differentiable when "
                               "mode='complete' and nrows > ncols.")
        if gq is None and gr is None:
            return None, None
        if gq is not None:
            ga = (gr @ _t(r) - _t(q) @ gq) if gr is not None else -(_t(q) @ gq)
        else:
            ga = gr @ _t(r)
        if m >= n:
            tri = np.triu(ga)
            sym = tri + _t(np.triu(ga, 1))      # the diagonal once: triu(M) + triu(M, 1)^T
            ga = q @ sym
            if gq is not None:
                ga = ga + gq
            return _solve_triangular(_t(r), ga, False, False, False), None
        x = np.tril(-ga - _t(-ga))
        ga = _solve_triangular(_t(r[..., :, :m]), q @ x, False, False, False)
        ga = np.concatenate([ga, new_zeros(ga, ga.shape[:-1] + (n - m,))], axis=-1)
        if gr is not None:
            ga = ga + q @ gr
        return ga, None


_QR_MODES = ("reduced", "complete", "r")


@supports_out("linalg_qr", fields=("Q", "R"))
def qr(A: Tensor, mode: str = "reduced", *, out=None):
    """``(Q, R)`` with A = Q R (see ``Qr`` for the modes)."""
    if not isinstance(A, Tensor):
        raise argument_error(qr, locals(), name="linalg_qr", tensors=("A",))
    if mode not in _QR_MODES:
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           "'reduced' (default), 'r', or 'complete'")
    check_matrix("linalg.qr", A._data, square=False)
    return _return("linalg_qr", ("Q", "R"), Qr.apply(A, mode))


@supports_out("qr", fields=("Q", "R"))
def torch_qr(input: Tensor, some: bool = True, *, out=None):
    """torch.qr: ``linalg.qr`` with mode 'reduced' (``some``) or 'complete'."""
    if not isinstance(input, Tensor):
        raise argument_error(torch_qr, locals(), name="qr")
    check_matrix("linalg.qr", input._data, square=False)
    q, r = Qr.apply(input, "reduced" if some else "complete")
    return _return("qr", ("Q", "R"), (q, r))


# -- pseudo-inverse, least squares, rank ---------------------------------------------------------

def _tolerances(a: np.ndarray, atol, rtol):
    """torch's (atol, rtol) as float64 arrays: atol 0 when not given; rtol eps(dtype) max(m, n)
    when neither is given, 0 when only a positive atol is."""
    at = np.zeros(()) if atol is None else np.asarray(_value(atol), np.float64)
    if rtol is not None:
        rt = np.asarray(_value(rtol), np.float64)
    else:
        default = np.finfo(a.dtype).eps * max(a.shape[-1], a.shape[-2])
        rt = np.full((), default) if atol is None else np.where(at > 0, 0.0, default)
    return at, rt


def _value(x):
    return x._data if isinstance(x, Tensor) else x


def _pinv(a: np.ndarray, atol, rtol, hermitian: bool) -> np.ndarray:
    """torch's composition: A^+ = V diag(1/S where S > tol, else 0) U^T with tol = max(atol,
    rtol S_max); for hermitian A through its eigendecomposition (|L| in place of S)."""
    at, rt = _tolerances(a, atol, rtol)
    if a.size == 0:
        return np.zeros(a.shape[:-2] + (a.shape[-1], a.shape[-2]), a.dtype)
    if not hermitian:
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        tol = np.maximum(at[..., None], rt[..., None] * s[..., :1])
        s_inv = np.where(s > tol, 1 / s, 0).astype(a.dtype)
        return (_t(vh) * s_inv[..., None, :]) @ _t(u)
    w, v = np.linalg.eigh(a)
    w_abs = np.abs(w)
    tol = np.maximum(at[..., None], rt[..., None] * w_abs.max(-1, keepdims=True))
    w_inv = np.where(w_abs > tol, 1 / w, 0).astype(a.dtype)
    return (v * w_inv[..., None, :]) @ _t(v)


def _pinv_backward(g: np.ndarray, p: np.ndarray, a: np.ndarray) -> np.ndarray:
    """torch's pinv_backward: the gradient of A^+ (Golub & Pereyra), P = A^+:
    m <= n, K = g^T P:   -(P K)^T + K P^T - A P K P^T + P^T P (g^T - K A)
    m > n,  K = P g^T:   -(K P)^T + (g^T - A K) P P^T + P^T K - P^T K P A"""
    m, n = a.shape[-2:]
    ph, gh = _t(p), _t(g)
    if m <= n:
        k = gh @ p
        kph = k @ ph
        return -_t(p @ k) + kph - (a @ p) @ kph + (ph @ p) @ (gh - k @ a)
    k = p @ gh
    phk = ph @ k
    return -_t(k @ p) + ((gh - a @ k) @ p) @ ph + phk - (phk @ p) @ a


class Pinv(ArrayFunction):
    """out = A^+, the Moore-Penrose pseudo-inverse (singular values at or below the tolerance
    count as zero).      dL/dA = torch's pinv_backward(g, out, A) (see ``_pinv_backward``)."""

    _backward_name = "LinalgPinvBackward0"

    @staticmethod
    def forward(ctx, a, atol, rtol, hermitian):
        out = _pinv(a, atol, rtol, hermitian)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        return _pinv_backward(g, out, a), None, None, None


@supports_out("linalg_pinv", rule="exact", overlap=None)
def pinv(A: Tensor, rcond=None, hermitian: bool = False, *, atol=None, rtol=None, out=None):
    """The pseudo-inverse of each matrix. Singular values <= max(atol, rtol * the largest)
    are dropped; by default rtol = eps max(m, n) (``rcond`` is torch's older name of rtol)."""
    if not isinstance(A, Tensor):
        raise argument_error(pinv, locals(), "linalg_pinv")
    a = A._data
    if a.dtype not in (np.float32, np.float64) or a.ndim < 2:
        kind = scalar_type_name(a.dtype)
        raise RuntimeError(f"linalg.pinv({kind}{{[{', '.join(map(str, a.shape))}]}}): "
                           "expected a tensor with 2 or more dimensions of float, double, "
                           "cfloat or cdouble types")
    if rcond is not None:
        rtol = rcond
    return Pinv.apply(A, atol, rtol, bool(hermitian))


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    """torch.pinverse: ``linalg.pinv`` with ``rtol=rcond``."""
    if not isinstance(input, Tensor):
        raise argument_error(pinverse, locals())
    return pinv(input, rtol=rcond)


_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def _lstsq_svd(a: np.ndarray, b: np.ndarray, rcond):
    """The SVD of A over the batch broadcast with B's, and which singular values count:
    those above rcond S_max (rcond default: eps max(m, n))."""
    m, n = a.shape[-2:]
    if rcond is None:
        rcond = float(np.finfo(a.dtype).eps) * max(m, n)
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    u, s, vh = _svd(np.broadcast_to(a, batch + a.shape[-2:]), False)
    keep = s > rcond * s[..., :1] if s.shape[-1] else s > 0
    return u, s, vh, keep


class Lstsq(ArrayFunction):
    """(X, residuals): X minimizes ||A X - B||_F, the minimal-norm such X,

        X = V diag(1/S_i where S_i > rcond S_max, else 0) U^T B      (A = U diag(S) Vh)

    and residuals = sum over rows of (A X - B)^2, which torch returns only for m > n with
    every matrix of full rank, and not for driver 'gelsy' (empty otherwise). Backward
    (torch's), with P = pinv(A):
        from X:          dL/dA = pinv_backward(gX B^T, P, A),   dL/dB = P^T gX
        from residuals:  dL/dA += 2 (gR r) X^T,  dL/dB -= 2 gR r,   r = A X - B."""

    _backward_name = "LinalgLstsqBackward0"

    @staticmethod
    def forward(ctx, a, b, svd, residuals, vector):
        if vector:
            b = b[..., None]
        if recorded(a, b):   # a replay under create_graph: X through the recorded pinv
            x = record(pinv, a) @ b
        else:
            u, s, vh, keep = svd
            s_inv = np.where(keep, 1 / s, 0).astype(a.dtype)
            x = (_t(vh) * s_inv[..., None, :]) @ (_t(u) @ b)
        res = np.zeros((0,), a.dtype)
        if residuals:   # (per column of B, a vector B too)
            res = np.square(a @ x - b).sum(-2)
        ctx.save_for_backward(a, b, x)
        ctx.vector = vector
        return (x[..., 0] if vector else x), res

    @staticmethod
    def backward(ctx, gx, gres):
        a, b, x = ctx.saved_tensors
        vec = ctx.vector
        need_a, need_b = ctx.needs_input_grad[:2]
        ga = gb = None
        if gx is not None:
            gx = gx[..., None] if vec else gx
            p = record(pinv, a) if recorded(a, gx) else _pinv(a, None, None, False)
            if need_a:
                ga = _pinv_backward(gx @ _t(b), p, a)
            if need_b:
                gb = _t(p) @ gx
        if gres is not None and gres.size:
            r = a @ x - b
            gl = gres[..., None, :]
            if need_a:
                term = 2 * ((gl * r) @ _t(x))
                ga = term if ga is None else ga + term
            if need_b:
                term = -2 * gl * r
                gb = term if gb is None else gb + term
        if vec and gb is not None:
            gb = gb[..., 0]
        return ga, gb, None, None, None


def lstsq(A: Tensor, B: Tensor, rcond=None, *, driver=None):
    """``(solution, residuals, rank, singular_values)`` of min ||A X - B|| (see ``Lstsq``);
    batch dims broadcast. ``driver`` (CPU default 'gelsy') decides which extras torch returns:
    rank (not for 'gels'), the singular values ('gelsd', 'gelss'); the others are empty."""
    if not (isinstance(A, Tensor) and isinstance(B, Tensor)):
        raise argument_error(lstsq, locals(), name="linalg_lstsq", tensors={"A": "input", "B": "b"})
    from .._tensor import _new_tensor
    fn = "torch.linalg.lstsq"
    a, b = A._data, B._data
    if a.ndim < 2:
        raise RuntimeError(f"{fn}: input must have at least 2 dimensions.")
    if b.ndim < 1:
        raise RuntimeError(f"{fn}: other must have at least 1 dimension.")
    if not 0 <= a.ndim - b.ndim <= 1:
        raise RuntimeError(f"{fn}: input.dim() must be greater or equal to other.dim() and "
                           "(input.dim() - other.dim()) <= 1")
    check_floating("linalg.lstsq", a)
    if a.dtype != b.dtype:
        raise RuntimeError(f"{fn}: Expected input and other to have the same dtype, but got "
                           f"input's dtype {scalar_type_name(a.dtype)} and other's dtype "
                           f"{scalar_type_name(b.dtype)}")
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
    if (b.shape[-1] if vector else b.shape[-2]) != a.shape[-2]:
        what = "other.size(-1)" if vector else "other.size(-2)"
        raise RuntimeError(f"{fn}: input.size(-2) should match {what}")
    # torch then solves for B[..., None] whenever B has one dim less than A
    vector = a.ndim - b.ndim == 1
    from ._util import broadcast_shapes_or_raise
    broadcast_shapes_or_raise(a.shape[:-2], b.shape[:-1] if vector else b.shape[:-2])
    driver = "gelsy" if driver is None else driver
    if driver not in _DRIVERS:
        raise RuntimeError(f"{fn}: parameter `driver` should be one of (gels, gelsy, gelsd, "
                           "gelss)")
    svd = _lstsq_svd(a, b[..., None] if vector else b, rcond)
    rank = svd[3].sum(-1).astype(np.int64)
    m, n = a.shape[-2:]
    residuals = m > n and driver != "gelsy" and (driver == "gels" or bool(np.all(rank == n)))
    x, res = Lstsq.apply(A, B, svd, residuals, vector)
    empty = np.zeros((0,), a.dtype)
    return _return("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"), (
        x, res, _new_tensor(rank if driver != "gels" else np.zeros((0,), np.int64)),
        _new_tensor(svd[1] if driver in ("gelsd", "gelss") else empty)))


@supports_out("linalg_matrix_rank", rule="exact", overlap=None, differentiable=False)
def matrix_rank(A: Tensor, tol=None, hermitian: bool = False, *, atol=None, rtol=None,
                out=None) -> Tensor:
    """The number of singular values above max(atol, rtol * the largest) per matrix (default
    rtol = eps max(m, n); ``tol`` is torch's older name of atol, with rtol 0)."""
    if not isinstance(A, Tensor):
        raise argument_error(matrix_rank, locals(), "linalg_matrix_rank")
    from .._tensor import _new_tensor
    a = A._data
    check_matrix("torch.linalg.matrix_rank", a, square=False, name="input")
    if tol is not None:
        atol, rtol = tol, 0.0
    at, rt = _tolerances(a, atol, rtol)
    if a.size == 0:
        return _new_tensor(np.zeros(a.shape[:-2], np.int64))
    s = np.abs(np.linalg.eigvalsh(a)) if hermitian else np.linalg.svd(a, compute_uv=False)
    tol_ = np.maximum(at[..., None], rt[..., None] * s.max(-1, keepdims=True))
    return _new_tensor((s > tol_).sum(-1).astype(np.int64))
