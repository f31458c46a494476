"""The restricted unpickler behind ``load(..., weights_only=True)``, after torch's own.

Python's ``pickle`` runs a small stack machine whose instructions can call any importable
function and set attributes on any object. Restricting only which globals a file may name is
not enough: the ``BUILD`` instruction sets attributes on whatever object is on the stack, so a
file that names an allowed class (``collections.Counter``, ``torch.Size``) or object (a dtype)
could rewrite it for the rest of the process, and the C unpickler sizes its memo table by the
largest index a file mentions, so a tiny file can make it allocate gigabytes.

This module therefore interprets the pickle itself, opcode by opcode, with the rules of torch's
``torch/_weights_only_unpickler.py``:

* only the opcodes torch's weights-only unpickler implements (protocol 2, as ``torch.save``
  writes it); any other raises ``UnpicklingError("Unsupported operand N")``;
* ``GLOBAL`` resolves names through an allow-list, never by import; ``sys``, ``os``, ``posix``
  and ``nt`` are refused even when a user allow-lists them;
* ``REDUCE`` calls, and ``NEWOBJ`` instantiates, allow-listed objects only;
* ``BUILD`` applies state only to an *instance* whose type is allow-listed (tensors,
  parameters, ``OrderedDict``, allow-listed classes): the allow-listed classes, functions and
  dtypes themselves are never a target, so a file cannot change them;
* ``APPEND``/``APPENDS`` only extend ``list`` objects, ``SETITEM``/``SETITEMS`` only fill
  ``dict``, ``OrderedDict`` and ``Counter`` objects the file itself created;
* the memo is a dict: an index costs one entry whatever its value;
* the calls a file makes (``REDUCE``, ``NEWOBJ``, ``BUILD``) may copy, in all, about 8 bytes
  per byte of the pickle (plus 1 MiB): an object the file holds once can be passed to many
  calls through the memo, and each call copies it (``_codecs.encode`` of one memoized 1 MiB
  string 10^5 times is 100 GiB from a 2 MiB file; ``torch.Tensor`` of a list whose rows are
  one memoized row allocates rows x row length). Each call is charged, before it runs, what
  copying its arguments may cost: a string its length, a container 32 bytes an entry (what a
  set or dict built from it takes), nested containers each time they occur. Calls that only
  view their arguments (the tensor rebuild functions) are not charged.

Two calls that torch allows are refused here because they would allocate memory the file does
not hold: ``bytearray(n)`` and a tensor constructor called with sizes (``torch.Tensor(n)``,
uninitialised memory). ``torch.save`` writes neither.
"""
from __future__ import annotations

import collections
import struct
import warnings
from pickle import UnpicklingError, decode_long
from typing import Any, Callable

__all__ = ["Unpickler", "add_safe_globals", "get_safe_globals", "clear_safe_globals",
           "safe_globals", "BLOCKED_MODULES"]

# What the calls of a file may copy: bytes per byte of its pickle, and bytes over that. Copying
# a string costs its length, a container entry 32 bytes.
COPY_PER_BYTE = 8
COPY_ALLOWANCE = 1 << 20

# Modules whose globals are never loaded, even when a user allow-lists them (as in torch).
BLOCKED_MODULES = ("sys", "os", "posix", "nt")

# Python 2 spellings a protocol-2 pickle may carry, mapped as torch maps them.
_NAME_MAPPING = {("__builtin__", "set"): ("builtins", "set"),
                 ("__builtin__", "bytearray"): ("builtins", "bytearray"),
                 ("__builtin__", "complex"): ("builtins", "complex"),
                 ("copy_reg", "_reconstructor"): ("copyreg", "_reconstructor")}
_IMPORT_MAPPING = {"__builtin__": "builtins", "copy_reg": "copyreg"}

# ---------------------------------------------------------------------------------------------
# Globals a user marks as safe: objects, or (object, "module.name") pairs, as in torch.
# ---------------------------------------------------------------------------------------------
_marked_safe_globals: list = []


