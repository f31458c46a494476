"""Activations against torch: functional and module forms, float32/float64, values at the
kinks and bounds (torch's tie-breaking is part of the contract), in-place variants, reprs,
and errors."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, LIBS, assert_close, check, check_raises, check_same, rand

# Points where activations have kinks/bounds, plus generic values on both sides.
TIES = [-20.0, -6.0, -3.0, -2.9, -1.0, -0.5, 0.0, 0.5, 1.0, 2.9, 3.0, 6.0, 7.0, 20.0, 25.0]


def data(dtype, shape=(3, 5, 4)):
    x = rand(*shape, dtype=dtype, low=-4, high=4)
    flat = x.reshape(-1)
    flat[:len(TIES)] = TIES
    return x


# name -> fn(T, x), for activations with an F form
FUNCTIONAL = {
    "relu": lambda T, x: T.nn.functional.relu(x),
    "relu6": lambda T, x: T.nn.functional.relu6(x),
    "hardtanh": lambda T, x: T.nn.functional.hardtanh(x),
    "hardtanh_bounds": lambda T, x: T.nn.functional.hardtanh(x, -3.0, 1.0),
    "leaky_relu": lambda T, x: T.nn.functional.leaky_relu(x),
    "leaky_relu_0.2": lambda T, x: T.nn.functional.leaky_relu(x, 0.2),
    "elu": lambda T, x: T.nn.functional.elu(x),
    "elu_2": lambda T, x: T.nn.functional.elu(x, alpha=2.0),
    "selu": lambda T, x: T.nn.functional.selu(x),
    "celu": lambda T, x: T.nn.functional.celu(x),
    "celu_2": lambda T, x: T.nn.functional.celu(x, alpha=2.0),
    "gelu": lambda T, x: T.nn.functional.gelu(x),
    "gelu_tanh": lambda T, x: T.nn.functional.gelu(x, approximate="tanh"),
    "silu": lambda T, x: T.nn.functional.silu(x),
    "mish": lambda T, x: T.nn.functional.mish(x),
    "sigmoid": lambda T, x: T.nn.functional.sigmoid(x),
    "tanh": lambda T, x: T.nn.functional.tanh(x),
    "hardsigmoid": lambda T, x: T.nn.functional.hardsigmoid(x),
    "hardswish": lambda T, x: T.nn.functional.hardswish(x),
    "softplus": lambda T, x: T.nn.functional.softplus(x),
    "softplus_beta": lambda T, x: T.nn.functional.softplus(x, beta=2.0, threshold=6.0),
    "softsign": lambda T, x: T.nn.functional.softsign(x),
    "logsigmoid": lambda T, x: T.nn.functional.logsigmoid(x),
    "threshold": lambda T, x: T.nn.functional.threshold(x, 1.0, -5.0),
    "tanhshrink": lambda T, x: T.nn.functional.tanhshrink(x),
    "softshrink": lambda T, x: T.nn.functional.softshrink(x),
    "softshrink_1": lambda T, x: T.nn.functional.softshrink(x, 1.0),
    "hardshrink": lambda T, x: T.nn.functional.hardshrink(x),
    "hardshrink_1": lambda T, x: T.nn.functional.hardshrink(x, 1.0),
    "glu": lambda T, x: T.nn.functional.glu(x),
    "glu_dim0": lambda T, x: T.nn.functional.glu(x[:2], 0),
    "softmax_-1": lambda T, x: T.nn.functional.softmax(x, dim=-1),
    "softmax_0": lambda T, x: T.nn.functional.softmax(x, dim=0),
    "softmax_1": lambda T, x: T.nn.functional.softmax(x, 1),
    "log_softmax_-1": lambda T, x: T.nn.functional.log_softmax(x, dim=-1),
    "log_softmax_1": lambda T, x: T.nn.functional.log_softmax(x, dim=1),
    "softmin": lambda T, x: T.nn.functional.softmin(x, dim=2),
    "softmax_big": lambda T, x: T.nn.functional.softmax(x * 100, dim=-1),
    "log_softmax_big": lambda T, x: T.nn.functional.log_softmax(x * 100, dim=-1),
    "torch.softmax": lambda T, x: T.softmax(x, 1),
    "torch.log_softmax": lambda T, x: T.log_softmax(x, -1),
    "Tensor.softmax": lambda T, x: x.softmax(-1),
    "Tensor.log_softmax": lambda T, x: x.log_softmax(dim=0),
}


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", list(FUNCTIONAL))
def test_functional(name, dtype):
    check(FUNCTIONAL[name], data(dtype))


def test_prelu_functional():
    for dtype in FLOAT_DTYPES:
        x = data(dtype)
        check(lambda T, x, w: T.nn.functional.prelu(x, w), x,
              np.array([0.25, -0.5, 2.0, 0.1, 0.3], dtype=dtype)[:5])
        check(lambda T, x, w: T.nn.functional.prelu(x, w), x, np.array([0.3], dtype=dtype))
        check(lambda T, x, w: T.nn.functional.prelu(x, w), x[0, 0],
              np.array([0.3], dtype=dtype))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_softmax_dtype_argument(dtype):
    x = data(np.float32)
    for fn in ("softmax", "log_softmax", "softmin"):
        check(lambda T, x: getattr(T.nn.functional, fn)(x, 1, dtype=T.float64), x)


def test_softmax_edge_shapes():
    for shape in [(), (1,), (4,), (2, 1), (0, 3)]:
        x = rand(*shape, dtype=np.float64) if shape else np.array(0.7)
        check(lambda T, x: T.nn.functional.softmax(x, -1), x)
        check(lambda T, x: T.nn.functional.log_softmax(x, 0), x)


def test_softmax_implicit_dim_warns_and_matches():
    for ndim in (1, 2, 3, 4):
        x = rand(*([3] * ndim), dtype=np.float64)
        for T in (torch, mt):
            with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
                T.nn.functional.softmax(T.tensor(x))
        with pytest.warns(UserWarning):
            check(lambda T, x: T.nn.Softmax()(x), x)
        with pytest.warns(UserWarning):
            check(lambda T, x: T.nn.LogSoftmax()(x), x)


# module -> constructor args; each compared for output, gradient and repr
MODULES = [
    ("ReLU", ()), ("ReLU6", ()), ("Hardtanh", ()), ("Hardtanh", (-2.0, 3.0)),
    ("LeakyReLU", ()), ("LeakyReLU", (0.2,)), ("ELU", ()), ("ELU", (0.5,)), ("SELU", ()),
    ("CELU", ()), ("CELU", (1.5,)), ("GELU", ()), ("GELU", ("tanh",)), ("SiLU", ()),
    ("Mish", ()), ("Sigmoid", ()), ("Tanh", ()), ("Hardsigmoid", ()), ("Hardswish", ()),
    ("Softplus", ()), ("Softplus", (2.0, 5.0)), ("Softsign", ()), ("LogSigmoid", ()),
    ("Threshold", (0.5, 2.0)), ("Tanhshrink", ()), ("Softshrink", ()), ("Softshrink", (1.0,)),
    ("Hardshrink", ()), ("Hardshrink", (1.0,)), ("GLU", ()), ("GLU", (1,)), ("Softmax", (1,)),
    ("Softmax", (-1,)), ("LogSoftmax", (2,)), ("Softmin", (0,)), ("Softmax2d", ()),
]
INPLACE = ["ReLU", "ReLU6", "Hardtanh", "LeakyReLU", "ELU", "SELU", "CELU", "SiLU", "Mish",
           "Hardsigmoid", "Hardswish", "Threshold"]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name,args", MODULES, ids=[f"{n}{a}" for n, a in MODULES])
def test_module(name, args, dtype):
    x = data(dtype, (3, 4, 6) if name != "GLU" else (3, 4, 6))
    _, mod_t = check(lambda T, x: getattr(T.nn, name)(*args)(x), x)
    assert repr(getattr(mt.nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))


@pytest.mark.parametrize("name", INPLACE)
def test_module_inplace(name):
    args = (0.5, 2.0) if name == "Threshold" else ()
    x = data(np.float64)

    def fn(T, x):
        y = x * 1.0  # a non-leaf, so that the in-place op is allowed and rebases history
        out = getattr(T.nn, name)(*args, inplace=True)(y)
        assert out is y
        return out

    check(fn, x)
    assert repr(getattr(mt.nn, name)(*args, inplace=True)) == \
        repr(getattr(torch.nn, name)(*args, inplace=True))


def test_functional_inplace_variants():
    x = data(np.float64)
    for fn in ("relu_", "elu_", "selu_", "celu_", "leaky_relu_", "hardtanh_"):
        check(lambda T, x: getattr(T.nn.functional, fn)(x * 1.0), x)
    check(lambda T, x: T.nn.functional.threshold_(x * 1.0, 0.1, 20.0), x)


def test_inplace_on_leaf_requiring_grad_is_an_error():
    check_raises(lambda T, x: T.nn.functional.relu(x, inplace=True), rand(3))
    check_raises(lambda T, x: T.nn.ReLU6(inplace=True)(x), rand(3))


def test_prelu_module():
    for dtype in FLOAT_DTYPES:
        for n in (1, 4):
            x = data(dtype, (2, 4, 5))
            results = {}
            for T in (torch, mt):
                m = T.nn.PReLU(n, init=0.1)
                if T is mt:
                    m = m.to(mt.float64) if dtype == np.float64 else m
                else:
                    m = m.to(torch.float64) if dtype == np.float64 else m
                xt = T.tensor(x, requires_grad=True)
                y = m(xt)
                y.backward(T.tensor(np.ones_like(x) * np.arange(5, dtype=dtype)))
                results[T] = (y, xt.grad, m.weight.grad, repr(m), list(m.state_dict()))
            for a, b in zip(results[mt][:3], results[torch][:3]):
                np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(),
                                           rtol=1e-5 if dtype == np.float32 else 1e-10)
            assert results[mt][3:] == results[torch][3:]


def test_integer_input_errors():
    i = np.array([1, 2, 3])
    for fn in ("gelu", "silu", "softplus", "elu", "leaky_relu", "mish", "hardswish",
               "hardsigmoid"):
        check_raises(lambda T, x: getattr(T.nn.functional, fn)(x), i)
    check_raises(lambda T, x: T.nn.functional.softmax(x, 0), i)
    check(lambda T, x: T.nn.functional.relu(x), i)
    check(lambda T, x: T.nn.functional.sigmoid(x), i)


INTEGER_INPUTS = {
    "int64": np.array([[-3, -1, 0], [1, 3, 8]]), "int32": np.array([[2, -7, 5]], np.int32),
    "uint8": np.array([200, 255, 0, 1, 3, 8], np.uint8), "bool": np.array([True, False, True]),
}


@pytest.mark.parametrize("kind", list(INTEGER_INPUTS))
@pytest.mark.parametrize("name", list(FUNCTIONAL))
def test_integer_inputs(name, kind):
    """Every activation on integer and bool tensors: torch's result dtype (hardtanh/relu6 clamp
    in the integer dtype; softsign/tanhshrink/sigmoid compute in the default float dtype) or
    its refusal, whichever it gives."""
    check_same(FUNCTIONAL[name], INTEGER_INPUTS[kind])


@pytest.mark.parametrize("kind", list(INTEGER_INPUTS))
def test_integer_inputs_bounds(kind):
    """hardtanh's bounds cut to integers (towards zero); negative bounds refused for uint8."""
    for lo, hi in ((-0.5, 2.5), (-1.7, 2.9), (2.5, 5.5), (0.5, 0.7)):
        check_same(lambda T, x: T.nn.functional.hardtanh(x, lo, hi), INTEGER_INPUTS[kind])


