"""The text-classification tutorial's model: EmbeddingBag over a flat token tensor with
offsets, a collate_batch building offsets with cumsum, SGD lr=5 + StepLR + gradient clipping."""
import torch
from torch import nn
from torch.utils.data import DataLoader

torch.manual_seed(3)
VOCAB, NUM_CLASS = 60, 4
texts = []
for i in range(160):
    label = i % NUM_CLASS
    n = int(torch.randint(4, 12, (1,)))
    tokens = torch.randint(0, 15, (n,)) + 15 * label
    noise = torch.rand(n) < 0.3
    tokens[noise] = torch.randint(0, VOCAB, (int(noise.sum()),))
    texts.append((label, tokens.tolist()))
print(texts[0], texts[1][0])


def collate_batch(batch):
    label_list, text_list, offsets = [], [], [0]
    for _label, _text in batch:
        label_list.append(_label)
        processed_text = torch.tensor(_text, dtype=torch.int64)
        text_list.append(processed_text)
        offsets.append(processed_text.size(0))
    label_list = torch.tensor(label_list, dtype=torch.int64)
    offsets = torch.tensor(offsets[:-1]).cumsum(dim=0)
    text_list = torch.cat(text_list)
    return label_list, text_list, offsets


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_class):
        super(TextClassificationModel, self).__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, sparse=False)
        self.fc = nn.Linear(embed_dim, num_class)
        self.init_weights()

    def init_weights(self):
        initrange = 0.5
        self.embedding.weight.data.uniform_(-initrange, initrange)
        self.fc.weight.data.uniform_(-initrange, initrange)
        self.fc.bias.data.zero_()

    def forward(self, text, offsets):
        embedded = self.embedding(text, offsets)
        return self.fc(embedded)


model = TextClassificationModel(VOCAB, 16, NUM_CLASS)
print(model)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=5)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.1)
train_dataloader = DataLoader(texts[:128], batch_size=16, shuffle=True,
                              collate_fn=collate_batch)
valid_dataloader = DataLoader(texts[128:], batch_size=16, shuffle=False,
                              collate_fn=collate_batch)


def train(dataloader, epoch):
    model.train()
    total_acc, total_count = 0, 0
    log_interval = 4
    for idx, (label, text, offsets) in enumerate(dataloader):
        optimizer.zero_grad()
        predicted_label = model(text, offsets)
        loss = criterion(predicted_label, label)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
        total_acc += (predicted_label.argmax(1) == label).sum().item()
        total_count += label.size(0)
        if idx % log_interval == 0 and idx > 0:
            print("| epoch {:3d} | {:5d}/{:5d} batches "
                  "| accuracy {:8.3f}".format(epoch, idx, len(dataloader),
                                              total_acc / total_count))
            total_acc, total_count = 0, 0


def evaluate(dataloader):
    model.eval()
    total_acc, total_count = 0, 0
    with torch.no_grad():
        for idx, (label, text, offsets) in enumerate(dataloader):
            predicted_label = model(text, offsets)
            total_acc += (predicted_label.argmax(1) == label).sum().item()
            total_count += label.size(0)
    return total_acc / total_count


total_accu = None
for epoch in range(1, 5):
    train(train_dataloader, epoch)
    accu_val = evaluate(valid_dataloader)
    if total_accu is not None and total_accu > accu_val:
        scheduler.step()
    else:
        total_accu = accu_val
    print("-" * 59)
    print("| end of epoch {:3d} | valid accuracy {:8.3f} | lr {:.4f}".format(
        epoch, accu_val, scheduler.get_last_lr()[0]))
    print("-" * 59)

ex_text = torch.tensor([15, 16, 17, 3])
with torch.no_grad():
    output = model(ex_text, torch.tensor([0]))
    print("prediction", output.argmax(1).item() + 1, output)
bag = nn.EmbeddingBag(10, 3, mode="max")
print(bag(torch.tensor([[1, 2, 4], [4, 3, 2]])))
