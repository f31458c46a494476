"""DataLoader, datasets and default_collate against torch's: the same batches in the same order
for the same seed, the same stream consumption, the same errors; num_workers > 0 against torch's
real worker processes."""
import collections
import random
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as tud

import minitorch_ref as mt
import minitorch_ref.utils.data as mud

LIBS = ((torch, tud), (mt, mud))

# torch warns when asked for more worker processes than CPUs; irrelevant to what is compared
pytestmark = pytest.mark.filterwarnings("ignore:This DataLoader will create:UserWarning")


def canon(x):
    """A library-neutral description of a batch: tensors become (dtype, shape, values)."""
    if isinstance(x, (torch.Tensor, mt.Tensor)):
        return ("tensor", str(x.dtype), tuple(x.shape), x.detach().numpy().tolist())
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return (type(x).__name__, tuple(canon(v) for v in x))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [canon(v) for v in x])
    if isinstance(x, dict):
        return (type(x).__name__, [(k, canon(v)) for k, v in x.items()])
    return (type(x).__name__, x)


def both(fn, seed=0):
    """fn(T, D) for torch and for us after manual_seed(seed): (ours, torch's) canonical
    results, each with the next three draws of that library's default stream."""
    out = {}
    for T, D in LIBS:
        T.manual_seed(seed)
        res = fn(T, D)
        out[T] = (canon(res), T.rand(3).tolist())
    return out[mt], out[torch]


def assert_both(fn, seed=0):
    ours, theirs = both(fn, seed)
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1], "the default stream was consumed differently"


def _tensors(T, n=10):
    x = T.tensor(np.arange(n * 3, dtype=np.float32).reshape(n, 3))
    y = T.tensor(np.arange(n) % 3)
    return x, y


# -- datasets -----------------------------------------------------------------------------------

def test_tensor_dataset_indexing_and_errors():
    for T, D in LIBS:
        ds = D.TensorDataset(*_tensors(T))
        assert len(ds) == 10
        x, y = ds[4]
        assert x.tolist() == [12.0, 13.0, 14.0] and y.item() == 1
        with pytest.raises(AssertionError, match="Size mismatch between tensors"):
            D.TensorDataset(T.zeros(3, 2), T.zeros(4))


def test_concat_subset_stack_chain():
    for T, D in LIBS:
        a, b = list(range(5)), list(range(10, 13))
        cat = D.ConcatDataset([a, b])
        assert len(cat) == 8 and [cat[i] for i in range(8)] == a + b and cat[-1] == 12
        assert cat.cumulative_sizes == [5, 8]
        with pytest.raises(ValueError, match="absolute value of index should not exceed"):
            cat[-9]
        sub = D.Subset(a, [4, 0, 2])
        assert [sub[i] for i in range(3)] == [4, 0, 2] and sub.__getitems__([0, 2]) == [4, 2]
        st = D.StackDataset(a, a)
        assert st[2] == (2, 2)
        assert D.StackDataset(x=a, y=a)[1] == {"x": 1, "y": 1}
        with pytest.raises(ValueError, match="Size mismatch between datasets"):
            D.StackDataset(a, b)

        class Stream(D.IterableDataset):
            def __init__(self, n):
                self.n = n

            def __iter__(self):
                return iter(range(self.n))

            def __len__(self):
                return self.n
        chained = Stream(2) + Stream(3)
        assert isinstance(chained, D.ChainDataset) and list(chained) == [0, 1, 0, 1, 2]
        assert len(chained) == 5
        with pytest.raises(AssertionError, match="ConcatDataset does not support IterableDataset"):
            D.ConcatDataset([Stream(2)])

        class Plain(D.Dataset):
            def __getitem__(self, i):
                return i

            def __len__(self):
                return 3
        assert isinstance(Plain() + Plain(), D.ConcatDataset)


# -- default_collate ------------------------------------------------------------------------------

Point = collections.namedtuple("Point", ["x", "y"])


