"""The activation cases the activation tests share: one call per name, ``fn(T, x)`` with T
either torch or minitorch_ref. Each test takes the names it needs (``OUT_OF_PLACE``,
``IN_PLACE``, ``SPECIAL_POINTS``)."""


def _f(T):
    return T.nn.functional


CASES = {
    "relu": lambda T, x: _f(T).relu(x),
    "relu6": lambda T, x: _f(T).relu6(x),
    "hardtanh": lambda T, x: _f(T).hardtanh(x),
    "hardtanh(-1, 1.5)": lambda T, x: _f(T).hardtanh(x, -1.0, 1.5),
    "hardtanh(0, 3)": lambda T, x: _f(T).hardtanh(x, 0.0, 3.0),
    "leaky_relu": lambda T, x: _f(T).leaky_relu(x),
    "leaky_relu(0.2)": lambda T, x: _f(T).leaky_relu(x, 0.2),
    "leaky_relu(-0.5)": lambda T, x: _f(T).leaky_relu(x, -0.5),
    "leaky_relu(0)": lambda T, x: _f(T).leaky_relu(x, 0.0),
    "rrelu": lambda T, x: _f(T).rrelu(x),
    "prelu": lambda T, x: _f(T).prelu(x, T.tensor([0.25], dtype=x.dtype)),
    "prelu(-0.25)": lambda T, x: _f(T).prelu(x, T.tensor([-0.25], dtype=x.dtype)),
    "elu": lambda T, x: _f(T).elu(x),
    "elu(-2)": lambda T, x: _f(T).elu(x, -2.0),
    "elu(2)": lambda T, x: _f(T).elu(x, 2.0),
    "selu": lambda T, x: _f(T).selu(x),
    "celu": lambda T, x: _f(T).celu(x),
    "celu(0.5)": lambda T, x: _f(T).celu(x, 0.5),
    "celu(-2)": lambda T, x: _f(T).celu(x, -2.0),
    "gelu": lambda T, x: _f(T).gelu(x),
    "gelu_tanh": lambda T, x: _f(T).gelu(x, approximate="tanh"),
    "silu": lambda T, x: _f(T).silu(x),
    "mish": lambda T, x: _f(T).mish(x),
    "softplus": lambda T, x: _f(T).softplus(x),
    "softplus(2, 5)": lambda T, x: _f(T).softplus(x, 2.0, 5.0),
    "softplus(-1, 5)": lambda T, x: _f(T).softplus(x, -1.0, 5.0),
    "softsign": lambda T, x: _f(T).softsign(x),
    "softshrink": lambda T, x: _f(T).softshrink(x),
    "softshrink(1)": lambda T, x: _f(T).softshrink(x, 1.0),
    "softshrink(0)": lambda T, x: _f(T).softshrink(x, 0.0),
    "hardshrink": lambda T, x: _f(T).hardshrink(x),
    "hardshrink(1)": lambda T, x: _f(T).hardshrink(x, 1.0),
    "hardshrink(0)": lambda T, x: _f(T).hardshrink(x, 0.0),
    "tanhshrink": lambda T, x: _f(T).tanhshrink(x),
    "hardswish": lambda T, x: _f(T).hardswish(x),
    "hardsigmoid": lambda T, x: _f(T).hardsigmoid(x),
    "logsigmoid": lambda T, x: _f(T).logsigmoid(x),
    "sigmoid": lambda T, x: _f(T).sigmoid(x),
    "tanh": lambda T, x: _f(T).tanh(x),
    "glu": lambda T, x: _f(T).glu(T.stack([x, x.flip(0)], -1), -1),
    "glu(halves)": lambda T, x: _f(T).glu(x.reshape(-1, 2), -1),
    "threshold": lambda T, x: _f(T).threshold(x, 1.0, -5.0),
    "threshold(0.5, -1)": lambda T, x: _f(T).threshold(x, 0.5, -1.0),
    "threshold(0, 0)": lambda T, x: _f(T).threshold(x, 0.0, 0.0),
    # in place, on a non-leaf
    "relu_": lambda T, x: _f(T).relu_(x * 1),
    "relu6_": lambda T, x: _f(T).relu6(x * 1, inplace=True),
    "hardtanh_": lambda T, x: _f(T).hardtanh_(x * 1),
    "leaky_relu_(0.2)": lambda T, x: _f(T).leaky_relu_(x * 1, 0.2),
    "leaky_relu_(0)": lambda T, x: _f(T).leaky_relu_(x * 1, 0.0),
    "rrelu_": lambda T, x: _f(T).rrelu_(x * 1),
    "elu_": lambda T, x: _f(T).elu_(x * 1),
    "selu_": lambda T, x: _f(T).selu_(x * 1),
    "celu_(0.5)": lambda T, x: _f(T).celu_(x * 1, 0.5),
    "silu_": lambda T, x: _f(T).silu(x * 1, inplace=True),
    "mish_": lambda T, x: _f(T).mish(x * 1, inplace=True),
    "hardswish_": lambda T, x: _f(T).hardswish(x * 1, inplace=True),
    "threshold_(0.5, -1)": lambda T, x: _f(T).threshold_(x * 1, 0.5, -1.0),
}

# every activation of torch.nn.functional once, out of place (the graph tests' table)
OUT_OF_PLACE = [
    "relu", "relu6", "hardtanh(-1, 1.5)", "leaky_relu(0.2)", "rrelu", "elu", "selu", "celu(0.5)",
    "gelu", "gelu_tanh", "silu", "mish", "softplus", "softplus(2, 5)", "softsign", "softshrink",
    "hardshrink", "tanhshrink", "hardswish", "hardsigmoid", "logsigmoid", "sigmoid", "tanh",
    "glu(halves)", "threshold(0.5, -1)"]
IN_PLACE = [name for name in CASES if name.split("(")[0].endswith("_")]
# the special-points test's table: each activation with the arguments whose edges differ
SPECIAL_POINTS = [
    "relu", "relu6", "hardtanh", "hardtanh(0, 3)", "leaky_relu", "leaky_relu(-0.5)",
    "leaky_relu(0)", "rrelu", "prelu", "prelu(-0.25)", "elu", "elu(-2)", "elu(2)", "selu", "celu",
    "celu(0.5)", "celu(-2)", "silu", "mish", "softplus", "softplus(2, 5)", "softplus(-1, 5)",
    "softsign", "softshrink(1)", "softshrink(0)", "hardshrink(1)", "hardshrink(0)", "tanhshrink",
    "hardswish", "hardsigmoid", "logsigmoid", "sigmoid", "tanh", "glu", "threshold",
    "threshold(0, 0)"]
