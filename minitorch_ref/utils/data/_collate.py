"""default_collate / default_convert: turning a list of samples into one batch, torch's rules.

``collate(batch)`` looks at the first sample and recurses into containers:

=================================  ===================================================
first sample                       result
=================================  ===================================================
Tensor                             ``stack(batch, 0)`` (ragged sizes: stack's error)
NumPy array (numeric)              each ``as_tensor``, then stacked
NumPy scalar                       ``as_tensor(batch)``
``float``                          float64 tensor (not the default dtype: torch's rule)
``int`` (and ``bool``)             ``tensor(batch)``: int64 (bool)
``str`` / ``bytes``                the list unchanged
Mapping                            same mapping type, each key collated
namedtuple                         same namedtuple, each field collated
tuple / other Sequence             a **list** for tuples (torch keeps that for backward
                                   compatibility), the same type for lists; each
                                   position collated; unequal lengths raise
anything else                      TypeError
=================================  ===================================================

``default_collate_fn_map`` is the type -> function table behind the leaves; users may extend it
as in torch.
"""
from __future__ import annotations

import collections.abc
import copy
import re
from typing import Callable

import numpy as np

from ..._tensor import Tensor

__all__ = ["collate", "default_collate", "default_convert", "default_collate_fn_map",
           "default_collate_err_msg_format"]

# NumPy dtypes that hold strings or objects: never turned into tensors
_np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}")


def _rebuild_mapping(like, parts: dict):
    """A mapping of ``like``'s kind holding ``parts``.

    A mutable mapping is shallow-copied and updated, so OrderedDict, defaultdict (with its
    factory) and user subclasses keep their type and extra state; an immutable one is rebuilt
    from the dict. When the type refuses either (TypeError), the plain dict is the result.
    """
    try:
        if isinstance(like, collections.abc.MutableMapping):
            rebuilt = copy.copy(like)
            rebuilt.update(parts)
            return rebuilt
        return type(like)(parts)
    except TypeError:
        return parts


def _rebuild_sequence(like, parts: list):
    """A sequence of ``like``'s kind holding ``parts``, position by position.

    Same policy as ``_rebuild_mapping``: a mutable sequence is copied and overwritten slot by
    slot, another one is built from the list, and the plain list is kept when that fails.
    """
    try:
        if isinstance(like, collections.abc.MutableSequence):
            rebuilt = copy.copy(like)
            for slot, value in enumerate(parts):
                rebuilt[slot] = value
            return rebuilt
        return type(like)(parts)
    except TypeError:
        return parts


def _is_namedtuple(obj) -> bool:
    return isinstance(obj, tuple) and hasattr(obj, "_fields")


def _holds_text(array) -> bool:
    """True for NumPy arrays of strings, bytes or objects: those never become tensors."""
    return _np_str_obj_array_pattern.search(array.dtype.str) is not None


def default_convert(data):
    """Turn NumPy arrays (inside containers too) into tensors; leave everything else.

    What the DataLoader applies to each sample when automatic batching is off
    (``batch_size=None``). Containers are walked as in ``collate`` (mappings keep their type,
    namedtuples stay namedtuples, other tuples become lists); NumPy scalars become 0-d tensors
    of their own dtype; text and object arrays, Python numbers and strings pass through.
    """
    from ... import as_tensor
    kind = type(data)
    if isinstance(data, Tensor):
        return data
    if kind.__module__ == "numpy" and kind.__name__ not in ("str_", "string_"):
        if kind is np.ndarray and _holds_text(data):
            return data
        # scalars go through a 0-d array, which keeps their dtype (np.int16 stays int16)
        return as_tensor(np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_mapping(data, {key: default_convert(data[key]) for key in data})
    if _is_namedtuple(data):
        return kind(*map(default_convert, data))
    if isinstance(data, tuple):
        return list(map(default_convert, data))
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild_sequence(data, list(map(default_convert, data)))
    return data


_NO_KEY = object()


def _leaf_key(first, table: dict):
    """The key of ``table`` that handles ``first``: its exact type, else the first key (in the
    table's order) that ``first`` is an instance of; ``_NO_KEY`` when there is none."""
    if type(first) in table:
        return type(first)
    return next((key for key in table if isinstance(first, key)), _NO_KEY)


def collate(batch, *, collate_fn_map: dict | None = None):
    """Collate ``batch`` (a list of samples): leaves through ``collate_fn_map``, containers
    recursively (see the table in this module's docstring).

    The first sample decides. A type listed in ``collate_fn_map`` (exactly, else through
    ``isinstance`` in the table's order) is handed to its function; a mapping collates each of
    the first sample's keys across the batch; a sequence is transposed (all samples must have
    the first one's length) and each position collated. Anything else is a TypeError.
    """
    first = batch[0]

    def again(samples):
        return collate(samples, collate_fn_map=collate_fn_map)

    if collate_fn_map is not None:
        key = _leaf_key(first, collate_fn_map)
        if key is not _NO_KEY:
            return collate_fn_map[key](batch, collate_fn_map=collate_fn_map)
    if isinstance(first, collections.abc.Mapping):
        return _rebuild_mapping(first, {key: again([s[key] for s in batch]) for key in first})
    if _is_namedtuple(first):
        return type(first)(*map(again, zip(*batch)))
    if isinstance(first, collections.abc.Sequence):
        width = len(first)
        if any(len(sample) != width for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [again(column) for column in zip(*batch)]
        if isinstance(first, tuple):
            return columns  # torch returns a list here, kept for backward compatibility
        return _rebuild_sequence(first, columns)
    raise TypeError(default_collate_err_msg_format.format(type(first)))


def collate_tensor_fn(batch, *, collate_fn_map: dict | None = None):
    from ... import stack
    return stack(batch, 0)


def collate_numpy_array_fn(batch, *, collate_fn_map: dict | None = None):
    from ... import as_tensor
    if _holds_text(batch[0]):
        raise TypeError(default_collate_err_msg_format.format(batch[0].dtype))
    return collate(list(map(as_tensor, batch)), collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map: dict | None = None):
    from ... import as_tensor
    # via one ndarray: it keeps the scalars' dtype (np.int16 stays int16), as torch does
    return as_tensor(np.asarray(batch))


def collate_float_fn(batch, *, collate_fn_map: dict | None = None):
    from ... import as_tensor
    # float64, not the default dtype (torch's rule); built in float64 directly so that no digit
    # of the Python floats is lost on the way
    return as_tensor(np.asarray(batch, dtype=np.float64))


def collate_int_fn(batch, *, collate_fn_map: dict | None = None):
    from ... import tensor
    return tensor(batch)


def collate_str_fn(batch, *, collate_fn_map: dict | None = None):
    return batch


default_collate_fn_map: dict[type | tuple, Callable] = {
    Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def default_collate(batch):
    """Stack a list of samples into a batch with torch's rules (see the module docstring):
    ``default_collate([(x0, 0), (x1, 1)])`` is ``[stack([x0, x1]), tensor([0, 1])]``."""
    return collate(batch, collate_fn_map=default_collate_fn_map)
