"""Module-level parity: the same layer in torch and in minitorch_ref, with torch's state copied
into ours, run on the same input; outputs, input gradients, parameter gradients and buffers
compared with the harness tolerances."""
from __future__ import annotations

import numpy as np
import torch

import minitorch_ref as mt
from harness import assert_close, to_numpy


def copy_state(ours: mt.nn.Module, theirs: torch.nn.Module) -> None:
    """Load torch's state_dict into ours (the path a user takes), checking the returned keys."""
    result = ours.load_state_dict(theirs.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []


def compare_state(ours: mt.nn.Module, theirs: torch.nn.Module, what: str = "",
                  scale: float = 1.0) -> None:
    """Same state_dict keys in the same order, same values and dtypes."""
    so, st = ours.state_dict(), theirs.state_dict()
    assert list(so) == list(st), f"{what}: keys {list(so)} != torch's {list(st)}"
    for k in st:
        assert_close(so[k], st[k], f"{what} state {k}", scale)


def module_parity(build, *inputs: np.ndarray, train=True, steps: int = 1,
                  scale: float = 1.0, dtype=None, seed: int = 0, grad_inputs: bool = True):
    """``build(T)`` returns a module of library ``T``. Torch's state is loaded into ours; then
    ``steps`` forward/backward passes run on both with the same inputs and random upstream
    gradients, comparing outputs, input and parameter gradients and the state after each.
    ``train`` is one mode for all steps, or a sequence of modes, one per step (e.g.
    ``(True, True, False)``: two training steps, then one in eval mode)."""
    theirs = build(torch)
    ours = build(mt)
    if dtype is not None:
        theirs = theirs.to(dtype[0])
        ours = ours.to(dtype[1])
    copy_state(ours, theirs)
    modes = [train] * steps if isinstance(train, bool) else list(train)
    rng = np.random.default_rng(seed)
    outs = None
    for step, mode in enumerate(modes):
        theirs.train(mode)
        ours.train(mode)
        xs = {}
        # each step sees a different input (a shifted, scaled copy), as a training loop would
        for T in (torch, mt):
            xs[T] = [T.tensor(a * (1 + 0.5 * step) + 0.25 * step if a.dtype.kind == "f"
                              else a.copy(),
                              requires_grad=grad_inputs and a.dtype.kind == "f")
                     if isinstance(a, np.ndarray) else a for a in inputs]
        for m in (ours, theirs):
            m.zero_grad()
        out_t = theirs(*xs[torch])
        out_o = ours(*xs[mt])
        assert_close(out_o, out_t, f"step {step} output", scale)
        if out_t.requires_grad:
            seed_g = rng.standard_normal(out_t.shape).astype(to_numpy(out_t).dtype)
            out_t.backward(torch.tensor(seed_g))
            out_o.backward(mt.tensor(seed_g))
            for i, (a, b) in enumerate(zip(xs[mt], xs[torch])):
                if isinstance(b, torch.Tensor) and b.requires_grad:
                    assert_close(a.grad, b.grad, f"step {step} grad of input {i}", scale)
            po, pt = dict(ours.named_parameters()), dict(theirs.named_parameters())
            assert list(po) == list(pt)
            for k in pt:
                if pt[k].grad is None:
                    assert po[k].grad is None, f"{k}: grad where torch has none"
                else:
                    assert_close(po[k].grad, pt[k].grad, f"step {step} grad of {k}", scale)
        compare_state(ours, theirs, f"step {step}", scale)
        outs = (out_o, out_t)
    return ours, theirs, outs
