"""torch.autograd.Variable (legacy) against torch: a detached alias with
requires_grad set, volatile ignored with torch's warning, every tensor an instance."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import assert_close, check, check_raises


@pytest.mark.parametrize("kwargs", [{}, {"requires_grad": True}, {"requires_grad": False},
                                    {"volatile": True}, {"name": "w"}])
def test_variable_is_a_detached_alias(kwargs):
    def fn(T, x):
        y = x * 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v = T.autograd.Variable(y, **kwargs)
        assert v.grad_fn is None and v is not y
        assert v.data_ptr() == y.data_ptr()
        return v
    check(fn, np.array([1.0, 2.0], dtype=np.float32))


def test_variable_requires_grad_and_backward():
    for T in (torch, mt):
        t = T.ones(2)
        v = T.autograd.Variable(t, requires_grad=True)
        assert v.requires_grad and not t.requires_grad and v.is_leaf
        (v * 3).sum().backward()
        assert v.grad.tolist() == [3.0, 3.0]
        t.add_(1)  # shared memory and version counter
        assert v.tolist() == [2.0, 2.0] and v._version == t._version
        positional = T.autograd.Variable(t, True)
        assert positional.requires_grad
        assert isinstance(t, T.autograd.Variable) and not isinstance([1], T.autograd.Variable)
    assert_close(mt.autograd.Variable(), torch.autograd.Variable())


def test_volatile_warns_as_torch_does():
    def warned(T):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.autograd.Variable(T.ones(1), volatile=True)
        return [str(c.message) for c in caught]
    assert warned(mt) == warned(torch) and warned(mt)


@pytest.mark.parametrize("call", [
    lambda T: T.autograd.Variable([1.0]), lambda T: T.autograd.Variable(T.ones(1), foo=1),
    lambda T: T.autograd.Variable(T.ones(2).long(), requires_grad=True)])
def test_variable_errors(call):
    check_raises(call)
