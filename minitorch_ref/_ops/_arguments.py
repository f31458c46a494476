"""torch's argument parser's errors, for a value of the wrong kind where torch's signature has a
Tensor (a Python number in ``torch.exp(2.5)``, ``torch.eq(2.5, t)``, ``torch.clamp(1, max=t)``).

torch matches a call against its function's signatures. With one signature, or when only one of
them takes as many arguments as were given (counting keywords), the message names the argument:
``exp(): argument 'input' (position 1) must be Tensor, not float``. Otherwise no signature is
singled out: ``eq() received an invalid combination of arguments - got (float, Tensor), but
expected one of:`` and the signatures (torch's notes under some of them, "didn't match because
...", are left out). ``OVERLOADS`` holds the signatures, as torch prints them, of the functions
that have several; a function not listed has one.

A public function checks its Tensor arguments itself (one ``isinstance`` per call) and, when one
is not a Tensor, raises ``argument_error(fn, locals())``. The arguments the caller gave are those
not at their defaults; one given by keyword where our signature also takes it by position shows
positionally in "got (...)" (torch shows ``keepdim=bool``, we show ``bool``).

Functions that take torch's parser whole (``torch.<name>_``, the module-level nn operations, the
view ops' copying twins) bind each call first: ``_Signature`` reads one of torch's signatures,
``_bind`` matches the call against them as torch does and raises its TypeError for the first
thing wrong (a value of the wrong kind, too many, missing or unknown arguments).
"""
from __future__ import annotations

import inspect
import re
import sys
import types

import numpy as np

from .._tensor import Tensor

__all__ = ["argument_error", "renamed"]

_ONE_OTHER = ("(Tensor input, Tensor other, *, Tensor out = None)",
              "(Tensor input, Number other, *, Tensor out = None)")
_BITWISE = ("(Tensor input, Tensor other, *, Tensor out = None)", "(Number self, Tensor other)",
            "(Tensor input, Number other, *, Tensor out = None)")
_REDUCE_BOOL = ("(Tensor input, *, Tensor out = None)",
                "(Tensor input, tuple of ints dim = None, bool keepdim = False, *, "
                "Tensor out = None)",
                "(Tensor input, int dim, bool keepdim = False, *, Tensor out = None)")
_MAX = ("(Tensor input, *, Tensor out = None)",
        "(Tensor input, Tensor other, *, Tensor out = None)",
        "(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)")
_VAR = ("(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False, *, "
        "Tensor out = None)",
        "(Tensor input, tuple of ints dim = None, *, Number correction = None, "
        "bool keepdim = False, Tensor out = None)",
        "(Tensor input, bool unbiased = True)")
_VAR_MEAN = ("(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False)",
             "(Tensor input, tuple of ints dim = None, *, Number correction = None, "
             "bool keepdim = False)",
             "(Tensor input, bool unbiased = True)")
_NUMBER_SELF = ("(Tensor input, Tensor other, *, Tensor out = None)",
                "(Number self, Tensor other, *, Tensor out = None)",
                "(Tensor input, Number other, *, Tensor out = None)")
_CONV = ("(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, "
         "tuple of ints padding = 0, tuple of ints dilation = 1, int groups = 1)",
         "(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, "
         "str padding = \"valid\", tuple of ints dilation = 1, int groups = 1)")
_HSPLIT = ("(Tensor input, int sections)", "(Tensor input, tuple of ints indices)")
_PINV = ("(Tensor input, *, Tensor atol = None, Tensor rtol = None, bool hermitian = False, "
         "Tensor out = None)",
         "(Tensor input, *, float atol = None, float rtol = None, bool hermitian = False, "
         "Tensor out = None)",
         "(Tensor input, Tensor {0}, bool hermitian = False, *, Tensor out = None)",
         "(Tensor input, float {0}, bool hermitian = False, *, Tensor out = None)")
_QUANTILE = tuple(f"(Tensor input, {q} q, int dim = None, bool keepdim = False, *, "
                  "str interpolation = \"linear\", Tensor out = None)" for q in ("Tensor", "float"))
_SORT = ("(Tensor input, *, bool stable, int dim = -1, bool descending = False, {} out = None)",
         "(Tensor input, int dim = -1, bool descending = False{})")

