"""torch's CPU random streams, reproduced: the same seed gives the same numbers as torch.

Everything here draws from a :class:`Generator` (``_generator.py``), which holds a Mersenne
Twister (MT19937, seeded like torch: ``init_genrand`` of the seed's low 32 bits; NumPy's
``np.random.MT19937`` produces the raw words) plus torch's cache of one spare normal value. Each
distribution consumes the stream the way torch's CPU kernels do:

==========================  ========================================================================
draw                        words consumed per element and transform (``w`` = one 32-bit word,
                            ``W`` = two words ``(w1 << 32) | w2``)
==========================  ========================================================================
uniform float32             ``w & (2**24-1)`` times ``2**-24``, then ``x * (to - from) + from``
uniform float64             ``W & (2**53-1)`` times ``2**-53``, same affine map
normal, >= 16 elements,     uniforms for every element first; Box-Muller on blocks of 16
contiguous                  (``u1 = 1 - x[j]``, ``u2 = x[j+8]``); a ragged tail redraws the last 16
normal, otherwise           per element one double normal from two float64 uniforms
                            ``r = sqrt(-2 log1p(-u2))``, ``theta = 2 pi u1``: the value is
                            ``r cos(theta)`` and ``r sin(theta)`` is cached in the generator for the
                            next scalar normal draw (this cache survives across calls)
bernoulli(p) scalar p       float64 uniform ``< p``
bernoulli(p) tensor p       float32 uniform ``< p`` for float32 p, float64 uniform for float64 p
randint / random_(a, b)     ``w % (b - a) + a`` (``W`` when ``b - a >= 2**28``)
random_() on int64/float64  ``W`` modulo the dtype's range; other dtypes ``w``
randperm(n)                 ``n - 1`` words: swap ``i`` with ``i + w % (n - i)`` (small n)
exponential_(lambd)         ``-1/lambd * log1p(-u)`` with a float64 uniform
multinomial                 with replacement: one float64 uniform per sample and a CDF search;
                            without: ``argmax``/``topk`` of ``p / Exp(1)`` noise
==========================  ========================================================================

Float math. torch computes float32 Box-Muller with the Cephes polynomials of ``avx_mathfun.h``
(``log256_ps``, ``sincos256_ps``) and fused multiply-adds; we evaluate the same polynomials in
float32 with the same fusions. Float64 transcendental functions come from the C library (as in
torch), and ``a * b + c`` is fused as torch's compiler fuses it (``_cpu_math.py``). See
``docs/random.md`` for what is bit-identical and what is within one ulp.
"""
from __future__ import annotations

import builtins
import math

import numpy as np

from . import _dtype
from ._names import c_type_name, scalar_type_name
from ._cpu_math import _cephes_log32, _cephes_sincos32, _fma32, _fma64, _libm
from ._creation import _factory_size, _size, _type_name
from ._generator import Generator
from ._numpy_errors import quiet
from ._random_checks import (check_cauchy, check_exponential, check_geometric, check_log_normal,
                             check_normal, check_normal_std, check_normal_tensor_std,
                             check_randperm_dtype, check_randperm_n,
                             not_implemented, _first_is_int, randint_arguments,
                             sampler_size_overloads, random_arguments,
                             random_range)
from ._ops._arguments import argument_error
from ._ops.inplace import apply_inplace
from ._ops.out import check_out_grad, factory_dtype, factory_write, write_out
from ._tensor import Tensor, _check_device, _new_tensor, allocate
from .autograd.function import ArrayFunction
from .autograd.grad_mode import _state

__all__ = [
    "Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
    "set_rng_state", "fork_rng", "rand", "rand_like", "randn", "randn_like", "randint",
    "randint_like", "randperm", "bernoulli", "multinomial", "normal", "dropout_mask",
]

default_generator = Generator()
default_generator.seed()  # like torch, an unseeded process starts from a nondeterministic seed


def _gen(generator) -> Generator:
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError(
            f"expected a minitorch_ref.Generator, got {type(generator).__name__}")
    return generator


