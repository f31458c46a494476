"""nn layers in torch and minitorch_ref: forward + backward of the normalization layers,
Linear, the softmax family, the common activations and Embedding, at sizes of small CNN/MLP/text
models; plus the Module machinery alone (a 6-layer Sequential of tiny layers, where per-call
overhead dominates).

Each call runs the layer on an input that requires grad and backpropagates a fixed upstream
gradient (the leaves' .grad are dropped first, so nothing accumulates). Ours: one fused kernel
per normalization (closed-form backward), one GEMM per Linear product.
"""
from __future__ import annotations

import numpy as np

from common import Result, interleaved


def run(quick: bool = False) -> list:
    import torch

    import minitorch_ref as mt

    rng = np.random.default_rng(0)
    img = (16, 32, 16, 16) if quick else (32, 64, 32, 32)
    seq = (16, 32, 128) if quick else (32, 128, 512)
    mat = (256, 512) if quick else (1024, 1024)
    vocab, tokens = (5000, (32, 64)) if quick else (30000, (64, 128))
    reps, inner = (3, 3) if quick else (7, 5)

    x_img = rng.standard_normal(img).astype(np.float32)
    x_seq = rng.standard_normal(seq).astype(np.float32)
    x_mat = rng.standard_normal(mat).astype(np.float32)
    idx = rng.integers(0, vocab, tokens)
    x_small = rng.standard_normal((8, 16)).astype(np.float32)

    def lib(T):
        T.manual_seed(0)
        nn = T.nn
        mods = dict(
            bn2d=nn.BatchNorm2d(img[1]), gn=nn.GroupNorm(8, img[1]),
            inorm=nn.InstanceNorm2d(img[1], affine=True), ln=nn.LayerNorm(seq[-1]),
            lin=nn.Linear(seq[-1], seq[-1]), emb=nn.Embedding(vocab, 64, padding_idx=0),
            mlp=nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 16), nn.Tanh(),
                              nn.Linear(16, 4), nn.LogSoftmax(-1)))
        tensors = dict(img=T.tensor(x_img, requires_grad=True),
                       seq=T.tensor(x_seq, requires_grad=True),
                       mat=T.tensor(x_mat, requires_grad=True), idx=T.tensor(idx),
                       small=T.tensor(x_small, requires_grad=True))
        return dict(T=T, F=T.nn.functional, **mods, **tensors)

    env = {"torch": lib(torch), "ours": lib(mt)}
    # the torch modules' weights into ours, so both compute the same thing
    for k in ("bn2d", "gn", "inorm", "ln", "lin", "emb", "mlp"):
        env["ours"][k].load_state_dict(env["torch"][k].state_dict())

    def step(fn, *leaves, params=None):
        def call(e):
            for leaf in leaves:
                e[leaf].grad = None
            if params:
                e[params].zero_grad()
            out = fn(e)
            out.backward(e["T"].ones_like(out))
        return call

    cases = {
        f"BatchNorm2d train {'x'.join(map(str, img))}": step(lambda e: e["bn2d"](e["img"]),
                                                             "img", params="bn2d"),
        f"GroupNorm(8) {'x'.join(map(str, img))}": step(lambda e: e["gn"](e["img"]), "img",
                                                        params="gn"),
        f"InstanceNorm2d {'x'.join(map(str, img))}": step(lambda e: e["inorm"](e["img"]),
                                                          "img", params="inorm"),
        f"LayerNorm {'x'.join(map(str, seq))}": step(lambda e: e["ln"](e["seq"]), "seq",
                                                     params="ln"),
        f"Linear {seq[-1]}->{seq[-1]} on {'x'.join(map(str, seq))}": step(
            lambda e: e["lin"](e["seq"]), "seq", params="lin"),
        f"softmax {mat[0]}x{mat[1]}": step(lambda e: e["F"].softmax(e["mat"], -1), "mat"),
        f"log_softmax {mat[0]}x{mat[1]}": step(lambda e: e["F"].log_softmax(e["mat"], -1),
                                               "mat"),
        f"gelu {mat[0]}x{mat[1]}": step(lambda e: e["F"].gelu(e["mat"]), "mat"),
        f"silu {mat[0]}x{mat[1]}": step(lambda e: e["F"].silu(e["mat"]), "mat"),
        f"mish {mat[0]}x{mat[1]}": step(lambda e: e["F"].mish(e["mat"]), "mat"),
        f"softplus {mat[0]}x{mat[1]}": step(lambda e: e["F"].softplus(e["mat"]), "mat"),
        f"elu {mat[0]}x{mat[1]}": step(lambda e: e["F"].elu(e["mat"]), "mat"),
        f"leaky_relu {mat[0]}x{mat[1]}": step(lambda e: e["F"].leaky_relu(e["mat"]), "mat"),
        f"Embedding {vocab}x64 [{tokens[0]}x{tokens[1]}]": step(lambda e: e["emb"](e["idx"]),
                                                                params="emb"),
        "Sequential of 6 tiny layers (overhead)": step(lambda e: e["mlp"](e["small"]), "small",
                                                       params="mlp"),
    }
    results = []
    for name, fn in cases.items():
        times = interleaved({k: (lambda k=k: fn(env[k])) for k in env}, reps, inner)
        results.append(Result("nn", name + " fwd+bwd", times["torch"], times["ours"]))
    return results


if __name__ == "__main__":
    import sys
    from pathlib import Path

    from common import format_table, pin_threads
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    pin_threads(1)
    print(format_table(run("--quick" in sys.argv)))
