"""Tensor creation: ``tensor``, ``zeros``, ``ones``, ``full``, ``arange``, ... with torch's
dtype inference (Python floats give the default dtype, ints give int64)."""
from __future__ import annotations

import builtins
import math
import operator
import warnings

import numpy as np

from . import _dtype
from ._cpu_math import _fma32, _fma64, _libm
from ._ops._arguments import argument_error
from ._ops.out import factory_dtype, factory_write
from ._device import CPU
from ._names import shape_str
from ._numpy_errors import quiet
from ._tensor import (_INT64_MAX, Size, Tensor, _check_device, _new_tensor, _to_array,
                      allocate, cannot_allocate, contiguous_strides, storage_nbytes)

__all__ = ["tensor", "as_tensor", "from_numpy", "asarray", "zeros", "ones", "full", "empty",
           "zeros_like", "ones_like", "full_like", "empty_like", "arange", "linspace",
           "logspace", "eye", "scalar_tensor", "range", "empty_strided"]

# (the Tensor methods new_tensor, new_zeros, ... are at the end: not torch functions)

_NO_ARG = object()  # an argument not given (torch's parser words that error itself)


def _finish(arr: np.ndarray, requires_grad: bool, numpy_strides: bool = False) -> Tensor:
    if arr.size == 0 and arr.ndim:
        arr = _explicit_strides(arr, numpy_strides)
    t = _new_tensor(arr)
    if requires_grad:
        t._set_requires_grad(True, "Only Tensors of floating point and complex dtype can "
                                   "require gradients")
    return t


def _explicit_strides(arr: np.ndarray, numpy_strides: bool) -> np.ndarray:
    """An array with no elements as a view with explicit strides, which NumPy then carries
    through transposes and other views (an array it creates empty has all-zero strides, so
    would its transposes). A factory's tensor gets torch's contiguous strides (zeros(0, 3):
    (3, 1), its transpose (1, 3)); one made from an ndarray keeps NumPy's, as torch keeps them
    (``Tensor.stride`` reads the explicit zeros as such)."""
    strides = arr.strides if numpy_strides else \
        tuple(s * arr.itemsize for s in contiguous_strides(arr.shape))
    return np.lib.stride_tricks.as_strided(arr, strides=strides)


def size_ints(size: tuple, name: str, keyword: bool = False, position: int = 1,
              arg: str = "size", dims: bool = False) -> list:
    """``*size`` (ints, or one sequence) read as torch's parser reads a tuple of ints into C long
    longs: the TypeErrors for entries of other types or past int64, nothing else checked.
    ``arg``: the argument's name in the messages. ``dims``: a list of dims (torch's IntArrayRef,
    which reads a bool tensor as 0 or 1; a list of sizes refuses it)."""
    sequence = len(size) == 1 and isinstance(size[0], (tuple, list, Size))
    if sequence:
        size = tuple(size[0])
    where = "" if keyword else f" (position {position})"
    ints = []
    for pos, s in enumerate(size):
        if isinstance(s, Tensor) and s._data.size == 1 and s._data.dtype.kind in "iub":
            if s._data.dtype.kind == "b" and not dims:  # an index, refused by item<int64_t>
                raise RuntimeError("Expected scalar.isIntegral( false) to be true, but got "
                                   "false.  (Could this error message be improved?  If so, "
                                   "please report an enhancement request to PyTorch.)")
            s = builtins.int(s.item())  # (an integer tensor of one element is an index)
        if isinstance(s, builtins.bool) and pos:
            s = builtins.int(s)
        if not isinstance(s, (builtins.int, np.integer)) or isinstance(s, builtins.bool):
            kind = _type_name(s)
            if pos:
                raise TypeError(f"{name}(): argument '{arg}' failed to unpack the object at pos "
                                f"{pos + 1} with error \"type must be tuple of ints,but got "
                                f"{kind}\"")
            if keyword:
                raise TypeError(f"{name}(): argument '{arg}' must be tuple of ints, not "
                                f"{'tuple' if sequence else kind}")
            if sequence:
                raise TypeError(f"{name}(): argument '{arg}'{where} must be tuple of ints, "
                                f"but found element of type {kind} at pos 0")
            if len(size) > 1:
                raise TypeError(f"{name}() takes 1 positional argument but {len(size)} were "
                                "given")
            raise TypeError(f"{name}(): argument '{arg}'{where} must be tuple of ints, "
                            f"not {kind}")
        if not -(1 << 63) <= s < 1 << 63:  # torch reads each size as a C long long
            # (torch's message goes on with a C++ stack trace before its closing quote)
            raise TypeError(f"{name}(): argument '{arg}' failed to unpack the object at pos "
                            f"{pos + 1} with error \"Overflow when unpacking long long\n\"")
        ints.append(builtins.int(s))
    return ints


