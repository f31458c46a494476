"""Stride-1 convolutions on flat windows: :class:`.conv.Convolution`'s forward and backward
kernels (and :class:`.conv.ConvolutionTranspose`'s backward at stride 1) without an im2col of
strided windows (docs/conv.md, "Stride 1: flat windows").

Pad ``x`` once into a flat buffer (:func:`.conv_windows.zero_padded_rows`); tap ``j`` of every
window is then one shifted slice of each flattened padded plane (:func:`.conv_windows.flat_taps`),
over a grid as wide as the padded rows, whose junk columns are cut off after the GEMM::

    out[n]          = W @ X[n]                              X: x's flat windows
    dL/dW[:, :, j]  = sum_n g_wide[n] @ X_j[n]^T            X_j: tap j of them
    dL/dx[n, :, y]  = sum_j wf_j @ g_wide[n, :, y - j d]    wf: the flipped kernel

with ``g_wide`` the output gradient on the same wide grid (zeros in its junk columns). Each sum
over ``j`` is one GEMM over columns copied per cache-sized block of samples, or ``K`` GEMMs on
views with no copy, whichever the shapes favour.

Rows share their padding (``flat_box``): a tap that runs past the end of a row reads the start of
the next one, so the zeros a row needs on its right can be the next row's zeros on its left,
and rows are ``W + max(lo, hi)`` long instead of ``W + lo + hi``: fewer junk columns in every
GEMM (a 3x3 kernel on 16x16 planes: 17 columns per row of 16 outputs instead of 18).
"""
from __future__ import annotations

import math

import numpy as np

from ..._ops._util import c_order
from .conv_windows import flat_geometry, flat_taps, tap_rows, zero_padded_rows


# bytes of columns per block of samples: about the L2 cache, so that the GEMM reads the columns
# the copy just wrote from cache instead of from memory
_BLOCK_BYTES = 1 << 20


# bytes of the input gradient accumulated per block of samples (and as many for each GEMM's
# result): a quarter of the L2 cache, so the K accumulations stay in cache
_DX_BLOCK_BYTES = 256 << 10


