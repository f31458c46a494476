"""dtypes and torch's type-promotion rules.

A ``dtype`` pairs torch's name with the NumPy dtype that stores it. Promotion follows torch, not
NumPy; the two differ in four places that matter in practice:

* categories rank ``bool < integer < floating``; within the winning category the widest
  *dimensioned* tensor decides, so ``float32 tensor + float64 0-d tensor -> float32``
  (NumPy 2 gives float64);
* a zero-dim tensor only wins when its category is higher than every dimensioned operand's;
* a Python scalar only contributes its category: ``int64 tensor * 2.5 -> float32`` (the default
  dtype), where NumPy gives float64; a NumPy scalar counts as the Python number of its kind
  (``np.float64(2) * float32 tensor -> float32``, ``int32 tensor * np.int64(3) -> int32``; an
  ``np.bool_`` counts as a float), where NumPy 2 lets its width win;
* true division of integers gives the default float dtype (float32), NumPy gives float64.
"""
from __future__ import annotations

import builtins
import math

import numpy as np

from ._names import scalar_type_name

__all__ = [
    "dtype", "float16", "float32", "float64", "half", "float", "double",
    "int8", "int16", "int32", "int64", "uint8", "short", "int", "long", "bool",
    "bfloat16", "complex32", "chalf", "complex64", "cfloat", "complex128", "cdouble",
    "uint16", "uint32", "uint64", "float8_e4m3fn", "float8_e5m2",
    "get_default_dtype", "set_default_dtype", "promote_types", "result_type", "can_cast",
    "finfo", "iinfo",
]


class dtype:
    """A torch dtype: ``minitorch_ref.float32`` prints as ``torch.float32``, as in torch.

    The dtypes NumPy can store are computed with. The others torch has (bfloat16, complex,
    uint16/32/64, float8) exist as named objects, so that scripts naming them import and
    compare them, but a tensor of one is refused with an error naming the dtype
    (``to_numpy_dtype``)."""

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize", "_rank", "_cat",
                 "_complex")

    def __init__(self, name: str, np_dtype, rank: int, category: int, *,
                 is_complex: builtins.bool = False, is_signed: builtins.bool | None = None,
                 itemsize: builtins.int | None = None) -> None:
        self.name = name
        self.np = None if np_dtype is None else np.dtype(np_dtype)
        self.is_floating_point = category == 2
        self.is_signed = self.np.kind in "if" if is_signed is None else is_signed
        self.itemsize = self.np.itemsize if itemsize is None else itemsize
        self._rank = rank          # order inside a category, for promotion
        self._cat = category       # 0 bool, 1 integer, 2 floating, 3 complex
        self._complex = is_complex

    @property
    def is_complex(self) -> builtins.bool:
        return self._complex

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self):
        return (_dtype_by_name, (self.name,))

    def to_complex(self) -> "dtype":
        """The complex dtype with this real dtype's parts (float32 -> complex64, ...)."""
        if self._complex:
            return self
        pair = _TO_COMPLEX.get(self.name)
        if pair is None:
            raise RuntimeError(f"Unsupported dtype {scalar_type_name(self)}")
        return _BY_NAME[pair]

    def to_real(self) -> "dtype":
        """The real dtype of a complex dtype's parts (complex64 -> float32); itself if real."""
        return _BY_NAME[_TO_REAL[self.name]] if self._complex else self


def _named_only(name: str, category: int, itemsize: builtins.int,
                signed: builtins.bool = True) -> dtype:
    """A dtype torch has and NumPy cannot store: named, compared, never computed with."""
    return dtype(name, None, 0, category, is_complex=category == 3, is_signed=signed,
                 itemsize=itemsize)


