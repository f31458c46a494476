"""Convolution as im2col + one GEMM, and its transpose; ``unfold``/``fold`` (im2col / col2im).

Notation (any number ``d`` of spatial dims; 1-D and 2-D are what torch users call most):

* ``x``: input ``(N, C, *S)``; ``w``: weight ``(O, C/G, *k)`` for ``G`` groups;
  ``K = prod(k)`` kernel offsets; ``L = prod(S_out)`` output positions.
* ``X = im2col(x)``: per sample and group a matrix, ``(N, G, C/G*K, L)``: column ``l`` of
  sample ``n`` holds the receptive field of output position ``l``; rows run over (channel,
  kernel offset), ``F.unfold``'s order. It is read through a strided view of ``x`` and copied
  once.
* ``W``: the weight as matrices ``(G, O/G, C/G*K)``: a reshape of ``w``, no copy.
* ``col2im``: the adjoint of ``im2col``: every entry of a column is added back onto the input
  position it was read from. Overlapping windows accumulate; the loop runs over the ``K`` kernel
  offsets (each one a whole-array add), never over pixels.

With these, a convolution is ``out[n] = W @ X[n]``: one GEMM per sample and group (a single
batched ``matmul``); its backward is ``dW = sum_n g[n] @ X[n]^T`` and ``dx = col2im(W^T @ g)``.
The batch stays the outermost axis throughout, so the GEMM's output already is ``(N, O, *S)``
and the output gradient is read as it comes: no transposing copies around the GEMMs. A
transposed convolution is the same pair read the other way round: its forward is the
convolution's input-gradient. At stride 1 the convolution reads "flat windows" instead of
im2col's strided ones (``conv_windows``): the same GEMMs over rows as long as a padded plane.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..._names import c_type_name, scalar_type_name, shape_str
from ..._ops._arguments import argument_error
from ..._ops._util import c_order, new_zeros
from ..._ops.shape import Reshape
from ..._tensor import Tensor
from ...autograd.function import ArrayFunction
from .conv_blocks import forward_blocked, weight_grad_blocked
from .conv_flat import backward_flat, block_samples, forward_flat, padded_flat
from .conv_phases import input_grad_phases


# -- helpers on ndarrays ---------------------------------------------------------------------------

def conv_out_size(size: int, k: int, stride: int, dilation: int, pad_total: int) -> int:
    """Positions a window of ``k`` taps, ``dilation`` apart, takes along a padded axis."""
    return (size + pad_total - dilation * (k - 1) - 1) // stride + 1


def sliding_windows(x: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple,
                    out: tuple | None = None) -> np.ndarray:
    """Read-only view ``(*lead, *out, *kernel)`` of ``x`` ``(*lead, *S)`` (the windows slide over
    the last ``len(kernel)`` dims): element ``[..., *o, *j]`` is ``x[..., *(o*stride +
    j*dilation)]``. No data is copied."""
    nd = len(kernel)
    spatial = x.shape[-nd:]
    if out is None:
        out = tuple(conv_out_size(s, k, st, d, 0)
                    for s, k, st, d in zip(spatial, kernel, stride, dilation))
    if getattr(type(x), "graph_array", False):
        # create_graph: a strided view cannot be recorded; the same windows, one slice per
        # kernel offset, stacked
        taps = [x[index] for _, index in window_offsets(kernel, stride, dilation, out)]
        return np.stack(taps, axis=-1).reshape(x.shape[:-nd] + tuple(out) + tuple(kernel))
    sp_strides = x.strides[-nd:]
    strides = (x.strides[:-nd] + tuple(s * st for s, st in zip(sp_strides, stride))
               + tuple(s * d for s, d in zip(sp_strides, dilation)))
    return as_strided(x, x.shape[:-nd] + tuple(out) + tuple(kernel), strides, writeable=False)


def window_offsets(kernel: tuple, stride: tuple, dilation: tuple, out: tuple):
    """For each kernel offset ``j`` (row-major, the order torch scans a window): ``(j, index)``
    where ``x[index]`` (``index`` covering the last ``len(kernel)`` dims) is the ``out``-shaped
    array of the values that tap ``j`` sees in every window."""
    for offs in np.ndindex(*kernel):
        yield offs, (Ellipsis,) + tuple(slice(j * d, j * d + s * (o - 1) + 1, s)
                                        for j, d, s, o in zip(offs, dilation, stride, out))


def im2col(xp: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple, groups: int,
           out: tuple) -> np.ndarray:
    """``X`` ``(N, G, C/G*K, L)`` of the (already padded) ``xp`` ``(N, C, *S)``: one copy."""
    n, c = xp.shape[:2]
    cols = unfold_columns(xp, kernel, stride, dilation, out)  # (N, C*K, L), channel-major rows
    return cols.reshape(n, groups, cols.shape[1] // groups, cols.shape[2])


def col2im(cols: np.ndarray, shape: tuple, kernel: tuple, stride: tuple, dilation: tuple,
           out: tuple) -> np.ndarray:
    """Adjoint of :func:`im2col`: ``cols`` ``(N, G, C/G*K, L)`` summed into a zero array of
    ``shape`` ``(N, C, *S)``: one add per kernel offset (``K`` of them)."""
    n, groups, rows, length = cols.shape
    return fold_columns(cols.reshape(n, groups * rows, length), shape, kernel, stride,
                        dilation, out)


def weight_matrix(w: np.ndarray, groups: int) -> np.ndarray:
    """Weight ``(A, B, *k)`` as ``(G, A/G, B*K)`` (a view) with rows in im2col's (channel,
    offset) order. For a convolution ``A = O``, ``B = C/G``; for a transposed one ``A = C``,
    ``B = O/G``."""
    return w.reshape(groups, w.shape[0] // groups, math.prod(w.shape[1:]))


def batched_weight_grad(a: np.ndarray, cols: np.ndarray, shape: tuple) -> np.ndarray:
    """``sum_n a[n] @ cols[n]^T`` for ``a`` ``(N, G, A/G, L)`` and ``cols`` ``(N, G, B*K, L)``,
    as a weight of ``shape`` ``(A, B, *k)``: one batched GEMM, then the sum over the batch
    (computed as ``cols @ a^T``: OpenBLAS is faster with the long ``L`` inside the rows)."""
    per_sample = np.matmul(cols, a.swapaxes(-1, -2))      # (N, G, B*K, A/G)
    return c_order(per_sample.sum(axis=0).swapaxes(1, 2)).reshape(shape)


def as_batched_columns(a: np.ndarray, groups: int) -> np.ndarray:
    """``(N, C, *S)`` as ``(N, G, C/G, L)`` (a view when ``a`` is contiguous)."""
    n, c = a.shape[:2]
    return a.reshape(n, groups, c // groups, math.prod(a.shape[2:]))


def pad_zeros(x: np.ndarray, pads: tuple, value=0) -> np.ndarray:
    """``x`` with ``pads[i] = (before, after)`` entries of ``value`` around the ``i``-th of the
    last ``len(pads)`` dims (no copy if there is no padding)."""
    if not any(lo or hi for lo, hi in pads):
        return x
    nd = len(pads)
    shape = x.shape[:-nd] + tuple(s + lo + hi for s, (lo, hi) in zip(x.shape[-nd:], pads))
    res = new_zeros(x, shape) if value == 0 else np.full_like(x, value, shape=shape)
    res[crop_index(x.shape[-nd:], pads)] = x
    return res


def crop_index(spatial: tuple, pads: tuple) -> tuple:
    """The index that cuts the padding ``pads`` off a padded array, leaving ``spatial``."""
    return (Ellipsis,) + tuple(slice(lo, lo + s) for s, (lo, _) in zip(spatial, pads))


def _crop(a: np.ndarray, spatial: tuple, pads: tuple) -> np.ndarray:
    if a.shape[2:] == tuple(spatial):
        return a
    return c_order(a[crop_index(spatial, pads)])


def unfold_columns(xp: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple,
                   out: tuple) -> np.ndarray:
    """``F.unfold``'s layout ``(N, C*K, L)``: rows channel-major, then kernel offset."""
    n, c = xp.shape[:2]
    win = sliding_windows(xp, kernel, stride, dilation, out)  # (N, C, *out, *k)
    nd = len(kernel)
    perm = (0, 1) + tuple(range(2 + nd, 2 + 2 * nd)) + tuple(range(2, 2 + nd))
    return c_order(win.transpose(perm)).reshape(n, c * math.prod(kernel),
                                                             math.prod(out))


