"""Floating-point edge cases are silent, as in torch: 0/0, x/0, overflow and their gradients give
NaN or inf without a NumPy RuntimeWarning. Both libraries run the same script in a subprocess with
``-W error::RuntimeWarning`` (any such warning becomes an error) and must print the same values.
A RuntimeWarning from the user's own NumPy code still reaches the user."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = """
import {lib} as torch
x = torch.tensor([0., 1., -1., 2.], requires_grad=True)
z = torch.zeros(4)
cases = {{
    'div by zero': lambda: x / z,
    'number by zero': lambda: 1.0 / z,
    'floor_divide by zero': lambda: torch.tensor([3., 0.]) // torch.tensor([0., 0.]),
    'remainder by zero': lambda: torch.tensor([3., 0.]) % torch.tensor([0., 0.]),
    'fmod by zero': lambda: torch.fmod(torch.tensor([3., 0.]), 0.0),
    'pow overflow': lambda: torch.tensor([1e30, -1e30]) ** 20,
    'exp overflow': lambda: torch.exp(torch.tensor([100., 1000.])),
    'mul overflow': lambda: torch.tensor([3e38]) * 10,
    'inf - inf': lambda: torch.tensor([float('inf')]) - float('inf'),
    'log of zero and negatives': lambda: torch.log(x),
    'sqrt of negatives': lambda: torch.sqrt(x),
    'float16 overflow': lambda: torch.tensor([1e6]).half(),
    'softmax of inf': lambda: torch.softmax(torch.tensor([float('inf'), 1.0]), 0),
    'mean of empty': lambda: torch.zeros(0).mean(),
    'var of one element': lambda: torch.tensor([1.0]).var(),
}}
for name, f in cases.items():
    print(name, f())
for name, f in [('sqrt', torch.sqrt), ('log', torch.log), ('reciprocal', torch.reciprocal),
                ('div', lambda t: 1 / t), ('pow', lambda t: t ** 0.5)]:
    x.grad = None
    f(x).sum().backward()
    print('grad of', name, x.grad)
"""


def run(lib: str) -> str:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c",
                        SCRIPT.format(lib=lib)], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize("lib", ["minitorch_ref"])
def test_edge_cases_are_silent_and_equal_to_torch(lib):
    assert run(lib) == run("torch")


def test_warnings_from_the_users_numpy_code_still_show():
    code = ("import minitorch_ref, numpy as np\n"
            "try:\n    np.array([1.0]) / 0\nexcept RuntimeWarning as e:\n    print('warned', e)")
    r = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c", code], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.stdout.startswith("warned divide by zero"), r.stdout + r.stderr
