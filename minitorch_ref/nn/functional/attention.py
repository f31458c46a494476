"""Attention: ``F.scaled_dot_product_attention`` (one fused kernel) and
``F.multi_head_attention_forward`` (torch's composition of projections, masks and that kernel).
"""
from __future__ import annotations

import math
import warnings
from typing import Optional

import numpy as np

from ... import baddbmm, bmm, cat, zeros, zeros_like
from ..._names import c_type_name, scalar_type_name
from ..._ops._arguments import argument_error
from ..._ops._util import is_recorded, mul_scalar
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from ...random import dropout_mask
from .softmax_family import _exp_rows, softmax
from .dropout import dropout
from .linear import linear
from .padding import pad

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]


def _softmax_rows(s: np.ndarray, safe: bool) -> np.ndarray:
    """softmax over the last axis, its exp unshifted where the row sums allow (``_exp_rows``,
    as ``softmax``). ``safe``: a row whose scores are all -inf (every key masked) gets weights
    0, as torch's ``_safe_softmax``; otherwise such a row is NaN, as ``softmax``."""
    e, z, _ = _exp_rows(s, s.ndim - 1, safe)
    if safe:
        z[z == 0] = 1
    return np.divide(e, z, out=e)


class ScaledDotProductAttention(ArrayFunction):
    """out = A V,  A = keep * softmax(S),  S = (Q sqrt(s)) (K sqrt(s))^T + bias

    Q: (..., L, E), K: (..., S, E), V: (..., S, Ev) (batch dims broadcast); ``bias``: the
    additive mask (a float ``attn_mask``, or 0 / -inf made from a boolean or causal mask),
    broadcast to (..., L, S); ``keep``: dropout's scaled keep-mask (0 or 1/(1-p)) or None.
    The scale is split over Q and K as torch's math kernel does.

    With P = softmax(S) and dO = dL/d out:
      dV = A^T dO
      dA = dO V^T,    dP = keep * dA
      dS = P * (dP - sum_j dP_j P_j)          (softmax's backward, row by row)
      dQ = dS K s,    dK = dS^T Q s,    d bias = dS
    """

    _backward_name = "ScaledDotProductAttentionBackward0"

    @staticmethod
    def forward(ctx, q, k, v, bias, keep, scale, safe):
        root = math.sqrt(abs(scale))
        sign = -1.0 if scale < 0 else 1.0
        s = (q * (sign * root)) @ np.swapaxes(k * root, -1, -2)
        if bias is not None:
            s = s + bias
        p = _softmax_rows(s, safe)
        a = p if keep is None else p * keep
        ctx.save_for_backward(q, k, v, p, a, keep)
        ctx.scale = scale
        return a @ v

    @staticmethod
    def backward(ctx, g):
        q, k, v, p, a, keep = ctx.saved_tensors
        scale = ctx.scale
        need = ctx.needs_input_grad
        dv = np.swapaxes(a, -1, -2) @ g if need[2] else None
        dp = g @ np.swapaxes(v, -1, -2)
        if keep is not None:
            dp *= keep
        ds = dp - (dp * p).sum(-1, keepdims=True)
        ds *= p
        # torch's math path: (q * s) @ (k.transpose(-2, -1) * s), scaled by Scalars
        # (MulBackward1), k's gradient transposed back last (create_graph)
        dq = mul_scalar(ds @ k, scale) if need[0] else None
        dk = None
        if need[1]:
            dk = np.swapaxes(mul_scalar(np.swapaxes(q, -1, -2) @ ds, scale), -1, -2) \
                if is_recorded(ds) or is_recorded(q) else np.swapaxes(ds, -1, -2) @ q * scale
        return dq, dk, dv, ds if need[3] else None, None, None, None


def _c_name(t: Tensor) -> str:
    return c_type_name(t._data.dtype)


def _batch_shape(query: Tensor, key: Tensor) -> tuple:
    a, b = tuple(query.shape[:-2]), tuple(key.shape[:-2])
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b
    out = []
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y and 1 not in (x, y):
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b "
                               f"({y}) at non-singleton dimension {i}")
        out.append(max(x, y))
    return tuple(out)


