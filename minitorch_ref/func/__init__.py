"""torch.func: composable function transforms (grad, vjp, jacrev, jacfwd, hessian, vmap) and
``functional_call``, built on this library's reverse-mode autograd. ``vmap`` is a loop over the
mapped dimension and ``jacfwd`` uses reverse mode (see their docstrings for what that changes)."""
from ._functional_call import functional_call, stack_module_state  # noqa: F401
from ._transforms import grad, grad_and_value, hessian, jacfwd, jacrev, vjp  # noqa: F401
from ._vmap import vmap  # noqa: F401

__all__ = ["functional_call", "stack_module_state", "grad", "grad_and_value", "hessian",
           "jacfwd", "jacrev", "vjp", "vmap"]
