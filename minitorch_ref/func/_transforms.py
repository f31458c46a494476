"""torch.func's autodiff transforms, built on this library's reverse mode (autograd.grad).

* ``grad(f)(x)``            = df/dx for a scalar f, one backward
* ``grad_and_value(f)(x)``  = (df/dx, f(x))
* ``vjp(f, x)``             = (f(x), v -> v^T J), the graph kept for repeated calls
* ``jvp(f, (x,), (v,))``     = (f(x), J v), by the double-vjp trick: u -> J^T u is linear in u,
                             so J v = d<J^T u, v>/du (two backwards; torch uses forward mode)
* ``jacrev(f)(x)``          = J, one backward per output element (the rows of J)
* ``jacfwd(f)(x)``          = J, computed here by reverse mode as well (same rows, same values;
                             torch computes it column by column with forward-mode dual numbers)
* ``hessian(f)(x)``         = jacfwd(jacrev(f)), the Jacobian of the gradient

How the transforms compose: each call differentiates with respect to fresh tensors standing for
its arguments (a leaf for an argument that does not require grad, a differentiable ``view_as``
alias for one that does). When the function's graph reaches a tensor from outside (an outer
transform's argument, or a tensor the function closes over that requires grad), the gradients are
built with ``create_graph`` so the outer level (or an ordinary ``backward``) can differentiate them
again, as torch's levels do; otherwise the results carry no history.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from .._tensor import Tensor
from ..autograd import grad as _autograd_grad
from ..autograd.grad_mode import enable_grad, is_grad_enabled
from ._pytree import tree_flatten, tree_unflatten

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian"]

argnums_t = "int | tuple[int, ...]"


def _check_argnums(argnums, nargs: int) -> tuple[int, ...]:
    """``argnums`` as a tuple of non-negative positions, with torch's errors."""
    if isinstance(argnums, int) and not isinstance(argnums, bool):
        items = (argnums,)
    elif isinstance(argnums, tuple) and all(isinstance(a, int) for a in argnums):
        if len(argnums) == 0:
            raise RuntimeError("argnums must be non-empty")
        items = argnums
    else:
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    out = []
    for a in items:
        if not -nargs <= a < nargs:
            raise RuntimeError(f"Got argnum={a}, but only {nargs} positional inputs")
        out.append(a % nargs)
    if len(set(out)) != len(out):
        raise RuntimeError(f"argnums must be unique, got {argnums}")
    return tuple(out)


def _alias(t: Any) -> Tensor:
    """The tensor the transform differentiates with respect to, standing for ``t``."""
    if not isinstance(t, Tensor):
        raise ValueError(f"Thing passed to transform API must be Tensor, got {type(t)}")
    if t.requires_grad:
        return t.view_as(t)
    return t.detach().requires_grad_()


def _wrap_args(args: tuple, argnums) -> tuple[tuple, Any, list, list]:
    """(args with the differentiated ones replaced, their structure, the new leaves, the
    originals). ``argnums`` an int: that argument's pytree; a tuple: a tuple of pytrees."""
    nums = _check_argnums(argnums, len(args))
    picked = args[nums[0]] if isinstance(argnums, int) else tuple(args[i] for i in nums)
    leaves, spec = tree_flatten(picked)
    new_leaves = [_alias(t) for t in leaves]
    new_picked = tree_unflatten(new_leaves, spec)
    new_args = list(args)
    if isinstance(argnums, int):
        new_args[nums[0]] = new_picked
    else:
        for i, v in zip(nums, new_picked):
            new_args[i] = v
    return tuple(new_args), spec, new_leaves, leaves


