"""torch.optim.lr_scheduler: rules that rewrite ``group['lr']`` of an optimizer's parameter
groups each time ``scheduler.step()`` is called (after ``optimizer.step()``).

Two forms of most schedules exist, as in torch, and both are kept because they round
differently:

* the chainable rule, ``get_lr()``, used by ``step()``: the next lr from the group's *current*
  lr (StepLR: lr * gamma at every step_size-th epoch). Rules that only multiply compose, so
  several schedulers may drive one optimizer (``ChainedScheduler``).
* the closed form, ``_get_closed_form_lr()``, used by the deprecated ``step(epoch)``: the lr as
  a function of the epoch and ``base_lrs`` (StepLR: base_lr * gamma ** (epoch // step_size)).

Building a scheduler records ``initial_lr`` in every group (the ``base_lrs``) and takes one
step, which sets the lr of epoch 0. ``state_dict()`` is the scheduler's attributes (torch's
names) without the optimizer, so state dicts move between the two libraries.
"""
from __future__ import annotations

import contextlib
import functools
import math
import types
import warnings
import weakref
from bisect import bisect_right
from collections import Counter
from typing import Any, Callable, Iterable, Sequence

from .._tensor import Tensor
from .optimizer import Optimizer, _to_scalar

__all__ = ["LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR",
           "ExponentialLR", "SequentialLR", "CosineAnnealingLR", "ChainedScheduler",
           "ReduceLROnPlateau", "CyclicLR", "CosineAnnealingWarmRestarts", "OneCycleLR",
           "PolynomialLR", "LRScheduler"]

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being "
    "deprecated where possible. Please use `scheduler.step()` to step the "
    "scheduler. During the deprecation, if epoch is different from None, the "
    "closed form is used instead of the new chainable form, where available. "
    "Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose."
)
_SEE_DOCS = "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate"


# -- small helpers shared by the schedulers ---------------------------------------------------

def _copy(value):
    """Tensors are cloned (a tensor lr is updated in place later), numbers kept."""
    return value.clone() if isinstance(value, Tensor) else value


def _format_param(name: str, optimizer: Optimizer, param) -> list:
    """``param`` as one value per parameter group: a list or tuple needs exactly one entry per
    group, anything else is repeated."""
    n = len(optimizer.param_groups)
    if not isinstance(param, (list, tuple)):
        param = [param] * n
    elif len(param) != n:
        raise ValueError(
            f"{name} must have the same length as optimizer.param_groups. {name} has "
            f"{len(param)} values, param_groups has {n}.")
    return [_copy(p) for p in param]


def _read_groups(optimizer: Optimizer, key: str) -> list:
    """Every group's ``key`` (tensors cloned)."""
    return [_copy(group[key]) for group in optimizer.param_groups]


def _write_group(group: dict, key: str, value) -> None:
    """Set ``group[key]``; a tensor already there is filled in place (others may share it)."""
    if isinstance(group[key], Tensor):
        group[key].fill_(_to_scalar(value))
    else:
        group[key] = value


def _write_lrs(optimizer: Optimizer, lrs: Iterable) -> None:
    for group, lr in zip(optimizer.param_groups, lrs):
        _write_group(group, "lr", lr)


def _warn_get_lr_called_within_step(scheduler: "LRScheduler") -> None:
    if not scheduler._get_lr_called_within_step:
        warnings.warn("To get the last learning rate computed by the scheduler, please use "
                      "`get_last_lr()`.", UserWarning, stacklevel=3)


@contextlib.contextmanager
def _raised(scheduler: "LRScheduler", flag: str):
    """Sets the boolean attribute ``flag`` of the scheduler for the duration of a block."""
    setattr(scheduler, flag, True)
    try:
        yield
    finally:
        setattr(scheduler, flag, False)


def _track_step_calls(optimizer: Optimizer) -> None:
    """Wraps ``optimizer.step`` (once per optimizer, on the instance) so that each call sets
    ``optimizer._opt_called``: a scheduler's first ``step()`` warns when the optimizer has not
    stepped since the scheduler was built."""
    if hasattr(optimizer.step, "_wrapped_by_lr_sched"):
        return
    owner = weakref.ref(optimizer)
    unbound = optimizer.step.__func__

    @functools.wraps(unbound)
    def step(*args, **kwargs):
        opt = owner()
        opt._opt_called = True
        return unbound.__get__(opt, opt.__class__)(*args, **kwargs)

    step._wrapped_by_lr_sched = True
    optimizer.step = step


def _require_optimizer(optimizer) -> None:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


