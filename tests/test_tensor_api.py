"""The Tensor API against torch: attributes, conversions, creation functions,
autograd entry points (requires_grad_, retain_grad, register_hook, backward, detach) and the
errors torch raises for them."""
from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check, check_raises

ARR = np.array([[1.5, -2.0, 3.25], [0.0, 4.0, -1.0]], dtype=np.float32)


def both(arr=ARR, **kw):
    return {T: T.tensor(arr, **kw) for T in LIBS}


@pytest.mark.parametrize("arr", [ARR, ARR[0], np.array(2.5), np.zeros((2, 0, 3)),
                                 np.arange(6).reshape(3, 2), np.array([True, False])],
                         ids=["2d", "1d", "0d", "empty", "int", "bool"])
def test_metadata(arr):
    t, m = both(arr).values()
    assert m.shape == t.shape and isinstance(m.shape, tuple)
    assert m.size() == t.size() and tuple(m.size()) == tuple(t.size())
    for d in range(-t.dim(), t.dim()):
        assert m.size(d) == t.size(d)
        assert m.stride(d) == t.stride(d)
    assert m.dim() == t.dim() and m.ndim == t.ndim and m.ndimension() == t.ndimension()
    assert m.numel() == t.numel() and m.nelement() == t.nelement()
    assert mt.numel(m) == torch.numel(t)
    assert repr(m.dtype) == repr(t.dtype)
    assert m.stride() == t.stride()
    assert m.is_contiguous() == t.is_contiguous()
    assert m.element_size() == t.element_size()
    assert m.is_floating_point() == t.is_floating_point()
    assert m.is_leaf == t.is_leaf and m.requires_grad == t.requires_grad
    assert m.grad is None and m.grad_fn is None
    assert str(m.device) == str(t.device) and not m.is_cuda
    if t.dim() > 0:
        assert len(m) == len(t)


def test_item_tolist_numpy_array():
    t, m = both().values()
    assert m.tolist() == t.tolist()
    assert m[0, 0].item() == t[0, 0].item()
    assert type(m[0, 0].item()) is type(t[0, 0].item())
    ti, mi = both(np.array([3, 4])).values()
    assert type(mi[0].item()) is int and mi.tolist() == ti.tolist()
    tb, mb = both(np.array([True])).values()
    assert type(mb.item()) is bool and mb.item() == tb.item()
    np.testing.assert_array_equal(m.numpy(), t.numpy())
    np.testing.assert_array_equal(np.asarray(m), np.asarray(t))
    assert np.asarray(m).dtype == np.float32
    assert float(m[1, 1]) == float(t[1, 1]) and int(m[0, 2]) == int(t[0, 2])
    assert bool(m[1, 1]) == bool(t[1, 1])
    assert f"{m[0, 0]:.2f}" == f"{t[0, 0]:.2f}"
    # torch reads our tensors through __array__, and we read torch's
    assert_close(torch.as_tensor(np.asarray(m)), t)
    assert_close(mt.tensor(t), t)
    assert [x.tolist() for x in m] == [x.tolist() for x in t]


def test_numpy_shares_memory():
    for T in LIBS:
        a = np.zeros(3, dtype=np.float32)
        x = T.from_numpy(a)
        a[0] = 5
        assert x[0].item() == 5
        x.numpy()[1] = 7
        assert a[1] == 7


def test_item_and_numpy_errors():
    check_raises(lambda T, x: x.item(), ARR)
    check_raises(lambda T, x: x.numpy(), ARR)  # requires grad
    check_raises(lambda T: bool(T.ones(2)))
    check_raises(lambda T: bool(T.ones(0)))
    check_raises(lambda T: len(T.tensor(1.0)))
    check_raises(lambda T: iter(T.tensor(1.0)))
    check_raises(lambda T: [1, 2][T.tensor(1.0)])


@pytest.mark.parametrize("method", ["float", "double", "long", "int", "bool", "half"])
def test_dtype_methods(method):
    t, m = both().values()
    assert_close(getattr(m, method)(), getattr(t, method)())
    ti, mi = both(np.array([1, 0, 3])).values()
    assert_close(getattr(mi, method)(), getattr(ti, method)())


