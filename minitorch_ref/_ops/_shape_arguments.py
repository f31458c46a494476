"""Argument parsing and checks of the shape ops: int lists (sizes, dims) given one by one,
as one sequence or by keyword, read as torch's parser reads them, and expand's size checks."""
from __future__ import annotations

import numpy as np

from ._util import shape_str

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
NO_ARG = object()  # an argument not given (torch's parser words that error itself)


def int_list(args: tuple, name: str, arg: str, position: int = 1, dims: bool = False) -> tuple:
    """``args`` (ints given one by one, or one tuple/list/Size) as a tuple of ints, read as
    torch's parser reads an int list: Python ints straight through; other entries (or ints
    past int64) go through the factories' parser (``size_ints``) for torch's conversions (NumPy
    ints, one-element integer tensors) and TypeErrors. ``name``/``arg``/``position`` name the
    call and argument there; ``dims``: a list of dims (``size_ints``)."""
    ints = args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else args
    for s in ints:
        if type(s) is not int or not _INT64_MIN < s <= _INT64_MAX:
            from .._creation import size_ints
            return tuple(size_ints(args, name, position=position, arg=arg, dims=dims))
    return tuple(ints)


def list_argument(name: str, arg: str, args: tuple, kw: dict, flags: tuple = (),
                   dims: bool = False) -> tuple:
    """A Tensor method's int list ``arg``, given as ints one by one, one sequence (``args``) or
    by keyword (``kw``), bound as torch's parser binds it; ``flags``: the method's bool
    keywords (refused when not bools; their values are not needed here)."""
    from .._creation import _type_name
    for f in flags:
        if f in kw and type(kw[f]) is not bool:
            raise TypeError(f"{name}(): argument '{f}' must be bool, not {_type_name(kw[f])}")
        kw.pop(f, None)
    if arg in kw and not args:
        value = kw.pop(arg)
        if kw:
            raise TypeError(f"{name}() got an unexpected keyword argument '{next(iter(kw))}'")
        if not isinstance(value, (tuple, list)):
            raise TypeError(f"{name}(): argument '{arg}' must be tuple of ints, not "
                            f"{_type_name(value)}")
        from .._creation import size_ints
        return tuple(size_ints((value,), name, keyword=True, arg=arg, dims=dims))
    if not args:
        raise TypeError(f'{name}() missing 1 required positional arguments: "{arg}"')
    if arg in kw:
        raise TypeError(f"{name}() got multiple values for argument '{arg}'")
    if kw:
        raise TypeError(f"{name}() got an unexpected keyword argument '{next(iter(kw))}'")
    return int_list(args, name, arg, dims=dims)


def sequence_argument(value, name: str, arg: str, position: int, extra: tuple = (),
                       dims: bool = False) -> tuple:
    """A torch function's int list argument ``value`` (one tuple/list/Size, never ints one by
    one): torch's TypeErrors for anything else, or for positional arguments beyond it
    (``extra``)."""
    if extra:
        raise TypeError(f"{name}() takes {position} positional arguments but "
                        f"{position + len(extra)} were given")
    if value is NO_ARG:
        raise TypeError(f'{name}() missing 1 required positional arguments: "{arg}"')
    if not isinstance(value, (tuple, list)):
        from .._creation import _type_name
        raise TypeError(f"{name}(): argument '{arg}' (position {position}) must be tuple of ints, "
                        f"not {_type_name(value)}")
    return int_list((value,), name, arg, position, dims)


