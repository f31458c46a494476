"""Tensor utilities against torch: diag_embed/diagflat, the predicates (is_nonzero, is_signed,
isreal, ...), the identities of real tensors (conj, positive, real, ...), adjoint/H/mH,
sum_to_size, fill, unravel_index, itemsize/nbytes, the unsafe splits and the view ops' copying
twins torch.<view>_copy: values, dtypes, grads and grad_fn names, memory sharing and version
counters, errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import (check, check_double, check_raises, check_same, to_numpy,
                     torch_result_or_same_error)

DTYPES = [np.float32, np.float64, np.int64, np.bool_]


def _x(dtype, shape=(2, 3, 4)):
    v = np.random.default_rng(0).standard_normal(shape) * 3
    return v.astype(dtype) if dtype is not np.int64 else np.round(v).astype(dtype)


OPS = {
    "diag_embed": lambda T, x: T.diag_embed(x),
    "diag_embed_dims": lambda T, x: T.diag_embed(x, -1, 0, 2),
    "diag_embed_method": lambda T, x: x.diag_embed(2, 1, 0),
    "diag_embed_dims_same": lambda T, x: T.diag_embed(x, 0, 1, -3),
    "diag_embed_dim_range": lambda T, x: T.diag_embed(x, 0, 4, 1),
    "diagflat": lambda T, x: T.diagflat(x),
    "diagflat_offset": lambda T, x: x.diagflat(-2),
    "isposinf": lambda T, x: x.isposinf(),
    "isneginf": lambda T, x: x.isneginf(),
    "isreal": lambda T, x: T.isreal(x),
    "isreal_method": lambda T, x: x.isreal(),
    "msort": lambda T, x: x.msort(),
    "sum_to_size_args": lambda T, x: x.sum_to_size(3, 1),
    "sum_to_size_tuple": lambda T, x: x.sum_to_size((1, 3, 4)),
    "sum_to_size_lead": lambda T, x: x.sum_to_size(4),
    "sum_to_size_bad": lambda T, x: x.sum_to_size(2, 4),
    "sum_to_size_long": lambda T, x: x.sum_to_size(1, 2, 3, 4),
    "sum_to_size_same": lambda T, x: x.sum_to_size(2, 3, 4),
    "positive": lambda T, x: T.positive(x),
    "positive_method": lambda T, x: x.positive(),
    "conj": lambda T, x: T.conj(x),
    "conj_physical": lambda T, x: x.conj_physical(),
    "resolve_conj": lambda T, x: T.resolve_conj(x),
    "resolve_neg": lambda T, x: x.resolve_neg(),
    "real": lambda T, x: T.real(x),
    "real_property": lambda T, x: x.real,
    "imag": lambda T, x: T.imag(x),
    "imag_property": lambda T, x: x.imag,
    "adjoint": lambda T, x: T.adjoint(x),
    "adjoint_1d": lambda T, x: x[0, 0].adjoint(),
    "mH": lambda T, x: x.mH,
    "mH_1d": lambda T, x: x[0, 0].mH,
    "H": lambda T, x: x[0].H,
    "H_3d": lambda T, x: x.H,
    "H_1d": lambda T, x: x[0, 0].H,
    "is_nonzero": lambda T, x: x[0, 0, 0].is_nonzero(),
    "is_nonzero_fn": lambda T, x: T.is_nonzero(x[1, 2, 3:]),
    "is_nonzero_many": lambda T, x: x.is_nonzero(),
    "is_nonzero_empty": lambda T, x: x[:0].is_nonzero(),
    "is_same_size": lambda T, x: x.is_same_size(x[0]),
    "is_same_size_fn": lambda T, x: T.is_same_size(x, x + 0),
    "is_signed": lambda T, x: (x.is_signed(), T.is_signed(x)),
    "is_complex": lambda T, x: T.is_complex(x),
    "is_conj": lambda T, x: (x.is_conj(), T.is_conj(x)),
    "is_neg": lambda T, x: (x.is_neg(), T.is_neg(x)),
    "is_inference": lambda T, x: (x.is_inference(), T.is_inference(x)),
    "itemsize_nbytes": lambda T, x: (x.itemsize, x.nbytes, x[:, 1].nbytes),
    "detach": lambda T, x: T.detach(x),
    "fill_number": lambda T, x: T.fill(x, 2),
    "fill_tensor": lambda T, x: T.fill(x, T.tensor(1)),
    "fill_tensor_1d": lambda T, x: T.fill(x, T.ones(2)),
    "alias_copy": lambda T, x: T.alias_copy(x),
    "t_copy": lambda T, x: T.t_copy(x[0]),
    "t_copy_3d": lambda T, x: T.t_copy(x),
    "view_copy": lambda T, x: T.view_copy(x, (6, 4)),
    "view_copy_bad": lambda T, x: T.view_copy(x, (5,)),
    "view_copy_dtype": lambda T, x: T.view_copy(x * 1, T.int32 if x.dtype == T.float32
                                                else x.dtype),
    "view_copy_dtype_size": lambda T, x: T.view_copy(x, T.int16),
    "permute_copy": lambda T, x: T.permute_copy(x, (2, 0, 1)),
    "permute_copy_bad": lambda T, x: T.permute_copy(x, (0, 1)),
    "expand_copy": lambda T, x: T.expand_copy(x[:, :1], (5, 2, 3, 4)),
    "squeeze_copy": lambda T, x: T.squeeze_copy(x[:1]),
    "squeeze_copy_dim": lambda T, x: T.squeeze_copy(x[:1], 0),
    "squeeze_copy_dims": lambda T, x: T.squeeze_copy(x[:1, :, :1], (0, 2)),
    "unsqueeze_copy": lambda T, x: T.unsqueeze_copy(x, -2),
    "transpose_copy": lambda T, x: T.transpose_copy(x, 0, 2),
    "select_copy": lambda T, x: T.select_copy(x, 1, -1),
    "select_copy_bad": lambda T, x: T.select_copy(x, 1, 3),
    "slice_copy": lambda T, x: T.slice_copy(x, 2, 1, None, 2),
    "slice_copy_default": lambda T, x: T.slice_copy(x),
    "slice_copy_step": lambda T, x: T.slice_copy(x, 0, 0, 2, 0),
    "diagonal_copy": lambda T, x: T.diagonal_copy(x, 1, 1, 2),
    "unfold_copy": lambda T, x: T.unfold_copy(x, 2, 2, 1),
    "split_copy": lambda T, x: T.split_copy(x, 2, 1),
    "split_with_sizes_copy": lambda T, x: T.split_with_sizes_copy(x, [1, 3], 2),
    "unbind_copy": lambda T, x: T.unbind_copy(x, 1),
    "split_with_sizes": lambda T, x: T.split_with_sizes(x, [1, 2], 1),
    "split_with_sizes_method": lambda T, x: x.split_with_sizes([3, 1], -1),
    "split_with_sizes_bad": lambda T, x: x.split_with_sizes([3, 3], -1),
    "unsafe_split": lambda T, x: T.unsafe_split(x, 2, 2),
    "unsafe_chunk": lambda T, x: T.unsafe_chunk(x, 3, 1),
    "unsafe_chunk_method": lambda T, x: x.unsafe_chunk(2),
    "unsafe_split_with_sizes": lambda T, x: T.unsafe_split_with_sizes(x, [2, 1], 1),
    "fill_diagonal_": lambda T, x: x[0].clone().fill_diagonal_(5),
    "fill_diagonal_wide": lambda T, x: x[0].mT.clone().fill_diagonal_(-1, True),
    "fill_diagonal_wrap": lambda T, x: x.reshape(8, 3).clone().fill_diagonal_(-1, wrap=True),
    "fill_diagonal_no_wrap": lambda T, x: x.reshape(8, 3).clone().fill_diagonal_(-1),
    "fill_diagonal_wrap_4": lambda T, x: x.reshape(6, 4).clone().fill_diagonal_(3, wrap=True),
    "fill_diagonal_cube": lambda T, x: x[:, :2, :2].clone().fill_diagonal_(7),
    "fill_diagonal_unequal": lambda T, x: x.clone().fill_diagonal_(7),
    "fill_diagonal_1d": lambda T, x: x[0, 0].clone().fill_diagonal_(1),
    "fill_diagonal_leaf": lambda T, x: x.fill_diagonal_(1),
    "fill_diagonal_tensor": lambda T, x: x[0].clone().fill_diagonal_(T.tensor(2.5)),
    "fill_diagonal_float": lambda T, x: x[0].clone().fill_diagonal_(2.5),
    "apply_": lambda T, x: x.detach().clone().apply_(lambda v: v * 2 - 1),
    "apply_grad": lambda T, x: x.apply_(lambda v: v),
    "map_": lambda T, x: x.detach().clone().map_(x[0, :1].detach(), lambda a, b: a - 2 * b),
    "map_bad_shape": lambda T, x: x.detach().clone().map_(x[:, :2].detach(), lambda a, b: a),
    "map2_": lambda T, x: x.detach().clone().map2_(x.detach()[1], x.detach()[:, :, :1],
                                                   lambda a, b, c: a + b - c),
    "output_nr": lambda T, x: [o.output_nr for o in (x * 1).split(1)] + [x.output_nr],
    "resize_": lambda T, x: x.detach().clone().resize_(2, 5),
    "resize_tuple": lambda T, x: x.detach().clone().resize_((4,)),
    "resize_negative": lambda T, x: x.detach().clone().resize_(3, -1),
    "resize_grad": lambda T, x: x.resize_(4),
    "as_strided": lambda T, x: T.as_strided(x, (3, 2), (1, 3), 2),
    "as_strided_overlap": lambda T, x: x.as_strided((4, 3), (2, 1)),
    "as_strided_of_view": lambda T, x: (x * 1)[1].t().as_strided((2, 2), (4, 1), 1),
    "as_strided_offset": lambda T, x: x.as_strided((2, 2), (1, 2), 100),
    "as_strided_mismatch": lambda T, x: x.as_strided((2,), (1, 2)),
    "as_strided_negative": lambda T, x: x.as_strided((2,), (-1,)),
    "as_strided_float": lambda T, x: x.as_strided((2,), (1.5,)),
    "as_strided_int_size": lambda T, x: x.as_strided(2, (1,)),
    "as_strided_bad_offset": lambda T, x: x.as_strided((2, 2), (1, 2), -1),
    "as_strided_copy": lambda T, x: T.as_strided_copy(x, (4, 3), (2, 1), 1),
    "resize_float_size": lambda T, x: x.detach().resize_(2, 2.0),
    "resize_float_list": lambda T, x: x.detach().resize_([2, 2.0]),
}


def _names(out):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return [o.grad_fn.name() if isinstance(o, (torch.Tensor, mt.Tensor)) and o.grad_fn
            else None for o in outs]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", list(OPS))
def test_values_grads_errors(name, dtype):
    """Values, dtypes and grads (check_same), or torch's error; and the grad_fn names."""
    fn = OPS[name]
    if check_same(fn, _x(dtype)) != "computes":
        return
    outs = {}
    for T in (torch, mt):
        x = T.tensor(_x(dtype))
        if x.is_floating_point():
            x = (x.requires_grad_() * 1)
        outs[T] = _names(fn(T, x))
    assert outs[mt] == outs[torch]


