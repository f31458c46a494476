"""A tiny GPT on characters: token and position embeddings, two pre-norm Transformer blocks with
causal self-attention (nn.TransformerEncoderLayer with a causal mask), a linear head; trained
with cross-entropy and AdamW with a cosine learning-rate schedule on Shakespeare's sonnets
(examples/data/sonnets.txt); then text sampled from it. A plain torch script.

    python -m minitorch_ref.swap --compare examples/tiny_gpt.py
"""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "sonnets.txt")
with open(path) as f:
    text = f.read()
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
vocab, block, d_model = len(chars), 32, 48


class TinyGPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(block, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead=4, dim_feedforward=4 * d_model,
                                           dropout=0.1, activation="gelu", batch_first=True,
                                           norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, idx):
        t = idx.size(1)
        x = self.tok(idx) + self.pos(torch.arange(t))
        mask = nn.Transformer.generate_square_subsequent_mask(t)
        x = self.blocks(x, mask=mask, is_causal=True)
        return self.head(self.norm(x))


torch.manual_seed(0)
model = TinyGPT()
print(sum(p.numel() for p in model.parameters()), "parameters")
steps = 120
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
for step in range(1, steps + 1):
    model.train()
    starts = torch.randint(0, len(data) - block - 1, (16,))
    x = torch.stack([data[s:s + block] for s in starts])
    y = torch.stack([data[s + 1:s + block + 1] for s in starts])
    loss = F.cross_entropy(model(x).view(-1, vocab), y.view(-1))
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    scheduler.step()
    if step % 20 == 0:
        print(f"step {step:3d}  loss {loss.item():.4f}  lr {scheduler.get_last_lr()[0]:.5f}")

model.eval()
with torch.no_grad():
    idx = torch.tensor([[stoi["L"]]])
    for _ in range(120):
        logits = model(idx[:, -block:])[:, -1, :]
        probs = F.softmax(logits / 0.8, dim=-1)
        idx = torch.cat([idx, torch.multinomial(probs, num_samples=1)], dim=1)
print("".join(chars[i] for i in idx[0].tolist()))
