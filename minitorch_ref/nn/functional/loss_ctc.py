"""Connectionist temporal classification: ``F.ctc_loss`` and its kernel.

A target ``l = (l_1 .. l_S)`` is read through its extended form ``l' = (b, l_1, b, l_2, ..., l_S,
b)`` (``b`` the blank, ``2S + 1`` states). An alignment of the ``T`` input steps visits the states
left to right, staying, moving one state, or skipping a blank between two different labels; its
probability is the product of ``y_t(l'_s)``. The loss is ``-log p(l | x)``, the sum over all
alignments, computed by the forward (alpha) recursion over time; its gradient by the backward
(beta) recursion, run in reverse time.
"""
from __future__ import annotations

import numpy as np

from ... import tensor as _as_tensor
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction

__all__ = ["ctc_loss"]


def _logsumexp(*terms: np.ndarray) -> np.ndarray:
    """log(sum_i exp(terms_i)) elementwise, -inf where every term is -inf (torch's form: shift by
    the largest term, 0 when that is -inf)."""
    m = terms[0]
    for a in terms[1:]:
        m = np.maximum(m, a)
    m = np.where(m == -np.inf, 0, m)
    total = np.exp(terms[0] - m)
    for a in terms[1:]:
        total += np.exp(a - m)
    return np.log(total) + m


def _shift(a: np.ndarray, k: int) -> np.ndarray:
    """a[..., s - k] at position s (-inf where s - k < 0); k < 0 shifts the other way."""
    out = np.full_like(a, -np.inf)
    if k > 0:
        out[..., k:] = a[..., :-k]
    else:
        out[..., :k] = a[..., -k:]
    return out


class CTCLoss(ArrayFunction):
    """nll_n = -log sum over alignments of prod_t y_t(l'_{s_t}), per batch element n.

    Forward (alpha), in log space, for t = 1 .. T_n - 1 (alpha_0 starts at states 0 and 1):
        alpha_t(s) = lp_t(l'_s) + logsumexp(alpha_{t-1}(s), alpha_{t-1}(s-1),
                                            alpha_{t-1}(s-2) if l'_s != b and l'_s != l'_{s-2})
        nll = -logsumexp(alpha_{T-1}(2S), alpha_{T-1}(2S-1))
    Backward (beta), in reverse time from t = T_n - 1 (beta starts at states 2S and 2S-1):
        beta_t(s) = lp_t(l'_s) + logsumexp(beta_{t+1}(s), beta_{t+1}(s+1),
                                           beta_{t+1}(s+2) if l'_s != b and l'_s != l'_{s+2})
    Gradient, with g_n the upstream gradient of nll_n, as torch computes it:
        d/d lp_t(c) = g_n (exp(lp_t(c)) - exp(log sum_{s: l'_s = c} alpha_t(s) beta_t(s)
                                                + nll - lp_t(c)))
    and 0 for t >= T_n. The second term is the true derivative of nll; torch adds exp(lp),
    which sums to 1 over c at each step: it is the gradient with respect to the logits once it
    goes through log_softmax's backward (which removes it again), the way CTC is used.
    ``zero_infinity``: an impossible alignment (nll = inf) gives loss 0 and gradient 0.
    """

    _backward_name = "CtcLossBackward0"

    @staticmethod
    def forward(ctx, lp, targets, input_lengths, target_lengths, blank, zero_infinity):
        steps, batch, _ = lp.shape
        tl, il = target_lengths, input_lengths
        states = 2 * int(tl.max(initial=0)) + 1
        ext = np.full((batch, states), blank, dtype=np.int64)   # l', blank-padded
        s_idx = np.arange(states)
        for n in range(batch):
            ext[n, 1:2 * tl[n]:2] = targets[n, :tl[n]]
        valid = s_idx[None, :] < (2 * tl + 1)[:, None]           # (N, L): states of l'_n
        skip = np.zeros((batch, states), dtype=bool)              # s - 2 -> s allowed
        skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
        # lp at each state's label: (T, N, L)
        lpe = np.take_along_axis(lp, np.broadcast_to(ext[None], (steps, batch, states)), 2)
        neg_inf = np.full_like(lpe[0], -np.inf)
        alpha = np.full_like(lpe, -np.inf)
        if steps:
            alpha[0][:, 0] = lpe[0][:, 0]
            alpha[0][:, 1:2] = np.where(tl[:, None] > 0, lpe[0][:, 1:2], -np.inf)
        for t in range(1, steps):
            a = alpha[t - 1]
            a2 = np.where(skip, _shift(a, 2), neg_inf)
            alpha[t] = np.where(valid, _logsumexp(a, _shift(a, 1), a2) + lpe[t], -np.inf)
        rows = np.arange(batch)
        last = np.maximum(il - 1, 0)
        end = alpha[last, rows]                                   # alpha_{T_n - 1}, (N, L)
        tail = np.where(tl > 0, end[rows, np.maximum(2 * tl - 1, 0)], -np.inf)
        nll = -_logsumexp(end[rows, 2 * tl], tail)
        nll = np.where(il == 0, np.where(tl == 0, 0.0, np.inf), nll).astype(lp.dtype)
        ctx.save_for_backward(lp)
        ctx.alpha, ctx.lpe, ctx.ext, ctx.skip, ctx.valid = alpha, lpe, ext, skip, valid
        ctx.il, ctx.tl, ctx.nll, ctx.zero_infinity = il, tl, nll, zero_infinity
        if zero_infinity:
            return np.where(nll == np.inf, 0, nll).astype(lp.dtype)
        return nll

    @staticmethod
    def backward(ctx, g):
        lp, = ctx.saved_tensors
        alpha, lpe, ext, skip, valid = ctx.alpha, ctx.lpe, ctx.ext, ctx.skip, ctx.valid
        il, tl, nll = ctx.il, ctx.tl, ctx.nll
        steps, batch, classes = lp.shape
        rows = np.arange(batch)
        beta = np.full_like(lpe, -np.inf)
        skip_next = np.zeros_like(skip)                           # s + 2 -> s allowed
        skip_next[:, :-2] = skip[:, 2:]
        neg_inf = np.full_like(lpe[0], -np.inf)
        for t in range(steps - 1, -1, -1):
            if t + 1 < steps:
                b = beta[t + 1]
                b2 = np.where(skip_next, _shift(b, -2), neg_inf)
                step = _logsumexp(b, _shift(b, -1), b2) + lpe[t]
                beta[t] = np.where(valid & (t < il - 1)[:, None], step, -np.inf)
            start = il - 1 == t                                  # sequences ending here
            if start.any():
                n = rows[start]
                beta[t, n, 2 * tl[n]] = lpe[t, n, 2 * tl[n]]
                has = tl[n] > 0
                beta[t, n[has], 2 * tl[n[has]] - 1] = lpe[t, n[has], 2 * tl[n[has]] - 1]
        # log sum_{s: l'_s = c} alpha beta, per (t, n, c): shift by the per-(t, n) maximum,
        # add the occupancies into their labels, take the log back
        ab = alpha + beta
        m = ab.max(2, keepdims=True) if ab.shape[2] else np.zeros_like(ab[..., :1])
        m = np.where(m == -np.inf, 0, m)
        onehot = np.zeros_like(lp, shape=(batch, ext.shape[1], classes))
        np.put_along_axis(onehot, ext[..., None], 1, 2)
        occupancy = np.einsum("tns,nsc->tnc", np.exp(ab - m), onehot)
        lcab = np.log(occupancy) + m
        grad = np.exp(lp) - np.exp(lcab + nll[None, :, None] - lp)
        grad *= g[None, :, None]
        grad[np.arange(steps)[:, None] >= il[None, :]] = 0
        if ctx.zero_infinity:
            grad[:, nll == np.inf] = 0
        return grad, None, None, None, None, None


