"""Flat windows: views of zero-padded planes flattened in C order, as the stride-1 convolution
kernels in ``conv.py`` read them (docs/conv.md, "Stride 1: flat windows").

On a padded plane ``P`` flattened in C order, tap ``j`` of the window at output ``y`` is
element ``sum_m (y_m + d_m j_m) prod(P[m+1:])``: position ``l`` shifted by a constant. Over
the grid ``(S_0, P_1, ..., P_{d-1})`` (windows as wide as the padded rows) tap ``j`` of every
window is one contiguous slice; the columns past ``S_m`` read junk (the next row's start).
"""
from __future__ import annotations

import math
import threading

import numpy as np
from numpy.lib.stride_tricks import as_strided


# zero_padded_rows(scratch=...): buffers kept per thread, at most this many of at most this size
_SCRATCH_KEEP = 8
_SCRATCH_BYTES = 8 << 20
_scratch = threading.local()


def zero_padded_rows(a: np.ndarray, box: tuple, lo: tuple, front: int, tail: int,
                     scratch: str | None = None):
    """``a`` ``(N, C, *S)`` written into a flat zero buffer: row ``(n, c)`` (``front`` zeros,
    then a ``box``-shaped plane holding ``a[n, c]`` at offsets ``lo``) starts at
    ``(n C + c) * size``, ``size = front + prod(box)``; ``tail`` zeros close the buffer.
    Returns ``(buffer, size)``.

    With ``scratch`` (the buffer's role, so that two live buffers never share one) the buffer
    is kept for the next call with this geometry in this thread, and later calls write only
    ``a``'s positions: its zeros are never written over. Why: a fresh buffer costs a zero
    fill and first-touch page faults each call (0.45 against 0.2 ms on a 2.4 MB one in a
    ResNet step). Only for a buffer that does not outlive its caller's call."""
    n, c = a.shape[:2]
    size = front + math.prod(box)
    total = n * c * size + tail
    flat = None
    if scratch is not None and total * a.itemsize <= _SCRATCH_BYTES:
        kept = _scratch.__dict__.setdefault("buffers", {})
        key = (scratch, a.shape, a.dtype, box, lo, front, tail)
        flat = kept.get(key)
        if flat is None:
            flat = kept[key] = np.zeros(total, dtype=a.dtype)
            if len(kept) > _SCRATCH_KEEP:
                del kept[next(iter(kept))]
    if flat is None:
        flat = np.zeros(total, dtype=a.dtype)
    planes = flat[:n * c * size].reshape(n, c, size)[:, :, front:].reshape((n, c) + box)
    planes[(Ellipsis,) + tuple(slice(s0, s0 + s) for s0, s in zip(lo, a.shape[2:]))] = a
    return flat, size


def flat_taps(flat: np.ndarray, start: int, rows: tuple, size: int, kernel: tuple,
              tap: tuple, length: int) -> np.ndarray:
    """Flat windows: the view ``(N, C, *k, length)`` whose ``[n, c, *j, l]`` is
    ``flat[start + (n C + c) size + sum_m j_m tap_m + l]``.

    On a padded plane flattened in C order (``tap_m = d_m * prod(P[m+1:])``), position ``l``
    runs over the grid ``(S_0, P_1, ..., P_{d-1})``: windows as wide as the padded rows, so
    that tap ``j`` of every window is one slice with contiguous plane-long runs; the columns
    past ``S_m`` read junk (the next row's start) and are cut off after the GEMM."""
    item = flat.itemsize
    n, c = rows
    return as_strided(flat[start:], (n, c) + tuple(kernel) + (length,),
                      (c * size * item, size * item) + tuple(t * item for t in tap) + (item,),
                      writeable=False)


def tap_rows(flat: np.ndarray, start: int, lead: tuple, size: int, length: int) -> np.ndarray:
    """The view ``lead + (length,)`` of ``length`` elements from ``start`` in each row of
    ``size`` elements (``lead`` splits the rows: (samples, groups, channels per group)): one
    kernel offset's flat windows, in a form BLAS reads without a copy."""
    item = flat.itemsize
    strides = tuple(math.prod(lead[m + 1:]) * size * item for m in range(len(lead)))
    return as_strided(flat[start:], lead + (length,), strides + (item,), writeable=False)


def flat_geometry(padded: tuple, kernel: tuple, dilation: tuple):
    """Flat-window sizes on a plane ``padded``: the taps' strides, window positions per plane
    (``S_0 * prod(P[1:])``) and the reach (flat offset of the last tap)."""
    tap = tuple(d * math.prod(padded[m + 1:]) for m, d in enumerate(dilation))
    length = (padded[0] - dilation[0] * (kernel[0] - 1)) * math.prod(padded[1:])
    reach = sum(t * (k - 1) for t, k in zip(tap, kernel))
    return tap, length, reach
