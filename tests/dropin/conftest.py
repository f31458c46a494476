"""Makes ``dropin_runner.py`` importable by the tests in this folder."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