def _lengths(name: str, lengths) -> np.ndarray:
    if isinstance(lengths, Tensor):
        if lengths._data.dtype.kind not in "iu":
            raise RuntimeError(f"{name} must be integral")
        return lengths._data.reshape(-1).astype(np.int64)
    return np.asarray(list(lengths), dtype=np.int64)


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths, target_lengths, blank: int = 0,
             reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    """The CTC loss of ``log_probs`` (T, N, C) (log-softmax outputs; (T, C) unbatched) against
    ``targets``: padded (N, S) or concatenated (sum(target_lengths),). ``reduction='mean'``
    divides each loss by its target length (at least 1), then averages over the batch."""
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    il, tl = _lengths("input_lengths", input_lengths), _lengths("target_lengths", target_lengths)
    unbatched = log_probs.dim() == 2
    lp = log_probs.unsqueeze(1) if unbatched else log_probs
    tg = targets._data.astype(np.int64)
    if unbatched and tg.ndim == 1 and len(il) == 1:
        tg = tg[None]
    steps, batch, classes = lp.shape
    if not 0 <= blank < classes:
        raise RuntimeError("blank must be in label range")
    if len(il) != batch:
        raise RuntimeError("input_lengths must be of size batch_size")
    if len(tl) != batch:
        raise RuntimeError("target_lengths must be of size batch_size")
    where = "(while checking arguments for ctc_loss_allocate_outputs)"
    if tl.size and tl.min() < 0:
        raise RuntimeError(f"Expected target_lengths to have value at least 0, but got value "
                           f"{int(tl.min())} {where}")
    if tg.ndim == 1:
        if tg.shape[0] != tl.sum():
            raise RuntimeError(f"Expected tensor to have size {int(tl.sum())} at dimension 0, "
                               f"but got size {tg.shape[0]} for argument #2 'targets' {where}")
        offsets = np.concatenate([[0], np.cumsum(tl)])
        padded = np.zeros((batch, int(tl.max(initial=0))), dtype=np.int64)
        for n in range(batch):
            padded[n, :tl[n]] = tg[offsets[n]:offsets[n + 1]]
        tg = padded
    elif tl.size and tg.shape[1] < tl.max():
        raise RuntimeError(f"Expected tensor to have size at least {int(tl.max())} at dimension "
                           f"1, but got size {tg.shape[1]} for argument #2 'targets' {where}")
    if il.size and il.max() > steps:
        raise RuntimeError(f"Expected input_lengths to have value at most {steps}, but got "
                           f"value {int(il.max())} {where}")
    loss = CTCLoss.apply(lp, tg, il, tl, blank, zero_infinity)
    if unbatched:
        loss = loss.squeeze(0)
    if reduction == "mean":
        divisor = _as_tensor(np.maximum(tl, 1).astype(loss._data.dtype).reshape(loss.shape))
        return (loss / divisor).mean()
    if reduction == "sum":
        return loss.sum()
    return loss
