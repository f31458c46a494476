"""Pooling: max, average, adaptive average, adaptive max, max-unpooling.

All ops slide over the last ``d`` dims of their input (any leading dims: ``(N, C)`` or ``(C,)``).
Windows are read as strided slices: for each of the ``K`` kernel offsets ``j`` one whole-array
slice holds the value tap ``j`` sees in every window (``window_offsets``), so the loops run over
kernel offsets, never over pixels.

Max pooling follows torch's scan exactly: a window is scanned in row-major order and the running
maximum moves on ``v > max`` or ``isnan(v)``, so ties go to the first maximum and a NaN to the last
NaN; padded positions are never candidates. The returned indices are flat positions in the
unpadded input plane (``h * W + w`` in 2-D), as torch returns them.
"""
from __future__ import annotations

import math

import numpy as np

from ..._names import scalar_type_name, shape_str
from ..._ops._arguments import argument_error, renamed
from ..._ops._util import new_zeros
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from . import _pooling_half
from .conv import crop_index, pad_zeros, window_offsets


# -- helpers on ndarrays ---------------------------------------------------------------------------

def _far_pads(in_sp, kernel, stride, dilation, padding, out_sp) -> tuple:
    """``(before, after)`` padding so that all ``out_sp`` windows fit (ceil_mode windows may run
    past the symmetric padding)."""
    return tuple((p, max(0, (o - 1) * s + d * (k - 1) + 1 - n - p)) for n, k, s, d, p, o in
                 zip(in_sp, kernel, stride, dilation, padding, out_sp))


def _flat_index(coords: list, in_sp: tuple) -> np.ndarray:
    """Row-major flat position in the input plane from per-dim coordinate arrays."""
    flat = coords[0]
    for c, n in zip(coords[1:], in_sp[1:]):
        flat = flat * n + c
    return flat.astype(np.int64)


def _tap_positions(j: np.ndarray, kernel, stride, dilation, padding, out_sp,
                   in_sp) -> np.ndarray:
    """Flat position in the (unpadded) input plane (``h * W + w`` in 2-D) of tap ``j[o]`` of
    window ``o``: the position of the window's corner plus that of the tap inside it."""
    nd = len(kernel)
    plane_strides = [math.prod(in_sp[i + 1:]) for i in range(nd)]
    corner = 0
    for i, (o, s, p, ps) in enumerate(zip(out_sp, stride, padding, plane_strides)):
        corner = corner + ((np.arange(o) * s - p) * ps).reshape((-1,) + (1,) * (nd - 1 - i))
    tap_offset = np.array([sum(k * d * ps for k, d, ps in zip(offs, dilation, plane_strides))
                           for offs in np.ndindex(*kernel)], dtype=np.int64)
    # (indexing with a small integer dtype is slow in NumPy: widen j first)
    pos = tap_offset.take(j.astype(np.int64))
    pos += corner
    return pos


def _padding_only_windows(in_sp, kernel, stride, padding, dilation, out_sp):
    """``None``, or a boolean array (broadcasting over ``out_sp``) marking the windows that hold
    no input position at all (possible with dilation and a tiny input). Per dim a window has
    an input position when one of its taps lands in ``[0, n)``."""
    nd = len(kernel)
    empty = False
    for i, (n, k, s, p, d, o) in enumerate(zip(in_sp, kernel, stride, padding, dilation,
                                               out_sp)):
        pos = (np.arange(o) * s - p)[:, None] + np.arange(k) * d
        outside = ~((pos >= 0) & (pos < n)).any(axis=1)
        empty = empty | outside.reshape((-1,) + (1,) * (nd - 1 - i))
    return empty if np.any(empty) else None


def _scatter_to_plane(g: np.ndarray, index: np.ndarray, in_sp: tuple) -> np.ndarray:
    """dL/dx for ops that pick single input elements: ``g[..., o]`` added into position
    ``index[..., o]`` of its own input plane. Windows that share a position add up, in the
    order of the outputs, as torch's kernels do (``np.add.at`` handles repeated positions)."""
    lead = g.shape[:g.ndim - len(in_sp)]
    plane = math.prod(in_sp)
    rows = math.prod(lead)
    base = (np.arange(rows, dtype=np.int64) * plane).reshape(lead + (1,) * len(in_sp))
    res = new_zeros(g, rows * plane)
    np.add.at(res, (index + base).ravel(), g.ravel())
    return res.reshape(lead + tuple(in_sp))


