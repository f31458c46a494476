"""Bad input: the same exception type as torch and the same first line of the message (or a
regex naming the problem where torch's message carries C++ detail)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt

from harness import check, check_raises

A23 = np.zeros((2, 3), dtype=np.float32)
A3 = np.zeros(3, dtype=np.float32)

# (id, fn, args, match) -- match None: our first line must equal torch's.
CASES = [
    # the common mistakes: shapes that do not broadcast or multiply, misused backward, in-place
    # ops on leaves, impossible views, cat/stack, out-of-range indices, stale saved tensors
    ("broadcast", lambda T, a, b: a + b, (A23, np.zeros((4, 1, 2), np.float32)), None),
    ("broadcast_mul", lambda T, a, b: a * b, (A23, np.zeros(2, np.float32)), None),
    ("broadcast_where", lambda T, a, b: T.where(a > 0, a, b), (A23, np.zeros(2, np.float32)),
     None),
    ("matmul_2d", lambda T, a: a @ a, (A23,), None),
    ("matmul_1d", lambda T, a, b: a @ b, (A3, np.zeros(4, np.float32)), None),
    ("matmul_mv", lambda T, a, b: a @ b, (A23, np.zeros(2, np.float32)), None),
    ("matmul_vm", lambda T, a, b: a @ b, (np.zeros(4, np.float32), A23), None),
    ("matmul_batched", lambda T, a, b: a @ b, (np.zeros((2, 2, 3), np.float32),
                                              np.zeros((2, 2, 4), np.float32)), None),
    ("matmul_batch_bcast", lambda T, a, b: a @ b, (np.zeros((2, 2, 3), np.float32),
                                                  np.zeros((3, 3, 4), np.float32)), None),
    ("matmul_0d", lambda T, a: T.tensor(1.0) @ a, (A3,), None),
    ("matmul_dtype", lambda T, a: a @ T.zeros(3, 2, dtype=T.float64), (A23,), None),
    ("mm_1d", lambda T, a: T.mm(a[0], a), (A23,), None),
    ("mm_shapes", lambda T, a: T.mm(a, a), (A23,), None),
    ("bmm_2d", lambda T, a: T.bmm(a, a), (A23,), None),
    ("bmm_shapes", lambda T, a: T.bmm(a[None], a[None]), (A23,), None),
    ("dot_2d", lambda T, a: T.dot(a, a), (A23,), None),
    ("dot_len", lambda T, a, b: T.dot(a, b), (A3, np.zeros(4, np.float32)), None),
    ("mv_shape", lambda T, a: T.mv(a, T.zeros(2)), (A23,), None),
    ("backward_nonscalar", lambda T, a: (a * 2).backward(), (A23,), None),
    ("backward_twice", lambda T, a: [(y := (a * a).sum()).backward(), y.backward()], (A23,),
     None),
    ("backward_no_grad", lambda T: T.ones(2).sum().backward(), (), None),
    ("requires_grad_int", lambda T: T.tensor([1, 2], requires_grad=True), (), None),
    ("item_many", lambda T, a: a.item(), (A23,), None),
    ("inplace_leaf", lambda T, a: a.add_(1), (A23,), None),
    ("inplace_leaf_mul", lambda T, a: a.mul_(2), (A23,), None),
    ("inplace_leaf_zero", lambda T, a: a.zero_(), (A23,), None),
    ("inplace_leaf_setitem", lambda T, a: a.__setitem__(0, 1.0), (A23,), None),
    ("view_impossible", lambda T, a: a.t().view(6), (A23,), None),
    ("view_numel", lambda T, a: a.view(4), (A23,), None),
    ("reshape_numel", lambda T, a: a.reshape(5, -1), (A23,), None),
    ("reshape_two_inferred", lambda T, a: a.reshape(-1, -1), (A23,), None),
    ("reshape_negative", lambda T, a: a.view(-2, 3), (A23,), None),
    ("cat_shapes", lambda T, a: T.cat([a, T.zeros(3, 2)]), (A23,), None),
    ("cat_ndim", lambda T, a, b: T.cat([a, b]), (A23, A3), None),
    ("cat_empty", lambda T: T.cat([]), (), None),
    ("cat_0d", lambda T: T.cat([T.tensor(1.0), T.tensor(2.0)]), (), None),
    ("cat_dim", lambda T, a: T.cat([a, a], 2), (A23,), None),
    ("cat_tensor", lambda T, a: T.cat(a), (A23,), None),
    ("stack_shapes", lambda T, a, b: T.stack([a, b]), (A23, A3), None),
    ("stack_empty", lambda T: T.stack([]), (), None),
    ("index_int", lambda T, a: a[5], (A23,), None),
    ("index_int_dim1", lambda T, a: a[:, 3], (A23,), None),
    ("index_neg", lambda T, a: a[-3], (A23,), None),
    ("index_list", lambda T, a: a[[0, 2]], (A23,), None),
    ("index_tensor", lambda T, a: a[T.tensor([1, 7])], (A23,), None),
    ("index_too_many", lambda T, a: a[0, 0, 0], (A23,), None),
    ("index_mask_shape", lambda T, a: a[T.tensor([True, False, True])], (A23,), None),
    ("index_float", lambda T, a: a[1.0], (A23,), None),
    ("index_float_tensor", lambda T, a: a[T.tensor([1.0])], (A23,), None),
    ("index_neg_step", lambda T, a: a[::-1], (A23,), None),
    ("index_zero_step", lambda T, a: a[::0], (A23,), None),
    ("setitem_shape", lambda T, a: a.detach().__setitem__(0, T.ones(2)), (A23,), None),
    ("setitem_out_of_range", lambda T, a: a.detach().__setitem__(4, 1.0), (A23,), None),
    ("version_counter", lambda T, a: [(y := a * 1), (z := y.sin()), y.add_(1),
                                      z.sum().backward()], (A23,), None),
    ("version_counter_sigmoid", lambda T, a: [(y := a.sigmoid()), y.mul_(2),
                                              y.sum().backward()], (A23,), None),
    # more ops
    ("expand_size", lambda T, a: a.expand(2, 4), (A23,), None),
    ("expand_fewer", lambda T, a: a.expand(3), (A23,), None),
    ("expand_leading_neg", lambda T, a: a.expand(-1, 3), (A3,), None),
    ("repeat_fewer", lambda T, a: a.repeat(2), (A23,), None),
    ("split_sizes", lambda T, a: a.split([1, 1], 1), (A23,), None),
    ("split_zero", lambda T, a: a.split(0, 1), (A23,), None),
    ("split_neg", lambda T, a: a.split(-1), (A23,), None),
    ("chunk_zero", lambda T, a: a.chunk(0), (A23,), None),
    ("tril_1d", lambda T, a: a.tril(), (A3,), None),
    ("triu_1d", lambda T, a: a.triu(), (A3,), None),
    ("narrow_length", lambda T, a: a.narrow(0, 1, 2), (A23,), None),
    ("narrow_start", lambda T, a: a.narrow(0, 3, 0), (A23,), None),
    ("narrow_neg_len", lambda T, a: a.narrow(0, 0, -1), (A23,), None),
    ("select_index", lambda T, a: a.select(0, 5), (A23,), None),
    ("select_dim", lambda T, a: a.select(2, 0), (A23,), None),
    ("squeeze_dim", lambda T, a: a.squeeze(3), (A23,), None),
    ("unsqueeze_dim", lambda T, a: a.unsqueeze(4), (A23,), None),
    ("flatten_order", lambda T, a: a.flatten(1, 0), (A23,), None),
    ("unflatten_sizes", lambda T, a: a.unflatten(1, (2, 2)), (A23,), None),
    ("flip_repeat", lambda T, a: a.flip(0, 0), (A23,), None),
    ("movedim_repeat", lambda T, a: a.movedim((0, 1), (1, 1)), (A23,), None),
    ("permute_len", lambda T, a: a.permute(0), (A23,), None),
    ("permute_dup", lambda T, a: a.permute(0, 0), (A23,), None),
    ("transpose_dim", lambda T, a: a.transpose(0, 2), (A23,), None),
    ("sum_dim", lambda T, a: a.sum(2), (A23,), None),
    ("sum_dup_dims", lambda T, a: a.sum((0, 0)), (A23,), None),
    ("mean_int", lambda T: T.tensor([1, 2]).mean(), (), None),
    ("var_int", lambda T: T.tensor([1, 2]).var(), (), None),
    ("var_both", lambda T, a: a.var(0, unbiased=True, correction=1), (A23,),
     r"var\(\) received an invalid combination of arguments"),
    ("max_empty", lambda T: T.zeros(0).max(), (), None),
    ("max_empty_dim", lambda T: T.zeros(0, 3).max(0), (), None),
    ("amax_empty", lambda T: T.zeros(0).amax(), (), None),
    ("amax_empty_dim", lambda T: T.zeros(0, 3).amax(0), (), None),
    ("argmax_empty", lambda T: T.zeros(0).argmax(), (), None),
    ("argmax_empty_dim", lambda T: T.zeros(0, 3).argmax(0), (), None),
    ("softmax_dim", lambda T, a: a.softmax(2), (A23,), None),
    ("softmax_int", lambda T: T.tensor([1, 2]).softmax(0), (), None),
    ("norm_int", lambda T: T.tensor([1, 2]).norm(), (), None),
    ("clamp_none", lambda T, a: T.clamp(a), (A23,), None),
    ("where_cond", lambda T, a: T.where(a, a, a), (A23,), None),
    ("masked_fill_mask", lambda T, a: a.masked_fill(a, 1.0), (A23,), None),
    ("masked_fill_value", lambda T, a: a.masked_fill(a > 0, T.ones(2)), (A23,), None),
    ("masked_select_mask", lambda T, a: a.masked_select(a), (A23,), None),
    ("masked_select_shape", lambda T, a: a.masked_select(T.ones(4, dtype=T.bool)), (A23,), None),
    ("gather_oob", lambda T, a: a.gather(1, T.tensor([[5]])), (A23,), None),
    ("gather_ndim", lambda T, a: a.gather(1, T.tensor([0])), (A23,), None),
    ("gather_dtype", lambda T, a: a.gather(1, T.tensor([[0.0]])), (A23,), None),
    ("gather_size", lambda T, a: a.gather(1, T.zeros(3, 1, dtype=T.int64)), (A23,), None),
    ("scatter_oob", lambda T, a: a.scatter(1, T.tensor([[5]]), 1.0), (A23,), None),
    ("scatter_dtype", lambda T, a: a.scatter(1, T.tensor([[0]]), T.zeros(2, 3, dtype=T.float64)),
     (A23,), None),
    ("scatter_add_number", lambda T, a: a.scatter_add(1, T.tensor([[0]]), 1.0), (A23,), None),
    ("index_select_oob", lambda T, a: a.index_select(1, T.tensor([5])), (A23,), None),
    ("index_select_2d", lambda T, a: a.index_select(1, T.tensor([[0]])), (A23,), None),
    ("index_select_dtype", lambda T, a: a.index_select(1, T.tensor([0.0])), (A23,), None),
    ("neg_bool", lambda T: -T.tensor([True]), (), None),
    ("abs_bool", lambda T: T.tensor([True]).abs(), (), None),
    ("floor_bool", lambda T: T.tensor([True]).floor(), (), None),
    ("relu_bool", lambda T: T.tensor([True]).relu(), (), None),
    ("bitwise_float", lambda T, a: a & a, (A23,), None),
    ("invert_float", lambda T, a: ~a, (A23,), None),
    ("int_neg_pow", lambda T: T.tensor([2]) ** -1, (), None),
    ("div_mode", lambda T, a: T.div(a, 2, rounding_mode="round"), (A23,), None),
    ("topk_k", lambda T, a: a.topk(4), (A23,), None),
    ("inplace_cast", lambda T: T.tensor([1, 2]).add_(1.5), (), None),
    ("inplace_broadcast", lambda T, a: a.detach().add_(T.ones(2, 2, 3)), (A23,), None),
    ("inplace_expanded", lambda T, a: a.detach()[0].expand(2, 3).add_(1), (A23,),
     r"unsupported operation: more than one element of the written-to tensor"),
    ("copy_shape", lambda T, a: a.detach().copy_(T.ones(4)), (A23,), None),
    ("copy_bigger", lambda T, a: a.detach().copy_(T.ones(2, 2, 3)), (A23,), None),
    ("fill_tensor", lambda T, a: a.detach().fill_(T.ones(2)), (A23,), None),
    ("setitem_slice_shape", lambda T, a: a.detach().__setitem__(slice(0, 2), T.ones(3)), (A3,),
     None),
    ("setitem_list_shape", lambda T, a: a.detach().__setitem__([0, 1], T.ones(3)), (A3,), None),
    ("setitem_mask_shape", lambda T, a: a.detach().__setitem__(a > -1, T.ones(2)), (A3,), None),
    ("setitem_rank", lambda T, a: a.detach().__setitem__(0, T.ones(2, 3)), (A23,), None),
    ("setitem_leaf_adv", lambda T, a: a.__setitem__([0], 1.0), (A23,), None),
    ("version_counter_leaf", lambda T, a: [(z := (a * a).sum()), a.detach().add_(1),
                                           z.backward()], (A23,), None),
    ("grad_shape", lambda T, a: (a * 2).backward(T.ones(3)), (A23,), None),
    ("floor_divide_backward", lambda T, a: (a // 2).sum().backward(), (A23,), None),
    ("rremainder_backward", lambda T, a: (2 % (a + 1)).sum().backward(), (A23,), None),
    ("unique_backward", lambda T, a: T.unique(a).sum().backward(), (A23,), None),
    ("unique_dim_backward", lambda T, a: a.unique(dim=0).sum().backward(), (A23,), None),
    ("view_dtype_size", lambda T: T.ones(3, dtype=T.float16).view(T.float32), (), None),
    ("autograd_grad_unused", lambda T, a: T.autograd.grad((a * 2).sum(), [a, T.ones(1,
                                                          requires_grad=True)]), (A23,), None),
    ("autograd_grad_no_req", lambda T, a: T.autograd.grad((a * 2).sum(), T.ones(1)), (A23,),
     None),
    # the added products: torch's shape, dimension and dtype messages
    ("addmv_size", lambda T, c, a, v: T.addmv(c, a, v), (np.zeros(2, np.float32), A23,
                                                          np.zeros(4, np.float32)), None),
    ("addmv_input", lambda T, c, a, v: T.addmv(c, a, v), (A3, A23, A3), None),
    ("addmv_dims", lambda T, c, v: T.addmv(c, v, v), (A3, A3), None),
    ("addr_vec", lambda T, c, a, v: T.addr(c, a, v), (A23, A23, A3), None),
    ("addr_expand", lambda T, c, a, v: T.addr(c, a, v), (np.zeros((3, 3), np.float32),
                                                         np.zeros(2, np.float32), A3), None),
    ("addbmm_batches", lambda T, c, a, b: T.addbmm(c, a, b), (np.zeros((2, 4), np.float32),
     np.zeros((5, 2, 3), np.float32), np.zeros((4, 3, 4), np.float32)), None),
    ("addbmm_input", lambda T, c, a, b: T.addbmm(c, a, b), (np.zeros((3, 4), np.float32),
     np.zeros((5, 2, 3), np.float32), np.zeros((5, 3, 4), np.float32)), None),
    ("vdot_size", lambda T, a, b: T.vdot(a, b), (A3, np.zeros(4, np.float32)), None),
    ("vdot_dims", lambda T, a, b: T.vdot(a, b), (A23, A3), None),
    ("vdot_dtype", lambda T, a: T.vdot(a, a.double()), (A3,), None),
    ("chain_matmul_none", lambda T: T.chain_matmul(), (), None),
    ("chain_matmul_1d", lambda T, a: T.chain_matmul(a), (A3,), None),
    ("chain_matmul_shapes", lambda T, a: T.chain_matmul(a, a), (A23,), None),
    ("addmv__leaf", lambda T, c, a, v: c.requires_grad_().addmv_(a, v),
     (np.zeros(2, np.float32), A23, A3), None),
    ("addr__shape", lambda T, c, a, v: c.addr_(a, v), (A3, np.zeros(2, np.float32), A3), None),
    ("put_range", lambda T, a: T.put(a, T.tensor([6]), T.ones(1)), (A23,), None),
    ("put_negative_range", lambda T, a: a.put(T.tensor([-7]), T.ones(1)), (A23,), None),
    ("put_numel", lambda T, a: T.put(a, T.tensor([0, 1]), T.ones(1)), (A23,), None),
    ("put_index_dtype", lambda T, a: T.put(a, T.tensor([0.0]), T.ones(1)), (A23,), None),
    ("put_source_dtype", lambda T, a: a.put_(T.tensor([0]), T.ones(1).double()), (A23,), None),
    ("index_reduce_range", lambda T, a: a.index_reduce(0, T.tensor([0, 5]), a, "prod"), (A23,),
     None),
    ("index_reduce_negative", lambda T, a: a.index_reduce(0, T.tensor([0, -1]), a, "amax"),
     (A23,), None),
    ("index_reduce_sum", lambda T, a: a.index_reduce(0, T.tensor([0, 1]), a, "sum"), (A23,),
     None),
    ("index_reduce_count", lambda T, a: a.index_reduce(0, T.tensor([0]), a, "prod"), (A23,),
     None),
    ("index_reduce_index_dtype", lambda T, a: a.index_reduce(0, T.tensor([0.0, 1.0]), a, "prod"),
     (A23,), None),
    ("index_reduce_source_dtype", lambda T, a: a.index_reduce(0, T.tensor([0, 1]), a.double(),
                                                              "mean"), (A23,), None),
    ("index_reduce_index_2d", lambda T, a: a.index_reduce(0, T.tensor([[0, 1]]), a, "amin"),
     (A23,), None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input(case):
    name, fn, args, match = case
    check_raises(fn, *args, match=match)


# -- dtype= of the differentiable reductions: an integer or bool result of an input requiring
# grad is refused (grad mode on); mean refuses a non-float dtype always --------------------------

DTYPE_REDUCTIONS = {
    "sum": lambda T, x, dt: T.sum(x, dtype=dt),
    "sum_dim": lambda T, x, dt: T.sum(x, 0, dtype=dt),
    "sum_method": lambda T, x, dt: x.sum(dtype=dt),
    "mean": lambda T, x, dt: T.mean(x, dtype=dt),
    "mean_dim": lambda T, x, dt: T.mean(x, 0, dtype=dt),
    "prod": lambda T, x, dt: T.prod(x, dtype=dt),
    "prod_dim": lambda T, x, dt: T.prod(x, 0, dtype=dt),
    "cumsum": lambda T, x, dt: T.cumsum(x, 0, dtype=dt),
    "cumprod": lambda T, x, dt: T.cumprod(x, 0, dtype=dt),
}


@pytest.mark.parametrize("dtype", ["int64", "int32", "bool", "float64"])
@pytest.mark.parametrize("grad", ["requires_grad", "detached", "no_grad"])
@pytest.mark.parametrize("name", list(DTYPE_REDUCTIONS))
def test_reduction_dtype_with_autograd(name, grad, dtype):
    """Where torch raises, the same error; where it computes, the same values and dtype (and
    whether the result requires grad)."""
    def call(T, x):
        t = T.tensor(np.asarray(x), requires_grad=grad != "detached")
        if grad == "no_grad":
            with T.no_grad():
                return DTYPE_REDUCTIONS[name](T, t, getattr(T, dtype))
        return DTYPE_REDUCTIONS[name](T, t, getattr(T, dtype))
    x = np.array([[1.5, -2.0, 3.0], [0.5, 2.0, -1.0]])
    try:
        call(torch, x)
    except (RuntimeError, NotImplementedError):
        check_raises(lambda T: call(T, x))
        return
    ours, theirs = call(mt, x), call(torch, x)
    assert str(ours.dtype) == str(theirs.dtype) and ours.requires_grad == theirs.requires_grad
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)


_B2 = np.ones((2, 2), dtype=bool)
_B1 = np.ones(2, dtype=bool)
_B3 = np.ones((1, 2, 2), dtype=bool)


@pytest.mark.parametrize("fn, args", [
    (lambda T, a, b: a @ b, (_B2, _B2)), (lambda T, a, b: a @ b, (_B1, _B1)),
    (lambda T, a, b: a @ b, (_B2, _B1)), (lambda T, a, b: a @ b, (_B1, _B2)),
    (lambda T, a, b: a @ b, (_B3, _B3)), (lambda T, a, b: a @ b, (_B3, _B1)),
    (lambda T, a, b: a @ b, (_B2, _B3)), (lambda T, a, b: a @ b, (_B3, _B2)),
    (lambda T, a, b: T.mm(a, b), (_B2, _B2)), (lambda T, a, b: T.bmm(a, b), (_B3, _B3)),
    (lambda T, a, b: T.mv(a, b), (_B2, _B1)), (lambda T, a, b: T.dot(a, b), (_B1, _B1)),
    (lambda T, a, b: T.inner(a, b), (_B2, _B2)), (lambda T, a, b: T.tensordot(a, b, 1), (_B2, _B2)),
    (lambda T, a, b: T.addmm(a, a, b), (_B2, _B2)),
    (lambda T, a, b: T.baddbmm(a, a, b), (_B3, _B3))])
def test_matrix_products_refuse_bool_naming_torch_kernel(fn, args):
    """torch's CPU GEMM kernels have no Bool version; the message names the kernel the shapes
    go to (NumPy would compute a logical product)."""
    check_raises(fn, *args)


@pytest.mark.parametrize("fn", [lambda T, a, b: T.outer(a, b), lambda T, a, b: T.kron(a, b)])
def test_bool_products_torch_computes(fn):
    check(fn, _B1, _B1)