def _samples(T):
    t = lambda a: T.tensor(np.asarray(a, dtype=np.float32))  # noqa: E731
    return {
        "tensors": [t([1, 2]), t([3, 4])],
        "scalars": [t(1.5), t(2.5)],
        "floats": [1.5, 2.0, -3.25],
        "ints": [1, 2, 3],
        "bools": [True, False],
        "strings": ["a", "b"],
        "bytes": [b"a", b"b"],
        "numpy": [np.arange(3, dtype=np.int32), np.arange(3, 6, dtype=np.int32)],
        "numpy_f64": [np.ones((2, 2)), np.zeros((2, 2))],
        "numpy_scalars": [np.float32(1.0), np.float32(2.5)],
        "np_int_scalars": [np.int16(3), np.int16(4)],
        "tuples": [(t([1.0]), 0, "x"), (t([2.0]), 1, "y")],
        "lists": [[t([1.0]), 0.5], [t([2.0]), 1.5]],
        "dicts": [{"a": t([1.0]), "b": 1, "s": "p"}, {"a": t([2.0]), "b": 2, "s": "q"}],
        "ordered": [collections.OrderedDict(z=1, a=2.0), collections.OrderedDict(z=3, a=4.0)],
        "namedtuples": [Point(t([1.0]), 1), Point(t([2.0]), 2)],
        "nested": [{"img": (t([1.0]), [1, 2]), "meta": {"id": 7}},
                   {"img": (t([2.0]), [3, 4]), "meta": {"id": 8}}],
        "mixed_numbers": [1, 2.5],
    }


@pytest.mark.parametrize("case", list(_samples(torch)))
def test_default_collate(case):
    ours = mud.default_collate(_samples(mt)[case])
    theirs = tud.default_collate(_samples(torch)[case])
    assert canon(ours) == canon(theirs)


@pytest.mark.parametrize("case", list(_samples(torch)))
def test_default_convert(case):
    ours = [mud.default_convert(s) for s in _samples(mt)[case]]
    theirs = [tud.default_convert(s) for s in _samples(torch)[case]]
    assert canon(ours) == canon(theirs)


def test_collate_errors():
    for batch, exc in [
        (lambda T: [T.zeros(3), T.zeros(2)], RuntimeError),   # ragged: stack's error
        (lambda T: [[1, 2], [3]], RuntimeError),
        (lambda T: [object(), object()], TypeError),
        (lambda T: [np.array(["a", "b"]), np.array(["c", "d"])], TypeError),
    ]:
        errs = {}
        for T, D in LIBS:
            with pytest.raises(exc) as info:
                D.default_collate(batch(T))
            errs[T] = str(info.value).split("\n")[0]
        if batch(torch)[0].__class__.__name__ == "object":
            assert errs[mt].split("found")[0] == errs[torch].split("found")[0]
        else:
            assert errs[mt] == errs[torch]
    with pytest.raises(RuntimeError, match=r"^stack expects each tensor to be equal size, but got "
                                           r"\[3\] at entry 0 and \[2\] at entry 1$"):
        mud.default_collate([mt.zeros(3), mt.zeros(2)])


# -- DataLoader: order and batches ----------------------------------------------------------------

def _loader_batches(T, D, epochs=2, **kwargs):
    loader = D.DataLoader(D.TensorDataset(*_tensors(T)), **kwargs)
    return [list(loader) for _ in range(epochs)]


@pytest.mark.parametrize("seed", [0, 1, 12345])
@pytest.mark.parametrize("kwargs", [
    dict(), dict(batch_size=4), dict(batch_size=4, shuffle=True),
    dict(batch_size=3, shuffle=True, drop_last=True), dict(batch_size=10, shuffle=True),
    dict(batch_size=64, shuffle=True), dict(batch_size=None), dict(batch_size=None, shuffle=True),
    dict(batch_size=4, shuffle=False, drop_last=True),
])
def test_loader_matches_torch(seed, kwargs):
    assert_both(lambda T, D: _loader_batches(T, D, **kwargs), seed)


@pytest.mark.parametrize("seed", [0, 3])
def test_loader_with_generator(seed):
    def fn(T, D):
        g = T.Generator().manual_seed(seed + 100)
        return _loader_batches(T, D, batch_size=3, shuffle=True, generator=g)
    assert_both(fn, seed)


def test_loader_with_samplers():
    def fn(T, D):
        ds = D.TensorDataset(*_tensors(T))
        g = T.Generator().manual_seed(5)
        a = list(D.DataLoader(ds, batch_size=2, sampler=D.SubsetRandomSampler([1, 3, 5, 7, 9])))
        b = list(D.DataLoader(ds, batch_size=3, sampler=D.RandomSampler(ds, True, 7, g)))
        c = list(D.DataLoader(ds, batch_sampler=D.BatchSampler(D.SequentialSampler(ds), 4,
                                                                True)))
        d = list(D.DataLoader(ds, batch_size=4, sampler=D.WeightedRandomSampler(
            [1.0] * 5 + [3.0] * 5, 8)))
        return a, b, c, d
    assert_both(fn)


