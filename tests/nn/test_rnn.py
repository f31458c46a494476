"""RNN, LSTM, GRU and their cells against torch: seeded default init, outputs, final states and
every gradient (input, initial states, each weight) for float32 and float64, over the options
(layers, directions, bias, batch_first, proj_size, initial states given or not, unbatched
inputs, dropout between layers with torch's masks, eval mode); repr, state_dict keys, errors."""
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, check_raises, rand
from seq_parity import layer_parity

DTYPES = [np.float32, np.float64]
T_, B_, I_, H_ = 5, 3, 4, 6


def states(mode, layers, dirs, batch, dtype, proj=0, seed=3, unbatched=False):
    lead = (layers * dirs,) if unbatched else (layers * dirs, batch)
    h = rand(*lead, proj or H_, dtype=dtype, seed=seed)
    if mode == "LSTM":
        return (h, rand(*lead, H_, dtype=dtype, seed=seed + 1))
    return h


CASES = [  # mode, num_layers, bidirectional, bias, batch_first, proj_size, kwargs
    ("RNN", 1, False, True, False, 0, {}),
    ("RNN", 2, True, False, True, 0, {"nonlinearity": "relu"}),
    ("RNN", 2, False, True, False, 0, {"nonlinearity": "tanh"}),
    ("LSTM", 1, False, True, False, 0, {}),
    ("LSTM", 2, True, True, True, 0, {}),
    ("LSTM", 3, False, False, False, 0, {}),
    ("LSTM", 2, True, True, False, 3, {}),
    ("LSTM", 1, False, False, True, 2, {}),
    ("GRU", 1, False, True, False, 0, {}),
    ("GRU", 2, True, True, True, 0, {}),
    ("GRU", 2, False, False, False, 0, {}),
]


def build(mode, layers, bidir, bias, batch_first, proj, kwargs, dropout=0.0):
    extra = dict(kwargs)
    if proj:
        extra["proj_size"] = proj
    return lambda T: getattr(T.nn, mode)(I_, H_, num_layers=layers, bias=bias,
                                         batch_first=batch_first, dropout=dropout,
                                         bidirectional=bidir, **extra)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("with_hx", [False, True])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-L{c[1]}-D{2 if c[2] else 1}"
                         f"-b{int(c[3])}-bf{int(c[4])}-p{c[5]}-{c[6].get('nonlinearity', '')}")
