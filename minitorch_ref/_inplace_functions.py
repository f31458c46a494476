"""torch's in-place functions at module level: ``torch.abs_(t)``, ``torch.clamp_(t, 0, 1)``,
``torch.dropout_(t, p, train)``, ...

Each is the op that ``t.abs_()`` runs, not a copy: the Tensor method (``_tensor_methods``), or,
for the activations torch also exposes as ``torch.nn.functional.celu_`` and friends, that very
function (``torch.celu_ is F.celu_`` in torch too). Before the op runs, torch's argument parser:
a value of the wrong kind in a Tensor place, too many or unknown arguments, a missing one; each
with torch's message (``abs_(): argument 'input' (position 1) must be Tensor, not int``). The op
then does what the method does: it writes into ``t`` and returns ``t``, bumps its version, and
under autograd refuses a leaf that requires grad or records torch's node on a non-leaf.

``SIGNATURES`` holds torch's signatures, as its messages print them, of those that take more
than ``(Tensor input)``; a tuple where torch has several; ``HIDDEN`` the deprecated ones torch
parses but does not print.
"""
from __future__ import annotations

import numpy as np

from ._ops._arguments import _parse, _Signature
from ._ops.inplace import apply_inplace
from ._tensor import Tensor
from .autograd.function import ArrayFunction
from .nn import functional as F
from .nn.functional.dropout import _dropout_impl
from .nn.functional.embedding import _renorm_rows

_CLAMP = ("(Tensor input, Tensor min = None, Tensor max = None)",
          "(Tensor input, Number min = None, Number max = None)")
_DROPOUT = "(Tensor input, float p, bool train)"

SIGNATURES: dict[str, str | tuple[str, ...]] = {
    "addmv_": "(Tensor input, Tensor mat, Tensor vec, *, Number beta = 1, Number alpha = 1)",
    "alpha_dropout_": _DROPOUT,
    "as_strided_": "(Tensor input, tuple of ints size, tuple of ints stride, "
                   "int storage_offset = None)",
    "clamp_": _CLAMP,
    "clip_": _CLAMP,
    "clamp_max_": ("(Tensor input, Tensor max)", "(Tensor input, Number max)"),
    "clamp_min_": ("(Tensor input, Tensor min)", "(Tensor input, Number min)"),
    "dropout_": _DROPOUT,
    "embedding_renorm_": "(Tensor input, Tensor indices, float max_norm, float norm_type)",
    "feature_alpha_dropout_": _DROPOUT,
    "feature_dropout_": _DROPOUT,
    "fill_": ("(Tensor input, Tensor value)", "(Tensor input, Number value)"),
    "gcd_": "(Tensor input, Tensor other)",
    "index_put_": "(Tensor input, tuple of Tensors indices, Tensor values, "
                  "bool accumulate = False)",
    "lcm_": "(Tensor input, Tensor other)",
    "ldexp_": "(Tensor input, Tensor other)",
    "logit_": "(Tensor input, float eps = None)",
    "nan_to_num_": "(Tensor input, float nan = None, float posinf = None, float neginf = None)",
    "resize_as_": "(Tensor input, Tensor the_template, *, MemoryFormat memory_format = None)",
    "round_": ("(Tensor input)", "(Tensor input, *, int decimals)"),
    "xlogy_": ("(Tensor input, Tensor other)", "(Tensor input, Number other)"),
}

# torch's deprecated signatures: not shown in its messages, but counted in choosing one
HIDDEN = {
    "addmv_": ("(Number beta, Tensor input, Number alpha, Tensor mat, Tensor vec)",
               "(Number beta, Tensor input, Tensor mat, Tensor vec)"),
}

# torch.<name> whose op is the Tensor method <name>
METHOD_FUNCTIONS = (
    "abs_", "acos_", "acosh_", "addmv_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_",
    "arctanh_", "as_strided_", "asin_", "asinh_", "atan_", "atanh_", "ceil_", "clamp_",
    "clamp_max_", "clamp_min_", "clip_", "conj_physical_", "cos_", "cosh_", "deg2rad_", "detach_",
    "erf_", "erfc_", "exp2_", "exp_", "expm1_", "fill_", "fix_", "floor_", "frac_", "gcd_", "i0_",
    "index_put_", "lcm_", "ldexp_", "log10_", "log1p_", "log2_", "log_", "logit_", "nan_to_num_",
    "neg_", "negative_", "rad2deg_", "reciprocal_", "resize_as_", "round_", "rsqrt_", "sigmoid_",
    "sin_", "sinc_", "sinh_", "sqrt_", "square_", "tan_", "tanh_", "trunc_", "xlogy_", "zero_",
)