def manual_seed(seed) -> Generator:
    """Seed the default generator; returns it (as torch does)."""
    return default_generator.manual_seed(builtins.int(seed) if isinstance(seed, builtins.float)
                                         else seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    default_generator.set_state(new_state)


class fork_rng:
    """Context manager: the default generator's state is restored on exit."""

    def __init__(self, devices=None, enabled: bool = True, **kwargs) -> None:
        self.enabled = enabled

    def __enter__(self):
        if self.enabled:
            self._state = get_rng_state()
        return None

    def __exit__(self, *exc) -> None:
        if self.enabled:
            set_rng_state(self._state)


# ==================================================================================================
# Float32 Box-Muller, as torch's AVX2 kernel computes it (Cephes polynomials, fused multiply-adds)
# ==================================================================================================

_F = np.float32
_BOX_MULLER_ROWS = 4096  # blocks of 16 per pass: the float32 temporaries stay in cache


def _box_muller_blocks(u: np.ndarray, mean: float, std: float, out=None) -> np.ndarray:
    """Normals from uniforms, 16 at a time: element ``j`` and ``j + 8`` of each block become
    ``r cos(theta)`` and ``r sin(theta)`` with ``r = sqrt(-2 log(1 - u[j]))``,
    ``theta = 2 pi u[j + 8]``. Then ``value * std + mean`` (fused). ``out`` (the shape of ``u``)
    may be ``u`` itself."""
    blocks = u.reshape(-1, 16)
    u1, u2 = blocks[:, :8], blocks[:, 8:]
    out = np.empty_like(u) if out is None else out
    ob = out.reshape(-1, 16)
    if u.dtype == np.float32:
        for i in range(0, len(blocks), _BOX_MULLER_ROWS):
            rows = slice(i, i + _BOX_MULLER_ROWS)
            r = np.sqrt(_F(-2) * _cephes_log32(_F(1) - u1[rows]))
            sin, cos = _cephes_sincos32(_F(2.0 * math.pi) * u2[rows])
            np.multiply(r, cos, out=ob[rows, :8])
            np.multiply(r, sin, out=ob[rows, 8:])
            if std == 1:  # the fused multiply-add is a float32 add (-0.0 + 0.0 is +0.0)
                ob[rows] += _F(mean)
            else:
                ob[rows] = _fma32(ob[rows], _F(std), _F(mean))
        return out
    r = np.sqrt(-2.0 * _libm(np.log, 1.0 - u1))
    theta = 2.0 * math.pi * u2
    np.multiply(r, _libm(np.cos, theta), out=ob[:, :8])
    np.multiply(r, _libm(np.sin, theta), out=ob[:, 8:])
    if mean == 0:
        if std != 1:
            np.multiply(ob, std, out=ob)
        ob += 0.0  # -0.0 becomes +0.0, as the fused r cos(theta) * std + 0.0 does
    else:
        ob[...] = _fma64(ob, std, mean)
    return out


# ==================================================================================================
# Fill kernels on ndarrays: each writes into ``out`` in torch's element order
# ==================================================================================================

def _iteration_order(a: np.ndarray) -> tuple:
    """The axis order in which torch's TensorIterator visits ``a``: memory order (largest stride
    first), so a transposed view is filled along its storage, as in torch."""
    if a.flags.c_contiguous or a.ndim < 2:
        return tuple(range(a.ndim))
    return tuple(sorted(range(a.ndim), key=lambda d: -abs(a.strides[d]) if a.shape[d] > 1
                        else 0))


def _fill(out: np.ndarray, values_fn) -> np.ndarray:
    """``values_fn(n)`` returns ``n`` values in iteration order; write them into ``out``."""
    order = _iteration_order(out)
    view = out.transpose(order)
    values = np.asarray(values_fn(out.size))
    if out.dtype == np.float16 and values.dtype == np.float64:
        values = values.astype(np.float32)  # torch converts a double to half through float
    view[...] = values.reshape(view.shape)
    return out


def _uniform_values(gen: Generator, n: int, np_dtype, low: float, high: float) -> np.ndarray:
    """``u * (high - low) + low`` in float64, float32 (float16: the float32 value rounded). A
    value that rounds to ``high`` becomes ``low``, as torch's kernel keeps [low, high) (on
    [0, 1) only float16 can round up to 1)."""
    if np_dtype == np.float64:
        x = gen._uniform(n, np.float64)
        if (low, high) == (0.0, 1.0):
            return x
        x = _fma64(x, high - low, low)
    elif np_dtype == np.float32:
        lo, hi = _F(low), _F(high)
        x = gen._uniform(n, np.float32)
        if (low, high) == (0.0, 1.0):
            return x
        x = _fma32(x, hi - lo, lo)
    else:
        x = _uniform_values(gen, n, np.dtype(np.float32), low, high).astype(np_dtype)
    # the bounds in the dtype (to float16 through float32, as torch casts a double to half)
    as_dtype = np.float64 if np_dtype == np.float64 else np.float32
    top = np.asarray(as_dtype(high)).astype(np_dtype)
    np.copyto(x, np.asarray(as_dtype(low)).astype(np_dtype), where=x == top)
    return x


_UNIFORM_BLOCK = 1 << 15  # elements: the float64 scratch of the affine map stays in cache


def _uniform_fill(out: np.ndarray, low: float, high: float, gen: Generator) -> np.ndarray:
    if out.flags.c_contiguous and out.dtype == np.float32:
        _uniform32_into(out.reshape(-1), low, high, gen)
        return out
    return _fill(out, lambda n: _uniform_values(gen, n, out.dtype, low, high))


def _uniform32_into(flat: np.ndarray, low: float, high: float, gen: Generator) -> np.ndarray:
    """``_uniform_values`` for float32, written into the contiguous ``flat``: with the 24-bit
    integer ``k = w & (2**24 - 1)``, ``u * (hi - lo) + lo == k * ((hi - lo) 2**-24) + lo``
    exactly in float64 (both products are exact), rounded once to float32 as before."""
    w = gen._words32(flat.size)
    w &= np.uint32(2 ** 24 - 1)
    k = w.view(np.int32)
    if (low, high) == (0.0, 1.0):
        return np.multiply(k, _F(2.0 ** -24), out=flat, dtype=np.float32, casting="unsafe")
    lo, hi = _F(low), _F(high)
    scale = builtins.float(hi - lo) * 2.0 ** -24
    # the map is monotonic in k: if the largest k stays below hi, every k does
    reaches_top = _F(builtins.float(2 ** 24 - 1) * scale + builtins.float(lo)) >= hi
    scratch = np.empty(min(flat.size, _UNIFORM_BLOCK))
    for i in range(0, flat.size, _UNIFORM_BLOCK):
        dst = flat[i:i + _UNIFORM_BLOCK]
        tmp = scratch[:dst.size]
        np.multiply(k[i:i + _UNIFORM_BLOCK], scale, out=tmp)
        np.add(tmp, builtins.float(lo), out=dst, casting="unsafe")  # rounded as written
        if reaches_top:
            np.copyto(dst, lo, where=dst == hi)
    return flat


def _normal_fill(out: np.ndarray, mean: float, std: float, gen: Generator) -> np.ndarray:
    """torch's normal kernel: the 16-block path for contiguous tensors of 16+ elements,
    the per-element cached path otherwise."""
    n = out.size
    if n >= 16 and out.flags.c_contiguous and out.dtype == np.float16:
        # torch's reduced-precision kernel: per block of 16, 16 float32 uniforms transformed
        # as the float32 kernel does, rounded to float16; a tail that is not a multiple of 16
        # draws 16 more for the last 16 (after n // 16 * 16 words, not n as float32 does)
        flat = out.reshape(-1)
        full = n // 16 * 16
        flat[:full] = _box_muller_blocks(gen._uniform(full, np.float32), mean, std)
        if n % 16:
            flat[n - 16:] = _box_muller_blocks(gen._uniform(16, np.float32), mean, std)
        return out
    if n >= 16 and out.flags.c_contiguous and out.dtype in (np.float32, np.float64):
        u = gen._uniform(n, out.dtype)
        flat = out.reshape(-1)
        full = n // 16 * 16
        _box_muller_blocks(u[:full], mean, std, out=flat[:full])
        if n % 16:
            # torch redraws the last 16 uniforms and transforms them as one more block
            flat[n - 16:] = _box_muller_blocks(gen._uniform(16, out.dtype), mean, std)
        return out
    return _fill(out, lambda k: _fma64(gen._scalar_normals(k), std, mean))


def _bernoulli_scalar_fill(out: np.ndarray, p: float, gen: Generator) -> np.ndarray:
    """``u < p`` for float64 uniforms ``u = k 2**-53`` (``k`` = 53 bits of two words): since
    ``p 2**53`` is exact, that is the integer comparison ``k < ceil(p 2**53)``."""
    def values(n):
        k = gen._random64(n)
        k &= np.uint64((1 << 53) - 1)
        return k < np.uint64(math.ceil(p * 2.0 ** 53))
    return _fill(out, values)


def _bernoulli_tensor_fill(out: np.ndarray, p: np.ndarray, gen: Generator) -> np.ndarray:
    """One uniform per element of ``out`` (float64 uniforms for float64 ``p``, else float32),
    compared with ``p`` broadcast to ``out``'s shape."""
    p = np.broadcast_to(p, out.shape)
    order = _iteration_order(out)
    view = out.transpose(order)
    pv = p.transpose(order)
    u_dtype = np.float64 if p.dtype == np.float64 else np.float32
    u = gen._uniform(out.size, u_dtype).reshape(view.shape)
    view[...] = u < pv.astype(u_dtype, copy=False)
    return out


def _int_range_values(gen: Generator, n: int, low: int, high: int, out=None) -> np.ndarray:
    """``w % (high - low) + low``, with 64-bit words once the range reaches 2**28 (torch's
    threshold, found by experiment: it keeps the modulo bias of 32-bit words small). The
    remainder is ``w - (w // span) * span``: NumPy divides by a scalar with a multiply and
    shift, about 6x faster than its ``%``. ``out``: a contiguous int64 array of ``n`` to fill."""
    span = high - low
    if span < (1 << 28):
        w = gen._words32(n)
        q = w // np.uint32(span)
        q *= np.uint32(span)
        if out is None:
            out = np.empty(n, dtype=np.int64)
        np.subtract(w, q, out=out)  # widened to int64 as written
        if low:
            out += low
        return out
    w = gen._random64(n)
    q = w // np.uint64(span)
    q *= np.uint64(span)
    w -= q
    # unsigned 64-bit arithmetic that wraps, as torch's kernel does; then reinterpret as int64
    w += np.uint64(low & 0xFFFFFFFFFFFFFFFF)
    if out is None:
        return w.view(np.int64)
    np.copyto(out, w.view(np.int64))
    return out


def _random_full_values(gen: Generator, n: int, np_dtype) -> np.ndarray:
    """``random_()`` without bounds: a word modulo the dtype's largest exactly representable
    integer + 1 (2**63 for int64, 2**53 + 1 for float64, 2**24 + 1 for float32...)."""
    dt = np.dtype(np_dtype)
    if dt == np.bool_:
        return (gen._random(n) & np.uint64(1)).astype(bool)
    if dt.kind == "f":
        digits = np.finfo(dt).nmant + 1
        w = gen._random64(n) if dt == np.float64 else gen._random(n)
        return (w % np.uint64((1 << digits) + 1)).astype(dt)
    top = np.iinfo(dt).max
    w = gen._random64(n) if dt == np.int64 else gen._random(n)
    return (w % np.uint64(top + 1)).astype(dt)


def _exponential_values(gen: Generator, n: int, lambd: float) -> np.ndarray:
    u = gen._uniform(n, np.float64)
    return (-1.0 / lambd) * _libm(np.log1p, -u)


# ==================================================================================================
# Argument helpers
# ==================================================================================================

def _given(generator, out, dtype, layout, device, requires_grad, pin_memory) -> dict:
    """The keywords a factory call set, in torch's order (a default value counts as unset)."""
    pairs = (("generator", generator), ("out", out), ("dtype", dtype), ("layout", layout),
             ("device", device), ("requires_grad", requires_grad or None),
             ("pin_memory", pin_memory or None))
    return {k: v for k, v in pairs if v is not None}


def _float_dtype(dtype, fname: str, empty: bool = False) -> np.dtype:
    """The float dtype to draw in; ``empty``: any dtype (torch's normal_ returns before its
    dtype check)."""
    d = _dtype.get_default_dtype() if dtype is None else _dtype.as_dtype(dtype)
    if not d.is_floating_point and not empty:
        raise NotImplementedError(f'"{fname}" not implemented for \'{_c10_name(d)}\'')
    return d.np


def _c10_name(d) -> str:
    return scalar_type_name(_dtype.as_dtype(d))


def _finish(arr: np.ndarray, requires_grad: bool) -> Tensor:
    t = _new_tensor(arr)
    if requires_grad:
        t._set_requires_grad(True, "Only Tensors of floating point and complex dtype can "
                                   "require gradients")
    return t


def _write_out(result: np.ndarray, out, requires_grad: bool = False) -> Tensor:
    if out is None:
        return _finish(result, requires_grad)
    return factory_write(out, result, requires_grad)


def _check_inplace(t: Tensor) -> None:
    """torch refuses an in-place draw into a leaf that requires grad while grad mode is on,
    before consuming any randomness."""
    if _state.enabled and t._requires_grad and t.grad_fn is None:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation.")


class Sampled(ArrayFunction):
    """A random draw recorded in the graph, as torch records every sampler: the values do not
    move when the parameters (mean, std, p) or the overwritten tensor move, so each input's
    gradient is 0.

      d draw / d input = 0           (a reparameterised sample is the caller's own formula,
                                      mean + std * randn_like(std))

    ``forward(ctx, values, *inputs)`` returns the drawn ``values``; the public sampler passes
    torch's node name (``NormalBackward3`` for tensor mean and std, ``UniformBackward0`` for
    ``uniform_``, ...)."""

    _backward_name = "NormalBackward0"

    @staticmethod
    def forward(ctx, values, *inputs):
        return values

    @staticmethod
    def backward(ctx, g):
        zero = np.zeros_like(g)
        return (None,) + tuple(zero if need else None for need in ctx.needs_input_grad[1:])


class _NoDerivative(ArrayFunction):
    """A draw torch records without a derivative (bernoulli(p_tensor, p=float), binomial):
    backward raises its error, naming the op ``op``."""

    _backward_name = "torch::autograd::NotImplemented"

    @staticmethod
    def forward(ctx, values, op, *inputs):
        ctx.op = op
        return values

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError(f"derivative for aten::{ctx.op} is not implemented")


@quiet  # a draw beyond the dtype's range is inf, silently, as in torch (_numpy_errors)
def _inplace(t: Tensor, kernel, node: str, *params) -> Tensor:
    """Run ``kernel(ndarray)`` on ``t``'s memory. With autograd recording on a non-leaf, the
    tensor's new history is a ``Sampled`` node named ``node`` (zero gradient to the old values
    and to tensor ``params``), as in torch."""
    _check_inplace(t)
    if _state.enabled and t._requires_grad:
        values = kernel(np.empty_like(t._data))
        return apply_inplace(t, lambda old: Sampled.apply(values, old, *params, name=node))
    if not t._data.flags.writeable:
        raise RuntimeError(
            "unsupported operation: the tensor's memory is read-only (an expanded tensor or a "
            "read-only NumPy array); clone() it first")
    kernel(t._data)
    t._bump_version()
    return t


# ==================================================================================================
# In-place sampling (the Tensor methods call these)
# ==================================================================================================

def _from_keyword(name: str, from_, kwargs: dict):
    """torch's keyword ``from`` (a Python keyword: given as ``**{'from': v}``) in place of
    ``from_``; any other extra keyword is torch's TypeError."""
    if "from" in kwargs:
        from_ = kwargs.pop("from")
    if kwargs:
        raise TypeError(f"{name}() got an unexpected keyword argument '{next(iter(kwargs))}'")
    return from_


def uniform_(t: Tensor, from_: float = 0.0, to: float = 1.0, *, generator=None,
             **kwargs) -> Tensor:
    """Fill with U(from, to): ``u * (to - from) + from`` in the tensor's dtype."""
    from_ = _from_keyword("uniform_", from_, kwargs)
    if t._data.dtype.kind != "f":
        raise not_implemented("check_uniform_bounds", t._data.dtype)
    limit = builtins.float(np.finfo(t._data.dtype).max)
    for name, bound in (("from", from_), ("to", to)):
        if not -limit <= bound <= limit:  # (NaN too)
            raise RuntimeError(f"{name} is out of bounds for {c_type_name(t._data.dtype)}")
    if from_ > to:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={from_:g} > "
            f"to={to:g}")
    if to - from_ > limit:
        raise RuntimeError(
            "uniform_ expects to-from <= "
            f"std::numeric_limits<{scalar_type_name(t._data.dtype)}>::max(), "
            f"but found to={to:g} and from={from_:g} which result in to-from to exceed the limit")
    gen = _gen(generator)
    return _inplace(t, lambda a: _uniform_fill(a, builtins.float(from_), builtins.float(to), gen),
                    "UniformBackward0")


