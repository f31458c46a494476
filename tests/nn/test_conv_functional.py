"""F.conv1d/2d/3d, F.conv_transpose1d/2d/3d, F.unfold, F.fold against torch: values, input,
weight and bias gradients over a grid of options, and torch's errors for bad arguments."""
import itertools

import numpy as np
import pytest

from harness import FLOAT_DTYPES, check, check_raises, rand


def weight(*shape, dtype=np.float32, seed=0, fan_in=None):
    """Weights scaled like torch's default init (bound 1/sqrt(fan_in)), so outputs and gradients
    stay O(1) and float32 rounding stays within the harness tolerances without widening them."""
    fan_in = fan_in or int(np.prod(shape[1:]))
    return (rand(*shape, dtype=np.float64, seed=seed) / np.sqrt(fan_in)).astype(dtype)

CONV_CASES = [
    # (spatial shape, kernel, kwargs)
    ((7,), (3,), {}),
    ((8,), (3,), dict(stride=2, padding=1)),
    ((9,), (2,), dict(stride=3, padding=2, dilation=2)),
    ((6,), (4,), dict(padding="same")),
    ((6,), (3,), dict(padding="same", dilation=2)),
    ((6,), (3,), dict(padding="valid", stride=2)),
    ((7, 6), (3, 3), {}),
    ((7, 6), (3, 2), dict(stride=(2, 1), padding=(1, 0))),
    ((8, 8), (3, 3), dict(stride=2, padding=1, dilation=2)),
    ((5, 6), (2, 3), dict(padding="same")),
    ((5, 6), (4, 4), dict(padding="same", dilation=(1, 2))),
    ((6, 5), (3, 3), dict(padding="valid")),
    ((4, 4), (1, 1), dict(stride=3)),
    ((5, 5), (5, 5), dict(padding=[2])),
    ((4, 5, 4), (2, 3, 2), dict(stride=(1, 2, 1), padding=1)),
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("groups", [1, 2])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("spatial,kernel,kw", CONV_CASES)
def test_conv(spatial, kernel, kw, bias, groups, dtype):
    nd = len(spatial)
    x = rand(2, 4, *spatial, dtype=dtype, seed=1)
    w = weight(6, 4 // groups, *kernel, dtype=dtype, seed=2)
    b = rand(6, dtype=dtype, seed=3) if bias else None
    name = f"conv{nd}d"
    check(lambda T, x, w, b: getattr(T.nn.functional, name)(x, w, b, groups=groups, **kw),
          x, w, b)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("nd", [1, 2])
def test_conv_unbatched_and_noncontiguous(nd, dtype):
    x = rand(3, *(6,) * nd, dtype=dtype, seed=4)
    w = weight(5, 3, *(3,) * nd, dtype=dtype, seed=5)
    name = f"conv{nd}d"
    check(lambda T, x, w: getattr(T.nn.functional, name)(x, w, padding=1), x, w)
    x4 = rand(2, 3, *(6,) * nd, dtype=dtype, seed=6)
    check(lambda T, x, w: getattr(T.nn.functional, name)(x, w, stride=2), x4, w,
          layout="transposed")


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_conv_depthwise_and_empty_batch(dtype):
    x = rand(2, 3, 6, 6, dtype=dtype, seed=7)
    w = weight(6, 1, 3, 3, dtype=dtype, seed=8)
    check(lambda T, x, w: T.nn.functional.conv2d(x, w, groups=3, padding=1), x, w)
    x0 = rand(0, 3, 6, 6, dtype=dtype)
    check(lambda T, x, w: T.nn.functional.conv2d(x, w, groups=3), x0, w)


# Stride-1 convolutions take one of several flat-window forms by channel counts
# (nn/functional/conv.py): (C, O, groups, kernel, padding, dilation), each row picking a form
FLAT_WINDOW_CASES = [
    (16, 16, 1, (3, 3), 1, 1),        # weight gradient per offset, input gradient copied
    (16, 32, 1, (3, 3), 1, 1),        # both gradients per offset
    (4, 8, 1, (3, 3), 1, 1),          # weight gradient copied, input gradient per offset
    (8, 4, 1, (3, 3), 1, 1),          # both copied
    (32, 32, 2, (3, 3), 2, 2),        # groups of 16 channels, per offset, dilated
    (2, 32, 1, (3, 3), 1, 1),         # a 2-channel stem: im2col forward, flat input gradient
    (16, 16, 1, (1, 1), 0, 1),        # 1x1: the one tap as a view, no junk columns
    (4, 8, 1, (3, 2), (3, 2), 1),     # padding past the kernel's reach
    (16, 32, 1, (3, 3, 3), 1, 1),     # 3-D
    # rows that share their padding (conv_flat.flat_box): W + max(lo, hi) long
    (8, 8, 1, (4, 4), "same", 1),     # lo 1, hi 2: rows of W + 2
    (8, 8, 1, (3, 3), (1, 2), 1),     # lo = hi = the reach: rows of W + 2
    (8, 8, 1, (3, 3), 1, 2),          # dilated, padding below the reach: rows of W + 1
    (8, 8, 1, (1, 3), (0, 1), 1),     # one row per window: rows of W + 1
    (8, 8, 1, (3, 1), 1, 1),          # width-1 kernel padded past its reach: W + 2 kept
    (8, 8, 1, (3,), 1, 1),            # 1-D: one row per plane, W + 2 kept
    (8, 16, 1, (3, 3, 3), (1, 0, 2), 1),  # 3-D, only the last dim shared
    # the weight gradient read from the input gradient's copied columns of g (O < 2C)
    (8, 6, 1, (2, 3, 2), 1, 1),       # 3-D, uneven kernel (the flip of each axis)
    (12, 8, 4, (2, 3), (1, 0), (2, 1)),  # groups, uneven kernel, dilated
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("small_blocks", [False, True])
@pytest.mark.parametrize("c,o,groups,kernel,padding,dilation", FLAT_WINDOW_CASES)
def test_conv_flat_window_forms(c, o, groups, kernel, padding, dilation, small_blocks, dtype,
                                monkeypatch):
    from minitorch_ref.nn.functional import conv_flat
    if small_blocks:  # blocks of one sample: the loops' later blocks and remainders
        monkeypatch.setattr(conv_flat, "_BLOCK_BYTES", 1)
        monkeypatch.setattr(conv_flat, "_DX_BLOCK_BYTES", 1)
    nd = len(kernel)
    x = rand(3, c, *(6, 7, 5)[:nd], dtype=dtype, seed=7)
    w = weight(o, c // groups, *kernel, dtype=dtype, seed=8)
    b = rand(o, dtype=dtype, seed=9)
    name = f"conv{nd}d"
    # float32: dW sums x * g over 126-630 positions of 16-32 channels; where its terms cancel,
    # two summation orders (BLAS blockings) differ by more than the default atol (the im2col
    # kernel before the flat windows failed these rows alike)
    check(lambda T, x, w, b: getattr(T.nn.functional, name)(
        x, w, b, padding=padding, dilation=dilation, groups=groups), x, w, b,
        scale=10.0 if dtype == np.float32 else 1.0)


@pytest.mark.parametrize("value", [np.inf, np.nan])
def test_conv_flat_window_non_finite_input(value):
    """A junk column of the flat windows meets a zero of the output gradient: an inf or NaN of
    x there must not reach weight gradients that torch computes finite."""
    x = rand(2, 16, 6, 7, seed=10)
    x[0, 3, 2, 0] = value                       # read by the junk column of tap (., 2)
    x[1, 5, 4, 6] = value
    w = weight(16, 16, 3, 3, seed=11)
    check(lambda T, x, w: T.nn.functional.conv2d(x, w, padding=1), x, w)


# (C, O, spatial, kernel, padding, dilation): both flat-window input-gradient forms (O >= 2C:
# one GEMM per tap; else copied columns) and a one-channel stem (im2col forward)
FLAT_NON_FINITE_CASES = [
    (4, 4, (7, 6), (3, 3), 1, 1),
    (2, 8, (7, 6), (3, 3), 1, 1),
    (1, 4, (6, 6), (3, 3), 2, 2),
    (8, 2, (9,), (3,), 1, 1),
    (3, 6, (9,), (4,), 2, 2),
    (4, 4, (6, 5), (2, 3), 0, 1),
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("value", [np.inf, -np.inf, np.nan])
@pytest.mark.parametrize("c,o,spatial,kernel,padding,dilation", FLAT_NON_FINITE_CASES)
def test_conv_flat_window_non_finite_weight(c, o, spatial, kernel, padding, dilation, value,
                                            dtype):
    """An inf or NaN in w at stride 1: the input gradient is NaN or inf exactly where torch's
    is (col2im adds only the windows that exist; the flat windows would also multiply w by
    the zero padding of g, putting NaN on border positions torch computes finite, so a
    non-finite w takes col2im). float32 runs unpadded: torch's oneDNN forward leaves the
    padding out of its sums (no inf * 0 there), its reference kernel (float64) does not."""
    if dtype == np.float32:
        padding = 0
    nd = len(kernel)
    x = rand(2, c, *spatial, dtype=dtype, seed=30)
    w = weight(o, c, *kernel, dtype=dtype, seed=31)
    w.flat[[1, w.size // 2]] = value
    b = rand(o, dtype=dtype, seed=32)
    name = f"conv{nd}d"
    check(lambda T, x, w, b: getattr(T.nn.functional, name)(
        x, w, b, padding=padding, dilation=dilation), x, w, b)


def test_conv_flat_window_kept_buffers():
    """The flat windows' zero-padded buffers are kept per geometry and reused
    (conv_windows.zero_padded_rows): two convolutions of one geometry both run before either
    backward, and 1x1 convolutions (and a transposed one) whose padded x and g have the same
    geometry, must not read each other's values."""
    x = rand(2, 16, 6, 7, seed=12)
    w1, w2 = weight(16, 16, 3, 3, seed=13), weight(16, 16, 3, 3, seed=14)
    w3, w4 = weight(16, 16, 1, 1, seed=15), weight(16, 16, 1, 1, seed=16)

    def fn(T, x, w1, w2, w3, w4):
        F = T.nn.functional
        h = F.conv2d(x, w1, padding=1)
        h = F.conv2d(h * h, w2, padding=1)
        return F.conv_transpose2d(F.conv2d(h, w3) * h, w4)
    check(fn, x, w1, w2, w3, w4)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("write", ["data", "numpy"])
def test_conv_flat_window_weight_grad_reads_saved_input(write, dtype):
    """torch's node keeps its input, not a copy: a write to that storage after the forward that
    bumps no version counter (through ``.data`` or ``.numpy()``) shows in dL/dW. The flat
    windows pad the saved x again in the backward, so their dL/dW follows it too (a padded
    copy kept from the forward would not, even while no later forward has overwritten it).
    Two convolutions of one geometry, the second's input written after both forwards."""
    from harness import assert_close, make_tensor
    import torch
    import minitorch_ref as mt
    x = rand(2, 8, 6, 7, dtype=dtype, seed=21)
    w1, w2 = weight(8, 8, 3, 3, dtype=dtype, seed=22), weight(8, 8, 3, 3, dtype=dtype, seed=23)
    grads = {}
    for T in (torch, mt):
        xt, w1t, w2t = (make_tensor(T, a, requires_grad=True) for a in (x, w1, w2))
        h = T.nn.functional.conv2d(xt, w1t, padding=1).tanh()
        y = T.nn.functional.conv2d(h, w2t, padding=1)
        if write == "data":
            h.data.mul_(2.0)
        else:
            h.detach().numpy()[...] *= 2.0
        y.sum().backward()
        grads[T] = w2t.grad
    assert_close(grads[mt], grads[torch], "dL/dW")


# Strided convolutions take their input gradient through the phase split
# (nn/functional/conv_phases.py): (C, O, groups, kernel, stride, padding, dilation, spatial)
PHASE_CASES = [
    (4, 6, 1, (3, 3), 2, 1, 1, (9, 11)),            # odd sizes, padding
    (4, 6, 2, (3, 3), 2, 0, 1, (10, 7)),            # groups, no padding
    (3, 5, 1, (5, 5), 3, 2, 2, (13, 12)),           # stride 3, dilated
    (4, 4, 1, (2, 3), (2, 3), (1, 0), 1, (7, 8)),   # per-dim stride, an even kernel
    (2, 4, 1, (2, 2), 3, 0, 1, (8, 8)),             # kernel below stride: untouched phases
    (4, 6, 1, (3,), 2, 1, 1, (17,)),                # 1-D
    (4, 4, 1, (3, 3, 3), 2, 1, 1, (5, 6, 7)),       # 3-D
    (4, 6, 1, (1, 1), 2, 0, 1, (7, 7)),             # 1x1: col2im kept
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("small_blocks", [False, True])
@pytest.mark.parametrize("c,o,groups,kernel,stride,padding,dilation,spatial", PHASE_CASES)
def test_conv_phase_forms(c, o, groups, kernel, stride, padding, dilation, spatial,
                          small_blocks, dtype, monkeypatch):
    from minitorch_ref.nn.functional import conv_phases
    if small_blocks:  # blocks of one sample: the loop's later blocks and remainders
        monkeypatch.setattr(conv_phases, "_PHASE_BLOCK_BYTES", 1)
    nd = len(kernel)
    x = rand(3, c, *spatial, dtype=dtype, seed=12)
    w = weight(o, c // groups, *kernel, dtype=dtype, seed=13)
    b = rand(o, dtype=dtype, seed=14)
    name = f"conv{nd}d"
    check(lambda T, x, w, b: getattr(T.nn.functional, name)(
        x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups), x, w, b)


# Convolutions that copy strided windows (stride > 1, or a stem of few channels at stride 1)
# build im2col's columns per block of samples (nn/functional/conv_blocks.py), forward and
# weight gradient, from a padded copy of x kept between calls
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("block", [None, 1, 2])
@pytest.mark.parametrize("c,o,groups,kernel,stride,padding,dilation,spatial",
                         PHASE_CASES + [(1, 16, 1, (3, 3), 1, 1, 1, (6, 7)),   # stem
                                        (2, 16, 2, (2, 3), 1, (1, 0), 2, (7, 6))])
def test_conv_column_blocks(c, o, groups, kernel, stride, padding, dilation, spatial, block,
                            dtype, monkeypatch):
    from minitorch_ref.nn.functional import conv_blocks
    if block is not None:  # blocks of 1 or 2 of the 3 samples: later blocks and a remainder
        monkeypatch.setattr(conv_blocks, "block_samples", lambda row_bytes, n: min(n, block))
    nd = len(kernel)
    name = f"conv{nd}d"
    for seed in (15, 18):  # the second call reuses the first one's padded buffer
        x = rand(3, c, *spatial, dtype=dtype, seed=seed)
        w = weight(o, c // groups, *kernel, dtype=dtype, seed=seed + 1)
        b = rand(o, dtype=dtype, seed=seed + 2)
        check(lambda T, x, w, b: getattr(T.nn.functional, name)(
            x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups), x, w, b)


@pytest.mark.parametrize("where", ["x", "g", "w"])
@pytest.mark.parametrize("value", [np.inf, np.nan])
def test_conv_phase_non_finite(where, value):
    """inf/NaN in x, in the output gradient (through a product with m) and in w. The phase
    split's junk columns are zeros of the padded output gradient: an inf of w there would put
    a NaN on an input position torch computes finite (x[..., 6] below: tap (1, 0) never reads
    it, the junk column after output column 2 adds onto it), so a non-finite w takes col2im.
    (Unpadded there: with zero padding both libraries' forwards differ at inf * 0.)"""
    pad = 0 if where == "w" else 1
    x = rand(2, 4, 7, 8, seed=15)
    w = weight(6, 4, 3, 3, seed=16)
    m = rand(2, 6, 3 + pad, 3 + pad, seed=17)
    if where == "x":
        x[0, 1, 3, 5] = value
    elif where == "g":
        m[1, 2, 1, 2] = value
    else:
        w[2, 1, 1, 0] = value
    check(lambda T, x, w, m: T.nn.functional.conv2d(x, w, stride=2, padding=pad) * m, x, w, m)


def test_conv_grad_fn_name():
    check(lambda T, x, w: T.nn.functional.conv2d(x, w), rand(1, 2, 4, 4), rand(3, 2, 2, 2),
          grad_fn_name=True)


TRANSPOSE_CASES = [
    ((5,), (3,), {}),
    ((5,), (3,), dict(stride=2, padding=1, output_padding=1)),
    ((4,), (2,), dict(stride=3, padding=2, dilation=2, output_padding=2)),
    ((4,), (3,), dict(stride=1, dilation=3, output_padding=2)),
    ((4, 5), (3, 3), {}),
    ((4, 5), (3, 2), dict(stride=(2, 3), padding=(1, 0), output_padding=(1, 2))),
    ((3, 4), (3, 3), dict(stride=2, padding=1, dilation=2, output_padding=1)),
    ((3, 3), (1, 1), dict(stride=2)),
    ((3, 4, 3), (2, 2, 3), dict(stride=2, padding=(0, 1, 1), output_padding=(1, 0, 1))),
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("groups", [1, 2])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("spatial,kernel,kw", TRANSPOSE_CASES)
def test_conv_transpose(spatial, kernel, kw, bias, groups, dtype):
    nd = len(spatial)
    x = rand(2, 4, *spatial, dtype=dtype, seed=1)
    w = weight(4, 6 // groups, *kernel, dtype=dtype, seed=2)
    b = rand(6, dtype=dtype, seed=3) if bias else None
    name = f"conv_transpose{nd}d"
    check(lambda T, x, w, b: getattr(T.nn.functional, name)(x, w, b, groups=groups, **kw),
          x, w, b)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("spatial,kernel,kw", TRANSPOSE_CASES)
def test_conv_transpose_small_blocks(spatial, kernel, kw, dtype, monkeypatch):
    """Blocks of one sample: the forward's phase split (conv_phases) and the backward's
    blocked columns run their later blocks and remainders."""
    from minitorch_ref.nn.functional import conv_flat, conv_phases
    monkeypatch.setattr(conv_phases, "_PHASE_BLOCK_BYTES", 1)
    monkeypatch.setattr(conv_flat, "_BLOCK_BYTES", 1)
    nd = len(spatial)
    x = rand(3, 4, *spatial, dtype=dtype, seed=18)
    w = weight(4, 3, *kernel, dtype=dtype, seed=19)
    b = rand(6, dtype=dtype, seed=20)
    name = f"conv_transpose{nd}d"
    check(lambda T, x, w, b: getattr(T.nn.functional, name)(x, w, b, groups=2, **kw), x, w, b)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("c,o", [(16, 32), (32, 16), (4, 8), (16, 1)])
def test_conv_transpose_flat_forms(c, o, dtype, monkeypatch):
    """Stride 1: the backward is a flat-window convolution of g (``c`` output, ``o`` input
    channels) and its weight gradient: per offset with 16-32 and 16+ channels ((16, 32),
    (32, 16)), copied columns for (4, 8); a stem ratio (16, 1) (9 columns per 16 outputs)
    takes the im2col blocks. Blocks of one sample, so later blocks and remainders run."""
    from minitorch_ref.nn.functional import conv_flat
    monkeypatch.setattr(conv_flat, "_BLOCK_BYTES", 1)
    monkeypatch.setattr(conv_flat, "_DX_BLOCK_BYTES", 1)
    x = rand(3, c, 5, 6, dtype=dtype, seed=24)
    w = weight(c, o, 3, 3, dtype=dtype, seed=25)
    # float32: dW sums x * g over 90 positions of 16-32 channels (as in the flat-window rows)
    check(lambda T, x, w: T.nn.functional.conv_transpose2d(x, w, padding=1), x, w,
          scale=10.0 if dtype == np.float32 else 1.0)


@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("where", ["x", "g", "w"])
@pytest.mark.parametrize("value", [np.inf, np.nan])
def test_conv_transpose_non_finite(where, value, stride):
    """inf/NaN in x, in the output gradient (through a product with m) and in w: the phase
    split's junk columns are zeros of x's wide grid, so a non-finite w takes col2im. With a
    non-finite x or w only the forward is compared: the backward's im2col of the padded g
    multiplies the padding's zeros by it (NaN where torch has a number; the same before the
    phase split). Unpadded for w: the junk column after x's last column then adds onto the
    output's last column, which tap (., 0) never reaches. float64: torch's reference kernel
    (its float32 oneDNN kernel puts NaN there itself). Stride 1: the flat-window weight
    gradient's junk columns read g's last column (an inf there: recomputed by im2col)."""
    pad = 0 if where == "w" else 1
    x = rand(2, 4, 4, 5, dtype=np.float64, seed=21)
    w = weight(4, 3, 3, 3, dtype=np.float64, seed=22)
    size = [(s - 1) * stride + 3 - 2 * pad for s in (4, 5)]
    m = rand(2, 3, *size, dtype=np.float64, seed=23)
    if where == "x":
        x[0, 1, 3, 4] = value
    elif where == "g":
        m[1, 2, size[0] - 1, size[1] - 1] = value
        m[0, 1, 1, 0] = value
    else:
        w[2, 1, 1, 0] = value
    check(lambda T, x, w, m: T.nn.functional.conv_transpose2d(
        x, w, stride=stride, padding=pad) * m, x, w, m, grad=where == "g")


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("nd", [1, 2])
def test_conv_transpose_unbatched(nd, dtype):
    x = rand(3, *(4,) * nd, dtype=dtype, seed=4)
    w = weight(3, 2, *(3,) * nd, dtype=dtype, seed=5)
    name = f"conv_transpose{nd}d"
    check(lambda T, x, w: getattr(T.nn.functional, name)(x, w, stride=2), x, w)


def test_conv_integer_dtype():
    x = np.arange(2 * 3 * 5 * 5).reshape(2, 3, 5, 5) % 7
    w = np.arange(4 * 3 * 2 * 2).reshape(4, 3, 2, 2) % 5 - 2
    check(lambda T, x, w: T.nn.functional.conv2d(x, w, stride=2, padding=1), x, w)


# -- unfold / fold ---------------------------------------------------------------------------------

UNFOLD_CASES = [
    dict(kernel_size=3),
    dict(kernel_size=(2, 3), stride=(2, 1)),
    dict(kernel_size=2, dilation=2, padding=1, stride=2),
    dict(kernel_size=(3, 1), padding=(1, 0)),
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("kw", UNFOLD_CASES)
@pytest.mark.parametrize("batched", [True, False])
def test_unfold_fold(kw, batched, dtype):
    shape = (2, 3, 6, 5) if batched else (3, 6, 5)
    x = rand(*shape, dtype=dtype, seed=1)
    out, _ = check(lambda T, x: T.nn.functional.unfold(x, **kw), x)
    cols = rand(*out.shape, dtype=dtype, seed=2)
    check(lambda T, c: T.nn.functional.fold(c, (6, 5), **kw), cols)


def test_unfold_fold_grad_fn_names():
    check(lambda T, x: T.nn.functional.unfold(x, 2), rand(1, 2, 3, 3), grad_fn_name=True)
    check(lambda T, x: T.nn.functional.fold(x, (3, 3), 2), rand(1, 8, 4), grad_fn_name=True)


# -- errors ----------------------------------------------------------------------------------------

CONV_ERRORS = [
    ("conv2d", (2, 4, 5, 5), (8, 3, 3, 3), {}),
    ("conv2d", (2, 3, 2, 2), (8, 3, 3, 3), {}),
    ("conv2d", (2, 3, 4, 4), (8, 3, 3, 3), dict(dilation=2, padding=(1, 0))),
    ("conv2d", (2, 3), (8, 3, 3, 3), {}),
    ("conv2d", (2, 3, 4, 4, 4), (8, 3, 3, 3), {}),
    ("conv2d", (4, 5, 5), (8, 3, 3, 3), {}),
    ("conv2d", (2, 3, 5, 5), (8, 3, 3, 3), dict(padding="foo")),
    ("conv2d", (2, 3, 5, 5), (8, 3, 3, 3), dict(padding="same", stride=2)),
    ("conv2d", (2, 3, 5, 5), (8, 3, 3, 3), dict(padding=-1)),
    ("conv2d", (2, 3, 5, 5), (8, 3, 3, 3), dict(stride=0)),
    ("conv2d", (2, 3, 5, 5), (8, 3, 3, 3), dict(stride=(1, 0))),
    ("conv2d", (2, 3, 5, 5), (8, 3, 3, 3), dict(dilation=0)),
    ("conv2d", (2, 3, 5, 5), (8, 3, 3, 3), dict(groups=0)),
    ("conv2d", (2, 3, 5, 5), (8, 3, 3, 3), dict(groups=3)),
    ("conv2d", (2, 6, 5, 5), (8, 3, 3, 3), dict(groups=3)),
    ("conv2d", (2, 3, 5, 5), (0, 3, 3, 3), {}),
    ("conv2d", (2, 3, 5, 5), (8, 3, 3), {}),
    ("conv2d", (2, 3, 5, 5), (8, 3, 3, 3, 3), {}),
    ("conv2d", (2, 3, 5, 5), (8, 3, 3, 3), dict(stride=(1, 1, 1))),
    ("conv2d", (2, 3, 5, 5), (8, 3, 3, 3), dict(padding=(1, 1, 1))),
    ("conv1d", (2, 4, 5), (8, 3, 3), {}),
    ("conv1d", (2, 3, 2), (8, 3, 3), {}),
    ("conv1d", (2, 3, 4), (8, 3, 3), dict(dilation=2)),
    ("conv1d", (2, 3, 2, 3), (8, 3, 3), {}),
    ("conv1d", (3,), (8, 3, 3), {}),
    ("conv_transpose2d", (2, 4, 5, 5), (3, 8, 3, 3), {}),
    ("conv_transpose2d", (2, 3, 5, 5), (3, 8, 3, 3), dict(output_padding=1)),
    ("conv_transpose2d", (2, 3, 5, 5), (3, 8, 3, 3), dict(stride=2, output_padding=2)),
    ("conv_transpose2d", (2, 3, 5, 5), (3, 8, 3, 3), dict(padding="same")),
    ("conv_transpose2d", (2, 3, 5, 5), (3, 8, 3, 3), dict(padding=-1)),
    ("conv_transpose2d", (2, 3, 5, 5), (3, 8, 3, 3), dict(output_padding=-1)),
    ("conv_transpose2d", (2, 3, 5, 5), (3, 8, 3, 3), dict(groups=2)),
    ("conv_transpose2d", (2, 4, 5, 5, 5), (4, 8, 3, 3), {}),
    ("conv_transpose2d", (2, 4, 5), (4, 8, 3, 3), {}),
    ("conv_transpose2d", (2, 3, 5, 5), (3, 8, 3, 3), dict(output_padding=(1, 1, 1))),
    ("conv_transpose1d", (2, 3), (3, 8, 3), {}),
    ("conv_transpose1d", (2, 3, 4), (3, 8, 3), dict(output_padding=1)),
]


@pytest.mark.parametrize("name,xs,ws,kw", CONV_ERRORS)
def test_conv_errors(name, xs, ws, kw):
    check_raises(lambda T, x, w: getattr(T.nn.functional, name)(x, w, **kw),
                 rand(*xs), rand(*ws))  # float32: the dtype torch users run; messages from
    # torch's float64 kernels differ for a few cases (dilation=0)


def test_conv_transposed_output_too_small():
    # float64: torch's float32 path reports a oneDNN descriptor error instead
    check_raises(lambda T, x, w: T.nn.functional.conv_transpose2d(x, w, padding=5),
                 rand(2, 3, 5, 5, dtype=np.float64), rand(3, 8, 3, 3, dtype=np.float64))
    check_raises(lambda T, x, w: T.nn.functional.conv_transpose1d(x, w, padding=4),
                 rand(2, 3, 4, dtype=np.float64), rand(3, 8, 3, dtype=np.float64))


@pytest.mark.parametrize("name,ws,bs", [("conv2d", (8, 3, 3, 3), (3,)),
                                        ("conv2d", (8, 3, 3, 3), (3, 3)),
                                        ("conv_transpose2d", (3, 4, 3, 3), (8,))])
def test_bias_shape_errors(name, ws, bs):
    check_raises(lambda T, x, w, b: getattr(T.nn.functional, name)(x, w, b),
                 rand(2, 3, 5, 5), rand(*ws), rand(*bs))


@pytest.mark.parametrize("xd,wd,bd", [(np.float32, np.float64, None),
                                      (np.float64, np.float32, None),
                                      (np.float32, np.float32, np.float64),
                                      (np.float64, np.float64, np.float32)])
def test_dtype_mismatch(xd, wd, bd):
    # small shapes: torch's reference kernels (oneDNN, used for larger float32 problems, words
    # these errors differently)
    b = None if bd is None else rand(3, dtype=bd)
    check_raises(lambda T, x, w, b: T.nn.functional.conv2d(x, w, b),
                 rand(1, 3, 4, 4, dtype=xd), rand(3, 3, 2, 2, dtype=wd), b)
    if bd is None:
        check_raises(lambda T, x, w: T.nn.functional.conv_transpose2d(x, w),
                     rand(1, 3, 4, 4, dtype=xd), rand(3, 3, 2, 2, dtype=wd))


@pytest.mark.parametrize("xd,bd", [(np.float32, np.float64), (np.float64, np.float32)])
def test_conv_transpose_casts_bias(xd, bd):
    # A float64 bias on a float32 problem gets a float32 sum cast up: compare it at float32's
    # tolerance (scale = float32's rtol / float64's).
    check(lambda T, x, w, b: T.nn.functional.conv_transpose2d(x, w, b),
          rand(1, 3, 4, 4, dtype=xd), weight(3, 3, 2, 2, dtype=xd), rand(3, dtype=bd),
          scale=1e5 if bd == np.float64 else 1.0)


UNFOLD_ERRORS = [
    ("unfold", (2, 3, 5, 5, 5), dict(kernel_size=3)),
    ("unfold", (2, 3, 2, 2), dict(kernel_size=3)),
    ("unfold", (2, 3, 5, 5), dict(kernel_size=(3, 3, 3))),
    ("unfold", (2, 3, 5, 5), dict(kernel_size=0)),
    ("unfold", (2, 3, 5, 5), dict(kernel_size=3, stride=0)),
    ("unfold", (2, 3, 5, 5), dict(kernel_size=3, padding=-1)),
    ("unfold", (2, 3, 5, 5), dict(kernel_size=3, dilation=0)),
    ("unfold", (2, 0, 5, 5), dict(kernel_size=3)),
    ("fold", (2, 27, 8), dict(output_size=(5, 5), kernel_size=3)),
    ("fold", (2, 26, 9), dict(output_size=(5, 5), kernel_size=3)),
    ("fold", (2, 27, 9, 1), dict(output_size=(5, 5), kernel_size=3)),
    ("fold", (2, 27, 9), dict(output_size=(5, 5, 5), kernel_size=3)),
    ("fold", (2, 27, 1), dict(output_size=(2, 2), kernel_size=3)),
    ("fold", (2, 27, 9), dict(output_size=(5, 5), kernel_size=3, stride=0)),
]


@pytest.mark.parametrize("name,xs,kw", UNFOLD_ERRORS)
def test_unfold_fold_errors(name, xs, kw):
    check_raises(lambda T, x: getattr(T.nn.functional, name)(x, **kw), rand(*xs))
