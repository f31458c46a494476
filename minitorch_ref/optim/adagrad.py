"""Adagrad: per-parameter (per-feature) learning rates from accumulated squared gradients."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _new_tensor
from .optimizer import (Optimizer, _blocks, _bump_versions, _check_amp, _check_fused,
                        _check_options, _copies_grad, _data, _descent_grad, _get_scalar_dtype,
                        _grads, _scalar, _scalar_tensor, _state_array)

__all__ = ["Adagrad", "adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad (``torch.optim.Adagrad``).

    Algorithm (``lr`` = gamma, ``lr_decay`` = eta, ``weight_decay`` = lambda,
    ``initial_accumulator_value`` = tau), for every parameter theta with gradient, at step t::

        g_t = -grad f(theta_{t-1}) if maximize else grad f(theta_{t-1})
        if lambda != 0:  g_t = g_t + lambda * theta_{t-1}
        gamma_t = gamma / (1 + (t - 1) * eta)
        G_t = G_{t-1} + g_t^2                    (``sum``, starts at tau; elementwise square)
        theta_t = theta_{t-1} - gamma_t * g_t / (sqrt(G_t) + eps)

    State: ``step`` and ``sum`` (G). Unlike the other optimizers, Adagrad creates both for every
    parameter in ``__init__``, as torch does.

    Per-feature learning rates: the effective step size of each element is
    ``gamma_t / (sqrt(G_t) + eps)``, a separate rate for every weight. A weight whose gradient
    is often large (a frequent feature) accumulates a large G and takes small steps; a weight
    that rarely receives gradient (a rare, sparse feature) keeps a small G and takes large
    steps when it finally does. The rates only shrink, since G only grows; that is what RMSprop
    and Adam change by averaging instead of summing.
    """

    def __init__(self, params, lr: float | Tensor = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        _check_options(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                       initial_accumulator_value=initial_accumulator_value, eps=eps)
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        _check_fused(fused, differentiable, foreach)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, group)

    def _init_state(self, p: Tensor, group: dict) -> None:
        state = self.state[p]
        state["step"] = _scalar_tensor(0.0, _get_scalar_dtype(is_fused=group["fused"]))
        # torch fills from the optimizer's default, not the group's value (also in step)
        state["sum"] = _new_tensor(
            _state_array(p._data, fill=self.defaults["initial_accumulator_value"]))

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._set_group_defaults(foreach=None, maximize=False, differentiable=False, fused=None)
        self._state_numbers_to_tensors(fused_or_capturable=lambda group: group["fused"])

    def share_memory(self) -> None:
        """No-op: there is no separate shared memory for NumPy arrays within one process."""

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            # a parameter added after __init__ (add_param_group) gets its state here
            sums, steps = self._state_arrays(params, group, "sum", "step")
            adagrad(_data(params), _grads(params), sums, steps, lr=_scalar(group["lr"]),
                    weight_decay=_scalar(group["weight_decay"]),
                    lr_decay=_scalar(group["lr_decay"]), eps=_scalar(group["eps"]),
                    maximize=group["maximize"])
            _bump_versions(params)
        return loss


def adagrad(params: list[np.ndarray], grads: list[np.ndarray], state_sums: list[np.ndarray],
            state_steps: list[np.ndarray], fused: bool | None = None, grad_scale=None,
            found_inf=None, has_sparse_grad: bool = False, foreach: bool | None = None,
            differentiable: bool = False, has_complex: bool = False, *, lr: float,
            weight_decay: float, lr_decay: float, eps: float, maximize: bool) -> None:
    """Apply one Adagrad step (see :class:`Adagrad`) in place; ``state_steps`` holds 0-d arrays.
    The flags between the lists and ``*`` are accepted for torch's signature: NumPy has one
    code path."""
    _check_amp(grad_scale, found_inf)
    g_copy = _copies_grad(weight_decay, maximize)
    for param, grad, state_sum, step_t in zip(params, grads, state_sums, state_steps):
        step_t += 1
        step = step_t.item()
        clr = lr / (1 + (step - 1) * lr_decay)
        for p, g, G, tmp, *g_out in _blocks(param, grad, state_sum, scratch=1 + g_copy):
            g = _descent_grad(p, g, weight_decay, maximize, *g_out)
            np.multiply(g, g, out=tmp)           # G += g^2
            G += tmp
            np.sqrt(G, out=tmp)                  # std = sqrt(G) + eps
            tmp += eps
            np.divide(g, tmp, out=tmp)           # theta -= clr * g / std (torch's addcdiv
            tmp *= -clr                          # rounds (value g) / std: one scratch block
            p += tmp                             # fewer, within the parity tolerance)
