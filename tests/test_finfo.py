"""torch.finfo / torch.iinfo against torch: every attribute (value and Python type), repr and
str, the default dtype, Python types as arguments, equality, read-only attributes, errors."""
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, check_raises

FLOATS = ["float16", "float32", "float64"]
INTS = ["uint8", "int8", "int16", "int32", "int64"]
FINFO_ATTRS = ["bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"]


def both(fn):
    return [fn(T) for T in LIBS]


@pytest.mark.parametrize("name", FLOATS)
def test_finfo(name):
    theirs, ours = both(lambda T: T.finfo(getattr(T, name)))
    for attr in FINFO_ATTRS:
        a, b = getattr(ours, attr), getattr(theirs, attr)
        assert a == b and type(a) is type(b), f"{attr}: {a!r} != torch's {b!r}"
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)


@pytest.mark.parametrize("name", INTS)
def test_iinfo(name):
    theirs, ours = both(lambda T: T.iinfo(getattr(T, name)))
    for attr in ["bits", "max", "min", "dtype"]:
        a, b = getattr(ours, attr), getattr(theirs, attr)
        assert a == b and type(a) is type(b), f"{attr}: {a!r} != torch's {b!r}"
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)
    with pytest.raises(AttributeError):
        ours.eps


@pytest.mark.parametrize("default", ["float32", "float64"])
def test_finfo_of_the_default_dtype(default):
    for T in LIBS:
        old = T.get_default_dtype()
        T.set_default_dtype(getattr(T, default))
        try:
            assert T.finfo().dtype == default
        finally:
            T.set_default_dtype(old)


@pytest.mark.parametrize("arg,kind", [(float, "finfo"), (int, "iinfo")])
def test_python_types(arg, kind):
    theirs, ours = both(lambda T: getattr(T, kind)(arg))
    assert repr(ours) == repr(theirs)


def test_of_a_tensor_dtype_and_equality():
    for T in LIBS:
        x = T.ones(2, dtype=T.float64)
        assert T.finfo(x.dtype).eps == 2.220446049250313e-16
        assert T.finfo(T.float32) == T.finfo(T.float32)
        assert T.finfo(T.float32) != T.finfo(T.float64)
        assert T.iinfo(T.int32) == T.iinfo(T.int32)
        assert T.iinfo(T.int32) != T.iinfo(T.int64)
        assert not (T.finfo(T.float32) == 3)
        assert isinstance(T.finfo(T.float16), T.finfo)
        with pytest.raises(TypeError, match="unhashable"):
            hash(T.finfo(T.float32))


@pytest.mark.parametrize("attr", ["eps", "foo"])
def test_read_only(attr):
    errors = []
    for T in LIBS:
        f = T.finfo(T.float32)
        with pytest.raises(AttributeError) as e:
            setattr(f, attr, 1.0)
        errors.append(str(e.value))
    assert errors[1] == errors[0]


@pytest.mark.parametrize("fn", [
    lambda T: T.finfo(T.int32), lambda T: T.finfo(T.bool), lambda T: T.finfo(int),
    lambda T: T.finfo(bool), lambda T: T.finfo("float32"), lambda T: T.finfo(None),
    lambda T: T.finfo(3),
    lambda T: T.iinfo(T.float32), lambda T: T.iinfo(T.bool), lambda T: T.iinfo(bool),
    lambda T: T.iinfo(float), lambda T: T.iinfo("int32"), lambda T: T.iinfo(None),
    lambda T: T.iinfo(),
])
def test_errors(fn):
    check_raises(fn)


def test_resolution_is_a_power_of_ten():
    assert [mt.finfo(getattr(mt, n)).resolution for n in FLOATS] == [1e-3, 1e-6, 1e-15]
    assert [torch.finfo(getattr(torch, n)).resolution for n in FLOATS] == [1e-3, 1e-6, 1e-15]
