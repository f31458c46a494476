"""Datasets: the map-style ``Dataset`` (``__getitem__`` + ``__len__``), the stream-style
``IterableDataset`` (``__iter__``), the ready-made wrappers torch ships (TensorDataset,
StackDataset, ConcatDataset, ChainDataset, Subset) and ``random_split``.

``random_split`` draws one ``randperm(len(dataset), generator=generator)`` exactly as torch does,
so the same seed gives the same split.
"""
from __future__ import annotations

import bisect
import itertools
import math
import warnings
from typing import Generic, Iterable, Sequence, TypeVar

from ..._tensor import Tensor

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "StackDataset", "ConcatDataset",
           "ChainDataset", "Subset", "random_split"]

T_co = TypeVar("T_co", covariant=True)
T = TypeVar("T")


class Dataset(Generic[T_co]):
    """A map from keys (usually ``0 .. len-1``) to samples.

    Subclasses implement ``__getitem__`` and usually ``__len__`` (samplers and the DataLoader's
    defaults need it). ``__getitems__(indices) -> list`` may be added to fetch a whole batch at
    once; the DataLoader uses it when present. ``a + b`` concatenates two datasets.
    """

    def __getitem__(self, index) -> T_co:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other: "Dataset[T_co]") -> "ConcatDataset[T_co]":
        return ConcatDataset([self, other])


class IterableDataset(Dataset[T_co]):
    """A stream of samples: subclasses implement ``__iter__``. ``a + b`` chains two streams.

    With ``num_workers > 0`` each (simulated) worker iterates its own copy of the dataset; use
    ``get_worker_info()`` in ``__iter__`` or in ``worker_init_fn`` to give each copy its share.
    """

    def __iter__(self):
        raise NotImplementedError("Subclasses of IterableDataset should implement __iter__.")

    def __add__(self, other: Dataset[T_co]) -> "ChainDataset":
        return ChainDataset([self, other])


class TensorDataset(Dataset):
    """Sample ``i`` is ``tuple(t[i] for t in tensors)``; all tensors share their first size."""

    def __init__(self, *tensors: Tensor) -> None:
        rows = tensors[0].size(0)
        if not all(t.size(0) == rows for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].size(0)


class StackDataset(Dataset):
    """Zips datasets of equal length: positional ones give tuples, keyword ones give dicts.

    ``datasets`` keeps the form they came in (the tuple of positional datasets, or the dict of
    keyword ones); ``__getitem__`` returns a sample of the same form.
    """

    def __init__(self, *args: Dataset, **kwargs: Dataset) -> None:
        if args and kwargs:
            raise ValueError(
                "Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) like "
                "input/output, but both types are given.")
        members = args or kwargs
        if not members:
            raise ValueError("At least one dataset should be passed")
        sizes = {len(d) for d in (args or kwargs.values())}
        if len(sizes) > 1:
            raise ValueError("Size mismatch between datasets")
        self._length = sizes.pop()
        self.datasets = members

    def __getitem__(self, index):
        members = self.datasets
        if isinstance(members, dict):
            return {key: d[index] for key, d in members.items()}
        return tuple(d[index] for d in members)

    def __len__(self) -> int:
        return self._length


class ConcatDataset(Dataset[T_co]):
    """The datasets one after another; index ``i`` is found by bisecting the running sizes.

    ``cumulative_sizes[k]`` is the number of samples in ``datasets[0..k]``; a negative index
    counts from the end, as for a list.
    """

    @staticmethod
    def cumsum(sequence) -> list[int]:
        return list(itertools.accumulate(len(d) for d in sequence))

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        members = list(datasets)
        if not members:
            raise AssertionError("datasets should not be an empty iterable")
        if any(isinstance(d, IterableDataset) for d in members):
            raise AssertionError("ConcatDataset does not support IterableDataset")
        self.datasets = members
        self.cumulative_sizes = self.cumsum(members)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        total = len(self)
        if idx < 0:
            if idx < -total:
                raise ValueError("absolute value of index should not exceed dataset length")
            idx += total
        # the first dataset whose running end lies beyond idx holds it
        part = bisect.bisect_right(self.cumulative_sizes, idx)
        offset = self.cumulative_sizes[part - 1] if part > 0 else 0
        return self.datasets[part][idx - offset]


def _streams_only(datasets):
    """Yield ``datasets`` one by one, refusing (at its turn) any that is not an IterableDataset."""
    for member in datasets:
        if not isinstance(member, IterableDataset):
            raise AssertionError("ChainDataset only supports IterableDataset")
        yield member


