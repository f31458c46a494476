"""Sorting: ``sort``, ``argsort``, ``msort``, ``topk``, ``unique``. Ties keep their original order
(a stable sort), which is what torch returns on the CPU; NaN sorts as the largest value, as in
torch. Backward sends each output's gradient back to the position it came from. Each op reads
top to bottom: its kernel (an ``ArrayFunction``: the math in the docstring, ``forward`` beside
``backward``, both on ndarrays; ``g`` is the gradient flowing in, dL/d out), then the public
function with torch's checks."""
from __future__ import annotations

import numpy as np

from ..autograd.function import ArrayFunction
from ..autograd.graph_array import GraphArray
from ..return_types import make_return
from ._arguments import argument_error
from ._util import Tensor, _new_tensor, check_tensor_input, new_zeros, scatter_, wrap_dim
from .out import RULES, supports_out, with_out, with_outs
from .reduction import _distribute_evenly

__all__ = ["sort", "argsort", "msort", "topk", "unique", "unique_consecutive", "median",
           "nanmedian", "kthvalue", "mode"]


def _values(x) -> np.ndarray:
    """The plain values of ``x`` (a forward replayed under create_graph gets GraphArrays):
    for the positions an op picks, which carry no gradient."""
    return x.t._data if isinstance(x, GraphArray) else x


