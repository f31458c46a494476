"""Adafactor: adaptive step sizes from a factored second moment (sublinear memory)."""
from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor, _new_tensor
from .optimizer import (Optimizer, _bump_versions, _check_amp, _check_tensor_lr, _data, _grads,
                        _lerp_, _scalar_tensor, _to_scalar)

__all__ = ["Adafactor", "adafactor"]


class Adafactor(Optimizer):
    r"""Adafactor (``torch.optim.Adafactor``; Shazeer & Stern, 2018).

    Algorithm (``lr`` = gamma, ``beta2_decay`` = tau, ``eps`` = (eps1, eps2), ``d`` the clipping
    threshold, ``weight_decay`` = lambda), for every parameter theta with gradient, at step
    t = 1, 2, ...::

        G_t = -grad f(theta_{t-1}) if maximize else grad f(theta_{t-1})
        beta2_t = 1 - t^tau                                 (so 1 - beta2_t = t^tau; 1 at t = 1)
        rho_t = min(gamma, 1 / sqrt(t))                     relative step size
        alpha_t = max(eps2, RMS(theta_{t-1})) * rho_t       step scaled by the parameter's size
        theta_{t-1} = theta_{t-1} * (1 - gamma * lambda)    decoupled weight decay
        if G_t has 2+ dims (factored over the last two, n rows x m columns):
            R_t = beta2_t R_{t-1} + (1 - beta2_t) mean_j G_t^2      (``row_var``, (..., n, 1))
            C_t = beta2_t C_{t-1} + (1 - beta2_t) mean_i G_t^2      (``col_var``, (..., 1, m))
            V_t = R_t C_t / max(mean_i R_t, eps1)                   a rank-1 estimate of E[G^2]
        else:
            V_t = beta2_t V_{t-1} + (1 - beta2_t) G_t^2             (``variance``)
        U_t = G_t / max(sqrt(V_t), eps1)
        U_t = U_t / max(1, RMS(U_t) / d)                    update clipping
        theta_t = theta_{t-1} - alpha_t U_t

    with RMS(x) = ||x||_2 / sqrt(numel(x)) and eps1 = None meaning the machine epsilon of the
    (first) parameter's dtype.

    State: ``step``, then ``row_var`` and ``col_var`` for parameters of 2+ dims (n + m numbers
    per matrix instead of n m: the memory saving), or ``variance`` for vectors and scalars.

    Where torch's convention differs from the paper (torch's note, kept here): the paper uses no
    lr (rho_t = min(0.01, 1 / sqrt(t))); torch caps rho_t by lr and uses lr for the decoupled
    weight decay. The paper adds eps1 to G^2 inside R and C; torch leaves R and C alone and
    applies eps1 where it divides (max(mean R, eps1), max(sqrt(V), eps1)). The row and column
    factors are means rather than the paper's sums (the same estimate V, better scaled).
    """

    def __init__(self, params, lr: float | Tensor = 1e-2, beta2_decay: float = -0.8,
                 eps: tuple = (None, 1e-3), d: float = 1.0, weight_decay: float = 0.0, *,
                 foreach: bool | None = None, maximize: bool = False) -> None:
        _check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d,
                        weight_decay=weight_decay, foreach=foreach, maximize=maximize)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._set_group_defaults(foreach=None)
        self._state_numbers_to_tensors()

    def _init_state(self, p: Tensor, group: dict) -> None:
        state = self.state[p]
        state["step"] = _scalar_tensor(0.0)
        g = p._grad._data  # the factors take the gradient's dtype, as torch's new_zeros
        if g.ndim > 1:
            state["row_var"] = _zeros(g.shape[:-1] + (1,), g.dtype)
            state["col_var"] = _zeros(g.shape[:-2] + (1,) + g.shape[-1:], g.dtype)
        else:
            state["variance"] = _zeros(g.shape, g.dtype)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            row_vars, col_vars, steps = [], [], []
            variances = []
            states = [self.state[p] for p in params]
            for p, state in zip(params, states):
                if len(state) == 0:
                    self._init_state(p, group)
                row_vars.append(state["row_var"]._data if "row_var" in state else None)
                col_vars.append(state["col_var"]._data if "col_var" in state else None)
                variances.append(state["variance"]._data if "variance" in state else None)
                steps.append(state["step"]._data)
            eps1, eps2 = group["eps"]
            adafactor(_data(params), _grads(params), row_vars, col_vars, variances, steps,
                      d=group["d"], lr=_lr(group["lr"]), beta2_decay=group["beta2_decay"],
                      weight_decay=group["weight_decay"], eps1=eps1, eps2=eps2,
                      maximize=group["maximize"])
            _bump_versions(params)
        return loss


