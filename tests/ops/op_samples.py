"""The op table of the sample sweep (test_op_samples.py), in the manner of torch's OpInfo: each
entry names an op by how it is called, so that one generator per class of input can call every op
of a kind with that input.

Kinds (each entry is ``name -> fn``, where ``fn(T, ...)`` runs the op in library ``T``):

  UNARY     fn(T, x): elementwise ops of one tensor (torch.*, methods, nn.functional)
  BINARY    fn(T, a, b): elementwise ops of two operands; either may be a Python number
  DIM       fn(T, x, dim): ops taking one dim (reductions, scans, shape ops)
  WHOLE     fn(T, x): ops over a whole tensor (full reductions, flatten, ...)

The functions are written with the positional arguments torch's signatures have, so that a
Python number in a tensor's place meets torch's argument parser as a user's call would.
"""
from __future__ import annotations


def F(T):
    """``torch.nn.functional`` of library ``T``."""
    return T.nn.functional


# -- elementwise, one tensor -----------------------------------------------------------------------
UNARY_FUNCTIONS = [
    "abs", "absolute", "neg", "negative", "exp", "exp2", "expm1", "log", "log1p", "log2", "log10",
    "sqrt", "rsqrt", "reciprocal", "square", "sign", "sin", "cos", "tan", "tanh", "sigmoid",
    "relu", "floor", "ceil", "round", "trunc", "fix", "frac", "erf", "nan_to_num", "isnan",
    "isinf", "isfinite", "isposinf", "isneginf", "logical_not", "bitwise_not", "clone",
]
# (added as they are built: the inverse trigonometric and hyperbolic functions, sgn, signbit,
# erfinv, erfc, lgamma, digamma, logit)
UNARY_NEW = ["asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "arcsin",
             "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "sgn", "signbit", "deg2rad",
             "rad2deg"]
UNARY_NN = [
    "relu6", "hardtanh", "elu", "selu", "celu", "leaky_relu", "gelu", "silu", "mish", "softplus",
    "softsign", "logsigmoid", "hardsigmoid", "hardswish", "hardshrink", "softshrink",
    "tanhshrink", "sigmoid", "tanh", "relu",
]

UNARY = {}
for _n in UNARY_FUNCTIONS + UNARY_NEW:
    UNARY[_n] = (lambda n: lambda T, x: getattr(T, n)(x))(_n)
for _n in UNARY_NN:
    UNARY[f"F.{_n}"] = (lambda n: lambda T, x: getattr(F(T), n)(x))(_n)
UNARY.update({
    "F.gelu_tanh": lambda T, x: F(T).gelu(x, approximate="tanh"),
    "F.softplus_beta": lambda T, x: F(T).softplus(x, 2.0, 5.0),
    "F.threshold": lambda T, x: F(T).threshold(x, 0.5, 2.0),
    "F.rrelu_eval": lambda T, x: F(T).rrelu(x, training=False),
    "F.elu_alpha": lambda T, x: F(T).elu(x, 0.5),
    "F.hardtanh_bounds": lambda T, x: F(T).hardtanh(x, -2.0, 0.5),
    "F.leaky_relu_slope": lambda T, x: F(T).leaky_relu(x, 0.2),
    "clamp": lambda T, x: T.clamp(x, -1, 1),
    "clamp_min": lambda T, x: T.clamp_min(x, 0.5),
    "clamp_max": lambda T, x: T.clamp_max(x, 0.5),
    "round_decimals": lambda T, x: T.round(x, decimals=1),
    "pow_2": lambda T, x: T.pow(x, 2),
    "pow_3": lambda T, x: T.pow(x, 3),
    "pow_half": lambda T, x: T.pow(x, 0.5),
    "pow_neg_half": lambda T, x: T.pow(x, -0.5),
    "pow_neg1": lambda T, x: T.pow(x, -1),
    "pow_neg2": lambda T, x: T.pow(x, -2),
    "pow_0": lambda T, x: T.pow(x, 0),
    "pow_1_5": lambda T, x: T.pow(x, 1.5),
    "rpow_2": lambda T, x: T.pow(2, x),
    "rpow_half": lambda T, x: T.pow(0.5, x),
    "div_self": lambda T, x: T.div(x, x),
    "mul_self": lambda T, x: T.mul(x, x),
    "fmod_1_5": lambda T, x: T.fmod(x, 1.5),
    "remainder_1_5": lambda T, x: T.remainder(x, 1.5),
    "lerp_0": lambda T, x: T.lerp(x, T.zeros_like(x), 0.3),
    "logaddexp_self": lambda T, x: T.logaddexp(x, x),
    "atan2_self": lambda T, x: T.atan2(x, x),
    "masked_fill": lambda T, x: x.masked_fill(x > 0, 2.5),
    "F.normalize": lambda T, x: F(T).normalize(x, dim=0),
    "F.softmin": lambda T, x: F(T).softmin(x, 0),
})

