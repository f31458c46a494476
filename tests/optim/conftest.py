"""Makes ``optim_problem.py`` (the shared training problem of these tests) importable."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
