"""Class 2, state tampering without code execution: a file may name allow-listed classes,
functions and objects, but no opcode lets it change them. BUILD, SETITEM(S) and APPEND(S) act
only where torch's restricted unpickler lets them, and only opcodes torch's weights-only
unpickler implements are interpreted; after every attack the process still works."""
import collections
import io
import pickle

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from attacks import (archive, dict_state_via_build, global_, loads, pickle_of,
                     set_attr_via_build, storage_pid, tensor, text, unsupported_opcode_pickles)
from minitorch_ref import serialization



def _allowed_objects() -> dict:
    """The loader's allow-list, name -> the very objects it hands out (after one load)."""
    buf = io.BytesIO()
    torch.save(torch.ones(1), buf)
    mt.load(io.BytesIO(buf.getvalue()))
    return serialization._ALLOWED


# Every global torch's weights-only unpickler allows and that minitorch_ref maps.
ALLOWED = sorted(serialization._allowed_globals())
ATTRS = ["__init__", "__repr__", "__eq__", "is_floating_point", "np_dtype", "numel",
         "__defaults__", "most_common", "__getitem__"]


@pytest.fixture
def guard():
    """Snapshot every attribute an attack could reach; restore them after the test, so that a
    failing attack does not break the tests that run after it in the same process."""
    saved = {}
    for name, obj in _allowed_objects().items():
        for attr in ATTRS:
            try:
                saved[(name, attr)] = (obj, object.__getattribute__(obj, attr)
                                       if not isinstance(obj, type) else obj.__dict__.get(attr))
            except AttributeError:
                saved[(name, attr)] = (obj, None)
    yield
    for (name, attr), (obj, value) in saved.items():
        try:
            current = (obj.__dict__.get(attr) if isinstance(obj, type)
                       else object.__getattribute__(obj, attr))
        except AttributeError:
            current = None
        if current is not value:
            try:
                if value is None:
                    delattr(obj, attr)
                else:
                    setattr(obj, attr, value)
            except (AttributeError, TypeError):
                pass


def _process_still_works():
    assert collections.Counter("aab").most_common(1) == [("a", 2)]
    assert list(collections.OrderedDict(a=1)) == ["a"]
    assert mt.Size([2, 3]).numel() == 6 and repr(mt.Size([2])) == "torch.Size([2])"
    assert mt.float32.is_floating_point and not mt.int64.is_floating_point
    assert (mt.ones(2) + mt.ones(2)).tolist() == [2.0, 2.0]
    assert mt.device("cpu") == mt.device("cpu")
    assert set([1]) == {1} and complex(1, 2) == 1 + 2j and bytearray(b"a") == b"a"
    buf = io.BytesIO()
    torch.save({"w": torch.arange(4.0), "i": torch.arange(3), "p": torch.nn.Parameter(
        torch.ones(1))}, buf)
    out = mt.load(io.BytesIO(buf.getvalue()))
    assert out["w"].tolist() == [0.0, 1.0, 2.0, 3.0] and out["w"].dtype == mt.float32
    assert out["i"].dtype == mt.int64 and isinstance(out["p"], mt.nn.Parameter)
    assert mt.load(io.BytesIO(buf.getvalue()), weights_only=False)["w"].tolist()[1] == 1.0


@pytest.mark.parametrize("name", ALLOWED)
@pytest.mark.parametrize("how", ["setattr", "__dict__"])
def test_build_cannot_change_an_allowed_global(guard, name, how):
    module, attr_name = name.rsplit(".", 1)
    target = global_(module, attr_name)
    build = set_attr_via_build if how == "setattr" else dict_state_via_build
    for attr in ("__init__", "is_floating_point", "np_dtype", "__defaults__", "numel"):
        blob = archive(pickle_of(build(target, attr)))
        with pytest.raises(pickle.UnpicklingError, match="Can only build Tensor, Parameter, "
                                                         "OrderedDict or types allowlisted"):
            loads(mt, blob)
        with pytest.raises(pickle.UnpicklingError, match="Can only build"):
            loads(torch, blob)
    _process_still_works()


@pytest.mark.parametrize("opcodes,what", [
    (b"s", "SETITEM"), (b"(" + text("k") + b"Nu", "SETITEMS"),
])
@pytest.mark.parametrize("name", ["torch.Size", "collections.Counter", "torch.float32",
                                  "builtins.set", "torch.FloatStorage"])
def test_setitem_only_fills_dicts_the_file_made(guard, opcodes, what, name):
    module, attr = name.rsplit(".", 1)
    body = global_(module, attr) + (text("k") + b"N" + opcodes if what == "SETITEM" else opcodes)
    blob = archive(pickle_of(body))
    for lib in (mt, torch):
        with pytest.raises(pickle.UnpicklingError, match=f"Can only {what} for dict"):
            loads(lib, blob)
    _process_still_works()


@pytest.mark.parametrize("body,message", [
    (global_("builtins", "set") + b"Na", "Can only append to lists"),
    (b"\x8fNa", "Can only append to lists"),
    (global_("collections", "Counter") + b"(Ne", "Can only extend lists"),
    (global_("collections", "OrderedDict") + b")R(Ne", "Can only extend lists"),
])
def test_append_only_extends_lists(guard, body, message):
    blob = archive(pickle_of(body))
    for lib in (mt, torch):
        with pytest.raises(pickle.UnpicklingError, match=message):
            loads(lib, blob)
    _process_still_works()