def _sdpa_checks(query: Tensor, key: Tensor, value: Tensor, attn_mask, dropout_p: float,
                 is_causal: bool) -> None:
    """torch's argument checks, in torch's order."""
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError(
            "Expected query, key, and value to all be  at least 2 dimensional, but got "
            f"query.dim: {query.dim()} key.dim: {key.dim()} and value.dim: {value.dim()} "
            "instead.")
    if not (query.dtype == key.dtype == value.dtype):
        raise RuntimeError(
            "Expected query, key, and value to have the same dtype, but got query.dtype: "
            f"{_c_name(query)} key.dtype: {_c_name(key)} and value.dtype: {_c_name(value)} "
            "instead.")
    if attn_mask is not None and attn_mask._data.dtype != np.bool_ \
            and attn_mask.dtype != query.dtype:
        raise RuntimeError(
            "Expected attn_mask dtype to be bool or float or to match query dtype, but got "
            f"attn_mask.dtype: {_c_name(attn_mask)} and  query.dtype: {_c_name(query)} "
            "instead.")
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                           "when is_causal=True")
    if dropout_p < 0:
        raise RuntimeError("scaled_dot_product_attention_flash_attention: Currently do not "
                           "support dropout > 0")
    if dropout_p > 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {dropout_p}")
    if query._data.dtype.kind != "f":
        raise RuntimeError(
            f"expected scalar type Float but found {scalar_type_name(query._data.dtype)}")


def _repeat_heads(query: Tensor, key: Tensor, value: Tensor) -> tuple:
    """Grouped-query attention: each key/value head serves query.size(-3) // its heads
    consecutive query heads (torch's ``repeat_interleave`` along dim -3)."""
    hq, hk, hv = query.size(-3), key.size(-3), value.size(-3)
    if hq % hk or hq % hv:
        raise RuntimeError("Number of heads in key and value must divide the number of heads in ")
    return key.repeat_interleave(hq // hk, -3), value.repeat_interleave(hq // hv, -3)


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor,
                                 attn_mask: Optional[Tensor] = None, dropout_p: float = 0.0,
                                 is_causal: bool = False, *, scale: Optional[float] = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(Q K^T * scale + mask) V, with dropout on the attention weights.

    ``attn_mask``: boolean (True = may attend) or float (added to the scores), broadcast to
    (..., L, S). ``is_causal``: query i attends keys 0..i (upper-left aligned when L != S).
    ``scale`` defaults to 1/sqrt(E). ``dropout_p`` is always applied (pass 0.0 in eval), with
    a mask of shape (..., L, S) drawn from the default generator as torch draws it. A query
    whose keys are all masked gets zeros. ``enable_gqa``: key/value heads are shared by groups
    of query heads."""
    if not (isinstance(query, Tensor) and isinstance(key, Tensor) and isinstance(value, Tensor)):
        raise argument_error(scaled_dot_product_attention, locals(),
                             tensors=("query", "key", "value"))
    return _attention(query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa)


def _attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Optional[Tensor],
               dropout_p: float, is_causal: bool, scale: Optional[float], enable_gqa: bool,
               safe: bool = True) -> Tensor:
    """``scaled_dot_product_attention``; ``safe=False``: a query whose keys are all masked gets
    NaN, as in torch's fused inference kernels (see MultiheadAttention)."""
    _sdpa_checks(query, key, value, attn_mask, dropout_p, is_causal)
    if enable_gqa:
        key, value = _repeat_heads(query, key, value)
    batch = _batch_shape(query, key)
    flat = math.prod(batch)
    e, ek = query.size(-1), key.size(-1)
    if e != ek:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{flat}, {e}] but got: [{flat}, {ek}].")
    _batch_shape(query, value)
    if key.size(-2) != value.size(-2):
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{flat}, {key.size(-2)}] but got: [{flat}, {value.size(-2)}].")
    L, S = query.size(-2), key.size(-2)
    dtype = query._data.dtype
    if scale is None:
        scale = 1.0 / math.sqrt(e) if e else math.inf
    bias = attn_mask
    if is_causal:
        bias = np.where(np.tril(np.ones((L, S), dtype=bool)), 0, -np.inf).astype(dtype)
    elif attn_mask is not None and attn_mask._data.dtype == np.bool_:
        bias = np.where(attn_mask._data, 0, -np.inf).astype(dtype)
    shape = batch + (L, S)
    if bias is not None:
        bshape = np.shape(bias._data if isinstance(bias, Tensor) else bias)
        full = np.broadcast_shapes(bshape, shape) if _broadcasts(bshape, shape) else None
        if full is None:
            _raise_mismatch(bshape, shape)
        if full != shape:
            raise RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast "
                               f"shape {list(full)}")
    keep = None
    if dropout_p > 0 and math.prod(shape):
        keep = np.zeros(shape, dtype) if dropout_p == 1 else dropout_mask(shape, dropout_p, dtype)
    return ScaledDotProductAttention.apply(query, key, value, bias, keep, scale, safe)


