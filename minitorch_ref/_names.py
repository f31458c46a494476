"""How torch spells dtypes and shapes in its messages and type names, written once.

* ``scalar_type_name``: the ScalarType name, ``Float``, ``Long``, ``Half``, ... ("expected scalar
  type Float but found Double", "\"bincount_cpu\" not implemented for 'Float'");
* ``c_type_name``: the C++ type, ``float``, ``long int``, ``c10::Half``, ... ("expected m1 and m2
  to have the same dtype, but got: float != double");
* ``legacy_type_name``: the legacy tensor type, ``torch.FloatTensor`` (``Tensor.type()``,
  ``torch.typename``); ``storage_type_name``: the storage class, ``FloatStorage`` (checkpoints);
* ``shape_str``: a shape as torch's messages print it, ``[2, 3]``.

A dtype is one of ours, a NumPy dtype (or anything ``np.dtype`` accepts) or its name. This module
imports nothing of minitorch_ref, so that every module can use it.
"""
from __future__ import annotations

import numpy as np

__all__ = ["DTYPE_NAMES", "scalar_type_name", "c_type_name", "legacy_type_name",
           "storage_type_name", "shape_str"]

# by dtype name (torch's and NumPy's agree for every dtype a tensor here can hold)
_SCALAR_TYPE_NAMES = {
    "bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
    "int64": "Long", "float16": "Half", "float32": "Float", "float64": "Double",
    "bfloat16": "BFloat16",
}
_C_TYPE_NAMES = {
    "bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short int",
    "int32": "int", "int64": "long int", "float16": "c10::Half", "float32": "float",
    "float64": "double", "bfloat16": "c10::BFloat16",
}
# the dtypes a tensor can hold, by name
DTYPE_NAMES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32",
               "float64")


def _name(dtype) -> str:
    if isinstance(dtype, str):
        return dtype
    name = getattr(dtype, "name", None)       # ours and NumPy's dtypes both carry a name
    return name if isinstance(name, str) else np.dtype(dtype).name


def scalar_type_name(dtype) -> str:
    """``Float`` for float32, ``Long`` for int64, ``Byte`` for uint8, ``Char`` for int8, ...
    (a dtype without one keeps its own name)."""
    name = _name(dtype)
    return _SCALAR_TYPE_NAMES.get(name, name)


def c_type_name(dtype) -> str:
    """``float`` for float32, ``long int`` for int64, ``c10::Half`` for float16, ..."""
    name = _name(dtype)
    return _C_TYPE_NAMES.get(name, name)


def legacy_type_name(dtype) -> str:
    """``torch.FloatTensor`` for float32, ``torch.LongTensor`` for int64, ..."""
    return f"torch.{scalar_type_name(dtype)}Tensor"


def storage_type_name(dtype) -> str:
    """``FloatStorage`` for float32, ``LongStorage`` for int64, ... (as torch.save pickles it)."""
    return f"{scalar_type_name(dtype)}Storage"


def shape_str(shape) -> str:
    """``[2, 3]`` for the shape (2, 3), ``[]`` for a 0-d tensor's."""
    return "[" + ", ".join(str(s) for s in shape) + "]"
