"""transforms.functional against oracles written with torch core ops (torchvision is not
installed): ``affine_grid`` + ``grid_sample`` with the inverse affine matrix derived below,
``F.interpolate`` for resizing, ``F.pad`` for padding, the published color formulas, and
Python's ``colorsys`` for hue."""
import colorsys

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import minitorch_ref as mt
from minitorch_ref.transforms import functional as F
from harness import assert_close
from _oracles import gray, torch_affine, torch_rotate

SHAPES = [(3, 8, 11), (2, 3, 7, 6), (1, 5, 5), (2, 2, 1, 4, 9)]


def _img(shape, dtype=np.float32, seed=0):
    return np.random.default_rng(seed).random(shape).astype(dtype)


def _ours(fn, arr, *args, **kwargs):
    return fn(mt.tensor(arr), *args, **kwargs)


# ==================================================================================================
# Flips, crops, padding
# ==================================================================================================

@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.uint8])
def test_flips(shape, dtype):
    x = (_img(shape) * 100).astype(dtype)
    assert_close(_ours(F.hflip, x), torch.tensor(x).flip(-1))
    assert_close(_ours(F.vflip, x), torch.tensor(x).flip(-2))
    assert_close(_ours(F.horizontal_flip, x), torch.tensor(x).flip(-1))


@pytest.mark.parametrize("box", [(0, 0, 4, 5), (2, 3, 3, 3), (-2, 1, 5, 4), (6, 9, 5, 5),
                                 (-1, -1, 12, 15)])
def test_crop_inside_and_outside(box):
    x = _img((2, 3, 8, 11))
    top, left, h, w = box
    # oracle: zero-pad generously, then slice
    padded = TF.pad(torch.tensor(x), (20, 20, 20, 20))
    expected = padded[..., top + 20:top + 20 + h, left + 20:left + 20 + w]
    assert_close(_ours(F.crop, x, top, left, h, w), expected)


