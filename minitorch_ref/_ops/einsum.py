"""``einsum``: Einstein summation over labelled dims, with torch's checks of the equation and
the operands' shapes (and its messages).

The kernel reads top to bottom: the math in the docstring, ``forward`` beside ``backward``, both
on ndarrays; ``g`` is the gradient flowing in, dL/d out. Then the equation parser and checks, then
the public function.
"""
from __future__ import annotations

import numpy as np

from .._dtype import result_np_dtype
from .._names import scalar_type_name
from ..autograd.function import ArrayFunction
from ._half import half_einsum
from ._util import new_zeros

__all__ = ["einsum"]


class Einsum(ArrayFunction):
    """out = einsum(equation, *operands).
    dL/d operand_k = einsum of g with every other operand, written to operand_k's subscripts
    (indices that appear only in operand_k were summed in forward: g is broadcast over them;
    a repeated index in operand_k (a diagonal) gets g on that diagonal only)."""

    _backward_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, equation, *ops):
        ins, out = _parse_einsum(equation, [o.ndim for o in ops])
        dt = _einsum_dtype(ins, out, ops)
        ops = tuple(o.astype(dt, copy=False) for o in ops)
        if len(ops) > 1:  # an operand's gradient reads the other operands, never its own
            ctx.save_for_backward(*ops)
            # torch's node reads the permuted and reshaped views it multiplied
            ctx._kept_on_rebind = tuple(range(len(ops)))
        ctx.ins, ctx.out, ctx.shapes = ins, out, tuple(o.shape for o in ops)
        if dt == np.float16 and all(type(o) is np.ndarray for o in ops):
            return half_einsum(ins, out, ops)
        return np.asarray(np.einsum(f"{','.join(ins)}->{out}", *ops, optimize=len(ops) > 2))

    @staticmethod
    def backward(ctx, g):
        ops = ctx.saved_tensors if len(ctx.ins) > 1 else (None,)
        grads = [None]
        for k, sub in enumerate(ctx.ins):
            if not ctx.needs_input_grad[k + 1]:
                grads.append(None)
                continue
            others = [(s, o) for j, (s, o) in enumerate(zip(ctx.ins, ops)) if j != k]
            have = set(ctx.out).union(*[set(s) for s, _ in others])
            target = "".join(dict.fromkeys(c for c in sub if c in have))  # unique, in order
            terms = [ctx.out] + [s for s, _ in others]
            spec, args = f"{','.join(terms)}->{target}", (g, *[o for _, o in others])
            if g.dtype == np.float16 and type(g) is np.ndarray:  # in float32, rounded once
                gk = np.einsum(spec, *(x.astype(np.float32) for x in args),
                               optimize=len(terms) > 2).astype(np.float16)
            else:
                gk = np.einsum(spec, *args, optimize=len(terms) > 2)
            sizes: dict = {}
            for s, shape in zip(ctx.ins, ctx.shapes):
                for c, n in zip(s, shape):
                    sizes[c] = max(sizes.get(c, 1), n)
            full = "".join(dict.fromkeys(sub))
            # broadcast over indices that only operand k had (summed out in forward)
            gk = np.expand_dims(gk, [i for i, c in enumerate(full) if c not in target]) \
                if len(full) != len(target) else gk
            gk = np.broadcast_to(gk, [sizes[c] for c in full])
            if len(full) != len(sub):  # a repeated index: place g on the diagonal
                # res[i, i] = gk[i] for "ii": each position of sub is indexed by its letter's
                # coordinate in gk, an index that broadcasts over gk's shape
                grid = np.indices(gk.shape, sparse=True)
                res = new_zeros(g, ctx.shapes[k])
                res[tuple(grid[full.index(c)] for c in sub)] = gk
                gk = res
            grads.append(gk)
        return tuple(grads)


