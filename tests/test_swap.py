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
    assert msg.startswith("number 2, line 2: torch printed 2.0, minitorch_ref printed 2.5")
    assert "'b 2.5'" in msg and "'b 2.0'" in msg


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
    ("import torch.linalg\ntorch.linalg.eig(torch.eye(2))\n", "torch.linalg.eig"),
    ("from torch.linalg import lu_factor\n", "torch.linalg.lu_factor"),
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


# -- what is a missing feature, and what is the script's own error ------------------------------
@pytest.mark.parametrize("source, error", [
    ("import torch\ntorch.tensr([1.0])\n",
     "AttributeError: module 'torch' has no attribute 'tensr'"),
    ("import torch\ntorch.ones(2).szie()\n",
     "AttributeError: 'Tensor' object has no attribute 'szie'"),
    ("import torch.nnn\n", "ModuleNotFoundError: No module named 'torch.nnn'"),
    ("from torch.nn import Lineer\n", "cannot import name 'Lineer'"),
    ("""
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn.Linear(2, 2)
            def forward(self, x):
                return self.fc3(x)
        Net()(None)
     """, "AttributeError: 'Net' object has no attribute 'fc3'"),
])
def test_a_typo_fails_as_under_torch(tmp_path, source, error):
    """A name neither library has is the script's mistake: Python's traceback (from the
    script's frame on), exit 1, not "minitorch_ref does not implement"."""
    r = _run(tmp_path, source)
    assert r.returncode == 1, r.stderr
    assert error in r.stderr and "does not implement" not in r.stderr, r.stderr
    assert "runpy" not in r.stderr and "swap.py" not in r.stderr.split("Traceback")[1]


def test_a_missing_method_of_a_torch_base_class_is_named(tmp_path):
    r = _run(tmp_path, """
        import torch.nn as nn
        class Net(nn.Module):
            pass
        Net().register_backward_hook(lambda *a: None)
    """)
    assert r.returncode == swap.EXIT_MISSING_FEATURE, r.stderr
    assert "uses torch.nn.modules.module.Module.register_backward_hook," in r.stderr


@pytest.mark.parametrize("source, exit_code, words", [
    # minitorch_ref's own "not implemented here": a missing feature
    ("import torch\ntorch.nn.Embedding(3, 2, sparse=True)(torch.tensor([0]))\n", 3,
     "uses a feature minitorch_ref does not implement (NotImplementedError: sparse gradients"),
    ("import torch\ntorch.ones(2).bfloat16()\n", 3,
     "uses torch.bfloat16 tensors, which minitorch_ref does not implement"),
    ("import torch\nwith torch.autocast('cpu'):\n    pass\n", 3,
     "uses torch.autocast(device_type='cpu', dtype=torch.bfloat16)"),
    ("import torch\ntorch.onnx.export(torch.nn.Linear(1, 1), torch.ones(1), 'm.onnx')\n", 3,
     "uses torch.onnx.export, which"),
    # torch raises the same NotImplementedError: the script's error
    ("import torch\ntorch.arange(3, dtype=torch.bool)\n", 1,
     "NotImplementedError: \"arange_cpu\" not implemented for 'Bool'"),
    # the script's own NotImplementedError
    ("class A:\n    def f(self):\n        raise NotImplementedError('subclass must')\nA().f()\n",
     1, "NotImplementedError: subclass must"),
])
def test_not_implemented_error_is_named_only_when_minitorch_lacks_the_feature(
        tmp_path, source, exit_code, words):
    r = _run(tmp_path, source)
    assert r.returncode == exit_code, r.stderr
    assert words in r.stderr, r.stderr


def test_every_missing_feature_is_named_at_once(tmp_path):
    source = """
        import torch
        import torch.nn as nn
        from torch.utils.data import DataLoader
        x = torch.ones(4)
        if x.sum() < 0:
            nn.AdaptiveLogSoftmaxWithLoss(2, 4, [2])  # never runs, still named
        y = torch.fft.rfft(x)         # the run stops here
        z = torch.special.bessel_j0(x)
        w = torch.tensr               # a typo: torch has no such name either
    """
    r = _run(tmp_path, source)
    assert r.returncode == swap.EXIT_MISSING_FEATURE, r.stderr
    assert "uses torch.fft, which minitorch_ref does not implement" in r.stderr
    assert ("it also uses: torch.nn.AdaptiveLogSoftmaxWithLoss (line 7), "
            "torch.special.bessel_j0 (line 9)" in r.stderr)
    assert "tensr" not in r.stderr
    r = _run(tmp_path, source, "--check")
    assert r.returncode == swap.EXIT_MISSING_FEATURE
    assert r.stdout.splitlines()[1:] == ["  line 7: torch.nn.AdaptiveLogSoftmaxWithLoss",
                                         "  line 8: torch.fft",
                                         "  line 9: torch.special.bessel_j0"]
    r = _run(tmp_path, "import torch\nfrom torch import nn\nprint(nn.Linear(1, 1))\n", "--check")
    assert r.returncode == 0 and "every torch name in its source exists" in r.stdout


