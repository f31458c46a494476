"""Floating-point edge cases are silent, as in torch: 0/0, x/0, overflow and their gradients give
NaN or inf without a NumPy RuntimeWarning, whatever the user did to warnings or to NumPy's error
state. Both libraries run the same script in a subprocess, in each of the situations where a
warnings filter of the library's own would be lost, shadowed or beside the point, and must give
the same values (within float32 tolerance) and the same errors:

* ``catch``: the library is first imported inside ``warnings.catch_warnings()`` (as pytest's
  collection does), then every RuntimeWarning is an error;
* ``error``: ``warnings.simplefilter("error")`` after the import (``-W error``, pytest's
  ``filterwarnings = error``);
* ``raise``: ``np.seterr(all="raise")`` after the import.

A RuntimeWarning (or FloatingPointError) from the user's own NumPy code still reaches the user,
also from the user code the library calls (hooks, a custom Function's backward, a closure)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SETUP = {
    "catch": """
import warnings
with warnings.catch_warnings():
    import {lib} as torch
warnings.simplefilter("error", RuntimeWarning)
""",
    "error": """
import warnings
import {lib} as torch
warnings.simplefilter("error")
""",
    "raise": """
import numpy as np
import {lib} as torch
np.seterr(all="raise")
""",
}

SCRIPT = """
import json
F = torch.nn.functional
inf, nan = float('inf'), float('nan')
EXTREMES = [-inf, -1e4, -50., -1., 0., 1., 50., 1e4, inf, nan]


def values(r):
    if isinstance(r, (tuple, list)):
        return [values(v) for v in r]
    if isinstance(r, torch.Tensor):
        return {'dtype': str(r.dtype), 'values': r.detach().double().tolist()}
    return r


def show(name, f):
    try:
        out = {'values': values(f())}
    except Exception as e:  # both libraries must fail alike (or not at all)
        out = {'raised': f"{type(e).__name__}: {str(e).split(' (Triggered internally')[0]}"}
    print(json.dumps(dict(name=name, **out)))


def value_and_grad(f, values=EXTREMES, dtype=torch.float32):
    x = torch.tensor(values, dtype=dtype, requires_grad=True)
    y = f(x)
    y.backward(torch.ones_like(y))
    return y.detach(), x.grad


x = torch.tensor([0., 1., -1., 2.], requires_grad=True)
z = torch.zeros(4)
cases = {
    'div by zero': lambda: x / z,
    'number by zero': lambda: 1.0 / z,
    'floor_divide by zero': lambda: torch.tensor([3., 0.]) // torch.tensor([0., 0.]),
    'remainder by zero': lambda: torch.tensor([3., 0.]) % torch.tensor([0., 0.]),
    'fmod by zero': lambda: torch.fmod(torch.tensor([3., 0.]), 0.0),
    'pow overflow': lambda: torch.tensor([1e30, -1e30]) ** 20,
    'exp overflow': lambda: torch.exp(torch.tensor([100., 1000.])),
    'mul overflow': lambda: torch.tensor([3e38]) * 10,
    'inf - inf': lambda: torch.tensor([inf]) - inf,
    'log of zero and negatives': lambda: torch.log(x),
    'sqrt of negatives': lambda: torch.sqrt(x),
    'float16 overflow': lambda: torch.tensor([1e6]).half(),
    'softmax of inf': lambda: torch.softmax(torch.tensor([inf, 1.0]), 0),
    'mean of empty': lambda: torch.zeros(0).mean(),
    'var of empty': lambda: (torch.zeros(0).var(correction=0), torch.zeros(0, 3).std(0)),
    'var_mean of empty': lambda: torch.var_mean(torch.zeros(2, 0), 1, correction=0),
    'var of one element': lambda: torch.tensor([1.0]).var(),
    'in-place exp': lambda: torch.tensor([1000.]).exp_(),
    'out= exp': lambda: torch.exp(torch.tensor([1000.]), out=torch.empty(1)),
    'print inf and nan': lambda: str(torch.tensor([[inf, -inf, nan], [1e-30, 1e30, 0.]])),
}
for name, f in cases.items():
    show(name, f)

# forward and backward over extreme inputs
unary = {
    'exp': torch.exp, 'expm1': torch.expm1, 'log': torch.log, 'log1p': torch.log1p,
    'sqrt': torch.sqrt, 'rsqrt': torch.rsqrt, 'reciprocal': torch.reciprocal,
    'pow 0.5': lambda t: t ** 0.5, 'pow -2': lambda t: t ** -2, 'square': lambda t: t * t,
    '2 ** t': lambda t: 2 ** t, 'div by self': lambda t: t / t, '1 / t': lambda t: 1 / t,
    'tanh': torch.tanh, 'sigmoid': torch.sigmoid, 'sin': torch.sin, 'atan': torch.atan,
    'silu': F.silu, 'softplus': F.softplus, 'mish': F.mish, 'gelu': F.gelu,
    'gelu tanh': lambda t: F.gelu(t, approximate='tanh'), 'logsigmoid': F.logsigmoid,
    'softsign': F.softsign,
    'softmax': lambda t: torch.softmax(t, 0), 'log_softmax': lambda t: torch.log_softmax(t, 0),
    'logsumexp': lambda t: torch.logsumexp(t, 0), 'norm': lambda t: t.norm(),
    'normalize': lambda t: F.normalize(t * 0, dim=0),
    'erfinv': lambda t: torch.erfinv(t / 1e4), 'lgamma': torch.lgamma,
    'prod': lambda t: t.prod(), 'cumprod': lambda t: t.cumprod(0),
}
for name, f in unary.items():
    show('fwd+bwd ' + name, lambda: value_and_grad(f))
for name, f in {'elu': F.elu, 'selu': F.selu, 'celu': F.celu}.items():
    show('fwd+bwd ' + name, lambda: value_and_grad(f, EXTREMES[:-1]))
show('fwd+bwd exp float16', lambda: value_and_grad(torch.exp, [1., 20., -20.], torch.float16))
show('fwd+bwd float16 cast', lambda: value_and_grad(lambda t: t.half() * 1e4, [1., 7.]))
show('fwd+bwd pow', lambda: value_and_grad(lambda t: t ** torch.tensor(EXTREMES)))
show('fwd+bwd pow base', lambda: value_and_grad(lambda t: torch.tensor(EXTREMES) ** t))
show('fwd+bwd atan2', lambda: value_and_grad(lambda t: torch.atan2(t, t * 0)))


