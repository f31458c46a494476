"""torch's legacy tensor types (``torch.FloatTensor``, ...), the legacy ``torch.Tensor(...)``
constructor, ``Tensor.type``/``type_as``/``byte``/``char``/``short``, and torch.tensor's overflow
and ragged-list errors, against torch."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import assert_close, check, check_raises

TYPES = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
         "CharTensor", "ByteTensor", "BoolTensor"]

DATA = [
    lambda T: ([1, 2],), lambda T: ([[1.7, -2.2], [0.0, 3.9]],), lambda T: ((1, 0),),
    lambda T: (range(3),), lambda T: ([True, False],), lambda T: ([],),
    lambda T: (np.array([1.5, 2.5]),), lambda T: (np.array([1, 0], dtype=np.int32),),
    lambda T: ([np.float32(1.5), 2],),
]


@pytest.mark.parametrize("name", TYPES)
@pytest.mark.parametrize("k", range(len(DATA)))
def test_legacy_constructor_from_data(name, k):
    try:
        getattr(torch, name)(*DATA[k](torch))
    except Exception:  # noqa: BLE001 - torch refuses (overflow, NumPy float into an integer)
        check_raises(lambda T: getattr(T, name)(*DATA[k](T)))
        return
    check(lambda T: getattr(T, name)(*DATA[k](T)), grad=False)


@pytest.mark.parametrize("name", TYPES + ["Tensor"])
@pytest.mark.parametrize("args", [(), (2, 3), (0,), (np.int64(3),), ("size",)])
def test_legacy_constructor_sizes(name, args):
    """Uninitialised memory: shape and dtype agree (values are whatever memory held)."""
    for_lib = {T: tuple(T.Size([2, 1]) if a == "size" else a for a in args) for T in (torch, mt)}
    ours, theirs = getattr(mt, name)(*for_lib[mt]), getattr(torch, name)(*for_lib[torch])
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype)


@pytest.mark.parametrize("name", ["FloatTensor", "LongTensor", "Tensor"])
def test_legacy_constructor_aliases_a_tensor_of_its_dtype(name):
    for T in (torch, mt):
        src = T.tensor([1.0, 2.0]) if name != "LongTensor" else T.tensor([1, 2])
        t = getattr(T, name)(src)
        t[0] = 7
        assert src[0].item() == 7 and t is not src
    # with history: an alias node, gradient flows back
    check(lambda T, x: T.Tensor(x * 2), np.array([1.0, 2.0], dtype=np.float32),
          grad_fn_name=True)


def test_tensor_constructor_aliases_any_dtype_and_follows_the_default_dtype():
    check(lambda T: T.Tensor(T.tensor([1, 2])), grad=False)
    check(lambda T: T.Tensor(np.array([True])), grad=False)
    for T in (torch, mt):
        T.set_default_dtype(T.float64)
        try:
            assert str(T.Tensor([1]).dtype) == "torch.float64"
            assert str(T.FloatTensor([1]).dtype) == "torch.float32"
        finally:
            T.set_default_dtype(T.float32)


def test_legacy_constructor_shares_an_ndarray_of_its_dtype():
    a = np.array([1.0, 2.0], dtype=np.float32)
    mt.FloatTensor(a)[0] = 5
    b = np.array([1.0, 2.0])
    mt.FloatTensor(b)[0] = 5
    a_t = np.array([1.0, 2.0], dtype=np.float32)
    torch.FloatTensor(a_t)[0] = 5
    b_t = np.array([1.0, 2.0])
    torch.FloatTensor(b_t)[0] = 5
    assert a.tolist() == a_t.tolist() and b.tolist() == b_t.tolist()


@pytest.mark.parametrize("call", [
    lambda T: T.IntTensor(T.tensor([1, 2])), lambda T: T.FloatTensor(T.tensor([1, 2])),
    lambda T: T.FloatTensor([1], requires_grad=True), lambda T: T.FloatTensor(2, 3, dtype=T.int64),
    lambda T: T.FloatTensor(2.5, 3), lambda T: T.FloatTensor([1], [2]),
    lambda T: T.FloatTensor(np.float64(2)), lambda T: T.FloatTensor(True),
    lambda T: T.FloatTensor(None), lambda T: T.FloatTensor("ab"), lambda T: T.FloatTensor(-1),
    lambda T: T.FloatTensor(2, -3), lambda T: T.ByteTensor([1, 300]),
    lambda T: T.LongTensor([[1, 2], [3]]),
])
def test_legacy_constructor_errors(call):
    check_raises(call)


@pytest.mark.parametrize("name", TYPES)
def test_legacy_type_isinstance_and_repr(name):
    for dtype in ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8",
                  "bool"]:
        ours = mt.zeros(2, dtype=getattr(mt, dtype))
        theirs = torch.zeros(2, dtype=getattr(torch, dtype))
        assert isinstance(ours, getattr(mt, name)) == isinstance(theirs, getattr(torch, name))
    assert isinstance(mt.nn.Parameter(mt.ones(1)), mt.FloatTensor)
    cls_o, cls_t = getattr(mt, name), getattr(torch, name)
    assert repr(cls_o) == repr(cls_t) and str(cls_o) == str(cls_t)
    assert str(cls_o.dtype) == str(cls_t.dtype)
    assert cls_o.__name__ == cls_t.__name__
    assert issubclass(cls_o, mt.Tensor) == issubclass(cls_t, torch.Tensor)
    assert type(cls_o(2)) is mt.Tensor


@pytest.mark.parametrize("target", [
    lambda T: T.LongTensor, lambda T: "torch.ByteTensor", lambda T: "torch.CharTensor",
    lambda T: "torch.ShortTensor", lambda T: "torch.HalfTensor", lambda T: T.int8,
    lambda T: "torch.FloatTensor", lambda T: T.DoubleTensor, lambda T: "torch.BoolTensor",
    lambda T: "torch.IntTensor", lambda T: T.float32])
def test_type_conversions(target):
    check(lambda T, x: x.type(target(T)), np.array([1.5, -2.7, 0.0, 3.2], dtype=np.float32))


def test_type_names_and_errors():
    for dtype in ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8",
                  "bool"]:
        assert mt.zeros(1, dtype=getattr(mt, dtype)).type() == \
            torch.zeros(1, dtype=getattr(torch, dtype)).type()
    check_raises(lambda T: T.ones(1).type("float"))
    check_raises(lambda T: T.ones(1).type(float))
    t = mt.ones(2)
    assert t.type(mt.FloatTensor) is t and t.type("torch.FloatTensor") is t


@pytest.mark.parametrize("method", ["byte", "char", "short"])
def test_byte_char_short(method):
    check(lambda T, x: getattr(x, method)(), np.array([1.5, -2.7, 300.0, 0.0], dtype=np.float32))
    check(lambda T, x: getattr(x, method)(), np.array([1, -2, 300, 0]))


@pytest.mark.parametrize("other", [np.float64, np.float32, np.int64, np.bool_, np.float16])
@pytest.mark.parametrize("src", [np.float32, np.int64])
def test_type_as(src, other):
    check(lambda T, x: x.type_as(T.zeros(1, dtype=T.tensor(np.zeros(1, other)).dtype)),
          np.array([1.5, -2.5, 0.0]).astype(src), grad_fn_name=True)
    ours = mt.ones(2)
    assert ours.type_as(mt.zeros(1)) is ours


@pytest.mark.parametrize("make", [
    lambda T: T.tensor([-255, -256], dtype=T.uint8), lambda T: T.tensor([-1.5], dtype=T.uint8),
    lambda T: T.tensor([127.9, -128.9], dtype=T.int8),
    lambda T: T.tensor([np.float64(300)], dtype=T.uint8),
    lambda T: T.tensor([float("nan")], dtype=T.int64),
    lambda T: T.tensor([float("inf")], dtype=T.int32),
    lambda T: T.tensor([[1, 2], [300, 3]], dtype=T.uint8), lambda T: T.tensor([2 ** 70]),
    lambda T: T.tensor([2 ** 70], dtype=T.int64),
    lambda T: T.tensor([[1], [2, 3]]), lambda T: T.tensor([[1, 2], 3], dtype=T.float32),
    lambda T: T.tensor([1, [2]]), lambda T: T.tensor([1.5, [2]]),
    lambda T: T.tensor([[[1, 2]], [[1]]], dtype=T.int64), lambda T: T.tensor([[1, 2], []]),
])
def test_tensor_overflow_and_ragged_errors(make):
    check_raises(make)


@pytest.mark.parametrize("make", [
    lambda T: T.tensor([-255, 255, -1], dtype=T.uint8), lambda T: T.tensor([1.7, -1.7],
                                                                            dtype=T.int64),
    lambda T: T.tensor(np.array([300.0]), dtype=T.uint8), lambda T: T.tensor([True, 2.5],
                                                                              dtype=T.int32),
    lambda T: T.tensor(5, dtype=T.uint8), lambda T: T.tensor([1e6], dtype=T.float16),
    lambda T: T.tensor([127, -128], dtype=T.int8)])
def test_tensor_integer_conversions(make):
    assert_close(make(mt), make(torch))


# -- Tensor.new: the legacy constructor with the tensor's dtype -------------------------------
NEW_DTYPES = ["float32", "float64", "float16", "int64", "int32", "uint8", "bool"]

NEW_DATA = [
    lambda T: ([1, 2],), lambda T: ((2, 3),), lambda T: ([[1.7, -2.2], [0.0, 3.9]],),
    lambda T: ([],), lambda T: ((),), lambda T: (range(3),), lambda T: ([True, False],),
    lambda T: (np.array([1.5, 2.5]),), lambda T: (np.array([1, 0], dtype=np.int32),),
    lambda T: ([T.tensor(1.0), 2],),
]


@pytest.mark.parametrize("dtype", NEW_DTYPES)
@pytest.mark.parametrize("k", range(len(NEW_DATA)))
def test_tensor_new_from_data(dtype, k):
    """A sequence (a tuple too: only a torch.Size is a shape) is data in the tensor's dtype."""
    def call(T):
        return T.zeros(1, dtype=getattr(T, dtype)).new(*NEW_DATA[k](T))
    try:
        call(torch)
    except Exception:  # noqa: BLE001 - torch refuses (-2.2 into uint8): so must we
        check_raises(call)
        return
    check(call, grad=False)