# -- the base class ---------------------------------------------------------------------------

class LRScheduler:
    """``last_epoch``: how many steps were taken (-1 before the constructor's);
    ``base_lrs``: the groups' ``initial_lr``; ``get_last_lr()``: the lrs of the last step.

    A subclass gives its chainable rule as ``get_lr()`` (ours write ``_next_lrs()``, which
    ``get_lr`` runs after warning when called from outside ``step``) and may add a closed
    form ``_get_closed_form_lr()``."""

    _get_lr_called_within_step: bool = False
    _is_initial: bool = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        _require_optimizer(optimizer)
        self.optimizer = optimizer
        for i, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", _copy(group["lr"]))
            elif "initial_lr" not in group:
                raise KeyError(
                    f"param 'initial_lr' is not specified in param_groups[{i}] when "
                    "resuming scheduler with last_epoch >= 0.\nThis typically happens "
                    "when:\n1. You're trying to resume training from a checkpoint but "
                    "haven't properly loaded the optimizer state\n2. You're using "
                    "last_epoch >= 0 for a fresh training run (not recommended)")
        self.base_lrs: list = _read_groups(optimizer, "initial_lr")
        self.last_epoch = last_epoch
        _track_step_calls(optimizer)
        self._initial_step()

    def _initial_step(self) -> None:
        """The constructor's step: sets the lr of epoch ``last_epoch + 1``."""
        self._step_count = 0
        with _raised(self, "_is_initial"):
            self.step()

    def state_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)

    def get_last_lr(self) -> list:
        """The lrs the last ``step()`` set, one per group."""
        return self._last_lr

    def get_lr(self) -> list:
        """The chainable rule: the next lrs, from the current ones."""
        if type(self)._next_lrs is LRScheduler._next_lrs:
            raise NotImplementedError
        _warn_get_lr_called_within_step(self)
        return self._next_lrs()

    def _next_lrs(self) -> list:
        raise NotImplementedError

    # building blocks of the rules
    def _current(self) -> list:
        return _read_groups(self.optimizer, "lr")

    def _times(self, factor) -> list:
        return [group["lr"] * factor for group in self.optimizer.param_groups]

    def _warn_on_order(self) -> None:
        """At the first step after the constructor's: warn when ``optimizer.step`` was
        replaced, or has not been called yet (the schedule would skip its first value)."""
        if not hasattr(self.optimizer.step, "_wrapped_by_lr_sched"):
            warnings.warn(
                "Seems like `optimizer.step()` has been overridden after learning rate "
                "scheduler initialization. Please, make sure to call `optimizer.step()` "
                f"before `lr_scheduler.step()`. See more details at {_SEE_DOCS}",
                UserWarning, stacklevel=3)
        elif not getattr(self.optimizer, "_opt_called", False):
            warnings.warn(
                "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In "
                "PyTorch 1.1.0 and later, you should call them in the opposite order: "
                "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will "
                "result in PyTorch skipping the first value of the learning rate schedule. "
                f"See more details at {_SEE_DOCS}", UserWarning, stacklevel=3)

    def step(self, epoch: int | None = None) -> None:
        """One epoch on (the chainable rule), or a jump to ``epoch`` (deprecated; the closed
        form where there is one); the new lrs go into the optimizer."""
        if self._step_count == 1:
            self._warn_on_order()
        self._step_count += 1
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        with _raised(self, "_get_lr_called_within_step"):
            if epoch is None:
                self.last_epoch += 1
                lrs = self.get_lr()
            else:
                self.last_epoch = epoch
                closed = getattr(self, "_get_closed_form_lr", None)
                lrs = closed() if closed is not None else self.get_lr()
        _write_lrs(self.optimizer, lrs)
        self._last_lr = self._current()


class _LRScheduler(LRScheduler):
    """LRScheduler's former name, still importable as in torch."""


# -- factors from user functions --------------------------------------------------------------

class _PerGroupFunctions(LRScheduler):
    """``lr_lambda``: one function for all groups or one per group. Only callable objects'
    attributes are saved in ``state_dict`` (a plain function is saved as None)."""

    def __init__(self, optimizer: Optimizer, lr_lambda, last_epoch: int) -> None:
        self.optimizer = optimizer
        n = len(optimizer.param_groups)
        if not isinstance(lr_lambda, (list, tuple)):
            self.lr_lambdas = [lr_lambda] * n
        elif len(lr_lambda) == n:
            self.lr_lambdas = list(lr_lambda)
        else:
            raise ValueError(f"Expected {n} lr_lambdas, but got {len(lr_lambda)}")
        self._check_functions()
        super().__init__(optimizer, last_epoch)

    def _check_functions(self) -> None:
        pass

    def state_dict(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "lr_lambdas")}
        state["lr_lambdas"] = [None if isinstance(f, types.FunctionType) else f.__dict__.copy()
                               for f in self.lr_lambdas]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        saved = state_dict.pop("lr_lambdas")
        self.__dict__.update(state_dict)
        state_dict["lr_lambdas"] = saved  # the caller's dict is left as it was
        for f, attrs in zip(self.lr_lambdas, saved):
            if attrs is not None:
                f.__dict__.update(attrs)


