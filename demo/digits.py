"""The lecture's full training recipe on real data, in torch and in minitorch_ref side by side.

Data: scikit-learn's 8x8 handwritten digits (1,797 images, shipped inside the package).
Recipe (lecture sections 3.1-3.4):
  * an MLP 64-128-64-10 with ReLU and dropout (3.4.2),
  * SGD with momentum (3.3) and L2 weight decay (3.4.1; ``--l1 GAMMA`` adds the L1 penalty of
    eq. 14-15 to the loss instead),
  * ReduceLROnPlateau on the validation loss (3.2),
  * data augmentation: small random rotations, stretching, shifts and Gaussian noise (3.4.4),
    drawn from each library's own random stream and applied with affine_grid + grid_sample,
  * early stopping on the validation loss, restoring the best weights (3.4.3).

The same function trains both libraries from the same seed, epoch by epoch. The table shows both
losses and accuracies and the largest difference between the two libraries' weights; the figure
overlays the loss curves and shows the learning-rate schedule and accuracy.

    python3 run.py demo                 # from a fresh clone: installs, then runs this file
    python demo/digits.py [--epochs N] [--seed S] [--l1 GAMMA] [--out DIR]
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import minitorch_ref  # noqa: E402
from minitorch_ref.utils.early_stopping import EarlyStopping  # noqa: E402


def pin_threads(n: int) -> None:
    """The same thread count for NumPy's BLAS and torch: a fair comparison, and on a busy
    machine a multi-threaded BLAS spends longer handing tiny matrices between threads than
    multiplying them."""
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(n)
    except ImportError:
        pass
    try:
        import torch
        torch.set_num_threads(n)
    except ImportError:
        pass


def load_digits(seed: int):
    try:
        from sklearn.datasets import load_digits as sk_digits
    except ImportError:
        sys.exit("The demo needs scikit-learn's digits data set: pip install scikit-learn "
                 "(python3 run.py demo installs it for you).")
    data = sk_digits()
    x = (data.images / 16.0).astype(np.float32)[:, None]          # (1797, 1, 8, 8) in [0, 1]
    y = data.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    n_val = n_test = len(x) * 15 // 100
    test, val, train = np.split(order, [n_test, n_test + n_val])
    return {"train": (x[train], y[train]), "val": (x[val], y[val]), "test": (x[test], y[test])}


def augment(T, x, max_degrees=12.0, max_stretch=0.1, max_shift_px=1.0, noise=0.05):
    """Random rotation, per-axis stretch and shift of each image, then Gaussian noise.

    theta maps output to input coordinates in [-1, 1]^2 (one pixel of 8 is 0.25 there)."""
    b = x.shape[0]
    angle = (T.rand(b) * 2 - 1) * (max_degrees * math.pi / 180)
    sx = 1 + (T.rand(b) * 2 - 1) * max_stretch
    sy = 1 + (T.rand(b) * 2 - 1) * max_stretch
    shift = (T.rand(b, 2) * 2 - 1) * (max_shift_px * 2 / x.shape[-1])
    cos, sin = T.cos(angle), T.sin(angle)
    theta = T.stack([T.stack([sx * cos, -sx * sin, shift[:, 0]], dim=1),
                     T.stack([sy * sin, sy * cos, shift[:, 1]], dim=1)], dim=1)
    grid = T.nn.functional.affine_grid(theta, list(x.shape), align_corners=False)
    x = T.nn.functional.grid_sample(x, grid, mode="bilinear", padding_mode="zeros",
                                    align_corners=False)
    return x + noise * T.randn_like(x)


class Run:
    """One library's model, optimizer, scheduler, stopper and history."""

    def __init__(self, T, data, args) -> None:
        self.T, self.args = T, args
        # float64 shrinks the rounding differences between the two libraries' BLAS calls
        T.set_default_dtype(T.float64 if args.double else T.float32)
        T.manual_seed(args.seed)
        nn = T.nn
        self.model = nn.Sequential(
            nn.Flatten(), nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.2),
            nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 10))
        self.optimizer = T.optim.SGD(self.model.parameters(), lr=args.lr, momentum=0.9,
                                     weight_decay=0.0 if args.l1 else args.weight_decay)
        self.scheduler = T.optim.lr_scheduler.ReduceLROnPlateau(
            self.optimizer, mode="min", factor=0.5, patience=4)
        self.stopper = EarlyStopping(mode="min", patience=args.patience, min_delta=1e-4,
                                     restore_best_weights=True, model=self.model)
        tensors = {k: (T.tensor(x, dtype=T.get_default_dtype()), T.tensor(y))
                   for k, (x, y) in data.items()}
        self.loader = T.utils.data.DataLoader(T.utils.data.TensorDataset(*tensors["train"]),
                                              batch_size=64, shuffle=True)
        self.tensors = tensors
        self.history = {k: [] for k in ("train_loss", "val_loss", "val_acc", "lr")}
        self.stopped = False
        self.seconds = 0.0

    def weights(self) -> list[np.ndarray]:
        return [np.asarray(p.detach().numpy()) for p in self.model.parameters()]

    def l1_penalty(self):
        """Eq. 14: L1 = sum_i sum_j |W_ij| over the weight matrices."""
        return sum(p.abs().sum() for name, p in self.model.named_parameters()
                   if name.endswith("weight"))

    def epoch(self) -> None:
        T, F = self.T, self.T.nn.functional
        t0 = time.perf_counter()
        self.model.train()
        total, count = 0.0, 0
        for xb, yb in self.loader:
            xb = augment(T, xb)
            loss = F.cross_entropy(self.model(xb), yb)
            if self.args.l1:
                loss = loss + self.args.l1 * self.l1_penalty()      # eq. 15
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            total += loss.item() * len(yb)
            count += len(yb)
        val_loss, val_acc = self.evaluate("val")
        self.scheduler.step(val_loss)
        self.history["train_loss"].append(total / count)
        self.history["val_loss"].append(val_loss)
        self.history["val_acc"].append(val_acc)
        self.history["lr"].append(self.optimizer.param_groups[0]["lr"])
        self.stopped = self.stopper.step(val_loss)
        self.seconds += time.perf_counter() - t0

    def evaluate(self, split: str) -> tuple[float, float]:
        T = self.T
        x, y = self.tensors[split]
        self.model.eval()
        with T.no_grad():
            logits = self.model(x)
            loss = T.nn.functional.cross_entropy(logits, y).item()
            acc = (logits.argmax(dim=1) == y).float().mean().item()
        return loss, acc


