"""F.affine_grid and F.grid_sample against torch: values, input and grid gradients for every
mode x padding mode x align_corners, theta gradients; torch's errors and warnings."""
import numpy as np
import pytest

from harness import FLOAT_DTYPES, check, check_raises, rand


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("align", [False, True])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
def test_grid_sample(mode, padding_mode, align, dtype):
    x = rand(2, 3, 5, 6, dtype=dtype, seed=1)
    # points inside, on and well outside the image
    grid = rand(2, 4, 7, 2, dtype=dtype, seed=2, low=-1.6, high=1.6)
    check(lambda T, x, g: T.nn.functional.grid_sample(x, g, mode, padding_mode, align), x, grid)


@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
def test_grid_sample_affine_pipeline(padding_mode):
    """Rotation + scale + shift of an image, as a data-augmentation transform does it; the
    gradient reaches theta through the grid."""
    a = 0.3
    theta = np.array([[[np.cos(a) * 1.1, -np.sin(a), 0.1], [np.sin(a), np.cos(a), -0.2]],
                      [[0.8, 0.1, 0.0], [0.0, 1.3, 0.05]]])
    x = rand(2, 3, 6, 5, dtype=np.float64)
    for align in (False, True):
        check(lambda T, x, th: T.nn.functional.grid_sample(
            x, T.nn.functional.affine_grid(th, [2, 3, 8, 7], align), "bilinear", padding_mode,
            align), x, theta)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("align", [False, True])
@pytest.mark.parametrize("size", [[2, 3, 4, 5], [2, 1, 1, 3], [2, 3, 2, 4, 3]])
def test_affine_grid(size, align, dtype):
    theta = rand(2, len(size) - 2, len(size) - 1, dtype=dtype)
    check(lambda T, th: T.nn.functional.affine_grid(th, size, align), theta)


def test_grid_sample_single_pixel_and_nonfinite():
    x = rand(1, 2, 1, 1, dtype=np.float64)
    g = rand(1, 3, 3, 2, dtype=np.float64, low=-2, high=2)
    for pm in ("zeros", "border", "reflection"):
        for align in (False, True):
            check(lambda T, x, g: T.nn.functional.grid_sample(x, g, "bilinear", pm, align), x, g)
    x = rand(1, 1, 4, 4, dtype=np.float64)
    x[0, 0, 3, 3] = np.inf  # only samples next to that pixel may see it
    g = rand(1, 2, 2, 2, dtype=np.float64, low=-0.9, high=0.2)
    check(lambda T, x, g: T.nn.functional.grid_sample(x, g, align_corners=False), x, g,
          grad=False)


def test_default_align_corners_warns():
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        check(lambda T, x, g: T.nn.functional.grid_sample(x, g), rand(1, 1, 3, 3),
              rand(1, 2, 2, 2))
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        check(lambda T, th: T.nn.functional.affine_grid(th, [1, 1, 2, 2]), rand(1, 2, 3))


GRID_ERRORS = [
    ((1, 2, 3, 3), (1, 2, 2, 2), dict(mode="foo")),
    ((1, 2, 3, 3), (1, 2, 2, 2), dict(padding_mode="foo")),
    ((2, 2, 3, 3), (1, 2, 2, 2), {}),
    ((1, 2, 3, 3), (1, 2, 2, 3), {}),
    ((1, 2, 0, 3), (1, 2, 2, 2), {}),
    ((1, 2, 3), (1, 2, 1), {}),
]


@pytest.mark.parametrize("xs,gs,kw", GRID_ERRORS)
def test_grid_sample_errors(xs, gs, kw):
    check_raises(lambda T, x, g: T.nn.functional.grid_sample(x, g, align_corners=False, **kw),
                 rand(*xs), rand(*gs))


@pytest.mark.parametrize("ts,size", [((1, 2, 3), [1, 1, 2]), ((1, 3, 3), [1, 1, 2, 2]),
                                     ((1, 2, 3), [1, 1, 2, 2, 2]), ((1, 2, 3), [1, 1, 0, 2])])
def test_affine_grid_errors(ts, size):
    check_raises(lambda T, th: T.nn.functional.affine_grid(th, size, False), rand(*ts))


def test_affine_grid_integer_theta():
    check_raises(lambda T, th: T.nn.functional.affine_grid(th, [1, 1, 2, 2], False),
                 np.zeros((1, 2, 3), dtype=np.int64))