def _user_allowed_globals() -> dict[str, Any]:
    allowed: dict[str, Any] = {}
    for g in _marked_safe_globals:
        if isinstance(g, tuple):
            if len(g) != 2:
                raise ValueError("Expected tuple of length 2 (global, str of callable full "
                                 f"path), but got tuple of length: {len(g)}")
            if type(g[1]) is not str:
                raise TypeError("Expected second item in tuple to be str of callable full "
                                f"path, but got: {type(g[1])}")
            allowed[g[1]] = g[0]
        else:
            allowed[f"{g.__module__}.{g.__qualname__}"] = g
    return allowed


def add_safe_globals(safe_globals: list) -> None:
    """Allow more globals in ``weights_only`` loading: objects, or ``(object, "module.name")``."""
    for g in safe_globals:
        if g not in _marked_safe_globals:
            _marked_safe_globals.append(g)


def get_safe_globals() -> list:
    """The globals added by ``add_safe_globals`` (objects or ``(object, name)`` pairs)."""
    return list(_marked_safe_globals)


def clear_safe_globals() -> None:
    """Forget every global added by ``add_safe_globals``."""
    _marked_safe_globals.clear()


class safe_globals:
    """Context manager form of ``add_safe_globals``: the globals are allowed inside the block."""

    def __init__(self, safe_globals: list) -> None:
        self.safe_globals = safe_globals
        self._added: list = []

    def __enter__(self) -> None:
        self._added = [g for g in self.safe_globals if g not in _marked_safe_globals]
        add_safe_globals(self._added)

    def __exit__(self, *exc) -> None:
        for g in self._added:
            if g in _marked_safe_globals:
                _marked_safe_globals.remove(g)


# ---------------------------------------------------------------------------------------------
# The interpreter
# ---------------------------------------------------------------------------------------------

def _unsupported_global_message(full: str) -> str:
    # torch shows builtins without their module: GLOBAL eval, not GLOBAL builtins.eval
    if full.startswith("builtins."):
        full = full[len("builtins."):]
    return (f"Unsupported global: GLOBAL {full} was not an allowed global by default. "
            f"Please use `torch.serialization.add_safe_globals([{full}])` or the "
            f"`torch.serialization.safe_globals([{full}])` context manager to allowlist this "
            "global if you trust this class/function.")


