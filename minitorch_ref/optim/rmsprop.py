"""RMSprop: divide the gradient by a running root-mean-square of recent gradients."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from .optimizer import (Optimizer, _blocks, _check_capturable, _check_differentiable,
                        _check_tensor_lr, _descent_grad, _lerp_, _scalar, _scalar_tensor,
                        _step_tensor_from, _zeros_like)

__all__ = ["RMSprop", "rmsprop"]


class RMSprop(Optimizer):
    r"""RMSprop (``torch.optim.RMSprop``).

    Algorithm (``lr`` = gamma, ``alpha`` = smoothing constant, ``momentum`` = mu,
    ``weight_decay`` = lambda), for every parameter theta with gradient, at step t::

        g_t = -grad f(theta_{t-1}) if maximize else grad f(theta_{t-1})
        if lambda != 0:  g_t = g_t + lambda * theta_{t-1}
        v_t = alpha * v_{t-1} + (1 - alpha) * g_t^2          (``square_avg``)
        if centered:
            a_t = alpha * a_{t-1} + (1 - alpha) * g_t          (``grad_avg``)
            denom = sqrt(v_t - a_t^2) + eps                  (a running standard deviation)
        else:
            denom = sqrt(v_t) + eps
        if mu > 0:
            b_t = mu * b_{t-1} + g_t / denom                   (``momentum_buffer``)
            theta_t = theta_{t-1} - gamma * b_t
        else:
            theta_t = theta_{t-1} - gamma * g_t / denom

    State: ``step``, ``square_avg``, ``momentum_buffer`` when momentum > 0, ``grad_avg`` when
    centered. Note eps is added outside the square root (some texts put it inside), and the
    momentum buffer, as in SGD, holds the lr-free velocity.
    """

    def __init__(self, params, lr: float | Tensor = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("momentum", 0)
            group.setdefault("centered", False)
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)
            for p in group["params"]:
                p_state = self.state.get(p, {})
                if p_state and not isinstance(p_state["step"], Tensor):
                    p_state["step"] = _step_tensor_from(p_state["step"], group)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params = [p for p in group["params"] if p._grad is not None]
            _check_differentiable(group, params)
            _check_capturable(group["capturable"], params)
            momentum, centered = group["momentum"], group["centered"]
            square_avgs, grad_avgs, bufs, steps = [], [], [], []
            for p in params:
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _scalar_tensor(0.0)
                    state["square_avg"] = _zeros_like(p)
                    if momentum > 0:
                        state["momentum_buffer"] = _zeros_like(p)
                    if centered:
                        state["grad_avg"] = _zeros_like(p)
                square_avgs.append(state["square_avg"]._data)
                steps.append(state["step"]._data)
                if momentum > 0:
                    bufs.append(state["momentum_buffer"]._data)
                if centered:
                    grad_avgs.append(state["grad_avg"]._data)
            rmsprop([p._data for p in params], [p._grad._data for p in params], square_avgs,
                    grad_avgs, bufs, steps, lr=_scalar(group["lr"]),
                    alpha=_scalar(group["alpha"]), eps=_scalar(group["eps"]),
                    weight_decay=_scalar(group["weight_decay"]), momentum=_scalar(momentum),
                    centered=centered, maximize=group["maximize"])
            for p in params:
                p._bump_version()
        return loss


def rmsprop(params: list[np.ndarray], grads: list[np.ndarray], square_avgs: list[np.ndarray],
            grad_avgs: list[np.ndarray], momentum_buffer_list: list[np.ndarray],
            state_steps: list[np.ndarray], foreach: bool | None = None,
            maximize: bool = False, differentiable: bool = False, capturable: bool = False,
            has_complex: bool = False, *,
            lr: float, alpha: float, eps: float, weight_decay: float, momentum: float,
            centered: bool) -> None:
    """Apply one RMSprop step (see :class:`RMSprop`) in place. The flags between the lists and
    ``*`` are accepted for torch's signature: NumPy has one code path."""
    for i, param in enumerate(params):
        state_steps[i] += 1
        for p, g, v, a, b, tmp in _blocks(param, grads[i], square_avgs[i],
                                          grad_avgs[i] if centered else None,
                                          momentum_buffer_list[i] if momentum > 0 else None,
                                          scratch=1):
            g = _descent_grad(p, g, weight_decay, maximize)
            v *= alpha                               # v = alpha v + (1 - alpha) g^2
            np.multiply(g, 1 - alpha, out=tmp)
            tmp *= g
            v += tmp
            if centered:
                _lerp_(a, g, 1 - alpha, tmp)         # a = alpha a + (1 - alpha) g
                np.multiply(a, a, out=tmp)           # avg = sqrt(v - a^2)
                np.subtract(v, tmp, out=tmp)
                np.sqrt(tmp, out=tmp)
            else:
                np.sqrt(v, out=tmp)
            tmp += eps
            np.divide(g, tmp, out=tmp)
            if momentum > 0:
                b *= momentum                        # b = mu b + g / denom
                b += tmp
                np.multiply(b, -lr, out=tmp)
            else:
                tmp *= -lr
            p += tmp
