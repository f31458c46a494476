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
