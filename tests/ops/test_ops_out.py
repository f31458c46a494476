"""``out=`` against torch: for every op that takes it, the same scenarios run
in both libraries (an empty ``out``, one of the right shape, one of another dtype, a resize
from a wrong shape, a non-contiguous ``out``, ``out`` aliasing the input, inputs or ``out``
requiring grad, and the same under ``no_grad``), and we compare what comes back: the values,
dtype and shape written into ``out``, that ``out`` itself is returned, the warnings, or the
exception and its message."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import assert_close, check_raises

X = np.array([[0.5, 1.5, 2.5], [0.7, 1.2, 3.1]], dtype=np.float32)

# name -> call(T, x, out); x is X as a tensor
OPS = {
    **{n: (lambda n: lambda T, x, out: getattr(T, n)(x, out=out))(n) for n in (
        "exp exp2 expm1 log log1p log2 log10 sqrt rsqrt reciprocal sin cos tan tanh sigmoid "
        "erf square abs absolute sign floor ceil round trunc fix frac neg negative logical_not "
        "nan_to_num isposinf isneginf asin acos atan arcsin arccos arctan sinh cosh asinh acosh "
        "atanh arcsinh arccosh arctanh sgn signbit deg2rad rad2deg").split()},
    "heaviside": lambda T, x, out: T.heaviside(x - 1.5, x.flip(0), out=out),
    "round_decimals": lambda T, x, out: T.round(x, decimals=1, out=out),
    "bitwise_not": lambda T, x, out: T.bitwise_not(x.long(), out=out),
    **{n: (lambda n: lambda T, x, out: getattr(T, n)(x, x.flip(0), out=out))(n) for n in (
        "add sub subtract mul multiply div divide true_divide floor_divide remainder fmod pow "
        "maximum minimum atan2 arctan2 logaddexp logaddexp2 hypot copysign fmax fmin "
        "float_power nextafter ldexp eq ne lt le gt ge greater greater_equal less "
        "less_equal not_equal logical_and logical_or logical_xor").split()},
    "add_alpha": lambda T, x, out: T.add(x, 2, alpha=3, out=out),
    "mul_scalar": lambda T, x, out: T.mul(x, 2.5, out=out),
    "pow_scalar": lambda T, x, out: T.pow(x, 2, out=out),
    "div_floor": lambda T, x, out: T.div(x, 0.7, rounding_mode="floor", out=out),
    "bitwise_and": lambda T, x, out: T.bitwise_and(x.long(), 3, out=out),
    "bitwise_or": lambda T, x, out: T.bitwise_or(x.long(), 3, out=out),
    "bitwise_xor": lambda T, x, out: T.bitwise_xor(x.long(), 3, out=out),
    "gcd": lambda T, x, out: T.gcd((x * 4).long(), (x * 6).long().flip(0), out=out),
    "lcm": lambda T, x, out: T.lcm((x * 4).long(), (x * 6).long().flip(0), out=out),
    "copysign_number": lambda T, x, out: T.copysign(x, -1, out=out),
    "float_power_number": lambda T, x, out: T.float_power(x, 2, out=out),
    "renorm": lambda T, x, out: T.renorm(x, 2, 0, 1.0, out=out),
    "bitwise_left_shift": lambda T, x, out: T.bitwise_left_shift(x.long(), 3, out=out),
    "bitwise_right_shift": lambda T, x, out: T.bitwise_right_shift(x.long() * 9,
                                                                   x.long(), out=out),
    "lerp": lambda T, x, out: T.lerp(x, x * 2, 0.3, out=out),
    "addcmul": lambda T, x, out: T.addcmul(x, x, x, value=0.5, out=out),
    "addcdiv": lambda T, x, out: T.addcdiv(x, x, x + 1, value=0.5, out=out),
    "clamp": lambda T, x, out: T.clamp(x, 0.5, 1.5, out=out),
    "clip": lambda T, x, out: T.clip(x, 0.5, 1.5, out=out),
    "clamp_min": lambda T, x, out: T.clamp_min(x, 0.6, out=out),
    "clamp_max": lambda T, x, out: T.clamp_max(x, 0.6, out=out),
    "where": lambda T, x, out: T.where(x > 1, x, x * 2, out=out),
}

# matrix products: x is 2x3
OPS.update({
    "matmul": lambda T, x, out: T.matmul(x, x.t(), out=out),
    "matmul_vectors": lambda T, x, out: T.matmul(x[0], x[1], out=out),
    "matmul_matrix_vector": lambda T, x, out: T.matmul(x, x[0], out=out),
    "matmul_vector_matrix": lambda T, x, out: T.matmul(x[:, 0], x, out=out),
    "matmul_batched": lambda T, x, out: T.matmul(T.stack([x, x * 2]), x.t(), out=out),
    "mm": lambda T, x, out: T.mm(x, x.t(), out=out),
    "bmm": lambda T, x, out: T.bmm(x.unsqueeze(0), x.t().unsqueeze(0), out=out),
    "mv": lambda T, x, out: T.mv(x, x[1], out=out),
    "dot": lambda T, x, out: T.dot(x[0], x[1], out=out),
    "inner": lambda T, x, out: T.inner(x, x, out=out),
    "outer": lambda T, x, out: T.outer(x[0], x[1], out=out),
    "tensordot": lambda T, x, out: T.tensordot(x, x.t(), 1, out=out),
    "tensordot_all": lambda T, x, out: T.tensordot(x, x, 2, out=out),
    "kron": lambda T, x, out: T.kron(x.contiguous(), x[0].contiguous(), out=out),
    "dstack": lambda T, x, out: T.dstack([x, x * 2], out=out),
    "column_stack": lambda T, x, out: T.column_stack([x[0], x[1]], out=out),
    "hstack": lambda T, x, out: T.hstack([x, x * 2], out=out),
    "vstack": lambda T, x, out: T.vstack([x[0], x[1]], out=out),
    "addmm": lambda T, x, out: T.addmm(x[:, :2], x, x.t(), beta=0.5, alpha=2, out=out),
    "baddbmm": lambda T, x, out: T.baddbmm(x[:, :2].unsqueeze(0), x.unsqueeze(0),
                                           x.t().unsqueeze(0), out=out),
    "addmv": lambda T, x, out: T.addmv(x[:, 0], x, x[1], beta=0.5, alpha=2, out=out),
    "addr": lambda T, x, out: T.addr(x, x[:, 0], x[0], alpha=2, out=out),
    "addbmm": lambda T, x, out: T.addbmm(x[:, :2], T.stack([x, x * 2]),
                                         T.stack([x.t(), x.t()]), out=out),
    "vdot": lambda T, x, out: T.vdot(x[0], x[1], out=out),
})

# reductions (sum, prod and cumsum compute in out's dtype: the int64 scenario shows it)
OPS.update({
    "sum_dim": lambda T, x, out: T.sum(x, 0, out=out),
    "sum_keepdim": lambda T, x, out: T.sum(x, 1, True, out=out),
    "sum_dims": lambda T, x, out: T.sum(x, (0, 1), out=out),
    "sum_dim_none": lambda T, x, out: T.sum(x, None, out=out),
    "sum_dtype": lambda T, x, out: T.sum(x, 1, dtype=T.float64, out=out),
    "sum_int": lambda T, x, out: T.sum((x * 2).long(), 0, out=out),
    "sum_bool": lambda T, x, out: T.sum(x > 1, 0, out=out),
    "mean_dim": lambda T, x, out: T.mean(x, 0, out=out),
    "mean_all": lambda T, x, out: T.mean(x, out=out),
    "mean_dtype": lambda T, x, out: T.mean(x, 1, dtype=T.float64, out=out),
    "prod_dim": lambda T, x, out: T.prod(x, 1, out=out),
    "prod_int": lambda T, x, out: T.prod((x * 2).long(), 0, out=out),
    "prod_dtype": lambda T, x, out: T.prod(x, 0, dtype=T.float64, out=out),
    "amax": lambda T, x, out: T.amax(x, 0, out=out),
    "amax_all": lambda T, x, out: T.amax(x, out=out),
    "amin": lambda T, x, out: T.amin(x, (0, 1), True, out=out),
    "argmax": lambda T, x, out: T.argmax(x, 1, out=out),
    "argmax_all": lambda T, x, out: T.argmax(x, out=out),
    "argmin": lambda T, x, out: T.argmin(x, 0, True, out=out),
    "logsumexp": lambda T, x, out: T.logsumexp(x, 1, out=out),
    "logsumexp_int": lambda T, x, out: T.logsumexp((x * 2).long(), 0, out=out),
    "cumsum": lambda T, x, out: T.cumsum(x, 1, out=out),
    "cumsum_int": lambda T, x, out: T.cumsum((x * 2).long(), 0, out=out),
    "cumsum_dtype": lambda T, x, out: T.cumsum(x, 0, dtype=T.float64, out=out),
    "var": lambda T, x, out: T.var(x, 1, out=out),
    "var_biased": lambda T, x, out: T.var(x, 1, False, True, out=out),
    "var_correction": lambda T, x, out: T.var(x, 0, correction=0, out=out),
    "var_all": lambda T, x, out: T.var(x, out=out),
    "std": lambda T, x, out: T.std(x, 0, out=out),
    "std_all": lambda T, x, out: T.std(x, out=out),
    "norm": lambda T, x, out: T.norm(x, out=out),
    "norm_p1_dim": lambda T, x, out: T.norm(x, 1, 1, out=out),
    "norm_dtype": lambda T, x, out: T.norm(x, 2, 0, dtype=T.float64, out=out),
    "norm_nuc": lambda T, x, out: T.norm(x, "nuc", out=out),
    "any": lambda T, x, out: T.any(x > 1, 0, out=out),
    "any_all": lambda T, x, out: T.any(x, out=out),
    "all": lambda T, x, out: T.all(x > 1, 1, out=out),
    "max_all": lambda T, x, out: T.max(x, out=out),
    "min_all": lambda T, x, out: T.min(x, out=out),
    "max_other": lambda T, x, out: T.max(x, x.flip(0), out=out),
    "min_other": lambda T, x, out: T.min(x, other=x.flip(0), out=out),
    "msort": lambda T, x, out: T.msort(x, out=out),
    "nansum": lambda T, x, out: T.nansum(x, out=out),
    "nansum_dim": lambda T, x, out: T.nansum(x.log() - 0.1, 1, out=out),
    "nanmean": lambda T, x, out: T.nanmean(x, out=out),
    "nanmean_dim": lambda T, x, out: T.nanmean(x, 0, True, out=out),
    "logcumsumexp": lambda T, x, out: T.logcumsumexp(x, 1, out=out),
    "quantile": lambda T, x, out: T.quantile(x, 0.3, 1, out=out),
    "quantile_q_tensor": lambda T, x, out: T.quantile(x, T.tensor([0.2, 0.9]), out=out),
    "nanquantile": lambda T, x, out: T.nanquantile(x, 0.5, 0, True, out=out),
})

# joining
OPS.update({
    "cat": lambda T, x, out: T.cat([x, x * 2], out=out),
    "cat_dim1": lambda T, x, out: T.cat((x, x[:, :1]), 1, out=out),
    "cat_mixed_dtypes": lambda T, x, out: T.cat([x, (x * 2).long()], out=out),
    "cat_int": lambda T, x, out: T.cat([(x * 2).long(), (x * 3).int()], out=out),
    "concat": lambda T, x, out: T.concat([x, x], -1, out=out),
    "stack": lambda T, x, out: T.stack([x, x * 2], out=out),
    "stack_dim2": lambda T, x, out: T.stack([x, x * 2], 2, out=out),
    "hstack": lambda T, x, out: T.hstack([x, x], out=out),
    "vstack": lambda T, x, out: T.vstack([x, x[0]], out=out),
})

# indexing, triangles, diagonals, softmax (x is 2x3; the index tensors are built in each library)
OPS.update({
    "cumprod": lambda T, x, out: T.cumprod(x, 1, out=out),
    "cumprod_int": lambda T, x, out: T.cumprod((x * 2).long(), 0, out=out),
    "gather": lambda T, x, out: T.gather(x, 1, T.tensor([[0, 2], [1, 0]]), out=out),
    "take_along_dim": lambda T, x, out: T.take_along_dim(x, T.tensor([[0, 2], [1, 0]]), 1,
                                                         out=out),
    "take_along_dim_flat": lambda T, x, out: T.take_along_dim(x, T.tensor([5, 0]), out=out),
    "scatter": lambda T, x, out: T.scatter(x, 1, T.tensor([[0, 2], [1, 0]]), x * 2, out=out),
    "scatter_value": lambda T, x, out: T.scatter(x, 1, T.tensor([[2], [1]]), 9.0, out=out),
    "scatter_add": lambda T, x, out: T.scatter_add(x, 1, T.tensor([[0, 0], [1, 0]]), x,
                                                   out=out),
    "index_add": lambda T, x, out: T.index_add(x, 1, T.tensor([0, 0]), x[:, :2], alpha=2,
                                               out=out),
    "index_select": lambda T, x, out: T.index_select(x, 1, T.tensor([2, 0]), out=out),
    "masked_select": lambda T, x, out: T.masked_select(x, x > 1, out=out),
    "nonzero": lambda T, x, out: T.nonzero(x > 1, out=out),
    "take": lambda T, x, out: T.take(x, T.tensor([[5, 0], [1, 1]]), out=out),
    "tril": lambda T, x, out: T.tril(x, out=out),
    "triu": lambda T, x, out: T.triu(x, 1, out=out),
    "diag_of_matrix": lambda T, x, out: T.diag(x, out=out),
    "diag_of_vector": lambda T, x, out: T.diag(x[0], -1, out=out),
    "diff": lambda T, x, out: T.diff(x, out=out),
    "diff_prepend": lambda T, x, out: T.diff(x, 2, 0, prepend=x, out=out),
    "argsort_stable": lambda T, x, out: T.argsort(x, stable=True, dim=0, descending=True,
                                                  out=out),
    "softmax": lambda T, x, out: T.softmax(x, 1, out=out),
    "softmax_dtype": lambda T, x, out: T.softmax(x, 0, T.float64, out=out),
    "log_softmax": lambda T, x, out: T.log_softmax(x, 1, out=out),
})

# ops with two results: out is a tuple, the result torch.return_types.<op>_out
TUPLE_OPS = {
    "max_dim": lambda T, x, out: T.max(x, 1, out=out),
    "max_dim_keepdim": lambda T, x, out: T.max(x, 0, True, out=out),
    "min_dim": lambda T, x, out: T.min(x, 1, out=out),
    "sort": lambda T, x, out: T.sort(x, 1, descending=True, out=out),
    "sort_stable": lambda T, x, out: T.sort(x, stable=True, dim=0, out=out),
    "topk": lambda T, x, out: T.topk(x, 2, out=out),
    "aminmax": lambda T, x, out: T.aminmax(x, dim=1, out=out),
    "cummax": lambda T, x, out: T.cummax(x, 1, out=out),
    "cummin": lambda T, x, out: T.cummin(x, 0, out=out),
    "median": lambda T, x, out: T.median(x, 1, out=out),
    "nanmedian": lambda T, x, out: T.nanmedian(x, 0, True, out=out),
    "kthvalue": lambda T, x, out: T.kthvalue(x, 2, 1, out=out),
    "mode": lambda T, x, out: T.mode(x, 0, out=out),
}
TUPLE_SCENARIOS = {
    "empty": lambda T, r: tuple(T.empty(0, dtype=t.dtype) for t in r),
    "right_shape": lambda T, r: tuple(T.zeros(t.shape, dtype=t.dtype) for t in r),
    "wrong_shape": lambda T, r: tuple(T.zeros(7, dtype=t.dtype) for t in r),
    "non_contiguous": lambda T, r: tuple(T.zeros(tuple(t.shape) + (2,), dtype=t.dtype)[..., 1]
                                         for t in r),
    "list": lambda T, r: [T.empty(0, dtype=t.dtype) for t in r],
    "first_float64": lambda T, r: (T.empty(0, dtype=T.float64), T.empty(0, dtype=r[1].dtype)),
    "second_int32": lambda T, r: (T.empty(0, dtype=r[0].dtype), T.empty(0, dtype=T.int32)),
    "swapped_dtypes": lambda T, r: (T.empty(0, dtype=r[1].dtype), T.empty(0, dtype=r[0].dtype)),
    "first_requires_grad": lambda T, r: (T.empty(0, requires_grad=True),
                                         T.empty(0, dtype=r[1].dtype)),
    "first_expanded": lambda T, r: (T.zeros(1, dtype=r[0].dtype).expand(r[0].shape),
                                    T.zeros(r[1].shape, dtype=r[1].dtype)),
    "three": lambda T, r: (T.empty(0), T.empty(0), T.empty(0)),
    "one": lambda T, r: (T.empty(0),),
    "not_a_tensor": lambda T, r: (T.empty(0, dtype=r[0].dtype), 3),
}


def _result(T, name, x, make_out, grad_mode=True, ops=None):
    """What ``OPS[name]`` gives in library T: ('raise', type, first line) or
    ('ok', returned-is-out, out as an array, dtype, warnings)."""
    out = make_out(T)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with T.set_grad_enabled(grad_mode):
                ret = (ops or OPS)[name](T, x, out)
        except Exception as e:  # noqa: BLE001 - the exception is the observation
            return ("raise", type(e).__name__, str(e).split("\n")[0])
    msgs = [str(c.message).split(" (Triggered")[0] for c in caught
            if issubclass(c.category, UserWarning)]
    outs = out if isinstance(out, (tuple, list)) else (out,)
    rets = ret if isinstance(ret, tuple) else (ret,)
    return ("ok", all(r is o for r, o in zip(rets, outs)), [o.detach() for o in outs], msgs,
            type(ret).__name__ if isinstance(ret, tuple) else "")


SCENARIOS = {
    "empty": lambda T, r: T.empty(0, dtype=r.dtype),
    "right_shape": lambda T, r: T.zeros(r.shape, dtype=r.dtype),
    "float64": lambda T, r: T.zeros(r.shape, dtype=T.float64),
    "float16": lambda T, r: T.zeros(r.shape, dtype=T.float16),
    "int64": lambda T, r: T.zeros(r.shape, dtype=T.int64),
    "bool": lambda T, r: T.zeros(r.shape, dtype=T.bool),
    "wrong_shape": lambda T, r: T.zeros(7, dtype=r.dtype),
    "non_contiguous": lambda T, r: T.zeros(tuple(r.shape) + (2,), dtype=r.dtype)[..., 1],
    "out_requires_grad": lambda T, r: T.zeros(r.shape, requires_grad=True),
}


def _run_scenario(name, scenario, input_grad=False, grad_mode=True, ops=None, scenarios=None):
    ops, scenarios = ops or OPS, scenarios or SCENARIOS
    got = {}
    for T in (torch, mt):
        x = T.tensor(X)
        reference = ops[name](T, x, None)  # the result without out=: its dtype and shape
        x = T.tensor(X, requires_grad=input_grad)
        got[T] = _result(T, name, x, lambda T: scenarios[scenario](T, reference), grad_mode, ops)
    ours, theirs = got[mt], got[torch]
    assert ours[0] == theirs[0], f"ours {ours}, torch {theirs}"
    if theirs[0] == "raise":
        assert ours[1:] == theirs[1:], f"ours {ours[1:]}, torch {theirs[1:]}"
        return
    assert ours[1] == theirs[1], "returns out itself"
    refs = reference if isinstance(reference, tuple) else (reference,)
    for o, t, r in zip(ours[2], theirs[2], refs):
        assert str(o.dtype) == str(t.dtype) and tuple(o.shape) == tuple(t.shape)
        if o.is_floating_point() and r.is_floating_point() and o.element_size() > \
                r.element_size():  # computed in r's precision, then widened: compare there
            o, t = o.to(r.dtype), t.to(getattr(torch, str(r.dtype).split(".")[1]))
        assert_close(o, t, "out")
    assert ours[3] == theirs[3], f"warnings {ours[3]} != torch's {theirs[3]}"
    assert ours[4] == theirs[4], "the type returned"


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("name", sorted(OPS))
def test_out(name, scenario):
    if (name, scenario) in PENDING:
        with pytest.raises(AssertionError):
            _run_scenario(name, scenario)
        pytest.xfail(PENDING[name, scenario])
    _run_scenario(name, scenario)


# (op, scenario) pairs that do not match torch yet, with the reason (strict expected failures)
PENDING = {
    # torch's addbmm resizes its out silently (it reuses out as addmm's self)
    ("addbmm", "wrong_shape"): "torch resizes addbmm's out without the deprecation warning",
}


# (op, scenario) pairs that do not match torch yet, with the reason (strict expected failures)
TUPLE_PENDING = {
    # torch's cummax/cummin skip the internal-overlap check and write into the expanded
    # tensor's one element; ours refuse it (torch's error for every other op): our expanded
    # views are read-only
    ("cummax", "first_expanded"): "torch writes through an expanded out here",
    ("cummin", "first_expanded"): "same",
}


@pytest.mark.parametrize("scenario", sorted(TUPLE_SCENARIOS))
@pytest.mark.parametrize("name", sorted(TUPLE_OPS))
def test_out_tuple(name, scenario):
    if (name, scenario) in TUPLE_PENDING:
        with pytest.raises(AssertionError):
            _run_scenario(name, scenario, ops=TUPLE_OPS, scenarios=TUPLE_SCENARIOS)
        pytest.xfail(TUPLE_PENDING[name, scenario])
    _run_scenario(name, scenario, ops=TUPLE_OPS, scenarios=TUPLE_SCENARIOS)


@pytest.mark.parametrize("name", sorted(OPS))
def test_out_requiring_grad_under_no_grad(name):
    """Nothing is recorded under no_grad, so torch writes into an out that requires grad."""
    _run_scenario(name, "out_requires_grad", grad_mode=False)


@pytest.mark.parametrize("name", sorted(TUPLE_OPS))
def test_out_tuple_requiring_grad_under_no_grad(name):
    _run_scenario(name, "first_requires_grad", grad_mode=False, ops=TUPLE_OPS,
                  scenarios=TUPLE_SCENARIOS)


@pytest.mark.parametrize("grad_mode", [True, False], ids=["grad", "no_grad"])
@pytest.mark.parametrize("name", sorted(TUPLE_OPS))
def test_out_tuple_with_input_requiring_grad(name, grad_mode):
    _run_scenario(name, "right_shape", input_grad=True, grad_mode=grad_mode, ops=TUPLE_OPS,
                  scenarios=TUPLE_SCENARIOS)


@pytest.mark.parametrize("grad_mode", [True, False], ids=["grad", "no_grad"])
@pytest.mark.parametrize("name", sorted(OPS))
def test_out_with_input_requiring_grad(name, grad_mode):
    _run_scenario(name, "right_shape", input_grad=True, grad_mode=grad_mode)


# vector @ matrix resizes out to a [1, n] row first, which torch's resize_ lays over out's old
# storage (so the base sees the values at other places); ours gives the row new memory
@pytest.mark.parametrize("name", sorted(set(OPS) - {"matmul_vector_matrix"}))
def test_out_is_a_view_written_through(name):
    """A non-contiguous out is filled in place: its base sees the values."""
    bases = {}
    for T in (torch, mt):
        x = T.tensor(X)
        ref = OPS[name](T, x, None)
        base = T.zeros(tuple(ref.shape) + (2,), dtype=ref.dtype)
        OPS[name](T, x, base[..., 1])
        bases[T] = base
    assert_close(bases[mt], bases[torch])


def test_out_aliasing_the_input():
    for T in (torch, mt):
        x = T.tensor(X)
        T.exp(x, out=x)
        T.add(x, x.flip(0), out=x)
    assert_close(x, torch.add(torch.exp(torch.tensor(X)), torch.exp(torch.tensor(X)).flip(0)))


# -- factories: out decides the dtype; random ones draw the same stream as torch ----------------

FACTORIES = {
    "zeros": lambda T, o, **k: T.zeros(2, 3, out=o, **k),
    "ones": lambda T, o, **k: T.ones((2,), out=o, **k),
    "empty": lambda T, o, **k: T.empty(2, out=o, **k).zero_(),
    "full": lambda T, o, **k: T.full((2,), 1.5, out=o, **k),
    "full_int": lambda T, o, **k: T.full((2,), 7, out=o, **k),
    "arange": lambda T, o, **k: T.arange(0, 2.5, 0.5, out=o, **k),
    "arange_int": lambda T, o, **k: T.arange(5, out=o, **k),
    "linspace": lambda T, o, **k: T.linspace(0, 1, 5, out=o, **k),
    "logspace": lambda T, o, **k: T.logspace(0, 1, 3, out=o, **k),
    "eye": lambda T, o, **k: T.eye(3, out=o, **k),
    "rand": lambda T, o, **k: T.rand(3, out=o, **k),
    "randn": lambda T, o, **k: T.randn(20, out=o, **k),
    "randint": lambda T, o, **k: T.randint(0, 5, (3,), out=o, **k),
    "randperm": lambda T, o, **k: T.randperm(6, out=o, **k),
    "normal": lambda T, o, **k: T.normal(0.5, 2.0, (20,), out=o, **k),
    "normal_tensors": lambda T, o: T.normal(T.zeros(20), T.ones(20), out=o),
    "bernoulli": lambda T, o: T.bernoulli(T.full((5,), 0.3), out=o),
    "multinomial": lambda T, o: T.multinomial(T.tensor([0.2, 0.3, 0.5]), 4, True, out=o),
}
FACTORY_OUTS = {
    "float64": lambda T, r: (T.empty(0, dtype=T.float64), {}),
    "int64": lambda T, r: (T.empty(0, dtype=T.int64), {}),
    "bool": lambda T, r: (T.empty(0, dtype=T.bool), {}),
    "dtype_mismatch": lambda T, r: (T.empty(0, dtype=T.float64), {"dtype": T.float32}),
    "dtype_match": lambda T, r: (T.empty(0, dtype=T.float64), {"dtype": T.float64}),
    "requires_grad": lambda T, r: (T.empty(0, requires_grad=True), {}),
    "requires_grad_right_shape": lambda T, r: (T.empty(r.shape, requires_grad=True), {}),
    "wrong_shape": lambda T, r: (T.zeros(7, dtype=r.dtype), {}),
    "right_shape": lambda T, r: (T.zeros(r.shape, dtype=r.dtype), {}),
}


NO_DTYPE_ARG = {"normal_tensors", "bernoulli", "multinomial"}


@pytest.mark.parametrize("name, case", [
    (n, c) for n in sorted(FACTORIES) for c in sorted(FACTORY_OUTS)
    if not (n in NO_DTYPE_ARG and c.startswith("dtype_"))])
def test_factory_out(name, case, grad_mode=True):
    got = {}
    for T in (torch, mt):
        ref = FACTORIES[name](T, None)
        out, kw = FACTORY_OUTS[case](T, ref)
        T.manual_seed(0)
        with warnings.catch_warnings(record=True) as caught, T.set_grad_enabled(grad_mode):
            warnings.simplefilter("always")
            try:
                ret = FACTORIES[name](T, out, **kw)
            except Exception as e:  # noqa: BLE001
                got[T] = ("raise", type(e).__name__, str(e).split("\n")[0])
                continue
        got[T] = ("ok", ret is out, out.detach(),
                  [str(c.message).split(" (Triggered")[0] for c in caught])
    ours, theirs = got[mt], got[torch]
    assert ours[0] == theirs[0], f"ours {ours}, torch {theirs}"
    if theirs[0] == "raise":
        assert ours[1:] == theirs[1:]
        return
    assert ours[1] == theirs[1] and ours[3] == theirs[3], (ours, theirs)
    assert_close(ours[2], theirs[2])



@pytest.mark.parametrize("case", ["requires_grad", "requires_grad_right_shape"])
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_factory_out_requiring_grad_under_no_grad(name, case):
    test_factory_out(name, case, grad_mode=False)

# -- memory overlap: an out sharing memory with itself or (partly) with an input ------------------

OVERLAPS = {  # name -> (input, out) built from one base tensor b of 6 elements
    "same_tensor": lambda b: (b, b),
    "shifted": lambda b: (b[1:], b[:-1]),
    "disjoint": lambda b: (b[:3], b[3:]),
    "transposed": lambda b: (b.view(2, 3), b.view(3, 2).t()),
    "interleaved": lambda b: (b[::2], b[1::2]),  # not dense: torch does not decide it
    "out_inside_input": lambda b: (b.view(2, 3), b.view(2, 3)[0]),
    "expanded_out": lambda b: (b[:3].clone(), b[:1].expand(3)),
}


@pytest.mark.parametrize("case", sorted(OVERLAPS))
@pytest.mark.parametrize("name", ["exp", "add", "where", "eq", "clamp", "abs"])
def test_out_overlapping_an_input(name, case):
    got = {}
    for T in (torch, mt):
        b = T.arange(6.0)
        x, out = OVERLAPS[case](b)
        got[T] = _result(T, name, x, lambda T: out)
        if got[T][0] == "ok":
            got[T] = got[T][:2] + (b.clone(),) + got[T][3:]
    ours, theirs = got[mt], got[torch]
    assert ours[:2] == theirs[:2], (ours, theirs)
    if theirs[0] == "ok":
        assert_close(ours[2], theirs[2])
        assert ours[3] == theirs[3]


# -- errors outside the scenario tables ------------------------------------------------------------

A = np.array([[0.5, 1.5, 2.5], [0.7, 1.2, 3.1]])
AI = np.array([[1, 2, 3], [4, 5, 6]])
ERRORS = {
    "mean_of_integers": (lambda T, a: T.mean(a, 0, out=T.empty(0)), AI),
    "prod_without_dim": (lambda T, a: T.prod(a, out=T.empty(0, dtype=a.dtype)), A),
    "cumsum_into_bool": (lambda T, a: T.cumsum(a, 0, out=T.empty(0, dtype=T.bool)), A),
    "cumsum_dtype_bool": (lambda T, a: T.cumsum(a, 0, dtype=T.bool), A),
    "out_not_a_tensor": (lambda T, a: T.exp(a, out=3), A),
    "out_a_tuple": (lambda T, a: T.matmul(a, a.t(), out=(T.empty(0, dtype=a.dtype),)), A),
    "reduction_out_a_list": (lambda T, a: T.sum(a, 0, out=[T.empty(0, dtype=a.dtype)]), A),
    "max_dim_one_tensor": (lambda T, a: T.max(a, 0, out=T.empty(0, dtype=a.dtype)), A),
    # torch lists the arguments as given; ours lists those not left at None/False
    "sort_one_tensor": (lambda T, a: T.sort(a, out=T.empty(0, dtype=a.dtype)), A,
                        r"^sort\(\) received an invalid combination of arguments - got \(Tensor, "),
    "cat_into_an_input": (lambda T, a: T.cat([a[:1], a[1:]], out=a), A),
    "stack_into_an_input": (lambda T, a: T.stack([a[0], a[1]], out=a), A),
    "mm_shapes": (lambda T, a: T.mm(a, a, out=T.empty(0, dtype=a.dtype)), A),
    "sum_dtype_mismatch": (lambda T, a: T.sum(a, 0, dtype=T.float32, out=T.empty(0, dtype=a.dtype)),
                           A),
    "normal_mean_requiring_grad": (lambda T, a: T.normal(
        a.requires_grad_(), T.ones(2, 3, dtype=a.dtype), out=T.empty(0, dtype=a.dtype)), A),
    "bernoulli_input_requiring_grad": (lambda T, a: T.bernoulli(
        (a / 4).requires_grad_(), out=T.empty(0, dtype=a.dtype)), A),
    "bernoulli_p_and_out": (lambda T, a: T.bernoulli(a / 4, 0.5, out=T.empty(0)), A),
    "multinomial_float_out": (lambda T, a: T.multinomial(a, 2, out=T.empty(0)), A),
    "inner_out_requiring_grad_other_shape": (
        lambda T, a: T.inner(a, a, out=T.zeros(3, dtype=a.dtype, requires_grad=True)), A),
    "inner_out_leaf_requiring_grad": (
        lambda T, a: T.inner(a, a, out=T.zeros(2, 2, dtype=a.dtype, requires_grad=True)), A),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_out_errors(case):
    fn, a, *match = ERRORS[case]
    check_raises(lambda T, t: fn(T, t.detach()), a, match=match[0] if match else None)


# which ops refuse an out that is (a view of) their input, and which write through it
SELF_OUT = {
    "gather": lambda T, x: T.gather(x, 1, T.tensor([[0, 2, 1], [1, 0, 0]]), out=x),
    "index_select": lambda T, x: T.index_select(x, 1, T.tensor([2, 0, 1]), out=x),
    "take": lambda T, x: T.take(x, T.tensor([[5, 0, 1], [1, 1, 2]]), out=x),
    "masked_select": lambda T, x: T.masked_select(x, x > 0, out=x.view(-1)),
    "scatter": lambda T, x: T.scatter(x, 1, T.tensor([[2], [1]]), 9.0, out=x),
    "index_add": lambda T, x: T.index_add(x, 1, T.tensor([0]), x[:, :1], out=x),
    "tril": lambda T, x: T.tril(x, out=x),
    "softmax": lambda T, x: T.softmax(x, 1, out=x),
    "cumsum": lambda T, x: T.cumsum(x, 1, out=x),
    "cumprod": lambda T, x: T.cumprod(x, 0, out=x),
    "mm": lambda T, x: T.mm(x[:, :2], x[:, 1:], out=x[:, :2]),
    # (not sum(x, 0, out=x[0]): torch's kernel zeroes out before reading the input through it)
    "sort": lambda T, x: T.sort(x, 1, out=(x, T.empty(0, dtype=T.int64)))[0],
    "cat": lambda T, x: T.cat([x[:1], x[1:]], out=x),
    "stack": lambda T, x: T.stack([x[0], x[1]], out=x),
    "exp_transposed": lambda T, x: T.exp(x.view(3, 2), out=x.t()),
}


# torch's result for these depends on its BLAS (a GEMM may zero its output before reading the
# inputs through it, or not): only whether the call is accepted is part of the contract
BLAS_DEFINED = {"mm"}


@pytest.mark.parametrize("name", sorted(SELF_OUT))
def test_out_aliasing_its_input(name):
    got = {}
    for T in (torch, mt):
        x = T.tensor(X)
        try:
            SELF_OUT[name](T, x)
            got[T] = ("ok", x.clone())
        except RuntimeError as e:
            got[T] = ("raise", str(e))
    assert got[mt][0] == got[torch][0], (got[mt], got[torch])
    if got[torch][0] == "ok" and name in BLAS_DEFINED:
        # ours: the product of the inputs as they were before the call
        expected = X.copy()
        expected[:, :2] = X[:, :2] @ X[:, 1:]
        np.testing.assert_allclose(got[mt][1].numpy(), expected, rtol=1e-6)
    elif got[torch][0] == "ok":
        assert_close(got[mt][1], got[torch][1])
    else:
        assert got[mt][1] == got[torch][1]


def test_prod_dtype_bool_is_bool():
    """NumPy's product of booleans is an integer; torch's (dtype=bool) stays bool."""
    for T in (torch, mt):
        r = T.prod(T.tensor(A), 0, dtype=T.bool)
        assert str(r.dtype).endswith("bool") and r.tolist() == [True, True, True]


@pytest.mark.parametrize("op", ["inner", "norm_nuc"])
def test_out_records_a_copy_when_inputs_require_grad(op):
    """inner's out= (through tensordot) and the nuclear norm's are copies that autograd
    records: out gets CopyBackwards and the gradient flows back to the inputs."""
    got = {}
    for T in (torch, mt):
        a = T.tensor(A, requires_grad=True)
        out = T.zeros(3, dtype=T.float64)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ret = T.inner(a, a * 2, out=out) if op == "inner" else T.norm(a * 2, "nuc", out=out)
        (out * T.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=T.float64)).sum().backward()
        got[T] = (ret is out, type(out.grad_fn).__name__, len(caught), out.detach(), a.grad)
    ours, theirs = got[mt], got[torch]
    assert ours[:3] == theirs[:3] == (True, "CopyBackwards", 1)
    assert_close(ours[3], theirs[3])
    assert_close(ours[4], theirs[4])


def test_tuple_out_resize_warns_once_per_tensor():
    counts = {}
    for T in (torch, mt):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.max(T.tensor(A), 1, out=(T.zeros(5, dtype=T.float64), T.zeros(5, dtype=T.int64)))
        counts[T] = [str(c.message).split(" (Triggered")[0] for c in caught]
    assert counts[mt] == counts[torch] and len(counts[torch]) == 2
