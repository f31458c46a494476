"""F.scaled_dot_product_attention, F.multi_head_attention_forward and nn.MultiheadAttention
against torch: values and every gradient (float32, float64) over masks (bool and float, 2-D to
4-D, key padding), causal attention, scale, dropout with torch's masks, grouped-query heads,
separate key/value widths, bias_k/bias_v, zero attention, need_weights and averaging, batch_first,
unbatched inputs, eval mode and torch's inference fast path; seeded init, repr, errors."""
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, check, check_raises, rand
from seq_parity import layer_parity

DTYPES = [np.float32, np.float64]


def sdpa(T, *args, **kwargs):
    return T.nn.functional.scaled_dot_product_attention(*args, **kwargs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shapes", [
    ((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)), ((3, 4, 8), (3, 5, 8), (3, 5, 6)),
    ((4, 8), (5, 8), (5, 6)), ((2, 1, 3, 4, 8), (2, 1, 3, 5, 8), (2, 1, 3, 5, 6)),
    ((2, 3, 4, 8), (3, 5, 8), (3, 5, 6)), ((2, 3, 4, 8), (1, 3, 5, 8), (1, 3, 5, 6)),
])
def test_sdpa_shapes(shapes, dtype):
    q, k, v = (rand(*s, dtype=dtype, seed=i) for i, s in enumerate(shapes))
    check(lambda T, q, k, v: sdpa(T, q, k, v), q, k, v)
    check(lambda T, q, k, v: sdpa(T, q, k, v, is_causal=True), q, k, v)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sdpa_masks_and_scale(dtype):
    q, k, v = rand(2, 3, 4, 8, dtype=dtype), rand(2, 3, 5, 8, dtype=dtype, seed=1), \
        rand(2, 3, 5, 6, dtype=dtype, seed=2)
    rng = np.random.default_rng(0)
    for shape in ((4, 5), (2, 1, 1, 5), (2, 3, 4, 5), (1, 5)):
        b = rng.random(shape) > 0.3
        check(lambda T, q, k, v, m: sdpa(T, q, k, v, attn_mask=m), q, k, v, b)
        f = rand(*shape, dtype=dtype, seed=3)   # a float mask gets its gradient too
        check(lambda T, q, k, v, m: sdpa(T, q, k, v, attn_mask=m), q, k, v, f)
    for scale in (0.3, -0.3, 0.0, 2.0):
        check(lambda T, q, k, v: sdpa(T, q, k, v, scale=scale), q, k, v)
        check(lambda T, q, k, v: sdpa(T, q, k, v, is_causal=True, scale=scale), q, k, v)
    # causal with more queries than keys (upper-left aligned)
    check(lambda T, q, k, v: sdpa(T, q, k, v, is_causal=True), rand(2, 6, 8, dtype=dtype),
          k[:, 0], v[:, 0])


@pytest.mark.parametrize("dtype", DTYPES)
def test_sdpa_fully_masked_rows_give_zeros(dtype):
    q, k, v = rand(2, 4, 8, dtype=dtype), rand(2, 5, 8, dtype=dtype, seed=1), \
        rand(2, 5, 6, dtype=dtype, seed=2)
    m = np.ones((4, 5), bool)
    m[1] = False
    ours, _ = check(lambda T, q, k, v, m: sdpa(T, q, k, v, attn_mask=m), q, k, v, m)
    assert np.all(ours.detach().numpy()[:, 1] == 0)
    f = np.where(m, 0.0, -np.inf).astype(dtype)
    check(lambda T, q, k, v, m: sdpa(T, q, k, v, attn_mask=m), q, k, v, f)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sdpa_dropout_draws_torchs_mask(dtype):
    q, k, v = rand(2, 3, 4, 8, dtype=dtype), rand(2, 3, 5, 8, dtype=dtype, seed=1), \
        rand(2, 3, 5, 6, dtype=dtype, seed=2)
    for p in (0.2, 0.7, 1.0):
        for seed in (0, 3):
            def fn(T, q, k, v):
                T.manual_seed(seed)
                out = sdpa(T, q, k, v, dropout_p=p)
                return out, T.rand(3)  # the generator continues from the same state
            check(fn, q, k, v)
    def causal(T, q, k, v):
        T.manual_seed(1)
        return sdpa(T, q, k, v, dropout_p=0.5, is_causal=True, scale=0.5)
    check(causal, q, k, v)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sdpa_grouped_query_heads(dtype):
    q = rand(2, 6, 4, 8, dtype=dtype)
    k, v = rand(2, 3, 5, 8, dtype=dtype, seed=1), rand(2, 2, 5, 6, dtype=dtype, seed=2)
    check(lambda T, q, k, v: sdpa(T, q, k, v, enable_gqa=True), q, k, v)
    check(lambda T, q, k, v: sdpa(T, q, k, v, enable_gqa=True), rand(6, 4, 8, dtype=dtype),
          k[:, 0], v[:, 0])