def _lowest(dtype: np.dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _scan_max(taps, first_index, dtype, n_taps: int):
    """torch's window scan: ``taps()`` yields ``(offset_id, values)`` in scan order; returns the
    maximum and the offset it came from. torch moves the running max on ``v > max`` or
    ``isnan(v)``, starting at ``first_index`` (each window's first unpadded tap) with -inf,
    which is what taking the first tap's value and ``first_index`` amounts to (a padded first
    tap holds the fill value -inf). ``np.maximum`` gives the same values (it propagates NaN)."""
    best = idx = None
    for j, v in taps():
        if best is None:
            best = v.copy()
            idx = np.broadcast_to(np.asarray(first_index).astype(np.min_scalar_type(n_taps)),
                                  v.shape).copy()
            continue
        upd = v > best
        np.maximum(best, v, out=best)
        # idx = j where upd, else unchanged: tap ids grow along the scan and a window's index
        # only ever moves forward, so this is max(idx, upd * j) (much faster than np.where)
        np.maximum(idx, upd * idx.dtype.type(j), out=idx)
    if dtype.kind == "f" and np.isnan(best).any():
        # NaN is rare, so it is looked for once, in the maxima (a window holding a NaN has a
        # NaN maximum): there torch's scan moves on every NaN and ends at the last one
        last_nan = np.full(idx.shape, -1, dtype=np.int64)
        for j, v in taps():
            last_nan[np.isnan(v)] = j
        idx = np.where(last_nan >= 0, last_nan, idx).astype(idx.dtype)
    return best, idx


def _first_taps(out_sp, kernel, stride, padding, dilation):
    """Per window, the offset id of its first unpadded tap: ceil((p - o*s) / d), at least 0."""
    nd = len(kernel)
    first_id = 0
    for i, (o, k, s, p, d) in enumerate(zip(out_sp, kernel, stride, padding, dilation)):
        f = np.maximum(0, -((np.arange(o) * s - p) // d))
        first_id = first_id * k + f.reshape((-1,) + (1,) * (nd - 1 - i))
    return first_id


# -- torch's argument checks, shared by the functions below (messages and order) -------------------

def _ints(value, n: int, message: str, allow_empty: bool = False) -> tuple | None:
    """An int, or a sequence of 1 or ``n`` ints, as an ``n``-tuple (``None`` for an allowed empty
    value); otherwise torch's RuntimeError ``message``."""
    if value is None and allow_empty:
        return None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),) * n
    value = tuple(value)
    if not value and allow_empty:
        return None
    if len(value) == 1:
        return (int(value[0]),) * n
    if len(value) != n:
        raise RuntimeError(message)
    return tuple(int(v) for v in value)


def _trunc_half(v: int) -> int:
    return int(v / 2)  # C++ integer division truncates toward zero


def pooling_output_size(n: int, k: int, pad: int, stride: int, dilation: int,
                        ceil_mode: bool) -> int:
    """torch's ``pooling_output_shape``: the window count, with its checks. In ceil mode the
    last window must start inside the input or its left padding."""
    if stride == 0:
        raise RuntimeError("stride should not be zero")
    if pad < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {pad}")
    if pad > _trunc_half((k - 1) * dilation + 1):
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                           f"pad={pad}, kernel_size={k} and dilation={dilation}")
    out = (n + 2 * pad - dilation * (k - 1) - 1 + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= n + pad:
        out -= 1
    return out


def _pool2d_shape_check(shape, k, s, p, d, out) -> None:
    """torch's ``pool2d_shape_check`` on a 2-D view ``shape`` (1-D pools add a height of 1)."""
    if k[0] <= 0 or k[1] <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {k[0]} "
                           f"kW: {k[1]}")
    if s[0] <= 0 or s[1] <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dH: {s[0]} dW: {s[1]}")
    if d[0] <= 0 or d[1] <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilationH: {d[0]} "
                           f"dilationW: {d[1]}")
    nd = len(shape)
    if not ((nd == 3 and shape[0] and shape[1] and shape[2]) or
            (nd == 4 and shape[1] and shape[2] and shape[3])):
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size "
                           f"for input, but got:{shape_str(shape)}")
    if k[1] // 2 < p[1] or k[0] // 2 < p[0]:
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got "
                           f"padW = {p[1]}, padH = {p[0]}, kW = {k[1]}, kH = {k[0]}")
    if out[0] < 1 or out[1] < 1:
        c, h, w = shape[-3:]
        raise RuntimeError(f"Given input size: ({c}x{h}x{w}). Calculated output size: "
                           f"({c}x{out[0]}x{out[1]}). Output size is too small")


def _dims_2_to_3(input, name: str) -> None:
    if input.dim() not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor "
                           f"for argument #1 'self' (while checking arguments for {name})")


def _check_2d_pool(input_shape2d, k, s, p, d, ceil_mode) -> tuple:
    out = tuple(pooling_output_size(n, kk, pp, ss, dd, ceil_mode)
                for n, kk, pp, ss, dd in zip(input_shape2d[-2:], k, p, s, d))
    _pool2d_shape_check(input_shape2d, k, s, p, d, out)
    return out


def _check_3d_pool(shape, k, s, p, d, ceil_mode, fn_name: str, avg: bool) -> tuple:
    """torch's 3-D checks: ``pooling_output_shape`` per dim, then ``pool3d_shape_check``."""
    out = tuple(pooling_output_size(n, kk, pp, ss, dd, ceil_mode)
                for n, kk, pp, ss, dd in zip(shape[-3:], k, p, s, d))
    if min(k) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kT: {k[0]} "
                           f"kH: {k[1]} kW: {k[2]}")
    if min(s) <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dT: {s[0]} dH: {s[1]} "
                           f"dW: {s[2]}")
    if min(d) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilationT: {d[0]} "
                           f"dilationH: {d[1]} dilationW: {d[2]}")
    if len(shape) not in (4, 5):
        raise RuntimeError(f"{fn_name}: Expected 4D or 5D tensor for input, but got: "
                           f"{shape_str(shape)}")
    for i, n in enumerate(shape):
        if not (len(shape) == 5 and i == 0) and n <= 0:
            # torch prints the size where it means the dimension
            raise RuntimeError(
                f"{fn_name}: Expected input's non-batch dimensions to have positive length, but "
                f"input has a shape of {shape_str(shape)} and non-batch dimension {n} has "
                "length zero!")
    t, h, w = shape[-3:]
    if avg and (t < k[0] or h < k[1] or w < k[2]):
        raise RuntimeError(f"input image (T: {t} H: {h} W: {w}) smaller than kernel size "
                           f"(kT: {k[0]} kH: {k[1]} kW: {k[2]})")
    if k[0] // 2 < p[0] or k[2] // 2 < p[2] or k[1] // 2 < p[1]:
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got "
                           f"kT: {k[0]} kW: {k[2]} kH: {k[1]} padT: {p[0]} padW: {p[2]} "
                           f"padH: {p[1]}")
    if min(out) < 1:
        c = shape[-4]
        raise RuntimeError(f"Given input size: ({c}x{t}x{h}x{w}). Calculated output size: "
                           f"({c}x{out[0]}x{out[1]}x{out[2]}). Output size is too small")
    return out


