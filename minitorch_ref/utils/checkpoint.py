"""torch.utils.checkpoint: ``checkpoint`` and ``checkpoint_sequential``.

Activation checkpointing trades compute for memory: the intermediate values a function's ops
save for backward are not kept after its forward; backward runs the function again (on the same
inputs, from the same random state when ``preserve_rng_state``) to get them back. The gradients
are those of the plain call.

The two variants torch has:

* ``use_reentrant=True`` (torch's default when the argument is omitted, with its warning): one
  custom Function, ``CheckpointFunctionBackward``, runs the function under ``no_grad`` and keeps
  only its inputs; its backward reruns the function with grad enabled and calls
  ``autograd.backward`` on that graph (a backward inside the backward). As in torch it refuses
  ``autograd.grad`` and ``backward(inputs=...)``, and inputs that are not arguments (a module's
  parameters) get their ``.grad`` from that inner backward.
* ``use_reentrant=False``: the function runs recorded, so the outputs carry the ops' own nodes
  (``SinBackward0``, ``AddmmBackward0``, ...) and ``autograd.grad`` works; the values those nodes
  saved are dropped. The first of them that backward reaches recomputes the function and hands
  each node the values its recomputed twin saved (matched in creation order, checked by count
  and name: torch's ``CheckpointError`` otherwise). ``create_graph`` through it is not
  supported here (the recomputed values would not be connected to the first graph).
"""
from __future__ import annotations

import contextlib
import warnings
from typing import Any, Callable

from .. import autograd, random
from .._tensor import Tensor
from .._missing import missing_feature
from ..autograd import function as _function
from ..autograd.grad_mode import _state, enable_grad, no_grad

__all__ = ["checkpoint", "checkpoint_sequential", "CheckpointError", "CheckpointFunction",
           "detach_variable", "check_backward_validity", "noop_context_fn"]


class CheckpointError(RuntimeError):
    """The recomputation did not save what the forward saved."""


def noop_context_fn():
    return contextlib.nullcontext(), contextlib.nullcontext()


def detach_variable(inputs: tuple) -> tuple:
    if not isinstance(inputs, tuple):
        raise RuntimeError("Only tuple of tensors is supported. Got Unsupported input type: "
                           f"{type(inputs).__name__}")
    out = []
    for x in inputs:
        if isinstance(x, Tensor):
            d = x.detach()
            d.requires_grad = x.requires_grad
            x = d
        out.append(x)
    return tuple(out)


def check_backward_validity(inputs) -> None:
    if not any(x.requires_grad for x in inputs if isinstance(x, Tensor)):
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None",
                      stacklevel=2)


@contextlib.contextmanager
def _rng_state(state):
    """Run with the CPU generator at ``state`` (when given); the state it had afterwards."""
    if state is None:
        yield
        return
    current = random.get_rng_state()
    random.set_rng_state(state)
    try:
        yield
    finally:
        random.set_rng_state(current)


class CheckpointFunction(autograd.Function):
    """The reentrant variant (see the module docstring)."""

    @staticmethod
    def forward(ctx, run_function, preserve_rng_state, *args):
        check_backward_validity(args)
        ctx.run_function = run_function
        ctx.fwd_cpu_state = random.get_rng_state() if preserve_rng_state else None
        ctx.inputs = [None if isinstance(a, Tensor) else a for a in args]
        ctx.tensor_indices = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        ctx.save_for_backward(*[a for a in args if isinstance(a, Tensor)])
        with no_grad():
            return run_function(*args)

    @staticmethod
    def backward(ctx, *grads):
        if not autograd._checkpoint_valid[0]:
            raise RuntimeError(
                "When use_reentrant=True, torch.utils.checkpoint is incompatible with .grad() "
                "or passing an `inputs` parameter to .backward(). To resolve this error, you "
                "can either set use_reentrant=False, or call .backward() without passing the "
                "`inputs` argument.")
        inputs = list(ctx.inputs)
        for i, t in zip(ctx.tensor_indices, ctx.saved_tensors):
            inputs[i] = t
        with _rng_state(ctx.fwd_cpu_state):
            detached = detach_variable(tuple(inputs))
            with enable_grad():
                outputs = ctx.run_function(*detached)
        if isinstance(outputs, Tensor):
            outputs = (outputs,)
        pairs = [(o, g) for o, g in zip(outputs, grads)
                 if isinstance(o, Tensor) and o.requires_grad]
        if not pairs:
            raise RuntimeError("none of output has requires_grad=True, this checkpoint() is "
                               "not necessary")
        autograd.backward([o for o, _ in pairs], [g for _, g in pairs])
        return (None, None) + tuple(x.grad if isinstance(x, Tensor) else None
                                    for x in detached)


def _tensors(obj) -> list:
    """The Tensors in a (nested) tuple, list or dict of outputs."""
    if isinstance(obj, Tensor):
        return [obj]
    if isinstance(obj, (tuple, list)):
        return [t for x in obj for t in _tensors(x)]
    if isinstance(obj, dict):
        return [t for x in obj.values() for t in _tensors(x)]
    return []


