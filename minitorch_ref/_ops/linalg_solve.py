"""torch.linalg's inverse, determinants and linear solvers, with torch's derivatives:
``inv``/``inv_ex``, ``det``, ``slogdet`` (and ``torch.logdet``), ``solve``/``solve_ex``,
``solve_triangular``, ``torch.cholesky_solve``, ``torch.cholesky_inverse``, ``cross``,
``vecdot``, ``matrix_power``, ``multi_dot``.

Conventions used in the docstrings: ``^T`` swaps the last two dims; every op works on batches
of matrices (the leading dims), and the batch dims of two operands broadcast (the engine sums
a gradient back over broadcast dims). LAPACK (through NumPy) does the factorizations, as it does
in torch; a matrix whose LU factorization meets an exactly zero pivot is singular (torch's
``LinAlgError``, which names the pivot: ``_lu_zero_pivot`` recomputes it only on that path).
"""
from __future__ import annotations

import numpy as np

from ..autograd.function import ArrayFunction
from ..autograd.graph_array import GraphArray, unwrap
from .._names import c_type_name, scalar_type_name
from ._arguments import argument_error
from ._util import Tensor, shape_str
from .linalg import Matmul
from .out import supports_out

# the torch.* names (torch.linalg's are imported by minitorch_ref/linalg.py)
__all__ = ["inverse", "det", "slogdet", "logdet", "cholesky_solve", "cholesky_inverse",
           "matrix_power", "matrix_exp", "cross"]


class LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError: a matrix operation failed on its input (a singular matrix, one
    that is not positive-definite, an SVD that does not converge)."""


# -- argument checks with torch's messages ----------------------------------------------------

def check_matrix(fn: str, a: np.ndarray, square: bool = True, name: str = "A",
                 refusal: str | None = None) -> None:
    """At least two dims and (``square``) square matrices, with torch's messages prefixed by
    ``fn``; then the dtype, refused as torch refuses it for that function (``refusal``:
    the key of ``_REFUSALS``, default ``fn``)."""
    prefix = f"{fn}: " if fn else ""
    if a.ndim < 2:
        raise RuntimeError(f"{prefix}The input tensor {name} must have at least 2 dimensions.")
    if square and a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"{prefix}{name} must be batches of square matrices, but they are "
                           f"{a.shape[-2]} by {a.shape[-1]} matrices")
    check_floating(refusal or fn, a)


# How torch refuses a dtype a function does not compute in, for (integers and bool, float16):
# "expected": '<fn>: Expected a floating point or complex tensor as input. Got Long';
# "low": '<fn>: Low precision dtypes not supported. Got Half'; "double": 'This function
# doesn't handle types other than float and double'; another string names the CPU kernel
# ('"lu_cpu" not implemented for 'Half''); None: computed (float16 through float32).
_REFUSALS = {
    "linalg.inv": ("expected", "low"),
    "linalg.det": ("expected", "lu_cpu"),
    "linalg.slogdet": ("expected", "low"),
    "logdet": ("expected", "low"),
    "linalg.solve": ("expected", "lu_cpu"),
    "linalg.solve_triangular": ("triangular_solve_cpu", "triangular_solve_cpu"),
    "cholesky_solve": ("cholesky_solve_cpu", "cholesky_solve_cpu"),
    "cholesky_inverse": ("cholesky_inverse_out_cpu", "cholesky_inverse_out_cpu"),
    "linalg.cholesky": ("expected", "cholesky_cpu"),
    "cholesky": ("cholesky_cpu", "cholesky_cpu"),
    "linalg.eigh": ("linalg_eigh_cpu", "linalg_eigh_cpu"),
    "linalg.svd": ("expected", "linalg_svd_cpu"),
    "linalg.qr": ("expected", "geqrf_cpu"),
    "linalg.lstsq": ("double", "double"),
    "torch.linalg.matrix_rank": ("double", "double"),
    "linalg.matrix_exp": ("expected", None),
}


def check_floating(fn: str, a: np.ndarray) -> None:
    """float32 and float64 pass; other dtypes meet ``fn``'s refusal (``_REFUSALS``)."""
    if a.dtype in (np.float32, np.float64):
        return
    kind = _REFUSALS[fn][1 if a.dtype == np.float16 else 0]
    if kind is None:
        return
    if kind == "expected":
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got "
                           f"{scalar_type_name(a.dtype)}")
    if kind == "low":
        raise RuntimeError(f"{fn}: Low precision dtypes not supported. Got Half")
    if kind == "double":
        raise RuntimeError("This function doesn't handle types other than float and double")
    raise NotImplementedError(f"\"{kind}\" not implemented for '{scalar_type_name(a.dtype)}'")


def batch_prefix(a: np.ndarray, index: int) -> str:
    """torch's "(Batch element i): " for batched inputs, nothing for a single matrix."""
    return f"(Batch element {index}): " if a.ndim > 2 else ""


