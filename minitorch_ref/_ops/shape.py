"""Shape ops: reshape/view, permute/transpose/``t``, squeeze/unsqueeze, flatten, expand,
repeat/tile, flip, roll, narrow/select.

Most return NumPy views (``_view = True``: they share the input's version counter, like torch's
views); backward reshapes or permutes ``g`` back. Each op reads top to bottom: its kernel (an
``ArrayFunction``: the math in the docstring, ``forward`` beside ``backward``, both on ndarrays;
``g`` is the gradient flowing in, dL/d out), then the public function with torch's checks."""
from __future__ import annotations

import sys

import numpy as np

from .._dtype import as_dtype, dtype as DType
from .._names import scalar_type_name
from .._tensor import Size, Tensor, _new_tensor
from ..autograd.function import ArrayFunction
from ..autograd.grad_mode import _state
from ._arguments import argument_error, renamed
from ._shape_arguments import (_INT64_MIN, NO_ARG as _NO_ARG, expand_target, int_list,
                               list_argument as _list_argument, movedim_dims,
                               sequence_argument as _sequence_argument)
from .conversion import Clone
from ._util import (broadcast_shapes_or_raise, is_recorded, new_zeros, recorded_call, shape_str,
                    wrap_dim)

__all__ = ["reshape", "view", "view_as", "reshape_as", "squeeze", "unsqueeze", "flatten",
           "unflatten", "permute", "movedim", "moveaxis", "transpose", "swapaxes", "swapdims", "t",
           "expand", "expand_as", "broadcast_to", "repeat", "tile", "flip", "fliplr", "flipud",
           "roll", "narrow", "select", "broadcast_shapes", "broadcast_tensors", "atleast_1d",
           "atleast_2d", "atleast_3d", "ravel", "rot90"]
# Tensor methods only (torch has no functions of these names): unfold, t_, transpose_,
# swapaxes_, swapdims_, squeeze_, unsqueeze_


# -- reshape, view, squeeze, unsqueeze, flatten ----------------------------------------------------

def _infer_shape(shape, numel: int, name: str = "reshape", arg: str = "shape") -> tuple:
    """Resolve one ``-1`` entry; torch's RuntimeError for sizes that cannot hold ``numel``.
    Entries other than Python ints (or past int64) go through the factories' parser, for
    torch's TypeErrors; ``name``/``arg`` name the call and argument there."""
    shape = int_list(shape, name, arg)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for i, s in enumerate(shape):
        if s != -1:
            if s < 0:
                if s == _INT64_MIN:  # int64's minimum is torch's marker of a symbolic size
                    raise RuntimeError("SymIntArrayRef expected to contain only concrete "
                                       "integers")
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


def reshape(input, shape=_NO_ARG, *extra):
    if not isinstance(input, Tensor):
        raise argument_error(None, {"input": input}, "reshape")
    return reshape_method(input, _sequence_argument(shape, "reshape", "shape", 2, extra))


def reshape_method(input, *shape):
    """``Tensor.reshape``: the sizes one by one or as one sequence."""
    if not shape:
        raise TypeError('reshape() missing 1 required positional arguments: "shape"')
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
    if not shape or type(shape[0]) is not int:
        if len(shape) == 1 and isinstance(shape[0], DType):
            return _view_as_dtype(input, shape[0])
        _check_view_overloads(shape)
    shape = _infer_shape(shape, input.numel(), "view", "size")
    return Reshape.apply(input, shape, True)


