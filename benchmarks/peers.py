"""minitorch_ref against the NumPy-based autodiff libraries a user would otherwise pick.

    python3 run.py bench --peers        # installs the peers into the venv, then runs this section
    python benchmarks/run.py --only peers --peers

Peers: MyGrad, HIPS autograd and Chainer. Chainer's last release, 7.8.1 (2022), does not import
on NumPy 2: ``chainer/functions/array/as_strided.py`` reads ``np.sctypes`` at import time, and NumPy
2.0 removed it (``AttributeError: `np.sctypes` was removed in the NumPy 2.0 release``). Only an
edit of Chainer's code (or of NumPy's namespace) would get past that, so on NumPy 2 the runner does
not install it and its column states the reason. It also needs setuptools < 81, which removed
``pkg_resources``: its setup.py imports it to build, and ``chainer/_environment_check.py`` imports
it on every ``import chainer``; on NumPy 1.x the runner installs it with that pin (``PIP_CONSTRAINT``
reaches pip's isolated build environment too). Each peer runs the same two training steps as ours, on the same
weights (torch's initialization, copied) and the same batch, and its first loss is checked
against torch's before anything is timed:

* MLP 784-256-256-10 with ReLU, batch 128, cross-entropy, plain SGD;
* the small CNN of the conv section: [Conv2d(1, 16, 3, p=1), ReLU, MaxPool2d(2),
  Conv2d(16, 32, 3, p=1), ReLU, MaxPool2d(2), Flatten, Linear(1568, 10)], batch 32 of 1x28x28,
  cross-entropy, plain SGD.

MyGrad has its own convolution and max-pooling layers; HIPS autograd has none, so its CNN uses
``autograd.scipy.signal.convolve`` (its documented way, as in its convnet example) on a padded
input, and max-pooling as a reshape and a max. Times are interleaved medians of thread CPU time
like every section; the ratio columns are minitorch_ref's time over each peer's (below 1: we are
faster).
"""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tempfile

import numpy as np

from common import interleaved

PEERS = {"MyGrad": ("mygrad", "mygrad"), "HIPS autograd": ("autograd", "autograd"),
         "Chainer": ("chainer", "chainer")}
# pins a peer needs in pip's constraints (its build environment and this venv alike)
PINS = {"Chainer": "setuptools<81\n"}
LR = 0.01


def blocker(label: str) -> str | None:
    """Why a peer cannot run on this NumPy at all (checked before installing), else None."""
    if label == "Chainer" and not hasattr(np, "sctypes"):
        return (f"Chainer 7.8.1 does not import on NumPy {np.__version__}: "
                "chainer/functions/array/as_strided.py reads np.sctypes, removed in NumPy 2.0")
    return None


def install_peers() -> dict:
    """pip-install every peer missing from this interpreter; returns {peer: error or None}."""
    status = {}
    for label, (module, dist) in PEERS.items():
        status[label] = blocker(label)
        if status[label]:
            continue
        try:
            importlib.import_module(module)
            continue
        except Exception:  # noqa: BLE001 - an import that fails for any reason is "not there"
            pass
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as pins:
            pins.write(PINS.get(label, ""))
            pins.flush()
            env = {**os.environ, "PIP_CONSTRAINT": pins.name} if label in PINS else None
            r = subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                                "--disable-pip-version-check", dist], capture_output=True,
                               text=True, env=env)
        if r.returncode != 0:
            lines = [ln for ln in (r.stderr or r.stdout).splitlines() if "Error" in ln]
            status[label] = f"pip install {dist} failed: {(lines or ['?'])[-1].strip()}"
            continue
        importlib.invalidate_caches()
        try:
            importlib.import_module(module)
            status[label] = None
        except Exception as e:  # noqa: BLE001 - e.g. a peer that no longer imports on NumPy 2
            status[label] = f"import {module} failed: {type(e).__name__}: {e}"
    return status


def _available(label: str) -> bool:
    try:
        importlib.import_module(PEERS[label][0])
        return True
    except Exception:  # noqa: BLE001
        return False


# -- the two models, as lists of float32 arrays in torch's parameter order --------------------------

def _mlp_torch(torch):
    nn = torch.nn
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, 10))


def _cnn_torch(T):
    nn = T.nn
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 7 * 7, 10))


def _torch_like_step(T, model, x, y):
    """zero_grad, forward, cross-entropy, backward, SGD (torch and minitorch_ref)."""
    params = list(model.parameters())
    opt = T.optim.SGD(params, lr=LR)

    def step():
        opt.zero_grad()
        loss = T.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


# -- MyGrad ----------------------------------------------------------------------------------------

def _mygrad_step(arrays, kind, x, y):
    import mygrad as mg
    from mygrad.nnet.layers import conv_nd, max_pool
    from mygrad.nnet.losses import softmax_crossentropy
    params = [mg.tensor(a.copy()) for a in arrays]

    def forward():
        if kind == "mlp":
            h = x
            for i in range(0, 6, 2):
                h = mg.matmul(h, params[i].T) + params[i + 1]
                if i < 4:
                    h = mg.nnet.relu(h)
            return h
        h = x
        for i in (0, 2):
            h = conv_nd(h, params[i], stride=1, padding=1) + params[i + 1][:, None, None]
            h = max_pool(mg.nnet.relu(h), (2, 2), 2)
        h = h.reshape(h.shape[0], -1)
        return mg.matmul(h, params[4].T) + params[5]

    def step():
        loss = softmax_crossentropy(forward(), y)
        loss.backward()
        for p in params:
            p.data -= LR * p.grad
        return float(loss.item())
    return step


