"""torch.utils.checkpoint against torch: both variants give the plain call's values and
gradients (dropout inside recomputed from the same random state), torch's node names, warnings
and errors; checkpoint_sequential; the saved values are dropped after the forward."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from tests.harness import assert_close


def model(T):
    T.manual_seed(0)
    return T.nn.Sequential(T.nn.Linear(4, 8), T.nn.Tanh(), T.nn.Dropout(0.5), T.nn.Linear(8, 3),
                           T.nn.Sigmoid(), T.nn.Linear(3, 2))


def run(T, how: str, reentrant):
    """Output, loss, input gradient, parameter gradients, grad_fn name, warnings, next draw."""
    m = model(T)
    x = T.tensor(np.linspace(-1, 1, 20).reshape(5, 4).astype(np.float32), requires_grad=True)
    T.manual_seed(1)
    kw = {} if reentrant == "omitted" else {"use_reentrant": reentrant}
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        if how == "plain":
            y = m(x)
        elif how == "checkpoint":
            y = T.utils.checkpoint.checkpoint(m, x, **kw)
        elif how == "checkpoint-fn":  # a function with two tensor arguments and a number
            y = T.utils.checkpoint.checkpoint(lambda a, b, s: m(a * s + b), x, x.sin(), 0.5,
                                              **kw)
        else:
            y = T.utils.checkpoint.checkpoint_sequential(m, 3, x, **kw)
    loss = (y ** 2).sum()
    after_forward = T.rand(1).item()  # the stream must be where the plain forward left it
    loss.backward()
    after_backward = T.rand(1).item()  # recomputation must not move it
    grads = [p.grad for p in m.parameters()]
    return (y, x.grad, grads, y.grad_fn.name(), [str(m.message) for m in w],
            after_forward, after_backward)


@pytest.mark.parametrize("how", ["checkpoint", "checkpoint-fn", "sequential"])
@pytest.mark.parametrize("reentrant", [True, False, "omitted"])
def test_same_as_torch(how, reentrant):
    ours, theirs = run(mt, how, reentrant), run(torch, how, reentrant)
    assert_close(ours[0], theirs[0])
    assert_close(ours[1], theirs[1], "input grad")
    for a, b in zip(ours[2], theirs[2]):
        assert_close(a, b, "parameter grad")
    assert ours[3:] == theirs[3:]


@pytest.mark.parametrize("how", ["checkpoint", "sequential"])
def test_same_gradients_as_the_plain_call(how):
    plain, ck = run(mt, "plain", False), run(mt, how, False)
    assert_close(ck[1], plain[1], "input grad")
    for a, b in zip(ck[2], plain[2]):
        assert_close(a, b, "parameter grad")


def _errors(T) -> list:
    out = []

    def rec(f):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                out.append(f"ok {f()}")
            except Exception as e:  # noqa: BLE001 - the error is the observation
                out.append(f"{type(e).__name__}: {e}")
        out.extend(f"  warning {m.message}" for m in w)

    ck = T.utils.checkpoint.checkpoint
    x = T.tensor([0.5, -1.0], requires_grad=True)
    rec(lambda: T.autograd.grad(ck(T.sin, x, use_reentrant=True).sum(), x))
    rec(lambda: T.autograd.grad(ck(T.sin, x, use_reentrant=False).sum(), x))

    def with_inputs(reentrant):
        y = ck(lambda a: a.exp() * 2, x, use_reentrant=reentrant).sum()
        y.backward(inputs=[x])
        return x.grad

    rec(lambda: with_inputs(True))
    x.grad = None
    rec(lambda: with_inputs(False))
    rec(lambda: ck(T.sin, T.tensor([1.0]), use_reentrant=True).requires_grad)
    rec(lambda: ck(T.sin, x, use_reentrant=True, extra=1))
    rec(lambda: ck(T.sin, x, use_reentrant=True, debug=True))
    rec(lambda: T.utils.checkpoint.checkpoint_sequential([T.sin, T.cos], 2, x, extra=1))

    def no_output_grad():
        z = ck(lambda a: a.detach() * 2, x, use_reentrant=True)
        return z.requires_grad

    rec(no_output_grad)
    return out


def test_errors_and_warnings_as_torch():
    assert _errors(mt) == _errors(torch)


def test_non_reentrant_drops_saved_values():
    """After the forward the checkpointed nodes hold nothing; backward brings it back."""
    x = mt.tensor([0.5, 1.0], requires_grad=True)
    y = mt.utils.checkpoint.checkpoint(lambda a: a.exp().sin(), x, use_reentrant=False)
    assert y.grad_fn.name() == "SinBackward0"
    assert y.grad_fn._to_save is None
    assert y.grad_fn.next_functions[0][0]._to_save is None
    y.sum().backward()
    assert_close(x.grad, mt.cos(x.exp()) * x.exp())


def test_create_graph_through_non_reentrant_is_refused():
    x = mt.tensor([0.5, 1.0], requires_grad=True)
    y = mt.utils.checkpoint.checkpoint(lambda a: a.exp().sin(), x, use_reentrant=False)
    with pytest.raises(NotImplementedError, match="create_graph=True"):
        mt.autograd.grad(y.sum(), x, create_graph=True)
