"""nn.Conv1d/2d/3d and nn.ConvTranspose1d/2d/3d against torch: torch's weights loaded into ours,
outputs, input/weight/bias gradients over options x padding modes x dtypes; torch's seeded
default init; repr; constructor and forward errors."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, LIBS, check_raises, rand
from nn_parity import module_parity

DT = {np.float32: (torch.float32, mt.float32), np.float64: (torch.float64, mt.float64)}

CONV_MODULES = [
    ("Conv1d", (4, 6, 3), {}, (2, 4, 9)),
    ("Conv1d", (4, 6, 3), dict(stride=2, padding=2, dilation=2, groups=2), (2, 4, 11)),
    ("Conv1d", (4, 2, 4), dict(padding="same", bias=False), (4, 7)),
    ("Conv1d", (4, 6, 3), dict(padding=1, padding_mode="reflect"), (2, 4, 7)),
    ("Conv1d", (4, 6, 3), dict(padding=2, padding_mode="circular", stride=2), (2, 4, 7)),
    ("Conv2d", (3, 4, 3), {}, (2, 3, 7, 6)),
    ("Conv2d", (4, 6, (3, 2)), dict(stride=(2, 1), padding=(1, 0), groups=2), (2, 4, 7, 6)),
    ("Conv2d", (4, 4, 3), dict(padding="same", dilation=2, groups=4), (2, 4, 6, 6)),
    ("Conv2d", (3, 4, 2), dict(padding="same", padding_mode="replicate"), (2, 3, 5, 6)),
    ("Conv2d", (3, 4, 3), dict(padding=1, padding_mode="reflect", bias=False), (3, 6, 5)),
    ("Conv2d", (3, 4, 3), dict(padding=(2, 1), padding_mode="circular", stride=2), (2, 3, 6, 5)),
    ("Conv2d", (3, 4, 3), dict(padding=1, padding_mode="replicate", dilation=2), (2, 3, 7, 7)),
    ("Conv2d", (3, 4, 3), dict(padding="valid", stride=3), (2, 3, 8, 8)),
    ("Conv3d", (2, 4, 2), dict(stride=(1, 2, 1), padding=1), (2, 2, 4, 5, 4)),
    ("ConvTranspose1d", (4, 6, 3), dict(stride=2, padding=1, output_padding=1, groups=2),
     (2, 4, 5)),
    ("ConvTranspose1d", (4, 2, 3), dict(dilation=2, bias=False), (4, 5)),
    ("ConvTranspose2d", (4, 6, 3), {}, (2, 4, 4, 5)),
    ("ConvTranspose2d", (4, 6, (3, 2)), dict(stride=(2, 3), padding=(1, 0),
                                             output_padding=(1, 2), groups=2), (2, 4, 4, 5)),
    ("ConvTranspose2d", (3, 2, 4), dict(stride=2, padding=1, dilation=2, bias=False),
     (3, 4, 4)),
    ("ConvTranspose3d", (2, 3, 2), dict(stride=2, output_padding=1), (2, 2, 3, 2, 3)),
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name,args,kw,shape", CONV_MODULES)
def test_conv_module(name, args, kw, shape, dtype):
    # float32: a weight gradient sums N * L products, which BLAS and torch add up in different
    # orders; where they nearly cancel, the rounding exceeds atol=1e-6, hence scale=10 there.
    module_parity(lambda T: getattr(T.nn, name)(*args, **kw), rand(*shape, dtype=dtype),
                  dtype=DT[dtype], steps=2, scale=10 if dtype == np.float32 else 1)


@pytest.mark.parametrize("output_size", [None, [9, 11], [2, 6, 10, 12], (10, 11)])
def test_conv_transpose_output_size(output_size):
    x = rand(2, 4, 5, 6, dtype=np.float64)
    outs = {}
    for T in LIBS:
        torch.manual_seed(0)
        m = T.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, dtype=T.float64)
        if T is mt:
            m.load_state_dict(mods.state_dict())
        mods = m
        outs[T] = m(T.tensor(x), output_size=output_size)
    np.testing.assert_allclose(outs[mt].detach().numpy(), outs[torch].detach().numpy(),
                               rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("output_size", [[8, 11], [12, 11], [1, 2, 3]])
def test_conv_transpose_bad_output_size(output_size):
    check_raises(lambda T, x: T.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1)(
        x, output_size=output_size), rand(2, 4, 5, 6))


@pytest.mark.parametrize("seed", [0, 3])
@pytest.mark.parametrize("build", [
    lambda T: T.nn.Conv1d(3, 5, 4),
    lambda T: T.nn.Conv2d(3, 8, 3),
    lambda T: T.nn.Conv2d(4, 6, (3, 2), groups=2, bias=False),
    lambda T: T.nn.Conv2d(1, 1, 1),
    lambda T: T.nn.Conv3d(2, 2, 2),
    lambda T: T.nn.ConvTranspose1d(3, 5, 4),
    lambda T: T.nn.ConvTranspose2d(4, 6, 3, groups=2),
    lambda T: T.nn.Conv2d(3, 8, 3, dtype=T.float64),
])
def test_default_init_is_torchs(build, seed):
    mods = {}
    for T in LIBS:
        T.manual_seed(seed)
        mods[T] = build(T)
    po, pt = dict(mods[mt].named_parameters()), dict(mods[torch].named_parameters())
    assert list(po) == list(pt)
    for k in pt:
        assert po[k].dtype == mt.float64 if pt[k].dtype == torch.float64 else mt.float32
        np.testing.assert_array_equal(po[k].detach().numpy(), pt[k].detach().numpy(), err_msg=k)


REPRS = [
    lambda T: T.nn.Conv1d(3, 5, 4),
    lambda T: T.nn.Conv1d(3, 6, 3, stride=1, padding="same", dilation=2, groups=3,
                          bias=False, padding_mode="circular"),
    lambda T: T.nn.Conv2d(3, 8, 3),
    lambda T: T.nn.Conv2d(4, 8, (3, 5), stride=(2, 1), padding=(1, 2), dilation=2, groups=4,
                          padding_mode="reflect"),
    lambda T: T.nn.Conv2d(3, 8, 3, padding="valid"),
    lambda T: T.nn.Conv2d(3, 8, 3, padding=[1, 0]),
    lambda T: T.nn.Conv3d(2, 2, 2, stride=2),
    lambda T: T.nn.ConvTranspose1d(3, 5, 4, output_padding=1, stride=2),
    lambda T: T.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2,
                                   bias=False, dilation=2),
]


@pytest.mark.parametrize("build", REPRS)
def test_repr(build):
    assert repr(build(mt)) == repr(build(torch))


def test_state_dict_keys_and_shapes():
    for build in REPRS:
        so, st = build(mt).state_dict(), build(torch).state_dict()
        assert list(so) == list(st)
        assert all(tuple(so[k].shape) == tuple(st[k].shape) for k in st)


CTOR_ERRORS = [
    ("Conv2d", (3, 8, 3), dict(groups=0)),
    ("Conv2d", (3, 8, 3), dict(groups=2)),
    ("Conv2d", (4, 6, 3), dict(groups=4)),
    ("Conv2d", (3, 8, 3), dict(padding="full")),
    ("Conv2d", (3, 8, 3), dict(padding="same", stride=2)),
    ("Conv2d", (3, 8, 3), dict(padding_mode="mirror")),
    ("ConvTranspose2d", (3, 8, 3), dict(padding_mode="reflect")),
    ("Conv1d", (3, 8, 3), dict(padding="same", stride=(2,))),
]


@pytest.mark.parametrize("name,args,kw", CTOR_ERRORS)
def test_constructor_errors(name, args, kw):
    # torch prints Python sets in these messages; their order varies with the hash seed
    match = None
    if kw.get("padding") == "full":
        match = (r"Invalid padding string 'full', should be one of "
                 r"\{'(same|valid)', '(same|valid)'\}")
    if kw.get("padding_mode") == "mirror":
        match = (r"padding_mode must be one of \{('(zeros|reflect|replicate|circular)'(, )?){4}\}, "
                 r"but got padding_mode='mirror'")
    check_raises(lambda T: getattr(T.nn, name)(*args, **kw), match=match)


FORWARD_ERRORS = [
    ("Conv2d", (3, 8, 3), {}, (2, 4, 5, 5)),
    ("Conv2d", (3, 8, 3), {}, (2, 3, 2, 2)),
    ("Conv2d", (3, 8, 3), {}, (2, 3, 5)),
    ("Conv2d", (3, 8, 3), dict(padding=1, padding_mode="reflect"), (2, 3, 1, 4)),
    ("Conv1d", (3, 8, 3), {}, (2, 3, 5, 5)),
    ("ConvTranspose2d", (3, 8, 3), {}, (2, 4, 5, 5)),
]


@pytest.mark.parametrize("name,args,kw,shape", FORWARD_ERRORS)
def test_forward_errors(name, args, kw, shape):
    check_raises(lambda T, x: getattr(T.nn, name)(*args, **kw)(x), rand(*shape))


def test_small_cnn_trains_like_torch():
    """Two conv+pool blocks and a linear head: torch's weights, three SGD steps by hand,
    same parameters after each step."""
    def build(T):
        T.manual_seed(1)
        return T.nn.Sequential(
            T.nn.Conv2d(1, 4, 3, padding=1), T.nn.ReLU(), T.nn.MaxPool2d(2),
            T.nn.Conv2d(4, 6, 3), T.nn.ReLU(), T.nn.AvgPool2d(2), T.nn.Flatten(),
            T.nn.Linear(6, 3)).double()
    x = rand(5, 1, 8, 8, dtype=np.float64)
    ours, theirs, _ = module_parity(build, x, steps=3)
