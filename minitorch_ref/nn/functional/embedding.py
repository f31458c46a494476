"""Sparse lookups: ``embedding``, ``embedding_bag`` and ``one_hot``.

Each kernel is an ``ArrayFunction``: forward beside backward on ndarrays, the derivative in its
docstring (``g`` is dL/d out). Under each kernel, the public function with torch's checks.
"""
from __future__ import annotations

import math
from typing import Optional

import numpy as np

from ..._ops._arguments import argument_error
from ..._ops._util import new_zeros
from ..._tensor import Tensor, _new_tensor
from ...autograd.function import ArrayFunction


def _add_rows_at(out: np.ndarray, index: np.ndarray, rows: np.ndarray) -> None:
    """out[index[i]] += rows[i] for each i, repeated indices adding up (np.add.at over rows),
    done element by element on the flattened arrays: NumPy's np.add.at has a fast path for
    1-D indices that runs several times faster than adding whole rows. ``out``: a freshly
    allocated (C-contiguous) 2-D array, so that its flattening is a view."""
    dim = out.shape[1]
    cells = index.astype(np.intp)[:, None] * dim + np.arange(dim)
    np.add.at(out.reshape(-1), cells.reshape(-1), rows.reshape(-1))


def _embedding_renorm_(weight: Tensor, indices: np.ndarray, max_norm: float,
                       norm_type: float) -> None:
    """``_renorm_rows`` on ``weight``'s array, its version bumped where a row changed."""
    if _renorm_rows(weight._data, indices, max_norm, norm_type):
        weight._bump_version()


def _renorm_rows(w: np.ndarray, indices: np.ndarray, max_norm: float, norm_type: float) -> bool:
    """Rescale, in place, every row of ``w`` named in ``indices`` whose ``norm_type``-norm
    exceeds ``max_norm`` to norm ``max_norm`` (torch's scale: max_norm / (norm + 1e-7)).
    Whether any row changed."""
    rows = np.unique(indices)
    sel = w[rows]
    if norm_type == math.inf:
        norms = np.abs(sel).max(axis=1)
    else:
        norms = (np.abs(sel) ** norm_type).sum(axis=1) ** (1.0 / norm_type)
    big = norms > max_norm
    if not np.any(big):
        return False
    scale = (max_norm / (norms[big] + 1e-7)).astype(w.dtype)
    w[rows[big]] = sel[big] * scale[:, None]
    return True


def _padding_index(padding_idx: Optional[int], num_embeddings: int, name: str) -> Optional[int]:
    """``padding_idx`` checked against ``num_embeddings`` and made non-negative (-1 is the last
    row). ``name`` is how torch spells it in the error: Embedding and EmbeddingBag differ."""
    if padding_idx is None:
        return None
    if padding_idx < -num_embeddings or 0 < padding_idx >= num_embeddings:  # 0 always passes
        raise AssertionError(f"{name} must be within num_embeddings")
    return padding_idx + num_embeddings if padding_idx < 0 else padding_idx


class Embedding(ArrayFunction):
    """out = weight[indices]   (one row of ``weight`` per index).
    dL/dweight = zeros, with each index's g row added to its row (repeated indices add up);
    the ``padding_idx`` row gets no gradient; with ``scale_grad_by_freq`` each row's gradient is
    divided by how often its index occurs in the batch."""

    _backward_name = "EmbeddingBackward0"

    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq):
        ctx.save_for_backward(indices)
        ctx.meta = (weight.shape, padding_idx, scale_grad_by_freq)
        return np.take(weight, indices, axis=0)

    @staticmethod
    def backward(ctx, g):
        indices, = ctx.saved_tensors
        (n_rows, dim), padding_idx, by_freq = ctx.meta
        flat = indices.reshape(-1)
        rows = g.reshape(-1, dim)
        counts = np.bincount(flat, minlength=n_rows)
        if by_freq:
            rows = rows / counts[flat][:, None].astype(rows.dtype)
        gw = new_zeros(g, (n_rows, dim))
        # an index that occurs once takes its row by assignment; np.add.at only for repeats
        once = counts[flat] == 1
        if once.any():
            gw[flat[once]] = rows[once]
            repeated = np.flatnonzero(~once)
            flat, rows = flat[repeated], rows[repeated]
        _add_rows_at(gw, flat, rows)
        if padding_idx is not None:
            gw[padding_idx] = 0
        return gw, None, None, None


