"""Class 5, saving: a regular file is replaced atomically, and nothing else is. Symlinks are
written through to their target, pipes, devices and /dev/fd/N receive the bytes, the paths
torch's writer refuses raise torch's RuntimeError, and no failure, interrupt or kill leaves a
temporary file behind."""
import io
import os
import pickle
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import threading

import pytest
import torch

import minitorch_ref as mt
from minitorch_ref import serialization

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(mt.__file__)))


def _obj(lib):
    return {"w": lib.arange(6.0).reshape(2, 3), "step": 3}


def _check_file(path):
    for lib in (mt, torch):
        out = lib.load(path)
        assert out["w"].tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]] and out["step"] == 3


def _check_bytes(blob):
    for lib in (mt, torch):
        out = lib.load(io.BytesIO(blob))
        assert out["w"].tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]] and out["step"] == 3


# -- what is replaced, what is written through ----------------------------------------------------

@pytest.mark.parametrize("lib", [mt, torch], ids=["ours", "torch"])
def test_symlink_is_written_through_to_its_target(tmp_path, lib):
    (tmp_path / "real.pt").write_bytes(b"old")
    os.symlink("real.pt", tmp_path / "link.pt")
    os.symlink("link.pt", tmp_path / "link2.pt")
    lib.save(_obj(lib), tmp_path / "link2.pt")
    assert os.path.islink(tmp_path / "link.pt") and os.path.islink(tmp_path / "link2.pt")
    _check_file(tmp_path / "real.pt")
    assert sorted(os.listdir(tmp_path)) == ["link.pt", "link2.pt", "real.pt"]


@pytest.mark.parametrize("lib", [mt, torch], ids=["ours", "torch"])
def test_dangling_symlink_creates_its_target(tmp_path, lib):
    (tmp_path / "sub").mkdir()
    os.symlink("sub/target.pt", tmp_path / "link.pt")
    lib.save(_obj(lib), tmp_path / "link.pt")
    assert os.path.islink(tmp_path / "link.pt")
    _check_file(tmp_path / "sub" / "target.pt")


def test_symlink_to_a_device_stays(tmp_path):
    os.symlink(os.devnull, tmp_path / "null.pt")
    mt.save(_obj(mt), tmp_path / "null.pt")
    assert os.path.islink(tmp_path / "null.pt")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert os.listdir(tmp_path) == ["null.pt"]


@pytest.mark.parametrize("lib", [mt, torch], ids=["ours", "torch"])
def test_named_pipe_receives_the_bytes(tmp_path, lib):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()),
                              daemon=True)
    reader.start()
    lib.save(_obj(lib), fifo)
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    _check_bytes(got[0])
    assert os.listdir(tmp_path) == ["fifo"]


def test_dev_fd_path_writes_to_the_descriptor(tmp_path):
    r, w = os.pipe()
    got = []
    reader = threading.Thread(target=lambda: got.append(os.fdopen(r, "rb").read()),
                              daemon=True)
    reader.start()
    try:
        mt.save(_obj(mt), f"/dev/fd/{w}")
    finally:
        os.close(w)
    reader.join(timeout=30)
    _check_bytes(got[0])


def test_stdout_in_a_child_process(tmp_path):
    script = ("import minitorch_ref as mt; "
              "mt.save({'w': mt.arange(6.0).reshape(2, 3), 'step': 3}, '/dev/fd/1')")
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": ROOT}, timeout=120)
    assert res.returncode == 0, res.stderr
    _check_bytes(res.stdout)


@pytest.mark.parametrize("path", ["/dev/stdout", "/dev/stderr", "/dev/fd/1", "/proc/self/fd/1"])
def test_descriptor_paths_are_never_replaced(path):
    from minitorch_ref import _save_to_path
    assert _save_to_path.plan(path) == ("through", path)


