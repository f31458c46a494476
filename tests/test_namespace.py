"""minitorch_ref's top-level namespace holds torch's names: nothing of ours leaks in (helpers, ops
torch has as Tensor methods only, ``from __future__`` features), and its submodules are torch's,
but for ``transforms`` (the data augmentation torchvision would give) and ``swap`` (the runner
of torch scripts: a name here once something has imported it). (The submodules' own namespaces
are not checked here.)"""
import types

import torch

import minitorch_ref as mt

OURS_ONLY = {"transforms", "swap"}


def _public(module) -> dict:
    return {n: v for n, v in vars(module).items() if not n.startswith("_")}


def test_every_public_name_is_torchs():
    """(``hasattr``, not ``dir``: torch imports some submodules, ``torch.onnx``, on first use)"""
    assert {n for n in _public(mt) if not hasattr(torch, n)} <= OURS_ONLY


def test_method_only_ops_stay_methods():
    """torch has ``x.expand``, ``x.view_as``, ... but no ``torch.expand``: neither do we."""
    for name in ("expand", "expand_as", "repeat", "reshape_as", "view", "view_as"):
        assert hasattr(torch.Tensor, name) and not hasattr(torch, name)
        assert hasattr(mt.Tensor, name) and not hasattr(mt, name), name


def test_submodules_are_torchs():
    ours = {n for n, v in _public(mt).items() if isinstance(v, types.ModuleType)}
    assert {n for n in ours if not isinstance(getattr(torch, n, None), types.ModuleType)} \
        <= OURS_ONLY