def _check_view_overloads(args: tuple) -> None:
    """torch's TypeError when ``args`` is neither one dtype nor sizes whose first entry is an
    int (a later entry is the parser's own error)."""
    from .._creation import _type_name
    from .._random_checks import _first_is_int
    sequence = len(args) == 1 and isinstance(args[0], (tuple, list, Size))
    if args and _first_is_int(args[0] if sequence else args):
        return
    got = ", ".join(_type_name(a) for a in args)
    if len(args) == 1:
        a = args[0]
        kind = _type_name(a)
        if isinstance(a, (tuple, list)):
            inner = ", ".join(_type_name(v) for v in a)
            inner += "," if len(a) == 1 and isinstance(a, tuple) else ""
            kind = f"tuple of ({inner})" if isinstance(a, tuple) else f"list of [{inner}]"
        why = f"\n      didn't match because some of the arguments have invalid types: (!{kind}!)"
    else:
        why = ""
    raise TypeError(f"view() received an invalid combination of arguments - got ({got}), but "
                    f"expected one of:\n * (torch.dtype dtype){why}\n"
                    f" * (tuple of ints size){why}\n")


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
                f"self.size(-1) must be divisible by {int(ratio)} to view "
                f"{scalar_type_name(a.dtype)} as {scalar_type_name(target)} (different element "
                f"sizes), but got {size}")
        if a.ndim == 0 or a.strides[-1] != a.dtype.itemsize:
            raise RuntimeError(
                "self.stride(-1) must be 1 to view "
                f"{scalar_type_name(a.dtype)} as {scalar_type_name(target)} (different element "
                "sizes), "
                f"but got {a.strides[-1] // a.dtype.itemsize if a.ndim else 0}")
    # a view of the memory, but not torch's (differentiable) view: it shares the version
    # counter and has no ``_base``
    out = _new_tensor(a.view(target.np))
    out._vc = input._version_counter()
    return out


def view_as(input, other):
    return view(input, tuple(other.shape))


def reshape_as(input, other):
    return reshape(input, tuple(other.shape))


class Squeeze(Reshape):
    """out = a without some of its size-1 dims (a view).
    dL/da = g with each dropped dim put back: torch's ``unsqueeze_to``, one unsqueeze per dim
    (so a gradient under create_graph ends with UnsqueezeBackward0, as torch's)."""

    _backward_name = "SqueezeBackward0"

    @staticmethod
    def backward(ctx, g):
        shape, kept, j = ctx.shape, g.shape, 0
        if type(g) is np.ndarray:  # the same values, without a Python loop
            return g.reshape(shape), None, None
        for i, s in enumerate(shape):  # the dropped dims: sizes of 1 that g does not have
            if j < len(kept) and kept[j] == s:
                j += 1
            else:
                g = np.expand_dims(g, i)
        return g, None, None


class Unsqueeze(Reshape):
    """out = a with a size-1 dim inserted (a view).      dL/da = g with that dim squeezed."""

    _backward_name = "UnsqueezeBackward0"

    @staticmethod
    def forward(ctx, a, shape, dim):
        ctx.shape, ctx.dim = a.shape, dim
        return a.reshape(shape)  # a size-1 dim: always a view

    @staticmethod
    def backward(ctx, g):
        return g.squeeze(ctx.dim), None, None


def squeeze(input, dim=None):
    """Drop size-1 dims: all of them, or only ``dim`` (an int or a tuple) when they have size 1."""
    if not isinstance(input, Tensor):
        raise argument_error(squeeze, locals())
    shape = tuple(input.shape)
    if dim is None:
        return Squeeze.apply(input, tuple(s for s in shape if s != 1), True)
    n = input.dim()
    if isinstance(dim, (tuple, list)):
        dims = {wrap_dim(d, n) for d in dim}
        name = "SqueezeBackward2"
    else:
        dims = {wrap_dim(dim, n)}
        name = "SqueezeBackward1"
    return Squeeze.apply(input, tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1)),
                         True, name=name)


def unsqueeze(input, dim: int):
    """Insert a size-1 dim at ``dim`` (which may be ``input.dim()``, the new last dim)."""
    if not isinstance(input, Tensor):
        raise argument_error(unsqueeze, locals())
    d = wrap_dim(dim, input.dim() + 1)
    shape = tuple(input.shape)
    return Unsqueeze.apply(input, shape[:d] + (1,) + shape[d:], d)