def grad2(f, values=EXTREMES):
    # the second derivative through create_graph (double backward)
    x = torch.tensor(values, requires_grad=True)
    g, = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    g.sum().backward()
    return g.detach(), x.grad


# ops whose kernels rely on the library's error state alone (no np.errstate of their own)
kernels = {
    'log2': torch.log2, 'log10': torch.log10, 'asin': torch.asin, 'acos': torch.acos,
    'sinh': torch.sinh, 'cosh': torch.cosh, 'asinh': torch.asinh, 'acosh': torch.acosh,
    'atanh': torch.atanh, 'sinc': torch.sinc, 'logit': torch.logit,
    'entr': torch.special.entr, 'erfcx': torch.special.erfcx, 'ndtri': torch.special.ndtri,
    'log_ndtr': torch.special.log_ndtr, 'xlogy': lambda t: torch.xlogy(t, t),
    'logaddexp': lambda t: torch.logaddexp(t, -t), 'logaddexp2': lambda t: torch.logaddexp2(t, t),
    'hypot': lambda t: torch.hypot(t, t * 0), 'copysign': lambda t: torch.copysign(t * 0, t),
    'remainder': lambda t: torch.remainder(torch.ones_like(t), t),
    'fmod': lambda t: torch.fmod(torch.ones_like(t), t),
    'addcdiv': lambda t: torch.addcdiv(t, t, t * 0), 'addcmul': lambda t: torch.addcmul(t, t, t),
    'lerp': lambda t: torch.lerp(t, -t, 0.5), 'fmax': lambda t: torch.fmax(t, -t),
    'logcumsumexp': lambda t: torch.logcumsumexp(t, 0), 'nansum': lambda t: t.nansum(),
    'nanmean': lambda t: (t * 0).nanmean(), 'quantile': lambda t: t.quantile(0.3),
    'pdist norm': lambda t: torch.dist(t, t.detach(), 3.), 'renorm': lambda t: torch.renorm(
        t.reshape(2, 5) * 0, 3., 0, 1.),
    'cdist': lambda t: torch.cdist(t.reshape(5, 2) * 0, torch.zeros(3, 2)),
}
for name, f in kernels.items():
    show('fwd+bwd ' + name, lambda: value_and_grad(f))
for name in ('log2', 'asin', 'sinh', 'atanh', 'logit', 'xlogy', 'logaddexp', 'hypot',
             'lerp', 'logcumsumexp', 'sinc'):
    show('double backward ' + name, lambda: grad2(kernels[name]))
show('fwd+bwd lerp float16', lambda: value_and_grad(
    lambda t: torch.lerp(t, t * 0 + 6e4, 0.5), [6e4, -6e4, 1.], torch.float16))
show('fwd+bwd pow number', lambda: value_and_grad(lambda t: t ** -0.5))
show('ldexp', lambda: torch.ldexp(torch.tensor([1e38, 1.]), torch.tensor([200, 1])))
show('unique_consecutive nan', lambda: torch.unique_consecutive(torch.tensor([nan, nan, 1.])))
show('histc inf', lambda: torch.histc(torch.tensor([0., 1., 2.]), 4, 0., 3e38))

# losses
logits = [[1000., -1000., 0.], [inf, 0., 1.], [-inf, -inf, -inf], [nan, 1., 2.]]
target = torch.tensor([0, 1, 2, 1])
show('cross_entropy', lambda: value_and_grad(
    lambda t: F.cross_entropy(t, target, reduction='none'), logits))
show('cross_entropy smoothed', lambda: value_and_grad(
    lambda t: F.cross_entropy(t, target, label_smoothing=0.1, reduction='none'), logits))
show('nll_loss', lambda: value_and_grad(lambda t: F.nll_loss(t, target, reduction='none'), logits))
show('bce with logits', lambda: value_and_grad(
    lambda t: F.binary_cross_entropy_with_logits(t, torch.ones_like(t), reduction='none')))
show('bce', lambda: value_and_grad(
    lambda t: F.binary_cross_entropy(t, torch.ones(4), reduction='none'), [0., 1., 0.5, 1e-30]))
show('kl_div', lambda: value_and_grad(
    lambda t: F.kl_div(t, torch.zeros_like(t), reduction='none')))
show('mse', lambda: value_and_grad(lambda t: F.mse_loss(t, torch.zeros_like(t))))
show('poisson_nll', lambda: value_and_grad(lambda t: F.poisson_nll_loss(t, torch.ones_like(t))))
show('poisson_nll no log', lambda: value_and_grad(
    lambda t: F.poisson_nll_loss(t, t * 0, log_input=False, full=True, reduction='none')))
show('kl_div log_target', lambda: value_and_grad(
    lambda t: F.kl_div(t, t, log_target=True, reduction='none')))
show('gaussian_nll', lambda: value_and_grad(
    lambda t: F.gaussian_nll_loss(t, t * 0, torch.ones_like(t), reduction='none')))
show('hinge_embedding', lambda: value_and_grad(
    lambda t: F.hinge_embedding_loss(t, -torch.ones_like(t), reduction='none')))
show('multi_margin', lambda: value_and_grad(
    lambda t: F.multi_margin_loss(t, target, reduction='none'), logits))
show('multilabel_margin', lambda: value_and_grad(
    lambda t: F.multilabel_margin_loss(t, torch.tensor([[0, -1, 0]] * 4), reduction='none'),
    logits))
show('triplet_margin', lambda: value_and_grad(
    lambda t: F.triplet_margin_loss(t, t * 0, t * 0, reduction='none'), logits))
show('ctc_loss', lambda: value_and_grad(
    lambda t: F.ctc_loss(t.reshape(4, 1, 3).log_softmax(2), torch.tensor([[1, 2]]), [4], [2],
                         reduction='none'), logits))
show('double backward kl_div', lambda: grad2(
    lambda t: F.kl_div(t, torch.ones_like(t), log_target=True)))
show('double backward poisson_nll', lambda: grad2(
    lambda t: F.poisson_nll_loss(t, torch.ones_like(t), log_input=False)))

