"""Parity for layers whose inputs and outputs are nested (recurrent layers, attention,
transformers): both libraries build the layer from the same seed (so the default init is
compared too), run it on the same inputs (tensors, tuples of tensors, PackedSequences, masks),
backpropagate the same random upstream gradient through every floating output, and compare
outputs, input gradients and every parameter's gradient."""
from __future__ import annotations

import numpy as np
import torch

import minitorch_ref as mt
from harness import assert_close, to_numpy

LIB_DTYPE = {np.dtype(np.float32): (torch.float32, mt.float32),
             np.dtype(np.float64): (torch.float64, mt.float64)}


def convert(T, obj, requires_grad: bool = True):
    """ndarrays become tensors of library ``T`` (floating ones requiring grad); tuples and lists
    are converted element by element; a callable ``obj(T)`` builds a library object."""
    if isinstance(obj, np.ndarray):
        return T.tensor(obj.copy(), requires_grad=requires_grad and obj.dtype.kind == "f")
    if isinstance(obj, tuple):
        return tuple(convert(T, o, requires_grad) for o in obj)
    if isinstance(obj, list):
        return [convert(T, o, requires_grad) for o in obj]
    if callable(obj) and not isinstance(obj, type):
        return obj(T)
    return obj


def flat(obj) -> list:
    """The tensors in a nested output (tuples, lists, PackedSequence: its ``data`` and the
    integer tensors beside it)."""
    if isinstance(obj, (torch.Tensor, mt.Tensor)):
        return [obj]
    if isinstance(obj, (tuple, list)):
        return [t for o in obj for t in flat(o)]
    return []


def leaves(obj) -> list:
    """The leaf tensors requiring grad among converted inputs."""
    return [t for t in flat(obj) if t.requires_grad and t.grad_fn is None]


def compare_params(ours, theirs, what: str, scale: float = 1.0, grads: bool = True) -> None:
    po, pt = dict(ours.named_parameters()), dict(theirs.named_parameters())
    assert list(po) == list(pt), f"{what}: parameters {list(po)} != torch's {list(pt)}"
    for k in pt:
        assert_close(po[k], pt[k], f"{what}: {k}", scale)
        if not grads:
            continue
        if pt[k].grad is None:
            assert po[k].grad is None, f"{what}: {k} has a grad, torch's has none"
        else:
            assert po[k].grad is not None, f"{what}: {k} has no grad, torch's has one"
            assert_close(po[k].grad, pt[k].grad, f"{what}: grad of {k}", scale)


def layer_parity(build, *inputs, seed: int = 0, dtype=None, train: bool = True,
                 forward_seed: int | None = None, scale: float = 1.0, call=None,
                 exact_init: bool = True, grad_seed: int = 0):
    """Build the layer in both libraries after ``manual_seed(seed)`` (``build(T)``), check
    that the default init agrees (bit for bit with ``exact_init``), cast to ``dtype`` (a NumPy
    float dtype) when given, run ``call(T, module, *inputs)`` (default ``module(*inputs)``)
    after ``manual_seed(forward_seed)`` when given (dropout masks), compare every output,
    then backpropagate one random upstream gradient per floating output and compare the input
    and parameter gradients. Returns ``(ours, torch's)`` modules and outputs."""
    mods, outs, ins = {}, {}, {}
    for T in (torch, mt):
        T.manual_seed(seed)
        mods[T] = build(T)
    for (k, po), (_, pt) in zip(mods[mt].state_dict().items(), mods[torch].state_dict().items()):
        if exact_init:
            np.testing.assert_array_equal(to_numpy(po), to_numpy(pt), err_msg=f"init of {k}")
        else:
            assert_close(po, pt, f"init of {k}")
    assert list(mods[mt].state_dict()) == list(mods[torch].state_dict())
    for T in (torch, mt):
        if dtype is not None:
            mods[T] = mods[T].to(LIB_DTYPE[np.dtype(dtype)][0 if T is torch else 1])
        mods[T].train(train)
        ins[T] = convert(T, list(inputs))
        if forward_seed is not None:
            T.manual_seed(forward_seed)
        outs[T] = call(T, mods[T], *ins[T]) if call else mods[T](*ins[T])
    to_, oo = flat(outs[torch]), flat(outs[mt])
    assert len(to_) == len(oo), f"{len(oo)} outputs, torch gives {len(to_)}"
    for i, (o, t) in enumerate(zip(oo, to_)):
        assert_close(o, t, f"output {i}", scale)
        assert o.requires_grad == t.requires_grad, f"output {i}: requires_grad differs"
    diff = [i for i, t in enumerate(to_) if t.requires_grad]
    if diff:
        rng = np.random.default_rng(grad_seed)
        seeds = [rng.standard_normal(to_[i].shape).astype(to_numpy(to_[i]).dtype) for i in diff]
        torch.autograd.backward([to_[i] for i in diff], [torch.tensor(s) for s in seeds])
        mt.autograd.backward([oo[i] for i in diff], [mt.tensor(s) for s in seeds])
        for k, (a, b) in enumerate(zip(leaves(ins[mt]), leaves(ins[torch]))):
            if b.grad is None:
                assert a.grad is None, f"input {k}: grad where torch has none"
            else:
                assert_close(a.grad, b.grad, f"grad of input {k}", scale)
    compare_params(mods[mt], mods[torch], "after backward", scale, grads=bool(diff))
    return (mods[mt], mods[torch]), (outs[mt], outs[torch])
