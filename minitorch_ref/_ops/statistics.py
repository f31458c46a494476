"""Statistics: the NaN-ignoring reductions (``nansum``, ``nanmean``), quantiles, covariance and
correlation (``cov``, ``corrcoef``), histograms (``histc``, ``histogram``).

Each op reads top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring,
``forward`` beside ``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out),
then the public function with torch's checks."""
from __future__ import annotations

import warnings

import numpy as np

from .._dtype import from_numpy_dtype, to_numpy_dtype
from .._names import c_type_name, scalar_type_name
from ..autograd.function import ArrayFunction
from ..autograd.grad_mode import is_grad_enabled
from ..autograd.graph_array import GraphArray
from ..return_types import make_return
from ._arguments import argument_error
from ._half import half_accumulated
from ._util import (Tensor, _new_tensor, as_dtype, check_tensor_input, is_recorded, new_zeros,
                    normalize_dims, wrap_dim, zero_where)
from .out import reduce_dtype, supports_out, with_out, with_outs
from .sorting import torch_sort_order

__all__ = ["nansum", "nanmean", "quantile", "nanquantile", "cov", "corrcoef", "histc",
           "histogram"]


def _values(x) -> np.ndarray:
    """The plain values of ``x`` (a forward replayed under create_graph gets GraphArrays):
    for the positions an op picks, which carry no gradient."""
    return x.t._data if isinstance(x, GraphArray) else x


def _keep(g, shape: tuple, dims: tuple, keepdim: bool):
    """``g`` with the reduced dims restored as size-1 dims, so that it broadcasts over them."""
    if keepdim or not dims or g.ndim == 0:
        return g
    return g.reshape([1 if i in dims else s for i, s in enumerate(shape)])


# -- nansum, nanmean -------------------------------------------------------------------------------

class Nansum(ArrayFunction):
    """out = sum of a over ``dims``, NaNs counted as 0.
    dL/da = g broadcast over ``dims``, times 0 where a is NaN (torch multiplies by the mask: an
    infinite g there gives NaN, as in an all-NaN slice of ``nanmean``)."""

    _backward_name = "NansumBackward0"
    _saved_attrs = ("nan",)  # torch's node saves the input

    @staticmethod
    def forward(ctx, a, dims, keepdim, dtype):
        ctx.shape, ctx.dims, ctx.keepdim, ctx.dtype = a.shape, dims, keepdim, a.dtype
        nan = np.isnan(a)
        ctx.nan = nan
        a = zero_where(a, nan)
        if dtype is not None and dtype != a.dtype:
            a = a.astype(dtype)  # an integer dtype: each value truncated, then summed
        if a.dtype == np.bool_:
            return np.asarray(a.any(axis=dims, keepdims=keepdim))
        if a.dtype == np.float16 and type(a) is np.ndarray:  # as sum: in float32, one rounding
            return half_accumulated(np.sum, a, axis=dims, keepdims=keepdim)
        return np.asarray(a.sum(axis=dims, keepdims=keepdim, dtype=a.dtype))

    @staticmethod
    def backward(ctx, g):
        grad = _keep(as_dtype(g, ctx.dtype), ctx.shape, ctx.dims, ctx.keepdim) * ~ctx.nan
        return grad, None, None, None


def _nansum_out(out, input, dim=None, keepdim=False, *, dtype=None):
    """``out=``: computed in out's dtype unless ``dtype`` is given; a float input into an
    integer ``out`` without ``dtype`` has no kernel in torch."""
    if dtype is None and input._data.dtype.kind == "f" and out._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"nansum_cpu\" not implemented for '{scalar_type_name(out._data.dtype)}'")
    return with_out(out, "nansum", nansum, input, dim, keepdim, dtype=reduce_dtype(out, dtype),
                    rule="exact", overlap=None)