# matmul, linear and convolution with inf weights (0 * inf = nan in the sums)
w_inf = [[inf, 1.], [0., -inf]]
show('matmul inf', lambda: value_and_grad(lambda w: torch.tensor([[0., 1.], [1., 0.]]) @ w, w_inf))
show('linear inf', lambda: value_and_grad(
    lambda w: F.linear(torch.tensor([[0., 1.]]), w), w_inf))
show('conv2d inf weight', lambda: value_and_grad(
    lambda w: F.conv2d(torch.zeros(1, 1, 4, 4), w.reshape(1, 1, 2, 2), padding=1), w_inf))
show('conv2d inf input', lambda: value_and_grad(
    lambda t: F.conv2d(t.reshape(1, 1, 2, 2), torch.zeros(2, 1, 3, 3), padding=1), w_inf))
show('conv1d strided', lambda: value_and_grad(
    lambda t: F.conv1d(t.reshape(1, 1, 10), torch.ones(1, 1, 3) * 1e38, stride=2)))
show('conv_transpose2d inf weight', lambda: value_and_grad(
    lambda w: F.conv_transpose2d(torch.zeros(1, 1, 3, 3), w.reshape(1, 1, 2, 2), stride=2),
    w_inf))

# normalizations of constant input, with eps = 0 (0 / 0)
const = [[[2., 2., 2., 2.], [2., 2., 2., 2.]]]
show('layer_norm', lambda: value_and_grad(lambda t: F.layer_norm(t, (4,), eps=0.), const))
show('group_norm', lambda: value_and_grad(lambda t: F.group_norm(t, 1, eps=0.), const))
show('instance_norm', lambda: value_and_grad(F.instance_norm, const))
show('batch_norm', lambda: value_and_grad(
    lambda t: F.batch_norm(t, None, None, training=True, eps=0.), const))
show('batch_norm eval', lambda: value_and_grad(
    lambda t: F.batch_norm(t, torch.zeros(2), torch.zeros(2), eps=0.), const))
show('rms_norm', lambda: value_and_grad(lambda t: F.rms_norm(t * 0, (4,), eps=0.), const))
show('cosine_similarity', lambda: value_and_grad(
    lambda t: F.cosine_similarity(t, t * 0, dim=-1, eps=0.), const))
show('layer_norm float16', lambda: value_and_grad(
    lambda t: F.layer_norm(t, (4,), eps=0.), const, torch.float16))


# optimizer steps with inf and nan gradients
def steps(opt_cls, grads=([inf, -inf, 0., 1.], [nan, 1e38, 0., -1.]), **kw):
    p = torch.tensor([1., 2., 3., 4.], requires_grad=True)
    opt = opt_cls([p], **kw)
    for g in grads:
        p.grad = torch.tensor(g)
        opt.step()
    return p.detach()


opts = [(torch.optim.SGD, dict(lr=0.1)), (torch.optim.SGD, dict(lr=0.1, momentum=0.9,
                                                                   nesterov=True)),
        (torch.optim.Adam, {}), (torch.optim.Adam, dict(amsgrad=True, weight_decay=0.1)),
        (torch.optim.AdamW, {}), (torch.optim.NAdam, {}), (torch.optim.RAdam, {}),
        (torch.optim.Adamax, {}), (torch.optim.Adagrad, {}), (torch.optim.Adadelta, {}),
        (torch.optim.RMSprop, dict(centered=True, momentum=0.5)),
        (torch.optim.Rprop, dict(grads=([3e38, -3e38, 0., 1.], [-3e38, 1e38, 0., -1.]))),
        (torch.optim.ASGD, {}), (torch.optim.Adafactor, {})]
for cls, kw in opts:
    show(f'step {cls.__name__} {kw}', lambda: steps(cls, **kw))


def lbfgs():
    p = torch.tensor([1e20, -1e20], requires_grad=True)
    opt = torch.optim.LBFGS([p], max_iter=3)

    def closure():
        opt.zero_grad()
        loss = (p ** 4).sum()
        loss.backward()
        return loss
    opt.step(closure)
    return p.detach()


show('step LBFGS', lbfgs)


def clip():
    p = torch.tensor([1., 2.], requires_grad=True)
    p.grad = torch.tensor([inf, 1.])
    norm = torch.nn.utils.clip_grad_norm_([p], 1.0)
    return norm, p.grad


show('clip_grad_norm_', clip)


