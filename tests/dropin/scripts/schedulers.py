"""Learning-rate schedules as people print them in a training loop."""
import torch
from torch import nn, optim
from torch.optim import lr_scheduler

torch.manual_seed(0)
model = nn.Linear(4, 2)
x, y = torch.randn(32, 4), torch.randn(32, 2)


def epoch(opt):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()


opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
for e in range(8):
    epoch(opt)
    sched.step()
    print("StepLR", e, sched.get_last_lr(), opt.param_groups[0]["lr"])

opt = optim.SGD(model.parameters(), lr=0.05)
sched = lr_scheduler.MultiStepLR(opt, milestones=[2, 5], gamma=0.1)
print("MultiStepLR", [(epoch(opt), sched.step(), sched.get_last_lr()[0])[2] for _ in range(7)])

opt = optim.Adam(model.parameters(), lr=0.01)
sched = lr_scheduler.ExponentialLR(opt, gamma=0.9)
lrs = []
for e in range(5):
    epoch(opt)
    sched.step()
    lrs.append(round(sched.get_last_lr()[0], 6))
print("ExponentialLR", lrs)

opt = optim.SGD(model.parameters(), lr=0.1)
sched = lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=0.001)
for e in range(12):
    epoch(opt)
    sched.step()
    print(f"Cosine epoch {e}: lr={opt.param_groups[0]['lr']:.6f}")

opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = lr_scheduler.OneCycleLR(opt, max_lr=0.1, steps_per_epoch=5, epochs=3)
for e in range(3):
    for b in range(5):
        epoch(opt)
        sched.step()
    print("OneCycle", e, f"{sched.get_last_lr()[0]:.6f}", f"{opt.param_groups[0]['momentum']:.4f}")

opt = optim.SGD(model.parameters(), lr=0.1)
sched = lr_scheduler.ReduceLROnPlateau(opt, mode='min', factor=0.5, patience=1, min_lr=1e-3)
for e, val in enumerate([1.0, 0.9, 0.95, 0.96, 0.97, 0.8, 0.85, 0.9, 0.91, 0.92, 0.93]):
    epoch(opt)
    sched.step(val)
    print("Plateau", e, val, opt.param_groups[0]["lr"], sched.num_bad_epochs)

opt = optim.AdamW(model.parameters(), lr=1e-3)
warmup = lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=3)
decay = lr_scheduler.CosineAnnealingLR(opt, T_max=5)
sched = lr_scheduler.SequentialLR(opt, schedulers=[warmup, decay], milestones=[3])
out = []
for e in range(8):
    epoch(opt)
    sched.step()
    out.append(f"{sched.get_last_lr()[0]:.3e}")
print("warmup+cosine", out)

opt = optim.SGD([{"params": model.weight}, {"params": model.bias, "lr": 0.01}], lr=0.1)
sched = lr_scheduler.LambdaLR(opt, lr_lambda=lambda e: 0.95 ** e)
for e in range(4):
    epoch(opt)
    sched.step()
print("LambdaLR", sched.get_last_lr(), sched.last_epoch)
print(sched.state_dict()["base_lrs"], sched.state_dict()["_step_count"])
