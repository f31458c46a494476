"""Recorded operations: the ctx object, ``autograd.Function`` and the ndarray-level
``ArrayFunction``.

When an op runs with grad mode on and some input requires grad, its ctx object stays alive as the
``grad_fn`` of the outputs: a ``Node``. A node remembers, for each forward input, where that input's
gradient goes (an *edge*): the input's own ``grad_fn`` (with the input's output index there), or
the input itself when it is a leaf. The engine (``engine.py``) walks these edges backwards.

Two ways to write an op, with the same ctx rules as torch:

* ``ArrayFunction`` (used by every built-in op): ``forward(ctx, *args)`` receives NumPy arrays
  (and plain Python values) and returns an array or a tuple of arrays; ``backward(ctx, *grads)``
  receives arrays and returns one array or ``None`` per forward input. No Tensor wrapping happens
  inside, which keeps per-op overhead low.
* ``Function`` (torch's user-facing class): ``forward`` and ``backward`` receive and return
  Tensors, exactly as in ``torch.autograd.Function``, so a user's custom op runs unchanged.
"""
from __future__ import annotations

import itertools
import re
import weakref
from numbers import Number
from typing import Any

import numpy as np

from .._hook_handle import RemovableHandle, _HookDict
from .._names import legacy_type_name, shape_str
from .._numpy_errors import IGNORE as _NP_IGNORE, STATE as _NP_STATE, as_user
from .._tensor import DATA_REBOUND, Tensor, _new_tensor, allocation_error
from .grad_mode import _state

_np_set, _np_reset = _NP_STATE.set, _NP_STATE.reset  # bound once: every op calls them

_sequence = itertools.count()


