"""The parity harness: run the same call in torch and in minitorch_ref, compare everything.

``check(fn, *args)`` calls ``fn(T, *tensors)`` once with ``T = torch`` and once with
``T = minitorch_ref``, where every ``np.ndarray`` in ``args`` becomes a tensor of that library
(floating ones with ``requires_grad=True``). It compares output values, dtypes and shapes, then
backpropagates the same random upstream gradient through both and compares every input's
gradient. Tolerances are stated once, here (DESIGN.md): float64 rtol=1e-10, atol=1e-12;
float32 rtol=1e-5, atol=1e-6.

``check_raises(fn, *args)`` asserts both libraries raise the same exception type, and that our
message equals torch's (or matches a regex, where torch's message carries C++ detail).
"""
from __future__ import annotations

import re
import warnings
from typing import Callable

import numpy as np
import torch

import minitorch_ref as mt

TOLERANCES = {
    np.dtype(np.float64): dict(rtol=1e-10, atol=1e-12),
    np.dtype(np.float32): dict(rtol=1e-5, atol=1e-6),
    np.dtype(np.float16): dict(rtol=1e-3, atol=1e-3),
}
LIBS = (torch, mt)

DTYPE_PAIRS = {
    np.dtype(np.float32): (torch.float32, mt.float32),
    np.dtype(np.float64): (torch.float64, mt.float64),
    np.dtype(np.int64): (torch.int64, mt.int64),
    np.dtype(np.int32): (torch.int32, mt.int32),
    np.dtype(np.bool_): (torch.bool, mt.bool),
}


def tol(dtype, scale: float = 1.0) -> dict:
    t = TOLERANCES.get(np.dtype(dtype), dict(rtol=0, atol=0))
    return dict(rtol=t["rtol"] * scale, atol=t["atol"] * scale)


def lib_dtype(T, np_dtype):
    pair = DTYPE_PAIRS[np.dtype(np_dtype)]
    return pair[0] if T is torch else pair[1]


def to_numpy(x) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        if x._is_zerotensor():  # torch's symbolic zeros (some double-backward results)
            return np.zeros(tuple(x.shape), dtype=torch.empty(0, dtype=x.dtype).numpy().dtype)
        return x.detach().numpy()
    if isinstance(x, mt.Tensor):
        return x.detach().numpy()
    return np.asarray(x)


def make_tensor(T, arr: np.ndarray, requires_grad: bool | None = None, layout: str = "contiguous"):
    """A tensor of library ``T`` holding ``arr``. ``layout='transposed'`` gives a
    non-contiguous tensor (the last two dims swapped back from a contiguous copy); gradients are
    then compared on that tensor through ``retain_grad``."""
    rg = arr.dtype.kind == "f" if requires_grad is None else requires_grad
    if layout == "transposed" and arr.ndim >= 2:
        base = T.tensor(np.ascontiguousarray(np.swapaxes(arr, -1, -2)))
        if rg:
            base.requires_grad_(True)
        t = base.transpose(-1, -2)
        if rg:
            t.retain_grad()
        return t
    t = T.tensor(arr.copy())
    if rg:
        t.requires_grad_(True)
    return t


def _convert_args(T, args, layout):
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            out.append(make_tensor(T, a, layout=layout))
        elif isinstance(a, (list, tuple)) and a and all(isinstance(x, np.ndarray) for x in a):
            out.append(type(a)(make_tensor(T, x, layout=layout) for x in a))
        else:
            out.append(a)
    return out


def _flat_tensors(obj) -> list:
    """Tensors inside an output: a tensor, a tuple/list/namedtuple of them, or nested."""
    if isinstance(obj, (torch.Tensor, mt.Tensor)):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [t for x in obj for t in _flat_tensors(x)]
    return []


def _input_tensors(args) -> list:
    out = []
    for a in args:
        if isinstance(a, (torch.Tensor, mt.Tensor)):
            out.append(a)
        elif isinstance(a, (list, tuple)):
            out.extend(x for x in a if isinstance(x, (torch.Tensor, mt.Tensor)))
    return out


def assert_same_half_bits(ours, theirs, what: str = "") -> None:
    """float16 results bitwise equal: dtype, shape, NaNs in the same places (their sign and
    payload are not compared), every other element's 16 bits."""
    a, b = to_numpy(ours), to_numpy(theirs)
    assert a.dtype == b.dtype == np.float16, what
    assert a.shape == b.shape, what
    nan = np.isnan(a)
    np.testing.assert_array_equal(nan, np.isnan(b), err_msg=what)
    np.testing.assert_array_equal(a.view(np.uint16)[~nan], b.view(np.uint16)[~nan], err_msg=what)