def test_to_variants():
    t, m = both().values()
    for args, kw in [((mt.float64,), {}), ((), {"dtype": mt.int64}), (("cpu",), {}),
                     (("cpu", mt.float64), {}), ((), {"device": "cpu", "dtype": mt.bool})]:
        targs = tuple(getattr(torch, str(a).split(".")[1]) if isinstance(a, mt.dtype) else a
                      for a in args)
        tkw = {k: getattr(torch, str(v).split(".")[1]) if isinstance(v, mt.dtype) else v
               for k, v in kw.items()}
        assert_close(m.to(*args, **kw), t.to(*targs, **tkw))
    assert m.to(mt.float32) is m and t.to(torch.float32) is t  # no-op returns self
    assert m.to(mt.float32, copy=True) is not m
    assert_close(m.to(mt.tensor([1], dtype=mt.int32)), t.to(torch.tensor([1], dtype=torch.int32)))
    assert m.type() == t.type() == "torch.FloatTensor"
    assert_close(m.type(mt.float64), t.type(torch.float64))
    assert m.cpu() is m and m.contiguous() is m


def test_T_and_transposes():
    check(lambda T, x: (x.T, x.mT, x.t()), ARR)
    check(lambda T, x: x.T, ARR[0])


def test_contiguous_and_clone():
    for T in LIBS:
        x = T.tensor(ARR)
        y = x.t()
        assert not y.is_contiguous()
        z = y.contiguous()
        assert z.is_contiguous() and z.stride() == (2, 1)
        c = x.clone()
        c[0, 0] = 100
        assert x[0, 0].item() == 1.5
    check(lambda T, x: x.t().contiguous(), ARR)
    check(lambda T, x: x.clone(), ARR)


def test_requires_grad_and_leaf():
    for T in LIBS:
        x = T.tensor(ARR)
        assert x.requires_grad_() is x and x.requires_grad and x.is_leaf
        y = x * 2
        assert not y.is_leaf and y.requires_grad
        x.requires_grad = False
        assert not x.requires_grad
        d = y.detach()
        assert d.is_leaf and not d.requires_grad and d.grad_fn is None
    check_raises(lambda T: T.tensor([1, 2]).requires_grad_())
    check_raises(lambda T: setattr(T.tensor([1, 2]), "requires_grad", True))
    check_raises(lambda T: T.tensor([1, 2], requires_grad=True))
    check_raises(lambda T: T.zeros(2, dtype=T.int64, requires_grad=True))
    check_raises(lambda T, x: (x * 2).requires_grad_(False), ARR)


def test_detach_shares_data():
    for T in LIBS:
        x = T.tensor(ARR, requires_grad=True)
        d = x.detach()
        d[0, 0] = 9.0
        assert x[0, 0].item() == 9.0
        assert x.data[0, 0].item() == 9.0


# Tensors torch counts as views (``_base`` set): detach_() refuses them, whatever their base's
# requires_grad or grad mode; view(dtype), detach(), .data and ops that return self or a copy
# are not views, and detach_() works on them
VIEWS = {
    "index": lambda T, x: x[0], "slice": lambda T, x: x[1:], "view": lambda T, x: x.view(-1),
    "reshape": lambda T, x: x.reshape(12), "t": lambda T, x: x.t(), "T": lambda T, x: x.T,
    "expand": lambda T, x: x[:1].expand(3, 4), "split": lambda T, x: x.split(2)[0],
    "unbind": lambda T, x: x.unbind()[1], "chunk": lambda T, x: x.chunk(2)[0],
    "diagonal": lambda T, x: x.diagonal(), "unfold": lambda T, x: x.unfold(1, 2, 1),
    "narrow": lambda T, x: x.narrow(0, 0, 2), "unsqueeze": lambda T, x: x.unsqueeze(0),
    "permute": lambda T, x: x.permute(1, 0), "select": lambda T, x: x.select(1, 2),
    "view_as": lambda T, x: x.view_as(x), "flatten": lambda T, x: x.flatten(),
    "movedim": lambda T, x: x.movedim(0, 1), "of_a_view": lambda T, x: x[1:][0],
    "of_history": lambda T, x: (x * 2)[0], "inplace_on_view": lambda T, x: (x * 1)[0].mul_(2),
}
NOT_VIEWS = {
    "detach": lambda T, x: x.detach(), "detach_of_view": lambda T, x: x[0].detach(),
    "data": lambda T, x: x.data, "view_dtype": lambda T, x: x.view(T.int32),
    "reshape_copy": lambda T, x: x.t().reshape(12), "contiguous": lambda T, x: x.contiguous(),
    "clone": lambda T, x: x.clone(), "history": lambda T, x: x * 2,
    "index_copy": lambda T, x: x[[0, 1]],
}


