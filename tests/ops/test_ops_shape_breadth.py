"""The shape and joining breadth beyond the parity table (test_ops_parity.py holds their values,
gradients and node names): which results are views of their input (shared memory and version
counter, ``_base``) and which are the input itself, the in-place shape methods' effect on the
tensor, vander's failing backward, dtypes of the index makers, and bad input (torch's
exception type and message)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check, check_raises

X = np.arange(24.0).reshape(2, 3, 4)

# (id, fn(T, x) -> tuple of results): for each result, torch decides whether it is x itself,
# a view of x or a new tensor; ours must agree
VIEWNESS = [
    ("ravel", lambda T, x: (T.ravel(x), T.ravel(x.transpose(0, 1)))),
    ("atleast", lambda T, x: (T.atleast_1d(x), T.atleast_2d(x[0, 0]), T.atleast_3d(x[0, 0, 0]),
                              T.atleast_3d(x[0]), T.atleast_2d(x))),
    ("broadcast_tensors", lambda T, x: T.broadcast_tensors(x, x[0, 0]) + T.broadcast_tensors(x)),
    ("tensor_split", lambda T, x: T.tensor_split(x, 2, 2) + x.tensor_split([1], 1)),
    ("hvdsplit", lambda T, x: x.hsplit(3) + x.vsplit(2) + T.dsplit(x, [1])),
    ("unfold", lambda T, x: (x.unfold(2, 2, 2), x.unfold(1, 2, 1))),
    ("copies", lambda T, x: (T.rot90(x, 1, (1, 2)), T.rot90(x, 0), T.kron(x, x[0]),
                             T.block_diag(x[0]), T.dstack([x, x]), T.column_stack([x[0, 0]]),
                             T.tensordot(x, x, 3), T.combinations(x[0, 0]))),
    ("cartesian_prod_one", lambda T, x: (T.cartesian_prod(x[0, 0]),)),
    ("diagonal", lambda T, x: (x.diagonal(0, 1, 2), T.diagonal(x, 1, 2, 0), x[0].diagonal(-1),
                               x.transpose(1, 2).diagonal(2, 1, 2), x.diagonal(9, 1, 2),
                               T.diagonal(x, -2, 0, 2))),
]


def _kind(r, x) -> str:
    if r is x:
        return "itself"
    if r._base is x:
        return "view"
    return "view of view" if r._base is not None else "new"


@pytest.mark.parametrize("case", VIEWNESS, ids=[c[0] for c in VIEWNESS])
def test_views_as_torch(case):
    _, fn = case
    kinds = {}
    for T in (torch, mt):
        x = T.tensor(X)
        outs = fn(T, x)
        kinds[T] = [_kind(r, x) for r in outs]
        for r, kind in zip(outs, kinds[T]):  # a write through a view reaches x, bumps its version
            if kind == "view" and r.numel():
                before = x._version
                flat_before = x.clone()
                try:
                    r.add_(1)
                except RuntimeError:
                    continue  # overlapping windows refuse writes (both libraries, see below)
                assert x._version == before + 1
                assert not T.equal(x, flat_before)
    assert kinds[mt] == kinds[torch]


def test_unfold_overlapping_windows_refuse_writes():
    check_raises(lambda T, x: x.unfold(1, 2, 1).add_(1), X)


# -- in-place shape methods: the tensor itself changes shape, data stays, version bumps -----------
INPLACE = [("t_", lambda x: x.t_()), ("transpose_", lambda x: x.transpose_(0, 1)),
           ("swapdims_", lambda x: x.swapdims_(1, 0)), ("swapaxes_", lambda x: x.swapaxes_(0, 1)),
           ("squeeze_", lambda x: x.squeeze_()), ("squeeze_dim", lambda x: x.squeeze_(0)),
           ("squeeze_dims", lambda x: x.squeeze_((0, 1))),
           ("unsqueeze_", lambda x: x.unsqueeze_(-1)), ("tril_", lambda x: x.tril_(-1)),
           ("triu_", lambda x: x.triu_(1)), ("cumsum_", lambda x: x.cumsum_(1))]


@pytest.mark.parametrize("case", INPLACE, ids=[c[0] for c in INPLACE])
@pytest.mark.parametrize("shape", [(1, 3), (3, 4)])
def test_inplace_shape_methods(case, shape):
    _, fn = case
    seen = {}
    for T in (torch, mt):
        x = T.tensor(np.arange(float(np.prod(shape))).reshape(shape))
        alias = x.view(-1)  # shares x's memory and version counter
        v0 = x._version
        r = fn(x)
        x.add_(1)
        seen[T] = (r is x, tuple(x.shape), x.stride(), x._version - v0, alias.tolist(),
                   x.tolist(), alias._version == x._version)
    assert seen[mt] == seen[torch]


@pytest.mark.parametrize("case", INPLACE, ids=[c[0] for c in INPLACE])
def test_inplace_shape_methods_refuse_leaves(case):
    _, fn = case
    check_raises(lambda T, x: fn(x), np.ones((1, 3)))


@pytest.mark.parametrize("case", INPLACE[:8], ids=[c[0] for c in INPLACE[:8]])
def test_inplace_shape_methods_under_no_grad(case):
    """A leaf that requires grad may change its shape under no_grad, and keeps no history."""
    _, fn = case
    seen = {}
    for T in (torch, mt):
        x = T.ones(1, 3, requires_grad=True)
        with T.no_grad():
            fn(x)
        seen[T] = (tuple(x.shape), x.requires_grad, x.grad_fn is None, x.is_leaf)
    assert seen[mt] == seen[torch]


def test_inplace_shape_method_on_view_keeps_its_base():
    seen = {}
    for T in (torch, mt):
        x = T.tensor(X, requires_grad=True)
        y = x * 2
        v = y[0]
        v.unsqueeze_(0)
        (v * v).sum().backward()
        seen[T] = (v._base is y, tuple(v.shape), v.grad_fn.name(), x.grad.tolist())
    assert seen[mt] == seen[torch]


# -- vander: values and dtypes; torch's backward through it fails, and so does ours ---------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.int32, np.bool_])
@pytest.mark.parametrize("n", [None, 0, 1, 3])
@pytest.mark.parametrize("increasing", [False, True])
def test_vander_values(dtype, n, increasing):
    x = np.array([2, -1, 0, 3]).astype(dtype)
    check(lambda T, a: T.vander(a, n, increasing), x, grad=False)


def test_vander_backward_raises_as_torch():
    check_raises(lambda T, x: T.vander(x).sum().backward(), np.array([1.0, 2.0, 3.0]))


@pytest.mark.parametrize("fn", ["tril_indices", "triu_indices"])
@pytest.mark.parametrize("args", [(3, 3), (3, 4, 1), (4, 3, -1), (0, 3), (3, 4, -5), (3, 4, 10),
                                  (1, 1, 0), (5, 2, -2)])
def test_triangle_indices(fn, args):
    check(lambda T: getattr(T, fn)(*args), grad=False)
    check(lambda T: getattr(T, fn)(*args, dtype=T.int32), grad=False)


def test_broadcast_shapes():
    for shapes in [((2, 1), (3,)), (2, (1, 2)), (), ((1,), (5, 1), (2, 1, 1)), ([3], (0, 1)),
                   ((2, 3),)]:
        for T in (torch, mt):
            r = T.broadcast_shapes(*shapes)
            assert isinstance(r, T.Size)
        assert tuple(mt.broadcast_shapes(*shapes)) == tuple(torch.broadcast_shapes(*shapes))


A = np.zeros((3, 4))
V = np.zeros(4)
S = np.array(1.0)
ERRORS = [
    ("broadcast_shapes", lambda T: T.broadcast_shapes((2,), (3,)), ()),
    ("broadcast_shapes_neg", lambda T: T.broadcast_shapes((-1,), (2,)), ()),
    ("broadcast_tensors", lambda T, a: T.broadcast_tensors(a, T.zeros(3)), (A,)),
    ("atleast_number", lambda T: T.atleast_1d(1), ()),
    ("column_stack_empty", lambda T: T.column_stack([]), ()),
    ("column_stack_sizes", lambda T, a: T.column_stack([a, T.zeros(2)]), (A,)),
    ("dstack_empty", lambda T: T.dstack([]), ()),
    ("hstack_empty", lambda T: T.hstack([]), ()),
    ("vstack_empty", lambda T: T.vstack(()), ()),
    ("tensor_split_0d", lambda T, s: T.tensor_split(s, 2), (S,)),
    ("tensor_split_zero", lambda T, a: T.tensor_split(a, 0), (A,)),
    ("tensor_split_negative", lambda T, a: a.tensor_split(-1), (A,)),
    ("tensor_split_float_tensor", lambda T, a: T.tensor_split(a, T.tensor([1.0])), (A,)),
    ("tensor_split_2d_tensor", lambda T, a: T.tensor_split(a, T.tensor([[1]])), (A,)),
    ("tensor_split_dim", lambda T, a: T.tensor_split(a, 2, 5), (A,)),
    ("tensor_split_float_index", lambda T, a: T.tensor_split(a, (1, 2.0)), (A,)),
    ("hsplit_divisible", lambda T, a: T.hsplit(a, 3), (A,)),
    ("hsplit_zero", lambda T, a: a.hsplit(0), (A,)),
    ("hsplit_negative", lambda T, a: a.hsplit(-1), (A,)),
    ("hsplit_0d", lambda T, s: T.hsplit(s, 1), (S,)),
    ("hsplit_1d", lambda T, v: T.hsplit(v, 3), (V,)),
    ("vsplit_1d", lambda T, v: T.vsplit(v, 2), (V,)),
    ("vsplit_divisible", lambda T, a: a.vsplit(2), (A,)),
    ("dsplit_2d", lambda T, a: T.dsplit(a, 2), (A,)),
    ("rot90_1d", lambda T, v: T.rot90(v), (V,)),
    ("rot90_one_dim", lambda T, a: T.rot90(a, 1, [0]), (A,)),
    ("rot90_same_dims", lambda T, a: T.rot90(a, 1, [0, 0]), (A,)),
    ("rot90_same_dims_wrapped", lambda T, a: T.rot90(a, 1, [0, -2]), (A,)),
    ("rot90_dim_range", lambda T, a: a.rot90(1, [0, 5]), (A,)),
    ("unfold_size", lambda T, a: a.unfold(1, 5, 1), (A,)),
    ("unfold_step", lambda T, a: a.unfold(1, 2, 0), (A,)),
    ("unfold_negative", lambda T, a: a.unfold(1, -1, 1), (A,)),
    ("unfold_dim", lambda T, a: a.unfold(3, 1, 1), (A,)),
    ("unfold_0d", lambda T, s: s.unfold(0, 2, 1), (S,)),
    ("tril_indices_float", lambda T: T.tril_indices(3, 3, dtype=T.float32), ()),
    ("tril_indices_bool", lambda T: T.triu_indices(3, 3, dtype=T.bool), ()),
    ("tril_indices_row", lambda T: T.tril_indices(-1, 3), ()),
    ("triu_indices_col", lambda T: T.triu_indices(3, -2), ()),
    ("tril_indices_float_row", lambda T: T.tril_indices(3.0, 2), ()),
    ("vander_2d", lambda T, a: T.vander(a), (A,)),
    ("vander_0d", lambda T, s: T.vander(s), (S,)),
    ("vander_negative", lambda T, v: T.vander(v, -1), (V,)),
    ("block_diag_3d", lambda T: T.block_diag(T.zeros(2, 2, 2)), ()),
    ("block_diag_list", lambda T, a: T.block_diag([a]), (A,)),
    ("cartesian_prod_empty", lambda T: T.cartesian_prod(), ()),
    ("cartesian_prod_2d", lambda T, a: T.cartesian_prod(a), (A,)),
    ("cartesian_prod_dtypes", lambda T, v: T.cartesian_prod(v, T.tensor([1, 2])), (V,)),
    ("meshgrid_dtypes", lambda T, v: T.meshgrid(v, T.tensor([1, 2]), indexing="ij"), (V,)),
    ("combinations_2d", lambda T, a: T.combinations(a), (A,)),
    ("combinations_negative", lambda T, v: T.combinations(v, -1), (V,)),
    ("kron_no_tensor", lambda T, v: T.kron(v, [1.0]), (V,)),
    ("tensordot_dims", lambda T, a: T.tensordot(a, a, 3), (A,)),
    ("tensordot_negative", lambda T, a: T.tensordot(a, a, -1), (A,)),
    ("tensordot_sizes", lambda T, a: T.tensordot(a, a, ([1], [0])), (A,)),
    ("tensordot_lengths", lambda T, a: T.tensordot(a, a, ([0, 1], [1])), (A,)),
    ("tensordot_tensor_dims", lambda T, a: T.tensordot(a, a, T.tensor(1)), (A,)),
    ("tensordot_dtypes", lambda T, a: T.tensordot(a, T.ones(4, dtype=T.float32), 1), (A,)),
    ("tensordot_int_pair", lambda T, a: T.tensordot(a, a, (1, 1)), (A,)),
    ("t_3d", lambda T: T.zeros(2, 3, 4).t_(), ()),
    ("transpose_dim", lambda T: T.zeros(2, 3, 4).transpose_(0, 5), ()),
    ("unsqueeze_dim", lambda T: T.zeros(2, 3).unsqueeze_(4), ()),
    ("tril_1d", lambda T: T.zeros(3).tril_(), ()),
]


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_bad_input(case):
    _, fn, args = case
    check_raises(fn, *args)
