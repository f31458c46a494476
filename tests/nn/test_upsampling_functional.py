"""F.interpolate (nearest, nearest-exact, linear, bilinear, trilinear, bicubic, area),
F.pixel_shuffle/unshuffle against torch: values and gradients over sizes, scale factors,
align_corners and recompute_scale_factor; torch's errors."""
import numpy as np
import pytest

from harness import FLOAT_DTYPES, check, check_raises, rand

SIZES = [
    dict(size=7), dict(size=3), dict(scale_factor=2), dict(scale_factor=1.7),
    dict(scale_factor=0.6), dict(scale_factor=2.5, recompute_scale_factor=True),
    dict(scale_factor=1 / 3), dict(size=5),
]

MODES = {3: ["nearest", "nearest-exact", "linear", "area"],
         4: ["nearest", "nearest-exact", "bilinear", "bicubic", "area"],
         5: ["nearest", "nearest-exact", "trilinear", "area"]}


def _align_options(mode):
    return [None] if mode in ("nearest", "nearest-exact", "area") else [False, True]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("kw", SIZES)
@pytest.mark.parametrize("ndim,mode,align", [(nd, m, a) for nd, ms in MODES.items() for m in ms
                                             for a in _align_options(m)])
def test_interpolate(ndim, mode, align, kw, dtype):
    if ndim == 5 and kw.get("scale_factor") not in (None, 2, 0.6):
        pytest.skip("3-D volumes: a few sizes are enough")
    spatial = (5, 4, 6)[:ndim - 2]
    x = rand(2, 3, *spatial, dtype=dtype)
    check(lambda T, x: T.nn.functional.interpolate(x, mode=mode, align_corners=align, **kw), x)


@pytest.mark.parametrize("mode", ["nearest", "bilinear", "bicubic"])
def test_interpolate_per_dim_sizes_and_layouts(mode):
    align = None if mode == "nearest" else False
    x = rand(2, 3, 5, 4, dtype=np.float64)
    check(lambda T, x: T.nn.functional.interpolate(x, size=(3, 9), mode=mode,
                                                   align_corners=align), x)
    check(lambda T, x: T.nn.functional.interpolate(x, scale_factor=(0.5, 2.25), mode=mode,
                                                   align_corners=align), x)
    check(lambda T, x: T.nn.functional.interpolate(x, scale_factor=(1.5, 2), mode=mode,
                                                   align_corners=align), x, layout="transposed")
    check(lambda T, x: T.nn.functional.interpolate(x, size=(5, 4), mode=mode,
                                                   align_corners=align), x)
    check(lambda T, x: T.nn.functional.interpolate(x, size=(1, 1), mode=mode,
                                                   align_corners=align), x)


def test_upsample_aliases():
    x = rand(1, 2, 3, 4, dtype=np.float64)
    with pytest.warns(UserWarning):
        check(lambda T, x: T.nn.functional.upsample_bilinear(x, scale_factor=2), x)
    with pytest.warns(UserWarning):
        check(lambda T, x: T.nn.functional.upsample_nearest(x, size=(5, 5)), x)
    with pytest.warns(UserWarning):
        check(lambda T, x: T.nn.functional.upsample(x, scale_factor=2, mode="bilinear"), x)


INTERP_ERRORS = [
    ((1, 2, 4, 4), dict(size=3, scale_factor=2)),
    ((1, 2, 4, 4), dict()),
    ((1, 2, 4, 4), dict(size=(3, 3, 3))),
    ((1, 2, 4, 4), dict(scale_factor=(2, 2, 2))),
    ((1, 2, 4, 4), dict(size=3, recompute_scale_factor=True)),
    ((1, 2, 4, 4), dict(size=3, align_corners=True)),
    ((1, 2, 4, 4), dict(size=3, mode="linear")),
    ((1, 2, 4, 4), dict(size=3, mode="trilinear")),
    ((1, 2, 4), dict(size=3, mode="bilinear")),
    ((1, 2, 4, 4, 4), dict(size=3, mode="bicubic")),
    ((1, 2), dict(size=3)),
    ((1, 2, 4, 4), dict(size=3, mode="foo")),
    ((1, 2, 4, 4), dict(size=0)),
    ((1, 2, 4), dict(size=0)),
    ((1, 2, 4, 4, 4), dict(scale_factor=0.1)),
    ((2, 0, 4, 4), dict(size=3, mode="bilinear")),
    ((1, 2, 4, 4, 4), dict(size=3, mode="bilinear", antialias=True)),
]