# -- max pooling -----------------------------------------------------------------------------------

class MaxPool(ArrayFunction):
    """out[o] = max of x over window ``W(o)``, taken from input position i[o] (its flat position
    in the input plane, which ``return_indices`` returns).
    dL/dx[i] = sum of g[o] over the windows o whose max came from position i."""

    _backward_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, dilation, out_sp, with_indices):
        nd = len(kernel)
        in_sp = x.shape[-nd:]
        pads = _far_pads(in_sp, kernel, stride, dilation, padding, out_sp)
        xp = pad_zeros(x, pads, value=_lowest(x.dtype))

        def taps():
            return ((np.ravel_multi_index(offs, kernel), xp[index])
                    for offs, index in window_offsets(kernel, stride, dilation, out_sp))
        out, j = _scan_max(taps, _first_taps(out_sp, kernel, stride, padding, dilation),
                           x.dtype, math.prod(kernel))
        if not (with_indices or ctx.needs_input_grad[0]):
            return out
        indices = _tap_positions(j, kernel, stride, dilation, padding, out_sp, in_sp)
        ctx.save_for_backward(indices)
        ctx.in_sp = in_sp
        ctx.padding_only = _padding_only_windows(in_sp, kernel, stride, padding, dilation,
                                                 out_sp)
        return (out, indices) if with_indices else out

    @staticmethod
    def backward(ctx, g, *_g_indices):
        indices, = ctx.saved_tensors
        if ctx.padding_only is not None:
            # a window with no input position reports an index outside the input (torch's
            # too); torch then writes out of bounds, we drop its gradient
            g = np.where(ctx.padding_only, 0, g)
            indices = np.where(ctx.padding_only, 0, indices)
        return _scatter_to_plane(g, indices, ctx.in_sp), None, None, None, None, None, None


def _check_max_pool1d_no_indices(input, k, s, p, d, ceil_mode) -> tuple:
    """torch's own checks of ``max_pool1d`` (its index-free kernel)."""
    shape = input.shape
    if not ((len(shape) == 2 and shape[0] and shape[1]) or
            (len(shape) == 3 and shape[1] and shape[2])):
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim "
                           f"batch size for input, but got:{shape_str(shape)}")
    for name, v, allow_empty in (("kernel_size", k, False), ("stride", s, True),
                                 ("padding", p, False), ("dilation", d, False)):
        n = 1 if isinstance(v, (int, np.integer)) else 0 if v is None else len(tuple(v))
        if n != 1 and not (allow_empty and n == 0):
            raise RuntimeError(f"max_pool1d() {name} must be an int, list of ints or tuple of "
                               f"ints of size 1 but got size {n}")
    k = _ints(k, 1, "")[0]
    s = k if _ints(s, 1, "", allow_empty=True) is None else _ints(s, 1, "")[0]
    p, d = _ints(p, 1, "")[0], _ints(d, 1, "")[0]
    if k <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k}")
    if s <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {s}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got "
                           f"padding={p} and kernel_size={k}")
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    out = pooling_output_size(shape[-1], k, p, s, d, ceil_mode)
    if out <= 0:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {out}")
    return (k,), (s,), (p,), (d,), (out,)


def _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, nd):
    """``max_pool1d/2d/3d``: torch's checks, then :class:`MaxPool` (recorded under torch's 3-D
    name for 3-D pooling)."""
    if nd == 1 and not return_indices:
        k, s, p, d, out = _check_max_pool1d_no_indices(input, kernel_size, stride, padding,
                                                       dilation, ceil_mode)
    elif nd == 1:
        msg = "max_pool1d() {} must be an int, list of ints or tuple of ints of size 1"
        k = _ints(kernel_size, 1, msg.format("kernel_size"))
        s = _ints(stride, 1, msg.format("stride"), allow_empty=True) or k
        p = _ints(padding, 1, msg.format("padding"))
        d = _ints(dilation, 1, msg.format("dilation"))
        _dims_2_to_3(input, "max_pool1d")
        shape2d = input.shape[:-1] + (1, input.shape[-1])
        out = _check_2d_pool(shape2d, (1,) + k, (1,) + s, (0,) + p, (1,) + d, ceil_mode)[1:]
    elif nd == 3:
        k = _ints(kernel_size, 3, "max_pool3d: kernel_size must either be a single int, or a "
                  "tuple of three ints")
        s = _ints(stride, 3, "max_pool3d: stride must either be omitted, a single int, or a "
                  "tuple of three ints", allow_empty=True) or k
        p = _ints(padding, 3,
                  "max_pool3d: padding must either be a single int, or a tuple of three ints")
        d = _ints(dilation, 3,
                  "max_pool3d: dilation must be either a single int, or a tuple of three ints")
        if input.dim() not in (4, 5):
            raise RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")
        out = _check_3d_pool(input.shape, k, s, p, d, ceil_mode,
                             "max_pool3d_with_indices_out_cpu_template()", avg=False)
    else:
        k = _ints(kernel_size, 2,
                  "max_pool2d: kernel_size must either be a single int, or a tuple of two ints")
        s = _ints(stride, 2, "max_pool2d: stride must either be omitted, a single int, or a "
                  "tuple of two ints", allow_empty=True) or k
        p = _ints(padding, 2,
                  "max_pool2d: padding must either be a single int, or a tuple of two ints")
        d = _ints(dilation, 2,
                  "max_pool2d: dilation must be either a single int, or a tuple of two ints")
        if input.dim() not in (3, 4):
            raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
        out = _check_2d_pool(input.shape, k, s, p, d, ceil_mode)
    if nd == 1:  # torch pools 1-D as 2-D of height 1: its graph is Squeeze, the 2-D node, Unsqueeze
        res = MaxPool.apply(input.unsqueeze(-2), (1,) + k, (1,) + s, (0,) + p, (1,) + d,
                            (1,) + tuple(out), bool(return_indices))
        return tuple(r.squeeze(-2) for r in res) if return_indices else res.squeeze(-2)
    return MaxPool.apply(input, k, s, p, d, out, bool(return_indices),
                         name="MaxPool3DWithIndicesBackward0" if nd == 3 else None)


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False):
    """Max over sliding windows of the last dim; with ``return_indices`` also the position of
    each max (torch's scan: first maximum, NaN wins)."""
    if not isinstance(input, Tensor):
        raise argument_error(max_pool1d, locals())
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode,
                          return_indices, 1)


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False):
    """Max over sliding windows of the last two dims; indices are flat ``h * W + w``."""
    if not isinstance(input, Tensor):
        raise argument_error(max_pool2d, locals())
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode,
                          return_indices, 2)