def test_sdpa_empty():
    for shapes in (((0, 3, 4, 8), (0, 3, 5, 8), (0, 3, 5, 6)), ((2, 4, 8), (2, 0, 8), (2, 0, 6)),
                   ((2, 0, 8), (2, 5, 8), (2, 5, 6))):
        check(lambda T, q, k, v: sdpa(T, q, k, v), *(rand(*s) for s in shapes))


def _t(*shape, dtype=np.float32, kind="f"):
    def make(T):
        if kind == "b":
            return T.ones(*shape, dtype=T.bool)
        if kind == "i":
            return T.ones(*shape, dtype=T.int64)
        return T.tensor(rand(*shape, dtype=dtype))
    return make


@pytest.mark.parametrize("case", [
    ((_t(8), _t(5, 8), _t(5, 6)), {}),
    ((_t(2, 4, 8, dtype=np.float64), _t(2, 5, 8), _t(2, 5, 6)), {}),
    ((_t(2, 4, 8), _t(2, 5, 8), _t(2, 5, 6)), {"attn_mask": _t(4, 5, dtype=np.float64)}),
    ((_t(2, 4, 8), _t(2, 5, 8), _t(2, 5, 6)), {"attn_mask": _t(4, 5, kind="i")}),
    ((_t(2, 4, 8), _t(2, 5, 8), _t(2, 5, 6)), {"attn_mask": _t(4, 5, kind="b"),
                                               "is_causal": True}),
    ((_t(2, 4, 8), _t(2, 5, 8), _t(2, 4, 6)), {}),
    ((_t(2, 4, 8), _t(2, 5, 7), _t(2, 5, 6)), {}),
    ((_t(2, 4, 8), _t(2, 5, 8), _t(2, 5, 6)), {"attn_mask": _t(4, 6)}),
    ((_t(2, 4, 8), _t(2, 5, 8), _t(2, 5, 6)), {"attn_mask": _t(7, 2, 4, 5)}),
    ((_t(2, 4, 8), _t(2, 5, 8), _t(2, 5, 6)), {"dropout_p": 1.5}),
    ((_t(2, 4, 4, 8), _t(2, 3, 5, 8), _t(2, 3, 5, 6)), {"enable_gqa": True}),
    ((_t(2, 6, 4, 8), _t(2, 3, 5, 8), _t(2, 3, 5, 6)), {}),
    ((_t(6, 2, 4, 8), _t(3, 2, 5, 8), _t(3, 2, 5, 6)), {}),
])
def test_sdpa_errors(case):
    args, kwargs = case
    check_raises(lambda T: sdpa(T, *(a(T) for a in args),
                                **{k: (v(T) if callable(v) else v) for k, v in kwargs.items()}))


def test_sdpa_scale_is_keyword_only():
    check_raises(lambda T: sdpa(T, T.ones(2, 3), T.ones(2, 3), T.ones(2, 3), None, 0.0, False,
                                0.5), match="positional argument")


# -- MultiheadAttention ----------------------------------------------------------------------------

E, NH, L, S, N = 8, 2, 4, 5, 3


def mha(**kw):
    return lambda T: T.nn.MultiheadAttention(E, NH, **kw)


def qkv(dtype, batch_first=False, kdim=E, vdim=E, unbatched=False):
    def shape(length, width):
        if unbatched:
            return (length, width)
        return (N, length, width) if batch_first else (length, N, width)
    return (rand(*shape(L, E), dtype=dtype), rand(*shape(S, kdim), dtype=dtype, seed=1),
            rand(*shape(S, vdim), dtype=dtype, seed=2))


