"""Padding: ``pad`` in its four modes.

Constant padding copies the input into a filled array (``ConstantPad``). Reflect, replicate and
circular padding are index maps along each padded axis: output position ``o`` reads input
position ``pad_index(...)[o]``, a one-tap ``Resample`` (see ``sampling.py``) whose backward adds
each gradient back onto the position it was read from.
"""
from __future__ import annotations

import numpy as np

from ..._names import shape_str
from ..._ops._arguments import argument_error
from ..._ops._util import new_zeros
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from .sampling import Resample


class ConstantPad(ArrayFunction):
    """out = x surrounded by ``value`` (negative pads crop).
    dL/dx = g on the region copied from x (zero where x was cropped away)."""

    _backward_name = "ConstantPadNdBackward0"

    @staticmethod
    def forward(ctx, x, pads, value):
        nd = len(pads)
        out_sp = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[-nd:], pads))
        src = (Ellipsis,) + tuple(slice(max(0, -lo), n - max(0, -hi))
                                  for n, (lo, hi) in zip(x.shape[-nd:], pads))
        dst = (Ellipsis,) + tuple(slice(max(0, lo), max(0, lo) + (n - max(0, -lo) - max(0, -hi)))
                                  for n, (lo, hi) in zip(x.shape[-nd:], pads))
        out = np.full(x.shape[:-nd] + out_sp, value, dtype=x.dtype)
        if out.size:
            out[dst] = x[src]
        ctx.geom = (x.shape, src, dst)
        return out

    @staticmethod
    def backward(ctx, g):
        shape, src, dst = ctx.geom
        gx = new_zeros(g, shape)
        if g.size:
            gx[src] = g[dst]
        return gx, None, None


# torch's grad_fn of each mode's result (circular padding is written by slice assignments)
def _pad_node(mode: str, nd: int) -> str:
    return {"reflect": f"ReflectionPad{nd}DBackward0", "replicate": f"ReplicationPad{nd}DBackward0",
            "circular": "torch::autograd::CopySlices"}[mode]


def pad_index(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """Source position of each output position along one padded axis of length ``n``.
    reflect/replicate measure from the original borders (a negative pad just crops);
    circular crops first and then wraps around what is left, as torch does."""
    j = np.arange(n + lo + hi) - lo
    if mode == "reflect":
        j = np.abs(j)
        return np.where(j > n - 1, 2 * (n - 1) - j, j)
    if mode == "replicate":
        return np.clip(j, 0, n - 1)
    crop_lo, crop_hi = max(-lo, 0), max(-hi, 0)
    kept = n - crop_lo - crop_hi
    return crop_lo + (np.arange(n + lo + hi) - max(lo, 0)) % kept


def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad (or, with negative amounts, crop) the last ``len(pad) // 2`` dims; ``pad`` lists
    ``(left, right)`` pairs starting from the last dim. Modes: ``'constant'`` (any dims),
    ``'reflect'``, ``'replicate'``, ``'circular'`` (1 to 3 dims of a batched/unbatched input)."""
    if not isinstance(input, Tensor):
        raise argument_error(None, locals(), "pad")  # (``pad`` is a parameter here)
    if not isinstance(pad, (tuple, list)) or not all(
            isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in pad):
        bad = next((p for p in pad if not isinstance(p, (int, np.integer))), pad) \
            if isinstance(pad, (tuple, list)) else pad
        pos = list(pad).index(bad) if isinstance(pad, (tuple, list)) else 0
        raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, but found "
                        f"element of type {type(bad).__name__} at pos {pos}")
    pad = [int(p) for p in pad]
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    nd = len(pad) // 2
    ndim = input.dim()
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode != "constant" and value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    # (lo, hi) per padded dim, in dim order (the list starts from the last dim)
    pads = tuple((pad[2 * k], pad[2 * k + 1]) for k in reversed(range(nd)))
    if nd > ndim:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension "
            f"but got padding length {len(pad)} and input of dimension {ndim}")
    if mode == "constant":
        sizes = input.shape[ndim - nd:]
        # torch narrows the input by the negative pads first (an empty result is fine)
        if any(n + min(lo, 0) + min(hi, 0) < 0 for n, (lo, hi) in zip(sizes, pads)):
            raise RuntimeError("narrow(): length must be non-negative.")
        if nd == 0:
            return ConstantPad.apply(input, ((0, 0),), 0) if ndim else input.clone()
        return ConstantPad.apply(input, pads, 0 if value is None else value)
    if not (nd in (1, 2, 3) and ndim in (nd + 1, nd + 2)):
        raise NotImplementedError(f"Padding size {len(pad)} is not supported for {ndim}D input "
                                  "tensor.")
    shape = input.shape
    if mode != "circular":
        batch = ndim == nd + 2
        dims = range(1, ndim) if batch else range(ndim)
        if not all(shape[d] for d in dims):
            raise RuntimeError(
                f"Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with possibly 0 batch size "
                f"and other non-zero dimensions for input, but got: {shape_str(shape)}")
    sizes = shape[ndim - nd:]
    if mode == "reflect":
        for k in range(nd):  # torch checks the last dim first
            d = ndim - 1 - k
            lo, hi = pads[nd - 1 - k]
            if lo >= shape[d] or hi >= shape[d]:
                raise RuntimeError(
                    f"Argument #{4 + 2 * k}: Padding size should be less than the corresponding "
                    f"input dimension, but got: padding ({lo}, {hi}) at dimension {d} of input "
                    f"{shape_str(shape)}")
    if mode == "circular":
        for n, (lo, hi) in zip(sizes, pads):
            if lo > n or hi > n:
                raise RuntimeError("Padding value causes wrapping around more than once.")
            if n + lo + hi < 0:
                raise RuntimeError("Negative padding value is resulting in an empty dimension")
    out_sp = [n + lo + hi for n, (lo, hi) in zip(sizes, pads)]
    if mode != "circular" and nd == 1 and out_sp[0] < 1:
        raise RuntimeError(f"input (W: {sizes[0]}) is too small. Calculated output W: "
                           f"{out_sp[0]}")
    if mode != "circular" and nd == 2 and out_sp[0] < 1 and out_sp[1] < 1:
        gap = " " if mode == "replicate" else ""
        raise RuntimeError(f"input (H: {sizes[0]}, W: {sizes[1]}{gap}) is too small. Calculated "
                           f"output H: {out_sp[0]} W: {out_sp[1]}")
    if any(o < 0 for o in out_sp):
        raise RuntimeError(
            f"Trying to create tensor with negative dimension {min(out_sp)}: "
            f"{shape_str(tuple(shape[:ndim - nd]) + tuple(out_sp))}")
    taps = [[(pad_index(n, lo, hi, mode), None)] for n, (lo, hi) in zip(sizes, pads)]
    return Resample.apply(input, taps, name=_pad_node(mode, nd))