bool = dtype("bool", np.bool_, 0, 0)
uint8 = dtype("uint8", np.uint8, 1, 1)
int8 = dtype("int8", np.int8, 1, 1)
int16 = dtype("int16", np.int16, 2, 1)
int32 = dtype("int32", np.int32, 3, 1)
int64 = dtype("int64", np.int64, 4, 1)
float16 = dtype("float16", np.float16, 1, 2)
float32 = dtype("float32", np.float32, 2, 2)
float64 = dtype("float64", np.float64, 3, 2)
half, float, double = float16, float32, float64
short, int, long = int16, int32, int64

bfloat16 = _named_only("bfloat16", 2, 2)
complex32 = chalf = _named_only("complex32", 3, 4)
complex64 = cfloat = _named_only("complex64", 3, 8)
complex128 = cdouble = _named_only("complex128", 3, 16)
uint16 = _named_only("uint16", 1, 2, signed=False)
uint32 = _named_only("uint32", 1, 4, signed=False)
uint64 = _named_only("uint64", 1, 8, signed=False)
float8_e4m3fn = _named_only("float8_e4m3fn", 2, 1)
float8_e5m2 = _named_only("float8_e5m2", 2, 1)

_ALL = (bool, uint8, int8, int16, int32, int64, float16, float32, float64)
_NAMED_ONLY = (bfloat16, complex32, complex64, complex128, uint16, uint32, uint64,
               float8_e4m3fn, float8_e5m2)
_BY_NP = {d.np: d for d in _ALL}
_BY_NAME = {d.name: d for d in _ALL + _NAMED_ONLY}
_TO_COMPLEX = {"float16": "complex32", "bfloat16": "complex64", "float32": "complex64",
               "float64": "complex128"}
_TO_REAL = {"complex32": "float16", "complex64": "float32", "complex128": "float64"}


def _dtype_by_name(name: str) -> dtype:
    return _BY_NAME[name]


def from_numpy_dtype(np_dtype) -> dtype:
    """The torch dtype stored as ``np_dtype``; TypeError for NumPy dtypes torch has no name for."""
    try:
        return _BY_NP[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype)}. The only supported "
            "types are: float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        ) from None


def to_numpy_dtype(d) -> np.dtype:
    """Accepts our dtype, a NumPy dtype or a Python type (``float``, ``int``, ``bool``).
    A dtype NumPy cannot store (bfloat16, complex, ...) is refused, naming the dtype."""
    if isinstance(d, dtype):
        if d.np is None:
            raise _not_computed(d)
        return d.np
    if d is builtins.float:  # torch reads Python's float as float64, whatever the default
        return float64.np
    if d is builtins.int:
        return int64.np
    if d is builtins.bool:
        return bool.np
    name = getattr(d, "name", None)  # a torch.dtype passed by a user holding both libraries
    if isinstance(name, str) and str(d).startswith("torch.") and name in _BY_NAME:
        return to_numpy_dtype(_BY_NAME[name])
    return np.dtype(d)


def _not_computed(d: dtype) -> NotImplementedError:
    from ._missing import missing_feature
    why = "NumPy has no such type" if d.name in ("bfloat16", "float8_e4m3fn", "float8_e5m2") \
        else "only the dtypes NumPy computes torch's way are implemented"
    return missing_feature(f"torch.{d.name} tensors", f"tensors of dtype torch.{d.name} are "
                           f"not implemented in minitorch_ref ({why})")


def as_dtype(d) -> dtype:
    return from_numpy_dtype(to_numpy_dtype(d))


_default = float32


def get_default_dtype() -> dtype:
    return _default


class DefaultDtypeNotImplemented(TypeError, NotImplementedError):
    """A default dtype torch accepts and minitorch_ref cannot compute in (bfloat16): a TypeError,
    as torch's refusals of a default dtype are, and a missing feature for ``minitorch_ref.swap``
    (a NotImplementedError)."""