def assert_close(ours, theirs, what: str = "value", scale: float = 1.0,
                 check_dtype: bool = True) -> None:
    """Compare one of our tensors with one of torch's: shape, dtype, then values."""
    a, b = to_numpy(ours), to_numpy(theirs)
    assert a.shape == b.shape, f"{what}: shape {a.shape} != torch's {b.shape}"
    if check_dtype:
        assert a.dtype == b.dtype, f"{what}: dtype {a.dtype} != torch's {b.dtype}"
    if b.dtype.kind == "f":
        np.testing.assert_allclose(a, b, err_msg=what, equal_nan=True, **tol(b.dtype, scale))
    else:
        np.testing.assert_array_equal(a, b, err_msg=what)


def check(fn: Callable, *args, grad: bool = True, layout: str = "contiguous",
          scale: float = 1.0, seed: int = 0, check_dtype: bool = True,
          grad_fn_name: bool = False) -> tuple:
    """Run ``fn(T, *tensors)`` in both libraries; compare outputs and input gradients.

    Returns ``(ours, torch's)`` outputs for further checks. ``scale`` widens the tolerances for
    ops whose float32 results accumulate rounding (long reductions); say why where it is used.
    """
    results = {}
    inputs = {}
    for T in LIBS:
        targs = _convert_args(T, args, layout)
        results[T] = fn(T, *targs)
        inputs[T] = _input_tensors(targs)
    ours, theirs = results[mt], results[torch]
    outs_o, outs_t = _flat_tensors(ours), _flat_tensors(theirs)
    assert len(outs_o) == len(outs_t), f"{len(outs_o)} outputs, torch gives {len(outs_t)}"
    if not outs_t:
        assert ours == theirs, f"{ours!r} != torch's {theirs!r}"
    for i, (o, t) in enumerate(zip(outs_o, outs_t)):
        assert_close(o, t, f"output {i}", scale, check_dtype)
        assert o.requires_grad == t.requires_grad, \
            f"output {i}: requires_grad {o.requires_grad} != torch's {t.requires_grad}"
        if grad_fn_name and t.grad_fn is not None:
            assert o.grad_fn.name() == t.grad_fn.name()
    if not grad:
        return ours, theirs
    diff_t = [t for t in outs_t if t.requires_grad]
    diff_o = [o for o in outs_o if o.requires_grad]
    if not diff_t:
        return ours, theirs
    rng = np.random.default_rng(seed)
    seeds = [rng.standard_normal(t.shape).astype(to_numpy(t).dtype) for t in diff_t]
    torch.autograd.backward(diff_t, [torch.tensor(s) for s in seeds])
    mt.autograd.backward(diff_o, [mt.tensor(s) for s in seeds])
    for k, (a, b) in enumerate(zip(inputs[mt], inputs[torch])):
        if not b.requires_grad:
            continue
        gb = b.grad
        ga = a.grad
        if gb is None:
            assert ga is None or not np.any(to_numpy(ga)), f"input {k}: grad where torch has none"
            continue
        assert ga is not None, f"input {k}: no grad, torch has one"
        assert_close(ga, gb, f"grad of input {k}", scale)
    return ours, theirs


def check_raises(fn: Callable, *args, match: str | None = None, layout: str = "contiguous"):
    """Both libraries raise the same exception type; our message equals torch's, or matches the
    regex ``match`` where torch's message carries C++ detail that we do not reproduce."""
    caught = {}
    for T in LIBS:
        targs = _convert_args(T, args, layout)
        try:
            fn(T, *targs)
        except Exception as e:  # noqa: BLE001 - the point is to compare what is raised
            caught[T] = e
        else:
            caught[T] = None
    t_exc, o_exc = caught[torch], caught[mt]
    assert t_exc is not None, "torch did not raise: the test case is wrong"
    assert o_exc is not None, f"minitorch_ref did not raise; torch raised {t_exc!r}"
    assert type(o_exc) is type(t_exc) or isinstance(o_exc, type(t_exc)) \
        or isinstance(o_exc, SAME_EXCEPTION.get(type(t_exc), ())), \
        f"raised {type(o_exc).__name__}: {o_exc}; torch raised {type(t_exc).__name__}: {t_exc}"
    if match is None:
        assert _first_line(o_exc) == _first_line(t_exc), \
            f"message {str(o_exc)!r} != torch's {str(t_exc)!r}"
    else:
        assert re.search(match, str(o_exc)), f"{str(o_exc)!r} does not match {match!r}"
    return o_exc, t_exc


