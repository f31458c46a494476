"""Upsample, UpsamplingNearest2d, UpsamplingBilinear2d, PixelShuffle/Unshuffle modules against
torch: outputs, gradients, repr."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check, rand

MODULES = [
    ("Upsample", (), dict(scale_factor=2), (2, 3, 4, 5)),
    ("Upsample", (), dict(size=(7, 3), mode="bilinear"), (2, 3, 4, 5)),
    ("Upsample", (), dict(scale_factor=(1.5, 2.5), mode="bicubic", align_corners=True),
     (1, 2, 4, 5)),
    ("Upsample", (), dict(scale_factor=1.7, mode="linear", recompute_scale_factor=True),
     (2, 3, 5)),
    ("Upsample", (), dict(size=4, mode="nearest-exact"), (2, 3, 7)),
    ("Upsample", (), dict(scale_factor=2, mode="trilinear"), (1, 2, 2, 3, 2)),
    ("UpsamplingNearest2d", (), dict(scale_factor=3), (2, 3, 2, 3)),
    ("UpsamplingBilinear2d", (), dict(size=(5, 6)), (2, 3, 3, 4)),
    ("PixelShuffle", (2,), {}, (2, 8, 3, 2)),
    ("PixelUnshuffle", (2,), {}, (2, 2, 4, 6)),
]


@pytest.mark.parametrize("name,args,kw,shape", MODULES)
def test_upsampling_module(name, args, kw, shape):
    check(lambda T, x: getattr(T.nn, name)(*args, **kw)(x), rand(*shape, dtype=np.float64))
    assert repr(getattr(mt.nn, name)(*args, **kw)) == repr(getattr(torch.nn, name)(*args, **kw))
