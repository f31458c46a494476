"""Test inputs for the op parity tests: deterministic arrays of a few kinds, with exact ties.

Kinds:
  randn   standard normal
  pos     uniform in [0.5, 2] (for log, sqrt, reciprocal, ...)
  unit    uniform in [-0.9, 0.9] (for tan, ...)
  ties    integers in [-2, 2] as floats: many exact ties and exact zeros (relu'(0), abs'(0),
          max/min ties, clamp at its bounds)
  halves  multiples of 0.5 in [-1.5, 1.5]: ties, zeros and values exactly at +-0.5
  wide    standard normal times 3 (for floor/ceil/round)
"""
from __future__ import annotations

import zlib

import numpy as np


def data(kind: str, shape: tuple, dtype=np.float32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed + zlib.crc32(f"{kind}{shape}".encode()))
    if kind == "randn":
        a = rng.standard_normal(shape)
    elif kind == "pos":
        a = rng.uniform(0.5, 2.0, shape)
    elif kind == "unit":
        a = rng.uniform(-0.9, 0.9, shape)
    elif kind == "ties":
        a = rng.integers(-2, 3, shape).astype(np.float64)
    elif kind == "halves":
        a = rng.integers(-3, 4, shape) / 2.0
    elif kind == "wide":
        a = rng.standard_normal(shape) * 3
    elif kind == "distinct":  # no ties at all: a permutation scaled
        n = int(np.prod(shape)) if shape else 1
        a = (rng.permutation(n) - n / 2).reshape(shape) / 4.0
    else:
        raise ValueError(kind)
    return np.asarray(a, dtype=dtype)


def layouts(shapes) -> list:
    """'transposed' only where some input has two or more dims (else it equals contiguous)."""
    out = ["contiguous"]
    if any(len(s) >= 2 for s in shapes):
        out.append("transposed")
    return out
