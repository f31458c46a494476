"""DataLoader: a dataset, a sampler and a collate function, iterated in batches.

Everything a torch user sets works the same way: ``batch_size``, ``shuffle``, ``sampler``,
``batch_sampler``, ``drop_last``, ``collate_fn``, ``generator``, ``worker_init_fn``,
``persistent_workers``, ``len(loader)``, and the same argument errors. Shuffling consumes the
random stream exactly as torch does, so ``manual_seed(s)`` gives torch's batch order:

1. ``iter(loader)`` draws the iterator's *base seed*, ``empty((), dtype=int64).random_()``, from
   ``generator`` (the default generator when ``None``);
2. the first batch then starts the sampler: ``RandomSampler`` with ``generator=None`` draws its
   own seed from the default generator and ``randperm(n)`` from a generator seeded with it.

**num_workers > 0 runs in the main process.** No processes are started. Instead the loader
replays what torch's worker processes would do, one worker at a time, so that results are the
ones torch gives (when torch's workers answer in turn, its usual behaviour):

* batch ``k`` of a map-style dataset is fetched "in" worker ``k % num_workers``, after torch's
  prefetching (``prefetch_factor * num_workers`` indices are taken from the sampler when the
  iterator starts);
* each simulated worker has its own random state, seeded as torch seeds a worker process:
  ``manual_seed(base_seed + id)``, ``random.seed(base_seed + id)`` and NumPy's global
  ``np.random.seed`` with torch's SeedSequence-derived words. The states are swapped in around
  every fetch, so random augmentations inside ``__getitem__`` draw what they would draw in
  torch's worker, and the main process's streams are untouched;
* ``worker_init_fn(id)`` is called once per worker when the iterator starts (once in total with
  ``persistent_workers=True``), with ``get_worker_info()`` describing that worker;
* an ``IterableDataset`` is copied (``copy.deepcopy``) per worker and each copy is iterated, batches
  interleaved round-robin, exactly the duplication torch shows unless the dataset shards itself
  with ``get_worker_info()``. A map-style dataset is shared, shallow-copied per worker so that
  attribute changes in ``worker_init_fn`` stay per worker.

There is no speed-up from workers. Failures look like torch's: an exception raised in a
worker (by the dataset, the collate function or ``worker_init_fn``, which torch reports at that
worker's first batch) is re-raised as torch re-raises it, same type, message ``Caught <type> in
DataLoader worker process <id>.`` followed by the original traceback (the original exception is
chained as the cause); ``sys.exit`` in a worker becomes torch's ``RuntimeError("DataLoader
worker (pid ...) exited unexpectedly ...")`` (with the ``SystemExit`` as the cause). What a
separate process would survive cannot be caught here: ``os._exit`` or a crash in native code
ends the program, as with ``num_workers=0``. A ``KeyboardInterrupt`` propagates (it is how
Ctrl-C reaches the program).
``timeout`` is honoured as torch documents it, the time allowed to collect one batch from the
workers: with ``timeout > 0`` each batch is fetched in a helper thread and a batch not ready in
time raises ``RuntimeError("DataLoader timed out after N seconds")``; the fetch goes on in the
background and the next ``next()`` waits for that same batch again, as torch's iterator does.
As in torch, ``timeout > 0`` with ``num_workers=0`` is an ``AssertionError`` at ``iter()``.
``pin_memory``, ``multiprocessing_context``, ``prefetch_factor`` and ``in_order`` are validated
as in torch; ``pin_memory`` warns that no accelerator exists, as torch does on a CPU-only
machine.
"""
from __future__ import annotations

import copy
import itertools
import math
import os
import random as _py_random
import threading
import traceback
import warnings
from collections import deque
from typing import Any, Callable, Generic, Iterable, TypeVar

import numpy as np

from . import _collate
from ._collate import default_collate, default_convert  # noqa: F401  (torch has them here too)
from .dataset import Dataset, IterableDataset, TensorDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info", "WorkerInfo"]

T_co = TypeVar("T_co", covariant=True)

_MAP, _ITERABLE = 0, 1


