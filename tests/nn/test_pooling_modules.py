"""Pooling modules (MaxPool, AvgPool, adaptive pools, MaxUnpool, LPPool) against torch: outputs,
indices, gradients, repr; F.max_unpool1d/2d and F.lp_pool1d/2d with their errors."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, check, check_raises, rand

MODULES = [
    ("MaxPool1d", (3,), dict(stride=2, padding=1, dilation=2, ceil_mode=True), (2, 3, 9)),
    ("MaxPool2d", (2,), {}, (2, 3, 6, 6)),
    ("MaxPool2d", ((3, 2),), dict(stride=(2, 1), padding=1, ceil_mode=True), (3, 7, 6)),
    ("MaxPool2d", (3,), dict(return_indices=True, padding=1), (2, 2, 5, 5)),
    ("AvgPool1d", (3,), dict(stride=2, padding=1, count_include_pad=False), (2, 3, 8)),
    ("AvgPool2d", (3,), dict(stride=2, padding=1, ceil_mode=True), (2, 3, 7, 6)),
    ("AvgPool2d", (2,), dict(divisor_override=3), (3, 5, 4)),
    ("AdaptiveAvgPool1d", (4,), {}, (2, 3, 9)),
    ("AdaptiveAvgPool2d", ((3, None),), {}, (2, 3, 7, 6)),
    ("AdaptiveAvgPool2d", (1,), {}, (2, 3, 5, 5)),
    ("AdaptiveMaxPool1d", (4, True), {}, (2, 3, 9)),
    ("AdaptiveMaxPool2d", ((3, 4),), {}, (2, 3, 7, 6)),
    ("LPPool1d", (2, 3), dict(stride=2), (2, 3, 9)),
    ("LPPool2d", (3, 2), {}, (2, 3, 6, 6)),
    ("LPPool2d", (1.5, (2, 3)), dict(stride=1, ceil_mode=True), (2, 3, 5, 6)),
    ("LPPool2d", (float("inf"), 2), {}, (2, 3, 6, 6)),
    ("MaxPool3d", (2,), {}, (2, 2, 4, 5, 4)),
    ("MaxPool3d", ((3, 2, 2),), dict(stride=(2, 1, 2), padding=1, dilation=(1, 2, 1),
                                     ceil_mode=True), (2, 5, 6, 5)),
    ("MaxPool3d", (2,), dict(return_indices=True, stride=1), (1, 2, 3, 4, 3)),
    ("AvgPool3d", (3,), dict(stride=2, padding=1, ceil_mode=True, count_include_pad=False),
     (2, 2, 5, 6, 5)),
    ("AvgPool3d", ((2, 3, 2),), dict(divisor_override=5), (2, 4, 6, 4)),
    ("AdaptiveAvgPool3d", ((2, None, 3),), {}, (2, 2, 5, 4, 7)),
    ("AdaptiveMaxPool3d", (2, True), {}, (2, 2, 5, 4, 3)),
    ("LPPool3d", (2, 2), {}, (1, 2, 4, 4, 4)),
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name,args,kw,shape", MODULES)
def test_pool_module(name, args, kw, shape, dtype):
    x = rand(*shape, dtype=dtype, seed=3)
    if name.startswith("LPPool") and args[0] != 2:
        x = np.abs(x) + 0.1  # fractional powers of negatives are NaN in both libraries
    check(lambda T, x: getattr(T.nn, name)(*args, **kw)(x), x)


REPRS = [
    lambda T: T.nn.MaxPool1d(3),
    lambda T: T.nn.MaxPool2d((3, 2), stride=1, padding=1, dilation=2, ceil_mode=True),
    lambda T: T.nn.MaxPool2d(2, return_indices=True),
    lambda T: T.nn.AvgPool1d(3, 2, 1),
    lambda T: T.nn.AvgPool2d(3, padding=1, ceil_mode=True, count_include_pad=False),
    lambda T: T.nn.AvgPool2d((2, 3), divisor_override=2),
    lambda T: T.nn.AdaptiveAvgPool1d(4),
    lambda T: T.nn.AdaptiveAvgPool2d((None, 4)),
    lambda T: T.nn.AdaptiveMaxPool1d(3, return_indices=True),
    lambda T: T.nn.AdaptiveMaxPool2d(1),
    lambda T: T.nn.MaxUnpool1d(2),
    lambda T: T.nn.MaxUnpool2d((2, 3), stride=1, padding=1),
    lambda T: T.nn.LPPool1d(2, 3),
    lambda T: T.nn.LPPool2d(1.5, (2, 2), stride=1, ceil_mode=True),
    lambda T: T.nn.MaxPool3d(2, padding=1),
    lambda T: T.nn.AvgPool3d(3, 2),
    lambda T: T.nn.AdaptiveAvgPool3d((1, None, 2)),
    lambda T: T.nn.AdaptiveMaxPool3d(2),
    lambda T: T.nn.LPPool3d(2, 2),
]


@pytest.mark.parametrize("build", REPRS)
def test_repr(build):
    assert repr(build(mt)) == repr(build(torch))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("nd,size,k,s,p,out", [
    (1, 8, 2, None, 0, None), (1, 8, 3, 2, 1, [8]), (2, 8, 2, None, 0, None),
    (2, 8, 3, 2, 1, (8, 8)), (2, 7, 2, 2, 0, [7, 7]), (2, 7, 2, 2, 0, [2, 3, 7, 7])])
def test_max_unpool(nd, size, k, s, p, out, dtype):
    x = rand(2, 3, *(size,) * nd, dtype=dtype)

    def fn(T, x):
        pool = getattr(T.nn.functional, f"max_pool{nd}d")
        unpool = getattr(T.nn.functional, f"max_unpool{nd}d")
        y, i = pool(x, k, s, p, return_indices=True)
        return unpool(y, i, k, s, p, output_size=out)
    check(fn, x)


def test_max_unpool_module_roundtrip():
    def fn(T, x):
        pool, unpool = T.nn.MaxPool2d(2, return_indices=True), T.nn.MaxUnpool2d(2)
        y, i = pool(x)
        return unpool(y, i, output_size=x.shape)
    check(fn, rand(1, 2, 5, 5, dtype=np.float64))


UNPOOL_ERRORS = [
    (lambda T, y, i: T.nn.functional.max_unpool2d(y, i * 5, 2)),
    (lambda T, y, i: T.nn.functional.max_unpool2d(y, i, 2, output_size=(3, 3))),
    (lambda T, y, i: T.nn.functional.max_unpool2d(y, i, 2, output_size=(9, 9))),
    (lambda T, y, i: T.nn.functional.max_unpool2d(y, i, 2, output_size=(4, 4, 4))),
    (lambda T, y, i: T.nn.functional.max_unpool2d(y[0, 0], i[0, 0], 2)),
    (lambda T, y, i: T.nn.functional.max_unpool2d(y, i[:, :1], 2)),
    (lambda T, y, i: T.nn.functional.max_unpool2d(y, i.float(), 2)),
]


@pytest.mark.parametrize("k", range(len(UNPOOL_ERRORS)))
def test_max_unpool_errors(k):
    def run(T, x):
        y, i = T.nn.functional.max_pool2d(x, 2, return_indices=True)
        return UNPOOL_ERRORS[k](T, y.detach(), i)
    # which out-of-range index torch names depends on its loop order: match the rest
    match = r"Found an invalid max index: \d+ \(output volumes are of size \dx\d\)" \
        if k < 2 else None
    check_raises(run, rand(1, 2, 4, 4), match=match)


POOL3D_ERRORS = [
    ("max_pool3d", (2, 4, 4), dict(kernel_size=2)),
    ("max_pool3d", (1, 2, 4, 4, 4), dict(kernel_size=5)),
    ("max_pool3d", (1, 2, 4, 4, 4), dict(kernel_size=2, padding=2)),
    ("max_pool3d", (1, 2, 4, 4, 4), dict(kernel_size=2, stride=0)),
    ("max_pool3d", (1, 2, 4, 4, 4), dict(kernel_size=(2, 2))),
    ("max_pool3d", (1, 2, 4, 4, 4), dict(kernel_size=2, dilation=0)),
    ("max_pool3d", (1, 0, 4, 4, 4), dict(kernel_size=2)),
    ("avg_pool3d", (1, 2, 4, 4, 4), dict(kernel_size=5)),
    ("avg_pool3d", (1, 2, 4, 4, 4), dict(kernel_size=2, padding=2)),
    ("avg_pool3d", (2, 4, 4), dict(kernel_size=2)),
    ("avg_pool3d", (1, 2, 4, 4, 4), dict(kernel_size=(2, 2))),
    ("avg_pool3d", (1, 2, 4, 4, 4), dict(kernel_size=2, divisor_override=0)),
    ("adaptive_avg_pool3d", (1, 2, 4, 4, 4), dict(output_size=(2, 2))),
    ("adaptive_avg_pool3d", (4, 4, 4), dict(output_size=2)),
    ("adaptive_avg_pool3d", (1, 2, 4, 4, 4), dict(output_size=-1)),
    ("adaptive_avg_pool3d", (1, 0, 4, 4, 4), dict(output_size=2)),
    ("adaptive_avg_pool3d", (1, 2, 0, 4, 4), dict(output_size=2)),
    ("adaptive_max_pool3d", (2, 4, 4), dict(output_size=2)),
    ("adaptive_max_pool3d", (1, 2, 4, 4, 4), dict(output_size=-1)),
    ("adaptive_max_pool3d", (1, 2, 4, 4, 4), dict(output_size=(2, 2, 2, 2))),
    ("adaptive_max_pool3d", (1, 0, 4, 4, 4), dict(output_size=2)),
]


@pytest.mark.parametrize("name,shape,kw", POOL3D_ERRORS)
def test_pool3d_errors(name, shape, kw):
    check_raises(lambda T, x: getattr(T.nn.functional, name)(x, **kw), rand(*shape))


def test_pool3d_grad_fn_names():
    for name, args in (("max_pool3d", (2,)), ("avg_pool3d", (2,)),
                       ("adaptive_avg_pool3d", (2,)), ("adaptive_max_pool3d", (2,))):
        check(lambda T, x: getattr(T.nn.functional, name)(x, *args), rand(1, 1, 4, 4, 4),
              grad_fn_name=True)