MHA_OPTIONS = [
    {}, {"bias": False}, {"batch_first": True}, {"kdim": 6, "vdim": 3},
    {"add_bias_kv": True}, {"add_zero_attn": True}, {"add_bias_kv": True, "add_zero_attn": True},
    {"kdim": 6, "vdim": 3, "bias": False, "batch_first": True},
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("opts", MHA_OPTIONS, ids=str)
def test_mha_options(opts, dtype):
    q, k, v = qkv(dtype, opts.get("batch_first", False), opts.get("kdim", E),
                  opts.get("vdim", E))
    for need_weights, average in ((True, True), (True, False), (False, True)):
        layer_parity(mha(**opts), q, k, v, dtype=dtype,
                     call=lambda T, m, q, k, v: m(q, k, v, need_weights=need_weights,
                                                  average_attn_weights=average))


def _masks(dtype, kind):
    rng = np.random.default_rng(1)
    kpm = np.zeros((N, S), bool)
    kpm[1, 3:] = True
    kpm[2, 0] = True
    am = rng.random((L, S)) > 0.7
    am[:, 0] = False
    am3 = rng.random((N * NH, L, S)) > 0.7
    am3[..., 1] = False
    if kind == "float":
        return (np.where(kpm, -1e4, 0.0).astype(dtype), np.where(am, -np.inf, 0.0).astype(dtype),
                rand(N * NH, L, S, dtype=dtype))
    return kpm, am, am3


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", ["bool", "float"])
def test_mha_masks(kind, dtype):
    q, k, v = qkv(dtype)
    kpm, am, am3 = _masks(dtype, kind)
    for need_weights in (True, False):
        for masks in ({"key_padding_mask": kpm}, {"attn_mask": am}, {"attn_mask": am3},
                      {"key_padding_mask": kpm, "attn_mask": am}):
            def call(T, m, q, k, v, need_weights=need_weights, masks=masks):
                conv = {n: T.tensor(a) for n, a in masks.items()}
                return m(q, k, v, need_weights=need_weights, **conv)
            layer_parity(mha(add_bias_kv=True), q, k, v, dtype=dtype, call=call)


@pytest.mark.parametrize("dtype", DTYPES)
def test_mha_causal_hint_and_self_attention(dtype):
    x = rand(N, L, E, dtype=dtype)
    causal = np.triu(np.full((L, L), -np.inf), 1).astype(dtype)

    for need_weights in (True, False):
        def call(T, m, x, need_weights=need_weights):
            return m(x, x, x, attn_mask=T.tensor(causal), is_causal=True,
                     need_weights=need_weights)
        layer_parity(mha(batch_first=True), x, dtype=dtype, call=call)


@pytest.mark.parametrize("dtype", DTYPES)
def test_mha_dropout_in_training_and_eval(dtype):
    q, k, v = qkv(dtype)
    for need_weights in (True, False):
        for train in (True, False):
            layer_parity(mha(dropout=0.3), q, k, v, dtype=dtype, train=train, forward_seed=4,
                         call=lambda T, m, q, k, v, nw=need_weights: m(q, k, v, need_weights=nw))


@pytest.mark.parametrize("dtype", DTYPES)
def test_mha_unbatched(dtype):
    q, k, v = qkv(dtype, unbatched=True)
    kpm = np.zeros(S, bool)
    kpm[4] = True
    for need_weights in (True, False):
        layer_parity(mha(batch_first=True), q, k, v, dtype=dtype,
                     call=lambda T, m, q, k, v, nw=need_weights: m(
                         q, k, v, key_padding_mask=T.tensor(kpm), need_weights=nw))
    layer_parity(mha(), q, k, v, dtype=dtype,
                 call=lambda T, m, q, k, v: m(q, k, v, attn_mask=T.tensor(
                     rand(NH, L, S, dtype=dtype))))


def test_mha_inference_fast_path_gives_nan_for_fully_masked_rows():
    """Eval mode, no grad, self-attention, batch_first, even heads: torch's fused kernel. Its
    numbers are the general path's, except a query with every key masked gets NaN (the general
    path's scaled_dot_product_attention gives 0)."""
    x = rand(N, S, E)
    kpm = np.zeros((N, S), bool)
    kpm[0] = True
    kpm[1, 3:] = True
    for need_weights in (False, True):
        for grad in (False, True):
            def call(T, m, x, nw=need_weights, grad=grad):
                with T.set_grad_enabled(grad):
                    return m(x, x, x, key_padding_mask=T.tensor(kpm), need_weights=nw)
            (_, _), (ours, theirs) = layer_parity(mha(batch_first=True), x, train=False,
                                                  call=call)
            assert np.isnan(theirs[0][0].detach().numpy()).all() == (not grad or need_weights)


def test_mha_seeded_init_and_state_dict():
    for opts in MHA_OPTIONS + [{"dtype": "float64"}]:
        for seed in (0, 5):
            mods = {}
            for T in LIBS:
                T.manual_seed(seed)
                kw = dict(opts)
                if "dtype" in kw:
                    kw["dtype"] = T.float64
                mods[T] = T.nn.MultiheadAttention(E, NH, **kw)
            so, st = mods[mt].state_dict(), mods[torch].state_dict()
            assert list(so) == list(st)
            for key in st:
                np.testing.assert_array_equal(so[key].numpy(), st[key].numpy(), err_msg=key)
            assert repr(mods[mt]) == repr(mods[torch])
            for name in ("embed_dim", "kdim", "vdim", "_qkv_same_embed_dim", "num_heads",
                         "dropout", "batch_first", "head_dim", "add_zero_attn"):
                assert getattr(mods[mt], name) == getattr(mods[torch], name), name


@pytest.mark.parametrize("make", [
    lambda T: T.nn.MultiheadAttention(0, 2), lambda T: T.nn.MultiheadAttention(8, 3),
    lambda T: T.nn.MultiheadAttention(8, -1),
])
def test_mha_constructor_errors(make):
    check_raises(make)


def _mha_call(*args, **kwargs):
    def run(T):
        T.manual_seed(0)
        m = T.nn.MultiheadAttention(E, NH)
        return m(*(a(T) for a in args), **{k: (v(T) if callable(v) else v)
                                           for k, v in kwargs.items()})
    return run


@pytest.mark.parametrize("run", [
    _mha_call(_t(L, N, E), _t(S, N, E), _t(S, E)),
    _mha_call(_t(L, E), _t(S, N, E), _t(S, N, E)),
    _mha_call(_t(L, N, E), _t(S, N, E), _t(S, N, E), key_padding_mask=_t(S, kind="b")),
    _mha_call(_t(L, N, E), _t(S, N, E), _t(S, N, E), attn_mask=_t(2, 2, 4, 5)),
    _mha_call(_t(L, N, 6), _t(S, N, 6), _t(S, N, 6)),
    _mha_call(_t(L, N, E), _t(S, N, E), _t(S + 1, N, E)),
    _mha_call(_t(L, N, E), _t(S, N, E), _t(S, N, E), attn_mask=_t(L, S + 1)),
    _mha_call(_t(L, N, E), _t(S, N, E), _t(S, N, E), attn_mask=_t(5, L, S)),
    _mha_call(_t(L, N, E), _t(S, N, E), _t(S, N, E), key_padding_mask=_t(N, S + 1, kind="b")),
    _mha_call(_t(L, N, E), _t(S, N, E), _t(S, N, E), key_padding_mask=_t(N + 1, S, kind="b")),
    _mha_call(_t(L, N, E), _t(S, N, E), _t(S, N, E), key_padding_mask=_t(N, S, kind="i")),
    _mha_call(_t(L, N, E), _t(S, N, E), _t(S, N, E), is_causal=True),
    _mha_call(_t(L, E), _t(S, E), _t(S, E), attn_mask=_t(3, L, S)),
    _mha_call(_t(2, L, N, E), _t(S, N, E), _t(S, N, E)),
])
def test_mha_forward_errors(run):
    check_raises(run)


def test_mha_mismatched_mask_types_warn():
    for T in LIBS:
        m = T.nn.MultiheadAttention(E, NH)
        x = T.ones(L, N, E)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            m(x, x, x, key_padding_mask=T.zeros(N, L, dtype=T.bool), attn_mask=T.zeros(L, L))
        assert [str(x.message) for x in w] == [
            "Support for mismatched key_padding_mask and attn_mask is deprecated. Use same "
            "type for both instead."]


@pytest.mark.parametrize("dtype", DTYPES)
def test_multi_head_attention_forward_functional(dtype):
    """The functional form with separate projection weights and static keys/values."""
    q, k, v = qkv(dtype, kdim=6, vdim=3)
    w = [rand(E, E, dtype=dtype, seed=5), rand(E, 6, dtype=dtype, seed=6),
         rand(E, 3, dtype=dtype, seed=7)]
    b, wo, bo = rand(3 * E, dtype=dtype, seed=8), rand(E, E, dtype=dtype, seed=9), \
        rand(E, dtype=dtype, seed=10)

    def fn(T, q, k, v, wq, wk, wv, b, wo, bo):
        return T.nn.functional.multi_head_attention_forward(
            q, k, v, E, NH, None, b, None, None, False, 0.0, wo, bo,
            use_separate_proj_weight=True, q_proj_weight=wq, k_proj_weight=wk,
            v_proj_weight=wv)
    check(fn, q, k, v, *w, b, wo, bo)
    sk, sv = rand(N * NH, S, E // NH, dtype=dtype, seed=11), \
        rand(N * NH, S, E // NH, dtype=dtype, seed=12)

    def static(T, q, sk, sv, w, b, wo, bo):
        return T.nn.functional.multi_head_attention_forward(
            q, q, q, E, NH, w, b, None, None, False, 0.0, wo, bo, static_k=sk, static_v=sv,
            need_weights=False)
    check(static, q, sk, sv, rand(3 * E, E, dtype=dtype), b, wo, bo)
