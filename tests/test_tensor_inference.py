"""torch.tensor(data, dtype=...): dtype inference from nested Python/NumPy data, and values
converted once (never rounded through float32 when float64 is asked for)."""
import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_info, threadpool_limits

import minitorch_ref as mt
from harness import assert_close

CASES = [
    [np.int16(3)], [np.int16(3), 5], [np.float64(0.5)], [np.float64(0.5), 1.0],
    [np.float32(0.5), 1], [np.int32(1), 2.5], np.float64(0.5), np.int8(-3), [[1, 2], [3, 4]],
    [True, 2], [True, False], [1, 2.5], 2.5, 3, True, [], [[]], (1.5, 2), [[0.1, 0.2]],
]


@pytest.mark.parametrize("data", CASES, ids=repr)
def test_inferred_dtype_and_values(data):
    ours, theirs = mt.tensor(data), torch.tensor(data)
    assert ours.dtype.name == str(theirs.dtype).split(".")[1]
    assert_close(ours, theirs)


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int32", "bool"])
@pytest.mark.parametrize("data", [[0.1, 0.2, 1e-300], 0.01, [[1, 2], [3, 4]], [True, 0],
                                  [np.float64(0.1)], 1 / 3])
def test_explicit_dtype_converts_once(data, dtype):
    if dtype in ("int64", "int32", "bool") and np.asarray(data).dtype.kind == "f":
        data = np.round(np.asarray(data) * 10).tolist()
    ours = mt.tensor(data, dtype=getattr(mt, dtype))
    theirs = torch.tensor(data, dtype=getattr(torch, dtype))
    assert ours.dtype.name == dtype
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())  # bit-exact, not close


def test_zero_dim_grad_accumulates_into_a_writable_array():
    """The classic tutorial loop: a 0-d parameter, two backward calls, ``w.grad.zero_()``."""
    for T in (torch, mt):
        w = T.tensor(1.0, requires_grad=True)
        for _ in range(3):
            (w * 3).backward()
            (w * 2).backward()
            assert w.grad.item() == 5.0
            w.grad.zero_()
        h = w * 1
        h.retain_grad()
        (h * 2).backward()
        h.grad.mul_(2)


def test_numpy_scalar_on_the_left_gives_a_tensor():
    for T in (torch, mt):
        r = np.float64(2.0) * T.ones(2)
        assert isinstance(r, T.Tensor) and r.tolist() == [2.0, 2.0]


@pytest.mark.parametrize("n", [1, 2, 3])
def test_set_num_threads_limits_only_blas(n):
    """Ours limits NumPy's BLAS; torch's pool in the same process keeps its own count (as
    torch.set_num_threads leaves NumPy's BLAS alone)."""
    with threadpool_limits(limits=None):
        torch_before, ours_before = torch.get_num_threads(), mt.get_num_threads()
        mt.set_num_threads(n)
        assert mt.get_num_threads() == n
        assert torch.get_num_threads() == torch_before
        blas = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
        mt.set_num_threads(ours_before)
        assert blas and all(k == n for k in blas)
    with pytest.raises(RuntimeError, match="positive integer"):
        mt.set_num_threads(0)


def test_thread_and_determinism_settings_run():
    for T in (torch, mt):
        n = T.get_num_threads()
        with threadpool_limits(limits=None):  # puts this worker's BLAS limit back on exit
            T.set_num_threads(1)
            assert T.get_num_threads() == 1
            T.set_num_threads(n)
        T.use_deterministic_algorithms(True)
        assert T.are_deterministic_algorithms_enabled()
        T.use_deterministic_algorithms(False)