@supports_out(handler=_nansum_out)
def nansum(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None, out=None) -> Tensor:
    """The sum over ``dim`` (all dims by default) with NaN taken as zero. Integer and bool
    inputs sum as ``torch.sum`` does (to int64); an integer ``dtype`` for a float input
    truncates each value (NaN as 0) before summing, as torch casts first."""
    if not isinstance(input, Tensor):
        raise argument_error(nansum, locals())
    from .reduction import sum as _sum
    a = input._data
    if a.dtype.kind in "biu":
        return _sum(input, dim, keepdim, dtype=dtype)
    np_dtype = a.dtype if dtype is None else to_numpy_dtype(dtype)
    if np_dtype.kind != "f" and input.requires_grad and is_grad_enabled():
        raise RuntimeError(f"Autograd not support dtype: {scalar_type_name(np_dtype)}")
    dims = normalize_dims(dim, a.ndim)
    return Nansum.apply(input, dims, bool(keepdim), None if np_dtype == a.dtype else np_dtype)


def _nanmean_out(out, input, dim=None, keepdim=False, *, dtype=None):
    """``out=``: as ``nansum``'s (torch writes the sum into ``out``, then divides in place)."""
    if dtype is None and input._data.dtype.kind == "f" and out._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"nansum_cpu\" not implemented for '{scalar_type_name(out._data.dtype)}'")
    return with_out(out, "nansum", nanmean, input, dim, keepdim, dtype=reduce_dtype(out, dtype),
                    rule="exact", overlap=None)


@supports_out(handler=_nanmean_out)
def nanmean(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None, out=None) -> Tensor:
    """The mean over ``dim`` of the values that are not NaN: nansum / (their count), as torch
    composes it (so its node is the division's; an all-NaN slice gives NaN)."""
    if not isinstance(input, Tensor):
        raise argument_error(nanmean, locals())
    from .arithmetic import div
    from .comparison import isnan, logical_not
    from .reduction import sum as _sum
    a = input._data
    if a.dtype.kind != "f":
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype "
                           f"but got {scalar_type_name(a.dtype)}")
    if dtype is not None and to_numpy_dtype(dtype).kind != "f":
        raise RuntimeError("nanmean(): could not infer output dtype. Optional dtype must be "
                           f"either a floating point or complex dtype. Got: "
                           f"{scalar_type_name(to_numpy_dtype(dtype))}")
    count = _sum(logical_not(isnan(input)), dim, keepdim)
    return div(nansum(input, dim, keepdim, dtype=dtype), count)


# -- quantile, nanquantile -------------------------------------------------------------------------

_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _lerp(a, b, w):
    """torch's lerp: a + w (b - a) for w < 1/2, else b - (b - a)(1 - w)."""
    return np.where(w < 0.5, a + w * (b - a), b - (b - a) * (1 - w))