@pytest.mark.parametrize("source, code, stderr", [
    ("import sys\nsys.exit('bad config: lr must be positive')\n", 1,
     "bad config: lr must be positive\n"),
    ("import sys\nsys.exit(4)\n", 4, ""),
    ("import sys\nsys.exit()\n", 0, ""),
    ("raise SystemExit('stop')\n", 1, "stop\n"),
])
def test_sys_exit_keeps_its_code_and_message(tmp_path, source, code, stderr):
    r = _run(tmp_path, source)
    assert (r.returncode, r.stderr) == (code, stderr)


def test_stdin_reaches_both_runs_of_compare(tmp_path):
    script = tmp_path / "script.py"
    script.write_text("import sys, torch\nv = [float(s) for s in sys.stdin.read().split()]\n"
                      "print(len(v), torch.tensor(v).sum())\n")
    r = subprocess.run([sys.executable, "-m", "minitorch_ref.swap", "--compare", str(script)],
                       input="1.5 2 3\n", capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "all 2 printed numbers agree" in r.stdout
    r = subprocess.run([sys.executable, "-m", "minitorch_ref.swap", "--compare", str(script)],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_processes_the_script_starts_are_swapped_too(tmp_path, method):
    r = _run(tmp_path, f"""
        import multiprocessing as mp
        import subprocess, sys
        import torch

        def work(i):
            return torch.__name__, float(torch.arange(i + 1.0).sum())

        if __name__ == "__main__":
            with mp.get_context("{method}").Pool(2) as pool:
                print(pool.map(work, range(3)))
            out = subprocess.run([sys.executable, "-c", "import torch; print(torch.__name__)"],
                                 capture_output=True, text=True).stdout.strip()
            print(out)
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "[('minitorch_ref', 0.0), ('minitorch_ref', 1.0), ('minitorch_ref', 3.0)]",
        "minitorch_ref"]


def test_version_checks_take_torch_2_branches(tmp_path):
    r = _run(tmp_path, """
        import torch
        from packaging import version
        print(version.parse(torch.__version__) >= version.parse("2.0"),
              tuple(map(int, torch.__version__.split(".")[:2])) >= (2, 0),
              torch.__version__ >= "1.12", hasattr(torch, "compile"))
    """, "--compare", "--text")
    assert r.returncode == 0, r.stdout + r.stderr


# -- --compare's options ----------------------------------------------------------------------
def test_ignore_leaves_out_matching_lines(tmp_path):
    source = """
        import time, torch
        t0 = time.perf_counter()
        print("loss", torch.tensor([0.25, 0.5]).mean().item())
        extra = 0.5 if torch.__name__ != "torch" else 0.0  # a timing that differs
        print(f"epoch time {time.perf_counter() - t0 + extra:.4f} s")
        print("done", 3)
    """
    r = _run(tmp_path, source, "--compare", "--text")
    assert r.returncode == 1 and "number 2, line 2:" in r.stdout, r.stdout
    assert "'epoch time" in r.stdout
    r = _run(tmp_path, source, "--compare", "--text", "--ignore", r"^epoch time")
    assert r.returncode == 0 and "all 2 printed numbers agree" in r.stdout, r.stdout + r.stderr


def test_report_names_the_lines_and_both_values():
    msg = swap.compare_outputs("x 1\nextra\ny 2.0\n", "x 1\ny 2.5\n", rtol=1e-4, atol=1e-6)
    assert msg.startswith("number 2, line 2 (3 in minitorch_ref's): torch printed 2.5, "
                          "minitorch_ref printed 2.0 (difference 0.5, allowed 0.1")
    assert msg.endswith("torch:         'y 2.5'\n    minitorch_ref: 'y 2.0'")
    msg = swap.compare_outputs("a 1.0\nb 2.0\n", "a 1.5\nb 2.5\n", rtol=1e-4, atol=1e-6, shown=3)
    assert "number 1, line 1" in msg and "number 2, line 2" in msg
    assert swap.compare_outputs("t 1.0\n", "t 1.0\nu 2\n", 1e-4, 1e-6) == (
        "minitorch_ref printed 1 numbers, torch printed 2; the first 1 agree; the output first "
        "differs at minitorch_ref printed 1 lines, torch printed 2")


def test_float32_drift_is_explained_by_a_float64_rerun(tmp_path):
    source = """
        import torch
        torch.manual_seed(0)
        x = torch.randn(4096)
        print(repr(x.sum().item()))
    """
    r = _run(tmp_path, source, "--compare", "--rtol", "1e-12", "--atol", "0")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "float32 rounding drift, not a different computation" in r.stdout, r.stdout
    r = _run(tmp_path, source, "--compare", "--double")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "float64 default dtype in both runs" in r.stdout
    assert "rtol=1e-09" in r.stdout


def test_a_real_difference_is_not_called_drift(tmp_path):
    r = _run(tmp_path, """
        import torch
        print(torch.ones(2).sum().item() + (0.5 if torch.__name__ != "torch" else 0.0))
    """, "--compare")
    assert r.returncode == 1
    assert "still differ with float64 as the default dtype" in r.stdout, r.stdout


def test_bad_ignore_pattern_is_a_usage_error(tmp_path):
    r = _run(tmp_path, "print(1)\n", "--compare", "--ignore", "(")
    assert r.returncode == 2 and "--ignore" in r.stderr
