"""The checks torch's samplers make before they draw: parameter ranges, dtypes, and the bounds of
``random_``/``randint``, with torch's order, exception types and messages. Nothing here draws,
so a call that raises leaves the generator's stream where it was.

Order matters where both a parameter and the dtype are wrong: ``exponential_``, ``cauchy_``,
``log_normal_``, ``normal_`` and ``geometric_`` check the parameter first (a NaN fails every
check, as ``!(x > 0)``), the dtype second; ``uniform_`` checks the dtype first. An empty tensor
skips the dtype check of ``exponential_``, ``log_normal_``, ``normal_`` (``randn``),
``geometric_`` and ``random_``'s full 64-bit range (torch returns before dispatching), not
``cauchy_``'s or ``uniform_``'s.
"""
from __future__ import annotations

import builtins
import warnings

import numpy as np

from . import _dtype
from ._dtype import _INT64_MAX as INT64_MAX, _INT64_MIN as INT64_MIN
from ._names import c_type_name, scalar_type_name
from ._tensor import Size, Tensor


def _name(np_dtype) -> str:
    return scalar_type_name(_dtype.from_numpy_dtype(np.dtype(np_dtype)))


def _c_name(np_dtype) -> str:
    return c_type_name(np.dtype(np_dtype))


def not_implemented(kernel: str, np_dtype) -> NotImplementedError:
    return NotImplementedError(f'"{kernel}" not implemented for \'{_name(np_dtype)}\'')


def check_exponential(np_dtype, lambd, empty: bool) -> None:
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    if np.dtype(np_dtype).kind != "f" and not empty:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified {_name(np_dtype)}")


def check_cauchy(np_dtype, sigma) -> None:
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma:g}")
    if np.dtype(np_dtype).kind != "f":
        raise RuntimeError("Cauchy distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified {_c_name(np_dtype)}")


def check_log_normal(np_dtype, std, empty: bool) -> None:
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std:g}")
    if np.dtype(np_dtype).kind != "f" and not empty:
        raise not_implemented("log_normal_cpu", np_dtype)


def check_normal_std(std) -> None:
    """torch's CHECK_NORMAL_STD for a number std (NaN fails)."""
    if not std >= 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def check_normal_tensor_std(std: np.ndarray) -> None:
    """torch's CHECK_NORMAL_TENSOR_STD: ``std.min() >= 0`` (a NaN anywhere fails)."""
    if std.size and not np.min(std) >= 0:
        raise RuntimeError("normal expects all elements of std >= 0.0")


def check_normal(np_dtype, std, empty: bool) -> None:
    check_normal_std(std)
    if np.dtype(np_dtype).kind != "f" and not empty:
        raise not_implemented("normal_kernel_cpu", np_dtype)


def check_geometric(np_dtype, p, empty: bool) -> None:
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p:g}")
    if np.dtype(np_dtype) == np.bool_ and not empty:
        raise not_implemented("geometric_cpu", np_dtype)


# ==================================================================================================
# random_(from, to) and randint: torch's random_from_to_impl
# ==================================================================================================

_RANDOM_SIGNATURES = ("\n * (*, torch.Generator generator = None)"
                      "\n * (int from, int to, *, torch.Generator generator = None)"
                      "\n * (int to, *, torch.Generator generator = None)\n")


