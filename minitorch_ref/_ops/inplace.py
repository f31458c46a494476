"""In-place ops (``add_``, ``mul_``, ``x[i] = v``, ...).

torch's rules, kept here in one place:
* an in-place op on a leaf that requires grad is an error while grad mode is on;
* the result must keep the tensor's shape and be castable to its dtype;
* the tensor's version counter is bumped, so a backward that saved the old value fails loudly;
* when autograd records the op, the tensor's history is *rebased*: its new ``grad_fn`` is the
  op's node, whose edges lead to the old history. The op is computed out of place on a copy of the
  old value (so the node's saved arrays stay intact), then written into the tensor's memory.
"""
from __future__ import annotations

import numpy as np

from .. import _dtype
from .._dtype import can_cast, from_numpy_dtype, get_default_dtype, result_np_dtype
from .._names import legacy_type_name, scalar_type_name
from ..autograd.function import ArrayFunction
from ..autograd.grad_mode import _state
from ._arguments import argument_error
from ._util import Tensor, _new_tensor, broadcast_shapes_or_raise, new_zeros, shape_str
from .index_write import check_byte_mask
from .indexing import _check_index, _convert_index, getitem, indexed_shape, masked_fill
from ._shape_arguments import expand_error

__all__ = ["apply_inplace", "apply_untracked", "check_elementwise", "setitem", "index_put",
           "overwrite"]


def _records(t: Tensor, args) -> bool:
    return _state.enabled and (t._requires_grad or any(
        isinstance(a, Tensor) and a._requires_grad for a in args))


def apply_inplace(t: Tensor, fn, *args, through_view: bool = False, elementwise=False,
                  **kwargs) -> Tensor:
    """``t <- fn(t, *args, **kwargs)`` in place, where ``fn`` is the out-of-place op
    (``through_view``: the write goes through a view of ``t``, as ``t[0] = v`` does in
    torch; ``elementwise``: ``fn`` is a binary elementwise op, whose operand ``args[0]`` torch
    checks before the kernel runs: True, or "div"/"sub", see ``check_elementwise``)."""
    if _records(t, args):
        if t.grad_fn is None and t._requires_grad:
            raise RuntimeError(
                f"a {'view of a ' if through_view else ''}leaf Variable that requires grad is "
                "being used in an in-place operation.")
        if elementwise and args:
            check_elementwise(t, args[0], elementwise)
        if t._base is not None:
            return _inplace_on_view(t, fn, args, kwargs)
        old = _new_tensor(t._data.copy())
        old.grad_fn, old._output_nr, old._requires_grad = t.grad_fn, t._output_nr, \
            t._requires_grad
        result = fn(old, *args, **kwargs)
        _write(t, result._data)
        t.grad_fn, t._output_nr, t._requires_grad = result.grad_fn, result._output_nr, \
            result._requires_grad
        # the node saved its output array: point its version check at t, now the output
        node = result.grad_fn
        if node is not None and node._saved_checks:
            node._saved_checks = [(None, t._version_counter(), t._version, nr, arr)
                                  if s is None else (s, vc, v, nr, arr)
                                  for s, vc, v, nr, arr in node._saved_checks]
        return t
    if elementwise and args:
        check_elementwise(t, args[0], elementwise)
    return apply_untracked(t, fn, *args, **kwargs)


def check_elementwise(t: Tensor, other, op=True) -> None:
    """What torch checks for ``t.op_(other)`` (``t op= other``) before its kernel runs: the
    broadcast shape must be t's own, and the result dtype castable to t's. So ``x &= 1.5`` on
    an integer tensor names the cast, not the float kernel that would refuse it. ``op="div"``:
    true division, whose integer result is the default float; ``op="sub"``: a bool operand is
    refused before anything else."""
    if op == "sub" and (t._data.dtype == np.bool_ or type(other) is bool or (
            isinstance(other, Tensor) and other._data.dtype == np.bool_)):
        return  # the op's own bool error comes first
    if isinstance(other, Tensor):
        other_shape = other._data.shape
        if other_shape != t._data.shape:
            shape = broadcast_shapes_or_raise(t._data.shape, other_shape)
            if shape != t._data.shape:
                raise RuntimeError(f"output with shape {shape_str(t._data.shape)} doesn't match "
                                   f"the broadcast shape {shape_str(shape)}")
        other = other._data
    elif not isinstance(other, (bool, int, float)):
        return
    dt = result_np_dtype(t._data, other)
    if op == "div" and dt.kind in "biu":
        dt = get_default_dtype().np
    if dt != t._data.dtype and not can_cast(from_numpy_dtype(dt), from_numpy_dtype(t._data.dtype)):
        raise RuntimeError(f"result type {scalar_type_name(dt)} can't be cast to the desired "
                           f"output type {scalar_type_name(t._data.dtype)}")