@pytest.mark.parametrize("requires_grad", [True, False])
@pytest.mark.parametrize("name", sorted(VIEWS))
def test_detach_inplace_refuses_views(name, requires_grad):
    arr = np.arange(12.0, dtype=np.float32).reshape(3, 4)
    check_raises(lambda T, x: VIEWS[name](T, x.requires_grad_(requires_grad)).detach_(), arr)
    for T in LIBS:  # also when made under no_grad
        x = T.tensor(arr, requires_grad=requires_grad)
        with T.no_grad():
            v = VIEWS[name](T, x)
        with pytest.raises(RuntimeError, match="Can't detach views in-place"):
            v.detach_()


@pytest.mark.parametrize("name", sorted(NOT_VIEWS))
def test_detach_inplace_on_non_views(name):
    arr = np.arange(12.0, dtype=np.float32).reshape(3, 4)
    seen = {}
    for T in LIBS:
        x = T.tensor(arr, requires_grad=True)
        t = NOT_VIEWS[name](T, x)
        seen[T] = (t._base is None, t.detach_() is t, t.requires_grad, t.grad_fn, t.is_leaf)
    assert seen[mt] == seen[torch]


def test_detached_view_records_its_own_history():
    """x[0].detach() is not a view: an in-place op with a differentiable operand gives it the
    op's own node (MulBackward0), not a rebased view's (AsStridedBackward0)."""
    names = {}
    for T in LIBS:
        d = (T.ones(3, 4) * 1)[0].detach()
        d.mul_(T.ones(4, requires_grad=True))
        names[T] = (type(d.grad_fn).__name__, d._base is None)
    assert names[mt] == names[torch] == ("MulBackward0", True)


def test_zero_grad_on_a_view_gradient_with_history():
    """zero_grad(set_to_none=False) detaches a gradient with history in place: torch refuses a
    view (the optimizer's and the module's); a view without history is zeroed in place."""
    def run(T, how):
        q = T.ones(2, 3, requires_grad=True)
        lin = T.nn.Linear(3, 1)
        lin.bias.grad = (q * 2)[0, :1]
        if how == "module":
            lin.zero_grad(set_to_none=False)
        else:
            T.optim.SGD(lin.parameters(), lr=0.1).zero_grad(set_to_none=False)
    for how in ("module", "optimizer"):
        check_raises(lambda T: run(T, how))
    for T in LIBS:
        p = T.ones(3, requires_grad=True)
        held = T.full((2, 3), 5.0)
        p.grad = held[1]
        T.optim.SGD([p], lr=0.1).zero_grad(set_to_none=False)
        assert held.tolist() == [[5.0] * 3, [0.0] * 3]


def test_backward_and_grad():
    check(lambda T, x: (x * x).sum(), ARR)
    out = {}
    for T in LIBS:
        x = T.tensor(ARR, requires_grad=True)
        y = (x * 3).sum()
        y.backward()
        (x ** 2).sum().backward()  # accumulates
        out[T] = x.grad
    assert_close(out[mt], out[torch])
    for T in LIBS:
        x = T.tensor(ARR, requires_grad=True)
        y = x * 2
        y.backward(T.ones_like(y))
        assert x.grad.tolist() == T.full_like(x, 2.0).tolist()
    check_raises(lambda T, x: (x * 2).backward(), ARR)
    check_raises(lambda T, x: [(y := x.exp().sum()).backward(), y.backward()], ARR)


def test_retain_grad_and_hooks():
    res = {}
    for T in LIBS:
        x = T.tensor(ARR, requires_grad=True)
        y = x * 2
        y.retain_grad()
        seen = []
        h = y.register_hook(lambda g: seen.append(g.clone()) or g * 10)
        x.register_hook(lambda g: g + 1)
        (y * y).sum().backward()
        res[T] = (x.grad, y.grad, seen[0])
        h.remove()
    for a, b in zip(res[mt], res[torch]):
        assert_close(a, b)
    check_raises(lambda T: T.ones(2).retain_grad())
    check_raises(lambda T: T.ones(2).register_hook(lambda g: g))


