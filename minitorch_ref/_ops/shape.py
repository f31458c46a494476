"""Shape ops. Most return NumPy views (``_view = True``: they share the input's version
counter, like torch's views); backward reshapes or permutes ``g`` back."""
from __future__ import annotations

import warnings

import numpy as np

from .._dtype import as_dtype, result_np_dtype
from .._tensor import Size, _new_tensor, _type_name
from ..autograd.function import ArrayFunction
from ._util import Tensor, new_zeros, shape_str, wrap_dim
from .out import supports_out, with_out

__all__ = ["reshape", "view", "view_as", "reshape_as", "transpose", "swapaxes", "swapdims",
           "permute", "movedim", "moveaxis", "t", "unbind", "clone", "to_dtype", "flatten",
           "unflatten", "squeeze", "unsqueeze", "expand", "expand_as", "broadcast_to", "repeat",
           "tile", "flip", "fliplr", "flipud", "roll", "cat", "concat", "concatenate", "stack",
           "hstack", "vstack", "split", "chunk", "tril", "triu", "narrow", "select", "diagonal",
           "diag", "diag_embed", "trace", "repeat_interleave", "meshgrid", "diff"]


def _infer_shape(shape, numel: int) -> tuple:
    """Resolve one ``-1`` entry; torch's RuntimeError for sizes that cannot hold ``numel``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    shape = tuple(int(s) for s in shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for i, s in enumerate(shape):
        if s != -1:
            if s < 0:
                raise RuntimeError(
                    f"invalid shape dimension {s} at index {i} of shape {shape_str(shape)}")
            known *= s
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{shape_str(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{shape_str(shape)}' is invalid for input of size {numel}")
    return shape


class Reshape(ArrayFunction):
    """out = a with a new shape (a view when the strides allow, else a copy).
    dL/da = g reshaped to a's shape."""

    _backward_name = "ViewBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, shape, must_view=False):
        ctx.shape = a.shape
        if must_view:
            try:
                return np.reshape(a, shape, copy=False)
            except ValueError:
                raise RuntimeError(
                    "view size is not compatible with input tensor's size and stride (at least "
                    "one dimension spans across two contiguous subspaces). Use .reshape(...) "
                    "instead.") from None
        return np.reshape(a, shape)

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape), None, None


class Permute(ArrayFunction):
    """out = a with its dims reordered by ``dims`` (a view).
    dL/da = g with the inverse permutation."""

    _backward_name = "PermuteBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, dims):
        ctx.inverse = tuple(np.argsort(dims))
        return np.transpose(a, dims)

    @staticmethod
    def backward(ctx, g):
        return np.transpose(g, ctx.inverse), None


class Transpose(ArrayFunction):
    """out = a with dims ``d0`` and ``d1`` swapped (a view).   dL/da = g with them swapped back."""

    _backward_name = "TransposeBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, d0, d1):
        ctx.d0, ctx.d1 = d0, d1
        return np.swapaxes(a, d0, d1)

    @staticmethod
    def backward(ctx, g):
        return np.swapaxes(g, ctx.d0, ctx.d1), None, None


class Unbind(ArrayFunction):
    """outs[i] = a selected at index i of ``dim`` (views).
    dL/da = the output gradients stacked along ``dim`` (zeros where an output got none)."""

    _backward_name = "UnbindBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim, ctx.shape, ctx.dtype = dim, a.shape, a.dtype
        return tuple(a[(slice(None),) * dim + (i,)]
                     for i in range(a.shape[dim]))

    @staticmethod
    def backward(ctx, *grads):
        out = new_zeros(next(g for g in grads if g is not None), ctx.shape)
        for i, g in enumerate(grads):
            if g is not None:
                out[(slice(None),) * ctx.dim + (i,)] = g
        return out, None


class Clone(ArrayFunction):
    """out = a copy of a.      dL/da = g."""

    _backward_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, g):
        return g


class ToDtype(ArrayFunction):
    """out = a cast to ``dtype``.   dL/da = g (cast back to a's dtype by the engine)."""

    _backward_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, a, np_dtype):
        return a.astype(np_dtype)

    @staticmethod
    def backward(ctx, g):
        return g, None


