"""Resampling: ``interpolate`` (and the deprecated ``upsample*``), ``grid_sample`` and
``affine_grid``.

``interpolate`` and the reflect/replicate/circular modes of ``pad`` (``padding.py``) are
*separable*: along each spatial axis, output position ``o`` is a weighted sum of a few input
positions (its taps)::

    out[..., o, ...] = sum_t  w_t[o] * x[..., idx_t[o], ...]

Reflect/replicate/circular padding and nearest resampling have one tap of weight 1; linear
resampling has two. Applying the axes one after another gives the N-d op (bilinear = linear along
W, then along H). The backward is the adjoint, axis by axis in reverse: ``g * w_t`` summed back
onto ``idx_t`` (a scatter-add, done with one ``bincount`` per tap).
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from ..._names import scalar_type_name, shape_str
from ..._ops._arguments import argument_error
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from .pooling import _adaptive_avg_pool


# -- separable taps --------------------------------------------------------------------------------

def take_adjoint(g: np.ndarray, axis: int, idx: np.ndarray, n: int) -> np.ndarray:
    """Adjoint of ``np.take(x, idx, axis)`` for an axis of length ``n``: ``g[..., o, ...]`` is
    added into position ``idx[o]`` (repeated indices accumulate)."""
    moved = np.moveaxis(g, axis, -1)
    lead = moved.shape[:-1]
    rows = math.prod(lead)
    flat = (np.arange(rows, dtype=np.int64)[:, None] * n + idx[None, :]).ravel()
    res = np.bincount(flat, weights=moved.reshape(rows, len(idx)).ravel(), minlength=rows * n)
    return np.moveaxis(res.astype(g.dtype, copy=False).reshape(lead + (n,)), -1, axis)


class Resample(ArrayFunction):
    """out = T_1 T_2 ... T_d x, where ``T_i`` acts on spatial axis i by taps::

        (T_i a)[..., o, ...] = sum_t w_t[o] * a[..., idx_t[o], ...]      (w = 1 when None)

    dL/dx = T_d^T ... T_1^T g, with (T_i^T g)[..., p, ...] = sum over (t, o) with
    idx_t[o] = p of w_t[o] * g[..., o, ...].
    The last axis is applied first, which gives torch's bilinear order of operations
    ``h0 * (w0 * x00 + w1 * x01) + h1 * (w0 * x10 + w1 * x11)``.
    """

    _backward_name = "UpsampleBilinear2DBackward0"
    _constant_attrs = ("taps",)  # weights from the sizes alone: constants for create_graph
    # the paddings' nodes save the input in torch (freed with the graph); upsampling's do not
    _saved_attrs = {f"{kind}Pad{d}DBackward0": ("taps",)
                    for kind in ("Reflection", "Replication") for d in (1, 2, 3)}

    @staticmethod
    def forward(ctx, x, taps):
        nd = len(taps)
        ctx.taps, ctx.sizes = taps, x.shape[-nd:]
        a = x
        for i in reversed(range(nd)):
            a = _apply_taps(a, a.ndim - nd + i, taps[i])
        return a if a is not x else a.copy()

    @staticmethod
    def backward(ctx, g):
        nd = len(ctx.taps)
        for i in range(nd):
            axis = g.ndim - nd + i
            acc = None
            for idx, w in ctx.taps[i]:
                part = take_adjoint(g if w is None else g * _along(w, axis, g.ndim), axis, idx,
                                    ctx.sizes[i])
                acc = part if acc is None else acc + part
            g = acc
        return g, None


def _along(v: np.ndarray, axis: int, ndim: int) -> np.ndarray:
    shape = [1] * ndim
    shape[axis] = len(v)
    return v.reshape(shape)


def _apply_taps(a: np.ndarray, axis: int, taps: list) -> np.ndarray:
    out = None
    for idx, w in taps:
        v = np.take(a, idx, axis=axis)
        if w is not None:
            v *= _along(w, axis, a.ndim)
        out = v if out is None else out + v
    return out


# -- interpolate -----------------------------------------------------------------------------------
# Index and weight arithmetic follows torch's CPU kernels (ATen/native/UpSample.h): nearest modes
# compute in float32 whatever the tensor dtype; linear and cubic modes in the tensor's dtype.
# A scale_factor given without recompute_scale_factor is used as such (1/scale), not n/o.

def _scale_value(scale, n: int, o: int, dtype) -> np.generic:
    """torch's ``compute_scales_value``: 1/scale_factor when one was given, else n/o."""
    if scale is not None and scale > 0:
        return dtype.type(1.0 / scale)
    return dtype.type(n) / dtype.type(o)