class Node:
    """The ctx of one recorded forward call, and the ``grad_fn`` of its outputs.

    Attributes used by the engine:
      ``_edges``: per forward input, ``(target, output_nr, shape, np_dtype)`` or ``None``;
        ``target`` is a Node, or a leaf Tensor whose ``.grad`` receives the gradient.
      ``_n_outputs``: how many outputs backward receives gradients for.
      ``_seq``: creation order; the engine runs later nodes first, as torch does.
    """

    _fn: Any = None  # the Function class whose backward this node runs

    # Defaults live on the class, so creating a ctx costs one allocation; an instance gets its
    # own attribute only when an op or the engine sets one.
    needs_input_grad: tuple = ()
    materialize_grads = True
    _to_save: tuple | None = None
    _saved_checks: list | None = None
    _edges: tuple = ()
    _n_outputs = 1
    _out_meta: tuple | None = None
    _freed = False
    _pre_hooks: dict | None = None
    _retained: dict | None = None
    _hooks: dict | None = None
    _node_pre_hooks: dict | None = None
    _seq = 0
    # positions of the forward arguments ``next_functions`` lists (None: all of them)
    _listed: tuple | list | None = None
    _full_name: str | None = None  # name() when torch qualifies it ("torch::autograd::...")
    # the forward's arguments, kept only by a node that saved a float array computed inside
    # its forward: create_graph replays the forward on them (double_backward.py)
    _inputs: tuple | None = None
    # saved Python numbers are tensors in torch's node of this name (see ``holds_tensor``)
    _numbers_are_tensors = False
    # whether torch's node saves tensors, where the saved values do not tell (fused nodes)
    _holds_tensor: bool | None = None
    # the op's ``_saved_attrs`` for this node's name (an instance may clear them: a basic index)
    _saved_attrs: tuple = ()
    # positions in ``_to_save`` of inputs that torch's node holds not as the tensor itself but
    # through a view the op made (matmul's folded operand) or values computed from it (LU
    # factors): a new ``.data`` of the input is not what its backward reads
    _kept_on_rebind: tuple = ()

    # -- the ctx API of torch.autograd.function.FunctionCtx --------------------------------------
    def save_for_backward(self, *tensors) -> None:
        """Keep arrays (or Tensors, in a ``Function``) for backward; freed after backward unless
        ``retain_graph=True``. An in-place change to one of them before backward is an error."""
        self._to_save = tensors

    @property
    def saved_tensors(self) -> tuple:
        """The saved values, as torch unpacks them: an input changed in place since forward is
        an error; an input whose array was replaced (``x.data = other``) is read anew."""
        if self._freed:
            raise _freed_error()
        checks = self._saved_checks
        if checks:
            for check in checks:
                if check[1][0] != check[2]:  # the counter moved: _check_version raises
                    _check_version(self, *check)
            if DATA_REBOUND[0]:
                return _current_saved(self)
        return self._to_save if self._to_save is not None else ()

    def mark_dirty(self, *tensors) -> None:
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors) -> None:
        self._non_differentiable = tensors

    def set_materialize_grads(self, value: bool) -> None:
        self.materialize_grads = value

    # -- the grad_fn API ---------------------------------------------------------------------------
    def name(self) -> str:
        return self._full_name or type(self).__name__

    @property
    def next_functions(self) -> tuple:
        """One entry per input torch's node lists, in its signature's order: the input's
        ``grad_fn`` (with its output number), ``AccumulateGrad`` for a leaf, ``(None, 0)`` for
        an input that needs no gradient. Inputs torch does not list (dims, integer indices,
        masks, Python numbers the op does not treat as tensors) are left out (``_listed``)."""
        edges = self._edges
        listed = self._listed
        if listed is not None:
            edges = [edges[i] for i in listed]
        out = []
        for e in edges:
            if e is None:
                out.append((None, 0))
            elif isinstance(e[0], Node):
                out.append((e[0], e[1]))
            else:
                out.append((_grad_accumulator(e[0]), 0))
        return tuple(out)

    @property
    def metadata(self) -> dict:
        if not hasattr(self, "_metadata"):
            self._metadata = {}
        return self._metadata

    def register_hook(self, fn) -> RemovableHandle:
        """``fn(grad_inputs, grad_outputs)`` runs after this node's backward; a returned tuple
        replaces grad_inputs."""
        if self._hooks is None:
            self._hooks = _HookDict()
        return _add_hook(self._hooks, fn)

    def register_prehook(self, fn) -> RemovableHandle:
        """``fn(grad_outputs)`` runs before this node's backward; a returned tuple replaces
        grad_outputs."""
        if self._node_pre_hooks is None:
            self._node_pre_hooks = _HookDict()
        return _add_hook(self._node_pre_hooks, fn)

    def _free(self) -> None:
        if self._to_save is not None and holds_tensor(self):
            self._to_save = None
            self._saved_checks = None
            self._inputs = None
            self._freed = True
        elif self._saved_attrs:
            free_attrs(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    def __call__(self, *grads):
        return self._fn.backward(self, *grads)


def _current_saved(node: Node) -> tuple:
    """``_to_save`` with each saved input array replaced by its tensor's array now. torch saves
    an input as the tensor object, so its node reads whatever ``.data`` holds at backward; an
    output it saves as a new tensor on the same storage (a new ``.data`` of the output is not
    seen, as here: the check's owner is None), and a view made inside the op
    (``_kept_on_rebind``) keeps the storage it was made from."""
    saved = node._to_save
    current = None
    for owner, _counter, _version, _nr, arr in node._saved_checks:
        if owner is None or owner._data is arr:
            continue
        for i, s in enumerate(saved):
            if s is arr and i not in node._kept_on_rebind:
                if current is None:
                    current = list(saved)
                current[i] = owner._data
    return saved if current is None else tuple(current)


def _freed_error() -> RuntimeError:
    return RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved "
        "tensors after they have already been freed). Saved intermediate values of the "
        "graph are freed when you call .backward() or autograd.grad(). Specify "
        "retain_graph=True if you need to backward through the graph a second time or "
        "if you need to access saved tensors after calling backward.")


def free_attrs(node: Node) -> None:
    """Free the arrays an op keeps as ctx attributes where torch's node saves tensors (an
    index, a mask): the node's backward is then torch's error (``_Freed``), at no cost to
    the nodes that are not freed."""
    d = node.__dict__
    for name in node._saved_attrs:
        d.pop(name, None)
    node._freed = True
    node._fn = _Freed