def _t(a: np.ndarray) -> np.ndarray:
    return np.swapaxes(a, -1, -2)


def _lu_zero_pivot(a: np.ndarray) -> np.ndarray:
    """For each matrix of ``a`` (..., n, n): the 1-based index of the first exactly zero pivot
    of its LU factorization with partial pivoting (LAPACK's ``info``), 0 if there is none.
    Gaussian elimination, column by column over the whole batch at once."""
    n = a.shape[-1]
    lu = np.array(a, dtype=a.dtype).reshape((-1, n, n))
    info = np.zeros(lu.shape[0], np.int32)
    rows = np.arange(lu.shape[0])
    for k in range(n):
        p = k + np.argmax(np.abs(lu[:, k:, k]), axis=1)   # the first largest, as idamax
        lu[rows, k], lu[rows, p] = lu[rows, p], lu[rows, k].copy()
        pivot = lu[:, k, k]
        zero = pivot == 0
        info[(info == 0) & zero] = k + 1
        # a zero pivot is the largest |entry| of its column: the column below it is zero too,
        # and the elimination step is a no-op there
        col = lu[:, k + 1:, k] / np.where(zero, 1, pivot)[:, None]
        lu[:, k + 1:, k] = col
        lu[:, k + 1:, k + 1:] -= col[:, :, None] * lu[:, k, None, k + 1:]
    return info.reshape(a.shape[:-2])


# Under create_graph a backward runs on GraphArrays (autograd/graph_array.py), which record the
# NumPy calls they meet as the library's ops. NumPy's linalg calls have no such counterpart, so
# the helpers below call the library's own linalg op on GraphArrays: the derivative's
# derivative then follows from that op's backward.

def recorded(*xs) -> bool:
    """True when a backward runs under create_graph (some argument is a GraphArray)."""
    return any(isinstance(x, GraphArray) for x in xs)


def record(fn, *args, **kwargs):
    """``fn`` (a public op of the library) on GraphArray / ndarray arguments, as a GraphArray
    (a tuple of them for several results)."""
    res = fn(*[unwrap(a) if isinstance(a, (GraphArray, np.ndarray)) else a for a in args],
             **kwargs)
    return tuple(GraphArray(r) for r in res) if isinstance(res, tuple) else GraphArray(res)


def set_diagonal(x, values):
    """x with its diagonal (last two dims) replaced by ``values`` (a number, or (..., n): each
    matrix's diagonal), as a new array rather than a write through a view, which also records
    under create_graph."""
    eye = np.eye(x.shape[-1], dtype=bool)
    return np.where(eye, values[..., None, :] if np.ndim(values) else values, x)


def _solve(a: np.ndarray, b: np.ndarray, left: bool) -> np.ndarray:
    """A^-1 B (left) or B A^-1 = (A^-T B^T)^T, for matrices B; raises NumPy's LinAlgError on a
    zero pivot."""
    if recorded(a, b):
        return record(solve, a, b, left=left)
    if left:
        return np.linalg.solve(a, b)
    return _t(np.linalg.solve(_t(a), _t(b)))


