"""Deterministic image operations, named and parametrised as torchvision.transforms.v2.functional.

Images are tensors of shape ``(..., C, H, W)``: one image ``(C, H, W)`` or a batch
``(N, C, H, W)`` (any number of leading dimensions works). The geometric and color operations
expect floating point images with values in ``[0, 1]``; flips, crops and padding work for any
dtype. Every function returns a new tensor without autograd history: these are data-pipeline
operations on the tensor's array (torchvision's tensor kernels are differentiable; ours are not).

The math, stated once:

* **Geometry** (``affine``, ``rotate``). A pixel ``(x, y)`` is addressed relative to the image
  center (``x`` runs from ``-(W-1)/2`` to ``(W-1)/2``). The forward map is
  ``M = T · C · RSS · C⁻¹`` with ``C`` the shift to the chosen center, ``T`` the translation and
  ``RSS = R(angle) · S(scale) · SHy(shear_y) · SHx(shear_x)``, where ``R`` is a rotation,
  ``SHx(s) = [[1, -tan s], [0, 1]]`` and ``SHy(s) = [[1, 0], [-tan s, 1]]``. Each output pixel
  reads the input at ``M⁻¹ · (x, y)`` (bilinear or nearest), divided by ``(W/2, H/2)`` to get
  ``grid_sample``'s normalised coordinates (``align_corners=False``). Outside the image the
  value is 0, or ``fill``: a ones-channel is sampled along with the image and the result is
  ``mask * (img - fill) + fill`` (bilinear) or ``fill where mask < 0.5`` (nearest), as in
  torchvision. ``affine``'s angle is clockwise, ``rotate``'s counter-clockwise (torchvision's
  convention: ``rotate(a)`` is ``affine(-a)``).
* **Resize** with ``antialias=True`` (the default) is torch's anti-aliased bilinear filter:
  output pixel ``i`` of an axis shrunk by ``s = in/out`` averages the input around
  ``c = s (i + 1/2)`` with triangle weights ``max(0, 1 - |j + 1/2 - c| / max(s, 1))``,
  normalised to sum 1. Without antialiasing it is plain bilinear interpolation at
  ``s (i + 1/2) - 1/2``. Both are a matrix per axis: ``out = A_h · img · A_wᵀ`` (two GEMMs).
* **Color** (torchvision's published formulas, values clamped to ``[0, 1]``):
  ``blend(a, b, r) = r a + (1 - r) b``; gray ``= 0.2989 R + 0.587 G + 0.114 B``;
  brightness ``= blend(img, 0, f)``; contrast ``= blend(img, mean(gray), f)``;
  saturation ``= blend(img, gray, f)``; hue rotates H in HSV space by ``f`` turns.
"""
from __future__ import annotations

import math
import numbers
from enum import Enum
from typing import Sequence

import numpy as np

from .._names import shape_str
from .._numpy_errors import quiet
from .._tensor import Tensor, _new_tensor

__all__ = [
    "InterpolationMode", "horizontal_flip", "hflip", "vertical_flip", "vflip", "crop",
    "center_crop", "pad", "resize", "resized_crop", "affine", "rotate", "rgb_to_grayscale",
    "adjust_brightness", "adjust_contrast", "adjust_saturation", "adjust_hue", "normalize",
    "erase", "gaussian_noise", "get_size", "get_dimensions",
]


class InterpolationMode(Enum):
    """torchvision's interpolation names; plain strings (``"bilinear"``) are accepted too."""
    NEAREST = "nearest"
    BILINEAR = "bilinear"


def _interpolation(mode) -> InterpolationMode:
    if isinstance(mode, InterpolationMode):
        return mode
    if isinstance(mode, str):
        try:
            return InterpolationMode(mode.lower())
        except ValueError:
            pass
    raise ValueError(f"Argument interpolation should be an `InterpolationMode` ('nearest' or "
                     f"'bilinear' here), but got {mode}.")


# ==================================================================================================
# Helpers: checking and wrapping
# ==================================================================================================