def fold_columns(cols: np.ndarray, shape: tuple, kernel: tuple, stride: tuple,
                 dilation: tuple, out: tuple) -> np.ndarray:
    """Adjoint of :func:`unfold_columns`: ``(N, C*K, L)`` summed into ``shape`` ``(N, C, *S)``."""
    n, c = shape[:2]
    blocks = cols.reshape((n, c) + tuple(kernel) + tuple(out))
    res = new_zeros(cols, shape)
    for offs, target in window_offsets(kernel, stride, dilation, out):
        res[target] += blocks[(slice(None), slice(None)) + offs]
    return res


# -- torch's argument checks, shared by the functions below ----------------------------------------
# torch validates in C++; the messages below are torch's, in torch's order.

def expand_param(value, n: int, name: str) -> tuple:
    """An int or a list of ints as an ``n``-tuple, with torch's error for a wrong length."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),) * n
    if isinstance(value, (tuple, list)):
        if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
            bad = next(v for v in value if not isinstance(v, (int, np.integer)))
            raise TypeError(f"argument '{name}' must be tuple of ints, but found element of "
                            f"type {type(bad).__name__} at pos {list(value).index(bad)}")
        if len(value) == 1:
            return (int(value[0]),) * n
        if len(value) == n:
            return tuple(int(v) for v in value)
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {n} values to match the "
            f"convolution dimensions, but got {name}={shape_str(value)}")
    raise TypeError(f"argument '{name}' must be tuple of ints, not {type(value).__name__}")


def check_dtypes(x, w, b, transposed: bool) -> None:
    """torch's messages from its reference CPU kernels. (For large float32 problems torch routes
    through oneDNN, which words these errors differently.) A transposed convolution casts a bias
    of another floating dtype, as torch's reference kernel does."""
    if w.dtype != x.dtype:
        raise RuntimeError(f"expected scalar type {scalar_type_name(x.dtype)} but found "
                           f"{scalar_type_name(w.dtype)}")
    if b is not None and b.dtype != x.dtype and not transposed:
        raise RuntimeError(f"Input type ({c_type_name(x.dtype)}) and bias type "
                           f"({c_type_name(b.dtype)}) should be the same")