def expand_error(shape: tuple, sizes: tuple, type_name: str = "torch.FloatTensor"):
    """The RuntimeError torch's expand raises when ``shape`` cannot be expanded to ``sizes``,
    or None when it can. As torch's ``inferExpandGeometry``, the dims are checked from the
    last, and only -1 is refused in a leading dim (other negative sizes fail later, in
    ``expand_target``)."""
    if len(sizes) < len(shape):
        return RuntimeError(
            f"expand({type_name}{{{shape_str(shape)}}}, size={shape_str(sizes)}): the number "
            f"of sizes provided ({len(sizes)}) must be greater or equal to the number of "
            f"dimensions in the tensor ({len(shape)})")
    if not shape:  # (torch takes a 0-d tensor's sizes as they are)
        return None
    lead = len(sizes) - len(shape)
    for i in range(len(sizes) - 1, -1, -1):
        s = sizes[i]
        if i < lead:
            if s == -1:
                return RuntimeError(
                    f"The expanded size of the tensor ({s}) isn't allowed in a leading, "
                    f"non-existing dimension {i}")
            continue
        have = shape[i - lead]
        if s != -1 and have != s and have != 1:
            return RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({have}) "
                f"at non-singleton dimension {i}.  Target sizes: {shape_str(sizes)}.  Tensor "
                f"sizes: {shape_str(shape)}")
    return None


def expand_target(shape: tuple, sizes: tuple, type_name: str = "torch.FloatTensor") -> tuple:
    """The shape ``expand(sizes)`` gives a tensor of ``shape`` (-1 keeps a dim's size), with
    torch's errors: ``expand_error``'s, int64's minimum (torch's marker of a symbolic size),
    and a negative size left over (which torch's element count overflows on)."""
    if _INT64_MIN in sizes:
        raise RuntimeError("SymIntArrayRef expected to contain only concrete integers")
    err = expand_error(shape, sizes, type_name)
    if err is not None:
        raise err
    if -1 not in sizes:
        target = sizes
    else:
        lead = len(sizes) - len(shape)
        target = tuple(shape[i - lead] if s == -1 and i >= lead else s
                       for i, s in enumerate(sizes))
    if min(target, default=0) < 0:  # (torch builds the tensor when another size is 0: not here)
        raise RuntimeError("numel: integer multiplication overflow")
    return target


def _index(value) -> bool:
    """Whether torch's parser takes ``value`` for an int: a Python or NumPy int (not a bool) or
    an integer tensor of one element."""
    from .._tensor import Tensor
    if isinstance(value, Tensor):
        return value._data.size == 1 and value._data.dtype.kind in "iu"
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _described(value) -> str:
    """An argument as torch describes it among its overloads (``tuple of (int, float)``)."""
    from .._creation import _type_name
    if isinstance(value, (tuple, list)):
        inner = ", ".join(_type_name(v) for v in value)
        if isinstance(value, list):
            return f"list of [{inner}]"
        return f"tuple of ({inner}{',' if len(value) == 1 else ''})"
    return _type_name(value)


def movedim_dims(name: str, source, destination, extra: tuple, method: bool) -> tuple:
    """movedim's ``source`` and ``destination`` as two tuples: both ints or both int lists
    (torch's two overloads), else torch's TypeError listing the overloads (where two arguments
    were given, the first marks what is not an int, the second marks both)."""
    from .._creation import _type_name
    if not extra and NO_ARG not in (source, destination):
        if _index(source) and _index(destination):
            return (int_list((source,), name, "source", dims=True),
                    int_list((destination,), name, "destination", dims=True))
        if isinstance(source, (tuple, list)) and isinstance(destination, (tuple, list)):
            return (int_list((source,), name, "source", dims=True),
                    int_list((destination,), name, "destination", dims=True))
    given = [a for a in (source, destination) + extra if a is not NO_ARG]
    lead = "" if method else "Tensor, "
    got = lead + ", ".join(_type_name(a) for a in given)
    lines = [f"{name}() received an invalid combination of arguments - got ({got}), but "
             "expected one of:"]
    for signature, fits in (("int source, int destination", _index),
                            ("tuple of ints source, tuple of ints destination", None)):
        lines.append(f" * ({'' if method else 'Tensor input, '}{signature})")
        if len(given) == 2:
            marks = [_described(a) if fits and fits(a) else f"!{_described(a)}!" for a in given]
            lines.append("      didn't match because some of the arguments have invalid types: "
                         f"({lead}{', '.join(marks)})")
    return TypeError("\n".join(lines) + "\n")
