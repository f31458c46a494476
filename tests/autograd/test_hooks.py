"""Tensor and autograd-node hooks against torch: what each hook sees (Tensors, shapes, values,
history), what a returned value replaces, handle removal (one registration per handle, even of one
function registered twice), and torch's errors for a hook returning the wrong thing.

Each scenario runs in both libraries and writes a log of plain Python values; the logs must match.
"""
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS


def seen(t):
    """A hook argument as plain values: None, or (type, shape, values, requires_grad)."""
    if t is None:
        return None
    return (type(t).__name__, tuple(t.shape), t.detach().tolist(), t.requires_grad)


def leaf_hook_registered_twice(T, log):
    x = T.tensor([1.0, 2.0], requires_grad=True)

    def double(g):
        log.append(("hook", seen(g)))
        return g * 2
    h1, h2 = x.register_hook(double), x.register_hook(double)
    log.append(("ids", h2.id - h1.id, type(h1).__name__))
    h2.remove()
    h2.remove()  # a second remove does nothing
    (x * 3).sum().backward()
    log.append(("grad", x.grad.tolist()))


def handle_as_context_manager(T, log):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    with x.register_hook(lambda g: g * 10):
        (x * 1).sum().backward()
    (x * 1).sum().backward()
    log.append(x.grad.tolist())


def non_leaf_hook_and_removal(T, log):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    h = y.register_hook(lambda g: log.append(("y", seen(g))) or g + 1)
    y.sum().backward(retain_graph=True)
    h.remove()
    y.sum().backward()
    log.append(x.grad.tolist())


def hook_removing_itself(T, log):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    handles = []

    def once(g):
        log.append("ran")
        handles[0].remove()
        return g * 5
    handles.append(x.register_hook(once))
    x.register_hook(lambda g: log.append(("second", seen(g))))
    for _ in range(2):
        (x * 1).sum().backward()
    log.append(x.grad.tolist())


def node_hook_sees_input_shapes(T, log):
    x = T.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = T.tensor(3.0, requires_grad=True)
    y = x * b
    y.grad_fn.register_hook(lambda gi, go: log.append(
        ([seen(g) for g in gi], [seen(g) for g in go])))
    y.sum().backward()


def node_hook_replaces_grad_inputs(T, log):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    b = T.tensor(3.0, requires_grad=True)
    y = x * b
    y.grad_fn.register_hook(lambda gi, go: (gi[0] * 10, None))
    y.sum().backward()
    log.append((x.grad.tolist(), b.grad))


def node_hook_with_a_constant_operand(T, log):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 5
    y.grad_fn.register_hook(lambda gi, go: log.append([seen(g) for g in gi]))
    y.sum().backward()


def node_prehook_replaces_grad_outputs(T, log):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    h = y.grad_fn.register_prehook(lambda go: log.append([seen(g) for g in go]) or (go[0] * 2,))
    y.sum().backward(retain_graph=True)
    log.append(x.grad.tolist())
    h.remove()
    x.grad = None
    y.sum().backward()
    log.append(x.grad.tolist())


def post_accumulate_grad_hook(T, log):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    h = x.register_post_accumulate_grad_hook(lambda p: log.append(p.grad.tolist()))
    (x * 2).sum().backward()
    h.remove()
    (x * 2).sum().backward()
    log.append(x.grad.tolist())


def hooks_under_create_graph(T, log):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = (x ** 3)
    y.grad_fn.register_hook(lambda gi, go: log.append(([seen(g) for g in gi],
                                                       [seen(g) for g in go])))
    x.register_hook(lambda g: log.append(("leaf", seen(g))))
    (g,) = T.autograd.grad(y.sum(), x, create_graph=True)
    g.sum().backward()
    log.append(x.grad.tolist())


def leaf_used_twice_hooks_see_the_sum(T, log):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: log.append(("hook", seen(g))))
    x.register_post_accumulate_grad_hook(lambda p: log.append(("post", p.grad.tolist())))
    (x * 2 + x * x * 3).sum().backward()
    log.append(x.grad.tolist())


def autograd_grad_returns_what_the_hooks_return(T, log):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 10)
    x.register_post_accumulate_grad_hook(lambda p: log.append("post must not run"))
    log.append(seen(T.autograd.grad((x * 2 + x * 3).sum(), x)[0]))
    y = x * 1
    y.register_hook(lambda g: g * 7)
    log.append(seen(T.autograd.grad((y * 2 + y * 3).sum(), y, retain_graph=True)[0]))
    log.append(seen(T.autograd.grad((y * 2 + y * 3).sum(), x)[0]))
    log.append(x.grad)


def hooked_leaf_partly_outside_inputs(T, log):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    w = T.tensor([3.0, 4.0], requires_grad=True)
    x.register_hook(lambda g: log.append(("x", seen(g))))
    w.register_hook(lambda g: log.append(("w", seen(g))))
    (x * w + x).sum().backward(inputs=[w])
    log.append((x.grad, w.grad.tolist()))


SCENARIOS = [leaf_hook_registered_twice, handle_as_context_manager, non_leaf_hook_and_removal,
             hook_removing_itself, node_hook_sees_input_shapes, node_hook_replaces_grad_inputs,
             node_hook_with_a_constant_operand, node_prehook_replaces_grad_outputs,
             post_accumulate_grad_hook, hooks_under_create_graph,
             leaf_used_twice_hooks_see_the_sum, autograd_grad_returns_what_the_hooks_return,
             hooked_leaf_partly_outside_inputs]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_hooks_as_torch(scenario):
    logs = {}
    for T in LIBS:
        logs[T] = []
        scenario(T, logs[T])
    assert logs[mt] == logs[torch]


def test_handle_class_is_torch_utils_hooks_removable_handle():
    for T in LIBS:
        x = T.tensor([1.0], requires_grad=True)
        handles = [x.register_hook(lambda g: g), (x * 1).grad_fn.register_hook(lambda *a: None),
                   (x * 1).grad_fn.register_prehook(lambda g: None),
                   x.register_post_accumulate_grad_hook(lambda p: None),
                   T.nn.Linear(1, 1).register_forward_hook(lambda *a: None)]
        assert all(type(h) is T.utils.hooks.RemovableHandle for h in handles)
    assert mt.utils.hooks.RemovableHandle.__module__ == "minitorch_ref.utils.hooks"


def bad_count(gi, go):
    return (gi[0],)


@pytest.mark.parametrize("hook, kind", [
    (bad_count, "post"), (lambda gi, go: 5, "post"), (lambda gi, go: [gi[0], gi[1]], "post"),
    (lambda go: (go[0], go[0]), "pre"), (lambda go: 1.5, "pre")])
def test_hook_returning_the_wrong_thing_raises_as_torch(hook, kind):
    caught = {}
    for T in LIBS:
        x = T.tensor([1.0, 2.0], requires_grad=True)
        b = T.tensor(3.0, requires_grad=True)
        y = x * b
        if kind == "post":
            y.grad_fn.register_hook(hook)
        else:
            y.grad_fn.register_prehook(hook)
        try:
            y.sum().backward()
            caught[T] = None
        except Exception as e:  # noqa: BLE001 - the type and message are compared below
            caught[T] = (type(e), str(e))
    assert caught[mt] == caught[torch]