def _function(name: str, op):
    """``torch.<name>``: ``op`` (the Tensor method, or the F function) after torch's argument
    parser. The parser's work is skipped for the common call, one Tensor and no keywords, where
    the signature takes exactly that."""
    texts = SIGNATURES.get(name, "(Tensor input)")
    texts = (texts,) if isinstance(texts, str) else texts
    signatures = [_Signature(t) for t in texts + HIDDEN.get(name, ())]
    simple = 1 if any(all(opt for _, _, opt in s.params[1:]) for s in signatures) else -1

    def function(*args, **kwargs):
        if kwargs or len(args) != simple or not isinstance(args[0], Tensor):
            args, kwargs = _parse(name, signatures, len(texts), args, kwargs)
        return op(*args, **kwargs)
    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"torch.{name}{signatures[0].text}: ``input.{name}(...)``, in place."
    return function


# -- ops torch has only as functions --------------------------------------------------------------

def _dropout_op(feature: bool, alpha: bool, inplace: bool = True):
    """torch's ``dropout_``, ``feature_dropout_``, ``alpha_dropout_``, ``feature_alpha_dropout_``:
    ``F.dropout``'s kernel (``inplace=True``) after torch's own check of ``p`` (a RuntimeError,
    where ``F.dropout``'s Python check raises a ValueError)."""
    def op(input: Tensor, p: float, train: bool) -> Tensor:
        p = float(p)
        if not 0 <= p <= 1:
            raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p:g}")
        return _dropout_impl(input, p, train, inplace, feature, alpha)
    return op


class _EmbeddingRenorm(ArrayFunction):
    """Each row of ``w`` that ``indices`` names is scaled to norm ``max_norm`` where its
    ``norm_type``-norm exceeds it (``F.embedding``'s max_norm). torch has no derivative for it."""

    _backward_name = "EmbeddingRenormBackward0"

    @staticmethod
    def forward(ctx, w, indices, max_norm, norm_type):
        out = w.copy()
        _renorm_rows(out, indices, max_norm, norm_type)
        return out

    @staticmethod
    def backward(ctx, g):
        raise NotImplementedError("the derivative for 'embedding_renorm' is not implemented.")


def _embedding_renorm_op(input: Tensor, indices: Tensor, max_norm: float,
                         norm_type: float) -> Tensor:
    if indices._data.dtype not in (np.int64, np.int32):
        raise RuntimeError(
            "Expected tensor for argument #2 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {indices.type()} instead (while checking arguments for "
            "embedding_renorm_)")
    if input._data.ndim != 2:
        raise RuntimeError(
            f"Expected 2-dimensional tensor, but got {input._data.ndim}-dimensional tensor for "
            "argument #1 'self' (while checking arguments for embedding_renorm_)")
    return apply_inplace(input, _EmbeddingRenorm.apply, indices._data, max_norm, norm_type)


FUNCTION_OPS = {
    "dropout_": _dropout_op(feature=False, alpha=False),
    "feature_dropout_": _dropout_op(feature=True, alpha=False),
    "alpha_dropout_": _dropout_op(feature=False, alpha=True),
    "feature_alpha_dropout_": _dropout_op(feature=True, alpha=True),
    "embedding_renorm_": _embedding_renorm_op,
}

# torch.<name>_ that are torch.nn.functional's functions themselves, in torch as here
celu_, relu_, rrelu_, selu_, threshold_ = F.celu_, F.relu_, F.rrelu_, F.selu_, F.threshold_

__all__ = ["celu_", "relu_", "rrelu_", "selu_", "threshold_"]
for _name in METHOD_FUNCTIONS:
    globals()[_name] = _function(_name, getattr(Tensor, _name))
    __all__.append(_name)
for _name, _op in FUNCTION_OPS.items():
    globals()[_name] = _function(_name, _op)
    __all__.append(_name)
