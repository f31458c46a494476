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
