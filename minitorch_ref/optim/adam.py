"""Adam: adaptive moment estimation (with the AMSGrad variant and decoupled weight decay)."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from .optimizer import (Optimizer, _adam_moments_, _blocks, _bump_versions, _check_amp,
                        _check_capturable, _check_fused, _check_options, _copies_grad, _data,
                        _decayed_grad, _get_scalar_dtype, _grads, _scalar, _scalar_tensor,
                        _to_scalar, _zeros_like)

__all__ = ["Adam", "adam"]


class Adam(Optimizer):
    r"""Adam (``torch.optim.Adam``).

    Algorithm (``lr`` = gamma, ``betas`` = (beta1, beta2), ``weight_decay`` = lambda), for every
    parameter theta with gradient, at step t = 1, 2, ...::

        g_t = -grad f(theta_{t-1}) if maximize else grad f(theta_{t-1})
        if lambda != 0:
            decoupled_weight_decay:  theta_{t-1} = theta_{t-1} * (1 - gamma * lambda)   (AdamW)
            otherwise:               g_t = g_t + lambda * theta_{t-1}        (coupled L2 penalty)
        m_t = beta1 * m_{t-1} + (1 - beta1) * g_t           first moment  (``exp_avg``)
        v_t = beta2 * v_{t-1} + (1 - beta2) * g_t^2         second moment (``exp_avg_sq``)
        m_hat = m_t / (1 - beta1^t)                          bias corrections
        v_hat = v_t / (1 - beta2^t)
        amsgrad:  v_max_t = max(v_max_{t-1}, v_t)  and  v_hat = v_max_t / (1 - beta2^t)
        theta_t = theta_{t-1} - gamma * m_hat / (sqrt(v_hat) + eps)

    State: ``step`` (0-d float tensor), ``exp_avg``, ``exp_avg_sq``, and ``max_exp_avg_sq``
    with amsgrad.

    Bias correction: m and v start at zero, so early averages are biased towards zero by the
    factors (1 - beta^t); dividing by them removes that bias (without it the first steps would be
    about (1 - beta1) / sqrt(1 - beta2) ~ 3x too small for the defaults). torch evaluates the
    update as ``theta -= (gamma / (1 - beta1^t)) * m_t / (sqrt(v_t) / sqrt(1 - beta2^t) + eps)``,
    which places eps after the correction of v, as the formula above does; some texts add eps
    to sqrt(v_t) before correcting, which changes results when v is tiny.

    Weight decay here is an L2 penalty added to the gradient, so it passes through the adaptive
    scaling; AdamW (``decoupled_weight_decay=True``) shrinks the weights directly instead.
    """

    def __init__(self, params, lr: float | Tensor = 1e-3,
                 betas: tuple = (0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0,
                 amsgrad: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        if isinstance(lr, Tensor) and foreach and not capturable:
            raise ValueError(
                "lr as a Tensor is not supported for capturable=False and foreach=True")
        _check_options(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")
        for i in (0, 1):
            if isinstance(betas[i], Tensor):
                if not capturable and foreach:
                    raise ValueError(f"betas[{i}] as a Tensor is not supported for "
                                     "capturable=False and foreach=True")
                if betas[i].numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        betas = tuple(map(_to_scalar, betas))
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)
        _check_fused(fused, differentiable, foreach)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._set_group_defaults(amsgrad=False, maximize=False, foreach=None, capturable=False,
                                 differentiable=False, decoupled_weight_decay=False, fused=None)
        self._state_numbers_to_tensors(
            fused_or_capturable=lambda group: group["capturable"] or group["fused"])

    def _init_state(self, p: Tensor, group: dict) -> None:
        state = self.state[p]
        state["step"] = _scalar_tensor(0.0, _get_scalar_dtype(is_fused=group["fused"]))
        state["exp_avg"] = _zeros_like(p)
        state["exp_avg_sq"] = _zeros_like(p)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = _zeros_like(p)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            _check_capturable(group["capturable"], params)
            amsgrad = group["amsgrad"]
            exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps = self._state_arrays(
                params, group, "exp_avg", "exp_avg_sq", "max_exp_avg_sq" if amsgrad else None,
                "step")
            beta1, beta2 = group["betas"]
            adam(_data(params), _grads(params), exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps,
                 amsgrad=amsgrad, beta1=_scalar(beta1), beta2=_scalar(beta2),
                 lr=_scalar(group["lr"]), weight_decay=_scalar(group["weight_decay"]),
                 eps=_scalar(group["eps"]), maximize=group["maximize"],
                 decoupled_weight_decay=group["decoupled_weight_decay"])
            _bump_versions(params)
        return loss


def adam(params: list[np.ndarray], grads: list[np.ndarray], exp_avgs: list[np.ndarray],
         exp_avg_sqs: list[np.ndarray], max_exp_avg_sqs: list[np.ndarray],
         state_steps: list[np.ndarray], foreach: bool | None = None, capturable: bool = False,
         differentiable: bool = False, fused: bool | None = None, grad_scale=None,
         found_inf=None, has_complex: bool = False, decoupled_weight_decay: bool = False, *,
         amsgrad: bool, beta1: float, beta2: float, lr: float, weight_decay: float, eps: float,
         maximize: bool) -> None:
    """Apply one Adam step (see :class:`Adam`) in place to ``params`` and the state arrays.

    ``state_steps`` holds 0-d arrays, incremented here. The flags between the lists and ``*``
    are accepted for torch's signature: NumPy has one code path.
    """
    _check_amp(grad_scale, found_inf)
    g_copy = _copies_grad(weight_decay, maximize, decoupled_weight_decay)
    for i, param in enumerate(params):
        step_t = state_steps[i]
        step_t += 1
        step = step_t.item()
        bias_correction1 = 1 - beta1 ** step
        bias_correction2_sqrt = (1 - beta2 ** step) ** 0.5
        step_size = lr / bias_correction1
        eps_scaled, step_scaled = eps * bias_correction2_sqrt, step_size * bias_correction2_sqrt
        for p, g, m, v, v_max, tmp, *g_out in _blocks(
                param, grads[i], exp_avgs[i], exp_avg_sqs[i],
                max_exp_avg_sqs[i] if amsgrad else None, scratch=1 + g_copy):
            # L2: g += lambda theta; decoupled: theta *= 1 - lr lambda
            g = _decayed_grad(p, g, lr, weight_decay, decoupled_weight_decay, maximize, *g_out)
            _adam_moments_(m, v, g, beta1, beta2, tmp, step == 1)   # m_t, v_t
            if amsgrad:                                     # v_max = max(v_max, v)
                np.maximum(v_max, v, out=v_max)
                np.sqrt(v_max, out=tmp)
            else:
                np.sqrt(v, out=tmp)
            # theta -= step_size * m / (sqrt(v) / bc2_sqrt + eps), with bc2_sqrt moved from the
            # denominator into the scalar factor (one pass fewer)
            tmp += eps_scaled
            np.divide(m, tmp, out=tmp)
            tmp *= -step_scaled
            p += tmp
