"""NumPy's floating-point error state while the library computes: every error ignored.

NumPy reports floating-point edge cases (0/0, x/0, overflow to inf, inf - inf) through its error
state: a RuntimeWarning by default, a FloatingPointError after ``np.seterr(all="raise")``.
torch's kernels return the same NaN or inf silently, whatever the user set. So our arithmetic
runs under NumPy's "ignore" state, and the caller's state is back as soon as control returns
to the caller: the user's own NumPy code warns (or raises) as before. A warnings filter cannot
do this: ``warnings.catch_warnings()`` discards one added inside it (pytest imports test modules
inside one), ``-W error`` or ``simplefilter("error")`` goes in front of it, and
``np.seterr(all="raise")`` raises before any warning exists.

The state is set where the library's arithmetic funnels through, once per call:

* ``ArrayFunction.apply``: the forward of every op (autograd/function.py);
* ``run_backward``: a whole backward pass (autograd/engine.py);
* ``quiet``, a decorator, on the entry points that compute on arrays outside an op: every
  built-in optimizer's ``step`` (optim/optimizer.py), ``get_total_norm`` and
  ``clip_grads_with_norm_`` (nn/utils/clip_grad.py), ``GradScaler.unscale_`` and ``update``,
  and the factories that convert data or a fill value to a dtype: ``_to_array`` (``tensor``,
  ``as_tensor``, ``new_tensor``), ``full``, ``full_like``, ``new_full``, ``arange``,
  ``linspace`` and ``logspace`` (a value beyond the dtype's range becomes inf silently).

User code that these call (tensor and node hooks, a custom ``autograd.Function``'s backward, an
optimizer's closure) runs under the caller's state again (``as_user``). Kernels need no
``np.errstate`` of their own.

The first two set NumPy's ContextVar directly, inline: a set and reset cost about 0.2 us,
``np.errstate(all="ignore")`` about 1 us (a Python object, keyword parsing and a new state
object every time).
"""
from __future__ import annotations

import contextvars
import functools
import re
import threading
import warnings

import numpy as np

try:  # NumPy 2: the state is a ContextVar holding an opaque object
    from numpy._core.umath import _extobj_contextvar as STATE
except ImportError:  # elsewhere (NumPy 1) through np.geterr/np.seterr: slower, the same rules
    class _Token:
        __slots__ = ("old_value",)

    class _ErrorState:
        """The ContextVar interface over ``np.geterr``/``np.seterr`` (a state is their dict)."""

        get = staticmethod(np.geterr)

        @staticmethod
        def set(value):
            token = _Token()
            token.old_value = np.seterr(**value)
            return token

        @staticmethod
        def reset(token):
            np.seterr(**token.old_value)

    STATE = _ErrorState()

with np.errstate(all="ignore"):
    IGNORE = STATE.get()  # (with NumPy's default buffer size and no error callback)
DEFAULT = contextvars.Context().run(STATE.get)  # NumPy's own, where nothing set another


# per thread: the tokens of the quiet functions and backward passes running, innermost last;
# each token's ``old_value`` is its caller's state (``as_user``). A list kept in a plain
# threading.local, fetched once per pass and pushed and popped there: one attribute read of
# the local instead of a read and two writes (a local's attribute costs about 1,000
# instructions, a list's append and pop a few dozen)
RUNNING = threading.local()


def running_tokens() -> list:
    """This thread's stack of tokens (``RUNNING.tokens``), created on its first use."""
    try:
        return RUNNING.tokens
    except AttributeError:
        tokens = RUNNING.tokens = []
        return tokens


def running_token():
    """The innermost running token in this thread, or None."""
    tokens = getattr(RUNNING, "tokens", None)
    return tokens[-1] if tokens else None


def quiet(fn):
    """``fn`` running under the "ignore" state; the user code it calls through ``as_user``
    runs under the caller's state."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        token = STATE.set(IGNORE)
        tokens = running_tokens()
        tokens.append(token)
        try:
            return fn(*args, **kwargs)
        finally:
            tokens.pop()
            STATE.reset(token)
    return wrapper


def as_user(fn, *args):
    """``fn(*args)`` (user code: a hook, a custom Function's backward, an optimizer's closure)
    under the state of the caller of the quiet function or backward pass running."""
    token = running_token()
    if token is None:
        return fn(*args)
    caller = token.old_value
    user = STATE.set(DEFAULT if caller is contextvars.Token.MISSING else caller)
    try:
        return fn(*args)
    finally:
        STATE.reset(user)


# A second net, for what the error state does not control (NumPy's own ``warnings.warn``, such
# as np.mean's "Mean of empty slice") and for a NumPy call outside the places above: a
# RuntimeWarning is ignored when the library's code made the call, while the warnings filters
# are as the import left them (not inside a ``catch_warnings`` block entered before, and not
# behind an "error" filter added after).
warnings.filterwarnings("ignore", category=RuntimeWarning,
                        module=re.escape(__name__.partition(".")[0]) + r"(\.|$)")