def _image(inpt, name: str, need_float: bool = False) -> np.ndarray:
    """The array of an image tensor ``(..., C, H, W)``; clear errors for anything else."""
    if not isinstance(inpt, Tensor):
        raise TypeError(f"{name}() expects a Tensor image of shape (..., C, H, W), got "
                        f"{type(inpt).__name__}")
    arr = inpt._data
    if arr.ndim < 3:
        raise ValueError(f"{name}() expects a tensor image of shape (..., C, H, W), i.e. at "
                         f"least 3 dimensions, got shape {shape_str(arr.shape)}")
    if need_float and arr.dtype.kind != "f":
        raise TypeError(f"{name}() expects a floating point image (values in [0, 1]), got "
                        f"dtype {inpt.dtype}; convert with .float() (and / 255 for uint8)")
    return arr


def _wrap(arr: np.ndarray) -> Tensor:
    return _new_tensor(arr)


def get_dimensions(inpt: Tensor) -> list[int]:
    """``[C, H, W]`` of an image tensor."""
    return list(_image(inpt, "get_dimensions").shape[-3:])


def get_size(inpt: Tensor) -> list[int]:
    """``[H, W]`` of an image tensor."""
    return list(_image(inpt, "get_size").shape[-2:])


def _fill_values(fill, channels: int, name: str):
    """``None`` or an array broadcastable to ``(C, 1, 1)``; torchvision's checks."""
    if fill is None:
        return None
    if isinstance(fill, (tuple, list)):
        if len(fill) > 1 and len(fill) != channels:
            raise ValueError("The number of elements in 'fill' cannot broadcast to match the "
                             f"number of channels of the image ({len(fill)} != {channels})")
        return np.asarray([float(f) for f in fill]).reshape(-1, 1, 1)
    if not isinstance(fill, (int, float)):
        raise ValueError("Argument fill should be either int, float, tuple or list")
    return np.asarray([float(fill)]).reshape(-1, 1, 1)


# ==================================================================================================
# Flips, crops, padding
# ==================================================================================================

def horizontal_flip(inpt: Tensor) -> Tensor:
    """Mirror left-right (the last dimension)."""
    return _wrap(_image(inpt, "horizontal_flip")[..., ::-1].copy())


def vertical_flip(inpt: Tensor) -> Tensor:
    """Mirror top-bottom (the second-to-last dimension)."""
    return _wrap(_image(inpt, "vertical_flip")[..., ::-1, :].copy())


hflip = horizontal_flip
vflip = vertical_flip


def _parse_padding(padding) -> list[int]:
    """torchvision's padding argument -> ``[left, right, top, bottom]``."""
    if isinstance(padding, int):
        return [padding] * 4
    if isinstance(padding, (tuple, list)):
        if len(padding) == 1:
            return [padding[0]] * 4
        if len(padding) == 2:
            return [padding[0], padding[0], padding[1], padding[1]]
        if len(padding) == 4:
            return [padding[0], padding[2], padding[1], padding[3]]
        raise ValueError("Padding must be an int or a 1, 2, or 4 element tuple or list. Found "
                         f"{len(padding)}")
    raise TypeError(f"`padding` should be an integer or tuple or list of integers, but got "
                    f"{padding}")


_NP_PAD_MODES = {"constant": "constant", "edge": "edge", "reflect": "reflect",
                 "symmetric": "symmetric"}


def _pad_array(arr: np.ndarray, lrtb: list[int], fill, padding_mode: str) -> np.ndarray:
    left, right, top, bottom = lrtb
    if min(lrtb) < 0:
        # negative padding crops, as torch's pad does
        h, w = arr.shape[-2:]
        arr = arr[..., max(-top, 0):h - max(-bottom, 0), max(-left, 0):w - max(-right, 0)]
        lrtb = [max(p, 0) for p in lrtb]
        left, right, top, bottom = lrtb
    widths = [(0, 0)] * (arr.ndim - 2) + [(top, bottom), (left, right)]
    if padding_mode == "reflect":
        h, w = arr.shape[-2:]
        if max(top, bottom) >= h or max(left, right) >= w:
            raise RuntimeError(
                f"Argument #4: Padding size should be less than the corresponding input "
                f"dimension, but got: padding ({left}, {right}) at dimension {arr.ndim - 1} of "
                f"input {shape_str(arr.shape)}")
    if padding_mode != "constant":
        return np.pad(arr, widths, mode=_NP_PAD_MODES[padding_mode])
    fill_arr = _fill_values(0 if fill is None else fill, arr.shape[-3], "pad")
    if fill_arr.size == 1:
        return np.pad(arr, widths, mode="constant", constant_values=fill_arr.item())
    out = np.pad(arr, widths, mode="constant")
    # a per-channel fill: paint the four borders channel by channel
    fill_c = fill_arr.astype(arr.dtype) if arr.dtype.kind == "f" else \
        np.asarray(fill_arr).astype(arr.dtype)
    h, w = out.shape[-2:]
    border = np.ones((h, w), dtype=bool)
    border[top:h - bottom, left:w - right] = False
    out[..., border] = np.broadcast_to(fill_c.reshape(-1, 1), out[..., border].shape)
    return out


