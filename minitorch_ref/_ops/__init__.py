"""The op library: every differentiable op as an ``ArrayFunction`` (its kernel) with the public
function torch users call (``minitorch_ref.exp``, ``minitorch_ref.matmul``, ...) right below it.

Tensor ops by topic: ``arithmetic`` (+ - * / ** ...), ``exponential`` (exp, log, expm1, log1p,
logaddexp, ...), ``pointwise`` (sqrt, abs, sigmoid, rounding, clamp, ...), ``trigonometry``
(sin, asin, sinh, atan2, ...), ``comparison`` (== <
maximum isnan & | ...), ``reduction`` (sum, mean, max, norm, ...), ``shape`` (reshape,
view, permute, expand, ...), ``joining`` (cat, stack, split, ...), ``indexing`` (x[i], gather,
scatter, where, ...), ``index_write`` (scatter_reduce, index_copy, index_fill, masked_scatter),
``view_scatter`` (select_scatter, slice_scatter, diagonal_scatter, narrow_copy),
``linalg`` (matmul, diagonals, ...), ``einsum``, ``norms`` (cdist, dist, svdvals), ``sorting``,
``searching`` (searchsorted, bucketize, isin), ``statistics`` (nansum, quantile, cov,
histc, ...), ``cumulative`` (cumsum, cumprod, cummax, logcumsumexp, trapezoid, ...),
``conversion`` (clone, to);
``inplace`` runs any of them in place and ``out.py`` gives them ``out=``. The nn kernels live
with their functions in ``nn/functional/``.
"""
from . import inplace
from .arithmetic import *  # noqa: F401,F403
from .arithmetic import __all__ as _arithmetic_all
from .comparison import *  # noqa: F401,F403
from .comparison import __all__ as _comparison_all
from .conversion import *  # noqa: F401,F403
from .conversion import __all__ as _conversion_all
from .index_write import *  # noqa: F401,F403
from .index_write import __all__ as _index_write_all
from .cumulative import *  # noqa: F401,F403
from .cumulative import __all__ as _cumulative_all
from .einsum import *  # noqa: F401,F403
from .einsum import __all__ as _einsum_all
from .exponential import *  # noqa: F401,F403
from .exponential import __all__ as _exponential_all
from .indexing import *  # noqa: F401,F403
from .indexing import __all__ as _indexing_all
from .inplace import *  # noqa: F401,F403
from .inplace import __all__ as _inplace_all
from .joining import *  # noqa: F401,F403
from .joining import __all__ as _joining_all
from .linalg import *  # noqa: F401,F403
from .linalg import __all__ as _linalg_all
from .diagonals import *  # noqa: F401,F403
from .diagonals import __all__ as _diagonals_all
from .norms import *  # noqa: F401,F403
from .norms import __all__ as _norms_all
from .pointwise import *  # noqa: F401,F403
from .pointwise import __all__ as _pointwise_all
from .reduction import *  # noqa: F401,F403
from .reduction import __all__ as _reduction_all
from .variance import *  # noqa: F401,F403
from .variance import __all__ as _variance_all
from .shape import *  # noqa: F401,F403
from .shape import __all__ as _shape_all
from .sorting import *  # noqa: F401,F403
from .sorting import __all__ as _sorting_all
from .special import *  # noqa: F401,F403
from .special import __all__ as _special_all
from .statistics import *  # noqa: F401,F403
from .statistics import __all__ as _statistics_all
from .linalg_solve import *  # noqa: F401,F403
from .linalg_solve import __all__ as _linalg_solve_all
from .linalg_decomp import *  # noqa: F401,F403
from .linalg_decomp import __all__ as _linalg_decomp_all
from .linalg_decomp import (torch_cholesky as cholesky, torch_qr as qr,  # noqa: F401
                            torch_svd as svd)
from .searching import *  # noqa: F401,F403
from .searching import __all__ as _searching_all
from .trigonometry import *  # noqa: F401,F403
from .trigonometry import __all__ as _trigonometry_all
from .view_scatter import *  # noqa: F401,F403
from .view_scatter import __all__ as _view_scatter_all
from .tensor_utils import *  # noqa: F401,F403
from .tensor_utils import __all__ as _tensor_utils_all

# Ops that torch has as Tensor methods only (x.expand, x.view_as, x[i], ...) and the in-place
# machinery: importable from their modules, not names of torch's namespace.
_NOT_TORCH_FUNCTIONS = {"apply_inplace", "apply_untracked", "check_elementwise", "expand",
                        "expand_as", "getitem", "overwrite", "repeat", "reshape_as", "setitem",
                        "to_dtype", "view", "view_as"}

__all__ = (_arithmetic_all + _comparison_all + _conversion_all + _index_write_all
           + _view_scatter_all + _tensor_utils_all
           + _indexing_all + _inplace_all
           + _joining_all + _linalg_all + _diagonals_all + _einsum_all + _exponential_all
           + _norms_all
           + _pointwise_all + _reduction_all + _variance_all
           + _shape_all + _sorting_all + _special_all + _trigonometry_all
           + _cumulative_all + _statistics_all + _searching_all
           + _linalg_solve_all + _linalg_decomp_all + ["cholesky", "qr", "svd"])
__all__ = [name for name in __all__ if name not in _NOT_TORCH_FUNCTIONS]