def nearest_taps(n: int, o: int, scale, exact: bool) -> list:
    f32 = np.dtype(np.float32)
    dst = np.arange(o)
    # (torch's header also special-cases o == n and o == 2n, but its CPU kernel does not: with
    # a scale factor given, floor(dst * scale) is what it computes)
    s = _scale_value(scale, n, o, f32)
    if exact:
        src = np.floor(((dst + 0.5) * np.float64(s)).astype(np.float32))
    else:
        src = np.floor(dst.astype(np.float32) * s)
    return [(np.minimum(src.astype(np.int64), n - 1), None)]


def _area_scale(n: int, o: int, align_corners: bool, scale, dtype) -> np.generic:
    if align_corners:
        return dtype.type(n - 1) / dtype.type(o - 1) if o > 1 else dtype.type(0)
    return _scale_value(scale, n, o, dtype)


def _source_index(s, o: int, align_corners: bool, cubic: bool, dtype) -> np.ndarray:
    dst = np.arange(o).astype(dtype)
    if align_corners:
        return s * dst
    half = dtype.type(0.5)
    src = s * (dst + half) - half
    return src if cubic else np.maximum(src, dtype.type(0))


def linear_taps(n: int, o: int, align_corners: bool, scale, dtype) -> list:
    """Two taps: ``i0 = floor(src)``, ``i1 = i0 + 1`` (kept inside), weights ``1 - l`` and ``l``."""
    if o == n:
        return [(np.arange(o), None)]
    real = _source_index(_area_scale(n, o, align_corners, scale, dtype), o, align_corners,
                         False, dtype)
    i0 = np.minimum(np.floor(real).astype(np.int64), n - 1)
    lam = np.clip(real - i0.astype(dtype), 0, 1).astype(dtype)
    i1 = i0 + (i0 < n - 1)
    return [(i0, (1 - lam).astype(dtype)), (i1, lam)]


def cubic_taps(n: int, o: int, align_corners: bool, scale, dtype) -> list:
    """Four taps ``floor(src) - 1 .. floor(src) + 2`` (clamped to the border) with Keys' cubic
    convolution weights (A = -0.75), as torch's bicubic."""
    real = _source_index(_area_scale(n, o, align_corners, scale, dtype), o, align_corners,
                         True, dtype)
    i0 = np.floor(real)
    t = (real - i0).astype(dtype)
    a = dtype.type(-0.75)

    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    one = dtype.type(1)
    weights = [far(t + one), near(t), near(one - t), far((one - t) + one)]
    i0 = i0.astype(np.int64)
    return [(np.clip(i0 - 1 + k, 0, n - 1), w.astype(dtype)) for k, w in enumerate(weights)]


