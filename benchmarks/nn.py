"""nn layers in torch and minitorch_ref: forward + backward of the normalization layers,
Linear, the softmax family, the common activations and Embedding, at sizes of small CNN/MLP/text
models; plus the Module machinery alone (a 6-layer Sequential of tiny layers, where per-call
overhead dominates).

Each call runs the layer on an input that requires grad and backpropagates a fixed upstream
gradient (the leaves' .grad are dropped first, so nothing accumulates). Ours: one fused kernel
per normalization (closed-form backward), one GEMM per Linear product.

The "NumPy floor" of the rows with a goal (issue 16: <= 1.5x torch) is the same arithmetic in
bare NumPy: forward and backward as the kernel computes them, every full-size result written
into an array allocated once outside the timed call, no autograd, no Tensor. It is what these
NumPy passes cost by themselves; where it is above 1.5x torch's time, the goal is out of reach
for a kernel made of these NumPy calls (torch does each in one or two fused passes). For the
normalizations the kernel's arithmetic is the one with the fewest passes found so far (the
backward from x, as torch's; group norm's variance in one pass where it is accurate), so a
different arithmetic would have to beat this floor, not only the kernel.
"""
from __future__ import annotations

import math

import numpy as np

from common import Result, interleaved

GOAL = 1.5   # issue 16: normalization layers, softmax/log_softmax, GELU, SiLU


