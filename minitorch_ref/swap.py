"""Run an unmodified torch script with minitorch_ref standing in for torch.

    python -m minitorch_ref.swap script.py [args ...]
    python -m minitorch_ref.swap --compare [--text] [--rtol R] [--atol A] script.py [args ...]

The first form makes ``import torch`` (and ``torch.nn``, ``torch.nn.functional``, ``torch.optim``,
``torch.optim.lr_scheduler``, ``torch.utils.data``, ``torch.autograd``, ...) resolve to
minitorch_ref's modules, then runs the script as ``__main__``. A torch feature minitorch_ref lacks
is reported by name ("torch.fft is not implemented in minitorch_ref"), not as an AttributeError
deep inside the script.

``--compare`` runs the script twice, in separate processes, under real torch and under
minitorch_ref, and compares every number the two runs print, in order. Each pair must agree
within ``atol + rtol * |torch's|`` plus the rounding of the printed digits (a number printed with
4 decimals is only known to 0.5e-4). It reports the first number that differs, with both lines.
With ``--text`` the words, reprs and line breaks around the numbers must match as well.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.abc
import importlib.machinery
import math
import os
import pkgutil
import re
import runpy
import subprocess
import sys
import types

EXIT_MISSING_FEATURE = 3


class NotImplementedInMinitorch(ModuleNotFoundError):
    """A torch module that minitorch_ref does not provide."""


class _MissingTorchModules(importlib.abc.MetaPathFinder):
    """Answers every ``torch.*`` import that has no minitorch_ref counterpart with a clear error.
    (The counterparts themselves are pre-registered in ``sys.modules``, which Python checks
    before asking any finder.)"""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in ("torch", "torchvision"):
            raise NotImplementedInMinitorch(
                f"{fullname} is not implemented in minitorch_ref (this script runs under "
                "minitorch_ref.swap)", name=fullname)
        return None


def install() -> None:
    """Make ``torch`` and its submodules resolve to minitorch_ref's, for this process."""
    import minitorch_ref
    sys.modules["torch"] = minitorch_ref
    for info in pkgutil.walk_packages(minitorch_ref.__path__, "minitorch_ref."):
        name = info.name
        if name.rsplit(".", 1)[-1].startswith("_") or name == "minitorch_ref.swap":
            continue
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        sys.modules["torch" + name[len("minitorch_ref"):]] = module
    # torchvision's transforms (v1 and v2 names) are minitorch_ref.transforms; nothing else of
    # torchvision exists here (datasets, models, io are reported as missing when imported)
    import types

    from . import transforms
    vision = types.ModuleType("torchvision")
    vision.__path__ = []
    vision.transforms = transforms
    sys.modules["torchvision"] = vision
    sys.modules["torchvision.transforms"] = transforms
    sys.modules["torchvision.transforms.v2"] = transforms.v2
    sys.modules["torchvision.transforms.functional"] = transforms.functional
    sys.modules["torchvision.transforms.v2.functional"] = transforms.v2.functional
    sys.meta_path.insert(0, _MissingTorchModules())


def _missing_feature(exc: BaseException) -> str | None:
    """The torch feature named by an error raised for something minitorch_ref lacks."""
    if isinstance(exc, NotImplementedInMinitorch):
        return exc.name
    feature = getattr(exc, "_minitorch_missing", None)
    if feature:
        return feature
    if isinstance(exc, AttributeError) and exc.name:
        owner = getattr(exc, "obj", None)
        if isinstance(owner, types.ModuleType):
            where = owner.__name__
        else:
            where = f"{type(owner).__module__}.{type(owner).__name__}" if owner is not None \
                else ""
        if where.startswith("minitorch_ref"):
            where = re.sub(r"\._\w+", "", where)  # private files: torch.Tensor, not _tensor
            return "torch" + where[len("minitorch_ref"):] + "." + exc.name
    if isinstance(exc, ImportError) and exc.name:
        m = re.search(r"cannot import name '(\w+)'", str(exc))
        base = exc.name
        if base.startswith("minitorch_ref"):
            base = "torch" + base[len("minitorch_ref"):]
        if m and base.split(".")[0] in ("torch", "torchvision"):
            return f"{base}.{m.group(1)}"
    return None


def run(script: str, args: list[str]) -> int:
    if not os.path.isfile(script):
        print(f"minitorch_ref.swap: no such script: {script}", file=sys.stderr)
        return 2
    install()
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except (ImportError, AttributeError) as e:
        feature = _missing_feature(e)
        if feature is None:
            raise
        print(f"minitorch_ref.swap: {script} uses {feature}, which minitorch_ref does not "
              f"implement ({type(e).__name__}: {e})", file=sys.stderr)
        return EXIT_MISSING_FEATURE
    return 0


# -- --compare ---------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])"
                     r"|(?<![\w])[-+]?(?:nan|inf)(?![\w])")


def numbers(text: str) -> list[tuple[float, float, int]]:
    """Every number printed in ``text``: (value, half a unit of its last printed digit, line)."""
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        for m in _NUMBER.finditer(line):
            s = m.group(0)
            value = float(s)
            mantissa = re.split(r"[eE]", s)[0]
            decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
            exponent = int(re.split(r"[eE]", s)[1]) if re.search(r"[eE]", s) else 0
            out.append((value, 0.5 * 10.0 ** (exponent - decimals), lineno))
    return out


