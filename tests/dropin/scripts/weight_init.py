"""Weight initialisation with nn.init and model.apply(init_fn)."""
import math

import torch
import torch.nn as nn


def init_weights(m):
    if isinstance(m, nn.Linear):
        torch.nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)


def init_conv(m):
    if type(m) == nn.Conv2d:
        nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.constant_(m.weight, 1)
        nn.init.constant_(m.bias, 0)
    elif isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, 0, 0.01)
        nn.init.zeros_(m.bias)


def stats(name, t):
    print(f"{name:12s} shape={tuple(t.shape)} mean={t.mean().item():+.6f} "
          f"std={t.std().item():.6f} min={t.min().item():+.6f} max={t.max().item():+.6f}")


torch.manual_seed(0)
net = nn.Sequential(nn.Linear(20, 50), nn.Tanh(), nn.Linear(50, 10))
net.apply(init_weights)
for name, p in net.named_parameters():
    stats(name, p.data)

cnn = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                    nn.Flatten(), nn.Linear(8 * 6 * 6, 5))
cnn.apply(init_conv)
for name, p in cnn.named_parameters():
    stats(name, p.detach())

w = torch.empty(64, 32)
for fn in [nn.init.xavier_normal_, nn.init.kaiming_uniform_, nn.init.orthogonal_,
           nn.init.trunc_normal_, nn.init.uniform_, nn.init.ones_, nn.init.eye_]:
    fn(w)
    stats(fn.__name__, w)
nn.init.kaiming_uniform_(w, a=math.sqrt(5))
stats("kaiming a=5", w)
nn.init.normal_(w, mean=0.0, std=0.02)
stats("normal .02", w)
nn.init.trunc_normal_(w, std=0.02, a=-0.04, b=0.04)
stats("trunc", w)
nn.init.sparse_(w, sparsity=0.5) if hasattr(nn.init, "sparse_") else None
print("gain relu", nn.init.calculate_gain('relu'), "tanh", nn.init.calculate_gain('tanh'),
      "leaky", nn.init.calculate_gain('leaky_relu', 0.2))

lin = nn.Linear(3, 2)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
    lin.bias.zero_()
print(lin.weight, lin.bias)
print(lin(torch.ones(1, 3)))
emb = nn.Embedding(10, 4)
nn.init.uniform_(emb.weight, -0.1, 0.1)
stats("emb", emb.weight.data)
