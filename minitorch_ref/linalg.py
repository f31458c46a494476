"""torch.linalg. The decompositions, solvers and matrix functions live with their derivatives in
``_ops/linalg_decomp.py`` (cholesky, eigh, svd, qr, pinv, lstsq, matrix_rank) and
``_ops/linalg_solve.py`` (inv, det, slogdet, solve, solve_triangular, cross, vecdot, matrix_exp,
matrix_power, multi_dot); this module gathers them under torch's names and holds the norms:
``vector_norm``, ``matrix_norm``, ``norm`` (which picks one of the two), and ``svdvals``, on
which the spectral and nuclear norms rest.

The matrix norms are compositions, as torch builds them, so the gradients and the ``grad_fn``
names agree with torch's:

  'fro'       vector_norm(A, 2, dim)                          (LinalgVectorNormBackward0)
  'nuc'       svdvals(A).sum(-1)                              (SumBackward1)
  2 / -2      svdvals(A).amax(-1) / .amin(-1)                 (AmaxBackward0 / AminBackward0)
  1 / -1      vector_norm(A, 1, dim[0]).amax / .amin(dim[1])  (the largest / smallest column sum)
  inf / -inf  vector_norm(A, 1, dim[1]).amax / .amin(dim[0])  (the largest / smallest row sum)

(the matrix dims are moved last for the SVD, and moved back with ``keepdim=True``).
"""
from __future__ import annotations

import math
import numbers
from typing import Optional

import numpy as np

from ._dtype import as_dtype, dtype as _dtype_cls, promote_types
from ._missing import missing_attribute_hook
from ._ops import reduction as _reduction
from ._ops.norms import Svdvals
from ._ops.out import supports_out
from ._ops._util import normalize_dims, wrap_dim
from ._names import scalar_type_name
from ._ops._arguments import argument_error, renamed
from ._tensor import Tensor

from ._ops.linalg import matmul  # (torch.linalg.matmul is torch.matmul)
from ._ops.linalg_decomp import (cholesky, cholesky_ex, eigh, eigvalsh, lstsq, matrix_rank,
                                 pinv, qr, svd)
from ._ops.linalg_solve import (LinAlgError, det, inv, inv_ex, linalg_cross as cross,
                                matrix_exp, matrix_power, multi_dot, slogdet, solve, solve_ex,
                                solve_triangular, vecdot)

__all__ = ["vector_norm", "matrix_norm", "norm", "svdvals", "LinAlgError", "inv", "inv_ex",
           "det", "slogdet", "solve", "solve_ex", "solve_triangular", "cholesky",
           "cholesky_ex", "eigh", "eigvalsh", "svd", "qr", "pinv", "lstsq", "matrix_rank",
           "cross", "vecdot", "matrix_power", "matrix_exp", "multi_dot", "matmul", "diagonal"]

# torch names these by their linalg_ names in its messages (torch.det is det)
det, slogdet, matrix_exp, matrix_power, matmul = (
    renamed(fn, "linalg_" + fn.__name__)
    for fn in (det, slogdet, matrix_exp, matrix_power, matmul))

__getattr__ = missing_attribute_hook("torch.linalg")


def _check_floating(fn: str, x: Tensor) -> None:
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"linalg.{fn}: Expected a floating point or complex tensor as input. "
                           f"Got {scalar_type_name(x._data.dtype)}")


def _cast(fn: str, x: Tensor, dtype) -> Tensor:
    """``x`` in ``dtype`` (None: unchanged), refusing what torch refuses: a non-floating dtype
    and a narrowing one (float64 -> float32)."""
    if dtype is None:
        return x
    d = as_dtype(dtype)
    if not d.is_floating_point:
        raise RuntimeError(f"linalg.{fn}: dtype should be floating point or complex, but got "
                           f"{scalar_type_name(d.np)}")
    src = as_dtype(x._data.dtype)
    if promote_types(src, d) != d:
        raise RuntimeError(f"linalg.{fn}: the dtype of the input ({scalar_type_name(src)}) should "
                           "be convertible without narrowing to the specified dtype "
                           f"({scalar_type_name(d.np)})")
    return x.to(d)