def _solve_masked(a: np.ndarray, b: np.ndarray, left: bool):
    """_solve over broadcast batches where some matrices may be singular: (X, info) with X NaN
    where A is singular, and info (over A's own batch dims, as torch's ``solve_ex``) 0 or the
    zero pivot's index."""
    if recorded(a, b):
        return _solve(a, b, left), None
    try:
        return _solve(a, b, left), np.zeros(a.shape[:-2], np.int32)
    except np.linalg.LinAlgError:
        pass
    info = _lu_zero_pivot(a)
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    ok = np.broadcast_to(info == 0, batch)
    a = np.broadcast_to(a, batch + a.shape[-2:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    x = np.full(batch + b.shape[-2:], np.nan, dtype=a.dtype)
    if ok.any():
        x[ok] = _solve(a[ok], b[ok], left)
    return x, info


# -- inverse --------------------------------------------------------------------------------

class InvEx(ArrayFunction):
    """(out, info) = (A^-1, LAPACK's info: 0, or the index of the first zero pivot; the inverse
    of a singular matrix is NaN here).
    dL/dA = -out^T g out^T   (from d(A^-1) = -A^-1 dA A^-1)."""

    _backward_name = "LinalgInvExBackward0"

    @staticmethod
    def forward(ctx, a):
        try:
            out = np.linalg.inv(a)
            info = np.zeros(a.shape[:-2], np.int32)
        except np.linalg.LinAlgError:
            info = _lu_zero_pivot(a)
            out = np.full(a.shape, np.nan, dtype=a.dtype)
            ok = info == 0
            if ok.any():
                out[ok] = np.linalg.inv(a[ok])
        ctx.save_for_backward(out)
        return out, info

    @staticmethod
    def backward(ctx, g, _):
        out, = ctx.saved_tensors
        out_t = _t(out)
        return -(out_t @ (g @ out_t))


@supports_out("linalg_inv_ex", fields=("inverse", "info"))
def inv_ex(A: Tensor, *, check_errors: bool = False, out=None):
    """``(inverse, info)``: the inverse of each matrix, and 0 (or, for a singular matrix, the
    index of the zero pivot) per matrix, without raising unless ``check_errors``."""
    if not isinstance(A, Tensor):
        raise argument_error(inv_ex, locals(), name="linalg_inv_ex", tensors=("A",))
    check_matrix("linalg.inv", A._data)
    res = InvEx.apply(A)
    if check_errors:
        _raise_inv(A._data, res[1]._data, "linalg.inv_ex")
    return _return("linalg_inv_ex", ("inverse", "info"), res)


def _raise_inv(a: np.ndarray, info: np.ndarray, fn: str) -> None:
    bad = np.flatnonzero(info)
    if bad.size:
        i = int(bad[0])
        raise LinAlgError(
            f"{fn}: {batch_prefix(a, i)}The diagonal element {int(info.reshape(-1)[i])} is zero, "
            "the inversion could not be completed because the input matrix is singular.")


@supports_out("linalg_inv", rule="exact", overlap=None)
def inv(A: Tensor, *, out=None) -> Tensor:
    """The inverse of each square matrix; torch's LinAlgError for a singular one."""
    if not isinstance(A, Tensor):
        raise argument_error(inv, locals(), name="linalg_inv", tensors=("A",))
    check_matrix("linalg.inv", A._data)
    result, info = InvEx.apply(A)
    _raise_inv(A._data, info._data, "linalg.inv")
    return result


def inverse(input: Tensor, *, out=None) -> Tensor:
    """torch.inverse: ``linalg.inv``."""
    if not isinstance(input, Tensor):
        raise argument_error(inverse, locals())
    return inv(input, out=out)


# -- determinants ---------------------------------------------------------------------------

class Det(ArrayFunction):
    """out = det(A) (LU: the product of the pivots, signed by the row swaps).
    dL/dA = g out A^-T (the cofactor matrix times g); 0 where out is 0, as torch (whose solve
    then runs on a zero right-hand side)."""

    _backward_name = "LinalgDetBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.asarray(np.linalg.det(a), dtype=a.dtype)
        ctx.save_for_backward(a, out)
        ctx._kept_on_rebind = (0,)  # torch's backward reads A's LU factors, made in forward
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        d = g * out
        eye = np.eye(a.shape[-1], dtype=a.dtype)
        if recorded(a, g):
            # torch's recorded backward takes the adjugate through an SVD where |det| < 100 eps
            if np.any(np.abs(unwrap(out)._data) < 100 * np.finfo(a.dtype).eps):
                raise RuntimeError("create_graph=True: the double backward of linalg.det at a "
                                   "(nearly) singular matrix is not implemented")
            return _solve(_t(a), d[..., None, None] * eye, True)
        grad = np.zeros(a.shape, dtype=a.dtype)
        ok = out != 0
        if a.size and ok.any():
            grad[ok] = np.linalg.solve(_t(a[ok]), d[ok][..., None, None] * eye)
        return grad


@supports_out("_linalg_det", rule="exact", overlap=None)
def det(A: Tensor, *, out=None) -> Tensor:
    """The determinant of each square matrix."""
    if not isinstance(A, Tensor):
        raise argument_error(det, locals(), tensors=("A",))
    check_matrix("linalg.det", A._data)
    return Det.apply(A)


class Slogdet(ArrayFunction):
    """(sign, logabsdet) with det(A) = sign exp(logabsdet); sign 0 and logabsdet -inf for a
    singular matrix. The sign's gradient is 0 (it is piecewise constant).
    dL/dA = g_logabsdet A^-T   (d log|det A| = tr(A^-1 dA)); NaN for a singular A."""

    _backward_name = "LinalgSlogdetBackward0"

    @staticmethod
    def forward(ctx, a):
        sign, logabsdet = np.linalg.slogdet(a)
        ctx.save_for_backward(a)
        return (np.asarray(sign, dtype=a.dtype), np.asarray(logabsdet, dtype=a.dtype))

    @staticmethod
    def backward(ctx, _, g):
        a, = ctx.saved_tensors
        if g is None:
            return None
        eye = np.eye(a.shape[-1], dtype=a.dtype)
        grad, _ = _solve_masked(_t(a), g[..., None, None] * eye, True)
        return grad


@supports_out("linalg_slogdet", fields=("sign", "logabsdet"))
def slogdet(A: Tensor, *, out=None):
    """``(sign, logabsdet)`` of each square matrix."""
    if not isinstance(A, Tensor):
        raise argument_error(slogdet, locals(), tensors=("A",))
    check_matrix("linalg.slogdet", A._data)
    return _return("linalg_slogdet", ("sign", "logabsdet"), Slogdet.apply(A))


def logdet(input: Tensor) -> Tensor:
    """log det(A): NaN for a negative determinant, -inf for a singular matrix (torch composes it
    as ``where(sign == -1, nan, logabsdet)``)."""
    if not isinstance(input, Tensor):
        raise argument_error(logdet, locals())
    from .indexing import where
    check_matrix("logdet", input._data)
    sign, logabsdet = Slogdet.apply(input)
    return where(sign == -1, float("nan"), logabsdet)


# -- linear systems -------------------------------------------------------------------------

def _is_vector_rhs(a: np.ndarray, b: np.ndarray) -> bool:
    """torch's rule: B is a vector (or a batch of them) if it is 1-D, or if it has one dim less
    than A and the shape of A without its last dim."""
    return b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])


