"""Rprop: resilient backpropagation, per-weight step sizes driven by gradient signs only."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _new_tensor
from .optimizer import (Optimizer, _blocks, _bump_versions, _check_capturable, _check_options,
                        _data, _grads, _scalar, _scalar_tensor, _state_array,
                        _zeros_like)

__all__ = ["Rprop", "rprop"]


class Rprop(Optimizer):
    r"""Rprop (``torch.optim.Rprop``).

    Algorithm (``lr`` = initial step size eta_0, ``etas`` = (eta_minus, eta_plus),
    ``step_sizes`` = (Gamma_min, Gamma_max)), elementwise for every parameter theta::

        g_t = -grad f(theta_{t-1}) if maximize else grad f(theta_{t-1})
        if g_t * g_{t-1} > 0:   eta_t = min(eta_{t-1} * eta_plus,  Gamma_max)
        elif g_t * g_{t-1} < 0: eta_t = max(eta_{t-1} * eta_minus, Gamma_min);  g_t = 0
        else:                   eta_t = eta_{t-1}            (clamped to [Gamma_min, Gamma_max])
        (a NaN product, e.g. inf * 0 on the first step, counts as 0; sign(NaN) = 0 as in torch)
        theta_t = theta_{t-1} - eta_t * sign(g_t)

    State: ``step``, ``prev`` (g_{t-1}, with the zeroed entries) and ``step_size`` (eta,
    starting at lr for every element). Only the sign of the gradient is used, so the method
    is insensitive to the gradient's scale; after a sign change the step is skipped and
    ``prev`` is set to zero, so the next step neither grows nor shrinks that weight's rate.
    Meant for full-batch training: minibatch noise flips the signs.
    """

    def __init__(self, params, lr: float | Tensor = 1e-2, etas: tuple = (0.5, 1.2),
                 step_sizes: tuple = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_options(lr=lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach,
                        maximize=maximize, differentiable=differentiable,
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
        state["prev"] = _zeros_like(p)
        state["step_size"] = _new_tensor(_state_array(p._grad._data, _scalar(group["lr"])))

    _grad_first_in_state_ops = True  # torch's Rprop starts with grad.mul(prev)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            _check_capturable(group["capturable"], params)
            prevs, step_sizes, steps = self._state_arrays(
                params, group, "prev", "step_size", "step")
            etaminus, etaplus = group["etas"]
            step_size_min, step_size_max = group["step_sizes"]
            rprop(_data(params), _grads(params), prevs, step_sizes, steps,
                  step_size_min=_scalar(step_size_min), step_size_max=_scalar(step_size_max),
                  etaminus=_scalar(etaminus), etaplus=_scalar(etaplus),
                  maximize=group["maximize"])
            _bump_versions(params)
        return loss


def rprop(params: list[np.ndarray], grads: list[np.ndarray], prevs: list[np.ndarray],
          step_sizes: list[np.ndarray], state_steps: list[np.ndarray],
          foreach: bool | None = None, capturable: bool = False, maximize: bool = False,
          differentiable: bool = False, has_complex: bool = False, *, step_size_min: float,
          step_size_max: float, etaminus: float, etaplus: float) -> None:
    """Apply one Rprop step (see :class:`Rprop`) in place. The flags between the lists and
    ``*`` are accepted for torch's signature: NumPy has one code path."""
    for i, param in enumerate(params):
        state_steps[i] += 1
        for p, grad, prev, step_size, g, factor in _blocks(param, grads[i], prevs[i],
                                                           step_sizes[i], scratch=2):
            if maximize:                          # g: a copy, zeroed below where flipped
                np.negative(grad, out=g)
            else:
                np.copyto(g, grad)
            np.multiply(g, prev, out=factor)
            grown = factor > 0
            flipped = factor < 0                  # the gradient changed sign
            # sign(g * prev) -> factor: +1 -> eta_plus, -1 -> eta_minus, 0 or NaN -> 1
            # (torch's sign of NaN is 0)
            factor.fill(1)
            np.copyto(factor, etaplus, where=grown)
            np.copyto(factor, etaminus, where=flipped)
            step_size *= factor
            np.clip(step_size, step_size_min, step_size_max, out=step_size)

            np.copyto(g, 0, where=flipped)        # no step, and no sign memory, after a flip
            np.sign(g, out=factor)                # theta -= step_size * sign(g)
            np.copyto(factor, 0, where=np.isnan(factor))   # sign(NaN) = 0: theta stays
            factor *= step_size
            p -= factor
            np.copyto(prev, g)
