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