def random_arguments(args: tuple, kwargs: dict) -> tuple:
    """Bind ``random_``'s arguments to torch's three overloads ``()``, ``(int from, int? to)``,
    ``(int to)``: returns ``(from, to, has_to, node)`` or ``None`` for the no-argument form.
    Python ints only (a float or bool is torch's TypeError); ints beyond int64 are torch's
    ValueError."""
    kw = dict(kwargs)
    names = ("from", "to")
    given = dict(zip(names, args))
    ok = len(args) <= 2 and not (set(given) & set(kw)) and not (set(kw) - set(names))
    given.update(kw)
    if ok and "to" not in given and "from" in given and len(args) == 1 and not kw:
        given = {"to": given["from"]}  # random_(to)
    ok = ok and not ("from" in given and "to" not in given)
    for key, v in given.items():
        if v is None and key == "to" and "from" in given:
            continue
        if isinstance(v, builtins.bool) or not isinstance(v, (builtins.int, np.integer)):
            ok = False
    if not ok:
        got = ", ".join([type(a).__name__ for a in args]
                        + [f"{k}={type(v).__name__}" for k, v in kwargs.items()])
        if kwargs:
            got += ", "
        raise TypeError(f"random_() received an invalid combination of arguments - got ({got}), "
                        f"but expected one of:{_RANDOM_SIGNATURES}")
    for v in given.values():
        if v is not None and not INT64_MIN <= v <= INT64_MAX:
            raise ValueError("Overflow when unpacking long long")
    if not given:
        return None
    if "from" not in given:
        return 0, builtins.int(given["to"]), True, "RandomBackward1"
    to = given["to"]
    return (builtins.int(given["from"]), None if to is None else builtins.int(to), to is not None,
            "RandomBackward0")


def _float_digits(np_dtype) -> int:
    return np.finfo(np_dtype).nmant + 1


def _update_from(frm: int, np_dtype) -> int:
    """torch's update_from: if ``from + 1`` rounds below ``from`` in the dtype, move ``from`` up
    to the next value the dtype holds."""
    plus_1 = _int64_cast(_to_float(frm + 1, np_dtype))
    if plus_1 < frm:
        n = abs(frm + 1).bit_length() - 1
        frm = plus_1 + (1 << (n - _float_digits(np_dtype) + 1))
    return frm


def _update_to(to: int, np_dtype) -> int:
    """torch's update_to: if ``to - 1`` rounds up to ``to`` or beyond in the dtype, move ``to``
    down below the rounding."""
    minus_1 = _int64_cast(_to_float(to - 1, np_dtype))
    if minus_1 >= to:
        n = abs(to - 1).bit_length() - 1
        to = minus_1 - (1 << (n - _float_digits(np_dtype) + 1))
    return to


def _to_float(v: int, np_dtype) -> np.ndarray:
    """``static_cast<scalar_t>`` of an int64: one rounding (NumPy's int64 cast, not a Python
    int's way through float64)."""
    if INT64_MIN <= v <= INT64_MAX:
        return np.array(v, dtype=np.int64).astype(np_dtype)
    return np.array(builtins.float(v)).astype(np_dtype)


def _int64_cast(x: np.ndarray) -> int:
    """``static_cast<int64_t>`` of a float beyond int64 (2**63 rounded from 2**63 - 1) is int64's
    minimum on x86."""
    v = builtins.float(x)
    return INT64_MIN if not -2.0 ** 63 <= v < 2.0 ** 63 else builtins.int(v)


def _check_in_range(frm: int, to_inc: int, np_dtype) -> None:
    """torch's check_from_to_in_range: both ends inside the dtype's range (floats: its finite
    range, with a warning beyond the integers it holds exactly, +-2**digits)."""
    dt = np.dtype(np_dtype)
    if dt.kind == "f":
        top = builtins.float(np.finfo(dt).max)
        lo, hi = -top, top
    elif dt == np.bool_:
        lo, hi = 0, 1
    else:
        lo, hi = builtins.int(np.iinfo(dt).min), builtins.int(np.iinfo(dt).max)
    for value, what in ((frm, "from"), (to_inc, "to - 1")):
        if not lo <= value <= hi:
            raise RuntimeError(f"{what} is out of bounds for {_c_name(dt)}")
    if dt.kind == "f":
        digits = _float_digits(dt)
        for value, what in ((frm, "from"), (to_inc, "to - 1")):
            if not -(1 << digits) <= value <= 1 << digits:
                warnings.warn(
                    f"{what} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision "
                    f"limitations {_c_name(dt)} can support discrete uniform distribution only "
                    "within this range. This warning will become an error in version 1.7 "
                    "release, please fix the code in advance", UserWarning, stacklevel=4)


