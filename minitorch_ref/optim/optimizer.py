"""The Optimizer base class: parameter groups, per-parameter state, hooks and checkpoints.

Everything here mirrors ``torch.optim.Optimizer``:

* ``param_groups`` is a list of dicts, each holding ``'params'`` (a list of tensors) and every
  option of the optimizer; options a group does not set come from ``defaults``.
* ``state`` is a ``defaultdict(dict)`` keyed by the parameter tensor itself. Optimizers create a
  parameter's entry lazily on its first step, with torch's key names (``step``,
  ``momentum_buffer``, ``exp_avg``, ...). Every entry is a Tensor, as in torch (``step`` is a 0-d
  float32 tensor, or float64 when that is the default dtype).
* ``state_dict()`` replaces tensors by integer ids (their position over all groups);
  ``load_state_dict()`` accepts such a dict from torch (torch tensors or NumPy arrays) or from
  us, so a checkpoint moves between the libraries and the trajectory continues exactly.

Each optimizer is a subclass plus a pure function (``sgd``, ``adam``, ...) that applies one step
to NumPy arrays in place; the subclass only collects the arrays and owns the state. What several
optimizers share lives here, once: the constructor checks with torch's messages
(``_check_options``), the scaffolding of ``step()`` and ``__setstate__``, and the array pieces of
the updates (``_blocks``, ``_descent_grad``, ``_lerp_``, ``_square_avg_``, and Adam's
``_decayed_grad`` and ``_adam_moments_``, which AdamW, NAdam and RAdam reuse).
"""
from __future__ import annotations

import functools
import mmap
import threading
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from copy import deepcopy
from itertools import chain
from typing import Any, Callable

import numpy as np

from .. import _dtype
from .._names import legacy_type_name, shape_str
from .._numpy_errors import as_user, quiet
from .._ops._util import broadcast_shapes_or_raise
from .._tensor import Tensor, _is_torch, _new_tensor
from ..autograd.grad_mode import enable_grad
from ..utils.hooks import RemovableHandle

__all__ = ["Optimizer", "register_optimizer_step_pre_hook", "register_optimizer_step_post_hook",
           "required"]


class _RequiredParameter:
    """Marks an option every parameter group must set (torch's ``optim.optimizer.required``)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


_global_optimizer_pre_hooks: OrderedDict = OrderedDict()
_global_optimizer_post_hooks: OrderedDict = OrderedDict()


def register_optimizer_step_pre_hook(hook: Callable) -> RemovableHandle:
    """``hook(optimizer, args, kwargs) -> None or (new_args, new_kwargs)`` runs before every
    optimizer's ``step``."""
    handle = RemovableHandle(_global_optimizer_pre_hooks)
    _global_optimizer_pre_hooks[handle.id] = hook
    return handle


def register_optimizer_step_post_hook(hook: Callable) -> RemovableHandle:
    """``hook(optimizer, args, kwargs) -> None`` runs after every optimizer's ``step``."""
    handle = RemovableHandle(_global_optimizer_post_hooks)
    _global_optimizer_post_hooks[handle.id] = hook
    return handle


def _hooked(step: Callable) -> Callable:
    """Wrap a subclass's ``step`` so the global and per-instance step hooks run around it."""

    @functools.wraps(step)
    def wrapper(*args, **kwargs):
        self = args[0]
        for pre_hook in chain(_global_optimizer_pre_hooks.values(),
                              self._optimizer_step_pre_hooks.values()):
            result = pre_hook(self, args, kwargs)
            if result is not None:
                if isinstance(result, tuple) and len(result) == 2:
                    args, kwargs = result
                else:
                    raise RuntimeError(
                        f"{step} must return None or a tuple of (new_args, new_kwargs), but got "
                        f"{result}.")
        out = step(*args, **kwargs)
        for post_hook in chain(self._optimizer_step_post_hooks.values(),
                               _global_optimizer_post_hooks.values()):
            post_hook(self, args, kwargs)
        return out

    wrapper.hooked = True
    return wrapper


# -- helpers shared by the optimizers ----------------------------------------------------------

def _get_scalar_dtype(is_fused: bool | None = None) -> _dtype.dtype:
    """The dtype of ``state['step']`` and other scalar state: float32, or float64 when that is
    the default dtype (torch's rule; fused optimizers always use float32)."""
    if is_fused:
        return _dtype.float32
    return _dtype.float64 if _dtype.get_default_dtype() is _dtype.float64 else _dtype.float32


