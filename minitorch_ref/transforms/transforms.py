"""Transform classes, named and parametrised as in ``torchvision.transforms.v2``.

A transform is called on one image tensor ``(..., C, H, W)`` or on a sample such as
``(image, label)`` or a dict: as in torchvision, the first tensor found is the image and every
other element passes through unchanged. A batch ``(N, C, H, W)`` gets **one** draw of the random
parameters, applied to every image in it (torchvision's behaviour); call the transform per
sample (e.g. inside ``Dataset.__getitem__``) for independent draws.

Random parameters come from minitorch_ref's default generator with the same calls, in the same
order, as torchvision v2 (``rand(1)`` for the probability check, ``empty(1).uniform_(a, b)``
for angles and factors, ``randint`` for offsets, ``randperm(4)`` for ColorJitter's order), so
after ``manual_seed(s)`` the parameters are torchvision's.
"""
from __future__ import annotations

import math
import numbers
import warnings
from typing import Any, Callable, Sequence

import numpy as np

from .._creation import empty, tensor
from .._numpy_errors import quiet
from .._ops import exp
from .._tensor import Tensor
from . import functional as F
from .functional import InterpolationMode

__all__ = [
    "Transform", "Compose", "RandomApply", "Lambda", "Normalize", "RandomHorizontalFlip",
    "RandomVerticalFlip", "RandomRotation", "RandomAffine", "RandomResizedCrop", "RandomCrop",
    "Resize", "CenterCrop", "Pad", "ColorJitter", "GaussianNoise", "RandomErasing",
    "Grayscale",
]


# ==================================================================================================
# Samples: find the image, pass the rest through
# ==================================================================================================

def _flatten(obj) -> tuple[list, Callable[[list], Any]]:
    """Leaves of nested tuples/lists/dicts and a function rebuilding the structure."""
    if isinstance(obj, (tuple, list)):
        parts = [_flatten(x) for x in obj]
        sizes = [len(leaves) for leaves, _ in parts]

        def rebuild(values, parts=parts, sizes=sizes, kind=type(obj)):
            out, i = [], 0
            for (_, rb), n in zip(parts, sizes):
                out.append(rb(values[i:i + n]))
                i += n
            return kind(*out) if hasattr(obj, "_fields") else kind(out)
        return [leaf for leaves, _ in parts for leaf in leaves], rebuild
    if isinstance(obj, dict):
        keys = list(obj)
        parts = [_flatten(obj[k]) for k in keys]
        sizes = [len(leaves) for leaves, _ in parts]

        def rebuild_dict(values, parts=parts, sizes=sizes, keys=keys, kind=type(obj)):
            out, i = kind(), 0
            for k, (_, rb), n in zip(keys, parts, sizes):
                out[k] = rb(values[i:i + n])
                i += n
            return out
        return [leaf for leaves, _ in parts for leaf in leaves], rebuild_dict
    return [obj], lambda values: values[0]


class Transform:
    """Base class: ``make_params`` draws the random parameters once per call, ``transform``
    applies them to the image. Subclasses override those two (torchvision v2's protocol)."""

    def __call__(self, *inputs: Any) -> Any:
        return self.forward(*inputs)

    def make_params(self, flat_inputs: list) -> dict:
        return {}

    def transform(self, inpt: Any, params: dict) -> Any:
        raise NotImplementedError

    def _apply(self, sample: Any, draw: Callable[[], bool] | None = None) -> Any:
        flat, rebuild = _flatten(sample)
        # the first tensor is the image; labels and other tensors pass through
        idx = next((i for i, x in enumerate(flat) if isinstance(x, Tensor)), None)
        if idx is None:
            return sample
        image = flat[idx]
        F._image(image, type(self).__name__)  # (..., C, H, W) or a clear error
        if draw is not None and not draw():
            return sample
        params = self.make_params([image])
        flat = list(flat)
        flat[idx] = self.transform(image, params)
        return rebuild(flat)

    def forward(self, *inputs: Any) -> Any:
        return self._apply(inputs if len(inputs) > 1 else inputs[0])

    def extra_repr(self) -> str:
        items = []
        for name, value in self.__dict__.items():
            if name.startswith("_") or not isinstance(
                    value, (bool, int, float, str, tuple, list, InterpolationMode)):
                continue
            items.append(f"{name}={value}")
        return ", ".join(items)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