def apply_untracked(t: Tensor, fn, *args, **kwargs) -> Tensor:
    """``t <- fn(t, *args, **kwargs)`` without autograd: ``t`` keeps its history. What
    ``apply_inplace`` does when nothing is recorded, and what torch does for its in-place
    logical ops (``logical_not_``, ``logical_and_``, ...) even on a leaf that requires grad."""
    prev = _state.enabled
    _state.enabled = False
    try:
        result = fn(t, *args, **kwargs)
    finally:
        _state.enabled = prev
    _write(t, result._data)
    return t


def _inplace_on_view(view: Tensor, fn, args, kwargs) -> Tensor:
    """torch's rebase of the base's history (CopySlices): ``view <- fn(view, *args)`` becomes,
    for the base ``b``, ``b <- b with the view's elements replaced by fn(view of b)``. The base's
    ``grad_fn`` is then that CopySlices node, the view's a view of the new base."""
    base = view._base
    if base.grad_fn is None and base._requires_grad:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place "
            "operation.")
    where = _positions_in_base(base._data, view._data)
    old = _history_alias(base)
    result = fn(AsStrided.apply(old, where), *args, **kwargs)
    new = CopySlices.apply(old, result, where)
    _write(base, new._data)
    base.grad_fn, base._output_nr, base._requires_grad = new.grad_fn, 0, True
    _rebase_views(base, view, where)
    return view


def _rebase_views(base: Tensor, written: Tensor, where: np.ndarray) -> None:
    """Every recorded view of ``base`` is now a view of its new history (torch regenerates a
    view's grad_fn as AsStridedBackward0 once its base was modified)."""
    new = _history_alias(base)
    live = []
    for ref in base.__dict__.get("_views", ()):
        v = ref()
        if v is None:
            continue
        live.append(ref)
        pos = where if v is written else _positions_in_base(base._data, v._data)
        as_view = AsStrided.apply(new, pos)
        v.grad_fn, v._output_nr, v._requires_grad = as_view.grad_fn, 0, True
    base._views = live
    if all(r() is not written for r in live):  # a view made before recording started
        as_view = AsStrided.apply(new, where)
        written.grad_fn, written._output_nr, written._requires_grad = as_view.grad_fn, 0, True


def _history_alias(t: Tensor) -> Tensor:
    """A Tensor object with ``t``'s data and history (so that ``t``'s own can be replaced)."""
    a = _new_tensor(t._data)
    a.grad_fn, a._output_nr, a._requires_grad = t.grad_fn, t._output_nr, t._requires_grad
    return a


def _positions_in_base(base: np.ndarray, view: np.ndarray) -> np.ndarray:
    """For each element of ``view`` (a strided view into ``base``'s memory), the flat index of
    the base element at the same address: the view's geometry, as an index into the base."""
    lo = np.lib.array_utils.byte_bounds(base)[0]
    base_at = _addresses(base, lo).reshape(-1)
    order = np.argsort(base_at, kind="stable")
    return order[np.searchsorted(base_at[order], _addresses(view, lo))]


def _addresses(a: np.ndarray, lo: int) -> np.ndarray:
    """The byte offset from ``lo`` of every element of ``a``."""
    out = np.full(a.shape, a.__array_interface__["data"][0] - lo, dtype=np.int64)
    for grid, stride in zip(np.indices(a.shape, sparse=True), a.strides):
        out += grid * stride
    return out


class AsStrided(ArrayFunction):
    """out = the elements of ``a`` at flat positions ``where`` (a view's geometry, as torch's
    as_strided).      dL/da = zeros like a with g added at ``where``."""

    _backward_name = "AsStridedBackward0"

    @staticmethod
    def forward(ctx, a, where):
        ctx.shape = a.shape
        ctx.where = where
        return a.reshape(-1)[where]

    @staticmethod
    def backward(ctx, g):
        out = new_zeros(g, int(np.prod(ctx.shape)))
        np.add.at(out, ctx.where, g)
        return out.reshape(ctx.shape), None


