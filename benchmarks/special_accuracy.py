"""Accuracy, not speed: torch.special's functions here and in torch, against mpmath at 40 digits.

For each function and dtype, over random points spread across its domain (wide ranges, tails,
near zeros and poles), prints the largest error of minitorch_ref and of torch, relative to the
true value, or absolute where the true value is below ``floor`` (near a zero of the function,
where only absolute accuracy is meaningful for any method). float32 errors are in units of
float32 rounding (2^-24 relative). docs/special.md quotes the table this prints.

    python benchmarks/special_accuracy.py [--points N]
"""
from __future__ import annotations

import argparse
import math

import mpmath
import numpy as np
import torch

import minitorch_ref as mt

mpmath.mp.dps = 40


def domain(kind: str, n: int, rng) -> np.ndarray:
    u = rng.uniform
    return {
        "gamma": np.concatenate([u(-30, 40, n), np.exp(u(-30, 30, n // 2)),
                                 -np.exp(u(-20, 4, n // 4))]),
        "gamma_pos": np.concatenate([u(0, 40, n), np.exp(u(-20, 20, n // 2))]),
        "unit": np.concatenate([u(-1, 1, n), 1 - np.exp(u(-36, -1, n // 2))]),
        "prob": np.concatenate([u(0, 1, n), np.exp(u(-700, -1, n // 2)),
                                1 - np.exp(u(-36, -1, n // 4))]),
        "normal": u(-38, 9, n),
        "log_normal": np.concatenate([u(-1e3, 9, n // 2), u(-40, 9, n)]),
        "erfc": u(-6, 27, n),
        "erfcx": np.concatenate([u(-26, 60, n), np.exp(u(4, 60, n // 4))]),
        "bessel": u(-700, 700, n // 2).tolist() + u(-40, 40, n).tolist(),
        "bessel_scaled": np.concatenate([u(-40, 40, n), np.exp(u(3, 600, n // 4))]),
    }[kind]


def _ndtri(p):
    """The normal quantile, with enough digits that 1 - 2p keeps p's (p down to 1e-320)."""
    with mpmath.workdps(400):
        return mpmath.sqrt(2) * mpmath.erfinv(2 * p - 1)


def _ncdf_log(x):
    return mpmath.log(mpmath.ncdf(x)) if x < 0 else mpmath.log1p(-mpmath.ncdf(-x))


# name, (ours, torch's) callables on tensors, mpmath reference, domain, floor
FUNCTIONS = [
    ("lgamma", lambda T, x: T.lgamma(x),
     lambda x: mpmath.log(abs(mpmath.gamma(x))), "gamma", 1.0),
    ("digamma", lambda T, x: T.digamma(x), mpmath.digamma, "gamma", 1.0),
    ("polygamma(1, x)", lambda T, x: T.polygamma(1, x), lambda x: mpmath.psi(1, x),
     "gamma", 0.0),
    ("polygamma(3, x)", lambda T, x: T.polygamma(3, x), lambda x: mpmath.psi(3, x),
     "gamma_pos", 0.0),
    ("zeta(2.5, q)", lambda T, x: T.special.zeta(2.5, x), lambda x: mpmath.zeta(2.5, x),
     "gamma_pos", 0.0),
    ("erfinv", lambda T, x: T.erfinv(x), mpmath.erfinv, "unit", 0.0),
    ("ndtri", lambda T, x: T.special.ndtri(x), _ndtri, "prob", 0.0),
    ("erfc", lambda T, x: T.erfc(x), mpmath.erfc, "erfc", 0.0),
    ("erfcx", lambda T, x: T.special.erfcx(x),
     lambda x: mpmath.exp(x * x) * mpmath.erfc(x), "erfcx", 0.0),
    # torch composes ndtr as (1 + erf(x / sqrt 2)) / 2: absolute accuracy (floor 1)
    ("ndtr", lambda T, x: T.special.ndtr(x), mpmath.ncdf, "normal", 1.0),
    ("log_ndtr", lambda T, x: T.special.log_ndtr(x), _ncdf_log, "log_normal", 0.0),
    ("i0", lambda T, x: T.i0(x), lambda x: mpmath.besseli(0, x), "bessel", 0.0),
    ("i1", lambda T, x: T.special.i1(x), lambda x: mpmath.besseli(1, x), "bessel", 0.0),
    ("i0e", lambda T, x: T.special.i0e(x),
     lambda x: mpmath.besseli(0, x) * mpmath.exp(-abs(x)), "bessel_scaled", 0.0),
    ("i1e", lambda T, x: T.special.i1e(x),
     lambda x: mpmath.besseli(1, x) * mpmath.exp(-abs(x)), "bessel_scaled", 0.0),
]


def worst(values: np.ndarray, refs: np.ndarray, floor: float) -> float:
    ok = np.isfinite(refs) & np.isfinite(values)
    err = np.abs(values[ok] - refs[ok]) / np.maximum(np.abs(refs[ok]), floor)
    return float(err.max()) if err.size else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=400)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print("| function | float64: ours | float64: torch | float32 (ulp): ours | "
          "float32 (ulp): torch |")
    print("|---|---|---|---|---|")
    for name, fn, ref, kind, floor in FUNCTIONS:
        x64 = np.asarray(domain(kind, args.points, rng), np.float64)
        row = [name]
        for dtype, scale in ((np.float64, 1.0), (np.float32, 2.0 ** -24)):
            x = x64.astype(dtype)
            x = x[np.isfinite(x)]
            refs = np.array([_real(ref(mpmath.mpf(float(v)))) for v in x])
            tiny = np.finfo(dtype).tiny   # below it: underflow, compared absolutely
            with np.errstate(over="ignore"):
                fits = np.isfinite(refs.astype(dtype))   # leave out results beyond range
            for T in (mt, torch):
                values = fn(T, T.tensor(x)).numpy().astype(np.float64)
                err = worst(values, np.where(fits, refs, np.inf), max(floor, tiny))
                row.append(f"{err / scale:.2g}")
        print("| " + " | ".join(row) + " |")


def _real(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


if __name__ == "__main__":
    main()
