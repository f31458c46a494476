"""cov, corrcoef, histc and histogram against torch beyond the parity table (which has cov's and
corrcoef's gradients and second derivatives): weights, corrections down to zero degrees of
freedom, integer and 0-d inputs, constant variables; histogram edges (elements on an edge, the
last bin's right edge, outside, NaN and infinities, a range of one value, empty input), weights,
density, tensor edges, the dtypes torch refuses, out= and torch's errors."""
from __future__ import annotations

import math

import numpy as np
import pytest

from harness import check, check_raises

NAN, INF = math.nan, math.inf
X = np.random.default_rng(0).standard_normal((3, 5))
FW = np.array([1, 2, 0, 3, 1])
AW = np.random.default_rng(1).random(5)


@pytest.mark.parametrize("call", [
    lambda T, a: T.cov(a, correction=2, fweights=T.tensor(FW)),
    lambda T, a: T.cov(a, aweights=T.tensor(AW)),
    lambda T, a: T.cov(a, correction=3, fweights=T.tensor(FW), aweights=T.tensor(AW)),
    lambda T, a: T.cov(a, correction=0, fweights=T.tensor(FW).int(), aweights=T.tensor(AW)),
    lambda T, a: T.cov(a.float().detach(), aweights=T.tensor(AW)),  # float64 weights promote
    lambda T, a: T.cov(a[0, 0]),  # one observation: no degrees of freedom, NaN (and a warning)
    lambda T, a: T.cov(a, correction=5),
    lambda T, a: T.cov(a[:, :0]),
    lambda T, a: T.cov((a * 3).long().detach()),
    lambda T, a: T.cov((a > 0).int().detach(), fweights=T.tensor(FW).to(T.uint8)),
    lambda T, a: T.corrcoef(a[:, :1]),
    lambda T, a: T.corrcoef(T.cat([a, a[:1] * 0 + 1])),  # a constant variable: NaN row
    lambda T, a: T.corrcoef(a[0]),
    lambda T, a: a.corrcoef(),
])
def test_cov_corrcoef_cases(call):
    with np.errstate(all="ignore"):
        check(call, X)


def test_cov_corrcoef_errors():
    x = np.ones((3, 5))
    check_raises(lambda T: T.cov(T.ones(2, 2, 2)))
    check_raises(lambda T: T.cov(T.ones(2, 2).bool()))
    check_raises(lambda T: T.corrcoef(T.ones(2, 2, 2)))
    check_raises(lambda T: T.cov(2.0))
    check_raises(lambda T: T.corrcoef(2.0))
    for kw in ({"correction": 1.5}, {"correction": True}):
        check_raises(lambda T, t: T.cov(t, **kw), x)
    for fw in (lambda T: T.ones(5), lambda T: T.ones(4, dtype=T.long),
               lambda T: T.ones(1, 5, dtype=T.long), lambda T: -T.ones(5, dtype=T.long),
               lambda T: T.ones(5, dtype=T.bool)):
        check_raises(lambda T, t: T.cov(t, fweights=fw(T)), x)
    for aw in (lambda T: T.ones(5, dtype=T.long), lambda T: T.ones(3), lambda T: -T.ones(5),
               lambda T: T.zeros(5)):
        check_raises(lambda T, t: T.cov(t, aweights=aw(T)), x)
    check_raises(lambda T, t: T.cov(t, fweights=T.zeros(5, dtype=T.long)), x)


# -- histc, histogram ------------------------------------------------------------------------------

H = np.array([0.0, 1.0, 1.0, 2.5, 3.0, 4.0, -1.0, 4.0000001, 10.0, 1.9999999], np.float32)


