"""Padding modules against torch: outputs, gradients, stored padding, repr, errors."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check, check_raises, rand

MODULES = [
    ("ConstantPad1d", (2, 3.5), (2, 3, 4)),
    ("ConstantPad1d", ((1, -1), 0.0), (3, 4)),
    ("ConstantPad2d", ((1, 0, 2, 1), -1.0), (2, 3, 4, 5)),
    ("ConstantPad3d", (1, 2.0), (1, 2, 3, 4, 2)),
    ("ZeroPad1d", ((0, 2),), (2, 3, 4)),
    ("ZeroPad2d", (2,), (2, 3, 4, 5)),
    ("ZeroPad2d", ((1, 2, -1, 0),), (3, 4, 5)),
    ("ZeroPad3d", ((1, 0, 0, 1, 1, 0),), (1, 2, 3, 4, 2)),
    ("ReflectionPad1d", (2,), (2, 3, 4)),
    ("ReflectionPad2d", ((1, 2, 3, 0),), (2, 3, 4, 5)),
    ("ReflectionPad3d", (1,), (1, 2, 3, 4, 2)),
    ("ReplicationPad1d", ((3, 1),), (3, 4)),
    ("ReplicationPad2d", (2,), (2, 3, 4, 5)),
    ("ReplicationPad3d", ((1, 0, 2, 1, 0, 1),), (1, 2, 3, 4, 2)),
    ("CircularPad1d", (2,), (2, 3, 4)),
    ("CircularPad2d", ((1, 2, 0, 3),), (2, 3, 4, 5)),
    ("CircularPad3d", (1,), (1, 2, 3, 4, 2)),
]


@pytest.mark.parametrize("name,args,shape", MODULES)
def test_pad_module(name, args, shape):
    check(lambda T, x: getattr(T.nn, name)(*args)(x), rand(*shape, dtype=np.float64))
    assert repr(getattr(mt.nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))
    assert getattr(mt.nn, name)(*args).padding == getattr(torch.nn, name)(*args).padding


@pytest.mark.parametrize("name,shape", [("CircularPad1d", (4,)), ("CircularPad2d", (3, 4)),
                                        ("CircularPad3d", (2, 3, 4)),
                                        ("ReflectionPad2d", (5,))])
def test_pad_module_rank_errors(name, shape):
    check_raises(lambda T, x: getattr(T.nn, name)(1)(x), rand(*shape))