def _scalar_tensor(value: float, dtype: _dtype.dtype | None = None) -> Tensor:
    """A 0-d state tensor, e.g. ``state['step'] = _scalar_tensor(0.0)``."""
    return _new_tensor(np.array(value, dtype=(dtype or _get_scalar_dtype()).np))


def _zeros_like(p: Tensor) -> Tensor:
    return _new_tensor(_state_array(p._data))


_HUGE_PAGE = 2 << 20                                     # bytes of an x86-64 / arm64 huge page
_MADV_HUGEPAGE = getattr(mmap, "MADV_HUGEPAGE", None)   # Linux only


def _state_array(like: np.ndarray, fill: float | None = 0.0) -> np.ndarray:
    """``np.full_like(like, fill)`` (``np.empty_like`` for ``fill=None``) for state that every
    step streams through: ``exp_avg``, ``momentum_buffer``, ``sum``, ...

    An array of at least one huge page (2 MB, C-contiguous) gets an anonymous mapping of its
    own, starts on a 2 MB boundary and asks the kernel for transparent huge pages over its whole
    2 MB pages (Linux, ``madvise``). A large NumPy array from the heap starts anywhere (about
    half of a 4 MB array lands in huge pages) or on pages used before (none); a pass over 4 KB
    pages is slower, as the hardware prefetcher stops at every page boundary: on 4 x 1M float32
    parameters this placement made the steps 0-10% faster (docs/optim.md). The array is the
    whole of its NumPy root (``frombuffer`` with a count), so a saved checkpoint holds exactly
    its values. Elsewhere (no ``MADV_HUGEPAGE``), and for small or non-contiguous arrays,
    plain NumPy."""
    if like.nbytes < _HUGE_PAGE or not like.flags.c_contiguous or _MADV_HUGEPAGE is None:
        return np.empty_like(like) if fill is None else np.full_like(like, fill)
    out = _huge_page_zeros(like.size, like.dtype).reshape(like.shape)
    if fill:                                 # fresh anonymous memory reads as zeros
        out.fill(fill)
    return out


def _huge_page_zeros(size: int, dtype: np.dtype) -> np.ndarray:
    """A 1-D array of zeros in an anonymous mapping of its own, starting on a 2 MB boundary,
    with transparent huge pages asked for over its whole 2 MB pages (see _state_array)."""
    nbytes = size * np.dtype(dtype).itemsize
    block = mmap.mmap(-1, nbytes + _HUGE_PAGE, flags=mmap.MAP_PRIVATE)
    offset = -np.frombuffer(block, np.uint8, count=1).ctypes.data % _HUGE_PAGE
    try:
        block.madvise(_MADV_HUGEPAGE, offset, nbytes - nbytes % _HUGE_PAGE)
    except OSError:                          # a kernel without transparent huge pages
        pass
    return np.frombuffer(block, dtype, count=size, offset=offset)


def _get_value(x):
    """A hyperparameter or scalar state as a Python number (``lr`` may be a 1-element Tensor)."""
    if isinstance(x, Tensor):
        return x._data.item()
    if isinstance(x, (np.ndarray, np.generic)):
        return x.item()
    return x


def _scalar(x) -> float:
    """A hyperparameter as a Python float for the pure functions. NumPy applies a Python float
    in the array's dtype, as torch does a scalar; a NumPy float64 scalar would instead promote
    float32 arrays to float64."""
    if isinstance(x, Tensor):
        return float(x._data.item())
    return float(x)


def _to_scalar(x):
    """A 1-element Tensor hyperparameter squeezed to 0-d; anything else as it is."""
    if isinstance(x, Tensor) and x._data.ndim != 0:
        return _new_tensor(x._data.reshape(()))
    return x


def _check_tensor_lr(lr) -> None:
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")


_CAPTURABLE_DEVICES = "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']"


def _check_capturable(capturable: bool, params: list, what: str = "params and state_steps",
                      devices: str = _CAPTURABLE_DEVICES) -> None:
    """capturable=True asks for CUDA-graph-safe state on an accelerator: on the CPU torch fails
    its device assertion at the first step, and so do we (same message)."""
    if capturable and params:
        raise AssertionError(
            f"If capturable=True, {what} must be on supported devices: {devices}.")