def check_conv_shapes(x, w, b, stride, padding, dilation, groups, transposed: bool,
                      output_padding: tuple = ()) -> None:
    """torch's ``check_shape_forward`` for a batched input ``x`` and padding ``((lo, hi), ...)``."""
    if any(lo < 0 or hi < 0 for lo, hi in padding):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("non-positive dilation is not supported")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if w.ndim != x.ndim:
        raise RuntimeError(
            f"Expected {w.ndim}-dimensional input for {w.ndim}-dimensional weight "
            f"{shape_str(w.shape)}, but got {x.ndim}-dimensional input of size "
            f"{shape_str(x.shape)} instead")
    if w.shape[0] < groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, "
            f"but got weight of size {shape_str(w.shape)} instead")
    if w.shape[0] % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension "
            f"0, but got weight of size [{shape_str(w.shape)}] instead")
    if not transposed:
        if x.shape[1] != w.shape[1] * groups:
            raise RuntimeError(
                f"Given groups={groups}, weight of size {shape_str(w.shape)}, expected "
                f"input{shape_str(x.shape)} to have {w.shape[1] * groups} channels, but got "
                f"{x.shape[1]} channels instead")
        if b is not None and (b.ndim != 1 or b.shape[0] != w.shape[0]):
            raise RuntimeError(
                f"Given weight of size {shape_str(w.shape)}, expected bias to be "
                f"1-dimensional with {w.shape[0]} elements, but got bias of size "
                f"{shape_str(b.shape)} instead")
        padded = [s + lo + hi for s, (lo, hi) in zip(x.shape[2:], padding)]
        kern = [d * (k - 1) + 1 for d, k in zip(dilation, w.shape[2:])]
        if any(k > p for k, p in zip(kern, padded)):
            raise RuntimeError(
                f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
                f"Kernel size: ({' x '.join(map(str, kern))}). Kernel size can't be greater "
                "than actual input size")
    else:
        if x.shape[1] != w.shape[0]:
            raise RuntimeError(
                f"Given transposed=1, weight of size {shape_str(w.shape)}, expected "
                f"input{shape_str(x.shape)} to have {w.shape[0]} channels, but got "
                f"{x.shape[1]} channels instead")
        o = w.shape[1] * groups
        if b is not None and (b.ndim != 1 or b.shape[0] != o):
            raise RuntimeError(
                f"Given transposed=1, weight of size {shape_str(w.shape)}, expected bias to be "
                f"1-dimensional with {o} elements, but got bias of size "
                f"{shape_str(b.shape)} instead")


def _as_2d_names(vals: tuple) -> tuple:
    """torch runs 1-D transposed convolutions as 2-D ones with a height of 1 (0 for padding)."""
    return vals if len(vals) != 1 else (0,) + tuple(vals)


def check_transposed_output(x_shape, w_shape, stride, padding, output_padding, dilation):
    """Output padding below stride or dilation, and a positive output size (torch's messages)."""
    nd = len(stride)
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        names = ("height", "width") if nd <= 2 else ("depth", "height", "width")
        op2 = _as_2d_names(output_padding)
        st2 = stride if nd != 1 else (1,) + tuple(stride)
        di2 = dilation if nd != 1 else (1,) + tuple(dilation)
        parts = [f"output_padding_{n}: {v}" for n, v in zip(names, op2)]
        parts += [f"stride_{n}: {v}" for n, v in zip(names, st2)]
        parts += [f"dilation_{n}: {v}" for n, v in zip(names, di2)]
        raise RuntimeError("output padding must be smaller than either stride or dilation, but "
                           "got " + " ".join(parts))
    out = tuple((s - 1) * st - 2 * p + d * (k - 1) + 1 + op for s, st, p, d, k, op in
                zip(x_shape[2:], stride, padding, dilation, w_shape[2:], output_padding))
    if any(o <= 0 for o in out):
        ins = x_shape[2:] if nd != 1 else (1,) + tuple(x_shape[2:])
        outs = out if nd != 1 else (1,) + out
        raise RuntimeError(
            f"Given input size per channel: ({' x '.join(map(str, ins))}). Calculated output "
            f"size per channel: ({' x '.join(map(str, outs))}). Output size is too small")
    return out


