"""The README's examples/ scripts run unchanged under minitorch_ref and print what
torch prints (``minitorch_ref.swap --compare --text``)."""
import os

import pytest

from dropin_runner import ROOT, assert_agrees

EXAMPLES = sorted(f for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".py"))


def test_examples_exist():
    assert EXAMPLES, "examples/ holds no scripts"


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_prints_what_torch_prints(name):
    assert_agrees(os.path.join("examples", name))
