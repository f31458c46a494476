"""torch.distributions.MixtureSameFamily: p(x) = sum_k pi_k p_k(x), the K components being the
last batch dimension of one distribution and the weights pi a Categorical over K."""
from __future__ import annotations

from .. import _ops
from .._tensor import Size, Tensor
from ..autograd.grad_mode import no_grad
from ..nn.functional.softmax_family import torch_log_softmax
from .categorical import Categorical
from .constraints import MixtureSameFamilyConstraint, dependent_property
from .distribution import Distribution

__all__ = ["MixtureSameFamily"]


def _check_parts(mixture, components) -> None:
    if not isinstance(mixture, Categorical):
        raise ValueError(" The Mixture distribution needs to be an  instance of "
                         "torch.distributions.Categorical")
    if not isinstance(components, Distribution):
        raise ValueError("The Component distribution needs to be an instance of "
                         "torch.distributions.Distribution")
    mixture_batch, outer_batch = mixture.batch_shape, components.batch_shape[:-1]
    for a, b in zip(mixture_batch[::-1], outer_batch[::-1]):
        if 1 not in (a, b) and a != b:
            raise ValueError(f"`mixture_distribution.batch_shape` ({mixture_batch}) is not "
                             "compatible with `component_distribution."
                             f"batch_shape`({outer_batch})")
    k_mix, k_comp = mixture.logits.shape[-1], components.batch_shape[-1]
    if k_mix != k_comp:
        raise ValueError(f"`mixture_distribution component` ({k_mix}) does not equal "
                         f"`component_distribution.batch_shape[-1]` ({k_comp})")


class MixtureSameFamily(Distribution):
    """``mixture_distribution`` (a Categorical over K) picks a component of
    ``component_distribution`` (batch shape B x K).

    log p(x) = logsumexp_k(log pi_k + log p_k(x)); the mean is sum_k pi_k mu_k and the
    variance follows the law of total variance. ``sample`` draws the component indices first,
    then a sample of every component, and keeps the chosen ones (torch's order of draws)."""

    arg_constraints: dict = {}
    has_rsample = False

    def __init__(self, mixture_distribution: Categorical, component_distribution: Distribution,
                 validate_args: bool | None = None) -> None:
        self._mixture_distribution = mixture_distribution
        self._component_distribution = component_distribution
        _check_parts(mixture_distribution, component_distribution)
        self._num_component = mixture_distribution.logits.shape[-1]
        event_shape = component_distribution.event_shape
        self._event_ndims = len(event_shape)
        super().__init__(batch_shape=component_distribution.batch_shape[:-1],
                         event_shape=event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        batch_shape = Size(batch_shape)
        new = self._get_checked_instance(MixtureSameFamily, _instance)
        new._component_distribution = self._component_distribution.expand(
            batch_shape + (self._num_component,))
        new._mixture_distribution = self._mixture_distribution.expand(batch_shape)
        new._num_component, new._event_ndims = self._num_component, self._event_ndims
        super(MixtureSameFamily, new).__init__(
            batch_shape=batch_shape, event_shape=new._component_distribution.event_shape,
            validate_args=False)
        new._validate_args = self._validate_args
        return new

    @dependent_property
    def support(self):
        return MixtureSameFamilyConstraint(self._component_distribution.support)

    mixture_distribution = property(lambda self: self._mixture_distribution)
    component_distribution = property(lambda self: self._component_distribution)

    @property
    def _component_dim(self) -> int:
        """The dimension of K in a component-shaped value (just before the event)."""
        return -1 - self._event_ndims

    def _weighted_sum(self, per_component: Tensor) -> Tensor:
        """sum_k pi_k v_k for v shaped like the components' moments."""
        pi = self._pad_mixture_dimensions(self.mixture_distribution.probs)
        return _ops.sum(pi * per_component, dim=self._component_dim)

    @property
    def mean(self) -> Tensor:
        return self._weighted_sum(self.component_distribution.mean)

    @property
    def variance(self) -> Tensor:
        """E_k[Var(X | k)] + Var_k(E[X | k])."""
        comp = self.component_distribution
        within = self._weighted_sum(comp.variance)
        between = self._weighted_sum((comp.mean - self._pad(self.mean)).pow(2.0))
        return within + between

    def cdf(self, x):
        per_component = self.component_distribution.cdf(self._pad(x))
        return _ops.sum(per_component * self.mixture_distribution.probs, dim=-1)

    def log_prob(self, x):
        if self._validate_args:
            self._validate_sample(x)
        per_component = self.component_distribution.log_prob(self._pad(x))  # (S, B, K)
        log_weights = torch_log_softmax(self.mixture_distribution.logits, dim=-1)  # (B, K)
        return _ops.logsumexp(per_component + log_weights, dim=-1)

    def sample(self, sample_shape=Size()) -> Tensor:
        with no_grad():
            k_dim = len(sample_shape) + len(self.batch_shape)
            event = self.event_shape
            picks = self.mixture_distribution.sample(sample_shape)
            candidates = self.component_distribution.sample(sample_shape)
            # one index per event entry: shape picks.shape + (1,) + event
            index = picks.reshape(picks.shape + Size([1] * (len(event) + 1)))
            index = index.repeat(Size([1] * (picks.dim() + 1)) + event)
            return _ops.gather(candidates, k_dim, index).squeeze(k_dim)

    def _pad(self, x):
        """``x`` with a size-1 component dimension, to broadcast against the components."""
        return x.unsqueeze(self._component_dim)

    def _pad_mixture_dimensions(self, x):
        """``x`` shaped like pi (..., K) made to broadcast against the components' moments:
        ones for the batch dimensions the mixture lacks (unless its batch is 1-D) and for
        the event."""
        own = len(self.mixture_distribution.batch_shape)
        missing = 0 if own == 1 else len(self.batch_shape) - own
        return x.reshape(x.shape[:-1] + Size([1] * missing) + x.shape[-1:]
                         + Size([1] * self._event_ndims))

    def __repr__(self) -> str:
        return (f"MixtureSameFamily(\n  {self.mixture_distribution},\n"
                f"  {self.component_distribution})")
