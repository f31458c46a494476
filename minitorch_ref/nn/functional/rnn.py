"""Recurrent layers (RNN, LSTM, GRU): one kernel per layer and direction, run over the whole
sequence, and the stack of layers/directions/dropout that ``nn.RNN``/``LSTM``/``GRU`` call.

Layout of a sequence. The kernels take the rows of all time steps in one 2-D array, time-major
and packed: step ``t`` owns the ``b_t = batch_sizes[t]`` rows starting at
``b_0 + ... + b_{t-1}``, one per sequence still running at that step (``b_t`` never grows with
``t``; sequences are sorted longest first). A padded ``(T, B, features)`` input is the special
case ``b_t = B`` (a plain reshape), a ``PackedSequence``'s ``data`` is the general one. Rows
``0 .. b_t - 1`` of the running state belong to the sequences alive at ``t``; the states of the
others stay as they were, so after the loop the state holds each sequence's last step.

Direction. ``reverse=True`` visits the steps last to first; a sequence then starts at its own
last element, from its row of the initial state.

Backpropagation through time. ``forward`` runs the loop over ``t`` and keeps, per step, what the
derivatives need (gate activations, previous states). ``backward`` runs the same loop in reverse
order, carrying ``dh`` (and ``dc``) from step ``t + 1`` back to step ``t``. Only the recurrent
product ``h W_hh^T`` and its transpose are per-step GEMMs: the input projection of all steps
``X W_ih^T`` is one GEMM before the loop, and every weight gradient is one GEMM after the
backward loop (``dW_ih = dZ^T X``, ``dW_hh = dZ^T H_prev``, summing over all steps at once).
"""
from __future__ import annotations

import numpy as np

from ... import cat, stack
from ..._ops._erf import sigmoid_array
from ..._ops._util import zero_where
from ...autograd.function import ArrayFunction
from .dropout import dropout as _dropout

__all__ = ["rnn_layers"]


def _steps(batch_sizes: tuple, reverse: bool, *arrays) -> list:
    """Per time step, in the order the layer visits them: its row count ``b`` and each of
    ``arrays``' rows of that step (None for an array that is None). Each array is cut once
    (``np.split``: views; under create_graph one split node, whose backward joins the steps'
    gradients once, where a slice per step would give each step's gradient the whole array's
    size: O(T^2) in the sequence length)."""
    starts = [0]
    for b in batch_sizes[:-1]:
        starts.append(starts[-1] + b)
    pieces = [[None] * len(batch_sizes) if a is None
              else [a[s:s + b] for s, b in zip(starts, batch_sizes)] if type(a) is np.ndarray
              else np.split(a, starts[1:]) for a in arrays]  # slices of an array: its views
    steps = list(zip(batch_sizes, *pieces))
    return steps[::-1] if reverse else steps


def _all_steps(values: list, reverse: bool) -> np.ndarray:
    """The per-step values a loop collected (in the order it visited the steps) as one array
    of every step's rows, in row order: one concatenate. (A buffer written step by step,
    ``buf[rows] = value``, would be recorded under create_graph as one copy of the whole buffer
    per step, O(T^2) in the sequence length; the list costs the same one copy per row.)"""
    return np.concatenate(values[::-1] if reverse else values)


def _carry(new: np.ndarray, state: np.ndarray) -> np.ndarray:
    """The running state after a step that updated its first ``len(new)`` rows (the sequences
    alive at that step); the other rows keep their values. Built as a new array rather than
    written into ``state``, so that a create_graph replay records it (docs/adding-an-op.md)."""
    return new if len(new) == len(state) else np.concatenate([new, state[len(new):]])


def _rows(x: np.ndarray) -> np.ndarray:
    """All time steps' rows as one (rows, features) array (a view when ``x`` allows it)."""
    return x.reshape(-1, x.shape[-1])