def set_default_dtype(d) -> None:
    """torch.set_default_dtype: the dtype of Python floats and of float factories
    (``tensor([1.5])``, ``zeros``, ``randn``). torch takes float16, bfloat16, float32 and
    float64 (a torch.dtype, nothing else); minitorch_ref takes those NumPy stores: bfloat16 is
    refused."""
    global _default
    if not isinstance(d, dtype):
        name = getattr(d, "name", None)  # a torch.dtype passed by a user holding both libraries
        if not (isinstance(name, str) and str(d).startswith("torch.") and name in _BY_NAME):
            raise TypeError("invalid dtype object: only floating-point types are supported as "
                            "the default type")
        d = _BY_NAME[name]
    if d.name.startswith("float8"):  # torch finds no storage class for these
        raise TypeError(f"couldn't find storage object {d.name.capitalize()}Storage")
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    if d.np is None:
        from ._missing import missing_feature
        raise missing_feature(
            f"torch.set_default_dtype(torch.{d.name})",
            f"torch.set_default_dtype(torch.{d.name}) is not supported by minitorch_ref: NumPy "
            f"has no {d.name} type to compute in", cls=DefaultDtypeNotImplemented)
    _default = d


def _promote_np(a: np.dtype, b: np.dtype) -> np.dtype:
    """torch's pairwise rule: the higher category wins outright (int64 with float32 is
    float32, where NumPy says float64); inside one category NumPy's widening agrees with torch."""
    if a == b:
        return a
    ca, cb = _NP_CAT[a.kind], _NP_CAT[b.kind]
    if ca != cb:
        return a if ca > cb else b
    return np.promote_types(a, b)


def promote_types(type1: dtype, type2: dtype) -> dtype:
    """The smallest dtype both ``type1`` and ``type2`` can be cast to, by torch's rules."""
    return from_numpy_dtype(_promote_np(as_dtype(type1).np, as_dtype(type2).np))


def can_cast(from_: dtype, to: dtype) -> builtins.bool:
    """torch.can_cast: no cast to a lower category (float -> int, int -> bool)."""
    return from_._cat <= to._cat


def _scalar_category(x) -> int:
    """A number's category. NumPy scalars count as Python numbers of their kind (torch wraps
    them the same way), except ``np.bool_``, which torch reads as a float."""
    if isinstance(x, builtins.bool):
        return 0
    if isinstance(x, (builtins.int, np.integer)):
        return 1
    return 2


def _category_default(cat: int) -> np.dtype:
    return (np.dtype(np.bool_), np.dtype(np.int64), _default.np)[cat]


_NP_CAT = {"b": 0, "u": 1, "i": 1, "f": 2}


_NUMBERS = frozenset((builtins.bool, builtins.int, builtins.float))


def result_np_dtype(*operands) -> np.dtype:
    """torch's result dtype for ndarray operands (0-d arrays are zero-dim tensors) and Python
    scalars. Fast path first: all operands ndarrays of one dtype."""
    dims = [o for o in operands if type(o) is np.ndarray and o.ndim]
    zeros = [o for o in operands if type(o) is np.ndarray and not o.ndim]
    scalars = [o for o in operands if type(o) is not np.ndarray]
    result = None
    cat = -1
    for group in (dims, zeros):
        if not group:
            continue
        g = group[0].dtype
        for o in group[1:]:
            if o.dtype != g:
                g = _promote_np(g, o.dtype)
        gcat = _NP_CAT[g.kind]
        if result is None:
            result, cat = g, gcat
        elif gcat > cat:
            # a zero-dim tensor of a higher category decides the dtype on its own
            result, cat = g, gcat
    for s in scalars:
        if type(s) not in _NUMBERS and getattr(type(s), "graph_array", False):
            # a forward replayed under create_graph: a GraphArray counts as the array it holds
            return result_np_dtype(*[np.empty((1,) * (o.ndim > 0), o.dtype)
                                     if getattr(type(o), "graph_array", False) else o
                                     for o in operands])
        scat = _scalar_category(s)
        if scat == 1 and type(s) is builtins.int and not _INT64_MIN <= s <= _INT64_MAX:
            _check_uint64_scalar_promotion(s, cat)
        if scat > cat:
            result, cat = _category_default(scat), scat
    return result