# -- what torch refuses ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["adir", "adir/", "", "nope/x.pt"])
def test_paths_torch_refuses(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    with pytest.raises(RuntimeError) as theirs:
        torch.save(_obj(torch), name)
    with pytest.raises(RuntimeError) as ours:
        mt.save(_obj(mt), name)
    assert str(theirs.value).endswith(str(ours.value)), (str(ours.value), str(theirs.value))
    assert sorted(os.listdir(tmp_path)) == ["adir"] and os.listdir(tmp_path / "adir") == []


def test_path_is_checked_before_pickling(tmp_path):
    for lib in (mt, torch):
        with pytest.raises(RuntimeError, match="Is a directory"):
            lib.save({"f": lambda: 0}, tmp_path)


_UNPRIVILEGED = textwrap.dedent("""
    import os, sys
    import torch, minitorch_ref as mt
    folder = sys.argv[1]
    os.chdir(folder)
    def attempt(lib, name):
        try:
            lib.save({"w": lib.ones(2)}, name)
            return "ok"
        except RuntimeError as e:
            return "RuntimeError: " + str(e).split("] . ")[-1]
    for lib in (torch, mt):
        open("ro.pt", "wb").write(b"old")
        os.chmod("ro.pt", 0o444)
        print(attempt(lib, "ro.pt"), open("ro.pt", "rb").read() == b"old")
        os.remove("ro.pt")
        os.mkdir("rodir"); os.chmod("rodir", 0o555)
        print(attempt(lib, "rodir/x.pt"), os.listdir("rodir"))
        os.rmdir("rodir")
        os.mkdir("rodir2")
        open("rodir2/w.pt", "wb").write(b"old")
        os.chmod("rodir2", 0o555)
        print(attempt(lib, "rodir2/w.pt"), lib.load("rodir2/w.pt")["w"].tolist(),
              os.listdir("rodir2"))
        os.chmod("rodir2", 0o755); os.remove("rodir2/w.pt"); os.rmdir("rodir2")
""")


def _others_can_run(path: str) -> bool:
    """Whether a user with no rights but "others'" can reach ``path``: every folder above it
    searchable (o+x) by others, on the path as written and on the path its symlinks lead to (a
    venv's python is a link to an interpreter that may sit in a closed home folder)."""
    for start in {os.path.abspath(path), os.path.realpath(path)}:
        path = start
        while True:
            parent = os.path.dirname(path)
            if parent == path:
                break
            if not os.stat(parent).st_mode & 0o001:
                return False
            path = parent
    return True


def test_permissions_as_an_unprivileged_user():
    """A read-only file, a read-only folder, a writable file in a read-only folder. As root
    (which may write anything) the check runs as the user nobody."""
    kwargs = {}
    if os.geteuid() == 0:
        kwargs = {"user": 65534, "group": 65534, "extra_groups": []}
        if not _others_can_run(sys.executable) or not _others_can_run(ROOT):
            pytest.skip(f"the user nobody cannot reach {sys.executable} or {ROOT} (a folder on "
                        "the way is closed to others, e.g. a clone under mktemp -d, or the home "
                        f"folder holding the interpreter {os.path.realpath(sys.executable)})")
    folder = tempfile.mkdtemp(prefix="mt-perm-")
    os.chmod(folder, 0o777)
    try:
        res = subprocess.run([sys.executable, "-c", _UNPRIVILEGED, folder], capture_output=True,
                             text=True, cwd="/", env={**os.environ, "PYTHONPATH": ROOT},
                             timeout=300, **kwargs)
    finally:
        subprocess.run(["rm", "-rf", folder], check=False)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    theirs, ours = lines[:3], lines[3:]
    assert ours == theirs
    assert theirs[0] == "RuntimeError: open file failed with strerror: Permission denied True"
    assert theirs[1] == "RuntimeError: open file failed with strerror: Permission denied []"
    assert theirs[2] == "ok [1.0, 1.0] ['w.pt']"


# -- no temporary file left behind -----------------------------------------------------------------

@pytest.fixture(params=["unnamed", "named"])
def temp_kind(request, monkeypatch):
    """Both kinds of temporary file: unnamed (Linux O_TMPFILE) and named (mkstemp)."""
    if request.param == "named":
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    elif not hasattr(os, "O_TMPFILE"):
        pytest.skip("no O_TMPFILE on this system")
    return request.param


def _fail_while_writing(exc):
    real = serialization._write_zip

    def write_zip(records, out, archive):
        out.write(b"x" * 100_000)  # part of a file is on disk when the failure comes
        raise exc
    return real, write_zip


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), OSError(28, "No space left on device"),
                                 MemoryError()])
