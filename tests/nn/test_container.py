"""Containers against torch: Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict:
indexing, slicing, mutation, keys, repr, state_dict keys, and errors."""
from collections import OrderedDict

import numpy as np
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check, check_raises, rand


def acts(T):
    nn = T.nn
    return [nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.Softplus(beta=2.0), nn.ELU()]


def names(seq):
    return [type(m).__name__ for m in seq]


def both(fn):
    return {T: fn(T) for T in LIBS}


def same(fn):
    r = both(fn)
    assert r[mt] == r[torch], (r[mt], r[torch])
    return r[mt]


def test_sequential_forward_matches():
    x = rand(3, 4, dtype=np.float64)
    check(lambda T, x: T.nn.Sequential(*acts(T))(x), x)
    check(lambda T, x: T.nn.Sequential(OrderedDict(
        [("a", T.nn.Tanh()), ("b", T.nn.Softmax(1))]))(x), x)
    check(lambda T, x: T.nn.Sequential()(x), x)


def test_sequential_indexing_and_mutation():
    same(lambda T: names(T.nn.Sequential(*acts(T))[1:4]))
    same(lambda T: names(T.nn.Sequential(*acts(T))[::-2]))
    same(lambda T: type(T.nn.Sequential(*acts(T))[-1]).__name__)
    same(lambda T: type(T.nn.Sequential(*acts(T))[1:3]).__name__)
    same(lambda T: len(T.nn.Sequential(*acts(T))))

    def mutate(T):
        s = T.nn.Sequential(*acts(T))
        s.append(T.nn.ReLU6())
        s.insert(1, T.nn.GELU())
        s.insert(-1, T.nn.SiLU())
        s.extend([T.nn.Mish(), T.nn.Hardswish()])
        s[0] = T.nn.Softsign()
        del s[2]
        del s[-3:-1]
        popped = s.pop(1)
        s2 = s + T.nn.Sequential(T.nn.Identity())
        s2 += T.nn.Sequential(T.nn.Tanh())
        s3 = T.nn.Sequential(T.nn.ReLU(), T.nn.Tanh()) * 2
        s3 *= 2
        return (names(s), list(s._modules), type(popped).__name__, names(s2),
                list(s2._modules), names(s3), list(s3._modules), repr(s2), repr(s3))

    same(mutate)


def test_sequential_errors():
    for fn in (lambda T: T.nn.Sequential(T.nn.ReLU())[3],
               lambda T: T.nn.Sequential(T.nn.ReLU())[-2],
               lambda T: T.nn.Sequential(T.nn.ReLU()).insert(5, T.nn.ReLU()),
               lambda T: T.nn.Sequential(T.nn.ReLU()) + [T.nn.ReLU()],
               lambda T: T.nn.Sequential(3),
               lambda T: T.nn.Sequential(T.nn.ReLU())["a"]):
        o_exc, t_exc = check_raises(fn)
        assert str(o_exc).replace("minitorch_ref", "torch") == str(t_exc)
    # the message names the class, which lives in our package
    check_raises(lambda T: T.nn.Sequential(T.nn.ReLU()) * 0,
                 match="Non-positive multiplication factor 0 for <class '.*Sequential'>")


def test_module_list():
    def run(T):
        ml = T.nn.ModuleList(acts(T))
        ml.append(T.nn.ReLU())
        ml.extend([T.nn.Tanh(), T.nn.Tanh()])
        ml.insert(0, T.nn.GELU())
        ml += [T.nn.SiLU()]
        ml[1] = T.nn.Softsign()
        del ml[2]
        del ml[::3]
        p = ml.pop(-1)
        ml2 = ml + T.nn.ModuleList([T.nn.ReLU()])
        return (names(ml), list(ml._modules), type(p).__name__, names(ml[1:3]),
                type(ml[-1]).__name__, len(ml), names(ml2), repr(ml), repr(ml2),
                list(T.nn.Sequential(ml).state_dict()))
    same(run)
    same(lambda T: repr(T.nn.ModuleList([T.nn.ReLU() for _ in range(3)] + [T.nn.Tanh()]
                                        + [T.nn.ReLU()] * 2)))
    same(lambda T: repr(T.nn.ModuleList()))
    for fn in (lambda T: T.nn.ModuleList([T.nn.ReLU()])[1],
               lambda T: T.nn.ModuleList().extend(3)):
        o_exc, t_exc = check_raises(fn)
        assert str(o_exc) == str(t_exc)


