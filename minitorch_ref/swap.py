"""Run an unmodified torch script with minitorch_ref standing in for torch.

    python -m minitorch_ref.swap script.py [args ...]
    python -m minitorch_ref.swap --check script.py
    python -m minitorch_ref.swap --compare [--text] [--rtol R] [--atol A] [--ignore REGEX]
                                 [--double] script.py [args ...]

The first form makes ``import torch`` (and ``torch.nn``, ``torch.nn.functional``, ``torch.optim``,
``torch.optim.lr_scheduler``, ``torch.utils.data``, ``torch.autograd``, ...) resolve to
minitorch_ref's modules, then runs the script as ``__main__``. Processes the script starts
(``multiprocessing`` with spawn or forkserver, ``subprocess`` calls of this Python) are swapped
too. A torch feature minitorch_ref lacks is reported by name, with every other one the script's
source mentions, and exit code 3 ("torch.fft is not implemented in minitorch_ref"), not as an
AttributeError deep inside the script; a name that torch lacks as well (a typo) fails as it
would under torch. ``--check`` only reads the script and names the missing features.

``--compare`` runs the script twice, in separate processes, under real torch and under
minitorch_ref (both get the same standard input), and compares every number the two runs print,
in order. Each pair must agree within ``atol + rtol * |torch's|`` plus the rounding of the
printed digits (a number printed with 4 decimals is only known to 0.5e-4). Lines matching an
``--ignore`` pattern (wall-clock times) are left out. A difference is reported with its line and
both values; when numbers differ, both runs are repeated with float64 as the default dtype to
tell float32 rounding drift from a real difference. ``--double`` compares in float64 from the
start, tightly. With ``--text`` the words, reprs and line breaks around the numbers must match.
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
import traceback
import types

from . import _swap_features

EXIT_MISSING_FEATURE = 3
_SITE_HOOK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_swap_site")


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
        if any(part.startswith("_") for part in name.split(".")[1:]) \
                or name == "minitorch_ref.swap":
            continue
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        sys.modules["torch" + name[len("minitorch_ref"):]] = module
    # torchvision's transforms (v1 and v2 names) are minitorch_ref.transforms; nothing else of
    # torchvision exists here (datasets, models, io are reported as missing when imported)
    from . import transforms
    vision = types.ModuleType("torchvision")
    vision.__path__ = []
    vision.transforms = transforms
    sys.modules["torchvision"] = vision
    sys.modules["torchvision.transforms"] = transforms
    sys.modules["torchvision.transforms.v2"] = transforms.v2
    sys.modules["torchvision.transforms.functional"] = transforms.functional
    sys.modules["torchvision.transforms.v2.functional"] = transforms.v2.functional
    if not any(isinstance(f, _MissingTorchModules) for f in sys.meta_path):
        sys.meta_path.insert(0, _MissingTorchModules())


def _swap_children(double: bool = False) -> None:
    """Make every Python process started from here on swap torch too (the ``_swap_site``
    sitecustomize runs ``install`` in it), and take float64 as its default dtype when
    ``double``."""
    path = os.environ.get("PYTHONPATH", "")
    if _SITE_HOOK not in path.split(os.pathsep):
        os.environ["PYTHONPATH"] = _SITE_HOOK + (os.pathsep + path if path else "")
    os.environ["MINITORCH_REF_SWAP"] = "1"
    if double:
        os.environ["MINITORCH_REF_DEFAULT_DTYPE"] = "float64"


def _fail_as_torch(exc: BaseException, missing: _swap_features.Missing) -> BaseException:
    """The error torch itself would raise for a name that neither library has (a typo):
    without minitorch_ref's "not implemented" wording."""
    if isinstance(exc, AttributeError) and str(exc).endswith("is not implemented in "
                                                             "minitorch_ref"):
        return AttributeError(str(exc).split(": ")[0]).with_traceback(exc.__traceback__)
    if isinstance(exc, NotImplementedInMinitorch):
        return ModuleNotFoundError(f"No module named '{missing.feature}'",
                                   name=missing.feature).with_traceback(exc.__traceback__)
    return exc