def _reaches_outside(outputs: list, own: list) -> bool:
    """Whether the graph of ``outputs`` reaches a leaf requiring grad that is not one of the
    transform's own fresh leaves (then results must keep their history)."""
    own_ids = {id(t) for t in own if t.grad_fn is None}
    seen = set()
    stack = [o.grad_fn for o in outputs if isinstance(o, Tensor) and o.grad_fn is not None]
    for o in outputs:
        if isinstance(o, Tensor) and o.grad_fn is None and o.requires_grad \
                and id(o) not in own_ids:
            return True
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        var = getattr(node, "variable", None)
        if var is not None and type(node).__name__ == "AccumulateGrad":
            if id(var) not in own_ids:
                return True
            continue
        for nxt, _ in node.next_functions:
            if nxt is not None:
                stack.append(nxt)
    return False


def _finish(t, keep: bool):
    if not isinstance(t, Tensor):
        return t
    return t if keep else t.detach()


def _grads(output: Tensor, leaves: list, keep: bool, grad_output=None,
           retain: bool = False) -> list:
    """d output / d leaf for each leaf (zeros where it is unused)."""
    gs = _autograd_grad(output, leaves, grad_outputs=grad_output, retain_graph=retain or keep,
                        create_graph=keep, allow_unused=True)
    return [g if g is not None else _zeros_like(x, keep) for g, x in zip(gs, leaves)]


def _zeros_like(x: Tensor, keep: bool) -> Tensor:
    z = x.detach().new_zeros(x.shape)
    return z



def _split_aux(name: str, output, has_aux: bool):
    """(output, aux) of what f returned: with ``has_aux`` f must return that pair."""
    if not has_aux:
        return output, None
    if not (isinstance(output, tuple) and len(output) == 2):
        raise RuntimeError(f"{name}: output of function f should be a tuple: (output, aux) if "
                           "has_aux is True")
    return output


def _tensor_outputs(name: str, output):
    """f's outputs flattened (leaves, spec); each leaf must be a Tensor."""
    outs, spec = tree_flatten(output)
    for o in outs:
        if not isinstance(o, Tensor):
            raise RuntimeError(f"{name}: expected f(*primals) to return only tensors, got "
                               f"unsupported type {type(o)}")
    return outs, spec


def grad_and_value(func: Callable, argnums=0, has_aux: bool = False) -> Callable:
    """``grad_and_value(f)(*args)`` -> (gradient of f at args, f(args)): f returns a scalar
    Tensor (with ``has_aux``, a pair (scalar, aux) and the result is ((grad), (value, aux))).
    The gradient has the structure of ``args[argnums]`` (a tuple of them for a tuple)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        outer_grad = is_grad_enabled()
        with enable_grad():
            new_args, spec, leaves, _ = _wrap_args(args, argnums)
            output = func(*new_args, **kwargs)
            output, aux = _split_aux("grad_and_value(f)(*args)", output, has_aux)
            if not isinstance(output, Tensor):
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a "
                                   f"Tensor, got {type(output)}")
            if output.dim() != 0:
                raise RuntimeError(
                    "grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got "
                    f"tensor with {output.dim()} dims. Maybe you wanted to use the vjp or "
                    "jacrev APIs instead?")
            keep = outer_grad and _reaches_outside([output], leaves)
            if output.requires_grad:
                gs = _grads(output, leaves, keep)
            else:
                gs = [_zeros_like(x, keep) for x in leaves]
        g = tree_unflatten(gs, spec)
        value = _finish(output, keep)
        if has_aux:
            return g, (value, tree_map_finish(aux, keep))
        return g, value

    return wrapper


def grad(func: Callable, argnums=0, has_aux: bool = False) -> Callable:
    """``grad(f)(*args)``: the gradient of the scalar f with respect to ``args[argnums]``
    (with ``has_aux``, (gradient, aux)). Compose freely: ``grad(grad(f))``, ``vmap(grad(f))``."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        g, value = grad_and_value(func, argnums, has_aux)(*args, **kwargs)
        return (g, value[1]) if has_aux else g

    return wrapper


