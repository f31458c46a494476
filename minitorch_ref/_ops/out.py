"""``out=``: writing an op's result into a tensor the caller gives, with torch's rules.

* **Autograd**: an op with ``out=`` records nothing, so torch refuses it while grad mode is on and
  an input, or ``out`` itself, requires grad (``exp(): functions with out=... arguments don't
  support automatic differentiation, but one of the arguments requires grad.``). Ops without a
  derivative (comparisons, ``argmax``, ``floor_divide``) accept inputs that require grad; an
  ``out`` that requires grad is still refused for most of them (named ``aten::<op>()``).
* **Shape**: ``out`` is resized to the result's shape. Resizing a tensor that held elements
  warns (torch deprecates it); an empty ``out`` (``torch.empty(0)``) resizes silently.
* **dtype**: each op family has its own rule (``RULES``): elementwise ops cast the result to
  ``out``'s dtype when torch's ``can_cast`` allows it, ops such as ``abs`` or ``matmul`` demand
  the exact dtype, comparisons take any dtype; each raises torch's message.
* **Memory overlap**: an ``out`` whose elements share memory (an expanded tensor) is refused.
  Elementwise ops also refuse an ``out`` that partly overlaps an input (``exp(x[1:],
  out=x[:-1])``; ``out=x`` itself is fine); ``cat`` and ``stack`` refuse any overlap. Like
  torch, only tensors laid out densely are checked (others are "too hard" to decide).
* The result is written into ``out``'s memory (a non-contiguous ``out`` stays a view of its
  base), ``out``'s version counter is bumped, and ``out`` (or, for ops with several outputs,
  a ``torch.return_types.<op>_out`` tuple of them) is returned.
"""
from __future__ import annotations

import os
import sys
import warnings

import numpy as np

from .._dtype import can_cast, from_numpy_dtype
from ..autograd.grad_mode import _state
from ..return_types import make_return
from ._util import Tensor, shape_str

__all__ = ["with_out", "with_outs", "copy_out", "reduce_dtype", "check_out_grad", "check_overlap",
           "write_out", "RULES", "factory_dtype", "factory_write"]


def _name(np_dtype) -> str:
    from .._tensor import _type_name
    return _type_name(np_dtype)


def _c(np_dtype) -> str:
    from .._tensor import _c_name
    return _c_name(np_dtype)


def _message(template: str, res, out, op: str) -> str:
    """torch's error text: ``{res}``/``{out}`` are the dtypes as torch's Python names them
    (``torch.float32``), ``{res_c}``/``{out_c}`` as its C++ names (``Float``), ``{op}`` the op."""
    return template.format(res=_name(res), out=_name(out), res_c=_c(res), out_c=_c(out), op=op)


def _equal(template: str):
    """A rule: ``out`` must have exactly the result's dtype."""
    return lambda res, out, op: None if res == out else RuntimeError(
        _message(template, res, out, op))


def _castable(template: str, error=RuntimeError):
    """A rule: the result must cast to ``out``'s dtype under torch's ``can_cast``."""
    return lambda res, out, op: None if can_cast(from_numpy_dtype(res), from_numpy_dtype(out)) \
        else error(_message(template, res, out, op))


def _diag(res, out, op):
    """diag casts when it can, and then still demands the exact dtype."""
    if not can_cast(from_numpy_dtype(res), from_numpy_dtype(out)):
        return RuntimeError(_message(
            "diag: result type {res} can't be cast to the desired out= type {out}", res, out, op))
    return RULES["exact"](res, out, op)