@pytest.mark.parametrize("shape,kw", INTERP_ERRORS)
def test_interpolate_errors(shape, kw):
    check_raises(lambda T, x: T.nn.functional.interpolate(x, **kw), rand(*shape))


def test_interpolate_size_type_error():
    check_raises(lambda T, x: T.nn.functional.interpolate(x, size=(2.5, 3)), rand(1, 2, 4, 4))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("shape,r", [((2, 8, 3, 4), 2), ((9, 2, 2), 3), ((1, 2, 4, 3, 2), 1)])
def test_pixel_shuffle_roundtrip(shape, r, dtype):
    x = rand(*shape, dtype=dtype)
    out, _ = check(lambda T, x: T.nn.functional.pixel_shuffle(x, r), x)
    check(lambda T, y: T.nn.functional.pixel_unshuffle(y, r), out.detach().numpy())


@pytest.mark.parametrize("name,shape,r", [
    ("pixel_shuffle", (2, 7, 3, 4), 2), ("pixel_shuffle", (4, 4), 2),
    ("pixel_shuffle", (2, 8, 3, 4), 0), ("pixel_unshuffle", (2, 3, 5, 4), 2),
    ("pixel_unshuffle", (2, 3, 4, 5), 2), ("pixel_unshuffle", (4, 4), 2),
])
def test_pixel_shuffle_errors(name, shape, r):
    check_raises(lambda T, x: getattr(T.nn.functional, name)(x, r), rand(*shape))


@pytest.mark.parametrize("n,scale", [(6, 1.108), (3, 2.176), (2, 1.069), (5, 2.151), (4, 0.9)])
def test_nearest_with_given_scale_factor(n, scale):
    """A scale factor used as given: torch's forward computes floor(dst / scale) even where the
    output size happens to be n or 2n. (torch's *backward* then special-cases those two sizes,
    routing gradients as if the scale were exact; we return the adjoint of the forward instead,
    checked here by the dot-product test <T x, g> = <x, T^T g>.)"""
    x = rand(2, 3, n, dtype=np.float64)
    out, _ = check(lambda T, x: T.nn.functional.interpolate(x, scale_factor=scale), x,
                   grad=False)
    import minitorch_ref as mt
    xt = mt.tensor(x, requires_grad=True)
    y = mt.nn.functional.interpolate(xt, scale_factor=scale)
    g = rand(*y.shape, dtype=np.float64, seed=5)
    y.backward(mt.tensor(g))
    np.testing.assert_allclose(np.sum(y.detach().numpy() * g), np.sum(x * xt.grad.numpy()),
                               rtol=1e-12)


@pytest.mark.parametrize("ndim,mode", [(3, "nearest"), (3, "nearest-exact"), (3, "linear"),
                                       (4, "nearest"), (4, "nearest-exact"), (4, "bilinear"),
                                       (4, "bicubic"), (5, "nearest"), (5, "nearest-exact"),
                                       (5, "trilinear")])
def test_interpolate_grad_fn_name(ndim, mode):
    """torch names the node by mode and dims: UpsampleNearest1DBackward0, UpsampleLinear1D,
    UpsampleBilinear2D, UpsampleTrilinear3D, ..."""
    x = rand(1, 2, *(3,) * (ndim - 2), dtype=np.float64)
    check(lambda T, x: T.nn.functional.interpolate(x, scale_factor=2, mode=mode), x,
          grad_fn_name=True)
