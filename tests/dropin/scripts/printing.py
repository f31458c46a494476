"""Printing tensors, shapes, dtypes, parameters and models: what lands in people's logs."""
import torch
import torch.nn as nn

torch.manual_seed(0)
print(torch.tensor([1, 2, 3]))
print(torch.tensor([[1.5, -2.25], [3.0, 4.125]]))
print(torch.tensor([0.1, 0.2], dtype=torch.float64))
print(torch.tensor([True, False]))
print(torch.tensor(3.5), torch.tensor(7))
print(torch.zeros(2, 3, dtype=torch.int32))
print(torch.tensor([1e-5, 1.0, 1e5]))
print(torch.tensor([1e-10, 1.0]))
print(torch.tensor([123456.789, 0.001]))
print(torch.tensor([float('nan'), float('inf'), -float('inf'), 1.0]))
print(torch.tensor([]), torch.zeros(0, 3))
print(torch.randn(2, 3, 4))
print(torch.arange(2000))
print(torch.rand(40, 40))
x = torch.randn(3, requires_grad=True)
print(x)
y = x * 2
print(y)
print(y.sum(), y.mean())
print(x.detach(), x.data)
print(nn.Parameter(torch.ones(2)))
print(torch.tensor([[1, 2], [3, 4]], dtype=torch.uint8), torch.tensor([-1, 2], dtype=torch.int8))
print(torch.tensor([1.0, 2.0], dtype=torch.float16))
print(torch.ones(2, 2, dtype=torch.long) * 1000000)
print(torch.tensor([0.0001234, 0.5]))
print(torch.tensor([-0.0, 0.0]))
print(torch.full((2, 2), 1 / 3))

t = torch.randn(4, 5)
print(t.shape, t.size(), t.size(1), t.dtype, t.device, t.ndim, t.dim(), t.numel())
print(t.shape == (4, 5), list(t.shape), tuple(t.size()), len(t))
print(f"{t.mean():.4f} {t.sum().item():.3f} {t[0, 0]:.2f} {t.std():+.3e}")
print("max:", t.max(), "argmax:", t.argmax().item(), t.max(dim=1))
print(t.min(0).values, t.min(0).indices)
print(t.tolist()[0])
print(t.numpy().dtype, t.numpy().shape, type(t.numpy()).__name__)
print(t.type(), t.int().type(), t.long().dtype, t.double().dtype)
print(t.T.shape, t.t().is_contiguous(), t.view(-1, 10).shape, t.reshape(2, -1).shape)
print(str(torch.float32), torch.float64, torch.int64, torch.bool)
print(torch.get_default_dtype())

torch.set_printoptions(precision=2)
print(torch.tensor([1.23456, 2.34567]))
torch.set_printoptions(precision=4)

model = nn.Sequential(
    nn.Conv2d(1, 4, kernel_size=3, stride=1, padding=1),
    nn.BatchNorm2d(4),
    nn.ReLU(inplace=True),
    nn.MaxPool2d(2),
    nn.Dropout2d(0.1),
    nn.Flatten(),
    nn.Linear(4 * 4 * 4, 10, bias=False),
    nn.LogSoftmax(dim=1),
)
print(model)
print(nn.ModuleList([nn.Linear(2, 2), nn.GELU(), nn.LeakyReLU(0.2)]))
print(nn.ModuleDict({"act": nn.Sigmoid(), "emb": nn.Embedding(10, 3, padding_idx=0)}))
print(nn.CrossEntropyLoss(label_smoothing=0.1), nn.MSELoss(), nn.LayerNorm(8))
print(nn.Conv2d(3, 8, (3, 5), stride=(2, 1), padding=(1, 2), groups=1, bias=False))
print(nn.AvgPool2d(2), nn.AdaptiveAvgPool2d((1, 1)), nn.Upsample(scale_factor=2))
print(nn.Softmax(dim=-1), nn.Tanh(), nn.Dropout(p=0.3), nn.Identity())
lin = nn.Linear(3, 2)
print(lin.weight)
print(lin.bias)
print(list(lin.named_parameters())[1][0], lin.weight.shape)
print(torch.optim.Adam(lin.parameters(), lr=1e-3))
print(torch.optim.SGD(lin.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4))
