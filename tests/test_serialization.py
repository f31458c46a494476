"""minitorch_ref.save / load against torch.save / torch.load: files cross over in both directions,
storage sharing survives, the pickle is torch's byte for byte, hostile files execute nothing,
broken files fail clearly and a failed save leaves the previous file in place."""
import collections
import io
import os
import pickle
import struct
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import assert_close

DTYPES = [np.float32, np.float64, np.float16, np.int64, np.int32, np.int16, np.int8, np.uint8,
          np.bool_]


def _values(dtype, shape=(2, 3), seed=0):
    rng = np.random.default_rng(seed)
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if np.dtype(dtype).kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=dtype)


def _to_torch_file(obj) -> bytes:
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


def _to_our_file(obj) -> bytes:
    buf = io.BytesIO()
    mt.save(obj, buf)
    return buf.getvalue()


def _torch_load(blob: bytes):
    return torch.load(io.BytesIO(blob), weights_only=True)


def _our_load(blob: bytes, **kw):
    return mt.load(io.BytesIO(blob), **kw)


def _is_param(t) -> bool:
    return isinstance(t, (mt.nn.Parameter, torch.nn.Parameter))


def _assert_same_tree(ours, theirs, path="obj"):
    """Same structure, container types, tensor values/dtypes/shapes/requires_grad. ``ours`` may
    hold tensors of either library (a file we wrote, read back by torch or by us)."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, (mt.Tensor, torch.Tensor)), f"{path}: {type(ours)}"
        assert _is_param(ours) == _is_param(theirs), path
        assert ours.requires_grad == theirs.requires_grad, path
        assert_close(ours, theirs, path)
        return
    if isinstance(theirs, dict):
        assert type(ours) is type(theirs), f"{path}: {type(ours)} != {type(theirs)}"
        assert list(ours) == list(theirs), path
        for k in theirs:
            _assert_same_tree(ours[k], theirs[k], f"{path}[{k!r}]")
        return
    if isinstance(theirs, torch.Size):
        assert type(ours).__name__ == "Size" and tuple(ours) == tuple(theirs), path
        return
    if isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs), path
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _assert_same_tree(a, b, f"{path}[{i}]")
        return
    if isinstance(theirs, torch.dtype):
        assert repr(ours) == repr(theirs), path
        return
    assert type(ours) is type(theirs) and ours == theirs, f"{path}: {ours!r} != {theirs!r}"


def _build(T):
    """The same object built from either library."""
    x = T.arange(10.0)
    return {
        "sd": collections.OrderedDict(w=T.arange(6.0).reshape(2, 3), b=T.tensor([1, 2])),
        "view": x[2:5], "full": x, "t": x.view(2, 5).t(),
        "p": T.nn.Parameter(T.ones(2)), "frozen": T.nn.Parameter(T.zeros(3), requires_grad=False),
        "n": [1, 2.5, "a", None, True, (1, 2), -7, 2 ** 40, 1e300],
        "sz": T.Size([2, 3]), "dt": T.float16, "bytes": b"abc", "set": {1, 2}, "c": 1 + 2j,
        "h": T.zeros(3, dtype=T.float16), "bool": T.tensor([True, False]),
        "scalar": T.tensor(3.5), "u8": T.tensor([1, 2], dtype=T.uint8), "empty": T.zeros(0, 3),
        "rg": T.ones(2, requires_grad=True),
    }


# -- the format -----------------------------------------------------------------------------------

def test_pickle_and_records_are_torchs_byte_for_byte():
    ours, theirs = _to_our_file(_build(mt)), _to_torch_file(_build(torch))
    zo, zt = zipfile.ZipFile(io.BytesIO(ours)), zipfile.ZipFile(io.BytesIO(theirs))
    assert zo.namelist() == zt.namelist()
    for name in zt.namelist():
        if name.endswith("serialization_id"):
            continue  # random by design in both
        assert zo.read(name) == zt.read(name), name
    sid = zo.read("archive/.data/serialization_id")
    assert len(sid) == 40 and sid.isdigit()


def test_records_are_64_byte_aligned_and_stored():
    blob = _to_our_file({"a": mt.ones(3), "b": mt.zeros(5, dtype=mt.int64)})
    for info in zipfile.ZipFile(io.BytesIO(blob)).infolist():
        h = info.header_offset
        name_len, extra_len = struct.unpack("<HH", blob[h + 26:h + 30])
        assert (h + 30 + name_len + extra_len) % 64 == 0, info.filename
        assert info.compress_type == zipfile.ZIP_STORED


def test_archive_name_follows_file_name(tmp_path):
    mt.save(mt.ones(1), tmp_path / "my.model.pth.tar")
    torch.save(torch.ones(1), tmp_path / "torch.model.pth.tar")
    ours = zipfile.ZipFile(tmp_path / "my.model.pth.tar").namelist()
    theirs = zipfile.ZipFile(tmp_path / "torch.model.pth.tar").namelist()
    assert ours[0] == "my.model.pth/data.pkl" and theirs[0] == "torch.model.pth/data.pkl"


# -- both directions ------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(), (0,), (1,), (2, 3), (2, 1, 4)])
def test_every_dtype_both_directions(dtype, shape):
    arr = _values(dtype, shape)
    ours = mt.tensor(arr)
    theirs = torch.tensor(arr)
    assert_close(_torch_load(_to_our_file(ours)), theirs, "ours -> torch")
    assert_close(_our_load(_to_torch_file(theirs)), theirs, "torch -> ours")


def test_nested_object_both_directions():
    _assert_same_tree(_torch_load(_to_our_file(_build(mt))), _build(torch))
    # torch's file, read by us, compared with torch's own reading of it
    blob = _to_torch_file(_build(torch))
    _assert_same_tree(_our_load(blob), _torch_load(blob))


def test_storage_sharing_survives_both_ways():
    for blob, lib in ((_to_our_file(_build(mt)), "ours"), (_to_torch_file(_build(torch)), "torch")):
        o, t = _our_load(blob), _torch_load(blob)
        for T_obj, is_torch in ((o, False), (t, True)):
            T_obj["full"][3] = 100.0  # writes through the shared storage, as in torch
            view, tr = T_obj["view"], T_obj["t"]
            assert float(view[1]) == 100.0, (lib, is_torch)
            assert float(tr[3, 0]) == 100.0, (lib, is_torch)
    t = _torch_load(_to_our_file(_build(mt)))
    assert t["view"].untyped_storage().data_ptr() == t["full"].untyped_storage().data_ptr()
    assert t["t"].stride() == (1, 5) and t["view"].storage_offset() == 2


def test_non_contiguous_and_negative_stride_views():
    base = np.arange(24, dtype=np.float32).reshape(4, 6)
    cases = {"flip": mt.from_numpy(base[::-1]), "cols": mt.from_numpy(base[:, 1::2]),
             "T": mt.from_numpy(base.T), "fortran": mt.from_numpy(np.asfortranarray(base)),
             "bcast": mt.from_numpy(np.broadcast_to(base[0], (3, 6)))}
    loaded = _torch_load(_to_our_file(cases))
    for k, v in cases.items():
        np.testing.assert_array_equal(loaded[k].numpy(), v.numpy(), err_msg=k)


def test_parameter_and_requires_grad_flags():
    blob = _to_our_file({"p": mt.nn.Parameter(mt.ones(2)), "t": mt.ones(2, requires_grad=True)})
    t = _torch_load(blob)
    assert isinstance(t["p"], torch.nn.Parameter) and t["p"].requires_grad
    assert t["t"].requires_grad and not isinstance(t["t"], torch.nn.Parameter)
    o = _our_load(_to_torch_file({"p": torch.nn.Parameter(torch.ones(2)),
                                  "f": torch.nn.Parameter(torch.ones(2), requires_grad=False)}))
    assert isinstance(o["p"], mt.nn.Parameter) and o["p"].requires_grad
    assert isinstance(o["f"], mt.nn.Parameter) and not o["f"].requires_grad


def test_loaded_tensors_are_writable_and_independent_of_file(tmp_path):
    torch.save({"w": torch.ones(3)}, tmp_path / "w.pt")
    w = mt.load(tmp_path / "w.pt")["w"]
    w.add_(1)
    assert w.tolist() == [2.0, 2.0, 2.0]
    assert mt.load(tmp_path / "w.pt")["w"].tolist() == [1.0, 1.0, 1.0]


def test_torch_optimizer_and_scheduler_state_dicts_load():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    opts = [torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9),
            torch.optim.Adam(model.parameters(), lr=1e-3, amsgrad=True)]
    x = torch.randn(8, 3)
    for opt in opts:
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        for _ in range(3):
            opt.zero_grad()
            model(x).pow(2).mean().backward()
            opt.step()
            sched.step()
        ckpt = {"model": model.state_dict(), "opt": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 3}
        blob = _to_torch_file(ckpt)
        _assert_same_tree(_our_load(blob), _torch_load(blob))


# -- file objects, paths, map_location, mmap ------------------------------------------------------

def test_paths_and_open_files(tmp_path):
    p = tmp_path / "x.pt"
    mt.save({"a": mt.ones(2)}, str(p))
    assert torch.load(p, weights_only=True)["a"].tolist() == [1.0, 1.0]
    with open(tmp_path / "y.pt", "wb") as fh:
        mt.save([mt.ones(1)], fh)
    with open(tmp_path / "y.pt", "rb") as fh:
        assert mt.load(fh)[0].tolist() == [1.0]
    assert mt.load(p, mmap=True)["a"].tolist() == [1.0, 1.0]


def test_saved_file_gets_normal_permissions(tmp_path):
    p = tmp_path / "perm.pt"
    mt.save(mt.ones(1), p)
    q = tmp_path / "ref"
    q.write_bytes(b"")
    assert (os.stat(p).st_mode & 0o777) == (os.stat(q).st_mode & 0o777)


def _with_location(blob: bytes, location: str) -> bytes:
    """Rewrite every storage location in a torch file (for checkpoints saved on a GPU)."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    old = b"X\x03\x00\x00\x00cpu"
    new = b"X" + struct.pack("<I", len(location)) + location.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data.replace(old, new) if name.endswith("data.pkl") else data)
    return out.getvalue()