def _zeros(shape: tuple, dtype) -> Tensor:
    return _new_tensor(np.zeros(shape, dtype))


def _lr(lr):
    """A float lr as it is; a Tensor lr as a NumPy scalar of its dtype. torch computes with a
    Tensor lr in tensor arithmetic, so the products that involve it (rho_t * RMS, lr * lambda)
    round to the tensor's dtype; NumPy scalar arithmetic rounds the same way."""
    lr = _to_scalar(lr)
    if isinstance(lr, Tensor):
        return lr._data[()]
    return lr


def adafactor(params: list[np.ndarray], grads: list[np.ndarray],
              row_vars: list[np.ndarray | None], col_vars: list[np.ndarray | None],
              variances: list[np.ndarray | None], state_steps: list[np.ndarray],
              foreach: bool | None = None, grad_scale=None, found_inf=None,
              has_complex: bool = False, *, d: float, lr: float, beta2_decay: float,
              weight_decay: float, eps1: float | None, eps2: float, maximize: bool) -> None:
    """Apply one Adafactor step (see :class:`Adafactor`) in place.

    For a parameter of 2+ dims ``row_vars[i]``/``col_vars[i]`` hold its factors and
    ``variances[i]`` is None; for one of 0 or 1 dims it is the other way round. ``state_steps``
    holds 0-d arrays, incremented here. ``eps1=None`` takes the machine epsilon of the first
    parameter's dtype, and keeps it for the rest of the list (as torch's loop does, even for a
    parameter of another dtype). ``foreach`` is accepted for torch's signature: NumPy has one
    code path.
    """
    _check_amp(grad_scale, found_inf)
    for i, param in enumerate(params):
        grad = np.negative(grads[i]) if maximize else grads[i]
        if eps1 is None:
            eps1 = float(np.finfo(param.dtype).eps)
        step_t = state_steps[i]
        step_t += 1
        step = step_t.item()
        weight = step ** beta2_decay                         # 1 - beta2_t
        rho = min(lr, 1 / step ** 0.5)
        alpha = max(eps2, _norm(param) / param.size ** 0.5) * rho
        if weight_decay != 0:
            param *= 1 - lr * weight_decay
        if grad.ndim > 1:
            row_var, col_var = row_vars[i], col_vars[i]
            sq = np.square(grad)
            _lerp_(row_var, np.mean(sq, axis=-1, keepdims=True), weight,
                   np.empty_like(row_var))
            _lerp_(col_var, np.mean(sq, axis=-2, keepdims=True), weight,
                   np.empty_like(col_var))
            var_estimate = row_var * col_var                 # the outer product R C
            var_estimate /= np.maximum(np.mean(row_var, axis=-2, keepdims=True), eps1)
        else:
            variance = variances[i]
            _lerp_(variance, np.square(grad), weight, np.empty_like(variance))
            var_estimate = variance.copy()
        # max(sqrt(V), eps1) as sqrt(max(V, eps1^2)): one square root of the clamped V
        update = np.maximum(var_estimate, eps1 * eps1, out=var_estimate)
        np.sqrt(update, out=update)
        np.divide(grad, update, out=update)
        denom = max(1.0, _norm(update) / (update.size ** 0.5 * d))
        update *= -alpha / denom
        param += update


def _norm(a: np.ndarray) -> float:
    """The 2-norm of every element, as a Python float."""
    flat = a.reshape(-1)
    return math.sqrt(float(np.dot(flat, flat)))
