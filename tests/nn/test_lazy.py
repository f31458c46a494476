"""Lazy modules against torch: LazyLinear, LazyConv1d/2d/3d, LazyConvTranspose1d/2d/3d,
LazyBatchNorm1d/2d/3d, LazyInstanceNorm1d/2d/3d infer their input size at the first call and
draw torch's weights from the same seed then; reprs and
state_dict before and after, the class change, loading a state dict into an uninitialized
module, UninitializedParameter's repr and errors."""
import copy

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check_raises

CASES = {
    "LazyLinear": (lambda T: T.nn.LazyLinear(3), (2, 5)),
    "LazyLinear-nobias": (lambda T: T.nn.LazyLinear(3, bias=False), (4, 2, 5)),
    "LazyConv1d": (lambda T: T.nn.LazyConv1d(4, 3, padding=1), (2, 3, 7)),
    "LazyConv1d-unbatched": (lambda T: T.nn.LazyConv1d(4, 3, groups=2), (2, 7)),
    "LazyConv2d": (lambda T: T.nn.LazyConv2d(4, (3, 2), stride=2), (2, 3, 6, 5)),
    "LazyConv3d": (lambda T: T.nn.LazyConv3d(2, 2), (1, 2, 3, 3, 3)),
    "LazyConvTranspose1d": (lambda T: T.nn.LazyConvTranspose1d(4, 3), (2, 3, 5)),
    "LazyConvTranspose2d": (lambda T: T.nn.LazyConvTranspose2d(2, 3, groups=2), (1, 4, 3, 3)),
    "LazyConvTranspose3d": (lambda T: T.nn.LazyConvTranspose3d(2, 2), (1, 2, 2, 2, 2)),
    "LazyBatchNorm1d": (lambda T: T.nn.LazyBatchNorm1d(), (4, 3)),
    "LazyBatchNorm2d": (lambda T: T.nn.LazyBatchNorm2d(momentum=None), (2, 3, 2, 2)),
    "LazyBatchNorm3d": (lambda T: T.nn.LazyBatchNorm3d(affine=False), (2, 2, 2, 2, 2)),
    "LazyInstanceNorm1d": (lambda T: T.nn.LazyInstanceNorm1d(affine=True), (2, 3, 5)),
    "LazyInstanceNorm2d": (lambda T: T.nn.LazyInstanceNorm2d(track_running_stats=True),
                           (2, 3, 4, 4)),
    "LazyInstanceNorm3d": (lambda T: T.nn.LazyInstanceNorm3d(), (1, 2, 2, 2, 2)),
}


def compare(res):
    assert len(res[mt]) == len(res[torch])
    for i, (o, t) in enumerate(zip(res[mt], res[torch])):
        if isinstance(t, torch.Tensor):
            assert_close(o, t, f"item {i}")
        else:
            assert o == t, f"item {i}: {o!r} != torch's {t!r}"


@pytest.mark.parametrize("name", list(CASES))
def test_lazy_module_first_call(name):
    make, shape = CASES[name]

    def run(T):
        T.manual_seed(0)
        x = T.randn(*shape).requires_grad_()
        m = make(T)
        sd = m.state_dict()
        before = [type(m).__name__, repr(m), list(sd), [repr(v) for v in sd.values()],
                  m.has_uninitialized_params(), repr(m.weight)]
        T.manual_seed(1)
        y = m(x)
        y.pow(2).mean().backward()
        after = [type(m).__name__, repr(m), isinstance(m, T.nn.modules.lazy.LazyModuleMixin),
                 type(m.weight).__name__, y] + list(m.state_dict().values())
        return before + after + [p.grad for p in m.parameters()] + [x.grad, m(x)]
    compare({T: run(T) for T in LIBS})


def test_load_state_dict_into_lazy_module_and_deepcopy():
    def run(T):
        T.manual_seed(0)
        src = T.nn.Linear(4, 2)
        m = T.nn.LazyLinear(2)
        r = m.load_state_dict(src.state_dict())
        out = [str(r), type(m).__name__, m.has_uninitialized_params(), m.weight, repr(m)]
        y = m(T.ones(1, 4))
        out += [type(m).__name__, y, repr(m)]
        c = copy.deepcopy(T.nn.LazyLinear(3))
        out += [repr(c.weight), type(c).__name__]
        return out
    compare({T: run(T) for T in LIBS})


def test_sequential_of_lazy_modules_trains_as_torch():
    def run(T):
        T.manual_seed(0)
        net = T.nn.Sequential(T.nn.LazyConv2d(3, 3), T.nn.ReLU(), T.nn.Flatten(),
                              T.nn.LazyLinear(2))
        x = T.randn(4, 2, 5, 5)
        net(x)
        opt = T.optim.SGD(net.parameters(), lr=0.1)
        out = []
        for _ in range(2):
            opt.zero_grad()
            loss = net(x).pow(2).mean()
            loss.backward()
            opt.step()
            out.append(loss)
        return out + list(net.state_dict().values()) + [repr(net)]
    compare({T: run(T) for T in LIBS})


@pytest.mark.parametrize("case", [
    lambda T: T.nn.LazyConv2d(4, 3)(T.ones(3, 5)),
    lambda T: T.nn.LazyConv1d(4, 3, groups=2)(T.ones(1, 3, 5)),
    lambda T: T.nn.LazyLinear(3).weight.shape,
    lambda T: T.nn.LazyBatchNorm2d()(T.ones(2, 3)),
    lambda T: T.nn.parameter.UninitializedParameter().share_memory_(),
    lambda T: T.nn.Linear(2, 2).load_state_dict(T.nn.LazyLinear(2).state_dict()),
])
def test_lazy_errors(case):
    check_raises(lambda T, x: case(T), np.zeros(1))


def test_uninitialized_parameter_repr_and_materialize():
    for T in LIBS:
        p = T.nn.parameter.UninitializedParameter()
        assert repr(p) == "<UninitializedParameter>"
        assert p.requires_grad
        b = T.nn.parameter.UninitializedBuffer()
        assert repr(b) == "<UninitializedBuffer>"
        p.materialize((2, 3), dtype=T.float64)
        assert type(p) is T.nn.Parameter and tuple(p.shape) == (2, 3) and p.dtype == T.float64