def test_map_location():
    blob = _with_location(_to_torch_file({"w": torch.ones(2)}), "cuda:0")
    with pytest.raises(RuntimeError, match="Attempting to deserialize object on a CUDA device"):
        _our_load(blob)
    for loc in ("cpu", mt.device("cpu"), {"cuda:0": "cpu"}):
        assert _our_load(blob, map_location=loc)["w"].tolist() == [1.0, 1.0]


def test_weights_only_false_allows_arbitrary_objects():
    blob = _to_our_file({"frac": __import__("fractions").Fraction(1, 3), "w": mt.ones(1)})
    with pytest.raises(pickle.UnpicklingError, match="fractions.Fraction"):
        _our_load(blob)
    out = _our_load(blob, weights_only=False)
    assert out["frac"] == __import__("fractions").Fraction(1, 3) and out["w"].tolist() == [1.0]
    with mt.serialization.safe_globals([__import__("fractions").Fraction]):
        assert _our_load(blob)["frac"] == __import__("fractions").Fraction(1, 3)
    with pytest.raises(pickle.UnpicklingError):
        _our_load(blob)


# -- hostile and broken files ---------------------------------------------------------------------

def _zip_with_pickle(payload: bytes, name="archive") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(f"{name}/data.pkl", payload)
        z.writestr(f"{name}/byteorder", b"little")
        z.writestr(f"{name}/version", b"3\n")
    return out.getvalue()


