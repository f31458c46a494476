"""minitorch_ref's training steps in fresh processes, without and with torch in the process.

    python benchmarks/standalone.py [--only gpt,resnet,...] [--rounds 2] [--out FILE]

The runner (``run.py``) times both libraries in one process. glibc's allocator then behaves as
torch's own large allocations left it: freeing a large ``mmap``ed block raises glibc's dynamic
mmap threshold (up to 32 MB), so later arrays of that size come from the heap, already mapped.
A script that runs ``import minitorch_ref as torch`` has no torch in it. Here each workload
runs in its own process, ours alone or beside torch's same step (interleaved, as the runner
does), with glibc's default allocator settings (``MINITORCH_REF_MALLOC=0``) or with the ones
minitorch_ref applies at import (``minitorch_ref/_malloc.py``). Each row reports per step the
median thread CPU time and wall time, the minor page faults (``ru_minflt``), and the process's
peak RSS (``ru_maxrss``, torch's own memory included where torch ran). One thread for BLAS and
torch. "+settings": minitorch_ref's allocator settings; without it glibc's defaults. The rows
``torch alone`` time torch's step in a process without minitorch_ref (with the settings: the
package imported, unused).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

MODES = {  # name -> (minitorch_ref's allocator settings on, torch runs, ours runs)
    "ours alone": (False, False, True),
    "ours alone+settings": (True, False, True),
    "ours beside torch": (False, True, True),
    "ours beside torch+settings": (True, True, True),
    "torch alone": (False, True, False),
    "torch alone+settings": (True, True, False),
}
REPS = {"gpt": 12, "resnet": 6, "cnn": 30, "mlp-small": 300, "mlp-mid": 60, "mlp-large": 4,
        "softmax": 60, "layernorm": 30, "sgd": 60, "adam": 30}
LABELS = {
    "gpt": "GPT step (2 layers, d=128, T=64, B=16, AdamW)",
    "resnet": "ResNet-style step, batch 16",
    "cnn": "small CNN step, batch 32",
    "mlp-small": "small MLP step 64-128-10, Adam",
    "mlp-mid": "mid MLP step 784-256-256-10, SGD momentum, dropout",
    "mlp-large": "large MLP step 1024-4096-4096-10, SGD momentum",
    "softmax": "softmax 1024x1024 fwd+bwd",
    "layernorm": "LayerNorm 32x128x512 fwd+bwd",
    "sgd": "SGD step, 4 x 1M",
    "adam": "Adam step, 4 x 1M",
}


def make_step(T, name: str):
    """One measured step of workload ``name`` in library ``T`` (torch or minitorch_ref)."""
    rng = np.random.default_rng(0)
    T.manual_seed(0)
    if name == "gpt":
        import seq
        idx, tgt = (T.tensor(rng.integers(0, seq.VOCAB, (16, 64))) for _ in range(2))
        model = seq._GPT(T, 128, 4, 2, 64).model
        return seq._gpt_step(T, model, T.optim.AdamW(model.parameters(), lr=1e-3), idx, tgt)
    if name in ("resnet", "cnn"):
        import conv
        n = 16 if name == "resnet" else 32
        shape = (n, 3, 32, 32) if name == "resnet" else (n, 1, 28, 28)
        model = conv._resnet(T) if name == "resnet" else conv._cnn(T)
        x = T.tensor(rng.standard_normal(shape).astype(np.float32))
        return conv._train_step(T, model, x, T.tensor(rng.integers(0, 10, n)))
    if name.startswith("mlp-"):
        import mlp
        cfg = mlp.CONFIGS[name[4:]]
        model, opt = mlp._build(T, cfg["sizes"], cfg["dropout"], cfg["opt"])
        x = T.tensor(rng.standard_normal((cfg["batch"], cfg["sizes"][0])).astype(np.float32))
        y = T.tensor(rng.integers(0, cfg["sizes"][-1], cfg["batch"]))
        return mlp._step_fn(T, model, opt, x, y)
    if name in ("softmax", "layernorm"):
        shape = (1024, 1024) if name == "softmax" else (32, 128, 512)
        x = T.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
        layer = (lambda t: T.nn.functional.softmax(t, -1)) if name == "softmax" \
            else T.nn.LayerNorm(512)

        def step():
            x.grad = None
            out = layer(x)
            out.backward(T.ones_like(out))
        return step
    if name in ("sgd", "adam"):
        import optim
        params = optim._make(T, optim._shapes("large", False))
        opt = T.optim.SGD(params, lr=1e-3) if name == "sgd" else T.optim.Adam(params, lr=1e-3)
        return opt.step
    raise ValueError(name)


def child(name: str, mode: str) -> dict:
    """Runs in a fresh process: times the workload and prints one JSON line."""
    settings, with_torch, with_ours = MODES[mode]
    from threadpoolctl import threadpool_limits
    threadpool_limits(1)
    fns = {}
    if with_torch:
        import torch
        torch.set_num_threads(1)
        fns["torch"] = make_step(torch, name)
        if settings and not with_ours:
            import minitorch_ref  # noqa: F401  (its import applies the settings; unused here)
    if with_ours:
        import minitorch_ref as mt
        fns["ours"] = make_step(mt, name)
    samples = {k: [] for k in fns}
    for rep in range(REPS[name] + 2):
        for k, fn in fns.items():
            f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            w0, t0 = time.perf_counter(), time.thread_time()
            fn()
            t1, w1 = time.thread_time(), time.perf_counter()
            f1 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            if rep >= 2:
                samples[k].append((t1 - t0, w1 - w0, f1 - f0))
    side = "ours" if with_ours else "torch"
    cpu, wall, faults = zip(*samples[side])
    return dict(workload=name, mode=mode, cpu=statistics.median(cpu),
                wall=statistics.median(wall), faults=statistics.median(faults),
                rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default=",".join(REPS))
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out", default=None, help="append the JSON lines here")
    ap.add_argument("--child", nargs=2, metavar=("WORKLOAD", "MODE"), help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)
    if ns.child:
        print(json.dumps(child(*ns.child)))
        return 0
    rows: dict = {}
    for _ in range(ns.rounds):
        for name in ns.only.split(","):
            for mode in ns.modes.split(","):
                env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
                           MINITORCH_REF_MALLOC="1" if MODES[mode][0] else "0")
                env.pop("MALLOC_MMAP_THRESHOLD_", None)
                env.pop("MALLOC_TRIM_THRESHOLD_", None)
                out = subprocess.run([sys.executable, __file__, "--child", name, mode],
                                     env=env, capture_output=True, text=True)
                if out.returncode:
                    sys.stderr.write(out.stderr)
                    continue
                r = json.loads(out.stdout.strip().splitlines()[-1])
                rows.setdefault((name, mode), []).append(r)
                if ns.out:
                    with open(ns.out, "a") as f:
                        f.write(json.dumps(r) + "\n")
                sys.stderr.write(f"{name:10} {mode:34} cpu {r['cpu']*1e3:8.3f} ms  wall "
                                 f"{r['wall']*1e3:8.3f} ms  faults {r['faults']:7.0f}  "
                                 f"rss {r['rss_mb']:7.1f} MB\n")
    print(format_rows(rows))
    return 0


def _rng(values, scale=1.0, fmt="{:.2f}"):
    lo, hi = min(values) * scale, max(values) * scale
    return fmt.format(lo) if fmt.format(lo) == fmt.format(hi) else \
        f"{fmt.format(lo)}-{fmt.format(hi)}"


def format_rows(rows: dict) -> str:
    """A Markdown table: the range over rounds of each figure."""
    lines = ["| workload | process | thread CPU ms | wall ms | minor faults/step | peak RSS MB |",
             "|---|---|---:|---:|---:|---:|"]
    for (name, mode), rs in rows.items():
        lines.append(f"| {LABELS[name]} | {mode} | {_rng([r['cpu'] for r in rs], 1e3)} | "
                     f"{_rng([r['wall'] for r in rs], 1e3)} | "
                     f"{_rng([r['faults'] for r in rs], fmt='{:.0f}')} | "
                     f"{_rng([r['rss_mb'] for r in rs], fmt='{:.0f}')} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