# -- elementwise, two operands ---------------------------------------------------------------------
BINARY_FUNCTIONS = [
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide",
    "remainder", "fmod", "pow", "atan2", "arctan2", "maximum", "minimum", "max", "min", "eq",
    "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal", "not_equal",
    "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor",
    "logaddexp", "isclose", "rsub", "clamp_min", "clamp_max", "xlogy",
]
BINARY_NEW = ["hypot", "copysign", "fmax", "fmin", "float_power", "logaddexp2", "heaviside",
              "isin", "searchsorted", "bucketize"]

BINARY = {}
for _n in BINARY_FUNCTIONS + BINARY_NEW:
    BINARY[_n] = (lambda n: lambda T, a, b: getattr(T, n)(a, b))(_n)
BINARY.update({
    "div_floor": lambda T, a, b: T.div(a, b, rounding_mode="floor"),
    "div_trunc": lambda T, a, b: T.div(a, b, rounding_mode="trunc"),
    "add_alpha": lambda T, a, b: T.add(a, b, alpha=2),
    "sub_alpha": lambda T, a, b: T.sub(a, b, alpha=2),
    "lerp": lambda T, a, b: T.lerp(a, b, 0.25),
    "clamp_lo": lambda T, a, b: T.clamp(a, min=b),
    "clamp_hi": lambda T, a, b: T.clamp(a, max=b),
    "where_gt": lambda T, a, b: T.where(a > 0, a, b),
    "op_add": lambda T, a, b: a + b,
    "op_sub": lambda T, a, b: a - b,
    "op_mul": lambda T, a, b: a * b,
    "op_truediv": lambda T, a, b: a / b,
    "op_floordiv": lambda T, a, b: a // b,
    "op_mod": lambda T, a, b: a % b,
    "op_pow": lambda T, a, b: a ** b,
    "op_lt": lambda T, a, b: a < b,
    "op_eq": lambda T, a, b: a == b,
    "op_and": lambda T, a, b: a & b,
    "F.mse_loss": lambda T, a, b: F(T).mse_loss(a, b),
    "F.l1_loss": lambda T, a, b: F(T).l1_loss(a, b),
    "F.smooth_l1_loss": lambda T, a, b: F(T).smooth_l1_loss(a, b),
    "F.huber_loss": lambda T, a, b: F(T).huber_loss(a, b),
    "F.soft_margin_loss": lambda T, a, b: F(T).soft_margin_loss(a, b),
    "F.bce_with_logits": lambda T, a, b: F(T).binary_cross_entropy_with_logits(a, b),
    "isin_invert": lambda T, a, b: T.isin(a, b, invert=True),
    "searchsorted_right": lambda T, a, b: T.searchsorted(a, b, right=True),
})

