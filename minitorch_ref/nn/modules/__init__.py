"""Every nn.Module subclass, re-exported as ``minitorch_ref.nn.<Name>``.

One file per family of layers, named as torch names its module files (``module.py`` holds the
base class, ``container.py`` Sequential and friends, ``conv.py`` the convolutions, ...); each
file's ``__all__`` lists what it adds here."""
# -- the base class, containers, and the layers without spatial structure -------------------------
from .module import Module  # noqa: F401
from .container import (  # noqa: F401
    Container, ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential,
)
from .linear import Bilinear, Identity, LazyLinear, Linear  # noqa: F401
from .lazy import LazyModuleMixin  # noqa: F401
from .activation import *  # noqa: F401,F403
from .flatten import Flatten, Unflatten  # noqa: F401
from .dropout import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .sparse import Embedding, EmbeddingBag  # noqa: F401
from .distance import CosineSimilarity, PairwiseDistance  # noqa: F401
from .channelshuffle import ChannelShuffle  # noqa: F401
from .rnn import *  # noqa: F401,F403
from .transformer import *  # noqa: F401,F403

# -- convolution, pooling, padding, resampling, fold/unfold --------------------------------------
from .conv import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
from .padding import *  # noqa: F401,F403
from .upsampling import *  # noqa: F401,F403
from .fold import Fold, Unfold  # noqa: F401

# -- losses ---------------------------------------------------------------------------------------
from .loss import *  # noqa: F401,F403
