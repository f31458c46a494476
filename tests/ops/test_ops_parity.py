"""Every differentiable op against torch: values, dtypes, shapes, grad_fn names and gradients,
over shapes (0-d, size-1 dims, broadcasting both ways), float32/float64 and contiguous or
transposed (non-contiguous) inputs, with inputs full of exact ties where ties matter.

Each table row is ``(id, fn, kinds, shapes)``: ``fn(T, *tensors)`` runs in both libraries;
``kinds`` names the data of each input (see ops_data.py); ``shapes`` lists the input shapes.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from harness import (check, check_constant_upstream, check_double, check_higher_orders,
                     check_second_backward)
from ops_data import data, layouts

SHAPES_1 = [(), (1,), (5,), (3, 1), (2, 3, 4)]        # any op
SHAPES_D = [(1,), (5,), (3, 1), (4, 3), (2, 3, 4)]     # ops taking a dim
SHAPES_2 = [(1, 1), (4, 3), (2, 3, 4), (3, 1, 5)]      # ops needing >= 2 dims
SHAPES_BIN = [((), ()), ((4,), ()), ((), (4,)), ((2, 3), (3,)), ((3,), (2, 3)),
              ((2, 1), (1, 3)), ((4, 1, 3), (2, 1)), ((1,), (3,)), ((2, 3, 4), (2, 3, 4))]


def unary(name, fn, kind="randn", shapes=SHAPES_1):
    return [(name, fn, (kind,), (s,)) for s in shapes]


def binary(name, fn, kinds=("randn", "randn"), shapes=SHAPES_BIN):
    return [(name, fn, kinds, s) for s in shapes]


INF = math.inf
ROWS = []
# -- elementwise -----------------------------------------------------------------------------------
ROWS += unary("neg", lambda T, x: -x)
ROWS += unary("exp", lambda T, x: T.exp(x))
ROWS += unary("exp2", lambda T, x: x.exp2())
ROWS += unary("expm1", lambda T, x: T.expm1(x))
ROWS += unary("log", lambda T, x: T.log(x), "pos")
ROWS += unary("log1p", lambda T, x: T.log1p(x), "pos")
ROWS += unary("log2", lambda T, x: x.log2(), "pos")
ROWS += unary("log10", lambda T, x: T.log10(x), "pos")
ROWS += unary("sqrt", lambda T, x: T.sqrt(x), "pos")
ROWS += unary("rsqrt", lambda T, x: x.rsqrt(), "pos")
ROWS += unary("reciprocal", lambda T, x: T.reciprocal(x), "pos")
ROWS += unary("square", lambda T, x: T.square(x))
ROWS += unary("abs", lambda T, x: T.abs(x), "ties")
ROWS += unary("abs_op", lambda T, x: abs(x), "ties")
ROWS += unary("sign", lambda T, x: T.sign(x), "ties")
ROWS += unary("sin", lambda T, x: T.sin(x))
ROWS += unary("cos", lambda T, x: x.cos())
ROWS += unary("tan", lambda T, x: T.tan(x), "unit")
ROWS += unary("tanh", lambda T, x: T.tanh(x))
ROWS += unary("asin", lambda T, x: T.asin(x), "unit")
ROWS += unary("acos", lambda T, x: x.acos(), "unit")
ROWS += unary("atan", lambda T, x: T.atan(x), "wide")
ROWS += unary("arcsin", lambda T, x: x.arcsin(), "unit", [(2, 3, 4)])
ROWS += unary("arctan", lambda T, x: T.arctan(x), shapes=[(2, 3, 4)])
ROWS += unary("sinh", lambda T, x: T.sinh(x))
ROWS += unary("cosh", lambda T, x: x.cosh())
ROWS += unary("asinh", lambda T, x: T.asinh(x), "wide")
ROWS += unary("acosh", lambda T, x: T.acosh(x + 1), "pos")
ROWS += unary("atanh", lambda T, x: x.atanh(), "unit")
ROWS += unary("deg2rad", lambda T, x: T.deg2rad(x), "wide")
ROWS += unary("rad2deg", lambda T, x: x.rad2deg())
ROWS += unary("arccosh", lambda T, x: x.arccosh(), "pos", [(2, 3, 4)])
ROWS += unary("arctanh", lambda T, x: T.arctanh(x), "unit", [(2, 3, 4)])
ROWS += unary("sgn", lambda T, x: T.sgn(x), "ties")
ROWS += unary("sigmoid", lambda T, x: T.sigmoid(x), "wide")
ROWS += unary("relu", lambda T, x: T.relu(x), "ties")
ROWS += unary("floor", lambda T, x: T.floor(x), "wide")
ROWS += unary("ceil", lambda T, x: x.ceil(), "wide")
ROWS += unary("round", lambda T, x: T.round(x), "halves")
ROWS += unary("round_decimals", lambda T, x: T.round(x, decimals=1), "wide")
ROWS += unary("trunc", lambda T, x: T.trunc(x), "wide")
ROWS += unary("frac", lambda T, x: T.frac(x), "wide")
ROWS += unary("pow_scalar", lambda T, x: x ** 2, "ties")
ROWS += unary("pow_half", lambda T, x: x ** 0.5, "pos")
ROWS += unary("rpow", lambda T, x: 2 ** x)
ROWS += unary("clamp", lambda T, x: T.clamp(x, -0.5, 0.5), "halves")
ROWS += unary("clamp_min", lambda T, x: x.clamp(min=0.0), "halves")
ROWS += unary("clamp_max", lambda T, x: x.clamp(max=0.5), "halves")
ROWS += unary("clamp_crossed", lambda T, x: T.clamp(x, 0.5, -0.5), "halves")
ROWS += unary("clip", lambda T, x: T.clip(x, -1, 1), "halves")
ROWS += unary("clamp_min_fn", lambda T, x: T.clamp_min(x, 0.5), "halves")
ROWS += unary("masked_fill", lambda T, x: x.masked_fill(x > 0, 2.5), "ties")
ROWS += unary("where_scalar", lambda T, x: T.where(x > 0, x, 0.0), "ties")
ROWS += unary("nan_to_num", lambda T, x: T.nan_to_num(T.log(x)), "ties")
ROWS += unary("rsub", lambda T, x: 1 - x)
ROWS += unary("rdiv", lambda T, x: 2 / x, "pos")
ROWS += unary("sub_alpha", lambda T, x: T.sub(x, 1.5, alpha=2))
ROWS += unary("add_alpha", lambda T, x: T.add(x, x, alpha=-3))
ROWS += unary("remainder", lambda T, x: x % 0.75, "wide")
ROWS += unary("fmod", lambda T, x: T.fmod(x, 0.75), "wide")

ROWS += binary("add", lambda T, a, b: a + b)
ROWS += binary("sub", lambda T, a, b: a - b)
ROWS += binary("mul", lambda T, a, b: a * b)
ROWS += binary("div", lambda T, a, b: a / b, ("randn", "pos"))
ROWS += binary("div_floor", lambda T, a, b: T.div(a, b, rounding_mode="floor"), ("wide", "pos"))
ROWS += binary("div_trunc", lambda T, a, b: T.div(a, b, rounding_mode="trunc"), ("wide", "pos"))
ROWS += binary("pow", lambda T, a, b: a ** b, ("pos", "randn"))
ROWS += binary("maximum", lambda T, a, b: T.maximum(a, b), ("ties", "ties"))
ROWS += binary("minimum", lambda T, a, b: T.minimum(a, b), ("ties", "ties"))
ROWS += binary("max_binary", lambda T, a, b: T.max(a, b), ("ties", "ties"))
ROWS += binary("min_binary", lambda T, a, b: a.min(b), ("ties", "ties"))
ROWS += binary("where", lambda T, a, b: T.where(a > b, a, b), ("ties", "ties"))
ROWS += binary("remainder_t", lambda T, a, b: T.remainder(a, b), ("wide", "pos"))
ROWS += binary("clamp_tensor_min", lambda T, a, b: T.clamp(a, min=b), ("ties", "ties"))
ROWS += binary("clamp_tensor_max", lambda T, a, b: a.clamp(max=b), ("ties", "ties"))
ROWS += binary("outer_like", lambda T, a, b: (a * 2 - b).exp())
ROWS += [("clamp_tensor", lambda T, x, lo, hi: T.clamp(x, lo, hi), ("ties", "ties", "ties"), s)
         for s in [((5,), (5,), (5,)), ((2, 3), (3,), (2, 1)), ((3, 3), (), (3, 1))]]
ROWS += [("where_3", lambda T, c, a, b: T.where(c > 0, a, b), ("randn", "randn", "randn"), s)
         for s in [((2, 3), (3,), (2, 1)), ((3,), (2, 3), ()), ((4, 1), (1, 3), (4, 3))]]
ROWS += [("masked_fill_tensor", lambda T, x, v: x.masked_fill(x > 0, v), ("ties", "randn"), s)
         for s in [((2, 3), ()), ((5,), ())]]
N_ELEMENTWISE = len(ROWS)  # the rows above: elementwise functions (third-order column)

# -- reductions ------------------------------------------------------------------------------------
ROWS += unary("sum", lambda T, x: x.sum())
ROWS += unary("sum_dim", lambda T, x: x.sum(-1), shapes=SHAPES_D)
ROWS += unary("sum_dims_keep", lambda T, x: T.sum(x, (0, -1), keepdim=True), shapes=SHAPES_2)
ROWS += unary("sum_dtype", lambda T, x: x.sum(dtype=T.float64))
ROWS += unary("mean", lambda T, x: x.mean())
ROWS += unary("mean_dim", lambda T, x: T.mean(x, 0, True), shapes=SHAPES_D)
ROWS += unary("mean_dims", lambda T, x: x.mean((-2, -1)), shapes=SHAPES_2)
ROWS += unary("prod", lambda T, x: x.prod(), "ties")
ROWS += unary("prod_dim", lambda T, x: T.prod(x, -1), "ties", SHAPES_D)
ROWS += unary("prod_dim_keep", lambda T, x: T.prod(x, 0, keepdim=True), "halves", SHAPES_D)
ROWS += unary("var", lambda T, x: x.var(), shapes=SHAPES_D)
ROWS += unary("var_dim", lambda T, x: T.var(x, -1), shapes=[(4,), (3, 5), (2, 3, 4)])
ROWS += unary("var_unbiased_false", lambda T, x: x.var(0, unbiased=False, keepdim=True),
              shapes=SHAPES_D)
ROWS += unary("var_correction", lambda T, x: x.var((0, -1), correction=0), shapes=SHAPES_2)
ROWS += unary("var_correction2", lambda T, x: T.var(x, correction=2), shapes=[(5,), (2, 3, 4)])
ROWS += unary("var_legacy_bool", lambda T, x: x.var(False), shapes=SHAPES_D)
ROWS += unary("std", lambda T, x: T.std(x), shapes=[(5,), (4, 3), (2, 3, 4)])
ROWS += unary("std_dim", lambda T, x: x.std(-1, keepdim=True), shapes=[(4,), (3, 5), (2, 3, 4)])
ROWS += unary("std_zero", lambda T, x: (x * 0).std(0), shapes=[(4,), (3, 2)])
ROWS += unary("std_unbiased_false", lambda T, x: T.std(x, 0, False), shapes=SHAPES_D)
ROWS += unary("var_mean", lambda T, x: T.var_mean(x, -1), shapes=[(4,), (3, 5)])
ROWS += unary("std_mean", lambda T, x: T.std_mean(x, correction=0), shapes=[(4,), (3, 5)])
ROWS += unary("max_all", lambda T, x: x.max(), "ties")
ROWS += unary("min_all", lambda T, x: T.min(x), "ties")
ROWS += unary("max_dim", lambda T, x: T.max(x, -1), "ties", SHAPES_D)
ROWS += unary("max_dim_keep", lambda T, x: x.max(0, keepdim=True), "ties", SHAPES_D)
ROWS += unary("max_dim_0d", lambda T, x: x.max(0), "ties", [()])
ROWS += unary("min_dim", lambda T, x: x.min(dim=-1), "ties", SHAPES_D)
ROWS += unary("max_values", lambda T, x: x.max(-1).values * 2, "ties", SHAPES_D)
ROWS += unary("amax", lambda T, x: x.amax(-1), "ties", SHAPES_D)
ROWS += unary("amax_all", lambda T, x: T.amax(x), "ties")
ROWS += unary("amax_dims", lambda T, x: T.amax(x, (0, -1), keepdim=True), "ties", SHAPES_2)
ROWS += unary("amin", lambda T, x: T.amin(x, 0), "ties", SHAPES_D)
ROWS += unary("aminmax", lambda T, x: T.aminmax(x, dim=-1), "ties", SHAPES_D)
ROWS += unary("argmax", lambda T, x: x.argmax(), "ties")
ROWS += unary("argmax_dim", lambda T, x: T.argmax(x, -1, keepdim=True), "ties", SHAPES_D)
ROWS += unary("argmin_dim", lambda T, x: x.argmin(0), "ties", SHAPES_D)
ROWS += unary("logsumexp", lambda T, x: T.logsumexp(x, -1), "wide", SHAPES_D)
ROWS += unary("logsumexp_dims", lambda T, x: x.logsumexp((0, 1), keepdim=True), "wide", SHAPES_2)
ROWS += unary("logsumexp_0d", lambda T, x: x.logsumexp(0), "wide", [()])
ROWS += unary("softmax", lambda T, x: T.softmax(x, -1), "wide", SHAPES_D)
ROWS += unary("softmax_0", lambda T, x: x.softmax(0), "wide", SHAPES_D)
ROWS += unary("softmax_dtype", lambda T, x: x.softmax(-1, dtype=T.float64), "wide", SHAPES_D)
ROWS += unary("log_softmax", lambda T, x: T.log_softmax(x, -1), "wide", SHAPES_D)
ROWS += unary("log_softmax_0", lambda T, x: x.log_softmax(0), "wide", SHAPES_D)
ROWS += unary("log_softmax_0d", lambda T, x: x.log_softmax(0), "wide", [()])
ROWS += unary("norm", lambda T, x: x.norm(), "ties")
ROWS += unary("norm_zero", lambda T, x: (x * 0).norm(), shapes=[(3,), (2, 2)])
for p in (1, 2, 3, 0.5, INF, -INF, 0):
    ROWS += unary(f"norm_p{p}", lambda T, x, p=p: x.norm(p), "ties", SHAPES_D)
    ROWS += unary(f"norm_p{p}_dim", lambda T, x, p=p: T.norm(x, p, dim=-1, keepdim=True),
                  "ties", SHAPES_D)
ROWS += unary("norm_fro_dims", lambda T, x: x.norm("fro", dim=(0, 1)), shapes=SHAPES_2)
ROWS += unary("cumsum", lambda T, x: T.cumsum(x, -1), shapes=SHAPES_D)
ROWS += unary("cumsum_0", lambda T, x: x.cumsum(0), shapes=SHAPES_D + [()])
ROWS += unary("cumsum_dtype", lambda T, x: x.cumsum(0, dtype=T.float64), shapes=SHAPES_D)

# -- statistics and running ops (NaN-ignoring reductions: "ties" data with its zeros made NaN) ----
def _nans(x):
    return x.masked_fill(x == 0, math.nan)


ROWS += unary("nansum", lambda T, x: T.nansum(_nans(x)), "ties")
ROWS += unary("nansum_dim", lambda T, x: _nans(x).nansum(-1), "ties", SHAPES_D)
ROWS += unary("nansum_dims_keep", lambda T, x: T.nansum(_nans(x), (0, -1), keepdim=True), "ties",
              SHAPES_2)
ROWS += unary("nansum_dtype", lambda T, x: T.nansum(x, 0, dtype=T.float64), shapes=SHAPES_D)
ROWS += unary("nanmean", lambda T, x: _nans(x).nanmean(), "ties")
ROWS += unary("nanmean_dim", lambda T, x: T.nanmean(_nans(x), 0, True), "ties", SHAPES_D)
ROWS += unary("cummax", lambda T, x: T.cummax(x, -1), "ties", SHAPES_D + [()])
ROWS += unary("cummax_nan", lambda T, x: _nans(x).cummax(0), "ties", SHAPES_D)
ROWS += unary("cummin", lambda T, x: x.cummin(0), "ties", SHAPES_D + [()])
ROWS += unary("cummin_nan", lambda T, x: T.cummin(_nans(x), -1), "ties", SHAPES_D)
ROWS += unary("logcumsumexp", lambda T, x: T.logcumsumexp(x, -1), "wide", SHAPES_D + [()])
ROWS += unary("logcumsumexp_0", lambda T, x: x.logcumsumexp(0), shapes=SHAPES_D)
ROWS += unary("median", lambda T, x: T.median(x), "ties")
ROWS += unary("median_nan", lambda T, x: _nans(x).median(), "ties")
ROWS += unary("median_dim", lambda T, x: T.median(x, -1), "ties", SHAPES_D + [()])
ROWS += unary("median_dim_keep", lambda T, x: x.median(0, keepdim=True), "ties", SHAPES_D)
ROWS += unary("median_dim_nan", lambda T, x: T.median(_nans(x), 0), "ties", SHAPES_D)
ROWS += unary("nanmedian", lambda T, x: T.nanmedian(_nans(x)), "ties")
ROWS += unary("nanmedian_dim", lambda T, x: _nans(x).nanmedian(-1, True), "ties", SHAPES_D)
ROWS += unary("kthvalue", lambda T, x: T.kthvalue(x, 1), "ties", SHAPES_D + [()])
ROWS += unary("kthvalue_2", lambda T, x: x.kthvalue(2, 0, True), "ties",
              [(3, 1), (4, 3), (2, 3, 4)])
ROWS += unary("kthvalue_nan", lambda T, x: T.kthvalue(_nans(x), 2, -1), "ties",
              [(5,), (4, 3), (2, 3, 4)])
ROWS += unary("mode", lambda T, x: T.mode(x), "ties", SHAPES_D + [()])
ROWS += unary("mode_dim0", lambda T, x: x.mode(0, True), "ties", SHAPES_D)
ROWS += unary("mode_long_rows", lambda T, x: T.mode(x, -1), "ties", [(40,), (3, 25)])
ROWS += unary("cov", lambda T, x: T.cov(x), shapes=[(3, 5), (5,), (1, 4), (2, 2), (4, 1)])
ROWS += unary("cov_correction", lambda T, x: x.cov(correction=0), shapes=[(3, 5), (6,)])
ROWS += unary("cov_fweights", lambda T, x: T.cov(x, correction=2, fweights=T.tensor([1, 3, 0, 2])),
              shapes=[(3, 4), (4,)])
ROWS += binary("cov_aweights", lambda T, x, w: T.cov(x, fweights=T.tensor([2, 1, 1, 3]),
                                                  aweights=w.abs() + 0.1),
               shapes=[((3, 4), (4,)), ((4,), (4,))])
ROWS += unary("trapezoid", lambda T, y: T.trapezoid(y), shapes=SHAPES_D)
ROWS += unary("trapezoid_dx", lambda T, y: T.trapz(y, dx=0.5, dim=0), shapes=SHAPES_D)
ROWS += binary("trapezoid_x", lambda T, y, x: T.trapezoid(y, x), shapes=[
    ((4,), (4,)), ((3, 4), (4,)), ((3, 4), (3, 4)), ((2, 3, 4), (3, 4)), ((3, 4), (1, 4))])
ROWS += binary("trapezoid_x_dim0", lambda T, y, x: T.trapz(y, x, dim=0),
               shapes=[((3, 4), (3,)), ((3, 4), (3, 1))])
ROWS += unary("cumulative_trapezoid", lambda T, y: T.cumulative_trapezoid(y), shapes=SHAPES_D)
ROWS += unary("cumulative_trapezoid_dx", lambda T, y: T.cumulative_trapezoid(y, dx=2, dim=0),
              shapes=SHAPES_D)
ROWS += binary("cumulative_trapezoid_x", lambda T, y, x: T.cumulative_trapezoid(y, x),
               shapes=[((4,), (4,)), ((3, 4), (4,)), ((3, 4), (3, 4)), ((2, 3, 4), (1, 4))])
ROWS += unary("corrcoef", lambda T, x: T.corrcoef(x), shapes=[(3, 5), (5,), (2, 2)])
ROWS += unary("quantile", lambda T, x: T.quantile(x, 0.3), "ties")
ROWS += unary("quantile_dim", lambda T, x: x.quantile(0.75, -1, True), "ties", SHAPES_D)
ROWS += unary("quantile_long_rows", lambda T, x: T.quantile(x, 0.4, 0), "ties", [(40,), (20, 2)])
ROWS += unary("quantile_nan", lambda T, x: T.quantile(_nans(x), 0.5, 0), "ties", SHAPES_D)
ROWS += unary("quantile_q_tensor",
              lambda T, x: T.quantile(x, T.tensor([0.0, 0.4, 1.0], dtype=x.dtype), 0), "ties",
              SHAPES_D)
for mode in ("lower", "higher", "nearest", "midpoint"):
    ROWS += unary(f"quantile_{mode}",
                  lambda T, x, mode=mode: T.quantile(x, 0.45, -1, interpolation=mode), "ties",
                  SHAPES_D)
ROWS += unary("nanquantile", lambda T, x: T.nanquantile(_nans(x), 0.6), "ties")
ROWS += unary("nanquantile_dim", lambda T, x: _nans(x).nanquantile(0.25, 0, True), "ties",
              SHAPES_D)

# -- shape -----------------------------------------------------------------------------------------
ROWS += unary("reshape", lambda T, x: x.reshape(-1), shapes=SHAPES_1)
ROWS += unary("view", lambda T, x: x.contiguous().view(x.shape[0], -1), shapes=SHAPES_D)
ROWS += unary("flatten", lambda T, x: x.flatten())
ROWS += unary("flatten_range", lambda T, x: T.flatten(x, 1), shapes=SHAPES_2)
ROWS += unary("unflatten", lambda T, x: x.unflatten(-1, (1, -1)), shapes=SHAPES_D)
ROWS += unary("squeeze", lambda T, x: x.squeeze(), shapes=SHAPES_1 + [(1, 3, 1)])
ROWS += unary("squeeze_dim", lambda T, x: T.squeeze(x, -1), shapes=SHAPES_D + [(1, 3, 1)])
ROWS += unary("squeeze_dims", lambda T, x: x.squeeze((0, -1)), shapes=SHAPES_2 + [(1, 3, 1)])
ROWS += unary("unsqueeze", lambda T, x: x.unsqueeze(0))
ROWS += unary("unsqueeze_last", lambda T, x: T.unsqueeze(x, -1))
ROWS += unary("expand", lambda T, x: x.expand(2, *x.shape) * 1.5)
ROWS += unary("expand_neg", lambda T, x: x.expand(3, -1, 4) * 2, shapes=[(3, 1), (1, 4)])
ROWS += unary("expand_as", lambda T, x: x.expand_as(T.zeros(2, 3, 4)) * 2,
              shapes=[(), (4,), (3, 1), (1, 1, 4)])
ROWS += unary("broadcast_to", lambda T, x: T.broadcast_to(x, (2, 3, 4)) * 1,
              shapes=[(), (3, 1)])
ROWS += unary("repeat", lambda T, x: x.repeat(2, 1, 3), shapes=[(), (1,), (5,), (3, 1)])
ROWS += unary("repeat_same", lambda T, x: x.repeat(*([2] * x.dim())), shapes=SHAPES_D)
ROWS += unary("tile", lambda T, x: T.tile(x, (2,)), shapes=SHAPES_D)
ROWS += unary("flip", lambda T, x: x.flip(0), shapes=SHAPES_D)
ROWS += unary("flip_dims", lambda T, x: T.flip(x, (0, -1)), shapes=SHAPES_2)
ROWS += unary("roll", lambda T, x: x.roll(1, 0), shapes=SHAPES_D)
ROWS += unary("roll_flat", lambda T, x: T.roll(x, 2), shapes=SHAPES_D)
ROWS += unary("roll_dims", lambda T, x: x.roll((1, -1), (0, -1)), shapes=SHAPES_2)
ROWS += unary("transpose", lambda T, x: x.transpose(0, -1), shapes=SHAPES_D)
ROWS += unary("permute", lambda T, x: x.permute(*reversed(range(x.dim()))), shapes=SHAPES_D)
ROWS += unary("permute_tuple", lambda T, x: T.permute(x, (0,) * 0 + tuple(range(x.dim()))),
              shapes=SHAPES_1)
ROWS += unary("movedim", lambda T, x: T.movedim(x, 0, -1), shapes=SHAPES_D)
ROWS += unary("t", lambda T, x: x.t(), shapes=[(), (5,), (4, 3)])
ROWS += unary("T", lambda T, x: x.T * 1, shapes=[(), (5,), (4, 3)])
ROWS += unary("mT", lambda T, x: x.mT, shapes=SHAPES_2)
ROWS += unary("tril", lambda T, x: x.tril(), shapes=SHAPES_2)
ROWS += unary("triu_k", lambda T, x: T.triu(x, 1), shapes=SHAPES_2)
ROWS += unary("tril_neg", lambda T, x: T.tril(x, -1), shapes=SHAPES_2)
ROWS += unary("split", lambda T, x: x.split(2), shapes=SHAPES_D)
ROWS += unary("split_sizes", lambda T, x: T.split(x, [1, x.shape[-1] - 1], -1),
              shapes=[(5,), (4, 3), (2, 3, 4)])
ROWS += unary("split_one_used", lambda T, x: x.split(1)[0] * 2, shapes=[(5,), (4, 3)])
ROWS += unary("chunk", lambda T, x: x.chunk(3, -1), shapes=SHAPES_D)
ROWS += unary("unbind", lambda T, x: x.unbind(-1), shapes=SHAPES_D)
ROWS += unary("narrow", lambda T, x: x.narrow(0, 0, 1), shapes=SHAPES_D)
ROWS += unary("narrow_neg", lambda T, x: T.narrow(x, -1, -1, 1), shapes=SHAPES_D)
ROWS += unary("select", lambda T, x: x.select(0, -1), shapes=SHAPES_D)
ROWS += unary("view_as", lambda T, x: x.contiguous().view_as(T.zeros(x.numel())),
              shapes=SHAPES_1)
ROWS += unary("clone", lambda T, x: x.clone())
ROWS += unary("contiguous", lambda T, x: x.contiguous() * 1)
ROWS += unary("to_double", lambda T, x: x.double())
ROWS += unary("to_float", lambda T, x: x.to(T.float32))
ROWS += [("cat", lambda T, a, b: T.cat([a, b], -1), ("randn", "randn"), s)
         for s in [((3,), (2,)), ((2, 3), (2, 1)), ((2, 3, 4), (2, 3, 1))]]
ROWS += [("cat0", lambda T, a, b: T.cat((a, b, a)), ("randn", "randn"), s)
         for s in [((3,), (2,)), ((2, 3), (1, 3)), ((2, 3), (0,))]]
ROWS += [("concat", lambda T, a, b: T.concat([a, b], 1), ("randn", "randn"), s)
         for s in [((2, 3), (2, 2))]]
ROWS += [("stack", lambda T, a, b: T.stack([a, b], d), ("randn", "randn"), s)
         for s in [((), ()), ((3,), (3,)), ((2, 3), (2, 3))] for d in (0, -1)]
ROWS += [("hstack", lambda T, a, b: T.hstack([a, b]), ("randn", "randn"), s)
         for s in [((3,), (2,)), ((2, 3), (2, 1))]]
ROWS += [("vstack", lambda T, a, b: T.vstack([a, b]), ("randn", "randn"), s)
         for s in [((3,), (3,)), ((2, 3), (1, 3))]]
ROWS += [("vstack_0d", lambda T, a, b: T.vstack([a, b]), ("randn", "randn"), ((), ())),
         ("hstack_0d", lambda T, a, b: T.hstack((a, b)), ("randn", "randn"), ((), (2,)))]
ROWS += [("dstack", lambda T, a, b: T.dstack([a, b]), ("randn", "randn"), s)
         for s in [((), ()), ((3,), (3,)), ((2, 3), (2, 3)), ((2, 3, 1), (2, 3, 2))]]
ROWS += [("column_stack", lambda T, a, b: T.column_stack([a, b]), ("randn", "randn"), s)
         for s in [((), ()), ((3,), (3,)), ((3, 2), (3,)), ((2, 3, 1), (2, 1, 1))]]
ROWS += unary("ravel", lambda T, x: T.ravel(x))
ROWS += unary("ravel_method", lambda T, x: x.ravel() * 1, shapes=SHAPES_2)
ROWS += unary("atleast_1d", lambda T, x: T.atleast_1d(x) * 1)
ROWS += unary("atleast_2d", lambda T, x: T.atleast_2d(x) * 1)
ROWS += unary("atleast_3d", lambda T, x: T.atleast_3d(x) * 1)
ROWS += [("atleast_3d_many", lambda T, a, b: T.atleast_3d(a, b), ("randn", "randn"), s)
         for s in [((), (3,)), ((2, 3), (2, 3, 4))]]
ROWS += [("atleast_1d_list", lambda T, a, b: T.atleast_1d([a, b]), ("randn", "randn"),
          ((), (2, 3)))]
ROWS += [("broadcast_tensors", lambda T, a, b: [t * 1 for t in T.broadcast_tensors(a, b)],
          ("randn", "randn"), s) for s in SHAPES_BIN]
ROWS += unary("tensor_split", lambda T, x: T.tensor_split(x, 3, -1), shapes=SHAPES_D)
ROWS += unary("tensor_split_idx", lambda T, x: x.tensor_split([1, -1, 5], 0), shapes=SHAPES_D)
ROWS += unary("tensor_split_tensor", lambda T, x: T.tensor_split(x, T.tensor([2, 1]), 0),
              shapes=SHAPES_D)
ROWS += unary("tensor_split_0d_tensor", lambda T, x: x.tensor_split(T.tensor(2), -1),
              shapes=SHAPES_D)
ROWS += unary("hsplit", lambda T, x: T.hsplit(x, 2), shapes=[(4,), (3, 2), (2, 4, 3)])
ROWS += unary("hsplit_idx", lambda T, x: x.hsplit([1, 2]), shapes=[(4,), (3, 2), (2, 4, 3)])
ROWS += unary("vsplit", lambda T, x: x.vsplit(2), shapes=[(4, 3), (2, 4, 3)])
ROWS += unary("vsplit_idx", lambda T, x: T.vsplit(x, [3]), shapes=[(4, 3), (2, 4, 3)])
ROWS += unary("dsplit", lambda T, x: T.dsplit(x, 3), shapes=[(2, 4, 3), (1, 1, 6)])
ROWS += unary("dsplit_idx", lambda T, x: x.dsplit((0, 2)), shapes=[(2, 4, 3)])
for k in (1, 2, 3, 0, -1, 6):
    ROWS += unary(f"rot90_k{k}", lambda T, x, k=k: T.rot90(x, k), shapes=SHAPES_2)
ROWS += unary("rot90_dims", lambda T, x: x.rot90(1, [-1, 0]), shapes=SHAPES_2)
ROWS += unary("unfold", lambda T, x: x.unfold(-1, 2, 1), shapes=[(4,), (3, 5), (2, 3, 4)])
ROWS += unary("unfold_step", lambda T, x: x.unfold(0, 2, 3), shapes=[(5,), (7, 2)])
ROWS += unary("unfold_size0", lambda T, x: x.unfold(0, 0, 1) * 1, shapes=[(3,), (3, 2)])
ROWS += unary("unfold_0d", lambda T, x: x.unfold(0, 1, 2), shapes=[()])
# torch 2.13's kron views its inputs and fails on transposed ones ("view size is not
# compatible"); ours computes them: the rows give it contiguous inputs
ROWS += [("kron", lambda T, a, b: T.kron(a.contiguous(), b.contiguous()), ("randn", "randn"), s)
         for s in [((), ()), ((2,), (3,)), ((2, 3), (3,)), ((3,), (2, 2)), ((2, 1, 2), (3, 2))]]
ROWS += [("kron_method", lambda T, a, b: a.contiguous().kron(b.contiguous()), ("randn", "randn"), ((2, 2), (2, 3)))]
TDOT = [(2, ((2, 3, 4), (3, 4, 5))), (1, ((2, 3), (3,))), (0, ((2,), (3,))),
        (([1, 0], [0, 1]), ((3, 2), (2, 3))), (([2], [0]), ((2, 3, 4), (4, 2))),
        ([[0], [1]], ((3, 2), (4, 3))), (([0], [0]), ((1, 3), (4, 2))),
        (2, ((3, 4), (3, 4)))]
ROWS += [(f"tensordot_{i}", lambda T, a, b, d=d: T.tensordot(a, b, d), ("randn", "randn"), s)
         for i, (d, s) in enumerate(TDOT)]
ROWS += [("tensordot_tensor_dims", lambda T, a, b: T.tensordot(a, b, T.tensor([[1], [0]])),
          ("randn", "randn"), ((2, 3), (3, 4)))]
# (vander: test_ops_shape_breadth.py; torch's own backward of it fails)
ROWS += [("block_diag", lambda T, a, b, c: T.block_diag(a, b, c), ("randn",) * 3, s)
         for s in [((2, 3), (4,), ()), ((1, 1), (0, 2), (2, 0)), ((3,), (2, 2), (1, 3))]]
ROWS += [("cartesian_prod", lambda T, a, b: T.cartesian_prod(a, b), ("randn", "randn"), s)
         for s in [((3,), (2,)), ((1,), (4,)), ((0,), (2,))]]
ROWS += [("cartesian_prod3", lambda T, a, b, c: T.cartesian_prod(a, b, c), ("randn",) * 3,
          ((2,), (3,), (2,)))]
ROWS += unary("cartesian_prod1", lambda T, x: T.cartesian_prod(x) * 1, shapes=[(3,)])
ROWS += unary("combinations", lambda T, x: T.combinations(x), shapes=[(1,), (4,)])
ROWS += unary("combinations_r3", lambda T, x: T.combinations(x, 3), shapes=[(2,), (5,)])
ROWS += unary("combinations_repl", lambda T, x: T.combinations(x, 2, with_replacement=True),
              shapes=[(1,), (4,)])
ROWS += unary("combinations_r1", lambda T, x: T.combinations(x, r=1), shapes=[(3,)])
# in-place shape methods on a tensor with history (x * 1): torch renames the node
# (TBackward1, SqueezeBackward3/4/5, UnsqueezeBackward1, TransposeBackward1)
ROWS += unary("t_", lambda T, x: (x * 1).t_(), shapes=[(), (5,), (4, 3)])
ROWS += unary("transpose_", lambda T, x: (x * 1).transpose_(0, -1), shapes=SHAPES_D)
ROWS += unary("swapdims_", lambda T, x: (x * 1).swapdims_(-1, 0), shapes=SHAPES_D)
ROWS += unary("swapaxes_", lambda T, x: (x * 1).swapaxes_(0, 0), shapes=SHAPES_D)
ROWS += unary("squeeze_", lambda T, x: (x * 1).squeeze_(), shapes=SHAPES_1 + [(1, 3, 1)])
ROWS += unary("squeeze_dim_", lambda T, x: (x * 1).squeeze_(-1), shapes=SHAPES_D + [(1, 3, 1)])
ROWS += unary("squeeze_dims_", lambda T, x: (x * 1).squeeze_((0, -1)),
              shapes=SHAPES_2 + [(1, 3, 1)])
ROWS += unary("unsqueeze_", lambda T, x: (x * 1).unsqueeze_(-1))
ROWS += unary("view_then_unsqueeze_", lambda T, x: (x * 1)[0].unsqueeze_(0), shapes=SHAPES_D)
ROWS += unary("tril_", lambda T, x: (x * 1).tril_(), shapes=SHAPES_2)
ROWS += unary("triu_", lambda T, x: (x * 1).triu_(-1), shapes=SHAPES_2)
ROWS += unary("cumsum_", lambda T, x: (x * 1).cumsum_(0), shapes=SHAPES_D)

# -- indexing --------------------------------------------------------------------------------------
IDX = [
    ("int", lambda T, x: x[1]), ("neg_int", lambda T, x: x[-1]),
    ("slice", lambda T, x: x[1:]), ("slice_step", lambda T, x: x[::2]),
    ("full_slice", lambda T, x: x[:]), ("ellipsis", lambda T, x: x[...]),
    ("none", lambda T, x: x[None]), ("int_slice", lambda T, x: x[0, 1:]),
    ("slice_int", lambda T, x: x[1:, 0]), ("int_none", lambda T, x: x[0, None]),
    ("none_int", lambda T, x: x[None, 0]), ("ell_int", lambda T, x: x[..., 0]),
    ("none_ell_none", lambda T, x: x[None, ..., None]),
    ("list", lambda T, x: x[[0, 2, 0]]), ("list_neg", lambda T, x: x[[-1, 0]]),
    ("tensor_idx", lambda T, x: x[T.tensor([2, 2, 1, 2])]),
    ("tensor_2d_idx", lambda T, x: x[T.tensor([[0, 1], [1, 0]])]),
    ("tensor_0d_idx", lambda T, x: x[T.tensor(1)]),
    ("bool_mask", lambda T, x: x[x > 0]),
    ("bool_rows", lambda T, x: x[T.tensor([True, False, True])]),
    ("bool_list", lambda T, x: x[[True, False, True]]),
    ("bool_scalar", lambda T, x: x[True]),
    ("pair_lists", lambda T, x: x[[0, 1, 1], [1, 1, 1]]),
    ("slice_list", lambda T, x: x[:, [3, 0, 3]]),
    ("list_slice_list", lambda T, x: x[[0, 1], :, [0, 0]] if x.dim() == 3 else x[[0, 1], [0, 0]]),
    ("int_list", lambda T, x: x[1, [0, 0, 2]]),
    ("mask_then_slice", lambda T, x: x[T.tensor([True, True, False]), 1:]),
    ("tensor_ell", lambda T, x: x[T.tensor([0, 0]), ...]),
]
ROWS += [(f"getitem_{n}", f, ("ties",), ((3, 4, 2),)) for n, f in IDX]
ROWS += [(f"getitem2d_{n}", f, ("ties",), ((3, 4),)) for n, f in IDX
         if n not in ("list_slice_list",)]
ROWS += [("gather", lambda T, x: x.gather(1, T.tensor([[0, 0, 2], [1, 2, 2]])), ("randn",),
          ((2, 3),)),
         ("gather_small", lambda T, x: T.gather(x, 0, T.tensor([[1], [1]])), ("randn",),
          ((3, 4),)),
         ("gather_3d", lambda T, x: x.gather(-1, T.tensor([[[1, 1]], [[0, 2]]])), ("randn",),
          ((2, 3, 3),)),
         ("take_along_dim", lambda T, x: T.take_along_dim(x, T.tensor([[0], [2]]), 1),
          ("randn",), ((2, 3),)),
         ("index_select", lambda T, x: x.index_select(1, T.tensor([2, 0, 2])), ("randn",),
          ((2, 3),)),
         ("index_select_0", lambda T, x: T.index_select(x, 0, T.tensor([1, 1])), ("randn",),
          ((2, 3, 2),)),
         ("index_select_0d_idx", lambda T, x: x.index_select(0, T.tensor(1)), ("randn",),
          ((3, 2),)),
         ("masked_select", lambda T, x: x.masked_select(x > 0), ("randn",), ((3, 4),)),
         ("masked_select_bcast", lambda T, x: T.masked_select(x, T.tensor([True, False, True])),
          ("randn",), ((2, 3),)),
         ("masked_select_bcast_in", lambda T, x: T.masked_select(
             x, T.tensor([[True, False, True], [False, False, True]])), ("randn",), ((3,),)),
         ("take", lambda T, x: x.take(T.tensor([[0, 5], [5, 1]])), ("randn",), ((2, 3),)),
         ]
# torch's own backward fails when src is larger than index (the src gradient takes index's
# shape), so src matches index here; tests/ops/test_ops_indexing.py covers the larger src.
ROWS += [("scatter", lambda T, x, s: x.scatter(1, T.tensor([[0, 2], [1, 0]]), s),
          ("randn", "randn"), ((2, 3), (2, 2))),
         ("scatter_rows", lambda T, x, s: T.scatter(x, 0, T.tensor([[1, 0, 1]]), s),
          ("randn", "randn"), ((2, 3), (1, 3))),
         ("scatter_value", lambda T, x: x.scatter(1, T.tensor([[0], [2]]), 1.5),
          ("randn",), ((2, 3),)),
         ("scatter_add", lambda T, x, s: x.scatter_add(1, T.tensor([[0, 0, 2], [1, 1, 1]]), s),
          ("randn", "randn"), ((2, 3), (2, 3))),
         ("scatter_add_small", lambda T, x, s: x.scatter_add(1, T.tensor([[0, 0], [2, 2]]), s),
          ("randn", "randn"), ((2, 3), (2, 2))),
         ("scatter_add_fn", lambda T, x, s: T.scatter_add(x, 0, T.tensor([[1, 1], [1, 0]]), s),
          ("randn", "randn"), ((3, 2), (2, 2))),
         ]

# -- sorting ---------------------------------------------------------------------------------------
ROWS += unary("sort", lambda T, x: x.sort(), "distinct", SHAPES_D)
ROWS += unary("sort_desc_dim0", lambda T, x: T.sort(x, 0, descending=True), "distinct", SHAPES_D)
ROWS += unary("sort_ties", lambda T, x: x.sort(stable=True), "ties", SHAPES_D)
ROWS += unary("sort_ties_desc", lambda T, x: x.sort(dim=-1, descending=True, stable=True),
              "ties", SHAPES_D)
ROWS += unary("argsort", lambda T, x: x.argsort(), "distinct", SHAPES_D)
ROWS += unary("argsort_stable_desc",
              lambda T, x: T.argsort(x, dim=0, descending=True, stable=True), "ties", SHAPES_D)
ROWS += unary("topk", lambda T, x: x.topk(1), "distinct", SHAPES_D)
ROWS += unary("topk_small", lambda T, x: T.topk(x, 2, 0, largest=False), "distinct",
              [(3,), (4, 3), (2, 3, 4)])
ROWS += unary("msort", lambda T, x: T.msort(x), "distinct", SHAPES_D)

# -- products --------------------------------------------------------------------------------------
MM = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (5, 3, 4)),
      ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((3,), (5, 3, 4)), ((5, 2, 3), (3,)),
      ((2, 1, 2, 3), (1, 4, 3, 2))]
ROWS += [("matmul", lambda T, a, b: a @ b, ("randn", "randn"), s) for s in MM]
ROWS += [("matmul_fn", lambda T, a, b: T.matmul(a, b), ("randn", "randn"), s) for s in MM[:4]]
ROWS += [("mm", lambda T, a, b: T.mm(a, b), ("randn", "randn"), ((2, 3), (3, 4))),
         ("mm_method", lambda T, a, b: a.mm(b), ("randn", "randn"), ((1, 1), (1, 4))),
         ("bmm", lambda T, a, b: T.bmm(a, b), ("randn", "randn"), ((5, 2, 3), (5, 3, 4))),
         ("mv", lambda T, a, b: T.mv(a, b), ("randn", "randn"), ((2, 3), (3,))),
         ("dot", lambda T, a, b: T.dot(a, b), ("randn", "randn"), ((4,), (4,))),
         ("inner", lambda T, a, b: T.inner(a, b), ("randn", "randn"), ((2, 4), (3, 4))),
         ("outer", lambda T, a, b: T.outer(a, b), ("randn", "randn"), ((4,), (3,))),
         ("addmm", lambda T, c, a, b: T.addmm(c, a, b), ("randn",) * 3, ((2, 4), (2, 3), (3, 4))),
         ("addmm_bcast", lambda T, c, a, b: T.addmm(c, a, b, beta=0.5, alpha=2),
          ("randn",) * 3, ((4,), (2, 3), (3, 4))),
         ("addmm_beta0", lambda T, c, a, b: c.addmm(a, b, beta=0), ("randn",) * 3,
          ((2, 4), (2, 3), (3, 4))),
         ("baddbmm", lambda T, c, a, b: T.baddbmm(c, a, b, alpha=0.5), ("randn",) * 3,
          ((5, 2, 4), (5, 2, 3), (5, 3, 4))),
         ("addmv", lambda T, c, a, b: T.addmv(c, a, b), ("randn",) * 3, ((2,), (2, 3), (3,))),
         ("addmv_bcast", lambda T, c, a, b: c.addmv(a, b, beta=0.5, alpha=2), ("randn",) * 3,
          ((1,), (2, 3), (3,))),
         ("addmv_0d", lambda T, c, a, b: T.addmv(c, a, b, beta=0), ("randn",) * 3,
          ((), (2, 3), (3,))),
         ("addr", lambda T, c, a, b: T.addr(c, a, b), ("randn",) * 3, ((2, 3), (2,), (3,))),
         ("addr_bcast", lambda T, c, a, b: c.addr(a, b, beta=2, alpha=0.5), ("randn",) * 3,
          ((3,), (2,), (3,))),
         ("addr_beta0", lambda T, c, a, b: T.addr(c, a, b, beta=0), ("randn",) * 3,
          ((2, 1), (2,), (3,))),
         ("addbmm", lambda T, c, a, b: T.addbmm(c, a, b), ("randn",) * 3,
          ((2, 4), (5, 2, 3), (5, 3, 4))),
         ("addbmm_bcast", lambda T, c, a, b: c.addbmm(a, b, beta=0.5, alpha=-1), ("randn",) * 3,
          ((4,), (3, 2, 3), (3, 3, 4))),
         ("vdot", lambda T, a, b: T.vdot(a, b), ("randn", "randn"), ((4,), (4,))),
         ("vdot_method", lambda T, a, b: a.vdot(b), ("randn", "randn"), ((1,), (1,))),
         ("chain_matmul", lambda T, a, b, c: T.chain_matmul(a, b, c), ("randn",) * 3,
          ((2, 3), (3, 4), (4, 2))),
         ("chain_matmul_2", lambda T, a, b: T.chain_matmul(a, b), ("randn",) * 2,
          ((2, 3), (3, 3))),
         ("chain_matmul_1", lambda T, a: T.chain_matmul(a), ("randn",), ((2, 3),)),
         # the in-place methods, on a non-leaf
         ("addmv_", lambda T, c, a, b: (c * 1).addmv_(a, b, alpha=2), ("randn",) * 3,
          ((2,), (2, 3), (3,))),
         ("addr_", lambda T, c, a, b: (c * 1).addr_(a, b, beta=0.5), ("randn",) * 3,
          ((2, 3), (2,), (3,))),
         ("addbmm_", lambda T, c, a, b: (c * 1).addbmm_(a, b), ("randn",) * 3,
          ((2, 4), (5, 2, 3), (5, 3, 4))),
         ("addmm_", lambda T, c, a, b: (c * 1).addmm_(a, b, alpha=3), ("randn",) * 3,
          ((2, 4), (2, 3), (3, 4))),
         ("baddbmm_", lambda T, c, a, b: (c * 1).baddbmm_(a, b), ("randn",) * 3,
          ((5, 2, 4), (5, 2, 3), (5, 3, 4))),
         ]

IR = [((4, 3), (3, 3), 0, [0, 2, 0]), ((3, 4), (3, 2), 1, [3, 3])]
ROWS += [(f"index_reduce_{r}{'' if inc else '_excl'}",
          lambda T, a, b, r=r, inc=inc, d=d, i=i: T.index_reduce(a, d, T.tensor(i), b, r,
                                                                include_self=inc),
          ("randn",) * 2, (sa, sb))
         for r in ("prod", "mean", "amax", "amin") for inc in (True, False)
         for sa, sb, d, i in IR]
ROWS += [("index_reduce_ties", lambda T, a, b: a.index_reduce(0, T.tensor([1, 3, 1, 4]), b,
                                                              "amax"), ("ties", "ties"),
          ((5,), (4,))),
         ("index_reduce_", lambda T, a, b: (a * 1).index_reduce_(0, T.tensor([0, 0]), b, "prod",
                                                                 include_self=False),
          ("randn",) * 2, ((2, 3), (2, 3)))]
SR = [((3, 4), (2, 3), 1, [[0, 2, 0], [1, 1, 3]]), ((4, 2), (3, 2), 0, [[3, 0], [3, 3], [1, 0]])]
ROWS += [(f"scatter_reduce_{r}{'' if inc else '_excl'}",
          lambda T, a, b, r=r, inc=inc, d=d, i=i: T.scatter_reduce(a, d, T.tensor(i), b, r,
                                                                  include_self=inc),
          ("randn",) * 2, (sa, sb))
         for r in ("prod", "amax", "amin") for inc in (True, False) for sa, sb, d, i in SR]
ROWS += [("scatter_reduce_ties", lambda T, a, b: a.scatter_reduce(0, T.tensor([1, 3, 1, 4]), b,
                                                                  "amin"), ("ties", "ties"),
          ((5,), (4,))),
         ("scatter_reduce_ties_excl", lambda T, a, b: a.scatter_reduce(
             0, T.tensor([1, 3, 1, 4]), b, "amax", include_self=False), ("ties", "ties"),
          ((5,), (4,))),
         ("scatter_reduce_", lambda T, a, b: (a * 1).scatter_reduce_(
             1, T.tensor([[1, 1, 0]]), b, "prod", include_self=False), ("randn",) * 2,
          ((2, 3), (1, 3)))]

# -- writes into a view's region, copies of one ----------------------------------------------------
ROWS += [("select_scatter", lambda T, a, b: T.select_scatter(a, b, 0, 1), ("randn",) * 2,
          ((3, 4), (4,))),
         ("select_scatter_neg", lambda T, a, b: a.select_scatter(b, -1, -2), ("randn",) * 2,
          ((2, 3, 4), (2, 3))),
         ("select_scatter_1d", lambda T, a, b: T.select_scatter(a, b, 0, 2), ("randn",) * 2,
          ((3,), ())),
         ("slice_scatter", lambda T, a, b: T.slice_scatter(a, b, 1, 0, 4, 2), ("randn",) * 2,
          ((3, 4), (3, 2))),
         ("slice_scatter_default", lambda T, a, b: a.slice_scatter(b), ("randn",) * 2,
          ((3, 4), (3, 4))),
         ("slice_scatter_neg", lambda T, a, b: T.slice_scatter(a, b, -1, -3, None),
          ("randn",) * 2, ((2, 5), (2, 3))),
         ("diagonal_scatter", lambda T, a, b: T.diagonal_scatter(a, b), ("randn",) * 2,
          ((3, 4), (3,))),
         ("diagonal_scatter_offset", lambda T, a, b: T.diagonal_scatter(a, b, 1), ("randn",) * 2,
          ((3, 4), (3,))),
         ("diagonal_scatter_neg", lambda T, a, b: a.diagonal_scatter(b, -1), ("randn",) * 2,
          ((3, 4), (2,))),
         ("diagonal_scatter_3d", lambda T, a, b: T.diagonal_scatter(a, b, 0, 0, 2),
          ("randn",) * 2, ((3, 2, 4), (2, 3))),
         ("diagonal_scatter_3d_adj", lambda T, a, b: T.diagonal_scatter(a, b, 1, 2, 1),
          ("randn",) * 2, ((2, 3, 4), (2, 2))),
         ("put", lambda T, a, b: T.put(a, T.tensor([0, -1, 5]), b), ("randn",) * 2,
          ((3, 4), (3,))),
         ("put_accumulate", lambda T, a, b: a.put(T.tensor([[1, 1], [4, 1]]), b, True),
          ("randn",) * 2, ((2, 3), (2, 2))),
         ("put_repeated", lambda T, a, b: T.put(a, T.tensor([2, 2]), b), ("randn",) * 2,
          ((4,), (2,))),
         ("put_", lambda T, a, b: (a * 1).put_(T.tensor([3, 0]), b, accumulate=True),
          ("randn",) * 2, ((2, 2), (2,))),
         ("narrow_copy", lambda T, a: T.narrow_copy(a, 1, 1, 2), ("randn",), ((3, 4),)),
         # (a negative start: torch's own backward fails on it, a broadcast RuntimeError)
         ("narrow_copy_neg", lambda T, a: a.narrow_copy(-1, 1, 3), ("randn",), ((2, 3, 4),)),
         ]
EINSUM = [("ij,jk->ik", ((2, 3), (3, 4))), ("bij,bjk->bik", ((2, 2, 3), (2, 3, 4))),
          ("ij->", ((2, 3),)), ("ij->j", ((2, 3),)), ("i,j->ij", ((2,), (3,))),
          ("ii->i", ((3, 3),)), ("ii", ((3, 3),)), ("ij,ij->i", ((2, 3), (2, 3))),
          ("...ij,...jk", ((2, 2, 3), (3, 4))), ("ij,jk,kl->il", ((2, 3), (3, 4), (4, 2))),
          ("ji", ((2, 3),)), ("i,i", ((3,), (3,)))]
ROWS += [(f"einsum_{eq}", lambda T, *xs, eq=eq: T.einsum(eq, *xs), ("randn",) * len(s), s)
         for eq, s in EINSUM]

# -- extras: blends, atan2/logaddexp/erf, diagonals, repeat_interleave, meshgrid, diff -----------
ROWS += binary("lerp", lambda T, a, b: T.lerp(a, b, 0.3))
ROWS += binary("lerp_tensor", lambda T, a, b: a.lerp(b, b.sigmoid()))
ROWS += binary("addcmul", lambda T, a, b: T.addcmul(a, b, a, value=-0.5))
ROWS += binary("addcdiv", lambda T, a, b: a.addcdiv(a, b, value=2), ("randn", "pos"))
ROWS += binary("atan2", lambda T, a, b: T.atan2(a, b))
ROWS += binary("logaddexp", lambda T, a, b: T.logaddexp(a, b), ("wide", "wide"))
ROWS += unary("erf", lambda T, x: T.erf(x), "wide")
ROWS += binary("logaddexp2", lambda T, a, b: T.logaddexp2(a, b), ("wide", "wide"))
ROWS += binary("hypot", lambda T, a, b: T.hypot(a, b))
ROWS += binary("copysign", lambda T, a, b: T.copysign(a, b), ("randn", "ties"))
ROWS += unary("copysign_number", lambda T, x: x.copysign(-2), "ties")
ROWS += binary("fmax", lambda T, a, b: T.fmax(a, b), ("ties", "ties"))
ROWS += binary("fmin", lambda T, a, b: a.fmin(b), ("ties", "ties"))
ROWS += binary("float_power", lambda T, a, b: T.float_power(a, b), ("pos", "randn"))
ROWS += unary("float_power_number", lambda T, x: x.float_power(3), "ties")
ROWS += unary("float_power_number_base", lambda T, x: T.float_power(2.5, x))
ROWS += binary("nextafter", lambda T, a, b: T.nextafter(a, b), ("ties", "ties"))
ROWS += binary("ldexp", lambda T, a, b: T.ldexp(a, b), ("randn", "halves"))
ROWS += unary("frexp", lambda T, x: T.frexp(x * 7), "wide")
ROWS += unary("renorm", lambda T, x: T.renorm(x, 2, 0, 1.5), "wide", SHAPES_2)
ROWS += unary("renorm_p1", lambda T, x: x.renorm(1, -1, 2.0), "wide", SHAPES_2)
ROWS += unary("renorm_p3", lambda T, x: x.renorm(3, 1, 1.0), "wide", SHAPES_2)
ROWS += unary("renorm_inf", lambda T, x: T.renorm(x, math.inf, 0, 1.0), "ties", SHAPES_2)
ROWS += unary("diag_vec", lambda T, x: T.diag(x), shapes=[(1,), (4,)])
ROWS += unary("diag_vec_k", lambda T, x: x.diag(-1), shapes=[(3,)])
ROWS += unary("diag_mat", lambda T, x: T.diag(x, 1), shapes=[(3, 4), (4, 3)])
ROWS += unary("diagonal", lambda T, x: x.diagonal(), shapes=SHAPES_2)
ROWS += unary("diagonal_dims", lambda T, x: T.diagonal(x, -1, 0, 2), shapes=[(2, 3, 4), (3, 1, 5)])
ROWS += unary("diagonal_last", lambda T, x: T.diagonal(x, 0, -1, -2), shapes=[(2, 3, 4)])
ROWS += unary("trace", lambda T, x: T.trace(x), shapes=[(1, 1), (4, 3), (3, 5)])
ROWS += unary("repeat_interleave", lambda T, x: x.repeat_interleave(2), shapes=SHAPES_D)
ROWS += unary("repeat_interleave_dim", lambda T, x: T.repeat_interleave(x, 3, dim=0),
              shapes=SHAPES_D)
ROWS += unary("repeat_interleave_tensor",
              lambda T, x: x.repeat_interleave(T.tensor([2, 0, 1]), dim=-1), shapes=[(3,), (2, 3)])
ROWS += unary("diff", lambda T, x: T.diff(x), shapes=SHAPES_D)
ROWS += unary("diff_n2", lambda T, x: x.diff(n=2, dim=0), shapes=[(4,), (5, 2)])
ROWS += [("diff_prepend", lambda T, x, p: T.diff(x, dim=0, prepend=p), ("randn", "randn"),
          ((3, 2), (1, 2)))]
ROWS += [("meshgrid_ij", lambda T, a, b: T.meshgrid(a, b, indexing="ij"), ("randn", "randn"),
          ((3,), (4,))),
         ("meshgrid_xy", lambda T, a, b, c: T.meshgrid([a, b, c], indexing="xy"),
          ("randn",) * 3, ((3,), (4,), (2,)))]

# Rows whose grad_fn name differs from torch's on purpose: torch computes ``inner`` and
# ``einsum`` as chains of ops whose last node depends on the equation; ours are one node each.
NAME_EXEMPT = {"inner"} | {f"einsum_{eq}" for eq, _ in EINSUM}


def _ids(rows):
    return [f"{r[0]}-{r[3]}" for r in rows]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("row", ROWS, ids=_ids(ROWS))
def test_op_parity(row, dtype):
    name, fn, kinds, shapes = row
    args = [data(k, s, dtype, seed=i) for i, (k, s) in enumerate(zip(kinds, shapes))]
    for layout in layouts(shapes):
        check(fn, *args, layout=layout, grad_fn_name=name not in NAME_EXEMPT)


# Double backward: rows whose second-order values do not yet match torch's for some of their
# shapes (an expected failure there; the other shapes are checked):
DOUBLE_PENDING = {
    # torch's 2-norm backward is g * (a / out) masked at out = 0, whose derivative in a there is
    # 0 / 0 = NaN; ours divides the reduced g by out (4-6x faster first-order backward) and its
    # second derivative at a zero norm is 0
    "norm_zero": "second derivative at a zero 2-norm: torch NaN, ours 0 (a faster arrangement)",
}
# (row, shapes) pending at that shape only: the "ties" sample holds a zero only at (2, 3, 4)
DOUBLE_PENDING_AT = {}
# (row, shapes) whose values agree but whose gradient's grad_fn name differs from torch's at
# that shape only: var of one element with correction 1 (n - correction = 0), where torch's
# var_backward takes a branch of its own (a NaN gradient made by a copy, ToCopyBackward0)
DOUBLE_NAME_DIFFERS_AT = {("var", ((1,),))}
# Rows whose values agree but whose gradient's grad_fn name differs from torch's: torch's
# backward formula ends with another op than ours. One reason per row:
DOUBLE_NAME_DIFFERS = {}
DOUBLE_NAME_DIFFERS.update(dict.fromkeys(
    ('matmul', 'matmul_fn'),
    ("torch's matmul reshapes 1-D and batched operands around mm/bmm (unsqueeze, squeeze_, "
     "views: its last node depends on the shapes); ours one matmul kernel (mm, dot, mv, bmm "
     "take torch's formulas)")
))
DOUBLE_NAME_DIFFERS.update(dict.fromkeys(
    ('block_diag', 'cartesian_prod', 'column_stack', 'combinations_r1'),
    ("a composite in torch (reshape/slices of its own ops); ours one kernel whose backward "
     "ends with a view")
))
DOUBLE_NAME_DIFFERS.update(dict.fromkeys(
    ('getitem2d_bool_scalar', 'getitem2d_int_list', 'getitem2d_mask_then_slice',
    'getitem_bool_scalar', 'getitem_int_list', 'getitem_mask_then_slice'),
    ("advanced indexing: torch's backward is index_put_ with its own accumulate kernel "
     "(IndexPutImpl vs IndexPut per index kind); ours writes the grid")
))
DOUBLE_NAME_DIFFERS.update(dict.fromkeys(
    ('getitem2d_int_none', 'getitem2d_int_slice', 'getitem2d_none', 'getitem2d_none_ell_none',
    'getitem2d_none_int', 'getitem2d_slice_int', 'getitem_int_none', 'getitem_int_slice',
    'getitem_none', 'getitem_none_ell_none', 'getitem_none_int', 'getitem_slice_int'),
    ("basic indexing: torch's backward chains its view nodes (select/slice/unsqueeze backward) "
     "in another order than our index_put of the whole index")
))
DOUBLE_NAME_DIFFERS.update(dict.fromkeys(
    ('index_reduce_mean', 'index_reduce_mean_excl'),
    "index_reduce's mean: torch divides (DivBackward0) and index_fills, ours index_put/where"
))
def _xfail_if_pending(name, shapes, *tables) -> None:
    """xfail a failing row listed in a (by row, by (row, shapes)) pair of pending tables, with
    the reason the table gives; a row in none of them fails."""
    for by_row, by_shape in tables:
        if name in by_row:
            pytest.xfail(by_row[name])
        if (name, tuple(shapes)) in by_shape:
            pytest.xfail(by_shape[name, tuple(shapes)])


@pytest.mark.parametrize("row", ROWS, ids=_ids(ROWS))
def test_op_double_backward(row):
    """The second column of the table: grad of grad against torch (float64, both layouts),
    and the grad_fn names of the gradients (torch's double-backward nodes)."""
    name, fn, kinds, shapes = row
    args = [data(k, s, np.float64, seed=i) for i, (k, s) in enumerate(zip(kinds, shapes))]
    try:
        for layout in layouts(shapes):
            check_double(fn, *args, layout=layout, grad_fn_name=name not in NAME_EXEMPT
                         and name not in DOUBLE_NAME_DIFFERS
                         and (name, tuple(shapes)) not in DOUBLE_NAME_DIFFERS_AT)
    except (AssertionError, RuntimeError):
        _xfail_if_pending(name, shapes, (DOUBLE_PENDING, DOUBLE_PENDING_AT))
        raise
    assert name not in DOUBLE_PENDING, f"{name} passes: remove it from DOUBLE_PENDING"
    assert (name, tuple(shapes)) not in DOUBLE_PENDING_AT, \
        f"{name} at {shapes} passes: remove it from DOUBLE_PENDING_AT"


@pytest.mark.parametrize("row", ROWS, ids=_ids(ROWS))
def test_op_constant_upstream(row):
    """A third column: the gradient for a constant upstream gradient (``grad(y.sum(), x,
    create_graph=True)``). Where it does not depend on the input (abs, sign-like and
    piecewise-constant derivatives, max/min, indexing), torch's still has a node when its
    formula reads the input (derivative 0): requires_grad, grad_fn names and the outcome of
    differentiating it again (None or zeros) are compared with torch's."""
    name, fn, kinds, shapes = row
    args = [data(k, s, np.float64, seed=i) for i, (k, s) in enumerate(zip(kinds, shapes))]
    try:
        check_constant_upstream(fn, *args, grad_fn_name=name not in NAME_EXEMPT
                                and name not in DOUBLE_NAME_DIFFERS
                                and (name, tuple(shapes)) not in DOUBLE_NAME_DIFFERS_AT)
    except (AssertionError, RuntimeError):
        _xfail_if_pending(name, shapes, (DOUBLE_PENDING, DOUBLE_PENDING_AT))
        raise


# Second backward through freed graphs (harness.check_second_backward): rows whose outcome
# differs from torch's (a value where torch raises "Trying to backward through the graph a
# second time", or the reverse), with the reason. By row:
SECOND_BACKWARD_PENDING = {
    # torch's single-operand einsum is a diagonal view (DiagonalBackwardBackward0 saves
    # nothing); ours writes the diagonal with an index_put, which saves its index
    "einsum_ii": "ours writes the diagonal with index_put (saves the index); torch's view "
                 "backward saves nothing",
    "einsum_ii->i": "ours writes the diagonal with index_put (saves the index); torch's view "
                    "backward saves nothing",
    # torch contracts three operands as two bmm's whose second-order graph reuses the first
    # product's node (freed by the first second backward); ours is one einsum kernel
    "einsum_ij,jk,kl->il": "torch's chain of bmm's shares a node between the second-order "
                           "graphs; ours one einsum kernel",
}
# (row, shapes) whose outcome differs at that shape only
SECOND_BACKWARD_PENDING_AT: dict = {}


def _first_and_last_shapes(rows):
    """Each row name at its first and last shapes (0-d, and the largest): whether a node
    saves tensors does not depend on the shape otherwise, and the column stays cheap."""
    by_name: dict = {}
    for r in rows:
        by_name.setdefault(r[0], []).append(r)
    return [r for rs in by_name.values() for r in (rs[:1] + rs[1:][-1:])]


SECOND_ROWS = _first_and_last_shapes(ROWS)


@pytest.mark.parametrize("row", SECOND_ROWS, ids=_ids(SECOND_ROWS))
def test_op_second_backward(row):
    """A fourth column: backward calls through freed graphs (first order twice without
    retain_graph, each second-order gradient twice, the first-order graph after create_graph)
    give torch's outcome: a node raises "Trying to backward through the graph a second time"
    exactly where torch's saved tensors (an index, a mask, an operand; never a Scalar or a
    size), and gradients share a node only where torch's do."""
    name, fn, kinds, shapes = row
    args = [data(k, s, np.float64, seed=i) for i, (k, s) in enumerate(zip(kinds, shapes))]
    try:
        check_second_backward(fn, *args)
    except (AssertionError, RuntimeError):
        _xfail_if_pending(name, shapes, (DOUBLE_PENDING, DOUBLE_PENDING_AT),
                          (SECOND_BACKWARD_PENDING, SECOND_BACKWARD_PENDING_AT))
        raise
    assert name not in SECOND_BACKWARD_PENDING, \
        f"{name} passes: remove it from SECOND_BACKWARD_PENDING"
    assert (name, tuple(shapes)) not in SECOND_BACKWARD_PENDING_AT, \
        f"{name} at {shapes} passes: remove it from SECOND_BACKWARD_PENDING_AT"


# The elementwise rows at their largest shape: third derivatives (torch's third column of
# gradgradcheck-like checks: the second-order graph differentiated once more)
THIRD_ROWS = [rs[-1] for rs in {r[0]: [x for x in ROWS[:N_ELEMENTWISE] if x[0] == r[0]]
                                for r in ROWS[:N_ELEMENTWISE]}.values()]
# and scatter_reduce / index_reduce with prod, whose backward is prod again (a recorded
# ScatterReduceBackward0 / IndexReduceBackward0 at every order)
THIRD_ROWS += [r for r in ROWS if r[0] in (
    "scatter_reduce_prod", "scatter_reduce_prod_excl", "scatter_reduce_",
    "index_reduce_prod", "index_reduce_prod_excl", "index_reduce_")]


@pytest.mark.parametrize("row", THIRD_ROWS, ids=_ids(THIRD_ROWS))
def test_op_third_order(row):
    """Derivatives of the first three orders of the elementwise table against torch's
    (harness.check_higher_orders)."""
    name, fn, kinds, shapes = row
    args = [data(k, s, np.float64, seed=i) for i, (k, s) in enumerate(zip(kinds, shapes))]
    try:
        check_higher_orders(fn, *args)
    except (AssertionError, RuntimeError):
        _xfail_if_pending(name, shapes, (DOUBLE_PENDING, DOUBLE_PENDING_AT))
        raise