_INT64_MIN, _INT64_MAX, _UINT64_END = -(1 << 63), (1 << 63) - 1, 1 << 64


def check_int_scalar(value) -> None:
    """torch's reading of a Python int where it takes a number (a Scalar argument): an int64,
    or, beyond int64's maximum, an uint64; anything else is an OverflowError. (In
    ``t[i] = v`` and ``torch.tensor`` it must be an int64: ``check_long_long``.)"""
    if type(value) is builtins.int and not _INT64_MIN <= value <= _INT64_MAX:
        if value < _INT64_MIN:
            raise OverflowError("can't convert negative int to unsigned")
        if value >= _UINT64_END:
            raise OverflowError("int too big to convert")


def check_long_long(value) -> None:
    """torch's reading of a Python int as a C ``long long`` (``t[i] = v``)."""
    if type(value) is builtins.int and not _INT64_MIN <= value <= _INT64_MAX:
        raise ValueError("Overflow when unpacking long long")


def _check_uint64_scalar_promotion(value: builtins.int, cat: int) -> None:
    """A Python int beyond int64 is torch's uint64 number: beside a bool tensor it would make
    the result uint64, a dtype torch does not promote to."""
    check_int_scalar(value)
    if cat == 0:
        raise RuntimeError("Promotion for uint16, uint32, uint64 types is not supported, "
                           "attempted to promote Bool and UInt64")


def result_type(tensor1, tensor2) -> dtype:
    """torch.result_type for tensors and Python scalars."""
    ops = [getattr(t, "_data", t) for t in (tensor1, tensor2)]
    return from_numpy_dtype(result_np_dtype(*ops))


_F16, _F64 = np.dtype(np.float16), np.dtype(np.float64)


def cast(arr: np.ndarray, np_dtype) -> np.ndarray:
    """``arr`` converted to ``np_dtype`` as torch converts it (a new array, as ``astype``).

    float64 -> float16 goes through float32, because c10::Half is constructed from a float: the
    value rounds twice, first to float32, then to float16. NumPy's direct cast rounds once, and
    the two differ where float32's rounding lands on a float16 tie:
    ``1 + 2**-11 + 2**-40 -> 1 + 2**-11 (float32, a tie) -> 1.0``, where NumPy gives
    ``1.0009765625``; ``65520 - 2**-20 -> 65520 -> inf`` where NumPy gives 65504. Every other
    pair (int64 -> float16 included: an int that float32 would round is beyond float16's range)
    is NumPy's single cast."""
    if arr.dtype == _F64 and np_dtype == _F16:
        # out of range: inf, silently, as in torch (also outside ops: t[i] = v, Tensor.half())
        with np.errstate(over="ignore"):
            return arr.astype(np.float32).astype(np_dtype)
    return arr.astype(np_dtype)


def cast_value(value, np_dtype):
    """A value written into a ``np_dtype`` tensor (``full``, ``fill_``, ``t[i] = v``, a number
    operand): a Python float (or NumPy float64) or a float64 ndarray bound for float16 is
    converted by ``cast`` (through float32); anything else is returned unchanged for NumPy to
    convert. An int bound for an integer dtype keeps its low bits, as torch's conversion does
    (200 -> -56 for int8, -1 -> 255 for uint8, 2**63, torch's uint64, -> -2**63 for int64),
    where NumPy refuses it; beyond int64 and uint64 it is torch's OverflowError."""
    if np_dtype == _F16:
        if isinstance(value, builtins.float):  # np.float64 is a float
            return cast(np.asarray(value, np.float64), np_dtype)[()]
        if type(value) is np.ndarray and value.dtype == _F64:
            return cast(value, np_dtype)
    elif np_dtype.kind == "b":
        if type(value) is builtins.int and not _INT64_MIN <= value <= _INT64_MAX:
            check_int_scalar(value)
            return True  # (torch's uint64: not 0)
    elif np_dtype.kind in "iu" and isinstance(value, (builtins.int, np.integer)):
        if _INT64_MIN <= value <= _INT64_MAX:
            if np_dtype.itemsize == 8:
                return value
        else:
            check_int_scalar(value)
        bits = 8 * np_dtype.itemsize
        low = -(1 << (bits - 1)) if np_dtype.kind == "i" else 0
        return (builtins.int(value) - low) % (1 << bits) + low
    return value