def _check_differentiable(group: dict, params: list) -> None:
    """differentiable=True asks autograd to record the update itself. torch then refuses leaf
    parameters that require grad (an in-place op on such a leaf); on other tensors our NumPy
    update cannot record a graph, so we refuse rather than return a graph without the step."""
    if not group.get("differentiable", False) or not params:
        return
    if any(p.grad_fn is None and p._requires_grad for p in params):
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation.")
    raise NotImplementedError(
        "differentiable=True is not supported by minitorch_ref: the optimizer step updates "
        "NumPy arrays in place and records no autograd graph")


# how torch's messages name an option that must be >= 0; any other is "Invalid <name> value"
_OPTION_LABELS = {"lr": "learning rate", "eps": "epsilon value"}


def _check_options(**options: Any) -> None:
    """torch's checks of constructor options, in the order given (the first failure raises,
    so the order is torch's): a Tensor ``lr`` must hold one element; each of ``betas`` must lie
    in [0, 1); every other option must be >= 0, tested as ``not 0.0 <= x`` so that NaN fails
    too. Messages are torch's: ``Invalid learning rate: -1``, ``Invalid epsilon value: ...``,
    ``Invalid weight_decay value: ...``, ``Invalid beta parameter at index 0: ...``."""
    for name, value in options.items():
        if name == "betas":
            for i in (0, 1):
                if not 0.0 <= value[i] < 1.0:
                    raise ValueError(f"Invalid beta parameter at index {i}: {value[i]}")
            continue
        if name == "lr":
            _check_tensor_lr(value)
        if not 0.0 <= value:
            raise ValueError(f"Invalid {_OPTION_LABELS.get(name, name + ' value')}: {value}")


def _check_fused(fused: bool | None, differentiable: bool, foreach: bool | None) -> None:
    """The options torch refuses together with ``fused=True`` (checked after the groups)."""
    if fused:
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def _data(params: list[Tensor]) -> list[np.ndarray]:
    """The parameters' arrays, which the pure update functions change in place."""
    return [p._data for p in params]


def _grads(params: list[Tensor]) -> list[np.ndarray]:
    """The gradients' arrays (only read: a step never writes into ``.grad``)."""
    return [p._grad._data for p in params]


def _bump_versions(params: list[Tensor]) -> None:
    """Record the in-place update of every parameter (autograd's version counters)."""
    for p in params:
        p._bump_version()


def _check_amp(grad_scale, found_inf) -> None:
    """Gradient scaling for mixed precision (torch.amp) is not implemented."""
    if grad_scale is not None or found_inf is not None:
        raise NotImplementedError("grad_scale/found_inf (torch.amp gradient scaling) are not "
                                  "supported by minitorch_ref")


# State entries that are 0-d by design; every other state tensor has its parameter's shape.
_SCALAR_STATE = frozenset({"step", "mu", "eta", "mu_product"})


def _check_state_shape(state: np.ndarray, param: np.ndarray, grad_first: bool = False) -> None:
    """A state tensor of another shape than its parameter (``load_state_dict`` of another
    model's optimizer) makes one of torch's in-place updates fail with a broadcasting
    RuntimeError; raise that error before anything is updated: shapes that do not broadcast
    fail at the first update mixing state and gradient, a state smaller than the broadcast
    shape at its own in-place update, a larger one at the parameter's."""
    if state.shape == param.shape:
        return
    shapes = (param.shape, state.shape) if grad_first else (state.shape, param.shape)
    broadcast = broadcast_shapes_or_raise(*shapes)
    out = param.shape if broadcast == state.shape else state.shape
    raise RuntimeError(f"output with shape {shape_str(out)} doesn't match the broadcast shape "
                       f"{shape_str(broadcast)}")


def _step_tensor_from(value, group: dict, fused_or_capturable: bool = False) -> Tensor:
    """torch's ``__setstate__`` rule for old checkpoints whose ``step`` is a Python number."""
    dtype = _get_scalar_dtype(is_fused=group.get("fused")) if fused_or_capturable \
        else _get_scalar_dtype()
    return _scalar_tensor(float(value), dtype)


