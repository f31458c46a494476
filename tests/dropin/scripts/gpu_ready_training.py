"""A training script written on a GPU machine and run on a CPU one: the device chosen by
torch.cuda.is_available(), cuDNN/TF32 switches, mixed precision guarded by enabled=use_cuda
(autocast + GradScaler), DataParallel when several GPUs exist, torch.compile, pin_memory and
non_blocking copies, torch.cuda seeding/synchronize/memory calls guarded or harmless, and a
checkpoint saved from the compiled model's original module."""
import io
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)


seed_everything(0)
use_cuda = torch.cuda.is_available()
device = torch.device("cuda" if use_cuda else "cpu")
print("device:", device, "| cuda:", use_cuda, "| gpus:", torch.cuda.device_count())
torch.backends.cudnn.benchmark = True
torch.backends.cudnn.deterministic = False
torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cudnn.allow_tf32 = True
if torch.backends.mps.is_available():
    device = torch.device("mps")
if hasattr(torch, "set_float32_matmul_precision"):
    torch.set_float32_matmul_precision("high")
major, minor = (int(v) for v in torch.__version__.split(".")[:2])
print("torch 2.x API:", (major, minor) >= (2, 0))

amp_dtype = torch.bfloat16 if use_cuda and torch.cuda.is_bf16_supported() else torch.float16
print("amp dtype if enabled:", amp_dtype, "| enabled:", use_cuda)


class Net(nn.Module):
    def __init__(self, n_in=10, n_hidden=32, n_out=3):
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.bn = nn.BatchNorm1d(n_hidden)
        self.drop = nn.Dropout(0.1)
        self.fc2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.bn(self.fc1(x)))))


x = torch.randn(256, 10)
w_true = torch.randn(10, 3)
y = (x @ w_true + 0.1 * torch.randn(256, 3)).argmax(1)
train = TensorDataset(x[:192], y[:192])
test = TensorDataset(x[192:], y[192:])
loader = DataLoader(train, batch_size=32, shuffle=True, pin_memory=use_cuda,
                    num_workers=0, drop_last=True)
test_loader = DataLoader(test, batch_size=64, pin_memory=use_cuda)

model = Net().to(device)
if torch.cuda.device_count() > 1:
    print("using", torch.cuda.device_count(), "GPUs")
model = nn.DataParallel(model) if use_cuda else model
# the 'eager' backend traces the model with TorchDynamo without generating C++ (Inductor's
# first compile takes tens of seconds on a CPU)
compiled = torch.compile(model, backend="eager") if hasattr(torch, "compile") else model
print(compiled)

optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True,
                            weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=5 * 6)
scaler = torch.amp.GradScaler("cuda", enabled=use_cuda)
print("scaler enabled:", scaler.is_enabled(), "scale:", scaler.get_scale())

for epoch in range(5):
    compiled.train()
    running = 0.0
    for xb, yb in loader:
        xb = xb.to(device, non_blocking=True)
        yb = yb.to(device, non_blocking=True)
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type=device.type, dtype=amp_dtype, enabled=use_cuda):
            loss = F.cross_entropy(compiled(xb), yb)
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        scaler.step(optimizer)
        scaler.update()
        scheduler.step()
        running += loss.item()
    if use_cuda:
        torch.cuda.synchronize()
    compiled.eval()
    correct = 0
    with torch.inference_mode():
        for xb, yb in test_loader:
            xb, yb = xb.to(device), yb.to(device)
            with torch.autocast(device_type=device.type, enabled=use_cuda):
                correct += (compiled(xb).argmax(1) == yb).sum().item()
    print(f"epoch {epoch} loss {running / len(loader):.4f} norm {norm.item():.4f} "
          f"acc {correct / len(test):.3f} lr {scheduler.get_last_lr()[0]:.5f}")

print("max memory (MiB):", torch.cuda.max_memory_allocated() / 2 ** 20)
torch.cuda.empty_cache()

raw = compiled._orig_mod if hasattr(compiled, "_orig_mod") else compiled
raw = raw.module if isinstance(raw, nn.DataParallel) else raw
print(sorted(compiled.state_dict())[:2])
buf = io.BytesIO()
torch.save({"model": raw.state_dict(), "optimizer": optimizer.state_dict(),
            "scaler": scaler.state_dict(), "epoch": 5}, buf)
buf.seek(0)
ckpt = torch.load(buf, map_location=device, weights_only=True)
fresh = Net()
fresh.load_state_dict(ckpt["model"])
fresh.eval()
print(ckpt["epoch"], ckpt["scaler"], torch.allclose(fresh(x[:4]), raw(x[:4])))
print(fresh(x[:2]))