def holds_tensor(node: Node) -> bool:
    """Whether the node saved a tensor (an array, or a Tensor in a ``Function``). Freeing a
    graph frees only those, as torch frees its SavedVariables: a node that saved only numbers,
    shapes or None (torch's Scalars and sizes) runs again after backward. A Python number
    operand of ``x * 2`` or ``x / 2`` is a tensor in torch's node (a wrapped number, saved as
    a SavedVariable): nodes named in their op's ``_wrapped_numbers`` count saved numbers."""
    fixed = node._holds_tensor
    if fixed is not None:
        return fixed
    numbers = node._numbers_are_tensors
    for s in node._to_save:
        t = type(s)
        if t is np.ndarray:
            return True
        if s is None:
            continue
        if t is float or t is int:  # the common numbers first: isinstance(Number) is slow
            if numbers:
                return True
            continue
        if isinstance(s, (np.ndarray, Tensor)) or (numbers and isinstance(s, Number)):
            return True
    return False


class AccumulateGrad:
    """What ``next_functions`` shows for a leaf: the sink that adds into ``variable.grad``."""

    __slots__ = ("variable", "__weakref__")

    def __init__(self, variable) -> None:
        self.variable = variable

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    @property
    def next_functions(self) -> tuple:
        return ()

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {hex(id(self))}>"


def _grad_accumulator(leaf) -> AccumulateGrad:
    """A leaf's one ``AccumulateGrad`` while anything holds it (as torch's: every node using
    the leaf lists the same object, so graph walkers that key nodes by identity see one sink).
    The leaf keeps only a weak reference: no cycle between the two."""
    ref = leaf.__dict__.get("_grad_accumulator")
    acc = ref() if ref is not None else None
    if acc is None:
        acc = AccumulateGrad(leaf)
        leaf._grad_accumulator = weakref.ref(acc)
    return acc


def _add_hook(hooks: _HookDict, fn) -> RemovableHandle:
    """Register ``fn`` in an ordered hook dict under a fresh handle's id, as torch's tensors and
    nodes do: removing one handle removes that registration only, even of a function registered
    twice."""
    handle = RemovableHandle(hooks)
    hooks[handle.id] = fn
    return handle


def _tensor_desc(arr: np.ndarray) -> str:
    return f"[{legacy_type_name(arr.dtype)} {shape_str(arr.shape)}]"


def _check_version(node: Node, tensor, counter: list, version: int, nr: int, arr) -> None:
    """One saved value's check. ``tensor`` is the input it came from, or None when it is
    output ``nr`` of ``node`` itself (not referenced, so that no reference cycle
    output -> node -> output keeps the graph alive after backward)."""
    if counter[0] != version:
        # torch names ``node`` itself for its own saved outputs, else the op that made the
        # tensor's current version
        fn, nr = (node, nr) if tensor is None else (tensor.grad_fn, tensor._output_nr)
        where = ""
        if tensor is not None and tensor._base is not None and tensor._requires_grad:
            # a view whose data changed: torch regenerates its grad_fn as an as_strided
            where = ", which is output 0 of AsStrided,"
        elif fn is not None:
            op = re.sub(r"Backwards?\d*$", "", fn.name())
            where = f", which is output {nr} of {op},"
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: {_tensor_desc(arr)}{where} is at version {counter[0]}; "
            f"expected version {version} instead. Hint: enable anomaly detection to find the "
            "operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True, check_nan=False)."
        )


class _FunctionMeta(type):
    """Gives every Function subclass its own Node subclass, named as torch names grad_fns:
    ``MyFn`` records ``MyFnBackward``; built-in ops set ``_backward_name`` (``ExpBackward0``).
    One op whose overloads torch names differently (``PowBackward0`` for ``pow(x, 2)``,
    ``PowBackward1`` for ``pow(x, y)``) records under the name its public function passes:
    ``Pow.apply(x, y, name="PowBackward1")`` (a Node class per name, made once)."""

    def __init__(cls, name, bases, ns) -> None:
        super().__init__(name, bases, ns)
        cls._node_classes = _NodeClasses(cls)
        cls._node_cls = cls._node_classes[ns.get("_backward_name") or f"{name}Backward"]


