"""The cases of the sample sweep (test_op_samples.py) that fail today, by test: each a strict
xfail with the class of input it belongs to. A fix makes its case pass, and the strict xfail then
fails until the case leaves this list."""

PYTHON_NUMBER = ("a Python number in a Tensor's place: torch's argument parser's TypeError, or "
                 "torch takes it where we refuse")
ZERO_D = "0-d tensors: dim 0 and -1 as torch's 1-d view, torch's refusals"
EMPTY = "reductions and dim ops over empty dims"
EXTREME_VALUES = "values or gradients at NaN, infinities, signed zeros, huge values"
INTEGER_AND_BOOL = "integer and bool inputs: torch's result dtype or refusal"
DEGENERATE_SHAPES = "broadcast errors and empty shapes"
MIXED_FLOAT_WIDTHS = "float32 with float64 (and 0-d float64) operands"
SIZE_ONE = "size-1 dims"

PENDING = {
    "binary_degenerate_shapes": (DEGENERATE_SHAPES, {
        "bitwise_and", "bitwise_or", "bitwise_xor", "isclose", "lerp", "op_and",
    }),
    "binary_extreme_values": (EXTREME_VALUES, {
        "arctan2-float32", "arctan2-float64", "atan2-float32", "atan2-float64",
        "logaddexp-float32", "logaddexp-float64", "op_mod-float32", "op_mod-float64",
        "remainder-float32", "remainder-float64",
    }),
    "binary_integer_and_bool": (INTEGER_AND_BOOL, {
        "isclose", "logaddexp", "op_pow", "pow",
    }),
    "binary_mixed_float_widths": (MIXED_FLOAT_WIDTHS, {
        "arctan2", "atan2", "div", "divide", "isclose", "op_truediv", "true_divide",
    }),
    "binary_python_number": (PYTHON_NUMBER, {
        "F.soft_margin_loss", "arctan2", "atan2", "bitwise_and", "bitwise_or", "bitwise_xor",
        "clamp_hi", "clamp_lo", "clamp_max", "clamp_min", "eq", "fmod", "ge", "greater",
        "greater_equal", "gt", "isclose", "le", "lerp", "less", "less_equal", "logaddexp",
        "logical_and", "logical_or", "logical_xor", "lt", "max", "maximum", "min", "minimum",
        "ne", "not_equal", "op_pow", "pow", "remainder", "rsub", "where_gt", "xlogy",
    }),
    "dim_empty": (EMPTY, {
        "amax", "amin", "aminmax", "chunk_2", "diff", "diff_n2", "diff_n5", "index_select_0",
        "norm_inf", "prod", "prod_keep",
    }),
    "dim_extreme_values": (EXTREME_VALUES, {
        "diff_n5-float32", "diff_n5-float64", "norm_1-float32", "norm_1-float64",
        "norm_inf-float32", "norm_inf-float64", "std_mean-float32", "std_mean-float64",
        "topk_1-float32", "topk_1-float64", "var_mean-float32", "var_mean-float64",
    }),
    "dim_integer_and_bool": (INTEGER_AND_BOOL, {
        "chunk_2", "diff", "diff_n0", "diff_n2", "diff_n5", "flip", "index_select_none",
        "movedim", "narrow_0_0", "narrow_0_1", "roll", "scatter_add", "scatter_src",
        "scatter_value", "select_0", "split_1", "split_2", "std_mean", "swapaxes",
        "take_along_dim", "topk_0", "topk_1", "transpose_d0", "transpose_dd", "unbind",
        "unflatten", "var_mean",
    }),
    "dim_python_number": (PYTHON_NUMBER, {
        "F.cosine_similarity", "all", "amax", "amin", "aminmax", "any", "argmax", "argmin",
        "argsort", "chunk_2", "count_nonzero", "cumprod", "cumsum", "cumsum_f64", "diff",
        "diff_n0", "diff_n2", "diff_n5", "flatten", "flip", "gather_0", "index_select_0",
        "index_select_none", "log_softmax", "logsumexp", "max", "max_keep", "mean", "mean_keep",
        "min", "movedim", "narrow_0_0", "narrow_0_1", "prod", "prod_keep", "repeat_interleave",
        "roll", "scatter_add", "scatter_src", "scatter_value", "select_0", "softmax",
        "softmax_f64", "sort", "squeeze", "std", "std_mean", "sum", "sum_keep", "swapaxes",
        "take_along_dim", "topk_0", "topk_1", "transpose_d0", "transpose_dd", "unbind",
        "unsqueeze", "var", "var_mean",
        "nansum", "nanmean", "median", "nanmedian", "mode", "cummax", "cummin", "logcumsumexp",
        "kthvalue_1", "quantile", "nanquantile",
    }),
    "dim_size_one": (SIZE_ONE, {
        "diff_n2", "diff_n5",
    }),
    "dim_zero_d": (ZERO_D, {
        "argsort", "chunk_2", "diff", "diff_n0", "diff_n2", "diff_n5", "flip",
        "index_select_none", "movedim", "narrow_0_0", "narrow_0_1", "prod", "prod_keep", "roll",
        "scatter_add", "scatter_src", "scatter_value", "select_0", "split_1", "split_2",
        "swapaxes", "take_along_dim", "transpose_d0", "transpose_dd", "unbind", "unflatten",
    }),
    "unary_extreme_values": (EXTREME_VALUES, {
        "abs-float32", "abs-float64", "absolute-float32", "absolute-float64",
        "atan2_self-float32", "atan2_self-float64", "div_self-float32", "div_self-float64",
        "logaddexp_self-float32", "logaddexp_self-float64", "pow_half-float32", "pow_half-float64",
        "pow_neg_half-float32", "pow_neg_half-float64",
    }),
    "unary_integer_and_bool": (INTEGER_AND_BOOL, {
        "clamp", "logaddexp_self", "round_decimals", "rpow_2",
    }),
    "unary_python_number": (PYTHON_NUMBER, {
        "F.celu", "F.elu", "F.elu_alpha", "F.gelu", "F.gelu_tanh", "F.hardshrink",
        "F.hardsigmoid", "F.hardswish", "F.hardtanh", "F.hardtanh_bounds", "F.leaky_relu",
        "F.leaky_relu_slope", "F.logsigmoid", "F.mish", "F.relu", "F.relu6", "F.rrelu_eval",
        "F.selu", "F.silu", "F.softplus", "F.softplus_beta", "F.softshrink", "F.threshold", "abs",
        "absolute", "atan2_self", "bitwise_not", "ceil", "clamp", "clamp_max", "clamp_min",
        "clone", "cos", "erf", "exp", "exp2", "expm1", "fix", "floor", "fmod_1_5", "frac",
        "isfinite", "isinf", "isnan", "isneginf", "isposinf", "lerp_0", "log", "log10", "log1p",
        "log2", "logaddexp_self", "logical_not", "nan_to_num", "neg", "negative", "pow_0",
        "pow_1_5", "pow_2", "pow_3", "pow_half", "pow_neg1", "pow_neg2", "pow_neg_half",
        "reciprocal", "relu", "remainder_1_5", "round", "round_decimals", "rpow_2", "rpow_half",
        "rsqrt", "sigmoid", "sign", "sin", "sqrt", "square", "tan", "tanh", "trunc",
    }),
    "whole_degenerate_shapes": (DEGENERATE_SHAPES, {
        "prod", "prod_f64",
    }),
    "whole_extreme_values": (EXTREME_VALUES, {
        "prod-float32", "prod-float64", "prod_f64-float32", "prod_f64-float64",
        "std_mean-float32", "std_mean-float64", "var_mean-float32", "var_mean-float64",
    }),
    "whole_integer_and_bool": (INTEGER_AND_BOOL, {
        "std_mean", "trace", "var_mean",
    }),
    "whole_python_number": (PYTHON_NUMBER, {
        "all", "amax", "amin", "aminmax", "any", "argmax", "argmin", "argsort", "argwhere",
        "clone", "count_nonzero", "diag", "diagonal", "flatten", "flatten_0", "fliplr", "flipud",
        "max", "max_fn_dim0", "mean", "min", "msort", "nonzero", "prod", "prod_f64", "reshape_-1",
        "roll_flat", "sort", "squeeze", "std", "std_mean", "sum", "sum_f64", "t", "trace", "tril",
        "triu", "unique", "var", "var_mean",
        "nansum", "nanmean", "median", "nanmedian", "quantile", "logcumsumexp_0",
    }),
}