def _sum_over_steps(need: tuple, dz: np.ndarray, x: np.ndarray, w_ih: np.ndarray,
                    hp: np.ndarray, dz_h: np.ndarray | None = None) -> tuple:
    """The gradients that add up over all steps, each one GEMM (or sum) over every row:
        dX = dZ W_ih,  dW_ih = dZ^T X,  dW_hh = dZ_h^T H_prev,  db_ih = sum dZ,  db_hh = sum dZ_h
    ``need``: which of (x, w_ih, w_hh, b_ih, b_hh) want a gradient; ``dz_h``: the gradient of
    the recurrent pre-activations where it differs from that of the input ones (GRU)."""
    dz_h = dz if dz_h is None else dz_h
    return ((dz @ w_ih).reshape(x.shape) if need[0] else None,
            dz.T @ _rows(x) if need[1] else None,
            dz_h.T @ hp if need[2] else None,
            dz.sum(0) if need[3] else None,
            dz_h.sum(0) if need[4] else None)


def _input_projection(x: np.ndarray, w_ih: np.ndarray, b_ih: np.ndarray | None) -> np.ndarray:
    """``X W_ih^T + b_ih`` for the rows of every step: one GEMM."""
    z_in = _rows(x) @ w_ih.T
    if b_ih is not None:
        z_in += b_ih
    return z_in


# The kernels below follow the rules that let the same forward be replayed, and the same
# backward run, on GraphArrays under create_graph (docs/adding-an-op.md): what a step produces
# for later is appended to a list and joined once (``_all_steps``; a value is never changed
# after it is appended), the running states are new arrays (``_carry``), and every float array
# the backward reads is saved with ``save_for_backward``.

class ElmanLayer(ArrayFunction):
    """One Elman RNN layer (tanh or relu) in one direction over a whole sequence.

    Per step, from the previous state h (h_0 given):
        h_t = act(x_t W_ih^T + b_ih + h W_hh^T + b_hh),      y_t = h_t

    Backward through time, dh starting at dL/dh_n:
        dh += dy_t
        dz_t = dh * act'(h_t)        (tanh: 1 - h_t^2;  relu: 1 where h_t > 0, else 0)
        dh <- dz_t W_hh              (what reaches step t - 1; at the end, dL/dh_0)
    """

    _backward_name = "RnnLayerBackward0"

    @staticmethod
    def forward(ctx, x, h0, w_ih, w_hh, b_ih, b_hh, batch_sizes, reverse, relu):
        z_in = _input_projection(x, w_ih, b_ih)
        hid = h0.shape[1]
        y, hps = [], []  # per step: h_t (the output), h_{t-1}
        h = h0
        for b, zi in _steps(batch_sizes, reverse, z_in):
            hp = h[:b]
            z = hp @ w_hh.T
            z += zi
            if b_hh is not None:
                z += b_hh
            h_t = zero_where(z, z <= 0) if relu else np.tanh(z)  # relu: torch's select
            y.append(h_t)
            hps.append(hp)
            h = _carry(h_t, h)
        out = _all_steps(y, reverse).reshape(x.shape[:-1] + (hid,))
        ctx.save_for_backward(x, h0, w_ih, w_hh, out, _all_steps(hps, reverse))
        ctx.batch_sizes, ctx.reverse, ctx.relu = batch_sizes, reverse, relu
        return out, h

    @staticmethod
    def backward(ctx, dy, dh_n):
        x, h0, w_ih, w_hh, out, hp = ctx.saved_tensors
        y = _rows(out)
        dh = np.zeros_like(h0) if dh_n is None else dh_n
        dy = None if dy is None else _rows(dy)
        dz = []
        for b, dy_t, h_t in _steps(ctx.batch_sizes, not ctx.reverse, dy, y):
            d = dh[:b] if dy_t is None else dh[:b] + dy_t
            dz_t = zero_where(d, h_t <= 0) if ctx.relu else d * (1 - h_t * h_t)
            dz.append(dz_t)
            dh = _carry(dz_t @ w_hh, dh)
        dz = _all_steps(dz, not ctx.reverse)
        need = ctx.needs_input_grad
        dx, dw_ih, dw_hh, db_ih, db_hh = _sum_over_steps(
            (need[0],) + need[2:6], dz, x, w_ih, hp)
        return dx, dh, dw_ih, dw_hh, db_ih, db_hh, None, None, None


