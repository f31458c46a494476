"""torch.special: the special functions, under torch's names.

The kernels are in ``_ops/special.py`` (the ops, forward beside backward) and
``_ops/special_math.py`` (the numerical methods and their accuracy); docs/special.md lists what
each function computes, its accuracy against mpmath and where torch's own values differ.
Several names are aliases of functions torch also has at the top level (``gammaln`` is
``lgamma``, ``psi`` is ``digamma``, ``expit`` is ``sigmoid``, ...).
"""
from __future__ import annotations

from ._missing import missing_attribute_hook
from ._ops import erf, exp2, expm1, log1p, logsumexp, round as _round, sigmoid
from ._ops._arguments import argument_error, renamed
from ._ops._util import Tensor
from ._ops.pointwise import RoundDecimals
from .nn.functional.softmax_family import (torch_log_softmax as _log_softmax,
                                           torch_softmax as _softmax)
from ._ops.special import (digamma, erfc, erfinv, i0, lgamma, logit, mvlgamma, sinc,
                           special_entr as entr, special_erfcx as erfcx,
                           special_i0e as i0e, special_i1 as i1, special_i1e as i1e,
                           special_log_ndtr as log_ndtr, special_ndtr as ndtr,
                           special_ndtri as ndtri, special_polygamma as polygamma,
                           special_xlog1py as xlog1py, special_zeta as zeta, xlogy)

__all__ = ["digamma", "entr", "erf", "erfc", "erfcx", "erfinv", "exp2", "expit", "expm1",
           "gammaln", "i0", "i0e", "i1", "i1e", "log1p", "log_ndtr", "log_softmax", "logit",
           "logsumexp", "multigammaln", "ndtr", "ndtri", "polygamma", "psi", "round", "sinc",
           "softmax", "xlog1py", "xlogy", "zeta"]

__getattr__ = missing_attribute_hook("torch.special")

# torch names each of these by its special_ name in its messages
(digamma, erf, erfc, erfinv, exp2, expm1, i0, log1p, logit, logsumexp, sinc) = (
    renamed(fn, "special_" + fn.__name__) for fn in (
        digamma, erf, erfc, erfinv, exp2, expm1, i0, log1p, logit, logsumexp, sinc))
gammaln = renamed(lgamma, "special_gammaln")
psi = renamed(digamma, "special_psi")
expit = renamed(sigmoid, "special_expit")
multigammaln = renamed(mvlgamma, "special_multigammaln")


def softmax(input, dim: int, *, dtype=None):
    """softmax along ``dim`` (``torch.softmax``; here ``dtype`` is keyword-only, as in torch)."""
    if not isinstance(input, Tensor):
        raise argument_error(softmax, locals(), name="special_softmax")
    return _softmax(input, dim, dtype)


def log_softmax(input, dim: int, *, dtype=None):
    """log_softmax along ``dim`` (``torch.log_softmax``; ``dtype`` keyword-only)."""
    if not isinstance(input, Tensor):
        raise argument_error(log_softmax, locals(), name="special_log_softmax")
    return _log_softmax(input, dim, dtype)


def round(input, *, decimals: int = 0, out=None):  # noqa: A001 - torch's name
    """Round half to even, to ``decimals`` places: ``torch.round``'s decimals form even for 0
    (so its node is RoundBackward1, as torch's)."""
    if not isinstance(input, Tensor):
        raise argument_error(round, locals(), name="special_round")
    if out is not None:
        return _round(input, decimals=decimals, out=out)
    return RoundDecimals.apply(input, decimals)
