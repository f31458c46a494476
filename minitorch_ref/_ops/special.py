"""torch.special's functions (and their torch.* names: lgamma, digamma, polygamma, mvlgamma, erfc,
erfinv, i0, sinc, xlogy, logit) as ops: forward beside backward, the derivative in each
docstring (``g`` is dL/d out).

The transcendental functions (lgamma, digamma, polygamma, zeta, erfc, erfcx, erfinv, ndtri, the
Bessel functions) are evaluated in float64 by ``special_math`` and rounded to the input's dtype;
integer and bool inputs compute in the default float dtype, as in torch. The ones torch writes
as plain arithmetic (sinc, entr, logit, xlogy, xlog1py) compute in the input's dtype, with
torch's formula, so float32 rounds as torch's does.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from .._dtype import get_default_dtype, result_np_dtype
from ..autograd.function import ArrayFunction
from . import special_math as sm
from ._arguments import argument_error
from ._util import Tensor, as_dtype, broadcast_shapes_or_raise, recorded_masked_fill, zero_where
from .activation_backward import add_scalar
from ..autograd.graph_array import unwrap
from .linalg_solve import record, recorded
from .out import supports_out

__all__ = ["lgamma", "digamma", "polygamma", "mvlgamma", "erfc", "erfinv", "i0", "sinc", "xlogy",
           "logit"]

_SQRT_PI = math.sqrt(math.pi)
_SQRT_2PI = math.sqrt(2 * math.pi)


def _float(a: np.ndarray) -> np.ndarray:
    """Integer and bool inputs compute in the default float dtype (torch's int-to-float rule)."""
    return a if a.dtype.kind == "f" else a.astype(get_default_dtype().np)


def _f64(fn, a: np.ndarray, *args) -> np.ndarray:
    """``fn`` (a float64 kernel of ``special_math``) applied to ``a``, in a's dtype."""
    x = np.asarray(a, dtype=np.float64)
    return fn(*args, x.reshape(-1)).reshape(x.shape).astype(a.dtype, copy=False)


def _derivative(op, kernel, a: np.ndarray, *args) -> np.ndarray:
    """A special function inside a backward: ``kernel`` on an ndarray; under create_graph (a
    GraphArray) the library's op ``op(*args, a)``, recorded, so the derivative differentiates
    again (lgamma -> digamma -> polygamma(1, .) -> ...)."""
    if recorded(a):
        return record(op, *args, a)
    return _f64(kernel, a, *args)


def _no_half(a: np.ndarray, kernel: str) -> None:
    if a.dtype == np.float16:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Half'")


# -- gamma family ------------------------------------------------------------------------------

class Lgamma(ArrayFunction):
    """out = log |Gamma(a)|.      dL/da = g psi(a)   (psi = digamma)."""

    _backward_name = "LgammaBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        ctx.save_for_backward(a)
        return _f64(sm.lgamma, a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * _derivative(digamma, sm.digamma, a)


class Digamma(ArrayFunction):
    """out = psi(a) = d/da log Gamma(a).      dL/da = g psi'(a)   (trigamma)."""

    _backward_name = "DigammaBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        ctx.save_for_backward(a)
        return _f64(sm.digamma, a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * _derivative(polygamma, sm.polygamma, a, 1)


class Polygamma(ArrayFunction):
    """out = psi^(n)(a), the n-th derivative of digamma.      dL/da = g psi^(n+1)(a)."""

    _backward_name = "PolygammaBackward0"

    @staticmethod
    def forward(ctx, n, a):
        a = _float(a)
        ctx.save_for_backward(a)
        ctx.n = n
        return _f64(sm.polygamma, a, n)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return None, g * _derivative(polygamma, sm.polygamma, a, ctx.n + 1)


class Mvlgamma(ArrayFunction):
    """The multivariate log-gamma function of dimension p:
    out = p (p-1)/4 log(pi) + sum_{j=0}^{p-1} log Gamma(a - j/2).
    dL/da = g sum_{j=0}^{p-1} psi(a - j/2)."""

    _backward_name = "MvlgammaBackward0"

    @staticmethod
    def forward(ctx, a, p):
        a = _float(a)
        ctx.save_for_backward(a)
        ctx.p = p
        # torch's order: the shifts -(p-1)/2, ..., -1/2, 0 summed from the first
        args = a[..., None] + np.arange(-p / 2 + 0.5, 0.5, 0.5, dtype=a.dtype)
        return _f64(sm.lgamma, args).sum(-1) + a.dtype.type(p * (p - 1) * math.log(math.pi) / 4)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        args = a[..., None] + np.arange(-ctx.p / 2 + 0.5, 0.5, 0.5, dtype=a.dtype)
        return g * _derivative(digamma, sm.digamma, args).sum(-1), None


# -- error functions and the normal distribution -------------------------------------------------

class Erfc(ArrayFunction):
    """out = erfc(a) = 1 - erf(a).      dL/da = -g 2/sqrt(pi) exp(-a^2)."""

    _backward_name = "ErfcBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        ctx.save_for_backward(a)
        return _f64(sm.erfc, a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * (-2 / _SQRT_PI) * np.exp(-(a * a))


class Erfcx(ArrayFunction):
    """out = erfcx(a) = exp(a^2) erfc(a).      dL/da = g (2 a out - 2/sqrt(pi))."""

    _backward_name = "SpecialErfcxBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        _no_half(a, "erfcx_cpu")
        out = _f64(sm.erfcx, a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        return g * (2 * a * out - 2 / _SQRT_PI)


class Erfinv(ArrayFunction):
    """out = erf^-1(a).      dL/da = g sqrt(pi)/2 exp(out^2)   (1 / erf'(out))."""

    _backward_name = "ErfinvBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        out = _f64(sm.erfinv, a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return 0.5 * _SQRT_PI * np.exp(out * out) * g


class Ndtr(ArrayFunction):
    """out = Phi(a) = (1 + erf(a / sqrt 2)) / 2, the standard normal CDF, composed as torch
    composes it, in a's dtype: the lower tail keeps absolute, not relative, accuracy
    (``log_ndtr`` is the function for tails). torch's node is that of the final product by
    1/2. dL/da = g exp(-a^2 / 2) / sqrt(2 pi)."""

    _backward_name = "MulBackward1"

    @staticmethod
    def forward(ctx, a):
        from ._erf import erf
        a = _float(a)
        ctx.save_for_backward(a)
        return (1 + erf(a * math.sqrt(0.5))) * 0.5

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * np.exp(-0.5 * (a * a)) * (1 / _SQRT_2PI)


class LogNdtr(ArrayFunction):
    """out = log Phi(a), accurate in both tails: with t = a / sqrt 2,
    log(erfcx(-t) / 2) - t^2 for a < -1 (Phi(a) = erfc(-t) / 2), log1p(-erfc(t) / 2) above.
    dL/da = g phi(a) / Phi(a) = g exp(-(out + a^2/2)) / sqrt(2 pi)."""

    _backward_name = "SpecialLogNdtrBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        _no_half(a, "log_ndtr_cpu")
        out = _f64(_log_ndtr, a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        return g / _SQRT_2PI * np.exp(-(out + a * a / 2))


def _log_ndtr(x: np.ndarray) -> np.ndarray:
    t = x * math.sqrt(0.5)
    return np.where(x < -1, np.log(sm.erfcx(-t) / 2) - t * t, np.log1p(-sm.erfc(t) / 2))


class Ndtri(ArrayFunction):
    """out = Phi^-1(a), the standard normal quantile.
    dL/da = g / phi(out) = g sqrt(2 pi) exp(out^2 / 2)."""

    _backward_name = "SpecialNdtriBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        _no_half(a, "ndtri_cpu")
        out = _f64(sm.ndtri, a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g * _SQRT_2PI * np.exp(out * out / 2)


# -- modified Bessel functions -------------------------------------------------------------------

class I0(ArrayFunction):
    """out = I0(a), the modified Bessel function of the first kind of order 0.
    dL/da = g I1(a)."""

    _backward_name = "I0Backward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        ctx.save_for_backward(a)
        return _f64(sm.i0, a)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * _derivative(special_i1, sm.i1, a)


class I0e(ArrayFunction):
    """out = exp(-|a|) I0(a).      dL/da = g (I1e(a) - sign(a) out)."""

    _backward_name = "SpecialI0EBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        out = _f64(sm.i0e, a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        return g * (_derivative(special_i1e, sm.i1e, a) - np.sign(a) * out)


class I1(ArrayFunction):
    """out = I1(a).      dL/da = g (I0(a) - out / a), and g / 2 where |a| <= eps (the limit at
    0; torch takes it for NaN too)."""

    _backward_name = "SpecialI1Backward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        out = _f64(sm.i1, a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        not_tiny, safe = _not_tiny(a)
        grad = _derivative(i0, sm.i0, safe) - out * (1 / safe)
        return g * np.where(not_tiny, grad, a.dtype.type(0.5))


class I1e(ArrayFunction):
    """out = exp(-|a|) I1(a).      dL/da = g (I0e(a) - out (sign(a) + 1/a)), and g / 2 where
    |a| <= eps."""

    _backward_name = "SpecialI1EBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        out = _f64(sm.i1e, a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        not_tiny, safe = _not_tiny(a)
        grad = _derivative(special_i0e, sm.i0e, safe) - out * (np.sign(safe) + 1 / safe)
        return g * np.where(not_tiny, grad, a.dtype.type(0.5))


def _not_tiny(a: np.ndarray):
    """(|a| > eps, a with eps where it is not): 1/a there is the limit torch replaces."""
    eps = a.dtype.type(np.finfo(a.dtype).eps)
    not_tiny = np.abs(a) > eps
    return not_tiny, np.where(not_tiny, a, eps)


# -- functions torch writes as arithmetic: computed in the input's dtype -----------------------

class Sinc(ArrayFunction):
    """out = sin(pi a) / (pi a), 1 at a = 0.
    dL/da = g (pi a cos(pi a) - sin(pi a)) / (pi a^2), 0 where pi a^2 is 0."""

    _backward_name = "SincBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        ctx.save_for_backward(a)
        product = a * math.pi
        out = np.sin(product) / product
        return np.where(a == 0, a.dtype.type(1), out)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        a_pi = a * math.pi
        a2_pi = a * a * math.pi
        grad = g * (a_pi * np.cos(a_pi) - np.sin(a_pi)) / a2_pi
        return zero_where(grad, a2_pi == 0)


class Entr(ArrayFunction):
    """out = -a log(a) for a > 0, 0 at a = 0, -inf for a < 0 (NaN stays NaN).
    dL/da = -g (1 + log a)."""

    _backward_name = "SpecialEntrBackward0"

    @staticmethod
    def forward(ctx, a):
        a = _float(a)
        ctx.save_for_backward(a)
        out = np.where(a > 0, -a * np.log(a), np.where(a == 0, 0, -np.inf))
        return np.where(np.isnan(a), a, out).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return g * -(1 + np.log(a))


class Logit(ArrayFunction):
    """out = log(x / (1 - x)), with x = a clamped to [eps, 1 - eps] when eps >= 0 (torch's
    order: below eps -> eps, else above 1 - eps -> 1 - eps; eps None or negative: no clamp).
    dL/da = g / (a (1 - a)); with eps >= 0: 0 outside [eps, 1 - eps]; else NaN outside
    [0, 1]."""

    _backward_name = "LogitBackward0"

    @staticmethod
    def forward(ctx, a, eps):
        a = _float(a)
        ctx.save_for_backward(a)
        ctx.eps = eps
        x = a
        if eps >= 0:
            lo = a.dtype.type(eps)
            hi = a.dtype.type(1) - lo
            x = np.where(a < lo, lo, np.where(a > hi, hi, a))
        return np.log(x / (1 - x))

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        grad = g / (a * (1 - a))
        if ctx.eps < 0:
            return np.where((a < 0) | (a > 1), a.dtype.type(np.nan), grad), None
        lo = a.dtype.type(ctx.eps)
        hi = a.dtype.type(1) - lo
        return zero_where(grad, (a < lo) | (a > hi)), None


def _binary_float(a, b):
    """Two operands (arrays or one Python number) in torch's result dtype, a float one: integer
    results compute in the default float dtype."""
    # (a GraphArray, in a replay under create_graph, promotes as the array it stands for)
    dt = result_np_dtype(*(unwrap(x)._data if recorded(x) else x for x in (a, b)))
    if dt.kind != "f":
        dt = get_default_dtype().np
    return as_dtype(a, dt), as_dtype(b, dt)


def _xlog(x: np.ndarray, y: np.ndarray, log) -> np.ndarray:
    """x log(y) (``log``: np.log or np.log1p), 0 where x = 0, NaN where y is NaN."""
    out = x * log(y)
    out = np.where(x == 0, out.dtype.type(0), out)
    return np.where(np.isnan(y), y, out)


class Xlogy(ArrayFunction):
    """out = x log(y), 0 where x = 0 (unless y is NaN).
    dL/dx = xlogy(g, y), set to 0 where x = 0 and y <= 0;   dL/dy = g x / y."""

    _backward_name = "XlogyBackward0"
    _log = np.log
    _edge = 0.0   # log(y) is -inf or NaN at and below it

    @classmethod
    def forward(cls, ctx, x, y):
        x, y = _binary_float(x, y)
        ctx.save_for_backward(x, y)
        return _xlog(x, y, cls._log)

    @classmethod
    def backward(cls, ctx, g):
        x, y = ctx.saved_tensors
        gx = gy = None
        graph = recorded(g) or recorded(x) or recorded(y)
        if ctx.needs_input_grad[1]:  # other's first, as torch (by argument name)
            gy = g * x / (y if not cls._edge else add_scalar(y, -cls._edge))
        if ctx.needs_input_grad[0] and graph:  # torch's xlogy(grad, other).masked_fill(...)
            gx = recorded_masked_fill(record(_XLOG_OPS[cls], g, y),
                                      (x == 0) & (y <= cls._edge), 0.0)
        elif ctx.needs_input_grad[0]:
            gx = zero_where(_xlog(g, y, cls._log), (x == 0) & (y <= cls._edge))
        return gx, gy


class Xlog1py(Xlogy):
    """out = x log(1 + y), 0 where x = 0 (unless y is NaN).
    dL/dx = xlog1py(g, y), set to 0 where x = 0 and y <= -1;   dL/dy = g x / (1 + y)."""

    _backward_name = "SpecialXlog1PyBackward0"
    _log = np.log1p
    _edge = -1.0


class Zeta(ArrayFunction):
    """out = zeta(x, q) = sum_{k>=0} (q + k)^-x, the Hurwitz zeta function.
    dL/dq = -g x zeta(x + 1, q); the derivative in x is not implemented (torch's neither)."""

    _backward_name = "SpecialZetaBackward0"

    @staticmethod
    def forward(ctx, x, q):
        x, q = _binary_float(x, q)
        _no_half(x, "zeta_cpu")
        ctx.save_for_backward(x, q)
        if recorded(x, q):   # a replay under create_graph: recorded through the op itself
            return record(special_zeta, x, q)
        return sm.zeta(x, q).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x, q = ctx.saved_tensors
        if ctx.needs_input_grad[0]:
            raise NotImplementedError("the derivative for 'zeta' is not implemented.")
        if recorded(x, q):
            dq = record(special_zeta, x + 1.0, q)
        else:
            dq = sm.zeta(x + 1.0, q).astype(x.dtype, copy=False)
        return None, g * -x * dq



# -- the public functions ------------------------------------------------------------------------

@supports_out()
def lgamma(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """log |Gamma(input)|. (see ``Lgamma``)"""
    if not isinstance(input, Tensor):
        raise argument_error(lgamma, locals())
    return Lgamma.apply(input)


@supports_out()
def digamma(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """psi(input) = d/dx log Gamma(x). (see ``Digamma``)"""
    if not isinstance(input, Tensor):
        raise argument_error(digamma, locals())
    return Digamma.apply(input)


@supports_out()
def erfc(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """erfc(input) = 1 - erf(input). (see ``Erfc``)"""
    if not isinstance(input, Tensor):
        raise argument_error(erfc, locals())
    return Erfc.apply(input)


@supports_out()
def erfinv(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The inverse error function. (see ``Erfinv``)"""
    if not isinstance(input, Tensor):
        raise argument_error(erfinv, locals())
    return Erfinv.apply(input)


@supports_out()
def i0(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """I0(input), the modified Bessel function of the first kind of order 0. (see ``I0``)"""
    if not isinstance(input, Tensor):
        raise argument_error(i0, locals())
    return I0.apply(input)


@supports_out()
def sinc(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """sin(pi x) / (pi x), 1 at 0. (see ``Sinc``)"""
    if not isinstance(input, Tensor):
        raise argument_error(sinc, locals())
    return Sinc.apply(input)


@supports_out()
def special_erfcx(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """exp(x^2) erfc(x). (see ``Erfcx``)"""
    if not isinstance(input, Tensor):
        raise argument_error(special_erfcx, locals())
    return Erfcx.apply(input)


@supports_out()
def special_ndtri(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The standard normal quantile. (see ``Ndtri``)"""
    if not isinstance(input, Tensor):
        raise argument_error(special_ndtri, locals())
    return Ndtri.apply(input)


@supports_out()
def special_log_ndtr(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """log of the standard normal CDF. (see ``LogNdtr``)"""
    if not isinstance(input, Tensor):
        raise argument_error(special_log_ndtr, locals())
    return LogNdtr.apply(input)


@supports_out()
def special_i0e(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """exp(-|x|) I0(x). (see ``I0e``)"""
    if not isinstance(input, Tensor):
        raise argument_error(special_i0e, locals())
    return I0e.apply(input)


@supports_out()
def special_i1(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """I1(input). (see ``I1``)"""
    if not isinstance(input, Tensor):
        raise argument_error(special_i1, locals())
    return I1.apply(input)


@supports_out()
def special_i1e(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """exp(-|x|) I1(x). (see ``I1e``)"""
    if not isinstance(input, Tensor):
        raise argument_error(special_i1e, locals())
    return I1e.apply(input)


@supports_out()
def special_entr(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """-x log x (0 at 0, -inf below). (see ``Entr``)"""
    if not isinstance(input, Tensor):
        raise argument_error(special_entr, locals())
    return Entr.apply(input)


@supports_out(copy=True)
def special_ndtr(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Phi(input), the standard normal CDF (``Ndtr``). torch composes it, so ``out=`` is a
    recorded copy of the result (an input that requires grad is allowed)."""
    if not isinstance(input, Tensor):
        raise argument_error(special_ndtr, locals())
    return Ndtr.apply(input)


def _check_n(n, fn: str) -> int:
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"{fn}(): argument 'n' (position 1) must be int, not "
                        f"{type(n).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return int(n)


@supports_out()
def polygamma(n: int, input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """psi^(n)(input), the n-th derivative of the digamma function (n >= 0)."""
    return Polygamma.apply(_check_n(n, "polygamma"), input)


def polygamma_inplace_op(input: Tensor, n: int) -> Tensor:
    """The op behind ``Tensor.polygamma_(n)`` (its own node name in torch:
    PolygammaBackward1)."""
    return Polygamma.apply(_check_n(n, "polygamma_"), input, name="PolygammaBackward1")


@supports_out("polygamma")
def special_polygamma(n: int, input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``polygamma`` (torch.special's name in its argument errors)."""
    return Polygamma.apply(_check_n(n, "special_polygamma"), input)


@supports_out()
def mvlgamma(input: Tensor, p: int, *, out: Tensor | None = None) -> Tensor:
    """The multivariate log-gamma function of dimension ``p`` (see ``Mvlgamma``)."""
    if not isinstance(input, Tensor):
        raise argument_error(mvlgamma, locals())
    if input._data.dtype == np.bool_:
        raise RuntimeError("The input tensor may not be a boolean tensor.")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    return Mvlgamma.apply(input, int(p))


@supports_out()
def logit(input: Tensor, eps: float | None = None, *, out: Tensor | None = None) -> Tensor:
    """log(p / (1 - p)), with p clamped to [eps, 1 - eps] when ``eps`` is given."""
    if not isinstance(input, Tensor):
        raise argument_error(logit, locals())
    return Logit.apply(input, -1.0 if eps is None else float(eps))


def _overload(fn: str, input, other) -> int:
    """torch's overload for the arguments: 0 (Tensor, Tensor), 1 (number, Tensor),
    2 (Tensor, number), which numbers its node (``XlogyBackward0/1/2``); torch's TypeError for
    anything else."""
    t_in, t_other = isinstance(input, Tensor), isinstance(other, Tensor)
    if t_in and t_other:
        broadcast_shapes_or_raise(input._data.shape, other._data.shape)
        return 0
    if t_other and isinstance(input, numbers.Number) and not isinstance(input, bool):
        return 1
    if t_in and isinstance(other, numbers.Number) and not isinstance(other, bool):
        return 2
    raise argument_error(None, {"input": input, "other": other}, fn)


@supports_out()
def xlogy(input, other, *, out: Tensor | None = None) -> Tensor:
    """input * log(other), 0 where input = 0 (unless other is NaN)."""
    k = _overload("xlogy", input, other)
    return Xlogy.apply(input, other, name=f"XlogyBackward{k}")


@supports_out()
def special_xlog1py(input, other, *, out: Tensor | None = None) -> Tensor:
    """input * log1p(other), 0 where input = 0 (unless other is NaN)."""
    k = _overload("special_xlog1py", input, other)
    return Xlog1py.apply(input, other, name=f"SpecialXlog1PyBackward{k}")


# the op each class's x-gradient is under create_graph (torch's xlogy(grad, other) / xlog1py)
_XLOG_OPS = {Xlogy: xlogy, Xlog1py: special_xlog1py}


@supports_out()
def special_zeta(input, other, *, out: Tensor | None = None) -> Tensor:
    """The Hurwitz zeta function zeta(input, other) = sum_k (other + k)^-input."""
    k = _overload("special_zeta", input, other)
    return Zeta.apply(input, other, name=f"SpecialZetaBackward{k}")
