"""torch.func.functional_call: run a module with some of its parameters and buffers replaced by
given tensors for one call, and stack_module_state for ensembles under vmap."""
from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from .._tensor import Tensor

__all__ = ["functional_call", "stack_module_state"]

_MISSING = object()


class _Accessor:
    """Reads and swaps tensors of a module tree by dotted name, with torch's errors."""

    def __init__(self, module) -> None:
        self.module = module
        self.memo: dict = {}

    def get_submodule(self, name: str):
        from ..nn.modules.module import Module
        if not name:
            return self.module
        if name in self.memo:
            return self.memo[name]
        prefix, dot, attr = name.rpartition(".")
        module = self.get_submodule(prefix) if dot else self.module
        try:
            sub = getattr(module, attr)
        except AttributeError as ex:
            raise AttributeError(f"{module._get_name()} has no attribute `{attr}`") from ex
        if not isinstance(sub, Module):
            raise TypeError(f"submodule `{name}`: {sub} is not an instance of torch.nn.Module")
        self.memo[name] = sub
        return sub

    def swap(self, name: str, tensor) -> Any:
        """Put ``tensor`` (or remove, for _MISSING) at ``name``; return what was there."""
        prefix, _, attr = name.rpartition(".")
        module = self.get_submodule(prefix)
        if tensor is not _MISSING and tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"{tensor} is not an instance of torch.Tensor")
        if attr == "":
            raise KeyError('tensor name can\'t be empty string ""')
        for registry in (module._parameters, module._buffers):
            if attr in registry:
                orig = registry[attr]
                if tensor is _MISSING:
                    del registry[attr]
                else:
                    registry[attr] = tensor  # a plain Tensor may stand in for a Parameter
                return orig
        orig = getattr(module, attr) if hasattr(module, attr) else _MISSING
        if orig is not _MISSING and not isinstance(orig, Tensor):
            raise TypeError(f"attribute `{attr}`: {orig} is not an instance of torch.Tensor")
        if tensor is not _MISSING:
            object.__setattr__(module, attr, tensor)
        elif attr in module.__dict__:
            object.__delattr__(module, attr)
        return orig

    def valid_names(self) -> set:
        names = {n for n, _ in self.module.named_parameters(remove_duplicate=False)}
        return names | {n for n, _ in self.module.named_buffers(remove_duplicate=False)}


def _untie(module, given: dict) -> dict:
    """Extend ``given`` to every name a tied (shared) tensor has in the module."""
    names_of: dict = {}
    for name, t in list(module.named_parameters(remove_duplicate=False)) + list(
            module.named_buffers(remove_duplicate=False)):
        names_of.setdefault(id(t), set()).add(name)
    tied = {n: names for names in names_of.values() if len(names) > 1 for n in names}
    given_tied = [n for n in given if n in tied]
    for name in given_tied:
        names = tied[name]
        values = {id(given[n]) for n in names if n in given}
        if len(names & set(given_tied)) > 1 and len(values) != 1:
            raise ValueError(f"functional_call got multiple values for keys {sorted(names)}, "
                             "which are tied. Consider using tie_weights=False")
    out = dict(given)
    for name in given_tied:
        for other in tied[name]:
            out[other] = given[name]
    return out


@contextlib.contextmanager
def _reparametrize_module(module, tensors: dict, tie_weights: bool = False,
                          strict: bool = False):
    if tie_weights:
        tensors = _untie(module, tensors)
    accessor = _Accessor(module)
    if strict:
        valid = accessor.valid_names()
        missing, unexpected = sorted(valid - set(tensors)), sorted(set(tensors) - valid)
        msgs = []
        if unexpected:
            msgs.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
        if missing:
            msgs.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
        if msgs:
            raise RuntimeError("Error(s) in reparametrizing for {}:\n\t{}".format(
                module._get_name(), "\n\t".join(msgs)))
    originals: dict = {}
    try:
        for name, t in tensors.items():
            originals[name] = accessor.swap(name, t)
        yield
    finally:
        for name, t in reversed(list(originals.items())):
            accessor.swap(name, t)


def _functional_call(module, parameters_and_buffers: dict, args=None, kwargs=None, *,
                     tie_weights: bool = True, strict: bool = False):
    if kwargs is None:
        kwargs = {}
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    with _reparametrize_module(module, parameters_and_buffers, tie_weights=tie_weights,
                               strict=strict):
        return module(*args, **kwargs)


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *,
                    tie_weights: bool = True, strict: bool = False) -> Any:
    """``module(*args, **kwargs)`` with the parameters and buffers named in
    ``parameter_and_buffer_dicts`` (a dict, or a sequence of dicts with distinct keys) replaced
    for this call; the module's own tensors are restored afterwards. Names not given keep the
    module's tensors (``strict=True`` requires all, and no others). ``tie_weights``: a value
    given for one name of a shared tensor is used for all its names."""
    if isinstance(parameter_and_buffer_dicts, dict):
        tensors = parameter_and_buffer_dicts
    elif isinstance(parameter_and_buffer_dicts, Sequence):
        if not all(isinstance(d, dict) for d in parameter_and_buffer_dicts):
            raise ValueError(
                "Expected all elements of parameter_and_buffer_dicts to be dictionaries")
        counts: dict = {}
        for d in parameter_and_buffer_dicts:
            for k in d:
                counts[k] = counts.get(k, 0) + 1
        repeated = [k for k, n in counts.items() if n > 1]
        if repeated:
            raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of "
                             "functional call is ambiguous")
        tensors = {k: v for d in parameter_and_buffer_dicts for k, v in d.items()}
    else:
        raise ValueError("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of "
                         f"dicts, but got {type(parameter_and_buffer_dicts)}")
    return _functional_call(module, tensors, args, kwargs, tie_weights=tie_weights,
                            strict=strict)


def stack_module_state(models) -> tuple[dict, dict]:
    """(params, buffers): each name's tensors from every model stacked along a new first
    dimension, as new leaves (requiring grad where the originals do), for ``vmap`` ensembles."""
    from .. import stack
    if len(models) == 0:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or all(not m.training for m in models)):
        raise RuntimeError(
            "stack_module_state: Expected all models to have the same training/eval mode.")
    if not all(type(m) is type(models[0]) for m in models):
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")

    def stacked(tensors, name):
        req = [t.requires_grad for t in tensors]
        if any(req) and not all(req):
            raise RuntimeError(
                f"Expected {name} from each model to have the same .requires_grad")
        result = stack(tensors)
        return result.detach().requires_grad_() if all(req) else result

    all_params = [dict(m.named_parameters()) for m in models]
    all_buffers = [dict(m.named_buffers()) for m in models]
    params = {k: stacked([p[k] for p in all_params], k) for k in all_params[0]}
    buffers = {k: stacked([b[k] for b in all_buffers], k) for k in all_buffers[0]}
    return params, buffers