def torch_result_or_same_error(fn: Callable):
    """``fn(torch)``'s result; where torch raises instead, checks that ``fn(minitorch_ref)``
    raises the same (``check_raises``) and returns None, so the caller stops there."""
    try:
        return fn(torch)
    except Exception:  # noqa: BLE001 - torch's error must be ours
        check_raises(fn)
        return None


# torch's exception classes that are our own classes of the same name
SAME_EXCEPTION = {torch.linalg.LinAlgError: mt.linalg.LinAlgError}


def _first_line(e: BaseException) -> str:
    return str(e).split("\n")[0].strip()


def _backward_ones(T, out) -> None:
    """Backpropagate ones from every output that requires grad."""
    outs = [o for o in _flat_tensors(out) if o.requires_grad]
    if outs:
        T.autograd.backward(outs, [T.ones_like(o) for o in outs])


def check_same(fn: Callable, *args, grad: bool = True, layout: str = "contiguous") -> str:
    """Whatever torch does, we do: where torch computes, ``check`` (values, dtypes, shapes,
    gradients); where torch raises, ``check_raises`` (the same type and first line; for an
    AttributeError, which names an attribute of torch's own Python code, the type only); where
    torch's forward works but its backward raises (an op without a derivative, an input it cannot
    differentiate), our backward raises the same. Returns which of the three happened."""
    try:
        fn(torch, *_convert_args(torch, args, layout))
    except Exception as e:  # noqa: BLE001 - whatever torch raises, we must raise too
        check_raises(fn, *args, layout=layout,
                     match="" if isinstance(e, AttributeError) else None)
        return "raises"
    if grad:
        try:
            _backward_ones(torch, fn(torch, *_convert_args(torch, args, layout)))
        except Exception:  # noqa: BLE001
            check(fn, *args, grad=False, layout=layout)
            check_raises(lambda T, *a: _backward_ones(T, fn(T, *a)), *args, layout=layout)
            return "backward raises"
    check(fn, *args, grad=grad, layout=layout)
    return "computes"


def check_same_tensor(fn: Callable) -> None:
    """``fn(T)`` builds a tensor without inputs (a factory call): the same dtype, shape, values
    bit for bit and requires_grad in both libraries; where torch raises, ``check_raises``."""
    try:
        t = fn(torch)
    except Exception:  # noqa: BLE001 - whatever torch raises, we must raise too
        check_raises(fn)
        return
    o = fn(mt)
    assert str(o.dtype) == str(t.dtype) and tuple(o.shape) == tuple(t.shape)
    np.testing.assert_array_equal(o.detach().numpy(), t.detach().numpy())
    assert o.requires_grad == t.requires_grad


_CPP_PATH = re.compile(r"^/\S+:\d+: ")  # the C++ file:line some torch messages begin with


def eval_outcome(T, code: str, summary: Callable, **names) -> tuple:
    """``code`` evaluated with ``T`` (torch or minitorch_ref), ``np`` and ``names`` in scope,
    warnings ignored: ``summary(result)``, or where it raises, (exception type, message) with
    torch's C++ file prefix dropped and only the first line unless the message lists the
    overloads ("invalid combination"). Equal outcomes mean the same result or the same error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = eval(code, {"np": np, "T": T, **names})  # noqa: S307 - the tests' own tables
        except Exception as e:  # noqa: BLE001 - the point is to compare what is raised
            text = _CPP_PATH.sub("", str(e))
            if "invalid combination" not in text:
                text = text.split("\n")[0]
            return type(e).__name__, text
    return summary(r)


def grad_fn_tree(fn, depth: int = 12):
    """(name, (children...)) of an autograd node, ``None`` for an absent edge, to ``depth``
    levels (the last level by name alone): torch's graph and ours compare equal when they
    record the same nodes with the same edges in the same order."""
    if fn is None:
        return None
    if depth == 0:
        return type(fn).__name__
    return type(fn).__name__, tuple(grad_fn_tree(nxt, depth - 1) for nxt, _ in fn.next_functions)


def derivative_trees(T, grads, wrt, orders: int = 3) -> list:
    """The graphs (``grad_fn_tree``) of derivatives of order 1 to ``orders``: ``grads`` are the
    first, each next is the gradient of the sum of the previous ones with respect to ``wrt``.
    Where the library defines no next derivative, its error's first line ends the list."""
    out = []
    for order in range(orders):
        out.append([None if g is None else grad_fn_tree(g.grad_fn) for g in grads])
        live = [g for g in grads if g is not None and g.requires_grad]
        if not live or order == orders - 1:
            break
        try:
            grads = T.autograd.grad(sum(g.sum() for g in live), wrt, create_graph=True,
                                    allow_unused=True)
        except RuntimeError as e:
            out.append(str(e).splitlines()[0])
            break
    return out