@pytest.mark.parametrize("dtype", NEW_DTYPES)
@pytest.mark.parametrize("args", [(), (2, 3), (0,), (3,), (np.int64(3),), (2, 0, 4), ("size",),
                                  ("size=",), (2, True)])
def test_tensor_new_sizes(dtype, args):
    """Uninitialised memory: shape and dtype agree (values are whatever memory held)."""
    made = {}
    for T in (torch, mt):
        x = T.ones(1, dtype=getattr(T, dtype), requires_grad=dtype == "float32")
        if args == ("size=",):
            made[T] = x.new(size=(2, 1))
        else:
            made[T] = x.new(*(T.Size([2, 1]) if a == "size" else a for a in args))
    ours, theirs = made[mt], made[torch]
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype)
    assert ours.requires_grad is theirs.requires_grad is False


@pytest.mark.parametrize("dtype", ["float32", "int64"])
def test_tensor_new_aliases_a_tensor_of_its_dtype(dtype):
    for T in (torch, mt):
        src = T.tensor([1, 2], dtype=getattr(T, dtype))
        t = T.ones(1, dtype=getattr(T, dtype)).new(src)
        t[0] = 7
        assert src[0].item() == 7 and t is not src
    check(lambda T, x: T.ones(1).new(x * 2), np.array([1.0, 2.0], dtype=np.float32),
          grad_fn_name=True)
    check(lambda T, x: T.ones(1).new(x[0]), np.array([1.0, 2.0], dtype=np.float32),
          grad_fn_name=True)


