"""AdamW: Adam with decoupled weight decay."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from .adam import Adam, adam

__all__ = ["AdamW", "adamw"]


class AdamW(Adam):
    r"""AdamW (``torch.optim.AdamW``): :class:`Adam` with ``decoupled_weight_decay=True`` and a
    default ``weight_decay`` of 1e-2.

    Algorithm: Adam's, except that weight decay acts on the weights directly before the
    adaptive step, instead of entering the gradient::

        theta_{t-1} = theta_{t-1} * (1 - lr * weight_decay)
        m_t, v_t, m_hat, v_hat as in Adam (from the plain gradient g_t)
        theta_t = theta_{t-1} - lr * m_hat / (sqrt(v_hat) + eps)

    Why it matters: with Adam's coupled L2 term the decay ``lambda * theta`` is divided by
    sqrt(v_hat) like the rest of the gradient, so parameters with large gradients are barely
    regularised. The decoupled form shrinks every weight by the same factor (1 - lr * lambda)
    per step (Loshchilov & Hutter, "Decoupled Weight Decay Regularization"). Note that the
    shrink factor uses the current lr, so a scheduler scales the decay too.
    """

    def __init__(self, params, lr: float | Tensor = 1e-3, betas: tuple = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True


def adamw(params: list[np.ndarray], grads: list[np.ndarray], exp_avgs: list[np.ndarray],
          exp_avg_sqs: list[np.ndarray], max_exp_avg_sqs: list[np.ndarray],
          state_steps: list[np.ndarray], foreach: bool | None = None, capturable: bool = False,
          differentiable: bool = False, fused: bool | None = None, grad_scale=None,
          found_inf=None, has_complex: bool = False, *, amsgrad: bool,
          beta1: float, beta2: float, lr: float, weight_decay: float, eps: float,
          maximize: bool) -> None:
    """One AdamW step: :func:`adam` with ``decoupled_weight_decay=True``."""
    adam(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps,
         grad_scale=grad_scale, found_inf=found_inf, decoupled_weight_decay=True,
         amsgrad=amsgrad, beta1=beta1, beta2=beta2, lr=lr, weight_decay=weight_decay, eps=eps,
         maximize=maximize)
