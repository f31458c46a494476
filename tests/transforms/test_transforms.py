"""Transform classes: after the same manual_seed, each draws torchvision v2's parameters (the
oracle replays torchvision's documented draw sequence with torch's generator) and applies them
(the oracle applies them with torch core ops); plus parameter ranges over many draws, samples
with labels, batches, containers and argument errors."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import minitorch_ref as mt
from minitorch_ref.transforms import v2
from harness import assert_close
from _oracles import gray, torch_affine, torch_rotate

SEEDS = [0, 1, 2, 3, 7, 11]


def _img(shape=(3, 10, 13), seed=0, dtype=np.float32):
    return np.random.default_rng(seed).random(shape).astype(dtype)


def _run_ours(transform, x, seed):
    mt.manual_seed(seed)
    out = transform(mt.tensor(x))
    return out, mt.rand(2).tolist()  # and the state of the stream afterwards


def _check(transform, oracle, x, seed, scale=1.0):
    """Our transform vs oracle(torch image) after the same seed; streams in step afterwards."""
    ours, ours_next = _run_ours(transform, x, seed)
    torch.manual_seed(seed)
    expected = oracle(torch.tensor(x))
    assert_close(ours, expected, scale=scale)
    assert ours_next == torch.rand(2).tolist(), "the random stream was consumed differently"


def _applied(p):
    """torchvision's probability check: one rand(1) draw, applied when it is < p."""
    return not bool(torch.rand(1) >= p)


def _uniform(a, b):
    return torch.empty(1).uniform_(a, b).item()


# -- flips -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("p", [0.0, 0.3, 0.5, 1.0])
def test_random_flips(seed, p):
    x = _img()
    _check(v2.RandomHorizontalFlip(p), lambda t: t.flip(-1) if _applied(p) else t, x, seed)
    _check(v2.RandomVerticalFlip(p=p), lambda t: t.flip(-2) if _applied(p) else t, x, seed)


def test_flip_frequency():
    mt.manual_seed(0)
    flip = v2.RandomHorizontalFlip(0.3)
    x = mt.tensor(_img((1, 2, 3)))
    flipped = sum(not np.array_equal(flip(x).numpy(), x.numpy()) for _ in range(2000))
    assert abs(flipped / 2000 - 0.3) < 0.04


# -- rotation, affine ------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kwargs", [
    dict(degrees=30), dict(degrees=(10, 80), interpolation="bilinear"),
    dict(degrees=45, expand=True, interpolation="bilinear"),
    dict(degrees=20, fill=0.5, interpolation="bilinear"), dict(degrees=(-5, 5), center=[2, 3]),
])
def test_random_rotation(seed, kwargs):
    x = _img((2, 3, 9, 12))
    lo, hi = (-kwargs["degrees"], kwargs["degrees"]) if isinstance(kwargs["degrees"], int) \
        else kwargs["degrees"]
    mode = kwargs.get("interpolation", "nearest")

    def oracle(t):
        angle = _uniform(lo, hi)
        return torch_rotate(t.numpy(), angle, mode=mode, expand=kwargs.get("expand", False),
                            center=kwargs.get("center"), fill=kwargs.get("fill", 0))
    _check(v2.RandomRotation(**kwargs), oracle, x, seed, scale=10)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kwargs", [
    dict(degrees=0, scale=(0.7, 1.3)),                        # stretch only
    dict(degrees=15, translate=(0.1, 0.2)),
    dict(degrees=(-10, 30), translate=(0.05, 0.05), scale=(0.9, 1.1), shear=10),
    dict(degrees=5, shear=(-5, 5, -3, 3), interpolation="bilinear", fill=0.25),
])
def test_random_affine(seed, kwargs):
    x = _img((3, 11, 14))
    h, w = x.shape[-2:]
    d = kwargs["degrees"]
    lo, hi = (-d, d) if isinstance(d, int) else d
    mode = kwargs.get("interpolation", "nearest")

    def oracle(t):
        angle = _uniform(lo, hi)
        tr = kwargs.get("translate")
        translate = (0, 0) if tr is None else (int(round(_uniform(-tr[0] * w, tr[0] * w))),
                                               int(round(_uniform(-tr[1] * h, tr[1] * h))))
        sc = kwargs.get("scale")
        scale = 1.0 if sc is None else _uniform(*sc)
        sh = kwargs.get("shear")
        shear = [0.0, 0.0]
        if sh is not None:
            sh = (-sh, sh) if isinstance(sh, int) else sh
            shear[0] = _uniform(sh[0], sh[1])
            if len(sh) == 4:
                shear[1] = _uniform(sh[2], sh[3])
        return torch_affine(t.numpy(), angle, list(translate), scale, shear, mode=mode,
                            fill=kwargs.get("fill", 0))
    _check(v2.RandomAffine(**kwargs), oracle, x, seed, scale=10)