def flatten(input, start_dim: int = 0, end_dim: int = -1):
    """Merge dims ``start_dim..end_dim`` into one (a view when the strides allow)."""
    if not isinstance(input, Tensor):
        raise argument_error(flatten, locals())
    n = input.dim()
    s, e = wrap_dim(start_dim, n), wrap_dim(end_dim, n)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = input.shape
    if n == 0:
        return reshape(input, (1,))
    if s == e:
        return input
    merged = 1
    for d in shape[s:e + 1]:
        merged *= d
    return reshape(input, tuple(shape[:s]) + (merged,) + tuple(shape[e + 1:]))


def unflatten(input, dim: int, sizes=_NO_ARG, *extra, _position: int = 3):
    """Split dim ``dim`` into ``sizes`` (one entry may be -1): torch's ``infer_size`` of the
    dim's size, whose errors unflatten words again."""
    if not isinstance(input, Tensor):
        raise argument_error(unflatten, locals())
    if type(dim) is not int:
        from .._creation import _type_name
        if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
            raise TypeError(f"unflatten(): argument 'dim' (position {_position - 1}) must be "
                            f"int, not {_type_name(dim)}")
        dim = int(dim)
    sizes = _sequence_argument(sizes, "unflatten", "sizes", _position, extra)
    d = wrap_dim(dim, input.dim())
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if input.dim() == 0:  # torch's second wrap of the dim fails inside, and unflatten says so
        raise RuntimeError("unflatten got an unexpected error:\nDimension specified as "
                           f"{d} but tensor has no dimensions")
    size = input.shape[d]
    try:
        sizes = _infer_shape(sizes, size)
    except RuntimeError as e:
        if "is invalid for input of size" in str(e):
            raise RuntimeError(
                f"unflatten: Provided sizes {shape_str(sizes)} don't multiply up to the size of "
                f"dim {d} ({size}) in the input tensor") from None
        raise RuntimeError(f"unflatten got an unexpected error:\n{e}") from None
    shape = tuple(input.shape)
    return reshape(input, shape[:d] + sizes + shape[d + 1:])


def unflatten_method(input, dim, sizes):
    """``Tensor.unflatten``: torch's Python method refuses empty (or None) sizes first."""
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    return unflatten(input, dim, sizes, _position=2)


# (Python names the method in its own argument-count errors as torch's Python method is named)
unflatten_method.__qualname__ = "Tensor.unflatten"


# -- permute, transpose, t, movedim ----------------------------------------------------------------

class Permute(ArrayFunction):
    """out = a with its dims reordered by ``dims`` (a view).
    dL/da = g with the inverse permutation."""

    _backward_name = "PermuteBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, dims):
        ctx.inverse = tuple(np.argsort(dims).tolist())
        return np.transpose(a, dims)

    @staticmethod
    def backward(ctx, g):
        if is_recorded(g):  # torch's permute back, a node even at 0-d (PermuteBackward0)
            return recorded_call("permute", g, ctx.inverse), None
        return np.transpose(g, ctx.inverse), None


def permute(input, dims=_NO_ARG, *extra):
    if not isinstance(input, Tensor):
        raise argument_error(permute, locals())
    return _permute(input, _sequence_argument(dims, "permute", "dims", 2, extra, True))


def permute_method(input, *dims, **kw):
    """``Tensor.permute``: the dims one by one, as one sequence, or ``dims=``."""
    return _permute(input, int_list(dims, "permute", "dims", dims=True) if dims and not kw else
                    _list_argument("permute", "dims", dims, kw, dims=True))


def _permute(input, dims: tuple):
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


def movedim(input, source=_NO_ARG, destination=_NO_ARG, *extra):
    if not isinstance(input, Tensor):
        given = {"source": source, "destination": destination}
        raise argument_error(None, {"input": input, **{k: v for k, v in given.items()
                                                       if v is not _NO_ARG}},
                             sys._getframe().f_code.co_name)
    return _movedim(input, source, destination, extra, False)


def movedim_method(input, source=_NO_ARG, destination=_NO_ARG, *extra):
    """``Tensor.movedim``: the arguments of ``torch.movedim`` after ``input``."""
    return _movedim(input, source, destination, extra, True)