class Unpickler:
    """Loads one pickle with torch's weights-only rules (see the module docstring).

    ``allowed``: the default allow-list, name -> object. ``resolve_global``: called for a name
    outside both allow-lists before it is refused (the loader uses it to name torch features
    minitorch_ref lacks). ``persistent_load``: turns a ``BINPERSID`` id into a storage.
    ``tensor_types``: classes whose construction by ``REDUCE``/``NEWOBJ`` goes through
    ``new_tensor``, ``set_tensor_state`` applies ``BUILD`` to one of their instances.
    ``views``: allowed functions that copy none of their arguments (not charged).
    """

    def __init__(self, file, *, encoding: str = "bytes", allowed: dict[str, Any],
                 persistent_load: Callable, resolve_global: Callable[[str, str], None],
                 tensor_types: tuple, parameter_type: type, new_tensor: Callable,
                 set_tensor_state: Callable, views: tuple = ()) -> None:
        self.encoding = encoding
        self.read = file.read
        self.readline = file.readline
        self.memo: dict[int, Any] = {}
        self.proto = -1
        start = file.tell()
        self._copy_budget = COPY_PER_BYTE * (file.seek(0, 2) - start) + COPY_ALLOWANCE
        file.seek(start)
        self.persistent_load = persistent_load
        self._resolve_global = resolve_global
        self._allowed = allowed
        self._user = _user_allowed_globals()
        # identity sets: membership must not go through a value's own __eq__
        self._callable_ids = {id(v) for v in allowed.values()} | \
            {id(v) for v in self._user.values()}
        self._objects = list(allowed.values()) + list(self._user.values())  # keep ids alive
        self._classes = {v for v in self._objects if isinstance(v, type)}
        self._tensor_types = tensor_types
        self._parameter = parameter_type
        self._new_tensor = new_tensor
        self._set_tensor_state = set_tensor_state
        self._views = {id(f) for f in views}

    # -- reading ------------------------------------------------------------------------------
    def _read_exact(self, n: int) -> bytes:
        data = self.read(n)
        if len(data) != n:
            raise EOFError("pickle data was truncated")
        return data

    def _pop(self):
        if not self.stack:
            raise UnpicklingError("unpickling stack underflow")
        return self.stack.pop()

    def _top(self):
        if not self.stack:
            raise UnpicklingError("unpickling stack underflow")
        return self.stack[-1]

    def _charge(self, obj, what: str) -> None:
        """Count what copying ``obj`` may cost (a string its length, a container 32 bytes an
        entry, nested ones each time they occur) against what the file's calls may still copy;
        refuse the call before it runs if it exceeds that. The walk stops as soon as the budget
        is spent, so it costs no more than the budget, cycles included."""
        budget = self._copy_budget
        todo = [obj]
        while todo:
            x = todo.pop()
            if isinstance(x, (str, bytes, bytearray)):
                budget -= len(x)
            elif isinstance(x, (tuple, list, set, frozenset)):
                budget -= 32 * len(x)
                if budget >= 0:
                    todo.extend(x)
            elif isinstance(x, dict):
                budget -= 32 * len(x)
                if budget >= 0:
                    todo.extend(x.keys())
                    todo.extend(x.values())
            if budget < 0:
                raise UnpicklingError(
                    f"{what} would copy more data than the file holds (the file's calls may copy "
                    f"{COPY_PER_BYTE} bytes per byte of its pickle, plus {COPY_ALLOWANCE}): "
                    "refused as an attempt to exhaust memory")
        self._copy_budget = budget

    def pop_mark(self) -> list:
        """The items pushed since the last MARK (and the stack as it was before it)."""
        if not self.metastack:
            raise UnpicklingError("could not find MARK")
        items = self.stack
        self.stack = self.metastack.pop()
        return items

    def load(self) -> Any:
        self.metastack: list = []
        self.stack: list = []
        dispatch = self._dispatch
        read = self.read
        while True:
            key = read(1)
            if not key:
                raise EOFError("Ran out of input")
            op = dispatch.get(key[0])
            if op is None:
                raise UnpicklingError(f"Unsupported operand {key[0]}")
            if op is Unpickler._stop:
                return self._pop()
            op(self)

    # -- risky opcodes --------------------------------------------------------------------------
    def _global(self) -> None:
        module = self.readline()[:-1].decode("utf-8")
        name = self.readline()[:-1].decode("utf-8")
        if (module, name) in _NAME_MAPPING:
            module, name = _NAME_MAPPING[(module, name)]
        else:
            module = _IMPORT_MAPPING.get(module, module)
        full = f"{module}.{name}"
        if module in BLOCKED_MODULES:
            raise UnpicklingError(
                f"Trying to load unsupported GLOBAL {full} whose module {module} is blocked.")
        if full in self._allowed:
            self.stack.append(self._allowed[full])
        elif full in self._user:
            self.stack.append(self._user[full])
        else:
            self._resolve_global(module, name)  # raises for torch names we lack
            raise UnpicklingError(_unsupported_global_message(full))

    def _newobj(self) -> None:
        args = self._pop()
        cls = self._pop()
        if id(cls) in self._callable_ids:
            self._charge(args, "NEWOBJ")
        if cls is self._parameter:
            self.stack.append(self._parameter(*args))
        elif isinstance(cls, type) and cls in self._tensor_types:
            self.stack.append(self._new_tensor(cls, args))
        elif id(cls) in self._callable_ids:
            # as torch: a non-class here (a dtype, a function) makes __new__ raise TypeError
            self.stack.append(cls.__new__(cls, *args))
        else:
            raise UnpicklingError("Can only create new object for nn.Parameter or classes "
                                  f"allowlisted via `add_safe_globals` but got {cls}")

    def _reduce(self) -> None:
        args = self._pop()
        func = self._top()
        if id(func) not in self._callable_ids:
            message = f"Trying to call reduce for unrecognized function {func}"
            if hasattr(func, "__self__"):
                message += f" which belongs to {func.__self__}"
            raise UnpicklingError(message)
        if id(func) not in self._views:
            self._charge(args, "REDUCE")
        if func is bytearray and any(isinstance(a, int) for a in args):
            # bytearray(n) allocates n zero bytes the file does not hold
            raise UnpicklingError("bytearray(n) with a size is refused: it allocates memory "
                                  "the file does not hold (a pickled bytearray passes its data)")
        if isinstance(func, type) and func in self._tensor_types:
            self.stack[-1] = self._new_tensor(func, args)
        else:
            self.stack[-1] = func(*args)

    def _build(self) -> None:
        state = self._pop()
        inst = self._top()
        kind = type(inst)
        if kind in self._tensor_types or kind is collections.OrderedDict or kind in self._classes:
            self._charge(state, "BUILD")
        if kind in self._tensor_types:
            self._set_tensor_state(inst, state)
        elif kind is collections.OrderedDict:
            inst.__dict__.update(state)
        elif kind in self._classes:
            if hasattr(inst, "__setstate__"):
                inst.__setstate__(state)
            else:
                # what pickle's BUILD does, on this instance only
                slotstate = None
                if isinstance(state, tuple) and len(state) == 2:
                    state, slotstate = state
                if state:
                    inst.__dict__.update(state)
                if slotstate:
                    for k, v in slotstate.items():
                        setattr(inst, k, v)
        else:
            raise UnpicklingError("Can only build Tensor, Parameter, OrderedDict or types "
                                  f"allowlisted via `add_safe_globals`, but got {kind}")

    def _persid(self) -> None:
        pid = self._pop()
        if type(pid) is not tuple and type(pid) is not int:
            raise UnpicklingError(f"persistent_load id must be tuple or int, but got "
                                  f"{type(pid)}")
        if type(pid) is tuple and len(pid) > 0:
            kind = pid[0].decode("ascii") if isinstance(pid[0], bytes) else pid[0]
            if kind != "storage":
                raise UnpicklingError("Only persistent_load of storage is allowed, but got "
                                      f"{type(pid[0])}")
        self.stack.append(self.persistent_load(pid))

    # -- containers -----------------------------------------------------------------------------
    def _append(self) -> None:
        item = self._pop()
        target = self._top()
        if type(target) is not list:
            raise UnpicklingError(f"Can only append to lists, but got {type(target)}")
        target.append(item)

    def _appends(self) -> None:
        items = self.pop_mark()
        target = self._top()
        if type(target) is not list:
            raise UnpicklingError(f"Can only extend lists, but got {type(target)}")
        target.extend(items)

    def _check_set_item_target(self, opcode: str):
        target = self._top()
        if type(target) not in (dict, collections.OrderedDict, collections.Counter):
            raise UnpicklingError(f"Can only {opcode} for dict, collections.OrderedDict, "
                                  f"collections.Counter, but got {type(target)}")
        return target

    def _setitem(self) -> None:
        value = self._pop()
        key = self._pop()
        self._check_set_item_target("SETITEM")[key] = value

    def _setitems(self) -> None:
        items = self.pop_mark()
        if len(items) % 2:
            raise UnpicklingError("odd number of items for SETITEMS")
        target = self._check_set_item_target("SETITEMS")
        for i in range(0, len(items), 2):
            target[items[i]] = items[i + 1]

    def _mark(self) -> None:
        self.metastack.append(self.stack)
        self.stack = []

    def _tuple(self) -> None:
        items = self.pop_mark()
        self.stack.append(tuple(items))

    def _tuple1(self) -> None:
        self.stack.append((self._pop(),))

    def _tuple2(self) -> None:
        b = self._pop()
        self.stack.append((self._pop(), b))

    def _tuple3(self) -> None:
        c = self._pop()
        b = self._pop()
        self.stack.append((self._pop(), b, c))

    # -- constants ------------------------------------------------------------------------------
    def _none(self) -> None:
        self.stack.append(None)

    def _newfalse(self) -> None:
        self.stack.append(False)

    def _newtrue(self) -> None:
        self.stack.append(True)

    def _empty_tuple(self) -> None:
        self.stack.append(())

    def _empty_list(self) -> None:
        self.stack.append([])

    def _empty_dict(self) -> None:
        self.stack.append({})

    def _empty_set(self) -> None:
        self.stack.append(set())

    def _binint(self) -> None:
        self.stack.append(struct.unpack("<i", self._read_exact(4))[0])

    def _binint1(self) -> None:
        self.stack.append(self._read_exact(1)[0])

    def _binint2(self) -> None:
        self.stack.append(struct.unpack("<H", self._read_exact(2))[0])

    def _long1(self) -> None:
        n = self._read_exact(1)[0]
        self.stack.append(decode_long(self._read_exact(n)))

    def _binfloat(self) -> None:
        self.stack.append(struct.unpack(">d", self._read_exact(8))[0])

    def _binunicode(self) -> None:
        n = struct.unpack("<I", self._read_exact(4))[0]
        self.stack.append(str(self._read_exact(n), "utf-8", "surrogatepass"))

    def _short_binstring(self) -> None:
        data = self._read_exact(self._read_exact(1)[0])
        if self.encoding != "bytes":
            data = data.decode(self.encoding, "strict")
        self.stack.append(data)

    # -- memo -----------------------------------------------------------------------------------
    def _get(self, index: int) -> None:
        try:
            self.stack.append(self.memo[index])
        except KeyError:
            raise UnpicklingError(f"Memo value not found at index {index}") from None

    def _binget(self) -> None:
        self._get(self._read_exact(1)[0])

    def _long_binget(self) -> None:
        self._get(struct.unpack("<I", self._read_exact(4))[0])

    def _binput(self) -> None:
        self.memo[self._read_exact(1)[0]] = self._top()

    def _long_binput(self) -> None:
        self.memo[struct.unpack("<I", self._read_exact(4))[0]] = self._top()

    # -- first and last -------------------------------------------------------------------------
    def _proto(self) -> None:
        self.proto = self._read_exact(1)[0]
        if self.proto != 2:
            warnings.warn(
                f"Detected pickle protocol {self.proto} in the checkpoint, which was not the "
                "default pickle protocol used by `torch.load` (2). The weights_only Unpickler "
                "might not support all instructions implemented by this protocol, please file "
                "an issue for adding support if you encounter this.", stacklevel=4)

    def _stop(self) -> None:  # handled in load(); listed so that STOP is a known opcode
        raise AssertionError("unreachable")

    _dispatch = {
        ord("c"): _global, 0x81: _newobj, ord("R"): _reduce, ord("b"): _build,
        ord("Q"): _persid, ord("a"): _append, ord("e"): _appends, ord("s"): _setitem,
        ord("u"): _setitems, ord("("): _mark, ord("t"): _tuple, 0x85: _tuple1,
        0x86: _tuple2, 0x87: _tuple3, ord("N"): _none, 0x89: _newfalse, 0x88: _newtrue,
        ord(")"): _empty_tuple, ord("]"): _empty_list, ord("}"): _empty_dict,
        0x8f: _empty_set, ord("J"): _binint, ord("K"): _binint1, ord("M"): _binint2,
        0x8a: _long1, ord("G"): _binfloat, ord("X"): _binunicode, ord("U"): _short_binstring,
        ord("h"): _binget, ord("j"): _long_binget, ord("q"): _binput, ord("r"): _long_binput,
        0x80: _proto, ord("."): _stop,
    }