class Quantile(ArrayFunction):
    """out[j] = the q_j-quantile of each slice (the reduced dims moved last and flattened):
    sorted s, rank r = q_j (n - 1) (``nanquantile``: n the count of non-NaN values; ``quantile``
    with a NaN in the slice: r = n - 1, so NaN), rounded down/up/to nearest by
    ``interpolation``; out = lerp(s[floor r], s[ceil r], w) with w = r - floor r (``midpoint``:
    1/2; ``lower``, ``higher``, ``nearest``: s[r]).
    dL/ds[floor r] += g (1 - w),  dL/ds[ceil r] += g w, sent back through the sort."""

    _backward_name = "SqueezeBackward4"  # torch ends its composite with an in-place squeeze_
    _saved_attrs = ("order",)  # torch's node saves the sort's indices

    @staticmethod
    def forward(ctx, a, q, dims, keepdim, interpolation, ignore_nan, scalar_q):
        rest = tuple(d for d in range(a.ndim) if d not in dims)
        moved = np.transpose(a, rest + dims)
        kept = moved.shape[:len(rest)]
        rows = moved.reshape(kept + (-1,))
        # NaN last; ties ordered as torch's sort leaves them (an index: from the values alone)
        order = torch_sort_order(_values(rows))
        s = np.take_along_axis(rows, order, axis=-1)
        n = s.shape[-1]
        nan = np.isnan(s)
        q = np.asarray(q, a.dtype).reshape(-1)
        if ignore_nan:
            ranks = q * (np.sum(~nan, axis=-1, keepdims=True) - 1).astype(a.dtype)
            ranks = np.where(ranks < 0, 0, ranks)
        else:
            ranks = np.where(nan.any(axis=-1, keepdims=True), n - 1, q * (n - 1)).astype(
                a.dtype)
        if interpolation == "lower":
            ranks = np.floor(ranks)
        elif interpolation == "higher":
            ranks = np.ceil(ranks)
        elif interpolation == "nearest":
            ranks = np.round(ranks)  # half to even, as torch's round
        below = ranks.astype(np.int64)
        out = np.take_along_axis(s, below, axis=-1)
        above, w = below, None
        if interpolation in ("linear", "midpoint"):
            w = np.full_like(ranks, 0.5) if interpolation == "midpoint" else \
                (ranks - below).astype(a.dtype)
            above = np.ceil(ranks).astype(np.int64)
            out = _lerp(out, np.take_along_axis(s, above, axis=-1), w)
        ctx.order, ctx.below, ctx.above, ctx.rows_shape = order, below, above, rows.shape
        ctx.shape, ctx.perm = a.shape, rest + dims
        ctx.save_for_backward(w)
        out = np.moveaxis(out, -1, 0)  # (len(q), kept...)
        if keepdim:
            out = out.reshape(out.shape[:1] + tuple(
                1 if d in dims else a.shape[d] for d in range(a.ndim)))
        ctx.scalar_q = scalar_q
        return out[0] if scalar_q else out

    @staticmethod
    def backward(ctx, g):
        (w,) = ctx.saved_tensors
        if ctx.scalar_q:
            g = g[None]
        g = np.moveaxis(g.reshape((g.shape[0],) + ctx.rows_shape[:-1]), 0, -1)
        gs = new_zeros(g, ctx.rows_shape)
        lead = tuple(np.indices(g.shape, sparse=True)[:-1])
        if w is None:
            np.add.at(gs, lead + (ctx.below,), g)
        else:
            np.add.at(gs, lead + (ctx.below,), g * (1 - w))
            np.add.at(gs, lead + (ctx.above,), g * w)
        grad_rows = new_zeros(g, ctx.rows_shape)
        np.put_along_axis(grad_rows, ctx.order, gs, axis=-1)
        if is_recorded(grad_rows):
            dims = ctx.perm[len(ctx.rows_shape) - 1:]  # the reduced dims, after the kept ones
            return (_quantile_layout_back(grad_rows, ctx.shape, dims),
                    None, None, None, None, None, None)
        moved_shape = tuple(ctx.shape[d] for d in ctx.perm)
        back = tuple(int(i) for i in np.argsort(ctx.perm))
        return (np.transpose(grad_rows.reshape(moved_shape), back),
                None, None, None, None, None, None)


def _quantile_layout_back(grad_rows, shape: tuple, dims: tuple):
    """The sorted rows' gradient back in the input's layout as torch's quantile gets there
    (create_graph): it sorts ``self.flatten()`` (a view unless 1-D), ``self`` itself along
    the last dim, else ``self.unsqueeze(-1).transpose(dim, -1)``, so the gradient's last
    node is that view's, the sort's scatter, or a squeeze."""
    if len(dims) == len(shape):  # no dim (every dim)
        return grad_rows if len(shape) == 1 else grad_rows.reshape(shape)
    d = dims[0]
    if d == len(shape) - 1:
        return grad_rows
    return np.squeeze(np.swapaxes(np.expand_dims(grad_rows, d), d, -1), -1)