def _layer_norm_floor(x, w, b, groups=None, eps=1e-5, block=1 << 18):
    """LayerNorm over the last dim (``groups=None``, affine of the last dim) or GroupNorm
    (statistics over ``(N, groups, -1)``, per-channel affine), forward + backward with an
    upstream gradient of ones, as ``Normalize``'s blocked form computes them: block by block of
    rows (``block`` elements), the sums as BLAS products (the kernel's ``_row_sum``), NumPy's
    ufunc buffer one row long (the kernel's ``_row_buffer``), the backward from x (torch's
    form). Layer norm: forward xc formed in the output, 3 passes in place, 2 row sums;
    backward 6 passes (g x, g w, by rstd, x p, two adds) and BLAS products for the 4 sums.
    Group norm (the one-pass forward, as the kernel takes on these inputs): per-group sums of
    x and x^2 over the whole input, then 2 passes (x a, + shift); backward per block 2
    per-channel sums and one stacked product for the per-group factors, 4 passes (g a, x k,
    two adds)."""
    from minitorch_ref.nn.functional.normalization import _row_buffer, _row_sum
    if groups is None:
        rows, groups, per, tail = x.size // x.shape[-1], 1, x.shape[-1], (x.shape[-1],)
    else:
        rows, per = x.shape[0], x.size // (x.shape[0] * groups)
        tail = (x.shape[1], x.size // (x.shape[0] * x.shape[1]))
    xs, g = x.reshape(rows, groups, per), np.ones((rows, groups, per), x.dtype)
    out, gx = np.empty_like(xs), np.empty_like(xs)
    mean, var, rstd = (np.empty((rows, groups, 1), x.dtype) for _ in range(3))
    count = x.dtype.type(per)
    step = max(1, block // (groups * per))
    parts = [slice(i, i + step) for i in range(0, rows, step)]
    t = np.empty_like(xs[parts[0]])
    cg = tail[0] // groups
    ones_r = np.ones(step, x.dtype)
    ones_per, ones_hw = np.ones(per, x.dtype), np.ones(tail[-1], x.dtype)

    def layer_norm():
        with _row_buffer(per):
            for p in parts:
                np.divide(_row_sum(xs[p]), count, out=mean[p])
                c = np.subtract(xs[p], mean[p], out=out[p])
                np.divide(_row_sum(c, c), count, out=var[p])
                np.reciprocal(np.sqrt(var[p] + eps), out=rstd[p])
                c *= rstd[p]
                c *= w
                c += b
            gw, gb = np.zeros(per, x.dtype), np.zeros(per, x.dtype)
            for p in parts:                                      # backward
                g2, x2, t2 = g[p].reshape(-1, per), xs[p].reshape(-1, per), t.reshape(-1, per)
                r, m, d = rstd[p].reshape(-1), mean[p].reshape(-1), gx[p].reshape(-1, per)
                np.multiply(g2, x2, out=t2)
                gw += r @ t2 - (r * m) @ g2
                gb += ones_r[:len(g2)] @ g2
                ds, db = t2 @ w, g2 @ w
                pr = (m * db - ds) * (r * r * r) / count
                q = -pr * m - db * r / count
                np.multiply(g2, w, out=d)
                d *= r[:, None]
                np.multiply(x2, pr[:, None], out=t2)
                d += t2
                d += q[:, None]

    def group_norm():
        xv, gv = x.reshape((rows,) + tail), g.reshape((rows,) + tail)
        ov, gxv = out.reshape(xv.shape), gx.reshape(xv.shape)
        xq = x.reshape(rows * groups, per)
        m = (xq @ ones_per / count).reshape(rows, groups, 1)
        msq = np.matmul(xq[:, None, :], xq[:, :, None]).reshape(m.shape) / count
        r = 1 / np.sqrt(np.maximum(msq - m * m, 0) + eps)
        a = (r * w.reshape(groups, cg)).reshape(rows, tail[0], 1)
        shift = b.reshape(tail[0], 1) - np.repeat(m, cg, axis=1) * a
        a1 = (a.reshape(rows, groups, cg) * (r * r / count))[..., None]
        inv_r2 = 1 / (r * r)
        sums = np.empty((2, rows, tail[0]), x.dtype)
        with _row_buffer(tail[-1]):
            for p in parts:
                o = np.multiply(xv[p], a[p], out=ov[p])
                o += shift[p]
            for p in parts:                                      # backward
                n = len(xv[p])
                np.matmul(gv[p].reshape(-1, tail[1]), ones_hw, out=sums[0, p].reshape(-1))
                np.matmul(gv[p][..., None, :], xv[p][..., :, None],
                          out=sums[1, p][..., None, None])
                t0, t1 = np.matmul(sums[:, p].reshape(2, n, groups, 1, cg), a1[p])[..., 0]
                k = t1 - m[p] * t0
                sh = k * m[p] - t0 * inv_r2[p]
                np.multiply(gv[p], a[p], out=gxv[p])
                tp = t[:n]
                np.multiply(xs[p], k, out=tp)
                gx[p] -= tp
                gx[p] += sh
            sg = sums.reshape(2, rows, groups, cg)
            ((sg[1] - m * sg[0]) * r).sum(0), sums[0].sum(0)     # dL/dw, dL/db

    return layer_norm if len(tail) == 1 else group_norm


def _softmax_floor(x, log=False):
    """softmax / log_softmax over the last dim, forward + backward (upstream gradient of ones)
    as ``Softmax`` / ``LogSoftmax`` compute them on logits this size (``_exp_rows``: exp(x)
    needs no max shift, its row sums are in range)."""
    out, tmp, gx = np.empty_like(x), np.empty_like(x), np.empty_like(x)
    g = np.ones_like(x)

    def step():
        if log:
            np.exp(x, out=tmp)                                   # kept for the backward
            s = np.einsum("ab->a", tmp)[:, None]
            np.subtract(x, np.log(s), out=out)
            np.multiply(tmp, np.einsum("ab->a", g)[:, None] / s, out=gx)   # backward
            np.subtract(g, gx, out=gx)
        else:
            np.exp(x, out=out)
            np.divide(out, np.einsum("ab->a", out)[:, None], out=out)
            dot = np.matmul(g[:, None, :], out[:, :, None])[:, 0]           # backward
            np.subtract(g, dot, out=gx)
            np.multiply(gx, out, out=gx)
    return step


def _gelu_floor(x):
    """Exact GELU forward + backward as ``Gelu`` computes them: x Phi(x) and the derivative
    Phi + x phi block by block from the library's NumPy normal CDF (NumPy has no erf:
    exp(-x^2 / 2) t P(t) / 2 with t = 1 / (1 + p |x| / sqrt 2), 26 passes per block), then the
    backward ``g * derivative``."""
    from minitorch_ref._ops._erf import gelu_parts
    d, g = np.empty_like(x), np.ones_like(x)

    def step():
        _, deriv = gelu_parts(x)
        np.multiply(g, deriv, out=d)                             # backward
    return step


def _silu_floor(x):
    """SiLU forward + backward: q = 1 + exp2(-x log2 e), out = x / q; g (1 + x - x / q) / q
    (the passes of ``sigmoid_denominator`` and ``Silu``)."""
    q, out, d, g = np.empty_like(x), np.empty_like(x), np.empty_like(x), np.ones_like(x)

    def step():
        np.multiply(x, -math.log2(math.e), out=q)     # a Python float, so float32 stays float32
        np.exp2(q, out=q)
        np.add(q, 1, out=q)
        np.divide(x, q, out=out)
        np.divide(x, q, out=d)                                   # backward
        np.subtract(x, d, out=d)
        np.add(d, 1, out=d)
        np.divide(d, q, out=d)
        np.multiply(d, g, out=d)
    return step


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
    gn_w = env["torch"]["gn"].weight.detach().numpy()
    ln_w = env["torch"]["ln"].weight.detach().numpy()
    floors = {
        "GroupNorm": _layer_norm_floor(x_img, gn_w, gn_w.copy(), groups=8),
        "LayerNorm": _layer_norm_floor(x_seq, ln_w, ln_w.copy()),
        "softmax": _softmax_floor(x_mat), "log_softmax": _softmax_floor(x_mat, log=True),
        "gelu": _gelu_floor(x_mat), "silu": _silu_floor(x_mat)}
    goals = ("BatchNorm2d", "GroupNorm", "LayerNorm", "softmax", "log_softmax", "gelu", "silu")
    results = []
    for name, fn in cases.items():
        fns = {k: (lambda k=k: fn(env[k])) for k in env}
        key = name.split(" ")[0].split("(")[0]
        if key in floors:
            fns["floor"] = floors[key]
        times = interleaved(fns, reps, inner)
        results.append(Result("nn", name + " fwd+bwd", times["torch"], times["ours"],
                              floor_s=times.get("floor"),
                              goal=GOAL if key in goals else None))
    return results


if __name__ == "__main__":
    import sys
    from pathlib import Path

    from common import format_table, pin_threads
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    pin_threads(1)
    print(format_table(run("--quick" in sys.argv)))
