"""Known gaps between torch and minitorch_ref found by the drop-in scripts, one minimal
reproduction each, named by what it exercises. Each snippet runs in this process twice, with
``torch`` bound to real torch and to minitorch_ref, and both printouts are compared as
``minitorch_ref.swap --compare --text`` compares them.

Every entry is xfail(strict=True): when its gap is closed the test XPASSes and fails, and the
entry moves to ``CLOSED`` below (which must pass)."""
import contextlib
import io
import textwrap
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from minitorch_ref import swap


def printout(lib, source: str) -> str:
    """What ``source`` prints with ``torch`` bound to ``lib``; an exception is part of it.
    (Snippets reach everything through ``torch.``: an import statement would find real torch.)"""
    assert "import" not in source
    ns = {"torch": lib, "nn": lib.nn, "F": lib.nn.functional, "np": np, "warnings": warnings}
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            exec(textwrap.dedent(source), ns)
        except Exception as e:  # noqa: BLE001 - the error is the observation
            print(f"raised {type(e).__name__}")
    return buf.getvalue()


def assert_same_printout(source: str) -> None:
    theirs = printout(torch, source)
    assert "raised" not in theirs, f"the snippet fails under torch itself:\n{theirs}"
    ours = printout(mt, source)
    diff = swap.compare_outputs(ours, theirs, rtol=1e-4, atol=1e-6) \
        or swap.compare_text(ours, theirs)
    assert diff is None, f"{diff}\n--- torch:\n{theirs}--- minitorch_ref:\n{ours}"


# id -> (what minitorch_ref lacks, snippet)
GAPS: dict = {}