def scaler():
    p = torch.tensor([1., 2.], requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    s = torch.amp.GradScaler('cpu', init_scale=3e38, growth_interval=1)
    for g in ([inf, 1.], [1., 1.], [1., 1.]):
        opt.zero_grad()
        s.scale((p * torch.tensor(g)).sum()).backward()
        s.step(opt)
        s.update()
    return p.detach(), s.get_scale()


show('GradScaler', scaler)
show('float16 tensor', lambda: torch.tensor([1e6, -1e6, 1.], dtype=torch.float16))
show('float16 from float64', lambda: torch.tensor([1e300, 1.], dtype=torch.float64).half())
show('float32 tensor of 1e300', lambda: torch.tensor([1e300, -1e300, 1.], dtype=torch.float32))
show('float32 0-d tensor of 1e300', lambda: torch.tensor(1e300, dtype=torch.float32))
show('as_tensor beyond float32', lambda: torch.as_tensor([1e300], dtype=torch.float32))
show('new_tensor beyond float32', lambda: torch.zeros(1).new_tensor([1e300]))
show('float16 full of a float32 1e30', lambda: torch.full((1,), np.float32(1e30), dtype=torch.float16))
show('float16 full of the int 65520', lambda: torch.full((1,), 65520, dtype=torch.float16))
show('float16 arange beyond 65504', lambda: torch.arange(0, 70000, 10000, dtype=torch.float16))
show('float16 linspace beyond 65504', lambda: torch.linspace(0, 1e5, 3, dtype=torch.float16))
show('float16 sum', lambda: torch.full((8,), 3e4, dtype=torch.float16).sum())
show('float16 matmul', lambda: torch.full((2, 4), 3e2, dtype=torch.float16) @ torch.full(
    (4, 2), 3e2, dtype=torch.float16))
show('int from inf', lambda: torch.tensor([1e10, -1.]).int().float() * 0)

# nn.init, random sampling, distributions and swa_utils at extremes: the draws and formulas
# torch computes silently (a stream-dependent draw is shown as [all finite, shape])
init = torch.nn.init
D = torch.distributions


def fin(t):
    return [bool(torch.isfinite(t).all()), list(t.shape)]


E = torch.empty
sampling = {
 'init uniform_ huge': lambda: init.uniform_(E(4), -1e308, 1e308),
 'init uniform_ f32 huge': lambda: fin(init.uniform_(E(4), -3e38, 3e38)),
 'init normal_ std huge': lambda: fin(init.normal_(E(4), 0., 1e308)),
 'init normal_ f32 huge std': lambda: fin(init.normal_(E(20), 0., 1e38)),
 'init normal_ mean inf': lambda: init.normal_(E(4), inf, 1.),
 'init trunc_normal_ far': lambda: init.trunc_normal_(E(4), 0., 1., 10., 11.),
 'init trunc_normal_ very far': lambda: init.trunc_normal_(E(4), 0., 1., 40., 41.),
 'init trunc_normal_ huge std': lambda: fin(init.trunc_normal_(E(4), 0., 1e300, -1., 1.)),
 'init trunc_normal_ tiny std': lambda: init.trunc_normal_(E(4), 0., 1e-300, -2., 2.),
 'init trunc_normal_ std 0': lambda: init.trunc_normal_(E(4), 0., 0., -2., 2.),
 'init trunc_normal_ f64 narrow': lambda: fin(init.trunc_normal_(E(16, dtype=torch.float64), 0.,
        1., 5., 5.0001)),
 'init xavier_uniform_ gain inf': lambda: init.xavier_uniform_(E(2, 3), gain=inf),
 'init xavier_normal_ gain huge': lambda: fin(init.xavier_normal_(E(2, 3), gain=1e308)),
 'init kaiming_uniform_ a huge': lambda: fin(init.kaiming_uniform_(E(2, 3), a=1e200)),
 'init kaiming_normal_ a huge': lambda: fin(init.kaiming_normal_(E(2, 3), a=1e200)),
 'init kaiming_normal_ a inf': lambda: fin(init.kaiming_normal_(E(2, 3), a=inf)),
 'init kaiming_uniform_ zero fan': lambda: init.kaiming_uniform_(E(0, 3)),
 'init kaiming_normal_ leaky tiny': lambda: fin(init.kaiming_normal_(E(2, 3), a=1e-200,
        nonlinearity='leaky_relu')),
 'init orthogonal_ gain inf': lambda: fin(init.orthogonal_(E(3, 3), gain=inf)),
 'init orthogonal_ gain 0': lambda: init.orthogonal_(E(3, 3), gain=0.),
 'init sparse_ huge std': lambda: fin(init.sparse_(E(4, 3), 0.5, std=1e308)),
 'init constant_ 1e300 f32': lambda: init.constant_(E(2), 1e300),
 'init constant_ f16 1e6': lambda: init.constant_(E(2, dtype=torch.float16), 1e6),
 'init dirac_': lambda: init.dirac_(E(2, 2, 3)),
 'init eye_': lambda: init.eye_(E(2, 3)),
 'calculate_gain leaky inf': lambda: init.calculate_gain('leaky_relu', inf),
 'calculate_gain leaky huge': lambda: init.calculate_gain('leaky_relu', 1e200),
 # random / Generator
 'rand': lambda: fin(torch.rand(20)),
 'randn f64': lambda: fin(torch.randn(20, dtype=torch.float64)),
 'normal mean inf': lambda: torch.normal(torch.tensor([inf, -inf, 0.]), torch.tensor([1., 1.,
        0.])),
 'normal std huge': lambda: fin(torch.normal(0., 1e308, (4,), dtype=torch.float64)),
 'normal f32 std huge': lambda: fin(torch.normal(0., 3e38, (20,))),
 'normal_ std huge f32': lambda: fin(E(20).normal_(0, 3e38)),
 'uniform_ huge f64': lambda: E(4, dtype=torch.float64).uniform_(-1e308, 1e308),
 'uniform_ huge f32': lambda: E(4).uniform_(-3e38, 3e38),
 'log_normal_ overflow': lambda: fin(E(4).log_normal_(1000., 1.)),
 'log_normal_ underflow': lambda: E(4).log_normal_(-1000., 1.),
 'exponential_ tiny': lambda: fin(E(20).exponential_(1e-300)),
 'exponential_ huge': lambda: E(4).exponential_(1e300),
 'exponential_ inf': lambda: E(4).exponential_(inf),
 'geometric_ tiny p': lambda: fin(E(20).geometric_(1e-300)),
 'geometric_ p 1': lambda: E(4).geometric_(1.),
 'cauchy_ huge': lambda: fin(E(20).cauchy_(0., 1e308)),
 'cauchy_ inf': lambda: fin(E(4).cauchy_(0., inf)),
 'bernoulli nan': lambda: torch.bernoulli(torch.tensor([nan, 0.5])),
 'bernoulli_ p 0 1': lambda: E(4).bernoulli_(torch.tensor([0., 1., 0., 1.])),
 'multinomial inf': lambda: torch.multinomial(torch.tensor([inf, 1.]), 1),
 'multinomial tiny': lambda: fin(torch.multinomial(torch.tensor([1e-300, 1e-300],
        dtype=torch.float64), 2)),
 'multinomial f32 huge': lambda: fin(torch.multinomial(torch.tensor([3e38, 3e38]), 2,
        replacement=True)),
 'poisson huge': lambda: fin(torch.poisson(torch.tensor([1e300, 0.], dtype=torch.float64))),
 'randint': lambda: fin(torch.randint(0, 2 ** 62, (4,))),
 'Generator normal': lambda: fin(torch.randn(20,
        generator=torch.Generator().manual_seed(1)) * 1e38 * 10),
 'rand_like f16': lambda: fin(torch.rand_like(E(20, dtype=torch.float16))),
 'randn f16': lambda: fin(torch.randn(20, dtype=torch.float16)),
 'normal_ f16 huge': lambda: fin(E(20, dtype=torch.float16).normal_(0, 6e4)),
 'uniform_ f16 huge': lambda: fin(E(20, dtype=torch.float16).uniform_(-6e4, 6e4)),
}
ts = torch.tensor
dist = {
 'Normal log_prob inf': lambda: D.Normal(0., 1.).log_prob(ts([inf, -inf, nan, 0.])),
 'Normal log_prob scale tiny': lambda: D.Normal(0., 1e-30).log_prob(ts([1., 0.])),
 'Normal log_prob scale 0': lambda: D.Normal(ts(0.), ts(1e-45),
        validate_args=False).log_prob(ts([1., 0.])),
 'Normal cdf': lambda: D.Normal(0., 1.).cdf(ts([inf, -inf, 40., -40.])),
 'Normal icdf edges': lambda: D.Normal(0., 1.).icdf(ts([0., 1., 0.5])),
 'Normal entropy tiny': lambda: D.Normal(0., ts([1e-45]), validate_args=False).entropy(),
 'Normal rsample huge': lambda: fin(D.Normal(0., ts([3e38])).rsample((4,))),
 'LogNormal log_prob 0': lambda: D.LogNormal(0., 1., validate_args=False).log_prob(ts([0., 1.,
        inf])),
 'LogNormal sample overflow': lambda: fin(D.LogNormal(1000., 1.).sample((4,))),
 'HalfNormal log_prob': lambda: D.HalfNormal(1., validate_args=False).log_prob(ts([-1., 0., inf])),
 'HalfNormal icdf 1': lambda: D.HalfNormal(1.).icdf(ts([1., 0.])),
 'Bernoulli probs 0 1': lambda: D.Bernoulli(probs=ts([0., 1.])).log_prob(ts([1., 0.])),
 'Bernoulli entropy 0 1': lambda: D.Bernoulli(probs=ts([0., 1., 0.5])).entropy(),
 'Bernoulli logits inf': lambda: D.Bernoulli(logits=ts([inf, -inf, 1e4])).log_prob(ts([0., 1.,
        1.])),
 'Bernoulli logits inf entropy': lambda: D.Bernoulli(logits=ts([inf, -inf, 1e4])).entropy(),
 'Bernoulli probs': lambda: D.Bernoulli(logits=ts([1e4, -1e4])).probs,
 'Categorical probs 0': lambda: D.Categorical(probs=ts([1., 0.])).entropy(),
 'Categorical logits -inf': lambda: D.Categorical(logits=ts([0., -inf])).entropy(),
 'Categorical log_prob 0': lambda: D.Categorical(probs=ts([1., 0.])).log_prob(ts([1, 0])),
 'Categorical logits huge': lambda: D.Categorical(logits=ts([1e4, -1e4])).probs,
 'OneHotCategorical entropy': lambda: D.OneHotCategorical(probs=ts([1., 0.])).entropy(),
 'Binomial p 0 1': lambda: D.Binomial(10, probs=ts([0., 1., 0.5])).log_prob(ts([0., 10., 5.])),
 'Binomial p 0 entropy': lambda: D.Binomial(3, probs=ts([0., 1.])).entropy(),
 'Binomial sample p 0 1': lambda: D.Binomial(10, probs=ts([0., 1.])).sample(),
 'Binomial logits inf': lambda: D.Binomial(10, logits=ts([inf, -inf])).log_prob(ts([10., 0.])),
 'Geometric p 1': lambda: D.Geometric(probs=ts([1., 0.5])).log_prob(ts([0., 3.])),
 'Geometric entropy p 1': lambda: D.Geometric(probs=ts([1.])).entropy(),
 'Geometric sample tiny p': lambda: fin(D.Geometric(probs=ts([1e-30, 1.])).sample((3,))),
 'Poisson rate 0': lambda: D.Poisson(ts([0., 1.])).log_prob(ts([0., 0.])),
 'Poisson rate 0 mismatch': lambda: D.Poisson(ts([0.]), validate_args=False).log_prob(ts([1.])),
 'Exponential log_prob': lambda: D.Exponential(ts([1., 1e-45]),
        validate_args=False).log_prob(ts([0., inf])),
 'Exponential icdf 1': lambda: D.Exponential(1.).icdf(ts([1., 0.])),
 'Exponential cdf inf': lambda: D.Exponential(1.).cdf(ts([inf, 0.])),
 'Exponential sample tiny rate': lambda: fin(D.Exponential(ts([1e-45])).sample((3,))),
 'Uniform log_prob edge': lambda: D.Uniform(0., 1., validate_args=False).log_prob(ts([0., 1.,
        2.])),
 'Uniform icdf': lambda: D.Uniform(0., 1.).icdf(ts([0., 1.])),
 'Uniform entropy 0 width': lambda: D.Uniform(ts([0.]), ts([1e-45]),
        validate_args=False).entropy(),
 'Laplace icdf 0 1': lambda: D.Laplace(0., 1.).icdf(ts([0., 1., 0.5])),
 'Laplace log_prob inf': lambda: D.Laplace(0., 1.).log_prob(ts([inf, -inf])),
 'Laplace cdf inf': lambda: D.Laplace(0., 1.).cdf(ts([inf, -inf])),
 'Cauchy icdf 0 1': lambda: D.Cauchy(0., 1.).icdf(ts([0., 1.])),
 'Cauchy log_prob inf': lambda: D.Cauchy(0., 1.).log_prob(ts([inf, 1e30])),
 'HalfCauchy log_prob': lambda: D.HalfCauchy(1., validate_args=False).log_prob(ts([-1., 0., inf])),
 'Gamma log_prob 0': lambda: D.Gamma(ts([1., 0.5, 2.]), 1., validate_args=False).log_prob(ts([0.,
        0., 0.])),
 'Gamma sample tiny': lambda: fin(D.Gamma(ts([1e-30, 1e-3]), 1.).sample((3,))),
 'Gamma entropy tiny': lambda: D.Gamma(ts([1e-30]), ts([1.])).entropy(),
 'Chi2 log_prob 0': lambda: D.Chi2(ts([1., 2., 3.]), validate_args=False).log_prob(ts([0., 0.,
        0.])),
 'Beta log_prob edges': lambda: D.Beta(ts([0.5, 2.]), ts([0.5, 2.]),
        validate_args=False).log_prob(ts([0., 1.])),
 'Beta sample tiny': lambda: fin(D.Beta(ts([1e-30]), ts([1e-30])).sample((3,))),
 'Dirichlet log_prob edge': lambda: D.Dirichlet(ts([0.5, 0.5]),
        validate_args=False).log_prob(ts([0., 1.])),
 'Dirichlet sample tiny': lambda: fin(D.Dirichlet(ts([1e-30, 1e-30])).sample((3,))),
 'Pareto log_prob': lambda: D.Pareto(1., 1., validate_args=False).log_prob(ts([0.5, inf, 1.])),
 'Pareto entropy alpha tiny': lambda: D.Pareto(1., ts([1e-30])).entropy(),
 'Pareto mean alpha<1': lambda: D.Pareto(1., ts([0.5, 2.])).mean,
 'Pareto variance': lambda: D.Pareto(1., ts([1.5, 3.])).variance,
 'Weibull log_prob 0': lambda: D.Weibull(1., ts([0.5, 2.]), validate_args=False).log_prob(ts([0.,
        0.])),
 'Gumbel log_prob inf': lambda: D.Gumbel(0., 1.).log_prob(ts([-1e4, 1e4])),
 'Gumbel sample': lambda: fin(D.Gumbel(0., 1.).sample((20,))),
 'StudentT log_prob inf': lambda: D.StudentT(ts([1., 1e30])).log_prob(ts([inf, 1.])),
 'StudentT variance df<=2': lambda: D.StudentT(ts([1., 1.5, 3.])).variance,
 'StudentT mean df<=1': lambda: D.StudentT(ts([0.5, 3.])).mean,
 'FisherSnedecor mean': lambda: D.FisherSnedecor(ts([1., 1.]), ts([1., 3.])).mean,
 'FisherSnedecor variance': lambda: D.FisherSnedecor(ts([1., 1.]), ts([3., 5.])).variance,
 'InverseGamma mean': lambda: D.InverseGamma(ts([0.5, 2.]), ts([1., 1.])).mean,
 'VonMises log_prob': lambda: D.VonMises(0., ts([1e-30, 1e4])).log_prob(ts([1., 1.])),
 'Kumaraswamy log_prob edge': lambda: D.Kumaraswamy(ts([0.5]), ts([0.5]),
        validate_args=False).log_prob(ts([0., 1.])),
 'Kumaraswamy mean huge': lambda: D.Kumaraswamy(ts([1e-3]), ts([1e3])).mean,
 'ContinuousBernoulli p edge': lambda: D.ContinuousBernoulli(probs=ts([0.5, 1e-7,
        0.9999])).log_prob(ts([0., 1., 0.5])),
 'ContinuousBernoulli mean': lambda: D.ContinuousBernoulli(probs=ts([0.5, 0.4999, 0.])).mean,
 'ContinuousBernoulli entropy': lambda: D.ContinuousBernoulli(probs=ts([0.5, 0., 1.])).entropy(),
 'ContinuousBernoulli icdf': lambda: D.ContinuousBernoulli(probs=ts([0.5, 0.2])).icdf(ts([1.,
        0.])),
 'RelaxedBernoulli sample': lambda: fin(D.RelaxedBernoulli(ts([1e-30]),
        probs=ts([0.5])).rsample((3,))),
 'RelaxedOneHotCategorical': lambda: fin(D.RelaxedOneHotCategorical(ts([1e-30]), probs=ts([0.5,
        0.5])).rsample((3,))),
 'NegativeBinomial p 1': lambda: D.NegativeBinomial(2., probs=ts([0.,
        0.9999999])).log_prob(ts([0., 3.])),
 'Multinomial p 0': lambda: D.Multinomial(3, probs=ts([1., 0.])).log_prob(ts([3., 0.])),
 'MultivariateNormal singularish': lambda: D.MultivariateNormal(torch.zeros(2),
        torch.eye(2) * 1e-30).log_prob(ts([1., 1.])),
 'LowRankMVN': lambda: D.LowRankMultivariateNormal(torch.zeros(2), torch.zeros(2, 1), ts([1e-30,
        1.])).log_prob(ts([1., 1.])),
 'LogisticNormal': lambda: D.LogisticNormal(ts([1e4, -1e4]), ts([1., 1.])).log_prob(ts([1 - 1e-7,
        0.5e-7, 0.5e-7])),
 'TransformedDistribution exp': lambda: D.TransformedDistribution(D.Normal(0., 1.),
        [D.transforms.ExpTransform()], validate_args=False).log_prob(ts([0., inf])),
 'SigmoidTransform inv edge': lambda: D.transforms.SigmoidTransform().inv(ts([0., 1.])),
 'TanhTransform inv edge': lambda: D.transforms.TanhTransform().inv(ts([1., -1.])),
 'StickBreaking inv': lambda: D.transforms.StickBreakingTransform().inv(ts([1., 0., 0.])),
 'PowerTransform': lambda: D.transforms.PowerTransform(ts(-1.))(ts([0.])),
 'kl Normal tiny': lambda: D.kl_divergence(D.Normal(0., ts([1e-30])), D.Normal(0., ts([1e30]))),
 'kl Bernoulli 0': lambda: D.kl_divergence(D.Bernoulli(ts([0., 1.])), D.Bernoulli(ts([0.5, 0.5]))),
 'kl Bernoulli inf': lambda: D.kl_divergence(D.Bernoulli(ts([0.5])), D.Bernoulli(ts([0.]))),
 'kl Categorical 0': lambda: D.kl_divergence(D.Categorical(ts([1., 0.])), D.Categorical(ts([0.5,
        0.5]))),
 'kl Uniform': lambda: D.kl_divergence(D.Uniform(0., 2.), D.Uniform(0., 1.)),
 'kl Exponential': lambda: D.kl_divergence(D.Exponential(ts([1e-30])), D.Exponential(ts([1e30]))),
 'kl Gamma': lambda: D.kl_divergence(D.Gamma(ts([1e-30]), ts([1.])), D.Gamma(ts([1.]), ts([1.]))),
 'kl Beta': lambda: D.kl_divergence(D.Beta(ts([1e-30]), ts([1.])), D.Beta(ts([1.]), ts([1.]))),
 'kl Poisson 0': lambda: D.kl_divergence(D.Poisson(ts([0.])), D.Poisson(ts([1.]))),
 'kl Geometric': lambda: D.kl_divergence(D.Geometric(ts([1.])), D.Geometric(ts([0.5]))),
 'Normal log_prob grad': lambda: (lambda m: (D.Normal(m, ts(1e-30)).log_prob(ts(1.)).backward(),
                                             m.grad)[1])(ts(0., requires_grad=True)),
}
sampling.update(dist)
# swa_utils
def swa():
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    with torch.no_grad():
        m[0].weight.fill_(1e38)
    sw = torch.optim.swa_utils.AveragedModel(m)
    for _ in range(3):
        with torch.no_grad():
            m[0].weight.mul_(10)
        sw.update_parameters(m)
    return sw.module[0].weight
def ema():
    m = torch.nn.Linear(2, 2)
    with torch.no_grad():
        m.weight.fill_(3e38)
    sw = torch.optim.swa_utils.AveragedModel(m,
        multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(0.5))
    for _ in range(3):
        with torch.no_grad():
            m.weight.fill_(-3e38)
        sw.update_parameters(m)
    return sw.module.weight
def ema_avg_fn():
    m = torch.nn.Linear(2, 2)
    with torch.no_grad():
        m.weight.fill_(inf)
    sw = torch.optim.swa_utils.AveragedModel(m, avg_fn=torch.optim.swa_utils.get_ema_avg_fn(0.5))
    for _ in range(2):
        with torch.no_grad():
            m.weight.fill_(-inf)
        sw.update_parameters(m)
    return sw.module.weight
def swa_inf():
    m = torch.nn.Linear(2, 2)
    with torch.no_grad():
        m.weight.fill_(inf)
    sw = torch.optim.swa_utils.AveragedModel(m, use_buffers=True)
    for _ in range(2):
        with torch.no_grad():
            m.weight.fill_(-inf)
        sw.update_parameters(m)
    return sw.module.weight
def update_bn():
    m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    data = [ts([[3e38, 1.], [-3e38, 1.]])] * 2
    torch.optim.swa_utils.update_bn(data, m)
    return m[1].running_mean, m[1].running_var
def update_bn_empty():
    m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    data = [ts([[inf, 1.], [1., 1.]])]
    torch.optim.swa_utils.update_bn(data, m)
    return m[1].running_mean, m[1].running_var
def swalr():
    p = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=1e308)
    s = torch.optim.swa_utils.SWALR(opt, swa_lr=1e-308, anneal_epochs=3, anneal_strategy='cos')
    out = []
    for _ in range(5):
        opt.step(); s.step(); out.append(opt.param_groups[0]['lr'])
    return out