class CopySlices(ArrayFunction):
    """out = a with the elements at flat positions ``where`` replaced by ``value`` (an in-place
    op on a view, rebased onto the view's base).
    dL/da = g with zeros at ``where``;   dL/dvalue = g at ``where``."""

    _backward_name = "torch::autograd::CopySlices"

    @staticmethod
    def forward(ctx, a, value, where):
        ctx.shape = a.shape
        ctx.where = where
        out = a.copy()
        out.reshape(-1)[where] = value
        return out

    @staticmethod
    def backward(ctx, g):
        flat = g.reshape(-1)
        ga = gv = None
        if ctx.needs_input_grad[0]:
            ga = flat.copy()
            ga[ctx.where] = 0
            ga = ga.reshape(ctx.shape)
        if ctx.needs_input_grad[1]:
            gv = flat[ctx.where]
        return ga, gv, None


def _write(t: Tensor, value: np.ndarray) -> None:
    if value.shape != t._data.shape:
        try:
            np.broadcast_shapes(value.shape, t._data.shape)
            ok = np.broadcast_shapes(value.shape, t._data.shape) == t._data.shape
        except ValueError:
            ok = False
        if not ok:
            raise RuntimeError(
                f"output with shape {shape_str(t._data.shape)} doesn't match the broadcast "
                f"shape {shape_str(np.broadcast_shapes(value.shape, t._data.shape))}"
                if _broadcastable(value.shape, t._data.shape) else
                f"The size of tensor a ({t._data.shape[-1] if t._data.ndim else 1}) must match "
                f"the size of tensor b ({value.shape[-1] if value.ndim else 1}) at "
                "non-singleton dimension 0")
    if value.dtype != t._data.dtype and not can_cast(from_numpy_dtype(value.dtype),
                                                     from_numpy_dtype(t._data.dtype)):
        raise RuntimeError(
            f"result type {scalar_type_name(value.dtype)} can't be cast to the desired output type "
            f"{scalar_type_name(t._data.dtype)}")
    if not t._data.flags.writeable:
        # np.broadcast_to views (expand) are read-only, as are some arrays given to from_numpy
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation.")
    np.copyto(t._data, value, casting="unsafe")
    t._bump_version()


def _broadcastable(a, b) -> bool:
    try:
        np.broadcast_shapes(a, b)
        return True
    except ValueError:
        return False


class IndexPut(ArrayFunction):
    """out = a with ``out[index] = value`` (value broadcast to the indexed shape); with
    ``accumulate``, ``out[index] += value`` (a position named k times receives k values).
    dL/da = g, with zeros at ``index`` unless accumulating;   dL/dvalue = g[index] (summed
    back to value's shape)."""

    _backward_name = "IndexPutBackward0"
    _saved_attrs = ("index",)  # torch's node saves the indices

    @staticmethod
    def forward(ctx, a, index, value, accumulate=False):
        out = a.copy()
        if isinstance(value, np.ndarray) and value.dtype != a.dtype:  # (masked_fill's number)
            value = _dtype.cast_value(value, a.dtype)
        try:
            if accumulate:
                np.add.at(out, index, value)
            else:
                out[index] = value
        except IndexError as e:
            _check_index_before_range(a.shape, index, value)
            raise IndexError(str(e).replace("axis", "dimension")) from None
        except ValueError:
            raise _setitem_shape_error(np.shape(value), indexed_shape(a.shape, index),
                                      index) from None
        ctx.index = index
        ctx.accumulate = accumulate
        if not any(isinstance(i, np.ndarray) for i in
                   (index if isinstance(index, tuple) else (index,))):
            ctx._saved_attrs = ()  # a basic index (ints, slices): no tensor in torch's node
        return out

    @staticmethod
    def backward(ctx, g):
        ga = gv = None
        if ctx.needs_input_grad[0]:
            ga = g
            if not ctx.accumulate:
                ga = g.copy()
                ga[ctx.index] = 0
        if ctx.needs_input_grad[2]:
            gv = g[ctx.index]
        return ga, None, gv, None


class Overwrite(ArrayFunction):
    """out = value broadcast to a's shape and cast to a's dtype (``copy_``, ``fill_``).
    dL/da = 0 (the old values are gone: a's history receives zeros, as in torch);
    dL/dvalue = g."""

    _backward_name = "torch::autograd::CopyBackwards"

    @staticmethod
    def forward(ctx, a, value):
        value = _dtype.cast_value(value, a.dtype)  # (float64 -> float16 through float32)
        return np.broadcast_to(np.asarray(value, dtype=a.dtype), a.shape).copy()

    @staticmethod
    def backward(ctx, g):
        return (np.zeros_like(g) if ctx.needs_input_grad[0] else None), g