class WorkerInfo:
    """What ``get_worker_info()`` returns inside a (simulated) worker: ``id``, ``num_workers``,
    ``seed`` (``base_seed + id``) and ``dataset`` (that worker's copy of the dataset)."""

    __initialized = False

    def __init__(self, **kwargs) -> None:
        for k, v in kwargs.items():
            setattr(self, k, v)
        self.__keys = tuple(kwargs.keys())
        self.__initialized = True

    def __setattr__(self, key, val) -> None:
        if self.__initialized:
            raise RuntimeError(f"Cannot assign attributes to {self.__class__.__name__} objects")
        super().__setattr__(key, val)

    def __repr__(self) -> str:
        items = ", ".join(f"{k}={getattr(self, k)}" for k in self.__keys)
        return f"{self.__class__.__name__}({items})"


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """The current worker's ``WorkerInfo`` while a simulated worker fetches data (and during
    ``worker_init_fn``); ``None`` in the main process."""
    return _worker_info


class _InfiniteConstantSampler(Sampler):
    """The index sampler of an IterableDataset: ``None`` forever (the dataset decides)."""

    def __iter__(self):
        while True:
            yield None


def _draw_seed(generator) -> int:
    """torch's per-iterator seed: one int64 ``random_()`` draw from ``generator``."""
    from ... import empty, int64
    return int(empty((), dtype=int64).random_(generator=generator).item())


class DataLoader(Generic[T_co]):
    """Iterate over ``dataset`` in batches (see the module docstring for the random stream and
    for ``num_workers > 0``, which is simulated in the main process)."""

    __initialized = False

    def __init__(self, dataset: Dataset[T_co], batch_size: int | None = 1,
                 shuffle: bool | None = None, sampler: Sampler | Iterable | None = None,
                 batch_sampler: Sampler | Iterable | None = None, num_workers: int = 0,
                 collate_fn: Callable | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0,
                 worker_init_fn: Callable[[int], None] | None = None,
                 multiprocessing_context=None, generator=None, *,
                 prefetch_factor: int | None = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True) -> None:
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError(
                "prefetch_factor option could only be specified in multiprocessing.let "
                "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to "
                "None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order

        if isinstance(dataset, IterableDataset):
            self._dataset_kind = _ITERABLE
            if shuffle not in {False, None}:
                raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle "
                                 f"option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler "
                                 f"option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"batch_sampler option, but got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
            self._dataset_kind = _MAP

        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")

        if sampler is None:
            if self._dataset_kind == _ITERABLE:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = _collate.default_collate if self._auto_collation \
                else _collate.default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self.__initialized = True
        self._IterableDataset_len_called = None
        self._iterator = None

    def __setattr__(self, attr, val) -> None:
        if self.__initialized and attr in ("batch_size", "batch_sampler", "sampler",
                                           "drop_last", "dataset", "persistent_workers"):
            raise ValueError(f"{attr} attribute should not be set after "
                             f"{self.__class__.__name__} is initialized")
        super().__setattr__(attr, val)

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        """What yields the fetch keys: the batch sampler when batching, else the sampler."""
        return self.batch_sampler if self._auto_collation else self.sampler

    def _get_iterator(self) -> "_BaseDataLoaderIter":
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        return _SimulatedMultiWorkerDataLoaderIter(self)

    def __iter__(self) -> "_BaseDataLoaderIter":
        """A new iterator per pass; with persistent workers, one iterator kept and reset for
        every pass after the first (its workers keep their dataset copies and state)."""
        if not (self.persistent_workers and self.num_workers > 0):
            return self._get_iterator()
        if self._iterator is None:
            self._iterator = self._get_iterator()
        else:
            self._iterator._reset(self)
        return self._iterator

    def __len__(self) -> int:
        """Batches per pass: the index sampler's length, or for an IterableDataset its ``len``
        divided into batches (remembered, as torch does, to warn when a pass runs longer)."""
        if self._dataset_kind != _ITERABLE:
            return len(self._index_sampler)
        samples = self._IterableDataset_len_called = len(self.dataset)
        if self.batch_size is None:
            return samples
        if self.drop_last:
            return samples // self.batch_size
        return math.ceil(samples / self.batch_size)


# ==================================================================================================
# Fetching one batch
# ==================================================================================================

class _MapFetcher:
    def __init__(self, dataset, auto_collation: bool, collate_fn: Callable) -> None:
        self.dataset, self.auto_collation, self.collate_fn = dataset, auto_collation, collate_fn
        # A TensorDataset batch under default_collate is [stack(t[i] for i in batch) for t in
        # tensors], which equals [t[batch] for t in tensors]: one indexing op per tensor instead
        # of one per sample and tensor. Only for the exact class (a subclass may override
        # __getitem__) and tensors without autograd history to keep.
        self.index_batch = (auto_collation and type(dataset) is TensorDataset
                            and collate_fn is _collate.default_collate
                            and not any(t.requires_grad for t in dataset.tensors))

    def fetch(self, index):
        if self.index_batch:
            batch = _index_tensors(self.dataset.tensors, index)
            if batch is not None:
                return batch
        if self.auto_collation:
            getitems = getattr(self.dataset, "__getitems__", None)
            data = getitems(index) if callable(getitems) else [self.dataset[i] for i in index]
        else:
            data = self.dataset[index]
        return self.collate_fn(data)


def _index_tensors(tensors, index) -> list | None:
    """``[t[index] for t in tensors]`` for a list of in-range integer indices, else ``None``
    (the per-sample path then runs, and raises torch's errors for bad indices)."""
    from ..._creation import tensor
    try:
        idx = np.asarray(index, dtype=np.int64)
    except (TypeError, ValueError):
        return None
    n = len(tensors[0])
    if idx.ndim != 1 or idx.size == 0 or idx.min() < -n or idx.max() >= n:
        return None
    picked = tensor(idx)
    return [t[picked] for t in tensors]


class _IterableFetcher:
    def __init__(self, dataset, auto_collation: bool, collate_fn: Callable,
                 drop_last: bool) -> None:
        self.dataset_iter = iter(dataset)
        self.auto_collation, self.collate_fn, self.drop_last = auto_collation, collate_fn, \
            drop_last
        self.ended = False

    def fetch(self, index):
        """The next sample (no batching) or up to ``len(index)`` next samples, collated. A
        short batch marks the stream as ended; it is dropped with ``drop_last`` or if empty."""
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.dataset_iter))
        wanted = len(index)
        data = list(itertools.islice(self.dataset_iter, wanted))
        short = len(data) < wanted
        self.ended = short
        if not data or (short and self.drop_last):
            raise StopIteration
        return self.collate_fn(data)