def compare_outputs(ours: str, theirs: str, rtol: float, atol: float) -> str | None:
    """None when every printed number agrees; else a description of the first difference."""
    a, b = numbers(ours), numbers(theirs)
    ours_lines, their_lines = ours.splitlines(), theirs.splitlines()
    for i, ((x, hx, lx), (y, hy, ly)) in enumerate(zip(a, b)):
        if math.isnan(x) and math.isnan(y):
            continue
        if math.isinf(x) or math.isinf(y):
            same = x == y
        else:
            same = abs(x - y) <= atol + rtol * abs(y) + hx + hy
        if not same:
            return (f"number {i + 1} differs: minitorch_ref printed {x!r} (line {lx}: "
                    f"{ours_lines[lx - 1].strip()!r}), torch printed {y!r} (line {ly}: "
                    f"{their_lines[ly - 1].strip()!r})")
    if len(a) != len(b):
        return (f"minitorch_ref printed {len(a)} numbers, torch printed {len(b)}; the first "
                f"{min(len(a), len(b))} agree")
    return None


_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]+\b")


def skeleton(text: str) -> list[str]:
    """The text around the numbers, line by line: each number becomes ``#``, object addresses
    (``0x7f...``, different in every run) become ``0x#``, runs of spaces shrink to one (so that
    a column padded for a wider number still matches) and a bracket's padding space goes."""
    out = []
    for line in text.splitlines():
        line = _NUMBER.sub("#", _ADDRESS.sub("0x#", line))
        # torch pads a tensor's first element when any element is negative: a sign that flips
        # in noise-level values (1e-18 vs -1e-18) moves that space, which is no difference
        out.append(re.sub(r"([\[(]) #", r"\1#", re.sub(r" +", " ", line)).rstrip())
    return out


def compare_text(ours: str, theirs: str) -> str | None:
    """None when both runs print the same text apart from the numbers; else the first line that
    differs (a repr, a line break, a word)."""
    a, b = skeleton(ours), skeleton(theirs)
    ours_lines, their_lines = ours.splitlines(), theirs.splitlines()
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return (f"line {i + 1} differs: minitorch_ref printed {ours_lines[i].strip()!r}, "
                    f"torch printed {their_lines[i].strip()!r}")
    if len(a) != len(b):
        return f"minitorch_ref printed {len(a)} lines, torch printed {len(b)}"
    return None


def compare(script: str, args: list[str], rtol: float, atol: float, timeout: float,
            text: bool = False) -> int:
    if not os.path.isfile(script):
        print(f"minitorch_ref.swap: no such script: {script}", file=sys.stderr)
        return 2
    env = dict(os.environ, PYTHONHASHSEED="0")
    runs = {}
    for label, cmd in (("torch", [sys.executable, script, *args]),
                       ("minitorch_ref", [sys.executable, "-m", "minitorch_ref.swap", script,
                                          *args])):
        try:
            runs[label] = subprocess.run(cmd, capture_output=True, text=True, env=env,
                                         timeout=timeout)
        except subprocess.TimeoutExpired:
            print(f"minitorch_ref.swap: the {label} run did not finish in {timeout:.0f} s",
                  file=sys.stderr)
            return 1
    theirs, ours = runs["torch"], runs["minitorch_ref"]
    if theirs.returncode != 0:
        print(f"minitorch_ref.swap: {script} fails under torch itself (exit "
              f"{theirs.returncode}); nothing to compare.\n{_tail(theirs.stderr)}",
              file=sys.stderr)
        return 1
    if ours.returncode != 0:
        print(f"minitorch_ref.swap: {script} runs under torch but fails under minitorch_ref "
              f"(exit {ours.returncode}):\n{_tail(ours.stderr)}", file=sys.stderr)
        return ours.returncode
    diff = compare_outputs(ours.stdout, theirs.stdout, rtol, atol)
    n = len(numbers(theirs.stdout))
    if diff:
        print(f"minitorch_ref.swap: {script}: {diff}")
        return 1
    if text:
        diff = compare_text(ours.stdout, theirs.stdout)
        if diff:
            print(f"minitorch_ref.swap: {script}: the numbers agree, but the text around them "
                  f"does not: {diff}")
            return 1
    print(f"minitorch_ref.swap: {script}: all {n} printed numbers agree with torch "
          f"(rtol={rtol:g}, atol={atol:g}, plus the printed precision)"
          + ("; the text around them is the same" if text else ""))
    return 0


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m minitorch_ref.swap",
        description="Run a torch script with minitorch_ref standing in for torch.")
    parser.add_argument("--compare", action="store_true",
                        help="run under torch and under minitorch_ref; compare printed numbers")
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-6)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--text", action="store_true",
                        help="with --compare: the text around the numbers must match too "
                             "(reprs, line breaks; object addresses are ignored)")
    parser.add_argument("script")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    ns = parser.parse_args(argv)
    if ns.compare:
        return compare(ns.script, ns.args, ns.rtol, ns.atol, ns.timeout, ns.text)
    return run(ns.script, ns.args)


if __name__ == "__main__":
    sys.exit(main())