def test_interrupted_save_leaves_the_old_file_and_nothing_else(tmp_path, monkeypatch,
                                                               temp_kind, exc):
    p = tmp_path / "ckpt.pt"
    mt.save(_obj(mt), p)
    good = p.read_bytes()
    monkeypatch.setattr(serialization, "_write_zip", _fail_while_writing(exc)[1])
    with pytest.raises(type(exc)):
        mt.save(_obj(mt), p)
    assert os.listdir(tmp_path) == ["ckpt.pt"] and p.read_bytes() == good


_KILLED = textwrap.dedent("""
    import os, sys, time
    import minitorch_ref as mt
    from minitorch_ref import serialization
    if sys.argv[2] == "named":
        del os.O_TMPFILE
    real = serialization._write_zip
    def slow(records, out, archive):
        out.write(b"x" * 5_000_000)
        out.flush()
        print("writing", flush=True)
        time.sleep(600)
    serialization._write_zip = slow
    mt.save({"w": mt.zeros(10)}, sys.argv[1])
""")


def test_killed_save_leaves_no_temporary_file(tmp_path, temp_kind):
    if temp_kind == "named":
        pytest.skip("a named temporary file cannot survive SIGKILL cleanup; only unnamed can")
    p = tmp_path / "ckpt.pt"
    mt.save(_obj(mt), p)
    good = p.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", _KILLED, str(p), temp_kind],
                             stdout=subprocess.PIPE, cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": ROOT})
    try:
        assert child.stdout.readline() == b"writing\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    assert os.listdir(tmp_path) == ["ckpt.pt"] and p.read_bytes() == good


def test_mode_and_durability(tmp_path, monkeypatch, temp_kind):
    p = tmp_path / "ckpt.pt"
    p.write_bytes(b"old")
    os.chmod(p, 0o640)
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.fstat(fd).st_mode),
                                                 real_fsync(fd))[1])
    mt.save(_obj(mt), p)
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o640
    assert any(stat.S_ISREG(m) for m in synced) and any(stat.S_ISDIR(m) for m in synced)
    _check_file(p)
    mt.save(_obj(mt), tmp_path / "new.pt")
    (tmp_path / "ref").write_bytes(b"")
    assert stat.S_IMODE(os.stat(tmp_path / "new.pt").st_mode) == \
        stat.S_IMODE(os.stat(tmp_path / "ref").st_mode)


# -- file objects and pickling errors -------------------------------------------------------------

def test_file_object_errors():
    class NotCallable:
        write = 3
    for lib in (mt, torch):
        with pytest.raises(AttributeError, match="file-like object with a 'write' attribute"):
            lib.save(_obj(lib), object())
        with pytest.raises(TypeError, match="has no callable attribute 'write'"):
            lib.save(_obj(lib), NotCallable())


def _local_function():
    return lambda: 0


class _Unpicklable:
    def __reduce__(self):
        raise ValueError("no")


@pytest.mark.parametrize("make", [lambda: (lambda: 0), _local_function,
                                  lambda: threading.Lock(), lambda: (i for i in range(2)),
                                  lambda: _Unpicklable(), lambda: io.BytesIO().getbuffer(),
                                  lambda: type("Local", (), {})])
def test_unpicklable_objects_raise_torchs_exception(make):
    for_torch, for_us = make(), make()
    with pytest.raises(Exception) as theirs:
        torch.save({"a": for_torch}, io.BytesIO())
    with pytest.raises(Exception) as ours:
        mt.save({"a": for_us}, io.BytesIO())
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value).split(" at 0x")[0] == str(theirs.value).split(" at 0x")[0]
    assert isinstance(ours.value, (pickle.PicklingError, TypeError, AttributeError, ValueError))
