"""Scikit-learn style data in NumPy, a torch model in the middle: from_numpy, dtype casts,
.numpy() / .detach().cpu().numpy(), metrics computed in NumPy."""
import numpy as np
import torch
import torch.nn as nn

rng = np.random.RandomState(0)
X = rng.randn(300, 4)
w = np.array([1.5, -2.0, 0.0, 0.7])
y = (X @ w + 0.3 * rng.randn(300) > 0).astype(np.int64)
idx = rng.permutation(300)
X_train, X_test = X[idx[:240]], X[idx[240:]]
y_train, y_test = y[idx[:240]], y[idx[240:]]
mean, std = X_train.mean(axis=0), X_train.std(axis=0)
X_train = (X_train - mean) / std
X_test = (X_test - mean) / std

X_train_t = torch.from_numpy(X_train).float()
y_train_t = torch.from_numpy(y_train)
X_test_t = torch.tensor(X_test, dtype=torch.float32)
y_test_t = torch.as_tensor(y_test)
print(X_train_t.dtype, y_train_t.dtype, X_test_t.shape, torch.from_numpy(X_train).dtype)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
losses = []
for epoch in range(40):
    optimizer.zero_grad()
    logits = model(X_train_t).squeeze(1)
    loss = loss_fn(logits, y_train_t.float())
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
print(np.round(losses[::8], 5))

with torch.no_grad():
    proba = torch.sigmoid(model(X_test_t)).squeeze().numpy()
pred = (proba > 0.5).astype(int)
acc = (pred == y_test).mean()
tp = int(((pred == 1) & (y_test == 1)).sum())
fp = int(((pred == 1) & (y_test == 0)).sum())
fn = int(((pred == 0) & (y_test == 1)).sum())
print(f"accuracy {acc:.4f} precision {tp / (tp + fp):.4f} recall {tp / (tp + fn):.4f}")
print(proba[:5], proba.dtype, type(proba).__name__)
weights = model[0].weight.detach().cpu().numpy()
print(weights.shape, weights.dtype, np.abs(weights).sum().round(4))
grads = [p.grad.numpy().copy() for p in model.parameters()]
print([g.shape for g in grads], float(np.linalg.norm(grads[0])))
arr = np.arange(6, dtype=np.float32).reshape(2, 3)
t = torch.from_numpy(arr)
arr[0, 0] = 100.0
print(t[0, 0].item(), torch.tensor(arr)[0, 0].item())
t2 = torch.tensor(np.float64(2.5)) * torch.ones(2)
print(t2, t2.dtype, (torch.ones(2) * np.float32(3)).dtype, np.float64(2.0) * torch.ones(2))
print(torch.tensor([np.int64(3), 4]), torch.tensor(np.array([1, 2], dtype=np.int32)).dtype)
print(np.asarray(torch.arange(4)), np.array(torch.ones(2, 2)).sum(), torch.ones(3).numpy().sum())
print(torch.tensor(X[:2]).dtype, torch.FloatTensor([1, 2]), torch.LongTensor([1, 2]).dtype)
df_like = {"a": [1.0, 2.0], "b": [3.0, 4.0]}
print(torch.tensor(list(df_like.values())).T)