class Expand(ArrayFunction):
    """out = a broadcast to ``shape`` (a read-only view: no data is copied).
    dL/da = g summed over the broadcast dims (the engine's un-broadcasting does exactly this)."""

    _backward_name = "ExpandBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, shape):
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, g):
        return g, None


class Repeat(ArrayFunction):
    """out = a tiled ``reps`` times along each dim (a gains leading dims to match ``reps``).
    dL/da = g viewed as (r0, s0, r1, s1, ...) and summed over every r axis."""

    _backward_name = "RepeatBackward0"

    @staticmethod
    def forward(ctx, a, reps):
        a = a.reshape((1,) * (len(reps) - a.ndim) + a.shape)
        ctx.shape = a.shape
        ctx.reps = reps
        return np.tile(a, reps)

    @staticmethod
    def backward(ctx, g):
        split = []
        for r, s in zip(ctx.reps, ctx.shape):
            split += [r, s]
        g = g.reshape(split).sum(axis=tuple(range(0, len(split), 2)))
        return g, None


class Flip(ArrayFunction):
    """out = a reversed along ``dims`` (a copy, as in torch).   dL/da = g reversed along them."""

    _backward_name = "FlipBackward0"

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return np.flip(a, dims).copy()

    @staticmethod
    def backward(ctx, g):
        return np.flip(g, ctx.dims), None


