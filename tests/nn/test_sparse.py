"""Embedding and one_hot against torch: lookups and weight gradients (repeated indices,
padding_idx rows, scale_grad_by_freq), max_norm renormalisation in place, seeded init,
from_pretrained, reprs, errors."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, LIBS, assert_close, check, check_raises, rand
from nn_parity import module_parity

DT = {np.float32: (torch.float32, mt.float32), np.float64: (torch.float64, mt.float64)}
IDX = np.array([[0, 2, 4, 2], [9, 4, 0, 0]])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("opts", [dict(), dict(padding_idx=0), dict(padding_idx=-1),
                                  dict(padding_idx=4, scale_grad_by_freq=True),
                                  dict(scale_grad_by_freq=True),
                                  dict(max_norm=1.0), dict(max_norm=0.5, norm_type=1.0),
                                  dict(max_norm=1.5, norm_type=float("inf"), padding_idx=2)],
                         ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
@pytest.mark.parametrize("idx", [IDX, IDX[0], np.array(3), IDX.astype(np.int32)],
                         ids=["2d", "1d", "0d", "int32"])
def test_embedding_module(idx, opts, dtype):
    module_parity(lambda T: T.nn.Embedding(10, 3, **opts), idx, dtype=DT[dtype], steps=2)


def _index_pattern(name: str, vocab: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    if name == "all distinct":
        return rng.permutation(vocab)[:vocab // 2].reshape(5, -1)
    if name == "all one index":
        return np.full((4, 6), 3)
    if name == "mixed":  # most indices once, some two to four times, padding row among both
        return np.concatenate([rng.permutation(vocab)[:60], [3, 3, 3, 3, 0, 0, 17, 17]])
    if name == "empty":
        return np.zeros((0, 3), dtype=np.int64)
    return rng.integers(0, 4, (5, 7))  # "few rows, many repeats"


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("opts", [dict(), dict(padding_idx=0), dict(padding_idx=3),
                                  dict(scale_grad_by_freq=True),
                                  dict(padding_idx=17, scale_grad_by_freq=True)],
                         ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "plain")
@pytest.mark.parametrize("pattern", ["all distinct", "all one index", "mixed", "empty",
                                     "few rows, many repeats"])
def test_embedding_weight_grad_index_patterns(pattern, opts, dtype):
    """The weight gradient where each index occurs once (its row is assigned), where indices
    repeat (rows added up in order), and both at once, with padding and frequency scaling."""
    idx = _index_pattern(pattern, 100)
    w = rand(100, 8, dtype=dtype)
    check(lambda T, w: T.nn.functional.embedding(T.tensor(idx), w, **opts), w)


@pytest.mark.parametrize("seed", [0, 3])
def test_default_init_is_torchs(seed):
    for opts in (dict(), dict(padding_idx=1)):
        ws = {}
        for T in LIBS:
            T.manual_seed(seed)
            ws[T] = T.nn.Embedding(7, 5, **opts).weight.detach().numpy()
        np.testing.assert_array_equal(ws[mt], ws[torch])


def test_functional_embedding():
    w = rand(10, 4, dtype=np.float64)
    check(lambda T, w: T.nn.functional.embedding(T.tensor(IDX), w), w)
    check(lambda T, w: T.nn.functional.embedding(T.tensor(IDX), w, padding_idx=2), w)
    check(lambda T, w: T.nn.functional.embedding(T.tensor(IDX), w * 1.0, max_norm=0.8), w)


def test_max_norm_renormalises_in_place_without_grad():
    w = rand(10, 4, dtype=np.float32) * 3
    res = {}
    for T in LIBS:
        wt = T.tensor(w)
        out = T.nn.functional.embedding(T.tensor(IDX), wt, max_norm=1.0)
        res[T] = (wt.numpy().copy(), out.numpy())
    assert_close(res[mt][0], res[torch][0])
    assert_close(res[mt][1], res[torch][1])
    assert not np.array_equal(res[mt][0], w)  # looked-up rows changed, in place
    np.testing.assert_array_equal(res[mt][0][[1, 3, 5, 6, 7, 8]], w[[1, 3, 5, 6, 7, 8]])


def test_from_pretrained_and_freeze():
    w = rand(5, 3, dtype=np.float64)
    for T in LIBS:
        table = T.tensor(w)
        e = T.nn.Embedding.from_pretrained(table)
        assert not e.weight.requires_grad
        table[0, 0] = 100.0  # shares memory, as in torch
        assert e.weight[0, 0].item() == 100.0
        e2 = T.nn.Embedding.from_pretrained(T.tensor(w), freeze=False, padding_idx=1)
        assert e2.weight.requires_grad and e2.padding_idx == 1
        out = e2(T.tensor([1, 2]))
        out.sum().backward()
        assert e2.weight.grad[1].abs().sum().item() == 0.0 if T is torch else \
            float((e2.weight.grad[1] * e2.weight.grad[1]).sum()) == 0.0
    check_raises(lambda T: T.nn.Embedding.from_pretrained(T.ones(3)))
    check_raises(lambda T: T.nn.Embedding(3, 2, _weight=T.ones(2, 2)))


def test_reprs_and_state_dict():
    builds = [lambda T: T.nn.Embedding(10, 3), lambda T: T.nn.Embedding(10, 3, padding_idx=-2),
              lambda T: T.nn.Embedding(10, 3, max_norm=2.0, norm_type=1.0,
                                       scale_grad_by_freq=True),
              lambda T: T.nn.Embedding(4, 2, sparse=True)]
    for b in builds:
        assert repr(b(mt)) == repr(b(torch))
        assert list(b(mt).state_dict()) == list(b(torch).state_dict())


def test_embedding_errors():
    w = lambda T: T.zeros(5, 2)  # noqa: E731
    check_raises(lambda T: T.nn.functional.embedding(T.tensor([0, 5]), w(T)))
    check_raises(lambda T: T.nn.functional.embedding(T.tensor([0, -1]), w(T)))
    check_raises(lambda T: T.nn.functional.embedding(T.tensor([0.0, 1.0]), w(T)))
    check_raises(lambda T: T.nn.functional.embedding(T.tensor([0, 1]), w(T), padding_idx=5))
    check_raises(lambda T: T.nn.functional.embedding(T.tensor([0, 1]), w(T), padding_idx=-6))
    check_raises(lambda T: T.nn.Embedding(5, 2, padding_idx=5))
    check_raises(lambda T: T.nn.Embedding(5, 2, padding_idx=-6))
    check_raises(lambda T: T.nn.Embedding(5, 2)(T.tensor([[7]])))


def test_one_hot():
    for idx in (np.array([0, 3, 1]), np.array([[2, 0], [1, 1]]), np.array(2),
                np.zeros((0,), dtype=np.int64)):
        for n in (-1, 4, 6):
            if n == -1 and idx.size == 0:
                continue
            check(lambda T: T.nn.functional.one_hot(T.tensor(idx), n))
    check_raises(lambda T: T.nn.functional.one_hot(T.tensor([0, 5]), 3))
    check_raises(lambda T: T.nn.functional.one_hot(T.tensor([0, -1])))
    check_raises(lambda T: T.nn.functional.one_hot(T.tensor([0.0, 1.0])))
    check_raises(lambda T: T.nn.functional.one_hot(T.tensor([], dtype=T.int64)))


BAG_IDX = np.array([1, 2, 2, 0, 5, 3, 2, 7])
BAG_CASES = {  # name -> (input, offsets, include_last_offset)
    "2d": (np.array([[1, 2, 2, 4], [0, 5, 3, 5], [7, 7, 1, 2]]), None, False),
    "offsets": (BAG_IDX, np.array([0, 2, 2, 5]), False),
    "last_offset": (BAG_IDX, np.array([0, 2, 2, 6, 8]), True),
    "empty_tail": (BAG_IDX, np.array([0, 3, 8]), False),
}


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("opts", [dict(), dict(padding_idx=2), dict(scale_grad_by_freq=True),
                                  dict(max_norm=1.0), dict(padding_idx=-1, norm_type=1.0)],
                         ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
@pytest.mark.parametrize("case", list(BAG_CASES))
def test_embedding_bag_module(case, opts, mode, dtype):
    if mode == "max" and opts.get("scale_grad_by_freq"):
        return
    idx, off, last = BAG_CASES[case]
    args = (idx,) if off is None else (idx, off)
    module_parity(lambda T: T.nn.EmbeddingBag(8, 3, mode=mode, include_last_offset=last,
                                              **opts), *args, dtype=DT[dtype], steps=2)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_embedding_bag_per_sample_weights(dtype):
    w = rand(8, 3, dtype=dtype)
    for case, (idx, off, last) in BAG_CASES.items():
        psw = rand(*idx.shape, dtype=dtype, seed=5)

        def fn(T, w, psw):
            return T.nn.functional.embedding_bag(
                T.tensor(idx), w, None if off is None else T.tensor(off), mode="sum",
                per_sample_weights=psw, include_last_offset=last, padding_idx=2)

        check(fn, w, psw)


def test_embedding_bag_max_ties():
    w = np.array([[1.0, 2.0], [1.0, 0.5], [0.0, 2.0]])
    check(lambda T, w: T.nn.functional.embedding_bag(T.tensor([[0, 1, 2], [2, 2, 0]]), w,
                                                     mode="max"), w)


def test_embedding_bag_seeded_init_repr_from_pretrained():
    for opts in (dict(), dict(mode="sum", padding_idx=3), dict(mode="max", max_norm=2.0,
                                                               norm_type=1.0)):
        ws = {}
        for T in LIBS:
            T.manual_seed(1)
            m = T.nn.EmbeddingBag(6, 4, **opts)
            ws[T] = (m.weight.detach().numpy(), repr(m), list(m.state_dict()))
        np.testing.assert_array_equal(ws[mt][0], ws[torch][0])
        assert ws[mt][1:] == ws[torch][1:]
    for T in LIBS:
        e = T.nn.EmbeddingBag.from_pretrained(T.ones(3, 2), mode="sum")
        assert not e.weight.requires_grad and e.mode == "sum"


def test_embedding_bag_errors():
    w = lambda T: T.zeros(8, 3)  # noqa: E731
    F = lambda T: T.nn.functional  # noqa: E731
    i1 = lambda T: T.tensor(BAG_IDX)  # noqa: E731
    cases = [
        lambda T: F(T).embedding_bag(i1(T), w(T)),
        lambda T: F(T).embedding_bag(i1(T), w(T), T.tensor([[0, 1]])),
        lambda T: F(T).embedding_bag(T.tensor([[1, 2]]), w(T), T.tensor([0])),
        lambda T: F(T).embedding_bag(T.ones(1, 1, 1, dtype=T.int64), w(T)),
        lambda T: F(T).embedding_bag(i1(T), w(T), T.tensor([1, 2])),
        lambda T: F(T).embedding_bag(i1(T), w(T), T.tensor([0, 9])),
        lambda T: F(T).embedding_bag(i1(T), w(T), T.tensor([0]), mode="median"),
        lambda T: F(T).embedding_bag(i1(T), w(T), T.tensor([0]), mode="max",
                                     scale_grad_by_freq=True),
        lambda T: F(T).embedding_bag(i1(T), w(T), T.tensor([0]),
                                     per_sample_weights=T.ones(8)),
        lambda T: F(T).embedding_bag(i1(T), w(T), T.tensor([0]), mode="sum",
                                     per_sample_weights=T.ones(3)),
        lambda T: F(T).embedding_bag(T.tensor([0, 9]), w(T), T.tensor([0])),
        lambda T: F(T).embedding_bag(i1(T), T.zeros(8), T.tensor([0])),
        lambda T: T.nn.EmbeddingBag(5, 2, padding_idx=5),
    ]
    for fn in cases:
        check_raises(fn)


def test_embedding_bag_freq_scaling_is_torchs_kernel():
    """torch's embedding_bag scales by a count that is not the documented frequency once an
    index repeats (see _bag_freq_scale); pin the exact numbers of a small case."""
    for idx in ([0, 0, 1, 2, 3], [1, 1, 0, 2, 3], [3, 3, 0, 1, 2], [5, 0, 1, 3, 3]):
        grads = {}
        for T in LIBS:
            w = T.ones(8, 1, dtype=T.float64, requires_grad=True)
            T.nn.functional.embedding_bag(T.tensor(idx), w, T.tensor([0]), mode="sum",
                                          scale_grad_by_freq=True).sum().backward()
            grads[T] = w.grad.numpy().ravel().tolist()
        assert grads[mt] == grads[torch]
    assert grads[mt] == [1.0, 1.0, 0.0, 1.0, 0.0, 0.5, 0.0, 0.0]
