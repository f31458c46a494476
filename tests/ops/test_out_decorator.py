"""``supports_out`` (minitorch_ref/_ops/out.py) by its definition: the function is compiled again
from its own source with the ``out=`` test in front, so the ordinary call runs the function's own
body (its file and lines in tracebacks), a version without ``out`` serves Tensor methods, and a
function the decorator cannot handle is refused at import. torch's ``out=`` behaviour itself is
pinned against torch in test_ops_out.py and test_ops_out_more.py."""
from __future__ import annotations

import importlib.util
import inspect
import sys
import textwrap
import traceback

import numpy as np
import pytest

import minitorch_ref as mt


def _module(tmp_path, source: str, name: str = "decorated_ops"):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


def test_signatures_with_and_without_out():
    assert "out" in inspect.signature(mt.exp).parameters
    assert "out" not in inspect.signature(mt.exp.without_out).parameters
    params = list(inspect.signature(mt.norm.without_out).parameters)  # a positional out
    assert params == ["input", "p", "dim", "keepdim", "dtype"]
    assert mt.exp.without_out is mt.Tensor.exp  # the method is the function minus out=


def test_the_ordinary_call_runs_in_the_functions_own_source():
    """An error inside a decorated op is reported at its file and line (no wrapper frame)."""
    with pytest.raises(ValueError) as info:
        mt.cat([])
    frames = traceback.extract_tb(info.value.__traceback__)
    lines, first = inspect.getsourcelines(mt.cat)
    cat_frames = [f for f in frames if f.name == "cat"]
    assert len(cat_frames) == 1
    assert cat_frames[0].filename.endswith("joining.py")
    assert first <= cat_frames[0].lineno < first + len(lines)
    assert frames[frames.index(cat_frames[0]) - 1].filename == __file__  # called from here


def test_a_decorated_function_of_another_module(tmp_path):
    module = _module(tmp_path, '''
        from __future__ import annotations
        from minitorch_ref._ops.out import supports_out
        from minitorch_ref import exp


        @supports_out("expo", rule="same")
        def twice_exp(input, *, scale: float = 2.0, out=None) -> "Tensor":
            """a docstring"""
            return exp(input) * scale
    ''')
    x = mt.tensor([0.0, 1.0])
    np.testing.assert_allclose(module.twice_exp(x).numpy(), 2 * np.exp([0.0, 1.0]), rtol=1e-6)
    out = mt.empty(2)
    assert module.twice_exp(x, scale=3.0, out=out) is out
    np.testing.assert_allclose(out.numpy(), 3 * np.exp([0.0, 1.0]), rtol=1e-6)
    assert module.twice_exp.__doc__ == "a docstring"
    assert module.twice_exp.__qualname__ == "twice_exp"
    with pytest.raises(RuntimeError, match="Found dtype Long but expected Float"):
        module.twice_exp(x, out=mt.empty(2, dtype=mt.int64))  # the 'same' rule, named 'expo'
    with pytest.raises(RuntimeError, match=r"^expo\(\): functions with out="):
        module.twice_exp(x.requires_grad_(), out=out)


def test_a_handler_writes_the_result_itself(tmp_path):
    module = _module(tmp_path, '''
        from minitorch_ref._ops.out import supports_out

        calls = []


        def _handler(out, input, k=1):
            calls.append((out, input, k))
            return "written"


        @supports_out(handler=_handler)
        def op(input, k=1, *, out=None):
            return input
    ''')
    x = mt.zeros(1)
    assert module.op(x, 3) is x and module.calls == []
    assert module.op(x, 3, out=x) == "written" and module.calls == [(x, x, 3)]


@pytest.mark.parametrize("source, message", [
    ('''
        @supports_out()
        def op(input, *, out=None):
            return out
     ''', "must not read 'out'"),
    ('''
        @supports_out()
        def op(input):
            return input
     ''', "has no 'out' parameter"),
    ('''
        import functools

        @functools.lru_cache
        @supports_out()
        def op(input, *, out=None):
            return input
     ''', "only decorator"),
], ids=["reads out", "no out", "another decorator"])
def test_what_the_decorator_refuses(tmp_path, source, message):
    with pytest.raises(TypeError, match=message):
        _module(tmp_path, "from minitorch_ref._ops.out import supports_out\n"
                + textwrap.dedent(source))