@pytest.mark.parametrize("size", [4, (3, 5), [6], (8, 11), (10, 13), (9, 4), (11, 12)])
def test_center_crop(size):
    x = _img((3, 8, 11))
    ch, cw = (size, size) if isinstance(size, int) else (size * 2 if len(size) == 1 else size)
    # oracle: the crop window centred with round((H - h) / 2), zero padding where it leaves
    top, left = int(round((8 - ch) / 2.0)), int(round((11 - cw) / 2.0))
    if ch > 8 or cw > 11:
        pl, pt = max((cw - 11) // 2, 0), max((ch - 8) // 2, 0)
        padded = TF.pad(torch.tensor(x), (pl, max((cw - 11 + 1) // 2, 0),
                                          pt, max((ch - 8 + 1) // 2, 0)))
        ph, pw = padded.shape[-2:]
        top, left = int(round((ph - ch) / 2.0)), int(round((pw - cw) / 2.0))
        expected = padded[..., top:top + ch, left:left + cw]
    else:
        expected = torch.tensor(x)[..., top:top + ch, left:left + cw]
    assert_close(_ours(F.center_crop, x, size), expected)


@pytest.mark.parametrize("padding,lrtb", [(2, (2, 2, 2, 2)), ([1, 3], (1, 1, 3, 3)),
                                          ([1, 2, 3, 0], (1, 3, 2, 0)), ([2], (2, 2, 2, 2))])
@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric"])
def test_pad_modes(padding, lrtb, mode):
    x = _img((2, 3, 5, 6))
    ours = _ours(F.pad, x, padding, fill=0.5 if mode == "constant" else None, padding_mode=mode)
    if mode == "symmetric":  # torch has no symmetric mode: NumPy's is the definition
        l, r, t, b = lrtb
        expected = torch.tensor(np.pad(x, [(0, 0), (0, 0), (t, b), (l, r)], mode="symmetric"))
    else:
        torch_mode = {"constant": "constant", "edge": "replicate", "reflect": "reflect"}[mode]
        kwargs = {"value": 0.5} if mode == "constant" else {}
        expected = TF.pad(torch.tensor(x), lrtb, mode=torch_mode, **kwargs)
    assert_close(ours, expected)


def test_pad_per_channel_fill():
    x = _img((3, 4, 5))
    out = _ours(F.pad, x, [1, 2], fill=[0.1, 0.2, 0.3]).numpy()
    assert out.shape == (3, 8, 7)
    np.testing.assert_array_equal(out[:, 2:6, 1:6], x)
    for c, f in enumerate([0.1, 0.2, 0.3]):
        border = np.ones((8, 7), bool)
        border[2:6, 1:6] = False
        np.testing.assert_array_equal(out[c][border], np.float32(f))


# ==================================================================================================
# Resize
# ==================================================================================================

@pytest.mark.parametrize("shape", [(3, 9, 13), (2, 1, 16, 8), (3, 5, 5)])
@pytest.mark.parametrize("size", [(5, 7), (18, 20), (9, 4), (3, 26), (1, 1)])
@pytest.mark.parametrize("antialias", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_resize_bilinear(shape, size, antialias, dtype):
    x = _img(shape, dtype)
    t = torch.tensor(x)
    expected = TF.interpolate(t.reshape(-1, *shape[-3:]), size=size, mode="bilinear",
                              align_corners=False, antialias=antialias)
    ours = _ours(F.resize, x, list(size), antialias=antialias)
    assert_close(ours, expected.reshape(*shape[:-2], *size))


@pytest.mark.parametrize("size", [(5, 7), (18, 20), (9, 4), (17, 3)])
def test_resize_nearest(size):
    x = _img((2, 3, 9, 13))
    expected = TF.interpolate(torch.tensor(x), size=size, mode="nearest")
    assert_close(_ours(F.resize, x, list(size), interpolation="nearest"), expected)
    assert_close(_ours(F.resize, x, list(size), interpolation=F.InterpolationMode.NEAREST),
                 expected)


@pytest.mark.parametrize("hw,size,max_size,expected", [
    ((9, 13), 6, None, (6, 8)), ((13, 9), 6, None, (8, 6)), ((9, 13), [6], None, (6, 8)),
    ((9, 13), 6, 7, (5, 7)), ((10, 10), 4, None, (4, 4)), ((9, 13), None, 7, (4, 7)),
])
def test_resize_shorter_edge_rule(hw, size, max_size, expected):
    # the shorter edge becomes `size`, the longer one int(size * long / short), capped by max_size
    out = _ours(F.resize, _img((1, *hw)), size, max_size=max_size)
    assert tuple(out.shape[-2:]) == expected


def test_resized_crop_is_crop_then_resize():
    x = _img((3, 12, 10))
    expected = TF.interpolate(torch.tensor(x)[None, :, 2:9, 1:7], size=(5, 5), mode="bilinear",
                              align_corners=False, antialias=True)[0]
    assert_close(_ours(F.resized_crop, x, 2, 1, 7, 6, [5, 5]), expected)


# ==================================================================================================
# Affine and rotate (oracle: affine_grid + grid_sample)
# ==================================================================================================

AFFINE_CASES = [
    dict(angle=30.0, translate=[0, 0], scale=1.0, shear=[0.0, 0.0]),
    dict(angle=-17.0, translate=[2, -1], scale=1.0, shear=[0.0, 0.0]),
    dict(angle=0.0, translate=[0, 0], scale=1.37, shear=[0.0, 0.0]),      # the "stretch"
    dict(angle=0.0, translate=[0, 0], scale=0.71, shear=[0.0, 0.0]),
    dict(angle=10.0, translate=[1, 3], scale=1.2, shear=[12.0, 0.0]),
    dict(angle=-40.0, translate=[-3, 2], scale=0.9, shear=[-8.0, 15.0]),
    dict(angle=75.0, translate=[0, 0], scale=1.1, shear=7.0),
]


@pytest.mark.parametrize("case", AFFINE_CASES)
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill", [None, 0, 0.5, [0.2, 0.4, 0.6]])
def test_affine_matches_grid_sample_oracle(case, mode, fill):
    x = _img((2, 3, 10, 13))
    ours = _ours(F.affine, x, **case, interpolation=mode, fill=fill)
    expected = torch_affine(x, **case, mode=mode, fill=fill)
    assert_close(ours, expected, scale=10)  # float32 grid coordinates: ~1e-6 apart


@pytest.mark.parametrize("center", [[0.0, 0.0], [4.5, 2.0], [12.0, 9.0]])
def test_affine_about_a_center(center):
    x = _img((3, 10, 13))
    case = dict(angle=25.0, translate=[1, -2], scale=1.15, shear=[5.0, -4.0])
    ours = _ours(F.affine, x, **case, interpolation="bilinear", center=center)
    assert_close(ours, torch_affine(x, **case, mode="bilinear", center=center), scale=10)


@pytest.mark.parametrize("angle", [13.0, -58.0, 123.5, 200.0, 90.0, 270.0, 45.0, 30.0])
@pytest.mark.parametrize("expand", [False, True])
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
def test_rotate_matches_oracle(angle, expand, mode):
    if expand and angle % 90 == 0:
        pytest.skip("an exact transpose (torch.rot90), tested below")
    x = _img((2, 3, 9, 14))  # not square: 90 and 270 degrees without expand use the grid
    ours = _ours(F.rotate, x, angle, interpolation=mode, expand=expand)
    expected = torch_rotate(x, angle, mode=mode, expand=expand)
    assert tuple(ours.shape) == tuple(expected.shape)
    assert_close(ours, expected, scale=10)


@pytest.mark.parametrize("angle", [0.0, 90.0, 180.0, 270.0, -90.0, 360.0])
def test_rotate_right_angles_are_exact(angle):
    x = _img((3, 7, 7))
    k = int(angle % 360) // 90
    assert_close(_ours(F.rotate, x, angle), torch.rot90(torch.tensor(x), k, dims=(-2, -1)),
                 scale=0)
    y = _img((3, 5, 8))
    if k in (0, 2):
        assert_close(_ours(F.rotate, y, angle),
                     torch.rot90(torch.tensor(y), k, dims=(-2, -1)), scale=0)
    else:
        assert_close(_ours(F.rotate, y, angle, expand=True),
                     torch.rot90(torch.tensor(y), k, dims=(-2, -1)), scale=0)


def test_rotate_direction_and_center():
    # counter-clockwise: the top-right corner pixel moves to the top-left under +90 degrees
    x = np.zeros((1, 5, 5), np.float32)
    x[0, 0, 4] = 1.0
    assert _ours(F.rotate, x, 90.0).numpy()[0, 0, 0] == 1.0
    # about a corner pixel: that pixel stays put
    y = _img((3, 8, 9))
    out = _ours(F.rotate, y, 33.0, center=[0.5, 0.5], interpolation="bilinear")
    np.testing.assert_allclose(out.numpy()[:, 0, 0], y[:, 0, 0], rtol=1e-5)
    assert_close(out, torch_rotate(y, 33.0, mode="bilinear", center=[0.5, 0.5]), scale=10)


def test_rotate_fill():
    x = _img((3, 9, 9))
    for fill in (0.75, [0.1, 0.5, 0.9]):
        for mode in ("nearest", "bilinear"):
            ours = _ours(F.rotate, x, 30.0, interpolation=mode, fill=fill)
            assert_close(ours, torch_rotate(x, 30.0, mode=mode, fill=fill), scale=10)


# ==================================================================================================
# Color
# ==================================================================================================

@pytest.mark.parametrize("factor", [0.0, 0.3, 1.0, 1.7])
@pytest.mark.parametrize("shape", [(3, 6, 7), (2, 3, 4, 5), (1, 6, 7)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_brightness_contrast_saturation(factor, shape, dtype):
    x = _img(shape, dtype)
    t = torch.tensor(x)
    # brightness: blend with black
    assert_close(_ours(F.adjust_brightness, x, factor), (t * factor).clamp(0, 1))
    # contrast: blend with the mean of the grayscale image, per image
    g = gray(t) if shape[-3] == 3 else t
    mean = g.mean(dim=(-3, -2, -1), keepdim=True)
    assert_close(_ours(F.adjust_contrast, x, factor),
                 (factor * t + (1 - factor) * mean).clamp(0, 1))
    # saturation: blend with the grayscale image (one channel: unchanged)
    expected = (factor * t + (1 - factor) * gray(t)).clamp(0, 1) if shape[-3] == 3 else t
    assert_close(_ours(F.adjust_saturation, x, factor), expected)


def test_grayscale():
    x = _img((2, 3, 4, 5))
    assert_close(_ours(F.rgb_to_grayscale, x), gray(torch.tensor(x)))
    assert_close(_ours(F.rgb_to_grayscale, x, 3), gray(torch.tensor(x)).expand(2, 3, 4, 5))


@pytest.mark.parametrize("hue", [-0.5, -0.2, 0.0, 0.13, 0.5])
def test_hue_against_colorsys(hue):
    x = _img((3, 4, 6), seed=3)
    x[:, 0, 0] = 0.4  # a gray pixel: hue undefined, must stay gray
    expected = np.empty_like(x)
    for i in range(4):
        for j in range(6):
            h, s, v = colorsys.rgb_to_hsv(*x[:, i, j])
            expected[:, i, j] = colorsys.hsv_to_rgb((h + hue) % 1.0, s, v)
    np.testing.assert_allclose(_ours(F.adjust_hue, x, hue).numpy(), expected, atol=2e-6)


@pytest.mark.parametrize("fn,arg", [(F.adjust_brightness, -0.1), (F.adjust_contrast, -1.0),
                                    (F.adjust_saturation, -0.5), (F.adjust_hue, 0.6)])
def test_color_factor_errors(fn, arg):
    with pytest.raises(ValueError, match="is not"):
        _ours(fn, _img((3, 4, 4)), arg)


def test_color_channel_and_dtype_errors():
    with pytest.raises(TypeError, match="permitted channel values are 1 or 3, but found 4"):
        _ours(F.adjust_contrast, _img((4, 5, 5)), 0.5)
    with pytest.raises(TypeError, match="floating point image"):
        F.adjust_brightness(mt.ones(3, 4, 4, dtype=mt.uint8), 0.5)


# ==================================================================================================
# Normalize, erase, noise
# ==================================================================================================

@pytest.mark.parametrize("shape", [(3, 4, 5), (2, 3, 4, 5)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_normalize(shape, dtype):
    x = _img(shape, dtype)
    mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
    t = torch.tensor(x)
    m = torch.tensor(mean, dtype=t.dtype).view(-1, 1, 1)
    s = torch.tensor(std, dtype=t.dtype).view(-1, 1, 1)
    assert_close(_ours(F.normalize, x, mean, std), (t - m) / s)
    ours = mt.tensor(x)
    out = F.normalize(ours, mean, std, inplace=True)
    assert out is ours
    assert_close(ours, (t - m) / s)


def test_normalize_errors():
    with pytest.raises(TypeError, match="Input tensor should be a float tensor. Got torch.int64."):
        F.normalize(mt.ones(3, 2, 2, dtype=mt.int64), [0.5] * 3, [0.5] * 3)
    with pytest.raises(ValueError, match=r"size \(\.\.\., C, H, W\). Got torch.Size\(\[4, 4\]\)"):
        F.normalize(mt.ones(4, 4), [0.5], [0.5])
    with pytest.raises(ValueError, match="std evaluated to zero"):
        F.normalize(mt.ones(3, 2, 2), [0.5] * 3, [0.5, 0.0, 0.5])


def test_erase():
    x = _img((2, 3, 6, 7))
    v = torch.full((3, 2, 4), 0.25)
    expected = torch.tensor(x).clone()
    expected[..., 1:3, 2:6] = v
    assert_close(_ours(F.erase, x, 1, 2, 2, 4, mt.full((3, 2, 4), 0.25)), expected)
    ours = mt.tensor(x)
    assert F.erase(ours, 1, 2, 2, 4, mt.full((3, 2, 4), 0.25), inplace=True) is ours
    assert_close(ours, expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("clip", [True, False])
def test_gaussian_noise_uses_the_default_stream(dtype, clip):
    x = _img((2, 3, 5, 6), dtype)
    torch.manual_seed(5)
    t = torch.tensor(x)
    expected = t + (0.1 + torch.randn_like(t) * 0.3)
    expected = expected.clamp(0, 1) if clip else expected
    mt.manual_seed(5)
    assert_close(_ours(F.gaussian_noise, x, mean=0.1, sigma=0.3, clip=clip), expected)
    with pytest.raises(ValueError, match="sigma shouldn't be negative"):
        _ours(F.gaussian_noise, x, sigma=-1.0)


# ==================================================================================================
# Wrong inputs
# ==================================================================================================

@pytest.mark.parametrize("fn,args", [
    (F.hflip, ()), (F.vflip, ()), (F.crop, (0, 0, 2, 2)), (F.center_crop, (2,)),
    (F.pad, (1,)), (F.resize, ([2, 2],)), (F.rotate, (10.0,)),
    (F.affine, (10.0, [0, 0], 1.0, [0.0, 0.0])), (F.adjust_brightness, (0.5,)),
    (F.adjust_contrast, (0.5,)), (F.erase, (0, 0, 1, 1, 0.0)), (F.gaussian_noise, ()),
])
def test_wrong_rank_names_the_shape(fn, args):
    with pytest.raises(ValueError, match=r"\(\.\.\., C, H, W\).*got shape \[5, 6\]"):
        fn(mt.ones(5, 6), *args)
    with pytest.raises(TypeError, match="expects a Tensor image"):
        fn(np.ones((3, 5, 6)), *args)
