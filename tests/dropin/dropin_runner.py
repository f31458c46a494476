"""Run one script with ``python -m minitorch_ref.swap --compare --text``: under torch and under
minitorch_ref, in two subprocesses, comparing every printed number and the text around them."""
from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEOUT = 240  # seconds per script, both runs; each takes a few seconds on an idle machine


def compare(script: str) -> subprocess.CompletedProcess:
    # one BLAS/OpenMP thread per process: the tests run two scripts at once on two cores
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return subprocess.run(
        [sys.executable, "-m", "minitorch_ref.swap", "--compare", "--text",
         "--timeout", str(TIMEOUT), script],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=2 * TIMEOUT + 30)


def assert_agrees(script: str) -> None:
    r = compare(script)
    report = (r.stdout + r.stderr).strip()
    assert r.returncode == 0, report
    assert "printed numbers agree with torch" in r.stdout, report
    assert "the text around them is the same" in r.stdout, report