class _RandomApplyTransform(Transform):
    """Applies itself with probability ``p``: one ``rand(1)`` draw per call, as torchvision."""

    def __init__(self, p: float = 0.5) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError("`p` should be a floating point value in the interval [0.0, 1.0].")
        self.p = p

    def forward(self, *inputs: Any) -> Any:
        from ..random import rand
        return self._apply(inputs if len(inputs) > 1 else inputs[0],
                           draw=lambda: not bool(rand(1).item() >= self.p))


@quiet  # a ratio of 0: log(0) = -inf, silent as in torchvision
def _log_ratio(ratio) -> np.ndarray:
    """log(ratio), which torchvision keeps as a float32 tensor."""
    return np.log(np.asarray(ratio, dtype=np.float32))


def _uniform(low: float, high: float) -> float:
    return empty(1).uniform_(low, high).item()


def _randint(low: int, high: int) -> int:
    from ..random import randint
    return int(randint(low, high, size=(1,)).item())


# ==================================================================================================
# Containers
# ==================================================================================================

class Compose(Transform):
    """Apply ``transforms`` one after another."""

    def __init__(self, transforms: Sequence[Callable]) -> None:
        if not isinstance(transforms, Sequence):
            raise TypeError("Argument transforms should be a sequence of callables")
        if not transforms:
            raise ValueError("Pass at least one transform")
        self.transforms = transforms

    def forward(self, *inputs: Any) -> Any:
        needs_unpacking = len(inputs) > 1
        for t in self.transforms:
            outputs = t(*inputs)
            inputs = outputs if needs_unpacking else (outputs,)
        return outputs

    def __repr__(self) -> str:
        body = "".join(f"\n      {t}" for t in self.transforms)
        return f"{type(self).__name__}({body}\n)"


class RandomApply(Transform):
    """Apply all ``transforms`` with probability ``p`` (one ``rand(1)`` draw), else none."""

    def __init__(self, transforms: Sequence[Callable], p: float = 0.5) -> None:
        if not isinstance(transforms, Sequence):
            raise TypeError("Argument transforms should be a sequence of callables or a "
                            "`nn.ModuleList`")
        if not 0.0 <= p <= 1.0:
            raise ValueError("`p` should be a floating point value in the interval [0.0, 1.0].")
        self.transforms = transforms
        self.p = p

    def forward(self, *inputs: Any) -> Any:
        from ..random import rand
        sample = inputs if len(inputs) > 1 else inputs[0]
        if rand(1).item() >= self.p:
            return sample
        for t in self.transforms:
            sample = t(sample)
        return sample


class Lambda(Transform):
    """Apply a function to the image."""

    def __init__(self, lambd: Callable[[Any], Any]) -> None:
        self.lambd = lambd

    def transform(self, inpt, params):
        return self.lambd(inpt)


# ==================================================================================================
# Geometry
# ==================================================================================================

class RandomHorizontalFlip(_RandomApplyTransform):
    """Mirror left-right with probability ``p``."""

    def transform(self, inpt, params):
        return F.horizontal_flip(inpt)


class RandomVerticalFlip(_RandomApplyTransform):
    """Mirror top-bottom with probability ``p``."""

    def transform(self, inpt, params):
        return F.vertical_flip(inpt)


def _check_sequence(x, name: str, sizes: tuple) -> None:
    msg = sizes[0] if len(sizes) < 2 else " or ".join(str(s) for s in sizes)
    if not isinstance(x, Sequence):
        raise TypeError(f"{name} should be a sequence of length {msg}.")
    if len(x) not in sizes:
        raise ValueError(f"{name} should be a sequence of length {msg}.")


def _setup_angle(x, name: str, sizes: tuple = (2,)) -> list[float]:
    if isinstance(x, numbers.Number):
        if x < 0:
            raise ValueError(f"If {name} is a single number, it must be positive.")
        x = [-x, x]
    else:
        _check_sequence(x, name, sizes)
    return [float(d) for d in x]


def _setup_size(size, error_msg: str) -> tuple:
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    if isinstance(size, Sequence) and len(size) == 1:
        return size[0], size[0]
    if not isinstance(size, Sequence) or len(size) != 2:
        raise ValueError(error_msg)
    return tuple(size)


