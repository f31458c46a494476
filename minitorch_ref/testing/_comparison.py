"""torch.testing.assert_close: are two (possibly nested) values close?

The inputs are walked together: sequences (not strings) item by item, mappings key by key. Each
pair of leaves is compared by the first rule that takes it, in torch's order:

* ``None`` with ``None``;
* ``bool`` (and ``np.bool_``) with the same: identity;
* numbers (``int``, ``float``, ``complex``, ``np.number``): the Python types must agree
  (``check_dtype``), then ``|actual - expected| <= atol + rtol * |expected|``;
* tensor-likes of related types (two Tensors, two ndarrays, ...): shape, then stride
  (``check_stride``), device (``check_device``) and dtype (``check_dtype``) must agree; the values
  are then compared in the promoted dtype with ``isclose(actual, expected, rtol, atol,
  equal_nan)``.

Without ``rtol`` and ``atol`` the tolerances are the loosest of the two dtypes' defaults:

    float16 (1e-3, 1e-5)   bfloat16 (1.6e-2, 1e-5)   float32 (1.3e-6, 1e-5)
    float64 (1e-7, 1e-7)   complex64 (1.3e-6, 1e-5)  complex128 (1e-7, 1e-7)   others (0, 0)

The first mismatch raises (an AssertionError, or torch's TypeError/ValueError for inputs it cannot
compare) with torch's message: ``Tensor-likes are not close!``, the number of mismatched
elements, and the greatest absolute and relative differences among them with their indices;
``msg`` replaces the message (a string) or rewrites it (a callable).
"""
from __future__ import annotations

import cmath
import collections.abc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import _dtype
from .._creation import as_tensor
from .._tensor import Tensor

_PRECISIONS = {  # dtype -> (rtol, atol)
    _dtype.float16: (0.001, 1e-5),
    _dtype.bfloat16: (0.016, 1e-5),
    _dtype.float32: (1.3e-6, 1e-5),
    _dtype.float64: (1e-7, 1e-7),
    _dtype.complex32: (0.001, 1e-5),
    _dtype.complex64: (1.3e-6, 1e-5),
    _dtype.complex128: (1e-7, 1e-7),
}
_NUMBER_DTYPES = {int: _dtype.int64, float: _dtype.float64, complex: _dtype.complex128}


class _Mismatch(Exception):
    """A failed comparison: the exception type and message torch gives, and where it happened
    (the path of sequence indices and mapping keys)."""

    def __init__(self, kind: type, msg: str, path: tuple = ()) -> None:
        super().__init__(msg)
        self.kind, self.msg, self.path = kind, msg, path

    def error(self, msg: str | Callable[[str], str] | None) -> Exception:
        if isinstance(msg, str):
            return self.kind(msg)
        text = self.msg
        if self.path:
            text += "\n\nThe failure occurred for item " + "".join(str([k]) for k in self.path)
        return self.kind(msg(text) if callable(msg) else text)


def _tolerances(dtypes, rtol, atol, path) -> tuple[float, float]:
    if (rtol is None) != (atol is None):
        raise _Mismatch(ValueError, "Both 'rtol' and 'atol' must be either specified or omitted, "
                        f"but got no {'rtol' if rtol is None else 'atol'}.", path)
    if rtol is not None:
        return rtol, atol
    pairs = [_PRECISIONS.get(d, (0.0, 0.0)) for d in dtypes]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def _mismatch_msg(what: str, equality: bool, extra: str, abs_diff, abs_idx, atol,
                  rel_diff, rel_idx, rtol) -> str:
    def line(kind: str, diff, idx, tol) -> str:
        text = (f"{kind.title()} difference: {diff}" if idx is None else
                f"Greatest {kind} difference: {diff} at index {idx}")
        return text + ("" if equality else f" (up to {tol} allowed)") + "\n"

    msg = f"{what} are not {'equal' if equality else 'close'}!\n\n{extra}\n"
    msg += line("absolute", abs_diff, abs_idx, atol) + line("relative", rel_diff, rel_idx, rtol)
    return msg.strip()


def _scalar_msg(actual, expected, rtol: float, atol: float) -> str:
    abs_diff = abs(actual - expected)
    rel_diff = float("inf") if expected == 0 else abs_diff / abs(expected)
    return _mismatch_msg("Scalars", rtol == 0 and atol == 0,
                         f"Expected {expected} but got {actual}.", abs_diff, None, atol,
                         rel_diff, None, rtol)


def _greatest(diff: np.ndarray) -> tuple[float, int]:
    """torch.max(diff, 0) of a 1-D array: the first NaN if there is one, else the first max."""
    nan = np.isnan(diff)
    i = int(np.argmax(nan)) if nan.any() else int(np.argmax(diff))
    return diff[i].item(), i


