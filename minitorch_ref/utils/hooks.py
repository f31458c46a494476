"""Hook handles and the backward-hook machinery of modules, as in ``torch.utils.hooks``.

``RemovableHandle`` (defined in ``_hook_handle``) is what every ``register_*_hook`` returns.
A module's full backward hooks run through two identity ops recorded around its forward
(``Module._call_impl``): ``_HookInputs`` on the tensor inputs and ``_HookOutputs`` on the
outputs; one ``_BackwardHookState`` per call carries the output gradients from the second to the
first, where the hooks see both.
"""
from __future__ import annotations

import warnings

import numpy as np

from .._hook_handle import RemovableHandle, _HookDict  # noqa: F401 (torch's names here)
from .._tensor import _new_tensor
from ..autograd.function import ArrayFunction

__all__ = ["RemovableHandle"]


class _BackwardHookState:
    """One call's bookkeeping for the module's full backward (pre-)hooks: the gradients of the
    outputs, kept until the gradients of the inputs arrive."""

    def __init__(self, module, n_args: int, tensor_idx: list) -> None:
        self.module = module
        self.n_args = n_args
        self.tensor_idx = tensor_idx
        self.grad_outputs = None
        self.inputs_hooked = False
        self.n_outputs, self.output_idx = 1, [0]  # set from the forward's result

    def _wrap(self, arrays) -> tuple:
        return tuple(None if a is None else _new_tensor(a) for a in arrays)

    def run_pre_hooks(self, grads: tuple) -> tuple:
        for hook in list(self.module._backward_pre_hooks.values()):
            res = hook(self.module, self._wrap(grads))
            if res is None:
                continue
            res = res if isinstance(res, tuple) else (res,)
            if len(res) != len(grads):
                raise RuntimeError("Backward pre hook returned an invalid number of "
                                   f"grad_output, got {len(res)}, but expected {len(grads)}")
            grads = tuple(None if r is None else np.asarray(getattr(r, "_data", r))
                          for r in res)
        return grads

    def run_hooks(self, grad_inputs: tuple) -> tuple:
        grad_outputs = self._wrap(self.grad_outputs)
        for hook in list(self.module._backward_hooks.values()):
            res = hook(self.module, self._wrap(grad_inputs), grad_outputs)
            if res is None:
                continue
            if not isinstance(res, tuple) or len(res) != len(grad_inputs):
                got = len(res) if isinstance(res, tuple) else 1
                raise RuntimeError("Backward hook returned an invalid number of grad_input, "
                                   f"got {got}, but expected {len(grad_inputs)}")
            grad_inputs = tuple(None if r is None else np.asarray(getattr(r, "_data", r))
                                for r in res)
        return grad_inputs


class _HookOutputs(ArrayFunction):
    """Identity on the module's outputs. Backward: the gradients of the outputs arrive here
    first; the backward pre-hooks may replace them, then they are kept for the full hooks (which
    fire here already when no input requires grad, with torch's warning)."""

    _backward_name = "BackwardHookFunctionBackward"

    @staticmethod
    def forward(ctx, state, *arrays):
        ctx.state = state
        return arrays

    @staticmethod
    def backward(ctx, *grads):
        state = ctx.state
        # torch passes one entry per element of the output (None for non-tensors)
        packed = [None] * state.n_outputs
        for i, g in zip(state.output_idx, grads):
            packed[i] = g
        packed = state.run_pre_hooks(tuple(packed))
        grads = tuple(packed[i] for i in state.output_idx)
        state.grad_outputs = packed
        if not state.inputs_hooked and state.module._backward_hooks:
            warnings.warn(
                "Full backward hook is firing when gradients are computed with respect to "
                "module outputs since no inputs require gradients. See https://docs.pytorch."
                "org/docs/main/generated/torch.nn.Module.html#torch.nn.Module."
                "register_full_backward_hook for more details.", stacklevel=2)
            state.run_hooks((None,) * state.n_args)
        return (None,) + tuple(grads)


class _HookInputs(ArrayFunction):
    """Identity on the module's tensor inputs. Backward: their gradients (zeros for an input
    whose gradient is undefined, as torch materialises them) go through the full backward hooks,
    which may replace them."""

    _backward_name = "BackwardHookFunctionBackward"

    @staticmethod
    def forward(ctx, state, *arrays):
        ctx.state = state
        ctx.meta = [(a.shape, a.dtype) for a in arrays]
        return arrays

    @staticmethod
    def backward(ctx, *grads):
        state = ctx.state
        grads = [np.zeros(m[0], m[1]) if g is None else g for g, m in zip(grads, ctx.meta)]
        packed = [None] * state.n_args
        for i, g in zip(state.tensor_idx, grads):
            packed[i] = g
        packed = state.run_hooks(tuple(packed))
        return (None,) + tuple(packed[i] for i in state.tensor_idx)
