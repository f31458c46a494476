"""A typical train/validate loop: random_split, DataLoader, device, accuracy, best-model copy."""
import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, TensorDataset, random_split

device = 'cuda' if torch.cuda.is_available() else 'cpu'
print(f"Using {device} device")
torch.manual_seed(42)


class Blobs(Dataset):
    def __init__(self, n):
        centers = torch.tensor([[2.0, 0.0], [-2.0, 0.0], [0.0, 2.5]])
        self.y = torch.randint(0, 3, (n,))
        self.x = centers[self.y] + torch.randn(n, 2)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, idx):
        return self.x[idx], self.y[idx]


dataset = Blobs(300)
train_set, val_set = random_split(dataset, [240, 60])
print(len(train_set), len(val_set), train_set.indices[:5])
a, b, c = random_split(TensorDataset(torch.arange(10)), [0.5, 0.3, 0.2],
                       generator=torch.Generator().manual_seed(1))
print(list(a.indices), list(b.indices), list(c.indices))

train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
val_loader = DataLoader(val_set, batch_size=64)
xb, yb = next(iter(train_loader))
print(xb.shape, yb.shape, xb.dtype, yb.dtype)

model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3)).to(device)
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)

best_acc, best_state = 0.0, None
for epoch in range(8):
    model.train()
    size = len(train_loader.dataset)
    for batch, (X, y) in enumerate(train_loader):
        X, y = X.to(device), y.to(device)
        pred = model(X)
        loss = loss_fn(pred, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if batch % 4 == 0:
            loss, current = loss.item(), (batch + 1) * len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")
    model.eval()
    num_batches = len(val_loader)
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in val_loader:
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    test_loss /= num_batches
    correct /= len(val_loader.dataset)
    print(f"Test Error: \n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")
    if correct > best_acc:
        best_acc, best_state = correct, copy.deepcopy(model.state_dict())

model.load_state_dict(best_state)
with torch.no_grad():
    outputs = model(dataset.x)
    _, predicted = torch.max(outputs, 1)
    probs = torch.softmax(outputs, dim=1)
print("best", best_acc, (predicted == dataset.y).sum().item(), probs[:3])
print(torch.bincount(predicted, minlength=3).tolist())
