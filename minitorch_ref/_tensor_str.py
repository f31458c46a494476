"""``repr(tensor)`` in torch's format: ``tensor([[1., 2.]], requires_grad=True)``.

torch's rules (``torch/_tensor_str.py``), restated:
* floats whose non-zero finite values are all integral print in "int mode" (``1.``);
  otherwise with 4 decimals, or in scientific notation when max/min > 1000, max > 1e8 or
  min < 1e-4 (over the absolute non-zero finite values);
* every element is right-aligned to the widest non-zero finite one; lines wrap at 80 characters;
* more than 1000 elements are summarised with ``...`` keeping 3 items at each edge;
* ``dtype=`` is shown unless it is the default float dtype, int64 or bool (an empty tensor shows
  every dtype but the default float one); ``size=`` for empty tensors that are not 1-D.
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
    """Decides once, from the values that will be printed, how every element is written.

    Only the non-zero finite values count (zeros, nan and inf never change the mode or the width):
    * int mode when all of them are integral: ``1.``, ``-3.``;
    * scientific when max/min of their magnitudes exceeds 1000, the max exceeds 1e8 or the min is
      below 1e-4 (``set_printoptions(sci_mode=...)`` overrides);
    * every element is right-aligned to the widest of them.
    Integer and bool tensors print ``str(value)``, aligned to the widest element."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        if not self.floating:
            self.max_width = max([1] + [len(str(v)) for v in flat.tolist()])
            return
        finite = flat[np.isfinite(flat) & (flat != 0)]
        if finite.size == 0:
            return
        absv = np.abs(finite).astype(np.float64)
        vmin, vmax = absv.min(), absv.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = bool(vmax / vmin > 1000.0 or vmax > 1.0e8 or vmin < 1.0e-4)
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        p = PRINT_OPTS.precision
        for v in finite.tolist():
            if self.sci_mode:
                width = len(f"{v:.{p}e}")
            elif self.int_mode:
                width = len(f"{v:.0f}") + 1  # the trailing "."
            else:
                width = len(f"{v:.{p}f}")
            self.max_width = max(self.max_width, width)

    def format(self, x) -> str:
        if not self.floating:
            s = str(x)
        else:
            x = float(x)
            p = PRINT_OPTS.precision
            if self.sci_mode:
                s = f"{x:.{p}e}"
            elif self.int_mode:
                s = f"{x:.0f}" + ("" if math.isinf(x) or math.isnan(x) else ".")
            else:
                s = f"{x:.{p}f}"
        return " " * (self.max_width - len(s)) + s

    def width(self) -> int:
        return self.max_width


def _vector(arr: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    element_length = fmt.width() + 2
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))
    e = PRINT_OPTS.edgeitems
    if summarize and not e:
        data = ["..."]
    elif summarize and arr.shape[0] > 2 * e:
        data = [fmt.format(x) for x in arr[:e].tolist()] + [" ..."] + \
               [fmt.format(x) for x in arr[-e:].tolist()]
    else:
        data = [fmt.format(x) for x in arr.tolist()]
    lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str(arr: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if arr.ndim == 0:
        return fmt.format(arr.item())
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
    if arr.ndim > 1 and not e:
        return arr[:0].reshape(-1)
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
    dt = _dtype.from_numpy_dtype(arr.dtype)
    if arr.size == 0:
        body = "[]"
        if arr.ndim != 1:
            suffixes.append(f"size={tuple(arr.shape)}")
        # nothing to infer an integer dtype from: every non-default dtype is named
        if dt is not _dtype.get_default_dtype():
            suffixes.append(f"dtype={dt!r}")
    else:
        summarize = arr.size > PRINT_OPTS.threshold
        if summarize and not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(arr.shape)}")
        if dt not in (_dtype.get_default_dtype(), _dtype.int64, _dtype.bool):
            suffixes.append(f"dtype={dt!r}")
        fmt = _Formatter(_summary_values(arr) if summarize else arr)
        body = _tensor_str(arr, indent, summarize, fmt)
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name().rsplit('::', 1)[-1]}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    # the prefix counts toward the first line's length when deciding where suffixes go
    return _add_suffixes(prefix + body, suffixes, indent, force_newline=False)