def max_pool3d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False):
    """Max over sliding windows of the last three dims; indices are flat ``(t*H + h)*W + w``."""
    if not isinstance(input, Tensor):
        raise argument_error(max_pool3d, locals())
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode,
                          return_indices, 3)


max_pool1d_with_indices = renamed(max_pool1d, "max_pool1d_with_indices")
max_pool2d_with_indices = renamed(max_pool2d, "max_pool2d_with_indices")
max_pool3d_with_indices = renamed(max_pool3d, "max_pool3d_with_indices")


# -- average pooling -------------------------------------------------------------------------------

def avg_divisor(in_sp, kernel, stride, padding, out_sp, count_include_pad: bool,
                divisor_override) -> np.ndarray | int:
    """torch's divisor per window: the window clipped to the padded input (count_include_pad)
    or to the input itself; ``divisor_override`` replaces it."""
    if divisor_override:
        return divisor_override
    div = 1
    for i, (n, k, s, p, o) in enumerate(zip(in_sp, kernel, stride, padding, out_sp)):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        if not count_include_pad:
            start, end = np.maximum(start, 0), np.minimum(end, n)
        div = div * (end - start).reshape((-1,) + (1,) * (len(in_sp) - 1 - i))
    return div


class AvgPool(ArrayFunction):
    """out[o] = sum of x over window ``W(o)`` / div[o]  (zero padding; ``div`` from
    :func:`avg_divisor`).     dL/dx[i] = sum over windows containing i of g[o] / div[o].

    As torch's kernel: float16 windows are summed and divided in float32, rounded once (a
    window of 65504s is not inf); the gradient is added window by window in output order, in
    the input's dtype (float16 rounds after each add)."""

    _backward_name = "AvgPool2DBackward0"
    _saved_attrs = ("geom",)  # torch's node saves the input

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, out_sp, count_include_pad, divisor_override):
        nd = len(kernel)
        in_sp = x.shape[-nd:]
        ones = (1,) * nd
        pads = _far_pads(in_sp, kernel, stride, ones, padding, out_sp)
        xp = pad_zeros(x, pads)
        acc = np.float32 if x.dtype == np.float16 else x.dtype
        total = np.zeros(x.shape[:-nd] + tuple(out_sp), dtype=acc)
        for _, index in window_offsets(kernel, stride, ones, out_sp):
            total += xp[index]
        div = avg_divisor(in_sp, kernel, stride, padding, out_sp, count_include_pad,
                          divisor_override)
        ctx.geom = (x.shape, xp.shape, kernel, stride, pads, out_sp, div)
        if x.dtype.kind != "f":  # integer pooling truncates toward zero, as C++ division does
            return (total / div).astype(x.dtype)
        return (total / np.asarray(div, dtype=acc)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x_shape, xp_shape, kernel, stride, pads, out_sp, div = ctx.geom
        nd = len(kernel)
        gd = g / np.asarray(div, dtype=g.dtype)
        gxp = new_zeros(g, xp_shape)
        # kernel offsets backwards: an input position then hears its windows in output order
        for _, index in reversed(list(window_offsets(kernel, stride, (1,) * nd, out_sp))):
            gxp[index] += gd
        return gxp[crop_index(x_shape[-nd:], pads)], None, None, None, None, None, None


def _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
             divisor_override, nd):
    """``avg_pool1d/2d/3d``: torch's checks, then :class:`AvgPool` (recorded under torch's 3-D
    name for 3-D pooling)."""
    if nd == 1:
        def one(v, name, allow_empty=False):
            if isinstance(v, (int, np.integer)) or v is None:
                return _ints(v, 1, "", allow_empty)
            v = tuple(v)
            if len(v) != 1 and not (allow_empty and not v):
                raise RuntimeError(f"avg_pool1d() argument '{name}' should contain one int "
                                   f"(got {len(v)})")
            return _ints(v, 1, "", allow_empty)
        k = one(kernel_size, "kernel_size")
        s = one(stride, "stride", True) or k
        p = one(padding, "padding")
        _dims_2_to_3(input, "avg_pool1d")
        shape2d = input.shape[:-1] + (1, input.shape[-1])
        out = _check_2d_pool(shape2d, (1,) + k, (1,) + s, (0,) + p, (1, 1), ceil_mode)[1:]
    elif nd == 3:
        k = _ints(kernel_size, 3,
                  "avg_pool3d: kernel_size must be a single int, or a tuple of three ints")
        s = _ints(stride, 3, "avg_pool3d: stride must be omitted, a single int, or a tuple of "
                  "three ints", allow_empty=True) or k
        p = _ints(padding, 3, "avg_pool3d: padding must be a single int, or a tuple of three ints")
        if divisor_override is not None and divisor_override == 0:
            raise RuntimeError("divisor must be not zero")
        if input.dim() not in (4, 5):
            raise RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")
        out = _check_3d_pool(input.shape, k, s, p, (1, 1, 1), ceil_mode, "avg_pool3d()",
                             avg=True)
        if input._data.dtype not in (np.float32, np.float64, np.int64):
            raise NotImplementedError('"avg_pool3d_out_frame" not implemented for '
                                      f"'{scalar_type_name(input._data.dtype)}'")
    else:
        k = _ints(kernel_size, 2,
                  "avg_pool2d: kernel_size must either be a single int, or a tuple of two ints")
        s = _ints(stride, 2, "avg_pool2d: stride must either be omitted, a single int, or a "
                  "tuple of two ints", allow_empty=True) or k
        p = _ints(padding, 2,
                  "avg_pool2d: padding must either be a single int, or a tuple of two ints")
        if divisor_override is not None and divisor_override == 0:
            raise RuntimeError("divisor must be not zero")
        if input.dim() < 3:
            n = max(input.dim(), 1)
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}]"
                             f", but got -3)")
        out = _check_2d_pool(input.shape, k, s, p, (1, 1), ceil_mode)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    if nd == 1:  # torch pools 1-D as 2-D of height 1: its graph is Squeeze, the 2-D node, Unsqueeze
        return AvgPool.apply(input.unsqueeze(-2), (1,) + k, (1,) + s, (0,) + p,
                             (1,) + tuple(out), bool(count_include_pad), None).squeeze(-2)
    return AvgPool.apply(input, k, s, p, out, bool(count_include_pad), divisor_override,
                         name="AvgPool3DBackward0" if nd == 3 else None)


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """Mean over sliding windows of the last dim (zero padding, counted unless
    ``count_include_pad=False``)."""
    if not isinstance(input, Tensor):
        raise argument_error(avg_pool1d, locals())
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                          None, 1)


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """Mean over sliding windows of the last two dims; ``divisor_override`` replaces the count."""
    if not isinstance(input, Tensor):
        raise argument_error(avg_pool2d, locals())
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                          divisor_override, 2)


