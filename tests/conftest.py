"""Shared test setup.

* ``tests/harness.py`` is importable from every test folder (``from harness import check``).
* torch and NumPy's BLAS each run on one thread: pytest-xdist already runs one worker per core,
  and a multi-threaded BLAS on an oversubscribed machine spends far longer handing tiny matrices
  between threads than multiplying them.
* Some of torch's results do depend on its thread count (float16 softmax over a dim other than
  the last rounds vector and scalar positions differently, and the split follows the threads;
  ours follows ``minitorch_ref.get_num_threads()``), so both libraries run on one thread and every
  test must leave them so: ``_single_threaded`` fails the test that does not, and puts them back,
  instead of a later test on the same worker failing by chance.
"""
import os
import sys

import pytest
import torch
from threadpoolctl import threadpool_limits

import minitorch_ref

sys.path.insert(0, os.path.dirname(__file__))
torch.set_num_threads(1)
minitorch_ref.set_num_threads(1)
threadpool_limits(1)


@pytest.fixture(autouse=True)
def _single_threaded():
    yield
    left = {lib.__name__: lib.get_num_threads() for lib in (torch, minitorch_ref)}
    if set(left.values()) != {1}:
        torch.set_num_threads(1)
        minitorch_ref.set_num_threads(1)
        pytest.fail(f"the test left the thread counts at {left} (tests run both on one)")
