"""Writing a source tensor of another dtype through an index, against torch (2.13).

``index_put_``/``index_put`` and ``t[index] = src`` with an advanced index (index tensors, lists,
masks, a bool inside a tuple) refuse a source of another dtype: ``RuntimeError: Index put
requires the source and destination dtypes match, got Float for the destination and Double for
the source.``, after the index's own errors and the shape check, before the range check of the
index values. Except: a one-element source through a lone boolean mask, not accumulating, is
torch's ``masked_fill_(mask, src.item())``: converted, with the number's range check. A basic
index (ints, slices, None, Ellipsis, a lone True or False, a 0-d integer tensor) writes through
a view with ``copy_``, which converts; so does ``t[index] = src`` when ``src`` has leading dims
of size 1, which it drops (``index_put_`` does not). index_copy, index_add, index_reduce,
scatter, scatter_add, scatter_reduce, masked_scatter and put_ have their own dtype errors. We
converted silently."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt


def _setitem(x, index, value):
    x[index] = value
    return x


def _idx(T):
    return T.tensor([0, 2])


def _mask(T):
    return T.tensor([True, False, True, False])


# (name, fn(T, dst dtype, src dtype)); each writes ones of the source dtype
ENTRY_POINTS = {
    "index_put_": lambda T, d, s: T.zeros(4, dtype=d).index_put_((_idx(T),), T.ones(2, dtype=s)),
    "index_put": lambda T, d, s: T.zeros(4, dtype=d).index_put((_idx(T),), T.ones(2, dtype=s)),
    "torch.index_put": lambda T, d, s: T.index_put(T.zeros(4, dtype=d), (_idx(T),),
                                                   T.ones(2, dtype=s)),
    "index_put_ accumulate": lambda T, d, s: T.zeros(4, dtype=d).index_put_(
        (_idx(T),), T.ones(2, dtype=s), accumulate=True),
    "index_put_ mask": lambda T, d, s: T.zeros(4, dtype=d).index_put_((_mask(T),),
                                                                       T.ones(2, dtype=s)),
    "index_put_ mask 1 element": lambda T, d, s: T.zeros(4, dtype=d).index_put_(
        (_mask(T),), T.ones((), dtype=s)),
    "index_put_ mask 1 element accumulate": lambda T, d, s: T.zeros(4, dtype=d).index_put_(
        (_mask(T),), T.ones((), dtype=s), accumulate=True),
    "index_put_ 0-d mask": lambda T, d, s: T.zeros(4, dtype=d).index_put_(
        (T.tensor(True),), T.ones((), dtype=s)),
    "index_put_ empty": lambda T, d, s: T.zeros(4, dtype=d).index_put_(
        (T.tensor([], dtype=T.int64),), T.ones(0, dtype=s)),
    "index_put_ out of range": lambda T, d, s: T.zeros(4, dtype=d).index_put_(
        (T.tensor([9]),), T.ones(1, dtype=s)),
    "index_put_ bad shape": lambda T, d, s: T.zeros(4, dtype=d).index_put_(
        (_idx(T),), T.ones(3, dtype=s)),
    "index_put_ too many": lambda T, d, s: T.zeros(4, dtype=d).index_put_(
        (_idx(T), _idx(T)), T.ones(2, dtype=s)),
    "index_put_ bad mask": lambda T, d, s: T.zeros(4, dtype=d).index_put_(
        (T.tensor([True, False]),), T.ones((), dtype=s)),
    "setitem tensor": lambda T, d, s: _setitem(T.zeros(4, dtype=d), _idx(T), T.ones(2, dtype=s)),
    "setitem list": lambda T, d, s: _setitem(T.zeros(4, dtype=d), [0, 2], T.ones(2, dtype=s)),
    "setitem 0-d source": lambda T, d, s: _setitem(T.zeros(4, dtype=d), _idx(T),
                                                   T.ones((), dtype=s)),
    "setitem broadcast": lambda T, d, s: _setitem(T.zeros(4, 3, dtype=d), _idx(T),
                                                  T.ones(3, dtype=s)),
    "setitem slice, tensor": lambda T, d, s: _setitem(T.zeros(3, 4, dtype=d),
                                                      (slice(None), _idx(T)),
                                                      T.ones(3, 2, dtype=s)),
    "setitem int, tensor": lambda T, d, s: _setitem(T.zeros(3, 4, dtype=d), (1, _idx(T)),
                                                    T.ones(2, dtype=s)),
    "setitem ellipsis, tensor": lambda T, d, s: _setitem(T.zeros(3, 4, dtype=d),
                                                         (Ellipsis, _idx(T)), T.ones(2, dtype=s)),
    "setitem None, tensor": lambda T, d, s: _setitem(T.zeros(4, dtype=d), (None, _idx(T)),
                                                     T.ones(2, dtype=s)),
    "setitem mask": lambda T, d, s: _setitem(T.zeros(4, dtype=d), _mask(T), T.ones(2, dtype=s)),
    "setitem mask rows": lambda T, d, s: _setitem(T.zeros(4, 3, dtype=d), _mask(T),
                                                  T.ones(3, dtype=s)),
    "setitem list of bools": lambda T, d, s: _setitem(T.zeros(4, dtype=d),
                                                      [True, False, True, False],
                                                      T.ones(2, dtype=s)),
    "setitem empty mask": lambda T, d, s: _setitem(T.zeros(4, dtype=d), T.zeros(4, dtype=T.bool),
                                                   T.ones(0, dtype=s)),
    "setitem two masks, 1 element": lambda T, d, s: _setitem(
        T.zeros(4, 4, dtype=d), (_mask(T), _mask(T)), T.ones((), dtype=s)),
    "setitem mask, tensor, 1 element": lambda T, d, s: _setitem(
        T.zeros(4, 4, dtype=d), (_mask(T), _idx(T)), T.ones((), dtype=s)),
    "setitem (True,)": lambda T, d, s: _setitem(T.zeros(4, dtype=d), (True,), T.ones(4, dtype=s)),
    "setitem (False,)": lambda T, d, s: _setitem(T.zeros(4, dtype=d), (False,),
                                                 T.ones(4, dtype=s)),
    "setitem True, tensor": lambda T, d, s: _setitem(T.zeros(4, dtype=d), (True, _idx(T)),
                                                     T.ones(2, dtype=s)),
    "setitem 0-d bool tensor": lambda T, d, s: _setitem(T.zeros(4, dtype=d), T.tensor(True),
                                                        T.ones((), dtype=s)),
    "setitem out of range": lambda T, d, s: _setitem(T.zeros(4, dtype=d), T.tensor([9]),
                                                     T.ones(1, dtype=s)),
    "setitem bad shape, out of range": lambda T, d, s: _setitem(
        T.zeros(4, dtype=d), T.tensor([9, 9]), T.ones(3, dtype=s)),
    "setitem index tensors that do not broadcast": lambda T, d, s: _setitem(
        T.zeros(4, 4, dtype=d), (_idx(T), T.tensor([0, 1, 2])), T.ones(2, dtype=s)),
    # converted: a one-element source through a lone mask (masked_fill_), a basic index (copy_)
    "setitem mask, 1 element": lambda T, d, s: _setitem(T.zeros(4, dtype=d), _mask(T),
                                                        T.ones(1, dtype=s)),
    "setitem mask, 0-d": lambda T, d, s: _setitem(T.zeros(4, dtype=d), _mask(T),
                                                  T.ones((), dtype=s)),
    "setitem int, mask, 0-d": lambda T, d, s: _setitem(T.zeros(4, 4, dtype=d), (1, _mask(T)),
                                                       T.ones((), dtype=s)),
    "setitem mask rows, 0-d": lambda T, d, s: _setitem(T.zeros(4, 3, dtype=d), _mask(T),
                                                       T.ones((), dtype=s)),
    "setitem 2-d mask, 0-d": lambda T, d, s: _setitem(
        T.zeros(2, 2, dtype=d), T.tensor([[True, False], [False, True]]), T.ones((), dtype=s)),
    "setitem bad mask, 0-d": lambda T, d, s: _setitem(T.zeros(4, dtype=d),
                                                      T.tensor([True, False]),
                                                      T.ones((), dtype=s)),
    "setitem slice": lambda T, d, s: _setitem(T.zeros(4, dtype=d), slice(0, 2),
                                              T.ones(2, dtype=s)),
    "setitem int": lambda T, d, s: _setitem(T.zeros(4, dtype=d), 1, T.ones((), dtype=s)),
    "setitem True": lambda T, d, s: _setitem(T.zeros(4, dtype=d), True, T.ones(4, dtype=s)),
    "setitem False": lambda T, d, s: _setitem(T.zeros(4, dtype=d), False, T.ones(4, dtype=s)),
    "setitem 0-d int tensor": lambda T, d, s: _setitem(T.zeros(4, dtype=d), T.tensor(1),
                                                       T.ones((), dtype=s)),
    # the other index writes: their own messages
    "index_copy_": lambda T, d, s: T.zeros(4, dtype=d).index_copy_(0, _idx(T), T.ones(2, dtype=s)),
    "index_add_": lambda T, d, s: T.zeros(4, dtype=d).index_add_(0, _idx(T), T.ones(2, dtype=s)),
    "index_add": lambda T, d, s: T.index_add(T.zeros(4, dtype=d), 0, _idx(T), T.ones(2, dtype=s)),
    "scatter_": lambda T, d, s: T.zeros(4, dtype=d).scatter_(0, _idx(T), T.ones(2, dtype=s)),
    "scatter": lambda T, d, s: T.zeros(4, dtype=d).scatter(0, _idx(T), T.ones(2, dtype=s)),
    "scatter_add_": lambda T, d, s: T.zeros(4, dtype=d).scatter_add_(0, _idx(T),
                                                                     T.ones(2, dtype=s)),
    "scatter_add": lambda T, d, s: T.zeros(4, dtype=d).scatter_add(0, _idx(T), T.ones(2, dtype=s)),
    "scatter_reduce": lambda T, d, s: T.zeros(4, dtype=d).scatter_reduce(0, _idx(T),
                                                                         T.ones(2, dtype=s),
                                                                         "sum"),
    "masked_scatter_": lambda T, d, s: T.zeros(4, dtype=d).masked_scatter_(_mask(T),
                                                                           T.ones(4, dtype=s)),
    "masked_scatter": lambda T, d, s: T.zeros(4, dtype=d).masked_scatter(_mask(T),
                                                                         T.ones(4, dtype=s)),
    "put_": lambda T, d, s: T.zeros(4, dtype=d).put_(_idx(T), T.ones(2, dtype=s)),
    "put_ accumulate": lambda T, d, s: T.zeros(4, dtype=d).put_(_idx(T), T.ones(2, dtype=s),
                                                                accumulate=True),
    "put": lambda T, d, s: T.zeros(4, dtype=d).put(_idx(T), T.ones(2, dtype=s)),
}
PAIRS = [("float32", "float64"), ("float64", "float32"), ("float32", "int64"),
         ("int64", "float32"), ("int32", "int64"), ("bool", "float32"), ("float32", "bool"),
         ("float32", "float16"), ("float32", "float32")]


def _outcome(fn):
    try:
        out = fn()
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return type(e), str(e)
    return out.numpy(), str(out.dtype)


def _same(ours, theirs):
    if isinstance(theirs[0], type):
        assert ours == theirs
    else:
        assert not isinstance(ours[0], type), ours
        np.testing.assert_array_equal(ours[0], theirs[0])
        assert ours[1] == theirs[1]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("pair", PAIRS, ids=["->".join(p[::-1]) for p in PAIRS])
@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_index_write_source_dtype(entry, pair):
    d, s = pair
    ours, theirs = (_outcome(lambda: ENTRY_POINTS[entry](T, getattr(T, d), getattr(T, s)))
                    for T in (mt, torch))
    _same(ours, theirs)


# a one-element source through a lone mask: masked_fill_'s conversion of src.item()
MASKED_FILL_SOURCES = {
    "float 2.7 -> int64": ("int64", lambda T: T.tensor(2.7, dtype=T.float64)),
    "float -2.7 -> int64": ("int64", lambda T: T.tensor(-2.7)),
    "float 0.5 -> bool": ("bool", lambda T: T.tensor(0.5)),
    "int -3 -> uint8": ("uint8", lambda T: T.tensor(-3)),
    "int 300 -> int8": ("int8", lambda T: T.tensor(300)),
    "float 1e6 -> float16": ("float16", lambda T: T.tensor(1e6)),
    "nan -> int32": ("int32", lambda T: T.tensor(float("nan"))),
    "inf -> float16": ("float16", lambda T: T.tensor(float("inf"))),
    "float64 -> float16 rounding": ("float16", lambda T: T.tensor(0.1 + 2 ** -30,
                                                                  dtype=T.float64)),
    "float64 1e300 -> float32": ("float32", lambda T: T.tensor(1e300, dtype=T.float64)),
}


@pytest.mark.parametrize("form", ["setitem", "index_put_", "setitem 1 element"])
@pytest.mark.parametrize("case", list(MASKED_FILL_SOURCES))
def test_one_element_source_through_a_mask(case, form):
    dst, src = MASKED_FILL_SOURCES[case]

    def run(T):
        x, v = T.zeros(4, dtype=getattr(T, dst)), src(T)
        if form == "setitem":
            x[_mask(T)] = v
        elif form == "index_put_":
            x.index_put_((_mask(T),), v)
        else:
            x[_mask(T)] = v.reshape(1)
        return x

    _same(*(_outcome(lambda: run(T)) for T in (mt, torch)))


@pytest.mark.parametrize("src_dtype", ["float32", "float64"])
def test_grad_of_a_converted_source(src_dtype):
    """The gradient of a one-element source written through a mask: the count of the mask's
    True entries, in the source's dtype."""
    def run(T):
        v = T.ones(1, dtype=getattr(T, src_dtype), requires_grad=True)
        x = T.zeros(4)
        x[T.tensor([True, False, True, True])] = v * 1
        x.sum().backward()
        return v.grad

    _same(*(_outcome(lambda: run(T)) for T in (mt, torch)))


