"""nn.Fold / nn.Unfold against torch: outputs, gradients, repr (F.fold/F.unfold are covered in
test_conv_functional.py)."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import check, rand


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=(2, 3), dilation=(1, 2),
                                                         padding=1, stride=(2, 1))])
def test_fold_unfold_modules(kw):
    x = rand(2, 3, 6, 7, dtype=np.float64)
    cols, _ = check(lambda T, x: T.nn.Unfold(**kw)(x), x)
    check(lambda T, c: T.nn.Fold((6, 7), **kw)(c), cols.detach().numpy())
    assert repr(mt.nn.Unfold(**kw)) == repr(torch.nn.Unfold(**kw))
    assert repr(mt.nn.Fold((6, 7), **kw)) == repr(torch.nn.Fold((6, 7), **kw))
