"""The code-layout rules of the project, checked on every file of the package: each module
under 1,000 lines, no line over 100 characters, and the library imports its own modules
directly (an ``import minitorch_ref as torch`` statement inside the package would hide which
module a name comes from)."""
import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "minitorch_ref"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _name(path: pathlib.Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_package_found():
    assert len(MODULES) > 100, f"only {len(MODULES)} modules under {PACKAGE}"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_module_layout(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 1000, f"{_name(path)} has {len(lines)} lines (the bar is under 1,000)"
    long = [(i, len(line)) for i, line in enumerate(lines, 1) if len(line) > 100]
    assert not long, f"{_name(path)}: lines over 100 characters (line, length): {long}"
    tree = ast.parse("\n".join(lines), filename=str(path))
    aliased = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names if alias.name == "minitorch_ref" and alias.asname]
    assert not aliased, f"{_name(path)} imports minitorch_ref under an alias at lines {aliased}"
