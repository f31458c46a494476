"""REINFORCE on a toy contextual bandit and a continuous-action task: a policy network gives
Categorical logits (sample, log_prob, entropy bonus) or an Independent Normal over a 2-d action
(rsample-free score-function gradient), trained with Adam and a running baseline."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical, Independent, Normal

torch.manual_seed(3)

# contextual bandit: 4-d context, 3 arms; the best arm is the argmax of W @ context
W = torch.randn(3, 4)
policy = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
opt = torch.optim.Adam(policy.parameters(), lr=0.02)
baseline = 0.0
for step in range(60):
    ctx = torch.randn(16, 4)
    dist = Categorical(logits=policy(ctx))
    action = dist.sample()
    reward = (action == (ctx @ W.T).argmax(-1)).float()
    baseline = 0.9 * baseline + 0.1 * reward.mean().item()
    loss = -((reward - baseline) * dist.log_prob(action)).mean() - 0.01 * dist.entropy().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 15 == 14:
        print(f"step {step + 1}: reward {reward.mean().item():.3f} "
              f"entropy {dist.entropy().mean().item():.4f} loss {loss.item():.4f}")
print(dist, action[:8], dist.probs[0])

# continuous actions: reach a target point; the policy's mean comes from a linear layer
mean_net = nn.Linear(2, 2)
log_std = nn.Parameter(torch.zeros(2))
opt = torch.optim.Adam(list(mean_net.parameters()) + [log_std], lr=0.05)
for step in range(40):
    target = torch.rand(32, 2) * 2 - 1
    pi = Independent(Normal(mean_net(target), log_std.exp()), 1)
    a = pi.sample()
    reward = -((a - target) ** 2).sum(-1)
    adv = reward - reward.mean()
    loss = -(adv * pi.log_prob(a)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 9:
        print(f"step {step + 1}: reward {reward.mean().item():.4f} "
              f"std {log_std.exp().detach()} entropy {pi.entropy().mean().item():.4f}")
print(pi.batch_shape, pi.event_shape, mean_net.weight.data, F.softplus(log_std).data)