# rule(result dtype, out dtype, op name) -> the exception torch raises, or None
RULES = {
    "cast": _castable("result type {res} can't be cast to the desired output type {out}"),
    "any": lambda res, out, op: None,
    "same": _equal("Found dtype {out} but expected {res}"),
    "exact": _equal("Expected out tensor to have dtype {res_c}, but got {out_c} instead"),
    "where": _equal("Expected out type to be {res} but got {out}"),
    "input_dtype": _equal("Expected the dtype for input and out to match, but got {res} for "
                          "input's dtype and {out} for out's dtype."),
    "nan_to_num": _equal("nan_to_num: dtype of out: {out} should be same as input: {res}"),
    "bool_out": lambda res, out, op: None if out == np.bool_ else RuntimeError(
        f"{op} does not support non-boolean outputs."),
    "bool_result": lambda res, out, op: None if out in (np.bool_, np.uint8) else RuntimeError(
        f"{op} only supports bool tensor for result, got: {_name(out)}"),
    "max_all": _castable(
        "Expected canCast( typeMetaToScalarType(self.dtype()), typeMetaToScalarType(out.dtype()))"
        " to be true, but got false.  (Could this error message be improved?  If so, please "
        "report an enhancement request to PyTorch.)"),
    "float_result": lambda res, out, op: None if out.kind == "f" else RuntimeError(
        f"{op}(): Expected floating point type for result tensor, but got: {_name(out)}"),
    "addmv": _equal("addmv input tensors must have the same dtype, but got {out}, {res}, "
                    "and {res}"),
    "mean_all": _castable("mean.dtype_out(): input types can't be cast to the desired output "
                          "type {out}"),
    "diag": _diag,
    "matrix_norm": _equal("linalg.matrix_norm expected out tensor dtype {res} but got: {out}"),
    "linalg_norm": _equal("linalg.norm expected out tensor dtype {res} but got: {out}"),
    "take": _equal("take(): self and out expected to have the same dtype, but got self.dtype = "
                   "{res} and out.dtype = {out}"),
    "dot": _equal("result dtype {out} does not match input dtype {res}"),
    "tensordot": _equal("tensordot: Expected the output tensor to have dtype {res}, but got an "
                        "output tensor with dtype {out}"),
    "self_result": _equal("{op}(): self and result must have the same scalar type"),
    "nonzero": _equal("nonzero: Expected out tensor to have scalar type {res} but got scalar "
                      "type{out}"),
    "cat": _castable("torch.cat(): input types can't be cast to the desired output type {out}",
                     TypeError),
}


def _flat_tensors(args):
    for a in args:
        if isinstance(a, Tensor):
            yield a
        elif isinstance(a, (list, tuple)):
            yield from _flat_tensors(a)


def check_out_grad(name: str, outs: tuple, inputs: tuple, differentiable: bool = True) -> None:
    """torch's refusal of ``out=`` when autograd would have to record the op (see the module
    docstring). ``differentiable=False``: inputs may require grad; ``None``: no check at all."""
    if not _state.enabled or differentiable is None:
        return
    if differentiable and any(t._requires_grad for t in _flat_tensors(inputs)):
        raise _no_autograd(name)
    if any(o._requires_grad for o in outs):
        raise _no_autograd(name if differentiable else f"aten::{name}")


def _no_autograd(name: str) -> RuntimeError:
    return RuntimeError(
        f"{name}(): functions with out=... arguments don't support automatic differentiation, "
        "but one of the arguments requires grad.")


def write_out(out: Tensor, result: np.ndarray, rule: str = "cast", op: str = "") -> Tensor:
    """Write ``result`` into ``out`` by ``rule`` (dtype check, resize, copy); returns ``out``."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{op}(): argument 'out' must be Tensor, not {type(out).__name__}")
    error = RULES[rule](result.dtype, out._data.dtype, op)
    if error is not None:
        raise error
    _store(out, result)
    return out


def _store(out: Tensor, result: np.ndarray) -> None:
    """Resize (warning when ``out`` held elements), copy, bump the version counter."""
    if out._data.shape != result.shape:
        if out._data.size:
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{shape_str(out._data.shape)}, which does not match the required output shape "
                f"{shape_str(result.shape)}. This behavior is deprecated, and in a future "
                "PyTorch release outputs will not be resized unless they have zero elements. "
                "You can explicitly reuse an out tensor t by resizing it, inplace, to zero "
                "elements with t.resize_(0).", UserWarning, stacklevel=_caller_level())
        out._data = np.empty(result.shape, dtype=out._data.dtype)
    np.copyto(out._data, result, casting="unsafe")
    out._bump_version()


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _caller_level() -> int:
    """The ``stacklevel`` that points a warning raised by our caller at the user's line: the
    first frame outside the package (ops reach ``out=`` through one or two helpers)."""
    frame, level = sys._getframe(2), 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level


# -- memory overlap: torch decides it only for tensors laid out densely ----------------------------

def _dense(a: np.ndarray) -> bool:
    """torch's ``is_non_overlapping_and_dense``: some ordering of the dims is contiguous."""
    expected = a.itemsize
    for stride, size in sorted((st, n) for st, n in zip(a.strides, a.shape) if n != 1):
        if stride != expected:
            return False
        expected *= size
    return True