def _is_integer(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resample the spatial dims to ``size`` or by ``scale_factor``. Modes: ``'nearest'``,
    ``'nearest-exact'``, ``'linear'``, ``'bilinear'``, ``'trilinear'``, ``'bicubic'``,
    ``'area'``; torch's index and weight arithmetic (the tap functions above)."""
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        scale_factors = None
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {list(input.shape[2:])} and output size "
                    f"of {size}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                    "output size in (o1, o2, ...,oK) format.")
            if not all(_is_integer(x) for x in size):
                raise TypeError(
                    "expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                    f"Tuple[int, int, int], but got size with types {[type(x) for x in size]}")
            output_size = [int(x) for x in size]
        else:
            output_size = [int(size)] * dim
    elif scale_factor is not None:
        output_size = None
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, but "
                    f"got input with spatial dimensions of {list(input.shape[2:])} and "
                    f"scale_factor of shape {scale_factor}. Please provide input tensor in (N, C, "
                    "d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.")
            scale_factors = [float(s) for s in scale_factor]
        else:
            scale_factors = [float(scale_factor)] * dim
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor:
        output_size = [math.floor(input.shape[i + 2] * scale_factors[i]) for i in range(dim)]
        scale_factors = None
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.dim() == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes "
                         "and requires a 4-D tensor as input")
    wanted = {"nearest": (3, 4, 5), "nearest-exact": (3, 4, 5), "area": (3, 4, 5),
              "linear": (3,), "bilinear": (4,), "trilinear": (5,), "bicubic": (4,)}
    if mode not in wanted or input.dim() not in wanted[mode]:
        needs = {"linear": 3, "bilinear": 4, "trilinear": 5}
        if mode in needs and input.dim() in (3, 4, 5):
            raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs "
                                      f"{needs[mode]}D input")
        if mode == "lanczos" and input.dim() == 4:
            raise NotImplementedError("mode='lanczos' (antialiased Lanczos-3) is not implemented "
                                      "in minitorch_ref")
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported "
                                  f"(got {input.dim()}D) for the modes: {_MODES} (got {mode})")
    if antialias:
        raise NotImplementedError("interpolate(antialias=True) is not implemented in "
                                  "minitorch_ref")
    in_sp = tuple(input.shape[2:])
    if output_size is None:
        output_size = [int(n * s) for n, s in zip(in_sp, scale_factors)]
    if mode == "area":
        return _adaptive_avg_pool(input, output_size, dim)
    _check_sizes(input, in_sp, output_size)
    scales = scale_factors or [None] * dim
    dtype = input._data.dtype
    if dtype.kind != "f":
        raise NotImplementedError(
            f'"upsample_{mode}" not implemented for \'{scalar_type_name(dtype)}\'')
    if mode in ("nearest", "nearest-exact"):
        taps = [nearest_taps(n, o, s, mode == "nearest-exact")
                for n, o, s in zip(in_sp, output_size, scales)]
        kind = "NearestExact" if mode == "nearest-exact" else "Nearest"
        return Resample.apply(input, taps, name=f"Upsample{kind}{dim}DBackward0")
    make = cubic_taps if mode == "bicubic" else linear_taps
    taps = [make(n, o, align_corners, s, dtype) for n, o, s in zip(in_sp, output_size, scales)]
    kind = "Bicubic" if mode == "bicubic" else ("Linear", "Bilinear", "Trilinear")[dim - 1]
    return Resample.apply(input, taps, name=f"Upsample{kind}{dim}DBackward0")


def _check_sizes(input, in_sp, out_sp) -> None:
    if all(n > 0 for n in in_sp) and all(o > 0 for o in out_sp):
        if 0 in tuple(input.shape[1:]):
            raise RuntimeError(f"Non-empty {len(in_sp) + 2}D data tensor expected but got a "
                               f"tensor with sizes {shape_str(input.shape)}")
        return
    names = {1: ("W",), 2: ("H", "W"), 3: ("D", "H", "W")}[len(in_sp)]
    ins = ", ".join(f"{k}: {v}" for k, v in zip(names, in_sp))
    outs = ", ".join(f"{k}: {v}" for k, v in zip(names, out_sp))
    sep = " and " if len(in_sp) == 1 else " "
    raise RuntimeError(f"Input and output sizes should be greater than 0, but got input ({ins})"
                       f"{sep}output ({outs})")