def test_module_dict():
    def run(T):
        md = T.nn.ModuleDict({"z": T.nn.ReLU(), "a": T.nn.Tanh()})
        md["m"] = T.nn.GELU()
        md.update([("b", T.nn.SiLU()), ("z", T.nn.ELU())])
        md.update(OrderedDict([("c", T.nn.Mish())]))
        del md["a"]
        p = md.pop("b")
        out = (list(md.keys()), names(md.values()), [k for k, _ in md.items()], "m" in md,
               len(md), list(md), type(p).__name__, repr(md))
        md.clear()
        return out + (len(md),)
    same(run)
    for fn in (lambda T: T.nn.ModuleDict({"a": T.nn.ReLU()})["b"],
               lambda T: T.nn.ModuleDict(3),
               lambda T: T.nn.ModuleDict([("a", T.nn.ReLU(), 1)]),
               lambda T: T.nn.ModuleDict({"a.b": T.nn.ReLU()})):
        check_raises(fn)


def test_parameter_list():
    w = [rand(2, 3, dtype=np.float64, seed=i) for i in range(3)]

    def run(T):
        pl = T.nn.ParameterList([T.nn.Parameter(T.tensor(w[0])), T.tensor(w[1])])
        pl.append(T.tensor(w[2], dtype=T.float32))
        pl.extend([3, "x"])
        return (len(pl), [type(p).__name__ for p in pl],
                [p.requires_grad for p in pl if hasattr(p, "requires_grad")],
                list(T.nn.Sequential(pl).state_dict()), repr(pl), len(pl[1:3]),
                [n for n, _ in pl.named_parameters()])
    same(run)
    o_exc, t_exc = check_raises(lambda T: T.nn.ParameterList([T.ones(1)])(1))
    assert str(o_exc) == str(t_exc)
    check_raises(lambda T: T.nn.ParameterList([T.ones(1)])[2])
    check_raises(lambda T: T.nn.ParameterList().extend(T.ones(2)))


def test_parameter_dict():
    w = rand(2, 3, dtype=np.float64)

    def run(T):
        pd = T.nn.ParameterDict({"b": T.tensor(w), "a": T.nn.Parameter(T.tensor(w))})
        pd["c"] = T.tensor(w, dtype=T.float32)
        pd.update([("d", T.ones(1)), ("e", 3)])
        pd.setdefault("f", T.zeros(2))
        popped = pd.pop("d")
        k, _ = pd.popitem()
        out = (list(pd.keys()), len(pd), "a" in pd, repr(pd), type(popped).__name__, k,
               list(T.nn.Sequential(pd).state_dict()), pd.get("zz", 5),
               list((pd | T.nn.ParameterDict({"q": T.ones(1)})).keys()),
               list(pd.copy().keys()), list(reversed(pd)))
        pd.clear()
        return out + (len(pd),)
    same(run)
    o_exc, t_exc = check_raises(lambda T: T.nn.ParameterDict()[1])
    assert str(o_exc) == str(t_exc)
    o_exc, t_exc = check_raises(lambda T: T.nn.ParameterDict({"a": T.ones(1)})(1))
    assert str(o_exc) == str(t_exc)


def test_container_gradients_flow():
    w = rand(3, 3, dtype=np.float64)

    def fn(T, x):
        pl = T.nn.ParameterList([T.tensor(w), T.tensor(w * 2)])
        y = x
        for p in pl:
            y = y @ p
        loss = T.nn.Sequential(T.nn.Tanh(), T.nn.Softmax(-1))(y)
        return loss, pl[0]

    ours, theirs = check(fn, rand(4, 3, dtype=np.float64), grad=False)
    for loss, _ in (ours, theirs):
        (loss * loss).sum().backward()
    assert_close(ours[1].grad, theirs[1].grad)