def _make_fetcher(kind: int, dataset, loader: DataLoader):
    if kind == _MAP:
        return _MapFetcher(dataset, loader._auto_collation, loader.collate_fn)
    return _IterableFetcher(dataset, loader._auto_collation, loader.collate_fn, loader.drop_last)


# ==================================================================================================
# Iterators
# ==================================================================================================

class _BaseDataLoaderIter:
    def __init__(self, loader: DataLoader) -> None:
        self._dataset = loader.dataset
        self._dataset_kind = loader._dataset_kind
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        if loader.pin_memory:
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, "
                          "then device pinned memory won't be used.", stacklevel=3)
        # torch's order: the sampler's iterator first, then the base seed
        self._sampler_iter = iter(self._index_sampler)
        self._base_seed = _draw_seed(loader.generator)
        self._persistent_workers = loader.persistent_workers
        self._num_yielded = 0

    def __iter__(self) -> "_BaseDataLoaderIter":
        return self

    def _next_index(self):
        return next(self._sampler_iter)

    def _next_data(self):
        raise NotImplementedError

    def __next__(self) -> Any:
        data = self._next_data()
        self._num_yielded += 1
        if self._dataset_kind == _ITERABLE and self._IterableDataset_len_called is not None \
                and self._num_yielded > self._IterableDataset_len_called:
            warnings.warn(f"Length of IterableDataset {self._dataset} was reported to be "
                          f"{self._IterableDataset_len_called}(when accessing len(dataloader)), "
                          f"but {self._num_yielded} samples have been fetched. ", stacklevel=2)
        return data

    def __len__(self) -> int:
        return len(self._index_sampler)


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader: DataLoader) -> None:
        if loader.timeout != 0:
            raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0")
        super().__init__(loader)
        self._fetcher = _make_fetcher(self._dataset_kind, self._dataset, loader)

    def _next_data(self):
        index = self._next_index()  # StopIteration ends the epoch
        return self._fetcher.fetch(index)