def _call_pickle(module: str, name: str, arg: str) -> bytes:
    """A protocol-2 pickle of the call module.name(arg), written opcode by opcode."""
    s = arg.encode()
    return (b"\x80\x02c" + module.encode() + b"\n" + name.encode() + b"\n"
            + b"X" + struct.pack("<I", len(s)) + s + b"\x85R.")


@pytest.mark.parametrize("module,name,blocked", [
    ("posix", "system", True), ("os", "system", True),
    ("builtins", "eval", False), ("subprocess", "check_call", False),
])
def test_forbidden_global_raises_and_executes_nothing(tmp_path, module, name, blocked):
    marker = tmp_path / "pwned"
    if name == "eval":
        arg = f"open({str(marker)!r}, 'w').close()"
    elif name == "check_call":
        arg = f"touch {marker}"  # would fail as a single argv element, but must not even run
    else:
        arg = f"touch {marker}"
    blob = _zip_with_pickle(_call_pickle(module, name, arg))
    with pytest.raises(pickle.UnpicklingError) as info:
        _our_load(blob)
    shown = name if module == "builtins" else f"{module}.{name}"
    assert shown in str(info.value)
    assert ("blocked" in str(info.value)) == blocked
    assert not marker.exists()
    with pytest.raises(pickle.UnpicklingError):  # torch refuses the same file
        _torch_load(blob)
    assert not marker.exists()


def test_forbidden_global_inside_a_real_checkpoint(tmp_path):
    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {tmp_path / 'pwned'}",))
    blob = _to_torch_file({"w": torch.ones(2), "x": Evil()})
    with pytest.raises(pickle.UnpicklingError, match="system"):
        _our_load(blob)
    assert not (tmp_path / "pwned").exists()


def test_persistent_id_must_be_a_storage():
    payload = b"\x80\x02X\x04\x00\x00\x00evilQ."
    with pytest.raises(pickle.UnpicklingError, match="persistent_load"):
        _our_load(_zip_with_pickle(payload))