def rand(*shape, dtype=np.float32, seed: int = 0, low: float = -1.0, high: float = 1.0):
    """Uniform test data, deterministic per seed."""
    rng = np.random.default_rng(seed)
    return rng.uniform(low, high, size=shape).astype(dtype)


def randn(*shape, dtype=np.float32, seed: int = 0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(size=shape).astype(dtype)


FLOAT_DTYPES = (np.float32, np.float64)


def _grads(T, outs, ins, seeds, create_graph):
    """``T.autograd.grad`` that tolerates inputs the outputs do not use (None)."""
    return T.autograd.grad(outs, ins, seeds, create_graph=create_graph, allow_unused=True)


def check_double(fn: Callable, *args, layout: str = "contiguous", scale: float = 1.0,
                 seed: int = 0, grad_fn_name: bool = True) -> None:
    """Double backward, as torch's gradgradcheck exercises it, against torch itself.

    In both libraries: run ``fn``; take the vector-Jacobian product ``vjp = grad(outputs,
    inputs, v, create_graph=True)`` with random ``v`` that itself requires grad; compare the
    vjps (and, with ``grad_fn_name``, the names of their grad_fns: torch's double-backward
    nodes); then differentiate ``sum(vjp * u)`` for random ``u`` with respect to the inputs and
    to ``v``, and compare those second-order gradients. A gradient torch reports as unused (None)
    must be absent or zero here."""
    rng = np.random.default_rng(seed)
    res = {}
    for T in LIBS:
        targs = _convert_args(T, args, layout)
        ins = [t for t in _input_tensors(targs) if t.requires_grad]
        outs = [o for o in _flat_tensors(fn(T, *targs)) if o.requires_grad]
        res[T] = (ins, outs)
    ins_t, outs_t = res[torch]
    if not outs_t or not ins_t:
        return
    seeds = [rng.standard_normal(tuple(o.shape)).astype(to_numpy(o).dtype) for o in outs_t]
    firsts = {}
    vs = {}
    for T in LIBS:
        ins, outs = res[T]
        vs[T] = [T.tensor(s).requires_grad_() for s in seeds]
        firsts[T] = _grads(T, outs, ins, vs[T], True)
    for k, (a, b) in enumerate(zip(firsts[mt], firsts[torch])):
        if b is None:
            assert a is None or not np.any(to_numpy(a)), f"vjp {k}: a value where torch has none"
            continue
        assert a is not None, f"vjp {k}: None, torch has a value"
        assert_close(a, b, f"vjp {k}", scale)
        assert a.requires_grad == b.requires_grad, \
            f"vjp {k}: requires_grad {a.requires_grad} != torch's {b.requires_grad}"
        if grad_fn_name and b.grad_fn is not None:
            ours = a.grad_fn.name() if a.grad_fn is not None else None
            assert ours == b.grad_fn.name(), \
                f"vjp {k}: grad_fn {ours} != torch's {b.grad_fn.name()}"
    live = [k for k, b in enumerate(firsts[torch]) if b is not None and b.requires_grad]
    if not live:
        return
    us = [rng.standard_normal(tuple(firsts[torch][k].shape)).astype(
        to_numpy(firsts[torch][k]).dtype) for k in live]
    seconds = {}
    for T in LIBS:
        ins, _ = res[T]
        outs = [firsts[T][k] for k in live]
        keep = [i for i, o in enumerate(outs) if o is not None and o.requires_grad]
        if not keep:
            seconds[T] = [None] * (len(ins) + len(vs[T]))
            continue
        seconds[T] = _grads(T, [outs[i] for i in keep], ins + vs[T],
                            [T.tensor(us[i]) for i in keep], False)
    for k, (a, b) in enumerate(zip(seconds[mt], seconds[torch])):
        what = f"second-order gradient of {'input' if k < len(ins_t) else 'v'} " \
               f"{k if k < len(ins_t) else k - len(ins_t)}"
        if b is None:
            assert a is None or not np.any(to_numpy(a)), f"{what}: a value where torch has none"
            continue
        if a is None:
            assert not np.any(to_numpy(b)), f"{what}: None, torch has {b}"
            continue
        assert_close(a, b, what, scale)


def check_constant_upstream(fn: Callable, *args, layout: str = "contiguous",
                            grad_fn_name: bool = True) -> None:
    """The gradient for a constant upstream gradient, against torch's: ``g = grad(sum of the
    outputs, inputs, create_graph=True)``. A gradient that does not depend on the inputs
    (abs's sign, a max's scatter of ones, a pooling's indices) still has a node where torch's
    formula reads ``self`` through an op of derivative 0 (``self.sgn()``, a fused backward
    taking ``self``): per input, compare None-ness, ``requires_grad`` and the grad_fn name;
    then ``grad(g.sum(), inputs, allow_unused=True)``: None where torch's is None, else the
    values (zeros where torch's are)."""
    res = {}
    for T in LIBS:
        targs = _convert_args(T, args, layout)
        ins = [t for t in _input_tensors(targs) if t.requires_grad]
        outs = [o for o in _flat_tensors(fn(T, *targs))
                if o.requires_grad and o.dtype.is_floating_point]
        if not ins or not outs:
            res[T] = None
            continue
        loss = outs[0].sum()
        for o in outs[1:]:
            loss = loss + o.sum()
        res[T] = (ins, T.autograd.grad(loss, ins, create_graph=True, allow_unused=True))
    assert (res[mt] is None) == (res[torch] is None), "outputs requiring grad differ"
    if res[torch] is None:
        return
    (ins_m, gs_m), (ins_t, gs_t) = res[mt], res[torch]
    for k, (a, b) in enumerate(zip(gs_m, gs_t)):
        what = f"gradient {k} (constant upstream)"
        assert (a is None) == (b is None), f"{what}: {a} where torch has {b}"
        if b is None:
            continue
        assert_close(a, b, what)
        assert a.requires_grad == b.requires_grad, \
            f"{what}: requires_grad {a.requires_grad} != torch's {b.requires_grad}"
        if grad_fn_name and b.grad_fn is not None:
            assert a.grad_fn is not None and a.grad_fn.name() == b.grad_fn.name(), \
                f"{what}: grad_fn {a.grad_fn and a.grad_fn.name()} != torch's {b.grad_fn.name()}"
        if not b.requires_grad:
            continue
        hs = {T: T.autograd.grad(g.sum(), ins, allow_unused=True, retain_graph=True)
              for T, g, ins in ((mt, a, ins_m), (torch, b, ins_t))}
        for j, (x, y) in enumerate(zip(hs[mt], hs[torch])):
            w = f"grad of {what} in input {j}"
            assert (x is None) == (y is None), f"{w}: {x} where torch has {y}"
            if y is not None:
                assert_close(x, y, w)


def _outcome(call: Callable) -> tuple:
    """``("ok", result)`` or ``(exception type name, first line of its message)``."""
    try:
        return ("ok", call())
    except Exception as e:  # noqa: BLE001 - the outcome is compared with torch's
        return (type(e).__name__, _first_line(e))


def _second_backward_trace(T, fn, args, layout, seeds, us) -> list | None:
    """One library's outcomes of the backward calls ``check_second_backward`` makes."""
    targs = _convert_args(T, args, layout)
    ins = [t for t in _input_tensors(targs) if t.requires_grad]
    outs = [o for o in _flat_tensors(fn(T, *targs)) if o.requires_grad]
    if not ins or not outs:
        return None
    trace = []
    vs = [T.tensor(s) for s in seeds]
    for _ in range(2):  # first order, twice through one graph without retain_graph
        trace.append(_outcome(lambda: _grads(T, outs, ins, vs, False)))
    outs = [o for o in _flat_tensors(fn(T, *targs)) if o.requires_grad]
    vs = [T.tensor(s).requires_grad_() for s in seeds]
    firsts = _grads(T, outs, ins, vs, True)
    live = [k for k, g in enumerate(firsts) if g is not None and g.requires_grad]
    trace.append(("live", live))
    for _ in range(2):  # each gradient's own second backward, then each once more
        for k in live:
            trace.append(_outcome(lambda: _grads(T, [firsts[k]], ins + vs,
                                                 [T.tensor(us[k])], False)))
    # the first-order graph, kept by create_graph, once more
    trace.append(_outcome(lambda: _grads(T, outs, ins, [T.tensor(s) for s in seeds], False)))
    return trace


def _brief(outcome: tuple) -> str:
    return "a value" if outcome[0] == "ok" else f"{outcome[0]}: {outcome[1][:60]}"


def check_second_backward(fn: Callable, *args, layout: str = "contiguous",
                          seed: int = 0) -> None:
    """Backward calls through freed graphs give torch's outcome: a value, or the same
    exception type and message. A node that saved tensors refuses a second backward after
    its saved values were freed ("Trying to backward through the graph a second time"); one
    that saved none runs again. In both libraries, in this order: the vjp twice through one
    graph without ``retain_graph``; on a fresh forward, the vjp with ``create_graph``, then
    the gradient of each vjp (retain_graph=False) in turn, then each once more (gradients
    sharing a node with saved values then raise), then the first-order graph once more (kept
    by ``create_graph``). Values compare as in ``check_double``."""
    rng = np.random.default_rng(seed)
    targs = _convert_args(torch, args, layout)
    ins = [t for t in _input_tensors(targs) if t.requires_grad]
    outs = [o for o in _flat_tensors(fn(torch, *targs)) if o.requires_grad]
    if not ins or not outs:
        return
    seeds = [rng.standard_normal(tuple(o.shape)).astype(to_numpy(o).dtype) for o in outs]
    us = [rng.standard_normal(tuple(t.shape)).astype(to_numpy(t).dtype) for t in ins]
    theirs = _second_backward_trace(torch, fn, args, layout, seeds, us)
    ours = _second_backward_trace(mt, fn, args, layout, seeds, us)
    assert (ours is None) == (theirs is None), "inputs or outputs requiring grad differ"
    assert len(ours) == len(theirs) and ours[2] == theirs[2], \
        f"gradients requiring grad: ours {ours[2]}, torch's {theirs[2]}"
    for step, (a, b) in enumerate(zip(ours, theirs)):
        what = f"backward call {step}"
        assert a[0] == b[0], f"{what}: ours {_brief(a)}, torch's {_brief(b)}"
        if a[0] == "live":
            continue
        if a[0] != "ok":
            assert a[1] == b[1], f"{what}: message {a[1]!r} != torch's {b[1]!r}"
            continue
        for k, (x, y) in enumerate(zip(a[1], b[1])):
            if y is None or x is None:
                z = x if y is None else y
                assert z is None or not np.any(to_numpy(z)), \
                    f"{what}, gradient {k}: {x} where torch has {y}"
                continue
            assert_close(x, y, f"{what}, gradient {k}")


def check_higher_orders(fn: Callable, *args, orders: int = 3) -> None:
    """Derivatives to ``orders`` against torch's: ``y = sum of the outputs``, then repeatedly
    ``grad(y, inputs, create_graph=True)`` and ``y = sum of those gradients`` (for an
    elementwise function, the k-th derivatives at each point). At each order: None-ness,
    requires_grad and values; the sequence stops where torch's gradients need no grad."""
    res = {}
    for T in LIBS:
        targs = _convert_args(T, args, "contiguous")
        ins = [t for t in _input_tensors(targs) if t.requires_grad]
        outs = [o for o in _flat_tensors(fn(T, *targs))
                if o.requires_grad and o.dtype.is_floating_point]
        found = []
        live = outs
        for k in range(orders):
            if not live or not ins:
                break
            y = live[0].sum()
            for o in live[1:]:
                y = y + o.sum()
            ds = T.autograd.grad(y, ins, create_graph=k < orders - 1, allow_unused=True)
            found.append(ds)
            live = [d for d in ds if d is not None and d.requires_grad]
        res[T] = found
    assert len(res[mt]) == len(res[torch]), \
        f"orders computed: ours {len(res[mt])}, torch's {len(res[torch])}"
    for k, (ours, theirs) in enumerate(zip(res[mt], res[torch])):
        for j, (a, b) in enumerate(zip(ours, theirs)):
            what = f"derivative of order {k + 1} in input {j}"
            if b is None or a is None:
                z = a if b is None else b
                assert z is None or not np.any(to_numpy(z)), f"{what}: {a} where torch has {b}"
                continue
            assert_close(a, b, what)
            if k < len(res[torch]) - 1:
                assert a.requires_grad == b.requires_grad, \
                    f"{what}: requires_grad {a.requires_grad} != torch's {b.requires_grad}"