def test_non_leaf_grad_warns():
    for T in LIBS:
        x = T.tensor(ARR, requires_grad=True)
        y = x * 2
        with pytest.warns(UserWarning, match="is not a leaf Tensor"):
            assert y.grad is None


def test_grad_assignment():
    for T in LIBS:
        x = T.tensor(ARR, requires_grad=True)
        x.grad = T.ones_like(x)
        assert x.grad.sum().item() == 6
        x.grad = None
        assert x.grad is None
    check_raises(lambda T, x: setattr(x, "grad", T.ones(3)), ARR)
    check_raises(lambda T, x: setattr(x, "grad", T.ones(2, 3, dtype=T.float64)), ARR)


def test_deepcopy_and_pickle():
    for T in LIBS:
        x = T.tensor(ARR, requires_grad=True)
        y = copy.deepcopy(x)
        assert y.requires_grad and y is not x and y.tolist() == x.tolist()
        z = pickle.loads(pickle.dumps(x))
        assert z.requires_grad and z.tolist() == x.tolist()
    check_raises(lambda T, x: copy.deepcopy(x * 2), ARR)


def test_new_methods():
    t, m = both().values()
    for name, args in [("new_zeros", (2, 3)), ("new_ones", ((4,),)), ("new_empty", (2,)),
                       ("new_full", ((2,), 7.0)), ("new_tensor", ([1, 2],))]:
        a, b = getattr(m, name)(*args), getattr(t, name)(*args)
        assert a.shape == b.shape and repr(a.dtype) == repr(b.dtype)
        if name != "new_empty":
            assert_close(a, b)


# the new_* family: (method, args, keywords) over source dtypes; values compared where torch's
# are defined (new_empty*: shape, dtype, requires_grad and strides only)
NEW_CALLS = [
    ("new_tensor", ([1, 2],), {}), ("new_tensor", (2.5,), {}),
    ("new_tensor", ([1.5],), {"dtype": "int64"}), ("new_tensor", ([1.0],), {"dtype": float}),
    ("new_tensor", ([1.0],), {"requires_grad": True, "dtype": "float64"}),
    ("new_tensor", ([1.0],), {"device": "cpu"}),
    ("new_zeros", (2, 3), {}), ("new_zeros", ((2, 3),), {}), ("new_zeros", ([2, 0],), {}),
    ("new_zeros", ("size",), {}), ("new_zeros", (), {"size": (2,)}), ("new_zeros", (2, True), {}),
    ("new_zeros", (2,), {"dtype": "int32"}), ("new_zeros", (2,), {"dtype": float}),
    ("new_zeros", (2,), {"dtype": int}), ("new_zeros", (2,), {"dtype": bool}),
    ("new_zeros", (2,), {"requires_grad": True, "dtype": "float32"}),
    ("new_zeros", (2,), {"layout": "strided", "pin_memory": False, "device": "cpu"}),
    ("new_ones", (2,), {"dtype": "bool"}), ("new_ones", ((), ), {}),
    ("new_ones", ((2,),), {"dtype": "float64", "requires_grad": True}),
    ("new_empty", (2, 3), {}), ("new_empty", ((2, 3),), {"dtype": "int8"}),
    ("new_empty", (2,), {"requires_grad": True, "dtype": "float64"}),
    ("new_full", ((2,), 3), {}), ("new_full", ((2,), 3), {"dtype": "int64"}),
    ("new_full", ([2, 3], 1.5), {}), ("new_full", ((2,), True), {}),
    ("new_full", ((2,), 2.5), {"requires_grad": True, "dtype": "float32"}),
    ("new_full", (), {"size": (2,), "fill_value": 1}), ("new_full", ((2,), 2**62), {}),
    ("new_empty_strided", ((2, 3), (3, 1)), {}), ("new_empty_strided", ((2, 3), (1, 2)), {}),
    ("new_empty_strided", ((2, 3), (0, 1)), {}), ("new_empty_strided", ((0, 3), (3, 1)), {}),
    ("new_empty_strided", ((2, 3), (3, 1)), {"dtype": "float64", "requires_grad": True}),
    ("new_empty_strided", ((2,), (1,)), {"device": "cpu"}),
]
NEW_ERRORS = [
    ("new_tensor", ([1], "cpu"), {}), ("new_tensor", (), {}), ("new_zeros", (), {}),
    ("new_zeros", (2, 3.5), {}), ("new_zeros", (3.5,), {}), ("new_zeros", ((2, 3.5),), {}),
    ("new_zeros", (-1,), {}), ("new_zeros", (-1, 2), {}), ("new_zeros", (2,), {"size": (2,)}),
    ("new_zeros", (2,), {"out": "x"}), ("new_zeros", (2,), {"foo": 1}), ("new_ones", ("a",), {}),
    ("new_ones", (-1,), {}), ("new_empty", (), {}), ("new_empty", (-2,), {}),
    ("new_empty", (2, 3.5), {}), ("new_full", (2, 3), {}), ("new_full", ((2,),), {}),
    ("new_full", ((2,), "a"), {}), ("new_full", ((2,), None), {}), ("new_full", ((-1,), 2), {}),
    ("new_full", ((1,), 2**63), {"dtype": "int64"}), ("new_full", ((1,), 2**64), {}),
    ("new_full", ((1,), -2**63 - 1), {}), ("new_full", ((1,), 2**31), {"dtype": "int32"}),
    ("new_full", ((1,), -1.5), {"dtype": "uint8"}), ("new_empty_strided", ((2, 3),), {}),
    ("new_empty_strided", ((2, 3), (1,)), {}), ("new_empty_strided", (2, 1), {}),
    ("new_empty_strided", ((2,), (-1,)), {}), ("new_empty_strided", ((-2,), (1,)), {}),
]


