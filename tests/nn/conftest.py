"""Makes the helpers in this folder importable (``from nn_parity import ...``), and runs torch
single-threaded: the layers under test are tiny, and torch's thread pool costs far more than the
work (tens of ms per call on a loaded 2-core machine, where pytest-xdist already uses both)."""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
torch.set_num_threads(1)
