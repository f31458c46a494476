"""Optimizer steps in torch and minitorch_ref: one ``optimizer.step()`` on gradients already in
place, for a few large parameters (1M+ elements each) and for ~200 small ones.

torch runs its default path (on the CPU that is the single-tensor for-loop: torch picks the
multi-tensor "foreach" path by default only for CUDA tensors) and, in extra rows, its explicit
``foreach=True`` path. Ours is one NumPy path: whole-array in-place updates (``out=``, ``+=``).

The "NumPy floor" of every optimizer on the large parameters is its update in the fewest NumPy
passes we know (``FLOORS``), over the same 256k-element blocks, with the scratch blocks
allocated once and no optimizer around them: torch's ``p.add_(g, alpha=-lr)`` is one fused pass
where NumPy needs two (``lr * g``, then ``p -= ...``); with momentum three torch kernels against
four NumPy passes; Adam seven against twelve. Where the floor is above torch's time, the goal is
out of reach in NumPy.

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


# -- NumPy floors: each update in the fewest NumPy passes we know, on bare arrays ------------
# Steady state (after the first step), scalars folded as far as they fold; ``t``, ``u``, ``w``
# are scratch blocks. torch's fused kernels (``add_(alpha=)``, ``addcmul_``, ``addcdiv_``,
# ``lerp_``) are one pass each where NumPy needs two or three; the floor says whether NumPy
# passes over cache-sized blocks can reach torch's time at all.
LR, MU, WD, EPS = 1e-3, 0.9, 1e-4, 1e-8
B1, B2, T = 0.9, 0.999, 10                      # Adam's betas at step T
BC1, BC2S = 1 - B1 ** T, (1 - B2 ** T) ** 0.5


def _lerp(x, end, w, t):                         # x += w (end - x): 3 passes
    np.subtract(end, x, out=t)
    t *= w
    x += t


def _sq_avg(v, x, beta, t):                      # v = beta v + (1 - beta) x^2: 4 passes
    v *= beta
    np.multiply(x, 1 - beta, out=t)
    t *= x
    v += t


def _sgd(p, g, t):                               # 2
    np.multiply(g, LR, out=t)
    p -= t


def _sgd_momentum(p, g, b, t):                   # 4
    b *= MU
    b += g
    np.multiply(b, LR, out=t)
    p -= t


def _sgd_nesterov_wd(p, g, b, t, u):             # 8
    np.multiply(p, WD, out=t)
    t += g
    b *= MU
    b += t
    np.multiply(b, MU, out=u)
    t += u
    t *= LR
    p -= t


def _adam_step(p, m, v, t):                      # 5: theta -= s m / (sqrt(v) + eps')
    np.sqrt(v, out=t)
    t += EPS * BC2S
    np.divide(m, t, out=t)
    t *= -LR / BC1 * BC2S
    p += t


def _adam(p, g, m, v, t):                        # 12
    _lerp(m, g, 1 - B1, t)
    _sq_avg(v, g, B2, t)
    _adam_step(p, m, v, t)


def _adam_amsgrad(p, g, m, v, vmax, t):          # 13
    _lerp(m, g, 1 - B1, t)
    _sq_avg(v, g, B2, t)
    np.maximum(vmax, v, out=vmax)
    _adam_step(p, m, vmax, t)


def _adamw(p, g, m, v, t):                       # 13
    p *= 1 - LR * 1e-2
    _adam(p, g, m, v, t)


def _adagrad(p, g, s, t, u):                     # 7
    np.multiply(g, g, out=t)
    s += t
    np.sqrt(s, out=t)
    t += EPS
    np.divide(g, t, out=t)
    t *= -1e-2
    p += t


def _rmsprop(p, g, v, t):                        # 9
    _sq_avg(v, g, 0.99, t)
    np.sqrt(v, out=t)
    t += EPS
    np.divide(g, t, out=t)
    t *= -LR
    p += t


def _rmsprop_centered_momentum(p, g, v, a, b, t):   # 16
    _sq_avg(v, g, 0.99, t)
    _lerp(a, g, 0.01, t)
    np.multiply(a, a, out=t)
    np.subtract(v, t, out=t)
    np.sqrt(t, out=t)
    t += EPS
    np.divide(g, t, out=t)
    b *= MU
    b += t
    np.multiply(b, -LR, out=t)
    p += t


def _adadelta(p, g, v, acc, t, u):               # 15: dx = sqrt((u + eps) / (v + eps)) g
    _sq_avg(v, g, 0.9, t)
    np.add(v, 1e-6, out=t)
    np.add(acc, 1e-6, out=u)
    u /= t
    np.sqrt(u, out=u)
    u *= g
    _sq_avg(acc, u, 0.9, t)
    u *= -1.0
    p += u


def _adamax(p, g, m, inf, t):                    # 10
    _lerp(m, g, 1 - B1, t)
    inf *= B2
    np.abs(g, out=t)
    t += EPS
    np.maximum(inf, t, out=inf)
    np.multiply(m, -LR / BC1, out=t)
    t /= inf
    p += t


def _nadam(p, g, m, v, t, u, d):                 # 14: both terms over one division
    _lerp(m, g, 1 - B1, t)
    _sq_avg(v, g, B2, t)
    np.sqrt(v, out=d)
    d += EPS * BC2S
    np.multiply(g, -2e-4, out=t)
    np.multiply(m, -2e-3, out=u)
    t += u
    t /= d
    p += t


def _radam(p, g, m, v, t, u):                    # 12 (rectified steps)
    _lerp(m, g, 1 - B1, t)
    _sq_avg(v, g, B2, t)
    np.multiply(m, LR / BC1 * BC2S * 0.5, out=u)
    np.sqrt(v, out=t)
    t += EPS
    u /= t
    p -= u


def _rprop(p, g, prev, size, t, u):              # our kernel's passes: no fewer found
    np.multiply(g, prev, out=u)
    np.sign(u, out=u)
    flipped = u < 0
    np.copyto(u, 1.2, where=u > 0)
    np.copyto(u, 0.5, where=flipped)
    np.copyto(u, 1, where=u == 0)
    size *= u
    np.clip(size, 1e-6, 50, out=size)
    np.copyto(t, g)
    np.copyto(t, 0, where=flipped)
    np.sign(t, out=u)
    u *= size
    p -= u
    np.copyto(prev, t)


def _asgd(p, g, ax, t):                          # 4
    p *= 1 - 1e-4 * LR
    np.multiply(g, LR, out=t)
    p -= t
    np.copyto(ax, p)


# label -> (the update on one block: p, g, state..., scratch...; state arrays; scratch blocks)
FLOORS = {
    "SGD": (_sgd, 0, 1), "SGD momentum": (_sgd_momentum, 1, 1),
    "SGD nesterov+wd": (_sgd_nesterov_wd, 1, 2), "Adam": (_adam, 2, 1),
    "Adam amsgrad": (_adam_amsgrad, 3, 1), "AdamW": (_adamw, 2, 1),
    "Adagrad": (_adagrad, 1, 2), "RMSprop": (_rmsprop, 1, 1),
    "RMSprop centered+momentum": (_rmsprop_centered_momentum, 3, 1),
    "Adadelta": (_adadelta, 2, 2), "Adamax": (_adamax, 2, 1), "NAdam": (_nadam, 2, 3),
    "RAdam": (_radam, 2, 2), "Rprop": (_rprop, 2, 2), "ASGD": (_asgd, 1, 1),
}


def _floor(shapes, label: str, block: int = 1 << 18):
    """A step of ``FLOORS[label]`` over the same parameters' 256k-element blocks, with the
    scratch blocks allocated once and no optimizer around it."""
    from minitorch_ref.optim.optimizer import _state_array
    update, n_state, n_scratch = FLOORS[label]
    rng = np.random.default_rng(1)
    ps = [rng.standard_normal(int(np.prod(s))).astype(np.float32) for s in shapes]
    gs = [rng.standard_normal(p.size).astype(np.float32) * 0.01 for p in ps]
    # state: positive values of a gradient's square's size (square roots, divisions stay finite),
    # placed in memory as the optimizers place theirs (2 MB boundaries, huge pages asked for)
    states = [[_state_array(p, 1e-4) for _ in range(n_state)] for p in ps]
    scratch = [np.empty(block, np.float32) for _ in range(n_scratch)]

    def step():
        for p, g, state in zip(ps, gs, states):
            for start in range(0, p.size, block):
                part = slice(start, start + block)
                n = min(block, p.size - start)
                update(p[part], g[part], *[s[part] for s in state], *[w[:n] for w in scratch])
    return step


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
            if kind == "large":
                fns["floor"] = _floor(shapes, label)
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
