"""torch.nn.utils: gradient clipping, parameter/vector conversion, parametrizations, weight and
spectral normalization, stateless calls, penalties."""
# -- torch.nn.utils: clipping, parameters as one vector, packed sequences ------------------------
from .clip_grad import (  # noqa: F401
    clip_grad_norm, clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm,
)
from .convert_parameters import parameters_to_vector, vector_to_parameters  # noqa: F401
from . import rnn, stateless  # noqa: F401
from . import parametrize, parametrizations  # noqa: F401
from .spectral_norm import remove_spectral_norm, spectral_norm  # noqa: F401
from .weight_norm import remove_weight_norm, weight_norm  # noqa: F401

# -- not in torch: L1/L2 penalties added to a loss (see penalties.py) ------------------------------
from .penalties import l1_penalty, l2_penalty, penalized_loss  # noqa: F401
