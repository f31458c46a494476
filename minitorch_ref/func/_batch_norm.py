"""torch.func.replace_all_batch_norm_modules_: batch norm without running statistics, so that
a model can be run per sample under vmap (each sample normalizes with its own statistics)."""
from __future__ import annotations

__all__ = ["replace_all_batch_norm_modules_"]


def _without_running_stats(module) -> None:
    from ..nn.modules.normalization import _BatchNorm
    if isinstance(module, _BatchNorm) and module.track_running_stats:
        module.running_mean = None
        module.running_var = None
        module.num_batches_tracked = None
        module.track_running_stats = False


def replace_all_batch_norm_modules_(root):
    """In place: every BatchNorm in ``root`` drops ``running_mean``, ``running_var`` and
    ``num_batches_tracked`` (set to None) and stops tracking them. Returns ``root``."""
    _without_running_stats(root)
    for module in root.modules():
        _without_running_stats(module)
    return root