def progress(epoch: int, total: int, width: int = 24) -> str:
    filled = width * epoch // total
    return f"[{'#' * filled}{'.' * (width - filled)}] {epoch}/{total}"


def plot(runs: dict, path: Path) -> bool:
    """Write the figure; False (and a message) when matplotlib is not installed."""
    try:
        import matplotlib
    except ImportError:
        print("matplotlib is not installed: no figure (pip install matplotlib; "
              "python3 run.py demo installs it for you).")
        return False
    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 3, figsize=(14, 4))
    styles = {"torch": dict(color="tab:blue", lw=2.5, alpha=0.5),
              "minitorch_ref": dict(color="tab:red", lw=1.2, ls="--")}
    for name, run in runs.items():
        h = run.history
        ep = range(1, len(h["train_loss"]) + 1)
        axes[0].plot(ep, h["train_loss"], label=f"{name} train", **styles[name])
        axes[0].plot(ep, h["val_loss"], label=f"{name} validation", marker=".",
                     **styles[name])
        axes[1].plot(ep, h["lr"], label=name, **styles[name])
        axes[2].plot(ep, [100 * a for a in h["val_acc"]], label=name, **styles[name])
    axes[0].set(title="loss (the two libraries overlaid)", xlabel="epoch", yscale="log")
    axes[1].set(title="learning rate (ReduceLROnPlateau)", xlabel="epoch", yscale="log")
    axes[2].set(title="validation accuracy (%)", xlabel="epoch")
    for ax in axes:
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.suptitle("8x8 digits: MLP + dropout, SGD momentum + weight decay, augmentation, "
                 "ReduceLROnPlateau, early stopping")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Train on 8x8 digits in torch and minitorch_ref")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--weight-decay", type=float, default=5e-4)
    parser.add_argument("--l1", type=float, default=0.0, help="L1 penalty gamma (eq. 15)")
    parser.add_argument("--patience", type=int, default=10)
    parser.add_argument("--out", default=str(ROOT / "out" / "demo"))
    parser.add_argument("--no-torch", action="store_true", help="run minitorch_ref alone")
    parser.add_argument("--double", action="store_true", help="train in float64")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS threads for both libraries (small matrices run fastest on 1)")
    args = parser.parse_args(argv)
    pin_threads(args.threads)

    libs = {}
    if not args.no_torch:
        try:
            import torch
            libs["torch"] = torch
        except ImportError:
            print("torch is not installed: running minitorch_ref alone "
                  "(python3 run.py demo installs torch to compare).")
    libs["minitorch_ref"] = minitorch_ref
    both = len(libs) == 2
    diff = 0.0
    data = load_digits(args.seed)
    print(f"8x8 digits: {len(data['train'][0])} train, {len(data['val'][0])} validation, "
          f"{len(data['test'][0])} test images; seed {args.seed}")
    runs = {name: Run(T, data, args) for name, T in libs.items()}
    if both:
        start = [np.abs(a - b).max() for a, b in zip(runs["torch"].weights(),
                                                     runs["minitorch_ref"].weights())]
        print(f"initial weights from manual_seed({args.seed}): largest difference "
              f"{max(start):.1e}")

    cols = ("epoch", "loss torch", "loss ours", "val acc torch", "val acc ours", "lr torch", "lr ours",
            "max |w_torch - w_ours|") if both else ("epoch", "loss", "val loss", "val acc", "lr")
    print("  ".join(f"{c:>12s}" for c in cols))
    for epoch in range(1, args.epochs + 1):
        active = [run for run in runs.values() if not run.stopped]
        for run in active:
            run.epoch()

        def cell(run, key):
            # a run that stopped early shows "stopped" from the next epoch on
            if run not in active:
                return f"{'stopped':>12s}"
            return format(run.history[key][-1], "12.2%" if key == "val_acc" else "12.5f")

        if both:
            t, o = runs["torch"], runs["minitorch_ref"]
            diff = max(np.abs(a - b).max() for a, b in zip(t.weights(), o.weights()))
            row = (f"{epoch:12d}", cell(t, "train_loss"), cell(o, "train_loss"),
                   cell(t, "val_acc"), cell(o, "val_acc"), cell(t, "lr"), cell(o, "lr"),
                   f"{diff:12.2e}")
        else:
            o = runs["minitorch_ref"]
            row = (f"{epoch:12d}", *(cell(o, k) for k in ("train_loss", "val_loss", "val_acc", "lr")))
        print("  ".join(row), f"  {progress(epoch, args.epochs)}", flush=True)
        for name, run in runs.items():
            if run in active and run.stopped and not all(r.stopped for r in runs.values()):
                print(f"{name}: early stopping after epoch {epoch} (best epoch "
                      f"{run.stopper.best_epoch + 1}, best weights restored)")
        if all(run.stopped for run in runs.values()):
            print(f"early stopping: no validation improvement for {args.patience} epochs; "
                  f"best epoch {o.stopper.best_epoch + 1}, best weights restored")
            break

    print()
    if both and diff > 1e-4 and not args.double:
        print("The weights agree to float32 rounding (~1e-7) until a pre-activation lands within "
              "that rounding of a ReLU's kink;\nfrom then on the trajectories part and SGD "
              "amplifies the difference. With --double they agree to ~1e-15 throughout.\n")
    for name, run in runs.items():
        loss, acc = run.evaluate("test")
        print(f"{name:>14s}: test accuracy {100 * acc:.2f}%, test loss {loss:.4f}, "
              f"{len(run.history['train_loss'])} epochs in {run.seconds:.1f} s")
    path = Path(args.out) / "digits.png"
    if plot(runs, path):
        print(f"figure: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