def random_range(np_dtype, frm: int, to, has_to: bool, empty: bool = False):
    """torch's random_from_to_impl: ``(low, high)`` of the draw ``w % (high - low) + low`` after
    torch's checks (``to=None``: up to the dtype's largest exact integer), or ``None`` for the
    full 64-bit range (``from = -2**63``, no ``to``)."""
    dt = np.dtype(np_dtype)
    if has_to:
        if frm >= to:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={frm} "
                               f">= to={to}")
        if dt.kind == "f":
            frm, to = _update_from(frm, dt), _update_to(to, dt)
            if frm >= to:
                raise RuntimeError(
                    "random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, "
                    f"but got from={frm} >= to={to}")
        _check_in_range(frm, to - 1, dt)
        return frm, to
    if frm != INT64_MIN:
        if dt.kind == "f":
            to_inc = min(1 << _float_digits(dt), INT64_MAX)
            frm = _update_from(frm, dt)
            if not frm < to_inc:
                raise RuntimeError(
                    "random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' "
                    f"casted to dtype, but got from={frm} > to_inc={to_inc}")
        else:
            to_inc = 1 if dt == np.bool_ else builtins.int(np.iinfo(dt).max)
        _check_in_range(frm, to_inc, dt)
        return frm, to_inc + 1
    if empty:
        return None
    if dt == np.float16 or dt == np.bool_:
        raise not_implemented("random_full_64_bits_range_kernel_cpu", dt)
    if dt not in (np.int64, np.float32, np.float64):
        raise RuntimeError("random_full_64_bits_range_kernel_cpu handles only int64, double, "
                           "float and bfloat16")
    return None


def _type_name(v) -> str:
    if isinstance(v, _dtype.dtype):
        return "torch.dtype"
    kind = type(v).__name__
    if type(v).__module__ == "numpy":
        return f"numpy.{kind}"
    return "torch._C.Generator" if kind == "Generator" else kind


def _first_is_int(size) -> bool:
    """Whether torch's parser takes ``size`` for a tuple of ints (it looks at the first entry)."""
    if not isinstance(size, (tuple, list, Size)):
        return False
    if not len(size):
        return True
    first = size[0]
    if isinstance(first, Tensor):
        return first._data.size == 1 and first._data.dtype.kind in "iub"
    return isinstance(first, (builtins.int, np.integer)) and not isinstance(first, builtins.bool)


def randint_arguments(args: tuple, kwargs: dict, extra: dict) -> tuple:
    """Bind randint's arguments as torch's overloads do, ``(low, high, size)`` first, then
    ``(high, size)`` with ``low = 0``: positional values take the leading names, keywords the
    rest, and every name of the overload must be bound exactly once. ``extra``: the other
    keywords given (named in torch's error). Bounds beyond int64 are torch's ValueError."""
    given = {k: v for k, v in kwargs.items() if v is not None}
    for names in (("low", "high", "size"), ("high", "size")):
        if len(args) > len(names) or set(given) - set(names):
            continue
        bound = dict(zip(names, args))
        if set(bound) & set(given) or len(bound) + len(given) != len(names):
            continue
        bound.update(given)
        low, high = bound.get("low", 0), bound["high"]
        for name, v in (("low", low), ("high", high)):
            if hasattr(v, "item") and not isinstance(v, np.generic):
                v = v.item()
            if not isinstance(v, (builtins.int, np.integer)) or isinstance(v, builtins.bool):
                if len(args) == 2 and not extra and not given:
                    raise TypeError(f"randint(): argument '{name}' (position 1) must be int, "
                                    f"not {type(v).__name__}")
                break
        else:
            size = bound["size"]
            position = None if "size" in given else len(names)
            if not _first_is_int(size):  # only the (high, size) overload words its size error
                if len(names) == 3 or extra:
                    break
                if not isinstance(size, (tuple, list, Size)):
                    where = "" if position is None else " (position 2)"
                    raise TypeError(f"randint(): argument 'size'{where} must be tuple of ints, "
                                    f"not {_type_name(size)}")
            low = low.item() if hasattr(low, "item") else low
            high = high.item() if hasattr(high, "item") else high
            for v in (low, high):
                if not INT64_MIN <= v <= INT64_MAX:
                    raise ValueError("Overflow when unpacking long long")
            return builtins.int(low), builtins.int(high), size, position
        break
    got = ", ".join([_type_name(a) for a in args]
                    + [f"{k}={_type_name(v)}" for k, v in {**given, **extra}.items()])
    raise TypeError(
        f"randint() received an invalid combination of arguments - got ({got}), but expected "
        "one of:\n" + "".join(f" * ({first}tuple of ints size, *, {gen}{FACTORY_KEYWORDS})\n"
                               for first in ("int high, ", "int low, int high, ")
                               for gen in ("torch.Generator generator, ", "")))


