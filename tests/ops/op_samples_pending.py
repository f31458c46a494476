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
    "binary_python_number": (PYTHON_NUMBER, {
        "xlogy",
    }),
    "dim_extreme_values": (EXTREME_VALUES, {
        "topk_1-float32", "topk_1-float64",
    }),
    "dim_integer_and_bool": (INTEGER_AND_BOOL, {
        "std_mean", "var_mean",
    }),
    "dim_python_number": (PYTHON_NUMBER, {
        "max_keep", "tensor_split_2",  # an argument given at its default is not in "got (...)"
    }),
    "whole_integer_and_bool": (INTEGER_AND_BOOL, {
        "std_mean", "var_mean",
    }),
}
