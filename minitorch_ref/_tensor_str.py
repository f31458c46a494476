"""``repr(tensor)`` in torch's format: ``tensor([[1., 2.]], requires_grad=True)``.

torch's rules (``torch/_tensor_str.py``), restated:
* floats whose non-zero finite values are all integral print in "int mode" (``1.``);
  otherwise with 4 decimals, or in scientific notation when max/min > 1000, max > 1e8 or
  min < 1e-4 (over the absolute non-zero finite values);
* every element is right-aligned to the widest one; lines wrap at 80 characters;
* more than 1000 elements are summarised with ``...`` keeping 3 items at each edge;
* ``dtype=`` is shown unless it is the default float dtype, int64 or bool.
"""
from __future__ import annotations

import math

import numpy as np

from . import _dtype


class _PrintOptions:
    precision = 4
    threshold = 1000
    edgeitems = 3
    linewidth = 80
    sci_mode = None


PRINT_OPTS = _PrintOptions()


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None) -> None:
    if profile == "default":
        PRINT_OPTS.precision, PRINT_OPTS.threshold = 4, 1000
        PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = 3, 80
    elif profile == "short":
        PRINT_OPTS.precision, PRINT_OPTS.threshold = 2, 1000
        PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = 2, 80
    elif profile == "full":
        PRINT_OPTS.precision, PRINT_OPTS.threshold = 4, math.inf
        PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = 3, 80
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


class _Formatter:
    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        if not self.floating:
            strs = [_plain(v) for v in values.reshape(-1).tolist()]
            self.max_width = max((len(s) for s in strs), default=1)
            return
        v = values.astype(np.float64).reshape(-1)
        finite = v[np.isfinite(v) & (v != 0)]
        if finite.size == 0:
            self.max_width = max((len(self._fmt_special(x)) for x in v), default=1)
            for x in v:
                if np.isfinite(x):
                    self.max_width = max(self.max_width, len(f"{x:.0f}."))
            return
        absv = np.abs(finite)
        vmin, vmax = absv.min(), absv.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        if self.int_mode:
            if vmax / vmin > 1000.0 or vmax > 1.0e8:
                self.sci_mode = True
        elif vmax / vmin > 1000.0 or vmax > 1.0e8 or vmin < 1.0e-4:
            self.sci_mode = True
        if PRINT_OPTS.sci_mode is not None:
            self.sci_mode = PRINT_OPTS.sci_mode
        self.max_width = max(len(self.format(x)) for x in v)

    def _fmt_special(self, x: float) -> str:
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return f"{x:.0f}." if self.int_mode else f"{x:.{PRINT_OPTS.precision}f}"

    def format(self, x) -> str:
        if not self.floating:
            return _plain(x)
        x = float(x)
        if not math.isfinite(x):
            return self._fmt_special(x)
        p = PRINT_OPTS.precision
        if self.sci_mode:
            return f"{x:.{p}e}"
        if self.int_mode:
            return f"{x:.0f}."
        return f"{x:.{p}f}"

    def width(self) -> int:
        return self.max_width


def _plain(v) -> str:
    return str(v)


def _element(x, fmt: _Formatter) -> str:
    s = fmt.format(x)
    return " " * (fmt.width() - len(s)) + s


def _vector(arr: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    element_length = fmt.width() + 2
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))
    items = arr.tolist()
    e = PRINT_OPTS.edgeitems
    if summarize and len(items) > 2 * e:
        data = [_element(x, fmt) for x in items[:e]] + [" ..."] + \
               [_element(x, fmt) for x in items[-e:]]
    else:
        data = [_element(x, fmt) for x in items]
    lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str(arr: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if arr.ndim == 0:
        return _element(arr.item(), fmt)
    if arr.ndim == 1:
        return _vector(arr, indent, summarize, fmt)
    e = PRINT_OPTS.edgeitems
    if summarize and arr.shape[0] > 2 * e:
        slices = [_tensor_str(arr[i], indent + 1, summarize, fmt) for i in range(e)] + \
                 ["..."] + \
                 [_tensor_str(arr[i], indent + 1, summarize, fmt)
                  for i in range(arr.shape[0] - e, arr.shape[0])]
    else:
        slices = [_tensor_str(arr[i], indent + 1, summarize, fmt) for i in range(arr.shape[0])]
    sep = "," + "\n" * (arr.ndim - 1) + " " * (indent + 1)
    return "[" + sep.join(slices) + "]"


def _summary_values(arr: np.ndarray) -> np.ndarray:
    """The elements that will be printed, for the formatter's width and mode decisions."""
    e = PRINT_OPTS.edgeitems
    if arr.ndim == 0:
        return arr.reshape(1)
    if arr.shape[0] > 2 * e:
        arr = np.concatenate([arr[:e], arr[-e:]])
    if arr.ndim == 1:
        return arr
    return np.concatenate([_summary_values(a).reshape(-1) for a in arr])


def _add_suffixes(tensor_str: str, suffixes: list, indent: int, force_newline: bool) -> str:
    parts = [tensor_str]
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
    for suffix in suffixes:
        if force_newline or last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
            force_newline = False
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def tensor_repr(t) -> str:
    prefix = "tensor("
    indent = len(prefix)
    arr = t._data
    suffixes = []
    summarize = arr.size > PRINT_OPTS.threshold
    dt = _dtype.from_numpy_dtype(arr.dtype)
    show_dtype = dt not in (_dtype.get_default_dtype(), _dtype.int64, _dtype.bool)
    if arr.size == 0 and arr.ndim != 1:
        body = "[]"
        suffixes.append(f"size={tuple(arr.shape)}")
    elif arr.size == 0:
        body = "[]"
    else:
        values = _summary_values(arr) if summarize else arr
        fmt = _Formatter(values)
        body = _tensor_str(arr, indent, summarize, fmt)
    if show_dtype:
        suffixes.append(f"dtype={dt!r}")
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return prefix + _add_suffixes(body, suffixes, indent, force_newline=False)
