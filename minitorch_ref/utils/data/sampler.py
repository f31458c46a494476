"""Samplers: iterables of dataset indices (or of index batches, for BatchSampler).

The random ones consume the random stream exactly as torch's do, so a seed gives torch's order:

* ``RandomSampler`` without a generator first draws a seed from the default generator,
  ``int(empty((), dtype=int64).random_())``, seeds a fresh ``Generator`` with it and draws
  ``randperm(n)`` from that; with ``generator=g`` it draws ``randperm(n, generator=g)``
  directly. Each pass over the sampler draws anew. ``num_samples > n`` without replacement
  concatenates whole permutations and cuts the last one. With ``replacement=True`` it draws
  ``randint(n, (32,))`` chunks, then one chunk of ``num_samples % 32``.
* ``SubsetRandomSampler`` draws ``randperm(len(indices), generator=generator)`` per pass.
* ``WeightedRandomSampler`` draws ``multinomial(weights, num_samples, replacement)``.
"""
from __future__ import annotations

import itertools
from typing import Generic, Iterable, Iterator, Sequence, Sized, TypeVar

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
           "WeightedRandomSampler", "BatchSampler"]

T_co = TypeVar("T_co", covariant=True)


class Sampler(Generic[T_co]):
    """Base class: subclasses implement ``__iter__`` (and ``__len__`` where it is known)."""

    def __init__(self, data_source: Sized | None = None) -> None:
        pass  # torch accepts and ignores data_source here (kept for old subclasses)

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError


class SequentialSampler(Sampler[int]):
    """``0, 1, ..., len(data_source) - 1``."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """A random permutation of the indices per pass (or draws with replacement)."""

    def __init__(self, data_source: Sized, replacement: bool = False,
                 num_samples: int | None = None, generator=None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(replacement, bool):
            raise TypeError("replacement should be a boolean value, but got "
                            f"replacement={replacement}")
        count = self.num_samples  # None means the dataset's length
        if not isinstance(count, int) or count <= 0:
            raise ValueError("num_samples should be a positive integer value, but got "
                             f"num_samples={count}")

    @property
    def num_samples(self) -> int:
        """``num_samples`` as given, else ``len(data_source)`` at the time of asking."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def _pass_generator(self):
        """The generator of one pass: the user's, else a fresh one seeded by one int64 draw
        from the default generator (so every pass, and every default-seeded run, differs)."""
        from ... import Generator, empty, int64
        if self.generator is not None:
            return self.generator
        seed = int(empty((), dtype=int64).random_().item())
        return Generator().manual_seed(seed)

    def __iter__(self) -> Iterator[int]:
        from ... import int64, randint, randperm
        n = len(self.data_source)
        rng = self._pass_generator()
        total = self.num_samples
        if self.replacement:
            # blocks of 32 draws and one block for the rest: the blocking decides the numbers
            for block in [32] * (total // 32) + [total % 32]:
                yield from randint(n, (block,), dtype=int64, generator=rng).tolist()
            return
        # whole permutations back to back, the last one cut short
        whole, rest = divmod(total, n)
        for _ in range(whole):
            yield from randperm(n, generator=rng).tolist()
        yield from randperm(n, generator=rng).tolist()[:rest]

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given ``indices`` in a random order per pass."""

    def __init__(self, indices: Sequence[int], generator=None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        from ... import randperm
        order = randperm(len(self.indices), generator=self.generator).tolist()
        yield from (self.indices[k] for k in order)

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """``num_samples`` indices drawn with probability proportional to ``weights``."""

    def __init__(self, weights: Sequence[float], num_samples: int, replacement: bool = True,
                 generator=None) -> None:
        from ... import as_tensor, float64
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or \
                num_samples <= 0:
            raise ValueError("num_samples should be a positive integer value, but got "
                             f"num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise ValueError("replacement should be a boolean value, but got "
                             f"replacement={replacement}")
        table = as_tensor(weights, dtype=float64)
        if table.dim() != 1:
            raise ValueError("weights should be a 1d sequence but given weights have shape "
                             f"{tuple(table.shape)}")
        self.weights = table
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        from ... import multinomial
        drawn = multinomial(self.weights, self.num_samples, self.replacement,
                            generator=self.generator)
        yield from drawn.tolist()

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list]):
    """Groups the indices of ``sampler`` into lists of ``batch_size`` (the last one may be
    shorter unless ``drop_last``)."""

    def __init__(self, sampler: Sampler[int] | Iterable[int], batch_size: int,
                 drop_last: bool) -> None:
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError("batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list]:
        indices = iter(self.sampler)
        batch = list(itertools.islice(indices, self.batch_size))
        while batch:
            if self.drop_last and len(batch) < self.batch_size:
                return
            yield batch
            batch = list(itertools.islice(indices, self.batch_size))

    def __len__(self) -> int:
        full, partial = divmod(len(self.sampler), self.batch_size)
        return full if self.drop_last or not partial else full + 1