def _tensor_msg(a: np.ndarray, b: np.ndarray, matches: np.ndarray, rtol, atol) -> str:
    total = matches.size
    bad = total - int(matches.sum())
    extra = f"Mismatched elements: {bad} / {total} ({bad / total:.1%})"
    a, b, m = a.ravel(), b.ravel(), matches.ravel()
    if a.dtype.kind in "biu":  # integers are compared in int64, their ratio in float32
        a, b = a.astype(np.int64), b.astype(np.int64)
    with np.errstate(all="ignore"):  # assert_close runs in the user's state: inf - inf, x / 0
        abs_diff = np.abs(a - b)
        abs_diff[m] = 0
        rel_diff = abs_diff / np.abs(b)
    if rel_diff.dtype == np.float64 and a.dtype.kind in "biu":
        rel_diff = rel_diff.astype(np.float32)
    rel_diff[m] = 0
    (abs_max, abs_i), (rel_max, rel_i) = _greatest(abs_diff), _greatest(rel_diff)
    index = lambda i: tuple(int(k) for k in np.unravel_index(i, matches.shape))  # noqa: E731
    return _mismatch_msg("Tensor-likes", rtol == 0 and atol == 0, extra, abs_max, index(abs_i),
                         atol, rel_max, index(rel_i), rtol)


def _type_str(t: type) -> str:
    return "<class 'torch.Tensor'>" if t is Tensor else str(t)


def _compare_numbers(actual, expected, path, rtol, atol, equal_nan, check_dtype) -> None:
    actual, expected = [x.item() if isinstance(x, np.number) else x for x in (actual, expected)]
    rtol, atol = _tolerances([_NUMBER_DTYPES[type(x)] for x in (actual, expected)], rtol, atol,
                             path)
    if check_dtype and type(actual) is not type(expected):
        raise _Mismatch(AssertionError, f"The (d)types do not match: {type(actual)} != "
                        f"{type(expected)}.", path)
    if actual == expected or (equal_nan and cmath.isnan(actual) and cmath.isnan(expected)):
        return
    diff = abs(actual - expected)
    if cmath.isfinite(diff) and diff <= atol + rtol * abs(expected):
        return
    raise _Mismatch(AssertionError, _scalar_msg(actual, expected, rtol, atol), path)


def _compare_tensors(actual, expected, path, rtol, atol, equal_nan, check_device, check_dtype,
                     check_stride) -> None:
    try:
        a, e = (x if isinstance(x, Tensor) else as_tensor(x) for x in (actual, expected))
    except Exception:  # noqa: BLE001 - not a tensor-like: no rule takes the pair
        raise _Mismatch(TypeError, "No comparison pair was able to handle inputs of type "
                        f"{_type_str(type(actual))} and {_type_str(type(expected))}.", path)
    rtol, atol = _tolerances([a.dtype, e.dtype], rtol, atol, path)

    def differ(name: str, x, y) -> None:
        raise _Mismatch(AssertionError, f"The values for attribute '{name}' do not match: "
                        f"{x} != {y}.", path)

    if a.shape != e.shape:
        differ("shape", a.shape, e.shape)
    if check_stride and a.stride() != e.stride():
        differ("stride()", a.stride(), e.stride())
    if check_device and a.device != e.device:
        differ("device", a.device, e.device)
    if check_dtype and a.dtype != e.dtype:
        differ("dtype", a.dtype, e.dtype)
    x, y = a._data, e._data
    if x.dtype != y.dtype:
        common = _dtype.promote_types(a.dtype, e.dtype).np
        x, y = x.astype(common), y.astype(common)
    with np.errstate(all="ignore"):  # assert_close runs in the user's state: isclose of inf
        matches = np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan) \
            if x.dtype.kind in "fc" else _isclose_exact(x, y, rtol, atol)
    if matches.all():
        return
    if x.ndim == 0:
        raise _Mismatch(AssertionError, _scalar_msg(x.item(), y.item(), rtol, atol), path)
    raise _Mismatch(AssertionError, _tensor_msg(x, y, matches, rtol, atol), path)