def vjp(func: Callable, *primals, has_aux: bool = False):
    """(f(*primals), vjp_fn[, aux]): ``vjp_fn(cotangents)`` returns v^T J as a tuple with one
    entry per primal (each of that primal's structure); ``cotangents`` has the structure of the
    output. vjp_fn may be called many times (the graph is kept)."""
    outer_grad = is_grad_enabled()
    with enable_grad():
        leaves_in, spec_in = tree_flatten(primals)
        leaves = [_alias(t) for t in leaves_in]
        output = func(*tree_unflatten(leaves, spec_in))
        output, aux = _split_aux("vjp(f, *primals)", output, has_aux)
        outs, spec_out = _tensor_outputs("vjp(f, *primals)", output)
        keep = outer_grad and _reaches_outside(outs, leaves)

    def vjp_fn(cotangents):
        cots, spec_cot = tree_flatten(cotangents)
        if spec_cot != spec_out:
            raise RuntimeError(
                "Expected pytree structure of cotangents to be the same as pytree structure of "
                f"outputs to the function. cotangents: {spec_cot.pprint()}, primal output: "
                f"{spec_out.pprint()}")
        with enable_grad():
            pairs = [(o, c) for o, c in zip(outs, cots) if o.requires_grad]
            if pairs:
                gs = _autograd_grad([o for o, _ in pairs], leaves,
                                    grad_outputs=[c for _, c in pairs], retain_graph=True,
                                    create_graph=keep, allow_unused=True)
            else:
                gs = [None] * len(leaves)
            gs = [g if g is not None else _zeros_like(x, keep) for g, x in zip(gs, leaves)]
        return tree_unflatten([_finish(g, keep) for g in gs], spec_in)

    result = tree_unflatten([_finish(o, keep) for o in outs], spec_out)
    if has_aux:
        return result, vjp_fn, tree_map_finish(aux, keep)
    return result, vjp_fn


def jvp(func: Callable, primals, tangents, *, strict: bool = False, has_aux: bool = False):
    """(f(*primals), J v[, aux]) for tangents v shaped as the primals. Computed by reverse mode
    twice (module docstring): torch's values, not its forward-mode cost."""
    name = "jvp(f, primals, tangents)"
    if not isinstance(primals, tuple):
        raise RuntimeError(f"{name}: Expected primals to be a tuple. E.g. it should be valid to "
                           "call f(*primals).")
    flat_p, spec_p = tree_flatten(primals)
    flat_t, spec_t = tree_flatten(tangents)
    if spec_p != spec_t:
        raise RuntimeError(
            f"{name}: Expected primals and tangents to have the same python structure. For "
            "example, if primals is a tuple of 3 tensors, tangents also must be. Got primals "
            f"with structure {spec_p!r} and tangents with structure {spec_t!r}")
    for p, t in zip(flat_p, flat_t):
        if not isinstance(p, Tensor) or not isinstance(t, Tensor):
            raise RuntimeError(f"{name}: Expected primals and tangents to be tuples of tensors")
        if tuple(p.shape) != tuple(t.shape):
            raise RuntimeError(
                "Trying to set a forward gradient that has a different size than that of the "
                f"original Tensor, this is not supported. Tensor is of size {list(p.shape)} "
                f"while the given forward gradient is of size {list(t.shape)}.")
    outer_grad = is_grad_enabled()
    with enable_grad():
        leaves = [_alias(t) for t in flat_p]
        output = func(*tree_unflatten(leaves, spec_p))
        output, aux = _split_aux(name, output, has_aux)
        outs, spec_out = _tensor_outputs(name, output)
        keep = outer_grad and (_reaches_outside(outs, leaves)
                               or any(t.requires_grad for t in flat_t))
        diff = [o for o in outs if o.requires_grad]
        us = [o.detach().new_zeros(o.shape).requires_grad_() for o in diff]
        results = {}
        if diff:
            gs = _autograd_grad(diff, leaves, grad_outputs=us, create_graph=True,
                                allow_unused=True)
            pairs = [(g, t) for g, t in zip(gs, flat_t) if g is not None and g.requires_grad]
            if pairs:
                js = _autograd_grad([g for g, _ in pairs], us,
                                    grad_outputs=[t for _, t in pairs], create_graph=keep,
                                    allow_unused=True)
                results = {id(o): j for o, j in zip(diff, js) if j is not None}
        tangents_out = [results.get(id(o), None) for o in outs]
        tangents_out = [j if j is not None else o.detach().new_zeros(o.shape)
                        for j, o in zip(tangents_out, outs)]
    primal_out = tree_unflatten([_finish(o, keep) for o in outs], spec_out)
    tangent_out = tree_unflatten([_finish(j, keep) for j in tangents_out], spec_out)
    if has_aux:
        return primal_out, tangent_out, tree_map_finish(aux, keep)
    return primal_out, tangent_out


