"""nn.Module: the base class every layer and model subclasses.

A Module keeps three ordered registries, filled by attribute assignment exactly as in torch:

* ``_parameters``: ``self.w = Parameter(...)`` (or ``register_parameter``);
* ``_buffers``: ``register_buffer(name, tensor, persistent)`` (or ``self.b = Buffer(...)``);
* ``_modules``: ``self.child = SomeModule(...)`` (or ``add_module``).

Everything else follows from walking these registries recursively: ``named_parameters``,
``state_dict`` keys such as ``"0.weight"`` or ``"bn.running_mean"``, ``train()``/``eval()``,
``to(dtype)``, and the nested ``repr``. ``__call__`` runs the forward pre-hooks, ``forward``
and the forward hooks.
"""
from __future__ import annotations

import itertools
from collections import OrderedDict, namedtuple
from typing import Any, Callable, Iterator, Mapping

import numpy as np

from ... import _dtype
from ..._tensor import Size, Tensor, _new_tensor, _rebind, device as _device
from ...autograd.grad_mode import no_grad
from ...utils.hooks import (  # noqa: F401 - RemovableHandle: torch.nn.modules.module's too
    RemovableHandle, _BackwardHookState, _HookDict, _HookInputs, _HookOutputs,
)
from ..parameter import Buffer, Parameter

__all__ = ["Module", "RemovableHandle"]


def _typename(obj: Any) -> str:
    """torch.typename: ``torch.FloatTensor`` for tensors, else the qualified type name, spelled
    with ``torch`` where ours says ``minitorch_ref`` so that messages read as torch's do."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = obj.__class__.__module__ or ""
        qualname = obj.__class__.__qualname__
    if module in ("", "builtins"):
        return qualname
    if module.startswith("minitorch_ref"):
        module = "torch" + module[len("minitorch_ref"):]
    return f"{module}.{qualname}"


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: torch's namedtuple, with its friendly repr when every
    key matched."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__



def _addindent(s: str, num_spaces: int) -> str:
    """Indent every line but the first of a child's repr (blank lines stay blank)."""
    lines = s.split("\n")
    if len(lines) == 1:
        return s
    first = lines.pop(0)
    rest = [(num_spaces * " ") + line if line.strip() else "" for line in lines]
    return first + "\n" + "\n".join(rest)


def _forward_unimplemented(self, *input: Any) -> None:
    raise NotImplementedError(
        f'Module [{type(self).__name__}] is missing the required "forward" function')


def _as_loadable(value):
    """A state_dict entry as something with ``.shape``: ours, a NumPy array, or any array-like
    (a torch tensor goes through ``__array__``)."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray):
        return value
    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        return np.asarray(value.detach().cpu())
    if hasattr(value, "__array__"):
        return np.asarray(value)
    return None


def _join(prefix: str, name: str) -> str:
    """A dotted path: ``name`` under ``prefix`` (just ``name`` at the root)."""
    return f"{prefix}.{name}" if prefix else name


def _forget(name: str, *places) -> None:
    """Take ``name`` out of each dict or set in ``places`` (where it is absent, nothing happens).
    Used when an assignment moves a name from one registry (or ``__dict__``) to another."""
    for place in places:
        if isinstance(place, dict):
            place.pop(name, None)
        else:
            place.discard(name)


def _check_member_name(module: "Module", kind: str, registry: str, name: Any) -> None:
    """The checks ``register_buffer`` and ``register_parameter`` share, in torch's order and
    words: the module is initialised, the name is a non-empty string without dots, and it does
    not shadow another attribute (re-registering a name of the same registry is allowed)."""
    if registry not in module.__dict__:
        raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string. Got {_typename(name)}")
    if "." in name:
        raise KeyError(f'{kind} name can\'t contain "."')
    if not name:
        raise KeyError(f'{kind} name can\'t be empty string ""')
    if hasattr(module, name) and name not in module.__dict__[registry]:
        raise KeyError(f"attribute '{name}' already exists")


def _new_hook(hooks: dict, hook: Callable, prepend: bool = False,
              flags: tuple = ()) -> RemovableHandle:
    """Store ``hook`` in the ordered ``hooks`` dict under a fresh handle id, at the front when
    ``prepend``. ``flags`` holds ``(flag_dict, on)`` pairs: the id is marked True in each
    flag_dict whose ``on`` holds, and removing the handle clears it from all of them."""
    marks = [flag_dict for flag_dict, _ in flags]
    handle = RemovableHandle(hooks, extra_dict=marks or None)
    hooks[handle.id] = hook
    for flag_dict, on in flags:
        if on:
            flag_dict[handle.id] = True
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


def _forward_hook_output(module: "Module", hook_id: int, hook: Callable, args: tuple,
                         kwargs: dict, result: Any) -> Any:
    """Call one forward hook in the form it was registered with (with or without kwargs)."""
    if hook_id in module._forward_hooks_with_kwargs:
        return hook(module, args, kwargs, result)
    return hook(module, args, result)


def _kwargs_pre_hook_output(returned: Any, args: tuple, kwargs: dict) -> tuple:
    """``(args, kwargs)`` after a ``with_kwargs`` forward pre-hook returned ``returned``: kept
    for None, replaced by a 2-tuple, and anything else is torch's RuntimeError."""
    if returned is None:
        return args, kwargs
    if isinstance(returned, tuple) and len(returned) == 2:
        return returned
    raise RuntimeError("forward pre-hook must return None or a tuple of (new_args, "
                       f"new_kwargs), but got {returned}.")


