"""``import minitorch_ref as torch`` runs a small torch training script unchanged and
prints the same numbers. Each script in ``scripts/`` is a plain torch program of the kind the
tutorials teach; it runs under torch and under minitorch_ref (``minitorch_ref.swap
--compare --text``), and every printed number must agree within rtol=1e-4 plus the printed
precision, with the same text (reprs, line breaks) around the numbers.

A script that hits a known gap is marked xfail(strict=True) with the gap named: once the gap is
closed the test fails (XPASS), and the mark must go."""
import os

import pytest

from dropin_runner import assert_agrees

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = sorted(f for f in os.listdir(os.path.join(HERE, "scripts")) if f.endswith(".py"))

# script -> the gaps it hits (ids of test_gaps.py, where each has a minimal reproduction)
KNOWN_GAPS: dict = {}


@pytest.mark.parametrize("name", [
    pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[s]))
    if s in KNOWN_GAPS else s for s in SCRIPTS])
def test_script_prints_what_torch_prints(name):
    assert_agrees(os.path.join("tests", "dropin", "scripts", name))


def test_every_known_gap_names_an_existing_script_and_gap():
    from test_gaps import GAPS
    assert set(KNOWN_GAPS) <= set(SCRIPTS)
    for gaps in KNOWN_GAPS.values():
        assert set(gaps.split(", ")) <= set(GAPS)