# C++ names of the dtypes in torch's scalar conversion error, and their ranges
_C_TYPES = {np.dtype(k): v for k, v in (
    ("uint8", "uint8_t"), ("int8", "int8_t"), ("int16", "int16_t"), ("int32", "int"),
    ("int64", "int64_t"), ("float16", "c10::Half"), ("float32", "float"))}
_RANGES = {d: ((builtins.float(np.finfo(d).max),) if d.kind == "f" else
               (builtins.int(np.iinfo(d).min), builtins.int(np.iinfo(d).max)))
           for d in _C_TYPES}
_F32 = np.dtype(np.float32)


def check_scalar_fits(value, np_dtype, *, opmath: builtins.bool = False) -> None:
    """torch's check when a Python number becomes an element of a tensor or a kernel's
    constant (``full``, ``fill_``, ``masked_fill``, ``clamp``'s bounds, ``alpha``, ...): a
    float must lie in an integer dtype's range (no NaN or inf) or, if finite, within a float
    dtype's (float16: |v| <= 65504; an infinity or NaN passes); an int must lie in the dtype's
    range, where an unsigned dtype also takes negatives down to minus its maximum (they wrap).
    bool and float64 take anything. ``opmath``: the kernel reads the number in its opmath type,
    float32 for float16 (``addcmul``'s value, ``lerp``'s weight, ``threshold``'s threshold)."""
    check_int_scalar(value)
    np_dtype = np.dtype(np_dtype)
    if opmath and np_dtype == _F16:
        np_dtype = _F32
    limits = _RANGES.get(np_dtype)
    if limits is None or isinstance(value, (builtins.bool, np.bool_)) \
            or not isinstance(value, (builtins.int, builtins.float, np.integer, np.floating)):
        return
    if isinstance(value, np.floating):  # compared as a Python float: no NumPy cast of the limits
        value = builtins.float(value)
    if len(limits) == 1:
        bad = math.isfinite(value) and abs(value) > limits[0]
    else:
        low, high = limits
        if low == 0 and isinstance(value, (builtins.int, np.integer)):
            low = -high
        bad = not (math.isfinite(value) and low <= value <= high)
    if bad:
        raise RuntimeError(
            f"value cannot be converted to type {_C_TYPES[np_dtype]} without overflow")


def check_fill_fits(value, np_dtype, numel: builtins.int) -> None:
    """``check_scalar_fits`` for torch's ``fill_`` (and ``full``, ``full_like``, ``new_full``,
    which fill): a single float16 element is written unchecked (its one-element fast path; a
    finite value beyond 65504 gives inf)."""
    if numel != 1 or np_dtype != _F16:
        check_scalar_fits(value, np_dtype)


# -- finfo, iinfo: the numeric limits of a dtype ---------------------------------------------------

_NO_TYPE = object()


def _info_dtype(kind: str, type_) -> dtype:
    """The dtype ``finfo``/``iinfo`` describe: a dtype or a Python type (``float`` is float64,
    ``int`` int64, as torch reads them); anything else is torch's TypeError."""
    if type_ is _NO_TYPE:
        if kind == "iinfo":
            raise TypeError('iinfo() missing 1 required positional arguments: "type"')
        return _default
    if type_ in (builtins.float, builtins.int, builtins.bool):
        return {builtins.float: float64, builtins.int: int64, builtins.bool: bool}[type_]
    if not isinstance(type_, dtype) and not str(type_).startswith("torch."):
        raise TypeError(f"{kind}(): argument 'type' (position 1) must be torch.dtype, not "
                        f"{type(type_).__name__}")
    if isinstance(type_, dtype):
        return type_
    return _BY_NAME[type_.name] if getattr(type_, "name", None) in _BY_NAME else as_dtype(type_)