def _report_missing(script: str, missing: _swap_features.Missing, exc: BaseException,
                    others: list, torch_known: bool | None) -> None:
    feature = missing.feature
    if missing.described:
        lines = [f"minitorch_ref.swap: {script} uses a feature minitorch_ref does not "
                 f"implement ({type(exc).__name__}: {exc})"]
    else:
        lines = [f"minitorch_ref.swap: {script} uses {feature}, which minitorch_ref does not "
                 f"implement ({type(exc).__name__}: {exc})"]
    if torch_known is None:
        lines.append("  (torch is not installed here, so this could also be a misspelt name)")
    rest = [(f, ln) for f, ln in others if f != feature]
    if rest:
        lines.append("  it also uses: " + ", ".join(f"{f} (line {ln})" for f, ln in rest))
    print("\n".join(lines), file=sys.stderr)


def _print_traceback(exc: BaseException, script: str) -> None:
    """Python's report of an uncaught exception, from the script's first frame on: the
    runner's own frames (runpy, this module) are left out, as they are not in torch's run."""
    tb = exc.__traceback__
    target = os.path.abspath(script)
    while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) != target:
        tb = tb.tb_next
    # an import of a torch module neither library has ends in the import machinery and this
    # module's finder: torch's traceback stops at the script's import line
    if isinstance(exc, ModuleNotFoundError) and tb is not None:
        last, cur = tb, tb.tb_next
        while cur is not None and not (cur.tb_frame.f_code.co_filename.startswith("<frozen")
                                       or cur.tb_frame.f_code.co_filename == __file__):
            last, cur = cur, cur.tb_next
        last.tb_next = None
    traceback.print_exception(type(exc), exc, tb or exc.__traceback__)


def run(script: str, args: list[str]) -> int:
    """Run ``script`` as ``__main__`` with torch swapped. SystemExit passes through (code and
    message, as ``sys.exit("msg")`` prints it); an uncaught exception is printed as Python
    prints it and gives 1; a missing torch feature is named and gives EXIT_MISSING_FEATURE."""
    if not os.path.isfile(script):
        print(f"minitorch_ref.swap: no such script: {script}", file=sys.stderr)
        return 2
    install()
    _swap_children(double=os.environ.get("MINITORCH_REF_DEFAULT_DTYPE") == "float64")
    if os.environ.get("MINITORCH_REF_DEFAULT_DTYPE") == "float64":
        import minitorch_ref
        minitorch_ref.set_default_dtype(minitorch_ref.float64)
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    try:
        runpy.run_path(script, run_name="__main__")
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as e:  # noqa: BLE001 - reported as Python reports it, or by name
        missing = _swap_features.wanted(e)
        known = None if missing is None else _swap_features.decide(missing)
        if missing is None or known is False:
            _print_traceback(e if missing is None else _fail_as_torch(e, missing), script)
            return 1
        with open(script, encoding="utf-8", errors="replace") as f:
            others = _swap_features.scan(f.read(), script)
        _report_missing(script, missing, e, others, known)
        return EXIT_MISSING_FEATURE
    return 0


def check(script: str) -> int:
    """``--check``: name every missing feature the script's source mentions, without running
    it (exit 3 when there is one). Names reached only at run time (a method of a tensor) are
    found by running it."""
    if not os.path.isfile(script):
        print(f"minitorch_ref.swap: no such script: {script}", file=sys.stderr)
        return 2
    install()
    with open(script, encoding="utf-8", errors="replace") as f:
        found = _swap_features.scan(f.read(), script)
    if not found:
        print(f"minitorch_ref.swap: {script}: every torch name in its source exists in "
              "minitorch_ref")
        return 0
    print(f"minitorch_ref.swap: {script} uses what minitorch_ref does not implement:")
    for feature, line in found:
        print(f"  line {line}: {feature}")
    return EXIT_MISSING_FEATURE


# -- --compare ---------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])"
                     r"|(?<![\w])[-+]?(?:nan|inf)(?![\w])")