def test_isposinf_isneginf_values():
    v = np.array([np.inf, -np.inf, np.nan, 0.0, 1e308 * 10, -1.0])
    check(lambda T, x: (x.isposinf(), x.isneginf(), T.isreal(x)), v, grad=False)


@pytest.mark.parametrize("name", ["alias_copy", "t_copy", "view_copy", "permute_copy",
                                  "expand_copy", "squeeze_copy", "unsqueeze_copy",
                                  "transpose_copy", "select_copy", "slice_copy", "diagonal_copy",
                                  "unfold_copy", "split_copy", "split_with_sizes_copy",
                                  "unbind_copy", "as_strided_copy", "diag_embed", "diagflat",
                                  "fill_number"])
def test_copies_share_no_memory(name):
    """A _copy op's result is a new contiguous tensor: a write into its input does not show in
    it, and its version counter is its own."""
    for T in (torch, mt):
        x = T.tensor(_x(np.float64))
        outs = OPS[name](T, x)
        outs = outs if isinstance(outs, tuple) else (outs,)
        before = [to_numpy(o).copy() for o in outs]
        x.add_(1)
        for o, b in zip(outs, before):
            np.testing.assert_array_equal(to_numpy(o), b)
            assert o._version == 0 and o.is_contiguous(), T.__name__