def normal_(t: Tensor, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
    """Fill with N(mean, std**2), by torch's 16-block or per-element path."""
    check_normal(t._data.dtype, std, t._data.size == 0)
    gen = _gen(generator)
    return _inplace(t, lambda a: _normal_fill(a, builtins.float(mean), builtins.float(std), gen),
                    "NormalBackward0")


def bernoulli_(t: Tensor, p=0.5, *, generator=None) -> Tensor:
    """Fill with 0/1 draws: scalar ``p`` uses one float64 uniform per element; a tensor ``p``
    (broadcast to ``t``) uses float64 uniforms if ``p`` is float64, else float32 ones."""
    gen = _gen(generator)
    if isinstance(p, Tensor):
        pa = p._data
        if pa.dtype.kind != "f":
            raise NotImplementedError(
                f'"bernoulli_tensor_cpu_p_" not implemented for \'{_c10_name(p.dtype)}\'')
        try:
            np.broadcast_to(pa, t._data.shape)
        except ValueError:
            raise RuntimeError(
                f"The size of tensor a ({t._data.shape[-1] if t._data.ndim else 1}) must "
                f"match the size of tensor b ({pa.shape[-1] if pa.ndim else 1}) at "
                "non-singleton dimension 0") from None
        if pa.size and (np.any(pa < 0) or np.any(pa > 1) or np.any(np.isnan(pa))):
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  "
                               "(Could this error message be improved?  If so, please report "
                               "an enhancement request to PyTorch.)")
        return _inplace(t, lambda a: _bernoulli_tensor_fill(a, pa, gen), "BernoulliBackward1", p)
    p = builtins.float(p)
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
    return _inplace(t, lambda a: _bernoulli_scalar_fill(a, p, gen), "BernoulliBackward2")


