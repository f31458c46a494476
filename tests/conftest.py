"""Shared test setup.

* ``tests/harness.py`` is importable from every test folder (``from harness import check``).
* torch and NumPy's BLAS each run on one thread: pytest-xdist already runs one worker per core,
  and a multi-threaded BLAS on an oversubscribed machine spends far longer handing tiny matrices
  between threads than multiplying them. Results do not depend on the thread count.
"""
import os
import sys

import torch
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(__file__))
torch.set_num_threads(1)
threadpool_limits(1)
