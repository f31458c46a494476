"""Every nn.Module subclass, re-exported as ``minitorch_ref.nn.<Name>``.

Each file below adds its classes to this list. Owners: module.py, container.py, linear.py,
activation.py, dropout.py, normalization.py, sparse.py, flatten.py (nn core); conv.py, pooling.py,
upsampling.py, padding.py, fold.py (convolution); loss.py (losses)."""
# -- nn core --------------------------------------------------------------------------------------
from .module import Module  # noqa: E402
from .container import (  # noqa: E402
    Container, ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential,
)
from .linear import Bilinear, Identity, Linear  # noqa: E402
from .activation import *  # noqa: F401,F403,E402
from .flatten import Flatten, Unflatten  # noqa: E402
from .dropout import *  # noqa: F401,F403,E402
from .normalization import *  # noqa: F401,F403,E402
from .sparse import Embedding, EmbeddingBag  # noqa: E402
from .distance import CosineSimilarity, PairwiseDistance  # noqa: E402
from .channelshuffle import ChannelShuffle  # noqa: E402
from .rnn import *  # noqa: F401,F403,E402
from .transformer import *  # noqa: F401,F403,E402

# -- convolution ----------------------------------------------------------------------------------
from .conv import *  # noqa: F401,F403,E402
from .pooling import *  # noqa: F401,F403,E402
from .padding import *  # noqa: F401,F403,E402
from .upsampling import *  # noqa: F401,F403,E402
from .fold import Fold, Unfold  # noqa: E402

# -- losses ---------------------------------------------------------------------------------------
from .loss import *  # noqa: F401,F403,E402
