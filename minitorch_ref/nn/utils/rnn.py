"""torch.nn.utils.rnn: padded and packed batches of variable-length sequences.

A *padded* batch is one ``(T, B, *)`` tensor (``(B, T, *)`` with ``batch_first``) where sequence
``b`` fills its first ``lengths[b]`` steps. A *packed* batch (``PackedSequence``) keeps only the
real steps, time-major: step ``t`` contributes one row per sequence longer than ``t``, and
``batch_sizes[t]`` counts them. Sequences are sorted longest first (``sorted_indices`` records
the sort when the caller's order differed; ``unsorted_indices`` undoes it), so the rows of step
``t`` belong to sequences ``0 .. batch_sizes[t] - 1``. That is the layout the recurrent layers
read (see ``nn/functional/rnn.py``).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from ..._tensor import Tensor, _new_tensor
from ...autograd.function import ArrayFunction

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence",
           "pad_packed_sequence", "pad_sequence", "unpad_sequence", "pack_sequence",
           "unpack_sequence"]


class PackedSequence_(NamedTuple):  # noqa: N801 - torch's name
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


def bind(optional, fn):
    return None if optional is None else fn(optional)


class PackedSequence(PackedSequence_):
    """The packed layout of a batch of sequences: ``data`` (the real steps' rows, time-major),
    ``batch_sizes`` (rows per step, an int64 tensor), ``sorted_indices`` and
    ``unsorted_indices`` (the sort applied to the batch, and its inverse, or None). Made by
    ``pack_padded_sequence`` and ``pack_sequence``; every recurrent layer accepts one."""

    def __new__(cls, data: Tensor, batch_sizes: Tensor | None = None,
                sorted_indices: Tensor | None = None, unsorted_indices: Tensor | None = None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise AssertionError("Expected data to be a list or tuple of length 2")
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs) -> "PackedSequence":
        """Converts ``data`` (dtype/device); returns ``self`` when nothing changes."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        return type(self)(data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def cuda(self, *args, **kwargs) -> "PackedSequence":
        return self.to("cuda", *args, **kwargs)

    def cpu(self, *args, **kwargs) -> "PackedSequence":
        return self.to("cpu", *args, **kwargs)

    def pin_memory(self) -> "PackedSequence":
        return self

    def double(self) -> "PackedSequence":
        return self.to(dtype=_dtypes().float64)

    def float(self) -> "PackedSequence":
        return self.to(dtype=_dtypes().float32)

    def half(self) -> "PackedSequence":
        return self.to(dtype=_dtypes().float16)

    def long(self) -> "PackedSequence":
        return self.to(dtype=_dtypes().int64)

    def int(self) -> "PackedSequence":
        return self.to(dtype=_dtypes().int32)

    def short(self) -> "PackedSequence":
        return self.to(dtype=_dtypes().int16)

    def char(self) -> "PackedSequence":
        return self.to(dtype=_dtypes().int8)

    def byte(self) -> "PackedSequence":
        return self.to(dtype=_dtypes().uint8)

    @property
    def is_cuda(self) -> bool:
        return self.data.is_cuda

    def is_pinned(self) -> bool:
        return False


def _dtypes():
    from ... import _dtype
    return _dtype


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse of a permutation: ``out[permutation[i]] = i`` (None stays None)."""
    if permutation is None:
        return None
    p = permutation._data
    out = np.empty_like(p)
    out[p] = np.arange(p.size, dtype=p.dtype)
    return _new_tensor(out)


def _step_mask(lengths: np.ndarray, steps: int) -> np.ndarray:
    """(steps, B) bool: sequence b is running at step t (t < lengths[b])."""
    return np.arange(steps)[:, None] < lengths[None, :]


class PackPaddedSequence(ArrayFunction):
    """data = the rows x[t, b] with t < lengths[b], in (t, b) order (x time-major).
    dL/dx = g scattered back to those rows; 0 at the padding."""

    _backward_name = "PackPaddedSequenceBackward0"

    @staticmethod
    def forward(ctx, x, mask, batch_first):
        steps = mask.shape[0]
        time_major = x.swapaxes(0, 1) if batch_first else x
        ctx.shape, ctx.mask, ctx.batch_first = time_major.shape, mask, batch_first
        return time_major[:steps][mask]

    @staticmethod
    def backward(ctx, g):
        dx = np.zeros_like(g, shape=ctx.shape)
        dx[:ctx.mask.shape[0]][ctx.mask] = g
        return dx.swapaxes(0, 1) if ctx.batch_first else dx, None, None


class PadPackedSequence(ArrayFunction):
    """out[t, b] = data row of (t, b) where t < lengths[b], else ``padding_value``.
    dL/d data = the rows of g at those positions."""

    _backward_name = "PadPackedSequenceBackward0"

    @staticmethod
    def forward(ctx, data, mask, steps, padding_value, batch_first):
        out = np.full_like(data, padding_value, shape=(steps,) + mask.shape[1:] + data.shape[1:])
        out[:mask.shape[0]][mask] = data
        ctx.mask, ctx.batch_first = mask, batch_first
        return out.swapaxes(0, 1).copy() if batch_first else out

    @staticmethod
    def backward(ctx, g):
        time_major = g.swapaxes(0, 1) if ctx.batch_first else g
        return time_major[:ctx.mask.shape[0]][ctx.mask], None, None, None, None


def pack_padded_sequence(input: Tensor, lengths, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch: keep the first ``lengths[b]`` steps of each sequence ``b``.

    ``enforce_sorted=True`` requires ``lengths`` in decreasing order; with ``False`` the batch
    is sorted first (``sorted_indices``) and the result remembers how to undo it."""
    from ... import as_tensor, int64, sort
    if not isinstance(lengths, Tensor):
        lengths = as_tensor(lengths, dtype=int64)
    else:
        lengths = lengths.to(dtype=int64)
    if enforce_sorted:
        sorted_indices = None
    else:
        lengths, sorted_indices = sort(lengths, descending=True)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    lens = lengths._data
    if lens.ndim != 1:
        raise RuntimeError("'lengths' argument should be a 1D CPU int64 tensor, but got "
                           f"{lens.ndim}D cpu Long tensor")
    if input.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    batch = input.size(0 if batch_first else 1)
    if lens.shape[0] != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got "
                           f"{lens.shape[0]} (batch_size={batch})")
    if lens[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an "
                           "element in 'lengths' that is <= 0")
    if np.any(lens[:-1] < lens[1:]):
        raise RuntimeError(
            "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
            "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence "
            "to sidestep this requirement if you do not need ONNX exportability.")
    steps = input.size(1 if batch_first else 0)
    if lens[0] > steps:
        # torch reads past the end of the input here; refuse instead of packing garbage
        raise RuntimeError(f"Expected all lengths to be at most the padded sequence length "
                           f"{steps}, but got a length of {int(lens[0])}")
    mask = _step_mask(lens, int(lens[0]))
    data = PackPaddedSequence.apply(input, mask, batch_first)
    batch_sizes = _new_tensor(mask.sum(1).astype(np.int64))
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False,
                        padding_value: float = 0.0, total_length: int | None = None) -> tuple:
    """The inverse of ``pack_padded_sequence``: ``(padded, lengths)``, in the batch's original
    order, padded with ``padding_value`` to the longest length (or ``total_length``)."""
    batch_sizes = sequence.batch_sizes._data
    max_seq_length = batch_sizes.shape[0]
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in "
                f"input, but got total_length={total_length} and max sequence length being "
                f"{max_seq_length}")
        max_seq_length = total_length
    lengths = (batch_sizes[None, :] > np.arange(int(batch_sizes[0]))[:, None]).sum(1)
    mask = _step_mask(lengths, batch_sizes.shape[0])
    padded = PadPackedSequence.apply(sequence.data, mask, max_seq_length, padding_value,
                                     batch_first)
    lengths = _new_tensor(lengths.astype(np.int64))
    unsorted_indices = sequence.unsorted_indices
    if unsorted_indices is not None:
        batch_dim = 0 if batch_first else 1
        return (padded.index_select(batch_dim, unsorted_indices),
                _new_tensor(lengths._data[unsorted_indices._data]))
    return padded, lengths


