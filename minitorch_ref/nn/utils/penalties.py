"""Regularization penalties over a model's parameters, as the lecture writes them.

    L1 = sum_i sum_j |W_ij|                                  (eq. 14)
    L2 = sum_i sum_j W_ij^2                                  (eq. 16)
    Loss = (1/N) sum_n L_n + gamma * L1                       (eq. 15; L2 enters the same way)

The sums run over every entry of every parameter included (torch has no such helper; these are
written with tensor ops, so autograd differentiates them: dL1/dW = sign(W), with sign(0) = 0, and
dL2/dW = 2 W).

**Which parameters are included.** By default, every tensor you pass: for a Module, all of
``module.parameters()`` (weights, biases and normalization scales/shifts alike; buffers such as
running statistics are not parameters and never count). That is the set an optimizer's
``weight_decay`` acts on when you give it ``model.parameters()``, so that the two stay exact
counterparts (see below). ``weights_only=True`` keeps only tensors of two or more dimensions
(Linear weight matrices, conv kernels, embedding tables) and drops every 1-D tensor: biases and
normalization parameters, which common practice leaves unregularized.

**Weight decay versus an L2 penalty.**
* SGD: ``SGD(params, lr, weight_decay=lam)`` adds ``lam * W`` to each gradient, which is the
  gradient of ``(lam / 2) * L2``. So plain SGD on ``loss + (lam / 2) * l2_penalty(params)``
  follows the same trajectory (momentum and dampening included: both see the same gradient).
* Adam: ``Adam(weight_decay=lam)`` adds ``lam * W`` to the gradient *before* the adaptive
  scaling (coupled, the same as the L2 penalty above); ``AdamW(weight_decay=lam)`` instead shrinks
  the weights directly, ``W -= lr * lam * W``, outside the adaptive scaling (decoupled). The two
  give different trajectories; only Adam's equals the L2 penalty.
"""
from __future__ import annotations

from typing import Iterable, Union

from ..._tensor import Tensor
from ..modules.module import Module

ParamsLike = Union[Module, Tensor, Iterable[Tensor]]

__all__ = ["l1_penalty", "l2_penalty", "penalized_loss"]


def _included(parameters: ParamsLike, weights_only: bool) -> list:
    if isinstance(parameters, Module):
        tensors = list(parameters.parameters())
    elif isinstance(parameters, Tensor):
        tensors = [parameters]
    else:
        tensors = list(parameters)
        for t in tensors:
            if not isinstance(t, Tensor):
                raise TypeError("penalties expect a Module, a Tensor or an iterable of Tensors, "
                                f"got an iterable containing {type(t).__name__}")
    if weights_only:
        tensors = [t for t in tensors if t.dim() >= 2]
    return tensors


def _total(terms: list) -> Tensor:
    if not terms:  # nothing included: a zero of the default float dtype
        from ..._creation import zeros
        return zeros(())
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def l1_penalty(parameters: ParamsLike, *, weights_only: bool = False) -> Tensor:
    """L1 = sum_i sum_j |W_ij| over the included parameters (all of them by default; only the
    tensors with 2+ dims with ``weights_only=True``). dL1/dW_ij = sign(W_ij), 0 at W_ij = 0."""
    tensors = _included(parameters, weights_only)
    return _total([t.abs().sum() for t in tensors])


def l2_penalty(parameters: ParamsLike, *, weights_only: bool = False) -> Tensor:
    """L2 = sum_i sum_j W_ij^2 over the included parameters (the squared Frobenius norm, not its
    square root). dL2/dW_ij = 2 W_ij, so SGD's ``weight_decay=lam`` equals adding
    ``(lam / 2) * l2_penalty(...)`` to the loss."""
    tensors = _included(parameters, weights_only)
    return _total([(t * t).sum() for t in tensors])


def penalized_loss(data_loss: Tensor, parameters: ParamsLike, *, l1: float = 0.0,
                   l2: float = 0.0, weights_only: bool = False) -> Tensor:
    """Loss = data_loss + l1 * L1 + l2 * L2.

    With ``data_loss`` the mean over the batch, (1/N) sum_n L_n (a loss with reduction='mean'),
    and ``l1 = gamma``, this is the lecture's eq. 15; ``l2`` adds the L2 term the same way (both
    together: the elastic net). A coefficient of 0 leaves its term out entirely."""
    loss = data_loss
    if l1:
        loss = loss + l1 * l1_penalty(parameters, weights_only=weights_only)
    if l2:
        loss = loss + l2 * l2_penalty(parameters, weights_only=weights_only)
    return loss