def avg_pool3d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """Mean over sliding windows of the last three dims."""
    if not isinstance(input, Tensor):
        raise argument_error(avg_pool3d, locals())
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                          divisor_override, 3)


# -- adaptive average pooling ----------------------------------------------------------------------

def adaptive_bounds(n: int, o: int) -> tuple:
    """torch's adaptive windows: output i pools ``[floor(i*n/o), ceil((i+1)*n/o))``."""
    i = np.arange(o)
    return (i * n) // o, -((-(i + 1) * n) // o)


def band_sum(a: np.ndarray, axis: int, first: np.ndarray, count: np.ndarray) -> np.ndarray:
    """``out[..., k, ...] = sum_{t < count[k]} a[..., first[k] + t, ...]`` along ``axis``: a sum
    over a contiguous run per output, read as ``max(count)`` whole-array gathers. Entries outside
    a run are never added, so a NaN or inf only reaches the outputs whose run contains it.
    Two shapes take one NumPy call (why: a global pool's loop ran 16-32 passes for one sum):
    one run over the whole axis (a sum), and runs of one element each (a gather)."""
    if len(first) == 1 and first[0] == 0 and count[0] == a.shape[axis]:
        return np.sum(a, axis=axis, keepdims=True, dtype=a.dtype)
    if len(count) and count.min() == count.max() == 1:
        return np.take(a, first, axis=axis)
    shape = [1] * a.ndim
    shape[axis] = len(first)
    acc = new_zeros(a, a.shape[:axis] + (len(first),) + a.shape[axis + 1:])
    last = a.shape[axis] - 1
    for t in range(int(count.max()) if len(count) else 0):
        v = np.take(a, np.minimum(first + t, last), axis=axis)
        acc += np.where((t < count).reshape(shape), v, 0)
    return acc


class AdaptiveAvgPool(ArrayFunction):
    """Adaptive average pooling is separable: along each spatial dim, output i averages the run
    ``[start_i, end_i)`` (:func:`adaptive_bounds`)::

        out = A_1 A_2 ... x        A_d: mean over the runs of dim d (:func:`band_sum` / length)

    Backward applies the transposes: input position p of dim d receives ``g[i] / len_i`` from
    every output i whose run contains p, and those i form a contiguous run too.
    """

    _backward_name = "AdaptiveAvgPool2DBackward0"
    _saved_attrs = ("runs",)  # torch's node saves the input

    @staticmethod
    def forward(ctx, x, out_sp):
        nd = len(out_sp)
        runs = []
        for i, (n, o) in enumerate(zip(x.shape[-nd:], out_sp)):
            start, end = adaptive_bounds(n, o)
            # outputs whose run contains input p: from the first with end > p to the last
            # with start <= p
            lo = np.searchsorted(end, np.arange(n), side="right")
            hi = np.searchsorted(start, np.arange(n), side="right")
            runs.append((start, end - start, lo, hi - lo))
        ctx.runs = runs
        if x.dtype == np.float16 and 0 not in out_sp and x.size:
            return _pooling_half.adaptive_avg_forward(x, [(s, s + n) for s, n, _, _ in runs])
        out = x
        for i, (start, length, _, _) in enumerate(runs):
            axis = x.ndim - nd + i
            out = band_sum(out, axis, start, length) / _along(length, axis, out.ndim, x.dtype)
        return out

    @staticmethod
    def backward(ctx, g):
        nd = len(ctx.runs)
        if g.dtype == np.float16 and g.size:
            return _pooling_half.adaptive_avg_backward(g, ctx.runs), None
        for i, (_, length, lo, count) in enumerate(ctx.runs):
            axis = g.ndim - nd + i
            g = band_sum(g / _along(length, axis, g.ndim, g.dtype), axis, lo, count)
        return g, None


