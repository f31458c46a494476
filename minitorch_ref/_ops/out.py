"""``out=``: writing an op's result into a tensor the caller gives, with torch's rules.

An op that takes ``out=`` says so with one decorator, ``@supports_out(...)``, whose arguments
name torch's rules for it; the function itself is written for the ordinary call only::

    @supports_out(rule="same")
    def abs(input: Tensor, *, out: Tensor | None = None) -> Tensor:
        return Abs.apply(input)

When ``out`` is given, the op runs without recording (as in torch, an ``out=`` op has no
``grad_fn``) and its result is written into ``out``:

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

The ordinary call must not pay for ``out=``: a wrapper function would add a Python call to
every op (about 0.1 us, several percent of a small op's whole cost). So ``supports_out``
compiles the function once more from its own source with one statement in front,
``if out is not None: return <the out= path>(out, <the other arguments>)``, and the ordinary
call runs the function's own body with nothing in between. It also compiles the same body
without the ``out`` parameter (``fn.without_out``): torch's Tensor methods take no ``out=``,
and ``_tensor_methods`` attaches that version. ``binary_operator`` compiles it a third way for
the operators (``x + y`` is ``add``'s body behind Python's rule for an ndarray operand).
"""
from __future__ import annotations

import __future__
import ast
import copy
import inspect
import os
import sys
import warnings
from collections.abc import Iterator

import numpy as np

from .._dtype import can_cast, cast_value, from_numpy_dtype, to_numpy_dtype
from .._names import c_type_name, scalar_type_name, shape_str
from ..autograd.grad_mode import _state
from ..return_types import make_return
from ._util import Tensor

__all__ = ["supports_out", "with_out", "with_outs", "copy_out", "reduce_dtype", "check_out_grad",
           "check_overlap", "write_out", "RULES", "factory_dtype", "factory_write"]


def _message(template: str, res, out, op: str) -> str:
    """torch's error text: ``{res}``/``{out}`` are the dtypes' ScalarType names (``Float``),
    ``{res_c}``/``{out_c}`` their C++ types (``float``), ``{op}`` the op."""
    return template.format(res=scalar_type_name(res), out=scalar_type_name(out),
                           res_c=c_type_name(res), out_c=c_type_name(out), op=op)


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
    "ldexp": _castable("ldexp can't be cast to the desired output type {out}"),
    "any": lambda res, out, op: None,
    "same": _equal("Found dtype {out} but expected {res}"),
    "scalar_type": _equal("expected scalar_type {res} but found {out}"),
    "quantile": _equal("quantile() out tensor must be same dtype as the input tensor"),
    "median_values": _equal("Expected tensor for 'values' to have the same type as tensor for "
                            "argument #2 'self'; but type torch.{out}Tensor does not equal "
                            "torch.{res}Tensor (while checking arguments for median)"),
    "median_indices": _equal("Expected tensor for argument #1 'indices' to have scalar type "
                             "Long; but got torch.{out}Tensor instead (while checking arguments "
                             "for median)"),
    "kthvalue_values": _equal("output values must be of same type as input"),
    "kthvalue_indices": _equal("output indices must be of scalar type Long"),
    "mode_values": _equal("expected scalar type '{res}' but got '{out}' for values output"),
    "mode_indices": _equal("expected scalar type '{res}' but got '{out}' for indices output"),
    "exact": _equal("Expected out tensor to have dtype {res_c}, but got {out_c} instead"),
    "where": _equal("Expected out type to be {res} but got {out}"),
    "input_dtype": _equal("Expected the dtype for input and out to match, but got {res} for "
                          "input's dtype and {out} for out's dtype."),
    "nan_to_num": _equal("nan_to_num: dtype of out: {out} should be same as input: {res}"),
    "bool_out": lambda res, out, op: None if out == np.bool_ else RuntimeError(
        f"{op} does not support non-boolean outputs."),
    "bool_result": lambda res, out, op: None if out in (np.bool_, np.uint8) else RuntimeError(
        f"{op} only supports bool tensor for result, got: {scalar_type_name(out)}"),
    "max_all": _castable(
        "Expected canCast( typeMetaToScalarType(self.dtype()), typeMetaToScalarType(out.dtype()))"
        " to be true, but got false.  (Could this error message be improved?  If so, please "
        "report an enhancement request to PyTorch.)"),
    "float_result": lambda res, out, op: None if out.kind == "f" else RuntimeError(
        f"{op}(): Expected floating point type for result tensor, but got: "
        f"{scalar_type_name(out)}"),
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
    "narrow_copy": _equal("Expected self.dtype() == output.dtype() to be true, but got false.  "
                          "(Could this error message be improved?  If so, please report an "
                          "enhancement request to PyTorch.)"),
    "addbmm": _equal("self and mat2 must have the same dtype, but got {out} and {res}"),
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