class _NodeClasses(dict):
    """grad_fn name -> the Node class of that name recording one Function, made on first use."""

    def __init__(self, fn) -> None:
        super().__init__()
        self._fn = fn

    def __missing__(self, node_name: str) -> type:
        # a qualified name ("torch::autograd::CopyBackwards") is what name() returns; the class
        # itself is named by its last part, as torch's are
        short = node_name.rsplit("::", 1)[-1]
        attrs = {"_fn": self._fn, "__module__": self._fn.__module__}
        if node_name in self._fn._wrapped_numbers:
            attrs["_numbers_are_tensors"] = True
        saved = self._fn._saved_attrs
        if isinstance(saved, dict):
            saved = saved.get(node_name, ())
        if saved:
            attrs["_saved_attrs"] = saved
        if short != node_name:
            attrs["_full_name"] = node_name
        node_cls = self[node_name] = type(short, (Node,), attrs)
        return node_cls


def _output_tensors(out):
    return out if isinstance(out, tuple) else (out,)


class _FunctionBase(metaclass=_FunctionMeta):
    _backward_name = "FunctionBackward"
    # grad_fn names under which a saved Python number operand is a tensor in torch's node
    _wrapped_numbers: tuple = ()
    # ctx attributes holding what torch's node saves as tensors (indices, masks; or a dict:
    # per grad_fn name) where ours keeps them as attributes or keeps no array at all: freed
    # with the graph, so that a second backward raises as torch's
    _saved_attrs: tuple | dict = ()
    _tensor_level = False  # True for autograd.Function: its backward takes and returns Tensors

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD.")


class _Freed(_FunctionBase):
    """The backward of a node whose ``_saved_attrs`` were freed (``free_attrs``)."""

    @staticmethod
    def backward(ctx, *grads):
        raise _freed_error()


class ArrayFunction(_FunctionBase):
    """Base of every built-in op: ``forward``/``backward`` work on ``np.ndarray``.

    ``apply(*args)`` unwraps Tensor arguments to their arrays, runs ``forward``, wraps the result
    and, when grad mode is on and an input requires grad, records the ctx as ``grad_fn``. Outputs
    of non-floating dtype (indices, masks) never require grad. Subclasses that return views of
    their input set ``_view = True`` so that input and output share a version counter.
    """

    _view = False
    # The forward arguments torch's node lists in ``next_functions`` (its differentiable
    # inputs): by default the floating-point Tensors; a kernel whose torch signature also takes
    # numbers or absent (None) tensors in those places names the positions (``Add``: (0, 1),
    # for ``x + 1``), or gives a function of the arguments returning them.
    _listed_args: Any = None

    @classmethod
    def apply(cls, *args, name: str | None = None):
        """``name``: the grad_fn name to record under, when not the class's own (see
        ``_FunctionMeta``)."""
        # The hot path of the whole library: one pass over the arguments, few attribute writes.
        arrays = []
        edges = []
        needs = []
        requires = False
        for a in args:
            if isinstance(a, Tensor):
                d = a._data
                arrays.append(d)
                if a._requires_grad:
                    requires = True
                    fn = a.grad_fn
                    edges.append((a, 0, d.shape, d.dtype) if fn is None
                                 else (fn, a._output_nr, d.shape, d.dtype))
                    needs.append(True)
                    continue
            else:
                arrays.append(a)
            edges.append(None)
            needs.append(False)
        ctx = cls._node_cls() if name is None else cls._node_classes[name]()
        if requires and _state.enabled:
            ctx.needs_input_grad = tuple(needs)
        else:
            edges = None
            ctx.needs_input_grad = _NO_GRAD[len(args)] if len(args) < 8 else (False,) * len(args)
        token = _np_set(_NP_IGNORE)  # floating-point edge cases silent (_numpy_errors)
        try:
            out = cls.forward(ctx, *arrays)
        except (MemoryError, ValueError) as e:  # NumPy's, for a result too big to allocate
            error = allocation_error(e)
            if error is e:
                raise
            raise error from None
        finally:
            _np_reset(token)
        if type(out) is tuple:
            return _wrap_outputs(cls, ctx, args, out, edges)
        if type(out) is not np.ndarray:  # a 0-d result NumPy gave as a scalar
            out = _as_saved_array(ctx, out)
        t = _new_tensor(out)
        if cls._view:
            _share_version(args[0], t)
        if edges is not None and out.dtype.kind == "f":
            ctx._edges = edges
            spec = cls._listed_args  # (a fixed tuple, as Add's, without the call)
            if type(spec) is tuple:
                ctx._listed = spec
            elif spec is None and len(args) == 1:  # recorded: a float Tensor requiring grad
                ctx._listed = _ONLY_FIRST
            else:
                ctx._listed = _listed(cls, args)
            ctx._seq = next(_sequence)
            t.grad_fn = ctx
            t._requires_grad = True
            if ctx._to_save:
                _track_saved(ctx, args, t)
        return t


