"""Makes ``tests/harness.py`` importable from every test folder (``from harness import check``)."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
