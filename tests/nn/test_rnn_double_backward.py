"""Second (and third) derivatives through RNN, LSTM, GRU and their cells against torch.

``double_parity`` builds the layer from the same seed in both libraries (float64), runs it,
takes the gradient of a random linear function of every output with respect to the inputs,
the initial states and every weight with ``create_graph=True``, compares those, then
differentiates ``sum_k <grad_k, u_k>`` (a Hessian-vector product in all of them at once) and
compares the result for every input and weight: the second derivatives in the weights are
what a gradient penalty or a Hessian-vector product trains with. Cases: the options
(nonlinearity, layers, directions, bias, batch_first, proj_size), initial states given, packed
sequences of different lengths, the cells; ``gradgradcheck`` checks the cells against finite
differences (the definition, independently of torch)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import assert_close, to_numpy

T_, B_, I_, H_ = 4, 3, 3, 4


def _inputs(T, arrays):
    return [T.tensor(a, requires_grad=True) for a in arrays]


def _run(T, build, call, arrays, seed):
    T.manual_seed(0)
    m = build(T).double()
    ins = _inputs(T, arrays)
    return m, ins, [o for o in _flat(call(T, m, *ins)) if o.requires_grad]


def _flat(obj) -> list:
    if isinstance(obj, (tuple, list)):
        return [t for o in obj for t in _flat(o)]
    return [obj]


def double_parity(build, call, *arrays, seed: int = 0) -> None:
    """Build, run, compare the first gradients (with history) and the second ones."""
    rng = np.random.default_rng(seed)
    res = {T: _run(T, build, call, arrays, seed) for T in (torch, mt)}
    m_t, ins_t, outs_t = res[torch]
    ws = [rng.standard_normal(tuple(o.shape)) for o in outs_t]
    names = [k for k, _ in m_t.named_parameters()]
    firsts = {}
    for T, (m, ins, outs) in res.items():
        assert len(outs) == len(ws)
        # the weights of the linear function require grad too (as gradgradcheck's v): the
        # second derivatives in them are the first derivatives' dependence on the upstream
        # gradient
        v = _inputs(T, ws)
        loss = sum((o * w).sum() for o, w in zip(outs, v))
        wrt = ins + list(m.parameters())
        firsts[T] = (wrt + v, T.autograd.grad(loss, wrt, create_graph=True))
    what = [f"input {i}" for i in range(len(ins_t))] + names + \
        [f"upstream gradient {i}" for i in range(len(ws))]
    for k, (a, b) in enumerate(zip(firsts[mt][1], firsts[torch][1])):
        assert_close(a, b, f"first derivative in {what[k]}")
        assert a.requires_grad == b.requires_grad, f"{what[k]}: requires_grad differs"
    us = [rng.standard_normal(tuple(g.shape)) for g in firsts[torch][1]]
    seconds = {}
    for T, (wrt, gs) in firsts.items():
        hvp = sum((g * T.tensor(u)).sum() for g, u in zip(gs, us))
        seconds[T] = T.autograd.grad(hvp, wrt, allow_unused=True)
    for k, (a, b) in enumerate(zip(seconds[mt], seconds[torch])):
        if b is None or a is None:
            zero = to_numpy(a if b is None else b)
            assert a is b or not np.any(zero), f"second derivative in {what[k]}: {a} vs {b}"
            continue
        assert_close(a, b, f"second derivative in {what[k]}")


def _seq(n, seed):
    return np.random.default_rng(seed).uniform(-1, 1, n)


def _layer(mode, layers=1, bidir=False, bias=True, batch_first=False, **kw):
    return lambda T: getattr(T.nn, mode)(I_, H_, num_layers=layers, bias=bias,
                                         batch_first=batch_first, bidirectional=bidir, **kw)


LAYERS = [  # id, build, proj (the size of h), number of states
    ("rnn_tanh", _layer("RNN"), 0),
    ("rnn_relu_2layer_bidir", _layer("RNN", 2, True, nonlinearity="relu"), 0),
    ("rnn_nobias_batch_first", _layer("RNN", bias=False, batch_first=True), 0),
    ("lstm", _layer("LSTM"), 0),
    ("lstm_2layer_bidir", _layer("LSTM", 2, True, batch_first=True), 0),
    ("lstm_proj_bidir", _layer("LSTM", bidir=True, proj_size=2), 2),
    ("gru", _layer("GRU", bias=False), 0),
    ("gru_2layer_bidir", _layer("GRU", 2, True), 0),
]


def _states(row, seed):
    name, build, proj = row
    layers = 2 if "2layer" in name else 1
    dirs = 2 if "bidir" in name else 1
    h = _seq((layers * dirs, B_, proj or H_), seed)
    return [h, _seq((layers * dirs, B_, H_), seed + 1)] if name.startswith("lstm") else [h]


def _call(name, with_states):
    lstm = name.startswith("lstm")

    def call(T, m, x, *hx):
        return m(x, (tuple(hx) if lstm else hx[0]) if with_states else None)
    return call


@pytest.mark.parametrize("with_states", [False, True], ids=["no_hx", "hx"])
@pytest.mark.parametrize("row", LAYERS, ids=[r[0] for r in LAYERS])
def test_layer_double_backward(row, with_states):
    name = row[0]
    shape = (B_, T_, I_) if "batch_first" in name or name == "lstm_2layer_bidir" \
        else (T_, B_, I_)
    arrays = [_seq(shape, 1)] + (_states(row, 2) if with_states else [])
    double_parity(row[1], _call(name, with_states), *arrays)


@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
def test_packed_sequence_double_backward(mode):
    """Sequences of lengths 4, 2, 1: steps where fewer rows run, in both directions."""
    lengths = [4, 2, 1]

    def call(T, m, x):
        packed = T.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=True)
        out = m(packed)
        return T.nn.utils.rnn.pad_packed_sequence(out[0])[0], out[1]
    double_parity(_layer(mode, bidir=True), call, _seq((T_, B_, I_), 3))


CELLS = [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"}), ("LSTMCell", {}),
         ("LSTMCell", {"bias": False}), ("GRUCell", {})]


def _cell_call(name):
    def call(T, m, x, *hx):
        return m(x, tuple(hx) if name == "LSTMCell" else hx[0])
    return call


def _cell_arrays(name, seed=4):
    hx = [_seq((B_, H_), seed)] + ([_seq((B_, H_), seed + 1)] if name == "LSTMCell" else [])
    return [_seq((B_, I_), seed + 2)] + hx


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: f"{c[0]}-{c[1]}")
def test_cell_double_backward(cell):
    name, kwargs = cell
    double_parity(lambda T: getattr(T.nn, name)(I_, H_, **kwargs), _cell_call(name),
                  *_cell_arrays(name))


@pytest.mark.parametrize("name", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cell_third_derivative(name):
    """d^3/dx^3 of a scalar function of one cell step, along the input: three nested grads."""
    res = {}
    for T in (torch, mt):
        T.manual_seed(0)
        m = getattr(T.nn, name)(2, 3).double()
        x = T.tensor(_seq((2, 2), 7), requires_grad=True)
        out = m(x)
        y = (out[0] if name == "LSTMCell" else out).pow(2).sum()
        g, = T.autograd.grad(y, x, create_graph=True)
        gg, = T.autograd.grad(g.sum(), x, create_graph=True)
        ggg, = T.autograd.grad(gg.sum(), x)
        res[T] = (g, gg, ggg)
    for k, (a, b) in enumerate(zip(res[mt], res[torch])):
        assert_close(a, b, f"derivative of order {k + 1}")


@pytest.mark.parametrize("name", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cell_gradgradcheck(name):
    """Second derivatives in the input and the states against finite differences, in both
    libraries (tiny sizes: gradgradcheck perturbs every entry)."""
    for T in (torch, mt):
        T.manual_seed(0)
        m = getattr(T.nn, name)(2, 2).double()
        arrays = [_seq((2, 2), 8), _seq((2, 2), 9)] + ([_seq((2, 2), 10)]
                                                      if name == "LSTMCell" else [])
        ins = _inputs(T, arrays)
        lstm = name == "LSTMCell"

        def fn(x, *hx, m=m, lstm=lstm):
            out = m(x, tuple(hx) if lstm else hx[0])
            return out[0] + out[1] if lstm else out
        assert T.autograd.gradgradcheck(fn, ins)