def block_samples(row_bytes: int, n: int) -> int:
    """Samples per block whose columns (``row_bytes`` each) fit ``_BLOCK_BYTES``."""
    return max(1, min(n, _BLOCK_BYTES // max(row_bytes, 1)))


def flat_box(spatial: tuple, pads: tuple, kernel: tuple, dilation: tuple) -> tuple:
    """The plane a flat buffer holds per (sample, channel): ``x``'s positions ``spatial`` with
    their zero padding ``pads``, but rows (the last dim, when there are two or more) only
    ``W + max(lo, hi)`` long: the right padding a window reads past a row's end is the next
    row's left padding (``lo`` zeros at every row's start; past the last row of a plane, the
    next plane's first row or the buffer's zero tail). It needs ``min(lo, hi) <= d (k - 1)``
    (the windows' last output still starts within the row); otherwise the row keeps both."""
    box = [s + lo + hi for s, (lo, hi) in zip(spatial, pads)]
    (lo, hi), reach = pads[-1], dilation[-1] * (kernel[-1] - 1)
    if len(box) > 1 and min(lo, hi) <= reach:
        box[-1] = spatial[-1] + max(lo, hi)
    return tuple(box)


def forward_flat(x, w, b, pads, dilation, groups):
    """:class:`.conv.Convolution`'s forward at stride 1: ``out[n] = W @ X[n]`` with ``X[n]`` the
    flat windows of the padded ``x[n]``, per block of samples (why: ``_BLOCK_BYTES``); the
    junk columns are cut off (and the bias added) as the block is written out. A single
    kernel offset (1x1) reads its one tap as a view, uncopied; without junk columns (kernel
    extent 1 past the first dim) the GEMM writes the output directly. Returns the output, the
    padded copy of ``x`` (flat; a kept scratch buffer that the next call with this geometry
    overwrites, see ``zero_padded_rows``) and the geometry."""
    n, c = x.shape[:2]
    o, kernel = w.shape[0], w.shape[2:]
    padded = tuple(s + lo + hi for s, (lo, hi) in zip(x.shape[2:], pads))
    out_sp = tuple(p - d * (k - 1) for p, d, k in zip(padded, dilation, kernel))
    box = flat_box(x.shape[2:], pads, kernel, dilation)
    tap, length, reach = flat_geometry(box, kernel, dilation)
    xflat, size = zero_padded_rows(x, box, tuple(lo for lo, _ in pads), 0, reach, "x")
    taps = flat_taps(xflat, 0, (n, c), size, kernel, tap, length)
    wm = w.reshape(groups, o // groups, math.prod(w.shape[1:]))  # W, as conv.weight_matrix
    copy = math.prod(kernel) > 1
    block = block_samples(wm.shape[2] * groups * length * x.itemsize, n)
    cols = np.empty((block,) + taps.shape[1:], dtype=x.dtype) if copy else None
    out = np.empty((n, o) + out_sp, dtype=x.dtype)
    direct = out_sp[1:] == box[1:]
    res = None if direct else np.empty((block, groups, o // groups, length), dtype=x.dtype)
    keep = (Ellipsis,) + tuple(slice(0, s) for s in out_sp[1:])
    bias = None if b is None else b.reshape((-1,) + (1,) * len(out_sp))
    for n0 in range(0, n, block):
        nb = min(block, n - n0)
        if copy:
            np.copyto(cols[:nb], taps[n0:n0 + nb])
        cols_nb = (cols[:nb] if copy else taps[n0:n0 + nb]).reshape(nb, groups, -1, length)
        if direct:
            np.matmul(wm, cols_nb, out=out[n0:n0 + nb].reshape(nb, groups, -1, length))
            if bias is not None:
                out[n0:n0 + nb] += bias
            continue
        np.matmul(wm, cols_nb, out=res[:nb])
        wide = res[:nb].reshape((nb, o, out_sp[0]) + box[1:])[keep]
        if bias is None:
            out[n0:n0 + nb] = wide
        else:
            np.add(wide, bias, out=out[n0:n0 + nb])
    stride = (1,) * len(kernel)
    return out, xflat, (x.shape, (n, c) + padded, kernel, stride, pads, dilation, groups,
                        out_sp)


def padded_flat(x, geom) -> np.ndarray:
    """The zero-padded flat copy of ``x`` that the flat windows read, as ``forward_flat``
    makes it."""
    x_shape, _, kernel, _, pads, dilation, _, _ = geom
    box = flat_box(x_shape[2:], pads, kernel, dilation)
    reach = flat_geometry(box, kernel, dilation)[2]
    return zero_padded_rows(x, box, tuple(lo for lo, _ in pads), 0, reach, "x")[0]


def backward_flat(g, w, xflat, geom, need_x: bool, need_w: bool):
    """:class:`.conv.Convolution`'s weight gradient and (``need_x``) input gradient at stride 1,
    from one zero-padded copy of ``g``: row ``(n, o)`` holds ``R`` zeros, then ``g[n, o]`` on
    the flat-window grid with zeros in its junk columns (``g_wide``; ``R`` = the reach of the
    kernel, the largest tap offset)::

        dL/dW[:, :, j] = sum_n g_wide[n] @ X_j[n]^T       X_j: tap j of x's flat windows
        dL/dx[n, :, y] = sum_j wf_j @ g_wide[n, :, y - j d]  wf: the flipped kernel

    The second reads the flat windows of the same buffer (the ``R`` zeros before each row
    stand for the positions before the plane), cropped to ``x``'s positions afterwards. A junk
    column of ``dL/dW``'s sum meets a zero of ``g_wide``; only an inf or NaN of ``x`` there
    would show (as NaN), so the caller recomputes a non-finite result by the im2col form.
    Each sum over ``j`` is either one GEMM over columns copied per block of samples, or ``K``
    GEMMs on views with no copy (see :func:`weight_grad_flat`, :func:`input_grad_flat`). Where
    the input gradient copies ``g``'s columns, ``dL/dW`` is read from the same copy (see
    :func:`input_grad_flat`) instead of a copy of ``x``'s.
    """
    x_shape, _, kernel, _, pads, dilation, groups, out_sp = geom
    n, o = g.shape[:2]
    padded = flat_box(x_shape[2:], pads, kernel, dilation)
    tap, length, reach = flat_geometry(padded, kernel, dilation)
    box = (out_sp[0],) + padded[1:]
    gflat, gsize = zero_padded_rows(g, box, (0,) * len(box), reach, reach, "g")
    g_wide = gflat[:n * o * gsize].reshape(n, groups, o // groups, gsize)[..., reach:]
    gx = gw = None
    if need_x:
        gx, gw = input_grad_flat(gflat, gsize, w, geom, tap, xflat if need_w else None)
    if need_w and gw is None:
        gw = weight_grad_flat(g_wide, w, xflat, geom, tap, length)
    return gx, gw


def weight_grad_flat(g_wide, w, xflat, geom, tap, length) -> np.ndarray:
    """``dL/dW`` of :func:`backward_flat`. Per offset (``K`` GEMMs on views, each reducing
    over the long window axis to an ``(O/G, C/G)`` block) when those are small GEMMs of at most
    1e6 multiply-adds with 16-32 output and 16+ input channels: OpenBLAS runs such shapes
    through its small-matrix kernels near peak speed (measured: 64 output channels, or 1e6+
    multiply-adds, run 1.3-1.5x slower than copying); otherwise one GEMM per block of samples
    over the flat-window columns copied from the saved padded input (as the forward does)."""
    x_shape, _, kernel, _, pads, dilation, groups, _ = geom
    n, c = x_shape[:2]
    og, cg = w.shape[0] // groups, c // groups
    plane = math.prod(flat_box(x_shape[2:], pads, kernel, dilation))
    offsets = [sum(j * t for j, t in zip(js, tap)) for js in np.ndindex(*kernel)]
    if 16 <= og <= 32 and cg >= 16 and og * cg * length <= 10 ** 6:
        gw = np.empty((groups, og, cg, len(offsets)), dtype=g_wide.dtype)
        for j, off in enumerate(offsets):
            x_j = tap_rows(xflat, off, (n, groups, cg), plane, length)
            np.sum(np.matmul(g_wide, x_j.swapaxes(-1, -2)), axis=0, out=gw[..., j])
        return gw.reshape(w.shape)
    taps = flat_taps(xflat, 0, (n, c), plane, kernel, tap, length)
    block = block_samples(c * len(offsets) * length * xflat.itemsize, n)
    cols = np.empty((block,) + taps.shape[1:], dtype=xflat.dtype)
    gw_t = np.zeros((groups, cg * len(offsets), og), dtype=g_wide.dtype)
    for n0 in range(0, n, len(cols)):
        nb = min(len(cols), n - n0)
        np.copyto(cols[:nb], taps[n0:n0 + nb])
        part = np.matmul(cols[:nb].reshape(nb, groups, -1, length),
                         g_wide[n0:n0 + nb].swapaxes(-1, -2))
        gw_t += part.sum(axis=0) if nb > 1 else part[0]
    return c_order(gw_t.swapaxes(1, 2)).reshape(w.shape)


def input_grad_flat(gflat, gsize, w, geom, tap, xflat=None):
    """``dL/dx`` of :func:`backward_flat`, per block of samples, cropped to ``x``. With at
    least twice as many output as input channels ``K`` GEMMs on views accumulated in a
    cache-sized block (the copy they save grows with ``O``, the accumulations they add with
    ``C``); otherwise one GEMM over the windows' columns copied per block. Returns ``(dL/dx,
    dL/dW)``; ``dL/dW`` is None unless ``xflat`` is given and the columns are copied: then
    it is read from the same columns, while they are in cache. Column ``q`` of tap ``j`` is
    ``g_wide[m - t_j']`` at the position ``m = m0 + q`` of ``x``'s rows (``t_j'`` the shift of
    the flipped tap ``j' = k - 1 - j``), so, with ``m`` the substituted window position::

        dL/dW[:, :, j'] = sum_n sum_m g_wide[n, :, m - t_j'] x_rows[n, :, m]
                        = sum_n gcols[n, :, j] @ x_rows[n]^T

    ``x_rows`` the padded rows that hold ``x`` (a view of ``xflat``; its zero columns add
    nothing)."""
    x_shape, _, kernel, _, pads, dilation, groups, _ = geom
    n, c = x_shape[:2]
    o = w.shape[0]
    og, cg = o // groups, c // groups
    padded = flat_box(x_shape[2:], pads, kernel, dilation)
    item = gflat.itemsize
    # dx rows: the padded rows that hold x, all columns (the padding columns are cut off)
    row = math.prod(padded[1:])
    m0, span = pads[0][0] * row, x_shape[2] * row
    flipped = np.flip(w, axis=tuple(range(2, w.ndim)))
    gx = np.empty(x_shape, dtype=gflat.dtype)
    keep = (Ellipsis, slice(None)) + tuple(slice(lo, lo + s) for (lo, _), s
                                           in zip(pads[1:], x_shape[3:]))
    if o >= 2 * c:
        offsets = [sum(j * t for j, t in zip(js, tap)) for js in np.ndindex(*kernel)]
        g_taps = [tap_rows(gflat, m0 + off, (n, groups, og), gsize, span) for off in offsets]
        # (O, C/G, *k) -> (K, G, C/G, O/G): per offset, input channels by output channels
        wf = c_order(flipped.reshape(groups, og, cg, -1).transpose(3, 0, 2, 1))
        block = max(1, min(n, _DX_BLOCK_BYTES // max(c * span * item, 1)))
        res = np.empty((block, groups, cg, span), dtype=gflat.dtype)
        tmp = np.empty_like(res)
        for n0 in range(0, n, block):
            nb = min(block, n - n0)
            np.matmul(wf[0], g_taps[0][n0:n0 + nb], out=res[:nb])
            for j in range(1, len(offsets)):
                np.matmul(wf[j], g_taps[j][n0:n0 + nb], out=tmp[:nb])
                res[:nb] += tmp[:nb]
            gx[n0:n0 + nb] = res[:nb].reshape((nb, c, x_shape[2]) + padded[1:])[keep]
        return gx, None
    g_taps = flat_taps(gflat, m0, (n, o), gsize, kernel, tap, span)
    # (O, C/G, *k) -> (G, C/G, O/G * K): rows are input channels, columns (o, offset) as taps'
    wf = c_order(flipped.reshape(groups, og, cg, -1).transpose(0, 2, 1, 3))
    wf = wf.reshape(groups, cg, -1)
    cols = np.empty((block_samples(o * math.prod(kernel) * span * item, n),) + g_taps.shape[1:],
                    dtype=gflat.dtype)
    res = np.empty((len(cols), groups, cg, span), dtype=gflat.dtype)
    gw_t = x_rows = None
    if xflat is not None:
        x_rows = tap_rows(xflat, m0, (n, groups, cg), math.prod(padded), span)
        gw_t = np.zeros((groups, og * math.prod(kernel), cg), dtype=gflat.dtype)
    for n0 in range(0, n, len(cols)):
        nb = min(len(cols), n - n0)
        np.copyto(cols[:nb], g_taps[n0:n0 + nb])
        cols_nb = cols[:nb].reshape(nb, groups, -1, span)
        np.matmul(wf, cols_nb, out=res[:nb])
        gx[n0:n0 + nb] = res[:nb].reshape((nb, c, x_shape[2]) + padded[1:])[keep]
        if gw_t is not None:
            part = np.matmul(cols_nb, x_rows[n0:n0 + nb].swapaxes(-1, -2))
            gw_t += part.sum(axis=0) if nb > 1 else part[0]
    if gw_t is None:
        return gx, None
    # (G, O/G * K, C/G) with taps flipped -> (O, C/G, *k)
    gw = np.flip(gw_t.reshape((groups, og) + tuple(kernel) + (cg,)),
                 axis=tuple(range(2, 2 + len(kernel))))
    return gx, c_order(np.moveaxis(gw, -1, 2)).reshape(w.shape)
