"""The automatic-mixed-precision recipe on a CPU machine: autocast only where CUDA exists,
GradScaler on the device the script found ('cpu' here, where torch scales for real). The
initial scale is close to float32's largest number, so growing it overflows (the scale stays),
and a corrupted batch (an inf) makes a step overflow: it is skipped and the scale backs off,
then grows again every growth_interval clean steps. Gradient accumulation and clipping of the
unscaled gradients, scaler state in the checkpoint."""
import torch
import torch.nn as nn

torch.manual_seed(0)
device_type = "cuda" if torch.cuda.is_available() else "cpu"
use_amp = True
net = nn.Sequential(nn.Linear(8, 16), nn.GELU(), nn.Linear(16, 16), nn.GELU(), nn.Linear(16, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.5)
scaler = torch.amp.GradScaler(device_type, init_scale=2.0 ** 126, growth_interval=3,
                              enabled=use_amp)
print(scaler.is_enabled(), scaler.get_scale(), scaler.get_growth_interval())
data = torch.randn(12, 4, 8)
target = data.sum(-1, keepdim=True).sin()
data[6, 1, 2] = float("inf")  # a corrupted sample
accum = 2

for step in range(12):
    with torch.autocast(device_type=device_type, dtype=torch.float16,
                        enabled=use_amp and device_type == "cuda"):
        out = net(data[step])
        loss = nn.functional.mse_loss(out, target[step]) / accum
    scaler.scale(loss).backward()
    if (step + 1) % accum == 0:
        scaler.unscale_(opt)
        grads = [p.grad for p in net.parameters()]
        finite = all(torch.isfinite(g).all() for g in grads)
        norm = nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        before = net[0].weight.detach().clone()
        ret = scaler.step(opt)
        scaler.update()
        moved = not torch.equal(before, net[0].weight)
        opt.zero_grad(set_to_none=True)
        print(f"step {step:2d} loss {loss.item() * accum:.5f} finite {finite} moved {moved} "
              f"returned {ret} scale {scaler.get_scale():.6g} norm {norm.item():.4g}")

print(scaler.state_dict())
state = {"scaler": scaler.state_dict()}
resumed = torch.amp.GradScaler(device_type)
resumed.load_state_dict(state["scaler"])
print(resumed.get_scale(), resumed._get_growth_tracker())
print(net[0].weight[:2, :4])
