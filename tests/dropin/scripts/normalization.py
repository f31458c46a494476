"""BatchNorm and LayerNorm models in train and eval mode: running stats, outputs, training."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(5)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.bn1 = nn.BatchNorm1d(16)
        self.fc2 = nn.Linear(16, 16)
        self.ln = nn.LayerNorm(16)
        self.out = nn.Linear(16, 2)
        self.drop = nn.Dropout(p=0.2)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x)))
        x = self.drop(x)
        x = F.gelu(self.ln(self.fc2(x)))
        return self.out(x)


model = MLP()
print(model)
x = torch.randn(64, 8) * 3 + 1
y = (x[:, 0] + x[:, 1] > 2).long()
opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
for step in range(30):
    model.train()
    perm = torch.randperm(64)
    for i in range(0, 64, 16):
        idx = perm[i:i + 16]
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    if step % 10 == 9:
        model.eval()
        with torch.no_grad():
            acc = (model(x).argmax(-1) == y).float().mean()
        print(f"step {step + 1}: loss {loss.item():.4f} acc {acc:.3f}")

print("running_mean", model.bn1.running_mean[:4])
print("running_var", model.bn1.running_var[:4])
print("num_batches_tracked", model.bn1.num_batches_tracked)
print(model.state_dict().keys())
model.eval()
print(model(x[:3]))
model.train()
torch.manual_seed(0)
print(model(x[:3]))

cnn = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4, momentum=0.2),
                    nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 1))
img = torch.randn(8, 2, 6, 6)
for _ in range(3):
    cnn(img).sum().backward()
bn = cnn[1]
print(bn)
print(bn.running_mean, bn.running_var, bn.num_batches_tracked.item())
print(bn.weight.grad, cnn[0].weight.grad.abs().sum())
cnn.eval()
print(cnn(img[:2]).squeeze())

ln = nn.LayerNorm([3, 4], elementwise_affine=True)
t = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
print(ln(t))
gn = nn.GroupNorm(2, 4)
print(gn(torch.randn(2, 4, 3)).sum(dim=-1))
bn_noaffine = nn.BatchNorm1d(3, affine=False, track_running_stats=False)
print(bn_noaffine(torch.tensor([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])))