def test_loader_collate_fn_and_structures():
    def fn(T, D):
        data = [{"x": np.full(2, i, np.float32), "y": i, "name": f"s{i}"} for i in range(5)]
        a = list(D.DataLoader(data, batch_size=2, shuffle=True))
        b = list(D.DataLoader(data, batch_size=2, collate_fn=lambda batch: len(batch)))
        return a, b
    assert_both(fn)


def test_len():
    for T, D in LIBS:
        ds = D.TensorDataset(*_tensors(T))
        assert len(D.DataLoader(ds, batch_size=3)) == 4
        assert len(D.DataLoader(ds, batch_size=3, drop_last=True)) == 3
        assert len(D.DataLoader(ds, batch_size=None)) == 10
        assert len(D.DataLoader(ds, batch_sampler=D.BatchSampler(range(10), 4, False))) == 3


# -- IterableDataset ------------------------------------------------------------------------------

def _stream_class(D):
    class Stream(D.IterableDataset):
        def __init__(self, start, end):
            self.start, self.end = start, end

        def __iter__(self):
            info = D.get_worker_info()
            lo, hi = self.start, self.end
            if info is not None:  # torch's documented sharding recipe
                per = -(-(hi - lo) // info.num_workers)
                lo = lo + info.id * per
                hi = min(lo + per, hi)
            return iter(range(lo, hi))

        def __len__(self):
            return self.end - self.start
    return Stream


@pytest.mark.parametrize("kwargs", [dict(batch_size=2), dict(batch_size=3, drop_last=True),
                                    dict(batch_size=None)])
def test_iterable_dataset(kwargs):
    def fn(T, D):
        loader = D.DataLoader(_stream_class(D)(3, 10), **kwargs)
        return list(loader), len(loader)
    assert_both(fn)


# -- num_workers > 0: against torch's real worker processes ----------------------------------------

def _augmenting_dataset(T, D):
    class Augment(D.Dataset):
        """Random augmentation inside __getitem__: draws from the worker's streams."""

        def __getitem__(self, i):
            noise = T.rand(2)
            return T.tensor([float(i)]) + noise, random.random(), float(np.random.rand())

        def __len__(self):
            return 9
    return Augment()


@pytest.mark.parametrize("num_workers", [1, 2, 3])
@pytest.mark.parametrize("kwargs", [dict(batch_size=2, shuffle=True),
                                    dict(batch_size=4, shuffle=False, prefetch_factor=1),
                                    dict(batch_size=None, shuffle=True)])
def test_workers_reproduce_torch_processes(num_workers, kwargs):
    def fn(T, D):
        loader = D.DataLoader(_augmenting_dataset(T, D), num_workers=num_workers, **kwargs)
        return [list(loader) for _ in range(2)]
    assert_both(fn, seed=4)


def test_workers_leave_the_main_streams_alone():
    mt.manual_seed(1)
    random.seed(5)
    np.random.seed(6)
    list(mud.DataLoader(_augmenting_dataset(mt, mud), batch_size=3, num_workers=2))
    after = (mt.rand(1).item(), random.random(), np.random.rand())
    mt.manual_seed(1)
    random.seed(5)
    np.random.seed(6)
    mt.empty((), dtype=mt.int64).random_()  # the one base-seed draw the iterator makes
    assert after == (mt.rand(1).item(), random.random(), np.random.rand())


@pytest.mark.parametrize("num_workers", [2, 3])
@pytest.mark.parametrize("batch_size", [2, None])
def test_iterable_dataset_with_workers(num_workers, batch_size):
    def fn(T, D):
        return list(D.DataLoader(_stream_class(D)(0, 11), batch_size=batch_size,
                                 num_workers=num_workers))
    assert_both(fn)


def test_iterable_dataset_without_sharding_is_duplicated_per_worker():
    def fn(T, D):
        class Plain(D.IterableDataset):
            def __iter__(self):
                return iter(range(4))
        return list(D.DataLoader(Plain(), batch_size=3, num_workers=2))
    assert_both(fn)


def test_worker_init_fn_and_worker_info():
    seen = []

    def init(worker_id):
        info = mud.get_worker_info()
        seen.append((worker_id, info.id, info.num_workers, info.seed - worker_id))
        with pytest.raises(RuntimeError, match="Cannot assign attributes to WorkerInfo"):
            info.id = 5

    class Where(mud.Dataset):
        def __getitem__(self, i):
            return mud.get_worker_info().id

        def __len__(self):
            return 7
    mt.manual_seed(0)
    base = mt.empty((), dtype=mt.int64).random_().item()
    mt.manual_seed(0)
    loader = mud.DataLoader(Where(), batch_size=None, num_workers=3, worker_init_fn=init)
    assert list(loader) == [0, 1, 2, 0, 1, 2, 0]   # batch k is fetched by worker k % 3
    assert seen == [(0, 0, 3, base), (1, 1, 3, base), (2, 2, 3, base)]
    assert mud.get_worker_info() is None
    list(loader)
    assert len(seen) == 6  # called again for a new iterator
    persistent = mud.DataLoader(Where(), batch_size=None, num_workers=2, worker_init_fn=init,
                                persistent_workers=True)
    list(persistent), list(persistent)
    assert len(seen) == 8  # persistent workers: once


def test_persistent_workers_match_torch():
    def fn(T, D):
        loader = D.DataLoader(_augmenting_dataset(T, D), batch_size=2, shuffle=True,
                              num_workers=2, persistent_workers=True)
        return [list(loader) for _ in range(3)]
    assert_both(fn, seed=9)


# -- errors and warnings --------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    dict(shuffle=True, sampler=[0, 1]),
    dict(batch_sampler=[[0, 1]], batch_size=2),
    dict(batch_sampler=[[0, 1]], shuffle=True),
    dict(batch_sampler=[[0, 1]], drop_last=True),
    dict(batch_size=None, drop_last=True),
    dict(num_workers=-1),
    dict(timeout=-1),
    dict(prefetch_factor=2),
    dict(num_workers=1, prefetch_factor=-1),
    dict(persistent_workers=True),
])
def test_argument_errors(kwargs):
    errs = {}
    for T, D in LIBS:
        with pytest.raises(ValueError) as info:
            D.DataLoader(D.TensorDataset(*_tensors(T)), **kwargs)
        errs[T] = str(info.value)
    assert errs[mt] == errs[torch]