def _nodes_since(outputs, first_seq: int) -> list:
    """The nodes recorded after ``first_seq`` that the outputs' graph reaches, in creation
    order."""
    seen, stack = set(), [t.grad_fn for t in _tensors(outputs) if t.grad_fn is not None]
    nodes = []
    while stack:
        node = stack.pop()
        if id(node) in seen or node._seq < first_seq:
            continue
        seen.add(id(node))
        nodes.append(node)
        stack.extend(e[0] for e in node._edges
                     if e is not None and isinstance(e[0], _function.Node))
    return sorted(nodes, key=lambda n: n._seq)


def _checkpoint_without_reentrant(function, preserve: bool, args, kwargs):
    state = random.get_rng_state() if preserve else None
    first = next(_function._sequence)
    outputs = function(*args, **kwargs)
    nodes = [n for n in _nodes_since(outputs, first) if n._to_save is not None]
    if not nodes:
        return outputs
    for n in nodes:  # what the nodes saved goes; the recomputation brings it back
        n._to_save = n._saved_checks = n._inputs = None
    handles = []

    def recompute(_grads) -> None:
        for h in handles:
            h.remove()
        if _state.enabled:
            raise missing_feature(
                "torch.utils.checkpoint(use_reentrant=False) with create_graph=True",
                "backward with create_graph=True through torch.utils.checkpoint with "
                "use_reentrant=False is not supported in minitorch_ref")
        with _rng_state(state), enable_grad():
            again_first = next(_function._sequence)
            again = function(*detach_variable(tuple(args)), **kwargs)
        twins = [n for n in _nodes_since(again, again_first) if n._to_save is not None]
        if len(twins) != len(nodes):
            raise CheckpointError(
                "torch.utils.checkpoint: A different number of tensors was saved during the "
                "original forward and recomputation.\n"
                f"Number of tensors saved during forward: {len(nodes)}\n"
                f"Number of tensors saved during recomputation: {len(twins)}.")
        for n, twin in zip(nodes, twins):
            if n.name() != twin.name():
                raise CheckpointError(
                    "torch.utils.checkpoint: Recomputed values for the following tensors have "
                    f"different metadata than during the forward pass.\n{n.name()} was "
                    f"recomputed as {twin.name()}.")
            n._to_save, n._saved_checks, n._inputs = twin._to_save, twin._saved_checks, \
                twin._inputs
            n._freed = False

    for n in nodes:
        handles.append(n.register_prehook(recompute))
    return outputs


def checkpoint(function: Callable, *args, use_reentrant: bool | None = None,
               context_fn: Callable = noop_context_fn, determinism_check: str = "default",
               debug: bool = False, early_stop: bool = True, **kwargs) -> Any:
    """``function(*args, **kwargs)`` without keeping its intermediate values for backward
    (see the module docstring). ``preserve_rng_state=True`` (a keyword) recomputes from the
    random state of the forward."""
    if use_reentrant is None:
        warnings.warn(
            "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. "
            "Starting in PyTorch 2.9, calling checkpoint without use_reentrant will raise an "
            "exception. use_reentrant=False is recommended, but if you need to preserve the "
            "current default behavior, you can pass use_reentrant=True. Refer to docs for more "
            "details on the differences between the two variants.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs and use_reentrant:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    if use_reentrant:
        if context_fn is not noop_context_fn or debug is not False:
            raise ValueError("Passing `context_fn` or `debug` is only supported when "
                             "use_reentrant=False.")
        return CheckpointFunction.apply(function, preserve, *args)
    if context_fn is not noop_context_fn or debug:
        raise missing_feature("torch.utils.checkpoint(context_fn=, debug=)",
                              "checkpoint's context_fn and debug are not supported in "
                              "minitorch_ref")
    return _checkpoint_without_reentrant(function, preserve, args, kwargs)


def checkpoint_sequential(functions, segments: int, input, use_reentrant: bool | None = None,
                          **kwargs):
    """Run ``functions`` (a list of modules/functions or an ``nn.Sequential``) in ``segments``
    chunks, each but the last under ``checkpoint``."""
    if use_reentrant is None:
        warnings.warn(
            "torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be "
            "passed explicitly. In version 2.9 we will raise an exception if use_reentrant is "
            "not passed. use_reentrant=False is recommended, but if you need to preserve the "
            "current default behavior, you can pass use_reentrant=True. Refer to docs for more "
            "details on the differences between the two variants.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))

    def run(start: int, end: int):
        def forward(x):
            for j in range(start, end + 1):
                x = functions[j](x)
            return x
        return forward

    from ..nn import Sequential
    if isinstance(functions, Sequential):
        functions = list(functions.children())
    size = len(functions) // segments
    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(run(start, end), input, use_reentrant=use_reentrant,
                           preserve_rng_state=preserve)
    return run(end + 1, len(functions) - 1)(input)
