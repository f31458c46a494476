"""minitorch_ref.swap: the drop-in runner and its --compare mode."""
import subprocess
import sys
import textwrap

import pytest

from minitorch_ref import swap


def test_numbers_are_parsed_with_their_printed_precision():
    got = swap.numbers("epoch  3  loss 0.1250 acc 97.5%\ntensor([1.0000e-03, -2.])\nnan inf")
    values = [v for v, _, _ in got]
    assert values[:5] == [3.0, 0.125, 97.5, 1e-3, -2.0]
    assert [h for _, h, _ in got][:5] == [0.5, 0.00005, 0.05, 0.5e-7, 0.5]
    assert [ln for _, _, ln in got] == [1, 1, 1, 2, 2, 3, 3]
    assert str(values[5]) == "nan" and values[6] == float("inf")


def test_names_and_identifiers_are_not_numbers():
    assert swap.numbers("layer fc1 conv2d_3 x86_64 v2.1a") == []


@pytest.mark.parametrize("ours, theirs, same", [
    ("loss 0.1235", "loss 0.1234", True),      # one unit in the last printed digit
    ("loss 0.1240", "loss 0.1234", False),
    ("loss 1.00001e+02", "loss 1.00000e+02", True),  # within rtol=1e-4
    ("loss 1.2e+02", "loss 1.0e+02", False),   # intervals [115, 125] and [95, 105]
    ("a 1 b 2", "a 1 b 2 c 3", False),           # a number missing
    ("x nan", "x nan", True),
    ("x inf", "x -inf", False),
])
def test_compare_outputs(ours, theirs, same):
    assert (swap.compare_outputs(ours, theirs, rtol=1e-4, atol=1e-6) is None) is same


def test_first_difference_is_reported_with_both_lines():
    msg = swap.compare_outputs("a 1\nb 2.5\nc 3", "a 1\nb 2.0\nc 4", rtol=1e-4, atol=1e-6)
    assert "number 2 differs" in msg and "'b 2.5'" in msg and "'b 2.0'" in msg


def _run(tmp_path, source, *extra):
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(source))
    return subprocess.run([sys.executable, "-m", "minitorch_ref.swap", *extra, str(script)],
                          capture_output=True, text=True, timeout=300)


def test_script_sees_minitorch_ref_as_torch(tmp_path):
    r = _run(tmp_path, """
        import torch
        import torch.nn.functional as F
        from torch import autograd
        print(torch.__name__, F.__name__, autograd.__name__)
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        (x * x).sum().backward()
        print(x.grad)
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "minitorch_ref minitorch_ref.nn.functional minitorch_ref.autograd",
        "tensor([2., 4.])"]


@pytest.mark.parametrize("source, feature", [
    ("import torch.fft\n", "torch.fft"),
    ("import torch\ntorch.fft.rfft(torch.ones(4))\n", "torch.fft"),
    ("from torch import fft\n", "torch.fft"),
    ("import torch\ntorch.nn.functional.fractional_max_pool2d\n",
     "torch.nn.functional.fractional_max_pool2d"),
    ("import torch.linalg\ntorch.linalg.eigh(torch.eye(2))\n", "torch.linalg.eigh"),
    ("from torch.linalg import inv\n", "torch.linalg.inv"),
])
def test_missing_feature_is_named(tmp_path, source, feature):
    r = _run(tmp_path, source)
    assert r.returncode == swap.EXIT_MISSING_FEATURE, r.stderr
    assert f"uses {feature}, which minitorch_ref does not implement" in r.stderr


def test_torch_linalg_is_ours(tmp_path):
    r = _run(tmp_path, """
        import torch
        import torch.linalg
        from torch.linalg import vector_norm
        print(type(torch.linalg).__name__, torch.linalg.__name__, vector_norm.__module__)
        print(torch.linalg.norm(torch.tensor([3.0, 4.0])))
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["module minitorch_ref.linalg minitorch_ref.linalg",
                                     "tensor(5.)"]


def test_torchvision_transforms_are_ours(tmp_path):
    r = _run(tmp_path, """
        import torch
        from torchvision.transforms import v2
        import torchvision.transforms.functional as TF
        t = v2.Compose([v2.RandomHorizontalFlip(p=1.0), v2.Normalize([0.5], [0.5])])
        x = torch.arange(6.0).reshape(1, 2, 3) / 6
        print(t(x))
        print(TF.vflip(x).shape)
    """)
    assert r.returncode == 0, r.stderr
    assert "minitorch_ref.transforms" not in r.stderr
    assert r.stdout.splitlines()[-1] == "torch.Size([1, 2, 3])"


def test_missing_torchvision_part_is_named(tmp_path):
    r = _run(tmp_path, "from torchvision import datasets\n")
    assert r.returncode == swap.EXIT_MISSING_FEATURE, r.stderr
    assert "torchvision.datasets" in r.stderr


def test_missing_script(tmp_path):
    r = subprocess.run([sys.executable, "-m", "minitorch_ref.swap", str(tmp_path / "no.py")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "no such script" in r.stderr


def test_compare_reports_a_script_that_fails_in_torch(tmp_path):
    r = _run(tmp_path, "import torch\nraise ValueError('broken script')\n", "--compare")
    assert r.returncode == 1
    assert "fails under torch itself" in r.stderr and "broken script" in r.stderr


def test_compare_agrees_on_a_simple_script(tmp_path):
    r = _run(tmp_path, """
        import torch
        x = torch.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
        y = (x.exp() * x).sum()
        y.backward()
        print(y.item())
        print(x.grad)
    """, "--compare")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "all 5 printed numbers agree" in r.stdout


# -- --text: the words, reprs and line breaks around the numbers --------------------------------
@pytest.mark.parametrize("ours, theirs, same", [
    ("tensor([1.5000, 2.0000])", "tensor([1.4999, 2.0000])", True),   # numbers are --compare's
    ("<AddBackward0 object at 0x7f3a>", "<AddBackward0 object at 0x55c1ff>", True),  # addresses
    ("loss:  9.99", "loss: 10.01", True),          # a column padded for a wider number
    ("tensor([ 1e-18, 2.0])", "tensor([-1e-18, 2.0])", True),  # sign padding of noise values
    ("tensor([1., 2.], dtype=torch.float64)", "tensor([1., 2.],\n       dtype=torch.float64)",
     False),                                        # a line break torch makes
    ("grad_fn=<NativeBatchNormBackward0>", "grad_fn=<NativeLayerNormBackward0>", False),
    ("Linear(in_features=3, out_features=1)", "Linear(in_features=3, out_features=1, bias=True)",
     False),
    ("a\nb", "a\nb\nc", False),
])
def test_compare_text(ours, theirs, same):
    assert (swap.compare_text(ours, theirs) is None) is same


def test_compare_text_option(tmp_path):
    r = _run(tmp_path, """
        import torch
        print(torch.tensor([1.0, 2.0]).__class__.__name__, 3)
    """, "--compare", "--text")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "the text around them is the same" in r.stdout
    r = _run(tmp_path, """
        import torch
        print("minitorch" if torch.__name__ != "torch" else "torch", 3)
    """, "--compare", "--text")
    assert r.returncode == 1 and "the text around them does not" in r.stdout, r.stdout