def _kept_lines(text: str, ignore: list[str] = ()) -> list[tuple[int, str]]:
    """``(line number, line)`` for every line not matched by an ``ignore`` pattern."""
    patterns = [re.compile(p) for p in ignore]
    return [(i, line) for i, line in enumerate(text.splitlines(), 1)
            if not any(p.search(line) for p in patterns)]


def numbers(text: str, ignore: list[str] = ()) -> list[tuple[float, float, int]]:
    """Every number printed in ``text``: (value, half a unit of its last printed digit, line)."""
    out = []
    for lineno, line in _kept_lines(text, ignore):
        for m in _NUMBER.finditer(line):
            s = m.group(0)
            value = float(s)
            mantissa = re.split(r"[eE]", s)[0]
            decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
            exponent = int(re.split(r"[eE]", s)[1]) if re.search(r"[eE]", s) else 0
            out.append((value, 0.5 * 10.0 ** (exponent - decimals), lineno))
    return out


def _agree(x: float, hx: float, y: float, hy: float, rtol: float, atol: float) -> bool:
    if math.isnan(x) and math.isnan(y):
        return True
    if math.isinf(x) or math.isinf(y) or math.isnan(x) or math.isnan(y):
        return x == y
    return abs(x - y) <= atol + rtol * abs(y) + hx + hy


def differences(ours: str, theirs: str, rtol: float, atol: float,
                ignore: list[str] = ()) -> list[dict]:
    """Every pair of printed numbers that disagree: index, both values, lines and line texts,
    the difference and what was allowed."""
    a, b = numbers(ours, ignore), numbers(theirs, ignore)
    ours_lines, their_lines = ours.splitlines(), theirs.splitlines()
    out = []
    for i, ((x, hx, lx), (y, hy, ly)) in enumerate(zip(a, b)):
        if not _agree(x, hx, y, hy, rtol, atol):
            out.append(dict(index=i + 1, ours=x, theirs=y, our_line=lx, their_line=ly,
                            our_text=ours_lines[lx - 1].strip(),
                            their_text=their_lines[ly - 1].strip(),
                            diff=abs(x - y), allowed=atol + rtol * abs(y) + hx + hy))
    return out


def _describe(d: dict) -> str:
    where = f"number {d['index']}, line {d['their_line']}" + (
        "" if d["our_line"] == d["their_line"] else f" ({d['our_line']} in minitorch_ref's)")
    gap = "" if math.isnan(d["diff"]) or math.isinf(d["diff"]) else \
        f" (difference {d['diff']:.3g}, allowed {d['allowed']:.3g})"
    return (f"{where}: torch printed {d['theirs']!r}, minitorch_ref printed {d['ours']!r}{gap}"
            f"\n    torch:         {d['their_text']!r}\n    minitorch_ref: {d['our_text']!r}")


def compare_outputs(ours: str, theirs: str, rtol: float, atol: float,
                    ignore: list[str] = (), shown: int = 1) -> str | None:
    """None when every printed number agrees; else a description of the first ``shown``
    differences (or of the count mismatch)."""
    diffs = differences(ours, theirs, rtol, atol, ignore)
    if diffs:
        text = "\n  ".join(_describe(d) for d in diffs[:shown])
        if len(diffs) > shown:
            text += f"\n  ... and {len(diffs) - shown} more numbers differ"
        return text
    a, b = numbers(ours, ignore), numbers(theirs, ignore)
    if len(a) != len(b):
        msg = (f"minitorch_ref printed {len(a)} numbers, torch printed {len(b)}; the first "
               f"{min(len(a), len(b))} agree")
        line = compare_text(ours, theirs, ignore)
        return msg + (f"; the output first differs at {line}" if line else "")
    return None


_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]+\b")


def skeleton(text: str, ignore: list[str] = ()) -> list[tuple[int, str]]:
    """The text around the numbers, line by line: each number becomes ``#``, object addresses
    (``0x7f...``, different in every run) become ``0x#``, runs of spaces shrink to one (so that
    a column padded for a wider number still matches) and a bracket's padding space goes."""
    out = []
    for lineno, line in _kept_lines(text, ignore):
        line = _NUMBER.sub("#", _ADDRESS.sub("0x#", line))
        # torch pads a tensor's first element when any element is negative: a sign that flips
        # in noise-level values (1e-18 vs -1e-18) moves that space, which is no difference
        out.append((lineno, re.sub(r"([\[(]) #", r"\1#", re.sub(r" +", " ", line)).rstrip()))
    return out


