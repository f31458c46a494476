"""Convolution benchmarks: minitorch_ref against torch in one process, same thread count.

* conv layer: Conv2d(16, 32, 3, padding=1) forward + backward on (32, 16, 28, 28)
* transposed conv: ConvTranspose2d(32, 16, 4, stride=2, padding=1) forward + backward on
  (32, 32, 14, 14)
* pooling: MaxPool2d(2) forward + backward on (32, 32, 28, 28)
* small CNN training step: [Conv2d(1, 16, 3, p=1), ReLU, MaxPool2d(2), Conv2d(16, 32, 3, p=1),
  ReLU, MaxPool2d(2), Flatten, Linear(1568, 10)] on a batch of 32 1x28x28 images: zero_grad,
  forward, cross-entropy, backward, SGD update          (goal: <= 1.1x torch's time)
* ResNet-style training step: a ResNet-18-style stack on 32x32 RGB images, batch 16: stem
  Conv2d(3, 32, 3, p=1)+BN+ReLU, BasicBlock(32), BasicBlock(32->64, stride 2, 1x1 conv+BN
  shortcut), BasicBlock(64), global average pool, Linear(64, 10); zero_grad, forward,
  cross-entropy, backward, SGD update                    (goal: <= 1.3x torch's time)

Times are medians over interleaved repetitions (torch, ours, torch, ours, ...). The "floor" of
the conv layer is its three GEMMs in bare NumPy (forward, weight gradient, input gradient), in
the shapes and layout the kernel calls them (see ``_conv_floor``): what the GEMMs alone cost
before the im2col copies and any framework overhead.

    python benchmarks/conv.py [--quick] [--threads N]
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


def _cnn(T):
    nn = T.nn
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 7 * 7, 10))


def _resnet(T):
    """A ResNet-18-style stack of BasicBlocks (3x3 conv, BN, ReLU, 3x3 conv, BN, + shortcut)."""
    nn = T.nn

    class BasicBlock(nn.Module):
        def __init__(self, cin, cout, stride=1):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.short = nn.Sequential()
            if stride != 1 or cin != cout:
                self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                           nn.BatchNorm2d(cout))

        def forward(self, x):
            h = T.relu(self.bn1(self.conv1(x)))
            return T.relu(self.bn2(self.conv2(h)) + self.short(x))

    return nn.Sequential(nn.Conv2d(3, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32),
                         nn.ReLU(), BasicBlock(32, 32), BasicBlock(32, 64, 2), BasicBlock(64, 64),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


def _sgd_step(T, params, lr=0.01):
    """Plain SGD without relying on torch.optim (so the step is the same code in both)."""
    with T.no_grad():
        for p in params:
            p.sub_(p.grad * lr)


def _train_step(T, model, x, y):
    params = list(model.parameters())
    optim = getattr(getattr(T, "optim", None), "SGD", None)
    opt = optim(params, lr=0.01) if optim is not None else None

    def step():
        for p in params:
            p.grad = None
        loss = T.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        if opt is not None:
            opt.step()
        else:
            _sgd_step(T, params)
    return step


def _layer_step(T, layer, x, g):
    params = list(layer.parameters())

    def step():
        x.grad = None
        for p in params:
            p.grad = None
        layer(x).backward(g)
    return step


def _conv_floor(n, c, o, h, rng):
    """The three GEMMs of Conv2d(c, o, 3, padding=1) forward+backward in bare NumPy float32,
    called with the shapes and layout the library's kernel uses (nn/functional/conv.py), on
    columns that are already in place (the im2col copies and the junk-column crop excluded):

    * forward: ``W (O, 9C) @ cols[n] (9C, L)`` for each sample (one batched matmul);
    * weight gradient: ``cols[n] (9C, L) @ g[n]^T (L, O)`` for each sample;
    * input gradient (stride 1, C >= O/2): the correlation ``wf (C, 9O) @ gcols (9O, L')``,
      ``L' = h * (h + 2)`` flat-window positions, per block of samples of about 2 MB of
      columns, each block's columns in one reused buffer (so read from cache, as in the
      kernel). For C < O/2 the kernel takes ``W^T (9C, O) @ g[n] (O, L)`` and col2im instead.
    """
    from minitorch_ref.nn.functional.conv import _BLOCK_BYTES
    k, length, wide = 9 * c, h * h, h * (h + 2)
    cols = rng.standard_normal((n, 1, k, length)).astype(np.float32)
    w = rng.standard_normal((1, o, k)).astype(np.float32)
    g = rng.standard_normal((n, 1, o, length)).astype(np.float32)
    g_t = g.swapaxes(-1, -2)
    correlation = 2 * c >= o
    if correlation:
        block = max(1, _BLOCK_BYTES // (9 * o * wide * 4))
        wf = rng.standard_normal((1, c, 9 * o)).astype(np.float32)
        gcols = rng.standard_normal((block, 1, 9 * o, wide)).astype(np.float32)
        res = np.empty((block, 1, c, wide), np.float32)
    else:
        w_t = w.swapaxes(-1, -2)

    def step():
        _ = np.matmul(w, cols)                       # forward
        _ = np.matmul(cols, g_t)                     # weight gradient (before the sum over n)
        if correlation:                              # input gradient
            for n0 in range(0, n, block):
                nb = min(block, n - n0)
                np.matmul(wf, gcols[:nb], out=res[:nb])
        else:
            _ = np.matmul(w_t, g)
    return step


def run(quick: bool = False) -> list[Result]:
    import torch

    import minitorch_ref as mt
    rng = np.random.default_rng(0)
    results = []
    reps, inner = (3, 2) if quick else (9, 5)
    n = 8 if quick else 32

    layers = [
        ("Conv2d(16, 32, 3, padding=1) fwd+bwd", lambda T: T.nn.Conv2d(16, 32, 3, padding=1),
         (n, 16, 28, 28), True),
        ("ConvTranspose2d(32, 16, 4, stride=2, padding=1) fwd+bwd",
         lambda T: T.nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1), (n, 32, 14, 14), False),
        ("MaxPool2d(2) fwd+bwd", lambda T: T.nn.MaxPool2d(2), (n, 32, 28, 28), False),
    ]
    for label, build, shape, with_floor in layers:
        x = rng.standard_normal(shape).astype(np.float32)
        torch.manual_seed(0)
        tl, ol = build(torch), build(mt)
        ol.load_state_dict(tl.state_dict())
        out_shape = tuple(tl(torch.tensor(x)).shape)
        g = rng.standard_normal(out_shape).astype(np.float32)
        fns = {"torch": _layer_step(torch, tl, torch.tensor(x, requires_grad=True),
                                    torch.tensor(g)),
               "ours": _layer_step(mt, ol, mt.tensor(x, requires_grad=True), mt.tensor(g))}
        if with_floor:
            fns["floor"] = _conv_floor(shape[0], 16, 32, 28, rng)
        t = interleaved(fns, reps=reps, inner=inner)
        results.append(Result("conv", f"{label}, batch {shape[0]}", t["torch"], t["ours"],
                              floor_s=t.get("floor")))

    x = rng.standard_normal((n, 1, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, n)
    torch.manual_seed(0)
    tm = _cnn(torch)
    om = _cnn(mt)
    om.load_state_dict(tm.state_dict())
    fns = {"torch": _train_step(torch, tm, torch.tensor(x), torch.tensor(y)),
           "ours": _train_step(mt, om, mt.tensor(x), mt.tensor(y))}
    t = interleaved(fns, reps=reps, inner=inner)
    results.append(Result("conv", f"small CNN training step (2 conv+pool blocks, Linear), "
                                  f"batch {n} of 1x28x28", t["torch"], t["ours"], goal=1.1))

    nr = 4 if quick else 16
    x = rng.standard_normal((nr, 3, 32, 32)).astype(np.float32)
    y = rng.integers(0, 10, nr)
    torch.manual_seed(0)
    tm = _resnet(torch)
    om = _resnet(mt)
    om.load_state_dict(tm.state_dict())
    fns = {"torch": _train_step(torch, tm, torch.tensor(x), torch.tensor(y)),
           "ours": _train_step(mt, om, mt.tensor(x), mt.tensor(y))}
    t = interleaved(fns, reps=3 if quick else 7, inner=1 if quick else 2)
    results.append(Result("conv", f"ResNet-style training step (stem + 3 BasicBlocks, 32->64 "
                                  f"channels), batch {nr} of 3x32x32", t["torch"], t["ours"],
                          goal=1.3))
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Convolution benchmarks against torch.")
    parser.add_argument("--quick", action="store_true", help="short run, batch 8")
    parser.add_argument("--threads", type=int, default=1)
    ns = parser.parse_args(argv)
    pin_threads(ns.threads)
    print(format_table(run(quick=ns.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