def _new_call(T, x, name, args, kw):
    def lib(v):
        if v == "size":
            return T.Size([2, 1])
        if v == "x":
            return x
        return getattr(T, v) if isinstance(v, str) and v not in ("cpu", "a") else v
    args = tuple(lib(a) if isinstance(a, str) else a for a in args)
    kw = {k: lib(v) if isinstance(v, str) and k != "device" else v for k, v in kw.items()}
    return getattr(x, name)(*args, **kw)


@pytest.mark.parametrize("src", ["float32", "int64", "bool", "float64"])
@pytest.mark.parametrize("k", range(len(NEW_CALLS)))
def test_new_family(src, k):
    name, args, kw = NEW_CALLS[k]
    made = {}
    for T in (torch, mt):
        x = T.ones(2, dtype=getattr(T, src))
        try:
            made[T] = _new_call(T, x, name, args, kw)
        except Exception as e:  # noqa: BLE001 - compared below
            made[T] = e
    if isinstance(made[torch], Exception):  # 2.5 into a bool source, 2**62 into float16, ...
        check_raises(lambda T: _new_call(T, T.ones(2, dtype=getattr(T, src)), name, args, kw))
        return
    ours, theirs = made[mt], made[torch]
    assert not isinstance(ours, Exception), f"torch gives {theirs!r}, we raise {ours!r}"
    assert tuple(ours.shape) == tuple(theirs.shape) and str(ours.dtype) == str(theirs.dtype)
    assert ours.requires_grad == theirs.requires_grad and ours.grad_fn is None
    assert ours.stride() == theirs.stride()
    if "empty" not in name:
        assert_close(ours, theirs)


@pytest.mark.parametrize("k", range(len(NEW_ERRORS)))
def test_new_family_errors(k):
    name, args, kw = NEW_ERRORS[k]
    check_raises(lambda T: _new_call(T, T.ones(2), name, args, kw))


@pytest.mark.parametrize("make", [
    lambda T: T.zeros(2, dtype=float), lambda T: T.ones(2).to(float),
    lambda T: T.tensor([1], dtype=float), lambda T: T.full((2,), 1, dtype=float),
    lambda T: T.ones(2, dtype=int), lambda T: T.tensor([1.5], dtype=bool),
])
@pytest.mark.parametrize("default", ["float32", "float64"])
def test_python_types_as_dtypes(make, default):
    """Python's float is float64 (not the default dtype), int int64, bool bool, as in torch."""
    for T in (torch, mt):
        T.set_default_dtype(getattr(T, default))
    try:
        check(make, grad=False)
    finally:
        for T in (torch, mt):
            T.set_default_dtype(T.float32)