def upsample(input: Tensor, size=None, scale_factor=None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated alias of :func:`interpolate`."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Deprecated: ``interpolate(..., mode='nearest')``."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Deprecated: ``interpolate(..., mode='bilinear', align_corners=True)``."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# -- grid_sample -----------------------------------------------------------------------------------

def _reflect(c: np.ndarray, twice_low: int, twice_high: int):
    """Fold coordinates into [low, high] by reflection; also d(out)/d(in) (+1 or -1)."""
    if twice_low == twice_high:
        return np.zeros_like(c), np.zeros_like(c)
    lo = c.dtype.type(twice_low / 2)
    span = c.dtype.type((twice_high - twice_low) / 2)
    c = c - lo
    sign = np.where(c < 0, -1, 1).astype(c.dtype)
    c = np.abs(c)
    extra = np.fmod(c, span)
    even = (np.floor(c / span) % 2) == 0
    return np.where(even, extra + lo, span - extra + lo), np.where(even, sign, -sign)


def grid_source_index(coord: np.ndarray, size: int, padding_mode: str, align_corners: bool):
    """Pixel coordinate of normalised ``coord`` in [-1, 1] along an axis of ``size`` pixels
    after torch's border/reflection handling, and its derivative d(pixel)/d(coord)."""
    t = coord.dtype.type
    if align_corners:
        pix, grad = (coord + 1) / 2 * t(size - 1), t(size - 1) / 2
    else:
        pix, grad = ((coord + 1) * t(size) - 1) / 2, t(size) / 2
    grad = np.full(coord.shape, grad, dtype=coord.dtype)
    if padding_mode == "reflection":
        if align_corners:
            pix, g = _reflect(pix, 0, 2 * (size - 1))
        else:
            pix, g = _reflect(pix, -1, 2 * size - 1)
        grad = grad * g
    if padding_mode in ("border", "reflection"):
        inside = (pix > 0) & (pix < size - 1)
        grad = np.where(inside, grad, 0).astype(coord.dtype)
        pix = np.clip(pix, 0, size - 1).astype(coord.dtype)
    return pix, grad


class GridSample2d(ArrayFunction):
    """Sample ``x`` ``(N, C, H, W)`` at the points of ``grid`` ``(N, Ho, Wo, 2)`` (x, y in
    [-1, 1]); ``(ix, iy)`` are those points in pixels (:func:`grid_source_index`).

    bilinear: out = sum over the 4 neighbours k of w_k * x[y_k, x_k] (zero outside), with
    ``w_nw = (x1 - ix)(y1 - iy)``, ``w_ne = (ix - x0)(y1 - iy)``, ``w_sw = (x1 - ix)(iy - y0)``,
    ``w_se = (ix - x0)(iy - y0)``.
    dL/dx[y_k, x_k] += g * w_k;   dL/d(ix) = sum_c g * sum_k x_k * dw_k/d(ix) (likewise iy),
    then times d(ix)/d(grid_x).
    nearest: out = x at the rounded point (half to even); dL/dgrid = 0.
    """

    _backward_name = "GridSampler2DBackward0"

    @staticmethod
    def forward(ctx, x, grid, mode, padding_mode, align_corners):
        n, c, h, w = x.shape
        ix, gxm = grid_source_index(grid[..., 0], w, padding_mode, align_corners)
        iy, gym = grid_source_index(grid[..., 1], h, padding_mode, align_corners)
        flat_x = x.reshape(n, c, h * w)
        n_out = grid.shape[1] * grid.shape[2]  # output positions per sample
        if mode == "nearest":
            corners = [(np.rint(iy).astype(np.int64), np.rint(ix).astype(np.int64), None)]
        else:
            x0, y0 = np.floor(ix), np.floor(iy)
            x1, y1 = x0 + 1, y0 + 1
            corners = [(y0, x0, (x1 - ix) * (y1 - iy)), (y0, x1, (ix - x0) * (y1 - iy)),
                       (y1, x0, (x1 - ix) * (iy - y0)), (y1, x1, (ix - x0) * (iy - y0))]
        out = np.zeros((n, c) + grid.shape[1:3], dtype=x.dtype)
        gathered = []
        for cy, cx, wk in corners:
            cy, cx = cy.astype(np.int64), cx.astype(np.int64)
            valid = (cy >= 0) & (cy < h) & (cx >= 0) & (cx < w)
            flat = (np.clip(cy, 0, h - 1) * w + np.clip(cx, 0, w - 1)).reshape(n, 1, n_out)
            v = np.take_along_axis(flat_x, flat, axis=2).reshape(out.shape)
            v = np.where(valid[:, None], v, 0)  # outside the image: zero, even for inf/NaN
            gathered.append((flat, valid, v))
            out += v if wk is None else v * wk[:, None]
        ctx.save_for_backward(x)
        ctx.state = (ix, iy, gxm, gym, corners, gathered, mode)
        return out

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        ix, iy, gxm, gym, corners, gathered, mode = ctx.state
        n, c, h, w = x.shape
        gx = ggrid = None
        if ctx.needs_input_grad[0]:
            base = (np.arange(n * c, dtype=np.int64) * h * w).reshape(n, c, 1)
            acc = np.zeros(n * c * h * w)
            for (cy, cx, wk), (flat, valid, _) in zip(corners, gathered):
                contrib = g if wk is None else g * wk[:, None]
                contrib = np.where(valid[:, None], contrib, 0).reshape(n, c, flat.shape[2])
                acc += np.bincount((flat + base).ravel(), weights=contrib.ravel(),
                                   minlength=acc.size)
            gx = acc.astype(x.dtype).reshape(x.shape)
        if ctx.needs_input_grad[1]:
            ggrid = np.zeros(ix.shape + (2,), dtype=x.dtype)
            if mode != "nearest":
                x0, y0 = np.floor(ix), np.floor(iy)
                x1, y1 = x0 + 1, y0 + 1
                # d w_k / d ix and d w_k / d iy for nw, ne, sw, se
                dwx = [-(y1 - iy), (y1 - iy), -(iy - y0), (iy - y0)]
                dwy = [-(x1 - ix), -(ix - x0), (x1 - ix), (ix - x0)]
                gix = np.zeros(ix.shape, dtype=x.dtype)
                giy = np.zeros(iy.shape, dtype=x.dtype)
                for (_, _, v), ax, ay in zip(gathered, dwx, dwy):
                    gv = (g * v).sum(axis=1)
                    gix += gv * ax
                    giy += gv * ay
                ggrid[..., 0] = gix * gxm
                ggrid[..., 1] = giy * gym
        return gx, ggrid, None, None, None


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear",
                padding_mode: str = "zeros", align_corners: bool | None = None) -> Tensor:
    """Sample ``input`` ``(N, C, H, W)`` at the normalised points ``grid`` ``(N, Ho, Wo, 2)``
    (``mode`` ``'bilinear'``/``'nearest'``; ``padding_mode`` ``'zeros'``/``'border'``/
    ``'reflection'``); differentiable in both input and grid."""
    if not (isinstance(input, Tensor) and isinstance(grid, Tensor)):
        raise argument_error(grid_sample, locals(), name="grid_sampler", tensors=("input", "grid"))
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError("nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' "
                         f"or 'bicubic', but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        warnings.warn("Default grid_sample and affine_grid behavior has changed to "
                      "align_corners=False since 1.3.0. Please specify align_corners=True if the "
                      "old behavior is desired. See the documentation of grid_sample for "
                      "details.", stacklevel=3)
        align_corners = False
    xs, gs = input.shape, grid.shape
    if input.dim() > 0 and grid.dim() > 0 and xs[0] != gs[0]:
        raise RuntimeError("grid_sampler(): expected grid and input to have same batch size, but "
                           f"got input with sizes {shape_str(xs)} and grid with sizes "
                           f"{shape_str(gs)}")
    if grid.dim() > 0 and gs[-1] != input.dim() - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {input.dim() - 2} in last "
                           f"dimension, but got grid with sizes {shape_str(gs)}")
    for i in range(2, input.dim()):
        if xs[i] <= 0:
            raise RuntimeError("grid_sampler(): expected input to have non-empty spatial "
                               f"dimensions, but input has sizes {shape_str(xs)} with "
                               f"dimension {i} being empty")
    if input.dim() != 4 or grid.dim() != 4:
        # torch treats anything but 4-D input as a volumetric (5-D) request
        if input.dim() == 5 and grid.dim() == 5:
            raise NotImplementedError("grid_sample on 5-D (volumetric) input is not implemented "
                                      "in minitorch_ref")
        d = 4 if input.dim() == 4 else 5
        raise RuntimeError(f"grid_sampler(): expected {d}D input and grid with same number of "
                           f"dimensions, but got input with sizes {shape_str(xs)} and grid "
                           f"with sizes {shape_str(gs)}")
    if mode == "bicubic":
        raise NotImplementedError("grid_sample(mode='bicubic') is not implemented in "
                                  "minitorch_ref")
    if input._data.dtype != grid._data.dtype:
        raise RuntimeError(f"expected scalar type {scalar_type_name(input._data.dtype)} but found "
                           f"{scalar_type_name(grid._data.dtype)}")
    return GridSample2d.apply(input, grid, mode, padding_mode, bool(align_corners))


