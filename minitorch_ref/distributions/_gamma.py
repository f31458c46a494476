"""Gamma and Dirichlet sampling as torch's CPU kernels do it, and their reparameterized
gradients (``torch._standard_gamma``, ``torch._sample_dirichlet``, ``_standard_gamma_grad``,
``_dirichlet_grad``).

Sampling. torch draws each element in turn (a serial loop in the output's order) with the
Marsaglia-Tsang rejection method, taking float64 uniforms (two words each) and float64 normals
(the per-element Box-Muller path, whose spare value is cached in the generator) from the one
stream as the loop needs them. How many draws an element takes depends on its own rejections, so
the loop cannot be vectorized without changing which numbers each element gets; it runs in
Python, one element at a time, with the C library's ``log``, ``pow`` and ``sqrt`` (Python's
``math``), in torch's mix of float and double arithmetic (see ``_sample_gamma_one``).

Gradients. d x / d alpha for x ~ Gamma(alpha) (and the Dirichlet's through Beta marginals) has
no closed form; torch uses series and rational approximations, reproduced here in float64.
"""
from __future__ import annotations

import math

import numpy as np

from .._ops.special_math import digamma as _digamma
from .._tensor import Tensor
from ..autograd.function import ArrayFunction
from ..random import _gen

_F32_THIRD = float(np.float32(1.0) / np.float32(3.0))  # torch's 1.0f / 3.0f
_F32_0331 = float(np.float32(0.0331))  # the float literal 0.0331f, widened to double


def _sample_gamma_one(alpha: float, single: bool, uniform, normal) -> float:
    """One draw of Gamma(alpha, 1) by Marsaglia and Tsang (2000), as torch's ``sample_gamma``:
    for alpha < 1, draw Gamma(alpha + 1) and scale by u^(1/alpha). ``single``: alpha is a
    float32 value, whose ``1/alpha``, ``alpha + 1`` and ``alpha - 1/3`` torch computes in
    float; everything else is double."""
    scale = 1.0
    if alpha < 1.0:
        if alpha == 0.0:
            return 0.0
        inv = float(np.float32(1.0) / np.float32(alpha)) if single else 1.0 / alpha
        scale *= math.pow(1 - uniform(), inv)
        alpha = float(np.float32(alpha) + np.float32(1.0)) if single else alpha + 1.0
    d = float(np.float32(alpha) - np.float32(_F32_THIRD)) if single else alpha - _F32_THIRD
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        while True:
            x = normal()
            y = 1.0 + c * x
            if y > 0:
                break
        v = y * y * y
        u = 1 - uniform()
        xx = x * x
        if u < 1.0 - _F32_0331 * xx * xx:
            return scale * d * v
        if math.log(u) < 0.5 * xx + d * (1.0 - v + math.log(v)):
            return scale * d * v


def _gamma_samples(alpha: np.ndarray, generator, single: bool) -> np.ndarray:
    """Gamma(alpha, 1) draws for every element of ``alpha`` in C order, as float64."""
    flat = np.ascontiguousarray(alpha).reshape(-1).tolist()
    with _gen(generator).scalar_draws() as draws:
        values = [_sample_gamma_one(a, single, draws.uniform, draws.normal) for a in flat]
    return np.array(values, dtype=np.float64).reshape(alpha.shape)


# -- reparameterized gradients -------------------------------------------------------------------