SHAPES = {  # leading dims of size 1: t[index] = src drops them, index_put_ does not
    "setitem int": lambda T: _setitem(T.zeros(4, 3), 0, T.ones(1, 1, 3)),
    "setitem 0-d int tensor": lambda T: _setitem(T.zeros(4), T.tensor(1), T.ones(1, 1)),
    "setitem tensor": lambda T: _setitem(T.zeros(4, 3), _idx(T), T.ones(1, 1, 2, 3)),
    "setitem slice": lambda T: _setitem(T.zeros(4), slice(0, 2), T.ones(1, 2)),
    "index_put_": lambda T: T.zeros(4, 3).index_put_((_idx(T),), T.ones(1, 2, 3)),
    "index_put_ 2 rows": lambda T: T.zeros(4, 3).index_put_((_idx(T),), T.ones(1, 3)),
    "index_put_ too many indices": lambda T: T.zeros(4).index_put_((_idx(T), _idx(T)),
                                                                   T.ones(2)),
    "setitem too many indices": lambda T: _setitem(T.zeros(4), (_idx(T), _idx(T)), T.ones(2)),
    "setitem bad mask": lambda T: _setitem(T.zeros(4), T.tensor([True, False]), T.ones(1)),
}


@pytest.mark.parametrize("case", list(SHAPES))
def test_source_shape(case):
    _same(*(_outcome(lambda: SHAPES[case](T)) for T in (mt, torch)))
