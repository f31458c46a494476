"""torch.func.vmap as a loop over the mapped dimension.

``vmap(f, in_dims, out_dims)(*args)`` calls ``f`` once per index ``b`` of the mapped dimension,
on ``args`` with that dimension selected away (``x.select(in_dim, b)``; arguments whose in_dim
is None are passed whole), and stacks the results along ``out_dims``. This gives torch's values
and shapes for functions built from tensor operations, and it composes with the autodiff
transforms and with autograd (select and stack are differentiable), so the canonical per-sample
gradients ``vmap(grad(loss), in_dims=(None, 0, 0))(params, x, y)`` work.

Where the loop differs from torch's batching rules: it costs one call of ``f`` per sample;
``.item()`` and data-dependent Python control flow inside ``f`` work here while torch refuses
them; with ``randomness="different"`` random operations draw sample after sample (torch draws
once for the batch; see ``_call_per_sample``); an output that does not depend on the mapped
inputs is stacked (torch's is expanded: same values).
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from .._tensor import Tensor
from ._pytree import broadcast_prefix, tree_flatten, tree_unflatten
from ._transforms import _check_randomness

__all__ = ["vmap"]


def _fname(func) -> str:
    return getattr(func, "__name__", repr(func))


def _flat_in_dims(func, in_dims, args: tuple) -> list:
    label = f"vmap({_fname(func)}, in_dims={in_dims}, ...)(<inputs>)"
    if not isinstance(in_dims, (int, tuple)) or isinstance(in_dims, bool):
        raise ValueError(f"{label}: expected `in_dims` to be int or a (potentially nested) tuple "
                         f"matching the structure of inputs, got: {type(in_dims)}.")
    if len(args) == 0:
        raise ValueError(f"vmap({_fname(func)})(<inputs>): got no inputs. Maybe you forgot to "
                         "add inputs, or you are trying to vmap over a function with no inputs. "
                         "The latter is unsupported.")
    dims = broadcast_prefix(in_dims, args)
    if dims is None:
        raise ValueError(
            f"{label}: in_dims is not compatible with the structure of `inputs`. in_dims has "
            f"structure {tree_flatten(in_dims)[1]!r} but inputs has structure "
            f"{tree_flatten(args)[1]!r}.")
    return dims


def vmap(func: Callable, in_dims: Any = 0, out_dims: Any = 0, randomness: str = "error", *,
         chunk_size=None) -> Callable:
    """Map ``func`` over dimension ``in_dims`` of its inputs (an int for all, or a tuple with
    one entry per argument, nested like the arguments, None for an unmapped one) and put the
    mapped dimension of each output at ``out_dims``. A loop over samples (module docstring)."""
    _check_randomness(randomness)
    if not (chunk_size is None or (isinstance(chunk_size, int) and chunk_size > 0)):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got "
                         f"{chunk_size})")

    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        dims = _flat_in_dims(func, in_dims, args)
        flat, spec = tree_flatten(args)
        label = f"vmap({_fname(func)}, in_dims={in_dims}, ...)(<inputs>)"
        sizes, norm = [], []
        for x, d in zip(flat, dims):
            if d is None:
                norm.append(None)
                continue
            if not isinstance(d, int):
                raise ValueError(
                    f"{label}: Got in_dim={d} for an input but in_dim must be either an "
                    "integer dimension or None.")
            if not isinstance(x, Tensor):
                raise ValueError(
                    f"{label}: Got in_dim={d} for an input but the input is of type "
                    f"{type(x)}. We cannot vmap over non-Tensor arguments, please use None as "
                    "the respective in_dim")
            n = x.dim()
            if not -n <= d < n:
                raise ValueError(
                    f"{label}: Got in_dim={d} for some input, but that input is a Tensor of "
                    f"dimensionality {n} so expected in_dim to satisfy -{n} <= in_dim < {n}.")
            norm.append(d % n)
            sizes.append(x.shape[d % n])
        if not sizes:
            raise ValueError("vmap: Expected at least one Tensor to vmap over")
        if len(set(sizes)) > 1:
            raise ValueError("vmap: Expected all tensors to have the same size in the mapped "
                             f"dimension, got sizes {sizes} for the mapped dimension")
        batch = sizes[0]

        def call(b: int | None):
            sample = []
            for x, d in zip(flat, norm):
                if d is None:
                    sample.append(x)
                elif b is None:  # a stand-in sample for an empty batch: zeros of its shape
                    shape = tuple(x.shape[:d]) + tuple(x.shape[d + 1:])
                    sample.append(x.detach().new_zeros(shape))
                else:
                    sample.append(x.select(d, b))
            return func(*tree_unflatten(sample, spec), **kwargs)

        results = _call_per_sample(call, batch, randomness)
        return _stack_outputs(func, results, out_dims, empty=batch == 0)

    return wrapped


_RANDOM_ERROR = ("vmap: called random operation while in randomness error mode. Please either "
                 "use the 'same' or 'different' randomness flags on vmap or perform the "
                 "randomness operation out of vmap")


def _call_per_sample(call: Callable, batch: int, randomness: str) -> list:
    """``call(b)`` for each sample. Random draws inside: "error" refuses them (torch's error);
    "same" rewinds the default generator before each sample, so every sample draws what the
    first drew and the stream ends one sample's draws further, as torch's single draw does;
    "different" draws sample after sample (torch draws once for the whole batch: equal for
    per-element samplers such as rand and dropout, not for the blocked randn path)."""
    from .._generator import Generator
    from ..random import default_generator
    if not batch:
        return [call(None)]
    if randomness == "error":
        outer = Generator._refusal
        Generator._refusal = _RANDOM_ERROR
        try:
            return [call(b) for b in range(batch)]
        finally:
            Generator._refusal = outer
    if randomness == "same":
        start = default_generator.get_state()
        results = [call(0)]
        after_first = default_generator.get_state()
        for b in range(1, batch):
            default_generator.set_state(start)
            results.append(call(b))
        default_generator.set_state(after_first)
        return results
    return [call(b) for b in range(batch)]


def _stack_outputs(func, results: list, out_dims, empty: bool):
    from .. import stack
    leaves0, spec = tree_flatten(results[0])
    dims = broadcast_prefix(out_dims, results[0])
    if dims is None:
        raise ValueError(
            f"vmap({_fname(func)}, ..., out_dims={out_dims})(<inputs>): out_dims is not "
            f"compatible with the structure of `outputs`. out_dims has structure "
            f"{tree_flatten(out_dims)[1]!r} but outputs has structure {spec!r}.")
    per_sample = [tree_flatten(r)[0] for r in results]
    out = []
    for k, (leaf, d) in enumerate(zip(leaves0, dims)):
        if d is None:
            # torch refuses a batched output here; a loop sees only values, so an output that
            # differs between samples is refused (one that depends on them but agrees is not)
            if isinstance(leaf, Tensor) and any(
                    not bool((s[k] == leaf).all()) for s in per_sample[1:]):
                raise ValueError(f"vmap({_fname(func)}, ...): `{_fname(func)}` can not return a "
                                 "BatchedTensor when out_dim is None")
            out.append(leaf)
            continue
        if not isinstance(leaf, Tensor):
            raise ValueError(
                f"vmap({_fname(func)}, ...): `{_fname(func)}` must only return Tensors, got "
                f"type {type(leaf)}. Did you mean to set out_dims= to None for output?")
        if empty:
            d_norm = d % (leaf.dim() + 1) if -leaf.dim() - 1 <= d <= leaf.dim() else d
            shape = list(leaf.shape)
            shape.insert(d_norm, 0)
            out.append(leaf.detach().new_zeros(tuple(shape)))
            continue
        out.append(stack([s[k] for s in per_sample], dim=d))
    return tree_unflatten(out, spec)
