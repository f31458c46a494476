"""Sequence models in torch and minitorch_ref, same weights and data (goals: LSTM <= 1.5x torch,
GPT training step <= 1.3x).

* LSTM: 2 layers, input 256, hidden 256, sequence 64, batch 32, float32; forward and backward
  (output and final states summed into the loss). torch runs oneDNN's fused LSTM kernel on the
  CPU. The floor is the same GEMMs in bare NumPy: per layer, the input projection of all steps,
  64 recurrent products forward, 64 backward, and the three weight/input-gradient GEMMs.
* GPT block: 2 pre-norm TransformerEncoderLayers (d=128, 4 heads, feed-forward 512, GELU, causal
  mask, dropout 0.1), embedding and a tied-free output head over 65 symbols, T=64, B=16;
  one AdamW training step (zero_grad, forward, cross-entropy, backward, step).
"""
from __future__ import annotations

import numpy as np

from common import Result, interleaved

VOCAB = 65


def _lstm_case(T, quick: bool):
    hidden = 128 if quick else 256
    return dict(layers=2, input=hidden, hidden=hidden, steps=32 if quick else 64, batch=32)


def _lstm_step(T, m, x):
    def step():
        m.zero_grad()
        y, (h, c) = m(x)
        (y.sum() + h.sum() + c.sum()).backward()
    return step


def _lstm_floor(cfg, rng):
    """The LSTM's GEMMs in bare NumPy float32 (no gates, no elementwise work)."""
    H, steps, batch = cfg["hidden"], cfg["steps"], cfg["batch"]
    xs = rng.standard_normal((steps * batch, cfg["input"])).astype(np.float32)
    w_ih = rng.standard_normal((4 * H, cfg["input"])).astype(np.float32)
    w_hh = rng.standard_normal((4 * H, H)).astype(np.float32)
    h = rng.standard_normal((batch, H)).astype(np.float32)
    dz = rng.standard_normal((steps * batch, 4 * H)).astype(np.float32)
    hp = rng.standard_normal((steps * batch, H)).astype(np.float32)

    def step():
        for _ in range(cfg["layers"]):
            _ = xs @ w_ih.T
            for _t in range(steps):
                _ = h @ w_hh.T             # forward recurrence
            for _t in range(steps):
                _ = dz[:batch] @ w_hh      # backward recurrence
            _ = dz.T @ xs, dz.T @ hp, dz @ w_ih
    return step


class _GPT:
    """Token and position embeddings, pre-norm encoder layers with a causal mask, a final
    LayerNorm and a linear head: the shape of a small GPT."""

    def __init__(self, T, d, heads, layers, steps):
        nn = T.nn

        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                self.tok = nn.Embedding(VOCAB, d)
                self.pos = nn.Embedding(steps, d)
                layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.1,
                                                   activation="gelu", batch_first=True,
                                                   norm_first=True)
                self.blocks = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
                self.norm = nn.LayerNorm(d)
                self.head = nn.Linear(d, VOCAB)
                self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(
                    steps), persistent=False)

            def forward(self, idx):
                x = self.tok(idx) + self.pos(T.arange(idx.shape[1]))
                x = self.blocks(x, mask=self.mask, is_causal=True)
                return self.head(self.norm(x))
        self.model = Model()


def _gpt_step(T, model, opt, idx, target):
    def step():
        opt.zero_grad()
        logits = model(idx)
        loss = T.nn.functional.cross_entropy(logits.reshape(-1, VOCAB), target.reshape(-1))
        loss.backward()
        opt.step()
    return step


def run(quick: bool = False) -> list[Result]:
    import torch

    import minitorch_ref as mt
    results = []
    rng = np.random.default_rng(0)

    cfg = _lstm_case(torch, quick)
    x = rng.standard_normal((cfg["steps"], cfg["batch"], cfg["input"])).astype(np.float32)
    mods = {}
    for T in (torch, mt):
        T.manual_seed(0)
        mods[T] = T.nn.LSTM(cfg["input"], cfg["hidden"], cfg["layers"])
    fns = {"torch": _lstm_step(torch, mods[torch], torch.tensor(x, requires_grad=True)),
           "ours": _lstm_step(mt, mods[mt], mt.tensor(x, requires_grad=True)),
           "floor": _lstm_floor(cfg, rng)}
    t = interleaved(fns, reps=3 if quick else 7, inner=1 if quick else 2)
    results.append(Result("sequence", f"LSTM {cfg['layers']} layers, hidden {cfg['hidden']}, "
                          f"seq {cfg['steps']}, batch {cfg['batch']}, fwd+bwd", t["torch"],
                          t["ours"], floor_s=t["floor"], goal=1.5))

    d, heads, layers, steps, batch = 128, 4, 2, (32 if quick else 64), 16
    idx = rng.integers(0, VOCAB, (batch, steps))
    target = rng.integers(0, VOCAB, (batch, steps))
    models = {}
    for T in (torch, mt):
        T.manual_seed(0)
        models[T] = _GPT(T, d, heads, layers, steps).model
    models[mt].load_state_dict(models[torch].state_dict())
    fns = {}
    for T, name in ((torch, "torch"), (mt, "ours")):
        opt = T.optim.AdamW(models[T].parameters(), lr=1e-3)
        fns[name] = _gpt_step(T, models[T], opt, T.tensor(idx), T.tensor(target))
    t = interleaved(fns, reps=3 if quick else 7, inner=1 if quick else 3)
    results.append(Result("sequence", f"GPT block: {layers} layers, d={d}, {heads} heads, "
                          f"T={steps}, B={batch}, AdamW step", t["torch"], t["ours"],
                          goal=1.3))
    return results