@pytest.mark.parametrize("shape", [(1, 3, 4), (2, 4, 2, 3)])
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_])
def test_local_response_norm_integers(dtype, shape):
    """torch's x / (avg_pool(x^2) * alpha + k)^beta: int64 pools in integers (truncating) and
    then divides in the default float dtype; other integer dtypes have no average pooling."""
    x = np.random.default_rng(0).integers(-9, 10, shape).astype(dtype)
    check_same(lambda T, x: T.nn.functional.local_response_norm(x, 2, alpha=0.3), x)
    check_same(lambda T, x: T.nn.functional.local_response_norm(x, 3, 1e-2, 0.5, 2.0), x)


def test_bad_arguments():
    x = rand(2, 3)
    check_raises(lambda T, x: T.nn.functional.hardtanh(x, 2.0, 1.0), x)
    check_raises(lambda T, x: T.nn.functional.gelu(x, approximate="foo"), x)
    check_raises(lambda T, x: T.nn.functional.glu(x, 1), x)
    check_raises(lambda T, x: T.nn.functional.softmax(x, 2), x)
    check_raises(lambda T, x: T.nn.functional.celu(x, 0.0), x)
    check_raises(lambda T, x: T.nn.functional.prelu(x, T.ones(2)), x)
    check_raises(lambda T: T.nn.Hardtanh(1.0, 1.0))
    check_raises(lambda T, x: T.nn.Softmax2d()(x), x)
    check_raises(lambda T, x: T.nn.functional.softshrink(x, -1.0), x)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("bounds", [(1 / 8, 1 / 3), (0.1, 0.9), (-0.5, 0.2), (0.3, 0.3)])