def swalr_lin():
    p = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=inf)
    s = torch.optim.swa_utils.SWALR(opt, swa_lr=1., anneal_epochs=2, anneal_strategy='linear')
    out = []
    for _ in range(3):
        opt.step(); s.step(); out.append(opt.param_groups[0]['lr'])
    return out
def half_running(cls):
    def f():
        m = cls(2, momentum=0.5, track_running_stats=True).half()
        m(ts([[6.5e4, -6.5e4, 6.5e4], [6.5e4, 6.5e4, -6.5e4]]).half().reshape(1, 2, 3))
        m(ts([[6.5e4, 6.5e4, 6.5e4], [-6.5e4, 6.5e4, -6.5e4]]).half().reshape(1, 2, 3))
        return m.running_mean, m.running_var
    return f
for cls in (torch.nn.BatchNorm1d, torch.nn.InstanceNorm1d):
    sampling[f'float16 running estimates {cls.__name__}'] = half_running(cls)
for k, f in {'swa AveragedModel overflow': swa, 'swa ema multi': ema, 'swa ema avg_fn': ema_avg_fn,
             'swa inf': swa_inf, 'swa update_bn': update_bn, 'swa update_bn inf': update_bn_empty,
             'swa SWALR': swalr, 'swa SWALR inf': swalr_lin}.items():
    sampling[k] = f