def random_(t: Tensor, *args, generator=None, **kwargs) -> Tensor:
    """``random_()``: integers in [0, the dtype's largest exact integer]; ``random_(to)``,
    ``random_(from, to)``: [from, to - 1]; ``random_(from, None)``: [from, that largest integer]
    (``from = -2**63``: the whole 64-bit word). Bounds checked as torch's random_from_to_impl."""
    bound = random_arguments(args, kwargs)
    gen = _gen(generator)
    dt = t._data.dtype
    if bound is None:
        return _inplace(t, lambda a: _fill(a, lambda n: _random_full_values(gen, n, dt)),
                        "RandomBackward2")
    from_, to, has_to, node = bound
    span = random_range(dt, from_, to, has_to, t._data.size == 0)
    if span is None:  # the word as an int64, cast to the dtype
        return _inplace(t, lambda a: _fill(a, lambda n: gen._random64(n).view(np.int64)), node)
    low, high = span
    return _inplace(t, lambda a: _fill(a, lambda n: _int_range_values(gen, n, low, high)), node)


def exponential_(t: Tensor, lambd: float = 1.0, *, generator=None) -> Tensor:
    """Exp(lambd): ``-1/lambd * log1p(-u)`` with a float64 uniform ``u``."""
    check_exponential(t._data.dtype, lambd, t._data.size == 0)
    gen = _gen(generator)
    return _inplace(t, lambda a: _fill(a, lambda n: _exponential_values(gen, n, lambd)),
                    "ExponentialBackward0")


