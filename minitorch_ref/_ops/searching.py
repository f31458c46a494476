"""Searching sorted sequences and sets: ``searchsorted``, ``bucketize``, ``isin``.

Their results are indices or booleans, which never join the graph (torch gives them no
derivative: an input that requires grad gives a result that does not), so they are plain
functions over the arrays. Where the inputs' dtypes differ, both are compared in torch's
promoted dtype.
"""
from __future__ import annotations

import numpy as np

from .. import _dtype
from .._names import scalar_type_name, shape_str
from ._util import Tensor, _new_tensor, promote
from .out import RULES, supports_out, with_out

__all__ = ["searchsorted", "bucketize", "isin"]


# -- searchsorted, bucketize -----------------------------------------------------------------------

def _binary_search(rows: np.ndarray, values: np.ndarray, right: bool,
                   sorter: np.ndarray | None) -> np.ndarray:
    """For each row of ``values`` (R, m), the insertion point in the same row of ``rows`` (R, n)
    (a single row serves every row of values), found by torch's binary search, all at once:
    left, ``start`` moves past ``mid`` while not ``rows[mid] >= v``; right, while not
    ``rows[mid] > v``. Written with ``not``, so that a NaN (in either) compares as torch's
    does: a NaN value lands at the end, a NaN in ``rows`` sends the search right."""
    n = rows.shape[-1]
    start = np.zeros(values.shape, np.int64)
    end = np.full(values.shape, n, np.int64)
    active = start < end
    while active.any():
        mid = start + ((end - start) >> 1)
        at = np.minimum(mid, n - 1)  # (finished searches may point one past the end)
        if sorter is not None:
            at = np.take_along_axis(np.broadcast_to(sorter, (values.shape[0], n)), at, axis=-1)
        mid_val = np.take_along_axis(np.broadcast_to(rows, (values.shape[0], n)), at, axis=-1)
        go_right = ~(mid_val > values) if right else ~(mid_val >= values)
        start = np.where(active & go_right, mid + 1, start)
        end = np.where(active & ~go_right, mid, end)
        active = start < end
    return start


def _searchsorted_checks(boundaries: Tensor, input, right: bool, side, sorter) -> bool:
    """torch's checks, in its order; returns whether to search from the right."""
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError("torch.searchsorted(): side can only be 'left' or 'right' but got "
                               f"{side}")
        if right and side != "right":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, "
                               f"got side of {side} while right was True")
    b = boundaries._data
    if sorter is not None:
        s = sorter._data
        if s.shape != b.shape:
            raise RuntimeError("torch.searchsorted(): boundary and sorter must have the same "
                               f"size, but got boundary tensor {shape_str(b.shape)}and got "
                               f"sorter tensor {shape_str(s.shape)}")
        if s.dtype != np.int64:
            raise RuntimeError("torch.searchsorted(): sorter must be a tensor of long dtype but "
                               f"got dtype {scalar_type_name(s.dtype)}")
        if s.size and (s.min() < 0 or s.max() >= s.shape[-1]):
            raise RuntimeError("torch.searchsorted(): sorter index out of range")
    shape = np.shape(input._data) if isinstance(input, Tensor) else ()
    if len(shape) == 0 and b.ndim != 1:
        raise RuntimeError("torch.searchsorted(): input value can be a scalar only when "
                           f"boundaries tensor dimension is 1, but we got boundaries tensor "
                           f"dim({b.ndim}) and input value's dim(0) numel(1)")
    if b.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive "
                           "dimension, but got 0 dimension")
    if b.ndim != 1 and (len(shape) != b.ndim or shape[:-1] != b.shape[:-1]):
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            "dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {shape_str(b.shape)} and input value tensor {shape_str(shape)}")
    return right or side == "right"