def _store(out: Tensor, result: np.ndarray, kept_dim: int | None = None) -> None:
    """Resize (warning when ``out`` held elements), copy, bump the version counter.
    ``kept_dim``: torch resizes an ``out`` with one dim fewer than the result with that dim
    kept (unsqueezed there), so its warning names both shapes with a 1 at ``kept_dim``."""
    if out._data.shape != result.shape:
        if out._data.size:
            had, want = out._data.shape, result.shape
            if kept_dim is not None and len(had) == len(want):
                had, want = (shape[:kept_dim] + (1,) + shape[kept_dim:] for shape in (had, want))
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{shape_str(had)}, which does not match the required output shape "
                f"{shape_str(want)}. This behavior is deprecated, and in a future "
                "PyTorch release outputs will not be resized unless they have zero elements. "
                "You can explicitly reuse an out tensor t by resizing it, inplace, to zero "
                "elements with t.resize_(0).", UserWarning, stacklevel=_caller_level())
        out._data = np.empty(result.shape, dtype=out._data.dtype)
    # (a float64 result into a float16 out rounds through float32, as torch's copy)
    np.copyto(out._data, cast_value(result, out._data.dtype), casting="unsafe")
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
    (``check_overlap``). The ``out=`` path of ``supports_out``, callable by itself from the
    handlers of ops whose rules depend on their arguments."""
    return _write_result(out, name, fn, args, kwargs, rule, differentiable, overlap)


def _write_result(out, name, fn, args, kwargs, rule, differentiable, overlap) -> Tensor:
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
              differentiable: bool | None = True, position: int = 3, kept_dim=None, **kwargs):
    """For ops returning several tensors (``max(dim)``, ``sort``, ...): ``outs`` is a tuple of
    tensors, one per result (``position``: where torch's signature has ``out``, for its
    message); returns ``torch.return_types.<name>_out`` holding them. ``kept_dim``: the
    reduced dim of ops torch resizes with the dim kept (``kthvalue``, ``mode``; see
    ``_store``)."""
    return _write_results(outs, name, fields, fn, args, kwargs, rules, differentiable, position,
                          kept_dim)


def _write_results(outs, name, fields, fn, args, kwargs, rules, differentiable, position,
                   kept_dim=None):
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
        _store(o, r._data, kept_dim)
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
        want = to_numpy_dtype(dtype)
        if want != out._data.dtype:
            raise RuntimeError(f"dtype {scalar_type_name(want)} does not match dtype of out "
                               f"parameter ({scalar_type_name(out._data.dtype)})")
    return from_numpy_dtype(out._data.dtype)


def factory_write(out: Tensor, arr: np.ndarray, requires_grad: bool = False) -> Tensor:
    """A factory's values into ``out``: resized without a warning (factories resize
    explicitly in torch), written, version bumped; ``requires_grad=True`` then makes ``out``
    require grad (torch's parser sets it on the result, so an integer ``out`` is refused after
    the write)."""
    if out._data.shape != arr.shape:
        out._data = np.empty(arr.shape, dtype=out._data.dtype)
    np.copyto(out._data, arr, casting="unsafe")
    out._bump_version()
    if requires_grad:
        out._set_requires_grad(True, "Only Tensors of floating point and complex dtype can "
                                     "require gradients")
    return out


# -- the decorator -----------------------------------------------------------------------------

def supports_out(name: str | None = None, *, rule: str = "cast",
                 differentiable: bool | None = True, overlap="partial", fields=None,
                 position: int = 3, dtype_from_out: bool = False, copy: bool = False,
                 handler=None):
    """Give the decorated op torch's ``out=`` (see the module docstring for how).

    ``name``: the op name torch's messages use (default: the function's own name; torch names
    some ops by what it runs, e.g. ``true_divide`` is ``div``). ``rule``: the dtype rule, a key
    of ``RULES``. ``differentiable``: False for ops torch gives no derivative (inputs may then
    require grad), None for ops whose ``out`` is not checked for gradients at all.
    ``overlap``: the memory-overlap check (``check_overlap``). ``fields``: for ops returning
    several tensors, their names in ``torch.return_types.<name>_out`` (``out`` is then a tuple;
    ``position`` is its place in torch's signature, for torch's messages).
    ``copy``: torch computes the op as a composite and copies its result into ``out``
    (``copy_out``: autograd records the copy). ``dtype_from_out``: the op computes in
    ``out``'s dtype unless ``dtype=`` is given (``sum``, ``cumsum``, ...: torch casts the input
    first). ``handler``: for the few ops whose rules depend on their arguments (``max`` with or
    without ``dim``, ...), ``handler(out, *args, **kwargs)`` writes the result itself (with
    ``with_out`` and friends)."""
    def decorate(fn):
        node = _definition(fn)
        if len(node.decorator_list) != 1:
            raise TypeError(f"supports_out must be {fn.__qualname__}'s only decorator")
        node.decorator_list = []
        if not any(p.arg == "out" for p in _params(node)):
            raise TypeError(f"supports_out: {fn.__qualname__} has no 'out' parameter")
        if any(isinstance(n, ast.Name) and n.id == "out" for n in ast.walk(ast.Module(node.body))):
            raise TypeError(f"supports_out: {fn.__qualname__}'s body must not read 'out' (the "
                            "decorator handles it)")
        method = _compile(fn, _without_out(node))
        # the out= path runs a compilation of its own, so that a call from ``method`` is a
        # Tensor method's (``_arguments.argument_error`` numbers its arguments after self)
        path = handler or _OutPath(name or fn.__name__, _compile(fn, _without_out(node)), rule,
                                   differentiable, overlap, fields, position, dtype_from_out,
                                   copy)
        a = node.args
        positional = [p.arg for p in a.posonlyargs + a.args if p.arg != "out"]
        keyword = [p.arg for p in a.kwonlyargs if p.arg != "out"]
        public = _compile(fn, _guarded(node, _is_not_none("out"), "__out__", ["out"] + positional,
                                       keyword), __out__=path)
        public.without_out = method
        return public
    return decorate


def binary_operator(fn, fallback):
    """``fn`` (``fn(input, other, ...)``, the rest defaulted) as the operator ``x (op) y``: the
    function's own body, without ``out``, compiled once more with Python's rule for an ndarray
    operand as its first statement, ``if type(other) is np.ndarray: return fallback(x, y)``. So
    ``x + y`` runs ``torch.add``'s code with no call in between, as the ordinary call does."""
    node = _definition(fn)
    node.decorator_list = []
    if any(p.arg == "out" for p in _params(node)):
        node = _without_out(node)
    first, second = (p.arg for p in _params(node)[:2])
    is_ndarray = ast.Compare(ast.Call(ast.Name("type", ast.Load()), [ast.Name(second, ast.Load())],
                                      []), [ast.Is()], [ast.Name("__ndarray__", ast.Load())])
    return _compile(fn, _guarded(node, is_ndarray, "__fallback__", [first, second], [],
                                 spread=False), __ndarray__=np.ndarray, __fallback__=fallback)