def cauchy_(t: Tensor, median: float = 0.0, sigma: float = 1.0, *, generator=None) -> Tensor:
    """Cauchy(median, sigma): ``median + sigma * tan(pi * (u - 1/2))`` with a float64 ``u``."""
    check_cauchy(t._data.dtype, sigma)
    gen = _gen(generator)

    def values(n):
        u = gen._uniform(n, np.float64)
        return _fma64(np.full(n, builtins.float(sigma)), _libm(np.tan, math.pi * (u - 0.5)),
                      builtins.float(median))
    return _inplace(t, lambda a: _fill(a, values), "CauchyBackward0")


def log_normal_(t: Tensor, mean: float = 1.0, std: float = 2.0, *, generator=None) -> Tensor:
    """exp(N(mean, std**2)), with normals from the per-element cached path."""
    check_log_normal(t._data.dtype, std, t._data.size == 0)
    gen = _gen(generator)

    def values(n):
        z = _fma64(gen._scalar_normals(n), builtins.float(std), builtins.float(mean))
        return _libm(np.exp, z)
    return _inplace(t, lambda a: _fill(a, values), "LogNormalBackward0")


def geometric_(t: Tensor, p: float, *, generator=None) -> Tensor:
    """Number of trials to the first success: ``ceil(log(u) / log1p(-p))``, float64 ``u``."""
    check_geometric(t._data.dtype, p, t._data.size == 0)
    gen = _gen(generator)

    def values(n):
        u = gen._uniform(n, np.float64)
        return np.ceil(_libm(np.log, u) / math.log1p(-p))
    return _inplace(t, lambda a: _fill(a, values), "GeometricBackward0")


# ==================================================================================================
# Sampling functions
# ==================================================================================================

def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad: bool = False, pin_memory: bool = False, **kw) -> Tensor:
    """U[0, 1): float32 takes one 32-bit word per element, float64 two."""
    _check_device(device)
    sampler_size_overloads("rand", size, _given(generator, out, dtype, layout, device,
                                                  requires_grad, pin_memory), kw)
    shape = _factory_size("rand", size, kw, out)
    dtype = factory_dtype("rand", out, dtype)
    np_dtype = _float_dtype(dtype, "check_uniform_bounds")
    arr = allocate(np.empty, shape, np_dtype)
    _uniform_fill(arr, 0.0, 1.0, _gen(generator))
    return _write_out(arr, out, requires_grad)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad: bool = False, pin_memory: bool = False, **kw) -> Tensor:
    """N(0, 1): the 16-block Box-Muller path for 16+ elements, the cached scalar path below."""
    _check_device(device)
    sampler_size_overloads("randn", size, _given(generator, out, dtype, layout, device,
                                                   requires_grad, pin_memory), kw)
    shape = _factory_size("randn", size, kw, out)
    dtype = factory_dtype("randn", out, dtype, resize_error=True)
    np_dtype = _float_dtype(dtype, "normal_kernel_cpu", 0 in shape)
    arr = allocate(np.empty, shape, np_dtype)
    _normal_fill(arr, 0.0, 1.0, _gen(generator))
    return _write_out(arr, out, requires_grad)


def _like_dtype(input: Tensor, dtype) -> np.dtype:
    return input._data.dtype if dtype is None else _dtype.to_numpy_dtype(dtype)


def rand_like(input: Tensor, *, generator=None, dtype=None, layout=None, device=None,
              requires_grad: bool = False, memory_format=None) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(rand_like, locals())
    if device is not None:
        _check_device(device, "aten::empty_strided")
    return rand(input.shape, generator=generator, dtype=_dtype.from_numpy_dtype(
        _like_dtype(input, dtype)), requires_grad=requires_grad)


def randn_like(input: Tensor, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad: bool = False, memory_format=None) -> Tensor:
    if not isinstance(input, Tensor):
        raise argument_error(randn_like, locals())
    if device is not None:
        _check_device(device, "aten::empty_strided")
    return randn(input.shape, generator=generator, dtype=_dtype.from_numpy_dtype(
        _like_dtype(input, dtype)), requires_grad=requires_grad)


