"""A small variational autoencoder on synthetic binary 8x8 images: the encoder gives a diagonal
Gaussian q(z|x) (torch.distributions.Normal), a reparameterized sample (rsample) feeds the
decoder, the reconstruction term is a Bernoulli log-likelihood and the regularizer the
closed-form kl_divergence against the standard normal prior."""
import torch
import torch.nn as nn
from torch.distributions import Bernoulli, Independent, Normal, kl_divergence

torch.manual_seed(11)

# 128 images of 8x8 pixels: random horizontal and vertical bars
rows = torch.rand(128, 8, 1) < 0.25
cols = torch.rand(128, 1, 8) < 0.25
images = (rows | cols).float().view(128, 64)
print(images.shape, images.mean().item())


class VAE(nn.Module):
    def __init__(self, latent=4):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(64, 32), nn.Tanh())
        self.mu = nn.Linear(32, latent)
        self.log_std = nn.Linear(32, latent)
        self.dec = nn.Sequential(nn.Linear(latent, 32), nn.Tanh(), nn.Linear(32, 64))

    def forward(self, x):
        h = self.enc(x)
        q = Normal(self.mu(h), self.log_std(h).exp())
        z = q.rsample()
        p_x = Independent(Bernoulli(logits=self.dec(z)), 1)
        return q, z, p_x


model = VAE()
prior = Normal(torch.zeros(4), torch.ones(4))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(5):
    perm = torch.randperm(128)
    total = 0.0
    for i in range(0, 128, 32):
        x = images[perm[i:i + 32]]
        q, z, p_x = model(x)
        rec = p_x.log_prob(x)
        kl = kl_divergence(q, prior).sum(-1)
        loss = -(rec - kl).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    print(f"epoch {epoch}: loss {total / 4:.4f} rec {rec.mean().item():.4f} "
          f"kl {kl.mean().item():.4f}")

print(q, p_x, q.batch_shape, p_x.event_shape)
print(model.mu.weight.grad.norm(), model.log_std.bias.grad)
with torch.no_grad():
    z = prior.sample((3,))
    print(z)
    print(Bernoulli(logits=model.dec(z)).sample().sum(-1))
    print(Normal(torch.zeros(2), torch.ones(2)).entropy(), prior.log_prob(z).sum(-1))
