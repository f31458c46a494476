"""torch.distributions.Chi2: the chi-squared distribution with ``df`` degrees of freedom."""
from __future__ import annotations

from .._tensor import Tensor
from . import constraints
from .gamma import Gamma

__all__ = ["Chi2"]


class Chi2(Gamma):
    """Chi2(k = ``df``) is Gamma(k / 2, 1 / 2): everything, samples included, is the
    Gamma's."""

    arg_constraints = {"df": constraints.positive}

    def __init__(self, df, validate_args: bool | None = None) -> None:
        super().__init__(0.5 * df, 0.5, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_via_parent(Chi2, batch_shape, _instance)

    @property
    def df(self) -> Tensor:
        return self.concentration * 2
