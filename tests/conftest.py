"""Shared test setup.

* ``tests/harness.py`` is importable from every test folder (``from harness import check``).
* torch and NumPy's BLAS each run on one thread: pytest-xdist already runs one worker per core,
  and a multi-threaded BLAS on an oversubscribed machine spends far longer handing tiny matrices
  between threads than multiplying them.
* Some of torch's results do depend on its thread count (float16 softmax over a dim other than
  the last rounds vector and scalar positions differently, and the split follows the threads), so
  every test must leave torch on one thread: ``_torch_stays_single_threaded`` fails the test that
  does not, and puts it back, instead of a later test on the same worker failing by chance.
"""
import os
import sys

import pytest
import torch
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(__file__))
torch.set_num_threads(1)
threadpool_limits(1)


@pytest.fixture(autouse=True)
def _torch_stays_single_threaded():
    yield
    n = torch.get_num_threads()
    if n != 1:
        torch.set_num_threads(1)
        pytest.fail(f"the test left torch on {n} threads (tests run it on one)")