class _SimulatedWorker:
    """One of torch's worker processes, replayed in the main process: its own random states
    (torch's default generator, Python's ``random``, NumPy's global ``np.random``), its own
    ``WorkerInfo`` and dataset copy, swapped in around everything it runs."""

    def __init__(self, worker_id: int, loader: DataLoader, base_seed: int) -> None:
        from ... import manual_seed
        self.id = worker_id
        seed = base_seed + worker_id
        dataset = loader.dataset
        self.dataset = copy.deepcopy(dataset) if loader._dataset_kind == _ITERABLE \
            else copy.copy(dataset)
        self.info = WorkerInfo(id=worker_id, num_workers=loader.num_workers, seed=seed,
                               dataset=self.dataset)
        saved = _RandomStates.capture()
        try:
            manual_seed(seed)
            _py_random.seed(seed)
            lo, hi = base_seed & 0xFFFFFFFF, base_seed >> 32
            np.random.seed(np.random.SeedSequence([worker_id, lo, hi, 0]).generate_state(4))
            self.states = _RandomStates.capture()
        finally:
            saved.restore()
        self.fetcher = None
        self.init_error: BaseException | None = None

    def run(self, fn: Callable, *args):
        """Call ``fn(*args)`` as this worker would: its random states and worker info in place,
        the main process's restored afterwards (also when ``fn`` raises). Errors come out as
        torch's main process receives them from a worker (``_worker_error``)."""
        global _worker_info
        saved, saved_info = _RandomStates.capture(), _worker_info
        self.states.restore()
        _worker_info = self.info
        try:
            return fn(*args)
        except StopIteration:
            raise  # the end of an IterableDataset copy: bookkeeping, not an error
        except (Exception, SystemExit) as e:
            raise _worker_error(e, self.id) from e
        finally:
            self.states = _RandomStates.capture()
            saved.restore()
            _worker_info = saved_info

    def start(self, loader: DataLoader, call_init: bool) -> None:
        """Run ``worker_init_fn`` and make the fetcher; torch reports a failure here at this
        worker's first batch, not at ``iter()``."""
        def begin():
            if call_init and loader.worker_init_fn is not None:
                loader.worker_init_fn(self.id)
            self.fetcher = _make_fetcher(loader._dataset_kind, self.dataset, loader)
        self.init_error = None
        try:
            self.run(begin)
        except StopIteration:
            raise
        except (Exception, SystemExit) as e:
            self.init_error = e

    def fetch(self, index):
        if self.init_error is not None:
            raise self.init_error
        return self.run(self.fetcher.fetch, index)


class _KeyErrorMessage(str):
    """KeyError shows its argument's repr; this message shows as itself, line breaks and all."""

    def __repr__(self) -> str:
        return self


def _worker_error(e: BaseException, worker_id: int) -> BaseException:
    """The exception torch's main process raises for ``e`` raised in worker ``worker_id``:
    a worker that exits is reported as having died; any other exception is rebuilt with its
    type and torch's message (``Caught ... in DataLoader worker process N.`` and the original
    traceback), or as a RuntimeError when its type cannot be built from one message."""
    if isinstance(e, SystemExit):
        # the exit code a process would have: sys.exit(None) 0, sys.exit("text") 1
        code = 0 if e.code is None else e.code if isinstance(e.code, int) else 1
        if code:  # torch's SIGCHLD handler reports a worker's failing exit code so
            return RuntimeError(
                f"DataLoader worker (pid {os.getpid()}) exited unexpectedly with exit code "
                f"{code}. Details are lost due to multiprocessing. Rerunning with "
                "num_workers=0 may give better error trace.")
        return RuntimeError(f"DataLoader worker (pid(s) {os.getpid()}) exited unexpectedly")
    kind = type(e)
    msg = (f"Caught {kind.__name__} in DataLoader worker process {worker_id}.\nOriginal "
           + "".join(traceback.format_exception(kind, e, e.__traceback__)))
    if kind is KeyError:
        msg = _KeyErrorMessage(msg)
    elif getattr(kind, "message", None):
        return kind(message=msg)
    try:
        return kind(msg)
    except Exception:
        return RuntimeError(msg)


