"""torch.distributions.LogisticNormal: a Normal carried onto the simplex by stick breaking."""
from __future__ import annotations

from . import constraints
from ._parameters import forwarded, loc_scale_constraints
from .normal import Normal
from .transformed_distribution import TransformedDistribution
from .transforms import StickBreakingTransform

__all__ = ["LogisticNormal"]


class LogisticNormal(TransformedDistribution):
    """Y = StickBreakingTransform(X) on the K-simplex, X ~ Normal(``loc``, ``scale``) over
    K - 1 coordinates (the last dimension; a 0-d Normal counts as one coordinate). Samples
    are the Normal's draws, transformed."""

    arg_constraints = loc_scale_constraints()
    support = constraints.simplex
    has_rsample = True
    # the base is Independent(Normal): its parameters sit one level further in
    loc = forwarded("base_dist.base_dist", "loc")
    scale = forwarded("base_dist.base_dist", "scale")

    def __init__(self, loc, scale, validate_args: bool | None = None) -> None:
        normal = Normal(loc, scale, validate_args=validate_args)
        if not normal.batch_shape:
            normal = normal.expand([1])
        super().__init__(normal, StickBreakingTransform(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_via_parent(LogisticNormal, batch_shape, _instance)
