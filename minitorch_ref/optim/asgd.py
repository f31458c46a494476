"""ASGD: averaged stochastic gradient descent (Polyak-Ruppert averaging)."""
from __future__ import annotations

import numpy as np

from .._dtype import get_default_dtype
from .._tensor import Tensor
from .optimizer import (Optimizer, _blocks, _bump_versions, _check_capturable, _check_options,
                        _copies_grad, _data, _descent_grad, _get_scalar_dtype, _grads, _scalar,
                        _scalar_tensor, _zeros_like)

__all__ = ["ASGD", "asgd"]


class ASGD(Optimizer):
    r"""ASGD (``torch.optim.ASGD``).

    Algorithm (``lr`` = gamma, ``lambd`` = lambda, ``alpha``, ``t0``, ``weight_decay`` = w)::

        g_t = -grad f(theta_{t-1}) if maximize else grad f(theta_{t-1})
        if w != 0:  g_t = g_t + w * theta_{t-1}
        theta_t = theta_{t-1} * (1 - lambda * eta_{t-1}) - eta_{t-1} * g_t
        ax_t = ax_{t-1} + mu_{t-1} * (theta_t - ax_{t-1})  if mu_{t-1} != 1  else theta_t
        eta_t = gamma / (1 + lambda * gamma * t)^alpha      (``eta``, starts at gamma)
        mu_t = 1 / max(1, t - t0)                          (``mu``, starts at 1)

    State: ``step``, ``eta``, ``mu`` (0-d tensors in the scalar dtype, float32 by default, so
    their values are rounded as in torch) and ``ax``, the running average of the iterates.
    The parameters themselves follow plain SGD with a decaying rate; the averaged weights
    ``ax`` (which only start to average after t0 steps) are what the method returns in theory,
    and are left in the state for the user to read.
    """

    def __init__(self, params, lr: float | Tensor = 1e-2, lambd: float = 1e-4,
                 alpha: float = 0.75, t0: float = 1e6, weight_decay: float = 0,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        _check_options(lr=lr, weight_decay=weight_decay)
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize, differentiable=differentiable,
                        capturable=capturable)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._set_group_defaults(foreach=None, maximize=False, differentiable=False,
                                 capturable=False)
        self._state_numbers_to_tensors(keys=("step", "eta", "mu"))

    def _init_state(self, p: Tensor, group: dict) -> None:
        state = self.state[p]
        state["step"] = _scalar_tensor(0.0)
        state["eta"] = _scalar_tensor(_scalar(group["lr"]), _get_scalar_dtype())
        state["mu"] = _scalar_tensor(1.0)
        state["ax"] = _zeros_like(p)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            _check_capturable(group["capturable"], params,
                              what="params, mus, etas, and state_steps")
            mus, axs, etas, steps = self._state_arrays(params, group, "mu", "ax", "eta", "step")
            asgd(_data(params), _grads(params), axs, mus, etas, steps,
                 lambd=_scalar(group["lambd"]), lr=_scalar(group["lr"]),
                 t0=_scalar(group["t0"]), alpha=_scalar(group["alpha"]),
                 weight_decay=_scalar(group["weight_decay"]), maximize=group["maximize"])
            _bump_versions(params)
        return loss


def asgd(params: list[np.ndarray], grads: list[np.ndarray], axs: list[np.ndarray],
         mus: list[np.ndarray], etas: list[np.ndarray], state_steps: list[np.ndarray],
         foreach: bool | None = None, maximize: bool = False, differentiable: bool = False,
         capturable: bool = False, has_complex: bool = False, *, lambd: float, lr: float,
         t0: float, alpha: float, weight_decay: float) -> None:
    """Apply one ASGD step (see :class:`ASGD`) in place; ``mus``, ``etas`` and ``state_steps``
    hold 0-d arrays. The flags between the lists and ``*`` are accepted for torch's signature:
    NumPy has one code path."""
    g_copy = _copies_grad(weight_decay, maximize)
    for i, param in enumerate(params):
        ax, mu, eta, step_t = axs[i], mus[i], etas[i], state_steps[i]
        step_t += 1
        eta_value, mu_value = eta.item(), mu.item()
        for p, g, a, tmp, *g_out in _blocks(param, grads[i], ax, scratch=1 + g_copy):
            g = _descent_grad(p, g, weight_decay, maximize, *g_out)
            p *= 1 - lambd * eta_value              # decay, then the SGD step
            np.multiply(g, eta_value, out=tmp)
            p -= tmp
            if mu_value != 1:                       # ax += mu * (theta - ax)
                np.subtract(p, a, out=tmp)
                tmp *= mu_value
                a += tmp
            else:
                np.copyto(a, p)

        # torch builds the new values as tensors of the default dtype, then copies them into
        # the state: they are rounded to float32 even when the state is float64 (a checkpoint
        # loaded for float64 parameters)
        step = step_t.item()
        default = get_default_dtype().np
        eta[...] = default.type(lr / ((1 + lambd * lr * step) ** alpha))
        mu[...] = default.type(1 / max(1, step - t0))