# torch 2.13's signatures of the functions with several (its hidden ones left out, as torch's
# messages leave them out)
OVERLOADS: dict[str, tuple[str, ...]] = {
    "round": ("(Tensor input, *, Tensor out = None)",
              "(Tensor input, *, int decimals, Tensor out = None)"),
    "clamp": ("(Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)",
              "(Tensor input, Number min = None, Number max = None, *, Tensor out = None)"),
    "clamp_min": ("(Tensor input, Tensor min, *, Tensor out = None)",
                  "(Tensor input, Number min, *, Tensor out = None)"),
    "clamp_max": ("(Tensor input, Tensor max, *, Tensor out = None)",
                  "(Tensor input, Number max, *, Tensor out = None)"),
    "pow": ("(Tensor input, Tensor exponent, *, Tensor out = None)",
            "(Number self, Tensor exponent, *, Tensor out = None)",
            "(Tensor input, Number exponent, *, Tensor out = None)"),
    "fmod": _ONE_OTHER,
    "remainder": _BITWISE,
    "clip": ("(Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)",
             "(Tensor input, Number min = None, Number max = None, *, Tensor out = None)"),
    "lerp": ("(Tensor input, Tensor end, Tensor weight, *, Tensor out = None)",
             "(Tensor input, Tensor end, Number weight, *, Tensor out = None)"),
    "max": _MAX,
    "min": _MAX,
    **{name: _ONE_OTHER for name in ("eq", "ne", "lt", "le", "gt", "ge", "greater",
                                       "greater_equal", "less", "less_equal", "not_equal")},
    "bitwise_and": _BITWISE,
    "bitwise_or": _BITWISE,
    "bitwise_xor": _BITWISE,
    "bitwise_left_shift": _BITWISE,
    "bitwise_right_shift": _BITWISE,
    "copysign": _ONE_OTHER,
    "xlogy": _NUMBER_SELF,
    "special_xlogy": _NUMBER_SELF,
    "special_xlog1py": _NUMBER_SELF,
    "special_zeta": _NUMBER_SELF,
    "float_power": tuple(s.replace("other", "exponent") for s in _NUMBER_SELF),
    "conv1d": _CONV,
    "conv2d": _CONV,
    "conv3d": _CONV,
    "hsplit": _HSPLIT,
    "vsplit": _HSPLIT,
    "dsplit": _HSPLIT,
    "tensor_split": ("(Tensor input, tuple of ints indices, int dim = 0)",
                     "(Tensor input, Tensor tensor_indices_or_sections, int dim = 0)",
                     "(Tensor input, int sections, int dim = 0)"),
    "masked_fill": ("(Tensor input, Tensor mask, Tensor value)",
                    "(Tensor input, Tensor mask, Number value)"),
    "index_fill": ("(Tensor input, int dim, Tensor index, Tensor value)",
                   "(Tensor input, int dim, Tensor index, Number value)"),
    "bernoulli": ("(Tensor input, *, torch.Generator generator = None, Tensor out = None)",
                  "(Tensor input, float p, *, torch.Generator generator = None)"),
    "linalg_pinv": tuple(s.format("rcond") for s in _PINV),
    "quantile": _QUANTILE,
    "nanquantile": _QUANTILE,
    "linalg_matrix_norm": (
        "(Tensor input, Number ord, tuple of ints dim = {-2,-1}, bool keepdim = False, *, "
        "torch.dtype dtype = None, Tensor out = None)",
        "(Tensor input, str ord = \"fro\", tuple of ints dim = {-2,-1}, bool keepdim = False, *, "
        "torch.dtype dtype = None, Tensor out = None)"),
    "linalg_norm": (
        "(Tensor input, Number ord = None, tuple of ints dim = None, bool keepdim = False, *, "
        "torch.dtype dtype = None, Tensor out = None)",
        "(Tensor input, str ord, tuple of ints dim = None, bool keepdim = False, *, "
        "torch.dtype dtype = None, Tensor out = None)"),
    "linalg_matrix_rank": tuple(s.format("tol") for s in _PINV),
    "rsub": ("(Tensor input, Tensor other, *, Number alpha = 1)",
             "(Tensor input, Number other, Number alpha = 1)"),
    "where": ("(Tensor condition)",
              "(Tensor condition, Tensor input, Tensor other, *, Tensor out = None)",
              "(Tensor condition, Number self, Tensor other)",
              "(Tensor condition, Tensor input, Number other)",
              "(Tensor condition, Number self, Number other)"),
    "sum": ("(Tensor input, *, torch.dtype dtype = None)",
            "(Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, "
            "Tensor out = None)"),
    "mean": ("(Tensor input, *, torch.dtype dtype = None, Tensor out = None)",
             "(Tensor input, tuple of ints dim, bool keepdim = False, *, "
             "torch.dtype dtype = None, Tensor out = None)"),
    "prod": ("(Tensor input, *, torch.dtype dtype = None)",
             "(Tensor input, int dim, bool keepdim = False, *, torch.dtype dtype = None, "
             "Tensor out = None)"),
    "var": _VAR,
    "std": _VAR,
    "var_mean": _VAR_MEAN,
    "std_mean": _VAR_MEAN,
    "all": _REDUCE_BOOL,
    "any": _REDUCE_BOOL,
    "count_nonzero": ("(Tensor input, int dim = None)", "(Tensor input, tuple of ints dim)"),
    "squeeze": ("(Tensor input)", "(Tensor input, int dim)", "(Tensor input, tuple of ints dim)"),
    "sort": (_SORT[0].format("tuple of Tensors"),
             _SORT[1].format(", *, tuple of Tensors out = None")),
    "argsort": (_SORT[0].format("Tensor"), _SORT[1].format("")),
    "movedim": ("(Tensor input, int source, int destination)",
                "(Tensor input, tuple of ints source, tuple of ints destination)"),
    "moveaxis": ("(Tensor input, int source, int destination)",
                 "(Tensor input, tuple of ints source, tuple of ints destination)"),
    "narrow": ("(Tensor input, int dim, Tensor start, int length)",
               "(Tensor input, int dim, int start, int length)"),
    "scatter": ("(Tensor input, int dim, Tensor index, Tensor src, *, Tensor out = None)",
                "(Tensor input, int dim, Tensor index, Tensor src, *, str reduce, "
                "Tensor out = None)",
                "(Tensor input, int dim, Tensor index, Number value, *, Tensor out = None)",
                "(Tensor input, int dim, Tensor index, Number value, *, str reduce, "
                "Tensor out = None)"),
    "repeat_interleave": ("(Tensor input, Tensor repeats, int dim = None, *, "
                          "int output_size = None)",
                          "(Tensor repeats, *, int output_size = None)",
                          "(Tensor input, int repeats, int dim = None, *, "
                          "int output_size = None)"),
}