def _quantile(fn: str, input: Tensor, q, dim, keepdim: bool, interpolation: str,
              ignore_nan: bool) -> Tensor:
    a = input._data
    if isinstance(dim, (tuple, list)):
        raise TypeError(
            f"{fn}() received an invalid combination of arguments - got (Tensor, "
            f"{'Tensor' if isinstance(q, Tensor) else type(q).__name__}, dim={type(dim).__name__})"
            ", but expected one of:")
    if a.size == 0:
        raise RuntimeError("quantile() input tensor must be non-empty")
    if isinstance(q, Tensor):
        if q.dim() > 1:
            raise RuntimeError("quantile() q must be a scalar or 1D tensor")
    if a.dtype not in (np.float32, np.float64):
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    if isinstance(q, Tensor):
        if q._data.dtype != a.dtype:
            raise RuntimeError("quantile() q tensor must be same dtype as the input tensor")
        qa = q._data
        if not np.all((qa >= 0) & (qa <= 1)):
            raise RuntimeError("quantile() q values must be in the range [0, 1]")
    else:
        if not 0 <= q <= 1:
            raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {q}")
        qa = np.asarray(q, a.dtype)
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError("quantile() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest, but got {interpolation}")
    dims = tuple(range(a.ndim)) if dim is None else (wrap_dim(dim, a.ndim),)
    if a.ndim == 0:
        dims = ()  # one element, whatever dim names
    scalar_q = not isinstance(q, Tensor) or q.dim() == 0
    return Quantile.apply(input, qa, dims, bool(keepdim), interpolation, ignore_nan, scalar_q)


@supports_out(rule="quantile", copy=True)
def quantile(input: Tensor, q, dim=None, keepdim: bool = False, *,
             interpolation: str = "linear", out=None) -> Tensor:
    """The q-quantiles of ``input`` over ``dim`` (all elements by default): for a 1-D ``q``,
    one per q, in a new first dim. A slice holding a NaN gives NaN (see ``Quantile``)."""
    if not isinstance(input, Tensor):
        raise argument_error(quantile, locals())
    return _quantile("quantile", input, q, dim, keepdim, interpolation, False)


@supports_out("nanquantile", rule="quantile", copy=True)
def nanquantile(input: Tensor, q, dim=None, keepdim: bool = False, *,
                interpolation: str = "linear", out=None) -> Tensor:
    """``quantile`` of the values that are not NaN (NaN where a slice holds nothing else)."""
    if not isinstance(input, Tensor):
        raise argument_error(nanquantile, locals())
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, True)


# -- cov, corrcoef ---------------------------------------------------------------------------------
# torch composes both from its ops (their gradients, and second derivatives, are those ops'), and
# so do we, step for step.

def _check_weights(name: str, w: Tensor, n: int, integral: bool) -> None:
    if w.dim() > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got "
                           f"{name} with {w.dim()} dimensions")
    kind = w._data.dtype.kind
    if (integral and kind not in "iu") or (not integral and kind != "f"):
        raise RuntimeError(
            f"cov(): expected {name} to have {'integral' if integral else 'floating point'} "
            f"dtype but got {name} with {scalar_type_name(w._data.dtype)} dtype")
    if w.numel() != n:
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are "
                           f"observations in the input but got {w.numel()} != {n}")
    if n and w._data.min() < 0:
        raise RuntimeError(f"cov(): {name} cannot be negative")


