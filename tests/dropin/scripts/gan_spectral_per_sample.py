"""A spectral-norm GAN on 2-D points (parametrizations.spectral_norm discriminator, the hook
form nn.utils.spectral_norm, LazyLinear generator head, Adam, BCEWithLogitsLoss), then
per-sample gradients of the discriminator's loss with torch.func (vmap over grad over
functional_call), checked against one backward per sample."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, grad, vmap
from torch.nn.utils.parametrizations import spectral_norm

torch.manual_seed(3)


def real_batch(n):
    angle = torch.rand(n) * 6.2832
    return torch.stack([angle.cos(), angle.sin()], dim=1) * 2 + torch.randn(n, 2) * 0.05


generator = nn.Sequential(nn.Linear(4, 16), nn.LeakyReLU(0.2), nn.LazyLinear(2))
discriminator = nn.Sequential(
    spectral_norm(nn.Linear(2, 16)), nn.LeakyReLU(0.2),
    nn.utils.spectral_norm(nn.Linear(16, 16)), nn.LeakyReLU(0.2),
    spectral_norm(nn.Linear(16, 1)))
generator(torch.zeros(1, 4))  # materializes the lazy head
print(generator)
print(discriminator)
print(list(discriminator.state_dict().keys()))
print(discriminator[0].parametrizations.weight[0]._u)

opt_g = torch.optim.Adam(generator.parameters(), lr=2e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-3, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
for step in range(30):
    real = real_batch(32)
    fake = generator(torch.randn(32, 4))
    d_loss = bce(discriminator(real), torch.ones(32, 1)) + \
        bce(discriminator(fake.detach()), torch.zeros(32, 1))
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    g_loss = bce(discriminator(fake), torch.ones(32, 1))
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    if step % 10 == 9:
        print(f"step {step + 1}: d_loss {d_loss.item():.5f} g_loss {g_loss.item():.5f}")

discriminator.eval()
with torch.no_grad():
    sigma = torch.linalg.matrix_norm(discriminator[0].weight, ord=2)
    print("spectral norm of the first layer:", round(sigma.item(), 4))
    print(discriminator[2].weight_u[:4], discriminator[2].weight_v[:4])
    print(generator(torch.randn(3, 4)))

# per-sample gradients of the discriminator loss, one row per example
params = {k: v.detach() for k, v in discriminator.named_parameters()}
buffers = {k: v.detach() for k, v in discriminator.named_buffers()}
x = torch.cat([real_batch(3), generator(torch.randn(3, 4)).detach()])
y = torch.tensor([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])


def loss_fn(p, b, xi, yi):
    logit = functional_call(discriminator, (p, b), (xi.unsqueeze(0),))
    return F.binary_cross_entropy_with_logits(logit.squeeze(), yi)


per_sample = vmap(grad(loss_fn), in_dims=(None, None, 0, 0))(params, buffers, x, y)
for name, g in per_sample.items():
    print(name, tuple(g.shape), g.flatten(1).norm(dim=1))
for i in range(2):
    discriminator.zero_grad()
    loss_fn(dict(discriminator.named_parameters()), buffers, x[i], y[i]).backward()
    first = discriminator[0].parametrizations.weight.original.grad
    print(i, torch.allclose(first, per_sample["0.parametrizations.weight.original"][i]))
