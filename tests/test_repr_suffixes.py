"""Where repr puts ``dtype=``/``grad_fn=``/``requires_grad=``: on the last line while it fits in
80 characters counting the ``tensor(`` prefix, else on a new line, as torch does."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt


def _both(make):
    return repr(make(mt)), repr(make(torch))


@pytest.mark.parametrize("n", range(1, 9))
@pytest.mark.parametrize("dtype", ["float64", "float32", "int32"])
@pytest.mark.parametrize("grad", [False, True])
def test_suffix_placement_at_every_line_length(n, dtype, grad):
    values = np.array([1.4221e-18, 2.9285e-01, 1.0183e-18, -1.3122e-02, 7.5, -3.25, 1e3, 0.5])
    if dtype == "int32":
        values = (values * 1000).astype(np.int64)
        grad = False

    def make(T):
        t = T.tensor(values[:n].tolist(), dtype=getattr(T, dtype))
        return t.requires_grad_() * 1 if grad else t
    ours, theirs = _both(make)
    assert ours == theirs