class SolveEx(ArrayFunction):
    """(X, info) with A X = B (``left``) or X A = B; X is NaN and info the zero pivot's index
    for a singular A. A vector B is solved as a column.
    dL/dB = A^-T g (left) or g A^-T;   dL/dA = -dL/dB X^T (left) or -X^T dL/dB."""

    _backward_name = "LinalgSolveExBackward0"

    @staticmethod
    def forward(ctx, a, b, left, vector):
        if vector:
            b = b[..., None]
        x, info = _solve_masked(a, b, left)
        if info is None:   # (a replay under create_graph: the first pass checked A)
            info = np.zeros(a.shape[:-2], np.int32)
        ctx.save_for_backward(a, x)
        ctx._kept_on_rebind = (0,)  # torch's backward reads A's LU factors, made in forward
        ctx.left, ctx.vector = left, vector
        return (x[..., 0] if vector else x), info

    @staticmethod
    def backward(ctx, g, _):
        a, x = ctx.saved_tensors
        left = ctx.left
        if ctx.vector:
            g = g[..., None]
        gb, _ = _solve_masked(_t(a), g, left)
        ga = None
        if ctx.needs_input_grad[0]:
            ga = -(gb @ _t(x)) if left else -(_t(x) @ gb)
        if ctx.vector:
            gb = gb[..., 0]
        return ga, gb, None, None


def _check_solve(fn: str, A: Tensor, B: Tensor, left: bool) -> bool:
    a, b = A._data, B._data
    check_matrix(fn, a)
    if a.dtype != b.dtype:
        raise RuntimeError(f"{fn}: Expected A and B to have the same dtype, but found A of type "
                           f"{scalar_type_name(a.dtype)} and B of type "
                           f"{scalar_type_name(b.dtype)} instead")
    vector = _is_vector_rhs(a, b)
    bm = b[..., None] if vector else b
    n = a.shape[-1]
    if (bm.shape[-2] if left else bm.shape[-1]) != n:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(f"{fn}: Incompatible shapes of A and B for the equation {eq} "
                           f"({a.shape[-2]}x{a.shape[-1]} and {bm.shape[-2]}x{bm.shape[-1]})")
    from ._util import broadcast_shapes_or_raise
    broadcast_shapes_or_raise(bm.shape[:-2], a.shape[:-2])
    return vector


@supports_out("linalg_solve_ex", fields=("result", "info"))
def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False, out=None):
    """``(result, info)``: the solution of A X = B (X A = B with ``left=False``) and 0, or the
    zero pivot's index for a singular A, without raising unless ``check_errors``."""
    if not (isinstance(A, Tensor) and isinstance(B, Tensor)):
        raise argument_error(solve_ex, locals(), name="linalg_solve_ex", tensors=("A", "B"))
    vector = _check_solve("linalg.solve", A, B, left)
    res = SolveEx.apply(A, B, left, vector)
    if check_errors:
        _raise_solve(res[1]._data)
    return _return("linalg_solve_ex", ("result", "info"), res)


def _raise_solve(info: np.ndarray) -> None:
    """torch's error for the first singular matrix (info: one entry per broadcast batch)."""
    bad = np.flatnonzero(info)
    if bad.size:
        prefix = f"(Batch element {bad[0]}): " if info.ndim else ""
        raise LinAlgError(f"torch.linalg.solve: {prefix}The solver failed because the input "
                          "matrix is singular.")


@supports_out("linalg_solve", rule="exact", overlap=None)
def solve(A: Tensor, B: Tensor, *, left: bool = True, out=None) -> Tensor:
    """X with A X = B (``left=False``: X A = B). B is a vector if it is 1-D or has A's shape
    without the last dim; batch dims broadcast."""
    if not (isinstance(A, Tensor) and isinstance(B, Tensor)):
        raise argument_error(solve, locals(), name="linalg_solve", tensors=("A", "B"))
    vector = _check_solve("linalg.solve", A, B, left)
    x, info = SolveEx.apply(A, B, left, vector)
    _raise_solve(info._data)
    return x


def _triangular(a: np.ndarray, upper: bool, unitriangular: bool) -> np.ndarray:
    """The triangle of A the solver reads (the other one is ignored), unit diagonal if asked."""
    t = np.triu(a) if upper else np.tril(a)
    return set_diagonal(t, 1.0) if unitriangular else t


