"""The engine's ``create_graph=True`` steps: a node's backward recorded as a graph.

``graph_call(node, grads)`` runs the node's own backward kernel (the ndarray code next to its
forward) on GraphArray values, so that every NumPy call in it is recorded (graph_array.py). What
the kernel reads must then be connected to the graph too:

* the incoming gradients: Tensors, wrapped;
* saved arrays that are an input's or an output's data: that input Tensor, or the output itself
  (a Tensor whose ``grad_fn`` is this node), as torch's formulas refer to ``self`` and
  ``result``;
* saved float arrays computed inside the forward (softmax's probabilities, a normalized input,
  im2col columns): functions of the inputs that only the forward can recompute. Such a node kept
  its arguments (``Node._inputs``, see ``function._track_saved``); its forward is replayed on
  GraphArray inputs into a fresh ctx, whose saved values are then recorded ones.

Anything else a backward reads from its ctx must be a constant: metadata (shapes, dims, flags),
integer or bool arrays (indices, masks), or an array passed to the forward as an argument (a
dropout mask). A float array set as a ctx attribute could be a function of the inputs that the
mechanism cannot see: ``graph_call`` refuses it rather than treat it as a constant.

Where torch computes an op's backward with one function of its own (``tanh_backward``,
``_softmax_backward_data``, ...), the gradient's ``grad_fn`` there is that function's node
(``TanhBackwardBackward0``). ``FUSED_NAMES`` lists them: the recorded backward of such an op is
presented as one node of torch's name, whose own backward differentiates the recorded subgraph
(a nested engine call, with create_graph again for the next order).
"""
from __future__ import annotations

import numpy as np

from .._numpy_errors import as_user
from .._tensor import Tensor, _new_tensor
from .function import ArrayFunction, Node, _FunctionBase, _sequence
from .graph_array import GraphArray, current_op, unwrap, wrap

__all__ = ["graph_call", "fit", "accumulate_leaf", "retain", "FUSED_NAMES"]

# forward node -> torch's node for the gradient its backward computes, where torch's backward is
# one function of its own
FUSED_NAMES = {
    "SoftmaxBackward0": "SoftmaxBackwardDataBackward0",
    "LogSoftmaxBackward0": "LogSoftmaxBackwardDataBackward0",
    "SelectBackward0": "SelectBackwardBackward0",
    "SliceBackward0": "SliceBackwardBackward0",
    "NarrowCopyBackward0": "SliceBackwardBackward0",
    "Rot90Backward0": "Rot90Backward0",
    "UnfoldBackward0": "UnfoldBackwardBackward0",
    "DiagonalBackward0": "DiagonalBackwardBackward0",
    "DiagonalBackward0_copy": "DiagonalBackwardBackward0",
    "MseLossBackward0": "MseLossBackwardBackward0",
    "HuberLossBackward0": "HuberLossBackwardBackward0",
    "SmoothL1LossBackward0": "SmoothL1LossBackwardBackward0",
    "SoftMarginLossBackward0": "SoftMarginLossBackwardBackward0",
    "NativeBatchNormBackward0": "NativeBatchNormBackwardBackward0",
    "NativeLayerNormBackward0": "NativeLayerNormBackwardBackward0",
    "ConvolutionBackward0": "ConvolutionBackwardBackward0",
    "MaxPool2DWithIndicesBackward0": "MaxPool2DWithIndicesBackwardBackward0",
    "MaxPool3DWithIndicesBackward0": "MaxPool3DWithIndicesBackwardBackward0",
    "AvgPool2DBackward0": "AvgPool2DBackwardBackward0",
    "AvgPool3DBackward0": "AvgPool3DBackwardBackward0",
    "AdaptiveAvgPool2DBackward0": "AdaptiveAvgPool2DBackwardBackward0",
    "AdaptiveAvgPool3DBackward0": "AdaptiveAvgPool3DBackwardBackward0",
    "AdaptiveMaxPool2DBackward0": "AdaptiveMaxPool2DBackwardBackward0",
    "AdaptiveMaxPool3DBackward0": "AdaptiveMaxPool3DBackwardBackward0",
    "ReflectionPad1DBackward0": "ReflectionPad1DBackwardBackward0",
    "ReflectionPad2DBackward0": "ReflectionPad2DBackwardBackward0",
    "ReflectionPad3DBackward0": "ReflectionPad3DBackwardBackward0",
    "ReplicationPad1DBackward0": "ReplicationPad1DBackwardBackward0",
    "ReplicationPad2DBackward0": "ReplicationPad2DBackwardBackward0",
    "ReplicationPad3DBackward0": "ReplicationPad3DBackwardBackward0",
    "EmbeddingBackward0": "EmbeddingDenseBackwardBackward0",
    "NllLossBackward0": "NllLossBackwardBackward0",
}

