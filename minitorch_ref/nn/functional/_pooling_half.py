"""Adaptive average pooling in float16, rounded where torch's CPU kernels round.

torch's kernel sums each window in row-major order, in float32 for 1-D/2-D pooling and in
float16 (rounding after every add) for 3-D, then divides by the window's extent one dim at a
time (``sum / kh / kw``, each quotient rounded in the accumulation dtype). A pool to a single
output (1x1, 1x1x1) is torch's ``mean``: a float32 sum divided by the count once. The gradient
is ``g / kh / kw`` (float16 after each division; ``g / count`` for the mean) added to the
window's inputs output by output, in float16. The separable float32/float64 path reorders
those sums, which shows in float16's bits and not at float32's tolerance.
"""
from __future__ import annotations

import math

import numpy as np


def _along(nd: int, i: int, v: np.ndarray) -> np.ndarray:
    return v.reshape((-1,) + (1,) * (nd - 1 - i))


def adaptive_avg_forward(x: np.ndarray, bounds: list) -> np.ndarray:
    """``bounds``: per spatial dim ``(start, end)`` of the output windows (all non-empty)."""
    nd = len(bounds)
    out_sp = tuple(len(s) for s, _ in bounds)
    whole = all(o == 1 for o in out_sp)
    acc = np.float32 if nd < 3 or whole else np.float16
    total = np.zeros(x.shape[:-nd] + out_sp, dtype=acc)
    for offs in np.ndindex(*(int((e - s).max()) for s, e in bounds)):
        index, valid = [], True
        for i, ((s, e), j) in enumerate(zip(bounds, offs)):
            index.append(_along(nd, i, np.minimum(s + j, e - 1)))
            valid = valid & _along(nd, i, s + j < e)
        total += np.where(valid, x[(Ellipsis,) + tuple(index)], acc(0))
    if whole:
        return (total / acc(math.prod(x.shape[-nd:]))).astype(np.float16)
    for i, (s, e) in enumerate(bounds):
        total = total / _along(nd, i, (e - s).astype(acc))
    return total.astype(np.float16)


def adaptive_avg_backward(g: np.ndarray, runs: list) -> np.ndarray:
    """``runs``: per spatial dim ``(start, length, lo, count)``: the windows, and for each
    input position the outputs ``[lo, lo + count)`` whose window holds it."""
    nd = len(runs)
    if all(len(start) == 1 for start, _, _, _ in runs):
        n = math.prod(len(lo) for _, _, lo, _ in runs)
        gd = (g.astype(np.float32) / np.float32(n)).astype(np.float16)
    else:
        gd = g
        for i, (_, length, _, _) in enumerate(runs):
            gd = gd / _along(nd, i, length.astype(np.float16))
    res = np.zeros(g.shape[:-nd] + tuple(len(lo) for _, _, lo, _ in runs), dtype=np.float16)
    for offs in np.ndindex(*(int(c.max()) for _, _, _, c in runs)):
        index, valid = [], True
        for i, ((start, _, lo, count), u) in enumerate(zip(runs, offs)):
            index.append(_along(nd, i, np.minimum(lo + u, len(start) - 1)))
            valid = valid & _along(nd, i, u < count)
        res += np.where(valid, gd[(Ellipsis,) + tuple(index)], np.float16(0))
    return res