@pytest.mark.parametrize("args", [(3.5, 2), ((3.5, 2),), ([2, 3.5],), (2, None), ((2, "a"),),
                                  (2, True), ((2, True),), (3.5,), ([3.5],), (True,)])
@pytest.mark.parametrize("factory", ["zeros", "ones", "empty"])
def test_factory_size_messages(factory, args):
    """torch's parser: a bad first entry names the position, a later one "failed to unpack";
    a bool after the first entry counts as an int."""
    def call(T):
        return tuple(getattr(T, factory)(*args).shape)
    try:
        call(torch)
    except Exception:  # noqa: BLE001 - the error is the comparison
        check_raises(call)
        return
    assert call(mt) == call(torch)


# -- creation --------------------------------------------------------------------------------------

CREATE = [
    lambda T: T.tensor([1.0, 2.0]), lambda T: T.tensor([1, 2]), lambda T: T.tensor(True),
    lambda T: T.tensor([[1, 2.5]]), lambda T: T.tensor(3), lambda T: T.tensor([]),
    lambda T: T.tensor(np.float64(1.5)), lambda T: T.tensor(np.arange(3, dtype=np.int32)),
    lambda T: T.tensor([1, 2], dtype=T.float64), lambda T: T.tensor([True, 0]),
    lambda T: T.as_tensor([1.0, 2.0]), lambda T: T.as_tensor(np.ones(2), dtype=T.float32),
    lambda T: T.zeros(2, 3), lambda T: T.zeros((2, 3), dtype=T.int64), lambda T: T.zeros([]),
    lambda T: T.ones(4), lambda T: T.ones(2, 0), lambda T: T.full((2,), 1.5),
    lambda T: T.full((2,), 3), lambda T: T.full((2,), True), lambda T: T.full([], 2.0),
    lambda T: T.arange(5), lambda T: T.arange(1, 4, 0.5), lambda T: T.arange(0.0, 1.0, 0.1),
    lambda T: T.arange(5, dtype=T.float64), lambda T: T.arange(10, 0, -3),
    lambda T: T.linspace(0, 1, 5), lambda T: T.linspace(-1, 1, 7, dtype=T.float64),
    lambda T: T.linspace(0, 1, 1), lambda T: T.linspace(3, 9, 0), lambda T: T.eye(3),
    lambda T: T.eye(2, 4, dtype=T.int64), lambda T: T.logspace(0, 2, 3),
    lambda T: T.zeros_like(T.ones(2, dtype=T.int32)), lambda T: T.ones_like(T.ones(2, 2)),
    lambda T: T.full_like(T.ones(3), 4), lambda T: T.empty(2, 3).shape,
    lambda T: T.empty_like(T.ones(2, dtype=T.float64)).dtype,
    lambda T: T.zeros(2, requires_grad=True), lambda T: T.scalar_tensor(2),
]


@pytest.mark.parametrize("i", range(len(CREATE)))
def test_creation(i):
    fn = CREATE[i]
    t, m = fn(torch), fn(mt)
    if isinstance(t, torch.Tensor):
        assert_close(m, t)
        assert m.requires_grad == t.requires_grad
    else:
        assert repr(m) == repr(t)


def test_creation_errors():
    check_raises(lambda T: T.zeros(-1))
    check_raises(lambda T: T.arange(0, 10, 0))
    check_raises(lambda T: T.tensor("a"))
    check_raises(lambda T: T.linspace(0, 1, -1))
    check_raises(lambda T: T.eye(-1))


def test_default_dtype():
    try:
        for T in LIBS:
            T.set_default_dtype(T.float64)
        assert_close(mt.tensor([1.5]), torch.tensor([1.5]))
        assert_close(mt.ones(2), torch.ones(2))
        assert_close(mt.arange(0.0, 1.0, 0.25), torch.arange(0.0, 1.0, 0.25))
        assert_close(mt.tensor([1, 2]) / 2, torch.tensor([1, 2]) / 2)
    finally:
        for T in LIBS:
            T.set_default_dtype(T.float32)
    check_raises(lambda T: T.set_default_dtype(T.int64))


