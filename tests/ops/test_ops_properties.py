"""Property tests: random broadcastable shapes (hypothesis) for binary ops, random dims for
reductions, random batch shapes for matmul, each checked against torch (values, dtypes and
gradients). Kept quick: few examples, no deadline."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import broadcastable_shapes, mutually_broadcastable_shapes

from harness import check

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)
DTYPES = st.sampled_from([np.float32, np.float64])

BINARY = {
    "add": lambda T, a, b: a + b, "sub": lambda T, a, b: a - b, "mul": lambda T, a, b: a * b,
    "div": lambda T, a, b: a / (b.abs() + 0.5), "maximum": lambda T, a, b: T.maximum(a, b),
    "minimum": lambda T, a, b: T.minimum(a, b), "pow": lambda T, a, b: (a.abs() + 0.5) ** b,
    "where": lambda T, a, b: T.where(a > b, a, b), "atan_like": lambda T, a, b: (a * b).tanh(),
    "clamp_t": lambda T, a, b: T.clamp(a, max=b),
}


def _data(shape, dtype, seed, ties=False):
    rng = np.random.default_rng(seed)
    if ties:
        return rng.integers(-2, 3, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


@SETTINGS
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
       op=st.sampled_from(sorted(BINARY)), dtype=DTYPES, ties=st.booleans(),
       seed=st.integers(0, 2 ** 16))
def test_binary_broadcasting(shapes, op, dtype, ties, seed):
    a, b = (_data(s, dtype, seed + i, ties) for i, s in enumerate(shapes.input_shapes))
    check(BINARY[op], a, b)


@SETTINGS
@given(shapes=mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3),
       dtype=DTYPES, seed=st.integers(0, 2 ** 16))
def test_where_three_way(shapes, dtype, seed):
    c, a, b = (_data(s, dtype, seed + i) for i, s in enumerate(shapes.input_shapes))
    check(lambda T, c, a, b: T.where(c > 0, a, b), c, a, b)


REDUCE = {
    "sum": lambda T, x, d, k: x.sum(d, keepdim=k), "mean": lambda T, x, d, k: x.mean(d, k),
    "amax": lambda T, x, d, k: x.amax(d, k), "amin": lambda T, x, d, k: T.amin(x, d, k),
    "logsumexp": lambda T, x, d, k: x.logsumexp(d, k),
    "var": lambda T, x, d, k: x.var(d, keepdim=k, correction=0),
    "norm": lambda T, x, d, k: x.norm(dim=d, keepdim=k),
    "max": lambda T, x, d, k: x.max(d[0], k), "prod": lambda T, x, d, k: x.prod(d[0], k),
    "softmax": lambda T, x, d, k: x.softmax(d[0]), "cumsum": lambda T, x, d, k: x.cumsum(d[0]),
    "log_softmax": lambda T, x, d, k: x.log_softmax(d[0]),
}


@SETTINGS
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=4).map(tuple),
       op=st.sampled_from(sorted(REDUCE)), dtype=DTYPES, keepdim=st.booleans(),
       ties=st.booleans(), data=st.data())
def test_reductions_random_dims(shape, op, dtype, keepdim, ties, data):
    dims = data.draw(st.lists(st.integers(-len(shape), len(shape) - 1), min_size=1,
                              max_size=len(shape), unique_by=lambda d: d % len(shape)))
    x = _data(shape, dtype, len(dims), ties)
    check(lambda T, x: REDUCE[op](T, x, tuple(dims), keepdim), x)


@SETTINGS
@given(batch=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3),
       n=st.integers(1, 3), k=st.integers(1, 3), m=st.integers(1, 3), dtype=DTYPES,
       vec=st.sampled_from(["none", "left", "right"]))
def test_matmul_batch_broadcast(batch, n, k, m, dtype, vec):
    sa = batch.input_shapes[0] + (n, k) if vec != "left" else (k,)
    sb = batch.input_shapes[1] + (k, m) if vec != "right" else (k,)
    check(lambda T, a, b: a @ b, _data(sa, dtype, 1), _data(sb, dtype, 2), scale=10)


@SETTINGS
@given(shape=broadcastable_shapes((2, 3, 4), min_dims=0, max_dims=3),
       dtype=DTYPES, seed=st.integers(0, 100))
def test_expand_then_reduce(shape, dtype, seed):
    x = _data(shape, dtype, seed)
    check(lambda T, x: (x.expand(2, 3, 4) * T.arange(4.0, dtype=x.dtype)).sum((0, 2)), x)
