"""TorchVersion: ``torch.__version__``, a string that compares as a version.

Scripts branch on the torch version in several ways: ``torch.__version__ >= "2.0"``,
``packaging.version.parse(torch.__version__)``, ``tuple(map(int,
torch.__version__.split(".")[:2]))``, ``torch.__version__.startswith("2.")``. torch answers all
of them with a ``str`` subclass whose ``<``, ``<=``, ``==``, ``>=``, ``>`` compare by PEP 440
against strings, tuples (``(2, 1)``) and ``packaging`` Versions, falling back to string
comparison for what is not a version. This is the same class, with the PEP 440 ordering written
out below instead of taken from ``packaging`` (numpy is the only dependency).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["TorchVersion", "InvalidVersion"]


class InvalidVersion(ValueError):
    """A string that is not a PEP 440 version."""


_PEP440 = re.compile(
    r"v?(?:(?P<epoch>\d+)!)?(?P<release>\d+(?:\.\d+)*)"
    r"(?:[-_.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?P<pre_n>\d+)?)?"
    r"(?:-(?P<post_n1>\d+)|[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>\d+)?)?"
    r"(?:[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>\d+)?)?"
    r"(?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?", re.IGNORECASE)
_PRE = {"alpha": "a", "a": "a", "beta": "b", "b": "b", "c": "rc", "pre": "rc", "preview": "rc",
        "rc": "rc"}


def version_key(text: str) -> tuple:
    """The PEP 440 sort key of ``text`` (packaging's ordering): epoch, release without
    trailing zeros, pre-release (a dev-only release sorts before its pre-releases), post-release,
    dev-release, local label (numeric parts above alphabetic ones)."""
    m = _PEP440.fullmatch(text.strip())
    if m is None:
        raise InvalidVersion(f"Invalid version: {text!r}")
    release = [int(p) for p in m["release"].split(".")]
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    # each part is a tuple whose first entry ranks "absent" against "present" as PEP 440 does
    pre = (0, ("a", "b", "rc").index(_PRE[m["pre_l"].lower()]), int(m["pre_n"] or 0)) \
        if m["pre_l"] else None
    post_n = m["post_n1"] or m["post_n2"]
    post = (0, int(post_n or 0)) if (m["post_n1"] or m["post_l"]) else (-1,)
    dev = (0, int(m["dev_n"] or 0)) if m["dev_l"] else (1,)
    if pre is None:  # a dev release of a final version sorts before its pre-releases
        pre = (-1,) if post == (-1,) and dev != (1,) else (1,)
    # a local label sorts after none; numeric parts after alphabetic ones
    local = () if m["local"] is None else tuple(
        (1, int(p), "") if p.isdigit() else (0, 0, p.lower())
        for p in re.split(r"[-_.]", m["local"]))
    return (int(m["epoch"] or 0), tuple(release), pre, post, dev, local)


def _key_of(other: Any) -> tuple:
    if isinstance(other, str):
        return version_key(other)
    if type(other).__name__ == "Version" and hasattr(other, "release"):  # packaging's
        return version_key(str(other))
    if isinstance(other, Iterable):
        return version_key(".".join(str(item) for item in other))
    raise InvalidVersion(other)


class TorchVersion(str):
    """A version string comparable with strings, tuples and packaging Versions."""

    __slots__ = ()

    def _cmp(self, other: Any, method: str) -> bool:
        try:
            mine, theirs = version_key(self), _key_of(other)
        except InvalidVersion:
            return getattr(str, method)(self, other)
        return getattr(mine, method)(theirs)

    def __lt__(self, other: Any) -> bool:
        return self._cmp(other, "__lt__")

    def __le__(self, other: Any) -> bool:
        return self._cmp(other, "__le__")

    def __eq__(self, other: Any) -> bool:
        return self._cmp(other, "__eq__")

    def __ge__(self, other: Any) -> bool:
        return self._cmp(other, "__ge__")

    def __gt__(self, other: Any) -> bool:
        return self._cmp(other, "__gt__")

    __hash__ = str.__hash__
