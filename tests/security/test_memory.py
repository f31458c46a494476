"""Class 3, memory amplification: a small file cannot make the loader allocate more than the
bytes its tensors need. Each hostile file is loaded under ``tracemalloc`` (which sees NumPy's
buffers as well as Python objects) and the peak is compared with the tensor bytes."""
import io
import pickle
import struct
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from attacks import (archive, global_, loads, pickle_of, point_records_at, set_central_sizes,
                     storage_pid, tensor, text)

MiB = 1 << 20
SLACK = 3 * MiB   # zip directory, pickle objects, one read chunk


def _peak(fn) -> tuple[int, object]:
    """Peak bytes allocated while ``fn`` runs, and what it returned or raised."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        try:
            result = fn()
        except Exception as e:  # the peak matters also when the load is refused
            result = e
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def _float_tensor_file(n: int, declared_numel: int | None = None, **kw) -> bytes:
    return archive(pickle_of(tensor("0", n if declared_numel is None else declared_numel, (n,))),
                   {"data/0": np.zeros(n, np.float32).tobytes()}, **kw)


def test_record_size_in_zip_directory_is_checked_before_allocating():
    # the directory claims 1 GiB for a 16-byte record; the pickle agrees (numel 2**28)
    blob = set_central_sizes(_float_tensor_file(4, declared_numel=1 << 28), "archive/data/0",
                             1 << 30)
    assert len(blob) < 2000
    peak, result = _peak(lambda: loads(mt, blob))
    assert isinstance(result, RuntimeError) and "truncated or corrupted" in str(result)
    assert peak < SLACK, peak


def test_declared_numel_must_match_the_record():
    blob = _float_tensor_file(4, declared_numel=1 << 28)
    peak, result = _peak(lambda: loads(mt, blob))
    assert isinstance(result, RuntimeError) and "truncated or corrupted" in str(result)
    assert peak < SLACK, peak


@pytest.mark.parametrize("index", [1 << 24, (1 << 32) - 1])
def test_memo_index_costs_one_entry(index):
    # LONG_BINPUT at a huge index: Python's C unpickler grows its memo array to the index
    blob = archive(pickle_of(b"N" + b"r" + struct.pack("<I", index)))
    peak, result = _peak(lambda: loads(mt, blob))
    assert result is None
    assert peak < SLACK, peak


def test_compressed_storage_is_streamed_into_its_buffer():
    n = 2 * MiB  # 8 MiB of float32 zeros, deflated to a few KiB
    blob = _float_tensor_file(n, compress={"data/0": zipfile.ZIP_DEFLATED})
    assert len(blob) < 100_000
    peak, result = _peak(lambda: loads(mt, blob))
    assert isinstance(result, mt.Tensor) and result.shape == (n,)
    assert peak < 4 * n + SLACK, peak / (4 * n)
    assert loads(torch, blob).shape == (n,)


def test_stored_storage_is_read_once():
    n = 2 * MiB
    blob = _float_tensor_file(n)
    peak, result = _peak(lambda: loads(mt, blob))
    assert isinstance(result, mt.Tensor)
    assert peak < 4 * n + SLACK, peak / (4 * n)


def test_compressed_pickle_cannot_inflate_without_bound():
    # 8 MiB of EMPTY_LIST opcodes (each a 56-byte object on the stack) deflate to ~8 KiB
    payload = b"\x80\x02" + b"]" * (8 * MiB) + b"."
    blob = archive(payload, compress={"data.pkl": zipfile.ZIP_DEFLATED})
    assert len(blob) < 20_000
    peak, result = _peak(lambda: loads(mt, blob))
    assert isinstance(result, RuntimeError) and "inflating" in str(result)
    assert peak < SLACK, peak


def test_compressed_pickle_of_ordinary_size_loads():
    buf = io.BytesIO()
    torch.save({"w": torch.arange(3.0), "names": [f"layer{i}" for i in range(1000)]}, buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
    ours, theirs = loads(mt, out.getvalue()), loads(torch, out.getvalue())
    assert ours["names"] == theirs["names"] and ours["w"].tolist() == [0.0, 1.0, 2.0]


def test_metadata_records_are_small():
    blob = archive(pickle_of(b"N"))
    big = archive(pickle_of(b"N"), compress={"byteorder": zipfile.ZIP_DEFLATED})
    # replace the byteorder record by 8 MiB of 'l' deflated
    z = zipfile.ZipFile(io.BytesIO(big))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in z.namelist():
            info = zipfile.ZipInfo(name)
            if name.endswith("byteorder"):
                info.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(info, b"l" * (8 * MiB))
            else:
                dst.writestr(info, z.read(name))
    assert loads(mt, blob) is None
    peak, result = _peak(lambda: loads(mt, out.getvalue()))
    assert isinstance(result, RuntimeError)
    assert peak < SLACK, peak


@pytest.mark.parametrize("body", [
    global_("builtins", "bytearray") + b"J\x00\x00\x00\x40\x85R",          # bytearray(1 GiB)
    global_("torch", "Tensor") + b"J\x00\x00\x00\x10\x85R",               # Tensor(2**28)
    global_("torch", "Tensor") + global_("torch", "Size") + b"J\x00\x00\x00\x10\x85\x85R\x85R",
    global_("torch", "Tensor") + b"J\x00\x00\x00\x10\x85\x81",            # NEWOBJ Tensor(2**28)
])
def test_calls_that_allocate_from_a_number_are_refused(body):
    blob = archive(pickle_of(body))
    peak, result = _peak(lambda: loads(mt, blob))
    assert isinstance(result, pickle.UnpicklingError), result
    assert "refused" in str(result)
    assert peak < SLACK, peak


def test_pickled_bytearray_and_tensor_data_still_load():
    # what pickle writes for a bytearray: bytearray(str, 'latin-1'); Tensor(list) from data
    body = (b"(" + global_("builtins", "bytearray") + b"(" + text("ab") + text("latin-1") + b"tR"
            + global_("torch", "Tensor") + b"]K\x01aK\x02a\x85R" + b"t")
    blob = archive(pickle_of(body))
    ours, theirs = loads(mt, blob), loads(torch, blob)
    assert ours[0] == theirs[0] == bytearray(b"ab")
    assert ours[1].tolist() == theirs[1].tolist() == [1.0, 2.0]


def test_string_length_larger_than_the_file():
    # BINUNICODE declaring 2 GiB with three bytes behind it
    blob = archive(b"\x80\x02X\xff\xff\xff\x7fabc")
    peak, result = _peak(lambda: loads(mt, blob))
    assert isinstance(result, (RuntimeError, pickle.UnpicklingError)), result
    assert peak < SLACK, peak


@pytest.mark.parametrize("size,stride", [((1 << 62,), (0,)), ((0, 1 << 62, 1 << 62), (1, 1, 1)),
                                         ((1 << 40, 1 << 40), (0, 0))])
def test_geometries_numpy_cannot_hold_are_runtime_errors(size, stride):
    ints = lambda xs: b"(" + b"".join(b"\x8a\x08" + struct.pack("<q", x) for x in xs) + b"t"
    body = (global_("torch._utils", "_rebuild_tensor_v2") + b"(" + storage_pid("0", 1)
            + b"K\x00" + ints(size) + ints(stride) + b"\x89}tR")
    blob = archive(pickle_of(body), {"data/0": np.zeros(1, np.float32).tobytes()})
    with pytest.raises(RuntimeError):
        loads(mt, blob)


def _long_text(n: int) -> bytes:
    return b"X" + struct.pack("<I", n) + b"a" * n


# Calls on memoized objects: each REDUCE / NEWOBJ / BUILD copies its arguments again, for a few
# bytes of opcodes (h: BINGET, q: BINPUT, R: REDUCE, b: BUILD, e: APPENDS).
REUSE = {
    # _codecs.encode(one 1 MiB string, 'latin1') 100 times: 100 MiB from a 1 MiB file
    "encode": b"](" + _long_text(MiB) + b"q\x00" + global_("_codecs", "encode") + b"q\x01"
              + text("latin1") + b"q\x02" + b"h\x01h\x00h\x02\x86R" * 100 + b"e",
    # set(one list of 64 Ki distinct ints) 40 times: 40 sets of 2 MiB from 330 KiB
    "set": b"](]q\x00(" + b"".join(b"J" + struct.pack("<i", i) for i in range(64 << 10))
           + b"e" + global_("builtins", "set") + b"q\x01" + b"h\x01h\x00\x85R" * 40 + b"e",
    # OrderedDict state: BUILD with one dict of 32 Ki entries on 40 new OrderedDicts
    "BUILD": b"](}q\x00(" + b"".join(b"J" + struct.pack("<i", i) + b"N" for i in range(32 << 10))
             + b"u" + global_("collections", "OrderedDict") + b"q\x01"
             + b"h\x01)Rh\x00b" * 40 + b"e",
    # torch.Tensor(a list of 4096 rows that are one memoized row of 4096 zeros): 64 MiB of
    # float32 (and 128 MiB of Python references) from 20 KiB
    "nested Tensor": global_("torch", "Tensor") + b"(]q\x00(" + b"K\x00" * 4096 + b"e"
                     + b"]" + b"(" + b"h\x00" * 4096 + b"e" + b"tR",
}


@pytest.mark.parametrize("body", list(REUSE.values()), ids=list(REUSE))
def test_calls_cannot_copy_memoized_objects_without_bound(body):
    blob = archive(pickle_of(body))
    peak, result = _peak(lambda: loads(mt, blob))
    assert isinstance(result, pickle.UnpicklingError), result
    assert "copy more data than the file holds" in str(result)
    # what the file's own objects take once (Python objects cost about 10x their pickle)
    assert peak < 20 * len(blob) + SLACK, (peak, len(blob))


def test_ordinary_checkpoints_stay_within_the_copy_budget():
    # many small tensors, parameters, a state_dict's metadata, strings, nested containers
    model = torch.nn.Sequential(*[torch.nn.Linear(2, 2) for _ in range(60)],
                                torch.nn.BatchNorm1d(2))
    obj = {"model": model.state_dict(), "names": [f"layer{i}" for i in range(500)],
           "params": [torch.nn.Parameter(torch.ones(1, 1, 1, 1)) for _ in range(200)],
           "opt": torch.optim.Adam(model.parameters()).state_dict(), "blob": b"x" * 5000,
           "cfg": {"lr": 0.1, "betas": (0.9, 0.99), "tags": {"a", "b"}},
           "ids": set(range(1 << 16)), "shapes": [torch.Size([i, 2, 3]) for i in range(3000)]}
    buf = io.BytesIO()
    torch.save(obj, buf)
    ours, theirs = loads(mt, buf.getvalue()), loads(torch, buf.getvalue())
    assert ours["names"] == theirs["names"] and ours["cfg"] == theirs["cfg"]
    assert ours["ids"] == theirs["ids"] and ours["shapes"] == theirs["shapes"]
    assert ours["blob"] == theirs["blob"] and len(ours["params"]) == 200
    assert ours["model"]._metadata == theirs["model"]._metadata


def test_directory_entries_cannot_share_one_record():
    # 1 MiB stored once, 64 directory entries pointing at it: 64 MiB of tensors from 1 MiB
    n, k = MiB // 4, 64
    body = b"(" + b"".join(tensor(str(i), n, (n,)) for i in range(k)) + b"t"
    records = {"data/0": np.zeros(n, np.float32).tobytes(),
               **{f"data/{i}": b"" for i in range(1, k)}}
    blob = point_records_at(archive(pickle_of(body), records), "archive/data/0",
                            [f"archive/data/{i}" for i in range(1, k)])
    assert len(blob) < 2 * MiB
    peak, result = _peak(lambda: loads(mt, blob))
    assert isinstance(result, RuntimeError) and "overlaps" in str(result), result
    assert peak < SLACK, peak
