"""Shared by every benchmark: thread pinning, interleaved timing, results, a progress bar.

Both libraries run in one process on the same thread count. Repetitions alternate between them
(torch, ours, torch, ours, ...) so that a change in machine load hits both alike; each side's
time is the median over repetitions of the mean over ``inner`` calls. Time is the calling
thread's CPU time (``time.thread_time``), not the wall clock: with BLAS and torch pinned to one
thread all the work runs on this thread, and time spent waiting for a busy machine's cores does
not count.
"""
from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Callable


def pin_threads(n: int) -> None:
    """Same BLAS/OpenMP thread count for NumPy (threadpoolctl) and torch."""
    import torch
    from threadpoolctl import threadpool_limits
    threadpool_limits(n)
    torch.set_num_threads(n)


@dataclass
class Result:
    section: str
    name: str
    torch_s: float
    ours_s: float
    floor_s: float | None = None   # the same math in bare NumPy (GEMMs only), where meaningful
    goal: float | None = None      # the ratio ours/torch we aim for
    floor_goal: float | None = None  # the ratio ours/floor we aim for
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.ours_s / self.torch_s

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.ratio <= self.goal


def _mean_time(fn: Callable, inner: int) -> float:
    t0 = time.thread_time()
    for _ in range(inner):
        fn()
    return (time.thread_time() - t0) / inner


def interleaved(fns: dict[str, Callable], reps: int, inner: int, warmup: int = 2) -> dict:
    """Median seconds per call of each function, repetitions interleaved across them."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    samples: dict[str, list] = {k: [] for k in fns}
    for _ in range(reps):
        for k, fn in fns.items():
            samples[k].append(_mean_time(fn, inner))
    return {k: statistics.median(v) for k, v in samples.items()}


class Progress:
    """A one-line progress bar on stderr (no dependency)."""

    def __init__(self, total: int, label: str = "") -> None:
        self.total, self.done, self.label = max(total, 1), 0, label
        self.t0 = time.perf_counter()
        self._draw()

    def step(self, what: str = "") -> None:
        self.done += 1
        self._draw(what)

    def _draw(self, what: str = "") -> None:
        width = 30
        filled = int(width * self.done / self.total)
        elapsed = time.perf_counter() - self.t0
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                         f"{self.done}/{self.total} {elapsed:5.1f}s {what[:40]:<40}")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()


def format_table(results: list[Result]) -> str:
    """A Markdown table: the README pastes it as is."""
    lines = ["| section | benchmark | torch | minitorch_ref | ratio | NumPy floor | goal |",
             "|---|---|---:|---:|---:|---:|---|"]
    for r in results:
        floor = (f"{r.floor_s * 1e3:.3f} ms = {r.floor_s / r.torch_s:.2f}x torch "
                 f"(ours {r.ours_s / r.floor_s:.2f}x it)" if r.floor_s else "")
        goal = "" if r.goal is None else f"<= {r.goal:g}x {'met' if r.met else 'NOT met'}"
        if r.floor_goal is not None and r.floor_s:
            ok = r.ours_s / r.floor_s <= r.floor_goal
            goal += f"; floor <= {r.floor_goal:g}x {'met' if ok else 'NOT met'}"
        lines.append(f"| {r.section} | {r.name} | {_fmt(r.torch_s)} | {_fmt(r.ours_s)} | "
                     f"{r.ratio:.2f}x | {floor} | {goal} |")
    return "\n".join(lines)


def _fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    return f"{seconds * 1e3:.3f} ms"
