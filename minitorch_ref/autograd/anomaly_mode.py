"""torch.autograd's anomaly mode: ``detect_anomaly`` and ``set_detect_anomaly``.

While it is on, every node the forward records keeps the stack of the call that made it; when a
node's backward raises, a UserWarning shows that stack ("Error detected in XBackward0. Traceback
of forward call that caused the error: ..."), and with ``check_nan`` a backward that returns NaN
in any gradient raises torch's ``RuntimeError: Function 'XBackward0' returned nan values in its
0th output.`` (the index counts the node's inputs as torch's ``next_functions`` lists them).

Cost when it is off: nothing per op or per node. The forward stacks come from swapping the
node-numbering counter of ``autograd.function`` for one that also records the stack; the engine
reads the mode once per backward call and only then routes each node through ``checked_call``.
Stacks of nodes that are never run backward stay until the mode is switched off.
"""
from __future__ import annotations

import os
import traceback
import warnings

import numpy as np

from . import function as _function

__all__ = ["detect_anomaly", "set_detect_anomaly"]


class _State:
    enabled = False
    check_nan = True


_state = _State()
_counter = _function._sequence  # the node-numbering counter every recorded op draws from
_stacks: dict = {}  # node number -> the forward stack that made it (while the mode is on)


class _RecordingCounter:
    """Draws the next node number from the shared counter and keeps the caller's stack."""

    def __iter__(self):
        return self

    def __next__(self) -> int:
        n = next(_counter)
        _stacks[n] = traceback.extract_stack()
        return n


def is_anomaly_enabled() -> bool:
    return _state.enabled


def is_anomaly_check_nan_enabled() -> bool:
    return _state.check_nan


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    """torch.set_anomaly_enabled: the switch both context managers use."""
    _state.enabled = bool(enabled)
    _state.check_nan = bool(check_nan)
    _function._sequence = _RecordingCounter() if _state.enabled else _counter
    if not _state.enabled:
        _stacks.clear()


class detect_anomaly:
    """Context manager: anomaly mode on inside (with ``check_nan``), the previous mode after.
    Warns on creation that the mode slows the program down, as torch does."""

    def __init__(self, check_nan: bool = True) -> None:
        self.prev = is_anomaly_enabled()
        self.check_nan = check_nan
        self.prev_check_nan = is_anomaly_check_nan_enabled()
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime "
                      "and should only be enabled for debugging.", stacklevel=2)

    def __enter__(self) -> None:
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *args: object) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


class set_detect_anomaly:
    """Sets anomaly mode on or off when called; as a context manager, restores the previous
    mode on exit."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = is_anomaly_enabled()
        self.prev_check_nan = is_anomaly_check_nan_enabled()
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args: object) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


def checked_call(call):
    """``call(node, grads) -> results`` (the engine's way of running one node) wrapped for
    anomaly mode: an error names the node and shows its forward stack, and with ``check_nan``
    a NaN in a returned gradient raises."""
    check_nan = _state.check_nan

    def run(node, grads):
        try:
            results = call(node, grads)
            if check_nan:
                _check_nan(node, results)
        except Exception:
            _warn_forward_stack(node)
            raise
        return results

    return run


def _check_nan(node, results) -> None:
    listed = node._listed
    for i, g in enumerate(results):
        if g is None:
            continue
        a = getattr(g, "_data", g)
        a = getattr(a, "_data", a)  # a GraphArray's Tensor under create_graph
        if np.isnan(np.asarray(a)).any():
            index = listed.index(i) if listed is not None and i in listed else i
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its "
                               f"{index}th output.")


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _warn_forward_stack(node) -> None:
    """torch's warning for an error in a node's backward: the user's frames of the forward call
    that recorded the node (frames inside this package left out, as torch shows none of its
    own)."""
    stack = _stacks.get(getattr(node, "_seq", None))
    if stack is None:
        msg = (f"Error detected in {node.name()}. No forward pass information available. "
               "Enable detect anomaly during forward pass for more information.")
    else:
        frames = [f for f in stack if not f.filename.startswith(_PACKAGE + os.sep)]
        msg = (f"Error detected in {node.name()}. Traceback of forward call that caused the "
               "error:\n" + "".join(traceback.format_list(frames)))
    warnings.warn(msg, UserWarning, stacklevel=2)


def forget(nodes: list) -> None:
    """Drop the forward stacks of freed nodes."""
    for node in nodes:
        _stacks.pop(getattr(node, "_seq", None), None)