for name, f in sampling.items():
    torch.manual_seed(0)
    show(name, f)
"""


# The user's own NumPy code, outside the library and in the user code the library calls: its
# RuntimeWarning (FloatingPointError under "raise") shows, as with torch.
USER_CODE = """
import numpy as np


def user_numpy():  # the user's own NumPy code
    try:
        np.array([1.0]) / 0
        return 'silent'
    except (RuntimeWarning, FloatingPointError) as e:
        return f'{type(e).__name__} {e}'


def user(where):
    print('user:', where, user_numpy())


user('after import')
torch.exp(torch.tensor([1000.]))
user('after an op')
x = torch.tensor([1000.], requires_grad=True)
x.register_hook(lambda g: user('in a tensor hook'))
torch.exp(x).backward()
user('after backward')


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        user('in a Function forward')
        return t * t

    @staticmethod
    def backward(ctx, g):
        user('in a Function backward')
        return g


Square.apply(x).backward()
p = torch.tensor([1.], requires_grad=True)
opt = torch.optim.SGD([p], lr=0.1)


def closure():
    user('in a closure')
    p.grad = torch.tensor([float('inf')])
    return p.sum()


opt.step(closure)
user('after a step')
"""


def run(lib: str, setup: str) -> tuple[dict, list]:
    """The edge cases' results by name, and the lines of ``USER_CODE``."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "-c", SETUP[setup].format(lib=lib) + USER_CODE + SCRIPT],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "RuntimeWarning" not in r.stderr, r.stderr
    cases, user = {}, []
    for line in r.stdout.splitlines():
        if line.startswith("user: "):
            user.append(line[len("user: "):])
        else:
            record = json.loads(line)
            cases[record.pop("name")] = record
    return cases, user