def test_rrelu(bounds, dtype):
    x = data(dtype)

    def train(T, x):
        T.manual_seed(4)
        f = T.nn.functional.rrelu(x, *bounds, training=True)
        m = T.nn.RReLU(*bounds)(x)  # a second draw from the stream
        return f, m, T.rand(3)  # and the stream position afterwards

    check(train, x)
    check(lambda T, x: T.nn.functional.rrelu(x, *bounds), x)
    check(lambda T, x: T.nn.RReLU(*bounds).eval()(x), x)

    def inplace(T, x):
        T.manual_seed(2)
        y = x * 1.0
        out = T.nn.RReLU(*bounds, inplace=True)(y)
        assert out is y
        return out

    check(inplace, x)
    if (bounds[0] + bounds[1]) / 2 >= 0:
        check(lambda T, x: T.nn.functional.rrelu_(x * 1.0, *bounds), x)
    else:  # eval: in-place leaky_relu with a negative slope has no backward in torch
        check_raises(lambda T, x: T.nn.functional.rrelu_(x * 1.0, *bounds).sum().backward(), x)
        check_raises(lambda T, x: T.nn.functional.leaky_relu_(x * 1.0, -0.1).sum().backward(),
                     x)


def test_rrelu_repr_and_errors():
    for args in ((), (0.1, 0.2), (0.1, 0.2, True)):
        assert repr(mt.nn.RReLU(*args)) == repr(torch.nn.RReLU(*args))
    check_raises(lambda T, x: T.nn.functional.rrelu(x, 0.5, 0.1, True), rand(3))
    check_raises(lambda T, x: T.nn.functional.rrelu(x, 0.5, 0.1), rand(3))
    check_raises(lambda T, x: T.nn.functional.rrelu(x, training=True), np.array([1, 2]))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("hard", [False, True])
