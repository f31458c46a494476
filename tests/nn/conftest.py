"""Makes the helpers in this folder importable (``from nn_parity import ...``)."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
