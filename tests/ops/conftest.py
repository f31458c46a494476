"""Makes ``tests/ops/ops_data.py`` importable from the op tests (``from ops_data import data``)."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
