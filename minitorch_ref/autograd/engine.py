"""The backward pass: one walk over the recorded graph, in reverse topological order.

1. From the roots, count for every node how many edges point at it (its dependencies).
2. Keep a queue of nodes whose gradients are complete (no pending dependencies); like torch, take
   the most recently created one first.
3. Run the node's backward on its summed output gradients. For each edge, first *un-broadcast*
   the gradient (sum it back to the input's shape: a broadcast in forward is a sum in backward)
   and cast it to the input's dtype, then add it to the target node's buffer (in place when
   the engine alone holds the array there, as torch's input buffer), or, for a leaf, into
   ``leaf.grad`` (a leaf that several edges reach gets their sum, once).
4. Free each node's saved arrays after its backward unless ``retain_graph``.

Un-broadcasting lives here, once, so no op has to repeat it.

With ``create_graph`` the same walk carries Tensors instead of arrays, with grad mode on: each
node's backward runs through ``double_backward.graph_call`` (the same kernel, on GraphArray
values), and the sums, un-broadcasts, casts and ``.grad`` updates are recorded ops, so the
gradients it produces have a history of their own.
"""
from __future__ import annotations

import heapq
import re
import sys

import numpy as np

from .._cpu_math import REGISTER_BYTES
from .._numpy_errors import IGNORE as _NP_IGNORE, RUNNING as _running, STATE as _NP_STATE
from .._numpy_errors import as_user, running_tokens
from .._names import shape_str
from .._tensor import _new_tensor
from .function import Node, free_attrs, holds_tensor
from .grad_mode import _state
from . import anomaly_mode, double_backward

