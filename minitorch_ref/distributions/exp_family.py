"""torch.distributions.ExponentialFamily: the distributions whose density reads
p(x; theta) = exp(<t(x), theta> - F(theta) + k(x))."""
from __future__ import annotations

from .._tensor import Tensor
from ..autograd import grad
from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """Base of the exponential families. A subclass provides the natural parameters theta
    (``_natural_params``), the log-normalizer F (``_log_normalizer``) and the expected
    carrier measure E[k(x)] (``_mean_carrier_measure``).

    Since E[t(x)] = grad F(theta), the entropy has the closed (Bregman) form
        H = F(theta) - <theta, grad F(theta)> - E[k(x)],
    with grad F taken by autograd (``create_graph=True``: the entropy stays differentiable).
    """

    @property
    def _natural_params(self) -> tuple:
        raise NotImplementedError

    def _log_normalizer(self, *natural_params):
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self) -> float:
        raise NotImplementedError

    def entropy(self) -> Tensor:
        thetas = [theta.detach().requires_grad_() for theta in self._natural_params]
        log_norm = self._log_normalizer(*thetas)
        mean_stats = grad(log_norm.sum(), thetas, create_graph=True)
        h = -self._mean_carrier_measure
        h += log_norm
        for theta, stat in zip(thetas, mean_stats):
            h -= (theta * stat).reshape(self._batch_shape + (-1,)).sum(-1)
        return h