# -- ops taking one dim ----------------------------------------------------------------------------
DIM_FUNCTIONS = [
    "sum", "mean", "prod", "var", "std", "amax", "amin", "argmax", "argmin", "logsumexp",
    "all", "any", "count_nonzero", "var_mean", "std_mean", "cumsum", "cumprod", "softmax",
    "log_softmax", "squeeze", "unsqueeze", "flatten", "unbind", "diff", "msort",
]
DIM_NEW = ["nansum", "nanmean", "median", "nanmedian", "mode", "cummax", "cummin",
           "logcumsumexp"]

DIM = {}
for _n in DIM_FUNCTIONS:
    DIM[_n] = (lambda n: lambda T, x, d: getattr(T, n)(x, d))(_n)
DIM.update({
    "max": lambda T, x, d: T.max(x, d),
    "min": lambda T, x, d: T.min(x, d),
    "sum_keep": lambda T, x, d: T.sum(x, d, keepdim=True),
    "mean_keep": lambda T, x, d: T.mean(x, d, True),
    "prod_keep": lambda T, x, d: T.prod(x, d, True),
    "max_keep": lambda T, x, d: T.max(x, d, keepdim=True),
    "aminmax": lambda T, x, d: T.aminmax(x, dim=d),
    "norm": lambda T, x, d: T.norm(x, dim=d),
    "norm_1": lambda T, x, d: T.norm(x, 1, d),
    "norm_inf": lambda T, x, d: T.norm(x, float("inf"), d),
    "sort": lambda T, x, d: T.sort(x, d),
    "argsort": lambda T, x, d: T.argsort(x, d),
    "topk_1": lambda T, x, d: T.topk(x, 1, d),
    "topk_0": lambda T, x, d: T.topk(x, 0, d),
    "transpose_d0": lambda T, x, d: T.transpose(x, d, 0),
    "transpose_dd": lambda T, x, d: T.transpose(x, d, d),
    "swapaxes": lambda T, x, d: T.swapaxes(x, d, -1),
    "movedim": lambda T, x, d: T.movedim(x, d, 0),
    "select_0": lambda T, x, d: T.select(x, d, 0),
    "narrow_0_1": lambda T, x, d: T.narrow(x, d, 0, 1),
    "narrow_0_0": lambda T, x, d: T.narrow(x, d, 0, 0),
    "roll": lambda T, x, d: T.roll(x, 1, d),
    "flip": lambda T, x, d: T.flip(x, (d,)),
    "split_1": lambda T, x, d: T.split(x, 1, d),
    "split_2": lambda T, x, d: T.split(x, 2, d),
    "chunk_2": lambda T, x, d: T.chunk(x, 2, d),
    "gather_0": lambda T, x, d: T.gather(x, d, T.zeros_like(x, dtype=T.int64)),
    "gather_empty": lambda T, x, d: T.gather(x, d, T.zeros((0,) * x.dim(), dtype=T.int64)),
    "scatter_value": lambda T, x, d: T.scatter(x, d, T.zeros_like(x, dtype=T.int64), 2.0),
    "scatter_src": lambda T, x, d: T.scatter(x, d, T.zeros_like(x, dtype=T.int64), x * 2),
    "scatter_add": lambda T, x, d: T.scatter_add(x, d, T.zeros_like(x, dtype=T.int64), x * 2),
    "index_select_0": lambda T, x, d: T.index_select(x, d, T.zeros(1, dtype=T.int64)),
    "index_select_none": lambda T, x, d: T.index_select(x, d, T.zeros(0, dtype=T.int64)),
    "take_along_dim": lambda T, x, d: T.take_along_dim(x, T.zeros_like(x, dtype=T.int64), d),
    "repeat_interleave": lambda T, x, d: T.repeat_interleave(x, 2, d),
    "diff_n0": lambda T, x, d: T.diff(x, 0, d),
    "diff_n2": lambda T, x, d: T.diff(x, 2, d),
    "diff_n5": lambda T, x, d: T.diff(x, 5, d),
    "cumsum_f64": lambda T, x, d: T.cumsum(x, d, dtype=T.float64),
    "softmax_f64": lambda T, x, d: T.softmax(x, d, dtype=T.float64),
    "unflatten": lambda T, x, d: T.unflatten(x, d, (x.shape[d] if x.dim() else 1, 1)),
    "F.softmax": lambda T, x, d: F(T).softmax(x, d),
    "F.log_softmax": lambda T, x, d: F(T).log_softmax(x, d),
    "F.glu": lambda T, x, d: F(T).glu(x, d),
    "F.normalize": lambda T, x, d: F(T).normalize(x, dim=d),
    "F.cosine_similarity": lambda T, x, d: F(T).cosine_similarity(x, x * 2 + 1, d),
})
for _n in DIM_NEW:
    DIM.setdefault(_n, (lambda n: lambda T, x, d: getattr(T, n)(x, d))(_n))