class RandomRotation(Transform):
    """Rotate by an angle drawn uniformly from ``degrees`` (a number ``d`` means ``(-d, d)``),
    counter-clockwise; see ``functional.rotate``."""

    def __init__(self, degrees, interpolation=InterpolationMode.NEAREST, expand: bool = False,
                 center: Sequence[float] | None = None, fill=0) -> None:
        self.degrees = _setup_angle(degrees, "degrees", (2,))
        self.interpolation = F._interpolation(interpolation)
        self.expand = expand
        self.fill = fill
        if center is not None:
            _check_sequence(center, "center", (2,))
        self.center = center

    def make_params(self, flat_inputs):
        return dict(angle=_uniform(self.degrees[0], self.degrees[1]))

    def transform(self, inpt, params):
        return F.rotate(inpt, params["angle"], interpolation=self.interpolation,
                        expand=self.expand, center=self.center, fill=self.fill)


class RandomAffine(Transform):
    """Random rotation (``degrees``), translation (``translate=(a, b)``: up to ``a * W`` and
    ``b * H`` pixels), scale (``scale=(lo, hi)``: the "stretch") and shear (``shear``: x range,
    or 4 values for x and y), about the image center; see ``functional.affine``."""

    def __init__(self, degrees, translate: Sequence[float] | None = None,
                 scale: Sequence[float] | None = None, shear=None,
                 interpolation=InterpolationMode.NEAREST, fill=0,
                 center: Sequence[float] | None = None) -> None:
        self.degrees = _setup_angle(degrees, "degrees", (2,))
        if translate is not None:
            _check_sequence(translate, "translate", (2,))
            for t in translate:
                if not 0.0 <= t <= 1.0:
                    raise ValueError("translation values should be between 0 and 1")
        self.translate = translate
        if scale is not None:
            _check_sequence(scale, "scale", (2,))
            for s in scale:
                if s <= 0:
                    raise ValueError("scale values should be positive")
        self.scale = scale
        self.shear = _setup_angle(shear, "shear", (2, 4)) if shear is not None else None
        self.interpolation = F._interpolation(interpolation)
        self.fill = fill
        if center is not None:
            _check_sequence(center, "center", (2,))
        self.center = center

    def make_params(self, flat_inputs):
        height, width = flat_inputs[0].shape[-2:]
        angle = _uniform(self.degrees[0], self.degrees[1])
        if self.translate is not None:
            max_dx = float(self.translate[0] * width)
            max_dy = float(self.translate[1] * height)
            translate = (int(round(_uniform(-max_dx, max_dx))),
                         int(round(_uniform(-max_dy, max_dy))))
        else:
            translate = (0, 0)
        scale = _uniform(self.scale[0], self.scale[1]) if self.scale is not None else 1.0
        shear_x = shear_y = 0.0
        if self.shear is not None:
            shear_x = _uniform(self.shear[0], self.shear[1])
            if len(self.shear) == 4:
                shear_y = _uniform(self.shear[2], self.shear[3])
        return dict(angle=angle, translate=translate, scale=scale, shear=(shear_x, shear_y))

    def transform(self, inpt, params):
        return F.affine(inpt, **params, interpolation=self.interpolation, fill=self.fill,
                        center=self.center)


