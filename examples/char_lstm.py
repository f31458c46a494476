"""A character-level language model: embedding, a 2-layer LSTM with dropout between its layers,
a linear head; trained with cross-entropy, Adam and gradient clipping on four of Shakespeare's
sonnets (examples/data/sonnets.txt); then a validation loss with variable-length sequences
packed into one batch, and text sampled from the model. A plain torch script.

    python -m minitorch_ref.swap --compare examples/char_lstm.py
"""
import os

import torch
from torch import nn
from torch.nn.utils.rnn import pack_sequence, pad_packed_sequence

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "sonnets.txt")
with open(path) as f:
    text = f.read()
sonnets = text.strip().split("\n\n")
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
train_text = "\n\n".join(sonnets[:3])
data = torch.tensor([stoi[c] for c in train_text], dtype=torch.long)
print(f"{len(text)} characters, {len(chars)} distinct; training on {len(train_text)}")


class CharLSTM(nn.Module):
    def __init__(self, vocab, embed=24, hidden=64, layers=2, dropout=0.2):
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.lstm = nn.LSTM(embed, hidden, layers, dropout=dropout, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, idx, state=None):
        out, state = self.lstm(self.embed(idx), state)
        return self.head(out), state


torch.manual_seed(0)
model = CharLSTM(len(chars))
print(model)
print(sum(p.numel() for p in model.parameters()), "parameters")
optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
seq_len, batch = 32, 16


def get_batch():
    starts = torch.randint(0, len(data) - seq_len - 1, (batch,))
    x = torch.stack([data[s:s + seq_len] for s in starts])
    y = torch.stack([data[s + 1:s + seq_len + 1] for s in starts])
    return x, y


for step in range(1, 151):
    model.train()
    x, y = get_batch()
    logits, _ = model(x)
    loss = nn.functional.cross_entropy(logits.reshape(-1, len(chars)), y.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    norm = nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    if step % 30 == 0:
        print(f"step {step:3d}  loss {loss.item():.4f}  grad norm {norm.item():.4f}")

# validation: the unseen sonnet's lines, of different lengths, packed into one batch
model.eval()
lines = [torch.tensor([stoi[c] for c in line + "\n"]) for line in sonnets[3].split("\n")]
with torch.no_grad():
    packed = pack_sequence([ln[:-1] for ln in lines], enforce_sorted=False)
    embedded = packed._replace(data=model.embed(packed.data))
    out, _ = model.lstm(embedded)
    padded, lengths = pad_packed_sequence(out, batch_first=True)
    logits = model.head(padded)
    targets = nn.utils.rnn.pad_sequence([ln[1:] for ln in lines], batch_first=True,
                                        padding_value=-100)
    val = nn.functional.cross_entropy(logits.reshape(-1, len(chars)), targets.reshape(-1),
                                      ignore_index=-100)
print(f"validation loss on {len(lines)} unseen lines: {val.item():.4f}")
print("line lengths:", lengths.tolist())

with torch.no_grad():
    idx = torch.tensor([[stoi["T"]]])
    state, sample = None, ["T"]
    for _ in range(150):
        logits, state = model(idx, state)
        probs = torch.softmax(logits[0, -1] / 0.8, dim=0)
        idx = torch.multinomial(probs, 1).view(1, 1)
        sample.append(chars[idx.item()])
print("".join(sample))