class _WrappedHook:
    """A load-state-dict pre-hook registered without the module argument."""

    def __init__(self, hook: Callable, with_module: bool) -> None:
        self.hook = hook
        self.with_module = with_module

    def __call__(self, module, *args, **kwargs):
        return self.hook(module, *args, **kwargs) if self.with_module \
            else self.hook(*args, **kwargs)


class Module:
    """Base class for all neural network modules, mirroring ``torch.nn.Module``.

    Subclasses call ``super().__init__()`` first, then assign parameters, buffers and child
    modules as attributes, and define ``forward``. Call the module (``m(x)``), not ``forward``,
    so that hooks run.
    """

    dump_patches: bool = False
    _version: int = 1
    training: bool
    call_super_init: bool = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not self.call_super_init and kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() got an unexpected keyword "
                            f"argument '{next(iter(kwargs))}'")
        if not self.call_super_init and args:
            raise TypeError(f"{type(self).__name__}.__init__() takes 1 positional argument "
                            f"but {len(args) + 1} were given")
        # object.__setattr__: our own __setattr__ would look for the registries being created
        setattr_ = super().__setattr__
        setattr_("training", True)
        setattr_("_parameters", {})
        setattr_("_buffers", {})
        setattr_("_non_persistent_buffers_set", set())
        setattr_("_backward_pre_hooks", _HookDict())
        setattr_("_backward_hooks", _HookDict())
        setattr_("_forward_hooks", _HookDict())
        setattr_("_forward_hooks_with_kwargs", _HookDict())
        setattr_("_forward_hooks_always_called", _HookDict())
        setattr_("_forward_pre_hooks", _HookDict())
        setattr_("_forward_pre_hooks_with_kwargs", _HookDict())
        setattr_("_state_dict_hooks", _HookDict())
        setattr_("_state_dict_pre_hooks", _HookDict())
        setattr_("_load_state_dict_pre_hooks", _HookDict())
        setattr_("_load_state_dict_post_hooks", _HookDict())
        setattr_("_modules", {})
        if self.call_super_init:
            super().__init__(*args, **kwargs)

    forward: Callable[..., Any] = _forward_unimplemented

    # -- registration ------------------------------------------------------------------------------
    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a tensor that is state but not a parameter (BatchNorm's ``running_mean``).
        Non-persistent buffers are left out of ``state_dict``."""
        _check_member_name(self, "buffer", "_buffers", name)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                            "(torch Tensor or None required)")
        if isinstance(tensor, Buffer):  # the marker class is not kept: store a plain Tensor
            tensor = tensor.detach()
        self._buffers[name] = tensor
        # the set names the buffers state_dict leaves out
        mark = self._non_persistent_buffers_set.discard if persistent else \
            self._non_persistent_buffers_set.add
        mark(name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter; ``None`` registers the name without a tensor (``bias=False``)."""
        _check_member_name(self, "parameter", "_parameters", name)
        if param is not None:
            if not isinstance(param, Parameter):
                raise TypeError(f"cannot assign '{_typename(param)}' object to parameter "
                                f"'{name}' (torch.nn.Parameter or None required)")
            if param.grad_fn is not None:  # a parameter must be a leaf of the graph
                raise ValueError(
                    f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters "
                    f"must be created explicitly. To express '{name}' as a function of another "
                    "Tensor, compute the value in the forward() method.")
        self._parameters[name] = param

    def add_module(self, name: str, module: "Module | None") -> None:
        """Add a child module, reachable as ``self.<name>``."""
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {_typename(name)}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._modules[name] = module

    def register_module(self, name: str, module: "Module | None") -> None:
        """Alias of ``add_module``."""
        self.add_module(name, module)

    # -- attribute protocol: the registries behave like attributes ---------------------------------
    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails, i.e. for registered names.
        d = self.__dict__
        if "_parameters" in d and name in d["_parameters"]:
            return d["_parameters"][name]
        if "_buffers" in d and name in d["_buffers"]:
            return d["_buffers"][name]
        if "_modules" in d and name in d["_modules"]:
            return d["_modules"][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        """Route an assignment to the registry it belongs to, checked in this order:

        1. a Parameter, or None over a parameter's name: ``_parameters``;
        2. a Module, or None over a child's name: ``_modules``;
        3. a Buffer, or a tensor or None over a buffer's name: ``_buffers`` (a plain tensor
           keeps the buffer's persistence, a Buffer brings its own);
        4. anything else: an ordinary attribute.

        A Parameter or Module taking over a name removes it from the other registries and from
        ``__dict__``. Other values over a parameter's or child's name are TypeErrors.
        """
        own = self.__dict__
        params, children = own.get("_parameters"), own.get("_modules")
        buffers = own.get("_buffers")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            _forget(name, own, self._buffers, self._modules, self._non_persistent_buffers_set)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as parameter '{name}' "
                                "(torch.nn.Parameter or None expected)")
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            if children is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            _forget(name, own, self._parameters, self._buffers,
                    self._non_persistent_buffers_set)
            children[name] = value
        elif children is not None and name in children:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as child module '{name}' "
                                "(torch.nn.Module or None expected)")
            children[name] = value
        elif isinstance(value, Buffer) or (buffers is not None and name in buffers):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{_typename(value)}' as buffer '{name}' "
                                "(torch.nn.Buffer, torch.Tensor or None expected)")
            if isinstance(value, Buffer):
                _forget(name, own)
                keep = value.persistent
            else:
                keep = name not in self._non_persistent_buffers_set
            self.register_buffer(name, value, keep)
        else:
            super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        """``del m.name`` unregisters a parameter, buffer or child (first registry that has
        it), else deletes an ordinary attribute."""
        for registry in (self._parameters, self._buffers, self._modules):
            if name in registry:
                del registry[name]
                if registry is self._buffers:
                    self._non_persistent_buffers_set.discard(name)
                return
        super().__delattr__(name)

    def __dir__(self) -> list:
        keys = (dir(self.__class__) + list(self.__dict__) + list(self._parameters)
                + list(self._modules) + list(self._buffers))
        return sorted(k for k in keys if not k[0].isdigit())

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    # -- lookup by dotted path -------------------------------------------------------------------
    def _get_name(self) -> str:
        return self.__class__.__name__

    def get_submodule(self, target: str) -> "Module":
        if target == "":
            return self
        mod = self
        for item in target.split("."):
            if not hasattr(mod, item):
                raise AttributeError(mod._get_name() + " has no attribute `" + item + "`")
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise AttributeError("`" + item + "` is not an nn.Module")
        return mod

    def set_submodule(self, target: str, module: "Module", strict: bool = False) -> None:
        if target == "":
            raise ValueError("Cannot set the submodule without a target name!")
        atoms = target.split(".")
        if not isinstance(module, Module):
            raise ValueError(f"`module` is not an nn.Module, found {type(module)}")
        parent = self if len(atoms) == 1 else self.get_submodule(".".join(atoms[:-1]))
        if strict and not hasattr(parent, atoms[-1]):
            raise AttributeError(parent._get_name() + " has no attribute `" + atoms[-1] + "`")
        if hasattr(parent, atoms[-1]) and not isinstance(getattr(parent, atoms[-1]), Module):
            raise AttributeError("`" + atoms[-1] + "` is not an nn.Module")
        setattr(parent, atoms[-1], module)

    def get_parameter(self, target: str) -> Parameter:
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, name):
            raise AttributeError(mod._get_name() + " has no attribute `" + name + "`")
        param = getattr(mod, name)
        if not isinstance(param, Parameter):
            raise AttributeError("`" + name + "` is not an nn.Parameter")
        return param

    def get_buffer(self, target: str) -> Tensor:
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, name):
            raise AttributeError(mod._get_name() + " has no attribute `" + name + "`")
        buf = getattr(mod, name)
        if name not in mod._buffers:
            raise AttributeError("`" + name + "` is not a buffer")
        return buf

    # -- iteration over the tree -----------------------------------------------------------------
    def _named_members(self, get_members_fn, prefix: str = "", recurse: bool = True,
                       remove_duplicate: bool = True):
        """``(dotted name, member)`` for the members ``get_members_fn(module)`` lists, over this
        module (or the whole tree when ``recurse``); None entries are skipped, and an object
        seen before is skipped too unless ``remove_duplicate`` is False."""
        seen = set()
        owners = (self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
                  if recurse else [(prefix, self)])
        for path, owner in owners:
            for name, member in get_members_fn(owner):
                if member is None or member in seen:
                    continue
                if remove_duplicate:
                    seen.add(member)
                yield _join(path, name), member

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        yield from (p for _, p in self.named_parameters(recurse=recurse))

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """``(dotted name, parameter)`` pairs; a parameter shared by two modules comes once
        (under its first name) unless ``remove_duplicate=False``."""
        yield from self._named_members(lambda m: m._parameters.items(), prefix=prefix,
                                       recurse=recurse, remove_duplicate=remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        yield from (b for _, b in self.named_buffers(recurse=recurse))

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        yield from self._named_members(lambda m: m._buffers.items(), prefix=prefix,
                                       recurse=recurse, remove_duplicate=remove_duplicate)

    def children(self) -> Iterator["Module"]:
        yield from (child for _, child in self.named_children())

    def named_children(self) -> Iterator[tuple[str, "Module"]]:
        """The direct children with their names; None slots are skipped, and a module
        registered under two names comes once (under the first)."""
        seen = set()
        for name, child in self._modules.items():
            if child is None or child in seen:
                continue
            seen.add(child)
            yield name, child

    def modules(self, remove_duplicate: bool = True) -> Iterator["Module"]:
        yield from (m for _, m in self.named_modules(remove_duplicate=remove_duplicate))

    def named_modules(self, memo: set | None = None, prefix: str = "",
                      remove_duplicate: bool = True):
        """This module (name ``prefix``) and every descendant, depth first, in registration
        order."""
        seen = set() if memo is None else memo
        if self in seen:
            return
        if remove_duplicate:
            seen.add(self)
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child.named_modules(seen, _join(prefix, name), remove_duplicate)

    # -- modes and gradients ---------------------------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self) -> "Module":
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> "Module":
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Drop every parameter's gradient (``set_to_none``), or zero it in place after cutting
        it from any graph it belongs to (so the zeros record no history)."""
        for p in self.parameters():
            grad = p.grad
            if grad is None:
                continue
            if set_to_none:
                p.grad = None
                continue
            if grad.grad_fn is None:
                grad.requires_grad_(False)
            else:
                grad.detach_()
            grad.zero_()

    # -- conversion ------------------------------------------------------------------------------
    def _apply(self, fn: Callable[[Tensor], Tensor], recurse: bool = True) -> "Module":
        """Apply ``fn`` to every parameter, its gradient and every buffer. A parameter keeps its
        identity (torch's ``param.data = fn(param)``), so optimizers built before ``.double()``
        still hold the module's parameters."""
        if recurse:
            for child in self.children():
                child._apply(fn)
        for param in self._parameters.values():
            if param is None:
                continue
            with no_grad():
                _rebind(param, fn(param)._data)
            if param._grad is not None:
                with no_grad():
                    param._grad._data = fn(param._grad)._data
        present = [key for key, buf in self._buffers.items() if buf is not None]
        for key in present:
            self._buffers[key] = fn(self._buffers[key])
        return self

    def apply(self, fn: Callable[["Module"], None]) -> "Module":
        """Call ``fn`` on every child (recursively, children first), then on ``self``."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def to(self, *args, **kwargs) -> "Module":
        """``to(dtype)``, ``to(device)``, ``to(tensor)``: casts floating parameters and buffers
        (integer buffers such as ``num_batches_tracked`` keep their dtype)."""
        dtype = kwargs.pop("dtype", None)
        dev = kwargs.pop("device", None)
        kwargs.pop("non_blocking", None)
        kwargs.pop("memory_format", None)
        if kwargs:
            raise TypeError(f"to() received an invalid combination of arguments - got "
                            f"unexpected keyword argument '{next(iter(kwargs))}'")
        for a in args:
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif isinstance(a, (str, _device)) or (isinstance(a, int) and not isinstance(a, bool)):
                dev = a
            elif a is not None and not isinstance(a, bool):
                dtype = a
        if dev is not None:
            dev = _device(dev)  # a malformed device is an error even without tensors to move
        if dtype is not None:
            dtype = _dtype.as_dtype(dtype)
            if not dtype.is_floating_point:
                raise TypeError("nn.Module.to only accepts floating point or complex dtypes, "
                                f"but got desired dtype={dtype}")

        def convert(t: Tensor) -> Tensor:
            if dev is not None:
                t.to(dev)  # raises for any device but the CPU, as at torch's first tensor moved
            return t.to(dtype) if dtype is not None and t.is_floating_point() else t

        return self._apply(convert)

    def type(self, dst_type) -> "Module":
        return self._apply(lambda t: t.type(dst_type))

    def float(self) -> "Module":
        return self._apply(lambda t: t.float() if t.is_floating_point() else t)

    def double(self) -> "Module":
        return self._apply(lambda t: t.double() if t.is_floating_point() else t)

    def half(self) -> "Module":
        return self._apply(lambda t: t.half() if t.is_floating_point() else t)

    def bfloat16(self) -> "Module":
        """Raises by name: tensors of dtype bfloat16 are not implemented (NumPy lacks it)."""
        return self._apply(lambda t: t.to(_dtype.bfloat16) if t.is_floating_point() else t)

    def compile(self, *args, **kwargs) -> None:
        """torch compiles this module's forward in place; here compiling is the identity (see
        ``torch.compile``), so only the arguments are checked, as torch checks them."""
        from ...compiler import compile as compile_
        compile_(self, *args, **kwargs)

    def cpu(self) -> "Module":
        return self

    def cuda(self, device=None) -> "Module":
        """Raises at the first parameter or buffer, as torch's CPU-only build does (a module
        without tensors is returned unchanged)."""
        return self._apply(lambda t: t.cuda(device))

    def xpu(self, device=None) -> "Module":
        return self._apply(lambda t: t.xpu(device))

    def share_memory(self) -> "Module":
        return self

    # -- hooks and calling -----------------------------------------------------------------------
    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """``hook(module, args)`` (or ``hook(module, args, kwargs)`` with ``with_kwargs``) runs
        before ``forward``; a non-None result replaces the arguments."""
        return _new_hook(self._forward_pre_hooks, hook, prepend,
                         flags=((self._forward_pre_hooks_with_kwargs, with_kwargs),))

    def register_forward_hook(self, hook: Callable, *, prepend: bool = False,
                              with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """``hook(module, args, output)`` (or ``hook(module, args, kwargs, output)``) runs after
        ``forward``; a non-None result replaces the output."""
        return _new_hook(self._forward_hooks, hook, prepend,
                         flags=((self._forward_hooks_with_kwargs, with_kwargs),
                                (self._forward_hooks_always_called, always_call)))

    def register_full_backward_pre_hook(self, hook: Callable, prepend: bool = False
                                        ) -> RemovableHandle:
        """``hook(module, grad_output)`` runs when the gradients of the module's outputs have
        been computed; a non-None result replaces them."""
        return _new_hook(self._backward_pre_hooks, hook, prepend)

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False
                                    ) -> RemovableHandle:
        """``hook(module, grad_input, grad_output)`` runs when the gradients of the module's
        positional inputs have been computed (``None`` for non-tensor arguments); a non-None
        result (a tuple, one entry per positional argument) replaces ``grad_input``."""
        return _new_hook(self._backward_hooks, hook, prepend)

    def _setup_backward_hooks(self, args: tuple):
        from ...autograd.grad_mode import is_grad_enabled
        tensor_idx = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        state = _BackwardHookState(self, len(args), tensor_idx)
        if is_grad_enabled() and any(args[i].requires_grad for i in tensor_idx):
            state.inputs_hooked = True
            wrapped = _HookInputs.apply(state, *[args[i] for i in tensor_idx])
            args = list(args)
            for i, t in zip(tensor_idx, wrapped):
                args[i] = t
            args = tuple(args)
        return state, args

    @staticmethod
    def _hook_outputs(state: _BackwardHookState, result):
        if isinstance(result, Tensor):
            return _HookOutputs.apply(state, result)[0] if result.requires_grad else result
        if isinstance(result, tuple):
            idx = [i for i, r in enumerate(result) if isinstance(r, Tensor)]
            if not any(result[i].requires_grad for i in idx):
                return result
            state.n_outputs, state.output_idx = len(result), idx
            wrapped = _HookOutputs.apply(state, *[result[i] for i in idx])
            out = list(result)
            for i, t in zip(idx, wrapped):
                out[i] = t
            return tuple(out)
        return result

    def _call_impl(self, *args, **kwargs):
        if not (self._forward_hooks or self._forward_pre_hooks or self._backward_hooks
                or self._backward_pre_hooks):
            return self.forward(*args, **kwargs)
        called = set()
        result = None
        try:
            for hook_id, hook in list(self._forward_pre_hooks.items()):
                if hook_id in self._forward_pre_hooks_with_kwargs:
                    args, kwargs = _kwargs_pre_hook_output(hook(self, args, kwargs), args, kwargs)
                    continue
                replaced = hook(self, args)
                if replaced is not None:  # a single value stands for a 1-tuple
                    args = replaced if isinstance(replaced, tuple) else (replaced,)
            bw_state = None
            if self._backward_hooks or self._backward_pre_hooks:
                bw_state, args = self._setup_backward_hooks(args)
            result = self.forward(*args, **kwargs)
            for hook_id, hook in list(self._forward_hooks.items()):
                if hook_id in self._forward_hooks_always_called:
                    called.add(hook_id)
                replaced = _forward_hook_output(self, hook_id, hook, args, kwargs, result)
                if replaced is not None:
                    result = replaced
            if bw_state is not None:
                result = self._hook_outputs(bw_state, result)
            return result
        except Exception:
            # the always_call forward hooks that did not run yet still run; their own errors
            # become warnings so that the original exception is the one raised
            import warnings
            pending = [(hook_id, hook) for hook_id, hook in self._forward_hooks.items()
                       if hook_id in self._forward_hooks_always_called and hook_id not in called]
            for hook_id, hook in pending:
                try:
                    replaced = _forward_hook_output(self, hook_id, hook, args, kwargs, result)
                except Exception as e:  # noqa: BLE001 - torch silences it with a warning
                    warnings.warn("module forward hook with ``always_call=True`` raised an "
                                  "exception that was silenced as another error was raised "
                                  f"in forward: {e}", stacklevel=2)
                    continue
                if replaced is not None:
                    result = replaced
            raise

    __call__ = _call_impl

    # -- state_dict ------------------------------------------------------------------------------
    def get_extra_state(self) -> Any:
        """Override (with ``set_extra_state``) to store extra picklable state under the
        ``"<prefix>_extra_state"`` key of ``state_dict``."""
        raise RuntimeError(
            "Reached a code path in Module.get_extra_state() that should never be called. "
            "Please file an issue at https://github.com/pytorch/pytorch/issues/new?template="
            "bug-report.yml to report this bug.")

    def set_extra_state(self, state: Any) -> None:
        raise RuntimeError(
            "Reached a code path in Module.set_extra_state() that should never be called. "
            "Please file an issue at https://github.com/pytorch/pytorch/issues/new?template="
            "bug-report.yml to report this bug.")

    def _save_to_state_dict(self, destination: dict, prefix: str, keep_vars: bool) -> None:
        """Write this module's own entries (not its children's) into ``destination``: each
        parameter, then each persistent buffer (None slots skipped), detached unless
        ``keep_vars``; then ``_extra_state`` when the class overrides ``get_extra_state``."""
        kept_buffers = ((name, buf) for name, buf in self._buffers.items()
                        if name not in self._non_persistent_buffers_set)
        for name, value in itertools.chain(self._parameters.items(), kept_buffers):
            if value is not None:
                destination[prefix + name] = value if keep_vars else value.detach()
        if type(self).get_extra_state is not Module.get_extra_state:
            destination[prefix + "_extra_state"] = self.get_extra_state()

    def state_dict(self, *args, destination=None, prefix: str = "", keep_vars: bool = False):
        """An OrderedDict of every parameter and persistent buffer under its dotted name, in
        registration order (own entries first, then each child's). Values share memory with the
        module (detached unless ``keep_vars``). ``_metadata`` records each module's version."""
        if args:
            import warnings
            warnings.warn(
                "Positional args are being deprecated, use kwargs instead. Refer to "
                "https://pytorch.org/docs/main/generated/torch.nn.Module.html#torch.nn.Module."
                "state_dict for details.", FutureWarning, stacklevel=2)
            # the old positional order was (destination, prefix, keep_vars); a keyword that was
            # also given (non-default) wins
            old = dict(zip(("destination", "prefix", "keep_vars"), args))
            if destination is None:
                destination = old["destination"]
            if prefix == "":
                prefix = old.get("prefix", prefix)
            if keep_vars is False:
                keep_vars = old.get("keep_vars", keep_vars)
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        own_metadata = {"version": self._version}
        if hasattr(destination, "_metadata"):  # keyed by the module's path, without the dot
            destination._metadata[prefix[:-1]] = own_metadata
        for pre_hook in self._state_dict_pre_hooks.values():
            pre_hook(self, prefix, keep_vars)
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, child in self._modules.items():
            if child is not None:
                child.state_dict(destination=destination, prefix=f"{prefix}{name}.",
                                 keep_vars=keep_vars)
        for post_hook in self._state_dict_hooks.values():
            replaced = post_hook(self, destination, prefix, own_metadata)
            if replaced is not None:
                destination = replaced
        return destination

    def register_state_dict_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, prefix, keep_vars)`` runs before this module writes its entries."""
        return _new_hook(self._state_dict_pre_hooks, hook)

    def register_state_dict_post_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, state_dict, prefix, local_metadata)`` runs after this module and its
        children wrote their entries; a non-None result replaces the dict."""
        return _new_hook(self._state_dict_hooks, hook)

    def register_load_state_dict_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, state_dict, prefix, local_metadata, strict, missing_keys,
        unexpected_keys, error_msgs)`` runs before this module loads its entries."""
        return _new_hook(self._load_state_dict_pre_hooks, hook)

    def _register_state_dict_hook(self, hook: Callable) -> RemovableHandle:
        """torch's private form: ``hook(module, state_dict, prefix, local_metadata)``."""
        return self.register_state_dict_post_hook(hook)

    def _register_load_state_dict_pre_hook(self, hook: Callable,
                                           with_module: bool = False) -> RemovableHandle:
        """torch's private form: ``hook(state_dict, prefix, ...)`` without the module unless
        ``with_module``; stored wrapped (as torch stores it, a ``_WrappedHook``)."""
        return _new_hook(self._load_state_dict_pre_hooks, _WrappedHook(hook, with_module))

    def register_load_state_dict_post_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, incompatible_keys)`` runs after this module and its children loaded;
        it may edit the key lists in place and must return None."""
        return _new_hook(self._load_state_dict_post_hooks, hook)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs) -> None:
        """Copy this module's own entries (not its children's) from ``state_dict``, collecting
        missing/unexpected keys and torch's error messages instead of raising."""
        for hook in self._load_state_dict_pre_hooks.values():
            hook(self, state_dict, prefix, local_metadata, strict, missing_keys,
                 unexpected_keys, error_msgs)
        persistent = {k: v for k, v in self._buffers.items()
                      if k not in self._non_persistent_buffers_set}
        local_state = {k: v for k, v in itertools.chain(self._parameters.items(),
                                                       persistent.items()) if v is not None}
        assign = local_metadata.get("assign_to_params_buffers", False)
        if strict:
            missing_keys.extend(prefix + name for name in local_state
                                if prefix + name not in state_dict)
        for name, param in local_state.items():
            key = prefix + name
            if key not in state_dict:
                continue
            value = _as_loadable(state_dict[key])
            if value is None:
                error_msgs.append(
                    f'While copying the parameter named "{key}", expected torch.Tensor or '
                    f"Tensor-like object from checkpoint but received {type(state_dict[key])}")
                continue
            shape = tuple(value.shape)
            if param.ndim == 0 and shape == (1,):  # torch accepts 0.3-era 1-element tensors
                value = value[0]
                shape = ()
            if shape != tuple(param.shape):
                error_msgs.append(
                    f"size mismatch for {key}: copying a param with shape {Size(shape)} from "
                    f"checkpoint, the shape in current model is {param.shape}.")
                continue
            try:
                with no_grad():
                    if assign:
                        src = value._data if isinstance(value, Tensor) else np.array(value)
                        new = Parameter(src, param.requires_grad) \
                            if isinstance(param, Parameter) else _new_tensor(src)
                        setattr(self, name, new)
                    else:
                        param.copy_(value if isinstance(value, Tensor)
                                    else np.asarray(value, dtype=param._data.dtype))
            except Exception as ex:  # noqa: BLE001 - torch reports it in the error list
                error_msgs.append(
                    f'While copying the parameter named "{key}", whose dimensions in the model '
                    f"are {param.size()} and whose dimensions in the checkpoint are "
                    f"{Size(shape)}, an exception occurred : {ex.args}.")
        extra_key = prefix + "_extra_state"
        if type(self).set_extra_state is not Module.set_extra_state:
            if extra_key in state_dict:
                self.set_extra_state(state_dict[extra_key])
            elif strict:
                missing_keys.append(extra_key)
        elif strict and extra_key in state_dict:
            unexpected_keys.append(extra_key)
        if strict:
            # a key under this prefix must name one of our entries, or lie under a child's
            # name (the child checks the rest)
            for key in state_dict:
                if not key.startswith(prefix) or key == extra_key:
                    continue
                head, dot, _ = key[len(prefix):].partition(".")
                if head not in (self._modules if dot else local_state):
                    unexpected_keys.append(key)

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True,
                        assign: bool = False) -> _IncompatibleKeys:
        """Copy parameters and buffers from ``state_dict`` (values: our tensors, NumPy arrays,
        or torch tensors) into this module and its descendants, in place.

        Returns ``_IncompatibleKeys(missing_keys, unexpected_keys)``. With ``strict=True`` any
        missing or unexpected key is an error; a shape mismatch always is. All problems are
        reported together in one RuntimeError, worded as torch words it."""
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing_keys: list = []
        unexpected_keys: list = []
        error_msgs: list = []
        metadata = getattr(state_dict, "_metadata", None)
        entries = OrderedDict(state_dict)

        def load_tree(module: Module, below: dict, path: str) -> None:
            """Load ``module`` from ``below`` (the entries under ``path``), then each child from
            the entries under its own path, then run ``module``'s post-hooks."""
            meta = dict(metadata.get(path[:-1], {})) if metadata is not None else {}
            if assign:
                meta["assign_to_params_buffers"] = assign
            module._load_from_state_dict(below, path, meta, True, missing_keys,
                                         unexpected_keys, error_msgs)
            for name, child in module._modules.items():
                if child is None:
                    continue
                child_path = f"{path}{name}."
                load_tree(child, {k: v for k, v in below.items() if k.startswith(child_path)},
                          child_path)
            incompatible = _IncompatibleKeys(missing_keys, unexpected_keys)
            for post_hook in module._load_state_dict_post_hooks.values():
                if post_hook(module, incompatible) is not None:
                    raise AssertionError(
                        "Hooks registered with ``register_load_state_dict_post_hook`` are not "
                        "expected to return new values, if incompatible_keys need to be "
                        "modified, it should be done inplace.")

        load_tree(self, entries, "")
        if strict:
            # key problems lead the report: missing keys first, then unexpected ones
            key_lines = [f"{label} key(s) in state_dict: {', '.join(repr_keys)}. "
                         for label, repr_keys in (
                             ("Missing", [f'"{k}"' for k in missing_keys]),
                             ("Unexpected", [f'"{k}"' for k in unexpected_keys])) if repr_keys]
            error_msgs[:0] = key_lines
        if error_msgs:
            raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                self.__class__.__name__, "\n\t".join(error_msgs)))
        return _IncompatibleKeys(missing_keys, unexpected_keys)

    # -- printing --------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text inside ``Name(...)``; layers override it (``in_features=4, ...``)."""
        return ""

    def __repr__(self) -> str:
        """``Name(extra)`` on one line when there is one line of ``extra_repr`` and no child;
        otherwise one indented line per extra line and per child (``(name): repr``)."""
        extra = self.extra_repr()
        own = extra.split("\n") if extra else []
        children = [f"({key}): {_addindent(repr(child), 2)}"
                    for key, child in self._modules.items()]
        name = self._get_name()
        if len(own) == 1 and not children:
            return f"{name}({own[0]})"
        body = own + children
        if not body:
            return f"{name}()"
        return name + "(\n  " + "\n  ".join(body) + "\n)"