def _broadcasts(a: tuple, b: tuple) -> bool:
    try:
        np.broadcast_shapes(a, b)
    except ValueError:
        return False
    return True


def _raise_mismatch(a: tuple, b: tuple) -> None:
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    for i in range(n - 1, -1, -1):
        if a[i] != b[i] and 1 not in (a[i], b[i]):
            raise RuntimeError(f"The size of tensor a ({b[i]}) must match the size of tensor b "
                               f"({a[i]}) at non-singleton dimension {i}")


# ==================================================================================================
# Multi-head attention (torch's composition: projections, masks, the attention, the output)
# ==================================================================================================

def _mha_shape_check(query: Tensor, key: Tensor, value: Tensor,
                     key_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor],
                     num_heads: int) -> bool:
    """torch's shape checks; returns whether the input is batched."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but "
                f"found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError(
                "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but "
                f"found {attn_mask.dim()}-D tensor instead")
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D "
                f"but found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError(
                    "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D "
                    f"but found {attn_mask.dim()}-D tensor instead")
            if attn_mask.dim() == 3:
                expected = (num_heads, query.shape[0], key.shape[0])
                if attn_mask.shape != expected:
                    raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got "
                                         f"{attn_mask.shape}")
        return False
    raise AssertionError("query should be unbatched 2D or batched 3D tensor but received "
                         f"{query.dim()}-D query tensor")


def _canonical_mask(mask: Optional[Tensor], mask_name: str, other_type, other_name: str,
                    target_type, check_other: bool = True) -> Optional[Tensor]:
    """A boolean mask (True = masked) becomes the float mask 0 / -inf of ``target_type``; a
    float mask passes through; anything else is refused, as in torch."""
    if mask is None:
        return None
    is_float = mask._data.dtype.kind == "f"
    if mask._data.dtype != np.bool_ and not is_float:
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype != other_type:
        warnings.warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. Use "
                      "same type for both instead.", stacklevel=3)
    if not is_float:
        mask = zeros_like(mask, dtype=target_type).masked_fill_(mask, float("-inf"))
    return mask


def _none_or_dtype(input: Optional[Tensor]):
    if input is None:
        return None
    if isinstance(input, Tensor):
        return input.dtype
    raise RuntimeError("input to _none_or_dtype() must be None or torch.Tensor")


def _in_projection_packed(q: Tensor, k: Tensor, v: Tensor, w: Tensor,
                          b: Optional[Tensor] = None) -> list:
    """q W_q^T + b_q, k W_k^T + b_k, v W_v^T + b_v with W = (W_q | W_k | W_v) stacked by rows:
    one GEMM for self-attention (q, k, v the same tensor), two when k is v."""
    E = q.size(-1)
    if k is v:
        # the packed projection's column blocks, each made contiguous (as torch does) so that
        # the heads can be viewed out of it
        if q is k:
            return [t.contiguous() for t in linear(q, w, b).chunk(3, dim=-1)]
        w_q, w_kv = w.split([E, E * 2])
        b_q, b_kv = (None, None) if b is None else b.split([E, E * 2])
        kv = linear(k, w_kv, b_kv).chunk(2, dim=-1)
        return [linear(q, w_q, b_q), kv[0].contiguous(), kv[1].contiguous()]
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    return [linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)]


def _in_projection(q: Tensor, k: Tensor, v: Tensor, w_q: Tensor, w_k: Tensor, w_v: Tensor,
                   b_q=None, b_k=None, b_v=None) -> tuple:
    """Three separate projections (kdim/vdim differ from embed_dim), with torch's checks."""
    Eq, Ek, Ev = q.size(-1), k.size(-1), v.size(-1)
    for name, w, want in (("query", w_q, (Eq, Eq)), ("key", w_k, (Eq, Ek)),
                          ("value", w_v, (Eq, Ev))):
        if w.shape != want:
            raise AssertionError(f"expecting {name} weights shape of {want}, but got {w.shape}")
    for name, b in (("query", b_q), ("key", b_k), ("value", b_v)):
        if b is not None and b.shape != (Eq,):
            raise AssertionError(f"expecting {name} bias shape of {(Eq,)}, but got {b.shape}")
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def multi_head_attention_forward(
        query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int, num_heads: int,
        in_proj_weight: Optional[Tensor], in_proj_bias: Optional[Tensor],
        bias_k: Optional[Tensor], bias_v: Optional[Tensor], add_zero_attn: bool,
        dropout_p: float, out_proj_weight: Tensor, out_proj_bias: Optional[Tensor],
        training: bool = True, key_padding_mask: Optional[Tensor] = None,
        need_weights: bool = True, attn_mask: Optional[Tensor] = None,
        use_separate_proj_weight: bool = False, q_proj_weight: Optional[Tensor] = None,
        k_proj_weight: Optional[Tensor] = None, v_proj_weight: Optional[Tensor] = None,
        static_k: Optional[Tensor] = None, static_v: Optional[Tensor] = None,
        average_attn_weights: bool = True, is_causal: bool = False) -> tuple:
    """Multi-head attention, time-major: query (L, N, E), key/value (S, N, E_k/E_v), or
    unbatched (L, E). Per head h (head_dim = E / num_heads):

        Q_h, K_h, V_h = the h-th head_dim columns of q W_q^T + b_q, k W_k^T + b_k, v W_v^T + b_v
        O_h = softmax(Q_h K_h^T / sqrt(head_dim) + mask) V_h        (dropout on the weights)
        out = concat_h(O_h) W_o^T + b_o

    Masks: ``key_padding_mask`` (N, S) and ``attn_mask`` (L, S) or (N * heads, L, S); boolean
    True means "do not attend", a float mask is added. ``bias_k``/``bias_v`` append one learned
    key/value; ``add_zero_attn`` appends a zero key/value. Returns ``(out, weights)``: weights
    averaged over heads (or per head) when ``need_weights``, else None (then the attention runs
    as ``scaled_dot_product_attention``, as in torch). Each step is the public op torch uses, so
    gradients, dropout masks and grad_fn names follow."""
    return _multi_head_attention(
        query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias, bias_k,
        bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias, training,
        key_padding_mask, need_weights, attn_mask, use_separate_proj_weight, q_proj_weight,
        k_proj_weight, v_proj_weight, static_k, static_v, average_attn_weights, is_causal)