_NO_GRAD = tuple((False,) * n for n in range(8))
_ONLY_FIRST = (0,)


def _listed(cls, args) -> tuple:
    """The positions of ``args`` that ``next_functions`` shows (see ``ArrayFunction``)."""
    spec = cls._listed_args
    if spec is None:  # (a plain loop: this runs for every recorded op)
        listed = []
        i = 0
        for a in args:
            if isinstance(a, Tensor) and a._data.dtype.kind == "f":
                listed.append(i)
            i += 1
        return listed
    return spec(args) if callable(spec) else spec


def _wrap_outputs(cls, ctx, args, outs, edges):
    tensors = []
    for i, o in enumerate(outs):
        if type(o) is not np.ndarray:
            o = _as_saved_array(ctx, o)
        t = _new_tensor(o)
        if cls._view:
            _share_version(args[0], t)
        if edges is not None and o.dtype.kind == "f":
            t.grad_fn = ctx
            t._requires_grad = True
            t._output_nr = i
        tensors.append(t)
    if edges is not None:
        ctx._edges = tuple(edges)
        ctx._listed = _listed(cls, args)
        ctx._seq = next(_sequence)
        ctx._n_outputs = len(outs)
        ctx._out_meta = tuple((o.shape, o.dtype) for o in outs)
        if ctx._to_save:
            _track_saved(ctx, args, tensors)
    return tuple(tensors)


def _as_saved_array(ctx: Node, out) -> np.ndarray:
    """``out`` as an array; if the forward saved the scalar itself, the array takes its place,
    so that the saved value is known to be this output (``_track_saved``)."""
    arr = np.asarray(out)
    saved = ctx._to_save
    if saved and any(s is out for s in saved):
        ctx._to_save = tuple(arr if s is out else s for s in saved)
    return arr


def _shares_memory(data: np.ndarray, out: np.ndarray) -> bool:
    """Whether an op's result ``out`` may share memory with its input ``data``. The common
    cases are decided from ``.base`` (a view's owner): two arrays that own their memory share
    none, and a view of ``data`` or of its owner (through any chain of views) shares it;
    ``np.may_share_memory`` (~0.6 us a call) decides the rest."""
    if out is data:
        return True
    base, data_base = out.base, data.base
    if base is None and data_base is None:
        return False
    while base is not None:  # a view (of a view) of data: shared, even when it is empty
        if base is data or base is data_base:
            return True
        base = base.base
    return np.may_share_memory(data, out)


def _share_version(src, out) -> None:
    if isinstance(src, Tensor) and _shares_memory(src._data, out._data):
        out._vc = src._version_counter()
        base = out._base = src if src._base is None else src._base
        if base.grad_fn is not None and src._requires_grad and _state.enabled:
            # an in-place op on another view of base will rebase this view's history too
            # (inplace.py, CopySlices): a base with history remembers its recorded views (a
            # leaf's views never see a rebase: an in-place op on them is refused)
            views = base.__dict__.get("_views")
            if views is None:
                views = base._views = []
            elif len(views) >= 16:
                views[:] = [r for r in views if r() is not None]
            views.append(weakref.ref(out))


