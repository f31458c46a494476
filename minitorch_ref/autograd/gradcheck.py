"""``gradcheck``: backward's Jacobian against central finite differences, in float64."""
from __future__ import annotations

import warnings

import numpy as np

from .._tensor import Tensor, _new_tensor


__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when backward disagrees with finite differences."""


def _as_tuple(x) -> tuple:
    return tuple(x) if isinstance(x, (list, tuple)) else (x,)


def gradcheck(func, inputs, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, **kwargs) -> bool:
    """Check ``func``'s gradients against finite differences.

    For every differentiable output ``y`` and every input ``x`` that requires grad:

    * numerical Jacobian, one column per element of x:
      ``J[k, :] = (y(x + eps e_k) - y(x - eps e_k)) / (2 eps)`` (the input is perturbed in place
      and restored);
    * analytical Jacobian, one row per element of y: ``autograd.grad(y, x, e_j)``;
    * they must agree within ``|analytical - numerical| <= atol + rtol |numerical|``.

    Returns True, or raises ``GradcheckError`` (returns False with ``raise_exception=False``).
    Inputs should be float64: float32 differences are too coarse for the default tolerances."""
    from . import grad
    inputs = _as_tuple(inputs)
    diff = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    for i in diff:
        if inputs[i]._data.dtype != np.float64:
            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point or "
                "complex. This check will likely fail if all the inputs are not of double "
                "precision floating point or complex. ", UserWarning, stacklevel=2)

    def outputs_now() -> list:
        # grad mode stays on: func may itself differentiate (gradgradcheck's vjp)
        return [o._data.copy() for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor)]

    outs = [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor)]
    for oi, out in enumerate(outs):
        if not out.requires_grad:
            continue
        for ii in diff:
            x = inputs[ii]
            data = x._data
            numerical = np.zeros((data.size, out._data.size))
            for k, idx in enumerate(np.ndindex(data.shape)):
                orig = data[idx]
                data[idx] = orig + eps
                plus = outputs_now()[oi].reshape(-1)
                data[idx] = orig - eps
                minus = outputs_now()[oi].reshape(-1)
                data[idx] = orig
                numerical[k] = (plus - minus) / (2 * eps)
            analytical = np.zeros_like(numerical)
            for j in range(out._data.size):
                seed = np.zeros(out._data.size, dtype=out._data.dtype)
                seed[j] = 1
                g = grad(out, x, _new_tensor(seed.reshape(out._data.shape)), retain_graph=True,
                         allow_unused=True)[0]
                if g is not None:
                    analytical[:, j] = g._data.reshape(-1)
            if not np.allclose(analytical, numerical, rtol=rtol, atol=atol):
                if raise_exception:
                    raise GradcheckError(
                        f"Jacobian mismatch for output {oi} with respect to input {ii},\n"
                        f"numerical:{numerical}\nanalytical:{analytical}\n")
                return False
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, gen_non_contig_grad_outputs: bool = False,
                  raise_exception: bool = True, nondet_tol: float = 0.0,
                  check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
                  check_batched_grad: bool = False, check_fwd_over_rev: bool = False,
                  check_rev_over_rev: bool = True, fast_mode: bool = False,
                  masked: bool = False) -> bool:
    """Check second derivatives against finite differences: ``gradcheck`` applied to the
    vector-Jacobian product ``(inputs, v) -> grad(func(inputs), inputs, v, create_graph=True)``,
    so both its derivative in the inputs (the Hessian-vector products) and in ``v`` (the
    Jacobian again) are checked. ``v`` (``grad_outputs``) is drawn uniformly from [-1, 1) when
    not given, and requires grad."""
    from . import grad
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        from ..random import rand
        outs = [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor) and o.requires_grad]
        grad_outputs = tuple((rand(o.shape, dtype=o.dtype) * 2 - 1).requires_grad_()
                             for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    n_out = len(grad_outputs)
    diff = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]

    def vjp(*args):
        ins, vs = args[:-n_out] if n_out else args, args[-n_out:] if n_out else ()
        outs = [o for o in _as_tuple(func(*ins)) if isinstance(o, Tensor) and o.requires_grad]
        grads = grad(outs, [ins[i] for i in diff], vs, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(vjp, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
