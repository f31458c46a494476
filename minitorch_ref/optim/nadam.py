"""NAdam: Adam with Nesterov momentum (Dozat), with torch's momentum-decay schedule."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from .optimizer import (Optimizer, _adam_moments_, _blocks, _bump_versions, _check_capturable,
                        _check_options, _copies_grad, _data, _decayed_grad, _grads, _scalar,
                        _scalar_tensor, _zeros_like)

__all__ = ["NAdam", "nadam"]


class NAdam(Optimizer):
    r"""NAdam (``torch.optim.NAdam``).

    Algorithm (``lr`` = gamma, ``betas`` = (beta1, beta2), ``momentum_decay`` = psi,
    ``weight_decay`` = lambda), at step t::

        g_t = -grad f(theta_{t-1}) if maximize else grad f(theta_{t-1})
        if lambda != 0:
            decoupled_weight_decay:  theta_{t-1} = theta_{t-1} * (1 - gamma * lambda)
            otherwise:               g_t = g_t + lambda * theta_{t-1}
        mu_t     = beta1 * (1 - 0.5 * 0.96^(t * psi))          momentum schedule
        mu_{t+1} = beta1 * (1 - 0.5 * 0.96^((t + 1) * psi))
        P_t = P_{t-1} * mu_t                                  (``mu_product``, P_0 = 1)
        m_t = beta1 * m_{t-1} + (1 - beta1) * g_t              (``exp_avg``)
        v_t = beta2 * v_{t-1} + (1 - beta2) * g_t^2            (``exp_avg_sq``)
        denom = sqrt(v_t / (1 - beta2^t)) + eps
        theta_t = theta_{t-1} - gamma * (1 - mu_t) / (1 - P_t) * g_t / denom
                              - gamma * mu_{t+1} / (1 - P_t * mu_{t+1}) * m_t / denom

    State: ``step``, ``mu_product`` (a 0-d float32 tensor, so the product is rounded to
    float32 every step, as in torch), ``exp_avg``, ``exp_avg_sq``. The Nesterov look-ahead
    applies the next step's momentum mu_{t+1} to m_t; the bias correction of m is the product
    of the scheduled momenta instead of beta1^t.
    """

    def __init__(self, params, lr: float | Tensor = 2e-3, betas: tuple = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        _check_options(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay,
                       momentum_decay=momentum_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
                        foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._set_group_defaults(maximize=False, foreach=None, capturable=False,
                                 differentiable=False, decoupled_weight_decay=False)
        self._state_numbers_to_tensors(keys=("step", "mu_product"))

    def _init_state(self, p: Tensor, group: dict) -> None:
        state = self.state[p]
        state["step"] = _scalar_tensor(0.0)
        state["mu_product"] = _scalar_tensor(1.0)
        state["exp_avg"] = _zeros_like(p)
        state["exp_avg_sq"] = _zeros_like(p)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            _check_capturable(group["capturable"], params,
                              what="params, mu_products and state_steps")
            exp_avgs, exp_avg_sqs, mu_products, steps = self._state_arrays(
                params, group, "exp_avg", "exp_avg_sq", "mu_product", "step")
            beta1, beta2 = group["betas"]
            nadam(_data(params), _grads(params), exp_avgs, exp_avg_sqs, mu_products, steps,
                  beta1=_scalar(beta1), beta2=_scalar(beta2), lr=_scalar(group["lr"]),
                  weight_decay=_scalar(group["weight_decay"]),
                  momentum_decay=_scalar(group["momentum_decay"]), eps=_scalar(group["eps"]),
                  decoupled_weight_decay=group["decoupled_weight_decay"],
                  maximize=group["maximize"])
            _bump_versions(params)
        return loss


def nadam(params: list[np.ndarray], grads: list[np.ndarray], exp_avgs: list[np.ndarray],
          exp_avg_sqs: list[np.ndarray], mu_products: list[np.ndarray],
          state_steps: list[np.ndarray], decoupled_weight_decay: bool = False,
          foreach: bool | None = None, capturable: bool = False, differentiable: bool = False,
          has_complex: bool = False, maximize: bool = False, *, beta1: float, beta2: float,
          lr: float, weight_decay: float, momentum_decay: float, eps: float) -> None:
    """Apply one NAdam step (see :class:`NAdam`) in place; ``mu_products`` and ``state_steps``
    hold 0-d arrays. The flags between the lists and ``*`` are accepted for torch's signature:
    NumPy has one code path."""
    g_copy = _copies_grad(weight_decay, maximize, decoupled_weight_decay)
    for i, param in enumerate(params):
        exp_avg, exp_avg_sq, mu_product, step_t = (exp_avgs[i], exp_avg_sqs[i],
                                                   mu_products[i], state_steps[i])
        step_t += 1
        step = step_t.item()
        bias_correction2 = 1 - beta2 ** step
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product *= mu                         # in the state's dtype (float32), as torch
        mu_prod = mu_product.item()
        mu_product_next = mu_prod * mu_next
        grad_coef = -lr * (1.0 - mu) / (1.0 - mu_prod)
        exp_avg_coef = (-lr * mu_next) / (1.0 - mu_product_next)
        # denom * sqrt(1 - beta2^t) = sqrt(v) + eps * sqrt(1 - beta2^t): the square root of
        # the bias correction moves from the denominator into the two coefficients
        bc2_sqrt = bias_correction2 ** 0.5
        eps_scaled = eps * bc2_sqrt
        grad_coef_scaled, exp_avg_coef_scaled = grad_coef * bc2_sqrt, exp_avg_coef * bc2_sqrt
        for p, g, m, v, tmp, tmp2, denom, *g_out in _blocks(
                param, grads[i], exp_avg, exp_avg_sq, scratch=3 + g_copy):
            # L2: g += lambda theta; decoupled: theta *= 1 - lr lambda
            g = _decayed_grad(p, g, lr, weight_decay, decoupled_weight_decay, maximize, *g_out)
            _adam_moments_(m, v, g, beta1, beta2, tmp, step == 1)   # m_t, v_t
            np.sqrt(v, out=denom)                        # sqrt(v / (1 - beta2^t)) + eps
            denom += eps_scaled
            np.multiply(g, grad_coef_scaled, out=tmp)    # the gradient's and the momentum's
            np.multiply(m, exp_avg_coef_scaled, out=tmp2)  # terms over one division
            tmp += tmp2
            tmp /= denom
            p += tmp