# -- affine_grid -----------------------------------------------------------------------------------

def _base_coords(steps: int, align_corners: bool, dtype) -> np.ndarray:
    """torch's ``linspace_from_neg_one``: ``steps`` points in [-1, 1], pulled in to pixel centres
    (by (steps-1)/steps) unless align_corners; a single step sits at 0."""
    if steps <= 1:
        return np.zeros(max(steps, 0), dtype=dtype)
    r = np.linspace(-1, 1, steps).astype(dtype)
    if not align_corners:
        r = r * dtype.type(steps - 1) / dtype.type(steps)
    return r


class AffineGrid(ArrayFunction):
    """grid[n, p] = theta[n] @ [x_p, y_p, (z_p,) 1] for every output pixel p: with ``B`` the
    ``(P, d+1)`` matrix of base coordinates, ``grid[n] = B @ theta[n]^T`` (one batched GEMM).
    dL/dtheta[n] = g[n]^T @ B."""

    _backward_name = "AffineGridGeneratorBackward0"

    @staticmethod
    def forward(ctx, theta, spatial, align_corners):
        dtype = theta.dtype
        axes = [_base_coords(s, align_corners, dtype) for s in spatial]
        mesh = np.meshgrid(*axes, indexing="ij")  # D, H, W order
        # the last coordinate column is x (W), then y (H), then z (D), then the constant 1
        base = np.stack([m.ravel() for m in reversed(mesh)] + [np.ones(mesh[0].size, dtype)],
                        axis=1)
        ctx.base = base
        out = np.matmul(base, theta.swapaxes(1, 2))
        return out.reshape((theta.shape[0],) + tuple(spatial) + (len(spatial),))

    @staticmethod
    def backward(ctx, g):
        n = g.shape[0]
        g2 = g.reshape(n, -1, g.shape[-1])
        return np.matmul(g2.swapaxes(1, 2), ctx.base), None, None