# gaps found by the drop-in scripts and closed since: they must keep passing
CLOSED = {
    "in-place-operator-dunders": """
        x = torch.tensor([3, 5])
        y = x
        x &= torch.tensor([1, 4])
        x |= 8
        x ^= 1
        x <<= 1
        x >>= 1
        x **= 2
        x //= 3
        print(x is y, y, x._version)
    """,
    "create-graph": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        (g,) = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
        g.sum().backward()
        print(g, x.grad)
        print(torch.autograd.functional.hessian(lambda z: (z ** 3).sum(), x))
    """,
    "torch-func-per-sample-grads": """
        torch.manual_seed(0)
        net = nn.Linear(3, 1)
        params = {k: v.detach() for k, v in net.named_parameters()}
        loss = lambda p, x: torch.func.functional_call(net, p, (x,)).pow(2).sum()
        g = torch.func.vmap(torch.func.grad(loss), in_dims=(None, 0))(params, torch.randn(4, 3))
        print(g["weight"], torch.func.hessian(lambda z: (z ** 3).sum())(torch.ones(2)))
    """,
    "spectral-and-weight-norm": """
        torch.manual_seed(0)
        m = nn.utils.parametrizations.spectral_norm(nn.Linear(3, 2))
        print(type(m).__name__, list(m.state_dict()), m.weight, m.parametrizations.weight[0]._u)
        print(list(nn.utils.parametrizations.weight_norm(nn.Linear(3, 2)).state_dict()))
    """,
    "lazy-modules": """
        torch.manual_seed(0)
        m = nn.LazyLinear(2)
        print(m, m.weight)
        m(torch.ones(1, 3))
        print(m, m.weight)
    """,
    "recurrent-layers": """
        lstm = nn.LSTM(3, 4, batch_first=True)
        print(lstm)
    """,
    "attention-layers": """
        print(nn.MultiheadAttention(4, 2))
    """,
    "pad-sequence": """
        print(torch.nn.utils.rnn.pad_sequence([torch.ones(2), torch.ones(3)], batch_first=True))
    """,
    "out-matmul": """
        a = torch.ones(2, 2)
        o = torch.empty(2, 2)
        torch.matmul(a, a, out=o)
        print(o)
    """,
    "out-unary-and-reductions": """
        a = torch.arange(4.0).view(2, 2)
        o, s = torch.empty(2, 2), torch.empty(2)
        torch.exp(a, out=o)
        torch.sum(a, 0, out=s)
        print(o, s)
    """,
    "out-dtype-resize-and-tuples": """
        a = torch.tensor([[3.0, 1.0], [2.0, 5.0]])
        s, i = torch.empty(0, dtype=torch.int64), torch.empty(0, dtype=torch.int64)
        torch.sum(a * 0.75, 1, out=s)  # computed in out's dtype: the input is cast first
        v = torch.zeros(3)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            print(torch.max(a, 1, out=(v, i)), s)
        print([str(c.message)[:60] for c in caught])
        print(torch.cat([a, a], out=torch.empty(0, dtype=torch.float64)).dtype)
        for bad in (lambda: torch.mm(a, a, out=torch.empty(0, dtype=torch.float64)),
                    lambda: torch.exp(a.requires_grad_(), out=torch.empty(0))):
            try:
                bad()
            except RuntimeError as e:
                print("RuntimeError:", e)
    """,
    "linalg-norm-cdist": """
        print(torch.linalg.norm(torch.tensor([3.0, 4.0])),
              torch.cdist(torch.zeros(1, 2), torch.ones(3, 2)))
        a = torch.tensor([[1.0, -2.0], [3.0, 4.0]], requires_grad=True)
        n = torch.linalg.matrix_norm(a, "nuc") + torch.linalg.vector_norm(a, 1, dim=0).sum()
        n.backward()
        print(n, a.grad, torch.dist(a, torch.zeros(2, 2), 3))
    """,
    "finfo-iinfo": """
        print(torch.finfo(torch.float32).eps, torch.iinfo(torch.int64).max)
        print(torch.finfo(torch.float16), torch.iinfo(torch.uint8), torch.finfo().tiny)
    """,
    "bincount": """
        print(torch.bincount(torch.tensor([0, 2, 2]), minlength=4))
        print(torch.tensor([1, 1, 3]).bincount(torch.tensor([0.5, 0.25, 2.0])))
    """,
    "cumprod-erf-lerp": """
        x = torch.tensor([1.0, 2.0, 3.0])
        print(torch.cumprod(x, 0), torch.erf(x), x.lerp(torch.zeros(3), 0.25))
        w = torch.tensor([2.0, 0.0, 3.0], requires_grad=True)
        w.cumprod(0).sum().backward()
        print(w.grad)
    """,
    "index-add": """
        print(torch.zeros(3).index_add_(0, torch.tensor([0, 0, 2]), torch.ones(3)))
        print(torch.index_add(torch.zeros(2, 2), 1, torch.tensor([1]), torch.ones(2, 1), alpha=3))
    """,
    "layer-norm-grad-fn-name": """
        x = torch.ones(2, 3, requires_grad=True)
        print(nn.LayerNorm(3)(x).grad_fn.name(), nn.GroupNorm(1, 2)(x[:, :2]).grad_fn.name())
        print(nn.InstanceNorm1d(2)(x[:, :2, None].expand(2, 2, 3)).grad_fn.name())
    """,
    "array-of-tensor-requiring-grad": """
        w = torch.ones(2, requires_grad=True)
        try:  # torch: RuntimeError (as .numpy()); plt.plot(w) fails the same way
            np.asarray(w)
            print("converted")
        except RuntimeError as e:
            print("RuntimeError:", str(e).split(".")[0])
    """,
    "scheduler-step-before-optimizer-step-warning": """
        w = torch.zeros(2, requires_grad=True)
        opt = torch.optim.SGD([w], lr=0.1)
        w.sum().backward()
        opt.step()  # stepped before the scheduler exists: does not count for it
        sched = torch.optim.lr_scheduler.StepLR(opt, 2)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sched.step()
        print([str(c.message)[:50] for c in caught])
    """,
    "autograd-variable": """
        print(torch.autograd.Variable(torch.ones(2), requires_grad=True))
    """,
    "type-as": """
        print(torch.tensor([1, 2]).type_as(torch.tensor([1.0], dtype=torch.float64)))
    """,
    "legacy-tensor-types": """
        print(torch.FloatTensor([1, 2]), torch.LongTensor([1, 2]).dtype,
              torch.tensor([1, 2]).byte().dtype)
    """,
    "numpy-scalars-promote-as-numbers": """
        a = torch.ones(2)
        print(np.float64(2.0) * a, a - np.float64(1.0), np.float32(3) + a)
        print(torch.ones(2, dtype=torch.int32) * np.int64(2))
        print(a * np.array([2.0, 3.0]), torch.tensor([True]) + np.array([True]))
    """,
    "index-with-range": """
        x = torch.arange(6.0).view(2, 3)
        print(x[range(2), torch.tensor([0, 2])])
    """,
    "randint-keyword-high": """
        torch.manual_seed(0)
        print(torch.randint(high=5, size=(4,)), torch.randint(2, high=9, size=(3,)))
    """,
    "tensor-float64-from-python-floats": """
        print(torch.tensor([0.1], dtype=torch.float64).item())
    """,
    "tensor-numpy-int16-scalars": "print(torch.tensor([np.int16(3)]).dtype)",
    "zero-d-grad-accumulation": """
        w = torch.tensor(1.0, requires_grad=True)
        for _ in range(2):
            (w * 3).backward()
            w.grad.zero_()
        print(w.grad)
    """,
    "unique": """
        t = torch.tensor([3, 1, 2, 3, 1])
        print(torch.unique(t), t.unique(return_counts=True))
    """,
    "diag-trace-diagonal": """
        m = torch.arange(9.0).view(3, 3)
        print(torch.diag(m), m.trace(), m.diagonal(), torch.diag(torch.ones(2)))
    """,
    "meshgrid": """
        yy, xx = torch.meshgrid(torch.arange(2.0), torch.arange(3.0), indexing="ij")
        print(yy, xx)
    """,
    "repeat-interleave": "print(torch.tensor([1, 2]).repeat_interleave(2))",
    "thread-and-determinism-settings": """
        n = torch.get_num_threads()
        torch.set_num_threads(1)
        print(torch.get_num_threads())
        torch.set_num_threads(n)  # this process runs other tests: leave it as it was
        torch.use_deterministic_algorithms(True)
        print(torch.are_deterministic_algorithms_enabled())
        torch.use_deterministic_algorithms(False)
    """,
    "dtype-suffix-line-break": """
        print(torch.tensor([1.4221e-18, 2.9285e-01, 1.0183e-18, -1.3122e-02],
                           dtype=torch.float64))
    """,
    "next-functions-order": """
        lin = nn.Linear(2, 3)
        a = torch.ones(2, requires_grad=True)
        for out in (lin(torch.ones(1, 2)), a ** 2, torch.where(a > 0, a, a * 2),
                    torch.cat([a, a])):
            print(out.grad_fn.name(),
                  [None if f is None else f.name() for f, _ in out.grad_fn.next_functions])
    """,
    "next-functions-of-scalar-add": """
        x = torch.ones(2, requires_grad=True)
        print(len((x + 1).grad_fn.next_functions))
    """,
    "distributions": """
        print(torch.distributions.Categorical(probs=torch.tensor([0.5, 0.5])).entropy())
        torch.manual_seed(0)
        d = torch.distributions.Normal(torch.zeros(3), torch.ones(3))
        print(d, d.sample(), d.rsample((2,)).shape, d.log_prob(torch.ones(3)))
        print(torch.distributions.kl_divergence(d, torch.distributions.Normal(1.0, 2.0)))
    """,
    "tensor-new-legacy-constructor": """
        x = torch.tensor([1.5, 2.5], dtype=torch.float64)
        print(x.new([1, 2]), x.new((3, 4)), x.new().shape, x.new(2, 3).shape, x.new(x) is x)
        print(x.new(torch.Size([2])).dtype, torch.tensor([1, 2]).new([2.7]))
        b = torch.distributions.Bernoulli(probs=torch.tensor([0.3, 0.6]))
        print(b._new((2,)).shape, b._new((2,)).dtype, b._new([1.0, 0.0]))
    """,
}


@pytest.mark.parametrize("gap", [
    pytest.param(g, marks=pytest.mark.xfail(strict=True, reason=f"not implemented: {what}"))
    for g, (what, _) in GAPS.items()])
def test_open_gap(gap):
    assert_same_printout(GAPS[gap][1])


@pytest.mark.parametrize("gap", list(GAPS))
def test_open_gap_snippet_runs_under_torch(gap):
    """So that each xfail above fails for its gap, not for a broken snippet."""
    out = printout(torch, GAPS[gap][1])
    assert out and "raised" not in out, out


@pytest.mark.parametrize("gap", list(CLOSED))
def test_closed_gap(gap):
    assert_same_printout(CLOSED[gap])


def test_comparison_can_fail():
    """The check above is not vacuous: a different number or different words are caught."""
    with pytest.raises(AssertionError, match="number 1, line 1: torch printed 1.0, minitorch_ref "
                                             "printed 1.5"):
        assert_same_printout("print(1.0 if torch.__name__ == 'torch' else 1.5)")
    with pytest.raises(AssertionError, match="line 1: torch printed 'tensor 1', minitorch_ref "
                                             "printed 'array 1'"):
        assert_same_printout("print('tensor' if torch.__name__ == 'torch' else 'array', 1)")