def overwrite(input: Tensor, value, name: str | None = None) -> Tensor:
    """``name``: the node torch records, where it is not copy_'s (``fill_``, ``zero_``)."""
    return Overwrite.apply(input, value, name=name)


def index_put(input: Tensor, indices, values, accumulate: bool = False) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(index_put, locals())
    idx = _convert_index(indices)
    check_byte_mask(input._data.shape, indices, idx, values, accumulate)
    n = sum(i is not None and i is not Ellipsis for i in idx)
    if n > input._data.ndim:
        raise IndexError(f"too many indices for tensor of dimension {input._data.ndim} "
                         f"(got {n})")
    if isinstance(values, Tensor):
        shape = values._data.shape
        if shape and shape[0] == 1:  # no leading 1s dropped, unlike t[index] = value
            _check_setitem_shape(shape, indexed_shape(input._data.shape, idx), idx, exact=True)
        if values._data.dtype != input._data.dtype:
            _check_index_put_dtype(input, idx, values, accumulate, zero_d_masks=True)
    return IndexPut.apply(input, idx, values, accumulate)


def _check_index_put_dtype(t: Tensor, idx: tuple, value: Tensor, accumulate: bool,
                           zero_d_masks: bool) -> None:
    """torch's index_put_ for a value of another dtype than ``t``'s. A one-element value
    written through a single boolean mask (every other entry a slice, None or Ellipsis;
    ``zero_d_masks``: a 0-d one counts, as in ``index_put_``, where ``t[index] = v`` reads a
    bool as an index of 0 or no entries) without accumulating is torch's
    ``masked_fill_(mask, value.item())``: the number is converted, with its range check.
    Anything else is refused, after the index's own errors and the shape check."""
    arrays = [i for i in idx if isinstance(i, np.ndarray)]
    if (not accumulate and value._data.size == 1 and len(arrays) == 1
            and arrays[0].dtype == np.bool_ and (zero_d_masks or arrays[0].ndim)):
        _check_index(t._data.shape, idx, tensors_in_range=False)
        if t._data.dtype != np.bool_:
            _dtype.check_scalar_fits(value._data.item(), t._data.dtype)
        return
    _check_setitem_shape(value._data.shape, indexed_shape(t._data.shape, idx), idx)
    raise RuntimeError(
        "Index put requires the source and destination dtypes match, got "
        f"{scalar_type_name(t._data.dtype)} for the destination and "
        f"{scalar_type_name(value._data.dtype)} for the source.")


def _without_leading_ones(value: Tensor) -> Tensor:
    """torch's ``t[index] = value`` first views ``value`` without its leading dims of size 1."""
    shape = value._data.shape
    k = 0
    while k < len(shape) and shape[k] == 1:
        k += 1
    return value.reshape(shape[k:]) if k else value


def _check_setitem_value(t: Tensor, value) -> None:
    """torch takes a tensor or a number (a Python bool, int, float or complex, or a NumPy
    integer; NumPy's float64 and complex128 are Python numbers): anything else, a list or an
    ndarray included, is a TypeError naming its type as CPython does (``list``,
    ``numpy.ndarray``)."""
    if isinstance(value, (Tensor, float, int, complex, np.integer)) \
            and not isinstance(value, np.bool_):
        return
    tp = type(value)
    if tp.__name__ == "Size" and tp.__module__.startswith("minitorch_ref"):
        name = "torch.Size"
    elif tp.__module__ == "builtins" or tp.__flags__ & (1 << 9):  # a class defined in Python
        name = tp.__name__
    else:  # a C type: its module-qualified name
        name = f"{tp.__module__}.{tp.__name__}"
    raise TypeError(f"can't assign a {name} to a {legacy_type_name(t._data.dtype)}")