def randint(*args, low=None, high=None, size=None, generator=None, out=None, dtype=None,
            layout=None, device=None, requires_grad: bool = False) -> Tensor:
    """randint(high, size) or randint(low, high, size), positional or by keyword:
    ``w % (high - low) + low``."""
    _check_device(device)
    extra = {k: v for k, v in (("generator", generator), ("out", out), ("dtype", dtype),
                               ("requires_grad", requires_grad))
             if v is not None and v is not False}
    low, high, size, position = randint_arguments(args, {"low": low, "high": high, "size": size},
                                                  extra)
    shape = _size((size,), "randint", keyword=position is None, position=position)
    dtype = factory_dtype("randint", out, dtype)
    np_dtype = _dtype.int64.np if dtype is None else _dtype.to_numpy_dtype(dtype)
    low, high = random_range(np_dtype, low, high, True)  # torch draws with random_(low, high)
    gen = _gen(generator)
    arr = allocate(np.empty, shape, np_dtype)
    if np_dtype == np.int64:
        _int_range_values(gen, arr.size, low, high, out=arr.reshape(-1))
    else:
        _fill(arr, lambda n: _int_range_values(gen, n, low, high))
    return _write_out(arr, out, requires_grad)


def randint_like(input: Tensor, low=0, high=None, *, generator=None, dtype=None, layout=None,
                 device=None, requires_grad: bool = False, memory_format=None) -> Tensor:
    if device is not None:
        _check_device(device, "aten::empty_strided")
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), generator=generator,
                   dtype=_dtype.from_numpy_dtype(_like_dtype(input, dtype)),
                   requires_grad=requires_grad)


_RANDPERM_SMALL = (1 << 32) // 20  # torch switches to 64-bit words at this n


def _randperm_values(n: int, gen: Generator) -> np.ndarray:
    """torch's shuffle: ``_randperm_swaps`` below ``2**32 / 20`` elements, else
    ``_randperm_inside_out``."""
    if n < _RANDPERM_SMALL:
        return _randperm_swaps(n, gen)
    return _randperm_inside_out(n, gen)


def _randperm_swaps(n: int, gen: Generator) -> np.ndarray:
    """Start from 0..n-1; for i = 0..n-2 swap entries ``i`` and ``j_i = i + w_i % (n - i)``.

    The swaps look sequential, but their result has a closed form that NumPy can evaluate at
    once. Step ``i`` never touches positions below ``i``, so it fixes ``perm[i]`` for good:
    ``perm[i]`` is whatever sits at position ``j_i`` just before step ``i``, and what step ``i``
    leaves at ``j_i`` is ``v_i``, the value at position ``i`` just before step ``i``. A position
    only changes when it is some earlier step's ``j``, so:

      v_i     = v_p   with p the last step < i whose j is i;    else i (never moved)
      perm[i] = v_q   with q the last step < i whose j is j_i;  else j_i
      (with a final step j_{n-1} = n-1, so that perm[n-1] = v_{n-1})

    The steps that share a target come from one sort by (j, i); following ``v_i = v_p`` to the
    unmoved end of each chain is pointer doubling, a handful of whole-array passes."""
    steps = np.arange(n, dtype=np.int64)
    if n < 2:
        return steps
    j = steps.copy()
    # w_i % (n - i) on 32-bit words (n < 2**32 here): half the time of a 64-bit remainder
    j[:-1] += gen._random(n - 1).astype(np.uint32) % np.arange(n, 1, -1, dtype=np.uint32)
    # the steps sorted by target, then by step: a stable sort of the targets
    order = _stable_argsort_u32(j)
    js = j[order]
    same = js[1:] == js[:-1]
    q = np.empty(n, dtype=np.int64)  # the previous step with the same target, else -1
    q[order[0]] = -1
    q[order[1:]] = np.where(same, order[:-1], -1)
    group_end = np.flatnonzero(np.append(~same, True))
    last = np.full(n, -1, dtype=np.int64)  # the last step that targets each position
    last[js[group_end]] = order[group_end]
    p = np.where(j == steps, q, last)  # a step targeting itself is the last of its group
    root = np.where(p >= 0, p, steps)
    while True:
        hop = root[root]
        if np.array_equal(hop, root):
            break
        root = hop
    return np.where(q >= 0, root[np.maximum(q, 0)], j)


def _stable_argsort_u32(x: np.ndarray) -> np.ndarray:
    """``np.argsort(x, kind="stable")`` for integers in [0, 2**32), by 16-bit digits (least
    significant first): NumPy sorts 16-bit integers stably by radix sort, in linear time, which
    is about 10x faster here than its comparison sort of 64-bit keys."""
    order = np.argsort((x & 0xFFFF).astype(np.uint16), kind="stable")
    if x.size and x.max() >> 16:
        order = order[np.argsort((x[order] >> 16).astype(np.uint16), kind="stable")]
    return order


def _randperm_inside_out(n: int, gen: Generator) -> np.ndarray:
    """Inside-out Fisher-Yates with 64-bit words: ``z = W_i % (i + 1)``, ``perm[i] = perm[z]``,
    ``perm[z] = i``."""
    zs = (gen._random64(n) % np.arange(1, n + 1, dtype=np.uint64)).tolist()
    perm = [0] * n
    for i, z in enumerate(zs):
        perm[i] = perm[z]
        perm[z] = i
    return np.array(perm, dtype=np.int64)