@pytest.mark.parametrize("body,message", [
    (b"])R", "Trying to call reduce for unrecognized function"),
    (b"})R", "Trying to call reduce for unrecognized function"),
    (global_("torch", "Size") + b"(]tR)R", "Trying to call reduce for unrecognized function"),
    (b"]}\x81", "Can only create new object for nn.Parameter or classes allowlisted"),
])
def test_reduce_and_newobj_only_use_allowed_callables(guard, body, message):
    blob = archive(pickle_of(body))
    for lib in (mt, torch):
        with pytest.raises(pickle.UnpicklingError, match=message):
            loads(lib, blob)


def test_newobj_of_an_allowed_object_that_is_not_a_class():
    blob = archive(pickle_of(global_("torch", "float32") + b")\x81"))
    for lib in (mt, torch):
        with pytest.raises(TypeError, match="is not a type object"):
            loads(lib, blob)


@pytest.mark.parametrize("name", sorted(unsupported_opcode_pickles()))
def test_opcodes_outside_torchs_set_are_refused(guard, name):
    blob = archive(unsupported_opcode_pickles()[name])
    with pytest.raises(pickle.UnpicklingError) as ours:
        loads(mt, blob)
    with pytest.raises(pickle.UnpicklingError) as theirs:
        loads(torch, blob)
    assert "Unsupported operand" in str(ours.value)
    assert str(ours.value) == str(theirs.value)
    _process_still_works()


def test_build_on_instances_the_file_made_stays_local():
    # an OrderedDict's attributes (state_dict()._metadata is saved this way), a Counter's and
    # a Size's: BUILD sets them on the new instance only
    od = global_("collections", "OrderedDict") + b")R"
    counter = global_("collections", "Counter") + b")R"
    size = global_("torch", "Size") + b"K\x02\x85\x85R"
    for lib in (mt, torch):
        out = loads(lib, archive(pickle_of(dict_state_via_build(od, "_metadata", b"K\x07"))))
        assert out._metadata == 7 and not hasattr(collections.OrderedDict, "_metadata")
        out = loads(lib, archive(pickle_of(dict_state_via_build(counter, "extra", b"K\x01"))))
        assert out.extra == 1 and not hasattr(collections.Counter, "extra")
    out = loads(mt, archive(pickle_of(dict_state_via_build(size, "x", b"K\x03"))))
    assert out.x == 3 and tuple(out) == (2,) and not hasattr(mt.Size, "x")
    _process_still_works()


def test_state_dict_metadata_survives():
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    sd = mt.load(io.BytesIO(buf.getvalue()))
    assert sd._metadata == model.state_dict()._metadata
    ours = mt.nn.Sequential(mt.nn.Linear(2, 2), mt.nn.BatchNorm1d(2))
    ours.load_state_dict(sd)
    np.testing.assert_array_equal(ours[0].weight.detach().numpy(),
                                  model[0].weight.detach().numpy())


def test_memo_is_a_table_of_the_files_own_objects():
    # LONG_BINPUT at the largest index, BINGET of an index never stored
    blob = archive(pickle_of(b"Nr\xff\xff\xff\xff0j\xff\xff\xff\xff"))
    with pytest.raises(pickle.UnpicklingError):
        loads(mt, blob)
    blob = archive(pickle_of(b"]r\xff\xff\xff\xffj\xff\xff\xff\xff\x86"))
    assert loads(mt, blob) == loads(torch, blob) == ([], [])
    with pytest.raises(pickle.UnpicklingError, match="Memo value not found at index 5"):
        loads(mt, archive(pickle_of(b"h\x05")))


@pytest.mark.parametrize("body", [b"t", b"e", b"u", b"R", b"b", b"\x81", b"a", b"s",
                                  b"\x85", b"\x86", b"\x87", b"q\x00", b"Q", b"(K\x01u"])
def test_malformed_stack_is_an_unpickling_error(body):
    with pytest.raises(pickle.UnpicklingError):
        loads(mt, archive(pickle_of(body)))


def test_tensor_build_legacy_forms():
    # BUILD on a tensor the file created, as torch's Tensor.__setstate__: a 4-tuple state
    # (storage, offset, size, stride) makes it view the storage
    body = (global_("torch", "Tensor") + b")R" + b"(" + storage_pid("0", 4)
            + b"K\x01K\x02\x85K\x01\x85tb")
    blob = archive(pickle_of(body), {"data/0": np.arange(4, dtype=np.float32).tobytes()})
    assert loads(mt, blob).tolist() == loads(torch, blob).tolist() == [1.0, 2.0]
    # any other state is refused
    bad = archive(pickle_of(global_("torch", "Tensor") + b")R" + text("x") + b"b"))
    with pytest.raises(pickle.UnpicklingError):
        loads(mt, bad)


def test_tensor_records_still_rebuild():
    blob = archive(pickle_of(tensor("0", 6, (2, 3))),
                   {"data/0": np.arange(6, dtype=np.float32).tobytes()})
    assert loads(mt, blob).tolist() == loads(torch, blob).tolist()