# fused backwards torch computes with a function that also takes the forward's input ``self``
# (max_pool2d_with_indices_backward(grad, self, ..., indices), avg_pool2d_backward(grad, self,
# ...)): their node has an edge to ``self`` even where the backward reads only indices or
# shapes, with derivative 0 there (torch's ``self: zeros_like(self)``)
FUSED_TAKES_SELF = frozenset((
    "MaxPool2DWithIndicesBackward0", "MaxPool3DWithIndicesBackward0", "AvgPool2DBackward0",
    "AvgPool3DBackward0", "AdaptiveAvgPool2DBackward0", "AdaptiveAvgPool3DBackward0",
    "AdaptiveMaxPool2DBackward0", "AdaptiveMaxPool3DBackward0", "ReflectionPad1DBackward0",
    "ReflectionPad2DBackward0", "ReflectionPad3DBackward0", "ReplicationPad1DBackward0",
    "ReplicationPad2DBackward0", "ReplicationPad3DBackward0",
))
# fused backwards torch computes once per input (mse_loss_backward(grad, self, target) for
# self, mse_loss_backward(grad, target, self) for target): one node per input's gradient, so
# that the gradients share no node
FUSED_PER_INPUT = frozenset(("MseLossBackward0", "HuberLossBackward0", "SmoothL1LossBackward0"))
# fused backwards whose double backward torch leaves undefined (None, not zeros) for the
# inputs when the recorded result is constant (the bias gradient's, a sum of g)
FUSED_UNDEFINED_WHEN_CONSTANT = frozenset((
    "ConvolutionBackward0", "NativeBatchNormBackward0", "NativeLayerNormBackward0",
))

# what the engine and the ctx API keep on a node: never an op's saved value
_NODE_FIELDS = frozenset((
    "needs_input_grad", "materialize_grads", "_to_save", "_saved_checks", "_edges",
    "_n_outputs", "_out_meta", "_freed", "_pre_hooks", "_retained", "_hooks", "_node_pre_hooks",
    "_seq", "_inputs", "_metadata", "_dirty", "_non_differentiable"))


def graph_call(node, grads: list) -> tuple:
    """The node's backward on ``grads`` (Tensors or None), as Tensors with history."""
    fn = node._fn
    name = node.name()
    prev = current_op[0]
    current_op[0] = name
    try:
        if fn._tensor_level:
            return fn._engine_backward(node, grads, create_graph=True)
        # (a node whose backward builds torch's node itself, as float16 layer/batch norm's)
        fused = None if getattr(node, "own_double_backward", False) else FUSED_NAMES.get(name)
        proxies = [] if fused else None
        ctx = _graph_ctx(node, proxies)
        results = fn.backward(ctx, *[None if g is None else _wrap(g, proxies) for g in grads])
    finally:
        current_op[0] = prev
    if type(results) is not tuple:
        results = (results,)
    results = tuple(None if r is None or e is None else unwrap(r)
                    for r, e in zip(results, node._edges))
    if not fused:
        return results
    self_edge = node._edges[0] if name in FUSED_TAKES_SELF else None
    undefined = name in FUSED_UNDEFINED_WHEN_CONSTANT
    if name not in FUSED_PER_INPUT:
        return _fuse(fused, proxies, results, self_edge, undefined)
    # one node per input's gradient, as torch calls its function once per input
    return tuple(None if r is None else
                 _fuse(fused, proxies, tuple(r if j == i else None for j in range(len(results))),
                       self_edge, undefined)[i]
                 for i, r in enumerate(results))


def _wrap(t, proxies):
    """``wrap``; when the backward is to become one node, through a proxy (see ``_fuse``)."""
    if proxies is None or not isinstance(t, Tensor) or not t._requires_grad:
        return wrap(t)
    p = _Proxy.apply(t)
    proxies.append((t, p))
    return GraphArray(p)


def _graph_ctx(node, proxies=None):
    """A ctx whose saved values are connected to the graph (see the module docstring)."""
    saved = node.saved_tensors  # torch's errors: freed graph, in-place change of a saved value
    if node._inputs is not None:
        return _replay(node, proxies)
    _refuse_float_attributes(node)
    if not saved:
        return node
    ctx = object.__new__(type(node))
    ctx.__dict__.update(node.__dict__)
    ctx._to_save = tuple(_saved_value(node, s, proxies) for s in saved)
    ctx._saved_checks = None
    return ctx