class _OutPath:
    """The ``out=`` path of one op: its arguments as the decorator gave them."""

    def __init__(self, name, fn, rule, differentiable, overlap, fields, position, dtype_from_out,
                 copy):
        self.name, self.fn, self.rule, self.differentiable = name, fn, rule, differentiable
        self.overlap, self.fields, self.position = overlap, fields, position
        self.dtype_from_out, self.copy = dtype_from_out, copy

    def __call__(self, out, *args, **kwargs):
        # a generator argument (cat's tensors) is read twice: by the checks, then by the op
        args = tuple(list(a) if isinstance(a, Iterator) else a for a in args)
        if self.dtype_from_out:
            kwargs["dtype"] = reduce_dtype(out, kwargs.get("dtype"))
        if self.copy:
            return copy_out(out, self.fn(*args, **kwargs), self.rule, self.name)
        if self.fields is not None:
            return _write_results(out, self.name, self.fields, self.fn, args, kwargs,
                                  ("exact",) * len(self.fields), self.differentiable,
                                  self.position)
        return _write_result(out, self.name, self.fn, args, kwargs, self.rule,
                             self.differentiable, self.overlap)


# -- compiling a function's own source again, with one statement in front ---------------------

def _definition(fn) -> ast.FunctionDef:
    """The function's definition, parsed from its source, at its lines in its file (so that
    tracebacks and debuggers show the real source)."""
    lines, first = inspect.getsourcelines(fn)
    node = ast.parse("".join(lines)).body[0]
    ast.increment_lineno(node, first - 1)
    if not isinstance(node, ast.FunctionDef) or node.name != fn.__name__:
        raise TypeError(f"{fn.__qualname__} is not a plain function definition")
    return node


