"""glibc's allocator settings applied at import (minitorch_ref/_malloc.py): set once on glibc,
left alone on opt-out, when the user chose their own, or where the C library is not glibc or
lacks ``mallopt``; import never fails because of them.

The effect is checked by page faults, not time: in a fresh process without torch, an 8 MB
array freed and allocated again reuses the heap pages it had (glibc's default would map it
afresh and fault its pages in again: about 50 faults with transparent huge pages, 2,048
without)."""
from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys

import pytest

from minitorch_ref import _malloc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GLIBC = sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "gnu_get_libc_version")

CHILD = """
import json, resource, sys
{prelude}
import numpy as np
import minitorch_ref
from minitorch_ref import _malloc

def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

a = np.ones(2 << 20, np.float32)       # 8 MB
del a
f0 = faults()
for _ in range(10):
    a = np.ones(2 << 20, np.float32)
    del a
print(json.dumps(dict(status=_malloc.status, settings=_malloc.settings, faults=faults() - f0,
                      torch="torch" in sys.modules)))
"""


def _child(prelude: str = "", **env) -> dict:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES",
                          _malloc.ENV)}
    clean["PYTHONPATH"] = ROOT + os.pathsep + clean.get("PYTHONPATH", "")
    clean.update(env)
    r = subprocess.run([sys.executable, "-c", CHILD.format(prelude=prelude)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120, env=clean)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not GLIBC, reason="glibc only")
def test_applied_at_import_and_freed_arrays_keep_their_pages():
    out = _child()
    assert not out["torch"]
    assert out["status"] == "applied"
    assert out["settings"] == {"M_MMAP_THRESHOLD": 64 << 20, "M_TRIM_THRESHOLD": 128 << 20}
    # ten 8 MB arrays (2,048 pages each) in memory glibc kept: a few faults at most
    assert out["faults"] < 100, out


@pytest.mark.parametrize("value", ["0", "off", "False"])
def test_opt_out_leaves_the_allocator_alone(value):
    out = _child(**{_malloc.ENV: value})
    assert out["status"] == "disabled" and out["settings"] == {}


@pytest.mark.parametrize("env", [dict(MALLOC_MMAP_THRESHOLD_=str(1 << 20)),
                                 dict(MALLOC_TRIM_THRESHOLD_=str(1 << 20)),
                                 dict(GLIBC_TUNABLES="glibc.malloc.mmap_threshold=1048576")])
def test_the_users_own_settings_win(env):
    out = _child(**env)
    assert out["status"] == "user settings" and out["settings"] == {}


def test_import_survives_a_libc_without_mallopt():
    """ctypes.CDLL(None) is swapped for a library without ``mallopt`` before the import."""
    prelude = ("import ctypes\n"
               "class NoMallopt:\n"
               "    gnu_get_libc_version = None\n"
               "ctypes.CDLL = lambda *a, **k: NoMallopt()\n")
    out = _child(prelude)
    assert out["status"] in ("no mallopt", "not glibc")
    assert out["settings"] == {}


def test_import_survives_a_failing_cdll():
    prelude = ("import ctypes\n"
               "def broken(*a, **k):\n"
               "    raise OSError('no C library here')\n"
               "ctypes.CDLL = broken\n")
    out = _child(prelude)
    assert out["status"] in ("failed: OSError: no C library here", "not glibc")


class FakeLibc:
    """A C library whose ``mallopt`` records its calls and answers from ``accept``."""

    gnu_get_libc_version = None

    def __init__(self, accept=lambda param, value: True, raises=None):
        self.calls, self.accept, self.raises = [], accept, raises
        libc = self

        class Mallopt:
            argtypes = restype = None

            def __call__(self, param, value):
                libc.calls.append((param, value))
                if libc.raises:
                    raise libc.raises
                return int(libc.accept(param, value))
        self.mallopt = Mallopt()


@pytest.fixture
def fresh(monkeypatch):
    """apply() on fakes without touching the real allocator's recorded state or the env."""
    monkeypatch.setattr(_malloc, "status", _malloc.status)
    monkeypatch.setattr(_malloc, "settings", _malloc.settings)
    for k in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES", _malloc.ENV):
        monkeypatch.delenv(k, raising=False)
    return monkeypatch


def test_sets_both_thresholds(fresh):
    libc = FakeLibc()
    assert _malloc.apply(libc) == "applied"
    assert libc.calls == [(_malloc.M_MMAP_THRESHOLD, 64 << 20),
                          (_malloc.M_TRIM_THRESHOLD, 128 << 20)]
    assert (_malloc.M_MMAP_THRESHOLD, _malloc.M_TRIM_THRESHOLD) == (-3, -1)   # malloc.h


def test_falls_back_to_32_mib_where_64_is_refused(fresh):
    libc = FakeLibc(accept=lambda p, v: p != _malloc.M_MMAP_THRESHOLD or v <= 32 << 20)
    assert _malloc.apply(libc) == "applied"
    assert _malloc.settings == {"M_MMAP_THRESHOLD": 32 << 20, "M_TRIM_THRESHOLD": 128 << 20}


def test_refused_threshold_leaves_the_trim_threshold(fresh):
    """Setting the trim threshold alone would switch glibc's dynamic threshold off."""
    libc = FakeLibc(accept=lambda p, v: False)
    assert _malloc.apply(libc) == "refused"
    assert all(p == _malloc.M_MMAP_THRESHOLD for p, _ in libc.calls)
    assert _malloc.settings == {}


def test_a_raising_mallopt_is_reported_not_raised(fresh):
    assert _malloc.apply(FakeLibc(raises=OSError("boom"))) == "failed: OSError: boom"


def test_no_mallopt(fresh):
    class Bare:
        pass
    assert _malloc.apply(Bare()) == "no mallopt"


def test_not_linux_does_nothing(fresh):
    fresh.setattr(sys, "platform", "darwin")
    assert _malloc.apply() == "not glibc"
    fresh.setattr(sys, "platform", "win32")
    assert _malloc.apply() == "not glibc"


def test_opt_out_skips_mallopt(fresh):
    fresh.setenv(_malloc.ENV, "0")
    libc = FakeLibc()
    assert _malloc.apply(libc) == "disabled" and libc.calls == []
    fresh.setenv(_malloc.ENV, "1")
    assert _malloc.apply(libc) == "applied"