def _searchsorted_out(out, sorted_sequence, input, *, out_int32=False, right=False, side=None,
                      sorter=None):
    return with_out(out, "searchsorted", searchsorted, sorted_sequence, input,
                    out_int32=out_int32, right=right, side=side, sorter=sorter,
                    rule="searchsorted", differentiable=None, overlap=None)


def _searchsorted_dtype(res, out, op):
    """``out``'s dtype must be the result's (int64, or int32 with ``out_int32``)."""
    if res == out:
        return None
    return RuntimeError(
        "torch.searchsorted(): output tensor's dtype is wrong, it can only be Int(int32) or "
        "Long(int64) depending on whether out_int32 flag is True, but we got output tensor's "
        f"dtype {scalar_type_name(out)} and out_int32 flag is {res == np.int32}")


RULES["searchsorted"] = _searchsorted_dtype


@supports_out(handler=_searchsorted_out)
def searchsorted(sorted_sequence: Tensor, input, *, out_int32: bool = False,
                 right: bool = False, side: str | None = None, sorter: Tensor | None = None,
                 out: Tensor | None = None) -> Tensor:
    """For each value of ``input``, the index in the last dim of ``sorted_sequence`` where it
    would be inserted to keep that dim sorted: before equal elements (``side='left'``, the
    default), or after them (``right=True`` or ``side='right'``). ``sorted_sequence`` is 1-D
    (searched for every value) or has ``input``'s leading dims (one row per row of input).
    ``sorter`` holds the indices that sort an unsorted ``sorted_sequence``. Result int64
    (``out_int32``: int32)."""
    return _searchsorted(sorted_sequence, input, out_int32, right, side, sorter)


def _searchsorted(boundaries, input, out_int32, right, side, sorter) -> Tensor:
    if not isinstance(boundaries, Tensor) or not isinstance(input, (Tensor, int, float, bool)):
        raise _invalid("searchsorted", (boundaries, input), out_int32=out_int32, right=right,
                       side=side, sorter=sorter)
    _dtype.check_int_scalar(input)
    right = _searchsorted_checks(boundaries, input, right, side, sorter)
    b, v = promote(boundaries._data, input._data if isinstance(input, Tensor) else input)
    v = np.asarray(v, b.dtype)
    if b.dtype == np.bool_:
        raise NotImplementedError("\"searchsorted_out_cpu\" not implemented for 'Bool'")
    dtype = np.int32 if out_int32 else np.int64
    if b.shape[-1] == 0 or v.size == 0:  # nothing to search, or nothing to search for
        return _new_tensor(np.zeros(v.shape, dtype))
    rows = b.reshape(-1, b.shape[-1])
    values = v.reshape(rows.shape[0] if b.ndim > 1 else 1, -1)
    s = None if sorter is None else sorter._data.reshape(rows.shape)
    return _new_tensor(_binary_search(rows, values, right, s).reshape(v.shape).astype(dtype))


def _kind(x) -> str:
    return "Tensor" if isinstance(x, Tensor) else type(x).__name__


def _invalid(fn: str, args: tuple, **keywords) -> TypeError:
    """torch's argument-parser error when no signature matches: the types given, keywords (those
    not at their defaults: we cannot tell which were written) as ``name=type``."""
    given = [_kind(a) for a in args] + [f"{k}={_kind(v)}" for k, v in keywords.items()
                                        if v is not None and v is not False]
    return TypeError(f"{fn}() received an invalid combination of arguments - got "
                     f"({', '.join(given)}), but expected one of:")


def _bucketize_out(out, input, boundaries, *, out_int32=False, right=False):
    if not isinstance(input, Tensor):  # (torch's overload for a number has no out=)
        raise _invalid("bucketize", (input, boundaries), out_int32=out_int32, right=right,
                       out=out)
    return with_out(out, "bucketize", bucketize, input, boundaries, out_int32=out_int32,
                    right=right, rule="searchsorted", differentiable=None, overlap=None)


