"""Tensor utilities torch has beside its ops: predicates (``is_nonzero``, ``is_signed``, ...),
the identities of real tensors (``conj``, ``resolve_neg``, ``positive``, ``real``, ...), the
matrix adjoints (``adjoint``, ``H``, ``mH``), ``sum_to_size``, ``unravel_index``, ``fill``,
the splits not tracked as views (``unsafe_split``, ``unsafe_chunk``) and the view ops' copying
twins ``torch.<view>_copy``.

A copying twin runs its view op on a tensor of element positions (``arange`` in x's shape,
float64: exact up to 2**53 elements), so the view's own checks and errors apply and its node
name is known; the result gathers x's elements at those positions into a new array
(``_Gathered``), and the gradient adds g back at them.
"""
from __future__ import annotations

import math

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _new_tensor
from ..autograd.function import ArrayFunction
from ..autograd.grad_mode import enable_grad
from . import diagonals, joining, shape
from ._arguments import _parse, _Signature, argument_error
from ._util import wrap_dim
from .storage import as_strided

__all__ = [
    "adjoint", "alias_copy", "as_strided", "as_strided_copy", "conj", "conj_physical", "detach",
    "diagonal_copy", "expand_copy",
    "fill", "frombuffer", "imag", "is_complex", "is_conj", "is_inference", "is_neg", "is_nonzero",
    "is_same_size", "is_signed", "isreal", "permute_copy", "positive", "real", "resolve_conj",
    "resolve_neg", "select_copy", "slice_copy", "split_copy", "split_with_sizes",
    "split_with_sizes_copy", "squeeze_copy", "t_copy", "transpose_copy", "unbind_copy",
    "unfold_copy", "unravel_index", "unsafe_chunk", "unsafe_split", "unsafe_split_with_sizes",
    "unsqueeze_copy", "view_copy",
]


# -- predicates ----

def is_nonzero(input) -> bool:
    """The one element of input is not zero (False, 0, 0.0)."""
    if not isinstance(input, Tensor):
        raise argument_error(is_nonzero, locals())
    n = input._data.size
    if n != 1:
        raise RuntimeError("Boolean value of Tensor with "
                           f"{'no values' if n == 0 else 'more than one value'} is ambiguous")
    return bool(input._data.reshape(-1)[0] != 0)


def is_same_size(input, other) -> bool:
    if not isinstance(input, Tensor):
        raise argument_error(is_same_size, locals())
    if not isinstance(other, Tensor):
        raise argument_error(is_same_size, locals())
    return input._data.shape == other._data.shape


def is_signed(input) -> bool:
    if not isinstance(input, Tensor):
        raise argument_error(is_signed, locals())
    return input.dtype.is_signed


def is_complex(input) -> bool:
    if not isinstance(input, Tensor):
        raise argument_error(is_complex, locals())
    return input.is_complex()


def _false(name: str):
    """A predicate that is False for every real dense tensor (conjugate or negative bits,
    inference tensors: none here)."""
    def predicate(input) -> bool:
        if not isinstance(input, Tensor):
            raise argument_error(predicate, locals(), name=name)
        return False
    predicate.__name__ = predicate.__qualname__ = name
    return predicate


is_conj, is_neg, is_inference = _false("is_conj"), _false("is_neg"), _false("is_inference")


def isreal(input) -> Tensor:
    """True where input's imaginary part is zero: everywhere, for a real tensor."""
    if not isinstance(input, Tensor):
        raise argument_error(isreal, locals())
    return _new_tensor(np.ones(input._data.shape, dtype=np.bool_))


# -- identities of real tensors ----

def _identity(name: str, doc: str):
    """``input`` itself (the same object, as torch returns it for a real tensor)."""
    def identity(input) -> Tensor:
        if not isinstance(input, Tensor):
            raise argument_error(identity, locals(), name=name)
        return input
    identity.__name__ = identity.__qualname__ = name
    identity.__doc__ = doc
    return identity


conj = _identity("conj", "The complex conjugate: input itself for a real tensor.")
conj_physical = _identity("conj_physical", "conj, materialised: input itself when real.")
resolve_conj = _identity("resolve_conj", "input with its conjugate bit applied: input itself.")
resolve_neg = _identity("resolve_neg", "input with its negative bit applied: input itself.")
real = _identity("real", "The real part: input itself for a real tensor.")


