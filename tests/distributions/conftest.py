"""Makes ``tests/distributions/dist_cases.py`` importable from the distribution tests."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
