"""A small MLP classifier on two interleaved spirals: DataLoader with shuffling, dropout,
CrossEntropyLoss, Adam, ReduceLROnPlateau. A plain torch script.

    python -m minitorch_ref.swap --compare examples/classification.py
"""
import math

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(1)
n = 200
t = torch.linspace(0.0, 3 * math.pi, n)
spiral = torch.stack([t * torch.cos(t), t * torch.sin(t)], dim=1) / 10
x = torch.cat([spiral, -spiral]) + 0.05 * torch.randn(2 * n, 2)
y = torch.cat([torch.zeros(n, dtype=torch.long), torch.ones(n, dtype=torch.long)])

model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 32),
                      nn.Tanh(), nn.Linear(32, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=2)
loss_fn = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)

for epoch in range(15):
    model.train()
    total = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        accuracy = (model(x).argmax(dim=1) == y).float().mean().item()
    scheduler.step(total / len(x))
    print(f"epoch {epoch:2d}  loss {total / len(x):.5f}  accuracy {accuracy:.4f}  "
          f"lr {optimizer.param_groups[0]['lr']:.5f}")