def _bind(value, nd: int):
    """What torch's argument parser makes of an int for an ``int[nd]`` parameter."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),) * nd
    return value


def _check_tensor(x, fname: str, what: str = "input"):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fname}(): argument '{what}' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")


def _new_view(input, x):
    """``input.unsqueeze(0)`` through the differentiable reshape op."""
    return Reshape.apply(input, x.shape, False)


def _squeeze0(out):
    return Reshape.apply(out, out.shape[1:], False)


def _pair_checked(value, name: str, what: str) -> tuple:
    if isinstance(value, (int, np.integer)):
        return (int(value),) * 2
    value = tuple(value)
    if len(value) == 1:
        return (int(value[0]),) * 2
    if len(value) != 2:
        raise RuntimeError(f"It is expected {what} equals to 2, but got size {len(value)}")
    return tuple(int(v) for v in value)


# -- convolution -----------------------------------------------------------------------------------

class Convolution(ArrayFunction):
    """Cross-correlation with stride, zero padding, dilation and ``G`` groups (per sample n
    and group g)::

        X[n] = im2col(pad(x))[n]            (C/G*K, L)
        out[n] = W @ X[n] + b               W: (O/G, C/G*K)  -> (O/G, L)

    Backward, with ``g[n]`` the output gradient of sample ``n`` as ``(O/G, L)``::

        dL/dW = sum_n g[n] @ X[n]^T         one batched GEMM, a sum over n
        dL/dx = crop(col2im(W^T @ g))       one batched GEMM, K strided adds
        dL/db = sum of g over batch and positions

    With stride 1 (on ndarrays) the same GEMMs read "flat windows" of a zero-padded copy of
    ``x`` (see :mod:`.conv_windows`): tap ``j`` of every window is one shifted slice of the
    flattened plane, so the columns are copied as plane-long runs, per block of samples that
    stays in cache for its GEMM, or not copied at all (one GEMM per tap on a view), and
    ``dL/dx`` is the correlation of the padded ``g`` with the flipped kernel, channels swapped
    (:func:`backward_flat`), in place of col2im's ``K`` strided adds. Only ``x`` is saved
    (as torch's node saves its input); backward pads it again, or builds its columns again,
    for ``dL/dW``: the input is kept anyway, and a saved copy (padded, or the columns: 4.5x
    ``x`` at stride 2) would hold memory until backward that the allocator otherwise reuses.
    """

    _backward_name = "ConvolutionBackward0"
    # input, weight, bias (listed when absent, as torch's undefined tensor)
    _listed_args = (0, 1, 2)

    @staticmethod
    def forward(ctx, x, w, b, stride, pads, dilation, groups):
        kernel = w.shape[2:]
        ctx.has_bias = b is not None
        ctx.stride1 = all(s == 1 for s in stride)
        # flat windows when the columns they copy are at least as many as the output rows
        # whose junk columns they cut off afterwards (a stem of 1-3 channels takes im2col)
        ctx.flat = (ctx.stride1 and type(x) is np.ndarray and type(w) is np.ndarray
                    and x.shape[1] * math.prod(kernel) >= w.shape[0])
        if ctx.flat:
            ctx.save_for_backward(w, x)
            out, _, ctx.geom = forward_flat(x, w, b, pads, dilation, groups)
            return out
        xp_shape = x.shape[:2] + tuple(s + lo + hi for s, (lo, hi) in zip(x.shape[2:], pads))
        out_sp = tuple(conv_out_size(s, k, st, d, 0)
                       for s, k, st, d in zip(xp_shape[2:], kernel, stride, dilation))
        if type(x) is np.ndarray and type(w) is np.ndarray:
            out = forward_blocked(x, w, pads, stride, dilation, groups, out_sp)
        else:
            cols = im2col(pad_zeros(x, pads), kernel, stride, dilation, groups, out_sp)
            out = np.matmul(weight_matrix(w, groups), cols).reshape(
                (x.shape[0], w.shape[0]) + out_sp)
        if b is not None:
            out += b.reshape((-1,) + (1,) * len(out_sp))
        ctx.save_for_backward(w, x)
        ctx.geom = (x.shape, xp_shape, kernel, stride, pads, dilation, groups, out_sp)
        return out

    @staticmethod
    def backward(ctx, g):
        w, x = ctx.saved_tensors
        x_shape, xp_shape, kernel, stride, pads, dilation, groups, out_sp = ctx.geom
        gm = as_batched_columns(g, groups)
        gx = gw = gb = None
        need_x, need_w = ctx.needs_input_grad[:2]
        if ctx.stride1 and type(g) is np.ndarray and type(w) is np.ndarray:
            # the flat input gradient multiplies w by g's zero padding too, which an inf or NaN
            # of w turns into NaN where torch's col2im (which adds only real windows) has none
            flat_x = need_x and bool(np.isfinite(w).all())
            flat_w = need_w and ctx.flat
            if flat_x or flat_w:
                xflat = padded_flat(x, ctx.geom) if flat_w else None
                gx, gw = backward_flat(g, w, xflat, ctx.geom, flat_x, flat_w)
            # a non-finite flat-window weight gradient is recomputed (see backward_flat)
            need_x = need_x and not flat_x
            need_w = need_w and (gw is None or not np.isfinite(gw).all())
        if need_x and _phases_pay(g, w, stride):
            gx = input_grad_phases(g, w, x_shape, pads, stride, dilation, groups)
            need_x = False
        if need_x:
            gcols = np.matmul(weight_matrix(w, groups).swapaxes(1, 2), gm)
            gxp = col2im(gcols, xp_shape, kernel, stride, dilation, out_sp)
            gx = _crop(gxp, x_shape[2:], pads)
        if need_w:
            gw = _weight_grad_blocked(gm, x, w.shape, ctx.geom)
        if ctx.has_bias and ctx.needs_input_grad[2]:
            gb = gm.sum(axis=3).sum(axis=0).reshape(-1)
        return gx, gw, gb, None, None, None, None


def _weight_grad_blocked(gm, x, w_shape, geom):
    """:class:`Convolution`'s ``dL/dW = sum_n g[n] @ X[n]^T`` with the columns ``X`` built
    again from the saved input (so that a change made through ``.data`` shows, as in torch),
    per block of samples whose columns fit the L2 cache (``conv_flat._BLOCK_BYTES``): the GEMM
    reads them from cache, and no batch-sized column array is allocated (on ndarrays:
    :func:`.conv_blocks.weight_grad_blocked`, into buffers kept across the blocks)."""
    x_shape, _, kernel, stride, pads, dilation, groups, out_sp = geom
    if type(x) is np.ndarray and type(gm) is np.ndarray:
        return weight_grad_blocked(gm, x, w_shape, pads, stride, dilation, groups, out_sp)
    n = x_shape[0]
    rows, length = x_shape[1] * math.prod(kernel), math.prod(out_sp)
    block = block_samples(rows * length * x.itemsize, n)
    if block >= n:
        cols = im2col(pad_zeros(x, pads), kernel, stride, dilation, groups, out_sp)
        return batched_weight_grad(gm, cols, w_shape)
    gw_t = None
    for n0 in range(0, n, block):
        cols = im2col(pad_zeros(x[n0:n0 + block], pads), kernel, stride, dilation, groups,
                      out_sp)
        part = np.matmul(cols, gm[n0:n0 + block].swapaxes(-1, -2)).sum(axis=0)
        gw_t = part if gw_t is None else gw_t.__iadd__(part)
    return c_order(gw_t.swapaxes(1, 2)).reshape(w_shape)


def _phases_pay(g, w, stride, any_stride: bool = False) -> bool:
    """Whether a strided input gradient takes the phase split (:mod:`.conv_phases`): ndarrays,
    more than one kernel offset (a 1x1 kernel's col2im is one strided copy), a finite weight
    (its junk columns are zeros times ``w``)."""
    return ((any_stride or any(s != 1 for s in stride)) and type(g) is np.ndarray
            and type(w) is np.ndarray and math.prod(w.shape[2:]) > 1
            and bool(np.isfinite(w).all()))


def _conv(input, weight, bias, stride, padding, dilation, groups: int, nd: int, name: str):
    """``conv{nd}d``: validate like torch, handle unbatched input and padding strings, and
    apply :class:`Convolution`."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)
            and (bias is None or isinstance(bias, Tensor))):
        raise argument_error(conv1d, dict(input=input, weight=weight, bias=bias, stride=stride,
                                          padding=padding, dilation=dilation, groups=groups),
                             name)
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got "
            f"input of size: {shape_str(input.shape)}")
    if isinstance(padding, str) and padding not in ("same", "valid"):
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)):
        raise TypeError(f"{name}(): argument 'groups' must be int, not {type(groups).__name__}")
    unbatched = input.dim() == nd + 1
    x = input._data[None] if unbatched else input._data
    w = weight._data
    b = None if bias is None else bias._data
    wd = max(w.ndim - 2, 1)
    stride = expand_param(_bind(stride, nd), wd, "stride")
    if isinstance(padding, str):
        dilation = expand_param(_bind(dilation, nd), wd, "dilation")
        if padding == "valid":
            pads = ((0, 0),) * wd
        else:
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            # torch puts the odd pixel of an asymmetric 'same' padding on the far side
            if any(d * (k - 1) % 2 for d, k in zip(dilation, w.shape[2:])):
                warnings.warn("Using padding='same' with even kernel lengths and odd dilation "
                              "may require a zero-padded copy of the input be created",
                              UserWarning, stacklevel=3)
            pads = tuple((d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2)
                         for d, k in zip(dilation, w.shape[2:]))
    else:
        pads = tuple((p, p) for p in expand_param(_bind(padding, nd), wd, "padding"))
        dilation = expand_param(_bind(dilation, nd), wd, "dilation")
    check_conv_shapes(x, w, b, stride, pads, dilation, int(groups), False)
    check_dtypes(x, w, b, False)
    xt = _new_view(input, x) if unbatched else input
    out = Convolution.apply(xt, weight, bias, stride, pads, dilation, int(groups))
    return _squeeze0(out) if unbatched else out


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """1-D cross-correlation over ``(N, C, L)`` or unbatched ``(C, L)`` input; ``padding`` may
    be ``'same'`` or ``'valid'``. See :class:`Convolution`."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """2-D cross-correlation over ``(N, C, H, W)`` or unbatched ``(C, H, W)`` input."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """3-D cross-correlation over ``(N, C, D, H, W)`` or unbatched ``(C, D, H, W)`` input."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