def _saved_value(node, arr, proxies):
    if type(arr) is not np.ndarray or arr.dtype.kind != "f":
        return arr
    for owner, _vc, _version, nr, a in node._saved_checks or ():
        # (an input's array, or the array a new ``.data`` put in its place: saved_tensors)
        if a is arr or owner is not None and owner._data is arr:
            if owner is not None:
                return _wrap(owner, proxies)
            out = _new_tensor(arr)  # the node's own output nr: its history is this node
            out.grad_fn, out._output_nr, out._requires_grad = node, nr, True
            return _wrap(out, proxies)
    return arr  # an array the forward received as an argument: a constant


def _replay(node, proxies):
    """Run the node's forward again on its (graph-connected) arguments into a fresh ctx."""
    from .function import _check_version
    args = []
    for a, version in node._inputs:
        if isinstance(a, Tensor):
            if a._version != version:
                _check_version(node, a, a._version_counter(), version, a._output_nr, a._data)
            args.append(_wrap(a, proxies))
        else:
            args.append(a)
    ctx = type(node)()
    ctx.needs_input_grad = node.needs_input_grad
    node._fn.forward(ctx, *args)
    # a saved value that is one of this node's outputs stays the node's own output (torch's
    # formulas read ``result``), not its recomputation: at a point where the formula guards a
    # singularity of the output (std at 0, a norm at 0), the gradient reaching the output then
    # passes through the node's own backward and its guard, as in torch
    outputs = [a for owner, _vc, _version, _nr, a in node._saved_checks or () if owner is None]
    if outputs:
        ctx._to_save = tuple(
            _saved_value(node, orig, proxies) if any(orig is a for a in outputs) else new
            for orig, new in zip(node._to_save, ctx._to_save))
    return ctx


def _refuse_float_attributes(node) -> None:
    """Float arrays in ctx attributes are refused, unless the op declares them arguments of
    its forward (``_constant_attrs``: constants such as interpolation weights or a dropout
    mask, which do not depend on the inputs)."""
    constant = getattr(node._fn, "_constant_attrs", ())
    for key, value in node.__dict__.items():
        if key not in _NODE_FIELDS and key not in constant and _holds_float_array(value):
            raise RuntimeError(
                f"create_graph=True: {node.name()} keeps a float array in ctx.{key}, which "
                "the double-backward mechanism cannot connect to the graph. Save arrays that "
                "backward needs with ctx.save_for_backward (docs/adding-an-op.md).")