def test_affine_parameter_ranges():
    aff = v2.RandomAffine(degrees=(10, 20), translate=(0.1, 0.3), scale=(0.5, 0.75),
                          shear=(1, 2, 3, 4))
    mt.manual_seed(0)
    x = mt.tensor(_img((1, 20, 30)))
    for _ in range(300):
        p = aff.make_params([x])
        assert 10 <= p["angle"] <= 20 and 0.5 <= p["scale"] <= 0.75
        assert abs(p["translate"][0]) <= 3 and abs(p["translate"][1]) <= 6
        assert 1 <= p["shear"][0] <= 2 and 3 <= p["shear"][1] <= 4


# -- crops, resize ---------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kwargs", [
    dict(size=8), dict(size=(5, 7), scale=(0.3, 0.6), ratio=(0.5, 2.0)),
    dict(size=6, interpolation="nearest"), dict(size=(4, 9), antialias=False),
    dict(size=5, scale=(0.9, 1.0), ratio=(10.0, 20.0)),    # never fits: the central fallback
])
def test_random_resized_crop(seed, kwargs):
    x = _img((3, 12, 10))
    height, width = x.shape[-2:]
    size = kwargs["size"]
    size = (size, size) if isinstance(size, int) else size
    scale = kwargs.get("scale", (0.08, 1.0))
    ratio = kwargs.get("ratio", (3 / 4, 4 / 3))

    def oracle(t):
        log_ratio = torch.log(torch.tensor(ratio))
        for _ in range(10):
            target_area = height * width * _uniform(*scale)
            aspect = torch.exp(torch.empty(1).uniform_(log_ratio[0], log_ratio[1])).item()
            w = int(round(math.sqrt(target_area * aspect)))
            h = int(round(math.sqrt(target_area / aspect)))
            if 0 < w <= width and 0 < h <= height:
                i = torch.randint(0, height - h + 1, size=(1,)).item()
                j = torch.randint(0, width - w + 1, size=(1,)).item()
                break
        else:
            in_ratio = width / height
            if in_ratio < min(ratio):
                w, h = width, int(round(width / min(ratio)))
            elif in_ratio > max(ratio):
                h, w = height, int(round(height * max(ratio)))
            else:
                w, h = width, height
            i, j = (height - h) // 2, (width - w) // 2
        crop = t[None, :, i:i + h, j:j + w]
        mode = kwargs.get("interpolation", "bilinear")
        if mode == "nearest":
            return TF.interpolate(crop, size=size, mode="nearest")[0]
        return TF.interpolate(crop, size=size, mode="bilinear", align_corners=False,
                              antialias=kwargs.get("antialias", True))[0]
    _check(v2.RandomResizedCrop(**kwargs), oracle, x, seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kwargs", [
    dict(size=5), dict(size=(4, 13)), dict(size=(10, 13)),
    dict(size=8, padding=2), dict(size=(9, 15), padding=[1, 2], fill=0.5),
    dict(size=12, pad_if_needed=True), dict(size=(6, 6), padding=3, padding_mode="reflect"),
    dict(size=(11, 14), padding=[1, 0, 0, 1], padding_mode="edge"),
])
def test_random_crop(seed, kwargs):
    x = _img((2, 3, 10, 13))
    size = kwargs["size"]
    ch, cw = (size, size) if isinstance(size, int) else size

    def oracle(t):
        pad = kwargs.get("padding")
        if pad is None:
            l = r = tp = b = 0
        elif isinstance(pad, int):
            l = r = tp = b = pad
        elif len(pad) == 2:
            l = r = pad[0]
            tp = b = pad[1]
        else:
            l, tp, r, b = pad
        ph, pw = 10 + tp + b, 13 + l + r
        if kwargs.get("pad_if_needed"):
            if ph < ch:
                tp, b, ph = tp + ch - ph, b + ch - ph, ph + 2 * (ch - ph)
            if pw < cw:
                l, r, pw = l + cw - pw, r + cw - pw, pw + 2 * (cw - pw)
        top = int(torch.randint(0, ph - ch + 1, size=())) if ph > ch else 0
        left = int(torch.randint(0, pw - cw + 1, size=())) if pw > cw else 0
        mode = {"constant": "constant", "edge": "replicate",
                "reflect": "reflect"}[kwargs.get("padding_mode", "constant")]
        value = {"value": float(kwargs.get("fill", 0))} if mode == "constant" else {}
        padded = TF.pad(t, (l, r, tp, b), mode=mode, **value) if (l or r or tp or b) else t
        return padded[..., top:top + ch, left:left + cw]
    _check(v2.RandomCrop(**kwargs), oracle, x, seed)


