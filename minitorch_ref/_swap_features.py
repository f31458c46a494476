"""Which torch features a script uses that minitorch_ref lacks, for ``minitorch_ref.swap``.

Two sources, one rule. When a swapped script fails with an AttributeError or ImportError on
one of our modules, classes or objects, the name it wanted is a *missing feature* only if real
torch has it; otherwise it is the script's own mistake (``torch.tensr``, ``self.fc3``), and the
script fails as it would under torch. Before the script runs, its source is read for every
``torch.``-qualified name it mentions (through any alias: ``import torch.nn as nn``,
``from torch.utils.data import DataLoader``); those that minitorch_ref cannot resolve and torch
can are named together, so a user learns every gap at once instead of one per run.

"Does torch have it" is asked of the real torch installed beside us, in a child interpreter
(its import takes a second or two, paid only when something is missing). Without torch
installed the question has no answer, and the name is reported as missing with that caveat.
"""
from __future__ import annotations

import ast
import importlib
import json
import os
import re
import subprocess
import sys
import types
from typing import Any, Iterable

PACKAGES = ("torch", "torchvision")

# run in a child interpreter without the swap: for each (dotted path, attribute) answer whether
# real torch resolves the path and has the attribute (None: the path does not resolve)
_TORCH_QUERY = r"""
import importlib, json, sys
def resolve(path):
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except Exception:
            continue
        try:
            for p in parts[i:]:
                obj = getattr(obj, p)
        except AttributeError:
            return None
        return obj
    return None
def has(obj, path, attr):
    if hasattr(obj, attr):
        return True
    try:
        importlib.import_module(path + "." + attr)
        return True
    except Exception:
        return False
answers = []
for path, attr in json.loads(sys.stdin.read()):
    obj = resolve(path)
    answers.append(None if obj is None else (True if attr is None else has(obj, path, attr)))
print(json.dumps(answers))
"""