@pytest.mark.parametrize("tau,dim", [(1.0, -1), (0.5, 0), (2.0, 1)])
def test_gumbel_softmax(tau, dim, hard, dtype):
    x = rand(4, 5, dtype=dtype)

    def fn(T, x):
        T.manual_seed(9)
        return T.nn.functional.gumbel_softmax(x, tau=tau, hard=hard, dim=dim), T.rand(2)

    check(fn, x)
    for T in LIBS:
        with pytest.warns(UserWarning, match="`eps` parameter is deprecated"):
            T.nn.functional.gumbel_softmax(T.tensor(x), eps=1e-5)


@pytest.mark.parametrize("name", ["relu", "gelu", "silu", "softmax_-1", "log_softmax_1",
                                  "hardswish", "elu", "softplus", "glu", "leaky_relu"])
def test_functional_non_contiguous(name):
    check(FUNCTIONAL[name], data(np.float64), layout="transposed")


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_gelu_blocks(dtype, monkeypatch):
    """Exact GELU computes its value and derivative block by block (``gelu_parts``): a small
    block size splits this input into blocks with an uneven last one."""
    from minitorch_ref._ops import _erf
    monkeypatch.setattr(_erf, "_CDF_BLOCK", 16)
    x = rand(5, 11, dtype=dtype, low=-6, high=6)
    check(FUNCTIONAL["gelu"], x)
    second = []
    for T in LIBS:  # create_graph replays the blocked forward on recorded values
        t = T.tensor(x, requires_grad=True)
        g, = T.autograd.grad(T.nn.functional.gelu(t).sum(), t, create_graph=True)
        second.append(T.autograd.grad((g * g).sum(), t)[0])
    assert_close(second[1], second[0])