# -- HIPS autograd ---------------------------------------------------------------------------------

def _autograd_step(arrays, kind, x, y):
    import autograd.numpy as anp
    from autograd import grad
    from autograd.scipy.special import logsumexp
    params = [a.copy() for a in arrays]
    n = x.shape[0]

    def conv(h, w, b):
        hp = anp.pad(h, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="constant")
        from autograd.scipy.signal import convolve
        # true convolution: the kernel flipped gives torch's cross-correlation
        out = convolve(hp, w[:, :, ::-1, ::-1], axes=([2, 3], [2, 3]), dot_axes=([1], [1]),
                       mode="valid")                     # (N, O, H, W)
        return out + b[None, :, None, None]

    def pool(h):
        s = h.shape
        return anp.max(h.reshape(s[0], s[1], s[2] // 2, 2, s[3] // 2, 2), axis=(3, 5))

    def loss_fn(ps):
        h = x
        if kind == "mlp":
            for i in range(0, 6, 2):
                h = anp.dot(h, ps[i].T) + ps[i + 1]
                if i < 4:
                    h = anp.maximum(h, 0)
        else:
            for i in (0, 2):
                h = pool(anp.maximum(conv(h, ps[i], ps[i + 1]), 0))
            h = anp.dot(anp.reshape(h, (n, -1)), ps[4].T) + ps[5]
        logp = h - logsumexp(h, axis=1, keepdims=True)
        return -anp.mean(logp[anp.arange(n), y])

    loss_grad = grad(loss_fn)

    def step():
        gs = loss_grad(params)
        for p, gp in zip(params, gs):
            p -= LR * gp
        return None
    step.loss = lambda: float(loss_fn(params))
    return step


# -- Chainer ---------------------------------------------------------------------------------------

def _chainer_step(arrays, kind, x, y):
    import chainer
    import chainer.functions as F
    params = [chainer.Parameter(a.copy()) for a in arrays]

    def forward():
        h = x
        if kind == "mlp":
            for i in range(0, 6, 2):
                h = F.linear(h, params[i], params[i + 1])
                if i < 4:
                    h = F.relu(h)
            return h
        for i in (0, 2):
            h = F.convolution_2d(h, params[i], params[i + 1], pad=1)
            h = F.max_pooling_2d(F.relu(h), 2, 2)
        return F.linear(F.reshape(h, (h.shape[0], -1)), params[4], params[5])

    def step():
        for p in params:
            p.cleargrad()
        loss = F.softmax_cross_entropy(forward(), y)
        loss.backward()
        for p in params:
            p.array -= LR * p.grad
        return float(loss.array)
    return step


_STEPS = {"MyGrad": _mygrad_step, "HIPS autograd": _autograd_step, "Chainer": _chainer_step}


def run(quick: bool = False) -> list:
    """One row per model: {name, torch, ours, <peer>: seconds or a reason it did not run}."""
    import torch

    import minitorch_ref as mt
    rng = np.random.default_rng(0)
    rows = []
    reps, inner = (3, 2) if quick else (7, 5)
    cases = [("mlp", "MLP 784-256-256-10, batch 128, SGD", _mlp_torch, (128, 784)),
             ("cnn", "small CNN (2 conv+pool blocks, Linear), batch 32 of 1x28x28, SGD",
              _cnn_torch, (32, 1, 28, 28))]
    for kind, label, build, shape in cases:
        x = rng.standard_normal(shape).astype(np.float32)
        y = rng.integers(0, 10, shape[0])
        torch.manual_seed(0)
        tm, om = build(torch), build(mt)
        om.load_state_dict(tm.state_dict())
        arrays = [p.detach().numpy().copy() for p in tm.parameters()]
        with torch.no_grad():
            ref = float(torch.nn.functional.cross_entropy(tm(torch.tensor(x)), torch.tensor(y)))
        fns = {"torch": _torch_like_step(torch, tm, torch.tensor(x), torch.tensor(y)),
               "ours": _torch_like_step(mt, om, mt.tensor(x), mt.tensor(y))}
        row = {"name": label}
        for peer in PEERS:
            if blocker(peer) or not _available(peer):
                row[peer] = "does not import on NumPy 2" if blocker(peer) else "not installed"
                continue
            step = _STEPS[peer](arrays, kind, x, y)
            first = step.loss() if hasattr(step, "loss") else step()
            if not np.isclose(first, ref, rtol=1e-4):
                raise AssertionError(f"{peer}'s {kind} loss {first} differs from torch's {ref}")
            fns[peer] = step
        t = interleaved(fns, reps=reps, inner=inner)
        row.update({k: v for k, v in t.items()})
        rows.append(row)
    return rows


def format_peers(rows: list) -> str:
    """A Markdown table: times, then minitorch_ref's time over each peer's."""
    head = ["benchmark", "torch", "minitorch_ref"] + list(PEERS) + \
        [f"ours / {p}" for p in PEERS]
    lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
    for r in rows:
        cells = [r["name"], _ms(r["torch"]), _ms(r["ours"])]
        cells += [_ms(r[p]) if isinstance(r[p], float) else r[p] for p in PEERS]
        cells += [f"{r['ours'] / r[p]:.2f}x" if isinstance(r[p], float) else "" for p in PEERS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f} ms"


if __name__ == "__main__":
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from common import pin_threads
    pin_threads(1)
    for peer, err in install_peers().items():
        if err:
            print(f"{peer}: {err}")
    print(format_peers(run("--quick" in sys.argv)))
