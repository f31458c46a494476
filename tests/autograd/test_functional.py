"""torch.autograd.functional (vjp, jvp, jacobian, hessian, vhp, hvp) and gradgradcheck against
torch: values, which results carry history (create_graph), tuple/non-tuple nesting, the zero
results for unused inputs, and the errors (strict mode, v's validation, bad arguments)."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check_raises


def _inputs(T, shapes, seed=0):
    rng = np.random.default_rng(seed)
    return tuple(T.tensor(rng.uniform(-1, 1, s)) for s in shapes)


# (id, scalar function, input shapes): every input is used unless the name says otherwise
SCALAR = [
    ("cubic", lambda x: (x ** 3).sum(), [(3,)]),
    ("exp_sin", lambda x: (x.exp() * x.sin()).sum(), [(2, 3)]),
    ("two_inputs", lambda x, y: (x.tanh() * y).sum() + (y ** 2).sum(), [(4,), (4,)]),
    ("matmul", lambda w, x: (x @ w).sigmoid().sum(), [(3, 2), (4, 3)]),
    ("softmax_ce", lambda x: -(x.log_softmax(-1)[:, 0]).sum(), [(2, 3)]),
    ("unused_input", lambda x, y: (x * x).sum(), [(3,), (2,)]),
    ("scalar_input", lambda x: x.exp() * x, [()]),
]
# (id, vector function, input shapes)
VECTOR = [
    ("square", lambda x: x * x, [(3,)]),
    ("two_outputs", lambda x: (x.exp(), x.sum() * 2), [(2, 2)]),
    ("two_in_two_out", lambda x, y: (x * y, (x - y).sin()), [(3,), (3,)]),
    ("linear", lambda x: x * 2 + 1, [(4,)]),
    ("unused", lambda x, y: x.cos(), [(3,), (2,)]),
]


def _call(T, name, *args, **kwargs):
    return getattr(T.autograd.functional, name)(*args, **kwargs)


def _compare(ours, theirs, where="result"):
    if isinstance(theirs, (tuple, list)):
        assert isinstance(ours, tuple) and len(ours) == len(theirs), f"{where}: nesting"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _compare(a, b, f"{where}[{i}]")
        return
    assert_close(ours, theirs, where)
    assert ours.requires_grad == theirs.requires_grad, f"{where}: requires_grad"
    assert (ours.grad_fn is None) == (theirs.grad_fn is None), f"{where}: grad_fn"


def _run(name, fn, shapes, as_tuple, v_shapes=None, **kwargs):
    res = {}
    for T in LIBS:
        xs = _inputs(T, shapes)
        args = [fn, xs if as_tuple or len(xs) > 1 else xs[0]]
        if v_shapes is not None:
            vs = _inputs(T, v_shapes, seed=1)
            args.append(vs if len(vs) > 1 or as_tuple else vs[0])
        res[T] = _call(T, name, *args, **kwargs)
    _compare(res[mt], res[torch])


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("case", SCALAR, ids=[c[0] for c in SCALAR])
@pytest.mark.parametrize("name", ["hessian", "vhp", "hvp", "jacobian"])
def test_scalar_functions(name, case, create_graph):
    _, fn, shapes = case
    for as_tuple in (False, True):
        if name == "jacobian":
            _run(name, fn, shapes, as_tuple, create_graph=create_graph)
        elif name == "hessian":
            _run(name, fn, shapes, as_tuple, create_graph=create_graph)
        else:
            _run(name, fn, shapes, as_tuple, v_shapes=shapes, create_graph=create_graph)


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("case", VECTOR, ids=[c[0] for c in VECTOR])
@pytest.mark.parametrize("name", ["vjp", "jvp", "jacobian"])
def test_vector_functions(name, case, create_graph):
    _, fn, shapes = case
    for as_tuple in (False, True):
        if name == "jacobian":
            _run(name, fn, shapes, as_tuple, create_graph=create_graph)
            continue
        out_shapes = None
        if name == "vjp":
            outs = fn(*_inputs(torch, shapes))
            outs = outs if isinstance(outs, tuple) else (outs,)
            out_shapes = [tuple(o.shape) for o in outs]
        _run(name, fn, shapes, as_tuple, v_shapes=out_shapes or shapes,
             create_graph=create_graph)


def test_hessian_of_a_function_of_a_parameter_keeps_history_with_create_graph():
    # create_graph=True: the result is differentiable in the inputs' own history
    res = {}
    for T in LIBS:
        w = T.tensor([0.5, -1.0, 2.0], dtype=T.float64, requires_grad=True)
        x = w * 2
        h = T.autograd.functional.hessian(lambda z: (z ** 3).sum(), x, create_graph=True)
        h.sum().backward()
        res[T] = w.grad
    assert_close(res[mt], res[torch])


def test_v_none_for_a_single_element():
    for name, fn in (("vjp", lambda x: x.exp()), ("jvp", lambda x: x.exp()),
                     ("vhp", lambda x: (x ** 3).sum()), ("hvp", lambda x: (x ** 3).sum())):
        res = {T: _call(T, name, fn, T.tensor([0.7], dtype=T.float64)) for T in LIBS}
        _compare(res[mt], res[torch])


def test_jacobian_vectorize_gives_the_same_values():
    res = {T: T.autograd.functional.jacobian(lambda x: x.sin() * x, _inputs(T, [(3,)])[0],
                                             vectorize=True) for T in LIBS}
    _compare(res[mt], res[torch])


# -- errors ----------------------------------------------------------------------------------------
def F(T):
    return T.autograd.functional


ERRORS = [
    ("strict_unused_vjp", lambda T, x: F(T).vjp(lambda a, b: a * 2, (x, x.clone()), (x,),
                                                strict=True)),
    ("strict_constant_output", lambda T, x: F(T).jacobian(lambda a: T.ones(3), x, strict=True)),
    ("strict_linear_hessian", lambda T, x: F(T).hessian(lambda a: a.sum() * 2, x, strict=True)),
    ("strict_jacobian_create_graph", lambda T, x: F(T).jacobian(
        lambda a: a * 2, x, strict=True, create_graph=True)),
    ("strict_vhp_unused", lambda T, x: F(T).vhp(lambda a, b: (a ** 2).sum(), (x, x.clone()),
                                               (x, x), strict=True)),
    ("strict_hvp_linear", lambda T, x: F(T).hvp(lambda a: a.sum(), x, x, strict=True)),
    ("strict_jvp_unused", lambda T, x: F(T).jvp(lambda a, b: a * 2, (x, x.clone()), (x, x),
                                               strict=True)),
    ("v_wrong_size", lambda T, x: F(T).vjp(lambda a: a * 2, x, T.ones(2))),
    ("v_wrong_size_tuple", lambda T, x: F(T).vjp(lambda a, b: (a, b), (x, x), (x, T.ones(2)))),
    ("v_wrong_length", lambda T, x: F(T).jvp(lambda a, b: a * b, (x, x), (x,))),
    ("v_single_expected", lambda T, x: F(T).jvp(lambda a: a * 2, x, (x, x))),
    ("v_none_not_scalar", lambda T, x: F(T).vjp(lambda a: a * 2, x)),
    ("v_none_input_not_scalar", lambda T, x: F(T).hvp(lambda a: a.sum(), x)),
    ("inputs_not_tensor", lambda T, x: F(T).jacobian(lambda a: a, 3.0)),
    ("inputs_tuple_not_tensor", lambda T, x: F(T).jacobian(lambda a, b: a, (x, 3.0))),
    ("output_not_tensor", lambda T, x: F(T).vjp(lambda a: 3.0, x, x)),
    ("hessian_not_scalar", lambda T, x: F(T).hessian(lambda a: a * 2, x)),
    ("hessian_tuple_output", lambda T, x: F(T).hessian(lambda a: (a.sum(),), x)),
    ("vhp_not_scalar", lambda T, x: F(T).vhp(lambda a: a * 2, x, x)),
    ("forward_mode_create_graph", lambda T, x: F(T).jacobian(
        lambda a: a, x, create_graph=True, strategy="forward-mode")),
    ("forward_mode_strict", lambda T, x: F(T).jacobian(lambda a: a, x, strict=True,
                                                        strategy="forward-mode")),
    ("forward_mode_not_vectorized", lambda T, x: F(T).jacobian(lambda a: a, x,
                                                                strategy="forward-mode")),
    ("bad_strategy", lambda T, x: F(T).jacobian(lambda a: a, x, strategy="sideways")),
    ("vectorize_strict", lambda T, x: F(T).jacobian(lambda a: a * a, x, strict=True,
                                                     vectorize=True)),
]


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors(case):
    _, fn = case
    # messages naming a Python type: the same up to the type's name
    o, t = check_raises(fn, np.array([0.5, -1.0, 2.0]),
                        match=".*" if "not_tensor" in case[0] else None)
    if "not_tensor" in case[0]:
        assert str(o).split(" has type")[0] == str(t).split(" has type")[0]


# -- gradgradcheck ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [
    lambda T, x, y: (x * y).tanh(),
    lambda T, x, y: (x.exp() @ y.t()).sum(-1),
    lambda T, x, y: T.softmax(x * y, -1),
], ids=["tanh_mul", "matmul", "softmax"])
def test_gradgradcheck_passes(fn):
    for T in LIBS:
        xs = [t.requires_grad_() for t in _inputs(T, [(2, 3), (2, 3)])]
        assert T.autograd.gradgradcheck(lambda x, y: fn(T, x, y), xs)


def test_gradgradcheck_catches_a_wrong_second_derivative():
    class BadSquare(mt.autograd.Function):
        """d/dx x^2 = 2x, written as 2 * x.detach(): right first derivative, zero second."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * 2 * x.detach()

    x = mt.tensor([0.5, -1.0], dtype=mt.float64, requires_grad=True)
    assert mt.autograd.gradcheck(BadSquare.apply, (x,))
    from minitorch_ref.autograd.gradcheck import GradcheckError
    with pytest.raises(GradcheckError):
        mt.autograd.gradgradcheck(BadSquare.apply, (x,))
    assert mt.autograd.gradgradcheck(BadSquare.apply, (x,), raise_exception=False) is False
