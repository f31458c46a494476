"""torch.autograd: ``backward``, ``grad``, ``Function``, grad-mode switches, ``gradcheck``."""
from __future__ import annotations


import numpy as np

from . import engine
from .function import Function, Node as FunctionCtx, once_differentiable
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled

__all__ = ["backward", "grad", "Function", "FunctionCtx", "once_differentiable", "no_grad",
           "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled", "gradcheck",
           "gradgradcheck", "Variable"]


def _as_tuple(x) -> tuple:
    if x is None:
        return ()
    if isinstance(x, (list, tuple)):
        return tuple(x)
    return (x,)


def _root_grads(outputs: tuple, grad_outputs: tuple) -> list:
    """The seed gradient of every root: ones for a scalar, else the caller's tensor."""
    from .._tensor import Size, Tensor
    grads = []
    for i, out in enumerate(outputs):
        g = grad_outputs[i] if i < len(grad_outputs) else None
        if not out._requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if out._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            grads.append(np.ones(out._data.shape, dtype=out._data.dtype))
            continue
        arr = g._data if isinstance(g, Tensor) else np.asarray(g, dtype=out._data.dtype)
        if arr.shape != out._data.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {Size(arr.shape)} and "
                f"output[{i}] has a shape of {Size(out._data.shape)}.")
        grads.append(arr.astype(out._data.dtype, copy=False))
    return grads


def _no_create_graph(create_graph: bool) -> None:
    if create_graph:
        raise NotImplementedError(
            "create_graph=True (higher-order gradients) is not implemented in minitorch_ref: "
            "backward runs on NumPy arrays and records no graph")


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph: bool = False,
             inputs=None) -> None:
    """Accumulate the gradients of ``tensors`` into the ``.grad`` of the graph's leaves (or of
    ``inputs`` only, when given)."""
    _no_create_graph(create_graph)
    outputs = _as_tuple(tensors)
    if grad_tensors is None and len(outputs) == 1 and outputs[0]._data.size == 1 \
            and outputs[0]._requires_grad:
        grads = [np.ones(outputs[0]._data.shape, dtype=outputs[0]._data.dtype)]
    else:
        grads = _root_grads(outputs, _as_tuple(grad_tensors))
    inputs = _as_tuple(inputs) or None
    engine.run_backward(outputs, grads, bool(retain_graph), inputs=inputs, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph: bool = False,
         only_inputs: bool = True, allow_unused=None, is_grads_batched: bool = False,
         materialize_grads: bool = False) -> tuple:
    """The gradients of ``outputs`` with respect to ``inputs``, returned, not accumulated."""
    from .._tensor import _new_tensor
    _no_create_graph(create_graph)
    outs = _as_tuple(outputs)
    ins = _as_tuple(inputs)
    for i, t in enumerate(ins):
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grads = _root_grads(outs, _as_tuple(grad_outputs))
    captured = engine.run_backward(outs, grads, bool(retain_graph), inputs=ins,
                                   accumulate=False)
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
        else:
            result.append(_new_tensor(np.array(g)))
    return tuple(result)


# Imported last: gradcheck uses ``grad`` above. As in torch, ``autograd.gradcheck`` is the function
# and ``autograd.gradcheck.GradcheckError`` is importable from the module of the same name.
from .gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: E402
from .variable import Variable  # noqa: E402,F401
