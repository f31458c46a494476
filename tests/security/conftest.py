"""The security section: attacks on the loader, the saver, grad mode and the DataLoader.

Every test here runs on each CI run. ``attacks.py`` (next to this file) builds the hostile
files opcode by opcode, so that each test shows exactly which instruction it abuses.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