@pytest.mark.parametrize("name", ["unsafe_split", "unsafe_chunk", "unsafe_split_with_sizes"])
def test_unsafe_splits_share_memory_not_versions(name):
    """torch's unsafe splits share input's memory but are not views: a write into the input
    shows in them, their version counters stay theirs, ``_base`` is None."""
    seen = {}
    for T in (torch, mt):
        x = T.tensor(_x(np.float64))
        outs = OPS[name](T, x)
        x.add_(1)
        seen[T] = [(to_numpy(o).copy(), o._version, o._base is None) for o in outs]
    for (a, va, ba), (b, vb, bb) in zip(seen[mt], seen[torch]):
        np.testing.assert_array_equal(a, b)
        assert (va, ba) == (vb, bb)


@pytest.mark.parametrize("name", ["positive", "conj", "conj_physical", "resolve_conj",
                                  "resolve_neg", "real", "real_property", "sum_to_size_same"])
def test_identities_return_input(name):
    """torch returns the input tensor itself for a real tensor."""
    for T in (torch, mt):
        x = T.tensor(_x(np.float32)).requires_grad_()
        assert OPS[name](T, x) is x


@pytest.mark.parametrize("name", ["split_with_sizes", "adjoint", "mH", "H", "detach",
                                  "as_strided", "as_strided_overlap"])