class PadSequence(ArrayFunction):
    """out[b, start_b : start_b + L_b] = sequence b (time-major: out[start_b:..., b]), the rest
    ``padding_value``; start_b = 0 (right padding) or T - L_b (left).
    dL/d sequence_b = the slice of g it was copied into."""

    _backward_name = "PadSequenceBackward0"

    @staticmethod
    def forward(ctx, batch_first, padding_value, left, *seqs):
        first = seqs[0]
        if first.ndim == 0:
            raise RuntimeError("ArrayRef: invalid slice, N = 1; size = 0")
        steps = max(s.shape[0] for s in seqs)
        out = np.full_like(first, padding_value, shape=(len(seqs), steps) + first.shape[1:])
        starts = [steps - s.shape[0] if left else 0 for s in seqs]
        for b, (s, start) in enumerate(zip(seqs, starts)):
            dst = out[b, start:start + s.shape[0]]
            try:
                dst[...] = s
            except ValueError:
                shape = np.broadcast_shapes(dst.shape, s.shape) if _broadcastable(
                    dst.shape, s.shape) else s.shape
                raise RuntimeError(f"output with shape {list(dst.shape)} doesn't match the "
                                   f"broadcast shape {list(shape)}") from None
        ctx.starts, ctx.batch_first = starts, batch_first
        ctx.shapes = [s.shape for s in seqs]
        return out if batch_first else out.swapaxes(0, 1).copy()

    @staticmethod
    def backward(ctx, g):
        batch_major = g if ctx.batch_first else g.swapaxes(0, 1)
        grads = [batch_major[b, start:start + shape[0]]
                 for b, (start, shape) in enumerate(zip(ctx.starts, ctx.shapes))]
        return (None, None, None) + tuple(grads)


