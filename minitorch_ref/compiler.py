"""torch.compile and torch.compiler: compilation is the identity here.

``torch.compile`` traces a model into an optimised graph in torch (TorchDynamo + Inductor). A
NumPy library has no graph to optimise, so compiling returns the same computation:

* ``torch.compile(module)`` returns an ``OptimizedModule`` wrapping it, as torch does: calling it
  calls the module, its attributes are the module's, ``print`` shows
  ``OptimizedModule((_orig_mod): ...)`` and its state_dict keys carry torch's ``_orig_mod.``
  prefix (so checkpoints saved from it load where torch's would);
* ``torch.compile(function)`` returns a wrapper that calls the function (``__wrapped__`` is it);
* ``@torch.compile(mode=...)`` and the other keyword forms decorate; ``disable=True`` returns the
  model itself, as in torch.

Arguments are checked as torch checks them (mode, mode with options, the backend's name).
The numbers are the same as without compiling, where torch's compiled kernels may round
differently (within float32 noise).
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from .nn.modules.module import Module

__all__ = ["compile", "OptimizedModule", "is_compiling", "is_dynamo_compiling", "disable",
           "reset", "list_backends"]

_MODES = ("default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune")
_BACKENDS = ("aot_eager", "cudagraphs", "eager", "inductor", "openxla", "tvm")


class InvalidBackend(RuntimeError):
    """torch._dynamo.exc.InvalidBackend: a backend name torch does not know."""

    def __init__(self, name: str) -> None:
        super().__init__(f"Invalid backend: {name!r}, see `torch._dynamo.list_backends()` for "
                         "available backends.")


class OptimizedModule(Module):
    """What ``torch.compile(module)`` returns: ``module`` under the name ``_orig_mod``; every
    attribute not its own is the module's."""

    _opt_mod_attributes = {"_orig_mod", "forward", "__dict__", "_super_module_initialized"}

    def __init__(self, mod: Module) -> None:
        object.__setattr__(self, "_orig_mod", mod)
        self._super_module_initialized = False
        super().__init__()
        self._super_module_initialized = True
        self._orig_mod = mod  # registers the child module (state_dict prefix "_orig_mod.")
        self.forward = mod.__call__

    @property
    def training(self) -> bool:
        return self._orig_mod.training

    @training.setter
    def training(self, value: bool) -> None:
        if self.__dict__.get("_super_module_initialized"):
            self._orig_mod.training = value

    def __len__(self) -> int:
        try:
            return len(self._orig_mod)
        except TypeError:
            raise TypeError(f"{type(self._orig_mod).__name__} does not support len()") from None

    def __getattr__(self, name: str) -> Any:
        if name == "_orig_mod":
            return self._modules["_orig_mod"]
        return getattr(self._orig_mod, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(type(self), name) or name in OptimizedModule._opt_mod_attributes:
            return super().__setattr__(name, value)
        return setattr(self._orig_mod, name, value)

    def __delattr__(self, name: str) -> None:
        if hasattr(type(self), name) or name in OptimizedModule._opt_mod_attributes:
            return super().__delattr__(name)
        return delattr(self._orig_mod, name)

    def __reduce__(self):
        return (self.__class__, (self._orig_mod,))


def compile(model: Callable | None = None, *, fullgraph: bool = False,  # noqa: A001
            dynamic: bool | None = None, backend: str | Callable | None = "inductor",
            mode: str | None = None, options: dict | None = None, name: str | None = None,
            disable: bool = False, **kwargs: Any) -> Callable:
    """``torch.compile``: see the module docstring; the result computes what ``model`` does."""
    if model is None:
        def fn(model: Callable) -> Callable:
            if model is None:
                raise RuntimeError("Model can't be None")
            return compile(model, fullgraph=fullgraph, dynamic=dynamic, backend=backend,
                           mode=mode, options=options, name=name, disable=disable, **kwargs)
        return fn
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be "
                           "specified at the same time.")
    if mode is not None and mode not in _MODES:
        raise RuntimeError(f"Unrecognized mode={mode}, should be one of: {', '.join(_MODES)}")
    if isinstance(backend, str) and backend not in _BACKENDS:
        raise InvalidBackend(backend)
    if disable:
        return model
    if not callable(model):
        raise AssertionError(f"A callable function is expected, but {type(model)} is provided.")
    if isinstance(model, Module):
        return OptimizedModule(model)

    @functools.wraps(model)
    def compiled(*args: Any, **kw: Any) -> Any:
        return model(*args, **kw)
    return compiled


def is_compiling() -> bool:
    """False: no code here runs inside a compiler's trace."""
    return False


is_dynamo_compiling = is_compiling


def disable(fn: Callable | None = None, recursive: bool = True, *, reason: str | None = None):
    """``@torch.compiler.disable``: keep a function out of compilation (nothing is compiled
    here, so the function is returned as it is)."""
    if fn is None:
        return functools.partial(disable, recursive=recursive, reason=reason)
    return fn


def reset() -> None:
    """Clear compilation caches: there are none."""


def list_backends(exclude_tags: Any = ("debug", "experimental")) -> list[str]:
    return sorted(b for b in _BACKENDS if b not in ("aot_eager", "eager"))
