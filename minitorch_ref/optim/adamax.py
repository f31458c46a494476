"""Adamax: Adam with the infinity norm in place of the second moment."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from .optimizer import (Optimizer, _blocks, _bump_versions, _check_capturable, _check_options,
                        _copies_grad, _data, _descent_grad, _grads, _lerp_, _scalar, _scalar_tensor,
                        _zeros_like)

__all__ = ["Adamax", "adamax"]


class Adamax(Optimizer):
    r"""Adamax (``torch.optim.Adamax``), the infinity-norm variant of Adam.

    Algorithm (``lr`` = gamma, ``betas`` = (beta1, beta2), ``weight_decay`` = lambda)::

        g_t = -grad f(theta_{t-1}) if maximize else grad f(theta_{t-1})
        if lambda != 0:  g_t = g_t + lambda * theta_{t-1}
        m_t = beta1 * m_{t-1} + (1 - beta1) * g_t             (``exp_avg``)
        u_t = max(beta2 * u_{t-1}, |g_t| + eps)                (``exp_inf``)
        theta_t = theta_{t-1} - gamma / (1 - beta1^t) * m_t / u_t

    State: ``step``, ``exp_avg``, ``exp_inf``. Only m needs a bias correction: the running
    maximum u is not biased towards zero. torch adds eps inside the maximum (the paper has no
    eps), which keeps u positive.
    """

    def __init__(self, params, lr: float | Tensor = 2e-3, betas: tuple = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False,
                 capturable: bool = False) -> None:
        _check_options(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize, differentiable=differentiable,
                        capturable=capturable)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._set_group_defaults(foreach=None, maximize=False, differentiable=False,
                                 capturable=False)
        self._state_numbers_to_tensors()

    def _init_state(self, p: Tensor, group: dict) -> None:
        state = self.state[p]
        state["step"] = _scalar_tensor(0.0)
        state["exp_avg"] = _zeros_like(p)
        state["exp_inf"] = _zeros_like(p)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            _check_capturable(group["capturable"], params)
            exp_avgs, exp_infs, steps = self._state_arrays(
                params, group, "exp_avg", "exp_inf", "step")
            beta1, beta2 = group["betas"]
            adamax(_data(params), _grads(params), exp_avgs, exp_infs, steps,
                   eps=_scalar(group["eps"]), beta1=_scalar(beta1), beta2=_scalar(beta2),
                   lr=_scalar(group["lr"]), weight_decay=_scalar(group["weight_decay"]),
                   maximize=group["maximize"])
            _bump_versions(params)
        return loss


def adamax(params: list[np.ndarray], grads: list[np.ndarray], exp_avgs: list[np.ndarray],
           exp_infs: list[np.ndarray], state_steps: list[np.ndarray],
           foreach: bool | None = None, maximize: bool = False, differentiable: bool = False,
           capturable: bool = False, has_complex: bool = False, *, eps: float, beta1: float,
           beta2: float, lr: float, weight_decay: float) -> None:
    """Apply one Adamax step (see :class:`Adamax`) in place. The flags between the lists and
    ``*`` are accepted for torch's signature: NumPy has one code path."""
    g_copy = _copies_grad(weight_decay, maximize)
    for i, param in enumerate(params):
        step_t = state_steps[i]
        step_t += 1
        step = step_t.item()
        clr = lr / (1 - beta1 ** step)
        for p, g, m, u, tmp, *g_out in _blocks(param, grads[i], exp_avgs[i], exp_infs[i],
                                               scratch=1 + g_copy):
            g = _descent_grad(p, g, weight_decay, maximize, *g_out)
            _lerp_(m, g, 1 - beta1, tmp, step == 1)   # m = beta1 m + (1 - beta1) g
            u *= beta2                            # u = max(beta2 u, |g| + eps)
            np.abs(g, out=tmp)
            tmp += eps
            np.maximum(u, tmp, out=u)
            np.multiply(m, -clr, out=tmp)         # theta -= clr * m / u
            tmp /= u                              # (torch's addcdiv: (value * m) / u)
            p += tmp