def _track_saved(ctx: Node, args, outputs) -> None:
    """Record the version of every saved array that is the data of an input or output Tensor
    (``outputs``: one Tensor or a list), so that an in-place change before backward raises
    torch's version-counter error.

    A saved float array that is neither (an intermediate such as softmax's probabilities, or a
    cast of an input) is a function of the inputs that only a replay of the forward can
    reconnect to the graph for ``create_graph``: such a node keeps its arguments, with their
    versions (``_inputs``)."""
    single = type(outputs) is not list
    checks = None
    inputs = []  # once, not once per saved array (a loop: no comprehension frame per op)
    for x in args:
        if isinstance(x, Tensor):
            inputs.append(x)
    intermediate = False
    for arr in ctx._to_save:
        if arr is None:
            continue
        owner = t = None  # owner: the input it came from; None for an output of this node
        if single:
            if outputs._data is arr:
                t = outputs
        else:
            for o in outputs:
                if o._data is arr:
                    t = o
                    break
        if t is None:
            for x in inputs:
                if x._data is arr:
                    owner = t = x
                    break
            else:
                # an array of the op's own: nothing can change it
                # (a 0-d result can be a NumPy scalar, saved before apply wrapped it)
                if not intermediate and isinstance(arr, (np.ndarray, np.generic)) \
                        and arr.dtype.kind == "f" and not any(a is arr for a in args):
                    intermediate = True
                continue
        vc = t._vc
        if vc is None:
            vc = t._vc = [0]
        if checks is None:
            checks = []
        checks.append((owner, vc, vc[0], t._output_nr, arr))
    ctx._saved_checks = checks
    if intermediate:
        ctx._inputs = tuple((a, a._version_counter()[0]) if isinstance(a, Tensor) else (a, None)
                            for a in args)


