"""Adadelta: step sizes from the ratio of running RMS of updates and of gradients."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from .optimizer import (Optimizer, _blocks, _bump_versions, _check_capturable, _check_options,
                        _copies_grad, _data, _descent_grad, _grads, _scalar, _scalar_tensor,
                        _square_avg_, _zeros_like)

__all__ = ["Adadelta", "adadelta"]


class Adadelta(Optimizer):
    r"""Adadelta (``torch.optim.Adadelta``).

    Algorithm (``lr`` = gamma, ``rho`` = decay rate, ``weight_decay`` = lambda), for every
    parameter theta with gradient::

        g_t = -grad f(theta_{t-1}) if maximize else grad f(theta_{t-1})
        if lambda != 0:  g_t = g_t + lambda * theta_{t-1}
        v_t = rho * v_{t-1} + (1 - rho) * g_t^2                       (``square_avg``)
        dx_t = sqrt(u_{t-1} + eps) / sqrt(v_t + eps) * g_t             (the update direction)
        u_t = rho * u_{t-1} + (1 - rho) * dx_t^2                      (``acc_delta``)
        theta_t = theta_{t-1} - gamma * dx_t

    State: ``step``, ``square_avg`` (v), ``acc_delta`` (u). The ratio of the two running RMS
    values gives each weight a step size with the units of the weight; Zeiler's paper has no
    learning rate (gamma = 1, torch's default) and eps inside both square roots, as here.
    """

    def __init__(self, params, lr: float | Tensor = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *,
                 capturable: bool = False, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_options(lr=lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        _check_options(eps=eps, weight_decay=weight_decay)
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._set_group_defaults(foreach=None, maximize=False, differentiable=False,
                                 capturable=False)
        self._state_numbers_to_tensors()

    def _init_state(self, p: Tensor, group: dict) -> None:
        state = self.state[p]
        state["step"] = _scalar_tensor(0.0)
        state["square_avg"] = _zeros_like(p)
        state["acc_delta"] = _zeros_like(p)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            # Adadelta's device list has no 'xla', unlike the others' (torch's message)
            _check_capturable(group["capturable"], params,
                              devices="['cuda', 'xpu', 'hpu', 'privateuseone']")
            square_avgs, acc_deltas, steps = self._state_arrays(
                params, group, "square_avg", "acc_delta", "step")
            adadelta(_data(params), _grads(params), square_avgs, acc_deltas, steps,
                     lr=_scalar(group["lr"]), rho=_scalar(group["rho"]),
                     eps=_scalar(group["eps"]), weight_decay=_scalar(group["weight_decay"]),
                     maximize=group["maximize"])
            _bump_versions(params)
        return loss


def adadelta(params: list[np.ndarray], grads: list[np.ndarray], square_avgs: list[np.ndarray],
             acc_deltas: list[np.ndarray], state_steps: list[np.ndarray],
             capturable: bool = False, foreach: bool | None = None,
             differentiable: bool = False, has_complex: bool = False, *, lr: float, rho: float,
             eps: float, weight_decay: float, maximize: bool) -> None:
    """Apply one Adadelta step (see :class:`Adadelta`) in place. The flags between the lists
    and ``*`` are accepted for torch's signature: NumPy has one code path."""
    g_copy = _copies_grad(weight_decay, maximize)
    for param, grad, square_avg, acc_delta, step_t in zip(params, grads, square_avgs,
                                                          acc_deltas, state_steps):
        step_t += 1
        for p, g, v, u, tmp, std, delta, *g_out in _blocks(
                param, grad, square_avg, acc_delta, scratch=3 + g_copy):
            g = _descent_grad(p, g, weight_decay, maximize, *g_out)
            _square_avg_(v, g, rho, tmp)         # v = rho v + (1 - rho) g^2
            np.add(v, eps, out=std)              # dx = sqrt(u + eps) / sqrt(v + eps) * g,
            np.add(u, eps, out=delta)            # as sqrt((u + eps) / (v + eps)) * g: one
            delta /= std                         # square root in place of two
            np.sqrt(delta, out=delta)
            delta *= g
            _square_avg_(u, delta, rho, tmp)     # u = rho u + (1 - rho) dx^2
            delta *= -lr                         # theta -= lr dx
            p += delta
