"""How ``save`` writes to a path: what torch's writer refuses, atomic replacement of regular
files, write-through for everything else.

torch opens the destination and writes into it: a symlink is written through to its target, a
pipe or ``/dev/stdout`` receives the bytes, a directory or a file it may not open raises
``RuntimeError``. minitorch_ref refuses the same paths with the same errors, writes the same
non-regular files through, and replaces regular files atomically (a failed or killed save never
leaves a half-written checkpoint, nor a large temporary file where the system allows unnamed
ones).
"""
from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import tempfile
from typing import IO, Callable

__all__ = ["plan", "open_for_writing", "atomic_write", "NoTemporaryFile"]


def _open_file_failed(e: OSError) -> RuntimeError:
    return RuntimeError(f"open file failed with strerror: {e.strerror}")


# Paths that name an already open file descriptor: written through, never replaced.
_FD_ALIASES = ("/dev/stdin", "/dev/stdout", "/dev/stderr")
_FD_FOLDERS = ("/dev/fd/", "/proc/")


def plan(path: str) -> tuple[str, str]:
    """``("replace", real path)`` for a regular file, new or existing (through any symlinks),
    ``("through", path)`` for anything else; torch's ``RuntimeError`` for a path torch's writer
    refuses: an empty name or one ending in a separator, a missing parent folder, a directory,
    an existing file that cannot be opened for writing."""
    if not path or path.endswith(("/", os.sep)):
        raise RuntimeError(f"invalid file name: {path}")
    parent = os.path.dirname(path)
    if parent and not os.path.isdir(parent):
        raise RuntimeError(f"Parent directory {parent} does not exist.")
    real = os.path.realpath(path)
    for p in (os.path.abspath(path), real):
        if p in _FD_ALIASES or p.startswith(_FD_FOLDERS):
            return "through", path
    try:
        st = os.stat(real)
    except FileNotFoundError:
        if not os.path.isdir(os.path.dirname(real)):  # a dangling symlink into nowhere
            raise RuntimeError("open file failed with strerror: No such file or directory") \
                from None
        return "replace", real
    except OSError as e:
        raise _open_file_failed(e) from None
    if stat.S_ISDIR(st.st_mode):
        raise RuntimeError("open file failed with strerror: Is a directory")
    if not stat.S_ISREG(st.st_mode):
        return "through", path
    try:  # torch opens the file for writing: refuse what that open would refuse
        os.close(os.open(real, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)))
    except OSError as e:
        raise _open_file_failed(e) from None
    return "replace", real


@contextlib.contextmanager
def open_for_writing(path: str):
    try:
        out = open(path, "wb")
    except OSError as e:
        raise _open_file_failed(e) from None
    with out:
        yield out


class NoTemporaryFile(Exception):
    """The destination's folder does not let us create a file next to it."""


def atomic_write(path: str, write: Callable[[IO[bytes]], None]) -> None:
    """Run ``write(file)`` on a temporary file next to ``path``, then move it over ``path``.

    On Linux the temporary file is unnamed (``O_TMPFILE``): if the process is killed while
    writing, the kernel frees it and nothing is left in the folder; it gets a name only once
    complete, just before ``os.replace``. Elsewhere it is a named ``mkstemp`` file, removed on
    any exception (``KeyboardInterrupt`` included). The new file keeps an existing file's mode
    (and owner, when we may set it), else gets the mode ``open()`` would give it.
    """
    folder = os.path.dirname(path) or "."
    try:
        existing = os.stat(path)
    except FileNotFoundError:
        existing = None
    for unnamed in (True, False):
        fd, tmp = _temporary_file(folder, path, unnamed)
        if fd is None:
            continue
        try:
            if existing is not None:
                _set_mode(fd, tmp, stat.S_IMODE(existing.st_mode))
                if hasattr(os, "fchown") and \
                        (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
                    with contextlib.suppress(OSError):
                        os.fchown(fd, existing.st_uid, existing.st_gid)
            elif tmp is not None:  # mkstemp made it 0600
                _set_mode(fd, tmp, 0o666 & ~_umask())
            with os.fdopen(fd, "wb", closefd=False) as out:
                write(out)
            os.fsync(fd)
            if tmp is None:
                tmp = _name_unnamed(fd, folder, path)
                if tmp is None:
                    continue  # the system cannot give it a name: write a named one instead
            os.replace(tmp, path)
            tmp = None
            _fsync_folder(folder)
            return
        finally:
            os.close(fd)
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
    raise AssertionError("unreachable: a named temporary file is always tried")


def _set_mode(fd: int, name: str | None, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    elif name is not None:  # Windows: by name (an unnamed file exists only on Linux)
        os.chmod(name, mode)


def _temporary_file(folder: str, path: str, unnamed: bool) -> tuple[int | None, str | None]:
    """``(fd, None)``: an unnamed file in ``folder``; ``(fd, name)``: a named one; ``(None,
    None)``: no unnamed files here. Raises ``NoTemporaryFile`` when ``folder`` refuses us."""
    try:
        if not unnamed:
            return tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.",
                                    suffix=".tmp")
        if not hasattr(os, "O_TMPFILE") or not os.path.isdir("/proc/self/fd"):
            return None, None
        return os.open(folder, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o666), None
    except (PermissionError, OSError) as e:
        if isinstance(e, PermissionError) or e.errno in (errno.EROFS, errno.EACCES):
            raise NoTemporaryFile() from None
        if unnamed:  # EOPNOTSUPP, EISDIR, EINVAL: this file system has no unnamed files
            return None, None
        raise


def _name_unnamed(fd: int, folder: str, path: str) -> str | None:
    """Link the unnamed file ``fd`` into ``folder`` under a fresh temporary name."""
    name = os.path.join(folder, f".{os.path.basename(path)}.{secrets.token_hex(8)}.tmp")
    dfd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        # linkat(AT_SYMLINK_FOLLOW) on /proc/self/fd/N: passing a dir fd makes Python use it
        os.link(f"/proc/self/fd/{fd}", os.path.basename(name), src_dir_fd=dfd, dst_dir_fd=dfd,
                follow_symlinks=True)
    except OSError:
        return None
    finally:
        os.close(dfd)
    return name


def _fsync_folder(folder: str) -> None:
    """Make the rename durable: sync the folder's entry list (not possible everywhere)."""
    try:
        dfd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def _umask() -> int:
    """The process's umask, read without changing it where the system allows (changing it, even
    briefly, would race with other threads creating files)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