def _movedim(input, source, destination, extra: tuple, method: bool):
    name = sys._getframe(1).f_code.co_name.replace("_method", "")  # (moveaxis: renamed copies)
    dims = movedim_dims(name, source, destination, extra, method)
    if isinstance(dims, TypeError):
        raise dims
    src, dst = dims
    n = input.dim()
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(src)} dims) should "
            f"contain the same number of dims as destination ({list(dst)} dims)")
    given_src, given_dst = src, dst
    src = tuple(wrap_dim(d, n) for d in src)
    dst = tuple(wrap_dim(d, n) for d in dst)
    for arg, dims, given in (("source", src, given_src), ("destination", dst, given_dst)):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{arg}` ({list(given)})")
    if n == 0:  # dim 0 (or -1) of a 0-d tensor: torch returns an alias of it
        return Slice.apply(input, (Ellipsis,), name="AliasBackward0")
    order = [d for d in range(n) if d not in src]
    perm = [None] * n
    for s, t in zip(src, dst):
        perm[t] = s
    rest = iter(order)
    perm = tuple(p if p is not None else next(rest) for p in perm)
    return Permute.apply(input, perm)


moveaxis = renamed(movedim, "moveaxis")
moveaxis_method = renamed(movedim_method, "moveaxis_method")


class Transpose(ArrayFunction):
    """out = a with dims ``d0`` and ``d1`` swapped (a view).   dL/da = g with them swapped back."""

    _backward_name = "TransposeBackward0"
    _view = True
    _listed_args = (0,)  # the input; the dims are not listed (fixed: no per-call scan)

    @staticmethod
    def forward(ctx, a, d0, d1):
        ctx.d0, ctx.d1 = d0, d1
        return a.swapaxes(d0, d1)   # the method: np.swapaxes adds ~1 us of dispatch per call

    @staticmethod
    def backward(ctx, g):
        return g.swapaxes(ctx.d0, ctx.d1), None, None


def transpose(input, dim0: int, dim1: int):
    if not isinstance(input, Tensor):
        raise argument_error(transpose, locals())
    n = input.dim()
    d0, d1 = wrap_dim(dim0, n), wrap_dim(dim1, n)
    if n == 0:  # dims 0 and -1 of a 0-d tensor: the tensor itself, viewed (as torch's)
        return Slice.apply(input, (Ellipsis,), name="TransposeBackward0")
    return Transpose.apply(input, d0, d1)


swapaxes = renamed(transpose, "swapaxes")
swapdims = renamed(transpose, "swapdims")


def t(input):
    if not isinstance(input, Tensor):
        raise argument_error(t, locals())
    n = input._data.ndim
    if n > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {n}D")
    return T.apply(input)


class T(ArrayFunction):
    """out = a with its two dims swapped (0-d and 1-d: itself), a view.   dL/da = g.t()."""

    _backward_name = "TBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a):
        return a.T

    @staticmethod
    def backward(ctx, g):
        return recorded_call("t", g) if is_recorded(g) else g.T  # torch's grad.t()


# -- expand, repeat, tile --------------------------------------------------------------------------

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


def expand(input, *sizes, **kw):
    """A read-only broadcast view with ``sizes``; -1 keeps a dim's size. ``implicit`` (a
    keyword) changes nothing."""
    sizes = int_list(sizes, "expand", "size") if sizes and not kw else \
        _list_argument("expand", "size", sizes, kw, ("implicit",))
    return Expand.apply(input, expand_target(tuple(input.shape), sizes, input.type()))


def expand_as(input, other=_NO_ARG):
    if not isinstance(other, Tensor):
        if other is _NO_ARG:
            raise TypeError('expand_as() missing 1 required positional arguments: "other"')
        raise argument_error(expand_as, {"other": other}, tensors=("other",))
    return expand(input, tuple(other.shape))


def broadcast_to(input, size=_NO_ARG, *extra):
    if not isinstance(input, Tensor):
        raise argument_error(broadcast_to, locals())
    return expand(input, _sequence_argument(size, "broadcast_to", "size", 2, extra))


def broadcast_to_method(input, *size, **kw):
    """``Tensor.broadcast_to``: the sizes one by one, as one sequence, or ``size=``."""
    return expand(input, _list_argument("broadcast_to", "size", size, kw))


class Repeat(ArrayFunction):
    """out = a tiled ``reps`` times along each dim (a gains leading dims to match ``reps``).
    dL/da = g viewed as (r0, s0, r1, s1, ...) and summed over every r axis."""

    _backward_name = "RepeatBackward0"

    @staticmethod
    def forward(ctx, a, reps):
        ctx.in_shape = a.shape
        a = a.reshape((1,) * (len(reps) - a.ndim) + a.shape)
        ctx.shape = a.shape
        ctx.reps = reps
        return np.tile(a, reps)

    @staticmethod
    def backward(ctx, g):
        if is_recorded(g):
            return _repeat_backward(g, ctx.reps, ctx.in_shape), None
        split = []
        for r, s in zip(ctx.reps, ctx.shape):
            split += [r, s]
        axes = tuple(range(0, len(split), 2))
        if g.dtype == np.float16:   # as torch sums float16: in float32, rounded once
            return g.reshape(split).sum(axis=axes, dtype=np.float32).astype(np.float16), None
        return g.reshape(split).sum(axis=axes), None


def _repeat_backward(g, reps: tuple, in_shape: tuple):
    """torch's repeat_backward, op for op (create_graph): sum the added leading dims away one
    by one, view the rest as (repeat, size) pairs where repeat != 1, sum the repeats."""
    if 0 in reps:
        return new_zeros(g, in_shape)
    lead = len(reps) - len(in_shape)
    for _ in range(lead):
        g = g.sum(axis=0)
    size, dims = [], []
    for d, n in enumerate(in_shape):
        if reps[d + lead] != 1:
            size.append(reps[d + lead])
            dims.append(len(size) - 1)
        size.append(n)
    return g.reshape(size).sum(axis=tuple(dims)) if dims else g


def repeat(input, *repeats, **kw):
    """Tile ``input``: ``repeats[i]`` copies along dim i (leading new dims when longer)."""
    reps = int_list(repeats, "repeat", "repeats") if repeats and not kw else \
        _list_argument("repeat", "repeats", repeats, kw)
    if _INT64_MIN in reps:
        raise RuntimeError("SymIntArrayRef expected to contain only concrete integers")
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


def tile(input, dims=_NO_ARG, *extra):
    if not isinstance(input, Tensor):
        raise argument_error(tile, locals())
    return _tile(input, _sequence_argument(dims, "tile", "dims", 2, extra))


def tile_method(input, *dims, **kw):
    """``Tensor.tile``: the dims one by one, as one sequence, or ``dims=``."""
    return _tile(input, _list_argument("tile", "dims", dims, kw))


def _tile(input, dims: tuple):
    if len(dims) < input.dim():
        dims = (1,) * (input.dim() - len(dims)) + dims
    return repeat(input, dims)


# -- flip, roll ------------------------------------------------------------------------------------

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


def flip(input, dims=_NO_ARG, *extra):
    if not isinstance(input, Tensor):
        raise argument_error(flip, locals())
    return _flip(input, _sequence_argument(dims, "flip", "dims", 2, extra, True))


def flip_method(input, *dims, **kw):
    """``Tensor.flip``: the dims one by one, as one sequence, or ``dims=``."""
    return _flip(input, _list_argument("flip", "dims", dims, kw, dims=True))


def _flip(input, dims: tuple):
    n = input.dim()
    wrapped = tuple(wrap_dim(d, n) for d in dims)
    if len(set(wrapped)) != len(wrapped):
        d = next(d for d in wrapped if wrapped.count(d) > 1)
        raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return Flip.apply(input, wrapped if n else ())  # (a 0-d tensor has nothing to reverse)


def fliplr(input):
    if not isinstance(input, Tensor):
        raise argument_error(fliplr, locals())
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return _flip(input, (1,))


def flipud(input):
    if not isinstance(input, Tensor):
        raise argument_error(flipud, locals())
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return _flip(input, (0,))


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
        if is_recorded(g):  # torch's grad.roll(-shifts, dims): RollBackward0 also unflattened
            return recorded_call("roll", g, neg, ctx.dims), None, None
        if ctx.dims is None:
            return np.roll(g.reshape(-1), neg).reshape(g.shape), None, None
        return np.roll(g, neg, ctx.dims), None, None


def roll(input, shifts, dims=None):
    if not isinstance(input, Tensor):
        raise argument_error(roll, locals())
    if dims is None:
        return Roll.apply(input, int(shifts) if not isinstance(shifts, (tuple, list))
                          else int(shifts[0]), None)
    if isinstance(dims, int):
        dims, shifts = (dims,), (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if input.dim() == 0 and len(dims):
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    dims = tuple(wrap_dim(d, input.dim()) for d in dims)
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if len(shifts) != len(dims):
        raise RuntimeError(
            f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    return Roll.apply(input, shifts, dims)


# -- narrow, select: basic-index views -------------------------------------------------------------

class Slice(ArrayFunction):
    """out = a[index] for a basic index (ints, slices with positive steps, None, Ellipsis):
    a view of a.      dL/da = zeros like a with g written at ``index``."""

    _backward_name = "SliceBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, index):
        ctx.shape, ctx.index = a.shape, index
        out = a[index]
        if type(out) is not np.ndarray and type(a) is np.ndarray:
            # every dim indexed by an int: NumPy gives a scalar (a copy); torch's select gives
            # a 0-d view, which the trailing Ellipsis makes NumPy give too
            out = a[index + (Ellipsis,)]
        return out

    @staticmethod
    def backward(ctx, g):
        out = new_zeros(g, ctx.shape)
        out[ctx.index] = g
        return out, None


def narrow(input, dim: int, start, length: int):
    """The view ``input`` restricted to ``start .. start + length`` along ``dim``."""
    if not isinstance(input, Tensor):
        raise argument_error(narrow, locals())
    if input.dim() == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
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
    if not isinstance(input, Tensor):
        raise argument_error(select, locals())
    if input.dim() == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = select_dim(input, dim, index)
    return Slice.apply(input, (slice(None),) * d + (int(index),), name="SelectBackward0")


def select_dim(input: Tensor, dim: int, index: int) -> int:
    """``dim`` wrapped, after select's check that ``index`` lies in it (also select_scatter's)."""
    d = wrap_dim(dim, input.dim())
    size = input.shape[d]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {shape_str(input.shape)} "
            f"at dimension {d}")
    return d


# -- broadcast_shapes, broadcast_tensors, atleast_1d/2d/3d, ravel ---------------------------------

def broadcast_shapes(*shapes) -> Size:
    """The shape all ``shapes`` broadcast to (each an int or a sequence of ints), by torch's
    rule and with its messages: sizes are matched from the last dim, a size 1 stretches."""
    shapes = tuple((s,) if isinstance(s, (int, np.integer)) else s for s in shapes
                   if s is not None)
    for s in shapes:
        if not isinstance(s, (tuple, list, Size)):
            raise RuntimeError("Input shapes should be of type ints, a tuple of ints, or a list "
                               f"of ints, got {s}")
    if not shapes:
        return Size([])
    common = [1] * max(len(s) for s in shapes)
    for k, shape in enumerate(shapes):
        for i in range(-1, -1 - len(shape), -1):
            if shape[i] == common[i]:
                continue
            if common[i] == 1:
                if shape[i] < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                common[i] = shape[i]
            if shape[i] != 1 and common[i] != shape[i]:
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {shape[i]} at {i}! "
                    f"Mismatching argument at index {k} had {shape}; but expected shape should "
                    f"be broadcastable to {common}")
    return Size(common)


def _tensor_args(tensors) -> tuple:
    """``f(a, b)`` or ``f([a, b])``, as torch's variadic wrappers take them."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    return tensors


def broadcast_tensors(*tensors) -> tuple:
    """Each tensor expanded to the common broadcast shape (read-only views); a tensor already
    of that shape is returned itself, as in torch."""
    tensors = _tensor_args(tensors)
    if not tensors:
        return ()
    shape = broadcast_shapes_or_raise(*(t._data.shape for t in tensors))
    return tuple(t if t._data.shape == shape else Expand.apply(t, shape) for t in tensors)


def _atleast(tensors, ndim: int, grow):
    """One tensor in: one out; several (or a list): a tuple. ``grow`` adds the dims a tensor
    of fewer than ``ndim`` dims lacks; others come back themselves."""
    single = len(tensors) == 1 and isinstance(tensors[0], Tensor)
    if not single and len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"atleast_{ndim}d() received an invalid combination of arguments - "
                            f"got ({type(t).__name__}), but expected one of:\n"
                            " * (Tensor input)\n * (tuple of Tensors tensors)\n")
    out = tuple(t if t.dim() >= ndim else grow(t) for t in tensors)
    return out[0] if single else out


def atleast_1d(*tensors):
    """A 0-d tensor as a 1-element view; tensors of 1+ dims unchanged."""
    return _atleast(tensors, 1, lambda t: Reshape.apply(t, (1,), True))


def atleast_2d(*tensors):
    """0-d -> (1, 1) view; 1-d (n,) -> (1, n) view; tensors of 2+ dims unchanged."""
    return _atleast(tensors, 2, lambda t: Reshape.apply(t, (1, 1), True) if t.dim() == 0
                    else unsqueeze(t, 0))


def atleast_3d(*tensors):
    """0-d -> (1, 1, 1); 1-d (n,) -> (1, n, 1); 2-d (m, n) -> (m, n, 1); all views."""
    def grow(t):
        if t.dim() == 0:
            return Reshape.apply(t, (1, 1, 1), True)
        if t.dim() == 1:
            return unsqueeze(unsqueeze(t, 0), -1)
        return unsqueeze(t, -1)
    return _atleast(tensors, 3, grow)


def ravel(input):
    """The elements as one dim, in row-major order: a view of a contiguous tensor, else of a
    contiguous copy (torch's ``contiguous().view(-1)``)."""
    _tensor_input("ravel", input)
    if not input._data.flags.c_contiguous:
        input = Clone.apply(input)
    return Reshape.apply(input, (input.numel(),), True)


class UnsafeView(ArrayFunction):
    """out = a with a new shape, where a is an intermediate no one else holds (torch's
    ``_unsafe_view``: not a view of anything a user can reach).   dL/da = g reshaped back."""

    _backward_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.shape = a.shape
        return np.reshape(a, shape)

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape), None


# -- rot90, unfold ---------------------------------------------------------------------------------

def _rot90(a, k: int, dims: tuple):
    """a rotated k quarter turns from dims[0] towards dims[1] (NumPy's rot90, in flips and one
    swap of axes, so that a backward under create_graph can record it)."""
    k %= 4
    if k == 1:
        return np.swapaxes(np.flip(a, dims[1]), *dims)
    if k == 2:
        return np.flip(np.flip(a, dims[0]), dims[1])
    if k == 3:
        return np.flip(np.swapaxes(a, *dims), dims[1])
    return a


class Rot90(ArrayFunction):
    """out = a rotated by k * 90 degrees in the plane of ``dims``, from the first dim towards
    the second (a copy).      dL/da = g rotated by -k in the same plane."""

    _backward_name = "Rot90Backward0"

    @staticmethod
    def forward(ctx, a, k, dims):
        ctx.k, ctx.dims = k, dims
        return _rot90(a, k, dims).copy()

    @staticmethod
    def backward(ctx, g):
        return _rot90(g, -ctx.k, ctx.dims), None, None


def _tensor_input(name: str, input) -> None:
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")


def rot90(input, k: int = 1, dims=(0, 1)):
    _tensor_input("rot90", input)
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    n = input.dim()
    if n < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {n}")
    if dims[0] == dims[1] or (dims[0] - dims[1]) % n == 0:
        raise RuntimeError("expected rotation dims to be different, but got dim0 = "
                           f"{dims[0]} and dim1 = {dims[1]}")
    d0, d1 = wrap_dim(dims[0], n), wrap_dim(dims[1], n)
    return Rot90.apply(input, int(k) % 4, (d0, d1))


class Unfold(ArrayFunction):
    """out[..., i, ..., j] = a[..., i * step + j, ...]: the windows of length ``size`` taken
    every ``step`` along ``dim``, as a new last dim (a view: windows may overlap).
    dL/da[..., p, ...] = the sum of g over every (i, j) with i * step + j = p."""

    _backward_name = "UnfoldBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, dim, size, step):
        ctx.shape, ctx.dim, ctx.size, ctx.step = a.shape, dim, size, step
        if a.ndim == 0:
            return a.reshape(1)
        n = (a.shape[dim] - size) // step + 1
        shape = a.shape[:dim] + (n,) + a.shape[dim + 1:] + (size,)
        strides = a.strides[:dim] + (a.strides[dim] * step,) + a.strides[dim + 1:] \
            + (a.strides[dim],)
        # overlapping windows are read-only, as torch refuses writes to them
        return np.lib.stride_tricks.as_strided(a, shape, strides,
                                               writeable=step >= size and a.flags.writeable)

    @staticmethod
    def backward(ctx, g):
        if len(ctx.shape) == 0:
            return g.reshape(()), None, None, None
        out = new_zeros(g, ctx.shape)
        d, n = ctx.dim, g.shape[ctx.dim]
        for j in range(ctx.size):  # window offset j: positions j, j + step, ...
            where = (slice(None),) * d + (slice(j, j + ctx.step * (n - 1) + 1, ctx.step),)
            np.add.at(out, where, g[..., j])
        return out, None, None, None


def unfold(input, dimension: int, size: int, step: int):
    n = input.dim()
    d = wrap_dim(dimension, n) if n else wrap_dim(dimension, 1)
    have = input.shape[d] if n else 1
    if size > have:
        raise RuntimeError(
            f"maximum size for tensor at dimension {d} is {have} but size is {size}")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    return Unfold.apply(input, d, int(size), int(step))


# -- the in-place view methods: t_, squeeze_, unsqueeze_, transpose_ -------------------------------

def _view_inplace(input, op, name: str, *args):
    """``input`` becomes ``op(input, *args)``, a view of its own memory: its shape and strides
    change, its data stays. Recorded as an in-place op under torch's name for it."""
    if _state.enabled and input._requires_grad and input.grad_fn is None:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation.")
    alias = _new_tensor(input._data)
    alias.grad_fn, alias._output_nr = input.grad_fn, input._output_nr
    alias._requires_grad = input._requires_grad
    out = op(alias, *args)
    input._data = out._data
    node = out.grad_fn
    if node is not None and node is not input.grad_fn:
        node.__class__ = node._fn._node_classes[name]  # the in-place overload's name
        input.grad_fn, input._output_nr = node, 0
    input._bump_version()
    return input


def t_(input):
    if input.dim() > 2:
        raise RuntimeError(
            f"t_() expects a tensor with <= 2 dimensions, but self is {input.dim()}D")
    return _view_inplace(input, t, "TBackward1")


def transpose_(input, dim0: int, dim1: int):
    return _view_inplace(input, transpose, "TransposeBackward1", dim0, dim1)


swapaxes_ = swapdims_ = transpose_


def squeeze_(input, dim=None):
    name = ("SqueezeBackward3" if dim is None else
            "SqueezeBackward5" if isinstance(dim, (tuple, list)) else "SqueezeBackward4")
    return _view_inplace(input, squeeze, name, dim)


def unsqueeze_(input, dim: int):
    return _view_inplace(input, unsqueeze, "UnsqueezeBackward1", dim)
