"""Saving and loading models the tutorial way: state_dict, full checkpoints, resume training."""
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


class TheModelClass(nn.Module):
    def __init__(self):
        super(TheModelClass, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


torch.manual_seed(0)
model = TheModelClass()
optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
inputs, targets = torch.randn(8, 3, 32, 32), torch.randint(0, 10, (8,))
for _ in range(2):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(inputs), targets)
    loss.backward()
    optimizer.step()

print("Model's state_dict:")
for param_tensor in model.state_dict():
    print(param_tensor, "\t", model.state_dict()[param_tensor].size())
print("Optimizer's state_dict:")
for var_name in optimizer.state_dict():
    print(var_name, "\t", optimizer.state_dict()[var_name] if var_name == "param_groups"
          else sorted(optimizer.state_dict()[var_name].keys()))

folder = tempfile.mkdtemp()
PATH = os.path.join(folder, "model.pth")
torch.save(model.state_dict(), PATH)
model2 = TheModelClass()
print(model2.load_state_dict(torch.load(PATH, weights_only=True)))
model2.eval()
with torch.no_grad():
    print(torch.equal(model(inputs), model2(inputs)), model2(inputs)[0, :3])

CKPT = os.path.join(folder, "ckpt.tar")
torch.save({
    'epoch': 2,
    'model_state_dict': model.state_dict(),
    'optimizer_state_dict': optimizer.state_dict(),
    'loss': loss,
}, CKPT)
model3 = TheModelClass()
optimizer3 = optim.SGD(model3.parameters(), lr=0.001, momentum=0.9)
checkpoint = torch.load(CKPT, weights_only=True)
model3.load_state_dict(checkpoint['model_state_dict'])
optimizer3.load_state_dict(checkpoint['optimizer_state_dict'])
epoch = checkpoint['epoch']
loss = checkpoint['loss']
print(epoch, loss, loss.requires_grad)
model3.train()
for m, opt in ((model, optimizer), (model3, optimizer3)):
    opt.zero_grad()
    F.cross_entropy(m(inputs), targets).backward()
    opt.step()
print(all(torch.allclose(p, q) for p, q in zip(model.parameters(), model3.parameters())))
print(optimizer3.state_dict()['state'][0]['momentum_buffer'].flatten()[:4])

# the entire model, pickled (the tutorial's second way; needs weights_only=False to load)
FULL = os.path.join(folder, "full.pt")
torch.save(model, FULL)
model4 = torch.load(FULL, weights_only=False)
model4.eval()
model.eval()
with torch.no_grad():
    print(type(model4).__name__, torch.equal(model4(inputs), model(inputs)), model4.fc3)
try:
    torch.load(FULL)  # weights_only=True by default: refuses arbitrary classes
except Exception as e:
    print(type(e).__name__, "Weights only load failed" in str(e))

# plain tensors, lists and dicts of tensors
t = {"x": torch.arange(5), "y": [torch.ones(2, dtype=torch.float64), 3.5], "z": "text"}
torch.save(t, os.path.join(folder, "t.pt"))
back = torch.load(os.path.join(folder, "t.pt"))
print(back)
missing = model2.load_state_dict({k: v for k, v in model.state_dict().items()
                                  if not k.startswith("fc3")}, strict=False)
print(missing.missing_keys, missing.unexpected_keys)
try:
    model2.load_state_dict({"fc9.weight": torch.zeros(1)})
except RuntimeError as e:
    print("RuntimeError:", str(e).splitlines()[0])
