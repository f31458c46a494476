"""Oracles written with torch core ops for the transforms tests (torchvision is not installed):
geometry through ``affine_grid`` + ``grid_sample`` with the inverse affine matrix derived here
from the math, and the published grayscale formula."""
import math

import numpy as np
import torch
import torch.nn.functional as TF



def inverse_affine_matrix(center, angle, translate, scale, shear):
    """M⁻¹ for M = T · C · RSS · C⁻¹, in closed form.

    RSS = R(a) S(s) SHy(sy) SHx(sx); multiplying out, RSS / s = [[a, b], [c, d]] with
    a = cos(a - sy) / cos(sy), b = -(a tan(sx) + sin(a)), c = sin(a - sy) / cos(sy),
    d = cos(a) - c tan(sx); its determinant is 1 (rotation and shears have determinant 1), so
    (RSS)⁻¹ = [[d, -b], [-c, a]] / s. Then M⁻¹ x = C (RSS)⁻¹ C⁻¹ T⁻¹ x."""
    rot, sx, sy = math.radians(angle), math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -(a * math.tan(sx) + math.sin(rot))
    c = math.sin(rot - sy) / math.cos(sy)
    d = math.cos(rot) - c * math.tan(sx)
    m = [d / scale, -b / scale, 0.0, -c / scale, a / scale, 0.0]
    m[2] = cx - m[0] * (cx + tx) - m[1] * (cy + ty)
    m[5] = cy - m[3] * (cx + tx) - m[4] * (cy + ty)
    return m


def torch_warp(img, m, oh, ow, mode, fill):
    """Sample img (N..., C, H, W) at m · (x, y, 1) (pixel units about the centers) with torch's
    grid_sample (align_corners=False) and torchvision's fill rule.

    Bilinear: the grid comes from ``affine_grid`` (independent of how we build ours). Nearest:
    the grid is built the way torchvision builds it (float32 linspace of pixel centers times the
    rescaled matrix, one bmm), because at exact half-pixel ties (e.g. 90 degrees on a
    non-square image) the rounding of the last bit decides which pixel is taken."""
    x = torch.tensor(img)
    lead, (c, h, w) = x.shape[:-3], x.shape[-3:]
    x = x.reshape(-1, c, h, w)
    n = x.shape[0]
    if mode == "bilinear":
        # affine_grid's normalised output coords are x_pix * 2 / ow; grid_sample's input
        # coords are x_pix * 2 / W, so the pixel matrix is rescaled on both sides
        theta = torch.tensor([[m[0] * ow / w, m[1] * oh / w, 2 * m[2] / w],
                              [m[3] * ow / h, m[4] * oh / h, 2 * m[5] / h]],
                             dtype=torch.float64).to(x.dtype)
        grid = TF.affine_grid(theta.expand(n, 2, 3), [n, c, oh, ow], align_corners=False)
    else:
        base = torch.empty(1, oh, ow, 3, dtype=x.dtype)
        base[..., 0] = torch.linspace((1.0 - ow) * 0.5, (ow - 1.0) * 0.5, ow, dtype=x.dtype)
        base[..., 1] = torch.linspace((1.0 - oh) * 0.5, (oh - 1.0) * 0.5, oh,
                                      dtype=x.dtype).unsqueeze(-1)
        base[..., 2] = 1
        theta = torch.tensor(m, dtype=x.dtype).view(1, 2, 3)
        scaled = theta.transpose(1, 2) / torch.tensor([0.5 * w, 0.5 * h], dtype=x.dtype)
        grid = base.view(1, oh * ow, 3).bmm(scaled).view(1, oh, ow, 2).expand(n, oh, ow, 2)
    if fill is not None:
        x = torch.cat([x, torch.ones(n, 1, h, w, dtype=x.dtype)], dim=1)
    out = TF.grid_sample(x, grid, mode=mode, padding_mode="zeros", align_corners=False)
    if fill is not None:
        out, mask = out[:, :-1], out[:, -1:]
        f = torch.tensor(fill if isinstance(fill, (list, tuple)) else [fill],
                         dtype=x.dtype).view(1, -1, 1, 1)
        out = torch.where(mask < 0.5, f.expand_as(out), out) if mode == "nearest" else \
            mask * (out - f) + f
    return out.reshape(*lead, c, oh, ow)


def torch_affine(img, angle, translate, scale, shear, mode="nearest", fill=None, center=None):
    h, w = img.shape[-2:]
    center_f = [0.0, 0.0] if center is None else [center[0] - w / 2, center[1] - h / 2]
    shear = [shear, 0.0] if isinstance(shear, (int, float)) else list(shear)
    m = inverse_affine_matrix(center_f, angle, translate, scale, shear)
    return torch_warp(img, m, h, w, mode, fill)


def torch_rotate(img, angle, mode="nearest", expand=False, center=None, fill=None):
    h, w = img.shape[-2:]
    center_f = [0.0, 0.0] if center is None else [center[0] - w / 2, center[1] - h / 2]
    m = inverse_affine_matrix(center_f, -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    oh, ow = h, w
    if expand:
        # the rotated corners' bounding box (PIL's rule), in float32 as torchvision computes
        # it: ceil/floor after truncating to 1e-4, which drops float noise
        half = torch.tensor([w / 2, h / 2])
        pts = torch.tensor([[-w / 2, -h / 2, 1.0], [-w / 2, h / 2, 1.0], [w / 2, h / 2, 1.0],
                            [w / 2, -h / 2, 1.0]])
        new = pts @ torch.tensor(m, dtype=torch.float32).view(2, 3).T
        hi = ((new.amax(0) + half) * 1e4).trunc().mul(1e-4).ceil()
        lo = ((new.amin(0) + half) * 1e4).trunc().mul(1e-4).floor()
        ow, oh = (int(v) for v in hi - lo)
    return torch_warp(img, m, oh, ow, mode, fill)


def gray(x):
    return 0.2989 * x[..., 0:1, :, :] + 0.587 * x[..., 1:2, :, :] + 0.114 * x[..., 2:3, :, :]