# -- transposed convolution ------------------------------------------------------------------------

class ConvolutionTranspose(ArrayFunction):
    """Transposed convolution: the adjoint of :class:`Convolution` with respect to its input,
    with weight ``w`` of shape ``(C, O/G, *k)`` (per sample n and group g; ``x[n]`` read as
    ``(C/G, L_in)``)::

        full = col2im(W^T @ x)              W: (C/G, O/G*K)
        out  = crop(full, padding) + b      (output_padding extends the far side)

    Backward: ``Y = im2col(pad(g))`` reads the output gradient back onto input positions::

        dL/dx = W @ Y                       one batched GEMM
        dL/dW = sum_n x[n] @ Y[n]^T         one batched GEMM, a sum over n
        dL/db = sum of g over batch and positions

    On ndarrays the forward is the input gradient of the convolution it transposes through
    phase planes (:func:`.conv_phases.input_grad_phases`; any stride, a kernel of 2+ offsets,
    a finite weight), and the backward's columns are built and used per block of samples
    (:func:`_transpose_backward_blocked`); at stride 1 the backward is a flat-window
    convolution of ``g`` and its weight gradient (:func:`_transpose_backward_flat`).
    """

    _backward_name = "ConvolutionBackward0"
    # input, weight, bias (listed when absent, as torch's undefined tensor)
    _listed_args = (0, 1, 2)

    @staticmethod
    def forward(ctx, x, w, b, stride, padding, output_padding, dilation, groups):
        n = x.shape[0]
        kernel = w.shape[2:]
        o = w.shape[1] * groups
        in_sp = x.shape[2:]
        full_sp = tuple((s - 1) * st + d * (k - 1) + 1 + op for s, st, d, k, op in
                        zip(in_sp, stride, dilation, kernel, output_padding))
        xm = as_batched_columns(x, groups)
        pads = tuple((p, p) for p in padding)
        out_sp = tuple(f - 2 * p for f, p in zip(full_sp, padding))
        if _phases_pay(x, w, stride, any_stride=True):
            # the input gradient of the convolution it transposes (its output cropped)
            out = input_grad_phases(x, w, (n, o) + out_sp, pads, stride, dilation, groups)
        else:
            cols = np.matmul(weight_matrix(w, groups).swapaxes(1, 2), xm)
            full = col2im(cols, (n, o) + full_sp, kernel, stride, dilation, in_sp)
            out = _crop(full, out_sp, pads)
        if b is not None:
            out += b.reshape((o,) + (1,) * len(out_sp))
        ctx.save_for_backward(w, x)
        ctx.geom = (x.shape, kernel, stride, pads, dilation, groups, in_sp)
        ctx.has_bias = b is not None
        return out

    @staticmethod
    def backward(ctx, g):
        w, x = ctx.saved_tensors
        x_shape, kernel, stride, pads, dilation, groups, in_sp = ctx.geom
        xm = as_batched_columns(x, groups)
        # With output_padding >= stride (allowed when dilation is larger) the padded gradient
        # holds more windows than there were inputs: only the first ``in_sp`` are read.
        gx = gw = gb = None
        need_x, need_w = ctx.needs_input_grad[:2]
        arrays = type(g) is np.ndarray and type(w) is np.ndarray
        if arrays and (need_x or need_w) and _flat_transpose(g.shape, w.shape, ctx.geom):
            gx, gw = _transpose_backward_flat(g, w, xm, ctx.geom, need_x, need_w)
            # a non-finite flat-window weight gradient is recomputed (see backward_flat)
            need_x, need_w = False, need_w and gw is None
        gp = pad_zeros(g, pads) if need_x or need_w else None
        if arrays and (need_x or need_w):
            bx, bw = _transpose_backward_blocked(gp, w, xm, ctx.geom, need_x, need_w)
            gx, gw = (bx if need_x else gx), (bw if need_w else gw)
            need_x = need_w = False
        cols = im2col(gp, kernel, stride, dilation, groups, in_sp) if need_x or need_w else None
        if need_x:
            gx = np.matmul(weight_matrix(w, groups), cols).reshape(x_shape)
        if need_w:
            gw = batched_weight_grad(xm, cols, w.shape)
        if ctx.has_bias and ctx.needs_input_grad[2]:
            gb = g.sum(axis=(0,) + tuple(range(2, g.ndim)))
        return gx, gw, gb, None, None, None, None, None


