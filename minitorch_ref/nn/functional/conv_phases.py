"""Strided convolutions split into phases: the input gradient of a stride-``s`` convolution
without col2im's strided adds.

Split the padded input ``xp`` (plane ``P``) into ``prod(s)`` phase planes
``xp_r[q] = xp[r + s q]`` (``0 <= r < s`` per dim, ``Q = ceil(P / s)`` positions each). Tap
``j`` of the window at output ``y`` reads ``xp[s y + d j]``; with ``d j = r_j + s t_j``
(``r_j = d j mod s``, ``t_j = d j // s``) that is ``xp_{r_j}[y + t_j]``: a stride-1 tap of one
phase plane, shifted by ``t_j``. So the convolution is a sum over phases of stride-1
convolutions, and each tap is one shifted slice of a phase plane flattened in C order
("flat windows", as in ``conv.flat_taps``), over the wide grid ``(S_0, Q_1, ..., Q_{d-1})``
(``S`` the output plane; the columns past ``S_m`` are junk).

The input gradient adds every tap's share of ``W^T g`` back onto the position it was read
from::

    cols[n]           = W^T @ g_wide[n]            one GEMM (g_wide: g on the wide grid, zeros
                                                   in the junk columns, so those add zeros)
    dxp_{r_j}[y + t_j] += cols[n, (c, j), y]       per tap: one slice of a flat phase plane
    dx[n, :, i]        = dxp_r[q]  for  i + lo = r + s q    (one strided copy per phase)

Each tap's add is a run as long as the wide grid (col2im's adds at stride ``s`` write every
``s``-th element, runs as long as an output row). A transposed convolution's forward is this
input gradient (its input in the place of ``g``), at stride 1 too: one phase, runs as long as
the padded plane instead of an input row.
"""
from __future__ import annotations

import math

import numpy as np

# bytes of the GEMM's result per block of samples: about the L2 cache, so the adds read it
# from cache (measured on Conv2d(32, 64, 3, s=2): 1-2 MB best, the whole batch 2.7x slower)
_PHASE_BLOCK_BYTES = 1 << 20


def phase_taps(padded: tuple, kernel: tuple, stride: tuple, dilation: tuple):
    """The phase planes ``Q``, and per kernel offset (row-major) its phase (a flat index into
    ``stride``) and its flat shift ``sum_m t_m prod(Q[m+1:])``."""
    q = tuple(-(-p // s) for p, s in zip(padded, stride))
    row = [math.prod(q[m + 1:]) for m in range(len(q))]
    taps = []
    for js in np.ndindex(*kernel):
        r = tuple(j * d % s for j, d, s in zip(js, dilation, stride))
        shift = sum(j * d // s * n for j, d, s, n in zip(js, dilation, stride, row))
        taps.append((int(np.ravel_multi_index(r, stride)), shift))
    return q, taps


def _phase_copies(x_shape: tuple, pads: tuple, stride: tuple) -> list:
    """Per phase ``r``: (index into its plane, index into ``dx``) of the positions of ``x`` it
    holds: ``i = r + s q - lo`` for ``0 <= i < S``."""
    copies = []
    for r in np.ndindex(*stride):
        src, dst = [], []
        for rm, s, (lo, _), size in zip(r, stride, pads, x_shape[2:]):
            q0 = -(-(lo - rm) // s)
            i0 = rm + s * q0 - lo
            count = len(range(i0, size, s))
            src.append(slice(q0, q0 + count))
            dst.append(slice(i0, size, s))
        copies.append((tuple(src), tuple(dst)))
    return copies


def input_grad_phases(g: np.ndarray, w: np.ndarray, x_shape: tuple, pads: tuple,
                      stride: tuple, dilation: tuple, groups: int) -> np.ndarray:
    """``dL/dx`` of a convolution with stride ``stride`` (module docstring), per block of
    samples. ``w`` must be finite: a junk column's zero of ``g_wide`` times an inf of ``w``
    would put a NaN where there is none. Also a transposed convolution's forward (``g`` its
    input, ``x_shape`` its output, ``pads`` its cropping), whose ``g`` may cover fewer windows
    than fit the padded plane (an ``output_padding`` of ``stride`` or more)."""
    n, o = g.shape[:2]
    c = x_shape[1]
    out = g.shape[2:]
    padded = tuple(s + lo + hi for s, (lo, hi) in zip(x_shape[2:], pads))
    q, taps = phase_taps(padded, w.shape[2:], stride, dilation)
    length = out[0] * math.prod(q[1:])
    area = math.prod(q)
    # a junk column of the last row may run past its plane by up to the largest shift
    tail = max(shift for _, shift in taps) + math.prod(q[1:])
    g_wide = np.zeros((n, o, out[0]) + q[1:], dtype=g.dtype)
    g_wide[(Ellipsis,) + tuple(slice(0, s) for s in out[1:])] = g
    g_wide = g_wide.reshape(n, groups, o // groups, length)
    # (O, C/G, *k) -> (G, C/G*K, O/G): rows (input channel, kernel offset)
    wt = w.reshape(groups, o // groups, -1).swapaxes(1, 2)
    block = max(1, min(n, _PHASE_BLOCK_BYTES // (c * len(taps) * length * g.itemsize)))
    res = np.empty((block, groups, wt.shape[1], length), dtype=g.dtype)
    planes = np.empty((block, c, math.prod(stride), area + tail), dtype=g.dtype)
    gx = np.empty(x_shape, dtype=g.dtype)
    copies = _phase_copies(x_shape, pads, stride)
    for n0 in range(0, n, block):
        nb = min(block, n - n0)
        np.matmul(wt, g_wide[n0:n0 + nb], out=res[:nb])
        cols = res[:nb].reshape(nb, c, len(taps), length)
        planes[:nb] = 0
        for j, (phase, shift) in enumerate(taps):
            planes[:nb, :, phase, shift:shift + length] += cols[:, :, j]
        grid = planes[:nb, :, :, :area].reshape((nb, c, len(copies)) + q)
        for phase, (src, dst) in enumerate(copies):
            gx[(slice(n0, n0 + nb), slice(None)) + dst] = grid[(slice(None), slice(None), phase)
                                                              + src]
    return gx