def same(ours, theirs) -> bool:
    """Printed results alike: the same structure, dtypes and errors; values within the
    harness's float32 tolerance, NaN where torch has NaN."""
    if isinstance(theirs, dict) and "dtype" in theirs:
        if ours["dtype"] != theirs["dtype"]:
            return False
        a, b = np.array(ours["values"], float), np.array(theirs["values"], float)
        return a.shape == b.shape and np.allclose(a, b, rtol=1e-5, atol=1e-6, equal_nan=True)
    if isinstance(theirs, list):
        return isinstance(ours, list) and len(ours) == len(theirs) and all(
            same(o, t) for o, t in zip(ours, theirs))
    if isinstance(theirs, float) and isinstance(ours, float):
        return np.allclose(ours, theirs, rtol=1e-5, atol=1e-6, equal_nan=True)
    return ours == theirs



@pytest.mark.parametrize("setup", list(SETUP))
def test_edge_cases_are_silent_as_in_torch_and_the_users_numpy_still_warns(setup):
    (ours, our_user), (theirs, their_user) = run("minitorch_ref", setup), run("torch", setup)
    assert list(ours) == list(theirs)
    differ = {name: (ours[name], theirs[name]) for name in theirs
              if ours[name].get("raised") != theirs[name].get("raised")
              or not same(ours[name].get("values"), theirs[name].get("values"))}
    assert not differ
    assert our_user == their_user
    assert len(our_user) == 9 and all(line.endswith("divide by zero encountered in divide")
                                      for line in our_user), our_user