def _flat_transpose(g_shape: tuple, w_shape: tuple, geom) -> bool:
    """Whether :class:`ConvolutionTranspose`'s backward takes the flat windows: stride 1, as
    many windows of the padded ``g`` as there were inputs (an ``output_padding`` past the
    kernel's reach gives more), and no stem-like channel ratio (see ``Convolution.forward``)."""
    x_shape, kernel, stride, pads, dilation, _, in_sp = geom
    windows = tuple(s + lo + hi - d * (k - 1)
                    for s, (lo, hi), d, k in zip(g_shape[2:], pads, dilation, kernel))
    return (all(st == 1 for st in stride) and windows == tuple(in_sp)
            and g_shape[1] * math.prod(kernel) >= w_shape[0])


def _transpose_backward_flat(g, w, xm, geom, need_x: bool, need_w: bool):
    """:class:`ConvolutionTranspose`'s backward at stride 1: a convolution of ``g`` with ``w``
    (read as a convolution's ``(C, O/G, *k)`` weight) and that convolution's weight gradient,
    with ``x`` in the place of its output gradient::

        dL/dx = conv(g, w, padding)         flat windows of the padded g (forward_flat)
        dL/dW = sum_n x[n] @ Y[n]^T         Y: the same windows (backward_flat)

    ``dL/dW`` is None when it comes out non-finite (the caller recomputes it by im2col: a junk
    column of x's wide grid is a zero, which only an inf or NaN of g there would show)."""
    x_shape, _, _, pads, dilation, groups, _ = geom
    gx, gflat, conv_geom = forward_flat(g, w, None, pads, dilation, groups)
    gw = None
    if need_w:
        gw = backward_flat(xm.reshape(x_shape), w, gflat, conv_geom, False, True)[1]
        gw = gw if np.isfinite(gw).all() else None
    return (gx if need_x else None), gw