def randperm(n: int, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A random permutation of 0..n-1, drawn exactly as torch draws it on the CPU."""
    _check_device(device)
    if isinstance(n, Tensor):
        n = n.item()
    check_randperm_n(n, {"generator": generator, "out": out, "dtype": dtype})
    n = builtins.int(n)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dtype = factory_dtype("randperm", out, dtype)
    np_dtype = _dtype.int64.np if dtype is None else _dtype.to_numpy_dtype(dtype)
    check_randperm_dtype(n, np_dtype)
    if np_dtype == np.bool_:
        raise NotImplementedError("\"randperm\" not implemented for 'Bool'")
    values = _randperm_values(n, _gen(generator)).astype(np_dtype)
    return _write_out(values, out, requires_grad)


def bernoulli(input: Tensor, p=None, *, generator=None, out=None) -> Tensor:
    """Draw 0/1 with probabilities ``input`` (or a scalar ``p``), in ``input``'s dtype (in
    ``out``'s when given: torch draws into it)."""
    if not isinstance(input, Tensor):
        raise argument_error(bernoulli, locals())
    if out is not None:
        if p is not None:
            raise TypeError("bernoulli() received an invalid combination of arguments - got "
                            "(Tensor, float, out=Tensor), but expected one of:")
        check_out_grad("bernoulli", (out,), (input,))
    result = _new_tensor(np.empty(input._data.shape, dtype=(
        input if out is None else out)._data.dtype))
    if p is None:
        if input._data.dtype.kind != "f":
            if not input._data.size:  # (torch returns before its dtype dispatch)
                return _write_out(result._data, out)
            raise NotImplementedError(
                f'"bernoulli_tensor_cpu_p_" not implemented for \'{_c10_name(input.dtype)}\'')
        bernoulli_(result, input, generator=generator)
    else:
        bernoulli_(result, p, generator=generator)
    if out is not None:
        return _write_out(result._data, out)
    if p is None:  # the draw joins the graph of the probabilities
        return Sampled.apply(result._data, input, name="BernoulliBackward0")
    return _NoDerivative.apply(result._data, "bernoulli", input)


@quiet
def normal(mean, std=1.0, *args, size=None, generator=None, out=None, dtype=None, layout=None,
           device=None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """normal(mean, std) with tensor and/or float mean/std, or normal(mean, std, size).

    torch draws standard normals for the output's shape (both paths, as ``normal_``) and then
    computes ``z * std + mean`` elementwise in the output dtype.
    """
    if args:
        if len(args) > 1 or size is not None:
            got = [_type_name(v) for v in (mean, std, *args)]
            got += [] if size is None else [f"size={_type_name(size)}"]
            raise TypeError(f"normal() received an invalid combination of arguments - got "
                            f"({', '.join(got)}), but expected one of:\n{_NORMAL_OVERLOADS}")
        size = args[0]
    gen = _gen(generator)
    mt, st = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not mt and not st:
        if size is None and not args:
            raise TypeError("normal() received an invalid combination of arguments - got "
                            "(float, float), but expected (float mean, float std, tuple of "
                            "ints size)")
        shape = _normal_size(size, mean, std, bool(args))
        dtype = factory_dtype("normal", out, dtype)
        check_normal_std(std)
        np_dtype = _float_dtype(dtype, "normal_kernel_cpu", 0 in shape)
        arr = allocate(np.empty, shape, np_dtype)
        _normal_fill(arr, builtins.float(mean), builtins.float(std), gen)
        return _write_out(arr, out, requires_grad)
    if st:
        check_normal_tensor_std(std._data)
    else:
        check_normal_std(std)
    if not mt:  # torch makes mean a 0-d tensor of the output's dtype (float16: unchecked)
        if std._data.dtype != np.float16:
            _dtype.check_scalar_fits(mean, std._data.dtype)
        if std._data.dtype.kind != "f" and std._data.size:
            raise not_implemented("normal_kernel_cpu", std._data.dtype)
    if mt and mean._data.dtype.kind != "f" and mean._data.size:
        raise not_implemented("normal_kernel_cpu", mean._data.dtype)
    if out is not None:  # drawn in out's dtype, which must be floating
        check_out_grad("normal", (out,), (mean, std))
        if out._data.dtype.kind != "f":
            raise NotImplementedError(
                f'"normal_kernel_cpu" not implemented for \'{_c10_name(out.dtype)}\'')
    if mt and st:
        shape = np.broadcast_shapes(mean._data.shape, std._data.shape)
        np_dtype = _dtype.result_np_dtype(mean._data, std._data)
    elif mt:
        shape, np_dtype = mean._data.shape, mean._data.dtype
    else:
        shape, np_dtype = std._data.shape, std._data.dtype
    if out is not None:
        np_dtype = out._data.dtype
    z = np.empty(shape, dtype=np_dtype)
    if st:  # normal_(0, 1), then * std + mean
        _normal_fill(z, 0.0, 1.0, gen)
        m = mean._data if mt else np_dtype.type(mean)
        result = (z * std._data.astype(np_dtype, copy=False) + m).astype(np_dtype, copy=False)
    else:  # normal_(0, std), then + mean
        _normal_fill(z, 0.0, builtins.float(std), gen)
        result = (z + mean._data).astype(np_dtype, copy=False)
    if out is not None:  # resized with the warning, as torch's elementwise ops do
        return write_out(out, result, "any", "normal")
    # the draw joins the graph of the tensor parameters (torch's three overloads' names)
    node = "NormalBackward3" if mt and st else "NormalBackward1" if mt else "NormalBackward2"
    return Sampled.apply(result, *(t for t in (mean, std) if isinstance(t, Tensor)), name=node)


_NORMAL_OVERLOADS = (
    " * (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, float std, tuple of ints size, *, torch.Generator generator = None, "
    "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device "
    "device = None, bool pin_memory = False, bool requires_grad = False)\n")


def _normal_size(size, mean, std, positional: bool) -> tuple:
    """normal(mean, std, size)'s size: a sequence whose first entry is an int, else no overload
    of torch's matches (an int is not a size here)."""
    if not _first_is_int(size):
        got = f"{_type_name(mean)}, {_type_name(std)}, {'' if positional else 'size='}"
        raise TypeError(f"normal() received an invalid combination of arguments - got ({got}"
                        f"{_type_name(size)}), but expected one of:\n{_NORMAL_OVERLOADS}")
    return _size((size,), "normal", position=3)


@quiet
def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *, generator=None,
                out=None) -> Tensor:
    """Sample category indices from rows of (unnormalised) probabilities.

    Without replacement, and whenever ``num_samples == 1``, torch uses the exponential race:
    ``q ~ Exp(1)`` for every category (``exponential_`` on a tensor shaped like ``input``), and the
    samples are the ``topk`` of ``p / q`` (``argmax`` for one sample). With replacement, each row
    draws ``num_samples`` float64 uniforms and searches the normalised cumulative sum.
    """
    if not isinstance(input, Tensor):
        raise argument_error(multinomial, locals())
    if isinstance(num_samples, builtins.bool) or not isinstance(num_samples,
                                                                (builtins.int, np.integer)):
        raise TypeError("multinomial(): argument 'num_samples' (position 2) must be int, not "
                        f"{type(num_samples).__name__}")
    gen = _gen(generator)
    p = input._data
    if p.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if p.dtype.kind != "f":
        raise RuntimeError(
            f"multinomial only supports floating-point dtypes for input, got: "
            f"{_c10_name(input.dtype)}")
    if out is not None and out._data.dtype != np.int64:
        raise RuntimeError(f"multinomial expects Long tensor out, got: {_c10_name(out.dtype)}")
    n_cat = p.shape[-1]
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > n_cat:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if n_cat > (1 << 24):
        raise RuntimeError("number of categories cannot exceed 2^24")
    if p.ndim == 2 and p.shape[0] == 0:  # nothing to draw, nothing checked
        return _write_out(np.empty((0, num_samples), dtype=np.int64), out)
    if n_cat == 0:  # (torch's max() of the empty rows, or its zero sum)
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                           "operation has no identity." if not replacement or num_samples == 1
                           else "invalid multinomial distribution (sum of probabilities <= 0)")
    rows = p.reshape(-1, n_cat)
    if not replacement or num_samples == 1:
        if p.size and (not np.all(np.isfinite(p)) or np.min(p) < 0):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if np.any(rows.sum(axis=1) == 0):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        q = np.empty_like(p)
        _fill(q, lambda n: _exponential_values(gen, n, 1.0))
        ratio = (p / q).reshape(-1, n_cat)
        if num_samples == 1:
            idx = np.argmax(ratio, axis=1)[:, None]
        else:
            # topk: largest first; ties keep the lower index first
            idx = np.argsort(-ratio, axis=1, kind="stable")[:, :num_samples]
        result = idx.reshape(p.shape[:-1] + (num_samples,)).astype(np.int64)
        return _write_out(result, out)
    result = _multinomial_with_replacement(rows, num_samples, gen)
    return _write_out(result.reshape(p.shape[:-1] + (num_samples,)), out)