def standard_gamma_grad(alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
    """d x / d alpha = -(d/dalpha CDF(x; alpha)) / pdf(x; alpha) for x ~ Gamma(alpha, 1):
    a Taylor series for x < 0.8, Rice's saddle-point expansion for alpha > 8, else a bivariate
    rational approximation in (log(x / alpha), log alpha); torch's three regimes."""
    a = alpha.astype(np.float64)
    xd = x.astype(np.float64)
    # Taylor series of the regularized lower incomplete gamma function
    numer = np.ones_like(a)
    denom = a.copy()
    series1 = numer / denom
    series2 = numer / (denom * denom)
    for i in range(1, 6):
        numer = numer * (-xd / i)
        denom = denom + 1
        series1 = series1 + numer / denom
        series2 = series2 + numer / (denom * denom)
    pow_x_alpha = np.power(xd, a)
    gamma_pdf = np.power(xd, a - 1) * np.exp(-xd)
    gamma_cdf = pow_x_alpha * series1
    gamma_cdf_alpha = (np.log(xd) - _digamma(a)) * gamma_cdf - pow_x_alpha * series2
    small = -gamma_cdf_alpha / gamma_pdf
    small = np.where(np.isnan(small), 0.0, small)

    # Rice saddle point, with a polynomial near x = alpha (its singularity)
    numer_1 = 1 + 24 * a * (1 + 12 * a)
    numer_2 = (1440 * (a * a) + 6 * xd * (53 - 120 * xd) - 65 * xd * xd / a
               + a * (107 + 3600 * xd))
    near = numer_1 * numer_2 / (1244160 * (a * a) * (a * a))
    denom_r = np.sqrt(8 * a)
    term2 = denom_r / (a - xd)
    term3 = np.power(xd - a - a * np.log(xd / a), -1.5)
    term23 = np.where(xd < a, term2 - term3, term2 + term3)
    term1 = np.log(xd / a) * term23 - np.sqrt(2 / a) * (a + xd) / ((a - xd) * (a - xd))
    stirling = 1 + 1 / (12 * a) * (1 + 1 / (24 * a))
    far = -stirling * (xd * term1) / denom_r
    rice = np.where((0.9 * a <= xd) & (xd <= 1.1 * a), near, far)

    # rational approximation
    u = np.log(xd / a)
    v = np.log(a)
    cv = [_GAMMA_UV[0][i] + u * (_GAMMA_UV[1][i] + u * _GAMMA_UV[2][i]) for i in range(8)]
    p = cv[0] + v * (cv[1] + v * (cv[2] + v * cv[3]))
    q = cv[4] + v * (cv[5] + v * (cv[6] + v * cv[7]))
    rational = np.exp(p / q)
    result = np.where(xd < 0.8, small, np.where(a > 8.0, rice, rational))
    return result.astype(alpha.dtype)


_GAMMA_UV = (
    (0.16009398, -0.094634809, 0.025146376, -0.0030648343,
     1, 0.32668115, 0.10406089, 0.0014179084),
    (0.53487893, 0.1298071, 0.065735949, -0.0015649758,
     0.16639465, 0.020070113, -0.0035938915, -0.00058392623),
    (0.040121004, -0.0065914022, -0.0026286047, -0.0013441777,
     0.017050642, -0.0021309326, 0.00085092367, -1.5247877e-07),
)


def _beta_grad_alpha_small(x, alpha, beta):
    """d x / d alpha for x ~ Beta(alpha, beta) near x = 0: a Taylor series."""
    factor = _digamma(alpha) - _digamma(alpha + beta) - np.log(x)
    numer = np.ones_like(x)
    series = numer / alpha * (factor + 1 / alpha)
    for i in range(1, 11):
        numer = numer * ((i - beta) * x / i)
        denom = alpha + i
        series = series + numer / denom * (factor + 1 / denom)
    result = x * np.power(1 - x, -beta) * series
    return np.where(np.isnan(result), 0.0, result)


def _beta_grad_beta_small(x, alpha, beta):
    """d x / d beta for x ~ Beta(alpha, beta) near x = 0: a Taylor series."""
    factor = _digamma(alpha + beta) - _digamma(beta)
    numer, betas, dbetas = np.ones_like(x), np.ones_like(x), np.zeros_like(x)
    series = factor / alpha
    for i in range(1, 9):
        numer = numer * (-x / i)
        dbetas = dbetas * (beta - i) + betas
        betas = betas * (beta - i)
        series = series + numer / (alpha + i) * (dbetas + factor * betas)
    result = -np.power(1 - x, 1 - beta) * series
    return np.where(np.isnan(result), 0.0, result)


def _beta_grad_alpha_mid(x, alpha, beta):
    """d x / d alpha for x ~ Beta(alpha, beta) with alpha and beta large: Rice's saddle-point
    expansion, with a polynomial near the mean (its singularity)."""
    total = alpha + beta
    mean = alpha / total
    std = np.sqrt(alpha * beta / (total + 1)) / total
    poly = 47 * x * (beta * beta) * (beta * beta) + alpha * (
        (43 + 20 * (16 + 27 * beta) * x) * (beta * beta) * beta + alpha * (
            3 * (59 + 180 * beta - 90 * x) * (beta * beta) + alpha * (
                (453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (
                    8 * (1 - x) * (135 * beta - 11)))))
    prefactor_num = (1 + 12 * alpha) * (1 + 12 * beta) / (total * total)
    prefactor_den = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total)
    near = prefactor_num / (1 - x) * poly / prefactor_den
    prefactor = -x / np.sqrt(2 * alpha * beta / total)
    stirling = ((1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha))
                * (1 + 1 / (12 * beta) + 1 / (288 * beta * beta))
                / (1 + 1 / (12 * total) + 1 / (288 * total * total)))
    term1_num = 2 * (alpha * alpha) * (x - 1) + alpha * beta * (x - 1) - x * (beta * beta)
    axbx = alpha * (x - 1) + beta * x
    term1_den = np.sqrt(2 * alpha / beta) * np.power(total, 1.5) * axbx * axbx
    term1 = term1_num / term1_den
    term2 = 0.5 * np.log(alpha / (total * x))
    term3 = np.sqrt(8 * alpha * beta / total) / (beta * x + alpha * (x - 1))
    term4_base = (beta * np.log(beta / (total * (1 - x)))
                  + alpha * np.log(alpha / (total * x)))
    term4 = np.power(term4_base, -1.5)
    term1234 = term1 + term2 * (term3 + np.where(x < mean, term4, -term4))
    far = stirling * prefactor * term1234
    return np.where((mean - 0.1 * std <= x) & (x <= mean + 0.1 * std), near, far)


