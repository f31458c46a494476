"""The switch for graph recording: ``no_grad``, ``enable_grad``, ``set_grad_enabled``,
``inference_mode``.

Each works as a context manager and as a decorator, as in torch. As in torch the switch is per
thread: a thread under ``no_grad`` (an evaluator) leaves another thread's recording (a trainer's)
alone, the engine turns recording off only in the thread running backward, and every new thread
starts with recording on.

The flag is kept as the set of threads that have recording off (``OFF``, by
``threading.get_ident``), so that ``Function.apply`` and the engine read it as
``not OFF or get_ident() not in OFF``: a module global's truth value while no thread has
recording off (11 ns measured, against 100 ns to read an attribute of a ``threading.local`` and
120 ns to write one; the engine writes the flag twice per backward pass). A thread that ends
with recording off leaves the set at its end (``_Forget``, held by the thread's own
``threading.local`` record), before a new thread can be given its identifier.
"""
from __future__ import annotations

import functools
import inspect
import threading


get_ident = threading.get_ident
OFF: set = set()  # the identifiers of the threads whose ops do not record the graph
_forgets: set = set()  # the threads holding a _Forget
_local = threading.local()


class _Forget:
    """Held by a thread that turned recording off (in its ``threading.local`` record, which
    Python drops when the thread ends): takes the thread out of ``OFF`` then."""

    __slots__ = ("ident",)

    def __init__(self, ident: int) -> None:
        self.ident = ident

    def __del__(self, OFF=OFF, forgets=_forgets) -> None:
        OFF.discard(self.ident)
        forgets.discard(self.ident)


def set_enabled(enabled: bool) -> None:
    """Turn recording on or off in the calling thread."""
    ident = get_ident()
    if enabled:
        OFF.discard(ident)
        return
    OFF.add(ident)
    if ident not in _forgets:
        _forgets.add(ident)
        _local.forget = _Forget(ident)


class _GradState:
    """``enabled``: whether ops record the graph, in the calling thread (on in every new
    thread)."""

    __slots__ = ()

    @property
    def enabled(self) -> bool:
        return not OFF or get_ident() not in OFF

    @enabled.setter
    def enabled(self, value: bool) -> None:
        set_enabled(value)


_state = _GradState()


def is_grad_enabled() -> bool:
    return not OFF or get_ident() not in OFF


class _DecoratorContextManager:
    """Shared by the three classes below: ``with`` support and use as a decorator."""

    def __call__(self, func):
        if inspect.isclass(func):
            raise RuntimeError(f"{type(self).__name__} cannot decorate a class")
        if inspect.isgeneratorfunction(func):
            @functools.wraps(func)
            def generator(*args, **kwargs):
                gen = func(*args, **kwargs)
                while True:
                    with self.clone():
                        try:
                            item = next(gen)
                        except StopIteration as stop:
                            return stop.value
                    yield item
            return generator

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)
        return wrapper

    def clone(self):
        return type(self)()


class no_grad(_DecoratorContextManager):
    """Disables graph recording: results of ops have ``requires_grad=False``."""

    def __init__(self) -> None:
        self.prev = False

    def __enter__(self) -> None:
        self.prev = is_grad_enabled()
        set_enabled(False)

    def __exit__(self, *exc) -> None:
        set_enabled(self.prev)


class enable_grad(_DecoratorContextManager):
    """Re-enables graph recording inside a ``no_grad`` block."""

    def __init__(self) -> None:
        self.prev = True

    def __enter__(self) -> None:
        self.prev = is_grad_enabled()
        set_enabled(True)

    def __exit__(self, *exc) -> None:
        set_enabled(self.prev)


class set_grad_enabled(_DecoratorContextManager):
    """``set_grad_enabled(mode)`` sets the flag at once (as a function call) and restores the
    previous value when used as a context manager."""

    def __init__(self, mode: bool) -> None:
        self.prev = is_grad_enabled()
        self.mode = bool(mode)
        set_enabled(self.mode)

    def __enter__(self) -> None:
        set_enabled(self.mode)

    def __exit__(self, *exc) -> None:
        set_enabled(self.prev)

    def clone(self):
        return type(self)(self.mode)


class inference_mode(no_grad):
    """Treated as ``no_grad``: minitorch_ref has no separate inference tensors."""

    def __init__(self, mode: bool = True) -> None:
        super().__init__()
        self.mode = mode

    def __enter__(self) -> None:
        self.prev = is_grad_enabled()
        if self.mode:
            set_enabled(False)

    def clone(self):
        return type(self)(self.mode)