def _as_state_tensor(value) -> Tensor | Any:
    """A state value read from a checkpoint as one of our Tensors: torch tensors and NumPy
    arrays are copied (so later in-place steps do not write into the caller's objects)."""
    if isinstance(value, Tensor):
        return value
    if _is_torch(value) and hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if isinstance(value, (np.ndarray, np.generic)):
        value = np.asarray(value)
        copy = _state_array(value, fill=None) if value.flags.c_contiguous else np.array(value)
        np.copyto(copy, value)
        return _new_tensor(copy)
    return value


# -- the base class ---------------------------------------------------------------------------

class Optimizer:
    """Base class of all optimizers (``torch.optim.Optimizer``).

    ``params`` is an iterable of Tensors, of ``(name, Tensor)`` pairs, or of dicts that define
    parameter groups (``{'params': [...], 'lr': 0.1}``); ``defaults`` holds the value of every
    option for groups that do not set it.
    """

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "hooked", False):
            if cls.__module__.partition(".")[0] == __name__.partition(".")[0]:
                step = quiet(step)  # a built-in optimizer's arithmetic: silent (_numpy_errors)
            cls.step = _hooked(step)

    def __init__(self, params, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self._optimizer_step_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_step_post_hooks: OrderedDict = OrderedDict()
        self._optimizer_state_dict_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_state_dict_post_hooks: OrderedDict = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_load_state_dict_post_hooks: OrderedDict = OrderedDict()
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                "dicts, but got " + _typename(params))
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state,
                "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        for name in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks",
                     "_optimizer_state_dict_pre_hooks", "_optimizer_state_dict_post_hooks",
                     "_optimizer_load_state_dict_pre_hooks",
                     "_optimizer_load_state_dict_post_hooks"):
            if name not in self.__dict__:
                setattr(self, name, OrderedDict())
        self.defaults.setdefault("differentiable", False)

    def __repr__(self) -> str:
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            text += "".join(f"    {key}: {group[key]}\n"
                            for key in sorted(group) if key != "params")
        return text + ")"

    # -- parameter groups ---------------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Append a group (a dict with ``'params'`` and any options); unset options take the
        defaults. A parameter may belong to one group only."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list "
                "instead.")
        else:
            param_group["params"] = list(params)

        tensors, names = [], []
        for param in param_group["params"]:
            if isinstance(param, tuple):
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some "
                                 "param names are missing")
            param_group["param_names"] = names

        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + _typename(param))
            if not self.defaults.get("differentiable", None) and not (
                    param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError("parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            param_group.setdefault(name, default)

        params = param_group["params"]
        if len(params) != len(set(params)):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, "
                "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                "information", stacklevel=3)

        param_set: set = set()
        for group in self.param_groups:
            param_set.update(group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                current = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {current} to the optimizer")
        if not param_set.isdisjoint(param_group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # -- gradients and steps ------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Set every parameter's ``.grad`` to None (default), or to zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                g = p._grad
                if g is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    if g.grad_fn is not None:
                        g.detach_()
                    else:
                        g.requires_grad_(False)
                    g._data[...] = 0
                    g._bump_version()

    def step(self, closure: Callable[[], float] | None = None):
        """Perform one optimization step; ``closure`` re-evaluates the model and returns the
        loss (required by LBFGS, optional elsewhere)."""
        raise NotImplementedError

    @staticmethod
    def _run_closure(closure):
        if closure is None:
            return None
        with enable_grad():
            return as_user(closure)

    # -- scaffolding of the subclasses' step() and __setstate__ --------------------------------
    def _params_with_grad(self, group: dict[str, Any]) -> list[Tensor]:
        """The group's parameters that have a gradient: the ones a step updates (the others
        get no state and stay as they are)."""
        params = [p for p in group["params"] if p._grad is not None]
        _check_differentiable(group, params)
        return params

    def _init_state(self, p: Tensor, group: dict[str, Any]) -> None:
        """Create ``self.state[p]`` (each optimizer: the state it keeps, with torch's keys)."""
        raise NotImplementedError

    def _state_arrays(self, params: list[Tensor], group: dict[str, Any],
                      *keys: str | None) -> list[list[np.ndarray]]:
        """For each key, the list of the parameters' state arrays under that key, creating a
        parameter's state (``_init_state``) at its first step. A key of None gives an empty
        list: state that the group's options do not keep (``max_exp_avg_sq`` without
        amsgrad)."""
        states = [self.state[p] for p in params]
        for p, state in zip(params, states):
            if len(state) == 0:
                self._init_state(p, group)
        arrays = [[] if key is None else [state[key]._data for state in states] for key in keys]
        for key, column in zip(keys, arrays):
            if key not in _SCALAR_STATE:
                for p, a in zip(params, column):
                    _check_state_shape(a, p._data, grad_first=self._grad_first_in_state_ops)
        return arrays

    # Whether the first update that mixes a state tensor with the gradient has the gradient as
    # its left operand (torch's Rprop: grad.mul(prev)); it decides torch's error text below.
    _grad_first_in_state_ops = False

    def _set_group_defaults(self, **options: Any) -> None:
        """Options that the groups of an older pickled optimizer may lack (``__setstate__``)."""
        for group in self.param_groups:
            for name, value in options.items():
                group.setdefault(name, value)

    def _state_numbers_to_tensors(self, keys: tuple[str, ...] = ("step",),
                                  fused_or_capturable: Callable[[dict], bool] | None = None
                                  ) -> None:
        """Older checkpoints kept ``step`` (and other scalar state) as Python numbers; torch's
        ``__setstate__`` makes them 0-d tensors, with the dtype rule of ``_step_tensor_from``
        (``fused_or_capturable(group)``: the group is fused or capturable)."""
        for group in self.param_groups:
            float32 = fused_or_capturable is not None and bool(fused_or_capturable(group))
            for p in group["params"]:
                p_state = self.state.get(p, {})
                for key in keys:
                    if p_state and not isinstance(p_state[key], Tensor):
                        p_state[key] = _step_tensor_from(p_state[key], group, float32)

    # -- checkpoints --------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """``{'state': {id: {...}}, 'param_groups': [{..., 'params': [ids]}]}`` where the ids
        number the parameters over all groups in order, as in torch. State tensors are shared
        with the optimizer, not copied (torch does the same)."""
        for pre_hook in self._optimizer_state_dict_pre_hooks.values():
            pre_hook(self)
        mapping: dict[int, int] = {}
        start = 0

        def pack_group(group: dict[str, Any]) -> dict[str, Any]:
            nonlocal start
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                mapping.setdefault(id(p), i)
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            return packed

        param_groups = [pack_group(g) for g in self.param_groups]
        packed_state = {(mapping[id(k)] if isinstance(k, Tensor) else k): v
                        for k, v in self.state.items()}
        state_dict = {"state": packed_state, "param_groups": param_groups}
        for post_hook in self._optimizer_state_dict_post_hooks.values():
            result = post_hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a ``state_dict()`` of this optimizer type: ours, or torch's with torch tensors
        or NumPy arrays in place of our tensors. State tensors take the dtype of their
        parameter, except ``step`` (kept as saved, as in torch)."""
        state_dict = state_dict.copy()
        for pre_hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = pre_hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))
        saved_param_groups = state_dict["param_groups"]

        def cast(param: Tensor, value, param_id=None, key=None):
            if isinstance(value, (Tensor, np.ndarray, np.generic)) or _is_torch(value):
                return _cast_state_tensor(param, _as_state_tensor(value), param_id,
                                          saved_param_groups, key)
            if isinstance(value, dict):
                return {k: cast(param, v, param_id, k) for k, v in value.items()}
            if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
                return type(value)(cast(param, v, param_id) for v in value)
            return value

        state: defaultdict = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = cast(param, v, k)
            else:
                state[k] = v

        def update_group(group: dict[str, Any], new_group: dict[str, Any]) -> dict[str, Any]:
            new_group["params"] = group["params"]
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
            return new_group

        param_groups = [update_group(g, ng) for g, ng in zip(groups, saved_groups)]
        self.__setstate__({"state": state, "param_groups": param_groups})
        for post_hook in self._optimizer_load_state_dict_post_hooks.values():
            post_hook(self)

    # -- hooks --------------------------------------------------------------------------------
    def register_step_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(optimizer, args, kwargs) -> None or (new_args, new_kwargs)`` before step."""
        handle = RemovableHandle(self._optimizer_step_pre_hooks)
        self._optimizer_step_pre_hooks[handle.id] = hook
        return handle

    def register_step_post_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(optimizer, args, kwargs) -> None`` after step."""
        handle = RemovableHandle(self._optimizer_step_post_hooks)
        self._optimizer_step_post_hooks[handle.id] = hook
        return handle

    def register_state_dict_pre_hook(self, hook: Callable,
                                     prepend: bool = False) -> RemovableHandle:
        return _register(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook: Callable,
                                      prepend: bool = False) -> RemovableHandle:
        return _register(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook: Callable,
                                          prepend: bool = False) -> RemovableHandle:
        return _register(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook: Callable,
                                           prepend: bool = False) -> RemovableHandle:
        return _register(self._optimizer_load_state_dict_post_hooks, hook, prepend)


def _register(hooks: OrderedDict, hook: Callable, prepend: bool) -> RemovableHandle:
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


def _cast_state_tensor(param: Tensor, value: Tensor, param_id, param_groups, key) -> Tensor:
    """torch's policy: floating state follows the parameter's dtype; ``step`` keeps its dtype
    unless the group is fused or capturable (then float32)."""
    fused = capturable = False
    for pg in param_groups:
        if param_id in pg["params"]:
            fused = pg.get("fused", False)
            capturable = pg.get("capturable", False)
            break
    if key == "step":
        return value.to(_dtype.float32) if (capturable or fused) else value
    if param._data.dtype.kind == "f":
        return value.to(param.dtype)
    return value


def _typename(obj) -> str:
    if isinstance(obj, Tensor):
        return legacy_type_name(obj._data.dtype)
    module = type(obj).__module__
    name = type(obj).__qualname__
    return name if module in ("builtins", "__builtin__") else f"{module}.{name}"



# -- array helpers shared by the pure update functions -----------------------------------------
# They work on NumPy arrays in place and take hyperparameters as Python floats, which NumPy
# applies in the array's own dtype (as torch casts a scalar to the tensor's dtype).

# Elements per block in ``_blocks``: 256k values (1 MB of float32) per array. A block of a
# parameter, its gradient, its state and the scratch arrays stays in the L3 cache; smaller,
# L2-sized blocks measured 5-30% slower (more NumPy calls, and a NumPy pass over a block in L2 is
# not much cheaper than one in L3), see docs/optim.md.
_BLOCK = 1 << 18


def _blocks(*arrays, scratch: int = 0) -> list:
    """Matching flat views of ``arrays``, block by block (``None`` entries stay ``None``), each
    followed by ``scratch`` work arrays of the block's shape (allocated once per call).

    An update is a chain of whole-array NumPy operations (``m *= beta``, ``m += g``, ...), each
    a pass over memory: on a large parameter every pass reads and writes megabytes. Applying
    the whole chain to one cache-sized block before moving to the next reads each array from
    memory once. The math is elementwise, so the blocks give the same numbers. Small arrays
    (and any non-contiguous one, which cannot be viewed flat) form a single block as they
    are. A list, not a generator: with many small parameters the generator's own cost was a
    third of plain SGD's step."""
    first = arrays[0]  # the parameter: every update passes it first
    n = first.size
    if n <= _BLOCK or not all(a.flags.c_contiguous for a in arrays if a is not None):
        for _ in range(scratch):  # (a loop: half the cost of building a tuple from a list)
            arrays += (np.empty_like(first),)
        return [arrays]
    flat = [None if a is None else a.reshape(-1) for a in arrays]
    work = _scratch_blocks(first.dtype, scratch)
    blocks = []
    # one slice object and one tuple per block (32 for a 1M-element parameter)
    for start in range(0, n, _BLOCK):
        part = slice(start, start + _BLOCK)
        if n - start < _BLOCK:                   # the last, shorter block
            work = [w[:n - start] for w in work]
        blocks.append((*[None if f is None else f[part] for f in flat], *work))
    return blocks


_kept = threading.local()


def _scratch_blocks(dtype: np.dtype, count: int) -> list[np.ndarray]:
    """``count`` work blocks of ``_BLOCK`` elements for ``_blocks``, kept between steps per
    thread and dtype, on huge pages where the platform has them (as the state: they take a
    pass or more of every update; measured 0-7% on the large-parameter steps). An update only
    reads what it wrote into them in the same block."""
    cache = _kept.__dict__.setdefault("scratch", {})
    key = (np.dtype(dtype), _BLOCK)
    work = cache.get(key, [])
    if len(work) < count:
        if _MADV_HUGEPAGE is None:
            whole = np.empty(count * _BLOCK, dtype)
        else:
            whole = _huge_page_zeros(count * _BLOCK, dtype)
        work = cache[key] = [whole[i * _BLOCK:(i + 1) * _BLOCK] for i in range(count)]
    return work[:count]


def _copies_grad(weight_decay: float, maximize: bool, decoupled: bool = False) -> int:
    """1 when ``_descent_grad`` (or ``_decayed_grad`` with ``decoupled``) builds a new gradient
    (give it a scratch block as ``out``), else 0: the count of extra scratch arrays to ask
    ``_blocks`` for. Decoupled weight decay scales the parameter and leaves the gradient."""
    return int((weight_decay != 0 and not decoupled) or maximize)


def _descent_grad(param: np.ndarray, grad: np.ndarray, weight_decay: float, maximize: bool,
                  out: np.ndarray | None = None) -> np.ndarray:
    """``g = (-grad if maximize else grad) + weight_decay * param`` (coupled L2 penalty).

    Returns ``grad`` itself when neither option applies, else ``out`` (or a new array) holding
    g: the parameter's ``.grad`` is never written to."""
    if weight_decay != 0:
        g = np.multiply(param, weight_decay, out=out)
        if maximize:
            g -= grad
        else:
            g += grad
        return g
    if maximize:
        return np.negative(grad, out=out)
    return grad


def _lerp_(x: np.ndarray, end: np.ndarray, weight: float, tmp: np.ndarray,
           first: bool = False) -> None:
    """``x <- x + weight * (end - x)`` in place, with torch's two formulas: for
    ``|weight| >= 0.5`` it computes ``end - (end - x) * (1 - weight)``, which rounds better.
    ``tmp`` is scratch space of x's shape.

    torch evaluates either formula as one fused multiply-add, rounded once. On an optimizer's
    ``first`` step x is usually still all zeros, and then that result is ``(end + 0) * weight``
    exactly: a product that underflows keeps its sign (+0 + -1e-45 * 0.1 is -0 when fused, +0
    when the product is rounded first), and ``+ 0`` turns end's -0 into the +0 that
    ``+0 + w * -0`` gives. Other steps round twice, within a unit in the last place."""
    w = x.dtype.type(weight)
    if first and not x.any():
        np.add(end, 0, out=x)
        x *= w
        return
    np.subtract(end, x, out=tmp)
    if abs(w) < 0.5:
        tmp *= w
        x += tmp
    else:
        tmp *= 1 - w
        np.subtract(end, tmp, out=x)


def _square_avg_(v: np.ndarray, x: np.ndarray, beta: float, tmp: np.ndarray) -> None:
    """``v <- beta * v + (1 - beta) * x^2`` in place: a running average of squares (Adam's
    ``exp_avg_sq``, RMSprop's and Adadelta's ``square_avg``, Adadelta's ``acc_delta``).
    torch's ``v.mul_(beta).addcmul_(x, x, value=1 - beta)``, evaluated as
    ``(x * (1 - beta)) * x``. ``tmp`` is scratch space of v's shape."""
    v *= beta
    np.multiply(x, 1 - beta, out=tmp)
    tmp *= x
    v += tmp


def _decayed_grad(p: np.ndarray, g: np.ndarray, lr: float, weight_decay: float,
                  decoupled: bool, maximize: bool, out: np.ndarray | None = None) -> np.ndarray:
    """The Adam family's two forms of weight decay (``decoupled_weight_decay``), returning the
    gradient the moments are built from. Coupled: ``g + lambda * theta``, an L2 penalty that then
    passes through the adaptive scaling. Decoupled (AdamW): ``theta *= 1 - lr * lambda`` in place,
    and the plain gradient. Either way negated first under ``maximize`` (see _descent_grad)."""
    if not decoupled:
        return _descent_grad(p, g, weight_decay, maximize, out)
    g = _descent_grad(p, g, 0, maximize, out)
    if weight_decay != 0:
        p *= 1 - lr * weight_decay
    return g


def _adam_moments_(m: np.ndarray, v: np.ndarray, g: np.ndarray, beta1: float, beta2: float,
                   tmp: np.ndarray, first: bool = False) -> None:
    """Adam's moment estimates, updated in place (Adam, AdamW, NAdam, RAdam)::

        m = beta1 * m + (1 - beta1) * g        first moment   (``exp_avg``, torch's lerp)
        v = beta2 * v + (1 - beta2) * g^2      second moment  (``exp_avg_sq``)
    """
    _lerp_(m, g, 1 - beta1, tmp, first)
    _square_avg_(v, g, beta2, tmp)