def compare_text(ours: str, theirs: str, ignore: list[str] = ()) -> str | None:
    """None when both runs print the same text apart from the numbers; else the first line that
    differs (a repr, a line break, a word)."""
    a, b = skeleton(ours, ignore), skeleton(theirs, ignore)
    ours_lines, their_lines = ours.splitlines(), theirs.splitlines()
    for (la, x), (lb, y) in zip(a, b):
        if x != y:
            where = f"line {lb}" if la == lb else f"line {lb} (torch) / {la} (minitorch_ref)"
            return (f"{where}: torch printed {their_lines[lb - 1].strip()!r}, minitorch_ref "
                    f"printed {ours_lines[la - 1].strip()!r}")
    if len(a) != len(b):
        return f"minitorch_ref printed {len(a)} lines, torch printed {len(b)}"
    return None


def _stdin_bytes() -> bytes | None:
    """The standard input, read once so that both runs get all of it. None for a terminal
    (each run then reads the terminal: type the input once per run) or for no input at all."""
    stream = sys.stdin
    try:
        if stream is None or stream.isatty():
            return None
        return stream.buffer.read()
    except (OSError, ValueError, AttributeError):
        return None


def _run_both(script: str, args: list[str], timeout: float, stdin: bytes | None,
              double: bool) -> dict | str:
    """Both runs' (returncode, stdout, stderr), or a message when one did not finish."""
    base = dict(os.environ, PYTHONHASHSEED="0")
    for key in ("MINITORCH_REF_SWAP", "MINITORCH_REF_DEFAULT_DTYPE"):
        base.pop(key, None)
    if double:
        # both runs start with the swap's sitecustomize, which sets the default dtype (and, in
        # the minitorch_ref run, installs the swap before that)
        path = base.get("PYTHONPATH", "")
        base["PYTHONPATH"] = _SITE_HOOK + (os.pathsep + path if path else "")
        base["MINITORCH_REF_DEFAULT_DTYPE"] = "float64"
    no_input = sys.stdin is None or stdin is None and not _is_terminal(sys.stdin)
    runs = {}
    for label, cmd, env in (
            ("torch", [sys.executable, script, *args], base),
            ("minitorch_ref", [sys.executable, "-m", "minitorch_ref.swap", script, *args],
             dict(base, MINITORCH_REF_SWAP="1") if double else base)):
        try:
            r = subprocess.run(cmd, input=stdin,
                               stdin=subprocess.DEVNULL if no_input else None,
                               capture_output=True, env=env, timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"the {label} run did not finish in {timeout:.0f} s"
        runs[label] = (r.returncode, r.stdout.decode(errors="replace"),
                       r.stderr.decode(errors="replace"))
    return runs


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError, AttributeError):
        return False