def test_views_share_memory(name):
    for T in (torch, mt):
        x = T.tensor(_x(np.float64))
        outs = OPS[name](T, x)
        outs = outs if isinstance(outs, tuple) else (outs,)
        x.add_(1)
        for o in outs:
            assert o._version == x._version
        assert np.all(to_numpy(outs[0]) == to_numpy(OPS[name](T, x)[0] if isinstance(
            OPS[name](T, x), tuple) else OPS[name](T, x)))


UNRAVEL = {
    "vector": lambda T: T.unravel_index(T.tensor([5, 7, 0]), (2, 4)),
    "scalar": lambda T: T.unravel_index(T.tensor(9), (2, 4)),
    "int_shape": lambda T: T.unravel_index(T.tensor([[3], [4]]), 5),
    "int32": lambda T: T.unravel_index(T.tensor([1234, 5678], dtype=T.int32), (10, 10, 10, 10)),
    "float": lambda T: T.unravel_index(T.tensor([1.0]), (2, 4)),
    "bool": lambda T: T.unravel_index(T.tensor([True]), (2, 4)),
    "negative_shape": lambda T: T.unravel_index(T.tensor([1]), (2, -4)),
    "float_shape": lambda T: T.unravel_index(T.tensor([1]), (2, 4.0)),
    "bad_shape": lambda T: T.unravel_index(T.tensor([1]), "ab"),
}


