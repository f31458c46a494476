"""Data loading, augmentation and checkpoints in torch and minitorch_ref, one process, same
thread count.

* DataLoader: one epoch over a TensorDataset (features float32, int64 labels), batch 64,
  shuffled and in order; and one epoch over a list of dict samples (NumPy arrays and ints),
  which exercises default_collate sample by sample.
* Augmentation: a RandomResizedCrop + flip + ColorJitter pipeline on one 3x64x64 image
  (only when torchvision is installed: it is not a dependency of the benchmarks).
* Checkpoints: save + load of a ~8 MB state_dict (torch's file format, in memory).

    python benchmarks/data.py [--quick] [--threads N]
    python benchmarks/run.py --only data
"""
from __future__ import annotations

import argparse
import io
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from common import Result, format_table, interleaved, pin_threads  # noqa: E402


def _epoch(loader) -> int:
    n = 0
    for _ in loader:
        n += 1
    return n


def _loader_cases(quick: bool) -> list[Result]:
    import torch
    import torch.utils.data as tud

    import minitorch_ref as mt
    import minitorch_ref.utils.data as mud
    n = 4_000 if quick else 20_000
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, 32)).astype(np.float32)
    y = rng.integers(0, 10, n)
    results = []
    for shuffle in (True, False):
        loaders = {T: D.DataLoader(D.TensorDataset(T.tensor(x), T.tensor(y)), batch_size=64,
                                   shuffle=shuffle)
                   for T, D in ((torch, tud), (mt, mud))}
        reps, inner = (3, 1) if quick else (7, 2)
        t = interleaved({"torch": lambda: _epoch(loaders[torch]),
                         "ours": lambda: _epoch(loaders[mt])}, reps, inner, warmup=1)
        results.append(Result("data", f"DataLoader epoch: TensorDataset {n}x32, batch 64"
                                      f"{', shuffle' if shuffle else ''}",
                              t["torch"], t["ours"]))
    m = 1_000 if quick else 5_000
    samples = [{"image": rng.random((3, 8, 8)).astype(np.float32), "label": int(i % 10)}
               for i in range(m)]
    loaders = {T: D.DataLoader(samples, batch_size=64, shuffle=True)
               for T, D in ((torch, tud), (mt, mud))}
    reps, inner = (3, 1) if quick else (5, 1)
    t = interleaved({"torch": lambda: _epoch(loaders[torch]),
                     "ours": lambda: _epoch(loaders[mt])}, reps, inner, warmup=1)
    results.append(Result("data", f"DataLoader epoch: {m} dict samples (NumPy), batch 64, "
                                  "default_collate", t["torch"], t["ours"]))
    return results


def _augmentation_case(quick: bool) -> Result | None:
    """Only with torchvision installed (it is not a dependency): there is nothing to compare
    against otherwise."""
    try:
        import torch
        from torchvision.transforms import v2 as tv2
    except ImportError:
        return None
    import minitorch_ref as mt
    from minitorch_ref.transforms import v2 as ours_v2
    img = np.random.default_rng(1).random((3, 64, 64)).astype(np.float32)

    def pipeline(v2):
        return v2.Compose([v2.RandomResizedCrop(48), v2.RandomHorizontalFlip(),
                           v2.ColorJitter(0.2, 0.2, 0.2)])
    fns = {"torch": lambda p=pipeline(tv2), x=torch.tensor(img): p(x),
           "ours": lambda p=pipeline(ours_v2), x=mt.tensor(img): p(x)}
    reps, inner = (3, 20) if quick else (7, 100)
    t = interleaved(fns, reps, inner)
    return Result("data", "augmentation: RandomResizedCrop(48) + flip + ColorJitter, 3x64x64",
                  t["torch"], t["ours"])


def _checkpoint_case(quick: bool) -> Result:
    import torch

    import minitorch_ref as mt
    rng = np.random.default_rng(2)
    size = 256 if quick else 1024
    arrays = {f"layer{i}.weight": rng.standard_normal((size, size // 4)).astype(np.float32)
              for i in range(8)}
    arrays.update({f"layer{i}.bias": rng.standard_normal(size).astype(np.float32)
                   for i in range(8)})
    state = {T: {k: T.tensor(v) for k, v in arrays.items()} for T in (torch, mt)}

    def round_trip(T):
        buf = io.BytesIO()
        T.save(state[T], buf)
        buf.seek(0)
        return T.load(buf, weights_only=True)
    reps, inner = (3, 2) if quick else (7, 5)
    t = interleaved({"torch": lambda: round_trip(torch), "ours": lambda: round_trip(mt)},
                    reps, inner)
    mb = sum(a.nbytes for a in arrays.values()) / 2 ** 20
    return Result("data", f"checkpoint: save + load of a {mb:.1f} MB state_dict (BytesIO)",
                  t["torch"], t["ours"])


def run(quick: bool = False) -> list[Result]:
    results = _loader_cases(quick)
    augmentation = _augmentation_case(quick)
    if augmentation is not None:
        results.append(augmentation)
    results.append(_checkpoint_case(quick))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short run, smaller sizes")
    parser.add_argument("--threads", type=int, default=1)
    ns = parser.parse_args(argv)
    pin_threads(ns.threads)
    print(format_table(run(ns.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