def _list_with_default(output_size, input_shape):
    """torch's Python-side expansion: ``None`` entries keep the input's size."""
    if isinstance(output_size, (int, np.integer)):
        return output_size
    output_size = tuple(output_size)
    if len(input_shape) <= len(output_size):
        raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
    return tuple(d if v is None else v
                 for v, d in zip(output_size, input_shape[-len(output_size):]))


def _not_implemented_for_ints(input, name: str) -> None:
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f'"{name}" not implemented for \'{scalar_type_name(input._data.dtype)}\'')


def _adaptive_avg_pool(input, output_size, nd: int):
    """``adaptive_avg_pool1d/2d/3d``: torch's checks, then :class:`AdaptiveAvgPool`."""
    if nd == 1:
        o = output_size if isinstance(output_size, (int, np.integer)) else tuple(output_size)
        if not isinstance(o, (int, np.integer)) and len(o) != 1:
            raise RuntimeError("adaptive_avg_pool1d() argument 'output_size' should contain one "
                               f"int (got {len(o)})")
        o = _ints(o, 1, "")
        _dims_2_to_3(input, "adaptive_avg_pool1d")
        out2d = (1,) + o
        shape2d = input.shape[:-1] + (1, input.shape[-1])
    elif nd == 3:
        o = _list_with_default(output_size, input.shape)
        o = (int(o),) * 3 if isinstance(o, (int, np.integer)) else tuple(o)
        if len(o) != 3:
            raise RuntimeError("adaptive_avg_pool3d: output_size must be 3")
        o = tuple(int(v) for v in o)
        if any(v < 0 for v in o):
            # (sic: torch's message lacks the last space)
            raise RuntimeError("adaptive_avg_pool3d: elements of output_size must be greater "
                               f"than or equal to 0 but received {{{o[0]}, {o[1]},{o[2]}}}")
        shape = input.shape
        if len(shape) not in (4, 5):
            raise RuntimeError(f"adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got "
                               f"{shape_str(shape)}")
        for i in range(1 if len(shape) == 5 else 0, len(shape)):
            if shape[i] == 0:
                raise RuntimeError(
                    "adaptive_avg_pool3d(): Expected input to have non-zero size for non-batch "
                    f"dimensions, but input has sizes {shape_str(shape)} with dimension {i} "
                    "being empty")
        _not_implemented_for_ints(input, "adaptive_avg_pool3d")
        return AdaptiveAvgPool.apply(input, o, name="AdaptiveAvgPool3DBackward0")
    else:
        o = _list_with_default(output_size, input.shape)
        if isinstance(o, (int, np.integer)):
            o = (int(o),) * 2
        if len(o) != 2:
            raise RuntimeError("adaptive_avg_pool2d: output_size must be 2")
        out2d = o = tuple(int(v) for v in o)
        shape2d = input.shape
    if any(v < 0 for v in out2d):
        raise RuntimeError("adaptive_avg_pool2d: elements of output_size must be greater than or "
                           f"equal to 0 but received {{{', '.join(map(str, out2d))}}}")
    if len(shape2d) not in (3, 4):
        raise RuntimeError(f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got "
                           f"{shape_str(shape2d)}")
    for i in range(len(shape2d) - 2, len(shape2d)):
        if shape2d[i] == 0:
            raise RuntimeError(
                "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch "
                f"dimensions, but input has sizes {shape_str(shape2d)} with dimension {i} "
                "being empty")
    _not_implemented_for_ints(input, "adaptive_avg_pool2d")
    if nd == 1:  # torch pools 1-D as 2-D of height 1: its graph is Squeeze, the 2-D node, Unsqueeze
        return AdaptiveAvgPool.apply(input.unsqueeze(-2), out2d).squeeze(-2)
    return AdaptiveAvgPool.apply(input, o)


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """Mean over ``output_size`` windows ``[floor(i*L/o), ceil((i+1)*L/o))`` of the last dim."""
    if not isinstance(input, Tensor):
        raise argument_error(adaptive_avg_pool1d, locals())
    return _adaptive_avg_pool(input, output_size, 1)


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Adaptive mean over the last two dims (``None`` in ``output_size`` keeps that size)."""
    return _adaptive_avg_pool(input, output_size, 2)


def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    """Adaptive mean over the last three dims."""
    return _adaptive_avg_pool(input, output_size, 3)


# -- adaptive max pooling --------------------------------------------------------------------------

def _along(v: np.ndarray, axis: int, ndim: int, dtype) -> np.ndarray:
    shape = [1] * ndim
    shape[axis] = len(v)
    return v.reshape(shape).astype(dtype)


class AdaptiveMaxPool(ArrayFunction):
    """out[o] = max of x over adaptive window ``o`` (torch's scan order and NaN rule);
    dL/dx[i] = sum of g[o] over the windows whose max came from position i."""

    _backward_name = "AdaptiveMaxPool2DBackward0"

    @staticmethod
    def forward(ctx, x, out_sp):
        nd = len(out_sp)
        in_sp = x.shape[-nd:]
        # Per dim, tap j of window i reads min(start_i + j, end_i - 1): windows shorter than the
        # longest one repeat their last element, which never changes a max or its position.
        taps_per_dim = []
        for n, o in zip(in_sp, out_sp):
            start, end = adaptive_bounds(n, o)
            kmax = int((end - start).max()) if o else 0
            taps_per_dim.append(np.minimum(start[:, None] + np.arange(kmax), end[:, None] - 1))
        kernel = tuple(t.shape[1] for t in taps_per_dim)

        def tap_values():
            for offs in np.ndindex(*kernel):
                index = tuple(t[:, j].reshape((-1,) + (1,) * (nd - 1 - i))
                              for i, (t, j) in enumerate(zip(taps_per_dim, offs)))
                yield np.ravel_multi_index(offs, kernel), x[(Ellipsis,) + index]

        if 0 in out_sp or 0 in kernel:
            out = np.zeros(x.shape[:-nd] + tuple(out_sp), dtype=x.dtype)
            indices = np.zeros(out.shape, dtype=np.int64)
        else:
            out, j = _scan_max(tap_values, 0, x.dtype, math.prod(kernel))
            offs = np.unravel_index(j, kernel)
            coords = [t[np.arange(t.shape[0]).reshape((-1,) + (1,) * (nd - 1 - i)), offs[i]]
                      for i, t in enumerate(taps_per_dim)]
            indices = _flat_index(coords, in_sp)
        ctx.save_for_backward(indices)
        ctx.in_sp = in_sp
        return out, indices

    @staticmethod
    def backward(ctx, g, _g_indices):
        indices, = ctx.saved_tensors
        return _scatter_to_plane(g, indices, ctx.in_sp), None


def _adaptive_max_pool(input, output_size, return_indices: bool, nd: int):
    """``adaptive_max_pool1d/2d/3d``: torch's checks, then :class:`AdaptiveMaxPool`."""
    if nd == 1:
        o = output_size if isinstance(output_size, (int, np.integer)) else tuple(output_size)
        if not isinstance(o, (int, np.integer)) and len(o) != 1:
            raise RuntimeError("adaptive_max_pool1d() argument 'output_size' should contain one "
                               f"int (got {len(o)})")
        o = _ints(o, 1, "")
        _dims_2_to_3(input, "adaptive_max_pool1d")
        shape = input.shape
        for i in range(1 if len(shape) == 3 else 0, len(shape)):
            if shape[i] == 0:
                raise RuntimeError(
                    "adaptive_max_pool1d(): Expected input to have non-zero size for non-batch "
                    f"dimensions, but input has sizes {shape_str(shape)} with dimension {i} "
                    "being empty")
        out_shape2d = input.shape[:-1] + (1,) + o
    else:
        o = _list_with_default(output_size, input.shape)
        if isinstance(o, (int, np.integer)):
            o = (int(o),) * nd
        name = f"adaptive_max_pool{nd}d"
        if len(o) != nd:
            raise RuntimeError(f"{name}(): internal error: output_size.size() must be {nd}")
        o = tuple(int(v) for v in o)
        shape = input.shape
        if len(shape) not in (nd + 1, nd + 2):
            raise RuntimeError(f"{name}(): Expected {nd + 1}D or {nd + 2}D tensor, but got: "
                               f"{shape_str(shape)}")
        for i in range(1 if len(shape) == nd + 2 else 0, len(shape)):
            if shape[i] == 0:
                raise RuntimeError(
                    f"{name}(): Expected input to have non-zero size for non-batch "
                    f"dimensions, but input has sizes {shape_str(shape)} with dimension {i} "
                    "being empty")
        out_shape2d = input.shape[:-nd] + o
    neg = next((v for v in out_shape2d if v < 0), None)
    if neg is not None:
        raise RuntimeError(f"Trying to create tensor with negative dimension {neg}: "
                           f"{shape_str(out_shape2d)}")
    _not_implemented_for_ints(input, f"adaptive_max_pool{max(nd, 2)}d")
    if nd == 1:  # torch pools 1-D as 2-D of height 1: its graph is Squeeze, the 2-D node, Unsqueeze
        res, indices = AdaptiveMaxPool.apply(input.unsqueeze(-2), (1,) + o)
        res, indices = res.squeeze(-2), indices.squeeze(-2)
    else:
        res, indices = AdaptiveMaxPool.apply(
            input, o, name="AdaptiveMaxPool3DBackward0" if nd == 3 else None)
    return (res, indices) if return_indices else res


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    """Max over adaptive windows of the last dim, optionally with indices."""
    if not isinstance(input, Tensor):
        raise argument_error(adaptive_max_pool1d, locals())
    return _adaptive_max_pool(input, output_size, return_indices, 1)


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """Max over adaptive windows of the last two dims, optionally with flat indices."""
    return _adaptive_max_pool(input, output_size, return_indices, 2)


def adaptive_max_pool3d(input: Tensor, output_size, return_indices: bool = False):
    """Max over adaptive windows of the last three dims, optionally with flat indices."""
    return _adaptive_max_pool(input, output_size, return_indices, 3)


adaptive_max_pool1d_with_indices = adaptive_max_pool1d
adaptive_max_pool2d_with_indices = adaptive_max_pool2d
adaptive_max_pool3d_with_indices = adaptive_max_pool3d


# -- max unpooling ---------------------------------------------------------------------------------

class MaxUnpool(ArrayFunction):
    """out = zeros of ``out_sp``; out[..., indices[o]] = x[o]   (the adjoint of max pooling's
    selection).     dL/dx[o] = g[..., indices[o]]."""

    _backward_name = "MaxUnpool2DBackward0"

    @staticmethod
    def forward(ctx, x, indices, out_sp):
        nd = len(out_sp)
        lead = x.shape[:-nd]
        flat_idx = indices.reshape(lead + (-1,))
        out = np.zeros(lead + (math.prod(out_sp),), dtype=x.dtype)
        np.put_along_axis(out, flat_idx, x.reshape(lead + (-1,)), axis=-1)
        ctx.flat_idx, ctx.x_shape = flat_idx, x.shape
        return out.reshape(lead + tuple(out_sp))

    @staticmethod
    def backward(ctx, g):
        flat = g.reshape(ctx.flat_idx.shape[:-1] + (-1,))
        return np.take_along_axis(flat, ctx.flat_idx, axis=-1).reshape(ctx.x_shape), None, None


def unpool_output_size(input, kernel, stride, padding, output_size) -> tuple:
    """torch's ``_unpool_output_size``: the size max pooling came from, or a checked request."""
    nd = len(kernel)
    default = [(input.shape[-nd + d] - 1) * stride[d] + kernel[d] - 2 * padding[d]
               for d in range(nd)]
    if output_size is None:
        ret = default
    else:
        if len(output_size) == nd + 2:
            output_size = output_size[2:]
        if len(output_size) != nd:
            raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} "
                             f"elements, but it has a length of '{len(output_size)}'")
        for d in range(nd):
            lo, hi = default[d] - stride[d], default[d] + stride[d]
            if not lo < output_size[d] < hi:
                raise ValueError(f'invalid output_size "{output_size}" (dim {d} must be between '
                                 f'{lo} and {hi})')
        ret = output_size
    for d in range(nd):
        if ret[d] < 0:
            raise ValueError("max_unpooling: output_size must contain non-negative spatial "
                             f"dimensions, but got output_size[{d}]={ret[d]}")
    return tuple(int(v) for v in ret)


