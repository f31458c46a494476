"""torch.testing: ``assert_close`` (and the deprecated ``assert_allclose``) with torch's
defaults, checks and messages."""
from ._comparison import assert_allclose, assert_close  # noqa: F401

__all__ = ["assert_close", "assert_allclose"]