@pytest.mark.parametrize("call", [
    lambda x, T: x.new(T.tensor([1, 2])), lambda x, T: x.new(T.tensor([1.0], dtype=T.float64)),
    lambda x, T: x.new(2, dtype=T.int64), lambda x, T: x.new(2, requires_grad=True),
    lambda x, T: x.new((2, 3), 4), lambda x, T: x.new(2, (3,)), lambda x, T: x.new(2, 3.5),
    lambda x, T: x.new(2, 3, "a"), lambda x, T: x.new(2, None), lambda x, T: x.new(x, 2),
    lambda x, T: x.new(T.Size([2]), 3), lambda x, T: x.new(2.5), lambda x, T: x.new(2.0, 3),
    lambda x, T: x.new(True), lambda x, T: x.new(None), lambda x, T: x.new("a"),
    lambda x, T: x.new(-1), lambda x, T: x.new(2, -3), lambda x, T: x.new(other=2),
    lambda x, T: x.new(a=1, b=2), lambda x, T: x.new(1, a=1, b=2), lambda x, T: x.new(2, out=x),
    # data: a string is a sequence to the legacy reader, every last-dim entry a real number
    lambda x, T: x.new(["a"]), lambda x, T: x.new([1, "a"]), lambda x, T: x.new([[1], "a"]),
    lambda x, T: x.new([None]), lambda x, T: x.new([1, None]), lambda x, T: x.new([1, [2]]),
    lambda x, T: x.new([object()]), lambda x, T: x.new([[1, 2], [3, None]]),
    lambda x, T: x.new([[1, 2], [3]]), lambda x, T: x.new([[1], 2]),
    lambda x, T: T.LongTensor(["a"]), lambda x, T: T.BoolTensor([None]),
    lambda x, T: T.FloatTensor([1, "a"]), lambda x, T: T.LongTensor([1, "a"]),
    lambda x, T: T.IntTensor([1, [2]]), lambda x, T: T.ByteTensor([object()]),
])
def test_tensor_new_errors(call):
    check_raises(lambda T: call(T.ones(1), T))
