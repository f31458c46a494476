"""glibc's allocator settings for large arrays, applied once at import (Linux with glibc only).

Why: NumPy takes each array's memory from ``malloc``. glibc serves a request of at least
``M_MMAP_THRESHOLD`` bytes (128 KiB at start) with a fresh ``mmap`` and returns it to the
kernel on ``free``; the next array of that size is a new mapping whose pages fault in one by
one as they are first written (about one minor fault per 4 KiB page, fewer where the kernel
hands out transparent huge pages). A training step makes many fresh activation and gradient
arrays of a few MB, so without torch in the process every step pays those faults again: softmax
1024x1024 fwd+bwd took 4.5 ms alone against 1.8 ms in a process where torch's own large
allocations had raised glibc's *dynamic* threshold (glibc raises it to the size of a freed
mapped block, at most 32 MiB, and sets ``M_TRIM_THRESHOLD`` to twice that).

torch's scripts run with torch's allocations in the process; ``import minitorch_ref as torch``
scripts do not. So at import we set, once, what the dynamic threshold would reach and a little
more:

* ``M_MMAP_THRESHOLD = 64 MiB``: blocks below it come from the heap and are reused after
  ``free`` with their pages still mapped (no faults, no zeroing by the kernel);
* ``M_TRIM_THRESHOLD = 128 MiB``: glibc gives the top of the heap back to the kernel only when
  more than that is free there.

The cost: up to 128 MiB of freed heap stays with the process, and heap blocks can fragment, so
the resident size after a peak may stay higher than with the defaults (arrays of 64 MiB and
more are still mapped and returned at once). Setting either value by ``mallopt`` turns off
glibc's dynamic adjustment, which is why both are set. If glibc refuses 64 MiB (builds whose
limit is ``HEAP_MAX_SIZE / 2`` = 32 MiB), 32 MiB is used.

Nothing is changed when:

* the environment variable ``MINITORCH_REF_MALLOC`` is ``0`` (or ``false``, ``no``, ``off``);
* the user already chose (``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``, or a
  ``glibc.malloc`` entry in ``GLIBC_TUNABLES``);
* the C library is not glibc (macOS, Windows, musl) or has no ``mallopt``.

It never raises: a failure leaves the allocator as it was.
"""
from __future__ import annotations

import ctypes
import os
import sys

M_TRIM_THRESHOLD = -1   # glibc's malloc.h
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 64 << 20
MMAP_THRESHOLD_FALLBACK = 32 << 20
TRIM_THRESHOLD = 128 << 20
ENV = "MINITORCH_REF_MALLOC"

# What happened at import: "applied", "disabled" (opt-out), "user settings", "not glibc",
# "no mallopt", "refused" or "failed: <error>".
status = "not run"
# The values set, in bytes, when status == "applied".
settings: dict = {}


def _disabled() -> bool:
    return os.environ.get(ENV, "").strip().lower() in ("0", "false", "no", "off")


def _user_chose() -> bool:
    env = os.environ
    return ("MALLOC_MMAP_THRESHOLD_" in env or "MALLOC_TRIM_THRESHOLD_" in env
            or "glibc.malloc." in env.get("GLIBC_TUNABLES", ""))


def _glibc():
    """The process's C library if it is glibc (it exports ``gnu_get_libc_version``)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None)
    if not hasattr(libc, "gnu_get_libc_version"):
        return None
    return libc


def apply(libc=None) -> str:
    """Set glibc's mmap and trim thresholds (see the module docstring); return the status."""
    global status, settings
    settings = {}
    try:
        if _disabled():
            status = "disabled"
        elif _user_chose():
            status = "user settings"
        else:
            libc = libc if libc is not None else _glibc()
            if libc is None:
                status = "not glibc"
            elif not hasattr(libc, "mallopt"):
                status = "no mallopt"
            else:
                status = _set(libc.mallopt)
    except Exception as exc:  # noqa: BLE001  (import must never fail because of this)
        status = f"failed: {type(exc).__name__}: {exc}"
    return status


def _set(mallopt) -> str:
    global settings
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    for mmap in (MMAP_THRESHOLD, MMAP_THRESHOLD_FALLBACK):
        if mallopt(M_MMAP_THRESHOLD, mmap) == 1:
            break
    else:
        return "refused"      # the dynamic threshold is still on: leave the trim threshold
    trim = max(TRIM_THRESHOLD, 2 * mmap)
    if mallopt(M_TRIM_THRESHOLD, trim) != 1:
        trim = None
    settings = {"M_MMAP_THRESHOLD": mmap, "M_TRIM_THRESHOLD": trim}
    return "applied"