def _isclose_exact(x: np.ndarray, y: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """isclose of integers and bools: equality, widened by the tolerances (in float64)."""
    if rtol == 0 and atol == 0:
        return x == y
    x, y = x.astype(np.float64), y.astype(np.float64)
    return np.abs(x - y) <= atol + rtol * np.abs(y)


def _compare(actual, expected, path: tuple, opts: dict) -> None:
    """Walk the two inputs together; raise _Mismatch at the first pair that differs."""
    seq, mapping = collections.abc.Sequence, collections.abc.Mapping
    if (isinstance(actual, seq) and not isinstance(actual, str) and isinstance(expected, seq)
            and not isinstance(expected, str)):
        if len(actual) != len(expected):
            raise _Mismatch(AssertionError, "The length of the sequences mismatch: "
                            f"{len(actual)} != {len(expected)}", path)
        for i in range(len(actual)):
            _compare(actual[i], expected[i], (*path, i), opts)
        return
    if isinstance(actual, mapping) and isinstance(expected, mapping):
        keys_a, keys_e = set(actual.keys()), set(expected.keys())
        if keys_a != keys_e:
            raise _Mismatch(AssertionError, "The keys of the mappings do not match:\n"
                            f"Missing keys in the actual mapping: {sorted(keys_e - keys_a)}\n"
                            f"Additional keys in the actual mapping: {sorted(keys_a - keys_e)}",
                            path)
        try:
            keys = sorted(keys_a)
        except TypeError:
            keys = keys_a
        for k in keys:
            _compare(actual[k], expected[k], (*path, k), opts)
        return
    if actual is None or expected is None:
        if not (actual is None and expected is None):
            raise _Mismatch(AssertionError, f"None mismatch: {actual} is not {expected}", path)
        return
    bools = (bool, np.bool_)
    if isinstance(actual, bools) and isinstance(expected, bools):
        if bool(actual) is not bool(expected):
            raise _Mismatch(AssertionError,
                            f"Booleans mismatch: {bool(actual)} is not {bool(expected)}", path)
        return
    numbers = (int, float, complex, np.number)
    if isinstance(actual, numbers) and isinstance(expected, numbers):
        _compare_numbers(actual, expected, path, opts["rtol"], opts["atol"], opts["equal_nan"],
                         opts["check_dtype"])
        return
    related = isinstance(actual, type(expected)) or isinstance(expected, type(actual))
    if related and (opts["allow_subclasses"] or type(actual) is type(expected)):
        _compare_tensors(actual, expected, path, opts["rtol"], opts["atol"], opts["equal_nan"],
                         opts["check_device"], opts["check_dtype"], opts["check_stride"])
        return
    raise _Mismatch(TypeError, "No comparison pair was able to handle inputs of type "
                    f"{_type_str(type(actual))} and {_type_str(type(expected))}.", path)


def assert_close(actual: Any, expected: Any, *, allow_subclasses: bool = True,
                 rtol: float | None = None, atol: float | None = None, equal_nan: bool = False,
                 check_device: bool = True, check_dtype: bool = True, check_layout: bool = True,
                 check_stride: bool = False,
                 msg: str | Callable[[str], str] | None = None) -> None:
    """Raise if ``actual`` and ``expected`` are not close (see the module docstring)."""
    __tracebackhide__ = True
    opts = dict(allow_subclasses=allow_subclasses, rtol=rtol, atol=atol, equal_nan=equal_nan,
                check_device=check_device, check_dtype=check_dtype, check_stride=check_stride)
    try:
        _compare(actual, expected, (), opts)
    except _Mismatch as m:
        raise m.error(msg) from None


def assert_allclose(actual: Any, expected: Any, rtol: float | None = None,
                    atol: float | None = None, equal_nan: bool = True, msg: str = "") -> None:
    """Deprecated since torch 1.12 (a FutureWarning): ``assert_close`` with NaNs equal, dtypes
    free, the expected value converted to the actual's dtype and looser default tolerances."""
    warnings.warn(
        "`torch.testing.assert_allclose()` is deprecated since 1.12 and will be removed in a "
        "future release. Please use `torch.testing.assert_close()` instead. You can find "
        "detailed upgrade instructions in https://github.com/pytorch/pytorch/issues/61844.",
        FutureWarning, stacklevel=2)
    from .._creation import tensor
    if not isinstance(actual, Tensor):
        actual = tensor(actual)
    if not isinstance(expected, Tensor):
        expected = tensor(expected, dtype=actual.dtype)
    if rtol is None and atol is None:
        loose = {_dtype.float16: (1e-3, 1e-3), _dtype.float32: (1e-4, 1e-5),
                 _dtype.float64: (1e-5, 1e-8)}
        pairs = [loose.get(d, (0.0, 0.0)) for d in (actual.dtype, expected.dtype)]
        rtol, atol = max(p[0] for p in pairs), max(p[1] for p in pairs)
    assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan, check_device=True,
                 check_dtype=False, check_stride=False, msg=msg or None)