@pytest.mark.parametrize("name", ["softmax_-1", "log_softmax_big", "Tensor.softmax"])
def test_softmax_long_rows(name):
    """Rows of 128 or more elements: softmax's backward sums g * out by BLAS dot products."""
    for dtype in FLOAT_DTYPES:
        check(FUNCTIONAL[name], rand(3, 2, 200, dtype=dtype, low=-4, high=4))


def _shift_rows(dtype):
    """Rows for each form of the softmax family's exp (``_exp_rows``, ``LogSoftmax``): small
    logits (no shift); a log-sum just under 16 and one of 75 with outputs near 0 (which show
    the rounding of log s: over 16 log_softmax shifts by the max, from the unshifted sum);
    masked -inf entries; sums of 1e-26 (in range) and 1e-32 (shifted in float32 only); exp
    overflowing float32 only, and both dtypes."""
    x = rand(9, 7, dtype=dtype, low=-2, high=2)
    x[1, 0] = 15.9
    x[1, 1:] -= 6
    x[2] = 75.313 - np.arange(7) - 3 * (np.arange(7) > 0)  # log s 75: rounding it shows
    x[3, [1, 4]] = -np.inf
    x[4] = rand(7, dtype=dtype, seed=1, low=-62, high=-58)
    x[5] = rand(7, dtype=dtype, seed=2, low=80, high=100)
    x[6] = rand(7, dtype=dtype, seed=3, low=-80, high=-75)
    x[7] = rand(7, dtype=dtype, seed=4, low=700, high=760)
    x[8] = rand(7, dtype=dtype, seed=5, low=10, high=14)
    return x


SHIFT_CASES = {  # row selections: each form alone, then rows mixed in one call
    "small": [0, 3], "log_sum_16": [1], "log_sum_75": [2], "small_sums": [4],
    "large": [5], "tiny_sums": [6], "huge": [7], "moderate": [8], "mixed": list(range(9))}


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("rows", list(SHIFT_CASES))
@pytest.mark.parametrize("fn", ["softmax", "log_softmax", "softmin"])
def test_softmax_shift_forms(fn, rows, dtype):
    """The unshifted and the max-shifted exp give torch's values and gradients, over the last
    dim, dim 0 (the same rows transposed), a non-contiguous input, and one row as 1-D."""
    x = _shift_rows(dtype)[SHIFT_CASES[rows]]
    if fn == "softmin":
        x = -x
    check(lambda T, x: getattr(T.nn.functional, fn)(x, -1), x)
    check(lambda T, x: getattr(T.nn.functional, fn)(x, 0), np.ascontiguousarray(x.T))
    check(lambda T, x: getattr(T.nn.functional, fn)(x, 1), x.T.copy(), layout="transposed")
    check(lambda T, x: getattr(T.nn.functional, fn)(x, 0), x[0])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_softmax_non_finite_rows(dtype):
    """A row of -inf only, one holding +inf or nan: torch's nan rows (the shifted form), the
    other rows unaffected."""
    for bad in (-np.inf, np.inf, np.nan):
        x = rand(3, 5, dtype=dtype, low=-2, high=2)
        x[1] = -np.inf
        x[2, 3] = bad
        for fn in ("softmax", "log_softmax"):
            check(lambda T, x: getattr(T.nn.functional, fn)(x, -1), x)


SDPA_ROWS = dict(SHIFT_CASES, inf=[0, 9], nan=[0, 10], masked_row=[0, 11])


def _sdpa_scores(dtype):
    """``_shift_rows`` and three more: one +inf score, one nan score, every key masked."""
    x = np.concatenate([_shift_rows(dtype), rand(3, 7, dtype=dtype, seed=6, low=-2, high=2)])
    x[9, 2], x[10, 5], x[11] = np.inf, np.nan, -np.inf
    return x


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("rows", list(SDPA_ROWS))
def test_sdpa_softmax_shift_forms(rows, dtype):
    """Attention's weights take softmax's exp rule (``_exp_rows``): unshifted where the row
    sums allow, max-shifted for scores above 88 (float32) or 709, rows all below -71, -inf
    masks, an inf or nan score; a row of -inf only gets weights 0 (torch's _safe_softmax).
    The scores are the float mask plus small q k^T; values and the gradients of q, k, v and
    the mask against torch's."""
    bias = _sdpa_scores(dtype)[SDPA_ROWS[rows]]
    q = rand(len(bias), 4, dtype=dtype, seed=7, low=-0.1, high=0.1)
    k, v = rand(7, 4, dtype=dtype, seed=8), rand(7, 3, dtype=dtype, seed=9)
    check(lambda T, q, k, v, m: T.nn.functional.scaled_dot_product_attention(
        q, k, v, attn_mask=m), q, k, v, bias)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax", "sdpa"])