class ChainDataset(IterableDataset):
    """Iterable datasets one after another, chained lazily; ``len`` is the sum of their lengths.

    ``datasets`` is kept as given (it may be a one-shot iterator); a member that is not an
    IterableDataset is reported only when the iteration or ``len`` reaches it.
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = datasets

    def __iter__(self):
        for stream in _streams_only(self.datasets):
            yield from stream

    def __len__(self) -> int:
        return sum(len(stream) for stream in _streams_only(self.datasets))


def _through(indices: Sequence[int], positions) -> list[int]:
    """The outer dataset's keys for the given positions within a Subset."""
    return [indices[p] for p in positions]


class Subset(Dataset[T_co]):
    """The samples of ``dataset`` at ``indices``, in that order.

    ``subset[i]`` is ``dataset[indices[i]]``; a list of positions is translated as a whole and
    handed to ``dataset`` in one lookup. ``__getitems__`` (the DataLoader's batch fetch) uses the
    inner dataset's ``__getitems__`` when it has one, else one ``dataset[...]`` per position.
    """

    def __init__(self, dataset: Dataset[T_co], indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices
        # the DataLoader fetches batches through __getitems__, which would bypass an overridden
        # __getitem__: a subclass must override both (torch's rule and message)
        cls = type(self)
        custom_item = cls.__getitem__ is not Subset.__getitem__
        custom_items = cls.__getitems__ is not Subset.__getitems__
        if custom_item and not custom_items:
            raise NotImplementedError(
                f"{cls.__name__} overrides __getitem__ but not __getitems__. When "
                "subclassing Subset and overriding __getitem__, you must also override "
                "__getitems__ to ensure DataLoader works correctly with your custom logic. "
                "A simple implementation:\n\n"
                "def __getitems__(self, indices):\n"
                "    return [self.__getitem__(idx) for idx in indices]")

    def __getitem__(self, idx):
        if isinstance(idx, list):
            key = _through(self.indices, idx)
        else:
            key = self.indices[idx]
        return self.dataset[key]

    def __getitems__(self, indices: list[int]) -> list:
        keys = _through(self.indices, indices)
        batch_fetch = getattr(self.dataset, "__getitems__", None)
        if callable(batch_fetch):
            return batch_fetch(keys)
        return [self.dataset[k] for k in keys]

    def __len__(self) -> int:
        return len(self.indices)


def _split_sizes(fractions: Sequence[float], n: int) -> list[int]:
    """Turn fractions summing to 1 into item counts for ``n`` items, as torch does.

    Each split first gets ``floor(n * fraction)``; the items lost to flooring are then dealt out
    one per split, starting again at the first split when all have had one. A split that ends up
    empty is reported with a warning.
    """
    for position, fraction in enumerate(fractions):
        if fraction < 0 or fraction > 1:
            raise ValueError(f"Fraction at index {position} is not between 0 and 1")
    floors = [math.floor(n * fraction) for fraction in fractions]
    spare = max(n - sum(floors), 0)  # flooring can only lose items
    rounds, extra = divmod(spare, len(floors))
    sizes = [size + rounds + (k < extra) for k, size in enumerate(floors)]
    for position in (k for k, size in enumerate(sizes) if size == 0):
        warnings.warn(f"Length of split at index {position} is 0. "
                      "This might result in an empty dataset.", stacklevel=3)
    return sizes


def random_split(dataset: Dataset[T], lengths: Sequence[int | float],
                 generator=None) -> list[Subset[T]]:
    """Split ``dataset`` into non-overlapping random subsets of the given ``lengths``.

    ``lengths`` may be fractions summing to 1: each split gets ``floor(frac * len(dataset))``
    items and the remainder is handed out one by one, round-robin from the first split (torch's
    rule, so ``[0.5, 0.5]`` of 5 items gives lengths ``[3, 2]``). The indices are
    ``randperm(len(dataset), generator=generator)`` (the default generator when ``None``) cut
    into consecutive pieces, as in torch.
    """
    from ... import randperm
    total = sum(lengths)
    if math.isclose(total, 1) and total <= 1:
        lengths = _split_sizes(lengths, len(dataset))
        total = sum(lengths)
    if total != len(dataset):
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    order = randperm(total, generator=generator).tolist()
    bounds = [0, *itertools.accumulate(lengths)]
    return [Subset(dataset, order[lo:hi]) for lo, hi in zip(bounds, bounds[1:])]
