"""torch.autograd.detect_anomaly / set_detect_anomaly against torch: the mode switches and their
restoring, torch's NaN check ("Function 'XBackward0' returned nan values in its 0th output.",
the index as torch counts a node's outputs), and the warning that shows the forward call of a
failing node. Every scenario runs in both libraries; the printouts must agree."""
from __future__ import annotations

import warnings

import torch

import minitorch_ref as mt


def show(out: list, label: str, f) -> None:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always", UserWarning)
        try:
            out.append(f"{label} ok {f()}")
        except Exception as e:  # noqa: BLE001 - the error is the observation
            out.append(f"{label} {type(e).__name__}: {e}")
    for x in w:
        if x.category is UserWarning:
            # the first line: the stack is compared in test_forward_stack_shows_the_users_frames
            # (torch's own Function.apply frame is in torch's stack of a custom Function)
            text = str(x.message).split(" (Triggered internally")[0].splitlines()[0]
            out.append(f"  warning {text}")


def scenarios(T) -> list:
    out = []
    rec = lambda label, f: show(out, label, f)  # noqa: E731

    def sqrt_case():
        x = T.tensor([-1.0, 4.0], requires_grad=True)
        T.sqrt(x).sum().backward()
        return x.grad

    def div_case():  # the NaN is in the second input's gradient: "its 1th output"
        a = T.tensor([0.0, 1.0], requires_grad=True)
        b = T.tensor([0.0, 2.0], requires_grad=True)
        (a / b).sum().backward()
        return a.grad, b.grad

    def number_first():  # a number is no output of torch's node: the index skips it
        b = T.tensor([0.0, 2.0], requires_grad=True)
        T.sub(T.tensor([0.0, 1.0]), b).div(b).sum().backward()
        return b.grad

    def inf_only():
        a = T.tensor([1.0, 1.0], requires_grad=True)
        b = T.tensor([0.0, 2.0], requires_grad=True)
        (a * T.log(b)).sum().backward()
        return a.grad, b.grad

    def nan_seed():
        a = T.tensor([1.0, 2.0], requires_grad=True)
        (a * 2).backward(T.tensor([float("nan"), 1.0]))
        return a.grad

    def grad_call():
        x = T.tensor([-1.0, 4.0], requires_grad=True)
        return T.autograd.grad(T.sqrt(x).sum(), x)

    def create_graph():
        x = T.tensor([-1.0, 4.0], requires_grad=True)
        return T.autograd.grad(T.sqrt(x).sum(), x, create_graph=True)

    def custom_function():
        class F(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 1

            @staticmethod
            def backward(ctx, g):
                return g * float("nan")

        x = T.tensor([1.0], requires_grad=True)
        F.apply(x).sum().backward()

    def error_in_backward():
        class G(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 1

            @staticmethod
            def backward(ctx, g):
                raise ValueError("broken backward")

        x = T.tensor([1.0], requires_grad=True)
        G.apply(x).sum().backward()

    def linear_step():  # an ordinary training step is unaffected
        torch_like = T.nn.Linear(3, 2)
        with T.no_grad():
            torch_like.weight.copy_(T.tensor([[0.1, 0.2, 0.3], [-0.1, 0.0, 0.5]]))
            torch_like.bias.fill_(0.25)
        loss = torch_like(T.tensor([[1.0, 2.0, 3.0]])).pow(2).sum()
        loss.backward()
        return torch_like.weight.grad, loss.item()

    out.append(f"{T.is_anomaly_enabled()} {T.is_anomaly_check_nan_enabled()}")
    rec("off", sqrt_case)
    with T.autograd.detect_anomaly():
        out.append(f"{T.is_anomaly_enabled()} {T.is_anomaly_check_nan_enabled()}")
        for label, f in [("sqrt", sqrt_case), ("div", div_case), ("number", number_first),
                         ("inf", inf_only), ("seed", nan_seed), ("grad", grad_call),
                         ("create_graph", create_graph), ("Function", custom_function),
                         ("error", error_in_backward), ("linear", linear_step)]:
            rec(label, f)
    out.append(f"{T.is_anomaly_enabled()} {T.is_anomaly_check_nan_enabled()}")
    with T.autograd.detect_anomaly(check_nan=False):
        out.append(f"{T.is_anomaly_enabled()} {T.is_anomaly_check_nan_enabled()}")
        rec("nocheck", sqrt_case)
        rec("nocheck error", error_in_backward)
    T.autograd.set_detect_anomaly(True)
    out.append(f"{T.is_anomaly_enabled()} {T.is_anomaly_check_nan_enabled()}")
    rec("function form", sqrt_case)
    T.autograd.set_detect_anomaly(False)
    out.append(f"{T.is_anomaly_enabled()} {T.is_anomaly_check_nan_enabled()}")
    rec("off again", sqrt_case)
    with T.autograd.set_detect_anomaly(True, check_nan=False):
        out.append(f"{T.is_anomaly_enabled()} {T.is_anomaly_check_nan_enabled()}")
    out.append(f"{T.is_anomaly_enabled()} {T.is_anomaly_check_nan_enabled()}")
    x = T.tensor([-1.0], requires_grad=True)
    y = T.sqrt(x).sum()  # recorded outside the mode: no forward stack to show
    with T.autograd.set_detect_anomaly(True):
        rec("recorded outside", lambda: y.backward())
    return out


def test_scenarios_as_torch():
    ours, theirs = scenarios(mt), scenarios(torch)
    assert any("returned nan values in its 1th output" in line for line in theirs)
    assert ours == theirs


def test_detect_anomaly_warns_on_creation():
    for T in (mt, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            T.autograd.detect_anomaly()
        assert [str(x.message) for x in w] == [
            "Anomaly Detection has been enabled. This mode will increase the runtime and should "
            "only be enabled for debugging."]


def _build(T):
    x = T.tensor([-1.0, 4.0], requires_grad=True)
    return T.sqrt(x * 2).sum()  # this line is the forward call the warning shows


def test_forward_stack_shows_the_users_frames():
    texts = []
    for T in (mt, torch):
        with T.autograd.set_detect_anomaly(True), warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always", UserWarning)
            y = _build(T)
            try:
                y.backward()
            except RuntimeError:
                pass
        (msg,) = [str(x.message).split(" (Triggered internally")[0] for x in w
                  if "Error detected" in str(x.message)]
        texts.append(msg)
    assert texts[0] == texts[1]
    assert "return T.sqrt(x * 2).sum()" in texts[0] and "minitorch_ref" not in texts[0]


def test_forward_stacks_are_dropped():
    """The stacks kept for the nodes of a graph go once backward frees it, and all go when the
    mode is switched off."""
    from minitorch_ref.autograd import anomaly_mode
    with mt.autograd.set_detect_anomaly(True):
        x = mt.ones(3, requires_grad=True)
        (x * 2).exp().sum().backward()
        assert anomaly_mode._stacks == {}
        (x * 3).sum()
        assert len(anomaly_mode._stacks) == 2
    assert anomaly_mode._stacks == {}