def cov(input: Tensor, *, correction: int = 1, fweights: Tensor | None = None,
        aweights: Tensor | None = None) -> Tensor:
    """The covariance matrix of the variables in ``input``'s rows (a 1-D input: one variable),
    over the observations in its columns, weighted by ``fweights * aweights``:
    avg = sum_j w_j x_j / sum w,  cov = (x - avg) diag(w) (x - avg)^T / norm, with
    norm = sum w - correction (with aweights: sum w - correction sum(w aweights) / sum w); a
    norm <= 0 warns and divides by 0, as torch's."""
    from .linalg import mm
    from .reduction import sum as _sum
    from .shape import squeeze, unsqueeze
    check_tensor_input("cov", input)
    if type(correction) is not int:
        raise TypeError(f"cov(): argument 'correction' must be int, not "
                        f"{type(correction).__name__}")
    if input.dim() > 2:
        raise RuntimeError("cov(): expected input to have two or fewer dimensions but got an "
                           f"input with {input.dim()} dimensions")
    if input._data.dtype == np.bool_:
        raise RuntimeError("cov(): bool dtype is not supported for input")
    x = input.reshape(1, -1) if input.dim() < 2 else input
    n = x.shape[1]
    w = None
    if fweights is not None:
        _check_weights("fweights", fweights, n, True)
        w = fweights
    if aweights is not None:
        _check_weights("aweights", aweights, n, False)
        w = aweights if w is None else w * aweights
    w_sum = _new_tensor(np.asarray(n, np.int64)) if w is None else _sum(w)
    if w is not None and not w_sum._data:
        raise RuntimeError("cov(): weights sum to zero, can't be normalized")
    avg = _sum(x if w is None else x * w, 1) / w_sum
    if w is not None and correction != 0:
        norm = w_sum - (correction if aweights is None
                        else correction * _sum(w * aweights) / w_sum)
    else:
        norm = w_sum - correction
    if norm._data <= 0:
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the number of observations.", UserWarning, stacklevel=2)
        norm = _new_tensor(np.zeros((), norm._data.dtype))
    x = x - unsqueeze(avg, 1)
    return squeeze(mm(x, (x if w is None else x * w).t()) / norm)


def corrcoef(input: Tensor) -> Tensor:
    """Pearson's correlation coefficients: ``cov(input)`` divided by the outer product of the
    standard deviations (its diagonal's square roots), clipped to [-1, 1]; for a single
    variable cov / cov (1, or NaN)."""
    from .diagonals import diagonal
    from .pointwise import clamp, sqrt
    check_tensor_input("corrcoef", input)
    if input.dim() > 2:
        raise RuntimeError("corrcoef(): expected input to have two or fewer dimensions but got "
                           f"an input with {input.dim()} dimensions")
    c = cov(input)
    if c.dim() == 0:
        return c / c
    stddev = sqrt(diagonal(c))
    c = c / stddev.reshape(-1, 1)
    c = c / stddev.reshape(1, -1)
    return clamp(c, -1, 1)


# -- histc, histogram ------------------------------------------------------------------------------

def _bin_positions(x: np.ndarray, lo, hi, bins: int, edges, linear: bool):
    """The elements of ``x`` inside [lo, hi] (NaN is not) and the bin of each, as torch's kernel
    finds it. ``linear`` (evenly spaced bins): pos = (x - lo) * bins / (hi - lo) in x's dtype,
    truncated; given ``edges``, it then moves to where they put x among the bins beside it.
    Otherwise a binary search of ``edges``. The last bin includes its right edge."""
    with np.errstate(invalid="ignore"):
        inside = (x >= lo) & (x <= hi)
    xs = x[inside]
    if linear:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            pos = ((xs - lo) * x.dtype.type(bins) / (hi - lo)).astype(np.int64)
        if edges is not None:  # upper_bound over edges[pos - 1 : pos + 2], minus one
            first = np.maximum(pos - 1, 0)
            window = first[:, None] + np.arange(3)
            within = window < np.minimum(pos + 2, edges.size)[:, None]
            below = (edges[np.minimum(window, bins)] <= xs[:, None]) & within
            pos = first + below.sum(axis=1) - 1
    else:
        pos = np.searchsorted(edges, xs, side="right") - 1
    return inside, np.where(pos == bins, bins - 1, pos)


def _counts(x: np.ndarray, lo, hi, bins: int, edges, weight, linear: bool) -> np.ndarray:
    inside, pos = _bin_positions(x, lo, hi, bins, edges, linear)
    hist = np.zeros(bins, x.dtype)
    np.add.at(hist, pos, 1 if weight is None else weight[inside])
    return hist


def _check_kernel_dtype(a: np.ndarray, linear: bool) -> None:
    """torch computes histograms of floats (float16 only with given edges or range); a bool input
    fails first in the linspace of its edges."""
    if a.dtype.kind != "f":
        kernel = "linspace_cpu" if a.dtype == np.bool_ and linear else "histogram_cpu"
        raise NotImplementedError(
            f"\"{kernel}\" not implemented for '{scalar_type_name(a.dtype)}'")


