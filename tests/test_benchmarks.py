"""The benchmark suite runs end to end in --quick mode (so it never rots); no timing is asserted:
speed is shown by the benchmarks themselves, not by tests."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_suite_quick(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick",
                        "--out", str(tmp_path)], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    table = (tmp_path / "bench.md").read_text()
    for section in ("| ops |", "| training step |", "| nn |", "| conv |", "| optim |",
                    "| data |", "| random |", "| losses |", "| sequence |", "| linalg |"):
        assert section in table, f"section {section} missing from the benchmark table"
    assert "large MLP" in table and "small CNN" in table
    assert "LSTM" in table and "GPT block" in table
    assert (tmp_path / "bench.png").stat().st_size > 10_000


def test_standalone_quick():
    """benchmarks/standalone.py: one workload in fresh processes, with and without the
    allocator settings (no timing asserted: the table is printed)."""
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "standalone.py"), "--only",
                        "softmax", "--modes", "ours alone,ours alone+settings", "--rounds", "1"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "| softmax 1024x1024 fwd+bwd | ours alone |" in r.stdout
    assert "| softmax 1024x1024 fwd+bwd | ours alone+settings |" in r.stdout


def test_header_names_the_allocator_settings():
    code = ("import sys; sys.path.insert(0, 'benchmarks'); import run; "
            "from minitorch_ref import _malloc; print(_malloc.status); print(run.machine_line(1))")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    status, line = r.stdout.strip().splitlines()[-2:]
    if status == "applied":
        assert "glibc's mmap/trim thresholds 64/128 MiB for both libraries" in line, line
    else:
        assert f"allocator settings {status}" in line, line
