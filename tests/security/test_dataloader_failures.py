"""Class 6, DataLoader failures with ``num_workers > 0``: minitorch_ref replays torch's workers in
the main process, and fails as torch's workers make torch fail. ``timeout`` bounds the wait for
one batch ("DataLoader timed out after N seconds", the same batch waited for again on the next
call); a worker's exception comes back with its type and torch's "Caught ... in DataLoader
worker process N" message; ``sys.exit`` in a worker is "exited unexpectedly"."""
import os
import sys
import time

import pytest
import torch

import minitorch_ref as mt

LIBS = [mt, torch]
IDS = ["ours", "torch"]


class _Gated:
    """Item 1 waits until a flag file exists (at most 60 s): a batch that is late on demand."""

    def __init__(self, flag):
        self.flag = str(flag)

    def __len__(self):
        return 4

    def __getitem__(self, i):
        if i == 1:
            deadline = time.monotonic() + 60
            while not os.path.exists(self.flag) and time.monotonic() < deadline:
                time.sleep(0.01)
        return i


@pytest.mark.parametrize("lib", LIBS, ids=IDS)
def test_timeout_raises_and_the_batch_is_waited_for_again(tmp_path, lib):
    flag = tmp_path / "go"
    it = iter(lib.utils.data.DataLoader(_Gated(flag), num_workers=1, timeout=0.3))
    assert next(it).tolist() == [0]
    with pytest.raises(RuntimeError, match=r"^DataLoader timed out after 0.3 seconds$"):
        next(it)
    flag.write_text("")
    assert [b.tolist() for b in it] == [[1], [2], [3]]


@pytest.mark.parametrize("lib", LIBS, ids=IDS)
def test_timeout_long_enough_changes_nothing(lib):
    loader = lib.utils.data.DataLoader(list(range(10)), batch_size=3, num_workers=2, timeout=30)
    assert [b.tolist() for b in loader] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]


@pytest.mark.parametrize("lib", LIBS, ids=IDS)
def test_timeout_without_workers_is_torchs_assertion(lib):
    loader = lib.utils.data.DataLoader(list(range(3)), timeout=1)
    with pytest.raises(AssertionError, match="_SingleProcessDataLoaderIter requires timeout == 0"):
        iter(loader)


class _Raises:
    def __init__(self, exc):
        self.exc = exc

    def __len__(self):
        return 3

    def __getitem__(self, i):
        if i == 1:
            raise self.exc
        return i


class _TwoArgs(Exception):
    def __init__(self, a, b):
        super().__init__(a, b)


def _caught(lib, dataset, **kw):
    loader = lib.utils.data.DataLoader(dataset, num_workers=1, **kw)
    with pytest.raises(BaseException) as info:
        list(loader)
    return info.value


@pytest.mark.parametrize("exc,expected_type", [
    (ValueError("bad item"), ValueError), (KeyError("k"), KeyError),
    (IndexError("out of range"), IndexError), (_TwoArgs(1, 2), RuntimeError),
])
def test_worker_exception_is_torchs(exc, expected_type):
    ours, theirs = _caught(mt, _Raises(exc)), _caught(torch, _Raises(exc))
    assert type(ours) is type(theirs) is expected_type
    head = f"Caught {type(exc).__name__} in DataLoader worker process 0.\nOriginal Traceback"
    for e in (ours, theirs):
        text = str(e) if expected_type is not KeyError else e.args[0]
        assert text.startswith(head), text[:200]
        assert text.rstrip().endswith(f"{type(exc).__name__}: {exc}"), text[-200:]
    assert repr(ours).startswith("KeyError(Caught KeyError") == (expected_type is KeyError)


def test_worker_init_fn_error_comes_with_the_first_batch():
    def init(worker_id):
        raise ValueError(f"init {worker_id} failed")
    for lib in LIBS:
        it = iter(lib.utils.data.DataLoader(list(range(4)), num_workers=1, worker_init_fn=init))
        with pytest.raises(ValueError, match="Caught ValueError in DataLoader worker process 0"):
            next(it)
        del it  # torch's iterator shuts its worker down


class _Stream(torch.utils.data.IterableDataset, mt.utils.data.IterableDataset):
    def __iter__(self):
        yield 1
        raise OSError("stream broke")


def test_iterable_dataset_error():
    for lib in LIBS:
        with pytest.raises(OSError, match="Caught OSError in DataLoader worker process 0"):
            list(lib.utils.data.DataLoader(_Stream(), num_workers=1))


class _Exits:
    def __init__(self, code):
        self.code = code

    def __len__(self):
        return 3

    def __getitem__(self, i):
        if i == 1:
            sys.exit(self.code)
        return i


# torch's two messages for a worker that exits: its SIGCHLD handler's, with a failing exit code,
# or, when its periodic status check comes first (always for code 0), the short form. (Not run
# against torch here: a torch worker that exits while the main process receives a batch from it
# sometimes fails with FileNotFoundError instead, from the shared-memory hand-over.)
EITHER = (r"^DataLoader worker \(pid(\(s\))? \d+\) exited unexpectedly"
          r"( with exit code \d+\. Details are lost due to multiprocessing\. Rerunning "
          r"with num_workers=0 may give better error trace\.)?$")


@pytest.mark.parametrize("code,shown", [(3, 3), ("fatal", 1), (None, 0)])
def test_sys_exit_in_a_worker_is_a_dead_worker(code, shown):
    it = iter(mt.utils.data.DataLoader(_Exits(code), num_workers=1))
    assert next(it).tolist() == [0]
    with pytest.raises(RuntimeError, match=EITHER) as info:
        next(it)
    if shown:
        assert f"with exit code {shown}." in str(info.value)
    else:
        assert str(info.value).endswith(") exited unexpectedly")
    assert isinstance(info.value.__cause__, SystemExit)


class _GradProbe:
    def __len__(self):
        return 2

    def __getitem__(self, i):
        import minitorch_ref
        return int(minitorch_ref.is_grad_enabled()) * 10 + int(torch.is_grad_enabled())


def test_grad_mode_inside_the_timed_fetch_is_the_callers():
    with mt.no_grad():
        got = [b.item() for b in mt.utils.data.DataLoader(_GradProbe(), num_workers=1,
                                                          timeout=30)]
    assert got == [1, 1]  # ours off, torch's (untouched) on
    got = [b.item() for b in mt.utils.data.DataLoader(_GradProbe(), num_workers=1, timeout=30)]
    assert got == [11, 11]


def test_loader_works_after_failures(tmp_path):
    for exc in (ValueError("x"), KeyError("y")):
        with pytest.raises(type(exc)):
            list(mt.utils.data.DataLoader(_Raises(exc), num_workers=2, timeout=60))
    mt.manual_seed(0)
    torch.manual_seed(0)
    ours = [b.tolist() for b in mt.utils.data.DataLoader(list(range(8)), batch_size=2,
                                                         shuffle=True, num_workers=2)]
    theirs = [b.tolist() for b in torch.utils.data.DataLoader(list(range(8)), batch_size=2,
                                                              shuffle=True, num_workers=2)]
    assert ours == theirs
