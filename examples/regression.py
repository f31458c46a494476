"""Linear regression with nn.Linear, MSELoss and SGD with momentum: a plain torch script.

Run it with torch, or with minitorch_ref standing in for torch:
    python examples/regression.py
    python -m minitorch_ref.swap examples/regression.py
    python -m minitorch_ref.swap --compare examples/regression.py
"""
import torch
from torch import nn

torch.manual_seed(0)
true_w = torch.tensor([[2.0, -3.0, 0.5]])
x = torch.randn(256, 3)
y = x @ true_w.T + 0.7 + 0.1 * torch.randn(256, 1)

model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = nn.MSELoss()

for epoch in range(60):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch:3d}  loss {loss.item():.6f}")

print("weight", model.weight.data)
print("bias", model.bias.data)