class Function(_FunctionBase):
    """torch.autograd.Function: subclass it with static ``forward(ctx, *args)`` and
    ``backward(ctx, *grad_outputs)`` working on Tensors, then call ``MyFn.apply(*args)``.

    ``forward`` runs with grad mode off. ``backward`` returns one Tensor (or None) per input of
    ``forward``. ``ctx.save_for_backward`` keeps Tensors; ``ctx.saved_tensors`` returns them.
    """

    _tensor_level = True

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward(ctx, *args)`` with grad mode off and record the graph. Keyword
        arguments become positional ones (at their parameter's position), as in torch, so
        backward returns one gradient (or None) for each of them too."""
        if kwargs:
            args = _kwargs_to_positional(cls.forward, args, kwargs)
        ctx = cls._node_cls()
        record = _state.enabled
        edges = []
        for a in args:
            if record and isinstance(a, Tensor) and a._requires_grad:
                fn = a.grad_fn
                d = a._data
                edges.append((fn, a._output_nr, d.shape, d.dtype) if fn is not None
                             else (a, 0, d.shape, d.dtype))
            else:
                edges.append(None)
        requires = any(e is not None for e in edges)
        ctx.needs_input_grad = tuple(e is not None for e in edges)
        prev = _state.enabled
        _state.enabled = False
        try:
            out = cls.forward(ctx, *args)
        finally:
            _state.enabled = prev
        multi = isinstance(out, tuple)
        outs = _output_tensors(out)
        non_diff = {id(t) for t in getattr(ctx, "_non_differentiable", ())}
        dirty = {id(t) for t in getattr(ctx, "_dirty", ())}
        results = []
        for i, o in enumerate(outs):
            if not isinstance(o, Tensor):
                results.append(o)
                continue
            if id(o) in dirty:
                o._bump_version()
            elif any(o is a for a in args):
                o = o.detach()  # an input returned unchanged becomes a new output, as in torch
                o._data = o._data.view()
            if requires and o._data.dtype.kind == "f" and id(o) not in non_diff:
                o.grad_fn = ctx
                o._requires_grad = True
                o._output_nr = i
            results.append(o)
        if requires:
            ctx._edges = tuple(edges)
            # torch lists a custom Function's Tensor arguments, of any dtype
            ctx._listed = tuple(i for i, a in enumerate(args) if isinstance(a, Tensor))
            ctx._seq = next(_sequence)
            ctx._n_outputs = len(outs)
            ctx._out_meta = tuple((o._data.shape, o._data.dtype) if isinstance(o, Tensor)
                                  else None for o in outs)
            if ctx._to_save:
                checks = []
                for s in ctx._to_save:
                    if isinstance(s, Tensor):
                        vc = s._version_counter()
                        checks.append((None if s.grad_fn is ctx else s, vc, vc[0],
                                       s._output_nr, s._data))
                ctx._saved_checks = checks or None
        return tuple(results) if multi else results[0]

    # The engine calls nodes with arrays; a Function's backward wants Tensors. Under
    # create_graph the engine passes Tensors, and backward runs with grad mode on, so that what
    # it computes is recorded (as in torch).
    @classmethod
    def _engine_backward(cls, ctx, grads, create_graph: bool = False):
        from .grad_mode import enable_grad, no_grad
        ins = []
        for g, meta in zip(grads, ctx._out_meta):
            if g is None and ctx.materialize_grads and meta is not None:
                g = np.zeros(meta[0], dtype=meta[1])
            ins.append(None if g is None else g if isinstance(g, Tensor) else _new_tensor(g))
        with enable_grad() if create_graph else no_grad():
            res = as_user(cls.backward, ctx, *ins)  # the user's code: the user's NumPy state
        if not isinstance(res, tuple):
            res = (res,)
        n_in = len(ctx._edges)
        if len(res) < n_in:
            raise RuntimeError(
                f"function {cls._node_cls.__name__} returned an incorrect number of gradients "
                f"(expected {n_in}, got {len(res)})")
        res = res[:n_in] if all(r is None for r in res[n_in:]) else res
        if len(res) != n_in:
            raise RuntimeError(
                f"function {cls._node_cls.__name__} returned an incorrect number of gradients "
                f"(expected {n_in}, got {len(res)})")
        out = []
        for r, e in zip(res, ctx._edges):
            if r is None or e is None:
                out.append(None)
                continue
            if create_graph:
                arr = r if isinstance(r, Tensor) else _new_tensor(np.array(r))
                data = arr._data
            else:
                arr = data = np.array(r._data if isinstance(r, Tensor) else r)  # engine's copy
            if data.shape != e[2] and data.size != 0 and not _broadcastable_to(data.shape, e[2]):
                raise RuntimeError(
                    f"Function {cls._node_cls.__name__} returned an invalid gradient at index "
                    f"{len(out)} - got {shape_str(data.shape)} but expected shape "
                    f"compatible with {shape_str(e[2])}")
            out.append(arr)
        return tuple(out)


def _kwargs_to_positional(forward, args: tuple, kwargs: dict) -> tuple:
    """torch's rule: each keyword argument takes its parameter's position; positions before
    the last one given must all be filled (defaults are not filled in)."""
    import inspect
    names = list(inspect.signature(forward).parameters)[1:]  # without ctx
    slots = list(args) + [_MISSING] * max(0, len(names) - len(args))
    last = len(args) - 1
    for name, value in kwargs.items():
        if name not in names:
            raise TypeError(f"forward() got an unexpected keyword argument '{name}'")
        pos = names.index(name)
        slots[pos] = value
        last = max(last, pos)
    for pos in range(last + 1):
        if slots[pos] is _MISSING:
            raise TypeError(
                f"forward() missing required argument: '{names[pos]}' (position {pos})")
    return tuple(slots[:last + 1])


_MISSING = object()


def _broadcastable_to(src: tuple, dst: tuple) -> bool:
    if len(src) < len(dst):
        return False
    for s, d in zip(src[::-1], dst[::-1]):
        if s != d and d != 1:
            return False
    return True


def once_differentiable(fn):
    """Mark a ``Function.backward`` as differentiable once: it runs with grad mode off, and when
    it is called under ``create_graph`` with gradients that require grad, its results become
    errors to differentiate (torch's DelayedError), rather than silently constant."""
    import functools

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        from .grad_mode import no_grad
        with no_grad():
            outputs = fn(ctx, *args)
        if not _state.enabled or not any(isinstance(a, Tensor) and a._requires_grad
                                         for a in args):
            return outputs
        if not isinstance(outputs, tuple):
            return _delayed_error(outputs)
        return tuple(_delayed_error(o) for o in outputs)
    return wrapper


class _DelayedError(_FunctionBase):
    _backward_name = "torch::autograd::Error"
    _tensor_level = True

    @classmethod
    def _engine_backward(cls, ctx, grads, create_graph: bool = False):
        raise RuntimeError(
            "trying to differentiate twice a function that was marked with @once_differentiable")


def _delayed_error(t):
    if not isinstance(t, Tensor) or t._data.dtype.kind != "f":
        return t
    out = _new_tensor(t._data)
    node = _DelayedError._node_cls()
    node._edges = (None,)
    node.needs_input_grad = (False,)
    node._seq = next(_sequence)
    out.grad_fn, out._requires_grad = node, True
    return out

