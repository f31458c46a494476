"""RMSprop: divide the gradient by a running root-mean-square of recent gradients."""
from __future__ import annotations

import numpy as np

from .._numpy_errors import STATE
from .._tensor import Tensor
from .optimizer import (Optimizer, _blocks, _bump_versions, _check_capturable, _check_options,
                        _copies_grad, _data, _descent_grad, _grads, _lerp_, _scalar, _scalar_tensor,
                        _square_avg_, _zeros_like)

__all__ = ["RMSprop", "rmsprop"]

# the state ``_variance`` subtracts under: "invalid" raised, to find inf - inf (a flag, not an
# error: the step itself runs quiet)
with np.errstate(all="ignore", invalid="raise"):
    _RAISE_INVALID = STATE.get()


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
        _check_options(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay,
                       alpha=alpha)
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._set_group_defaults(momentum=0, centered=False, foreach=None, maximize=False,
                                 differentiable=False, capturable=False)
        self._state_numbers_to_tensors()

    def _init_state(self, p: Tensor, group: dict) -> None:
        state = self.state[p]
        state["step"] = _scalar_tensor(0.0)
        state["square_avg"] = _zeros_like(p)
        if group["momentum"] > 0:
            state["momentum_buffer"] = _zeros_like(p)
        if group["centered"]:
            state["grad_avg"] = _zeros_like(p)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            _check_capturable(group["capturable"], params)
            momentum, centered = group["momentum"], group["centered"]
            square_avgs, grad_avgs, bufs, steps = self._state_arrays(
                params, group, "square_avg", "grad_avg" if centered else None,
                "momentum_buffer" if momentum > 0 else None, "step")
            rmsprop(_data(params), _grads(params), square_avgs, grad_avgs, bufs, steps,
                    lr=_scalar(group["lr"]), alpha=_scalar(group["alpha"]),
                    eps=_scalar(group["eps"]), weight_decay=_scalar(group["weight_decay"]),
                    momentum=_scalar(momentum), centered=centered, maximize=group["maximize"])
            _bump_versions(params)
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
    g_copy = _copies_grad(weight_decay, maximize)
    for i, param in enumerate(params):
        state_steps[i] += 1
        first = centered and state_steps[i].item() == 1     # (for the lerp from zeros)
        for p, g, v, a, b, tmp, *g_out in _blocks(param, grads[i], square_avgs[i],
                                          grad_avgs[i] if centered else None,
                                          momentum_buffer_list[i] if momentum > 0 else None,
                                          scratch=1 + g_copy):
            g = _descent_grad(p, g, weight_decay, maximize, *g_out)
            _square_avg_(v, g, alpha, tmp)           # v = alpha v + (1 - alpha) g^2
            if centered:
                _lerp_(a, g, 1 - alpha, tmp, first)  # a = alpha a + (1 - alpha) g
                _variance(v, a, tmp)                 # avg = sqrt(v - a^2)
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


def _variance(v: np.ndarray, a: np.ndarray, out: np.ndarray) -> None:
    """``out <- v - a * a`` with torch's single rounding (``addcmul``, a fused multiply-add):
    where ``a * a`` overflows and ``v`` is inf, inf rather than NaN (inf - inf). v and a*a are
    >= 0 or NaN, so NumPy's "invalid" flag, raised by inf - inf only, says when to look."""
    np.multiply(a, a, out=out)
    token = STATE.set(_RAISE_INVALID)
    try:
        np.subtract(v, out, out=out)
    except FloatingPointError:
        np.copyto(out, np.inf, where=(v == np.inf) & np.isfinite(a))
    finally:
        STATE.reset(token)