def _size(size, name: str = "empty", resize: bool = False, keyword: bool = False,
          position: int = 1) -> tuple:
    """A factory's ``*size`` as a tuple of ints, with the messages of torch's parser: a bad first
    entry names the argument's position (none for ``size=``), a bad later one the entry's
    ("failed to unpack"); a bool after the first entry is an int there, as in torch, and so is
    a 0-d integer tensor anywhere. All entries are read before any is judged negative.
    ``resize``: the sizes go to ``out``'s resize, whose check of the element count words an
    overflow (and, but for ``empty``, a negative size) as an integer multiplication overflow.
    ``position``: the argument's position in the call, named in the message."""
    ints = size_ints(size, name, keyword, position)
    if -(1 << 63) in ints and (resize or name != "zeros"):
        # int64's minimum is torch's marker of a symbolic size
        raise RuntimeError("SymIntArrayRef expected to contain only concrete integers")
    negative = any(s < 0 for s in ints)
    if resize and (negative and name != "empty" or not negative and math.prod(ints) > _INT64_MAX):
        raise RuntimeError("numel: integer multiplication overflow")
    for s in ints:
        if s < 0:
            if name == "zeros":  # torch's zeros checks sizes with its own words
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {s}: {shape_str(ints)}")
    return tuple(ints)


def _type_name(value) -> str:
    """The type name torch's parser gives (``numpy.int64`` for NumPy's scalars)."""
    kind = type(value)
    module = kind.__module__
    return f"{module}.{kind.__name__}" if module.split(".")[0] == "numpy" else kind.__name__


def _check_dtype_arg(name: str, dtype, overloads: str = "", args: tuple = ()) -> None:
    """torch's parser takes a torch dtype (or Python's float, int, bool) for ``dtype=``; a
    string, a NumPy dtype or type, or anything else is its TypeError. ``overloads``: torch's
    list for a function of several overloads, which none matches (``args``: the positional
    arguments given)."""
    if (dtype is None or isinstance(dtype, _dtype.dtype) or dtype is builtins.float
            or dtype is builtins.int or dtype is builtins.bool):
        return
    if overloads:
        got = ", ".join([_type_name(a) for a in args] + [f"dtype={_type_name(dtype)}"])
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({got}), "
                        f"but expected one of:\n{overloads}")
    raise TypeError(f"{name}(): argument 'dtype' must be torch.dtype, not {_type_name(dtype)}")


_ARANGE_OVERLOADS = "".join(
    f" * ({numbers}, *, {out}torch.dtype dtype = None, torch.layout layout = None, "
    "torch.device device = None, bool pin_memory = False, bool requires_grad = False)\n"
    for numbers, out in (("Number end", "Tensor out = None, "), ("Number start, Number end", ""),
                         ("Number start, Number end, Number step = 1", "Tensor out = None, ")))


def _factory_size(name: str, size: tuple, kw: dict, out) -> tuple:
    """``zeros``/``ones``/``empty``'s size: given as ints, one sequence, or ``size=``."""
    keyword = "size" in kw
    if keyword:
        if size:
            raise TypeError(f"{name}() got multiple values for argument 'size'")
        value = kw.pop("size")
        if not isinstance(value, (tuple, list, Size)):
            raise TypeError(f"{name}(): argument 'size' must be tuple of ints, not "
                            f"{_type_name(value)}")
        size = (value,)
    if kw:
        raise TypeError(f"{name}() got an unexpected keyword argument '{next(iter(kw))}'")
    if not size:
        raise _missing(name, "size")
    return _size(size, name, resize=out is not None, keyword=keyword)


def _np(dtype, default=None) -> np.dtype:
    if dtype is None:
        return (default or _dtype.get_default_dtype()).np
    return _dtype.to_numpy_dtype(dtype)


