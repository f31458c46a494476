"""A small training problem run side by side in torch and minitorch_ref.

``Problem(T, dtype)`` holds leaf tensors W1 (5x4), b1 (4,), W2 (4x3) and an unused parameter U
(its ``.grad`` stays None), the data X, Y, and the loss ``mean((relu(X W1 + b1) W2 - Y)^2)``.
Both libraries start from the same arrays; ``compare`` checks parameters and every optimizer
state entry against torch with the harness tolerances.
"""
from __future__ import annotations

import numpy as np
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, tol


def problem_arrays(dtype, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.standard_normal((5, 4)).astype(dtype),
        "b1": rng.standard_normal(4).astype(dtype) * 0.1,
        "W2": rng.standard_normal((4, 3)).astype(dtype),
        "U": rng.standard_normal(2).astype(dtype),
        "X": rng.standard_normal((12, 5)).astype(dtype),
        "Y": rng.standard_normal((12, 3)).astype(dtype),
    }


class Problem:
    def __init__(self, T, dtype, seed: int = 0) -> None:
        self.T = T
        arrays = problem_arrays(dtype, seed)
        self.params = {k: T.tensor(arrays[k].copy(), requires_grad=True)
                       for k in ("W1", "b1", "W2", "U")}
        self.X, self.Y = T.tensor(arrays["X"]), T.tensor(arrays["Y"])

    def loss(self, sign: float = 1.0):
        p = self.params
        out = (self.X @ p["W1"] + p["b1"]).relu() @ p["W2"]
        return ((out - self.Y) ** 2).mean() * sign

    def groups(self, lr2: float | None = None, extra2: dict | None = None) -> list:
        """Two parameter groups: [W1, b1] with the defaults, [W2, U] with ``lr2``/``extra2``."""
        p = self.params
        g2 = {"params": [p["W2"], p["U"]], **(extra2 or {})}
        if lr2 is not None:
            g2["lr"] = lr2
        return [{"params": [p["W1"], p["b1"]]}, g2]

    def closure(self, opt, sign: float = 1.0):
        def fn():
            opt.zero_grad()
            loss = self.loss(sign)
            loss.backward()
            return loss
        return fn


def to_np(x):
    if isinstance(x, (torch.Tensor, mt.Tensor)):
        return x.detach().numpy()
    return x


def compare_state(ours_state: dict, torch_state: dict, what: str, scale: float = 1.0,
                  float_rtol: float = 1e-10) -> None:
    """Same keys; tensors equal within tolerance with the same dtype; Python floats (LBFGS's
    ``prev_loss``, ``t``) within ``float_rtol * scale``; other values equal, with their type."""
    assert sorted(ours_state) == sorted(torch_state), \
        f"{what}: state keys {sorted(ours_state)} != torch's {sorted(torch_state)}"
    for key, theirs in torch_state.items():
        ours = ours_state[key]
        if isinstance(theirs, torch.Tensor):
            assert isinstance(ours, mt.Tensor), f"{what}[{key}]: {type(ours)} is not a Tensor"
            assert_close(ours, theirs, f"{what}[{key}]", scale)
        elif isinstance(theirs, list):
            assert isinstance(ours, list) and len(ours) == len(theirs), f"{what}[{key}]"
            for i, (o, t) in enumerate(zip(ours, theirs)):
                if isinstance(t, torch.Tensor):
                    assert_close(o, t, f"{what}[{key}][{i}]", scale)
                else:
                    assert o == t or (o is None and t is None), f"{what}[{key}][{i}]"
        elif isinstance(theirs, float):
            np.testing.assert_allclose(ours, theirs, rtol=float_rtol * scale,
                                       err_msg=f"{what}[{key}]")
            assert type(ours) is type(theirs), f"{what}[{key}]: {type(ours)} != {type(theirs)}"
        else:
            assert ours == theirs and type(ours) is type(theirs), \
                f"{what}[{key}]: {ours!r} != torch's {theirs!r}"


def compare(probs: dict, opts: dict, what: str = "", scale: float = 1.0) -> None:
    """Parameters, gradients' untouchedness aside, and every state entry, ours vs torch."""
    for name, p_t in probs[torch].params.items():
        p_o = probs[mt].params[name]
        assert_close(p_o, p_t, f"{what} param {name}", scale)
        float_rtol = tol(p_t.detach().numpy().dtype)["rtol"]
        compare_state(opts[mt].state.get(p_o, {}), opts[torch].state.get(p_t, {}),
                      f"{what} state of {name}", scale, float_rtol)
    compare_groups(opts[mt].param_groups, opts[torch].param_groups, what)


def compare_groups(ours: list, theirs: list, what: str = "") -> None:
    assert len(ours) == len(theirs)
    for go, gt in zip(ours, theirs):
        assert sorted(go) == sorted(gt), f"{what}: group keys {sorted(go)} != {sorted(gt)}"
        for k in gt:
            if k != "params":
                assert go[k] == gt[k], f"{what}: group[{k!r}] {go[k]!r} != torch's {gt[k]!r}"


def make_pair(name: str, kwargs: dict, dtype, lr2: float | None = None,
              extra2: dict | None = None, seed: int = 0):
    probs, opts = {}, {}
    for T in LIBS:
        probs[T] = Problem(T, dtype, seed)
        opts[T] = getattr(T.optim, name)(probs[T].groups(lr2, extra2), **kwargs)
    return probs, opts
