"""The handle every ``register_*_hook`` returns (tensors, autograd nodes, modules, optimizers),
torch's ``torch.utils.hooks.RemovableHandle``. It lives apart from ``utils.hooks`` so that the
Tensor and the autograd nodes can use it without importing the module machinery."""
from __future__ import annotations

import itertools
import weakref
from collections import OrderedDict


class RemovableHandle:
    """Returned by the ``register_*_hook`` methods; ``remove()`` unregisters the hook (also from
    the extra dicts that mark it, e.g. as taking kwargs)."""

    _next_id = itertools.count()

    def __init__(self, hooks_dict: dict, *, extra_dict=None) -> None:
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = next(RemovableHandle._next_id)
        if extra_dict is None:
            extra_dict = []
        elif isinstance(extra_dict, dict):
            extra_dict = [extra_dict]
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extra_dict)

    def remove(self) -> None:
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            d = ref()
            if d is not None and self.id in d:
                del d[self.id]

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


RemovableHandle.__module__ = "minitorch_ref.utils.hooks"  # where torch's users find it


class _HookDict(OrderedDict):
    """An OrderedDict that can be weak-referenced (RemovableHandle holds weak references)."""