def test_out_of_bounds_tensor_geometry_is_refused():
    blob = _to_torch_file(torch.arange(4.0))
    z = zipfile.ZipFile(io.BytesIO(blob))
    pkl = z.read("archive/data.pkl")
    # size (4,) -> (400,): a view reaching far past the 4-element storage
    bad = pkl.replace(b"K\x04\x85", b"M\x90\x01\x85", 1)
    assert bad != pkl
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in z.namelist():
            dst.writestr(name, bad if name.endswith("data.pkl") else z.read(name))
    with pytest.raises(RuntimeError, match="out of bounds"):
        _our_load(out.getvalue())


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.99])
def test_truncated_file(cut):
    blob = _to_torch_file({"w": torch.ones(100)})
    with pytest.raises(RuntimeError, match="truncated or corrupted"):
        _our_load(blob[:int(len(blob) * cut)])


def test_non_torch_files():
    with pytest.raises(RuntimeError, match="not a zip archive written by torch.save"):
        _our_load(b"hello, this is not a checkpoint")
    with pytest.raises(RuntimeError, match="not a zip archive written by torch.save"):
        _our_load(pickle.dumps({"a": 1}))
    with pytest.raises(EOFError):
        _our_load(b"")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("archive/other.txt", b"x")
    with pytest.raises(RuntimeError, match="data.pkl: file not found"):
        _our_load(out.getvalue())


def test_storage_record_of_wrong_length():
    blob = _to_torch_file(torch.ones(4))
    z = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in z.namelist():
            data = z.read(name)
            dst.writestr(name, data[:-4] if name.endswith("data/0") else data)
    with pytest.raises(RuntimeError, match="truncated or corrupted"):
        _our_load(out.getvalue())


def test_unsupported_dtype_is_named():
    blob = _to_torch_file(torch.ones(2, dtype=torch.bfloat16))
    with pytest.raises(RuntimeError, match="bfloat16"):
        _our_load(blob)


# -- atomic save ----------------------------------------------------------------------------------

class _FailsWhenPickled:
    def __reduce__(self):
        raise RuntimeError("cannot pickle this on purpose")


def test_failed_save_leaves_previous_file_intact(tmp_path):
    p = tmp_path / "ckpt.pt"
    mt.save({"w": mt.ones(3)}, p)
    good = p.read_bytes()
    big = {"a": mt.zeros(1000), "b": [mt.ones(10)] * 3, "z": _FailsWhenPickled()}
    with pytest.raises(RuntimeError, match="on purpose"):
        mt.save(big, p)
    assert p.read_bytes() == good
    assert sorted(os.listdir(tmp_path)) == ["ckpt.pt"]  # no temporary file left behind
    buf = io.BytesIO()
    with pytest.raises(RuntimeError, match="on purpose"):
        mt.save(big, buf)
    assert buf.getvalue() == b""  # nothing written to a file object either
    assert mt.load(p)["w"].tolist() == [1.0, 1.0, 1.0]


def test_save_argument_errors():
    with pytest.raises(AttributeError, match="file-like object with a 'write' attribute"):
        mt.save(mt.ones(1), 3)


# -- no torch needed ------------------------------------------------------------------------------

def test_loading_torch_files_without_torch(tmp_path):
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    opt = torch.optim.Adam(model.parameters())
    model(torch.randn(4, 3)).sum().backward()
    opt.step()
    path = tmp_path / "ckpt.pt"
    torch.save({"model": model.state_dict(), "opt": opt.state_dict()}, path)
    expected = model.weight.detach().numpy().tolist()
    script = textwrap.dedent(f"""
        import sys
        sys.modules["torch"] = None  # any "import torch" now raises ImportError
        import minitorch_ref as mt
        ck = mt.load({str(path)!r})
        assert "torch" not in [m.split(".")[0] for m in sys.modules if sys.modules[m]]
        print(repr(ck["model"]["weight"].tolist()))
        print(sorted(ck["opt"]["state"][0]))
        mt.save(ck, {str(tmp_path / 'again.pt')!r})
    """)
    root = os.path.dirname(os.path.dirname(os.path.abspath(mt.__file__)))
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=root, env={**os.environ, "PYTHONPATH": root})
    assert res.returncode == 0, res.stderr
    lines = res.stdout.strip().splitlines()
    assert eval(lines[0]) == expected
    assert eval(lines[1]) == ["exp_avg", "exp_avg_sq", "step"]
    again = torch.load(tmp_path / "again.pt", weights_only=True)
    assert torch.equal(again["model"]["weight"], model.weight.detach())


# -- resuming training across the two libraries ---------------------------------------------------

