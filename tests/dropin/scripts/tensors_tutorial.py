"""The 'Tensors' tutorial: creation, attributes, indexing, joining, arithmetic, NumPy bridge."""
import numpy as np
import torch

torch.manual_seed(0)
data = [[1, 2], [3, 4]]
x_data = torch.tensor(data)
np_array = np.array(data)
x_np = torch.from_numpy(np_array)
print(x_data, x_np, x_np.dtype)

x_ones = torch.ones_like(x_data)
print(f"Ones Tensor: \n {x_ones} \n")
x_rand = torch.rand_like(x_data, dtype=torch.float)
print(f"Random Tensor: \n {x_rand} \n")

shape = (2, 3,)
rand_tensor = torch.rand(shape)
ones_tensor = torch.ones(shape)
zeros_tensor = torch.zeros(shape)
print(f"Random Tensor: \n {rand_tensor} \n")
print(f"Ones Tensor: \n {ones_tensor} \n")
print(f"Zeros Tensor: \n {zeros_tensor}")

tensor = torch.rand(3, 4)
print(f"Shape of tensor: {tensor.shape}")
print(f"Datatype of tensor: {tensor.dtype}")
print(f"Device tensor is stored on: {tensor.device}")

tensor = torch.ones(4, 4)
print(f"First row: {tensor[0]}")
print(f"First column: {tensor[:, 0]}")
print(f"Last column: {tensor[..., -1]}")
tensor[:, 1] = 0
print(tensor)
t1 = torch.cat([tensor, tensor, tensor], dim=1)
print(t1)
print(torch.stack([tensor[0], tensor[1]]).shape, torch.stack([tensor[0], tensor[1]], dim=1))

y1 = tensor @ tensor.T
y2 = tensor.matmul(tensor.T)
y3 = torch.rand_like(y1)
torch.matmul(tensor, tensor.T, out=y3)
z1 = tensor * tensor
z2 = tensor.mul(tensor)
z3 = torch.rand_like(tensor)
torch.mul(tensor, tensor, out=z3)
print(y1, torch.equal(y1, y2), torch.equal(y1, y3), torch.equal(z1, z3))

agg = tensor.sum()
agg_item = agg.item()
print(agg_item, type(agg_item))
print(f"{tensor} \n")
tensor.add_(5)
print(tensor)

t = torch.ones(5)
print(f"t: {t}")
n = t.numpy()
print(f"n: {n}")
t.add_(1)
print(f"t: {t}")
print(f"n: {n}")
n = np.ones(5)
t = torch.from_numpy(n)
np.add(n, 1, out=n)
print(f"t: {t}")
print(f"n: {n}")

# more everyday manipulations
a = torch.arange(12).view(3, 4)
print(a, a.view(-1, 6), a.permute(1, 0).contiguous().view(-1))
print(a[a > 5], a[:, [0, 2]], a[1:, ::2], a.flip(0)[0])
print(a.unsqueeze(0).shape, a.unsqueeze(-1).squeeze().shape, a.flatten().shape)
print(torch.where(a % 2 == 0, a, -a))
print(a.float().mean(dim=0), a.sum(1, keepdim=True), a.cumsum(0)[-1], a.prod(1))
print(torch.chunk(a, 2, dim=1)[1], torch.split(a, [1, 2])[1])
b = torch.zeros(3, 4).scatter_(1, torch.tensor([[0], [2], [3]]), 1.0)
print(b, b.nonzero(), b.argmax(1), torch.gather(a, 1, torch.tensor([[1], [0], [3]])))
print(torch.linspace(0, 1, 5), torch.logspace(0, 2, 3), torch.eye(3), torch.full((2,), 7))
print(torch.clamp(torch.tensor([-2.0, 0.5, 3.0]), -1, 1), torch.abs(torch.tensor([-3, 3])))
print(torch.sort(torch.tensor([3, 1, 2]), descending=True))
print(torch.unique(torch.tensor([3, 1, 2, 3, 1])), torch.tensor([1.0, 2.0]).expand(3, 2))
print(torch.tensor([1, 2, 3]).float() / 2, torch.tensor([7, 8]) // 3, torch.tensor([7, -8]) % 3)
print(torch.tensor(np.float32(2.5)), torch.as_tensor([1.0, 2.0], dtype=torch.float64))
print(torch.tensor([1.5, 2.5]).numpy().tolist(), torch.zeros(2).numpy().dtype)
print(torch.allclose(torch.ones(3), torch.ones(3) + 1e-9), torch.isclose(torch.ones(2),
                                                                        torch.zeros(2)))
m = torch.randn(3, 3)
print(m.masked_fill(m < 0, 0.0), m.triu(), torch.diag(m), m.trace())
print(torch.outer(torch.arange(3.), torch.arange(2.)), torch.einsum("ij,jk->ik", m, m))
print(x_data.repeat(2, 1), x_data.T.tolist(), x_data.max().item(), x_data.float().norm())
