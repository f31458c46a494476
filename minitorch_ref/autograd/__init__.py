"""torch.autograd: ``backward``, ``grad``, ``Function``, grad-mode switches, ``gradcheck``."""
from __future__ import annotations

import warnings

import numpy as np

from .._tensor import Size, Tensor, _new_tensor
from . import engine
from .function import Function, Node as FunctionCtx, once_differentiable
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
# As in torch, ``autograd.gradcheck`` is the function and ``autograd.gradcheck.GradcheckError``
# is importable from the module of the same name.
from .gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: F401
from .variable import Variable  # noqa: F401
from .anomaly_mode import detect_anomaly, set_detect_anomaly  # noqa: F401

__all__ = ["backward", "grad", "Function", "FunctionCtx", "once_differentiable", "no_grad",
           "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled", "gradcheck",
           "gradgradcheck", "Variable", "detect_anomaly", "set_detect_anomaly"]


def _as_tuple(x) -> tuple:
    if x is None:
        return ()
    if isinstance(x, (list, tuple)):
        return tuple(x)
    return (x,)


def _root_grads(outputs: tuple, grad_outputs: tuple, create_graph: bool = False) -> list:
    """The seed gradient of every root: ones for a scalar, else the caller's tensor (arrays;
    Tensors, possibly with history, under ``create_graph``)."""
    grads = []
    for i, out in enumerate(outputs):
        g = grad_outputs[i] if i < len(grad_outputs) else None
        if not out._requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if out._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            ones = np.ones(out._data.shape, dtype=out._data.dtype)
            grads.append(_new_tensor(ones) if create_graph else ones)
            continue
        arr = g._data if isinstance(g, Tensor) else np.asarray(g, dtype=out._data.dtype)
        if arr.shape != out._data.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {Size(arr.shape)} and "
                f"output[{i}] has a shape of {Size(out._data.shape)}.")
        if create_graph:
            from .double_backward import fit
            grads.append(fit(g if isinstance(g, Tensor) else _new_tensor(arr), arr.shape,
                             out._data.dtype))
        else:
            grads.append(arr.astype(out._data.dtype, copy=False))
    return grads


_warned_cycle: list = []
# False while autograd.grad or backward(inputs=...) runs: torch's checkpoint_valid flag
_checkpoint_valid: list = [True]


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph: bool = False,
             inputs=None) -> None:
    """Accumulate the gradients of ``tensors`` into the ``.grad`` of the graph's leaves (or of
    ``inputs`` only, when given). With ``create_graph`` the gradients are recorded as a graph
    (``.grad`` gets a ``grad_fn``) and ``retain_graph`` defaults to True, as in torch."""
    outputs = _as_tuple(tensors)
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph and not _warned_cycle:
        _warned_cycle.append(True)  # torch warns once per process
        warnings.warn(
            "Using backward() with create_graph=True will create a reference cycle between the "
            "parameter and its gradient which can cause a memory leak. We recommend using "
            "autograd.grad when creating the graph to avoid this. If you have to use this "
            "function, make sure to reset the .grad fields of your parameters to None after "
            "use to break the cycle and avoid the leak.", UserWarning, stacklevel=3)
    if grad_tensors is None and len(outputs) == 1 and outputs[0]._data.size == 1 \
            and outputs[0]._requires_grad and not create_graph:
        grads = [np.ones(outputs[0]._data.shape, dtype=outputs[0]._data.dtype)]
    else:
        grads = _root_grads(outputs, _as_tuple(grad_tensors), create_graph)
    inputs = _as_tuple(inputs) or None
    for t in inputs or ():
        if t.grad_fn is not None:
            t.retain_grad()  # a non-leaf input gets its .grad, and keeps it, as in torch
    if inputs is None:
        engine.run_backward(outputs, grads, bool(retain_graph), inputs=inputs, accumulate=True,
                            create_graph=create_graph)
        return
    valid = _checkpoint_valid[0]
    _checkpoint_valid[0] = False  # a reentrant checkpoint refuses backward(inputs=...)
    try:
        engine.run_backward(outputs, grads, bool(retain_graph), inputs=inputs,
                            accumulate=True, create_graph=create_graph)
    finally:
        _checkpoint_valid[0] = valid


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph: bool = False,
         only_inputs: bool = True, allow_unused=None, is_grads_batched: bool = False,
         materialize_grads: bool = False) -> tuple:
    """The gradients of ``outputs`` with respect to ``inputs``, returned, not accumulated.
    With ``create_graph`` they carry their own history (differentiate them again), and
    ``retain_graph`` defaults to True."""
    if retain_graph is None:
        retain_graph = create_graph
    outs = _as_tuple(outputs)
    ins = _as_tuple(inputs)
    for i, t in enumerate(ins):
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grads = _root_grads(outs, _as_tuple(grad_outputs), create_graph)
    valid = _checkpoint_valid[0]
    _checkpoint_valid[0] = False  # a reentrant checkpoint refuses autograd.grad
    try:
        captured = engine.run_backward(outs, grads, bool(retain_graph), inputs=ins,
                                       accumulate=False, create_graph=create_graph)
    finally:
        _checkpoint_valid[0] = valid
    result = []
    for i, t in enumerate(ins):
        g = captured.get(id(t))
        if g is None:
            if materialize_grads:
                result.append(_new_tensor(np.zeros_like(t._data)))
                continue
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior.")
            result.append(None)
        elif create_graph:
            result.append(g)
        else:
            result.append(_new_tensor(np.array(g)))
    return tuple(result)


# Imported last: autograd.functional imports ``grad`` above.
from . import functional  # noqa: E402,F401
