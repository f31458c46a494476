"""The dtype objects scripts name and torch.__version__, against torch."""
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, check_raises

NAMED_ONLY = ["bfloat16", "complex32", "chalf", "complex64", "cfloat", "complex128", "cdouble",
              "uint16", "uint32", "uint64", "float8_e4m3fn", "float8_e5m2"]
ALL = NAMED_ONLY + ["float16", "float32", "float64", "half", "float", "double", "int8", "int16",
                    "int32", "int64", "uint8", "short", "int", "long", "bool"]


@pytest.mark.parametrize("name", ALL)
def test_dtype_objects_as_torch(name):
    t, o = getattr(torch, name), getattr(mt, name)
    assert (repr(o), o.is_floating_point, o.is_complex, o.is_signed, o.itemsize) == \
        (repr(t), t.is_floating_point, t.is_complex, t.is_signed, t.itemsize)
    assert isinstance(o, mt.dtype)
    if t.is_complex:
        assert repr(o.to_real()) == repr(t.to_real())
    if t.is_floating_point and name not in ("float8_e4m3fn", "float8_e5m2"):
        assert repr(o.to_complex()) == repr(t.to_complex())
    if t.is_floating_point or t.is_complex:
        assert repr(mt.finfo(o)) == repr(torch.finfo(t))
        f, g = mt.finfo(o), torch.finfo(t)
        assert (f.bits, f.eps, f.max, f.min, f.tiny, f.resolution) == \
            (g.bits, g.eps, g.max, g.min, g.tiny, g.resolution)
    elif name != "bool":
        assert repr(mt.iinfo(o)) == repr(torch.iinfo(t))


@pytest.mark.parametrize("name", NAMED_ONLY)
@pytest.mark.parametrize("make", [
    lambda T, d: T.zeros(2, dtype=d), lambda T, d: T.ones(2).to(d),
    lambda T, d: T.tensor([1.0], dtype=d), lambda T, d: T.nn.Linear(1, 1).to(d),
])
def test_computing_in_a_named_only_dtype_is_refused_by_name(name, make):
    dtype = getattr(mt, name)
    with pytest.raises(NotImplementedError, match=f"{dtype!r} are not implemented") as e:
        make(mt, dtype)
    assert e.value._minitorch_missing == f"{dtype!r} tensors"


def test_finfo_iinfo_refuse_the_other_kind():
    check_raises(lambda T: T.iinfo(T.complex64))
    check_raises(lambda T: T.iinfo(T.bfloat16))
    check_raises(lambda T: T.finfo(T.uint16))


def test_version_string():
    v = mt.__version__
    assert isinstance(v, str) and v.startswith("2.13.0+")
    assert v.split("+")[0] == torch.__version__.split("+")[0]
    assert mt.version.__version__ == v and mt.version.cuda is None


CHECKS = [
    lambda T: T.__version__ >= "2.0", lambda T: T.__version__ >= "1.10.0",
    lambda T: T.__version__ < "2.13", lambda T: T.__version__ > "2.13.0",
    lambda T: T.__version__ > "2.12.1", lambda T: T.__version__ >= "2.14.0a0",
    lambda T: T.__version__ >= (2, 0), lambda T: T.__version__ < (3,),
    lambda T: T.__version__ >= [1, 12, 1],
    lambda T: tuple(map(int, T.__version__.split(".")[:2])) >= (1, 12),
    lambda T: int(T.__version__.split(".")[0]) >= 2,
    lambda T: T.__version__.startswith("2."), lambda T: T.__version__[:3] == "2.1",
    lambda T: T.__version__.split("+")[0], lambda T: T.__version__ == T.__version__,
    lambda T: T.__version__ != "1.0", lambda T: T.__version__ > "abc",
]


@pytest.mark.parametrize("check", CHECKS)
def test_version_checks_scripts_make_take_torchs_branch(check):
    assert check(mt) == check(torch)


def test_packaging_reads_the_version_as_torchs():
    packaging_version = pytest.importorskip("packaging.version")
    ours, theirs = (packaging_version.parse(T.__version__) for T in LIBS)
    assert ours.release == theirs.release and ours.major == 2 and not ours.is_prerelease
    assert ours >= packaging_version.parse("2.0") and ours > packaging_version.Version("1.13")
    assert (mt.__version__ >= packaging_version.Version("2.1")) is True


@pytest.mark.parametrize("a, b", [
    ("1.0", "1.0.0"), ("1.0a1", "1.0"), ("1.0.dev1", "1.0a1"), ("1.0", "1.0.post1"),
    ("1.0rc1", "1.0"), ("1.0+cpu", "1.0"), ("1.0+1", "1.0+abc"), ("2!1.0", "3.0"),
    ("1.10", "1.9"), ("1.0b2", "1.0rc1"), ("1.0.post1.dev2", "1.0.post1"),
])
def test_version_ordering_is_packagings(a, b):
    packaging_version = pytest.importorskip("packaging.version")
    from minitorch_ref.torch_version import version_key
    for op in ("__lt__", "__eq__", "__gt__"):
        assert getattr(version_key(a), op)(version_key(b)) == \
            getattr(packaging_version.Version(a), op)(packaging_version.Version(b)), (a, b, op)