class LSTMLayer(ArrayFunction):
    """One LSTM layer in one direction over a whole sequence (with torch's optional projection
    ``W_hr`` of the output, ``proj_size > 0``).

    Per step, from the previous states h, c (h_0, c_0 given); s = sigmoid:
        z_t = x_t W_ih^T + b_ih + h W_hh^T + b_hh       (4H pre-activations: gates i, f, g, o)
        i = s(z^i),  f = s(z^f),  g = tanh(z^g),  o = s(z^o)
        c_t = f * c + i * g
        m_t = o * tanh(c_t)
        h_t = m_t W_hr^T  (projection)  or  h_t = m_t,      y_t = h_t

    Backward through time, dh and dc starting at dL/dh_n and dL/dc_n:
        dh += dy_t
        dm = dh W_hr  (projection: also dW_hr += dh^T m_t)  or  dm = dh
        do = dm * tanh(c_t)
        dc += dm * o * (1 - tanh(c_t)^2)
        di = dc * g,   dg = dc * i,   df = dc * c_{t-1}
        dz_t = (di i(1 - i), df f(1 - f), dg (1 - g^2), do o(1 - o))
        dc <- dc * f,   dh <- dz_t W_hh          (what reaches step t - 1)
    """

    _backward_name = "LstmLayerBackward0"

    @staticmethod
    def forward(ctx, x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr, batch_sizes, reverse):
        hid = c0.shape[1]
        z_in = _input_projection(x, w_ih, b_ih)
        out_size = h0.shape[1]
        # per step: the gates i, f, g, o; c_{t-1}; tanh(c_t); h_{t-1}; h_t (the output); and
        # with a projection, m_t = o * tanh(c_t) (projected to h_t)
        gates, cps, tcs, hps, y, ms = [], [], [], [], [], []
        h, c = h0, c0
        for b, zi in _steps(batch_sizes, reverse, z_in):
            hp, cp = h[:b], c[:b]
            z = hp @ w_hh.T
            z += zi
            if b_hh is not None:
                z += b_hh
            g = np.tanh(z[:, 2 * hid:3 * hid])
            a = sigmoid_array(z)
            a[:, 2 * hid:3 * hid] = g
            i, f, g, o = a[:, :hid], a[:, hid:2 * hid], a[:, 2 * hid:3 * hid], a[:, 3 * hid:]
            c_t = f * cp + i * g
            tc = np.tanh(c_t)
            m = o * tc
            if w_hr is None:
                h_t = m
            else:
                h_t = m @ w_hr.T
                ms.append(m)
            gates.append(a)
            cps.append(cp)
            tcs.append(tc)
            hps.append(hp)
            y.append(h_t)
            h, c = _carry(h_t, h), _carry(c_t, c)
        out = _all_steps(y, reverse).reshape(x.shape[:-1] + (out_size,))
        ctx.save_for_backward(x, h0, c0, w_ih, w_hh, w_hr,
                              *(_all_steps(s, reverse) for s in (gates, cps, tcs, hps)),
                              None if w_hr is None else _all_steps(ms, reverse))
        ctx.batch_sizes, ctx.reverse = batch_sizes, reverse
        return out, h, c

    @staticmethod
    def backward(ctx, dy, dh_n, dc_n):
        x, h0, c0, w_ih, w_hh, w_hr, gates, cp, tc, hp, m = ctx.saved_tensors
        hid = c0.shape[1]
        dh = np.zeros_like(h0) if dh_n is None else dh_n
        dc = np.zeros_like(c0) if dc_n is None else dc_n
        dy = None if dy is None else _rows(dy)
        dz, dhs = [], []  # per step: dz_t; dL/dh_t (for dW_hr)
        for b, dy_t, a, t, cp_t in _steps(ctx.batch_sizes, not ctx.reverse, dy, gates, tc, cp):
            d_h = dh[:b] if dy_t is None else dh[:b] + dy_t
            if w_hr is None:
                dm = d_h
            else:
                dhs.append(d_h)
                dm = d_h @ w_hr
            i, f, g, o = a[:, :hid], a[:, hid:2 * hid], a[:, 2 * hid:3 * hid], a[:, 3 * hid:]
            d_c = dc[:b] + dm * o * (1 - t * t)
            # first the gates' gradients, then the pre-activations'
            d = np.concatenate([d_c * g, d_c * cp_t, d_c * i, dm * t], axis=1)
            dg = d[:, 2 * hid:3 * hid] * (1 - g * g)
            d *= a * (1 - a)
            d[:, 2 * hid:3 * hid] = dg
            dz.append(d)
            dc = _carry(d_c * f, dc)
            dh = _carry(d @ w_hh, dh)
        dz = _all_steps(dz, not ctx.reverse)
        need = ctx.needs_input_grad
        dx, dw_ih, dw_hh, db_ih, db_hh = _sum_over_steps(
            (need[0],) + need[3:7], dz, x, w_ih, hp)
        dw_hr = _all_steps(dhs, not ctx.reverse).T @ m if need[7] else None
        return dx, dh, dc, dw_ih, dw_hh, db_ih, db_hh, dw_hr, None, None