@pytest.mark.parametrize("call", [
    lambda T, a: T.histc(a, 4, 0, 4),
    lambda T, a: T.histc(a, 4),
    lambda T, a: a.histc(3, 0, 4),
    lambda T, a: T.histc(a[1:3], 3),  # one value: widened by 1 both ways
    lambda T, a: T.histc(a[:2], 4, 3, 3),  # min == max: the data's range
    lambda T, a: T.histc(a[:0], 3),
    lambda T, a: T.histc(T.tensor([1.0, NAN, INF, -INF]), 3, 0, 4),
    lambda T, a: T.histc(a.double(), 3, 0, 4),
    lambda T, a: T.histc(a.half(), 3, 0, 4),
    lambda T, a: T.histc(T.tensor([0.1] * 5 + [0.7]), 7, 0.1, 0.7),
    lambda T, a: T.histc(T.arange(100.0) / 7, 13, 0.3, 13.9),  # elements near the edges
    lambda T, a: T.histc(T.arange(1000.0).double() / 7.1, 17, -3, 150),
    lambda T, a: T.histc(a, 3, 0, 4).requires_grad,
    lambda T, a: T.histc(a.detach(), 3, 0, 4, out=T.empty(0)),
    lambda T, a: T.histogram(a, 4),
    lambda T, a: T.histogram(a, 4, range=(0.0, 4.0)),
    lambda T, a: a.histogram(3),
    lambda T, a: T.histogram(a, T.tensor([0.0, 1.0, 2.5, 4.0])),
    lambda T, a: T.histogram(a, T.tensor([3.0, 1.0])),  # decreasing edges: torch's answer
    lambda T, a: T.histogram(a, T.tensor([0.0, 1.0, 2.5, 4.0]), weight=T.arange(10.0),
                             density=True),
    lambda T, a: T.histogram(a, 3, density=True),
    lambda T, a: T.histogram(a, 3, weight=T.arange(10.0).reshape(2, 5)),  # any shape, same size
    lambda T, a: T.histogram(a[1:3], 3),  # one value: widened by 1/2 both ways
    lambda T, a: T.histogram(a[:0], 3),  # empty: over [0, 1]
    lambda T, a: T.histogram(a[:0], 3, density=True),
    lambda T, a: T.histogram(a, 3, range=(1.0, 1.0)),
    lambda T, a: T.histogram(a.reshape(2, 5), 2),
    lambda T, a: T.histogram(T.arange(100.0) / 7, 13, range=(0.3, 13.9)),
    lambda T, a: T.histogram(T.arange(1000.0).double() / 7.1, 17,
                             weight=T.linspace(0, 1, 1000).double()),
    lambda T, a: T.histogram(a.detach(), 3, out=(T.empty(0), T.empty(0))),
    lambda T, a: T.histogram(a.detach(), T.tensor([0.0, 2, 3]), out=(T.empty(0), T.empty(0))),
])
def test_histc_histogram_cases(call):
    check(call, H, grad=False)


def test_histogram_records_no_derivative():
    check_raises(lambda T: T.histogram(T.ones(3, requires_grad=True), 3).hist.sum().backward())
    check(lambda T, a: [t.requires_grad for t in T.histogram(a, 3)], H)


def test_histc_histogram_errors():
    check_raises(lambda T: T.histc(T.tensor([1.0, NAN]), 3))
    check_raises(lambda T: T.histc(T.ones(3).long(), 3))
    check_raises(lambda T: T.histc(T.ones(3), 0))
    check_raises(lambda T: T.histc(T.ones(3), -2))
    check_raises(lambda T: T.histc(T.ones(3), 3, 5, 1))
    check_raises(lambda T: T.histc(T.ones(3), 3, NAN, 1))
    check_raises(lambda T: T.histc(T.ones(3), 3, 0, INF))
    check_raises(lambda T: T.histc(T.ones(3), 3, 0, 4, out=T.empty(0, dtype=T.float64)))
    check_raises(lambda T: T.histc(T.ones(3), 2.5))
    check_raises(lambda T: T.histc(2.0, 3))
    check_raises(lambda T: T.histogram(T.tensor([1.0, NAN]), 3))
    check_raises(lambda T: T.histogram(T.ones(3), 3, range=(2.0, 1.0)))
    check_raises(lambda T: T.histogram(T.ones(3), 3, range=(0.0, INF)))
    check_raises(lambda T: T.histogram(T.ones(3), 3, range=(0, 4, 5)))
    check_raises(lambda T: T.histogram(T.ones(3), T.tensor([[3.0, 1.0]])))
    check_raises(lambda T: T.histogram(T.ones(3), T.tensor([3.0])))
    check_raises(lambda T: T.histogram(T.ones(3), T.ones(0)))
    check_raises(lambda T: T.histogram(T.ones(3), T.tensor([1.0, 2.0], dtype=T.float64)))
    check_raises(lambda T: T.histogram(T.ones(3), T.tensor([0.0, 1.0]), range=(0.0, 1.0)))
    check_raises(lambda T: T.histogram(T.ones(3), 3, weight=T.ones(2)))
    check_raises(lambda T: T.histogram(T.ones(3), 3, weight=T.ones(3, dtype=T.float64)))
    check_raises(lambda T: T.histogram(T.ones(3).long(), 3))
    check_raises(lambda T: T.histogram(T.ones(3).half(), 2))
    check_raises(lambda T: T.histogram(T.ones(3), 0))
    check_raises(lambda T: T.histogram(T.ones(3), 3,
                                       out=(T.empty(0, dtype=T.float64), T.empty(0))))
    check_raises(lambda T: T.histogram(T.ones(3), 3,
                                       out=(T.empty(0), T.empty(0, dtype=T.float64))))


def test_histogram_float16_with_range_or_edges():
    check(lambda T, a: (T.histogram(a.half(), 3, range=(0.0, 4.0)),
                        T.histogram(a.half(), T.tensor([0.0, 1.0, 2.5, 4.0]).half(),
                                    weight=T.arange(10.0).half())), H, grad=False)