def test_random_crop_too_large():
    with pytest.raises(ValueError, match=r"Required crop size \(12, 12\) is larger than input "
                                         r"image size \(10, 13\)"):
        v2.RandomCrop(12)(mt.tensor(_img()))


def test_resize_center_crop_pad_classes():
    x = _img((2, 3, 10, 13))
    t = torch.tensor(x)
    assert_close(v2.Resize((5, 6))(mt.tensor(x)),
                 TF.interpolate(t, size=(5, 6), mode="bilinear", antialias=True))
    assert tuple(v2.Resize(5)(mt.tensor(x)).shape) == (2, 3, 5, 6)
    assert_close(v2.CenterCrop(4)(mt.tensor(x)), t[..., 3:7, 4:8])
    assert_close(v2.Pad([1, 2])(mt.tensor(x)), TF.pad(t, (1, 1, 2, 2)))


# -- color, noise, normalize, erasing --------------------------------------------------------------

def _torch_color(t, fn_idx, b, c, s):
    for i in fn_idx:
        if i == 0 and b is not None:
            t = (t * b).clamp(0, 1)
        elif i == 1 and c is not None:
            t = (c * t + (1 - c) * gray(t).mean(dim=(-3, -2, -1), keepdim=True)).clamp(0, 1)
        elif i == 2 and s is not None:
            t = (s * t + (1 - s) * gray(t)).clamp(0, 1)
    return t


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kwargs", [
    dict(brightness=0.4), dict(contrast=0.5, saturation=(0.2, 1.8)),
    dict(brightness=0.2, contrast=0.2, saturation=0.2), dict(saturation=2.0),
])
def test_color_jitter(seed, kwargs):
    x = _img((2, 3, 6, 7))

    def rng(name):
        v = kwargs.get(name)
        if v is None:
            return None
        return (max(0.0, 1 - v), 1 + v) if isinstance(v, (int, float)) else v

    def oracle(t):
        order = torch.randperm(4).tolist()
        b, c, s = [None if rng(k) is None else _uniform(*rng(k))
                   for k in ("brightness", "contrast", "saturation")]
        return _torch_color(t, order, b, c, s)
    _check(v2.ColorJitter(**kwargs), oracle, x, seed)


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_color_jitter_with_hue_draws_its_factor(seed):
    jit = v2.ColorJitter(brightness=0.1, hue=0.2)
    mt.manual_seed(seed)
    params = jit.make_params([mt.tensor(_img())])
    torch.manual_seed(seed)
    assert params["fn_idx"] == torch.randperm(4).tolist()
    assert params["brightness_factor"] == _uniform(0.9, 1.1)
    assert params["hue_factor"] == _uniform(-0.2, 0.2)
    assert params["contrast_factor"] is None and params["saturation_factor"] is None


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_gaussian_noise(seed):
    x = _img((2, 3, 5, 5))
    _check(v2.GaussianNoise(0.05, 0.2),
           lambda t: (t + (0.05 + torch.randn_like(t) * 0.2)).clamp(0, 1), x, seed)
    _check(v2.GaussianNoise(sigma=0.5, clip=False),
           lambda t: t + (0.0 + torch.randn_like(t) * 0.5), x, seed)