def dirichlet_grad(x: np.ndarray, alpha: np.ndarray, total: np.ndarray) -> np.ndarray:
    """-(d/dalpha CDF(x; alpha, beta)) / pdf(x; alpha, beta) / (1 - x) for x ~ Beta(alpha,
    beta), beta = total - alpha: the Dirichlet's gradient through its Beta marginals. torch's
    four regimes: x near 0, x near 1, alpha and beta both large, else a rational correction
    to x (digamma(total) - digamma(alpha)) / beta."""
    xd, a, t = (np.asarray(v, dtype=np.float64) for v in (x, alpha, total))
    b = t - a
    boundary = t * xd * (1 - xd)
    small = _beta_grad_alpha_small(xd, a, b)
    large = -_beta_grad_beta_small(1 - xd, b, a)
    mid = _beta_grad_alpha_mid(xd, a, b)
    u = np.log(xd)
    la = np.log(a) - u
    lb = np.log(t) - la
    pow_u = (1.0, u, u * u)
    pow_a = (1.0, la, la * la)
    p = np.zeros_like(xd)
    q = np.zeros_like(xd)
    for i in range(3):
        for j in range(3):
            ua = pow_u[i] * pow_a[j]
            c0, c1 = _DIRICHLET_C[0][i][j], _DIRICHLET_C[1][i][j]
            p = p + ua * (c0[0] + lb * (c0[1] + lb * (c0[2] + lb * c0[3])))
            q = q + ua * (c1[0] + lb * (c1[1] + lb * (c1[2] + lb * c1[3])))
    approx = xd * (_digamma(t) - _digamma(a)) / b
    rational = p / q * approx
    result = np.select([(xd <= 0.5) & (boundary < 2.5), (xd >= 0.5) & (boundary < 0.75),
                        (a > 6) & (b > 6)], [small, large, mid], rational)
    return result.astype(np.result_type(x, alpha, total))


_DIRICHLET_C = (
    (((1.003668233, -0.01061107488, -0.0657888334, 0.01201642863),
      (0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033),
      (-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013)),
     ((0.221950385, -0.3187676331, 0.01799915743, 0.01074823814),
      (-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057),
      (0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05)),
     ((-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565),
      (0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181),
      (0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05))),
    (((1, -0.02924021934, -0.04438342661, 0.007285809825),
      (0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521),
      (-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149)),
     ((0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273),
      (0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956),
      (-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05)),
     ((0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05),
      (0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05),
      (-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06))),
)


# -- the ops -------------------------------------------------------------------------------------


class StandardGamma(ArrayFunction):
    """x ~ Gamma(alpha, 1), drawn elementwise from the default stream.
    dL/dalpha = g * standard_gamma_grad(alpha, x)."""

    _backward_name = "StandardGammaBackward0"

    @staticmethod
    def forward(ctx, alpha, generator):
        single = alpha.dtype == np.float32
        x = _gamma_samples(alpha, generator, single).astype(alpha.dtype)
        x = np.maximum(x, np.finfo(alpha.dtype).tiny)  # torch's max(numeric_limits::min, x)
        ctx.save_for_backward(alpha, x)
        return x

    @staticmethod
    def backward(ctx, g):
        alpha, x = ctx.saved_tensors
        return g * standard_gamma_grad(alpha, x), None


def _standard_gamma(alpha: Tensor, generator=None) -> Tensor:
    """torch._standard_gamma: Gamma(alpha, 1) samples of alpha's shape and dtype."""
    return StandardGamma.apply(alpha, generator)


class SampleDirichlet(ArrayFunction):
    """x ~ Dirichlet(alpha) along the last dimension: Gamma(alpha_i, 1) draws (in float64,
    against underflow) normalized by their sum, clamped to [tiny, 1) of the dtype.

    dL/dalpha_i = G_i (g_i - sum_j x_j g_j),  G = dirichlet_grad(x, alpha, sum(alpha)),
    the Beta-marginal gradient of each coordinate (torch's ``_Dirichlet`` Function)."""

    _backward_name = "_DirichletBackward"

    @staticmethod
    def forward(ctx, alpha, generator):
        gamma = _gamma_samples(alpha, generator, single=False)
        gamma = np.maximum(gamma, np.finfo(np.float64).tiny)
        ratio = (gamma / gamma.sum(-1, keepdims=True)).astype(alpha.dtype)
        one_below = np.nextafter(alpha.dtype.type(1), alpha.dtype.type(0))
        x = np.minimum(one_below, np.maximum(np.finfo(alpha.dtype).tiny, ratio))
        ctx.save_for_backward(x, alpha)
        return x

    @staticmethod
    def backward(ctx, g):
        x, alpha = ctx.saved_tensors
        total = np.broadcast_to(alpha.sum(-1, keepdims=True), alpha.shape)
        grad = dirichlet_grad(x, alpha, total)
        return grad * (g - (x * g).sum(-1, keepdims=True)), None


def _sample_dirichlet(alpha: Tensor, generator=None) -> Tensor:
    """torch._sample_dirichlet: one Dirichlet(alpha) sample per row of the last dimension."""
    return SampleDirichlet.apply(alpha, generator)
