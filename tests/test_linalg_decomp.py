"""torch.linalg.cholesky/cholesky_ex (and torch.cholesky), eigh/eigvalsh, svd (and torch.svd),
qr (and torch.qr), pinv (and torch.pinverse), lstsq, matrix_rank against torch: values,
gradients and grad_fn names over shapes (tall, wide, square, batches, empty), float32/float64,
options (upper, UPLO, full_matrices, modes, drivers, tolerances), degenerate cases, and torch's
errors.

Eigenvectors and singular vectors are unique up to sign, and torch's LAPACK (MKL) and ours
(OpenBLAS, through NumPy) may choose differently. So the vectors are compared up to the sign of
each column (``same_up_to_sign``), and gradients are compared for losses that do not depend on
the signs (|V|, V diag(c) V^T, U diag(c) Vh): the only losses torch's derivative is defined for.
"""
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import (FLOAT_DTYPES, LIBS, assert_close, check, check_double, check_raises,
                     to_numpy)


def rand(shape, dtype, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def spd(shape, dtype, seed=0):
    x = np.random.default_rng(seed).standard_normal(shape)
    return (x @ np.swapaxes(x, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def sym(shape, dtype, seed=0):
    x = np.random.default_rng(seed).standard_normal(shape)
    return ((x + np.swapaxes(x, -1, -2)) / 2).astype(dtype)


def same_up_to_sign(ours, theirs, what: str, dtype) -> None:
    """Columns equal up to a sign each (the sign chosen by each library's LAPACK)."""
    o, t = to_numpy(ours), to_numpy(theirs)
    signs = np.sign(np.sum(o * t, axis=-2, keepdims=True))
    signs[signs == 0] = 1
    assert_close(mt.tensor(o * signs), theirs, what, scale=10 if dtype == np.float32 else 1)


# -- Cholesky ---------------------------------------------------------------------------------

CHOL_SHAPES = [(1, 1), (3, 3), (6, 6), (2, 4, 4), (2, 1, 3, 3), (0, 0)]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("shape", CHOL_SHAPES, ids=str)
def test_cholesky(shape, upper, dtype):
    a = spd(shape, dtype)
    check(lambda T, x: T.linalg.cholesky(x, upper=upper), a, grad_fn_name=True)
    check(lambda T, x: T.linalg.cholesky_ex(x, upper=upper), a, grad_fn_name=True)
    check(lambda T, x: T.linalg.cholesky(x, upper=upper), a, layout="transposed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda T, x: T.cholesky(x, upper), a, grad_fn_name=True)


def test_cholesky_reads_one_triangle():
    """The other triangle is not read (it holds noise here); its entries get no gradient
    from the factorization but from the symmetric formula, as torch's."""
    a = spd((4, 4), np.float64)
    noisy = np.tril(a) + np.triu(rand((4, 4), np.float64, 3), 1)
    check(lambda T, x: T.linalg.cholesky(x), noisy)
    check(lambda T, x: T.linalg.cholesky(x.mT, upper=True), noisy)


NOT_PD = {"indefinite": np.array([[1.0, 2.0], [2.0, 1.0]]),
          "third_minor": np.array([[4.0, 2.0, 0.0], [2.0, 2.0, 1.0], [0.0, 1.0, 0.25]]),
          "negative": -np.eye(3), "nan": np.array([[1.0, 0.0], [0.0, np.nan]])}


@pytest.mark.parametrize("name", list(NOT_PD))
def test_cholesky_not_positive_definite(name):
    """torch's LinAlgError naming the first failing minor (and the batch element); the _ex
    form's info and, for the 2x2 case, LAPACK's partial factor."""
    a = NOT_PD[name]
    check_raises(lambda T, x: T.linalg.cholesky(x), a)
    check_raises(lambda T, x: T.linalg.cholesky(x, upper=True), a)
    check_raises(lambda T, x: T.linalg.cholesky_ex(x, check_errors=True), a)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_raises(lambda T, x: T.cholesky(x), a)
    batch = np.stack([np.eye(a.shape[0]), a, a])
    check_raises(lambda T, x: T.linalg.cholesky(x), batch)
    check(lambda T, x: T.linalg.cholesky_ex(x).info, batch)
    if name == "indefinite":
        check(lambda T, x: T.linalg.cholesky_ex(x).L, a, grad=False)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_gradient_32x32(upper, dtype):
    """A batch of 32x32 factors: the backward's one inverse of L and two GEMMs, on a size where
    the inverse's LU pivots."""
    check(lambda T, x: T.linalg.cholesky(x, upper=upper), spd((5, 32, 32), dtype))


@pytest.mark.parametrize("name", list(NOT_PD) + ["zero_pivot"])
def test_cholesky_ex_gradient_not_positive_definite(name):
    """The gradient through the partial factor LAPACK leaves (with a zero on its diagonal the
    inverse fails: the triangular solves give torch's inf and NaN)."""
    a = np.array([[0.0, 0.0], [0.0, 1.0]]) if name == "zero_pivot" else NOT_PD[name]
    check(lambda T, x: T.linalg.cholesky_ex(x).L, a)


def test_torch_cholesky_warns_once():
    mt.linalg.cholesky  # noqa: B018
    from minitorch_ref._ops import linalg_decomp
    linalg_decomp._warned.clear()
    x = mt.tensor(spd((2, 2), np.float64))
    with pytest.warns(UserWarning, match="torch.cholesky is deprecated"):
        mt.cholesky(x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mt.cholesky(x)   # no second warning


# -- eigh ---------------------------------------------------------------------------------------

def _eigh_invariants(T, x, uplo="L"):
    w, v = T.linalg.eigh(x, UPLO=uplo)
    c = T.cos(T.arange(w.shape[-1], dtype=w.dtype))
    return w, v.abs(), (v * c) @ v.mT


EIG_SHAPES = [(1, 1), (2, 2), (4, 4), (2, 5, 5), (3, 1, 3, 3)]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("uplo", ["L", "U"])
@pytest.mark.parametrize("shape", EIG_SHAPES, ids=str)
def test_eigh(shape, uplo, dtype):
    """Eigenvalues, |V| and V diag(c) V^T (sign-free) with their gradients; V itself up to
    signs; eigvalsh; only the UPLO triangle is read."""
    a = sym(shape, dtype)
    noisy = np.tril(a) + np.triu(rand(shape, dtype, 5), 1) if uplo == "L" else \
        np.triu(a) + np.tril(rand(shape, dtype, 5), -1)
    scale = 10 if np.dtype(dtype) == np.float32 else 1  # (eigenvector rounding)
    check(lambda T, x: _eigh_invariants(T, x, uplo), noisy, scale=scale)
    check(lambda T, x: T.linalg.eigvalsh(x, UPLO=uplo), noisy, grad_fn_name=True)
    check(lambda T, x: T.linalg.eigh(x, uplo).eigenvalues, a, layout="transposed")
    res = {T: T.linalg.eigh(T.tensor(noisy), UPLO=uplo) for T in LIBS}
    same_up_to_sign(res[mt].eigenvectors, res[torch].eigenvectors, "eigenvectors", dtype)
    assert res[mt].eigenvalues.grad_fn is None


def test_eigh_grad_fn_names():
    check(lambda T, x: T.linalg.eigh(x), sym((3, 3), np.float64), grad=False,
          grad_fn_name=True)


def test_eigh_repeated_eigenvalues():
    """Through the eigenvalues alone the gradient is finite (V diag(g) V^T); through the
    vectors torch divides by L_j - L_i = 0: inf/NaN, and so do we. The identity's
    eigenvectors are the unit vectors in both libraries."""
    eye = np.eye(3)
    check(lambda T, x: T.linalg.eigvalsh(x), eye)
    check(lambda T, x: T.linalg.eigh(x).eigenvalues, eye)
    grads = {}
    for T in LIBS:
        x = T.tensor(eye, requires_grad=True)
        w, v = T.linalg.eigh(x)
        (v.sum() + w.sum()).backward()
        grads[T] = to_numpy(x.grad)
    assert np.isnan(grads[mt]).any() or np.isinf(grads[mt]).any()
    np.testing.assert_array_equal(np.isfinite(grads[mt]), np.isfinite(grads[torch]))


# -- SVD ----------------------------------------------------------------------------------------

def _svd_invariants(T, x, full):
    u, s, vh = T.linalg.svd(x, full_matrices=full)
    k = s.shape[-1]
    c = T.cos(T.arange(k, dtype=s.dtype)) + 2
    return s, u[..., :k].abs(), vh[..., :k, :].abs(), (u[..., :k] * c) @ vh[..., :k, :]


SVD_SHAPES = [(1, 1), (3, 3), (5, 3), (3, 5), (2, 4, 3), (2, 1, 3, 4), (6, 1), (1, 6)]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("shape", SVD_SHAPES, ids=str)
def test_svd(shape, full, dtype):
    """S, |U|, |Vh| and U diag(c) Vh with gradients (the extra columns of a full U or Vh get
    none); U and Vh themselves up to signs; svdvals and torch.svd."""
    a = rand(shape, dtype)
    scale = 10 if np.dtype(dtype) == np.float32 else 1
    check(lambda T, x: _svd_invariants(T, x, full), a, scale=scale)
    check(lambda T, x: _svd_invariants(T, x, full), a, scale=scale, layout="transposed")
    check(lambda T, x: T.linalg.svd(x, full_matrices=full).S, a, grad_fn_name=True)
    res = {T: T.linalg.svd(T.tensor(a), full_matrices=full) for T in LIBS}
    k = min(shape[-2:])
    same_up_to_sign(res[mt].U[..., :k], res[torch].U[..., :k], "U", dtype)
    same_up_to_sign(res[mt].Vh[..., :k, :].mT, res[torch].Vh[..., :k, :].mT, "Vh", dtype)
    assert res[mt].U.shape == res[torch].U.shape and res[mt].Vh.shape == res[torch].Vh.shape
    # torch.svd: V (not Vh), full with some=False; zeros without compute_uv
    for some in (True, False):
        check(lambda T, x: (lambda r: (r.S, r.U[..., :k].abs(), r.V[..., :k].abs()))(
            T.svd(x, some=some)), a, scale=scale)
    check(lambda T, x: T.svd(x, compute_uv=False), a, grad_fn_name=True)


def test_svd_grad_fn_names_and_shapes():
    """U and Vh are sign-dependent: here their shapes, dtypes and nodes."""
    for shape in [(4, 3), (3, 4), (2, 4, 3)]:
        for full in (True, False):
            res = {T: T.linalg.svd(T.tensor(rand(shape, np.float64), requires_grad=True),
                                   full_matrices=full) for T in LIBS}
            for o, t in zip(res[mt], res[torch]):
                assert o.shape == t.shape and str(o.dtype) == str(t.dtype)
                assert o.grad_fn.name() == t.grad_fn.name()
    for some in (True, False):
        res = {T: T.svd(T.tensor(rand((4, 3), np.float64), requires_grad=True), some=some)
               for T in LIBS}
        for o, t in zip(res[mt], res[torch]):
            assert o.shape == t.shape and o.grad_fn.name() == t.grad_fn.name()


def test_svd_of_empty_matrices():
    for shape in [(0, 3), (3, 0), (2, 0, 0)]:
        for full in (True, False):
            check(lambda T, x: T.linalg.svd(x, full_matrices=full), np.zeros(shape))


def test_svd_non_finite_input():
    a = np.array([[1.0, np.nan], [0.0, 1.0]])
    check_raises(lambda T, x: T.linalg.svd(x), a)
    check_raises(lambda T, x: T.linalg.svd(x), np.stack([np.eye(2), a]))
    check_raises(lambda T, x: T.svd(x), a)


def test_svd_repeated_singular_values():
    """The singular values alone: finite gradient U diag(g) Vh; through U, V: inf/NaN."""
    check(lambda T, x: T.linalg.svdvals(x), 2 * np.eye(3))
    check(lambda T, x: T.linalg.svd(x).S, 2 * np.eye(3))


# -- QR -------------------------------------------------------------------------------------------

QR_SHAPES = [(1, 1), (3, 3), (5, 3), (3, 5), (2, 4, 2), (2, 1, 3, 4), (4, 1), (1, 4)]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
@pytest.mark.parametrize("shape", QR_SHAPES, ids=str)
def test_qr(shape, mode, dtype):
    """Householder QR (the same sign convention in both LAPACKs): Q and R compared directly,
    with gradients where torch has them (not mode='r'; not 'complete' with m > n)."""
    a = rand(shape, dtype)
    m, n = shape[-2:]
    grad = mode == "reduced" or (mode == "complete" and m <= n)
    check(lambda T, x: T.linalg.qr(x, mode=mode), a, grad=grad, grad_fn_name=True)
    if grad:
        check(lambda T, x: T.linalg.qr(x, mode), a, layout="transposed")
        check(lambda T, x: T.linalg.qr(x, mode).R, a)   # gR only
        check(lambda T, x: T.linalg.qr(x, mode).Q, a)   # gQ only
    if mode != "r":
        check(lambda T, x: T.qr(x, some=mode == "reduced"), a, grad=grad, grad_fn_name=True)


@pytest.mark.parametrize("mode", ["r", "complete"])
def test_qr_backward_errors(mode):
    def fn(T):
        x = T.tensor(rand((4, 2), np.float64), requires_grad=True)
        q, r = T.linalg.qr(x, mode=mode)
        (q.sum() + r.sum()).backward() if mode != "r" else r.sum().backward()
    check_raises(fn)


def test_qr_of_empty_matrices():
    for shape in [(0, 3), (3, 0)]:
        for mode in ("reduced", "complete", "r"):
            check(lambda T, x: T.linalg.qr(x, mode=mode), np.zeros(shape), grad=False)


# -- pinv, lstsq, matrix_rank -----------------------------------------------------------------

PINV_SHAPES = [(3, 3), (5, 3), (3, 5), (2, 4, 3), (2, 1, 3, 4), (1, 4)]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("shape", PINV_SHAPES, ids=str)
def test_pinv(shape, dtype):
    a = rand(shape, dtype)
    # float32: the pseudo-inverse amplifies rounding by the condition number (up to ~30 here)
    scale = 30 if np.dtype(dtype) == np.float32 else 1
    check(lambda T, x: T.linalg.pinv(x), a, grad_fn_name=True, scale=scale)
    check(lambda T, x: T.linalg.pinv(x), a, layout="transposed", scale=scale)
    check(lambda T, x: T.pinverse(x), a, grad_fn_name=True, scale=scale)
    if shape[-1] == shape[-2]:
        check(lambda T, x: T.linalg.pinv(x @ x.mT, hermitian=True), a, grad_fn_name=True,
              scale=scale * scale)


def test_pinv_tolerances_drop_small_singular_values():
    """A rank-2 matrix plus a tiny third direction: the tolerance decides whether it counts."""
    u, _ = np.linalg.qr(rand((4, 4), np.float64, 1))
    v, _ = np.linalg.qr(rand((3, 3), np.float64, 2))
    a = (u[:, :3] * np.array([3.0, 1.0, 1e-9])) @ v.T
    for kw in [dict(), dict(rtol=1e-6), dict(atol=1e-6), dict(atol=1e-12, rtol=0.0),
               dict(atol=0.5), dict(rtol=0.5, atol=1e-3)]:
        kept = kw in (dict(), dict(atol=1e-12, rtol=0.0))  # 1/1e-9 amplifies rounding
        check(lambda T, x: T.linalg.pinv(x, **kw), a, grad=False, scale=1e5 if kept else 1)
        check(lambda T, x: T.linalg.matrix_rank(x, **kw), a)
    check(lambda T, x: T.pinverse(x, rcond=1e-6), a, grad=False)
    check(lambda T, x: T.linalg.pinv(x, rtol=T.tensor([1e-6, 0.5], dtype=T.float64)),
          np.stack([a, a]), grad=False)


@pytest.mark.parametrize("hermitian", [False, True])
@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 4), (2, 3, 3), (0, 3)], ids=str)
def test_matrix_rank(shape, hermitian):
    if hermitian and shape[-1] != shape[-2]:
        return
    a = rand(shape, np.float64)
    if hermitian:
        a = a @ np.swapaxes(a, -1, -2)
    rank_deficient = a[..., :1, :] * np.ones(a.shape[-2])[:, None] if a.size else a
    for x in (a, rank_deficient):
        check(lambda T, t: T.linalg.matrix_rank(t, hermitian=hermitian), x)


LSTSQ_SHAPES = [((4, 3), (4, 2)), ((3, 3), (3, 1)), ((2, 5, 3), (2, 5, 2)), ((5, 2), (5,)),
                ((2, 5, 2), (2, 5)), ((3, 5), (3, 2)), ((2, 5, 3), (1, 5, 1))]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("driver", [None, "gelsy", "gelsd", "gelss", "gels"])
@pytest.mark.parametrize("shapes", LSTSQ_SHAPES, ids=str)
def test_lstsq(shapes, driver, dtype):
    """The solution (minimal norm) and, per driver, the residuals, rank and singular values
    torch returns; gradients from the solution and the residuals."""
    if driver == "gels" and shapes[0][-2] < shapes[0][-1]:
        return   # (gels assumes full column rank: underdetermined systems are gelsy's)
    a, b = rand(shapes[0], dtype, 1), rand(shapes[1], dtype, 2)
    scale = 10 if np.dtype(dtype) == np.float32 else 1
    check(lambda T, x, y: T.linalg.lstsq(x, y, driver=driver), a, b, scale=scale,
          grad_fn_name=True)
    check(lambda T, x, y: T.linalg.lstsq(x, y, driver=driver).solution, a, b, scale=scale)


def test_lstsq_rank_deficient():
    a = rand((5, 3), np.float64, 1)
    a[:, 2] = a[:, 0] + a[:, 1]
    b = rand((5, 2), np.float64, 2)
    for driver in ("gelsy", "gelsd", "gelss"):
        check(lambda T, x, y: T.linalg.lstsq(x, y, driver=driver)[2:], a, b, grad=False)
        check(lambda T, x, y: T.linalg.lstsq(x, y, driver=driver).solution, a, b, grad=False)
    check(lambda T, x, y: T.linalg.lstsq(x, y, rcond=0.5, driver="gelsd")[2:], a, b,
          grad=False)


ERRORS = [
    lambda T: T.linalg.cholesky(T.ones(2, 3)),
    lambda T: T.linalg.cholesky(T.ones(3)),
    lambda T: T.linalg.cholesky(T.ones(2, 2, dtype=T.int64)),
    lambda T: T.linalg.eigh(T.ones(2, 3)),
    lambda T: T.linalg.eigh(T.eye(2), UPLO="X"),
    lambda T: T.linalg.eigvalsh(T.ones(3)),
    lambda T: T.linalg.svd(T.ones(3)),
    lambda T: T.linalg.svd(T.ones(2, 2, dtype=T.int64)),
    lambda T: T.linalg.qr(T.eye(2), mode="x"),
    lambda T: T.linalg.qr(T.ones(3)),
    lambda T: T.linalg.pinv(T.ones(3)),
    lambda T: T.linalg.pinv(T.ones(2, 2, dtype=T.int64)),
    lambda T: T.linalg.lstsq(T.ones(3, 2), T.ones(4, 1)),
    lambda T: T.linalg.lstsq(T.ones(3), T.ones(3)),
    lambda T: T.linalg.lstsq(T.ones(3, 2), T.ones(3, 1), driver="foo"),
    lambda T: T.linalg.lstsq(T.ones(3, 2), T.ones(3, 1, dtype=T.float64)),
    lambda T: T.linalg.matrix_rank(T.ones(3)),
    lambda T: T.linalg.lstsq(T.ones(5, 3), T.ones(2, 5, 1)),
    lambda T: T.linalg.lstsq(T.ones(2, 5, 3), T.ones(5, 1)),
    lambda T: T.linalg.lstsq(T.ones(2, 3, 2), T.ones(2, 4)),
    lambda T: T.linalg.lstsq(T.ones(3, 2), T.ones(4)),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors(i):
    check_raises(ERRORS[i])


def test_out():
    a = spd((3, 3), np.float64)
    outs = {}
    for T in LIBS:
        o = (T.empty(0, dtype=T.float64), T.empty(0, dtype=T.float64))
        r = T.linalg.eigh(T.tensor(a), out=o)
        assert r[0] is o[0] and r[1] is o[1]
        outs[T] = o[0]
        c = T.empty(0, dtype=T.float64)
        assert T.linalg.cholesky(T.tensor(a), out=c) is c
        assert_close(c, T.linalg.cholesky(T.tensor(a)))
    assert_close(outs[mt], outs[torch])
    check_raises(lambda T: T.linalg.cholesky(T.tensor(a), out=T.empty(3, 3)))


def _eigh_sign_free(T, x):
    w, v = T.linalg.eigh(x)
    return w, (v * w.unsqueeze(-2).sin()) @ v.mT


def _svd_sign_free(T, x):
    u, s, vh = T.linalg.svd(x, full_matrices=False)
    return s, (u * s.unsqueeze(-2).cos()) @ vh


DOUBLE_CASES = {
    "cholesky": (lambda T, x: T.linalg.cholesky(x), "spd", (3, 3)),
    "cholesky_upper": (lambda T, x: T.linalg.cholesky(x, upper=True), "spd", (2, 3, 3)),
    "eigvalsh": (lambda T, x: T.linalg.eigvalsh(x), "sym", (2, 3, 3)),
    "eigh": (_eigh_sign_free, "sym", (2, 3, 3)),
    "svdvals": (lambda T, x: T.linalg.svd(x).S, "rand", (4, 3)),
    "svd_tall": (_svd_sign_free, "rand", (4, 3)),
    "svd_wide": (_svd_sign_free, "rand", (2, 3, 4)),
    "qr": (lambda T, x: T.linalg.qr(x), "rand", (4, 3)),
    "qr_wide": (lambda T, x: T.linalg.qr(x), "rand", (3, 4)),
    "pinv": (lambda T, x: T.linalg.pinv(x), "rand", (2, 4, 3)),
    "lstsq": (lambda T, x: T.linalg.lstsq(x, x[..., :1].exp()).solution, "rand", (5, 3)),
    "lstsq_residuals": (lambda T, x: T.linalg.lstsq(x, x[..., 0].sin(), driver="gelsd")[:2],
                        "rand", (5, 3)),
}


@pytest.mark.parametrize("name", list(DOUBLE_CASES))
def test_double_backward(name):
    """create_graph through each decomposition (sign-free losses for eigh and svd)."""
    fn, kind, shape = DOUBLE_CASES[name]
    x = {"spd": spd, "sym": sym, "rand": rand}[kind](shape, np.float64)
    check_double(fn, x, grad_fn_name=False)
