"""Custom nn.Module subclasses: parameters as attributes, forward, extra_repr, weight sharing."""
import math
import random

import torch


class Polynomial3(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(()))
        self.b = torch.nn.Parameter(torch.randn(()))
        self.c = torch.nn.Parameter(torch.randn(()))
        self.d = torch.nn.Parameter(torch.randn(()))

    def forward(self, x):
        return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

    def string(self):
        return (f'y = {self.a.item():.4f} + {self.b.item():.4f} x + {self.c.item():.4f} x^2 '
                f'+ {self.d.item():.4f} x^3')


class DynamicNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(()))
        self.b = torch.nn.Parameter(torch.randn(()))
        self.c = torch.nn.Parameter(torch.randn(()))
        self.d = torch.nn.Parameter(torch.randn(()))
        self.e = torch.nn.Parameter(torch.randn(()))

    def forward(self, x):
        y = self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
        for exp in range(4, random.randint(4, 6)):
            y = y + self.e * x ** exp
        return y


class TwoLayerNet(torch.nn.Module):
    def __init__(self, d_in, hidden, d_out):
        super().__init__()
        self.linear1 = torch.nn.Linear(d_in, hidden)
        self.linear2 = torch.nn.Linear(hidden, d_out)
        self.register_buffer("scale", torch.tensor(0.5))

    def forward(self, x):
        h_relu = self.linear1(x).clamp(min=0)
        return self.linear2(h_relu) * self.scale

    def extra_repr(self):
        return f"scale={self.scale.item()}"


torch.manual_seed(2)
random.seed(0)
x = torch.linspace(-math.pi, math.pi, 500)
y = torch.sin(x)

model = Polynomial3()
criterion = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
for t in range(400):
    loss = criterion(model(x), y)
    if t % 100 == 99:
        print(t, loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f'Result: {model.string()}')
print(model)
print(sorted(model.state_dict().keys()))

model = DynamicNet()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
for t in range(300):
    loss = criterion(model(x), y)
    if t % 100 == 99:
        print(t, f"{loss.item():.3f}")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

net = TwoLayerNet(10, 20, 3)
print(net)
print(len(list(net.parameters())), [b.item() for b in net.buffers()])
print([name for name, _ in net.named_modules()])
X = torch.randn(32, 10)
Y = torch.randn(32, 3)
opt = torch.optim.Adam(net.parameters(), lr=0.01)
for step in range(50):
    opt.zero_grad()
    loss = torch.nn.functional.mse_loss(net(X), Y)
    loss.backward()
    opt.step()
print("loss", loss.item())
n_params = sum(p.numel() for p in net.parameters() if p.requires_grad)
print("trainable params", n_params)
net.requires_grad_(False)
print(any(p.requires_grad for p in net.parameters()), net.training)
net.eval()
print(net.training, net.linear1.training)