@quiet
def pad(inpt: Tensor, padding, fill=None, padding_mode: str = "constant") -> Tensor:
    """Pad the borders: ``padding`` is one int, ``[left/right, top/bottom]`` or
    ``[left, top, right, bottom]``; modes constant (with ``fill``, per channel if a sequence),
    edge, reflect (without repeating the edge) and symmetric (repeating it)."""
    arr = _image(inpt, "pad")
    lrtb = _parse_padding(padding)
    if padding_mode not in _NP_PAD_MODES:
        raise ValueError("`padding_mode` should be either `'constant'`, `'edge'`, `'reflect'` or "
                         f"`'symmetric'`, but got `'{padding_mode}'`.")
    if padding_mode != "constant" and isinstance(fill, (tuple, list)) and len(fill) > 1:
        raise ValueError(f"Padding mode '{padding_mode}' is not supported if fill is not scalar")
    return _wrap(_pad_array(arr, lrtb, fill, padding_mode))


def crop(inpt: Tensor, top: int, left: int, height: int, width: int) -> Tensor:
    """``img[..., top:top+height, left:left+width]``; parts outside the image are zeros."""
    arr = _image(inpt, "crop")
    h, w = arr.shape[-2:]
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > w or bottom > h:
        inside = arr[..., max(top, 0):bottom, max(left, 0):right]
        lrtb = [max(min(right, 0) - left, 0), max(right - max(w, left), 0),
                max(min(bottom, 0) - top, 0), max(bottom - max(h, top), 0)]
        return _wrap(_pad_array(inside, lrtb, 0, "constant"))
    return _wrap(arr[..., top:bottom, left:right].copy())


def _pair(size, name: str) -> list[int]:
    if isinstance(size, numbers.Number):
        return [int(size), int(size)]
    if isinstance(size, (tuple, list)) and len(size) == 1:
        return [size[0], size[0]]
    if isinstance(size, (tuple, list)) and len(size) == 2:
        return list(size)
    raise ValueError(f"Please provide only two dimensions (h, w) for {name}.")


