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
the conv layer is its GEMMs in bare NumPy (forward, weight gradient, input gradient), in the
shapes and layout the kernel calls them (see ``_conv_floor``): what the GEMMs alone cost
before the column copies, crops and any framework overhead.

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
    """The GEMMs of Conv2d(c, o, 3, padding=1) forward+backward in bare NumPy float32, called
    with the shapes and layout the library's flat-window kernel uses (nn/functional/conv_flat.py),
    on buffers that are already in place (the padding, column copies, accumulations and crops
    excluded). ``P = h + 1`` is the padded row (rows share their padding: ``flat_box``),
    ``Lw = h * P`` the window positions per plane:

    * forward: ``W (O, 9C) @ cols[n] (9C, Lw)`` per block of samples whose columns fit
      ``_BLOCK_BYTES``;
    * weight gradient: for each of the 9 offsets ``g_wide[n] (O, Lw) @ X_j[n]^T (Lw, C)`` for
      every sample (views of the padded buffers, one batched matmul per offset);
    * input gradient (``O >= 2C``): for each block of samples and offset ``wf_j (C, O) @
      g_j[n] (O, Lw)`` (views of the padded output gradient).

    The kernel takes the per-offset forms for this layer's shapes; see ``weight_grad_flat``
    and ``input_grad_flat`` for when it copies columns instead.
    """
    from minitorch_ref.nn.functional.conv_flat import _DX_BLOCK_BYTES, block_samples
    from minitorch_ref.nn.functional.conv_windows import tap_rows
    p = h + 1
    wide, plane, reach = h * p, (h + 2) * p, 2 * p + 2
    f32 = np.float32
    block = block_samples(9 * c * wide * 4, n)
    cols = rng.standard_normal((block, 1, 9 * c, wide)).astype(f32)
    w = rng.standard_normal((1, o, 9 * c)).astype(f32)
    res = np.empty((block, 1, o, wide), f32)
    xflat = rng.standard_normal(n * c * plane + reach).astype(f32)
    gflat = rng.standard_normal(n * o * (wide + reach) + reach).astype(f32)
    offsets = [a * p + b for a in range(3) for b in range(3)]
    g_wide = tap_rows(gflat, reach, (n, 1, o), wide + reach, wide)
    x_taps = [tap_rows(xflat, off, (n, 1, c), plane, wide) for off in offsets]
    g_taps = [tap_rows(gflat, p + off, (n, 1, o), wide + reach, wide) for off in offsets]
    wf = rng.standard_normal((9, 1, c, o)).astype(f32)
    dx_block = max(1, min(n, _DX_BLOCK_BYTES // (c * wide * 4)))
    tmp = np.empty((dx_block, 1, c, wide), f32)

    def step():
        for n0 in range(0, n, block):                # forward
            nb = min(block, n - n0)
            np.matmul(w, cols[:nb], out=res[:nb])
        for x_j in x_taps:                           # weight gradient (before the sum over n)
            _ = np.matmul(g_wide, x_j.swapaxes(-1, -2))
        for n0 in range(0, n, dx_block):             # input gradient
            nb = min(dx_block, n - n0)
            for wf_j, g_j in zip(wf, g_taps):
                np.matmul(wf_j, g_j[n0:n0 + nb], out=tmp[:nb])
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