def _ord_str(ord) -> str:
    """A number as torch's messages print it (C++ stream: 2.0 -> 2, inf -> inf)."""
    return f"{ord:g}" if isinstance(ord, numbers.Real) else str(ord)


def _dims_arg(fn: str, dim) -> Optional[tuple]:
    if dim is None:
        return None
    if isinstance(dim, (int, np.integer)) and not isinstance(dim, bool):
        return (int(dim),)
    if isinstance(dim, (tuple, list)) and all(isinstance(d, (int, np.integer)) for d in dim):
        return tuple(int(d) for d in dim)
    raise TypeError(f"{fn}(): argument 'dim' (position 3) must be tuple of ints, not "
                    f"{type(dim).__name__}")


# -- vector_norm -----------------------------------------------------------------------------------

@supports_out("linalg_vector_norm", rule="exact", overlap=None)  # out: the result's dtype
def vector_norm(x: Tensor, ord: float = 2, dim=None, keepdim: bool = False, *,
                dtype: Optional[_dtype_cls] = None, out: Optional[Tensor] = None) -> Tensor:
    """(sum |x|^ord)^(1/ord) over ``dim`` (every element when None or ()); ord = inf / -inf:
    max / min |x|; ord = 0: the number of non-zero elements. ``dtype``: compute in it."""
    if not isinstance(x, Tensor):
        raise argument_error(vector_norm, locals(), name="linalg_vector_norm",
                             tensors={"x": "input"})
    if not isinstance(ord, (numbers.Real, np.number)):
        raise TypeError("linalg_vector_norm(): argument 'ord' (position 2) must be Number, not "
                        f"{type(ord).__name__}")
    dims = _dims_arg("linalg_vector_norm", dim)
    _check_floating("vector_norm", x)
    p = float(ord)
    a = x._data
    _reduction.check_empty_norm(a, ord, dims)
    x = _cast("vector_norm", x, dtype)
    return _reduction.VectorNorm.apply(x, p, normalize_dims(dims or None, a.ndim), keepdim)


# -- svdvals ---------------------------------------------------------------------------------------

@supports_out("_linalg_svd", rule="exact", overlap=None)
def svdvals(A: Tensor, *, driver=None, out: Optional[Tensor] = None) -> Tensor:
    """The singular values of each matrix in ``A`` (the last two dims), in descending order."""
    if not isinstance(A, Tensor):
        raise argument_error(svdvals, locals(), name="linalg_svdvals", tensors=("A",))
    if A.dim() < 2:
        raise RuntimeError("linalg.svd: The input tensor A must have at least 2 dimensions.")
    _check_floating("svd", A)
    if A._data.dtype == np.float16:
        raise NotImplementedError("\"linalg_svd_cpu\" not implemented for 'Half'")
    return Svdvals.apply(A)


# -- matrix_norm -----------------------------------------------------------------------------------