class Roll(ArrayFunction):
    """out = a shifted cyclically by ``shifts`` along ``dims``.   dL/da = g shifted back."""

    _backward_name = "RollBackward0"

    @staticmethod
    def forward(ctx, a, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        if dims is None:
            return np.roll(a.reshape(-1), shifts).reshape(a.shape)
        return np.roll(a, shifts, dims)

    @staticmethod
    def backward(ctx, g):
        neg = tuple(-s for s in ctx.shifts) if isinstance(ctx.shifts, tuple) else -ctx.shifts
        if ctx.dims is None:
            return np.roll(g.reshape(-1), neg).reshape(g.shape), None, None
        return np.roll(g, neg, ctx.dims), None, None


class Cat(ArrayFunction):
    """out = the inputs joined along ``dim`` (dtypes promoted together).
    dL/da_k = the slice of g that a_k filled."""

    _backward_name = "CatBackward0"

    @staticmethod
    def forward(ctx, dim, *arrays):
        dt = result_np_dtype(*arrays)
        ctx.dim = dim
        ctx.sizes = [a.shape[dim] if a.ndim > dim else 0 for a in arrays]
        ctx.shapes = [a.shape for a in arrays]
        # torch's legacy rule: 1-D empty tensors are skipped, whatever the other shapes
        parts = [a for a in arrays if not (a.ndim == 1 and a.size == 0)]
        if not parts:
            return np.concatenate(arrays).astype(dt)
        return np.concatenate(parts, axis=dim, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        grads = []
        start = 0
        for n, shape in zip(ctx.sizes, ctx.shapes):
            if n == 0:
                grads.append(new_zeros(g, shape))
                continue
            index = [slice(None)] * g.ndim
            index[ctx.dim] = slice(start, start + n)
            grads.append(g[tuple(index)])
            start += n
        return (None, *grads)


class Stack(ArrayFunction):
    """out = the inputs stacked along a new dim ``dim``.
    dL/da_k = g selected at index k of ``dim``."""

    _backward_name = "StackBackward0"

    @staticmethod
    def forward(ctx, dim, *arrays):
        dt = result_np_dtype(*arrays)
        ctx.dim = dim
        return np.stack(arrays, axis=dim, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        return (None, *np.moveaxis(g, ctx.dim, 0))


class Split(ArrayFunction):
    """outs = consecutive pieces of a along ``dim`` with the given sizes (views).
    dL/da = the output gradients joined along ``dim`` (zeros for pieces that got none)."""

    _backward_name = "SplitBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, sizes, dim):
        ctx.sizes, ctx.dim, ctx.shape = sizes, dim, a.shape
        bounds = np.cumsum(sizes)[:-1]
        return tuple(np.split(a, bounds, axis=dim))

    @staticmethod
    def backward(ctx, *grads):
        parts = []
        for g, n in zip(grads, ctx.sizes):
            if g is None:
                shape = list(ctx.shape)
                shape[ctx.dim] = n
                g = new_zeros(next(x for x in grads if x is not None), shape)
            parts.append(g)
        return np.concatenate(parts, axis=ctx.dim), None, None


class Tril(ArrayFunction):
    """out = a with the elements above diagonal ``k`` zeroed (last two dims).
    dL/da = tril(g, k)."""

    _backward_name = "TrilBackward0"

    @staticmethod
    def forward(ctx, a, k):
        ctx.k = k
        return np.tril(a, k)

    @staticmethod
    def backward(ctx, g):
        return np.tril(g, ctx.k), None


class Triu(ArrayFunction):
    """out = a with the elements below diagonal ``k`` zeroed (last two dims).
    dL/da = triu(g, k)."""

    _backward_name = "TriuBackward0"

    @staticmethod
    def forward(ctx, a, k):
        ctx.k = k
        return np.triu(a, k)

    @staticmethod
    def backward(ctx, g):
        return np.triu(g, ctx.k), None


class Slice(ArrayFunction):
    """out = a[index] for a basic index (ints, slices with positive steps, None, Ellipsis):
    a view of a.      dL/da = zeros like a with g written at ``index``."""

    _backward_name = "SliceBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, index):
        ctx.shape, ctx.index = a.shape, index
        return a[index]

    @staticmethod
    def backward(ctx, g):
        out = new_zeros(g, ctx.shape)
        out[ctx.index] = g
        return out, None


def _sizes(shape: tuple) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def flatten(input, start_dim: int = 0, end_dim: int = -1):
    """Merge dims ``start_dim..end_dim`` into one (a view when the strides allow)."""
    n = input.dim()
    s, e = wrap_dim(start_dim, n), wrap_dim(end_dim, n)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = input.shape
    if n == 0:
        return reshape(input, 1)
    if s == e:
        return input
    merged = 1
    for d in shape[s:e + 1]:
        merged *= d
    return reshape(input, tuple(shape[:s]) + (merged,) + tuple(shape[e + 1:]))


def unflatten(input, dim: int, sizes):
    """Split dim ``dim`` into ``sizes`` (one entry may be -1)."""
    d = wrap_dim(dim, input.dim())
    sizes = tuple(int(x) for x in sizes)
    size = input.shape[d]
    if sizes.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for x in sizes:
        if x != -1:
            known *= x
    if (-1 in sizes and (known == 0 or size % known)) or (-1 not in sizes and known != size):
        raise RuntimeError(
            f"unflatten: Provided sizes {shape_str(sizes)} don't multiply up to the size of dim "
            f"{d} ({size}) in the input tensor")
    if -1 in sizes:
        sizes = tuple(size // known if x == -1 else x for x in sizes)
    shape = tuple(input.shape)
    return reshape(input, shape[:d] + sizes + shape[d + 1:])


def squeeze(input, dim=None):
    """Drop size-1 dims: all of them, or only ``dim`` (an int or a tuple) when they have size 1."""
    shape = tuple(input.shape)
    if dim is None:
        return Reshape.apply(input, tuple(s for s in shape if s != 1), True,
                             name="SqueezeBackward0")
    n = input.dim()
    if isinstance(dim, (tuple, list)):
        dims = {wrap_dim(d, n) for d in dim}
        name = "SqueezeBackward2"
    else:
        dims = {wrap_dim(dim, n)}
        name = "SqueezeBackward1"
    return Reshape.apply(input, tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1)),
                         True, name=name)


def unsqueeze(input, dim: int):
    """Insert a size-1 dim at ``dim`` (which may be ``input.dim()``, the new last dim)."""
    d = wrap_dim(dim, input.dim() + 1)
    shape = tuple(input.shape)
    return Reshape.apply(input, shape[:d] + (1,) + shape[d:], True, name="UnsqueezeBackward0")


def expand_error(shape: tuple, sizes: tuple, type_name: str = "torch.FloatTensor"):
    """The RuntimeError torch's expand raises when ``shape`` cannot be expanded to ``sizes``,
    or None when it can."""
    if len(sizes) < len(shape):
        return RuntimeError(
            f"expand({type_name}{{{shape_str(shape)}}}, size={shape_str(sizes)}): the number "
            f"of sizes provided ({len(sizes)}) must be greater or equal to the number of "
            f"dimensions in the tensor ({len(shape)})")
    lead = len(sizes) - len(shape)
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                return RuntimeError(
                    f"The expanded size of the tensor ({s}) isn't allowed in a leading, "
                    f"non-existing dimension {i}")
            continue
        have = shape[i - lead]
        if s != -1 and have != s and have != 1:
            return RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({have}) "
                f"at non-singleton dimension {i}.  Target sizes: {shape_str(sizes)}.  Tensor "
                f"sizes: {shape_str(shape)}")
    return None


def expand(input, *sizes):
    """A read-only broadcast view with ``sizes``; -1 keeps a dim's size."""
    sizes = _sizes(sizes)
    shape = tuple(input.shape)
    err = expand_error(shape, sizes, input.type())
    if err is not None:
        raise err
    lead = len(sizes) - len(shape)
    target = tuple(shape[i - lead] if s == -1 else s for i, s in enumerate(sizes))
    return Expand.apply(input, target)


def expand_as(input, other):
    return expand(input, tuple(other.shape))


def broadcast_to(input, size):
    return expand(input, tuple(size))


def repeat(input, *repeats):
    """Tile ``input``: ``repeats[i]`` copies along dim i (leading new dims when longer)."""
    reps = _sizes(repeats)
    if len(reps) < input.dim():
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions "
            "of tensor")
    shape = (1,) * (len(reps) - input.dim()) + tuple(input.shape)
    out_shape = [r * s for r, s in zip(reps, shape)]
    neg = next((x for x in out_shape if x < 0), None)
    if neg is not None:
        raise RuntimeError(
            f"Trying to create tensor with negative dimension {neg}: {shape_str(out_shape)}")
    return Repeat.apply(input, reps)


