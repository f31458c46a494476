"""What a script prints about its environment before training (an 'env info' block), and how
it falls back when the GPU it was written for is missing: accelerator and device queries,
device objects, a forced .cuda() caught and reported, hasattr probes, dtype names, version
checks, the single-process branch of a distributed-aware script."""
import os

import torch
import torch.distributed as dist
import torch.nn as nn

print("torch >= 2.0:", tuple(int(v) for v in torch.__version__.split("+")[0].split(".")[:2])
      >= (2, 0))
print("cuda available:", torch.cuda.is_available(), "| devices:", torch.cuda.device_count())
print("mps available:", torch.backends.mps.is_available(), "| built:",
      torch.backends.mps.is_built())
print("cudnn:", torch.backends.cudnn.is_available(), torch.backends.cudnn.version(),
      torch.backends.cudnn.enabled, torch.backends.cudnn.benchmark)
if hasattr(torch, "accelerator"):
    acc = torch.accelerator.current_accelerator()
    print("accelerator:", torch.accelerator.is_available(), acc, torch.accelerator.device_count())
    device = acc if acc is not None else torch.device("cpu")
else:
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("device:", device, repr(device), device.type, device.index)
print("version.cuda:", torch.version.cuda, "| default device:", torch.get_default_device())
torch.set_default_device(device)

gpu = torch.device("cuda:0")
print(gpu, repr(gpu), gpu.type, gpu.index, gpu == torch.device("cuda", 0), gpu == device)
x = torch.arange(6.0).view(2, 3)
print(x.device, x.is_cuda, x.is_cpu, x.get_device(), x.is_pinned())
for target in ("cuda", gpu, "cuda:1"):
    try:
        x.to(target)
    except AssertionError as e:
        print(f"to({target!s}) failed: {type(e).__name__}: {e}")
try:
    x.cuda()
except (AssertionError, RuntimeError) as e:
    print("cuda() failed:", type(e).__name__, e)
try:
    nn.Linear(3, 2).cuda()
except AssertionError as e:
    print("model.cuda() failed:", e)
print("relu on cuda:", nn.ReLU().cuda())  # no tensors to move: fine

rank = dist.get_rank() if dist.is_available() and dist.is_initialized() else 0
world = int(os.environ.get("WORLD_SIZE", 1))
print("rank", rank, "of", world)

dtype = torch.bfloat16 if torch.cuda.is_available() and torch.cuda.is_bf16_supported() \
    else torch.float32
print("compute dtype:", dtype, "| bf16 itemsize:", torch.bfloat16.itemsize,
      "| is floating:", torch.bfloat16.is_floating_point)
print(torch.finfo(torch.bfloat16).eps, torch.finfo(torch.float16).max,
      torch.iinfo(torch.int32).max)
print("half/bf16 names:", torch.half, torch.bfloat16, torch.cfloat, torch.complex64.is_complex)
print("memory:", torch.cuda.memory_allocated(), torch.cuda.max_memory_reserved())
torch.cuda.manual_seed(0)
torch.cuda.empty_cache()
if torch.cuda.is_available():
    torch.cuda.synchronize()
print("compiled:", callable(torch.compile(lambda t: t * 2)), torch.compiler.is_compiling())
print((x.to(device) * 2).sum())