@pytest.mark.parametrize("name", list(UNRAVEL))
def test_unravel_index(name):
    theirs = torch_result_or_same_error(UNRAVEL[name])
    if theirs is None:
        return
    ours = UNRAVEL[name](mt)
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs):
        assert str(o.dtype) == str(t.dtype)
        np.testing.assert_array_equal(to_numpy(o), to_numpy(t))


ARGUMENT_ERRORS = {
    "permute_copy_number": lambda T: T.permute_copy(2.5, (0,)),
    "view_copy_number": lambda T: T.view_copy(2.5, (1,)),
    "fill_number": lambda T: T.fill(1.0, 2.0),
    "squeeze_copy_number": lambda T: T.squeeze_copy(2.5, 0),
    "unsafe_split_number": lambda T: T.unsafe_split(2.5, 1),
    "conj_number": lambda T: T.conj(2.5),
    "is_neg_number": lambda T: T.is_neg(2.5),
    "diagflat_number": lambda T: T.diagflat(2.5),
    "split_with_sizes_number": lambda T: T.split_with_sizes(2.5, [1]),
}


@pytest.mark.parametrize("name", list(ARGUMENT_ERRORS))
def test_argument_errors(name):
    check_raises(ARGUMENT_ERRORS[name])


def test_H_warns_on_0d():
    for T in (torch, mt):
        with pytest.warns(UserWarning, match="Tensor.H is deprecated on 0-D tensors"):
            x = T.tensor(2.0)
            assert x.H is x or T is torch


@pytest.mark.parametrize("args", [(0, -2, -1), (1, 0, 2), (-1, 2, 0)])
def test_diag_embed_double_backward(args):
    check_double(lambda T, x: T.diag_embed(x, *args), _x(np.float64))


_BYTES = bytes(range(1, 9))
FROMBUFFER = {
    "int8": lambda T: T.frombuffer(bytearray(_BYTES), dtype=T.int8),
    "int32_count_offset": lambda T: T.frombuffer(bytearray(_BYTES), dtype=T.int32, count=1,
                                                 offset=4),
    "float32": lambda T: T.frombuffer(bytearray(np.arange(3, dtype=np.float32).tobytes()),
                                      dtype=T.float32),
    "float64_grad": lambda T: T.frombuffer(bytearray(np.ones(2).tobytes()), dtype=T.float64,
                                           requires_grad=True),
    "bool": lambda T: T.frombuffer(bytearray(b"\x00\x01"), dtype=T.bool),
    "bad_multiple": lambda T: T.frombuffer(bytearray(_BYTES), dtype=T.int32, offset=1),
    "too_many": lambda T: T.frombuffer(bytearray(_BYTES), dtype=T.int32, count=3),
    "offset_end": lambda T: T.frombuffer(bytearray(_BYTES), dtype=T.int16, offset=8),
    "offset_negative": lambda T: T.frombuffer(bytearray(_BYTES), dtype=T.int16, offset=-1),
    "count_zero": lambda T: T.frombuffer(bytearray(_BYTES), dtype=T.int16, count=0),
    "empty": lambda T: T.frombuffer(bytearray(), dtype=T.float32),
    "no_buffer": lambda T: T.frombuffer(3, dtype=T.int8),
    "no_dtype": lambda T: T.frombuffer(bytearray(_BYTES)),
}


@pytest.mark.parametrize("name", list(FROMBUFFER))
def test_frombuffer(name):
    theirs = torch_result_or_same_error(FROMBUFFER[name])
    if theirs is None:
        return
    ours = FROMBUFFER[name](mt)
    assert str(ours.dtype) == str(theirs.dtype) and ours.requires_grad == theirs.requires_grad
    np.testing.assert_array_equal(to_numpy(ours), to_numpy(theirs))


def test_frombuffer_shares_memory():
    for T in (torch, mt):
        buffer = bytearray(_BYTES)
        t = T.frombuffer(buffer, dtype=T.uint8)
        buffer[0] = 9
        t[1] = 7
        assert t[0].item() == 9 and buffer[1] == 7
