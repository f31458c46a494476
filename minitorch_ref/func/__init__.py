"""torch.func: composable function transforms (grad, vjp, jvp, jacrev, jacfwd, hessian, vmap)
and ``functional_call``, built on this library's reverse-mode autograd. ``vmap`` is a loop over
the mapped dimension, ``jvp`` and ``jacfwd`` use reverse mode (see their docstrings for what
that changes)."""
from ._batch_norm import replace_all_batch_norm_modules_  # noqa: F401
from ._functional_call import functional_call, stack_module_state  # noqa: F401
from ._transforms import grad, grad_and_value, hessian, jacfwd, jacrev, jvp, vjp  # noqa: F401
from ._vmap import vmap  # noqa: F401

__all__ = ["replace_all_batch_norm_modules_", "functional_call", "stack_module_state", "grad",
           "grad_and_value", "hessian",
           "jacfwd", "jacrev", "jvp", "vjp", "vmap"]
