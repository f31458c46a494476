"""Class 8, exception types: where bad input made NumPy's exception (or no exception) leak out,
the error is now torch's type and message. (Save-path and pickling errors: test_save_paths.py;
checkpoint geometries NumPy cannot hold: test_memory.py.)"""
import io

import numpy as np
import pytest
import torch

import minitorch_ref as mt

OPTIMIZERS = [
    ("SGD", dict(lr=0.1, momentum=0.9)), ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("Adam", dict(lr=0.1)), ("Adam", dict(lr=0.1, amsgrad=True)), ("AdamW", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1)), ("RMSprop", dict(lr=0.1)),
    ("RMSprop", dict(lr=0.1, momentum=0.5, centered=True)), ("Adamax", dict(lr=0.1)),
    ("NAdam", dict(lr=0.1)), ("RAdam", dict(lr=0.1)), ("ASGD", dict(lr=0.1)),
    ("Rprop", dict(lr=0.1)), ("Adadelta", dict(lr=0.1)),
]
SHAPES = [((3,), (4,)), ((1,), (4,)), ((4,), (1,)), ((3, 4), (4, 3)), ((2, 3), (3,)),
          ((3,), (2, 3))]
# torch accepts a larger ASGD state silently (the running average takes the state's shape) and
# fails Rprop's boolean-mask indexing with IndexError; here both are the broadcasting error.
DIFFERENT = {("ASGD", (4,), (1,)), ("ASGD", (2, 3), (3,)), ("Rprop", (4,), (1,)),
             ("Rprop", (2, 3), (3,))}


def _resume_with_other_shapes(T, name, kw, saved_shape, new_shape):
    p = T.nn.Parameter(T.ones(*saved_shape))
    opt = getattr(T.optim, name)([p], **kw)
    p.grad = T.ones(*saved_shape)
    opt.step()
    q = T.nn.Parameter(T.ones(*new_shape))
    opt2 = getattr(T.optim, name)([q], **kw)
    opt2.load_state_dict(opt.state_dict())
    q.grad = T.ones(*new_shape)
    before = q.detach().clone()
    try:
        opt2.step()
    finally:
        unchanged = bool((q.detach() == before).all())
    return unchanged


@pytest.mark.parametrize("name,kw", OPTIMIZERS, ids=[f"{n}-{'-'.join(k)}" for n, k in OPTIMIZERS])
@pytest.mark.parametrize("saved_shape,new_shape", SHAPES, ids=[f"{a}->{b}" for a, b in SHAPES])
def test_optimizer_state_of_another_shape(name, kw, saved_shape, new_shape):
    with pytest.raises(RuntimeError) as ours:
        _resume_with_other_shapes(mt, name, kw, saved_shape, new_shape)
    if (name, saved_shape, new_shape) in DIFFERENT:
        assert "doesn't match the broadcast shape" in str(ours.value)
        return
    with pytest.raises(RuntimeError) as theirs:
        _resume_with_other_shapes(torch, name, kw, saved_shape, new_shape)
    assert str(ours.value) == str(theirs.value)


def test_optimizer_state_check_updates_nothing():
    p = mt.nn.Parameter(mt.ones(3))
    opt = mt.optim.Adam([p, mt.nn.Parameter(mt.ones(4))], lr=0.1)
    for q in opt.param_groups[0]["params"]:
        q.grad = mt.ones_like(q)
    opt.step()
    sd = opt.state_dict()
    a, b = mt.nn.Parameter(mt.ones(3)), mt.nn.Parameter(mt.ones(5))
    opt2 = mt.optim.Adam([a, b], lr=0.1)
    opt2.load_state_dict(sd)
    a.grad, b.grad = mt.ones(3), mt.ones(5)
    with pytest.raises(RuntimeError, match="must match the size"):
        opt2.step()
    assert a.tolist() == [1.0] * 3 and opt2.state[a]["step"].item() == 1.0


def _checkpoint() -> bytes:
    buf = io.BytesIO()
    torch.save({"w": torch.arange(3.0)}, buf)
    return buf.getvalue()


@pytest.mark.parametrize("fn", [lambda s, loc: s, lambda s, loc: None,
                                lambda s, loc: s.cpu()], ids=["identity", "None", "cpu"])
def test_map_location_callable(fn):
    seen = []

    def spy(storage, location):
        seen.append(location)
        return fn(storage, location)
    for lib in (mt, torch):
        assert lib.load(io.BytesIO(_checkpoint()), map_location=spy)["w"].tolist() == [0, 1, 2]
    assert seen == ["cpu", "cpu"]