class GRULayer(ArrayFunction):
    """One GRU layer in one direction over a whole sequence.

    Per step, from the previous state h (h_0 given); s = sigmoid; W_ih = (W_ir|W_iz|W_in) and
    the same split for W_hh and the biases:
        r = s(x_t W_ir^T + b_ir + h W_hr^T + b_hr)
        z = s(x_t W_iz^T + b_iz + h W_hz^T + b_hz)
        n = tanh(x_t W_in^T + b_in + r * (h W_hn^T + b_hn))
        h_t = (1 - z) * n + z * h          (computed as torch does: (h - n) * z + n)

    Backward through time, dh starting at dL/dh_n; hn = h W_hn^T + b_hn:
        dh += dy_t
        dn = dh (1 - z) (1 - n^2)                 (the gradient of n's pre-activation)
        dz = dh (h - n) z (1 - z)
        dr = dn * hn * r (1 - r)
        input pre-activations:     dZi_t = (dr, dz, dn)
        recurrent pre-activations: dZh_t = (dr, dz, dn * r)
        dh <- dh * z + dZh_t W_hh                 (what reaches step t - 1)
    """

    _backward_name = "GruLayerBackward0"

    @staticmethod
    def forward(ctx, x, h0, w_ih, w_hh, b_ih, b_hh, batch_sizes, reverse):
        hid = h0.shape[1]
        z_in = _input_projection(x, w_ih, b_ih)
        # per step: r and z; n; h W_hn^T + b_hn; h_{t-1}; h_t (the output)
        rzs, ns, hns, hps, y = [], [], [], [], []
        h = h0
        for b, zi in _steps(batch_sizes, reverse, z_in):
            hp = h[:b]
            zh = hp @ w_hh.T
            if b_hh is not None:
                zh += b_hh
            rz = sigmoid_array(zh[:, :2 * hid] + zi[:, :2 * hid])
            r, z = rz[:, :hid], rz[:, hid:]
            hn = zh[:, 2 * hid:]
            n = np.tanh(zi[:, 2 * hid:] + r * hn)
            h_t = (hp - n) * z + n
            rzs.append(rz)
            ns.append(n)
            hns.append(hn)
            hps.append(hp)
            y.append(h_t)
            h = _carry(h_t, h)
        ctx.save_for_backward(x, h0, w_ih, w_hh,
                              *(_all_steps(s, reverse) for s in (rzs, ns, hns, hps)))
        ctx.batch_sizes, ctx.reverse = batch_sizes, reverse
        return _all_steps(y, reverse).reshape(x.shape[:-1] + (hid,)), h

    @staticmethod
    def backward(ctx, dy, dh_n):
        x, h0, w_ih, w_hh, rz, n_all, hn, hp = ctx.saved_tensors
        hid = h0.shape[1]
        dh = np.zeros_like(h0) if dh_n is None else dh_n
        dy = None if dy is None else _rows(dy)
        dzi, dzh = [], []  # per step: the input and the recurrent pre-activations' gradients
        for b, dy_t, a, n, hp_t, hn_t in _steps(ctx.batch_sizes, not ctx.reverse,
                                                dy, rz, n_all, hp, hn):
            d_h = dh[:b] if dy_t is None else dh[:b] + dy_t
            r, z = a[:, :hid], a[:, hid:]
            dn = d_h * (1 - z) * (1 - n * n)
            dz = d_h * (hp_t - n) * (z * (1 - z))
            dr = dn * hn_t * (r * (1 - r))
            dzi.append(np.concatenate([dr, dz, dn], axis=1))
            d_h_rec = np.concatenate([dr, dz, dn * r], axis=1)
            dzh.append(d_h_rec)
            dh = _carry(d_h * z + d_h_rec @ w_hh, dh)
        need = ctx.needs_input_grad
        dx, dw_ih, dw_hh, db_ih, db_hh = _sum_over_steps(
            (need[0],) + need[2:6], _all_steps(dzi, not ctx.reverse), x, w_ih, hp,
            _all_steps(dzh, not ctx.reverse))
        return dx, dh, dw_ih, dw_hh, db_ih, db_hh, None, None


