"""The piecewise activations' derivatives to the third order (create_graph) at their kinks, at
NaN and at +-inf, against torch: hardswish/hardsigmoid at +-3, hardtanh at its bounds, relu6 at
0 and 6, relu/leaky_relu/prelu/rrelu (eval)/threshold at 0 (threshold at its own), elu/celu/selu
at 0, softshrink/hardshrink at +-lambda. Arrays of 64 points (the list repeated), which torch's
vectorized loops take whole (its scalar tail loop differs at NaN for some ops)."""
import numpy as np
import pytest

from harness import FLOAT_DTYPES, LIBS, check, check_double, check_higher_orders


def _f(T):
    return T.nn.functional


# name: (function, its kinks)
PIECEWISE = {
    "hardswish": (lambda T, x: _f(T).hardswish(x), [-3, 3]),
    "hardtanh": (lambda T, x: _f(T).hardtanh(x), [-1, 1]),
    "hardtanh(-2, 3)": (lambda T, x: _f(T).hardtanh(x, -2.0, 3.0), [-2, 3]),
    "relu6": (lambda T, x: _f(T).relu6(x), [0, 6]),
    "relu": (lambda T, x: _f(T).relu(x), [0]),
    "leaky_relu": (lambda T, x: _f(T).leaky_relu(x), [0]),
    "leaky_relu(-0.3)": (lambda T, x: _f(T).leaky_relu(x, -0.3), [0]),
    "prelu": (lambda T, x: _f(T).prelu(x, T.tensor([0.25], dtype=x.dtype)), [0]),
    "prelu(w requires grad)": (lambda T, x: _f(T).prelu(
        x, T.tensor([-1.5], dtype=x.dtype, requires_grad=True)), [0]),
    "rrelu(eval)": (lambda T, x: _f(T).rrelu(x, training=False), [0]),
    "threshold(1, -5)": (lambda T, x: _f(T).threshold(x, 1.0, -5.0), [1]),
    "threshold(0, 0)": (lambda T, x: _f(T).threshold(x, 0.0, 0.0), [0]),
    "elu": (lambda T, x: _f(T).elu(x), [0]),
    "elu(2)": (lambda T, x: _f(T).elu(x, alpha=2.0), [0]),
    "celu": (lambda T, x: _f(T).celu(x), [0]),
    "celu(0.5)": (lambda T, x: _f(T).celu(x, alpha=0.5), [0]),
    "selu": (lambda T, x: _f(T).selu(x), [0]),
    "softshrink": (lambda T, x: _f(T).softshrink(x), [-0.5, 0.5]),
    "softshrink(1)": (lambda T, x: _f(T).softshrink(x, 1.0), [-1, 1]),
    "hardshrink": (lambda T, x: _f(T).hardshrink(x), [-0.5, 0.5]),
    "hardshrink(1)": (lambda T, x: _f(T).hardshrink(x, 1.0), [-1, 1]),
}


def _points(kinks, dtype) -> np.ndarray:
    """NaN, +-inf, +-0, each kink and its two float neighbours, a few ordinary points; 64 of
    them."""
    pts = [np.nan, np.inf, -np.inf, -0.0, 0.0, -7.0, 0.25, 7.0]
    for k in kinks:
        k = dtype(k)
        pts += [k, np.nextafter(k, dtype(10)), np.nextafter(k, dtype(-10))]
    return np.resize(np.array(pts, dtype=dtype), 64)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", PIECEWISE)