def _overlap(a: np.ndarray, b: np.ndarray):
    """'full' (the same elements in the same layout), 'partial', or None (none, or undecided)."""
    if not np.may_share_memory(a, b) or a.size == 0 or b.size == 0 \
            or not (_dense(a) and _dense(b)):  # (may_share_memory: a cheap bounds test)
        return None
    lo_a, hi_a = np.lib.array_utils.byte_bounds(a)
    lo_b, hi_b = np.lib.array_utils.byte_bounds(b)
    if (lo_a, hi_a) == (lo_b, hi_b):
        return "full" if a.strides == b.strides and a.shape == b.shape else "partial"
    return "partial" if lo_a < hi_b and lo_b < hi_a else None


def check_overlap(out: Tensor, inputs: tuple, mode) -> None:
    """torch's memory-overlap errors for ``out``: its elements sharing memory (always), and
    overlapping an input (``mode='partial'``: elementwise ops, which allow ``out`` to be the
    input itself; ``'any'``: ``cat``/``stack``; ``None``: not checked)."""
    o = out._data
    if 0 in o.strides and o.size > 1 and any(
            st == 0 and n > 1 for st, n in zip(o.strides, o.shape)):
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation.")
    if mode is None:
        return
    for t in _flat_tensors(inputs):
        status = _overlap(o, t._data)
        if status == "partial" or (status == "full" and mode == "any"):
            raise RuntimeError(
                "unsupported operation: some elements of the input tensor and the written-to "
                "tensor refer to a single memory location. Please clone() the tensor before "
                "performing the operation.")


def _compute(fn, args, kwargs):
    """The result without recording (the caller has checked that nothing needs a graph)."""
    prev = _state.enabled
    _state.enabled = False
    try:
        return fn(*args, **kwargs)
    finally:
        _state.enabled = prev


def with_out(out: Tensor, name: str, fn, *args, rule: str = "cast",
             differentiable: bool | None = True, overlap="partial", **kwargs) -> Tensor:
    """``fn(*args, **kwargs)`` written into ``out`` with torch's checks (see the module
    docstring); ``name`` is the op name torch's errors use, ``overlap`` the overlap check
    (``check_overlap``)."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    check_out_grad(name, (out,), args, differentiable)
    result = _compute(fn, args, kwargs)
    check_overlap(out, args, overlap)
    return write_out(out, result._data, rule, name)


def copy_out(out: Tensor, result: Tensor, rule: str, name: str, shape_error=None) -> Tensor:
    """``out=`` of the composite ops torch writes as ``out.copy_(result)`` (``inner`` through
    ``tensordot``, the ``'nuc'`` norm): autograd records the copy when an input requires grad
    (``out`` gets ``CopyBackwards``), and an ``out`` that requires grad meets ``copy_``'s own
    checks (``shape_error``, when given, is raised first for an ``out`` of another shape)."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if not (_state.enabled and (result._requires_grad or out._requires_grad)):
        return write_out(out, result._data, rule, name)
    if shape_error is not None and out._requires_grad and out._data.shape != result._data.shape:
        raise shape_error
    error = RULES[rule](result._data.dtype, out._data.dtype, name)
    if error is not None:
        raise error
    if out._data.shape != result._data.shape:  # resized (with the warning), then copied
        _store(out, np.zeros(result._data.shape, out._data.dtype))
    return out.copy_(result)