def test_map_location_that_is_not_callable_or_returns_junk():
    for lib in (mt, torch):
        with pytest.raises(TypeError, match="'int' object is not callable"):
            lib.load(io.BytesIO(_checkpoint()), map_location=3)
        with pytest.raises(TypeError):
            lib.load(io.BytesIO(_checkpoint()), map_location=lambda s, loc: 5)


# Silent differences: same call, another value than torch's.
INF, NAN = float("inf"), float("nan")
GELU_INPUTS = [[INF], [-INF], [INF, -INF], [-INF, 1.0], [NAN, INF], [-3e38, 1.0], [2e38, 1.0],
               [1.7e38, 1.0], [1.71e38, 1.0], [-1e30, 1.0], [INF, 1.0, 2.0, 3.0] * 4]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("approximate", ["none", "tanh"])
@pytest.mark.parametrize("values", GELU_INPUTS, ids=range(len(GELU_INPUTS)))
def test_gelu_at_the_edges_of_the_float_range(values, approximate, dtype):
    outs = []
    for lib in (mt, torch):
        x = lib.tensor(values, dtype=getattr(lib, dtype))
        # contiguous and strided inputs: torch's float32 kernels differ at the edges
        outs.append(np.concatenate([lib.nn.functional.gelu(x, approximate=approximate).numpy(),
                                    lib.nn.functional.gelu(x[::2], approximate=approximate)
                                    .numpy()]))
    ours, theirs = outs
    assert np.isnan(ours).tolist() == np.isnan(theirs).tolist()
    number = ~np.isnan(theirs)  # (a NaN's sign bit is not part of the contract)
    assert np.signbit(ours[number]).tolist() == np.signbit(theirs[number]).tolist()
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=0)  # infinities compared exactly


ZERO_SIZE = {
    "zeros(0, 3)": lambda T: T.zeros(0, 3),
    "empty(3, 0)": lambda T: T.empty(3, 0),
    "zeros(2, 0, 3)": lambda T: T.zeros(2, 0, 3),
    "zeros(0, 3).t()": lambda T: T.zeros(0, 3).t(),
    "zeros(0, 3) + 1": lambda T: T.zeros(0, 3) + 1,
    "ones(2, 3)[:0]": lambda T: T.ones(2, 3)[:0],
    "ones(2, 3)[:, :0]": lambda T: T.ones(2, 3)[:, :0],
    "cat": lambda T: T.cat([T.zeros(0, 3), T.zeros(0, 3)]),
    "sum(0)": lambda T: T.ones(0, 3).sum(0),
    "tensor(ndarray)": lambda T: T.tensor(np.zeros((0, 3))),
    "from_numpy": lambda T: T.from_numpy(np.zeros((0, 3))),
    "tensor([])": lambda T: T.tensor([]),
    "zeros_like": lambda T: T.zeros_like(T.zeros(4, 0)),
}


@pytest.mark.parametrize("make", list(ZERO_SIZE.values()), ids=list(ZERO_SIZE))
def test_strides_of_zero_size_tensors(make):
    ours, theirs = make(mt), make(torch)
    assert ours.shape == theirs.shape and ours.stride() == theirs.stride()


# Sizes that cannot be allocated: torch's RuntimeError (NumPy raises ValueError/MemoryError).
HUGE = {
    "empty(2**62)": lambda T: T.empty(2 ** 62),
    "zeros(2**40, 2**40)": lambda T: T.zeros(2 ** 40, 2 ** 40),
    "ones(2**61)": lambda T: T.ones(2 ** 61),
    "ones(2**62, float64)": lambda T: T.ones(2 ** 62, dtype=T.float64),
    "full((2**62,), 1.0)": lambda T: T.full((2 ** 62,), 1.0),
    "rand(2**62)": lambda T: T.rand(2 ** 62),
    "randn(2**31, 2**31)": lambda T: T.randn(2 ** 31, 2 ** 31),
    "randint(0, 2, (2**62,))": lambda T: T.randint(0, 2, (2 ** 62,)),
    "arange(2**62)": lambda T: T.arange(2 ** 62),
    "new_empty(2**62)": lambda T: T.ones(1).new_empty(2 ** 62),
    "new_zeros(2**62)": lambda T: T.ones(1).new_zeros(2 ** 62),
    "empty(2**40) (out of memory)": lambda T: T.empty(2 ** 40),
}


