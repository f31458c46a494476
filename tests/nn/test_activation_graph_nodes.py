"""The graph an activation leaves, against torch's: the node of the output, of each first
derivative taken with create_graph, and of each second derivative (``type(t.grad_fn).__name__``,
and ``requires_grad``), out of place and in place (on a non-leaf), prelu for every weight shape.

prelu reshapes a weight whose dimension count differs from the input's (torch's view, so the
weight's gradient ends in ViewBackward0, or in SumBackward1, the sum of the kernel's full-size
gradient, where no view is taken). The in-place leaky_relu_ and rrelu_ compute their gradient
from the result, whose derivative there is zeros: the second derivative is zeros that still
require grad. softsign and tanhshrink are torch's composites, their gradients a sum
(AddBackward0). The ELU family's, logsigmoid's, gelu's (MulBackward0) and softplus's
(MulBackward1, a product with beta) second derivatives end in a mul, as torch's formulas do."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import tol
from activation_cases import CASES, IN_PLACE, OUT_OF_PLACE


def _f(T):
    return T.nn.functional


ACTIVATIONS = {name: CASES[name] for name in OUT_OF_PLACE + IN_PLACE}


def _node(t):
    if t is None:
        return None
    return type(t.grad_fn).__name__ if t.grad_fn is not None else None, t.requires_grad


def graph(T, fn, inputs):
    """The nodes of fn's output, of its first derivatives (create_graph) and of theirs."""
    y = fn(T, *inputs)
    grads = T.autograd.grad(y.sum(), inputs, create_graph=True, allow_unused=True)
    second = []
    for g in grads:
        if g is None or not g.requires_grad:
            second.append(None)
            continue
        try:
            hs = T.autograd.grad(g.sum(), inputs, allow_unused=True, create_graph=True)
        except RuntimeError as e:           # (hardsigmoid: torch defines no second derivative)
            second.append(str(e).splitlines()[0])
            continue
        second.append([_node(h) for h in hs])
    return _node(y), [_node(g) for g in grads], second


X = np.array([-1.5, -0.3, 0.4, 2.0, 0.0, 3.5])


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_nodes(name):
    res = {}
    for T in (mt, torch):
        T.manual_seed(0)
        res[T] = graph(T, lambda T, x: ACTIVATIONS[name](T, x),
                       (T.tensor(X, requires_grad=True),))
    assert res[mt] == res[torch]


@pytest.mark.parametrize("x_shape, w_shape", [((2, 3, 4), (3,)), ((2, 3, 4), (1,)), ((6,), (1,)),
                                              ((6,), ()), ((), ()), ((), (1,)), ((2, 3), ())])
def test_prelu_nodes(x_shape, w_shape):
    res = {}
    for T in (mt, torch):
        x = T.tensor(np.linspace(-3, 3, int(np.prod(x_shape))).reshape(x_shape),
                     requires_grad=True)
        w = T.tensor(np.full(w_shape, -0.25), requires_grad=True)
        res[T] = graph(T, lambda T, x, w: _f(T).prelu(x, w), (x, w))
    assert res[mt] == res[torch]


@pytest.mark.parametrize("x_shape, w_shape", [((6,), (6,)), ((), (3,)), ((2, 3), (2,))])
def test_prelu_channel_errors(x_shape, w_shape):
    """A weight of more than one slope needs an input of dimension 1 or more, with that many
    channels along dim 1 (a 1-D input has one channel)."""
    errors = []
    for T in (mt, torch):
        with pytest.raises(RuntimeError) as e:
            _f(T).prelu(T.ones(x_shape), T.ones(w_shape))
        errors.append(str(e.value).splitlines()[0])
    assert errors[0] == errors[1]


X_WIDE = np.array([-30, -9, -4.2, -1.5, -0.3, 0.4, 2.0, 0.0, 3.5, 7, 25.0, -2.0])
# activations torch differentiates three times (hardsigmoid: once)
HIGHER = [name for name in ACTIVATIONS if name != "hardsigmoid"]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("name", HIGHER)
def test_higher_derivative_values(name, dtype):
    """First, second and third derivatives (the second of a weighted sum of the first) against
    torch's, on both tails and at 0: the double-backward formulas' values, not only their
    nodes, within the harness's tolerance of each dtype."""
    res = {}
    for T in (mt, torch):
        T.manual_seed(0)
        x = T.tensor(X_WIDE.astype(dtype), requires_grad=True)
        w = T.tensor(np.linspace(0.5, 1.5, X_WIDE.size).astype(dtype))
        g, = T.autograd.grad(ACTIVATIONS[name](T, x).sum(), (x,), create_graph=True)
        h, = T.autograd.grad((g * w).sum(), (x,), create_graph=True, allow_unused=True)
        k = None
        if h is not None and h.requires_grad:
            k, = T.autograd.grad(h.sum(), (x,), allow_unused=True)
        res[T] = [None if v is None else v.detach().numpy() for v in (g, h, k)]
    for order, (ours, theirs) in enumerate(zip(res[mt], res[torch]), 1):
        assert (ours is None) == (theirs is None), f"order {order}"
        if ours is not None:
            np.testing.assert_allclose(ours, theirs, equal_nan=True, err_msg=f"order {order}",
                                       **tol(dtype))