def tree_map_finish(tree, keep: bool):
    """The aux output, detached like the results; torch allows only tensors in it."""
    leaves, spec = tree_flatten(tree)
    for x in leaves:
        if not isinstance(x, Tensor):
            raise RuntimeError(f"Expected tensors, got unsupported type {type(x)}")
    return tree_unflatten([_finish(x, keep) for x in leaves], spec)


def _jacobian(func: Callable, argnums, has_aux: bool, name: str) -> Callable:
    """The Jacobian by reverse mode: for each output element one backward gives a row
    d out[j] / d input; the rows are stacked into out.shape + input.shape."""
    from .. import stack  # the package's stack, differentiable

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        outer_grad = is_grad_enabled()
        with enable_grad():
            new_args, spec_in, leaves, _ = _wrap_args(args, argnums)
            output = func(*new_args, **kwargs)
            output, aux = _split_aux(name, output, has_aux)
            outs, spec_out = _tensor_outputs(name, output)
            keep = outer_grad and _reaches_outside(outs, leaves)
            per_output = []
            for o in outs:
                flat = o.reshape(-1)
                rows: list = [[] for _ in leaves]
                for j in range(flat.shape[0]):
                    if o.requires_grad:
                        gs = _grads(flat[j], leaves, keep, retain=True)
                    else:
                        gs = [_zeros_like(x, keep) for x in leaves]
                    for r, g in zip(rows, gs):
                        r.append(g)
                jacs = []
                for r, x in zip(rows, leaves):
                    shape = tuple(o.shape) + tuple(x.shape)
                    if r:
                        jac = stack(r).reshape(shape)
                    else:
                        jac = x.detach().new_zeros(shape)
                    jacs.append(_finish(jac, keep))
                per_output.append(tree_unflatten(jacs, spec_in))
        result = tree_unflatten(per_output, spec_out)
        if has_aux:
            return result, tree_map_finish(aux, keep)
        return result

    return wrapper


def jacrev(func: Callable, argnums=0, *, has_aux: bool = False, chunk_size=None,
           _preallocate_and_copy: bool = False) -> Callable:
    """The Jacobian of ``func`` with respect to ``args[argnums]`` by reverse mode, shaped
    output.shape + input.shape (nested per output and per input for pytrees). ``chunk_size``
    is accepted; rows are always computed one backward at a time."""
    if not (chunk_size is None or (isinstance(chunk_size, int) and chunk_size > 0)):
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")
    return _jacobian(func, argnums, has_aux, "vjp(f, *primals)")


def jacfwd(func: Callable, argnums=0, has_aux: bool = False, *,
           randomness: str = "error") -> Callable:
    """The Jacobian, as torch's forward-mode ``jacfwd`` returns it. Computed here by reverse
    mode (one backward per output element): the same values and shapes, a different cost
    profile (torch's costs one forward per input element)."""
    _check_randomness(randomness)
    return _jacobian(func, argnums, has_aux, "jvp(f, primals, tangents)")


def hessian(func: Callable, argnums=0) -> Callable:
    """The Hessian of a scalar function: ``jacfwd(jacrev(func, argnums), argnums)``, shaped
    input.shape + input.shape."""
    return jacfwd(jacrev(func, argnums), argnums)


def _check_randomness(randomness: str) -> None:
    if randomness not in ("error", "different", "same"):
        raise RuntimeError("Only allowed values for randomness are 'error', 'different', or "
                           f"'same'. Got {randomness}")
