"""im2col per cache-sized block of samples: :class:`.conv.Convolution`'s forward and weight
gradient where it copies strided windows (a stride above 1, or a stem of a few channels).

With ``X[n]`` the columns of the padded sample ``n`` (``(G, C/G*K, L)``, im2col's layout)::

    out[n] = W @ X[n]                      forward
    dL/dW  = sum_n g[n] @ X[n]^T           weight gradient, from the saved input

Both are computed per block of samples whose columns fit ``conv_flat._BLOCK_BYTES`` (about the
L2 cache): the block's columns are copied into one buffer reused by every block and the GEMM
reads them from cache; the padded input is a kept scratch buffer (``zero_padded_rows``) whose
zeros are written once. No batch-sized column array is allocated, and the weight gradient
rebuilds its columns from ``x`` itself, so a write through ``.data`` between forward and
backward shows in it, as in torch.
"""
from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .conv_flat import block_samples
from .conv_windows import zero_padded_rows


def padded_input(x: np.ndarray, pads: tuple) -> np.ndarray:
    """``x`` ``(N, C, *S)`` with zeros ``pads`` around its spatial dims, in a kept scratch buffer
    (overwritten by the next call with this geometry; ``x`` itself without padding)."""
    if not any(lo or hi for lo, hi in pads):
        return x
    box = tuple(s + lo + hi for s, (lo, hi) in zip(x.shape[2:], pads))
    flat, _ = zero_padded_rows(x, box, tuple(lo for lo, _ in pads), 0, 0, "x")
    return flat.reshape(x.shape[:2] + box)


def column_blocks(x: np.ndarray, pads: tuple, kernel: tuple, stride: tuple, dilation: tuple,
                  groups: int, out_sp: tuple):
    """Yield ``(n0, cols)``: im2col's columns ``(nb, G, C/G*K, L)`` of samples ``n0 .. n0+nb``
    of the zero-padded ``x``, one block of samples at a time, written into one buffer that the
    next block overwrites."""
    n, c = x.shape[:2]
    xp = padded_input(x, pads)
    # (N, C, *k, *out): rows (channel, kernel offset), as F.unfold's (conv.sliding_windows,
    # its last two groups of dims swapped)
    sp = xp.strides[2:]
    win = as_strided(xp, xp.shape[:2] + tuple(kernel) + tuple(out_sp),
                     xp.strides[:2] + tuple(s * d for s, d in zip(sp, dilation))
                     + tuple(s * st for s, st in zip(sp, stride)), writeable=False)
    rows, length = c * math.prod(kernel), math.prod(out_sp)
    block = block_samples(rows * length * x.itemsize, n)
    buf = np.empty((block,) + win.shape[1:], dtype=x.dtype)
    for n0 in range(0, n, block):
        nb = min(block, n - n0)
        np.copyto(buf[:nb], win[n0:n0 + nb])
        yield n0, buf[:nb].reshape(nb, groups, rows // groups, length)


def forward_blocked(x: np.ndarray, w: np.ndarray, pads: tuple, stride: tuple, dilation: tuple,
                    groups: int, out_sp: tuple) -> np.ndarray:
    """``out[n] = W @ X[n]`` per block of columns, each GEMM writing its samples of ``out``
    ``(N, O, *out_sp)`` directly."""
    n, o = x.shape[0], w.shape[0]
    out = np.empty((n, o) + tuple(out_sp), dtype=x.dtype)
    om = out.reshape(n, groups, o // groups, math.prod(out_sp))
    wm = w.reshape(groups, o // groups, math.prod(w.shape[1:]))  # W, as conv.weight_matrix
    for n0, cols in column_blocks(x, pads, w.shape[2:], stride, dilation, groups, out_sp):
        np.matmul(wm, cols, out=om[n0:n0 + len(cols)])
    return out


def weight_grad_blocked(gm: np.ndarray, x: np.ndarray, w_shape: tuple, pads: tuple,
                        stride: tuple, dilation: tuple, groups: int,
                        out_sp: tuple) -> np.ndarray:
    """``dL/dW = sum_n g[n] @ X[n]^T`` for ``gm`` ``(N, G, O/G, L)``, as ``cols @ g^T`` per
    block (OpenBLAS is faster with the long ``L`` inside the rows), summed over the block's
    samples and then over the blocks."""
    gw_t = part = None
    for n0, cols in column_blocks(x, pads, w_shape[2:], stride, dilation, groups, out_sp):
        nb = len(cols)
        if part is None:
            part = np.empty(cols.shape[:3] + (gm.shape[2],), dtype=cols.dtype)
        np.matmul(cols, gm[n0:n0 + nb].swapaxes(-1, -2), out=part[:nb])
        total = part[0] if nb == 1 else part[:nb].sum(axis=0)
        if gw_t is None:
            gw_t = total.copy() if nb == 1 else total
        else:
            gw_t += total
    if gw_t is None:  # an empty batch
        return np.zeros(w_shape, dtype=np.result_type(x, gm))
    # (G, C/G*K, O/G) -> (O, C/G, *k)
    return np.ascontiguousarray(gw_t.swapaxes(1, 2)).reshape(w_shape)