def _matrix_dims(A: Tensor, dim) -> tuple:
    if isinstance(dim, (int, np.integer)):
        raise TypeError("linalg_matrix_norm(): argument 'dim' must be tuple of ints, not int")
    dim = tuple(int(d) for d in dim)
    if len(dim) != 2:
        raise RuntimeError("linalg.matrix_norm: dim must be a 2-tuple. Got "
                           + " ".join(str(d) for d in dim))
    d0, d1 = (wrap_dim(d, A.dim()) for d in dim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({d0}, {d1})")
    return d0, d1


def _max_min(x: Tensor, dim: int, keepdim: bool, largest: bool) -> Tensor:
    if largest and x.shape[dim] == 0:
        # torch gives 0 for the largest norm of empty matrices (norms are >= 0)
        shape = [1 if i == dim else s for i, s in enumerate(x.shape)]
        if not keepdim:
            del shape[dim]
        return x.new_zeros(shape)
    return x.amax(dim, keepdim) if largest else x.amin(dim, keepdim)


def _over_singular_values(A: Tensor, d0: int, d1: int, keepdim: bool, reduce) -> Tensor:
    """``reduce`` (over the last dim, keeping it with ``keepdim``) applied to the singular values
    of the matrices spanned by dims d0, d1."""
    n = A.dim()
    perm = [i for i in range(n) if i not in (d0, d1)] + [d0, d1]
    out = reduce(svdvals(A.permute(perm)))
    if keepdim:
        out = out.unsqueeze(-1).permute(list(np.argsort(perm)))
    return out


@supports_out("linalg_matrix_norm", rule="matrix_norm", copy=True)
def matrix_norm(A: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *,
                dtype: Optional[_dtype_cls] = None, out: Optional[Tensor] = None) -> Tensor:
    """A matrix norm over the two dims ``dim``: 'fro' (Frobenius), 'nuc' (the sum of the
    singular values), 2 / -2 (the largest / smallest singular value), 1 / -1 (the largest /
    smallest absolute column sum), inf / -inf (the same over rows)."""
    if not isinstance(A, Tensor):
        raise argument_error(matrix_norm, locals(), name="linalg_matrix_norm",
                             tensors={"A": "input"})
    if isinstance(ord, str):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
        low_precision_ok = ord == "fro"
    else:
        if abs(ord) not in (1, 2, math.inf):
            raise RuntimeError(f"linalg.matrix_norm: Order {_ord_str(ord)} not supported.")
        low_precision_ok = abs(ord) != 2
    if A.dim() < 2:
        raise RuntimeError(
            "linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    _check_floating("matrix_norm", A)
    if not low_precision_ok and A._data.dtype == np.float16:
        raise RuntimeError("linalg.matrix_norm: Low precision dtypes not supported. Got Half")
    d0, d1 = _matrix_dims(A, dim)
    A = _cast("matrix_norm", A, dtype)
    if ord == "fro":
        return _reduction.VectorNorm.apply(A, 2.0, tuple(sorted((d0, d1))), keepdim)
    if ord == "nuc":
        return _over_singular_values(A, d0, d1, keepdim, lambda s: s.sum(-1, keepdim))
    largest = ord > 0
    if abs(ord) == 2:
        return _over_singular_values(A, d0, d1, keepdim,
                                     lambda s: _max_min(s, -1, keepdim, largest))
    if abs(ord) == math.inf:  # rows: sum over the columns' dim first
        d0, d1 = d1, d0
    sums = _reduction.VectorNorm.apply(A, 1.0, (d0,), keepdim)
    if not keepdim and d0 < d1:
        d1 -= 1
    return _max_min(sums, d1, keepdim, largest)


# -- norm ------------------------------------------------------------------------------------------

@supports_out("linalg_norm", rule="linalg_norm", copy=True)
def norm(A: Tensor, ord=None, dim=None, keepdim: bool = False, *,
         dtype: Optional[_dtype_cls] = None, out: Optional[Tensor] = None) -> Tensor:
    """A vector norm or a matrix norm, chosen as torch chooses: ``ord`` a string, or ``dim`` of
    two dims, or ``ord`` given for a 2-D input without ``dim``: ``matrix_norm``; otherwise
    ``vector_norm`` (ord None: the 2-norm of the flattened input)."""
    if not isinstance(A, Tensor):
        raise argument_error(norm, locals(), name="linalg_norm", tensors={"A": "input"})
    dims = _dims_arg("linalg_norm", dim)
    if dims is not None:
        if len(dims) not in (1, 2):
            raise RuntimeError("linalg.norm: If dim is specified, it must be of length 1 or 2. "
                               f"Got {list(dims)}")
    elif ord is not None and A.dim() not in (1, 2):
        raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must be "
                           f"1D or 2D. Got {A.dim()}D.")
    if isinstance(ord, str):
        return matrix_norm(A, ord, dims if dims is not None else (0, 1), keepdim, dtype=dtype)
    if ord is not None and ((dims is not None and len(dims) == 2)
                            or (dims is None and A.dim() == 2)):
        return matrix_norm(A, ord, dims if dims is not None else (0, 1), keepdim, dtype=dtype)
    return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)


# -- diagonal --------------------------------------------------------------------------------------

def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """torch.diagonal with the matrix dims last by default."""
    if not isinstance(A, Tensor):
        raise argument_error(diagonal, locals(), name="linalg_diagonal", tensors=("A",))
    return A.diagonal(offset, dim1, dim2)