def setitem(t: Tensor, index, value) -> None:
    """``t[index] = value``; with autograd, gradients flow to both ``t``'s history and
    ``value``. ``value`` is a tensor or a number (``_check_setitem_value``)."""
    _check_setitem_value(t, value)
    if type(value) is int:
        _dtype.check_long_long(value)
    if not isinstance(value, Tensor) and t._data.dtype != np.float16:
        _dtype.check_scalar_fits(value, t._data.dtype)  # torch writes float16 unchecked (inf)
    idx = _convert_index(index)  # once: a legacy list index warns, as in torch, once
    check_byte_mask(t._data.shape, index, idx, value)
    if isinstance(value, Tensor):
        if value._data.ndim and value._data.shape[0] == 1:
            value = _without_leading_ones(value)
        if value._data.dtype != t._data.dtype and index is not True and index is not False \
                and any(isinstance(i, np.ndarray) for i in idx):
            _check_index_put_dtype(t, idx, value, False, zero_d_masks=False)
    if isinstance(value, Tensor) and not _records(t, (value,)):
        value = value._data
    if not isinstance(value, Tensor):
        if not _records(t, ()):
            value = _dtype.cast_value(value, t._data.dtype)
            try:
                t._data[idx] = value
            except IndexError as e:
                _check_index_before_range(t._data.shape, idx, value)
                raise IndexError(str(e).replace("axis", "dimension")) from None
            except ValueError:
                raise _setitem_shape_error(
                    np.shape(value), indexed_shape(t._data.shape, idx), idx) from None
            t._bump_version()
            return
    basic = all(not isinstance(i, np.ndarray) for i in idx)
    if basic:  # torch writes through the view t[index] (copy_): CopySlices on t
        view = getitem(t, idx)
        if view._base is not None and np.shares_memory(view._data, t._data):
            if isinstance(value, Tensor):
                _check_setitem_shape(np.shape(value._data), view._data.shape, idx)
            apply_inplace(view, overwrite, value, through_view=True)
            return
    apply_inplace(t, lambda a, v: IndexPut.apply(a, idx, v), value, through_view=basic)


def _check_index_before_range(shape: tuple, idx: tuple, value) -> None:
    """torch's errors for a write NumPy refused with an IndexError: the index's own, then the
    value's shape, then the range of the index tensors' values (NumPy's words differ)."""
    _check_setitem_shape(np.shape(value), indexed_shape(shape, idx), idx)
    _check_index(shape, idx)


def _check_setitem_shape(value_shape: tuple, target: tuple, idx: tuple,
                         exact: bool = False) -> None:
    """``value_shape`` must broadcast to ``target`` (``exact``: without dropping leading 1s, as
    NumPy would)."""
    try:
        ok = np.broadcast_shapes(value_shape, target) == target and (
            not exact or len(value_shape) <= len(target))
    except ValueError:
        ok = False
    if not ok:
        raise _setitem_shape_error(value_shape, target, idx)


def _setitem_shape_error(value_shape: tuple, target: tuple, idx: tuple) -> RuntimeError:
    """torch writes a basic index through a view (``copy_``, whose expand names the sizes) and
    an advanced one with ``index_put_`` (a 'shape mismatch')."""
    if all(not isinstance(i, np.ndarray) for i in idx):
        return expand_error(value_shape, target)
    return RuntimeError(
        f"shape mismatch: value tensor of shape {shape_str(value_shape)} cannot be broadcast "
        f"to indexing result of shape {shape_str(target)}")


# -- the in-place Tensor methods that are more than "the op, written back" -----------------------

def masked_fill_(input: Tensor, mask, value) -> Tensor:
    """``masked_fill`` written into ``input``: the mask must broadcast to input's shape."""
    if isinstance(mask, Tensor) and mask._data.shape != input._data.shape:
        broadcast_shapes_or_raise(input._data.shape, mask._data.shape)
    return apply_inplace(input, masked_fill, mask, value)


def copy_(input: Tensor, src, non_blocking: bool = False) -> Tensor:
    """Copy ``src`` (broadcast to input's shape, cast to its dtype) into ``input``."""
    if isinstance(src, Tensor) and src._data.shape != input._data.shape:
        shape = broadcast_shapes_or_raise(input._data.shape, src._data.shape)
        if shape != input._data.shape:
            raise RuntimeError(
                f"output with shape {shape_str(input._data.shape)} doesn't match the broadcast "
                f"shape {shape_str(shape)}")
    return apply_inplace(input, overwrite, src)


def fill_(input: Tensor, value) -> Tensor:
    """Every element set to ``value`` (a number or a 0-d tensor)."""
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError(
            "fill_ only supports 0-dimension value tensor but got tensor with "
            f"{value._data.ndim} dimensions.")
    if not isinstance(value, Tensor):
        _dtype.check_fill_fits(value, input._data.dtype, input._data.size)
    return apply_inplace(input, overwrite, value,
                         name="FillBackward3" if isinstance(value, Tensor) else "FillBackward2")


def zero_(input: Tensor) -> Tensor:
    return apply_inplace(input, overwrite, 0, name="ZeroBackward0")
