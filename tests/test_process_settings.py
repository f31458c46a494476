"""Process-wide settings a script sets once: torch.set_default_tensor_type (deprecated, warns once
per process) and torch.set_num_interop_threads / get_num_interop_threads (settable once). Both
libraries run the same script in a subprocess (the settings cannot be undone in this one) and must
print the same lines: results, exception types and messages, warnings."""
from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = """
import warnings
import {lib} as torch

def show(f):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        try:
            print('ok', f())
        except Exception as e:
            print(type(e).__name__, str(e).split(' (Triggered internally')[0])
    for x in w:
        print('warning', x.category.__name__, str(x.message).split(' (Triggered internally')[0])

show(lambda: torch.get_num_interop_threads())
for n in [0, -1, 'a', 2.0, True]:
    show(lambda: torch.set_num_interop_threads(n))
show(lambda: torch.set_num_interop_threads(3))
show(lambda: torch.get_num_interop_threads())
show(lambda: torch.set_num_interop_threads(2))
show(lambda: torch.get_num_interop_threads())

show(lambda: torch.set_default_tensor_type(torch.DoubleTensor))
show(lambda: (torch.tensor([1.5]).dtype, torch.ones(2).dtype, torch.get_default_dtype(),
              torch.Tensor([1]).dtype, torch.tensor([1]).dtype))
show(lambda: torch.set_default_tensor_type('torch.FloatTensor'))
show(lambda: (torch.tensor([1.5]).dtype, torch.get_default_dtype()))
for t in [torch.IntTensor, 'torch.LongTensor', torch.float64, 3, 'torch.cuda.FloatTensor',
          'nosuchmodule.FloatTensor']:
    show(lambda: torch.set_default_tensor_type(t))
show(lambda: torch.get_default_dtype())
"""


def run(lib: str) -> str:
    r = subprocess.run([sys.executable, "-c", SCRIPT.format(lib=lib)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, OMP_NUM_THREADS="1"))
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_same_printout_as_torch():
    ours, theirs = run("minitorch_ref"), run("torch")
    assert "warning UserWarning torch.set_default_tensor_type() is deprecated" in theirs
    assert ours == theirs
