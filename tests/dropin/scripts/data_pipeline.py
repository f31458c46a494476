"""Datasets and loaders the way tutorials build them: a map-style Dataset with a transform,
Subset, ConcatDataset, samplers, a custom collate_fn, drop_last, workers, an IterableDataset."""
import math

import numpy as np
import torch
from torch.utils.data import (BatchSampler, ConcatDataset, DataLoader, Dataset, IterableDataset,
                              RandomSampler, SequentialSampler, Subset, TensorDataset,
                              WeightedRandomSampler, random_split)


class AddNoise:
    def __init__(self, std):
        self.std = std

    def __call__(self, x):
        return x + self.std * torch.randn_like(x)


class SquaresDataset(Dataset):
    def __init__(self, n, transform=None):
        self.x = torch.arange(n, dtype=torch.float32).unsqueeze(1) / n
        self.y = (self.x ** 2).squeeze(1)
        self.transform = transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        sample = self.x[idx]
        if self.transform:
            sample = self.transform(sample)
        return sample, self.y[idx]


class DictDataset(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return {"id": i, "feat": np.full(3, i, dtype=np.float32), "name": f"item{i}",
                "pair": (float(i), torch.tensor([i, -i]))}


class Countdown(IterableDataset):
    def __init__(self, start):
        self.start = start

    def __iter__(self):
        return iter(range(self.start, 0, -1))


torch.manual_seed(0)
ds = SquaresDataset(20, transform=AddNoise(0.01))
print(len(ds), ds[3])
loader = DataLoader(ds, batch_size=6, shuffle=True)
print(len(loader))
for i, (xb, yb) in enumerate(loader):
    print(i, xb.shape, yb.shape, yb.tolist())

# two worker processes (as the CIFAR tutorial sets): the random transform draws from each
# worker's own seeded stream
for xb, yb in DataLoader(ds, batch_size=8, shuffle=True, num_workers=2):
    print(xb.squeeze(1), yb.shape)
print(torch.rand(2))  # the main process's stream is not touched by the workers

loader = DataLoader(ds, batch_size=6, shuffle=False, drop_last=True, num_workers=0)
print(len(loader), [yb.shape[0] for _, yb in loader])

sub = Subset(ds, [0, 2, 4, 6])
print(len(sub), sub[1][1].item(), sub.indices)
both = ConcatDataset([sub, TensorDataset(torch.ones(3, 1), torch.zeros(3))])
print(len(both), both.cumulative_sizes, both[5])

weights = torch.tensor([0.1, 0.1, 5.0, 0.1, 0.1])
sampler = WeightedRandomSampler(weights, num_samples=10, replacement=True)
print(list(sampler))
print(list(RandomSampler(range(7))), list(SequentialSampler(range(4))))
print(list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)))
g = torch.Generator()
g.manual_seed(123)
print(list(DataLoader(range(10), batch_size=4, shuffle=True, generator=g)))
print([b[0].tolist() for b in DataLoader(TensorDataset(torch.arange(8)), batch_size=3,
                                      sampler=RandomSampler(range(8), num_samples=6))][0])


def collate_pad(batch):
    seqs = [torch.arange(1, n + 1) for n, _ in batch]
    longest = max(len(s) for s in seqs)
    padded = torch.zeros(len(seqs), longest, dtype=torch.long)
    for i, s in enumerate(seqs):
        padded[i, :len(s)] = s
    labels = torch.tensor([lab for _, lab in batch])
    return padded, labels, torch.tensor([len(s) for s in seqs])


pairs = [(n, n % 2) for n in [3, 1, 4, 1, 5, 2]]
for padded, labels, lengths in DataLoader(pairs, batch_size=3, collate_fn=collate_pad):
    print(padded, labels, lengths)

batch = next(iter(DataLoader(DictDataset(5), batch_size=2)))
print(batch["id"], batch["feat"], batch["name"], batch["pair"])
print(list(DataLoader(Countdown(7), batch_size=3)))
np_ds = TensorDataset(torch.from_numpy(np.linspace(0, 1, 6)).float(), torch.arange(6))
print(next(iter(DataLoader(np_ds, batch_size=4, shuffle=True))))
train, val = random_split(range(10), [7, 3])
print(sorted(train), sorted(val))
print(math.ceil(len(ds) / 6) == len(DataLoader(ds, batch_size=6)))
