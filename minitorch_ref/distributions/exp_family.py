"""torch.distributions.ExponentialFamily: densities p(x; t) = exp(<t(x), theta> - F(theta) +
k(x)), whose entropy and KL divergence follow from the log normalizer F by differentiation."""
from __future__ import annotations

import minitorch_ref as torch
from .._tensor import Tensor
from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """Base of the exponential-family distributions. A subclass gives ``_natural_params``
    (theta), ``_log_normalizer`` (F) and ``_mean_carrier_measure`` (E[k(x)]).

    The entropy is the Bregman form  H = F(theta) - <theta, grad F(theta)> - E[k(x)],  with
    grad F taken by autograd (with ``create_graph``, so the entropy stays differentiable)."""

    @property
    def _natural_params(self) -> tuple:
        raise NotImplementedError

    def _log_normalizer(self, *natural_params):
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self) -> float:
        raise NotImplementedError

    def entropy(self) -> Tensor:
        result = -self._mean_carrier_measure
        nparams = [p.detach().requires_grad_() for p in self._natural_params]
        lg_normal = self._log_normalizer(*nparams)
        gradients = torch.autograd.grad(lg_normal.sum(), nparams, create_graph=True)
        result += lg_normal
        for np_, g in zip(nparams, gradients):
            result -= (np_ * g).reshape(self._batch_shape + (-1,)).sum(-1)
        return result