def _clean_env() -> dict:
    """The environment without the swap (the child must import the real torch)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINITORCH_REF_")}
    hook = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_swap_site")
    path = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != hook]
    if path:
        env["PYTHONPATH"] = os.pathsep.join(path)
    else:
        env.pop("PYTHONPATH", None)
    return env


def torch_has(queries: list[tuple[str, str | None]]) -> list[bool | None]:
    """For each ``(path, attr)``: whether real torch has ``path.attr`` (``attr=None``: whether
    ``path`` exists). None for every query when torch cannot be imported."""
    if not queries:
        return []
    try:
        # cwd "/": the child's sys.path[0] must not be a folder with modules named like the
        # standard library's (this package has a random.py)
        r = subprocess.run([sys.executable, "-c", _TORCH_QUERY], input=json.dumps(queries),
                           capture_output=True, text=True, env=_clean_env(), timeout=300,
                           cwd=os.path.abspath(os.sep))
        answers = json.loads(r.stdout.strip().splitlines()[-1])
    except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
        return [None] * len(queries)
    if len(answers) != len(queries):
        return [None] * len(queries)
    return answers


def torch_path(module_name: str) -> str:
    """``minitorch_ref.nn.functional`` -> ``torch.nn.functional``; private parts of our layout
    go (``minitorch_ref._tensor`` -> ``torch``), as torch exposes those names at the top."""
    if not module_name.startswith("minitorch_ref"):
        return module_name
    if module_name.startswith("minitorch_ref.transforms"):
        return "torchvision" + module_name[len("minitorch_ref"):]
    return re.sub(r"\._\w+", "", "torch" + module_name[len("minitorch_ref"):])


def _our_class_paths(cls: type) -> list[str]:
    """torch paths of the minitorch_ref classes in ``cls``'s MRO (a script's own subclass of
    ``nn.Module`` asks about ``torch.nn.modules.module.Module``)."""
    return [f"{torch_path(c.__module__)}.{c.__qualname__}" for c in cls.__mro__
            if c.__module__.startswith("minitorch_ref")]


class Missing:
    """A name a failed script wanted: ``feature`` in torch's spelling and the ``queries`` that
    decide whether torch has it (empty: minitorch_ref itself said the feature is missing)."""

    def __init__(self, feature: str, queries: list[tuple[str, str | None]],
                 described: bool = False) -> None:
        self.feature = feature
        self.queries = queries
        self.described = described  # ``feature`` is minitorch_ref's sentence, not a name


def wanted(exc: BaseException) -> Missing | None:
    """What a script's exception asked of minitorch_ref, or None when it did not come from a
    lookup in minitorch_ref (then it is the script's own error)."""
    feature = getattr(exc, "_minitorch_missing", None)
    if feature and not isinstance(exc, AttributeError):
        return Missing(feature, [])
    name = getattr(exc, "name", None)
    if isinstance(exc, ModuleNotFoundError) and name and name.split(".")[0] in PACKAGES \
            and type(exc).__name__ == "NotImplementedInMinitorch":
        parent, _, last = name.rpartition(".")
        return Missing(name, [(parent, last)] if parent else [(name, None)])
    if isinstance(exc, AttributeError) and name:
        owner = getattr(exc, "obj", None)
        if isinstance(owner, types.ModuleType):
            if not owner.__name__.startswith("minitorch_ref"):
                return None
            path = torch_path(owner.__name__)
            return Missing(f"{path}.{name}", [(path, name)])
        if owner is not None:
            cls = owner if isinstance(owner, type) else type(owner)
            paths = _our_class_paths(cls)
            if paths:
                return Missing(f"{paths[0]}.{name}", [(p, name) for p in paths])
        return None
    if isinstance(exc, ImportError) and exc.name:
        m = re.search(r"cannot import name '(\w+)'", str(exc))
        if m and exc.name.split(".")[0] in ("minitorch_ref",) + PACKAGES:
            path = torch_path(exc.name)
            return Missing(f"{path}.{m.group(1)}", [(path, m.group(1))])
    if isinstance(exc, NotImplementedError) and _raised_in_minitorch(exc) \
            and "minitorch_ref" in str(exc):
        return Missing(str(exc), [], described=True)
    return None


def _raised_in_minitorch(exc: BaseException) -> bool:
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    here = os.path.dirname(os.path.abspath(__file__))
    return last is not None and os.path.abspath(last).startswith(here + os.sep)


def decide(missing: Missing) -> bool | None:
    """True: torch has it (a missing feature); False: torch lacks it too (the script's own
    mistake); None: no torch to ask."""
    if not missing.queries:
        return True
    answers = torch_has(missing.queries)
    if any(a is True for a in answers):
        return True
    if all(a is None for a in answers):
        return None
    return False


# -- reading the script before it runs -----------------------------------------------------------

def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local names bound to torch modules or objects: ``nn`` -> ``torch.nn``,
    ``DataLoader`` -> ``torch.utils.data.DataLoader``."""
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in PACKAGES:
                    if a.asname:
                        out[a.asname] = a.name
                    else:
                        root = a.name.split(".")[0]
                        out[root] = root
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] in PACKAGES:
            for a in node.names:
                if a.name != "*":
                    out[a.asname or a.name] = f"{node.module}.{a.name}"
    return out


def _chains(tree: ast.AST, aliases: dict[str, str]) -> Iterable[tuple[str, int]]:
    """Every dotted torch name the source mentions, with its line: ``torch.nn.LSTM``,
    ``F.gelu`` as ``torch.nn.functional.gelu``, and the names of from-imports."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] in PACKAGES:
            for a in node.names:
                if a.name != "*":
                    yield f"{node.module}.{a.name}", node.lineno
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in PACKAGES:
                    yield a.name, node.lineno
        elif isinstance(node, ast.Attribute):
            parts = []
            cur: ast.AST = node
            while isinstance(cur, ast.Attribute):
                parts.append(cur.attr)
                cur = cur.value
            if isinstance(cur, ast.Name) and cur.id in aliases:
                yield ".".join([aliases[cur.id], *reversed(parts)]), node.lineno


def _unresolved(dotted: str) -> tuple[str, str] | None:
    """Walk ``dotted`` through minitorch_ref as a swapped script sees it (``torch`` is ours);
    the first ``(owner path, name)`` that does not resolve, or None. The walk stops at the first
    object that is neither a module nor a class (``torch.float32.is_signed``: an instance)."""
    parts = dotted.split(".")
    try:
        obj: Any = importlib.import_module(parts[0])
    except ImportError:
        return None
    for i, name in enumerate(parts[1:], 1):
        if not isinstance(obj, (types.ModuleType, type)):
            return None
        try:
            obj = getattr(obj, name)
            continue
        except AttributeError:
            pass
        try:
            obj = importlib.import_module(".".join(parts[:i + 1]))
        except ImportError:
            return ".".join(parts[:i]), name
    return None


def scan(source: str, filename: str = "<script>") -> list[tuple[str, int]]:
    """The torch names ``source`` mentions that minitorch_ref lacks and torch has, each with
    the first line that mentions it, in order of appearance. Needs ``swap.install()`` first."""
    try:
        tree = ast.parse(source, filename)
    except SyntaxError:
        return []
    first: dict[tuple[str, str], int] = {}
    for dotted, line in _chains(tree, _aliases(tree)):
        gap = _unresolved(dotted)
        if gap is not None and (gap not in first or line < first[gap]):
            first[gap] = line
    if not first:
        return []
    gaps = sorted(first, key=lambda g: first[g])
    answers = torch_has(gaps)
    return [(f"{path}.{name}", first[(path, name)]) for (path, name), has in zip(gaps, answers)
            if has is not False]