def tile(input, dims):
    dims = tuple(dims)
    if len(dims) < input.dim():
        dims = (1,) * (input.dim() - len(dims)) + dims
    return repeat(input, dims)


def flip(input, *dims):
    dims = _sizes(dims)
    n = input.dim()
    wrapped = tuple(wrap_dim(d, n) for d in dims)
    if len(set(wrapped)) != len(wrapped):
        d = next(d for d in wrapped if wrapped.count(d) > 1)
        raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return Flip.apply(input, wrapped)


def fliplr(input):
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, 1)


def flipud(input):
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, 0)


def roll(input, shifts, dims=None):
    if dims is None:
        return Roll.apply(input, int(shifts) if not isinstance(shifts, (tuple, list))
                          else int(shifts[0]), None)
    if isinstance(dims, int):
        dims, shifts = (dims,), (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = tuple(wrap_dim(d, input.dim()) for d in dims)
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if len(shifts) != len(dims):
        raise RuntimeError(
            f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    return Roll.apply(input, shifts, dims)


def _tensor_list(name: str, tensors, empty_error) -> list:
    if isinstance(tensors, Tensor):
        raise TypeError(
            f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    tensors = list(tensors)
    if not tensors:
        raise empty_error
    return tensors


@supports_out(rule="cat", overlap="any")
def cat(tensors, dim: int = 0, *, out=None):
    """Join tensors along an existing dim; all other sizes must match."""
    tensors = _tensor_list("cat", tensors,
                           ValueError("torch.cat(): expected a non-empty list of Tensors"))
    ref = None
    for i, t in enumerate(tensors):
        if t.dim() == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
        if t.dim() == 1 and t.numel() == 0:
            continue
        if ref is None:
            ref = (i, t)
            d = wrap_dim(dim, t.dim())
            continue
        if t.dim() != ref[1].dim():
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {ref[1].dim()} and {t.dim()}")
        for k, (a, b) in enumerate(zip(ref[1].shape, t.shape)):
            if k != d and a != b:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {a} but "
                    f"got size {b} for tensor number {i} in the list.")
    if ref is None:
        d = 0
    return Cat.apply(d, *tensors)


concat = concatenate = cat


@supports_out(rule="cat", overlap="any")
def stack(tensors, dim: int = 0, *, out=None):
    """Join equally shaped tensors along a new dim ``dim``."""
    tensors = _tensor_list("stack", tensors,
                           RuntimeError("stack expects a non-empty TensorList"))
    first = tensors[0].shape
    for i, t in enumerate(tensors[1:], 1):
        if t.shape != first:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {shape_str(first)} at "
                f"entry 0 and {shape_str(t.shape)} at entry {i}")
    return Stack.apply(wrap_dim(dim, len(first) + 1), *tensors)


def hstack(tensors, *, out=None):
    tensors = [t if t.dim() else t.reshape(1) for t in tensors]
    return cat(tensors, 0 if tensors[0].dim() == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    tensors = [t.reshape(1, -1) if t.dim() < 2 else t for t in tensors]
    return cat(tensors, 0, out=out)


def split(tensor, split_size_or_sections, dim: int = 0) -> tuple:
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the listed sizes."""
    d = wrap_dim(dim, tensor.dim())
    size = tensor.shape[d] if tensor.dim() else 1
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != size or any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's "
                f"size at dimension {d}), but got split_sizes={shape_str(sizes)}")
        return Split.apply(tensor, sizes, d, name="SplitWithSizesBackward0")
    n = int(split_size_or_sections)
    if n < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={n}")
    if n == 0:
        if size != 0:
            raise RuntimeError(
                "split_size can only be 0 if dimension size is 0, but got dimension size of "
                f"{size}")
        return (tensor,)
    sizes = [n] * (size // n) + ([size % n] if size % n else [])
    return Split.apply(tensor, sizes or [0], d)


def chunk(input, chunks: int, dim: int = 0) -> tuple:
    """At most ``chunks`` pieces of equal size ceil(size / chunks) along ``dim``."""
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = wrap_dim(dim, input.dim())
    size = input.shape[d]
    return split(input, max(-(-size // chunks), 1), d)


@supports_out(rule="exact", overlap=None)
def tril(input, diagonal: int = 0, *, out=None):
    if input.dim() < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return Tril.apply(input, diagonal)


@supports_out(rule="exact", overlap=None)
def triu(input, diagonal: int = 0, *, out=None):
    if input.dim() < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return Triu.apply(input, diagonal)


def narrow(input, dim: int, start, length: int):
    """The view ``input`` restricted to ``start .. start + length`` along ``dim``."""
    d = wrap_dim(dim, input.dim())
    size = input.shape[d]
    start = int(start)
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    if start < 0:
        start += size
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > size:
        raise RuntimeError(
            f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    index = (slice(None),) * d + (slice(start, start + length),)
    return Slice.apply(input, index)


def select(input, dim: int, index: int):
    """The view ``input`` at position ``index`` of ``dim`` (that dim removed)."""
    d = wrap_dim(dim, input.dim())
    size = input.shape[d]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {shape_str(input.shape)} "
            f"at dimension {d}")
    return Slice.apply(input, (slice(None),) * d + (int(index),), name="SelectBackward0")


def movedim(input, source, destination):
    n = input.dim()
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(src)} dims) should "
            f"contain the same number of dims as destination ({list(dst)} dims)")
    src = tuple(wrap_dim(d, n) for d in src)
    dst = tuple(wrap_dim(d, n) for d in dst)
    for name, dims, orig in (("source", src, source), ("destination", dst, destination)):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({list(dims)})")
    order = [d for d in range(n) if d not in src]
    perm = [None] * n
    for s, t in zip(src, dst):
        perm[t] = s
    rest = iter(order)
    perm = tuple(p if p is not None else next(rest) for p in perm)
    return Permute.apply(input, perm)


moveaxis = movedim


def view_as(input, other):
    return view(input, tuple(other.shape))


def reshape_as(input, other):
    return reshape(input, tuple(other.shape))


def reshape(input, *shape):
    shape = _infer_shape(shape, input.numel())
    a = input._data
    if shape == a.shape:
        return Reshape.apply(input, shape, True)
    try:  # a view when the strides allow it, as torch's reshape
        np.reshape(a, shape, copy=False)
    except ValueError:
        return Reshape.apply(input, shape, False, name="UnsafeViewBackward0")  # a copy
    return Reshape.apply(input, shape, True)


def view(input, *shape):
    """``view(*shape)``: the same data with a new shape (never a copy). ``view(dtype)``: the
    same bytes read as another dtype (not differentiable, as in torch)."""
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer, tuple, list, Size)):
        return _view_as_dtype(input, shape[0])
    shape = _infer_shape(shape, input.numel())
    return Reshape.apply(input, shape, True)


def _view_as_dtype(input, dtype):
    a = input._data
    target = as_dtype(dtype)
    if target.np == a.dtype:
        return input
    ratio = target.np.itemsize / a.dtype.itemsize
    if ratio != 1:
        size = a.shape[-1] if a.ndim else 1
        if ratio > 1 and size % int(ratio):
            raise RuntimeError(
                f"self.size(-1) must be divisible by {int(ratio)} to view {_type_name(a.dtype)} "
                f"as {_type_name(target.np)} (different element sizes), but got {size}")
        if a.ndim == 0 or a.strides[-1] != a.dtype.itemsize:
            raise RuntimeError(
                "self.stride(-1) must be 1 to view "
                f"{_type_name(a.dtype)} as {_type_name(target.np)} (different element sizes), "
                f"but got {a.strides[-1] // a.dtype.itemsize if a.ndim else 0}")
    out = _new_tensor(a.view(target.np))
    out._vc, out._base = input._version_counter(), input if input._base is None else input._base
    return out


def transpose(input, dim0: int, dim1: int):
    n = input.dim()
    return Transpose.apply(input, wrap_dim(dim0, n), wrap_dim(dim1, n))


swapaxes = swapdims = transpose


def permute(input, *dims):
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = tuple(dims[0])
    n = input.dim()
    if len(dims) != n:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {n} is not equal "
            f"to len(dims) = {len(dims)}")
    dims = tuple(wrap_dim(d, n) for d in dims)
    if len(set(dims)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(input, dims)


def t(input):
    n = input.dim()
    if n > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {n}D")
    if n < 2:
        return Reshape.apply(input, tuple(input.shape), True, name="TBackward0")  # itself
    return Transpose.apply(input, 0, 1, name="TBackward0")


def unbind(input, dim: int = 0):
    return Unbind.apply(input, wrap_dim(dim, input.dim()))


def clone(input, *, memory_format=None):
    return Clone.apply(input)


def to_dtype(input, dtype):
    return ToDtype.apply(input, dtype.np)


# -- diagonals, repeat_interleave, meshgrid, diff --------------------------------------------------

def _diag_index(shape: tuple, offset: int, dim1: int, dim2: int) -> tuple:
    """The NumPy index of the ``offset`` diagonal over ``dim1``/``dim2`` (the diagonal comes
    last, as torch and NumPy put it)."""
    n1, n2 = shape[dim1], shape[dim2]
    length = max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))
    i = np.arange(length)
    rows, cols = (i, i + offset) if offset >= 0 else (i - offset, i)
    index = [slice(None)] * len(shape)
    index[dim1], index[dim2] = rows, cols
    return tuple(index)


class Diagonal(ArrayFunction):
    """out = the ``offset`` diagonal of a over ``dim1``/``dim2``, as a new last dim.
    dL/da = zeros with g written back on that diagonal."""

    _backward_name = "DiagonalBackward0"

    @staticmethod
    def forward(ctx, a, offset, dim1, dim2):
        ctx.shape, ctx.offset, ctx.dims = a.shape, offset, (dim1, dim2)
        return np.diagonal(a, offset, dim1, dim2).copy()

    @staticmethod
    def backward(ctx, g):
        out = new_zeros(g, ctx.shape)
        index = _diag_index(ctx.shape, ctx.offset, *ctx.dims)
        # the index's two integer arrays put the diagonal axis where dim1/dim2 were when they
        # are adjacent, else first (NumPy's rule); g has it last
        d1, d2 = ctx.dims
        out[index] = np.moveaxis(g, -1, min(d1, d2) if abs(d1 - d2) == 1 else 0)
        return out, None, None, None


class DiagEmbed(ArrayFunction):
    """out = a square matrix with vector a on diagonal ``offset`` (``diag`` of a vector).
    dL/da = the ``offset`` diagonal of g."""

    _backward_name = "DiagEmbedBackward0"

    @staticmethod
    def forward(ctx, a, offset):
        ctx.offset = offset
        return np.diag(a, offset)

    @staticmethod
    def backward(ctx, g):
        return np.diagonal(g, ctx.offset).copy(), None


class Trace(ArrayFunction):
    """out = sum of the main diagonal of a matrix.      dL/da = g on the diagonal, 0 off it."""

    _backward_name = "TraceBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.shape = a.shape
        dtype = np.int64 if a.dtype.kind in "biu" else None
        return np.asarray(np.trace(a, dtype=dtype))

    @staticmethod
    def backward(ctx, g):
        return np.eye(*ctx.shape, dtype=g.dtype) * g


def diagonal(input, offset: int = 0, dim1: int = 0, dim2: int = 1):
    n = input.dim()
    d1, d2 = wrap_dim(dim1, n), wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return Diagonal.apply(input, offset, d1, d2)


def _diag_out(out, input, diagonal=0):
    """torch runs ``diag`` as ``diag_embed`` or ``diagonal_copy``: their names and rules. The
    inputs may require grad; an ``out`` that does is refused."""
    vector = input.dim() == 1
    return with_out(out, "diag_embed" if vector else "diagonal_copy", diag, input, diagonal,
                    rule="diag" if vector else "exact", differentiable=False, overlap=None)


@supports_out(handler=_diag_out)
def diag(input, diagonal: int = 0, *, out=None):
    """A vector's diagonal matrix, or a matrix's diagonal."""
    if input.dim() == 1:
        return DiagEmbed.apply(input, diagonal)
    if input.dim() == 2:
        return Diagonal.apply(input, diagonal, 0, 1, name="DiagonalBackward0_copy")
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.dim()}D")


def diag_embed(input, offset: int = 0, dim1: int = -2, dim2: int = -1):
    if input.dim() == 1 and (dim1, dim2) in ((-2, -1), (0, 1)):
        return DiagEmbed.apply(input, offset)
    raise NotImplementedError("diag_embed of batched inputs is not implemented in minitorch_ref")


def trace(input):
    if input.dim() != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.dim()}")
    return Trace.apply(input)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each element (or slice along ``dim``) repeated ``repeats`` times in place."""
    if dim is None:
        input, dim = input.reshape(-1), 0
    d = wrap_dim(dim, input.dim())
    if isinstance(repeats, Tensor) and repeats.dim() > 0:
        from .indexing import index_select  # (a cycle: indexing builds on this module's views)
        reps = repeats._data
        if reps.shape[0] != input.shape[d]:
            raise RuntimeError("repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {reps.shape[0]} and input.size({d}) = "
                               f"{input.shape[d]}")
        index = np.repeat(np.arange(reps.shape[0]), reps)
        return index_select(input, d, _as_index(index))
    r = int(repeats)
    shape = tuple(input.shape)
    expanded = unsqueeze(input, d + 1).expand(*shape[:d + 1], r, *shape[d + 1:])
    return Reshape.apply(expanded, shape[:d] + (shape[d] * r,) + shape[d + 1:], False)


def _as_index(index: np.ndarray):
    return _new_tensor(index.astype(np.int64))


def meshgrid(*tensors, indexing=None):
    """Coordinate grids: ``indexing='ij'`` (matrix, the default) or ``'xy'`` (Cartesian)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(
            f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: "
            f"{indexing}")
    sizes = [t.numel() for t in tensors]
    swap = indexing == "xy" and len(tensors) >= 2
    if swap:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for k, t in enumerate(tensors):
        pos = (1 - k if k < 2 else k) if swap else k
        shape = [1] * len(tensors)
        shape[pos] = -1
        out.append(expand(reshape(t, tuple(shape)), tuple(sizes)))
    return tuple(out)


# out=: the last step is a subtraction into out, with sub's rules and name
@supports_out("sub", overlap=None)
def diff(input, n: int = 1, dim: int = -1, prepend=None, append=None, *, out=None):
    """The n-th forward difference along ``dim`` (``prepend``/``append`` joined first)."""
    d = wrap_dim(dim, input.dim())
    if prepend is not None or append is not None:
        parts = [p for p in (prepend, input, append) if p is not None]
        input = cat(parts, d)
    for _ in range(n):
        size = input.shape[d]
        input = narrow(input, d, 1, size - 1) - narrow(input, d, 0, size - 1)
    return input