def _substitute(t: np.ndarray, b: np.ndarray, upper: bool) -> np.ndarray:
    """T^-1 B by back (upper) or forward substitution, row by row over the batch: the path of
    a triangular matrix with a zero on its diagonal, giving inf/NaN as LAPACK's trsm does."""
    n = t.shape[-1]
    batch = np.broadcast_shapes(t.shape[:-2], b.shape[:-2])
    t = np.broadcast_to(t, batch + t.shape[-2:])
    x = np.array(np.broadcast_to(b, batch + b.shape[-2:]), dtype=np.result_type(t, b))
    order = range(n - 1, -1, -1) if upper else range(n)
    for i in order:
        rest = slice(i + 1, n) if upper else slice(0, i)
        if (i < n - 1) if upper else (i > 0):
            x[..., i, :] -= np.einsum("...j,...jk->...k", t[..., i, rest], x[..., rest, :])
        x[..., i, :] /= t[..., i, i, None]
    return x


def _solve_triangular(a: np.ndarray, b: np.ndarray, upper: bool, left: bool,
                      unitriangular: bool) -> np.ndarray:
    """T^-1 B (left) or B T^-1 for T the triangle of A."""
    if recorded(a, b):
        return record(solve_triangular, a, b, upper=upper, left=left,
                      unitriangular=unitriangular)
    t = _triangular(a, upper, unitriangular)
    try:
        return _solve(t, b, left)
    except np.linalg.LinAlgError:
        if left:
            return _substitute(t, b, upper)
        return _t(_substitute(_t(t), _t(b), not upper))


class SolveTriangular(ArrayFunction):
    """X = T^-1 B (``left``) or B T^-1 for T the upper or lower triangle of A (its diagonal
    taken as ones if ``unitriangular``).
    dL/dB = T^-T g (left) or g T^-T;   dL/dA = -dL/dB X^T (left) or -X^T dL/dB, kept on T's
    triangle (strictly, if unitriangular): the other entries do not enter the result."""

    _backward_name = "LinalgSolveTriangularBackward0"

    @staticmethod
    def forward(ctx, a, b, upper, left, unitriangular):
        x = _solve_triangular(a, b, upper, left, unitriangular)
        ctx.save_for_backward(a, x)
        ctx.flags = upper, left, unitriangular
        return x

    @staticmethod
    def backward(ctx, g):
        a, x = ctx.saved_tensors
        upper, left, unit = ctx.flags
        gb = _solve_triangular(_t(a), g, not upper, left, unit)
        ga = None
        if ctx.needs_input_grad[0]:
            ga = -(gb @ _t(x)) if left else -(_t(x) @ gb)
            ga = np.triu(ga, int(unit)) if upper else np.tril(ga, -int(unit))
        return ga, gb if ctx.needs_input_grad[1] else None, None, None, None


@supports_out("linalg_solve_triangular", rule="exact", overlap=None)
def solve_triangular(A: Tensor, B: Tensor, *, upper: bool, left: bool = True,
                     unitriangular: bool = False, out=None) -> Tensor:
    """The solution of T X = B (X T = B with ``left=False``), T the upper or lower triangle of
    A; B has at least 2 dims; batch dims broadcast."""
    fn = "linalg.solve_triangular"
    a, b = A._data, B._data
    if b.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor B must have at least 2 dimensions.")
    check_matrix(fn, a)
    if a.dtype != b.dtype:
        raise RuntimeError(f"{fn}: Expected A and B to have the same dtype, but found A of type "
                           f"{scalar_type_name(a.dtype)} and B of type "
                           f"{scalar_type_name(b.dtype)} instead")
    if (b.shape[-2] if left else b.shape[-1]) != a.shape[-1]:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(f"{fn}: Incompatible shapes of A and B for the equation {eq} "
                           f"({a.shape[-2]}x{a.shape[-1]} and {b.shape[-2]}x{b.shape[-1]})")
    return SolveTriangular.apply(A, B, upper, left, unitriangular)


# -- Cholesky-based solves --------------------------------------------------------------------

def _cholesky_solve(b: np.ndarray, c: np.ndarray, upper: bool) -> np.ndarray:
    """A^-1 B for A = L L^T (c = L, lower) or U^T U (c = U): two triangular solves."""
    lower = _t(c) if upper else c
    y = _solve_triangular(lower, b, False, True, False)
    return _solve_triangular(_t(lower), y, True, True, False)