def _multi_head_attention(query, key, value, embed_dim_to_check, num_heads, in_proj_weight,
                          in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p,
                          out_proj_weight, out_proj_bias, training=True, key_padding_mask=None,
                          need_weights=True, attn_mask=None, use_separate_proj_weight=False,
                          q_proj_weight=None, k_proj_weight=None, v_proj_weight=None,
                          static_k=None, static_v=None, average_attn_weights=True,
                          is_causal=False, fast_path: bool = False) -> tuple:
    """``multi_head_attention_forward``; ``fast_path``: the attention as torch's fused
    inference kernel computes it (NaN for a query whose keys are all masked)."""
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask",
                                       _none_or_dtype(attn_mask), "attn_mask", query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError(
            "Need attn_mask if specifying the is_causal hint. You may use the Transformer "
            "module method `generate_square_subsequent_mask` to create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # the hint alone: the attention applies the causal mask itself
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype,
                                    check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but "
                             f"got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match "
                                 f"value's {value.shape[:2]}")
    elif key.shape != value.shape:
        raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")

    # in-projection
    if not use_separate_proj_weight:
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    else:
        for name, w in (("q", q_proj_weight), ("k", k_proj_weight), ("v", v_proj_weight)):
            if w is None:
                raise AssertionError(f"use_separate_proj_weight is True but {name}_proj_weight "
                                     "is None")
        b_q, b_k, b_v = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
        q, k, v = _in_projection(query, key, value, q_proj_weight, k_proj_weight,
                                 v_proj_weight, b_q, b_k, b_v)

    # the attention mask as (1 or N * heads, L, S)
    if attn_mask is not None:
        if attn_mask.dim() == 2:
            if attn_mask.shape != (tgt_len, src_len):
                raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but "
                                   f"should be {(tgt_len, src_len)}.")
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            if attn_mask.shape != (bsz * num_heads, tgt_len, src_len):
                raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but "
                                   f"should be {(bsz * num_heads, tgt_len, src_len)}.")
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")

    # a learned key and value appended to every sequence
    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        k = cat([k, bias_k.repeat(1, bsz, 1)])
        v = cat([v, bias_v.repeat(1, bsz, 1)])
        if attn_mask is not None:
            attn_mask = pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = pad(key_padding_mask, (0, 1))
    elif bias_k is not None:
        raise AssertionError("bias_k is set but bias_v is None")
    elif bias_v is not None:
        raise AssertionError("bias_v is set but bias_k is None")

    # heads: (L, N, E) -> (N * heads, L, head_dim)
    q = q.view(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    k = _heads(k, static_k, "static_k", bsz * num_heads, head_dim)
    v = _heads(v, static_v, "static_v", bsz * num_heads, head_dim)
    if add_zero_attn:
        zero = zeros((bsz * num_heads, 1, head_dim), dtype=k.dtype)
        k = cat([k, zero], dim=1)
        v = cat([v, zeros((bsz * num_heads, 1, head_dim), dtype=v.dtype)], dim=1)
        if attn_mask is not None:
            attn_mask = pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = pad(key_padding_mask, (0, 1))
    src_len = k.size(1)

    # merge the key padding mask into the attention mask
    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            raise AssertionError(f"Expected key_padded_mask.shape[0] to be {bsz}, but got "
                                 f"{key_padding_mask.shape[0]}")
        if key_padding_mask.shape[1] != src_len:
            raise AssertionError(f"Expected key_padded_mask.shape[1] to be {src_len}, but got "
                                 f"{key_padding_mask.shape[1]}")
        key_padding_mask = key_padding_mask.view(bsz, 1, 1, src_len).expand(
            -1, num_heads, -1, -1).reshape(bsz * num_heads, 1, src_len)
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
    if not training:
        dropout_p = 0.0

    if need_weights:
        E = q.shape[-1]
        q_scaled = q * math.sqrt(1.0 / float(E))
        if is_causal and attn_mask is None:
            raise AssertionError("FIXME: is_causal not implemented for need_weights")
        if attn_mask is not None:
            weights = baddbmm(attn_mask, q_scaled, k.transpose(-2, -1))
        else:
            weights = bmm(q_scaled, k.transpose(-2, -1))
        weights = softmax(weights, dim=-1)
        if dropout_p > 0.0:
            weights = dropout(weights, p=dropout_p)
        out = bmm(weights, v)
        out = out.transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        out = linear(out, out_proj_weight, out_proj_bias)
        out = out.view(tgt_len, bsz, out.size(1))
        weights = weights.view(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
        if not is_batched:
            out, weights = out.squeeze(1), weights.squeeze(0)
        return out, weights
    if attn_mask is not None:
        if attn_mask.size(0) == 1 and attn_mask.dim() == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.view(bsz, num_heads, -1, src_len)
    q = q.view(bsz, num_heads, tgt_len, head_dim)
    k = k.view(bsz, num_heads, src_len, head_dim)
    v = v.view(bsz, num_heads, src_len, head_dim)
    out = _attention(q, k, v, attn_mask, dropout_p, is_causal, None, False, safe=not fast_path)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias)
    out = out.view(tgt_len, bsz, out.size(1))
    if not is_batched:
        out = out.squeeze(1)
    return out, None


def _heads(t: Tensor, static: Optional[Tensor], name: str, n: int, head_dim: int) -> Tensor:
    """(S, N, E) -> (N * heads, S, head_dim), or the given ``static_k``/``static_v``."""
    if static is None:
        return t.view(t.shape[0], n, head_dim).transpose(0, 1)
    if static.size(0) != n:
        raise AssertionError(f"expecting {name}.size(0) of {n}, but got {static.size(0)}")
    if static.size(2) != head_dim:
        raise AssertionError(f"expecting {name}.size(2) of {head_dim}, but got "
                             f"{static.size(2)}")
    return static
