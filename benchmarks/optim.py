"""Optimizer steps in torch and minitorch_ref: one ``optimizer.step()`` on gradients already in
place, for a few large parameters (1M+ elements each) and for ~200 small ones.

torch runs its default path (on the CPU that is the single-tensor for-loop: torch picks the
multi-tensor "foreach" path by default only for CUDA tensors) and, in extra rows, its explicit
``foreach=True`` path. Ours is one NumPy path: whole-array in-place updates (``out=``, ``+=``).

The "NumPy floor" of plain SGD and SGD with momentum on the large parameters is the fewest
NumPy passes that give the same numbers, over the same 256k-element blocks, with the scratch
block allocated once and no optimizer around them: torch's ``p.add_(g, alpha=-lr)`` is one fused
pass where NumPy needs two (``lr * g``, then ``p -= ...``); with momentum three torch kernels
against four NumPy passes. Where it is above torch's time, the goal is out of reach in NumPy.

    python benchmarks/optim.py [--quick] [--threads N]
"""
from __future__ import annotations

import argparse
import sys

import numpy as np

from common import Result, interleaved

# (label, optimizer class name, kwargs)
OPTIMIZERS = [
    ("SGD", "SGD", dict(lr=1e-3)),
    ("SGD momentum", "SGD", dict(lr=1e-3, momentum=0.9)),
    ("SGD nesterov+wd", "SGD", dict(lr=1e-3, momentum=0.9, nesterov=True, weight_decay=1e-4)),
    ("Adam", "Adam", dict(lr=1e-3)),
    ("Adam amsgrad", "Adam", dict(lr=1e-3, amsgrad=True)),
    ("AdamW", "AdamW", dict(lr=1e-3)),
    ("Adagrad", "Adagrad", dict(lr=1e-2)),
    ("RMSprop", "RMSprop", dict(lr=1e-3)),
    ("RMSprop centered+momentum", "RMSprop", dict(lr=1e-3, centered=True, momentum=0.9)),
    ("Adadelta", "Adadelta", dict()),
    ("Adamax", "Adamax", dict(lr=1e-3)),
    ("NAdam", "NAdam", dict(lr=1e-3)),
    ("RAdam", "RAdam", dict(lr=1e-3)),
    ("Rprop", "Rprop", dict(lr=1e-3)),
    ("ASGD", "ASGD", dict(lr=1e-3)),
]
QUICK = {"SGD momentum", "Adam", "AdamW", "Adagrad"}
FOREACH = {"SGD momentum", "Adam", "AdamW"}   # torch's explicit foreach path, extra rows


def _shapes(kind: str, quick: bool) -> list:
    if kind == "large":
        # four 1M-element parameters (4 MB each in float32): the two 1024x1024 weights of a wide
        # MLP, a 1M embedding slice, a 1M vector
        n = 1 << 20
        return [(1024, 1024), (1024, 1024), (256, 4096), (n,)]
    # ~200 small parameters, as in a deep narrow network: weights and biases of 100 layers
    layers = 50 if quick else 100
    return [s for i in range(layers) for s in (((32 + (i % 4) * 16), 64), (64,))]


def _sgd_floor(shapes, momentum: float, lr: float = 1e-3, block: int = 1 << 18):
    """SGD's update in its fewest NumPy passes per block: ``b = mu b + g`` (two passes, with
    momentum), ``tmp = lr * b``, ``p -= tmp``."""
    rng = np.random.default_rng(1)
    ps = [rng.standard_normal(int(np.prod(s))).astype(np.float32) for s in shapes]
    gs = [rng.standard_normal(p.size).astype(np.float32) * 0.01 for p in ps]
    bufs = [g.copy() for g in gs]
    tmp = np.empty(block, np.float32)

    def step():
        for p, g, b in zip(ps, gs, bufs):
            for start in range(0, p.size, block):
                part = slice(start, start + block)
                gb = g[part]
                if momentum:
                    bb = b[part]
                    bb *= momentum
                    bb += gb
                    gb = bb
                t = tmp[:len(gb)]
                np.multiply(gb, lr, out=t)
                p[part] -= t
    return step


FLOORS = {"SGD": 0.0, "SGD momentum": 0.9}   # label -> momentum of the floor's update


def _make(T, shapes, seed: int = 0):
    rng = np.random.default_rng(seed)
    params = []
    for shape in shapes:
        p = T.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
        p.grad = T.tensor(rng.standard_normal(shape).astype(np.float32) * 0.01)
        params.append(p)
    return params


def run(quick: bool = False) -> list:
    import torch

    import minitorch_ref as mt

    reps, inner = (3, 3) if quick else (9, 10)
    results = []
    for kind in ("large", "small"):
        shapes = _shapes(kind, quick)
        numel = sum(int(np.prod(s)) for s in shapes)
        desc = (f"{len(shapes)} x {numel // len(shapes) / 1e6:.1f}M" if kind == "large"
                else f"{len(shapes)} small ({numel / 1e3:.0f}k total)")
        goal = 1.0 if kind == "large" else 1.5
        for label, cls, kwargs in OPTIMIZERS:
            if quick and label not in QUICK:
                continue
            opt_t = getattr(torch.optim, cls)(_make(torch, shapes), **kwargs)
            opt_o = getattr(mt.optim, cls)(_make(mt, shapes), **kwargs)
            fns = {"torch": opt_t.step, "ours": opt_o.step}
            if label in FOREACH:
                opt_f = getattr(torch.optim, cls)(_make(torch, shapes), foreach=True, **kwargs)
                fns["foreach"] = opt_f.step
            if kind == "large" and label in FLOORS:
                fns["floor"] = _sgd_floor(shapes, FLOORS[label])
            times = interleaved(fns, reps, inner)
            results.append(Result("optim", f"{label} step, {desc}", times["torch"],
                                  times["ours"], floor_s=times.get("floor"), goal=goal))
            if "foreach" in times:
                results.append(Result("optim", f"{label} step, {desc} (torch foreach=True)",
                                      times["foreach"], times["ours"]))
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="optimizer steps: minitorch_ref vs torch")
    parser.add_argument("--quick", action="store_true", help="fewer optimizers, repetitions")
    parser.add_argument("--threads", type=int, default=1)
    ns = parser.parse_args(argv)
    from common import format_table, pin_threads
    pin_threads(ns.threads)
    print(format_table(run(ns.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