def test_normalize_class():
    x = _img((2, 3, 4, 4))
    mean, std = (0.5, 0.4, 0.3), (0.2, 0.25, 0.3)
    expected = (torch.tensor(x) - torch.tensor(mean).view(-1, 1, 1)) / \
        torch.tensor(std).view(-1, 1, 1)
    assert_close(v2.Normalize(mean, std)(mt.tensor(x)), expected)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kwargs", [
    dict(p=1.0), dict(p=0.5, value=0.5), dict(p=1.0, value=(0.1, 0.2, 0.3), scale=(0.1, 0.2)),
    dict(p=1.0, value="random"), dict(p=1.0, scale=(0.9, 1.0), ratio=(5.0, 6.0)),
])
def test_random_erasing(seed, kwargs):
    x = _img((3, 10, 12))
    c, img_h, img_w = x.shape
    scale, ratio = kwargs.get("scale", (0.02, 0.33)), kwargs.get("ratio", (0.3, 3.3))
    value = kwargs.get("value", 0.0)

    def oracle(t):
        if not _applied(kwargs["p"]):
            return t
        log_ratio = torch.log(torch.tensor(ratio))
        for _ in range(10):
            area = img_h * img_w * _uniform(*scale)
            aspect = torch.exp(torch.empty(1).uniform_(log_ratio[0], log_ratio[1])).item()
            h = int(round(math.sqrt(area * aspect)))
            w = int(round(math.sqrt(area / aspect)))
            if not (h < img_h and w < img_w):
                continue
            if value == "random":
                v = torch.empty([c, h, w], dtype=torch.float32).normal_()
            else:
                vals = [float(value)] if isinstance(value, (int, float)) else list(value)
                v = torch.tensor(vals)[:, None, None]
            i = torch.randint(0, img_h - h + 1, size=(1,)).item()
            j = torch.randint(0, img_w - w + 1, size=(1,)).item()
            out = t.clone()
            out[..., i:i + h, j:j + w] = v
            return out
        return t
    _check(v2.RandomErasing(**kwargs), oracle, x, seed)


# -- samples, batches, containers ------------------------------------------------------------------

def test_label_and_dict_pass_through():
    x = mt.tensor(_img())
    label = mt.tensor(3)
    mt.manual_seed(0)
    img, lab = v2.RandomHorizontalFlip(1.0)(x, label)
    assert lab is label
    np.testing.assert_array_equal(img.numpy(), x.numpy()[..., ::-1])
    out = v2.RandomVerticalFlip(1.0)({"image": x, "label": 7, "name": "a"})
    assert out["label"] == 7 and out["name"] == "a"
    np.testing.assert_array_equal(out["image"].numpy(), x.numpy()[..., ::-1, :])