def tensor(data, *, dtype=None, device=None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data``."""
    _check_dtype_arg("tensor", dtype)
    _check_device(device, None)
    return _finish(_to_array(data, dtype), requires_grad, isinstance(data, np.ndarray))


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """Shares memory with ``data`` when it is already an ndarray (or Tensor) of ``dtype``."""
    _check_dtype_arg("as_tensor", dtype)
    _check_device(device, None)
    if isinstance(data, Tensor):
        return data if dtype is None or _dtype.to_numpy_dtype(dtype) == data._data.dtype \
            else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or
                                         _dtype.to_numpy_dtype(dtype) == data.dtype):
        _dtype.from_numpy_dtype(data.dtype)
        return _new_tensor(base_ndarray(data))
    return tensor(data, dtype=dtype)


asarray = as_tensor


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """Shares memory with ``ndarray``: writes to one show in the other."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    return _new_tensor(base_ndarray(ndarray))


def base_ndarray(arr: np.ndarray) -> np.ndarray:
    """``arr`` as a plain ndarray sharing its memory. A tensor holds exactly an ``np.ndarray``:
    a subclass (``np.memmap``, ``np.matrix``, ...) would survive NumPy's ufuncs and fail the
    exact-type checks that tell arrays from Python scalars in type promotion (a memmap of int64
    then promoted like a Python float). An array with no elements keeps its strides explicitly
    (``_explicit_strides``)."""
    arr = arr if type(arr) is np.ndarray else arr.view(np.ndarray)
    return _explicit_strides(arr, True) if arr.size == 0 and arr.ndim else arr


def scalar_tensor(s, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    _check_dtype_arg("scalar_tensor", dtype)
    _check_device(device)
    np_dtype = _np(dtype)
    return _finish(np.array(_dtype.cast_value(s, np_dtype), dtype=np_dtype), requires_grad)


def _result(arr: np.ndarray, out, requires_grad: bool) -> Tensor:
    """A factory's result: a new tensor, or written into ``out`` (its dtype chosen by
    ``factory_dtype``, which also made torch's checks)."""
    if out is not None:
        return factory_write(out, arr, requires_grad)
    return _finish(arr, requires_grad)


def zeros(*size, out=None, dtype=None, device=None, requires_grad: bool = False,
          **kw) -> Tensor:
    _check_dtype_arg("zeros", dtype)
    shape = _factory_size("zeros", size, kw, out)
    _check_device(device)
    dtype = factory_dtype("zeros", out, dtype)
    return _result(allocate(np.zeros, shape, _np(dtype)), out, requires_grad)


def ones(*size, out=None, dtype=None, device=None, requires_grad: bool = False,
         **kw) -> Tensor:
    _check_dtype_arg("ones", dtype)
    shape = _factory_size("ones", size, kw, out)
    _check_device(device)
    dtype = factory_dtype("ones", out, dtype)
    return _result(allocate(np.ones, shape, _np(dtype)), out, requires_grad)


def empty(*size, out=None, dtype=None, device=None, requires_grad: bool = False,
          memory_format=None, **kw) -> Tensor:
    _check_dtype_arg("empty", dtype)
    shape = _factory_size("empty", size, kw, out)
    _check_device(device)
    dtype = factory_dtype("empty", out, dtype, resize_error=True)
    return _result(allocate(np.empty, shape, _np(dtype)), out, requires_grad)


@quiet
def full(size, fill_value, *, out=None, dtype=None, device=None,
         requires_grad: bool = False) -> Tensor:
    """dtype from ``fill_value`` when not given: bool, int64 or the default float dtype."""
    _check_dtype_arg("full", dtype)
    _check_device(device)
    dtype = factory_dtype("full", out, dtype)
    if dtype is None:
        if isinstance(fill_value, builtins.bool):  # torch reads an np.bool_ as a float
            dtype = _dtype.bool
        elif isinstance(fill_value, (builtins.int, np.integer)):
            dtype = _dtype.int64
    np_dtype = _np(dtype)
    if not isinstance(size, (tuple, list, Size)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{_type_name(size)}")
    shape = _size((size,), "full", resize=out is not None)
    _dtype.check_fill_fits(fill_value, np_dtype, math.prod(shape))
    return _result(allocate(np.full, shape, np_dtype, _dtype.cast_value(fill_value, np_dtype)),
                   out, requires_grad)


def _like(input: Tensor, dtype, device=None) -> np.dtype:
    """The dtype of a ``*_like`` result; its device is the input's (the CPU) unless given."""
    if device is not None:
        _check_device(device, "aten::empty_strided")
    return input._data.dtype if dtype is None else _dtype.to_numpy_dtype(dtype)


def zeros_like(input, *, dtype=None, device=None, requires_grad: bool = False,
               memory_format=None) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(zeros_like, locals())
    _check_dtype_arg("zeros_like", dtype)
    return _finish(np.zeros(input.shape, dtype=_like(input, dtype, device)), requires_grad)


def ones_like(input, *, dtype=None, device=None, requires_grad: bool = False,
              memory_format=None) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(ones_like, locals())
    _check_dtype_arg("ones_like", dtype)
    return _finish(np.ones(input.shape, dtype=_like(input, dtype, device)), requires_grad)


def empty_like(input, *, dtype=None, device=None, requires_grad: bool = False,
               memory_format=None) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(empty_like, locals())
    _check_dtype_arg("empty_like", dtype)
    return _finish(np.empty(input.shape, dtype=_like(input, dtype, device)), requires_grad)


@quiet
def full_like(input, fill_value, *, dtype=None, device=None, requires_grad: bool = False,
              memory_format=None) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(full_like, locals())
    _check_dtype_arg("full_like", dtype)
    np_dtype = _like(input, dtype, device)
    _dtype.check_fill_fits(fill_value, np_dtype, input._data.size)
    fill_value = _dtype.cast_value(fill_value, np_dtype)
    return _finish(np.full(input.shape, fill_value, dtype=np_dtype), requires_grad)


@quiet
def arange(start, end=None, step=1, *, out=None, dtype=None, device=None,
           requires_grad: bool = False) -> Tensor:
    """int64 when start, end and step are all integers, else the default float dtype.

    The length is torch's: for an int64 result, ``(end - start + step - sign(step)) // step``
    of the three truncated to int64, in wrapping int64 arithmetic (C division, toward zero),
    so a span beyond int64 wraps (to an empty or a negative size); for every other dtype,
    ``ceil((end - start) / step)`` in double. Values are ``start + i * step``: in double for
    floats, in wrapping int64 (start and step truncated) for integers, then converted."""
    _check_dtype_arg("arange", dtype, _ARANGE_OVERLOADS,
                     (start,) if end is None else (start, end) if step == 1 else (start, end, step))
    _check_device(device)
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    for v in vals:
        _dtype.check_int_scalar(v)
    start, end, step = vals
    dtype = factory_dtype("arange", out, dtype)
    if dtype is not None and _np(dtype).kind in "iub":
        if _np(dtype) == np.bool_:
            raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
        if step != 0 and builtins.int(step) == 0 and _np(dtype) == np.int64:
            raise ValueError("step must be nonzero")  # (torch's int64 casts the step first)
    all_int = all(isinstance(v, (builtins.int, np.integer)) for v in vals)
    if dtype is None:
        dtype = _dtype.int64 if all_int else _dtype.get_default_dtype()
    np_dtype = _np(dtype)
    if all_int and np_dtype.kind in "iu" and any(v > _INT64_MAX for v in vals):
        raise RuntimeError("value cannot be converted to type int64_t without overflow")
    if not (step > 0 or step < 0):
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {start:g} -> {end:g}")
    if np_dtype == np.int64 and any(isinstance(v, (builtins.float, np.floating)) and
                                    not -2.0 ** 63 <= v < 2.0 ** 63 for v in vals):
        raise RuntimeError("value cannot be converted to type int64_t without overflow")
    if (end - start) * step < 0 and end != start:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if np_dtype == np.int64:  # (read as int64: floats truncated)
        start, end, step = (builtins.int(v) for v in vals)
        sign = (step > 0) - (step < 0)
        span = _wrap64(end - start + step - sign)
        size = builtins.float(builtins.abs(span) // builtins.abs(step) * (
            1 if (span < 0) == (step < 0) else -1))
    else:
        size = (builtins.float(end) - builtins.float(start)) / builtins.float(step)
        size = math.ceil(size) if math.isfinite(size) else size
    if not 0 <= size <= 2.0 ** 63:  # (int64's maximum as a double: 2**63, cast to its minimum)
        raise RuntimeError("invalid size, possible overflow?")
    if size == 2.0 ** 63:
        raise RuntimeError("IntArrayRef contains an int that cannot be represented as a SymInt: "
                           f"{-2 ** 63}")
    n = builtins.int(size)
    nbytes = storage_nbytes((n,), np_dtype)
    try:
        # torch computes start + i * step in double for floats, in int64 for integers
        if np_dtype.kind == "f":
            arr = (start + np.arange(n, dtype=np.float64) * step).astype(np_dtype)
        else:  # (start and step truncated to int64 first)
            i = np.arange(n, dtype=np.int64)
            arr = (np.int64(builtins.int(start)) + i * np.int64(builtins.int(step))).astype(
                np_dtype)
    except MemoryError:
        raise cannot_allocate(nbytes) from None
    if out is not None and out._data.size and out._data.size != arr.size:
        warnings.warn(
            f"The number of elements in the out tensor of shape "
            f"{shape_str(out._data.shape)} is {out._data.size} which does not "
            f"match the computed number of elements {arr.size}. Note that this may occur as a "
            "result of rounding error. The out tensor will be resized to a tensor of shape "
            f"({arr.size},).", UserWarning, stacklevel=2)
    return _result(arr, out, requires_grad)


def _wrap64(v: int) -> int:
    """``v`` as int64 arithmetic leaves it: its low 64 bits, signed."""
    return (v + 2 ** 63) % 2 ** 64 - 2 ** 63


def _endpoint(x, name: str, fname: str):
    """A linspace/logspace endpoint: a number, or a 0-d tensor read as its Python number (as
    torch's overloads taking tensors call ``.item()``: no autograd, the tensor's own dtype does
    not matter)."""
    if isinstance(x, Tensor):
        if x.dim() != 0:
            raise RuntimeError(f"{fname} only supports 0-dimensional start and end tensors, but "
                               f"got {name} with {x.dim()} dimension(s).")
        return x.item()
    return x


def _steps(steps, fname: str) -> int:
    steps = operator.index(steps) if not isinstance(steps, Tensor) else builtins.int(steps)
    _dtype.check_long_long(steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return steps


@quiet
def linspace(start, end, steps: int, *, out=None, dtype=None, device=None,
             requires_grad: bool = False) -> Tensor:
    """``steps`` values from ``start`` to ``end``, computed as torch's CPU kernel does, bit for
    bit: the endpoints converted to the result dtype (checked for overflow),
    ``step = (end - start) / (steps - 1)`` in that dtype (in float64 for integer results), then
    element ``i`` of the first half (``i < steps // 2``) is ``start + step * i`` and of the
    second half ``end - step * (steps - 1 - i)``, so that both endpoints are exact.

    float32/float64: each element is one fused multiply-add (one rounding). float16: every
    operation is c10::Half's, computed in float32 and rounded to float16 (the endpoints and
    the counts ``steps - 1``, ``i`` included), so ``step`` itself is a float16 and a product
    and a sum round separately. Integers: float64 arithmetic, truncated."""
    _check_device(device)
    start, end = _endpoint(start, "start", "linspace"), _endpoint(end, "end", "linspace")
    steps = _steps(steps, "linspace")
    dtype = factory_dtype("linspace", out, dtype)
    np_dtype = _np(dtype)
    if np_dtype == np.bool_:
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    nbytes = storage_nbytes((steps,), np_dtype)
    if steps <= 1:
        if steps and np_dtype != np.float16:  # (torch fills one float16 step unchecked)
            _dtype.check_scalar_fits(start, np_dtype)
        return _result(_to_dtype(np.full(steps, start), np_dtype), out, requires_grad)
    lo, hi = _linspace_endpoint(start, np_dtype), _linspace_endpoint(end, np_dtype)
    i = _indices(steps, nbytes)
    first = i < steps // 2
    k = np.where(first, i, steps - 1 - i)  # i counted from its end of the range
    with np.errstate(over="ignore", invalid="ignore"):
        if np_dtype == np.float16:
            def half(x):  # one c10::Half operation: float32 arithmetic, rounded to float16
                return np.asarray(x, np.float32).astype(np.float16).astype(np.float32)
            lo, hi, k = half(lo), half(hi), half(k)
            step = half(half(hi - lo) / half(steps - 1))
            arr = np.where(first, half(lo + half(step * k)), half(hi - half(step * k)))
        elif np_dtype.kind == "f":
            t = np_dtype.type
            step = (hi - lo) / t(steps - 1)
            fma = _fma32 if np_dtype == np.float32 else _fma64
            k = k.astype(np_dtype)
            arr = np.where(first, fma(step, k, lo), fma(-step, k, hi))
            if np.isnan(step):  # every element is step's NaN (negating it would flip its sign)
                arr = np.full(steps, step)
        else:  # the endpoints as integers of the dtype, the step in float64
            lo, hi = builtins.float(lo), builtins.float(hi)
            step = (hi - lo) / (steps - 1)
            k = k.astype(np.float64)
            arr = np.trunc(np.where(first, _fma64(step, k, lo), _fma64(-step, k, hi)))
        return _result(arr.astype(np_dtype), out, requires_grad)


def _indices(steps: int, nbytes: int) -> np.ndarray:
    """``np.arange(steps)``, or torch's allocator error for the result's ``nbytes`` where
    that many cannot be had (NumPy raises its own errors, or gives an empty array)."""
    try:
        i = np.arange(steps)
    except (MemoryError, ValueError):
        raise cannot_allocate(nbytes) from None
    if i.size != steps:
        raise cannot_allocate(nbytes)
    return i


def _to_dtype(arr: np.ndarray, np_dtype: np.dtype) -> np.ndarray:
    """Python numbers (a float64 array) as torch converts them: ``_dtype.cast`` (to float16
    through float32), out of range silently inf, as torch's single value gives."""
    with np.errstate(over="ignore"):
        return _dtype.cast(arr, np_dtype)


def _linspace_endpoint(x, np_dtype: np.dtype):
    """A linspace endpoint as an element of ``np_dtype``, with torch's overflow check;
    unsigned integers take negatives that wrap."""
    _dtype.check_scalar_fits(x, np_dtype)
    if np_dtype.kind == "f":
        return _to_dtype(np.asarray(x, np.float64), np_dtype)[()]
    return np.asarray(builtins.int(x), np.int64).astype(np_dtype)[()]


@quiet
def logspace(start, end, steps: int, base: float = 10.0, *, out=None, dtype=None, device=None,
             requires_grad: bool = False) -> Tensor:
    """``base ** linspace(start, end, steps)`` as torch's CPU kernel computes it: the
    endpoints converted to the result dtype, the exponents ``start + step * i`` (first half)
    and ``end - step * (steps - 1 - i)`` in float64, the C library's ``pow`` in float64 (an
    integer result uses ``base`` rounded to float32, as torch does), then the result dtype.
    One step is ``base ** start`` of the endpoint as given."""
    _check_device(device)
    start, end = _endpoint(start, "start", "logspace"), _endpoint(end, "end", "logspace")
    steps = _steps(steps, "logspace")
    dtype = factory_dtype("logspace", out, dtype)
    np_dtype = _np(dtype)
    if np_dtype == np.bool_:
        raise NotImplementedError("\"logspace_cpu\" not implemented for 'Bool'")
    nbytes = storage_nbytes((steps,), np_dtype)
    if steps <= 1:
        value = math.pow(builtins.float(base), builtins.float(start))
        if steps and np_dtype != np.float16:
            _dtype.check_scalar_fits(value, np_dtype)
        return _result(_to_dtype(np.full(steps, value), np_dtype), out, requires_grad)
    if np_dtype.kind == "f":
        lo, hi = np_dtype.type(start), np_dtype.type(end)
    else:
        lo, hi = np_dtype.type(builtins.int(start)), np_dtype.type(builtins.int(end))
        base = np.float32(base)
    step = builtins.float(hi - lo) / (steps - 1)
    i = _indices(steps, nbytes)
    exps = np.where(i < steps // 2, builtins.float(lo) + step * i,
                    builtins.float(hi) - step * (steps - 1 - i))
    arr = _libm(np.power, builtins.float(base), exps)
    return _result(_to_dtype(arr, np_dtype), out, requires_grad)


def eye(n: int, m: int | None = None, *, out=None, dtype=None, device=None,
        requires_grad: bool = False) -> Tensor:
    _check_device(device)
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    dtype = factory_dtype("eye", out, dtype)
    return _result(np.eye(n, m, dtype=_np(dtype)), out, requires_grad)


_STRIDED = "torch.strided"  # the one layout (minitorch_ref.strided)
_RANGE_DEPRECATED = (
    "torch.range is deprecated and will be removed in a future release because its behavior is "
    "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values "
    "in [start, end).")


def _range_number(value, name: str, position: int | None):
    """A Number argument of ``range``: a Python or NumPy number, or the value of a 0-d tensor
    that does not require grad."""
    if isinstance(value, Tensor) and value.dim() == 0 and not value.requires_grad:
        return value.item()
    if isinstance(value, (builtins.int, builtins.float, np.integer, np.floating, np.bool_)):
        return value.item() if isinstance(value, np.generic) else value
    where = "" if position is None else f" (position {position})"
    raise TypeError(f"range(): argument '{name}'{where} must be Number, not "
                    f"{type(value).__name__}")


def _range_int64(value) -> builtins.int:
    """torch's ``Scalar.to<int64_t>()``: floats truncated, anything beyond int64 refused."""
    if isinstance(value, builtins.float) and math.isfinite(value):
        value = builtins.int(value) if -2.0 ** 63 <= value < 2.0 ** 63 else _INT64_MAX + 1
    if not isinstance(value, builtins.int) or value > _INT64_MAX:
        raise RuntimeError("value cannot be converted to type int64_t without overflow")
    return value


def range(*args, out=None, dtype=None, layout=_STRIDED, device=None,  # noqa: A001 - torch's name
          requires_grad: bool = False, **kwargs) -> Tensor:
    """``torch.range(start, end, step=1)``, deprecated in torch (with a UserWarning): the end is
    included, and the dtype is the default float dtype unless given.

    ``size = trunc((end - start) / step) + 1`` and ``out[i] = start + i * step``, both in the
    dtype's accumulate type: double for float32/float64, float32 for float16, int64 (start,
    end and step truncated; wrapping arithmetic, C division) for the integer dtypes."""
    if len(args) > 3:
        raise TypeError(f"range() takes from 2 to 3 positional arguments but {len(args)} were "
                        "given")
    named = dict(zip(("start", "end", "step"), args))
    for key in list(kwargs):
        if key not in ("start", "end", "step"):
            raise TypeError(f"range() got an unexpected keyword argument '{key}'")
        named.setdefault(key, kwargs[key])
    if "start" not in named:
        raise TypeError('range() missing 2 required positional argument: "start", "end"')
    if "end" not in named:
        raise _missing("range", "end")
    named.setdefault("step", 1)
    start, end, step = (_range_number(named[k], k, i + 1 if i < len(args) else None)
                        for i, k in enumerate(("start", "end", "step")))
    if dtype is not None and not isinstance(dtype, _dtype.dtype):
        raise TypeError(f"range(): argument 'dtype' must be torch.dtype, not "
                        f"{type(dtype).__name__}")
    if layout != _STRIDED:
        raise TypeError(f"range(): argument 'layout' must be torch.layout, not "
                        f"{type(layout).__name__}")
    if not isinstance(requires_grad, builtins.bool):
        raise TypeError(f"range(): argument 'requires_grad' must be bool, not "
                        f"{type(requires_grad).__name__}")
    warnings.warn(_RANGE_DEPRECATED, UserWarning, stacklevel=2)
    for v in (start, end, step):
        _dtype.check_int_scalar(v)
    _check_device(device)
    np_dtype = _np(factory_dtype("range", out, dtype))
    if np_dtype == np.bool_:
        raise NotImplementedError("\"range_cpu\" not implemented for 'Bool'")
    if np_dtype.kind in "iu":
        start, end, step = (_range_int64(v) for v in (start, end, step))
        if step == 0:
            raise RuntimeError("step must be nonzero")
        if not ((step > 0 and end >= start) or (step < 0 and end <= start)):
            raise RuntimeError("upper bound and lower bound inconsistent with step sign")
        span = _wrap64(end - start)
        quotient = builtins.abs(span) // builtins.abs(step)
        n = _wrap64((quotient if (span < 0) == (step < 0) else -quotient) + 1)
        if n < 0:
            raise RuntimeError("numel: integer multiplication overflow")
        nbytes = storage_nbytes((n,), np_dtype)
        try:
            with np.errstate(over="ignore"):
                arr = (np.int64(start) + np.arange(n, dtype=np.int64) * np.int64(step))
            return _result(arr.astype(np_dtype), out, requires_grad)
        except MemoryError:
            raise cannot_allocate(nbytes) from None
    acc = np.float32 if np_dtype == np.float16 else np.float64
    if acc is np.float32 and any(math.isfinite(v) and builtins.abs(v) > 3.4028234663852886e38
                                 for v in (start, end, step)):
        raise RuntimeError("value cannot be converted to type float without overflow")
    start, end, step = (acc(v) for v in (start, end, step))
    if not (step > 0 or step < 0):
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {builtins.float(start):g} -> "
                           f"{builtins.float(end):g}")
    if not ((step > 0 and end >= start) or (step < 0 and end <= start)):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    with np.errstate(all="ignore"):
        size = (end - start) / step + acc(1)
    if not -2.0 ** 63 <= size < 2.0 ** 63:  # (a C cast to int64 gives its minimum)
        raise RuntimeError("IntArrayRef contains an int that cannot be represented as a SymInt: "
                           f"{-2 ** 63}")
    n = builtins.int(size)
    nbytes = storage_nbytes((n,), np_dtype)
    try:
        arr = (start + np.arange(n, dtype=acc) * step).astype(np_dtype)
    except MemoryError:
        raise cannot_allocate(nbytes) from None
    return _result(arr, out, requires_grad)



# -- Tensor.new_*: a new tensor with this tensor's dtype unless told otherwise, on its device (the
# CPU), never on the default device. torch's parser names the method in its messages, and a
# negative size is "negative dimension" here (torch.zeros has words of its own) ------------------

def _missing(name: str, arg: str) -> TypeError:
    return TypeError(f'{name}() missing 1 required positional arguments: "{arg}"')


def _new_shape(name: str, size: tuple, size_kw) -> tuple:
    """``size`` given as ints, one sequence, or the keyword ``size=``."""
    if size_kw is not None:
        if size:
            raise TypeError(f"{name}() got multiple values for argument 'size'")
        size = (size_kw,)
    if not size:
        raise _missing(name, "size")
    return _size(size, name)


def _new_dtype(self: Tensor, dtype, device, name: str) -> np.dtype:
    _check_dtype_arg(name, dtype)
    _check_device(device)
    return _np(dtype, self.dtype)


def new_tensor(self: Tensor, data=_NO_ARG, *args, dtype=None, device=None,
               requires_grad: bool = False, layout=None, pin_memory: bool = False) -> Tensor:
    _check_dtype_arg("new_tensor", dtype)
    if args:
        raise TypeError(f"new_tensor() takes 1 positional argument but {len(args) + 1} were "
                        "given")
    if data is _NO_ARG:
        raise _missing("new_tensor", "data")
    return tensor(data, dtype=dtype or self.dtype, device=device or CPU,
                  requires_grad=requires_grad)


def new_zeros(self: Tensor, *size, dtype=None, device=None, requires_grad: bool = False,
              layout=None, pin_memory: bool = False, **kw) -> Tensor:
    shape = _new_shape("new_zeros", size, _size_keyword("new_zeros", kw))
    np_dtype = _new_dtype(self, dtype, device, "new_zeros")
    return _finish(allocate(np.zeros, shape, np_dtype), requires_grad)


def new_ones(self: Tensor, *size, dtype=None, device=None, requires_grad: bool = False,
             layout=None, pin_memory: bool = False, **kw) -> Tensor:
    shape = _new_shape("new_ones", size, _size_keyword("new_ones", kw))
    np_dtype = _new_dtype(self, dtype, device, "new_ones")
    return _finish(allocate(np.ones, shape, np_dtype), requires_grad)


def new_empty(self: Tensor, *size, dtype=None, device=None, requires_grad: bool = False,
              layout=None, pin_memory: bool = False, **kw) -> Tensor:
    shape = _new_shape("new_empty", size, _size_keyword("new_empty", kw))
    np_dtype = _new_dtype(self, dtype, device, "new_empty")
    return _finish(allocate(np.empty, shape, np_dtype), requires_grad)


@quiet
def new_full(self: Tensor, size=_NO_ARG, fill_value=_NO_ARG, *, dtype=None, device=None,
             requires_grad: bool = False, layout=None, pin_memory: bool = False) -> Tensor:
    """The fill value converted to the dtype, which is this tensor's (not the fill value's, as
    for ``torch.full``)."""
    if size is _NO_ARG:
        raise _missing("new_full", "size")
    if fill_value is _NO_ARG:
        raise _missing("new_full", "fill_value")
    if not isinstance(size, (tuple, list, Size)):
        raise TypeError("new_full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{_type_name(size)}")
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if not isinstance(fill_value, (builtins.int, builtins.float, builtins.complex, np.number,
                                   np.bool_)):
        raise TypeError("new_full(): argument 'fill_value' (position 2) must be Number, not "
                        f"{type(fill_value).__name__}")
    if isinstance(fill_value, builtins.int) and not -(1 << 63) <= fill_value < 1 << 64:
        # torch reads a Python int as a C integer of 64 bits, signed or unsigned
        raise OverflowError("int too big to convert" if fill_value > 0 else
                            "can't convert negative int to unsigned")
    np_dtype = _new_dtype(self, dtype, device, "new_full")
    shape = _size((size,), "new_full")
    if not isinstance(fill_value, builtins.float) or math.isfinite(fill_value):
        _dtype.check_fill_fits(fill_value, np_dtype, math.prod(shape))
    return _finish(allocate(np.full, shape, np_dtype, _dtype.cast_value(fill_value, np_dtype)),
                   requires_grad)


def new_empty_strided(self: Tensor, size=_NO_ARG, stride=_NO_ARG, *, dtype=None, device=None,
                      requires_grad: bool = False, layout=None,
                      pin_memory: bool = False) -> Tensor:
    """Uninitialised memory laid out with ``stride`` (in elements): a view of a buffer just
    large enough, as torch allocates it."""
    shape, strides = _strided_arguments("new_empty_strided", size, stride)
    return _strided(shape, strides, _new_dtype(self, dtype, device, "new_empty_strided"),
                    requires_grad)


def empty_strided(size=_NO_ARG, stride=_NO_ARG, *extra, dtype=None, layout=None, device=None,
                  requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Uninitialised memory laid out with ``stride`` (in elements): a view of a buffer just
    large enough, as torch allocates it."""
    if extra:
        raise TypeError(f"empty_strided() takes 2 positional arguments but {2 + len(extra)} "
                        "were given")
    _check_dtype_arg("empty_strided", dtype)
    shape, strides = _strided_arguments("empty_strided", size, stride)
    _check_device(device)
    return _strided(shape, strides, _np(dtype), requires_grad)


def _strided_arguments(name: str, size, stride) -> tuple:
    """``size`` and ``stride`` of ``empty_strided``/``new_empty_strided`` as tuples of ints,
    with torch's checks (sizes not negative, as many strides as sizes, strides not negative)."""
    if size is _NO_ARG and stride is _NO_ARG:
        raise TypeError(f'{name}() missing 2 required positional argument: "size", "stride"')
    if size is _NO_ARG:
        raise _missing(name, "size")
    if stride is _NO_ARG:
        raise _missing(name, "stride")
    for arg, pos, value in (("size", 1, size), ("stride", 2, stride)):
        if not isinstance(value, (tuple, list, Size)):
            raise TypeError(f"{name}(): argument '{arg}' (position {pos}) must be "
                            f"tuple of ints, not {_type_name(value)}")
    shape = _size((size,), name)
    strides = tuple(size_ints((stride,), name, position=2, arg="stride"))
    if len(shape) != len(strides):
        raise RuntimeError(f"dimensionality of sizes ({len(shape)}) must match dimensionality "
                           f"of strides ({len(strides)})")
    return shape, strides


def _strided(shape: tuple, strides: tuple, np_dtype, requires_grad: bool) -> Tensor:
    """A view with ``strides`` of a new buffer of ``1 + sum((n - 1) * stride)`` elements (none
    when a size is 0); a negative stride, or a buffer past int64 bytes, is torch's overflow."""
    extent = 0 if 0 in shape else 1 + sum((n - 1) * s for n, s in zip(shape, strides))
    if any(s < 0 for s in strides) or extent * np.dtype(np_dtype).itemsize > _INT64_MAX:
        raise RuntimeError(f"Storage size calculation overflowed with sizes={shape_str(shape)} "
                           f"and strides={shape_str(strides)}")
    base = np.empty(extent, dtype=np_dtype)
    arr = np.lib.stride_tricks.as_strided(base, shape, tuple(s * base.itemsize for s in strides))
    return _finish(arr, requires_grad, numpy_strides=True)


def _size_keyword(name: str, kw: dict):
    """``size=`` is the one keyword beyond the named ones."""
    size = kw.pop("size", None)
    if kw:
        raise TypeError(f"{name}() got an unexpected keyword argument '{next(iter(kw))}'")
    return size