_F16 = np.dtype(np.float16)


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` down to ``shape``: over dims where ``shape`` has size 1 (kept as size 1),
    then over the leading dims that broadcasting added (dropped). The common case, a bias
    gradient, is one sum over the leading dims, giving a fresh array of the right shape.

    A float16 gradient is summed as torch's ``sum_to`` sums it: over all those dims at once,
    accumulated in float32 and rounded to float16 once (NumPy's float16 sum over a leading dim
    rounds after every row); over leading dims alone, in torch's order (``_sum_rows_f16``)."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    ones = tuple(i + lead for i, s in enumerate(shape) if s == 1 and grad.shape[i + lead] != 1)
    if grad.dtype == _F16:
        if ones or (lead and _prod(shape) < 2):
            total = np.add.reduce(grad, axis=tuple(range(lead)) + ones, dtype=np.float32,
                                  keepdims=True)
            grad = total.reshape(total.shape[lead:]).astype(_F16)
        elif lead:
            grad = _sum_rows_f16(grad.reshape(-1, _prod(shape))).astype(_F16).reshape(shape)
    else:
        if ones:
            grad = grad.sum(axis=ones, keepdims=True)
        if lead:  # np.add.reduce is ndarray.sum without its Python wrapper (same summation)
            grad = np.add.reduce(grad, axis=tuple(range(lead)))
    if grad.shape != shape:  # a backward that returned a wrong shape: a bug, never a silent sum
        grad = np.broadcast_to(grad, shape)
    return grad


def _prod(shape: tuple) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


# float16 lanes of one vector in torch's CPU sum kernel (32 with AVX-512, 16 with AVX2)
_LANES = REGISTER_BYTES // 2


def _sum_rows_f16(g: np.ndarray) -> np.ndarray:
    """``g.sum(0)`` of an (n, c) float16 array in float32, added in the order of torch's CPU
    ``cascade_sum`` (torch sums float16 in float32 too; the order decides the last bit).

    Columns in whole vectors of ``_LANES``: ``_cascade`` of all n rows. The remaining columns:
    rows split into 4 interleaved sets (rows k, k+4, ...; ``m = n // 4`` each), each summed by
    ``_cascade``, the last ``n - 4m`` rows added to the first set's sum, then
    ``s0 + s1 + s2 + s3`` in that order."""
    n, c = g.shape
    out = np.zeros(c, np.float32)
    v = c // _LANES * _LANES
    if n == 0:
        return out
    if v:
        out[:v] = _cascade(g[:, :v])
    if v < c:
        m = n // 4
        rest = g[:, v:]
        total = _cascade(rest[0:4 * m:4])
        for r in rest[4 * m:]:
            total = np.add(total, r, dtype=np.float32)
        for k in (1, 2, 3):
            total += _cascade(rest[k:4 * m:4])
        out[v:] = total
    return out


def _cascade(g: np.ndarray) -> np.ndarray:
    """torch's ``multi_row_sum`` down the rows of ``g`` (n, c), in float32: with
    ``b = 2**max(4, ceil(log2 n) // 4)``, the rows in blocks of b, each block added up in order
    from 0; the block sums added in order into level 1, whose total moves to level 2 (and is
    reset) after every b blocks, whose total moves to level 3 after every b of those. The
    result is ``((tail + level1) + level2) + level3``, tail being the last ``n mod b`` rows
    added in order. (A loop over the b rows of a block, each step a whole-array add.)"""
    n, c = g.shape
    b = 1 << max(4, (n - 1).bit_length() // 4 if n > 1 else 0)
    full = n // b * b
    items = _in_order(g[:full].reshape(full // b, b, c).transpose(1, 0, 2), (full // b, c))
    total = _in_order(g[full:], (c,))  # the tail
    for _ in (1, 2):
        k = items.shape[0] // b * b
        total += _in_order(items[k:], (c,))
        items = _in_order(items[:k].reshape(k // b, b, c).transpose(1, 0, 2), (k // b, c))
    total += _in_order(items, (c,))
    return total


def _in_order(rows: np.ndarray, shape: tuple) -> np.ndarray:
    """``((0 + rows[0]) + rows[1]) + ...`` in float32 (NumPy's own sum may pair them up)."""
    total = np.zeros(shape, np.float32)
    for r in rows:
        np.add(total, r, out=total, dtype=np.float32)
    return total


def _collect(roots: list) -> tuple[dict, list, dict]:
    """Dependencies of every node reachable from ``roots``, the nodes in DFS order, and for each
    leaf with hooks or with more than one edge into it ``id -> [edges into it, gradient so far,
    in-place adds so far]``: its hooks, and its ``.grad``, must see the sum of all its gradients
    once, as torch's AccumulateGrad node does (one accumulation: one version bump)."""
    deps: dict = {}
    order = []
    seen_leaves = set()
    hooked: dict = {}
    stack = list(roots)
    seen = set(stack)
    while stack:
        node = stack.pop()
        order.append(node)
        for e in node._edges:
            if e is None:
                continue
            tgt = e[0]
            if isinstance(tgt, Node):
                deps[tgt] = deps.get(tgt, 0) + 1
                if tgt not in seen:
                    seen.add(tgt)
                    stack.append(tgt)
            elif id(tgt) not in seen_leaves:
                seen_leaves.add(id(tgt))
                if tgt._hooks or tgt._post_acc_hooks:
                    hooked[id(tgt)] = [1, None, 0]
            else:
                entry = hooked.get(id(tgt))
                if entry is None:
                    hooked[id(tgt)] = [2, None, 0]
                else:
                    entry[0] += 1
    return deps, order, hooked


def _sum_for_hooked_leaf(hooked: dict, leaf, g, handed_out: set, results: tuple):
    """Collect one gradient of a leaf with hooks or several edges; the total once the last one
    arrives (None before, or when every one was None). The sum is formed as torch's input
    buffer forms it: added in place into the gradient so far when the engine alone holds it
    (``_owned``; counted, since that bumps the version torch's stolen ``.grad`` shows), else out
    of place."""
    entry = hooked[id(leaf)]
    if g is not None:
        if entry[1] is None:
            entry[1] = g
        elif _owned(entry[1], g, handed_out, results):
            np.add(entry[1], g, out=entry[1])
            entry[2] += 1
        else:
            entry[1] = entry[1] + g
            entry[2] = 0
    entry[0] -= 1
    return entry[1] if entry[0] == 0 else None


def _needed(order: list, input_nodes: set, input_leaves: set) -> set:
    """Nodes whose backward leads to a requested input (``autograd.grad`` skips the rest). The
    node that made a non-leaf input is not run for that input's sake: its gradient is captured
    before the node, as torch does."""
    needed = set()
    changed = True
    while changed:  # the graph is small: iterate to a fixed point over the DFS order
        changed = False
        for node in reversed(order):
            if node in needed:
                continue
            if any(e is not None and ((isinstance(e[0], Node)
                                       and (e[0] in needed or e[0] in input_nodes))
                                      or (not isinstance(e[0], Node)
                                          and id(e[0]) in input_leaves))
                   for e in node._edges):
                needed.add(node)
                changed = True
    return needed


def _call_tensor_hooks(hooks, grad):
    """Run a tensor's hooks on its gradient (an array; a Tensor under create_graph)."""
    graph = type(grad) is not np.ndarray and hasattr(grad, "_data")
    for hook in tuple(hooks.values()):
        r = as_user(hook, grad if graph else _new_tensor(grad))
        if r is not None:
            grad = r if graph else (r._data if hasattr(r, "_data") else np.asarray(r))
    return grad


def _as_tensors(grads, graph: bool) -> tuple:
    return tuple(g if g is None or graph else _new_tensor(np.asarray(g)) for g in grads)


def _hook_result(hook, result, expected: int, graph: bool) -> list:
    """A node hook's returned gradients, checked as torch checks them, back as arrays (Tensors
    under create_graph)."""
    if not isinstance(result, tuple):
        raise TypeError(f"expected tuple, but hook returned '{type(result).__name__}'")
    if len(result) != expected:
        name = getattr(hook, "__name__", type(hook).__name__)
        raise RuntimeError(f"hook '{name}' has returned an incorrect number of values "
                           f"(got {len(result)}, but expected {expected})")
    return [g if g is None or graph else getattr(g, "_data", g) for g in result]


def _call_node_hooks(node, results: tuple, out_grads: list, graph: bool) -> tuple:
    """torch's ``Node.register_hook``: ``hook(grad_inputs, grad_outputs)`` sees Tensors, one per
    input the node lists (``next_functions``), each shaped as its input; a returned tuple
    replaces those grad_inputs."""
    results = list(results)
    for i, (e, g) in enumerate(zip(node._edges, results)):
        if g is not None and e is not None:
            results[i] = double_backward.fit(g, e[2], e[3]) if graph else _fit(g, e[2], e[3])
    listed = range(len(results)) if node._listed is None else node._listed
    shown = [results[i] for i in listed]
    for hook in tuple(node._hooks.values()):
        r = as_user(hook, _as_tensors(shown, graph), _as_tensors(out_grads, graph))
        if r is not None:
            shown = _hook_result(hook, r, len(shown), graph)
    for i, g in zip(listed, shown):
        results[i] = g
    return tuple(results)


def _call_node_pre_hooks(node, out_grads: list, graph: bool) -> list:
    """torch's ``Node.register_prehook``: ``hook(grad_outputs)`` before the node's backward; a
    returned tuple replaces the grad_outputs."""
    for hook in tuple(node._node_pre_hooks.values()):
        r = as_user(hook, _as_tensors(out_grads, graph))
        if r is not None:
            out_grads = _hook_result(hook, r, len(out_grads), graph)
    return out_grads


def _fit(g, shape: tuple, dtype) -> np.ndarray:
    """A gradient as its input's shape and dtype (summing broadcast dims)."""
    if type(g) is not np.ndarray:
        g = np.asarray(g, dtype=dtype)
    if g.shape != shape:
        g = unbroadcast(g, shape)
    if g.dtype != dtype:
        g = g.astype(dtype)
    return g


def _accumulate_leaf(leaf, g: np.ndarray, handed_out: set, adds: int = 0) -> None:
    """AccumulateGrad: ``leaf.grad = leaf.grad + g``.

    Nothing is modified in place during backward, so one array may safely feed several buffers.
    A fresh array becomes ``.grad`` as it is; a view, or an array already given to another leaf
    (or passed in by the caller), is copied first, so that no two ``.grad`` tensors share memory
    and a later in-place change to one (``clip_grad_norm_``, ``zero_()``) cannot leak. A
    contiguous view whose owner nothing else references (``TBackward0``'s transpose of a fresh
    weight gradient) counts as fresh: torch's AccumulateGrad steals a gradient on the same
    use-count rule (``_unshared_view``).

    A later gradient is added into the existing ``.grad`` in place (``grad += g``), as torch's
    AccumulateGrad does outside grad mode: the ``.grad`` Tensor stays the same object, and a
    view or ``.numpy()`` the caller kept sees the sum, as does the base of a view the caller
    assigned (``p.grad = big[0]`` writes into ``big``); an expanded ``.grad`` raises torch's
    overlap error. One exception keeps a stolen array safe: a ``.grad`` taken over during this
    backward may still sit in another node's buffer, so it is added into in place only when
    nothing else references it (``_refs``), else replaced by a new array (torch clones at the
    steal instead, when the gradient has other users). Its version goes up either way.

    ``adds``: how many gradients were added in place into ``g`` before (a leaf's several
    gradients, summed first): a new ``.grad`` that takes ``g`` over shows that version, as
    torch's stolen input buffer does; a copy starts at 0."""
    if leaf._hooks:
        g = _call_tensor_hooks(leaf._hooks, g)
    if type(g) is not np.ndarray:  # a 0-d sum in a buffer can be a NumPy scalar
        g = np.asarray(g)
    existing = leaf._grad
    if existing is None:
        if id(g) in handed_out or not g.flags.writeable or (
                g.base is not None and not (g.flags.c_contiguous and _unshared_view(g))):
            g = g.copy()
            adds = 0
        handed_out.add(id(g))
        leaf._grad = _new_tensor(g)
        if adds:
            leaf._grad._vc = [adds]
    else:
        # same Tensor object, as torch's in-place +=; np.add(out=) keeps 0-d results arrays
        # (a 0-d ``a + b`` is a read-only NumPy scalar, which later in-place ops would reject)
        data = existing._data
        if id(data) not in handed_out or (
                _refs(data) == _SOLE_REFS and (data.base is None or _unshared_view(data))):
            if not data.flags.writeable:  # an expanded .grad (np.broadcast_to: read-only)
                raise RuntimeError(
                    "unsupported operation: more than one element of the written-to tensor "
                    "refers to a single memory location. Please clone() the tensor before "
                    "performing the operation.")
            np.add(data, g, out=data)
        else:
            existing._data = np.add(data, g, out=np.empty_like(data))
        existing._bump_version()
    if leaf._post_acc_hooks:
        for hook in tuple(leaf._post_acc_hooks.values()):
            as_user(hook, leaf)


def _probe_unshared_refs() -> int:
    """``sys.getrefcount`` of a view's owner that only the view references: 2 on CPython 3.11
    (the view's reference and the call's argument); measured once, so that an interpreter that
    counts stack references differently makes the check stricter, never looser."""
    view = np.empty(2)[:]
    return sys.getrefcount(view.base)


_UNSHARED_REFS = _probe_unshared_refs()


def _unshared_view(g: np.ndarray) -> bool:
    """A view of an ndarray that no other object references (see ``_accumulate_leaf``)."""
    return type(g.base) is np.ndarray and sys.getrefcount(g.base) == _UNSHARED_REFS


def _refs(data: np.ndarray) -> int:
    return sys.getrefcount(data)


def _probe_sole_refs() -> int:
    """``_refs`` of an array that only one Tensor holds, read from a local name as
    ``_accumulate_leaf`` reads it (the Tensor, the name, the argument, getrefcount's own)."""
    t = _new_tensor(np.empty(2))
    data = t._data
    return _refs(data)


_SOLE_REFS = _probe_sole_refs()


def _owned(a, g, handed_out: set, results: tuple) -> bool:
    """Whether the engine alone holds the gradient ``a`` (read from one list slot: a node's
    buffer, or a leaf's sum so far), so that the next gradient ``g`` may be added into it in
    place, as torch's input buffer does when it holds the last reference: an ndarray that
    owns its memory, or a contiguous view of an owner that nothing else references (as
    ``.grad`` takes one over, ``_unshared_view``), writeable (not a broadcast), not the
    caller's, not ``g`` itself, and referenced by nothing but that slot and the running node's
    ``results`` (the gradients it is handing out, ``a`` among them when one node reaches this
    place twice), so no view of it, no saved tensor, no other buffer and no Tensor a hook kept
    can see the change."""
    return (type(a) is np.ndarray and a.flags.writeable and a is not g
            and id(a) not in handed_out
            and _refs(a) == _OWNED_REFS + sum(r is a for r in results)
            and (a.base is None or (a.flags.c_contiguous and _unshared_view(a))))


def _owned_refs(a, g, handed_out: set, results: tuple) -> int:
    return _refs(a)


def _probe_owned_refs() -> int:
    """``_refs`` inside ``_owned`` of an array that only one list slot holds."""
    buf = [np.empty(2)]
    return _owned_refs(buf[0], None, set(), ())


_OWNED_REFS = _probe_owned_refs()


def run_backward(roots, grads, retain_graph: bool, inputs=None, accumulate: bool = True,
                 create_graph: bool = False):
    """Backpropagate ``grads`` (arrays; Tensors with ``create_graph``) from ``roots`` (Tensors).

    With ``accumulate`` (``Tensor.backward``), leaf gradients go into ``.grad``; restricted to
    ``inputs`` when given. Without it (``autograd.grad``), the gradients of ``inputs`` are
    returned instead, and ``.grad`` is left untouched.
    """
    # floating-point edge cases silent for the whole pass (_numpy_errors.quiet, inlined)
    prev_mode = _state.enabled
    np_token = _NP_STATE.set(_NP_IGNORE)
    try:
        running = _running.tokens
    except AttributeError:  # (the first pass in this thread)
        running = running_tokens()
    running.append(np_token)  # (as_user's record: this pass's caller state)
    try:
        if create_graph:
            accumulate_leaf = double_backward.accumulate_leaf
            retain = double_backward.retain
        handed_out = set(map(id, grads))  # the caller's arrays: never stored as anyone's .grad
        buffers: dict = {}
        captured: dict = {}
        input_ids = None
        input_nodes: dict = {}
        if inputs is not None:
            input_ids = {id(t) for t in inputs if t.grad_fn is None}
            for t in inputs:
                if t.grad_fn is not None:
                    input_nodes.setdefault(t.grad_fn, []).append(t)

        root_nodes = []
        for t, g in zip(roots, grads):
            if t.grad_fn is None:  # a leaf root: its gradient is the seed itself
                if accumulate and (input_ids is None or id(t) in input_ids):
                    if create_graph:
                        accumulate_leaf(t, g)
                    else:
                        _accumulate_leaf(t, g, handed_out)
                elif not accumulate:
                    captured[id(t)] = captured[id(t)] + g if id(t) in captured else g
                continue
            node = t.grad_fn
            buf = buffers.get(node)
            if buf is None:
                buf = buffers[node] = [None] * node._n_outputs
            nr = t._output_nr
            buf[nr] = g if buf[nr] is None else buf[nr] + g
            if node not in root_nodes:
                root_nodes.append(node)

        deps, order, hooked = _collect(root_nodes)
        needed = None
        if inputs is not None:
            needed = _needed(order, set(input_nodes), input_ids)
        ready = []
        for n in root_nodes:  # (a loop, not a comprehension: one frame less per pass)
            if n not in deps:
                ready.append((-n._seq, n))
        heapq.heapify(ready)
        # How a node runs when not the plain way, chosen once per backward call
        call = _graph_call if create_graph else None
        if anomaly_mode._state.enabled:
            call = anomaly_mode.checked_call(call or _plain_call)
        _state.enabled = create_graph  # the backward pass records a graph only for create_graph
        while ready:
            node = heapq.heappop(ready)[1]
            out_grads = buffers.pop(node, None) or [None] * node._n_outputs
            if node._pre_hooks:
                for nr, hooks in node._pre_hooks.items():
                    if out_grads[nr] is not None:
                        out_grads[nr] = _call_tensor_hooks(hooks, out_grads[nr])
            if node._node_pre_hooks:
                out_grads = _call_node_pre_hooks(node, out_grads, create_graph)
            if node._retained:
                for nr, ref in node._retained.items():
                    t = ref()
                    if t is not None and out_grads[nr] is not None:
                        if create_graph:
                            retain(t, out_grads[nr])
                        else:
                            _retain(t, out_grads[nr])
            if node in input_nodes:
                for t in input_nodes[node]:
                    g = out_grads[t._output_nr]
                    if g is not None:
                        captured[id(t)] = g
            if len(out_grads) == 1:
                run = out_grads[0] is not None
            else:
                # not list.count(None): that compares arrays with ==
                run = any(g is not None for g in out_grads)
            if run and (needed is None or node in needed):
                if call is not None:  # create_graph or anomaly mode
                    results = call(node, out_grads)
                else:
                    fn = node._fn
                    if fn._tensor_level:
                        results = fn._engine_backward(node, out_grads)
                    else:
                        try:
                            results = fn.backward(node, *out_grads)
                        except ValueError as e:
                            raise _backward_error(e) from None
                        if type(results) is not tuple:
                            results = (results,)
                    if node._hooks:
                        results = _call_node_hooks(node, results, out_grads, False)
            else:
                results = (None,) * len(node._edges)
            # drop this node's upstream gradients (its buffer list, which ``buf`` may still
            # name) before handing out results: a view of one of them then holds its owner
            # alone and can become a leaf's .grad without a copy (_accumulate_leaf)
            out_grads = buf = None
            for e, g in zip(node._edges, results):
                if e is None:
                    continue
                target = e[0]
                if g is not None:
                    if create_graph:
                        g = double_backward.fit(g, e[2], e[3])
                    elif type(g) is not np.ndarray or g.shape != e[2] or g.dtype != e[3]:
                        try:
                            g = _fit(g, e[2], e[3])
                        except ValueError:
                            raise _invalid_gradient(node, e, g) from None
                if isinstance(target, Node):
                    if g is not None:
                        buf = buffers.get(target)
                        if buf is None:
                            buf = buffers[target] = [None] * target._n_outputs
                        nr = e[1]
                        if buf[nr] is None:
                            buf[nr] = g
                        elif _owned(buf[nr], g, handed_out, results):  # as torch's buffer
                            np.add(buf[nr], g, out=buf[nr])
                        else:
                            buf[nr] = buf[nr] + g
                    left = deps[target] - 1
                    deps[target] = left
                    if left == 0:
                        heapq.heappush(ready, (-target._seq, target))
                else:
                    adds = 0
                    if hooked and id(target) in hooked:
                        g = _sum_for_hooked_leaf(hooked, target, g, handed_out, results)
                        if g is not None and not accumulate and id(target) in input_ids:
                            g = _call_tensor_hooks(target._hooks, g) if target._hooks else g
                        adds = hooked[id(target)][2]
                    if g is None:
                        continue
                    if accumulate:
                        if input_ids is None or id(target) in input_ids:
                            if create_graph:
                                accumulate_leaf(target, g)
                            else:
                                _accumulate_leaf(target, g, handed_out, adds)
                    elif id(target) in input_ids:
                        k = id(target)
                        captured[k] = captured[k] + g if k in captured else g
            # Node._free, inlined; a node autograd.grad skipped keeps its saved values, and
            # one that saved no tensor keeps its numbers. An array saved first answers
            # holds_tensor without the call (the fused nodes, whose answer _holds_tensor
            # fixes, save Tensors, never arrays)
            if not retain_graph:
                saved = node._to_save
                if saved is not None and (needed is None or node in needed) and (
                        (saved and type(saved[0]) is np.ndarray) or holds_tensor(node)):
                    node._to_save = node._saved_checks = node._inputs = None
                    node._freed = True
                elif node._saved_attrs and (needed is None or node in needed):
                    free_attrs(node)
    finally:
        _state.enabled = prev_mode
        running.pop()
        _NP_STATE.reset(np_token)
    if anomaly_mode._stacks and not retain_graph:  # the forward stacks of the nodes it freed
        anomaly_mode.forget([n for n in order if needed is None or n in needed])
    return captured


def _backward_error(e: ValueError) -> Exception:
    """torch's error where a node's NumPy backward found two operands that do not broadcast
    (a saved input's ``.data`` replaced by one of another shape, see ``Node.saved_tensors``):
    the RuntimeError naming the sizes and the dimension. Other errors stay NumPy's."""
    m = re.fullmatch(r"operands could not be broadcast together with shapes "
                     r"\(([\d,]*)\) \(([\d,]*)\)\s*", str(e))
    if m is None:
        return e
    from .._ops._util import broadcast_shapes_or_raise
    try:
        broadcast_shapes_or_raise(*(tuple(int(n) for n in s.split(",") if n)
                                    for s in m.groups()))
    except RuntimeError as error:
        return error
    return e


def _invalid_gradient(node, edge: tuple, g) -> RuntimeError:
    """torch's validate_outputs error: a gradient that does not sum down to its input's shape
    (after a saved input's ``.data`` was replaced by one of another shape). The index counts
    the inputs torch's node lists (``next_functions``)."""
    i = next(k for k, e in enumerate(node._edges) if e is edge)
    listed = node._listed
    if listed is not None and i in listed:
        i = list(listed).index(i)
    return RuntimeError(
        f"Function {node.name()} returned an invalid gradient at index {i} - got "
        f"{shape_str(np.shape(g))} but expected shape compatible with {shape_str(edge[2])}")


def _plain_call(node, out_grads: list) -> tuple:
    """A node's backward and its hooks, as the engine's loop runs them."""
    fn = node._fn
    if fn._tensor_level:
        results = fn._engine_backward(node, out_grads)
    else:
        try:
            results = fn.backward(node, *out_grads)
        except ValueError as e:
            raise _backward_error(e) from None
        if type(results) is not tuple:
            results = (results,)
    if node._hooks:
        results = _call_node_hooks(node, results, out_grads, False)
    return results


def _graph_call(node, out_grads: list) -> tuple:
    """The same under ``create_graph``: the backward recorded as a graph."""
    results = double_backward.graph_call(node, out_grads)
    if node._hooks:
        results = _call_node_hooks(node, results, out_grads, True)
    return results


def _retain(t, g: np.ndarray) -> None:
    """``retain_grad``'s accumulation: a new ``.grad`` Tensor each time (a leaf's is updated in
    place, a retained one is replaced, as in torch)."""
    if t._grad is None:
        t._grad = _new_tensor(g.copy())
    else:
        t._grad = _new_tensor(np.add(t._grad._data, g, out=np.empty_like(t._grad._data)))
