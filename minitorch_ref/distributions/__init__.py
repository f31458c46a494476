"""torch.distributions: probability distributions with sampling, log densities, entropies and
KL divergences, mirroring torch's package (names, shapes, validation, random streams).

Samples take their numbers from the default generator exactly as torch's distributions do
(``Normal.sample`` through ``torch.normal``, ``rsample`` through ``normal_``, ``Categorical``
through ``multinomial``, ...), so a seeded script draws the same values under either library.
docs/distributions.md lists what exists and how each sampler meets torch's stream.
"""
from .._missing import missing_attribute_hook
from . import constraints
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .independent import Independent
from .kl import kl_divergence, register_kl
from .normal import Normal
from .uniform import Uniform

__all__ = ["Bernoulli", "Categorical", "Distribution", "ExponentialFamily", "Independent",
           "Normal", "Uniform", "constraints", "kl_divergence", "register_kl"]

__getattr__ = missing_attribute_hook("torch.distributions")