class RandomResizedCrop(Transform):
    """Crop a random area (``scale`` of the image area) with a random aspect ratio (drawn
    log-uniformly from ``ratio``), then resize it to ``size``. Up to 10 attempts, then a central
    crop, as torchvision."""

    def __init__(self, size, scale: Sequence[float] = (0.08, 1.0),
                 ratio: Sequence[float] = (3.0 / 4.0, 4.0 / 3.0),
                 interpolation=InterpolationMode.BILINEAR, antialias: bool | None = True) -> None:
        self.size = _setup_size(size, "Please provide only two dimensions (h, w) for size.")
        if not isinstance(scale, Sequence):
            raise TypeError("Scale should be a sequence")
        if not isinstance(ratio, Sequence):
            raise TypeError("Ratio should be a sequence")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            warnings.warn("Scale and ratio should be of kind (min, max)", stacklevel=2)
        self.scale = scale
        self.ratio = ratio
        self.interpolation = F._interpolation(interpolation)
        self.antialias = antialias
        self._log_ratio = _log_ratio(ratio)

    def make_params(self, flat_inputs):
        height, width = flat_inputs[0].shape[-2:]
        area = height * width
        lo, hi = float(self._log_ratio[0]), float(self._log_ratio[1])
        for _ in range(10):
            target_area = area * _uniform(self.scale[0], self.scale[1])
            aspect_ratio = exp(empty(1).uniform_(lo, hi)).item()
            w = int(round(math.sqrt(target_area * aspect_ratio)))
            h = int(round(math.sqrt(target_area / aspect_ratio)))
            if 0 < w <= width and 0 < h <= height:
                i = _randint(0, height - h + 1)
                j = _randint(0, width - w + 1)
                break
        else:
            in_ratio = float(width) / float(height)
            if in_ratio < min(self.ratio):
                w = width
                h = int(round(w / min(self.ratio)))
            elif in_ratio > max(self.ratio):
                h = height
                w = int(round(h * max(self.ratio)))
            else:
                w, h = width, height
            i, j = (height - h) // 2, (width - w) // 2
        return dict(top=i, left=j, height=h, width=w)

    def transform(self, inpt, params):
        return F.resized_crop(inpt, **params, size=list(self.size),
                              interpolation=self.interpolation, antialias=self.antialias)


class RandomCrop(Transform):
    """Crop ``size`` at a random position, after optional ``padding`` (and ``pad_if_needed``
    for images smaller than ``size``), with ``fill`` / ``padding_mode`` as in ``functional.pad``.
    """

    def __init__(self, size, padding=None, pad_if_needed: bool = False, fill=0,
                 padding_mode: str = "constant") -> None:
        self.size = _setup_size(size, "Please provide only two dimensions (h, w) for size.")
        if pad_if_needed or padding is not None:
            if padding is not None and not isinstance(padding, (numbers.Number, tuple, list)):
                raise TypeError("Got inappropriate padding arg")
            if isinstance(padding, (tuple, list)) and len(padding) not in (1, 2, 4):
                raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a "
                                 f"{len(padding)} element tuple")
            if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
                raise ValueError("Padding mode should be either constant, edge, reflect or "
                                 "symmetric")
        self.padding = F._parse_padding(padding) if padding else None  # [l, r, t, b]
        self.pad_if_needed = pad_if_needed
        self.fill = fill
        self.padding_mode = padding_mode

    def make_params(self, flat_inputs):
        padded_h, padded_w = flat_inputs[0].shape[-2:]
        if self.padding is not None:
            pad_left, pad_right, pad_top, pad_bottom = self.padding
            padded_h += pad_top + pad_bottom
            padded_w += pad_left + pad_right
        else:
            pad_left = pad_right = pad_top = pad_bottom = 0
        crop_h, crop_w = self.size
        if self.pad_if_needed:
            if padded_h < crop_h:
                diff = crop_h - padded_h
                pad_top += diff
                pad_bottom += diff
                padded_h += 2 * diff
            if padded_w < crop_w:
                diff = crop_w - padded_w
                pad_left += diff
                pad_right += diff
                padded_w += 2 * diff
        if padded_h < crop_h or padded_w < crop_w:
            raise ValueError(
                f"Required crop size {(crop_h, crop_w)} is larger than "
                f"{'padded ' if self.padding is not None else ''}input image size "
                f"{(padded_h, padded_w)}.")
        padding = [pad_left, pad_top, pad_right, pad_bottom]
        top = _randint_scalar(0, padded_h - crop_h + 1) if padded_h > crop_h else 0
        left = _randint_scalar(0, padded_w - crop_w + 1) if padded_w > crop_w else 0
        return dict(needs_crop=padded_h > crop_h or padded_w > crop_w, top=top, left=left,
                    height=crop_h, width=crop_w, needs_pad=any(padding), padding=padding)

    def transform(self, inpt, params):
        if params["needs_pad"]:
            inpt = F.pad(inpt, params["padding"], fill=self.fill, padding_mode=self.padding_mode)
        if params["needs_crop"]:
            inpt = F.crop(inpt, params["top"], params["left"], params["height"], params["width"])
        return inpt


def _randint_scalar(low: int, high: int) -> int:
    # RandomCrop draws with size=() (a 0-d tensor); the stream use is the same as size=(1,)
    from ..random import randint
    return int(randint(low, high, size=()))