# Data augmentation at extremes (inf and NaN pixels, values near float32's limit, huge factors).
# torchvision computes them with torch's kernels, silently; it is not installed here, so the
# oracle is our own result under NumPy's default state, which must also be silent.
TRANSFORMS = """
import json
import minitorch_ref.transforms as T
F = T.functional
B = F.InterpolationMode.BILINEAR
inf, nan = float('inf'), float('nan')
img = torch.tensor([[[0., 1., inf], [-inf, nan, 3e38]], [[1e-45, -3e38, 0.5], [2., -1., 0.]],
                    [[inf, inf, 0.], [0., 0., 1.]]])
big = torch.full((3, 4, 4), 3e38)
half = torch.full((3, 4, 4), 6e4, dtype=torch.float16)
cases = {
    'rotate': lambda: F.rotate(img, 33.),
    'rotate bilinear': lambda: F.rotate(img, 33., interpolation=B),
    'rotate expand': lambda: F.rotate(big, 45., expand=True),
    'rotate big bilinear': lambda: F.rotate(big, 45., interpolation=B),
    'affine stretch': lambda: F.affine(big, 10., [1, 1], 1e30, [0., 0.]),
    'affine tiny scale': lambda: F.affine(big, 10., [1, 1], 1e-30, [0., 0.]),
    'affine shear 89.9': lambda: F.affine(big, 0., [0, 0], 1., [89.9, 89.9], interpolation=B),
    'resize bilinear': lambda: F.resize(big, [7, 7]),
    'resize antialias': lambda: F.resize(big, [2, 2], antialias=True),
    'resize inf': lambda: F.resize(img, [5, 5]),
    'contrast': lambda: F.adjust_contrast(img, 2.),
    'contrast big': lambda: F.adjust_contrast(big, 1e30),
    'brightness': lambda: F.adjust_brightness(big, 1e30),
    'saturation': lambda: F.adjust_saturation(img, 3.),
    'saturation big': lambda: F.adjust_saturation(big, 1e30),
    'hue': lambda: F.adjust_hue(img, 0.3),
    'hue big': lambda: F.adjust_hue(big, 0.3),
    'hue zeros': lambda: F.adjust_hue(torch.zeros(3, 2, 2), 0.3),
    'grayscale': lambda: F.rgb_to_grayscale(big),
    'grayscale inf': lambda: F.rgb_to_grayscale(img),
    'normalize big': lambda: F.normalize(big, [-3e38] * 3, [1e-30] * 3),
    'normalize std 0': lambda: F.normalize(img, [0.] * 3, [0., 1., 1e-45]),
    'gaussian_noise': lambda: F.gaussian_noise(big, sigma=3e38, clip=False),
    'gaussian_noise clip': lambda: F.gaussian_noise(img, sigma=1e30),
    'pad float16 fill': lambda: F.pad(torch.zeros(3, 2, 2, dtype=torch.float16), 1, fill=3e38),
    'float16 rotate': lambda: F.rotate(big.half(), 30., interpolation=B),
    'float16 resize': lambda: F.resize(half, [7, 7]),
    'float16 contrast': lambda: F.adjust_contrast(half, 2.),
    'float16 noise': lambda: F.gaussian_noise(half, sigma=1., clip=False),
    'ColorJitter': lambda: T.ColorJitter(2., 2., 2., 0.5)(big),
    'ColorJitter inf': lambda: T.ColorJitter(2., 2., 2., 0.5)(img),
    'RandomRotation': lambda: T.RandomRotation(180, interpolation=B)(big),
    'RandomAffine': lambda: T.RandomAffine(180, scale=(1e-30, 1e30), shear=89.)(big),
    'RandomResizedCrop': lambda: T.RandomResizedCrop(3, scale=(1e-30, 1.),
                                                     ratio=(1e-30, 1e30))(big),
    'RandomResizedCrop inf': lambda: T.RandomResizedCrop(3)(img),
    'RandomResizedCrop ratio 0': lambda: T.RandomResizedCrop(3, ratio=(0., 1.))(big),
    'RandomErasing ratio 0': lambda: T.RandomErasing(1., ratio=(0., 1.))(big),
    'RandomErasing random': lambda: T.RandomErasing(1., scale=(1e-30, 1.), ratio=(1e-30, 1e30),
                                                    value='random')(big),
    'GaussianNoise': lambda: T.GaussianNoise(sigma=1e30)(big),
    'Resize': lambda: T.Resize(9)(img),
}
for name, f in cases.items():
    torch.manual_seed(0)
    try:
        out = {'values': f().double().tolist()}
    except Exception as e:
        out = {'raised': f"{type(e).__name__}: {e}"}
    print(json.dumps(dict(name=name, **out)))
"""


def _run_transforms(setup: str | None) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    head = SETUP[setup] if setup else "import {lib} as torch\n"
    r = subprocess.run([sys.executable, "-c", head.format(lib="minitorch_ref") + TRANSFORMS],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "RuntimeWarning" not in r.stderr, r.stderr
    return {rec.pop("name"): rec for rec in map(json.loads, r.stdout.splitlines())}


def test_transforms_are_silent():
    """Silent under NumPy's default state and the three situations, with the same results."""
    default = _run_transforms(None)
    for setup in SETUP:
        ours = _run_transforms(setup)
        assert list(ours) == list(default)
        differ = [k for k in default if ours[k].get("raised") != default[k].get("raised")
                  or not same(ours[k].get("values"), default[k].get("values"))]
        assert not differ, (setup, differ)