def _max_unpool(input, indices, kernel_size, stride, padding, output_size, nd: int):
    """``max_unpool1d/2d``: put each value back at its max-pooling index (zeros
    elsewhere). 1-D runs as 2-D with a width of 1, as in torch (and with its messages)."""
    k = _ints(kernel_size, nd, "")
    s = k if stride is None else _ints(stride, nd, "")
    p = _ints(padding, nd, "")
    out = unpool_output_size(input, k, s, p, output_size)
    dims = input.dim() + (1 if nd == 1 else 0)
    if dims not in (3, 4):
        raise RuntimeError("Input to max_unpooling2d should be a 3d or 4d Tensor, but got a "
                           f"tensor with {dims} dimensions.")
    if indices._data.dtype != np.int64:
        raise RuntimeError("elements in indices should be type int64 but got: "
                           f"{scalar_type_name(indices._data.dtype)}")
    if tuple(indices.shape) != tuple(input.shape):
        ext = (1,) if nd == 1 else ()
        raise RuntimeError(
            "Expected shape of indices to be same as that of the input tensor "
            f"({shape_str(tuple(input.shape) + ext)}) but got indices tensor with shape: "
            f"{shape_str(tuple(indices.shape) + ext)}")
    plane = math.prod(out)
    bad = (indices._data < 0) | (indices._data >= plane)
    if bad.any():
        size = "x".join(map(str, out + ((1,) if nd == 1 else ())))
        raise RuntimeError(f"Found an invalid max index: {indices._data[bad].flat[0]} (output "
                           f"volumes are of size {size})")
    if nd == 1:  # torch pools 1-D as 2-D of height 1: its graph is Squeeze, the 2-D node, Unsqueeze
        return MaxUnpool.apply(input.unsqueeze(-2), indices.unsqueeze(-2),
                               (1,) + tuple(out)).squeeze(-2)
    return MaxUnpool.apply(input, indices, out)


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:
    """Partial inverse of ``max_pool1d``: values go back to their indices, zeros elsewhere."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:
    """Partial inverse of ``max_pool2d``: values go back to their flat indices, zeros
    elsewhere."""
    if not isinstance(indices, Tensor):
        raise argument_error(max_unpool2d, locals(), tensors=("indices",))
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2)


# -- power-average pooling -------------------------------------------------------------------------

def _lp_pool(input, norm_type, kernel_size, stride, ceil_mode: bool, nd: int):
    """``lp_pool1d/2d/3d``, composed as torch composes it (so its graph is torch's)::

        out = (sum over the window of x**p) ** (1/p) = (K * avg_pool(x**p)) ** (1/p)

    with the sum guarded as ``sign(s) * relu(|s|)`` (equal to ``s``; gradient 0 at ``s = 0``).
    ``p = +-inf`` is the max (min) of ``|x|`` over the window.
    """
    k = _ints(kernel_size, nd, "")
    if norm_type == float("inf"):
        return _max_pool(input.abs(), kernel_size, stride, 0, 1, ceil_mode, False, nd)
    if norm_type == -float("inf"):
        return -_max_pool(-input.abs(), kernel_size, stride, 0, 1, ceil_mode, False, nd)
    s = _avg_pool(input.pow(norm_type), kernel_size, stride, 0, ceil_mode, True, None, nd)
    return (s.sign() * s.abs().relu()).mul(math.prod(k)).pow(1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size, stride=None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling ``(sum_window x**p) ** (1/p)`` over the last dim."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size, stride=None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling ``(sum_window x**p) ** (1/p)`` over the last two dims."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(input: Tensor, norm_type: float, kernel_size, stride=None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling ``(sum_window x**p) ** (1/p)`` over the last three dims."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3)