def compare(script: str, args: list[str], rtol: float | None = None,
            atol: float | None = None, timeout: float = 600.0, text: bool = False,
            ignore: list[str] = (), double: bool = False) -> int:
    """``--compare``: 0 when the runs agree, 1 when they differ or one fails, the swapped run's
    exit code (3) when it stops at a missing feature."""
    if not os.path.isfile(script):
        print(f"minitorch_ref.swap: no such script: {script}", file=sys.stderr)
        return 2
    if rtol is None:
        rtol = 1e-9 if double else 1e-4
    if atol is None:
        atol = 1e-12 if double else 1e-6
    for pattern in ignore:
        re.compile(pattern)
    stdin = _stdin_bytes()
    runs = _run_both(script, args, timeout, stdin, double)
    if isinstance(runs, str):
        print(f"minitorch_ref.swap: {runs}", file=sys.stderr)
        return 1
    (t_code, theirs, t_err), (o_code, ours, o_err) = runs["torch"], runs["minitorch_ref"]
    if t_code != 0:
        print(f"minitorch_ref.swap: {script} fails under torch itself (exit {t_code}); "
              f"nothing to compare.\n{_tail(t_err)}", file=sys.stderr)
        return 1
    if o_code != 0:
        print(f"minitorch_ref.swap: {script} runs under torch but fails under minitorch_ref "
              f"(exit {o_code}):\n{_tail(o_err)}", file=sys.stderr)
        return o_code
    tolerance = f"rtol={rtol:g}, atol={atol:g}, plus the printed precision" + \
        (", float64 default dtype in both runs" if double else "")
    diff = compare_outputs(ours, theirs, rtol, atol, ignore, shown=3)
    n = len(numbers(theirs, ignore))
    if diff:
        print(f"minitorch_ref.swap: {script}: printed numbers differ ({tolerance}):\n  {diff}")
        if not double and differences(ours, theirs, rtol, atol, ignore):
            print(_explain_drift(script, args, timeout, stdin, ignore))
        return 1
    if text:
        diff = compare_text(ours, theirs, ignore)
        if diff:
            print(f"minitorch_ref.swap: {script}: the numbers agree, but the text around them "
                  f"does not: {diff}")
            return 1
    print(f"minitorch_ref.swap: {script}: all {n} printed numbers agree with torch "
          f"({tolerance})" + ("; the text around them is the same" if text else ""))
    return 0


def _explain_drift(script: str, args: list[str], timeout: float, stdin: bytes | None,
                   ignore: list[str]) -> str:
    """Run both again with float64 as the default dtype: agreement there means the float32
    difference was rounding drift (the libraries sum in different orders, and training
    amplifies it step by step), disagreement that something computes differently."""
    runs = _run_both(script, args, timeout, stdin, double=True)
    head = "  float64 rerun (--double): "
    if isinstance(runs, str):
        return head + runs
    (t_code, theirs, _), (o_code, ours, _) = runs["torch"], runs["minitorch_ref"]
    if t_code != 0 or o_code != 0:
        return head + "the script does not run with float64 as the default dtype " \
            f"(exit {t_code} under torch, {o_code} under minitorch_ref); no explanation"
    diff = compare_outputs(ours, theirs, 1e-9, 1e-12, ignore)
    if diff is None:
        return (head + "with float64 as the default dtype in both runs every printed number "
                "agrees (rtol=1e-9): the difference above is float32 rounding drift, not a "
                "different computation. Compare with --double, or loosen --rtol/--atol.")
    return (head + "the runs still differ with float64 as the default dtype, so this is not "
            f"(only) float32 rounding drift:\n  {diff}")


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m minitorch_ref.swap",
        description="Run a torch script with minitorch_ref standing in for torch.")
    parser.add_argument("--compare", action="store_true",
                        help="run under torch and under minitorch_ref; compare printed numbers")
    parser.add_argument("--check", action="store_true",
                        help="only name the torch features the script's source uses that "
                             "minitorch_ref lacks")
    parser.add_argument("--rtol", type=float, default=None,
                        help="relative tolerance (default 1e-4; 1e-9 with --double)")
    parser.add_argument("--atol", type=float, default=None,
                        help="absolute tolerance (default 1e-6; 1e-12 with --double)")
    parser.add_argument("--ignore", action="append", default=[], metavar="REGEX",
                        help="with --compare: leave out lines matching REGEX (repeatable)")
    parser.add_argument("--double", action="store_true",
                        help="with --compare: float64 default dtype in both runs, tight "
                             "tolerances")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--text", action="store_true",
                        help="with --compare: the text around the numbers must match too "
                             "(reprs, line breaks; object addresses are ignored)")
    parser.add_argument("script")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    ns = parser.parse_args(argv)
    for pattern in ns.ignore:
        try:
            re.compile(pattern)
        except re.error as e:
            parser.error(f"--ignore {pattern!r}: {e}")
    if ns.check:
        return check(ns.script)
    if ns.compare:
        return compare(ns.script, ns.args, ns.rtol, ns.atol, ns.timeout, ns.text, ns.ignore,
                       ns.double)
    return run(ns.script, ns.args)


if __name__ == "__main__":
    sys.exit(main())