# The parameters a one-signature function takes as Tensors, by the names torch gives them.
TENSOR_PARAMETERS = frozenset({"input", "other", "x1", "x2", "target", "end", "index", "src",
                               "condition", "tensor", "weight", "indices"})


def _called_name(fn, code) -> str:
    """The name of the function whose ``code`` called ``argument_error``: ``fn``'s, or that of
    a copy of ``fn`` made by ``renamed`` (the same code under torch's name for an alias)."""
    if fn is not None and (code.co_filename, code.co_firstlineno) == (
            fn.__code__.co_filename, fn.__code__.co_firstlineno):
        return code.co_name
    return fn.__name__


def renamed(fn, name: str):
    """``fn`` under another name: an alias torch names by itself in its messages
    (``torch.special.erfc`` is ``special_erfc``, ``torch.absolute`` is ``absolute``) runs the same
    code, and ``argument_error`` names the alias called. Attributes (``without_out``) carry
    over."""
    copy = types.FunctionType(fn.__code__.replace(co_name=name), fn.__globals__, name,
                              fn.__defaults__, fn.__closure__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    copy.__dict__.update(fn.__dict__)
    copy.__doc__, copy.__module__, copy.__qualname__ = fn.__doc__, fn.__module__, name
    copy.__annotations__ = fn.__annotations__
    return copy


def _parameters(signature: str) -> list[tuple[str, str, bool]]:
    """``(type, name, optional)`` of each parameter of a signature as torch prints it."""
    out = []
    for part in signature.strip("()").split(", "):
        if part == "*":
            continue
        declaration, _, default = part.partition(" = ")
        kind, _, name = declaration.rpartition(" ")
        out.append((kind, name, bool(default)))
    return out


def _type_name(value) -> str:
    """How torch's messages name the type of an argument."""
    if isinstance(value, Tensor):
        return "Tensor"
    kind = type(value)
    if kind.__module__.startswith("minitorch_ref"):  # dtype, device, ...: torch's classes
        return f"torch.{kind.__name__}"
    return kind.__name__


def _given(fn, args: dict) -> list[tuple[str, object, bool]]:
    """``(name, value, by_keyword)`` of the arguments the caller gave: those not at their
    defaults. A parameter after one left at its default was given by keyword."""
    if fn is None:
        return [(name, value, False) for name, value in args.items()]
    given, skipped = [], False
    for p in inspect.signature(fn).parameters.values():
        if p.name not in args:
            continue
        value = args[p.name]
        default = p.default
        if default is not p.empty and (value is default or (
                type(value) is type(default) and not isinstance(value, Tensor)
                and value == default)):
            skipped = True
            continue
        given.append((p.name, value, skipped or p.kind is p.KEYWORD_ONLY))
    return given


def argument_error(fn, args: dict, name: str | None = None,
                   tensors: tuple[str, ...] | dict[str, str] | None = None) -> TypeError:
    """torch's TypeError for a call of ``fn`` (``args``: its arguments by name, the function's
    ``locals()`` on entry) in which a Tensor parameter got something else. ``name``: torch's
    name of the function, when it is not the name of the function called (``F.logsigmoid`` is
    ``log_sigmoid``; a copy made by ``renamed`` is named by its copy). ``tensors``: the
    parameters torch takes as Tensors, when they are not the usual names
    (``TENSOR_PARAMETERS``), or a dict from our parameter names to the names torch's message
    gives them (``tensordot``'s ``a`` is torch's ``input``); one left at its default None is not
    blamed. ``fn`` (which tells the arguments left at their defaults) may be None for a function
    with one signature (``args`` then holds the arguments torch checks, None where it takes
    None)."""
    caller = sys._getframe(1).f_code
    name = name or _called_name(fn, caller)
    # a Tensor method (``fn.without_out``, from @supports_out) numbers the arguments after self
    method = caller is getattr(getattr(fn, "without_out", None), "__code__", None)
    given = _given(fn, args)
    signatures = OVERLOADS.get(name)
    shown = tensors if isinstance(tensors, dict) else {}
    tensors = TENSOR_PARAMETERS if tensors is None else frozenset(tensors)
    if signatures is not None:
        n = len(given)
        plausible = [s for s in signatures
                     if sum(not opt for _, _, opt in _parameters(s)) <= n <= len(_parameters(s))]
        if len(plausible) != 1:
            got = ", ".join(f"{k}={_type_name(v)}" if by_keyword else _type_name(v)
                            for k, v, by_keyword in given[1 if method else 0:])
            lines = [f"{name}() received an invalid combination of arguments - got ({got}), "
                     "but expected one of:"] + [f" * {s}" for s in signatures]
            return TypeError("\n".join(lines) + "\n")
        torch_tensors = {p for kind, p, _ in _parameters(plausible[0]) if kind == "Tensor"}
        tensors = {p for p in args if shown.get(p, p) in torch_tensors}
    optional = set() if fn is None else {
        p.name for p in inspect.signature(fn).parameters.values() if p.default is None}
    for position, (parameter, value) in enumerate(args.items(), start=0 if method else 1):
        if parameter in tensors and not isinstance(value, Tensor) and not (
                value is None and (fn is None or parameter in optional)):
            return TypeError(f"{name}(): argument '{shown.get(parameter, parameter)}' "
                             f"(position {position}) must be Tensor, not {_type_name(value)}")
    raise AssertionError(f"argument_error: every Tensor argument of {name} is a Tensor")


# -- torch's argument parser: binding a call to one of its signatures ---------------------------

def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


# what torch's parser takes for each kind of parameter checked here (the others: the op's checks)
_KINDS = {"Tensor": lambda v: isinstance(v, Tensor),
          "Number": lambda v: isinstance(v, (bool, int, float, complex, np.number, Tensor)),
          "float": lambda v: isinstance(v, (bool, int, float, np.number, Tensor)),
          "int": _is_int,
          "bool": lambda v: type(v) is bool,
          "tuple of ints": lambda v: isinstance(v, (tuple, list)) and all(map(_is_int, v)),
          "tuple of Tensors": lambda v: isinstance(v, (tuple, list))}  # elements: the op's


class _Signature:
    """One of torch's signatures: its parameters' types and names, how many are required (keyword-
    only ones too) and how many may come by position. Two marks in ``text`` that torch does not
    print: ``Tensor? weight`` takes None though required (torch's ``Tensor?``), ``tuple of
    ints[2] stride`` takes one int too (torch's ``int[2]``)."""

    def __init__(self, text: str) -> None:
        marked = _parameters(text)
        self.nullable = {name for kind, name, _ in marked if kind.endswith("?")}
        self.sized = {name for kind, name, _ in marked if kind.endswith("]")}
        self.text = text = re.sub(r"\?|\[\d\]", "", text)
        self.params = _parameters(text)                           # (type, name, optional)
        star = text.find("*")
        self.positional = text.count(", ", 0, star) if star >= 0 else len(self.params)
        self.required = sum(not optional for _, _, optional in self.params)

    def plausible(self, count: int) -> bool:
        return self.required <= count <= len(self.params)

    def bind(self, name: str, args: tuple, kwargs: dict) -> dict | str:
        """The arguments by name, or torch's message for the first thing wrong, in torch's
        order: too many positional arguments; then, parameter by parameter, one of the wrong
        kind or a required one missing; then an unknown keyword."""
        if len(args) > self.positional:
            count = (f"{self.positional} positional argument{'s' * (self.positional != 1)}"
                     if self.required == self.positional else
                     f"from {self.required} to {self.positional} positional arguments")
            return f"{name}() takes {count} but {len(args)} were given"
        names = [param for _, param, _ in self.params]
        bound = dict(zip(names, args))
        for position, (kind, param, optional) in enumerate(self.params, start=1):
            if param not in bound and param in kwargs:
                bound[param] = kwargs[param]
            if param not in bound:
                if optional:
                    continue
                missing = [n for _, n, opt in self.params[position - 1:]
                           if not opt and n not in kwargs]
                return (f"{name}() missing {len(missing)} required positional argument"  # sic
                        f"{'s' * (len(missing) == 1)}: " + ", ".join(f'"{n}"' for n in missing))
            value = bound[param]
            if param in self.sized and isinstance(value, (tuple, list)) and not all(
                    map(_is_int, value)):
                item = next(v for v in value if not _is_int(v))
                return (f"{name}(): argument '{param}' failed to unpack the object at pos "
                        f"{position} with error \"type must be tuple of ints,but got "
                        f"{_type_name(item)}\"")
            error = None if param in self.sized and _is_int(value) else _type_error(
                kind, value, optional or param in self.nullable)
            if error is not None:
                where = f" (position {position})" if position <= len(args) else ""
                return f"{name}(): argument '{param}'{where} must be {kind}{error}"
        for key in kwargs:
            if key not in names or names.index(key) < len(args):
                return f"{name}() got an unexpected keyword argument '{key}'"
        return bound


def _type_error(kind: str, value, optional: bool) -> str | None:
    """What follows "must be <kind>" in torch's message, when ``value`` is not of that kind."""
    if kind not in _KINDS or (value is None and optional) or _KINDS[kind](value):
        return None
    if kind == "tuple of ints" and isinstance(value, (tuple, list)):
        pos, item = next((i, v) for i, v in enumerate(value) if not _is_int(v))
        return f", but found element of type {_type_name(item)} at pos {pos}"
    return f", not {_type_name(value)}"


def _parse(name: str, signatures: list, shown: int, args: tuple,
           kwargs: dict) -> tuple[tuple, dict]:
    """``(args, kwargs)`` for the op: the input, then the rest by name (``_bind``)."""
    bound = _bind(name, signatures, shown, args, kwargs)
    return (bound.pop("input"),), bound


def _bind(name: str, signatures: list, shown: int, args: tuple, kwargs: dict) -> dict:
    """The arguments by name, or torch's TypeError. As in torch, the first signature that takes
    the call wins; when none does, the error is that of the only signature that takes as many
    arguments as were given, or, with several signatures and not one such, "invalid
    combination". Only the first ``shown`` count there and are listed: torch hides its
    deprecated ones."""
    outcomes = [s.bind(name, args, kwargs) for s in signatures]
    for bound in outcomes:
        if isinstance(bound, dict):
            return bound
    plausible = [i for i, s in enumerate(signatures[:shown])
                 if s.plausible(len(args) + len(kwargs))]
    if len(signatures) == 1 or len(plausible) == 1:
        raise TypeError(outcomes[plausible[0] if plausible else 0])
    got = ", ".join([_type_name(a) for a in args]
                    + [f"{k}={_type_name(v)}" for k, v in kwargs.items()])
    expected = (signatures[0].text if shown == 1 else
                "one of:\n" + "".join(f" * {s.text}\n" for s in signatures[:shown]))
    raise TypeError(f"{name}() received an invalid combination of arguments - got ({got}), "
                    f"but expected {expected}")