def _holds_float_array(value) -> bool:
    if type(value) is np.ndarray:
        return value.dtype.kind == "f"
    if isinstance(value, (tuple, list)):
        return any(_holds_float_array(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_float_array(v) for v in value.values())
    return False


# -- one node for a backward torch computes with one function ------------------------------------
class _Proxy(ArrayFunction):
    """An identity marking where a fused backward's subgraph starts: the gradient that reaches
    it is the partial derivative with respect to that input alone."""

    _backward_name = "AliasBackward0"

    @staticmethod
    def forward(ctx, a):
        return a.view()

    @staticmethod
    def backward(ctx, g):
        return g


def _fuse(name: str, proxies: list, results: tuple, self_edge=None,
          undefined_when_constant: bool = False) -> tuple:
    """Present the subgraph from ``proxies`` to ``results`` as one node named ``name``: its
    edges lead to the tensors the proxies stand for (and to the forward's ``self_edge``, when
    torch's backward takes ``self`` whatever it reads), its backward differentiates the
    subgraph (``_Fused``)."""
    node = _fused_node_class(name)()
    edges = []
    for t, _p in proxies:
        d = t._data
        edges.append((t.grad_fn, t._output_nr, d.shape, d.dtype) if t.grad_fn is not None
                     else (t, 0, d.shape, d.dtype))
    extra = ()
    if self_edge is not None and not any(e[0] is self_edge[0] and e[1] == self_edge[1]
                                         for e in edges):
        extra = (self_edge,)
    node._edges = tuple(edges) + extra
    node._undefined_when_constant = undefined_when_constant
    node._n_extra = len(extra)
    node._seq = next(_sequence)
    node._n_outputs = len(results)
    node._out_meta = tuple(None if r is None else (r._data.shape, r._data.dtype)
                           for r in results)
    # flat, so that freeing the graph frees them (torch's fused node saves its inputs)
    node._to_save = (*results, *(p for _t, p in proxies), *extra)
    node.needs_input_grad = (True,) * len(node._edges)
    out = []
    for i, r in enumerate(results):
        # torch's fused backward is one op of its inputs: its results require grad whenever
        # one of them does, even where the recorded subgraph is constant (relu's gradient for
        # a constant g: derivative 0, but a node)
        if r is None or not (r._requires_grad or node._edges):
            out.append(r)
            continue
        t = _new_tensor(r._data)
        t.grad_fn, t._output_nr, t._requires_grad = node, i, True
        out.append(t)
    return tuple(out)


class _Fused(_FunctionBase):
    """The backward of a fused node: the recorded subgraph's gradients at its proxies."""

    _tensor_level = True

    @classmethod
    def _engine_backward(cls, ctx, grads, create_graph: bool = False):
        from .engine import run_backward
        saved = ctx.saved_tensors
        n, k = ctx._n_outputs, len(saved) - ctx._n_extra
        results, proxies, extra = saved[:n], saved[n:k], saved[k:]
        # torch's ``self: zeros_like(self)`` for an input its backward takes but does not read
        zeros = tuple(_new_tensor(np.zeros(e[2], e[3])) for e in extra)
        pairs = [(r, g) for r, g in zip(results, grads)
                 if r is not None and g is not None and r._requires_grad]
        if not pairs:  # the subgraph was constant: a zero derivative, as torch's (or none)
            if ctx._undefined_when_constant:
                return (None,) * len(proxies) + zeros
            return tuple(_new_tensor(np.zeros_like(p._data)) for p in proxies) + zeros
        captured = run_backward([r for r, _ in pairs], [g for _, g in pairs], True,
                                inputs=list(proxies), accumulate=False,
                                create_graph=create_graph)
        return tuple(captured.get(id(p)) for p in proxies) + zeros


_FUSED_CLASSES: dict = {}
# fused nodes that save no tensor in torch (a view's backward: sizes and dims only), so that
# a second backward through them runs again; every other fused node saves its inputs
FUSED_SAVE_NOTHING = frozenset((
    "SelectBackwardBackward0", "SliceBackwardBackward0", "DiagonalBackwardBackward0",
    "UnfoldBackwardBackward0", "Rot90Backward0",
    # the average poolings' and paddings' backward is linear in grad (self: zeros_like)
    "AvgPool2DBackwardBackward0", "AvgPool3DBackwardBackward0",
    "AdaptiveAvgPool2DBackwardBackward0", "AdaptiveAvgPool3DBackwardBackward0",
    *(f"{kind}Pad{d}DBackwardBackward0" for kind in ("Reflection", "Replication")
      for d in (1, 2, 3)),
))


def _fused_node_class(name: str):
    cls = _FUSED_CLASSES.get(name)
    if cls is None:
        cls = _FUSED_CLASSES[name] = type(name, (Node,), {
            "_fn": _Fused, "__module__": __name__,
            "_holds_tensor": name not in FUSED_SAVE_NOTHING})
    return cls


# -- the engine's own steps, on Tensors ----------------------------------------------------------
def fit(g, shape: tuple, dtype) -> Tensor:
    """``engine.unbroadcast`` and the cast to the input's dtype, as recorded ops."""
    if not isinstance(g, Tensor):
        g = unwrap(g)
    if g._data.shape != shape and shape == ():  # torch's sum_to of a 0-d target: sum()
        g = g.sum()
    if g._data.shape != shape:  # torch's sum_to: one keepdim sum, then a view without lead
        lead = g._data.ndim - len(shape)
        dims = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape)
                                          if s == 1 and g._data.shape[i + lead] != 1)
        if dims:
            g = g.sum(dims, keepdim=True)
        if lead or g._data.shape != shape:
            g = g.view(shape) if g._data.size == int(np.prod(shape)) else g.expand(tuple(shape))
    if g._data.dtype != dtype:
        from .._dtype import from_numpy_dtype
        g = g.to(from_numpy_dtype(dtype))
    return g


def accumulate_leaf(leaf, g: Tensor) -> None:
    """torch's AccumulateGrad with grad mode on: the first gradient is copied (a recorded
    ``copy_``: CopyBackwards; version 1, as torch's ``copy_`` into a new tensor), later ones
    are added out of place (AddBackward0), so ``.grad`` keeps the history of how it was
    computed."""
    from .engine import _call_tensor_hooks
    from .._ops.inplace import overwrite
    if leaf._hooks:
        g = _call_tensor_hooks(leaf._hooks, g)
    if leaf._grad is None:
        leaf._grad = overwrite(_new_tensor(np.empty_like(g._data)), g)
        leaf._grad._bump_version()
    else:
        leaf._grad = leaf._grad + g
    if leaf._post_acc_hooks:
        for hook in tuple(leaf._post_acc_hooks.values()):
            as_user(hook, leaf)


def retain(t, g: Tensor) -> None:
    """``retain_grad`` under create_graph: as a leaf's accumulation."""
    from .._ops.inplace import overwrite
    t._grad = overwrite(_new_tensor(np.empty_like(g._data)), g) if t._grad is None \
        else t._grad + g
