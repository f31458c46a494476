"""RAdam: Adam whose adaptive step is switched on only once its variance is tractable."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from .optimizer import (Optimizer, _adam_moments_, _blocks, _bump_versions, _check_capturable,
                        _check_options, _copies_grad, _data, _decayed_grad, _grads, _scalar,
                        _scalar_tensor, _zeros_like)

__all__ = ["RAdam", "radam"]


class RAdam(Optimizer):
    r"""RAdam, rectified Adam (``torch.optim.RAdam``).

    Algorithm (``lr`` = gamma, ``betas`` = (beta1, beta2), ``weight_decay`` = lambda)::

        g_t = -grad f(theta_{t-1}) if maximize else grad f(theta_{t-1})
        if lambda != 0:
            decoupled_weight_decay:  theta_{t-1} = theta_{t-1} * (1 - gamma * lambda)
            otherwise:               g_t = g_t + lambda * theta_{t-1}
        m_t = beta1 * m_{t-1} + (1 - beta1) * g_t ;  m_hat = m_t / (1 - beta1^t)
        v_t = beta2 * v_{t-1} + (1 - beta2) * g_t^2
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
        if rho_t > 5:
            r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
            l_t = sqrt(1 - beta2^t) / (sqrt(v_t) + eps)
            theta_t = theta_{t-1} - gamma * m_hat * l_t * r_t
        else:
            theta_t = theta_{t-1} - gamma * m_hat             (plain momentum SGD)

    State: ``step``, ``exp_avg``, ``exp_avg_sq``. In the first steps the second-moment estimate
    rests on too few samples, so RAdam takes un-normalised momentum steps until rho_t > 5, then
    scales the Adam step by the rectification r_t. torch's threshold is 5 (the paper's is 4).
    """

    def __init__(self, params, lr: float | Tensor = 1e-3, betas: tuple = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        _check_options(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        decoupled_weight_decay=decoupled_weight_decay,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._set_group_defaults(foreach=None, maximize=False, differentiable=False,
                                 decoupled_weight_decay=False, capturable=False)
        self._state_numbers_to_tensors()

    def _init_state(self, p: Tensor, group: dict) -> None:
        state = self.state[p]
        state["step"] = _scalar_tensor(0.0)
        state["exp_avg"] = _zeros_like(p)
        state["exp_avg_sq"] = _zeros_like(p)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            _check_capturable(group["capturable"], params)
            exp_avgs, exp_avg_sqs, steps = self._state_arrays(
                params, group, "exp_avg", "exp_avg_sq", "step")
            beta1, beta2 = group["betas"]
            radam(_data(params), _grads(params), exp_avgs, exp_avg_sqs, steps,
                  beta1=_scalar(beta1), beta2=_scalar(beta2), lr=_scalar(group["lr"]),
                  weight_decay=_scalar(group["weight_decay"]), eps=_scalar(group["eps"]),
                  decoupled_weight_decay=group["decoupled_weight_decay"],
                  maximize=group["maximize"])
            _bump_versions(params)
        return loss


def radam(params: list[np.ndarray], grads: list[np.ndarray], exp_avgs: list[np.ndarray],
          exp_avg_sqs: list[np.ndarray], state_steps: list[np.ndarray],
          decoupled_weight_decay: bool = False, foreach: bool | None = None,
          differentiable: bool = False, capturable: bool = False, has_complex: bool = False,
          maximize: bool = False, *, beta1: float, beta2: float, lr: float,
          weight_decay: float, eps: float) -> None:
    """Apply one RAdam step (see :class:`RAdam`) in place. The flags between the lists and
    ``*`` are accepted for torch's signature: NumPy has one code path."""
    g_copy = _copies_grad(weight_decay, maximize, decoupled_weight_decay)
    for i, param in enumerate(params):
        exp_avg, exp_avg_sq, step_t = exp_avgs[i], exp_avg_sqs[i], state_steps[i]
        step_t += 1
        step = step_t.item()
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
        rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5 if rho_t > 5.0 else None
        # gamma / (1 - beta1^t), times sqrt(1 - beta2^t) r_t (l_t's numerator) when rectified:
        # the scalar factors of the update, folded into one
        scale = lr / bias_correction1
        if rect is not None:
            scale *= bias_correction2 ** 0.5 * rect
        for p, g, m, v, tmp, update, *g_out in _blocks(param, grads[i], exp_avg, exp_avg_sq,
                                                       scratch=2 + g_copy):
            # L2: g += lambda theta; decoupled: theta *= 1 - lr lambda
            g = _decayed_grad(p, g, lr, weight_decay, decoupled_weight_decay, maximize, *g_out)
            _adam_moments_(m, v, g, beta1, beta2, tmp, step == 1)   # m_t, v_t
            np.multiply(m, scale, out=update)            # gamma * m_hat (* sqrt(1 - beta2^t) r_t)
            if rect is not None:                         # / (sqrt(v_t) + eps)
                np.sqrt(v, out=tmp)
                tmp += eps
                update /= tmp
            p -= update
