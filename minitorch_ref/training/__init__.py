"""Training helpers that torch itself does not ship (so they live outside torch's namespaces).

``EarlyStopping``: stop when a monitored metric stops improving, optionally restoring the best
weights. See ``early_stopping.py`` and docs/data.md.
"""
from .early_stopping import EarlyStopping  # noqa: F401

__all__ = ["EarlyStopping"]