def _chain(fn, depth: int = 8):
    """The node names below ``fn`` to ``depth`` levels, as nested tuples; the library's
    AliasBackward0 (where its fused double-backward nodes start) is passed through."""
    if fn is None or depth == 0:
        return ()
    kids = []
    for nxt, _ in fn.next_functions:
        if nxt is not None and type(nxt).__name__ == "AliasBackward0":
            kids.extend(_chain(nxt, depth)[1])
        elif nxt is not None:
            kids.append(_chain(nxt, depth - 1))
    return type(fn).__name__, tuple(kids)


@pytest.mark.parametrize("name", ["gelu", "softplus", "softplus(2, 5)", "gelu_tanh"])
def test_second_derivative_chain(name):
    """The whole node chain of the second derivative, 8 levels deep, is torch's double-backward
    formula's (gelu_double_backward, softplus_double_backward), products with a number
    included (MulBackward1), and gelu_tanh's 1 + 3 kappa x^2 (AddBackward1)."""
    res = {}
    for T in (mt, torch):
        x = T.tensor(X, requires_grad=True)
        g, = T.autograd.grad(ACTIVATIONS[name](T, x).sum(), (x,), create_graph=True)
        h, = T.autograd.grad(g.sum(), (x,), create_graph=True)
        res[T] = _chain(h.grad_fn)
    assert res[mt] == res[torch]


def _upstream_derivatives(T, fn, inputs):
    """For an incoming gradient v that requires grad: the first derivatives (for the inputs),
    the second (of their weighted sum, for the inputs and v) and the third (of the sum of the
    second's, for the inputs and v), as arrays (None where torch's are undefined)."""
    y = fn(*inputs)
    v = T.tensor(np.linspace(0.5, 1.5, y.numel()).reshape(tuple(y.shape)), dtype=y.dtype,
                 requires_grad=True)
    wrt = tuple(inputs) + (v,)
    first = T.autograd.grad(y, inputs, v, create_graph=True, allow_unused=True)
    res = [first]
    live = [g for g in first if g is not None and g.requires_grad]
    if live:
        s = sum((g * T.tensor(np.linspace(1.5, 0.5, g.numel()).reshape(tuple(g.shape)),
                              dtype=g.dtype)).sum() for g in live)
        second = T.autograd.grad(s, wrt, create_graph=True, allow_unused=True)
        res.append(second)
        live = [g for g in second if g is not None and g.requires_grad]
        if live:
            res.append(T.autograd.grad(sum(g.sum() for g in live), wrt, allow_unused=True))
    return [[None if g is None else g.detach().numpy() for g in grads] for grads in res]


def _compare_orders(res, dtype):
    assert len(res[mt]) == len(res[torch])
    for order, (ours, theirs) in enumerate(zip(res[mt], res[torch]), 1):
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert (a is None) == (b is None), f"order {order}, input {i}"
            if a is not None:
                np.testing.assert_allclose(a, b, equal_nan=True, **tol(dtype),
                                           err_msg=f"order {order}, input {i}")


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("name", HIGHER + ["glu"])
def test_upstream_derivative_values(name, dtype):
    """Derivatives 1 to 3 for an incoming gradient that requires grad, with respect to the
    input and to that gradient, against torch's within the harness's tolerance (the backward
    ops' own backward: d/dg as well as d/dx)."""
    res = {}
    for T in (mt, torch):
        T.manual_seed(0)
        x = T.tensor(X_WIDE.astype(dtype), requires_grad=True)
        res[T] = _upstream_derivatives(T, lambda x: ACTIVATIONS.get(name, CASES[name])(T, x),
                                       (x,))
    _compare_orders(res, dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("x_shape, w_shape", [((2, 3, 4), (3,)), ((2, 3, 4), (1,)),
                                              ((12,), (1,)), ((), ())])
def test_prelu_derivative_values(x_shape, w_shape, dtype):
    """prelu's derivatives 1 to 3 with respect to the input, the weight and an incoming
    gradient that requires grad (x = 0 included: torch's formulas take x >= 0 where its
    kernel takes x > 0)."""
    res = {}
    for T in (mt, torch):
        x = T.tensor(np.resize(X_WIDE, x_shape).astype(dtype), requires_grad=True)
        w = T.tensor(np.full(w_shape, -0.25, dtype), requires_grad=True)
        res[T] = _upstream_derivatives(T, T.nn.functional.prelu, (x, w))
    _compare_orders(res, dtype)