def _range_str(v: float, nan: str = "nan") -> str:
    """A double as torch's messages print it (C++ streams: 6 significant digits)."""
    return nan if v != v else f"{v:g}"


def _histc_out(out, input, bins=100, min=0, max=0):  # noqa: A002 - torch's names
    if isinstance(out, Tensor) and isinstance(input, Tensor) \
            and out._data.dtype != input._data.dtype:
        raise RuntimeError(
            "torch.histogram: input tensor and hist tensor should have the same dtype, but got "
            f"input {c_type_name(input._data.dtype)} and hist {c_type_name(out._data.dtype)}")
    return with_out(out, "histc", histc, input, bins, min, max, rule="any",
                    differentiable=None, overlap=None)


@supports_out(handler=_histc_out)
def histc(input: Tensor, bins: int = 100, min=0, max=0, *, out=None) -> Tensor:  # noqa: A002
    """Counts of ``input``'s elements in ``bins`` equal bins over [min, max] (min == max: over
    the data's range, widened by 1 both ways if that is one value); elements outside, and NaN,
    are not counted. Not differentiable (the result does not require grad, as torch's)."""
    check_tensor_input("histc", input)
    if type(bins) is not int:
        raise TypeError(f"histc(): argument 'bins' (position 2) must be int, not "
                        f"{type(bins).__name__}")
    a = input._data
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    lo, hi, nan = float(min), float(max), "-nan" if np.signbit(float(min)) else "nan"
    if lo == hi and a.size:
        lo, hi, nan = float(a.min()), float(a.max()), "-nan"
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{_range_str(lo, nan)}, "
                           f"{_range_str(hi, nan)}] is not finite")
    if not lo < hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    _check_kernel_dtype(a, True)
    t = a.dtype.type  # (torch's edges are a linspace in a's dtype: its ends are lo and hi)
    return _new_tensor(_counts(a.ravel(), t(lo), t(hi), bins, None, None, True))


class Histogram(ArrayFunction):
    """(hist, bin_edges) of ``histogram``. torch gives it no derivative: both outputs are
    recorded, and backward raises torch's error."""

    _backward_name = "torch::autograd::NotImplemented"

    @staticmethod
    def forward(ctx, a, edges, weight, linear, density):
        hist = _counts(a.ravel(), edges[0], edges[-1], edges.size - 1, edges,
                       None if weight is None else weight.ravel(), linear)
        if density:
            hist = hist / a.dtype.type(hist.sum()) / np.diff(edges)
        return hist, edges.copy()

    @staticmethod
    def backward(ctx, g_hist, g_edges):
        raise RuntimeError("derivative for aten::histogram is not implemented")


_HISTOGRAM = make_return("histogram", ("hist", "bin_edges"))


def _histogram_out(out, input, bins=100, *, range=None, weight=None,  # noqa: A002
                   density=False):
    if isinstance(out, (tuple, list)) and len(out) == 2 and isinstance(input, Tensor) \
            and all(isinstance(o, Tensor) for o in out):
        for o, what in zip(out, ("hist", "bin_edges")):
            if o._data.dtype != input._data.dtype:
                raise RuntimeError(
                    f"torch.histogram: input tensor and {what} tensor should have the same "
                    f"dtype, but got input {c_type_name(input._data.dtype)} and {what} "
                    f"{c_type_name(o._data.dtype)}" + (" for dimension 0" if o is out[1] else ""))
    return with_outs(out, "histogram", ("hist", "bin_edges"), histogram, input, bins,
                     range=range, weight=weight, density=density, rules=("any", "any"),
                     differentiable=False, position=2)