def test_softmax_shift_forms_float16(fn):
    """float16 rows in each form (its exp overflows above 11, so most rows shift) against
    torch, values and gradients within float16's tolerance."""
    x = _sdpa_scores(np.float64)[:9] / 8
    x[5], x[7] = x[5] / 5 + 8, x[7] / 60               # near and above float16's exp overflow
    x = x.astype(np.float16)
    g = rand(*x.shape, dtype=np.float64, seed=3).astype(np.float16)
    res = {}
    for T in (mt, torch):
        t = T.tensor(x, requires_grad=True)
        if fn == "sdpa":
            q = T.tensor(np.full((9, 4), 0.05, np.float16))
            k = T.tensor(np.full((7, 4), 0.5, np.float16))
            y = T.nn.functional.scaled_dot_product_attention(q, k, T.eye(7, dtype=T.float16),
                                                             attn_mask=t)
        else:
            y = getattr(T.nn.functional, fn)(t, -1)
        y.backward(T.tensor(g))
        res[T] = (y.detach().numpy(), t.grad.numpy())
    for ours, theirs in zip(res[mt], res[torch]):
        assert ours.dtype == np.float16
        np.testing.assert_allclose(ours.astype(np.float64), theirs.astype(np.float64),
                                   rtol=1e-3, atol=1e-3, equal_nan=True)


def test_softmax_empty_dim():
    for shape, dim in [((3, 0), -1), ((0, 3), -1), ((2, 0, 4), 1), ((0,), 0)]:
        x = np.zeros(shape)
        for fn in ("softmax", "log_softmax"):
            check(lambda T, x: getattr(T.nn.functional, fn)(x, dim), x)


@pytest.mark.parametrize("rows", ["small", "log_sum_75", "huge"])
@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_softmax_shift_forms_double_backward(fn, rows):
    """create_graph replays each form's forward on recorded values: second derivatives equal
    torch's (the shift cancels in them too)."""
    x = _shift_rows(np.float64)[SHIFT_CASES[rows]]
    w = rand(*x.shape, dtype=np.float64, seed=7)
    second = []
    for T in LIBS:
        t = T.tensor(x, requires_grad=True)
        y = getattr(T.nn.functional, fn)(t, -1)
        g, = T.autograd.grad((y * T.tensor(w)).sum(), t, create_graph=True)
        second.append(T.autograd.grad((g * g).sum(), t)[0])
    assert_close(second[1], second[0])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_relu_grad_bits_and_saved_output(dtype):
    """relu's output and gradient bit for bit as torch's (the output keeps -0.0; the gradient
    0 at +-0, NaN input passes g, inf/NaN g zeroed where out <= 0); its saved output changed
    in place raises."""
    special = [-0.0, 0.0, 1.0, -1.0, np.nan, -np.nan, np.inf, -np.inf, 1e-45, -1e-45]
    x = np.array(special * 3, dtype)
    g = np.array([1.0, -2.0, np.inf, np.nan, -0.0, 3.0, -np.inf, 5.0, np.nan, 7.0] * 3, dtype)
    bits = {2: np.int16, 4: np.int32, 8: np.int64}[x.itemsize]
    outs, grads = [], []
    for T in LIBS:
        xt = T.tensor(x, requires_grad=True)
        y = T.relu(xt)
        y.backward(T.tensor(g))
        outs.append(y.detach().numpy().view(bits))
        grads.append(xt.grad.numpy().view(bits))
    assert np.array_equal(*outs)
    assert np.array_equal(*grads)
    check_raises(lambda T, a: T.relu(a.requires_grad_()).add_(1).sum().backward(), x,
                 match="modified by an inplace operation")