def positive(input) -> Tensor:
    """+input: input itself (refused for bool, as torch's ``+`` is)."""
    if not isinstance(input, Tensor):
        raise argument_error(positive, locals())
    if input._data.dtype == np.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def imag(input) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(imag, locals())
    raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")


def detach(input) -> Tensor:
    """torch.detach(t) is t.detach()."""
    if not isinstance(input, Tensor):
        raise argument_error(detach, locals())
    return input.detach()


# -- adjoints ----

def adjoint(input) -> Tensor:
    """The conjugate transpose of the last two dims (their transpose, for a real tensor)."""
    if not isinstance(input, Tensor):
        raise argument_error(adjoint, locals())
    if input.dim() < 2:
        raise RuntimeError("tensor.adjoint() is only supported on matrices or batches of "
                           f"matrices. Got {input.dim()}-D tensor.")
    return shape.transpose(input, -2, -1)


def tensor_H(self) -> Tensor:
    """``x.H``: the conjugate transpose of a matrix."""
    n = self.dim()
    if n == 0:
        import warnings
        warnings.warn("Tensor.H is deprecated on 0-D tensors. Consider using x.conj().",
                      UserWarning, stacklevel=2)
        return self
    if n != 2:
        extra = " For batches of matrices, consider using tensor.mH" if n > 2 else ""
        raise RuntimeError("tensor.H is only supported on matrices (2-D tensors). Got "
                           f"{n}-D tensor.{extra}")
    return shape.transpose(self, 0, 1)


def tensor_mH(self) -> Tensor:
    """``x.mH``: the conjugate transpose of the last two dims."""
    if self.dim() < 2:
        raise RuntimeError("tensor.mH is only supported on matrices or batches of matrices. "
                           f"Got {self.dim()}-D tensor.")
    return shape.transpose(self, -2, -1)


def tensor_imag(self) -> Tensor:
    return imag(self)


# -- sums, fills, indices ----

def sum_to_size(self, *size) -> Tensor:
    """self summed down to ``size`` (which must expand to self's shape): the leading dims it
    lacks and the dims where it has 1 and self does not. self itself when the shapes agree."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    size = tuple(int(s) for s in size)
    have = self._data.shape
    lead = len(have) - len(size)
    if lead < 0 or any(s != h and s != 1 for s, h in zip(size, have[lead:])):
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size "
                           f"{{{list(have)}}}.".replace(",", ", ").replace(",  ", ", "))
    if size == have:
        return self
    dims = tuple(range(lead)) + tuple(lead + i for i, (s, h) in enumerate(zip(size, have[lead:]))
                                      if s == 1 and h != 1)
    out = self.sum(dims, keepdim=True) if dims else self
    return out.view(size) if lead else out


class _Fill(ArrayFunction):
    """out = value everywhere, in input's shape and dtype. dL/dinput = 0."""

    _backward_name = "FillBackward0"

    @staticmethod
    def forward(ctx, x, value):
        return np.full(x.shape, value, dtype=x.dtype)

    @staticmethod
    def backward(ctx, g):
        return np.zeros_like(g), None


def fill(input, value) -> Tensor:
    """A new tensor like input, every element ``value`` (a number or a 0-d tensor)."""
    if not isinstance(input, Tensor):
        _refuse("fill", (input, value), {})
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor "
                               f"with {value._data.ndim} dimensions.")
        return _Fill.apply(input, value._data[()], name="FillBackward1")
    _dtype.check_fill_fits(value, input._data.dtype, input._data.size)
    return _Fill.apply(input, value)