class LambdaLR(_PerGroupFunctions):
    """lr = base_lr * lr_lambda(epoch)."""

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable | list,
                 last_epoch: int = -1) -> None:
        super().__init__(optimizer, lr_lambda, last_epoch)

    def _next_lrs(self) -> list:
        return [base * f(self.last_epoch) for f, base in zip(self.lr_lambdas, self.base_lrs)]


class MultiplicativeLR(_PerGroupFunctions):
    """lr <- lr * lr_lambda(epoch) at every step after the constructor's."""

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable | list,
                 last_epoch: int = -1) -> None:
        super().__init__(optimizer, lr_lambda, last_epoch)

    def _check_functions(self) -> None:
        for f in self.lr_lambdas:
            if not callable(f):
                raise TypeError(f"lr_lambda should be a function, but got {type(f).__name__}")

    def _next_lrs(self) -> list:
        if self._is_initial:
            return self._current()
        return [group["lr"] * f(self.last_epoch)
                for f, group in zip(self.lr_lambdas, self.optimizer.param_groups)]


# -- factors at given epochs ------------------------------------------------------------------

class StepLR(LRScheduler):
    """lr = base_lr * gamma ** (epoch // step_size): a decay by gamma every step_size
    epochs."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def _next_lrs(self) -> list:
        e = self.last_epoch
        return self._times(self.gamma) if e and e % self.step_size == 0 else self._current()

    def _get_closed_form_lr(self) -> list:
        k = self.last_epoch // self.step_size
        return [base * self.gamma ** k for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """lr = base_lr * gamma ** (how many milestones are <= epoch); a milestone listed twice
    counts twice."""

    def __init__(self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        self.milestones, self.gamma = Counter(milestones), gamma
        super().__init__(optimizer, last_epoch)

    def _next_lrs(self) -> list:
        hits = self.milestones.get(self.last_epoch, 0)
        return self._times(self.gamma ** hits) if hits else self._current()

    def _get_closed_form_lr(self) -> list:
        passed = bisect_right(sorted(self.milestones.elements()), self.last_epoch)
        return [base * self.gamma ** passed for base in self.base_lrs]


class ConstantLR(LRScheduler):
    """lr = base_lr * factor before epoch total_iters, base_lr from then on."""

    def __init__(self, optimizer: Optimizer, factor: float = 1.0 / 3, total_iters: int = 5,
                 last_epoch: int = -1) -> None:
        if factor > 1.0 or factor < 0:
            raise ValueError("Constant multiplicative factor expected to be between 0 and 1.")
        self.factor, self.total_iters = factor, total_iters
        super().__init__(optimizer, last_epoch)

    def _next_lrs(self) -> list:
        if self.last_epoch == 0:
            return self._times(self.factor)
        if self.last_epoch == self.total_iters:
            return self._times(1.0 / self.factor)
        return self._current()

    def _get_closed_form_lr(self) -> list:
        reached = self.last_epoch >= self.total_iters
        return [base * (self.factor + reached * (1 - self.factor)) for base in self.base_lrs]


class LinearLR(LRScheduler):
    """lr = base_lr * f(epoch), f going linearly from start_factor to end_factor over
    total_iters epochs: f = s + (e - s) min(epoch, total_iters) / total_iters.

    Chainable: lr times the ratio of consecutive factors, f(t) / f(t-1) =
    1 + (e - s) / (total_iters s + (t - 1)(e - s))."""

    def __init__(self, optimizer: Optimizer, start_factor: float = 1.0 / 3,
                 end_factor: float = 1.0, total_iters: int = 5, last_epoch: int = -1) -> None:
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError("Starting multiplicative factor expected to be greater than 0 and "
                             "less or equal to 1.")
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor, self.end_factor = start_factor, end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def _next_lrs(self) -> list:
        t = self.last_epoch
        if t == 0:
            return self._times(self.start_factor)
        if self._is_initial or t > self.total_iters:
            return self._current()
        span = self.end_factor - self.start_factor
        return self._times(1.0 + span / (self.total_iters * self.start_factor + (t - 1) * span))

    def _get_closed_form_lr(self) -> list:
        s, e, n = self.start_factor, self.end_factor, self.total_iters
        return [base * (s + (e - s) * min(n, self.last_epoch) / n) for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """lr = base_lr * gamma ** epoch (chainable: lr * gamma at every step)."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def _next_lrs(self) -> list:
        return self._current() if self._is_initial else self._times(self.gamma)

    def _get_closed_form_lr(self) -> list:
        return [base * self.gamma ** self.last_epoch for base in self.base_lrs]