def _params(node: ast.FunctionDef) -> list:
    a = node.args
    return a.posonlyargs + a.args + a.kwonlyargs


def _without_out(node: ast.FunctionDef) -> ast.FunctionDef:
    """The definition with the ``out`` parameter (and its default) removed."""
    node = copy.deepcopy(node)
    a = node.args
    if any(p.arg == "out" for p in a.kwonlyargs):
        i = next(i for i, p in enumerate(a.kwonlyargs) if p.arg == "out")
        del a.kwonlyargs[i], a.kw_defaults[i]
    else:  # a positional ``out`` (torch.norm's): its default is one of the last len(defaults)
        i = next(i for i, p in enumerate(a.args) if p.arg == "out")
        del a.defaults[i - (len(a.args) - len(a.defaults))], a.args[i]
    return node


def _is_not_none(name: str) -> ast.expr:
    return ast.Compare(ast.Name(name, ast.Load()), [ast.IsNot()], [ast.Constant(None)])


def _guarded(node: ast.FunctionDef, test: ast.expr, target: str, positional: list,
             keyword: list, spread: bool = True) -> ast.FunctionDef:
    """The definition with ``if <test>: return <target>(<positional>, <keyword>=...)`` as its
    first statement (after the docstring), the arguments being the named parameters;
    ``spread``: the function's ``*args``/``**kwargs`` passed on too."""
    node = copy.deepcopy(node)
    a = node.args

    def name(n):
        return ast.Name(n, ast.Load())
    args = [name(p) for p in positional]
    if a.vararg is not None and spread:
        args.append(ast.Starred(name(a.vararg.arg), ast.Load()))
    keywords = [ast.keyword(p, name(p)) for p in keyword]
    if a.kwarg is not None and spread:
        keywords.append(ast.keyword(None, name(a.kwarg.arg)))
    guard = ast.If(test, [ast.Return(ast.Call(name(target), args, keywords))], [])
    for n in ast.walk(guard):  # the guard reports the ``def`` line as its own
        n.lineno = n.end_lineno = node.lineno
        n.col_offset = n.end_col_offset = 0
    body = node.body
    doc = int(bool(body) and isinstance(body[0], ast.Expr)
              and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str))
    node.body = body[:doc] + [guard] + body[doc:]
    return node


def _compile(fn, node: ast.FunctionDef, **bindings):
    """Compile ``node`` in ``fn``'s module (its globals, its file name, its ``__future__``
    flags). ``bindings``: names the new function reads besides the module's globals (the guard's
    target), bound through a factory function around it."""
    if bindings:
        args = ast.arguments([], [ast.arg(b) for b in bindings], None, [], [], None, [])
        node = ast.copy_location(ast.FunctionDef(
            "__factory__", args, [node, ast.Return(ast.Name(node.name, ast.Load()))], [], None),
            node)
    module = ast.fix_missing_locations(ast.Module([node], []))
    flags = fn.__code__.co_flags & __future__.annotations.compiler_flag
    code = compile(module, fn.__code__.co_filename, "exec", flags=flags, dont_inherit=True)
    namespace: dict = {}
    exec(code, fn.__globals__, namespace)  # noqa: S102 - the module's own source, recompiled
    made = namespace[node.name]
    if bindings:
        made = made(**bindings)
    made.__qualname__ = fn.__qualname__
    return made