def unravel_index(indices, shape):
    """The coordinates in ``shape`` of the flat ``indices``: one int64 tensor per dim,
    (indices // stride_k) % shape_k with row-major strides (torch's Python code, op for op)."""
    if (indices.is_complex() or indices.is_floating_point()
            or indices.dtype == _dtype.bool):
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    from collections.abc import Sequence
    if not isinstance(shape, (int, Sequence)):
        raise TypeError(f"expected 'shape' to be int or sequence of ints, but got {type(shape)}")
    if isinstance(shape, int):
        shape = (shape,)
    else:
        for dim in shape:
            if not isinstance(dim, int):
                raise TypeError("expected 'shape' sequence to only contain ints, but got "
                                f"{type(dim)}")
        shape = tuple(shape)
    if not all(dim >= 0 for dim in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {tuple(shape)}")
    coefs = [math.prod(shape[k + 1:]) for k in range(len(shape))]
    from .._creation import tensor
    return (indices.unsqueeze(-1).floor_divide(tensor(coefs, dtype=_dtype.int64))
            % tensor(shape, dtype=_dtype.int64)).unbind(-1)


# -- copies of views ----

class _Gathered(ArrayFunction):
    """out = x.flat[p], a new array (p: element positions, in out's shape).
    dL/dx.flat[j] = sum of g[i] over the i with p[i] = j."""

    @staticmethod
    def forward(ctx, x, positions):
        ctx.positions, ctx.shape = positions, x.shape
        return x.reshape(-1)[positions]

    @staticmethod
    def backward(ctx, g):
        grad = np.zeros(math.prod(ctx.shape), dtype=g.dtype)
        np.add.at(grad, ctx.positions, g)
        return grad.reshape(ctx.shape), None


def _positions(input, view, *args, **kwargs):
    """``view`` applied to input's element positions: its result (a tensor or a tuple of them)
    as (position array, view node name) pairs."""
    probe = _new_tensor(np.arange(input._data.size, dtype=np.float64)
                        .reshape(input._data.shape))
    probe.requires_grad_()
    with enable_grad():
        out = view(probe, *args, **kwargs)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return out, [(np.ascontiguousarray(o._data, dtype=np.int64),
                  o.grad_fn.name() if o.grad_fn else None) for o in outs]


def _refuse(name: str, args: tuple, kwargs: dict):
    """torch's argument parser's TypeError for a call of torch.<name> whose input is not a
    Tensor (``_arguments``' parser, with torch's signatures)."""
    texts = SIGNATURES[name]
    texts = (texts,) if isinstance(texts, str) else texts
    _parse(name, [_Signature(t) for t in texts], len(texts), args, kwargs)
    raise argument_error(None, {"input": args[0] if args else None}, name=name)


_OUT, _OUTS = "*, Tensor out = None)", "*, tuple of Tensors out = None)"
SIGNATURES = {
    "alias_copy": f"(Tensor input, {_OUT}",
    "as_strided_copy": "(Tensor input, tuple of ints size, tuple of ints stride, "
                       f"int storage_offset = None, {_OUT}",
    "t_copy": f"(Tensor input, {_OUT}",
    "view_copy": (f"(Tensor input, torch.dtype dtype, {_OUT}",
                  f"(Tensor input, tuple of ints size, {_OUT}"),
    "permute_copy": f"(Tensor input, tuple of ints dims, {_OUT}",
    "expand_copy": "(Tensor input, tuple of ints size, *, bool implicit = False, "
                   "Tensor out = None)",
    "squeeze_copy": (f"(Tensor input, {_OUT}", f"(Tensor input, int dim, {_OUT}",
                     f"(Tensor input, tuple of ints dim, {_OUT}"),
    "unsqueeze_copy": f"(Tensor input, int dim, {_OUT}",
    "transpose_copy": f"(Tensor input, int dim0, int dim1, {_OUT}",
    "select_copy": f"(Tensor input, int dim, int index, {_OUT}",
    "slice_copy": "(Tensor input, int dim = 0, int start = None, int end = None, int step = 1, "
                  f"{_OUT}",
    "diagonal_copy": f"(Tensor input, int offset = 0, int dim1 = 0, int dim2 = 1, {_OUT}",
    "unfold_copy": f"(Tensor input, int dimension, int size, int step, {_OUT}",
    "split_copy": f"(Tensor input, int split_size, int dim = 0, {_OUTS}",
    "split_with_sizes_copy": f"(Tensor input, tuple of ints split_sizes, int dim = 0, {_OUTS}",
    "unbind_copy": f"(Tensor input, int dim = 0, {_OUTS}",
    "unsafe_split": "(Tensor input, int split_size, int dim = 0)",
    "unsafe_chunk": "(Tensor input, int chunks, int dim = 0)",
    "unsafe_split_with_sizes": "(Tensor input, tuple of ints split_sizes, int dim = 0)",
    "fill": ("(Tensor input, Tensor value)", "(Tensor input, Number value)"),
}


def _copied(name: str, view, node: str | None = None):
    """torch.<name>: ``view``'s result, copied; its grad_fn is the view's node name + ``_copy``
    (or ``node``)."""
    def copy_op(*args, **kwargs):
        if not args or not isinstance(args[0], Tensor):
            _refuse(name, args, kwargs)
        out, pieces = _positions(args[0], view, *args[1:], **kwargs)
        results = [_Gathered.apply(args[0], p, name=node or f"{n}_copy") for p, n in pieces]
        return tuple(results) if isinstance(out, (tuple, list)) else results[0]
    copy_op.__name__ = copy_op.__qualname__ = name
    copy_op.__doc__ = f"``{getattr(view, '__name__', name)}``'s result as a new tensor."
    return copy_op


def _slice(input, dim: int = 0, start=None, end=None, step: int = 1):
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    index = [slice(None)] * input.dim()
    index[dim] = slice(start, end, step)
    return input[tuple(index)]


def _split_with_sizes(input, split_sizes, dim: int = 0):
    return joining.split(input, list(split_sizes), dim)


def split_with_sizes(input, split_sizes, dim: int = 0) -> tuple:
    """Views of input along ``dim``, of the listed sizes."""
    if not isinstance(input, Tensor):
        raise argument_error(split_with_sizes, locals())
    return joining.split(input, list(split_sizes), dim)


alias_copy = _copied("alias_copy", lambda x: shape.view(x, x.shape), "AliasBackward0_copy")
as_strided_copy = _copied("as_strided_copy", as_strided)
t_copy = _copied("t_copy", shape.t)
_view_copy_shape = _copied("view_copy", shape.view)


def view_copy(*args, **kwargs):
    """torch.view_copy(input, size): the view's copy; (input, dtype): input's bytes read as
    ``dtype``, copied, without history (torch records none)."""
    dtype = args[1] if len(args) > 1 else kwargs.get("dtype")
    if isinstance(dtype, _dtype.dtype) and args and isinstance(args[0], Tensor):
        return _new_tensor(np.array(shape.view(args[0].detach(), dtype)._data, order="C"))
    return _view_copy_shape(*args, **kwargs)
permute_copy = _copied("permute_copy", shape.permute)
expand_copy = _copied("expand_copy", shape.expand)
squeeze_copy = _copied("squeeze_copy", shape.squeeze)
unsqueeze_copy = _copied("unsqueeze_copy", shape.unsqueeze)
transpose_copy = _copied("transpose_copy", shape.transpose)
select_copy = _copied("select_copy", shape.select)
slice_copy = _copied("slice_copy", _slice, "SliceBackward0_copy")
diagonal_copy = _copied("diagonal_copy", diagonals.diagonal, "DiagonalBackward0_copy")
unfold_copy = _copied("unfold_copy", shape.unfold)
split_copy = _copied("split_copy", joining.split, "SplitBackward0_copy")
split_with_sizes_copy = _copied("split_with_sizes_copy", _split_with_sizes,
                                "SplitWithSizesBackward0_copy")
unbind_copy = _copied("unbind_copy", joining.unbind)


class _UnsafeSplit(joining.Split):
    """``Split``'s pieces, sharing input's memory but not views of it (no base, their own
    version counters), as torch's unsafe splits are."""

    _backward_name = "UnsafeSplitBackward0"
    _view = False


def _unsafe(name: str, split, node: str):
    """torch.<name>: ``split``'s pieces (its checks, its sizes) as ``_UnsafeSplit``'s."""
    def unsafe_op(*args, **kwargs):
        if not args or not isinstance(args[0], Tensor):
            _refuse(name, args, kwargs)
        input = args[0]
        pieces = split(input.detach(), *args[1:], **kwargs)
        d = wrap_dim(kwargs.get("dim", args[2] if len(args) > 2 else 0), input.dim())
        return _UnsafeSplit.apply(input, [p.shape[d] for p in pieces], d, name=node)
    unsafe_op.__name__ = unsafe_op.__qualname__ = name
    unsafe_op.__doc__ = f"``{split.__name__}``'s pieces, not tracked as views of input."
    return unsafe_op


unsafe_split = _unsafe("unsafe_split", joining.split, "UnsafeSplitBackward0")
unsafe_chunk = _unsafe("unsafe_chunk", joining.chunk, "UnsafeSplitBackward0")
unsafe_split_with_sizes = _unsafe("unsafe_split_with_sizes", _split_with_sizes,
                                  "UnsafeSplitWithSizesBackward0")



# -- in-place writes: the diagonal, Python callables ----

class _FillPositions(ArrayFunction):
    """out = a with ``value`` at the flat positions p (a write through a strided view of a, so
    torch records CopySlices). dL/da = g, zero at p."""

    _backward_name = "torch::autograd::CopySlices"

    @staticmethod
    def forward(ctx, a, positions, value):
        ctx.positions = positions
        out = np.array(a, copy=True, order="C")
        out.reshape(-1)[positions] = _dtype.cast_value(value, a.dtype)
        return out

    @staticmethod
    def backward(ctx, g):
        grad = np.array(g, copy=True, order="C")
        grad.reshape(-1)[ctx.positions] = 0
        return grad, None, None


def fill_diagonal_(input, fill_value, wrap: bool = False) -> Tensor:
    """The main diagonal (i, i, ..., i) set to ``fill_value``; with ``wrap``, a tall matrix's
    diagonal starts again every ncols + 1 rows' worth of elements (the row after the last)."""
    from .inplace import apply_inplace
    shape = input._data.shape
    if len(shape) < 2:
        raise RuntimeError("dimensions must larger than 1")
    if len(shape) > 2 and any(n != shape[0] for n in shape):
        raise RuntimeError("all dimensions of input must be of equal length")
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    n = min(shape[0], shape[1])
    step = sum(math.prod(shape[k + 1:]) for k in range(len(shape)))
    positions = np.arange(n) * step
    if wrap and len(shape) == 2 and shape[0] > shape[1] + 1:
        width = shape[1]
        extra = (input._data.size + width) // (width + 1) - n
        if extra > 0:
            positions = np.concatenate(
                [positions, width * (width + 1) + np.arange(extra) * (width + 1)])
    return apply_inplace(input, _FillPositions.apply, positions, fill_value, through_view=True)


def _mapped(name: str, arity: int):
    """Tensor.<name>: each element of self (with the matching elements of ``arity - 1`` other
    tensors, broadcast to self's shape) through a Python callable, written back into self."""
    def mapped(self, *args):
        *others, fn = args
        if self._requires_grad:
            raise RuntimeError(f"Can't call {name}() on Variable that requires grad. Use "
                               f"var.detach().{name}() instead.")
        columns = [self._data.reshape(-1).tolist()] + [
            np.ascontiguousarray(shape.expand(o, self._data.shape)._data).reshape(-1).tolist()
            for o in others]
        values = [fn(*v) for v in zip(*columns)]
        if self._data.size:
            self._data[...] = np.asarray(values).reshape(self._data.shape).astype(
                self._data.dtype)
        self._bump_version()
        return self
    mapped.__name__, mapped.__qualname__ = name, f"Tensor.{name}"
    return mapped


tensor_apply_ = _mapped("apply_", 1)
tensor_map_ = _mapped("map_", 2)
tensor_map2_ = _mapped("map2_", 3)


# -- a tensor over a Python buffer ----

_warned_not_writable = [False]


def frombuffer(buffer, *, dtype=None, count: int = -1, offset: int = 0,
               requires_grad: bool = False) -> Tensor:
    """A 1-d tensor over the bytes of an object with the buffer protocol, from byte ``offset``,
    ``count`` elements (all that fit when -1), sharing its memory (a read-only buffer, which
    torch would write through, is copied: NumPy will not write into it)."""
    if dtype is None:
        raise TypeError('frombuffer() missing 1 required positional arguments: "dtype"')
    try:
        length = memoryview(buffer).nbytes
    except TypeError:
        raise ValueError("object does not implement Python buffer protocol.") from None
    item = dtype.itemsize
    if length <= 0 or count == 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if not 0 <= offset < length:
        raise ValueError(f"offset ({offset} bytes) must be non-negative and no greater than "
                         f"buffer length ({length} bytes) minus 1")
    if count < 0 and (length - offset) % item:
        raise ValueError(f"buffer length ({length - offset} bytes) after offset ({offset} bytes) "
                         f"must be a multiple of element size ({item})")
    if count < 0:
        count = (length - offset) // item
    elif offset + count * item > length:
        raise ValueError(f"requested buffer length ({count} * {item} bytes) after offset "
                         f"({offset} bytes) must not be greater than actual buffer length "
                         f"({length} bytes)")
    data = np.frombuffer(buffer, dtype=dtype.np, count=count, offset=offset)
    if not data.flags.writeable:
        if not _warned_not_writable[0]:
            import warnings
            warnings.warn(
                "The given buffer is not writable, and PyTorch does not support non-writable "
                "tensors. This means you can write to the underlying (supposedly non-writable) "
                "buffer using the tensor. You may want to copy the buffer to protect its data or "
                "make it writable before converting it to a tensor. This type of warning will be "
                "suppressed for the rest of this program.", UserWarning, stacklevel=2)
            _warned_not_writable[0] = True
        data = data.copy()
    out = _new_tensor(data)
    return out.requires_grad_() if requires_grad else out
