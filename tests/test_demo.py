"""The demo runs end to end (a few epochs): both libraries from one seed, table and figure."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_demo_runs_both_libraries_in_step(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "demo" / "digits.py"), "--epochs", "3",
                        "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "initial weights from manual_seed(0): largest difference 0.0e+00" in r.stdout
    rows = [line.split() for line in r.stdout.splitlines() if line.strip()[:1].isdigit()
            and "/3" in line]
    assert len(rows) == 3
    for row in rows:
        assert row[1] == row[2], "the two libraries' training losses differ"
        assert row[5] == row[6], "the two libraries' learning rates differ"
        assert float(row[7]) < 1e-5, "weights drifted apart in the first epochs"
    assert (tmp_path / "digits.png").stat().st_size > 10_000


def test_demo_runs_without_torch(tmp_path):
    """``import torch`` fails (as on a machine without it): the demo runs ours alone and says so."""
    code = ("import sys, runpy\n"
            "class NoTorch:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] == 'torch':\n"
            "            raise ModuleNotFoundError(\"No module named 'torch'\", name=name)\n"
            "sys.meta_path.insert(0, NoTorch())\n"
            f"sys.argv = ['digits.py', '--epochs', '2', '--out', {str(tmp_path)!r}]; "
            f"\nrunpy.run_path({str(ROOT / 'demo' / 'digits.py')!r}, run_name='__main__')")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "torch is not installed: running minitorch_ref alone" in r.stdout
    assert "minitorch_ref: test accuracy" in r.stdout
    assert " torch: test accuracy" not in r.stdout


def _run_without(module: str, tmp_path):
    """Run the demo for 2 epochs with ``import <module>`` failing, as on a machine without it."""
    code = ("import sys, runpy\n"
            "class Blocked:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            f"        if name.split('.')[0] == {module!r}:\n"
            "            raise ModuleNotFoundError(f\"No module named {name!r}\", name=name)\n"
            "sys.meta_path.insert(0, Blocked())\n"
            f"sys.argv = ['digits.py', '--epochs', '2', '--out', {str(tmp_path)!r}]\n"
            f"runpy.run_path({str(ROOT / 'demo' / 'digits.py')!r}, run_name='__main__')")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600)


def test_demo_without_matplotlib_trains_and_says_there_is_no_figure(tmp_path):
    r = _run_without("matplotlib", tmp_path)
    assert r.returncode == 0, r.stderr
    assert "matplotlib is not installed: no figure" in r.stdout
    assert "minitorch_ref: test accuracy" in r.stdout
    assert not (tmp_path / "digits.png").exists()


def test_demo_without_scikit_learn_says_what_to_install(tmp_path):
    r = _run_without("sklearn", tmp_path)
    assert r.returncode == 1
    assert "The demo needs scikit-learn's digits data set: pip install scikit-learn" in r.stderr
    assert "Traceback" not in r.stderr
