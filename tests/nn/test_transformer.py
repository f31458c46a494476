"""TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder and
Transformer against torch: seeded init (torch's construction order and Transformer's final
xavier pass), outputs and every gradient (float32, float64) over norm_first, activations (strings,
functions, modules), batch_first, masks and causal hints, dropout in training with torch's masks,
eval mode and torch's inference fast paths (NaN rows, the nested-tensor zeros), warnings, errors,
generate_square_subsequent_mask and a class deriving from nn.Transformer."""
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check_raises, rand
from seq_parity import layer_parity

DTYPES = [np.float32, np.float64]
D, H, FF, S, T_, N = 8, 2, 16, 5, 4, 3


def act(name):
    """The activation argument in library T: a string, a function or a module."""
    return {"relu": lambda T: "relu", "gelu": lambda T: "gelu",
            "F.gelu": lambda T: T.nn.functional.gelu, "F.silu": lambda T: T.nn.functional.silu,
            "ReLU()": lambda T: T.nn.ReLU(), "tanh": lambda T: T.tanh}[name]


def enc_layer(activation="relu", **kw):
    return lambda T: T.nn.TransformerEncoderLayer(D, H, FF, activation=act(activation)(T), **kw)


def dec_layer(activation="relu", **kw):
    return lambda T: T.nn.TransformerDecoderLayer(D, H, FF, activation=act(activation)(T), **kw)


def src(dtype, batch_first=False, length=S):
    return rand(N, length, D, dtype=dtype) if batch_first else rand(length, N, D, dtype=dtype)


