"""WGAN-GP on 2-D toy data: a generator learns a ring of eight Gaussians, its critic is kept
1-Lipschitz by a gradient penalty. A plain torch script.

The penalty differentiates a gradient: (|d critic(x) / d x| - 1)^2 at points between real and
fake samples, computed with torch.autograd.grad(..., create_graph=True) so that the critic's
update follows it (Gulrajani et al., "Improved Training of Wasserstein GANs", 2017).

Run it with torch, or with minitorch_ref standing in for torch:
    python examples/wgan_gp.py
    python -m minitorch_ref.swap --compare examples/wgan_gp.py
"""
import math

import torch
from torch import nn

torch.manual_seed(0)
# float64: an adversarial game amplifies rounding differences, and this script is compared
# number by number with torch's run
torch.set_default_dtype(torch.float64)
BATCH, NOISE, HIDDEN, LAMBDA, CRITIC_STEPS = 64, 2, 32, 10.0, 5


def real_batch(n: int) -> torch.Tensor:
    """Eight Gaussians of std 0.05 on the unit circle."""
    k = torch.randint(0, 8, (n,))
    angle = k.to(torch.get_default_dtype()) * (2 * math.pi / 8)
    centers = torch.stack([angle.cos(), angle.sin()], dim=1)
    return centers + 0.05 * torch.randn(n, 2)


generator = nn.Sequential(nn.Linear(NOISE, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN),
                          nn.ReLU(), nn.Linear(HIDDEN, 2))
critic = nn.Sequential(nn.Linear(2, HIDDEN), nn.LeakyReLU(0.2), nn.Linear(HIDDEN, HIDDEN),
                       nn.LeakyReLU(0.2), nn.Linear(HIDDEN, 1))
opt_g = torch.optim.Adam(generator.parameters(), lr=1e-3, betas=(0.5, 0.9))
opt_c = torch.optim.Adam(critic.parameters(), lr=1e-3, betas=(0.5, 0.9))


def gradient_penalty(real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    eps = torch.rand(real.shape[0], 1)
    x = (eps * real + (1 - eps) * fake).requires_grad_(True)
    grad, = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return ((grad.norm(2, dim=1) - 1) ** 2).mean()


for step in range(121):
    for _ in range(CRITIC_STEPS):
        real = real_batch(BATCH)
        fake = generator(torch.randn(BATCH, NOISE)).detach()
        wasserstein = critic(fake).mean() - critic(real).mean()
        gp = gradient_penalty(real, fake)
        opt_c.zero_grad()
        (wasserstein + LAMBDA * gp).backward()
        opt_c.step()
    loss_g = -critic(generator(torch.randn(BATCH, NOISE))).mean()
    opt_g.zero_grad()
    loss_g.backward()
    opt_g.step()
    if step % 20 == 0:
        print(f"step {step:3d}  critic {wasserstein.item():+.4f}  penalty {gp.item():.4f}  "
              f"generator {loss_g.item():+.4f}")

with torch.no_grad():
    samples = generator(torch.randn(1000, NOISE))
    radius = samples.norm(dim=1)
print(f"samples: mean radius {radius.mean().item():.3f}, std {radius.std().item():.3f}")
