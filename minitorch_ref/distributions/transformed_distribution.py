"""torch.distributions.TransformedDistribution: Y = f(X) for X from a base distribution and f
a chain of transforms. By the change of variables,
log p_Y(y) = log p_X(x) - log|det df/dx| at x = f^-1(y)."""
from __future__ import annotations

from .._tensor import Size, Tensor
from ..autograd.grad_mode import no_grad
from . import constraints
from .distribution import Distribution
from .independent import Independent
from .transforms import ComposeTransform, Transform
from .utils import _sum_rightmost

__all__ = ["TransformedDistribution"]


def _as_transform_list(transforms) -> list:
    if isinstance(transforms, Transform):
        return [transforms]
    if not isinstance(transforms, list):
        raise ValueError(f"transforms must be a Transform or list, but was {transforms}")
    if not all(isinstance(t, Transform) for t in transforms):
        raise ValueError("transforms must be a Transform or a list of Transforms")
    return transforms


class TransformedDistribution(Distribution):
    """``base_distribution`` pushed through ``transforms`` (one Transform or a list, applied
    in order). Samples transform the base distribution's samples (so they use its draws);
    ``log_prob`` walks the transforms backwards, subtracting each log-determinant."""

    arg_constraints: dict = {}

    def __init__(self, base_distribution: Distribution, transforms,
                 validate_args: bool | None = None) -> None:
        self.transforms = _as_transform_list(transforms)
        chain = ComposeTransform(self.transforms)
        dim_in, dim_out = chain.domain.event_dim, chain.codomain.event_dim
        base_event_dim = len(base_distribution.event_shape)
        base_shape = base_distribution.batch_shape + base_distribution.event_shape
        if len(base_shape) < dim_in:
            raise ValueError("base_distribution needs to have shape with size at least "
                             f"{dim_in}, but got {base_shape}.")
        shape = chain.forward_shape(base_shape)
        # the transforms' parameters may broadcast the base: expand it to the shape that maps
        # onto ``shape``, then move batch dimensions into its event until f's input has them
        needed = chain.inverse_shape(shape)
        if needed != base_shape:
            base_distribution = base_distribution.expand(needed[:len(needed) - base_event_dim])
        if dim_in > base_event_dim:
            base_distribution = Independent(base_distribution, dim_in - base_event_dim)
        self.base_dist = base_distribution

        event_dim = max(dim_out, base_event_dim + dim_out - dim_in)
        if len(shape) < event_dim:
            raise AssertionError(f"forward_shape length {len(shape)} must be >= "
                                 f"event_dim {event_dim}")
        cut = len(shape) - event_dim
        super().__init__(shape[:cut], shape[cut:], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(TransformedDistribution, _instance)
        batch_shape = Size(batch_shape)
        shape = batch_shape + self.event_shape
        for t in self.transforms[::-1]:
            shape = t.inverse_shape(shape)
        new.base_dist = self.base_dist.expand(
            shape[:len(shape) - len(self.base_dist.event_shape)])
        new.transforms = self.transforms
        super(TransformedDistribution, new).__init__(batch_shape, self.event_shape,
                                                     validate_args=False)
        new._validate_args = self._validate_args
        return new

    @constraints.dependent_property(is_discrete=False)
    def support(self):
        if not self.transforms:
            return self.base_dist.support
        last = self.transforms[-1].codomain
        extra = len(self.event_shape) - last.event_dim
        return constraints.independent(last, extra) if extra > 0 else last

    @property
    def has_rsample(self) -> bool:  # type: ignore[override]
        return self.base_dist.has_rsample

    def _push(self, x):
        for t in self.transforms:
            x = t(x)
        return x

    def sample(self, sample_shape=Size()) -> Tensor:
        with no_grad():
            return self._push(self.base_dist.sample(sample_shape))

    def rsample(self, sample_shape=Size()) -> Tensor:
        return self._push(self.base_dist.rsample(sample_shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        total = 0.0
        event_dim = len(self.event_shape)  # of the value at the current step
        y = value
        for t in self.transforms[::-1]:
            x = t.inv(y)
            event_dim += t.domain.event_dim - t.codomain.event_dim
            total = total - _sum_rightmost(t.log_abs_det_jacobian(x, y),
                                           event_dim - t.domain.event_dim)
            y = x
        base_term = _sum_rightmost(self.base_dist.log_prob(y),
                                   event_dim - len(self.base_dist.event_shape))
        return total + base_term

    def _monotonize_cdf(self, value):
        """Where f decreases (the transforms' signs multiply to -1), P(Y <= y) is
        1 - F_X(x): reflect ``value`` about 1/2."""
        sign = 1
        for t in self.transforms:
            sign = sign * t.sign
        if isinstance(sign, int) and sign == 1:
            return value
        return sign * (value - 0.5) + 0.5

    def cdf(self, value):
        for t in self.transforms[::-1]:
            value = t.inv(value)
        if self._validate_args:
            self.base_dist._validate_sample(value)
        return self._monotonize_cdf(self.base_dist.cdf(value))

    def icdf(self, value):
        return self._push(self.base_dist.icdf(self._monotonize_cdf(value)))
