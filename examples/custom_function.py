"""A custom autograd Function (forward and backward written by hand), checked with gradcheck
and used inside a model. A plain torch script.

    python -m minitorch_ref.swap --compare examples/custom_function.py
"""
import torch


class SmoothClamp(torch.autograd.Function):
    """y = tanh(x) * limit; dy/dx = limit * (1 - tanh(x)^2)."""

    @staticmethod
    def forward(ctx, x, limit):
        t = torch.tanh(x)
        ctx.save_for_backward(t)
        ctx.limit = limit
        return t * limit

    @staticmethod
    def backward(ctx, grad_output):
        (t,) = ctx.saved_tensors
        return grad_output * ctx.limit * (1 - t * t), None


torch.manual_seed(2)
x = torch.randn(5, dtype=torch.float64, requires_grad=True)
print("gradcheck:", torch.autograd.gradcheck(lambda v: SmoothClamp.apply(v, 3.0), (x,)))

y = SmoothClamp.apply(x, 3.0)
y.sum().backward()
print("y", y.detach())
print("grad", x.grad)
print("grad_fn", type(y.grad_fn).__name__)

w = torch.randn(4, 3, requires_grad=True)
inp = torch.randn(8, 4)
for step in range(5):
    out = SmoothClamp.apply(inp @ w, 2.0)
    loss = (out - 1.0).pow(2).mean()
    w.grad = None
    loss.backward()
    with torch.no_grad():
        w -= 0.5 * w.grad
    print(f"step {step}  loss {loss.item():.6f}")
