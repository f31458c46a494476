"""F.pad against torch: every mode, positive and negative pads, 1-3 padded dims, batched and
unbatched, values and gradients; torch's errors."""
import numpy as np
import pytest

from harness import FLOAT_DTYPES, check, check_raises, rand

PADS = {
    1: [(1, 2), (0, 3), (-1, 2), (2, -3), (-1, -1), (4, 4)],
    2: [(1, 1, 2, 0), (0, 2, -1, 3), (-2, 1, 1, -1), (3, 3, 3, 3)],
    3: [(1, 0, 0, 2, 1, 1), (-1, 1, 2, 0, 0, -1)],
}


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("nd,pad", [(nd, p) for nd, ps in PADS.items() for p in ps])
@pytest.mark.parametrize("batched", [True, False])
def test_pad(nd, pad, mode, batched, dtype):
    spatial = (5, 6, 4)[:nd]
    shape = ((2, 3) if batched else (3,)) + spatial
    if mode == "reflect" and any(p >= s for p, s in zip(pad[::-1], np.repeat(spatial, 2))):
        pytest.skip("reflect needs pads smaller than the dim")
    x = rand(*shape, dtype=dtype)
    check(lambda T, x: T.nn.functional.pad(x, pad, mode), x)


@pytest.mark.parametrize("value", [None, 0.0, 2.5, -np.inf])
def test_constant_pad_value_and_dims(value):
    x = rand(2, 3, 4)
    check(lambda T, x: T.nn.functional.pad(x, (1, 2), value=value), x)
    check(lambda T, x: T.nn.functional.pad(x, (1, 2, 0, 1, 2, -1), value=value), x)
    check(lambda T, x: T.nn.functional.pad(x, (1, 1), value=value), x, layout="transposed")
    check(lambda T, x: T.nn.functional.pad(x, (-2, -2)), x)
    check(lambda T, x: T.nn.functional.pad(x, ()), x)


def test_pad_int_and_empty_batch():
    xi = np.arange(24).reshape(2, 3, 4)
    for mode in ("constant", "reflect", "replicate", "circular"):
        check(lambda T, x: T.nn.functional.pad(x, (1, 2), mode), xi)
        check(lambda T, x: T.nn.functional.pad(x, (1, 2), mode), rand(0, 3, 4))


def test_pad_grad_fn_names():
    for mode in ("constant", "reflect", "replicate"):
        check(lambda T, x: T.nn.functional.pad(x, (1, 1, 1, 1), mode), rand(1, 2, 3, 3),
              grad_fn_name=True)


PAD_ERRORS = [
    ((2, 3, 5), (1, 2, 3), "constant"),
    ((2, 3, 5), (1, 1, 1, 1, 1, 1, 1, 1), "constant"),
    ((2, 3, 5), (-3, -3), "constant"),
    ((2, 3, 5), (1, 1), "foo"),
    ((2, 3, 4, 5), (1, 2), "reflect"),
    ((2, 3, 4, 5), (1, 2, 2, 1, 1, 1, 1, 1), "replicate"),
    ((5,), (1, 1), "circular"),
    ((2, 3, 5), (5, 0), "reflect"),
    ((2, 3, 4, 5), (1, 1, 4, 0), "reflect"),
    ((2, 3, 4, 5), (5, 1, 0, 0), "reflect"),
    ((2, 3, 5), (-5, 0), "reflect"),
    ((2, 3, 5), (-3, -3), "replicate"),
    ((2, 3, 4, 5), (-6, 0, -5, 0), "reflect"),
    ((2, 3, 4, 5), (-6, 0, -5, 0), "replicate"),
    ((2, 3, 4, 5), (-6, 0, 0, 0), "replicate"),
    ((2, 3, 5), (6, 0), "circular"),
    ((2, 3, 5), (-3, -3), "circular"),
    ((2, 0, 4), (1, 1), "reflect"),
    ((3, 0), (1, 1), "replicate"),
]


@pytest.mark.parametrize("shape,pad,mode", PAD_ERRORS)
def test_pad_errors(shape, pad, mode):
    check_raises(lambda T, x: T.nn.functional.pad(x, pad, mode), rand(*shape))


def test_pad_value_with_other_mode_and_bad_pad_type():
    check_raises(lambda T, x: T.nn.functional.pad(x, (1, 1), "reflect", value=2.0), rand(2, 3, 4))
    check_raises(lambda T, x: T.nn.functional.pad(x, (1.5, 1)), rand(2, 3, 4))


@pytest.mark.parametrize("n,pad", [(1, (-1, 0)), (2, (1, -2)), (3, (-2, -1)), (2, (-1, -1)),
                                   (1, (1, -2)), (2, (1, -3)), (3, (-4, 1)), (2, (3, -4))])
def test_constant_pad_crops_to_empty_or_raises(n, pad):
    """torch narrows by the negative pads first: an empty result is fine, an impossible crop is
    an error (its 'narrow()' message)."""
    x = rand(2, n, dtype=np.float64)
    if n + min(pad[0], 0) + min(pad[1], 0) < 0:
        check_raises(lambda T, x: T.nn.functional.pad(x, pad), x)
    else:
        check(lambda T, x: T.nn.functional.pad(x, pad), x, grad=n + sum(pad) > 0)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("nd", [1, 2, 3])
def test_pad_grad_fn_name(nd, mode):
    """torch names the node by the padded dims: ReflectionPad1DBackward0 ... 3D; circular
    padding is slice assignments (CopySlices)."""
    x = rand(1, 2, *(4,) * nd, dtype=np.float64)
    check(lambda T, x: T.nn.functional.pad(x, (1, 2) * nd, mode=mode), x, grad_fn_name=True)