class CholeskySolve(ArrayFunction):
    """X = A^-1 B with A = L L^T (L lower) or U^T U (``upper``), from the factor C.
    dL/dB = A^-1 g;  with S = dL/dB X^T + X dL/dB^T:  dL/dC = -S C (lower) or -C S (upper)."""

    _backward_name = "CholeskySolveBackward0"

    @staticmethod
    def forward(ctx, b, c, upper):
        x = _cholesky_solve(b, c, upper)
        ctx.save_for_backward(c, x)
        ctx.upper = upper
        return x

    @staticmethod
    def backward(ctx, g):
        c, x = ctx.saved_tensors
        gb = _cholesky_solve(g, c, ctx.upper)
        gc = None
        if ctx.needs_input_grad[1]:
            s = gb @ _t(x)
            s = s + _t(s)
            gc = -(c @ s) if ctx.upper else -(s @ c)
        return gb, gc, None


@supports_out("cholesky_solve", rule="exact", overlap=None)
def cholesky_solve(input: Tensor, input2: Tensor, upper: bool = False, *, out=None) -> Tensor:
    """torch.cholesky_solve(B, L): the solution of A X = B for A = L L^T (``upper``: U^T U)
    given its Cholesky factor."""
    if not (isinstance(input, Tensor) and isinstance(input2, Tensor)):
        raise argument_error(cholesky_solve, locals(), tensors=("input", "input2"))
    b, c = input._data, input2._data
    if b.ndim < 2:
        raise RuntimeError(f"b should have at least 2 dimensions, but has {b.ndim} dimensions "
                           "instead")
    if c.ndim < 2:
        raise RuntimeError(f"u should have at least 2 dimensions, but has {c.ndim} dimensions "
                           "instead")
    if b.dtype != c.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                           f"{scalar_type_name(b.dtype)} and A of type "
                           f"{scalar_type_name(c.dtype)} instead.")
    check_matrix("", c, refusal="cholesky_solve")
    return CholeskySolve.apply(input, input2, bool(upper))


class CholeskyInverse(ArrayFunction):
    """out = A^-1 with A = L L^T (``upper``: U^T U) from the factor C.
    With S = out (g + g^T) out:  dL/dC = -S C (lower) or -C S (upper)."""

    _backward_name = "CholeskyInverseBackward0"

    @staticmethod
    def forward(ctx, c, upper):
        eye = np.broadcast_to(np.eye(c.shape[-1], dtype=c.dtype), c.shape)
        out = _cholesky_solve(eye, c, upper)
        ctx.save_for_backward(c, out)
        ctx.upper = upper
        return out

    @staticmethod
    def backward(ctx, g):
        c, out = ctx.saved_tensors
        s = out @ ((g + _t(g)) @ out)
        return (-(c @ s) if ctx.upper else -(s @ c)), None


@supports_out("cholesky_inverse", rule="exact", overlap=None)
def cholesky_inverse(input: Tensor, upper: bool = False, *, out=None) -> Tensor:
    """torch.cholesky_inverse(L): (L L^T)^-1 (``upper``: (U^T U)^-1)."""
    if not isinstance(input, Tensor):
        raise argument_error(cholesky_inverse, locals())
    check_matrix("cholesky_inverse", input._data)
    return CholeskyInverse.apply(input, bool(upper))


# -- cross, vecdot ----------------------------------------------------------------------------

class Cross(ArrayFunction):
    """out = a x b along ``dim`` (3-vectors; a and b broadcast).
    dL/da = b x g,   dL/db = g x a."""

    _backward_name = "LinalgCrossBackward0"

    @staticmethod
    def forward(ctx, a, b, dim):
        ctx.save_for_backward(a, b)
        ctx.dim = dim
        return np.cross(a, b, axis=dim)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        dim = ctx.dim
        ga = _cross(b, g, dim) if ctx.needs_input_grad[0] else None
        gb = _cross(g, a, dim) if ctx.needs_input_grad[1] else None
        return ga, gb, None


def _cross(a, b, dim: int):
    if recorded(a, b):
        return record(linalg_cross, a, b, dim=dim)
    return np.cross(a, b, axis=dim)


@supports_out("linalg_cross", rule="exact", overlap=None)
def linalg_cross(input: Tensor, other: Tensor, *, dim: int = -1, out=None) -> Tensor:
    """torch.linalg.cross: the cross product of 3-vectors along ``dim`` (inputs broadcast)."""
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(linalg_cross, locals())
    from .._dtype import result_np_dtype
    from ._util import broadcast_shapes_or_raise, wrap_dim
    a, b = input._data, other._data
    if a.ndim != b.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    shape = broadcast_shapes_or_raise(a.shape, b.shape)
    d = wrap_dim(dim, len(shape))
    if a.shape[d] != 3 or b.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{a.shape[d]} and {b.shape[d]}")
    dt = result_np_dtype(a, b)
    if a.dtype != dt:
        input = input.to(dt)
    if b.dtype != dt:
        other = other.to(dt)
    return Cross.apply(input, other, d - len(shape))


_CROSS_DEPRECATED = (
    "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the "
    "dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to "
    "agree with that of linalg.cross in a future release.")
_cross_warned = []


