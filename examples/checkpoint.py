"""Save a model + optimizer + scheduler checkpoint mid-training, load it into fresh objects and
check that the resumed run follows the uninterrupted one exactly. A plain torch script.

    python -m minitorch_ref.swap --compare examples/checkpoint.py
"""
import os
import tempfile

import torch
from torch import nn


def build():
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.01)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)
    return model, optimizer, scheduler


def train(model, optimizer, scheduler, x, y, steps):
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        scheduler.step()
    return loss.item()


torch.manual_seed(3)
x, y = torch.randn(64, 4), torch.randn(64, 1)

model, optimizer, scheduler = build()
train(model, optimizer, scheduler, x, y, 10)
path = os.path.join(tempfile.mkdtemp(), "ckpt.pt")
torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict()}, path)
uninterrupted = train(model, optimizer, scheduler, x, y, 10)

model2, optimizer2, scheduler2 = build()
ckpt = torch.load(path, weights_only=True)
model2.load_state_dict(ckpt["model"])
optimizer2.load_state_dict(ckpt["optimizer"])
scheduler2.load_state_dict(ckpt["scheduler"])
resumed = train(model2, optimizer2, scheduler2, x, y, 10)

print(f"uninterrupted loss {uninterrupted:.8f}")
print(f"resumed loss       {resumed:.8f}")
print("identical:", uninterrupted == resumed)
print("lr after resume:", scheduler2.get_last_lr())
