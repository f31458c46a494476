"""Early stopping: end training once a monitored metric has stopped improving.

torch has no early stopping; this class follows the convention shared by Keras
(``keras.callbacks.EarlyStopping``) and Lightning (``lightning.pytorch.callbacks.EarlyStopping``):

    best = +inf (mode 'min') or -inf (mode 'max'); wait = 0
    each epoch, with the monitored value v:
        improved = v < best - min_delta        (mode 'min')
                   v > best + min_delta        (mode 'max')
        if improved: best = v; best_epoch = epoch; wait = 0; [copy the model's state_dict]
        else:        wait += 1
        stop when wait >= patience             [then load the copied state_dict back]

So ``patience=3`` stops after three epochs in a row without improvement, and ``min_delta`` is the
margin a new value must beat ``best`` by, in the improving direction. ``patience=0`` stops at
the first epoch that does not improve.

Note the off-by-one against ``ReduceLROnPlateau``, which acts when ``num_bad_epochs > patience``
(after patience + 1 bad epochs) and compares with a relative threshold by default. With the two
together, give early stopping the larger patience so that the learning rate is reduced (perhaps
more than once) before training gives up: e.g. plateau ``patience=2`` reduces the LR on the 3rd
bad epoch, early stopping ``patience=5`` stops on the 5th.

A value that is NaN or infinite stops training at once when ``check_finite`` is True (as in
Lightning): nothing after a diverged epoch can be trusted.

Usage::

    from minitorch_ref.utils.early_stopping import EarlyStopping

    stopper = EarlyStopping(mode="min", patience=5, min_delta=1e-4,
                            restore_best_weights=True, model=model)
    for epoch in range(100):
        train_one_epoch(...)
        if stopper.step(validation_loss):     # True: stop now (best weights already restored)
            break

The model may also be passed to each call, ``stopper.step(validation_loss, model)``. Anything
with ``state_dict()`` / ``load_state_dict()`` works, a torch module included.
"""
from __future__ import annotations

import copy
import math
from typing import Any

__all__ = ["EarlyStopping"]


class EarlyStopping:
    """Tracks a metric and says when to stop (``step`` returns True).

    Args:
        mode: ``'min'`` for losses, ``'max'`` for accuracies.
        patience: epochs in a row without improvement before stopping (``>= 0``).
        min_delta: how much better than ``best`` a value must be to count as an improvement
            (``>= 0``, in the improving direction: ``v < best - min_delta`` in mode ``'min'``).
        restore_best_weights: keep a deep copy of ``model.state_dict()`` from the best epoch and
            load it back into ``model`` when stopping (``restore_best()`` does it on demand).
        model: the module whose weights to copy, needed with ``restore_best_weights`` (here or
            in each ``step(value, model)`` call).
        check_finite: stop at once on a NaN or infinite value.
        verbose: print a line on improvement and when stopping.

    Attributes: ``best``, ``best_epoch`` (0-based index of the best ``step`` call, ``None``
    before the first), ``num_bad_epochs``, ``should_stop``, ``stopped_epoch`` (``None`` until
    stopping), ``last_epoch`` (index of the latest ``step``, ``-1`` before the first) and
    ``best_state`` (the copied state_dict, or ``None``).
    """

    def __init__(self, mode: str = "min", patience: int = 10, min_delta: float = 0.0,
                 restore_best_weights: bool = False, model=None, check_finite: bool = True,
                 verbose: bool = False) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f"mode {mode} is unknown! Expected 'min' or 'max'")
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError(f"patience should be a non-negative integer, got {patience!r}")
        if not min_delta >= 0:
            raise ValueError(f"min_delta should be >= 0 (it applies in the improving "
                             f"direction), got {min_delta!r}")
        self.mode = mode
        self.patience = patience
        self.min_delta = float(min_delta)
        self.restore_best_weights = restore_best_weights
        self.model = model
        self.check_finite = check_finite
        self.verbose = verbose
        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch: int | None = None
        self.num_bad_epochs = 0
        self.last_epoch = -1
        self.should_stop = False
        self.stopped_epoch: int | None = None
        self.best_state = None

    def is_better(self, value: float, best: float) -> bool:
        """Whether ``value`` improves on ``best`` by more than ``min_delta``."""
        if self.mode == "min":
            return value < best - self.min_delta
        return value > best + self.min_delta

    def step(self, value, model=None) -> bool:
        """Record this epoch's metric (a number or a one-element tensor); True means stop.

        ``model`` (optional) replaces the one given at construction."""
        if model is not None:
            self.model = model
        if self.restore_best_weights and self.model is None:
            raise ValueError("restore_best_weights=True needs the model: pass model= to "
                             "EarlyStopping(...) or to step(value, model)")
        value = float(value)
        self.last_epoch += 1
        epoch = self.last_epoch
        if self.check_finite and not math.isfinite(value):
            self._stop(epoch, f"monitored value {value} is not finite")
            return True
        if self.is_better(value, self.best):
            self.best = value
            self.best_epoch = epoch
            self.num_bad_epochs = 0
            if self.restore_best_weights:
                self.best_state = copy.deepcopy(self.model.state_dict())
            if self.verbose:
                print(f"EarlyStopping: epoch {epoch}: new best {value:.6g}")
        else:
            self.num_bad_epochs += 1
            if not self.should_stop and self.num_bad_epochs >= self.patience:
                self._stop(epoch, f"no improvement for {self.num_bad_epochs} epochs "
                                  f"(best {self.best:.6g} at epoch {self.best_epoch})")
        return self.should_stop

    __call__ = step

    def _stop(self, epoch: int, why: str) -> None:
        self.should_stop = True
        self.stopped_epoch = epoch
        if self.restore_best_weights:
            self.restore_best()
        if self.verbose:
            print(f"EarlyStopping: stopping at epoch {epoch}: {why}")

    def restore_best(self, model=None) -> bool:
        """Load the best epoch's weights into ``model`` (default: the one given at construction).
        Returns False when there is nothing to restore (no improving epoch was seen)."""
        model = model if model is not None else self.model
        if self.best_state is None or model is None:
            return False
        model.load_state_dict(self.best_state)
        return True

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to resume, including the copied best weights (if any)."""
        return {"mode": self.mode, "patience": self.patience, "min_delta": self.min_delta,
                "best": self.best, "best_epoch": self.best_epoch,
                "num_bad_epochs": self.num_bad_epochs, "last_epoch": self.last_epoch,
                "should_stop": self.should_stop, "stopped_epoch": self.stopped_epoch,
                "best_state": self.best_state}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        for key in ("mode", "patience", "min_delta", "best", "best_epoch", "num_bad_epochs",
                    "last_epoch", "should_stop", "stopped_epoch", "best_state"):
            setattr(self, key, state_dict[key])

    def __repr__(self) -> str:
        return (f"EarlyStopping(mode={self.mode!r}, patience={self.patience}, "
                f"min_delta={self.min_delta}, best={self.best}, best_epoch={self.best_epoch}, "
                f"num_bad_epochs={self.num_bad_epochs}, should_stop={self.should_stop})")