def _broadcastable(a: tuple, b: tuple) -> bool:
    try:
        np.broadcast_shapes(a, b)
    except ValueError:
        return False
    return True


def pad_sequence(sequences, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack sequences of shape ``(L_i, *)`` into ``(T, B, *)`` (``(B, T, *)`` with
    ``batch_first``), padding each to the longest, on the right or the left. The result takes
    the first sequence's dtype."""
    if not isinstance(sequences, Iterable):
        raise RuntimeError("pad_sequence: Expected iterable for input sequences, but got arg "
                           f"of type: {type(sequences)}")
    sequences = tuple(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right") and sequences[0].dim() > 0:
        raise RuntimeError("Expected padding_side to be one of left or right, but got "
                           f"{padding_side}.")
    return PadSequence.apply(batch_first, padding_value, padding_side == "left", *sequences)


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor,
                   batch_first: bool = False) -> list:
    """Split a padded batch back into its sequences (each cut to its length).

    torch's version transposes a time-major ``padded_sequences`` in place (the caller's tensor
    is left batch-major); this one reads a transposed view and leaves the argument as it was."""
    from ... import arange
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    max_length = padded_sequences.shape[1]
    idx = arange(max_length)
    return [seq[idx < length] for seq, length in zip(padded_sequences, lengths)]


def pack_sequence(sequences: list, enforce_sorted: bool = True) -> PackedSequence:
    """``pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=...)``."""
    from ... import as_tensor
    lengths = as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list:
    """The list of sequences a PackedSequence holds, in their original order."""
    padded_sequences, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded_sequences, lengths, batch_first=True)
