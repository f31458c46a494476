"""torch.linalg and torch.special: forward + backward against torch.

The decompositions run in LAPACK in both libraries (NumPy's OpenBLAS here, torch's MKL), so
the ratio shows the per-call cost around them. The special functions are NumPy series here
and compiled kernels in torch: several passes over the data in float64 against one in the
input's dtype (docs/special.md explains the methods).

    python benchmarks/linalg.py [--quick] [--threads N]
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


def _cases(T, quick: bool) -> dict:
    """name -> (leaf, forward returning a scalar loss)."""
    rng = np.random.default_rng(0)
    b, n = (8, 16) if quick else (64, 32)
    size = 10_000 if quick else 100_000
    a = rng.standard_normal((b, n, n))
    spd = a @ np.swapaxes(a, -1, -2) + n * np.eye(n)
    rhs = rng.standard_normal((b, n, 4))
    pos = rng.uniform(0.1, 20, size).astype(np.float32)
    unit = rng.uniform(-0.99, 0.99, size).astype(np.float32)

    def leaf(arr):
        return T.tensor(arr, requires_grad=True)

    cases = {}
    for name, arr, fn in [
        (f"inv {b}x{n}x{n} f64", spd, lambda x: T.linalg.inv(x).sum()),
        (f"solve {b}x{n}x{n} f64", spd, lambda x: T.linalg.solve(x, T.tensor(rhs)).sum()),
        (f"cholesky {b}x{n}x{n} f64", spd, lambda x: T.linalg.cholesky(x).sum()),
        (f"slogdet {b}x{n}x{n} f64", spd, lambda x: T.linalg.slogdet(x)[1].sum()),
        (f"eigh {b}x{n}x{n} f64", spd, lambda x: T.linalg.eigh(x)[0].sum()),
        (f"svd {b}x{n}x{n} f64", a, lambda x: T.linalg.svdvals(x).sum()),
        (f"lgamma {size} f32", pos, lambda x: T.lgamma(x).sum()),
        (f"digamma {size} f32", pos, lambda x: T.digamma(x).sum()),
        (f"erfinv {size} f32", unit, lambda x: T.erfinv(x).sum()),
        (f"i0e {size} f32", pos, lambda x: T.special.i0e(x).sum()),
    ]:
        cases[name] = (leaf(arr), fn)
    return cases


def _step(case):
    x, fn = case

    def step():
        fn(x).backward()
        x.grad = None
    return step


def run(quick: bool = False) -> list[Result]:
    import torch

    import minitorch_ref as mt
    reps, inner = (3, 3) if quick else (15, 20)
    theirs, ours = _cases(torch, quick), _cases(mt, quick)
    results = []
    for name in theirs:
        times = interleaved({"torch": _step(theirs[name]), "ours": _step(ours[name])},
                            reps=reps, inner=inner)
        results.append(Result("linalg", f"{name} fwd+bwd", times["torch"], times["ours"]))
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repetitions")
    parser.add_argument("--threads", type=int, default=1)
    ns = parser.parse_args(argv)
    pin_threads(ns.threads)
    print(format_table(run(quick=ns.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
