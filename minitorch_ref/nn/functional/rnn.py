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
from ..._ops._util import zero_where
from ...autograd.function import ArrayFunction
from .dropout import dropout as _dropout

__all__ = ["rnn_layers"]


def _steps(batch_sizes: tuple, reverse: bool) -> list:
    """``(first row, row count)`` of each time step, in the order the layer visits them."""
    steps = []
    start = 0
    for b in batch_sizes:
        steps.append((start, b))
        start += b
    return steps[::-1] if reverse else steps


def _sigmoid(z: np.ndarray, out: np.ndarray) -> np.ndarray:
    """out = 1 / (1 + exp(-z)), as torch computes it (exp(-z) may overflow to inf: 1/inf = 0)."""
    np.negative(z, out=out)
    with np.errstate(over="ignore"):
        np.exp(out, out=out)
    out += 1
    return np.reciprocal(out, out=out)


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


def _start(dh_n: np.ndarray | None, like: np.ndarray) -> np.ndarray:
    """The gradient carried into the last step: dL/dh_n, or zeros when h_n was not used."""
    return np.zeros_like(like) if dh_n is None else dh_n.copy()


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
        z_in = _rows(x) @ w_ih.T
        if b_ih is not None:
            z_in += b_ih
        out = np.zeros_like(z_in, shape=x.shape[:-1] + z_in.shape[-1:])
        y = _rows(out)                    # h_t of every step: the output
        hp = np.zeros_like(y)             # h_{t-1} of every step
        h = h0.copy()
        for start, b in _steps(batch_sizes, reverse):
            rows = slice(start, start + b)
            hp[rows] = h[:b]
            z = h[:b] @ w_hh.T
            z += z_in[rows]
            if b_hh is not None:
                z += b_hh
            h[:b] = y[rows] = np.maximum(z, 0) if relu else np.tanh(z)
        ctx.save_for_backward(x, h0, w_ih, w_hh, out)
        ctx.hp = hp
        ctx.batch_sizes, ctx.reverse, ctx.relu = batch_sizes, reverse, relu
        return out, h

    @staticmethod
    def backward(ctx, dy, dh_n):
        x, h0, w_ih, w_hh, out = ctx.saved_tensors
        y = _rows(out)
        dh = _start(dh_n, h0)
        dy = None if dy is None else _rows(dy)
        dz = np.zeros_like(y)
        for start, b in _steps(ctx.batch_sizes, not ctx.reverse):
            rows = slice(start, start + b)
            if dy is not None:
                dh[:b] += dy[rows]
            h_t = y[rows]
            dz[rows] = zero_where(dh[:b], h_t <= 0) if ctx.relu else dh[:b] * (1 - h_t * h_t)
            dh[:b] = dz[rows] @ w_hh
        need = ctx.needs_input_grad
        dx, dw_ih, dw_hh, db_ih, db_hh = _sum_over_steps(
            (need[0],) + need[2:6], dz, x, w_ih, ctx.hp)
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
        z_in = _rows(x) @ w_ih.T
        if b_ih is not None:
            z_in += b_ih
        gates = np.zeros_like(z_in)       # i, f, g, o of every step
        cs = np.zeros_like(z_in[:, :hid])  # c_t of every step
        cp = np.zeros_like(cs)            # c_{t-1}
        tc = np.zeros_like(cs)            # tanh(c_t)
        out = np.zeros_like(z_in, shape=x.shape[:-1] + (hid if w_hr is None else len(w_hr),))
        y = _rows(out)                    # h_t of every step: the output
        m = y if w_hr is None else np.zeros_like(cs)  # o * tanh(c_t), before the projection
        hp = np.zeros_like(y)             # h_{t-1}
        h, c = h0.copy(), c0.copy()
        for start, b in _steps(batch_sizes, reverse):
            rows = slice(start, start + b)
            hp[rows], cp[rows] = h[:b], c[:b]
            z = h[:b] @ w_hh.T
            z += z_in[rows]
            if b_hh is not None:
                z += b_hh
            a = _sigmoid(z, gates[rows])
            a[:, 2 * hid:3 * hid] = np.tanh(z[:, 2 * hid:3 * hid])
            i, f, g, o = a[:, :hid], a[:, hid:2 * hid], a[:, 2 * hid:3 * hid], a[:, 3 * hid:]
            c[:b] = cs[rows] = f * c[:b] + i * g
            np.tanh(cs[rows], out=tc[rows])
            np.multiply(o, tc[rows], out=m[rows])
            if w_hr is not None:
                np.matmul(m[rows], w_hr.T, out=y[rows])
            h[:b] = y[rows]
        ctx.save_for_backward(x, h0, c0, w_ih, w_hh, w_hr, out)
        ctx.gates, ctx.cp, ctx.tc, ctx.hp = gates, cp, tc, hp
        ctx.m = None if w_hr is None else m
        ctx.batch_sizes, ctx.reverse = batch_sizes, reverse
        return out, h, c

    @staticmethod
    def backward(ctx, dy, dh_n, dc_n):
        x, h0, c0, w_ih, w_hh, w_hr, out = ctx.saved_tensors
        gates, cp, tc = ctx.gates, ctx.cp, ctx.tc
        hid = c0.shape[1]
        dh, dc = _start(dh_n, h0), _start(dc_n, c0)
        dy = None if dy is None else _rows(dy)
        dz = np.zeros_like(gates)
        dhs = None if w_hr is None else np.zeros_like(ctx.hp)  # dL/dh_t, for dW_hr
        for start, b in _steps(ctx.batch_sizes, not ctx.reverse):
            rows = slice(start, start + b)
            if dy is not None:
                dh[:b] += dy[rows]
            if w_hr is None:
                dm = dh[:b]
            else:
                dhs[rows] = dh[:b]
                dm = dh[:b] @ w_hr
            a = gates[rows]
            i, f, g, o = a[:, :hid], a[:, hid:2 * hid], a[:, 2 * hid:3 * hid], a[:, 3 * hid:]
            t = tc[rows]
            dc[:b] += dm * o * (1 - t * t)
            d = dz[rows]                  # first the gates' gradients, then the pre-activations'
            np.multiply(dc[:b], g, out=d[:, :hid])
            np.multiply(dc[:b], cp[rows], out=d[:, hid:2 * hid])
            np.multiply(dc[:b], i, out=d[:, 2 * hid:3 * hid])
            np.multiply(dm, t, out=d[:, 3 * hid:])
            dg = d[:, 2 * hid:3 * hid] * (1 - g * g)
            d *= a * (1 - a)
            d[:, 2 * hid:3 * hid] = dg
            dc[:b] *= f
            dh[:b] = d @ w_hh
        need = ctx.needs_input_grad
        dx, dw_ih, dw_hh, db_ih, db_hh = _sum_over_steps(
            (need[0],) + need[3:7], dz, x, w_ih, ctx.hp)
        dw_hr = dhs.T @ ctx.m if need[7] else None
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
        z_in = _rows(x) @ w_ih.T
        if b_ih is not None:
            z_in += b_ih
        gates = np.zeros_like(z_in)       # r, z, n of every step
        hn = np.zeros_like(z_in[:, :hid])  # h W_hn^T + b_hn
        y = np.zeros_like(hn)
        hp = np.zeros_like(hn)
        h = h0.copy()
        for start, b in _steps(batch_sizes, reverse):
            rows = slice(start, start + b)
            hp[rows] = h[:b]
            zh = h[:b] @ w_hh.T
            if b_hh is not None:
                zh += b_hh
            zi = z_in[rows]
            a = gates[rows]
            _sigmoid(zh[:, :2 * hid] + zi[:, :2 * hid], a[:, :2 * hid])
            r, z = a[:, :hid], a[:, hid:2 * hid]
            hn[rows] = zh[:, 2 * hid:]
            n = np.tanh(zi[:, 2 * hid:] + r * hn[rows], out=a[:, 2 * hid:])
            h[:b] = y[rows] = (h[:b] - n) * z + n
        ctx.save_for_backward(x, h0, w_ih, w_hh)
        ctx.gates, ctx.hn, ctx.hp = gates, hn, hp
        ctx.batch_sizes, ctx.reverse = batch_sizes, reverse
        return y.reshape(x.shape[:-1] + y.shape[-1:]), h

    @staticmethod
    def backward(ctx, dy, dh_n):
        x, h0, w_ih, w_hh = ctx.saved_tensors
        gates, hn, hp = ctx.gates, ctx.hn, ctx.hp
        hid = h0.shape[1]
        dh = _start(dh_n, h0)
        dy = None if dy is None else _rows(dy)
        dzi = np.zeros_like(gates)        # input pre-activations' gradients
        dzh = np.zeros_like(gates)        # recurrent pre-activations' gradients
        for start, b in _steps(ctx.batch_sizes, not ctx.reverse):
            rows = slice(start, start + b)
            if dy is not None:
                dh[:b] += dy[rows]
            a = gates[rows]
            r, z, n = a[:, :hid], a[:, hid:2 * hid], a[:, 2 * hid:]
            d = dzi[rows]
            dn = np.multiply(dh[:b] * (1 - z), 1 - n * n, out=d[:, 2 * hid:])
            np.multiply(dh[:b] * (hp[rows] - n), z * (1 - z), out=d[:, hid:2 * hid])
            np.multiply(dn * hn[rows], r * (1 - r), out=d[:, :hid])
            dh_pre = dzh[rows]            # dZh_t: r and z as above, then dn * r
            dh_pre[:, :2 * hid] = d[:, :2 * hid]
            np.multiply(dn, r, out=dh_pre[:, 2 * hid:])
            dh[:b] = dh[:b] * z + dh_pre @ w_hh
        need = ctx.needs_input_grad
        dx, dw_ih, dw_hh, db_ih, db_hh = _sum_over_steps(
            (need[0],) + need[2:6], dzi, x, w_ih, hp, dzh)
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
