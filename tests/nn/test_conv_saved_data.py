"""Convolutions' gradients after the input or weight changed through ``.data`` between forward
and backward. torch's ConvolutionBackward0 reads its saved input and weight, which share storage
with ``.data``: an in-place write there (no version bump, so no error) or a new ``.data`` moves
the other argument's gradient. Every kernel path is covered: im2col (stride > 1, a stem's few
channels), flat windows (stride 1), phase planes (a strided input gradient) and the transposed
convolutions' blocked and flat backwards."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt

CASES = {
    "conv1d": ("conv1d", (2, 3, 7), (4, 3, 3), dict(padding=1)),
    "conv1d_stem": ("conv1d", (2, 1, 7), (8, 1, 3), dict(padding=1)),
    "conv1d_s2": ("conv1d", (2, 3, 9), (4, 3, 3), dict(stride=2)),
    "conv2d": ("conv2d", (2, 3, 6, 6), (4, 3, 3, 3), dict(padding=1)),
    "conv2d_stem": ("conv2d", (2, 1, 6, 6), (16, 1, 3, 3), dict(padding=1)),
    "conv2d_s2": ("conv2d", (2, 3, 6, 6), (4, 3, 3, 3), dict(stride=2, padding=1)),
    "conv2d_groups": ("conv2d", (2, 4, 7, 7), (4, 2, 2, 2), dict(groups=2, dilation=2)),
    "conv2d_1x1_s2": ("conv2d", (2, 3, 6, 6), (5, 3, 1, 1), dict(stride=2)),
    "conv2d_unbatched": ("conv2d", (3, 6, 6), (4, 3, 3, 3), dict(padding=1)),
    "conv3d": ("conv3d", (1, 2, 4, 4, 4), (3, 2, 2, 2, 2), {}),
    "conv3d_s2": ("conv3d", (1, 2, 5, 5, 5), (3, 2, 2, 2, 2), dict(stride=2)),
    "conv_transpose1d": ("conv_transpose1d", (2, 3, 5), (3, 4, 3), {}),
    "conv_transpose2d": ("conv_transpose2d", (2, 3, 5, 5), (3, 4, 3, 3), {}),
    "conv_transpose2d_stem": ("conv_transpose2d", (2, 8, 5, 5), (8, 1, 3, 3), {}),
    "conv_transpose2d_s2": ("conv_transpose2d", (2, 3, 5, 5), (3, 4, 3, 3), dict(stride=2)),
    "conv_transpose2d_op": ("conv_transpose2d", (2, 3, 5, 5), (3, 4, 3, 3),
                            dict(output_padding=1, dilation=2)),
    "conv_transpose3d_s2": ("conv_transpose3d", (1, 2, 3, 3, 3), (2, 3, 2, 2, 2), dict(stride=2)),
}


def _grads(lib, case, change, target, dtype):
    name, x_shape, w_shape, kw = CASES[case]
    rng = np.random.default_rng(0)
    x = lib.tensor(rng.standard_normal(x_shape).astype(dtype), requires_grad=True)
    w = lib.tensor(rng.standard_normal(w_shape).astype(dtype), requires_grad=True)
    out = getattr(lib.nn.functional, name)(x, w, **kw)
    changed = x if target == "input" else w
    if change == "mul_":
        changed.data.mul_(2)
    elif change == "add_":
        changed.data.add_(1)
    else:
        changed.data = changed.detach() * 3
    out.backward(lib.ones_like(out))
    return x.grad.numpy(), w.grad.numpy()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("target", ["input", "weight"])
@pytest.mark.parametrize("change", ["mul_", "add_"])
@pytest.mark.parametrize("case", list(CASES))
def test_data_change_between_forward_and_backward(case, change, target, dtype):
    expected = _grads(torch, case, change, target, dtype)
    got = _grads(mt, case, change, target, dtype)
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)
    for e, g in zip(expected, got):
        np.testing.assert_allclose(g, e, **tol)
