"""Probabilistic modelling with torch.distributions: Thompson sampling with Beta posteriors,
a Dirichlet over mixture weights, a Gaussian-process prior drawn from a MultivariateNormal,
Poisson counts, and a learnable affine flow (TransformedDistribution) fitted to LogNormal data
by maximum likelihood with Adam."""
import torch
from torch.distributions import (AffineTransform, Bernoulli, Beta, Dirichlet, ExpTransform,
                                 Gamma, LogNormal, MultivariateNormal, Normal, Poisson,
                                 TransformedDistribution, kl_divergence)

torch.manual_seed(5)

# Thompson sampling on a 3-armed Bernoulli bandit
true_p = torch.tensor([0.2, 0.5, 0.7])
wins, losses = torch.ones(3), torch.ones(3)
for t in range(200):
    arm = Beta(wins, losses).sample().argmax()
    r = Bernoulli(true_p[arm]).sample()
    wins[arm] += r
    losses[arm] += 1 - r
print("pulls", (wins + losses - 2).tolist(), "posterior means", Beta(wins, losses).mean)

# mixture weights and counts
w = Dirichlet(torch.tensor([2.0, 3.0, 5.0])).sample((4,))
print(w, w.sum(-1))
counts = Poisson(torch.tensor([0.5, 4.0, 25.0])).sample((3,))
print(counts, Poisson(torch.tensor([4.0])).log_prob(counts[:, 1:2]).sum())
g = Gamma(torch.tensor([0.5, 2.0]), torch.tensor([1.0, 3.0]))
print(g.sample((2,)), g.entropy(), kl_divergence(g, Gamma(1.0, 1.0)))

# a Gaussian-process prior: RBF kernel on 6 points
x = torch.linspace(0, 1, 6)
K = torch.exp(-0.5 * (x[:, None] - x[None, :]) ** 2 / 0.3 ** 2) + 1e-4 * torch.eye(6)
gp = MultivariateNormal(torch.zeros(6), covariance_matrix=K)
f = gp.sample((2,))
print(f.shape, gp.log_prob(f), gp.entropy())

# fit an affine flow on a standard normal (then exp) to LogNormal(0.5, 0.3) data
data = LogNormal(0.5, 0.3).sample((256,))
loc = torch.zeros(1, requires_grad=True)
log_scale = torch.zeros(1, requires_grad=True)
opt = torch.optim.Adam([loc, log_scale], lr=0.05)
for step in range(150):
    flow = TransformedDistribution(Normal(torch.zeros(1), torch.ones(1)),
                                   [AffineTransform(loc, log_scale.exp()), ExpTransform()])
    loss = -flow.log_prob(data.unsqueeze(-1)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 50 == 49:
        print(f"step {step + 1}: nll {loss.item():.5f} loc {loc.item():.4f} "
              f"scale {log_scale.exp().item():.4f}")
print(flow.rsample((3,)).squeeze(-1), flow.support, flow.event_shape)