def center_crop(inpt: Tensor, output_size) -> Tensor:
    """The central ``output_size`` (int or ``(h, w)``) region; zero-padded when larger than the
    image. The top-left corner is ``round((H - h) / 2), round((W - w) / 2)``."""
    arr = _image(inpt, "center_crop")
    ch, cw = _pair(output_size, "size")
    h, w = arr.shape[-2:]
    if ch > h or cw > w:
        lrtb = [(cw - w) // 2 if cw > w else 0, (cw - w + 1) // 2 if cw > w else 0,
                (ch - h) // 2 if ch > h else 0, (ch - h + 1) // 2 if ch > h else 0]
        arr = _pad_array(arr, lrtb, 0, "constant")
        h, w = arr.shape[-2:]
        if (ch, cw) == (h, w):
            return _wrap(arr)
    top, left = int(round((h - ch) / 2.0)), int(round((w - cw) / 2.0))
    return _wrap(arr[..., top:top + ch, left:left + cw].copy())


# ==================================================================================================
# Resize
# ==================================================================================================

def _output_size(h: int, w: int, size, max_size: int | None) -> tuple[int, int]:
    """torchvision's rule: an int (or 1-sequence) sets the shorter edge and keeps the aspect
    ratio (``max_size`` caps the longer edge); ``(h, w)`` is taken as is."""
    if isinstance(size, int):
        size = [size]
    if size is None or len(size) == 1:
        if size is None:
            if max_size is None:
                raise ValueError("max_size must be an integer when size is None, but got None "
                                 "instead.")
            short, long = (w, h) if w <= h else (h, w)
            new_short, new_long = int(max_size * short / long), max_size
        else:
            short, long = (w, h) if w <= h else (h, w)
            requested = size[0]
            new_short, new_long = requested, int(requested * long / short)
            if max_size is not None:
                if max_size <= requested:
                    raise ValueError(
                        f"max_size = {max_size} must be strictly greater than the requested size "
                        f"for the smaller edge size = {size}")
                if new_long > max_size:
                    new_short, new_long = int(max_size * new_short / new_long), max_size
        new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
        return new_h, new_w
    if max_size is not None:
        raise ValueError("max_size should only be passed if size specifies the length of the "
                         "smaller edge, i.e. size should be an int or a sequence of length 1")
    return int(size[0]), int(size[1])


def _nearest_indices(n_in: int, n_out: int) -> np.ndarray:
    """torch's 'nearest': source ``min(floor(dst * in/out), in - 1)``, computed in float32."""
    scale = np.float32(n_in / n_out)
    src = np.floor(np.arange(n_out, dtype=np.float32) * scale).astype(np.int64)
    return np.minimum(src, n_in - 1)


def _resize_matrix(n_in: int, n_out: int, antialias: bool, dtype) -> np.ndarray:
    """``A`` with ``out = A @ x`` along one axis (shape ``(n_out, n_in)``): torch's bilinear
    weights, anti-aliased or not."""
    scale = n_in / n_out
    A = np.zeros((n_out, n_in), dtype=np.float64)
    if antialias:
        support = scale if scale >= 1.0 else 1.0
        inv = 1.0 / scale if scale >= 1.0 else 1.0
        for i in range(n_out):  # one row per output pixel: a handful of taps each
            center = scale * (i + 0.5)
            lo = max(int(center - support + 0.5), 0)
            hi = min(int(center + support + 0.5), n_in)
            j = np.arange(lo, hi)
            wts = np.clip(1.0 - np.abs((j - center + 0.5) * inv), 0.0, None)
            total = wts.sum()
            A[i, lo:hi] = wts / total if total else wts
        return A.astype(dtype)
    rows = np.arange(n_out)
    src = np.maximum(scale * (rows + 0.5) - 0.5, 0.0)
    x0 = src.astype(np.int64)
    x1 = np.minimum(x0 + 1, n_in - 1)
    frac = src - x0
    np.add.at(A, (rows, x0), 1.0 - frac)
    np.add.at(A, (rows, x1), frac)
    return A.astype(dtype)


def _resize_array(arr: np.ndarray, oh: int, ow: int, mode: InterpolationMode,
                  antialias: bool) -> np.ndarray:
    h, w = arr.shape[-2:]
    if (oh, ow) == (h, w):
        return arr
    if mode is InterpolationMode.NEAREST:
        rows, cols = _nearest_indices(h, oh), _nearest_indices(w, ow)
        return arr[..., rows[:, None], cols[None, :]]
    A_h = _resize_matrix(h, oh, antialias, arr.dtype)
    A_w = _resize_matrix(w, ow, antialias, arr.dtype)
    return A_h @ (arr @ A_w.T)  # the two separable passes, one GEMM each


@quiet
def resize(inpt: Tensor, size, interpolation=InterpolationMode.BILINEAR,
           max_size: int | None = None, antialias: bool | None = True) -> Tensor:
    """Resize to ``size`` (``(h, w)``, or an int for the shorter edge). Bilinear (default, with
    torch's anti-aliasing filter unless ``antialias=False``) or nearest."""
    mode = _interpolation(interpolation)
    arr = _image(inpt, "resize", need_float=mode is not InterpolationMode.NEAREST)
    h, w = arr.shape[-2:]
    oh, ow = _output_size(h, w, size, max_size)
    if (oh, ow) == (h, w):
        return inpt
    return _wrap(_resize_array(arr, oh, ow, mode, bool(antialias)))


@quiet
def resized_crop(inpt: Tensor, top: int, left: int, height: int, width: int, size,
                 interpolation=InterpolationMode.BILINEAR, antialias: bool | None = True) -> Tensor:
    """``resize(crop(img, top, left, height, width), size)``."""
    return resize(crop(inpt, top, left, height, width), size, interpolation=interpolation,
                  antialias=antialias)


# ==================================================================================================
# Affine and rotate
# ==================================================================================================

def _inverse_affine_matrix(center, angle: float, translate, scale: float, shear) -> np.ndarray:
    """``M⁻¹`` (2x3, pixel units about the image center) of ``M = T · C · RSS · C⁻¹``."""
    rot = math.radians(angle)
    sx, sy = math.radians(shear[0]), math.radians(shear[1])
    rotation = np.array([[math.cos(rot), -math.sin(rot)], [math.sin(rot), math.cos(rot)]])
    shear_x = np.array([[1.0, -math.tan(sx)], [0.0, 1.0]])
    shear_y = np.array([[1.0, 0.0], [-math.tan(sy), 1.0]])
    rss = scale * rotation @ shear_y @ shear_x

    def homogeneous(linear=np.eye(2), shift=(0.0, 0.0)):
        m = np.eye(3)
        m[:2, :2] = linear
        m[:2, 2] = shift
        return m

    c = homogeneous(shift=center)
    t = homogeneous(shift=translate)
    forward = t @ c @ homogeneous(rss) @ np.linalg.inv(c)
    return np.linalg.inv(forward)[:2]


def _parse_affine_args(angle, translate, scale, shear, center):
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if not isinstance(translate, (list, tuple)):
        raise TypeError("Argument translate should be a sequence")
    if len(translate) != 2:
        raise ValueError("Argument translate should be a sequence of length 2")
    if scale <= 0.0:
        raise ValueError("Argument scale should be positive")
    if not isinstance(shear, (numbers.Number, list, tuple)):
        raise TypeError("Shear should be either a single value or a sequence of two values")
    if isinstance(shear, numbers.Number):
        shear = [shear, 0.0]
    shear = list(shear)
    if len(shear) == 1:
        shear = [shear[0], shear[0]]
    if len(shear) != 2:
        raise ValueError(f"Shear should be a sequence containing two values. Got {shear}")
    if center is not None:
        if not isinstance(center, (list, tuple)):
            raise TypeError("Argument center should be a sequence")
        center = [float(c) for c in center]
    return float(angle), [float(t) for t in translate], [float(s) for s in shear], center


def _sample_grid(arr: np.ndarray, matrix: np.ndarray, oh: int, ow: int,
                 mode: InterpolationMode, fill) -> np.ndarray:
    """Sample ``arr`` at ``matrix · (x, y, 1)`` for every output pixel (see the module
    docstring), through ``nn.functional.grid_sample``; ``fill`` outside the image."""
    from ..autograd.grad_mode import no_grad
    from ..nn.functional import grid_sample
    h, w = arr.shape[-2:]
    c = arr.shape[-3]
    lead = arr.shape[:-3]
    flat = arr.reshape(-1, c, h, w)
    # Output pixel centers relative to the output's center, as homogeneous (x, y, 1); the
    # matrix, scaled to grid_sample's [-1, 1] input coordinates, maps them in one product. Done
    # in the image dtype in torchvision's order, so that nearest sampling at exact half-pixel
    # ties rounds the way torchvision's grid does (as far as float rounding allows).
    dt = arr.dtype
    base = np.empty((oh, ow, 3), dtype=dt)
    base[..., 0] = np.arange(ow, dtype=dt) + dt.type((1.0 - ow) * 0.5)
    base[..., 1] = (np.arange(oh, dtype=dt) + dt.type((1.0 - oh) * 0.5))[:, None]
    base[..., 2] = 1
    theta = matrix.astype(dt).T / np.array([0.5 * w, 0.5 * h], dtype=dt)
    grid = (base.reshape(-1, 3) @ theta).reshape(oh, ow, 2)
    grid = np.broadcast_to(grid, (flat.shape[0], oh, ow, 2))
    fill_arr = _fill_values(fill, c, "fill")
    if fill_arr is not None:
        flat = np.concatenate([flat, np.ones((flat.shape[0], 1, h, w), dtype=arr.dtype)], axis=1)
    with no_grad():
        out = grid_sample(_new_tensor(np.ascontiguousarray(flat)),
                          _new_tensor(np.ascontiguousarray(grid)), mode=mode.value,
                          padding_mode="zeros", align_corners=False)._data
    if fill_arr is not None:
        out, mask = out[:, :-1], out[:, -1:]
        fill_c = fill_arr.astype(arr.dtype)
        if mode is InterpolationMode.NEAREST:
            out = np.where(mask < 0.5, fill_c, out)
        else:
            out = mask * (out - fill_c) + fill_c
    return out.reshape(lead + (c, oh, ow))


@quiet
def affine(inpt: Tensor, angle: float, translate: Sequence[float], scale: float,
           shear, interpolation=InterpolationMode.NEAREST, fill=None,
           center: Sequence[float] | None = None) -> Tensor:
    """Rotate by ``angle`` degrees **clockwise**, scale by ``scale`` (the "stretch"), shear by
    ``shear`` degrees (one value: x only; two: x and y) and translate by ``translate`` pixels,
    about ``center`` (default: the image center). Nearest (default) or bilinear sampling."""
    mode = _interpolation(interpolation)
    arr = _image(inpt, "affine", need_float=True)
    angle, translate, shear, center = _parse_affine_args(angle, translate, scale, shear, center)
    h, w = arr.shape[-2:]
    center_f = [0.0, 0.0] if center is None else [c - s * 0.5 for c, s in zip(center, (w, h))]
    matrix = _inverse_affine_matrix(center_f, angle, translate, scale, shear)
    return _wrap(_sample_grid(arr, matrix, h, w, mode, fill))


def _expanded_size(matrix: np.ndarray, w: int, h: int) -> tuple[int, int]:
    """The output size holding the whole rotated image: the bounding box of the image corners
    under ``matrix`` (PIL's rule, used by torchvision), computed in float32 as torchvision does
    (the 1e-4 truncation then drops float noise such as cos(90°) = 6e-17 before ceil/floor)."""
    half = np.array([0.5 * w, 0.5 * h], dtype=np.float32)
    corners = np.array([[-half[0], -half[1], 1.0], [-half[0], half[1], 1.0],
                        [half[0], half[1], 1.0], [half[0], -half[1], 1.0]], dtype=np.float32)
    pts = corners @ matrix.astype(np.float32).T
    tol = np.float32(1e-4)
    inv_tol = np.float32(1.0 / 1e-4)
    hi = np.ceil(np.trunc((pts.max(axis=0) + half) * inv_tol) * tol)
    lo = np.floor(np.trunc((pts.min(axis=0) + half) * inv_tol) * tol)
    size = hi - lo
    return int(size[0]), int(size[1])


@quiet
def rotate(inpt: Tensor, angle: float, interpolation=InterpolationMode.NEAREST,
           expand: bool = False, center: Sequence[float] | None = None, fill=None) -> Tensor:
    """Rotate by ``angle`` degrees **counter-clockwise** about ``center`` (default: the image
    center). ``expand=True`` enlarges the output to hold the whole rotated image. Multiples of
    90 degrees about the center are exact transposes, as in torchvision."""
    mode = _interpolation(interpolation)
    arr = _image(inpt, "rotate", need_float=True)
    angle = angle % 360
    h, w = arr.shape[-2:]
    if center is None:
        if angle == 0:
            return _wrap(arr.copy())
        if angle == 180:
            return _wrap(np.rot90(arr, 2, axes=(-2, -1)).copy())
        if expand or h == w:
            if angle == 90:
                return _wrap(np.rot90(arr, 1, axes=(-2, -1)).copy())
            if angle == 270:
                return _wrap(np.rot90(arr, 3, axes=(-2, -1)).copy())
    center_f = [0.0, 0.0]
    if center is not None:
        center_f = [float(c) - s * 0.5 for c, s in zip(center, (w, h))]
    matrix = _inverse_affine_matrix(center_f, -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    ow, oh = _expanded_size(matrix, w, h) if expand else (w, h)
    return _wrap(_sample_grid(arr, matrix, oh, ow, mode, fill))


# ==================================================================================================
# Color
# ==================================================================================================

def _check_channels(arr: np.ndarray) -> int:
    c = arr.shape[-3]
    if c not in (1, 3):
        raise TypeError(f"Input image tensor permitted channel values are 1 or 3, but found {c}")
    return c


def _gray(arr: np.ndarray) -> np.ndarray:
    """``0.2989 R + 0.587 G + 0.114 B``, keeping the channel dimension (size 1)."""
    r, g, b = arr[..., 0, :, :], arr[..., 1, :, :], arr[..., 2, :, :]
    return (r * 0.2989 + g * 0.587 + b * 0.114)[..., None, :, :]


def _blend(a: np.ndarray, b, ratio: float) -> np.ndarray:
    ratio = float(ratio)
    return np.clip(a * ratio + b * (1.0 - ratio), 0.0, 1.0)


@quiet
def rgb_to_grayscale(inpt: Tensor, num_output_channels: int = 1) -> Tensor:
    """Luma ``0.2989 R + 0.587 G + 0.114 B``, as 1 channel or repeated to 3."""
    arr = _image(inpt, "rgb_to_grayscale", need_float=True)
    if num_output_channels not in (1, 3):
        raise ValueError(f"num_output_channels must be 1 or 3, got {num_output_channels}.")
    gray = arr.copy() if arr.shape[-3] == 1 else _gray(arr)
    if num_output_channels == 3:
        gray = np.broadcast_to(gray, gray.shape[:-3] + (3,) + gray.shape[-2:]).copy()
    return _wrap(gray)


@quiet
def adjust_brightness(inpt: Tensor, brightness_factor: float) -> Tensor:
    """``clamp(img * f, 0, 1)``: a blend with black."""
    arr = _image(inpt, "adjust_brightness", need_float=True)
    if brightness_factor < 0:
        raise ValueError(f"brightness_factor ({brightness_factor}) is not non-negative.")
    _check_channels(arr)
    return _wrap(np.clip(arr * float(brightness_factor), 0.0, 1.0))


@quiet
def adjust_contrast(inpt: Tensor, contrast_factor: float) -> Tensor:
    """Blend with the mean of the grayscale image (one mean per image)."""
    arr = _image(inpt, "adjust_contrast", need_float=True)
    if contrast_factor < 0:
        raise ValueError(f"contrast_factor ({contrast_factor}) is not non-negative.")
    c = _check_channels(arr)
    gray = _gray(arr) if c == 3 else arr
    mean = gray.mean(axis=(-3, -2, -1), keepdims=True)
    return _wrap(_blend(arr, mean, contrast_factor))


@quiet
def adjust_saturation(inpt: Tensor, saturation_factor: float) -> Tensor:
    """Blend with the grayscale image (``0`` gives gray, ``1`` the original)."""
    arr = _image(inpt, "adjust_saturation", need_float=True)
    if saturation_factor < 0:
        raise ValueError(f"saturation_factor ({saturation_factor}) is not non-negative.")
    if _check_channels(arr) == 1:
        return _wrap(arr.copy())
    return _wrap(_blend(arr, _gray(arr), saturation_factor))


def _rgb_to_hsv(arr: np.ndarray) -> np.ndarray:
    r, g, b = arr[..., 0, :, :], arr[..., 1, :, :], arr[..., 2, :, :]
    maxc, minc = arr.max(axis=-3), arr.min(axis=-3)
    flat = maxc == minc  # gray pixels: hue and saturation are 0 (no division by zero)
    span = maxc - minc
    s = span / np.where(flat, 1, maxc)
    span_safe = np.where(flat, 1, span)
    rc, gc, bc = (maxc - r) / span_safe, (maxc - g) / span_safe, (maxc - b) / span_safe
    h = np.where(maxc == r, bc - gc, np.where(maxc == g, 2.0 + rc - bc, 4.0 + gc - rc))
    h = np.where(flat, 0.0, h)
    h = np.mod(h / 6.0 + 1.0, 1.0)
    return np.stack([h, s, maxc], axis=-3).astype(arr.dtype)


def _hsv_to_rgb(hsv: np.ndarray) -> np.ndarray:
    h, s, v = hsv[..., 0, :, :], hsv[..., 1, :, :], hsv[..., 2, :, :]
    i = np.floor(h * 6.0)
    f = h * 6.0 - i
    i = i.astype(np.int64) % 6
    p = np.clip(v * (1.0 - s), 0.0, 1.0)
    q = np.clip(v * (1.0 - s * f), 0.0, 1.0)
    t = np.clip(v * (1.0 - s * (1.0 - f)), 0.0, 1.0)
    # the six sectors of the hue circle: which of v, q, p, t feeds R, G and B
    r = np.choose(i, [v, q, p, p, t, v])
    g = np.choose(i, [t, v, v, q, p, p])
    b = np.choose(i, [p, p, t, v, v, q])
    return np.stack([r, g, b], axis=-3).astype(hsv.dtype)


@quiet
def adjust_hue(inpt: Tensor, hue_factor: float) -> Tensor:
    """Shift the hue by ``hue_factor`` turns (``-0.5 .. 0.5``) in HSV space."""
    arr = _image(inpt, "adjust_hue", need_float=True)
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    if _check_channels(arr) == 1 or arr.size == 0:
        return _wrap(arr.copy())
    # torchvision converts to float32 for the HSV round trip, whatever the input dtype
    hsv = _rgb_to_hsv(arr.astype(np.float32))
    hsv[..., 0, :, :] = np.mod(hsv[..., 0, :, :] + np.float32(hue_factor), 1.0)
    return _wrap(_hsv_to_rgb(hsv).astype(arr.dtype))


# ==================================================================================================
# Normalize, erase, noise
# ==================================================================================================

@quiet
def normalize(inpt: Tensor, mean: Sequence[float], std: Sequence[float],
              inplace: bool = False) -> Tensor:
    """``(img[c] - mean[c]) / std[c]`` per channel."""
    if not isinstance(inpt, Tensor):
        raise TypeError(f"normalize() expects a Tensor image, got {type(inpt).__name__}")
    arr = inpt._data
    if arr.dtype.kind != "f":
        raise TypeError(f"Input tensor should be a float tensor. Got {inpt.dtype}.")
    if arr.ndim < 3:
        raise ValueError("Expected tensor to be a tensor image of size (..., C, H, W). Got "
                         f"{inpt.shape}.")
    if isinstance(std, (tuple, list)):
        divzero = not all(std)
    elif isinstance(std, (int, float)):
        divzero = std == 0
    else:
        divzero = False
    if divzero:
        raise ValueError("std evaluated to zero, leading to division by zero.")
    m = np.asarray(mean._data if isinstance(mean, Tensor) else mean, dtype=arr.dtype)
    s = np.asarray(std._data if isinstance(std, Tensor) else std, dtype=arr.dtype)
    m = m.reshape(-1, 1, 1) if m.ndim == 1 else m
    s = s.reshape(-1, 1, 1) if s.ndim == 1 else s
    if inplace:
        np.subtract(arr, m, out=arr)
        np.divide(arr, s, out=arr)
        inpt._bump_version()
        return inpt
    return _wrap((arr - m) / s)


@quiet
def erase(inpt: Tensor, i: int, j: int, h: int, w: int, v, inplace: bool = False) -> Tensor:
    """Set ``img[..., i:i+h, j:j+w]`` to ``v`` (a tensor broadcastable to ``(C, h, w)``)."""
    arr = _image(inpt, "erase")
    value = v._data if isinstance(v, Tensor) else np.asarray(v)
    if inplace:
        arr[..., i:i + h, j:j + w] = value
        inpt._bump_version()
        return inpt
    out = arr.copy()
    out[..., i:i + h, j:j + w] = value
    return _wrap(out)


@quiet
def gaussian_noise(inpt: Tensor, mean: float = 0.0, sigma: float = 0.1,
                   clip: bool = True) -> Tensor:
    """``img + mean + sigma * N(0, 1)`` per pixel (``randn_like``, so from the default
    generator), clamped to ``[0, 1]`` when ``clip``."""
    from ..random import randn_like
    if sigma < 0:
        raise ValueError(f"sigma shouldn't be negative. Got {sigma}")
    arr = _image(inpt, "gaussian_noise")
    if arr.dtype.kind != "f":
        raise ValueError(f"Input tensor is expected to be in float dtype here, got "
                         f"dtype={inpt.dtype}")
    noise = mean + randn_like(inpt)._data * sigma
    out = arr + noise
    if clip:
        out = np.clip(out, 0.0, 1.0)
    return _wrap(out.astype(arr.dtype, copy=False))