class PolynomialLR(LRScheduler):
    """lr = base_lr * (1 - min(epoch, total_iters) / total_iters) ** power."""

    def __init__(self, optimizer: Optimizer, total_iters: int = 5, power: float = 1.0,
                 last_epoch: int = -1) -> None:
        self.total_iters, self.power = total_iters, power
        super().__init__(optimizer, last_epoch)

    def _next_lrs(self) -> list:
        t, n = self.last_epoch, self.total_iters
        if self._is_initial or t > n:
            return self._current()
        return self._times(((1.0 - t / n) / (1.0 - (t - 1) / n)) ** self.power)

    def _get_closed_form_lr(self) -> list:
        left = 1.0 - min(self.total_iters, self.last_epoch) / self.total_iters
        return [base * left ** self.power for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """lr = eta_min + (base_lr - eta_min) (1 + cos(pi epoch / T_max)) / 2, periodic with
    period 2 T_max (past T_max the lr climbs back; no restarts).

    Chainable: lr - eta_min scaled by the ratio of consecutive cosine terms; at the bottom
    of a period that ratio is 0/0, so the rule adds the rise of one step instead. A
    scheduler resumed at last_epoch > 0 computes its first lr directly."""

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0,
                 last_epoch: int = -1) -> None:
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def _next_lrs(self) -> list:
        t, period, low = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._current()
        if self._step_count == 1 and t > 0:
            return [low + (base - low) * (1 + math.cos(t * math.pi / period)) / 2
                    for base in self.base_lrs]
        groups = self.optimizer.param_groups
        if (t - 1 - period) % (2 * period) == 0:
            return [group["lr"] + (base - low) * (1 - math.cos(math.pi / period)) / 2
                    for base, group in zip(self.base_lrs, groups)]
        ratio = (1 + math.cos(math.pi * t / period)) / (1 + math.cos(math.pi * (t - 1) / period))
        return [ratio * (group["lr"] - low) + low for group in groups]

    def _get_closed_form_lr(self) -> list:
        return [_cosine_point(self.eta_min, base, self.last_epoch, self.T_max)
                for base in self.base_lrs]


def _cosine_point(low, high, t, period) -> float:
    """low + (high - low) (1 + cos(pi t / period)) / 2: from high at t = 0 to low at
    t = period."""
    return low + (high - low) * (1 + math.cos(math.pi * t / period)) / 2


# -- schedulers made of schedulers ------------------------------------------------------------

def _check_sub_schedulers(name: str, schedulers: Sequence, optimizer: Optimizer) -> None:
    for i, s in enumerate(schedulers):
        if not hasattr(s, "optimizer"):
            raise TypeError(f"{name} at index {i} should have `optimizer` as its attribute.")
        if isinstance(s, ReduceLROnPlateau):
            raise ValueError(
                f"{name} does not support `ReduceLROnPlateau` scheduler as it requires "
                "additional kwargs to be specified when calling `step`, but got one at index "
                f"{i} in the given schedulers sequence.")
        if optimizer != s.optimizer:
            raise ValueError(
                f"{name} expects all schedulers to belong to the same optimizer, but got "
                f"scheduler {s.__class__.__name__} at index {i} has {s.optimizer}, which is "
                f"different from {optimizer.__class__.__name__}.")


