"""Thresholds and shrinks: threshold, tanhshrink, softshrink, hardshrink (the rest of the
activations, and the conventions they share, are in ``activation.py``).

Each kernel is an ``ArrayFunction``: forward beside backward on ndarrays, the derivative in its
docstring (``g`` is dL/d out)."""
from __future__ import annotations

import numpy as np

from ..._dtype import check_scalar_fits
from ..._ops._arguments import argument_error
from ..._ops._util import zero_where
from ..._ops.activation_backward import ThresholdBackward
from ._activation_derivatives import HardshrinkBackward, ShrinkBackward
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from ._activation_args import (check_element, check_int_args, check_softshrink_lambda,
                               scalar_loop_zeros)
from .activation import _act, require_float


class Threshold(ArrayFunction):
    """out = value if x <= threshold else x.      dL/dx = 0 where x <= threshold, else g (so nan
    passes its gradient, as in torch). (np.where in forward: x may be inf, which a 0/1 mask
    cannot multiply away.)"""

    _backward_name = "ThresholdBackward0"
    _reads_input = True     # (in place: a saved clone, ``_in_place``)

    @staticmethod
    def forward(ctx, x, threshold, value):
        if x.dtype == np.bool_:
            raise NotImplementedError("\"threshold_cpu\" not implemented for 'Bool'")
        check_scalar_fits(threshold, x.dtype, opmath=True)
        check_scalar_fits(value, x.dtype)
        if x.dtype == np.float16:       # compared in float32, the opmath type
            threshold = np.float32(threshold)
        ctx.save_for_backward(x)
        ctx.threshold = threshold
        return np.where(x <= threshold, np.asarray(value).astype(x.dtype), x)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return ThresholdBackward.call(g, x, ctx.threshold), None, None


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(None, locals(), "threshold")  # (``threshold`` is a number here)
    check_int_args(threshold, value)
    return _act(input, inplace, Threshold, threshold, value,
                inplace_name="ThresholdBackward1")


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(threshold_, locals())
    check_int_args(threshold, value)
    return _act(input, True, Threshold, threshold, value, inplace_name="ThresholdBackward1")


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x), torch's composite (its graph: SubBackward0, TanhBackward0)."""
    return input - input.tanh()


class Softshrink(ArrayFunction):
    """out = x - l if x > l,  x + l if x < -l,  else 0;  that is, x - clip(x, -l, l).
    dL/dx = g where |x| > l, else 0 (also at a NaN x). torch's scalar loop writes the 0 as
    x * 0 (-0 for a negative x) and passes g at a NaN x (``scalar_loop_index``)."""

    _backward_name = "SoftshrinkBackward0"

    @staticmethod
    def forward(ctx, x, lambd):
        require_float(x, "softshrink_check")
        check_softshrink_lambda(x, lambd)
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        out = x - np.clip(x, -lambd, lambd)
        return scalar_loop_zeros(out, x, lambda xs: np.abs(xs) <= lambd, registers=1)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return ShrinkBackward.call(g, x, ctx.lambd), None


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(softshrink, locals())
    check_int_args(lambd)
    return Softshrink.apply(input, lambd)


class Hardshrink(ArrayFunction):
    """out = 0 where -l <= x <= l, else x (a select: +0, and x at a NaN x or l).
    dL/dx = g where |x| > l, else 0 (also at a NaN x; torch's scalar loop passes g there).
    l is range-checked in x's dtype."""

    _backward_name = "HardshrinkBackward0"

    @staticmethod
    def forward(ctx, x, lambd):
        require_float(x, "hardshrink_cpu")
        check_element(x, lambd)
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        return zero_where(x, (x >= -lambd) & (x <= lambd))

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors       # (softshrink's gradient, under its own node name)
        return HardshrinkBackward.call(g, x, ctx.lambd), None


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(hardshrink, locals())
    check_int_args(lambd)
    return Hardshrink.apply(input, lambd)