def _order(a: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """Stable argsort along ``dim``; descending keeps ties in their original order too."""
    if not descending:
        return np.argsort(a, axis=dim, kind="stable")
    n = a.shape[dim]
    # sort the reversed array ascending, then reverse: ties come out in increasing position
    rev = np.argsort(np.flip(a, dim), axis=dim, kind="stable")
    return np.flip(n - 1 - rev, dim)


class Sort(ArrayFunction):
    """values, indices = a sorted along ``dim`` (only the first ``k`` when given: ``topk``).
    dL/da = g written back at ``indices`` (zeros for elements not returned)."""

    _backward_name = "SortBackward0"
    _saved_attrs = ("idx",)  # torch's node saves the indices

    @staticmethod
    def forward(ctx, a, dim, descending, k):
        if a.ndim == 0:
            ctx.shape, ctx.dim, ctx.idx = a.shape, None, None
            return a.copy(), np.zeros((), np.int64)
        idx = _order(a, dim, descending)
        if k is not None:
            idx = np.take(idx, np.arange(k), axis=dim)
        ctx.shape, ctx.dim, ctx.idx = a.shape, dim, idx
        return np.take_along_axis(a, idx, axis=dim), idx.astype(np.int64)

    @staticmethod
    def backward(ctx, g, g_idx=None):
        if ctx.dim is None:
            return g, None, None, None
        out = new_zeros(g, ctx.shape)
        np.put_along_axis(out, ctx.idx, g, axis=ctx.dim)
        return out, None, None, None


_sort_type = make_return("sort", ("values", "indices"))


def _sort_out(out, input, dim=-1, descending=False, stable=None):
    return with_outs(out, "sort", ("values", "indices"), sort, input, dim, descending, stable,
                     position=3 if stable is None else 4)  # out's place in torch's overload


@supports_out(handler=_sort_out)
def sort(input, dim: int = -1, descending: bool = False, stable=None, *, out=None):
    """Values and indices sorted along ``dim``; always stable (torch's CPU result too)."""
    if not isinstance(input, Tensor):
        raise argument_error(sort, locals())
    d = wrap_dim(dim, input.dim())
    if stable is None:
        return _sort_type(Sort.apply(input, d, descending, None))
    return _sort_type(Sort.apply(input, d, descending, None, name="SortBackward1"))


@supports_out("sort", rule="exact", overlap=None)
def msort(input, *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(msort, locals())
    return sort(input, 0).values


def _argsort_out(out, input, dim=-1, descending=False, stable=False):
    """Only the ``stable=`` overload has ``out=``; it is ``sort``'s indices."""
    if not stable:
        raise TypeError("argsort() received an invalid combination of arguments - got "
                        "(Tensor, out=Tensor), but expected one of:")
    if isinstance(out, Tensor) and out._data.dtype != np.int64:  # before autograd's check
        raise RULES["exact"](np.dtype(np.int64), out._data.dtype, "sort")
    return with_out(out, "sort", argsort, input, dim, descending, stable=stable, rule="exact",
                    overlap=None)


@supports_out(handler=_argsort_out)
def argsort(input, dim: int = -1, descending: bool = False, stable: bool = False, *,
            out=None):
    if not isinstance(input, Tensor):
        raise argument_error(argsort, locals())
    a = input._data
    if a.ndim == 0:
        wrap_dim(dim, 0)  # (dim 0 and -1 only)
        return _new_tensor(np.zeros((), np.int64))
    return _new_tensor(_order(a, wrap_dim(dim, a.ndim), descending).astype(np.int64))


_topk_type = make_return("topk", ("values", "indices"))


@supports_out(fields=("values", "indices"), position=5)
def topk(input, k: int, dim: int = -1, largest: bool = True, sorted: bool = True,  # noqa: A002
         *, out=None):
    if not isinstance(input, Tensor):
        raise argument_error(topk, locals())
    d = wrap_dim(dim, input.dim())
    size = input.shape[d] if input.dim() else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    if input._data.dtype == np.bool_:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    return _topk_type(Sort.apply(input, d, largest, k, name="TopkBackward0"))


class Unique(ArrayFunction):
    """values, inverse, counts = the distinct values of a (sorted; each NaN distinct, last), the
    index of each element of a in values, and how often each occurs. No derivative: torch
    records the node and its backward raises, and so does ours."""

    _backward_name = "Unique2Backward0"
    _aten = "_unique2"

    @staticmethod
    def forward(ctx, a, axis):
        # torch keeps every NaN distinct (NaN != NaN), in the order they occur: equal_nan=False,
        # and return_index=True, which makes NumPy sort stably
        values, _, inverse, counts = np.unique(a, return_index=True, return_inverse=True,
                                               return_counts=True, axis=axis, equal_nan=False)
        shape = a.shape if axis is None else (a.shape[axis],)
        return values, inverse.reshape(shape).astype(np.int64), counts.astype(np.int64)

    @classmethod
    def backward(cls, ctx, *grads):
        raise NotImplementedError(f"the derivative for '{cls._aten}' is not implemented.")


class UniqueDim(Unique):
    """``unique(dim=...)``: torch's node name and error for it."""

    _backward_name = "UniqueDimBackward0"
    _aten = "unique_dim"


def unique(input, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim=None):
    """The distinct values (sorted, as torch's CPU result always is), optionally with the index
    of each input element in them and the count of each; ``dim`` takes distinct slices."""
    if not isinstance(input, Tensor):
        raise argument_error(unique, locals(), "_unique2")
    if dim is None:
        values, inverse, counts = Unique.apply(input, None)
    else:
        values, inverse, counts = UniqueDim.apply(input, wrap_dim(dim, input.dim()))
    out = [values] + [inverse] * return_inverse + [counts] * return_counts
    return out[0] if len(out) == 1 else tuple(out)


class UniqueConsecutive(Unique):
    """values, inverse, counts = the first element of each run of equal consecutive elements
    (slices along ``axis``; NaN equals nothing, -0.0 equals 0.0), the run of each element of a,
    and the length of each run. No derivative (torch records the node; backward raises)."""

    _backward_name = "UniqueConsecutiveBackward0"
    _aten = "unique_consecutive"

    @staticmethod
    def forward(ctx, a, axis):
        if axis is None:
            rows, shape = a.reshape(-1, 1), a.shape
        else:
            n = a.shape[axis]
            rows, shape = np.moveaxis(a, axis, 0).reshape(n, a.size // n if n else 0), (n,)
        starts = np.concatenate([[True], (rows[1:] != rows[:-1]).any(axis=1)])[:len(rows)]
        first = np.flatnonzero(starts)
        values = a.ravel()[first] if axis is None else np.take(a, first, axis=axis)
        inverse = (np.cumsum(starts) - 1).reshape(shape)
        counts = np.diff(np.append(first, len(rows)))
        return values, inverse.astype(np.int64), counts.astype(np.int64)


def unique_consecutive(input: Tensor, return_inverse: bool = False, return_counts: bool = False,
                       dim=None):
    """``unique`` of each run of equal consecutive elements (or slices along ``dim``): the first
    of each run, optionally with the run of each input element and the length of each run."""
    check_tensor_input("unique_consecutive", input)
    a = input._data
    if dim is not None:
        if a.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        dim = wrap_dim(dim, a.ndim)
        if a.shape[dim] and not a.size:
            raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so "
                               "unique cannot be applied")
    values, inverse, counts = UniqueConsecutive.apply(input, dim)
    out = [values] + [inverse] * return_inverse + [counts] * return_counts
    return out[0] if len(out) == 1 else tuple(out)


# -- median, nanmedian, kthvalue, mode: one element picked per slice ------------------------------
# torch picks with C++ selection algorithms, and where a slice holds the picked value more than
# once, which of them its index names is that algorithm's: median's nth_element orders ties by
# position (a total order, so the index is the stable sort's), kthvalue's quickselect and
# mode's std::sort do not, so for those slices ours replays torch's algorithm on that slice.

def _rows(a: np.ndarray, dim: int) -> np.ndarray:
    """``a`` with ``dim`` moved last and the other dims flattened: one slice per row."""
    return np.moveaxis(a, dim, -1).reshape(-1, a.shape[dim])


def _unrows(idx: np.ndarray, shape: tuple, dim: int, keepdim: bool) -> np.ndarray:
    """The per-row indices back in the input's shape, without (or keeping) ``dim``."""
    rest = shape[:dim] + shape[dim + 1:]
    idx = idx.reshape(rest)
    return np.expand_dims(idx, dim) if keepdim else idx


def _gt_or_nan(x, y) -> bool:
    return (x != x and y == y) or x > y


def _torch_quickselect(row, k: int) -> int:
    """The position torch's ``quick_select_template`` (kthvalue) leaves at rank ``k`` of one
    slice: median-of-three quickselect with NaN largest, replayed swap for swap."""
    arr, pos = list(row), list(range(len(row)))

    def swap(i, j):
        arr[i], arr[j] = arr[j], arr[i]
        pos[i], pos[j] = pos[j], pos[i]

    lo, hi = 0, len(arr) - 1
    while hi > lo:
        if hi == lo + 1:
            if _gt_or_nan(arr[lo], arr[hi]):
                swap(lo, hi)
            break
        swap(lo + (hi - lo) // 2, lo + 1)
        if _gt_or_nan(arr[lo + 1], arr[hi]):
            swap(lo + 1, hi)
        if _gt_or_nan(arr[lo], arr[hi]):
            swap(lo, hi)
        if _gt_or_nan(arr[lo + 1], arr[lo]):
            swap(lo + 1, lo)
        i, j, pivot = lo + 1, hi, arr[lo]
        while True:
            i += 1
            while _gt_or_nan(pivot, arr[i]):
                i += 1
            j -= 1
            while _gt_or_nan(arr[j], pivot):
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(lo, j)
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1
    return pos[k]


def _kth_indices(rows: np.ndarray, k: int) -> np.ndarray:
    """Per row, the position of its k-th smallest (0-based, NaN largest) as torch picks it."""
    order = np.argsort(rows, axis=1, kind="stable")
    idx = order[:, k].copy()
    picked = np.take_along_axis(rows, idx[:, None], axis=1)
    same = (rows == picked) | (np.isnan(rows) & np.isnan(picked))
    for r in np.flatnonzero(same.sum(axis=1) > 1):  # a tie: replay torch's quickselect
        idx[r] = _torch_quickselect(rows[r].tolist(), k)
    return idx


def _median_indices(rows: np.ndarray, ignore_nan: bool) -> np.ndarray:
    """Per row, the median's position: rank (n - 1) // 2 in the stable order; with a NaN, the
    first NaN (``median``), or the median of the other values (``nanmedian``; an all-NaN row:
    position 0)."""
    n = rows.shape[1]
    order = np.argsort(rows, axis=1, kind="stable")  # NaNs last
    nan = np.isnan(rows)
    count = nan.sum(axis=1)
    if ignore_nan:
        rank = np.maximum(n - count - 1, 0) // 2
    else:
        rank = np.full(rows.shape[0], (n - 1) // 2)
    idx = np.take_along_axis(order, rank[:, None], axis=1)[:, 0]
    if not ignore_nan:
        idx = np.where(count > 0, np.argmax(nan, axis=1), idx)
    return idx


def _lt(x, y) -> bool:
    return x < y


def _lt_nan_last(x, y) -> bool:
    """torch's sort order: NaN after every number."""
    return (x == x and y != y) or x < y


def _std_sort_order(row: list, lt=_lt) -> list:
    """The positions of one slice in the order libstdc++'s ``std::sort`` leaves them, comparing
    values with ``lt`` (introsort: median-of-three partitions down to runs of 16, then one
    insertion sort). A slice that exhausts its depth limit (torch: heapsort) keeps the stable
    order there."""
    pos = list(range(len(row)))

    def less(i, j):
        return lt(row[pos[i]], row[pos[j]])

    def partition(first, last):
        mid = first + (last - first) // 2
        a, b, c = first + 1, mid, last - 1
        if less(a, b):
            m = b if less(b, c) else (c if less(a, c) else a)
        else:
            m = a if less(a, c) else (c if less(b, c) else b)
        pos[first], pos[m] = pos[m], pos[first]
        lo, hi = first + 1, last
        while True:  # (bounded here; std::sort relies on the median-of-three for that)
            while lo < last - 1 and less(lo, first):
                lo += 1
            hi -= 1
            while hi > first and less(first, hi):
                hi -= 1
            if not lo < hi:
                return lo
            pos[lo], pos[hi] = pos[hi], pos[lo]
            lo += 1

    def loop(first, last, depth):
        while last - first > 16:
            if depth == 0:
                pos[first:last] = sorted(pos[first:last],
                                         key=lambda p: (row[p] != row[p], row[p]))
                return
            depth -= 1
            cut = partition(first, last)
            loop(cut, last, depth)
            last = cut

    n = len(row)
    if n > 1:
        loop(0, n, 2 * (n.bit_length() - 1))
    for i in range(1, n):  # the final insertion sort (guarded by the first element up to 16)
        p, v = pos[i], row[pos[i]]
        if i < 16 and lt(v, row[pos[0]]):
            pos[1:i + 1] = pos[0:i]
            pos[0] = p
            continue
        j = i
        while j > 0 and lt(v, row[pos[j - 1]]):
            pos[j] = pos[j - 1]
            j -= 1
        pos[j] = p
    return pos


def torch_sort_order(rows: np.ndarray) -> np.ndarray:
    """Per row, the order torch's (unstable) CPU sort gives: the stable order where that is the
    same (rows of at most 16, and rows without ties), else std::sort replayed on the row."""
    order = np.argsort(rows, axis=-1, kind="stable")
    if rows.shape[-1] <= 16:
        return order
    s = np.take_along_axis(rows, order, axis=-1)
    tied = (s[..., 1:] == s[..., :-1]) | (np.isnan(s[..., 1:]) & np.isnan(s[..., :-1]))
    flat, flat_order = rows.reshape(-1, rows.shape[-1]), order.reshape(-1, rows.shape[-1])
    for r in np.flatnonzero(tied.reshape(flat.shape[0], -1).any(axis=1)):
        flat_order[r] = _std_sort_order(flat[r].tolist(), _lt_nan_last)
    return flat_order.reshape(order.shape)


def _mode_of_sorted(values: list, positions: list):
    """torch's scan over a sorted slice: the value of the first longest run of equal values
    and the position of that run's last element."""
    best, best_i, run = 0, 0, 0
    for i in range(len(values)):
        run += 1
        if i == len(values) - 1 or values[i] != values[i + 1]:
            if run > best:
                best, best_i = run, i
            run = 0
    return positions[best_i]


def _mode_indices(rows: np.ndarray) -> np.ndarray:
    """Per row, the position of its mode as torch's CPU kernel picks it (see _std_sort_order):
    whole-array for rows of at most 16 values without NaN (there std::sort is an insertion
    sort, so the stable order), replayed per row otherwise."""
    n = rows.shape[1]
    order = np.argsort(rows, axis=1, kind="stable")
    s = np.take_along_axis(rows, order, axis=1)
    at = np.arange(n)
    new_run = np.ones(s.shape, bool)
    new_run[:, 1:] = s[:, 1:] != s[:, :-1]
    ends = np.ones(s.shape, bool)
    ends[:, :-1] = new_run[:, 1:]
    first = np.maximum.accumulate(np.where(new_run, at, 0), axis=1)
    length = np.where(ends, at - first + 1, 0)
    pick = np.argmax(length, axis=1)  # the first longest run: the smallest such value
    idx = order[np.arange(rows.shape[0]), pick]
    replay = np.isnan(rows).any(axis=1) if n <= 16 else np.ones(rows.shape[0], bool)
    if rows.dtype.kind != "f" and n <= 16:
        replay[:] = False
    for r in np.flatnonzero(replay):
        row = rows[r].tolist()
        pos = _std_sort_order(row)
        idx[r] = _mode_of_sorted([row[p] for p in pos], pos)
    return idx


class SelectAlongDim(ArrayFunction):
    """values, indices = the element of each slice along ``dim`` that ``pick`` chooses (the
    median, the k-th smallest, the mode) and its position.
    dL/da = g at that position, 0 elsewhere."""

    _backward_name = "MedianBackward1"
    _saved_attrs = ("idx",)  # torch's node saves the indices

    @staticmethod
    def forward(ctx, a, dim, keepdim, pick):
        ctx.shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        if a.ndim == 0:
            ctx.idx = np.zeros((), np.int64)
            return a.copy(), ctx.idx
        rows = _rows(_values(a), dim)  # the position is picked from the values alone
        idx = _unrows(pick(rows).astype(np.int64), a.shape, dim, True)
        values = np.take_along_axis(a, idx, axis=dim)
        ctx.idx = idx
        if not keepdim:
            values, idx = values.squeeze(dim), idx.squeeze(dim)
        return values, idx

    @staticmethod
    def backward(ctx, g, g_idx=None):
        out = new_zeros(g, ctx.shape)
        if not ctx.shape:  # torch's zeros.scatter(0, index, g), a 0-d ScatterBackward0
            return scatter_(out, 0, ctx.idx, g), None, None, None
        if not ctx.keepdim:
            g = np.expand_dims(g, ctx.dim)
        np.put_along_axis(out, ctx.idx, g, axis=ctx.dim)
        return out, None, None, None


class MedianAll(ArrayFunction):
    """out = the lower median of all elements (NaN if any is NaN; ``nanmedian``: of those that
    are not NaN).
    dL/da = g / k at each of the k elements equal to it (NaN: at the NaNs), 0 elsewhere."""

    _backward_name = "MedianBackward0"

    @staticmethod
    def forward(ctx, a, ignore_nan):
        flat = a.reshape(-1)
        nan = np.isnan(flat) if a.dtype.kind == "f" else np.zeros(flat.shape, bool)
        if ignore_nan:
            flat = flat[~nan]
        n = flat.size
        if n == 0 or (not ignore_nan and nan.any()):
            out = np.array(np.nan if a.dtype.kind == "f" else 0, a.dtype)
        else:
            out = np.asarray(np.partition(flat, (n - 1) // 2)[(n - 1) // 2])
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        # torch's evenly_distribute_backward: zeros.masked_fill_(mask, grad / mask.sum())
        return _distribute_evenly(g, *ctx.saved_tensors), None


_RETURNS = {n: make_return(n, ("values", "indices"))
            for n in ("median", "nanmedian", "kthvalue", "mode")}


def _check_selectable(name: str, input, dim, kernel: str) -> int:
    """The wrapped dim, after torch's checks: bool inputs (no kernel but mode's), a reduced dim
    of size 0."""
    a = input._data
    if a.dtype == np.bool_ and kernel:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    d = wrap_dim(dim, a.ndim)
    if a.ndim and a.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return d


def _median(name: str, input, dim, keepdim, ignore_nan: bool):
    a = input._data
    if dim is None:
        if a.dtype == np.bool_:
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for 'Bool'".replace(
                "nanmedian_cpu", "median_cpu"))
        node = "NanmedianBackward0" if ignore_nan else None
        return MedianAll.apply(input, ignore_nan, name=node)
    d = _check_selectable("median", input, dim, "median_out")  # nanmedian's message too
    node = "NanmedianBackward1" if ignore_nan else None
    res = SelectAlongDim.apply(input, d, bool(keepdim),
                               lambda rows: _median_indices(rows, ignore_nan), name=node)
    return _RETURNS[name](res)


def _selection_out(name: str, fn, out, args: tuple, rules: tuple, position: int,
                   kept_dim=None):
    """``out=(values, indices)`` with the dtype messages torch's kernel for ``name`` gives
    (median and nanmedian check the indices first; ``kept_dim``: see ``with_outs``)."""
    if name == "median" and isinstance(out, (tuple, list)) and len(out) == 2 \
            and all(isinstance(o, Tensor) for o in out):
        error = RULES["median_indices"](np.dtype(np.int64), out[1]._data.dtype, name)
        if error is not None:
            raise error
    return with_outs(out, fn.__name__, ("values", "indices"), fn, *args, rules=rules,
                     position=position, kept_dim=kept_dim)


def _median_out(out, input, dim=None, keepdim=False):
    if dim is None:  # torch has no out= overload without dim
        raise TypeError('median() missing 1 required positional arguments: "dim"')
    return _selection_out("median", median, out, (input, dim, keepdim),
                          ("median_values", "median_indices"), 3)


@supports_out(handler=_median_out)
def median(input, dim=None, keepdim: bool = False, *, out=None):
    """``median(x)``: the lower median of all elements (NaN if there is a NaN);
    ``median(x, dim)``: ``(values, indices)`` per slice along ``dim``, the index of a NaN if
    the slice holds one."""
    if not isinstance(input, Tensor):
        raise argument_error(median, locals())
    return _median("median", input, dim, keepdim, False)


def _nanmedian_out(out, input, dim=None, keepdim=False):
    if dim is None:
        raise TypeError('nanmedian() missing 1 required positional arguments: "dim"')
    return _selection_out("median", nanmedian, out, (input, dim, keepdim),
                          ("median_values", "median_indices"), 3)


@supports_out(handler=_nanmedian_out)
def nanmedian(input, dim=None, keepdim: bool = False, *, out=None):
    """``median`` of the values that are not NaN (NaN where a slice holds nothing else)."""
    if not isinstance(input, Tensor):
        raise argument_error(nanmedian, locals())
    return _median("nanmedian", input, dim, keepdim, True)


def _kept_dim(input, dim, keepdim):
    """The dim torch's kthvalue and mode keep in ``out`` while resizing it (see ``_store``)."""
    if keepdim or not isinstance(input, Tensor) or input._data.ndim == 0:
        return None
    return wrap_dim(dim, input._data.ndim)


def _kthvalue_out(out, input, k, dim=-1, keepdim=False):
    kept = _kept_dim(input, dim, keepdim)
    return _selection_out("kthvalue", kthvalue, out, (input, k, dim, keepdim),
                          ("kthvalue_values", "kthvalue_indices"), 4, kept)


@supports_out(handler=_kthvalue_out)
def kthvalue(input, k: int, dim: int = -1, keepdim: bool = False, *, out=None):
    """``(values, indices)``: the k-th smallest element (k from 1; NaN counts as the largest)
    of each slice along ``dim`` and its position."""
    if not isinstance(input, Tensor):
        raise argument_error(kthvalue, locals())
    d = _check_selectable("kthvalue", input, dim, "kthvalue_cpu")
    size = input._data.shape[d] if input._data.ndim else 1
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    res = SelectAlongDim.apply(input, d, bool(keepdim), lambda rows: _kth_indices(rows, k - 1),
                               name="KthvalueBackward0")
    return _RETURNS["kthvalue"](res)


def _mode_out(out, input, dim=-1, keepdim=False):
    return _selection_out("mode", mode, out, (input, dim, keepdim),
                          ("mode_values", "mode_indices"), 3, _kept_dim(input, dim, keepdim))


@supports_out(handler=_mode_out)
def mode(input, dim: int = -1, keepdim: bool = False, *, out=None):
    """``(values, indices)``: the most frequent value of each slice along ``dim`` (the smallest
    of equally frequent ones) and a position where it occurs (see ``_mode_indices``)."""
    if not isinstance(input, Tensor):
        raise argument_error(mode, locals())
    d = _check_selectable("mode", input, dim, "")
    res = SelectAlongDim.apply(input, d, bool(keepdim), _mode_indices, name="ModeBackward0")
    return _RETURNS["mode"](res)