OPTIMIZERS = {
    "sgd": lambda T, p: T.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3),
    "adam": lambda T, p: T.optim.Adam(p, lr=0.01, amsgrad=True),
    "adamw": lambda T, p: T.optim.AdamW(p, lr=0.01, weight_decay=0.05),
    "rmsprop": lambda T, p: T.optim.RMSprop(p, lr=0.005, momentum=0.5, centered=True),
}
SCHEDULERS = {
    "step": lambda T, o: T.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5),
    "cosine": lambda T, o: T.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=1e-4),
    "plateau": lambda T, o: T.optim.lr_scheduler.ReduceLROnPlateau(o, patience=1, factor=0.5),
}


def _build_run(T, opt_name, sched_name):
    model = T.nn.Sequential(T.nn.Linear(4, 16), T.nn.Tanh(), T.nn.Linear(16, 1))
    opt = OPTIMIZERS[opt_name](T, model.parameters())
    return model, opt, SCHEDULERS[sched_name](T, opt)


def _train(T, model, opt, sched, x, y, steps):
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = T.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        if isinstance(sched, T.optim.lr_scheduler.ReduceLROnPlateau):
            sched.step(loss.item())
        else:
            sched.step()
        losses.append(loss.item())
    return losses


def _data(T):
    rng = np.random.default_rng(0)
    return (T.tensor(rng.standard_normal((32, 4)).astype(np.float32)),
            T.tensor(rng.standard_normal((32, 1)).astype(np.float32)))


def _checkpoint(model, opt, sched, step):
    return {"model": model.state_dict(), "optimizer": opt.state_dict(),
            "scheduler": sched.state_dict(), "step": step}


@pytest.mark.parametrize("opt_name", list(OPTIMIZERS))
@pytest.mark.parametrize("sched_name", list(SCHEDULERS))
def test_torch_checkpoint_resumed_by_us(tmp_path, opt_name, sched_name):
    torch.manual_seed(0)
    model, opt, sched = _build_run(torch, opt_name, sched_name)
    x, y = _data(torch)
    _train(torch, model, opt, sched, x, y, 8)
    torch.save(_checkpoint(model, opt, sched, 8), tmp_path / "ckpt.pt")
    expected = _train(torch, model, opt, sched, x, y, 8)

    ck = mt.load(tmp_path / "ckpt.pt")
    ours = _build_run(mt, opt_name, sched_name)  # fresh weights: all state comes from the file
    ours[0].load_state_dict(ck["model"])
    ours[1].load_state_dict(ck["optimizer"])
    ours[2].load_state_dict(ck["scheduler"])
    assert ck["step"] == 8
    got = _train(mt, *ours, *_data(mt), 8)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    for (name, p), q in zip(ours[0].named_parameters(), model.parameters()):
        assert_close(p, q, f"parameter {name}")
    assert ours[1].param_groups[0]["lr"] == pytest.approx(opt.param_groups[0]["lr"], rel=1e-12)


@pytest.mark.parametrize("opt_name", list(OPTIMIZERS))
@pytest.mark.parametrize("sched_name", list(SCHEDULERS))
def test_our_checkpoint_resumed_by_torch(tmp_path, opt_name, sched_name):
    mt.manual_seed(0)
    model, opt, sched = _build_run(mt, opt_name, sched_name)
    x, y = _data(mt)
    _train(mt, model, opt, sched, x, y, 8)
    mt.save(_checkpoint(model, opt, sched, 8), tmp_path / "ckpt.pt")
    expected = _train(mt, model, opt, sched, x, y, 8)

    ck = torch.load(tmp_path / "ckpt.pt", weights_only=True)
    theirs = _build_run(torch, opt_name, sched_name)
    theirs[0].load_state_dict(ck["model"])
    theirs[1].load_state_dict(ck["optimizer"])
    theirs[2].load_state_dict(ck["scheduler"])
    got = _train(torch, *theirs, *_data(torch), 8)
    np.testing.assert_allclose(expected, got, rtol=1e-5, atol=1e-6)
    for p, (name, q) in zip(model.parameters(), theirs[0].named_parameters()):
        assert_close(p, q, f"parameter {name}")


def test_corrupted_storage_bytes_fail_the_checksum():
    blob = bytearray(_to_torch_file(torch.arange(64.0)))
    info = zipfile.ZipFile(io.BytesIO(bytes(blob))).getinfo("archive/data/0")
    h = info.header_offset
    name_len, extra_len = struct.unpack("<HH", blob[h + 26:h + 30])
    blob[h + 30 + name_len + extra_len + 10] ^= 0xFF  # flip one byte of the tensor data
    with pytest.raises(RuntimeError, match="truncated or corrupted"):
        _our_load(bytes(blob))
