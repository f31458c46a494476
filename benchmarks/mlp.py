"""Training steps of three MLPs in torch and minitorch_ref, same weights and data.

* small: 64-128-10, batch 32, Adam                        (goal: <= 0.7x torch's time)
* mid:   784-256-256-10, batch 128, SGD momentum, dropout
* large: 1024-4096-4096-10, batch 256, SGD momentum      (goal: <= 1.05x torch, <= 1.1x floor)

One step is zero_grad, forward, cross-entropy, backward, optimizer step. The "floor" of the large
MLP is the same eight GEMMs (3 forward, 3 weight gradients, 2 input gradients) in bare NumPy:
no framework can go below it on this BLAS.
"""
from __future__ import annotations

import numpy as np

from common import Result, interleaved

CONFIGS = {
    "small": dict(sizes=(64, 128, 10), batch=32, opt="adam", dropout=0.0, goal=0.7),
    "mid": dict(sizes=(784, 256, 256, 10), batch=128, opt="sgd", dropout=0.2, goal=None),
    "large": dict(sizes=(1024, 4096, 4096, 10), batch=256, opt="sgd", dropout=0.0, goal=1.05,
                  floor_goal=1.1),
}


def _build(T, sizes, dropout, opt):
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(T.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(T.nn.ReLU())
            if dropout:
                layers.append(T.nn.Dropout(dropout))
    model = T.nn.Sequential(*layers)
    if opt == "adam":
        optimizer = T.optim.Adam(model.parameters(), lr=1e-3)
    else:
        optimizer = T.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    return model, optimizer


def _step_fn(T, model, optimizer, x, y):
    loss_fn = T.nn.functional.cross_entropy

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    return step


def _gemm_floor(sizes, batch, rng):
    """The GEMMs of one training step, in bare NumPy float32."""
    ws = [rng.standard_normal((b, a)).astype(np.float32) for a, b in zip(sizes[:-1], sizes[1:])]
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)

    def step():
        acts = [x]
        for w in ws:
            acts.append(acts[-1] @ w.T)
        g = acts[-1]
        for i in range(len(ws) - 1, -1, -1):
            _ = g.T @ acts[i]          # weight gradient
            if i:
                g = g @ ws[i]           # input gradient
    return step


def run(quick: bool = False, which=("small", "mid", "large")) -> list[Result]:
    import torch

    import minitorch_ref as mt
    results = []
    rng = np.random.default_rng(0)
    for name in which:
        cfg = CONFIGS[name]
        sizes, batch = cfg["sizes"], cfg["batch"]
        if quick and name == "large":
            sizes, batch = (256, 1024, 1024, 10), 64
        x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
        y = rng.integers(0, sizes[-1], batch)
        torch.manual_seed(0)
        tm, topt = _build(torch, sizes, cfg["dropout"], cfg["opt"])
        om, oopt = _build(mt, sizes, cfg["dropout"], cfg["opt"])
        om.load_state_dict(tm.state_dict())
        fns = {"torch": _step_fn(torch, tm, topt, torch.tensor(x), torch.tensor(y)),
               "ours": _step_fn(mt, om, oopt, mt.tensor(x), mt.tensor(y))}
        heavy = sizes[1] >= 1024
        if name == "large":
            fns["floor"] = _gemm_floor(sizes, batch, rng)
        reps, inner = (3, 2) if quick else ((7, 3) if heavy else (9, 50))
        if quick and not heavy:
            inner = 10
        t = interleaved(fns, reps=reps, inner=inner)
        label = f"{name} MLP {'-'.join(map(str, sizes))}, batch {batch}, " \
                f"{'Adam' if cfg['opt'] == 'adam' else 'SGD momentum'}" \
                f"{', dropout' if cfg['dropout'] else ''}"
        results.append(Result("training step", label, t["torch"], t["ours"],
                              floor_s=t.get("floor"), goal=cfg["goal"],
                              floor_goal=cfg.get("floor_goal")))
    return results