class _RandomStates:
    """The three global random streams a torch worker reseeds."""

    __slots__ = ("torch_state", "python_state", "numpy_state")

    @classmethod
    def capture(cls) -> "_RandomStates":
        from ... import get_rng_state
        s = object.__new__(cls)
        s.torch_state = get_rng_state()
        s.python_state = _py_random.getstate()
        s.numpy_state = np.random.get_state()
        return s

    def restore(self) -> None:
        from ... import set_rng_state
        set_rng_state(self.torch_state)
        _py_random.setstate(self.python_state)
        np.random.set_state(self.numpy_state)


class _SimulatedMultiWorkerDataLoaderIter(_BaseDataLoaderIter):
    """torch's multi-process iterator, replayed in the main process (module docstring).

    Task bookkeeping follows torch's: ``prefetch_factor * num_workers`` tasks in flight, each new
    task given to the next *active* worker in a fixed cycle; a worker whose IterableDataset copy
    is exhausted answers its next task with "stop", is marked inactive and its remaining tasks
    are dropped. Results are taken in task order.
    """

    def __init__(self, loader: DataLoader) -> None:
        super().__init__(loader)
        self._timeout = loader.timeout
        self._pending: _Fetch | None = None
        self._prefetch_factor = loader.prefetch_factor
        if self._prefetch_factor <= 0:
            raise ValueError("prefetch_factor must be greater than 0 for "
                             "MultiProcessingDataLoaderIter")
        self._workers = [_SimulatedWorker(i, loader, self._base_seed)
                         for i in range(self._num_workers)]
        for w in self._workers:
            w.start(loader, call_init=True)
        self._reset(loader, first_iter=True)

    def _reset(self, loader: DataLoader, first_iter: bool = False) -> None:
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        if not first_iter:
            # persistent workers start a new pass over their dataset copies (no new seeds)
            for w in self._workers:
                w.start(loader, call_init=False)
        self._pending = None
        self._worker_cycle = itertools.cycle(range(self._num_workers))
        self._workers_status = [True] * self._num_workers
        self._tasks: deque = deque()
        self._tasks_outstanding = 0
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _try_put_index(self) -> None:
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):
            worker_id = next(self._worker_cycle)
            if self._workers_status[worker_id]:
                break
        else:
            return  # no active worker left
        self._tasks.append((worker_id, index))
        self._tasks_outstanding += 1

    def _next_data(self):
        while True:
            if self._pending is None:  # else: a batch that timed out, waited for again
                if not self._tasks:
                    raise StopIteration
                worker_id, index = self._tasks.popleft()
                if not self._workers_status[worker_id]:
                    continue  # sent to a worker that has finished: never answered, as in torch
                self._tasks_outstanding -= 1
                self._pending = _Fetch(self._workers[worker_id], index, self._timeout)
            fetch = self._pending
            if not fetch.wait(self._timeout):
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")
            self._pending = None
            try:
                data = fetch.result()
            except StopIteration:
                if self._dataset_kind != _ITERABLE:
                    raise
                self._workers_status[fetch.worker.id] = False
                self._try_put_index()
                continue
            self._try_put_index()
            return data


class _Fetch:
    """One batch being fetched by a simulated worker: at once in the calling thread, or, with a
    ``timeout``, in a helper thread that the caller waits for at most ``timeout`` seconds at a
    time (the thread records with the caller's grad mode)."""

    def __init__(self, worker: _SimulatedWorker, index, timeout: float) -> None:
        self.worker, self.index = worker, index
        self._value = self._error = None
        self._done = threading.Event()
        if timeout > 0:
            from ...autograd.grad_mode import is_grad_enabled
            grad = is_grad_enabled()
            threading.Thread(target=self._run, args=(grad,), daemon=True,
                             name=f"DataLoader worker {worker.id}").start()
        else:
            self._run(None)

    def _run(self, grad: bool | None) -> None:
        try:
            if grad is not None:
                from ...autograd.grad_mode import set_grad_enabled
                set_grad_enabled(grad)
            self._value = self.worker.fetch(self.index)
        except BaseException as e:  # handed to the waiting caller
            self._error = e
        finally:
            self._done.set()

    def wait(self, timeout: float) -> bool:
        return self._done.wait(timeout if timeout > 0 else None)

    def result(self):
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return self._value