def embedding(input: Tensor, weight: Tensor, padding_idx: Optional[int] = None,
              max_norm: Optional[float] = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of ``weight`` looked up by the integer tensor ``input``; the ``padding_idx`` row
    receives no gradient; with ``max_norm``, looked-up rows are first renormalised in place."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)):  # torch.embedding's order
        raise argument_error(None, {"weight": weight, "indices": input}, name="embedding")
    padding_idx = _padding_index(padding_idx, weight.shape[0], "Padding_idx")
    if sparse:
        raise NotImplementedError("sparse gradients (sparse=True) are not implemented in "
                                  "minitorch_ref; use sparse=False")
    idx = input._data
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {input.type()} instead (while checking arguments for "
            "embedding)")
    if idx.size and (idx.min() < 0 or idx.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _embedding_renorm_(weight, idx, max_norm, norm_type)
    return Embedding.apply(weight, idx, padding_idx, scale_grad_by_freq)


def _bag_freq_scale(indices: np.ndarray) -> np.ndarray:
    """The divisor torch 2.13's CPU ``embedding_bag`` backward applies per position with
    ``scale_grad_by_freq``. Its documentation says "the frequency of the index in the
    mini-batch", but the kernel pairs the k-th distinct index (in sorted order) with the
    frequency found at the k-th position of the *sorted* index list. The two agree until a
    repeated index occurs; after it, the next distinct indices take the repeated one's count.
    We reproduce the kernel (plain ``embedding`` uses the true frequency, as torch's does)."""
    freq = np.bincount(indices)
    ranked = freq[np.sort(indices)]           # frequency at each sorted position
    _, rank = np.unique(indices, return_inverse=True)
    return ranked[rank]


class EmbeddingBag(ArrayFunction):
    """Bags of rows of ``weight`` reduced per bag: bag b holds positions starts[b]..ends[b]-1
    of ``indices`` (entries equal to ``padding_idx`` are left out; an empty bag gives zeros).
      sum:   out_b = sum_i psw_i w[idx_i]       dL/dw[idx_i] += psw_i g_b,
                                                dL/dpsw_i = <g_b, w[idx_i]>
      mean:  out_b = sum_i w[idx_i] / n_b       dL/dw[idx_i] += g_b / n_b
      max:   out_b = max_i w[idx_i] (per column) dL/dw goes to the first position attaining it
    With ``scale_grad_by_freq`` each position's weight gradient is divided by torch's count
    (see ``_bag_freq_scale``)."""

    _backward_name = "EmbeddingBagBackward0"

    @staticmethod
    def forward(ctx, weight, indices, starts, ends, mode, psw, padding_idx, by_freq):
        n_bags, dim = len(starts), weight.shape[1]
        seg = np.repeat(np.arange(n_bags), ends - starts)  # the bag of each position
        keep = np.ones(len(indices), dtype=bool) if padding_idx is None else \
            indices != padding_idx
        rows = weight[indices]
        if psw is not None:
            rows = rows * psw[:, None]
        out = np.zeros((n_bags, dim), dtype=weight.dtype)
        counts = np.bincount(seg[keep], minlength=n_bags)
        if mode == "max":
            out.fill(-np.inf)
            np.maximum.at(out, seg[keep], rows[keep])
            out[counts == 0] = 0
            # the first position attaining each bag's column maximum receives the gradient
            hit = keep[:, None] & (rows == out[seg])
            pos = np.where(hit, np.arange(len(indices))[:, None], len(indices))
            first = np.full((n_bags, dim), len(indices))
            np.minimum.at(first, seg, pos)
            ctx.first = first
        else:
            _add_rows_at(out, seg[keep], rows[keep])
            if mode == "mean":
                out /= np.maximum(counts, 1)[:, None].astype(out.dtype)
        ctx.save_for_backward(weight, indices, psw)
        ctx.meta = (seg, keep, counts, mode, by_freq)
        return out

    @staticmethod
    def backward(ctx, g):
        weight, indices, psw = ctx.saved_tensors
        seg, keep, counts, mode, by_freq = ctx.meta
        gw = gpsw = None
        if ctx.needs_input_grad[0]:
            gw = np.zeros(weight.shape, dtype=weight.dtype)
            if mode == "max":
                bags, cols = np.nonzero(ctx.first < len(indices))
                np.add.at(gw, (indices[ctx.first[bags, cols]], cols), g[bags, cols])
            else:
                rows = g[seg]
                if mode == "mean":
                    rows = rows / np.maximum(counts, 1)[seg][:, None].astype(g.dtype)
                if psw is not None:
                    rows = rows * psw[:, None]
                if by_freq:
                    rows = rows / _bag_freq_scale(indices)[:, None].astype(g.dtype)
                _add_rows_at(gw, indices[keep], rows[keep])
        if psw is not None and ctx.needs_input_grad[5]:
            gpsw = np.where(keep, (g[seg] * weight[indices]).sum(axis=1), 0).astype(g.dtype)
        return gw, None, None, None, None, gpsw, None, None


def embedding_bag(input: Tensor, weight: Tensor, offsets: Optional[Tensor] = None,
                  max_norm: Optional[float] = None, norm_type: float = 2,
                  scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Optional[Tensor] = None,
                  include_last_offset: bool = False,
                  padding_idx: Optional[int] = None) -> Tensor:
    """Sums, means or maxima of bags of embedding rows, without materialising the lookups'
    intermediate (B, N, D) tensor. 2-D ``input``: one bag per row; 1-D ``input``: bags start at
    ``offsets`` (with ``include_last_offset``, the last offset is the end of the last bag)."""
    if per_sample_weights is not None and tuple(input.shape) != tuple(per_sample_weights.shape):
        raise ValueError(
            f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, "
            f"then it must have the same shape as the input ({input.shape})")
    if weight.dim() != 2:
        raise ValueError(
            f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    idx = input._data
    psw = None if per_sample_weights is None else per_sample_weights
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a "
                "mini-batch of fixed length sequences. However, found offsets of type "
                f"{type(offsets)}".replace("minitorch_ref._tensor", "torch"))
        b, n = idx.shape
        starts = np.arange(0, b * n, n) if n else np.zeros(b, dtype=np.int64)
        ends = starts + n
        idx = idx.reshape(-1)
        if psw is not None:
            psw = psw.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        off = offsets._data.astype(np.int64)
        if off.size and off[0] != 0:
            raise RuntimeError(
                "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to "
                f"start from position 0. However, got {off[0]}")
        if off.size and off[-1] > len(idx):
            raise RuntimeError(f"offsets[-1] can not be greater than input's length {len(idx)} "
                               f"but got offsets[-1] of {off[-1]}")
        if np.any(np.diff(off) < 0):
            raise RuntimeError("offsets must be non-decreasing (each bag starts where the "
                               "previous one ends or later)")
        if include_last_offset:
            starts, ends = off[:-1], off[1:]
        else:
            starts, ends = off, np.append(off[1:], len(idx))
    else:
        raise ValueError(
            f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    if mode == "max":
        if scale_grad_by_freq:
            raise ValueError("max mode does not support scaling the gradient by the frequency")
        if sparse:
            raise ValueError("max mode does not support sparse weights")
    elif mode not in ("sum", "mean"):
        raise ValueError("mode has to be one of sum, mean or max")
    if max_norm is not None:
        _embedding_renorm_(weight, idx, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
            "GitHub.")
    if sparse:
        raise NotImplementedError("sparse gradients (sparse=True) are not implemented in "
                                  "minitorch_ref; use sparse=False")
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got {input.type()} instead "
                           "(while checking arguments for embedding_bag)")
    bad = np.nonzero((idx < 0) | (idx >= weight.shape[0]))[0]
    if bad.size:
        raise RuntimeError(f"Index {bad[0]} of input takes value {idx[bad[0]]} which is not in "
                           f"the valid range [0, {weight.shape[0]})")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += weight.shape[0]
    return EmbeddingBag.apply(weight, idx.astype(np.int64), starts.astype(np.int64),
                                  ends.astype(np.int64), mode, psw, padding_idx,
                                  scale_grad_by_freq)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 tensor of shape (*, num_classes) with a 1 at each index; ``num_classes=-1``
    infers max + 1."""
    if not isinstance(tensor, Tensor):
        raise argument_error(one_hot, locals(), tensors={"tensor": "input"})
    idx = tensor._data
    if idx.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        if idx.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(idx.max()) + 1
    if idx.size:
        if idx.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if idx.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    out = np.zeros(idx.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, idx[..., None], 1, axis=-1)
    return _new_tensor(out)
