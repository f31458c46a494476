"""Fit y = sin(x) with a third-order polynomial: plain tensors, autograd, manual updates."""
import math

import torch

dtype = torch.float
device = torch.device("cpu")

torch.manual_seed(0)
x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

a = torch.randn((), device=device, dtype=dtype, requires_grad=True)
b = torch.randn((), device=device, dtype=dtype, requires_grad=True)
c = torch.randn((), device=device, dtype=dtype, requires_grad=True)
d = torch.randn((), device=device, dtype=dtype, requires_grad=True)
print("initial", a, b, c, d)

learning_rate = 1e-6
for t in range(300):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    if t % 50 == 49:
        print(t, loss.item())
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad.zero_()
        d.grad.zero_()

print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")
print(a.requires_grad, a.grad, c.grad, a.is_leaf, loss.grad_fn is not None)

# the same kind of fit in float64 on [-1, 2], weights as one vector
w = torch.zeros(4, dtype=torch.float64, requires_grad=True)
xs = torch.linspace(-1, 2, 500, dtype=torch.float64)
ys = torch.sin(xs)
powers = torch.stack([xs ** k for k in range(4)], dim=1)
for t in range(200):
    loss = ((powers @ w - ys) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.02 * w.grad
    w.grad.zero_()
print("float64 fit", w.detach(), f"loss={loss.item():.10f}")
print(w.dtype, powers.shape, powers.size(0), powers.size(-1))
