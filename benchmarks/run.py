"""The benchmark suite: minitorch_ref against torch, side by side, in one process.

    python3 run.py bench            # full run (a few minutes)
    python3 run.py bench --quick    # a short run with smaller sizes (CI runs it)
    python3 run.py bench --peers    # also against the NumPy peers (pip-installs them first)
    python benchmarks/run.py [--quick] [--peers] [--threads N] [--only ops,mlp,...] [--out DIR]

Prints a Markdown table (torch time, ours, ratio, NumPy floor, goal) and writes it with a PNG
bar chart of the ratios to ``--out`` (default ``out/bench``). Each section lives in its own file
with a ``run(quick) -> list[Result]`` function.

Importing minitorch_ref sets glibc's mmap and trim thresholds for the whole process
(``minitorch_ref/_malloc.py``), so torch's side runs under the same allocator settings; the
header line says which. ``benchmarks/standalone.py`` times our steps in processes without torch.
"""
from __future__ import annotations

import argparse
import datetime
import importlib
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import Progress, format_table, pin_threads  # noqa: E402

SECTIONS = ["ops", "mlp", "nn", "conv", "optim", "data", "rng", "losses", "seq", "linalg"]


def machine_line(threads: int) -> str:
    import numpy
    import torch
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    from minitorch_ref import _malloc
    alloc = (f"glibc's mmap/trim thresholds {_malloc.settings['M_MMAP_THRESHOLD'] >> 20}/"
             f"{(_malloc.settings['M_TRIM_THRESHOLD'] or 0) >> 20} MiB for both libraries"
             if _malloc.status == "applied" else f"allocator settings {_malloc.status}")
    return (f"{datetime.date.today().isoformat()}, {cpu}, {os.cpu_count()} cores, "
            f"{threads} thread(s) for both libraries, Python {platform.python_version()}, "
            f"NumPy {numpy.__version__}, torch {torch.__version__}, {alloc}")


def plot(results, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    names = [r.name for r in results]
    ratios = [r.ratio for r in results]
    fig, ax = plt.subplots(figsize=(9, 0.38 * len(results) + 1.5))
    colors = ["tab:green" if (r.goal is None and r.ratio <= 1) or r.met else
              ("tab:red" if r.goal is not None else "tab:orange") for r in results]
    ax.barh(range(len(results)), ratios, color=colors)
    for i, r in enumerate(results):
        if r.goal is not None:
            ax.plot([r.goal, r.goal], [i - 0.4, i + 0.4], color="black", lw=1.5)
        ax.text(r.ratio, i, f" {r.ratio:.2f}x", va="center", fontsize=8)
    ax.axvline(1.0, color="gray", ls="--", lw=1)
    ax.set_yticks(range(len(results)))
    ax.set_yticklabels(names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("minitorch_ref time / torch time (lower is faster; black tick = goal)")
    ax.set_title("minitorch_ref vs torch")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short run, smaller sizes")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--only", default=",".join(SECTIONS))
    parser.add_argument("--out", default=str(HERE.parent / "out" / "bench"))
    parser.add_argument("--peers", action="store_true",
                        help="also run the peers section (MyGrad, HIPS autograd, Chainer), "
                             "installing them into this interpreter's environment first")
    ns = parser.parse_args(argv)
    pin_threads(ns.threads)
    sections = [s for s in ns.only.split(",") if s and s != "peers"]
    peer_notes, peer_table = [], ""
    if ns.peers:
        import peers
        peer_notes = [f"{k}: {v}" for k, v in peers.install_peers().items() if v]
    results = []
    bar = Progress(len(sections), "benchmarks")
    for name in sections:
        module = importlib.import_module(name)
        results.extend(module.run(quick=ns.quick))
        bar.step(name)
    if ns.peers:
        peer_table = peers.format_peers(peers.run(quick=ns.quick))
    bar.close()
    table = format_table(results) if results else ""
    header = f"Measured {machine_line(ns.threads)}{' (--quick)' if ns.quick else ''}."
    if peer_table:
        table += "\n\nAgainst the NumPy peers:\n\n" + peer_table
        table += "".join(f"\n\n{note}" for note in peer_notes)
    print(header)
    print(table)
    out = Path(ns.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.md").write_text(header + "\n\n" + table + "\n")
    if results:
        plot(results, out / "bench.png")
    print(f"\nwrote {out / 'bench.md'}{' and ' + str(out / 'bench.png') if results else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