def _transpose_backward_blocked(gp, w, xm, geom, need_x: bool, need_w: bool):
    """:class:`ConvolutionTranspose`'s ``dL/dx = W @ Y`` and ``dL/dW = sum_n x[n] @ Y[n]^T``
    per block of samples whose columns ``Y`` fit the L2 cache (``conv_flat._BLOCK_BYTES``): both
    read the block's columns from cache, and no batch-sized column array is allocated."""
    x_shape, kernel, stride, _, dilation, groups, in_sp = geom
    n = x_shape[0]
    wm = weight_matrix(w, groups)
    rows, length = wm.shape[2], math.prod(in_sp)
    block = block_samples(groups * rows * length * gp.itemsize, n)
    gx = np.empty(x_shape, dtype=gp.dtype) if need_x else None
    gw_t = np.zeros((groups, rows, wm.shape[1]), dtype=gp.dtype) if need_w else None
    for n0 in range(0, n, block):
        nb = min(block, n - n0)
        cols = im2col(gp[n0:n0 + nb], kernel, stride, dilation, groups, in_sp)
        if need_x:
            np.matmul(wm, cols, out=gx[n0:n0 + nb].reshape(nb, groups, -1, length))
        if need_w:
            part = np.matmul(cols, xm[n0:n0 + nb].swapaxes(-1, -2))
            gw_t += part.sum(axis=0) if nb > 1 else part[0]
    gw = c_order(gw_t.swapaxes(1, 2)).reshape(w.shape) if need_w else None
    return gx, gw


def _conv_transpose(input, weight, bias, stride, padding, output_padding, groups: int,
                    dilation, nd: int, name: str):
    """``conv_transpose{nd}d``: torch's checks, then :class:`ConvolutionTranspose`."""
    _check_tensor(input, name)
    _check_tensor(weight, name, "weight")
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got "
            f"input of size: {shape_str(input.shape)}")
    if isinstance(padding, str):
        raise TypeError(f"{name}(): argument 'padding' must be tuple of ints, not str")
    unbatched = input.dim() == nd + 1
    x = input._data[None] if unbatched else input._data
    w = weight._data
    b = None if bias is None else bias._data
    wd = max(w.ndim - 2, 1)
    stride = expand_param(_bind(stride, nd), wd, "stride")
    padding = expand_param(_bind(padding, nd), wd, "padding")
    output_padding = expand_param(_bind(output_padding, nd), wd, "output_padding")
    dilation = expand_param(_bind(dilation, nd), wd, "dilation")
    check_conv_shapes(x, w, b, stride, tuple((p, p) for p in padding), dilation, int(groups),
                      True, output_padding)
    check_dtypes(x, w, b, True)
    check_transposed_output(x.shape, w.shape, stride, padding, output_padding, dilation)
    xt = _new_view(input, x) if unbatched else input
    out = ConvolutionTranspose.apply(xt, weight, bias, stride, padding, output_padding,
                                     dilation, int(groups))
    return _squeeze0(out) if unbatched else out


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1,
                     padding=0, output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """1-D transposed convolution (the input-gradient of ``conv1d``); weight ``(C, O/G, k)``."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)
            and (bias is None or isinstance(bias, Tensor))):
        raise argument_error(conv_transpose1d, locals(), tensors=("input", "weight", "bias"))
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                           dilation, 1, "conv_transpose1d")


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1,
                     padding=0, output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """2-D transposed convolution (the input-gradient of ``conv2d``); weight
    ``(C, O/G, kh, kw)``."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)
            and (bias is None or isinstance(bias, Tensor))):
        raise argument_error(conv_transpose2d, locals(), tensors=("input", "weight", "bias"))
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                           dilation, 2, "conv_transpose2d")


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1,
                     padding=0, output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """3-D transposed convolution (the input-gradient of ``conv3d``)."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)
            and (bias is None or isinstance(bias, Tensor))):
        raise argument_error(conv_transpose3d, locals(), tensors=("input", "weight", "bias"))
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                           dilation, 3, "conv_transpose3d")


# -- unfold (im2col) and fold (col2im) -------------------------------------------------------------

class Im2Col(ArrayFunction):
    """``F.unfold``: ``out = unfold_columns(pad(x))``, shape ``(N, C*K, L)``.
    dL/dx = crop(fold_columns(g))."""

    _backward_name = "Im2ColBackward0"

    @staticmethod
    def forward(ctx, x, kernel, dilation, pads, stride, out_sp):
        xp = pad_zeros(x, pads)
        ctx.geom = (x.shape, xp.shape, kernel, dilation, pads, stride, out_sp)
        return unfold_columns(xp, kernel, stride, dilation, out_sp)

    @staticmethod
    def backward(ctx, g):
        x_shape, xp_shape, kernel, dilation, pads, stride, out_sp = ctx.geom
        gxp = fold_columns(g, xp_shape, kernel, stride, dilation, out_sp)
        return _crop(gxp, x_shape[2:], pads), None, None, None, None, None


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sliding local blocks of a ``(N, C, H, W)`` input as ``(N, C*kh*kw, L)`` columns (im2col;
    2-D spatial only, as in torch)."""
    if not isinstance(input, Tensor):
        raise argument_error(unfold, locals(), name="im2col")
    _check_tensor(input, "unfold")
    k = _pair_checked(kernel_size, "unfold", "kernel_size")
    d = _pair_checked(dilation, "unfold", "dilation")
    p = _pair_checked(padding, "unfold", "padding")
    s = _pair_checked(stride, "unfold", "stride")
    if k[0] <= 0 or k[1] <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kernel_height: "
                           f"{k[0]} kernel_width: {k[1]}")
    if d[0] <= 0 or d[1] <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilation_height: "
                           f"{d[0]} dilation_width: {d[1]}")
    if p[0] < 0 or p[1] < 0:
        raise RuntimeError(f"padding should be non-negative, but got pad_height: {p[0]} "
                           f"pad_width: {p[1]}")
    if s[0] <= 0 or s[1] <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got stride_height: {s[0]} "
                           f"stride_width: {s[1]}")
    shape = input.shape
    ok = (len(shape) == 3 and shape[0] and shape[1] and shape[2]) or \
         (len(shape) == 4 and shape[1] and shape[2] and shape[3])
    if not ok:
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
            f"dimensions for input, but got: {shape_str(shape)}")
    hw = shape[-2:]
    out = tuple(conv_out_size(n, kk, ss, dd, 2 * pp) for n, kk, ss, dd, pp in zip(hw, k, s, d, p))
    if out[0] < 1 or out[1] < 1:
        raise RuntimeError(
            f"Given input with spatial size ({hw[0]}, {hw[1]}), kernel_size=({k[0]}, {k[1]}), "
            f"dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), calculated shape of the array "
            f"of sliding blocks as ({out[0]}, {out[1]}), but its components must be at least "
            "one.")
    unbatched = len(shape) == 3
    xt = _new_view(input, input._data[None]) if unbatched else input
    res = Im2Col.apply(xt, k, d, ((p[0], p[0]), (p[1], p[1])), s, out)
    return _squeeze0(res) if unbatched else res