@supports_out("cross", rule="exact", overlap=None)
def cross(input: Tensor, other: Tensor, dim: int | None = None, *, out=None) -> Tensor:
    """torch.cross: ``linalg.cross`` along ``dim``; without ``dim`` (deprecated, warned once)
    the first dim of size 3."""
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        raise argument_error(cross, locals())
    if dim is None:
        if not _cross_warned:
            _cross_warned.append(True)
            import warnings
            warnings.warn(_CROSS_DEPRECATED, UserWarning, stacklevel=2)
        from ._util import broadcast_shapes_or_raise
        shape = broadcast_shapes_or_raise(input._data.shape, other._data.shape)
        sizes = [i for i, s in enumerate(shape) if s == 3]
        if not sizes:
            raise RuntimeError("no dimension of size 3 in input")
        dim = sizes[0]
    return linalg_cross(input, other, dim=dim)


@supports_out("linalg_vecdot", rule="exact", copy=True)
def vecdot(x: Tensor, y: Tensor, *, dim: int = -1, out=None) -> Tensor:
    """sum(x * y) along ``dim`` (x and y broadcast); two vectors: their dot product."""
    if not (isinstance(x, Tensor) and isinstance(y, Tensor)):
        raise argument_error(vecdot, locals(), name="linalg_vecdot", tensors=("x", "y"))
    if x.dim() == 1 and y.dim() == 1:
        from .linalg import dot
        if x.shape[0] != y.shape[0]:
            dot(x, y)  # torch's size message
        return Matmul.apply(x, y, name="VdotBackward0")   # (torch computes it as vdot)
    return (x * y).sum(dim)


# -- matrix_exp ---------------------------------------------------------------------------------

def _pade13() -> list:
    """The coefficients of the degree-13 Pade approximant of exp, p(x) = sum_j b_j x^j with
    b_j = (26 - j)! 13! / (26! j! (13 - j)!), scaled so that b_13 = 1."""
    from fractions import Fraction
    from math import factorial
    c = [Fraction(factorial(26 - j) * factorial(13), factorial(26) * factorial(j)
                  * factorial(13 - j)) for j in range(14)]
    return [float(cj / c[13]) for cj in c]


_PADE13 = _pade13()
_THETA13 = 5.371920351148152   # the largest 1-norm for which Pade 13 meets double precision


def _expm(a: np.ndarray) -> np.ndarray:
    """exp(A) by scaling and squaring (Higham, SIAM J. Matrix Anal. Appl. 26(4), 2005):
    A / 2^s with s chosen per matrix so that its 1-norm is at most theta_13, the Pade
    approximant r(X) = (V - U)^-1 (V + U) (U odd, V even in X), then r squared s times."""
    if recorded(a):
        return record(matrix_exp, a)
    n = a.shape[-1]
    if a.size == 0:
        return np.array(a)
    b = _PADE13
    norm1 = np.abs(a).sum(-2).max(-1)
    s = np.maximum(0, np.ceil(np.log2(norm1 / _THETA13))).astype(np.int64)
    s = np.where(np.isfinite(norm1), s, 0)
    x = a / np.exp2(s)[..., None, None].astype(a.dtype)
    eye = np.eye(n, dtype=a.dtype)
    x2 = x @ x
    x4 = x2 @ x2
    x6 = x4 @ x2
    u = x @ (x6 @ (b[13] * x6 + b[11] * x4 + b[9] * x2) + b[7] * x6 + b[5] * x4
             + b[3] * x2 + b[1] * eye)
    v = x6 @ (b[12] * x6 + b[10] * x4 + b[8] * x2) + b[6] * x6 + b[4] * x4 + b[2] * x2 \
        + b[0] * eye
    r = np.linalg.solve(v - u, v + u)
    for k in range(int(s.max(initial=0))):
        sq = r @ r
        r = np.where((s > k)[..., None, None], sq, r)
    return r


class MatrixExp(ArrayFunction):
    """out = exp(A) = sum_k A^k / k!.
    dL/dA = the top-right block of exp([[A^T, g], [0, A^T]]) (the adjoint of the Frechet
    derivative of exp at A, by the block-matrix identity; torch's formula)."""

    _backward_name = "LinalgMatrixExpBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _expm(a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        n = a.shape[-1]
        at = _t(a)
        top = np.concatenate([at, g], axis=-1)
        bottom = np.concatenate([np.zeros_like(at), at], axis=-1)   # (recorded: like at)
        return _expm(np.concatenate([top, bottom], axis=-2))[..., :n, n:]


def matrix_exp(A: Tensor) -> Tensor:
    """The matrix exponential of each square matrix."""
    if not isinstance(A, Tensor):
        raise argument_error(matrix_exp, locals(), tensors={"A": "input"})
    check_matrix("linalg.matrix_exp", A._data)
    if A._data.dtype == np.float16:   # (torch computes it; here through float32)
        return MatrixExp.apply(A.float()).half()
    return MatrixExp.apply(A)


# -- matrix_power, multi_dot --------------------------------------------------------------------

