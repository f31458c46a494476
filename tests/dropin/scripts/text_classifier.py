"""Bag-of-embeddings text classifier on synthetic token ids: Embedding, padding, mean pooling."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(11)
VOCAB, PAD, MAXLEN, CLASSES = 50, 0, 12, 3

# class k favours tokens in [1 + 16k, 16 + 16k]
lengths = torch.randint(3, MAXLEN + 1, (240,))
labels = torch.randint(0, CLASSES, (240,))
tokens = torch.zeros(240, MAXLEN, dtype=torch.long)
for i in range(240):
    n = lengths[i].item()
    own = torch.randint(1 + 16 * labels[i].item(), 17 + 16 * labels[i].item(), (n,))
    noise = torch.randint(1, VOCAB, (n,))
    tokens[i, :n] = torch.where(torch.rand(n) < 0.7, own, noise)
print(tokens[:2])
print(lengths[:8].tolist(), labels[:8].tolist())


class TextClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_class):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=PAD)
        self.fc = nn.Linear(embed_dim, num_class)
        self.init_weights()

    def init_weights(self):
        initrange = 0.5
        self.embedding.weight.data.uniform_(-initrange, initrange)
        self.embedding.weight.data[PAD].zero_()
        self.fc.weight.data.uniform_(-initrange, initrange)
        self.fc.bias.data.zero_()

    def forward(self, text):
        mask = (text != PAD).unsqueeze(-1).float()
        embedded = self.embedding(text)
        pooled = (embedded * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1)
        return self.fc(pooled)


model = TextClassifier(VOCAB, 16, CLASSES)
print(model)
train_ds = TensorDataset(tokens[:200], labels[:200])
test_x, test_y = tokens[200:], labels[200:]
loader = DataLoader(train_ds, batch_size=20, shuffle=True)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.5)
for epoch in range(1, 5):
    model.train()
    total_acc, total_count = 0, 0
    for idx, (text, label) in enumerate(loader):
        optimizer.zero_grad()
        predicted_label = model(text)
        loss = criterion(predicted_label, label)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
        total_acc += (predicted_label.argmax(1) == label).sum().item()
        total_count += label.size(0)
    model.eval()
    with torch.no_grad():
        logits = model(test_x)
        val_acc = (logits.argmax(1) == test_y).float().mean().item()
    scheduler.step()
    print(f"| epoch {epoch:3d} | train acc {total_acc / total_count:8.3f} | valid acc "
          f"{val_acc:8.3f} | lr {scheduler.get_last_lr()[0]:.4f}")

print("pad row stays zero:", model.embedding.weight[PAD].abs().sum().item())
print(model.embedding.weight.grad[PAD])
probs = F.softmax(model(test_x[:4]), dim=-1)
print(probs)
print(probs.max(dim=1))
print(torch.topk(probs, 2, dim=1).indices.tolist())
