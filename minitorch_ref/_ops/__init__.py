"""The op library: every differentiable op as an ``ArrayFunction`` subclass plus the public
function torch users call (``minitorch_ref.exp``, ``minitorch_ref.matmul``, ...)."""
from . import inplace
from .elementwise import *  # noqa: F401,F403
from .elementwise import __all__ as _elementwise_all
from .indexing import *  # noqa: F401,F403
from .indexing import __all__ as _indexing_all
from .inplace import *  # noqa: F401,F403
from .inplace import __all__ as _inplace_all
from .linalg import *  # noqa: F401,F403
from .linalg import __all__ as _linalg_all
from .norms import *  # noqa: F401,F403
from .norms import __all__ as _norms_all
from .reduction import *  # noqa: F401,F403
from .reduction import __all__ as _reduction_all
from .shape import *  # noqa: F401,F403
from .shape import __all__ as _shape_all
from .sorting import *  # noqa: F401,F403
from .sorting import __all__ as _sorting_all

__all__ = (_elementwise_all + _indexing_all + _inplace_all + _linalg_all + _norms_all
           + _reduction_all + _shape_all + _sorting_all)