def test_one_draw_per_batch():
    x = mt.tensor(np.repeat(_img((1, 3, 9, 9)), 4, axis=0))
    mt.manual_seed(1)
    out = v2.RandomRotation(40, interpolation="bilinear")(x).numpy()
    for k in range(1, 4):
        np.testing.assert_array_equal(out[k], out[0])


def test_compose_and_random_apply():
    x = _img((3, 8, 8))
    pipeline = v2.Compose([v2.RandomHorizontalFlip(0.5), v2.ColorJitter(brightness=0.3),
                           v2.RandomApply([v2.GaussianNoise(sigma=0.05)], p=0.5),
                           v2.Normalize([0.5] * 3, [0.25] * 3)])
    for seed in SEEDS:
        def oracle(t):
            t = t.flip(-1) if _applied(0.5) else t
            order = torch.randperm(4).tolist()
            t = _torch_color(t, order, _uniform(0.7, 1.3), None, None)
            if torch.rand(1) < 0.5:
                t = (t + (0.0 + torch.randn_like(t) * 0.05)).clamp(0, 1)
            return (t - 0.5) / 0.25
        _check(pipeline, oracle, x, seed)
    assert repr(pipeline).startswith("Compose(\n      RandomHorizontalFlip(p=0.5)")


# -- bad arguments, bad inputs ---------------------------------------------------------------------

@pytest.mark.parametrize("make,exc,match", [
    (lambda: v2.RandomHorizontalFlip(1.5), ValueError, "`p` should be a floating point value"),
    (lambda: v2.RandomRotation(-3), ValueError, "If degrees is a single number, it must be "
                                                "positive."),
    (lambda: v2.RandomRotation((1, 2, 3)), ValueError, "degrees should be a sequence of "
                                                       "length 2."),
    (lambda: v2.RandomAffine(0, translate=(0.5, 1.5)), ValueError, "translation values should "
                                                                   "be between 0 and 1"),
    (lambda: v2.RandomAffine(0, scale=(0.0, 1.0)), ValueError, "scale values should be "
                                                               "positive"),
    (lambda: v2.RandomAffine(0, shear=(1, 2, 3)), ValueError, "shear should be a sequence of "
                                                              "length 2 or 4."),
    (lambda: v2.ColorJitter(brightness=-1), ValueError, "If brightness is a single number, it "
                                                        "must be non negative."),
    (lambda: v2.ColorJitter(hue=0.7), ValueError, r"hue values should be between \(-0.5, 0.5\)"),
    (lambda: v2.RandomErasing(value="noise"), ValueError, "If value is str, it should be "
                                                          "'random'"),
    (lambda: v2.RandomErasing(scale=(0.5, 1.5)), ValueError, "Scale should be between 0 and 1"),
    (lambda: v2.RandomCrop(5, padding_mode="wrap", padding=1), ValueError, "Padding mode"),
    (lambda: v2.Resize((1, 2, 3)), ValueError, "size can be an integer"),
    (lambda: v2.CenterCrop((1, 2, 3)), ValueError, r"Please provide only two dimensions \(h, w\)"),
])
def test_argument_errors(make, exc, match):
    with pytest.raises(exc, match=match):
        make()


@pytest.mark.parametrize("transform", [
    v2.RandomHorizontalFlip(), v2.RandomRotation(10), v2.RandomAffine(5), v2.RandomCrop(2),
    v2.RandomResizedCrop(3), v2.ColorJitter(0.1), v2.GaussianNoise(), v2.RandomErasing(),
    v2.Resize(3), v2.CenterCrop(2), v2.Normalize([0.5], [0.5]),
])
def test_wrong_rank_is_refused_before_any_draw(transform):
    mt.manual_seed(0)
    with pytest.raises(ValueError, match=r"\(\.\.\., C, H, W\).*got shape \[6, 7\]"):
        transform(mt.ones(6, 7))
    mt_next = mt.rand(1).item()
    mt.manual_seed(0)
    assert mt.rand(1).item() == mt_next  # nothing was drawn