class Resize(Transform):
    """Resize to ``size`` (``(h, w)``, or an int for the shorter edge); see
    ``functional.resize``."""

    def __init__(self, size, interpolation=InterpolationMode.BILINEAR,
                 max_size: int | None = None, antialias: bool | None = True) -> None:
        if isinstance(size, int):
            size = [size]
        elif isinstance(size, (list, tuple)) and len(size) in {1, 2}:
            size = list(size)
        elif size is None:
            if not isinstance(max_size, int):
                raise ValueError(f"max_size must be an integer when size is None, but got "
                                 f"{max_size} instead.")
        else:
            raise ValueError("size can be an integer, a sequence of one or two integers, or "
                             f"None, but got {size} instead.")
        self.size = size
        self.interpolation = F._interpolation(interpolation)
        self.max_size = max_size
        self.antialias = antialias

    def transform(self, inpt, params):
        return F.resize(inpt, self.size, interpolation=self.interpolation,
                        max_size=self.max_size, antialias=self.antialias)


class CenterCrop(Transform):
    """Crop the central ``size`` region (zero-padded if the image is smaller)."""

    def __init__(self, size) -> None:
        self.size = _setup_size(size, "Please provide only two dimensions (h, w) for size.")

    def transform(self, inpt, params):
        return F.center_crop(inpt, list(self.size))


class Pad(Transform):
    """Pad the borders; see ``functional.pad``."""

    def __init__(self, padding, fill=0, padding_mode: str = "constant") -> None:
        if not isinstance(padding, (numbers.Number, tuple, list)):
            raise TypeError("Got inappropriate padding arg")
        if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
            raise ValueError("Padding mode should be either constant, edge, reflect or "
                             "symmetric")
        self.padding = padding
        self.fill = fill
        self.padding_mode = padding_mode

    def transform(self, inpt, params):
        return F.pad(inpt, self.padding, fill=self.fill, padding_mode=self.padding_mode)


# ==================================================================================================
# Color, normalisation, noise, erasing
# ==================================================================================================

class ColorJitter(Transform):
    """Random brightness, contrast, saturation and hue, applied in a random order.

    ``brightness=b`` draws the factor from ``[max(0, 1 - b), 1 + b]`` (or the given
    ``(min, max)``), likewise contrast and saturation; ``hue=h`` draws from ``[-h, h]``
    (``h <= 0.5``). The order is ``randperm(4)``, drawn before the factors."""

    def __init__(self, brightness=None, contrast=None, saturation=None, hue=None) -> None:
        self.brightness = self._check_input(brightness, "brightness")
        self.contrast = self._check_input(contrast, "contrast")
        self.saturation = self._check_input(saturation, "saturation")
        self.hue = self._check_input(hue, "hue", center=0, bound=(-0.5, 0.5),
                                     clip_first_on_zero=False)

    @staticmethod
    def _check_input(value, name: str, center: float = 1.0, bound=(0, float("inf")),
                     clip_first_on_zero: bool = True):
        if value is None:
            return None
        if isinstance(value, (int, float)):
            if value < 0:
                raise ValueError(f"If {name} is a single number, it must be non negative.")
            value = [center - value, center + value]
            if clip_first_on_zero:
                value[0] = max(value[0], 0.0)
        elif isinstance(value, Sequence) and len(value) == 2:
            value = [float(v) for v in value]
        else:
            raise TypeError(f"{name}={value} should be a single number or a sequence with "
                            "length 2.")
        if not bound[0] <= value[0] <= value[1] <= bound[1]:
            raise ValueError(f"{name} values should be between {bound}, but got {value}.")
        return None if value[0] == value[1] == center else (float(value[0]), float(value[1]))

    def make_params(self, flat_inputs):
        from ..random import randperm
        order = randperm(4).tolist()
        factors = [None if r is None else _uniform(r[0], r[1])
                   for r in (self.brightness, self.contrast, self.saturation, self.hue)]
        return dict(fn_idx=order, brightness_factor=factors[0], contrast_factor=factors[1],
                    saturation_factor=factors[2], hue_factor=factors[3])

    def transform(self, inpt, params):
        out = inpt
        for fn_id in params["fn_idx"]:
            if fn_id == 0 and params["brightness_factor"] is not None:
                out = F.adjust_brightness(out, params["brightness_factor"])
            elif fn_id == 1 and params["contrast_factor"] is not None:
                out = F.adjust_contrast(out, params["contrast_factor"])
            elif fn_id == 2 and params["saturation_factor"] is not None:
                out = F.adjust_saturation(out, params["saturation_factor"])
            elif fn_id == 3 and params["hue_factor"] is not None:
                out = F.adjust_hue(out, params["hue_factor"])
        return out


