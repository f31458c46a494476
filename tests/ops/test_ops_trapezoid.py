"""trapezoid/trapz/cumulative_trapezoid against torch beyond the parity table (which has their
gradients and second derivatives over shapes): x broadcast in each of torch's three ways, empty
and one-sample dims, integer inputs, and torch's errors (bool, dx, x's size, 0-d y, argument
combinations)."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check, check_raises

rng = np.random.default_rng(0)
Y = rng.standard_normal((3, 4))
X = np.sort(rng.standard_normal(4))


@pytest.mark.parametrize("call", [
    lambda T, y, x: T.trapezoid(y, x[:3], dim=0),
    lambda T, y, x: T.trapezoid(y, y * 2, dim=0),
    lambda T, y, x: T.trapezoid(y, T.ones(3, 1, dtype=y.dtype), dim=0),
    lambda T, y, x: T.cumulative_trapezoid(y, x[None, :] * 2, dim=1),
    lambda T, y, x: T.trapezoid(y[:, :0]),
    lambda T, y, x: T.trapezoid(y[:0], x[:0], dim=0),
    lambda T, y, x: T.cumulative_trapezoid(y[:, :0]),
    lambda T, y, x: T.trapezoid(y[:, :1]),
    lambda T, y, x: T.cumulative_trapezoid(y[:, :1], dx=3),
    lambda T, y, x: T.trapezoid((y * 3).long().detach()),
    lambda T, y, x: T.trapezoid((y * 3).long().detach(), dx=2),
    lambda T, y, x: T.trapezoid((y * 3).long().detach(), (x * 3).long().detach()),
    lambda T, y, x: T.cumulative_trapezoid((y * 3).int().detach(), dx=-1.5),
    lambda T, y, x: T.trapezoid(y.float(), x),
    lambda T, y, x: T.trapz(y),
    lambda T, y, x: T.trapz(y, dx=2, dim=0),
])
def test_trapezoid_cases(call):
    check(call, Y, X)


def test_trapezoid_errors():
    check_raises(lambda T: T.trapezoid(T.ones(3, 4).bool()))
    check_raises(lambda T: T.trapezoid(T.ones(3, 4), T.ones(4).bool()))
    check_raises(lambda T: T.cumulative_trapezoid(T.ones(3, 4).bool()))
    check_raises(lambda T: T.cumulative_trapezoid(T.ones(3, 4), T.ones(4).bool()))
    check_raises(lambda T: T.trapezoid(T.ones(3, 4), dx=True))
    check_raises(lambda T: T.cumulative_trapezoid(T.ones(3, 4), dx=True))
    check_raises(lambda T: T.trapezoid(T.ones(3, 4), dx="a"))
    check_raises(lambda T: T.trapezoid(T.ones(3, 4), T.ones(3)))
    check_raises(lambda T: T.cumulative_trapezoid(T.ones(3, 4), T.ones(3)))
    check_raises(lambda T: T.trapz(T.ones(3, 4), T.ones(3)))
    check_raises(lambda T: T.trapezoid(T.ones(3, 4), T.ones(2, 3, 4)))
    check_raises(lambda T: T.trapezoid(T.ones(3, 4), T.ones(4), dx=2))
    check_raises(lambda T: T.trapezoid(T.ones(3, 4), 2.0))
    check_raises(lambda T: T.trapezoid(T.ones(3, 4), dim=2))
    check_raises(lambda T: T.trapezoid(2.0))
    check_raises(lambda T: T.trapezoid(2.0, dim=0))
    for dim in (-1, 0, 3):
        check_raises(lambda T: T.trapezoid(T.tensor(2.0), dim=dim))
        check_raises(lambda T: T.cumulative_trapezoid(T.tensor(2.0), dim=dim))
    check_raises(lambda T: T.trapezoid(T.tensor(2.0), T.ones(1)))
    check_raises(lambda T: T.cumulative_trapezoid(T.tensor(2.0), T.ones(1)))
    check_raises(lambda T: T.cumulative_trapezoid(T.tensor(2.0), T.tensor(1.0)))