_OUT_TYPES: dict = {}


def with_outs(outs, name: str, fields: tuple, fn, *args, rules: tuple = ("exact", "exact"),
              differentiable: bool | None = True, position: int = 3, **kwargs):
    """For ops returning several tensors (``max(dim)``, ``sort``, ...): ``outs`` is a tuple of
    tensors, one per result (``position``: where torch's signature has ``out``, for its
    message); returns ``torch.return_types.<name>_out`` holding them."""
    if not isinstance(outs, (tuple, list)):
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got "
            f"({_arg_types(args, kwargs)}, out={type(outs).__name__}), but expected one of:")
    if len(outs) != len(fields):
        raise TypeError(f"expected tuple of {len(fields)} elements but got {len(outs)}")
    for i, o in enumerate(outs):
        if not isinstance(o, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument {position}, but got "
                            f"{type(o).__name__}")
    check_out_grad(name, tuple(outs), args, differentiable)
    results = _compute(fn, args, kwargs)
    for o, r, rule in zip(outs, results, rules):  # every check before anything is written
        check_overlap(o, args, None)
        error = RULES[rule](r._data.dtype, o._data.dtype, name)
        if error is not None:
            raise error
    for o, r in zip(outs, results):
        _store(o, r._data)
    kind = _OUT_TYPES.get(name)
    if kind is None:
        kind = _OUT_TYPES[name] = make_return(f"{name}_out", fields)
    return kind(tuple(outs))


def _arg_types(args, kwargs) -> str:
    """The argument list as torch's 'invalid combination' message shows it (``Tensor, int``).
    Arguments left at None/False are taken as not given, which is what the common call
    ``max(x, 0, out=t)`` passed; a ``keepdim=False`` written out is shown by torch, not here."""
    names = [type(a).__name__ if not isinstance(a, Tensor) else "Tensor" for a in args
             if a is not None and a is not False]
    return ", ".join(names)


def reduce_dtype(out, dtype):
    """The dtype ``sum``/``prod``/``cumsum`` compute in when given ``out``: ``dtype`` if given
    (``out`` must then have it), else out's own: torch casts the input to it first."""
    if dtype is not None or not isinstance(out, Tensor):
        return dtype
    return out._data.dtype


# -- factories (zeros, arange, rand, ...): ``out`` decides the dtype -------------------------------

def factory_dtype(name: str, out, dtype, resize_error: bool = False):
    """The dtype a factory builds in when given ``out``: ``out``'s own (a different ``dtype=``
    is torch's RuntimeError). An ``out`` that requires grad is refused while grad mode is on
    (``randn``/``empty`` word it as a resize error, as torch does, and refuse it always)."""
    if out is None:
        return dtype
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if out._requires_grad and resize_error:  # torch resizes first, under no_grad too
        raise RuntimeError("cannot resize variables that require grad")
    if _state.enabled and out._requires_grad:
        raise _no_autograd(f"aten::{name}")
    if dtype is not None:
        from .._dtype import to_numpy_dtype
        want = to_numpy_dtype(dtype)
        if want != out._data.dtype:
            raise RuntimeError(f"dtype {_name(want)} does not match dtype of out parameter "
                               f"({_name(out._data.dtype)})")
    return from_numpy_dtype(out._data.dtype)


def factory_write(out: Tensor, arr: np.ndarray) -> Tensor:
    """A factory's values into ``out``: resized without a warning (factories resize
    explicitly in torch), written, version bumped."""
    if out._data.shape != arr.shape:
        out._data = np.empty(arr.shape, dtype=out._data.dtype)
    np.copyto(out._data, arr, casting="unsafe")
    out._bump_version()
    return out