def test_derivatives_at_kinks(name, dtype):
    """Values, gradients, the first three derivatives (create_graph) and the double backward
    against a random upstream gradient (its derivatives in x, in the upstream and in a
    weight). Were different: hardswish's second derivative at NaN (1/3, torch's 0) and its
    derivative in the upstream at -inf (NaN, torch's 0); prelu's double backward at x = +-0,
    where torch's formulas take x >= 0 (slope 1 in the upstream, nothing in x or the weight);
    rrelu's nodes in eval mode (torch's RreluWithNoiseBackward0 and
    RreluWithNoiseBackwardBackward0, ours were leaky_relu's) and celu's (CeluBackward0, ours
    was elu's)."""
    fn, kinks = PIECEWISE[name]
    x = _points(kinks, dtype)
    check(fn, x, grad_fn_name=True)
    check_higher_orders(fn, x)
    check_double(fn, x)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_prelu_per_channel_at_zero(dtype):
    """prelu with one slope per channel and zeros, signed zeros and infinite upstream values
    at x = 0 (where the values stay torch's: inf * w, and NaN in the weight's gradient)."""
    x = np.array([[0.0, -0.0, 1.0], [-2.0, 0.0, np.nan], [0.0, 3.0, -0.0], [np.inf, -np.inf, 0]],
                 dtype=dtype)
    x = np.repeat(x[:, :, None], 4, axis=2)  # (4, 3, 4): three channels
    w = np.array([0.25, -1.5, 2.0], dtype=dtype)
    # (torch's weight gradient is then a sum and a view of its kernel's: not compared)
    check_double(lambda T, x, w: _f(T).prelu(x, w), x, w, grad_fn_name=False)
    g = np.ones_like(x)
    g[0, 0, 0], g[1, 1, 1], g[2, 2, 2] = np.inf, -np.inf, np.inf
    res = []
    for T in LIBS:
        t = T.tensor(x, requires_grad=True)
        wt = T.tensor(w, requires_grad=True)
        gx, gw = T.autograd.grad(_f(T).prelu(t, wt), [t, wt], T.tensor(g), create_graph=True)
        res.append([a.detach().numpy() for a in (gx, gw)])
    for a, b in zip(*res):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("upstream", ["ones", "requires grad"])
def test_hardsigmoid_has_no_double_backward(upstream):
    """torch defines no derivative of hardsigmoid_backward: the gradient recorded under
    create_graph is a NotImplemented node, and differentiating it (in x or in the upstream
    gradient) is torch's error. Ours differentiated it."""
    x = _points([-3, 3], np.float32)
    outcomes = []
    for T in LIBS:
        t = T.tensor(x, requires_grad=True)
        v = T.ones(64, requires_grad=upstream == "requires grad")
        g, = T.autograd.grad(_f(T).hardsigmoid(t), t, v, create_graph=True)
        seen = [g.grad_fn.name(), g.requires_grad, g.detach().numpy()]
        for wrt in (t, v) if v.requires_grad else (t,):
            with pytest.raises(RuntimeError) as e:
                T.autograd.grad(g.sum(), wrt)
            seen.append(str(e.value))
        outcomes.append(seen)
    ours, theirs = outcomes[1], outcomes[0]
    assert ours[:2] + ours[3:] == theirs[:2] + theirs[3:]  # node, requires_grad, errors
    np.testing.assert_array_equal(ours[2], theirs[2])


IN_PLACE = {
    "leaky_relu_": lambda T, x: _f(T).leaky_relu(x, inplace=True),
    "leaky_relu_(-0.3)": lambda T, x: _f(T).leaky_relu_(x, 0.3),
    "elu_": lambda T, x: _f(T).elu(x, inplace=True),
    "selu_": lambda T, x: _f(T).selu(x, inplace=True),
    "celu_": lambda T, x: _f(T).celu(x, 0.5, inplace=True),
    "threshold_": lambda T, x: _f(T).threshold(x, 0.5, -1.0, inplace=True),
    "threshold_ (function)": lambda T, x: _f(T).threshold_(x, 0.5, -1.0),
    "rrelu_ (eval)": lambda T, x: _f(T).rrelu(x, training=False, inplace=True),
    "relu_": lambda T, x: _f(T).relu(x, inplace=True),
    "hardtanh_": lambda T, x: _f(T).hardtanh(x, inplace=True),
    "hardswish_": lambda T, x: _f(T).hardswish(x, inplace=True),
}


@pytest.mark.parametrize("name", IN_PLACE)
def test_in_place_nodes(name):
    """The nodes the in-place forms record (torch's LeakyReluBackward1, EluBackward1 for elu_
    and selu_, CeluBackward1, ThresholdBackward1, RreluWithNoiseBackward1: ours were the
    out-of-place names) and the node of their gradient under create_graph; the gradient's
    values."""
    x = _points([0], np.float32)
    seen = []
    for T in LIBS:
        a = T.tensor(x, requires_grad=True)
        y = IN_PLACE[name](T, a * 1)
        g, = T.autograd.grad(y, a, T.ones(64, requires_grad=True), create_graph=True)
        inner = g.grad_fn.next_functions[0][0]
        seen.append((y.grad_fn.name(), inner.name(), g.detach().numpy()))
    assert seen[1][:2] == seen[0][:2]
    # (torch's in-place elu family computes the gradient from the output: last-bit
    # differences)
    np.testing.assert_allclose(seen[1][2], seen[0][2], rtol=1e-6, atol=1e-7)
