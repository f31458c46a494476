"""Gradient clipping by norm and by value, with the returned norms printed."""
import torch
import torch.nn as nn

torch.manual_seed(3)
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                      nn.Linear(32, 1))
x = torch.randn(128, 10)
y = (x ** 2).sum(dim=1, keepdim=True)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
for step in range(15):
    opt.zero_grad()
    loss = nn.MSELoss()(model(x), y)
    loss.backward()
    total_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    clipped = torch.norm(torch.stack([p.grad.norm(2) for p in model.parameters()]), 2)
    opt.step()
    print(f"step {step:2d} loss {loss.item():10.4f} grad norm {total_norm:.4f} "
          f"after clip {clipped.item():.4f}")

opt.zero_grad()
nn.MSELoss()(model(x), y).backward()
torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
print(max(p.grad.abs().max().item() for p in model.parameters()))
n = nn.utils.clip_grad_norm_(model.parameters(), 2.0, norm_type='inf')
print(type(n).__name__, n)
n = nn.utils.clip_grad_norm_([p for p in model.parameters()], 0.5, norm_type=1.0)
print(n.item(), sum(p.grad.abs().sum() for p in model.parameters()).item())
vec = nn.utils.parameters_to_vector(model.parameters())
print(vec.shape, vec.norm().item())
