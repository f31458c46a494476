"""Samplers and random_split against torch's: same seeds, same indices, same stream use."""
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as tud

import minitorch_ref as mt
import minitorch_ref.utils.data as mud

LIBS = ((torch, tud), (mt, mud))


def _both(fn):
    """fn(T, D) for torch and for us, each after manual_seed(0); returns (ours, torch's) plus
    the next three uniforms of each default stream, to check that both consumed the same."""
    out = {}
    for T, D in LIBS:
        T.manual_seed(0)
        res = fn(T, D)
        out[T] = (res, T.rand(3).tolist())
    return out[mt], out[torch]


def _assert_both(fn):
    ours, theirs = _both(fn)
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1], "the default stream was consumed differently"


# -- random_split ------------------------------------------------------------------------------

def _split_indices(T, D, n, lengths, generator=None):
    subsets = D.random_split(range(n), lengths, generator=generator)
    return [list(s.indices) for s in subsets]


@pytest.mark.parametrize("n,lengths", [
    (10, [3, 7]), (10, [10]), (100, [50, 30, 20]), (1, [1, 0]), (0, [0, 0]),
    (10, [0.3, 0.7]), (5, [0.5, 0.5]), (7, [0.2, 0.2, 0.6]), (11, [1 / 3] * 3),
    (1000, [0.8, 0.1, 0.1]), (3, [0.1, 0.1, 0.8]),
])
def test_random_split_matches_torch(n, lengths):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zero-length splits warn in both
        _assert_both(lambda T, D: _split_indices(T, D, n, lengths))


@pytest.mark.parametrize("seed", [0, 1, 2 ** 40 + 3])
def test_random_split_with_generator(seed):
    def fn(T, D):
        g = T.Generator().manual_seed(seed)
        return _split_indices(T, D, 50, [0.5, 0.3, 0.2], g) + _split_indices(T, D, 9, [4, 5], g)
    _assert_both(fn)


def test_random_split_subsets_index_the_dataset():
    data = list(range(100, 110))
    mt.manual_seed(3)
    a, b = mud.random_split(data, [4, 6])
    assert [a[i] for i in range(len(a))] == [data[i] for i in a.indices]
    assert sorted(list(a.indices) + list(b.indices)) == list(range(10))


def test_random_split_fraction_remainder_round_robin():
    # floor(5 * 0.5) = 2 twice, the remainder 1 goes to the first split (torch's rule)
    mt.manual_seed(0)
    assert [len(s) for s in mud.random_split(range(5), [0.5, 0.5])] == [3, 2]
    assert [len(s) for s in mud.random_split(range(7), [0.25] * 4)] == [2, 2, 2, 1]


def test_random_split_errors_and_warning():
    for T, D in LIBS:
        with pytest.raises(ValueError, match="^Sum of input lengths does not equal the length "
                                             "of the input dataset!$"):
            D.random_split(range(10), [3, 3])
        with pytest.raises(ValueError, match="^Fraction at index 0 is not between 0 and 1$"):
            D.random_split(range(10), [-0.5, 1.5])
        with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
            D.random_split(range(2), [1.0, 0.0])


# -- samplers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 2, 10, 37])
def test_sequential_sampler(n):
    _assert_both(lambda T, D: (list(D.SequentialSampler(range(n))),
                               len(D.SequentialSampler(range(n)))))


@pytest.mark.parametrize("n", [1, 5, 100])
@pytest.mark.parametrize("passes", [1, 3])
def test_random_sampler_default_generator(n, passes):
    def fn(T, D):
        s = D.RandomSampler(range(n))
        return [list(s) for _ in range(passes)]
    _assert_both(fn)


@pytest.mark.parametrize("replacement,num_samples", [
    (False, None), (False, 3), (False, 25), (True, None), (True, 1), (True, 31), (True, 32),
    (True, 33), (True, 100),
])
def test_random_sampler_options(replacement, num_samples):
    def fn(T, D):
        s = D.RandomSampler(range(10), replacement=replacement, num_samples=num_samples)
        g = T.Generator().manual_seed(7)
        sg = D.RandomSampler(range(10), replacement, num_samples, generator=g)
        return list(s), list(sg), list(sg), len(s)
    _assert_both(fn)


def test_subset_random_sampler():
    def fn(T, D):
        idx = [5, 9, 2, 8, 100, 7]
        g = T.Generator().manual_seed(1)
        return list(D.SubsetRandomSampler(idx)), list(D.SubsetRandomSampler(idx, g)), \
            len(D.SubsetRandomSampler(idx))
    _assert_both(fn)


@pytest.mark.parametrize("replacement", [True, False])
def test_weighted_random_sampler(replacement):
    def fn(T, D):
        w = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6]
        g = T.Generator().manual_seed(2)
        return list(D.WeightedRandomSampler(w, 5, replacement=replacement)), \
            list(D.WeightedRandomSampler(w, 4, replacement, generator=g)), \
            len(D.WeightedRandomSampler(w, 4))
    _assert_both(fn)


@pytest.mark.parametrize("batch_size", [1, 3, 4, 10, 11])
@pytest.mark.parametrize("drop_last", [False, True])
def test_batch_sampler(batch_size, drop_last):
    _assert_both(lambda T, D: (
        list(D.BatchSampler(D.SequentialSampler(range(10)), batch_size, drop_last)),
        len(D.BatchSampler(range(10), batch_size, drop_last)),
        list(D.BatchSampler(D.RandomSampler(range(10)), batch_size, drop_last))))


@pytest.mark.parametrize("make", [
    lambda D: D.RandomSampler(range(3), replacement=1),
    lambda D: D.RandomSampler(range(3), num_samples=0),
    lambda D: D.RandomSampler(range(0)),
    lambda D: D.RandomSampler(range(3), num_samples=2.5),
    lambda D: D.WeightedRandomSampler([1.0, 2.0], 0),
    lambda D: D.WeightedRandomSampler([1.0, 2.0], True),
    lambda D: D.WeightedRandomSampler([1.0, 2.0], 2, replacement=1),
    lambda D: D.WeightedRandomSampler([[1.0, 2.0]], 2),
    lambda D: D.BatchSampler(range(3), 0, False),
    lambda D: D.BatchSampler(range(3), True, False),
    lambda D: D.BatchSampler(range(3), 2, 1),
])
def test_sampler_argument_errors(make):
    errors = {}
    for T, D in LIBS:
        with pytest.raises(Exception) as info:
            make(D)
        errors[T] = info.value
    assert type(errors[mt]) is type(errors[torch])
    assert str(errors[mt]) == str(errors[torch])
