"""Random draws in torch and minitorch_ref: the same numbers, how fast.

rand/randn (float32, the 16-block Box-Muller path), uniform_ on a Linear-sized weight (the init
path), bernoulli_ (dropout's mask), randint, randperm (torch's sequential shuffle, evaluated in
closed form by one radix sort and pointer doubling in ours) and a dropout forward.
"""
from __future__ import annotations

from common import Result, interleaved


def run(quick: bool = False) -> list:
    import torch
    import torch.nn.functional as TF

    import minitorch_ref as mt
    import minitorch_ref.nn.functional as MF

    n = 100_000 if quick else 1_000_000
    perm_n = 10_000 if quick else 60_000
    reps, inner = (3, 2) if quick else (7, 5)
    xt, xm = torch.randn(256, 1024), mt.randn(256, 1024)
    cases = {
        f"rand({n})": lambda T: T.rand(n),
        f"randn({n})": lambda T: T.randn(n),
        f"randn({n}, float64)": lambda T: T.randn(n, dtype=T.float64),
        "uniform_ 1024x1024": lambda T: T.empty(1024, 1024).uniform_(-0.03, 0.03),
        f"bernoulli_(0.5) {n}": lambda T: T.empty(n).bernoulli_(0.5),
        f"randint {n}": lambda T: T.randint(0, 1000, (n,)),
        f"randperm({perm_n})": lambda T: T.randperm(perm_n),
        "dropout 256x1024": lambda T: (TF if T is torch else MF).dropout(
            xt if T is torch else xm, 0.2),
    }
    results = []
    for name, fn in cases.items():
        times = interleaved({"torch": lambda: fn(torch), "ours": lambda: fn(mt)}, reps, inner)
        results.append(Result("random", name, times["torch"], times["ours"]))
    return results


if __name__ == "__main__":
    import sys

    from common import format_table, pin_threads
    pin_threads(1)
    print(format_table(run("--quick" in sys.argv)))