# ==================================================================================================
# The layer stack: what nn.RNN / LSTM / GRU run (torch's _VF.rnn_tanh, rnn_relu, lstm, gru)
# ==================================================================================================

def rnn_layers(mode: str, input, hx, weights: list, has_bias: bool, num_layers: int,
               dropout: float, train: bool, bidirectional: bool, batch_first: bool,
               batch_sizes: tuple | None = None) -> tuple:
    """Run ``num_layers`` recurrent layers, each in one or two directions.

    ``mode``: ``"RNN_TANH"``, ``"RNN_RELU"``, ``"LSTM"`` or ``"GRU"``. ``input``: ``(T, B, I)``
    (``(B, T, I)`` with ``batch_first``), or a packed sequence's ``data`` with its
    ``batch_sizes``. ``hx``: ``(L * D, B, H)`` initial states, a pair ``(h_0, c_0)`` for LSTM.
    ``weights``: per layer and direction, ``w_ih, w_hh`` (then ``b_ih, b_hh`` with
    ``has_bias``, then ``w_hr`` for an LSTM with projections).

    Layer ``l`` reads the previous layer's output: both directions' outputs concatenated along
    features; in training, except after the last layer, that output first goes through
    ``F.dropout(p=dropout)``, drawing its mask from the default generator as torch does.
    Returns ``(output, h_n)`` (``(output, h_n, c_n)`` for LSTM), ``h_n`` stacking each layer's
    and direction's last state in the order ``l * D + d``.
    """
    lstm = mode == "LSTM"
    h0, c0 = hx if lstm else (hx, None)
    packed = batch_sizes is not None
    if not packed:
        if batch_first:
            input = input.transpose(0, 1)
        if input.shape[0] == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        batch_sizes = (input.shape[1],) * input.shape[0]
    num_directions = 2 if bidirectional else 1
    per_layer = len(weights) // (num_layers * num_directions)
    layer_input = input
    h_n, c_n = [], []
    for layer in range(num_layers):
        outputs = []
        for direction in range(num_directions):
            k = layer * num_directions + direction
            w = weights[k * per_layer:(k + 1) * per_layer]
            w_ih, w_hh = w[0], w[1]
            b_ih, b_hh = (w[2], w[3]) if has_bias else (None, None)
            reverse = direction == 1
            if lstm:
                w_hr = w[-1] if len(w) in (3, 5) else None
                y, h, c = LSTMLayer.apply(layer_input, h0[k], c0[k], w_ih, w_hh, b_ih, b_hh,
                                          w_hr, batch_sizes, reverse)
                c_n.append(c)
            elif mode == "GRU":
                y, h = GRULayer.apply(layer_input, h0[k], w_ih, w_hh, b_ih, b_hh, batch_sizes,
                                      reverse)
            else:
                y, h = ElmanLayer.apply(layer_input, h0[k], w_ih, w_hh, b_ih, b_hh, batch_sizes,
                                        reverse, mode == "RNN_RELU")
            outputs.append(y)
            h_n.append(h)
        layer_input = outputs[0] if num_directions == 1 else cat(outputs, -1)
        if dropout != 0 and train and layer < num_layers - 1:
            layer_input = _dropout(layer_input, dropout, True)
    output = layer_input
    if batch_first and not packed:
        output = output.transpose(0, 1)
    if lstm:
        return output, stack(h_n), stack(c_n)
    return output, stack(h_n)