@supports_out(handler=_bucketize_out)
def bucketize(input, boundaries: Tensor, *, out_int32: bool = False, right: bool = False,
              out: Tensor | None = None) -> Tensor:
    """The bucket of each value of ``input`` among the 1-D, sorted ``boundaries``: i with
    boundaries[i-1] < x <= boundaries[i] (``right=True``: boundaries[i-1] <= x <
    boundaries[i]); ``searchsorted(boundaries, input, right=right)``."""
    if not isinstance(boundaries, Tensor) or not isinstance(input, (Tensor, int, float, bool)):
        raise _invalid("bucketize", (input, boundaries), out_int32=out_int32, right=right)
    _dtype.check_int_scalar(input)
    if boundaries.dim() != 1:
        raise RuntimeError(
            f"boundaries tensor must be 1 dimension, but got dim({boundaries.dim()})")
    return _searchsorted(boundaries, input, out_int32, right, None, None)


# -- isin ------------------------------------------------------------------------------------------

def _isin_sorting(e: np.ndarray, t: np.ndarray, assume_unique: bool,
                  invert: bool) -> np.ndarray:
    """torch's sort-based isin: the elements (unique, unless ``assume_unique``) and the test
    elements in one stable sort; an element is in the test set where its right neighbour in
    that order equals it. (With ``assume_unique`` and repeated values this answers as torch's
    does, which is not membership.)"""
    if assume_unique:
        ef, inverse = e.ravel(), None
    else:
        ef, inverse = np.unique(e, return_inverse=True)
        t = np.unique(t)
    both = np.concatenate([ef, t.ravel()])
    order = np.argsort(both, kind="stable")
    s = both[order]
    dup = np.append(s[1:] != s[:-1] if invert else s[1:] == s[:-1], invert)
    mask = np.empty_like(dup)
    mask[order] = dup
    return mask[:e.size] if inverse is None else mask[inverse.ravel()]


def _isin_out(out, elements, test_elements, *, assume_unique=False, invert=False):
    return with_out(out, "isin", isin, elements, test_elements, assume_unique=assume_unique,
                    invert=invert, rule="exact", differentiable=None, overlap=None)


@supports_out(handler=_isin_out)
def isin(elements, test_elements, *, assume_unique: bool = False, invert: bool = False,
         out: Tensor | None = None) -> Tensor:
    """Whether each of ``elements`` is among ``test_elements`` (any shape; either may be a
    number), as a bool tensor of ``elements``' shape; ``invert``: whether it is not. NaN is in
    no set. ``assume_unique`` lets torch skip making both sets unique (see
    ``_isin_sorting``)."""
    if not (isinstance(elements, Tensor) or isinstance(test_elements, Tensor)) \
            or not isinstance(elements, (Tensor, int, float, bool)) \
            or not isinstance(test_elements, (Tensor, int, float, bool)):
        raise _invalid("isin", (elements, test_elements), assume_unique=assume_unique,
                       invert=invert)
    _dtype.check_int_scalar(elements)
    _dtype.check_int_scalar(test_elements)
    e, t = (x._data if isinstance(x, Tensor) else np.asarray(x) for x in (elements, test_elements))
    for x in (e, t):
        if x.dtype == np.bool_:
            raise RuntimeError("Unsupported input type encountered for isin(): Bool")
    e, t = promote(*(x._data if isinstance(x, Tensor) else x
                     for x in (elements, test_elements)))
    e, t = np.asarray(e), np.asarray(t, np.asarray(e).dtype)
    if e.size == 0:
        res = np.zeros(e.shape, np.bool_)
    elif t.size < int(10.0 * e.size ** 0.145):  # torch's (NumPy's) choice of algorithm
        res = (e.reshape(-1, 1) == t.reshape(1, -1)).any(axis=1) ^ invert
    else:
        res = _isin_sorting(e, t, assume_unique, invert)
    return _new_tensor(np.asarray(res, np.bool_).reshape(e.shape))