class _Info:
    """Read-only attributes, compared by dtype, unhashable: as torch's finfo/iinfo."""

    __slots__ = ()
    __hash__ = None
    _fields: tuple = ()

    def __setattr__(self, name, value) -> None:
        if name in self._fields:
            raise AttributeError(f"attribute '{name}' of 'torch.{type(self).__name__}' objects "
                                 "is not writable")
        raise AttributeError(f"'torch.{type(self).__name__}' object has no attribute '{name}'")

    def _set(self, **values) -> None:
        for k, v in values.items():
            object.__setattr__(self, k, v)

    def __eq__(self, other) -> builtins.bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.dtype == other.dtype

    def __repr__(self) -> str:
        # C++ stream formatting, as torch prints them: 6 significant digits (%g)
        shown = ", ".join(f"{k}={getattr(self, k):g}" for k in self._shown)
        return f"{type(self).__name__}({shown}, dtype={self.dtype})"

    __str__ = __repr__


# bits, eps, max, smallest normal, decimal digits: of the float formats NumPy lacks
_FLOAT_LIMITS = {
    "bfloat16": (16, 2.0 ** -7, (2 - 2.0 ** -7) * 2.0 ** 127, 2.0 ** -126, 2),
    "float8_e4m3fn": (8, 2.0 ** -3, 448.0, 2.0 ** -6, 0),
    "float8_e5m2": (8, 2.0 ** -2, 57344.0, 2.0 ** -14, 0),
}


class finfo(_Info):
    """Limits of a floating dtype (the default dtype when none is given): ``bits``, ``eps``
    (the gap between 1 and the next number), ``max``, ``min``, ``tiny`` = ``smallest_normal``
    (the smallest positive normal number), ``resolution`` (10 ** -(decimal digits of
    precision)), ``dtype`` (its name). The numbers are Python floats."""

    __slots__ = ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype")
    _fields = __slots__
    _shown = ("resolution", "min", "max", "eps", "smallest_normal", "tiny")

    def __init__(self, type=_NO_TYPE) -> None:  # noqa: A002 - torch's parameter name
        d = _info_dtype("finfo", type).to_real()
        if not d.is_floating_point:
            raise TypeError("torch.finfo() requires a floating point input type. Use "
                            "torch.iinfo to handle 'torch.finfo'")
        if d.np is None:  # NumPy has no such type: the format's limits, written out
            bits, eps, top, normal, digits = _FLOAT_LIMITS[d.name]
            self._set(bits=bits, eps=eps, max=top, min=-top, tiny=normal, smallest_normal=normal,
                      resolution=10.0 ** -digits, dtype=d.name)
            return
        f = np.finfo(d.np)
        self._set(bits=f.bits, eps=builtins.float(f.eps), max=builtins.float(f.max),
                  min=builtins.float(f.min), tiny=builtins.float(f.smallest_normal),
                  smallest_normal=builtins.float(f.smallest_normal),
                  resolution=builtins.float(f"1e-{f.precision}"), dtype=d.name)


class iinfo(_Info):
    """Limits of an integer dtype: ``bits``, ``max``, ``min`` (Python ints), ``dtype`` (its
    name). ``bool`` is refused, as in torch."""

    __slots__ = ("bits", "max", "min", "dtype")
    _fields = __slots__
    _shown = ("min", "max")

    def __init__(self, type=_NO_TYPE) -> None:  # noqa: A002 - torch's parameter name
        d = _info_dtype("iinfo", type)
        if d is bool:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if d.is_floating_point or d.is_complex:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        i = np.iinfo(d.np if d.np is not None else d.name)  # uint16/32/64: NumPy knows them
        self._set(bits=i.bits, max=builtins.int(i.max), min=builtins.int(i.min), dtype=d.name)
