"""The softmax family: softmax, log_softmax, softmin and gumbel_softmax, and
``torch.softmax``/``torch.log_softmax`` (with ``dim`` required and ``out=``).

Each kernel is an ``ArrayFunction``: forward beside backward on ndarrays, the derivative in its
docstring (``g`` is dL/d out); the public functions with torch's checks follow. Both kernels take
exp of the input through ``_exp_rows``, which skips the max shift where the row sums allow it.
"""
from __future__ import annotations

import warnings
from typing import Optional

import numpy as np

from ... import _creation
from ..._cpu_math import REGISTER_BYTES
from ..._ops._arguments import argument_error
from ..._ops.out import supports_out
from ..._tensor import Tensor, _wrap_dim as _tensor_wrap_dim
from ...autograd.function import ArrayFunction
from ._util import _sum_over
from .activation import require_float


def _lift0(x: np.ndarray) -> np.ndarray:
    """A 0-d tensor has one 'dim' for softmax purposes, as in torch."""
    return x.reshape(1) if x.ndim == 0 else x


def _softmax_kernel(name: str, x: np.ndarray, dim: int) -> str:
    """The name of torch's kernel (in its dtype error): one for the last dim, one for others."""
    last = dim in (-1, x.ndim - 1) or x.ndim == 0
    return f"{name}_lastdim_kernel_impl" if last else f"{name}_kernel_impl"


def _exp_rows(x: np.ndarray, dim: int, safe: bool = False, keep_shift: bool = False) -> tuple:
    """e = exp(x - m) and s = sum(e, dim) for a per-row shift m that cancels in the result.
    No shift (m = 0) when every row sum of exp(x) lies in [tiny / eps, max]: one exp pass,
    without the max pass and the subtraction (two of softmax's five passes); an exp(x) that
    underflows then moves its share e / s by at most eps^2. Otherwise (overflow, smaller sums,
    inf or nan in x) m = max(x, dim), the overflow-safe form. ``safe``: a row of -inf only
    (attention with every key masked) is shifted by 0, so that its e is 0, not NaN.
    Returns (e, s, d): d = x - m (exact near each row's max) as an array of its own when
    ``keep_shift`` and the rows were shifted (log_softmax's output starts from it), else None."""
    e = np.exp(x)  # an overflow only sends x to the shifted form
    s = _sum_over((dim,), e)
    info = np.finfo(e.dtype)
    if s.size == 0 or info.tiny / info.eps <= s.min() and s.max() <= info.max:  # not nan
        return e, s, None
    m = np.max(x, axis=dim, keepdims=True) if x.size else 0
    if safe and x.size:
        m[m == -np.inf] = 0
    d = np.subtract(x, m, out=None if keep_shift else e)  # inf - inf: a NaN row, as torch's
    np.exp(d, out=e)
    return e, _sum_over((dim,), e), d if keep_shift else None


def _half_in(x: np.ndarray) -> np.ndarray:
    """float16 computes in float32 and rounds at torch's points (its kernels' opmath)."""
    return x.astype(np.float32)


def _exp32(x: np.ndarray) -> np.ndarray:
    """exp of a float32 array rounded correctly (through float64), as torch's expf."""
    return np.exp(x.astype(np.float64)).astype(np.float32)


def _half_shift(x: np.ndarray, dim: int) -> np.ndarray:
    """x - max(x, dim) in float32 for a float16 x."""
    x = _half_in(x)
    return x - (np.max(x, axis=dim, keepdims=True) if x.size else 0)


_HALF_STEP = REGISTER_BYTES // 2  # float16 lanes of torch's vectors (32 with AVX-512)


