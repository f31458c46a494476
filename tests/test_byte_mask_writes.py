"""Writes through a uint8 (byte) mask, against torch (2.13).

torch's ``index_put_`` writes a one-element value through a single mask (every other index
entry a slice, None, an int or Ellipsis; not accumulating) as ``masked_fill_(mask,
value.item())``, which refuses a byte mask: ``t[byte_mask] = 1``, ``= tensor(2.)``,
``= tensor([2.])`` and ``index_put_((byte_mask,), tensor(1.))`` raise its RuntimeError (after
the mask's shape check), where indexing otherwise reads a byte mask as the deprecated bool
mask (a value of several elements, a second index tensor, ``accumulate=True``). We converted
the mask to bool and wrote."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt


def _setitem(x, index, value):
    x[index] = value
    return x


def _u8(T, data):
    return T.tensor(data, dtype=T.uint8)


CASES = {
    "t[m] = 1.": lambda T: _setitem(T.zeros(3), _u8(T, [1, 0, 1]), 1.0),
    "t[m] = 5 (int64)": lambda T: _setitem(T.zeros(3, dtype=T.int64), _u8(T, [1, 0, 1]), 5),
    "t[m] = True (bool)": lambda T: _setitem(T.zeros(3, dtype=T.bool), _u8(T, [1, 0, 1]), True),
    "t[m] = tensor(2.)": lambda T: _setitem(T.zeros(3), _u8(T, [1, 0, 1]), T.tensor(2.0)),
    "t[m] = tensor([2.])": lambda T: _setitem(T.zeros(3), _u8(T, [1, 0, 1]), T.tensor([2.0])),
    "t[m] = tensor(2, int64)": lambda T: _setitem(T.zeros(3), _u8(T, [1, 0, 1]), T.tensor(2)),
    "t[m] = tensor([2., 3.])": lambda T: _setitem(T.zeros(3), _u8(T, [1, 0, 1]),
                                                  T.tensor([2.0, 3.0])),
    "t[zeros mask] = 1.": lambda T: _setitem(T.zeros(3), _u8(T, [0, 0, 0]), 1.0),
    "t[m of 2] = 1.": lambda T: _setitem(T.zeros(3), _u8(T, [1, 0]), 1.0),
    "2d t[m] = 1.": lambda T: _setitem(T.zeros(2, 3), _u8(T, [[1, 0, 1], [0, 1, 0]]), 1.0),
    "2d t[row m] = 1.": lambda T: _setitem(T.zeros(2, 3), _u8(T, [1, 0]), 1.0),
    "2d t[row m] = row": lambda T: _setitem(T.zeros(2, 3), _u8(T, [1, 0]),
                                            T.tensor([1.0, 2.0, 3.0])),
    "2d t[:, m] = 1.": lambda T: _setitem(T.zeros(2, 3), (slice(None), _u8(T, [1, 0, 1])), 1.0),
    "2d t[..., m] = 1.": lambda T: _setitem(T.zeros(2, 3), (Ellipsis, _u8(T, [1, 0, 1])), 1.0),
    "2d t[m, 0] = 1.": lambda T: _setitem(T.zeros(2, 3), (_u8(T, [1, 0]), 0), 1.0),
    "2d t[None, m] = 1.": lambda T: _setitem(T.zeros(2, 3), (None, _u8(T, [1, 0])), 1.0),
    "2d t[m, index] = 1.": lambda T: _setitem(T.zeros(2, 3), (_u8(T, [1, 0]), T.tensor([2])),
                                              1.0),
    "t[(m,)] = 1.": lambda T: _setitem(T.zeros(3), (_u8(T, [1, 0, 1]),), 1.0),
    "t[[m]] = 1.": lambda T: _setitem(T.zeros(3), [_u8(T, [1, 0, 1])], 1.0),
    "t[bool m] = 1.": lambda T: _setitem(T.zeros(3), T.tensor([True, False, True]), 1.0),
    "t[int8 m] = 1.": lambda T: _setitem(T.zeros(3), T.tensor([1, 0, 1], dtype=T.int8), 1.0),
    "t[m] read": lambda T: T.arange(3.0)[_u8(T, [1, 0, 1])],
    "history t[m] = 1.": lambda T: _setitem(T.zeros(3, requires_grad=True).clone(),
                                            _u8(T, [1, 0, 1]), 1.0),
    "index_put_ tensor(1.)": lambda T: T.zeros(3).index_put_((_u8(T, [1, 0, 1]),),
                                                            T.tensor(1.0)),
    "index_put_ tensor([1.])": lambda T: T.zeros(3).index_put_((_u8(T, [1, 0, 1]),),
                                                              T.tensor([1.0])),
    "index_put_ two values": lambda T: T.zeros(3).index_put_((_u8(T, [1, 0, 1]),),
                                                            T.tensor([1.0, 2.0])),
    "index_put_ accumulate": lambda T: T.zeros(3).index_put_((_u8(T, [1, 0, 1]),),
                                                            T.tensor(1.0), accumulate=True),
    "index_put_ mask of 2": lambda T: T.zeros(3).index_put_((_u8(T, [1, 0]),), T.tensor(1.0)),
    "torch.index_put": lambda T: T.index_put(T.zeros(3), (_u8(T, [1, 0, 1]),), T.tensor(1.0)),
    "index_put": lambda T: T.zeros(3).index_put((_u8(T, [1, 0, 1]),), T.tensor(1.0)),
}


def _outcome(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = fn()
    except Exception as e:  # noqa: BLE001 - the point is to compare what is raised
        return type(e).__name__, str(e)
    return str(out.dtype).split(".")[-1], out.tolist()


@pytest.mark.parametrize("case", list(CASES))
def test_byte_mask_writes(case):
    got, want = _outcome(lambda: CASES[case](mt)), _outcome(lambda: CASES[case](torch))
    assert got[0] == want[0], (got, want)
    if isinstance(want[1], str):
        assert got[1] == want[1]
    else:
        np.testing.assert_array_equal(np.asarray(got[1]), np.asarray(want[1]))