@supports_out("linalg_matrix_power", rule="exact", copy=True)
def matrix_power(A: Tensor, n: int, *, out=None) -> Tensor:
    """A^n by repeated squaring, as torch multiplies (so its nodes and rounding follow):
    n = 0: the identity (a recorded copy into a clone of A), n < 0: (A^-1)^|n|; n = 2, 3:
    A A, (A A) A; larger n: the binary digits of n from the lowest, squaring z = A, A^2, A^4,
    ... and multiplying the result by z where a digit is 1."""
    if not isinstance(A, Tensor):
        raise argument_error(matrix_power, locals(), tensors={"A": "input"})
    from .linalg import matmul
    a = A._data
    if a.ndim < 2:
        raise RuntimeError("linalg.matrix_power: The input tensor A must have at least 2 "
                           "dimensions.")
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError("linalg.matrix_power: A must be batches of square matrices, but "
                           f"they are {a.shape[-2]} by {a.shape[-1]} matrices")
    if n == 0:
        from .._creation import eye
        eye_ = eye(a.shape[-1], dtype=A.dtype).expand(a.shape)
        return A.clone().copy_(eye_)
    if n < 0:   # (torch returns A^-1 itself for n = -1, a clone of A for n = 1)
        A = inv(A)
        n = -n
        if n == 1:
            return A
    if n == 1:
        return A.clone()
    if n == 2:
        return matmul(A, A)
    if n == 3:
        return matmul(matmul(A, A), A)
    z = result = None
    while n > 0:
        bit = n % 2
        n //= 2
        z = A if z is None else matmul(z, z)
        if bit:
            result = z if result is None else matmul(result, z)
    return result


@supports_out("linalg_multi_dot", rule="exact", copy=True)
def multi_dot(tensors, *, out=None) -> Tensor:
    """The product of a chain of matrices (the first may be a row vector, the last a column
    vector), in the order of fewest multiplications (torch's dynamic programme; for three
    matrices its cost comparison)."""
    from .linalg import mm
    tensors = list(tensors)
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    first, last = tensors[0], tensors[-1]
    out_shape = []
    mats = list(tensors)
    if first.dim() == 1:
        mats[0] = first.unsqueeze(0)
    elif first.dim() == 2:
        out_shape.append(first.shape[0])
    else:
        raise RuntimeError(f"multi_dot(): the first tensor must be 1D or 2D but got "
                           f"{first.dim()}D")
    if last.dim() == 1:
        mats[-1] = last.unsqueeze(-1)
    elif last.dim() == 2:
        out_shape.append(last.shape[1])
    else:
        raise RuntimeError(f"multi_dot(): the last tensor must be 1D or 2D but got "
                           f"{last.dim()}D")
    for i in range(1, n - 1):
        if tensors[i].dim() != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got "
                               f"{tensors[i].dim()}D")
    for i in range(1, n):
        if mats[i].dtype != mats[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but "
                               f"tensor 0 is {c_type_name(mats[0]._data.dtype)} and tensor {i} "
                               f"{c_type_name(mats[i]._data.dtype)}")
        if mats[i - 1].shape[-1] != mats[i].shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i - 1} and {i} with shapes "
                               f"{shape_str(tensors[i - 1].shape)} and "
                               f"{shape_str(tensors[i].shape)} cannot be multiplied")
    if n == 2:
        result = mm(mats[0], mats[1])
    elif n == 3:
        a, b = mats[0].shape
        c, d = mats[2].shape
        if (a * c) * (b + d) > (b * d) * (a + c):
            result = mm(mats[0], mm(mats[1], mats[2]))
        else:
            result = mm(mm(mats[0], mats[1]), mats[2])
    else:
        result = _chain(mats, _chain_order([m.shape[0] for m in mats] + [mats[-1].shape[1]]),
                        0, n - 1)
    return result.view(out_shape)


def _chain_order(p: list) -> list:
    """The split points of the cheapest parenthesization of matrices p[i] x p[i+1] (the
    classic dynamic programme; the first cheapest split wins a tie)."""
    n = len(p) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = None
            for k in range(i, j):
                q = cost[i][k] + cost[k + 1][j] + p[i] * p[k + 1] * p[j + 1]
                if cost[i][j] is None or q < cost[i][j]:
                    cost[i][j], split[i][j] = q, k
    return split


def _chain(mats: list, split: list, i: int, j: int) -> Tensor:
    from .linalg import mm
    if i == j:
        return mats[i]
    k = split[i][j]
    return mm(_chain(mats, split, i, k), _chain(mats, split, k + 1, j))


def _return(name: str, fields: tuple, values: tuple):
    """The ``torch.return_types.<name>`` named tuple of ``values``."""
    kind = _RETURN_TYPES.get(name)
    if kind is None:
        from ..return_types import make_return
        kind = _RETURN_TYPES[name] = make_return(name, fields)
    return kind(values)


_RETURN_TYPES: dict = {}