def _half_scalar_positions(outer: int, inner: int, threads: int) -> np.ndarray:
    """Which of the ``outer * inner`` positions torch's float16 softmax over a non-last dim
    computes in its scalar form, as a bool array (outer, inner).

    torch splits the positions, in row-major order, into ``threads`` chunks of
    ceil(n / threads) (its parallel_for with grain 0) and walks each chunk taking a whole vector
    where ``_HALF_STEP`` positions remain in both the row and the chunk, else one position. So
    every stretch between a row boundary and a chunk boundary ends in (its length %
    ``_HALF_STEP``) scalar positions."""
    n = outer * inner
    if n == 0:
        return np.zeros((outer, inner), dtype=bool)
    chunk = -(-n // min(threads, n))
    cuts = np.union1d(np.arange(0, n + 1, inner), np.arange(0, n + 1, chunk))
    cuts = np.union1d(cuts, [n])
    starts, stops = cuts[:-1], cuts[1:]
    first_scalar = stops - (stops - starts) % _HALF_STEP
    scalar = np.zeros(n + 1, dtype=np.int8)
    np.add.at(scalar, first_scalar, 1)          # +1 where a scalar tail begins,
    np.add.at(scalar, stops, -1)                # -1 where its stretch ends
    return np.cumsum(scalar[:-1]).astype(bool).reshape(outer, inner)


def _half_softmax(x: np.ndarray, dim: int) -> np.ndarray:
    """float16 softmax as torch's kernels round it, e = exp(x - max) in float32: e / sum(e),
    rounded once; over a dim other than the last, torch's kernel computes some positions in its
    vector form (as over the last dim) and the others in a scalar form, which rounds e to float16
    first (kept in the output) and divides that by the float32 sum of the unrounded e. Which
    positions are which depends on torch's vector width and its thread count
    (``_half_scalar_positions``): ours follows ``torch.get_num_threads()``'s twin."""
    e = _exp32(_half_shift(x, dim))
    s = _sum_over((dim,), e)
    if dim != x.ndim - 1:
        from ... import get_num_threads
        outer, inner = int(np.prod(x.shape[:dim])), int(np.prod(x.shape[dim + 1:]))
        scalar = _half_scalar_positions(outer, inner, get_num_threads())
        rows = e.reshape(outer, x.shape[dim], inner)
        rounded = rows.astype(np.float16).astype(np.float32)
        np.copyto(rows, rounded, where=scalar[:, None, :])
    return (e / s).astype(np.float16)


def _half_log_softmax(x: np.ndarray, dim: int) -> np.ndarray:
    """float16 log_softmax as torch's kernels round it, d = x - max in float32: d - log(s),
    s = sum(exp(d)), rounded once; over the last dim s and log(s) are each rounded to float16
    first (torch's kernel keeps them in float16)."""
    d = _half_shift(x, dim)
    s = _sum_over((dim,), _exp32(d))
    if dim == x.ndim - 1:
        s = np.log(s.astype(np.float16).astype(np.float32)).astype(np.float16).astype(np.float32)
    else:
        s = np.log(s)
    return (d - s).astype(np.float16)


class Softmax(ArrayFunction):
    """out = exp(x - m) / sum(exp(x - m)) along ``dim``, for any per-row m (it cancels): m = 0
    where exp(x) and its sums stay in range, else the row max (``_exp_rows``).
    dL/dx = out * (g - sum(g * out, dim)). float16: both in float32, rounded once."""

    _backward_name = "SoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        require_float(x, _softmax_kernel("softmax", x, dim))
        shape = x.shape
        x = _lift0(x)
        if x.dtype == np.float16:
            out = _half_softmax(x, dim).reshape(shape)
        else:
            e, s, _ = _exp_rows(x, dim)
            e /= s                              # in place: one array, not two
            out = e.reshape(shape)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        y, gg = _lift0(out), _lift0(g)
        half = y.dtype == np.float16
        if half:
            y, gg = _half_in(y), _half_in(gg)
        gx = gg - _sum_over((ctx.dim,), gg, y)
        gx *= y
        if half:
            gx = gx.astype(np.float16)
        return gx.reshape(out.shape), None


class LogSoftmax(ArrayFunction):
    """out = x - m - log(s'),  s' = sum(exp(x - m)) along ``dim``, for any per-row m: m = 0
    where exp(x) and its sums stay in range (``_exp_rows``) and |log s'| <= 16 (its rounding
    then errs by at most ulp(16) / 2, within float32's parity tolerance); else m = max(x),
    whose x - m is exact near the max (s' = s exp(-m) from the unshifted sum s: no second exp).
    dL/dx = g - exp(out) * sum(g, dim) = g - e * (sum(g, dim) / s), e = exp(x - m) with s its
    sum: the forward keeps both, so the backward takes no exp of its own. float16: the
    shifted form in float32, rounded once; its backward takes exp of the rounded out, as
    torch's."""

    _backward_name = "LogSoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        require_float(x, _softmax_kernel("log_softmax", x, dim))
        shape = x.shape
        x = _lift0(x)
        if x.dtype == np.float16:
            out = _half_log_softmax(x, dim).reshape(shape)
            ctx.save_for_backward(out)
            ctx.dim = dim
            return out
        e, s, out = _exp_rows(x, dim, keep_shift=True)  # out: x - m, or None where m = 0
        log_s = np.log(s)  # -inf or NaN for empty or all -inf slices, as torch's
        if out is None and s.size and np.abs(log_s).max() > 16:
            m = np.max(x, axis=dim, keepdims=True)
            wide = s.astype(np.float64) * np.exp(-m.astype(np.float64))
            log_s = np.log(wide).astype(x.dtype)
            out = x - m
        if out is None:
            out = x - log_s
        else:
            out -= log_s
        out = out.reshape(shape)
        # out too: an in-place change of the result before backward raises, as torch's
        ctx.save_for_backward(out, e, s)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, g):
        saved = ctx.saved_tensors
        gg = _lift0(g)
        if len(saved) == 1:  # float16
            out, = saved
            gg = _half_in(gg)
            gx = gg - _exp32(_half_in(_lift0(out))) * _sum_over((ctx.dim,), gg)
            return gx.astype(np.float16).reshape(out.shape), None
        out, e, s = saved
        gx = e * (_sum_over((ctx.dim,), gg) / s)  # empty slices: 0 / 0
        np.subtract(gg, gx, out=gx)
        return gx.reshape(out.shape), None