def test_iterable_dataset_argument_errors():
    for kwargs in (dict(shuffle=True), dict(sampler=[0]), dict(batch_sampler=[[0]])):
        errs = {}
        for T, D in LIBS:
            with pytest.raises(ValueError) as info:
                D.DataLoader(_stream_class(D)(0, 3), **kwargs)
            errs[T] = str(info.value).split(", but got")[0]
        assert errs[mt] == errs[torch]


def test_attributes_frozen_after_init():
    for T, D in LIBS:
        loader = D.DataLoader(D.TensorDataset(*_tensors(T)))
        with pytest.raises(ValueError, match="batch_size attribute should not be set after "
                                             "DataLoader is initialized"):
            loader.batch_size = 3
        loader.num_workers = 0  # not frozen


def test_pin_memory_warns_like_torch_without_accelerator():
    with pytest.warns(UserWarning, match="'pin_memory' argument is set as true but no "
                                         "accelerator is found"):
        next(iter(mud.DataLoader(mud.TensorDataset(*_tensors(mt)), pin_memory=True)))


# -- the batched TensorDataset fetch gives what per-sample fetching gives --------------------------

def test_tensor_dataset_batches_equal_per_sample_collation():
    class PerSample(mud.TensorDataset):
        def __getitem__(self, i):  # a subclass: the loader must fetch sample by sample
            return super().__getitem__(i)
    x, y = _tensors(mt)
    mt.manual_seed(3)
    fast = list(mud.DataLoader(mud.TensorDataset(x, y), batch_size=4, shuffle=True))
    mt.manual_seed(3)
    slow = list(mud.DataLoader(PerSample(x, y), batch_size=4, shuffle=True))
    assert canon(fast) == canon(slow)
    assert all(isinstance(b, list) for b in fast)  # default_collate turns tuples into lists


def test_tensor_dataset_with_grad_keeps_history_like_torch():
    for T, D in LIBS:
        w = T.ones(6, 2, requires_grad=True)
        batch = next(iter(D.DataLoader(D.TensorDataset(w * 2), batch_size=3)))[0]
        assert batch.requires_grad and batch.grad_fn is not None
        batch.sum().backward()
        assert w.grad[:3].tolist() == [[2.0, 2.0]] * 3 and w.grad[3:].sum().item() == 0