@supports_out(handler=_histogram_out)
def histogram(input: Tensor, bins=100, *, range=None, weight=None,  # noqa: A002
              density: bool = False, out=None):
    """``(hist, bin_edges)``: the histogram of ``input``'s elements over ``bins`` (a count:
    equal bins over ``range``, by default the data's, widened by 1/2 both ways if that is one
    value; or a 1-D tensor of edges), each element counting ``weight`` (default 1); ``density``
    divides by the total and the bin widths. Elements outside the edges, and NaN, are not
    counted."""
    if not isinstance(input, Tensor) and isinstance(bins, int) and bins == 100 \
            and range is None and weight is None and not density:
        check_tensor_input("histogram", input)
    if not isinstance(input, Tensor):  # (torch's parser: neither signature takes it)
        given = [input] + ([bins] if not isinstance(bins, int) or bins != 100 else [])
        kinds = ["Tensor" if isinstance(v, Tensor) else type(v).__name__ for v in given]
        kinds += [f"{k}={type(v).__name__}" for k, v in
                  (("range", range), ("weight", weight), ("density", density))
                  if v is not None and v is not False]
        raise TypeError("histogram() received an invalid combination of arguments - got "
                        f"({', '.join(kinds)}), but expected one of:")
    a = input._data
    if isinstance(bins, Tensor):
        if range is not None:
            raise TypeError("histogram() received an invalid combination of arguments - got "
                            "(Tensor, Tensor, range=tuple), but expected one of:")
        if bins._data.dtype != a.dtype:
            raise RuntimeError(
                "torch.histogramdd: input tensor and bins tensors should have the same dtype, "
                f"but got input with dtype {c_type_name(a.dtype)} and bins for dimension 0 with "
                f"dtype {c_type_name(bins._data.dtype)}")
        if bins.dim() != 1:
            raise RuntimeError("torch.histogramdd: bins tensor should have one dimension, but "
                               f"got {bins.dim()} dimensions in the bins tensor for dimension 0")
        if bins.numel() == 0:
            raise RuntimeError("torch.histogramdd: bins tensor should have at least 1 element, "
                               "but got 0 elements in the bins tensor for dimension 0")
        if bins.numel() < 2:
            raise RuntimeError("torch.histogram(): bins must be > 0, but got 0 for dimension 0")
        edges, linear = bins._data, False
    else:
        edges, linear = _linear_edges(a, bins, range), True
    if weight is not None:
        if weight._data.dtype != a.dtype:
            raise RuntimeError(
                "torch.histogramdd: if weight tensor is provided, input tensor and weight tensor "
                f"should have the same dtype, but got input({c_type_name(a.dtype)}), and "
                f"weight({c_type_name(weight._data.dtype)})")
        if weight.numel() != a.size:
            raise RuntimeError(
                "torch.histogramdd: if weight tensor is provided it should have the same shape "
                "as the input tensor excluding its innermost dimension, but got input with "
                f"shape [{a.size}, 1] and weight with shape [{weight.numel()}]")
    _check_kernel_dtype(a, linear)
    return _HISTOGRAM(Histogram.apply(input, edges, weight, linear, bool(density)))


def _linear_edges(a: np.ndarray, bins: int, range) -> np.ndarray:  # noqa: A002
    """``bins + 1`` evenly spaced edges (torch's linspace) over ``range`` or the data's."""
    from .._creation import linspace  # (the factories import the op library)
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    lo, hi = 0.0, 1.0
    if range is not None:
        if len(range) != 2:
            raise RuntimeError("torch.histogramdd: for a 1-dimensional histogram range should "
                               f"have 2 elements, but got {len(range)}")
        lo, hi = float(range[0]), float(range[1])
    elif a.size:
        if a.dtype not in (np.float32, np.float64):
            raise NotImplementedError(
                f"\"histogramdd\" not implemented for '{scalar_type_name(a.dtype)}'")
        lo, hi = float(a.min()), float(a.max())
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histogramdd: dimension 0's range [{_range_str(lo)}, "
                           f"{_range_str(hi)}] is not finite")
    if lo > hi:
        raise RuntimeError("torch.histogramdd: min should not exceed max, but got min "
                           f"{_range_str(lo)} max {_range_str(hi)} for dimension 0")
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    return linspace(lo, hi, bins + 1, dtype=from_numpy_dtype(a.dtype))._data