def _softmax_input(input, dim: int, dtype):
    if dtype is not None:
        input = input.to(dtype)
    return input, _tensor_wrap_dim(dim, input.dim())


def _softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    """torch's legacy choice when ``dim`` is omitted (with its deprecation warning)."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3,
            dtype=None) -> Tensor:
    """exp(x_i) / sum_j exp(x_j) along ``dim``; ``dtype`` casts the input first."""
    if dim is None:
        dim = _softmax_dim("softmax", input.dim(), _stacklevel)
    input, dim = _softmax_input(input, dim, dtype)
    return Softmax.apply(input, dim)


def log_softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3,
                dtype=None) -> Tensor:
    """x_i - log(sum_j exp(x_j)) along ``dim``; ``dtype`` casts the input first."""
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim(), _stacklevel)
    input, dim = _softmax_input(input, dim, dtype)
    return LogSoftmax.apply(input, dim)


def softmin(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3,
            dtype=None) -> Tensor:
    """softmax(-x); ``dtype`` casts -x (as torch's, the negation first)."""
    if dim is None:
        dim = _softmax_dim("softmin", input.dim(), _stacklevel)
    input, dim = _softmax_input(-input, dim, dtype)
    return Softmax.apply(input, dim)


# torch.softmax and torch.log_softmax (and the Tensor methods): ``dim`` is required and ``out=``
# accepted. The package exports them at the top level under torch's names.

# out=: torch lets the inputs require grad here; an out that does is refused
@supports_out("softmax", rule="exact", differentiable=False, overlap=None)
def torch_softmax(input: Tensor, dim: int, dtype=None, *, out: Optional[Tensor] = None) -> Tensor:
    """torch.softmax: exp(x_i) / sum_j exp(x_j) along ``dim`` (``dtype`` casts first)."""
    if not isinstance(input, Tensor):
        raise argument_error(torch_softmax, locals(), "softmax")
    input, dim = _softmax_input(input, dim, dtype)
    return Softmax.apply(input, dim)


@supports_out("log_softmax", rule="exact", differentiable=False, overlap=None)
def torch_log_softmax(input: Tensor, dim: int, dtype=None, *,
                      out: Optional[Tensor] = None) -> Tensor:
    """torch.log_softmax: x_i - log(sum_j exp(x_j)) along ``dim``."""
    if not isinstance(input, Tensor):
        raise argument_error(torch_log_softmax, locals(), "log_softmax")
    input, dim = _softmax_input(input, dim, dtype)
    return LogSoftmax.apply(input, dim)


def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10,
                   dim: int = -1) -> Tensor:
    """softmax((logits + G) / tau) with Gumbel noise G = -log(E), E ~ Exp(1) from torch's
    stream. ``hard``: the one-hot of the argmax in forward, the soft sample's gradient in
    backward (straight-through: y_hard - y_soft.detach() + y_soft)."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    noise = _creation.empty_like(logits).exponential_()
    y_soft = torch_softmax((logits - noise.log()) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = _creation.zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft
