"""Losses in torch and minitorch_ref: forward + backward of the common ones, at classifier and
segmentation sizes. Each call computes the loss and backpropagates into the logits (the leaf's
gradient is dropped before each call, so nothing accumulates).

cross_entropy is one fused kernel in ours (log-softmax, target distribution, reduction and the
closed-form backward ``softmax * sum(q) - q``); torch runs log_softmax + nll_loss.
"""
from __future__ import annotations

import numpy as np

from common import Result, interleaved


def run(quick: bool = False) -> list:
    import torch

    import minitorch_ref as mt

    rng = np.random.default_rng(0)
    n, c = (256, 100) if quick else (512, 1000)
    seg = (4, 21, 32, 32) if quick else (8, 21, 64, 64)
    big = (256, 256) if quick else (1024, 1024)
    reps, inner = (3, 3) if quick else (7, 10)

    logits = rng.standard_normal((n, c)).astype(np.float32)
    labels = rng.integers(0, c, n)
    probs = rng.dirichlet(np.ones(c), n).astype(np.float32)
    seg_logits = rng.standard_normal(seg).astype(np.float32)
    seg_labels = rng.integers(0, seg[1], (seg[0],) + seg[2:])
    x_big = rng.standard_normal(big).astype(np.float32)
    y_big = rng.standard_normal(big).astype(np.float32)
    y01 = rng.uniform(0, 1, big).astype(np.float32)
    class_w = rng.uniform(0.5, 2.0, c).astype(np.float32)

    def lib(T):
        x = T.tensor(logits, requires_grad=True)
        return dict(
            T=T, x=x, t=T.tensor(labels), p=T.tensor(probs), w=T.tensor(class_w),
            xs=T.tensor(seg_logits, requires_grad=True), ts=T.tensor(seg_labels),
            xb=T.tensor(x_big, requires_grad=True), yb=T.tensor(y_big), y01=T.tensor(y01))

    env = {"torch": lib(torch), "ours": lib(mt)}

    def step(loss_fn, leaf):
        def call(e):
            e[leaf].grad = None
            loss_fn(e["T"].nn.functional, e).backward()
        return call

    cases = {
        f"cross_entropy {n}x{c}": step(lambda F, e: F.cross_entropy(e["x"], e["t"]), "x"),
        f"cross_entropy weight+smoothing {n}x{c}": step(
            lambda F, e: F.cross_entropy(e["x"], e["t"], e["w"], label_smoothing=0.1), "x"),
        f"cross_entropy probabilities {n}x{c}": step(
            lambda F, e: F.cross_entropy(e["x"], e["p"]), "x"),
        f"cross_entropy {'x'.join(map(str, seg))}": step(
            lambda F, e: F.cross_entropy(e["xs"], e["ts"], ignore_index=0), "xs"),
        f"bce_with_logits {big[0]}x{big[1]}": step(
            lambda F, e: F.binary_cross_entropy_with_logits(e["xb"], e["y01"]), "xb"),
        f"mse_loss {big[0]}x{big[1]}": step(lambda F, e: F.mse_loss(e["xb"], e["yb"]), "xb"),
        f"smooth_l1_loss {big[0]}x{big[1]}": step(
            lambda F, e: F.smooth_l1_loss(e["xb"], e["yb"]), "xb"),
    }
    results = []
    for name, fn in cases.items():
        times = interleaved({k: (lambda k=k: fn(env[k])) for k in env}, reps, inner)
        goal = 1.5 if name.startswith("cross_entropy") else None   # issue 16's goal
        results.append(Result("losses", name + " fwd+bwd", times["torch"], times["ours"],
                              goal=goal))
    return results


if __name__ == "__main__":
    import sys
    from pathlib import Path

    from common import format_table, pin_threads
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    pin_threads(1)
    print(format_table(run("--quick" in sys.argv)))