# what the default dtype decides: Python floats, float factories, true division, modules
UNDER_DEFAULT = [
    lambda T: T.tensor([1.5]), lambda T: T.tensor(2.5), lambda T: T.zeros(2), lambda T: T.ones(2),
    lambda T: T.full((2,), 2.5), lambda T: T.arange(3.0), lambda T: T.arange(0.0, 1.0, 0.25),
    lambda T: T.linspace(0, 1, 3), lambda T: T.tensor(True) + 1.5, lambda T: T.tensor([1]) / 2,
    lambda T: T.tensor([1, 2]) * 0.5, lambda T: T.Tensor([1]), lambda T: T.as_tensor([1.0]),
    lambda T: T.tensor([1]).float(), lambda T: T.tensor([[1.5, 2]]).sum(), lambda T: T.eye(2),
    lambda T: T.tensor(np.float64(2.5)), lambda T: T.tensor([1.5], dtype=T.float32) + 1.5,
    lambda T: T.ones(2, dtype=T.float16) * 3,
]


@pytest.mark.parametrize("default", ["float16", "float64"])
@pytest.mark.parametrize("k", range(len(UNDER_DEFAULT)))
def test_default_dtype_decides(default, k):
    for T in LIBS:
        T.set_default_dtype(getattr(T, default))
    try:
        assert str(mt.get_default_dtype()) == str(torch.get_default_dtype())
        check(UNDER_DEFAULT[k], grad=False)
    finally:
        for T in LIBS:
            T.set_default_dtype(T.float32)


@pytest.mark.parametrize("make", [
    lambda T: T.randn(2), lambda T: T.rand(3), lambda T: T.empty(2),
    lambda T: T.nn.Linear(2, 3).weight, lambda T: T.randn(20),
])
def test_float16_default_dtype_of_random_and_empty(make):
    """float16 draws differ from torch's (a float16 stream is not reproduced); dtype and shape
    are the default's."""
    made = {}
    for T in LIBS:
        T.set_default_dtype(T.float16)
        try:
            made[T] = make(T)
        finally:
            T.set_default_dtype(T.float32)
    assert str(made[mt].dtype) == str(made[torch].dtype) == "torch.float16"
    assert tuple(made[mt].shape) == tuple(made[torch].shape)


@pytest.mark.parametrize("bad", [
    lambda T: T.int64, lambda T: T.bool, lambda T: T.complex64, lambda T: T.float8_e4m3fn,
    lambda T: float, lambda T: "float32", lambda T: np.float32,
])
def test_set_default_dtype_errors(bad):
    check_raises(lambda T: T.set_default_dtype(bad(T)))
    assert str(mt.get_default_dtype()) == "torch.float32"


def test_bfloat16_default_dtype_is_refused_clearly():
    """torch computes in bfloat16; NumPy has no such type: a TypeError (torch's type for a
    default dtype it refuses) that is also the NotImplementedError of a missing feature."""
    torch.set_default_dtype(torch.bfloat16)
    torch.set_default_dtype(torch.float32)
    with pytest.raises(TypeError, match="NumPy has no bfloat16") as caught:
        mt.set_default_dtype(mt.bfloat16)
    assert isinstance(caught.value, NotImplementedError)
    assert str(mt.get_default_dtype()) == "torch.float32"


# -- the NumPy bridge refuses tensors that require grad ------------------------------------------


@pytest.mark.parametrize("convert", [
    lambda t: np.asarray(t), lambda t: np.array(t), lambda t: np.asarray(t, dtype=np.float64),
    lambda t: np.mean(np.asarray(t)), lambda t: np.asarray([t, t]), lambda t: t.numpy(),
    lambda t: np.stack([t]), lambda t: np.add(t, 1)])
@pytest.mark.parametrize("make", [lambda T: T.ones(2, requires_grad=True),
                                  lambda T: T.ones(2, requires_grad=True) * 2,
                                  lambda T: T.nn.Parameter(T.ones(2))])
def test_numpy_conversion_of_a_tensor_requiring_grad(convert, make):
    check_raises(lambda T: convert(make(T)))
    for T in (torch, mt):  # allowed under no_grad, and after detach
        t = make(T)
        with T.no_grad():
            a = np.asarray(convert(t))
        np.testing.assert_array_equal(a, np.asarray(convert(t.detach())))