def test_bad_index_from_a_sampler_raises_torchs_error():
    errs = {}
    for T, D in LIBS:
        ds = D.TensorDataset(*_tensors(T))
        with pytest.raises(IndexError) as info:
            list(D.DataLoader(ds, batch_size=2, sampler=[0, 10]))
        errs[T] = str(info.value)
    assert errs[mt] == errs[torch]


def test_dataset_wrappers_edges_match_torch():
    """Edges the wrappers' bodies decide: errors (type and message), list keys, lazy checks."""
    def message(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - the type and text are what is compared
            return type(e).__name__, str(e)
        return None

    out = {}
    for T, D in LIBS:
        a, b = list(range(5)), list(range(10, 15))

        class Picky(D.Subset):
            def __getitem__(self, idx):
                return 0

        class Stream(D.IterableDataset):
            def __iter__(self):
                return iter([1, 2])

            def __len__(self):
                return 2
        chain = D.ChainDataset([Stream(), a, Stream()])
        seen = []
        out[T] = [
            message(lambda: D.StackDataset(a, x=b)), message(lambda: D.StackDataset()),
            message(lambda: D.StackDataset(x=a, y=[1])),
            message(lambda: D.ConcatDataset([])), message(lambda: D.ConcatDataset([a, b])[-11]),
            D.ConcatDataset([a, [], b])[5], D.ConcatDataset([a, [], b])[-6],
            message(lambda: Picky(a, [0])), D.Subset(b, [3, 1])[1],
            D.Subset(np.arange(10, 20), [4, 2, 0])[[2, 0]].tolist(),
            message(lambda: seen.extend(chain)), seen, message(lambda: len(chain)),
            message(lambda: D.TensorDataset(T.zeros(3), T.zeros(2), T.tensor(1.0))),
            message(lambda: D.random_split(range(4), [0.5, 0.6])),
            message(lambda: D.random_split(range(4), [1.2, -0.2])),
        ]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sizes = [len(s) for s in D.random_split(range(3), [0.1, 0.1, 0.8])]
        out[T] += [sizes, [(str(w.message), w.filename) for w in caught]]
    assert out[mt] == out[torch]


class _Frozen(collections.abc.Sequence):
    """A read-only sequence whose constructor takes no list: rebuilding it must fall back."""

    def __init__(self, first, second):
        self._items = (first, second)

    def __getitem__(self, i):
        return self._items[i]

    def __len__(self):
        return len(self._items)


def test_collate_and_convert_container_kinds_match_torch():
    """Which container type comes back: copied, rebuilt from parts, or the plain fallback."""
    def batches(T):
        t = lambda a: T.tensor(np.asarray(a, dtype=np.float32))  # noqa: E731
        dd = collections.defaultdict(list, a=1)
        return [
            [collections.defaultdict(list, a=t([1.0])), collections.defaultdict(list, a=t([2.0]))],
            [_Frozen(1, 2.0), _Frozen(3, 4.0)], [range(2), range(2)],
            [collections.UserList([1, np.float32(2)]), collections.UserList([3, np.float32(4)])],
            [dd, dd], [(True, 1), (False, 2)],
        ]
    def plain(x):  # canon() knows lists, not UserList
        return [plain(v) for v in x] if isinstance(x, (list, collections.UserList)) else x

    for i in range(6):
        ours = mud.default_collate(batches(mt)[i])
        theirs = tud.default_collate(batches(torch)[i])
        assert type(ours).__name__ == type(theirs).__name__
        assert canon(plain(ours)) == canon(plain(theirs))
        ours = [mud.default_convert(s) for s in batches(mt)[i]]
        theirs = [tud.default_convert(s) for s in batches(torch)[i]]
        assert [type(o).__name__ for o in ours] == [type(o).__name__ for o in theirs]
        assert canon(plain(ours)) == canon(plain(theirs))
    # a table entry for a base class serves its subclasses; the exact type wins over it
    from minitorch_ref.utils.data._collate import collate as ours_collate
    from torch.utils.data._utils.collate import collate as torch_collate
    table = {object: lambda b, collate_fn_map=None: ("object", list(b)),
             int: lambda b, collate_fn_map=None: ("int", list(b))}
    for batch in ([True, False], [3, 4], ["a", "b"], [[1], [2]]):
        assert ours_collate(batch, collate_fn_map=table) == torch_collate(batch,
                                                                          collate_fn_map=table)
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal"):
        mud.default_collate([[1, 2], [3]])