class Grayscale(Transform):
    """Convert to grayscale with 1 or 3 output channels."""

    def __init__(self, num_output_channels: int = 1) -> None:
        self.num_output_channels = num_output_channels

    def transform(self, inpt, params):
        return F.rgb_to_grayscale(inpt, self.num_output_channels)


class Normalize(Transform):
    """``(img[c] - mean[c]) / std[c]`` per channel."""

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> None:
        self.mean = list(mean)
        self.std = list(std)
        self.inplace = inplace

    def transform(self, inpt, params):
        return F.normalize(inpt, self.mean, self.std, self.inplace)


class GaussianNoise(Transform):
    """Add ``mean + sigma * N(0, 1)`` noise per pixel, clamped to ``[0, 1]`` when ``clip``."""

    def __init__(self, mean: float = 0.0, sigma: float = 0.1, clip: bool = True) -> None:
        self.mean = mean
        self.sigma = sigma
        self.clip = clip

    def transform(self, inpt, params):
        return F.gaussian_noise(inpt, mean=self.mean, sigma=self.sigma, clip=self.clip)


class RandomErasing(_RandomApplyTransform):
    """With probability ``p``, set a random rectangle (area ``scale`` of the image, aspect
    ratio log-uniform in ``ratio``) to ``value`` (a number, one per channel, or ``'random'`` for
    N(0, 1) noise). Up to 10 attempts; if none fits, nothing is erased."""

    def __init__(self, p: float = 0.5, scale: Sequence[float] = (0.02, 0.33),
                 ratio: Sequence[float] = (0.3, 3.3), value=0.0, inplace: bool = False) -> None:
        super().__init__(p=p)
        if not isinstance(value, (numbers.Number, str, tuple, list)):
            raise TypeError("Argument value should be either a number or str or a sequence")
        if isinstance(value, str) and value != "random":
            raise ValueError("If value is str, it should be 'random'")
        if not isinstance(scale, Sequence):
            raise TypeError("Scale should be a sequence")
        if not isinstance(ratio, Sequence):
            raise TypeError("Ratio should be a sequence")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            warnings.warn("Scale and ratio should be of kind (min, max)", stacklevel=2)
        if scale[0] < 0 or scale[1] > 1:
            raise ValueError("Scale should be between 0 and 1")
        self.scale = scale
        self.ratio = ratio
        if isinstance(value, (int, float)):
            self.value = [float(value)]
        elif isinstance(value, str):
            self.value = None
        else:
            self.value = [float(v) for v in value]
        self.inplace = inplace
        self._log_ratio = _log_ratio(ratio)

    def make_params(self, flat_inputs):
        img_c, img_h, img_w = flat_inputs[0].shape[-3:]
        if self.value is not None and len(self.value) not in (1, img_c):
            raise ValueError("If value is a sequence, it should have either a single value or "
                             f"{img_c} (number of inpt channels)")
        area = img_h * img_w
        lo, hi = float(self._log_ratio[0]), float(self._log_ratio[1])
        for _ in range(10):
            erase_area = area * _uniform(self.scale[0], self.scale[1])
            aspect_ratio = exp(empty(1).uniform_(lo, hi)).item()
            h = int(round(math.sqrt(erase_area * aspect_ratio)))
            w = int(round(math.sqrt(erase_area / aspect_ratio)))
            if not (h < img_h and w < img_w):
                continue
            if self.value is None:
                v = empty([img_c, h, w]).normal_()
            else:
                v = tensor(self.value)[:, None, None]
            i = _randint(0, img_h - h + 1)
            j = _randint(0, img_w - w + 1)
            break
        else:
            i, j, h, w, v = 0, 0, img_h, img_w, None
        return dict(i=i, j=j, h=h, w=w, v=v)

    def transform(self, inpt, params):
        if params["v"] is None:
            return inpt
        return F.erase(inpt, **params, inplace=self.inplace)