def _multinomial_with_replacement(rows: np.ndarray, num_samples: int,
                                  gen: Generator) -> np.ndarray:
    """torch's CPU kernel: per row, the cumulative sum of the probabilities, accumulated in the
    input's type (float16 in float32; in float32 a sum past its range is inf, and tiny entries
    after a large one add nothing), divided by its last entry; then for each sample a float64
    uniform and the first bucket whose cumulative value is >= it (a binary search).
    A row is checked when reached (the rows before a bad one have drawn), its entries in order:
    the first that is not ``>= 0`` (NaN too) or not finite names the error."""
    acc = np.float64 if rows.dtype == np.float64 else np.float32
    cum = np.cumsum(rows.astype(acc), axis=1)  # (a sequential sum, as torch's loop)
    out = np.empty((rows.shape[0], num_samples), dtype=np.int64)
    for i in range(rows.shape[0]):
        bad = ~(rows[i] >= 0) | ~np.isfinite(rows[i])
        if bad.any():
            raise RuntimeError("invalid multinomial distribution (encountering probability entry "
                               + ("< 0)" if not rows[i][np.argmax(bad)] >= 0 else
                                  "= infinity or NaN)"))
        if not cum[i, -1] > 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        with np.errstate(invalid="ignore"):  # inf / inf: NaN buckets, as torch's
            row = (cum[i] / cum[i, -1]).astype(np.float64)
        row[-1] = 1.0
        out[i] = np.searchsorted(row, gen._uniform(num_samples, np.float64), side="left")
    return out


# ==================================================================================================
# Dropout masks
# ==================================================================================================

def dropout_mask(shape: tuple, p: float, np_dtype, generator=None,
                 like: np.ndarray | None = None) -> np.ndarray:
    """The scaled keep-mask torch's ``F.dropout`` multiplies the input by (CPU, training mode).

    torch makes ``noise = empty(shape, dtype=input.dtype).bernoulli_(1 - p)`` (one float64
    uniform per element, in C order) and divides it in place by ``1 - p`` in the input's dtype
    (float16: in float32), so a kept entry holds ``1 / (1 - p)`` rounded to that dtype and a
    dropped one 0. For
    ``dropout2d``-style feature dropout pass ``shape = (N, C, 1, 1, ...)``. Callers handle
    ``p == 0``, ``p == 1`` and empty inputs (torch draws nothing then).

    ``like``: the input, when the mask has its shape. torch's noise is ``empty_like(input)``,
    which keeps a non-contiguous input's memory layout (a transposed view gives a transposed
    noise tensor), and bernoulli fills it in memory order: so does this mask.
    """
    noise = np.empty(shape, dtype=np_dtype) if like is None else np.empty_like(like, np_dtype)
    _bernoulli_scalar_fill(noise, 1.0 - p, _gen(generator))
    # float16 divides in float32 (torch's opmath for a scalar divisor), then rounds
    scale_dtype = np.float32 if np.dtype(np_dtype) == np.float16 else np_dtype
    np.divide(noise, np.asarray(1.0 - p, dtype=scale_dtype), out=noise, casting="same_kind")
    return noise