class _Composite(LRScheduler):
    """Holds ``_schedulers``; its state dict nests theirs."""

    def state_dict(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        nested = state_dict.pop("_schedulers")
        self.__dict__.update(state_dict)
        state_dict["_schedulers"] = nested
        for s, sd in zip(self._schedulers, nested):
            s.load_state_dict(sd)


class SequentialLR(_Composite):
    """schedulers[i] drives the lr from milestones[i-1] to milestones[i]; at a milestone the
    next one starts over at its epoch 0 (closed form)."""

    def __init__(self, optimizer: Optimizer, schedulers: list, milestones: list,
                 last_epoch: int = -1) -> None:
        name = type(self).__name__
        if len(schedulers) < 1:
            raise ValueError(f"{name} expects at least one scheduler, but got no scheduler.")
        _check_sub_schedulers(name, schedulers, optimizer)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                "Sequential Schedulers expects number of schedulers provided to be one more "
                f"than the number of milestone points, but got number of schedulers "
                f"{len(schedulers)} and the number of milestones to be equal to "
                f"{len(milestones)}")
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        # the sub-schedulers each took their constructor's step: take those back
        _write_lrs(optimizer, [group["initial_lr"] for group in optimizer.param_groups])
        self.recursive_undo()
        first = schedulers[bisect_right(milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def recursive_undo(self, sched=None) -> None:
        """One step back in ``last_epoch`` for every scheduler inside (nested ones too)."""
        node = self if sched is None else sched
        if hasattr(node, "_schedulers"):
            for child in node._schedulers:
                self.recursive_undo(child)
        elif hasattr(node, "last_epoch"):
            node.last_epoch -= 1

    def step(self) -> None:
        self.last_epoch += 1
        i = bisect_right(self._milestones, self.last_epoch)
        active = self._schedulers[i]
        if i > 0 and self._milestones[i - 1] == self.last_epoch:
            active._update_lr(0)  # a fresh start
        else:
            active.step()
        self._last_lr = active.get_last_lr()


class ChainedScheduler(_Composite):
    """Steps all ``schedulers`` (of one optimizer) in turn: each multiplies in its factor."""

    def __init__(self, schedulers: Sequence, optimizer: Optimizer | None = None) -> None:
        name = type(self).__name__
        if len(schedulers) < 1:
            raise ValueError(f"{name} expects at least one scheduler to be chained, but got no "
                             "scheduler.")
        optimizer = optimizer or schedulers[0].optimizer
        _check_sub_schedulers(name, schedulers, optimizer)
        self._schedulers = schedulers
        self.optimizer = optimizer
        self._last_lr = _read_groups(schedulers[-1].optimizer, "lr")

    def step(self) -> None:
        for s in self._schedulers:
            s.step()
        self._last_lr = _read_groups(self._schedulers[-1].optimizer, "lr")


# -- driven by a metric -----------------------------------------------------------------------

class ReduceLROnPlateau(LRScheduler):
    """Decay the lrs by ``factor`` when a metric stops improving.

    Call ``step(metric)`` after each evaluation. With mode 'min', a metric improves on the best
    so far when it is below best * (1 - threshold) ('rel') or best - threshold ('abs'); mode
    'max' mirrors this. Once more than ``patience`` evaluations in a row did not improve, each
    lr becomes max(lr * factor, min_lr) (``min_lr`` one value or one per group) unless that
    changes it by eps or less, and for ``cooldown`` evaluations bad ones are not counted."""

    def __init__(self, optimizer: Optimizer, mode: str = "min", factor: float = 0.1,
                 patience: int = 10, threshold: float = 1e-4, threshold_mode: str = "rel",
                 cooldown: int = 0, min_lr: list | float = 0, eps: float = 1e-8) -> None:
        if factor >= 1.0:
            raise ValueError("Factor should be < 1.0.")
        self.factor = factor
        _require_optimizer(optimizer)
        self.optimizer = optimizer
        n = len(optimizer.param_groups)
        if not isinstance(min_lr, (list, tuple)):
            self.default_min_lr, self.min_lrs = min_lr, [min_lr] * n
        elif len(min_lr) == n:
            self.default_min_lr, self.min_lrs = None, list(min_lr)
        else:
            raise ValueError(f"expected {n} min_lrs, got {len(min_lr)}")
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = self._current()
        self._set_comparison(mode, threshold, threshold_mode)
        self._reset()

    def _set_comparison(self, mode: str, threshold: float, threshold_mode: str) -> None:
        if mode not in {"min", "max"}:
            raise ValueError("mode " + mode + " is unknown!")
        if threshold_mode not in {"rel", "abs"}:
            raise ValueError("threshold mode " + threshold_mode + " is unknown!")
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode

    def _reset(self) -> None:
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    @property
    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def _is_better(self, a: float, best: float) -> bool:
        """Whether ``a`` beats ``best`` by more than the threshold."""
        lower = self.mode == "min"
        t = self.threshold
        if self.threshold_mode == "rel":
            bar = best * (1.0 - t) if lower else best * (t + 1.0)
        else:
            bar = best - t if lower else best + t
        return a < bar if lower else a > bar

    def step(self, metrics, epoch=None) -> None:
        current = float(metrics)
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        if self._is_better(current, self.best):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            self._reduce_lr(self.last_epoch)
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = self._current()

    def _reduce_lr(self, epoch) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            # a group was added since construction: only a single min_lr can cover it
            if self.default_min_lr is None:
                raise RuntimeError(
                    "The number of param groups in the `optimizer` "
                    f"({len(groups)}) differs from when "
                    f"`ReduceLROnPlateau` was initialized ({len(self.min_lrs)}), usually due "
                    "to a new param group being added to the optimizer. Please modify the "
                    "`min_lrs` field to match the length of the `optimizer` param groups.")
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, floor in zip(groups, self.min_lrs):
            old = float(group["lr"])
            new = max(old * self.factor, floor)
            if old - new > self.eps:
                _write_group(group, "lr", new)

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)
        self._set_comparison(self.mode, self.threshold, self.threshold_mode)


# -- cycles, stepped per batch ----------------------------------------------------------------

def _set_momentum(group: dict, momentum: float, use_beta1: bool) -> None:
    """Write the cycled momentum: SGD-like groups' ``momentum`` or Adam-like groups' beta1."""
    if use_beta1:
        group["betas"] = (momentum, *group["betas"][1:])
    else:
        group["momentum"] = momentum


def _momentum_ranges(sched, optimizer: Optimizer, base_momentum, max_momentum,
                     base_first: bool) -> tuple:
    """Checks that the optimizer has a momentum to cycle and returns (base, max) per group;
    ``base_first`` is the order the two arguments are checked in."""
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise ValueError("optimizer must support momentum or beta1 with "
                         "`cycle_momentum` option enabled")
    sched.use_beta1 = "betas" in optimizer.defaults
    if base_first:
        base = _format_param("base_momentum", optimizer, base_momentum)
        top = _format_param("max_momentum", optimizer, max_momentum)
    else:
        top = _format_param("max_momentum", optimizer, max_momentum)
        base = _format_param("base_momentum", optimizer, base_momentum)
    return base, top


def _start_momentum(sched, optimizer: Optimizer, base: list, top: list) -> None:
    """A fresh cycle starts at the top momentum; the groups keep both ends."""
    for b, m, group in zip(base, top, optimizer.param_groups):
        _set_momentum(group, m, sched.use_beta1)
        group["max_momentum"] = m
        group["base_momentum"] = b


def _constant_scale(x: float) -> float:
    return 1.0


def _halving_scale(x: float) -> float:
    return 1 / (2.0 ** (x - 1))


def _geometric_scale(gamma: float, x: float) -> float:
    return gamma ** x


class CyclicLR(LRScheduler):
    """Cyclical learning rates (Smith, 2017): each cycle of step_size_up + step_size_down
    iterations takes the lr linearly from base_lr up to base_lr + (max_lr - base_lr) * s and
    back, s the amplitude of ``scale_fn`` (of the cycle number or of the iteration,
    ``scale_mode``). Built-in modes: 'triangular' (s = 1), 'triangular2' (s halves every
    cycle), 'exp_range' (s = gamma ** iteration). With ``cycle_momentum`` the momentum (or
    beta1) moves the opposite way between max_momentum and base_momentum."""

    _MODES = {"triangular": (_constant_scale, "cycle"), "triangular2": (_halving_scale, "cycle"),
              "exp_range": (_geometric_scale, "iterations")}

    def __init__(self, optimizer: Optimizer, base_lr: float | list, max_lr: float | list,
                 step_size_up: int = 2000, step_size_down: int | None = None,
                 mode: str = "triangular", gamma: float = 1.0,
                 scale_fn: Callable[[float], float] | None = None, scale_mode: str = "cycle",
                 cycle_momentum: bool = True, base_momentum: float = 0.8,
                 max_momentum: float = 0.9, last_epoch: int = -1) -> None:
        _require_optimizer(optimizer)
        self.optimizer = optimizer
        base_lrs = _format_param("base_lr", optimizer, base_lr)
        if last_epoch == -1:
            _write_lrs(optimizer, base_lrs)
        self.max_lrs = _format_param("max_lr", optimizer, max_lr)
        up = float(step_size_up)
        down = up if step_size_down is None else float(step_size_down)
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        if mode not in self._MODES and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode
        self._init_scale_fn()
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.base_momentums, self.max_momentums = _momentum_ranges(
                self, optimizer, base_momentum, max_momentum, base_first=True)
            if last_epoch == -1:
                _start_momentum(self, optimizer, self.base_momentums, self.max_momentums)
        super().__init__(optimizer, last_epoch)
        # torch assigns base_lrs only now, after the constructor's step used initial_lr
        self.base_lrs = base_lrs

    def _init_scale_fn(self) -> None:
        """A built-in mode's amplitude function (kept out of the state dict, rebuilt on
        load); a user's ``scale_fn`` takes precedence with its own ``scale_mode``."""
        if self._scale_fn_custom is not None or self.mode not in self._MODES:
            return
        fn, self.scale_mode = self._MODES[self.mode]
        self._scale_fn_ref = (functools.partial(fn, self.gamma) if fn is _geometric_scale
                              else fn)

    def scale_fn(self, x) -> float:
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        return self._scale_fn_ref(x)

    def _next_lrs(self) -> list:
        t = self.last_epoch
        cycle = math.floor(1 + t / self.total_size)
        x = 1.0 + t / self.total_size - cycle  # where in the cycle, in [0, 1)
        if x <= self.step_ratio:
            rise = x / self.step_ratio
        else:
            rise = (x - 1) / (self.step_ratio - 1)
        at = cycle if self.scale_mode == "cycle" else t
        # scale_fn is called once per group and quantity, as in torch (it may keep state)
        lrs = [lo + (hi - lo) * rise * self.scale_fn(at)
               for lo, hi in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            momenta = [hi - (hi - lo) * rise * self.scale_fn(at)
                       for lo, hi in zip(self.base_momentums, self.max_momentums)]
            for group, m in zip(self.optimizer.param_groups, momenta):
                _set_momentum(group, m, self.use_beta1)
        return lrs

    def state_dict(self) -> dict[str, Any]:
        state = super().state_dict()
        state.pop("_scale_fn_ref", None)
        fn = state.pop("_scale_fn_custom")
        keep = fn is not None and not isinstance(fn, types.FunctionType)
        state["_scale_fn_custom"] = fn.__dict__.copy() if keep else None
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        attrs = state_dict.pop("_scale_fn_custom")
        super().load_state_dict(state_dict)
        if attrs is not None:
            self._scale_fn_custom.__dict__.update(attrs)
        self._init_scale_fn()


class CosineAnnealingWarmRestarts(LRScheduler):
    """SGDR (Loshchilov & Hutter): lr = eta_min + (base_lr - eta_min)
    (1 + cos(pi T_cur / T_i)) / 2, where T_cur counts epochs since the last restart and the
    period T_i starts at T_0 and is multiplied by T_mult at each restart. ``step(epoch)`` takes
    fractional epochs (epoch + batch / batches_per_epoch)."""

    def __init__(self, optimizer: Optimizer, T_0: int, T_mult: int = 1, eta_min: float = 0.0,
                 last_epoch: int = -1) -> None:
        if T_0 <= 0 or not isinstance(T_0, int):
            raise ValueError(f"Expected positive integer T_0, but got {T_0}")
        if T_mult < 1 or not isinstance(T_mult, int):
            raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
        if not isinstance(eta_min, (float, int)):
            raise ValueError(f"Expected float or int eta_min, but got {eta_min} of type "
                             f"{type(eta_min)}")
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    def _next_lrs(self) -> list:
        return [_cosine_point(self.eta_min, base, self.T_cur, self.T_i)
                for base in self.base_lrs]

    def _advance(self) -> None:
        self.T_cur = self.T_cur + 1
        if self.T_cur >= self.T_i:
            self.T_cur, self.T_i = self.T_cur % self.T_i, self.T_i * self.T_mult

    def _locate(self, epoch) -> None:
        """T_cur and T_i at ``epoch``. Restart k happens at T_0 (T_mult^k - 1) / (T_mult - 1)
        (at k T_0 when T_mult = 1)."""
        if epoch < 0:
            raise ValueError(f"Expected non-negative epoch, but got {epoch}")
        if epoch < self.T_0:
            self.T_i, self.T_cur = self.T_0, epoch
        elif self.T_mult == 1:
            self.T_cur = epoch % self.T_0
        else:
            k = int(math.log((epoch / self.T_0 * (self.T_mult - 1) + 1), self.T_mult))
            self.T_cur = epoch - self.T_0 * (self.T_mult ** k - 1) / (self.T_mult - 1)
            self.T_i = self.T_0 * self.T_mult ** k

    def step(self, epoch=None) -> None:
        if epoch is None and self.last_epoch < 0:
            epoch = 0  # the constructor's step
        if epoch is None:
            epoch = self.last_epoch + 1
            self._advance()
        else:
            self._locate(epoch)
        self.last_epoch = math.floor(epoch)
        with _raised(self, "_get_lr_called_within_step"):
            _write_lrs(self.optimizer, self.get_lr())
        self._last_lr = self._current()


def _phase(end_step: float, start_lr: str, end_lr: str, start_momentum: str,
           end_momentum: str) -> dict:
    """One leg of the 1cycle schedule: up to ``end_step``, from the group entries named
    ``start_*`` to those named ``end_*``."""
    return {"end_step": end_step, "start_lr": start_lr, "end_lr": end_lr,
            "start_momentum": start_momentum, "end_momentum": end_momentum}


def _positive_int(value, name: str) -> None:
    if not isinstance(value, int) or value <= 0:
        raise ValueError(f"Expected positive integer {name}, but got {value}")


class OneCycleLR(LRScheduler):
    """The 1cycle policy (Smith & Topin): over the first pct_start of total_steps the lr
    climbs from max_lr / div_factor to max_lr, then anneals ('cos' or 'linear') down to
    initial_lr / final_div_factor; with ``three_phase`` it first comes back down to the
    initial lr symmetrically and anneals from there. The momentum (or beta1) moves the other
    way between max_momentum and base_momentum. Step it once per batch."""

    def __init__(self, optimizer: Optimizer, max_lr: float | list,
                 total_steps: int | None = None, epochs: int | None = None,
                 steps_per_epoch: int | None = None, pct_start: float = 0.3,
                 anneal_strategy: str = "cos", cycle_momentum: bool = True,
                 base_momentum: float | list = 0.85, max_momentum: float | list = 0.95,
                 div_factor: float = 25.0, final_div_factor: float = 1e4,
                 three_phase: bool = False, last_epoch: int = -1) -> None:
        _require_optimizer(optimizer)
        self.optimizer = optimizer
        if total_steps is not None:
            if total_steps <= 0 or not isinstance(total_steps, int):
                raise ValueError(
                    f"Expected positive integer total_steps, but got {total_steps}")
            self.total_steps = total_steps
        elif epochs is not None and steps_per_epoch is not None:
            _positive_int(epochs, "epochs")
            _positive_int(steps_per_epoch, "steps_per_epoch")
            self.total_steps = epochs * steps_per_epoch
        else:
            raise ValueError("You must define either total_steps OR (epochs AND "
                             "steps_per_epoch)")
        last = self.total_steps - 1
        peak = float(pct_start * self.total_steps) - 1
        if three_phase:
            self._schedule_phases = [
                _phase(peak, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                _phase(float(2 * pct_start * self.total_steps) - 2, "max_lr", "initial_lr",
                       "base_momentum", "max_momentum"),
                _phase(last, "initial_lr", "min_lr", "max_momentum", "max_momentum")]
        else:
            self._schedule_phases = [
                _phase(peak, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                _phase(last, "max_lr", "min_lr", "base_momentum", "max_momentum")]
        if pct_start < 0 or pct_start > 1 or not isinstance(pct_start, float):
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError("anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{anneal_strategy}")
        self._anneal_func_type = anneal_strategy

        tops = _format_param("max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for top, group in zip(tops, optimizer.param_groups):
                group["initial_lr"] = top / div_factor
                group["max_lr"] = top
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            base, top_m = _momentum_ranges(self, optimizer, base_momentum, max_momentum,
                                           base_first=False)
            if last_epoch == -1:
                _start_momentum(self, optimizer, base, top_m)
        super().__init__(optimizer, last_epoch)

    def _between(self, start, end, pct):
        """The annealing curve from ``start`` (pct = 0) to ``end`` (pct = 1)."""
        if self._anneal_func_type == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def _where(self, step: int) -> tuple:
        """The phase ``step`` falls in, and the fraction of it already done."""
        start = 0.0
        for i, phase in enumerate(self._schedule_phases):
            if step <= phase["end_step"] or i == len(self._schedule_phases) - 1:
                return phase, (step - start) / (phase["end_step"] - start)
            start = phase["end_step"]

    def _next_lrs(self) -> list:
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"Tried to step {step} times. The specified number of total "
                             f"steps is {self.total_steps}")
        phase, pct = self._where(step)
        lrs = []
        for group in self.optimizer.param_groups:
            lrs.append(self._between(group[phase["start_lr"]], group[phase["end_lr"]], pct))
            if self.cycle_momentum:
                m = self._between(group[phase["start_momentum"]], group[phase["end_momentum"]],
                                  pct)
                _set_momentum(group, m, self.use_beta1)
        return lrs
