#!/usr/bin/env python3
"""The project's commands, for a fresh clone with nothing installed but Python 3.10+.

    python3 run.py demo      # the main job: train on real data in torch and minitorch_ref
    python3 run.py test      # the parity test suite (installs torch 2.13.0 CPU and pytest)
    python3 run.py bench     # side-by-side speed against torch (add --quick for a short run)

Each command creates ``.venv`` next to this file on first use and installs what it needs there
(``pip install -e .[extra]``); later runs reuse it. Set ``MINITORCH_VENV`` to use another folder.
"""
from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("MINITORCH_VENV", ROOT / ".venv"))
EXTRAS = {"demo": "demo", "test": "test", "bench": "bench"}


def _python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _ensure_env(extra: str) -> Path:
    """Create the venv once; install the project with ``extra`` unless already done."""
    py = _python()
    if not py.exists():
        print(f"[run.py] creating a virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extra}"
    pyproject = ROOT / "pyproject.toml"
    if not stamp.exists() or stamp.stat().st_mtime < pyproject.stat().st_mtime:
        print(f"[run.py] installing minitorch_ref[{extra}] (torch 2.13.0 CPU for the oracle)",
              flush=True)
        subprocess.run([str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                        "-e", f"{ROOT}[{extra}]"], check=True)
        stamp.touch()
    return py


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test", "bench"):
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    py = _ensure_env(EXTRAS[cmd])
    if cmd == "test":
        args = [str(py), "-m", "pytest", "-n", os.environ.get("PYTEST_WORKERS", "auto"),
                str(ROOT / "tests"), *rest]
    elif cmd == "bench":
        args = [str(py), str(ROOT / "benchmarks" / "run.py"), *rest]
    else:
        args = [str(py), str(ROOT / "demo" / "digits.py"), *rest]
    return subprocess.run(args, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