DIM.update({
    "kthvalue_1": lambda T, x, d: T.kthvalue(x, 1, d),
    "quantile": lambda T, x, d: T.quantile(x, 0.25, d),
    "nanquantile": lambda T, x, d: T.nanquantile(x, 0.25, d),
    "tensor_split_2": lambda T, x, d: T.tensor_split(x, 2, d),
    "trapezoid": lambda T, x, d: T.trapezoid(x, dim=d),
    "trapezoid_dx": lambda T, x, d: T.trapezoid(x, dx=0.5, dim=d),
    "trapezoid_x": lambda T, x, d: T.trapezoid(x, x * 2, dim=d),
    "cumulative_trapezoid": lambda T, x, d: T.cumulative_trapezoid(x, dim=d),
    "cumulative_trapezoid_x": lambda T, x, d: T.cumulative_trapezoid(x, x.exp(), dim=d),
    "unique_consecutive": lambda T, x, d: T.unique_consecutive(x, True, True, d),
})

# -- ops over a whole tensor -----------------------------------------------------------------------
WHOLE = {n: (lambda n: lambda T, x: getattr(T, n)(x))(n) for n in [
    "sum", "mean", "prod", "amax", "amin", "argmax", "argmin", "all", "any", "count_nonzero",
    "norm", "var", "std", "var_mean", "std_mean", "max", "min", "aminmax", "flatten", "ravel",
    "nansum", "nanmean", "median", "nanmedian", "t", "squeeze", "nonzero", "argwhere", "unique",
    "unique_consecutive",
    "msort", "sort", "argsort", "atleast_1d", "atleast_2d", "atleast_3d", "trace", "diag",
    "tril", "triu", "diagonal", "fliplr", "flipud", "rot90", "clone",
]}
WHOLE.update({
    "max_fn_dim0": lambda T, x: T.max(x, 0),
    "flatten_0": lambda T, x: T.flatten(x, 0),
    "reshape_-1": lambda T, x: T.reshape(x, (-1,)),
    "quantile": lambda T, x: T.quantile(x, 0.5),
    "histc": lambda T, x: T.histc(x, 4),
    "cov": lambda T, x: T.cov(x),
    "corrcoef": lambda T, x: T.corrcoef(x),
    "logcumsumexp_0": lambda T, x: T.logcumsumexp(x, 0),
    "roll_flat": lambda T, x: T.roll(x, 1),
    "sum_f64": lambda T, x: T.sum(x, dtype=T.float64),
    "prod_f64": lambda T, x: T.prod(x, dtype=T.float64),
    "addmv": lambda T, x: T.addmv(x[:, 0], x, x[0]),
    "addr": lambda T, x: T.addr(x, x[:, 0], x[0]),
    "addbmm": lambda T, x: T.addbmm(x, x[None, :, :1], x[None, :1, :]),
    "vdot": lambda T, x: T.vdot(x.flatten(), x.flatten()),
    "chain_matmul": lambda T, x: T.chain_matmul(x, x.t()),
    "diagonal_scatter": lambda T, x: T.diagonal_scatter(x, x.diagonal() * 2),
    "narrow_copy": lambda T, x: T.narrow_copy(x, 0, 0, 1),
})
