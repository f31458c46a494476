"""``out=`` against torch (drop-in gap G4): for every op that takes it, the same scenarios run
in both libraries (an empty ``out``, one of the right shape, one of another dtype, a resize
from a wrong shape, a non-contiguous ``out``, ``out`` aliasing the input, inputs or ``out``
requiring grad, and the same under ``no_grad``), and we compare what comes back: the values,
dtype and shape written into ``out``, that ``out`` itself is returned, the warnings, or the
exception and its message."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import assert_close

X = np.array([[0.5, 1.5, 2.5], [0.7, 1.2, 3.1]], dtype=np.float32)

# name -> call(T, x, out); x is X as a tensor
OPS = {
    **{n: (lambda n: lambda T, x, out: getattr(T, n)(x, out=out))(n) for n in (
        "exp exp2 expm1 log log1p log2 log10 sqrt rsqrt reciprocal sin cos tan tanh sigmoid "
        "erf square abs absolute sign floor ceil round trunc fix frac neg negative logical_not "
        "nan_to_num isposinf isneginf").split()},
    "round_decimals": lambda T, x, out: T.round(x, decimals=1, out=out),
    "bitwise_not": lambda T, x, out: T.bitwise_not(x.long(), out=out),
    **{n: (lambda n: lambda T, x, out: getattr(T, n)(x, x.flip(0), out=out))(n) for n in (
        "add sub subtract mul multiply div divide true_divide floor_divide remainder fmod pow "
        "maximum minimum atan2 arctan2 logaddexp eq ne lt le gt ge greater greater_equal less "
        "less_equal not_equal logical_and logical_or logical_xor").split()},
    "add_alpha": lambda T, x, out: T.add(x, 2, alpha=3, out=out),
    "mul_scalar": lambda T, x, out: T.mul(x, 2.5, out=out),
    "pow_scalar": lambda T, x, out: T.pow(x, 2, out=out),
    "div_floor": lambda T, x, out: T.div(x, 0.7, rounding_mode="floor", out=out),
    "bitwise_and": lambda T, x, out: T.bitwise_and(x.long(), 3, out=out),
    "bitwise_or": lambda T, x, out: T.bitwise_or(x.long(), 3, out=out),
    "bitwise_xor": lambda T, x, out: T.bitwise_xor(x.long(), 3, out=out),
    "lerp": lambda T, x, out: T.lerp(x, x * 2, 0.3, out=out),
    "addcmul": lambda T, x, out: T.addcmul(x, x, x, value=0.5, out=out),
    "addcdiv": lambda T, x, out: T.addcdiv(x, x, x + 1, value=0.5, out=out),
    "clamp": lambda T, x, out: T.clamp(x, 0.5, 1.5, out=out),
    "clip": lambda T, x, out: T.clip(x, 0.5, 1.5, out=out),
    "clamp_min": lambda T, x, out: T.clamp_min(x, 0.6, out=out),
    "clamp_max": lambda T, x, out: T.clamp_max(x, 0.6, out=out),
    "where": lambda T, x, out: T.where(x > 1, x, x * 2, out=out),
}


def _result(T, name, x, make_out, grad_mode=True):
    """What ``OPS[name]`` gives in library T: ('raise', type, first line) or
    ('ok', returned-is-out, out as an array, dtype, warnings)."""
    out = make_out(T)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with T.set_grad_enabled(grad_mode):
                ret = OPS[name](T, x, out)
        except Exception as e:  # noqa: BLE001 - the exception is the observation
            return ("raise", type(e).__name__, str(e).split("\n")[0])
    msgs = [str(c.message).split(" (Triggered")[0] for c in caught
            if issubclass(c.category, UserWarning)]
    outs = out if isinstance(out, (tuple, list)) else (out,)
    rets = ret if isinstance(ret, tuple) else (ret,)
    return ("ok", all(r is o for r, o in zip(rets, outs)), [o.detach() for o in outs], msgs,
            type(ret).__name__ if isinstance(ret, tuple) else "")


SCENARIOS = {
    "empty": lambda T, r: T.empty(0, dtype=r.dtype),
    "right_shape": lambda T, r: T.zeros(r.shape, dtype=r.dtype),
    "float64": lambda T, r: T.zeros(r.shape, dtype=T.float64),
    "float16": lambda T, r: T.zeros(r.shape, dtype=T.float16),
    "int64": lambda T, r: T.zeros(r.shape, dtype=T.int64),
    "bool": lambda T, r: T.zeros(r.shape, dtype=T.bool),
    "wrong_shape": lambda T, r: T.zeros(7, dtype=r.dtype),
    "non_contiguous": lambda T, r: T.zeros(tuple(r.shape) + (2,), dtype=r.dtype)[..., 1],
    "out_requires_grad": lambda T, r: T.zeros(r.shape, requires_grad=True),
}


def _run_scenario(name, scenario, input_grad=False, grad_mode=True):
    got = {}
    for T in (torch, mt):
        x = T.tensor(X)
        reference = OPS[name](T, x, None)  # the result without out=: its dtype and shape
        x = T.tensor(X, requires_grad=input_grad)
        got[T] = _result(T, name, x, lambda T: SCENARIOS[scenario](T, reference), grad_mode)
    ours, theirs = got[mt], got[torch]
    assert ours[0] == theirs[0], f"ours {ours}, torch {theirs}"
    if theirs[0] == "raise":
        assert ours[1:] == theirs[1:], f"ours {ours[1:]}, torch {theirs[1:]}"
        return
    assert ours[1] == theirs[1], "returns out itself"
    refs = reference if isinstance(reference, tuple) else (reference,)
    for o, t, r in zip(ours[2], theirs[2], refs):
        assert str(o.dtype) == str(t.dtype) and tuple(o.shape) == tuple(t.shape)
        if o.is_floating_point() and r.is_floating_point() and o.element_size() > \
                r.element_size():  # computed in r's precision, then widened: compare there
            o, t = o.to(r.dtype), t.to(getattr(torch, str(r.dtype).split(".")[1]))
        assert_close(o, t, "out")
    assert ours[3] == theirs[3], f"warnings {ours[3]} != torch's {theirs[3]}"


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("name", sorted(OPS))
def test_out(name, scenario):
    _run_scenario(name, scenario)


@pytest.mark.parametrize("grad_mode", [True, False], ids=["grad", "no_grad"])
@pytest.mark.parametrize("name", sorted(OPS))
def test_out_with_input_requiring_grad(name, grad_mode):
    _run_scenario(name, "right_shape", input_grad=True, grad_mode=grad_mode)


@pytest.mark.parametrize("name", sorted(OPS))
def test_out_is_a_view_written_through(name):
    """A non-contiguous out is filled in place: its base sees the values."""
    bases = {}
    for T in (torch, mt):
        x = T.tensor(X)
        ref = OPS[name](T, x, None)
        base = T.zeros(tuple(ref.shape) + (2,), dtype=ref.dtype)
        OPS[name](T, x, base[..., 1])
        bases[T] = base
    assert_close(bases[mt], bases[torch])


def test_out_aliasing_the_input():
    for T in (torch, mt):
        x = T.tensor(X)
        T.exp(x, out=x)
        T.add(x, x.flip(0), out=x)
    assert_close(x, torch.add(torch.exp(torch.tensor(X)), torch.exp(torch.tensor(X)).flip(0)))


# -- factories: out decides the dtype; random ones draw the same stream as torch ----------------

FACTORIES = {
    "zeros": lambda T, o, **k: T.zeros(2, 3, out=o, **k),
    "ones": lambda T, o, **k: T.ones((2,), out=o, **k),
    "empty": lambda T, o, **k: T.empty(2, out=o, **k).zero_(),
    "full": lambda T, o, **k: T.full((2,), 1.5, out=o, **k),
    "full_int": lambda T, o, **k: T.full((2,), 7, out=o, **k),
    "arange": lambda T, o, **k: T.arange(0, 2.5, 0.5, out=o, **k),
    "arange_int": lambda T, o, **k: T.arange(5, out=o, **k),
    "linspace": lambda T, o, **k: T.linspace(0, 1, 5, out=o, **k),
    "logspace": lambda T, o, **k: T.logspace(0, 1, 3, out=o, **k),
    "eye": lambda T, o, **k: T.eye(3, out=o, **k),
    "rand": lambda T, o, **k: T.rand(3, out=o, **k),
    "randn": lambda T, o, **k: T.randn(20, out=o, **k),
    "randint": lambda T, o, **k: T.randint(0, 5, (3,), out=o, **k),
    "randperm": lambda T, o, **k: T.randperm(6, out=o, **k),
}
FACTORY_OUTS = {
    "float64": lambda T, r: (T.empty(0, dtype=T.float64), {}),
    "int64": lambda T, r: (T.empty(0, dtype=T.int64), {}),
    "bool": lambda T, r: (T.empty(0, dtype=T.bool), {}),
    "dtype_mismatch": lambda T, r: (T.empty(0, dtype=T.float64), {"dtype": T.float32}),
    "dtype_match": lambda T, r: (T.empty(0, dtype=T.float64), {"dtype": T.float64}),
    "requires_grad": lambda T, r: (T.empty(0, requires_grad=True), {}),
    "requires_grad_right_shape": lambda T, r: (T.empty(r.shape, requires_grad=True), {}),
    "wrong_shape": lambda T, r: (T.zeros(7, dtype=r.dtype), {}),
    "right_shape": lambda T, r: (T.zeros(r.shape, dtype=r.dtype), {}),
}


@pytest.mark.parametrize("case", sorted(FACTORY_OUTS))
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_factory_out(name, case):
    got = {}
    for T in (torch, mt):
        ref = FACTORIES[name](T, None)
        out, kw = FACTORY_OUTS[case](T, ref)
        T.manual_seed(0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                ret = FACTORIES[name](T, out, **kw)
            except Exception as e:  # noqa: BLE001
                got[T] = ("raise", type(e).__name__, str(e).split("\n")[0])
                continue
        got[T] = ("ok", ret is out, out.detach(),
                  [str(c.message).split(" (Triggered")[0] for c in caught])
    ours, theirs = got[mt], got[torch]
    assert ours[0] == theirs[0], f"ours {ours}, torch {theirs}"
    if theirs[0] == "raise":
        assert ours[1:] == theirs[1:]
        return
    assert ours[1] == theirs[1] and ours[3] == theirs[3], (ours, theirs)
    assert_close(ours[2], theirs[2])


# -- memory overlap: an out sharing memory with itself or (partly) with an input --------------------

OVERLAPS = {  # name -> (input, out) built from one base tensor b of 6 elements
    "same_tensor": lambda b: (b, b),
    "shifted": lambda b: (b[1:], b[:-1]),
    "disjoint": lambda b: (b[:3], b[3:]),
    "transposed": lambda b: (b.view(2, 3), b.view(3, 2).t()),
    "interleaved": lambda b: (b[::2], b[1::2]),  # not dense: torch does not decide it
    "out_inside_input": lambda b: (b.view(2, 3), b.view(2, 3)[0]),
    "expanded_out": lambda b: (b[:3].clone(), b[:1].expand(3)),
}


@pytest.mark.parametrize("case", sorted(OVERLAPS))
@pytest.mark.parametrize("name", ["exp", "add", "where", "eq", "clamp", "abs"])
def test_out_overlapping_an_input(name, case):
    got = {}
    for T in (torch, mt):
        b = T.arange(6.0)
        x, out = OVERLAPS[case](b)
        got[T] = _result(T, name, x, lambda T: out)
        if got[T][0] == "ok":
            got[T] = got[T][:2] + (b.clone(),) + got[T][3:]
    ours, theirs = got[mt], got[torch]
    assert ours[:2] == theirs[:2], (ours, theirs)
    if theirs[0] == "ok":
        assert_close(ours[2], theirs[2])
        assert ours[3] == theirs[3]