def _einsum_dtype(ins: list, out: str, ops: tuple) -> np.dtype:
    """The result dtype torch's evaluation order gives, and its errors. torch first sums each
    operand over the labels no other operand and not the output has (``sum``: bool and integers
    become int64), then joins the operands left to right: a join that contracts a label is a
    ``bmm``, which takes no bool and no mixed dtypes (an empty operand skips it, giving the right
    operand's dtype); a join that contracts nothing is a broadcast ``mul`` (type promotion)."""
    sizes = [dict(zip(sub, o.shape)) for sub, o in zip(ins, ops)]
    dts = [o.dtype for o in ops]
    for k, sub in enumerate(sizes):
        elsewhere = set(out).union(*[set(s) for j, s in enumerate(ins) if j != k])
        summed = [c for c in sub if c not in elsewhere]
        if summed:
            dts[k] = np.dtype(np.int64) if dts[k].kind in "biu" else dts[k]
            sizes[k] = {c: n for c, n in sub.items() if c not in summed}
    left, dt = sizes[0], dts[0]
    for k in range(1, len(ops)):
        right, rdt = sizes[k], dts[k]
        later = set(out).union(*[set(s) for s in ins[k + 1:]])
        empty = 0 in left.values() or 0 in right.values()
        if any(c in right and c not in later for c in left):  # a bmm
            if empty:
                dt = rdt
            elif dt == np.bool_:
                raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
            elif rdt != dt:
                raise RuntimeError(f"expected scalar type {scalar_type_name(dt)} but found "
                                   f"{scalar_type_name(rdt)}")
        else:
            dt = result_np_dtype(np.empty(0, dt), np.empty(0, rdt))
        joined = {**left, **right}
        left = {c: 0 if 0 in (left.get(c), right.get(c)) else n
                for c, n in joined.items() if c in later}
    return dt


def _parse_einsum(equation: str, ndims: list) -> tuple:
    """Subscripts per operand and for the output, with ``...`` expanded to letters."""
    eq = equation.replace(" ", "")
    lhs, _, rhs = eq.partition("->")
    ins = lhs.split(",")
    if len(ins) != len(ndims):
        raise ValueError(
            "einsum(): more operands were provided than specified in the equation"
            if len(ndims) > len(ins) else
            "einsum(): fewer operands were provided than specified in the equation")
    used = set(c for c in eq if c.isalpha())
    spare = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" if c not in used]
    n_ell = max([n - len(s.replace("...", "")) for s, n in zip(ins, ndims) if "..." in s],
                default=0)
    ell = "".join(spare[:n_ell])
    ins = [s.replace("...", ell[n_ell - (n - len(s.replace("...", ""))):]) for s, n in
           zip(ins, ndims)]
    if "->" in eq:
        out = rhs.replace("...", ell)
    else:
        counts = {}
        for s in ins:
            for c in s:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, k in counts.items() if k == 1 and c not in ell))
    return ins, out


def _einsum_labels(part: str, offset: int, where: str) -> list:
    """The subscripts of one side of the equation, ``'...'`` as one item; torch's checks and
    messages (``offset``: where ``part`` starts in the equation, for the index in them)."""
    labels, found_ell, i = [], False, 0
    while i < len(part):
        c = part[i]
        if c == ".":
            if found_ell:
                raise RuntimeError(f"einsum(): found '.' for {where}" + (
                    " but an ellipsis (...) was already found" if where == "output"
                    else " for which an ellipsis was already found"))
            if part[i + 1:i + 3] != "..":
                raise RuntimeError(f"einsum(): found '.' for {where} that is not part of any "
                                   "ellipsis" + (" (...)" if where == "output" else ""))
            labels.append("...")
            found_ell, i = True, i + 2
        elif c != " ":
            if not (c.isascii() and c.isalpha()):
                raise RuntimeError(f"einsum(): invalid subscript given at index {offset + i} in "
                                   "the equation string, subscripts must be in [a-zA-Z]")
            labels.append(c)
        i += 1
    return labels