LAYER_OPTIONS = [
    ("relu", {}), ("gelu", {"norm_first": True}), ("F.gelu", {"batch_first": True}),
    ("F.silu", {"bias": False}), ("ReLU()", {"norm_first": True, "batch_first": True}),
    ("tanh", {"layer_norm_eps": 1e-3}),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("opts", LAYER_OPTIONS, ids=str)
def test_encoder_layer(opts, dtype):
    name, kw = opts
    x = src(dtype, kw.get("batch_first", False))
    for train in (False, True):
        layer_parity(enc_layer(name, dropout=0.2, **kw), x, dtype=dtype, train=train,
                     forward_seed=3)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("opts", LAYER_OPTIONS, ids=str)
def test_decoder_layer(opts, dtype):
    name, kw = opts
    bf = kw.get("batch_first", False)
    x, mem = src(dtype, bf, T_), src(dtype, bf)
    for train in (False, True):
        layer_parity(dec_layer(name, dropout=0.2, **kw), x, mem, dtype=dtype, train=train,
                     forward_seed=3)


def _kpm(length, full_row=False):
    m = np.zeros((N, length), bool)
    m[1, length - 2:] = True
    if full_row:
        m[0] = True
    return m


@pytest.mark.parametrize("dtype", DTYPES)
def test_layers_with_masks(dtype):
    x, mem = src(dtype, True, T_), src(dtype, True)
    causal = np.triu(np.full((T_, T_), -np.inf), 1).astype(dtype)
    tkpm, mkpm = _kpm(T_), _kpm(S)

    def dec(T, m, x, mem):
        return m(x, mem, tgt_mask=T.tensor(causal), tgt_key_padding_mask=T.tensor(tkpm),
                 memory_key_padding_mask=T.tensor(mkpm), tgt_is_causal=True)
    layer_parity(dec_layer(dropout=0.0, batch_first=True), x, mem, dtype=dtype, call=dec)

    def enc(T, m, x):
        return m(x, src_mask=T.tensor(causal), is_causal=True,
                 src_key_padding_mask=T.tensor(np.where(tkpm, -np.inf, 0.0).astype(dtype)))
    layer_parity(enc_layer(dropout=0.0, batch_first=True), x, dtype=dtype, call=enc)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("norm", [False, True])
def test_encoder_and_decoder_stacks(norm, dtype):
    x, mem = src(dtype, length=T_), src(dtype)
    causal = np.triu(np.full((T_, T_), -np.inf), 1).astype(dtype)

    def enc(T):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return T.nn.TransformerEncoder(enc_layer(dropout=0.1)(T), 2,
                                           T.nn.LayerNorm(D) if norm else None)

    def dec(T):
        return T.nn.TransformerDecoder(dec_layer(dropout=0.1)(T), 2,
                                       T.nn.LayerNorm(D) if norm else None)
    for train in (False, True):
        layer_parity(enc, x, dtype=dtype, train=train, forward_seed=1,
                     call=lambda T, m, x: m(x, mask=T.tensor(causal)))
        layer_parity(dec, x, mem, dtype=dtype, train=train, forward_seed=1,
                     call=lambda T, m, x, mem: m(x, mem, tgt_mask=T.tensor(causal)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_transformer(dtype):
    """The whole model: five layers and two final norms deep, so float32 rounding (summed in
    different orders by the two BLAS libraries) grows past the harness's 1e-6: 5x tolerance."""
    s, t = src(dtype, True), src(dtype, True, T_)

    def call(T, m, s, t):
        mask = m.generate_square_subsequent_mask(T_, dtype=s.dtype)
        return m(s, t, tgt_mask=mask, src_key_padding_mask=T.tensor(_kpm(S)),
                 memory_key_padding_mask=T.tensor(_kpm(S)))
    for train in (True, False):
        layer_parity(lambda T: T.nn.Transformer(D, H, 2, 1, FF, dropout=0.1, batch_first=True),
                     s, t, dtype=dtype, train=train, forward_seed=2, call=call, scale=5)
    layer_parity(lambda T: T.nn.Transformer(D, H, 1, 2, FF, activation="gelu", norm_first=True),
                 src(dtype), src(dtype, length=T_), dtype=dtype, forward_seed=2, scale=5)


def test_generate_square_subsequent_mask():
    for sz in (1, 4):
        for dtype in (None, "float64"):
            a = torch.nn.Transformer.generate_square_subsequent_mask(
                sz, dtype=dtype and torch.float64)
            b = mt.nn.Transformer.generate_square_subsequent_mask(sz, dtype=dtype and mt.float64)
            assert_close(b, a)


def test_subclass_of_transformer():
    """A model deriving from nn.Transformer (the classic language-model tutorial pattern)."""
    def build(T):
        class Model(T.nn.Transformer):
            def __init__(self):
                super().__init__(d_model=D, nhead=H, dim_feedforward=FF, num_encoder_layers=2,
                                 num_decoder_layers=1, dropout=0.0)
                self.embed = T.nn.Embedding(11, D)
                self.head = T.nn.Linear(D, 11)

            def forward(self, s, t):
                mask = self.generate_square_subsequent_mask(t.size(0))
                out = super().forward(self.embed(s), self.embed(t), tgt_mask=mask)
                return self.head(out)
        return Model()
    s = np.array([[1, 2, 3], [4, 5, 6]]).T
    t = np.array([[7, 8], [9, 10]]).T
    layer_parity(build, s, t)


def test_seeded_init_and_repr():
    builds = [lambda T: T.nn.Transformer(D, H, 2, 2, FF),
              lambda T: T.nn.Transformer(D, H, 1, 1, FF, bias=False, dtype=T.float64),
              lambda T: T.nn.TransformerEncoderLayer(D, H, FF, activation="gelu"),
              lambda T: T.nn.TransformerDecoderLayer(D, H, FF, norm_first=True)]
    for build in builds:
        mods = {}
        for T in LIBS:
            T.manual_seed(3)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                mods[T] = build(T)
        so, st = mods[mt].state_dict(), mods[torch].state_dict()
        assert list(so) == list(st)
        for key in st:
            np.testing.assert_array_equal(so[key].numpy(), st[key].numpy(), err_msg=key)
        assert repr(mods[mt]) == repr(mods[torch])


def test_enable_nested_tensor_warnings():
    cases = [lambda T: T.nn.TransformerEncoderLayer(D, H, FF),
             lambda T: T.nn.TransformerEncoderLayer(D, H, FF, batch_first=True, norm_first=True),
             lambda T: T.nn.TransformerEncoderLayer(D, 1, FF, batch_first=True),
             lambda T: T.nn.TransformerEncoderLayer(D, H, FF, batch_first=True, bias=False),
             lambda T: T.nn.TransformerEncoderLayer(D, H, FF, batch_first=True,
                                                    activation=T.nn.functional.silu),
             lambda T: T.nn.TransformerEncoderLayer(D, H, FF, batch_first=True)]
    for make in cases:
        for nested in (True, False):
            messages = []
            for T in LIBS:
                layer = make(T)
                with warnings.catch_warnings(record=True) as w:
                    warnings.simplefilter("always")
                    enc = T.nn.TransformerEncoder(layer, 2, enable_nested_tensor=nested)
                messages.append([str(x.message) for x in w])
                assert enc.enable_nested_tensor == nested
            assert messages[0] == messages[1]


@pytest.mark.parametrize("full_row", [False, True])
def test_inference_fast_paths(full_row):
    """Eval mode and no grad (the path torch's fused kernels take): a token whose keys are all
    padded gets NaN in an encoder layer; TransformerEncoder's nested-tensor path sets padded
    positions to 0 (before its norm). With gradients on, torch takes the general path."""
    x = src(np.float32, True)
    kpm = _kpm(S, full_row)
    kpm[2, 1] = True if not full_row else kpm[2, 1]  # row 2 not left-aligned when set

    def build(T):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return T.nn.TransformerEncoder(enc_layer(batch_first=True)(T), 2, T.nn.LayerNorm(D))
    for grad in (False, True):
        for left_aligned in (True, False):
            mask = kpm.copy()
            if left_aligned:
                mask[2, 1] = False

            def call(T, m, x, grad=grad, mask=mask):
                with T.set_grad_enabled(grad), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    return m(x, src_key_padding_mask=T.tensor(mask))
            layer_parity(build, x, train=False, call=call)
            layer_parity(enc_layer(batch_first=True), x, train=False, call=call)


def test_causal_mask_detection():
    x = src(np.float64, length=T_)
    causal = np.triu(np.full((T_, T_), -np.inf), 1)
    for is_causal in (None, True, False):
        def call(T, m, x, is_causal=is_causal):
            return m(x, mask=T.tensor(causal), is_causal=is_causal)
        layer_parity(lambda T: T.nn.TransformerEncoder(enc_layer(dropout=0.0)(T), 1,
                                                       enable_nested_tensor=False),
                     x, dtype=np.float64, call=call)


@pytest.mark.parametrize("run", [
    lambda T: T.nn.TransformerEncoderLayer(D, H, FF, activation="tanh"),
    lambda T: T.nn.Transformer(D, H, 1, 1, FF)(T.ones(5, 2, D), T.ones(4, 3, D)),
    lambda T: T.nn.Transformer(D, H, 1, 1, FF, batch_first=True)(T.ones(2, 5, D),
                                                                  T.ones(3, 4, D)),
    lambda T: T.nn.Transformer(D, H, 1, 1, FF)(T.ones(5, 2, D), T.ones(4, 2, D + 1)),
    lambda T: T.nn.TransformerEncoderLayer(D, 3, FF),
])
def test_errors(run):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_raises(run)


@pytest.mark.parametrize("batch_first", [False, True])
def test_unbatched_inputs(batch_first):
    x, mem = rand(S, D, dtype=np.float64), rand(T_, D, dtype=np.float64, seed=1)
    kpm = np.zeros(S, bool)
    kpm[S - 1] = True
    layer_parity(enc_layer(batch_first=batch_first), x, dtype=np.float64, forward_seed=1,
                 call=lambda T, m, x: m(x, src_key_padding_mask=T.tensor(kpm)))
    layer_parity(dec_layer(batch_first=batch_first), x, mem, dtype=np.float64, forward_seed=1)
    layer_parity(lambda T: T.nn.Transformer(D, H, 1, 1, FF, batch_first=batch_first), x, mem,
                 dtype=np.float64, forward_seed=1)


@pytest.mark.parametrize("name", [
    "RNNCell", "LSTMCell", "GRUCell", "MultiheadAttention", "Transformer",
    "TransformerEncoder", "TransformerDecoder", "TransformerEncoderLayer",
    "TransformerDecoderLayer", "CTCLoss", "RNNBase"])
def test_signatures_and_defaults_are_torchs(name):
    """Constructor and forward parameters: names, kinds, defaults (torch's RNN/LSTM/GRU take
    ``*args, **kwargs``; their options are checked through RNNBase)."""
    import inspect
    for attr in ("__init__", "forward"):
        ours, theirs = getattr(getattr(mt.nn, name), attr), getattr(getattr(torch.nn, name), attr)
        if name == "RNNBase" and attr == "forward":
            continue
        got = [(p.name, p.kind, p.default) for p in inspect.signature(ours).parameters.values()]
        want = [(p.name, p.kind, p.default) for p in inspect.signature(theirs).parameters.values()]
        if name.startswith("Transformer") and attr == "__init__":
            # torch's default activation is its F.relu, ours is ours
            got = [(n, k, "relu" if d is mt.nn.functional.relu else d) for n, k, d in got]
            want = [(n, k, "relu" if d is torch.nn.functional.relu else d) for n, k, d in want]
        assert got == want, f"{name}.{attr}"
