"""Started in every Python process that ``python -m minitorch_ref.swap`` launches, directly or
not: the runner puts this folder on PYTHONPATH, and Python imports ``sitecustomize`` at startup.

Processes a script starts itself (``multiprocessing`` with the spawn or forkserver start method,
``subprocess.run([sys.executable, ...])``) begin as fresh interpreters: without this they would
import the real torch while their parent runs minitorch_ref. Here each one does what the runner
did for the script (``MINITORCH_REF_SWAP=1``: ``import torch`` means minitorch_ref), and sets
float64 as the default dtype when ``--double`` asked for it (``MINITORCH_REF_DEFAULT_DTYPE``,
set for both runs of ``--compare --double``, real torch included).

An existing ``sitecustomize`` further down the path still runs: this one imports it afterwards.
"""
import importlib.machinery
import importlib.util
import os
import sys


def _chain_next_sitecustomize() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)


def _start() -> None:
    if os.environ.get("MINITORCH_REF_SWAP") == "1":
        from minitorch_ref import swap
        swap.install()
    if os.environ.get("MINITORCH_REF_DEFAULT_DTYPE") == "float64":
        import torch  # real torch, or minitorch_ref when swapped in just above
        torch.set_default_dtype(torch.float64)


_start()
_chain_next_sitecustomize()