@pytest.mark.parametrize("make", list(HUGE.values()), ids=list(HUGE))
def test_huge_allocations_are_torchs_runtime_error(make):
    with pytest.raises(RuntimeError) as ours:
        make(mt)
    with pytest.raises(RuntimeError) as theirs:
        make(torch)
    assert str(ours.value) == str(theirs.value)


def test_size_beyond_int64_is_a_type_error():
    for lib in (mt, torch):
        with pytest.raises(TypeError, match="failed to unpack the object at pos 1 with error "
                                            "\"Overflow when unpacking long long"):
            lib.empty(2 ** 63)


def test_op_result_too_big_is_a_runtime_error():
    # torch names the sizes; NumPy does not tell them, so only the start of the message agrees
    for lib in (mt, torch):
        with pytest.raises(RuntimeError, match="Storage size calculation overflowed"):
            lib.ones(1).expand(2 ** 62).contiguous()


# einsum: torch's checks in torch's order (NumPy's ValueErrors leaked before), and torch's
# broadcasting of size-1 subscripts, which NumPy refuses.
EINSUM = [
    ("ij,jk->ik", (2, 3), (4, 5)), ("i1,j->ij", (2,), (3,)), ("i->i", (2,), (3,)),
    ("ij->k", (2, 3)), ("ijk->i", (2, 3)), ("ij->ii", (2, 3)), ("ii->i", (2, 3)),
    ("...ij,...jk->...ik", (2, 2, 3), (3, 3, 4)), ("i->i->i", (2,)), ("i,j->ij", (2,)),
    ("ijk->z", (2, 3)), ("i.j", (2, 3)), ("i....", (2, 3)), ("...i...", (2, 3)),
    ("i...j,...j->ij", (2, 3, 4, 5), (2, 4, 5)), ("i...j,...j->ij", (2, 3, 7, 5), (4, 5)),
    ("i...j,...j->ij", (2, 7, 3, 5), (4, 3, 5)), ("ij,jk->ik", (2, 1), (3, 4)),
    ("ii,ij->i", (2, 3), (5, 3)), ("ij,ij->ij", (2, 3), (5, 3)), ("ij->..", (2, 3)),
    ("...->......", (2, 3)), ("i...->i", (2, 3)), ("ij->j i", (2, 3)), ("\u00c4->", (2,)),
    ("ij->iz", (2, 3)), ("ij->zz", (2, 3)), ("...i,...i", (2, 3), (4, 3)), ("ij,k", (2, 3)),
    ("...i,...i", (1, 3), (4, 3)), ("ij,ij->ij", (1, 3), (5, 3)), ("i,i,i->i", (1,), (3,), (2,)),
    ("...,...", (2, 1, 3), (4, 1)), ("i...,j...->ij...", (2, 5), (3, 1)), (".", (2,)),
    ("i.", (2,)), ("ab...c,c...->ab", (2, 3, 4, 5), (5, 4)), ("ii", (1, 3)),
    ("i j , j k -> i k", (2, 3), (3, 4)), ("i->...", (2,)), ("ba,ab->", (2, 3), (3, 2)),
    ("i",),
]


@pytest.mark.parametrize("case", EINSUM, ids=[" ".join(map(str, c)) for c in EINSUM])
def test_einsum_errors_and_broadcasting_are_torchs(case):
    equation, *shapes = case
    results = []
    for lib in (mt, torch):
        try:
            r = lib.einsum(equation, *[lib.ones(s) for s in shapes])
            results.append(("ok", tuple(r.shape), r.sum().item()))
        except Exception as e:  # the type and message are what is compared
            results.append((type(e).__name__, str(e).split("\n")[0]))
    assert results[0] == results[1]


NAN = float("nan")


@pytest.mark.parametrize("values", [[NAN, 1.0, NAN, 1.0], [NAN, 1.0, NAN], [NAN] * 5 + [2.0, 1.0],
                                    [3.0, NAN, -NAN, 1.0, 3.0], [NAN]])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unique_keeps_each_nan(values, dtype):
    # torch: NaN != NaN, so every NaN is its own value (sorted last, counted once each)
    res = [[r.numpy() for r in lib.unique(lib.tensor(values, dtype=getattr(lib, dtype)),
                                          return_inverse=True, return_counts=True)]
           for lib in (mt, torch)]
    for ours, theirs in zip(*res):
        np.testing.assert_array_equal(ours, theirs)