class Col2Im(ArrayFunction):
    """``F.fold``: ``out = crop(fold_columns(cols))``, summing overlapping windows.
    dL/dcols = unfold_columns(pad(g))."""

    _backward_name = "Col2ImBackward0"

    @staticmethod
    def forward(ctx, cols, shape, kernel, dilation, pads, stride, blocks):
        padded = shape[:2] + tuple(s + lo + hi for s, (lo, hi) in zip(shape[2:], pads))
        full = fold_columns(cols, padded, kernel, stride, dilation, blocks)
        ctx.geom = (kernel, dilation, pads, stride, blocks)
        return _crop(full, shape[2:], pads)

    @staticmethod
    def backward(ctx, g):
        kernel, dilation, pads, stride, blocks = ctx.geom
        return (unfold_columns(pad_zeros(g, pads), kernel, stride, dilation, blocks),
                None, None, None, None, None, None)


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sum ``(N, C*kh*kw, L)`` columns back into a ``(N, C, *output_size)`` image (col2im)."""
    if not isinstance(input, Tensor):
        raise argument_error(fold, locals(), name="col2im")
    _check_tensor(input, "fold")
    o = _pair_checked(output_size, "fold", "output_size")
    k = _pair_checked(kernel_size, "fold", "kernel_size")
    d = _pair_checked(dilation, "fold", "dilation")
    p = _pair_checked(padding, "fold", "padding")
    s = _pair_checked(stride, "fold", "stride")
    if k[0] <= 0 or k[1] <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kernel_height: "
                           f"{k[0]} kernel_width: {k[1]}")
    if s[0] <= 0 or s[1] <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got stride_height: {s[0]} "
                           f"stride_width: {s[1]}")
    if d[0] <= 0 or d[1] <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilation_height: "
                           f"{d[0]} dilation_width: {d[1]}")
    if p[0] < 0 or p[1] < 0:
        raise RuntimeError(f"padding should be non-negative, but got pad_height: {p[0]} "
                           f"pad_width: {p[1]}")
    shape = input.shape
    if not ((len(shape) == 2 and shape[0] and shape[1]) or
            (len(shape) == 3 and shape[1] and shape[2])):
        raise RuntimeError(
            "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and "
            f"non-zero dimensions for input, but got: {shape_str(shape)}")
    planes, length = shape[-2], shape[-1]
    if planes % (k[0] * k[1]):
        raise RuntimeError(
            "Expected size of input's dimension 1 to be divisible by the product of kernel_size, "
            f"but got input.size(1)={planes} and kernel_size=({k[0]}, {k[1]}).")
    blocks = tuple(conv_out_size(n, kk, ss, dd, 2 * pp)
                   for n, kk, ss, dd, pp in zip(o, k, s, d, p))
    desc = (f"Given output_size=({o[0]}, {o[1]}), kernel_size=({k[0]}, {k[1]}), "
            f"dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), stride=({s[0]}, {s[1]}), ")
    if length != blocks[0] * blocks[1]:
        raise RuntimeError(
            desc + "expected size of input's dimension 2 to match the calculated number of "
            f"sliding blocks {blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]}, but got "
            f"input.size(2)={length}.")
    if blocks[0] < 1 or blocks[1] < 1:
        raise RuntimeError(
            desc + f"calculated shape of the array of sliding blocks as ({blocks[0]}, "
            f"{blocks[1]}), which is too small (non-positive)")
    unbatched = len(shape) == 2
    xt = _new_view(input, input._data[None]) if unbatched else input
    n = xt.shape[0]
    res = Col2Im.apply(xt, (n, planes // (k[0] * k[1])) + o, k, d,
                       ((p[0], p[0]), (p[1], p[1])), s, blocks)
    return _squeeze0(res) if unbatched else res
