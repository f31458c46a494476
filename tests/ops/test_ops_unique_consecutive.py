"""unique_consecutive against torch: runs of equal elements (NaN equal to nothing, -0.0 to 0.0),
inverse and counts, slices along a dim, 0-d, empty and bool inputs, the method, the recorded
node without a derivative, and torch's errors."""
from __future__ import annotations

import math

import numpy as np
import pytest

from harness import check, check_raises

NAN = math.nan
X = np.array([1.0, 1.0, 2.0, 2.0, 3.0, 1.0, 1.0, 2.0, NAN, NAN, -0.0, 0.0])
Y = np.array([[1, 1, 2], [1, 1, 2], [3, 1, 1], [3, 1, 1], [3, 1, 1], [0, 0, 0]])


@pytest.mark.parametrize("inverse", [False, True])
@pytest.mark.parametrize("counts", [False, True])
def test_unique_consecutive_flat(inverse, counts):
    kw = {"return_inverse": inverse, "return_counts": counts}
    check(lambda T, x: (T.unique_consecutive(x.detach(), **kw),
                        T.unique_consecutive(x.detach().reshape(3, 4), **kw),
                        x.detach().unique_consecutive(**kw)), X, grad=False)


@pytest.mark.parametrize("dim", [0, 1, -1, -2])
def test_unique_consecutive_dim(dim):
    check(lambda T, y: T.unique_consecutive(y, True, True, dim), Y, grad=False)
    check(lambda T, y: T.unique_consecutive(y.float().reshape(2, 3, 3), True, True, dim), Y,
          grad=False)
    check(lambda T, x: T.unique_consecutive(x.detach().reshape(2, 6), True, True, dim), X,
          grad=False)


def test_unique_consecutive_edge_cases():
    check(lambda T: T.unique_consecutive(T.tensor(2.0), True, True), grad=False)
    check(lambda T: T.unique_consecutive(T.tensor([]), True, True), grad=False)
    check(lambda T: T.unique_consecutive(T.zeros(0, 3), True, True, dim=0), grad=False)
    check(lambda T: T.unique_consecutive(T.zeros(2, 3), True, True, dim=0), grad=False)
    check(lambda T: T.unique_consecutive(T.tensor([True, True, False]), True, True),
          grad=False)
    check(lambda T: T.unique_consecutive(T.tensor([1, 1, 2], dtype=T.uint8), True, True),
          grad=False)


def test_unique_consecutive_records_no_derivative():
    check(lambda T, x: T.unique_consecutive(x), X[:4], grad=False)  # the node's name
    check_raises(lambda T: T.unique_consecutive(T.ones(3, requires_grad=True)).sum().backward())
    check_raises(lambda T: T.unique_consecutive(T.ones(1, 3, requires_grad=True),
                                                dim=0).sum().backward())


def test_unique_consecutive_errors():
    check_raises(lambda T: T.unique_consecutive(T.tensor(2.0), dim=0))
    check_raises(lambda T: T.unique_consecutive(T.tensor(2.0), dim=-1))
    check_raises(lambda T: T.unique_consecutive(T.ones(2, 2), dim=2))
    check_raises(lambda T: T.unique_consecutive(2.0))
    check_raises(lambda T: T.unique_consecutive(T.zeros(2, 0), dim=0))