def _check_einsum(equation: str, shapes: list) -> None:
    """torch's validation of an einsum call, in torch's order and words (NumPy's own errors
    are ValueErrors with other texts, and NumPy refuses size-1 broadcasting that torch does)."""
    lhs, arrow, rhs = equation.partition("->")
    parts = lhs.split(",")
    ops, start = [], 0
    for k, part in enumerate(parts):
        if k >= len(shapes):
            raise RuntimeError("einsum(): fewer operands were provided than specified in the "
                               "equation")
        ops.append(_einsum_labels(part, start, f"operand {k}"))
        start += len(part) + 1
    if len(parts) != len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    for k, (labels, shape) in enumerate(zip(ops, shapes)):
        n = len(labels) - ("..." in labels)
        if "..." in labels and n > len(shape):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({n}) is more "
                               f"than the number of dimensions ({len(shape)}) for operand {k}")
        if "..." not in labels and n != len(shape):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({n}) does "
                               f"not match the number of dimensions ({len(shape)}) for operand "
                               f"{k} and no ellipsis was given")
    if arrow:
        seen = set()
        used = {c for labels in ops for c in labels}
        for c in _einsum_labels(rhs, len(lhs) + 2, "output"):
            if c != "..." and (c in seen or c not in used):
                raise RuntimeError(f"einsum(): output subscript {c} " + (
                    "appears more than once in the output" if c in seen
                    else "does not appear in the equation for any input operand"))
            seen.add(c)
    sizes: dict = {}
    ell: list = []  # sizes seen under the ellipsis, right-aligned
    for k, (labels, shape) in enumerate(zip(ops, shapes)):
        own: dict = {}
        dim = 0
        for c in labels:
            if c == "...":
                covered = shape[dim:dim + len(shape) - len(labels) + 1]
                while len(ell) < len(covered):
                    ell.insert(0, 1)
                for j, n in enumerate(covered):
                    pos = len(ell) - len(covered) + j
                    if n != 1 and ell[pos] not in (1, n):
                        raise RuntimeError(
                            f"einsum(): dimension {j} covered by ellipsis in operand {k}has "
                            f"size {n} which does not broadcast with previously seen ellipsis "
                            f"with size {ell[pos]} for the respective dimension")
                    if ell[pos] == 1:
                        ell[pos] = n
                dim += len(covered)
                continue
            n = shape[dim]
            if c in own and own[c] != n:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {k} but the "
                                   f"sizes don't match, {n} != {own[c]}")
            own[c] = n
            if n != 1 and sizes.get(c, 1) not in (1, n):
                raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {k} which "
                                   f"does not broadcast with previously seen size {sizes[c]}")
            if sizes.get(c, 1) == 1:
                sizes[c] = n
            dim += 1


def einsum(equation: str, *operands):
    """Einstein summation, e.g. ``einsum('bij,bjk->bik', a, b)``."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise ValueError("einsum(): must specify the equation string and at least one operand, "
                         "or at least one operand and its subscripts list")
    _check_einsum(equation, [getattr(o, "shape", ()) for o in operands])
    if len(operands) > 2 and all(o._data.dtype == np.float16 for o in operands):
        return _half_joins(*_parse_einsum(equation, [o.dim() for o in operands]), operands)
    return Einsum.apply(equation, *operands)


def _half_joins(ins: list, out: str, operands: tuple):
    """float16 with three or more operands as torch evaluates it (``half_einsum``): one
    einsum per step, so that each intermediate, and its gradient, is rounded to float16."""
    xs = []
    for k, (sub, x) in enumerate(zip(ins, operands)):
        others = set(out).union(*[set(s) for j, s in enumerate(ins) if j != k])
        mine = "".join(dict.fromkeys(c for c in sub if c in others))
        xs.append((mine, Einsum.apply(f"{sub}->{mine}", x) if len(mine) < len(sub) else x))
    labels, x = xs[0]
    for k in range(1, len(xs)):
        sub, y = xs[k]
        later = set(out).union(*map(set, ins[k + 1:]))
        target = out if k == len(xs) - 1 else \
            "".join(dict.fromkeys(c for c in labels + sub if c in later))
        x, labels = Einsum.apply(f"{labels},{sub}->{target}", x, y), target
    return x
