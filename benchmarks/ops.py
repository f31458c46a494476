"""Per-op overhead: forward + backward of small-tensor ops (32x64) in torch and minitorch_ref.

At this size the arithmetic costs next to nothing; what is measured is each library's per-call
overhead (torch's dispatcher and autograd recording, against our Function.apply and engine).
NumPy's call overhead is lower than torch's dispatcher, so the goal is every ratio <= 1.0.

Each benchmark builds its leaves once, then times: forward, ``backward(gradient)``, and dropping
the leaves' ``.grad`` (so that nothing accumulates between calls). Both libraries run in one
process on the same thread count, repetitions interleaved, medians reported.

    python benchmarks/ops.py [--quick] [--threads N]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import Result, format_table, interleaved, pin_threads  # noqa: E402

N, D, H, C = 32, 64, 64, 10


def _cases(T, rng_seed: int = 0) -> dict:
    """name -> (leaves, forward function returning the output, upstream gradient)."""
    rng = np.random.default_rng(rng_seed)

    def leaf(*shape):
        return T.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)

    def grad_like(shape):
        return T.tensor(rng.standard_normal(shape).astype(np.float32))

    a, b = leaf(N, D), leaf(N, D)
    w = leaf(D, H)
    x = T.tensor(rng.standard_normal((N, D)).astype(np.float32))
    w1, b1, w2, b2 = leaf(D, H), leaf(H), leaf(H, C), leaf(C)

    def mlp():
        h = (x @ w1 + b1).relu()
        out = h @ w2 + b2
        return (out * out).mean()

    return {
        "add": ((a, b), lambda: a + b, grad_like((N, D))),
        "mul": ((a, b), lambda: a * b, grad_like((N, D))),
        "matmul": ((a, w), lambda: a @ w, grad_like((N, H))),
        "sum": ((a,), lambda: a.sum(), None),
        "relu": ((a,), lambda: a.relu(), grad_like((N, D))),
        "mlp 2-layer": ((w1, b1, w2, b2), mlp, None),
    }


def _step(case):
    leaves, forward, grad = case

    def step():
        out = forward()
        out.backward(grad)
        for t in leaves:
            t.grad = None
    return step


def run(quick: bool = False) -> list[Result]:
    import torch

    import minitorch_ref as mt
    reps, inner = (5, 200) if quick else (15, 1000)
    theirs, ours = _cases(torch), _cases(mt)
    results = []
    for name in theirs:
        times = interleaved({"torch": _step(theirs[name]), "ours": _step(ours[name])},
                            reps=reps, inner=inner)
        results.append(Result("ops", f"{name} fwd+bwd {N}x{D}", times["torch"], times["ours"],
                              goal=1.0))
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--threads", type=int, default=1)
    ns = parser.parse_args(argv)
    pin_threads(ns.threads)
    print(format_table(run(quick=ns.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