FACTORY_KEYWORDS = ("Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
                    "torch.device device = None, bool pin_memory = False, "
                    "bool requires_grad = False")


def sampler_size_overloads(name: str, size: tuple, given: dict, kw: dict) -> None:
    """rand/randn(size, **given): with keywords given, a size whose first entry is no int
    matches none of torch's two overloads (with and without a generator), nor does a size
    given both positionally and as ``size=`` (in ``kw``; the keywords are then listed in the
    order of the call's: torch's own order, a hash table's, is not followed)."""
    sequence = len(size) == 1 and isinstance(size[0], (tuple, list, Size))
    if size and "size" in kw:
        given = {**given, "size": kw["size"]}
        positional = size
    elif not given or not size or _first_is_int(size[0] if sequence else size):
        return
    else:
        positional = size[:1]
    got = ", ".join([_type_name(s) for s in positional] +
                    [f"{k}={_type_name(v)}" for k, v in given.items()])
    raise TypeError(
        f"{name}() received an invalid combination of arguments - got ({got}), but expected "
        "one of:\n" + "".join(f" * (tuple of ints size, *, {gen}{FACTORY_KEYWORDS})\n"
                               for gen in ("torch.Generator generator, ", "")))


def check_randperm_n(n, keywords: dict) -> None:
    """randperm's ``n`` is an int (a float or bool is torch's TypeError)."""
    if isinstance(n, builtins.bool) or not isinstance(n, (builtins.int, np.integer)):
        if all(v is None for v in keywords.values()):
            raise TypeError(f"randperm(): argument 'n' (position 1) must be int, not "
                            f"{type(n).__name__}")
        got = ", ".join([type(n).__name__] + [f"{k}={_type_name(v)}" for k, v in
                                              keywords.items() if v is not None])
        raise TypeError(f"randperm() received an invalid combination of arguments - got ({got}), "
                        "but expected one of:\n * (int n, *, torch.Generator generator, ...)\n"
                        " * (int n, *, ...)\n")


def check_randperm_dtype(n: int, np_dtype) -> None:
    """torch's check_supported_max_int_with_precision: ``n - 1`` must fit the dtype, and a float
    dtype must hold every integer up to ``n`` exactly (float16: 2049, float32: 2**24 + 1)."""
    dt = np.dtype(np_dtype)
    if dt.kind in "iu":
        _dtype.check_scalar_fits(n - 1 if n > 0 else n, dt)
    limits = {np.dtype(np.float16): ("2049", "Half"), np.dtype(np.float32): ("2^24+1", "Float"),
              np.dtype(np.float64): ("2^53+1", "Double")}
    if dt in limits and n > (1 << _float_digits(dt)) + 1:
        bound, name = limits[dt]
        raise RuntimeError(f"n cannot be greater than {bound} for {name} type.")
