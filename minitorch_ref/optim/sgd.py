"""SGD: stochastic gradient descent with optional (Nesterov) momentum."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _new_tensor
from .optimizer import (Optimizer, _blocks, _bump_versions, _check_amp, _check_fused,
                        _check_state_shape, _check_tensor_lr, _copies_grad, _data,
                        _descent_grad, _grads, _scalar, _state_array)

__all__ = ["SGD", "sgd"]


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with momentum (``torch.optim.SGD``).

    Algorithm (``lr`` = gamma, ``momentum`` = mu, ``dampening`` = tau, ``weight_decay`` =
    lambda), for every parameter theta with gradient at step t::

        g_t = -grad f(theta_{t-1}) if maximize else grad f(theta_{t-1})
        if lambda != 0:  g_t = g_t + lambda * theta_{t-1}            (coupled L2 penalty)
        if mu != 0:
            b_t = g_t                          at the first step
            b_t = mu * b_{t-1} + (1 - tau) * g_t   afterwards
            g_t = g_t + mu * b_t  if nesterov  else  b_t
        theta_t = theta_{t-1} - gamma * g_t

    State: ``momentum_buffer`` (b_t), created at a parameter's first step when ``momentum != 0``.

    Where torch differs from the textbook (and from the lecture notes): the lecture writes
    momentum as ``V_t = beta * V_{t-1} + alpha * grad;  W = W - V_t``, so the learning rate
    alpha is folded into the velocity. torch (and this class) keeps the velocity free of the
    learning rate: ``b_t = mu * b_{t-1} + g_t;  W = W - lr * b_t``. With a fixed learning rate the
    two are the same sequence (V_t = lr * b_t). Once a scheduler changes lr, they differ: the
    lecture's velocity still carries the old rates of past steps, while torch rescales the whole
    accumulated velocity by the new rate at once. The buffer also starts at g_1 (not zero), so
    dampening only applies from the second step.

    Nesterov needs ``momentum > 0`` and ``dampening == 0``.
    """

    def __init__(self, params, lr: float | Tensor = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float | Tensor = 0,
                 nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        _check_tensor_lr(lr)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize,
                        foreach=foreach, differentiable=differentiable, fused=fused)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        _check_fused(fused, differentiable, foreach)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._set_group_defaults(nesterov=False, maximize=False, foreach=None,
                                 differentiable=False, fused=False)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            momentum = group["momentum"]
            # sgd() creates a parameter's buffer at its first step with momentum (None here)
            bufs = []
            if momentum != 0:
                for p in params:
                    buf = self.state[p].get("momentum_buffer")
                    if buf is not None:
                        _check_state_shape(buf._data, p._data)
                    bufs.append(None if buf is None else buf._data)
            sgd(_data(params), _grads(params), bufs,
                weight_decay=_scalar(group["weight_decay"]), momentum=_scalar(momentum),
                lr=_scalar(group["lr"]), dampening=_scalar(group["dampening"]),
                nesterov=group["nesterov"], maximize=group["maximize"])
            for p, buf in zip(params, bufs):
                if "momentum_buffer" not in self.state[p]:
                    self.state[p]["momentum_buffer"] = _new_tensor(buf)
            _bump_versions(params)
        return loss


def sgd(params: list[np.ndarray], d_p_list: list[np.ndarray],
        momentum_buffer_list: list[np.ndarray | None], has_sparse_grad: bool = False,
        foreach: bool | None = None, fused: bool | None = None, grad_scale=None, found_inf=None,
        *, weight_decay: float, momentum: float, lr: float,
        dampening: float, nesterov: bool, maximize: bool) -> None:
    """Apply one SGD step (see :class:`SGD`) to ``params`` in place.

    ``momentum_buffer_list[i]`` is None before a parameter's first step with momentum: the new
    buffer is then stored into the list. The flags between the lists and ``*`` are accepted
    for torch's signature: NumPy has one code path.
    """
    _check_amp(grad_scale, found_inf)
    scratch = 1 + _copies_grad(weight_decay, maximize)
    for i, param in enumerate(params):
        buf = momentum_buffer_list[i] if momentum != 0 else None
        first = momentum != 0 and buf is None
        if first:
            buf = momentum_buffer_list[i] = _state_array(param, fill=None)
        for p, d_p, b, tmp, *g_out in _blocks(param, d_p_list[i], buf, scratch=scratch):
            # g = d_p unless weight decay or maximize change it (the call skipped: on many
            # small parameters plain SGD's step is mostly per-call cost)
            grad = _descent_grad(p, d_p, weight_decay, maximize, *g_out) if g_out else d_p
            if momentum != 0:
                if first:                        # b_1 = g_1
                    np.copyto(b, grad)
                else:                            # b = mu b + (1 - tau) g
                    b *= momentum
                    if dampening == 0:
                        b += grad
                    else:
                        np.multiply(grad, 1 - dampening, out=tmp)
                        b += tmp
                if nesterov:                     # g = g + mu b
                    np.multiply(b, momentum, out=tmp)
                    tmp += grad
                    grad = tmp
                else:                            # g = b
                    grad = b
            np.multiply(grad, lr, out=tmp)       # theta -= lr g
            p -= tmp
