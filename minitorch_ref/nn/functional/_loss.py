"""What the loss functions share: torch's reductions of an element-wise loss and their chain
rule, the grad_fn names torch's composite losses print, and the argument checks several losses
make.

Notation used in every loss kernel's docstring:

* ``x`` the input (prediction), ``y`` the target, ``w`` a weight, ``g`` the gradient arriving
  from above (the gradient of the *reduced* output).
* ``l`` the element-wise (or per-sample) loss, of shape ``S``. The kernel returns
  ``reduce(l)``: ``l`` itself (``'none'``), ``sum(l)`` (``'sum'``) or ``sum(l) / n`` with ``n``
  the number of entries of ``l`` (``'mean'``). The chain rule through the reduction is
  ``dL/dl = g`` (none), ``g`` broadcast over ``S`` (sum), ``g / n`` broadcast over ``S`` (mean);
  ``_upstream`` computes it, and each backward multiplies it by the local derivative ``dl/dx``.

Inputs of different shapes broadcast against each other; the engine sums each gradient back to its
input's shape, so no backward un-broadcasts. Extreme inputs follow torch's formulas literally
(``log`` clamped at -100 in BCE, ``log1p(exp(-y x))`` in the soft margin loss, ...), so that values
and gradients are finite exactly where torch's are, and ``inf``/``nan`` where torch's are.

The legacy ``size_average``/``reduce`` flags map onto ``reduction`` through ``nn._reduction``.
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from ..._dtype import can_cast, from_numpy_dtype, get_default_dtype
from ..._dtype import _promote_np as promote_np
from ..._ops._util import broadcast_shapes_or_raise as _broadcast_shapes, promote
from ..._names import scalar_type_name
from ..._tensor import Tensor
from ...autograd.grad_mode import _state


# torch's guard against division by zero in BCE's backward and in the cosine loss: a C++ float,
# so 1e-12 rounded to float32 (9.99999996e-13), even in float64 arithmetic.
_EPSILON = float(np.float32(1e-12))


def reduction_node(reduction: str, none_name: str) -> str:
    """The grad_fn torch's composite losses end with: the reduction's, or their last
    element-wise op for 'none'.

    Where torch composes a loss from several ops, the ``grad_fn`` of its result is the last of
    them (``MeanBackward0`` for a mean, ``NllLossBackward0`` for cross-entropy, ...), and that
    name is printed with the loss (``tensor(0.69, grad_fn=<MeanBackward0>)``). One fused kernel
    here does the whole computation; its public function passes torch's name
    (``L1Loss.apply(x, y, reduction, name=reduction_node(reduction, "AbsBackward0"))``)."""
    return {"mean": "MeanBackward0", "sum": "SumBackward0"}.get(reduction, none_name)


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    """``none``: ``loss``; ``sum``: its sum; ``mean``: its sum over its size (nan when empty)."""
    if reduction == "none":
        return loss
    total = loss.sum()
    if reduction == "sum":
        return total
    return total / loss.size if loss.size else total * np.nan


def _upstream(g: np.ndarray, shape: tuple, reduction: str) -> np.ndarray:
    """dL/dl for an element-wise loss ``l`` of ``shape``: g, or g (/ n) broadcast over ``shape``."""
    if reduction == "none":
        return g
    if reduction == "mean":
        n = math.prod(shape)
        g = g / n if n else g
    return np.broadcast_to(g, shape)


def _float_pair(x, y):
    """Two operands in torch's promoted dtype (a float result for a float input)."""
    return promote(x, y)


def _expanded_pair(x: np.ndarray, y: np.ndarray) -> tuple:
    """Two operands in the dtype torch computes losses in after ``broadcast_tensors``: the
    expanded operands are no longer 0-d, so both dtypes promote in full (a 0-d float64 target
    makes a float32 input's loss float64)."""
    dt = promote_np(x.dtype, y.dtype)
    return x.astype(dt, copy=False), y.astype(dt, copy=False)


def _sgn(d: np.ndarray) -> np.ndarray:
    """sign(d) with sign(NaN) = 0, as torch's sgn (the derivative of |d| there is 0). Under
    create_graph (a GraphArray d) through np.sign, recorded as torch's sign node (NaN -> 0
    too), of derivative 0: the gradient of an l1 loss keeps a node, as torch's, though it does
    not depend on d."""
    if getattr(type(d), "graph_array", False):
        return np.sign(d)
    return np.subtract(d > 0, d < 0, dtype=d.dtype)


def _check_cast(result, out, what: str = "output") -> None:
    """torch's refusal to write a result into a tensor (a loss's output of the input's dtype,
    an in-place step) of a dtype the result cannot be cast to (float into int, int into bool)."""
    if not can_cast(from_numpy_dtype(result), from_numpy_dtype(out)):
        raise RuntimeError(f"result type {scalar_type_name(result)} can't be cast to the desired "
                           f"{what} type {scalar_type_name(out)}")


def _sub_operands(*operands) -> None:
    """torch's refusal of a bool operand of a subtraction inside a loss (an operand may be a
    Python number, which is no bool tensor)."""
    bools = [getattr(a, "dtype", None) == np.bool_ for a in operands]
    if all(bools):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if any(bools):
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")


def _check_no_grad(t, arg: str, fn: str) -> None:
    """torch's error for an argument that its fused kernel does not differentiate."""
    if t is not None and t.requires_grad and _state.enabled:
        raise RuntimeError(
            f"The function '{fn}' is not differentiable with respect to argument '{arg}'. This "
            "input cannot have requires_grad True.")


def _warn_size_mismatch(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size "
            f"({input.size()}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.", stacklevel=3)


def _loss_broadcast(*tensors) -> tuple:
    return _broadcast_shapes(*(tuple(t.shape) for t in tensors))


def _integral(*tensors) -> bool:
    """True when no operand is floating: torch then errors or computes in the default dtype."""
    return not any(t.is_floating_point() for t in tensors if isinstance(t, Tensor))


def _as_default_float(t: Tensor) -> Tensor:
    return t if t.is_floating_point() else t.to(get_default_dtype())


def _mean_of_integers_error(t: Tensor) -> RuntimeError:
    return RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                        f"floating point or complex dtype. Got: {scalar_type_name(t.dtype)}")


def _cpp_float(v: float) -> str:
    """A double as C++ streams print it in torch's messages (1.5, 2, 1e-07)."""
    return f"{v:g}"