def test_recurrent_layer(case, with_hx, dtype):
    mode, layers, bidir, bias, bf, proj, kwargs = case
    x = rand(B_, T_, I_, dtype=dtype) if bf else rand(T_, B_, I_, dtype=dtype)
    inputs = [x]
    if with_hx:
        inputs.append(states(mode, layers, 2 if bidir else 1, B_, dtype, proj))
    layer_parity(build(*case), *inputs, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
def test_unbatched_input(mode, dtype):
    for with_hx in (False, True):
        inputs = [rand(T_, I_, dtype=dtype)]
        if with_hx:
            inputs.append(states(mode, 2, 2, B_, dtype, unbatched=True))
        for bf in (False, True):
            layer_parity(build(mode, 2, True, True, bf, 0, {}), *inputs, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
def test_dropout_between_layers_draws_torchs_masks(mode, dtype):
    """Training with dropout: each layer but the last feeds the next through F.dropout, drawing
    its mask (T, B, D * H, whatever batch_first) from the default generator as torch does."""
    for bidir, bf in ((False, False), (True, True)):
        x = rand(B_, T_, I_, dtype=dtype) if bf else rand(T_, B_, I_, dtype=dtype)
        for fseed in (1, 2):
            layer_parity(build(mode, 3, bidir, True, bf, 0, {}, dropout=0.4), x, dtype=dtype,
                         forward_seed=fseed)


@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
def test_eval_mode_uses_no_dropout(mode):
    x = rand(T_, B_, I_, dtype=np.float64)
    (ours, _), (out_o, out_t) = layer_parity(build(mode, 2, False, True, False, 0, {},
                                                   dropout=0.5), x, dtype=np.float64,
                                             train=False, forward_seed=0)
    # nothing was drawn: the next number of both generators is the seed's first
    assert mt.rand(1).item() == torch.rand(1).item()


@pytest.mark.parametrize("dtype", DTYPES)
def test_longer_sequence_and_wider_layer(dtype):
    """40 steps, hidden 32: the recurrence accumulates rounding over time; float32 stays within
    the harness tolerance scaled by 10 (torch's float32 LSTM runs oneDNN's kernel, which sums
    in its own order)."""
    x = rand(40, 4, 8, dtype=dtype)
    for mode in ("LSTM", "GRU"):
        layer_parity(lambda T: getattr(T.nn, mode)(8, 32, num_layers=2, bidirectional=True),
                     x, dtype=dtype, scale=10)


@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
def test_seeded_init_float64_factory(mode):
    """``dtype=torch.float64`` at construction: the init draws float64 uniforms."""
    layer_parity(lambda T: getattr(T.nn, mode)(3, 4, num_layers=2, bidirectional=True,
                                               dtype=T.float64),
                 rand(2, 3, 3, dtype=np.float64))


def test_empty_batch():
    x = np.zeros((4, 0, I_), dtype=np.float32)
    for mode in ("RNN", "LSTM", "GRU"):
        layer_parity(build(mode, 2, True, True, False, 0, {}), x)


# -- cells -----------------------------------------------------------------------------------------

CELLS = [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"}), ("RNNCell", {"bias": False}),
         ("LSTMCell", {}), ("LSTMCell", {"bias": False}), ("GRUCell", {}),
         ("GRUCell", {"bias": False})]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("cell", CELLS, ids=lambda c: f"{c[0]}-{c[1]}")
def test_cell(cell, dtype):
    name, kwargs = cell
    lstm = name == "LSTMCell"
    make = lambda T: getattr(T.nn, name)(I_, H_, **kwargs)  # noqa: E731
    x = rand(B_, I_, dtype=dtype)
    layer_parity(make, x, dtype=dtype)
    h = rand(B_, H_, dtype=dtype, seed=4)
    hx = (h, rand(B_, H_, dtype=dtype, seed=5)) if lstm else h
    layer_parity(make, x, hx, dtype=dtype)
    # unbatched, and several steps as a training loop runs them
    hx1 = (h[0], h[1]) if lstm else h[0]
    layer_parity(make, x[0], hx1, dtype=dtype)
    xs = rand(4, B_, I_, dtype=dtype, seed=6)

    def unroll(T, m, xs, hx):
        outs = []
        for t in range(xs.shape[0]):
            hx = m(xs[t], hx)
            outs.append(hx[0] if lstm else hx)
        return T.stack(outs), hx
    layer_parity(make, xs, hx, dtype=dtype, call=unroll)


def test_relu_cell_gradient_at_zero_is_zero():
    """relu's derivative at exactly 0 is 0 (torch's threshold_backward): the pre-activation is 0
    for a zero input and zero state with bias=False."""
    x = np.zeros((2, 3), dtype=np.float64)
    h = np.zeros((2, 4), dtype=np.float64)
    layer_parity(lambda T: T.nn.RNNCell(3, 4, bias=False, nonlinearity="relu"), x, h,
                 dtype=np.float64)


# -- module API ------------------------------------------------------------------------------------

def test_repr_and_state_dict_keys():
    specs = [("LSTM", (3, 4, 2, False, True, 0.5, True), {"proj_size": 2}),
             ("RNN", (3, 4, 2, "relu", False), {}), ("GRU", (3, 4), {"dropout": 0}),
             ("RNN", (3, 4), {"nonlinearity": "relu", "batch_first": True}),
             ("LSTMCell", (3, 4), {"bias": False}), ("GRUCell", (3, 4), {}),
             ("RNNCell", (3, 4), {"nonlinearity": "relu"})]
    for name, args, kwargs in specs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mods = [getattr(T.nn, name)(*args, **kwargs) for T in LIBS]
        assert repr(mods[1]) == repr(mods[0])
        assert list(mods[1].state_dict()) == list(mods[0].state_dict())
        for (k, a), (_, b) in zip(mods[1].named_parameters(), mods[0].named_parameters()):
            assert tuple(a.shape) == tuple(b.shape), k


def test_attributes_and_flatten_parameters():
    for T in LIBS:
        m = T.nn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2)
        assert m.flatten_parameters() is None
        assert [[tuple(w.shape) for w in ws] for ws in m.all_weights] == \
            [[(16, 3), (16, 2), (16,), (16,), (2, 4)]] * 2 + [[(16, 4), (16, 2), (16,), (16,),
                                                                (2, 4)]] * 2
        assert m._flat_weights_names[:3] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0"]
        assert (m.mode, m.input_size, m.hidden_size, m.num_layers, m.proj_size) == \
            ("LSTM", 3, 4, 2, 2)
        assert m.dropout == 0.0 and isinstance(m.dropout, float)
    r = [T.nn.RNN(3, 4, nonlinearity="relu") for T in LIBS]
    assert r[0].nonlinearity == r[1].nonlinearity == "relu" and r[0].mode == r[1].mode


def test_weights_replaced_or_cast_are_used():
    """Assigning a new Parameter, or .double(), changes what forward uses, as in torch."""
    x = rand(T_, B_, I_, dtype=np.float64)

    def call(T, m, x):
        m.weight_hh_l0 = T.nn.Parameter(m.weight_hh_l0.detach() * 2)
        return m(x)
    layer_parity(lambda T: T.nn.GRU(I_, H_).double(), x, call=call)


def test_dropout_warning_and_its_location():
    for T in LIBS:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            T.nn.LSTM(3, 4, dropout=0.5)
        assert len(w) == 1 and str(w[0].message) == (
            "dropout option adds dropout after all but last recurrent layer, so non-zero "
            "dropout expects num_layers greater than 1, but got dropout=0.5 and num_layers=1")


@pytest.mark.parametrize("make", [
    lambda T: T.nn.RNN(3, 4, nonlinearity="x"), lambda T: T.nn.RNN(3, 4, proj_size=2),
    lambda T: T.nn.GRU(3, 4, proj_size=2), lambda T: T.nn.LSTM(3, 4, proj_size=4),
    lambda T: T.nn.LSTM(3, 4, proj_size=-1), lambda T: T.nn.LSTM(3, 4, dropout=1.5),
    lambda T: T.nn.LSTM(3, 4, dropout=True), lambda T: T.nn.LSTM(3, 4.0),
    lambda T: T.nn.LSTM(3.0, 4), lambda T: T.nn.LSTM(0, 4), lambda T: T.nn.LSTM(3, 0),
    lambda T: T.nn.LSTM(3, 4, num_layers=0), lambda T: T.nn.LSTM(3, 4, bias=1),
    lambda T: T.nn.GRU(3, 4, batch_first=None),
])
def test_constructor_errors(make):
    check_raises(make)


def _x(*shape, dtype=np.float32):
    return lambda T: T.tensor(rand(*shape, dtype=dtype))


@pytest.mark.parametrize("case", [
    ("LSTM", _x(5, 2, 4), None), ("LSTM", _x(5, 2, 3, dtype=np.float64), None),
    ("LSTM", _x(5, 2, 3), (_x(1, 3, 4), _x(1, 2, 4))),
    ("LSTM", _x(5, 2, 3), (_x(1, 2, 4), _x(1, 3, 4))),
    ("LSTM", _x(5, 2, 3), (_x(2, 4), _x(1, 2, 4))),
    ("LSTM", _x(5, 3), (_x(1, 2, 4), _x(1, 2, 4))),
    ("LSTM", _x(5, 2, 3, 1), None), ("LSTM", _x(0, 2, 3), None),
    ("GRU", _x(5, 2, 3), _x(2, 4)), ("GRU", _x(5, 3), _x(1, 2, 4)),
    ("GRU", _x(5, 2, 3), _x(1, 3, 4)), ("RNN", _x(5, 2, 3, 3), None),
    ("GRU", _x(5, 2, 3, 3), None), ("RNN", _x(5, 2, 3), _x(1, 2, 5)),
    ("GRU", _x(2, 3, 3), _x(1, 2, 4)),
])
def test_forward_errors(case):
    mode, x, hx = case

    def run(T):
        m = getattr(T.nn, mode)(3, 4)
        args = [x(T)] + ([] if hx is None else
                         [tuple(h(T) for h in hx) if isinstance(hx, tuple) else hx(T)])
        return m(*args)
    check_raises(run)


@pytest.mark.parametrize("case", [
    ("LSTMCell", _x(2, 5), None), ("LSTMCell", _x(2, 3), (_x(3, 4), _x(2, 4))),
    ("LSTMCell", _x(2, 3), (_x(2, 5), _x(2, 4))), ("LSTMCell", _x(2, 3), (_x(2, 4), _x(2, 5))),
    ("LSTMCell", _x(2, 3), (_x(2, 4), _x(3, 4))),
    ("LSTMCell", _x(2, 3, dtype=np.float64), None),
    ("LSTMCell", _x(3), (_x(2, 4), _x(2, 4))), ("LSTMCell", _x(2, 2, 3), None),
    ("LSTMCell", _x(2, 3), (_x(1, 2, 4), _x(2, 4))),
    ("GRUCell", _x(2, 5), None), ("GRUCell", _x(2, 3), _x(3, 4)),
    ("GRUCell", _x(2, 3), _x(2, 5)), ("GRUCell", _x(3), _x(2, 4)),
    ("GRUCell", _x(2, 3), _x(4)), ("RNNCell", _x(2, 5), None), ("RNNCell", _x(1, 2, 3), None),
    ("RNNCell", _x(2, 3), _x(2, 2, 4)),
])
def test_cell_errors(case):
    name, x, hx = case

    def run(T):
        m = getattr(T.nn, name)(3, 4)
        args = [x(T)] + ([] if hx is None else
                         [tuple(h(T) for h in hx) if isinstance(hx, tuple) else hx(T)])
        return m(*args)
    check_raises(run)


def test_unknown_cell_nonlinearity_raises_at_forward():
    def run(T):
        return T.nn.RNNCell(3, 4, nonlinearity="sigmoid")(T.ones(2, 3))
    check_raises(run)


def test_inplace_change_of_a_weight_before_backward_raises():
    for T in LIBS:
        m = T.nn.LSTM(3, 4)
        y, _ = m(T.ones(2, 1, 3))
        with T.no_grad():
            m.weight_hh_l0.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()


@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
def test_gradient_of_one_output_alone(mode):
    """Only the output, or only the final state, reaches the loss (the other gets no
    gradient: the backward loop starts from zeros there)."""
    x = rand(T_, B_, I_, dtype=np.float64)
    make = build(mode, 2, True, True, False, 0, {})
    layer_parity(make, x, dtype=np.float64, call=lambda T, m, x: m(x)[0])
    layer_parity(make, x, dtype=np.float64, call=lambda T, m, x: m(x)[1])