def affine_grid(theta: Tensor, size, align_corners: bool | None = None) -> Tensor:
    """Sampling grid ``(N, H, W, 2)`` (or ``(N, D, H, W, 3)``) of the affine maps ``theta``
    ``(N, 2, 3)`` (``(N, 3, 4)``) for an output of ``size``; differentiable in ``theta``."""
    if align_corners is None:
        warnings.warn("Default grid_sample and affine_grid behavior has changed to "
                      "align_corners=False since 1.3.0. Please specify align_corners=True if the "
                      "old behavior is desired. See the documentation of grid_sample for "
                      "details.", stacklevel=3)
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    if len(size) == 4:
        if theta.dim() != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
            raise ValueError(f"Expected a batch of 2D affine matrices of shape Nx2x3 for size "
                             f"{size}. Got {theta.shape}.")
        spatial = tuple(size[-2:])
    elif len(size) == 5:
        if theta.dim() != 3 or theta.shape[-2] != 3 or theta.shape[-1] != 4:
            raise ValueError(f"Expected a batch of 3D affine matrices of shape Nx3x4 for size "
                             f"{size}. Got {theta.shape}.")
        spatial = tuple(size[-3:])
    else:
        raise NotImplementedError("affine_grid only supports 4D and 5D sizes, for 2D and 3D "
                                  f"affine transforms, respectively. Got size {size}.")
    if align_corners and min(spatial) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids "
                      "when align_corners=True. This is not an intended use case of affine_grid. "
                      "See the documentation of affine_grid for details.", stacklevel=3)
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    if size[0] != theta.shape[0]:
        raise RuntimeError(f"Expected size[0] ({size[0]}) to equal theta's batch size "
                           f"({theta.shape[0]})")
    return AffineGrid.apply(theta, spatial, bool(align_corners))
